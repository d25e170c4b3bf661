"""Writes of the checking stage: a document's flags, office claims and credibility.

Called inside the extraction writer's transaction, so a document's events and the flags
about them land together. Re-checking a document replaces the flags the per-document
checks own; the flags of the cross-document stage (``source_disagreement``,
``respun_copy``) belong to ``verify.corroboration_store`` and are left alone here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, bindparam, delete, insert, update

from pactwatch.store.schema import documents, events, flags, office_claims

if TYPE_CHECKING:
    from pactwatch.verify.check import DocumentCheck

CROSS_DOCUMENT_KINDS = ("source_disagreement", "respun_copy")


def write_checks(conn: Connection, checks: Sequence[DocumentCheck]) -> None:
    """Replace the per-document flags, claims and scores of the checked documents."""
    if not checks:
        return
    ids = [c.document_id for c in checks]
    conn.execute(
        delete(flags).where(flags.c.document_id.in_(ids), flags.c.kind.not_in(CROSS_DOCUMENT_KINDS))
    )
    conn.execute(delete(office_claims).where(office_claims.c.document_id.in_(ids)))
    stamp = datetime.now(UTC)
    flag_rows: list[dict[str, Any]] = []
    claim_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    for check in checks:
        flag_rows.extend(
            {
                "kind": f.kind,
                "severity": f.severity,
                "explanation": f.explanation,
                "document_id": check.document_id,
                "event_id": f.event_id,
                "evidence": [e.as_json() for e in f.evidence],
                "details": f.details,
                "resolved": False,
                "created_at": stamp,
            }
            for f in check.flags
        )
        claim_rows.extend(
            {
                "document_id": check.document_id,
                "start": c.start,
                "end": c.end,
                "person": c.person,
                "role_text": c.role_text,
                "office": c.office,
                "on_date": c.on_date,
                "date_basis": c.date_basis,
                "verdict": c.verdict,
                "record": c.record,
                "source_note": c.source_note,
            }
            for c in check.claims
        )
        event_rows.extend(
            {
                "eid": eid,
                "credibility": score.score,
                "credibility_reasons": [r.as_json() for r in score.reasons],
            }
            for eid, score in check.events.items()
        )
        conn.execute(
            update(documents)
            .where(documents.c.id == check.document_id)
            .values(
                credibility=check.credibility.score,
                credibility_reasons=[r.as_json() for r in check.credibility.reasons],
            )
        )
    if flag_rows:
        conn.execute(insert(flags), flag_rows)
    if claim_rows:
        conn.execute(insert(office_claims), claim_rows)
    if event_rows:
        conn.execute(
            update(events)
            .where(events.c.id == bindparam("eid"))
            .values(
                credibility=bindparam("credibility"),
                credibility_reasons=bindparam("credibility_reasons"),
            ),
            event_rows,
        )
