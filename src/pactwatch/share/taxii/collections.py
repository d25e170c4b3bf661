"""TAXII collections built from saved filters, materialised into ``taxii_objects``.

A collection's ``filter`` is the STIX export's filters plus a TLP ceiling (``max_tlp``),
and optionally ``partner_objects: true`` to pass on what partners shared with us (only at
or below the ceiling, and only what its own TLP allows). ``refresh_collections`` runs the
export for each such collection and appends what changed: an object whose id and version
(``modified``) are already there is not written again, a new ``modified`` is a new version.
The lead's ingest calls it at the end of a run.

Each row keeps the TLP rank of its object's marking, so that a partner's ceiling is a
plain comparison when it is served.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import Engine, insert, select, update

from pactwatch.errors import InputError
from pactwatch.share.pages import ExportFilters
from pactwatch.share.stix import export_stix
from pactwatch.share.taxii.store import DEFAULT_ROOT, append_objects
from pactwatch.share.tlp import TLP1_WHITE_ID, TLP_BY_ID, normalise_level, tlp_rank
from pactwatch.store.schema import partner_objects, taxii_collections

# TLP 1.0 marking ids that partners' tools still send: read as their TLP 2.0 level.
TLP1_IDS: Final[Mapping[str, str]] = {
    TLP1_WHITE_ID: "clear",
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
}


def tlp_rank_of(obj: Mapping[str, Any]) -> int | None:
    """The most restrictive TLP level an object is marked with (a TLP marking definition
    itself is clear); None when it carries no TLP marking."""
    ident = str(obj.get("id", ""))
    if obj.get("type") == "marking-definition" and (ident in TLP_BY_ID or ident in TLP1_IDS):
        return 0
    ranks = [
        tlp_rank(TLP_BY_ID.get(ref) or TLP1_IDS[ref])
        for ref in obj.get("object_marking_refs") or []
        if ref in TLP_BY_ID or ref in TLP1_IDS
    ]
    return max(ranks) if ranks else None


@dataclass(frozen=True, slots=True)
class CollectionFilter:
    """What a collection holds: documents chosen as the STIX export chooses them."""

    max_tlp: str = "green"
    since: date | None = None
    until: date | None = None
    country: str | None = None
    area: str | None = None
    event: str | None = None
    partner_objects: bool = False  # pass on partners' objects at or below max_tlp

    def to_json(self) -> dict[str, Any]:
        return {
            "max_tlp": normalise_level(self.max_tlp),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "country": self.country,
            "area": self.area,
            "event": self.event,
            "partner_objects": self.partner_objects,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CollectionFilter:
        def day(key: str) -> date | None:
            value = data.get(key)
            return date.fromisoformat(value) if value else None

        return cls(
            max_tlp=normalise_level(str(data.get("max_tlp") or "green")),
            since=day("since"),
            until=day("until"),
            country=data.get("country"),
            area=data.get("area"),
            event=data.get("event"),
            partner_objects=bool(data.get("partner_objects")),
        )

    def export_filters(self) -> ExportFilters:
        return ExportFilters(
            since=self.since,
            until=self.until,
            country=self.country,
            area=self.area,
            event=self.event,
            max_tlp=self.max_tlp,
        )


def create_collection(
    engine: Engine,
    title: str,
    saved: CollectionFilter | None,
    *,
    description: str | None = None,
    api_root: str = DEFAULT_ROOT,
) -> str:
    """A new collection (its UUID); ``saved`` None makes one partners write into."""
    if not title.strip():
        raise InputError("a collection needs a title")
    collection_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            insert(taxii_collections).values(
                id=collection_id,
                api_root=api_root,
                title=title.strip(),
                description=description,
                filter=saved.to_json() if saved else None,
                created_at=datetime.now(UTC),
            )
        )
    return collection_id


@dataclass(slots=True)
class RefreshSummary:
    collections: int = 0
    added: int = 0  # new objects or new versions
    unchanged: int = 0
    by_collection: dict[str, int] = field(default_factory=dict)  # title -> added

    def line(self) -> str:
        return (
            f"{self.collections} collections refreshed: {self.added} new objects or versions, "
            f"{self.unchanged} unchanged"
        )


def refresh_collections(engine: Engine) -> RefreshSummary:
    """Bring every filter-built collection up to date with the store."""
    summary = RefreshSummary()
    with engine.connect() as conn:
        rows = conn.execute(
            select(taxii_collections.c.id, taxii_collections.c.title, taxii_collections.c.filter)
            .where(taxii_collections.c.filter.is_not(None))
            .order_by(taxii_collections.c.created_at, taxii_collections.c.id)
        ).all()
    for row in rows:
        if not row.filter:
            continue
        added, unchanged = refresh_collection(
            engine, str(row.id), CollectionFilter.from_json(row.filter)
        )
        summary.collections += 1
        summary.added += added
        summary.unchanged += unchanged
        summary.by_collection[str(row.title)] = added
    return summary


def refresh_collection(
    engine: Engine, collection_id: str, saved: CollectionFilter
) -> tuple[int, int]:
    """(added, unchanged) for one collection."""
    ceiling = tlp_rank(saved.max_tlp)
    out = io.StringIO()
    export_stix(engine, out, saved.export_filters())
    bundle = json.loads(out.getvalue())
    items: list[tuple[dict[str, Any], int]] = []
    for obj in bundle["objects"]:
        rank = tlp_rank_of(obj)
        if rank is None or rank > ceiling:  # the export marks everything; be sure anyway
            continue
        items.append((obj, rank))
    with engine.begin() as conn:
        appended = append_objects(conn, collection_id, items, "pactwatch")
        added, unchanged = appended.added, appended.unchanged
        if saved.partner_objects:
            theirs = [
                (dict(row.object), int(row.tlp_rank))
                for row in conn.execute(
                    select(partner_objects.c.object, partner_objects.c.tlp_rank)
                    .where(partner_objects.c.tlp_rank <= ceiling)
                    .order_by(partner_objects.c.id)
                )
            ]
            passed_on = append_objects(conn, collection_id, theirs, "partner")
            added, unchanged = added + passed_on.added, unchanged + passed_on.unchanged
        conn.execute(
            update(taxii_collections)
            .where(taxii_collections.c.id == collection_id)
            .values(refreshed_at=datetime.now(UTC))
        )
    return added, unchanged
