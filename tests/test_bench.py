"""Smoke run of the benchmark (CI keeps it tiny) and the determinism it reports."""

import json
import random

from benchmarks.build import run, table, tree_digest, write_outputs
from benchmarks.synthetic import article_text, write_archive
from conftest import ROOT, run_build


def test_bench_smoke_compares_with_stock_and_times_one_change(tmp_path):
    figures = run(50, repeat=1)
    assert figures["articles"] == 50
    assert figures["output_files"] > 50  # one page per article plus listings
    assert figures["identical_rebuilds"] is True
    assert figures["site_seconds"] > 0 and figures["stock_seconds"] > 0
    assert figures["ratio_site_to_stock"] == figures["site_seconds"] / figures["stock_seconds"]
    assert figures["site_peak_mb"] > 10  # a Python process running Pelican, measured by wait4
    assert figures["site_warm_peak_mb"] > 10 and figures["change_peak_mb"] > 10
    for key in ("add_one", "add_newest", "edit_one", "redate_one", "delete_one"):
        assert figures[f"{key}_seconds"] > 0
        assert figures[f"{key}_rendered"] > 0, key
        # Incremental: pages reused from the build before, except for an article dated after
        # every other one (the date picker of every page shows the last day with news).
        assert figures[f"{key}_kept"] > 0 or key == "add_newest", key
    rows = table([figures]).splitlines()
    assert rows[0].startswith("| articles |") and rows[2].startswith("| 50 |")
    data, plot = write_outputs([figures], tmp_path)
    assert json.loads(data.read_text(encoding="utf-8"))[0]["articles"] == 50
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_without_stock_reports_the_site_alone(tmp_path):
    """``invoke bench --no-stock`` (the 100,000-article memory run): the site's builds only, so
    no stock time, ratio or stock column, and the plot has the site's line alone."""
    figures = run(30, repeat=1, changes=False, stock=False)
    assert figures["articles"] == 30 and figures["site_seconds"] > 0 and figures["site_peak_mb"] > 10
    assert figures["identical_rebuilds"] is True
    assert not [key for key in figures if "stock" in key], figures
    header = table([figures]).splitlines()[0]
    assert "peak MB" in header and "stock" not in header and "ratio" not in header, header
    _data, plot = write_outputs([figures], tmp_path)
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_synthetic_archive_is_deterministic_and_varied(tmp_path):
    write_archive(tmp_path / "a", 300)
    write_archive(tmp_path / "b", 300)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    texts = [p.read_text(encoding="utf-8") for p in sorted((tmp_path / "a").rglob("*.md"))]
    assert len(texts) == 300
    years = {p.parts[-3] for p in (tmp_path / "a").rglob("*.md")}
    assert len(years) >= 10
    assert any("\n## " in t for t in texts) and any("\n- " in t or "\n1. " in t for t in texts)
    assert any("Author:" not in t for t in texts) and any("Tags:" in t for t in texts)
    lengths = sorted(len(t) for t in texts)
    assert lengths[-1] > 4 * lengths[0]  # briefs and long reports
    categories = {line for t in texts for line in t.splitlines() if line.startswith("Category:")}
    assert len(categories) == 6
    _, again = article_text(7, random.Random(1))
    assert again == article_text(7, random.Random(1))[1]


def test_sample_site_builds_are_byte_identical(tmp_path):
    first = run_build(ROOT / "content", tmp_path / "a")
    second = run_build(ROOT / "content", tmp_path / "b")
    assert first.returncode == 0 and second.returncode == 0, first.log + second.log
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
