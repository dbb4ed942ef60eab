"""site_search: the static full-text search of the archive (issue 9).

- ``initialized``: the search page ``/tim-kiem/`` is a direct template (``search.html``);
- ``all_generators_finalized``: every published article is analysed (title, Summary,
  body paragraphs; cached by content hash) and numbered in date order, with Python's cyclic
  collector paused (``gc_pause``); the whole index is encoded in another process when
  ``SITE_SEARCH_PROCESSES`` > 1, while the build goes on (a fork of the build, or from
  ``SITE_SEARCH_FRESH_PROCESS_DOCS`` documents a new interpreter that reads the analyses from the
  cache itself: the build process only makes sure every one is there); the index folder
  is claimed from build_guard as a whole (nothing else may be written inside it but the
  ``.gz`` copies of plugins.precompress);
- the index files are written below ``SITE_SEARCH_INDEX_DIR`` by that process as soon as they
  are encoded, else at ``finalized`` (in an incremental build, those the base build already has
  are hard-linked from it); ``finalized`` waits for the process and reports.

Settings (defaults in ``DEFAULTS``):

- ``SITE_SEARCH_INDEX_DIR`` (``"tim-kiem/chi-muc"``): index folder, relative to the output;
- ``SITE_SEARCH_CACHE_PATH`` (``None``): analysis cache folder; None = ``CACHE_PATH/site_search``,
  ``""`` = no cache;
- ``SITE_SEARCH_PROCESSES`` (``None``): processes that analyse the articles the cache misses
  and encode the index, forked from the build (None = one per core; with N > 1 the encoding
  runs beside the build in N - 1 processes; 1 = this process only, in turn); the bytes do not
  depend on it;
- ``SITE_SEARCH_LISTED_BUCKETS`` (``writer.LISTED_BUCKETS_MAX``, 512): a key space with at
  most this many buckets lists their hashes in ``index.json`` (a query saves the round trip of
  a directory file; 8 hex digits per bucket in the manifest); 0 = directory files always;
- ``SITE_SEARCH_FRESH_PROCESS_DOCS`` (5000): from this many documents the encoding process is a
  new interpreter instead of a fork of the build, which starts with the build's whole memory
  mapped (1.3 GB of a 100,000-article build), so its peak is its own work; it is sent the
  documents without their analyses and reads those from the analysis cache (with no usable
  cache, the documents are sent whole); below it, a fork (starting an interpreter costs about
  half a second). The bytes do not depend on it.

State lives in the build's settings dict (``SITE_SEARCH_STATE``), never in module globals.
"""

import logging
import os
import pickle
import time

from pelican import signals
from pelican.generators import ArticlesGenerator

from plugins.incremental_build.incremental import reusable_base
from plugins.parallel_output.fresh_process import FreshBackground
from plugins.parallel_output.parallel_output import Background
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
    "SITE_SEARCH_FRESH_PROCESS_DOCS": 5000,
}
# Integer settings and their smallest valid value (None, where allowed, means the default).
INT_MINIMUM = {"SITE_SEARCH_PROCESSES": 1, "SITE_SEARCH_LISTED_BUCKETS": 0, "SITE_SEARCH_FRESH_PROCESS_DOCS": 0}
STATE_KEY = "SITE_SEARCH_STATE"
# Articles analysed at a time (their texts, and the analyses until stored): the build process
# never holds more. 10,000 raised its heap by 83 MB at 10,000 articles, 2,000 by 24 MB, and the
# heap keeps what it grew to (the 10k build's peak: 240 against 213 MB).
ANALYSE_CHUNK = 2_000
# What encode_from_cache returns when a cached analysis does not read back.
UNREAD = "unread"


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


def _catalogue(articles, campaigns):
    """The articles in doc-id (date) order, the category and campaign lists, and a function
    giving an article's Doc without its analysis."""
    ordered = sorted(articles, key=lambda a: (a.date, a.source_path))
    names = sorted({str(a.category) for a in ordered if getattr(a, "category", None)}, key=sort_key)
    slug_of = {str(a.category): a.category.slug for a in ordered if getattr(a, "category", None)}
    categories = [(name, slug_of[name]) for name in names]
    category_index = {name: i for i, name in enumerate(names)}
    campaign_list = [(page.name, page.slug) for page in campaigns]
    campaign_index = {slug: i for i, (_, slug) in enumerate(campaign_list)}

    def doc(article, title, analysis):
        category = getattr(article, "category", None)
        return Doc(
            url=article.url,
            title=title,
            date=format_short_date(article.date),
            year=article.date.year,
            category=category_index.get(str(category), -1) if category else -1,
            campaigns=sorted(campaign_index[p.slug] for p in getattr(article, "campaigns", []) or []
                             if p.slug in campaign_index),
            lead=analysis["lead"] if analysis else "",
            segments=analysis["segments"] if analysis else [],
        )

    return ordered, categories, campaign_list, doc


def documents(articles, campaigns, cache, analyzer, processes=1):
    """Doc records of ``articles`` in doc-id (date) order, with the category and campaign lists;
    the articles the cache misses are analysed by ``processes`` processes."""
    ordered, categories, campaign_list, doc = _catalogue(articles, campaigns)
    titles, keys = _titles_and_keys(ordered)

    def analyse_missing(missing):
        analyses = []
        for start in range(0, len(missing), ANALYSE_CHUNK):
            chunk = missing[start:start + ANALYSE_CHUNK]
            analyses += analyse_all([article_text(ordered[i]) for i in chunk], analyzer, processes)
        return analyses

    analyses = cache.lookup_all(keys, analyse_missing)
    docs = [doc(article, title, analysis) for article, title, analysis in zip(ordered, titles, analyses)]
    return docs, categories, campaign_list


def _titles_and_keys(ordered):
    """Each article's plain title and analysis cache key. Its texts are made again where they
    are analysed, a chunk at a time: held for the whole archive, they were every body at once
    (330 MB at 100,000 articles once plugins.content_memory keeps the bodies out of memory)."""
    titles, keys = [], []
    for article in ordered:
        text = article_text(article)
        titles.append(text[0])
        keys.append(content_hash(*text))
    return titles, keys


def documents_in_cache(articles, campaigns, cache, analyzer, processes=1):
    """:func:`documents` without the analyses, and the cache key of each: every analysis is
    left in ``cache``, which must be usable (those it has are not even read; those it lacks are
    made :data:`ANALYSE_CHUNK` at a time, stored and dropped). For an encoding process that
    reads them itself (:func:`encode_from_cache`): at 100,000 articles the analyses, held and
    then pickled, were 580 MB of the build process's peak."""
    ordered, categories, campaign_list, doc = _catalogue(articles, campaigns)
    titles, keys = _titles_and_keys(ordered)
    present = cache.stored(keys)
    missing = [i for i, key in enumerate(keys) if key not in present]
    cache.hits += len(keys) - len(missing)
    cache.misses += len(missing)
    for start in range(0, len(missing), ANALYSE_CHUNK):
        chunk = missing[start:start + ANALYSE_CHUNK]
        for i, analysis in zip(chunk, analyse_all([article_text(ordered[i]) for i in chunk], analyzer, processes)):
            cache.store(keys[i], analysis)
    docs = [doc(article, title, None) for article, title in zip(ordered, titles)]
    return docs, keys, categories, campaign_list


def _documents_here(articles, campaign_pages, merged, analyzer, processes):
    """:func:`documents`, with the analysis cache opened and closed around it."""
    cache = AnalysisCache(merged["SITE_SEARCH_CACHE_PATH"])
    try:
        return documents(articles, campaign_pages, cache, analyzer, processes)
    finally:
        cache.close()
        logger.info("site_search: encoding in the build process: %d analysed, %d from cache", cache.misses,
                    cache.hits)


def build_index(generators):
    """``all_generators_finalized``: analyse the articles, start encoding the index and claim
    its folder.

    With more than one process the encoding runs in another process while Pelican goes on
    signing and rendering pages, which leave the second core idle most of the time: one forked
    from the build (``parallel_output.Background``), or for a large archive a new interpreter
    (``FreshBackground``), whose peak memory is its own work instead of the build's plus it.
    That process writes the files too, and :func:`write_index` waits for it. The
    files' names carry content hashes, unknown until the encoding is done, so the folder is
    claimed as a whole: build_guard then refuses any other output inside it."""
    articles_generator = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles_generator is None:
        return
    settings = articles_generator.settings
    merged = search_settings(settings)
    started = time.perf_counter()
    analyzer = Analyzer()
    cache = AnalysisCache(merged["SITE_SEARCH_CACHE_PATH"])
    processes, listed = merged["SITE_SEARCH_PROCESSES"], merged["SITE_SEARCH_LISTED_BUCKETS"]
    articles = articles_generator.articles
    campaign_pages = articles_generator.context.get("campaigns") or []
    # A new interpreter reads the analyses from the cache itself: the build process neither
    # holds them all nor pickles them.
    fresh = processes > 1 and len(articles) >= merged["SITE_SEARCH_FRESH_PROCESS_DOCS"]
    from_cache = fresh and cache.usable
    folder = merged["SITE_SEARCH_INDEX_DIR"]
    root = os.path.join(articles_generator.output_path, *folder.split("/"))
    base = reusable_base(settings)
    base_root = os.path.join(base, *folder.split("/")) if base else ""
    with collector_paused():
        try:
            if from_cache:
                docs, keys, categories, campaigns = documents_in_cache(articles, campaign_pages, cache, analyzer,
                                                                       processes)
            else:
                docs, categories, campaigns = documents(articles, campaign_pages, cache, analyzer, processes)
        finally:
            cache.close()
        job = None
        if processes > 1:
            # The other process encodes (its groups over the other processes) and writes the
            # files alone, while the build process goes on with the pages.
            try:
                args = (docs, categories, campaigns, analyzer, processes - 1, listed, root, base_root)
                if from_cache:
                    job = FreshBackground(encode_from_cache, (keys, merged["SITE_SEARCH_CACHE_PATH"], *args),
                                          prefix="site_search-")
                elif fresh:
                    job = FreshBackground(encode_and_write, args, prefix="site_search-")
                else:
                    job = Background(lambda proceed, args=args: encode_and_write(*args, proceed), prefix="site_search-")
                del args
            except (OSError, pickle.PicklingError) as exc:
                logger.warning("site_search: could not encode in the background (%s); encoding here", exc)
        files = None
        if job is None:
            if from_cache:  # the docs lack their analyses
                docs = _documents_here(articles, campaign_pages, merged, analyzer, processes)[0]
            files = build_files(docs, categories, campaigns, analyzer, processes, listed)
        ndocs = len(docs)
        del docs  # freed before the collector is back: it never walks the analyses
    articles_generator.context.setdefault("build_guard_claims", []).append((folder, "site_search: search index"))
    settings[STATE_KEY] = {"files": files, "job": job, "root": root, "base_root": base_root,
                           "again": (articles, campaign_pages, merged, analyzer, processes, listed)}
    logger.info("site_search: %d document(s); %d analysed, %d from cache (%.2f s)%s", ndocs, cache.misses,
                cache.hits, time.perf_counter() - started,
                "" if job is None else "; encoding in a forked process" if not isinstance(job, FreshBackground)
                else "; encoding in a new interpreter, which reads the analyses from the cache" if from_cache
                else "; encoding in a new interpreter")


def write_index(pelican):
    """``finalized``: the index files are in place (written here, or by the encoding process of
    :func:`build_index`, which writes them as soon as they are encoded). When that process could
    not read an analysis back from the cache, the index is made here, the articles the cache
    fails analysed again."""
    state = pelican.settings.pop(STATE_KEY, None)
    if not state:
        return
    started = time.perf_counter()
    files = state["files"]
    report = None
    if state["job"] is not None:
        report = state["job"].result()
        if report == UNREAD:
            articles, campaign_pages, merged, analyzer, processes, listed = state["again"]
            logger.warning("site_search: an analysis in the cache %s did not read back in the encoding process; "
                           "encoding the index in the build process", merged["SITE_SEARCH_CACHE_PATH"])
            with collector_paused():
                docs, categories, campaigns = _documents_here(articles, campaign_pages, merged, analyzer, processes)
                files = build_files(docs, categories, campaigns, analyzer, processes, listed)
                del docs
            report = None
    if report is None:
        report = write_files(files, state["root"], state["base_root"])
    logger.info("site_search: %d index file(s), %d bytes; %d written, %d linked from the base build, the others "
                "unchanged (%.2f s writing; waited %.2f s here)", *report, time.perf_counter() - started)


def encode_from_cache(keys, cache_path, docs, categories, campaigns, analyzer, processes, listed, root, base_root,
                      proceed):
    """:func:`encode_and_write` for the docs of :func:`documents_in_cache`, their analyses read
    here from the cache at ``cache_path``. When one does not read back (a damaged row), nothing
    is encoded and ``UNREAD`` is returned: only the build process has the articles' text to
    analyse them again (see :func:`write_index`)."""
    cache = AnalysisCache(cache_path)

    def segments():
        # one analysis at a time, straight into the encoder's arrays: kept on the docs, the
        # syllable lists were some 440 MB of this process's peak at 100,000 articles
        for doc, analysis in zip(docs, cache.iter_all(keys)):
            if analysis is None:
                raise _Unread
            doc.lead = analysis["lead"]
            yield analysis["segments"]
        cache.close()

    try:
        return encode_and_write(docs, categories, campaigns, analyzer, processes, listed, root, base_root, proceed,
                                segments())
    except _Unread:
        return UNREAD
    finally:
        cache.close()


class _Unread(Exception):
    """An analysis of the cache did not read back (see :func:`encode_from_cache`)."""


def encode_and_write(docs, categories, campaigns, analyzer, processes, listed, root, base_root, proceed,
                     segments=None):
    """:func:`build_files` (``segments`` as it takes them), then, once the build has checked
    every claim (``proceed()``, see :func:`release_writing`), :func:`write_files`: what the
    encoding process does. A build that stopped before writes nothing (None)."""
    files = build_files(docs, categories, campaigns, analyzer, processes, listed, segments)
    return write_files(files, root, base_root) if proceed() else None


def release_writing(pelican, writer=None):
    """``get_writer`` (sent once every ``all_generators_finalized`` handler, build_guard's
    claims check included, has run): the encoding process may write the index files."""
    state = pelican.settings.get(STATE_KEY)
    if state and state["job"] is not None:
        state["job"].release()


def write_files(wanted, root, base_root):
    """Write ``{relative path: bytes}`` below ``root``; ``(files, bytes, written, linked, seconds)``.

    A file whose bytes are already there is not written again (names carry content hashes,
    so after a one-article change most files are untouched); in an incremental build a file
    whose bytes the base build has at the same path (below ``base_root``) is hard-linked from it
    instead of written (plugins.incremental_build: the base is never opened for writing, and a
    file here that must change is replaced, never written through). The folder is this
    plugin's alone (claimed whole): files of an older index go."""
    started = time.perf_counter()
    targets = {path: os.path.join(*path.split("/")) for path in wanted}  # relative to root (and base_root)
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
    return len(wanted), sum(map(len, wanted.values())), written, linked, time.perf_counter() - started


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
    signals.get_writer.connect(release_writing)
    signals.finalized.connect(write_index)
