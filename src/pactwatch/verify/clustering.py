"""Across documents: which mentions tell one real-world event, and how many independent
sources tell it.

Pure functions over plain records (``EventRecord``), so that the store module
(``corroboration_store``) and tests build the same input and get the same answer. Where
the sources of a cluster disagree is ``verify.disagreement``.

Two events of different documents are *linked* when all of these hold:

- **family**: their PLOVER types share a family (``EVENT_FAMILIES``): an attack coded
  ASSAULT by one outlet is often COERCE ("detained" vs "kidnapped") or a riot (PROTEST)
  in another; statements (ACCUSE, REJECT, REQUEST, THREATEN) are one family, as are
  AGREE and SUPPORT (an agreement announced and then signed);
- **time**: both dated to the day and at most ``window_days`` apart; an undated event
  happened in the ``undated_window_days`` before its document ran (two undated events:
  their stories ran at most ``window_days`` apart); an event dated only to the week or
  month is an interval; one dated only to a year never links (too coarse to say two
  mentions are one event);
- **place**: compatible: the same place, two places within ``near_km`` (a village and
  its municipal town), one inside the other's country or region, or one missing.
  Different countries never link;
- **actors**: the closer in time, the less the actors must share. Incidents (violence,
  protest, force posture) dated within a day of each other need only a shared country
  or a close place; other events dated to the same days need a shared specific name (a
  person, an organisation, a named group; not "police" or "Serbs"); an undated event
  needs a shared person, or a close place and a shared name or country (NATO, KFOR or
  the police recur in every story of a region); an event dated only to a week or month
  needs a shared person or the very same place. Meetings, agreements, cooperation,
  sanctions and concessions are told by their parties: two shared names, or one on the
  very same day. A link between two different towns is made only with a shared person
  on the same day, and it is then a disagreement about the place.
- a phone call and a meeting (CONSULT modes) are two events.

Clusters are the connected groups of linked events (single linkage). A cluster's id is
the id of its earliest member event (by date, then id): it stays put when later reports
join, which a hash of the member ids would not.

Independent sources: documents that are copies of one story (``origin_group``, and the
near copies of the duplicates table, which are never extracted and so have no events)
are one source, and so are documents of one outlet. A document that ran more than
``report_days`` after the event (a retelling as background) stays in the cluster but is
not counted as a source.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

__all__ = [
    "EVENT_FAMILIES",
    "ActorRef",
    "ClusterOptions",
    "CopyRef",
    "EventCluster",
    "EventRecord",
    "MentionText",
    "PlaceRef",
    "cluster_events",
    "independent_sources",
    "place_relation",
]

# PLOVER types that may be one real-world event told differently.
EVENT_FAMILIES: dict[str, frozenset[str]] = {
    "ASSAULT": frozenset({"violence"}),
    "COERCE": frozenset({"violence"}),
    "PROTEST": frozenset({"violence", "protest"}),
    "MOBILIZE": frozenset({"posture"}),
    "ACCUSE": frozenset({"statement"}),
    "REJECT": frozenset({"statement"}),
    "REQUEST": frozenset({"statement"}),
    "THREATEN": frozenset({"statement", "posture"}),
    "SANCTION": frozenset({"sanction"}),
    "CONSULT": frozenset({"meeting"}),
    "AGREE": frozenset({"agreement"}),
    "SUPPORT": frozenset({"agreement"}),
    "CONCEDE": frozenset({"concession"}),
    "RETREAT": frozenset({"concession"}),
    "COOPERATE": frozenset({"cooperation"}),
    "AID": frozenset({"cooperation"}),
}

# Families told by where they happened (a country in common is a clue) and families
# told by who took part (only shared names are).
_LOCATED_FAMILIES = frozenset({"violence", "protest", "posture"})
_PARTY_FAMILIES = frozenset({"meeting", "agreement", "cooperation", "sanction", "concession"})

# Heads of actor names that describe a kind of people, not one actor.
_GENERIC_HEADS = {
    "serbs", "albanians", "protesters", "demonstrators", "gunmen", "attackers", "soldiers",
    "troops", "officers", "officer", "residents", "people", "citizens", "crowd", "crowds",
    "units", "members", "peacekeepers", "journalists", "reporters", "men", "commandos",
    "civilians", "pilgrims", "suspects", "forces", "sides", "side", "group", "patrol",
    "police", "army", "government", "authorities", "officials",
}  # fmt: skip
_ORG_WORDS = {
    "police", "force", "forces", "union", "ministry", "government", "council", "service",
    "army", "agency", "office", "mission", "commission", "court", "assembly", "party",
    "church", "diocese", "eparchy", "embassy", "nato", "kfor", "eulex", "bank", "league",
}  # fmt: skip
_SPECIFIC_PLACE_KINDS = {"city", "town", "village", "site"}

Day = date  # the type, for classes that have a field named ``date``


@dataclass(frozen=True, slots=True)
class ActorRef:
    """An actor of an event: canonical name, ISO alpha-3 country, kind when known."""

    name: str
    country: str | None = None
    kind: str | None = None  # person, organisation, country, igo, group


@dataclass(frozen=True, slots=True)
class PlaceRef:
    name: str
    country: str | None = None
    kind: str | None = None  # country, region, city, town, village, site
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class MentionText:
    """A sentence that tells the event; ``start`` is its offset in the document text."""

    text: str
    start: int = 0


@dataclass(frozen=True, slots=True)
class EventRecord:
    """One event of one document, as much as clustering needs."""

    event_id: str
    document_id: str
    origin_group: str  # the document id of the first copy of this story
    outlet: str | None
    event: str  # PLOVER type
    actors: tuple[ActorRef, ...] = ()
    date: Day | None = None
    place: PlaceRef | None = None
    mentions: tuple[MentionText, ...] = ()
    published: Day | None = None
    date_precision: str | None = None  # day, week, month, year
    modality: str = "factual"
    mode: str | None = None  # PLOVER mode (CONSULT: phone, visit, ...)


@dataclass(frozen=True, slots=True)
class CopyRef:
    """A near copy of a stored story (status 'duplicate', never extracted)."""

    document_id: str
    outlet: str | None
    original_id: str


@dataclass(slots=True)
class EventCluster:
    """One real-world event: its member events, documents and independent sources."""

    id: str
    event: str
    date: Day | None
    members: list[EventRecord]
    documents: list[str]  # documents with member events, then their copies
    copies: list[CopyRef] = field(default_factory=list)
    independent_sources: int = 1
    retellings: list[str] = field(default_factory=list)  # documents run long after it
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (event, event, place)


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    window_days: int = 3  # dated mentions of one event: at most this many days apart
    undated_window_days: int = 7  # an undated event happened this many days before its story
    near_km: float = 25.0  # a village and its municipal town are one place
    report_days: int = 7  # a story run later than this after the event is a retelling


PlaceRelation = Literal["missing", "same", "near", "contained", "far", "foreign"]


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    """Case and diacritics folded: "Zvečan" and "Zvecan" are one name."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@lru_cache(maxsize=65536)
def _is_generic(actor: ActorRef) -> bool:
    words = actor.name.split()
    if not words or not actor.name[0].isupper():
        return True
    if actor.kind == "country":
        return True  # a country is compared by its code
    return _fold(words[-1]) in _GENERIC_HEADS and (len(words) == 1 or actor.kind == "group")


@lru_cache(maxsize=65536)
def _is_person(actor: ActorRef) -> bool:
    if actor.kind is not None:
        return actor.kind == "person"
    words = actor.name.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(_fold(w) in _ORG_WORDS for w in words)
    )


def _specific_names(record: EventRecord) -> set[str]:
    return {_fold(a.name) for a in record.actors if not _is_generic(a)}


def _persons(record: EventRecord) -> set[str]:
    return {_fold(a.name) for a in record.actors if not _is_generic(a) and _is_person(a)}


def _countries(record: EventRecord) -> set[str]:
    return {a.country for a in record.actors if a.country}


def _distance_km(a: PlaceRef, b: PlaceRef) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        (a.latitude or 0.0, a.longitude or 0.0, b.latitude or 0.0, b.longitude or 0.0),
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def place_relation(a: PlaceRef | None, b: PlaceRef | None, near_km: float) -> PlaceRelation:
    """How two event places relate: one missing, same, near, one contains the other..."""
    if a is None or b is None:
        return "missing"
    if a.country and b.country and a.country != b.country:
        return "foreign"
    if _fold(a.name) == _fold(b.name):
        return "same"
    if a.kind not in _SPECIFIC_PLACE_KINDS or b.kind not in _SPECIFIC_PLACE_KINDS:
        return "contained"  # a country or region holds the other place
    distance = _distance_km(a, b)
    return "near" if distance is not None and distance <= near_km else "far"


def _interval(record: EventRecord) -> tuple[date, date, bool] | None:
    """The days the event may have happened on, and whether it is dated to the day."""
    if record.date is None:
        return None
    precision = record.date_precision or "day"
    if precision == "day":
        return record.date, record.date, True
    if precision == "week":
        return record.date, record.date + timedelta(days=6), False
    if precision == "month":
        nxt = (record.date.replace(day=28) + timedelta(days=4)).replace(day=1)
        return record.date, nxt - timedelta(days=1), False
    return None  # a year, or a precision we do not know


def _gap(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


TimeRelation = Literal["same_days", "coarse", "undated", "apart"]


def _time_relation(a: EventRecord, b: EventRecord, options: ClusterOptions) -> TimeRelation:
    ia, ib = _interval(a), _interval(b)
    if (a.date is not None and ia is None) or (b.date is not None and ib is None):
        return "apart"  # dated to a year only
    window = options.window_days
    if ia is not None and ib is not None:
        if _gap(ia[:2], ib[:2]) > window:
            return "apart"
        return "same_days" if ia[2] and ib[2] else "coarse"
    if ia is None and ib is None:
        # Two undated events: two reports of one event run within days of each other.
        if a.published is None or b.published is None:
            return "apart"
        return "undated" if abs((a.published - b.published).days) <= window else "apart"
    # One dated, one undated: the undated one happened in the days before its story ran
    # (a day of slack for time zones).
    dated, undated = (ia, b) if ia is not None else (ib, a)
    if dated is None or undated.published is None:
        return "apart"
    back = timedelta(days=options.undated_window_days)
    span = (undated.published - back, undated.published + timedelta(days=1))
    if _gap(dated[:2], span) > 0:
        return "apart"
    return "undated" if dated[2] else "coarse"


@dataclass(frozen=True, slots=True)
class _Features:
    """What linking compares, computed once per record."""

    names: frozenset[str]
    persons: frozenset[str]
    countries: frozenset[str]

    @classmethod
    def of(cls, record: EventRecord) -> _Features:
        return cls(
            frozenset(_specific_names(record)),
            frozenset(_persons(record)),
            frozenset(_countries(record)),
        )


def _link(
    a: EventRecord,
    b: EventRecord,
    options: ClusterOptions,
    fa: _Features | None = None,
    fb: _Features | None = None,
) -> PlaceRelation | None:
    """The place relation when ``a`` and ``b`` tell one event; None when they do not."""
    if a.document_id == b.document_id or a.origin_group == b.origin_group:
        return None
    if not EVENT_FAMILIES.get(a.event, frozenset({a.event})) & EVENT_FAMILIES.get(
        b.event, frozenset({b.event})
    ):
        return None
    if {a.modality, b.modality} & {"future", "hypothetical"}:
        return None
    if (
        a.event == b.event == "CONSULT"
        and a.mode
        and b.mode
        and (a.mode == "phone") != (b.mode == "phone")
    ):
        return None  # a phone call and a meeting are two events
    time = _time_relation(a, b, options)
    if time == "apart":
        return None
    place = place_relation(a.place, b.place, options.near_km)
    if place == "foreign":
        return None
    families = EVENT_FAMILIES.get(a.event, frozenset()) & EVENT_FAMILIES.get(b.event, frozenset())
    fa, fb = fa or _Features.of(a), fb or _Features.of(b)
    names = fa.names & fb.names
    shared_persons = bool(fa.persons & fb.persons)
    shared_country = bool(fa.countries & fb.countries)
    close_place = place in ("same", "near")
    if place == "far":
        return "far" if time == "same_days" and shared_persons else None
    if families and families <= _PARTY_FAMILIES:
        # Reports of one meeting or one deal name its parties: two of them, or one on
        # the very same day (one person meets many people in a week).
        same_day = time == "same_days" and _day_gap(a, b) == 0
        ok = len(names) >= 2 or (len(names) == 1 and same_day)
        ok = ok and (time != "coarse" or place == "same" or shared_persons)
    elif time == "same_days":
        # A country in common is enough only for an incident told within a day.
        located = bool(families & _LOCATED_FAMILIES) and _day_gap(a, b) <= 1
        ok = bool(names) or (located and (shared_country or close_place))
    elif time == "undated":
        # The names that recur in every story of a region (NATO, KFOR, the police) are
        # not enough without a shared person or the same place.
        ok = shared_persons or (close_place and (bool(names) or shared_country))
    else:  # dated only to a week or a month: a person, or the very same place
        ok = shared_persons or (place == "same" and (bool(names) or shared_country))
    return place if ok else None


def _day_gap(a: EventRecord, b: EventRecord) -> int:
    """Days between two events dated to the day."""
    return abs((a.date - b.date).days) if a.date and b.date else 0


def _candidate_pairs(ordered: list[EventRecord], opts: ClusterOptions) -> Iterator[tuple[int, int]]:
    """Pairs of records that may be linked: one family, close enough in time.

    Each family is swept in day order; records dated to the day (or undated) meet only
    those within the undated window, and the few dated only to a week or a month meet
    those within a month more. Records with no date and no publication date meet none.
    """
    fine_reach = timedelta(days=opts.undated_window_days + opts.window_days + 1)
    coarse_reach = fine_reach + timedelta(days=31)
    buckets: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for i, record in enumerate(ordered):
        day = _day(record)
        if day is not None:
            for family in EVENT_FAMILIES.get(record.event, frozenset({record.event})):
                buckets[family].append((day, i))
    seen: set[tuple[int, int]] = set()
    for family in sorted(buckets):
        items = sorted(buckets[family])
        days = [day for day, _ in items]
        fine = [(day, i) for day, i in items if not _is_coarse(ordered[i])]
        for pos, (day_i, i) in enumerate(fine):
            for day_j, j in fine[pos + 1 :]:
                if day_j - day_i > fine_reach:
                    break
                pair = (min(i, j), max(i, j))
                if pair not in seen:
                    seen.add(pair)
                    yield pair
        for day_i, i in items:
            if not _is_coarse(ordered[i]):
                continue
            low = bisect_left(days, day_i - coarse_reach)
            high = bisect_right(days, day_i + coarse_reach)
            for _, j in items[low:high]:
                pair = (min(i, j), max(i, j))
                if i != j and pair not in seen:
                    seen.add(pair)
                    yield pair


def _is_coarse(record: EventRecord) -> bool:
    return record.date is not None and record.date_precision in ("week", "month")


def _strength(
    a: EventRecord, b: EventRecord, place: PlaceRelation, fa: _Features, fb: _Features
) -> int:
    """How much two linked events share: persons, names, place, day."""
    score = 2 * len(fa.persons & fb.persons) + len(fa.names & fb.names)
    score += {"same": 2, "near": 1}.get(place, 0)
    return score + (1 if a.date is not None and a.date == b.date else 0)


def _places_clash(first: list[PlaceRef], second: list[PlaceRef], near_km: float) -> bool:
    """Whether two groups of events name places that cannot be one event's place."""
    return any(place_relation(a, b, near_km) in ("far", "foreign") for a in first for b in second)


def _sort_key(record: EventRecord) -> tuple[date, str]:
    return (record.date or record.published or date.max, record.event_id)


def _day(record: EventRecord) -> date | None:
    return record.date or record.published


def cluster_events(
    records: Sequence[EventRecord],
    window_days: int = 3,
    *,
    copies: Iterable[CopyRef] = (),
    options: ClusterOptions | None = None,
) -> list[EventCluster]:
    """Group events of different documents into real-world events (every record ends in
    exactly one cluster; a record linked to nothing is a cluster of its own).

    Candidates are compared only within the time window of each other (records sorted
    by day), so a large input costs about (records x records within the window).
    """
    opts = options or ClusterOptions(window_days=window_days)
    ordered = sorted(records, key=_sort_key)
    parent = list(range(len(ordered)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    places: dict[int, list[PlaceRef]] = {
        i: [r.place] if r.place is not None else [] for i, r in enumerate(ordered)
    }
    links: list[tuple[int, int, PlaceRelation]] = []
    features = [_Features.of(r) for r in ordered]
    candidates: list[tuple[int, int, int, PlaceRelation]] = []
    for i, j in _candidate_pairs(ordered, opts):
        a, b, fa, fb = ordered[i], ordered[j], features[i], features[j]
        relation = _link(a, b, opts, fa, fb)
        if relation is not None:
            candidates.append((-_strength(a, b, relation, fa, fb), i, j, relation))
    # Strongest links first, so that a weak link cannot pull in a place that then keeps a
    # strong one out.
    for _, i, j, relation in sorted(candidates):
        root_i, root_j = find(i), find(j)
        if (
            root_i != root_j
            and relation != "far"
            and _places_clash(places[root_i], places[root_j], opts.near_km)
        ):
            continue  # a place-less report must not join two towns far apart
        links.append((i, j, relation))
        if root_i != root_j:
            parent[root_j] = root_i
            places[root_i].extend(places.pop(root_j))
    links.sort(key=lambda link: (link[0], link[1]))

    links_of: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for i, j, relation in links:
        links_of[find(i)].append((ordered[i].event_id, ordered[j].event_id, relation))
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ordered)):
        groups[find(i)].append(i)
    copies_of: dict[str, list[CopyRef]] = defaultdict(list)
    for copy in copies:
        copies_of[copy.original_id].append(copy)

    clusters: list[EventCluster] = []
    for members_idx in groups.values():
        members = [ordered[i] for i in sorted(members_idx)]
        first = min(members, key=_sort_key)
        docs = list(dict.fromkeys(m.document_id for m in members))
        cluster_copies = [c for d in docs for c in sorted(copies_of.get(d, []), key=str)]
        fresh, retellings = _fresh_members(members, opts.report_days)
        clusters.append(
            EventCluster(
                id=first.event_id,
                event=first.event,
                date=_cluster_date(members),
                members=members,
                documents=docs + [c.document_id for c in cluster_copies],
                copies=cluster_copies,
                independent_sources=independent_sources(
                    fresh, [c for c in cluster_copies if c.original_id not in retellings]
                ),
                retellings=retellings,
                links=links_of.get(find(members_idx[0]), []),
            )
        )
    clusters.sort(key=lambda c: c.id)
    return clusters


def _cluster_date(members: list[EventRecord]) -> date | None:
    """The earliest day a member is dated to (to the day when any is)."""
    days = [m.date for m in members if m.date and m.date_precision in (None, "day")]
    return min(days or [m.date for m in members if m.date], default=None)


def _fresh_members(
    members: list[EventRecord], report_days: int
) -> tuple[list[EventRecord], list[str]]:
    """The members whose story ran within ``report_days`` of the event, and the documents
    that told it later: a retelling weeks on (background in a story about something
    else) most likely rests on the first reports and is not an independent witness."""
    days = [m.date for m in members if m.date and m.date_precision in (None, "day")]
    start = min(days) if days else min((m.published for m in members if m.published), default=None)
    if start is None:
        return members, []
    cutoff = start + timedelta(days=report_days)
    fresh = [m for m in members if m.published is None or m.published <= cutoff]
    fresh_docs = {m.document_id for m in fresh}
    later = list(dict.fromkeys(m.document_id for m in members if m.document_id not in fresh_docs))
    return fresh or members[:1], later


def independent_sources(members: Iterable[EventRecord], copies: Iterable[CopyRef] = ()) -> int:
    """How many independent sources tell these events: copies of one story are one
    source, and so are the documents of one outlet."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    for m in members:
        union("doc:" + m.document_id, "story:" + m.origin_group)
        if m.outlet:
            union("doc:" + m.document_id, "outlet:" + _fold(m.outlet))
    for c in copies:
        union("doc:" + c.document_id, "doc:" + c.original_id)
        if c.outlet:
            union("doc:" + c.document_id, "outlet:" + _fold(c.outlet))
    return len({find(x) for x in list(parent) if x.startswith("doc:")})
