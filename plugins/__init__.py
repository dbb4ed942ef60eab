"""Pelican plugins of the Vĩnh Yên news archive (one package per plugin)."""
