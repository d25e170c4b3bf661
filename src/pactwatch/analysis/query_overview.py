"""The overview: activity per cooperation area over time, the cooperation-conflict
balance per pair of countries, top actors, latest events and open flags
(``queries`` re-exports everything here).

The three aggregates are read from the summary tables (``store/summaries.py``: per day
and scope) when the filters are a date range plus at most one of a country, a region or
an area. Any other filter (a pair, an event type, modality, credibility bounds, an actor,
text, or two of country/region/area together) is aggregated from the matching events
themselves (``event_countries``, ``event_areas``, ``event_actors``), which is exact but
costs time in proportion to the events matched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import Engine, case, desc, func, select, union_all

from pactwatch.analysis.query_events import EventRow, FlagItem, events_page, flag_item
from pactwatch.analysis.query_sql import (
    QUADS,
    UNSCORED_WEIGHT,
    Dialect,
    Filters,
    Page,
    dated_events,
    day_conditions,
    grain_ranges,
    single_scope,
)
from pactwatch.store.schema import (
    actors,
    documents,
    event_actors,
    event_areas,
    events,
    flags,
    summary_actors,
    summary_areas,
    summary_pairs,
)
from pactwatch.store.summaries import ALL, event_pairs

# The overview's window when no dates are given: three years up to the latest event.
DEFAULT_WINDOW_DAYS = 1095


class AreaPoint(BaseModel):
    bucket: date
    area: str
    events: int
    weighted: float


class PairBalance(BaseModel):
    countries: tuple[str, str]
    counts: dict[str, int]  # per quad class name
    events: int
    cooperation: int
    conflict: int
    mean_plover_score: float | None


class TopActor(BaseModel):
    id: int
    name: str
    kind: str
    country: str | None
    events: int


class Overview(BaseModel):
    date_from: date | None
    date_to: date | None
    bucket: Literal["week", "month"]
    areas: list[AreaPoint]
    balance: list[PairBalance]
    top_actors: list[TopActor]
    latest_events: list[EventRow]
    open_flags: list[FlagItem]
    open_flags_by_severity: dict[str, int]


def default_window(engine: Engine, filters: Filters, today: date | None = None) -> Filters:
    """``filters`` with a date range: the one given, else three years up to the latest event.

    Events dated in the future (a misread year) do not move the window. One indexed query.
    """
    if filters.date_from and filters.date_to:
        return filters
    today = today or date.today()
    date_to = filters.date_to
    if date_to is None:
        with engine.connect() as conn:
            latest = conn.scalar(select(func.max(events.c.date)).where(events.c.date <= today))
        date_to = latest if isinstance(latest, date) else today
    date_from = filters.date_from or date_to - timedelta(days=DEFAULT_WINDOW_DAYS)
    return filters.with_dates(date_from, date_to)


def overview(
    engine: Engine,
    filters: Filters,
    bucket: Literal["week", "month"] | None = None,
    today: date | None = None,
    top: int = 10,
) -> Overview:
    """Activity per cooperation area over time, balance per country pair, top actors,
    latest events and open flags, for ``filters`` (default window: ``default_window``).

    Eight queries: the window, the three aggregates (from the summaries when they answer
    ``filters``, see the module's docstring), the top actors' names, the latest events,
    two on the open flags.
    """
    filters = default_window(engine, filters, today)
    assert filters.date_from is not None and filters.date_to is not None  # noqa: S101
    if bucket is None:
        bucket = "week" if (filters.date_to - filters.date_from).days <= 182 else "month"
    sql = Dialect(engine)
    scope = overview_scope(filters)
    if scope is None:
        area_query, pair_query, actor_query = _event_level(sql, filters, bucket, top)
    else:
        area_query, pair_query, actor_query = _from_summaries(sql, filters, scope, bucket, top)
    with engine.connect() as conn:
        areas = [
            AreaPoint(
                bucket=date.fromisoformat(str(r.bucket)[:10]),
                area=str(r.area),
                events=int(r.n),
                weighted=round(float(r.w), 4),
            )
            for r in conn.execute(area_query)
        ]
        areas.sort(key=lambda p: (p.bucket, p.area))
        balance = _balance(conn.execute(pair_query).all(), top)
        ranked = [(int(r.actor_id), int(r.n)) for r in conn.execute(actor_query)]
        top_actors = _top_actors(conn, ranked)
        open_flags, by_severity = _open_flags(conn)
    latest = events_page(engine, filters, "date", True, Page(limit=top), count_total=False)
    return Overview(
        date_from=filters.date_from,
        date_to=filters.date_to,
        bucket=bucket,
        areas=areas,
        balance=balance,
        top_actors=top_actors,
        latest_events=latest.items,
        open_flags=open_flags,
        open_flags_by_severity=by_severity,
    )


def overview_scope(f: Filters) -> str | None:
    """The summaries' scope that holds the overview of ``f``, or None when ``f`` has a
    filter the summaries do not keep (then the events are aggregated themselves)."""
    return None if f.pair else single_scope(f)


def _from_summaries(
    sql: Dialect, f: Filters, scope: str, bucket: str, top: int
) -> tuple[Any, Any, Any]:
    """The three aggregates from the summary tables' rows of ``scope`` in the window."""
    slot = sql.bucket(summary_areas.c.day, bucket)
    area_query = (
        select(
            slot.label("bucket"),
            summary_areas.c.area,
            func.sum(summary_areas.c.events).label("n"),
            func.sum(summary_areas.c.weighted).label("w"),
        )
        .where(
            summary_areas.c.scope == scope,
            # "> '*'" rather than "!= '*'" (the same rows: area names are identifiers, all
            # after '*'): a range SQLite's planner reads from (scope, area, day), where with
            # "!=" it estimates the day index better and reads every scope's rows.
            summary_areas.c.area > ALL,
            *day_conditions(f, summary_areas.c.day),
        )
        .group_by(slot, summary_areas.c.area)
    )
    p = _in_window(
        f,
        summary_pairs,
        scope,
        ("country_a", "country_b", "quad_code", "events", "score_sum", "scored"),
    )
    pair_query = select(
        p.c.country_a,
        p.c.country_b,
        p.c.quad_code,
        func.sum(p.c.events).label("n"),
        func.sum(p.c.score_sum).label("score_sum"),
        func.sum(p.c.scored).label("scored"),
    ).group_by(p.c.country_a, p.c.country_b, p.c.quad_code)
    a = _in_window(f, summary_actors, scope, ("actor_id", "events"))
    n = func.sum(a.c.events)
    actor_query = (
        select(a.c.actor_id, n.label("n"))
        .group_by(a.c.actor_id)
        .order_by(desc(n), a.c.actor_id)
        .limit(top)
    )
    return area_query, pair_query, actor_query


def _in_window(f: Filters, table: Any, scope: str, columns: Sequence[str]) -> Any:
    """The rows of ``scope`` in a summary table with a monthly rollup that add up to the
    window of ``f``: one select per index range (``grain_ranges``), as a UNION ALL."""
    parts = [
        select(*(table.c[name] for name in columns)).where(table.c.scope == scope, *part)
        for part in grain_ranges(f, table)
    ]
    if len(parts) == 1:
        return parts[0].subquery("window")
    return union_all(*parts).subquery("window")


def _event_level(sql: Dialect, f: Filters, bucket: str, top: int) -> tuple[Any, Any, Any]:
    """The three aggregates from the events matching ``f`` (the same rows as the
    summaries would give)."""
    weight = func.coalesce(events.c.credibility, UNSCORED_WEIGHT).label("weight")
    dated = dated_events(f, sql, [events.c.id, events.c.quad_code, events.c.plover_score, weight])
    slot = sql.bucket(dated.c.day, bucket)
    area_query = (
        select(
            slot.label("bucket"),
            event_areas.c.area,
            func.count().label("n"),
            func.sum(dated.c.weight).label("w"),
        )
        .select_from(dated.join(event_areas, event_areas.c.event_id == dated.c.id))
        .group_by(slot, event_areas.c.area)
    )
    pairs = event_pairs(None)
    quad = func.coalesce(dated.c.quad_code, 0)
    pair_query = (
        select(
            pairs.c.country_a,
            pairs.c.country_b,
            quad.label("quad_code"),
            func.count().label("n"),
            func.coalesce(func.sum(dated.c.plover_score), 0.0).label("score_sum"),
            func.count(dated.c.plover_score).label("scored"),
        )
        .select_from(dated.join(pairs, pairs.c.event_id == dated.c.id))
        .group_by(pairs.c.country_a, pairs.c.country_b, dated.c.quad_code)
    )
    n = func.count(func.distinct(event_actors.c.event_id))
    actor_query = (
        select(event_actors.c.actor_id, n.label("n"))
        .where(event_actors.c.event_id.in_(select(dated.c.id)))
        .group_by(event_actors.c.actor_id)
        .order_by(desc(n), event_actors.c.actor_id)
        .limit(top)
    )
    return area_query, pair_query, actor_query


def _balance(rows: Sequence[Any], top: int) -> list[PairBalance]:
    """Per-pair totals from the per-quad rows, the ``top`` pairs by events."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(QUADS.values(), 0)
    )
    totals: dict[tuple[str, str], int] = defaultdict(int)
    scores: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        pair = (str(r.country_a), str(r.country_b))
        quad = QUADS.get(int(r.quad_code))
        if quad is not None:
            counts[pair][quad] += int(r.n)
        else:
            counts[pair]
        totals[pair] += int(r.n)
        scores[pair][0] += float(r.score_sum or 0.0)
        scores[pair][1] += int(r.scored or 0)
    result = []
    for pair, quads in counts.items():
        summed, scored = scores[pair]
        result.append(
            PairBalance(
                countries=pair,
                counts=quads,
                events=totals[pair],
                cooperation=quads["verbal_cooperation"] + quads["material_cooperation"],
                conflict=quads["verbal_conflict"] + quads["material_conflict"],
                mean_plover_score=round(summed / scored, 3) if scored else None,
            )
        )
    result.sort(key=lambda b: (-b.events, b.countries))
    return result[:top]


def _top_actors(conn: Any, ranked: list[tuple[int, int]]) -> list[TopActor]:
    if not ranked:
        return []
    names = {
        r.id: r
        for r in conn.execute(
            select(actors.c.id, actors.c.name, actors.c.kind, actors.c.country).where(
                actors.c.id.in_([actor_id for actor_id, _ in ranked])
            )
        )
    }
    found = [
        TopActor(
            id=actor_id,
            name=names[actor_id].name,
            kind=names[actor_id].kind,
            country=names[actor_id].country or None,
            events=n,
        )
        for actor_id, n in ranked
        if actor_id in names
    ]
    found.sort(key=lambda a: (-a.events, a.name))
    return found


def _open_flags(conn: Any, limit: int = 8) -> tuple[list[FlagItem], dict[str, int]]:
    by_severity = {
        str(r[0]): int(r[1])
        for r in conn.execute(
            select(flags.c.severity, func.count())
            .where(flags.c.resolved.is_(False))
            .group_by(flags.c.severity)
        )
    }
    severity_order = case(
        (flags.c.severity == "serious", 0), (flags.c.severity == "warning", 1), else_=2
    )
    # The flags first, then their documents' titles: joining every open flag to its
    # document before the sort costs a pass over the documents (PostgreSQL's hash join).
    chosen = (
        select(flags)
        .where(flags.c.resolved.is_(False))
        .order_by(severity_order, desc(flags.c.created_at), flags.c.id)
        .limit(limit)
        .subquery("chosen")
    )
    chosen_order = case(
        (chosen.c.severity == "serious", 0), (chosen.c.severity == "warning", 1), else_=2
    )
    rows = conn.execute(
        select(chosen, documents.c.title)
        .select_from(chosen.outerjoin(documents, documents.c.id == chosen.c.document_id))
        .order_by(chosen_order, desc(chosen.c.created_at), chosen.c.id)
    ).all()
    return [flag_item(r) for r in rows], by_severity


def area_totals(points: list[AreaPoint]) -> dict[str, int]:
    """Events per area over the whole series (for legends and tables)."""
    totals: dict[str, int] = defaultdict(int)
    for p in points:
        totals[p.area] += p.events
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))
