"""vn_reader: the Markdown reader for Vietnamese sources.

Replaces Pelican's Markdown reader so that every source is read the same way, and the same
way ``invoke check`` reads it (both go through :mod:`plugins.content_rules`):

- bytes are decoded as UTF-8 (a BOM dropped), CRLF becomes LF, the text is normalised to NFC
  and invisible characters (soft hyphen, zero width space…) are removed before anything
  else sees it; the metadata header is read by the strict parser of
  ``plugins.content_rules.header`` (every line remembered), never by Python-Markdown's
  ``meta`` extension;
- every content rule runs on the source (``content_rules.check_source``); problems are
  collected by :mod:`plugins.vn_reader.gate`, which lists them all and fails the build once
  reading is over. A source with an error becomes an unpublished placeholder, so one bad
  file never hides the problems of the next;
- ``Date:`` and ``Modified:`` are read day first by ``vntext.parse_vn_date`` within
  ``CONTENT_YEARS`` (Pelican's dateutil would publish ``05/06/2022`` on 6 May);
- ``Title:`` and ``Summary:`` are plain text: HTML-escaped here, because Pelican and its
  feeds treat them as HTML; the slug is made from the plain title with ``vntext.slugify``;
- the rendered body is sanitised (``content_rules.html_safety``: ``nh3`` with an allow-list),
  and every article and page gets ``plain_summary``: plain text (not escaped; templates
  print it with ``|e``) of the Summary, else of the first ``SUMMARY_MAX_LENGTH`` words;
- in a build, with ``TYPOGRIFY`` on, the reader typogrifies the body, title and summary itself
  (:mod:`.typography`: Pelican's own call, so the bytes are the same) and Pelican skips its pass;
- in a build, a source is parsed once: its record is kept in the read cache (:mod:`.read_cache`)
  and replayed while its bytes, path and the reading environment stay the same; the sources the
  cache misses are parsed ahead in processes forked from the build (:mod:`.reading`). Problems,
  the gate entry and the metadata objects are replayed exactly as a fresh read makes them.
"""

import datetime
import html
import logging
import os

from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper

from plugins.content_rules import ERROR, Entry, check_source, is_page_path, outside_root, parse_date, read_source
from plugins.content_rules.discovery import link_message
from plugins.content_rules.html_safety import plain_summary, sanitize
from plugins.vntext import VN_TZ, slugify

from . import gate, reading
from .source_paths import remember_relative_path
from .typography import delegate, typogrify_text

logger = logging.getLogger(__name__)

_DATE_FIELDS = ("date", "modified")
_WRAPPER_FIELDS = ("category", "tags", "author", "authors")
_META_EXTENSIONS = ("markdown.extensions.meta", "meta")


class ContentError(ValueError):
    """A problem in a source file, already phrased for its editor."""


def body_markdown_settings(settings):
    """Pelican's MARKDOWN settings without the meta extension: the header is parsed already,
    and a body line such as "Note: …" must stay text."""
    config = dict(settings.get("MARKDOWN") or {})
    config["extensions"] = [e for e in config.get("extensions", []) if e not in _META_EXTENSIONS]
    config["extension_configs"] = {k: v for k, v in (config.get("extension_configs") or {}).items()
                                   if k not in _META_EXTENSIONS}
    return config


def placeholder(rel):
    """What a refused source reads as: an unpublished draft the gate then drops."""
    return "", {"title": html.escape(rel), "date": datetime.datetime(2000, 1, 1, tzinfo=VN_TZ),
                "status": "draft", "slug": "refused-" + (slugify(rel) or "source"),
                "content_rules_refused": True}


class VietnameseMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with the content rules, NFC input, day-first dates, safe HTML.

    Reading is split in two: :meth:`parse` turns a source's bytes into a *record* of plain data
    (the expensive part: rules, Markdown, sanitising, typogrify; a pure function of the bytes,
    the relative path and the settings, so it is cached and may run in another process, see
    :mod:`.reading`), and :meth:`read` replays a record in this build: problems and the gate
    entry are recorded, metadata objects (dates, categories, tags, authors) are made from this
    build's settings, exactly as a fresh read does.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._wrappers = {}  # (class, name) -> the Category, Tag or Author this reader made first

    def read(self, source_path):
        state = gate.state_of(self.settings)
        ctx = state.ctx
        rel = os.path.relpath(source_path, ctx.root).replace(os.sep, "/")
        # Pelican only reads files below PATH: one that resolves elsewhere came through a link.
        below = os.path.abspath(source_path).startswith(os.path.abspath(ctx.root).rstrip(os.sep) + os.sep)
        build = reading.state_of(self.settings)
        kind = outside_root(source_path, ctx.root, build.resolved if build is not None else None) if below else ""
        if kind:  # discovery has reported it; never open what lies outside content/
            state.add([ctx.problem(source_path, 1, ERROR, kind, link_message(kind, source_path))])
            state.refused.add(source_path)
            return self._placeholder(rel)
        record = (reading.record_for(self, build, source_path, rel) if build is not None
                  else self.parse(source_path, rel))
        return self.replay(record, source_path, rel, state)

    def _typogrify(self):
        """True when the build left typogrify to this reader (plugins.vn_reader.typography)."""
        build = reading.state_of(self.settings)
        return build is not None and build.typogrify

    def _placeholder(self, rel):
        content, metadata = placeholder(rel)
        if self._typogrify():
            metadata["title"] = typogrify_text(metadata["title"], self.settings)
        return content, metadata

    def parse(self, source_path, rel, raw=None):
        """The record of one source: plain data only (JSON-safe), nothing of this build's state.

        ``problems``: [line, severity, code, message] of every per-file rule; ``entry``: what the
        tree-wide rules need (None when unreadable); for a source without errors also ``fields``
        ([key, value] of the header, in order), ``final`` (title and summary as Pelican stores
        them: escaped, typogrified), ``slug``, ``content`` (the sanitised, typogrified HTML) and
        ``plain_summary``.
        """
        ctx = gate.state_of(self.settings).ctx
        src = read_source(source_path, raw)
        problems, entry = check_source(ctx, src, rel, is_page_path(rel, self.settings))
        record = {"problems": [[p.line, p.severity, p.code, p.message] for p in problems],
                  "entry": None if entry is None else {
                      "is_page": entry.is_page, "title": entry.title, "date": src.get("date"), "slug": entry.slug,
                      "status": entry.status, "save_as": entry.save_as, "url": entry.url,
                      "url_line": entry.url_line, "links": [list(link) for link in entry.links]}}
        if any(p.severity == ERROR for p in problems):
            return record
        typogrify = self._typogrify()
        self._source_path = source_path
        final = {}
        for key in ("title", "summary"):
            if key in src.fields:
                value = self.process_metadata(key, src.fields[key].value)
                if isinstance(value, str):
                    final[key] = typogrify_text(value, self.settings) if typogrify else value
        content = sanitize(self.body_converter().convert(src.body), ctx.setting("CONTENT_IFRAME_HOSTS"))
        summary = src.get("summary")
        record.update(
            fields=[[key, entry_field.value] for key, entry_field in src.fields.items()], final=final,
            slug=entry.slug,
            plain_summary=(" ".join(summary.split()) if summary else
                           plain_summary(content, self.settings.get("SUMMARY_MAX_LENGTH"))),
            # Pelican typogrifies only a non-empty content; so does this.
            content=typogrify_text(content, self.settings) if typogrify and content else content)
        return record

    def replay(self, record, source_path, rel, state):
        """``read``'s result from ``record``: problems and entry recorded, metadata made fresh."""
        ctx = state.ctx
        problems = [ctx.problem(source_path, line, severity, code, message)
                    for line, severity, code, message in record["problems"]]
        state.add(problems)
        data = record["entry"]
        if data is not None:
            try:
                date = parse_date(data["date"], ctx.settings) if data["date"] else None
            except ValueError:
                date = None
            state.entries.append(Entry(
                path=source_path, rel=rel, display=ctx.display(source_path), is_page=data["is_page"],
                title=data["title"], date=date, slug=data["slug"], status=data["status"],
                save_as=data["save_as"], url=data["url"], url_line=data["url_line"],
                links=[tuple(link) for link in data["links"]]))
        errors = [p for p in problems if p.severity == ERROR]
        if errors and not state.collect:
            raise ContentError("; ".join(p.format() for p in errors))
        if errors:
            state.refused.add(source_path)
            return self._placeholder(rel)
        self._source_path = source_path
        final = record["final"]
        metadata = {key: final[key] if key in final else self.process_metadata(key, value)
                    for key, value in record["fields"]}
        if "title" in metadata and "slug" not in metadata:
            metadata["slug"] = record["slug"]
        metadata["plain_summary"] = record["plain_summary"]
        return record["content"], metadata

    def body_converter(self):
        """This reader's one ``Markdown`` instance, reset for the next file.

        Building a ``Markdown`` (extensions, processors, regexes) cost as much as converting an
        average article; ``reset()`` clears every extension's per-document state, so a reused
        instance gives the bytes a new one gives. Footnotes with ``UNIQUE_IDS`` number their
        ids per instance: with that option every file gets a new instance, as before. The
        instance belongs to the reader, which Pelican creates per build, never to the module.
        """
        md = getattr(self, "_md", None)
        if md is None or self._md_per_file:
            config = body_markdown_settings(self.settings)
            self._md_per_file = "UNIQUE_IDS" in repr(config.get("extension_configs"))
            self._md = md = Markdown(**config)
            return md
        return md.reset()

    def process_metadata(self, name, value):
        if name in _DATE_FIELDS:
            try:
                return parse_date(value, self.settings)
            except ValueError as exc:  # the rules refused it already; kept for direct use
                raise ContentError(f"{self._source_path}: {name.capitalize()}: {exc}") from None
        if name == "title":
            return html.escape(" ".join(value.split()))
        if name == "summary" and name not in self.settings.get("FORMATTED_FIELDS", ()):
            # Plain text like Title (pelicanconf sets FORMATTED_FIELDS = []): escaped here so
            # templates and feeds, which treat summaries as HTML, show it literally.
            return html.escape(" ".join(value.split()))
        if name == "slug":
            return value.strip()
        value = super().process_metadata(name, value)
        return self._one_per_name(value) if name in _WRAPPER_FIELDS else value

    def _one_per_name(self, value):
        """One Category, Tag or Author object per name and build, as the generator's lists
        hold them: Pelican makes one per article, and each computes its slug (unidecode) and
        is signed (plugins.incremental_build) on its own; 10,000 articles made 10,000
        categories for a dozen names."""
        if isinstance(value, URLWrapper):
            return self._wrappers.setdefault((type(value), value.name), value)
        if isinstance(value, list):
            return [self._wrappers.setdefault((type(item), item.name), item) if isinstance(item, URLWrapper) else item
                    for item in value]
        return value


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


def plain_logs_when_piped():
    """Log one unwrapped line per message when the output is not a terminal.

    Pelican's rich handler wraps at the console width, 80 columns when the output is a pipe
    or a file (CI, ``invoke publish``): ``path:line`` would be split across lines, where no
    editor or tool finds it. In a terminal the rich handler stays.
    """
    from pelican.log import console  # noqa: PLC0415
    from rich.logging import RichHandler  # noqa: PLC0415

    if console.is_terminal:
        return
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RichHandler):
            plain = logging.StreamHandler(console.file)
            plain.setFormatter(logging.Formatter("%(levelname)-8s %(message)s"))
            plain.setLevel(handler.level)
            for existing in handler.filters:
                plain.addFilter(existing)
            root.removeHandler(handler)
            root.addHandler(plain)


def use_reader(readers):
    for extension in VietnameseMarkdownReader.file_extensions:
        readers.reader_classes[extension] = VietnameseMarkdownReader
    build = reading.state_of(readers.settings)
    if build is not None and build.typogrify:
        delegate(readers, VietnameseMarkdownReader)


def read_ahead(generator):
    """``article_generator_preread``/``page_generator_preread``: before the generator's first file."""
    reading.prefetch(generator, VietnameseMarkdownReader)


def pages_read(generator):
    """``page_generator_finalized``: the read cache is saved before the gate may stop the build."""
    reading.finish(generator.settings)
    gate.finish_pages(generator)


def generators_done(generators):
    for generator in generators:
        reading.finish(generator.settings)
        break
    gate.finish(generators)


def register():
    # Adding the same filter object twice is a no-op, so repeated builds in one process are safe.
    logging.getLogger("pelican").addFilter(_FILTER)
    plain_logs_when_piped()
    signals.get_generators.connect(gate.start)
    signals.get_generators.connect(reading.start)
    signals.readers_init.connect(use_reader)
    # vn_reader is listed before every plugin whose content_object_init handler reads url.
    signals.content_object_init.connect(remember_relative_path)
    signals.article_generator_preread.connect(read_ahead)
    signals.page_generator_preread.connect(read_ahead)
    signals.article_generator_pretaxonomy.connect(gate.drop_refused_articles)
    signals.page_generator_finalized.connect(pages_read)
    signals.all_generators_finalized.connect(generators_done)
    signals.static_generator_finalized.connect(gate.keep_static_inside)
