"""vntext: the one home of Vietnamese text handling for the archive.

A plain library (no Pelican signals): normalization, folding, slugs, day-first dates,
Vietnamese date formatting and collation. Every plugin and the theme go through it.
"""

from .analysis import MAX_QUERY_SYLLABLES, Analyzer, canonical_syllable, has_diacritics, normalize_text  # noqa: F401  (issue 9)
from .collation import sort_key
from .dates import VN_TZ, has_time, make_date, now_vn, parse_vn_date
from .eventdates import EventDate, find_event_dates  # noqa: F401  (issue 3)
from .formatting import (
    MONTHS,
    WEEKDAY_SHORT,
    WEEKDAYS,
    format_date,
    format_datetime,
    format_iso,
    format_long_date,
    format_short_date,
    format_time,
    month_label,
    month_name,
    weekday_name,
)
from .jinja_filters import FILTERS as JINJA_FILTERS
from .normalize import decode_utf8, fold, is_nfc, nfc, strip_invisible
from .slugs import slugify
from .tones import tone_variants

__all__ = [
    "Analyzer", "MAX_QUERY_SYLLABLES", "canonical_syllable", "has_diacritics", "normalize_text",
    "JINJA_FILTERS", "MONTHS", "VN_TZ", "WEEKDAYS", "WEEKDAY_SHORT", "decode_utf8", "fold", "format_date",
    "format_datetime", "format_iso", "format_long_date", "format_short_date", "format_time", "has_time", "is_nfc",
    "make_date", "month_label", "month_name", "nfc", "now_vn", "parse_vn_date", "slugify",
    "sort_key", "strip_invisible", "tone_variants", "weekday_name",
]
