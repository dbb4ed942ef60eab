"""Campaign tagging, pages and feeds (issue 4); see campaigns.py."""

from .campaigns import register

__all__ = ["register"]
