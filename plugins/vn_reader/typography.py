"""Typogrify inside the reader: the same filter Pelican's ``Readers.read_file`` applies, applied once.

Pelican typogrifies every source it reads, three times (content, title, summary), after the
reader returns; that is 8 % of a full build and it cannot be cached or run in another process
there. With ``TYPOGRIFY`` on, the build lets :class:`~plugins.vn_reader.reader.VietnameseMarkdownReader`
apply it instead (:func:`typogrify_text`: the call Pelican 4.12 makes, with
``TYPOGRIFY_IGNORE_TAGS``, ``TYPOGRIFY_OMIT_FILTERS`` and ``TYPOGRIFY_DASHES``), so the result
enters the read cache and the reading processes, and turns Pelican's own pass off for the files
this reader reads (:func:`delegate`), and only for them: a file another reader reads (Pelican's
HTML reader) is typogrified by Pelican as before. The bytes are the same: the filter is a pure
function of the text and these settings.
"""

import functools
import os

from pelican.contents import Page
from pelican.utils import file_suffix


def typogrify_text(text, settings):
    """``text`` through typogrify exactly as Pelican's ``read_file`` filters it."""
    import smartypants  # noqa: PLC0415 (typogrify is optional in Pelican; only loaded when on)
    from typogrify.filters import typogrify  # noqa: PLC0415

    # Pelican sets smartypants' (module-level) default before every file; so does this.
    dashes = settings.get("TYPOGRIFY_DASHES", "default")
    if dashes == "oldschool":
        smartypants.Attr.default = smartypants.Attr.set2
    elif dashes == "oldschool_inverted":
        smartypants.Attr.default = smartypants.Attr.set3
    else:
        smartypants.Attr.default = smartypants.Attr.set1
    smartypants.Attr.default |= smartypants.Attr.w
    return typogrify(text, settings.get("TYPOGRIFY_IGNORE_TAGS", []),
                     **dict.fromkeys(settings.get("TYPOGRIFY_OMIT_FILTERS", []), False))


def _read_file(original, readers, reader_class, base_path, path, content_class=Page, fmt=None, **kwargs):
    reader = readers.readers.get(fmt or file_suffix(os.path.abspath(os.path.join(base_path, path))))
    if not isinstance(reader, reader_class):
        return original(base_path, path, content_class, fmt, **kwargs)
    settings = readers.settings
    saved = settings["TYPOGRIFY"]
    # The only reader of TYPOGRIFY is read_file itself; restored whatever happens.
    settings["TYPOGRIFY"] = False
    try:
        return original(base_path, path, content_class, fmt, **kwargs)
    finally:
        settings["TYPOGRIFY"] = saved


def delegate(readers, reader_class):
    """Make ``readers`` (a Pelican ``Readers``, at ``readers_init``) skip its typogrify pass for
    files read by ``reader_class``, which typogrifies them itself. Pelican has no hook between
    the reader and that pass, so this one object's ``read_file`` is wrapped (nothing global)."""
    readers.read_file = functools.partial(_read_file, readers.read_file, readers, reader_class)
