"""``check_document``: every check of one document, run in order, with credibility.

The per-document checks need nothing but the document, its extraction and the reference
knowledge, so ``pactwatch check FILE`` and ``pactwatch extract`` run them without a store,
and the ingest run calls the same function before writing. Corroboration across
documents comes later (``verify.corroboration``); ``rescore`` folds its source counts
into the credibility without re-running the checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pactwatch.extract import Extraction, event_id
from pactwatch.knowledge import Knowledge
from pactwatch.models import Document
from pactwatch.nlp.records import Event
from pactwatch.verify.credibility import (
    Credibility,
    EventEvidence,
    Override,
    document_credibility,
    event_credibility,
)
from pactwatch.verify.facts import fact_flags
from pactwatch.verify.flags import Flag, people_in_conflict
from pactwatch.verify.identity import identity_flags
from pactwatch.verify.provenance import provenance_flags
from pactwatch.verify.reference import OfficeClaim, claim_flags, office_claims
from pactwatch.verify.templated import template_flags


@dataclass(slots=True)
class DocumentCheck:
    """What the checks found in one document, and the credibility that follows."""

    document_id: str
    flags: list[Flag]
    claims: list[OfficeClaim]
    credibility: Credibility
    events: dict[str, Credibility] = field(default_factory=dict)  # by event id
    # Filled for rescoring: the evidence behind each event's score.
    evidence: dict[str, EventEvidence] = field(default_factory=dict)

    def event_flags(self, eid: str) -> list[Flag]:
        return [f for f in self.flags if f.event_id == eid]

    def as_json(self) -> dict[str, Any]:
        return {
            "flags": [f.as_json() for f in self.flags],
            "claims": [claim_json(c) for c in self.claims],
            "credibility": self.credibility.as_json(),
        }


def claim_json(claim: OfficeClaim) -> dict[str, Any]:
    return {
        "person": claim.person,
        "role_text": claim.role_text,
        "office": claim.office,
        "country": claim.country,
        "on_date": claim.on_date.isoformat(),
        "date_basis": claim.date_basis,
        "verdict": claim.verdict,
        "record": claim.record,
        "source_note": claim.source_note,
        "explanation": claim.explanation,
        "start": claim.start,
        "end": claim.end,
    }


def names_in_conflict(flags: Iterable[Flag], claims: Iterable[OfficeClaim]) -> set[str]:
    """The people whose name or office the checks contradict."""
    names = {c.person for c in claims if c.verdict == "conflict"}
    for flag in flags:
        names |= people_in_conflict(flag.kind, flag.details)
    return names


def _participants(event: Event) -> set[str]:
    names = set()
    for a in (*event.actor, *event.recipient):
        names.add(a.entity_name)
        names.update(a.candidates)
    return names


def check_document(
    document: Document,
    extraction: Extraction,
    knowledge: Knowledge,
    *,
    ingested_on: date,
    independent_sources: Mapping[str, int] | None = None,
    overrides: Mapping[str, Override] | None = None,
) -> DocumentCheck:
    """Run every per-document check; score the document and each of its events.

    ``independent_sources`` (by event id) and ``overrides`` (by event id, or by the
    document id for the document) come from the store when there is one.
    """
    flags = [
        *provenance_flags(document),
        *template_flags(document),
        *identity_flags(document, extraction),
        *fact_flags(document, extraction),
    ]
    claims = office_claims(document, extraction, knowledge, ingested_on=ingested_on)
    flags.extend(claim_flags(document, claims))
    for flag in flags:
        flag.document_id = document.id
    check = DocumentCheck(document.id, flags, claims, document_credibility([]))
    conflicted = names_in_conflict(flags, claims)
    for event in extraction.events:
        eid = event_id(document.id, event)
        check.evidence[eid] = EventEvidence(
            confidence=event.confidence,
            modality=event.modality,
            event_flags=[f.kind for f in flags if f.event_id == eid],
            # Doubts about the rest of the story weigh on every event it tells.
            document_flags=[f.kind for f in flags if f.event_id != eid],
            participant_in_conflict=bool(_participants(event) & conflicted),
        )
    rescore(check, independent_sources or {}, overrides or {})
    return check


def rescore(
    check: DocumentCheck,
    independent_sources: Mapping[str, int],
    overrides: Mapping[str, Override],
) -> None:
    """Recompute the credibility of a checked document with corroboration and overrides."""
    best = 1
    for eid, evidence in check.evidence.items():
        evidence.independent_sources = independent_sources.get(eid, 1)
        evidence.override = overrides.get(eid)
        best = max(best, evidence.independent_sources)
        check.events[eid] = event_credibility(evidence)
    check.credibility = document_credibility(
        [f.kind for f in check.flags],
        independent_sources=best,
        override=overrides.get(check.document_id),
    )
