"""The portal in headless Chromium: axe-core (WCAG 2.1 AA) on every page type a reader lands
on, keyboard-only navigation, no request leaving the site on any page type (served with a
strict Content-Security-Policy, no violation either), text size remembered, print view."""

import os
import re

import pytest

from benchmarks.browser import CHROMIUM, serve
from benchmarks.portal_pages import SEED_ARTICLE
from conftest import ROOT, run_build

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI: /usr/bin/chromium is required for the accessibility tests")
    pytest.skip("/usr/bin/chromium is not installed", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402  (pinned in requirements.txt)

from test_theme import theme_with_search_page  # noqa: E402

# The pages axe checks. The search page (/tim-kiem/) joins this list with the search feature.
AXE_PAGES = {
    "home": "",
    "article": SEED_ARTICLE,
    "day archive": "2022/06/22/",
    "campaign": "chien-dich/thang-hanh-dong-vi-binh-dang-gioi/",
    "404": "404.html",
    "search": "tim-kiem/",
}
# Every page type, for the no-external-request check.
PAGE_TYPES = {
    **AXE_PAGES,
    "home page 2": "trang/2/",
    "month archive": "2022/06/",
    "year archive": "2022/",
    "archive index": "luu-tru/",
    "no news": "khong-co-tin/?d=2022-06-23",
    "category": "chuyen-muc/tin-tuc-su-kien/",
    "categories": "chuyen-muc/",
    "tag": "the/binh-dang-gioi/",
    "tags": "the/",
    "author": "tac-gia/hong-nhung/",
    "authors": "tac-gia/",
    "campaigns": "chien-dich/",
    "static page": "trang/gioi-thieu.html",
}
BLOCKING = ("serious", "critical")
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
              "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
              "form-action 'self'; frame-ancestors 'none'")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """content/ built with the theme (plus a minimal search page until the search feature brings one)."""
    tmp = tmp_path_factory.mktemp("a11y")
    theme = ROOT / "theme"
    if not (theme / "templates" / "search.html").exists():
        theme = theme_with_search_page(tmp)
    result = run_build(ROOT / "content", tmp / "output", extra={"THEME": str(theme)})
    assert result.returncode == 0, result.log
    return result.output


@pytest.fixture(scope="module")
def server(site):
    with serve(site, headers={"Content-Security-Policy": STRICT_CSP}) as base:
        yield base


@pytest.fixture
def context(browser):
    # axe is injected by page.evaluate; CSP is checked separately below.
    context = browser.new_context(locale="vi-VN", bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def describe(violations):
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — "
                     + "; ".join(node["target"][0] for node in v["nodes"][:5]) for v in violations)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_no_serious_or_critical_violations(context, server, name, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server}/{AXE_PAGES[name]}", wait_until="networkidle")
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{name} at {width}px:\n{describe(blocking)}"


def test_axe_on_the_open_calendar_and_the_article_tools(context, server):
    page = context.new_page()
    page.goto(f"{server}/{SEED_ARTICLE}", wait_until="networkidle")
    page.click(".date-picker-toggle")
    page.wait_for_selector("#date-picker-dialog [role=grid] .dp-has-news")
    page.fill("#date-picker-input", "99/99/2022")  # and the error message
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)


def tab_stops(page, limit=120):
    """Press Tab from the top of the page; the focused element's descriptor after each press."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
            const el = document.activeElement;
            const nav = el.closest('nav');
            return [el.tagName.toLowerCase(), el.id || '', el.className || '',
                    nav ? nav.getAttribute('aria-label') : '', (el.textContent || '').trim().slice(0, 40)];
        }""")
        if stops and stop == stops[0]:
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("name", ["home", "article", "day archive"])
def test_keyboard_reaches_skip_link_menu_search_and_date_picker(context, server, name):
    page = context.new_page()
    page.goto(f"{server}/{AXE_PAGES[name]}", wait_until="networkidle")
    stops = tab_stops(page)
    assert stops[0][2] == "skip-link"
    ids = [stop[1] for stop in stops]
    menu = [stop[4] for stop in stops if stop[3] == "Chuyên mục"]
    assert menu[:2] == ["Trang chủ", "An ninh - Quốc phòng"] and "Lưu trữ" in menu
    assert "site-search-q" in ids and "date-picker-input" in ids
    # Order: search in the header, then the menu, the content, then the sidebar's picker.
    assert ids.index("site-search-q") < [s[3] for s in stops].index("Chuyên mục") < ids.index("date-picker-input")
    assert any(stop[2] == "date-picker-toggle" for stop in stops)


def test_keyboard_skip_link_search_and_calendar(context, server):
    page = context.new_page()
    page.goto(f"{server}/", wait_until="networkidle")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    # The search box sends ?q= to the search page.
    page.focus("#site-search-q")
    page.keyboard.type("bình đẳng giới")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
    assert "q=b%C3%ACnh+%C4%91%E1%BA%B3ng+gi%E1%BB%9Bi" in page.url
    # The calendar opens from the keyboard and a day is chosen with arrows and Enter.
    page.goto(f"{server}/2022/06/20/", wait_until="networkidle")
    page.fill("#date-picker-input", "20/06/2022")
    page.focus(".date-picker-toggle")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/2022/06/22/")


@pytest.mark.parametrize("javascript", [True, False])
def test_no_request_leaves_the_site_and_no_csp_violation(browser, server, javascript):
    context = browser.new_context(locale="vi-VN", java_script_enabled=javascript)
    requested, outside, csp = [], [], []

    def route(route):
        url = route.request.url
        requested.append(url)
        if url.startswith(server + "/"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    try:
        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda message: csp.append(message.text)
                if "Content Security Policy" in message.text else None)
        for name, path in PAGE_TYPES.items():
            response = page.goto(f"{server}/{path}", wait_until="networkidle")
            assert response.status == 200, name
            if javascript and name == "article":
                page.click("[data-text-size='1']")
                page.click(".date-picker-toggle")
                page.wait_for_selector("#date-picker-dialog [role=grid]")
    finally:
        context.close()
    assert outside == []
    assert csp == []
    assert any(url.split("?")[0].endswith(".woff2") for url in requested)
    if javascript:
        assert any(url.endswith("/luu-tru/days.json") for url in requested)


def test_text_size_is_remembered_and_print_view(context, server):
    page = context.new_page()
    page.goto(f"{server}/{SEED_ARTICLE}", wait_until="networkidle")

    def body_size():
        return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article-body')).fontSize)")

    normal = body_size()
    assert page.locator("[data-print]").is_visible()
    page.click("[data-text-size='1']")
    page.click("[data-text-size='1']")
    bigger = body_size()
    assert bigger > normal * 1.2
    assert page.get_attribute("[data-text-size='0']", "aria-pressed") == "false"
    page.goto(f"{server}/2022/06/20/phuong-dong-da-ra-mat-mo-hinh-khu-dan-cu-khong-co-te-nan-ma-tuy.html")
    page.wait_for_load_state("networkidle")
    assert body_size() == bigger
    page.click("[data-text-size='-1']")
    page.click("[data-text-size='-1']")
    page.click("[data-text-size='-1']")
    assert body_size() < normal
    assert page.is_disabled("[data-text-size='-1']")
    page.click("[data-text-size='0']")
    assert body_size() == normal
    # Print: the article alone, with its address and date.
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-sidebar", ".site-footer", ".article-tools", ".related-articles"):
        assert page.locator(hidden).is_hidden(), hidden
    assert page.locator("article h1").is_visible()
    address = page.locator(".print-address")
    assert address.is_visible()
    assert "2022/06/20/phuong-dong-da-ra-mat-mo-hinh-khu-dan-cu-khong-co-te-nan-ma-tuy.html" in address.inner_text()
    assert "Đăng ngày 20/06/2022" in address.inner_text()
