"""Byte encodings of the search index: varints, strings and doc-id sets.

A doc-id set is written in whichever of two forms is smaller:

- tag 0, a list: ``varint n`` then n deltas (the first one from 0);
- tag 1, a bitmap: ``varint start, varint nbytes`` then nbytes bytes; bit i (LSB first) of
  byte j stands for document ``start + 8*j + i``.

The JavaScript client (theme/static/js/search.js) and :mod:`.decoder` read them back.
The writer encodes whole arrays at once with numpy (:func:`varints`, :func:`docsets`): a
per-integer Python loop was most of the build time at 100,000 articles.
"""

import hashlib
import zlib

import numpy as np


def put_varint(out, value):
    """Append ``value`` (>= 0) to the bytearray ``out`` as a LEB128 varint."""
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def put_string(out, text):
    data = text.encode("utf-8")
    put_varint(out, len(data))
    out += data


def _list_size(ids):
    size, previous = _varint_size(len(ids)), 0
    for doc in ids:
        size += _varint_size(doc - previous)
        previous = doc
    return size


def _varint_size(value):
    size = 1
    while value > 0x7F:
        value >>= 7
        size += 1
    return size


def put_docset(out, ids):
    """Append the sorted, distinct doc ids ``ids`` in the smaller of the two forms."""
    if ids:
        start = ids[0] & ~7
        nbytes = (ids[-1] - start) // 8 + 1
        bitmap_size = _varint_size(start) + _varint_size(nbytes) + nbytes
        # A list costs at least one byte per doc: only measure it when a bitmap could win.
        if nbytes < len(ids) * 2 and bitmap_size < _list_size(ids):
            bits = bytearray(nbytes)
            for doc in ids:
                offset = doc - start
                bits[offset >> 3] |= 1 << (offset & 7)
            out.append(1)
            put_varint(out, start)
            put_varint(out, nbytes)
            out += bits
            return
    out.append(0)
    put_varint(out, len(ids))
    previous = 0
    for doc in ids:
        put_varint(out, doc - previous)
        previous = doc


class Reader:
    """Sequential reader over one encoded buffer."""

    def __init__(self, data, offset=0):
        self.data = data
        self.offset = offset

    def varint(self):
        data, offset = self.data, self.offset
        value = shift = 0
        while True:
            byte = data[offset]
            offset += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.offset = offset
                return value
            shift += 7

    def string(self):
        length = self.varint()
        start = self.offset
        self.offset += length
        return bytes(self.data[start:self.offset]).decode("utf-8")

    def raw(self, length):
        start = self.offset
        self.offset += length
        return bytes(self.data[start:self.offset])

    def docset(self):
        tag = self.data[self.offset]
        self.offset += 1
        if tag == 0:
            ids, previous = [], 0
            for _ in range(self.varint()):
                previous += self.varint()
                ids.append(previous)
            return ids
        if tag != 1:
            raise ValueError(f"unknown doc set tag {tag} at offset {self.offset - 1}")
        start, nbytes = self.varint(), self.varint()
        bits = self.raw(nbytes)
        return [start + (j << 3) + i for j, byte in enumerate(bits) if byte for i in range(8) if byte >> i & 1]

    def at_end(self):
        return self.offset == len(self.data)


def key_hash(text):
    """CRC-32 of the UTF-8 bytes of ``text``: which bucket file holds a key (the client
    computes the same CRC-32)."""
    return zlib.crc32(text.encode("utf-8"))


def key_hashes(encoded_keys):
    """:func:`key_hash` of many keys given as UTF-8 bytes: a numpy int64 array."""
    return np.fromiter(map(zlib.crc32, encoded_keys), np.int64, len(encoded_keys))


def content_name(data):
    """8 hex digits of the SHA-256 of ``data``: part of every index file's name, so a file's
    name changes whenever its bytes do (a cached old file is never mixed with new ones)."""
    return hashlib.sha256(data).hexdigest()[:8]


def varints(values):
    """LEB128 bytes of every value of the int64 array ``values`` (each >= 0, < 2**35),
    concatenated: ``(bytes as uint8 array, end offset of each value)``."""
    values = values.astype(np.int64, copy=False)
    sizes = _varint_sizes(values)
    ends = np.cumsum(sizes, dtype=np.int64)
    out = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    starts = ends - sizes
    # Most values fit one byte: the first byte of all values at once, the rest for the few.
    out[starts] = (values & 0x7F).astype(np.uint8) | ((sizes > 1).astype(np.uint8) << 7)
    big = np.nonzero(sizes > 1)[0]
    for j in range(1, int(sizes.max()) if len(sizes) else 0):
        big = big[sizes[big] > j]
        low = ((values[big] >> (7 * j)) & 0x7F).astype(np.uint8)
        out[starts[big] + j] = low | ((sizes[big] > j + 1).astype(np.uint8) << 7)
    return out, ends


def _varint_sizes(values):
    sizes = (values >= 1 << 7).astype(np.int8)
    for shift in (14, 21, 28):
        sizes += values >= 1 << shift
    sizes += 1
    return sizes


EMPTY_DOCSET = b"\x00\x00"


def docsets(groups, docs):
    """Encoded doc sets of many sets at once: ``groups`` (sorted int64) numbers the set of
    each row, ``docs`` (ascending within a group, distinct) its document. Returns
    ``(set numbers, [bytes of each set])``, byte for byte what :func:`put_docset` writes."""
    if not len(groups):
        return np.empty(0, np.int64), []
    first = np.ones(len(groups), bool)
    first[1:] = groups[1:] != groups[:-1]
    starts = np.nonzero(first)[0]
    counts = np.diff(np.append(starts, len(groups)))
    numbers = groups[starts]
    previous = np.empty_like(docs)
    previous[0] = 0
    previous[1:] = docs[:-1]
    deltas = docs - previous
    deltas[starts] = docs[starts]
    # Values of the list form: per set [tag 0, n, deltas...]; a row's slot is its index plus
    # two header slots for each set up to and including its own.
    ordinal = np.cumsum(first) - 1
    slots = np.arange(len(docs)) + 2 * (ordinal + 1)
    values = np.zeros(len(docs) + 2 * len(starts), np.int64)
    values[slots] = deltas
    head = starts + 2 * np.arange(len(starts))
    values[head + 1] = counts
    stream, ends = varints(values)
    data = stream.tobytes()
    set_begin = np.concatenate(([0], ends[head[1:] - 1])) if len(head) else head
    set_end = np.append(ends[head[1:] - 1], ends[-1])
    # Bitmaps where smaller (same rule as put_docset).
    lows = docs[starts] & ~7
    highs = docs[starts + counts - 1]
    nbytes = (highs - lows) // 8 + 1
    list_sizes = set_end - set_begin - 1
    bitmap_sizes = _varint_sizes(lows) + _varint_sizes(nbytes) + nbytes
    bitmap = (nbytes < counts * 2) & (bitmap_sizes < list_sizes)
    out = [data[b:e] for b, e in zip(set_begin.tolist(), set_end.tolist())]
    for k in np.nonzero(bitmap)[0].tolist():
        start, size = int(starts[k]), int(counts[k])
        low = int(lows[k])
        bits = np.zeros(int(nbytes[k]) * 8, bool)
        bits[docs[start:start + size] - low] = True
        head_bytes = bytearray(b"\x01")
        put_varint(head_bytes, low)
        put_varint(head_bytes, int(nbytes[k]))
        out[k] = bytes(head_bytes) + np.packbits(bits, bitorder="little").tobytes()
    return numbers, out
