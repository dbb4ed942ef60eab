"""What the reader's portal theme needs from the content (issue 12); see portal_theme.py."""

from .portal_theme import register

__all__ = ["register"]
