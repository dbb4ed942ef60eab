"""plugins.site_meta: sitemap.xml (and its index), robots.txt and the article metadata export."""

import doctest
import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from plugins.site_meta import export, robots, sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ISO_VN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
BASE = "http://localhost:8000"  # FEED_DOMAIN of pelicanconf.py: the development address

FILES = {
    "2022/06/binh-dang-gioi.md": """Title: UBND thành phố triển khai công tác Bình đẳng giới năm 2022
Date: 22/06/2022 10:08
Modified: 05/07/2022 08:30
Category: Tin tức - Sự kiện
Tags: bình đẳng giới, phụ nữ
Author: Hồng Nhung
Campaign: Bình đẳng giới
Summary: UBND thành phố Vĩnh Yên vừa xây dựng Kế hoạch "Bình đẳng giới" & tiến bộ.

Nội dung bài viết.
""",
    "2022/06/hop-bao.md": """Title: Họp báo <b>quý II</b> & kế hoạch
Date: 05/06/2022 09:00
Category: Kinh tế - Đô thị
Campaign: none

Không có tác giả, không có tóm tắt.
""",
    "2023/01/tet.md": """Title: Vui xuân đón Tết
Date: 15/01/2023
Category: Văn hóa - Xã hội
Tags: tết
Author: Thu Hà

Nội dung.
""",
    "pages/gioi-thieu.md": """Title: Giới thiệu

Trang giới thiệu.
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from conftest import run_build

    base = tmp_path_factory.mktemp("site-meta")
    content = base / "content"
    for rel, text in FILES.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    (content / "campaigns.toml").write_bytes((ROOT / "content" / "campaigns.toml").read_bytes())
    result = run_build(content, base / "output")
    assert result.returncode == 0, result.log
    return {"content": content, "output": result.output, "base": base}


def urlset(path):
    root = ET.parse(path).getroot()
    assert root.tag == "{%s}urlset" % NS["s"]
    return {u.find("s:loc", NS).text: getattr(u.find("s:lastmod", NS), "text", None)
            for u in root.findall("s:url", NS)}


def test_sitemap_lists_every_article_and_archive_page_with_lastmod(site):
    entries = urlset(site["output"] / "sitemap.xml")
    expected = {
        "/": "2023-01-15T00:00:00+07:00",
        "/2022/06/22/ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-nam-2022.html": "2022-07-05T08:30:00+07:00",
        "/2022/06/05/hop-bao-quy-ii-ke-hoach.html": "2022-06-05T09:00:00+07:00",
        "/2023/01/15/vui-xuan-don-tet.html": "2023-01-15T00:00:00+07:00",
        "/2022/": "2022-07-05T08:30:00+07:00", "/2022/06/": "2022-07-05T08:30:00+07:00",
        "/2022/06/22/": "2022-07-05T08:30:00+07:00", "/2022/06/05/": "2022-06-05T09:00:00+07:00",
        "/2023/": "2023-01-15T00:00:00+07:00", "/2023/01/": "2023-01-15T00:00:00+07:00",
        "/2023/01/15/": "2023-01-15T00:00:00+07:00",
        "/chuyen-muc/": "2023-01-15T00:00:00+07:00",
        "/chuyen-muc/tin-tuc-su-kien/": "2022-07-05T08:30:00+07:00",
        "/chuyen-muc/kinh-te-do-thi/": "2022-06-05T09:00:00+07:00",
        "/chuyen-muc/van-hoa-xa-hoi/": "2023-01-15T00:00:00+07:00",
        "/the/": "2023-01-15T00:00:00+07:00", "/the/binh-dang-gioi/": "2022-07-05T08:30:00+07:00",
        "/the/phu-nu/": "2022-07-05T08:30:00+07:00", "/the/tet/": "2023-01-15T00:00:00+07:00",
        "/tac-gia/": "2023-01-15T00:00:00+07:00", "/tac-gia/hong-nhung/": "2022-07-05T08:30:00+07:00",
        "/tac-gia/thu-ha/": "2023-01-15T00:00:00+07:00",
        "/luu-tru/": "2023-01-15T00:00:00+07:00",
        "/chien-dich/": "2023-01-15T00:00:00+07:00",
        "/chien-dich/binh-dang-gioi/": "2022-07-05T08:30:00+07:00",
        "/trang/gioi-thieu.html": None,
    }
    for path, lastmod in expected.items():
        assert entries.get(BASE + path, "missing") == lastmod, path
    # Every URL is absolute, served by this build, and every lastmod is Vietnam time.
    for loc, lastmod in entries.items():
        assert loc.startswith(BASE + "/")
        rel = loc[len(BASE) + 1:]
        assert (site["output"] / (rel + "index.html" if rel.endswith("/") or not rel else rel)).is_file(), loc
        assert lastmod is None or ISO_VN.match(lastmod), lastmod
    # Not content: the 404 page, the "no news" page, paginated pages, feeds.
    assert not [loc for loc in entries if re.search(r"404|khong-co-tin|/trang/\d+/|feeds", loc)]
    assert list(entries) == sorted(entries)


def test_sitemap_is_split_with_an_index_above_the_threshold(site, build_site):
    whole = urlset(site["output"] / "sitemap.xml")
    result = build_site(site["content"], extra={"SITE_META_SITEMAP_MAX_URLS": 7})
    assert result.returncode == 0, result.log
    index = ET.parse(result.output / "sitemap.xml").getroot()
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    parts = [(s.find("s:loc", NS).text, getattr(s.find("s:lastmod", NS), "text", None))
             for s in index.findall("s:sitemap", NS)]
    count = -(-len(whole) // 7)
    assert [loc for loc, _ in parts] == [f"{BASE}/sitemap-{n}.xml" for n in range(1, count + 1)]
    merged = {}
    for loc, lastmod in parts:
        entries = urlset(result.output / loc[len(BASE) + 1:])
        assert 1 <= len(entries) <= 7
        assert lastmod == max((v for v in entries.values() if v), default=None)
        merged.update(entries)
    assert merged == whole
    assert not (result.output / f"sitemap-{count + 1}.xml").exists()


def test_robots_txt_points_at_the_absolute_production_sitemap(site, build_site):
    dev = (site["output"] / "robots.txt").read_text(encoding="utf-8")
    assert dev == f"User-agent: *\nDisallow: /khong-co-tin/\n\nSitemap: {BASE}/sitemap.xml\n"
    result = build_site(site["content"], settings=ROOT / "publishconf.py")
    assert result.returncode == 0, result.log
    prod = (result.output / "robots.txt").read_text(encoding="utf-8")
    assert prod == ("User-agent: *\nDisallow: /tin-tuc/khong-co-tin/\n\n"
                    "Sitemap: https://vinhyen.vinhphuc.gov.vn/tin-tuc/sitemap.xml\n")
    assert "<loc>https://vinhyen.vinhphuc.gov.vn/tin-tuc/2023/01/15/vui-xuan-don-tet.html</loc>" in (
        result.output / "sitemap.xml").read_text(encoding="utf-8")


def test_export_has_every_articles_metadata_sorted(site):
    text = (site["output"] / "luu-tru" / "bai-viet.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["count"] == 3 == len(data["articles"])
    assert len(text.splitlines()) == 3 + 2  # one line per article
    first, second, third = data["articles"]
    assert first == {
        "title": "Họp báo <b>quý II</b> & kế hoạch", "url": f"{BASE}/2022/06/05/hop-bao-quy-ii-ke-hoach.html",
        "date": "2022-06-05T09:00:00+07:00", "modified": None, "category": "Kinh tế - Đô thị", "tags": [],
        "author": None, "campaigns": [], "summary": None,
    }
    assert second["title"] == "UBND thành phố triển khai công tác Bình đẳng giới năm 2022"
    assert second["modified"] == "2022-07-05T08:30:00+07:00"
    assert second["author"] == "Hồng Nhung" and second["tags"] == ["bình đẳng giới", "phụ nữ"]
    assert second["campaigns"] == ["binh-dang-gioi"]
    # As the site shows it: typogrify's quotes, the & unescaped.
    assert second["summary"] == "UBND thành phố Vĩnh Yên vừa xây dựng Kế hoạch “Bình đẳng giới” & tiến bộ."
    assert third["url"].endswith("/2023/01/15/vui-xuan-don-tet.html") and third["modified"] is None
    assert [a["date"] for a in data["articles"]] == sorted(a["date"] for a in data["articles"])


def test_outputs_are_byte_identical_between_builds(site, build_site):
    again = build_site(site["content"])
    assert again.returncode == 0, again.log
    for rel in ("sitemap.xml", "robots.txt", "luu-tru/bai-viet.json", "sitemap.xml.gz", "luu-tru/bai-viet.json.gz"):
        assert (again.output / rel).read_bytes() == (site["output"] / rel).read_bytes(), rel


def test_a_source_writing_the_same_file_fails_naming_both(site, build_site):
    result = build_site(site["content"], extra={"SITE_META_EXPORT_SAVE_AS": "chuyen-muc/index.html"})
    assert result.returncode != 0
    line = next(ln for ln in result.log.splitlines() if "chuyen-muc/index.html" in ln and "build_guard" in ln)
    assert "the article metadata export" in line and "categories" in line


def test_bad_settings_are_named_and_replaced(build_site, site):
    result = build_site(site["content"], extra={"SITE_META_SITEMAP_MAX_URLS": 0})
    assert "site_meta: invalid SITE_META_SITEMAP_MAX_URLS 0" in result.log


def test_write_sitemaps_streams_parts_of_the_given_size(tmp_path):
    entries = [(f"https://x.vn/{n:03d}.html", f"2022-06-{n % 28 + 1:02d}T00:00:00+07:00") for n in range(25)]
    written = sitemap.write_sitemaps(str(tmp_path), "sitemap.xml", "sm-{number}.xml", "https://x.vn",
                                     iter(entries), len(entries), 10)
    assert written == ["sitemap.xml", "sm-1.xml", "sm-2.xml", "sm-3.xml"]
    sizes = [len(urlset(tmp_path / name)) for name in written[1:]]
    assert sizes == [10, 10, 5]


@pytest.mark.parametrize("module", [sitemap, robots, export])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
