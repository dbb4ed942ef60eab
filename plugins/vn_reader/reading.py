"""This build's reading: the read cache, and reading on every core before Pelican's read loop.

Pelican reads sources one after the other, in the build process, inside each generator's
``generate_context``. Here, at the generator's first ``*_generator_preread`` (before its first
file), :func:`prefetch` lists the sources exactly as that generator does (its own
``get_files`` with its paths and excludes; the articles generator lists the pages too), and the
ones the read cache does not hold are parsed by ``VN_READER_PROCESSES`` processes forked from
the build (``plugins.parallel_output.run_in_processes``: the build process takes the first
share). Each parse gives a *record* of plain data (strings, numbers, lists, dicts: never a
Pelican object), passed back as JSON. Pelican's loop then calls the reader for every file as
before, in its own order, and the reader replays the record (the content rules' problems, the
gate entry, the metadata, made fresh from this build's settings): every log line, check, error
and summary is the one a serial read gives. A source whose record is missing (a worker failed on
it, or it changed since) is simply parsed then, in the build process; if the processes fail, the
failure is logged as a warning and every source is read serially.

Settings (read once per build, ``DEFAULTS``): ``VN_READER_PROCESSES`` (None: one per core, 1:
no processes), ``VN_READER_CACHE_PATH`` (None: ``CACHE_PATH/vn_reader``; "": no cache).
State lives in the build's settings (``VN_READER_STATE``), never in the module.
"""

import logging
import os
import shutil
import tempfile

from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.utils import file_suffix

from plugins.content_rules import outside_root
from plugins.parallel_output.parallel_output import run_in_processes

from .read_cache import ReadCache, environment, source_hash
from .records_ahead import RecordsAhead

logger = logging.getLogger(__name__)

DEFAULTS = {
    "VN_READER_PROCESSES": [None, "processes that parse sources the cache misses; None = os.cpu_count(), 1 = serial"],
    "VN_READER_CACHE_PATH": [None, "folder of the read cache; None = CACHE_PATH/vn_reader, \"\" = no cache"],
}
STATE_KEY = "VN_READER_STATE"
# Settings that change no record (where the cache is, how many processes read).
VOLATILE = tuple(DEFAULTS) + ("CACHE_PATH", "SITE_SEARCH_CACHE_PATH", "SITE_SEARCH_FRESH_PROCESS_DOCS",
                              "CAMPAIGNS_CACHE_PATH", "EVENT_DATES_CACHE_PATH")
# Fewer misses than this are parsed in the build process: forking costs more than it saves.
PARALLEL_MIN_SOURCES = 16
# Which generator lists which sources: (paths setting, excludes setting).
_KINDS = {ArticlesGenerator: (("ARTICLE_PATHS", "ARTICLE_EXCLUDES"), ("PAGE_PATHS", "PAGE_EXCLUDES")),
          PagesGenerator: (("PAGE_PATHS", "PAGE_EXCLUDES"),)}


class ReadState:
    """One build's reading: settings, the cache, the records parsed ahead, the counters."""

    def __init__(self, settings):
        self.settings = settings
        self.processes = settings["VN_READER_PROCESSES"] or max(1, os.cpu_count() or 1)
        folder = settings["VN_READER_CACHE_PATH"]
        self.cache_folder = folder
        # Pelican's TYPOGRIFY as the user set it: the reader applies it (plugins.vn_reader.typography).
        self.typogrify = bool(settings.get("TYPOGRIFY"))
        # The environment is hashed now, before reading starts: while a source is read, Pelican's
        # TYPOGRIFY is switched off for it (plugins.vn_reader.typography).
        self.env = environment(settings, VOLATILE) if folder else ""
        self._cache = None
        self.ahead = RecordsAhead()  # absolute source path -> (hash, record) parsed by prefetch
        self.prefetched = set()  # generator classes already listed
        self.seen = set()  # relative paths read this build
        self.resolved = {}  # folder -> its real path (content_rules.outside_root), this build only
        self.parsed = self.cached = self.parsed_ahead = 0
        self.processes_used = 1
        self.finished = False

    @property
    def cache(self):
        """The read cache (opened on first use), or None."""
        if self._cache is None and self.cache_folder:
            self._cache = ReadCache(self.cache_folder, self.env)
        return self._cache if self._cache is not None and self._cache.usable else None


def _setting(settings, name, default):
    value = settings.get(name, default)
    if name == "VN_READER_PROCESSES":
        valid = value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1)
    else:
        valid = value is None or isinstance(value, str)
    if not valid:
        logger.error("vn_reader: invalid %s %r; using %r", name, value, default)
        return default
    return value


def start(pelican):
    """``get_generators`` (the start of every run): settings read once, a fresh state."""
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        settings[name] = _setting(settings, name, default)
    if settings["VN_READER_CACHE_PATH"] is None:
        settings["VN_READER_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH") or "cache", "vn_reader")
    settings[STATE_KEY] = ReadState(settings)


def state_of(settings):
    """This build's reading state; None when the reader is used outside a build."""
    return settings.get(STATE_KEY)


def relative(path, root):
    return os.path.relpath(path, root).replace(os.sep, "/")


def below_root(path, root, resolved=None):
    """True for a file Pelican may open: below ``root`` and not a link leading out of it
    (``resolved``: the build's folder memo, see ``content_rules.outside_root``)."""
    inside = os.path.abspath(path).startswith(os.path.abspath(root).rstrip(os.sep) + os.sep)
    return inside and not outside_root(path, root, resolved)


def _listed(generator, reader_class):
    """Absolute paths of the sources ``reader_class`` reads among the generator's files, sorted."""
    found = set()
    for paths, excludes in _KINDS.get(type(generator), ()):
        for name in generator.get_files(generator.settings[paths], exclude=generator.settings[excludes]):
            path = os.path.abspath(os.path.join(generator.path, name))
            if isinstance(generator.readers.readers.get(file_suffix(path)), reader_class):
                found.add(path)
    return sorted(found)


def _read_share(reader, share, folder):
    """Parse ``share`` ((index, path, rel) items) and write a line per record (RecordsAhead.line)."""
    target = os.path.join(folder, f"share-{share[0][0]}.jsonl")
    with open(target, "w", encoding="ascii") as out:
        for _index, path, rel in share:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
                line = RecordsAhead.line(path, source_hash(raw), reader.parse(path, rel, raw))
            except Exception:  # noqa: BLE001 (the build process reads it again and reports it itself)
                continue
            out.write(line)


def prefetch(generator, reader_class):
    """Parse, in ``VN_READER_PROCESSES`` processes, the generator's sources the cache misses."""
    state = state_of(generator.settings)
    if state is None or type(generator) in state.prefetched:
        return
    # The articles generator lists the pages too (same walk, same readers): one round of processes.
    state.prefetched.update(_KINDS if isinstance(generator, ArticlesGenerator) else (type(generator),))
    root = generator.settings.get("PATH", ".")
    reader = next((r for r in generator.readers.readers.values() if isinstance(r, reader_class)), None)
    if reader is None:
        return
    cache = state.cache
    misses = []
    for path in _listed(generator, reader_class):
        if path in state.ahead or not below_root(path, root, state.resolved):
            continue  # a link out of content/ is refused by the reader, never opened
        rel = relative(path, root)
        if cache is not None:
            try:
                with open(path, "rb") as handle:
                    if cache.has(rel, source_hash(handle.read())):
                        continue
            except OSError:
                continue  # the reader reports it
        misses.append((len(misses), path, rel))
    if state.processes < 2 or len(misses) < PARALLEL_MIN_SOURCES:
        return
    ahead = parse_ahead(reader, misses, state.processes)
    if ahead:
        state.processes_used = max(state.processes_used, min(state.processes, len(misses)))
    state.parsed_ahead += len(ahead)
    state.ahead.update(ahead)


def parse_ahead(reader, misses, processes):
    """The :class:`RecordsAhead` of ``misses`` ((index, path, rel) items) parsed by ``processes``
    processes. A source a process could not parse is left out (the build process parses it
    again and fails or reports it itself); when the processes fail, a warning and no records:
    every source is then read serially."""
    ahead = RecordsAhead()
    try:
        folder = tempfile.mkdtemp(prefix="vn_reader-")
    except OSError as exc:
        logger.warning("vn_reader: no folder for the reading processes (%s); reading serially", exc)
        return ahead
    try:
        run_in_processes(misses, processes, lambda share: _read_share(reader, share, folder))
        for name in sorted(os.listdir(folder)):
            ahead.add_file(os.path.join(folder, name))
    except (RuntimeError, OSError, ValueError) as exc:
        logger.warning("vn_reader: reading in %d processes failed; reading serially instead:\n%s", processes, exc)
        ahead.close()
        return RecordsAhead()
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the open files stay readable
    return ahead


def record_for(reader, state, source_path, rel):
    """The record of ``source_path``: parsed ahead, cached, or parsed now (then cached)."""
    with open(source_path, "rb") as handle:
        raw = handle.read()
    digest = source_hash(raw)
    state.seen.add(rel)
    cache = state.cache
    ahead = state.ahead.pop(source_path, None)
    if ahead is not None and ahead[0] == digest:
        record = ahead[1]
    else:
        record = cache.get(rel, digest) if cache is not None else None
        if record is not None:
            state.cached += 1
            return record
        record = reader.parse(source_path, rel, raw)
    state.parsed += 1
    if cache is not None:
        cache.put(rel, digest, record)
    return record


def finish(settings):
    """Every source is read (``page_generator_finalized``): commit the cache, log the figures."""
    state = state_of(settings)
    if state is None or state.finished:
        return
    state.finished = True
    state.ahead.close()
    cache = state.cache
    if cache is not None:
        cache.close(state.seen)
    logger.info("vn_reader: %d sources read: %d parsed (%d ahead in %d processes), %d from the read cache",
                state.parsed + state.cached, state.parsed, state.parsed_ahead, state.processes_used, state.cached)
