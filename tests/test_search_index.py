"""The search analyser, the index format and the query engine against the brute-force
reference (issue 9)."""

import hashlib
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from plugins.site_search import decoder, engine, reference
from plugins.site_search.encoding import Reader, put_docset
from plugins.site_search.ranking import Filters
from plugins.site_search.segments import analyse, lead, paragraphs
from plugins.site_search.writer import INLINE_MAX, PART_MAX, build_files
from plugins.vntext import MAX_QUERY_SYLLABLES, Analyzer, has_diacritics
from search_corpus import CAMPAIGNS, CATEGORIES, VOCABULARY, disguise, make_doc


@pytest.fixture
def analyzer():
    return Analyzer()


# --- analyser --------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Bình đẳng giới", ["bình", "đẳng", "giới"]),
    ("BÌNH ĐẲNG GIỚI", ["bình", "đẳng", "giới"]),
    (unicodedata.normalize("NFD", "Bình đẳng giới"), ["bình", "đẳng", "giới"]),
    ("hòa hoà Hoà HÒA", ["hoà"] * 4),
    ("thủy thuỷ", ["thuỷ", "thuỷ"]),
    ("quý quỳ", ["quý", "quỳ"]),  # qu: the mark has one place only
    ("bình\u00adđẳng", ["bìnhđẳng"]),  # soft hyphen dropped, joining its neighbours
    ("giới\u200btính", ["giớitính"]),
    ("a\tb\nc", ["a", "b", "c"]),  # whitespace controls separate
    ("UBND-TP.Vĩnh_Yên (2022)", ["ubnd", "tp", "vĩnh", "yên", "2022"]),
    ("...!!! ---", []),
])
def test_syllables(analyzer, text, expected):
    assert analyzer.syllables(text) == expected


def test_every_format_and_control_character_is_dropped():
    """The dropped set is exactly Unicode's Cf plus the controls that are not whitespace."""
    from plugins.vntext.analysis import _DROP, normalize_text

    dropped = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    dropped |= {chr(c) for c in (*range(0x00, 0x09), *range(0x0e, 0x20), *range(0x7f, 0x85), *range(0x86, 0xa0))}
    for char in dropped:
        assert normalize_text("a" + char + "b") == "ab", hex(ord(char))
    assert [c for c in range(0x110000) if bool(_DROP.fullmatch(chr(c))) != (chr(c) in dropped)] == []


def test_fold_and_diacritics(analyzer):
    assert analyzer.fold("đường") == "duong"
    assert has_diacritics("đường") and has_diacritics("đang") and not has_diacritics("duong")
    assert analyzer.matches("duong", "đường") and analyzer.matches("duong", "dương")
    assert not analyzer.matches("đường", "dương") and not analyzer.matches("đảng", "đẳng")
    assert not analyzer.matches("đảng", "đang")


@pytest.mark.parametrize("query, units", [
    ('"bình đẳng giới" duong', [("bình", "đẳng", "giới"), ("duong",)]),
    ("“phụ nữ”", [("phụ", "nữ")]),
    ('"bình đẳng', [("bình",), ("đẳng",)]),  # an unpaired quote is ignored
    ('a "b c" "d', [("a",), ("b", "c"), ("d",)]),
    ('"một"', [("một",)]),  # a one-syllable phrase is a word
    ("hòa HOÀ hoà", [("hoà",)]),  # repeats count once
    ('""', []),
    ("?!.,;", []),
])
def test_parse_query(analyzer, query, units):
    assert analyzer.parse_query(query) == units


def test_long_query_is_capped(analyzer):
    units = analyzer.parse_query("tin " * 10 + " ".join(f"x{i}" for i in range(200)))
    assert sum(len(u) for u in units) == MAX_QUERY_SYLLABLES - 9  # "tin" repeated counts once


def test_paragraphs_and_lead():
    html = "<p>Một <strong>hai</strong></p><ul><li>ba</li><li>bốn &amp; năm</li></ul><!-- x --><p>sáu<br>bảy</p>"
    assert paragraphs(html) == ["Một hai", "ba", "bốn & năm", "sáu", "bảy"]
    assert lead("", ["chữ " * 100]).endswith("…") and len(lead("", ["chữ " * 100])) <= 241
    assert lead("Tóm tắt", ["thân"]) == "Tóm tắt"


# --- encoding and format ---------------------------------------------------------------------


@pytest.mark.parametrize("ids", [[], [0], [5], [0, 1, 2, 3, 4, 5, 6, 7, 8], list(range(3, 500, 2)),
                                 [1, 1000, 100000], list(range(100, 300))])
def test_docset_round_trip(ids):
    out = bytearray()
    put_docset(out, ids)
    reader = Reader(bytes(out))
    assert reader.docset() == ids and reader.at_end()


def test_dense_docsets_are_bitmaps():
    out = bytearray()
    put_docset(out, list(range(0, 10000)))
    assert out[0] == 1 and len(out) < 1300


def sample_docs(analyzer):
    return [
        make_doc(analyzer, "Bình đẳng giới", "Phụ nữ và đường phố", ["Đảng bộ hòa hợp", "dương đang đẳng"], 2019, 0, [0]),
        make_doc(analyzer, "Đường phố Vĩnh Yên", "", ["bình đẳng giới " * 50, "thủy thuỷ quý"], 2020, 1, [1]),
        make_doc(analyzer, "Tin số 3", "duong", ["DƯƠNG ĐẲNG", unicodedata.normalize("NFD", "hoà bình")], 2022, 1, [0, 1]),
    ] + [make_doc(analyzer, f"Tin {i}", "", [f"phố {i} đường {i % 7}"], 2023, i % 2) for i in range(300)]


def test_every_posting_is_read_back(analyzer, monkeypatch):
    from plugins.site_search import writer

    # Small limits so that inline, external and multi-part postings all occur.
    monkeypatch.setattr(writer, "INLINE_MAX", 64)
    monkeypatch.setattr(writer, "PART_MAX", 100)
    # ... and small groups, so that some key spaces list their bucket hashes in index.json,
    # others in several directory files, and the metadata chunks fall in several groups.
    monkeypatch.setattr(writer, "GROUP", 4)
    monkeypatch.setattr(writer, "LISTED_BUCKETS_MAX", 3)
    # (and one document with accent variants of one folded triple)
    docs = sample_docs(analyzer) + [make_doc(analyzer, "Binh dang gioi", "", ["bình đẳng giới, bình đằng giới"],
                                             2023, 0)] + traffic_docs(analyzer)
    files = build_files(docs, CATEGORIES, CAMPAIGNS, analyzer)
    index = decoder.IndexReader(files)
    # What each posting must hold, straight from the documents' syllables: per exact form
    # (pair of forms) the documents whose best field for it is the title, Summary or body.
    syllables, pairs, positions, triples = {}, {}, {}, {}
    for doc_id, doc in enumerate(docs):
        best, best_pair, best_triple, position = {}, {}, {}, 0
        for fieldno, words in doc.segments:
            for offset, word in enumerate(words):
                best[word] = min(best.get(word, 3), fieldno)
                if offset + 1 < len(words):
                    combo = (word, words[offset + 1])
                    best_pair[combo] = min(best_pair.get(combo, 3), fieldno)
                if offset + 2 < len(words):
                    combo = tuple(words[offset:offset + 3])
                    best_triple[combo] = min(best_triple.get(combo, 3), fieldno)
                    key = " ".join(analyzer.fold(word) for word in combo)
                    positions.setdefault(key, {}).setdefault(doc_id, {})[position + offset] = (combo, fieldno)
            position += len(words) + 1  # one unused position between segments
        for combo, fieldno in best_triple.items():
            key = " ".join(analyzer.fold(word) for word in combo)
            triples.setdefault(key, {}).setdefault(combo, ([], [], []))[fieldno].append(doc_id)
        for word, fieldno in best.items():
            syllables.setdefault(analyzer.fold(word), {}).setdefault(word, ([], [], []))[fieldno].append(doc_id)
        for combo, fieldno in best_pair.items():
            key = analyzer.fold(combo[0]) + " " + analyzer.fold(combo[1])
            pairs.setdefault(key, {}).setdefault(combo, ([], [], []))[fieldno].append(doc_id)
    keys = set(index.keys())
    # t: doc sets only for triples in TRIPLE_SETS_MIN_DOCS documents or more (the others are
    # answered from their q: positions)
    with_sets = {key for key, combos in triples.items()
                 if len({doc for fields in combos.values() for ids in fields for doc in ids})
                 >= writer.TRIPLE_SETS_MIN_DOCS}
    assert 0 < len(with_sets) < len(triples)
    assert keys == ({"s:" + k for k in syllables} | {"p:" + k for k in pairs} | {"q:" + k for k in triples}
                    | {"t:" + k for k in with_sets})
    assert triples and any(len(combos) > 1 for combos in triples.values()), "sample lacks triple variants"
    assert any(len(triples[key]) > 1 for key in with_sets), "no t: posting with triple variants"
    for key in with_sets:
        assert decoder.parse_pair(index.posting("t:" + key), 3) == triples[key]
    for folded, variants in syllables.items():
        assert decoder.parse_syllable(index.posting("s:" + folded)) == variants
    for key, expected_fields in pairs.items():
        assert decoder.parse_pair(index.posting("p:" + key)) == expected_fields
    for key, expected_fields in triples.items():
        order, docs_read = decoder.parse_positions(index.posting("q:" + key))
        assert order == sorted(expected_fields)
        assert {doc: {p: (order[c], f) for p, (c, f) in found.items()} for doc, found in docs_read.items()} \
            == positions[key]
    # Every file a query may need stays small; large postings are split into parts.
    assert all(len(data) <= 100 for path, data in files.items() if path.startswith("x/"))
    assert any(path.split(".")[0].endswith("-1") for path in files if path.startswith("x/")), "no multi-part posting"
    assert {path[2] for path in files if path.startswith("b/")} == {"s", "p", "q", "t"}
    manifest = index.manifest
    assert set(manifest["hashes"]) == {space for space, count in manifest["buckets"].items() if count <= 3} == {"s", "t"}
    assert {space: len(names) for space, names in manifest["dirs"].items()} == {"p": 2, "q": 1}
    assert {path.split(".")[0] for path in files if path.startswith("d/")} == {"d/p0", "d/p1", "d/q0"}
    # Every name but the manifest's carries the hash of its bytes, a metadata chunk's the
    # hash of its group's hashes; every file is reachable.
    def sha(data):
        return hashlib.sha256(data).hexdigest()[:8]

    chunks = sorted((int(path[2:].split(".")[0]), path) for path in files if path.startswith("m/"))
    assert [number for number, _ in chunks] == list(range(-(-len(docs) // writer.CHUNK)))
    for group in range(0, len(chunks), writer.GROUP):
        members = chunks[group:group + writer.GROUP]
        name = sha(b"".join(bytes.fromhex(sha(files[path])) for _, path in members))
        assert manifest["meta"][group // writer.GROUP] == name
        assert all(path.split(".")[-2] == name for _, path in members)
    for path, data in files.items():
        if path != "index.json" and not path.startswith("m/"):
            assert path.split(".")[-2] == sha(data), path
    for doc_id, doc in enumerate(docs):
        assert index.meta(doc_id) == [doc.url, doc.title, doc.date, doc.category, doc.campaigns, doc.lead]
    assert set(index.fetched) | {"index.json"} >= {p for p in files if not p.startswith("f/")}
    assert INLINE_MAX < PART_MAX


def traffic_docs(analyzer):
    """Triples found in many documents, with an accent variant (t: doc sets are written)."""
    return [make_doc(analyzer, f"Giao thông {i}", "", ["An toàn giao thông." if i % 3 else "an toan giao thong"],
                     2024, 0) for i in range(6)]


@pytest.mark.parametrize("query, expected", [
    ("an toàn giao", {304, 305, 307, 308}),  # in 4 documents: the t: posting answers it
    ("an toan giao", {303, 304, 305, 306, 307, 308}),
    ('"thủy thuỷ quý"', {1}),  # in one document: no t: posting, the q: positions answer it
    ('"giới thủy thuỷ"', set()),  # across two paragraphs
])
def test_frequent_and_rare_triples(analyzer, query, expected):
    from plugins.site_search import writer

    docs = sample_docs(analyzer) + traffic_docs(analyzer)
    index = decoder.IndexReader(build_files(docs, CATEGORIES, CAMPAIGNS, analyzer))
    assert writer.TRIPLE_SETS_MIN_DOCS == 4
    assert ("t:an toan giao" in index.keys()) and ("t:thuy thuy quy" not in index.keys())
    found = engine.search(index, analyzer, query)
    assert set(found.ids) == expected
    assert found == reference.search(docs, CATEGORIES, CAMPAIGNS, analyzer, query)


def test_processes_write_the_same_bytes(analyzer, monkeypatch, caplog):
    """Groups of keys encoded in forked processes give the bytes of one serial pass."""
    from plugins.site_search import writer

    docs = sample_docs(analyzer) + traffic_docs(analyzer)
    serial = build_files(docs, CATEGORIES, CAMPAIGNS, analyzer)
    monkeypatch.setattr(writer, "PARTITION_TOKENS", 50)
    monkeypatch.setattr(writer, "PARALLEL_PARTITION_TOKENS", 50)
    tokens = writer._Tokens(docs, analyzer)
    assert tokens.split(50) > 3  # several groups, so every process has some
    assert build_files(docs, CATEGORIES, CAMPAIGNS, analyzer) == serial
    for processes in (2, 3):
        assert build_files(docs, CATEGORIES, CAMPAIGNS, analyzer, processes) == serial
    assert "encoding serially" not in caplog.text  # the processes did the work


def test_segments_streamed_give_the_same_bytes(analyzer):
    """Segments handed over one document at a time (as the encoder reads them from the
    analysis cache) give the bytes of segments kept on the docs, each taken once, in doc
    order; a count that does not match the documents is refused."""
    from dataclasses import replace

    docs = sample_docs(analyzer) + traffic_docs(analyzer)
    kept = build_files(docs, CATEGORIES, CAMPAIGNS, analyzer)
    bare = [replace(doc, segments=None) for doc in docs]
    taken = []

    def one_at_a_time():
        for doc in docs:
            taken.append(doc.url)
            yield [[field, list(words)] for field, words in doc.segments]

    assert build_files(bare, CATEGORIES, CAMPAIGNS, analyzer, segments=one_at_a_time()) == kept
    assert taken == [doc.url for doc in docs]
    with pytest.raises(ValueError, match="segments for"):
        build_files(bare, CATEGORIES, CAMPAIGNS, analyzer, segments=iter([doc.segments for doc in docs[:-1]]))


def test_token_groups_locate_every_syllable(analyzer):
    """The document, field and position of each row of a group (computed from its segment)
    and the rows that start a pair or a triple equal a walk over the documents' segments,
    empty segments and documents without any included."""
    from plugins.site_search import writer
    from plugins.site_search.writer import Doc

    docs = sample_docs(analyzer)[:3]
    docs.insert(1, Doc(url="/trong/", title="", date="01/01/2020", year=2020, category=-1, campaigns=[],
                       lead="", segments=[]))
    docs.append(Doc(url="/le/", title="", date="01/01/2020", year=2020, category=-1, campaigns=[], lead="",
                    segments=[[0, []], [2, ["một"]], [2, []], [2, ["hai", "ba", "bốn"]]]))
    expected = []  # (doc, field, position, tokens left in the segment) of each row
    for doc_id, doc in enumerate(docs):
        position = 0
        for fieldno, segment in doc.segments:
            expected += [(doc_id, fieldno, position + k, len(segment) - k) for k in range(len(segment))]
            position += len(segment) + 1
    tokens = writer._Tokens(docs, analyzer)
    assert len(tokens.rank) == len(expected)
    groups = tokens.split(7)
    assert groups > 3
    seen = []
    for number in range(groups):
        group = tokens.group(number)
        rows = group.rows.tolist()
        seen += rows
        assert [(d, f) for d, f in zip(group.doc.tolist(), group.field.tolist())] == [expected[r][:2] for r in rows]
        assert group.rows[group.pairs].tolist() == [r for r in rows if expected[r][3] >= 2]
        assert group.rows[group.triples].tolist() == [r for r in rows if expected[r][3] >= 3]
        assert group.positions().tolist() == [expected[r][2] for r in rows if expected[r][3] >= 3]
        ranks = tokens.rank[group.rows]
        assert ranks.min() >= tokens.bounds[number] and ranks.max() < tokens.bounds[number + 1]
    assert sorted(seen) == list(range(len(expected)))


def test_spilled_postings_give_the_same_bytes_and_leave_no_file(analyzer, monkeypatch, tmp_path):
    """Postings written to the spill files in many small writes, by one process or several,
    read back into the same index; the spill folder is gone afterwards, also after a failure."""
    import tempfile

    from plugins.site_search import writer

    docs = sample_docs(analyzer) + traffic_docs(analyzer)
    serial = build_files(docs, CATEGORIES, CAMPAIGNS, analyzer)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(writer, "SPILL_FLUSH_BYTES", 1)
    monkeypatch.setattr(writer, "PARTITION_TOKENS", 50)
    monkeypatch.setattr(writer, "PARALLEL_PARTITION_TOKENS", 50)
    for processes in (1, 2):
        assert build_files(docs, CATEGORIES, CAMPAIGNS, analyzer, processes) == serial
        assert list(tmp_path.iterdir()) == []

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(writer, "_posting_files", broken)
    with pytest.raises(OSError, match="disk full"):
        build_files(docs, CATEGORIES, CAMPAIGNS, analyzer)
    assert list(tmp_path.iterdir()) == []


def test_build_is_deterministic(analyzer):
    first = build_files(sample_docs(analyzer), CATEGORIES, CAMPAIGNS, analyzer)
    second = build_files(sample_docs(Analyzer()), CATEGORIES, CAMPAIGNS, Analyzer())
    assert first == second


@pytest.mark.parametrize("query, expected", [
    ("bình đẳng giới", {0, 1}),
    ("binh dang gioi", {0, 1}),
    ("BÌNH ĐẲNG GIỚI", {0, 1}),
    ('"bình đẳng giới"', {0, 1}),
    ('"đẳng giới bình"', {1}),  # across the repeats of paragraph 1, inside one paragraph only
    ('"giới phụ"', set()),  # title then summary: different segments
    ("duong", {0, 1, 2} | {3 + i for i in range(300)}),
    ("dương", {0, 2}),
    ("đẳng", {0, 1, 2}),
    ("hoà bình", {0, 2}),
    ("hòa", {0, 2}),
    ('"thuy thuy quy"', {1}),
])
def test_engine_examples(analyzer, query, expected):
    docs = sample_docs(analyzer)
    index = decoder.IndexReader(build_files(docs, CATEGORIES, CAMPAIGNS, analyzer))
    found = engine.search(index, analyzer, query)
    assert set(found.ids) == expected
    assert found == reference.search(docs, CATEGORIES, CAMPAIGNS, analyzer, query)


def test_exact_forms_and_fields_rank_first(analyzer):
    docs = sample_docs(analyzer)
    index = decoder.IndexReader(build_files(docs, CATEGORIES, CAMPAIGNS, analyzer))
    # "duong" typed without marks: the summary's literal "duong" (doc 2) is exact.
    ids = engine.search(index, analyzer, "duong").ids
    assert ids[0] == 1  # title "Đường ..." (weight 4) beats the summary
    assert ids.index(2) < ids.index(0)
    assert engine.search(index, analyzer, "duong", Filters(sort="date")).ids[:3] == [302, 301, 300]


def test_cover_offsets():
    assert [engine.cover(n) for n in range(4, 10)] == [[0, 1], [0, 2], [0, 3], [0, 3, 4], [0, 3, 5], [0, 3, 6]]


def test_long_phrases_equal_reference(analyzer):
    """Phrases of 4-8 syllables taken from the documents' own text, inside a segment and across
    segment boundaries (which must never match), with accents kept, dropped or changed."""
    docs = sample_docs(analyzer)[:3] + [
        make_doc(analyzer, "Một hai ba bốn năm sáu", "bảy tám chín mười", ["một hai ba", "bốn năm sáu bảy",
                 "một hai ba bốn, năm sáu bảy tám", "hai ba bốn năm hai ba bốn năm sáu"], 2023, 0),
        make_doc(analyzer, "mot hai ba bon nam sau", "", ["một hai bà bốn năm sáu bảy tám chín"], 2024, 1)]
    index = decoder.IndexReader(build_files(docs, CATEGORIES, CAMPAIGNS, analyzer))
    stream = [word for doc in docs for _, words in doc.segments for word in words]
    queries = set()
    for size in range(4, 9):
        for start in range(0, len(stream) - size + 1, 2):
            words = stream[start:start + size]
            queries.add('"' + " ".join(words) + '"')
            queries.add('"' + " ".join(analyzer.fold(w) for w in words) + '"')
    matched = 0
    for query in sorted(queries):
        found = engine.search(index, analyzer, query)
        assert found == reference.search(docs, CATEGORIES, CAMPAIGNS, analyzer, query), query
        matched += bool(found.ids)
    assert matched > 20


# --- property: index == brute force ------------------------------------------------------------

words = st.tuples(st.sampled_from(VOCABULARY), st.integers(0, 5))
text = st.lists(words, max_size=12).map(lambda ws: " ".join(disguise(w, s) for w, s in ws))
punctuated = st.lists(st.one_of(text, st.sampled_from([", ", ". ", " - ", "!", "\u200b"])), max_size=4).map("".join)
doc_strategy = st.tuples(punctuated, st.one_of(st.just(""), punctuated), st.lists(punctuated, max_size=4),
                         st.integers(2018, 2024), st.integers(0, 1), st.lists(st.integers(0, 1), max_size=2))
query_word = st.tuples(st.sampled_from(VOCABULARY), st.integers(0, 5)).map(lambda w: disguise(*w))
query_strategy = st.lists(
    st.one_of(query_word, st.lists(query_word, min_size=2, max_size=7).map(lambda ws: '"' + " ".join(ws) + '"'),
              st.sampled_from(['"', "!!", "«"])),
    min_size=1, max_size=4).map(" ".join)
filter_strategy = st.builds(
    Filters,
    category=st.sampled_from(["", "tin-tuc-su-kien", "tuyen-truyen"]),
    campaign=st.sampled_from(["", "binh-dang-gioi", "chuyen-doi-so"]),
    from_year=st.sampled_from([0, 2019, 2021]),
    to_year=st.sampled_from([0, 2020, 2023]),
    sort=st.sampled_from(["relevance", "date"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(corpus=[("bình đẳng giới", "", [], 2020, 0, [])] * 3,
         queries=[("bình đẳng giới", Filters()), ("binh dang", Filters())], min_docs=2)
@given(st.lists(doc_strategy, min_size=1, max_size=25), st.lists(st.tuples(query_strategy, filter_strategy),
                                                                 min_size=1, max_size=5),
       st.sampled_from([1, 2, 4]))
def test_index_equals_reference(corpus, queries, min_docs):
    from plugins.site_search import writer

    analyzer = Analyzer()
    corpus = sorted(corpus, key=lambda d: d[3])  # doc ids are in date order
    docs = [make_doc(analyzer, title, summary, body, year, cat, camps, url=f"{n}.html")
            for n, (title, summary, body, year, cat, camps) in enumerate(corpus)]
    default, writer.TRIPLE_SETS_MIN_DOCS = writer.TRIPLE_SETS_MIN_DOCS, min_docs
    try:
        index = decoder.IndexReader(build_files(docs, CATEGORIES, CAMPAIGNS, analyzer))
    finally:
        writer.TRIPLE_SETS_MIN_DOCS = default
    for query, filters in queries:
        assert engine.search(index, analyzer, query, filters) == \
            reference.search(docs, CATEGORIES, CAMPAIGNS, analyzer, query, filters), query


def test_analysis_cache_writes_in_batches(tmp_path, monkeypatch):
    import sqlite3

    from plugins.keyed_cache import keyed_cache
    from plugins.site_search import cache as cache_module

    monkeypatch.setattr(keyed_cache, "FLUSH_ROWS", 2)
    cache = cache_module.AnalysisCache(str(tmp_path))
    for n in range(5):
        assert cache.lookup(f"k{n}", lambda n=n: {"n": n}) == {"n": n}
    stored = sqlite3.connect(cache.path).execute("SELECT COUNT(*) FROM analyses").fetchone()[0]
    assert stored == 4 and len(cache._new) == 1  # two batches written, one analysis pending
    cache.close()
    again = cache_module.AnalysisCache(str(tmp_path))
    assert [again.lookup(f"k{n}", lambda: None) for n in range(5)] == [{"n": n} for n in range(5)]
    assert again.hits == 5 and again.misses == 0
    again.close()


def test_analysis_cache_reads_in_batches_what_it_stored(tmp_path, monkeypatch):
    """lookup_all reads its keys a batch at a time: every stored key comes back (a key listed
    twice, and keys on both sides of a batch boundary), the others are computed."""
    from plugins.keyed_cache import keyed_cache
    from plugins.site_search import cache as cache_module

    monkeypatch.setattr(keyed_cache, "READ_BATCH", 2)
    cache = cache_module.AnalysisCache(str(tmp_path))
    for n in range(5):
        cache.store(f"k{n}", {"segments": [[0, [f"từ{n}"]]], "lead": f"Tin {n}"})
    cache.close()
    again = cache_module.AnalysisCache(str(tmp_path))
    keys = ["k4", "x", "k0", "k4", "k2", "y", "k1", "k3"]
    computed = []
    values = again.lookup_all(keys, lambda missing: computed.extend(missing) or [{"new": i} for i in missing])
    again.close()
    assert computed == [1, 5]
    assert values == [{"segments": [[0, [f"từ{k[1]}"]]], "lead": f"Tin {k[1]}"} if k.startswith("k") else
                      {"new": i} for i, k in enumerate(keys)]
    assert again.hits == 6 and again.misses == 2


def test_analysis_cache_refuses_rows_that_are_not_plain_data(tmp_path, monkeypatch):
    """A row that names a class or function (which unpickling would import and call), an old
    JSON row and bytes that are no pickle are misses: computed again and replaced, never run."""
    import os
    import pickle
    import sqlite3

    from plugins.site_search import cache as cache_module

    class Runs:  # unpickled, it would set a variable
        def __reduce__(self):
            return (exec, ("import os; os.environ['SITE_SEARCH_PLANTED'] = 'ran'",))

    class Builds:  # unpickled, it would be a well-formed analysis, made by calling dict
        def __reduce__(self):
            return (dict, ([("segments", [[0, ["giả"]]]), ("lead", "Giả")],))

    monkeypatch.delenv("SITE_SEARCH_PLANTED", raising=False)
    good = {"segments": [[0, ["bình"]]], "lead": "Bình"}
    cache = cache_module.AnalysisCache(str(tmp_path))
    cache.close()
    db = sqlite3.connect(cache.path)
    with db:
        db.executemany("INSERT INTO analyses (hash, data) VALUES (?, ?)", [
            ("code", pickle.dumps(Runs())), ("call", pickle.dumps(Builds())),
            ("json", '{"segments":[[0,["bình"]]],"lead":"Bình"}'),
            ("junk", b"\x80\x05not a pickle"), ("good", pickle.dumps(good))])
    db.close()
    again = cache_module.AnalysisCache(str(tmp_path))
    assert [again.get(key) for key in ("code", "call", "json", "junk")] == [None] * 4
    assert "SITE_SEARCH_PLANTED" not in os.environ
    assert again.get("good") == good
    assert again.lookup_all(["code", "json", "good"], lambda missing: [{"n": i} for i in missing]) == \
        [{"n": 0}, {"n": 1}, good]
    again.close()
    rows = dict(sqlite3.connect(again.path).execute("SELECT hash, data FROM analyses"))
    assert pickle.loads(rows["code"]) == {"n": 0} and pickle.loads(rows["json"]) == {"n": 1}


def test_cached_analyses_share_their_syllables(tmp_path, analyzer):
    """An analysis read back from the cache has one string object per distinct syllable, as
    a fresh one has (one object per occurrence is gigabytes at 100,000 articles)."""
    from plugins.site_search import cache as cache_module

    texts = [("Bình đẳng giới", "", "<p>bình đẳng giới ở Vĩnh Yên</p>"), ("Bình yên", "", "<p>bình minh</p>")]
    cache = cache_module.AnalysisCache(str(tmp_path))
    fresh = [cache.lookup(f"k{n}", lambda text=text: analyse(*text, analyzer)) for n, text in enumerate(texts)]
    cache.close()
    again = cache_module.AnalysisCache(str(tmp_path))
    read = [again.lookup(f"k{n}", lambda: None) for n in range(len(texts))]
    again.close()
    assert read == fresh and again.hits == 2
    words = [word for value in read for _, segment in value["segments"] for word in segment if word == "bình"]
    assert len(words) == 4 and len({id(word) for word in words}) == 1


def test_parallel_analysis_equals_serial(analyzer):
    """Texts analysed in forked processes come back in order, equal to a serial analysis,
    with one string object per distinct syllable and process."""
    from plugins.site_search.parallel_analysis import PARALLEL_MIN_TEXTS, analyse_all

    texts = [(f"Tin số {n}: bình đẳng giới", "", f"<p>Đường số {n} ở Vĩnh Yên.</p><p>bình yên</p>")
             for n in range(PARALLEL_MIN_TEXTS + 6)]
    serial = analyse_all(texts, analyzer, 1)
    for processes in (2, 3):
        shared = analyse_all(texts, Analyzer(), processes)
        assert shared == serial
        words = [w for value in shared for _, segment in value["segments"] for w in segment if w == "bình"]
        assert len(words) == 2 * len(texts) and len({id(w) for w in words}) <= processes


def test_collector_paused_restores_the_collector():
    import gc

    from plugins.site_search.gc_pause import collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("a failing build")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
