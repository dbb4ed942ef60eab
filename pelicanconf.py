"""Development settings for the Vĩnh Yên news archive.

Relative paths are resolved by Pelican against this file's folder. The URL contract below
is relied on by the portal and by later features: change it only with a redirect plan.
"""

import os
import sys

# Make the repository importable (plugins.vntext) however Pelican was started.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from plugins.vntext import JINJA_FILTERS as VNTEXT_FILTERS  # noqa: E402

SITENAME = "Tin tức - Tuyên truyền thành phố Vĩnh Yên"
SITESUBTITLE = "Lưu trữ tin tức và tuyên truyền của Cổng thông tin điện tử thành phố Vĩnh Yên"
AUTHOR = "Cổng thông tin điện tử thành phố Vĩnh Yên"
SITEURL = ""
DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"
# Dates are formatted by vntext filters, never by the OS locale; "C" keeps Pelican's own
# strftime-based defaults from picking up whatever locale the machine has.
LOCALE = ["C"]

PATH = "content"
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "images"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
THEME = "theme"
# Editors write Markdown; the reStructuredText reader only adds a docutils warning.
READERS = {"rst": None}
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False

PLUGIN_PATHS = ["."]
PLUGINS = [
    "plugins.vn_reader",
]

# Dates only ever come from Date:/Modified: through vntext; never from file names or mtimes.
# A pattern that never matches: file names carry no metadata.
FILENAME_METADATA = r"(?!)"
PATH_METADATA = ""
DEFAULT_DATE = None
DEFAULT_CATEGORY = "Tin tức - Sự kiện"
USE_FOLDER_AS_CATEGORY = False
# Categories editors may use (invoke check warns on others).
KNOWN_CATEGORIES = [
    "Tin tức - Sự kiện",
    "Tuyên truyền",
    "Văn hóa - Xã hội",
    "Kinh tế - Đô thị",
    "Giáo dục - Y tế",
    "An ninh - Quốc phòng",
]

TYPOGRIFY = True
# caps/widont/amp wrap words in spans or glue the last two words with &nbsp;: fine for English
# headlines, wrong for Vietnamese titles (abbreviations like UBND are words, not small caps).
TYPOGRIFY_OMIT_FILTERS = ["caps", "widont", "amp"]

SUMMARY_MAX_LENGTH = 60
DEFAULT_PAGINATION = 20
DEFAULT_ORPHANS = 0
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
]

# --- URL contract -------------------------------------------------------------------------
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}.html"
ARTICLE_SAVE_AS = ARTICLE_URL
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ""
DRAFT_URL = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
PAGE_URL = "trang/{slug}.html"
PAGE_SAVE_AS = PAGE_URL
PAGE_LANG_SAVE_AS = ""
DAY_ARCHIVE_URL = "{date:%Y}/{date:%m}/{date:%d}/"
DAY_ARCHIVE_SAVE_AS = DAY_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_URL + "index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "chuyen-muc/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAG_URL = "the/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = "the/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_URL = "tac-gia/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
SEARCH_URL = "tim-kiem/"
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives"]
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}

# Feeds need absolute links; in development they point at `invoke serve`.
FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/chuyen-muc/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/chuyen-muc/{slug}.rss.xml"
FEED_MAX_ITEMS = 50
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
FEED_ATOM = None
FEED_RSS = None

RELATIVE_URLS = True

JINJA_FILTERS = dict(VNTEXT_FILTERS)
JINJA_GLOBALS = {"SEARCH_URL": SEARCH_URL}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# No timestamps of the build in the output: same content, same bytes.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
