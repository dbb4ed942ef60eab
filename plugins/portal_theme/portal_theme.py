"""portal_theme: what the reader's portal theme needs from the content.

* ``PORTAL_PUBLIC_URL``: the site's absolute address for canonical links, OpenGraph and
  JSON-LD: ``SITEURL`` when it is absolute (``publishconf.py``), else ``FEED_DOMAIN``
  (``invoke serve`` in development);
* an article without ``Author:`` has no author: Pelican would give it ``AUTHOR`` (the
  portal's name) and list it under ``/tac-gia/<portal>/``; ``AUTHOR`` stays the publisher of
  feeds and JSON-LD;
* ``article.show_lead``: the ``Summary:`` (sapo) is shown under the title unless the body
  already begins with it;
* ``article.json_ld``: the ``NewsArticle`` JSON-LD of the page, written when the page is
  rendered (``structured_data.NewsArticle``);
* ``THEME_HAS_SEARCH_PAGE`` (a template global): whether the theme has ``search.html``. The
  header's search box leads to ``SEARCH_URL``; without a search page it would be a broken
  link on every page (``invoke publish`` refuses those), so the box shows only with one.
* the listing templates (``LISTING_TEMPLATES``) are always in ``PAGINATED_TEMPLATES``, so each
  of their pages has ``articles_page`` (one page holding every article when
  ``DEFAULT_PAGINATION`` is False). They read only their page: a template that names the whole
  ``articles`` list has every article of the listing digested into each page's signature
  (incremental_build), one memo entry per article and template, some 555,000 at 100,000
  articles;
* ``latest_articles`` (in the context, for 404.html): the ``PORTAL_LATEST_ARTICLES`` newest
  articles, for the same reason a short list instead of the whole ``articles``;
* ``term_counts`` (in the context, for categories.html, tags.html and authors.html): for
  ``"categories"``, ``"tags"`` and ``"authors"``, the list of ``(term, number of articles)``
  pairs in Pelican's order. A count instead of the term's article list: the overview pages
  then depend on how many articles each term has, not on every listed article (an edit of
  any article re-rendered all three, and each page's signature digested the whole archive).
"""

import logging

from jinja2 import TemplateNotFound
from pelican import signals
from pelican.contents import Article
from pelican.generators import ArticlesGenerator

from .lead import body_begins_with
from .structured_data import news_article

logger = logging.getLogger(__name__)

# name: [default, description] -- the README lists the same.
DEFAULTS = {
    "PORTAL_PUBLIC_URL": [None, "absolute site address; None: SITEURL when absolute, else FEED_DOMAIN"],
    "PORTAL_PUBLISHER": [None, "publisher named in JSON-LD and OpenGraph; None: AUTHOR"],
    "PORTAL_LATEST_ARTICLES": [5, "newest articles the not-found page lists (latest_articles)"],
}
# Templates of the theme that list articles; each reads articles_page, never articles or dates.
LISTING_TEMPLATES = ("index", "tag", "category", "author", "campaign", "period_archives")


def configure(pelican):
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        settings.setdefault(name, default)
    public = settings["PORTAL_PUBLIC_URL"]
    if public is None:
        siteurl = settings.get("SITEURL") or ""
        public = siteurl if siteurl.startswith(("http://", "https://")) else settings.get("FEED_DOMAIN") or ""
    if not isinstance(public, str):
        logger.error("portal_theme: PORTAL_PUBLIC_URL must be a string, not %s", type(public).__name__)
        public = ""
    settings["PORTAL_PUBLIC_URL"] = public.rstrip("/")
    if not settings["PORTAL_PUBLISHER"]:
        settings["PORTAL_PUBLISHER"] = settings.get("AUTHOR") or settings.get("SITENAME") or ""
    latest = settings["PORTAL_LATEST_ARTICLES"]
    if isinstance(latest, bool) or not isinstance(latest, int) or latest < 0:
        logger.error("portal_theme: PORTAL_LATEST_ARTICLES must be a whole number >= 0, not %r; using 5", latest)
        settings["PORTAL_LATEST_ARTICLES"] = 5
    require_pagination(settings)


def require_pagination(settings):
    """Put each of LISTING_TEMPLATES in ``PAGINATED_TEMPLATES`` (with the default page size)
    when the settings leave it out: the theme's listings read ``articles_page`` only."""
    paginated = dict(settings.get("PAGINATED_TEMPLATES") or {})
    for name in LISTING_TEMPLATES:
        if name not in paginated:
            logger.info("portal_theme: the '%s' template is paginated (DEFAULT_PAGINATION per page): the theme's "
                        "listings read their page only", name)
            paginated[name] = None
    settings["PAGINATED_TEMPLATES"] = paginated


def latest_articles(generators):
    """``all_generators_finalized``: ``latest_articles`` in the context, once the article
    list is final (plugins may take articles out before)."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            latest = generator.settings["PORTAL_LATEST_ARTICLES"]  # validated by configure
            generator.context["latest_articles"] = list(generator.articles[:latest])


TERM_KINDS = ("categories", "tags", "authors")


def term_counts(generators):
    """``all_generators_finalized``: ``term_counts`` in the context, from the final term lists
    (Pelican's context holds each kind as a list of (term, articles) pairs)."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            generator.context["term_counts"] = {
                kind: [(term, len(articles)) for term, articles in generator.context.get(kind) or ()]
                for kind in TERM_KINDS
            }


def drop_default_author(content):
    """Forget the AUTHOR Pelican gives to content whose source names no author."""
    if "author" in content.metadata or "authors" in content.metadata:
        return
    if "author" in vars(content):
        del content.author
    content.authors = []


def process_content(content):
    drop_default_author(content)
    if not isinstance(content, Article):
        return
    lead = content.metadata.get("summary")
    content.show_lead = bool(lead) and not body_begins_with(lead, content._content)
    settings = content.settings
    content.json_ld = news_article(content, settings.get("PORTAL_PUBLIC_URL", ""),
                                   settings.get("PORTAL_PUBLISHER") or settings.get("AUTHOR", ""),
                                   settings.get("SITENAME", ""))


def theme_has_template(env, name):
    try:
        env.get_template(name)
    except TemplateNotFound:
        return False
    return True


def add_template_globals(generator):
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["THEME_HAS_SEARCH_PAGE"] = theme_has_template(env, "search.html")


def register():
    signals.initialized.connect(configure)
    signals.all_generators_finalized.connect(latest_articles)
    signals.all_generators_finalized.connect(term_counts)
    signals.generator_init.connect(add_template_globals)
    signals.content_object_init.connect(process_content)
