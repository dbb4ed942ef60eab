"""Command line: ``python3 -m plugins.content_check [--fix] [--settings FILE] [PATH]``.

Prints one ``path:line: error|warning: message [code]`` line per problem, then a summary line;
exits 1 when there is at least one error (warnings alone exit 0), 2 on bad usage.
"""

import argparse
import locale
import os
import sys

from .checks import ERROR, WARNING, check_tree

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_settings(settings_file):
    """Pelican's own settings reader, so defaults and relative paths match the build."""
    from pelican.settings import read_settings  # noqa: PLC0415

    # read_settings applies the LOCALE setting process-wide ("C" here): put the caller's back,
    # or every later text-mode subprocess of this process would decode as ASCII.
    saved = locale.setlocale(locale.LC_ALL)
    try:
        return read_settings(os.path.abspath(settings_file))
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m plugins.content_check",
        description="Check the content tree without building the site.",
    )
    parser.add_argument("path", nargs="?", help="content folder (default: PATH from the settings)")
    parser.add_argument("--fix", action="store_true",
                        help="normalise files in place (NFC, no BOM, LF) before checking")
    parser.add_argument("--settings", "-s", default=os.path.join(REPO, "pelicanconf.py"),
                        help="Pelican settings file (default: pelicanconf.py of the repository)")
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    root = args.path or settings.get("PATH", "content")
    if not os.path.isdir(root):
        print(f"{root}: error: not a folder", file=sys.stderr)
        return 2
    problems, checked, fixed = check_tree(root, settings, fix=args.fix)
    for path in fixed:
        print(f"{path}:1: note: normalised in place (NFC, no BOM, LF line endings, no invisible characters) [fixed]")
    for item in problems:
        print(item.format())
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = sum(1 for p in problems if p.severity == WARNING)
    files = len({p.path for p in problems})
    fixed_text = f", {len(fixed)} fixed" if args.fix else ""
    print(f"content check: {checked} source file(s) checked, {errors} error(s), "
          f"{warnings} warning(s) in {files} file(s){fixed_text}")
    return 1 if errors else 0
