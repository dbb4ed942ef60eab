"""The held-out campaign set (tests/campaign_heldout) is evaluable as labelled.

Only its form is tested — every file reads without content problems, every label is a campaign
of the registry the evaluation loads, the mix its README describes — never what the tagger gives
it: the set is a test set, and asserting tags here would be tuning on it.
"""

import re

import pytest

from plugins.campaigns.cli import project_settings
from plugins.campaigns.evaluation import HELDOUT, HELDOUT_PATTERN, ROOT, label_problems, slugs


def evaluation_settings():
    """The settings `invoke eval-campaigns` uses: the project's, with the shipped registry."""
    settings = project_settings()
    settings["PATH"] = str(ROOT / "content")
    return settings


@pytest.fixture(scope="module")
def heldout():
    settings = evaluation_settings()
    state, problems = label_problems(settings, HELDOUT, HELDOUT_PATTERN)
    return settings, state, problems


def test_every_heldout_file_reads_and_every_label_is_a_campaign(heldout):
    _settings, state, problems = heldout
    assert state.pages, "the evaluation loaded no campaign registry"
    assert problems == []


def test_heldout_mix_is_the_one_its_readme_states(heldout):
    # Labels read from the files, without tagging them: the tagger's output is not looked at here.
    _settings, state, _problems = heldout
    files = sorted(HELDOUT.glob(HELDOUT_PATTERN))
    labels = [slugs(re.search(r"^Expected_Campaigns:(.*)$", path.read_text(encoding="utf-8"), re.M).group(1))
              for path in files]
    assert len(files) == 160
    assert sum(1 for found in labels if found) == 72
    every = [slug for found in labels for slug in found]
    assert len(every) == 75
    counts = {page.slug: every.count(page.slug) for page in state.pages}
    assert min(counts.values()) >= 3 and max(counts.values()) <= 6, counts
    assert (HELDOUT / "README.md").exists() and "README.md" not in {path.name for path in files}


def test_label_problems_names_unknown_slugs_and_bad_files(tmp_path):
    good = ("Title: Tin thử nghiệm\nDate: 02/12/2026 08:00\nCategory: Tin tức - Sự kiện\n"
            "Expected_Campaigns: {labels}\n\nMột đoạn văn bản thử nghiệm.\n")
    (tmp_path / "001-a.md").write_text(good.format(labels="chien-dich-khong-co"), encoding="utf-8")
    (tmp_path / "002-b.md").write_text(good.format(labels="").replace("02/12/2026", "31/02/2026"),
                                       encoding="utf-8")
    (tmp_path / "003-c.md").write_text(good.format(labels=""), encoding="utf-8")
    (tmp_path / "004-d.md").write_text(good.format(labels="").replace("Tin thử", "Tin\tthử"), encoding="utf-8")
    _state, problems = label_problems(evaluation_settings(), tmp_path, HELDOUT_PATTERN)
    text = "\n".join(problems)
    assert "001-a.md: Expected_Campaigns: 'chien-dich-khong-co' is not a campaign" in text
    assert "002-b.md" in text
    assert "004-d.md:1: warning: 'Title:' contains a tab character" in text
    assert "003-c.md" not in text
