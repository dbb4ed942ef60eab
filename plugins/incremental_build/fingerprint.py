"""Signatures of the values a template reads: equal signature, equal page.

A page is a template rendered with a context. :func:`template_reads` lists, from Jinja's own
parser, what a template (with everything it extends, includes or imports) can read: the top-level
names, and every attribute name it can look up (``x.attr``, and every string constant, which
covers ``sort(attribute="date")`` and ``vn_sort("0.name")``). :class:`Fingerprinter` hashes the
values of those names, and of an object only the attributes of that set it has (its ``str()``
too; an object whose method the template can call is hashed whole). Two builds that give a page
the same signature render it to the same bytes, as long as

- the template, the theme, the settings, the plugins and the installed packages are the same
  (the build key of :mod:`.build_key` forces a full build otherwise);
- filters and functions called from templates read only the values passed to them (not other
  attributes of an object passed whole);
- templates reach objects at most ``MAX_DEPTH`` attribute steps from a top-level name; deeper,
  an object counts by its identity (class, ``source_path``, ``url``, ``name``, ``slug``);
- a frozen dataclass made of plain data (scalars, tuples, other such dataclasses; every field in
  its repr) is hashed by its repr: its properties and methods compute only from its fields.

The byte-identical tests (tests/test_incremental.py) compare incremental and full builds of
this theme for adds, edits, deletions, new dates, a campaign registry and a template change.

Cost: a value is hashed at most twice per build, so the work is linear in the archive. Its digest
is memoised by object and the object kept alive for the build, so that the id a memo entry is
keyed by is never reused; but a page's own top-level value (its article, its paginator) is
hashed the first time without being kept, and memoised only when a page reads it again.
"""

import dataclasses
import datetime
import enum
import hashlib
import re
import struct

import jinja2.meta
from jinja2 import TemplateNotFound, nodes

# Attributes that are not the object's data: the settings and the whole context, referenced by
# every Pelican content (their values are covered by the build key and by the page's own names).
SKIPPED_ATTRIBUTES = frozenset({"settings", "_context", "context"})
IDENTITY_ATTRIBUTES = ("source_path", "url", "name", "slug")
MAX_DEPTH = 2
_NO_ATTRIBUTES = frozenset()
ALL_NAMES = None  # a template whose includes cannot be known statically reads everything


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Reads:
    """What a template (with the templates it references) can read: top-level names and the
    attribute names it can look up on any object (``x.attr``, ``x["attr"]`` and every string
    constant, which covers ``sort(attribute="date")``, ``vn_sort("0.name")``, ``selectattr``)."""

    def __init__(self, names, attributes):
        self.names = names  # set, or ALL_NAMES
        self.attributes = frozenset(attributes)


def _attribute_names(ast):
    found = {node.attr for node in ast.find_all(nodes.Getattr)}
    for node in ast.find_all(nodes.Const):
        if isinstance(node.value, str):
            found.update(part for part in node.value.split(".") if IDENTIFIER.fullmatch(part))
    return found


def template_reads(environment, name, seen=None):
    """The :class:`Reads` of template ``name`` and every template it extends, includes or imports."""
    seen = set() if seen is None else seen
    names, attributes = set(), set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            source = environment.loader.get_source(environment, current)[0]
        except TemplateNotFound:
            continue  # "include ... ignore missing"
        ast = environment.parse(source)
        if names is not ALL_NAMES:
            names |= set(jinja2.meta.find_undeclared_variables(ast))
        attributes |= _attribute_names(ast)
        for referenced in jinja2.meta.find_referenced_templates(ast):
            if referenced is None:
                names = ALL_NAMES  # a computed template name: it may read anything
            else:
                pending.append(referenced)
    return Reads(names, attributes)


_SCALARS = (str, int, float, bool, type(None), datetime.date, datetime.time)
_SCALAR_TYPES = frozenset(_SCALARS) | {datetime.datetime}  # the exact types, for set lookups
# Exact types that have no ``__self__``, so that no value of them is a bound method: checking
# them first spares the getattr, which raises and catches AttributeError for every string.
_NO_SELF = frozenset(_SCALAR_TYPES | {list, tuple, dict, set, frozenset, datetime.timedelta})
_LENGTH = struct.Struct("<Q").pack
# The exact date and time types, fed inline by Fingerprinter.part (all have isoformat()).
_TIME_TYPES = frozenset({datetime.datetime, datetime.date, datetime.time})
# Lists and tuples of at most this many items are fed inline by Fingerprinter.part; longer
# ones (a listing's articles, shared by many pages) are digested once and memoised.
INLINE_ITEMS = 8


def _text(value):
    data = value.encode("utf-8", "surrogatepass")
    return _LENGTH(len(data)) + data


class Fingerprinter:
    """Digests of context values for one build (create one per build, never share it)."""

    def __init__(self):
        # Every value memoised and every attribute set seen is kept alive until the build ends,
        # so no id is reused: the memos are keyed by id alone, and hold only digests. (At
        # 100,000 articles the memos hold millions of entries: a tuple per key or value costs
        # gigabytes.)
        self._alive = []
        self._seen = set()  # ids of the top-level values digested once (the objects are not kept)
        # per depth: id of the attribute set -> {id of the value: digest}
        self._memo = tuple({} for _ in range(MAX_DEPTH + 1))
        self._shared = {}  # attribute names a value has -> {id: digest}, at depth MAX_DEPTH - 1
        self._class_names = {}  # (type, id of the attribute set) -> readable names of the class
        # id -> {name: attribute}: properties such as Content.url are computed from the settings
        # on every access; read each once per build.
        self._attributes = {}
        self._repr_fields = {}  # dataclass -> its field names, None when one is not in its repr

    def digest(self, value, depth=0, attributes=frozenset()):
        if type(value) is str:
            # Not memoised: most strings digested alone are a page's own (output_file), so an
            # entry would be kept alive and never read again; hashing one costs about as much.
            return hashlib.blake2b(b"s" + _text(value), digest_size=16).digest()
        if depth >= MAX_DEPTH:
            # From MAX_DEPTH down objects count by identity: no attribute set matters any more.
            depth, attributes = MAX_DEPTH, _NO_ATTRIBUTES
        key = id(value)
        if depth == MAX_DEPTH - 1 and hasattr(value, "__dict__"):
            # One step above identity, a value's digest depends only on which of the attributes
            # it has (its own attributes count by identity), so the templates whose attribute
            # sets differ elsewhere share it: an article listed by a dozen templates is fed once.
            # Only that shared entry is kept, not one per attribute set too: an article is
            # reached about once per listing template, so those entries were seldom read again
            # (50,000 of a 10,000-article build's 100,000 entries).
            names = frozenset(self._readable(value, attributes))
            memo = self._shared.get(names)
            if memo is None:
                memo = self._shared[names] = {}
        else:
            by_set = self._memo[depth]
            memo = by_set.get(id(attributes))
            if memo is None:
                memo = by_set[id(attributes)] = {}
                self._alive.append(attributes)
        hit = memo.get(key)
        if hit is not None:
            return hit
        hasher = hashlib.blake2b(digest_size=16)
        self._feed(hasher, value, depth, attributes)
        result = hasher.digest()
        if depth or key in self._seen:
            # Reached through another value, or a page's value seen before (a value many pages
            # share, or a new object that took a dead one's id, digested again like any other):
            # memoised and kept alive from now on.
            self._alive.append(value)
            memo[key] = result
        else:
            # A page's value, the first time: most are that page's own (its paginator and
            # paginator page, its article, its day's calendar); kept alive with the attributes
            # read from them, they stayed in memory until the build ended. Not kept, its id may
            # be reused: nothing is remembered under it but that it was seen. (Values reached
            # through it are memoised as before: doing the same for them cost 10 % more signing
            # CPU, for shared articles digested twice, and kept more attributes.)
            self._seen.add(key)
            self._attributes.pop(key, None)
        return result

    def part(self, value, depth, attributes):
        """What a container or an object feeds for one item: a scalar's, a date's or a short
        list's own tagged bytes (no hasher and no memo entry of its own), else the item's digest.

        Dates and short lists (an article's date, its tags, its related articles) are reached
        once per object and attribute set, which is memoised already: a memo entry of their
        own was never read again, only kept alive (195,000 of the 418,693 entries of a 10k
        build's signing)."""
        kind = type(value)  # the exact types first: isinstance() is the slower test
        if kind is str or isinstance(value, str):
            return b"s" + _text(value)
        if value is None or kind is int or kind is bool or kind is float or isinstance(value, (bool, int, float)):
            return b"n" + _text(repr(value))
        if kind is list or kind is tuple:
            if len(value) <= INLINE_ITEMS:
                return b"L" + _LENGTH(len(value)) + b"".join([self.part(item, depth, attributes) for item in value])
        elif kind in _TIME_TYPES or isinstance(value, (datetime.date, datetime.time)):  # Pelican's SafeDatetime too
            return b"d" + _text(f"{value!r}|{value.isoformat()}")
        return b"D" + self.digest(value, depth, attributes)

    def _plain(self, value, depth=0):
        """True for scalars, tuples of plain values and frozen dataclasses of plain fields, all
        of them in the dataclass's repr; such a value is its repr."""
        if isinstance(value, _SCALARS):
            return True
        if depth > 4:
            return False
        if type(value) is tuple:
            return all(self._plain(item, depth + 1) for item in value)
        cls = type(value)
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen or not params.repr or isinstance(value, type):
            return False
        names = self._repr_fields.get(cls, False)
        if names is False:
            fields = dataclasses.fields(cls)
            names = self._repr_fields[cls] = tuple(f.name for f in fields) if all(f.repr for f in fields) else None
        if names is None:
            return False
        for name in names:
            item = getattr(value, name)
            if type(item) not in _SCALAR_TYPES and not self._plain(item, depth + 1):
                return False
        return True

    def _plain_dataclass(self, value):
        """The repr of a plain frozen dataclass (a month calendar and its days), else None: one
        repr instead of a digest per cell keeps signing a day page's calendar cheap."""
        if not hasattr(type(value), "__dataclass_params__") or not self._plain(value):
            return None
        return repr(value)

    def _feed(self, h, value, depth, attributes):  # noqa: PLR0912 - one branch per kind of value
        if value is None or isinstance(value, (bool, int, float, complex, enum.Enum)):
            h.update(b"n" + _text(repr(value)))
        elif isinstance(value, str):
            h.update(b"s" + _text(value))
        elif isinstance(value, bytes):
            h.update(b"b" + struct.pack("<Q", len(value)) + value)
        elif isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
            h.update(b"d" + _text(f"{value!r}|{value.isoformat() if hasattr(value, 'isoformat') else ''}"))
        elif isinstance(value, (list, tuple)):
            h.update(b"l" + struct.pack("<Q", len(value)))
            for item in value:
                h.update(self.part(item, depth, attributes))
        elif isinstance(value, dict):
            items = sorted((self.digest(k, depth, attributes), self.digest(v, depth, attributes))
                           for k, v in value.items())
            h.update(b"m" + struct.pack("<Q", len(items)) + b"".join(a + b for a, b in items))
        elif isinstance(value, (set, frozenset)):
            h.update(b"t" + b"".join(sorted(self.digest(v, depth, attributes) for v in value)))
        elif (text := self._plain_dataclass(value)) is not None:
            h.update(b"F" + _text(f"{type(value).__module__}.{type(value).__qualname__}:{text}"))
        elif isinstance(value, type) or not hasattr(value, "__dict__"):
            # Functions, classes and unknown kinds (iterators, slotted objects): their name or
            # repr (often with an address, which at worst renders the page again). Never
            # iterate them: it would consume them.
            h.update(b"r" + _text(f"{type(value).__qualname__}:{getattr(value, '__qualname__', None) or value!r}"))
        else:
            self._feed_object(h, value, depth, attributes)

    def _readable(self, value, attributes):
        """The names of ``attributes`` that ``value`` has (its own or its class's)."""
        key = (type(value), id(attributes))
        names = self._class_names.get(key)
        if names is None:
            names = self._class_names[key] = attributes & set(dir(type(value)))
        return names | (attributes & vars(value).keys())

    def _feed_object(self, h, value, depth, attributes):
        cls = type(value)
        h.update(b"o" + _text(f"{cls.__module__}.{cls.__qualname__}"))
        if depth >= MAX_DEPTH:
            self._feed_identity(h, value)
            return
        if cls.__str__ is not object.__str__:
            h.update(b"S" + _text(self._safe(str, value)))
        whole = False
        readable = sorted(self._readable(value, attributes))
        own = vars(value)
        # A name its class does not have is read from the instance's dict: that is what getattr
        # returns (no class attribute, so no descriptor, comes first), without the memo's cost.
        on_class = self._class_names[(cls, id(attributes))] if cls.__getattribute__ is object.__getattribute__ \
            else None
        pieces = []  # fed at once: the same bytes as one update per piece, in fewer calls
        for name in readable:
            if name in SKIPPED_ATTRIBUTES:
                continue
            if on_class is not None and name not in on_class:
                attribute = own[name]
            else:
                try:
                    attribute = self._attribute(value, name)
                except Exception as exc:  # noqa: BLE001 - a failing property reads as its error
                    pieces.append(_text(name) + b"!" + _text(type(exc).__name__))
                    continue
            if type(attribute) not in _NO_SELF and getattr(attribute, "__self__", None) is value:
                whole = True  # a method: its result may depend on anything the object holds
                continue
            pieces.append(_text(name))
            pieces.append(self.part(attribute, depth + 1, attributes))
        h.update(b"".join(pieces))
        if whole:
            for name in sorted(own):
                if name not in SKIPPED_ATTRIBUTES:
                    h.update(b"W" + _text(name) + self.part(own[name], depth + 1, attributes))

    def _attribute(self, value, name):
        # Only _feed_object calls this, for the value digest() is digesting, so its id is its
        # own; digest() drops the entry of a value it does not keep alive.
        known = self._attributes.get(id(value))
        if known is None:
            known = self._attributes[id(value)] = {}
        if name in known:
            return known[name]
        attribute = known[name] = getattr(value, name)
        return attribute

    @staticmethod
    def _safe(function, value):
        try:
            return function(value)
        except Exception as exc:  # noqa: BLE001
            return f"!{type(exc).__name__}"

    def _feed_identity(self, h, value):
        # The strings are fed, not digested: a property (``url``) makes a new string on every
        # access, so a memo entry for it would never be read again, only kept alive (a fifth
        # of the memos' entries at 10,000 articles).
        pieces = []
        for name in IDENTITY_ATTRIBUTES:
            try:
                attribute = getattr(value, name, None)
            except Exception:  # noqa: BLE001 - a property that fails is no identity
                attribute = None
            pieces.append(_text(name))
            # part() of a string or None is its own tagged bytes, never a memo entry.
            plain = attribute is None or isinstance(attribute, str)
            pieces.append(self.part(attribute, MAX_DEPTH, _NO_ATTRIBUTES) if plain else b"?")
        h.update(b"".join(pieces))

    def parts(self, reads, localcontext):
        """{name: hex digest of its value} for every name the template reads."""
        names = reads.names
        wanted = sorted(localcontext) if names is ALL_NAMES else sorted(names | {"output_file", "SITEURL"})
        return {name: (self.digest(localcontext[name], 0, reads.attributes).hex() if name in localcontext else "-")
                for name in wanted}

    @staticmethod
    def page(template_name, parts):
        """The signature of rendering ``template_name`` with values of these ``parts()``."""
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(_text(template_name))
        for name, digest in parts.items():
            hasher.update(_text(name) + _text(digest))
        return hasher.hexdigest()
