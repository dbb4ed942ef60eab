"""build_guard: nothing is lost, nothing is overwritten, nothing escapes the output folder.

Signals (in order of a build):

- ``article_generator_pretaxonomy`` / ``page_generator_finalized``: every article or page whose
  output path is unsafe (absolute, ``..``, backslash, empty slug) is refused with an error
  naming its file, before anything is written;
- ``all_generators_finalized``: every output path claimed by two sources (articles, pages,
  static files, listings, and the paths other plugins declare in ``context["build_guard_claims"]``)
  fails the build naming both; the build summary is computed and every source that is neither
  published nor held back (draft, hidden, scheduled) fails the build naming it;
- ``finalized``: prints ``build summary: found N, published N, drafts N, scheduled N, hidden N,
  failed N, pages N`` and writes it as JSON to ``BUILD_GUARD_REPORT`` when that setting is set
  (``invoke publish`` reads it to verify a build before swapping it in).

Other plugins that write files of their own declare them before writing, e.g. in
``all_generators_finalized`` (run before this plugin's check when listed earlier in PLUGINS)::

    generator.context.setdefault("build_guard_claims", []).append((save_as, "campaign page X"))

A plugin that writes a copy beside every file of some kinds declares a rule instead of one
claim per copy (at 100,000 articles, 200,000 claims held for the whole build were 57 MB)::

    context.setdefault("build_guard_derived", []).append((".gz", (".html", ".css"), "the gzip copy of"))

claims ``X.gz`` ("the gzip copy of X") for every claimed ``X`` ending in one of the extensions
(case-insensitively); the rule's claims are made only while the claims are checked. A fourth
item, paths that get the copy too when nothing claims them (files Pelican copies that no
generator lists), extends the rule to those paths.

State lives in the build's settings dict (one per Pelican run), never in module globals.
"""

import fnmatch
import json
import logging
import os
import posixpath

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.paginator import Paginator
from plugins.vntext.normalize import CONTROL_CHARS

logger = logging.getLogger(__name__)

SOURCE_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
STATE_KEY = "BUILD_GUARD_STATE"
# Longest file or folder name most filesystems accept (bytes); ext4 refuses longer names.
MAX_NAME_BYTES = 255
ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations",
              "draft_pages", "draft_translations")


# --- pure helpers ---------------------------------------------------------------------------


def unsafe_output(save_as):
    """Why ``save_as`` could write outside its place, or "" when it is safe."""
    if save_as is None or save_as == "" or save_as is False:
        return ""  # not written at all (drafts)
    text = str(save_as)
    if "\\" in text:
        return f"output path {text!r} contains a backslash"
    if text.startswith("/") or os.path.isabs(text):
        return f"output path {text!r} is absolute"
    parts = text.split("/")
    if ".." in parts:
        return f"output path {text!r} goes up with '..'"
    if any(part in ("", ".") for part in parts[:-1]) or parts[-1] in ("", ".", ".html"):
        return f"output path {text!r} has an empty part (empty slug?)"
    longest = max(parts, key=lambda part: len(part.encode("utf-8")))
    if len(longest.encode("utf-8")) > MAX_NAME_BYTES:
        return (f"output file name is {len(longest.encode('utf-8'))} bytes long (limit {MAX_NAME_BYTES}): "
                "the title is too long for a URL, add a shorter 'Slug:'")
    return ""


def control_character(content):
    """(field, character) of the first control character in a content's text, or None."""
    for name in ("title", "_content", "summary"):
        value = getattr(content, name, None)
        # Control characters are invisible and make the feeds invalid XML (vntext's one table).
        match = CONTROL_CHARS.search(value) if isinstance(value, str) else None
        if match:
            return name.strip("_"), match.group(0)
    return None


def unsafe_slug(slug):
    """Why a slug is not a single safe URL word, or ""."""
    if slug is None:
        return ""
    text = str(slug)
    if not text.strip():
        return "the slug is empty"
    if "/" in text or "\\" in text:
        return f"Slug {text!r} contains a slash"
    if ".." in text:
        return f"Slug {text!r} contains '..'"
    return ""


def source_of(content):
    # Pelican computes relative_source_path once, when the content is created; recomputing it
    # (two abspath and a relpath) for every claim made the claims checks 2 % of a build.
    known = getattr(content, "relative_source_path", None)
    if isinstance(known, str):
        return known
    return content.get_relative_source_path() if hasattr(content, "get_relative_source_path") else str(content)


def _owners(claims):
    """{normalised output path: [distinct owners, in claim order]}."""
    owners = {}
    for save_as, owner in claims:
        if not save_as:
            continue
        key = posixpath.normpath(str(save_as).replace("\\", "/"))
        if owner not in owners.setdefault(key, []):
            owners[key].append(owner)
    return owners


def find_duplicates(claims):
    """{save_as: [owners...]} for every normalised output path claimed more than once."""
    return {k: sorted(v) for k, v in sorted(_owners(claims).items()) if len(v) > 1}


FOLDER_MARK = " (as a folder)"


def find_conflicts(claims):
    """{save_as: [owners...]} for every output path claimed twice, or claimed as a file while
    another claim needs it as a folder (``feeds/all.atom.xml`` and ``feeds/all.atom.xml/x.html``;
    those owners are marked ``(as a folder)``). Cost: claims x path depth, set look-ups only."""
    owners = _owners(claims)
    conflicts = {k: sorted(v) for k, v in sorted(owners.items()) if len(v) > 1}
    for key, users in owners.items():
        parent = posixpath.dirname(key)
        while parent and parent not in owners:
            parent = posixpath.dirname(parent)
        if parent:
            entry = conflicts.setdefault(parent, sorted(owners[parent]))
            entry += [f"{user}{FOLDER_MARK}" for user in sorted(users) if f"{user}{FOLDER_MARK}" not in entry]
    return dict(sorted(conflicts.items()))


def format_summary(summary):
    return ("build summary: found {found}, published {published}, drafts {drafts}, "
            "scheduled {scheduled}, hidden {hidden}, failed {failed}, pages {pages}").format(**summary)


# --- signal handlers --------------------------------------------------------------------------


def _state(settings):
    return settings.setdefault(STATE_KEY, {"refused": {}})


def reset_state(pelican):
    pelican.settings[STATE_KEY] = {"refused": {}}


def _refuse_unsafe(generator, lists):
    state = _state(generator.settings)
    for name in lists:
        items = getattr(generator, name, None)
        if not items:
            continue
        kept = []
        for content in items:
            reason = unsafe_slug(getattr(content, "slug", None)) if content.status != "draft" else ""
            reason = reason and f"{reason}; use a single lower-case word like 'bai-viet'"
            if not reason and content.status != "draft":
                reason = unsafe_output(content.save_as)
            bad = control_character(content)
            if not reason and bad:
                reason = (f"the {bad[0]} contains the invisible control character U+{ord(bad[1]):04X}, "
                          "which breaks the feeds; delete it (invoke check shows the line)")
            if reason:
                path = source_of(content)
                state["refused"][path] = reason
                logger.error("build_guard: %s: %s", path, reason)
                continue
            kept.append(content)
        setattr(generator, name, kept)


def check_articles(generator):
    _refuse_unsafe(generator, ARTICLE_LISTS)


def check_pages(generator):
    _refuse_unsafe(generator, PAGE_LISTS)


def paginated_claims(settings, template, save_as, url, objects, owner):
    """(save_as, owner) of a listing and of its pages 2, 3, ... exactly as Pelican's writer paginates."""
    if not save_as:
        return []
    paginated = settings.get("PAGINATED_TEMPLATES") or {}
    per_page = (paginated.get(template) or settings.get("DEFAULT_PAGINATION")) if template in paginated else 0
    objects = list(objects)
    if not per_page or not objects:
        return [(save_as, owner)]
    paginator = Paginator(save_as, url, objects, settings, per_page)
    return [(paginator.page(n).save_as, owner if n == 1 else f"{owner}, page {n}")
            for n in range(1, paginator.num_pages + 1)]


def _feed_claims(generator):
    """Every feed ``ArticlesGenerator.generate_feeds`` writes."""
    settings = generator.settings
    claims = []
    for key, label in (("FEED_ATOM", "the Atom feed"), ("FEED_RSS", "the RSS feed"),
                       ("FEED_ALL_ATOM", "the Atom feed of all articles"),
                       ("FEED_ALL_RSS", "the RSS feed of all articles")):
        if settings.get(key):
            claims.append((settings[key], f"{label} ({key})"))
    groups = (("CATEGORY", "category", [c for c, _ in getattr(generator, "categories", None) or []]),
              ("AUTHOR", "author", [a for a, _ in getattr(generator, "authors", None) or []]),
              ("TAG", "tag", list(getattr(generator, "tags", None) or {})))
    for prefix, label, items in groups:
        for kind in ("ATOM", "RSS"):
            pattern = settings.get(f"{prefix}_FEED_{kind}")
            if pattern:
                for item in items:
                    claims.append((str(pattern).format(slug=item.slug),
                                   f"the {kind.title()} feed of the {label} {str(item)!r} ({prefix}_FEED_{kind})"))
    langs = sorted({getattr(a, "lang", "") for a in list(getattr(generator, "articles", []))
                    + list(getattr(generator, "translations", []))} - {""})
    for kind in ("ATOM", "RSS"):
        pattern = settings.get(f"TRANSLATION_FEED_{kind}")
        if pattern:
            claims += [(str(pattern).format(lang=lang), f"the {lang} translation feed") for lang in langs]
    return claims


def _theme_claims(generator):
    """Files Pelican copies from the theme's THEME_STATIC_PATHS into THEME_STATIC_DIR/."""
    settings = generator.settings
    theme = getattr(generator, "theme", settings.get("THEME", ""))
    destination = str(settings.get("THEME_STATIC_DIR", "theme")).strip("/")
    ignores = settings.get("IGNORE_FILES", [])
    claims = []
    for path in settings.get("THEME_STATIC_PATHS", []):
        source = os.path.join(theme, path)
        if os.path.isfile(source):
            files = [(source, os.path.basename(path))]
        else:
            files = []
            for dirpath, dirs, names in os.walk(source):
                dirs[:] = sorted(d for d in dirs if not any(fnmatch.fnmatch(d, i) for i in ignores))
                rel = os.path.relpath(dirpath, source)
                files += [(os.path.join(dirpath, n), posixpath.normpath(posixpath.join(rel.replace(os.sep, "/"), n)))
                          for n in sorted(names) if not any(fnmatch.fnmatch(n, i) for i in ignores)]
        for file_path, rel in files:
            theme_rel = os.path.relpath(file_path, theme).replace(os.sep, "/")
            claims.append((posixpath.join(destination, rel), f"the theme file {theme_rel}"))
    return claims


def _listing_claims(generator):
    settings = generator.settings
    claims = []
    for attr, label in (("categories", "category"), ("tags", "tag"), ("authors", "author")):
        items = getattr(generator, attr, None) or []
        for item in (items.items() if isinstance(items, dict) else items):
            wrapper, members = item if isinstance(item, tuple) else (item, [])
            sources = ", ".join(sorted(source_of(a) for a in members)[:3])
            owner = f"the {label} page {str(wrapper)!r}" + (f" (used in {sources})" if sources else "")
            claims += paginated_claims(settings, label, getattr(wrapper, "save_as", ""),
                                getattr(wrapper, "url", ""), members, owner)
    for period, archives in sorted((getattr(generator, "period_archives", None) or {}).items()):
        for archive in archives:
            claims.append((archive.get("save_as"), f"the {period} archive {archive.get('save_as')}"))
    for template in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        url = settings.get(f"{template.upper()}_URL", f"{template}.html")
        claims += paginated_claims(settings, template, save_as, url, getattr(generator, "articles", []),
                            f"the {template} listing")
    return claims


def output_claims(generators):
    """(save_as, owner) of every file the build will write: articles, pages, listings and their
    pages 2+, feeds, static files, theme files, template pages, and what other plugins declared in
    ``context["build_guard_claims"]`` (so far). plugins.legacy_redirects checks old URLs against it."""
    claims = []
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            for name in ARTICLE_LISTS:
                for article in getattr(generator, name, []):
                    claims.append((article.save_as, source_of(article)))
            claims += _listing_claims(generator)
            claims += _feed_claims(generator)
        elif isinstance(generator, PagesGenerator):
            for name in PAGE_LISTS:
                for page in getattr(generator, name, []):
                    claims.append((page.save_as, source_of(page)))
        elif isinstance(generator, StaticGenerator):
            for static in getattr(generator, "staticfiles", []):
                claims.append((static.save_as, source_of(static)))
            claims += _theme_claims(generator)
    if generators:
        for source, save_as in sorted((generators[0].settings.get("TEMPLATE_PAGES") or {}).items()):
            claims.append((save_as, f"the template page {source}"))
        for save_as, owner in generators[0].context.get("build_guard_claims", []):
            claims.append((save_as, owner))
        claims += derived_claims(claims, generators[0].context.get("build_guard_derived", []))
    return claims


def derived_claims(claims, rules):
    """``(X + suffix, f"{owner} {X}")`` for each claimed path ``X`` (once) that ends in one
    of a rule's extensions, for each ``(suffix, extensions, owner[, also])`` of ``rules``;
    ``also``: more paths ``X``, claimed or not."""
    derived = []
    planned = {str(save_as) for save_as, _owner in claims if save_as} if rules else set()
    for suffix, extensions, owner, *also in rules:
        extensions = tuple(e.lower() for e in extensions)
        paths = planned.union(*also) if also else planned
        derived += sorted((f"{path}{suffix}", f"{owner} {path}") for path in paths
                          if path.lower().endswith(extensions))
    return derived


def _is_source(path):
    return path.lower().endswith(SOURCE_EXTENSIONS)


def _found(generator, paths_key, excludes_key):
    files = generator.get_files(generator.settings[paths_key],
                                exclude=generator.settings.get(excludes_key, []), extensions=False)
    return sorted(os.path.normpath(f).replace(os.sep, "/") for f in files if _is_source(f))


def summarize(generators):
    """Count sources and sort them into published/drafts/scheduled/hidden/failed/lost."""
    articles_gen = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    pages_gen = next((g for g in generators if isinstance(g, PagesGenerator)), None)
    summary = {"found": 0, "published": 0, "drafts": 0, "scheduled": 0, "hidden": 0, "failed": 0,
               "pages": 0, "failed_files": [], "lost": [], "lost_pages": []}
    if articles_gen is None:
        return summary
    state = _state(articles_gen.settings)
    generated = articles_gen.context.get("generated_content", {})
    failed = {os.path.normpath(p).replace(os.sep, "/") for p, c in generated.items() if c is None}
    failed |= set(state["refused"])
    found = _found(articles_gen, "ARTICLE_PATHS", "ARTICLE_EXCLUDES")
    kind = {}
    for name in ARTICLE_LISTS:
        for article in getattr(articles_gen, name, []):
            path = source_of(article)
            if getattr(article, "scheduled", False):
                kind[path] = "scheduled"
            elif article.status == "draft":
                kind[path] = "drafts"
            elif article.status == "hidden":
                kind[path] = "hidden"
            else:
                kind[path] = "published"
    summary["found"] = len(found)
    for path in found:
        if path in kind:
            summary[kind[path]] += 1
        elif path in failed:
            summary["failed"] += 1
            summary["failed_files"].append(path)
        else:
            summary["lost"].append(path)
    if pages_gen is not None:
        page_sources = _found(pages_gen, "PAGE_PATHS", "PAGE_EXCLUDES")
        seen = {source_of(p) for name in PAGE_LISTS for p in getattr(pages_gen, name, [])}
        summary["pages"] = len([p for p in page_sources if p in seen])
        for path in page_sources:
            if path in seen:
                continue
            if path in failed:
                summary["failed"] += 1
                summary["failed_files"].append(path)
            else:
                summary["lost_pages"].append(path)
    return summary


def guard_outputs(generators):
    if not generators:
        return
    settings = generators[0].settings
    state = _state(settings)
    claims = output_claims(generators)
    if settings.get("BUILD_GUARD_CLAIMS_REPORT"):
        owners = {}
        for save_as, owner in claims:
            if save_as:
                owners.setdefault(posixpath.normpath(str(save_as)), owner)
        _write_json(settings["BUILD_GUARD_CLAIMS_REPORT"], dict(sorted(owners.items())))
    conflicts = find_conflicts(claims)
    sources = {source_of(c): c for g in generators for name in ARTICLE_LISTS + PAGE_LISTS
               for c in getattr(g, name, []) or [] if hasattr(c, "save_as")}
    for save_as, owners in conflicts.items():
        # Never let the writer overwrite a file with an article: keep at most one article, and none
        # when the other owner is a feed, a theme file or a plugin's file.
        plain = [o.removesuffix(FOLDER_MARK) for o in owners]
        keep = plain[0] if all(o in sources for o in plain) else None
        for owner in plain:
            if owner in sources and owner != keep:
                sources[owner].override_save_as = ""
    if conflicts:
        lines = [f"{' and '.join(owners)} would {'both' if len(owners) == 2 else 'all'} write the same "
                 f"file {save_as}" for save_as, owners in conflicts.items()]
        logger.error("build_guard: %s; give the article a different title or 'Slug:', or fix its "
                     "Original_URL:", ";\n  ".join(lines))
    summary = summarize(generators)
    state["summary"] = summary
    for path in summary["lost"] + summary["lost_pages"]:
        logger.error("build_guard: %s was not published: it is not a draft, hidden or scheduled "
                     "article (check its Status: and file extension)", path)
    for path in summary["failed_files"]:
        logger.error("build_guard: %s could not be built (see the error above)", path)


def freeze_urls(generators):
    """Compute each article's and page's ``url`` once, now that nothing changes it any more.

    Pelican's ``Content.url`` re-expands ``ARTICLE_URL`` from a copy of the metadata (and a
    ``relpath`` of the source) on every access; templates, feeds, sitemaps and listings read it
    tens of times per article (12 % of a build). This handler runs last in
    ``all_generators_finalized`` (build_guard is the last plugin): slugs, dates, statuses and
    categories are settled, and output has not begun. ``override_url`` is Pelican's own hook
    for a fixed URL; ``save_as`` is left alone, because ``override_save_as`` also changes how
    the writer treats a second write to the same file.
    """
    for generator in generators:
        lists = ARTICLE_LISTS if isinstance(generator, ArticlesGenerator) else (
            PAGE_LISTS if isinstance(generator, PagesGenerator) else ())
        for name in lists:
            for content in getattr(generator, name, None) or []:
                if not hasattr(content, "override_url"):
                    content.override_url = content.url


def report(pelican):
    state = pelican.settings.get(STATE_KEY) or {}
    summary = state.get("summary")
    if summary is None:
        return
    print(format_summary(summary), flush=True)
    target = pelican.settings.get("BUILD_GUARD_REPORT")
    if target:
        _write_json(target, summary)


def _write_json(target, data):
    tmp = f"{target}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, sort_keys=True, ensure_ascii=False, indent=1)
    os.replace(tmp, target)


def register():
    signals.initialized.connect(reset_state)
    signals.article_generator_pretaxonomy.connect(check_articles)
    signals.page_generator_finalized.connect(check_pages)
    signals.all_generators_finalized.connect(guard_outputs)
    signals.all_generators_finalized.connect(freeze_urls)
    signals.finalized.connect(report)
