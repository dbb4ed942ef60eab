"""`invoke bench-campaigns`: campaign tagging speed, this tree against an earlier revision.

Both are timed in the same run on the same machine: the baseline revision is exported with
`git archive` into a temporary folder (nothing in the repository changes) and each tree tags the
real news of ../shared/realnews/news.jsonl.gz with its own code and registry, in its own
subprocess; then each runs `python3 -m plugins.campaigns.cli` (what `invoke campaigns` runs)
over its content/. Figures are the best of ``repeat`` interleaved runs.
"""

import json
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Run inside a tree: tag every prepared article, print {"seconds": best, "tagged": n}.
_TAG_SCRIPT = r"""
import pickle, sys, time
sys.path.insert(0, ".")
from plugins.campaigns.registry import load_registry
from plugins.campaigns.matching import Matcher
articles = pickle.load(open(sys.argv[1], "rb"))
matcher = Matcher(load_registry("content/campaigns.toml"))
best, tagged = None, 0
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    tagged = sum(1 for a in articles if matcher.tag(*a))
    took = time.perf_counter() - start
    best = took if best is None else min(best, took)
print('{"seconds": %r, "tagged": %d}' % (best, tagged))
"""


def export(revision, into):
    """The tree of ``revision`` (git archive) in folder ``into``."""
    Path(into).mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return Path(into)


def time_tagging(tree, articles_file, repeat):
    result = subprocess.run([sys.executable, "-c", _TAG_SCRIPT, str(articles_file), str(repeat)],
                            cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_cli(tree, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "plugins.campaigns.cli"], cwd=tree, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def run(baseline="d8ead0d", repeat=3, out=sys.stdout):
    from plugins.campaigns.evaluation import MissingNews, news_fields, read_news  # noqa: PLC0415

    try:
        news = read_news()
    except MissingNews as exc:
        print(f"bench-campaigns: {exc}", file=out)
        return 1
    articles = [news_fields(row) for row in news.values()]
    with tempfile.TemporaryDirectory(prefix="bench-campaigns-") as tmp:
        articles_file = Path(tmp) / "articles.pickle"
        articles_file.write_bytes(pickle.dumps(articles))
        old = export(baseline, Path(tmp) / "baseline")
        trees = ((f"baseline {baseline}", old), ("this tree", ROOT))
        tagging, cli = {label: [] for label, _ in trees}, {label: [] for label, _ in trees}
        for _ in range(repeat):  # interleaved, so that a busy moment of the machine hits both
            for label, tree in trees:
                tagging[label].append(time_tagging(tree, articles_file, 1))
                cli[label].append(time_cli(tree, 1)[0])
        rows = [(label, min(tagging[label], key=lambda t: t["seconds"]), min(cli[label]),
                 statistics.median(cli[label])) for label, _ in trees]
    print(f"campaign tagging of {len(articles):,} real articles (best of {repeat}) and "
          f"`python3 -m plugins.campaigns.cli` over content/ (what `invoke campaigns` runs):", file=out)
    for label, tagging, cli_best, cli_median in rows:
        per = tagging["seconds"] / len(articles) * 1000
        print(f"  {label:<18} tagging {tagging['seconds']:6.2f} s ({per:.2f} ms/article, "
              f"{tagging['tagged']} tagged)   invoke campaigns {cli_best:.2f} s (median {cli_median:.2f} s)", file=out)
    ratio = rows[0][1]["seconds"] / rows[1][1]["seconds"]
    print(f"  tagging speed-up in this run: x{ratio:.2f}", file=out)
    return 0
