"""precompress: gzip copies of the text files, written once by the build, served as is.

nginx's ``gzip_static on`` sends ``X.gz`` to a client that accepts gzip: the server never
compresses at request time, and the copies are compressed at the highest level once.

* At ``all_generators_finalized`` (list this plugin after every plugin that declares files
  and before ``plugins.build_guard``): ``X.gz`` is declared to build_guard for every text
  file the build plans (articles, pages, listings, other plugins' claims, theme files), so
  a source that would itself write ``X.gz`` fails the build naming both.
* At ``finalized`` (list it after plugins that write at ``finalized``, such as site_meta and
  asset_urls): every text file of the output gets ``X.gz`` (mtime 0, no file name: builds are
  byte-identical), in sorted order, even a tiny file (a few bytes more than the file itself):
  so the files written are exactly the files claimed. One read and one write per file; in an
  incremental build, a file that is the base build's own (hard-linked from it) gets the base's
  ``.gz`` linked instead.

Settings: ``PRECOMPRESS_EXTENSIONS``, ``PRECOMPRESS_LEVEL`` (9), ``PRECOMPRESS_ENABLED`` (True).
"""

import logging
import os

from pelican import signals

from plugins.incremental_build.incremental import reusable_base
from plugins.parallel_output.fresh_process import run_in_fresh_processes
from plugins.parallel_output.parallel_output import process_count

from .gzipped import text_files, write_gzipped

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PRECOMPRESS_ENABLED": [True, "write the .gz copies"],
    "PRECOMPRESS_EXTENSIONS": [
        [".html", ".htm", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".map",
         ".webmanifest", ".ics", ".csv"],
        "file name endings that get a .gz copy",
    ],
    "PRECOMPRESS_LEVEL": [9, "gzip level, 1-9"],
}
STATE_KEY = "PRECOMPRESS_STATE"


def _valid(name, value, default):
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) and v.startswith(".") for v in value)


def configure(pelican):
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        value = settings.get(name, default)
        if not _valid(name, value, default):
            logger.error("precompress: invalid %s %r; using %r", name, value, default)
            value = default
        settings[name] = value
    settings[STATE_KEY] = None


def _extensions(settings):
    return tuple(e.lower() for e in settings["PRECOMPRESS_EXTENSIONS"])


def theme_outputs(settings):
    """Output paths of the theme's static files (Pelican copies them; nobody claims them)."""
    theme, target = settings.get("THEME", ""), settings.get("THEME_STATIC_DIR", "theme").strip("/")
    found = set()
    for folder in settings.get("THEME_STATIC_PATHS", ["static"]):
        root = os.path.join(theme, folder)
        found.update(f"{target}/{rel}" for rel in text_files(root, ("",)))
    return sorted(found)


def declare(generators):
    """Claim ``X.gz`` for every planned text output ``X`` (``all_generators_finalized``): a
    build_guard rule (``build_guard_derived``) for the claimed files and the theme's files
    (Pelican copies them; a theme file no generator lists gets its copy too), expanded only
    while the claims are checked."""
    if not generators or not generators[0].settings["PRECOMPRESS_ENABLED"]:
        return
    settings = generators[0].settings
    extensions = _extensions(settings)
    generators[0].context.setdefault("build_guard_derived", []).append(
        (".gz", extensions, "the gzip copy of", tuple(theme_outputs(settings))))


def compress_output(pelican):
    """Write the ``.gz`` copies of every text file in the output (``finalized``)."""
    settings = pelican.settings
    if not settings.get("PRECOMPRESS_ENABLED"):
        return
    root = pelican.output_path
    names = text_files(root, _extensions(settings))
    level = settings["PRECOMPRESS_LEVEL"]
    base = reusable_base(settings)
    linked = _link_from_base(base, root, names) if base else set()
    todo = [rel for rel in names if rel not in linked]
    # Each .gz depends only on its own file: one process per core (PARALLEL_OUTPUT_PROCESSES)
    # shares the files round-robin, same bytes as one process. The others are new
    # interpreters, not forks: at 100,000 articles a fork started from the build's 1 GB and
    # was the largest process of the build (1,048 MB).
    run_in_fresh_processes(todo, process_count(settings), compress_files, root, level)
    logger.info("precompress: %d .gz files (%d linked from the base build)", len(names), len(linked))


def compress_files(share, root, level):
    """``write_gzipped`` for each file of ``share`` (site-relative paths below ``root``)."""
    for rel in share:
        write_gzipped(root, rel, level)


def _link_from_base(base, root, names):
    """The files of ``names`` whose ``.gz`` is hard-linked from the incremental build's base:
    those that are the base's own file (a hard link a plugin made, same inode), whose base
    has a regular ``.gz`` beside it. The base was built with the same settings and code
    (plugins.incremental_build.reusable_base), so that copy is the one this build would make."""
    linked = set()
    for rel in names:
        path, old = os.path.join(root, rel), os.path.join(base, rel)
        try:
            if not os.path.samestat(os.stat(path), os.stat(old)):
                continue
            if os.path.islink(old + ".gz") or not os.path.isfile(old + ".gz") or os.path.lexists(path + ".gz"):
                continue
            os.link(old + ".gz", path + ".gz")
        except OSError:
            continue  # not in the base: compressed as usual
        linked.add(rel)
    return linked


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(declare)
    signals.finalized.connect(compress_output)
