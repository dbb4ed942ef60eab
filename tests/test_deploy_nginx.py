"""deploy/nginx.conf in a real nginx over a published production build.

The build is made by ``plugins.atomic_publish.publish`` with publishconf.py (SITEURL pointed
at the test server's /tin-tuc), from the repository's content plus the legacy fixtures (so
old URLs exist). nginx runs deploy/nginx.conf itself, with only the listen address, the
published folder and the log folder replaced. Checked: every internal link reachable from
the home page answers 2xx; the security and cache headers; gzip_static sends the build's
own .gz bytes; the 404 page; the legacy 301; no CSP violation in headless Chromium on each
page type.
"""

import gzip
import re
import shutil
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from benchmarks.browser import CHROMIUM, launch
from conftest import ROOT, with_imported_categories
from plugins.asset_urls.fingerprint import CSS_URL, AssetFiles
from plugins.atomic_publish import publish
from plugins.legacy_import import import_paths
from webserver import MIME_TYPES, fetch, free_port, get, require_nginx, running_nginx

DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
PUBLISHED = "/srv/vinhyen/public"
PREFIX = "/tin-tuc"
LINKS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
         ("form", "action"))


def deploy_config(root, port, logs):
    """deploy/nginx.conf with only the address, the published folder and the logs replaced."""
    text = DEPLOY_CONF.read_text(encoding="utf-8")
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"), (PUBLISHED, str(root)),
                     ("/var/log/nginx/", f"{logs}/")):
        assert old in text, f"deploy/nginx.conf no longer contains {old!r}"
        text = text.replace(old, new)
    return f"    include {MIME_TYPES};\n{text}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_nginx()
    base = tmp_path_factory.mktemp("deploy")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    report = import_paths([ROOT / "tests" / "fixtures" / "legacy"], content)
    assert not report.failed
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}{PREFIX}"
    result = publish(content, ROOT / "publishconf.py", base / "public",
                     extra={"SITEURL": siteurl, "FEED_DOMAIN": siteurl, **with_imported_categories(content)},
                     log=lambda message: None)
    root = Path(result.live)
    with running_nginx(base / "nginx", lambda p: deploy_config(root, p, base / "nginx"), port=port):
        yield {"port": port, "root": root, "siteurl": siteurl, "origin": f"http://127.0.0.1:{port}"}


def links_of(html, page_url):
    page = BeautifulSoup(html, "html.parser")
    for tag, attr in LINKS:
        for element in page.find_all(tag):
            value = element.get(attr)
            if value:
                yield urldefrag(urljoin(page_url, value.strip())).url


def crawl(server):
    """{url: status} of every internal URL reachable from the home page."""
    origin = server["origin"]
    seen, queue, statuses = set(), deque([f"{server['siteurl']}/"]), {}
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response, body = fetch(server["port"], target)
        statuses[url] = response.status
        kind = response.getheader("Content-Type", "") if response.status == 200 else ""
        found = []
        if kind.startswith("text/html"):
            found = links_of(body.decode("utf-8"), url)
        elif kind.startswith("text/css"):  # fonts and images of the stylesheets
            found = (urljoin(url, ref) for _, ref in CSS_URL.findall(body.decode("utf-8")))
        queue.extend(link for link in found if link.startswith(origin + "/") and link not in seen)
    return statuses


def test_every_internal_link_from_the_home_page_answers_2xx(server):
    statuses = crawl(server)
    bad = {url: status for url, status in statuses.items() if not 200 <= status < 300}
    assert bad == {}
    pages = [u for u in statuses if u.endswith((".html", "/"))]
    assert len(pages) > 100, len(pages)  # the whole sample site, not just the home page
    assert any("/theme/css/" in u for u in statuses)


def test_every_sitemap_location_is_served(server):
    sitemap = (server["root"] / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(locations) > 100
    for location in locations:
        assert location.startswith(server["siteurl"] + "/")
        assert get(server["port"], urlsplit(location).path)[0] == 200, location
    robots = get(server["port"], "/robots.txt")
    assert robots[0] == 200 and f"Sitemap: {server['siteurl']}/sitemap.xml" in robots[2].decode()


def csp_directives(value):
    return {part.split()[0]: part.split()[1:] for part in value.split(";") if part.strip()}


@pytest.mark.parametrize("target", [f"{PREFIX}/", f"{PREFIX}/luu-tru/", f"{PREFIX}/khong-co-trang-nay.html",
                                    "/Default.aspx?tabid=999&ID=1"])
def test_security_headers_on_every_response(server, target):
    response, _ = fetch(server["port"], target)
    assert response.status in (200, 404)
    csp = csp_directives(response.getheader("Content-Security-Policy"))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" not in response.getheader("Content-Security-Policy")
    assert "'unsafe-eval'" not in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("Server") == "nginx"  # no version (server_tokens off)


def stylesheet_url(server):
    home = get(server["port"], f"{PREFIX}/")[2].decode("utf-8")
    return next(link for link in links_of(home, server["siteurl"] + "/") if "/theme/css/" in link)


def fingerprinted(server, rel):
    """The URL path + query asset_url() gives for the theme file ``rel``."""
    files = AssetFiles([ROOT / "theme" / "static"])
    return files.versioned(f"{PREFIX}/theme/{rel}", files.fingerprint(rel))


def test_fingerprinted_theme_files_are_cached_for_a_year(server):
    target = fingerprinted(server, "css/site.css")
    response, body = fetch(server["port"], target)
    assert response.status == 200
    assert body == (server["root"] / "theme" / "css" / "site.css").read_bytes()
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    # Stylesheets reference their fonts and images fingerprinted too.
    for ref in CSS_URL.findall(body.decode("utf-8")):
        if not ref[1].startswith("data:"):
            assert "?v=" in ref[1], ref
    for target in (f"{PREFIX}/theme/css/site.css", f"{PREFIX}/", f"{PREFIX}/feeds/all.atom.xml"):
        response, _ = fetch(server["port"], target)
        assert response.getheader("Cache-Control") == "public, max-age=300", target


def test_search_index_cache_headers(server):
    """index.json is revalidated on every use; the files it names (named after their bytes)
    are cached for a year."""
    index = server["root"] / "tim-kiem" / "chi-muc"
    response, body = fetch(server["port"], f"{PREFIX}/tim-kiem/chi-muc/index.json")
    assert response.status == 200 and body == (index / "index.json").read_bytes()
    assert response.getheader("Cache-Control") == "no-cache"
    named = sorted(p for p in index.rglob("*.*") if p.is_file() and p.name != "index.json" and p.suffix != ".gz")
    assert {p.parent.name for p in named} >= {"b", "m", "f"}
    for path in named[:: max(1, len(named) // 20)]:
        response, body = fetch(server["port"], f"{PREFIX}/{path.relative_to(server['root']).as_posix()}")
        assert response.status == 200 and body == path.read_bytes(), path
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable", path


def test_pages_link_the_fingerprinted_stylesheet(server):
    css = urlsplit(stylesheet_url(server))
    assert f"{css.path}?{css.query}" == fingerprinted(server, "css/site.css")


def test_gzip_static_sends_the_builds_gz_bytes(server):
    root, port = server["root"], server["port"]
    article = next(p for p in sorted(root.glob("20*/*/*/*.html")))
    css = urlsplit(fingerprinted(server, "css/site.css"))
    checked = 0
    for rel, target in ((article.relative_to(root).as_posix(), None), ("sitemap.xml", None),
                        ("luu-tru/bai-viet.json", None), (css.path[len(PREFIX) + 1:], f"{css.path}?{css.query}")):
        target = target or f"{PREFIX}/{rel}"
        packed = (root / f"{rel}.gz").read_bytes()
        response, body = fetch(port, target, {"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert response.getheader("Content-Encoding") == "gzip", target
        assert response.getheader("Vary") == "Accept-Encoding"
        assert body == packed
        assert gzip.decompress(body) == (root / rel).read_bytes()
        plain_response, plain = fetch(port, target)
        assert plain_response.getheader("Content-Encoding") is None
        assert plain == (root / rel).read_bytes()
        checked += 1
    assert checked == 4


def test_missing_pages_get_the_vietnamese_404_page(server):
    expected = (server["root"] / "404.html").read_bytes()
    for target in (f"{PREFIX}/khong-co-trang-nay.html", f"{PREFIX}/2099/01/01/", "/khong-co-gi-o-day"):
        status, _, body = get(server["port"], target)
        assert status == 404, target
        assert body == expected
    assert "Không tìm thấy trang" in expected.decode("utf-8")


def test_the_builds_hidden_state_is_not_served(server):
    assert (server["root"] / ".state" / "incremental").is_file()
    expected = (server["root"] / "404.html").read_bytes()
    for target in (f"{PREFIX}/.state/incremental", f"{PREFIX}/.state/"):
        status, _, body = get(server["port"], target)
        assert (status, body) == (404, expected), target


def test_folders_and_the_host_root_redirect_to_the_archive(server):
    port = server["port"]
    assert get(port, "/")[:2] == (301, f"{PREFIX}/")
    assert get(port, PREFIX)[:2] == (301, f"{PREFIX}/")
    status, location, _ = get(port, f"{PREFIX}/luu-tru")
    assert (status, location) == (301, f"{PREFIX}/luu-tru/")


def test_legacy_url_is_redirected_with_301(server):
    lines = (server["root"] / "redirects.map").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        old, new = line.rstrip(";").split(" ")
        status, location, _ = get(server["port"], old)
        assert (status, location) == (301, new)
        assert new.startswith(server["siteurl"] + "/")
        status, _, body = get(server["port"], urlsplit(new).path)
        assert status == 200
        assert BeautifulSoup(body, "html.parser").find("h1")
    # An old query URL the map does not know reaches the dispatcher page listing the articles.
    status, _, body = get(server["port"], "/Default.aspx?tabid=999&ID=1")
    assert status == 200 and "đã chuyển" in body.decode("utf-8")


# --- headless Chromium: the Content-Security-Policy holds on every page type ----------------

PAGE_TYPES = {
    "article": r"/\d{4}/\d{2}/\d{2}/[^/]+\.html$",
    "day archive": r"/\d{4}/\d{2}/\d{2}/$",
    "month archive": r"/\d{4}/\d{2}/$",
    "year archive": r"/\d{4}/$",
    "category": r"/chuyen-muc/[^/]+/$",
    "tag": r"/the/[^/]+/$",
    "author": r"/tac-gia/[^/]+/$",
    "campaign": r"/chien-dich/[^/]+/$",
    "campaigns": r"/chien-dich/$",
    "archives": r"/luu-tru/$",
    "page": r"/trang/[^/]+\.html$",
}
FIXED_PAGES = {
    "home": "/",
    "no news": "/khong-co-tin/?d=2022-06-23",
    "404": "/khong-co-trang-nay.html",
    "legacy dispatcher": "/../Default.aspx?tabid=999&ID=1",
    # Not in redirects.map as written (parameters swapped): the dispatcher's script redirects.
    "legacy dispatcher, known query": "/../Default.aspx?ID=5210&tabid=125",
}
# Listens before any script of the page runs; init scripts are not subject to the page's CSP.
CSP_LISTENER = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));"""


def page_urls(server):
    sitemap = (server["root"] / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    urls = {name: urljoin(server["siteurl"] + "/", path.lstrip("/")) for name, path in FIXED_PAGES.items()}
    for name, pattern in PAGE_TYPES.items():
        urls[name] = next(loc for loc in locations if re.search(pattern, loc[len(server["siteurl"]):]))
    if (server["root"] / "tim-kiem" / "index.html").is_file():
        urls["search"] = f"{server['siteurl']}/tim-kiem/?q=binh+dang"
    return urls


def test_no_csp_violation_in_chromium_on_any_page_type(server):
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is required") if __import__("os").environ.get("CI") else pytest.skip(
            "/usr/bin/chromium is not installed")
    from playwright import sync_api

    urls = page_urls(server)
    problems = {}
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            context = browser.new_context(locale="vi-VN")
            context.add_init_script(CSP_LISTENER)
            for name, url in sorted(urls.items()):
                page = context.new_page()
                messages = []
                page.on("console", lambda m, out=messages: out.append(f"{m.type}: {m.text}"))
                page.on("pageerror", lambda e, out=messages: out.append(f"pageerror: {e}"))
                response = page.goto(url, wait_until="load")
                assert response.status in ((404,) if name == "404" else (200,)), (name, url, response.status)
                if name == "legacy dispatcher, known query":
                    page.wait_for_url(re.compile(r".*/tin-tuc/2022/11/14/[^/]+\.html$"))
                page.wait_for_timeout(100)
                violations = page.evaluate("window.__csp")
                csp_console = [m for m in messages if "Content Security Policy" in m or "pageerror" in m]
                if violations or csp_console:
                    problems[name] = (url, violations, csp_console)
                page.close()
            context.close()
        finally:
            browser.close()
    assert problems == {}
    assert len(urls) >= len(PAGE_TYPES) + len(FIXED_PAGES)
