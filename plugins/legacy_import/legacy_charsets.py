"""TCVN3 (ABC) and VNI-Windows: the pre-Unicode Vietnamese encodings of the old portal's era.

Pages written with the ``.VnTime`` (TCVN3, TCVN 5712:1993 "VN3") or ``VNI-Times`` (VNI-Windows)
fonts store Vietnamese in single bytes that any Western code page shows as nonsense:
"Thành phố Vĩnh Yên" is ``Thµnh phè VÜnh Yªn`` in TCVN3 and ``Thaønh phoá Vónh Yeân`` in VNI.
No maintained PyPI package converts them (searched: only RAG loaders bundling whole NLP stacks),
so the two tables are here, written out and documented.

How the tables work

- **TCVN3** gives every lower-case Vietnamese letter its own byte in 0xA1-0xFE, the upper-case
  letters without a tone mark Ă Â Ê Ô Ơ Ư Đ too (0xA1-0xA7); upper-case letters *with* a tone
  have no byte: the ``.VnTimeH`` font draws the lower-case bytes as capitals. Such text converts
  to lower case (nothing tells which parts were capitals), and the importer says so.
- **VNI** writes a base letter followed by a mark byte: ``a`` + ``ù`` (acute), ``ø`` (grave),
  ``û`` (hook), ``õ`` (tilde), ``ï`` (dot below); ``a``/``e``/``o`` + ``â`` (circumflex) or ``á à å
  ã ä`` (circumflex and a tone); ``a`` + ``ê`` (breve) or ``é è ú ü ë`` (breve and a tone); single
  bytes for ơ (``ô``), ư (``ö``), đ (``ñ``), ĩ (``ó``), ị (``ò``), ỉ (``æ``), ỵ (``î``); upper case
  the same with the upper-case bytes.

Detection works on text decoded byte for byte (Latin-1, or UTF-8 when a browser re-saved the
page): Unicode Vietnamese never contains letters such as ``µ ª « ® ø ï û ñ ö Ü`` (they are not
Vietnamese letters), TCVN3 and VNI are full of them. A text with many such characters is
converted with each table and the conversion that leaves none of them wins; when neither does,
the text is refused rather than imported as mojibake.
"""

import re
import unicodedata

# --- TCVN3 (ABC, TCVN 5712:1993 VN3) -----------------------------------------------------------
# byte -> letter; rows follow the Vietnamese alphabet: base, then the tones
# huyền (grave) hỏi (hook) ngã (tilde) sắc (acute) nặng (dot below).
TCVN3_TABLE = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3 = str.maketrans({chr(byte): letter for byte, letter in TCVN3_TABLE.items()})

# --- VNI-Windows ---------------------------------------------------------------------------------
ACUTE, GRAVE, HOOK, TILDE, DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"
# mark byte (lower and upper case) -> combining marks it adds to the letter before it
VNI_TONE = {"ù": ACUTE, "ø": GRAVE, "û": HOOK, "õ": TILDE, "ï": DOT}
VNI_CIRCUMFLEX = {"â": "", "á": ACUTE, "à": GRAVE, "å": HOOK, "ã": TILDE, "ä": DOT}
VNI_BREVE = {"ê": "", "é": ACUTE, "è": GRAVE, "ú": HOOK, "ü": TILDE, "ë": DOT}
# single bytes that are letters of their own
VNI_LETTERS = {"ô": "ơ", "ö": "ư", "ñ": "đ", "ó": "ĩ", "ò": "ị", "æ": "ỉ", "î": "ỵ"}


def _both_cases(table):
    return {**table, **{key.upper(): value.upper() if value.isalpha() else value for key, value in table.items()}}


_VNI_TONE, _VNI_CIRC, _VNI_BREVE, _VNI_LETTERS = map(_both_cases, (VNI_TONE, VNI_CIRCUMFLEX, VNI_BREVE, VNI_LETTERS))
_VNI_RE = re.compile(
    "([aAeEoO])([%s])|([aA])([%s])|([aAeEoOuUyYôÔöÖ])([%s])|([%s])" % (
        "".join(_VNI_CIRC), "".join(_VNI_BREVE), "".join(_VNI_TONE), "".join(_VNI_LETTERS)))


def _vni_pair(match):
    if match.group(1):
        return unicodedata.normalize("NFC", match.group(1) + CIRCUMFLEX + _VNI_CIRC[match.group(2)])
    if match.group(3):
        return unicodedata.normalize("NFC", match.group(3) + BREVE + _VNI_BREVE[match.group(4)])
    if match.group(5):
        base = _VNI_LETTERS.get(match.group(5), match.group(5))
        return unicodedata.normalize("NFC", base + _VNI_TONE[match.group(6)])
    return _VNI_LETTERS[match.group(7)]


def from_vni(text):
    """VNI-Windows text (decoded byte for byte) to Unicode NFC.

    >>> from_vni("Tieáng Vieät: Thaønh phoá Vónh Yeân, ngöôøi daân, ñaúng")
    'Tiếng Việt: Thành phố Vĩnh Yên, người dân, đẳng'
    """
    return unicodedata.normalize("NFC", _VNI_RE.sub(_vni_pair, text))


def from_tcvn3(text):
    """TCVN3 text (decoded byte for byte) to Unicode NFC.

    >>> from_tcvn3("Thµnh phè VÜnh Yªn")
    'Thành phố Vĩnh Yên'
    """
    return unicodedata.normalize("NFC", text.translate(TCVN3))


CONVERTERS = {"TCVN3": from_tcvn3, "VNI": from_vni}
# Bytes only TCVN3 uses for letters (à ả ã á ạ ă â ê ô ơ ư đ ...): VNI's letters are all >= 0xC0.
_TCVN3_LOW = frozenset(chr(byte) for byte in TCVN3_TABLE if byte < 0xC0)


def evidence(text):
    """{encoding: how many traces of it ``text`` has}: TCVN3's low bytes, VNI's letter+mark pairs.
    (Each table turns the other's text into Unicode letters too, so "fewest odd characters left"
    cannot tell them apart; these traces can.)"""
    pairs = sum(1 for match in _VNI_RE.finditer(text) if match.group(7) is None)
    return {"TCVN3": sum(1 for char in text if char in _TCVN3_LOW), "VNI": pairs}


# Characters of U+00A1-U+00FF that Unicode Vietnamese never uses as letters; the degree sign,
# plus-minus and the superscripts stay out (30°C, ±5%, m² are ordinary text).
VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
FOREIGN = frozenset(chr(c) for c in range(0xA1, 0x100)) - VIETNAMESE_LATIN1 - set("°±²³")
# A text needs this many foreign characters, and this share of its letters, to be suspected.
MIN_FOREIGN = 5
MIN_SHARE = 0.02


def foreign_count(text):
    return sum(1 for char in text if char in FOREIGN)


def suspected(text):
    """Does ``text`` look like Vietnamese in a legacy single-byte encoding?"""
    foreign = foreign_count(text)
    letters = sum(1 for char in text if char.isalpha())
    return foreign >= MIN_FOREIGN and foreign >= MIN_SHARE * max(letters, 1)


def convert_legacy(text):
    """(converted text, encoding name) when ``text`` is TCVN3 or VNI, (text, "") when it is not
    suspected; raises ValueError when it is suspected but no table explains it."""
    if not suspected(text):
        return text, ""
    before = foreign_count(text)
    traces = evidence(text)
    name = max(traces, key=lambda key: (traces[key], key == "TCVN3"))
    converted = CONVERTERS[name](text)
    left = foreign_count(converted)
    # Converted text may keep a few genuine symbols (« », ·): it must lose nearly all of them.
    if traces[name] and left <= max(2, before // 20):
        return converted, name
    raise ValueError(
        f"the text looks like Vietnamese in a legacy font encoding ({before} characters such as "
        f"{''.join(sorted({c for c in text if c in FOREIGN})[:8])!r}) but neither the TCVN3 nor the "
        "VNI table explains it: convert the file to UTF-8 (for example with UniKey's converter) and "
        "import it again")


LABELS = {"TCVN3": "TCVN3/ABC, .VnTime fonts", "VNI": "VNI-Windows, VNI-Times fonts"}


def repair(text, raw=None):
    """(text, encoding name or "", warnings) for a text the importer decoded from ``raw``.

    ``raw``: the bytes when they were not valid UTF-8 (the legacy bytes are then re-read one
    byte per character, whatever code page was tried first); None when ``text`` is the UTF-8
    decoding (a browser that re-saved a TCVN3 page as UTF-8 kept the same characters).
    Raises ValueError (the message is for editors) when the text is suspected but not explained.
    """
    if not suspected(text):
        return text, "", []
    converted, name = convert_legacy(text if raw is None else raw.decode("latin-1"))
    if not name:
        return text, "", []
    warnings = [f"converted from {name} ({LABELS[name]}) to Unicode"]
    if name == "TCVN3":
        warnings.append("TCVN3 has no capitals with tone marks: words typed in the .VnTimeH "
                        "capitals font come out in lower case, check the title")
    return converted, name, warnings
