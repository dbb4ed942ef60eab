"""Filters, counts and ordering shared by the index engine and the brute-force reference.

A match of one query unit (word or phrase) in a document has a field weight (the best field
it occurs in: title 4, summary 2, body 1) and an exactness (1 when it occurs with every
syllable exactly as typed). Relevance orders by the sum of field weights, then the number
of exact units, then newer first (a larger doc id is newer); date order is newer first.
"""

from dataclasses import dataclass, field

FIELD_WEIGHTS = (4, 2, 1)


@dataclass
class Filters:
    category: str = ""  # slug
    campaign: str = ""  # slug
    from_year: int = 0
    to_year: int = 0
    sort: str = "relevance"  # or "date"


@dataclass
class Result:
    ids: list  # ordered
    counts: dict = field(default_factory=dict)  # {"category": {slug: n}, "campaign": {slug: n}}


def year_range(years, docs, from_year, to_year):
    """[lo, hi) doc ids of the years ``from_year``..``to_year`` (0 = open)."""
    lo, hi = 0, docs
    if from_year:
        later = [first for year, first in years if year >= from_year]
        lo = later[0] if later else docs
    if to_year:
        after = [first for year, first in years if year > to_year]
        hi = after[0] if after else docs
    return lo, max(lo, hi)


def finish(scores, lo, hi, category_sets, campaign_sets, filters):
    """Apply filters, count facet values and order: ``scores`` is {doc: (weight, exact)};
    ``category_sets``/``campaign_sets`` are {slug: set of doc ids}."""
    in_years = {doc for doc in scores if lo <= doc < hi}
    by_category = category_sets.get(filters.category, set()) if filters.category else None
    by_campaign = campaign_sets.get(filters.campaign, set()) if filters.campaign else None
    base_for_categories = in_years if by_campaign is None else in_years & by_campaign
    base_for_campaigns = in_years if by_category is None else in_years & by_category
    counts = {
        "category": {slug: len(base_for_categories & ids) for slug, ids in category_sets.items()},
        "campaign": {slug: len(base_for_campaigns & ids) for slug, ids in campaign_sets.items()},
    }
    kept = base_for_categories if by_category is None else base_for_categories & by_category
    if filters.sort == "date":
        ids = sorted(kept, reverse=True)
    else:
        ids = sorted(kept, key=lambda doc: (scores[doc][0], scores[doc][1], doc), reverse=True)
    return Result(ids, counts)
