"""What of an article is searchable: its title, its Summary and its body paragraphs.

Pure functions of the article's text (no Pelican objects), so their result can be cached
by content hash and an unchanged article is never analysed again.
"""

import hashlib
import html
import re

# Bump when the analysis or the tokenizer changes: cached analyses are keyed by it.
ANALYSIS_VERSION = "1"
FIELDS = ("title", "summary", "body")
TITLE, SUMMARY, BODY = range(3)
LEAD_LENGTH = 240

_BLOCK = re.compile(
    r"<(?:/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|table|thead|tbody|tfoot|tr|td|th|dl|dt|dd|"
    r"figure|figcaption|section|article|aside|header|footer|nav)\b[^>]*|br\b[^>]*|hr\b[^>]*)>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")


def plain(fragment):
    """Plain text of an HTML fragment (tags removed, entities decoded, spaces collapsed)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def paragraphs(body_html):
    """Text of each block of an article body: a phrase never spans two of them."""
    body_html = _COMMENT.sub(" ", body_html or "")
    blocks = (plain(block) for block in _BLOCK.split(body_html))
    return [block for block in blocks if block]


def lead(summary, body_paragraphs, length=LEAD_LENGTH):
    """The excerpt shown under a result: the Summary, else the first paragraphs, cut at a word."""
    text = summary or " ".join(body_paragraphs)
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    return text[:cut if cut > length // 2 else length].rstrip(" ,.;:") + "…"


def content_hash(title, summary, body_html):
    digest = hashlib.sha256()
    for part in (ANALYSIS_VERSION, title, summary, body_html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def analyse(title, summary, body_html, analyzer):
    """``{"segments": [[field, [syllable, ...]], ...], "lead": str}`` for one article.

    ``title`` and ``summary`` are plain text (already unescaped); ``body_html`` the body.
    """
    body = paragraphs(body_html)
    segments = [[TITLE, analyzer.syllables(title)]]
    if summary:
        segments.append([SUMMARY, analyzer.syllables(summary)])
    segments.extend([BODY, analyzer.syllables(text)] for text in body)
    return {"segments": [s for s in segments if s[1]], "lead": lead(summary, body)}
