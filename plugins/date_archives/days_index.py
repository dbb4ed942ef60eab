"""The compact index of days with news, read by the date picker and the "no news" page.

Pure helpers, no Pelican. The index is JSON::

    {"first": "2019-03-04", "last": "2022-06-22", "v": 1,
     "years": {"2022": "<base64>", ...}}

Each year is a bitmap of its days (bit ``n`` = day-of-year ``n + 1``, least significant bit
first within a byte), trailing zero bytes dropped, base64-encoded. A year costs at most
64 characters whatever the number of articles, so 100,000 articles over twenty years stay
under 2 kB. The browser decodes it with ``atob`` (theme/static/js/date-picker.js).
"""

import base64
import bisect
import datetime as _dt
import json

__all__ = ["FORMAT_VERSION", "decode_days", "dumps", "encode_days", "nearest_days"]

FORMAT_VERSION = 1


def encode_days(days):
    """The index (a dict) for an iterable of dates or datetimes with news."""
    by_year = {}
    for day in days:
        day = day.date() if isinstance(day, _dt.datetime) else day
        by_year.setdefault(day.year, set()).add(day.timetuple().tm_yday - 1)
    years = {}
    for year in sorted(by_year):
        bits = bytearray(46)  # 366 days
        for index in by_year[year]:
            bits[index // 8] |= 1 << (index % 8)
        years[str(year)] = base64.b64encode(bytes(bits).rstrip(b"\0")).decode("ascii")
    all_days = sorted(
        _dt.date(int(y), 1, 1) + _dt.timedelta(days=i) for y in by_year for i in by_year[y]
    ) if by_year else []
    return {
        "v": FORMAT_VERSION,
        "first": all_days[0].isoformat() if all_days else None,
        "last": all_days[-1].isoformat() if all_days else None,
        "years": years,
    }


def decode_days(index):
    """The sorted list of dates that an index (dict or JSON text) marks as having news."""
    if isinstance(index, (str, bytes)):
        index = json.loads(index)
    if index.get("v") != FORMAT_VERSION:
        raise ValueError(f"days index: unknown format version {index.get('v')!r}")
    days = []
    for year, encoded in sorted(index["years"].items(), key=lambda item: int(item[0])):
        bits = base64.b64decode(encoded)
        start = _dt.date(int(year), 1, 1)
        for byte_index, byte in enumerate(bits):
            for bit in range(8):
                if byte & (1 << bit):
                    days.append(start + _dt.timedelta(days=byte_index * 8 + bit))
    return days


def nearest_days(sorted_days, day):
    """(latest day with news before ``day``, earliest after it); ``None`` when there is none.

    >>> d = _dt.date
    >>> nearest_days([d(2022, 6, 1), d(2022, 6, 22)], d(2022, 6, 10))
    (datetime.date(2022, 6, 1), datetime.date(2022, 6, 22))
    """
    left = bisect.bisect_left(sorted_days, day)
    right = bisect.bisect_right(sorted_days, day)
    before = sorted_days[left - 1] if left > 0 else None
    after = sorted_days[right] if right < len(sorted_days) else None
    return before, after


def dumps(index):
    """Stable, compact JSON text (same days, same bytes)."""
    return json.dumps(index, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
