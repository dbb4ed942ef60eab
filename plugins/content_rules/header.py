"""Read one source file and its metadata header, keeping line numbers (one parser for all).

The build (``plugins.vn_reader``) and ``invoke check`` both read sources through
:func:`read_source`: UTF-8 (a BOM dropped), CRLF to LF, and a header of ``Key: value`` lines
up to the first blank line (optionally between ``---`` fences). Unlike Python-Markdown's
``meta`` extension, the parser remembers every line a key was written on, so two ``Date:``
lines or a continuation line are reported with their line instead of silently merged.

:data:`KEYS` is the table of metadata keys editors may write (the README and the editors'
guide show the same table); any other key is refused by :mod:`plugins.content_rules.rules`.
"""

import re
from dataclasses import dataclass, field

from plugins.vntext import decode_utf8, nfc

from .characters import refused_character, remove_invisible

# The header grammar of markdown.extensions.meta (kept identical on purpose).
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")

BOM = b"\xef\xbb\xbf"

# Metadata keys (lower-case) -> who writes them. "editor": the editors' own fields;
# "imported": written by `invoke import-legacy`; "project": the project's own markers.
KEYS = {
    "title": "editor", "date": "editor", "modified": "editor", "category": "editor",
    "tags": "editor", "author": "editor", "authors": "editor", "summary": "editor",
    "slug": "editor", "status": "editor", "campaign": "editor", "source": "editor",
    "original_url": "imported", "imported_from": "imported",
    "sample": "project", "expected_campaigns": "project",
}
# Pelican keys that would let a source choose its output path, language or template.
FORBIDDEN_KEYS = ("save_as", "url", "lang", "template", "translation", "override_save_as",
                  "override_url", "page_order", "translation_id")


@dataclass
class Field:
    """One metadata key as written: its lower-case key, values and lines."""

    key: str
    name: str
    values: list = field(default_factory=list)
    line: int = 1
    lines: list = field(default_factory=list)  # every line the key was (re)defined on
    continuations: list = field(default_factory=list)  # lines continuing a value (4+ spaces)

    @property
    def value(self):
        return " ".join(v for v in self.values if v).strip()


@dataclass
class Source:
    """A decoded source: facts about its bytes, its text lines, header fields and body."""

    path: str
    raw: bytes
    text: str = ""  # decoded, LF line endings, otherwise as written
    decode_error: str = ""
    decode_error_line: int = 1
    has_bom: bool = False
    has_crlf: bool = False
    lines: list = field(default_factory=list)  # as written (for reports)
    clean: list = field(default_factory=list)  # repaired: NFC, invisible characters removed
    fields: dict = field(default_factory=dict)
    body_start: int = 1  # 1-based line number of the first body line

    def get(self, key, default=""):
        entry = self.fields.get(key)
        return entry.value if entry else default

    def line_of(self, key):
        entry = self.fields.get(key)
        return entry.line if entry else 1

    @property
    def body_lines(self):
        """(line number, repaired text) of every body line."""
        return list(enumerate(self.clean[self.body_start - 1:], start=self.body_start))

    @property
    def body(self):
        """The repaired body, the text Markdown renders."""
        return "\n".join(self.clean[self.body_start - 1:])


def parse_header(lines):
    """Parse the metadata header of ``lines``; return (fields, first body line number)."""
    fields = {}
    index = 0
    if lines and BEGIN_RE.match(lines[0]):
        index = 1
    current = None
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if line.strip() == "" or END_RE.match(line):
            index += 1
            break
        match = META_RE.match(line)
        if match:
            key = match.group("key").lower().strip()
            entry = fields.get(key)
            if entry is None:
                entry = fields[key] = Field(key=key, name=match.group("key").strip(), line=number)
            entry.values.append(match.group("value").strip())
            entry.lines.append(number)
            current = entry
        else:
            more = META_MORE_RE.match(line)
            if more and current is not None:
                current.values.append(more.group("value").strip())
                current.continuations.append(number)
            else:
                break  # not metadata: the body starts here
        index += 1
    return fields, index + 1


def repair_line(line):
    """What the build reads for a line: NFC, invisible characters removed."""
    return nfc(remove_invisible(line))


def read_source(path, raw=None):
    """Read ``path`` into a :class:`Source` (never raises for bad content)."""
    if raw is None:
        with open(path, "rb") as handle:
            raw = handle.read()
    source = Source(path=str(path), raw=raw)
    source.has_bom = raw.startswith(BOM)
    source.has_crlf = b"\r\n" in raw
    text, error, line = decode_utf8(raw)
    if error:
        source.decode_error, source.decode_error_line = error, line
        return source
    source.text = text.replace("\r\n", "\n").replace("\r", "\n")
    source.lines = source.text.split("\n")
    source.clean = [repair_line(line) for line in source.lines]
    source.fields, source.body_start = parse_header(source.clean)
    return source


def value_problem(value):
    """Why ``value`` cannot be written as one header value (``invoke new``), or "".

    >>> value_problem("Lan\\nStatus: published")
    'contains a line break'
    >>> value_problem("Lan\\x08")
    'contains the invisible character U+0008 (column 4)'
    >>> value_problem("Hồng Nhung")
    ''
    """
    if any(c in value for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
        return "contains a line break"
    bad = refused_character(value)
    if bad:
        return f"contains the invisible character U+{ord(bad[1]):04X} (column {bad[0]})"
    return ""
