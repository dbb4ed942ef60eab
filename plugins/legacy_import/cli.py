"""Command line: python3 -m plugins.legacy_import SRC... [--content content] [--force] [--report-json FILE]"""

import argparse
import json
import os
import sys
from pathlib import Path

from .importer import format_table, import_paths, progress_bar

# More sources than this get a progress bar on stderr (only when it is a terminal).
PROGRESS_MIN_FILES = 20
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python3 -m plugins.legacy_import",
        description="Import text dumps and saved HTML pages of the old Vĩnh Yên portal "
        "as Markdown articles content/yyyy/mm/slug.md.",
    )
    parser.add_argument("sources", nargs="+", metavar="SRC", help="files or folders to import")
    parser.add_argument("--content", default="content", help="content folder (default: content)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite articles that differ from the import (editors' changes are lost)")
    parser.add_argument("--report-json", metavar="FILE", help="also write the report as JSON ('-' = stdout)")
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help=f"progress bar on stderr (auto: a terminal and more than {PROGRESS_MIN_FILES} files)")
    parser.add_argument("--settings", "-s", default=os.path.join(REPO, "pelicanconf.py"),
                        help="Pelican settings of the new site: old URLs inside its output paths are not "
                        "copied (default: pelicanconf.py of the repository)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no table, only the counts line")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    from .importer import find_sources

    total = len(find_sources(args.sources))
    show = args.progress == "always" or (
        args.progress == "auto" and sys.stderr.isatty() and total > PROGRESS_MIN_FILES
    )
    from plugins.content_check.cli import load_settings  # noqa: PLC0415 (keeps the locale)

    settings = load_settings(args.settings) if os.path.isfile(args.settings) else None
    report = import_paths(args.sources, Path(args.content), force=args.force,
                          progress=progress_bar() if show else None, settings=settings)
    table = format_table(report)
    sys.stdout.write(table.splitlines()[-1] + "\n" if args.quiet else table)
    if args.report_json:
        data = json.dumps(report.as_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        if args.report_json == "-":
            sys.stdout.write(data)
        else:
            Path(args.report_json).write_text(data, encoding="utf-8")
    return 1 if report.failed else 0
