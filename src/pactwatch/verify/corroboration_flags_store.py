"""The flags corroboration writes: ``source_disagreement`` on events and ``respun_copy``
on near copies, replaced per run over the events (or copies) read.

Replacing keeps an analyst's ``resolved`` mark on a flag that comes back unchanged (same
kind, event, document and explanation). Used by ``verify.corroboration_store``, inside
its transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select

from pactwatch.store.schema import documents, duplicates, flags
from pactwatch.verify.clustering import CopyRef
from pactwatch.verify.disagreement import respun_copy_flag
from pactwatch.verify.flags import Flag

__all__ = ["replace_flags", "respun_flags"]

IN_CHUNK = 500  # ids per IN (...) list


def _chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _flag_key(
    kind: str, event_id: str | None, document_id: str | None, text: str
) -> tuple[str, ...]:
    return (kind, event_id or "", document_id or "", text)


def replace_flags(
    conn: Connection,
    kind: str,
    *,
    flags_: list[Flag],
    event_ids: list[str] | None = None,
    document_ids: list[str] | None = None,
) -> None:
    """Replace the flags of ``kind`` on these events (or documents), keeping ``resolved``."""
    resolved: set[tuple[str, ...]] = set()
    if event_ids is not None:
        column, keys = flags.c.event_id, event_ids
    else:
        column, keys = flags.c.document_id, document_ids or []
    for chunk in _chunks(keys):
        where = and_(flags.c.kind == kind, column.in_(chunk))
        if event_ids is None:
            where = and_(where, flags.c.event_id.is_(None))
        for row in conn.execute(
            select(flags.c.event_id, flags.c.document_id, flags.c.explanation).where(
                and_(where, flags.c.resolved.is_(True))
            )
        ):
            resolved.add(_flag_key(kind, row.event_id, row.document_id, row.explanation))
        conn.execute(delete(flags).where(where))
    if not flags_:
        return
    stamp = datetime.now(UTC)
    conn.execute(
        insert(flags),
        [
            {
                "kind": f.kind,
                "severity": f.severity,
                "explanation": f.explanation,
                "document_id": f.document_id,
                "event_id": f.event_id,
                "evidence": [e.as_json() for e in f.evidence],
                "details": f.details,
                "resolved": _flag_key(f.kind, f.event_id, f.document_id, f.explanation) in resolved,
                "created_at": stamp,
            }
            for f in flags_
        ],
    )


def respun_flags(conn: Connection, copies: list[CopyRef]) -> list[Flag]:
    """``respun_copy`` flags for these near copies: the outlet and title of the story
    each copies, and how alike the two are."""
    if not copies:
        return []
    originals = sorted({c.original_id for c in copies})
    info: dict[str, Any] = {}
    similarity: dict[tuple[str, str], float] = {}
    for chunk in _chunks(originals):
        info.update(
            (row.id, row)
            for row in conn.execute(
                select(documents.c.id, documents.c.outlet, documents.c.title).where(
                    documents.c.id.in_(chunk)
                )
            )
        )
        for row in conn.execute(
            select(duplicates.c.document_id, duplicates.c.copy_id, duplicates.c.similarity).where(
                and_(duplicates.c.document_id.in_(chunk), duplicates.c.kind == "near")
            )
        ):
            similarity[(row.document_id, row.copy_id)] = row.similarity
    out = []
    for copy in copies:
        original = info.get(copy.original_id)
        out.append(
            respun_copy_flag(
                copy,
                original_outlet=original.outlet if original else None,
                original_title=original.title if original else None,
                similarity=similarity.get((copy.original_id, copy.document_id), 0.0),
            )
        )
    return out
