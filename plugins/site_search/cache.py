"""Per-article analysis cache: an unchanged article (same title, Summary and body) is never
analysed again, so adding one article re-reads only that article's text.

One SQLite file in the cache folder (outside the output), keyed by
:func:`.segments.content_hash`; values are the JSON of :func:`.segments.analyse`.
"""

import json
import logging
import os
import sqlite3
import sys

logger = logging.getLogger(__name__)
FLUSH_ROWS = 2000


class AnalysisCache:
    def __init__(self, folder):
        self.path = os.path.join(folder, "analysis.sqlite3") if folder else None
        self._db = None
        self.hits = self.misses = 0
        self._new = []
        if self.path:
            try:
                os.makedirs(folder, exist_ok=True)
                self._db = sqlite3.connect(self.path)
                self._db.execute("CREATE TABLE IF NOT EXISTS analyses (hash TEXT PRIMARY KEY, data TEXT NOT NULL)")
            except (OSError, sqlite3.Error) as exc:
                logger.warning("site_search: analysis cache %s unusable (%s); analysing every article", self.path, exc)
                self._db = None

    def get(self, key):
        if self._db is None:
            return None
        row = self._db.execute("SELECT data FROM analyses WHERE hash = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        # One string object per distinct syllable, as a fresh analysis has (the analyzer's
        # memo): at 100,000 articles a new object per occurrence is gigabytes.
        for segment in value.get("segments", ()):
            segment[1] = list(map(sys.intern, segment[1]))
        return value

    def lookup(self, key, compute):
        value = self.get(key)
        if value is not None:
            self.hits += 1
            return value
        self.misses += 1
        value = compute()
        self._store(key, value)
        return value

    def lookup_all(self, keys, compute_missing):
        """The value of every key of ``keys``: cached ones read back, the others computed
        together by ``compute_missing(positions)`` (their values, in that order) and cached."""
        values = [self.get(key) for key in keys]
        missing = [i for i, value in enumerate(values) if value is None]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            for i, value in zip(missing, compute_missing(missing)):
                values[i] = value
                self._store(keys[i], value)
        return values

    def _store(self, key, value):
        if self._db is not None:
            self._new.append((key, json.dumps(value, ensure_ascii=False, separators=(",", ":"))))
            if len(self._new) >= FLUSH_ROWS:
                self._flush()

    def _flush(self):
        """Write the pending analyses: in batches, so the JSON held in memory stays small
        however large the archive."""
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO analyses (hash, data) VALUES (?, ?)", self._new)
        except sqlite3.Error as exc:
            logger.warning("site_search: could not update the analysis cache %s (%s)", self.path, exc)
        self._new = []

    def close(self):
        if self._db is None:
            return
        self._flush()
        self._db.close()
        self._db = None
