"""Unicode normalization and diacritic folding for Vietnamese text."""

import unicodedata

# NFD does not decompose đ/Đ (they are letters, not d + a mark), so they are mapped by hand.
_D_BAR = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text):
    """Return ``text`` in Unicode NFC, the form every source is stored in."""
    return unicodedata.normalize("NFC", text)


# Characters a reader never sees but that split words for any matcher: C0/C1 controls (not tab
# or line breaks), the soft hyphen, zero-width spaces and joiners, the BOM. Text pasted from the
# web carries them (U+0008, U+00AD, U+200B in the real-news sample).
_INVISIBLE = dict.fromkeys(
    [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xAD,
     0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]
)


def strip_invisible(text):
    """Drop invisible control and format characters that hide words from matching.

    >>> strip_invisible("chuy\u00adển đổi\u200b số")
    'chuyển đổi số'
    """
    return text.translate(_INVISIBLE)


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
