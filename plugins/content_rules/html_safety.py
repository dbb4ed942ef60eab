"""What HTML an article or page body may carry, applied by the build and reported by check.

The build renders Markdown and passes the HTML through :func:`sanitize` (``nh3``, the Python
binding of the maintained Rust sanitiser *ammonia*) with the allow-list below: what news
articles use, nothing that runs. ``invoke check`` calls :func:`removed_constructs` on the
source lines, against the same tables, so every construct the build drops is reported with
its line before anyone builds.

Kept: paragraphs, headings h2–h6, lists, tables, images, links (http, https, mailto, tel and
relative, including Pelican's ``{filename}``/``{static}``), emphasis, figure/figcaption,
blockquote, code, br, hr, footnotes; ``<iframe>`` only with an ``https://`` ``src`` on a host
of ``CONTENT_IFRAME_HOSTS`` (the editors' guide lists them). Removed: ``<script>``/``<style>``
with their content, every other tag (its text kept), ``on*=`` and other attributes outside
the table, ``javascript:``/``data:``/``vbscript:`` URLs, ``<h1>`` (the page's one ``<h1>`` is
the title; write ``##``).
"""

import re
from urllib.parse import urlsplit

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
# Removed together with everything inside them (ammonia's default).
CONTENT_TAGS = frozenset({"script", "style"})
GENERIC_ATTRIBUTES = frozenset({"id", "class", "title", "lang"})
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "iframe": {"src", "width", "height", "allowfullscreen", "frameborder"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "type"}, "li": {"value"},
    "blockquote": {"cite"}, "q": {"cite"}, "del": {"datetime"}, "ins": {"datetime"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES = frozenset({"text-align"})  # what Markdown's tables write
DEFAULT_IFRAME_HOSTS = ("www.youtube.com", "www.youtube-nocookie.com")

_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>\s*</iframe>")


def iframe_allowed(src, hosts):
    """True for an ``https://`` embed on one of ``hosts``.

    >>> iframe_allowed("https://www.youtube.com/embed/abc", DEFAULT_IFRAME_HOSTS)
    True
    >>> iframe_allowed("http://www.youtube.com/embed/abc", DEFAULT_IFRAME_HOSTS)
    False
    """
    parts = urlsplit(src.strip())
    return parts.scheme == "https" and (parts.hostname or "") in hosts


def sanitize(html, iframe_hosts=DEFAULT_IFRAME_HOSTS):
    """``html`` with everything outside the allow-list removed.

    >>> sanitize('<p onclick="x()">Tin <script>alert(1)</script><a href="javascript:x">a</a></p>')
    '<p>Tin <a>a</a></p>'
    """
    hosts = tuple(iframe_hosts)

    def keep(tag, attribute, value):
        if tag == "iframe" and attribute == "src" and not iframe_allowed(value, hosts):
            return None
        return value

    cleaned = nh3.clean(
        html, tags=set(TAGS), clean_content_tags=set(CONTENT_TAGS),
        attributes={"*": set(GENERIC_ATTRIBUTES), **{t: set(a) for t, a in ATTRIBUTES.items()}},
        attribute_filter=keep, url_schemes=set(URL_SCHEMES), link_rel=None,
        filter_style_properties=set(STYLE_PROPERTIES), strip_comments=True,
    )
    return _EMPTY_IFRAME.sub("", cleaned)


# --- the check side: what sanitize() would remove, by source line ---------------------------

_TAG = re.compile(r"<\s*(?P<close>/?)\s*(?P<name>[A-Za-z][\w:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR = re.compile(r"(?P<name>[^\s=/>\"']+)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_MD_URL = re.compile(r"\]\(\s*<?(?P<url>[^)\s>]+)")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_FENCE = re.compile(r"^\s*(```|~~~)")


def bad_url(url):
    """The scheme of a URL the sanitiser drops (``javascript``, ``data``…), or ""."""
    value = re.sub(r"[\x00-\x20]", "", url).lower()
    if value.startswith(("{filename}", "{static}", "{attach}", "{index}", "{category}", "{tag}",
                         "{author}", "|filename|", "|static|")):
        return ""
    match = re.match(r"^([a-z][a-z0-9+.-]*):", value)
    if match and match.group(1) not in URL_SCHEMES:
        return match.group(1)
    return ""


def _tag_problems(match, iframe_hosts):
    name = match.group("name").lower()
    if match.group("close"):
        return
    if name in CONTENT_TAGS:
        yield f"the <{name}> element and its content are removed"
        return
    if name not in TAGS:
        yield (f"the tag <{name}> is removed (its text is kept)"
               + ("; the title is the page's only level-1 heading, write '##'" if name == "h1" else ""))
        return
    allowed = GENERIC_ATTRIBUTES | ATTRIBUTES.get(name, set())
    for attr in _ATTR.finditer(match.group("attrs")):
        key = attr.group("name").lower()
        value = (attr.group("value") or "").strip("\"'")
        if key not in allowed:
            yield f"the attribute {key}= of <{name}> is removed"
        elif key in URL_ATTRIBUTES and bad_url(value):
            yield f"the {bad_url(value)}: address in <{name} {key}=> is removed"
        elif key == "style" and any(p.split(":")[0].strip().lower() not in STYLE_PROPERTIES
                                    for p in value.split(";") if p.strip()):
            yield f"style= of <{name}> keeps only {', '.join(sorted(STYLE_PROPERTIES))}"
        elif name == "iframe" and key == "src" and not iframe_allowed(value, iframe_hosts):
            yield (f"the <iframe> from {urlsplit(value).hostname or value!r} is removed "
                   f"(allowed: https:// on {', '.join(iframe_hosts)})")


def removed_constructs(body_lines, iframe_hosts=DEFAULT_IFRAME_HOSTS):
    """(line, message) for every construct :func:`sanitize` removes, fenced and inline code skipped."""
    in_fence = False
    for number, line in body_lines:
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or line.startswith(("    ", "\t")):
            continue
        text = _CODE_SPAN.sub("", line)
        for match in _TAG.finditer(text):
            for message in _tag_problems(match, tuple(iframe_hosts)):
                yield number, message
        for match in _MD_URL.finditer(text):
            scheme = bad_url(match.group("url"))
            if scheme:
                yield number, f"the {scheme}: link {match.group('url')[:40]!r} is removed"


_BLOCK_BOUNDARY = re.compile(r"<(?:/?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|tfoot|caption|"
                             r"blockquote|figure|figcaption|pre|hr)\b[^>]*|br\s*/?)>", re.IGNORECASE)


def plain_text(html_text):
    """The text of (already sanitised) HTML: tags dropped, entities decoded, spaces folded.

    >>> plain_text("<p>Tin <b>A&amp;B</b></p><p>hai</p>")
    'Tin A&B hai'
    """
    import html  # noqa: PLC0415

    spaced = _BLOCK_BOUNDARY.sub(" ", html_text)
    return " ".join(html.unescape(nh3.clean(spaced, tags=set(), clean_content_tags=set(CONTENT_TAGS))).split())


def plain_summary(html_text, max_words):
    """The first ``max_words`` words of the text of ``html_text``, with "…" when cut."""
    words = plain_text(html_text).split()
    if max_words and len(words) > max_words:
        return " ".join(words[:max_words]) + "…"
    return " ".join(words)
