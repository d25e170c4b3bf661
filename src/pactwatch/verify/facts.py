"""Conflicting facts: a document tells one event twice and the tellings disagree.

"Three police officers were injured" in the lead and "five police officers were injured"
further down, about the same attack; "the attack near Prizren" about an attack the lead
placed near Zubin Potok. Many differences are legitimate, and the check keeps away from
them on purpose, because a false alarm on a careful report costs the analyst's trust:

- **figures** (``verify.figures``) are compared only between sentences that extraction
  made mentions of *one* event, only for the same measure ("injured"/"wounded" are one)
  and the same class of noun ("soldiers"/"peacekeepers"/"troops" are one), never a part
  ("11 soldiers of its Italian contingent") with a whole, and never when the stated
  ranges still overlap ("about 30" and "32", "at least 3" and "5");
- a toll that **changes over time** is not a conflict: either sentence with an update
  word ("later", "rose", "initially", "has since", "the toll", "more") is left alone;
- **two sides' claims** are not a conflict of the document: when both sentences are
  attributed ("X said", "according to X") to sources that are not the same, the
  document is reporting a dispute (c11 of the demo corpus: Belgrade says the officers
  were caught inside Serbia, Kurti says near Leposavić; no flag);
- **dates and places**: grouping already keeps records whose dates or places disagree
  apart as separate events, so a retelling is found where the text refers back to the
  event with a definite noun ("the attack", "that meeting") and gives
  it its own explicit date or place ("the attack near Prizren on 1 June", attached by a
  preposition, no clause between). It conflicts when it matches none of the document's
  events of that kind: dates differ at day precision (a bare weekday is too weak a
  reading to contradict anything), settlements differ and lie at least ``MIN_PLACE_KM``
  apart (a village inside its municipality, Banjska in Zvečan, is no conflict).
  "another attack", "an earlier meeting", "a second protest" are new events, not
  retellings.

Each disagreement is one ``warning`` flag on the event, quoting both spans; the
explanation names both values. Participants that disagree are left to the identity
check (``verify.identity``), which knows about surnames and offices.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from pactwatch.extract import Extraction, event_id
from pactwatch.models import Document
from pactwatch.nlp.components.dates import resolve_date
from pactwatch.nlp.records import Event, PlaceMention
from pactwatch.verify.figures import Figure, figures_in, measure_family, noun_class
from pactwatch.verify.flags import Flag, span_evidence

MIN_PLACE_KM = 15.0
"""Two settlements closer than this may be one place named at two scales (village, town)."""
APPROXIMATE_SPREAD = 0.25
"""'about 30' stands for 30 +/- 25%: the range reporters round to."""
RETELLING_WINDOW = 90
"""Characters after the noun ("the attack ...") searched for its date and place."""

_UPDATE = re.compile(
    r"\b(?:later|rose|risen|rising|climbed|increased|updated|revised|initially|initial"
    r"|first reports?|preliminary|earlier reports?|has since|had since|now stands|toll"
    r"|more|another|additional|further|by (?:the )?(?:evening|morning|night|afternoon))\b",
    re.IGNORECASE,
)
_SAID = (
    r"(?:said|says|say|told|claimed|claims|stated|alleged|announced|reported|added|insisted"
    r"|confirmed|maintained|denied|wrote)"
)
_SOURCE_BEFORE = re.compile(
    rf"((?:[\w’'.-]+\s+){{0,4}}?[\w’'.-]+)\s+(?:(?:later|also|earlier|had|has|then)\s+)?{_SAID}\b"
)
_SOURCE_AFTER = re.compile(rf"\b{_SAID}\s+((?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)")
_ACCORDING = re.compile(r"\baccording to\s+([^,.;]+)", re.IGNORECASE)
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "who", "which", "that"})
_SOURCE_STOP = frozenset({"the", "a", "an", "of", "its", "his", "her", "their", "in", "and"})

# Nouns that refer back to an event of a PLOVER type.
EVENT_NOUNS: dict[str, tuple[str, ...]] = {
    "ASSAULT": ("attack", "attacks", "ambush", "shooting", "assault", "bombing", "explosion",
                "blast", "raid"),
    "CONSULT": ("meeting", "talks", "visit", "summit", "call"),
    "PROTEST": ("protest", "protests", "demonstration", "rally"),
    "AGREE": ("agreement", "deal"),
    "COERCE": ("arrest", "arrests", "detention", "raid", "raids"),
    "MOBILIZE": ("deployment", "mobilisation", "mobilization"),
}  # fmt: skip
_DEFINITE = r"(?:the|this|that)"
_NEW_EVENT = re.compile(
    r"\b(?:another|second|third|new|fresh|renewed|earlier|previous|prior|first|latest|last"
    r"|next|separate|similar|further|other|follow-up|subsequent|again)\b",
    re.IGNORECASE,
)
# An explicit day and month ("on 1 June 2023", "on June 1"): a weekday alone leans on
# the publication date and the tense, too weak to call a contradiction.
_DATE_IN_WINDOW = re.compile(
    r"\bon\s+(?:\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"(?:\s+\d{4})?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,?\s+\d{4})?)\b",
    re.IGNORECASE,
)
_SETTLEMENTS = frozenset({"city", "town", "village", "site"})
MAX_GAP_WORDS = 12
"""Words allowed between the noun and its date or place ("the attack on the patrol near")."""
# The words between the noun and its value: prepositional phrases only, no clause.
_GAP_BREAK = re.compile(
    r"[,;:()\"“”]|\b(?:said|says|was|were|is|are|has|have|had|will|would|could|which|who"
    r"|that|and|but|after|before|when|while|as|because|since|until|ended|began|took|left)\b",
    re.IGNORECASE,
)
_PLACE_PREPOSITION = re.compile(
    r"\b(?:in|near|at|outside|inside)\s+(?:the\s+(?:village|town|city|municipality)\s+of\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Sentence:
    start: int
    end: int
    text: str


def fact_flags(document: Document, extraction: Extraction) -> list[Flag]:
    """``conflicting_facts`` flags: figures, dates and places that disagree for one event."""
    flags = _figure_flags(document, extraction)
    flags.extend(_retelling_flags(document, extraction))
    return flags


# --- figures ---------------------------------------------------------------------------


def _figure_flags(document: Document, extraction: Extraction) -> list[Flag]:
    text = document.text
    flags: list[Flag] = []
    seen: set[tuple[int, int]] = set()
    for event in extraction.events:
        if event.modality != "factual":
            continue
        sentences = _mention_sentences(text, event)
        if len(sentences) < 2:
            continue  # figures conflict only between two sentences: no pair to compare
        figures = [(s, f) for s in sentences for f in figures_in(s.text, s.start)]
        for (sa, fa), (sb, fb) in combinations(figures, 2):
            if sa.start == sb.start or (fa.start, fb.start) in seen:
                continue
            if not _figures_conflict(fa, fb) or _legitimate(sa.text, sb.text):
                continue
            seen.add((fa.start, fb.start))
            flags.append(_figure_flag(document, extraction, event, (fa, fb)))
    return flags


def _figures_conflict(a: Figure, b: Figure) -> bool:
    if measure_family(a.measure) != measure_family(b.measure) or a.measure == "count":
        return False
    if noun_class(a.noun) != noun_class(b.noun) or a.group != b.group:
        return False
    low_a, high_a = _range(a)
    low_b, high_b = _range(b)
    return high_a < low_b or high_b < low_a


def _range(figure: Figure) -> tuple[float, float]:
    """The values a stated figure allows, from its qualifier."""
    v = float(figure.value)
    q = figure.qualifier
    if q in ("at least", "over", "more than"):
        return (v + 1 if q != "at least" else v), math.inf
    if q in ("up to", "at most", "as many as"):
        return 0.0, v
    if q in ("fewer than", "less than"):
        return 0.0, v - 1
    if q in ("nearly", "almost"):
        return v * (1 - APPROXIMATE_SPREAD), v
    if figure.approximate:
        return v * (1 - APPROXIMATE_SPREAD), v * (1 + APPROXIMATE_SPREAD)
    return v, v


def _figure_flag(
    document: Document, extraction: Extraction, event: Event, pair: tuple[Figure, Figure]
) -> Flag:
    text = document.text
    a, b = pair
    measure = measure_family(a.measure)
    return Flag(
        "conflicting_facts",
        "warning",
        f"One {_noun(event)}, two figures: {a.text!r} {measure} and later "
        f"{b.text!r} {measure}, with no update or second source to explain it.",
        [span_evidence(text, f.start, f.end, document.id) for f in pair],
        document_id=document.id,
        event_id=event_id(document.id, event),
        details={
            "fact": "figure",
            "measure": measure,
            "noun": noun_class(a.noun),
            "values": [
                {"value": f.value, "text": f.text, "qualifier": f.qualifier, "start": f.start}
                for f in pair
            ],
        },
    )


# --- dates and places of a definite retelling ------------------------------------------


def _retelling_flags(document: Document, extraction: Extraction) -> list[Flag]:
    text = document.text
    published = document.published.date() if document.published else None
    flags: list[Flag] = []
    for kind, nouns in EVENT_NOUNS.items():
        events = [e for e in extraction.events if e.event == kind and e.modality == "factual"]
        if not events:
            continue
        pattern = re.compile(
            rf"\b{_DEFINITE}\s+((?:[\w-]+\s+){{0,2}}?)({'|'.join(nouns)})\b", re.IGNORECASE
        )
        for match in pattern.finditer(text):
            if _NEW_EVENT.search(match.group(1)) or _inside_mention(match.start(), events):
                continue
            flag = _retelling_flag(document, extraction, events, match, published)
            if flag is not None:
                flags.append(flag)
    return flags


def _retelling_flag(
    document: Document,
    extraction: Extraction,
    events: list[Event],
    match: re.Match[str],
    published: date | None,
) -> Flag | None:
    text = document.text
    window_end = _clause_end(text, match.end())
    window = text[match.end() : window_end]
    sentence = _sentence_at(text, match.start())
    said_date = _window_date(window, published)
    place = next(
        (
            p
            for p in extraction.places
            if match.end() <= p.start < window_end
            and p.kind in _SETTLEMENTS
            and _attached(text[match.end() : p.start])
            and _PLACE_PREPOSITION.search(text[match.end() : p.start]) is not None
        ),
        None,
    )
    for fact, told in (("date", said_date), ("place", place)):
        if told is None:
            continue
        others = [e for e in events if _has(e, fact)]
        if not others or any(_agrees(e, fact, told) for e in others):
            continue
        event = others[0]
        first = _mention_sentences(text, event)[0]
        if _different_sources(first.text, sentence.text):
            continue
        told_text = told[0] if isinstance(told, tuple) else told.name
        event_value = event.date if fact == "date" else (event.event_loc or _NO_PLACE).name
        told_span = (
            (match.end() + told[1], match.end() + told[2])
            if isinstance(told, tuple)
            else (told.start, told.end)
        )
        noun = match.group(2).lower()
        return Flag(
            "conflicting_facts",
            "warning",
            f"One {noun} told with two {fact}s: {event_value} where it is first told, "
            f"{told_text!r} where the text refers back to it.",
            [
                span_evidence(text, first.start, first.end, document.id),
                span_evidence(text, *told_span, document.id),
            ],
            document_id=document.id,
            event_id=event_id(document.id, event),
            details={
                "fact": fact,
                "event_value": event_value,
                "retold_value": told_text,
                "retold_at": told_span[0],
            },
        )
    return None


_NO_PLACE = PlaceMention(0, 0, "", "", "site")


def _window_date(window: str, published: date | None) -> tuple[str, int, int] | None:
    """(resolved ISO day, start, end in ``window``) of an explicit date after the noun."""
    found = _DATE_IN_WINDOW.search(window)
    if found is None or not _attached(window[: found.start()]):
        return None
    iso, precision, _relative = resolve_date(found.group(), published, tense="past")
    if iso and precision == "day":
        return iso, found.start(), found.end()
    return None


def _attached(gap: str) -> bool:
    """Whether a value right after ``gap`` can still belong to the noun before it."""
    return _GAP_BREAK.search(gap) is None and len(gap.split()) <= MAX_GAP_WORDS


def _has(event: Event, fact: str) -> bool:
    if fact == "date":
        return event.date is not None and event.date_precision == "day"
    return event.event_loc is not None and event.event_loc.kind in _SETTLEMENTS


def _agrees(event: Event, fact: str, told: tuple[str, int, int] | PlaceMention) -> bool:
    if isinstance(told, tuple):
        return event.date == told[0]
    loc = event.event_loc
    if loc is None or loc.name == told.name:
        return True
    if told.name in (loc.region or "") or loc.name in (told.region or ""):
        return True
    if None in (loc.latitude, loc.longitude, told.latitude, told.longitude):
        return loc.country == told.country  # unknown distance: only another country counts
    return _km(loc, told) < MIN_PLACE_KM


def _km(a: PlaceMention, b: PlaceMention) -> float:
    lat1, lon1, lat2, lon2 = (
        math.radians(x or 0.0) for x in (a.latitude, a.longitude, b.latitude, b.longitude)
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# --- shared helpers ------------------------------------------------------------------


def _noun(event: Event) -> str:
    nouns = EVENT_NOUNS.get(event.event)
    return nouns[0] if nouns else f"{event.event.lower()} event"


def _mention_sentences(text: str, event: Event) -> list[_Sentence]:
    seen: set[int] = set()
    out: list[_Sentence] = []
    for m in sorted(event.mentions, key=lambda m: m.sentence_start):
        if m.sentence_start in seen:
            continue
        seen.add(m.sentence_start)
        out.append(
            _Sentence(m.sentence_start, m.sentence_end, text[m.sentence_start : m.sentence_end])
        )
    return out


def _inside_mention(offset: int, events: list[Event]) -> bool:
    """A noun inside a sentence that is itself a mention is the telling, not a retelling."""
    return any(m.sentence_start <= offset < m.sentence_end for e in events for m in e.mentions)


def _sentence_at(text: str, offset: int) -> _Sentence:
    start = max(text.rfind(". ", 0, offset) + 2, text.rfind("\n", 0, offset) + 1, 0)
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset)) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return _Sentence(start, end, text[start:end])


def _clause_end(text: str, offset: int) -> int:
    limit = min(len(text), offset + RETELLING_WINDOW)
    for i in range(offset, limit):
        if text[i] in ".;:\n" and not (
            text[i] == "." and i + 1 < len(text) and text[i + 1].isalnum()
        ):
            return i
    return limit


def _legitimate(first: str, second: str) -> bool:
    """An update over time, or two sources each giving their own figure."""
    return bool(_UPDATE.search(first) or _UPDATE.search(second)) or _different_sources(
        first, second
    )


def _different_sources(first: str, second: str) -> bool:
    one, other = _source(first), _source(second)
    if not one or not other:
        return False
    return not (one <= other or other <= one)


def _source(sentence: str) -> frozenset[str] | None:
    """The words naming who a sentence is attributed to, or None when it is not."""
    for pattern in (_ACCORDING, _SOURCE_AFTER, _SOURCE_BEFORE):
        found = pattern.search(sentence)
        if found is None:
            continue
        words = [w.casefold().strip("’'.") for w in found.group(1).split()]
        words = [w for w in words if w and w not in _SOURCE_STOP]
        if not words or words[-1] in _PRONOUNS:
            return None
        return frozenset(words[-3:])
    return None
