"""Each content object's path relative to ``PATH``, computed once.

Pelican's ``Content.url_format`` (behind every ``url`` access until plugins.build_guard freezes
the URLs, and behind every ``save_as`` access for the whole build) calls
``get_relative_source_path()``: two ``abspath`` and a ``relpath`` per call, some 13 calls per
article (profile of a 10,000-article incremental build: 130,000 calls, 8.5 s of the 13 s
profiled in ``url_format``). The answer depends only on ``PATH`` and ``source_path``, which never
change once the object exists, and ``Content.__init__`` has already computed it as
``relative_source_path``. A method can be shadowed by an attribute of the instance, so the
object gets its own ``get_relative_source_path`` that returns that value (and computes any
other path as before); nothing is stored outside the object, so nothing outlives the build.
"""


class RelativeSourcePath:
    """``get_relative_source_path`` of one content object (see the module docstring)."""

    __slots__ = ("_path", "_compute")

    def __init__(self, path, compute):
        self._path = path
        self._compute = compute  # the object's own method, for another source_path

    def __call__(self, source_path=None):
        if not source_path:
            return self._path
        return self._compute(source_path)

    def __repr__(self):
        # Stable: plugins.incremental_build hashes what it cannot read by its repr.
        return f"RelativeSourcePath({self._path!r})"


def remember_relative_path(content):
    """``content_object_init`` (connected before the plugins whose handlers read ``url``)."""
    if "get_relative_source_path" in vars(content) or getattr(content, "source_path", None) is None:
        return
    content.get_relative_source_path = RelativeSourcePath(content.relative_source_path,
                                                          content.get_relative_source_path)
