"""Byte encodings of the search index: varints, strings and doc-id sets.

A doc-id set is written in whichever of two forms is smaller:

- tag 0, a list: ``varint n`` then n deltas (the first one from 0);
- tag 1, a bitmap: ``varint start, varint nbytes`` then nbytes bytes; bit i (LSB first) of
  byte j stands for document ``start + 8*j + i``.

The JavaScript client (theme/static/js/search.js) and :mod:`.decoder` read them back.
"""


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


def fnv1a(text):
    """32-bit FNV-1a of the UTF-8 bytes of ``text``: which bucket file holds a key."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value
