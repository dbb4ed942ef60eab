"""Data model and text helpers shared by the text-dump and HTML parsers."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from plugins.vntext import VN_TZ, nfc, parse_vn_date

from .html2md import collapse_ws


class ImportError_(ValueError):  # noqa: N801 - "ImportError" is a builtin
    """A page that cannot be imported; the message is shown in the report."""


@dataclass
class ImageRef:
    """An image of the page: ``token`` stands for it in ``LegacyArticle.body``."""

    token: str
    src: str  # as written in the page
    alt: str
    local: Path | None  # the saved file, when it exists
    remote: str = ""  # absolute URL on the old portal, when known


@dataclass
class LegacyArticle:
    source: Path
    title: str
    date: datetime
    body: str  # Markdown, with ImageRef tokens
    author: str = ""
    category: str = ""
    summary: str = ""
    original_url: str = ""
    images: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


# -- dates ------------------------------------------------------------------
_DMY = r"(?<!\d)(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)"
DMY_RE = re.compile(_DMY)
LONG_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?")
TIME_RE = re.compile(
    r"(?<![\d/.-])(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*:\s*(\d{2}))?(?!\d)"
    r"(?:\s*(AM|PM|SA|CH|sáng|chiều|tối)\b)?",
    re.I,
)
PM_WORDS = {"pm", "ch", "chiều", "tối"}


def _time_near(text, start, end):
    """The time written next to a date ("10:08 22/06/2022", "22/06/2022 - 10:08")."""
    after = re.sub(r"^[\s\-|,(–]*(?:vào\s+)?(?:lúc\s+)?", "", text[end : end + 24])
    m = TIME_RE.match(after)
    if not m:
        before = text[max(0, start - 30) : start]
        ms = list(TIME_RE.finditer(before))
        gap = before[ms[-1].end() :] if ms else "x"
        if re.fullmatch(r"[\s\-|,–]*(?:ngày)?[\s\-|,–]*", gap, re.I):
            m = ms[-1]
    if not m:
        return ""
    hour, minute, second = int(m.group(1)), int(m.group(2)), m.group(3)
    ampm = (m.group(4) or "").lower()
    if ampm in PM_WORDS and hour < 12:
        hour += 12
    elif ampm in ("am", "sa") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return ""
    return f" {hour:02d}:{minute:02d}" + (f":{int(second):02d}" if second else "")


def normalize_date_text(text):
    """Rewrite a portal date string to a form ``parse_vn_date`` accepts.

    >>> normalize_date_text("Thứ Tư, 22/06/2022 - 10:08")
    '22/06/2022 10:08'
    >>> normalize_date_text("Cập nhật lúc 10:08 PM ngày 22-6-2022")
    '22-6-2022 22:08'
    >>> normalize_date_text("2022-06-22T10:08:00+07:00")
    '2022-06-22 10:08:00'

    Returns None when the text holds no date.
    """
    text = collapse_ws(nfc(text or ""))
    m = ISO_RE.search(text)
    if m and not DMY_RE.search(text):
        y, mo, d, hh, mi, ss = m.groups()
        value = f"{y}-{mo}-{d}"
        if hh:
            value += f" {hh}:{mi}" + (f":{ss}" if ss else "")
        return value
    m = DMY_RE.search(text)
    if m:
        d, sep, mo, y = m.groups()
        return f"{d}{sep}{mo}{sep}{y}" + _time_near(text, m.start(), m.end())
    m = LONG_RE.search(text)
    if m:
        d, mo, y = m.groups()
        return f"{d}/{mo}/{y}" + _time_near(text, m.start(), m.end())
    return None


def find_date(text):
    """The first date in ``text`` as an aware datetime, or None.

    Raises ValueError (from parse_vn_date) for an impossible date like 31/02/2022.
    """
    value = normalize_date_text(text)
    if value is None:
        return None
    return parse_vn_date(value)


def to_vn(dt):
    return dt.astimezone(VN_TZ) if dt.tzinfo else dt.replace(tzinfo=VN_TZ)


# -- Markdown -> plain text (for Summary and author detection) ---------------
_IMG_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_MD = re.compile(r"\[((?:\\.|[^\]])*)\]\([^)]*\)")
_EMPH = re.compile(r"(?<!\\)(\*\*|\*)")


def md_to_plain(block):
    text = _IMG_MD.sub("", block)
    text = re.sub(r"\x00IMG\d+\x00", "", text)
    text = _LINK_MD.sub(r"\1", text)
    text = _EMPH.sub("", text)
    text = text.replace("  \n", " ").replace("\n", " ")
    text = re.sub(r"\\(.)", r"\1", text)
    text = text.replace("&lt;", "<").replace("&amp;", "&")
    return collapse_ws(text).strip()


# -- authors ----------------------------------------------------------------
SOURCE_LINE_RE = re.compile(
    r"^\(?\s*(?:nguồn|theo|tác giả|bài(?:,| và)? ảnh|bài|tin(?:,| và)? ảnh)\s*[:\-–]?\s*(.+?)\)?\s*$",
    re.I,
)
NAME_WORD_RE = re.compile(r"^[\w.()\-–/]+$")


def source_line_author(text):
    """The author of a "Nguồn: ..." / "Theo ..." / "Bài, ảnh: ..." line, or ''.

    Only short lines count: "Theo đó, thành phố sẽ ..." is body text.
    """
    text = collapse_ws(text).strip()
    m = SOURCE_LINE_RE.match(text)
    if not m or len(text) > 120:
        return ""
    value = m.group(1).strip().rstrip(".")
    words = value.split()
    labelled = bool(re.match(r"^\(?\s*[^:]{1,12}:", text))  # "Nguồn: ...", "Bài, ảnh: ..."
    if not words or len(words) > (16 if labelled else 9):
        return ""
    if text.lower().startswith("theo") and not (words[0][:1].isupper() or "." in words[0]):
        return ""  # "Theo đó", "Theo kế hoạch"
    if re.search(r"[,;:!?]\s", value) and not text.lower().startswith(("nguồn", "bài", "tin")):
        return ""
    return value


def looks_like_name(text):
    """A short signature line: "Hồng Nhung", "Minh Hương - Trung tâm VHTT"."""
    text = collapse_ws(text).strip().rstrip(".")
    words = text.split()
    if not 1 <= len(words) <= 8 or len(text) > 70:
        return False
    if any(ch in text for ch in ",;:!?\"“”"):
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitals == len(words) and all(NAME_WORD_RE.match(w) for w in words)


SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])")
SUMMARY_MAX = 300


def lead_summary(paragraph):
    """The Summary taken from a lead paragraph: whole, or its first sentences when long.

    >>> lead_summary("Câu một dài. Câu hai.")
    'Câu một dài. Câu hai.'
    """
    text = collapse_ws(paragraph).strip()
    if len(text) <= SUMMARY_MAX:
        return text
    summary = ""
    for sentence in SENTENCE_END_RE.split(text):
        if summary and len(summary) + len(sentence) + 1 > SUMMARY_MAX:
            break
        summary = f"{summary} {sentence}".strip()
    return summary
