"""Pure parts of plugins.incremental_build: what a template reads, and the signatures of values."""

import jinja2
import pytest

from plugins.incremental_build.build_key import changed_parts, settings_digest
from plugins.incremental_build.fingerprint import ALL_NAMES, Fingerprinter, template_reads

TEMPLATES = {
    "base.html": "<title>{{ SITENAME }}</title>{% block body %}{% endblock %}{% include 'nav.html' %}",
    "nav.html": "{% for c in site_nav.categories|sort(attribute='name') %}{{ c.url }}{% endfor %}",
    "article.html": "{% extends 'base.html' %}{% block body %}{{ article.title }}"
                    "{% for r in article.related %}{{ r.title }}{% endfor %}{% endblock %}",
    "dynamic.html": "{% include which %}",
}


class Thing:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def shout(self):
        return self.title.upper()


@pytest.fixture
def env():
    return jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES))


def test_template_reads_follows_extends_and_includes(env):
    reads = template_reads(env, "article.html")
    assert {"SITENAME", "article", "site_nav"} <= reads.names
    assert "r" not in reads.names and "c" not in reads.names  # loop variables are not context
    assert {"title", "related", "categories", "url", "name"} <= reads.attributes


def test_a_computed_include_reads_everything(env):
    assert template_reads(env, "dynamic.html").names is ALL_NAMES


def digest(value, attributes=("title", "related")):
    return Fingerprinter().digest(value, 0, frozenset(attributes))


def test_attributes_the_template_reads_change_the_signature():
    first = Thing(title="Tin A", body="x", related=[Thing(title="Tin B", body="y")])
    same = Thing(title="Tin A", body="x", related=[Thing(title="Tin B", body="y")])
    retitled = Thing(title="Tin A", body="x", related=[Thing(title="Tin C", body="y")])
    assert digest(first) == digest(same)
    assert digest(first) != digest(retitled)


def test_attributes_no_template_reads_do_not():
    assert digest(Thing(title="Tin A", body="x", related=[])) == digest(Thing(title="Tin A", body="z", related=[]))


def test_a_callable_method_hashes_the_whole_object():
    attributes = ("title", "shout")
    assert digest(Thing(title="a", body="x"), attributes) != digest(Thing(title="a", body="y"), attributes)


def test_deep_objects_count_by_identity():
    def chain(body):
        return Thing(title="t", related=[Thing(title="u", related=[Thing(title="v", url="v.html", body=body)])])
    attributes = ("title", "related", "body", "url")
    assert digest(chain("x"), attributes) == digest(chain("y"), attributes)  # third object: identity
    moved = Thing(title="t", related=[Thing(title="u", related=[Thing(title="v", url="w.html", body="x")])])
    assert digest(chain("x"), attributes) != digest(moved, attributes)


class Computed(Thing):
    @property
    def url(self):
        return "/".join(("tin", self.slug)) + ".html"  # a new string on every access, as Content.url


def test_identity_reads_computed_strings_by_their_text():
    attributes = ("title", "related", "url")

    def deep(leaf):
        return Thing(title="t", related=[Thing(title="u", related=[leaf])])

    fingerprinter = Fingerprinter()
    signed = [fingerprinter.digest(deep(Computed(slug=slug)), 0, frozenset(attributes)) for slug in ("a", "a", "b")]
    assert signed[0] == signed[1] != signed[2]
    assert signed[0] == digest(deep(Computed(slug="a")), attributes)
    assert len({digest(deep(Thing(url=url, slug="a")), attributes) for url in (None, "", "-", 0)}) == 4


def test_a_value_freed_during_the_build_never_lends_its_digest():
    # The memos are keyed by id alone; CPython gives a freed object's id to the next one made,
    # so every value digested must stay alive as long as the Fingerprinter does.
    fingerprinter, attributes = Fingerprinter(), frozenset({"title", "related"})
    digests = [fingerprinter.digest(Thing(title=f"Tin {n}", related=[Thing(title=str(n))]), 0, attributes)
               for n in range(300)]
    assert len(set(digests)) == 300
    assert digests[7] == Fingerprinter().digest(Thing(title="Tin 7", related=[Thing(title="7")]), 0, attributes)


def test_a_value_is_memoised_and_kept_alive_only_from_its_second_digest():
    """A page's own top-level values (digested once) are not kept until the build ends; one
    digested again, or one reached through another value, is memoised and kept alive, so that
    the id of its memo entry is never another's. A value that took a dead one's id gets its
    own digest."""
    import gc
    import weakref

    class Labelled(Thing):
        @property
        def label(self):  # read through Fingerprinter._attribute, which remembers it
            return f"[{self.title}]"

    fingerprinter, attributes = Fingerprinter(), frozenset({"title", "related", "label"})
    once = Labelled(title="Tin", related=[Labelled(title="con")])
    fingerprinter.digest(once, 0, attributes)
    gone, child = weakref.ref(once), weakref.ref(once.related[0])
    del once
    gc.collect()
    assert gone() is None and child() is not None
    assert list(fingerprinter._attributes) == [id(child())]  # nothing remembered under a dead value's id

    shared = Labelled(title="Chung", related=[])
    first = fingerprinter.digest(shared, 0, attributes)
    assert fingerprinter.digest(shared, 0, attributes) == first
    assert id(shared) in fingerprinter._memo[0][id(attributes)]
    kept = weakref.ref(shared)
    del shared
    gc.collect()
    assert kept() is not None

    # A new value at a dead one's id, made certain: the same object changed after its first
    # digest (the allocator reuses ids, but not on demand). Neither its digest nor an attribute
    # read from it may be remembered.
    page_value = Labelled(title="Tin 1", related=[])
    first = fingerprinter.digest(page_value, 0, attributes)
    page_value.title = "Tin 2"
    assert fingerprinter.digest(page_value, 0, attributes) == Fingerprinter().digest(page_value, 0, attributes) != first

    for n in range(300):  # and whatever ids the allocator gives again
        thing = Labelled(title=f"Tin {n}", related=[Labelled(title=str(n % 7))])
        for _ in range(n % 3):
            fingerprinter.digest(thing, 0, attributes)
        assert fingerprinter.digest(thing, 0, attributes) == Fingerprinter().digest(thing, 0, attributes)
        del thing  # freed unless digested twice (kept alive)


def test_a_listed_object_has_one_memo_entry_whatever_the_templates():
    """An object one step below a page's value (an article in a listing) is memoised once,
    under the attribute names it has, for every template whose attribute set gives it the same
    names; a template reading another of its attributes digests it on its own."""
    fingerprinter = Fingerprinter()
    listed = Thing(title="Tin", summary="Tóm tắt")
    index = frozenset({"items", "title", "summary", "number"})
    period = frozenset({"items", "title", "summary", "calendar"})  # same names on the article
    titles = frozenset({"items", "title"})
    pages = [Thing(items=[listed] * 9, number=n) for n in range(3)]
    assert len({fingerprinter.digest(page, 0, index) for page in pages}) == 3
    fingerprinter.digest(pages[0], 0, period)
    entries = [memo for memo in fingerprinter._shared.values() if id(listed) in memo]
    assert len(entries) == 1
    assert all(id(listed) not in memo for memo in fingerprinter._memo[1].values())
    before = fingerprinter.digest(Thing(items=[listed] * 9, number=0), 0, titles)
    assert len([memo for memo in fingerprinter._shared.values() if id(listed) in memo]) == 2
    listed.summary = "Khác"  # not read by `titles`: the same digest for a fresh fingerprinter
    assert Fingerprinter().digest(Thing(items=[listed] * 9, number=0), 0, titles) == before


def test_dates_and_short_lists_are_fed_inline_and_still_counted():
    """Dates, short lists and lone strings leave no memo entry, yet every item counts: a changed
    date, a changed or added item of a short list (of strings, dates, objects, nested lists)
    or of a long one changes the signature; equal values in new objects do not; a list and
    its items are not confused with the same items spread over two lists."""
    import datetime

    from plugins.incremental_build import fingerprint

    attributes = ("title", "related", "date", "tags")
    day = datetime.datetime(2022, 6, 22, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))

    def article(date=day, tags=("bình đẳng", "giới"), related=2, title="Tin A"):
        return Thing(title=title, date=date, tags=list(tags),
                     related=[Thing(title=f"Tin {n}", date=day.date(), tags=[[n]]) for n in range(related)])

    fingerprinter = Fingerprinter()
    base = fingerprinter.digest(article(), 0, frozenset(attributes))
    assert base == digest(article(), attributes)
    variants = [article(date=day + datetime.timedelta(minutes=1)), article(date=day.date()),
                article(tags=("bình đẳng", "gioi")), article(tags=("bình đẳng", "giới", "")),
                article(tags=("bình đẳng giới",)), article(related=1), article(related=3),
                article(related=fingerprint.INLINE_ITEMS + 2), article(title=None)]
    signed = [digest(v, attributes) for v in variants]
    assert base not in signed and len(set(signed)) == len(signed)
    long_lists = [article(related=fingerprint.INLINE_ITEMS + 2) for _ in range(2)]
    long_lists[1].related[-1].title = "Tin khác"
    assert digest(long_lists[0], attributes) != digest(long_lists[1], attributes)
    assert digest([["a"], ["b"]]) != digest([["a", "b"]]) != digest(["a", "b"])
    kinds = {type(value).__name__ for value in fingerprinter._alive}
    assert not kinds & {"datetime", "date", "str", "list"}, kinds  # no entry of their own
    assert digest("Tin") == Fingerprinter().digest("Tin") != digest("Tín")


def test_a_month_calendar_is_hashed_by_its_cells():
    """Plain frozen dataclasses (date_archives' calendars) are hashed by their repr: a change in
    any cell, however deep in the weeks, changes the signature; equal calendars agree."""
    import datetime  # noqa: PLC0415

    from plugins.date_archives.calendar_grid import month_grid  # noqa: PLC0415

    june = month_grid(2022, 6, {22: "/2022/06/22/"}, {22: 1}, datetime.date(2022, 6, 22))
    attributes = ("weeks", "days", "url")
    assert digest(june, attributes) == digest(month_grid(2022, 6, {22: "/2022/06/22/"}, {22: 1},
                                                         datetime.date(2022, 6, 22)), attributes)
    for other in (month_grid(2022, 6, {22: "/2022/06/22/"}, {22: 2}, datetime.date(2022, 6, 22)),
                  month_grid(2022, 6, {23: "/2022/06/23/"}, {23: 1}, datetime.date(2022, 6, 22)),
                  month_grid(2022, 6, {22: "/2022/06/22/"}, {22: 1}, datetime.date(2022, 6, 21))):
        assert digest(june, attributes) != digest(other, attributes)


def test_a_dataclass_with_a_hidden_field_is_not_hashed_by_repr():
    import dataclasses  # noqa: PLC0415

    @dataclasses.dataclass(frozen=True)
    class Badge:
        name: str
        url: str = dataclasses.field(repr=False)

    attributes = ("name", "url")
    assert digest(Badge("a", "/x/"), attributes) != digest(Badge("a", "/y/"), attributes)


def test_settings_digest_ignores_folders_and_plugin_state():
    base = {"SITENAME": "Vĩnh Yên", "OUTPUT_PATH": "/a", "PRECOMPRESS_STATE": object()}
    moved = {"SITENAME": "Vĩnh Yên", "OUTPUT_PATH": "/b", "PRECOMPRESS_STATE": object()}
    assert settings_digest(base) == settings_digest(moved)
    assert settings_digest(base) != settings_digest({**base, "SITENAME": "Vĩnh Phúc"})


def test_changed_parts_names_what_forces_a_full_build():
    new = {"settings": "1", "theme": "2", "plugins": "3"}
    assert changed_parts(None, new) == ["state"]
    assert changed_parts({**new, "theme": "0"}, new) == ["theme"]
    assert changed_parts(dict(new), new) == []
