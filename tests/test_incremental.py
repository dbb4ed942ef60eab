"""Incremental builds (issue 10): reusing the live site's unchanged pages gives the same bytes.

Every scenario builds real sites in a temporary folder with ``plugins.atomic_publish.publish``
(what ``invoke build`` runs): a full build of the repository's content goes live, one change is
made, then an incremental build (reusing the live pages) and a full build of the changed content
are compared file by file. The incremental build must also really reuse pages (hard links to the
previous build), except where a change must force a full build.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from plugins.atomic_publish import publish

SETTINGS = ROOT / "pelicanconf.py"
STATE = ".state"


def tree(folder):
    """{relative path: sha256} of every file of a build but its incremental state."""
    found = {}
    for dirpath, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not (dirpath == str(folder) and d == STATE))
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                found[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return found


def differences(a, b):
    """Readable list of the files that differ between two tree() maps."""
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    return [f"only in incremental: {p}" for p in only_a] + [f"only in full: {p}" for p in only_b] + [
        f"differs: {p}" for p in changed]


def linked_files(folder):
    """Files of ``folder`` shared (hard-linked) with another build folder."""
    return [p for p in Path(folder).rglob("*") if p.is_file() and p.stat().st_nlink > 1]


def build(content, live, incremental, theme=None):
    extra = {"THEME": str(theme)} if theme else None
    return publish(content, SETTINGS, live, extra=extra, check_links=False, incremental=incremental)


@pytest.fixture
def base_site(tmp_path):
    """A full build of a copy of content/ (and of the theme), live in ``live/``. Each test builds
    its own: sources are known by their path, so a moved content folder changes every page."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "theme", root / "theme")
    build(root / "content", root / "live", incremental=False, theme=root / "theme")
    return root


def _article(content, pattern=""):
    return sorted(p for p in content.rglob("*.md") if "pages" not in p.parts and pattern in p.read_text("utf-8"))


def add_article(root):
    target = root / "content" / "2025" / "03" / "bai-moi-ve-binh-dang-gioi.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "Title: Thành phố Vĩnh Yên hưởng ứng Tháng hành động vì bình đẳng giới\n"
        "Date: 10/03/2025 14:00\nCategory: Tuyên truyền\nTags: bình đẳng giới\n\n"
        "Ủy ban nhân dân thành phố Vĩnh Yên tổ chức lễ phát động Tháng hành động vì bình đẳng giới "
        "và phòng ngừa, ứng phó với bạo lực trên cơ sở giới.\n", encoding="utf-8")


def add_newest_article(root):
    """Breaking news: a day after every published article (a later month would change the
    date picker's "recent months" on every page; a later day must not)."""
    target = root / "content" / "2025" / "03" / "tin-moi-nhat.md"
    target.write_text(
        "Title: Thành phố Vĩnh Yên ra quân làm sạch môi trường\n"
        "Date: 20/03/2025 07:30\nCategory: Tin tức - Sự kiện\n\n"
        "Sáng nay, các phường của thành phố Vĩnh Yên đồng loạt ra quân làm sạch đường phố.\n", encoding="utf-8")


def edit_article(root):
    path = _article(root / "content")[len(_article(root / "content")) // 2]
    path.write_text(path.read_text("utf-8") + "\nĐoạn bổ sung sau khi đăng: thông tin đã được cập nhật.\n",
                    encoding="utf-8")


def delete_article(root):
    _article(root / "content")[1].unlink()


def redate_article(root):
    path = _article(root / "content")[2]
    text = path.read_text("utf-8")
    text, count = re.subn(r"(?m)^Date: *\d\d/\d\d/\d{4}", "Date: 03/01/2023", text, count=1)
    assert count == 1, path
    path.write_text(text, encoding="utf-8")


def change_registry(root):
    registry = root / "content" / "campaigns.toml"
    text = registry.read_text("utf-8")
    text, count = re.subn(r'(?m)^description = "', 'description = "Cập nhật 2025. ', text, count=1)
    assert count == 1
    registry.write_text(text, encoding="utf-8")


def change_template(root):
    template = root / "theme" / "templates" / "article.html"
    text = template.read_text("utf-8")
    assert "</article>" in text
    template.write_text(text.replace("</article>", "<p class=\"ghi-chu\">Bản lưu trữ</p></article>", 1),
                        encoding="utf-8")


SCENARIOS = {
    "add": (add_article, True),
    "add-newest": (add_newest_article, True),
    "edit": (edit_article, True),
    "delete": (delete_article, True),
    "redate": (redate_article, True),
    "campaign-registry": (change_registry, True),
    "template": (change_template, False),  # a template change forces a full build
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_incremental_build_equals_full_build(base_site, tmp_path, scenario):
    change, reuses = SCENARIOS[scenario]
    root = base_site
    before = tree(root / "live")
    change(root)

    result = build(root / "content", root / "live", incremental=True, theme=root / "theme")
    build(root / "content", root / "full", incremental=False, theme=root / "theme")

    incremental, full = tree(root / "live"), tree(root / "full")
    assert incremental == full, "\n".join(differences(incremental, full)[:40])
    assert incremental != before, "the change did not reach the site"
    # The previous site is untouched (it shares the reused files through hard links).
    assert tree(root / "live.prev") == before
    reused = linked_files(root / "live")
    pages = [p for p in full if p.endswith(".html")]
    if reuses:
        # Most pages of a 21-article site show the changed article (listings, neighbours,
        # related lists); a quarter of them is still reused even for a new date.
        assert len([p for p in reused if p.suffix == ".html"]) > len(pages) // 4, (
            f"only {len(reused)} of {len(full)} files reused")
        # The search index is encoded again, but its files whose bytes the live build has are
        # hard-linked from it, .gz copies included (an edit leaves most buckets as they were).
        index = [p for p in reused if "tim-kiem/chi-muc/" in p.as_posix()]
        if scenario == "edit":
            assert any(p.name.endswith(".bin") for p in index), "no index file linked"
            assert any(p.name.endswith(".json.gz") for p in index), "no .gz of an index file linked"
            written = [p for p in full if p.startswith("tim-kiem/chi-muc/") and root / "live" / p not in reused]
            assert written, "the edit changed no index file"
        if scenario == "add-newest":
            # A newer day with news changes no old article page that does not show the new
            # article (in its related list or as a neighbour): the date picker reads the
            # latest day from the days index, not from the page.
            unaffected = [p for p in pages if p.startswith("2022/") and p.count("/") == 3
                          and "tin-moi-nhat" not in (root / "full" / p).read_text("utf-8")]
            assert unaffected, "no 2022 page is independent of the new article"
            kept = [p for p in unaffected if root / "live" / p in reused]
            # Not all: a page's signature also covers attributes of its neighbours (their own
            # related lists), an over-approximation that re-renders a few pages in vain.
            assert len(kept) * 2 > len(unaffected), (kept, unaffected)
    else:
        assert reused == [], "a template change must rebuild every page"
        assert "full build, changed since the base build: theme" in result.stdout + result.stderr


def test_no_change_renders_nothing(base_site, tmp_path):
    """A rebuild of unchanged content renders no page: every page is linked from the live site."""
    root = base_site
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pelican", str(base_site / "content"), "-s", str(SETTINGS), "-o", str(out),
         "-v", "-e", f'INCREMENTAL_BUILD_BASE="{root / "live"}"', f'THEME="{base_site / "theme"}"'],
        capture_output=True, text=True, cwd=ROOT, check=True)
    log = proc.stdout + proc.stderr
    match = re.search(r"incremental_build: (\d+) pages rendered, (\d+) kept", log)
    assert match, log[-2000:]
    assert int(match.group(1)) == 0 and int(match.group(2)) > 50, match.group(0)
    assert tree(out) == tree(root / "live")


def test_full_flag_ignores_the_live_pages(base_site, tmp_path):
    """``incremental=False`` (``invoke build --full``) links nothing from the live site."""
    root = base_site
    build(base_site / "content", root / "live", incremental=False, theme=base_site / "theme")
    assert linked_files(root / "live") == []
    assert tree(root / "live") == tree(root / "live.prev")


def test_incremental_publish_checks_links_and_equals_a_full_publish(tmp_path):
    """``invoke publish`` (production settings, every internal link checked) on a tree that is
    mostly hard links to the live site: it verifies and swaps like a full publish."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    extra = {"SITEURL": "https://vinhyen.example/tin-tuc"}
    settings = ROOT / "publishconf.py"
    publish(content, settings, tmp_path / "public", extra=extra, check_links=True)
    edit_article(tmp_path)
    publish(content, settings, tmp_path / "public", extra=extra, check_links=True, incremental=True)
    publish(content, settings, tmp_path / "full", extra=extra, check_links=True)
    assert tree(tmp_path / "public") == tree(tmp_path / "full")
    assert linked_files(tmp_path / "public")


def test_kept_page_is_never_created_and_keeps_pelicans_write_checks(tmp_path):
    """A kept page gets no file during the build (it is linked at finalized), and Pelican's
    duplicate-write checks still hold for its path: a second write fails, one override passes,
    a second override fails."""
    from pelican.writers import FileOverwriteFailedError

    from plugins.incremental_build.incremental import STATE_KEY, BuildState, IncrementalWriter

    settings = {"INCREMENTAL_BUILD_EXPLAIN": False}
    state = settings[STATE_KEY] = BuildState(settings, str(tmp_path / "base"), {}, {})
    writer = IncrementalWriter(str(tmp_path / "out"), settings=settings)
    kept, other = str(tmp_path / "out" / "kept.html"), str(tmp_path / "out" / "new.html")
    os.makedirs(tmp_path / "out")
    state.kept_paths.add(kept)
    # Creating and removing a file would change its folder's modification time.
    os.utime(tmp_path / "out", ns=(0, 0))
    with writer._open_w(kept, "utf-8") as handle:
        handle.write("<p>page</p>")
    assert os.stat(tmp_path / "out").st_mtime_ns == 0 and not os.path.lexists(kept)
    with writer._open_w(other, "utf-8") as handle:
        handle.write("<p>page</p>")
    assert Path(other).read_text(encoding="utf-8") == "<p>page</p>"
    for path in (kept, other):
        with pytest.raises(FileOverwriteFailedError):
            writer._open_w(path, "utf-8")
        writer._open_w(path, "utf-8", override=True).close()
        with pytest.raises(FileOverwriteFailedError):
            writer._open_w(path, "utf-8", override=True)
    assert not os.path.lexists(kept)


def test_kept_pages_are_linked_into_missing_folders_and_never_over_a_written_file(tmp_path):
    from plugins.incremental_build.incremental import _link  # noqa: PLC0415

    base, output = tmp_path / "base", tmp_path / "output"
    (base / "2022" / "06").mkdir(parents=True)
    (base / "2022" / "06" / "bai.html").write_text("cũ", encoding="utf-8")
    (base / "index.html").write_text("cũ", encoding="utf-8")
    (output).mkdir()
    (output / "index.html").write_text("mới", encoding="utf-8")
    assert _link(str(base), str(output), "2022/06/bai.html") == 1  # its folders made
    assert os.path.samefile(base / "2022" / "06" / "bai.html", output / "2022" / "06" / "bai.html")
    assert _link(str(base), str(output), "2022/06/bai.html") == 0
    assert _link(str(base), str(output), "index.html") == 0  # rendered this build: left alone
    assert (output / "index.html").read_text(encoding="utf-8") == "mới"
    with pytest.raises(FileNotFoundError):
        _link(str(base), str(output), "2023/01/khong-co.html")


OVERVIEWS = ("chuyen-muc/index.html", "the/index.html", "tac-gia/index.html")


def _overview_counts(live, page):
    soup = BeautifulSoup((live / page).read_text("utf-8"), "html.parser")
    return {item.a.get_text(): item.get_text() for item in soup.select(".term-list li")}


def test_the_term_overviews_depend_on_counts_not_on_every_article(tmp_path):
    """The categories, tags and authors pages list each term with its number of articles
    (``term_counts``), not its article list: a new title of one article (a new URL, which the
    term's article list counts) keeps all three, and a new article in a category renders them
    again with the new count."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "content", root / "content")
    live = root / "live"
    build(root / "content", live, incremental=False)
    before = {page: _overview_counts(live, page) for page in OVERVIEWS}
    assert all(before.values()), before
    source = ROOT / "content/2023/11/thanh-pho-vinh-yen-huong-ung-ngay-phap-luat-viet-nam-nam-2023.md"
    edited = root / "content" / source.relative_to(ROOT / "content")
    text = edited.read_text("utf-8")
    retitled, count = re.subn(r"(?m)^Title: *(.+)$", r"Title: \1 (cập nhật)", text, count=1)
    assert count == 1
    edited.write_text(retitled, encoding="utf-8")

    build(root / "content", live, incremental=True)
    reused = {p.relative_to(live).as_posix() for p in linked_files(live)}
    assert set(OVERVIEWS) <= reused, sorted(set(OVERVIEWS) - reused)
    assert {page: _overview_counts(live, page) for page in OVERVIEWS} == before

    category = re.search(r"(?m)^Category: *(.+)$", text).group(1).strip()
    added = root / "content/2024/01/bai-moi-ve-chuyen-muc.md"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text(f"Title: Bài mới về chuyên mục\nDate: 05/01/2024 08:00\nCategory: {category}\n\n"
                     "Nội dung bài mới.\n", encoding="utf-8")
    build(root / "content", live, incremental=True)
    reused = {p.relative_to(live).as_posix() for p in linked_files(live)}
    assert "chuyen-muc/index.html" not in reused
    after = _overview_counts(live, "chuyen-muc/index.html")
    assert _count(after[category]) == _count(before["chuyen-muc/index.html"][category]) + 1
    assert {term: label for term, label in after.items() if term != category} == {
        term: label for term, label in before["chuyen-muc/index.html"].items() if term != category}
    build(root / "content", live, incremental=False)
    assert _overview_counts(live, "chuyen-muc/index.html") == after


def _count(label):
    return int(re.search(r"\((\d+)\)\s*$", label).group(1))


def test_an_edit_renders_only_the_home_pages_that_list_the_article(tmp_path):
    """The listing templates read their own page of articles, not the whole list: a new
    Summary (shown in listings) of the oldest article renders again the one home page that
    lists it and keeps the others (a template naming ``articles`` had every page's signature
    digest every article, so any edit rendered every home page again). Its title is kept: a
    new title is a new URL, which every page of the paginator counts."""
    root = tmp_path / "site"
    shutil.copytree(ROOT / "content", root / "content")
    live = root / "live"
    extra = {"DEFAULT_PAGINATION": 3}
    publish(root / "content", SETTINGS, live, extra=extra, check_links=False, incremental=False)
    numbers = sorted(int(p.parent.name) for p in (live / "trang").glob("*/index.html"))
    pages = ["index.html"] + [f"trang/{n}/index.html" for n in numbers]
    assert len(pages) >= 4, pages
    last = BeautifulSoup((live / pages[-1]).read_text("utf-8"), "html.parser")
    link = last.select(".article-item-title a")[-1]
    slug = link["href"].rsplit("/", 1)[-1].removesuffix(".html")
    sources = [p for p in (root / "content").rglob(f"{slug}.md")]
    assert len(sources) == 1, (slug, sources)
    text = sources[0].read_text("utf-8")
    text, count = re.subn(r"(?m)^Summary: *(.+)$", r"Summary: \1 (đã cập nhật)", text, count=1)
    assert count == 1
    sources[0].write_text(text, encoding="utf-8")

    publish(root / "content", SETTINGS, live, extra=extra, check_links=False, incremental=True)
    reused = {p.relative_to(live).as_posix() for p in linked_files(live)}
    showing = [p for p in pages if "(đã cập nhật)" in (live / p).read_text("utf-8")]
    assert showing == [pages[-1]], showing
    assert pages[-1] not in reused
    assert set(pages[:-1]) <= reused, sorted(set(pages[:-1]) - reused)
