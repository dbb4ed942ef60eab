"""asset_urls: fingerprinted theme URLs (``asset_url('css/site.css')``) for long cache lifetimes."""

from .asset_urls import register  # noqa: F401
