"""Dates and date ranges that running Vietnamese text mentions ("event dates").

News articles mention when things happen: "từ ngày 15/11 - 15/12/2022", "sáng 02/6",
"ngày 22 tháng 6 năm 2022", "tháng 6/2022", "năm 2022". :func:`find_event_dates` finds
them in plain text (or in HTML, tags are ignored) and returns :class:`EventDate` spans with
an inclusive start and end date.

It is deliberately conservative. A day and month without a year ("9/11") is only taken
when a word that introduces a date comes before it (ngày, sáng, chiều, tối, hôm, mùng,
"từ ... đến ...", "nay (22/6)"), because a bare "2/3" is more often a fraction or a score.
Numbers of legal documents ("Quyết định số 15/2022/QĐ-UBND", "Nghị định 100/2019/NĐ-CP"),
phone numbers and percentages are never dates. Each day is validated with vntext's
:func:`~plugins.vntext.dates.make_date`, so "31/6" is dropped instead of guessed.

Only what the text says is returned: the publication date of the article is never added.
"""

import calendar
import datetime as _dt
import html
import re
from dataclasses import dataclass

from .dates import make_date

__all__ = ["EventDate", "find_event_dates", "strip_html"]


@dataclass(frozen=True, order=True)
class EventDate:
    """A date or an inclusive range of dates mentioned in a text.

    ``kind`` is ``"day"``, ``"days"`` (range of days), ``"month"``, ``"months"``,
    ``"quarter"``, ``"school_year"`` (1/9 to 31/5), ``"year"`` or ``"years"``; ``text`` is
    the phrase as written.
    """

    start: _dt.date
    end: _dt.date
    kind: str = "day"
    text: str = ""

    @property
    def is_range(self):
        return self.start != self.end

    def contains(self, day):
        """True when ``day`` (a date or datetime) falls inside the span."""
        if isinstance(day, _dt.datetime):
            day = day.date()
        return self.start <= day <= self.end

    def as_dict(self):
        """A JSON-friendly form: ISO dates, kind and the phrase."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "kind": self.kind,
            "text": self.text,
        }


# --- building blocks -------------------------------------------------------------------

_D = r"[0-3]?\d"
_M = r"[01]?\d"
_Y = r"(?:19|20)\d\d"
_ROMAN = r"IV|III|II|I|[1-4]"
_DASH = r"\s*[-–—]\s*"
# Words that introduce a day in running text (the capture group keeps "ngày" optional).
_LEAD = (
    r"(?:ngày|hôm|mùng|mồng|sáng|trưa|chiều|tối|đêm|khuya|rạng\s+sáng|"
    r"sáng\s+sớm|chiều\s+tối|sáng\s+nay|chiều\s+nay|tối\s+nay|sáng\s+mai)"
)
# "...,  ngày" / "sáng ngày" / "sáng thứ Hai, ngày": optional weekday and "ngày" after a lead.
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|cn)"
_AFTER_LEAD = rf"(?:\s+{_WEEKDAY})?(?:\s*,)?(?:\s+ngày)?\s+"
# A date may not be glued to other numbers or document codes.
_NOT_BEFORE = r"(?<![\w/.,-])"
_NOT_AFTER = r"(?![\w/]|[.,]\d|-\d|-[A-ZĐ])"


def _day_month(prefix, year_required=False):
    """'15/11' or '15/11/2022' with named groups ``{prefix}d``, ``{prefix}m``, ``{prefix}y``."""
    year = rf"/(?P<{prefix}y>{_Y})"
    if not year_required:
        year = f"(?:{year})?"
    return rf"(?P<{prefix}d>{_D})/(?P<{prefix}m>{_M}){year}"


def _long_form(prefix):
    """'22 tháng 6 năm 2022' / '22 tháng 6' / '22 tháng 6, 2022'."""
    return (
        rf"(?P<{prefix}d>{_D})\s+tháng\s+(?P<{prefix}m>{_M})"
        rf"(?:(?:\s+năm|\s*,|\s*/)\s*(?P<{prefix}y>{_Y}))?"
    )


_FLAGS = re.IGNORECASE | re.UNICODE

# (kind, a string the phrase must contain (lower case) or None, pattern); the earliest, then
# longest match wins, so ranges beat their parts.
_PATTERNS = [
    # từ ngày 15/11 - 15/12/2022 · từ 15/11/2022 đến hết ngày 15/12/2022 · 28/10 đến 3/11
    (
        "days", "/",
        re.compile(
            rf"{_NOT_BEFORE}(?P<lead>(?:(?:từ|trong)\s+)?(?:{_LEAD}{_AFTER_LEAD})?)"
            + _day_month("a")
            + rf"(?:{_DASH}|\s+(?:đến|tới)\s+(?:(?:hết|hết\s+ngày|ngày)\s+)?)"
            + _day_month("b")
            + _NOT_AFTER,
            _FLAGS,
        ),
    ),
    # từ ngày 15 tháng 11 đến ngày 15 tháng 12 năm 2022
    (
        "days", "tháng",
        re.compile(
            rf"(?:từ\s+)?ngày\s+{_long_form('a')}"
            rf"(?:{_DASH}|\s+(?:đến|tới)\s+(?:hết\s+)?)(?:ngày\s+)?{_long_form('b')}",
            _FLAGS,
        ),
    ),
    # 15-16/11/2022 · ngày 15 đến 16/11 · ngày 15 và 16/11 (consecutive days)
    (
        "days", "/",
        re.compile(
            rf"{_NOT_BEFORE}(?P<lead>(?:(?:{_LEAD}|từ){_AFTER_LEAD})?)(?P<ad>{_D})"
            rf"(?:{_DASH}|\s+(?:đến|tới|và)\s+(?:ngày\s+)?)"
            + _day_month("b", year_required=False)
            + _NOT_AFTER,
            _FLAGS,
        ),
    ),
    # từ tháng 6 đến tháng 9/2022 · tháng 6 - 9/2022 · từ tháng 6/2022 đến tháng 3/2023
    (
        "months", "tháng",
        re.compile(
            rf"(?:từ\s+)?tháng\s+(?P<am>{_M})(?:(?:/|\s+năm\s+)(?P<ay>{_Y}))?"
            rf"(?:{_DASH}|\s+(?:đến|tới)\s+(?:hết\s+)?)(?:tháng\s+)?(?P<bm>{_M})"
            rf"(?:/|\s+năm\s+)(?P<by>{_Y}){_NOT_AFTER}",
            _FLAGS,
        ),
    ),
    # ngày 22 tháng 6 năm 2022 · sáng 22 tháng 6
    (
        "day", "tháng",
        re.compile(rf"(?:{_LEAD}{_AFTER_LEAD}){_long_form('a')}(?!\d)", _FLAGS),
    ),
    # 22/06/2022 anywhere (a full date needs no lead word) · 22-6-2022 · 22.06.2022
    (
        "day", None,
        re.compile(
            rf"{_NOT_BEFORE}(?:(?:{_LEAD}|từ|đến|tới|trước|sau|vào){_AFTER_LEAD})?"
            rf"(?P<ad>{_D})(?P<sep>[/.-])(?P<am>{_M})(?P=sep)(?P<ay>{_Y}){_NOT_AFTER}",
            _FLAGS,
        ),
    ),
    # ngày 9/11 · sáng 02/6 · hôm 5/9 (a year is taken from the context)
    (
        "day", "/",
        re.compile(rf"{_NOT_BEFORE}{_LEAD}{_AFTER_LEAD}{_day_month('a')}{_NOT_AFTER}", _FLAGS),
    ),
    # sáng nay (22/6) · thứ Tư (22/6) · hôm qua (21/6/2022)
    (
        "day", "(",
        re.compile(
            rf"(?:\b(?:nay|qua|mai)|{_WEEKDAY})\s*,?\s*\(\s*{_day_month('a')}\s*\)",
            _FLAGS,
        ),
    ),
    # quý II/2022 · quý 3 năm 2022
    (
        "quarter", "quý",
        re.compile(rf"\bquý\s+(?P<q>{_ROMAN})(?:/|\s+năm\s+)(?P<ay>{_Y})(?!\d)", _FLAGS),
    ),
    # 6 tháng đầu năm 2022 · 6 tháng cuối năm 2022
    (
        "half", "tháng",
        re.compile(rf"\b6\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+(?P<ay>{_Y})(?!\d)", _FLAGS),
    ),
    # tháng 6/2022 · tháng 06 năm 2022 · tháng 6 (year from the context)
    (
        "month", "tháng",
        re.compile(
            rf"(?<!\d\s)\btháng\s+(?P<am>{_M})(?:(?:/|\s+năm\s+)(?P<ay>{_Y}))?{_NOT_AFTER}",
            _FLAGS,
        ),
    ),
    # năm học 2022-2023: a school year runs from September to May
    (
        "school_year", "học",
        re.compile(rf"\bnăm\s+học\s+(?P<ay>{_Y}){_DASH}(?P<by>{_Y})(?!\d)", _FLAGS),
    ),
    # giai đoạn 2021 - 2025 · năm 2021-2025 · nhiệm kỳ 2020 - 2025
    (
        "years", None,
        re.compile(
            rf"\b(?:giai\s+đoạn|niên\s+khóa|niên\s+khoá|năm|nhiệm\s+kỳ)\s+"
            rf"(?P<ay>{_Y}){_DASH}(?P<by>{_Y})(?!\d)",
            _FLAGS,
        ),
    ),
    # năm 2022
    ("year", "năm", re.compile(rf"\bnăm\s+(?P<ay>{_Y})(?![\d/])", _FLAGS)),
]

_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4}
_TAG = re.compile(r"<(/?)(\w+)[^>]*>")
_BLOCK_TAGS = frozenset(
    "p br div li ul ol h1 h2 h3 h4 h5 h6 td th tr table blockquote figcaption pre hr".split()
)


def strip_html(text):
    """Plain text of an HTML fragment: block tags become line breaks, entities decoded."""

    def replace(match):
        return "\n" if match.group(2).lower() in _BLOCK_TAGS else ""

    return html.unescape(_TAG.sub(replace, text))


def _day(year, month, day):
    """A validated date, or None when the day does not exist (31/6)."""
    try:
        return make_date(int(year), int(month), int(day), source=f"{day}/{month}/{year}").date()
    except ValueError:
        return None


def _month_span(year, month):
    month = int(month)
    if not 1 <= month <= 12:
        return None
    first = _day(year, month, 1)
    last = _day(year, month, calendar.monthrange(int(year), month)[1])
    return (first, last) if first and last else None


def _build(kind, groups, default_year):
    """Turn one regex match into (start, end, kind), or None when it is not a real date."""
    g = {k: v for k, v in groups.items() if v is not None}
    if kind == "day":
        year = int(g.get("ay", default_year or 0))
        if not year:
            return None
        day = _day(year, g["am"], g["ad"])
        return (day, day, "day") if day else None
    if kind == "days":
        if not g.get("lead", "x").strip() and "by" not in g and "ay" not in g:
            return None  # "2/1 - 3/1" without a lead word or a year: a score, not dates
        end_year = int(g.get("by") or g.get("ay") or default_year or 0)
        if not end_year:
            return None
        end_month = int(g["bm"])
        start_month = int(g.get("am", end_month))
        if "ay" in g:
            start_year = int(g["ay"])
        else:
            # "15/12 - 15/1/2023": the start is in the year before the end.
            start_year = end_year - 1 if start_month > end_month else end_year
        start = _day(start_year, start_month, g["ad"])
        end = _day(end_year, end_month, g["bd"])
        if not (start and end) or start > end or (end - start).days > 3 * 366:
            return None
        return (start, end, "days" if start != end else "day")
    if kind == "months":
        end_year = int(g["by"])
        start_month, end_month = int(g["am"]), int(g["bm"])
        start_year = int(g.get("ay", end_year - 1 if start_month > end_month else end_year))
        first, last = _month_span(start_year, start_month), _month_span(end_year, end_month)
        if not (first and last) or first[0] > last[1]:
            return None
        return (first[0], last[1], "months")
    if kind == "month":
        year = int(g.get("ay", default_year or 0))
        span = _month_span(year, g["am"]) if year else None
        return (span[0], span[1], "month") if span else None
    if kind == "quarter":
        q = _ROMAN_VALUES.get(g["q"].upper()) or int(g["q"])
        year = int(g["ay"])
        first, last = _month_span(year, 3 * q - 2), _month_span(year, 3 * q)
        return (first[0], last[1], "quarter")
    if kind == "half":
        year = int(g["ay"])
        months = (1, 6) if g["half"].lower() == "đầu" else (7, 12)
        return (_month_span(year, months[0])[0], _month_span(year, months[1])[1], "months")
    if kind == "years":
        start_year, end_year = int(g["ay"]), int(g["by"])
        if not 0 < end_year - start_year <= 20:
            return None
        return (_dt.date(start_year, 1, 1), _dt.date(end_year, 12, 31), "years")
    if kind == "school_year":
        start_year, end_year = int(g["ay"]), int(g["by"])
        if end_year != start_year + 1:
            return None
        return (_dt.date(start_year, 9, 1), _dt.date(end_year, 5, 31), "school_year")
    if kind == "year":
        year = int(g["ay"])
        return (_dt.date(year, 1, 1), _dt.date(year, 12, 31), "year")
    raise AssertionError(kind)


_DIGITS = re.compile(r"\d+")
# Every phrase has a number; its lead words start at most this far before the first digit,
# and it ends this close after the last one (lookaheads included).
_BEFORE, _AFTER = 60, 16


def _windows(text):
    """Stretches of ``text`` around its numbers, merged; the patterns only run there."""
    windows = []
    for match in _DIGITS.finditer(text):
        start, end = max(0, match.start() - _BEFORE), min(len(text), match.end() + _AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return windows


def find_event_dates(text, default_year=None):
    """Dates and ranges that ``text`` mentions, in the order they appear.

    ``default_year`` completes a day or month written without a year ("ngày 9/11");
    use the publication year. Without it such mentions are skipped. HTML tags are ignored.
    The same span mentioned twice is returned once (first mention).

    >>> [e.as_dict()["start"] for e in find_event_dates("từ ngày 15/11 - 15/12/2022")]
    ['2022-11-15']
    >>> find_event_dates("Quyết định số 15/2022/QĐ-UBND")
    []
    """
    if not text:
        return []
    if "<" in text and ">" in text:
        text = strip_html(text)
    candidates = []
    for window_start, window_end in _windows(text):
        window = text[window_start:window_end].lower()
        for priority, (kind, needs, pattern) in enumerate(_PATTERNS):
            if needs is not None and needs not in window:
                continue
            for match in pattern.finditer(text, window_start, window_end):
                candidates.append((match.start(), -(match.end() - match.start()), priority, kind, match))
    candidates.sort(key=lambda c: c[:3])

    found, seen, taken_until = [], set(), -1
    for start, _neg_len, _priority, kind, match in candidates:
        if start < taken_until:
            continue
        built = _build(kind, match.groupdict(), default_year)
        if built is None:
            continue
        taken_until = match.end()
        first, last, real_kind = built
        if (first, last) in seen:
            continue
        seen.add((first, last))
        phrase = " ".join(match.group(0).split())
        found.append(EventDate(first, last, real_kind, phrase))
    return found
