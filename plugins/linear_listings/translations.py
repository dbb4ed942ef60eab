"""Pelican's ``process_translations`` one translation group at a time.

Pelican (4.12, ``pelican.utils.process_translations``) sorts the articles by their translation
id (the slug by default), groups them, and ends with
``translations = [x for x in content_list if x not in index]``: a membership test in the list of
every original for each article, quadratic in the archive (profile of a 10,000-article build:
2.0 s; about 100 times that at 100,000). :func:`linear` sorts and groups the same way and calls
Pelican's own function on each group, where that test is as small as the group: the same
originals, translations, ``translations`` attributes, warnings and errors, in the same order.
"""

from itertools import groupby
from operator import attrgetter


def linear(original):
    """Pelican's ``process_translations`` (``original``), called one group at a time."""

    def process_translations(content_list, translation_id=None):
        if not translation_id:
            return original(content_list, translation_id)
        key = attrgetter(*({translation_id} if isinstance(translation_id, str) else translation_id))
        try:
            content_list.sort(key=key)
        except (TypeError, AttributeError):
            return original(content_list, translation_id)  # Pelican's own error message
        index, translations = [], []
        for _, items in groupby(content_list, key):
            group_index, group_translations = original(list(items), translation_id)
            index += group_index
            translations += group_translations
        return index, translations

    process_translations.__wrapped__ = original
    process_translations.__doc__ = __doc__
    return process_translations


def install(module):
    """Make ``module.process_translations`` (pelican.generators imports it by name) linear,
    once: the replacement keeps no state, so later builds in the same process may share it."""
    current = module.process_translations
    if getattr(current, "__wrapped__", None) is None:
        module.process_translations = linear(current)
