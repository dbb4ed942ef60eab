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
    # (processes, SITE_SEARCH_FRESH_PROCESS_DOCS): 0 encodes in a new interpreter, not a fork
    for processes, fresh in ((1, 5000), (2, 5000), (3, 5000), (2, 0)):
        cache = tmp_path / f"cache{processes}-{fresh}"
        out = tmp_path / f"out{processes}-{fresh}"
        code, log = verbose_build(content, out, {"SITE_SEARCH_CACHE_PATH": str(cache),
                                                 "SITE_SEARCH_PROCESSES": processes,
                                                 "SITE_SEARCH_FRESH_PROCESS_DOCS": fresh})
        assert code == 0, log
        assert "serially" not in log and "could not encode in the background" not in log
        mode = "" if processes == 1 else "a new interpreter" if fresh == 0 else "a forked process"
        assert ("encoding in " + mode in log) if mode else ("encoding in " not in log), log
        rows = sqlite3.connect(cache / "analysis.sqlite3").execute("SELECT hash, data FROM analyses ORDER BY hash")
        builds[processes, fresh] = (files_of(out / INDEX), rows.fetchall())
    assert builds[1, 5000] == builds[2, 5000] == builds[3, 5000] == builds[2, 0]
    builds[1] = builds[1, 5000]
    assert len(builds[1][1]) == 90 and len(builds[1][0]) > 20
