"""`invoke check` (plugins/content_check): problems with the right file, line and code."""

import re
import subprocess
import sys
import unicodedata

import pytest
from conftest import ROOT

from plugins.content_check import check_tree
from plugins.content_check.cli import load_settings

SETTINGS = load_settings(ROOT / "pelicanconf.py")
LINE = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+): (?P<sev>error|warning|note): (?P<msg>.+) \[(?P<code>[a-z-]+)\]$")

GOOD = """Title: Phường Tích Sơn ra quân dọn vệ sinh môi trường
Date: 05/06/2022 07:30
Category: Văn hóa - Xã hội
Tags: môi trường, phường Tích Sơn
Author: Thu Hà

Sáng 05/6, phường Tích Sơn ra quân dọn vệ sinh môi trường.

Xem thêm [bài cùng ngày](bai-cung-ngay.html) và [bài kia]({filename}bai-cung-ngay.md).

![Ảnh ra quân]({static}/images/ra-quan.jpg)
"""

SAME_DAY = """Title: Bài cùng ngày
Date: 05/06/2022

Nội dung.
"""


def run_check(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "plugins.content_check", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120)


def codes(problems):
    return sorted((p.line, p.code) for p in problems)


@pytest.fixture
def good_site(make_content):
    return make_content({
        "2022/06/tich-son.md": GOOD,
        "2022/06/bai-cung-ngay.md": SAME_DAY,
        "images/ra-quan.jpg": b"\xff\xd8\xff\xe0 fake jpeg",
    })


def test_sample_content_passes_invoke_check():
    """CI: `invoke check` on the repository's content/ exits 0."""
    completed = subprocess.run([sys.executable, "-m", "invoke", "check"], cwd=ROOT,
                               capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    last = completed.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"content check: \d+ source file\(s\) checked, 0 error\(s\), \d+ warning\(s\) in \d+ file\(s\)",
                        last), last


def test_good_content_has_no_problem(good_site):
    problems, checked, _ = check_tree(good_site, SETTINGS)
    assert checked == 2
    assert [p.format() for p in problems] == []


def test_each_problem_on_its_own_line_number(make_content):
    text = (
        "Title: Bài kiểm tra số dòng\n"                      # 1
        "Date: 31/02/2022\n"                                  # 2
        "Category: Tin tuc su kien\n"                         # 3
        "Catgory: thừa\n"                                     # 4
        "Status: nhap\n"                                      # 5
        "\n"                                                  # 6
        "Đoạn một.\n"                                         # 7
        "\n"                                                  # 8
        "Xem [bài trước](/2020/01/01/khong-co.html).\n"       # 9
        "\n"                                                  # 10
        "![ảnh](/images/khong-co.jpg)\n"                      # 11
        "\n"                                                  # 12
        "Các tin đã đưa ngày: 21/06/2022\n"                   # 13
    )
    content = make_content({"2022/02/kiem-tra.md": text})
    problems, _, _ = check_tree(content, SETTINGS)
    assert codes(problems) == [(2, "bad-date"), (3, "unknown-category"), (4, "unknown-key"), (5, "bad-status"),
                               (9, "missing-page"), (11, "missing-image"), (13, "boilerplate")]
    # Issue 11: a key outside the documented table is refused, not ignored.
    assert {p.severity for p in problems} == {"error"}
    by_code = {p.code: p for p in problems}
    assert "'31/02/2022'" in by_code["bad-date"].message
    assert "did you mean 'Tin tức - Sự kiện'" in by_code["unknown-category"].message
    assert "did you mean 'Category:'" in by_code["unknown-key"].message

    completed = run_check(content)
    assert completed.returncode == 1
    lines = completed.stdout.strip().splitlines()
    assert all(LINE.match(line) for line in lines[:-1]), lines
    assert [int(LINE.match(line)["line"]) for line in lines[:-1]] == [2, 3, 4, 5, 9, 11, 13]
    assert all(LINE.match(line)["path"].endswith("2022/02/kiem-tra.md") for line in lines[:-1])
    assert lines[-1].startswith("content check: 1 source file(s) checked, 7 error(s), 0 warning(s)")


def test_crlf_and_bom_keep_line_numbers(make_content):
    text = "Title: Dòng Windows\nDate: 15/13/2022\n\nNội dung.\n\n![x](/images/khong.png)\n"
    content = make_content({"a.md": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()})
    problems, _, _ = check_tree(content, SETTINGS)
    assert codes(problems) == [(1, "bom"), (1, "crlf"), (2, "bad-date"), (6, "missing-image")]


def test_fix_normalises_in_place(make_content):
    nfd = unicodedata.normalize("NFD", GOOD.replace("Tích Sơn", "Đồng Tâm"))
    content = make_content({
        "2022/06/tich-son.md": b"\xef\xbb\xbf" + nfd.replace("\n", "\r\n").encode(),
        "2022/06/bai-cung-ngay.md": SAME_DAY,
        "images/ra-quan.jpg": b"jpeg",
        "2022/06/latin.md": "Title: Cafe\nDate: 01/06/2022\n\ncafé\n".encode("latin-1"),
    })
    before, _, _ = check_tree(content, SETTINGS)
    assert {p.code for p in before} == {"bom", "crlf", "nfc", "encoding"}
    latin = (content / "2022/06/latin.md").read_bytes()

    completed = run_check("--fix", content)
    fixed = (content / "2022/06/tich-son.md").read_bytes()
    assert fixed.decode("utf-8") == unicodedata.normalize("NFC", nfd)
    assert not fixed.startswith(b"\xef\xbb\xbf") and b"\r\n" not in fixed
    assert (content / "2022/06/latin.md").read_bytes() == latin  # never guesses an encoding
    assert "tich-son.md:1: note: normalised in place" in completed.stdout
    after, _, _ = check_tree(content, SETTINGS)
    assert [p.code for p in after] == ["encoding"]
    assert completed.returncode == 1  # the latin-1 file still needs the editor


def test_duplicate_url_names_both_files(make_content):
    content = make_content({
        "2022/06/mot.md": "Title: Trùng nhau\nDate: 22/06/2022 08:00\n\nMột.\n",
        "2022/07/hai.md": "Title: Khác\nDate: 22/06/2022\nSlug: trung-nhau\n\nHai.\n",
        "2022/06/ba.md": "Title: Trùng nhau\nDate: 23/06/2022\n\nBa: khác ngày, không trùng.\n",
    })
    problems, _, _ = check_tree(content, SETTINGS)
    dups = [p for p in problems if p.code == "duplicate-url"]
    assert [(p.path.rsplit("/", 2)[-2:], p.line) for p in dups] == [(["06", "mot.md"], 1), (["07", "hai.md"], 3)]
    assert "2022/07/hai.md" in dups[0].message and "2022/06/mot.md" in dups[1].message
    assert "/2022/06/22/trung-nhau.html" in dups[0].message


def test_drafts_do_not_claim_urls(make_content):
    content = make_content({
        "a.md": "Title: Bản nháp\nDate: 22/06/2022\nStatus: draft\n\nMột.\n",
        "b.md": "Title: Bản nháp\nDate: 22/06/2022\n\nHai.\n",
    })
    problems, _, _ = check_tree(content, SETTINGS)
    assert problems == []


def test_date_folder_mismatch_catches_month_first_dates(make_content):
    content = make_content({"2022/06/bai.md": "Title: Ngày viết ngược\nDate: 06/05/2022\n\nNội dung.\n"})
    problems, _, _ = check_tree(content, SETTINGS)
    assert codes(problems) == [(2, "date-folder")]
    assert "06/05/2022" in problems[0].message and "2022/06/" in problems[0].message


def test_title_length_setting(make_content):
    content = make_content({"a.md": f"Title: {'Tin ' * 45}\nDate: 01/01/2022\n\nNội dung.\n"})
    assert codes(check_tree(content, SETTINGS)[0]) == [(1, "long-title")]
    assert check_tree(content, dict(SETTINGS, CHECK_TITLE_MAX_LENGTH=200))[0] == []


def test_required_metadata_and_empty_files(make_content):
    content = make_content({
        "a.md": "Date: 01/01/2022\n\nKhông có tiêu đề.\n",
        "b.md": "Title: Không có ngày\n\nNội dung.\n",
        "c.md": "",
        "d.md": "Title: Chỉ có siêu dữ liệu\nDate: 01/01/2022\n",
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\nTrang không cần ngày.\n",
        "e.txt": "Title: Tệp .txt\n",
    })
    problems, checked, _ = check_tree(content, SETTINGS)
    assert checked == 5
    found = sorted((p.path.rsplit("/", 1)[-1], p.code) for p in problems)
    assert found == [("a.md", "missing-title"), ("b.md", "missing-date"), ("c.md", "empty-file"),
                     ("d.md", "empty-body"), ("e.txt", "not-a-source")]


def test_campaign_names_come_from_the_registry(make_content):
    registry = ROOT / "content" / "campaigns.toml"
    if not (ROOT / "plugins/campaigns/registry.py").exists() or not registry.exists():
        pytest.skip("campaign registry not available yet")
    from plugins.campaigns.registry import load_registry

    first = next(iter(load_registry(registry)))
    content = make_content({
        "a.md": f"Title: Có chiến dịch\nDate: 01/01/2022\nCampaign: {first.name}\n\nNội dung.\n",
        "b.md": "Title: Không chiến dịch\nDate: 01/01/2022\nCampaign: none\n\nNội dung.\n",
        "c.md": f"Title: Chiến dịch gõ sai\nDate: 01/01/2022\nCampaign: {first.name[:-2]}\n\nNội dung.\n",
    })
    (content / "campaigns.toml").write_bytes(registry.read_bytes())
    problems, _, _ = check_tree(content, SETTINGS)
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.code) for p in problems] == [("c.md", 3, "unknown-campaign")]
    assert repr(first.name) in problems[0].message  # suggested


def test_every_check_code_is_explained_in_the_editors_guide():
    # The rules live in plugins/content_rules since issue 11 (check and build share them).
    source = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "plugins/content_rules").glob("*.py")))
    emitted = set(re.findall(r'(?:ERROR|WARNING), "([a-z-]+)"', source))
    assert {"unknown-key", "forbidden-key", "html-removed", "root-relative-link"} <= emitted  # the scan works
    emitted |= {f"missing-{key}" for key in ("title", "date", "page", "image")}
    emitted |= {"outside-content", "dangling-link", "control-char", "bidi-control"}  # codes held in variables
    guide = (ROOT / "docs/huong-dan-bien-tap.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \| (?:lỗi|cảnh báo|ghi chú) \|", guide, re.MULTILINE))
    assert emitted <= documented, emitted - documented
