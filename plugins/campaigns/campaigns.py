"""campaigns: propaganda campaigns for the archive (issue 4).

- reads the registry (``CAMPAIGNS_REGISTRY``, TOML, relative to ``PATH``);
- tags every article (``article_generator_finalized``): ``Campaign:`` metadata wins (an unknown
  name is an error naming the file and the closest campaigns; ``Campaign: none`` opts out),
  otherwise the aboutness rules of :mod:`.matching` (named in the title/summary/lead,
  announced with its dates, or dominant in the body; evidence against counts); sets ``article.campaigns`` (objects with
  name, slug, url), ``article.campaign_reasons`` ({slug: (Reason, ...)}) and
  ``article.related_articles`` ("Tin liên quan", from :mod:`.related`);
- writes ``/chien-dich/`` (every campaign with count, date span, latest article), one page per
  campaign (newest first, grouped by year, paginated at ``trang/{N}/``) and an Atom feed per
  campaign that has articles (``article_writer_finalized``).

Per-build state lives on the articles generator (``generator.campaigns_state``), never in
module globals.
"""

import logging
import os
from dataclasses import dataclass, field

from pelican import signals

from plugins.build_guard.guard import paginated_claims
from plugins.vntext import fold, nfc

from .assessment_cache import AssessmentCache, environment
from .matching import Matcher, Reason, plain_text
from .registry import Registry, RegistryError, load_registry
from .related import DateIndex, related_articles

logger = logging.getLogger(__name__)

# Settings with their defaults; a bad value is logged and replaced by its default.
DEFAULTS = {
    "CAMPAIGNS_REGISTRY": "campaigns.toml",
    "CAMPAIGN_URL": "chien-dich/{slug}/",
    "CAMPAIGN_SAVE_AS": "chien-dich/{slug}/index.html",
    "CAMPAIGNS_URL": "chien-dich/",
    "CAMPAIGNS_SAVE_AS": "chien-dich/index.html",
    "CAMPAIGN_FEED_ATOM": "feeds/chien-dich/{slug}.atom.xml",
    "CAMPAIGN_RELATED_MAX": 6,
    "CAMPAIGN_THRESHOLD": 3.5,
    "CAMPAIGN_BODY_THRESHOLD": 4.0,
    "CAMPAIGN_MIN_DENSITY": 1.0,
    "CAMPAIGN_MIN_SHARE": 0.2,
    "CAMPAIGN_MIN_SHARE_UNNAMED": 0.4,
    "CAMPAIGN_WINDOW_BONUS": 1.5,
    "CAMPAIGN_FIELD_WEIGHTS": {"title": 3.0, "summary": 2.0, "lead": 1.5, "body": 1.0},
    # Assessment cache folder (see .assessment_cache): None = CACHE_PATH/campaigns, "" = no cache.
    "CAMPAIGNS_CACHE_PATH": None,
}
_NEEDS_SLUG = ("CAMPAIGN_URL", "CAMPAIGN_SAVE_AS", "CAMPAIGN_FEED_ATOM")


def campaign_settings(settings):
    """The plugin's settings merged with DEFAULTS once; bad values are logged and replaced."""
    merged = {}
    for key, default in DEFAULTS.items():
        value = settings.get(key, default)
        if key == "CAMPAIGN_FEED_ATOM" and value is None:
            merged[key] = None  # feeds switched off
            continue
        if key == "CAMPAIGNS_CACHE_PATH":
            if value is not None and not isinstance(value, str):
                logger.warning("campaigns: invalid setting %s=%r, using the default %r", key, value, default)
                value = default
            merged[key] = os.path.join(settings.get("CACHE_PATH", "cache"), "campaigns") if value is None else value
            continue
        if isinstance(default, str):
            valid = isinstance(value, str) and (key not in _NEEDS_SLUG or "{slug}" in value)
        elif isinstance(default, dict):
            valid = isinstance(value, dict) and set(value) <= set(default) and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in value.values())
            value = {**default, **value} if valid else value
        elif isinstance(default, int) and not isinstance(default, bool) and not isinstance(default, float):
            valid = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            valid = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        if not valid:
            logger.warning("campaigns: invalid setting %s=%r, using the default %r", key, value, default)
            value = default
        merged[key] = value
    return merged


@dataclass(eq=False)
class CampaignPage:
    """A campaign as templates see it (``article.campaigns`` items, ``campaigns`` list)."""

    campaign: object
    url: str
    save_as: str
    feed: str = ""  # output path of the Atom feed ("" when the campaign has no article)
    articles: list = field(default_factory=list)  # published, newest first

    name = property(lambda self: self.campaign.name)
    slug = property(lambda self: self.campaign.slug)
    description = property(lambda self: self.campaign.description)
    theme = property(lambda self: self.campaign.theme)
    windows = property(lambda self: self.campaign.window_labels())
    count = property(lambda self: len(self.articles))
    latest = property(lambda self: self.articles[0] if self.articles else None)
    first_date = property(lambda self: self.articles[-1].date if self.articles else None)
    last_date = property(lambda self: self.articles[0].date if self.articles else None)

    def name_for_year(self, year):
        return self.campaign.name_for_year(year)

    def __str__(self):
        return self.name


@dataclass
class State:
    settings: dict
    registry: object
    matcher: object
    pages: list  # CampaignPage, registry order
    by_slug: dict
    cache: object = None  # AssessmentCache while tag_campaigns runs


# --- tagging ------------------------------------------------------------------------------


def _metadata_names(value):
    if isinstance(value, (list, tuple)):
        value = ",".join(map(str, value))
    return [" ".join(nfc(part).split()) for part in str(value).split(",") if part.strip()]


def tag_article(article, state):
    """Campaign pages and reasons of one article (metadata first, then the rules)."""
    declared = article.metadata.get("campaign")
    if declared is not None:
        names = _metadata_names(declared)
        if names and all(fold(name) == "none" for name in names):
            return [], {"none": (Reason("metadata", detail="Campaign: none (opted out)"),)}
        pages, reasons = [], {}
        for name in names:
            campaign = state.registry.lookup(name)
            if campaign is None:
                logger.error(
                    "campaigns: unknown campaign %r in %s (Campaign: metadata); did you mean: %s? "
                    "Known campaigns are in %s",
                    name, article.relative_source_path,
                    "; ".join(state.registry.suggest(name)) or "-", os.path.basename(state.registry.source),
                )
                continue
            if campaign.slug not in reasons:
                pages.append(state.by_slug[campaign.slug])
                reasons[campaign.slug] = (Reason("metadata", detail=f"Campaign: {name}"),)
            for implied in campaign.implies:
                if implied not in reasons:
                    pages.append(state.by_slug[implied])
                    reasons[implied] = (Reason("implied", detail=f"implied by {campaign.slug}"),)
        order = {page.slug: i for i, page in enumerate(state.pages)}
        return sorted(pages, key=lambda page: order[page.slug]), reasons
    tagged = _cached_tags(article, state)
    return [state.by_slug[slug] for slug, _ in tagged], dict(tagged)


def _cached_tags(article, state):
    """``[(slug, reasons), ...]`` of the campaigns the rules give ``article``, from the
    assessment cache when it has them (its key covers the registry: a cached slug exists)."""
    def assess():
        return [(a.slug, a.reasons) for a in assess_article(article, state.matcher) if a.tagged]

    cache = state.cache
    if cache is None:  # outside tag_campaigns (explain, evaluation)
        return assess()
    return cache.lookup(cache.key(article), assess)


def article_fields(article):
    """(title, summary, body) plain texts of a Pelican article; the summary only when the
    editor wrote one (Pelican's automatic summary would count the body twice)."""
    summary = article.metadata.get("summary") or ""
    return (plain_text(getattr(article, "title", "")), plain_text(summary),
            plain_text(getattr(article, "_content", "") or ""))


def assess_article(article, matcher):
    """Every campaign with evidence for a Pelican article (used by tagging and explain)."""
    title, summary, body = article_fields(article)
    fields = {"title": title, "summary": summary, "body": body}
    body_events = article.metadata.get("event_dates")  # plugins.date_archives read the body
    if body_events is None:
        events = list(matcher.event_dates(fields, article.date.date()))
    else:
        # Only title and summary are left to read: the body's dates are not extracted twice.
        events = list(matcher.event_dates({**fields, "body": ""}, article.date.date()))
        events += [event for event in body_events if event not in events]
    return matcher.assess(title, summary, body, article.date, event_dates=events)


# --- signal handlers ---------------------------------------------------------------------------


def _registry_path(settings, merged):
    path = merged["CAMPAIGNS_REGISTRY"]
    return path if os.path.isabs(path) else os.path.join(settings.get("PATH", "."), path)


def load_state(settings):
    """Registry, matcher and empty campaign pages for one build (no campaigns when the
    registry file is missing), or None when the registry is broken (an error is logged)."""
    merged = campaign_settings(settings)
    path = _registry_path(settings, merged)
    if not os.path.exists(path):
        # The site still gets its (empty) /chien-dich/ page: the navigation links to it.
        logger.info("campaigns: no registry at %s; campaign tagging is off", path)
        registry = Registry((), source=path)
    else:
        try:
            registry = load_registry(path)
        except RegistryError as exc:
            logger.error("campaigns: %s", exc)
            return None
    matcher = Matcher(
        registry,
        threshold=merged["CAMPAIGN_THRESHOLD"],
        body_threshold=merged["CAMPAIGN_BODY_THRESHOLD"],
        min_density=merged["CAMPAIGN_MIN_DENSITY"],
        min_share=merged["CAMPAIGN_MIN_SHARE"],
        min_share_unnamed=merged["CAMPAIGN_MIN_SHARE_UNNAMED"],
        window_bonus=merged["CAMPAIGN_WINDOW_BONUS"],
        field_weights=merged["CAMPAIGN_FIELD_WEIGHTS"],
    )
    pages = [
        CampaignPage(
            campaign,
            url=merged["CAMPAIGN_URL"].format(slug=campaign.slug),
            save_as=merged["CAMPAIGN_SAVE_AS"].format(slug=campaign.slug),
        )
        for campaign in registry
    ]
    return State(merged, registry, matcher, pages, {page.slug: page for page in pages})


def _newest_first(articles):
    return sorted(articles, key=lambda a: (a.date, a.source_path), reverse=True)


def tag_campaigns(generator):
    """``article_generator_finalized``: tag articles, fill campaign pages, related articles."""
    state = load_state(generator.settings)
    generator.campaigns_state = state
    if state is None:
        return
    published = list(generator.articles)
    everything = published + [
        a for name in ("translations", "hidden_articles", "hidden_translations")
        for a in getattr(generator, name, [])
    ]
    members = {page.slug: [] for page in state.pages}
    folder = state.settings["CAMPAIGNS_CACHE_PATH"]
    env = environment(_registry_path(generator.settings, state.settings), state.settings) if folder else ""
    state.cache = AssessmentCache(folder, env)
    try:
        for article in everything:
            pages, reasons = tag_article(article, state)
            article.campaigns = pages
            article.campaign_reasons = reasons
    finally:
        state.cache.close()
    for article in published:
        for page in article.campaigns:
            members[page.slug].append(article)
    feed_pattern = state.settings["CAMPAIGN_FEED_ATOM"]
    claims = generator.context.setdefault("build_guard_claims", [])
    for page in state.pages:
        page.articles = _newest_first(members[page.slug])
        page.feed = feed_pattern.format(slug=page.slug) if feed_pattern and page.articles else ""
        # with its pages 2+ (trang/N/), paginated as the writer will (template "campaign")
        claims += paginated_claims(generator.settings, "campaign", page.save_as, page.url, page.articles,
                                   f"campaign page {page.slug}")
        if page.feed:
            claims.append((page.feed, f"campaign feed {page.slug}"))
    claims.append((state.settings["CAMPAIGNS_SAVE_AS"], "campaign list"))

    # "Tin liên quan": per-campaign and per-category date indexes, bisect per article.
    campaign_index = {page.slug: DateIndex(page.articles) for page in state.pages}
    by_category = {}
    for article in published:
        by_category.setdefault(getattr(article, "category", None), []).append(article)
    category_index = {category: DateIndex(items) for category, items in by_category.items()}
    limit = state.settings["CAMPAIGN_RELATED_MAX"]
    for article in everything:
        article.related_articles = related_articles(
            article,
            [campaign_index[page.slug] for page in article.campaigns],
            category_index.get(getattr(article, "category", None)),
            limit,
        )
    generator.context["campaigns"] = state.pages
    logger.info(
        "campaigns: %d campaign(s), %d of %d article(s) tagged; %d assessed, %d from the cache",
        len(state.pages), sum(1 for a in published if a.campaigns), len(published),
        state.cache.misses, state.cache.hits,
    )
    state.cache = None


def write_campaigns(generator, writer):
    """``article_writer_finalized``: /chien-dich/, one page and one Atom feed per campaign."""
    state = getattr(generator, "campaigns_state", None)
    if state is None:
        return
    settings = state.settings
    relative = generator.settings.get("RELATIVE_URLS", False)
    writer.write_file(
        settings["CAMPAIGNS_SAVE_AS"], generator.get_template("campaigns"), generator.context,
        relative, url=settings["CAMPAIGNS_URL"], campaigns=state.pages,
    )
    template = generator.get_template("campaign")
    for page in state.pages:
        writer.write_file(
            page.save_as, template, generator.context, relative,
            paginated={"articles": page.articles}, template_name="campaign", url=page.url,
            campaign=page, articles=page.articles,
        )
        if page.feed:
            writer.write_feed(page.articles, generator.context, page.feed, feed_title=page.name)


def configure(pelican):
    """``initialized``: campaign pages paginate like category pages unless configured."""
    pelican.settings.setdefault("PAGINATED_TEMPLATES", {}).setdefault("campaign", None)
    for key in ("CAMPAIGNS_URL", "CAMPAIGN_URL"):
        pelican.settings.setdefault(key, DEFAULTS[key])


def register():
    signals.initialized.connect(configure)
    signals.article_generator_finalized.connect(tag_campaigns)
    signals.article_writer_finalized.connect(write_campaigns)
