"""The reader's portal theme on real builds: page head (canonical, OpenGraph, JSON-LD),
article content rules (no default author, the sapo, Source), plain-text listings, the 404
page, local fonts, and markup a CSP without 'unsafe-inline' allows. Browser checks are in
tests/test_accessibility.py."""

import json
import random
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import ROOT, SITES, run_build, soup
from plugins.portal_theme.lead import _comparable, body_begins_with, plain_text
from plugins.portal_theme.structured_data import public_url, script_text

PUBLIC = "https://vinhyen.example/tin-tuc"
WITH_LEAD = "2023/05/12/hoi-nghi-tong-ket-cong-tac-thong-tin-co-so-nam-2022.html"
NO_AUTHOR = "2023/05/10/thong-bao-lich-tiep-cong-dan-thang-52023.html"
HTML_SUMMARY = "2023/05/08/tap-huan-ky-nang-so-cho-can-bo-phuong.html"
PORTAL = "Cổng thông tin điện tử thành phố Vĩnh Yên"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The theme scenario built as production is: absolute SITEURL, no relative URLs."""
    output = tmp_path_factory.mktemp("theme") / "output"
    result = run_build(SITES / "theme" / "content", output,
                       extra={"SITEURL": PUBLIC, "RELATIVE_URLS": False, "FEED_DOMAIN": PUBLIC})
    assert result.returncode == 0, result.log
    return result


def html_pages(output):
    return sorted(p for p in Path(output).rglob("*.html") if "theme" not in p.relative_to(output).parts)


def json_ld(page):
    scripts = page.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


# --- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("lead, body, expected", [
    ("Sáng 5/6, UBND phường tổ chức hội nghị.", "<p>Sáng 5/6, UBND phường tổ chức hội nghị. Tham dự…</p>", True),
    ("Sáng 5/6, UBND phường tổ chức hội nghị...", "<p>Sáng 5/6, <b>UBND</b>  phường tổ chức hội nghị, tham dự</p>", True),
    ("SÁNG 5/6, UBND PHƯỜNG", "<p>Sáng 5/6, UBND phường</p>", True),
    ("Sáng 5/6, UBND phường tổ chức hội nghị.", "<p>Chiều 5/6, UBND phường tổ chức hội nghị.</p>", False),
    ("Một câu tóm tắt khác hẳn.", "<p>Nội dung.</p>", False),
    ("Hội nghị &amp; tập huấn", "<p>Hội nghị &amp; tập huấn cán bộ</p>", True),
    # Decomposed (NFD) text in the body still matches the NFC lead.
    ("Phường Đống Đa", "<p>Phu\u031bo\u031b\u0300ng \u0110o\u0302\u0301ng \u0110a</p>", True),
])
def test_body_begins_with(lead, body, expected):
    assert body_begins_with(lead, body) is expected


def test_body_begins_with_reads_only_the_start_of_a_long_body():
    body = "<p>Đầu bài.</p>" + "<p>" + "chữ " * 200_000 + "</p>"
    assert body_begins_with("Đầu bài.", body)
    assert not body_begins_with("chữ chữ", body)


def _begins_with_whole_head(lead, body):
    """body_begins_with as it was before its short first try: the whole head, converted once."""
    wanted = _comparable(plain_text(lead))
    return not wanted or _comparable(plain_text(body[: 4 * len(lead) + 2000])).startswith(wanted)


def test_body_begins_with_answers_as_the_whole_head_does():
    """The short first try must never change an answer: random leads and bodies built from
    the pieces that matter at a cut (tags, entities, spaces, trailing marks, NFD accents,
    heavy markup before the text) are compared with the whole-head computation."""
    rng = random.Random(2022)
    words = ["UBND", "thành", "phố", "Vĩnh", "Yên", "ban", "hành", "kế", "hoạch", "Phu\u031bo\u031b\u0300ng",
             "&amp;", "&nbsp;", "A&B", "“bình", "đẳng”", "giới.", "…", "-", "&lt;b&gt;"]
    markup = ["<p>", "</p>", "<b>", "</b>", " ", "\n", '<img src="/anh/' + "x" * 300 + '.jpg" alt="">',
              '<a href="https://vinhyen.vinhphuc.gov.vn/tin-tuc">', "</a>", "<br>", "&#7871;"]
    checked = {True: 0, False: 0}
    for _ in range(3000):
        lead = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12))) + rng.choice(["", ".", " …", "!"])
        parts = [rng.choice(markup) for _ in range(rng.randint(0, 6))]
        follow = lead if rng.random() < 0.6 else " ".join(rng.choice(words) for _ in range(8))
        for word in follow.split(" "):
            parts.append(word)
            parts.append(rng.choice(markup) if rng.random() < 0.3 else " ")
        parts += [rng.choice(words + markup) for _ in range(rng.randint(0, 80))]
        body = "".join(parts)
        expected = _begins_with_whole_head(lead, body)
        assert body_begins_with(lead, body) is expected, (lead, body)
        checked[expected] += 1
    assert min(checked.values()) > 300  # both answers were exercised


def test_plain_text_and_public_url():
    assert plain_text("<p>A&nbsp;<b>B</b></p>\n<p>C</p>") == "A B C"
    assert public_url(PUBLIC, "2022/06/22/a.html") == PUBLIC + "/2022/06/22/a.html"
    assert public_url(PUBLIC + "/", "index.html") == PUBLIC + "/"
    assert public_url("", "the/x/index.html") == "/the/x/"


def test_json_ld_text_cannot_close_its_script_element():
    text = script_text({"headline": "</script><script>alert(1)</script> & co"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & co"


# --- the page head ------------------------------------------------------------------------------


def test_canonical_and_opengraph_on_every_page(site):
    for path in html_pages(site.output):
        page = soup(path)
        relative = path.relative_to(site.output).as_posix()
        if relative == "404.html":
            assert page.find("link", rel="canonical") is None
            assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
            continue
        expected = PUBLIC + "/" + re.sub(r"index\.html$", "", relative)
        assert page.find("link", rel="canonical")["href"] == expected, relative
        og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
        assert og["og:url"] == expected
        assert og["og:locale"] == "vi_VN"
        assert og["og:site_name"] == "Tin tức - Tuyên truyền thành phố Vĩnh Yên"
        assert og["og:title"] and og["og:description"], relative
        assert page.find("meta", attrs={"name": "description"})["content"]


def test_article_opengraph_and_json_ld(site):
    page = site.page(WITH_LEAD)
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:type"] == "article"
    assert og["og:title"] == "Hội nghị tổng kết công tác thông tin cơ sở năm 2022"
    assert og["og:description"] == "Sáng 12/5, thành phố tổng kết công tác thông tin cơ sở và đề ra nhiệm vụ năm 2023."
    assert og["article:published_time"] == "2023-05-12T08:30:00+07:00"
    assert og["article:modified_time"] == "2023-05-13T16:05:00+07:00"
    assert og["article:section"] == "Tin tức - Sự kiện"
    data = json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == page.find("h1").get_text()
    assert data["datePublished"] == "2023-05-12T08:30:00+07:00"
    assert data["dateModified"] == "2023-05-13T16:05:00+07:00"
    assert data["inLanguage"] == "vi"
    assert data["author"] == {"@type": "Person", "name": "Minh Anh"}
    assert data["publisher"] == {"@type": "Organization", "name": PORTAL, "url": PUBLIC + "/"}
    assert data["url"] == data["mainEntityOfPage"]["@id"] == PUBLIC + "/" + WITH_LEAD
    assert data["keywords"] == ["thông tin cơ sở", "hội nghị"]


def test_json_ld_keeps_markup_in_a_summary_as_text(site):
    page = site.page(HTML_SUMMARY)
    raw = page.select_one('script[type="application/ld+json"]').string
    assert "</script" not in raw.lower() and "<b>" not in raw
    assert json_ld(page)["description"] == "Cán bộ được hướng dẫn <b>chữ ký số</b> & <script>alert(1)</script> dịch vụ công."


# --- article content rules ----------------------------------------------------------------------


def test_article_without_author_has_no_byline_and_no_portal_author_page(site):
    page = site.page(NO_AUTHOR)
    assert page.select_one(".byline") is None and page.select_one(".article-signature") is None
    assert PORTAL not in page.select_one("article").get_text()
    assert json_ld(page)["author"] == {"@type": "Organization", "name": PORTAL, "url": PUBLIC + "/"}
    assert not (site.output / "tac-gia" / "cong-thong-tin-dien-tu-thanh-pho-vinh-yen").exists()
    authors = [a.get_text() for a in site.page("tac-gia/").select("main .term-list a")]
    assert authors == ["Minh Anh", "Quang Huy", "Thu Hà"]
    # Pelican's AUTHOR still names the publisher in the feeds.
    feed = (site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "Minh Anh" in feed


def test_article_with_author_and_source(site):
    page = site.page(WITH_LEAD)
    byline = page.select_one(".article-meta .byline")
    assert byline.get_text() == "Minh Anh" and byline["href"] == PUBLIC + "/tac-gia/minh-anh/"
    assert page.select_one(".article-source").get_text() == "Nguồn: Báo Dân trí"
    assert page.select_one(".article-meta time.published").get_text() == "08:30, Thứ Sáu, 12/05/2023"
    assert "Cập nhật: 16:05, Thứ Bảy, 13/05/2023" in page.select_one(".article-meta .updated").get_text()
    crumbs = [a.get_text() for a in page.select("nav.breadcrumbs a")]
    assert crumbs == ["Trang chủ", "Tin tức - Sự kiện"]
    assert len(page.find_all("h1")) == 1


def test_the_sapo_shows_unless_the_body_begins_with_it(site):
    lead = site.page(WITH_LEAD).select_one(".article-lead")
    assert lead.get_text() == "Sáng 12/5, thành phố tổng kết công tác thông tin cơ sở và đề ra nhiệm vụ năm 2023."
    # Its Summary repeats the first sentence (ending "..." instead of "."): shown once, in the body.
    assert site.page(NO_AUTHOR).select_one(".article-lead") is None
    # A Summary with markup is shown as text.
    lead = site.page(HTML_SUMMARY).select_one(".article-lead")
    assert lead.find("b") is None and lead.find("script") is None
    assert "<b>chữ ký số</b> & <script>" in lead.get_text()


def test_sample_seed_article_body_begins_with_its_summary(sample_site):
    page = soup(sample_site / "2022/06/22/ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022.html")
    assert page.select_one(".article-lead") is None
    assert page.select_one(".article-source").get_text() == "Nguồn: Cổng thông tin điện tử thành phố Vĩnh Yên"


def test_article_tools_print_text_size_and_share_without_third_party_script(site):
    page = site.page(WITH_LEAD)
    tools = page.select_one(".article-tools")
    assert tools.select_one("[data-print]").get_text() == "In bài viết"
    assert [b.get_text() for b in tools.select("[data-text-size]")] == ["A-", "A", "A+"]
    # Buttons need the script: hidden until site.js shows them.
    assert all(group.has_attr("hidden") for group in tools.select("[data-js-only]"))
    share = [a["href"] for a in tools.select("a.share-link")]
    facebook = urlsplit(share[0])
    assert (facebook.netloc, facebook.path) == ("www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(facebook.query)["u"] == [PUBLIC + "/" + WITH_LEAD]
    assert share[2].startswith("mailto:?subject=")
    assert all(s["src"].startswith(PUBLIC + "/theme/js/") for s in page.select("script[src]"))


# --- listings, menu, 404 --------------------------------------------------------------------------


def test_listing_summaries_are_plain_text(site):
    for listing in ("index.html", "2023/05/index.html", "chuyen-muc/giao-duc-y-te/index.html",
                    "tac-gia/thu-ha/index.html", "the/hoi-nghi/index.html"):
        page = site.page(listing)
        summaries = page.select(".article-item-summary, .lead-story-summary")
        assert summaries, listing
        for summary in summaries:
            assert summary.name == "p" and not summary.find(True), listing  # no element inside
    index = site.page("index.html")
    texts = [s.get_text() for s in index.select(".article-item-summary")]
    assert "Cán bộ được hướng dẫn <b>chữ ký số</b> & <script>alert(1)</script> dịch vụ công." in texts
    # Pelican's own summary of a body with **bold** and a link: text only.
    assert "Sáng 7/5, hàng trăm đoàn viên thanh niên ra quân dọn vệ sinh môi trường tại các tuyến phố chính." in texts
    assert index.select_one(".lead-story-title a").get_text() == "Hội nghị tổng kết công tác thông tin cơ sở năm 2022"


def test_menu_by_category_and_current_page(site):
    page = site.page("chuyen-muc/giao-duc-y-te/")
    nav = page.select_one('nav.site-nav[aria-label="Chuyên mục"]')
    labels = [a.get_text() for a in nav.select("a")]
    assert labels == ["Trang chủ", "Giáo dục - Y tế", "Kinh tế - Đô thị", "Tin tức - Sự kiện", "Chiến dịch", "Lưu trữ"]
    assert nav.select_one("a[aria-current=page]").get_text() == "Giáo dục - Y tế"
    assert site.page("index.html").select_one("nav.site-nav a[aria-current=page]").get_text() == "Trang chủ"


def test_vietnamese_404_page(site):
    page = site.page("404.html")
    assert page.html["lang"] == "vi"
    assert page.find("h1").get_text() == "Không tìm thấy trang"
    assert page.title.get_text().startswith("Không tìm thấy trang")
    # Served for any missing address: links are absolute in production.
    assert all(a["href"].startswith((PUBLIC + "/", "https://", "mailto:")) for a in page.select("a[href]")
               if not a["href"].startswith("#"))
    assert len(page.select(".article-list .article-item")) == 4


def test_listings_stay_paginated_and_404_lists_the_latest(tmp_path, site):
    """The listing templates read only ``articles_page``: with PAGINATED_TEMPLATES emptied and
    DEFAULT_PAGINATION off, portal_theme keeps them paginated, one page holding every article;
    the 404 lists the PORTAL_LATEST_ARTICLES newest, in the home page's order."""
    result = run_build(SITES / "theme" / "content", tmp_path / "out",
                       extra={"PAGINATED_TEMPLATES": {}, "DEFAULT_PAGINATION": False, "PORTAL_LATEST_ARTICLES": 2})
    assert result.returncode == 0, result.log
    articles = sorted(p.relative_to(result.output).as_posix()
                      for p in result.output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*.html")
                      if p.name != "index.html")
    assert len(articles) >= 4

    def listed(page):
        # the article's yyyy/mm/dd/slug.html, whatever the page's SITEURL
        return ["/".join(a["href"].split("/")[-4:]) for a in page.select(".lead-story-title a, .article-item-title a")]

    index = listed(result.page("index.html"))
    assert sorted(index) == articles
    assert not list(result.output.rglob("trang/2/index.html"))  # one page per listing
    category = result.page("chuyen-muc/giao-duc-y-te/")
    assert category.select(".article-item") and category.select_one("nav.pagination") is None
    assert listed(result.page("404.html")) == index[:2]
    # The default settings' site lists the same newest articles on its 404 (five at most).
    assert listed(site.page("404.html")) == listed(site.page("index.html"))[:5]


def theme_with_search_page(tmp_path):
    """The theme plus a minimal search.html (the search feature brings the real one)."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / "search.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Tìm kiếm</h1>{% endblock %}', encoding="utf-8")
    return theme


def test_search_box_in_every_header_when_the_theme_has_a_search_page(tmp_path, site):
    if (ROOT / "theme" / "templates" / "search.html").exists():
        theme = ROOT / "theme"
    else:
        # Without a search page the box would be a broken link on every page.
        assert site.page("index.html").select_one("form[role=search]") is None
        theme = theme_with_search_page(tmp_path)
    result = run_build(SITES / "theme" / "content", tmp_path / "output", extra={"THEME": str(theme)})
    assert result.returncode == 0, result.log
    for path in html_pages(result.output):
        form = soup(path).select_one("header form[role=search]")
        assert form is not None, path
        assert form["method"] == "get" and form["action"].endswith("tim-kiem/")
        field = form.select_one("input[name=q]")
        assert form.select_one(f'label[for="{field["id"]}"]').get_text() == "Tìm kiếm tin bài"


# --- CSP-safe markup, local assets ------------------------------------------------------------------

EXECUTABLE_TYPES = ("", "text/javascript", "module", "application/javascript")


@pytest.mark.parametrize("which", ["theme", "sample"])
def test_markup_a_strict_csp_allows(which, site, sample_site):
    output = site.output if which == "theme" else sample_site
    pages = html_pages(output)
    assert len(pages) > 10
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = soup(path)
        where = path.relative_to(output)
        assert page.find(style=True) is None, where
        assert page.find("style") is None, where
        for tag in page.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, (where, tag.name, handlers)
            for name in ("href", "src", "action"):
                assert not str(tag.get(name, "")).lower().startswith("javascript:"), where
        for script in page.find_all("script"):
            if script.get("type", "").lower() in EXECUTABLE_TYPES:
                assert script.get("src") and not script.get_text(strip=True), (where, script)
        # Nothing the browser fetches comes from elsewhere (links to other sites are fine).
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                          ("source", "src"), ("video", "src"), ("audio", "src")):
            for node in page.find_all(tag):
                if tag == "link" and set(node.get("rel", [])) & {"canonical", "alternate"}:
                    continue
                url = node.get(attr)
                if url:
                    assert not re.match(r"(https?:)?//", url) or url.startswith(PUBLIC + "/"), (where, url)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, where


def test_fonts_are_local_vietnamese_and_latin_with_swap():
    css = (ROOT / "theme/static/css/site.css").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face\s*{([^}]*)}", css)
    assert len(faces) == 4
    for face in faces:
        assert "font-display: swap" in face
        url = re.search(r"url\(([^)]+)\)", face).group(1)
        assert (ROOT / "theme/static/css" / url).resolve().is_file(), url
        assert not url.startswith(("http", "//"))
    fonts = sorted(p.name for p in (ROOT / "theme/static/fonts").glob("*.woff2"))
    assert fonts == [f"be-vietnam-pro-{subset}-{weight}-normal.woff2"
                     for subset in ("latin", "vietnamese") for weight in (400, 700)]
    assert "SIL Open Font License" in (ROOT / "theme/static/fonts/OFL.txt").read_text(encoding="utf-8")
    assert "@media print" in css


def test_print_stylesheet_hides_chrome_and_shows_the_address(site):
    css = (ROOT / "theme/static/css/site.css").read_text(encoding="utf-8")
    printing = css[css.index("@media print"):]
    for selector in (".site-header", ".site-sidebar", ".site-footer", ".article-tools"):
        assert selector in printing.split("display: none")[0]
    assert 'content: " (" attr(href) ")"' in printing
    address = site.page(WITH_LEAD).select_one(".print-only.print-address").get_text()
    assert address == f"Tin tức - Tuyên truyền thành phố Vĩnh Yên — Địa chỉ bài viết: {PUBLIC}/{WITH_LEAD} · Đăng ngày 12/05/2023, cập nhật ngày 13/05/2023"
