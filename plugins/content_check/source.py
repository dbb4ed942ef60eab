"""Read one source file the way the build does, keeping line numbers.

The build reads sources with ``plugins.vn_reader`` (UTF-8, BOM dropped, CRLF to LF, NFC) and
Python-Markdown's ``meta`` extension (``Key: value`` lines until the first blank line, 4-space
continuation lines). This module mirrors that header grammar, but remembers on which line
each key was written so that every problem can be reported as ``path:line``.
"""

import re
from dataclasses import dataclass, field

from plugins.vntext import decode_utf8, nfc

# The header grammar of markdown.extensions.meta (kept identical on purpose).
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")

BOM = b"\xef\xbb\xbf"


@dataclass
class Field:
    """One metadata key as written: its lower-case key, values and first line."""

    key: str
    name: str
    values: list = field(default_factory=list)
    line: int = 1
    lines: list = field(default_factory=list)  # every line the key was (re)defined on

    @property
    def value(self):
        return " ".join(v for v in self.values if v).strip()


@dataclass
class Source:
    """A decoded source: raw bytes facts, text lines, header fields and the body."""

    path: str
    raw: bytes
    text: str = ""
    decode_error: str = ""
    decode_error_line: int = 1
    has_bom: bool = False
    has_crlf: bool = False
    lines: list = field(default_factory=list)
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
        """(line number, text) of every body line."""
        return list(enumerate(self.lines[self.body_start - 1:], start=self.body_start))

    @property
    def body(self):
        return "\n".join(self.lines[self.body_start - 1:])


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
            else:
                break  # not metadata: the body starts here
        index += 1
    return fields, index + 1


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
    # Same order as vn_reader: line endings first; NFC is checked (not applied) by the caller.
    source.text = text.replace("\r\n", "\n").replace("\r", "\n")
    source.lines = source.text.split("\n")
    source.fields, source.body_start = parse_header(
        [nfc(line) for line in source.lines]
    )
    return source
