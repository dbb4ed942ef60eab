"""Write the static search index from analysed documents (see README, "Search index format").

Layout below the index folder (``SITE_SEARCH_INDEX_DIR``)::

    index.json          manifest: document count, bucket count, years, categories, campaigns
    b/<bucket>.bin      one bucket of the key directory (keys hashed with FNV-1a)
    x/<b>-<n>-<p>.bin   part p of the postings of a large key of bucket b
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

CHUNK = 16
INLINE_MAX = 1024
PART_MAX = 64 * 1024
BUCKET_TARGET = 16 * 1024
FORMAT_VERSION = 1


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

    syllables: folded -> {exact form -> [ids in title, in summary, in body]}
    pairs: "f1 f2" -> (combos {(a, b): n}, array of (doc, position, n*3 + field) triples)
    """
    fold = analyzer.fold
    syllables, pairs = {}, {}
    for doc_id, doc in enumerate(docs):
        position = 0
        for fieldno, words in doc.segments:
            previous = previous_folded = None
            for word in words:
                folded = fold(word)
                variants = syllables.get(folded)
                if variants is None:
                    variants = syllables[folded] = {}
                lists = variants.get(word)
                if lists is None:
                    lists = variants[word] = (array("I"), array("I"), array("I"))
                ids = lists[fieldno]
                if not ids or ids[-1] != doc_id:
                    ids.append(doc_id)
                if previous is not None:
                    key = previous_folded + " " + folded
                    entry = pairs.get(key)
                    if entry is None:
                        entry = pairs[key] = ({}, array("I"))
                    combos, occurrences = entry
                    combo = combos.setdefault((previous, word), len(combos))
                    occurrences.extend((doc_id, position - 1, combo * 3 + fieldno))
                previous, previous_folded = word, folded
                position += 1
    return syllables, pairs


def encode_syllable(variants):
    out = bytearray()
    put_varint(out, len(variants))
    for form in sorted(variants):
        put_string(out, form)
        for ids in variants[form]:
            put_docset(out, ids)
    return bytes(out)


def encode_pair(combos, occurrences):
    """(p: posting, q: posting) of one adjacent pair."""
    order = sorted(combos)
    renumber = {combos[c]: i for i, c in enumerate(order)}
    per_field = [[[], [], []] for _ in order]
    by_doc = {}
    for i in range(0, len(occurrences), 3):
        doc, position, code = occurrences[i], occurrences[i + 1], occurrences[i + 2]
        combo, fieldno = renumber[code // 3], code % 3
        ids = per_field[combo][fieldno]
        if not ids or ids[-1] != doc:
            ids.append(doc)
        by_doc.setdefault(doc, []).append((position, combo * 3 + fieldno))
    pair = bytearray()
    put_varint(pair, len(order))
    for (a, b), fields in zip(order, per_field):
        put_string(pair, a)
        put_string(pair, b)
        for ids in fields:
            put_docset(pair, ids)
    positions = bytearray()
    put_varint(positions, len(order))
    for a, b in order:
        put_string(positions, a)
        put_string(positions, b)
    put_varint(positions, len(by_doc))
    previous_doc = 0
    for doc in sorted(by_doc):
        put_varint(positions, doc - previous_doc)
        previous_doc = doc
        found = sorted(by_doc[doc])
        put_varint(positions, len(found))
        previous = 0
        for position, code in found:
            put_varint(positions, position - previous)
            previous = position
            put_varint(positions, code)
    return bytes(pair), bytes(positions)


def bucket_count(total_inline):
    count = 1
    while count * BUCKET_TARGET < total_inline:
        count *= 2
    return count


def build_files(docs, categories, campaigns, analyzer):
    """``{relative path: bytes}`` of the whole index for ``docs`` (in doc-id order)."""
    syllables, pairs = collect(docs, analyzer)
    postings = {}
    for folded, variants in syllables.items():
        postings["s:" + folded] = encode_syllable(variants)
    del syllables
    for key, (combos, occurrences) in pairs.items():
        postings["p:" + key], postings["q:" + key] = encode_pair(combos, occurrences)
    del pairs

    files = {}
    total_inline = sum(len(data) for data in postings.values() if len(data) <= INLINE_MAX)
    buckets = bucket_count(total_inline)
    members = [[] for _ in range(buckets)]
    for key in postings:
        members[fnv1a(key) & (buckets - 1)].append(key)
    for number, keys in enumerate(members):
        out = bytearray()
        put_varint(out, len(keys))
        external = 0
        for key in sorted(keys):
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
                    files[f"x/{number}-{external}-{part_no}.bin"] = part
                external += 1
        files[f"b/{number}.bin"] = bytes(out)

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
