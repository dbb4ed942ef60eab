"""Tone-mark placement: Vietnamese writes "hóa" and "hoá", "thủy" and "thuỷ" for the same word."""

import unicodedata

from .collation import TONE_MARKS


def tone_variants(word):
    """Both placements of the tone on a syllable ending in oa/oe/uy, else just ``word``.

    The old style puts the mark on the first vowel ("hóa", "thủy"), the new one on the
    second ("hoá", "thuỷ"); matching and search must accept both.

    >>> sorted(tone_variants("hóa"))
    ['hoá', 'hóa']
    """
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in TONE_MARKS]
    if len(tones) != 1:
        return {word}
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    tail = base[-2:].lower()
    # "qua", "quy": the u belongs to the consonant qu, so the mark has one place only.
    if tail not in ("oa", "oe", "uy") or base[-3:-2].lower() == "q":
        return {word}
    tone = tones[0]
    first = base[:-2] + unicodedata.normalize("NFC", base[-2] + tone) + base[-1]
    second = base[:-1] + unicodedata.normalize("NFC", base[-1] + tone)
    return {first, second}
