"""Validate a content tree without building it (``invoke check``).

``check_tree(path, settings)`` runs the content rules of :mod:`plugins.content_rules` (the
same ones the build runs) over every source under ``path`` and returns the problems sorted.
Nothing here decides what a rule is: discovery, reading, per-file and tree-wide rules all
come from ``plugins.content_rules``; this module only walks the tree and applies ``--fix``.
"""

import os

from plugins.content_rules import (
    DEFAULTS,
    ERROR,
    NOTE,
    WARNING,
    Context,
    Problem,
    check_entries,
    check_source,
    discover,
    fix_file,
    is_page_path,
    load_campaigns,
    read_source,
)

__all__ = ["DEFAULTS", "ERROR", "NOTE", "WARNING", "Problem", "check_tree", "fix_file"]


def check_tree(root, settings, display_base=None, fix=False):
    """Check every source under ``root``; return (problems sorted, number of files checked, fixed)."""
    root = os.path.abspath(root)
    ctx = Context(root=root, settings=settings, display_base=display_base or "")
    ctx.campaigns = load_campaigns(ctx)
    problems, entries, fixed = [], [], []
    if ctx.campaign_error:
        path, message = ctx.campaign_error
        problems.append(ctx.problem(path, 1, ERROR, "campaign-registry",
                                    f"cannot load the campaign registry: {message}"))
    found = discover(root, settings, ctx)
    problems += found.problems
    for path, rel in found.sources:
        if fix and fix_file(path):
            fixed.append(ctx.display(path))
        file_problems, entry = check_source(ctx, read_source(path), rel, is_page_path(rel, settings))
        problems += file_problems
        if entry is not None:
            entries.append(entry)
    problems += check_entries(ctx, entries)
    return sorted(problems), len(found.sources), fixed
