"""Automatic campaign tagging: is an article ABOUT a campaign, not does it mention it.

Pure code, no Pelican. :class:`Matcher` builds ONE word automaton for every phrase of every
campaign (key phrases, exclusions, evidence against) and the registry's abroad/domestic cues, and
reads each field of an article once: cost is linear in the article's length, whatever the number
of campaigns (see :class:`PhraseIndex`).

Matching is on NFC text, case-insensitive, whole words, never diacritic-folded ("đảng" never
matches "đẳng"); inside a phrase a space also matches ", " "-" "–" "/" ("phòng chống" = "phòng,
chống"), never a sentence break; both tone placements are equal ("hoá" = "hóa", "thuỷ" = "thủy").
Matches inside an exclusion phrase, or just after a negation in the same clause ("không tổ
chức ..."), do not count.

An article gets a campaign when one of these holds (every decision is a :class:`Reason`):

1. **headline**: the campaign is named in the title, the editor's summary or the lead (first
   paragraph): each distinct phrase there scores ``weight x field weight`` of its most
   prominent field (title 3, summary 2, lead 1.5), and they reach ``threshold`` (3.5), from a
   name (a phrase of weight >= 2), two distinct phrases or a phrase in the title (one topic
   word in a summary, "không rõ nguồn gốc", says nothing). Then support: a strong name in the
   title/summary (``strong_threshold``, 6) needs nothing more, a weaker one a mention further
   down the body, a name only in the lead a second sentence of the body (a lead that names the
   election as the context of a traffic report is not an election story);
2. **announced**: the campaign's own name (weight >= 2.5) and a date inside one of its
   recurring windows in the same paragraph ("Tháng hành động ... từ ngày 15/11 - 15/12/2022");
3. **dominant in the body**: distinct phrases in the body score at least ``body_threshold``
   (4), with at least 2 distinct phrases, in at least 2 paragraphs (sentences for a body of
   fewer than 3 paragraphs) and in at least ``min_share`` (20 %) of them (``min_share_unnamed``,
   40 %, when nothing of the campaign is in the title, summary or lead), at a density of at
   least ``min_density`` matches per 1,000 characters, in an article that names Vietnam or a
   Vietnamese place: a closing sentence, one section of a round-up or one item of a list is not
   enough.

Evidence against vetoes 1 and 3: the headline speaks of a foreign country rather than Vietnam,
or the whole text does (the registry's ``abroad``/``domestic`` cues; "thành phố" right before a
foreign place names that place), or the campaign's ``against`` phrases (product marketing, a
single accident, a jam or a fire, vaccine research...) weigh at least as much as its own
phrases. A campaign with ``require_window`` is only given when the publication date or a date
the article mentions is inside a window. Long mentioned spans ("năm 2022") say nothing about a
window.
"""

import datetime as _dt
import re
from dataclasses import dataclass, field

from plugins.vntext import find_event_dates, format_short_date, nfc, strip_invisible, tone_variants
from plugins.vntext.eventdates import strip_html

__all__ = ["CONFIG", "DEFAULTS", "Assessment", "Matcher", "PhraseIndex", "Reason", "phrase_pattern", "plain_text"]

# Defaults beside their documentation (Python-Markdown style): key -> [default, description].
CONFIG = {
    "field_weights": [{"title": 3.0, "summary": 2.0, "lead": 1.5, "body": 1.0}, "weight of a phrase per field"],
    "threshold": [3.5, "headline score (title, summary, lead) that names the campaign"],
    "strong_threshold": [6.0, "title + summary score that needs no other mention (a name, weight 2, in the title)"],
    "body_threshold": [4.0, "body score for a campaign that dominates the body"],
    "min_density": [1.0, "matches per 1,000 body characters for a dominant campaign"],
    "min_share": [0.2, "share of the body's paragraphs (sentences) a dominant campaign appears in"],
    "min_share_unnamed": [0.4, "... when nothing of the campaign is in the title, summary or lead"],
    "window_bonus": [1.5, "added to the headline score when a publication or event date is in a window"],
    "max_repeats": [3, "occurrences of one phrase in the body that count (each repeat a quarter)"],
    "max_event_span_days": [62, "longer mentioned spans ('năm 2022') say nothing about windows"],
}
DEFAULTS = {key: value[0] for key, value in CONFIG.items()}
FIELDS = ("title", "summary", "body")
HEADLINE = ("title", "summary", "lead")

# Words that, just before a phrase in the same clause, negate it ("không tổ chức Ngày hội ...").
NEGATION_CUES = frozenset({"không", "chưa", "chẳng", "chả", "hoãn", "hủy", "huỷ", "dừng"})
# Idioms that start with a cue but do not negate ("không ngừng đẩy mạnh", "không chỉ ...").
_NOT_NEGATIONS = frozenset({"ngừng", "chỉ", "những", "ít", "phải"})
_NEGATION_WORDS = 4

_WORD = re.compile(r"\w+")
_HARD_GAP = re.compile(r"[^\s,;/\-–—]")  # a separator two words of one phrase may not have
_CLAUSE_END = re.compile(r"[.;:!?()“”\"]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
# An article naming foreign places at least 4 times as often as Vietnamese ones (and at least
# 3 times, or once when it names no Vietnamese place at all) is news from abroad.
ABROAD_ONLY = 1
ABROAD_RATIO = 4
NAME_WEIGHT = 2.5  # a phrase this heavy is the campaign's own name ("Tháng hành động vì trẻ em")
_LEAD_MAX = 400  # a one-paragraph body (news agencies) has its first sentences as lead
_SHORT_BODY = 400  # a body this short has no room to say more than its headline


def phrase_pattern(phrase):
    """Regex source for a phrase as the matcher reads it (words in order, a space also matching
    ", " "-" "–" "/", both tone placements). Documentation and tests; matching uses
    :class:`PhraseIndex`.

    >>> bool(re.fullmatch(phrase_pattern("phòng, chống ma túy"), "phòng chống ma tuý"))
    True
    """
    parts = []
    for word in _WORD.findall(nfc(phrase)):
        variants = sorted(tone_variants(word), key=lambda v: (-len(v), v))
        parts.append(re.escape(variants[0]) if len(variants) == 1 else "(?:" + "|".join(map(re.escape, variants)) + ")")
    return r"(?:\s*[,;/\-–—]\s*|\s+)".join(parts)


def plain_text(value):
    """NFC plain text of a field that may be HTML (Pelican content, escaped titles), without
    invisible characters (vntext.strip_invisible)."""
    if not value:
        return ""
    return strip_invisible(nfc(strip_html(str(value))))


# --- the automaton ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a phrase of the index stands for: ``kind`` is key, exclude, against, abroad or
    domestic; ``owner`` the campaign's position in the registry (-1 for cues)."""

    kind: str
    owner: int
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Hit:
    entry: Entry
    start: int  # character offsets in the field's text
    end: int
    first: int  # token positions
    last: int


class PhraseIndex:
    """Every phrase as a sequence of canonical words, looked up by its first word.

    Reading a text is one pass over its words: at each word, the phrases starting with it are
    tried longest first (a dictionary lookup per candidate length), so the cost does not grow
    with the number of campaigns. Words are lower-cased NFC with one tone placement chosen
    (``hoá`` and ``hóa`` are one word); phrases may not span a sentence break.
    """

    def __init__(self):
        self._phrases = {}  # tuple of canonical words -> [Entry]
        self._lengths = {}  # first word -> lengths, longest first
        self._canon = {}  # word -> canonical word (a cache for this index only)

    def canonical(self, word):
        canon = self._canon.get(word)
        if canon is None:
            canon = self._canon[word] = min(tone_variants(word.lower()))
        return canon

    def add(self, phrase, entry):
        words = tuple(self.canonical(w) for w in _WORD.findall(nfc(phrase)))
        if not words:
            return
        self._phrases.setdefault(words, []).append(entry)
        lengths = set(self._lengths.get(words[0], ())) | {len(words)}
        self._lengths[words[0]] = tuple(sorted(lengths, reverse=True))

    def scan(self, text):
        """Every phrase occurrence in ``text`` as :class:`Hit` (all lengths, all owners), and the
        text's (lower-cased words, their spans) for the negation test.

        The words are found by one regular expression in C; the Python loop only visits words
        that start some phrase, and only checks the separators of phrases that are there.
        """
        lowered = text.lower()
        if len(lowered) != len(text):  # a rare letter whose lower case is longer: keep offsets
            lowered = text
        tokens = _WORD.findall(lowered)
        get = self._canon.get
        canons = list(map(get, tokens))
        if None in canons:
            canons = [c if c is not None else self.canonical(t) for c, t in zip(canons, tokens)]
        lengths, phrases = self._lengths, self._phrases
        starts = [i for i, c in enumerate(canons) if c in lengths]
        hits, spans = [], None
        for i in starts:
            for length in lengths[canons[i]]:
                last = i + length - 1
                if last >= len(canons):
                    continue
                entries = phrases.get(tuple(canons[i:last + 1]))
                if not entries:
                    continue
                if spans is None:
                    spans = [m.span() for m in _WORD.finditer(lowered)]
                if any(_HARD_GAP.search(text, spans[j - 1][1], spans[j][0]) for j in range(i + 1, last + 1)):
                    continue
                for entry in entries:
                    hits.append(Hit(entry, spans[i][0], spans[last][1], i, last))
        return hits, (tokens, spans or [])


# --- reasons and assessments ----------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a campaign was (or was not) given.

    ``rule``: metadata, implied, decision (the outcome and the test that decided it), phrase,
    window (counted); excluded, negated, against, abroad, no-window (evidence not counted or
    counted against).
    """

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
            gain = f": {self.detail}" if self.detail else f": +{self.points:g}"
            return f"phrase {self.phrase!r} in {self.field} (as {self.matched!r}){times}{gain}"
        if self.rule == "against":
            times = f" x{self.count}" if self.count > 1 else ""
            return f"against: {self.phrase!r} in {self.field}{times}: -{self.points:g} ({self.detail})"
        if self.rule == "window":
            return f"window {self.window}: {self.detail}" + (f": +{self.points:g}" if self.points else "")
        if self.rule in ("negated", "excluded"):
            return f"{self.rule}: {self.phrase!r} in {self.field} ({self.detail}): not counted"
        return f"{self.rule}: {self.detail}"


@dataclass(frozen=True)
class Assessment:
    """The verdict on one campaign for one article. ``score`` is the headline score (title,
    summary, lead, window bonus), ``body_score`` the body's; ``reasons`` starts with the
    decision."""

    campaign: object
    score: float
    tagged: bool
    reasons: tuple = ()
    ignored: tuple = ()
    body_score: float = 0.0

    @property
    def slug(self):
        return self.campaign.slug

    @property
    def decision(self):
        return next((r.detail for r in self.reasons if r.rule == "decision"), "")


@dataclass
class _Evidence:
    """Counted matches of one campaign in one article, by field."""

    counts: dict = field(default_factory=dict)  # (phrase text, field) -> [matched, count, weight]
    units: set = field(default_factory=set)  # body units (paragraphs/sentences) with a match
    sentences: set = field(default_factory=set)  # body sentences with a match
    body_hits: int = 0
    name_paragraphs: set = field(default_factory=set)  # paragraphs where a name (weight >= 2) is
    against: dict = field(default_factory=dict)  # (phrase, field) -> [count, weight]
    ignored: list = field(default_factory=list)


class Matcher:
    """Tags articles against a :class:`~plugins.campaigns.registry.Registry`."""

    def __init__(self, registry, **options):
        unknown = set(options) - set(DEFAULTS)
        if unknown:
            raise ValueError(f"campaigns: unknown matcher option(s) {sorted(unknown)}")
        self.registry = registry
        self.options = {**DEFAULTS, **options}
        self.field_weights = {**DEFAULTS["field_weights"], **self.options["field_weights"]}
        self.campaigns = tuple(registry)
        self.index = PhraseIndex()
        for owner, campaign in enumerate(self.campaigns):
            for phrase in campaign.phrases:
                self.index.add(phrase.text, Entry("key", owner, phrase.text, phrase.weight))
            for text in campaign.exclude:
                self.index.add(text, Entry("exclude", owner, text))
            for phrase in getattr(campaign, "against", ()):
                self.index.add(phrase.text, Entry("against", owner, phrase.text, phrase.weight))
        for kind in ("abroad", "domestic"):
            for text in getattr(registry, kind, ()):
                self.index.add(text, Entry(kind, -1, text))

    # --- public API -------------------------------------------------------------------------

    def assess(self, title="", summary="", body="", date=None, event_dates=None):
        """Every campaign with any evidence, in registry order, tagged or not (for explain)."""
        fields = {"title": plain_text(title), "summary": plain_text(summary), "body": plain_text(body)}
        day = _as_date(date)
        if event_dates is None:
            event_dates = self.event_dates(fields, day)
        events = self._short_events(event_dates)
        evidence, cues, units = self._read(fields)
        abroad = self._abroad(cues)
        placed = cues["domestic"] + cues["body domestic"] > 0  # names Vietnam or a Vietnamese place
        results = []
        for owner, campaign in enumerate(self.campaigns):
            found = evidence.get(owner)
            if found is not None and (found.counts or found.ignored):
                results.append(self._judge(campaign, found, fields, units, day, events, abroad, placed))
        return self._with_implied(results)

    def tag(self, title="", summary="", body="", date=None, event_dates=None):
        """Only the campaigns the article gets."""
        return [a for a in self.assess(title, summary, body, date, event_dates) if a.tagged]

    def event_dates(self, fields, day):
        """Dates the text mentions, via vntext.find_event_dates."""
        text = "\n".join(fields[name] for name in FIELDS if fields.get(name))
        return find_event_dates(text, day.year if day else None)

    # --- reading: one pass per field ------------------------------------------------------------

    def _read(self, fields):
        """Evidence per campaign, abroad/domestic cues of the headline, body unit count."""
        evidence, cues = {}, {"abroad": 0, "domestic": 0, "body abroad": 0, "body domestic": 0}
        body = fields["body"]
        lead_end = _lead_end(body)
        paragraphs = _paragraph_starts(body)
        units = _unit_starts(body, paragraphs)
        sentences = units if len(paragraphs) < 3 else _sentence_starts(body)
        for name in FIELDS:
            text = fields[name]
            if not text:
                continue
            hits, words = self.index.scan(text)
            excluded = {}
            for hit in hits:
                if hit.entry.kind == "exclude":
                    excluded.setdefault(hit.entry.owner, []).append(hit)
            kept = _longest_per_owner(h for h in hits if h.entry.kind in ("key", "against"))
            for hit in kept:
                where = name if name != "body" or hit.start >= lead_end else "lead"
                found = evidence.setdefault(hit.entry.owner, _Evidence())
                if hit.entry.kind == "against":
                    slot = found.against.setdefault((hit.entry.text, where), [0, hit.entry.weight])
                    slot[0] += 1
                    continue
                matched = text[hit.start:hit.end]
                outer = next((e for e in excluded.get(hit.entry.owner, ())
                              if e.start <= hit.start and hit.end <= e.end), None)
                if outer is not None:
                    found.ignored.append(Reason("excluded", where, hit.entry.text, matched,
                                                detail=f"inside {text[outer.start:outer.end]!r}"))
                    continue
                cue = _negation(text, words, hit.first)
                if cue:
                    found.ignored.append(Reason("negated", where, hit.entry.text, matched, detail=f"after {cue!r}"))
                    continue
                slot = found.counts.setdefault((hit.entry.text, where), [matched, 0, hit.entry.weight])
                slot[1] += 1
                if name == "body":
                    found.body_hits += 1
                    found.units.add(_position(units, hit.start))
                    found.sentences.add(_position(sentences, hit.start))
                    if hit.entry.weight >= NAME_WEIGHT:
                        found.name_paragraphs.add(_position(paragraphs, hit.start))
            # "thành phố Osaka", "tỉnh Quảng Đông": a domestic cue right before a foreign place
            # names the foreign place, not Vietnam.
            foreign_at = {hit.first for hit in hits if hit.entry.kind == "abroad"}
            for hit in hits:
                kind = hit.entry.kind
                if kind not in ("abroad", "domestic") or (kind == "domestic" and hit.last + 1 in foreign_at):
                    continue
                cues[kind if name != "body" or hit.start < lead_end else "body " + kind] += 1
        return evidence, cues, len(units)

    @staticmethod
    def _abroad(cues):
        if cues["abroad"] and cues["abroad"] > cues["domestic"]:
            return (f"the title, summary and lead name foreign places {cues['abroad']} time(s) "
                    f"and Vietnamese ones {cues['domestic']} time(s)")
        abroad, domestic = cues["abroad"] + cues["body abroad"], cues["domestic"] + cues["body domestic"]
        if abroad >= max(ABROAD_ONLY, 3 if domestic else 1) and abroad >= ABROAD_RATIO * domestic:
            return (f"the article names foreign places {abroad} time(s) and Vietnamese ones "
                    f"{domestic} time(s)")
        return ""

    # --- judging one campaign ---------------------------------------------------------------------

    def _judge(self, campaign, found, fields, units, day, events, abroad, placed=True):
        options, weights = self.options, self.field_weights
        reasons, ignored = [], list(found.ignored)
        headline = body_score = 0.0
        repeats = max(1, int(options["max_repeats"]))
        distinct_body = set()
        order = {name: i for i, name in enumerate(HEADLINE + ("body",))}
        best = {}  # phrase -> its most prominent headline field: each distinct phrase counts once
        for (text, where), _slot in found.counts.items():
            if where != "body" and (text not in best or weights[where] > weights[best[text]]):
                best[text] = where
        for (text, where), (matched, count, weight) in sorted(found.counts.items(), key=lambda kv: (order[kv[0][1]], kv[0][0])):
            if where == "body":
                points = weight * (1 + 0.25 * (min(count, repeats) - 1))
                body_score += points
                distinct_body.add(text)
            else:
                points = weight * weights[where] if best[text] == where else 0.0
                headline += points
                if not points:
                    reasons.append(Reason("phrase", where, text, matched, count, 0.0,
                                          detail=f"counted once, in the {best[text]}"))
                    if where == "lead":
                        body_score += weight
                        distinct_body.add(text)
                    continue
                if where == "lead":  # the lead is part of the body too
                    body_score += weight
                    distinct_body.add(text)
            reasons.append(Reason("phrase", where, text, matched, count, round(points, 3)))
        against_headline = against_body = 0.0
        for (text, where), (count, weight) in sorted(found.against.items(), key=lambda kv: (order[kv[0][1]], kv[0][0])):
            points = weight * (weights[where] if where != "body" else 1 + 0.25 * (min(count, repeats) - 1))
            if where == "body":
                against_body += points
            else:
                against_headline += points
            ignored.append(Reason("against", where, text, count=count, points=round(points, 3),
                                  detail=campaign.against_label or "evidence against"))
        window = self._window_reason(campaign, day if headline else None, events) if campaign.windows else None
        # A recurring window (an action month) makes a headline mention likelier to be news of
        # the campaign; a fixed window of months or years says nothing more than the date.
        recurring = any(w.recurring for w in campaign.windows)
        if window is not None and headline and recurring:
            headline += options["window_bonus"]
            reasons.append(Reason("window", window=window.window, points=options["window_bonus"], detail=window.detail))
        elif window is not None:
            reasons.append(Reason("window", window=window.window, detail=window.detail + " (no bonus)"))

        tagged, decision = self._decide(campaign, found, fields, units, headline, body_score,
                                        distinct_body, against_headline, against_body, abroad, day, reasons,
                                        placed)
        if tagged and campaign.require_window and not self._in_window(campaign, day, events):
            tagged = False
            mentioned = ", ".join(_span_label(s) for s in events) or "none"
            decision = (f"not tagged: {decision.split(': ', 1)[-1]}, but the campaign is only given inside "
                        f"its window(s) {', '.join(campaign.window_labels())}: published "
                        f"{format_short_date(day) if day else '(no date)'}, short dates mentioned: {mentioned}")
            ignored.append(Reason("no-window", detail=decision.split("but ", 1)[1]))
        reasons.insert(0, Reason("decision", detail=decision))
        return Assessment(campaign, round(headline, 3), tagged, tuple(reasons), tuple(ignored), round(body_score, 3))

    def _decide(self, campaign, found, fields, units, headline, body_score, distinct_body,
                against_headline, against_body, abroad, day, reasons, placed=True):
        options = self.options
        threshold, body_threshold = options["threshold"], options["body_threshold"]
        body_chars = max(len(fields["body"]), 1)
        density = found.body_hits / body_chars * 1000
        units_hit = len(found.units)  # body paragraphs/sentences (the lead's included) naming it
        sentences_hit = len(found.sentences)
        headline_weights = {}  # distinct phrase in the title/summary/lead -> its weight
        standfirst = 0.0  # the title's and the summary's share of the headline score
        for (text, where), (_m, _count, weight) in found.counts.items():
            if where != "body":
                headline_weights[text] = weight
        for reason in reasons:
            if reason.rule == "phrase" and reason.field in ("title", "summary"):
                standfirst += reason.points
        # Named (a phrase of weight >= 2), clearly described (2 distinct phrases) or the title's
        # subject: one topic word ("không rõ nguồn gốc", "CSGT") in a summary or lead does not
        # say what the article is about.
        described = (any(w >= 2 for w in headline_weights.values()) or len(headline_weights) >= 2
                     or any(where == "title" for (_t, where) in found.counts))
        if abroad and (headline >= threshold or body_score >= body_threshold):
            return False, f"not tagged: abroad: {abroad}"
        # 1. named in the headline
        if headline >= threshold and described:
            if against_headline >= headline:
                return False, (f"not tagged: named in the title/summary/lead (score {headline:g}) but the "
                               f"evidence against there weighs {against_headline:g} "
                               f"({campaign.against_label or 'against'})")
            strong = options["strong_threshold"]
            short = len(fields["body"]) < _SHORT_BODY
            # The title and the summary say what the article is about: a strong name there needs
            # nothing else, a weaker one a mention further down. A name only in the lead (one
            # clause of context, "bảo đảm an ninh cho bầu cử") must come back in another sentence.
            further = sum(1 for (_t, where) in found.counts if where == "body")
            if standfirst >= strong or (standfirst >= threshold and further) or sentences_hit >= 2 or short:
                return True, (f"tagged: named in the title/summary/lead (score {headline:g} >= {threshold:g})"
                              + (f", strongly in the title/summary (score there {standfirst:g} >= {strong:g})"
                                 if standfirst >= strong
                                 else " and mentioned again in the body" if standfirst >= threshold and further
                                 else f" and in {sentences_hit} sentences of the body" if sentences_hit >= 2
                                 else " (short body)"))
            weak = (f"named in the title/summary/lead (score {headline:g} >= {threshold:g}) but "
                    + (f"never again in the body" if standfirst >= threshold else
                       f"only in the lead (title/summary score {standfirst:g} < {threshold:g}) and in "
                       f"{sentences_hit} sentence(s) of the body < 2"))
        elif headline >= threshold:
            words = ", ".join(repr(t) for t in sorted(headline_weights))
            weak = (f"not named in the title/summary/lead: score {headline:g} >= {threshold:g} only from "
                    f"the topic word {words} (no name of weight >= 2, fewer than 2 distinct phrases)")
        else:
            weak = f"not named in the title/summary/lead (score {headline:g} < {threshold:g})"
        # 2. announced with its dates
        announced = self._announced(campaign, found, fields, day)
        if announced:
            return True, f"tagged: {announced}"
        # 3. dominant in the body: more of it when nothing of the campaign is in the headline
        last_only = units_hit == 1 and (units - 1) in found.units
        needs, share = [], units_hit / max(units, 1)
        if body_score < body_threshold:
            needs.append(f"body score {body_score:g} < {body_threshold:g}")
        if len(distinct_body) < 2:
            needs.append(f"{len(distinct_body)} distinct phrase(s) < 2")
        if units_hit < 2:
            needs.append(f"in {units_hit} of {units} paragraph(s)/sentence(s)" + (", the last one" if last_only else "")
                         + " < 2")
        elif share < (min_share := options["min_share"] if headline_weights else options["min_share_unnamed"]):
            needs.append(f"in {units_hit} of {units} paragraphs/sentences ({share:.0%} < {min_share:.0%}"
                         + ("" if headline_weights else ", nothing of it in the title/summary/lead") + ")")
        if density < options["min_density"]:
            needs.append(f"density {density:.2f} < {options['min_density']:g} per 1,000 characters")
        if not needs and not placed:
            return False, (f"not tagged: {weak}; dominant in the body (score {body_score:g}) but nothing in the "
                           "article places it in Vietnam (no Vietnamese place or institution is named)")
        if not needs:
            against = against_headline + against_body
            if against >= body_score:
                return False, (f"not tagged: dominant in the body (score {body_score:g}) but the evidence "
                               f"against weighs {against:g} ({campaign.against_label or 'against'})")
            return True, (f"tagged: dominant in the body (score {body_score:g}, {len(distinct_body)} phrases, "
                          f"{units_hit} of {units} paragraphs/sentences, {density:.2f} per 1,000 characters)")
        return False, f"not tagged: {weak}; not dominant in the body: {'; '.join(needs)}"

    def _announced(self, campaign, found, fields, day):
        """The campaign's own name and a date in one of its recurring windows (an action month,
        a day of the year) in the same body paragraph: the article gives the campaign's dates.
        A fixed window (a year of vaccination) is too long for a date in it to mean anything."""
        recurring = [window for window in campaign.windows if window.recurring]
        if not recurring or not found.name_paragraphs:
            return ""
        body = fields["body"]
        starts = _paragraph_starts(body)
        for index in sorted(found.name_paragraphs):
            end = starts[index + 1] if index + 1 < len(starts) else len(body)
            paragraph = body[starts[index]:end]
            for event in find_event_dates(paragraph, day.year if day else None):
                span = _event_span(event)
                if not span or (span[1] - span[0]).days > self.options["max_event_span_days"]:
                    continue
                for window in recurring:
                    if window.overlaps(*span):
                        return (f"announced with its dates: a name of the campaign and {_span_label(span)} "
                                f"(window {window.label()}) in the same paragraph")
        return ""

    def _in_window(self, campaign, day, events):
        return any(window.contains(day) for window in campaign.windows if day) or any(
            window.overlaps(start, end) for start, end in events for window in campaign.windows)

    def _window_reason(self, campaign, day, events):
        bonus = self.options["window_bonus"]
        for window in campaign.windows:
            if day and window.contains(day):
                return Reason("window", window=window.label(), points=bonus, detail=f"published {format_short_date(day)}")
        for start, end in events:
            for window in campaign.windows:
                if window.overlaps(start, end):
                    return Reason("window", window=window.label(), points=bonus,
                                  detail=f"event date {_span_label((start, end))} mentioned")
        return None

    def _short_events(self, event_dates):
        spans = []
        for event in event_dates or ():
            span = _event_span(event)
            if span and (span[1] - span[0]).days <= self.options["max_event_span_days"]:
                spans.append(span)
        return spans

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
        for campaign in self.campaigns:
            current = by_slug.get(campaign.slug)
            if campaign.slug in extra:
                reason = Reason("implied", detail=f"implied by {extra[campaign.slug]}")
                merged.append(Assessment(campaign, current.score if current else 0.0, True,
                                         (current.reasons if current else ()) + (reason,),
                                         current.ignored if current else (),
                                         current.body_score if current else 0.0))
            elif current is not None:
                merged.append(current)
        return merged


# --- small helpers ------------------------------------------------------------------------------


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


def _span_label(span):
    start, end = span
    return format_short_date(start) if start == end else f"{format_short_date(start)} – {format_short_date(end)}"


def _paragraph_starts(body):
    """Start offsets of the body's non-empty paragraphs (lines)."""
    starts, offset = [], 0
    for line in body.split("\n"):
        if line.strip():
            starts.append(offset)
        offset += len(line) + 1
    return starts or [0]


def _unit_starts(body, paragraphs):
    """Paragraph starts, or sentence starts for a body of fewer than 3 paragraphs."""
    if len(paragraphs) >= 3:
        return paragraphs
    return _sentence_starts(body)


def _sentence_starts(body):
    """Start offsets of the body's sentences (a line break ends one too)."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(body)]


def _position(starts, offset):
    """Index of the unit that holds ``offset`` (starts are sorted)."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _lead_end(body):
    """End offset of the lead: the first paragraph, or its first sentences when it is long."""
    start = len(body) - len(body.lstrip())
    end = body.find("\n", start)
    end = len(body) if end < 0 else end
    if end - start <= _LEAD_MAX:
        return end
    cut = start
    for match in _SENTENCE_END.finditer(body, start, end):
        if match.start() - start > _LEAD_MAX:
            break
        cut = match.start()
    return cut if cut > start else start + _LEAD_MAX


def _longest_per_owner(hits):
    """Per campaign, the longest of overlapping matches (a full name counts once)."""
    kept, taken = [], {}
    for hit in sorted(hits, key=lambda h: (h.first, -(h.last - h.first), h.entry.kind != "key")):
        key = (hit.entry.owner, hit.entry.kind)
        if taken.get(key, -1) >= hit.first:
            continue
        taken[key] = hit.last
        kept.append(hit)
    return kept


def _negation(text, words, first):
    """The negation cue among the few words before word ``first`` in its clause, or ''.
    ``words`` is (lower-cased words, their spans) from :meth:`PhraseIndex.scan`."""
    tokens, spans = words
    for back in range(1, _NEGATION_WORDS + 1):
        index = first - back
        if index < 0:
            return ""
        if _CLAUSE_END.search(text, spans[index][1], spans[index + 1][0]):
            return ""
        if tokens[index] in NEGATION_CUES:
            following = tokens[index + 1] if index + 1 < first else ""
            return "" if following in _NOT_NEGATIONS else tokens[index]
    return ""
