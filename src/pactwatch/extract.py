"""The extraction stage: cleaned documents in, actors, events, areas and places out.

Pure compute over the spaCy pipeline (``nlp.pipeline``): no database, so it runs the same
in one process, in spaCy's multi-process ``nlp.pipe``, or on a distributed worker. The
output of ``Extraction.as_json`` is the line ``pactwatch extract`` prints, described by
``schemas/extraction.schema.json``.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.models import Document, RemovedText
from pactwatch.nlp.records import ActorMention, Event, PlaceMention
from pactwatch.plain_data import as_dict

SCHEMA_VERSION = "1.1"  # 1.1 added flags, claims and credibility (additive)


@dataclass(slots=True)
class Actor:
    """One actor of a document: its mentions grouped under one canonical name."""

    entity_name: str
    kind: str
    country: str | None
    sector: str | None
    other_sectors: list[str]
    roles: list[str]
    ambiguous: bool
    candidates: list[str]
    wikidata_id: str | None
    mentions: list[dict[str, Any]]


@dataclass(slots=True)
class Extraction:
    """What extraction found in one document."""

    doc_id: str
    published: str | None
    mentions: list[ActorMention]
    events: list[Event]
    areas: list[str]
    sentence_areas: dict[int, list[str]]
    places: list[PlaceMention]
    removed: list[RemovedText] = field(default_factory=list)
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)  # character offsets

    def actors(self) -> list[Actor]:
        grouped: dict[tuple[str, str | None, str], Actor] = {}
        for m in self.mentions:
            key = (m.entity_name, m.country, m.kind)
            actor = grouped.get(key)
            if actor is None:
                actor = grouped[key] = Actor(
                    m.entity_name,
                    m.kind,
                    m.country,
                    m.sector,
                    list(m.other_sectors),
                    [],
                    m.ambiguous,
                    list(m.candidates),
                    m.wikidata_id,
                    [],
                )
            if m.role_text and m.role_text not in actor.roles:
                actor.roles.append(m.role_text)
            actor.mentions.append({"start": m.start, "end": m.end, "text": m.text})
        return list(grouped.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "doc_id": self.doc_id,
            "published": self.published,
            "actors": [as_dict(a) for a in self.actors()],
            "events": [event_json(self.doc_id, e) for e in self.events],
            "areas": self.areas,
            "sentence_areas": {str(k): v for k, v in sorted(self.sentence_areas.items())},
            "places": [p.as_json() for p in self.places],
            "removed": [as_dict(r) for r in self.removed],
        }


def event_id(doc_id: str, event: Event) -> str:
    """A stable id: the same event of the same document always gets the same id."""
    first = event.mentions[0] if event.mentions else None
    anchor = f"{first.trigger_start}:{first.trigger_end}" if first else event.event_text
    return hashlib.sha256(f"{doc_id}|{event.event}|{anchor}".encode()).hexdigest()[:32]


def event_json(doc_id: str, event: Event) -> dict[str, Any]:
    """An event in the PLOVER interchange shape plus pactwatch's extensions."""
    return {
        "id": event_id(doc_id, event),
        "event": event.event,
        "mode": event.mode,
        "context": event.context,
        "actor": [a.as_json() for a in event.actor],
        "recipient": [a.as_json() for a in event.recipient],
        "event_loc": event.event_loc.as_json() if event.event_loc else None,
        "date": event.date,
        "date_precision": event.date_precision,
        "event_text": event.event_text,
        "quad_code": event.quad_code,
        "plover_score": event.plover_score,
        "cameo": event.cameo,
        "areas": event.areas,
        "modality": event.modality,
        "confidence": event.confidence,
        "mentions": [m.as_json() for m in event.mentions],
    }


def prepare_doc(nlp: Language, document: Document) -> Doc:
    """A tokenised Doc carrying the publication date the components resolve dates against."""
    doc = nlp.make_doc(document.text)
    doc._.pw_published = document.published.date() if document.published else None
    return doc


def extraction_from_doc(document: Document, doc: Doc) -> Extraction:
    return Extraction(
        doc_id=document.id,
        published=document.published.date().isoformat() if document.published else None,
        mentions=list(doc._.pw_mentions or []),
        events=list(doc._.pw_events or []),
        areas=list(doc._.pw_areas or []),
        sentence_areas=dict(doc._.pw_sentence_areas or {}),
        places=list(doc._.pw_places or []),
        removed=list(document.removed),
        sentence_spans=[(sent.start_char, sent.end_char) for sent in doc.sents],
    )


def extract_documents(
    documents: Iterable[Document],
    nlp: Language,
    *,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[Extraction]:
    """Run the pipeline over ``documents`` in order, in ``n_process`` processes."""
    for _document, extraction in extract_with_documents(
        documents, nlp, n_process=n_process, batch_size=batch_size
    ):
        yield extraction


def extract_with_documents(
    documents: Iterable[Document],
    nlp: Language,
    *,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[tuple[Document, Extraction]]:
    """Each document with its extraction, in order, for the stages (checks) that need both."""
    pending: deque[Document] = deque()

    def docs() -> Iterator[Doc]:
        for document in documents:
            pending.append(document)
            yield prepare_doc(nlp, document)

    for doc in nlp.pipe(docs(), n_process=n_process, batch_size=batch_size):
        document = pending.popleft()
        yield document, extraction_from_doc(document, doc)
