"""Credibility over the store: rescoring after corroboration, and analysts' overrides.

The ingest run scores each document as it checks it (``verify.check``), before other
documents of the same story may be known. After ``verify.corroboration_store`` has
grouped events across documents, ``refresh_credibility`` rescores the documents touched,
from what the store holds: their flags, their conflicting claims, the independent sources
of each event's cluster, and any override an analyst has made. The overview's summaries
of the days of those events are recomputed in the same transaction (their
credibility-weighted sums change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from pactwatch.errors import PactwatchError
from pactwatch.store.schema import (
    credibility_overrides,
    documents,
    event_clusters,
    events,
    flags,
    office_claims,
)
from pactwatch.store.summaries import days_of_documents, refresh_summaries
from pactwatch.verify.credibility import (
    EventEvidence,
    Override,
    document_credibility,
    event_credibility,
)
from pactwatch.verify.flags import people_in_conflict

_CHUNK = 500


class UnknownTarget(PactwatchError):
    reason = "unknown_target"


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def overrides_for(conn: Connection, doc_ids: Sequence[str]) -> dict[str, Override]:
    """The latest override of each event of these documents and of each document."""
    event_ids = select(events.c.id).where(events.c.document_id.in_(doc_ids))
    rows = conn.execute(
        select(credibility_overrides)
        .where(
            credibility_overrides.c.document_id.in_(doc_ids)
            | credibility_overrides.c.event_id.in_(event_ids)
        )
        .order_by(credibility_overrides.c.created_at, credibility_overrides.c.id)
    ).all()
    found: dict[str, Override] = {}
    for r in rows:  # later rows replace earlier ones
        found[r.event_id or r.document_id] = Override(
            r.value, r.analyst, r.reason, r.created_at.isoformat()
        )
    return found


def _names(actor_json: Any) -> set[str]:
    names: set[str] = set()
    for a in actor_json or []:
        if isinstance(a, dict):
            names.add(str(a.get("entity_name") or ""))
            names.update(str(c) for c in a.get("candidates") or [])
    return names


def clustered_with(engine: Engine, document_ids: Iterable[str]) -> set[str]:
    """These documents and every document sharing a real-world event with one of them:
    the ones whose corroboration a new document may have changed."""
    ids = sorted(set(document_ids))
    found = set(ids)
    for chunk in _chunks(ids):
        clusters = (
            select(events.c.cluster_id)
            .where(events.c.document_id.in_(chunk), events.c.cluster_id.is_not(None))
            .scalar_subquery()
        )
        with engine.connect() as conn:
            found.update(
                conn.scalars(
                    select(events.c.document_id).distinct().where(events.c.cluster_id.in_(clusters))
                )
            )
    return found


def refresh_credibility(engine: Engine, document_ids: Iterable[str]) -> int:
    """Rescore these documents and their events; returns how many documents."""
    ids = sorted(set(document_ids))
    for chunk in _chunks(ids):
        with engine.begin() as conn:
            _refresh(conn, chunk)
            refresh_summaries(conn, days_of_documents(conn, chunk))
    return len(ids)


def _refresh(conn: Connection, doc_ids: Sequence[str]) -> None:
    flag_rows = conn.execute(
        select(flags.c.document_id, flags.c.event_id, flags.c.kind, flags.c.details).where(
            flags.c.document_id.in_(doc_ids), flags.c.resolved.is_(False)
        )
    ).all()
    by_document: dict[str, list[Any]] = defaultdict(list)
    for f in flag_rows:
        by_document[f.document_id].append(f)
    conflicted: dict[str, set[str]] = defaultdict(set)
    for r in conn.execute(
        select(office_claims.c.document_id, office_claims.c.person).where(
            office_claims.c.document_id.in_(doc_ids), office_claims.c.verdict == "conflict"
        )
    ):
        conflicted[r.document_id].add(r.person)
    for f in flag_rows:
        conflicted[f.document_id] |= people_in_conflict(f.kind, f.details)
    overrides = overrides_for(conn, doc_ids)
    event_rows = conn.execute(
        select(
            events.c.id,
            events.c.document_id,
            events.c.confidence,
            events.c.modality,
            events.c.actor,
            events.c.recipient,
            event_clusters.c.independent_sources,
        )
        .select_from(events.outerjoin(event_clusters, events.c.cluster_id == event_clusters.c.id))
        .where(events.c.document_id.in_(doc_ids))
    ).all()
    best_sources: dict[str, int] = defaultdict(lambda: 1)
    updates = []
    for e in event_rows:
        doc_flags = by_document.get(e.document_id, [])
        sources = int(e.independent_sources or 1)
        best_sources[e.document_id] = max(best_sources[e.document_id], sources)
        score = event_credibility(
            EventEvidence(
                confidence=float(e.confidence or 0.0),
                modality=e.modality,
                event_flags=[f.kind for f in doc_flags if f.event_id == e.id],
                document_flags=[f.kind for f in doc_flags if f.event_id != e.id],
                participant_in_conflict=bool(
                    (_names(e.actor) | _names(e.recipient)) & conflicted[e.document_id]
                ),
                independent_sources=sources,
                override=overrides.get(e.id),
            )
        )
        updates.append(
            {
                "eid": e.id,
                "credibility": score.score,
                "credibility_reasons": [r.as_json() for r in score.reasons],
            }
        )
    if updates:
        conn.execute(
            update(events)
            .where(events.c.id == bindparam("eid"))
            .values(
                credibility=bindparam("credibility"),
                credibility_reasons=bindparam("credibility_reasons"),
            ),
            updates,
        )
    for doc_id in doc_ids:
        score = document_credibility(
            [f.kind for f in by_document.get(doc_id, [])],
            independent_sources=best_sources[doc_id],
            override=overrides.get(doc_id),
        )
        conn.execute(
            update(documents)
            .where(documents.c.id == doc_id)
            .values(
                credibility=score.score,
                credibility_reasons=[r.as_json() for r in score.reasons],
            )
        )


def set_override(engine: Engine, target: str, value: float, analyst: str, reason: str) -> str:
    """Record an analyst's credibility for an event or a document id (a unique prefix of
    at least 8 characters is enough); returns the full id. Nothing computed is deleted:
    the computed score stays in the override row and in the reasons."""
    if not 0.0 <= value <= 1.0:
        raise ValueError("a credibility is between 0 and 1")
    if not reason.strip():
        raise ValueError("say why: an override needs a reason")
    with engine.begin() as conn:
        kind, full_id, document_id, computed = _resolve(conn, target)
        conn.execute(
            insert(credibility_overrides).values(
                event_id=full_id if kind == "event" else None,
                document_id=full_id if kind == "document" else None,
                value=value,
                computed=computed,
                analyst=analyst,
                reason=reason.strip(),
                created_at=datetime.now(UTC),
            )
        )
        _refresh(conn, [document_id])
        refresh_summaries(conn, days_of_documents(conn, [document_id]))
    return full_id


def _resolve(conn: Connection, target: str) -> tuple[str, str, str, float | None]:
    if len(target) < 8:
        raise UnknownTarget(f"{target!r}: give at least 8 characters of an event or document id")
    pattern = target.replace("%", "").replace("_", "") + "%"
    found_events = conn.execute(
        select(events.c.id, events.c.document_id, events.c.credibility)
        .where(events.c.id.like(pattern))
        .limit(2)
    ).all()
    found_documents = conn.execute(
        select(documents.c.id, documents.c.credibility).where(documents.c.id.like(pattern)).limit(2)
    ).all()
    if len(found_events) + len(found_documents) > 1:
        raise UnknownTarget(f"{target!r} matches more than one event or document; give more")
    if found_events:
        e = found_events[0]
        return "event", e.id, e.document_id, e.credibility
    if found_documents:
        d = found_documents[0]
        return "document", d.id, d.id, d.credibility
    raise UnknownTarget(f"{target!r}: no event or document has this id")
