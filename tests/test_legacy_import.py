"""plugins.legacy_import: text dumps and saved pages of the old portal -> content/*.md -> built pages."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_build, soup, with_imported_categories
from plugins.legacy_import import import_paths, parse_source
from plugins.legacy_import.common import find_date, lead_summary, normalize_date_text, source_line_author
from plugins.legacy_import.html2md import Converter, escape_inline
from plugins.legacy_import.importer import read_metadata
from plugins.vntext import nfc, parse_vn_date

FIXTURES = ROOT / "tests" / "fixtures" / "legacy"
SEED_TXT = FIXTURES / "seed" / "ubnd-vinh-yen-binh-dang-gioi-2022-06-22.txt"
SEED_SLUG = "ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022"
HAND_MADE_SEED = ROOT / "content" / "2022" / "06" / f"{SEED_SLUG}.md"
HTML_FIXTURES = sorted(FIXTURES.glob("*.html"))
# Portal chrome that must never reach an article body.
CHROME = [
    "Các tin đã đưa ngày", "Bạn thấy trang web", "Thăm dò ý kiến", "Các tin khác", "Tin liên quan",
    "Tin cùng chuyên mục", "In trang", "Gửi email", "Chia sẻ", "Trang chủ", "Biểu quyết",
    "Lượt xem", "Bản quyền", "Liên kết", "Đăng nhập",
]


def words(text):
    return " ".join(nfc(text).split())


BLOCKS = ["p", "li", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "figcaption"]


def block_text(element):
    """Text of an element with its blocks separated by one space (inline markup kept tight)."""
    blocks = [b for b in element.find_all(BLOCKS) if b.find(BLOCKS) is None]
    return words(" ".join(b.get_text() for b in blocks))


def expected(fixture):
    return json.loads(fixture.with_name(fixture.stem + ".expected.json").read_text(encoding="utf-8"))


def article_parts(page):
    """(h1, datetime attr, meta text, byline, body element) of a built article page."""
    meta = page.find(class_="article-meta")
    byline = meta.find(class_="byline")
    return (
        words(page.find("h1").get_text()),
        meta.find("time")["datetime"],
        words(meta.get_text(" ")),
        words(byline.get_text()) if byline else "",
        page.find(class_="article-body"),
    )


def built_article(output, markdown_path):
    """The built page of an imported article, found from its Date and slug."""
    meta = read_metadata(markdown_path.read_text(encoding="utf-8"))
    date = parse_vn_date(meta["date"])
    slug = meta.get("slug", markdown_path.stem)
    return soup(output / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}" / f"{slug}.html")


# --- the seed: imported text dump == hand-made article -----------------------------------------


def test_seed_text_dump_builds_like_the_hand_made_article(tmp_path):
    imported = tmp_path / "imported"
    report = import_paths([SEED_TXT], imported)
    assert [o.status for o in report.outcomes] == ["imported"]
    md = imported / "2022" / "06" / f"{SEED_SLUG}.md"
    assert report.outcomes[0].article == md.as_posix()
    text = md.read_text(encoding="utf-8")
    assert "Các tin đã đưa" not in text and "Bạn thấy trang web" not in text

    hand = tmp_path / "hand"
    (hand / "2022" / "06").mkdir(parents=True)
    shutil.copy(HAND_MADE_SEED, hand / "2022" / "06" / HAND_MADE_SEED.name)

    out_imported = run_build(imported, tmp_path / "out-imported")
    out_hand = run_build(hand, tmp_path / "out-hand")
    assert out_imported.returncode == 0, out_imported.log
    assert out_hand.returncode == 0, out_hand.log
    url = f"2022/06/22/{SEED_SLUG}.html"
    got = article_parts(soup(out_imported.output / url))
    want = article_parts(soup(out_hand.output / url))
    assert got[0] == want[0] == "UBND thành phố triển khai công tác Bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2022"
    assert got[1] == want[1] == "2022-06-22T00:00:00+07:00"
    assert got[3] == want[3] == "Hồng Nhung"
    got_paragraphs = [words(p.get_text()) for p in got[4].find_all("p")]
    want_paragraphs = [words(p.get_text()) for p in want[4].find_all("p")]
    assert len(got_paragraphs) == 3
    assert got_paragraphs == want_paragraphs
    body = got[4].get_text()
    assert "Hồng Nhung" not in body  # the signature became the Author
    assert "Các tin đã đưa ngày" not in body and "Bạn thấy trang web" not in body


# --- every HTML fixture ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported_fixtures(tmp_path_factory):
    """All fixtures imported once into a fresh content folder and built."""
    base = tmp_path_factory.mktemp("legacy")
    content = base / "content"
    report = import_paths([FIXTURES], content)
    result = run_build(content, base / "output", extra=with_imported_categories(content))
    assert result.returncode == 0, result.log
    return {"content": content, "report": report, "output": result.output, "base": base}


def test_fixture_set_is_big_and_varied(imported_fixtures):
    # Ten or more different pages, every one imported and published by the real build.
    imported = [o for o in imported_fixtures["report"].outcomes if o.status == "imported"
                and built_article(imported_fixtures["output"], Path(o.article)).find("h1")]
    assert len(imported) >= 10 and {Path(o.source) for o in imported} >= set(HTML_FIXTURES)
    raw = [f.read_bytes() for f in HTML_FIXTURES]
    assert any(b"windows-1258" in r for r in raw), "a windows-1258 page"
    assert any(b"<font" in r for r in raw) and any(b'align="right"' in r for r in raw)
    assert any(b"<iframe" in r for r in raw) and any(b"onclick" in r for r in raw)
    for fixture in HTML_FIXTURES:
        assert fixture.with_name(fixture.stem + ".expected.json").is_file(), fixture.name


@pytest.mark.parametrize("fixture", HTML_FIXTURES, ids=lambda p: p.stem)
def test_fixture_imports_with_right_fields(fixture, imported_fixtures):
    want = expected(fixture)
    outcome = next(o for o in imported_fixtures["report"].outcomes if o.source == fixture.as_posix())
    assert outcome.status == "imported", outcome
    md = Path(outcome.article)
    text = md.read_text(encoding="utf-8")
    assert text == nfc(text)
    meta = read_metadata(text)
    assert meta["title"] == want["title"]
    assert meta["date"] == want["date"]
    assert meta.get("author", "") == want["author"]
    assert meta.get("category", "") == want["category"]
    assert meta.get("original_url", "") == want["original_url"]
    assert meta["imported_from"] == fixture.name
    assert meta.get("summary"), "every imported article gets a Summary"
    # No script, iframe, event handler or javascript: link reaches the Markdown.
    lowered = text.lower()
    for bad in ("<script", "<iframe", "onclick", "onload", "javascript:", "<style", "<form", "<input"):
        assert bad not in lowered, bad

    page = built_article(imported_fixtures["output"], md)
    h1, when, meta_text, byline, body = article_parts(page)
    assert h1 == want["title"]
    day, month, year = want["date"][:10].split("/")
    time = want["date"][11:] or "00:00"
    assert when == f"{year}-{month}-{day}T{time}:00+07:00"
    assert (byline or meta_text).find(want["author"]) >= 0
    body_text = block_text(body)
    assert body_text.startswith(words(want["first_sentence"])), body_text[:200]
    assert body_text.endswith(words(want["last_sentence"])), body_text[-200:]
    for chrome in CHROME:
        assert chrome not in body_text, chrome
    if want["author"]:
        assert want["author"] not in body_text
    assert body.find(["script", "iframe", "form", "input", "style", "object", "embed"]) is None
    for tag in body.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        assert not str(tag.get("href", "")).lower().startswith("javascript:")

    images = body.find_all("img")
    local = [i for i in images if not i["src"].startswith("http")]
    assert len(local) == want["images_copied"]
    for img in local:
        assert img.get("alt"), "images keep their alt text"
        target = (page_path(imported_fixtures["output"], md).parent / img["src"]).resolve()
        assert target.is_file(), img["src"]
    missing = [w for w in outcome.warnings if w.startswith("missing image")]
    assert len(missing) == want["images_missing"]


def page_path(output, md):
    meta = read_metadata(md.read_text(encoding="utf-8"))
    date = parse_vn_date(meta["date"])
    return output / f"{date:%Y}" / f"{date:%m}" / f"{date:%d}" / f"{meta.get('slug', md.stem)}.html"


def test_data_table_lists_and_links_survive(imported_fixtures):
    md = next(Path(o.article) for o in imported_fixtures["report"].outcomes if "04-article" in o.source)
    body = built_article(imported_fixtures["output"], md).find(class_="article-body")
    table = body.find("table")
    assert [words(th.get_text()) for th in table.find_all("th")] == ["Lĩnh vực", "Điểm tối đa", "Điểm đạt được"]
    assert len(table.find_all("tr")) == 4
    assert len(body.find("ul").find_all("li")) == 3 and len(body.find("ol").find_all("li")) == 3
    assert body.find("strong").get_text() == "89,42 điểm"
    assert body.find("ul").find("em").get_text() == "thủ tục hành chính"
    link = body.find("a", string="Quyết định số 125/QĐ-UBND")
    assert link["href"] == "https://vinhyen.vinhphuc.gov.vn/van-ban/quyet-dinh-125-qd-ubnd.pdf"


def test_subheadings_quotes_and_captions(imported_fixtures):
    outcomes = imported_fixtures["report"].outcomes
    md = next(Path(o.article) for o in outcomes if "08-utf8" in o.source)
    page = built_article(imported_fixtures["output"], md)
    assert len(page.find_all("h1")) == 1
    body = page.find(class_="article-body")
    assert [words(h.get_text()) for h in body.find_all("h3")] == ["Nhiều mô hình hiệu quả", "Tháo gỡ khó khăn về vốn"]
    assert body.find("blockquote").get_text().strip().startswith("“Hợp tác xã")
    md = next(Path(o.article) for o in outcomes if "02-sharepoint" in o.source)
    body = built_article(imported_fixtures["output"], md).find(class_="article-body")
    img = body.find("img")
    assert img["alt"] == "Toàn cảnh Công viên Hoàng Hoa Thám"
    caption = img.find_parent("p").find_next_sibling("p")
    assert words(caption.get_text()) == "Toàn cảnh Công viên Hoàng Hoa Thám sau cải tạo" and caption.find("em")


# --- safety: idempotence, --force, edited articles, images ----------------------------------


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_importing_twice_changes_nothing(tmp_path):
    content = tmp_path / "content"
    first = import_paths([FIXTURES], content)
    assert {o.status for o in first.outcomes} == {"imported"}
    before = snapshot(content)
    second = import_paths([FIXTURES], content)
    assert [o.status for o in second.outcomes] == ["unchanged"] * len(first.outcomes)
    assert [o.article for o in second.outcomes] == [o.article for o in first.outcomes]
    assert snapshot(content) == before
    # One article per page: as many Markdown files as sources.
    assert len(list(content.rglob("*.md"))) == len(first.outcomes) == len(HTML_FIXTURES) + 1


def test_edited_article_is_kept_unless_forced(tmp_path):
    content = tmp_path / "content"
    fixture = FIXTURES / "01-aspnet-table-layout.html"
    md = Path(import_paths([fixture], content).outcomes[0].article)
    edited = md.read_text(encoding="utf-8").replace("Minh Hương", "Minh Hương (biên tập lại)")
    md.write_text(edited, encoding="utf-8")

    again = import_paths([fixture], content).outcomes[0]
    assert again.status == "skipped" and again.reason.startswith("edited")
    assert md.read_text(encoding="utf-8") == edited

    forced = import_paths([fixture], content, force=True).outcomes[0]
    assert forced.status == "updated"
    assert "biên tập lại" not in md.read_text(encoding="utf-8")
    assert import_paths([fixture], content).outcomes[0].status == "unchanged"


def test_hand_made_article_with_same_title_is_not_overwritten(tmp_path):
    content = tmp_path / "content"
    target = content / "2022" / "06" / HAND_MADE_SEED.name
    target.parent.mkdir(parents=True)
    shutil.copy(HAND_MADE_SEED, target)
    outcome = import_paths([SEED_TXT], content).outcomes[0]
    assert outcome.status == "skipped" and "edited" in outcome.reason
    assert target.read_bytes() == HAND_MADE_SEED.read_bytes()
    assert len(list(content.rglob("*.md"))) == 1


def test_different_pages_with_the_same_title_get_distinct_slugs(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    page = (FIXTURES / "09-news-detail-bold-signature.html").read_text(encoding="utf-8")
    (src / "a.html").write_text(page, encoding="utf-8")
    (src / "b.html").write_text(page.replace("2715.html", "2716.html").replace("07/09/2020", "08/09/2020"),
                                encoding="utf-8")
    content = tmp_path / "content"
    report = import_paths([src], content)
    assert [o.status for o in report.outcomes] == ["imported", "imported"]
    names = sorted(Path(o.article).name for o in report.outcomes)
    assert names == ["vinh-yen-tuyen-truyen-pho-bien-phap-luat-cho-hoc-sinh-2.md",
                     "vinh-yen-tuyen-truyen-pho-bien-phap-luat-cho-hoc-sinh.md"]
    assert "Slug: vinh-yen-tuyen-truyen-pho-bien-phap-luat-cho-hoc-sinh-2" in Path(report.outcomes[1].article).read_text()
    assert [o.status for o in import_paths([src], content).outcomes] == ["unchanged", "unchanged"]
    result = run_build(content, tmp_path / "out", extra=with_imported_categories(content))
    assert result.returncode == 0, result.log


def test_images_copied_and_missing_ones_reported(tmp_path):
    content = tmp_path / "content"
    outcome = import_paths([FIXTURES / "05-missing-image-embedded-video.html"], content).outcomes[0]
    copied = sorted(p.relative_to(content).as_posix() for p in (content / "images").rglob("*") if p.is_file())
    assert copied == ["images/2022/09/cac-truong-hoc-tren-dia-ban-thanh-pho-khai-giang-nam-hoc-2022-2023/le-khai-giang.jpg"]
    assert outcome.warnings == [
        "missing image https://vinhyen.vinhphuc.gov.vn/uploads/2022/09/trao-qua.jpg (linked to the old portal)"
    ]
    text = Path(outcome.article).read_text(encoding="utf-8")
    assert "![Học sinh Trường THCS Vĩnh Yên dự lễ khai giảng]({static}/images/2022/09/" in text

    # A saved page whose image folder is gone: reported, alt text kept, no broken link.
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(FIXTURES / "11-ckeditor-figure-inline-boilerplate.html", src)
    outcome = import_paths([src], tmp_path / "content2").outcomes[0]
    assert outcome.status == "imported"
    assert outcome.warnings == ["missing image ./11-ckeditor-figure-inline-boilerplate_files/hoi-thi.png (alt text kept)"]
    assert "_files/" not in Path(outcome.article).read_text(encoding="utf-8")


def test_cli_report_table_json_and_exit_code(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><p>Không có tiêu đề, không có ngày.</p></body></html>", encoding="utf-8")
    report_file = tmp_path / "report.json"
    cmd = [sys.executable, "-m", "plugins.legacy_import", str(FIXTURES / "01-aspnet-table-layout.html"),
           str(broken), "--content", str(tmp_path / "content"), "--report-json", str(report_file)]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert re.search(r"^imported\s+\S*01-aspnet-table-layout\.html", run.stdout, re.M)
    assert re.search(r"^failed\s+\S*broken\.html\s+-\s+\S", run.stdout, re.M)
    assert "1 imported, 0 updated, 0 unchanged, 0 skipped, 1 failed" in run.stdout
    data = json.loads(report_file.read_text(encoding="utf-8"))
    assert data["counts"] == {"imported": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 1}
    assert [i["status"] for i in data["items"]] == ["imported", "failed"]
    assert data["items"][1]["reason"]
    assert run.stderr == ""  # no progress bar when not a terminal and few files

    again = subprocess.run(cmd[:4] + cmd[5:-2] + ["--progress", "always"], cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0 and "1 unchanged" in again.stdout
    assert "1/1" in again.stderr


# --- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("Thứ Tư, 22/06/2022 - 10:08", "22/06/2022 10:08"),
    ("22-6-2022", "22-6-2022"),
    ("22/06/2022 10:08", "22/06/2022 10:08"),
    ("Cập nhật lúc 10:08 PM ngày 22-6-2022", "22-6-2022 22:08"),
    ("02:15 PM, 07/09/2020", "07/09/2020 14:15"),
    ("Đăng ngày 22.08.2022, 09:40", "22.08.2022 09:40"),
    ("Thứ Hai, 14/11/2022 | 15:45", "14/11/2022 15:45"),
    ("2023-03-09T14:30:00+07:00", "2023-03-09 14:30:00"),
    ("ngày 5 tháng 6 năm 2022", "5/6/2022"),
    ("Lượt xem: 1.532", None),
])
def test_date_strings_are_rewritten_for_parse_vn_date(text, value):
    assert normalize_date_text(text) == value
    if value:
        assert find_date(text) == parse_vn_date(value)


def test_impossible_date_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="31/02/2022"):
        find_date("Thứ Tư, 31/02/2022")


@pytest.mark.parametrize("line, author", [
    ("Nguồn: Báo Vĩnh Phúc", "Báo Vĩnh Phúc"),
    ("Theo vinhphuc.gov.vn", "vinhphuc.gov.vn"),
    ("Theo Báo Vĩnh Phúc", "Báo Vĩnh Phúc"),
    ("Bài, ảnh: Quang Vinh", "Quang Vinh"),
    ("Theo đó, thành phố sẽ đẩy mạnh các hoạt động tuyên truyền", ""),
    ("Theo kế hoạch, hội nghị diễn ra trong hai ngày.", ""),
])
def test_source_lines(line, author):
    assert source_line_author(line) == author


def test_markdown_special_characters_are_escaped_and_round_trip():
    from html import escape

    import markdown
    from bs4 import BeautifulSoup

    texts = ["1. Giá *khuyến mại* [50%] <b> _x_", "# không phải tiêu đề", "- không phải danh sách",
             "---", ": không phải định nghĩa", "~~~ không phải mã", "> không phải trích dẫn",
             "`mã` và \\ gạch chéo", "A &amp; B"]
    html = "<div>" + "".join(f"<p>{escape(t)}</p>" for t in texts) + "</div>"
    md = Converter().convert(BeautifulSoup(html, "html.parser").div)
    rendered = BeautifulSoup(markdown.markdown(md, extensions=["extra", "sane_lists"]), "html.parser")
    assert [p.get_text() for p in rendered.find_all("p")] == texts
    assert rendered.find(["ol", "ul", "h1", "h2", "em", "b", "hr", "dl", "pre", "code", "blockquote"]) is None
    assert escape_inline("a*b") == "a\\*b"


def test_lead_summary_keeps_whole_sentences():
    text = "Câu thứ nhất khá dài " + "rất dài " * 40 + "kết thúc. Câu thứ hai."
    assert lead_summary(text).endswith("kết thúc.")
    assert lead_summary("Ngắn gọn. Hai câu.") == "Ngắn gọn. Hai câu."


def test_parse_source_reads_the_text_dump_format():
    article = parse_source(SEED_TXT)
    assert article.author == "Hồng Nhung"
    assert article.date == parse_vn_date("22/06/2022")
    assert len(article.body.strip().split("\n\n")) == 3


HOSTILE = """<html><head><title>Bài kiểm tra an toàn</title>
<link rel="canonical" href="http://vinhyen.vinhphuc.gov.vn/tin-tuc/an-toan-1.html"></head><body>
<h1 class="title">Bài kiểm tra an toàn</h1><div class="date">Thứ Tư, 22/06/2022 - 10:08</div>
<div class="news-content">
<p onclick="alert(1)" onmouseover="steal()">Đoạn một có <a href="jav&#x09;ascript:alert(1)">liên kết độc</a>,
<a href=" JAVASCRIPT:alert(2)">liên kết hai</a>, <a href="data:text/html,<script>alert(3)</script>">ba</a>
và <a href="/tin-tuc/khac.html">liên kết thường</a>.</p>
<p style="display:none">Nội dung ẩn nhồi từ khóa</p>
<p>Đoạn hai &lt;script&gt;alert(4)&lt;/script&gt; vẫn là chữ.</p>
<script>alert(5)</script><iframe src="https://evil.example/"></iframe><object data="x.swf"></object>
<img src="https://stats.example.com/pixel.gif?id=1"><img src="/uploads/a.jpg" width="1" height="1">
<img src="javascript:alert(6)" alt="Ảnh độc">
<form action="/vote"><input name="x"><button>Gửi</button></form>
<p align="right"><b>Phóng viên</b></p>
</div></body></html>"""


def test_hostile_markup_never_reaches_the_markdown(tmp_path):
    src = tmp_path / "an-toan.html"
    src.write_text(HOSTILE, encoding="utf-8")
    outcome = import_paths([src], tmp_path / "content").outcomes[0]
    assert outcome.status == "imported", outcome
    text = Path(outcome.article).read_text(encoding="utf-8")
    lowered = text.lower()
    for bad in ("javascript", "data:", "<script", "onclick", "onmouseover", "iframe", "evil.example",
                "stats.example", "a.jpg", "x.swf", "nội dung ẩn", "<form", "<input"):
        assert bad not in lowered, bad
    assert "[liên kết thường](http://vinhyen.vinhphuc.gov.vn/tin-tuc/khac.html)" in text
    assert "liên kết độc" in text and "Ảnh độc" in text  # the text stays, the link goes
    result = run_build(tmp_path / "content", tmp_path / "out", extra=with_imported_categories(tmp_path / "content"))
    assert result.returncode == 0, result.log
    body = built_article(result.output, Path(outcome.article)).find(class_="article-body")
    assert body.find(["script", "iframe", "object", "form", "img"]) is None
    assert "<script>alert(4)</script>" in body.get_text()  # shown as text, not run
    assert all(a["href"].startswith("http") for a in body.find_all("a"))


def test_pathological_nesting_fails_cleanly_or_imports(tmp_path):
    src = tmp_path / "sau.html"
    src.write_text("<html><head><title>Lồng sâu</title></head><body><h1 class='title'>Lồng sâu quá mức</h1>"
                   "<div class='date'>22/06/2022</div><div class='news-content'>" + "<font>" * 5000
                   + "Nội dung lồng rất sâu trong năm nghìn thẻ font của trình soạn thảo cũ.</div></body></html>",
                   encoding="utf-8")
    outcome = import_paths([src], tmp_path / "content").outcomes[0]
    # Redundant <font> wrappers are unwrapped: the page imports.
    assert outcome.status == "imported", outcome
    assert "Nội dung lồng rất sâu" in Path(outcome.article).read_text(encoding="utf-8")
    deep = tmp_path / "sau-div.html"
    deep.write_text("<html><body><h1 class='title'>Lồng sâu</h1><div class='date'>22/06/2022</div>"
                    + "<div class='x'>" * 3000 + "Chữ.</body></html>", encoding="utf-8")
    outcome = import_paths([deep], tmp_path / "content").outcomes[0]
    assert outcome.status == "failed" and "nested" in outcome.reason


def test_the_day_a_page_was_viewed_is_not_its_date(tmp_path):
    page = (FIXTURES / "05-missing-image-embedded-video.html").read_text(encoding="utf-8")
    src = tmp_path / "khong-ngay.html"
    src.write_text(page.replace('<div class="detail-time">Ngày 5-9-2022</div>', ""), encoding="utf-8")
    outcome = import_paths([src], tmp_path / "content").outcomes[0]
    # The header shows "Hôm nay: Thứ Bảy, 28/11/2026": never taken as the article's date.
    assert outcome.status == "failed" and "no date" in outcome.reason


def test_body_sentences_starting_like_chrome_words_are_kept(tmp_path):
    src = tmp_path / "chia-se.html"
    src.write_text(
        "<html><head><title>Hội nghị</title></head><body><h1 class='title'>Hội nghị chia sẻ kinh nghiệm</h1>"
        "<div class='date'>22/06/2022</div><div class='news-content'>"
        "<p><b>Chia sẻ với phóng viên</b>, ông Nguyễn Văn A cho biết hội nghị đã thành công tốt đẹp.</p>"
        "<p>Trở về địa phương, các đại biểu sẽ triển khai ngay các nội dung đã thống nhất.</p>"
        "<p>Chia sẻ: Facebook Zalo</p></div></body></html>", encoding="utf-8")
    outcome = import_paths([src], tmp_path / "content").outcomes[0]
    text = Path(outcome.article).read_text(encoding="utf-8")
    assert "**Chia sẻ với phóng viên**, ông Nguyễn Văn A" in text
    assert "Trở về địa phương" in text
    assert "Facebook" not in text
