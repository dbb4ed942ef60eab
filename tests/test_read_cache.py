"""plugins.vn_reader's read cache and parallel reading change no output byte and no report.

Real builds in temporary folders: a warm read cache gives the bytes of a cold build, reading in
several processes the bytes of a serial read; a cached source with a warning or an error reports
it exactly as a fresh read (and an error still fails the build, naming file and line); an edited
source is the only one parsed again; a setting or registry change that reading depends on parses
everything again; a damaged cache file is a warning and a correct build.
"""

import hashlib
import logging
import os
import re
import sqlite3

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, synthetic_archive, verbose_build
from conftest import output_digest as digest
from plugins.content_check import main as check_main

NOW = {"SCHEDULE_NOW": "2026-12-01T00:00", "SITE_SEARCH_CACHE_PATH": ""}
FIGURES = re.compile(r"vn_reader: (\d+) sources read: (\d+) parsed \((\d+) ahead in (\d+) processes\), "
                     r"(\d+) from the read cache")
PROBLEM = re.compile(r"(\S+\.md:\d+: (?:error|warning): .*)$", re.M)


def build(content, output, cache, **settings):
    """Build like ``invoke build`` (plus -v for the reading figures); returns (returncode, log, figures)."""
    extra = {**NOW, "VN_READER_CACHE_PATH": str(cache) if cache else "", **settings}
    code, log = verbose_build(content, output, extra)
    found = FIGURES.search(log)
    figures = dict(zip(("read", "parsed", "ahead", "processes", "cached"), map(int, found.groups()))) if found else {}
    return code, log, figures


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """40 synthetic articles, the real registries and one article with quotes and dashes."""
    content = synthetic_archive(tmp_path_factory.mktemp("reads") / "content", 40)
    (content / "2024" / "03").mkdir(parents=True, exist_ok=True)
    (content / "2024" / "03" / "trich-dan.md").write_text(
        'Title: Hội nghị "bàn tròn" -- lần thứ hai\nDate: 05/03/2024 08:00\nCategory: Tuyên truyền\n'
        'Summary: Tóm tắt "ngắn" -- đủ ý\n\nBài có "trích dẫn" và gạch -- ngang.\n', encoding="utf-8")
    return content


def test_cold_warm_serial_and_parallel_builds_are_byte_identical(archive, tmp_path):
    cache = tmp_path / "cache"
    code, log, cold = build(archive, tmp_path / "cold", cache, VN_READER_PROCESSES=2)
    assert code == 0, log[-3000:]
    # Every source parsed once, ahead of Pelican's loop, by two processes.
    assert cold == {"read": 41, "parsed": 41, "ahead": 41, "processes": 2, "cached": 0}, cold
    code, log, warm = build(archive, tmp_path / "warm", cache, VN_READER_PROCESSES=2)
    assert code == 0, log[-3000:]
    assert warm["parsed"] == 0 and warm["cached"] == 41, warm
    code, log, serial = build(archive, tmp_path / "serial", None, VN_READER_PROCESSES=1)
    assert code == 0, log[-3000:]
    assert serial == {"read": 41, "parsed": 41, "ahead": 0, "processes": 1, "cached": 0}, serial
    expected = digest(tmp_path / "serial")
    assert len(expected) > 150
    assert digest(tmp_path / "cold") == expected
    assert digest(tmp_path / "warm") == expected
    # Typogrify still runs (once): curly quotes and an em dash in the title, summary and body.
    page = BeautifulSoup((tmp_path / "warm" / "2024/03/05/hoi-nghi-ban-tron-lan-thu-hai.html")
                         .read_text(encoding="utf-8"), "html.parser")
    assert page.h1.get_text(" ", strip=True) == "Hội nghị “bàn tròn” — lần thứ hai"
    assert "có “trích dẫn” và gạch — ngang." in page.get_text(" ")


def test_problems_replay_from_the_cache_exactly(tmp_path, make_content):
    files = {
        "2024/01/canh-bao.md": "Title: Cảnh báo\tcó tab\nDate: 02/01/2024\n\nNội dung bài.\n",
        "2024/01/loi.md": "Title: Bài lỗi\nDate: 03/01/2024\nCategory: Thể loại lạ\n\nNội dung.\n",
        "2024/01/trung-a.md": "Title: Trùng địa chỉ\nDate: 04/01/2024\n\nMột.\n",
        "2024/01/trung-b.md": "Title: Trùng địa chỉ\nDate: 04/01/2024\n\nHai.\n",
        "2024/01/tot.md": "Title: Bài tốt\nDate: 05/01/2024\n\nNội dung.\n",
    }
    content = make_content(files)
    cache = tmp_path / "cache"
    logs = []
    for name in ("first", "second"):
        code, log, figures = build(content, tmp_path / name, cache, VN_READER_PROCESSES=1)
        assert code != 0, log[-3000:]
        logs.append((PROBLEM.findall(log), figures))
    (first, cold), (second, warm) = logs
    assert cold["parsed"] == 5 and warm == {**warm, "parsed": 0, "cached": 5}, (cold, warm)
    assert first == second
    text = "\n".join(first)
    assert re.search(r"canh-bao\.md:1: warning: .*tab", text), text
    assert re.search(r"loi\.md:3: error: unknown category 'Thể loại lạ'", text), text
    assert re.search(r"trung-a\.md:1: error: same output URL", text), text
    assert re.search(r"trung-b\.md:1: error: same output URL", text), text
    # invoke check reports the same lines (the build and the check apply the same rules).
    import contextlib  # noqa: PLC0415
    import io  # noqa: PLC0415

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert check_main([str(content)]) != 0
    checked = {re.sub(r"^.*?(\d{4}/\d\d/)", r"\1", line) for line in PROBLEM.findall(out.getvalue())}
    assert checked == {re.sub(r"^.*?(\d{4}/\d\d/)", r"\1", line) for line in first}
    # Without errors the warning is still reported from the cache, and the build succeeds.
    for name in ("loi.md", "trung-b.md"):
        (content / "2024/01" / name).unlink()
    code, log, figures = build(content, tmp_path / "third", cache, VN_READER_PROCESSES=1)
    assert code == 0 and figures["parsed"] == 0, log[-3000:]
    assert PROBLEM.findall(log) == [line for line in first if "canh-bao.md" in line]


def test_an_edit_parses_only_the_edited_source(tmp_path):
    content = tmp_path / "content"
    synthetic_archive(content, 40)
    cache = tmp_path / "cache"
    assert build(content, tmp_path / "base", cache)[0] == 0
    edited = sorted(content.rglob("*.md"))[7]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi đăng.\n", encoding="utf-8")
    code, log, figures = build(content, tmp_path / "edited", cache)
    assert code == 0, log[-3000:]
    assert figures["parsed"] == 1 and figures["cached"] == 39, figures
    code, log, _ = build(content, tmp_path / "fresh", None)
    assert code == 0, log[-3000:]
    assert digest(tmp_path / "edited") == digest(tmp_path / "fresh") != digest(tmp_path / "base")
    pages = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
             for p in (tmp_path / "edited").glob("20*/*/*/*.html")]
    assert sum("Đoạn bổ sung sau khi đăng." in page.get_text() for page in pages) == 1


def test_reading_settings_and_the_registry_invalidate(archive, tmp_path):
    cache = tmp_path / "cache"
    assert build(archive, tmp_path / "base", cache)[0] == 0
    # widont on: the last two words of every title and paragraph glued with &nbsp;.
    widont = {"TYPOGRIFY_OMIT_FILTERS": ["caps", "amp"]}
    code, log, figures = build(archive, tmp_path / "widont", cache, **widont)
    assert code == 0 and figures["parsed"] == 41 and figures["cached"] == 0, figures
    code, log, _ = build(archive, tmp_path / "widont-fresh", None, **widont)
    assert code == 0
    assert digest(tmp_path / "widont") == digest(tmp_path / "widont-fresh") != digest(tmp_path / "base")
    page = tmp_path / "widont" / "2024/03/05/hoi-nghi-ban-tron-lan-thu-hai.html"
    assert "thứ\xa0hai" in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").h1.get_text()
    code, log, figures = build(archive, tmp_path / "typo", cache, TYPOGRIFY=False)
    assert code == 0 and figures["parsed"] == 41, figures
    page = tmp_path / "typo" / "2024/03/05/hoi-nghi-ban-tron-lan-thu-hai.html"
    assert '"bàn tròn" --' in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").h1.get_text()
    # The rules look campaign names up in the registry: another registry, another read.
    registry = archive / "campaigns.toml"
    saved = registry.read_bytes()
    try:
        registry.write_bytes(saved + b"\n# edited\n")
        code, log, figures = build(archive, tmp_path / "registry", cache)
        assert code == 0 and figures["parsed"] == 41, figures
    finally:
        registry.write_bytes(saved)


def test_a_damaged_cache_is_a_warning_and_a_correct_build(archive, tmp_path):
    cache = tmp_path / "cache"
    assert build(archive, tmp_path / "base", cache)[0] == 0
    db = sqlite3.connect(cache / "reads.sqlite3")
    with db:
        db.execute("UPDATE reads SET data = '{\"content\": 1}' WHERE rel LIKE '%trich-dan.md'")
        db.execute("UPDATE reads SET data = 'not json' WHERE rowid = "
                   "(SELECT MIN(rowid) FROM reads WHERE rel NOT LIKE '%trich-dan.md')")
    db.close()
    code, log, figures = build(archive, tmp_path / "rows", cache)
    assert code == 0, log[-3000:]
    assert log.count("is damaged; reading it again") == 2 and figures["parsed"] == 2, (figures, log[-3000:])
    assert digest(tmp_path / "rows") == digest(tmp_path / "base")
    (cache / "reads.sqlite3").write_bytes(b"this is not a database" * 100)
    code, log, figures = build(archive, tmp_path / "garbage", cache)
    assert code == 0, log[-3000:]
    assert "read cache" in log and "is damaged, replaced by an empty one" in log, log[-3000:]
    assert figures["parsed"] == 41
    assert digest(tmp_path / "garbage") == digest(tmp_path / "base")
    # The replacement is a working cache again.
    code, log, figures = build(archive, tmp_path / "again", cache)
    assert code == 0 and figures["cached"] == 41 and "vn_reader: read cache" not in log, figures


def test_an_error_fails_the_build_with_file_and_line_cached_or_not(tmp_path, make_content):
    content = make_content({"2024/02/ngay-sai.md": "Title: Ngày sai\nDate: 31/02/2024\n\nNội dung.\n",
                            "2024/02/dung.md": "Title: Đúng\nDate: 01/02/2024\n\nNội dung.\n"})
    cache = tmp_path / "cache"
    for name, processes in (("cold", 1), ("warm", 1), ("warm-parallel", 2)):
        code, log, figures = build(content, tmp_path / name, cache, VN_READER_PROCESSES=processes)
        assert code != 0, log[-3000:]
        assert re.search(r"2024/02/ngay-sai\.md:2: error: Date: ", log), log[-3000:]
        assert "nothing was published" in log
        assert figures["cached"] == (0 if name == "cold" else 2), figures


def test_reading_processes_leave_no_source_out(tmp_path, caplog):
    """A source a process cannot parse is left to the build process (which parses it again and
    reports it itself); processes that die make every source read serially."""
    from plugins.vn_reader.reading import parse_ahead  # noqa: PLC0415

    misses = []
    for number in range(4):
        path = tmp_path / f"{number}.md"
        path.write_text(f"nguồn {number}", encoding="utf-8")
        misses.append((number, str(path), f"{number}.md"))
    parent = os.getpid()

    class Reader:
        def parse(self, path, rel, raw):
            if rel == "1.md":
                raise ValueError("a source the rules never expected")
            return {"rel": rel, "text": raw.decode("utf-8"), "child": os.getpid() != parent}

    ahead = parse_ahead(Reader(), misses, 2)
    assert sorted(ahead) == sorted([misses[0][1], misses[2][1], misses[3][1]])
    # Round-robin shares: 0 and 2 in this process, 3 in the forked one; plain data came back.
    assert ahead[misses[0][1]] == (hashlib.sha256("nguồn 0".encode()).hexdigest(),
                                   {"rel": "0.md", "text": "nguồn 0", "child": False})
    assert ahead[misses[3][1]][1]["child"] is True
    # Taken once: a record is decoded from its file when Pelican's loop reaches its source.
    assert ahead.pop(misses[2][1]) == (hashlib.sha256("nguồn 2".encode()).hexdigest(),
                                       {"rel": "2.md", "text": "nguồn 2", "child": False})
    assert misses[2][1] not in ahead and ahead.pop(misses[2][1]) is None and len(ahead) == 2
    ahead.close()

    class Dying:
        def parse(self, path, rel, raw):
            if os.getpid() != parent:
                os._exit(3)
            return {}

    with caplog.at_level(logging.WARNING):
        assert len(parse_ahead(Dying(), misses, 2)) == 0
    assert "reading serially instead" in caplog.text


def test_direct_use_outside_a_build_is_unchanged(tmp_path, make_content):
    """``invoke campaigns`` reads sources with the reader alone: no cache, no typogrify."""
    from plugins.campaigns.cli import project_settings, read_source  # noqa: PLC0415

    content = make_content({"2024/01/a.md": 'Title: Bài "một"\nDate: 02/01/2024\n\nCó "trích" -- dẫn.\n'})
    settings = project_settings()
    settings["PATH"] = str(content)
    article = read_source(content / "2024/01/a.md", settings)
    assert article.title == "Bài &quot;một&quot;"
    assert article._content == '<p>Có "trích" -- dẫn.</p>'
    assert "VN_READER_STATE" not in settings


def test_relative_source_path_is_remembered_with_the_same_answers(tmp_path):
    """vn_reader.source_paths: a content object answers get_relative_source_path from the value
    Content.__init__ computed, gives the same url and save_as, and still computes other paths;
    the signal handler is connected by vn_reader's register()."""
    import datetime

    from pelican import signals
    from pelican.contents import Article, Content
    from pelican.settings import DEFAULT_CONFIG

    from plugins.vn_reader import reader as vn_reader
    from plugins.vn_reader.source_paths import RelativeSourcePath, remember_relative_path

    settings = dict(DEFAULT_CONFIG, PATH=str(tmp_path), ARTICLE_URL="{date:%Y}/{slug}.html",
                    ARTICLE_SAVE_AS="{date:%Y}/{slug}.html")
    source = tmp_path / "2022" / "06" / "bai.md"
    metadata = {"title": "Bài", "date": datetime.datetime(2022, 6, 22), "slug": "bai"}
    plain = Article("<p>x</p>", metadata=dict(metadata), settings=settings, source_path=str(source))
    remembered = Article("<p>x</p>", metadata=dict(metadata), settings=settings, source_path=str(source))
    remember_relative_path(remembered)
    assert isinstance(vars(remembered)["get_relative_source_path"], RelativeSourcePath)
    assert remembered.get_relative_source_path() == Content.get_relative_source_path(plain) == "2022/06/bai.md"
    other = str(tmp_path / "khac" / "x.md")
    assert remembered.get_relative_source_path(other) == plain.get_relative_source_path(other) == "khac/x.md"
    assert (remembered.url, remembered.save_as) == (plain.url, plain.save_as) == ("2022/bai.html", "2022/bai.html")
    assert repr(vars(remembered)["get_relative_source_path"]) == "RelativeSourcePath('2022/06/bai.md')"
    remember_relative_path(remembered)  # a second call keeps the first
    assert vars(remembered)["get_relative_source_path"]._path == "2022/06/bai.md"
    vn_reader.register()
    assert remember_relative_path in [r() for r in signals.content_object_init.receivers.values()]


def test_new_rows_are_committed_in_batches_and_read_back(tmp_path, monkeypatch):
    """A first build of a large archive must not hold every new row until it ends: rows are
    committed every FLUSH_ROWS (readable by another connection before close), the rest at
    close, and each reads back as the record put."""
    from plugins.vn_reader import read_cache  # noqa: PLC0415

    monkeypatch.setattr(read_cache, "FLUSH_ROWS", 3)
    records = {f"2024/01/bai-{i}.md": {"problems": [], "entry": None, "n": i, "text": "Bình đẳng giới " * i}
               for i in range(7)}
    digests = {rel: hashlib.sha256(rel.encode()).hexdigest() for rel in records}
    cache = read_cache.ReadCache(str(tmp_path), "env-a")
    committed = []
    for rel, record in records.items():
        cache.put(rel, digests[rel], record)
        committed.append(sqlite3.connect(tmp_path / "reads.sqlite3").execute("SELECT COUNT(*) FROM reads").fetchone()[0])
    assert committed == [0, 0, 3, 3, 3, 6, 6]
    cache.close(set(records))
    again = read_cache.ReadCache(str(tmp_path), "env-a")
    assert all(again.get(rel, digests[rel]) == record for rel, record in records.items())
    assert again.get("2024/01/bai-1.md", digests["2024/01/bai-2.md"]) is None
    again.close(set(records))


def test_one_category_and_tag_object_per_name_in_a_build(tmp_path):
    """Pelican makes a Category per article; the reader hands every article of a category (and
    of a tag) the same object, so each slug is computed once. Cached or not, the generator's
    own lists and the articles then hold the same objects, and the names and slugs are Pelican's."""
    from pelican import Pelican, signals  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415
    from pelican.utils import slugify as pelican_slugify  # noqa: PLC0415

    content = synthetic_archive(tmp_path / "content", 40)
    for run in ("cold", "warm"):
        captured = {}

        def grab(generator):
            captured["articles"], captured["categories"] = list(generator.articles), dict(generator.categories)

        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            **NOW, "PATH": str(content), "OUTPUT_PATH": str(tmp_path / run), "VN_READER_CACHE_PATH": str(tmp_path / "cache"),
            "CAMPAIGNS_CACHE_PATH": ""})
        # conftest's autouse fixture disconnects every receiver this in-process build connects.
        signals.article_generator_finalized.connect(grab)
        Pelican(settings).run()
        articles = captured["articles"]
        by_name = {}
        for article in articles:
            assert by_name.setdefault(article.category.name, article.category) is article.category
            for tag in getattr(article, "tags", []):
                assert by_name.setdefault(("tag", tag.name), tag) is tag
        categories = [c for c in by_name if isinstance(c, str)]
        assert len(categories) >= 3 and any(isinstance(k, tuple) for k in by_name)
        assert {id(c) for c in captured["categories"]} == {id(by_name[name]) for name in categories}
        for name in categories:
            assert by_name[name].slug == pelican_slugify(name, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
