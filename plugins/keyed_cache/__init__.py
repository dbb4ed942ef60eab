"""keyed_cache: a persistent key → value store (JSON unless a subclass says otherwise) for
per-article results (a library, no signals): the search analyses (``plugins.site_search``)
and the campaign assessments (``plugins.campaigns``) of an unchanged article are read back
instead of computed again."""

from .keyed_cache import KeyedCache  # noqa: F401
