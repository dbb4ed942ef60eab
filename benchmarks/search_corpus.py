"""Archives for `invoke bench-search`: synthetic Vietnamese news (benchmarks.synthetic's
vocabulary) mixed with real news text from ../shared/realnews when it is there (read at
benchmark time, never copied into the repository), and the reading of such an archive
into search documents outside Pelican (for the 100,000-article run and the reference)."""

import datetime as _dt
import gzip
import json
import random
import re
import tomllib
from pathlib import Path

from plugins.vntext import Analyzer, format_short_date, format_time, slugify, sort_key

from .synthetic import _CATEGORIES, _PLACES, _SENTENCES, _SUBJECTS

ROOT = Path(__file__).resolve().parent.parent
REALNEWS = ROOT.parent / "shared" / "realnews" / "news.jsonl.gz"
# Campaign slugs of content/campaigns.toml for the synthetic subjects (explicit Campaign: metadata,
# so the 100,000-article run, which skips Pelican, has the same campaigns as a real build).
_SUBJECT_CAMPAIGNS = {
    0: "thang-hanh-dong-vi-tre-em",
    1: "ngay-phap-luat-viet-nam",
    2: "thang-hanh-dong-vi-binh-dang-gioi, binh-dang-gioi",
    3: "chuyen-doi-so",
    4: "thang-hanh-dong-phong-chong-ma-tuy",
    5: "xay-dung-do-thi-van-minh",
    6: "nam-an-toan-giao-thong",
    8: "ngay-hoi-dai-doan-ket-toan-dan-toc",
}


def real_articles():
    """The real news articles, or [] (with a note) when ../shared/realnews is absent."""
    if not REALNEWS.exists():
        print(f"note: {REALNEWS} not found; the benchmark archive is synthetic only")
        return []
    with gzip.open(REALNEWS, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


# Control characters (C0 and C1) the build refuses (build_guard, vn_reader); `invoke check --fix` removes them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _one_line(text):
    return " ".join(_CONTROL.sub("", str(text or "")).split())


def write_search_archive(target, count, seed=2022):
    """Write ``count`` articles under ``target``; every real article is used once (first),
    the rest are synthetic. Deterministic for a given count and seed."""
    rng = random.Random(seed)
    target = Path(target)
    reals = real_articles()[:count]
    start = _dt.datetime(2010, 1, 1, 7, 0)
    span_minutes = 16 * 365 * 24 * 60
    for number in range(count):
        when = start + _dt.timedelta(minutes=rng.randrange(span_minutes))
        category = rng.choice(_CATEGORIES)
        if number < len(reals):
            real = reals[number]
            title = _one_line(real["title"])[:180] or f"Tin số {number}"
            summary = _one_line(real.get("summary"))
            body = "\n\n".join(_one_line(p) for p in str(real.get("body") or "").split("\n") if p.strip())
            campaign = "none"
        else:
            place, subject_no = rng.choice(_PLACES), rng.randrange(len(_SUBJECTS))
            subject = _SUBJECTS[subject_no]
            title = f"Phường {place} {subject} (số {number})"
            summary = f"Phường {place} {subject}."
            body = "\n\n".join(
                " ".join(s.format(place=place, subject=subject) for s in rng.sample(_SENTENCES, 3))
                for _ in range(4))
            campaign = _SUBJECT_CAMPAIGNS.get(subject_no, "none")
        slug = f"{slugify(title)[:60].strip('-') or 'tin'}-{number}"
        path = target / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        head = (f"Title: {title}\nSlug: {slug}\nDate: {format_short_date(when)} {format_time(when)}\n"
                f"Category: {category}\nCampaign: {campaign}\n")
        if summary:
            head += f"Summary: {summary}\n"
        path.write_text(head + "\n" + body + "\n", encoding="utf-8")
    for registry in ROOT.glob("content/*.toml"):
        (target / registry.name).write_bytes(registry.read_bytes())
    return target


def campaign_registry(content):
    """[(name, slug)] of the archive's campaigns.toml, in registry order (as the plugin lists them)."""
    path = Path(content) / "campaigns.toml"
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("campaign", [])
    return [(entry["name"], entry.get("slug") or slugify(entry["name"])) for entry in entries]


def parsed_articles(content, parsed=None):
    """Every published article of ``content`` read with the site's own Markdown reader
    (vn_reader): ``([(date, path, slug, title, summary, html, category, campaign ids)], seconds)``.

    ``parsed``: a pickle file in the benchmark's work folder; when it is there (and newer than
    every source) it is loaded instead, so one run reads a 100,000-article archive's Markdown
    once for the index, the reference and Pagefind."""
    import pickle
    import time

    from pelican.settings import read_settings

    from plugins.site_search.segments import plain
    from plugins.vn_reader.reader import VietnameseMarkdownReader

    started = time.perf_counter()
    parsed = Path(parsed) if parsed else None
    paths = sorted(Path(content).rglob("*.md"))
    if parsed and parsed.exists():
        newest = max((p.stat().st_mtime for p in paths), default=0)
        if parsed.stat().st_mtime >= newest:
            with parsed.open("rb") as handle:
                return pickle.load(handle), time.perf_counter() - started
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    reader = VietnameseMarkdownReader(settings)
    by_slug = {slug: i for i, (_, slug) in enumerate(campaign_registry(content))}
    raw = []
    for path in paths:
        html, meta = reader.read(str(path))
        if meta.get("status") in ("draft", "hidden"):
            continue
        title = plain(str(meta["title"]))
        summary = plain(str(meta["summary"])) if meta.get("summary") else ""
        wanted = [s.strip() for s in str(meta.get("campaign", "none")).split(",")]
        raw.append((meta["date"], str(path), meta["slug"], title, summary, html, str(meta.get("category", "")),
                    sorted(by_slug[s] for s in wanted if s in by_slug)))
    raw.sort(key=lambda r: (r[0], r[1]))
    if parsed:
        partial = parsed.with_suffix(".partial")
        with partial.open("wb") as handle:
            pickle.dump(raw, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(parsed)
    return raw, time.perf_counter() - started


def read_documents(content, cache=None, parsed=None, keep_raw=True, processes=1):
    """Read every article of ``content`` (see :func:`parsed_articles`) and analyse it as the
    plugin does (the cache's misses analysed together by ``processes`` processes,
    ``site_search.parallel_analysis``): ``(docs, categories, campaigns, analyzer, read
    seconds, analysis seconds, raw)`` (raw is None unless ``keep_raw``)."""
    import time

    from plugins.site_search.parallel_analysis import analyse_all
    from plugins.site_search.segments import content_hash
    from plugins.site_search.writer import Doc

    analyzer = Analyzer()
    campaigns = campaign_registry(content)
    raw, read_seconds = parsed_articles(content, parsed)
    started = time.perf_counter()
    names = sorted({r[6] for r in raw if r[6]}, key=sort_key)
    categories = [(name, slugify(name)) for name in names]
    index_of = {name: i for i, name in enumerate(names)}
    texts = [(title, summary, html) for _, _, _, title, summary, html, _, _ in raw]
    rows = [(date, slug, title, category, camps) for date, _, slug, title, _, _, category, camps in raw]
    if not keep_raw:
        raw = None  # the texts go as soon as they are analysed

    def compute(missing):
        return analyse_all([texts[i] for i in missing], analyzer, processes)

    if cache:
        analyses = cache.lookup_all([content_hash(*text) for text in texts], compute)
    else:
        analyses = compute(range(len(texts)))
    del texts
    docs = []
    for (date, slug, title, category, camps), analysis in zip(rows, analyses):
        docs.append(Doc(url=f"{date:%Y}/{date:%m}/{date:%d}/{slug}.html", title=title, date=format_short_date(date),
                        year=date.year, category=index_of.get(category, -1), campaigns=camps,
                        lead=analysis["lead"], segments=analysis["segments"]))
    return docs, categories, campaigns, analyzer, read_seconds, time.perf_counter() - started, raw if keep_raw else None
