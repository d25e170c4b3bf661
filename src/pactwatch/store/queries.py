"""Read-only queries behind ``status`` and ``brief`` (and, later, the web pages and API)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, func, select

from pactwatch.store.schema import (
    actors,
    documents,
    dropped_items,
    duplicates,
    event_actors,
    events,
    flags,
    removed_text,
    runs,
    sources,
)


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    command: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, Any]


@dataclass(slots=True)
class StoreStatus:
    """Counts of everything in the store and the latest runs."""

    documents: int
    first_copies: int
    near_copies: int
    exact_copies: int
    undated: int
    sources_by_kind: dict[str, int]
    removed_lines: int
    events: int
    flags: int
    runs: list[RunRecord] = field(default_factory=list)


def store_status(engine: Engine, *, last_runs: int = 5) -> StoreStatus:
    with engine.connect() as conn:
        by_status: dict[str, int] = dict(
            conn.execute(
                select(documents.c.status, func.count()).group_by(documents.c.status)
            ).all()
        )
        total = sum(by_status.values())
        undated = conn.scalar(
            select(func.count())
            .select_from(documents)
            .where(documents.c.published.is_(None), documents.c.status != "duplicate")
        )
        exact = conn.scalar(
            select(func.count()).select_from(duplicates).where(duplicates.c.kind == "exact")
        )
        kinds: dict[str, int] = dict(
            conn.execute(select(sources.c.kind, func.count()).group_by(sources.c.kind)).all()
        )
        removed = conn.scalar(select(func.count()).select_from(removed_text))
        n_events = conn.scalar(select(func.count()).select_from(events))
        n_flags = conn.scalar(select(func.count()).select_from(flags))
        run_rows = conn.execute(select(runs).order_by(runs.c.id.desc()).limit(last_runs)).all()
    return StoreStatus(
        documents=total,
        first_copies=total - by_status.get("duplicate", 0),
        near_copies=by_status.get("duplicate", 0),
        exact_copies=exact or 0,
        undated=undated or 0,
        sources_by_kind=kinds,
        removed_lines=removed or 0,
        events=n_events or 0,
        flags=n_flags or 0,
        runs=[
            RunRecord(r.id, r.command, r.started_at, r.finished_at, r.status, r.counts or {})
            for r in run_rows
        ],
    )


@dataclass(frozen=True, slots=True)
class StoryCopies:
    """A stored story and the other sources that carried it."""

    document_id: str
    title: str | None
    outlet: str | None
    copies: list[tuple[str, str | None, float]]  # kind, outlet or origin, similarity


@dataclass(slots=True)
class Brief:
    """A readable summary of the store."""

    status: StoreStatus
    first_date: datetime | None
    last_date: datetime | None
    per_month: list[tuple[str, int]]
    per_outlet: list[tuple[str, int]]
    undated_titles: list[str]
    stories_with_copies: list[StoryCopies]
    removed_by_reason: dict[str, int]
    dropped_last_run: dict[str, int]
    latest: list[tuple[datetime | None, str | None, str | None]]
    events_by_type: list[tuple[str, int, int]] = field(default_factory=list)  # type, all, factual
    areas: list[tuple[str, int]] = field(default_factory=list)
    top_actors: list[tuple[str, str | None, int]] = field(default_factory=list)
    latest_events: list[tuple[Any, str, str, str]] = field(default_factory=list)
    flag_counts: list[tuple[str, str, int, int]] = field(default_factory=list)
    serious_flags: list[tuple[str, str, str]] = field(default_factory=list)  # kind, title, why
    least_credible: list[tuple[str, float, str]] = field(default_factory=list)  # title, score, why


def brief(engine: Engine, *, latest: int = 8) -> Brief:
    first = documents.c.status != "duplicate"
    with engine.connect() as conn:
        dates = conn.execute(
            select(func.min(documents.c.published), func.max(documents.c.published)).where(first)
        ).one()
        published = conn.scalars(
            select(documents.c.published).where(first, documents.c.published.is_not(None))
        ).all()
        per_outlet = conn.execute(
            select(func.coalesce(documents.c.outlet, "(unknown outlet)"), func.count())
            .where(first)
            .group_by(documents.c.outlet)
            .order_by(func.count().desc())
        ).all()
        undated = conn.scalars(
            select(func.coalesce(documents.c.title, documents.c.origin))
            .where(first, documents.c.published.is_(None))
            .order_by(documents.c.origin)
        ).all()
        copy_rows = conn.execute(
            select(
                duplicates.c.document_id,
                documents.c.title,
                documents.c.outlet,
                duplicates.c.kind,
                func.coalesce(duplicates.c.outlet, duplicates.c.origin),
                duplicates.c.similarity,
            )
            .join(documents, documents.c.id == duplicates.c.document_id)
            .order_by(duplicates.c.document_id, duplicates.c.id)
        ).all()
        removed: dict[str, int] = dict(
            conn.execute(
                select(removed_text.c.reason, func.count()).group_by(removed_text.c.reason)
            ).all()
        )
        last_run = conn.scalar(select(func.max(dropped_items.c.run_id)))
        dropped: dict[str, int] = (
            dict(
                conn.execute(
                    select(dropped_items.c.reason, func.count())
                    .where(dropped_items.c.run_id == last_run)
                    .group_by(dropped_items.c.reason)
                ).all()
            )
            if last_run is not None
            else {}
        )
        latest_rows = conn.execute(
            select(documents.c.published, documents.c.outlet, documents.c.title)
            .where(first)
            .order_by(documents.c.published.desc().nulls_last())
            .limit(latest)
        ).all()
    extraction = _extraction_summary(engine)
    months = Counter(d.strftime("%Y-%m") for d in published)
    stories: dict[str, StoryCopies] = {}
    for doc_id, title, outlet, kind, where, similarity in copy_rows:
        story = stories.setdefault(doc_id, StoryCopies(doc_id, title, outlet, []))
        story.copies.append((kind, where, similarity))
    return Brief(
        status=store_status(engine),
        first_date=dates[0],
        last_date=dates[1],
        per_month=sorted(months.items()),
        per_outlet=[(str(name), int(n)) for name, n in per_outlet],
        undated_titles=list(undated),
        stories_with_copies=list(stories.values()),
        removed_by_reason=removed,
        dropped_last_run=dropped,
        latest=list(latest_rows),
        **extraction,
        **_check_summary(engine),
    )


def _check_summary(engine: Engine, *, top: int = 6) -> dict[str, Any]:
    """Flags by kind, the most serious ones, and the least credible documents."""
    from pactwatch.store.flag_queries import (
        FlagFilter,
        flag_counts,
        least_credible_documents,
        list_flags,
    )

    serious, _ = list_flags(engine, FlagFilter(severities=("serious",), limit=top))
    least = []
    for d in least_credible_documents(engine, top):
        reasons = [r for r in d["credibility_reasons"] or [] if r.get("weight")]
        reasons.sort(key=lambda r: r["weight"])
        why = "; ".join(str(r["text"]) for r in reasons[:3])
        least.append((str(d["title"] or d["id"][:12]), float(d["credibility"]), why))
    return {
        "flag_counts": flag_counts(engine),
        "serious_flags": [(f.kind, f.title or f.origin or "?", f.explanation) for f in serious],
        "least_credible": least,
    }


def _extraction_summary(engine: Engine, *, top: int = 10) -> dict[str, Any]:
    """Events by PLOVER type, cooperation areas and the most active actors."""
    with engine.connect() as conn:
        by_type = conn.execute(
            select(
                events.c.event,
                func.count(),
                func.sum(case((events.c.modality == "factual", 1), else_=0)),
            )
            .group_by(events.c.event)
            .order_by(func.count().desc())
        ).all()
        area_lists = conn.scalars(select(events.c.areas)).all()
        doc_areas = conn.scalars(
            select(documents.c.areas).where(documents.c.areas.is_not(None))
        ).all()
        top_actors = conn.execute(
            select(
                actors.c.name, actors.c.country, func.count(func.distinct(event_actors.c.event_id))
            )
            .join(event_actors, event_actors.c.actor_id == actors.c.id)
            .group_by(actors.c.id, actors.c.name, actors.c.country)
            .order_by(func.count(func.distinct(event_actors.c.event_id)).desc(), actors.c.name)
            .limit(top)
        ).all()
        latest_events = conn.execute(
            select(events.c.date, events.c.event, events.c.modality, events.c.event_text)
            .where(events.c.date.is_not(None))
            .order_by(events.c.date.desc(), events.c.id)
            .limit(8)
        ).all()
    areas: Counter[str] = Counter()
    for found in [*area_lists, *doc_areas]:
        areas.update(found or [])
    return {
        "events_by_type": [(str(t), int(n), int(f or 0)) for t, n, f in by_type],
        "areas": areas.most_common(),
        "top_actors": [(str(n), c or None, int(k)) for n, c, k in top_actors],
        "latest_events": [tuple(r) for r in latest_events],
    }
