"""Import the old portal's archive (text dumps and saved HTML pages) into content/.

Library and command line (``python3 -m plugins.legacy_import``, ``invoke import-legacy``);
not a Pelican plugin: it has no ``register()``.
"""

from .cli import main
from .common import ImageRef, LegacyArticle
from .htmlpage import parse_html_page
from .importer import Report, import_paths, parse_source, render
from .textdump import parse_text_dump

__all__ = [
    "ImageRef", "LegacyArticle", "Report", "import_paths", "main", "parse_html_page",
    "parse_source", "parse_text_dump", "render",
]
