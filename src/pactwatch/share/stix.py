"""A STIX 2.1 bundle of the store, written as a stream: documents are read in pages.

Per document: a ``report`` that says what happened on its own (MISP keeps reports and
drops ``event`` objects), the OASIS Event-extension ``event`` objects, ``identity``
objects for the actors, ``location`` objects for the places, ``relationship`` objects
between actors as each event states them, flags as ``note`` and credibility as
``opinion``. Every object carries exactly one TLP 2.0 marking: a document's level
(``documents.tlp``) applies to all that is derived from it; an actor or place shared by
several documents takes the lowest level of the documents that name it, so that it is
never withheld from a report that refers to it, and its content (roles, timestamps) comes
only from documents at that level. docs/sharing.md has the full mapping.

This module decides what is written and when; ``pages`` reads the store and
``stix_objects`` builds each object.

Memory: one page of documents with their rows, plus the ids of the identities and
locations already written (so that each is written once).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import Connection, Engine

from pactwatch.share import ids
from pactwatch.share.pages import (
    ExportFilters,
    PageContent,
    Record,
    document_pages,
    read_actors,
    read_page,
    read_places,
)
from pactwatch.share.stix_objects import (
    EVENT_EXTENSION_ID,
    document_objects,
    event_line,
    event_objects,
    finish,
    identity,
    location,
    producer,
)
from pactwatch.share.tlp import levels_up_to, marking_definition, normalise_level, tlp_rank
from pactwatch.share.values import aware

__all__ = ["EVENT_EXTENSION_ID", "BundleWriter", "ExportFilters", "ExportSummary", "export_stix"]


@dataclass(slots=True)
class ExportSummary:
    documents: int = 0
    withheld_above_tlp: int = 0
    objects: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(self.objects.items()))
        return (
            f"{_count(self.documents, 'document')} as "
            f"{_count(sum(self.objects.values()), 'STIX object')} ({kinds}); "
            f"{_count(self.withheld_above_tlp, 'document')} above the TLP ceiling left out"
        )


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


class BundleWriter:
    """Writes ``{"type": "bundle", "id": ..., "objects": [...]}`` one object at a time."""

    def __init__(self, out: TextIO, summary: ExportSummary) -> None:
        self.out = out
        self.summary = summary
        self.first = True
        bundle = f"bundle--{uuid.uuid4()}"  # a bundle is a one-off envelope, not an object
        out.write(f'{{"type": "bundle", "id": "{bundle}", "objects": [')

    def write(self, obj: dict[str, Any]) -> None:
        self.out.write("\n" if self.first else ",\n")
        self.out.write(json.dumps(obj, ensure_ascii=False))
        self.first = False
        self.summary.objects[str(obj["type"])] += 1

    def close(self) -> None:
        self.out.write("\n]}\n")


def export_stix(
    engine: Engine, out: TextIO, filters: ExportFilters | None = None, *, page_size: int = 200
) -> ExportSummary:
    """Write the store's documents that match ``filters`` to ``out`` as one STIX bundle."""
    filters = filters or ExportFilters()
    ceiling = normalise_level(filters.max_tlp)
    summary = ExportSummary()
    writer = BundleWriter(out, summary)
    for level in levels_up_to(ceiling):
        writer.write(marking_definition(level))
    writer.write(producer())
    builder = _Builder(writer, summary)
    with engine.connect() as conn:
        for page in document_pages(conn, filters, page_size):
            builder.write_page(conn, read_page(conn, page, filters.area, ceiling), ceiling)
    writer.close()
    return summary


class _Builder:
    """Writes pages of documents as STIX objects, each shared object once."""

    def __init__(self, writer: BundleWriter, summary: ExportSummary) -> None:
        self.writer = writer
        self.summary = summary
        self.identities: dict[int, str | None] = {}  # actor id -> identity id (None: unusable)
        self.locations: dict[tuple[str, str], str | None] = {}

    def write_page(self, conn: Connection, page: PageContent, ceiling: str) -> None:
        """Write one page of documents (those within ``ceiling``) with what they refer to."""
        self.summary.withheld_above_tlp += page.withheld_above_tlp
        self.summary.documents += len(page.docs)
        if not page.docs:
            return
        self._write_identities(conn, page.in_events.union(*page.named.values()), ceiling)
        self._write_locations(conn, set().union(*page.places.values()), ceiling)
        for d in page.docs:
            self._write_document(d, page)

    def _write_identities(self, conn: Connection, actor_ids: set[int], ceiling: str) -> None:
        new = sorted(a for a in actor_ids if a not in self.identities)
        for start in range(0, len(new), 500):
            chunk = new[start : start + 500]
            facts = read_actors(conn, chunk)
            for actor_id in chunk:
                actor = facts.rows.get(actor_id)
                levels = facts.levels.get(actor_id)
                if actor is None or not levels:
                    self.identities[actor_id] = None
                    continue
                tlp = min(levels, key=tlp_rank)
                if tlp_rank(tlp) > tlp_rank(ceiling):  # named only above the ceiling
                    self.identities[actor_id] = None
                    continue
                first, last = levels[tlp]
                stated = {text for level, text in facts.roles.get(actor_id, ()) if level == tlp}
                roles = sorted(facts.offices.get(actor_id, set()) | stated)
                obj = identity(actor, tlp, roles)
                self.identities[actor_id] = obj["id"]
                self.writer.write(finish(obj, first, last))

    def _write_locations(self, conn: Connection, keys: set[tuple[str, str]], ceiling: str) -> None:
        new = sorted(k for k in keys if k not in self.locations)
        for start in range(0, len(new), 300):
            chunk = new[start : start + 300]
            found = read_places(conn, chunk)
            for key in chunk:
                levels = found.get(key)
                if not levels:
                    self.locations[key] = None
                    continue
                tlp = min(levels, key=tlp_rank)
                if tlp_rank(tlp) > tlp_rank(ceiling):
                    self.locations[key] = None
                    continue
                row = levels[tlp]
                obj = location(key, row, tlp)
                self.locations[key] = obj["id"] if obj else None
                if obj:
                    self.writer.write(finish(obj, aware(row.first), aware(row.last)))

    def _write_document(self, doc: Record, page: PageContent) -> None:
        tlp = normalise_level(doc.tlp)
        event_rows = page.events_by_doc[doc.id]
        refs: list[str] = []
        lines: list[str] = []
        for e in event_rows:
            sides = page.sides.get(e.id, [])
            actor_refs = [i for s, a in sides if s == "actor" and (i := self.identities.get(a))]
            recipient_refs = [
                i for s, a in sides if s == "recipient" and (i := self.identities.get(a))
            ]
            loc = e.event_loc or None
            loc_ref = (
                self.locations.get((str(loc.get("name")), str(loc.get("country") or "")))
                if isinstance(loc, dict) and loc.get("name")
                else None
            )
            event_sdo, related = event_objects(
                e, actor_refs, recipient_refs, loc_ref, tlp, page.overrides
            )
            for obj in (event_sdo, *related):
                refs.append(obj["id"])
                self.writer.write(obj)
            lines.append(event_line(e, event_sdo["status"]))
        for actor_id in sorted(page.named.get(doc.id, set())):
            ident = self.identities.get(actor_id)
            if ident:
                refs.append(ident)
        for key in sorted(page.places.get(doc.id, set())):
            loc_id = self.locations.get(key)
            if loc_id:
                refs.append(loc_id)
        refs = list(dict.fromkeys(refs)) or [ids.producer_id()]
        flags = page.doc_flags.get(doc.id, [])
        for obj in document_objects(doc, event_rows, lines, refs, flags, page.overrides):
            self.writer.write(obj)
