"""plugins.content_memory: bodies kept in a temporary file read back as the same strings.

The store alone (every text, a forked process reading it), one Pelican Article moved into it
(content, summary, links, a new body assigned), and a real site built with and without it:
the same bytes, and the build says how many bodies it stored.
"""

import datetime
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG

from conftest import output_digest, soup, synthetic_archive, verbose_build
from plugins.content_memory import store as stored_classes
from plugins.content_memory.store import BodyStore, move_body
from plugins.parallel_output.parallel_output import run_in_processes

# Every code point, lone surrogates too (which UTF-8 cannot hold: the store passes them).
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=[])
EVERY_TEXT = st.text(alphabet=st.one_of(st.characters(), SURROGATES), max_size=300)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(EVERY_TEXT, min_size=1, max_size=8))
def test_every_text_reads_back_exactly(texts):
    store = BodyStore()
    bodies = [store.put(text) for text in texts]
    assert [body.text() for body in bodies] == texts
    # The repr names the bytes: equal for equal texts only (the fingerprint hashes it).
    for text, body in zip(texts, bodies):
        for other_text, other in zip(texts, bodies):
            assert (repr(body) == repr(other)) == (text == other_text)
    assert store.count == len(texts)


def test_processes_forked_from_the_build_read_the_same_bodies(tmp_path):
    store = BodyStore(str(tmp_path))
    texts = [f"<p>Bài {number}: Phường Đống Đa tổ chức hội nghị {'ư' * number}</p>" for number in range(40)]
    bodies = [store.put(text) for text in texts]

    def work(share):
        for number, body in share:
            (tmp_path / f"{number}.txt").write_text(body.text(), encoding="utf-8")

    run_in_processes(list(enumerate(bodies)), 2, work)
    assert [(tmp_path / f"{number}.txt").read_text(encoding="utf-8") for number in range(40)] == texts
    # Unnamed: nothing of the store is left in its folder.
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".txt")) == []


def _article(body, **metadata):
    settings_ = dict(DEFAULT_CONFIG, PATH="/content", SITEURL="https://vinhyen.example", SUMMARY_MAX_LENGTH=5)
    return Article(body, metadata={"title": "Tiêu đề", "date": datetime.datetime(2022, 6, 22), **metadata},
                   settings=settings_, source_path="/content/2022/06/bai.md", context={})


def test_a_moved_article_gives_the_same_content_summary_and_links():
    body = ('<p>Phường Liên Bảo triển khai Tháng hành động vì bình đẳng giới năm 2022.</p>'
            '<p><a href="{index}">Trang chủ</a></p>')
    kept, moved = _article(body), _article(body)
    store = BodyStore()
    assert move_body(moved, store) is True
    assert type(moved) is stored_classes.Article and isinstance(moved, Article)
    assert moved.save_as == kept.save_as and moved.url == kept.url  # Pelican's ARTICLE_* settings
    assert not isinstance(vars(moved)["_content"], str)  # the string left the object
    assert moved._content == kept._content == body
    for siteurl in ("", "https://vinhyen.example", "../.."):
        assert moved.get_content(siteurl) == kept.get_content(siteurl)
    assert moved.content == kept.content and "{index}" not in moved.content
    assert moved.summary == kept.summary
    # Pelican's memo holds the kept article's content, never the moved one's.
    holders = {key[0] for key in Content.get_content.cache}
    assert kept in holders and moved not in holders
    # A new body (a plugin's rewrite) is stored too, and the repr follows it.
    before = repr(vars(moved)["_content"])
    moved._content = "<p>Nội dung mới</p>"
    assert moved.content == "<p>Nội dung mới</p>" and repr(vars(moved)["_content"]) != before
    assert store.count == 2
    # Something other than a string is held as it is, and a string after it is held too.
    moved._content = None
    assert moved._content is None and moved.get_content("") is None
    moved._content = "<p>Lại có nội dung</p>"
    assert moved.content == "<p>Lại có nội dung</p>" and store.count == 2


def test_other_objects_are_left_as_they_are():
    class OwnArticle(Article):
        pass

    store = BodyStore()
    own = OwnArticle("<p>x</p>", metadata={"title": "T", "date": datetime.datetime(2022, 6, 22)},
                     settings=dict(DEFAULT_CONFIG), source_path="/content/a.md", context={})
    empty = _article(None)
    assert move_body(own, store) is False and type(own) is OwnArticle and own._content == "<p>x</p>"
    assert move_body(empty, store) is False and type(empty) is Article
    assert store.count == 0


STORED = re.compile(r"content_memory: (\d+) bodies \((\d+) bytes\) kept in a temporary file")


def test_a_site_builds_to_the_same_bytes_with_its_bodies_stored(tmp_path):
    content = synthetic_archive(tmp_path / "content", 30)
    (content / "2022" / "06").mkdir(parents=True, exist_ok=True)
    (content / "2022" / "06" / "binh-dang-gioi.md").write_text(
        "Title: Hưởng ứng Tháng hành động vì bình đẳng giới\nDate: 22/06/2022 08:00\n"
        "Category: Tuyên truyền\n\nPhường Đống Đa tuyên truyền về [bình đẳng giới]({index}).\n",
        encoding="utf-8")
    base = {"SCHEDULE_NOW": "2026-12-01T00:00", "SITE_SEARCH_CACHE_PATH": "", "VN_READER_CACHE_PATH": ""}
    code, log = verbose_build(content, tmp_path / "stored", base)
    assert code == 0, log[-3000:]
    found = STORED.search(log)
    assert found and int(found.group(1)) == 31 and int(found.group(2)) > 0, log[-3000:]
    code, log = verbose_build(content, tmp_path / "in-memory", {**base, "CONTENT_MEMORY_BODIES": False})
    assert code == 0, log[-3000:]
    assert not STORED.search(log)
    assert output_digest(tmp_path / "stored") == output_digest(tmp_path / "in-memory")
    page = soup(next((tmp_path / "stored" / "2022" / "06" / "22").glob("*binh-dang-gioi*.html")))
    link = page.find("a", string="bình đẳng giới")
    assert link is not None and "{index}" not in link["href"]
