"""Deterministic STIX identifiers and timestamps, so that a re-export updates objects.

Every id is a UUIDv5 in pactwatch's own namespace over the natural key of what the
object stands for: a document's id for its report, an actor's kind, canonical name and
country for its identity, and so on. Exporting the same store twice gives the same ids
and, when nothing changed, byte-identical objects; a consumer that keeps the latest
``modified`` of each id updates instead of duplicating.

``modified`` is the latest write time of the rows an object is built from, to the
second, plus a millisecond part taken from a hash of the object's content: content that
changes with a new write moves ``modified`` forward; content changed in place (a
credibility rescored without a new row) still gets a different ``modified``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

# uuid5(NAMESPACE_URL, "https://pactwatch.invalid/stix/2.1"), fixed forever: changing it
# would make every partner see every object as new.
PACTWATCH_NAMESPACE: Final = uuid.UUID("9a69de90-85a1-5bff-844b-02dacec85231")


def stix_id(object_type: str, *key: object) -> str:
    """``{type}--{uuid5}`` over the object type and its natural key."""
    name = json.dumps([object_type, *[("" if k is None else k) for k in key]], ensure_ascii=False)
    return f"{object_type}--{uuid.uuid5(PACTWATCH_NAMESPACE, name)}"


def producer_id() -> str:
    """The identity of pactwatch as the creator of every object it exports."""
    return stix_id("identity", "producer", "pactwatch")


def report_id(document_id: str) -> str:
    return stix_id("report", document_id)


def opinion_id(document_id: str) -> str:
    return stix_id("opinion", "credibility", document_id)


def identity_id(kind: str, name: str, country: str | None) -> str:
    return stix_id("identity", kind, name, country or "")


def location_id(name: str, country: str | None) -> str:
    return stix_id("location", name, country or "")


def event_sdo_id(event_row_id: str) -> str:
    return stix_id("event", event_row_id)


def relationship_id(relationship_type: str, source_ref: str, target_ref: str, because: str) -> str:
    """A relationship between two objects as one event (``because``) states it."""
    return stix_id("relationship", relationship_type, source_ref, target_ref, because)


def note_id(kind: str, document_id: str | None, event_id: str | None, explanation: str) -> str:
    """A flag as a note; flag rows are renumbered by re-checks, so their content is the key."""
    return stix_id("note", kind, document_id or "", event_id or "", explanation)


def stix_timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with milliseconds, as STIX requires for created and modified."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def content_hash(obj: Mapping[str, Any]) -> str:
    """sha256 of an object's content, its own timestamps left out."""
    body = {k: v for k, v in obj.items() if k not in ("created", "modified")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(obj: dict[str, Any], first_written: datetime, last_written: datetime) -> dict[str, Any]:
    """Set ``created`` and ``modified`` on ``obj`` (see the module docstring) and return it."""
    first = first_written.astimezone(UTC).replace(microsecond=0)
    last = max(last_written.astimezone(UTC).replace(microsecond=0), first)
    millis = int(content_hash(obj)[:8], 16) % 1000
    obj["created"] = stix_timestamp(first)
    obj["modified"] = stix_timestamp(last + timedelta(milliseconds=millis))
    return obj
