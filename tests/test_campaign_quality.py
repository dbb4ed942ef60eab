"""Quality of automatic campaign tagging: the repository corpus and the frozen real-news labels.

tests/campaign_corpus/*.md are realistic Vietnamese city news, each labelled by meaning with
``Expected_Campaigns: slug, slug`` (or ``none``), including near misses: "đồng đẳng viên" vs
"đảng viên", "trẻ em" outside June, negations, campaigns mentioned only in passing, a
steering committee whose name contains a movement's name, "chuyển đổi số liệu".
Files are read with the project's reader and tagged by the build's own code (rules only:
the corpus has no ``Campaign:`` metadata). Run with -s to see the figures.

The corpus was written together with the rules, so its figures are not a measure of quality
on unseen news: that is ``invoke eval-campaigns`` on tests/realnews_labels (see
docs/campaign-evaluation.md). Here the labels file itself is checked: ids and labels only,
never the articles' text.
"""

import csv
import re
from pathlib import Path

import pytest

from conftest import ROOT
from plugins.campaigns.campaigns import load_state, tag_article
from plugins.campaigns.cli import project_settings, read_source
from plugins.campaigns.evaluation import LABELS, LABELS_2, MissingNews, news_fields, read_news

CORPUS = Path(__file__).resolve().parent / "campaign_corpus"
MINIMUM = 0.9


def labelled():
    for path in sorted(CORPUS.glob("*.md")):
        value = re.search(r"^Expected_Campaigns:(.*)$", path.read_text(encoding="utf-8"), re.M)
        assert value, f"{path.name}: no Expected_Campaigns line"
        value = value.group(1).strip()
        yield path, set() if value == "none" else {s.strip() for s in value.split(",") if s.strip()}


@pytest.fixture(scope="module")
def results():
    settings = project_settings()
    settings["PATH"] = str(ROOT / "content")  # the shipped registry
    state = load_state(settings)
    assert state is not None, "content/campaigns.toml is missing"
    known = {page.slug for page in state.pages}
    rows = []
    for path, expected in labelled():
        assert expected <= known, f"{path.name}: unknown label(s) {sorted(expected - known)}"
        article = read_source(path, settings, base=str(CORPUS))
        assert "campaign" not in article.metadata, f"{path.name}: the corpus measures rules, not metadata"
        pages, _reasons = tag_article(article, state)
        rows.append((path.name, expected, {page.slug for page in pages}))
    return rows


def test_corpus_is_large_and_varied(results):
    """Sixty or more articles, and the rules get the variety right: fifteen or more negatives and
    near misses left untagged, fifteen or more campaigns found where labelled (fails when the
    tagger tags everything or nothing)."""
    assert len(results) >= 60
    untagged = [name for name, expected, got in results if not expected and not got]
    assert len(untagged) >= 15, untagged
    found = {slug for _name, expected, got in results for slug in expected & got}
    assert len(found) >= 15, found


def test_precision_and_recall(results):
    tp = sum(len(expected & got) for _name, expected, got in results)
    fp = sum(len(got - expected) for _name, expected, got in results)
    fn = sum(len(expected - got) for _name, expected, got in results)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"campaign tagging: precision={precision:.3f} recall={recall:.3f} on {len(results)} articles")
    errors = [f"{name}: extra {sorted(got - expected)} missing {sorted(expected - got)}"
              for name, expected, got in results if got != expected]
    assert precision >= MINIMUM and recall >= MINIMUM, "\n".join(errors)


@pytest.mark.parametrize("path, columns", [
    (LABELS, {"id", "split", "labels", "borderline", "sampled_by", "note"}),
    (LABELS_2, {"id", "batch", "split", "labels", "borderline", "sampled_by", "note"}),
])
def test_real_news_labels_are_frozen_ids_and_labels_only(results, path, columns):
    known = {slug for _name, expected, _got in results for slug in expected} | {
        c.slug for c in load_state({**project_settings(), "PATH": str(ROOT / "content")}).registry}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 250 and len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"dev", "test"}
    assert sum(r["split"] == "test" for r in rows) >= 0.4 * len(rows)
    for row in rows:
        assert set(row) == columns
        assert row["labels"] == "none" or set(row["labels"].split()) <= known, row
        assert len(row["note"]) <= 120, row["id"]
    try:
        news = read_news()
    except MissingNews:
        pytest.skip("../shared/realnews/news.jsonl.gz is absent: article text not compared")
    for row in rows:
        title, summary, body, _date = news_fields(news[row["id"]])
        text = " ".join((title, summary, body)).lower()
        words = row["note"].lower().split()
        # No run of 6 words of a note is copied from the article (notes are our own words).
        for start in range(max(0, len(words) - 5)):
            assert " ".join(words[start:start + 6]) not in text, row["id"]


def test_the_two_batches_label_different_articles():
    """Batch 2 was drawn from articles batch 1 does not hold: its test split is unseen news."""
    with open(LABELS, encoding="utf-8", newline="") as one, open(LABELS_2, encoding="utf-8", newline="") as two:
        first, second = {r["id"] for r in csv.DictReader(one)}, {r["id"] for r in csv.DictReader(two)}
    assert first and second and not first & second
