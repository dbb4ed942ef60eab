"""Parse text dumps of old portal pages (the seed's format).

::

    Title line

    22/06/2022            <- or "Thứ Tư, 22/06/2022 - 10:08"

    Body paragraph 1
    ...
    \u00a0\u00a0\u00a0 ... Hồng Nhung   <- right-aligned signature (NBSPs) = Author

    Các tin đã đưa ngày:               <- portal boilerplate: dropped with all that follows
    Bạn thấy trang web của tỉnh như thế nào
"""

import re

from plugins.vntext import nfc

from .common import (
    ImportError_,
    LegacyArticle,
    find_date,
    lead_summary,
    looks_like_name,
    source_line_author,
)
from .html2md import collapse_ws, escape_inline, escape_line_start
from .legacy_charsets import repair

# A line starting with a run of spaces/NBSPs this long was right-aligned on the page.
SIGNATURE_INDENT = 8
BOILERPLATE_RE = re.compile(
    r"^\s*(các tin đã đưa ngày|bạn thấy trang web|các tin khác|tin liên quan|tin cùng chuyên mục"
    r"|thăm dò ý kiến|in trang|gửi email|chia sẻ\s*:|về đầu trang|lượt xem\s*:|\[?\s*in bài)",
    re.I,
)


def decode_text(data):
    """(text, warnings): UTF-8, else windows-1258; TCVN3 and VNI are converted (legacy_charsets)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, raw = data.decode("utf-8"), None
    except UnicodeDecodeError:
        text, raw = data.decode("cp1258"), data
    try:
        text, _, warnings = repair(text, raw)
    except ValueError as exc:
        raise ImportError_(str(exc)) from None
    return text, warnings


def parse_text_dump(path, data):
    decoded, warnings = decode_text(data)
    text = nfc(decoded).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    # Paragraphs = runs of non-blank lines; keep the raw first line for indentation.
    paragraphs = []
    current = []
    for line in lines:
        if line.strip(" \t\u00a0"):
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    if len(paragraphs) < 2:
        raise ImportError_("not a text dump: expected a title line, a date line and a body")

    title = collapse_ws(" ".join(paragraphs[0])).strip()
    date_line = collapse_ws(paragraphs[1][0]).strip()
    try:
        date = find_date(date_line)
    except ValueError as exc:
        raise ImportError_(f"bad date line {date_line!r}: {exc}") from None
    if date is None:
        raise ImportError_(f"no date on the second line (found {date_line!r})")
    rest = paragraphs[1][1:]
    body = ([rest] if rest else []) + paragraphs[2:]

    # Drop the portal boilerplate and everything after it.
    for i, para in enumerate(body):
        if BOILERPLATE_RE.match(para[0]):
            body = body[:i]
            break

    author = ""
    if body:
        last = body[-1]
        raw = last[0]
        indent = len(raw) - len(raw.lstrip(" \t\u00a0"))
        plain = collapse_ws(" ".join(last)).strip()
        if len(last) == 1 and indent >= SIGNATURE_INDENT and len(plain) <= 80:
            author = plain
            body = body[:-1]
        elif source_line_author(plain):
            author = source_line_author(plain)
            body = body[:-1]
        elif len(last) == 1 and looks_like_name(plain) and len(body) > 1:
            author = plain
            body = body[:-1]

    blocks = []
    for para in body:
        # Lines of a paragraph are soft-wrapped text: join them.
        blocks.append(escape_line_start(escape_inline(collapse_ws(" ".join(para)).strip())))
    if not blocks:
        raise ImportError_("empty body")
    return LegacyArticle(
        source=path,
        title=title,
        date=date,
        author=author,
        summary=lead_summary(" ".join(body[0])),
        body="\n\n".join(blocks) + "\n",
        warnings=warnings,
    )
