"""The event dates of an unchanged body, read back instead of found again.

``vntext.find_event_dates`` runs its date patterns over every number of a body: about 0.14 ms
per article, 7 % of a one-edit incremental build at 10,000 articles (1.4 of 21 s, measured
07/12/2026), for bodies that did not change. A row (``events-*.sqlite3`` in
``EVENT_DATES_CACHE_PATH``, default ``CACHE_PATH/date_archives``) holds the dates found,
keyed by the SHA-256 of

- the environment (:func:`environment`): every file of the plugins package (``vntext`` holds
  the patterns), Python and the installed packages;
- the body HTML and the year that completes a date written without one (the article's).

So a row can only be unused, never stale. Each environment has its own file; only the
:data:`KEEP_ENVIRONMENTS` used last are kept.
"""

import datetime as _dt
import os

from plugins.incremental_build.build_key import environment_digest
from plugins.keyed_cache import KeyedCache, environment_file, row_key
from plugins.vntext import EventDate, find_event_dates

PLUGINS_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Bumped when the stored value's shape changes.
VALUE_VERSION = 1
KEEP_ENVIRONMENTS = 4


def environment():
    """Digest of everything besides the body and the year that the event dates depend on."""
    return environment_digest(f"event dates {VALUE_VERSION}", {}, [], PLUGINS_FOLDER)


class EventDatesCache(KeyedCache):
    """``folder`` "" or None: no cache (every body is read)."""

    def __init__(self, folder):
        self.env = environment() if folder else ""
        super().__init__(folder, environment_file(folder, "events", self.env, KEEP_ENVIRONMENTS), "events",
                         "date_archives")

    def event_dates(self, text, default_year):
        """``find_event_dates(text, default_year)``, read back when this body and year were seen."""
        return self.lookup(row_key(self.env, (text, repr(default_year))), lambda: find_event_dates(text, default_year))

    def encode(self, events):
        return [[event.start.isoformat(), event.end.isoformat(), event.kind, event.text] for event in events]

    def decode(self, value):
        """The EventDates of a stored value (a malformed row raises: a miss)."""
        events = []
        for start, end, kind, text in value:
            if not isinstance(kind, str) or not isinstance(text, str):
                raise TypeError(kind)
            events.append(EventDate(_dt.date.fromisoformat(start), _dt.date.fromisoformat(end), kind, text))
        return events
