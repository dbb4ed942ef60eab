"""The brute-force reference: the query semantics of issue 9 applied by scanning every
document's syllables (no index). The index engine, the browser client and the benchmark
are all compared with it."""

from plugins.vntext import has_diacritics

from .ranking import FIELD_WEIGHTS, Filters, Result, finish, year_range


def _unit_match(analyzer, unit, segments):
    """(weight, exact) of the best occurrence of ``unit`` in ``segments``, or None."""
    fold = analyzer.fold
    wanted = [(word, has_diacritics(word)) for word in unit]
    best = None
    size = len(unit)
    for fieldno, words in segments:
        for start in range(len(words) - size + 1):
            window = words[start:start + size]
            if all(form == word if accented else fold(form) == word
                   for form, (word, accented) in zip(window, wanted)):
                score = (FIELD_WEIGHTS[fieldno], int(all(f == w for f, (w, _) in zip(window, wanted))))
                best = score if best is None else (max(best[0], score[0]), max(best[1], score[1]))
    return best


def prepare(docs, analyzer):
    """Per document, the sets of its syllables and of their folds: a document lacking a query
    syllable is skipped without scanning (same answers, much faster on large archives)."""
    prepared = []
    for doc in docs:
        forms = {word for _, words in doc.segments for word in words}
        prepared.append((forms, {analyzer.fold(word) for word in forms}))
    return prepared


def search(docs, categories, campaigns, analyzer, query, filters=None, prepared=None):
    """:class:`Result` for ``query`` over ``docs`` (writer.Doc, in doc-id order);
    ``categories``/``campaigns`` are the [(name, slug)] lists the docs index into;
    ``prepared`` is the optional result of :func:`prepare`."""
    filters = filters or Filters()
    units = analyzer.parse_query(query)
    if not units:
        return Result([], {})
    needed = [(word, has_diacritics(word)) for unit in units for word in unit]
    scores = {}
    for doc_id, doc in enumerate(docs):
        if prepared is not None:
            forms, folded = prepared[doc_id]
            if not all((word in forms) if accented else (word in folded) for word, accented in needed):
                continue
        total = (0, 0)
        for unit in units:
            found = _unit_match(analyzer, unit, doc.segments)
            if found is None:
                break
            total = (total[0] + found[0], total[1] + found[1])
        else:
            scores[doc_id] = total
    years = []
    for doc_id, doc in enumerate(docs):
        if not years or years[-1][0] != doc.year:
            years.append([doc.year, doc_id])
    lo, hi = year_range(years, len(docs), filters.from_year, filters.to_year)
    category_sets = {slug: {i for i, d in enumerate(docs) if d.category == n}
                     for n, (_, slug) in enumerate(categories)}
    campaign_sets = {slug: {i for i, d in enumerate(docs) if n in d.campaigns}
                     for n, (_, slug) in enumerate(campaigns)}
    return finish(scores, lo, hi, category_sets, campaign_sets, filters)
