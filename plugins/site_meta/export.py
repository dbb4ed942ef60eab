"""The JSON export of every published article's metadata, written as a stream.

Pure code, no Pelican signals. The file is one JSON object::

    {"count": 2, "articles": [
    {"author": "Hồng Nhung", "campaigns": ["binh-dang-gioi"], "category": "Tin tức - Sự kiện",
     "date": "2022-06-22T10:08:00+07:00", "modified": null, "summary": "…", "tags": ["…"],
     "title": "…", "url": "https://…/2022/06/22/slug.html"},
    …]}

one article per line, oldest first (date, then URL), keys sorted, no build time: the same
content gives the same bytes; ``<``, ``>`` and ``&`` are written as ``\u003c`` escapes. Text is plain (titles and summaries are unescaped: the reader
stores them HTML-escaped) and NFC as read.
"""

import html
import json
import os

from plugins.vntext import format_iso


def _json_safe(text):
    """JSON text with ``<``, ``>``, ``&`` as ``\\u`` escapes: plain text may hold "<script>"
    typed by an editor; the value stays, the markup's bytes never appear (a browser sniffing
    the file, or a page pasting it, sees no tag). str.replace runs in C: ten times faster
    than str.translate with a table on 100,000 lines."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(value):
    return html.unescape(str(value)) if value is not None else None


def editor_field(article, name):
    """Metadata the editor wrote (not Pelican's defaults such as AUTHOR or a cut summary)."""
    value = article.metadata.get(name)
    return value if value not in ("", None) else None


def article_record(article, base_url):
    """The export entry of one article (a dict of plain JSON values)."""
    authors = editor_field(article, "authors") or (
        [editor_field(article, "author")] if editor_field(article, "author") else [])
    modified = getattr(article, "modified", None) if editor_field(article, "modified") else None
    category = getattr(article, "category", None)
    return {
        "title": _plain(article.title),
        "url": f"{base_url}/{article.url}",
        "date": format_iso(article.date),
        "modified": format_iso(modified) if modified else None,
        "category": str(category) if category else None,
        "tags": [str(tag) for tag in getattr(article, "tags", None) or []],
        "author": ", ".join(str(a) for a in authors) or None,
        "campaigns": [page.slug for page in getattr(article, "campaigns", None) or []],
        "summary": _plain(editor_field(article, "summary")),
    }


def export_order(articles):
    """Oldest first; articles of the same moment by URL (stable between builds)."""
    return sorted(articles, key=lambda a: (a.date, a.url))


def write_export(path, articles, base_url):
    """Write the export of ``articles`` (any order) to ``path``; one line per article."""
    ordered = export_order(articles)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write('{"count": %d, "articles": [' % len(ordered))
        for index, article in enumerate(ordered):
            handle.write(",\n" if index else "\n")
            record = json.dumps(article_record(article, base_url), ensure_ascii=False, sort_keys=True)
            handle.write(_json_safe(record))
        handle.write("\n]}\n")
