"""Time full builds of a synthetic archive and report sizes: the figures `invoke bench` prints."""

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synthetic import write_archive

ROOT = Path(__file__).resolve().parent.parent


def tree_digest(folder):
    """One hash over every file's path and bytes: equal digests mean byte-identical builds."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def timed_build(content, output):
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(output), "--fatal", "errors"]
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"benchmark build failed:\n{completed.stdout}{completed.stderr}")
    return elapsed


def run(count, repeat=1):
    """Build ``count`` synthetic articles ``repeat`` times; return a dict of figures."""
    with tempfile.TemporaryDirectory(prefix="vinhyen-bench-") as tmp:
        tmp = Path(tmp)
        content = write_archive(tmp / "content", count)
        # The archive's own registries (campaigns, …) travel with the content.
        for registry in ROOT.glob("content/*.toml"):
            shutil.copy(registry, content / registry.name)
        times, digests = [], []
        for attempt in range(repeat):
            output = tmp / f"output-{attempt}"
            times.append(timed_build(content, output))
            digests.append(tree_digest(output))
        files = [p for p in (tmp / "output-0").rglob("*") if p.is_file()]
        figures = {
            "articles": count,
            "build_seconds_best": min(times),
            "ms_per_article": 1000 * min(times) / count,
            "output_files": len(files),
            "output_mb": sum(p.stat().st_size for p in files) / 1e6,
            "identical_rebuilds": len(set(digests)) == 1,
        }
        for name in ("days.json",):
            found = sorted((tmp / "output-0").rglob(name))
            if found:
                figures[f"{name}_bytes"] = sum(p.stat().st_size for p in found)
        return figures


def report(figures):
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")
