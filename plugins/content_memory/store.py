"""One build's article bodies, in an unnamed temporary file, and the content classes that read them.

A body is written once (UTF-8) and read back on each access: every plugin that reads
``_content`` and Pelican's ``get_content`` get the same string as before, but between those
accesses the build holds only a small :class:`StoredBody` per article instead of the HTML
(about 3.3 KB of string per article of the bench corpus: 33 MB at 10,000, 330 MB at 100,000).

The file is unnamed (``tempfile.TemporaryFile``), so it disappears with its last descriptor,
whatever way the build ends. Bodies are written only by the build process and read with
``os.pread``, which does not move the descriptor's offset: processes forked from the build
(plugins.parallel_output's render processes) read it safely at the same time.
"""

import hashlib
import os
import tempfile

from pelican import contents


class BodyStore:
    """Append-only storage of one build's bodies (create one per build, never share it)."""

    __slots__ = ("_file", "_fd", "_end", "count")

    def __init__(self, folder=None):
        self._file = tempfile.TemporaryFile(prefix="content_memory-", dir=folder or None)
        self._fd = self._file.fileno()
        self._end = 0
        self.count = 0

    def put(self, text):
        """Store ``text``; the :class:`StoredBody` that reads it back."""
        data = text.encode("utf-8", "surrogatepass")
        offset, view = self._end, memoryview(data)
        while view:
            written = os.pwrite(self._fd, view, offset)
            offset += written
            view = view[written:]
        body = StoredBody(self, self._end, len(data))
        self._end = offset
        self.count += 1
        return body

    def read(self, offset, length):
        return self.read_bytes(offset, length).decode("utf-8", "surrogatepass")

    def read_bytes(self, offset, length):
        data = os.pread(self._fd, length, offset)
        while len(data) < length:  # a regular file returns it whole, unless interrupted
            more = os.pread(self._fd, length - len(data), offset + len(data))
            if not more:
                raise OSError(f"content_memory: the store ends {length - len(data)} bytes before a stored body")
            data += more
        return data

    @property
    def size(self):
        return self._end

    def __repr__(self):
        # Stable: plugins.incremental_build hashes an object it cannot read by its repr.
        return "BodyStore()"


class StoredBody:
    """Where one body is in its store. Its repr names the body's bytes (their length and digest,
    computed when asked: only a signature that hashes a whole article asks), so that such a
    signature (plugins.incremental_build) still sees an edit."""

    __slots__ = ("store", "offset", "length")

    def __init__(self, store, offset, length):
        self.store, self.offset, self.length = store, offset, length

    def text(self):
        return self.store.read(self.offset, self.length)

    def __repr__(self):
        digest = hashlib.blake2b(self.store.read_bytes(self.offset, self.length), digest_size=16).hexdigest()
        return f"StoredBody({self.length}, {digest})"


class StoredContent:
    """Mixin for a content class whose ``_content`` lives in a :class:`BodyStore`.

    ``_content`` is a property over the :class:`StoredBody` that the instance's dict holds under
    the same name (a data descriptor of the class comes before the instance's dict); assigning it
    stores the new text. The body's place takes the body's key, so that the dict does not grow:
    a new key made each article's dict 1.45 KB larger (tracemalloc, 10,000 articles).
    ``get_content`` is Pelican's without its ``memoized`` cache: that cache holds every
    article's content for the rest of the process (keyed by the object), which kept each body
    in memory from the first time a page signed or rendered it."""

    @property
    def _content(self):
        held = self.__dict__["_content"]
        return held.text() if type(held) is StoredBody else held

    @_content.setter
    def _content(self, value):
        # A string is stored (in the store this object's body came from); anything else (None,
        # Pelican's "no content") is held as it is.
        held = self.__dict__.get("_content")
        if isinstance(value, str) and type(held) is StoredBody:
            value = held.store.put(value)
        self.__dict__["_content"] = value

    def get_content(self, siteurl):
        # The body of Pelican 4.12's Content.get_content, without @memoized.
        if hasattr(self, "_get_content"):
            content = self._get_content()
        else:
            content = self._content
        return self._update_content(content, siteurl)


# Named as Pelican's classes: Pelican reads its settings by the class's name (ARTICLE_SAVE_AS,
# PAGE_URL, ...).
class Article(StoredContent, contents.Article):
    """A :class:`pelican.contents.Article` whose body is in the build's :class:`BodyStore`."""


class Page(StoredContent, contents.Page):
    """A :class:`pelican.contents.Page` whose body is in the build's :class:`BodyStore`."""


# Only these exact classes are moved: a subclass of them may have its own idea of _content.
STORED_CLASSES = {contents.Article: Article, contents.Page: Page}


def move_body(content, store):
    """Move ``content``'s body into ``store``: True when it was moved. A content object of
    another class, or whose ``_content`` is not a string, is left as it is."""
    stored = STORED_CLASSES.get(type(content))
    body = vars(content).get("_content")
    if stored is None or not isinstance(body, str):
        return False
    content.__dict__["_content"] = store.put(body)
    content.__class__ = stored
    return True
