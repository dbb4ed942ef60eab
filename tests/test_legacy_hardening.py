"""Importing the old portal safely (issue 11): old URLs that would take a file of the new site
are not copied (item 2); TCVN3 and VNI text is converted or refused, never imported as mojibake (item 12)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from plugins.content_check.cli import load_settings
from plugins.legacy_import.importer import import_paths, read_metadata

FIXTURES = ROOT / "tests" / "fixtures" / "legacy"
PAGE = FIXTURES / "02-sharepoint-sapo-images.html"
OLD = "https://vinhyen.vinhphuc.gov.vn/Pages/tin-tuc-su-kien/khanh-thanh-cong-vien-hoang-hoa-tham-5107.aspx"


def page_with_url(tmp_path, name, url):
    html = PAGE.read_text(encoding="utf-8").replace(OLD, url)
    path = tmp_path / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("url, owner", [
    ("http://old.example/feeds/all.atom.xml", "FEED_ALL_ATOM"),
    ("http://old.example/theme/js/date-picker.js", "theme"),
    ("http://old.example/luu-tru/days.json", "luu-tru/"),
    ("http://old.example/2022/06/22/bai-cu.html", "ARTICLE_SAVE_AS"),
    ("http://old.example/trang/2/", "pages 2+"),
    ("http://old.example/redirects.map", "redirects map"),
    ("http://old.example/", "home page"),
])
def test_import_does_not_copy_a_colliding_old_url(tmp_path, url, owner):
    settings = load_settings(ROOT / "pelicanconf.py")
    outcome = import_paths([page_with_url(tmp_path, "trang.html", url)], tmp_path / "content",
                           settings=settings).outcomes[0]
    assert outcome.status == "imported", outcome
    meta = read_metadata(Path(outcome.article).read_text(encoding="utf-8"))
    assert "original_url" not in meta
    warning = next(w for w in outcome.warnings if "not kept as Original_URL" in w)
    assert url in warning and owner in warning


def test_import_keeps_a_harmless_old_url_and_refuses_a_second_copy(tmp_path):
    settings = load_settings(ROOT / "pelicanconf.py")
    one = page_with_url(tmp_path, "a.html", "http://old.example/tin-tuc/123/a.html")
    two = page_with_url(tmp_path, "b.html", "http://old.example/tin-tuc/123/a.html")
    two.write_text(two.read_text(encoding="utf-8").replace("Khánh thành", "Khai trương"), encoding="utf-8")
    first, second = import_paths([one.parent], tmp_path / "content", settings=settings).outcomes
    assert read_metadata(Path(first.article).read_text(encoding="utf-8"))["original_url"] == \
        "http://old.example/tin-tuc/123/a.html"
    assert first.article != second.article
    assert "original_url" not in read_metadata(Path(second.article).read_text(encoding="utf-8"))
    assert any("a.html has the same old URL" in w for w in second.warnings), second.warnings


def test_invoke_import_then_build_passes(tmp_path, build_site):
    """The CLI reads pelicanconf.py by default: the imported feed URL never reaches the build."""
    src = page_with_url(tmp_path, "trang.html", "http://old.example/feeds/all.atom.xml")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    run = subprocess.run([sys.executable, "-m", "plugins.legacy_import", str(src), "--content", str(content)],
                         cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "not kept as Original_URL" in run.stdout
    result = build_site(content)
    assert result.returncode == 0, result.log
    assert "<feed" in (result.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
