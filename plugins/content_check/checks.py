"""Validate a content tree without building it.

``check_tree(path, settings)`` reads every source under ``path`` and returns a list of
:class:`Problem` (file, line, severity, code, message). Each check is a small function that
takes a :class:`~plugins.content_check.source.Source` (plus the shared :class:`Context`) and
yields problems, so new checks are one function and one line in ``FILE_CHECKS``.

Nothing here imports Pelican's generators: the URL of an article is computed from the URL
contract settings (``ARTICLE_SAVE_AS`` with the article's date and slug), slugs come from
``vntext.slugify`` and dates from ``vntext.parse_vn_date``, exactly as the build computes them.
"""

import difflib
import html
import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from plugins.vntext import fold, is_nfc, nfc, parse_vn_date, slugify

from .source import read_source

ERROR = "error"
WARNING = "warning"
NOTE = "note"

# Settings read by the checker, with their defaults (pelicanconf may override any of them).
DEFAULTS = {
    # Titles longer than this (characters, NFC) are flagged: they break headlines and feeds.
    "CHECK_TITLE_MAX_LENGTH": 150,
    # Files bigger than this (bytes) get a warning: usually a paste gone wrong.
    "CHECK_LARGE_FILE_BYTES": 1_000_000,
    # Extra boilerplate phrases (besides BOILERPLATE below) that must not be published.
    "CHECK_EXTRA_BOILERPLATE": [],
}

# Longest file name (bytes) most filesystems accept: an article's {slug}.html must fit.
MAX_NAME_BYTES = 255
SOURCE_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# Files an editor may drop next to articles by mistake: they are silently not published.
STRAY_EXTENSIONS = (".txt", ".doc", ".docx", ".htm", ".html", ".rtf", ".odt")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff")

# Metadata keys of the project's contract (lower-case, as the Markdown meta extension gives them).
KNOWN_KEYS = (
    "title", "date", "modified", "category", "tags", "author", "authors", "summary", "slug",
    "status", "campaign", "original_url", "sample", "lang", "template", "save_as", "url", "source",
)
REQUIRED_ARTICLE_KEYS = ("title", "date")
REQUIRED_PAGE_KEYS = ("title",)
STATUSES = ("published", "draft", "hidden")

# Leftovers of the old portal's page chrome, copied along with an article's text: a body line
# that starts with the phrase (or, for the generic ones, consists of it). Quoting the phrase
# inside a sentence ("the picker 'Các tin đã đưa ngày'") is fine.
# (phrase, whole line only?)
BOILERPLATE = (
    ("Các tin đã đưa ngày", False),
    ("Bạn thấy trang web của tỉnh như thế nào", False),
    ("Bạn thấy trang web của thành phố như thế nào", False),
    ("Các tin khác", True),
    ("Tin cùng chuyên mục", True),
    ("Tin mới hơn", True),
    ("Tin cũ hơn", True),
    ("Bản quyền thuộc về", False),
    ("In bài viết", True),
    ("In trang", True),
    ("Gửi email", True),
    ("Gửi cho bạn bè", True),
    ("Đầu trang", True),
    ("Quay lại", True),
    ("Lượt xem", True),
    ("Chia sẻ", True),
    ("Xem tiếp", True),
)

_MD_LINK = re.compile(r"(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_MD_REF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
_HTML_ATTR = re.compile(r"\b(href|src)\s*=\s*([\"'])(.*?)\2", re.IGNORECASE)
_INTRASITE = re.compile(r"^[{|](?P<what>[a-z]+)[|}](?P<value>.*)$")
_HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass(order=True)
class Problem:
    """One problem: ``path:line: severity: message [code]``."""

    path: str
    line: int
    severity: str = field(compare=False)
    code: str = field(compare=False)
    message: str = field(compare=False)

    def format(self):
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass
class Entry:
    """What the tree-wide checks need to know about one readable source."""

    source: object
    rel: str  # path relative to the content root, posix
    display: str
    is_page: bool
    title: str = ""
    date: object = None
    slug: str = ""
    status: str = "published"
    save_as: str = ""
    url: str = ""


@dataclass
class Context:
    """Everything the checks share: settings, the content root and the registry."""

    root: str
    settings: dict
    display_base: str = ""
    campaigns: object = None  # plugins.campaigns Registry; None: unavailable, check skipped
    campaign_error: tuple = ()

    def setting(self, name):
        return self.settings.get(name, DEFAULTS.get(name))

    def display(self, path):
        """The path as printed: relative to the working directory when inside it."""
        absolute = os.path.abspath(path)
        base = self.display_base or os.getcwd()
        rel = os.path.relpath(absolute, base)
        return absolute if rel.startswith("..") else rel


def problem(ctx, path, line, severity, code, message):
    return Problem(ctx.display(path), max(1, int(line or 1)), severity, code, message)


def suggest(value, choices):
    """Closest names to ``value`` among ``choices`` compared folded (typos, missing accents)."""
    folded = {fold(c): c for c in choices}
    close = difflib.get_close_matches(fold(value), list(folded), n=3, cutoff=0.6)
    return [folded[c] for c in close]


def _did_you_mean(value, choices):
    close = suggest(value, choices)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


# --- campaign registry ----------------------------------------------------------------------


def load_campaigns(ctx):
    """The campaign registry from ``plugins.campaigns.registry`` (never parsed here), or None.

    None (the check is skipped) when the campaigns package or the registry file is absent.
    """
    try:
        from plugins.campaigns import registry as campaigns_registry  # noqa: PLC0415
    except ImportError:
        return None
    loader = getattr(campaigns_registry, "load_registry", None)
    if loader is None:
        return None
    filename = ctx.settings.get("CAMPAIGNS_REGISTRY", "campaigns.toml")
    # The registry of the checked folder, else the project's (settings PATH) one.
    candidates = [filename] if os.path.isabs(filename) else [
        os.path.join(ctx.root, filename), os.path.join(ctx.settings.get("PATH", ctx.root), filename)]
    path = next((c for c in candidates if os.path.exists(c)), None)
    if path is None:
        return None
    try:
        return loader(path)
    except Exception as exc:  # a broken registry is reported once, not per article
        ctx.campaign_error = (path, str(exc))
        return None


# --- per-file checks --------------------------------------------------------------------------


def check_encoding(ctx, src):
    if src.decode_error:
        yield problem(ctx, src.path, src.decode_error_line, ERROR, "encoding",
                      f"{src.decode_error}; save the file as UTF-8 (in the editor: Save with Encoding → UTF-8)")
        return
    if src.has_bom:
        yield problem(ctx, src.path, 1, WARNING, "bom",
                      "file starts with a UTF-8 BOM (invisible mark); --fix removes it")
    if src.has_crlf:
        line = src.raw.count(b"\n", 0, src.raw.index(b"\r\n")) + 1
        yield problem(ctx, src.path, line, WARNING, "crlf",
                      "Windows line endings (CRLF); --fix converts them to LF")


def check_nfc(ctx, src):
    for number, line in enumerate(src.lines, start=1):
        if not is_nfc(line):
            yield problem(ctx, src.path, number, ERROR, "nfc",
                          "text is not in Unicode NFC (decomposed accents, e.g. from a Mac or Word); "
                          "run `invoke check --fix` to normalise it")
            return


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_control(ctx, src):
    for number, line in enumerate(src.lines, start=1):
        match = _CONTROL.search(line)
        if match:
            yield problem(ctx, src.path, number, ERROR, "control-char",
                          f"invisible control character U+{ord(match.group(0)):04X} in column "
                          f"{match.start() + 1}; delete it (it breaks the feeds)")
            return


def check_empty(ctx, src):
    if not src.text.strip():
        yield problem(ctx, src.path, 1, ERROR, "empty-file",
                      "file is empty; write the metadata (Title:, Date:) and the article text, or delete it")
        return
    if not src.fields:
        yield problem(ctx, src.path, 1, ERROR, "no-metadata",
                      "no metadata header: the file must start with lines like 'Title: ...' and 'Date: dd/mm/yyyy'")
    if not src.body.strip():
        yield problem(ctx, src.path, max(src.body_start - 1, 1), ERROR, "empty-body",
                      "the article has no text after the metadata (a blank line must separate them)")


def check_size(ctx, src):
    limit = ctx.setting("CHECK_LARGE_FILE_BYTES")
    if limit and len(src.raw) > limit:
        yield problem(ctx, src.path, 1, WARNING, "large-file",
                      f"file is very large ({len(src.raw) / 1_000_000:.1f} MB); check that nothing was pasted twice")


def check_keys(ctx, src, is_page):
    required = REQUIRED_PAGE_KEYS if is_page else REQUIRED_ARTICLE_KEYS
    if src.fields:
        for key in required:
            entry = src.fields.get(key)
            if entry is None:
                yield problem(ctx, src.path, 1, ERROR, f"missing-{key}",
                              f"missing required metadata '{key.capitalize()}:'")
            elif not entry.value:
                yield problem(ctx, src.path, entry.line, ERROR, f"missing-{key}",
                              f"'{entry.name}:' is empty")
    for key, entry in sorted(src.fields.items(), key=lambda kv: kv[1].line):
        if len(entry.lines) > 1:
            yield problem(ctx, src.path, entry.lines[1], ERROR, "duplicate-key",
                          f"'{entry.name}:' is given twice (lines {entry.lines[0]} and {entry.lines[1]}); keep one")
        if key not in KNOWN_KEYS and key != "expected_campaigns":
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.7)
            hint = f"; did you mean '{close[0].capitalize()}:'?" if close else ""
            yield problem(ctx, src.path, entry.line, WARNING, "unknown-key",
                          f"unknown metadata '{entry.name}:' is ignored{hint}")
        if any("\t" in v for v in entry.values):
            yield problem(ctx, src.path, entry.line, WARNING, "tab",
                          f"'{entry.name}:' contains a tab character; use spaces")


def check_title(ctx, src):
    entry = src.fields.get("title")
    if entry is None or not entry.value:
        return
    title = nfc(entry.value)
    limit = ctx.setting("CHECK_TITLE_MAX_LENGTH")
    if limit and len(title) > limit:
        yield problem(ctx, src.path, entry.line, WARNING, "long-title",
                      f"title is {len(title)} characters long (limit {limit}); shorten it")
    if _HTML_TAG.search(title) or re.search(r"&#?\w+;", title):
        yield problem(ctx, src.path, entry.line, WARNING, "html-in-title",
                      "title contains HTML markup or entities; it is shown literally as text")
    slug = src.get("slug") or slugify(html.unescape(" ".join(title.split())))
    if len(f"{slug}.html".encode("utf-8")) > MAX_NAME_BYTES:
        yield problem(ctx, src.path, entry.line, ERROR, "long-slug",
                      f"the URL made from this title is {len(slug)} characters long, more than a file name "
                      f"may be; add a shorter 'Slug:' line")
    if not slugify(html.unescape(title)) and "slug" not in src.fields:
        yield problem(ctx, src.path, entry.line, ERROR, "bad-slug",
                      "cannot make a URL slug from this title; add a 'Slug:' line")


def check_dates(ctx, src, rel):
    for key in ("date", "modified"):
        entry = src.fields.get(key)
        if entry is None or not entry.value:
            continue
        try:
            value = parse_vn_date(nfc(entry.value))
        except ValueError as exc:
            yield problem(ctx, src.path, entry.line, ERROR, "bad-date",
                          f"{entry.name}: {exc}" + ("" if "dd/mm/yyyy" in str(exc) else " (dates are day first: dd/mm/yyyy or dd/mm/yyyy HH:MM)"))
            continue
        if key == "date":
            parts = rel.split("/")
            if len(parts) >= 3 and re.fullmatch(r"\d{4}", parts[0]) and re.fullmatch(r"\d{2}", parts[1]):
                if (int(parts[0]), int(parts[1])) != (value.year, value.month):
                    yield problem(ctx, src.path, entry.line, WARNING, "date-folder",
                                  f"Date {entry.value!r} is {value:%d/%m/%Y} but the file is in "
                                  f"{parts[0]}/{parts[1]}/ (day and month swapped?); move the file or fix the date")


def check_values(ctx, src):
    status = src.fields.get("status")
    if status is not None and status.value.lower() not in STATUSES:
        yield problem(ctx, src.path, status.line, ERROR, "bad-status",
                      f"Status {status.value!r} is not one of {', '.join(STATUSES)}")
    slug = src.fields.get("slug")
    if slug is not None:
        value = slug.value
        if not value or "/" in value or "\\" in value or ".." in value or os.path.isabs(value):
            yield problem(ctx, src.path, slug.line, ERROR, "bad-slug",
                          f"Slug {value!r} must be a single URL word: no '/', '..' or absolute path "
                          f"(for example {slugify(value) or 'bai-viet'!r})")
        elif value != slugify(value):
            yield problem(ctx, src.path, slug.line, ERROR, "bad-slug",
                          f"Slug {value!r} must use lower-case ASCII letters, digits and '-' only "
                          f"(for example {slugify(value) or 'bai-viet'!r})")
    category = src.fields.get("category")
    known = ctx.settings.get("KNOWN_CATEGORIES")
    if category is not None and category.value and known:
        if nfc(category.value) not in known:
            yield problem(ctx, src.path, category.line, ERROR, "unknown-category",
                          f"unknown category {category.value!r}{_did_you_mean(category.value, known)} "
                          f"(known: {', '.join(known)})")
    for key in ("tags", "author", "authors"):
        entry = src.fields.get(key)
        if entry is not None and re.search(r",\s*,|^\s*,|,\s*$", entry.value):
            yield problem(ctx, src.path, entry.line, WARNING, "empty-item",
                          f"'{entry.name}:' has an empty item (two commas in a row or a trailing comma)")
    for key in ("tags", "author", "authors", "category"):
        entry = src.fields.get(key)
        items = [entry.value] if entry is not None and key == "category" else \
            (entry.value.split(",") if entry is not None else [])
        for item in (i.strip() for i in items):
            if item and not slugify(item):
                yield problem(ctx, src.path, entry.line, ERROR, "empty-slug",
                              f"'{entry.name}:' item {item!r} has no letters or digits to make a URL from; "
                              "write it in words")
    for key in ("author", "authors", "category", "tags", "summary", "campaign"):
        entry = src.fields.get(key)
        if entry is not None and _HTML_TAG.search(entry.value):
            yield problem(ctx, src.path, entry.line, WARNING, "html-in-metadata",
                          f"'{entry.name}:' contains HTML markup; it is shown literally as text")
    campaign = src.fields.get("campaign")
    if campaign is not None and ctx.campaigns is not None:
        for name in (n.strip() for n in nfc(campaign.value).split(",")):
            if not name or fold(name) == "none":
                continue
            if ctx.campaigns.lookup(name) is None:
                close = ctx.campaigns.suggest(name)
                hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
                yield problem(ctx, src.path, campaign.line, ERROR, "unknown-campaign",
                              f"unknown campaign {name!r}{hint} (known campaigns: campaigns.toml)")


def check_body(ctx, src):
    phrases = list(BOILERPLATE) + [(p, False) for p in ctx.setting("CHECK_EXTRA_BOILERPLATE") or []]
    compiled = [
        (phrase, re.compile(
            r"^\W*" + re.escape(nfc(phrase).casefold()) + (r"\W*[\d\s:./-]*$" if whole else ""),
        )) for phrase, whole in phrases
    ]
    previous, last_text, in_fence, reported_indent = "", "", False, False
    for number, line in src.body_lines:
        text = nfc(line)
        if text.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        folded = text.strip().casefold()
        for phrase, pattern in compiled:
            if folded and pattern.search(folded):
                yield problem(ctx, src.path, number, ERROR, "boilerplate",
                              f"leftover portal text {phrase!r}; delete this line")
                break
        if not in_fence and not reported_indent and text.strip():
            indent = re.match(r"^[ \t]*", text).group(0)
            if "\t" in indent and " " in indent:
                reported_indent = True
                yield problem(ctx, src.path, number, WARNING, "mixed-indent",
                              "line indented with a mix of tabs and spaces; Markdown may show it as code")
            elif (indent.startswith("\t") or len(indent) >= 4) and not previous.strip() \
                    and not _LIST_ITEM.match(last_text) and not last_text.startswith((" ", "\t")):
                reported_indent = True
                yield problem(ctx, src.path, number, WARNING, "code-indent",
                              "indented line (a tab or 4+ spaces) after a blank line is shown as a code "
                              "block; remove the indentation")
        previous = text
        if text.strip():
            last_text = text


# --- links --------------------------------------------------------------------------------


def iter_links(src):
    """(line, url, is_image) for every Markdown/HTML link in the body, fenced code skipped."""
    in_fence = False
    for number, line in src.body_lines:
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in _MD_LINK.finditer(line):
            yield number, match.group(2), match.group(1) == "!"
        ref = _MD_REF.match(line)
        if ref:
            yield number, ref.group(1), False
        for match in _HTML_ATTR.finditer(line):
            yield number, html.unescape(match.group(3)), match.group(1).lower() == "src"


def check_links(ctx, entry, site):
    src = entry.source
    base_dir = posix_dirname(entry.rel)
    for number, url, is_image in iter_links(src):
        target = url.strip()
        intrasite = _INTRASITE.match(target)
        if intrasite:
            what, value = intrasite.group("what"), intrasite.group("value")
            if what not in ("filename", "static", "attach"):
                continue
            path = unquote(urlsplit(value).path)
            rel = path.lstrip("/") if path.startswith("/") else posix_join(base_dir, path)
            if rel is None or rel not in site.files:
                yield problem(ctx, src.path, number, ERROR, "missing-file",
                              f"link {{{what}}}{value} points to a file that does not exist in content/")
            continue
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            continue
        if not parts.path:
            continue
        # Resolve like a browser from the article's own URL (site-root relative).
        resolved = urljoin("/" + entry.url, unquote(parts.path)).lstrip("/")
        if site.has_url(resolved):
            continue
        kind = "image" if is_image or resolved.lower().endswith(IMAGE_EXTENSIONS) else "page"
        yield problem(ctx, src.path, number, ERROR, f"missing-{kind}",
                      f"link to a missing internal {kind} {url!r} (resolves to /{resolved})")


def posix_dirname(rel):
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def posix_join(base, path):
    parts = [p for p in (base.split("/") if base else [])]
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


@dataclass
class Site:
    """URLs and files the build will produce (as far as the checker can tell)."""

    files: set = field(default_factory=set)  # content-relative paths of every file
    urls: set = field(default_factory=set)  # output-relative URLs (no leading slash)
    prefixes: tuple = ()

    def has_url(self, url):
        url = url.split("#")[0]
        candidates = {url, url.rstrip("/"), url + "index.html" if url.endswith("/") or not url else url + "/index.html"}
        if not url:
            return True
        if candidates & self.urls:
            return True
        return any(url.startswith(prefix) for prefix in self.prefixes)


def build_site_map(ctx, entries):
    settings = ctx.settings
    site = Site()
    for dirpath, dirs, files in os.walk(ctx.root):
        dirs.sort()
        for name in files:
            rel = os.path.relpath(os.path.join(dirpath, name), ctx.root).replace(os.sep, "/")
            site.files.add(rel)
    for static in settings.get("STATIC_PATHS", []) or []:
        prefix = static.strip("/") + "/"
        site.urls.update(f for f in site.files if f.startswith(prefix) or f == static)
    for entry in entries:
        if entry.url:
            site.urls.add(entry.url)
    # Generated listings: any page under these URL prefixes is produced by a generator.
    prefixes = []
    for key in ("CATEGORY_URL", "TAG_URL", "AUTHOR_URL", "CAMPAIGN_URL", "CATEGORIES_URL", "TAGS_URL",
                "AUTHORS_URL", "CAMPAIGNS_URL", "ARCHIVES_URL", "SEARCH_URL"):
        value = settings.get(key)
        if value:
            prefixes.append(value.split("{")[0])
    prefixes += ["feeds/", "chien-dich/", "tim-kiem/", "luu-tru/", "theme/"]
    site.prefixes = tuple(sorted({p for p in prefixes if p}))
    site.urls.update({"index.html", ""})
    for entry in entries:
        if entry.date is not None:
            for key in ("YEAR_ARCHIVE_URL", "MONTH_ARCHIVE_URL", "DAY_ARCHIVE_URL"):
                fmt = settings.get(key)
                if fmt:
                    try:
                        site.urls.add(fmt.format(date=entry.date))
                    except (KeyError, IndexError, ValueError):
                        pass
    return site


# --- tree ----------------------------------------------------------------------------------


def is_page_path(rel, settings):
    for page_path in settings.get("PAGE_PATHS", ["pages"]) or []:
        page_path = page_path.strip("/")
        if page_path and (rel == page_path or rel.startswith(page_path + "/")):
            return True
    return False


def is_excluded(rel, settings):
    excludes = list(settings.get("ARTICLE_EXCLUDES", []) or [])
    paths = list(settings.get("PAGE_PATHS", []) or []) + list(settings.get("STATIC_PATHS", []) or [])
    for ex in excludes + paths:
        ex = ex.strip("/")
        if ex and (rel == ex or rel.startswith(ex + "/")) and not is_page_path(rel, settings):
            return True
    return False


def iter_sources(root, settings):
    """Every file under ``root`` in sorted order: (absolute path, relative posix path)."""
    ignores = settings.get("IGNORE_FILES", [".#*"]) or []
    import fnmatch  # noqa: PLC0415

    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, i) for i in ignores) and not d.startswith("."))
        for name in sorted(files):
            if any(fnmatch.fnmatch(name, i) for i in ignores) or name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            yield path, os.path.relpath(path, root).replace(os.sep, "/")


def output_location(entry, settings):
    """(save_as, url) of an entry under the URL contract, or ("", "") when not computable."""
    if entry.is_page:
        save_key, url_key = "PAGE_SAVE_AS", "PAGE_URL"
    else:
        save_key, url_key = "ARTICLE_SAVE_AS", "ARTICLE_URL"
    if entry.status == "draft":
        return "", ""
    values = {"slug": entry.slug, "date": entry.date, "lang": settings.get("DEFAULT_LANG", "en"),
              "category": slugify(entry.source.get("category") or settings.get("DEFAULT_CATEGORY", "")),
              "author": slugify(entry.source.get("author") or ""), "path": entry.rel}
    try:
        save_as = settings.get(save_key, "{slug}.html").format(**values)
        url = settings.get(url_key, "{slug}.html").format(**values)
    except (KeyError, IndexError, ValueError, AttributeError):
        return "", ""
    return save_as, url


def check_tree(root, settings, display_base=None, fix=False):
    """Check every source under ``root``; return (problems sorted, number of files checked, fixed)."""
    root = os.path.abspath(root)
    ctx = Context(root=root, settings=settings, display_base=display_base or "")
    ctx.campaigns = load_campaigns(ctx)
    problems, entries, fixed = [], [], []
    if ctx.campaign_error:
        path, message = ctx.campaign_error
        problems.append(problem(ctx, path, 1, ERROR, "campaign-registry",
                                f"cannot load the campaign registry: {message}"))
    checked = 0
    for path, rel in iter_sources(root, settings):
        lower = rel.lower()
        if not lower.endswith(SOURCE_EXTENSIONS):
            if lower.endswith(STRAY_EXTENSIONS) and not is_excluded(rel, settings):
                problems.append(problem(ctx, path, 1, WARNING, "not-a-source",
                                        "this file is not a Markdown source (.md) and will not be published; "
                                        "rename it to .md or move it out of content/"))
            continue
        if is_excluded(rel, settings):
            continue
        checked += 1
        if fix and fix_file(path):
            fixed.append(ctx.display(path))
        src = read_source(path)
        is_page = is_page_path(rel, settings)
        file_problems = list(check_encoding(ctx, src))
        if not src.decode_error:
            file_problems += list(check_nfc(ctx, src))
            file_problems += list(check_control(ctx, src))
            file_problems += list(check_empty(ctx, src))
            if src.text.strip():
                file_problems += list(check_size(ctx, src))
                file_problems += list(check_keys(ctx, src, is_page))
                file_problems += list(check_title(ctx, src))
                file_problems += list(check_dates(ctx, src, rel))
                file_problems += list(check_values(ctx, src))
                file_problems += list(check_body(ctx, src))
            entries.append(make_entry(ctx, src, rel, is_page, file_problems))
        problems += file_problems
    problems += list(check_duplicates(ctx, entries))
    site = build_site_map(ctx, entries)
    for entry in entries:
        problems += list(check_links(ctx, entry, site))
    return sorted(problems), checked, fixed


def make_entry(ctx, src, rel, is_page, file_problems):
    entry = Entry(source=src, rel=rel, display=ctx.display(src.path), is_page=is_page)
    entry.title = nfc(src.get("title"))
    entry.status = (src.get("status") or "published").lower()
    try:
        entry.date = parse_vn_date(nfc(src.get("date"))) if src.get("date") else None
    except ValueError:
        entry.date = None
    slug = src.get("slug")
    entry.slug = slug if slug else slugify(" ".join(entry.title.split()))
    if entry.slug and (is_page or entry.date is not None) and not any(
        p.code == "bad-slug" for p in file_problems
    ):
        entry.save_as, entry.url = output_location(entry, ctx.settings)
    return entry


def check_duplicates(ctx, entries):
    owners = {}
    for entry in entries:
        if entry.save_as:
            owners.setdefault(os.path.normpath(entry.save_as), []).append(entry)
    for save_as, group in sorted(owners.items()):
        if len(group) < 2:
            continue
        for entry in group:
            others = ", ".join(o.display for o in group if o is not entry)
            line = entry.source.line_of("slug") if "slug" in entry.source.fields else entry.source.line_of("title")
            yield problem(ctx, entry.source.path, line, ERROR, "duplicate-url",
                          f"same output URL /{save_as} as {others} (same date and slug); "
                          f"change the title or add a different 'Slug:'")


def fix_file(path):
    """Normalise ``path`` in place: NFC, no BOM, LF line endings. True when it changed."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False  # never guess an encoding: the editor must re-save the file
    fixed = nfc(text.replace("\r\n", "\n"))
    data = fixed.encode("utf-8")
    if data == raw:
        return False
    tmp = f"{path}.fix-{os.getpid()}"
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
    return True
