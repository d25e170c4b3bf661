"""Events for the dashboard and the API: the filtered, sorted, paged list and one event
with its evidence (``queries`` re-exports everything here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import (
    Engine,
    Select,
    and_,
    desc,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)

from pactwatch.analysis.query_entities import Segment, Span, segments
from pactwatch.analysis.query_sql import (
    MAX_LIMIT,
    Dialect,
    Filters,
    Page,
    column_conditions,
    count_events,
    day_conditions,
    has_column_conditions,
    pair_condition,
    side_conditions,
)
from pactwatch.store.schema import (
    documents,
    event_areas,
    event_countries,
    event_mentions,
    event_reviews,
    events,
    flags,
)

EventSort = Literal["date", "type", "credibility", "area"]
EVENT_SORTS: tuple[str, ...] = ("date", "type", "credibility", "area")


class EventRow(BaseModel):
    id: str
    day: date | None
    event: str
    mode: str | None
    quad_code: int | None
    plover_score: float | None
    areas: list[str]
    actor: list[dict[str, Any]]
    recipient: list[dict[str, Any]]
    modality: str
    credibility: float | None
    event_text: str | None
    document_id: str


class EventsPage(BaseModel):
    items: list[EventRow]
    total: int
    # True when ``total`` is a lower bound: the filters are not among those the summaries
    # count (date range, one country or region, one area) and more than the page plus
    # ``COUNT_CAP`` events match.
    total_is_estimate: bool = False
    limit: int
    offset: int


class FlagItem(BaseModel):
    id: int
    kind: str
    severity: str
    explanation: str
    document_id: str | None
    event_id: str | None
    title: str | None = None
    evidence: list[dict[str, Any]] = []


class MentionItem(BaseModel):
    document_id: str
    sentence_start: int
    sentence_end: int
    text: str


class ClusterMember(BaseModel):
    event_id: str
    event: str
    document_id: str
    title: str | None
    outlet: str | None
    published: datetime | None


class ReviewItem(BaseModel):
    id: int
    event_id: str
    verdict: str
    corrected: dict[str, Any] | None
    comment: str
    analyst: str
    created_at: datetime


class EventDetail(BaseModel):
    event: EventRow
    cameo: str | None
    contexts: list[str]
    event_loc: dict[str, Any] | None
    date_precision: str | None
    confidence: float | None
    credibility_reasons: list[Any]
    document: dict[str, Any]
    mentions: list[MentionItem]
    segments: list[Segment]
    flags: list[FlagItem]
    cluster_id: str | None
    cluster: list[ClusterMember]
    reviews: list[ReviewItem]


_ROW_COLUMNS = (
    events.c.id,
    events.c.event,
    events.c.mode,
    events.c.quad_code,
    events.c.plover_score,
    events.c.areas,
    events.c.actor,
    events.c.recipient,
    events.c.modality,
    events.c.credibility,
    events.c.event_text,
    events.c.document_id,
)


def _event_row(r: Any) -> EventRow:
    return EventRow(
        id=r.id,
        day=r.day,
        event=r.event,
        mode=r.mode,
        quad_code=r.quad_code,
        plover_score=r.plover_score,
        areas=list(r.areas or []),
        actor=list(r.actor or []),
        recipient=list(r.recipient or []),
        modality=r.modality,
        credibility=r.credibility,
        event_text=r.event_text,
        document_id=r.document_id,
    )


def events_page(
    engine: Engine,
    filters: Filters,
    sort: str = "date",
    descending: bool = True,
    page: Page | None = None,
    count_total: bool = True,
) -> EventsPage:
    """The events matching ``filters``, one page of them in ``sort`` order, and the total.

    Two queries: the page and the count (``count_events``: exact from the summaries, else
    a lower bound past a cap, with ``total_is_estimate``). The page is found by index:
    the ids in sort order (newest first from ``event_countries`` or ``event_areas`` when a
    country, pair or area is asked for, else from ``events``), cut to ``offset + limit``,
    then the rows of that page only.
    """
    page = page or Page()
    if sort not in EVENT_SORTS:
        raise ValueError(f"sort by one of {', '.join(EVENT_SORTS)}, not {sort!r}")
    sql = Dialect(engine)
    base, event_id, day = _matching(filters, sort)
    with engine.connect() as conn:
        dated_only = bool(filters.date_from or filters.date_to)
        query = _page_query(sql, base, event_id, day, sort, descending, page, dated_only)
        rows = conn.execute(query).all()
        total, estimate = (0, False)
        if count_total:
            total, estimate = count_events(conn, filters, base, page.offset + page.limit)
    return EventsPage(
        items=[_event_row(r) for r in rows],
        total=total,
        total_is_estimate=estimate,
        limit=page.limit,
        offset=page.offset,
    )


def _matching(filters: Filters, sort: str) -> tuple[Select[Any], Any, Any]:
    """The ids of the matching events (``select`` of one column), with the id and day
    columns to order by. Newest first, a country, pair or area filter drives the query
    from its side table's (key, day) index; every other condition is checked per row."""
    driver: Any = events
    skip: frozenset[str] = frozenset()
    where: list[Any] = []
    if sort == "date" and (filters.pair or filters.country):
        driver = event_countries.alias("driver")
        if filters.pair:
            first, second = filters.pair[0].upper(), filters.pair[1].upper()
            where += [driver.c.country == first, _pair_partner(driver, first, second)]
            skip = frozenset({"pair"})
        else:
            where.append(driver.c.country == str(filters.country).upper())
            skip = frozenset({"country"})
    elif sort == "date" and filters.area:
        driver = event_areas.alias("driver")
        where.append(driver.c.area == filters.area)
        skip = frozenset({"area"})
    event_id = events.c.id if driver is events else driver.c.event_id
    day = driver.c.day
    source: Any = driver
    if driver is not events and has_column_conditions(filters):
        source = driver.join(events, events.c.id == event_id)
    base = (
        select(event_id.label("id"))
        .select_from(source)
        .where(
            *where,
            *day_conditions(filters, day),
            *column_conditions(filters),
            *side_conditions(filters, event_id, skip),
        )
    )
    return base, event_id, day


def _pair_partner(driver: Any, first: str, second: str) -> Any:
    """The driving ``event_countries`` row (of ``first``) has ``second`` on the other side."""
    other = event_countries.alias("partner")
    if first == second:
        return and_(driver.c.as_actor, driver.c.as_recipient)
    return exists(
        select(literal(1)).where(
            other.c.event_id == driver.c.event_id,
            other.c.country == second,
            pair_condition(driver, other),
        )
    )


def _page_query(
    sql: Dialect,
    base: Select[Any],
    event_id: Any,
    day: Any,
    sort: str,
    descending: bool,
    page: Page,
    dated_only: bool = False,
) -> Any:
    """The page's rows: each part below is read in its index's order and cut to
    ``offset + limit``; the page is taken from their merge, then joined to the events.
    Missing values (no day, no score, no area) go last in either direction.

    ``dated_only`` (the filters have a date range, which no dayless event is in) leaves
    out the parts of events with no day: PostgreSQL does not see that ``day IS NULL AND
    day >= ...`` is empty and would walk the primary key through every event to find
    none. The dayless part is ordered by ``(day, id)``, not ``id`` alone, so that both
    stores read it from the ``(day, id)`` index (``day IS NULL`` as its condition)."""
    cut = page.offset + page.limit

    def order(*keys: Any) -> list[Any]:
        return [desc(k) if descending else k for k in keys]

    primary: Any = {
        "date": None,
        "type": events.c.event,
        "credibility": events.c.credibility,
        "area": _first_area(sql, events.c.areas),
    }[sort]
    columns = [event_id.label("id"), day.label("day")]
    if primary is None:
        parts = [
            base.with_only_columns(*columns, literal(None).label("k"))
            .where(day.is_not(None))
            .order_by(*order(day, event_id)),
        ]
        if not dated_only:
            parts.append(
                base.with_only_columns(*columns, literal(None).label("k"))
                .where(day.is_(None))
                .order_by(*order(day, event_id))
            )
    else:
        keyed = base.with_only_columns(*columns, primary.label("k"))
        parts = [
            keyed.where(primary.is_not(None), day.is_not(None)).order_by(
                *order(primary, day, event_id)
            ),
        ]
        if not dated_only:
            parts.append(
                keyed.where(primary.is_not(None), day.is_(None)).order_by(*order(primary, event_id))
            )
        parts.append(keyed.where(primary.is_(None)).order_by(*order(day, event_id)))
    merged = union_all(*(part.limit(cut).subquery().select() for part in parts)).subquery("merged")
    keys = [merged.c.day] if primary is None else [merged.c.k, merged.c.day]
    final = [(desc(k) if descending else k).nulls_last() for k in keys]
    final.append(desc(merged.c.id) if descending else merged.c.id)
    chosen = (
        select(merged.c.id, merged.c.day, merged.c.k)
        .order_by(*final)
        .limit(page.limit)
        .offset(page.offset)
        .subquery("chosen")
    )
    keys = [chosen.c.day] if primary is None else [chosen.c.k, chosen.c.day]
    final = [(desc(k) if descending else k).nulls_last() for k in keys]
    final.append(desc(chosen.c.id) if descending else chosen.c.id)
    return (
        select(*_ROW_COLUMNS, chosen.c.day)
        .select_from(chosen.join(events, events.c.id == chosen.c.id))
        .order_by(*final)
    )


def _first_area(sql: Dialect, column: Any) -> Any:
    if sql.postgres:
        return column.op("->>")(0)
    return func.json_extract(column, "$[0]")


def flag_item(r: Any) -> FlagItem:
    return FlagItem(
        id=r.id,
        kind=r.kind,
        severity=r.severity,
        explanation=r.explanation,
        document_id=r.document_id,
        event_id=r.event_id,
        title=getattr(r, "title", None),
        evidence=list(r.evidence or []),
    )


def event_detail(engine: Engine, event_id: str) -> EventDetail | None:
    """An event with its evidence: the document text cut into segments with the event's
    sentences marked, its flags (and its document's), its cluster in other documents,
    and the analysts' reviews. Five queries; None for an unknown id."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                events,
                documents.c.title,
                documents.c.outlet,
                documents.c.url,
                documents.c.origin,
                documents.c.published,
                documents.c.text,
                documents.c.credibility.label("document_credibility"),
            )
            .select_from(events.join(documents, documents.c.id == events.c.document_id))
            .where(events.c.id == event_id)
        ).first()
        if row is None:
            return None
        mention_rows = conn.execute(
            select(event_mentions)
            .where(event_mentions.c.event_id == event_id)
            .order_by(event_mentions.c.sentence_start)
        ).all()
        flag_rows = conn.execute(
            select(flags)
            .where(
                or_(
                    flags.c.event_id == event_id,
                    and_(flags.c.document_id == row.document_id, flags.c.event_id.is_(None)),
                )
            )
            .order_by(flags.c.event_id.is_(None), flags.c.id)
        ).all()
        cluster_rows: Sequence[Any] = []
        if row.cluster_id:
            cluster_rows = conn.execute(
                select(
                    events.c.id,
                    events.c.event,
                    events.c.document_id,
                    documents.c.title,
                    documents.c.outlet,
                    documents.c.published,
                )
                .select_from(events.join(documents, documents.c.id == events.c.document_id))
                .where(
                    events.c.cluster_id == row.cluster_id,
                    events.c.document_id != row.document_id,
                )
                .order_by(documents.c.published, events.c.id)
                .limit(MAX_LIMIT)
            ).all()
        review_rows = conn.execute(
            select(event_reviews)
            .where(event_reviews.c.event_id == event_id)
            .order_by(event_reviews.c.created_at, event_reviews.c.id)
        ).all()
    spans: list[Span] = [
        (m.sentence_start, m.sentence_end, "event", "the event's sentence", None)
        for m in mention_rows
    ]
    return EventDetail(
        event=_event_row(row),
        cameo=row.cameo,
        contexts=list(row.contexts or []),
        event_loc=row.event_loc,
        date_precision=row.date_precision,
        confidence=row.confidence,
        credibility_reasons=list(row.credibility_reasons or []),
        document={
            "id": row.document_id,
            "title": row.title,
            "outlet": row.outlet,
            "url": row.url,
            "origin": row.origin,
            "published": row.published,
            "credibility": row.document_credibility,
        },
        mentions=[
            MentionItem(
                document_id=m.document_id,
                sentence_start=m.sentence_start,
                sentence_end=m.sentence_end,
                text=m.text,
            )
            for m in mention_rows
        ],
        segments=segments(row.text, spans),
        flags=[flag_item(f) for f in flag_rows],
        cluster_id=row.cluster_id,
        cluster=[
            ClusterMember(
                event_id=c.id,
                event=c.event,
                document_id=c.document_id,
                title=c.title,
                outlet=c.outlet,
                published=c.published,
            )
            for c in cluster_rows
        ],
        reviews=[ReviewItem.model_validate(dict(r._mapping)) for r in review_rows],
    )
