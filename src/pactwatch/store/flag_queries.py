"""Reading flags, claims and credibility back from the store (``pactwatch flags``,
``pactwatch credibility show``, the brief, later the dashboard and the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, case, func, select

from pactwatch.store.schema import (
    credibility_overrides,
    documents,
    events,
    flags,
    office_claims,
)


@dataclass(frozen=True, slots=True)
class FlagFilter:
    kinds: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    document: str | None = None  # an id or a prefix of one
    event: str | None = None
    since: date | None = None  # documents published on or after
    until: date | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class FlagRow:
    id: int
    kind: str
    severity: str
    explanation: str
    document_id: str | None
    event_id: str | None
    evidence: list[dict[str, Any]]
    details: dict[str, Any]
    title: str | None
    outlet: str | None
    origin: str | None
    published: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "explanation": self.explanation,
            "document_id": self.document_id,
            "event_id": self.event_id,
            "evidence": self.evidence,
            "details": self.details,
            "document": {
                "title": self.title,
                "outlet": self.outlet,
                "origin": self.origin,
                "published": self.published.isoformat() if self.published else None,
            },
        }


def _prefix(value: str) -> str:
    return value.replace("%", "").replace("_", "") + "%"


def list_flags(engine: Engine, where: FlagFilter) -> tuple[list[FlagRow], int]:
    """The flags matching ``where`` (most serious and newest first) and how many match."""
    query = select(
        flags,
        documents.c.title,
        documents.c.outlet,
        documents.c.origin,
        documents.c.published,
    ).select_from(flags.outerjoin(documents, flags.c.document_id == documents.c.id))
    if where.kinds:
        query = query.where(flags.c.kind.in_(where.kinds))
    if where.severities:
        query = query.where(flags.c.severity.in_(where.severities))
    if where.document:
        query = query.where(flags.c.document_id.like(_prefix(where.document)))
    if where.event:
        query = query.where(flags.c.event_id.like(_prefix(where.event)))
    if where.since:
        query = query.where(func.date(documents.c.published) >= where.since)
    if where.until:
        query = query.where(func.date(documents.c.published) <= where.until)
    severity_order = case(
        (flags.c.severity == "serious", 0), (flags.c.severity == "warning", 1), else_=2
    )
    with engine.connect() as conn:
        total = int(conn.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = conn.execute(
            query.order_by(severity_order, documents.c.published.desc(), flags.c.id)
            .limit(where.limit)
            .offset(where.offset)
        ).all()
    return [
        FlagRow(
            r.id,
            r.kind,
            r.severity,
            r.explanation,
            r.document_id,
            r.event_id,
            list(r.evidence or []),
            dict(r.details or {}),
            r.title,
            r.outlet,
            r.origin,
            r.published,
        )
        for r in rows
    ], total


def flag_counts(engine: Engine) -> list[tuple[str, str, int, int]]:
    """(kind, severity, flags, documents) for every kind present, commonest first."""
    query = (
        select(
            flags.c.kind,
            flags.c.severity,
            func.count(),
            func.count(func.distinct(flags.c.document_id)),
        )
        .group_by(flags.c.kind, flags.c.severity)
        .order_by(func.count().desc(), flags.c.kind)
    )
    with engine.connect() as conn:
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(query)]


def least_credible_documents(engine: Engine, limit: int = 5) -> list[dict[str, Any]]:
    query = (
        select(
            documents.c.id,
            documents.c.title,
            documents.c.outlet,
            documents.c.credibility,
            documents.c.credibility_reasons,
        )
        .where(documents.c.credibility.is_not(None))
        .order_by(documents.c.credibility, documents.c.id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def credibility_detail(engine: Engine, target: str) -> dict[str, Any] | None:
    """An event's or a document's score, its reasons, its flags, claims and overrides."""
    like = _prefix(target)
    with engine.connect() as conn:
        event = conn.execute(select(events).where(events.c.id.like(like)).limit(1)).first()
        if event is not None:
            kind, target_id, document_id = "event", event.id, event.document_id
            score, reasons = event.credibility, event.credibility_reasons
            label = f"{event.event} {event.event_text or ''}".strip()
        else:
            doc = conn.execute(select(documents).where(documents.c.id.like(like)).limit(1)).first()
            if doc is None:
                return None
            kind, target_id, document_id = "document", doc.id, doc.id
            score, reasons = doc.credibility, doc.credibility_reasons
            label = doc.title or doc.origin
        flag_query = select(flags).where(flags.c.document_id == document_id)
        if kind == "event":
            flag_query = flag_query.where(
                (flags.c.event_id == target_id) | flags.c.event_id.is_(None)
            )
        found_flags = conn.execute(flag_query.order_by(flags.c.id)).all()
        claims = conn.execute(
            select(office_claims)
            .where(office_claims.c.document_id == document_id)
            .order_by(office_claims.c.start)
        ).all()
        overrides = conn.execute(
            select(credibility_overrides)
            .where(
                credibility_overrides.c.event_id == target_id
                if kind == "event"
                else credibility_overrides.c.document_id == target_id
            )
            .order_by(credibility_overrides.c.created_at)
        ).all()
    return {
        "kind": kind,
        "id": target_id,
        "document_id": document_id,
        "label": label,
        "credibility": score,
        "reasons": list(reasons or []),
        "flags": [
            {"kind": f.kind, "severity": f.severity, "explanation": f.explanation}
            for f in found_flags
        ],
        "claims": [
            {
                "person": c.person,
                "role_text": c.role_text,
                "verdict": c.verdict,
                "on_date": c.on_date.isoformat(),
                "date_basis": c.date_basis,
                "record": c.record,
            }
            for c in claims
        ],
        "overrides": [
            {
                "value": o.value,
                "computed": o.computed,
                "analyst": o.analyst,
                "reason": o.reason,
                "when": o.created_at.isoformat(),
            }
            for o in overrides
        ],
    }
