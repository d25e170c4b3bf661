"""Queries for the actor views (list, profile, network) and the text segments that
event and document pages mark up. ``queries`` re-exports everything here. Lists are
paginated in SQL; a profile costs a handful of indexed queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import Engine, and_, desc, func, select

from pactwatch.analysis.query_sql import Dialect, Filters, Page, dated_events, like_pattern
from pactwatch.store.schema import (
    actor_offices,
    actors,
    documents,
    event_actors,
    events,
    mentions,
)

SegmentKind = Literal["text", "event", "mention", "removed"]
# (start, end, kind, label, actor id): a span of a document's text to mark.
Span = tuple[int, int, str, str | None, int | None]


class Segment(BaseModel):
    """A run of a document's text: plain, marked (an event's sentence, an actor's
    mention) or a line cleaning removed (shown greyed, ``label`` the reason)."""

    text: str
    kind: SegmentKind = "text"
    label: str | None = None
    actor_id: int | None = None
    start: int = 0


def segments(
    text: str,
    spans: list[Span],
    inserts: list[tuple[int, str, str]] | None = None,
) -> list[Segment]:
    """``text`` cut at ``spans`` (overlaps trimmed: the earlier, then longer, span wins),
    with ``inserts`` (offset, line, reason) placed as removed segments at their offsets."""
    runs: list[Span] = []
    position = 0
    for start, end, kind, label, actor in sorted(spans, key=lambda s: (s[0], -s[1])):
        start, end = max(start, position), min(end, len(text))
        if end > start:
            runs.append((start, end, kind, label, actor))
            position = end
    pending = sorted(inserts or [], key=lambda i: i[0])
    out: list[Segment] = []
    cursor = 0
    index = 0

    def emit(
        until: int, kind: str = "text", label: str | None = None, actor: int | None = None
    ) -> None:
        nonlocal cursor, index
        while cursor < until:
            while index < len(pending) and pending[index][0] <= cursor:
                out.append(Segment(text=pending[index][1], kind="removed", label=pending[index][2]))
                index += 1
            stop = until
            if index < len(pending) and pending[index][0] < until:
                stop = pending[index][0]
            out.append(
                Segment(
                    text=text[cursor:stop],
                    kind=kind,  # type: ignore[arg-type]
                    label=label,
                    actor_id=actor,
                    start=cursor,
                )
            )
            cursor = stop

    for start, end, kind, label, actor in runs:
        emit(start)
        emit(end, kind, label, actor)
    emit(len(text))
    out.extend(
        Segment(text=line, kind="removed", label=reason) for _, line, reason in pending[index:]
    )
    return [s for s in out if s.text]


# --- actors ---------------------------------------------------------------------------


class ActorRow(BaseModel):
    id: int
    kind: str
    name: str
    country: str | None
    sectors: list[str]
    wikidata_id: str | None
    events: int


class ActorsPage(BaseModel):
    items: list[ActorRow]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class ActorFilters:
    kind: str | None = None
    country: str | None = None
    name: str | None = None


def _event_count(actor_id: Any) -> Any:
    return (
        select(func.count(func.distinct(event_actors.c.event_id)))
        .where(event_actors.c.actor_id == actor_id)
        .scalar_subquery()
    )


def actors_page(
    engine: Engine,
    where: ActorFilters,
    sort: Literal["name", "events"] = "name",
    page: Page | None = None,
) -> ActorsPage:
    """Actors matching ``where``, a page of them by name or by number of events."""
    page = page or Page()
    query = select(actors)
    if where.kind:
        query = query.where(actors.c.kind == where.kind)
    if where.country:
        query = query.where(actors.c.country == where.country.upper())
    if where.name:
        query = query.where(actors.c.name.ilike(like_pattern(where.name), escape="\\"))
    count = _event_count(actors.c.id).label("events")
    ordered = query.add_columns(count).order_by(
        *((desc(count),) if sort == "events" else ()), actors.c.name, actors.c.id
    )
    with engine.connect() as conn:
        total = int(conn.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = conn.execute(ordered.limit(page.limit).offset(page.offset)).all()
    return ActorsPage(
        items=[
            ActorRow(
                id=r.id,
                kind=r.kind,
                name=r.name,
                country=r.country or None,
                sectors=list(r.sectors or []),
                wikidata_id=r.wikidata_id,
                events=int(r.events),
            )
            for r in rows
        ],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


class StatedRole(BaseModel):
    role_text: str
    first_seen: datetime | None
    last_seen: datetime | None
    mentions: int
    documents: int


class ReferenceRole(BaseModel):
    office: str
    country: str | None
    start: date | None
    end: date | None
    acting: bool = False
    source: str | None


class Counterpart(BaseModel):
    id: int
    name: str
    kind: str
    country: str | None
    events: int


class TimelinePoint(BaseModel):
    month: date
    events: int


class ActorProfile(BaseModel):
    actor: ActorRow
    aliases: list[str]
    stated_roles: list[StatedRole]
    reference_roles: list[ReferenceRole]
    counterparts: list[Counterpart]
    timeline: list[TimelinePoint]


def actor_profile(engine: Engine, actor_id: int, counterparts: int = 30) -> ActorProfile | None:
    """An actor's roles over time (as the sources state them and as the reference data
    has them), counterparts with the number of shared events, and events per month.
    Five queries (plus the events list, which the caller pages with ``events_page``)."""
    sql = Dialect(engine)
    with engine.connect() as conn:
        row = conn.execute(
            select(actors, _event_count(actors.c.id).label("events")).where(actors.c.id == actor_id)
        ).first()
        if row is None:
            return None
        stated = conn.execute(
            select(
                mentions.c.role_text,
                func.min(documents.c.published),
                func.max(documents.c.published),
                func.count(),
                func.count(func.distinct(mentions.c.document_id)),
            )
            .select_from(mentions.join(documents, documents.c.id == mentions.c.document_id))
            .where(mentions.c.actor_id == actor_id, mentions.c.role_text.is_not(None))
            .group_by(mentions.c.role_text)
            .order_by(func.min(documents.c.published), mentions.c.role_text)
        ).all()
        offices = conn.execute(
            select(actor_offices)
            .where(actor_offices.c.actor_id == actor_id)
            .order_by(actor_offices.c.start_date)
        ).all()
        other = event_actors.alias("other")
        mine = event_actors.alias("mine")
        shared = func.count(func.distinct(other.c.event_id)).label("n")
        ranked = (
            select(other.c.actor_id, shared)
            .select_from(mine.join(other, other.c.event_id == mine.c.event_id))
            .where(mine.c.actor_id == actor_id, other.c.actor_id != actor_id)
            .group_by(other.c.actor_id)
            .order_by(desc(shared), other.c.actor_id)
            .limit(counterparts)
            .subquery()
        )
        partners = conn.execute(
            select(actors.c.id, actors.c.name, actors.c.kind, actors.c.country, ranked.c.n)
            .join(ranked, ranked.c.actor_id == actors.c.id)
            .order_by(desc(ranked.c.n), actors.c.name)
        ).all()
        dated = dated_events(Filters(actor_id=actor_id), sql, [events.c.id])
        month = sql.bucket(dated.c.day, "month").label("month")
        timeline = conn.execute(
            select(month, func.count())
            .where(dated.c.day.is_not(None))
            .group_by(month)
            .order_by(month)
        ).all()
    reference = [
        ReferenceRole(
            office=o.office,
            country=o.country,
            start=o.start_date,
            end=o.end_date,
            source=o.source_note,
        )
        for o in offices
    ]
    if row.kind == "person":
        reference.extend(_knowledge_roles(row.name, {(r.office, r.start) for r in reference}))
    return ActorProfile(
        actor=ActorRow(
            id=row.id,
            kind=row.kind,
            name=row.name,
            country=row.country or None,
            sectors=list(row.sectors or []),
            wikidata_id=row.wikidata_id,
            events=int(row.events),
        ),
        aliases=list(row.aliases or []),
        stated_roles=[
            StatedRole(
                role_text=s[0],
                first_seen=s[1],
                last_seen=s[2],
                mentions=int(s[3]),
                documents=int(s[4]),
            )
            for s in stated
        ],
        reference_roles=sorted(reference, key=lambda r: (r.start or date.min, r.office)),
        counterparts=[
            Counterpart(
                id=p.id, name=p.name, kind=p.kind, country=p.country or None, events=int(p.n)
            )
            for p in partners
        ],
        timeline=[TimelinePoint(month=t[0], events=int(t[1])) for t in timeline],
    )


def _knowledge_roles(name: str, seen: set[tuple[str, date | None]]) -> list[ReferenceRole]:
    """The offices the bundled reference data gives this person (office_holders.yaml)."""
    from pactwatch.knowledge.loader import load_knowledge

    found = []
    for office, holding in load_knowledge().holdings_of(name):
        if (office.title, holding.start) in seen:
            continue
        found.append(
            ReferenceRole(
                office=office.title,
                country=office.country,
                start=holding.start,
                end=holding.end,
                acting=holding.acting,
                source=holding.source,
            )
        )
    return found


class NetworkNode(BaseModel):
    id: int
    name: str
    kind: str
    country: str | None
    events: int


class NetworkEdge(BaseModel):
    source: int
    target: int
    events: int


class ActorNetwork(BaseModel):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


def actor_network(engine: Engine, filters: Filters, edges: int = 60) -> ActorNetwork:
    """Who appears with whom in the events matching ``filters``: the ``edges`` strongest
    pairs of actors (shared events) and their actors. Two queries."""
    sql = Dialect(engine)
    dated = dated_events(filters, sql, [events.c.id])
    a, b = event_actors.alias("a"), event_actors.alias("b")
    weight = func.count(func.distinct(a.c.event_id)).label("n")
    with engine.connect() as conn:
        pairs = conn.execute(
            select(a.c.actor_id, b.c.actor_id, weight)
            .select_from(a.join(b, and_(b.c.event_id == a.c.event_id, b.c.actor_id > a.c.actor_id)))
            .where(a.c.event_id.in_(select(dated.c.id)))
            .group_by(a.c.actor_id, b.c.actor_id)
            .order_by(desc(weight), a.c.actor_id, b.c.actor_id)
            .limit(edges)
        ).all()
        ids = sorted({p[0] for p in pairs} | {p[1] for p in pairs})
        nodes = (
            conn.execute(
                select(actors.c.id, actors.c.name, actors.c.kind, actors.c.country).where(
                    actors.c.id.in_(ids)
                )
            ).all()
            if ids
            else []
        )
    degree: dict[int, int] = {}
    for s, t, n in pairs:
        degree[s] = degree.get(s, 0) + int(n)
        degree[t] = degree.get(t, 0) + int(n)
    return ActorNetwork(
        nodes=[
            NetworkNode(
                id=n.id,
                name=n.name,
                kind=n.kind,
                country=n.country or None,
                events=degree.get(n.id, 0),
            )
            for n in sorted(nodes, key=lambda n: n.id)
        ],
        edges=[NetworkEdge(source=int(s), target=int(t), events=int(n)) for s, t, n in pairs],
    )
