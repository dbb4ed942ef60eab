"""Issue 11: one set of content rules (plugins/content_rules) for `invoke check` and the build.

The hostile cases (tests/test_hostile.py) run every case through both; these tests cover what a
case folder cannot: symlinks out of content/ and what reaches the output, `invoke new` values,
many bad files in one build with unwrapped log lines, body HTML on articles and listings.
"""

import os
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, pelican_command, run_build

from plugins.authoring.new_article import new_article
from plugins.content_rules import value_problem
from plugins.content_rules.characters import refused_character, remove_invisible
from plugins.content_rules.html_safety import plain_text, removed_constructs, sanitize

GOOD = "Title: {title}\nDate: 15/03/2021\nCategory: Tin tức - Sự kiện\n\n{body}\n"


def article(title, body="Nội dung bài viết về phường Liên Bảo."):
    return GOOD.format(title=title, body=body)


def run_check_cli(content):
    return subprocess.run([sys.executable, "-m", "plugins.content_check", str(content)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


# --- item 1: nothing under content/ may resolve outside content/ ------------------------------


def test_symlinks_out_of_content_are_refused_and_never_published(make_content, tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    (outside / "bi-mat.md").write_text(article("Bài nằm ngoài kho"), encoding="utf-8")
    (outside / "anh.png").write_bytes(b"SECRET-IMAGE-BYTES")
    content = make_content({"2021/03/bai.md": article("Bài bình thường"), "images/that.png": b"real"})
    # A file of the machine (the example is /etc/hostname, absent in some containers).
    system_file = "/etc/hostname" if os.path.isfile("/etc/hostname") else sys.executable
    os.symlink(system_file, content / "images" / "host.png")
    os.symlink(outside, content / "images" / "thu-muc")
    os.symlink(outside / "bi-mat.md", content / "2021" / "03" / "bi-mat.md")
    os.symlink(tmp_path / "khong-co.md", content / "2021" / "03" / "mat.md")
    result = run_build(content, tmp_path / "output")
    assert result.returncode != 0 and "Traceback" not in result.log
    for name, code in (("images/host.png", "outside-content"), ("images/thu-muc", "outside-content"),
                       ("2021/03/bi-mat.md", "outside-content"), ("2021/03/mat.md", "dangling-link")):
        assert f"{content / name}:1: error: " in result.log and f"[{code}]" in result.log, (name, result.log)
    written = [p for p in (tmp_path / "output").rglob("*") if p.is_file()] if (tmp_path / "output").exists() else []
    hostname = open(system_file, "rb").read()
    assert not any(p.read_bytes() in (hostname, b"SECRET-IMAGE-BYTES") for p in written)
    assert not any("bai-nam-ngoai-kho" in p.name for p in written)
    # invoke check names the same four files, and the dangling .md no longer crashes it.
    completed = run_check_cli(content)
    assert completed.returncode == 1 and "Traceback" not in completed.stderr
    for name in ("images/host.png", "images/thu-muc", "2021/03/bi-mat.md", "2021/03/mat.md"):
        assert f"{name}:1: error: " in completed.stdout, completed.stdout


def test_symlink_inside_content_is_fine(make_content, tmp_path):
    content = make_content({"2021/03/bai.md": article("Bài có ảnh liên kết"), "images/that.png": b"real"})
    os.symlink(content / "images" / "that.png", content / "images" / "ban-sao.png")
    result = run_build(content, tmp_path / "output")
    assert result.returncode == 0, result.log
    assert (tmp_path / "output" / "images" / "ban-sao.png").read_bytes() == b"real"


def test_outside_root_answers_the_same_with_the_builds_folder_memo(tmp_path, monkeypatch):
    """The build resolves each folder once (a memo per build); every kind of path must get
    the answer a fresh realpath gives, whatever the order the memo was filled in."""
    import random  # noqa: PLC0415

    from plugins.content_rules import outside_root  # noqa: PLC0415

    outside, content = tmp_path / "ngoai", tmp_path / "content"
    (outside / "sau").mkdir(parents=True)
    (content / "2021" / "03").mkdir(parents=True)
    for path in (outside / "bi-mat.md", outside / "sau" / "a.md", content / "2021" / "03" / "bai.md"):
        path.write_text(article("Bài"), encoding="utf-8")
    os.symlink(outside, content / "2022")  # a folder link out, holding sources
    os.symlink(content / "2021", content / "lien-ket")  # a folder link in
    os.symlink(outside / "bi-mat.md", content / "2021" / "03" / "ra.md")
    os.symlink(content / "2021" / "03" / "bai.md", content / "2021" / "03" / "vao.md")
    os.symlink(content / "2021" / "03" / "ra.md", content / "2021" / "03" / "chuoi.md")  # a link to a link out
    os.symlink(tmp_path / "khong-co.md", content / "2021" / "03" / "mat.md")
    paths = [content / "2021" / "03" / name for name in ("bai.md", "ra.md", "vao.md", "chuoi.md", "mat.md", "khong.md")]
    paths += [content / "2022" / "bi-mat.md", content / "2022" / "sau" / "a.md", content / "lien-ket" / "03" / "bai.md",
              content / "lien-ket" / "03" / "ra.md", content / "2021" / "03" / ".." / "03" / "bai.md", content]
    expected = {path: outside_root(str(path), str(content)) for path in paths}
    assert set(expected.values()) == {"", "outside-content", "dangling-link"}
    monkeypatch.chdir(tmp_path)
    relative = {os.path.relpath(path, tmp_path): answer for path, answer in expected.items()}
    for seed in range(5):
        memo, order = {}, list(expected.items()) + list(relative.items())
        random.Random(seed).shuffle(order)
        for path, answer in order:
            root = str(content) if os.path.isabs(path) else "content"
            assert outside_root(str(path), root, memo) == answer, path


# --- item 4: invoke new refuses values that would inject header lines --------------------------


@pytest.mark.parametrize("field, value", [
    ("author", "Lan\nStatus: published"), ("author", "Lan\rSave_as: feeds/all.atom.xml"),
    ("category", "Tuyên truyền\x08"), ("title", "Tin\u2028Status: draft"), ("summary", "Tóm tắt\x85Lang: en"),
])
def test_new_refuses_line_breaks_and_control_characters(tmp_path, field, value):
    values = {"title": "Tin mới", "category": "Tuyên truyền", "author": "Lan", "summary": ""}
    values[field] = value
    with pytest.raises(ValueError, match=f"--{field} contains"):
        new_article(tmp_path, **values)
    assert not any(tmp_path.rglob("*.md"))


def test_invoke_new_cli_refuses_an_injected_header(tmp_path):
    completed = subprocess.run([sys.executable, "-m", "invoke", "new", "Tin thử", "--author", "Lan\nStatus: published",
                                "--content", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert completed.returncode != 0 and "line break" in completed.stderr, completed.stderr
    assert not any(tmp_path.rglob("*.md"))
    path = new_article(tmp_path, "Tin thử", "Tuyên truyền", author="Hồng Nhung")
    assert "Author: Hồng Nhung\n" in path.read_text(encoding="utf-8")


def test_value_problem_classes():
    assert value_problem("Hồng Nhung") == ""
    assert value_problem("a\nb") == "contains a line break"
    assert "U+0096" in value_problem("a\u0096b")
    assert "U+202E" in value_problem("a\u202eb")


# --- item 6: one build reports every problem, each on one unwrapped line -----------------------


def test_build_lists_every_bad_file_once_and_fails_once(make_content, tmp_path):
    """Like the real news (22 files with U+0008): the build names all of them, then fails once."""
    files = {f"2021/03/bai-so-{n:02d}-co-ky-tu-dieu-khien-an-trong-noi-dung.md":
             article(f"Bài số {n} có ký tự lạ", f"Đoạn một.\n\nĐoạn có ký tự\x08 lùi số {n}.") for n in range(25)}
    files["2021/03/bai-tot.md"] = article("Bài tốt")
    content = make_content(files, base=tmp_path / ("thu-muc-rat-dai-" * 4) / "content")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT)
    completed = subprocess.run(pelican_command(content, tmp_path / "output"), cwd=ROOT, env=env,
                               capture_output=True, text=True, encoding="utf-8", timeout=300)
    log = completed.stdout + completed.stderr
    assert completed.returncode != 0 and "Traceback" not in log
    for n in range(25):
        # path:line and the code on one physical line, although it is far wider than 80 columns
        line = f"{content}/2021/03/bai-so-{n:02d}-co-ky-tu-dieu-khien-an-trong-noi-dung.md:7: error: "
        assert re.search(re.escape(line) + r".*U\+0008.*\[control-char\]$", log, re.M), log
    assert "content rules: 25 error(s) in 25 file(s)" in log
    assert log.count("build failed") == 1


# --- item 7: body HTML is sanitised; listings show plain-text summaries ------------------------

HOSTILE_BODY = """Đoạn mở đầu có <b>chữ đậm</b> và <a href="https://vinhphuc.gov.vn" onclick="steal()">liên kết</a>.

<script>alert("xss")</script>

<p onmouseover="alert(1)" style="color:red;text-align:center">Đoạn có sự kiện chuột.</p>

[Nhấn vào đây](javascript:alert(1)) và ![ảnh](data:image/png;base64,AAAA)

<img src="https://example.com/anh.jpg" onerror="alert(2)" alt="Ảnh hội nghị">

<iframe src="https://evil.example/x"></iframe>

<iframe src="https://www.youtube.com/embed/abc123" width="560" height="315" allowfullscreen></iframe>

| Cột | Giá trị |
| :-- | --: |
| A | 1 |
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("html")
    content = base / "content"
    (content / "2021" / "03").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "2021/03/ma-doc.md").write_text(article("Bài có mã độc", HOSTILE_BODY), encoding="utf-8")
    (content / "2021/03/tom-tat.md").write_text(
        "Title: Bài có tóm tắt\nDate: 16/03/2021\nCategory: Tuyên truyền\nSummary: Tóm tắt <b>A</b> & B\n\n"
        "Nội dung.\n", encoding="utf-8")
    (content / "pages/trang.md").write_text("Title: Trang có mã\n\n<script>alert(3)</script>Chữ của trang.\n",
                                            encoding="utf-8")
    result = run_build(content, base / "output")
    assert result.returncode == 0, result.log
    return result


def _no_active_content(node):
    for tag in node.find_all(True):
        assert tag.name not in ("script", "style", "object", "embed", "form"), tag
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), tag
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not re.match(r"\s*(javascript|data|vbscript):", text, re.I), tag


def test_article_body_keeps_news_markup_and_drops_active_content(hostile_site):
    page = hostile_site.page("2021/03/15/bai-co-ma-doc.html")
    body = page.find(class_="article-body")
    _no_active_content(body)
    assert body.find("b").get_text() == "chữ đậm"
    assert body.find("a", href="https://vinhphuc.gov.vn").get_text() == "liên kết"
    assert body.find("img", alt="Ảnh hội nghị")["src"] == "https://example.com/anh.jpg"
    assert [f["src"] for f in body.find_all("iframe")] == ["https://www.youtube.com/embed/abc123"]
    assert body.find("table") is not None and body.find("td") is not None
    assert "Đoạn có sự kiện chuột." in body.get_text()
    assert 'alert("xss")' not in str(body) and "color" not in str(body)
    assert body.find("p", string="Đoạn có sự kiện chuột.").get("style") is None  # style only on cells
    assert body.find("td")["style"] == "text-align:left"  # what Markdown tables write


def test_pages_and_feeds_are_sanitised_too(hostile_site):
    page = hostile_site.page("trang/trang-co-ma.html")
    _no_active_content(page.find(class_="article-body") or page.find("main"))
    assert "alert(3)" not in page.decode()
    for feed in hostile_site.output.rglob("*.xml"):
        text = feed.read_text(encoding="utf-8")
        assert "alert(" not in text and "onerror" not in text and "javascript:" not in text, feed


def test_listings_print_the_plain_summary(hostile_site):
    for listing in ("index.html", "2021/03/15/index.html", "chuyen-muc/tin-tuc-su-kien/index.html"):
        soup = hostile_site.page(listing)
        summaries = soup.find_all(class_="article-item-summary")
        assert summaries, listing
        for summary in summaries:
            assert summary.find(True) is None, summary  # text only
        assert "alert(" not in soup.decode() and "onerror" not in soup.decode()
    index = hostile_site.page("index.html")
    # The newest article is the home page's lead story; the rest are list items.
    texts = [s.get_text() for s in index.find_all(class_=["article-item-summary", "lead-story-summary"])]
    assert "Tóm tắt <b>A</b> & B" in texts  # the editor's Summary, shown literally
    assert any(t.startswith("Đoạn mở đầu có chữ đậm và liên kết.") for t in texts), texts


def test_check_warns_on_every_removed_construct_with_its_line(make_content):
    from plugins.content_check import check_tree
    from plugins.content_check.cli import load_settings

    content = make_content({"2021/03/ma-doc.md": article("Bài có mã độc", HOSTILE_BODY)})
    problems = check_tree(content, load_settings(ROOT / "pelicanconf.py"))[0]
    removed = sorted((p.line, p.message.split(" when ")[0]) for p in problems if p.code == "html-removed")
    first_body_line = 5
    lines = HOSTILE_BODY.split("\n")
    line_of = {needle: first_body_line + next(i for i, l in enumerate(lines) if needle in l)
               for needle in ("onclick", "<script>", "onmouseover", "javascript:", "onerror", "evil.example")}
    assert {line for line, _ in removed} == set(line_of.values()) | {line_of["javascript:"]}
    messages = " | ".join(m for _, m in removed)
    for expected in ("onclick=", "<script>", "onmouseover=", "javascript:", "data:", "onerror=", "evil.example",
                     "style= of <p>"):
        assert expected in messages, messages
    assert all(p.severity == "warning" for p in problems if p.code == "html-removed")


@pytest.mark.parametrize("html, kept", [
    ('<p>a<script>b</script></p>', "<p>a</p>"),
    ('<a href="javascript:x">t</a>', "<a>t</a>"),
    ('<a href="{filename}/2021/03/a.md">t</a>', '<a href="{filename}/2021/03/a.md">t</a>'),
    ('<img src="{static}/images/a.jpg" alt="x">', '<img src="{static}/images/a.jpg" alt="x">'),
    ('<h1>T</h1>', "T"),
    ('<iframe src="http://www.youtube.com/embed/x"></iframe>', ""),
])
def test_sanitize_examples(html, kept):
    assert sanitize(html) == kept


def test_code_spans_and_fences_are_not_reported():
    lines = list(enumerate(["Gõ `<script>` để thử.", "```", "<script>x</script>", "```"], start=1))
    assert list(removed_constructs(lines)) == []


def test_plain_text_unescapes_once():
    assert plain_text("<p>A &amp;lt; B</p>") == "A &lt; B"


# --- item 11: invisible characters by class ------------------------------------------------------


@pytest.mark.parametrize("char, verdict", [
    ("\x08", "control-char"), ("\x00", "control-char"), ("\x7f", "control-char"), ("\x96", "control-char"),
    ("\x85", "control-char"), ("\u202e", "bidi-control"), ("\u2066", "bidi-control"),
    ("\u00ad", "removed"), ("\u200b", "removed"), ("\u2060", "removed"), ("\u200e", "removed"),
    ("\u200d", "kept"), ("\u00a0", "kept"), ("\t", "kept"),
])
def test_each_invisible_class_has_one_decision(char, verdict):
    text = f"Vĩnh{char}Yên"
    refused = refused_character(text)
    if verdict in ("control-char", "bidi-control"):
        assert refused == (5, char, verdict)
    elif verdict == "removed":
        assert refused is None and remove_invisible(text) == "VĩnhYên"
    else:
        assert refused is None and remove_invisible(text) == text


def test_fix_removes_invisible_characters_and_keeps_refused_ones(make_content):
    from plugins.content_rules import fix_file

    content = make_content({"a.md": article("Vĩnh\u00adYên an\u200btoàn", "Có ký tự\x08 lùi.")})
    assert fix_file(content / "a.md")
    text = (content / "a.md").read_text(encoding="utf-8")
    assert "Title: VĩnhYên antoàn\n" in text
    assert "\x08" in text  # refused, never guessed away: the editor retypes it


def test_a_failed_invoke_build_shows_every_problem(make_content, tmp_path):
    """`invoke build` prints the failed build's log: every problem line, not only the last 30 lines."""
    from plugins.atomic_publish import PublishError
    from plugins.atomic_publish import publish as publish_atomically

    content = make_content({f"2021/03/bai-{n:02d}.md": article(f"Bài {n}", f"Chữ\x08 lạ {n}.") for n in range(40)})
    with pytest.raises(PublishError) as failure:
        publish_atomically(content, ROOT / "pelicanconf.py", tmp_path / "output")
    for n in range(40):
        assert f"2021/03/bai-{n:02d}.md:5: error: " in str(failure.value)
    assert "content rules: 40 error(s) in 40 file(s)" in str(failure.value)
