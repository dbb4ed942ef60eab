"""The search page /tim-kiem/ in headless Chromium, against real builds served over HTTP
below a path prefix (/tin-tuc/, as in production) with a Content-Security-Policy that
forbids inline scripts and styles (issue 9 acceptance).

1. A tailored site: every acceptance query returns exactly the expected articles.
2. A generated corpus of a few hundred articles: the JavaScript client's results (order
   and facet counts included) equal the Python brute-force reference for ~30 queries.
"""

import datetime as dt
import functools
import json
import http.server
import os
import random
import threading
import time
import unicodedata
from urllib.parse import quote

import pytest

from benchmarks.browser import CHROMIUM
from conftest import run_build
from plugins.site_search import reference
from plugins.site_search.ranking import Filters
from plugins.vntext import Analyzer, slugify, sort_key
from search_corpus import make_doc

PREFIX = "/tin-tuc"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'"

if not CHROMIUM.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI: /usr/bin/chromium is required for the search browser test")
    pytest.skip("/usr/bin/chromium is not installed", allow_module_level=True)


class PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output below PREFIX only (anything fetched from "/" is a 404), with a CSP."""

    def do_GET(self):
        if self.path == "/favicon.ico":  # the portal's own, outside the archive: not our concern
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def translate_path(self, path):
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            return os.path.join(self.directory, "__outside_the_prefix__")
        return super().translate_path(path[len(PREFIX):] or "/")

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, *args):
        pass


def serve(output):
    handler = functools.partial(PrefixHandler, directory=str(output))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread, f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"


def stop(httpd, thread):
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


REGISTRY = """
[[campaign]]
name = "Bình đẳng giới"
slug = "binh-dang-gioi"
phrases = ["bình đẳng giới"]

[[campaign]]
name = "An toàn giao thông"
slug = "an-toan-giao-thong"
phrases = ["an toàn giao thông"]
"""


def article(slug, title, date, body, category="Tin tức - Sự kiện", campaign="none", summary=""):
    head = f"Title: {title}\nSlug: {slug}\nDate: {date}\nCategory: {category}\nCampaign: {campaign}\n"
    if summary:
        head += f"Summary: {summary}\n"
    return head + "\n" + body + "\n"


NFD = unicodedata.normalize("NFD", "Phụ nữ Vĩnh Yên nói về bình đẳng giới trong gia đình")
TAILORED = {
    "campaigns.toml": REGISTRY,
    "2022/06/binh-dang.md": article(
        "binh-dang", "Hưởng ứng Tháng hành động vì bình đẳng giới", "22/06/2022 08:00",
        "UBND thành phố triển khai Tháng hành động vì bình đẳng giới năm 2022.\n\n"
        "Các phường tuyên truyền phòng chống bạo lực trên cơ sở giới.", "Tuyên truyền", "binh-dang-gioi"),
    "2021/03/roi-rac.md": article(
        "roi-rac", "Giới trẻ và thể thao", "10/03/2021",
        "Bình minh trên sân vận động, các đội thi đấu bình đẳng.\n\nĐẳng cấp của đội nhà."),
    "2023/05/nfd.md": article("nfd", "Phụ nữ nói về gia đình", "05/05/2023", NFD, "Văn hóa - Xã hội", "binh-dang-gioi"),
    "2020/01/dai-hoi-dang.md": article(
        "dai-hoi-dang", "Đại hội Đảng bộ thành phố Vĩnh Yên", "15/01/2020",
        "Đại hội đại biểu Đảng bộ thành phố lần thứ XX thành công tốt đẹp."),
    "2024/02/dang-body.md": article(
        "dang-body", "Hội nghị cán bộ phường", "02/02/2024", "Các đồng chí đảng viên dự hội nghị."),
    "2024/03/dang-cap.md": article(
        "dang-cap", "Đẳng cấp mới của thể thao phong trào", "03/03/2024", "Giải bóng đá đang diễn ra sôi nổi."),
    "2024/04/dang-dien-ra.md": article(
        "dang-dien-ra", "Lễ hội đang diễn ra tại công viên", "04/04/2024", "Nhân dân vui chơi."),
    "2019/05/duong.md": article(
        "duong", "Khởi công nâng cấp đường Nguyễn Tất Thành", "05/05/2019",
        "Tuyến đường dài 3 km, bảo đảm an toàn giao thông.", "Kinh tế - Đô thị", "an-toan-giao-thong"),
    "2019/06/duong-lieu.md": article(
        "duong-lieu", "Thăm làng Dương Liễu", "06/06/2019", "Làng nghề truyền thống."),
    "2018/07/hoa-moi.md": article("hoa-moi", "Hoà giải ở cơ sở phường Khai Quang", "07/07/2018", "Tổ hoà giải.",
                                  "Văn hóa - Xã hội"),
    "2018/08/hoa-cu.md": article("hoa-cu", "Tổ hòa giải tiêu biểu", "08/08/2018", "Công tác hòa giải.",
                                 "Văn hóa - Xã hội"),
    "2022/09/phong-chong.md": article(
        "phong-chong", "Bạo lực học đường", "09/09/2022",
        "Bạo lực phòng chống là cụm từ sai thứ tự.\n\nCần phòng chống\n\nbạo lực ở trường."),
    "2022/10/script.md": article(
        "script", "Cảnh giác <script>alert(1)</script> lừa đảo qua mạng", "10/10/2022",
        "Công an cảnh báo thủ đoạn lừa đảo <img src=x onerror=alert(2)>.", "An ninh - Quốc phòng"),
}

TAILORED.update({
    f"2017/{n + 1:02d}/tin-van-{n}.md": article(f"tin-van-{n}", f"Tin vắn số {n}", f"{n + 1:02d}/{n + 1:02d}/2017",
                                               "Thông báo của phường.")
    for n in range(12)
})

EXPECTED = {
    "bình đẳng giới": {"binh-dang", "roi-rac", "nfd"},
    "binh dang gioi": {"binh-dang", "roi-rac", "nfd"},
    "BÌNH ĐẲNG GIỚI": {"binh-dang", "roi-rac", "nfd"},
    '"bình đẳng giới"': {"binh-dang", "nfd"},
    '"phòng chống bạo lực"': {"binh-dang"},
    "duong": {"duong", "duong-lieu", "phong-chong"},
    "đường": {"duong", "phong-chong"},
    "hoà": {"hoa-moi", "hoa-cu"},
    "hòa": {"hoa-moi", "hoa-cu"},
    unicodedata.normalize("NFD", "phụ nữ"): {"nfd"},
    "đảng": {"dai-hoi-dang", "dang-body"},
    "lừa đảo": {"script"},
}


@pytest.fixture(scope="module")
def tailored(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-site")
    for relative, text in TAILORED.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = run_build(root / "content", root / "output",
                       extra={"SITE_SEARCH_CACHE_PATH": str(root / "cache"), "SCHEDULE_NOW": "01/01/2025 08:00"})
    assert result.returncode == 0, result.log
    httpd, thread, url = serve(root / "output")
    try:
        yield url
    finally:
        stop(httpd, thread)


@pytest.fixture
def page(browser, tailored):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    page.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(tailored + "/") else outside.append(request.url))
    yield page
    context.close()
    assert errors == [], "page errors or CSP violations"
    assert outside == [], "requests outside the site (external, or not below the path prefix)"


def open_search(page, base, query_string=""):
    page.goto(f"{base}/tim-kiem/{query_string}")
    page.wait_for_selector("[data-search][data-search-state=done]")


def wait_until(page, expression, timeout=10.0):
    """Poll ``expression`` with page.evaluate (wait_for_function evaluates strings, which the
    page's Content-Security-Policy rightly forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)
    page.wait_for_selector("[data-search][data-search-state=done]")


def slugs(page):
    return [href.rsplit("/", 1)[-1].removesuffix(".html")
            for href in page.eval_on_selector_all(".search-result-title a", "els => els.map(e => e.href)")]


def status(page):
    return page.inner_text("[data-search-status]")


@pytest.mark.parametrize("query", list(EXPECTED))
def test_acceptance_queries(page, tailored, query):
    open_search(page, tailored, "?q=" + quote(query))
    assert set(slugs(page)) == EXPECTED[query]
    assert status(page).startswith(f"{len(EXPECTED[query])} kết quả")


def test_typing_in_the_box(page, tailored):
    open_search(page, tailored)
    assert "Nhập từ khóa" in status(page)
    page.fill("#search-q", "binh dang gioi")
    page.press("#search-q", "Enter")
    wait_until(page, "document.querySelector('[data-search]').dataset.total === '3'")
    assert set(slugs(page)) == EXPECTED["binh dang gioi"]
    assert "q=binh+dang+gioi" in page.url


def test_party_ranks_above_deng_and_dang(page, tailored):
    open_search(page, tailored, "?q=" + quote("đảng"))
    assert slugs(page) == ["dai-hoi-dang", "dang-body"]  # title match first, then body
    open_search(page, tailored, "?q=dang")  # unaccented: every form, exact "dang" forms first
    found = slugs(page)
    assert set(found) == {"dai-hoi-dang", "dang-body", "dang-cap", "dang-dien-ra", "binh-dang", "roi-rac", "nfd"}
    assert found.index("dai-hoi-dang") < found.index("dang-body")


def test_highlight_in_accented_form(page, tailored):
    open_search(page, tailored, "?q=" + quote("binh dang gioi"))
    marks = page.eval_on_selector_all(".search-result mark", "els => els.map(e => e.textContent)")
    assert {"bình", "đẳng", "giới"} <= {m.lower() for m in marks}


def test_campaign_filter_and_counts(page, tailored):
    open_search(page, tailored, "?q=" + quote("bình đẳng giới"))
    labels = page.eval_on_selector_all("#search-campaign option", "els => els.map(e => e.textContent)")
    assert "Bình đẳng giới (2)" in labels and "An toàn giao thông (0)" in labels
    page.select_option("#search-campaign", "binh-dang-gioi")
    wait_until(page, "document.querySelector('[data-search]').dataset.total === '2'")
    assert set(slugs(page)) == {"binh-dang", "nfd"}
    assert "chien-dich=binh-dang-gioi" in page.url
    categories = page.eval_on_selector_all("#search-category option", "els => els.map(e => e.textContent)")
    assert "Tuyên truyền (1)" in categories and "Văn hóa - Xã hội (1)" in categories
    badges = page.eval_on_selector_all(".campaign-badge", "els => els.map(e => e.textContent)")
    assert badges == ["Bình đẳng giới", "Bình đẳng giới"]


def test_date_sort_newest_first(page, tailored):
    open_search(page, tailored, "?q=" + quote("bình đẳng giới") + "&sap-xep=ngay")
    assert slugs(page) == ["nfd", "binh-dang", "roi-rac"]
    dates = page.eval_on_selector_all(".search-result time", "els => els.map(e => e.textContent)")
    assert dates == ["05/05/2023", "22/06/2022", "10/03/2021"]


def test_year_range(page, tailored):
    open_search(page, tailored, "?q=" + quote("bình đẳng giới") + "&tu-nam=2022&den-nam=2022")
    assert slugs(page) == ["binh-dang"]


def test_url_state_round_trips(page, tailored):
    open_search(page, tailored, "?q=" + quote("bình đẳng giới"))
    first = page.url
    page.select_option("#search-sort", "ngay")
    wait_until(page, "location.search.includes('sap-xep=ngay')")
    assert slugs(page) == ["nfd", "binh-dang", "roi-rac"]
    page.fill("#search-q", "duong")
    page.press("#search-q", "Enter")
    wait_until(page, "document.querySelector('#search-q').value === 'duong' && location.search.includes('q=duong')")
    assert set(slugs(page)) == EXPECTED["duong"]
    assert "sap-xep=ngay" in page.url  # the sort is kept for the new query
    page.go_back()
    wait_until(page, "document.querySelector('#search-q').value === 'bình đẳng giới'")
    assert slugs(page) == ["nfd", "binh-dang", "roi-rac"]
    assert page.input_value("#search-sort") == "ngay"
    page.go_back()
    wait_until(page, f"location.href === {first!r} && document.querySelector('#search-sort').value === ''")
    assert page.input_value("#search-sort") == ""
    # A shared link restores the same state in a fresh page.
    shared = page.context.new_page()
    shared.goto(first + "&chien-dich=binh-dang-gioi&sap-xep=ngay")
    shared.wait_for_selector("[data-search][data-search-state=done]")
    assert slugs(shared) == ["nfd", "binh-dang"]
    assert shared.input_value("#search-campaign") == "binh-dang-gioi"


def test_hostile_title_and_query_are_text(page, tailored):
    open_search(page, tailored, "?q=" + quote("<img src=x onerror=window.__pwned=1> lừa đảo"))
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".search img, .search script:not([src])").count() == 0
    assert "<img src=x onerror=window.__pwned=1> lừa đảo" in status(page)
    open_search(page, tailored, "?q=" + quote("lừa đảo"))
    assert page.inner_text(".search-result-title a") == "Cảnh giác <script>alert(1)</script> lừa đảo qua mạng"
    assert page.locator(".search-results script").count() == 0


@pytest.mark.parametrize("query, expected", [
    ('"bình đẳng', "3 kết quả"),  # unbalanced quote: words
    ("?!...;;", "không có chữ hoặc số"),
    ("bình " * 100, "Chỉ 32 âm tiết đầu"),
    ("x" * 500, "Không tìm thấy kết quả"),
    ("zzzz", "Không tìm thấy kết quả nào cho “zzzz”"),
])
def test_odd_queries_get_an_answer(page, tailored, query, expected):
    open_search(page, tailored, "?q=" + quote(query))
    assert expected in status(page)


def test_paging_and_keyboard(page, tailored):
    open_search(page, tailored)
    page.keyboard.press("Tab")
    for _ in range(40):  # keyboard only: Tab until the search field has the focus
        if page.evaluate("document.activeElement.id") == "search-q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "search-q"
    page.keyboard.type("tin van")
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('[data-search]').dataset.total === '12'")
    assert "12 kết quả" in status(page) and "trang 1/2" in status(page)
    first = slugs(page)
    assert len(first) == 10
    page.click("text=Trang sau »")
    wait_until(page, "location.search.includes('trang=2') && document.querySelectorAll('.search-result').length === 2")
    second = slugs(page)
    assert len(second) == 2 and not set(first) & set(second)
    assert page.get_attribute(".search-pages a[aria-current=page]", "href").endswith("trang=2")
    page.go_back()
    wait_until(page, "!location.search.includes('trang=2') && document.querySelectorAll('.search-result').length === 10")
    assert slugs(page) == first
    assert page.get_attribute("[data-search-status]", "aria-live") == "polite"
    assert page.locator("label[for=search-q]").count() == 1


def test_noscript_and_markup(tailored, tmp_path):
    from bs4 import BeautifulSoup
    import urllib.request

    html = urllib.request.urlopen(tailored + "/tim-kiem/").read().decode("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("noscript").find("a", href=True)
    assert soup.find("html")["lang"] == "vi"
    assert not soup.select("[style]")
    assert all(s.get("src") or s.get("type") == "application/json" for s in soup.find_all("script"))
    assert soup.select_one("[data-search]")["data-index"] == "../tim-kiem/chi-muc/"


# --- JavaScript client == brute-force reference on a generated corpus ---------------------

WORDS = ("đảng đẳng đang dang bình binh giới phụ nữ nu đường dương duong phố hòa hoà hoa thủy thuỷ "
         "quý vĩnh yên phường liên bảo tích sơn năm học sinh viên giao thông an toàn lực bạo "
         "chống phòng cơ sở trẻ em dân nhân").split()
CATEGORIES = ["Tin tức - Sự kiện", "Tuyên truyền", "Văn hóa - Xã hội"]
CAMPAIGN_SLUGS = ["binh-dang-gioi", "an-toan-giao-thong"]
QUERIES = [
    "đảng", "dang", "đẳng", "đang", "binh dang", "bình đẳng giới", "BÌNH ĐẲNG", '"bình đẳng"', '"binh dang gioi"',
    '"phòng chống bạo lực"', '"phong chong"', "duong", "đường", "dương phố", '"đường phố"', "hoà", "hòa", "hoa",
    "thủy", "thuy", "quý", "nu", "phụ nữ", '"phụ nữ"', unicodedata.normalize("NFD", "vĩnh yên"), '"an toàn giao thông"',
    '"an toan" giao', 'trẻ "em dân"', "2023", '"dang dang"', "sinh viên năm", '"học sinh"',
]
FILTERS = [
    {}, {"sort": "date"}, {"campaign": "binh-dang-gioi"}, {"category": "tuyen-truyen", "fromYear": 2021},
    {"fromYear": 2020, "toYear": 2022, "campaign": "an-toan-giao-thong", "sort": "date"},
]


def generated_corpus(count=300, seed=9):
    rng = random.Random(seed)
    start = dt.datetime(2018, 1, 1, 7, 0)
    analyzer, files, docs = Analyzer(), {"campaigns.toml": REGISTRY}, []
    records = []
    for number in range(count):
        when = start + dt.timedelta(hours=number * 23 + rng.randrange(20))

        def sentence(n):
            return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()
        title = sentence(rng.randrange(3, 8))
        summary = sentence(rng.randrange(4, 10)) + "." if rng.random() < 0.5 else ""
        paragraphs = [sentence(rng.randrange(5, 25)) + "." for _ in range(rng.randrange(1, 4))]
        if rng.random() < 0.15:  # triples in many documents: answered by t: doc sets, not q: positions
            paragraphs.append("Bình đẳng giới và an toàn giao thông.")
        category = rng.randrange(len(CATEGORIES))
        campaigns = sorted(set(rng.sample(range(len(CAMPAIGN_SLUGS)), rng.randrange(3))))
        slug = f"bai-{number}"
        names = ", ".join(CAMPAIGN_SLUGS[c] for c in campaigns) or "none"
        files[f"{when:%Y}/{when:%m}/{slug}.md"] = article(
            slug, title, f"{when:%d/%m/%Y %H:%M}", "\n\n".join(paragraphs), CATEGORIES[category], names, summary)
        records.append((when, slug, title, summary, paragraphs, category, campaigns))
    categories = sorted(CATEGORIES, key=sort_key)
    renumber = {CATEGORIES.index(name): i for i, name in enumerate(categories)}
    for when, slug, title, summary, paragraphs, category, campaigns in sorted(records):
        docs.append(make_doc(analyzer, title, summary, paragraphs, when.year, renumber[category], campaigns,
                             url=f"{when:%Y/%m/%d}/{slug}.html"))
    return files, docs, [(name, slugify(name)) for name in categories], \
        [("Bình đẳng giới", "binh-dang-gioi"), ("An toàn giao thông", "an-toan-giao-thong")], analyzer


@pytest.mark.parametrize("listed", [512, 0], ids=["hashes-in-manifest", "directory-files"])
def test_client_equals_reference(browser, tmp_path, listed):
    """Both ways to a bucket's name: listed in index.json (small key spaces, the default here)
    and through directory files (large ones; forced with SITE_SEARCH_LISTED_BUCKETS = 0)."""
    files, docs, categories, campaigns, analyzer = generated_corpus()
    for relative, text in files.items():
        path = tmp_path / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = run_build(tmp_path / "content", tmp_path / "output",
                       extra={"SITE_SEARCH_CACHE_PATH": "", "SCHEDULE_NOW": "01/01/2030 08:00",
                              "SITE_SEARCH_LISTED_BUCKETS": listed})
    assert result.returncode == 0, result.log
    index = tmp_path / "output" / "tim-kiem" / "chi-muc"
    manifest = json.loads((index / "index.json").read_text(encoding="utf-8"))
    directories = sorted(p.name.split(".")[0] for p in (index / "d").glob("*.bin")) if (index / "d").exists() else []
    if listed:
        assert set(manifest["hashes"]) == {"s", "p", "q", "t"} and not manifest["dirs"] and not directories
    else:
        assert not manifest["hashes"] and set(manifest["dirs"]) == {"s", "p", "q", "t"}
        assert directories == ["p0", "q0", "s0", "t0"]
    requests = []
    httpd, thread, base = serve(tmp_path / "output")
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda request: requests.append(request.url))
        open_search(page, base)
        # The page's preload of index.json is the fetch the script uses: one request.
        assert sum(url.endswith("/chi-muc/index.json") for url in requests) == 1
        compared = nonempty = 0
        for number, query in enumerate(QUERIES):
            params = dict(FILTERS[number % len(FILTERS)], q=query)
            found = page.evaluate("p => siteSearch.search(p).then(r => siteSearch.urls(r.ids)"
                                  ".then(urls => ({urls, counts: r.counts})))", params)
            expected = reference.search(docs, categories, campaigns, analyzer, query, Filters(
                category=params.get("category", ""), campaign=params.get("campaign", ""),
                from_year=params.get("fromYear", 0), to_year=params.get("toYear", 0),
                sort=params.get("sort", "relevance")))
            assert found["urls"] == [docs[i].url for i in expected.ids], (query, params)
            assert found["counts"] == expected.counts, (query, params)
            compared += 1
            nonempty += bool(expected.ids)
        assert compared == len(QUERIES) >= 30 and nonempty >= 18
        assert any("/chi-muc/d/" in url for url in requests) == (not listed)
        assert any("/chi-muc/m/" in url for url in requests)
        assert errors == []
    finally:
        context.close()
        stop(httpd, thread)
