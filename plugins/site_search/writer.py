"""Write the static search index from analysed documents (see README, "Search index format").

Layout below the index folder (``SITE_SEARCH_INDEX_DIR``)::

    index.json          manifest: document count, bucket count, years, categories, campaigns
    b/<k><bucket>.bin   one bucket of key space k (s, p or q; keys hashed with FNV-1a)
    x/<k><b>-<n>-<p>.bin  part p of the postings of a large key of bucket b
    m/<chunk>.json      metadata and excerpt of documents chunk*CHUNK .. (chunk+1)*CHUNK-1
    f/cat-<i>.bin       doc-id set of category i; f/camp-<i>.bin of campaign i

Keys: ``s:<folded syllable>`` (exact forms, each with one doc set per field),
``p:<folded> <folded>`` (adjacent pairs: exact form pairs, doc sets per field) and
``q:<folded> <folded>`` (the same pairs with their positions, read only for phrases of three
syllables or more). Documents are numbered in date order, oldest first.
"""

import json
from array import array
from dataclasses import dataclass, field

from .encoding import fnv1a, put_docset, put_string, put_varint

CHUNK = 8
INLINE_MAX = 1024
PART_MAX = 64 * 1024
BUCKET_TARGET = 8 * 1024
FORMAT_VERSION = 1
NAMESPACES = ("s", "p", "q")


@dataclass
class Doc:
    """One searchable article, in the form the index and the reference both read."""

    url: str
    title: str
    date: str  # dd/mm/yyyy
    year: int
    category: int  # index into the categories list, -1 for none
    campaigns: list  # indexes into the campaigns list
    lead: str
    segments: list  # [[field, [syllable, ...]], ...]
    sort_key: tuple = field(default=(), compare=False)


def collect(docs, analyzer):
    """Postings of every key, in memory: ``(syllables, pairs)``.

    syllables: folded -> {exact form -> (ids in title, in summary, in body)}
    pairs: "f1 f2" -> {(a, b): array of (doc, position, field) triples, in (doc, position) order}
    """
    fold = analyzer.fold
    words, exact_pairs = {}, {}
    words_get, pairs_get = words.get, exact_pairs.get
    for doc_id, doc in enumerate(docs):
        position = 0
        for fieldno, segment in doc.segments:
            for word in set(segment):  # output order never depends on this set's order
                entry = words_get(word)
                if entry is None:
                    entry = words[word] = (fold(word), (array("I"), array("I"), array("I")))
                ids = entry[1][fieldno]
                if not ids or ids[-1] != doc_id:
                    ids.append(doc_id)
            for offset, key in enumerate(zip(segment, segment[1:]), position):
                found = pairs_get(key)
                if found is None:
                    found = exact_pairs[key] = array("I")
                found.extend((doc_id, offset, fieldno))
            position += len(segment)
    syllables, pairs = {}, {}
    for word, (folded, lists) in words.items():
        syllables.setdefault(folded, {})[word] = lists
    for (a, b), found in exact_pairs.items():
        pairs.setdefault(words[a][0] + " " + words[b][0], {})[(a, b)] = found
    return syllables, pairs


def encode_syllable(variants):
    out = bytearray()
    put_varint(out, len(variants))
    for form in sorted(variants):
        put_string(out, form)
        for ids in variants[form]:
            put_docset(out, ids)
    return bytes(out)


def _field_sets(found):
    fields = ([], [], [])
    for i in range(0, len(found), 3):
        ids = fields[found[i + 2]]
        doc = found[i]
        if not ids or ids[-1] != doc:
            ids.append(doc)
    return fields


def encode_pair(combos):
    """(p: posting, q: posting) of one adjacent folded pair: ``combos`` maps each exact
    (a, b) to its (doc, position, field) triples."""
    if len(combos) == 1:
        (a, b), found = next(iter(combos.items()))
        if len(found) == 3:  # most pairs: one document, one occurrence
            return _single_pair(a, b, found[0], found[1], found[2])
    order = sorted(combos)
    pair, positions = bytearray(), bytearray()
    put_varint(pair, len(order))
    put_varint(positions, len(order))
    for a, b in order:
        for out in (pair, positions):
            put_string(out, a)
            put_string(out, b)
        for ids in _field_sets(combos[a, b]):
            put_docset(pair, ids)
    if len(order) == 1:
        merged = combos[order[0]]  # code = combo * 3 + field = field
    else:
        triples = sorted((found[i], found[i + 1], n * 3 + found[i + 2])
                         for n, combo in enumerate(order) for found in (combos[combo],)
                         for i in range(0, len(found), 3))
        merged = array("I", (value for triple in triples for value in triple))
    body, ndocs, previous_doc, i, end = bytearray(), 0, 0, 0, len(merged)
    while i < end:
        doc = merged[i]
        j = i
        while j < end and merged[j] == doc:
            j += 3
        put_varint(body, doc - previous_doc)
        put_varint(body, (j - i) // 3)
        previous_doc, previous = doc, 0
        for k in range(i, j, 3):
            delta = merged[k + 1] - previous
            previous = merged[k + 1]
            if delta < 0x80:
                body.append(delta)
            else:
                put_varint(body, delta)
            code = merged[k + 2]
            if code < 0x80:
                body.append(code)
            else:
                put_varint(body, code)
        ndocs += 1
        i = j
    put_varint(positions, ndocs)
    positions += body
    return bytes(pair), bytes(positions)


def _single_pair(a, b, doc, position, fieldno):
    head = bytearray(b"\x01")
    put_string(head, a)
    put_string(head, b)
    pair = bytearray(head)
    for n in range(3):
        pair.append(0)
        if n == fieldno:
            pair.append(1)
            put_varint(pair, doc)
        else:
            pair.append(0)
    positions = head
    positions.append(1)
    put_varint(positions, doc)
    positions.append(1)
    put_varint(positions, position)
    positions.append(fieldno)
    return bytes(pair), bytes(positions)


def _bucket(space, number, keys, postings, files):
    """One bucket file; postings over INLINE_MAX go to their own files (split at PART_MAX)."""
    out = bytearray()
    put_varint(out, len(keys))
    external = 0
    for key in keys:
        data = postings[key]
        put_string(out, key)
        if len(data) <= INLINE_MAX:
            put_varint(out, 0)
            put_varint(out, len(data))
            out += data
        else:
            parts = [data[i:i + PART_MAX] for i in range(0, len(data), PART_MAX)]
            put_varint(out, len(parts))
            put_varint(out, external)
            for part_no, part in enumerate(parts):
                files[f"x/{space}{number}-{external}-{part_no}.bin"] = part
            external += 1
    return bytes(out)


def bucket_count(total_inline):
    count = 1
    while count * BUCKET_TARGET < total_inline:
        count *= 2
    return count


def build_files(docs, categories, campaigns, analyzer):
    """``{relative path: bytes}`` of the whole index for ``docs`` (in doc-id order).

    Each key space (s, p, q) has its own buckets, so a word never fetches pair data."""
    syllables, pairs = collect(docs, analyzer)
    postings = {}
    for folded, variants in syllables.items():
        postings["s:" + folded] = encode_syllable(variants)
    del syllables
    for key, combos in pairs.items():
        postings["p:" + key], postings["q:" + key] = encode_pair(combos)
    del pairs

    files, buckets = {}, {}
    for space in NAMESPACES:
        keys = [key for key in postings if key[0] == space]
        total_inline = sum(len(postings[key]) for key in keys if len(postings[key]) <= INLINE_MAX)
        count = buckets[space] = bucket_count(total_inline)
        members = [[] for _ in range(count)]
        for key in keys:
            members[fnv1a(key) & (count - 1)].append(key)
        for number, names in enumerate(members):
            files[f"b/{space}{number}.bin"] = _bucket(space, number, sorted(names), postings, files)
    for start in range(0, len(docs), CHUNK):
        rows = [[d.url, d.title, d.date, d.category, d.campaigns, d.lead] for d in docs[start:start + CHUNK]]
        files[f"m/{start // CHUNK}.json"] = _json(rows)

    for facet, names in (("cat", categories), ("camp", campaigns)):
        sets = [[] for _ in names]
        for doc_id, doc in enumerate(docs):
            for value in ([doc.category] if facet == "cat" else doc.campaigns):
                if value >= 0:
                    sets[value].append(doc_id)
        for value, ids in enumerate(sets):
            out = bytearray()
            put_docset(out, ids)
            files[f"f/{facet}-{value}.bin"] = bytes(out)

    years = []
    for doc_id, doc in enumerate(docs):
        if not years or years[-1][0] != doc.year:
            years.append([doc.year, doc_id])
    manifest = {
        "version": FORMAT_VERSION,
        "docs": len(docs),
        "buckets": buckets,
        "chunk": CHUNK,
        "years": years,
        "categories": [{"name": name, "slug": slug} for name, slug in categories],
        "campaigns": [{"name": name, "slug": slug} for name, slug in campaigns],
    }
    files["index.json"] = _json(manifest)
    return files


def _json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
