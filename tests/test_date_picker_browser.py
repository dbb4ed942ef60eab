"""The "Các tin đã đưa ngày" picker in headless Chromium, against the built dates corpus
served over HTTP: a day with news opens its archive; a day without news shows the
"no news" page with the nearest days that have news; without JavaScript a plain link."""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from conftest import SITES, run_build

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI: /usr/bin/chromium is required for the date picker browser test")
    pytest.skip("/usr/bin/chromium is not installed", allow_module_level=True)

from playwright import sync_api  # noqa: E402  (in requirements.txt: a missing one is an error)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    output = tmp_path_factory.mktemp("picker") / "output"
    result = run_build(SITES / "dates" / "content", output, extra={"SCHEDULE_NOW": "01/03/2023 08:00"})
    assert result.returncode == 0, result.log
    handler = functools.partial(QuietHandler, directory=str(output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def pick(page, iso_day):
    picker = page.locator("[data-date-picker] form")
    picker.wait_for(state="visible")
    page.fill("#date-picker-input", iso_day)
    y, m, d = iso_day.split("-")
    assert page.locator(".date-picker-shown").inner_text() == f"{d}/{m}/{y}"
    page.click("[data-date-picker] button[type=submit]")


def test_day_with_news(page, server):
    page.goto(server + "/")
    assert page.locator(".date-picker-fallback").is_hidden()
    pick(page, "2022-06-22")
    page.wait_for_url(server + "/2022/06/22/")
    assert page.locator("h1").inner_text() == "Tin ngày 22/06/2022"
    titles = page.locator(".article-list .article-item-title a").all_inner_texts()
    assert "UBND thành phố triển khai công tác Bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2022" in titles


def test_day_without_news_shows_nearest_days(page, server):
    page.goto(server + "/2022/11/15/")
    pick(page, "2022-06-23")
    page.wait_for_url(server + "/khong-co-tin/?d=2022-06-23")
    title = page.locator(".no-news-title")
    assert title.inner_text() == "Không có tin trong ngày 23/06/2022"
    before = page.locator(".no-news-before a")
    after = page.locator(".no-news-after a")
    assert before.inner_text() == "22/06/2022"
    assert after.inner_text() == "15/11/2022"
    # The picker on the no-news page keeps the day asked for.
    assert page.input_value("#date-picker-input") == "2022-06-23"
    after.click()
    page.wait_for_url(server + "/2022/11/15/")
    assert page.locator("h1").inner_text() == "Tin ngày 15/11/2022"


def test_day_before_the_first_news_has_only_a_later_day(page, server):
    page.goto(server + "/khong-co-tin/?d=2000-01-01")
    assert page.locator(".no-news-title").inner_text() == "Không có tin trong ngày 01/01/2000"
    assert page.locator(".no-news-before").is_hidden()
    assert page.locator(".no-news-after a").inner_text() == "08/03/2021"


def test_no_news_page_for_a_day_with_news_goes_to_it(page, server):
    page.goto(server + "/khong-co-tin/?d=2022-11-20")
    page.wait_for_url(server + "/2022/11/20/")
    assert page.locator("h1").inner_text() == "Tin ngày 20/11/2022"


def test_without_javascript_a_plain_link(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + "/2022/06/22/")
        assert page.locator("[data-date-picker] form").is_hidden()
        link = page.locator(".date-picker-fallback")
        assert link.is_visible()
        link.click()
        page.wait_for_url(server + "/luu-tru/")
        assert page.locator("h1").inner_text() == "Lưu trữ tin"
    finally:
        context.close()
