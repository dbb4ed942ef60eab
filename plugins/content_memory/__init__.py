"""content_memory: what each article holds between reading and rendering, made smaller."""

from .content_memory import register  # noqa: F401
