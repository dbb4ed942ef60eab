"""Every content rule, written once: ``invoke check`` and the build both call these.

``check_source(ctx, src, rel, is_page)`` runs the per-file rules on a
:class:`~plugins.content_rules.header.Source` and returns its problems and an :class:`Entry`
(what the tree-wide rules need: URL, links). ``check_entries(ctx, entries)`` runs the
tree-wide rules (two sources on one URL, links to files or pages that do not exist).
Each rule is a small generator of :class:`~plugins.content_rules.problems.Problem`.

``invoke check`` (plugins.content_check) runs them over the tree; the build
(plugins.vn_reader) runs ``check_source`` in its reader, file by file, and ``check_entries``
once every source is read, then lists every problem and fails on any error. What one calls
an error, the other refuses too; a warning shows in both.
"""

import difflib
import html
import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from plugins.vntext import fold, is_nfc, nfc, parse_vn_date, slugify

from .characters import INVISIBLE, describe, refused_character
from .header import FORBIDDEN_KEYS, KEYS
from .html_safety import removed_constructs
from .original_url import old_location
from .problems import ERROR, WARNING

# Longest file name (bytes) most filesystems accept: an article's {slug}.html must fit.
MAX_NAME_BYTES = 255
REQUIRED_ARTICLE_KEYS = ("title", "date")
REQUIRED_PAGE_KEYS = ("title",)
STATUSES = ("published", "draft", "hidden")
# Slugs that would take the place of a listing page (`Slug: index` -> the day archive).
RESERVED_SLUGS = ("index",)
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff")
CLEAN_SLUG = re.compile(r"[a-z0-9]+(?:-+[a-z0-9]+)*")

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


@dataclass
class Entry:
    """What the tree-wide rules need to know about one readable source."""

    path: str
    rel: str  # path relative to the content root, posix
    display: str
    is_page: bool
    title: str = ""
    date: object = None
    slug: str = ""
    status: str = "published"
    save_as: str = ""
    url: str = ""
    url_line: int = 1  # the line that decides the URL (Slug:, else Title:)
    links: list = field(default_factory=list)  # (line, url, is_image)


def suggest(value, choices):
    """Closest names to ``value`` among ``choices`` compared folded (typos, missing accents)."""
    folded = {fold(c): c for c in choices}
    close = difflib.get_close_matches(fold(value), list(folded), n=3, cutoff=0.6)
    return [folded[c] for c in close]


def _did_you_mean(value, choices):
    close = suggest(value, choices)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def parse_date(value, settings):
    """A ``Date:``/``Modified:`` value as an aware datetime; ValueError in editor's words.

    Day first (``vntext.parse_vn_date``), and the year within ``CONTENT_YEARS``.
    """
    parsed = parse_vn_date(nfc(value))
    first, last = settings.get("CONTENT_YEARS") or (1900, 2100)
    if not first <= parsed.year <= last:
        raise ValueError(f"the year {parsed.year} of {value!r} is outside {first}–{last}; "
                         "write the year with four digits")
    return parsed


def title_slug(title):
    """The slug the build makes from a plain title ("" when it has no letter or digit)."""
    slug = slugify(" ".join(title.split()))
    return slug if CLEAN_SLUG.search(slug) else ""


# --- per-file rules ---------------------------------------------------------------------------


def check_encoding(ctx, src):
    if src.decode_error:
        yield ctx.problem(src.path, src.decode_error_line, ERROR, "encoding",
                          f"{src.decode_error}; save the file as UTF-8 (in the editor: Save with Encoding → UTF-8)")
        return
    if src.has_bom:
        yield ctx.problem(src.path, 1, WARNING, "bom",
                          "file starts with a UTF-8 BOM (invisible mark); the build drops it, --fix removes it")
    if src.has_crlf:
        line = src.raw.count(b"\n", 0, src.raw.index(b"\r\n")) + 1
        yield ctx.problem(src.path, line, WARNING, "crlf",
                          "Windows line endings (CRLF); the build reads them, --fix converts them to LF")


def check_characters(ctx, src):
    """NFC and invisible characters: repaired by the build (warning), or refused (error)."""
    nfc_reported = invisible_reported = False
    for number, line in enumerate(src.lines, start=1):
        if not nfc_reported and not is_nfc(line):
            nfc_reported = True
            yield ctx.problem(src.path, number, WARNING, "nfc",
                              "text is not in Unicode NFC (decomposed accents, e.g. from a Mac or Word); "
                              "the build normalises it, `invoke check --fix` rewrites the file")
        bad = refused_character(line)
        if bad:
            column, char, code = bad
            if code == "control-char":
                hint = ("; it is probably a Windows-1252 dash or quote: retype it"
                        if 0x80 <= ord(char) <= 0x9f else "; delete it (it breaks the feeds)")
                yield ctx.problem(src.path, number, ERROR, code,
                                  f"invisible control character {describe(char)} in column {column}{hint}")
            else:
                yield ctx.problem(src.path, number, ERROR, code,
                                  f"bidirectional control {describe(char)} in column {column}: it reorders "
                                  "the text readers see; delete it")
        invisible = INVISIBLE.search(line)
        if invisible and not invisible_reported and not (number == 1 and invisible.start() == 0
                                                          and src.has_bom):
            invisible_reported = True
            yield ctx.problem(src.path, number, WARNING, "invisible-char",
                              f"invisible character {describe(invisible.group(0))} in column "
                              f"{invisible.start() + 1}; the build removes it, --fix rewrites the file")


def check_empty(ctx, src):
    if not src.text.strip():
        yield ctx.problem(src.path, 1, ERROR, "empty-file",
                          "file is empty; write the metadata (Title:, Date:) and the article text, or delete it")
        return
    if not src.fields:
        yield ctx.problem(src.path, 1, ERROR, "no-metadata",
                          "no metadata header: the file must start with lines like 'Title: ...' and 'Date: dd/mm/yyyy'")
    if not src.body.strip():
        yield ctx.problem(src.path, max(src.body_start - 1, 1), ERROR, "empty-body",
                          "the article has no text after the metadata (a blank line must separate them)")


def check_size(ctx, src):
    limit = ctx.setting("CHECK_LARGE_FILE_BYTES")
    if limit and len(src.raw) > limit:
        yield ctx.problem(src.path, 1, WARNING, "large-file",
                          f"file is very large ({len(src.raw) / 1_000_000:.1f} MB); check that nothing was pasted twice")


def check_keys(ctx, src, is_page):
    required = REQUIRED_PAGE_KEYS if is_page else REQUIRED_ARTICLE_KEYS
    if src.fields:
        for key in required:
            entry = src.fields.get(key)
            if entry is None:
                yield ctx.problem(src.path, 1, ERROR, f"missing-{key}",
                                  f"missing required metadata '{key.capitalize()}:'")
            elif not entry.value:
                yield ctx.problem(src.path, entry.line, ERROR, f"missing-{key}", f"'{entry.name}:' is empty")
    for key, entry in sorted(src.fields.items(), key=lambda kv: kv[1].line):
        if len(entry.lines) > 1:
            yield ctx.problem(src.path, entry.lines[1], ERROR, "duplicate-key",
                              f"'{entry.name}:' is given twice (lines {entry.lines[0]} and {entry.lines[1]}); keep one")
        for number in entry.continuations[:1]:
            yield ctx.problem(src.path, number, ERROR, "continuation-line",
                              f"line {number} continues '{entry.name}:' (it starts with spaces); write the "
                              "whole value on one line, or leave a blank line before the text")
        if key in FORBIDDEN_KEYS:
            yield ctx.problem(src.path, entry.line, ERROR, "forbidden-key",
                              f"'{entry.name}:' is not allowed: the URL contract decides where a page is "
                              "written, in which language and with which template; delete this line")
        elif key not in KEYS:
            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.7)
            hint = f"; did you mean '{close[0].capitalize()}:'?" if close else ""
            yield ctx.problem(src.path, entry.line, ERROR, "unknown-key",
                              f"unknown metadata '{entry.name}:'{hint} (allowed: the table in the editors' guide)")
        if any("\t" in v for v in entry.values):
            yield ctx.problem(src.path, entry.line, WARNING, "tab",
                              f"'{entry.name}:' contains a tab character; use spaces")


def check_title(ctx, src):
    entry = src.fields.get("title")
    if entry is None or not entry.value:
        return
    title = entry.value
    limit = ctx.setting("CHECK_TITLE_MAX_LENGTH")
    if limit and len(title) > limit:
        yield ctx.problem(src.path, entry.line, WARNING, "long-title",
                          f"title is {len(title)} characters long (limit {limit}); shorten it")
    if _HTML_TAG.search(title) or re.search(r"&#?\w+;", title):
        yield ctx.problem(src.path, entry.line, WARNING, "html-in-title",
                          "title contains HTML markup or entities; it is shown literally as text")
    slug = src.get("slug") or title_slug(title)
    if not slug and "slug" not in src.fields:
        yield ctx.problem(src.path, entry.line, ERROR, "bad-slug",
                          "cannot make a URL slug from this title (no letter or digit); add a 'Slug:' line")
    elif len(f"{slug}.html".encode("utf-8")) > MAX_NAME_BYTES:
        yield ctx.problem(src.path, entry.line, ERROR, "long-slug",
                          f"the URL made from this title is {len(slug)} characters long, more than a file name "
                          f"may be; add a shorter 'Slug:' line")


def check_dates(ctx, src, rel):
    for key in ("date", "modified"):
        entry = src.fields.get(key)
        if entry is None or not entry.value:
            continue
        try:
            value = parse_date(entry.value, ctx.settings)
        except ValueError as exc:
            yield ctx.problem(src.path, entry.line, ERROR, "bad-date",
                              f"{entry.name}: {exc}" + ("" if "dd/mm/yyyy" in str(exc) or "year" in str(exc)
                                                         else " (dates are day first: dd/mm/yyyy or dd/mm/yyyy HH:MM)"))
            continue
        if key == "date":
            parts = rel.split("/")
            if len(parts) >= 3 and re.fullmatch(r"\d{4}", parts[0]) and re.fullmatch(r"\d{2}", parts[1]):
                if (int(parts[0]), int(parts[1])) != (value.year, value.month):
                    yield ctx.problem(src.path, entry.line, WARNING, "date-folder",
                                      f"Date {entry.value!r} is {value:%d/%m/%Y} but the file is in "
                                      f"{parts[0]}/{parts[1]}/ (day and month swapped?); move the file or fix the date")


def check_slug(ctx, src):
    slug = src.fields.get("slug")
    if slug is None:
        return
    value = slug.value
    example = slugify(value) or "bai-viet"
    if not value or "/" in value or "\\" in value or ".." in value or os.path.isabs(value):
        yield ctx.problem(src.path, slug.line, ERROR, "bad-slug",
                          f"Slug {value!r} must be a single URL word: no '/', '..' or absolute path "
                          f"(for example {example!r})")
    elif value != slugify(value) or not CLEAN_SLUG.fullmatch(value):
        yield ctx.problem(src.path, slug.line, ERROR, "bad-slug",
                          f"Slug {value!r} must use lower-case ASCII letters, digits and '-' only "
                          f"(for example {example!r})")
    elif value in RESERVED_SLUGS:
        yield ctx.problem(src.path, slug.line, ERROR, "reserved-slug",
                          f"Slug {value!r} would take the place of the day's list of news; choose another")


def check_values(ctx, src):
    status = src.fields.get("status")
    if status is not None and status.value.lower() not in STATUSES:
        yield ctx.problem(src.path, status.line, ERROR, "bad-status",
                          f"Status {status.value!r} is not one of {', '.join(STATUSES)}")
    category = src.fields.get("category")
    known = ctx.settings.get("KNOWN_CATEGORIES")
    if category is not None and category.value and known and category.value not in known:
        yield ctx.problem(src.path, category.line, ERROR, "unknown-category",
                          f"unknown category {category.value!r}{_did_you_mean(category.value, known)} "
                          f"(known: {', '.join(known)})")
    for key in ("tags", "author", "authors"):
        entry = src.fields.get(key)
        if entry is not None and re.search(r",\s*,|^\s*,|,\s*$", entry.value):
            yield ctx.problem(src.path, entry.line, WARNING, "empty-item",
                              f"'{entry.name}:' has an empty item (two commas in a row or a trailing comma)")
    for key in ("tags", "author", "authors", "category"):
        entry = src.fields.get(key)
        items = [entry.value] if entry is not None and key == "category" else \
            (entry.value.split(",") if entry is not None else [])
        for item in (i.strip() for i in items):
            if item and not slugify(item):
                yield ctx.problem(src.path, entry.line, ERROR, "empty-slug",
                                  f"'{entry.name}:' item {item!r} has no letters or digits to make a URL from; "
                                  "write it in words")
    for key in ("author", "authors", "category", "tags", "summary", "campaign"):
        entry = src.fields.get(key)
        if entry is not None and _HTML_TAG.search(entry.value):
            yield ctx.problem(src.path, entry.line, WARNING, "html-in-metadata",
                              f"'{entry.name}:' contains HTML markup; it is shown literally as text")
    yield from check_campaign(ctx, src)
    original = src.fields.get("original_url")
    if original is not None:
        try:
            old_location(original.value)
        except ValueError as exc:
            yield ctx.problem(src.path, original.line, ERROR, "bad-original-url", str(exc))


def check_campaign(ctx, src):
    campaign = src.fields.get("campaign")
    if campaign is None:
        return
    names = [n.strip() for n in campaign.value.split(",") if n.strip()]
    if any(fold(n) == "none" for n in names) and len(names) > 1:
        yield ctx.problem(src.path, campaign.line, ERROR, "campaign-none",
                          "'Campaign: none' opts out of every campaign and cannot be combined with names; "
                          "keep either 'none' or the names")
        return
    if ctx.campaigns is None:
        return
    for name in names:
        if fold(name) != "none" and ctx.campaigns.lookup(name) is None:
            close = ctx.campaigns.suggest(name)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            yield ctx.problem(src.path, campaign.line, ERROR, "unknown-campaign",
                              f"unknown campaign {name!r}{hint} (known campaigns: campaigns.toml)")


def check_body(ctx, src):
    phrases = list(BOILERPLATE) + [(p, False) for p in ctx.setting("CHECK_EXTRA_BOILERPLATE") or []]
    compiled = [
        (phrase, re.compile(
            r"^\W*" + re.escape(nfc(phrase).casefold()) + (r"\W*[\d\s:./-]*$" if whole else ""),
        )) for phrase, whole in phrases
    ]
    previous, last_text, in_fence, reported_indent = "", "", False, False
    for number, text in src.body_lines:
        if text.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        folded = text.strip().casefold()
        for phrase, pattern in compiled:
            if folded and pattern.search(folded):
                yield ctx.problem(src.path, number, ERROR, "boilerplate",
                                  f"leftover portal text {phrase!r}; delete this line")
                break
        if not in_fence and not reported_indent and text.strip():
            indent = re.match(r"^[ \t]*", text).group(0)
            if "\t" in indent and " " in indent:
                reported_indent = True
                yield ctx.problem(src.path, number, WARNING, "mixed-indent",
                                  "line indented with a mix of tabs and spaces; Markdown may show it as code")
            elif (indent.startswith("\t") or len(indent) >= 4) and not previous.strip() \
                    and not _LIST_ITEM.match(last_text) and not last_text.startswith((" ", "\t")):
                reported_indent = True
                yield ctx.problem(src.path, number, WARNING, "code-indent",
                                  "indented line (a tab or 4+ spaces) after a blank line is shown as a code "
                                  "block; remove the indentation")
        previous = text
        if text.strip():
            last_text = text
    for number, message in removed_constructs(src.body_lines, ctx.setting("CONTENT_IFRAME_HOSTS")):
        yield ctx.problem(src.path, number, WARNING, "html-removed", f"{message} when the page is built")


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


def check_source(ctx, src, rel, is_page):
    """Every per-file rule on ``src``: (problems, Entry or None when unreadable)."""
    problems = list(check_encoding(ctx, src))
    if src.decode_error:
        return problems, None
    problems += check_characters(ctx, src)
    problems += check_empty(ctx, src)
    if src.text.strip():
        problems += check_size(ctx, src)
        problems += check_keys(ctx, src, is_page)
        for rule in (check_title, check_slug, check_values, check_body):
            problems += rule(ctx, src)
        problems += check_dates(ctx, src, rel)
    return problems, make_entry(ctx, src, rel, is_page, problems)


def output_location(entry, src, settings):
    """(save_as, url) of an entry under the URL contract, or ("", "") when not computable."""
    save_key, url_key = ("PAGE_SAVE_AS", "PAGE_URL") if entry.is_page else ("ARTICLE_SAVE_AS", "ARTICLE_URL")
    if entry.status == "draft":
        return "", ""
    values = {"slug": entry.slug, "date": entry.date, "lang": settings.get("DEFAULT_LANG", "en"),
              "category": slugify(src.get("category") or settings.get("DEFAULT_CATEGORY", "")),
              "author": slugify(src.get("author") or ""), "path": entry.rel}
    try:
        return (settings.get(save_key, "{slug}.html").format(**values),
                settings.get(url_key, "{slug}.html").format(**values))
    except (KeyError, IndexError, ValueError, AttributeError):
        return "", ""


def make_entry(ctx, src, rel, is_page, file_problems):
    entry = Entry(path=src.path, rel=rel, display=ctx.display(src.path), is_page=is_page,
                  links=list(iter_links(src)))
    entry.title = src.get("title")
    entry.status = (src.get("status") or "published").lower()
    try:
        entry.date = parse_date(src.get("date"), ctx.settings) if src.get("date") else None
    except ValueError:
        entry.date = None
    slug = src.get("slug")
    entry.slug = slug if slug else title_slug(entry.title)
    entry.url_line = src.line_of("slug") if "slug" in src.fields else src.line_of("title")
    if entry.slug and (is_page or entry.date is not None) and not any(
        p.code in ("bad-slug", "reserved-slug") for p in file_problems
    ):
        entry.save_as, entry.url = output_location(entry, src, ctx.settings)
    return entry


# --- tree-wide rules ---------------------------------------------------------------------------


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
            yield ctx.problem(entry.path, entry.url_line, ERROR, "duplicate-url",
                              f"same output URL /{save_as} as {others} (same date and slug); "
                              f"change the title or add a different 'Slug:'")


@dataclass
class Site:
    """URLs and files the build will produce (as far as the rules can tell)."""

    files: set = field(default_factory=set)  # content-relative paths of every file
    urls: set = field(default_factory=set)  # output-relative URLs (no leading slash)
    prefixes: tuple = ()
    sources: dict = field(default_factory=dict)  # URL -> content-relative source path

    def has_url(self, url):
        url = url.split("#")[0]
        if not url:
            return True
        candidates = {url, url.rstrip("/"), url + "index.html" if url.endswith("/") else url + "/index.html"}
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
        for rel in site.files:
            if rel.startswith(prefix) or rel == static:
                site.urls.add(rel)
                site.sources[rel] = rel
    for entry in entries:
        if entry.url:
            site.urls.add(entry.url)
            site.sources[entry.url] = entry.rel
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


def posix_dirname(rel):
    return rel.rsplit("/", 1)[0] if "/" in rel else ""


def posix_join(base, path):
    parts = list(base.split("/")) if base else []
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


def _intrasite_hint(site, resolved, is_image):
    source = site.sources.get(resolved) or site.sources.get(resolved.rstrip("/"))
    if source and not is_image and source.endswith((".md", ".markdown", ".mkd", ".mdown")):
        return f"{{filename}}/{source}"
    if source:
        return f"{{static}}/{source}"
    return "{filename}/yyyy/mm/ten-bai.md"


def check_links(ctx, entry, site):
    base_dir = posix_dirname(entry.rel)
    for number, url, is_image in entry.links:
        target = url.strip()
        intrasite = _INTRASITE.match(target)
        if intrasite:
            what, value = intrasite.group("what"), intrasite.group("value")
            if what not in ("filename", "static", "attach"):
                continue
            path = unquote(urlsplit(value).path)
            rel = path.lstrip("/") if path.startswith("/") else posix_join(base_dir, path)
            if rel is None or rel not in site.files:
                yield ctx.problem(entry.path, number, ERROR, "missing-file",
                                  f"link {{{what}}}{value} points to a file that does not exist in content/")
            continue
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
            continue
        if not parts.path:
            continue
        # Resolve like a browser from the article's own URL (site-root relative).
        resolved = urljoin("/" + entry.url, unquote(parts.path)).lstrip("/")
        if not site.has_url(resolved):
            kind = "image" if is_image or resolved.lower().endswith(IMAGE_EXTENSIONS) else "page"
            yield ctx.problem(entry.path, number, ERROR, f"missing-{kind}",
                              f"link to a missing internal {kind} {url!r} (resolves to /{resolved})")
        elif parts.path.startswith("/"):
            yield ctx.problem(entry.path, number, WARNING, "root-relative-link",
                              f"link {url!r} starts with '/': the portal serves the site under its own "
                              f"address prefix, where it would not be found; write "
                              f"{_intrasite_hint(site, resolved, is_image)} instead")


def check_entries(ctx, entries):
    """The tree-wide rules: duplicate URLs, then links, in source order."""
    problems = list(check_duplicates(ctx, entries))
    site = build_site_map(ctx, entries)
    for entry in entries:
        problems += check_links(ctx, entry, site)
    return problems
