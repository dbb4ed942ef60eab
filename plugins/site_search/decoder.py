"""Read the search index back (the Python twin of the client's decoder): used by the
tests (every posting written is read back) and by :mod:`.engine`."""

import json
from pathlib import Path

from .encoding import Reader, fnv1a


def parse_syllable(data):
    """{exact form: (title ids, summary ids, body ids)}"""
    reader = Reader(data)
    variants = {}
    for _ in range(reader.varint()):
        form = reader.string()
        variants[form] = tuple(reader.docset() for _ in range(3))
    assert reader.at_end(), "trailing bytes in a syllable posting"
    return variants


def parse_pair(data):
    """{(a, b): (title ids, summary ids, body ids)}"""
    reader = Reader(data)
    combos = {}
    for _ in range(reader.varint()):
        combo = (reader.string(), reader.string())
        combos[combo] = tuple(reader.docset() for _ in range(3))
    assert reader.at_end(), "trailing bytes in a pair posting"
    return combos


def parse_positions(data):
    """(combos [(a, b)], {doc: {position: (combo index, field)}})"""
    reader = Reader(data)
    combos = [(reader.string(), reader.string()) for _ in range(reader.varint())]
    docs, doc = {}, 0
    for _ in range(reader.varint()):
        doc += reader.varint()
        found, position = {}, 0
        for _ in range(reader.varint()):
            position += reader.varint()
            code = reader.varint()
            found[position] = (code // 3, code % 3)
        docs[doc] = found
    assert reader.at_end(), "trailing bytes in a positions posting"
    return combos, docs


def parse_bucket(data):
    """{key: ("inline", bytes) | ("external", ordinal, parts)}"""
    reader = Reader(data)
    keys = {}
    for _ in range(reader.varint()):
        key = reader.string()
        parts = reader.varint()
        if parts == 0:
            keys[key] = ("inline", reader.raw(reader.varint()))
        else:
            keys[key] = ("external", reader.varint(), parts)
    assert reader.at_end(), "trailing bytes in a bucket"
    return keys


class IndexReader:
    """The index in a folder (or a {path: bytes} dict), read lazily like the client does."""

    def __init__(self, source):
        if isinstance(source, dict):
            self._load = source.__getitem__
        else:
            root = Path(source)
            self._load = lambda path: (root / path).read_bytes()
        self.manifest = json.loads(self._load("index.json"))
        self.fetched = []  # relative paths read, in order (what a client would download)
        self._buckets = {}

    def load(self, path):
        self.fetched.append(path)
        return self._load(path)

    def bucket_of(self, key):
        """The bucket file name (without .bin) below b/ that holds ``key``."""
        return key[0] + str(fnv1a(key) & (self.manifest["buckets"][key[0]] - 1))

    def bucket(self, number):
        if number not in self._buckets:
            self._buckets[number] = parse_bucket(self.load(f"b/{number}.bin"))
        return self._buckets[number]

    def posting(self, key):
        """The raw posting bytes of ``key``, or None when no document has it."""
        number = self.bucket_of(key)
        entry = self.bucket(number).get(key)
        if entry is None:
            return None
        if entry[0] == "inline":
            return entry[1]
        _, ordinal, parts = entry
        return b"".join(self.load(f"x/{number}-{ordinal}-{part}.bin") for part in range(parts))

    def keys(self):
        """Every key of every bucket (tests)."""
        for space, count in sorted(self.manifest["buckets"].items()):
            for number in range(count):
                yield from self.bucket(f"{space}{number}")

    def docset(self, path):
        return Reader(self.load(path)).docset()

    def meta(self, doc_id):
        chunk = self.manifest["chunk"]
        rows = json.loads(self.load(f"m/{doc_id // chunk}.json"))
        return rows[doc_id % chunk]
