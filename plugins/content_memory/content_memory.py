"""content_memory: an article or page holds less memory from reading to rendering.

Pelican keeps every content object, with its HTML (``_content``), from reading until the build
ends, in the build process and in every process forked from it. At 100,000 articles:

- **Bodies** (``CONTENT_MEMORY_BODIES``): about 330 MB of strings, read a handful of times (by a
  few plugins after reading, and when the article's page is signed and rendered), and kept again
  by Pelican's ``get_content`` memo. At ``content_object_init`` (list this plugin after the
  plugins whose own ``content_object_init`` handlers read ``_content``: they read it before it
  moves) the body is written to the build's :class:`~.store.BodyStore`, an unnamed temporary
  file, and the object becomes a :class:`~.store.Article` (a subclass of Pelican's ``Article``
  of the same name, which Pelican's settings lookups need; :class:`~.store.Page` for pages)
  whose ``_content`` reads it back. Every reader gets the same string.
- **Attribute dicts**: by the time date_archives links each article to its neighbours, its
  ``__dict__`` has had so many keys added (and some removed) that adding two more doubles its
  table: 1,584 bytes for 33 attributes, where a dict made afresh from it takes 832 (10,000 of
  10,000 articles of the bench archive; 75 MB at 100,000). At ``article_generator_pretaxonomy``
  (every article read, no plugin has added its attributes yet) each article and translation gets
  such a fresh dict, which the attributes added later (up to 42 in all) fit without growing.

The output does not change. Settings (``DEFAULTS``): ``CONTENT_MEMORY_BODIES`` (True),
``CONTENT_MEMORY_FOLDER`` (None: the system's temporary folder; the store takes about the size
of the bodies in UTF-8). State lives in the build's settings (``CONTENT_MEMORY_STATE``), never
in the module.
"""

import logging
import os

from pelican import signals

from plugins.build_guard.guard import ARTICLE_LISTS  # the generator's article lists, Pelican's names

from .store import BodyStore, move_body

logger = logging.getLogger(__name__)

DEFAULTS = {
    "CONTENT_MEMORY_BODIES": [True, "keep bodies in a temporary file between reading and rendering"],
    "CONTENT_MEMORY_FOLDER": [None, "folder of that temporary file; None = the system's temporary folder"],
}
STATE_KEY = "CONTENT_MEMORY_STATE"


def _valid(name, value):
    if name == "CONTENT_MEMORY_BODIES":
        return isinstance(value, bool)
    return value is None or (isinstance(value, str) and os.path.isdir(value))


def configure(pelican):
    """``initialized``: validate the settings and open this build's store."""
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        value = settings.get(name, default)
        if not _valid(name, value):
            logger.error("content_memory: invalid %s %r; using %r", name, value, default)
            value = default
        settings[name] = value
    # The store is closed when its last article is freed (it is an unnamed file): an object
    # still read after the build (a test's, an autoreload's) still has its body.
    settings[STATE_KEY] = BodyStore(settings["CONTENT_MEMORY_FOLDER"]) if settings["CONTENT_MEMORY_BODIES"] \
        else None


def store_body(content):
    """``content_object_init``: move the new object's body into the build's store."""
    store = content.settings.get(STATE_KEY)
    if store is not None:
        move_body(content, store)


def fresh_dicts(generator):
    """``article_generator_pretaxonomy``: give every article a dict made afresh from its own."""
    for name in ARTICLE_LISTS:
        for content in getattr(generator, name, None) or ():
            content.__dict__ = dict(content.__dict__)


def report(pelican):
    """``finalized``: how much left memory."""
    store = pelican.settings.get(STATE_KEY)
    if store is not None:
        logger.info("content_memory: %d bodies (%d bytes) kept in a temporary file", store.count, store.size)
        pelican.settings[STATE_KEY] = None


def register():
    signals.initialized.connect(configure)
    signals.content_object_init.connect(store_body)
    signals.article_generator_pretaxonomy.connect(fresh_dicts)
    signals.finalized.connect(report)
