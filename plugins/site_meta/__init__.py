"""site_meta: sitemap.xml, robots.txt and the JSON export of every article's metadata."""

from .site_meta import register  # noqa: F401
