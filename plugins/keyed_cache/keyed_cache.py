"""One SQLite file of (key, serialized value) rows, written in batches, read back in batches.

The key must cover everything the value depends on (the callers hash the article's text and
their own environment into it), so a row is never stale, only unused. A file that cannot be
opened, or a row that does not read back, is a warning or a miss: the caller computes the value
as if there were no cache, so the cache can change no output byte.

Rows are JSON text unless a subclass overrides :meth:`KeyedCache.dumps` and
:meth:`KeyedCache.loads` (the search analyses are pickles: see ``plugins.site_search.cache``).
A row of another serialization does not load, so it is a miss and is replaced.
"""

import hashlib
import json
import logging
import os
import sqlite3

logger = logging.getLogger(__name__)
FLUSH_ROWS = 2000
# Keys per SELECT of lookup_all: under SQLite's smallest bound on parameters (999 before 3.32).
READ_BATCH = 500


class KeyedCache:
    """``folder/file_name``, table ``table``; ``owner`` names the plugin in warnings.
    ``folder`` "" or None: no cache (every lookup computes). Subclasses may override
    :meth:`encode` (a computed value → plain data) and :meth:`decode` (the data read back →
    the value; raising is a miss), and :meth:`dumps`/:meth:`loads` (plain data ↔ the stored
    str or bytes; JSON by default)."""

    def __init__(self, folder, file_name, table, owner):
        self.path = os.path.join(folder, file_name) if folder else None
        self.table, self.owner = table, owner
        self._db = None
        self.hits = self.misses = 0
        self._new = []
        if self.path:
            try:
                os.makedirs(folder, exist_ok=True)
                self._open()
            except (OSError, sqlite3.Error) as exc:
                self._close_quietly()
                if type(exc) is sqlite3.DatabaseError:  # "file is not a database": start afresh
                    logger.warning("%s: cache %s is damaged (%s), replaced by an empty one", owner, self.path, exc)
                    try:
                        os.remove(self.path)
                        self._open()
                        return
                    except (OSError, sqlite3.Error) as again:
                        self._close_quietly()
                        exc = again
                logger.warning("%s: cache %s unusable (%s); computing every article", owner, self.path, exc)

    def _open(self):
        self._db = sqlite3.connect(self.path, timeout=30)
        self._db.execute(f"CREATE TABLE IF NOT EXISTS {self.table} (hash TEXT PRIMARY KEY, data TEXT NOT NULL)")

    def _close_quietly(self):
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    def encode(self, value):
        return value

    def decode(self, value):
        return value

    def dumps(self, data):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def loads(self, stored):
        return json.loads(stored)

    def _value(self, stored):
        """The value of a stored row, or None when it does not read back."""
        try:
            return self.decode(self.loads(stored))
        except Exception:  # noqa: BLE001 - whatever a damaged or foreign row raises, it is a miss
            return None

    def get(self, key):
        """The value stored under ``key``, or None (not stored, or it does not read back)."""
        return self.get_all([key])[0]

    def get_all(self, keys):
        """The value of each key of ``keys`` (as :meth:`get`), in one SELECT per
        :data:`READ_BATCH` keys (a query per key was a second per 100,000 articles)."""
        return list(self.iter_all(keys))

    def iter_all(self, keys):
        """:meth:`get_all` as a generator: a caller that uses each value and lets it go never
        holds the values of the whole archive at once."""
        for batch, rows in self._select("hash, data", keys):
            stored = dict(rows)
            # decoded batch by batch: the stored rows of the whole archive are never held at once
            yield from (self._value(stored[key]) if key in stored else None for key in batch)

    def _select(self, columns, keys):
        """``(batch, rows)`` of ``SELECT columns`` for each :data:`READ_BATCH` keys of ``keys``;
        no rows once the file is unusable (a read error is a warning, and every key a miss)."""
        for start in range(0, len(keys), READ_BATCH):
            batch = keys[start:start + READ_BATCH]
            rows = []
            if self._db is not None:
                try:
                    rows = self._db.execute(
                        f"SELECT {columns} FROM {self.table} WHERE hash IN ({','.join('?' * len(batch))})",
                        batch).fetchall()
                except sqlite3.Error as exc:
                    logger.warning("%s: cache %s unreadable (%s); computing every article", self.owner, self.path, exc)
                    self._close_quietly()
            yield batch, rows

    @property
    def usable(self):
        """False when there is no cache, or it could not be opened or read."""
        return self._db is not None

    def stored(self, keys):
        """The keys of ``keys`` that have a row (whether it reads back is not checked: nothing
        is loaded), in one SELECT per :data:`READ_BATCH` keys."""
        return {key for _batch, rows in self._select("hash", keys) for (key,) in rows}

    def lookup(self, key, compute):
        value = self.get(key)
        if value is not None:
            self.hits += 1
            return value
        self.misses += 1
        value = compute()
        self.store(key, value)
        return value

    def lookup_all(self, keys, compute_missing):
        """The value of every key of ``keys``: cached ones read back, the others computed
        together by ``compute_missing(positions)`` (their values, in that order) and cached."""
        values = self.get_all(keys)
        missing = [i for i, value in enumerate(values) if value is None]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            for i, value in zip(missing, compute_missing(missing)):
                values[i] = value
                self.store(keys[i], value)
        return values

    def store(self, key, value):
        """Queue ``value`` under ``key`` (as :meth:`encode` gives it); written by :meth:`close` or in batches."""
        if self._db is not None:
            self._new.append((key, self.dumps(self.encode(value))))
            if len(self._new) >= FLUSH_ROWS:
                self._flush()

    def _flush(self):
        """Write the pending rows: in batches, so the serialized rows held in memory stay small
        however large the archive."""
        if self._db is None:
            self._new = []
            return
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {self.table} (hash, data) VALUES (?, ?)", self._new)
        except sqlite3.Error as exc:
            logger.warning("%s: could not update the cache %s (%s)", self.owner, self.path, exc)
        self._new = []

    def close(self):
        if self._db is None:
            return
        self._flush()
        self._db.close()
        self._db = None


def environment_file(folder, prefix, env, keep):
    """The file name of environment ``env``'s rows in ``folder``: ``<prefix>-<env[:16]>.sqlite3``.

    One file per environment, so that what a change of the settings, a registry or the code
    made unusable goes away with its file: the file is marked the newest (in use, whether
    written or not), and the files of all but the ``keep - 1`` newest other environments are
    deleted. The folder stays bounded by about ``keep`` times the archive's rows."""
    name = f"{prefix}-{env[:16]}.sqlite3"
    if not folder:
        return name
    try:
        os.utime(os.path.join(folder, name))
    except OSError:
        pass  # not made yet
    try:
        others = [entry for entry in os.scandir(folder)
                  if entry.name.startswith(f"{prefix}-") and entry.name.endswith(".sqlite3") and entry.name != name]
        others.sort(key=lambda entry: (entry.stat().st_mtime, entry.name), reverse=True)
        for entry in others[keep - 1:]:
            os.remove(entry.path)
    except OSError:
        pass  # a missing or unreadable folder: KeyedCache says so when it opens the file
    return name


def row_key(env, parts):
    """The row key of ``parts`` (strings) under environment ``env``: the SHA-256 of the
    environment and each part, length-prefixed so that no two lists of parts share a key."""
    digest = hashlib.sha256(env.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()
