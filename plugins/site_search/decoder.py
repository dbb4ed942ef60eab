"""Read the search index back (the Python twin of the client's decoder): used by the
tests (every posting written is read back) and by :mod:`.engine`."""

import json
from pathlib import Path

from plugins.vntext import fold

from .encoding import Reader, key_hash


def parse_syllable(data):
    """{exact form: (title ids, summary ids, body ids)}"""
    reader = Reader(data)
    variants = {}
    for _ in range(reader.varint()):
        form = reader.string()
        variants[form] = tuple(reader.docset() for _ in range(3))
    assert reader.at_end(), "trailing bytes in a syllable posting"
    return variants


def parse_pair(data, size=2):
    """{(a, b): (title ids, summary ids, body ids)} (``size`` 3: a triple posting, {(a, b, c): ...})"""
    reader = Reader(data)
    combos = {}
    for _ in range(reader.varint()):
        combo = tuple(reader.string() for _ in range(size))
        combos[combo] = tuple(reader.docset() for _ in range(3))
    assert reader.at_end(), "trailing bytes in a pair posting"
    return combos


def parse_positions(data, size=3):
    """(combos [(a, b, c)], {doc: {position: (combo index, field)}})"""
    reader = Reader(data)
    combos = [tuple(reader.string() for _ in range(size)) for _ in range(reader.varint())]
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


# Syllables per key of each key space: an inline posting starts with its count of exact
# forms (combinations), then the first one's syllables, which fold to the key.
KEY_SYLLABLES = {"s": 1, "p": 2, "t": 3, "q": 3}


def posting_key(space, data):
    """The key of an inline posting of key space ``space``: its first exact forms, folded
    (a bucket does not write the keys of its inline postings)."""
    reader = Reader(data)
    reader.varint()
    return space + ":" + " ".join(fold(reader.string()) for _ in range(KEY_SYLLABLES[space]))


def parse_bucket(data, space):
    """{key: ("inline", bytes) | ("external", ordinal, [hash of each part])} of a bucket of
    key space ``space``."""
    reader = Reader(data)
    keys = {}
    for _ in range(reader.varint()):
        tag = reader.varint()
        if tag % 2 == 0:
            posting = reader.raw(tag // 2)
            key = posting_key(space, posting)
            assert key not in keys, f"two postings of {key!r} in one bucket"
            keys[key] = ("inline", posting)
        else:
            key = reader.string()
            keys[key] = ("external", reader.varint(), [reader.raw(4).hex() for _ in range(tag // 2)])
    assert reader.at_end(), "trailing bytes in a bucket"
    return keys


class IndexReader:
    """The index in a folder (or a {path: bytes} dict), read lazily like the client does:
    ``index.json``, then (for a large key space) a directory file for a bucket's hashed name."""

    def __init__(self, source):
        if isinstance(source, dict):
            self._load = source.__getitem__
        else:
            root = Path(source)
            self._load = lambda path: (root / path).read_bytes()
        self.manifest = json.loads(self._load("index.json"))
        self.fetched = []  # relative paths read, in order (what a client would download)
        self._buckets = {}
        self._dirs = {}

    def load(self, path):
        self.fetched.append(path)
        return self._load(path)

    def hashed(self, kind, number):
        """The content hash in the name of bucket ``number`` of key space ``kind``: listed in
        the manifest for a small space, else in a directory file."""
        listed = self.manifest["hashes"].get(kind)
        if listed is not None:
            return listed[8 * number:8 * number + 8]
        group = number // self.manifest["group"]
        if (kind, group) not in self._dirs:
            name = self.manifest["dirs"][kind][group]
            self._dirs[kind, group] = self.load(f"d/{kind}{group}.{name}.bin")
        offset = 4 * (number % self.manifest["group"])
        return self._dirs[kind, group][offset:offset + 4].hex()

    def bucket_of(self, key):
        """(key space, bucket number) of ``key``."""
        return key[0], key_hash(key) % self.manifest["buckets"][key[0]]

    def bucket(self, space, number):
        if (space, number) not in self._buckets:
            path = f"b/{space}{number}.{self.hashed(space, number)}.bin"
            self._buckets[space, number] = parse_bucket(self.load(path), space)
        return self._buckets[space, number]

    def posting(self, key):
        """The raw posting bytes of ``key``, or None when no document has it."""
        space, number = self.bucket_of(key)
        entry = self.bucket(space, number).get(key)
        if entry is None:
            return None
        if entry[0] == "inline":
            return entry[1]
        _, ordinal, hashes = entry
        return b"".join(self.load(f"x/{space}{number}-{ordinal}-{part}.{name}.bin")
                        for part, name in enumerate(hashes))

    def keys(self):
        """Every key of every bucket (tests)."""
        for space, count in sorted(self.manifest["buckets"].items()):
            for number in range(count):
                yield from self.bucket(space, number)

    def facet(self, kind, value):
        """The doc ids of category (kind "cat") or campaign ("camp") number ``value``."""
        name = self.manifest["facets"][kind][value]
        return Reader(self.load(f"f/{kind}-{value}.{name}.bin")).docset()

    def meta(self, doc_id):
        chunk = self.manifest["chunk"]
        number = doc_id // chunk
        name = self.manifest["meta"][number // self.manifest["group"]]
        rows = json.loads(self.load(f"m/{number}.{name}.json"))
        return rows[doc_id % chunk]
