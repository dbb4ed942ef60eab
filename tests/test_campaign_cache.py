"""plugins.campaigns' assessment cache changes no output byte, and is never stale.

Real builds in temporary folders: a warm cache gives the bytes of a cold build and of a build
without a cache; an edited article is the only one assessed again; a registry change assesses
every article again (its environment's file is another one); a damaged cache file is a
warning and a correct build; stored reasons read back equal.
"""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import synthetic_archive, verbose_build
from conftest import output_digest as digest
from plugins.campaigns.assessment_cache import AssessmentCache
from plugins.campaigns.matching import Reason

FIGURES = re.compile(r"campaigns: \d+ campaign\(s\), (\d+) of (\d+) article\(s\) tagged; (\d+) assessed, (\d+) from the cache")
SETTINGS = {"SCHEDULE_NOW": "2026-12-01T00:00", "SITE_SEARCH_CACHE_PATH": "", "VN_READER_CACHE_PATH": ""}


def build(content, output, cache):
    """(returncode, log, {"tagged", "articles", "assessed", "cached"}) of one build."""
    extra = {**SETTINGS, "CAMPAIGNS_CACHE_PATH": str(cache) if cache else ""}
    code, log = verbose_build(content, output, extra)
    found = FIGURES.search(log)
    figures = dict(zip(("tagged", "articles", "assessed", "cached"), map(int, found.groups()))) if found else {}
    return code, log, figures


def badges(folder):
    """{article page: campaign badge texts} over the whole output."""
    found = {}
    for path in sorted(folder.glob("20*/**/*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if page.find("article") and page.h1:
            found[path.relative_to(folder).as_posix()] = sorted(
                a.get_text(strip=True) for a in page.select("article a[href*='chien-dich/']"))
    return found


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return synthetic_archive(tmp_path_factory.mktemp("assess") / "content", 40)


def test_cold_warm_and_uncached_builds_are_byte_identical(archive, tmp_path):
    cache = tmp_path / "cache"
    code, log, cold = build(archive, tmp_path / "cold", cache)
    assert code == 0, log[-3000:]
    assert cold["assessed"] > 20 and cold["cached"] == 0 and cold["tagged"] > 0, cold
    code, log, warm = build(archive, tmp_path / "warm", cache)
    assert code == 0, log[-3000:]
    assert warm == {**cold, "assessed": 0, "cached": cold["assessed"]}, (cold, warm)
    code, log, plain = build(archive, tmp_path / "plain", None)
    assert code == 0, log[-3000:]
    assert plain == {**cold, "cached": 0}, plain
    expected = digest(tmp_path / "plain")
    assert len(expected) > 150
    assert digest(tmp_path / "cold") == expected
    assert digest(tmp_path / "warm") == expected
    # The cached tags are on the pages: some article shows a campaign badge.
    assert any(badges(tmp_path / "warm").values())


def test_an_edit_assesses_only_that_article_and_a_registry_change_all(tmp_path):
    content = synthetic_archive(tmp_path / "content", 40)
    cache = tmp_path / "cache"
    code, log, first = build(content, tmp_path / "first", cache)
    assert code == 0 and first["assessed"] > 20, log[-3000:]
    edited = sorted(content.rglob("*.md"))[7]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi đăng.\n", encoding="utf-8")
    code, log, second = build(content, tmp_path / "second", cache)
    assert code == 0, log[-3000:]
    assert second["assessed"] == 1 and second["cached"] == first["assessed"] - 1, (first, second)
    # Any byte of the registry counts (here a comment): a new environment, every article again.
    registry = content / "campaigns.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + "\n# sửa đổi\n", encoding="utf-8")
    code, log, third = build(content, tmp_path / "third", cache)
    assert code == 0, log[-3000:]
    assert third["assessed"] == first["assessed"] and third["cached"] == 0, third
    assert len(list(cache.glob("assessments-*.sqlite3"))) == 2
    code, log, plain = build(content, tmp_path / "plain", None)
    assert code == 0, log[-3000:]
    assert digest(tmp_path / "third") == digest(tmp_path / "plain")


def test_a_damaged_cache_is_a_warning_and_a_correct_build(archive, tmp_path):
    cache = tmp_path / "cache"
    assert build(archive, tmp_path / "first", cache)[0] == 0
    (stored,) = cache.glob("assessments-*.sqlite3")
    stored.write_bytes(b"this is not a database" * 100)
    code, log, figures = build(archive, tmp_path / "damaged", cache)
    assert code == 0, log[-3000:]
    assert "is damaged" in log and str(stored.name) in log
    assert figures["cached"] == 0 and figures["assessed"] > 20
    assert digest(tmp_path / "damaged") == digest(tmp_path / "first")
    # It was replaced by a good one: the next build reads everything back.
    code, log, again = build(archive, tmp_path / "again", cache)
    assert code == 0 and again["assessed"] == 0 and again["cached"] == figures["assessed"], again


def test_reasons_read_back_equal_and_old_environments_go(tmp_path):
    reasons = (Reason("decision", detail="named in the title"),
               Reason("phrase", field="title", phrase="bình đẳng giới", matched="Bình đẳng giới", count=2, points=6.0),
               Reason("window", window="15/11–15/12", detail="in the window", points=1.5))
    cache = AssessmentCache(str(tmp_path), "a" * 64)
    cache.store("k", [("binh-dang-gioi", reasons), ("tre-em", ())])
    cache.close()
    again = AssessmentCache(str(tmp_path), "a" * 64)
    assert again.get("k") == [("binh-dang-gioi", reasons), ("tre-em", ())]
    assert again.get("other") is None
    again.close()
    for n, env in enumerate("bcde"):
        AssessmentCache(str(tmp_path), env * 64).close()
    kept = sorted(p.name for p in tmp_path.glob("assessments-*.sqlite3"))
    assert kept == [f"assessments-{c * 16}.sqlite3" for c in "bcde"], kept
