"""Stock Pelican for `invoke bench`: default theme, no plugins, the same content folder.

The baseline a new Pelican user gets; the site's build is measured against it.
"""

SITENAME = "Stock Pelican baseline"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
# Listed explicitly: with PLUGINS unset Pelican loads every installed namespace plugin.
PLUGINS = []
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
