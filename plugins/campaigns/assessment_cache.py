"""The campaigns an unchanged article was given, read back instead of assessed again.

Assessing an article runs every campaign's phrases over its title, Summary and body: about 2 ms
per article, 7 % of a warm incremental build at 1,000 articles. A row (``assessments-*.sqlite3``
in ``CAMPAIGNS_CACHE_PATH``, default ``CACHE_PATH/campaigns``) holds the tagged campaigns and
their reasons, keyed by the SHA-256 of

- the environment (:func:`environment`): the registry file's bytes, the plugin's settings, every
  file of the plugins package (the matcher and ``vntext``), Python and the installed packages;
- the article's inputs to :func:`.campaigns.assess_article`: title, Summary, body HTML, date and
  the body's event dates (``plugins.date_archives``).

So a row can only be unused, never stale. Each environment has its own file (its digest in the
name); only the :data:`KEEP_ENVIRONMENTS` used last are kept, so the folder stays bounded by
about four times the archive's rows (plus a row per edit). Metadata (``Campaign:``) is not
cached: it is read from the article and its errors are logged every build.
"""

import dataclasses
import os

from plugins.incremental_build.build_key import environment_digest
from plugins.keyed_cache import KeyedCache, environment_file, row_key

from .matching import Reason

PLUGINS_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Bumped when the stored value's shape changes.
VALUE_VERSION = 1
_REASON_FIELDS = tuple(f.name for f in dataclasses.fields(Reason))


def environment(registry_path, merged):
    """Digest of everything besides the article that its assessment depends on."""
    return environment_digest(f"assessment {VALUE_VERSION}",
                              {k: v for k, v in merged.items() if k != "CAMPAIGNS_CACHE_PATH"},
                              [registry_path], PLUGINS_FOLDER)


def article_key(env, article):
    """The row key of ``article`` under environment ``env``."""
    summary = article.metadata.get("summary") or ""
    return row_key(env, (str(getattr(article, "title", "")), str(summary), getattr(article, "_content", "") or "",
                         article.date.isoformat(), repr(article.metadata.get("event_dates"))))


# Files of this many environments are kept (a development and a publish build, a registry
# edit and its undo); older ones are deleted when a new one is made.
KEEP_ENVIRONMENTS = 4


class AssessmentCache(KeyedCache):
    """One file per environment (``assessments-<env>.sqlite3``), so that what a change of the
    registry, the settings or the code made unusable goes away with its file."""

    def __init__(self, folder, env):
        super().__init__(folder, environment_file(folder, "assessments", env, KEEP_ENVIRONMENTS), "assessments",
                         "campaigns")
        self.env = env

    def key(self, article):
        return article_key(self.env, article)

    def encode(self, tagged):
        """Plain JSON data of ``[(slug, (Reason, ...)), ...]``."""
        return [[slug, [[getattr(reason, name) for name in _REASON_FIELDS] for reason in reasons]]
                for slug, reasons in tagged]

    def decode(self, value):
        """``[(slug, (Reason, ...)), ...]`` of a stored value (a malformed row raises, a miss)."""
        tagged = []
        for slug, reasons in value:
            if not isinstance(slug, str):
                raise TypeError(slug)
            tagged.append((slug, tuple(Reason(**dict(zip(_REASON_FIELDS, fields, strict=True))) for fields in reasons)))
        return tagged

