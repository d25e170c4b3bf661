"""Reading the store for an export: documents in pages, and what each page refers to.

Every export (STIX bundle, MISP feed, event tables) reads the same way: processed
documents chosen by ``ExportFilters``, in pages ordered by id (keyset pagination: the
next page starts after the last id, so a page costs the same at the end of the store as
at its start), each page with its events, actors, places, flags and analysts' overrides
in a few queries. Nothing here builds an output format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import Connection, exists, func, or_, select, tuple_

from pactwatch.share.tlp import normalise_level, tlp_rank
from pactwatch.share.values import aware
from pactwatch.store.schema import (
    actor_offices,
    actors,
    credibility_overrides,
    documents,
    event_actors,
    events,
    flags,
    mentions,
    place_mentions,
)

# A database result row: its columns are read by name.
Record = Any

DOCUMENT_COLUMNS: Final = (
    documents.c.id,
    documents.c.url,
    documents.c.outlet,
    documents.c.title,
    documents.c.published,
    documents.c.language,
    documents.c.areas,
    documents.c.tlp,
    documents.c.credibility,
    documents.c.credibility_reasons,
    documents.c.ingested_at,
)


@dataclass(frozen=True, slots=True)
class ExportFilters:
    """Which documents to export; a document's whole content goes with it."""

    since: date | None = None  # publication date (ingestion date when undated), inclusive
    until: date | None = None  # inclusive
    country: str | None = None  # ISO 3166-1 alpha-3 of an event's actor or recipient
    area: str | None = None  # cooperation area of the document or one of its events
    event: str | None = None  # PLOVER event type of one of its events
    max_tlp: str = "red"  # documents above this level are left out


def document_pages(
    conn: Connection, filters: ExportFilters, page_size: int
) -> Iterator[Sequence[Record]]:
    """The documents ``filters`` choose (before the area and TLP checks), page by page."""
    after = ""
    while True:
        page = document_page(conn, filters, after, page_size)
        if not page:
            return
        after = page[-1].id
        yield page


def document_page(
    conn: Connection, filters: ExportFilters, after: str, limit: int
) -> Sequence[Record]:
    query = select(*DOCUMENT_COLUMNS).where(
        documents.c.status == "processed", documents.c.id > after
    )
    day = func.coalesce(documents.c.published, documents.c.ingested_at)
    if filters.since:
        query = query.where(day >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        query = query.where(day < datetime.combine(filters.until + timedelta(days=1), time(), UTC))
    if filters.event:
        query = query.where(
            exists().where(events.c.document_id == documents.c.id, events.c.event == filters.event)
        )
    if filters.country:
        query = query.where(
            exists()
            .select_from(events.join(event_actors).join(actors))
            .where(events.c.document_id == documents.c.id, actors.c.country == filters.country)
        )
    return conn.execute(query.order_by(documents.c.id).limit(limit)).all()


def latest_overrides(
    conn: Connection, doc_ids: list[str], event_ids: list[str]
) -> dict[str, Record]:
    """The newest analyst override per document id and per event id."""
    rows = conn.execute(
        select(credibility_overrides)
        .where(
            or_(
                credibility_overrides.c.document_id.in_(doc_ids),
                credibility_overrides.c.event_id.in_(event_ids),
            )
        )
        .order_by(credibility_overrides.c.created_at, credibility_overrides.c.id)
    )
    return {(r.document_id or r.event_id): r for r in rows}


@dataclass(slots=True)
class PageContent:
    """One page of documents within the ceiling, with all that they refer to."""

    docs: list[Record] = field(default_factory=list)
    withheld_above_tlp: int = 0
    events_by_doc: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    sides: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # event -> (side, actor)
    named: dict[str, set[int]] = field(default_factory=dict)  # document -> actors it names
    in_events: set[int] = field(default_factory=set)  # actors of the page's events
    places: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # (name, ISO3 or "")
    doc_flags: dict[str, list[Record]] = field(default_factory=dict)  # unresolved, by document
    overrides: dict[str, Record] = field(default_factory=dict)  # by document or event id


def read_page(
    conn: Connection, page: Sequence[Record], area: str | None, ceiling: str
) -> PageContent:
    """The documents of ``page`` about ``area`` and within ``ceiling``, with their rows."""
    content = PageContent()
    event_rows = conn.execute(
        select(events).where(events.c.document_id.in_([d.id for d in page])).order_by(events.c.id)
    ).all()
    by_doc = content.events_by_doc
    for e in event_rows:
        by_doc[e.document_id].append(e)
    if area:
        page = [
            d
            for d in page
            if area in (d.areas or []) or any(area in (e.areas or []) for e in by_doc[d.id])
        ]
    docs = [d for d in page if tlp_rank(d.tlp) <= tlp_rank(ceiling)]
    content.withheld_above_tlp = len(page) - len(docs)
    content.docs = docs
    if not docs:
        return content
    doc_ids = [d.id for d in docs]
    event_ids = [e.id for d in docs for e in by_doc[d.id]]
    sides: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for r in conn.execute(
        select(event_actors)
        .where(event_actors.c.event_id.in_(event_ids))
        .order_by(event_actors.c.event_id, event_actors.c.side, event_actors.c.actor_id)
    ):
        sides[r.event_id].append((r.side, r.actor_id))
    named: dict[str, set[int]] = defaultdict(set)
    for r in conn.execute(
        select(mentions.c.document_id, mentions.c.actor_id)
        .where(mentions.c.document_id.in_(doc_ids), mentions.c.actor_id.is_not(None))
        .distinct()
    ):
        named[r.document_id].add(r.actor_id)
    places: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in conn.execute(
        select(place_mentions.c.document_id, place_mentions.c.name, place_mentions.c.country)
        .where(place_mentions.c.document_id.in_(doc_ids))
        .distinct()
    ):
        places[r.document_id].add((r.name, r.country or ""))
    flag_rows = conn.execute(
        select(flags)
        .where(
            flags.c.resolved.is_(False),
            or_(flags.c.document_id.in_(doc_ids), flags.c.event_id.in_(event_ids)),
        )
        .order_by(flags.c.id)
    ).all()
    doc_of_event = {e.id: e.document_id for e in event_rows}
    doc_flags: dict[str, list[Record]] = defaultdict(list)
    for f in flag_rows:
        owner = f.document_id or doc_of_event.get(f.event_id)
        if owner:
            doc_flags[owner].append(f)
    content.sides = sides
    content.named = named
    content.in_events = {actor_id for e_sides in sides.values() for _, actor_id in e_sides}
    content.places = places
    content.doc_flags = doc_flags
    content.overrides = latest_overrides(conn, doc_ids, event_ids)
    return content


@dataclass(slots=True)
class ActorFacts:
    """Actors by id, with what the documents at each TLP level say of them."""

    rows: dict[int, Record]
    # actor -> level -> first and last ingestion of the documents at that level naming it
    levels: dict[int, dict[str, tuple[datetime, datetime]]]
    roles: dict[int, set[tuple[str, str]]]  # actor -> (level, role as a document states it)
    offices: dict[int, set[str]]  # actor -> offices from the reference data


def read_actor_records(
    conn: Connection, actor_ids: Sequence[int]
) -> tuple[dict[int, Record], dict[int, set[str]]]:
    """Actor rows by id and their offices from the reference data (a chunk of ids)."""
    rows = {r.id: r for r in conn.execute(select(actors).where(actors.c.id.in_(actor_ids)))}
    offices: dict[int, set[str]] = defaultdict(set)
    for held in conn.execute(
        select(actor_offices.c.actor_id, actor_offices.c.office).where(
            actor_offices.c.actor_id.in_(actor_ids)
        )
    ):
        offices[held[0]].add(held[1])
    return rows, offices


def read_actors(conn: Connection, actor_ids: Sequence[int]) -> ActorFacts:
    """Facts about a chunk of actors (a few hundred ids: they go into ``IN``), with what
    the documents at each level say of them: read once per actor, the whole store over."""
    rows, offices = read_actor_records(conn, actor_ids)
    levels: dict[int, dict[str, tuple[datetime, datetime]]] = defaultdict(dict)
    for r in conn.execute(
        select(
            mentions.c.actor_id,
            documents.c.tlp,
            func.min(documents.c.ingested_at),
            func.max(documents.c.ingested_at),
        )
        .join(documents, documents.c.id == mentions.c.document_id)
        .where(mentions.c.actor_id.in_(actor_ids))
        .group_by(mentions.c.actor_id, documents.c.tlp)
    ):
        levels[r[0]][normalise_level(r[1])] = (aware(r[2]), aware(r[3]))
    roles: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for said in conn.execute(
        select(mentions.c.actor_id, documents.c.tlp, mentions.c.role_text)
        .join(documents, documents.c.id == mentions.c.document_id)
        .where(mentions.c.actor_id.in_(actor_ids), mentions.c.role_text.is_not(None))
        .distinct()
    ):
        roles[said[0]].add((normalise_level(said[1]), said[2]))
    return ActorFacts(rows, levels, roles, offices)


def read_places(
    conn: Connection, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Record]]:
    """Per place (name, ISO3 or ""), per TLP level of the documents naming it: kind,
    coordinates and the first and last ingestion of those documents."""
    country = func.coalesce(place_mentions.c.country, "")
    found: dict[tuple[str, str], dict[str, Record]] = defaultdict(dict)
    for r in conn.execute(
        select(
            place_mentions.c.name,
            country.label("country"),
            documents.c.tlp,
            func.max(place_mentions.c.kind).label("kind"),
            func.max(place_mentions.c.latitude).label("latitude"),
            func.max(place_mentions.c.longitude).label("longitude"),
            func.min(documents.c.ingested_at).label("first"),
            func.max(documents.c.ingested_at).label("last"),
        )
        .join(documents, documents.c.id == place_mentions.c.document_id)
        .where(tuple_(place_mentions.c.name, country).in_(keys))
        .group_by(place_mentions.c.name, country, documents.c.tlp)
    ):
        found[(r.name, r.country)][normalise_level(r.tlp)] = r
    return found
