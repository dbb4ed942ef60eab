"""Repairs that need no guessing: the build applies them on read, ``invoke check --fix`` writes them.

A BOM is dropped, CRLF/CR become LF, the text is normalised to NFC and the *invisible*
characters of :mod:`plugins.content_rules.characters` are removed. ``invoke check`` reports
each as a warning (``bom``, ``crlf``, ``nfc``, ``invisible-char``). Encodings are never
guessed: a file that is not UTF-8 is left alone and refused.
"""

import os

from plugins.vntext import decode_utf8

from .header import repair_line


def repaired_text(raw):
    """The text the build reads from ``raw`` bytes, or None when they are not UTF-8."""
    text, error, _ = decode_utf8(raw)
    if error:
        return None
    return "\n".join(repair_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def fix_file(path):
    """Rewrite ``path`` with the repairs applied. True when it changed."""
    with open(path, "rb") as handle:
        raw = handle.read()
    text = repaired_text(raw)
    if text is None:
        return False  # never guess an encoding: the editor must re-save the file
    data = text.encode("utf-8")
    if data == raw:
        return False
    tmp = f"{path}.fix-{os.getpid()}"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
    return True
