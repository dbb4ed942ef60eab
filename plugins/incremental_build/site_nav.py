"""``site_nav``: the small navigation data every page shows, and nothing more.

Every page's header, sidebar and date picker used to read the whole ``categories``,
``campaigns`` and ``date_archives`` objects (which hold every article): then one added
article changed the inputs of every page, and an incremental build had to render them all.
``site_nav`` holds only what those widgets print (names, links, the first and last day with
news, the last three months), so a page changes only when what it shows changes:

- ``site_nav.categories``: ``name``, ``url``, ``save_as`` of every category (the header nav);
- ``site_nav.campaigns``: ``name``, ``url`` of the first ``INCREMENTAL_BUILD_NAV_CAMPAIGNS``
  campaigns with articles, in registry order (the sidebar; counts are on /chien-dich/ only);
- ``site_nav.recent_months`` (``title``, ``url``, newest first) for the date picker (the latest
  day with news is read by the script from the days index, so a newer day changes no page).
"""

from types import SimpleNamespace


def _category(category):
    return SimpleNamespace(name=str(category), url=category.url, save_as=category.save_as)


def site_nav(context, campaign_count):
    """The ``site_nav`` namespace of a build's shared context (pure; see the module docstring)."""
    archives = context.get("date_archives")
    months = list(getattr(archives, "months", None) or [])[-3:]
    campaigns = [c for c in context.get("campaigns") or () if getattr(c, "count", 0)][:campaign_count]
    return SimpleNamespace(
        categories=[_category(category) for category, _articles in context.get("categories") or ()],
        campaigns=[SimpleNamespace(name=c.name, url=c.url) for c in campaigns],
        recent_months=[SimpleNamespace(title=m.title, url=m.url) for m in reversed(months)],
    )
