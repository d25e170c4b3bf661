"""Writes of the extraction stage: actors, mentions, places, events, and document areas.

A batch of extractions is written in one transaction. Writing a document's extraction
replaces what an earlier run stored for it (events have deterministic ids), so
re-processing is idempotent, and the document's status becomes ``processed`` in the same
transaction: a run killed halfway leaves each document either untouched or complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, insert, select, tuple_, update

from pactwatch.extract import Extraction, event_id
from pactwatch.nlp.records import ActorMention, EventActor
from pactwatch.store.check_writer import write_checks
from pactwatch.store.schema import (
    actors,
    documents,
    event_actors,
    event_mentions,
    events,
    mentions,
    place_mentions,
)

if TYPE_CHECKING:
    from pactwatch.verify.check import DocumentCheck

ActorKey = tuple[str, str, str]  # kind, name, country ("" when none)


def _mention_key(m: ActorMention) -> ActorKey | None:
    """The canonical actor a mention names; None while it is ambiguous."""
    return None if m.ambiguous else (m.kind, m.entity_name, m.country or "")


def _event_actor_key(a: EventActor, kinds: dict[tuple[str, str], str]) -> ActorKey | None:
    if a.ambiguous:
        return None
    kind = kinds.get((a.entity_name, a.country or ""))
    return None if kind is None else (kind, a.entity_name, a.country or "")


def write_extractions(
    engine: Engine, batch: Sequence[Extraction], checks: Sequence[DocumentCheck] = ()
) -> None:
    """Store a batch of extractions, and the checks of the same documents, in one
    transaction, replacing earlier ones."""
    if not batch:
        return
    with engine.begin() as conn:
        ids = [x.doc_id for x in batch]
        _clear(conn, ids)
        actor_ids = _actor_ids(conn, batch)
        stamp = datetime.now(UTC)
        mention_rows: list[dict[str, Any]] = []
        place_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        event_actor_rows: dict[tuple[str, int, str], dict[str, Any]] = {}
        event_mention_rows: list[dict[str, Any]] = []
        for x in batch:
            kinds: dict[tuple[str, str], str] = {
                (m.entity_name, m.country or ""): m.kind for m in x.mentions
            }
            for m in x.mentions:
                key = _mention_key(m)
                mention_rows.append(
                    {
                        "document_id": x.doc_id,
                        "actor_id": actor_ids.get(key) if key else None,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "kind": m.kind,
                        "role_text": m.role_text,
                        "country": m.country,
                        "sector": m.sector,
                        "candidates": m.candidates,
                    }
                )
            place_rows.extend(
                {
                    "document_id": x.doc_id,
                    "start": p.start,
                    "end": p.end,
                    "text": p.text,
                    "name": p.name,
                    "kind": p.kind,
                    "country": p.country,
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "candidates": p.candidates,
                }
                for p in x.places
            )
            for e in x.events:
                eid = event_id(x.doc_id, e)
                event_rows.append(
                    {
                        "id": eid,
                        "document_id": x.doc_id,
                        "event": e.event,
                        "mode": e.mode,
                        "contexts": e.context,
                        "cameo": e.cameo,
                        "quad_code": e.quad_code,
                        "plover_score": e.plover_score,
                        "areas": e.areas,
                        "actor": [a.as_json() for a in e.actor],
                        "recipient": [a.as_json() for a in e.recipient],
                        "event_loc": e.event_loc.as_json() if e.event_loc else None,
                        "date": date.fromisoformat(e.date) if e.date else None,
                        "date_precision": e.date_precision,
                        "modality": e.modality,
                        "confidence": e.confidence,
                        "event_text": e.event_text,
                        "created_at": stamp,
                    }
                )
                for side, people in (("actor", e.actor), ("recipient", e.recipient)):
                    for a in people:
                        key = _event_actor_key(a, kinds)
                        if key and key in actor_ids:
                            row = {"event_id": eid, "actor_id": actor_ids[key], "side": side}
                            event_actor_rows[(eid, actor_ids[key], side)] = row
                event_mention_rows.extend(
                    {
                        "event_id": eid,
                        "document_id": x.doc_id,
                        "sentence_start": m.sentence_start,
                        "sentence_end": m.sentence_end,
                        "text": m.text,
                    }
                    for m in e.mentions
                )
        for table, rows in (
            (mentions, mention_rows),
            (place_mentions, place_rows),
            (events, event_rows),
            (event_actors, list(event_actor_rows.values())),
            (event_mentions, event_mention_rows),
        ):
            if rows:
                conn.execute(insert(table), rows)
        for x in batch:
            conn.execute(
                update(documents)
                .where(documents.c.id == x.doc_id)
                .values(status="processed", areas=x.areas)
            )
        write_checks(conn, checks)


def _clear(conn: Connection, doc_ids: list[str]) -> None:
    """Remove what an earlier extraction of these documents stored."""
    old_events = select(events.c.id).where(events.c.document_id.in_(doc_ids))
    conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(old_events)))
    conn.execute(delete(event_mentions).where(event_mentions.c.document_id.in_(doc_ids)))
    conn.execute(delete(events).where(events.c.document_id.in_(doc_ids)))
    conn.execute(delete(mentions).where(mentions.c.document_id.in_(doc_ids)))
    conn.execute(delete(place_mentions).where(place_mentions.c.document_id.in_(doc_ids)))


def _actor_ids(conn: Connection, batch: Sequence[Extraction]) -> dict[ActorKey, int]:
    """Ids of every canonical actor the batch names, creating the missing ones."""
    wanted: dict[ActorKey, ActorMention] = {}
    for x in batch:
        for m in x.mentions:
            key = _mention_key(m)
            if key is not None:
                wanted.setdefault(key, m)
    if not wanted:
        return {}
    keys = list(wanted)
    found: dict[ActorKey, int] = {}
    for start in range(0, len(keys), 300):
        chunk = keys[start : start + 300]
        rows = conn.execute(
            select(actors.c.id, actors.c.kind, actors.c.name, actors.c.country).where(
                tuple_(actors.c.kind, actors.c.name, actors.c.country).in_(chunk)
            )
        )
        found.update({(r.kind, r.name, r.country): r.id for r in rows})
    missing = [k for k in keys if k not in found]
    if missing:
        conn.execute(
            insert(actors),
            [
                {
                    "kind": k[0],
                    "name": k[1],
                    "country": k[2],
                    "sectors": [s for s in [wanted[k].sector, *wanted[k].other_sectors] if s],
                    "aliases": [],
                    "wikidata_id": wanted[k].wikidata_id,
                }
                for k in missing
            ],
        )
        rows = conn.execute(
            select(actors.c.id, actors.c.kind, actors.c.name, actors.c.country).where(
                tuple_(actors.c.kind, actors.c.name, actors.c.country).in_(missing)
            )
        )
        found.update({(r.kind, r.name, r.country): r.id for r in rows})
    return found
