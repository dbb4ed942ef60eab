"""plugins.linear_listings: Pelican's term pages and translation grouping without passes over
the whole archive, with the same results.

MemberList answers ``in`` from a set and stays right through every change; the per-group
``process_translations`` gives what Pelican's own gives (originals, translations, each item's
``translations``, warnings) on random archives with duplicate slugs, languages and translation
flags; a real build with the plugin is byte-identical to one without it.
"""

import copy
import datetime
import logging
import pickle
import random

import pytest
from pelican import utils
from pelican.contents import Article
from pelican.log import LimitFilter
from pelican.settings import DEFAULT_CONFIG

from conftest import output_digest, run_build, synthetic_archive
from pelicanconf import PLUGINS
from plugins.linear_listings import linear_listings
from plugins.linear_listings.member_list import MemberList
from plugins.linear_listings.translations import install, linear


class Item:
    """Compares by identity, like Pelican's content objects."""


class Equal:
    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, Equal) and other.value == self.value

    __hash__ = None


def test_member_list_answers_in_like_a_list_through_every_change():
    a, b, c = Item(), Item(), Item()
    members = MemberList([a, b])
    assert a in members and c not in members and members == [a, b]
    members.append(c)
    assert c in members
    members.remove(a)
    assert a not in members
    members[0] = a
    assert a in members and b not in members
    del members[0]
    assert a not in members
    members += [b]
    assert b in members
    members.insert(0, a)
    assert a in members
    members.pop(0)
    assert a not in members
    members.extend([a])
    assert a in members
    members *= 2
    assert members == [c, b, a, c, b, a]
    members.clear()
    assert b not in members and members == []
    # an item with its own == is found by equality, as list finds it
    assert Equal(1) in MemberList([Equal(1)]) and Equal(2) not in MemberList([Equal(1)])
    assert 2.0 in MemberList([1, 2])
    # copies and other processes never reuse the ids of the original's items
    original = MemberList([a])
    assert a in original
    assert a not in copy.deepcopy(original) and copy.copy(original) == [a] and a in copy.copy(original)
    restored = pickle.loads(pickle.dumps(MemberList(["u", "v"])))
    assert type(restored) is MemberList and "u" in restored and "w" not in restored
    assert type(members[:1]) is list


def test_term_lists_become_member_lists_in_place():
    a, b = Item(), Item()
    class Generator:  # the attributes of Pelican's ArticlesGenerator that the plugin changes
        categories = [("cat", [a]), ("other", [b])]
        authors = [("author", [a, b])]
        tags = {"tag": [b]}
    outer, tags = Generator.categories, Generator.tags
    linear_listings.index_term_lists(Generator)
    assert Generator.categories is outer and Generator.tags is tags  # the context's objects
    assert all(type(articles) is MemberList for _, articles in Generator.categories + Generator.authors)
    assert type(Generator.tags["tag"]) is MemberList
    assert [list(x) for _, x in Generator.categories] == [[a], [b]] and Generator.tags["tag"] == [b]


def _archive(rng, settings, count):
    items = []
    for number in range(count):
        metadata = {"title": f"Bài {number}", "slug": f"bai-{rng.randrange(count // 2 + 1)}",
                    "date": datetime.datetime(2022, 1, 1) + datetime.timedelta(days=rng.randrange(30))}
        if rng.random() < 0.3:
            metadata["lang"] = rng.choice(["vi", "en"])
        if rng.random() < 0.2:
            metadata["translation"] = rng.choice(["true", "false"])
        items.append(Article("<p>x</p>", metadata=metadata, settings=settings,
                             source_path=f"/content/{number:03d}.md"))
    return items


@pytest.mark.parametrize("seed", range(12))
def test_translations_one_group_at_a_time_equal_pelicans(seed, caplog):
    settings = dict(DEFAULT_CONFIG, PATH="/content", DEFAULT_LANG="vi")
    rng = random.Random(seed)
    count = rng.randrange(2, 60)
    translation_id = rng.choice(["slug", ("slug", "date"), None, ""])
    runs = []
    for function in (utils.process_translations, linear(utils.process_translations)):
        items = _archive(random.Random(seed), settings, count)
        # Pelican's LimitFilter drops a warning it has seen: both runs start with none seen.
        LimitFilter._raised_messages.clear()
        LimitFilter._ignore.clear()
        LimitFilter._group_count.clear()
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            index, translations = function(items, translation_id)
        numbers = {id(item): item.title for item in items}
        runs.append(([numbers[id(x)] for x in index], [numbers[id(x)] for x in translations],
                     [[numbers[id(t)] for t in item.translations] for item in items],
                     [item.title for item in items], [r.getMessage() for r in caplog.records]))
    assert runs[0] == runs[1]


def test_translation_errors_are_pelicans():
    settings = dict(DEFAULT_CONFIG, PATH="/content")
    items = [Article("<p>x</p>", metadata={"title": "A", "date": datetime.datetime(2022, 1, 1)}, settings=settings,
                     source_path="/content/a.md")]
    with pytest.raises(AttributeError, match="as 'translation_id'"):
        linear(utils.process_translations)(items, "no_such_attribute")


def test_install_replaces_once():
    class Module:
        process_translations = staticmethod(utils.process_translations)
    install(Module)
    first = Module.process_translations
    install(Module)
    assert Module.process_translations is first and first.__wrapped__ is utils.process_translations


def test_a_build_with_the_plugin_is_byte_identical_to_one_without(tmp_path):
    content = synthetic_archive(tmp_path / "content", 120)
    digests = []
    for name, plugins in (("with", PLUGINS), ("without", [p for p in PLUGINS if p != "plugins.linear_listings"])):
        assert (name == "with") == ("plugins.linear_listings" in plugins)
        output = tmp_path / name
        run_build(content, output, extra={"PLUGINS": plugins, "SCHEDULE_NOW": "2026-12-01T00:00",
                                          "VN_READER_CACHE_PATH": "", "SITE_SEARCH_CACHE_PATH": "",
                                          "CAMPAIGNS_CACHE_PATH": ""})
        digests.append(output_digest(output))
    assert digests[0] == digests[1]
    # the term pages exist (what the plugin changes the way of computing)
    assert list((tmp_path / "with" / "chuyen-muc").rglob("index.html"))
