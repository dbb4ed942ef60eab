"""Unicode normalization and diacritic folding for Vietnamese text."""

import re
import unicodedata

# NFD does not decompose đ/Đ (they are letters, not d + a mark), so they are mapped by hand.
_D_BAR = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text):
    """Return ``text`` in Unicode NFC, the form every source is stored in."""
    return unicodedata.normalize("NFC", text)


# Invisible characters by class. The content rules (plugins.content_rules.characters) decide
# what the build and `invoke check` do with each class; the matchers drop them all.
# Controls: C0 except tab/LF/CR, DEL, C1 (U+0096 from Windows-1252 text, U+0008 in real news).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
# Bidi embeddings, overrides and isolates: they reorder what readers see.
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Never visible in Vietnamese text: soft hyphen, zero width space, word joiner, BOM inside the
# text, bidi marks, Mongolian vowel separator.
INVISIBLE_CHARS = re.compile(r"[\u00ad\u200b\u2060\ufeff\u200e\u200f\u061c\u180e]")
# Zero width (non-)joiners: kept in stored text (emoji need them), dropped for matching.
_JOINERS = re.compile(r"[\u200c\u200d]")


def strip_invisible(text):
    """Drop invisible control and format characters that hide words from matching.

    >>> strip_invisible("chuy\u00adển đổi\u200b số")
    'chuyển đổi số'
    """
    for pattern in (CONTROL_CHARS, BIDI_CONTROLS, INVISIBLE_CHARS, _JOINERS):
        text = pattern.sub("", text)
    return text


def is_nfc(text):
    """True when ``text`` is already in NFC (cheaper than comparing with nfc(text))."""
    return unicodedata.is_normalized("NFC", text)


def fold(text):
    """Lower-case ``text`` and strip every tone and vowel mark, đ/Đ included.

    >>> fold("Đảng bộ phường Đống Đa")
    'dang bo phuong dong da'
    """
    decomposed = unicodedata.normalize("NFD", text.lower().translate(_D_BAR))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def decode_utf8(raw):
    """Decode source bytes as UTF-8 (a BOM dropped): return ``(text, error, line)``.

    On invalid bytes ``text`` is empty and ``error`` names the first bad byte and its
    offset, ``line`` its 1-based line; the build and ``invoke check`` report it alike.
    """
    try:
        return raw.decode("utf-8-sig"), "", 1
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start:exc.start + 1]
        return "", f"not valid UTF-8 (byte {bad!r} at offset {exc.start})", line
