"""The campaign registry: a TOML file editors keep in ``content/`` (see its header comment).

Pure code, no Pelican: :func:`load_registry` reads and validates the file into immutable
:class:`Campaign` objects; :class:`Registry` looks campaigns up by name, alias or slug and
suggests the closest names for a typo. Dates are day first and go through vntext.
"""

import datetime as _dt
import difflib
import tomllib
from dataclasses import dataclass, field

from plugins.vntext import fold, format_short_date, nfc, parse_vn_date, slugify

__all__ = ["Campaign", "Phrase", "Registry", "RegistryError", "Window", "load_registry", "parse_registry"]

# A leap year, so that a recurring "29/02" is a valid day.
_ANY_YEAR = 2000


class RegistryError(ValueError):
    """An unusable registry; the message names the file and the campaign."""


@dataclass(frozen=True)
class Phrase:
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Window:
    """A time window: recurring every year (``year`` fields None) or a fixed range.

    ``start``/``end`` are dates; for a recurring window their year is irrelevant (2000) and
    ``end`` before ``start`` means the window wraps over the new year ("15/12-15/01").
    """

    start: _dt.date
    end: _dt.date
    recurring: bool
    text: str = ""

    def spans(self, around_year):
        """Concrete (start, end) date ranges of this window near ``around_year``."""
        if not self.recurring:
            return [(self.start, self.end)]
        result = []
        for year in (around_year - 1, around_year, around_year + 1):
            start = _replace_year(self.start, year)
            end_year = year + 1 if (self.end.month, self.end.day) < (self.start.month, self.start.day) else year
            result.append((start, _replace_year(self.end, end_year)))
        return result

    def contains(self, day):
        """True when the date (or datetime) ``day`` falls inside the window."""
        if isinstance(day, _dt.datetime):
            day = day.date()
        return any(start <= day <= end for start, end in self.spans(day.year))

    def overlaps(self, start, end):
        """True when the inclusive date range ``start``..``end`` meets the window."""
        return any(s <= end and start <= e for s, e in self.spans(start.year))

    def label(self):
        """Vietnamese description: "15/11 – 15/12 hằng năm" or "01/01/2022 – 31/12/2022"."""
        if self.recurring:
            first = f"{self.start.day:02d}/{self.start.month:02d}"
            last = f"{self.end.day:02d}/{self.end.month:02d}"
            return f"{first} hằng năm" if first == last else f"{first} – {last} hằng năm"
        first, last = format_short_date(self.start), format_short_date(self.end)
        return first if first == last else f"{first} – {last}"


def _replace_year(day, year):
    try:
        return day.replace(year=year)
    except ValueError:  # 29/02 in a common year
        return day.replace(year=year, day=28)


@dataclass(frozen=True)
class Campaign:
    name: str
    slug: str
    description: str = ""
    theme: str = ""
    aliases: tuple = ()
    phrases: tuple = ()
    exclude: tuple = ()
    windows: tuple = ()
    require_window: bool = False
    implies: tuple = ()
    year_names: tuple = ()  # ((year, name), ...), sorted
    against: tuple = ()  # Phrase: evidence that an article is not about the campaign
    against_label: str = ""  # what the evidence against means ("product marketing")

    def name_for_year(self, year):
        """The campaign's name for ``year`` ("Năm an toàn giao thông 2022"), else its name."""
        return dict(self.year_names).get(year, self.name)

    def window_labels(self):
        return [window.label() for window in self.windows]


@dataclass(frozen=True)
class Registry:
    campaigns: tuple = ()
    source: str = ""
    abroad: tuple = ()  # cues that a headline speaks of a foreign country
    domestic: tuple = ()  # cues that it speaks of Vietnam
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        for campaign in self.campaigns:
            for key in (campaign.slug, campaign.name, *campaign.aliases):
                self._index.setdefault(_key(key), campaign)

    def __iter__(self):
        return iter(self.campaigns)

    def __len__(self):
        return len(self.campaigns)

    def get(self, slug):
        """The campaign with this slug, or None."""
        for campaign in self.campaigns:
            if campaign.slug == slug:
                return campaign
        return None

    def lookup(self, value):
        """Find a campaign by name, alias or slug as an editor wrote it (case, diacritics and
        spacing forgiven), or None."""
        return self._index.get(_key(value))

    def suggest(self, value, count=3):
        """The closest known campaign names for a misspelt ``value`` (difflib on folded names)."""
        choices = {}
        for campaign in self.campaigns:
            for key in (campaign.name, campaign.slug, *campaign.aliases):
                choices.setdefault(_key(key), campaign.name)
        wanted = _key(value)
        close = difflib.get_close_matches(wanted, sorted(choices), n=count * 3, cutoff=0.5)
        if not close:  # nothing close: still offer the best few rather than nothing
            close = sorted(choices, key=lambda k: (-difflib.SequenceMatcher(None, wanted, k).ratio(), k))
        names = []
        for key in close:
            if choices[key] not in names:
                names.append(choices[key])
        return names[:count]


def _key(value):
    """Lookup key for editor-written names: folded, words joined by single spaces."""
    return " ".join(fold(nfc(str(value))).replace("-", " ").split())


# --- loading -------------------------------------------------------------------------------


def load_registry(path):
    """Read and validate the TOML registry at ``path``; raise :class:`RegistryError`."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read the campaign registry: {exc}") from None
    return parse_registry(data, source=str(path))


def parse_registry(data, source="<registry>"):
    """Build a :class:`Registry` from already parsed TOML ``data``."""
    unknown = sorted(set(data) - {"campaign", "abroad", "domestic"})
    if unknown:
        raise RegistryError(f"{source}: unknown top-level key(s) {', '.join(unknown)} (known: abroad, campaign, domestic)")
    items = data.get("campaign", [])
    if not isinstance(items, list):
        raise RegistryError(f"{source}: [[campaign]] must be an array of tables")
    cues = {key: tuple(_text(v, f"{source}: {key}") for v in _list(data.get(key), f"{source}: {key}"))
            for key in ("abroad", "domestic")}
    campaigns, seen = [], {}
    for number, item in enumerate(items, 1):
        campaign = _parse_campaign(item, f"{source}: campaign #{number}")
        if campaign.slug in seen:
            raise RegistryError(
                f"{source}: campaign #{number} {campaign.name!r}: slug {campaign.slug!r} "
                f"already used by {seen[campaign.slug]!r}"
            )
        seen[campaign.slug] = campaign.name
        campaigns.append(campaign)
    for campaign in campaigns:
        for slug in campaign.implies:
            if slug not in seen or slug == campaign.slug:
                raise RegistryError(f"{source}: campaign {campaign.name!r}: implies unknown campaign {slug!r}")
    return Registry(tuple(campaigns), source=source, **cues)


_KEYS = {
    "name", "slug", "description", "theme", "aliases", "phrases", "exclude", "windows",
    "require_window", "implies", "year_names", "against", "against_label",
}


def _parse_campaign(item, where):
    if not isinstance(item, dict):
        raise RegistryError(f"{where}: must be a table")
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    name = _text(item.get("name"), f"{where}: name")
    where = f"{where} {name!r}"
    slug = item.get("slug") or slugify(name)
    if slug != slugify(slug):
        raise RegistryError(f"{where}: slug {slug!r} is not a clean slug (try {slugify(slug)!r})")
    phrases = tuple(_phrase(p, f"{where}: phrases") for p in _list(item.get("phrases"), f"{where}: phrases"))
    if not phrases:
        raise RegistryError(f"{where}: at least one phrase is required")
    year_names = item.get("year_names", {})
    if not isinstance(year_names, dict):
        raise RegistryError(f"{where}: year_names must be a table year = name")
    try:
        years = tuple(sorted((int(year), _text(text, f"{where}: year_names")) for year, text in year_names.items()))
    except ValueError:
        raise RegistryError(f"{where}: year_names keys must be years, got {sorted(year_names)}") from None
    require_window = item.get("require_window", False)
    if not isinstance(require_window, bool):
        raise RegistryError(f"{where}: require_window must be true or false")
    windows = tuple(parse_window(w, f"{where}: windows") for w in _list(item.get("windows"), f"{where}: windows"))
    if require_window and not windows:
        raise RegistryError(f"{where}: require_window needs at least one window")
    return Campaign(
        name=name,
        slug=slug,
        description=nfc(item.get("description", "")).strip(),
        theme=nfc(item.get("theme", "")).strip(),
        aliases=tuple(_text(a, f"{where}: aliases") for a in _list(item.get("aliases"), f"{where}: aliases")),
        phrases=phrases,
        exclude=tuple(_text(e, f"{where}: exclude") for e in _list(item.get("exclude"), f"{where}: exclude")),
        windows=windows,
        require_window=require_window,
        implies=tuple(_text(s, f"{where}: implies") for s in _list(item.get("implies"), f"{where}: implies")),
        year_names=years,
        against=tuple(_phrase(p, f"{where}: against") for p in _list(item.get("against"), f"{where}: against")),
        against_label=nfc(item.get("against_label", "")).strip(),
    )


def _list(value, where):
    if value is None:
        return []
    if not isinstance(value, list):
        raise RegistryError(f"{where}: must be a list")
    return value


def _text(value, where):
    if not isinstance(value, str) or not value.strip():
        raise RegistryError(f"{where}: expected a non-empty string, got {value!r}")
    return " ".join(nfc(value).split())


def _phrase(value, where):
    if isinstance(value, str):
        return Phrase(_text(value, where))
    if isinstance(value, dict) and set(value) <= {"text", "weight"}:
        weight = value.get("weight", 1)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise RegistryError(f"{where}: weight of {value.get('text')!r} must be a positive number")
        return Phrase(_text(value.get("text"), where), float(weight))
    raise RegistryError(f"{where}: a phrase is a string or {{ text = \"...\", weight = 2 }}, got {value!r}")


def parse_window(text, where="window"):
    """Parse "15/11-15/12", "09/11", "01/01/2022-31/12/2022" or "23/05/2021" (day first)."""
    if not isinstance(text, str):
        raise RegistryError(f"{where}: a window is a string like \"15/11-15/12\", got {text!r}")
    value = "".join(nfc(text).split()).replace("–", "-").replace("—", "-")
    parts = value.split("-")
    if len(parts) not in (1, 2) or not all(parts):
        raise RegistryError(f"{where}: cannot read window {text!r}: write dd/mm-dd/mm or dd/mm/yyyy-dd/mm/yyyy")
    try:
        kinds = {p.count("/") for p in parts}
        if kinds == {1}:  # recurring: dd/mm, validated as a day of a leap year by vntext
            days = [parse_vn_date(f"{p}/{_ANY_YEAR}").date() for p in parts]
            return Window(days[0], days[-1], True, text)
        if kinds == {2}:
            days = [parse_vn_date(p).date() for p in parts]
            if days[-1] < days[0]:
                raise RegistryError(f"{where}: window {text!r} ends before it starts")
            return Window(days[0], days[-1], False, text)
    except ValueError as exc:
        if isinstance(exc, RegistryError):
            raise
        raise RegistryError(f"{where}: window {text!r}: {exc}") from None
    raise RegistryError(f"{where}: window {text!r} mixes a recurring and a fixed date")
