"""Records parsed ahead, left in the files the reading processes wrote until Pelican's loop
replays them.

A first build parses every source ahead (plugins.vn_reader.reading); decoded at once, the
records held every article's HTML and metadata until its turn came, all of them together at the
end of the parse (the peak of a first build's reading), and the freed bodies then stayed in the
heap as holes the build never handed back (34 of 182 MB of a 10,000-article build, measured with
``malloc_trim``). Each record is a line of its share's file, ``<path as JSON>\\t<hash>\\t<record
as JSON>``: only its place is kept, and it is decoded when it is taken.

The files are unlinked as soon as they are open: they go with their descriptors, however the
build ends.
"""

import json
import os


class RecordsAhead:
    """{absolute source path: (hash, record)}, the records kept in their files."""

    def __init__(self):
        self._files = []  # open share files, binary
        self._where = {}  # path -> (hash, file number, offset, length)

    @staticmethod
    def line(path, digest, record):
        """The line of one record (``\\n`` never occurs inside it: JSON escapes it)."""
        return f"{json.dumps(path)}\t{digest}\t{json.dumps(record)}\n"

    def add_file(self, path):
        """Index every record of the file at ``path`` (written with :meth:`line`)."""
        handle = open(path, "rb")  # noqa: SIM115 - kept open until close(): the records stay in it
        number = len(self._files)
        self._files.append(handle)
        offset = 0
        for line in handle:
            first = line.index(b"\t")
            second = line.index(b"\t", first + 1)
            start = second + 1
            self._where[json.loads(line[:first])] = (line[first + 1:second].decode("ascii"), number,
                                                     offset + start, len(line) - start - 1)
            offset += len(line)

    def update(self, other):
        """Take over ``other``'s records and files (a later round of parsing)."""
        base = len(self._files)
        self._files.extend(other._files)
        for path, (digest, number, offset, length) in other._where.items():
            self._where[path] = (digest, base + number, offset, length)
        other._files, other._where = [], {}

    def __contains__(self, path):
        return path in self._where

    def __len__(self):
        return len(self._where)

    def __iter__(self):
        return iter(self._where)

    def __getitem__(self, path):
        digest, number, offset, length = self._where[path]
        return digest, json.loads(os.pread(self._files[number].fileno(), length, offset))

    def pop(self, path, default=None):
        """The (hash, record) of ``path``, forgotten from now on; ``default`` if there is none."""
        if path not in self._where:
            return default
        found = self[path]
        del self._where[path]
        return found

    def close(self):
        for handle in self._files:
            handle.close()
        self._files, self._where = [], {}
