"""vn_reader: the Markdown reader for Vietnamese sources.

Replaces Pelican's Markdown reader so that every source is read the same way:

- bytes are decoded as UTF-8 (a BOM is dropped); anything else is an error naming the file,
  the line and the offending bytes, instead of Pelican's bare "Could not process";
- CRLF becomes LF and the whole text is normalized to NFC before Markdown sees it;
- ``Date:`` and ``Modified:`` are read day first by ``vntext.parse_vn_date``
  (Pelican's dateutil would publish ``05/06/2022`` on 6 May);
- ``Title:`` is plain text: it is HTML-escaped here, because Pelican and its feeds treat
  titles as HTML; the slug is taken from the plain title with ``vntext.slugify``;
- a ``Slug:`` that is not already a clean slug (``../x``, ``a/b``, spaces) is refused, so no
  article can write outside its URL.
"""

import html
import logging
import re

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader

from plugins.vntext import decode_utf8, nfc, parse_vn_date, slugify

logger = logging.getLogger(__name__)

_DATE_FIELDS = ("date", "modified")


class ContentError(ValueError):
    """A problem in a source file, already phrased for its editor."""


class VietnameseMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with NFC input, day-first dates and safe titles."""

    def read(self, source_path):
        self._source_path = source_path
        text = decode_source(source_path)
        self._lines = text.split("\n")
        self._md = Markdown(**self.settings["MARKDOWN"])
        content = self._md.convert(text)
        meta = getattr(self._md, "Meta", {})
        metadata = self._parse_metadata(meta) if meta else {}
        if "title" in metadata and "slug" not in metadata:
            slug = slugify(html.unescape(metadata["title"]))
            if not slug:
                self._fail("title", f"cannot make a URL slug from the title {metadata['title']!r}; add a Slug: line")
            metadata["slug"] = slug
        return content, metadata

    def process_metadata(self, name, value):
        if name in _DATE_FIELDS:
            try:
                return parse_vn_date(value)
            except ValueError as exc:
                self._fail(name, str(exc))
        if name == "title":
            if isinstance(value, list):  # Pelican passes repeated keys as a list
                self._fail(name, f"Title is given {len(value)} times; keep one line")
            title = " ".join(value.split())
            if not title:
                self._fail(name, "empty Title")
            return html.escape(title)
        if name == "summary" and name not in self.settings.get("FORMATTED_FIELDS", ()):
            # Plain text like Title (pelicanconf sets FORMATTED_FIELDS = []): escaped here so
            # templates and feeds, which treat summaries as HTML, show it literally.
            return html.escape(" ".join(" ".join(value if isinstance(value, list) else [value]).split()))
        if name == "slug":
            slug = value.strip()
            if slug != slugify(slug) or not slug:
                self._fail(
                    name,
                    f"invalid Slug {value!r}: use lower-case ASCII letters, digits and '-' only "
                    f"(for example {slugify(value) or 'bai-viet'!r})",
                )
            return slug
        return super().process_metadata(name, value)

    def _fail(self, field, message):
        line = metadata_line(getattr(self, "_lines", []), field)
        text = f"{self._source_path}:{line}: {field.capitalize()}: {message}"
        # Pelican logs reader exceptions without their reason unless DEBUG is on, so the
        # reason is logged here; with --fatal errors this log line itself stops the build.
        logger.error("%s", text)
        raise ContentError(text)


def decode_source(path):
    """Read ``path`` as UTF-8 text, LF line endings, NFC; raise ContentError otherwise."""
    with open(path, "rb") as handle:
        raw = handle.read()
    text, error, line = decode_utf8(raw)
    if error:
        message = f"{path}:{line}: {error}; save the file as UTF-8"
        logger.error("%s", message)
        raise ContentError(message)
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def metadata_line(lines, field):
    """1-based line of the ``field:`` metadata line in the header, or 1 when absent."""
    pattern = re.compile(rf"\s*{re.escape(field)}\s*:", re.IGNORECASE)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        if pattern.match(line):
            return number
    return 1


class _ShortFatalReport(logging.Filter):
    """Drop the traceback from Pelican's final "RuntimeError: Warning or error encountered".

    With ``--fatal errors`` the first error log aborts the build and ``pelican.main`` logs that
    RuntimeError with a full traceback; the error itself (file, line, value) was already logged
    just above it, so editors get the message without a screen of Python internals.
    """

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if record.levelno == logging.CRITICAL and type(exc) is RuntimeError and (
            str(exc) == "Warning or error encountered"
        ):
            record.msg, record.args = "build failed: %s", ("see the error above",)
            record.exc_info = record.exc_text = None
        return True


_FILTER = _ShortFatalReport()


def use_reader(readers):
    for extension in VietnameseMarkdownReader.file_extensions:
        readers.reader_classes[extension] = VietnameseMarkdownReader


def register():
    # Adding the same filter object twice is a no-op, so repeated builds in one process are safe.
    logging.getLogger("pelican").addFilter(_FILTER)
    signals.readers_init.connect(use_reader)
