"""Content fingerprints of theme files, and CSS whose url() references carry them.

Pure code, no Pelican. A fingerprint is the first characters of the SHA-256 of the bytes
the reader will receive; for a stylesheet those are its bytes *after* its ``url(...)``
references to local files got their own ``?v=<fingerprint>``, so a new font changes the
stylesheet's fingerprint too, and every cached copy of a changed file is bypassed.
"""

import hashlib
import os
import posixpath
import re

# url(x), url('x'), url("x"); the reference itself never contains quotes or parentheses.
CSS_URL = re.compile(r"""url\(\s*(?P<quote>['"]?)(?P<ref>[^'")\s]+)(?P=quote)\s*\)""")
_EXTERNAL = ("data:", "http:", "https:", "//", "#", "/", "about:", "blob:")


class AssetFiles:
    """Fingerprints of the files below some static folders (later folders win, as Pelican
    copies them in order). One instance per build: its cache never outlives the build."""

    def __init__(self, roots, length=10, query="v"):
        self.roots = [os.path.abspath(r) for r in roots]
        self.length = length
        self.query = query
        self._bytes = {}
        self._fingerprints = {}

    def source(self, rel):
        """Absolute path of the file ``rel`` (posix, relative to the static root), or None."""
        rel = posixpath.normpath(rel.lstrip("/"))
        if rel.startswith("../") or rel == "..":
            return None
        for root in reversed(self.roots):
            path = os.path.join(root, *rel.split("/"))
            if os.path.isfile(path):
                return path
        return None

    def served_bytes(self, rel, _visiting=()):
        """The bytes served for ``rel`` (CSS rewritten); None when there is no such file."""
        rel = posixpath.normpath(rel.lstrip("/"))
        if rel in self._bytes:
            return self._bytes[rel]
        path = self.source(rel)
        if path is None:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
        if rel.endswith(".css") and rel not in _visiting:
            data = self.rewrite_css(rel, data.decode("utf-8"), _visiting + (rel,)).encode("utf-8")
        self._bytes[rel] = data
        return data

    def fingerprint(self, rel, _visiting=()):
        # Every page asks for the same few assets: hash each once per build (this object).
        key = posixpath.normpath(rel.lstrip("/"))
        if key in self._fingerprints:
            return self._fingerprints[key]
        data = self.served_bytes(rel, _visiting)
        if data is None:
            return None
        self._fingerprints[key] = value = hashlib.sha256(data).hexdigest()[: self.length]
        return value

    def versioned(self, ref, fingerprint):
        """``ref`` with ``?v=…`` added before any ``#fragment``."""
        path, hash_sign, fragment = ref.partition("#")
        separator = "&" if "?" in path else "?"
        return f"{path}{separator}{self.query}={fingerprint}{hash_sign}{fragment}"

    def rewrite_css(self, rel, text, _visiting=()):
        """``text`` (the stylesheet ``rel``) with every local url() fingerprinted."""
        folder = posixpath.dirname(rel)

        def replace(match):
            ref = match.group("ref")
            if ref.startswith(_EXTERNAL) or f"{self.query}=" in ref.partition("#")[0].partition("?")[2]:
                return match.group(0)
            target = posixpath.normpath(posixpath.join(folder, ref.partition("#")[0].partition("?")[0]))
            fingerprint = self.fingerprint(target, _visiting)
            if fingerprint is None:
                return match.group(0)  # a missing file stays as written (the link check reports it)
            quote = match.group("quote")
            return f"url({quote}{self.versioned(ref, fingerprint)}{quote})"

        return CSS_URL.sub(replace, text)
