"""Vietnamese collation: the alphabet order of dictionaries and name lists.

Letters sort a < ă < â < b < c < d < đ < e < ê < … < o < ô < ơ < … < u < ư < v < x < y;
tones only break ties between otherwise equal strings, in the traditional order
ngang < huyền < hỏi < ngã < sắc < nặng; case breaks the remaining ties.
"""

import unicodedata

from .normalize import nfc

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {letter: 1000 + i for i, letter in enumerate(_ALPHABET)}
# Vowel-shaping marks make new letters; they are part of the letter, not the tone.
_SHAPED = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}
# Combining tone marks in the traditional order: huyền, hỏi, ngã, sắc, nặng.
TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_WEIGHT = {mark: weight for weight, mark in enumerate(TONE_MARKS, start=1)}


def _weigh(char):
    """(primary, tone) weights of one lower-case character."""
    if char in _LETTER_WEIGHT:
        return _LETTER_WEIGHT[char], 0
    base, *marks = unicodedata.normalize("NFD", char)
    tone = 0
    for mark in marks:
        if (base, mark) in _SHAPED:
            base = _SHAPED[base, mark]
        else:
            tone = _TONE_WEIGHT.get(mark, tone)
    if base in _LETTER_WEIGHT:
        return _LETTER_WEIGHT[base], tone
    if base.isdigit():
        return 100 + unicodedata.digit(base, 0), tone
    if base.isspace():
        return 1, tone
    # Punctuation and other scripts: after spaces, before digits; other scripts after letters.
    return (2 if ord(base) < 128 else 2000 + ord(base)), tone


def sort_key(text):
    """Key for ``sorted()`` giving Vietnamese dictionary order; equal keys mean equal NFC text."""
    text = nfc(str(text))
    lower = text.lower()
    weights = [_weigh(c) for c in lower]
    return (
        tuple(w[0] for w in weights),
        tuple(w[1] for w in weights),
        tuple(c != lc for c, lc in zip(text, lower)),
        text,
    )
