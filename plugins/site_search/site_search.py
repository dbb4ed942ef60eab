"""site_search: the static full-text search of the archive (issue 9).

- ``initialized``: the search page ``/tim-kiem/`` is a direct template (``search.html``);
- ``all_generators_finalized``: every published article is analysed (title, Summary,
  body paragraphs; cached by content hash), numbered in date order, and the whole index is
  encoded in memory, with Python's cyclic collector paused (``gc_pause``); every file is
  declared to build_guard before anything is written;
- ``finalized``: the index files are written below ``SITE_SEARCH_INDEX_DIR`` (in an incremental
  build, those the base build already has are hard-linked from it).

Settings (defaults in ``DEFAULTS``):

- ``SITE_SEARCH_INDEX_DIR`` (``"tim-kiem/chi-muc"``): index folder, relative to the output;
- ``SITE_SEARCH_CACHE_PATH`` (``None``): analysis cache folder; None = ``CACHE_PATH/site_search``,
  ``""`` = no cache;
- ``SITE_SEARCH_PROCESSES`` (``None``): processes that analyse the articles the cache misses
  and encode the postings, forked from the build (None = one per core, 1 = this process
  only); the bytes do not depend on it;
- ``SITE_SEARCH_LISTED_BUCKETS`` (``writer.LISTED_BUCKETS_MAX``, 512): a key space with at
  most this many buckets lists their hashes in ``index.json`` (a query saves the round trip of
  a directory file; 8 hex digits per bucket in the manifest); 0 = directory files always.

State lives in the build's settings dict (``SITE_SEARCH_STATE``), never in module globals.
"""

import logging
import os
import time

from pelican import signals
from pelican.generators import ArticlesGenerator

from plugins.incremental_build.incremental import reusable_base
from plugins.vntext import Analyzer, format_short_date, sort_key

from .cache import AnalysisCache
from .gc_pause import collector_paused
from .parallel_analysis import analyse_all
from .segments import content_hash, plain
from .writer import LISTED_BUCKETS_MAX, Doc, build_files

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SITE_SEARCH_INDEX_DIR": "tim-kiem/chi-muc",
    "SITE_SEARCH_CACHE_PATH": None,
    "SITE_SEARCH_PROCESSES": None,
    "SITE_SEARCH_LISTED_BUCKETS": LISTED_BUCKETS_MAX,
}
# Integer settings and their smallest valid value (None, where allowed, means the default).
INT_MINIMUM = {"SITE_SEARCH_PROCESSES": 1, "SITE_SEARCH_LISTED_BUCKETS": 0}
STATE_KEY = "SITE_SEARCH_STATE"


def search_settings(settings):
    merged = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        value = settings.get(key, default)
        if key == "SITE_SEARCH_INDEX_DIR" and (not isinstance(value, str) or not value.strip("/")
                                               or ".." in value.split("/")):
            logger.warning("site_search: invalid setting %s=%r, using the default %r", key, value, default)
            value = default
        if key in INT_MINIMUM and value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < INT_MINIMUM[key]):
            logger.warning("site_search: invalid setting %s=%r, using the default %r", key, value, default)
            value = default
        merged[key] = value.strip("/") if key == "SITE_SEARCH_INDEX_DIR" else value
    if merged["SITE_SEARCH_CACHE_PATH"] is None:
        merged["SITE_SEARCH_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH", "cache"), "site_search")
    if merged["SITE_SEARCH_PROCESSES"] is None:
        merged["SITE_SEARCH_PROCESSES"] = max(1, os.cpu_count() or 1)
    return merged


def configure(pelican):
    """``initialized``: register the search page and expose the index folder to templates."""
    settings = pelican.settings
    settings.pop(STATE_KEY, None)
    merged = search_settings(settings)
    search_url = settings.setdefault("SEARCH_URL", "tim-kiem/")
    settings.setdefault("SEARCH_SAVE_AS", search_url.rstrip("/") + "/index.html")
    templates = list(settings.get("DIRECT_TEMPLATES", []))
    if "search" not in templates:
        settings["DIRECT_TEMPLATES"] = templates + ["search"]
    settings["SITE_SEARCH_INDEX_DIR"] = merged["SITE_SEARCH_INDEX_DIR"]


def article_text(article):
    """(title, summary, body html) of an article as plain text (title/Summary unescaped)."""
    title = plain(str(article.title))
    summary = article.metadata.get("summary") or ""
    return title, plain(str(summary)) if summary else "", article._content or ""


def documents(articles, campaigns, cache, analyzer, processes=1):
    """Doc records of ``articles`` in doc-id (date) order, with the category and campaign lists;
    the articles the cache misses are analysed by ``processes`` processes."""
    ordered = sorted(articles, key=lambda a: (a.date, a.source_path))
    names = sorted({str(a.category) for a in ordered if getattr(a, "category", None)}, key=sort_key)
    slug_of = {str(a.category): a.category.slug for a in ordered if getattr(a, "category", None)}
    categories = [(name, slug_of[name]) for name in names]
    category_index = {name: i for i, name in enumerate(names)}
    campaign_list = [(page.name, page.slug) for page in campaigns]
    campaign_index = {slug: i for i, (_, slug) in enumerate(campaign_list)}
    texts = [article_text(article) for article in ordered]
    analyses = cache.lookup_all([content_hash(*text) for text in texts],
                                lambda missing: analyse_all([texts[i] for i in missing], analyzer, processes))
    docs = []
    for article, (title, _, _), analysis in zip(ordered, texts, analyses):
        category = getattr(article, "category", None)
        docs.append(Doc(
            url=article.url,
            title=title,
            date=format_short_date(article.date),
            year=article.date.year,
            category=category_index.get(str(category), -1) if category else -1,
            campaigns=sorted(campaign_index[p.slug] for p in getattr(article, "campaigns", []) or []
                             if p.slug in campaign_index),
            lead=analysis["lead"],
            segments=analysis["segments"],
        ))
    return docs, categories, campaign_list


def build_index(generators):
    """``all_generators_finalized``: encode the index and declare its files."""
    articles_generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles_generator is None:
        return
    settings = articles_generator.settings
    merged = search_settings(settings)
    started = time.perf_counter()
    analyzer = Analyzer()
    cache = AnalysisCache(merged["SITE_SEARCH_CACHE_PATH"])
    with collector_paused():
        try:
            docs, categories, campaigns = documents(
                articles_generator.articles, articles_generator.context.get("campaigns") or [], cache, analyzer,
                merged["SITE_SEARCH_PROCESSES"])
        finally:
            cache.close()
        files = build_files(docs, categories, campaigns, analyzer, merged["SITE_SEARCH_PROCESSES"],
                            merged["SITE_SEARCH_LISTED_BUCKETS"])
        ndocs = len(docs)
        del docs  # freed before the collector is back: it never walks the analyses
    folder = merged["SITE_SEARCH_INDEX_DIR"]
    claims = articles_generator.context.setdefault("build_guard_claims", [])
    for path in sorted(files):
        claims.append((f"{folder}/{path}", "site_search: search index"))
    settings[STATE_KEY] = {"folder": folder, "files": files}
    logger.info(
        "site_search: %d document(s), %d file(s), %d bytes; %d analysed, %d from cache (%.2f s)",
        ndocs, len(files), sum(len(data) for data in files.values()),
        cache.misses, cache.hits, time.perf_counter() - started,
    )


def write_index(pelican):
    """``finalized``: write the files declared in :func:`build_index`.

    A file whose bytes are already there is not written again (names carry content hashes,
    so after a one-article change most files are untouched); in an incremental build a file
    whose bytes the base build has at the same path is hard-linked from it instead of written
    (plugins.incremental_build: the base is never opened for writing, and a file here that
    must change is replaced, never written through). Files of an older index go."""
    state = pelican.settings.pop(STATE_KEY, None)
    if not state:
        return
    started = time.perf_counter()
    folder = state["folder"].split("/")
    root = os.path.join(pelican.output_path, *folder)
    base = reusable_base(pelican.settings)
    base_root = os.path.join(base, *folder) if base else ""
    wanted = state["files"]
    targets = {path: os.path.join(*path.split("/")) for path in wanted}  # relative to root (and base_root)
    # The folder is this plugin's alone: files of an older index (other hashes) go.
    keep = {os.path.join(root, rel) for rel in targets.values()}
    for current, _, names in os.walk(root):
        for name in names:
            if os.path.join(current, name) not in keep:
                os.remove(os.path.join(current, name))
    written = linked = 0
    made = set()
    for path in sorted(wanted):
        data, target = wanted[path], os.path.join(root, targets[path])
        if _same_bytes(target, data):
            continue
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        if os.path.lexists(target):
            os.remove(target)  # never write through a name that may share its file
        if base_root and _same_bytes(os.path.join(base_root, targets[path]), data):
            os.link(os.path.join(base_root, targets[path]), target)
            linked += 1
            continue
        with open(target, "wb") as handle:
            handle.write(data)
        written += 1
    logger.info("site_search: %d of %d index file(s) written, %d linked from the base build, the others "
                "unchanged (%.2f s)", written, len(wanted), linked, time.perf_counter() - started)


def _same_bytes(path, data):
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(build_index)
    signals.finalized.connect(write_index)
