""""Tin liên quan": related articles from date-sorted groups, with bisect (no O(n²) pass).

Pure code, no Pelican. For each article the candidates are taken from the few groups it
belongs to (its campaigns, then its category); in each group, a bisect finds the article's
place in the date order and two pointers walk outwards, so the cost per article is
O(groups x (log n + limit)).
"""

from bisect import bisect_left

__all__ = ["DateIndex", "related_articles"]


def _key(article):
    return (article.date, str(getattr(article, "source_path", "") or getattr(article, "url", "")))


class DateIndex:
    """Articles of one group sorted by (date, source path), with their keys for bisect."""

    def __init__(self, articles):
        self.articles = sorted(articles, key=_key)
        self.keys = [_key(a) for a in self.articles]

    def __len__(self):
        return len(self.articles)

    def nearest(self, article, limit):
        """Up to ``limit`` articles of the group nearest in date to ``article`` (itself
        excluded), as (distance in seconds, key, article), nearest first."""
        key = _key(article)
        position = bisect_left(self.keys, key)
        left, right = position - 1, position
        found = []
        while len(found) < limit and (left >= 0 or right < len(self.articles)):
            candidates = []
            if left >= 0:
                candidates.append((abs((article.date - self.articles[left].date).total_seconds()), self.keys[left], -1))
            if right < len(self.articles):
                candidates.append((abs((self.articles[right].date - article.date).total_seconds()), self.keys[right], 1))
            distance, other_key, side = min(candidates)
            index = left if side == -1 else right
            other = self.articles[index]
            if side == -1:
                left -= 1
            else:
                right += 1
            if other is article or other_key == key:
                continue
            found.append((distance, other_key, other))
        return found


def related_articles(article, campaign_indexes, category_index, limit=6):
    """Up to ``limit`` related articles: same campaign first, then same category; each tier
    ordered by nearness in date (ties: older first, then source path)."""
    if limit <= 0:
        return []
    chosen = []
    seen = {id(article)}
    for tier in (campaign_indexes, [category_index] if category_index is not None else []):
        pool = {}
        for index in tier:
            for distance, key, other in index.nearest(article, limit + len(chosen)):
                if id(other) not in seen and id(other) not in pool:
                    pool[id(other)] = (distance, key, other)
        for _distance, _key_, other in sorted(pool.values(), key=lambda item: (item[0], item[1]))[: limit - len(chosen)]:
            chosen.append(other)
            seen.add(id(other))
        if len(chosen) >= limit:
            break
    return chosen
