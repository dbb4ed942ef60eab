"""URL slugs: ASCII, stable, idempotent and equal to Pelican's own tag slugs."""

import re
import unicodedata

from markupsafe import Markup
from unidecode import unidecode

from .normalize import fold

# The same substitutions as Pelican's default SLUG/TAG_REGEX_SUBSTITUTIONS, so a tag
# slugged by Pelican and a title slugged here agree.
_SUBSTITUTIONS = (
    (re.compile(r"[^\w\s-]", re.IGNORECASE), ""),
    (re.compile(r"(?u)\A\s*"), ""),
    (re.compile(r"(?u)\s*\Z"), ""),
    (re.compile(r"[-\s]+"), "-"),
)


def slugify(text):
    """Return the ASCII slug of ``text``.

    >>> slugify("Tin tức - Sự kiện")
    'tin-tuc-su-kien'
    """
    value = Markup(text).striptags()
    value = unicodedata.normalize("NFKC", value)
    # fold() handles Vietnamese (đ, stacked marks); unidecode covers any other script.
    value = unidecode(fold(value))
    for pattern, replacement in _SUBSTITUTIONS:
        value = pattern.sub(replacement, value)
    return value.lower().strip()
