"""Search analysis: the one tokenizer shared by the search index, its tests and the
benchmark's brute-force reference (issue 9).

Rules (the JavaScript client in theme/static/js/search.js implements the same ones):

- format characters (Unicode category Cf: U+200B, U+00AD, U+FEFF, ...) and control
  characters other than whitespace are dropped, joining their neighbours;
- the text is put in NFC and lower-cased;
- a syllable is a run of letters and digits (``[\\p{L}\\p{N}]+``);
- the tone of a syllable ending in oa/oe/uy is put in one canonical place
  (``vntext.tone_variants``: "hòa" and "hoà" are the same syllable);
- a query syllable with a diacritic or đ matches exactly that syllable; one without
  matches every syllable whose ``vntext.fold`` equals it.

Queries: text between double quotes (``"`` or the typographic “ ” „ « ») is a phrase:
consecutive syllables inside one field segment (title, summary or one paragraph). An
unpaired last quote is ignored. Only the first ``MAX_QUERY_SYLLABLES`` syllables count.
"""

import re
import unicodedata

from .normalize import fold, nfc
from .tones import tone_variants

MAX_QUERY_SYLLABLES = 32

# Cc except whitespace (\t \n \v \f \r \x85, which separate syllables) is dropped.
_CONTROL = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
_SYLLABLE = re.compile(r"[^\W_]+")  # str.isalnum runs: letters (L*) and digits (N*)
_QUOTES = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb]")


# The planes that can hold Cf characters: the BMP, the SMP and plane 14 (tags, variation
# selectors' neighbours). Planes 2-3 are ideographs, 15-16 private use (a stable category),
# 4-13 unassigned; test_every_format_and_control_character_is_dropped compares the set with
# a scan of every code point, so a Unicode update that adds Cf elsewhere fails it. Scanning
# these 196,608 code points instead of all 1,114,112 takes every Python process that imports
# vntext (each build, check and test run) about 40 ms instead of about 190.
_FORMAT_PLANES = (range(0x00000, 0x20000), range(0xE0000, 0xF0000))


def _format_ranges():
    """The Cf characters as a character-class body of ranges (``a-b``), scanned from the running
    Python's Unicode database so the set never goes stale. Ranges, not one escaped literal per
    character: re then tests a character in a few comparisons (the class of ~170 literals made
    the tokenizer's first step 10x slower: 40 % of a search index's analysis)."""
    ranges = []
    category = unicodedata.category
    for code in (code for plane in _FORMAT_PLANES for code in plane):
        if category(chr(code)) == "Cf":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in ranges)


_DROP = re.compile("[" + _CONTROL + _format_ranges() + "]")


def normalize_text(text):
    """Text as the tokenizer sees it: format/control characters dropped, NFC, lower case."""
    return nfc(nfc(_DROP.sub("", text)).lower())


def canonical_syllable(syllable):
    """One tone placement for ``syllable`` (already lower case, NFC): the smaller variant."""
    variants = tone_variants(syllable)
    return min(variants) if len(variants) > 1 else syllable


def has_diacritics(syllable):
    """True when a (lower-case) syllable carries a mark or đ, i.e. it is matched exactly."""
    return fold(syllable) != syllable


class _Memo(dict):
    """``memo[key]`` = ``compute(key)``, computed once: a hit is one C-level dict lookup (the
    tokenizer looks up every syllable of the archive, tens of millions at 100,000 articles)."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self[key] = self.compute(key)
        return value


class Analyzer:
    """The tokenizer, with per-instance memo tables (one instance per build or test; the
    tables are never shared between builds)."""

    def __init__(self):
        self._canonical = _Memo(canonical_syllable)
        self._folded = _Memo(fold)
        self.canonical = self._canonical.__getitem__
        self.fold = self._folded.__getitem__

    def syllables(self, text):
        """Canonical syllables of ``text`` in order."""
        return list(map(self.canonical, _SYLLABLE.findall(normalize_text(text))))

    def parse_query(self, text):
        """Query units in order, without repeats: a tuple of one syllable is a word,
        of two or more a quoted phrase."""
        parts = _QUOTES.split(text)
        if len(parts) % 2 == 0:  # odd number of quotes: the last one is ignored
            parts[-2:] = [parts[-2] + " " + parts[-1]]
        units, budget = [], MAX_QUERY_SYLLABLES
        for index, part in enumerate(parts):
            words = self.syllables(part)[:budget]
            budget -= len(words)
            if index % 2 and len(words) > 1:
                units.append(tuple(words))
            else:
                units.extend((word,) for word in words)
        seen, unique = set(), []
        for unit in units:
            if unit not in seen:
                seen.add(unit)
                unique.append(unit)
        return unique

    def matches(self, query_syllable, syllable):
        """Does a document syllable match a (canonical) query syllable?"""
        if has_diacritics(query_syllable):
            return syllable == query_syllable
        return self.fold(syllable) == query_syllable


def syllables(text):
    """Canonical syllables of ``text`` (a fresh Analyzer; use one Analyzer for many texts)."""
    return Analyzer().syllables(text)


def parse_query(text):
    return Analyzer().parse_query(text)
