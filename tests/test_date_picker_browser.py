"""The "Các tin đã đưa ngày" picker in headless Chromium, against the built dates corpus
served over HTTP: typed dd/mm/yyyy whatever the browser's language, or chosen in the
keyboard-usable calendar (ARIA grid); a day with news opens its archive; a day without news
shows the "no news" page with the nearest days that have news; without JavaScript plain links."""

import os

import pytest

from benchmarks.browser import CHROMIUM, serve
from conftest import SITES, run_build

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI: /usr/bin/chromium is required for the date picker browser test")
    pytest.skip("/usr/bin/chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    output = tmp_path_factory.mktemp("picker") / "output"
    result = run_build(SITES / "dates" / "content", output, extra={"SCHEDULE_NOW": "01/03/2023 08:00"})
    assert result.returncode == 0, result.log
    with serve(output) as base:
        yield base


def open_page(browser, locale):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


@pytest.fixture
def page(browser):
    context, page, errors = open_page(browser, "vi-VN")
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def english_page(browser):
    """An English browser: a native date input would show month first here."""
    context, page, errors = open_page(browser, "en-US")
    yield page
    context.close()
    assert errors == []


def pick(page, typed):
    page.locator("[data-date-picker] form").wait_for(state="visible")
    page.fill("#date-picker-input", typed)
    page.click("[data-date-picker] button[type=submit]")


def test_day_with_news(page, server):
    page.goto(server + "/")
    # The latest day with news comes from the days index, not from the page's HTML.
    page.wait_for_function("document.querySelector('#date-picker-input').value !== ''")
    assert page.input_value("#date-picker-input") == "01/03/2023"
    assert page.locator(".date-picker-fallback").is_hidden()
    assert page.get_attribute("#date-picker-input", "type") == "text"
    pick(page, "22/06/2022")
    page.wait_for_url(server + "/2022/06/22/")
    assert page.locator("h1").inner_text() == "Tin ngày 22/06/2022"
    titles = page.locator(".article-list .article-item-title a").all_inner_texts()
    assert "UBND thành phố triển khai công tác Bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2022" in titles


@pytest.mark.parametrize("typed", ["01/03/2023", "1/3/2023", "01-03-2023", "01.03.2023", "01032023"])
def test_day_first_in_an_english_browser(english_page, server, typed):
    english_page.goto(server + "/2022/06/22/")
    pick(english_page, typed)
    # 1 March 2023, never 3 January.
    english_page.wait_for_url(server + "/2023/03/01/")
    assert english_page.locator("h1").inner_text() == "Tin ngày 01/03/2023"


@pytest.mark.parametrize("typed", ["31/02/2022", "2022-06-22x", "", "13/13/2022"])
def test_impossible_or_unreadable_day_is_refused_in_place(page, server, typed):
    page.goto(server + "/2022/06/22/")
    pick(page, typed)
    error = page.locator(".date-picker-error")
    error.wait_for(state="visible")
    assert "22/06/2022" in error.inner_text()  # the example of the expected form
    assert page.get_attribute("#date-picker-input", "aria-invalid") == "true"
    assert page.url == server + "/2022/06/22/"
    assert page.evaluate("document.activeElement.id") == "date-picker-input"


def test_calendar_by_keyboard(page, server):
    page.goto(server + "/2022/11/15/")
    page.fill("#date-picker-input", "22/06/2022")
    page.focus(".date-picker-toggle")
    page.keyboard.press("Enter")
    dialog = page.locator("#date-picker-dialog")
    dialog.wait_for(state="visible")
    assert page.get_attribute(".date-picker-toggle", "aria-expanded") == "true"
    assert page.locator("#date-picker-dialog [role=grid] thead th").all_inner_texts() == [
        "T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    assert page.locator("#dp-title").inner_text() == "Tháng 6/2022"

    def focused():
        return page.evaluate("document.activeElement.getAttribute('data-iso')")

    assert focused() == "2022-06-22"
    # Days with news are marked once the index is loaded.
    page.wait_for_selector('[data-iso="2022-06-22"].dp-has-news')
    assert "có tin" in page.get_attribute('[data-iso="2022-06-22"]', "aria-label")
    page.keyboard.press("ArrowRight")
    assert focused() == "2022-06-23"
    page.keyboard.press("ArrowDown")
    assert focused() == "2022-06-30"
    page.keyboard.press("ArrowRight")  # into July: the grid follows
    assert focused() == "2022-07-01"
    assert page.locator("#dp-title").inner_text() == "Tháng 7/2022"
    page.keyboard.press("PageUp")
    assert focused() == "2022-06-01"
    page.keyboard.press("Shift+PageDown")
    assert focused() == "2023-06-01"
    page.keyboard.press("Shift+PageUp")
    page.keyboard.press("End")  # Sunday of that week
    assert focused() == "2022-06-05"
    page.keyboard.press("Home")  # Monday
    assert focused() == "2022-05-30"
    page.keyboard.press("Escape")
    assert dialog.is_hidden()
    assert page.evaluate("document.activeElement.className") == "date-picker-toggle"
    # Open again and choose a day with Enter: the day-first field is filled and the day opens.
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")  # 23/06 (the field still says 22/06)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/2022/06/22/")
    assert page.locator("h1").inner_text() == "Tin ngày 22/06/2022"


def test_calendar_by_mouse_to_a_day_without_news(page, server):
    page.goto(server + "/2022/06/22/")
    # On a day archive the field starts at that day; elsewhere at the latest day with news.
    assert page.input_value("#date-picker-input") == "22/06/2022"
    page.click(".date-picker-toggle")
    page.click('[data-iso="2022-06-23"]')
    page.wait_for_url(server + "/khong-co-tin/?d=2022-06-23")
    assert page.locator(".no-news-title").inner_text() == "Không có tin trong ngày 23/06/2022"


def test_day_without_news_shows_nearest_days(page, server):
    page.goto(server + "/2022/11/15/")
    pick(page, "23/06/2022")
    page.wait_for_url(server + "/khong-co-tin/?d=2022-06-23")
    title = page.locator(".no-news-title")
    assert title.inner_text() == "Không có tin trong ngày 23/06/2022"
    before = page.locator(".no-news-before a")
    after = page.locator(".no-news-after a")
    assert before.inner_text() == "22/06/2022"
    assert after.inner_text() == "15/11/2022"
    # The picker on the no-news page keeps the day asked for, day first.
    assert page.input_value("#date-picker-input") == "23/06/2022"
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


def test_without_javascript_plain_links(browser, server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server + "/2022/06/22/")
        assert page.locator("[data-date-picker] form").is_hidden()
        recent = page.locator(".date-picker-recent a")
        assert recent.all_inner_texts() == ["Tháng 3/2023", "Tháng 2/2023", "Tháng 11/2022"]
        link = page.locator(".date-picker-fallback")
        assert link.is_visible()
        link.click()
        page.wait_for_url(server + "/luu-tru/")
        assert page.locator("h1").inner_text() == "Lưu trữ tin"
        page.locator(".date-picker-recent a").first.click()
        page.wait_for_url(server + "/2023/03/")
    finally:
        context.close()
