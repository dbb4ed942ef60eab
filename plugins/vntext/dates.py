"""Day-first date parsing in Asia/Ho_Chi_Minh.

Vietnamese writes dates day first. Pelican's own parser (dateutil) reads ``05/06/2022``
as 6 May, so every date an editor writes goes through :func:`parse_vn_date` instead.
"""

import datetime as _dt
import re
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_TIME = r"(?:(?: |T| - )(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
# Day-first forms; the separator must be the same on both sides (22/06/2022, 22-6-2022, 22.06.2022).
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4})" + _TIME,
    re.ASCII,
)
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME, re.ASCII)


def make_date(year, month, day, hour=0, minute=0, second=0, source=None):
    """Return an aware datetime in Vietnam time, or raise ValueError quoting ``source``."""
    try:
        return _dt.datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ)
    except ValueError as exc:
        raise ValueError(f"impossible date {source!r}: {exc}") from None


def parse_vn_date(text):
    """Parse a date an editor wrote, always day first, into an aware datetime.

    Accepts ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` and ISO
    ``yyyy-mm-dd``, each optionally followed by ``HH:MM`` or ``HH:MM:SS``.

    >>> parse_vn_date("05/06/2022").strftime("%d %B %Y")
    '05 June 2022'
    """
    if isinstance(text, _dt.datetime):
        return text if text.tzinfo else text.replace(tzinfo=VN_TZ)
    if not isinstance(text, str):
        raise ValueError(f"not a date: {text!r}")
    value = " ".join(text.split())
    match = _DAY_FIRST.fullmatch(value) or _ISO.fullmatch(value)
    if match is None:
        raise ValueError(
            f"unrecognised date {text!r}: write dd/mm/yyyy or dd/mm/yyyy HH:MM"
        )
    fields = {k: int(v) for k, v in match.groupdict().items() if v and k != "sep"}
    return make_date(
        fields["year"],
        fields["month"],
        fields["day"],
        fields.get("hour", 0),
        fields.get("minute", 0),
        fields.get("second", 0),
        source=text,
    )


def now_vn():
    """The current time in Vietnam, aware."""
    return _dt.datetime.now(VN_TZ)


def has_time(value):
    """True when ``value`` carries a time of day (dates written without one are midnight)."""
    return (value.hour, value.minute, value.second) != (0, 0, 0)
