"""content_rules: the one set of content rules that ``invoke check`` and the build both run.

A library (no ``register()``):

- :mod:`.discovery`: which files under content/ are sources (symlinks, hidden names, ``.MD``);
- :mod:`.header`: reading a source and its strict metadata header, the allowed keys table;
- :mod:`.characters`: invisible characters by class (removed, or refused);
- :mod:`.repairs`: what the build repairs on read and ``invoke check --fix`` rewrites;
- :mod:`.rules`: every rule, returning :class:`Problem` (path, line, severity, code, message);
- :mod:`.html_safety`: the body HTML allow-list (``nh3``) and what it removes, by line;
- :mod:`.original_url`: validation of ``Original_URL:``.
"""

from .discovery import discover, is_excluded, is_page_path, outside_root
from .header import FORBIDDEN_KEYS, KEYS, read_source, value_problem
from .problems import DEFAULTS, ERROR, NOTE, WARNING, Context, Problem, load_campaigns
from .repairs import fix_file, repaired_text
from .rules import Entry, check_entries, check_source, parse_date, title_slug

__all__ = [
    "DEFAULTS", "ERROR", "FORBIDDEN_KEYS", "KEYS", "NOTE", "WARNING", "Context", "Entry", "Problem",
    "check_entries", "check_source", "discover", "fix_file", "is_excluded", "is_page_path",
    "load_campaigns", "outside_root", "parse_date", "read_source", "repaired_text", "title_slug",
    "value_problem",
]
