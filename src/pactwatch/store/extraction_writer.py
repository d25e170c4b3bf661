"""Writes of the extraction stage: actors, mentions, places, events, and document areas.

A batch of extractions is written in one transaction. Writing a document's extraction
replaces what an earlier run stored for it (events have deterministic ids), so
re-processing is idempotent, and the document's status becomes ``processed`` in the same
transaction: a run killed halfway leaves each document either untouched or complete.
Each event's ``day`` and its rows in ``event_countries`` and ``event_areas`` (what the
dashboard filters by) are written with it.
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
    event_areas,
    event_countries,
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


def event_side_rows(
    event_id: str, day: date | None, areas: Any, actor: Any, recipient: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An event's rows of ``event_countries`` and ``event_areas``, from its JSON columns
    (PLOVER actor objects with a ``country``; a list of area names)."""
    sides: dict[str, list[bool]] = {}
    for index, people in enumerate((actor, recipient)):
        for a in people or []:
            country = a.get("country") if isinstance(a, dict) else None
            if country:
                sides.setdefault(str(country), [False, False])[index] = True
    countries = [
        {"event_id": event_id, "country": c, "as_actor": s[0], "as_recipient": s[1], "day": day}
        for c, s in sides.items()
    ]
    named = dict.fromkeys(str(a) for a in areas or [] if a)
    return countries, [{"event_id": event_id, "area": a, "day": day} for a in named]


def _published_days(conn: Connection, doc_ids: list[str]) -> dict[str, date]:
    """Each document's publication day (UTC), for its events that state no date."""
    rows = conn.execute(
        select(documents.c.id, documents.c.published).where(documents.c.id.in_(doc_ids))
    )
    return {r.id: r.published.astimezone(UTC).date() for r in rows if r.published is not None}


def write_extractions(
    engine: Engine, batch: Sequence[Extraction], checks: Sequence[DocumentCheck] = ()
) -> set[date | None]:
    """Store a batch of extractions, and the checks of the same documents, in one
    transaction, replacing earlier ones. Returns the days whose events changed (those of
    the replaced events and of the new ones), for ``store.summaries.refresh_summaries``."""
    if not batch:
        return set()
    with engine.begin() as conn:
        ids = [x.doc_id for x in batch]
        touched: set[date | None] = set(
            conn.scalars(select(events.c.day).distinct().where(events.c.document_id.in_(ids)))
        )
        published = _published_days(conn, ids)
        _clear(conn, ids)
        actor_ids = _actor_ids(conn, batch)
        stamp = datetime.now(UTC)
        mention_rows: list[dict[str, Any]] = []
        place_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        event_actor_rows: dict[tuple[str, int, str], dict[str, Any]] = {}
        event_mention_rows: list[dict[str, Any]] = []
        country_rows: list[dict[str, Any]] = []
        area_rows: list[dict[str, Any]] = []
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
                stated = date.fromisoformat(e.date) if e.date else None
                day = stated or published.get(x.doc_id)
                touched.add(day)
                actor_json = [a.as_json() for a in e.actor]
                recipient_json = [a.as_json() for a in e.recipient]
                side_countries, side_areas = event_side_rows(
                    eid, day, e.areas, actor_json, recipient_json
                )
                country_rows.extend(side_countries)
                area_rows.extend(side_areas)
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
                        "actor": actor_json,
                        "recipient": recipient_json,
                        "event_loc": e.event_loc.as_json() if e.event_loc else None,
                        "date": stated,
                        "day": day,
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
            (event_countries, country_rows),
            (event_areas, area_rows),
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
    return touched


def _clear(conn: Connection, doc_ids: list[str]) -> None:
    """Remove what an earlier extraction of these documents stored."""
    old_events = select(events.c.id).where(events.c.document_id.in_(doc_ids))
    conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(old_events)))
    conn.execute(delete(event_countries).where(event_countries.c.event_id.in_(old_events)))
    conn.execute(delete(event_areas).where(event_areas.c.event_id.in_(old_events)))
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
