"""Corroboration over the store: reads events near the given documents in time, clusters
them (``verify.corroboration``), and writes clusters, ``events.cluster_id`` and the
``source_disagreement`` and ``respun_copy`` flags (``verify.corroboration_flags_store``),
in one transaction.

Only a window of the store is read: the events of the given documents, the events dated
(or, when undated, published) within reach of them in time, found through the date
indexes, and every member of the clusters those events already belong to, so that a
cluster is always recomputed whole. With no documents given (or more than ``CHUNK``),
the documents are walked in chunks in publication order, each chunk with its own
window; a document's window is a few short date ranges around its own dates, never the
span between its oldest and newest mention.

Re-running gives the same result: cluster ids are member event ids, and the flags of the
events read are replaced (keeping an analyst's ``resolved`` mark on a flag that comes
back unchanged).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, delete, insert, or_, select, update

from pactwatch.store.schema import (
    actors,
    documents,
    duplicates,
    event_actors,
    event_clusters,
    event_mentions,
    events,
)
from pactwatch.verify.corroboration import (
    ActorRef,
    ClusterOptions,
    CopyRef,
    EventCluster,
    EventRecord,
    MentionText,
    PlaceRef,
    cluster_events,
    disagreement_flags,
)
from pactwatch.verify.corroboration_flags_store import replace_flags, respun_flags

__all__ = ["CorroborationSummary", "corroborate"]

CHUNK = 200  # documents per window when the whole store is walked
IN_CHUNK = 500  # ids per IN (...) list
COARSE = ("week", "month")
MONTH = timedelta(days=31)


@dataclass(slots=True)
class CorroborationSummary:
    """What a run wrote: clusters recomputed, those told by several independent sources
    (with their documents), events read and flags written."""

    clusters: int = 0
    multi_source_clusters: int = 0  # told by two or more independent sources
    events: int = 0
    disagreement_flags: int = 0
    respun_copy_flags: int = 0
    multi_source: list[dict[str, Any]] = field(default_factory=list)

    @property
    def flags_written(self) -> int:
        return self.disagreement_flags + self.respun_copy_flags


def _chunks(items: Sequence[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _as_date(value: datetime | date | None) -> date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value


def corroborate(
    engine: Engine,
    document_ids: Iterable[str] | None = None,
    *,
    options: ClusterOptions | None = None,
) -> CorroborationSummary:
    """Cluster the events of ``document_ids`` (every processed document when None) with
    their neighbours in time, and write clusters and flags in one transaction."""
    opts = options or ClusterOptions()
    summary = CorroborationSummary()
    seen_clusters: set[str] = set()
    with engine.begin() as conn:
        if document_ids is None:
            ordered = list(
                conn.scalars(
                    select(documents.c.id)
                    .where(documents.c.status == "processed")
                    .order_by(documents.c.published, documents.c.id)
                )
            )
            batches = list(_chunks(ordered, CHUNK))
        else:
            wanted = sorted(set(document_ids))
            if len(wanted) > CHUNK:  # a large ingest: walk it in publication order too
                wanted = _in_publication_order(conn, wanted)
            batches = list(_chunks(wanted, CHUNK))
        for batch in batches:
            _corroborate_window(conn, batch, opts, summary, seen_clusters)
    return summary


def _in_publication_order(conn: Connection, doc_ids: list[str]) -> list[str]:
    found: list[tuple[datetime | None, str]] = []
    for chunk in _chunks(doc_ids):
        found.extend(
            (row.published, row.id)
            for row in conn.execute(
                select(documents.c.id, documents.c.published).where(documents.c.id.in_(chunk))
            )
        )
    stamp_min = datetime.min.replace(tzinfo=UTC)
    ordered = [doc for _, doc in sorted(found, key=lambda r: (r[0] or stamp_min, r[1]))]
    return ordered + sorted(set(doc_ids) - set(ordered))


def _reach(opts: ClusterOptions) -> timedelta:
    """How far from an event's day another it may be linked to can lie (undated events
    are placed at their publication date)."""
    return timedelta(days=opts.undated_window_days + opts.window_days + 1)


def _corroborate_window(
    conn: Connection,
    doc_ids: list[str],
    opts: ClusterOptions,
    summary: CorroborationSummary,
    seen_clusters: set[str],
) -> None:
    if not doc_ids:
        return
    event_ids = _window_event_ids(conn, doc_ids, opts)
    records = _records(conn, event_ids)
    copies = _copies(conn, sorted({r.document_id for r in records} | set(doc_ids)))
    clusters = cluster_events(records, copies=copies, options=opts)
    texts = _texts_for_flags(conn, clusters)
    new_flags = [f for c in clusters for f in disagreement_flags(c, texts)]
    _write_clusters(conn, records, clusters)
    replace_flags(conn, "source_disagreement", event_ids=event_ids, flags_=new_flags)
    respun = respun_flags(conn, copies)
    replace_flags(
        conn, "respun_copy", document_ids=sorted({c.document_id for c in copies}), flags_=respun
    )
    for cluster in clusters:
        if cluster.id in seen_clusters:
            continue
        seen_clusters.add(cluster.id)
        summary.clusters += 1
        if cluster.independent_sources >= 2:
            summary.multi_source_clusters += 1
            summary.multi_source.append(
                {
                    "cluster_id": cluster.id,
                    "event": cluster.event,
                    "date": cluster.date.isoformat() if cluster.date else None,
                    "documents": cluster.documents,
                    "independent_sources": cluster.independent_sources,
                }
            )
    summary.events += len(records)
    summary.disagreement_flags += len(new_flags)
    summary.respun_copy_flags += len(respun)


def _ranges(days: list[date], reach: timedelta) -> list[tuple[date, date]]:
    """The days within ``reach`` of any of ``days``, as few disjoint ranges: a document
    that mentions 1999 and 2023 reads two short windows, not the 24 years between."""
    merged: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        low, high = day - reach, day + reach
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return merged


def _window_event_ids(conn: Connection, doc_ids: list[str], opts: ClusterOptions) -> list[str]:
    """Events of the documents, their neighbours in time, and whole existing clusters."""
    own: list[Any] = []
    for chunk in _chunks(doc_ids):
        own.extend(
            conn.execute(
                select(
                    events.c.id,
                    events.c.date,
                    events.c.date_precision,
                    events.c.cluster_id,
                    documents.c.published,
                )
                .join(documents, documents.c.id == events.c.document_id)
                .where(events.c.document_id.in_(chunk))
            ).all()
        )
    days: list[date] = []
    for row in own:
        days.extend(d for d in (row.date, _as_date(row.published)) if d is not None)
        if row.date is not None and row.date_precision in COARSE:
            days.append(row.date + MONTH)  # the end of a week or month
    ids = {row.id for row in own}
    for low, high in _ranges(days, _reach(opts)):
        ids.update(conn.scalars(select(events.c.id).where(events.c.date.between(low, high))).all())
        # an event dated to a week or a month is stored at its first day
        ids.update(
            conn.scalars(
                select(events.c.id).where(
                    and_(
                        events.c.date.between(low - MONTH, low),
                        events.c.date_precision.in_(COARSE),
                    )
                )
            ).all()
        )
        start = datetime.combine(low, datetime.min.time(), tzinfo=UTC)
        end = datetime.combine(high + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        ids.update(
            conn.scalars(
                select(events.c.id)
                .join(documents, documents.c.id == events.c.document_id)
                .where(
                    and_(
                        events.c.date.is_(None),
                        documents.c.published >= start,
                        documents.c.published < end,
                    )
                )
            ).all()
        )
    clusters = sorted({row.cluster_id for row in own if row.cluster_id})
    current = sorted(ids)
    for chunk in _chunks(current):
        clusters.extend(
            c
            for c in conn.scalars(
                select(events.c.cluster_id).where(
                    and_(events.c.id.in_(chunk), events.c.cluster_id.is_not(None))
                )
            )
            if c
        )
    for chunk in _chunks(sorted(set(clusters))):
        ids.update(conn.scalars(select(events.c.id).where(events.c.cluster_id.in_(chunk))).all())
    return sorted(ids)


def _records(conn: Connection, event_ids: list[str]) -> list[EventRecord]:
    rows: list[Any] = []
    mentions: dict[str, list[MentionText]] = defaultdict(list)
    kinds: dict[tuple[str, str, str], str] = {}
    for chunk in _chunks(event_ids):
        rows.extend(
            conn.execute(
                select(
                    events.c.id,
                    events.c.document_id,
                    events.c.event,
                    events.c.actor,
                    events.c.recipient,
                    events.c.event_loc,
                    events.c.date,
                    events.c.date_precision,
                    events.c.modality,
                    events.c.mode,
                    events.c.event_text,
                    documents.c.outlet,
                    documents.c.published,
                    documents.c.duplicate_of,
                )
                .join(documents, documents.c.id == events.c.document_id)
                .where(events.c.id.in_(chunk))
            ).all()
        )
        for m in conn.execute(
            select(
                event_mentions.c.event_id, event_mentions.c.sentence_start, event_mentions.c.text
            )
            .where(event_mentions.c.event_id.in_(chunk))
            .order_by(event_mentions.c.event_id, event_mentions.c.sentence_start)
        ):
            mentions[m.event_id].append(MentionText(m.text, m.sentence_start))
        # Each event's own actors: one name may be a country in one document and a
        # group in another, so a kind is never borrowed from another event of the window
        # (that made the result depend on the window and on the row order).
        for a in conn.execute(
            select(event_actors.c.event_id, actors.c.name, actors.c.country, actors.c.kind)
            .join(event_actors, event_actors.c.actor_id == actors.c.id)
            .where(event_actors.c.event_id.in_(chunk))
            .order_by(event_actors.c.event_id, actors.c.name, actors.c.country, actors.c.kind)
        ):
            kinds.setdefault((a.event_id, a.name, a.country or ""), a.kind)
    unlinked = sorted(
        {
            (p.get("entity_name"), p.get("country") or "")
            for row in rows
            for p in [*(row.actor or []), *(row.recipient or [])]
            if p.get("entity_name")
            and (row.id, p.get("entity_name"), p.get("country") or "") not in kinds
        }
    )
    store_kinds = _store_kinds(conn, [name for name, _ in unlinked])
    records = []
    for row in rows:
        people = [*(row.actor or []), *(row.recipient or [])]
        refs = tuple(
            ActorRef(
                name=p.get("entity_name") or p.get("raw_text") or "",
                country=p.get("country"),
                kind=kinds.get((row.id, p.get("entity_name") or "", p.get("country") or ""))
                or store_kinds.get((p.get("entity_name") or "", p.get("country") or "")),
            )
            for p in people
            if p.get("entity_name") or p.get("raw_text")
        )
        loc = row.event_loc
        place = (
            PlaceRef(
                name=loc.get("name") or loc.get("text") or "",
                country=loc.get("country"),
                kind=loc.get("kind"),
                latitude=loc.get("latitude"),
                longitude=loc.get("longitude"),
            )
            if loc
            else None
        )
        texts = mentions.get(row.id) or ([MentionText(row.event_text)] if row.event_text else [])
        records.append(
            EventRecord(
                event_id=row.id,
                document_id=row.document_id,
                origin_group=row.duplicate_of or row.document_id,
                outlet=row.outlet,
                event=row.event,
                actors=refs,
                date=row.date,
                place=place,
                mentions=tuple(texts),
                published=_as_date(row.published),
                date_precision=row.date_precision,
                modality=row.modality,
                mode=row.mode,
            )
        )
    return records


def _store_kinds(conn: Connection, names: list[str]) -> dict[tuple[str, str], str]:
    """The kind of each (name, country) the whole store knows with one kind only: for an
    event actor with no ``event_actors`` row. It does not depend on the window read."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for chunk in _chunks(sorted(set(names))):
        for a in conn.execute(
            select(actors.c.name, actors.c.country, actors.c.kind).where(actors.c.name.in_(chunk))
        ):
            found[(a.name, a.country or "")].add(a.kind)
    return {key: next(iter(k)) for key, k in found.items() if len(k) == 1}


def _copies(conn: Connection, doc_ids: list[str]) -> list[CopyRef]:
    """Near copies (stored, status 'duplicate') of these documents."""
    out: list[CopyRef] = []
    for chunk in _chunks(doc_ids):
        for row in conn.execute(
            select(duplicates.c.document_id, duplicates.c.copy_id, documents.c.outlet)
            .join(documents, documents.c.id == duplicates.c.copy_id)
            .where(
                and_(
                    duplicates.c.kind == "near",
                    or_(duplicates.c.document_id.in_(chunk), duplicates.c.copy_id.in_(chunk)),
                )
            )
        ):
            out.append(CopyRef(row.copy_id, row.outlet, row.document_id))
    return sorted(set(out), key=lambda c: (c.original_id, c.document_id))


def _texts_for_flags(conn: Connection, clusters: list[EventCluster]) -> dict[str, str]:
    """Texts of documents in clusters of more than one document (for evidence lines)."""
    wanted = sorted({m.document_id for c in clusters if len(c.documents) > 1 for m in c.members})
    texts: dict[str, str] = {}
    for chunk in _chunks(wanted):
        texts.update(
            (row.id, row.text)
            for row in conn.execute(
                select(documents.c.id, documents.c.text).where(documents.c.id.in_(chunk))
            )
        )
    return texts


def _write_clusters(
    conn: Connection, records: list[EventRecord], clusters: list[EventCluster]
) -> None:
    event_ids = [r.event_id for r in records]
    old: set[str] = set()
    for chunk in _chunks(event_ids):
        old.update(
            c for c in conn.scalars(select(events.c.cluster_id).where(events.c.id.in_(chunk))) if c
        )
    stale = sorted(old | {c.id for c in clusters})
    for chunk in _chunks(stale):
        conn.execute(delete(event_clusters).where(event_clusters.c.id.in_(chunk)))
    stamp = datetime.now(UTC)
    if clusters:
        conn.execute(
            insert(event_clusters),
            [
                {
                    "id": c.id,
                    "event": c.event,
                    "date": c.date,
                    "documents": len(c.documents),
                    "independent_sources": c.independent_sources,
                    "updated_at": stamp,
                }
                for c in clusters
            ],
        )
        conn.execute(
            update(events)
            .where(events.c.id == bindparam("eid"))
            .values(cluster_id=bindparam("cid")),
            [{"eid": m.event_id, "cid": c.id} for c in clusters for m in c.members],
        )
