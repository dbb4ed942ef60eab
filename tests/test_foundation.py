"""The foundation: the seed article, day-first dates, Vietnamese text and the URL contract,
checked on real sites built into temporary folders."""

import re
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT

SEED_NAME = "ubnd-vinh-yen-binh-dang-gioi-2022-06-22.txt"
# The scraped original in ../shared when it is beside the repository, else the copy the
# repository keeps of it (the same bytes; test_seed_copy_is_the_original compares them).
SHARED_SEED = ROOT.parent / "shared" / "seed" / SEED_NAME
FIXTURE_SEED = ROOT / "tests" / "fixtures" / "legacy" / "seed" / SEED_NAME
SEED_TXT = SHARED_SEED if SHARED_SEED.exists() else FIXTURE_SEED
SEED_SLUG = "ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022"
SEED_URL = f"2022/06/22/{SEED_SLUG}.html"


def seed_parts():
    """Title and the three body paragraphs of the scraped seed, as the old portal had them."""
    lines = SEED_TXT.read_text(encoding="utf-8").split("\n")
    paragraphs = [line for line in lines[4:] if line.strip()]
    return lines[0].strip(), paragraphs[:3]


def article(title="Tin thử", date="22/06/2022", body="Nội dung bài viết.", **meta):
    header = [f"Title: {title}", f"Date: {date}"] + [f"{k.capitalize()}: {v}" for k, v in meta.items()]
    return "\n".join(header) + "\n\n" + body + "\n"


def test_seed_copy_is_the_original():
    assert FIXTURE_SEED.is_file()
    if SHARED_SEED.exists():
        assert FIXTURE_SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_article_page(sample_site):
    title, paragraphs = seed_parts()
    page = sample_site / SEED_URL
    assert page.exists()
    from conftest import soup

    doc = soup(page)
    assert doc.html["lang"] == "vi"
    h1s = doc.find_all("h1")
    assert [h.get_text(strip=True) for h in h1s] == [title]
    meta = doc.select_one(".article-meta").get_text(" ", strip=True)
    assert "Thứ Tư, 22/06/2022" in meta
    assert "Hồng Nhung" in doc.get_text()
    body = doc.select_one(".article-body")
    rendered = [p.get_text() for p in body.find_all("p")]
    # typogrify turns "..." into a real ellipsis; every letter and mark is otherwise verbatim.
    assert [p.replace("\u2026", "...") for p in rendered] == [p.replace("\u2026", "...") for p in paragraphs]
    # The old portal's boilerplate is not part of the article (the site's own date picker,
    # labelled "Các tin đã đưa ngày", lives in the page header, outside the article).
    article_text = doc.select_one("article").get_text()
    assert "Các tin đã đưa ngày" not in article_text
    assert "Bạn thấy trang web" not in doc.get_text()
    assert unicodedata.is_normalized("NFC", doc.get_text())


def test_seed_listed_on_its_day_month_year_and_category(sample_site):
    from conftest import soup

    for listing in ("2022/06/22/index.html", "2022/06/index.html", "2022/index.html",
                    "chuyen-muc/tin-tuc-su-kien/index.html"):
        links = [a["href"] for a in soup(sample_site / listing).select("main a[href]")]
        assert any(href.endswith(SEED_URL) for href in links), listing


def test_day_first_dates_and_impossible_dates(make_content, build_site, tmp_path):
    content = make_content({
        "2022/06/ngay-5-thang-6.md": article("Ngày năm tháng sáu", "05/06/2022"),
        "2022/06/co-gio.md": article("Có giờ đăng", "22/06/2022 10:08"),
    })
    result = build_site(content)
    assert result.returncode == 0, result.log
    assert (result.output / "2022/06/05/ngay-nam-thang-sau.html").exists()
    assert not (result.output / "2022/05").exists()
    doc = result.page("2022/06/22/co-gio-dang.html")
    assert doc.select_one(".article-meta time")["datetime"] == "2022-06-22T10:08:00+07:00"
    assert "Chủ nhật, 05/06/2022" in result.page("2022/06/05/ngay-nam-thang-sau.html").get_text()

    bad = make_content({"2022/02/ngay-khong-co.md": article("Ngày không có", "31/02/2022")},
                       base=tmp_path / "bad")
    result = build_site(bad)
    assert result.returncode != 0
    assert "2022/02/ngay-khong-co.md" in result.log
    assert "31/02/2022" in result.log
    assert "Traceback" not in result.log


@pytest.mark.parametrize("field, value, fragment", [
    ("Date", "00/01/2022", "00/01/2022"),
    ("Date", "22/06/22", "22/06/22"),
    ("Modified", "30/02/2023", "30/02/2023"),
    ("Slug", "../../etc/passwd", "Slug"),
    ("Slug", "a/b", "Slug"),
])
def test_bad_metadata_fails_naming_file_line_and_value(make_content, build_site, field, value, fragment):
    text = "Title: Bài lỗi\nDate: 01/01/2022\n" + f"{field}: {value}\n\nThân bài.\n"
    if field == "Date":
        text = f"Title: Bài lỗi\nDate: {value}\n\nThân bài.\n"
    content = make_content({"2022/01/bai-loi.md": text})
    result = build_site(content)
    assert result.returncode != 0
    line = 2 if field == "Date" else 3
    assert f"2022/01/bai-loi.md:{line}:" in result.log
    assert fragment in result.log


def test_non_utf8_source_is_an_error_naming_the_file(make_content, build_site):
    text = article("Bài cp1258", body="Thành phố").encode("cp1258", errors="replace")
    content = make_content({"2022/01/cp1258.md": text})
    result = build_site(content)
    assert result.returncode != 0
    assert "2022/01/cp1258.md" in result.log and "UTF-8" in result.log


def test_nfd_bom_crlf_sources_are_normalized(make_content, build_site):
    title = "Phường Đống Đa tuyên truyền bình đẳng giới"
    nfd = unicodedata.normalize("NFD", article(title, body="Bà con đồng tình.")).replace("\n", "\r\n")
    content = make_content({"2022/03/nfd.md": b"\xef\xbb\xbf" + nfd.encode("utf-8")})
    result = build_site(content)
    assert result.returncode == 0, result.log
    page = result.output / "2022/06/22/phuong-dong-da-tuyen-truyen-binh-dang-gioi.html"
    doc = result.page(str(page.relative_to(result.output)))
    assert doc.h1.get_text() == title  # NFC, compared with an NFC literal
    assert "Bà con đồng tình." in doc.select_one(".article-body").get_text()


def test_titles_are_text_not_html(make_content, build_site):
    title = 'Hội nghị "Dân vận khéo" <script>alert(1)</script> & Đảng bộ'
    content = make_content({"2022/03/html.md": article(title)})
    result = build_site(content)
    assert result.returncode == 0, result.log
    [page] = [p for p in result.output.glob("2022/06/22/*.html") if p.name != "index.html"]
    assert page.name == "hoi-nghi-dan-van-kheo-alert1-dang-bo.html"  # slug from the plain text
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    from conftest import soup

    assert "<script>alert(1)</script>" in soup(page).h1.get_text()


def test_explicit_slug_and_typogrify_keep_vietnamese(make_content, build_site):
    body = 'Ông nói: "Đoàn kết -- đoàn kết" và ... tiếp tục. UBND phường Liên Bảo.'
    content = make_content({"2022/04/slug.md": article("Tiêu đề dài", body=body, slug="ten-ngan")})
    result = build_site(content)
    assert result.returncode == 0, result.log
    text = result.page("2022/06/22/ten-ngan.html").select_one(".article-body").get_text()
    assert "Ông nói" in text and "Đoàn kết" in text and "UBND phường Liên Bảo" in text
    assert "\u201c" in text  # smart quotes from typogrify
    assert unicodedata.is_normalized("NFC", text)


def test_url_contract_on_sample_site(sample_site):
    expected = [
        "index.html", "chuyen-muc/index.html", "chuyen-muc/tin-tuc-su-kien/index.html",
        "the/index.html", "the/binh-dang-gioi/index.html", "2022/index.html", "2022/06/index.html",
        "2022/06/22/index.html", "feeds/all.atom.xml", "feeds/all.rss.xml",
        "feeds/chuyen-muc/tin-tuc-su-kien.atom.xml", "luu-tru/index.html",
    ]
    missing = [path for path in expected if not (sample_site / path).exists()]
    assert not missing
    articles = [p.relative_to(sample_site).as_posix() for p in sample_site.glob("[0-9][0-9][0-9][0-9]/*/*/*.html")
                if p.name != "index.html"]
    assert len(articles) >= 16
    assert all(re.fullmatch(r"\d{4}/\d{2}/\d{2}/[a-z0-9-]+\.html", a) for a in articles)


def test_invoke_new_writes_a_dated_draft_and_never_overwrites(tmp_path, build_site):
    import subprocess
    import sys

    from plugins.vntext import format_short_date, now_vn

    content = tmp_path / "content"
    command = [sys.executable, "-m", "invoke", "new", "Tiêu đề bài viết", "--content", str(content)]
    before = now_vn()
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    path = Path(first.stdout.strip())
    assert path.parent.parent.parent == content
    assert path.name == "tieu-de-bai-viet.md"
    assert path.parent.name in (f"{before:%m}", f"{now_vn():%m}")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Title: Tiêu đề bài viết\nDate: ")
    date_line = text.splitlines()[1]
    assert date_line.split()[1] in (format_short_date(before), format_short_date(now_vn()))

    path.write_text(text + "\nĐoạn đã sửa.\n", encoding="utf-8")
    edited = path.read_text(encoding="utf-8")
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert second.returncode != 0
    assert "refusing to overwrite" in second.stderr
    assert path.read_text(encoding="utf-8") == edited

    # The skeleton is a valid draft: it builds, and is held back until its Status line goes.
    result = build_site(content)
    assert result.returncode == 0, result.log
    assert not list(result.output.glob("*/*/*/tieu-de-bai-viet.html"))
    path.write_text(edited.replace("Status: draft\n", ""), encoding="utf-8")
    result = build_site(content)
    assert result.returncode == 0, result.log
    assert len(list(result.output.glob("*/*/*/tieu-de-bai-viet.html"))) == 1
