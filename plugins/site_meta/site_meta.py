"""site_meta: the files machines read: ``sitemap.xml``, ``robots.txt``, the metadata export.

* ``sitemap.xml``: the home page, every published article and page, every day, month and
  year archive, every category, tag, author and campaign page and the list pages
  (``/chuyen-muc/``, ``/the/``, ``/tac-gia/``, ``/chien-dich/``, ``/luu-tru/``), each with
  ``<lastmod>`` in Vietnam time (``2022-06-22T10:08:00+07:00``): an article's ``Modified:``
  or ``Date:``, a listing's newest article. Only first pages of listings (``…/trang/N/``
  pages hold the same articles). Above ``SITE_META_SITEMAP_MAX_URLS`` URLs the entries are
  split into ``sitemap-1.xml``, ``sitemap-2.xml``, … and ``sitemap.xml`` becomes their index.
* ``robots.txt``: ``Sitemap:`` with the absolute address, ``Disallow:`` for pages that are
  not content (the "no news that day" page).
* ``luu-tru/bai-viet.json``: every published article's title, URL, dates, category, tags,
  author, campaign slugs and summary (see ``export.py``).

Signals: the paths are planned and declared to ``plugins.build_guard`` at
``all_generators_finalized`` (list this plugin before build_guard), and written at
``finalized``, after every page, so a build that failed writes nothing here. Cost: one pass
over articles and listings plus one sort of the URLs; files are streamed line by line.
State lives in the build's settings (one dict per Pelican run), never in module globals.
"""

import logging
import os

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from plugins.vntext import format_iso

from .export import write_export
from .robots import robots_txt
from .sitemap import PROTOCOL_MAX_URLS, part_names, write_sitemaps

logger = logging.getLogger(__name__)

# name: [default, description] -- the README lists the same.
DEFAULTS = {
    "SITE_META_SITEURL": [None, "absolute site address for <loc>, robots.txt and the export; "
                                "None: SITEURL when absolute (publishconf.py), else FEED_DOMAIN"],
    "SITE_META_SITEMAP_SAVE_AS": ["sitemap.xml", "the sitemap, or the sitemap index when split ('' = none)"],
    "SITE_META_SITEMAP_PART_SAVE_AS": ["sitemap-{number}.xml", "part files of a split sitemap"],
    "SITE_META_SITEMAP_MAX_URLS": [PROTOCOL_MAX_URLS, "URLs per sitemap file; more: split + index"],
    "SITE_META_ROBOTS_SAVE_AS": ["robots.txt", "robots.txt ('' = none)"],
    "SITE_META_ROBOTS_DISALLOW": [None, "site-relative URLs crawlers skip; None: [NO_NEWS_URL]"],
    "SITE_META_EXPORT_SAVE_AS": ["luu-tru/bai-viet.json", "JSON export of article metadata ('' = none)"],
}
STATE_KEY = "SITE_META_STATE"
# Listing pages rendered from DIRECT_TEMPLATES: (template, settings prefix).
LIST_PAGES = (("categories", "CATEGORIES"), ("tags", "TAGS"), ("authors", "AUTHORS"), ("archives", "ARCHIVES"))


# --- settings ------------------------------------------------------------------------------


def _valid(name, value):
    if name == "SITE_META_SITEMAP_MAX_URLS":
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= PROTOCOL_MAX_URLS
    if name == "SITE_META_SITEURL":
        return value is None or (isinstance(value, str) and value.startswith(("http://", "https://")))
    if name == "SITE_META_ROBOTS_DISALLOW":
        return value is None or (isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value))
    if name == "SITE_META_SITEMAP_PART_SAVE_AS":
        return isinstance(value, str) and "{number}" in value
    return isinstance(value, str)


def configure(pelican):
    """Merge the defaults into the build's settings once, each bad value logged (``initialized``)."""
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        value = settings.get(name, default)
        if not _valid(name, value):
            logger.error("site_meta: invalid %s %r; using %r", name, value, default)
            value = default
        settings[name] = value
    settings[STATE_KEY] = None


def public_base(settings):
    """The site's absolute address without a trailing slash, or "" when none is known."""
    for value in (settings.get("SITE_META_SITEURL"), settings.get("SITEURL"), settings.get("FEED_DOMAIN")):
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value.rstrip("/")
    return ""


# --- planning ------------------------------------------------------------------------------


def lastmod_of(article):
    """An article's last change: the later of Modified: and Date:."""
    modified = getattr(article, "modified", None)
    return max(article.date, modified) if modified else article.date


def _newest(articles):
    return format_iso(max(lastmod_of(a) for a in articles)) if articles else ""


def sitemap_entries(generators, context, settings):
    """Sorted ``(site-relative URL, lastmod)`` of every page the sitemap lists."""
    entries = {}
    articles_gen = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    pages_gen = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    articles = list(getattr(articles_gen, "articles", []) or [])
    newest = _newest(articles)

    def add(url, save_as, lastmod):
        if save_as:
            entries.setdefault(url, lastmod)

    add("", settings.get("INDEX_SAVE_AS", "index.html"), newest)
    for article in articles:
        add(article.url, article.save_as, format_iso(lastmod_of(article)))
    for page in getattr(pages_gen, "pages", []) or []:
        date = getattr(page, "date", None)
        add(page.url, page.save_as, format_iso(lastmod_of(page)) if date else "")
    for template, prefix in LIST_PAGES:
        if template in settings.get("DIRECT_TEMPLATES", []):
            add(settings.get(f"{prefix}_URL", ""), settings.get(f"{prefix}_SAVE_AS"), newest)
    for attr in ("categories", "tags", "authors"):
        items = getattr(articles_gen, attr, None) or []
        for wrapper, members in (items.items() if isinstance(items, dict) else items):
            add(wrapper.url, wrapper.save_as, _newest(members))
    archives = context.get("date_archives")
    for period in (archives.years + archives.months + archives.days) if archives else []:
        add(period.url, period.save_as, _newest(period.articles))
    campaigns = context.get("campaigns") or []
    if campaigns:
        add(settings.get("CAMPAIGNS_URL", ""), settings.get("CAMPAIGNS_SAVE_AS"), newest)
    for campaign in campaigns:
        add(campaign.url, campaign.save_as, _newest(campaign.articles))
    return sorted(entries.items())


def plan(generators):
    """Plan the files and declare them to build_guard (``all_generators_finalized``)."""
    if not generators:
        return
    settings, context = generators[0].settings, generators[0].context
    base = public_base(settings)
    state = {"base": base, "sitemap": [], "files": []}
    if settings["SITE_META_SITEMAP_SAVE_AS"]:
        if not base:
            logger.warning("site_meta: no absolute site address (SITEURL, FEED_DOMAIN or SITE_META_SITEURL);"
                           " sitemap locations are root-relative")
        state["sitemap"] = sitemap_entries(generators, context, settings)
        parts = part_names(len(state["sitemap"]), settings["SITE_META_SITEMAP_MAX_URLS"],
                           settings["SITE_META_SITEMAP_PART_SAVE_AS"])
        state["files"] += [(settings["SITE_META_SITEMAP_SAVE_AS"], "the sitemap" + (" index" if parts else ""))]
        state["files"] += [(name, "a part of the sitemap") for name in parts]
    if settings["SITE_META_ROBOTS_SAVE_AS"]:
        state["files"].append((settings["SITE_META_ROBOTS_SAVE_AS"], "robots.txt"))
    if settings["SITE_META_EXPORT_SAVE_AS"]:
        state["files"].append((settings["SITE_META_EXPORT_SAVE_AS"], "the article metadata export"))
        articles_gen = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
        state["articles"] = list(getattr(articles_gen, "articles", []) or [])
    context.setdefault("build_guard_claims", []).extend(state["files"])
    settings[STATE_KEY] = state


# --- output --------------------------------------------------------------------------------


def write(pelican):
    """Write what ``plan`` declared (``finalized``: every page is written by now)."""
    settings = pelican.settings
    state = settings.get(STATE_KEY)
    if not state:
        return
    output, base = pelican.output_path, state["base"]
    if settings["SITE_META_SITEMAP_SAVE_AS"]:
        entries = ((f"{base}/{url}", lastmod) for url, lastmod in state["sitemap"])
        written = write_sitemaps(output, settings["SITE_META_SITEMAP_SAVE_AS"],
                                 settings["SITE_META_SITEMAP_PART_SAVE_AS"], base, entries,
                                 len(state["sitemap"]), settings["SITE_META_SITEMAP_MAX_URLS"])
        logger.info("site_meta: %d URLs in %s", len(state["sitemap"]), ", ".join(written))
    if settings["SITE_META_ROBOTS_SAVE_AS"]:
        disallow = settings["SITE_META_ROBOTS_DISALLOW"]
        if disallow is None:
            disallow = [settings["NO_NEWS_URL"]] if settings.get("NO_NEWS_URL") else []
        path = os.path.join(output, settings["SITE_META_ROBOTS_SAVE_AS"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(robots_txt(base, settings["SITE_META_SITEMAP_SAVE_AS"], disallow))
    if settings["SITE_META_EXPORT_SAVE_AS"]:
        write_export(os.path.join(output, settings["SITE_META_EXPORT_SAVE_AS"]), state["articles"], base)


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(plan)
    signals.finalized.connect(write)
