"""Full and one-change builds of synthetic archives against stock Pelican: `invoke bench`.

For each archive size the site's build (every plugin on, ``pelicanconf.py``, exactly the Pelican
command ``invoke build`` runs) and stock Pelican (``benchmarks/stockconf.py``: default theme, no
plugins) build the same files, interleaved in one run so that a noisy, shared machine slows both
alike; the ratio of the best times is the figure to quote. Each build runs in its own process, and
``os.wait4`` gives its peak resident memory: that of the largest process of the build (Pelican's
or one of its children), for the first full build (``site_peak_mb``) and for the full build with
every cache filled (``site_warm_peak_mb``). Then one article is added, one edited and one
deleted, and the time of the build that publishes each change is taken: ``invoke build``'s
atomic, incremental build (plugins.atomic_publish + plugins.incremental_build), beside the number
of pages it rendered and kept; ``change_peak_mb`` is the largest peak of those builds.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .synthetic import write_archive

ROOT = Path(__file__).resolve().parent.parent
SITE_SETTINGS = ROOT / "pelicanconf.py"
CHANGES = ("add_one", "add_newest", "edit_one", "redate_one", "delete_one")
STOCK_SETTINGS = Path(__file__).resolve().parent / "stockconf.py"


def tree_digest(folder):
    """One hash over every file's path and bytes: equal digests mean byte-identical builds."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def timed_build(content, output, settings=SITE_SETTINGS, extra=None):
    """(seconds, peak RSS in MB) of one Pelican build in a process of its own."""
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings),
               "-o", str(output), "--fatal", "errors"]
    if extra:
        command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in extra.items())]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Read before waiting so a chatty build cannot fill the pipe and stall.
    log = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark build failed ({settings.name}):\n{log[-4000:]}")
    return elapsed, usage.ru_maxrss / 1024


_PUBLISH = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from plugins.atomic_publish import publish
started = time.perf_counter()
publish(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), check_links=False, incremental=sys.argv[5] == "1")
elapsed = time.perf_counter() - started
print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))
"""


def timed_publish(content, live, incremental=True):
    """(seconds, pages rendered, pages kept, peak RSS in MB) of ``invoke build``'s atomic,
    incremental build into ``live``. It runs in a process of its own, so that the peak is
    that build's largest process (plugins.atomic_publish runs Pelican as its child), not the
    largest of every build the benchmark ran before."""
    done = subprocess.run([sys.executable, "-c", _PUBLISH, str(ROOT), str(content), str(SITE_SETTINGS), str(live),
                           "1" if incremental else "0"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark publish failed:\n{(done.stdout + done.stderr)[-4000:]}")
    elapsed, peak = json.loads(done.stdout.strip().splitlines()[-1])
    state = json.loads((Path(live) / ".state" / "incremental").read_text(encoding="utf-8"))
    return elapsed, state.get("rendered", 0), state.get("kept", 0), peak


def _redate(path, when):
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"Date: {when}" if line.startswith("Date:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")


def _breaking_news_date(content):
    """"dd/mm/yyyy HH:MM" of breaking news: the day after the archive's latest day when that is
    in the same month (the usual case: a new month also changes the date picker's "recent
    months" on every page), else an hour after the latest article."""
    import datetime  # noqa: PLC0415

    from plugins.vntext import format_short_date, format_time, now_vn, parse_vn_date  # noqa: PLC0415

    now = now_vn()
    dates = (parse_vn_date(line[5:].strip())
             for path in content.rglob("*.md")
             for line in path.read_text(encoding="utf-8").split("\n", 12) if line.startswith("Date:"))
    latest = max(date for date in dates if date <= now)  # scheduled articles are not published yet
    later = latest + datetime.timedelta(days=1)
    if later.month != latest.month:
        later = latest + datetime.timedelta(hours=1)
    return f"{format_short_date(later)} {format_time(later)}"


def _one_change_builds(content, live):
    """Seconds of the incremental build (``invoke build``) that publishes one change each:
    an added article (a random date inside the archive), a breaking news article (dated after
    every other one, see _breaking_news_date), an edit, a new date for an article, a deletion. ``live`` is a complete
    build of ``content``; ``content`` is changed."""
    from .synthetic import article_text  # noqa: PLC0415
    import random  # noqa: PLC0415

    figures = {}

    def measure(key):
        seconds, rendered, kept, peak = timed_publish(content, live)
        figures[f"{key}_seconds"], figures[f"{key}_rendered"], figures[f"{key}_kept"] = seconds, rendered, kept
        figures["change_peak_mb"] = max(figures.get("change_peak_mb", 0.0), peak)

    timed_publish(content, live)  # the base: a build whose state matches this code and settings
    relative, text = article_text(10**7, random.Random("added"))
    added = content / relative
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text(text, encoding="utf-8")
    measure("add_one")

    relative, text = article_text(10**7 + 1, random.Random("breaking"))
    when = _breaking_news_date(content)
    breaking = content / when[6:10] / when[3:5] / relative.name
    breaking.parent.mkdir(parents=True, exist_ok=True)
    breaking.write_text(text, encoding="utf-8")
    _redate(breaking, when)
    measure("add_newest")

    sources = sorted(content.rglob("*.md"))
    edited = sources[len(sources) // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi đăng.\n",
                      encoding="utf-8")
    measure("edit_one")

    _redate(sources[len(sources) // 3], "15/06/2015 09:00")
    measure("redate_one")

    added.unlink()
    measure("delete_one")
    return figures


def _output_figures(output):
    files = [p for p in Path(output).rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def run(count, repeat=1, changes=True, stock=True):
    """Build ``count`` synthetic articles ``repeat`` times with the site and stock Pelican.

    ``stock=False`` builds the site only: at 100,000 articles stock Pelican's quadratic passes
    take most of an hour, while the site's peak memory needs only the site's builds. The
    figures then have no stock time and no ratios."""
    with tempfile.TemporaryDirectory(prefix="vinhyen-bench-") as tmp:
        tmp = Path(tmp)
        content = write_archive(tmp / "content", count)
        # The archive's own registries (campaigns, …) travel with the content.
        for registry in ROOT.glob("content/*.toml"):
            shutil.copy(registry, content / registry.name)
        site, stock_times, digests, memory = [], [], [], {"site": 0.0, "stock": 0.0}
        caches = tmp / "caches"
        # The per-article caches of reading, search analysis, campaign assessment and event dates.
        cached = {"VN_READER_CACHE_PATH": str(caches / "vn_reader"), "SITE_SEARCH_CACHE_PATH": str(caches / "site_search"),
                  "CAMPAIGNS_CACHE_PATH": str(caches / "campaigns"), "EVENT_DATES_CACHE_PATH": str(caches / "date_archives")}
        for attempt in range(repeat):
            output = tmp / f"output-{attempt}"
            # Every full build starts with empty caches: a first build.
            shutil.rmtree(caches, ignore_errors=True)
            seconds, rss = timed_build(content, output, extra=cached)
            site.append(seconds)
            memory["site"] = max(memory["site"], rss)
            digests.append(tree_digest(output))
            if stock:
                seconds, rss = timed_build(content, tmp / f"stock-{attempt}", STOCK_SETTINGS)
                stock_times.append(seconds)
                memory["stock"] = max(memory["stock"], rss)
        # A full build again (no page reused) with the caches the builds above filled: what
        # `invoke build --full` costs when the sources did not change.
        warm, warm_rss = timed_build(content, tmp / "output-warm", extra=cached)
        digests.append(tree_digest(tmp / "output-warm"))
        files, megabytes = _output_figures(tmp / "output-0")
        best = min(stock_times) if stock else None
        figures = {
            "articles": count,
            "site_seconds": min(site),
            "stock_seconds": best,
            "ratio_site_to_stock": best and min(site) / best,
            "site_warm_read_cache_seconds": warm,
            "ratio_warm_read_cache_to_stock": best and warm / best,
            "ms_per_article": 1000 * min(site) / count,
            "site_peak_mb": memory["site"],
            "site_warm_peak_mb": warm_rss,
            "stock_peak_mb": memory["stock"] if stock else None,
            "output_files": files,
            "output_mb": megabytes,
            "identical_rebuilds": len(set(digests)) == 1,
        }
        # Without stock builds there is no stock figure, and no ratio (not a zero or a None).
        figures = {key: value for key, value in figures.items() if value is not None}
        found = sorted((tmp / "output-0").rglob("days.json"))
        if found:
            figures["days.json_bytes"] = sum(p.stat().st_size for p in found)
        if changes:
            figures.update(_one_change_builds(content, tmp / "live"))
            for key in CHANGES if stock else ():
                figures[f"{key}_vs_stock_full"] = figures[f"{key}_seconds"] / figures["stock_seconds"]
        return figures


def report(figures):
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"{key:<{width}}  {shown}")


def table(results):
    """A Markdown table of several runs (one row per archive size), as the README shows it."""
    columns = [("articles", "articles", "{}"), ("site_seconds", "site full build (s)", "{:.1f}"),
               ("stock_seconds", "stock Pelican (s)", "{:.1f}"),
               ("ratio_site_to_stock", "ratio", "{:.2f}"), ("site_peak_mb", "peak MB", "{:.0f}"),
               ("site_warm_peak_mb", "peak MB (warm)", "{:.0f}"), ("change_peak_mb", "peak MB (one change)", "{:.0f}"),
               ("add_one_seconds", "add one (s)", "{:.1f}"), ("add_newest_seconds", "add newest (s)", "{:.1f}"),
               ("edit_one_seconds", "edit one (s)", "{:.1f}"), ("redate_one_seconds", "re-date one (s)", "{:.1f}"),
               ("delete_one_seconds", "delete one (s)", "{:.1f}"),
               ("edit_one_vs_stock_full", "edit / stock full", "{:.3f}"),
               ("output_files", "files", "{}"), ("output_mb", "MB", "{:.1f}")]
    present = [c for c in columns if any(c[0] in r for r in results)]
    lines = ["| " + " | ".join(title for _, title, _ in present) + " |",
             "|" + "---|" * len(present)]
    for result in results:
        cells = [fmt.format(result[key]) if key in result else "" for key, _, fmt in present]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_outputs(results, folder):
    """bench.json and bench.png (build time against archive size) in ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
    import matplotlib  # noqa: PLC0415 (only the benchmark needs it)

    matplotlib.use("Agg")
    from matplotlib import pyplot  # noqa: PLC0415

    sizes = [r["articles"] for r in results]
    figure, axes = pyplot.subplots(figsize=(6, 4), dpi=100)
    axes.plot(sizes, [r["site_seconds"] for r in results], "o-", label="this site (every feature)")
    with_stock = [r for r in results if "stock_seconds" in r]
    if with_stock:
        axes.plot([r["articles"] for r in with_stock], [r["stock_seconds"] for r in with_stock], "s--",
                  label="stock Pelican 4.12")
    if all("add_one_seconds" in r for r in results):
        axes.plot(sizes, [r["add_one_seconds"] for r in results], "^:", label="publish one added article")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("articles")
    axes.set_ylabel("seconds (best of the run)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(folder / "bench.png", metadata={"Software": None})
    pyplot.close(figure)
    return folder / "bench.json", folder / "bench.png"
