"""Jinja filters exposing vntext to the theme (registered through JINJA_FILTERS)."""

from .collation import sort_key
from .formatting import (
    format_date,
    format_datetime,
    format_long_date,
    format_short_date,
    format_time,
    month_label,
    month_name,
    weekday_name,
)
from .normalize import fold
from .slugs import slugify


def vn_sort(items, attribute=None):
    """Sort strings, or objects by ``attribute``, in Vietnamese order."""
    if attribute is None:
        return sorted(items, key=sort_key)
    return sorted(items, key=lambda item: sort_key(_attr(item, attribute)))


def _attr(item, dotted):
    for part in dotted.split("."):
        if isinstance(item, dict):
            item = item[part]
        elif part.isdigit() and isinstance(item, (list, tuple)):
            item = item[int(part)]
        else:
            item = getattr(item, part)
    return item


FILTERS = {
    "vn_date": format_date,
    "vn_datetime": format_datetime,
    "vn_short_date": format_short_date,
    "vn_long_date": format_long_date,
    "vn_weekday": weekday_name,
    "vn_month": month_name,
    "vn_month_label": month_label,
    "vn_time": format_time,
    "vn_sort": vn_sort,
    "fold": fold,
    "slugify": slugify,
}
