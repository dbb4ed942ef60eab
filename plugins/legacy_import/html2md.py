"""A small HTML -> Markdown converter for article bodies of the old portal.

Only what news articles use is supported: paragraphs (including text split by
``<br><br>`` inside layout ``<div>``/``<td>``), bold/italic (tags or inline
styles), headings (``h1`` is demoted: the article page owns the only ``<h1>``),
lists, blockquotes, data tables (pipe tables of Python-Markdown's ``tables``
extension), images with alt text and captions, and links. Layout tables are
flattened. Everything is escaped so the rendered text equals the source text.

The input is expected to be cleaned already (no scripts, styles, iframes,
event handlers: see ``htmlpage.clean_tree``); unknown tags are treated as
transparent containers, so a surprising tag can only lose markup, never text.

Why not markdownify: it renders layout tables as pipe tables, keeps
``<font>``/``<span>`` styling noise out but also ignores ``font-weight:bold``
inline styles, and needs the same amount of configuration/overrides as this
module to handle the portal's caption tables and ``<br><br>`` paragraphs.
"""

import re

from bs4 import Comment, NavigableString, Tag

BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody "
    "td tfoot th thead tr ul".split()
)
# Inline tags that old editors wrapped around whole paragraphs (<font>...<br><br>...</font>).
INLINE_CONTAINERS = frozenset("a b big center em font i small span strong u".split())
HEADING_LEVEL = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
WS_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
# Characters that Markdown would interpret anywhere in a line.
INLINE_SPECIAL_RE = re.compile(r"([\\`*_\[\]])")
# Constructs that Markdown interprets only at the start of a block line.
LINE_START_RE = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|=+\s*$|-{2,}\s*$|~{3,}|:(?=\s)|(\d+)\.(?=\s))")


def collapse_ws(text):
    """Collapse every run of (also non-breaking) white space to one space."""
    return WS_RE.sub(" ", text)


def escape_inline(text):
    """Escape Markdown syntax characters and raw HTML in running text."""
    text = INLINE_SPECIAL_RE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)  # "&lt;" written in the text stays literal
    return text.replace("<", "&lt;")


def escape_line_start(line):
    """Keep a paragraph line from turning into a heading, list or quote."""
    m = LINE_START_RE.match(line)
    if not m:
        return line
    if m.group(3) is not None:  # "2022. " would start an ordered list
        start = m.end(3)
        return line[:start] + "\\" + line[start:]
    start = m.start(2)
    if line[start] in "~:=":  # not backslash-escapable in Python-Markdown: an entity instead
        return f"{line[:start]}&#{ord(line[start])};{line[start + 1:]}"
    return line[:start] + "\\" + line[start:]


def _style(tag):
    return (tag.get("style") or "").replace(" ", "").lower()


def is_bold(tag):
    if tag.name in ("b", "strong"):
        return True
    style = _style(tag)
    return bool(re.search(r"font-weight:(bold|[6-9]00)", style))


def is_italic(tag):
    if tag.name in ("i", "em", "cite"):
        return True
    return "font-style:italic" in _style(tag)


def has_block_child(tag):
    return any(isinstance(c, Tag) and c.name in BLOCK_TAGS for c in tag.descendants)


def is_data_table(table):
    """A table of data (>= 2 columns in most rows, no nested blocks or images)."""
    rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
    if len(rows) < 2:
        return False
    widths = []
    for row in rows:
        cells = row.find_all(["td", "th"], recursive=False)
        for cell in cells:
            if cell.find(["table", "img", "p", "div", "ul", "ol", "h1", "h2", "h3"]):
                return False
        widths.append(len(cells))
    return max(widths) >= 2 and sum(1 for w in widths if w >= 2) * 2 > len(rows)


def _wrap(marker, text):
    """Wrap text in an emphasis marker, keeping outer spaces outside it."""
    stripped = text.strip()
    if not stripped:
        return text
    if stripped.startswith(marker) and stripped.endswith(marker):
        return text  # already emphasised by a nested tag of the same kind
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


class Converter:
    """Convert a cleaned BeautifulSoup element to Markdown.

    ``image_src(tag) -> str | None`` maps an ``<img>`` to the Markdown target
    (``None`` drops the image and keeps its alt text); ``link_href(href)`` maps
    a link target (``None`` keeps only the link text).
    """

    def __init__(self, image_src=None, link_href=None):
        self.image_src = image_src or (lambda tag: tag.get("src"))
        self.link_href = link_href or (lambda href: href)

    # -- blocks -------------------------------------------------------------
    def convert(self, element):
        blocks = self.blocks(element)
        return "\n\n".join(b for b in blocks if b.strip()) + "\n"

    def blocks(self, element):
        """Return the Markdown blocks (paragraph strings) of an element."""
        out = []
        inline = []

        def flush():
            text = "".join(inline)
            inline.clear()
            para = self.finish_paragraph(text)
            if para:
                out.append(para)

        children = list(element.children)
        for i, child in enumerate(children):
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                inline.append(escape_inline(collapse_ws(str(child))))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                # Two <br> in a row (white space between them allowed) end a paragraph.
                j = len(inline) - 1
                while j >= 0 and not inline[j].strip():
                    j -= 1
                if j >= 0 and inline[j] == "\x00BR":
                    del inline[j:]
                    flush()
                else:
                    inline.append("\x00BR")
                continue
            if name in BLOCK_TAGS or (
                name in INLINE_CONTAINERS and (has_block_child(child) or child.find("br"))
            ):
                flush()
                out.extend(self.block(child))
                continue
            inline.append(self.inline(child))
        flush()
        return out

    def finish_paragraph(self, text):
        # Hard line breaks: Markdown's two trailing spaces.
        parts = [collapse_ws(p).strip() for p in text.split("\x00BR")]
        parts = [p for p in parts if p and p not in ("**", "*", "****")]
        if not parts:
            return ""
        return "  \n".join(escape_line_start(p) for p in parts)

    def block(self, tag):
        name = tag.name
        if name in HEADING_LEVEL:
            text = collapse_ws(self.inline_children(tag)).strip()
            if not text:
                return []
            text = re.sub(r"^(\*\*|\*)(.*)\1$", r"\2", text)  # headings are bold already
            return ["#" * HEADING_LEVEL[name] + " " + text]
        if name == "hr":
            return ["* * *"]
        if name in ("ul", "ol"):
            return [self.list_block(tag)] if tag.find("li") else []
        if name == "blockquote":
            inner = self.blocks(tag)
            return ["\n>\n".join("\n".join("> " + ln for ln in b.split("\n")) for b in inner)] if inner else []
        if name == "pre":
            text = tag.get_text()
            return ["\n".join("    " + ln for ln in text.strip("\n").split("\n"))] if text.strip() else []
        if name == "table":
            if is_data_table(tag):
                return [self.table_block(tag)]
            return self.layout_table(tag)
        if name == "figure":
            return self.blocks(tag)
        if name == "figcaption":
            text = collapse_ws(self.inline_children(tag)).strip()
            return [_wrap("*", text)] if text else []
        if is_bold(tag) or is_italic(tag):
            # A <b>/<span style=bold> around whole paragraphs: emphasise each.
            marker = "**" if is_bold(tag) else "*"
            return [self._emphasise_block(b, marker) for b in self.blocks(tag)]
        return self.blocks(tag)

    @staticmethod
    def _emphasise_block(block, marker):
        if block.startswith(("#", "!", "|", "- ", "> ", "    ")) or "\n" in block:
            return block
        return _wrap(marker, block)

    def layout_table(self, table):
        """Flatten a layout table; a 1-column image+caption table keeps its caption."""
        out = []
        for row in table.find_all("tr"):
            if row.find_parent("table") is not table:
                continue
            for cell in row.find_all(["td", "th"], recursive=False):
                cell_blocks = self.blocks(cell)
                only_text = not cell.find(["img", "table"])
                if out and out[-1].startswith("![") and only_text and len(cell_blocks) == 1:
                    text = cell_blocks[0]
                    if not text.startswith(("*", "#")) and len(text) < 300:
                        cell_blocks = [_wrap("*", text)]
                out.extend(cell_blocks)
        return out

    def list_block(self, tag, depth=0):
        lines = []
        ordered = tag.name == "ol"
        n = 0
        for li in tag.find_all("li", recursive=False):
            n += 1
            marker = f"{n}." if ordered else "-"
            nested = [c for c in li.find_all(["ul", "ol"], recursive=False)]
            for sub in nested:
                sub.extract()
            text = " ".join(b.replace("  \n", " ") for b in self.blocks(li)).strip()
            text = text.replace("\n", " ")
            lines.append("    " * depth + f"{marker} {text}")
            for sub in nested:
                lines.append(self.list_block(sub, depth + 1))
        return "\n".join(lines)

    def table_block(self, table):
        rows = []
        for row in table.find_all("tr"):
            if row.find_parent("table") is not table:
                continue
            cells = []
            for cell in row.find_all(["td", "th"], recursive=False):
                text = collapse_ws(self.inline_children(cell)).strip().replace("|", "\\|")
                cells.append(text.replace("\x00BR", " "))
                span = int(cell.get("colspan", 1) or 1) if str(cell.get("colspan", "1")).isdigit() else 1
                cells.extend([""] * (span - 1))
            rows.append(cells)
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    # -- inline -------------------------------------------------------------
    def inline_children(self, tag):
        parts = []
        for child in tag.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(escape_inline(collapse_ws(str(child))))
            elif isinstance(child, Tag):
                if child.name == "br":
                    parts.append(" ")
                elif child.name in BLOCK_TAGS:
                    parts.append(" " + " ".join(self.blocks(child)) + " ")
                else:
                    parts.append(self.inline(child))
        return "".join(parts)

    def inline(self, tag):
        name = tag.name
        if name == "img":
            return self.image(tag)
        if name == "a":
            text = self.inline_children(tag)
            href = (tag.get("href") or "").strip()
            target = self.link_href(href) if href else None
            if not text.strip():
                return text
            if not target:
                return text
            target = target.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            return f"{lead}[{text.strip()}]({target}){trail}"
        text = self.inline_children(tag)
        if is_bold(tag):
            text = _wrap("**", text)
        if is_italic(tag):
            text = _wrap("*", text)
        return text

    def image(self, tag):
        alt = collapse_ws(tag.get("alt") or tag.get("title") or "").strip()
        src = self.image_src(tag)
        if not src:
            return escape_inline(alt)
        alt = alt.replace("[", "").replace("]", "")
        src = src.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
        return f"![{alt}]({src})"
