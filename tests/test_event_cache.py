"""plugins.date_archives' event-dates cache changes no output byte and no event date, and is never stale.

Real builds in temporary folders: a warm cache gives the bytes of a cold build and of a build
without it; an edited body is the only one read again; a damaged row is a miss. The cache's
values read back equal to ``vntext.find_event_dates`` on real and synthetic bodies.
"""

import re
import sqlite3

import pytest

from benchmarks.search_corpus import real_articles
from conftest import synthetic_archive, verbose_build
from conftest import output_digest as digest
from plugins.date_archives.event_cache import EventDatesCache
from plugins.vntext import find_event_dates

FIGURES = re.compile(r"date_archives: event dates of (\d+) article\(s\) found, (\d+) from the cache")
SETTINGS = {"SCHEDULE_NOW": "2026-12-01T00:00", "SITE_SEARCH_CACHE_PATH": "", "VN_READER_CACHE_PATH": "",
            "CAMPAIGNS_CACHE_PATH": ""}
BODIES = [
    "<p>Tháng hành động vì bình đẳng giới diễn ra từ ngày 15/11 - 15/12/2022.</p>",
    "<p>Quyết định số 15/2022/QĐ-UBND ngày 9/11 của UBND thành phố.</p>",
    "<p>Năm học 2022-2023, quý III/2023 và giai đoạn 2021 - 2025.</p>",
    "<p>Không có ngày nào.</p>",
    "",
]


def build(content, output, cache):
    """(returncode, log, (found, cached)) of one build."""
    extra = {**SETTINGS, "EVENT_DATES_CACHE_PATH": str(cache) if cache else ""}
    code, log = verbose_build(content, output, extra)
    found = FIGURES.search(log)
    return code, log, tuple(map(int, found.groups())) if found else None


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return synthetic_archive(tmp_path_factory.mktemp("events") / "content", 30)


def test_cold_warm_edited_and_uncached_builds_are_byte_identical(archive, tmp_path):
    cache = tmp_path / "cache"
    code, log, cold = build(archive, tmp_path / "cold", cache)
    assert code == 0, log[-3000:]
    assert cold == (30, 0), cold
    assert [p.name for p in cache.iterdir()] and all(p.name.startswith("events-") for p in cache.iterdir())
    code, log, warm = build(archive, tmp_path / "warm", cache)
    assert code == 0 and warm == (0, 30), (warm, log[-3000:])
    code, log, off = build(archive, tmp_path / "off", None)
    assert code == 0 and off == (30, 0), (off, log[-3000:])  # no cache: every body read
    assert digest(tmp_path / "cold") == digest(tmp_path / "warm") == digest(tmp_path / "off")

    edited = sorted(archive.rglob("*.md"))[4]
    original = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(original + "\nHội nghị tổng kết diễn ra ngày 20/12/2023.\n", encoding="utf-8")
        code, log, figures = build(archive, tmp_path / "edited", cache)
        assert code == 0 and figures == (1, 29), (figures, log[-3000:])
        code, log, _ = build(archive, tmp_path / "edited-off", None)
        assert code == 0, log[-3000:]
        assert digest(tmp_path / "edited") == digest(tmp_path / "edited-off") != digest(tmp_path / "cold")
    finally:
        edited.write_text(original, encoding="utf-8")


def test_stored_event_dates_read_back_equal(tmp_path):
    # The real news bodies when ../shared is beside the checkout (CI has it), else the fixed ones.
    bodies = BODIES + [article["body"] for article in real_articles()[:400]]
    cache = EventDatesCache(str(tmp_path))
    first = [cache.event_dates(body, year) for body in bodies for year in (2022, None)]
    cache.close()
    assert cache.misses == len(first) and sum(map(len, first)) > 5
    again = EventDatesCache(str(tmp_path))
    second = [again.event_dates(body, year) for body in bodies for year in (2022, None)]
    again.close()
    assert again.hits == len(second) and again.misses == 0
    assert second == first == [find_event_dates(body, year) for body in bodies for year in (2022, None)]


def test_a_damaged_row_is_a_miss_and_read_again(tmp_path):
    cache = EventDatesCache(str(tmp_path))
    expected = cache.event_dates(BODIES[0], 2022)
    cache.close()
    (path,) = tmp_path.glob("events-*.sqlite3")
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE events SET data = '[[\"2022-13-45\", \"x\", 1, 2]]'")
    db.close()
    again = EventDatesCache(str(tmp_path))
    assert again.event_dates(BODIES[0], 2022) == expected and expected
    assert (again.hits, again.misses) == (0, 1)
    again.close()
