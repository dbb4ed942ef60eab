"""Write parsed legacy pages into content/ safely, and report what happened.

Safety rules:

- the same page imported twice gives one article, byte-identical ("unchanged");
- an existing article that differs from what the import would write (an editor
  changed it) is never overwritten without ``force`` ("skipped: edited");
- two different pages whose titles give the same slug in the same month get
  ``slug``, ``slug-2``, ... (with ``Slug:`` metadata), in the order of their sources;
- images found next to a saved page are copied to content/images/yyyy/mm/slug/;
  missing ones are reported (no network access).
"""

import hashlib
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from plugins.legacy_redirects.redirects import old_location, reserved_path
from plugins.vntext import format_short_date, format_time, has_time, nfc, slugify

from .common import ImportError_
from .html2md import collapse_ws, escape_inline
from .htmlpage import parse_html_page
from .textdump import parse_text_dump

HTML_SUFFIXES = {".htm", ".html", ".xhtml", ".shtml", ".aspx", ".asp", ".php"}
TEXT_SUFFIXES = {".txt"}
STATUSES = ("imported", "updated", "unchanged", "skipped", "failed")
IMAGE_MD_RE = re.compile(r"!\[([^\]]*)\]\(\x00IMG(\d+)\x00\)")
MAX_SLUG_SUFFIX = 50


@dataclass
class Outcome:
    source: str
    status: str  # one of STATUSES
    article: str = ""
    reason: str = ""
    original_url: str = ""
    warnings: list = field(default_factory=list)

    def as_dict(self):
        return {
            "source": self.source,
            "status": self.status,
            "article": self.article,
            "reason": self.reason,
            "original_url": self.original_url,
            "warnings": list(self.warnings),
        }


@dataclass
class Report:
    outcomes: list = field(default_factory=list)

    def counts(self):
        return {s: sum(1 for o in self.outcomes if o.status == s) for s in STATUSES}

    @property
    def failed(self):
        return any(o.status == "failed" for o in self.outcomes)

    def as_dict(self):
        return {"counts": self.counts(), "items": [o.as_dict() for o in self.outcomes]}


def find_sources(paths):
    """Files to import under ``paths`` (files or folders), sorted, without saved-page assets."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel_parts = child.relative_to(path).parts
                if any(part.endswith("_files") or part.startswith(".") for part in rel_parts[:-1]):
                    continue
                if child.is_file() and child.suffix.lower() in HTML_SUFFIXES | TEXT_SUFFIXES:
                    found.append(child)
        else:
            found.append(path)
    return found


def parse_source(path):
    data = path.read_bytes()
    head = data[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    is_html = path.suffix.lower() in HTML_SUFFIXES or head.startswith((b"<!doctype", b"<html", b"<!--"))
    return parse_html_page(path, data) if is_html else parse_text_dump(path, data)


def read_metadata(text):
    """Header ``Key: value`` lines of a Markdown article, keys lower-cased."""
    meta = {}
    for line in text.split("\n"):
        if not line.strip():
            break
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"[A-Za-z_][\w-]*", key.strip()):
            meta[key.strip().lower()] = value.strip()
    return meta


def date_value(dt):
    value = format_short_date(dt)
    return f"{value} {format_time(dt)}" if has_time(dt) else value


def render(article, slug, suffixed, image_targets):
    """The Markdown file for an article (deterministic: same page, same bytes)."""

    def image(match):
        alt, index = match.group(1), int(match.group(2))
        target = image_targets.get(index)
        if target:
            return f"![{alt}]({target})"
        return escape_inline(alt) if alt else ""

    body = IMAGE_MD_RE.sub(image, article.body)
    body = re.sub(r"\n{3,}", "\n\n", body).strip("\n")
    lines = [f"Title: {one_line(article.title)}", f"Date: {date_value(article.date)}"]
    if article.category:
        lines.append(f"Category: {one_line(article.category)}")
    if article.author:
        lines.append(f"Author: {one_line(article.author)}")
    if article.summary:
        lines.append(f"Summary: {one_line(article.summary)}")  # plain text (FORMATTED_FIELDS = [])
    if article.original_url:
        lines.append(f"Original_URL: {one_line(article.original_url)}")
    lines.append(f"Imported_From: {one_line(article.source.name)}")
    if suffixed:
        lines.append(f"Slug: {slug}")
    return nfc("\n".join(lines) + "\n\n" + body + "\n")


def one_line(value):
    return collapse_ws(str(value)).strip()


def _same_article(existing_meta, article):
    """Does an existing file hold (an edited version of) this page?"""
    url = existing_meta.get("original_url", "")
    if url or article.original_url:
        if url and article.original_url:
            return url == article.original_url
    if existing_meta.get("imported_from") and existing_meta["imported_from"] == article.source.name:
        return True
    same_title = one_line(existing_meta.get("title", "")) == one_line(article.title)
    same_day = existing_meta.get("date", "")[:10] == format_short_date(article.date)
    return same_title and same_day


def choose_target(content_dir, article, base_slug, claimed):
    """(path, slug, suffixed) for the article: its own earlier import, or a free name."""
    folder = content_dir / f"{article.date:%Y}" / f"{article.date:%m}"
    for n in range(1, MAX_SLUG_SUFFIX + 1):
        slug = base_slug if n == 1 else f"{base_slug}-{n}"
        path = folder / f"{slug}.md"
        if path in claimed:
            continue  # another page of this run got it
        if not path.exists():
            return path, slug, n > 1
        meta = read_metadata(path.read_text(encoding="utf-8-sig", errors="replace"))
        if _same_article(meta, article):
            return path, slug, n > 1
    raise ImportError_(f"more than {MAX_SLUG_SUFFIX} articles named {base_slug!r} in {folder}")


def _file_hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def place_images(article, content_dir, slug, force, dry):
    """Copy the page's local images; return ({index: markdown target}, warnings)."""
    targets = {}
    warnings = []
    used = {}
    for index, ref in enumerate(article.images):
        if ref.local is None:
            label = ref.src
            if ref.remote:
                targets[index] = ref.remote
                warnings.append(f"missing image {label} (linked to the old portal)")
            else:
                warnings.append(f"missing image {label} (alt text kept)")
            continue
        stem = slugify(ref.local.stem) or "anh"
        suffix = ref.local.suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,5}", ref.local.suffix.lower()) else ""
        name = f"{stem}{suffix}"
        digest = _file_hash(ref.local)
        n = 1
        while name in used and used[name] != digest:
            n += 1
            name = f"{stem}-{n}{suffix}"
        used[name] = digest
        rel = Path("images") / f"{article.date:%Y}" / f"{article.date:%m}" / slug / name
        dest = content_dir / rel
        targets[index] = "{static}/" + rel.as_posix()
        if dry:
            continue
        if dest.exists():
            if _file_hash(dest) == digest:
                continue
            if not force:
                warnings.append(f"image {rel.as_posix()} differs from {ref.src}: kept the existing file")
                continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ref.local, dest)
    return targets, warnings


def unusable_original_url(url, namespaces, old_urls, source):
    """Why the page's old URL must not become ``Original_URL:`` (the build would refuse it or its
    redirect would take a file of the new site), or "". ``old_urls``: {map key: source} of this run."""
    try:
        key, rel, _ = old_location(url)
    except ValueError as exc:
        return str(exc)
    owner = reserved_path(rel, namespaces)
    if owner:
        return f"its path {rel} belongs to the new site ({owner}); a redirect there would overwrite it"
    if old_urls.setdefault(key, source) != source:
        return f"{old_urls[key]} has the same old URL"
    return ""


def import_one(path, content_dir, force, claimed, namespaces=(), old_urls=None):
    source = path.as_posix()
    try:
        article = parse_source(path)
    except ImportError_ as exc:
        return Outcome(source, "failed", reason=str(exc))
    except (OSError, ValueError, UnicodeError, RecursionError) as exc:
        return Outcome(source, "failed", reason=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop a run of thousands
        return Outcome(source, "failed", reason=f"cannot parse ({type(exc).__name__}: {exc})")
    if article.original_url:
        why = unusable_original_url(article.original_url, namespaces, {} if old_urls is None else old_urls, source)
        if why:
            article.warnings.append(f"old URL {article.original_url} not kept as Original_URL: {why}")
            article.original_url = ""
    base_slug = slugify(article.title)
    if not base_slug:
        return Outcome(source, "failed", reason=f"title {article.title!r} gives an empty slug")
    try:
        target, slug, suffixed = choose_target(content_dir, article, base_slug, claimed)
    except ImportError_ as exc:
        return Outcome(source, "failed", reason=str(exc), original_url=article.original_url)
    claimed.add(target)
    article_path = target.as_posix()
    outcome = Outcome(source, "", article=article_path, original_url=article.original_url,
                      warnings=list(article.warnings))
    # Decide first (dry run for image targets), write afterwards.
    targets, _ = place_images(article, content_dir, slug, force, dry=True)
    text = render(article, slug, suffixed, targets)
    existed = target.exists()
    if existed:
        current = target.read_bytes()
        if current == text.encode("utf-8"):
            outcome.status = "unchanged"
        elif not force:
            outcome.status = "skipped"
            outcome.reason = "edited: the existing article differs (use --force to overwrite)"
            return outcome
        else:
            outcome.status = "updated"
            outcome.reason = "overwritten (--force)"
    else:
        outcome.status = "imported"
    _, image_warnings = place_images(article, content_dir, slug, force, dry=False)
    outcome.warnings += image_warnings
    if outcome.status != "unchanged":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    return outcome


def import_paths(paths, content_dir, force=False, progress=None, settings=None):
    """Import every page under ``paths`` into ``content_dir``; return a Report.

    ``settings`` (Pelican's, e.g. of pelicanconf.py): old URLs inside the new site's output paths
    are not copied (see ``legacy_redirects.site_namespaces``); without it only the theme folder
    and the redirects map are protected.
    """
    from plugins.legacy_redirects.redirects import site_namespaces  # noqa: PLC0415

    content_dir = Path(content_dir)
    report = Report()
    sources = find_sources(paths)
    claimed = set()
    namespaces = site_namespaces(settings or {})
    old_urls = {}
    for i, path in enumerate(sources, 1):
        if not path.exists():
            report.outcomes.append(Outcome(path.as_posix(), "failed", reason="no such file"))
        else:
            report.outcomes.append(import_one(path, content_dir, force, claimed, namespaces, old_urls))
        if progress:
            progress(i, len(sources), path)
    return report


# -- terminal output ---------------------------------------------------------
def progress_bar(stream=None, width=30):
    stream = stream or sys.stderr

    def show(done, total, path):
        filled = int(width * done / total) if total else width
        name = path.name[-40:]
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name:<40}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def format_table(report):
    rows = [("STATUS", "SOURCE", "ARTICLE", "REASON / WARNINGS")]
    for o in report.outcomes:
        notes = "; ".join(([o.reason] if o.reason else []) + o.warnings)
        rows.append((o.status, o.source, o.article or "-", notes or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = []
    for r in rows:
        lines.append("  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
    counts = report.counts()
    lines.append("")
    lines.append(", ".join(f"{counts[s]} {s}" for s in STATUSES))
    return "\n".join(lines) + "\n"
