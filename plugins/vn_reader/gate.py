"""The build's side of the content rules: collect every problem, list them all, then fail.

``plugins.content_rules`` holds the rules; ``invoke check`` runs them over the tree, and the
build runs them here, in the same order:

- ``get_generators`` (the start of every run): the discovery of :mod:`plugins.content_rules.discovery` (symlinks out of
  content/, dangling links, hidden sources, ``.MD``), exactly as ``invoke check`` does;
- the reader (``VietnameseMarkdownReader.read``) runs the per-file rules on every source
  and records their problems here; a source with an error is read as an unpublished
  placeholder instead of raising, so Pelican never logs its own error and reading goes on;
- ``article_generator_pretaxonomy`` / ``page_generator_finalized``: refused sources leave
  every list (recorded as failed, as Pelican records a file it could not read);
- ``page_generator_finalized`` (every source is read by then): the tree-wide rules
  (duplicate URLs, missing internal links), then every problem is logged, sorted, as
  ``path:line: severity: message [code]`` and, when there is an error, one final error
  stops the build (``--fatal errors``) before anything is written;
- ``static_generator_finalized``: no static file resolving outside content/ is copied.

State lives in the build's settings dict (one per Pelican run), never in module globals.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from pelican.generators import ArticlesGenerator, PagesGenerator

# The content lists every generator keeps (one definition, with the build guard that also prunes them).
from plugins.build_guard.guard import ARTICLE_LISTS, PAGE_LISTS
from plugins.content_rules import (
    ERROR,
    WARNING,
    Context,
    check_entries,
    discover,
    load_campaigns,
    outside_root,
)

logger = logging.getLogger(__name__)

STATE_KEY = "CONTENT_RULES_STATE"


@dataclass
class GateState:
    ctx: Context
    problems: dict = field(default_factory=dict)  # formatted line -> Problem (deduplicated)
    entries: list = field(default_factory=list)
    refused: set = field(default_factory=set)  # source paths (absolute) read as placeholders
    reported: bool = False
    # False when the reader is used outside a build (``invoke campaigns``): errors then raise.
    collect: bool = True

    def add(self, problems):
        for item in problems:
            self.problems.setdefault(item.format(), item)


def new_state(settings):
    ctx = Context(root=settings.get("PATH", "."), settings=settings)
    ctx.campaigns = load_campaigns(ctx)
    state = GateState(ctx=ctx)
    if ctx.campaign_error:
        path, message = ctx.campaign_error
        state.add([ctx.problem(path, 1, ERROR, "campaign-registry", f"cannot load the campaign registry: {message}")])
    state.add(discover(ctx.root, settings, ctx).problems)
    return state


def state_of(settings):
    """The gate of this build (made on first use when ``start`` did not run: the reader used outside a build)."""
    state = settings.get(STATE_KEY)
    if state is None:
        state = settings[STATE_KEY] = new_state(settings)
        state.collect = False
    return state


def start(pelican):
    """``get_generators``: fired at the start of every run (``pelican --autoreload`` runs the
    same Pelican object again), before any reader exists. Returns no generator."""
    pelican.settings[STATE_KEY] = new_state(pelican.settings)


def _drop_refused(generator, lists):
    state = state_of(generator.settings)
    if not state.refused:
        return
    for name in lists:
        items = getattr(generator, name, None)
        if not items:
            continue
        kept = []
        for content in items:
            if content.source_path in state.refused:
                generator._add_failed_source_path(content.get_relative_source_path())
            else:
                kept.append(content)
        setattr(generator, name, kept)


def drop_refused_articles(generator):
    _drop_refused(generator, ARTICLE_LISTS)


@contextmanager
def _errors_not_fatal():
    """Log every error line; only the final summary error may stop the build (--fatal errors)."""
    from pelican.log import FatalLogger  # noqa: PLC0415

    saved = FatalLogger.fatal_lvl
    FatalLogger.fatal_lvl = logging.CRITICAL + 1
    try:
        yield
    finally:
        FatalLogger.fatal_lvl = saved


def report(state):
    """Log every problem once, sorted; then one error when any is an error."""
    if state.reported:
        return
    state.reported = True
    state.add(check_entries(state.ctx, sorted(state.entries, key=lambda e: e.rel)))
    problems = sorted(state.problems.values())
    errors = [p for p in problems if p.severity == ERROR]
    with _errors_not_fatal():
        for item in problems:
            (logger.error if item.severity == ERROR else logger.warning)("%s", item.format())
    if errors:
        files = len({p.path for p in errors})
        logger.error("content rules: %d error(s) in %d file(s), listed above (invoke check lists the same); "
                     "nothing was published", len(errors), files)
    elif problems:
        logger.info("content rules: %d warning(s), listed above",
                    sum(1 for p in problems if p.severity == WARNING))


def finish_pages(generator):
    _drop_refused(generator, PAGE_LISTS)
    report(state_of(generator.settings))


def finish(generators):
    """Fallback when no pages generator ran: report once every generator is done."""
    for generator in generators:
        if isinstance(generator, (ArticlesGenerator, PagesGenerator)):
            report(state_of(generator.settings))
            return


def keep_static_inside(generator):
    root = generator.settings.get("PATH", ".")
    generator.staticfiles = [s for s in generator.staticfiles if not outside_root(s.source_path, root)]
