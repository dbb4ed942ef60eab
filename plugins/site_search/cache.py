"""Per-article analysis cache: an unchanged article (same title, Summary and body) is never
analysed again, so adding one article re-reads only that article's text.

``analysis.sqlite3`` in the cache folder (outside the output), keyed by
:func:`.segments.content_hash`; values are the JSON of :func:`.segments.analyse`
(:class:`plugins.keyed_cache.KeyedCache`).
"""

import sys

from plugins.keyed_cache import KeyedCache


class AnalysisCache(KeyedCache):
    def __init__(self, folder):
        super().__init__(folder, "analysis.sqlite3", "analyses", "site_search")

    def decode(self, value):
        # One string object per distinct syllable, as a fresh analysis has (the analyzer's
        # memo): at 100,000 articles a new object per occurrence is gigabytes.
        for segment in value.get("segments", ()):
            segment[1] = list(map(sys.intern, segment[1]))
        return value
