"""Scoring the checks against expected flags (``pactwatch eval-flags``).

The gold file (``tests/gold/flags-demo.json``) lists, per document, the flags a careful
analyst expects: ``[kind, person]`` pairs, the person only for reference conflicts. Every
stored document not listed is expected to raise none of the scored kinds, so the clean
articles count: a flag on one of them is a false positive. Documents are matched by the
last part of their origin (a file name, a URL's last segment, ``wire.jsonl:2``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from pactwatch.errors import MalformedInput
from pactwatch.store.schema import documents, flags

Fact = tuple[str, str | None]


@dataclass(slots=True)
class KindScore:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


@dataclass(slots=True)
class FlagReport:
    documents: int
    clean_documents: int
    clean_with_flags: list[str]
    per_kind: dict[str, KindScore]
    false_positives: list[tuple[str, Fact]] = field(default_factory=list)
    missed: list[tuple[str, Fact]] = field(default_factory=list)

    @property
    def overall(self) -> KindScore:
        total = KindScore()
        for s in self.per_kind.values():
            total.true_positives += s.true_positives
            total.predicted += s.predicted
            total.expected += s.expected
        return total

    def as_json(self) -> dict[str, Any]:
        def row(s: KindScore) -> dict[str, Any]:
            return {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "tp": s.true_positives,
                "predicted": s.predicted,
                "expected": s.expected,
            }

        return {
            "documents": self.documents,
            "clean_documents": self.clean_documents,
            "clean_with_flags": self.clean_with_flags,
            "overall": row(self.overall),
            "per_kind": {k: row(s) for k, s in sorted(self.per_kind.items())},
            "false_positives": [[d, list(f)] for d, f in self.false_positives],
            "missed": [[d, list(f)] for d, f in self.missed],
        }


def load_flag_gold(path: Path) -> tuple[list[str], dict[str, set[Fact]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kinds = [str(k) for k in data["scored_kinds"]]
        expected = {
            str(name): {(str(kind), person) for kind, person in facts}
            for name, facts in data["expected"].items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MalformedInput(f"{path}: not a flag gold file ({exc})") from exc
    return kinds, expected


def _name(origin: str) -> str:
    return origin.rstrip("/").rsplit("/", 1)[-1]


def score_flags(engine: Engine, gold: Path) -> FlagReport:
    """Compare the store's flags with the gold file's expectations."""
    kinds, expected = load_flag_gold(gold)
    predicted: dict[str, set[Fact]] = defaultdict(set)
    with engine.connect() as conn:
        names = {
            r.id: _name(r.origin) for r in conn.execute(select(documents.c.id, documents.c.origin))
        }
        for r in conn.execute(
            select(flags.c.document_id, flags.c.kind, flags.c.details).where(
                flags.c.kind.in_(kinds)
            )
        ):
            person = None
            if r.kind == "role_conflicts_with_reference":
                claim = (r.details or {}).get("claim") or {}
                person = claim.get("person") if isinstance(claim, dict) else None
            predicted[names.get(r.document_id, "?")].add((r.kind, person))
    per_kind = {k: KindScore() for k in kinds}
    report = FlagReport(len(names), 0, [], per_kind)
    for name in sorted(set(names.values())):
        want = expected.get(name, set())
        got = predicted.get(name, set())
        if not want:
            report.clean_documents += 1
            if got:
                report.clean_with_flags.append(name)
        for fact in got:
            per_kind[fact[0]].predicted += 1
            if fact in want:
                per_kind[fact[0]].true_positives += 1
            else:
                report.false_positives.append((name, fact))
        for fact in want:
            per_kind[fact[0]].expected += 1
            if fact not in got:
                report.missed.append((name, fact))
    return report
