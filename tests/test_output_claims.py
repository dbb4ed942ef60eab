"""Every output file has one owner (issue 11, item 2): a second claim fails the build naming both."""

import re

import pytest

from plugins.build_guard.guard import derived_claims, find_conflicts

ARTICLE = "Title: {title}\nDate: 22/06/2022\nCategory: Tin tức - Sự kiện\n{extra}\nNội dung bài viết.\n"


def article(title, extra=""):
    return ARTICLE.format(title=title, extra=extra)


# (metadata line of the hostile article, output path it would take, words naming the other owner)
HOSTILE = [
    ("Original_URL: http://old.example/feeds/all.atom.xml", "feeds/all.atom.xml", "feed"),
    ("Original_URL: http://old.example/feeds/all.rss.xml", "feeds/all.rss.xml", "feed"),
    ("Original_URL: http://old.example/feeds/chuyen-muc/tin-tuc-su-kien.atom.xml",
     "feeds/chuyen-muc/tin-tuc-su-kien.atom.xml", "feed"),
    ("Original_URL: http://old.example/theme/js/date-picker.js", "theme/js/date-picker.js", "theme"),
    ("Original_URL: http://old.example/luu-tru/days.json", "luu-tru/days.json", "days"),
    ("Original_URL: http://old.example/trang/2/", "trang/2/index.html", "index listing, page 2"),
    ("Original_URL: http://old.example/feeds/all.atom.xml/cu.html", "feeds/all.atom.xml", "feed"),
    # The search index's folder is claimed whole (its file names are known only once encoded).
    ("Original_URL: http://old.example/tim-kiem/chi-muc/index.json", "tim-kiem/chi-muc", "search index"),
    ("Save_as: feeds/all.atom.xml", "feeds/all.atom.xml", "feed"),
    ("Save_as: theme/js/date-picker.js", "theme/js/date-picker.js", "theme"),
    ("Save_as: theme/css/site.css", "theme/css/site.css", "theme"),
    ("Save_as: luu-tru/days.json", "luu-tru/days.json", "days"),
    ("Save_as: redirects.map", "redirects.map", "redirects map"),
    ("Save_as: trang/2/index.html", "trang/2/index.html", "index listing, page 2"),
    ("Save_as: images/anh.png", "images/anh.png", "images/anh.png"),
]


@pytest.mark.parametrize("line, path, other", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_second_claim_fails_the_build_naming_both(build_site, make_content, line, path, other):
    content = make_content({
        "2022/06/ke-xau.md": article("Bài chiếm chỗ", line),
        "2022/06/mot.md": article("Bài một"),
        "2022/06/hai.md": article("Bài hai"),
        "2022/06/ba.md": article("Bài ba", "Original_URL: http://old.example/tin-tuc/1.html"),
        "images/anh.png": b"\x89PNG\r\n\x1a\n",
    })
    # One article per index page, so the home page has a page 2 (trang/2/).
    result = build_site(content, extra={"DEFAULT_PAGINATION": 1})
    log = " ".join(result.log.split())
    assert result.returncode != 0, log
    assert "2022/06/ke-xau.md" in log, log
    if line.startswith("Save_as"):
        # The content rules refuse the key itself (editors never choose output paths), naming
        # the file, its line and the key: the article then claims nothing.
        assert re.search(r"ke-xau\.md:\d+: error: 'Save_as:' is not allowed.*\[forbidden-key\]", log), log
    else:
        # Both owners are named.
        assert path in log and other in log, log
    assert "Traceback" not in log
    # Nothing the hostile article claimed was overwritten (the build failed before writing or
    # wrote the rightful owner; a failed build is never swapped in anyway).
    target = result.output / path
    if target.is_file():
        assert "Bài chiếm chỗ" not in target.read_text(encoding="utf-8", errors="replace")


def test_the_rightful_files_are_all_claimed(build_site, make_content):
    """A clean build: every file written is one that some owner claimed (nothing unclaimed)."""
    content = make_content({
        "2022/06/mot.md": article("Bài một", "Original_URL: http://old.example/tin-tuc/1.html"),
        "2022/06/hai.md": article("Bài hai"),
        "images/anh.png": b"\x89PNG\r\n\x1a\n",
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\nTrang.\n",
    })
    report = content.parent / "claims.json"
    result = build_site(content, extra={"DEFAULT_PAGINATION": 1, "BUILD_GUARD_CLAIMS_REPORT": str(report)})
    assert result.returncode == 0, result.log
    import json

    claimed = set(json.loads(report.read_text(encoding="utf-8")))
    written = {p.relative_to(result.output).as_posix() for p in result.output.rglob("*") if p.is_file()}
    assert written - claimed == {p for p in written if p.startswith("tim-kiem/chi-muc/")}  # a folder claim
    assert "tim-kiem/chi-muc" in claimed
    assert {"feeds/all.atom.xml", "theme/js/date-picker.js", "trang/2/index.html", "redirects.map",
            "luu-tru/days.json", "images/anh.png", "tin-tuc/1.html"} <= claimed


@pytest.mark.parametrize("claims, expected", [
    ([("a.html", "x"), ("a.html", "y")], {"a.html": ["x", "y"]}),
    ([("a/./b.html", "x"), ("a/b.html", "y")], {"a/b.html": ["x", "y"]}),
    ([("feeds/all.atom.xml", "the feed"), ("feeds/all.atom.xml/index.html", "z.md")],
     {"feeds/all.atom.xml": ["the feed", "z.md (as a folder)"]}),
    ([("a.html", "x"), ("b.html", "y"), ("a.html", "x")], {}),
])
def test_find_conflicts(claims, expected):
    assert find_conflicts(claims) == expected


def test_derived_claims_name_their_file_once_and_only_for_the_rule_extensions():
    claims = [("a.html", "x.md"), ("a.html", "y.md"), ("B.CSS", "theme"), ("c.png", "z"), ("", "draft"),
              ("tim-kiem/chi-muc", "folder")]
    derived = derived_claims(claims, [(".gz", (".html", ".css"), "the gzip copy of")])
    assert derived == [("B.CSS.gz", "the gzip copy of B.CSS"), ("a.html.gz", "the gzip copy of a.html")]
    # a file named like a copy conflicts with the copy, naming both
    assert find_conflicts(claims + [("a.html.gz", "static/a.html.gz")] + derived)["a.html.gz"] == [
        "static/a.html.gz", "the gzip copy of a.html"]
    assert derived_claims(claims, []) == []


def test_a_derived_rule_also_covers_its_extra_paths_claimed_or_not():
    """The fourth item of a rule (precompress: the theme's files) adds paths nothing claims;
    one that is claimed as well still gets one copy."""
    claims = [("a.html", "x.md"), ("theme/site.css", "the theme file static/site.css")]
    rule = (".gz", (".html", ".css"), "the gzip copy of", ("theme/site.css", "theme/extra.css", "theme/logo.png"))
    assert derived_claims(claims, [rule]) == [
        ("a.html.gz", "the gzip copy of a.html"), ("theme/extra.css.gz", "the gzip copy of theme/extra.css"),
        ("theme/site.css.gz", "the gzip copy of theme/site.css")]


def test_the_sample_site_writes_exactly_what_is_claimed(build_site, tmp_path):
    """The repository's content, one article per listing page (campaign, day, tag... pages 2+):
    the files written and the files claimed are the same set."""
    import json

    from conftest import ROOT

    report = tmp_path / "claims.json"
    result = build_site(ROOT / "content", extra={"DEFAULT_PAGINATION": 1, "BUILD_GUARD_CLAIMS_REPORT": str(report)})
    assert result.returncode == 0, result.log
    claimed = set(json.loads(report.read_text(encoding="utf-8")))
    written = {p.relative_to(result.output).as_posix() for p in result.output.rglob("*") if p.is_file()}
    # A folder is claimed whole by one owner (the search index, whose file names carry content
    # hashes known only once it is encoded): what is inside it is that owner's.
    folders = {c for c in claimed if (result.output / c).is_dir()}
    assert folders == {"tim-kiem/chi-muc"}
    inside = {p for p in written if any(p.startswith(f"{folder}/") for folder in folders)}
    assert "tim-kiem/chi-muc/index.json" in inside
    written -= inside
    assert written == claimed - folders, (sorted(written - claimed)[:10], sorted(claimed - written)[:10])
    assert any("/chien-dich/" in f"/{p}" and "/trang/2/" in p for p in written)
