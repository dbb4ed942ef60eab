"""Automatic campaign tagging: phrase rules with weights, exclusions, negations and windows.

Pure code, no Pelican. :class:`Matcher` compiles ONE regular expression per campaign (an
alternation of its phrases, longest first) and one for its exclusions, so tagging an article
costs one scan of each field per campaign: linear in article length x campaigns.

Matching is on NFC text, case-insensitive, whole words only and never diacritic-folded:
"đảng" does not match "đẳng", "đảng viên" does not match "đồng đẳng viên". Inside a phrase
a space also matches ", ", "-", "–" or "/" ("phòng chống" = "phòng, chống"), and the two
tone placements of oa/oe/uy syllables are equivalent ("hoá" = "hóa", "thuỷ" = "thủy").

Score of a campaign = sum over its phrases and fields of
``weight x field weight x (1 + 0.5 x (repeats, at most max_repeats - 1))``, plus the window
bonus once when an event date the article mentions falls in one of its windows, or when the
publication date does and the campaign is named prominently (title, summary or the body's
lead paragraph: a passing mention at the end of an article published in June is not news of
the June campaign). Matches inside an exclusion phrase or right after a negation ("không tổ chức
...", "chưa triển khai ...") do not count. Tagged when the score reaches the threshold.
"""

import datetime as _dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from plugins.vntext import find_event_dates, format_short_date, nfc, tone_variants
from plugins.vntext.eventdates import strip_html

__all__ = ["DEFAULTS", "Assessment", "Matcher", "Reason", "phrase_pattern", "plain_text"]

# Defaults beside their documentation (Python-Markdown style): key -> [default, description].
CONFIG = {
    "field_weights": [{"title": 3.0, "summary": 2.0, "body": 1.0}, "weight of a match per field"],
    "threshold": [3.0, "score an article needs to be tagged"],
    "window_bonus": [1.5, "added once when a publication or event date is in a window"],
    "max_repeats": [3, "occurrences of one phrase in one field that count (each repeat half)"],
    "max_event_span_days": [62, "longer mentioned spans ('năm 2022') say nothing about windows"],
}
DEFAULTS = {key: value[0] for key, value in CONFIG.items()}
FIELDS = ("title", "summary", "body")

# Words that, just before a phrase in the same clause, negate it ("không tổ chức Ngày hội ...").
NEGATION_CUES = frozenset({"không", "chưa", "chẳng", "chả", "hoãn", "hủy", "huỷ", "dừng"})
# Idioms that start with a cue but do not negate ("không ngừng đẩy mạnh", "không chỉ ...").
_NOT_NEGATIONS = re.compile(r"(?<!\w)(?:không|chẳng)\s+(?:ngừng|chỉ|những|ít|phải\s+chỉ)(?!\w)", re.I)
_NEGATION_WORDS = 4
_NEGATION_CHARS = 48
_CLAUSE_END = re.compile(r"[.;:!?\n()“”\"]")

_SEPARATOR = r"(?:\s*[,;/\-–—]\s*|\s+)"


def phrase_pattern(phrase):
    """Regex source for a phrase: words in order, flexible separators, tone variants.

    >>> bool(re.fullmatch(phrase_pattern("phòng, chống ma túy"), "phòng chống ma tuý"))
    True
    """
    words = re.findall(r"\w+", nfc(phrase))
    parts = []
    for word in words:
        variants = sorted(tone_variants(word), key=lambda v: (-len(v), v))
        parts.append(re.escape(variants[0]) if len(variants) == 1 else "(?:" + "|".join(map(re.escape, variants)) + ")")
    return _SEPARATOR.join(parts)


def _alternation(phrases):
    """One compiled regex for many phrases; group ``p<i>`` tells which phrase matched."""
    order = sorted(range(len(phrases)), key=lambda i: (-len(phrases[i]), phrases[i]))
    body = "|".join(f"(?P<p{i}>{phrase_pattern(phrases[i])})" for i in order)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def plain_text(value):
    """NFC plain text of a field that may be HTML (Pelican content, escaped titles)."""
    if not value:
        return ""
    return nfc(strip_html(str(value)))


@dataclass(frozen=True)
class Reason:
    """Why a campaign was (or was not) given. ``rule`` is one of metadata, phrase, window,
    implied (counted) or negated, excluded, no-window (not counted)."""

    rule: str
    field: str = ""
    phrase: str = ""
    matched: str = ""
    count: int = 0
    points: float = 0.0
    window: str = ""
    detail: str = ""

    def describe(self):
        if self.rule == "phrase":
            times = f" x{self.count}" if self.count > 1 else ""
            return f"phrase {self.phrase!r} in {self.field} (as {self.matched!r}){times}: +{self.points:g}"
        if self.rule == "window":
            return f"window {self.window}: {self.detail}: +{self.points:g}"
        if self.rule in ("negated", "excluded"):
            return f"{self.rule}: {self.phrase!r} in {self.field} ({self.detail}): not counted"
        return f"{self.rule}: {self.detail}"


@dataclass(frozen=True)
class Assessment:
    campaign: object
    score: float
    tagged: bool
    reasons: tuple = ()
    ignored: tuple = ()

    @property
    def slug(self):
        return self.campaign.slug


@dataclass
class _Compiled:
    campaign: object
    regex: object
    exclude: object = None
    phrases: tuple = field(default_factory=tuple)


class Matcher:
    """Tags articles against a :class:`~plugins.campaigns.registry.Registry`."""

    def __init__(self, registry, **options):
        unknown = set(options) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"campaigns: unknown matcher option(s) {sorted(unknown)}")
        self.registry = registry
        self.options = {**DEFAULTS, **options}
        self.field_weights = {**DEFAULTS["field_weights"], **self.options["field_weights"]}
        self._compiled = []
        for campaign in registry:
            texts = tuple(p.text for p in campaign.phrases)
            self._compiled.append(
                _Compiled(
                    campaign,
                    _alternation(texts),
                    _alternation(campaign.exclude) if campaign.exclude else None,
                    campaign.phrases,
                )
            )

    # --- public API -------------------------------------------------------------------

    def assess(self, title="", summary="", body="", date=None, event_dates=None):
        """Every campaign with any evidence, in registry order, tagged or not (for explain)."""
        fields = {"title": plain_text(title), "summary": plain_text(summary), "body": plain_text(body)}
        day = _as_date(date)
        if event_dates is None:
            event_dates = self.event_dates(fields, day)
        events = self._short_events(event_dates)
        results = []
        for compiled in self._compiled:
            result = self._assess_one(compiled, fields, day, events)
            if result is not None:
                results.append(result)
        return self._with_implied(results)

    def tag(self, title="", summary="", body="", date=None, event_dates=None):
        """Only the campaigns the article gets."""
        return [a for a in self.assess(title, summary, body, date, event_dates) if a.tagged]

    def event_dates(self, fields, day):
        """Dates the text mentions, via vntext.find_event_dates."""
        text = "\n".join(fields[name] for name in FIELDS if fields.get(name))
        return find_event_dates(text, day.year if day else None)

    # --- internals ---------------------------------------------------------------------

    def _short_events(self, event_dates):
        spans = []
        for event in event_dates or ():
            span = _event_span(event)
            if span and (span[1] - span[0]).days <= self.options["max_event_span_days"]:
                spans.append(span)
        return spans

    def _assess_one(self, compiled, fields, day, events):
        counts, ignored = {}, []
        prominent = False  # a counted match in the title, the summary or the body's lead paragraph
        lead_end = _lead_end(fields["body"])
        for name in FIELDS:
            text = fields[name]
            if not text:
                continue
            excluded = _spans(compiled.exclude, text) if compiled.exclude else []
            for match in compiled.regex.finditer(text):
                index = int(match.lastgroup[1:])
                phrase = compiled.phrases[index].text
                if _inside(excluded, match.start(), match.end()):
                    outer = next(text[s:e] for s, e in excluded if s <= match.start() and match.end() <= e)
                    ignored.append(Reason("excluded", name, phrase, match.group(0), detail=f"inside {outer!r}"))
                    continue
                cue = _negation(text, match.start())
                if cue:
                    ignored.append(Reason("negated", name, phrase, match.group(0), detail=f"after {cue!r}"))
                    continue
                prominent = prominent or name != "body" or match.start() < lead_end
                key = (index, name)
                if key in counts:
                    counts[key][1] += 1
                else:
                    counts[key] = [match.group(0), 1]
        if not counts and not ignored:
            return None
        reasons, score = [], 0.0
        repeats = max(1, int(self.options["max_repeats"]))
        for (index, name), (matched, count) in sorted(counts.items(), key=lambda kv: (FIELDS.index(kv[0][1]), kv[0][0])):
            phrase = compiled.phrases[index]
            points = phrase.weight * self.field_weights[name] * (1 + 0.5 * (min(count, repeats) - 1))
            score += points
            reasons.append(Reason("phrase", name, phrase.text, matched, count, round(points, 3)))
        campaign = compiled.campaign
        in_window = self._window_reason(campaign, day if prominent else None, events) if campaign.windows else None
        if in_window and score > 0:
            score += self.options["window_bonus"]
            reasons.append(in_window)
        tagged = score >= self.options["threshold"]
        if tagged and campaign.require_window and not in_window:
            tagged = False
            ignored.append(Reason("no-window", detail="outside every window of the campaign: " + ", ".join(campaign.window_labels())))
        return Assessment(campaign, round(score, 3), tagged, tuple(reasons), tuple(ignored))

    def _window_reason(self, campaign, day, events):
        bonus = self.options["window_bonus"]
        for window in campaign.windows:
            if day and window.contains(day):
                return Reason("window", window=window.label(), points=bonus,
                              detail=f"published {format_short_date(day)}")
        for start, end in events:
            for window in campaign.windows:
                if window.overlaps(start, end):
                    when = format_short_date(start) if start == end else f"{format_short_date(start)} – {format_short_date(end)}"
                    return Reason("window", window=window.label(), points=bonus, detail=f"event date {when} mentioned")
        return None

    def _with_implied(self, results):
        tagged = {a.slug for a in results if a.tagged}
        extra = {}
        for assessment in results:
            if not assessment.tagged:
                continue
            for slug in assessment.campaign.implies:
                if slug not in tagged and slug not in extra:
                    extra[slug] = assessment.slug
        if not extra:
            return results
        by_slug = {a.slug: a for a in results}
        merged = []
        for campaign in self.registry:
            current = by_slug.get(campaign.slug)
            if campaign.slug in extra:
                reason = Reason("implied", detail=f"implied by {extra[campaign.slug]}")
                merged.append(Assessment(campaign, current.score if current else 0.0, True,
                                         (current.reasons if current else ()) + (reason,),
                                         current.ignored if current else ()))
            elif current is not None:
                merged.append(current)
        return merged


def _as_date(value):
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    raise TypeError(f"not a date: {value!r}")


def _event_span(event):
    """(start, end) dates from an EventDate, a dict with ISO strings, a date or a pair."""
    try:
        if isinstance(event, dict):
            start, end = event.get("start"), event.get("end", event.get("start"))
        elif isinstance(event, (tuple, list)) and len(event) >= 2:
            start, end = event[0], event[1]
        elif hasattr(event, "start"):
            start, end = event.start, getattr(event, "end", event.start)
        else:
            start = end = event
        start, end = (_dt.date.fromisoformat(v) if isinstance(v, str) else _as_date(v) for v in (start, end))
    except (TypeError, ValueError):
        return None
    return (start, end) if start and end and start <= end else None


def _lead_end(body):
    """End offset of the body's lead (first non-empty paragraph)."""
    start = len(body) - len(body.lstrip())
    end = body.find("\n", start)
    return len(body) if end < 0 else end


def _spans(regex, text):
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _inside(spans, start, end):
    """True when [start, end) lies inside one of the sorted, non-overlapping spans."""
    position = bisect_right(spans, (start, float("inf"))) - 1
    return position >= 0 and spans[position][0] <= start and end <= spans[position][1]


def _negation(text, start):
    """The negation cue in the few words before ``start`` (same clause), or ''."""
    before = text[max(0, start - _NEGATION_CHARS):start]
    cut = None
    for cut in _CLAUSE_END.finditer(before):
        pass
    if cut is not None:
        before = before[cut.end():]
    before = _NOT_NEGATIONS.sub(" ", before)
    words = re.findall(r"\w+", before)[-_NEGATION_WORDS:]
    for word in reversed(words):
        if word.lower() in NEGATION_CUES:
            return word
    return ""
