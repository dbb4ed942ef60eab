"""The persistent read cache: a source whose bytes did not change is not parsed again.

One SQLite file (``reads.sqlite3`` in ``VN_READER_CACHE_PATH``, by default
``CACHE_PATH/vn_reader``, beside the site_search analysis cache). A row holds, for one source
(its content-relative path) under one *reading environment*, the SHA-256 of the source's bytes
and its read record (:func:`plugins.vn_reader.reader.VietnameseMarkdownReader.parse`: plain
data, JSON). A record is a pure function of the bytes, the relative path and the environment
(:func:`environment`): every setting (minus those that name folders or process counts), the
campaign registry file the rules look names up in, every file of the plugins package, the Python
version and every installed distribution. Nothing in it depends on the time or on the folder
the build runs from.

Size stays bounded: one row per source and environment (an edited source replaces its row,
a source that is gone loses it at the end of the build), and only the last
:data:`KEEP_ENVIRONMENTS` environments are kept (a development build and a publish build have
one each). An unusable or corrupt file, or a row that does not read back, is logged as a
warning and the source is read normally.
"""

import hashlib
import json
import logging
import os
import sqlite3

from plugins.incremental_build.build_key import environment_digest

logger = logging.getLogger(__name__)

FILE_NAME = "reads.sqlite3"
KEEP_ENVIRONMENTS = 4
# New rows are written in batches of this many: a first build held every new record's JSON until
# it ended, beside the same records as objects (at 100,000 sources the build's RSS after reading
# went from 2,047 to 1,261 MB with batches; measured 07/12/2026).
FLUSH_ROWS = 2000
# Bumped when the record's shape changes (the plugins' digest changes too; this says it).
RECORD_VERSION = 1
PLUGINS_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Keys of the record (see VietnameseMarkdownReader.parse) and their JSON types.
_RECORD_TYPES = {"problems": list, "entry": (dict, type(None))}
_READ_TYPES = {"fields": list, "final": dict, "slug": str, "content": str, "plain_summary": str}


def source_hash(raw):
    return hashlib.sha256(raw).hexdigest()


def registry_files(settings):
    """The campaign registry files ``content_rules.load_campaigns`` may read (its candidates)."""
    filename = settings.get("CAMPAIGNS_REGISTRY", "campaigns.toml")
    root = settings.get("PATH", ".")
    return [filename] if os.path.isabs(filename) else [os.path.join(root, filename)]


def environment(settings, volatile=()):
    """The digest of everything besides a source's bytes and path that its record depends on."""
    return environment_digest(f"record {RECORD_VERSION}", {k: v for k, v in settings.items() if k not in volatile},
                              registry_files(settings), PLUGINS_FOLDER)


def valid_record(record):
    """True when ``record`` has the shape ``parse`` writes (a row from an older or broken file
    is read again instead of breaking the build)."""
    if not isinstance(record, dict) or any(not isinstance(record.get(k), t) for k, t in _RECORD_TYPES.items()):
        return False
    if "content" not in record:  # a refused source: problems and entry only
        return True
    return all(isinstance(record.get(k), t) for k, t in _READ_TYPES.items())


class ReadCache:
    """The rows of one environment; new rows are committed in batches of :data:`FLUSH_ROWS`
    and by :meth:`close`. A row committed before a build fails is still a correct record of
    its source's bytes (the key holds their hash), so a failed build leaves no stale row."""

    def __init__(self, folder, env):
        self.path = os.path.join(folder, FILE_NAME)
        self.env = env
        self._db = None
        self._new = {}  # rel -> (hash, JSON)
        self._known = {}  # rel -> hash of the row this environment has
        try:
            os.makedirs(folder, exist_ok=True)
            self._open()
        except (OSError, sqlite3.Error) as exc:
            if type(exc) is not sqlite3.DatabaseError:  # not writable, locked, …
                self._fail("is unusable", exc)
                return
            # "file is not a database", "malformed": replaced by an empty one.
            self._fail("is damaged, replaced by an empty one", exc)
            try:
                os.remove(self.path)
                self._open()
            except (OSError, sqlite3.Error) as again:
                self._fail("is unusable", again)

    def _open(self):
        self._db = sqlite3.connect(self.path, timeout=30)
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS reads (env TEXT NOT NULL, rel TEXT NOT NULL, "
                             "hash TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (env, rel))")
            self._db.execute("CREATE TABLE IF NOT EXISTS environments (env TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
        self._known = dict(self._db.execute("SELECT rel, hash FROM reads WHERE env = ?", (self.env,)))

    def _fail(self, what, exc):
        logger.warning("vn_reader: read cache %s %s (%s); reading every source", self.path, what, exc)
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        self._known = {}
        self._new = {}

    @property
    def usable(self):
        return self._db is not None

    def has(self, rel, digest):
        return self._known.get(rel) == digest

    def get(self, rel, digest):
        """The cached record of ``rel`` when its bytes hash to ``digest``, else None."""
        if self._db is None or self._known.get(rel) != digest:
            return None
        try:
            row = self._db.execute("SELECT data FROM reads WHERE env = ? AND rel = ? AND hash = ?",
                                   (self.env, rel, digest)).fetchone()
        except sqlite3.Error as exc:
            self._fail("is unreadable", exc)
            return None
        try:
            record = json.loads(row[0]) if row else None
        except (TypeError, ValueError):
            record = None
        if row is not None and not valid_record(record):
            logger.warning("vn_reader: read cache %s: the entry of %s is damaged; reading it again", self.path, rel)
            return None
        return record

    def put(self, rel, digest, record):
        if self._db is None:
            return
        data = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate cannot be stored as SQLite text: not cached
            return
        self._new[rel] = (digest, data)
        if len(self._new) >= FLUSH_ROWS:
            try:
                with self._db:
                    self._write_new(self._db)
            except sqlite3.Error as exc:
                self._fail("could not be written", exc)

    def _write_new(self, db):
        db.executemany("INSERT OR REPLACE INTO reads (env, rel, hash, data) VALUES (?, ?, ?, ?)",
                       [(self.env, rel, h, data) for rel, (h, data) in sorted(self._new.items())])
        self._new = {}

    def close(self, seen):
        """Commit the new rows, forget this environment's sources not in ``seen`` (read this
        build) and every environment but the last :data:`KEEP_ENVIRONMENTS`."""
        if self._db is None:
            return
        db, self._db = self._db, None
        try:
            with db:
                self._write_new(db)
                gone = sorted(set(self._known) - set(seen))
                db.executemany("DELETE FROM reads WHERE env = ? AND rel = ?", [(self.env, rel) for rel in gone])
                (top,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM environments").fetchone()
                db.execute("INSERT OR REPLACE INTO environments (env, seq) VALUES (?, ?)", (self.env, top + 1))
                old = [env for (env,) in db.execute("SELECT env FROM environments ORDER BY seq DESC LIMIT -1 OFFSET ?",
                                                    (KEEP_ENVIRONMENTS,))]
                db.executemany("DELETE FROM reads WHERE env = ?", [(env,) for env in old])
                db.executemany("DELETE FROM environments WHERE env = ?", [(env,) for env in old])
        except sqlite3.Error as exc:
            logger.warning("vn_reader: could not update the read cache %s (%s)", self.path, exc)
        finally:
            self._new = {}
            db.close()
