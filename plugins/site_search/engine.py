"""Answer a query from the written index, the way the JavaScript client does (same
algorithm, same order); the property test checks it against :mod:`.reference`."""

from plugins.vntext import has_diacritics

from .decoder import parse_pair, parse_positions, parse_syllable
from .ranking import FIELD_WEIGHTS, Filters, Result, finish, year_range


def _allowed(query_syllable, form):
    return form == query_syllable if has_diacritics(query_syllable) else True


def _word(index, analyzer, word):
    data = index.posting("s:" + analyzer.fold(word))
    found = {}
    if data is None:
        return found
    for form, fields in parse_syllable(data).items():
        if not _allowed(word, form):
            continue
        exact = int(form == word)
        for fieldno, ids in enumerate(fields):
            for doc in ids:
                weight, was_exact = found.get(doc, (0, 0))
                found[doc] = (max(weight, FIELD_WEIGHTS[fieldno]), max(was_exact, exact))
    return found


def _pair(index, analyzer, words):
    """Two or three syllables: their pair (p) or triple (t) posting answers them alone.
    A triple found in fewer than ``TRIPLE_SETS_MIN_DOCS`` documents has no t posting: its
    positions (q) answer it."""
    space = "p:" if len(words) == 2 else "t:"
    data = index.posting(space + " ".join(analyzer.fold(word) for word in words))
    found = {}
    if data is None:
        return _phrase(index, analyzer, words) if len(words) == 3 else found
    for forms, fields in parse_pair(data, len(words)).items():
        if not all(_allowed(word, form) for word, form in zip(words, forms)):
            continue
        exact = int(forms == words)
        for fieldno, ids in enumerate(fields):
            for doc in ids:
                weight, was_exact = found.get(doc, (0, 0))
                found[doc] = (max(weight, FIELD_WEIGHTS[fieldno]), max(was_exact, exact))
    return found


def cover(size):
    """Offsets of the triples that cover a phrase of ``size`` (>= 3) syllables: 0, 3, 6, …
    and the last one (consecutive triples overlap or touch, never leave a gap)."""
    offsets = list(range(0, size - 2, 3))
    if offsets[-1] + 3 < size:
        offsets.append(size - 3)
    return offsets


def _phrase(index, analyzer, words):
    """Three syllables or more: the positions of the covering triples (q postings)."""
    triples = []
    for offset in cover(len(words)):
        triple = words[offset:offset + 3]
        data = index.posting("q:" + " ".join(analyzer.fold(word) for word in triple))
        if data is None:
            return {}
        combos, docs = parse_positions(data)
        ok = [all(_allowed(w, f) for w, f in zip(triple, combo)) for combo in combos]
        exact = [tuple(combo) == tuple(triple) for combo in combos]
        triples.append((offset, ok, exact, docs))
    candidates = set(triples[0][3])
    for *_, docs in triples[1:]:
        candidates &= docs.keys()
    found = {}
    for doc in candidates:
        best = None
        for start, (combo, fieldno) in triples[0][3][doc].items():
            chain_ok, chain_exact = True, True
            for offset, ok, exact, docs in triples:
                hit = docs[doc].get(start + offset)
                if hit is None or not ok[hit[0]]:
                    chain_ok = False
                    break
                chain_exact = chain_exact and exact[hit[0]]
            if chain_ok:
                score = (FIELD_WEIGHTS[fieldno], int(chain_exact))
                best = score if best is None else (max(best[0], score[0]), max(best[1], score[1]))
        if best is not None:
            found[doc] = best
    return found


def search(index, analyzer, query, filters=None):
    """:class:`Result` of ``query`` over an :class:`~.decoder.IndexReader`."""
    filters = filters or Filters()
    units = analyzer.parse_query(query)
    if not units:
        return Result([], {})
    scores = None
    for unit in units:
        if len(unit) == 1:
            found = _word(index, analyzer, unit[0])
        elif len(unit) <= 3:
            found = _pair(index, analyzer, unit)
        else:
            found = _phrase(index, analyzer, unit)
        if scores is None:
            scores = found
        else:
            scores = {doc: (w + found[doc][0], e + found[doc][1]) for doc, (w, e) in scores.items()
                      if doc in found}
        if not scores:
            break
    manifest = index.manifest
    lo, hi = year_range(manifest["years"], manifest["docs"], filters.from_year, filters.to_year)
    categories = {c["slug"]: set(index.facet("cat", i)) for i, c in enumerate(manifest["categories"])}
    campaigns = {c["slug"]: set(index.facet("camp", i)) for i, c in enumerate(manifest["campaigns"])}
    return finish(scores, lo, hi, categories, campaigns, filters)
