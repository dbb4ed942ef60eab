"""keyed_cache: a persistent key → value store (JSON unless a subclass says otherwise) for
per-article results (a library, no signals): the search analyses (``plugins.site_search``),
the campaign assessments (``plugins.campaigns``) and the event dates (``plugins.date_archives``)
of an unchanged article are read back instead of computed again."""

from .keyed_cache import KeyedCache, environment_file, row_key  # noqa: F401
