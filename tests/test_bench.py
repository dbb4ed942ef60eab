"""Smoke run of the benchmark (CI keeps it tiny) and the determinism it reports."""

from benchmarks.build import run, tree_digest
from conftest import ROOT, run_build


def test_bench_smoke_builds_identical_rebuilds():
    figures = run(40, repeat=2)
    assert figures["articles"] == 40
    assert figures["output_files"] > 40  # one page per article plus listings
    assert figures["identical_rebuilds"] is True


def test_sample_site_builds_are_byte_identical(tmp_path):
    first = run_build(ROOT / "content", tmp_path / "a")
    second = run_build(ROOT / "content", tmp_path / "b")
    assert first.returncode == 0 and second.returncode == 0, first.log + second.log
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
