"""date_archives: browse the news by the day it was published.

* day, month and year archives titled in Vietnamese ("Tin ngày 22/06/2022", "Tháng 6/2022",
  "Năm 2022"), newest first, paginated, with links to the neighbouring periods that have
  news and up to the month and year; a Monday-first month calendar on day and month pages;
* the data of the ``/luu-tru/`` index (every year and month with its count);
* the compact JSON of days with news and the static "no news that day" page used by the
  "Các tin đã đưa ngày" picker;
* previous/next article by date on every article;
* scheduling: an article dated in the future (Asia/Ho_Chi_Minh) is held back as a draft
  until a build on or after its date, unless ``SCHEDULE_PREVIEW`` is true;
* event dates: dates mentioned in the body (vntext.find_event_dates) as ``event_dates``;
  an unchanged body's are read back from ``EVENT_DATES_CACHE_PATH`` (:mod:`.event_cache`).

Pelican's own period archives are replaced: its builder compares every article with every
period (quadratic in the size of the archive) and titles months in English. The plugin
reads ``DAY/MONTH/YEAR_ARCHIVE_URL`` and ``..._SAVE_AS`` at start-up, blanks the
``..._SAVE_AS`` so Pelican skips them, and writes the pages itself.
"""

import datetime as _dt
import logging
import os
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import Article
from pelican.paginator import Paginator

from plugins.vntext import find_event_dates, format_short_date, month_label, now_vn, parse_vn_date

from .calendar_grid import month_grid, with_current
from .days_index import dumps, encode_days
from .event_cache import EventDatesCache

logger = logging.getLogger(__name__)

# name: [default, description] -- the README lists the same.
DEFAULTS = {
    "DATE_ARCHIVES_PAGE_SIZE": [20, "articles per page of a day, month or year archive"],
    "DAYS_INDEX_URL": ["luu-tru/days.json", "URL of the JSON of days with news"],
    "DAYS_INDEX_SAVE_AS": ["luu-tru/days.json", "where that JSON is written"],
    "NO_NEWS_URL": ["khong-co-tin/", "URL of the 'no news that day' page (?d=yyyy-mm-dd)"],
    "NO_NEWS_SAVE_AS": ["khong-co-tin/index.html", "where that page is written ('' = none)"],
    "SCHEDULE_PREVIEW": [False, "publish future-dated articles too (local preview)"],
    "SCHEDULE_NOW": [None, "ISO/dd/mm/yyyy time used as 'now' for scheduling (tests)"],
    "EVENT_DATES": [True, "detect dates mentioned in bodies into article.event_dates"],
    "EVENT_DATES_CACHE_PATH": [None, "cache folder of the event dates (None = CACHE_PATH/date_archives, '' = off)"],
}
# This build's EventDatesCache (per build, in the build's settings; the build key skips *_STATE).
EVENTS_STATE = "DATE_ARCHIVES_EVENTS_STATE"

GRANULARITIES = ("year", "month", "day")
_CORE_KEYS = {g: (f"{g.upper()}_ARCHIVE_URL", f"{g.upper()}_ARCHIVE_SAVE_AS") for g in GRANULARITIES}
_CORE_DEFAULTS = {
    "year": ("{date:%Y}/", "{date:%Y}/index.html"),
    "month": ("{date:%Y}/{date:%m}/", "{date:%Y}/{date:%m}/index.html"),
    "day": ("{date:%Y}/{date:%m}/{date:%d}/", "{date:%Y}/{date:%m}/{date:%d}/index.html"),
}



# --- settings ------------------------------------------------------------------------------


def _validated(settings, name, default):
    value = settings.get(name, default)
    if name == "DATE_ARCHIVES_PAGE_SIZE":
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            logger.error("date_archives: %s must be a positive integer, not %r; using %r",
                         name, value, default)
            return default
    elif name in ("SCHEDULE_PREVIEW", "EVENT_DATES"):
        if not isinstance(value, bool):
            logger.error("date_archives: %s must be True or False, not %r; using %r",
                         name, value, default)
            return default
    elif name == "EVENT_DATES_CACHE_PATH":
        if value is not None and not isinstance(value, str):
            logger.error("date_archives: %s must be a folder or '', not %r; using %r", name, value, default)
            return default
        return value
    elif name == "SCHEDULE_NOW":
        if value not in (None, ""):
            try:
                parse_vn_date(value)
            except ValueError as exc:
                raise ValueError(f"date_archives: SCHEDULE_NOW: {exc}") from None
        return value or None
    elif not isinstance(value, str):
        logger.error("date_archives: %s must be a string, not %r; using %r", name, value, default)
        return default
    return value


def day_url_pattern(day_url):
    """The day URL with ``{yyyy}``/``{mm}``/``{dd}`` holes, for the picker's JavaScript."""
    pattern = (
        day_url.replace("{date:%Y}", "{yyyy}").replace("{date:%m}", "{mm}").replace("{date:%d}", "{dd}")
    )
    if "{date" in pattern:
        logger.warning("date_archives: DAY_ARCHIVE_URL %r uses fields the date picker does not know;"
                       " the picker uses {yyyy}/{mm}/{dd}/", day_url)
        return "{yyyy}/{mm}/{dd}/"
    return pattern


def configure(pelican):
    """Merge the defaults, take over the period archives, set pagination (``initialized``)."""
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        settings[name] = _validated(settings, name, default)
    settings["DATE_ARCHIVES_NOW"] = None
    build_now(settings)
    if settings["EVENT_DATES_CACHE_PATH"] is None:
        settings["EVENT_DATES_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH") or "cache", "date_archives")
    settings[EVENTS_STATE] = None  # opened by the first article (a build that reads none makes no file)

    # Read once per settings dict: a second ``initialized`` would see the blanked values.
    periods = settings.get("DATE_ARCHIVES_PERIODS")
    if not isinstance(periods, dict):
        periods = {}
        for granularity, (url_key, save_key) in _CORE_KEYS.items():
            url = settings.get(url_key) or _CORE_DEFAULTS[granularity][0]
            save_as = settings.get(save_key, _CORE_DEFAULTS[granularity][1])
            periods[granularity] = {"url": url, "save_as": save_as or ""}
        settings["DATE_ARCHIVES_PERIODS"] = periods
    for _url_key, save_key in _CORE_KEYS.values():
        settings[save_key] = ""  # Pelican's own builder is skipped; this plugin writes them
    settings["DATE_PICKER_DAY_URL"] = day_url_pattern(periods["day"]["url"])

    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    paginated["period_archives"] = settings["DATE_ARCHIVES_PAGE_SIZE"]
    settings["PAGINATED_TEMPLATES"] = paginated


# --- per article ---------------------------------------------------------------------------


def build_now(settings):
    """The moment this build judges scheduling by: fixed once per build in the build's own
    settings (no module state), so every article is compared with the same time."""
    if settings.get("DATE_ARCHIVES_NOW") is None:
        value = settings.get("SCHEDULE_NOW")
        settings["DATE_ARCHIVES_NOW"] = parse_vn_date(value) if value else now_vn()
    return settings["DATE_ARCHIVES_NOW"]


def is_scheduled(article_date, now):
    """True when an article dated ``article_date`` must wait for a later build."""
    return article_date > now


def process_article(instance):
    """Hold back future articles; record event dates (``content_object_init``)."""
    if not isinstance(instance, Article):
        return
    settings = instance.settings
    date = getattr(instance, "date", None)
    instance.scheduled = False
    if (
        date is not None
        and instance.status == "published"
        and not settings.get("SCHEDULE_PREVIEW", False)
        and is_scheduled(date, build_now(settings))
    ):
        instance.status = "draft"
        instance.scheduled = True
        logger.debug("date_archives: %s is scheduled for %s", instance.relative_source_path, date)
    if settings.get("EVENT_DATES", True) and "event_dates" not in instance.metadata:
        default_year = date.year if date is not None else None
        events = _event_dates(settings, getattr(instance, "_content", "") or "", default_year)
        instance.event_dates = events
        instance.metadata["event_dates"] = events


def _event_dates(settings, text, default_year):
    if EVENTS_STATE not in settings:  # outside a build (configure never ran): no cache
        return find_event_dates(text, default_year)
    cache = settings[EVENTS_STATE]
    if cache is None:
        cache = settings[EVENTS_STATE] = EventDatesCache(settings["EVENT_DATES_CACHE_PATH"])
    return cache.event_dates(text, default_year)


def close_event_cache(settings):
    """Write the new rows and close the file (``article_generator_finalized``: every article is read)."""
    cache = settings.get(EVENTS_STATE)
    if cache is not None:
        cache.close()
        logger.info("date_archives: event dates of %d article(s) found, %d from the cache", cache.misses, cache.hits)
        settings[EVENTS_STATE] = None


def finish(pelican):
    """``finalized``: an article made after the articles generator (none in this site) reopened it."""
    close_event_cache(pelican.settings)


# --- periods -------------------------------------------------------------------------------


@dataclass
class Period:
    """One day, month or year with news, as the templates see it (``archive``)."""

    granularity: str
    key: tuple
    articles: list = field(default_factory=list)
    url: str = ""
    save_as: str = ""
    previous: "Period | None" = None
    next: "Period | None" = None
    parents: list = field(default_factory=list)
    children: list = field(default_factory=list)
    calendar: object = None

    @property
    def date(self):
        """First day of the period (a ``datetime.date``)."""
        year, month, day = (tuple(self.key) + (1, 1))[:3]
        return _dt.date(year, month, day)

    @property
    def count(self):
        return len(self.articles)

    @property
    def title(self):
        return period_title(self.granularity, self.key)

    @property
    def label(self):
        """Short name for links: '22/06/2022', 'Tháng 6/2022', 'Năm 2022'."""
        if self.granularity == "day":
            return format_short_date(self.date)
        return self.title

    @property
    def period(self):
        """Pelican's ``period`` tuple with a Vietnamese month name: (2022, 'tháng 6', 22)."""
        if self.granularity == "year":
            return self.key
        return (self.key[0], month_label(self.key[1])) + tuple(self.key[2:])


def period_title(granularity, key):
    """'Tin ngày 22/06/2022', 'Tháng 6/2022' or 'Năm 2022'."""
    if granularity == "day":
        return f"Tin ngày {format_short_date(_dt.date(*key))}"
    if granularity == "month":
        return month_label(key[1], key[0])
    return f"Năm {key[0]}"


def by_date(articles):
    """Newest first; articles of the same minute by source path, so builds are stable."""
    ordered = sorted(articles, key=lambda a: str(getattr(a, "source_path", "")))
    return sorted(ordered, key=lambda a: a.date, reverse=True)


def period_key(granularity, date):
    if granularity == "year":
        return (date.year,)
    if granularity == "month":
        return (date.year, date.month)
    return (date.year, date.month, date.day)


def build_periods(articles, formats):
    """Group ``articles`` (newest first) into periods, in one pass, and link neighbours.

    ``formats`` maps a granularity to ``{"url": ..., "save_as": ...}`` (Pelican formats with
    ``{date}``). Returns ``{granularity: [Period, ...]}`` oldest first.
    """
    groups = {g: {} for g in GRANULARITIES}
    for article in articles:
        for granularity in GRANULARITIES:
            key = period_key(granularity, article.date)
            period = groups[granularity].get(key)
            if period is None:
                fmt = formats[granularity]
                period = Period(
                    granularity,
                    key,
                    url=fmt["url"].format(date=article.date),
                    save_as=fmt["save_as"].format(date=article.date) if fmt["save_as"] else "",
                )
                groups[granularity][key] = period
            period.articles.append(article)

    result = {}
    for granularity in GRANULARITIES:
        periods = [groups[granularity][key] for key in sorted(groups[granularity])]
        for older, newer in zip(periods, periods[1:]):
            older.next, newer.previous = newer, older
        result[granularity] = periods
    for month in result["month"]:
        month.parents = [groups["year"][month.key[:1]]]
        groups["year"][month.key[:1]].children.append(month)
    for day in result["day"]:
        month = groups["month"][day.key[:2]]
        day.parents = [groups["year"][day.key[:1]], month]
        month.children.append(day)
    for month in result["month"]:
        month.calendar = month_grid(
            month.key[0], month.key[1],
            links={d.key[2]: d.url for d in month.children},
            counts={d.key[2]: d.count for d in month.children},
        )
    for day in result["day"]:
        day.calendar = with_current(day.parents[1].calendar, day.date)
    return result


def link_neighbours(articles):
    """Set ``previous_by_date`` (older) and ``next_by_date`` (newer) on each article."""
    chronological = list(reversed(articles))
    for index, article in enumerate(chronological):
        article.previous_by_date = chronological[index - 1] if index > 0 else None
        article.next_by_date = chronological[index + 1] if index + 1 < len(chronological) else None


@dataclass
class DateArchives:
    """Everything the templates need, as ``date_archives`` in the shared context."""

    years: list
    months: list
    days: list
    days_index: dict
    first_day: _dt.date | None
    last_day: _dt.date | None
    total: int

    def newest_first(self, granularity):
        return list(reversed(getattr(self, granularity + "s")))


def collect(generator):
    """Build the archive data after the articles are read (``article_generator_finalized``)."""
    settings = generator.settings
    close_event_cache(settings)
    held = [a for a in list(generator.drafts) + list(getattr(generator, "drafts_translations", []))
            if getattr(a, "scheduled", False)]
    logger.info("date_archives: %d article(s) scheduled for later", len(held))

    articles = by_date(generator.articles)
    link_neighbours(articles)
    formats = settings.get("DATE_ARCHIVES_PERIODS") or {
        g: {"url": u, "save_as": s} for g, (u, s) in _CORE_DEFAULTS.items()
    }
    periods = build_periods(articles, formats)
    days = [period.date for period in periods["day"]]
    generator.context["date_archives"] = DateArchives(
        years=periods["year"],
        months=periods["month"],
        days=periods["day"],
        days_index=encode_days(days),
        first_day=days[0] if days else None,
        last_day=days[-1] if days else None,
        total=len(articles),
    )
    generator.context["scheduled_articles"] = held
    generator.context.setdefault("build_guard_claims", []).extend(claims(periods, settings))


def claims(periods, settings):
    """(save_as, owner) of every file this plugin writes, for plugins.build_guard."""
    per_page = settings.get("DATE_ARCHIVES_PAGE_SIZE") or settings.get("DEFAULT_PAGINATION")
    result = []
    for granularity in GRANULARITIES:
        for period in periods[granularity]:
            if not period.save_as:
                continue
            paginator = Paginator(period.save_as, period.url, period.articles, settings, per_page)
            for number in range(1, paginator.num_pages + 1):
                result.append((paginator.page(number).save_as, f"the {granularity} archive {period.url}"))
    for key, owner in (("DAYS_INDEX_SAVE_AS", "the days-with-news index"),
                       ("NO_NEWS_SAVE_AS", "the 'no news' page")):
        if settings.get(key):
            result.append((settings[key], owner))
    return result


# --- output --------------------------------------------------------------------------------


def write_archives(generator, writer):
    """Write period pages, the days JSON and the no-news page (``article_writer_finalized``)."""
    archives = generator.context.get("date_archives")
    if archives is None:
        return
    settings = generator.settings
    relative = settings.get("RELATIVE_URLS", False)
    template = generator.get_template("period_archives")
    for granularity, periods in (("year", archives.years), ("month", archives.months),
                                 ("day", archives.days)):
        for period in periods:
            if not period.save_as:
                continue
            writer.write_file(
                period.save_as,
                template,
                generator.context,
                relative_urls=relative,
                paginated={"articles": period.articles, "dates": period.articles},
                template_name="period_archives",
                url=period.url,
                archive=period,
                articles=period.articles,
                dates=period.articles,
                period=period.period,
                period_num=period.key,
                calendar=period.calendar,
                blog=True,
                all_articles=generator.articles,
            )

    index_text = dumps(archives.days_index)
    save_as = settings.get("DAYS_INDEX_SAVE_AS")
    if save_as:
        path = os.path.join(generator.output_path, save_as)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(index_text + "\n")
        logger.info('Writing "%s" (%d bytes)', path, len(index_text) + 1)

    no_news = settings.get("NO_NEWS_SAVE_AS")
    if no_news:
        writer.write_file(
            no_news,
            generator.get_template("no_news"),
            generator.context,
            relative_urls=relative,
            template_name="no_news",
            url=settings.get("NO_NEWS_URL"),
            days_index_json=index_text,
        )



def register():
    signals.initialized.connect(configure)
    signals.content_object_init.connect(process_article)
    signals.article_generator_finalized.connect(collect)
    signals.article_writer_finalized.connect(write_archives)
    signals.finalized.connect(finish)
