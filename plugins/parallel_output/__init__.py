"""parallel_output: Pelican's pages rendered and written by several processes at once."""

from .parallel_output import register  # noqa: F401
