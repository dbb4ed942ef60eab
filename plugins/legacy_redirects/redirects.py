"""legacy_redirects: keep the old portal's links alive.

For every article or page with ``Original_URL:`` metadata the build writes

- a redirect page at the old path (``/tin-tuc/123/abc.html`` ->
  ``output/tin-tuc/123/abc.html``; a path ending in ``/`` or without an extension
  gets ``index.html``) with ``<meta http-equiv="refresh">``, ``<link rel="canonical">``
  and a visible Vietnamese link, for any static host;
- ``output/redirects.map``: one ``old new;`` pair per line, sorted, for nginx::

      map $request_uri $new_uri { include /path/to/output/redirects.map; }
      server { ... if ($new_uri) { return 301 $new_uri; } ... }

Query-string URLs (``/Default.aspx?tabid=120&ID=4521``): a static file cannot be keyed
by its query, so the nginx map, which matches ``$request_uri`` (path and query exactly as
the old links wrote them), is what redirects them. The static file at the path part
(``output/Default.aspx``) is a *dispatcher* shared by every old URL with that path: a
small script looks the query up (exact, then with parameters sorted and names
lower-cased) and a visible list links every article it knows, for readers without
JavaScript. Servers must serve such files as text/html (nginx's map answers first).

Errors (fatal with ``--fatal errors``), each naming both files: an old path that is also
a new URL (article, page, listing, static file, theme file), two articles claiming the
same old URL, an unusable Original_URL. Output paths are also declared to build_guard.
"""

import html
import json
import logging
import os
import posixpath
import re

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

# The validation of Original_URL is a content rule: invoke check and the build call the same function.
from plugins.content_rules.original_url import SAFE_QUERY as _SAFE_QUERY
from plugins.content_rules.original_url import encode as _encode
from plugins.content_rules.original_url import old_location

logger = logging.getLogger(__name__)

DEFAULTS = {
    # Where the nginx map is written, relative to the output folder ("" = not written).
    "LEGACY_REDIRECTS_MAP_SAVE_AS": "redirects.map",
    # Write the static redirect pages at the old paths.
    "LEGACY_REDIRECTS_PAGES": True,
    # The script of the dispatcher pages (written only when there is one).
    "LEGACY_REDIRECTS_SCRIPT_SAVE_AS": "legacy-redirect.js",
}
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "pages", "hidden_pages")


# --- pure helpers -----------------------------------------------------------------------------


def setting(settings, name):
    value = settings.get(name, DEFAULTS[name])
    if not isinstance(value, type(DEFAULTS[name])):
        logger.warning("legacy_redirects: invalid %s %r, using %r", name, value, DEFAULTS[name])
        return DEFAULTS[name]
    return value


_STRFTIME_RE = {"%Y": r"\d{4}", "%m": r"\d{2}", "%d": r"\d{2}", "%H": r"\d{2}", "%M": r"\d{2}"}


def _pattern_regex(pattern):
    """A regular expression for every path a ``*_SAVE_AS``-style pattern can produce."""
    out, pos = [], 0
    pattern = pattern.replace("{base_name}/", "{base_name}")
    for match in re.finditer(r"\{([^{}]*)\}", pattern):
        out.append(re.escape(pattern[pos:match.start()]))
        field_name, _, spec = match.group(1).partition(":")
        if field_name == "date" and spec:
            parts = re.split(r"(%[A-Za-z])", spec)
            out.append("".join(_STRFTIME_RE.get(p, "[^/]+") if p.startswith("%") else re.escape(p)
                               for p in parts if p))
        elif field_name == "base_name":
            out.append("(?:.*/)?")
        else:
            out.append("[^/]+")
        pos = match.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("".join(out).lstrip("/"))


def site_namespaces(settings):
    """[(regex, owner)] of the output paths the new site may write, from its settings alone.

    For ``invoke import-legacy``, which runs without a build: an old URL matching one of these
    could take a file of the new site (the build refuses it then), so the importer does not copy it.
    """
    found = []
    for key in sorted(settings):
        value = settings[key]
        if not isinstance(value, str) or not value or "{path}" in value:
            continue  # {path}: static files, reserved by STATIC_PATHS below
        if key.endswith("_SAVE_AS") or key.startswith("FEED_") or "_FEED_" in key:
            found.append((_pattern_regex(value), f"{key} {value}"))
        elif key.endswith("_URL") and value.endswith("/") and "{" not in value and "://" not in value:
            found.append((re.compile(re.escape(value.lstrip("/")) + ".*"), f"{key} {value}"))
    map_save_as = setting(settings, "LEGACY_REDIRECTS_MAP_SAVE_AS")
    if map_save_as:
        found.append((re.compile(re.escape(map_save_as)), f"the legacy redirects map {map_save_as}"))
    for rule in settings.get("PAGINATION_PATTERNS") or []:
        save_as = rule[2] if isinstance(rule, (tuple, list)) and len(rule) > 2 else ""
        if isinstance(save_as, str) and "{number}" in save_as:
            found.append((_pattern_regex(save_as), f"pages 2+ of listings ({save_as})"))
    theme_dir = str(settings.get("THEME_STATIC_DIR", "theme")).strip("/")
    for folder, owner in ([(theme_dir, "the theme's static files")]
                          + [(str(p).strip("/"), "the static files (STATIC_PATHS)")
                             for p in settings.get("STATIC_PATHS", [])]):
        if folder:
            found.append((re.compile(re.escape(folder) + "(/.*)?"), f"{owner} {folder}/"))
    return found


def reserved_path(rel, namespaces):
    """The owner of the first namespace of ``site_namespaces`` that output path ``rel`` (or a
    folder above it) falls in, or None.

    >>> spaces = site_namespaces({"FEED_ALL_ATOM": "feeds/all.atom.xml", "THEME_STATIC_DIR": "theme",
    ...                           "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{date:%d}/{slug}.html"})
    >>> reserved_path("feeds/all.atom.xml", spaces), reserved_path("theme/js/a.js", spaces)
    ('FEED_ALL_ATOM feeds/all.atom.xml', "the theme's static files theme/")
    >>> reserved_path("2022/06/22/x.html", spaces), reserved_path("tin-tuc/123/x.html", spaces)
    ('ARTICLE_SAVE_AS {date:%Y}/{date:%m}/{date:%d}/{slug}.html', None)
    """
    norm = posixpath.normpath(rel)
    candidates = [norm]
    parent = posixpath.dirname(norm)
    while parent:
        candidates.append(parent)
        parent = posixpath.dirname(parent)
    for regex, owner in namespaces:
        if any(regex.fullmatch(c) for c in candidates):
            return owner
    return None


def normalized_query(query):
    """Parameters sorted, names lower-cased: how old links most often differ.

    >>> normalized_query("tabid=120&ID=4521")
    'id=4521&tabid=120'
    """
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, sep, value = part.partition("=")
        pairs.append(f"{name.lower()}{sep}{value}")
    return "&".join(sorted(pairs))


def new_url(settings, content_url):
    """The article's URL as the old links should now reach it (root-relative or absolute)."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    return f"{siteurl}/{content_url}" if siteurl else f"/{content_url}"


def relative_link(from_file, content_url):
    """A link from the redirect file to the article that works under any URL prefix."""
    return posixpath.relpath(content_url, posixpath.dirname(from_file) or ".")


def redirect_page(title, target, canonical):
    """HTML of a one-article redirect page."""
    t, href, canon = html.escape(title), html.escape(target, quote=True), html.escape(canonical, quote=True)
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{t} - Đã chuyển địa chỉ</title>\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        f"<link rel=\"canonical\" href=\"{canon}\">\n"
        "<meta name=\"robots\" content=\"noindex, follow\">\n</head>\n<body>\n"
        f"<p>Bài viết đã chuyển sang địa chỉ mới: <a href=\"{href}\">{t}</a>.</p>\n"
        "</body>\n</html>\n"
    )


# The dispatcher's lookup, one file for every dispatcher page: an inline script would need
# 'unsafe-inline' in the Content-Security-Policy (deploy/nginx.conf) and be refused without it.
DISPATCHER_SCRIPT = (
    "(function(){var d=document.getElementById('legacy-redirects');if(!d){return;}"
    "var m=JSON.parse(d.textContent);var s=location.search;"
    "var n=s.replace(/^\\?/,'').split('&').filter(Boolean).map(function(p){var i=p.indexOf('=');"
    "return i<0?p.toLowerCase():p.slice(0,i).toLowerCase()+p.slice(i);}).sort().join('&');"
    "var t=m.exact[s]||m.loose[n];if(t){location.replace(t);}})();\n"
)


def dispatcher_page(entries, script_src):
    """HTML of a page shared by several old query URLs: [(query, title, target)].

    The lookup table is a JSON data block (never executed, so allowed by the CSP) that the
    shared script at ``script_src`` reads."""
    exact = {("?" + q if q else ""): target for q, _, target in entries}
    loose = {normalized_query(q): target for q, _, target in entries}
    table = json.dumps({"exact": exact, "loose": loose}, ensure_ascii=False, sort_keys=True)
    table = table.replace("</", "<\\/")
    items = "\n".join(
        f"<li><a href=\"{html.escape(target, quote=True)}\">{html.escape(title)}</a></li>"
        for _, title, target in sorted(entries, key=lambda e: (e[2], e[0]))
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>Địa chỉ cũ đã chuyển</title>\n<meta name=\"robots\" content=\"noindex, follow\">\n"
        f"<script type=\"application/json\" id=\"legacy-redirects\">{table}</script>\n"
        f"<script src=\"{html.escape(script_src, quote=True)}\"></script>\n</head>\n<body>\n"
        "<p>Các bài viết ở địa chỉ cũ này đã chuyển sang địa chỉ mới:</p>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def source_of(content):
    return content.get_relative_source_path() if hasattr(content, "get_relative_source_path") else str(content)


def _new_outputs(generators):
    """{normalised output path: owner} of what the build writes itself (build_guard's one list:
    articles, drafts, pages, listings and their pages 2+, feeds, static and theme files, and
    every path other plugins declared)."""
    from plugins.build_guard.guard import output_claims  # noqa: PLC0415 (plugin packages load lazily)

    owners = {}
    for save_as, owner in output_claims(generators):
        if save_as:
            owners.setdefault(posixpath.normpath(str(save_as)), owner)
    for generator in generators:  # drafts are not written, but their URL must stay free
        for content in getattr(generator, "drafts", []) or []:
            if getattr(content, "save_as", ""):
                owners.setdefault(posixpath.normpath(str(content.save_as)), source_of(content))
    return owners


def collision(rel, taken, folders, theme_dir="theme"):
    """What already owns output path ``rel`` (as a file, as a folder it needs, or as a folder
    holding other files), or None. ``folders``: every parent folder of a path in ``taken``.

    >>> taken = {"feeds/all.atom.xml": "the Atom feed"}
    >>> collision("feeds/all.atom.xml/cu.html", taken, {"feeds"})
    'the Atom feed (feeds/all.atom.xml)'
    >>> collision("feeds", taken, {"feeds"}) is not None, collision("tin-tuc/1.html", taken, {"feeds"})
    (True, None)
    """
    norm = posixpath.normpath(rel)
    if norm in taken:
        return f"{taken[norm]} ({norm})"
    parent = posixpath.dirname(norm)
    while parent:
        if parent in taken:
            return f"{taken[parent]} ({parent})"
        parent = posixpath.dirname(parent)
    if norm in folders:
        return f"the folder {norm}/ of the new site"
    if theme_dir and (norm == theme_dir or norm.startswith(theme_dir + "/")):
        return f"the theme's static files ({theme_dir}/)"
    return None


def parent_folders(paths):
    folders = set()
    for path in paths:
        parent = posixpath.dirname(path)
        while parent and parent not in folders:
            folders.add(parent)
            parent = posixpath.dirname(parent)
    return folders


def plan_redirects(generators):
    """{file: [(key, query, title, target_from_file, new)]} and map lines; logs every conflict."""
    settings = generators[0].settings
    theme_dir = settings.get("THEME_STATIC_DIR", "theme").strip("/")
    taken = _new_outputs(generators)
    folders = parent_folders(taken)
    by_key = {}
    files = {}
    contents = []
    for generator in generators:
        if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            for name in CONTENT_LISTS:
                contents.extend(getattr(generator, name, []) or [])
    for content in sorted(contents, key=source_of):
        url = getattr(content, "original_url", None) or content.metadata.get("original_url")
        if not url:
            continue
        src = source_of(content)
        try:
            key, rel, query = old_location(str(url))
        except ValueError as exc:
            logger.error("legacy_redirects: %s: %s", src, exc)
            continue
        if key in by_key:
            logger.error("legacy_redirects: %s and %s both have the Original_URL %s",
                         by_key[key][0], src, url)
            continue
        clash = collision(rel, taken, folders, theme_dir)
        if clash is not None:
            logger.error("legacy_redirects: the old URL %s of %s would overwrite %s; "
                         "fix its Original_URL or change the new URL", key, src, clash)
            continue
        title = html.unescape(str(getattr(content, "title", src)))
        target = new_url(settings, content.url)
        by_key[key] = (src, target)
        files.setdefault(rel, []).append((key, query, title, content.url, target))
    map_lines = sorted(f"{key} {_encode(target, _SAFE_QUERY)};" for key, (_, target) in by_key.items())
    return files, map_lines


def _page_for(settings, rel, entries):
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    absolute = siteurl.startswith(("http://", "https://"))

    def link(content_url, target):
        return target if absolute else relative_link(rel, content_url)

    if len(entries) == 1 and not entries[0][1]:
        _, _, title, content_url, target = entries[0]
        return redirect_page(title, link(content_url, target), target)
    script = setting(settings, "LEGACY_REDIRECTS_SCRIPT_SAVE_AS")
    script_src = new_url(settings, script) if absolute else relative_link(rel, script)
    return dispatcher_page([(q, title, link(url, target)) for _, q, title, url, target in entries], script_src)


def needs_script(files):
    """True when some old path is a dispatcher page (several or query URLs)."""
    return any(len(entries) > 1 or entries[0][1] for entries in files.values())


# --- signal handlers --------------------------------------------------------------------------


def prepare(generators):
    """Plan the redirects once every output path is known; declare them to build_guard."""
    if not generators:
        return
    context = generators[0].context
    files, map_lines = plan_redirects(generators)
    context["legacy_redirects"] = {"files": files, "map": map_lines}
    claims = context.setdefault("build_guard_claims", [])
    settings = generators[0].settings
    if setting(settings, "LEGACY_REDIRECTS_PAGES"):
        for rel, entries in sorted(files.items()):
            claims.append((rel, "the redirect page of " + ", ".join(sorted(e[0] for e in entries))))
        if needs_script(files):
            claims.append((setting(settings, "LEGACY_REDIRECTS_SCRIPT_SAVE_AS"), "the legacy dispatcher script"))
    map_save_as = setting(settings, "LEGACY_REDIRECTS_MAP_SAVE_AS")
    if map_save_as:
        claims.append((map_save_as, "the legacy redirects map"))


class RedirectsGenerator:
    """Writes what ``prepare`` planned, in the output phase (after articles and pages)."""

    def __init__(self, context, settings, path, theme, output_path, *args, **kwargs):
        self.context = context
        self.settings = settings
        self.output_path = output_path

    def generate_output(self, writer):
        plan = self.context.get("legacy_redirects")
        if plan is None:
            return
        out = self.output_path
        if setting(self.settings, "LEGACY_REDIRECTS_PAGES"):
            for rel, entries in sorted(plan["files"].items()):
                _write(posixpath.join(out, rel), _page_for(self.settings, rel, entries))
            if needs_script(plan["files"]):
                _write(posixpath.join(out, setting(self.settings, "LEGACY_REDIRECTS_SCRIPT_SAVE_AS")),
                       DISPATCHER_SCRIPT)
        map_save_as = setting(self.settings, "LEGACY_REDIRECTS_MAP_SAVE_AS")
        if map_save_as:
            _write(posixpath.join(out, map_save_as), "".join(line + "\n" for line in plan["map"]))


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def get_generators(pelican):
    return RedirectsGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(prepare)
