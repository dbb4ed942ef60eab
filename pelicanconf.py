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
# Dates are formatted by vntext filters, never by the OS locale; a C locale keeps Pelican's
# own strftime-based defaults from picking up whatever locale the machine has. C.UTF-8 first:
# Pelican calls setlocale() in-process, and plain "C" would make Python's default text
# encoding ASCII for the rest of the process.
LOCALE = ["C.UTF-8", "C.utf8", "C"]

PATH = "content"
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = ["pages", "images"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
THEME = "theme"
# Editors write Markdown; the reStructuredText reader only adds a docutils warning, and an
# .html file in content/ is a stray (invoke check: not-a-source, "will not be published"), so
# Pelican's HTML reader must not publish it behind the content rules' back.
READERS = {"rst": None, "html": None, "htm": None}
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False

PLUGIN_PATHS = ["."]
PLUGINS = [
    # The build's objects frozen out of the cyclic collector at finalized: the interpreter's
    # exit no longer walks them (5-7 s at 10,000 articles).
    "plugins.quick_exit",
    # Before the other output plugins: its finalized handler writes the pages every later
    # finalized handler reads.
    "plugins.parallel_output",
    "plugins.vn_reader",
    "plugins.date_archives",
    # After date_archives: scheduled articles are already held back when campaigns are tagged.
    "plugins.campaigns",
    # The search page /tim-kiem/ and its static index (after campaigns: it indexes their badges;
    # before legacy_redirects: an old URL inside the index folder it claims is refused).
    "plugins.site_search",
    # Redirect pages and output/redirects.map for articles with Original_URL (old portal links).
    "plugins.legacy_redirects",
    # The theme's data: public URL, no default author, the lead (sapo), JSON-LD (issue 12).
    "plugins.portal_theme",
    # Bodies in a temporary file between reading and rendering, fresh attribute dicts (issue 10,
    # memory): after portal_theme, whose content_object_init handler reads the body before it moves.
    "plugins.content_memory",
    # sitemap.xml, robots.txt, luu-tru/bai-viet.json (issue 12); after every plugin with pages.
    "plugins.site_meta",
    # Category, tag and author pages without a pass over the whole archive per term (issue 10).
    "plugins.linear_listings",
    # asset_url('css/site.css') -> theme/css/site.css?v=<hash>; fingerprints url() in theme CSS.
    "plugins.asset_urls",
    # X.gz beside every text file: after every plugin that writes files, before build_guard.
    "plugins.precompress",
    # Reuse unchanged pages of the previous build (issue 10): after precompress (it links the
    # kept pages' .gz copies at finalized), before build_guard.
    "plugins.incremental_build",
    # Keep build_guard last: it checks the output paths the plugins above declare.
    "plugins.build_guard",
]

# Dates only ever come from Date:/Modified: through vntext; never from file names or mtimes.
# A pattern that never matches: file names carry no metadata.
FILENAME_METADATA = r"(?!)"
PATH_METADATA = ""
DEFAULT_DATE = None
DEFAULT_CATEGORY = "Tin tức - Sự kiện"
USE_FOLDER_AS_CATEGORY = False
# Categories editors may use: `invoke check` reports any other as an error, because a typo
# would silently create a new category page.
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
# "404": the Vietnamese "page not found" page (404.html) the web server shows.
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "404"]
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None, "campaign": None}

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

# Pelican's defaults, plus auto_reload off: every build is a new process, and checking each
# template's mtime on every include cost 1 % of a build.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "auto_reload": False}
JINJA_FILTERS = dict(VNTEXT_FILTERS)
JINJA_GLOBALS = {"SEARCH_URL": SEARCH_URL}

# Summary: is plain text like Title: vn_reader escapes it instead of rendering Markdown/HTML
# (raw HTML in a Summary would otherwise reach listings and feeds unescaped).
FORMATTED_FIELDS = []

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# --- plugins.date_archives (issue 3): browse news by date -----------------------------------
# The plugin writes DAY/MONTH/YEAR archives itself (from the *_ARCHIVE_URL/_SAVE_AS above).
DATE_ARCHIVES_PAGE_SIZE = 20
DAYS_INDEX_URL = "luu-tru/days.json"
DAYS_INDEX_SAVE_AS = DAYS_INDEX_URL
NO_NEWS_URL = "khong-co-tin/"
NO_NEWS_SAVE_AS = NO_NEWS_URL + "index.html"
# Articles dated in the future wait for a build on/after their date; True previews them.
SCHEDULE_PREVIEW = False
# "Now" for scheduling (ISO or dd/mm/yyyy HH:MM); None = the real time in Asia/Ho_Chi_Minh.
SCHEDULE_NOW = None

# --- plugins.campaigns (issue 4): campaign registry, tagging, pages, feeds ------------------
CAMPAIGNS_REGISTRY = "campaigns.toml"  # relative to PATH
CAMPAIGN_URL = "chien-dich/{slug}/"
CAMPAIGN_SAVE_AS = CAMPAIGN_URL + "index.html"
CAMPAIGNS_URL = "chien-dich/"
CAMPAIGNS_SAVE_AS = CAMPAIGNS_URL + "index.html"
CAMPAIGN_FEED_ATOM = "feeds/chien-dich/{slug}.atom.xml"
CAMPAIGN_RELATED_MAX = 6
CAMPAIGN_THRESHOLD = 3.5  # headline score that names a campaign (plugins/campaigns/matching.py)
CAMPAIGN_BODY_THRESHOLD = 4.0  # body score of a campaign that dominates the body
CAMPAIGN_MIN_DENSITY = 1.0  # ... matches per 1,000 body characters
CAMPAIGN_MIN_SHARE = 0.2  # ... share of the body's paragraphs it appears in
CAMPAIGN_WINDOW_BONUS = 1.5
CAMPAIGN_FIELD_WEIGHTS = {"title": 3.0, "summary": 2.0, "lead": 1.5, "body": 1.0}
# Assessment cache: an unchanged article keeps its campaigns without being assessed again
# (None = CACHE_PATH/campaigns, "" = off). Same bytes either way.
CAMPAIGNS_CACHE_PATH = None

# No timestamps of the build in the output: same content, same bytes.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# --- plugins.portal_theme (issue 12): the reader's portal theme -----------------------------
# Canonical links, OpenGraph and JSON-LD use this absolute address; None = SITEURL when it is
# absolute (publishconf.py), else FEED_DOMAIN. AUTHOR stays the publisher, never a byline.
PORTAL_PUBLIC_URL = None
PORTAL_PUBLISHER = None
# --- plugins.content_rules (issue 11): one set of rules for `invoke check` and the build ----
# Hidden files and folders are never sources (Pelican's default ignores only ".#*"); the
# rules warn about hidden Markdown files so nothing is dropped silently.
IGNORE_FILES = [".*"]
# Years a Date:/Modified: may have (01/01/0001 would write /1/01/01/…).
CONTENT_YEARS = (1900, 2100)
# Hosts an article may embed with <iframe src="https://…"> (the editors' guide lists them).
CONTENT_IFRAME_HOSTS = ("www.youtube.com", "www.youtube-nocookie.com")
# --- plugins.site_meta (issue 12): sitemap, robots.txt, metadata export -----------------------
# None: SITEURL when absolute (publishconf.py), else FEED_DOMAIN (sitemaps need absolute URLs).
SITE_META_SITEURL = None
SITE_META_SITEMAP_SAVE_AS = "sitemap.xml"
SITE_META_SITEMAP_PART_SAVE_AS = "sitemap-{number}.xml"
SITE_META_SITEMAP_MAX_URLS = 50000  # the protocol's limit; above it sitemap.xml is an index
SITE_META_ROBOTS_SAVE_AS = "robots.txt"
SITE_META_ROBOTS_DISALLOW = None  # None: the "no news that day" page (NO_NEWS_URL)
SITE_META_EXPORT_SAVE_AS = "luu-tru/bai-viet.json"

# --- plugins.precompress / plugins.asset_urls (issue 12): serving ----------------------------
PRECOMPRESS_LEVEL = 9
ASSET_URLS_HASH_LENGTH = 10
# --- plugins.parallel_output (issue 10): pages rendered by several processes ---------------
# None: one process per core; 1: Pelican's own serial writer. Same bytes either way.
PARALLEL_OUTPUT_PROCESSES = None
# --- plugins.vn_reader (issue 10): read cache and reading on every core ---------------------
# A source whose bytes, path and reading settings did not change is not parsed again: its
# record is kept in VN_READER_CACHE_PATH/reads.sqlite3 (None = CACHE_PATH/vn_reader, "" = off).
VN_READER_CACHE_PATH = None
# Processes that parse the sources the cache misses (None: one per core; 1: serial). Same bytes.
VN_READER_PROCESSES = None
# --- plugins.site_search (issue 9): static full-text search -------------------------------
# The page is SEARCH_URL (a direct template, search.html); the index is written below it.
SITE_SEARCH_INDEX_DIR = "tim-kiem/chi-muc"
# Per-article analysis cache (content-hash keyed); None = CACHE_PATH/site_search, "" = off.
SITE_SEARCH_CACHE_PATH = None
# Processes that encode the index's postings (None: one per core; 1: serial). Same bytes.
SITE_SEARCH_PROCESSES = None
# From this many articles the index is encoded in a new interpreter rather than a fork of the
# build (whose memory it would start with). Same bytes.
SITE_SEARCH_FRESH_PROCESS_DOCS = 5000
# Key spaces of at most this many buckets list their hashes in index.json (no directory file
# to fetch first); 0 = directory files always.
SITE_SEARCH_LISTED_BUCKETS = 512
# --- plugins.incremental_build (issue 10): reuse the unchanged pages of the last build ----------
# invoke build/publish set INCREMENTAL_BUILD_BASE to the live folder ("" = full build).
INCREMENTAL_BUILD_BASE = ""
INCREMENTAL_BUILD_STATE_SAVE_AS = ".state/incremental"
INCREMENTAL_BUILD_KEY_FILES = []
