"""Editors' command-line helpers (no Pelican signals): creating new article files."""
