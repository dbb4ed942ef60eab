"""Benchmarks: synthetic archives and timed builds (`invoke bench`)."""
