"""Credibility: a score between 0 and 1 for every event and every document, with reasons.

The score is built in log-odds, so that independent pieces of evidence add up and no
single one can push it past 0 or 1:

    document:  logit(prior) + the weights of the document's flags
               + corroboration (when any of its events is told by other sources)
    event:     logit(Platt(extraction confidence))      fitted on gold, calibration.py
               + the weights of its document's flags and of its own flags
               + participant_in_conflict when one of its actors is named in a conflict
               + corroboration by independent sources   (+0.6 per doubling, capped)
               + modality                               (future, hypothetical, negated)

The weights are in ``verify/data/credibility.yaml``; how they were set and checked is in
``docs/credibility.md``. Every term that is not zero becomes a reason: the factor, its
weight and a sentence. An analyst's override replaces the value and keeps the computed
one beside it in the reasons.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pactwatch.verify.calibration import Platt, load_platt
from pactwatch.yaml_load import safe_load

WEIGHTS_FILE = Path(__file__).resolve().parent / "data" / "credibility.yaml"

_FLAG_WORDS = {
    "conflicting_identity": "one person is given different names or offices",
    "role_conflicts_with_reference": "an office holder disagrees with the reference data",
    "conflicting_facts": "the text contradicts itself about the event",
    "templated_text": "the text repeats the same blocks (generated or spun content)",
    "source_disagreement": "other sources disagree on a fact",
    "respun_copy": "a respun copy of another outlet's story",
    "undated": "no publication date",
    "no_byline": "no author or outlet",
    "stray_text": "text from other pages was mixed in",
}


@dataclass(frozen=True, slots=True)
class Weights:
    document_prior: float
    flags: dict[str, tuple[float, float, float]]  # first, each_more, max
    participant_in_conflict: float
    per_doubling: float
    corroboration_max: float
    modality: dict[str, float]
    base: Platt


@cache
def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    data = safe_load(path.read_text(encoding="utf-8"))
    return Weights(
        document_prior=float(data["document_prior"]),
        flags={
            kind: (float(w["first"]), float(w["each_more"]), float(w["max"]))
            for kind, w in data["flags"].items()
        },
        participant_in_conflict=float(data["participant_in_conflict"]),
        per_doubling=float(data["corroboration"]["per_doubling"]),
        corroboration_max=float(data["corroboration"]["max"]),
        modality={k: float(v) for k, v in data["modality"].items()},
        base=load_platt(),
    )


@dataclass(frozen=True, slots=True)
class Reason:
    factor: str
    weight: float  # in log-odds; 0 for the starting point and for an override
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"factor": self.factor, "weight": round(self.weight, 3), "text": self.text}


@dataclass(frozen=True, slots=True)
class Credibility:
    score: float
    reasons: tuple[Reason, ...]

    def as_json(self) -> dict[str, Any]:
        return {"score": self.score, "reasons": [r.as_json() for r in self.reasons]}


@dataclass(frozen=True, slots=True)
class Override:
    value: float
    analyst: str
    reason: str
    when: str  # ISO timestamp


@dataclass(slots=True)
class EventEvidence:
    """What credibility weighs for one event, gathered from memory or from the store."""

    confidence: float
    modality: str
    event_flags: list[str] = field(default_factory=list)  # kinds of the event's own flags
    document_flags: list[str] = field(default_factory=list)  # kinds of its document's
    participant_in_conflict: bool = False
    independent_sources: int = 1
    override: Override | None = None


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _flag_reasons(kinds: Iterable[str], weights: Weights, scope: str) -> list[Reason]:
    reasons = []
    for kind, count in sorted(Counter(kinds).items()):
        if kind not in weights.flags:
            continue
        first, each_more, cap = weights.flags[kind]
        weight = max(cap, first + each_more * (count - 1))
        if weight == 0:
            continue
        times = f" ({count} flags)" if count > 1 else ""
        words = _FLAG_WORDS.get(kind, kind.replace("_", " "))
        reasons.append(Reason(kind, weight, f"{scope}: {words}{times}"))
    return reasons


def _corroboration(sources: int, weights: Weights) -> Reason | None:
    if sources <= 1:
        return None
    weight = min(weights.corroboration_max, weights.per_doubling * math.log2(sources))
    return Reason("corroboration", weight, f"told by {sources} independent sources")


def _finish(start: float, reasons: list[Reason], override: Override | None) -> Credibility:
    score = round(_sigmoid(start + sum(r.weight for r in reasons)), 3)
    if override is not None:
        reasons = [
            Reason(
                "analyst_override",
                0.0,
                f"set to {override.value:.2f} by {override.analyst} on {override.when[:10]}: "
                f"{override.reason} (computed {score:.2f})",
            ),
            *reasons,
        ]
        score = round(override.value, 3)
    return Credibility(score, tuple(reasons))


def event_credibility(evidence: EventEvidence, weights: Weights | None = None) -> Credibility:
    w = weights or load_weights()
    base = w.base.probability(evidence.confidence)
    reasons = [
        *_flag_reasons(evidence.document_flags, w, "the document"),
        *_flag_reasons(evidence.event_flags, w, "this event"),
    ]
    if evidence.participant_in_conflict:
        reasons.append(
            Reason(
                "participant_in_conflict",
                w.participant_in_conflict,
                "a participant's name or office is contradicted",
            )
        )
    corroboration = _corroboration(evidence.independent_sources, w)
    if corroboration:
        reasons.append(corroboration)
    modality = w.modality.get(evidence.modality, 0.0)
    if modality:
        reasons.append(Reason("modality", modality, f"the text says it is {evidence.modality}"))
    start = Reason(
        "extraction", 0.0, f"coded with confidence {evidence.confidence:.2f} (p={base:.2f})"
    )
    return _finish(_logit(base), [start, *reasons], evidence.override)


def document_credibility(
    flag_kinds: Sequence[str],
    *,
    independent_sources: int = 1,
    override: Override | None = None,
    weights: Weights | None = None,
) -> Credibility:
    """A document's score from its own flags and the best corroboration of its events."""
    w = weights or load_weights()
    reasons = _flag_reasons(flag_kinds, w, "the document")
    corroboration = _corroboration(independent_sources, w)
    if corroboration:
        reasons.append(corroboration)
    return _finish(_logit(w.document_prior), reasons, override)
