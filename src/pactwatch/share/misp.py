"""A MISP-format feed of the store: ``manifest.json``, one ``{uuid}.json`` per document
and ``hashes.csv``, the layout MISP fetches when a feed of format "MISP Feed" is added.

Per document one MISP event: its TLP as a ``tlp:*`` tag (the TLP 2.0 taxonomy), its PLOVER
events, CAMEO codes and cooperation areas as ``plover:*``, ``cameo:*`` and ``area:*`` tags
(the same strings misp-stix makes of the STIX report's labels, so both routes give the
same tags), an event report saying what happened, the source URL as a ``link``, the
document id, the credibility as a ``float``, unresolved flags as ``comment`` attributes,
and MISP objects: ``event`` per PLOVER event, ``person`` or ``organization`` per actor,
``geolocation`` per place, with references between them. docs/sharing.md has the mapping.

UUIDs are those of the STIX export for the same things (the report's for the MISP event,
the identity's for an actor object, ...), so a partner who takes both sees one event;
attribute UUIDs are UUIDv5 over their place and value. The feed is built in a fresh
directory beside the target and swapped in when complete, so a MISP instance fetching it
never sees half a feed, and a re-export at a lower ``--max-tlp`` leaves no file behind.

Memory: one page of documents; the manifest and hashes are written line by line.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, TextIO

from sqlalchemy import Connection, Engine, func, select

from pactwatch.errors import InputError
from pactwatch.share.misp_objects import MispEventBuilder, Place
from pactwatch.share.pages import (
    ExportFilters,
    PageContent,
    document_pages,
    read_actor_records,
    read_page,
)
from pactwatch.share.tlp import normalise_level
from pactwatch.store.schema import mentions, place_mentions

MANIFEST: Final = "manifest.json"
HASHES: Final = "hashes.csv"


@dataclass(slots=True)
class MispSummary:
    documents: int = 0
    withheld_above_tlp: int = 0
    attributes: int = 0
    objects: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(self.objects.items()))
        return (
            f"{self.documents} MISP event{'s' if self.documents != 1 else ''} with "
            f"{self.attributes} attributes and {sum(self.objects.values())} objects "
            f"({kinds or 'none'}); {self.withheld_above_tlp} document"
            f"{'s' if self.withheld_above_tlp != 1 else ''} above the TLP ceiling left out"
        )


def export_misp_feed(
    engine: Engine, directory: Path, filters: ExportFilters | None = None, *, page_size: int = 200
) -> MispSummary:
    """Write the documents ``filters`` choose as a MISP feed in ``directory`` (replaced)."""
    filters = filters or ExportFilters()
    ceiling = normalise_level(filters.max_tlp)
    if directory.exists() and not _replaceable(directory):
        raise InputError(
            f"{directory} exists and is not a MISP feed (no {MANIFEST}); "
            "give an empty or new directory"
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    building = directory.with_name(f".{directory.name}.partial-{uuid.uuid4().hex[:8]}")
    building.mkdir()
    summary = MispSummary()
    try:
        with (
            (building / MANIFEST).open("w", encoding="utf-8") as manifest,
            (building / HASHES).open("w", encoding="utf-8") as hashes,
        ):
            feed = _FeedWriter(building, manifest, hashes, summary)
            with engine.connect() as conn:
                for page in document_pages(conn, filters, page_size):
                    feed.write_page(conn, read_page(conn, page, filters.area, ceiling))
            feed.close()
        _swap_in(building, directory)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return summary


def _replaceable(directory: Path) -> bool:
    return directory.is_dir() and ((directory / MANIFEST).is_file() or not any(directory.iterdir()))


def _swap_in(built: Path, directory: Path) -> None:
    """Put ``built`` in the place of ``directory``: two renames, the old feed removed after."""
    if not directory.exists():
        built.rename(directory)
        return
    old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
    directory.rename(old)
    built.rename(directory)
    shutil.rmtree(old)


class _FeedWriter:
    def __init__(
        self, directory: Path, manifest: TextIO, hashes: TextIO, summary: MispSummary
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.hashes = hashes
        self.summary = summary
        self.first = True
        manifest.write("{")

    def write_page(self, conn: Connection, page: PageContent) -> None:
        self.summary.withheld_above_tlp += page.withheld_above_tlp
        self.summary.documents += len(page.docs)
        if not page.docs:
            return
        doc_ids = [d.id for d in page.docs]
        actor_ids = sorted(page.in_events.union(*page.named.values()))
        actors: dict[int, Any] = {}
        offices: dict[int, set[str]] = {}
        for start in range(0, len(actor_ids), 500):
            rows, held = read_actor_records(conn, actor_ids[start : start + 500])
            actors.update(rows)
            offices.update(held)
        stated = _stated_roles(conn, doc_ids)
        places = _places(conn, doc_ids)
        for doc in page.docs:
            builder = MispEventBuilder(doc, page.overrides)
            events = page.events_by_doc[doc.id]
            doc_actors = sorted(
                page.named.get(doc.id, set())
                | {a for e in events for _, a in page.sides.get(e.id, [])}
            )
            for actor_id in doc_actors:
                if actor_id in actors:
                    roles = offices.get(actor_id, set()) | stated[(doc.id, actor_id)]
                    builder.add_actor(actor_id, actors[actor_id], sorted(roles))
            for place in places[doc.id]:
                builder.add_place(place)
            for e in events:
                builder.add_event(e, page.sides.get(e.id, []))
            for f in page.doc_flags.get(doc.id, []):
                builder.add_flag(f)
            self._write_event(builder.finish())

    def _write_event(self, event: dict[str, Any]) -> None:
        body = event["Event"]
        event_uuid = body["uuid"]
        path = self.directory / f"{event_uuid}.json"
        path.write_text(json.dumps(event, ensure_ascii=False, indent=1), encoding="utf-8")
        entry = {
            key: body[key]
            for key in ("Orgc", "Tag", "info", "date", "analysis", "threat_level_id", "timestamp")
        }
        self.manifest.write("\n" if self.first else ",\n")
        self.manifest.write(f"{json.dumps(event_uuid)}: {json.dumps(entry, ensure_ascii=False)}")
        self.first = False
        attributes = [
            *body.get("Attribute", []),
            *(a for o in body.get("Object", []) for a in o["Attribute"]),
        ]
        for attribute in attributes:
            # As PyMISP's feed generator: the md5 of each value, for MISP's feed cache.
            digest = hashlib.md5(_hashed(attribute).encode(), usedforsecurity=False)
            self.hashes.write(f"{digest.hexdigest()},{event_uuid}\n")
        self.summary.attributes += len(attributes)
        self.summary.objects.update(o["name"] for o in body.get("Object", []))

    def close(self) -> None:
        self.manifest.write("\n}\n")


def _hashed(attribute: dict[str, Any]) -> str:
    """The value as PyMISP hashes it: a datetime as Python prints it once parsed."""
    value = str(attribute["value"])
    if attribute["type"] == "datetime":
        return str(datetime.fromisoformat(value))
    return value


def _stated_roles(
    conn: Connection, doc_ids: Sequence[str]
) -> defaultdict[tuple[str, int], set[str]]:
    """The roles each document states for each actor it names."""
    stated: defaultdict[tuple[str, int], set[str]] = defaultdict(set)
    for r in conn.execute(
        select(mentions.c.document_id, mentions.c.actor_id, mentions.c.role_text)
        .where(
            mentions.c.document_id.in_(doc_ids),
            mentions.c.actor_id.is_not(None),
            mentions.c.role_text.is_not(None),
        )
        .distinct()
    ):
        stated[(r.document_id, r.actor_id)].add(r.role_text)
    return stated


def _places(conn: Connection, doc_ids: Sequence[str]) -> defaultdict[str, list[Place]]:
    """The places each document names, as that document gives them."""
    found: defaultdict[str, list[Place]] = defaultdict(list)
    country = func.coalesce(place_mentions.c.country, "")
    for r in conn.execute(
        select(
            place_mentions.c.document_id,
            place_mentions.c.name,
            country.label("country"),
            func.max(place_mentions.c.kind).label("kind"),
            func.max(place_mentions.c.latitude).label("latitude"),
            func.max(place_mentions.c.longitude).label("longitude"),
        )
        .where(place_mentions.c.document_id.in_(doc_ids))
        .group_by(place_mentions.c.document_id, place_mentions.c.name, country)
        .order_by(place_mentions.c.document_id, place_mentions.c.name, country)
    ):
        found[r.document_id].append(Place(r.name, r.country, r.kind, r.latitude, r.longitude))
    return found
