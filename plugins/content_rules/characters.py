"""Invisible characters, by class, and what the build and ``invoke check`` do with each.

One table decides it for both (``invoke check`` reports, the reader applies):

===================  ==================================================  ==========================
class                characters                                          decision
===================  ==================================================  ==========================
controls             C0 (U+0000–U+001F except tab, LF, CR), DEL, C1      refused (error
                     (U+0080–U+009F, e.g. U+0096 from Windows-1252)      ``control-char``): a C1
                                                                         control usually stands for
                                                                         a dash or quote; guessing
                                                                         which is the editor's job
bidi                 embeddings, overrides and isolates                  refused (error
                     (U+202A–U+202E, U+2066–U+2069)                      ``bidi-control``): they
                                                                         reorder what readers see
invisible            soft hyphen U+00AD, zero width space U+200B, word   removed on read (the build
                     joiner U+2060, U+FEFF inside the text, bidi marks   repairs, check warns
                     U+200E/U+200F/U+061C, U+180E                         ``invisible-char``,
                                                                         ``--fix`` rewrites)
===================  ==================================================  ==========================

Removing the invisible class before slugs and titles are made is what keeps two titles that
look identical ("an\u200btoàn" and "antoàn") on one URL. Zero width (non-)joiners U+200C/U+200D
are kept: emoji sequences and some scripts need them, and they never stand alone in Vietnamese.
"""

from plugins.vntext.normalize import BIDI_CONTROLS as BIDI
from plugins.vntext.normalize import CONTROL_CHARS as CONTROL
from plugins.vntext.normalize import INVISIBLE_CHARS as INVISIBLE

NAMES = {
    "\u00ad": "soft hyphen", "\u200b": "zero width space", "\u2060": "word joiner",
    "\ufeff": "zero width no-break space (BOM)", "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark", "\u061c": "Arabic letter mark", "\u180e": "Mongolian vowel separator",
}


def describe(char):
    """``U+0096`` plus a name when the character has a well-known one."""
    name = NAMES.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def remove_invisible(text):
    """``text`` without the characters of the *invisible* class (the repair the build applies).

    >>> remove_invisible("an\\u200btoàn Vĩnh\\u00adYên")
    'antoàn VĩnhYên'
    """
    return INVISIBLE.sub("", text)


def refused_character(text):
    """(column, character, code) of the first refused character in ``text``, or None.

    >>> refused_character("Lan\\x08 Anh")
    (4, '\\x08', 'control-char')
    >>> refused_character("abc \\u202e")
    (5, '\\u202e', 'bidi-control')
    >>> refused_character("Đảng bộ") is None
    True
    """
    found = []
    for pattern, code in ((CONTROL, "control-char"), (BIDI, "bidi-control")):
        match = pattern.search(text)
        if match:
            found.append((match.start() + 1, match.group(0), code))
    return min(found) if found else None
