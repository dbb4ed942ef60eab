"""Deterministic gzip files (pure code, no Pelican).

``gzip`` normally stores the file name and the time of compression in its header, so two
builds of the same site would differ. Here the header holds mtime 0 and no name: the same
input gives the same bytes on every build (same zlib, same level).
"""

import gzip
import os


def gzip_bytes(data, level=9):
    """``data`` compressed as a gzip member with mtime 0 and no file name.

    >>> gzip_bytes(b"xin chao") == gzip_bytes(b"xin chao")
    True
    >>> gzip.decompress(gzip_bytes(b"xin chao"))
    b'xin chao'
    """
    return gzip.compress(data, compresslevel=level, mtime=0)


def text_files(root, extensions):
    """Sorted site-relative paths of files below ``root`` whose name ends in ``extensions``."""
    found = []
    for dirpath, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if name.lower().endswith(extensions) and not os.path.islink(os.path.join(dirpath, name)):
                found.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    return found


def write_gzipped(root, rel, level):
    """Write ``rel.gz`` beside ``rel`` (replacing it atomically when it differs); return its size.

    Every text file gets its copy, even a tiny one gzip cannot shrink (a few bytes more): the
    set of files a build writes is then known before writing, so it can be claimed exactly."""
    path = os.path.join(root, rel)
    with open(path, "rb") as handle:
        packed = gzip_bytes(handle.read(), level)
    target = path + ".gz"
    if os.path.isfile(target) and not os.path.islink(target):
        with open(target, "rb") as handle:
            if handle.read() == packed:
                return len(packed)
    tmp = f"{target}.tmp-{os.getpid()}"
    with open(tmp, "wb") as handle:
        handle.write(packed)
    os.replace(tmp, target)  # a server reading the old .gz never sees half a file
    return len(packed)
