"""plugins/date_archives: day/month/year archives, the archive index, the "no news" page,
calendars, article dates, scheduling, feeds and event dates, on real sites built by Pelican.

The corpus tests/sites/dates/content/ has known dates: several articles on one day (page
size 2 paginates it), two in the same minute, a draft and a hidden article on news days, one
article an hour after the injected build time and one dated 2099."""

import datetime as dt
import doctest
import json
import math
import os
import random
import subprocess
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import ROOT, SITES, pelican_command, run_build, soup
from plugins.date_archives import calendar_grid
from plugins.date_archives.calendar_grid import month_grid, with_current
from plugins.date_archives.date_archives import build_periods, by_date, day_url_pattern, period_title
from plugins.date_archives.days_index import decode_days, dumps, encode_days, nearest_days
from plugins.vntext import parse_vn_date

CORPUS = SITES / "dates" / "content"
NOW = "01/03/2023 08:00"  # the injected build time (SCHEDULE_NOW)
PAGE_SIZE = 2
SEED_SLUG = "ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022"
FORMATS = {
    "year": {"url": "{date:%Y}/", "save_as": "{date:%Y}/index.html"},
    "month": {"url": "{date:%Y}/{date:%m}/", "save_as": "{date:%Y}/{date:%m}/index.html"},
    "day": {"url": "{date:%Y}/{date:%m}/{date:%d}/", "save_as": "{date:%Y}/{date:%m}/{date:%d}/index.html"},
}


# --- the corpus, read independently of Pelican ---------------------------------------------


def read_source(path):
    meta = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            break
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    meta["date"] = parse_vn_date(meta["date"])
    meta["source"] = path
    return SimpleNamespace(**meta)


def corpus(now=NOW, preview=False):
    """Sources that must be published, newest first (same minute: by source path)."""
    limit = parse_vn_date(now)
    items = []
    for path in sorted(CORPUS.rglob("*.md")):
        item = read_source(path)
        if getattr(item, "status", "published") in ("draft", "hidden"):
            continue
        if item.date > limit and not preview:
            continue
        items.append(item)
    items.sort(key=lambda i: str(i.source))
    items.sort(key=lambda i: i.date, reverse=True)
    return items


def listed_titles(output, first_page):
    """Titles listed on a paginated archive, following rel=next; checks the page numbers."""
    titles, page, pages_seen = [], first_page, 0
    while page is not None:
        html = soup(page)
        pages_seen += 1
        titles += [a.get_text(strip=True) for a in html.select(".article-list .article-item-title a")]
        nxt = html.select_one(".pagination a[rel=next]")
        page = resolve(output, page, nxt["href"]) if nxt else None
        if page is not None:
            assert page.exists(), f"pagination link to a missing page from {first_page}"
    return titles, pages_seen


def resolve(output, page, href):
    """The file an internal link of ``page`` points to (None for external links)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page  # "#fragment" or "?query" on the same page
    if path.startswith("/"):
        target = output / path.lstrip("/")
    else:
        target = (page.parent / path)
    target = Path(*target.parts)  # keep ".." for resolve()
    target = target.resolve()
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


@pytest.fixture(scope="module")
def dates_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("dates") / "output"
    result = run_build(CORPUS, output, extra={"SCHEDULE_NOW": NOW, "DATE_ARCHIVES_PAGE_SIZE": PAGE_SIZE})
    assert result.returncode == 0, result.log
    return result


# --- archives ------------------------------------------------------------------------------


def test_every_period_lists_exactly_its_articles_in_order(dates_site):
    output = dates_site.output
    expected = {}
    for item in corpus():
        d = item.date
        for key in (f"{d:%Y}", f"{d:%Y}/{d:%m}", f"{d:%Y}/{d:%m}/{d:%d}"):
            expected.setdefault(key, []).append(item.title)
    assert expected, "empty corpus"

    # No archive page for a period without news, one for each period with news.
    written = {
        str(p.parent.relative_to(output))
        for p in output.glob("[0-9][0-9][0-9][0-9]/**/index.html")
        if "trang" not in p.parts
    }
    assert written == set(expected)

    for key, titles in expected.items():
        listed, pages = listed_titles(output, output / key / "index.html")
        assert listed == titles, key
        assert pages == math.ceil(len(titles) / PAGE_SIZE), key


def test_archive_titles_neighbours_and_up_links(dates_site):
    page = dates_site.page("2022/11/15/")
    assert page.h1.get_text() == "Tin ngày 15/11/2022"
    assert page.title.get_text().startswith("Tin ngày 15/11/2022")
    # Neighbours are the previous/next days WITH news, not the calendar neighbours.
    assert page.select_one(".archive-neighbours a[rel=prev]")["href"] == "../../../2022/06/22/"
    assert page.select_one(".archive-neighbours a[rel=next]")["href"] == "../../../2022/11/20/"
    ups = [a["href"] for a in page.select("a.archive-up")]
    assert ups == ["../../../2022/", "../../../2022/11/"]

    month = dates_site.page("2022/11/")
    assert month.h1.get_text() == "Tháng 11/2022"
    assert month.select_one(".archive-neighbours a[rel=prev]").get_text(strip=True) == "« Tháng 6/2022"
    assert month.select_one(".archive-neighbours a[rel=next]").get_text(strip=True) == "Tháng 2/2023 »"

    year = dates_site.page("2022/")
    assert year.h1.get_text() == "Năm 2022"
    assert [a.get_text() for a in year.select(".archive-months a")] == [
        "Tháng 11/2022", "Tháng 6/2022", "Tháng 1/2022",
    ]
    first = dates_site.page("2021/")
    assert first.select_one(".archive-neighbours a[rel=prev]") is None
    assert first.select_one(".archive-neighbours a[rel=next]")["href"] == "../2022/"

    second = dates_site.page("2022/11/15/trang/2/")
    assert second.h1.get_text() == "Tin ngày 15/11/2022"
    assert "trang 2" in second.title.get_text()


def test_month_calendar_monday_first_with_news_days_linked(dates_site):
    for url in ("2022/11/", "2022/11/15/"):
        table = dates_site.page(url).select_one("table.calendar")
        assert [th.get_text() for th in table.select("thead th")] == ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
        first_week = [td.get_text(strip=True) for td in table.select("tbody tr")[0].select("td")]
        assert first_week == ["", "1", "2", "3", "4", "5", "6"]  # 1/11/2022 was a Tuesday
        linked = sorted(int(a.get_text()) for a in table.select("a"))
        assert linked == [15, 20, 28]
        assert all(not td.select("a") for td in table.select("td") if td.get_text(strip=True) == "16")
    current = dates_site.page("2022/11/15/").select_one("table.calendar a[aria-current=date]")
    assert current.get_text() == "15"
    assert dates_site.page("2022/").select_one("table.calendar") is None


def test_archive_index_years_months_and_counts(dates_site):
    page = dates_site.page("luu-tru/")
    expected_years, expected_months = {}, {}
    for item in corpus():
        expected_years[item.date.year] = expected_years.get(item.date.year, 0) + 1
        key = (item.date.year, item.date.month)
        expected_months[key] = expected_months.get(key, 0) + 1
    years = [(h2.a.get_text(), h2.select_one(".archive-count").get_text()) for h2 in page.select(".archive-year h2")]
    assert years == [(f"Năm {y}", f"({n})") for y, n in sorted(expected_years.items(), reverse=True)]
    months = [li.get_text(" ", strip=True) for li in page.select(".archive-months li")]
    assert months == [f"Tháng {m}/{y} ({n})" for (y, m), n in sorted(expected_months.items(), reverse=True)]


def test_days_index_json_matches_the_days_with_news(dates_site):
    text = (dates_site.output / "luu-tru" / "days.json").read_text(encoding="utf-8")
    days = decode_days(text)
    assert days == sorted({item.date.date() for item in corpus()})
    inline = dates_site.page("khong-co-tin/").select_one("script#days-index").string
    assert json.loads(inline) == json.loads(text)


def test_date_picker_on_every_page_falls_back_to_a_link(dates_site):
    pages = [p for p in dates_site.output.rglob("*.html") if "theme" not in p.parts]
    assert pages
    for path in pages:
        html = soup(path)
        box = html.select_one("[data-date-picker]")
        assert box is not None, path
        fallback = box.select_one("a.date-picker-fallback")
        assert fallback.get_text() == "Các tin đã đưa ngày"
        assert resolve(dates_site.output, path, fallback["href"]) == dates_site.output / "luu-tru" / "index.html"
        assert box.select_one("form").has_attr("hidden")  # only script shows the form
        # Day first whatever the browser's language: a text field read as dd/mm/yyyy, never
        # a native date input (an English Chromium shows that one month first).
        field = box.select_one("input#date-picker-input")
        assert field is not None and field["type"] == "text" and field["name"] == "d", path
        assert html.select_one("input[type=date]") is None, path


def test_article_dates_updated_and_neighbours(dates_site):
    page = dates_site.page("2022/06/22/hoi-nghi-tuyen-truyen-phong-chong-duoi-nuoc-cho-tre-em.html")
    assert page.select_one(".article-meta time.published").get_text() == "10:08, Thứ Tư, 22/06/2022"
    assert page.select_one(".article-meta .updated") is None
    older = page.select_one(".article-neighbours a[rel=prev]")
    newer = page.select_one(".article-neighbours a[rel=next]")
    # Same day, 00:00 (the seed) is older than 10:08.
    assert older["href"].endswith(f"2022/06/22/{SEED_SLUG}.html")
    assert newer["href"].endswith("2022/11/15/phat-dong-thang-hanh-dong-vi-binh-dang-gioi-nam-2022.html")

    updated = dates_site.page("2022/11/28/ra-quan-chinh-trang-do-thi-cuoi-nam.html")
    assert updated.select_one(".article-meta .updated").get_text(" ", strip=True) == (
        "Cập nhật: 09:15, Thứ Tư, 30/11/2022"
    )
    oldest = dates_site.page("2021/03/08/phu-nu-thanh-pho-vinh-yen-ky-niem-ngay-quoc-te-phu-nu-83.html")
    assert oldest.select_one(".article-neighbours a[rel=prev]") is None


def test_drafts_hidden_and_scheduled_articles(dates_site):
    output = dates_site.output
    html_text = "\n".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))
    feeds_text = "\n".join(p.read_text(encoding="utf-8") for p in (output / "feeds").rglob("*.xml"))
    for title in ("Bản nháp chưa được duyệt đăng", "Tin hẹn giờ đăng lúc 9 giờ ngày 1/3/2023",
                  "Tin mẫu hẹn đăng năm 2099"):
        assert title not in html_text
        assert title not in feeds_text
    assert not (output / "2099").exists()
    assert not list(output.glob("2023/03/01/tin-hen-gio*"))
    # Hidden: its own page exists, but no archive or feed lists it.
    assert list(output.glob("2022/06/25/*.html"))
    assert not (output / "2022" / "06" / "25" / "index.html").exists()
    assert "Tin ẩn không liệt kê" not in feeds_text


def test_preview_and_later_build_publish_scheduled_articles(tmp_path):
    later = run_build(CORPUS, tmp_path / "later", extra={"SCHEDULE_NOW": "01/03/2023 09:00"})
    assert later.returncode == 0, later.log
    assert list(later.output.glob("2023/03/01/tin-hen-gio*.html"))
    assert not (later.output / "2099").exists()

    preview = run_build(CORPUS, tmp_path / "preview", extra={"SCHEDULE_NOW": NOW, "SCHEDULE_PREVIEW": True})
    assert preview.returncode == 0, preview.log
    assert list(preview.output.glob("2099/01/15/*.html"))
    assert (preview.output / "2099" / "01" / "15" / "index.html").exists()
    feed = feedparser.parse(str(preview.output / "feeds" / "all.atom.xml"))
    assert feed.entries[0].title == "Tin mẫu hẹn đăng năm 2099"
    # Drafts stay drafts even in preview.
    assert "Bản nháp chưa được duyệt đăng" not in "".join(
        p.read_text(encoding="utf-8") for p in preview.output.rglob("*.html")
    )


def test_scheduled_count_is_logged(tmp_path):
    # Pelican logs INFO only with -v.
    env = dict(os.environ, COLUMNS="250", PYTHONPATH=str(ROOT))
    completed = subprocess.run(
        pelican_command(CORPUS, tmp_path / "out", extra={"SCHEDULE_NOW": NOW}) + ["-v"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert "date_archives: 2 article(s) scheduled for later" in completed.stdout + completed.stderr


def test_real_time_is_the_default_now(tmp_path):
    result = run_build(CORPUS, tmp_path / "out")
    assert result.returncode == 0, result.log
    assert list(result.output.glob("2023/03/01/tin-hen-gio*.html"))  # 2023 is in the past
    assert not (result.output / "2099").exists()


def test_invalid_settings_fail_loudly(tmp_path):
    bad = run_build(CORPUS, tmp_path / "bad", extra={"DATE_ARCHIVES_PAGE_SIZE": 0})
    assert bad.returncode != 0
    assert "DATE_ARCHIVES_PAGE_SIZE must be a positive integer" in bad.log
    worse = run_build(CORPUS, tmp_path / "worse", extra={"SCHEDULE_NOW": "31/02/2023"})
    assert worse.returncode != 0
    assert "SCHEDULE_NOW" in worse.log


def test_archive_paths_are_declared_to_build_guard(make_content, build_site):
    # An article whose output path is its day archive's must stop the build. "Slug: index" is
    # refused by the content rules first (issue 11), so the archive is moved onto a slug here.
    content = make_content({
        "2022/06/index.md": "Title: Trang index\nDate: 22/06/2022\nSlug: tin-trong-ngay\n\nNội dung.\n",
    })
    result = build_site(content, extra={"DAY_ARCHIVE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/tin-trong-ngay.html"})
    assert result.returncode != 0
    assert "day archive 2022/06/22/" in result.log
    assert "2022/06/index.md" in result.log
    refused = build_site(make_content({
        "2022/06/index.md": "Title: Trang index\nDate: 22/06/2022\nSlug: index\n\nNội dung.\n"}))
    assert refused.returncode != 0 and "2022/06/index.md:3: error: Slug 'index'" in refused.log


def test_same_content_same_bytes(dates_site, tmp_path):
    again = run_build(CORPUS, tmp_path / "again", extra={"SCHEDULE_NOW": NOW, "DATE_ARCHIVES_PAGE_SIZE": PAGE_SIZE})
    assert again.returncode == 0, again.log
    first = {p.relative_to(dates_site.output): p.read_bytes() for p in dates_site.output.rglob("*") if p.is_file()}
    second = {p.relative_to(again.output): p.read_bytes() for p in again.output.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


# --- links ---------------------------------------------------------------------------------


def broken_links(output):
    broken = []
    for page in sorted(output.rglob("*.html")):
        for tag in soup(page).find_all(["a", "link", "script", "img", "source", "iframe"]):
            for attribute in ("href", "src"):
                href = tag.get(attribute)
                if not href:
                    continue
                target = resolve(output, page, href)
                if target is not None and not target.is_file():
                    broken.append(f"{page.relative_to(output)} -> {href}")
    return broken


def test_no_internal_link_is_a_404_in_the_dates_site(dates_site):
    assert broken_links(dates_site.output) == []


def test_no_internal_link_is_a_404_in_the_sample_site(sample_site):
    assert len(list(sample_site.rglob("*.html"))) > 20
    assert broken_links(sample_site) == []


def test_seed_listed_on_its_day_page(sample_site):
    page = soup(sample_site / "2022" / "06" / "22" / "index.html")
    assert page.h1.get_text() == "Tin ngày 22/06/2022"
    hrefs = [a["href"] for a in page.select(".article-list .article-item-title a")]
    assert any(h.endswith(f"2022/06/22/{SEED_SLUG}.html") for h in hrefs)
    article = soup(sample_site / "2022" / "06" / "22" / f"{SEED_SLUG}.html")
    assert article.select_one(".article-meta time.published").get_text() == "Thứ Tư, 22/06/2022"


# --- feeds ---------------------------------------------------------------------------------


def test_feeds_valid_newest_50_with_vietnam_offset(tmp_path, make_content):
    files = {}
    start = dt.datetime(2022, 1, 1, 7, 0)  # Vietnam time
    for n in range(60):
        when = start + dt.timedelta(days=n * 3, hours=n % 5)
        category = ("Tin tức - Sự kiện", "Tuyên truyền")[n % 2]
        files[f"{when:%Y/%m}/tin-{n:02d}.md"] = (
            f"Title: Tin thử số {n:02d} về hoạt động của phường\n"
            f"Date: {when:%d/%m/%Y %H:%M}\nCategory: {category}\nAuthor: Ban Biên tập\n\n"
            f"Nội dung tin số {n}, diễn ra từ ngày 15/11 - 15/12/2022.\n"
        )
    files["2099/01/tuong-lai.md"] = (
        "Title: Tin tương lai không được lên nguồn tin\nDate: 01/01/2099 08:00\n"
        "Category: Tin tức - Sự kiện\n\nChưa đến ngày.\n"
    )
    content = make_content(files)
    result = run_build(content, tmp_path / "out", settings_file=ROOT / "publishconf.py",
                       extra={"SCHEDULE_NOW": "2023-06-01T00:00"})
    assert result.returncode == 0, result.log
    feeds = sorted((result.output / "feeds").rglob("*.xml"))
    names = {str(p.relative_to(result.output)) for p in feeds}
    assert {"feeds/all.atom.xml", "feeds/all.rss.xml",
            "feeds/chuyen-muc/tin-tuc-su-kien.atom.xml", "feeds/chuyen-muc/tin-tuc-su-kien.rss.xml",
            "feeds/chuyen-muc/tuyen-truyen.atom.xml", "feeds/chuyen-muc/tuyen-truyen.rss.xml"} <= names
    for path in feeds:
        ET.parse(path)  # well-formed XML
        feed = feedparser.parse(str(path))
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert 0 < len(feed.entries) <= 50
        stamps = [e.published_parsed for e in feed.entries]
        assert stamps == sorted(stamps, reverse=True), path
        assert all("tương lai" not in e.title for e in feed.entries)
        for entry in feed.entries:
            assert entry.link.startswith("https://"), entry.link
    everything = feedparser.parse(str(result.output / "feeds" / "all.atom.xml"))
    assert len(everything.entries) == 50
    assert everything.entries[0].title == "Tin thử số 59 về hoạt động của phường"
    raw_atom = (result.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert re.search(r"<published>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00</published>", raw_atom)
    assert "+0700" in (result.output / "feeds" / "all.rss.xml").read_text(encoding="utf-8")
    # 07:00 in Vĩnh Yên is midnight UTC: the offset is kept, not converted.
    oldest = everything.entries[-1]  # article 10 of 0..59: 31/01/2022 07:00
    assert oldest.title == "Tin thử số 10 về hoạt động của phường"
    assert oldest.published == "2022-01-31T07:00:00+07:00"
    assert (oldest.published_parsed.tm_mday, oldest.published_parsed.tm_hour) == (31, 0)  # UTC


# --- event dates as metadata (in process, to read the article objects) ------------------------


def test_event_dates_metadata_and_scheduled_flags(tmp_path):
    from pelican import Pelican, signals
    from pelican.settings import read_settings

    captured = {}

    def grab(generator):
        captured["articles"] = list(generator.articles)
        captured["drafts"] = list(generator.drafts)

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(CORPUS), "OUTPUT_PATH": str(tmp_path / "out"), "SCHEDULE_NOW": NOW,
    })
    # conftest's autouse fixture disconnects every receiver this in-process build connects.
    signals.article_generator_finalized.connect(grab)
    Pelican(settings).run()
    by_title = {a.title: a for a in captured["articles"]}
    campaign = by_title["Phát động Tháng hành động vì bình đẳng giới năm 2022"]
    events = campaign.metadata["event_dates"]
    assert [(e.start, e.end) for e in events] == [(dt.date(2022, 11, 15), dt.date(2022, 12, 15))]
    assert campaign.event_dates == events
    # "Quyết định số 15/2022/QĐ-UBND" is a document number, not a date.
    assert by_title["Thường trực HĐND thành phố tiếp công dân định kỳ"].metadata["event_dates"] == []
    # Never the publication date unless the body says it.
    seed = next(a for a in captured["articles"] if a.slug == SEED_SLUG)
    assert all(e.start != seed.date.date() for e in seed.metadata["event_dates"])
    scheduled = sorted(a.title for a in captured["drafts"] if a.scheduled)
    assert scheduled == ["Tin hẹn giờ đăng lúc 9 giờ ngày 1/3/2023", "Tin mẫu hẹn đăng năm 2099"]
    assert all(a.status == "draft" for a in captured["drafts"])
    assert not any(a.scheduled for a in captured["articles"])


# --- pure helpers ------------------------------------------------------------------------------


def test_month_grid_monday_first():
    grid = month_grid(2022, 6, {22: "2022/06/22/"}, {22: 3}, current=dt.date(2022, 6, 22))
    assert grid.headers == ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
    assert [c and c.day for c in grid.weeks[0]] == [None, None, 1, 2, 3, 4, 5]  # 1/6/2022: Thứ Tư
    assert [c and c.day for c in grid.weeks[-1]] == [27, 28, 29, 30, None, None, None]
    linked = [c for c in grid.days() if c.has_news]
    assert [(c.day, c.url, c.count, c.current) for c in linked] == [(22, "2022/06/22/", 3, True)]
    assert len(grid.days()) == 30


@given(st.integers(1950, 2100), st.integers(1, 12))
def test_month_grid_properties(year, month):
    grid = month_grid(year, month)
    days = grid.days()
    assert [c.day for c in days] == list(range(1, len(days) + 1))
    for week in grid.weeks:
        assert len(week) == 7
        for column, cell in enumerate(week):
            if cell is not None:
                assert cell.date.weekday() == column  # Monday is column 0


@given(st.dates(dt.date(1950, 1, 1), dt.date(2100, 12, 31)), st.sets(st.integers(1, 31), max_size=31))
def test_a_day_marked_on_its_month_grid_is_the_day_pages_grid(day, linked):
    """Day pages mark their day on the month's grid (sharing its cells): the same calendar as
    one laid out for that day, and the month's own grid is left as it was."""
    links = {n: f"{day:%Y/%m}/{n:02d}/" for n in linked}
    counts = {n: n % 4 + 1 for n in linked}
    month = month_grid(day.year, day.month, links, counts)
    marked = with_current(month, day)
    assert marked == month_grid(day.year, day.month, links, counts, current=day)
    assert repr(marked) == repr(month_grid(day.year, day.month, links, counts, current=day))  # a page signature
    assert [c.day for c in marked.days() if c.current] == [day.day]
    assert not any(c.current for c in month.days())
    assert sum(new is not old for new, old in zip(marked.weeks, month.weeks)) == 1


def test_calendar_grid_doctests():
    assert doctest.testmod(calendar_grid).failed == 0


@given(st.sets(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), max_size=300))
def test_days_index_round_trip(days):
    index = encode_days(days)
    assert decode_days(dumps(index)) == sorted(days)
    assert dumps(index) == dumps(encode_days(list(days)[::-1]))  # order does not matter


def test_nearest_days():
    d = dt.date
    days = [d(2022, 6, 5), d(2022, 6, 20), d(2022, 6, 22), d(2022, 11, 15)]
    assert nearest_days(days, d(2022, 6, 23)) == (d(2022, 6, 22), d(2022, 11, 15))
    assert nearest_days(days, d(2022, 6, 22)) == (d(2022, 6, 20), d(2022, 11, 15))
    assert nearest_days(days, d(2020, 1, 1)) == (None, d(2022, 6, 5))
    assert nearest_days(days, d(2030, 1, 1)) == (d(2022, 11, 15), None)


def test_days_index_size_for_100000_articles(record_property):
    rng = random.Random(20221115)
    start = dt.datetime(2005, 1, 1, 7, 0)
    span_days = (dt.datetime(2026, 12, 31) - start).days
    article_dates = [start + dt.timedelta(days=rng.randrange(span_days), minutes=rng.randrange(900))
                     for _ in range(100_000)]
    text = dumps(encode_days(article_dates))
    size = len(text.encode("utf-8"))
    record_property("days_index_bytes_100k", size)
    print(f"days index for 100,000 articles over 2005-2026: {size} bytes")
    assert size < 2_000
    assert decode_days(text) == sorted({a.date() for a in article_dates})


def test_build_periods_groups_in_one_pass_and_links_neighbours():
    def art(text, path):
        return SimpleNamespace(date=parse_vn_date(text), source_path=path)

    articles = by_date([
        art("22/06/2022 10:08", "b.md"), art("22/06/2022", "a.md"), art("15/11/2022 08:00", "c.md"),
        art("20/11/2022 09:00", "e.md"), art("20/11/2022 09:00", "d.md"), art("01/01/2021", "f.md"),
    ])
    assert [a.source_path for a in articles] == ["d.md", "e.md", "c.md", "b.md", "a.md", "f.md"]
    periods = build_periods(articles, FORMATS)
    assert [p.key for p in periods["year"]] == [(2021,), (2022,)]
    days = periods["day"]
    assert [p.url for p in days] == ["2021/01/01/", "2022/06/22/", "2022/11/15/", "2022/11/20/"]
    assert days[1].previous is days[0] and days[1].next is days[2] and days[-1].next is None
    assert [a.source_path for a in days[1].articles] == ["b.md", "a.md"]
    assert [p.title for p in days[1].parents] == ["Năm 2022", "Tháng 6/2022"]
    assert sum(p.count for p in periods["month"]) == len(articles)
    assert days[2].calendar.weeks[0][1].day == 1  # 1/11/2022: Tuesday


def test_titles_and_day_url_pattern():
    assert period_title("day", (2022, 6, 22)) == "Tin ngày 22/06/2022"
    assert period_title("month", (2022, 6)) == "Tháng 6/2022"
    assert period_title("year", (2022,)) == "Năm 2022"
    assert day_url_pattern("{date:%Y}/{date:%m}/{date:%d}/") == "{yyyy}/{mm}/{dd}/"


def test_future_dated_sample_is_held_back_unless_previewed(sample_site, tmp_path):
    """The repository's own future-dated sample: absent from pages and feeds, present in preview."""
    slug = "ke-hoach-tuyen-truyen-ky-niem-100-nam-ngay-thanh-lap-dang-cong-san-viet-nam"
    published = list(sample_site.rglob(f"{slug}.html"))
    assert published == []
    assert not (sample_site / "2030").exists()
    for feed in sample_site.glob("feeds/**/*.xml"):
        assert slug not in feed.read_text(encoding="utf-8"), feed
    preview = run_build(ROOT / "content", tmp_path / "preview", extra={"SCHEDULE_PREVIEW": True})
    assert preview.returncode == 0, preview.log
    assert (preview.output / f"2030/01/03/{slug}.html").exists()
    assert slug in (preview.output / "feeds/all.atom.xml").read_text(encoding="utf-8")
