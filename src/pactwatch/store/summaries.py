"""The overview's summary tables, kept in step with the events.

``summary_areas``, ``summary_pairs`` and ``summary_actors`` (``store/schema.py``) hold per
day and scope what the overview shows, so that a year of it is read from a few thousand
rows rather than aggregated from a million events. A scope is ``*`` (every event), a
country code, ``region:<name>`` or ``area:<area>`` (see ``scopes``).

They are derived data: ``refresh_summaries(engine, days)`` recomputes the given days from
``events``, ``event_countries``, ``event_areas`` and ``event_actors``, in one transaction.
``process.py`` calls it after each batch it writes (with the days the extraction writer
reports) and ``verify/credibility_store.py`` after every rescoring and override (the
credibility weights change); ``rebuild_all`` recomputes everything (the migration that
added them, and stores filled by other means such as the benchmark's generator).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Engine,
    Float,
    and_,
    cast,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
    union_all,
    update,
)

from pactwatch.store.extraction_writer import event_side_rows
from pactwatch.store.schema import (
    documents,
    event_actors,
    event_areas,
    event_countries,
    events,
    summary_actors,
    summary_areas,
    summary_pairs,
)

# A region is a named set of countries (ISO 3166-1 alpha-3; Kosovo is XKX).
REGIONS: dict[str, tuple[str, ...]] = {
    "western_balkans": ("ALB", "BIH", "MKD", "MNE", "SRB", "XKX"),
}
# An event the checks have not scored counts half in credibility-weighted sums.
UNSCORED_WEIGHT = 0.5
ALL = "*"
DAY, MONTH = "day", "month"
_DAYS_PER_STATEMENT = 400
_BACKFILL_PAGE = 20000


def region_scope(name: str) -> str:
    return f"region:{name}"


def area_scope(area: str) -> str:
    return f"area:{area}"


def _day_condition(column: Any, days: Sequence[date | None] | None) -> ColumnElement[bool]:
    if days is None:
        return true()
    dated = [d for d in days if d is not None]
    parts: list[ColumnElement[bool]] = []
    if dated:
        parts.append(column.in_(dated))
    if len(dated) < len(days):
        parts.append(column.is_(None))
    return or_(*parts) if parts else false()


def scopes(days: Sequence[date | None] | None, with_areas: bool = True) -> Any:
    """The events of ``days`` (None: all) once per scope they are in, with what the
    summaries add up: ``*``, each country of their actors and recipients, each region
    they touch and, with ``with_areas``, each cooperation area. Every part starts from
    ``events`` (by its day index) and looks its side rows up by primary key."""
    measures = (
        events.c.id.label("event_id"),
        events.c.day,
        func.coalesce(events.c.credibility, UNSCORED_WEIGHT).label("weight"),
        events.c.quad_code,
        events.c.plover_score,
    )
    when = _day_condition(events.c.day, days)
    parts: list[Any] = [
        select(*measures, literal(ALL).label("scope")).where(when),
        select(*measures, event_countries.c.country)
        .select_from(events.join(event_countries, event_countries.c.event_id == events.c.id))
        .where(when),
    ]
    for name, codes in REGIONS.items():
        touches = exists(
            select(literal(1)).where(
                event_countries.c.event_id == events.c.id, event_countries.c.country.in_(codes)
            )
        )
        parts.append(select(*measures, literal(region_scope(name))).where(when, touches))
    if with_areas:
        parts.append(
            select(*measures, literal("area:") + event_areas.c.area)
            .select_from(events.join(event_areas, event_areas.c.event_id == events.c.id))
            .where(when)
        )
    return union_all(*parts).subquery("scoped")


def _area_rows(days: Sequence[date | None] | None) -> Any:
    scoped = scopes(days)
    every = select(
        scoped.c.day,
        scoped.c.scope,
        literal(ALL).label("area"),
        func.count().label("events"),
        cast(func.sum(scoped.c.weight), Float).label("weighted"),
    ).group_by(scoped.c.day, scoped.c.scope)
    per_area = (
        select(
            scoped.c.day,
            scoped.c.scope,
            event_areas.c.area,
            func.count().label("events"),
            cast(func.sum(scoped.c.weight), Float).label("weighted"),
        )
        .select_from(scoped.join(event_areas, event_areas.c.event_id == scoped.c.event_id))
        .group_by(scoped.c.day, scoped.c.scope, event_areas.c.area)
    )
    return union_all(every, per_area)


def event_pairs(days: Sequence[date | None] | None) -> Any:
    """(event_id, country_a, country_b): each pair of countries an event sets against each
    other (one on the actor side, the other on the recipient side; a < b), once."""
    a = event_countries.alias("side_a")
    b = event_countries.alias("side_b")
    query = select(
        a.c.event_id,
        a.c.country.label("country_a"),
        b.c.country.label("country_b"),
    ).where(
        b.c.event_id == a.c.event_id,
        b.c.country > a.c.country,
        or_(and_(a.c.as_actor, b.c.as_recipient), and_(a.c.as_recipient, b.c.as_actor)),
    )
    if days is not None:
        query = query.where(
            a.c.event_id.in_(select(events.c.id).where(_day_condition(events.c.day, days)))
        )
    return query.subquery("pairs")


def _pair_rows(days: Sequence[date | None] | None) -> Any:
    scoped = scopes(days)
    a = event_countries.alias("side_a")
    b = event_countries.alias("side_b")
    quad = func.coalesce(scoped.c.quad_code, 0)
    return (
        select(
            scoped.c.day,
            literal(DAY).label("grain"),
            scoped.c.scope,
            a.c.country,
            b.c.country,
            quad.label("quad_code"),
            func.count().label("events"),
            cast(func.coalesce(func.sum(scoped.c.plover_score), 0.0), Float).label("score_sum"),
            func.count(scoped.c.plover_score).label("scored"),
        )
        .select_from(
            scoped.join(a, a.c.event_id == scoped.c.event_id).join(
                b, and_(b.c.event_id == scoped.c.event_id, b.c.country > a.c.country)
            )
        )
        .where(or_(and_(a.c.as_actor, b.c.as_recipient), and_(a.c.as_recipient, b.c.as_actor)))
        .group_by(scoped.c.day, scoped.c.scope, a.c.country, b.c.country, scoped.c.quad_code)
    )


def _actor_rows(days: Sequence[date | None] | None) -> Any:
    scoped = scopes(days)
    same = event_actors.alias("same")
    # An actor on both sides of an event counts once: its recipient row is skipped.
    also_actor = exists(
        select(literal(1)).where(
            same.c.event_id == event_actors.c.event_id,
            same.c.actor_id == event_actors.c.actor_id,
            same.c.side == "actor",
        )
    )
    return (
        select(
            scoped.c.day,
            literal(DAY).label("grain"),
            scoped.c.scope,
            event_actors.c.actor_id,
            func.count().label("events"),
        )
        .select_from(scoped.join(event_actors, event_actors.c.event_id == scoped.c.event_id))
        .where(or_(event_actors.c.side == "actor", ~also_actor))
        .group_by(scoped.c.day, scoped.c.scope, event_actors.c.actor_id)
    )


_SUMMARIES = (
    (summary_areas, ("day", "scope", "area", "events", "weighted"), _area_rows),
    (
        summary_pairs,
        (
            "day",
            "grain",
            "scope",
            "country_a",
            "country_b",
            "quad_code",
            "events",
            "score_sum",
            "scored",
        ),
        _pair_rows,
    ),
    (summary_actors, ("day", "grain", "scope", "actor_id", "events"), _actor_rows),
)
# Tables with a monthly rollup: their key columns and the columns added up.
_ROLLUPS = (
    (
        summary_pairs,
        ("scope", "country_a", "country_b", "quad_code"),
        ("events", "score_sum", "scored"),
    ),
    (summary_actors, ("scope", "actor_id"), ("events",)),
)


def month_start(conn: Connection, day: Any) -> ColumnElement[date]:
    """The first of ``day``'s month, in SQL."""
    if conn.dialect.name == "postgresql":
        return type_coerce(cast(func.date_trunc(literal_column("'month'"), day), Date), Date)
    return type_coerce(func.strftime(literal_column("'%Y-%m-01'"), day), Date)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _refresh(conn: Connection, days: Sequence[date | None] | None) -> None:
    for table, columns, rows in _SUMMARIES:
        when = _day_condition(table.c.day, days)
        if "grain" in table.c:
            when = and_(table.c.grain == DAY, when)
        conn.execute(delete(table).where(when))
        conn.execute(insert(table).from_select(list(columns), rows(days)))
    months = None if days is None else sorted({d.replace(day=1) for d in days if d is not None})
    if months == []:
        return
    for table, keys, measures in _ROLLUPS:
        month = month_start(conn, table.c.day)
        if months is None:
            conn.execute(delete(table).where(table.c.grain == MONTH))
            within: list[ColumnElement[bool]] = [table.c.day.is_not(None)]
        else:
            conn.execute(delete(table).where(table.c.grain == MONTH, table.c.day.in_(months)))
            within = [or_(*(and_(table.c.day >= m, table.c.day < _next_month(m)) for m in months))]
        rollup = (
            select(
                month,
                literal(MONTH),
                *(table.c[k] for k in keys),
                *(func.sum(table.c[m]) for m in measures),
            )
            .where(table.c.grain == DAY, *within)
            .group_by(month, *(table.c[k] for k in keys))
        )
        conn.execute(insert(table).from_select(["day", "grain", *keys, *measures], rollup))


def refresh_summaries(target: Engine | Connection, days: Iterable[date | None]) -> int:
    """Recompute the summaries of these days (None: the events with no day) from the
    events; returns how many days. On a connection it runs in the caller's transaction."""
    wanted = sorted(set(days), key=lambda d: (d is not None, d or date.min))
    if not wanted:
        return 0
    if isinstance(target, Engine):
        with target.begin() as conn:
            return refresh_summaries(conn, wanted)
    for start in range(0, len(wanted), _DAYS_PER_STATEMENT):
        _refresh(target, wanted[start : start + _DAYS_PER_STATEMENT])
    return len(wanted)


def days_of_documents(conn: Connection, doc_ids: Sequence[str]) -> set[date | None]:
    """The days of these documents' events."""
    found: set[date | None] = set()
    for start in range(0, len(doc_ids), 500):
        chunk = doc_ids[start : start + 500]
        found.update(
            conn.scalars(select(events.c.day).distinct().where(events.c.document_id.in_(chunk)))
        )
    return found


def published_day(conn: Connection) -> ColumnElement[date]:
    """A document's publication day (UTC), in SQL."""
    if conn.dialect.name == "postgresql":
        return type_coerce(cast(func.timezone("UTC", documents.c.published), Date), Date)
    return type_coerce(func.date(documents.c.published), Date)


def rebuild_all(conn: Connection) -> None:
    """Fill ``events.day``, ``event_countries``, ``event_areas`` and the summaries from the
    events' own columns: for a store whose events were written without them."""
    published = (
        select(published_day(conn)).where(documents.c.id == events.c.document_id).scalar_subquery()
    )
    conn.execute(update(events).values(day=func.coalesce(events.c.date, published)))
    conn.execute(delete(event_countries))
    conn.execute(delete(event_areas))
    after = ""
    while True:
        rows = conn.execute(
            select(events.c.id, events.c.day, events.c.areas, events.c.actor, events.c.recipient)
            .where(events.c.id > after)
            .order_by(events.c.id)
            .limit(_BACKFILL_PAGE)
        ).all()
        if not rows:
            break
        countries: list[dict[str, Any]] = []
        areas: list[dict[str, Any]] = []
        for r in rows:
            c, a = event_side_rows(r.id, r.day, r.areas, r.actor, r.recipient)
            countries.extend(c)
            areas.extend(a)
        if countries:
            conn.execute(insert(event_countries), countries)
        if areas:
            conn.execute(insert(event_areas), areas)
        after = rows[-1].id
    rebuild_summaries(conn)


def rebuild_summaries(conn: Connection) -> None:
    """Recompute every summary from the events and their side tables (for a store whose
    events and side rows were bulk-loaded)."""
    _refresh(conn, None)
