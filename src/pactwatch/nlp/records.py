"""What the NLP components put on a spaCy ``Doc``: plain records, JSON-ready.

Each of our components (registered as spaCy factories in ``nlp/components/``) reads the
extensions of the components before it and sets its own, listed here. Records hold
character offsets into ``doc.text`` (never token objects), so they survive pickling
between processes and serialise straight into ``pactwatch extract`` output and the store.

    component        sets                      reads
    pw_parse_repair  heads, deps and tags of   the parse
                     main verbs hung on nouns
    pw_actors        doc._.pw_mentions         doc.ents, tokens
    pw_roles         mention.role_* fields     doc._.pw_mentions, the parse
    pw_names         mention.entity_name,      doc._.pw_mentions
                     candidates (surnames)
    pw_places        doc._.pw_places           doc.ents, tokens
    pw_dates         doc._.pw_dates            doc.ents (DATE), doc._.pw_published
    pw_events        doc._.pw_events           all of the above, the parse
    pw_areas         event.areas, doc._.pw_areas  doc._.pw_events, sentences

``doc._.pw_published`` (a ``datetime.date`` or None) is set by the caller before the
pipeline runs: dates such as "on Tuesday" are resolved against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pactwatch.plain_data import as_dict

ActorKind = Literal["person", "organisation", "country", "igo", "group"]
Modality = Literal["factual", "future", "hypothetical", "negated"]
PlaceKind = Literal["country", "region", "city", "town", "village", "site"]


@dataclass(slots=True)
class ActorMention:
    """A span of the text that refers to an actor.

    ``entity_name`` is the canonical name (a person's full name, an organisation's
    official name, a country's short name); for an ambiguous bare surname it stays the
    surname and ``candidates`` lists the full names it could be. ``country`` is ISO
    3166-1 alpha-3 (Kosovo XKX); ``sector`` a PLOVER sector code (GOV, MIL, COP, ...) or
    an actor code for non-state actors (IGO, NGO, ...).
    """

    start: int
    end: int
    text: str
    kind: ActorKind
    entity_name: str
    country: str | None = None
    sector: str | None = None
    other_sectors: list[str] = field(default_factory=list)
    role_text: str | None = None  # the office or title as stated ("Minister of Defense")
    role_office: str | None = None  # canonical office key from knowledge ("XKX:minister_defence")
    role_country: str | None = None
    wikidata_id: str | None = None
    candidates: list[str] = field(default_factory=list)  # when ambiguous
    ambiguous: bool = False
    sentence: int = 0  # index of the sentence in doc.sents
    # The words that describe the actor: the name with its stated role and qualifiers
    # ("Kosovo’s Minister of Defense, Armend Zemaj"); the name alone when no role is
    # stated. A token inside it (the subject "Minister") stands for this actor.
    phrase_start: int | None = None
    phrase_end: int | None = None

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(slots=True)
class PlaceMention:
    """A place named in the text, resolved against the gazetteer when possible."""

    start: int
    end: int
    text: str
    name: str
    kind: PlaceKind
    country: str | None = None
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    candidates: list[str] = field(default_factory=list)  # "North Mitrovica (XKX)", ...
    ambiguous: bool = False
    sentence: int = 0

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(slots=True)
class DateMention:
    """A date expression resolved to a day (or a coarser period) when possible."""

    start: int
    end: int
    text: str
    date: str | None  # ISO date of the first day of the period
    precision: Literal["day", "week", "month", "year"] | None
    relative: bool  # resolved against the publication date ("on Tuesday", "last week")
    sentence: int = 0

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(slots=True)
class EventMention:
    """One place in the text that tells of an event: the sentence and the trigger."""

    sentence_start: int
    sentence_end: int
    trigger_start: int
    trigger_end: int
    text: str  # the sentence

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(slots=True)
class EventActor:
    """An actor of an event in the PLOVER interchange shape."""

    raw_text: str
    entity_name: str
    country: str | None
    sector: str | None
    other_sectors: list[str] = field(default_factory=list)
    wikidata_id: str | None = None
    ambiguous: bool = False
    candidates: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


@dataclass(slots=True)
class Event:
    """A PLOVER event with pactwatch's extensions (``cameo``, ``areas``, ``modality``...).

    An event told several times in a document is one ``Event`` with several
    ``mentions``; ``event_text`` is the sentence of the first mention.
    """

    event: str  # PLOVER event type: CONSULT, COOPERATE, ...
    cameo: str | None
    mode: str | None
    context: list[str]
    actor: list[EventActor]
    recipient: list[EventActor]
    modality: Modality
    event_text: str
    mentions: list[EventMention]
    quad_code: int | None = None
    plover_score: float | None = None
    event_loc: PlaceMention | None = None
    date: str | None = None  # ISO date
    date_precision: str | None = None
    areas: list[str] = field(default_factory=list)
    confidence: float = 0.5

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)
