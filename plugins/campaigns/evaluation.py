"""`invoke eval-campaigns`: precision, recall and confusion of automatic campaign tagging.

Three labelled sets, all tagged by the build's own code (rules only, no ``Campaign:`` metadata):

- the repository's corpus, ``tests/campaign_corpus/*.md`` (``Expected_Campaigns:`` lines),
  read with the project's reader;
- the held-out set, ``tests/campaign_heldout/NNN-*.md`` (same format), written blind to the
  rules and frozen before it was first evaluated: a test set, reported with ``--split test``
  or ``both``, never with ``--split dev``;
- real news: ids and labels in ``tests/realnews_labels/`` joined with the article text in
  ``../shared/realnews/news.jsonl.gz``, which is never copied into the repository (see
  docs/campaign-evaluation.md). Batch 1 (``labels.csv``, 514 articles) is dev data: its test
  split was read once to report. Batch 2 (``labels-2.csv``, 343 articles, frozen before the
  rules changed again) has a ``dev`` split that may be looked at while tuning and a ``test``
  split that is only reported.

Also: how many of all the real articles get any campaign, and how long tagging them takes.

    python3 -m plugins.campaigns.evaluation [--split dev|test|both] [--errors] [--news FILE]
"""

import argparse
import csv
import datetime as _dt
import gzip
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from plugins.vntext import nfc, strip_invisible

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "campaign_corpus"
# Written blind to the rules and frozen before it was first evaluated (its README): a test set,
# reported with --split test/both only, never while tuning. Its README.md is not an article.
HELDOUT = ROOT / "tests" / "campaign_heldout"
HELDOUT_PATTERN = "[0-9]*.md"
HELDOUT_TITLE = "held-out set (tests/campaign_heldout, written blind)"
LABELS = ROOT / "tests" / "realnews_labels" / "labels.csv"
LABELS_2 = ROOT / "tests" / "realnews_labels" / "labels-2.csv"
# (title, label file, split in the file or None for all, "dev" or "test") in report order.
NEWS_SETS = (
    ("batch 1, labels frozen 2026-12-02 (both halves: dev since its test split was read)", LABELS, None, "dev"),
    ("batch 2 dev split, labels frozen 2026-12-02", LABELS_2, "dev", "dev"),
    ("batch 2 TEST split, labels frozen 2026-12-02 (never used for tuning)", LABELS_2, "test", "test"),
)
NEWS = ROOT.parent / "shared" / "realnews" / "news.jsonl.gz"
NONE = "none"


class MissingNews(FileNotFoundError):
    """../shared/realnews/news.jsonl.gz is not there (a clone without ../shared beside it)."""


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One labelled article: what it is about and what the tagger gave."""

    key: str
    expected: frozenset
    got: frozenset
    borderline: bool = False
    note: str = ""


def read_news(path=NEWS):
    """{id: article dict} from the real-news file; MissingNews when it is absent."""
    path = Path(path)
    if not path.exists():
        raise MissingNews(
            f"{path} is missing: the real-news evaluation needs ../shared/realnews/news.jsonl.gz "
            "beside the repository (see ../shared/realnews/README.md)")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


def news_fields(row):
    """(title, summary, body, date) of a real article as an editor's file would give them.

    NFC, invisible characters dropped (vntext). When the crawler kept no headline
    (``title_source == "lead_sentence"``) the "title" is only the lead's first sentence, which
    the summary holds already: the article then has no title rather than a duplicated one.
    """

    def clean(value):
        return strip_invisible(nfc(value or ""))

    title = "" if row.get("title_source") == "lead_sentence" else clean(row.get("title"))
    date = _dt.date.fromisoformat(row["date"][:10])
    return title, clean(row.get("summary")), clean(row.get("body")), date


def read_labels(path=LABELS):
    """Rows of a labels file as dicts (id, [batch,] split, labels, borderline, sampled_by, note)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def slugs(value):
    return frozenset(s for s in value.replace(",", " ").split() if s and s != NONE)


# --- metrics ---------------------------------------------------------------------------------


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fp_from: dict = field(default_factory=dict)  # true label of the articles wrongly given it
    fn_to: dict = field(default_factory=dict)  # what the missed articles got instead

    @property
    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def score(examples, campaigns):
    """Per-campaign Scores and the micro-average over all campaigns (key ``"all"``)."""
    table = {slug: Scores() for slug in campaigns}
    total = Scores()
    for example in examples:
        for slug in example.expected | example.got:
            cell = table.setdefault(slug, Scores())
            if slug in example.expected and slug in example.got:
                cell.tp += 1
                total.tp += 1
            elif slug in example.got:
                cell.fp += 1
                total.fp += 1
                source = " ".join(sorted(example.expected)) or NONE
                cell.fp_from[source] = cell.fp_from.get(source, 0) + 1
            else:
                cell.fn += 1
                total.fn += 1
                instead = " ".join(sorted(example.got)) or NONE
                cell.fn_to[instead] = cell.fn_to.get(instead, 0) + 1
    table["all"] = total
    return table


def _ratio(value):
    return "  -  " if value is None else f"{value:.3f}"


def format_table(title, examples, campaigns, out):
    table = score(examples, campaigns)
    exact = sum(1 for e in examples if e.expected == e.got)
    positives = sum(1 for e in examples if e.expected)
    # Precision is undefined when nothing is tagged: the false alarms among the articles about
    # no campaign say how rarely unseen news gets a tag it should not.
    alarms = sum(1 for e in examples if not e.expected and e.got)
    print(f"\n{title}: {len(examples)} articles ({positives} about a campaign), "
          f"{exact} tagged exactly right; {alarms} of the {len(examples) - positives} about no "
          f"campaign got one", file=out)
    width = max(len(s) for s in table)
    print(f"  {'campaign':<{width}}  true  tp  fp  fn  precision recall  confusion", file=out)
    for slug, cell in table.items():
        if slug != "all" and not (cell.tp or cell.fp or cell.fn):
            continue
        confusion = "; ".join(
            [f"fp from {k} x{v}" for k, v in sorted(cell.fp_from.items())]
            + [f"fn got {k} x{v}" for k, v in sorted(cell.fn_to.items())])
        line = (f"  {slug:<{width}}  {cell.tp + cell.fn:4d} {cell.tp:3d} {cell.fp:3d} {cell.fn:3d}"
                f"  {_ratio(cell.precision):>9} {_ratio(cell.recall):>6}  {confusion}")
        print(line if slug != "all" else "  " + "-" * (width + 40) + "\n" + line, file=out)
    return table


# --- tagging the two sets ----------------------------------------------------------------------


def corpus_examples(settings, folder=CORPUS, pattern="*.md"):
    """A labelled folder (``Expected_Campaigns:`` lines) tagged by the build's code: the reader,
    then tag_article. The repository corpus by default; ``folder=HELDOUT`` for the held-out set."""
    from .campaigns import load_state  # noqa: PLC0415

    state = load_state(settings)
    return state, folder_examples(settings, state, folder, pattern)


def folder_examples(settings, state, folder, pattern="*.md"):
    """Examples of every ``pattern`` file in ``folder``, tagged with ``state``."""
    import re  # noqa: PLC0415

    from .campaigns import tag_article  # noqa: PLC0415
    from .cli import read_source  # noqa: PLC0415

    examples = []
    for path in sorted(Path(folder).glob(pattern)):
        expected = re.search(r"^Expected_Campaigns:(.*)$", path.read_text(encoding="utf-8"), re.M)
        article = read_source(path, settings, base=str(folder))
        pages, _reasons = tag_article(article, state)
        examples.append(Example(path.name, slugs(expected.group(1) if expected else ""),
                                frozenset(p.slug for p in pages)))
    return examples


def label_problems(settings, folder, pattern="*.md"):
    """(state, problems) for a labelled folder: every file the reader refuses or warns about
    (content rules, as ``invoke check`` reports them) and every ``Expected_Campaigns`` slug that
    the loaded registry does not hold. An empty list means the set can be evaluated as labelled."""
    import re  # noqa: PLC0415

    from plugins.vn_reader.gate import STATE_KEY  # noqa: PLC0415

    from .campaigns import load_state  # noqa: PLC0415
    from .cli import read_source  # noqa: PLC0415

    state = load_state(settings)
    known = {page.slug for page in state.pages}
    problems = []
    paths = sorted(Path(folder).glob(pattern))
    for path in paths:
        try:
            read_source(path, settings, base=str(folder))
        except ValueError as exc:  # ContentError: the file's content errors, file and line named
            problems.append(str(exc))
            continue
        expected = re.search(r"^Expected_Campaigns:(.*)$", path.read_text(encoding="utf-8"), re.M)
        if expected is None:
            problems.append(f"{path}: no Expected_Campaigns: line")
            continue
        problems += [f"{path}: Expected_Campaigns: {slug!r} is not a campaign of {state.registry.source}"
                     for slug in sorted(slugs(expected.group(1)) - known)]
    gate = settings.get(STATE_KEY)
    names = {path.resolve() for path in paths}
    problems += [line for line, problem in sorted(gate.problems.items())
                 if Path(problem.path).resolve() in names] if gate else []
    return state, problems


def news_examples(matcher, labels, news, source=LABELS):
    examples = []
    for row in labels:
        article = news.get(row["id"])
        if article is None:
            raise ValueError(f"{Path(source).name}: id {row['id']!r} is not in the real-news file")
        got = frozenset(a.slug for a in matcher.tag(*news_fields(article)))
        examples.append(Example(row["id"], slugs(row["labels"]), got,
                                row.get("borderline") == "yes", row.get("note", "")))
    return examples


def tag_all(matcher, news):
    """(articles with any campaign, seconds) over every real article."""
    started = time.perf_counter()
    tagged = sum(1 for article in news.values() if matcher.tag(*news_fields(article)))
    return tagged, time.perf_counter() - started


def print_errors(examples, news, out):
    for example in examples:
        if example.expected == example.got:
            continue
        article = news.get(example.key, {})
        title = (article.get("title") or "")[:90]
        print(f"  {example.key}: expected {sorted(example.expected) or NONE} got "
              f"{sorted(example.got) or NONE}{' (borderline)' if example.borderline else ''}  "
              f"{title!r}  [{example.note}]", file=out)


def explain_news(matcher, news, ids, out):
    """Every assessment of the given real articles, as `invoke campaigns --explain` prints them."""
    for article_id in ids:
        title, summary, body, date = news_fields(news[article_id])
        print(f"{article_id} ({date.isoformat()}): {(title or summary)[:100]!r}", file=out)
        for assessment in matcher.assess(title, summary, body, date):
            print(f"  {'+' if assessment.tagged else '-'} {assessment.slug}: {assessment.decision}", file=out)
            for reason in assessment.reasons[1:] + assessment.ignored:
                print(f"      {reason.describe()}", file=out)
    return 0


def main(argv=None, out=sys.stdout):
    parser = argparse.ArgumentParser(prog="invoke eval-campaigns", description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both",
                        help="sets to report besides the corpus: dev (batch 1, batch 2 dev; tune on these only), "
                             "test (the held-out set and batch 2 test) or both")
    parser.add_argument("--errors", action="store_true", help="list every wrong real-news article of the split(s)")
    parser.add_argument("--news", default=str(NEWS), help="the real-news file (default ../shared/realnews/news.jsonl.gz)")
    parser.add_argument("--settings", metavar="FILE", help="Pelican settings (default: pelicanconf.py)")
    parser.add_argument("--explain", metavar="ID", action="append", default=[],
                        help="print the decisions for one real article (repeatable); nothing else")
    args = parser.parse_args(argv)

    from .cli import project_settings  # noqa: PLC0415

    settings = project_settings(args.settings)
    settings["PATH"] = str(ROOT / "content")  # the shipped registry
    if args.explain:
        from .campaigns import load_state  # noqa: PLC0415

        return explain_news(load_state(settings).matcher, read_news(args.news), args.explain, out)
    state, corpus = corpus_examples(settings)
    campaigns = [page.slug for page in state.pages]
    print(f"campaign tagging evaluated with {state.registry.source} ({len(campaigns)} campaigns)", file=out)
    format_table("repository corpus (tests/campaign_corpus, written with the rules)", corpus, campaigns, out)
    if args.split != "dev":
        heldout = folder_examples(settings, state, HELDOUT, HELDOUT_PATTERN)
        # Per-campaign figures and confusion only: its articles' errors are never listed
        # (--errors included), so nobody tunes on it by accident.
        format_table(HELDOUT_TITLE, heldout, campaigns, out)

    try:
        news = read_news(args.news)
    except MissingNews as exc:
        print(f"\nreal news: not evaluated: {exc}", file=out)
        return 0
    for title, source, file_split, role in NEWS_SETS:
        if args.split != "both" and role != args.split:
            continue
        rows = [row for row in read_labels(source) if file_split is None or row["split"] == file_split]
        chosen = news_examples(state.matcher, rows, news, source)
        format_table(f"real news, {title}", chosen, campaigns, out)
        clear = [e for e in chosen if not e.borderline]
        table = score(clear, campaigns)["all"]
        print(f"  without the {len(chosen) - len(clear)} borderline articles: precision "
              f"{_ratio(table.precision)} recall {_ratio(table.recall)}", file=out)
        if args.errors:
            print_errors(chosen, news, out)
    tagged, seconds = tag_all(state.matcher, news)
    print(f"\nall {len(news):,} real articles: {tagged} ({tagged / len(news):.1%}) get a campaign; "
          f"tagging took {seconds:.2f} s ({seconds / len(news) * 1000:.2f} ms per article)", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
