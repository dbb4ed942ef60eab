"""Per-article analysis cache: an unchanged article (same title, Summary and body) is never
analysed again, so adding one article re-reads only that article's text.

``analysis.sqlite3`` in the cache folder (outside the output), keyed by
:func:`.segments.content_hash`; values are :func:`.segments.analyse`'s dicts as pickles
(:class:`plugins.keyed_cache.KeyedCache`). A pickle is written in a third of JSON's time and
read back in about two thirds (it stores each distinct syllable of an article once), and
filling the cache with JSON was about 10 s of a 100,000-article build. Only plain containers,
strings and numbers are loaded: a row naming any class or function (which unpickling would
import and call) is refused, so a tampered cache file can run no code. Rows of the JSON
format this file held before do not load either: they are misses, analysed again and replaced.
"""

import io
import pickle
import sys

from plugins.keyed_cache import KeyedCache


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"analysis cache rows hold plain data, not {module}.{name}")


class AnalysisCache(KeyedCache):
    def __init__(self, folder):
        super().__init__(folder, "analysis.sqlite3", "analyses", "site_search")

    def dumps(self, data):
        return pickle.dumps(data, protocol=5)  # fixed, not HIGHEST_PROTOCOL: older Pythons read it too

    def loads(self, stored):
        return _PlainUnpickler(io.BytesIO(stored)).load()

    def decode(self, value):
        # One string object per distinct syllable, as a fresh analysis has (the analyzer's
        # memo): at 100,000 articles a new object per occurrence is gigabytes.
        for segment in value.get("segments", ()):
            segment[1] = list(map(sys.intern, segment[1]))
        return value
