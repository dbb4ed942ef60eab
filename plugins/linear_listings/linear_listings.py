"""linear_listings: the term pages' "dates" without a pass over the archive per term.

Pelican's ``generate_tags``, ``generate_categories`` and ``generate_authors`` compute, for every
term, ``dates = [article for article in self.dates if article in articles]``: one membership
test in the term's article list for each article of the archive, so the work is the archive's
size times the term's size, summed over the terms, which is quadratic in the archive (profile of
a 10,000-article build: 7.8 s of 152 s profiled in those three lines, 100 times that at
100,000). At ``article_generator_finalized`` (after Pelican has built the term lists and put them
in the context, before any page is written) each term's list becomes a
:class:`~.member_list.MemberList` with the same items in the same order, whose ``in`` is a set
lookup; Pelican's lines are unchanged and give the same lists. The new lists are the build's own
objects (nothing outlives the build).

Pelican's ``process_translations`` ends with the same kind of pass over the whole archive;
:mod:`.translations` runs it one translation group at a time (``pelican.generators`` gets the
replacement when the plugin is registered; it keeps no state). No settings.
"""

import logging

from pelican import generators, signals

from . import translations
from .member_list import MemberList

logger = logging.getLogger(__name__)


def index_term_lists(generator):
    """Replace, in place, the article lists of ``generator.categories`` and ``authors`` (lists of
    (term, articles) pairs) and of ``generator.tags`` (a dict) by MemberLists."""
    for name in ("categories", "authors"):
        pairs = getattr(generator, name, None)
        if isinstance(pairs, list):
            for position, (term, articles) in enumerate(pairs):
                if not isinstance(articles, MemberList):
                    pairs[position] = (term, MemberList(articles))
    tags = getattr(generator, "tags", None)
    if isinstance(tags, dict):
        for tag, articles in tags.items():
            if not isinstance(articles, MemberList):
                tags[tag] = MemberList(articles)
    logger.debug("linear_listings: %d category, %d author and %d tag lists indexed",
                 len(getattr(generator, "categories", None) or ()), len(getattr(generator, "authors", None) or ()),
                 len(tags or ()))


def register():
    translations.install(generators)
    signals.article_generator_finalized.connect(index_term_lists)
