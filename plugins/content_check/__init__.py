"""content_check: validate content/ without building (``invoke check``).

The rules themselves live in :mod:`plugins.content_rules`, shared with the build.
"""

from .checks import DEFAULTS, Problem, check_tree, fix_file
from .cli import main

__all__ = ["DEFAULTS", "Problem", "check_tree", "fix_file", "main"]
