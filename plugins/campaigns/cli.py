"""Editors' tools behind `invoke campaigns` (the task is a thin wrapper).

    python3 -m plugins.campaigns.cli                 every campaign with its article count
    python3 -m plugins.campaigns.cli --explain FILE  which campaigns FILE gets, and why

Sources are read with the project's own reader (plugins.vn_reader: NFC, day-first dates) and
tagged by the same code as the build (:func:`plugins.campaigns.campaigns.tag_article`).
"""

import argparse
import locale
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pelican.settings import read_settings

from plugins.vntext import format_short_date

from .campaigns import article_fields, assess_article, load_state, tag_article

ROOT = Path(__file__).resolve().parents[2]
SOURCE_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")


@dataclass
class SourceArticle:
    """The parts of a Pelican article that tagging reads, from one source file."""

    source_path: str
    relative_source_path: str
    title: str
    date: object
    _content: str
    metadata: dict = field(default_factory=dict)


def read_source(path, settings, base=None):
    """Read one article source like the build does; raise ValueError with the reason."""
    from plugins.vn_reader.reader import VietnameseMarkdownReader  # noqa: PLC0415

    content, metadata = VietnameseMarkdownReader(settings).read(str(path))
    if "date" not in metadata:
        raise ValueError(f"{path}: no Date: line")
    base = base or settings.get("PATH") or os.path.dirname(path)
    return SourceArticle(
        source_path=str(path),
        relative_source_path=os.path.relpath(path, base),
        title=metadata.get("title", ""),
        date=metadata["date"],
        _content=content,
        metadata=metadata,
    )


def project_settings(settings_file=None):
    """Pelican settings from ``settings_file`` (default pelicanconf.py). Pelican's
    read_settings applies LOCALE process-wide; the caller's locale is restored."""
    saved = locale.setlocale(locale.LC_ALL)
    try:
        return read_settings(str(settings_file or ROOT / "pelicanconf.py"))
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def article_sources(settings):
    """Article source files below PATH (ARTICLE_EXCLUDES skipped), sorted."""
    content = Path(settings["PATH"])
    excludes = [content / e for e in settings.get("ARTICLE_EXCLUDES", [])]
    for path in sorted(content.rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and path.is_file() and not any(
                ex == path or ex in path.parents for ex in excludes):
            yield path


def list_campaigns(settings, out=sys.stdout):
    """Print every campaign with the number of published articles over PATH; return 0/1."""
    state = load_state(settings)
    if state is None or not state.pages:
        print(f"no usable campaign registry ({state.registry.source if state else 'broken'})", file=out)
        return 1
    counts = {page.slug: 0 for page in state.pages}
    total = untagged = 0
    for path in article_sources(settings):
        article = read_source(path, settings)
        if article.metadata.get("status", "published") not in ("published", "hidden"):
            continue
        total += 1
        pages, _reasons = tag_article(article, state)
        untagged += not pages
        for page in pages:
            counts[page.slug] += 1
    width = max(len(page.slug) for page in state.pages)
    print(f"{len(state.pages)} campaigns in {state.registry.source}; {total} articles in {settings['PATH']}", file=out)
    for page in state.pages:
        print(f"{counts[page.slug]:5d}  {page.slug:<{width}}  {page.name}", file=out)
    print(f"{untagged:5d}  (no campaign)", file=out)
    return 0


def explain(path, settings, out=sys.stdout):
    """Print which campaigns the article at ``path`` gets and why, and why every other campaign
    with evidence in it was not given; return 0/1."""
    state = load_state(settings)
    if state is None or not state.pages:
        print(f"no usable campaign registry ({state.registry.source if state else 'broken'})", file=out)
        return 1
    path = Path(path).resolve()
    content = Path(settings["PATH"]).resolve()
    base = content if content in path.parents else path.parent
    article = read_source(path, settings, base=str(base))
    pages, reasons = tag_article(article, state)
    print(f"{path}", file=out)
    print(f"  Title: {article.title}", file=out)
    print(f"  Date: {format_short_date(article.date)}", file=out)
    events = state.matcher.event_dates(
        dict(zip(("title", "summary", "body"), article_fields(article))), article.date.date())
    for event in events:
        print(f"  Event date: {_span(event)} ({event.text})", file=out)
    declared = article.metadata.get("campaign")
    if declared is not None:
        print(f"  Campaign: {declared}  (metadata wins over the rules)", file=out)
    print(f"Campaigns ({len(pages)}):" if pages else "Campaigns: none", file=out)
    assessments = {a.slug: a for a in assess_article(article, state.matcher)}
    for page in pages:
        assessment = assessments.get(page.slug)
        print(f"  + {page.slug}: {page.name}", file=out)
        if assessment is not None and declared is None:
            _print_assessment(assessment, out)
        else:
            for reason in reasons.get(page.slug, ()):
                print(f"      {reason.describe()}", file=out)
    if "none" in reasons:
        print(f"  {reasons['none'][0].describe()}", file=out)
    tagged = {page.slug for page in pages}
    rest = [a for a in assessments.values() if a.slug not in tagged]
    if rest:
        print("Not tagged:" if declared is None else "Rules alone would give (ignored, metadata wins):", file=out)
        for assessment in rest:
            print(f"  - {assessment.slug}: {assessment.campaign.name}", file=out)
            _print_assessment(assessment, out)
    return 0


def _print_assessment(assessment, out):
    """The decision (why given or not, with the figures), then every piece of evidence."""
    print(f"      {assessment.decision}", file=out)
    for reason in assessment.reasons[1:] + assessment.ignored:
        print(f"        {reason.describe()}", file=out)


def _span(event):
    if event.start == event.end:
        return format_short_date(event.start)
    return f"{format_short_date(event.start)} – {format_short_date(event.end)}"


def main(argv=None, out=sys.stdout):
    parser = argparse.ArgumentParser(prog="invoke campaigns", description=__doc__.split("\n\n")[0])
    parser.add_argument("--explain", metavar="FILE", help="explain the campaigns of one article")
    parser.add_argument("--settings", metavar="FILE", help="Pelican settings (default: pelicanconf.py)")
    parser.add_argument("--content", metavar="DIR", help="content folder (default: the settings' PATH)")
    args = parser.parse_args(argv)
    settings = project_settings(args.settings)
    if args.content:
        settings["PATH"] = os.path.abspath(args.content)
    try:
        if args.explain:
            return explain(args.explain, settings, out)
        return list_campaigns(settings, out)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
