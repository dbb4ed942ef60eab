"""plugins.legacy_redirects: old portal URLs land on the new articles (static pages + nginx map)."""

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_build, soup, with_imported_categories
from plugins.legacy_import import import_paths
from plugins.legacy_import.importer import read_metadata
from plugins.legacy_redirects.redirects import normalized_query, old_location
from plugins.vntext import parse_vn_date
from webserver import get, running_nginx

FIXTURES = ROOT / "tests" / "fixtures" / "legacy"
MAP_LINE = re.compile(r"^(/[^\s;{}\"'#\\]*) (/[^\s;{}\"'#\\]*);$")


def new_url_of(md):
    meta = read_metadata(md.read_text(encoding="utf-8"))
    date = parse_vn_date(meta["date"])
    return f"{date:%Y}/{date:%m}/{date:%d}/{meta.get('slug', md.stem)}.html", meta


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("redirects")
    content = base / "content"
    report = import_paths([FIXTURES], content)
    assert not report.failed
    result = run_build(content, base / "output", extra=with_imported_categories(content))
    assert result.returncode == 0, result.log
    articles = []
    for outcome in report.outcomes:
        md = Path(outcome.article)
        url, meta = new_url_of(md)
        articles.append({"md": md, "url": url, "meta": meta})
    return {"output": result.output, "articles": articles, "content": content, "base": base}


def with_url(site):
    return [a for a in site["articles"] if a["meta"].get("original_url")]


def test_every_old_path_has_a_redirect_page_to_the_existing_article(site):
    output = site["output"]
    checked = 0
    for article in with_url(site):
        old = article["meta"]["original_url"]
        assert (output / article["url"]).is_file()
        key, rel, query = old_location(old)
        assert key == urlsplit(old).path + (f"?{urlsplit(old).query}" if query else "")
        page = soup(output / rel)
        if query:
            continue  # a dispatcher page, checked below
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = refresh.split("url=", 1)[1]
        # The refresh target, resolved from the old path, is the new article.
        landed = posixpath.normpath(posixpath.join(posixpath.dirname("/" + rel), target))
        assert landed == "/" + article["url"]
        assert page.find("link", rel="canonical")["href"] == "/" + article["url"]
        link = page.find("a")
        assert link["href"] == target
        assert link.get_text() == read_metadata(article["md"].read_text(encoding="utf-8"))["title"]
        assert "đã chuyển" in page.get_text()
        assert soup(output / article["url"]).find("h1").get_text().strip() == article["meta"]["title"]
        checked += 1
    assert checked >= 6


def test_query_string_urls_share_a_dispatcher_page(site):
    page = (site["output"] / "Default.aspx").read_text(encoding="utf-8")
    parsed = soup(site["output"] / "Default.aspx")
    expected = {a["url"]: a["meta"]["title"] for a in with_url(site)
                if urlsplit(a["meta"]["original_url"]).path == "/Default.aspx"}
    assert len(expected) == 2
    links = {a["href"]: a.get_text() for a in parsed.find_all("a")}
    assert links == expected
    assert '"?tabid=125&ID=5210": "2022/11/14/' in page
    assert f'"{normalized_query("tabid=125&ID=5210")}": "2022/11/14/' in page
    assert parsed.find("meta", attrs={"http-equiv": "refresh"}) is None


def test_redirects_map_lines_parse_and_point_at_articles(site):
    text = (site["output"] / "redirects.map").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("\n") and lines == sorted(lines)
    pairs = []
    for line in lines:
        match = MAP_LINE.match(line)
        assert match, line
        pairs.append(match.groups())
    olds = [o for o, _ in pairs]
    assert len(olds) == len(set(olds)) == len(with_url(site))
    expected = {old_location(a["meta"]["original_url"])[0]: "/" + a["url"] for a in with_url(site)}
    assert dict(pairs) == expected
    for _, new in pairs:
        assert (site["output"] / unquote(new).lstrip("/")).is_file()


def test_redirects_are_deterministic(site, tmp_path):
    again = run_build(site["content"], tmp_path / "again", extra=with_imported_categories(site["content"]))
    assert again.returncode == 0, again.log
    for rel in ["redirects.map", "Default.aspx", "tin-tuc/pho-bien-phap-luat-cho-hoc-sinh-2715.html"]:
        assert (again.output / rel).read_bytes() == (site["output"] / rel).read_bytes()


ARTICLE = """Title: {title}
Date: {date}
Original_URL: {url}

Nội dung bài viết.
"""


def test_old_path_colliding_with_a_new_url_fails_naming_both(make_content, build_site):
    content = make_content({
        "2022/06/bai-moi.md": ARTICLE.format(title="Bài mới", date="22/06/2022", url="http://x.vn/tin/1.html"),
        "2022/06/bai-cu.md": ARTICLE.format(title="Bài cũ", date="23/06/2022",
                                            url="http://vinhyen.vinhphuc.gov.vn/2022/06/22/bai-moi.html"),
    })
    result = build_site(content)
    assert result.returncode != 0
    line = next(ln for ln in result.log.splitlines() if "legacy_redirects" in ln)
    assert "2022/06/bai-cu.md" in line and "2022/06/bai-moi.md" in line and "2022/06/22/bai-moi.html" in line


def test_two_articles_with_one_old_url_fail_naming_both(make_content, build_site):
    url = "http://vinhyen.vinhphuc.gov.vn/Default.aspx?tabid=1&ID=7"
    content = make_content({
        "2022/06/mot.md": ARTICLE.format(title="Một", date="22/06/2022", url=url),
        "2022/06/hai.md": ARTICLE.format(title="Hai", date="23/06/2022", url=url),
    })
    result = build_site(content)
    assert result.returncode != 0
    line = next(ln for ln in result.log.splitlines() if "legacy_redirects" in ln)
    assert "2022/06/mot.md" in line and "2022/06/hai.md" in line


def test_old_home_page_url_is_refused(make_content, build_site):
    content = make_content({"2022/06/trang-chu.md": ARTICLE.format(
        title="Trang chủ cũ", date="22/06/2022", url="http://vinhyen.vinhphuc.gov.vn/")})
    result = build_site(content)
    assert result.returncode != 0
    assert "2022/06/trang-chu.md" in result.log and "home page" in result.log


@pytest.mark.parametrize("url, key, rel", [
    ("http://x.vn/tin-tuc/123/abc.html", "/tin-tuc/123/abc.html", "tin-tuc/123/abc.html"),
    ("http://x.vn/tin-tuc/ct/120/6031", "/tin-tuc/ct/120/6031", "tin-tuc/ct/120/6031/index.html"),
    ("http://x.vn/tin tức/bài;1.html", "/tin%20t%E1%BB%A9c/b%C3%A0i%3B1.html", "tin tức/bài;1.html"),
    ("http://x.vn/a%20b.html", "/a%20b.html", "a b.html"),
])
def test_old_location_mapping(url, key, rel):
    assert old_location(url)[:2] == (key, rel)


@pytest.mark.parametrize("url", ["http://x.vn/../etc/passwd", "ftp://x.vn/a.html", "/a.html", "http://x.vn/?ID=1"])
def test_unsafe_or_unusable_urls_are_refused(url):
    with pytest.raises(ValueError):
        old_location(url)


# --- a real web server (tests/webserver.py) -------------------------------------------------


def nginx_http_block(root, port):
    return f"""    types {{ text/html html htm aspx; text/css css; }}
    # Old URLs are long: the default bucket (one cache line) is too small for them.
    map_hash_bucket_size 512;
    map $request_uri $new_uri {{
        include {root}/redirects.map;
    }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        if ($new_uri) {{
            return 301 $new_uri;
        }}
        location / {{ try_files $uri $uri/ =404; }}
    }}"""


@pytest.fixture
def nginx(site, tmp_path):
    with running_nginx(tmp_path / "nginx", lambda port: nginx_http_block(site["output"], port)) as port:
        yield port


def test_nginx_redirects_old_urls_to_the_articles(site, nginx):
    port = nginx
    for article in with_url(site):
        key = old_location(article["meta"]["original_url"])[0]
        status, location, _ = get(port, key)
        assert status in (301, 302), (key, status)
        target = urlsplit(urljoin(f"http://127.0.0.1:{port}{key}", location))
        assert target.path == "/" + article["url"]
        status, _, body = get(port, target.path)
        assert status == 200, target.path
        page = body.decode("utf-8")
        h1s = BeautifulSoup(page, "html.parser").find_all("h1")
        assert [h.get_text().strip() for h in h1s] == [article["meta"]["title"]], target.path
    # Unknown old URLs are not redirected anywhere.
    assert get(port, "/Default.aspx?tabid=999&ID=1")[0] == 200  # the dispatcher page itself
    assert get(port, "/khong-ton-tai.html")[0] == 404
