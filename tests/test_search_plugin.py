"""The site_search plugin in real builds: files declared to build_guard, deterministic
output, the per-article analysis cache (incremental builds), stale files removed."""

import pickle
import sqlite3

from conftest import ROOT, run_build, verbose_build
from plugins.site_search.decoder import IndexReader
from plugins.site_search import engine
from plugins.vntext import Analyzer

INDEX = "tim-kiem/chi-muc"


def article(slug, title, date, body):
    return f"Title: {title}\nSlug: {slug}\nDate: {date}\nCategory: Tuyên truyền\n\n{body}\n"


def files_of(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sample_site_has_search(sample_site):
    index = IndexReader(sample_site / INDEX)
    manifest = index.manifest
    assert manifest["docs"] == 21  # every published article of content/, nothing else
    assert (sample_site / "tim-kiem" / "index.html").exists()
    found = engine.search(index, Analyzer(), "binh dang gioi")
    urls = [index.meta(i)[0] for i in found.ids]
    assert urls and all(u.endswith(".html") and (sample_site / u).exists() for u in urls)
    years = [year for year, _ in manifest["years"]]
    assert years == sorted(years)  # documents are numbered in date order


def test_index_files_are_claimed(make_content, build_site):
    content = make_content({"2022/01/a.md": article("a", "Một", "01/01/2022", "Hai ba.")})
    result = build_site(content, extra={"DAYS_INDEX_SAVE_AS": f"{INDEX}/index.json", "SITE_SEARCH_CACHE_PATH": ""})
    assert result.returncode != 0
    assert f"{INDEX}/index.json" in result.log and "site_search" in result.log
    assert not (result.output / INDEX / "b").exists()  # nothing written by a refused build


def test_deterministic_incremental_and_clean(tmp_path, make_content):
    content = make_content({f"2022/0{n}/a{n}.md": article(f"a{n}", f"Tin số {n}", f"0{n}/0{n}/2022", "Bình đẳng giới.")
                            for n in range(1, 6)})
    cache = tmp_path / "cache"
    extra = {"SITE_SEARCH_CACHE_PATH": str(cache)}
    first = run_build(content, tmp_path / "out1", extra=extra)
    second = run_build(content, tmp_path / "out2", extra={"SITE_SEARCH_CACHE_PATH": ""})
    assert first.returncode == 0 and second.returncode == 0, first.log + second.log
    # Same content, same bytes, with or without the cache.
    assert files_of(tmp_path / "out1" / INDEX) == files_of(tmp_path / "out2" / INDEX)
    db = sqlite3.connect(cache / "analysis.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == 5

    # The cache is what the next build reads: an article is not analysed again.
    hash_, data = db.execute("SELECT hash, data FROM analyses").fetchone()
    planted = pickle.loads(data)
    planted["segments"].append([2, ["dấuvết"]])
    with db:
        db.execute("UPDATE analyses SET data = ? WHERE hash = ?", (pickle.dumps(planted), hash_))
    (content / "2022" / "07").mkdir()
    (content / "2022" / "07" / "a7.md").write_text(article("a7", "Tin mới", "07/07/2022", "Thêm một bài."), encoding="utf-8")
    stale = tmp_path / "out1" / INDEX / "x" / "s999-0-0.00000000.bin"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"old")
    before = {path: path.stat().st_mtime_ns for path in (tmp_path / "out1" / INDEX).rglob("*") if path.is_file()}
    third = run_build(content, tmp_path / "out1", extra=extra)
    assert third.returncode == 0, third.log
    # Names carry content hashes: a file still wanted is the same file, not written again.
    after = {path: path.stat().st_mtime_ns for path in (tmp_path / "out1" / INDEX).rglob("*") if path.is_file()}
    kept = [path for path in after if path in before and path.suffix != ".gz" and path.name != "index.json"]
    assert kept and all(after[path] == before[path] for path in kept)
    assert len(kept) < len(after)  # the new article changed some files
    assert db.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == 6  # only the new article analysed
    index = IndexReader(tmp_path / "out1" / INDEX)
    assert index.manifest["docs"] == 6
    assert len(engine.search(index, Analyzer(), "dấuvết").ids) == 1  # the cached analysis was used
    assert not stale.exists()
    db.close()


def test_search_page_settings_and_markup(sample_site):
    from conftest import soup

    page = soup(sample_site / "tim-kiem" / "index.html")
    assert page.find("h1").get_text() == "Tìm kiếm"
    form = page.select_one("[data-search] form[role=search]")
    assert form.find("input", attrs={"name": "q"})
    names = {s["name"] for s in form.find_all("select")}
    assert names == {"chien-dich", "chuyen-muc", "tu-nam", "den-nam", "sap-xep"}
    assert page.find("noscript").find("a")
    assert page.select_one('script[src*="theme/js/search.js?v="]')
    assert (ROOT / "theme" / "static" / "js" / "search.js").exists()


def test_processes_give_the_same_index(tmp_path, make_content):
    """Analysis (cache misses) and encoding shared over processes, the encoding beside the build
    (in one process, or in two): the bytes of a serial build, and the cache they fill is the
    serial one's."""
    words = "bình đẳng giới phụ nữ đường phố vĩnh yên hòa hoà thủy thuỷ an toàn giao thông".split()
    content = make_content({
        f"2022/{n % 12 + 1:02d}/a{n}.md": article(
            f"a{n}", f"Tin số {n} {words[n % len(words)]}", f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2022",
            " ".join(words[(n * k) % len(words)] for k in range(1, 40)) + ".\n\nAn toàn giao thông.")
        for n in range(90)})
    builds = {}
    # (processes, SITE_SEARCH_FRESH_PROCESS_DOCS, cache): 0 encodes in a new interpreter, not a
    # fork, which reads the analyses from the cache when there is one (a second build: every
    # analysis is a hit)
    runs = ((1, 5000, "a"), (2, 5000, "b"), (3, 5000, "c"), (2, 0, "d"), (2, 0, "d"), (2, 0, ""))
    for processes, fresh, cache_name in runs:
        cache = tmp_path / f"cache-{cache_name}" if cache_name else ""
        out = tmp_path / f"out{processes}-{fresh}-{cache_name}"
        code, log = verbose_build(content, out, {"SITE_SEARCH_CACHE_PATH": str(cache),
                                                 "SITE_SEARCH_PROCESSES": processes,
                                                 "SITE_SEARCH_FRESH_PROCESS_DOCS": fresh})
        assert code == 0, log
        assert "serially" not in log and "could not encode in the background" not in log
        assert "did not read back" not in log
        mode = "" if processes == 1 else "a new interpreter" if fresh == 0 else "a forked process"
        assert ("encoding in " + mode in log) if mode else ("encoding in " not in log), log
        assert ("reads the analyses from the cache" in log) == (fresh == 0 and bool(cache)), log
        rows = sqlite3.connect(cache / "analysis.sqlite3").execute(
            "SELECT hash, data FROM analyses ORDER BY hash").fetchall() if cache else None
        builds[processes, fresh, cache_name] = (files_of(out / INDEX), rows)
    assert len({repr(built) for key, built in builds.items() if key[2]}) == 1
    assert builds[2, 0, ""][0] == builds[1, 5000, "a"][0]
    assert len(builds[1, 5000, "a"][1]) == 90 and len(builds[1, 5000, "a"][0]) > 20


def test_an_analysis_the_encoding_process_cannot_read_is_made_again(tmp_path, make_content):
    """The new interpreter reads the analyses from the cache; the build process only checks
    that a row is there. A row that does not read back there is no wrong index: the build
    process encodes it, the article analysed again, and the row is mended."""
    content = make_content({
        f"2022/0{n}/a{n}.md": article(f"a{n}", f"Tin số {n}", f"0{n}/0{n}/2022", f"Bình đẳng giới {n}. Đường phố.")
        for n in range(1, 8)})
    extra = {"SITE_SEARCH_PROCESSES": 2, "SITE_SEARCH_FRESH_PROCESS_DOCS": 0}
    clean = run_build(content, tmp_path / "clean", extra={**extra, "SITE_SEARCH_CACHE_PATH": ""})
    assert clean.returncode == 0, clean.log
    cache = tmp_path / "cache"
    extra["SITE_SEARCH_CACHE_PATH"] = str(cache)
    code, log = verbose_build(content, tmp_path / "first", extra)
    assert code == 0 and "reads the analyses from the cache" in log and "did not read back" not in log, log
    db = sqlite3.connect(cache / "analysis.sqlite3")
    hash_ = db.execute("SELECT hash FROM analyses ORDER BY hash").fetchone()[0]
    good = db.execute("SELECT data FROM analyses WHERE hash = ?", (hash_,)).fetchone()[0]
    with db:
        db.execute("UPDATE analyses SET data = ? WHERE hash = ?", (b"\x80\x05damaged", hash_))
    code, log = verbose_build(content, tmp_path / "second", extra)
    assert code == 0, log
    assert "did not read back in the encoding process" in log, log
    assert "encoding in the build process: 1 analysed, 6 from cache" in log, log
    assert files_of(tmp_path / "second" / INDEX) == files_of(tmp_path / "clean" / INDEX)
    assert db.execute("SELECT data FROM analyses WHERE hash = ?", (hash_,)).fetchone()[0] == good
    db.close()
