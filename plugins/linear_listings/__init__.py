"""linear_listings: Pelican's category, tag and author pages without a pass over the whole
archive per term."""

from .linear_listings import register  # noqa: F401
