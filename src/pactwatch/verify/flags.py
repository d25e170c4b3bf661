"""``Flag`` and ``Evidence``: the one shape every check reports in.

A flag is about a document (``event_id`` None) or about one of its events. Its
``explanation`` is one line in plain words an analyst can read without the code
("'Zemaj' is given three first names for one meeting: Donika, Armend and Albin");
``evidence`` points at the words in the text (character offsets and the 1-based line)
or at the reference record that disagrees. ``details`` holds the structured facts behind
the line (claims, figures, candidates) for the API and for tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["info", "warning", "serious"]
EvidenceKind = Literal["span", "reference", "document"]

# Every kind a check may raise, with what it means; `pactwatch flags --help` lists them.
FLAG_KINDS: dict[str, str] = {
    "conflicting_identity": "one surname bound to different given names or offices for one event",
    "conflicting_facts": "mentions of one event disagree on date, place, participants or figures",
    "templated_text": "the same list or paragraph skeleton repeated across sections",
    "stray_text": "lines from other pages were found in the text and removed",
    "undated": "no publication date in the metadata or the text",
    "no_byline": "no author or outlet named",
    "role_conflicts_with_reference": "a stated office holder disagrees with the reference data",
    "source_disagreement": "documents telling of the same event disagree on a fact",
    "respun_copy": "a near copy of another outlet's story, republished",
}
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "serious")
# Kinds that say a named person may not be who or what the text claims.
PERSON_CONFLICT_KINDS = ("conflicting_identity", "role_conflicts_with_reference")


@dataclass(slots=True)
class Evidence:
    """What a flag rests on: a span of a document, a reference record or a whole document."""

    kind: EvidenceKind
    text: str
    start: int | None = None  # character offsets into the document's text
    end: int | None = None
    line: int | None = None  # 1-based line of the document's text
    document_id: str | None = None
    source: str | None = None  # where a reference record comes from

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(slots=True)
class Flag:
    """One doubt about a document or an event, explained."""

    kind: str
    severity: Severity
    explanation: str
    evidence: list[Evidence] = field(default_factory=list)
    document_id: str | None = None
    event_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in FLAG_KINDS:
            raise ValueError(f"unknown flag kind {self.kind!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")
        if "\n" in self.explanation:
            raise ValueError("a flag's explanation is one line")

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "explanation": self.explanation,
            "evidence": [e.as_json() for e in self.evidence],
            "document_id": self.document_id,
            "event_id": self.event_id,
            "details": self.details,
        }


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that character ``offset`` falls on."""
    return text.count("\n", 0, max(0, offset)) + 1


def span_evidence(text: str, start: int, end: int, document_id: str | None = None) -> Evidence:
    """Evidence pointing at ``text[start:end]`` with its line number."""
    return Evidence(
        "span",
        text[start:end],
        start=start,
        end=end,
        line=line_of(text, start),
        document_id=document_id,
    )


def people_in_conflict(kind: str, details: Mapping[str, Any] | None) -> set[str]:
    """The people a flag of ``kind`` with ``details`` says may not be who or what the
    text claims (an event they take part in weighs less)."""
    if kind not in PERSON_CONFLICT_KINDS or not isinstance(details, Mapping):
        return set()
    names = {
        str(claim["name"])
        for claim in details.get("claims") or []
        if isinstance(claim, Mapping) and claim.get("name")
    }
    if details.get("person"):
        names.add(str(details["person"]))
    return names
