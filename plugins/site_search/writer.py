"""Write the static search index from analysed documents (see README, "Index format").

Layout below the index folder (``SITE_SEARCH_INDEX_DIR``); every name but ``index.json``
carries ``<h>``, 8 hex digits of the SHA-256 of the file's bytes (of a metadata chunk: of
its group's), so a file's name changes whenever its bytes change: a browser that cached an older file never mixes it with a
newer index, and a rebuild leaves unchanged files alone::

    index.json            manifest (served no-cache): counts, years, categories, campaigns,
                          bucket counts, the hashes of the directory, metadata groups and facet
                          files, and the bucket hashes of every key space small enough
    d/<k><g>.<h>.bin      directory: the 4-byte hashes of buckets GROUP*g .. GROUP*(g+1)-1 of
                          key space k, for a space of more than LISTED_BUCKETS_MAX buckets
                          (a smaller one lists them in index.json: no directory round trip)
    b/<k><n>.<h>.bin      bucket n of key space k (s, p, t or q; keys hashed with CRC-32)
    x/<k><n>-<e>-<p>.<h>.bin  part p of the e-th large posting of bucket n (hash in the bucket)
    m/<c>.<g>.json        metadata and excerpt of documents c*CHUNK .. (c+1)*CHUNK-1; <g> is
                          the hash of its group's chunk hashes (chunks GROUP*i .. GROUP*(i+1)-1),
                          listed in index.json: the results' rows need no directory round trip,
                          and a changed chunk renames the chunks of its group (one group for a
                          new article, the newest)
    f/cat-<i>.<h>.bin     doc-id set of category i; f/camp-<i>.<h>.bin of campaign i

Keys: ``s:<folded syllable>`` (exact forms, each with one doc set per field: the documents
whose best field for it is the title, the Summary, the body), ``p:<folded> <folded>``
(adjacent pairs: exact form pairs, doc sets per best field), ``t:<folded> <folded> <folded>``
(adjacent triples, the same way: a three-syllable phrase is answered from it alone) and
``q:<folded> <folded> <folded>`` (the same triples with their positions, read only for
phrases of four syllables or more: triples at offsets 0, 3, 6, … and the last one cover
the phrase; positions leave one unused between segments, so consecutive positions never
cross a paragraph). Documents are numbered in date order, oldest first.

The postings are computed with numpy (token ids, sorts, one varint stream cut per key),
one group of keys at a time (memory bounded by the group, not the archive; the groups shared
over the build's cores): per-token Python work is one dict lookup. A token is one int32 (its
rank); its document, field and position come from its segment. Each group's postings are
written to a temporary file as they are made and read back one key space at a time to lay
out the buckets, so the encoder never holds every posting at once.
"""

import json
import logging
import os
import pickle
import shutil
import tempfile
from array import array
from dataclasses import dataclass, field

import numpy as np

from plugins.parallel_output.parallel_output import run_in_processes

from .encoding import EMPTY_DOCSET, content_name, docsets, key_hashes, put_docset, put_varint, varints

logger = logging.getLogger(__name__)

CHUNK = 4
INLINE_MAX = 512
PART_MAX = 64 * 1024
BUCKET_TARGET = 4 * 1024
GROUP = 256
# A key space with at most this many buckets lists their hashes in index.json (8 hex digits
# each: 4 KB at most) instead of directory files; at 10,000 articles that is the s: space,
# so a query of words goes index.json -> bucket -> (large postings) -> metadata.
LISTED_BUCKETS_MAX = 512
FORMAT_VERSION = 6
# t: keys are written for triples found in at least this many documents; the others are
# answered from their q: positions.
TRIPLE_SETS_MIN_DOCS = 4
NAMESPACES = ("s", "p", "q", "t")


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


def _varint(value):
    if value < 128:
        return _SMALL[value]
    out = bytearray()
    put_varint(out, value)
    return bytes(out)


def _string(text):
    data = text.encode("utf-8")
    return _varint(len(data)) + data


class _Tokens:
    """Every syllable of every document as one numpy array of ranks, its segments as arrays
    of their own, and the vocabulary ordered by (folded, exact form): a form's rank orders
    the exact forms of a key as strings do.

    At 100,000 articles there are some 30 million syllables: one int32 each. Their document,
    field and position come from their segment (about 50 times fewer), computed for one
    group of keys at a time (:meth:`group`).

    ``segments``, when given, yields each document's segments in doc-id order instead of
    ``doc.segments``: the encoder reads them from the analysis cache one by one, and the
    syllable lists of the whole archive (some 440 MB at 100,000 articles) are never held."""

    def __init__(self, docs, analyzer, segments=None):
        vocab, forms = {}, []
        lookup = vocab.__getitem__
        tids, seg_doc, seg_field, seg_len = array("i"), array("i"), array("b"), array("q")
        if segments is None:
            segments = (doc.segments for doc in docs)
        read = 0
        for doc_id, doc_segments in enumerate(segments):
            read += 1
            for fieldno, segment in doc_segments:
                try:
                    ids = list(map(lookup, segment))
                except KeyError:
                    for word in segment:
                        if word not in vocab:
                            vocab[word] = len(forms)
                            forms.append(word)
                    ids = list(map(lookup, segment))
                tids.extend(ids)
                seg_doc.append(doc_id)
                seg_field.append(fieldno)
                seg_len.append(len(ids))
        if read != len(docs):
            raise ValueError(f"site_search: {read} documents' segments for {len(docs)} documents")
        del vocab
        folded = [analyzer.fold(form) for form in forms]
        order = sorted(range(len(forms)), key=lambda t: (folded[t], forms[t]))
        rank_of = np.empty(len(forms), np.int32)
        rank_of[order] = np.arange(len(forms), dtype=np.int32)
        self.forms = [forms[t] for t in order]  # by rank
        self.folded_keys, fid = [], []  # folded key of each fid; fid of each rank
        for t in order:
            if not self.folded_keys or self.folded_keys[-1] != folded[t]:
                self.folded_keys.append(folded[t])
            fid.append(len(self.folded_keys) - 1)
        self.fid = np.array(fid, np.int32)
        self.rank = rank_of[np.frombuffer(tids, np.int32)] if len(tids) else np.empty(0, np.int32)
        del tids
        lengths = np.frombuffer(seg_len, np.int64)
        self.segment_end = np.cumsum(lengths)  # token rows [end - length, end) are segment s
        self.segment_doc = np.frombuffer(seg_doc, np.int32)
        self.segment_field = np.frombuffer(seg_field, np.int8)
        # A token's position in its document counts the segments before it too: one unused
        # position between segments, so consecutive positions are always in one segment.
        # Position of row i of segment s: i + segment_base[s].
        first_segment = np.searchsorted(self.segment_doc, np.arange(len(docs), dtype=np.int32), "left")
        doc_start = np.concatenate(([0], self.segment_end))[first_segment] if len(docs) else first_segment
        doc = self.segment_doc
        self.segment_base = np.arange(len(doc), dtype=np.int64) - first_segment[doc] - doc_start[doc]
        self.ndocs = len(docs)
        self.bounds = None

    def split(self, limit):
        """Group the tokens by ranges of folded keys of about ``limit`` tokens each (a key
        never spans two groups); returns the number of groups. The postings of each group are
        computed alone (:meth:`group`), so the encoder's temporaries are bounded by
        ``limit``, not by the archive, and groups can be encoded in separate processes.

        Ranks are ordered by folded key, so a group is a range of ranks."""
        if not len(self.rank):
            self.bounds = None
            return 0
        # bincount casts its input to int64: counted a slice at a time, the copy stays small
        per_rank = np.zeros(len(self.forms), np.int64)
        for start in range(0, len(self.rank), COUNT_SLICE):
            per_rank += np.bincount(self.rank[start:start + COUNT_SLICE], minlength=len(self.forms))
        key_first = np.flatnonzero(np.concatenate(([True], self.fid[1:] != self.fid[:-1])))
        per_key = np.add.reduceat(per_rank, key_first)
        part_of_key = (np.cumsum(per_key) - per_key) // limit
        starts = np.flatnonzero(np.concatenate(([True], part_of_key[1:] != part_of_key[:-1])))
        self.bounds = np.append(key_first[starts], len(self.forms)).tolist()  # rank ranges
        return len(starts)

    def group(self, number):
        """The :class:`_Group` of group ``number`` (see :meth:`split`)."""
        low, high = self.bounds[number], self.bounds[number + 1]
        chosen = self.rank >= low
        chosen &= self.rank < high
        return _Group(self, np.flatnonzero(chosen))


class _Group:
    """The token rows of one group of keys, with their document and field, and the rows among
    them that start an adjacent pair or triple (one inside a segment; a pair never spans two)."""

    def __init__(self, tokens, rows):
        segment = np.searchsorted(tokens.segment_end, rows, "right")
        self.rows = rows
        self.doc, self.field = tokens.segment_doc[segment], tokens.segment_field[segment]
        room = tokens.segment_end[segment] - rows  # tokens left in the segment from each row
        self.pairs = np.flatnonzero(room >= 2)  # indexes into rows
        self.triples = np.flatnonzero(room >= 3)
        self.base = tokens.segment_base[segment[self.triples]]

    def positions(self):
        """Position in its document of each row of :attr:`triples`."""
        return self.rows[self.triples] + self.base


def _distinct(values):
    """Sorted distinct values of an int64 array (a sort: numpy's hash-based unique is slower)."""
    values = np.sort(values)
    keep = np.ones(len(values), bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _distinct_inverse(values):
    """(sorted distinct values, index of each value among them)."""
    order = np.argsort(values)
    ordered = values[order]
    new = np.ones(len(values), bool)
    new[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(len(values), np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


_SMALL = [bytes([n]) for n in range(128)]


def _best_field_sets(item, doc, fieldno, ndocs, nitems):
    """Doc sets by best field: ``{item*3 + field: bytes}`` as two parallel lists, from one row
    per occurrence (item, doc, field); the title (0) beats the Summary (1) beats the body."""
    keys = _distinct((item.astype(np.int64) * ndocs + doc) * 3 + fieldno)
    pairs = keys // 3
    keep = np.ones(len(keys), bool)
    keep[1:] = pairs[1:] != pairs[:-1]
    keys = keys[keep]
    del pairs, keep
    item, doc, fieldno = keys // 3 // ndocs, keys // 3 % ndocs, keys % 3
    ordered = np.sort((item * 3 + fieldno) * ndocs + doc)
    del item, doc, fieldno, keys
    numbers, data = docsets(ordered // ndocs, ordered % ndocs)
    sets = [EMPTY_DOCSET] * (3 * nitems)
    for number, encoded in zip(numbers.tolist(), data):
        sets[number] = encoded
    return sets


# Bytes of postings a _Spill gathers before it writes them.
SPILL_FLUSH_BYTES = 4 << 20
# Tokens counted per bincount call in _Tokens.split.
COUNT_SLICE = 1 << 22
# Tokens per encoding pass (see _Tokens.split): some 200 bytes of temporaries each.
PARTITION_TOKENS = 1_000_000
# Smallest group when the groups are shared over several processes (below it, the numpy
# calls' fixed cost dominates).
PARALLEL_PARTITION_TOKENS = 100_000


def _postings(tokens, folder, processes=1):
    """``{"s": [...], "p": [...], "q": [...], "t": [...]}``: every key's posting, as
    :class:`_Spill` parts written below ``folder``, one group of keys at a time, the groups
    shared over ``processes`` processes forked from this one. A key is in exactly one group
    and the files are laid out from the keys alone, so the bytes do not depend on the number
    of processes."""
    limit = PARTITION_TOKENS
    if processes > 1:
        limit = max(PARALLEL_PARTITION_TOKENS, min(limit, -(-len(tokens.rank) // (2 * processes))))
    numbers = list(range(tokens.split(limit)))
    if processes > 1 and len(numbers) > 1:
        try:
            return _postings_in_processes(tokens, numbers, processes, folder)
        except (RuntimeError, OSError, pickle.UnpicklingError, EOFError) as exc:
            logger.warning("site_search: encoding in %d processes failed; encoding serially:\n%s", processes, exc)
    return _encode_groups(tokens, numbers, folder)


class _Spill:
    """The postings of one key space computed by one process, written to ``path`` as they
    come: the keys stay in memory, the bytes go to the file (at 100,000 articles, 1.7 million
    postings held as bytes objects in dicts were some 500 MB of the encoder's peak). Set
    like a dict (each key once); :meth:`close` before reading or pickling it."""

    def __init__(self, path):
        self.path = path
        self.keys = []
        self.ends = array("q")  # end offset of each key's bytes in the file
        self.size = 0
        self._pending, self._pending_size = [], 0
        self._handle = open(path, "wb")  # noqa: SIM115 - closed by close(), the file by build_files

    def __setitem__(self, key, data):
        self.keys.append(key)
        self._pending.append(data)
        self.size += len(data)
        self.ends.append(self.size)
        self._pending_size += len(data)
        if self._pending_size >= SPILL_FLUSH_BYTES:
            self._flush()

    def _flush(self):
        self._handle.write(b"".join(self._pending))
        self._pending, self._pending_size = [], 0

    def close(self):
        self._flush()
        self._handle.close()
        self._handle = None
        return self


def _encode_groups(tokens, numbers, folder):
    first = numbers[0] if numbers else 0  # no groups: an archive without a syllable
    spaces = {space: _Spill(os.path.join(folder, f"{space}{first:06d}.bin")) for space in NAMESPACES}
    encoded = [_string(form) for form in tokens.forms]  # by rank
    for number in numbers:
        group = tokens.group(number)
        syllable_postings(tokens, group.rows, group.doc, group.field, spaces["s"])
        pairs = group.pairs
        gram_postings(tokens, group.rows[pairs], group.doc[pairs], group.field[pairs], None, 2, spaces["p"], None,
                      encoded)
        del pairs
        triples = group.triples
        gram_postings(tokens, group.rows[triples], group.doc[triples], group.field[triples], group.positions(), 3,
                      spaces["t"], spaces["q"], encoded)
        del group, triples
    return {space: [spill.close()] for space, spill in spaces.items()}


def _postings_in_processes(tokens, numbers, processes, folder):
    """:func:`_encode_groups` over ``numbers`` in ``processes`` processes; each spills its
    postings below ``folder`` and pickles the list of its parts, which this process merges."""
    lists = tempfile.mkdtemp(prefix="parts-", dir=folder)

    def share_work(share):
        with open(os.path.join(lists, f"{share[0]:06d}.pickle"), "wb") as handle:
            pickle.dump(_encode_groups(tokens, share, folder), handle, protocol=pickle.HIGHEST_PROTOCOL)

    run_in_processes(numbers, processes, share_work)
    spaces = {space: [] for space in NAMESPACES}
    for name in sorted(os.listdir(lists)):
        with open(os.path.join(lists, name), "rb") as handle:
            part = pickle.load(handle)
        for space in NAMESPACES:
            spaces[space] += part.pop(space)
    return spaces


class _SpaceValues:
    """The postings of a key space read back from its spilled parts (removed once read), in
    one buffer: ``values[i]`` is a memoryview of key i's bytes, made when asked for (a
    million views held at once would cost more than the bytes), ``sizes`` their lengths."""

    def __init__(self, parts):
        self.keys = []
        self._view = memoryview(bytearray(sum(part.size for part in parts)))  # the view keeps it alive
        self._ends = array("q")
        offset = 0
        for part in parts:
            with open(part.path, "rb") as handle:
                if handle.readinto(self._view[offset:offset + part.size]) != part.size:
                    raise OSError(f"site_search: spilled postings {part.path} are short")
            os.remove(part.path)
            self.keys += part.keys
            self._ends.extend(part.ends if not offset else (end + offset for end in part.ends))
            offset += part.size
        ends = np.frombuffer(self._ends, np.int64)
        self.sizes = np.diff(ends, prepend=0) if len(ends) else np.empty(0, np.int64)

    def __getitem__(self, i):
        return self._view[self._ends[i - 1] if i else 0:self._ends[i]]


def syllable_postings(tokens, chosen, doc, fieldno, postings):
    """Add ``"s:" + folded: bytes`` of the keys of token rows ``chosen`` (of documents
    ``doc``, fields ``fieldno``) to ``postings``: each exact form, then its three doc sets."""
    if not len(chosen):
        return
    forms, ndocs = tokens.forms, tokens.ndocs
    rank = tokens.rank[chosen]
    low, high = int(rank.min()), int(rank.max()) + 1
    sets = _best_field_sets(rank - low, doc, fieldno, ndocs, high - low)
    del rank
    fid = tokens.fid[low:high].tolist()
    start = 0
    for end in range(1, high - low + 1):
        if end == high - low or fid[end] != fid[start]:
            parts = [_varint(end - start)]
            for r in range(start, end):
                parts += (_string(forms[low + r]), sets[3 * r], sets[3 * r + 1], sets[3 * r + 2])
            postings["s:" + tokens.folded_keys[fid[start]]] = b"".join(parts)
            start = end


def _dense(values):
    """Index of each value of ``values`` among its sorted distinct values."""
    return _distinct_inverse(values)[1]


def gram_postings(tokens, starts, doc, fieldno, position, size, grams, positions, encoded):
    """Add the postings of the adjacent folded pairs (``size`` 2, "p:" keys) or triples
    (``size`` 3, "t:" keys) starting at token rows ``starts`` (of documents ``doc``, fields
    ``fieldno``, at ``position`` in their document) to ``grams``, and with ``positions`` (a
    dict) their positions ("q:" keys, same names); ``encoded``: the ``_string`` of each form,
    by rank.

    p/t: each exact combination of forms (in string order) with its three doc sets; q: the
    same combinations, then per document (delta) its occurrences: position (delta) and
    combination*3 + field."""
    if not len(starts):
        return
    nforms, nkeys, fid, ndocs = len(tokens.forms), len(tokens.folded_keys), tokens.fid, tokens.ndocs
    ranks = [tokens.rank[starts + k] for k in range(size)]
    # combination and key numbers: dense numbers of the first syllables, then with the next
    # one (no int64 overflow whatever the vocabulary)
    combo_id = ranks[0].astype(np.int64) * nforms + ranks[1]
    for rank in ranks[2:]:
        combo_id = _dense(combo_id) * nforms + rank
    ncombos_found, occurrence_combo = _distinct_inverse(combo_id)
    ncombos = len(ncombos_found)
    del combo_id, ncombos_found
    representative = np.empty(ncombos, np.int64)
    representative[occurrence_combo] = np.arange(len(starts))
    combo_forms = [rank[representative] for rank in ranks]
    del ranks, representative
    key_of_combo = fid[combo_forms[0]].astype(np.int64) * nkeys + fid[combo_forms[1]]
    for forms_k in combo_forms[2:]:
        key_of_combo = _dense(key_of_combo) * nkeys + fid[forms_k]
    keys, combo_key = _distinct_inverse(key_of_combo)
    del key_of_combo
    # string order of the combinations within a key = order of their ranks
    corder = np.lexsort(tuple(reversed(combo_forms)) + (combo_key,))
    combo_rank = np.empty(ncombos, np.int64)
    combo_rank[corder] = np.arange(ncombos)
    sorted_keys = combo_key[corder]
    key_first = np.searchsorted(sorted_keys, sorted_keys, "left")
    combo_index = np.empty(ncombos, np.int64)
    combo_index[corder] = np.arange(ncombos) - key_first
    del key_first

    keep = None
    if positions is not None:
        bodies, docs_per_key = _position_bodies(combo_key[occurrence_combo].astype(np.int32),
                                                combo_index[occurrence_combo] * 3 + fieldno, doc, position)
        # A triple found in few documents gets no doc sets: its positions are about as small,
        # and the client reads them instead (most triples of real text occur once).
        keep = np.asarray(docs_per_key) >= TRIPLE_SETS_MIN_DOCS
        rows = keep[combo_key[occurrence_combo]]
        sets = _best_field_sets(combo_rank[occurrence_combo][rows], doc[rows], fieldno[rows], ndocs, ncombos)
        keep = keep.tolist()
        del rows
    else:
        sets = _best_field_sets(combo_rank[occurrence_combo], doc, fieldno, ndocs, ncombos)
    del combo_rank, combo_index, occurrence_combo, doc, fieldno

    folded = tokens.folded_keys

    of = [forms_k[corder].tolist() for forms_k in combo_forms]
    bounds = np.searchsorted(sorted_keys, np.arange(len(keys) + 1), "left").tolist()
    heads = np.asarray(bounds[:-1], np.int64)
    key_fids = [fid[forms_k[corder][heads]].tolist() for forms_k in combo_forms]
    space = "p:" if size == 2 else "t:"
    # Per key, the names and the single-combination case without generators: this loop runs
    # once per distinct pair or triple (millions at 100,000 articles).
    if size == 2:
        names = [folded[a] + " " + folded[b] for a, b in zip(*key_fids)]
        singles = [encoded[a] + encoded[b] for a, b in zip(*of)]
    else:
        names = [folded[a] + " " + folded[b] + " " + folded[c] for a, b, c in zip(*key_fids)]
        singles = [encoded[a] + encoded[b] + encoded[c] for a, b, c in zip(*of)]
    del key_fids
    one = _SMALL[1]
    join = b"".join
    for k, name in enumerate(names):
        lo, hi = bounds[k], bounds[k + 1]
        with_sets = keep is None or keep[k]
        if hi - lo == 1:  # most keys: one exact combination of forms
            if with_sets:
                grams[space + name] = join((one, singles[lo], sets[3 * lo], sets[3 * lo + 1], sets[3 * lo + 2]))
            if positions is not None:
                positions["q:" + name] = join((one, singles[lo], bodies[k]))
            continue
        head_parts, gram_parts = [_varint(hi - lo)], [_varint(hi - lo)]
        for c in range(lo, hi):
            combo_names = singles[c]
            head_parts.append(combo_names)
            gram_parts += (combo_names, sets[3 * c], sets[3 * c + 1], sets[3 * c + 2])
        if with_sets:
            grams[space + name] = b"".join(gram_parts)
        if positions is not None:
            head_parts.append(bodies[k])
            positions["q:" + name] = b"".join(head_parts)


def _position_bodies(row_key, code, doc, position):
    """Per key (in key order) the bytes after a positions posting's combinations: the number
    of documents, then per document its doc id (delta), occurrence count and occurrences
    (position delta, code), from one row per occurrence in (doc, position) order; and the
    number of documents of each key."""
    # a stable sort by key keeps the (doc, position) order within a key
    order = np.argsort(row_key, kind="stable")
    row_key, doc, position, code = row_key[order], doc[order], position[order], code[order]
    del order
    n = len(row_key)
    key_start = np.ones(n, bool)
    key_start[1:] = row_key[1:] != row_key[:-1]
    del row_key
    head = key_start.copy()
    head[1:] |= doc[1:] != doc[:-1]
    heads = np.nonzero(head)[0]
    counts = np.diff(np.append(heads, n))
    position_delta = position.astype(np.int64)
    position_delta[1:] -= position[:-1]
    position_delta[heads] = position[heads]
    del position
    doc_delta = doc.astype(np.int64)
    doc_delta[1:] -= doc[:-1]
    doc_delta[key_start] = doc[key_start]
    del doc
    per_row = 2 + 2 * head.astype(np.int64)
    slot_end = np.cumsum(per_row)
    slot = slot_end - per_row
    del per_row
    values = np.empty(int(slot_end[-1]), np.int64)
    del slot_end
    values[slot + 2 * head] = position_delta
    values[slot + 2 * head + 1] = code
    values[slot[heads]] = doc_delta[heads]
    values[slot[heads] + 1] = counts
    del position_delta, code, doc_delta, counts
    stream, ends = varints(values)
    del values
    data = stream.tobytes()
    del stream
    row_begin = np.concatenate(([0], ends[slot[1:] - 1]))
    del ends, slot
    key_rows = np.nonzero(key_start)[0]
    body_begin = row_begin[key_rows].tolist()
    body_end = body_begin[1:] + [len(data)]
    docs_per_key = np.add.reduceat(head.astype(np.int64), key_rows).tolist()
    return [_varint(count) + data[b:e] for count, b, e in zip(docs_per_key, body_begin, body_end)], docs_per_key


def _bucket(space, number, members, keys, values, files):
    """One bucket file of the keys ``members`` (indexes, in key order; ``keys[i]`` is key i,
    ``values[i]`` its posting); postings over INLINE_MAX go to their own files (split at
    PART_MAX), whose hashes the bucket lists.

    An entry starts with one varint tag: ``2*length`` for a posting inline (its bytes
    follow; the key is not written, the posting's first exact forms fold to it), ``2*parts+1``
    for an external one (then the key, the posting's ordinal and its parts' hashes)."""
    out = [_varint(len(members))]
    external = 0
    small = _SMALL
    for i in members:
        data = values[i]
        size = len(data)
        if size <= INLINE_MAX:
            out += (small[2 * size] if size < 64 else _varint(2 * size), data)
        else:
            parts = [bytes(data[i:i + PART_MAX]) for i in range(0, len(data), PART_MAX)]
            out += (_varint(2 * len(parts) + 1), _string(keys[i]), _varint(external))
            for part_no, part in enumerate(parts):
                name = content_name(part)
                files[f"x/{space}{number}-{external}-{part_no}.{name}.bin"] = part
                out.append(bytes.fromhex(name))
            external += 1
    return b"".join(out)


def bucket_count(total):
    """Buckets for ``total`` bytes of bucket entries: about BUCKET_TARGET bytes each."""
    return max(1, -(-total // BUCKET_TARGET))


def _groups(hashes):
    """(bytes, hash) of each group of GROUP consecutive ``hashes``: the 4-byte hashes joined."""
    groups = []
    for start in range(0, len(hashes), GROUP):
        data = b"".join(bytes.fromhex(h) for h in hashes[start:start + GROUP])
        groups.append((data, content_name(data)))
    return groups


def _directory(kind, hashes, files):
    """Directory files of ``hashes`` (one per bucket of ``kind``, in order): their own hashes."""
    names = []
    for number, (data, name) in enumerate(_groups(hashes)):
        files[f"d/{kind}{number}.{name}.bin"] = data
        names.append(name)
    return names


def _posting_files(spaces, listed_max):
    """``(files, bucket counts, directory hashes, listed bucket hashes)`` of the key spaces'
    spilled postings (:func:`_postings`), one space in memory at a time."""
    files, buckets, directories, listed = {}, {}, {}, {}
    for space in NAMESPACES:
        values = _SpaceValues(spaces.pop(space))
        keys = values.keys
        # Sizes, bucket count and bucket numbers with numpy (a space holds millions of keys
        # at 100,000 articles); an inline entry: its tag and posting; an external one: its tag, key, ordinal and
        # parts' hashes (keys of 20 bytes or so)
        sizes = values.sizes
        entries = np.where(sizes <= INLINE_MAX, sizes + 2, 24 + 4 * (sizes // PART_MAX + 1))
        count = buckets[space] = bucket_count(int(entries.sum()))
        numbers = key_hashes([key.encode("utf-8") for key in keys]) % count
        order = np.argsort(numbers, kind="stable")
        bounds = np.searchsorted(numbers[order], np.arange(count + 1)).tolist()
        order = order.tolist()
        del sizes, entries, numbers
        by_key = keys.__getitem__
        hashes = []
        for number in range(count):
            # key order: str order is code point order (UTF-8 byte order)
            members = sorted(order[bounds[number]:bounds[number + 1]], key=by_key)
            data = _bucket(space, number, members, keys, values, files)
            hashes.append(content_name(data))
            files[f"b/{space}{number}.{hashes[-1]}.bin"] = data
        if count <= (LISTED_BUCKETS_MAX if listed_max is None else listed_max):
            listed[space] = "".join(hashes)
        else:
            directories[space] = _directory(space, hashes, files)
        del keys, values
    return files, buckets, directories, listed


def build_files(docs, categories, campaigns, analyzer, processes=1, listed_max=None, segments=None):
    """``{relative path: bytes}`` of the whole index for ``docs`` (in doc-id order); the
    postings are encoded by ``processes`` processes (the same bytes for any number); a key
    space of at most ``listed_max`` buckets (default LISTED_BUCKETS_MAX) lists their hashes
    in index.json instead of directory files. ``segments``: as :class:`_Tokens` takes it; it
    is read before anything else of ``docs`` (so it may fill in their ``lead``).

    Each key space (s, p, q, t) has its own buckets, so a word never fetches pair data."""
    folder = tempfile.mkdtemp(prefix="site_search-postings-")
    try:
        tokens = _Tokens(docs, analyzer, segments)
        spaces = _postings(tokens, folder, processes)
        del tokens
        files, buckets, directories, listed = _posting_files(spaces, listed_max)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    chunks = [_json([[d.url, d.title, d.date, d.category, d.campaigns, d.lead] for d in docs[start:start + CHUNK]])
              for start in range(0, len(docs), CHUNK)]
    meta_groups = [name for _data, name in _groups([content_name(data) for data in chunks])]
    for number, data in enumerate(chunks):
        files[f"m/{number}.{meta_groups[number // GROUP]}.json"] = data

    facets = {}
    for facet, names in (("cat", categories), ("camp", campaigns)):
        sets = [[] for _ in names]
        for doc_id, doc in enumerate(docs):
            for value in ([doc.category] if facet == "cat" else doc.campaigns):
                if value >= 0:
                    sets[value].append(doc_id)
        facets[facet] = []
        for value, ids in enumerate(sets):
            out = bytearray()
            put_docset(out, ids)
            facets[facet].append(content_name(bytes(out)))
            files[f"f/{facet}-{value}.{facets[facet][-1]}.bin"] = bytes(out)

    years = []
    for doc_id, doc in enumerate(docs):
        if not years or years[-1][0] != doc.year:
            years.append([doc.year, doc_id])
    manifest = {
        "version": FORMAT_VERSION,
        "docs": len(docs),
        "buckets": buckets,
        "chunk": CHUNK,
        "group": GROUP,
        "dirs": directories,
        "hashes": listed,
        "meta": meta_groups,
        "facets": facets,
        "years": years,
        "categories": [{"name": name, "slug": slug} for name, slug in categories],
        "campaigns": [{"name": name, "slug": slug} for name, slug in campaigns],
    }
    files["index.json"] = _json(manifest)
    return files


def _json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
