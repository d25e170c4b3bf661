"""Scoring extraction against gold sentences (``pactwatch eval``).

A gold file is JSON Lines, one annotated sentence a line (``docs/annotation-guide.md``):
``{"id", "published", "context", "text", "events": [...], "areas": [...]}``. Each
sentence (after its optional context) is run through the pipeline, and what it yields
for that sentence is compared with the annotation field by field.

Every field is scored as precision, recall and F1 over sets of facts, each fact keyed by
sentence and event type so that a right actor on the wrong event does not count:

    event       (sentence, event type)                         macro-F1 over types too
    mode        (sentence, event type, mode)
    actor       (sentence, event type, actor name)
    recipient   (sentence, event type, recipient name)
    country     (sentence, event type, side, country)          actor and recipient
    sector      (sentence, event type, side, country, sector)
    area        (sentence, area)                               sentence-level areas
    place       (sentence, event type, place country)
    date        (sentence, event type, date)
    modality    (sentence, event type, modality)

Repeated facts count once per sentence (a set), which is what an analyst reads.
Names are compared case- and diacritic-insensitively.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from spacy.language import Language

from pactwatch.errors import MalformedInput
from pactwatch.extract import extract_documents
from pactwatch.models import Document
from pactwatch.nlp.records import Event

FIELDS = (
    "event",
    "mode",
    "actor",
    "recipient",
    "country",
    "sector",
    "area",
    "place",
    "date",
    "modality",
)

Fact = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class GoldSentence:
    id: str
    text: str
    context: str | None
    published: date | None
    events: list[dict[str, Any]]
    areas: list[str]


@dataclass(slots=True)
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: set[Fact], gold: set[Fact]) -> None:
        self.true_positives += len(predicted & gold)
        self.predicted += len(predicted)
        self.gold += len(gold)


@dataclass(slots=True)
class EvalReport:
    sentences: int
    fields: dict[str, Score]
    per_event_type: dict[str, Score] = field(default_factory=dict)

    @property
    def event_macro_f1(self) -> float:
        """Mean F1 over the event types present in the gold data."""
        scores = [s.f1 for s in self.per_event_type.values() if s.gold]
        return sum(scores) / len(scores) if scores else 0.0

    def as_json(self) -> dict[str, Any]:
        def row(s: Score) -> dict[str, float | int]:
            return {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "tp": s.true_positives,
                "predicted": s.predicted,
                "gold": s.gold,
            }

        return {
            "sentences": self.sentences,
            "event_macro_f1": round(self.event_macro_f1, 4),
            "fields": {name: row(s) for name, s in self.fields.items()},
            "per_event_type": {name: row(s) for name, s in sorted(self.per_event_type.items())},
        }


def fold(name: str | None) -> str:
    """A name compared without case or diacritics ("Vučić" == "vucic")."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def load_gold(path: Path) -> list[GoldSentence]:
    sentences = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            published = record.get("published")
            sentences.append(
                GoldSentence(
                    id=str(record["id"]),
                    text=str(record["text"]),
                    context=record.get("context") or None,
                    published=date.fromisoformat(published) if published else None,
                    events=list(record.get("events") or []),
                    areas=list(record.get("areas") or []),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise MalformedInput(f"{path}:{number}: not a gold sentence ({exc})") from exc
    return sentences


def _gold_facts(s: GoldSentence) -> dict[str, set[Fact]]:
    facts: dict[str, set[Fact]] = defaultdict(set)
    for e in s.events:
        kind = e["event"]
        facts["event"].add((kind,))
        facts["mode"].add((kind, e.get("mode")))
        facts["modality"].add((kind, e.get("modality", "factual")))
        if e.get("date"):
            facts["date"].add((kind, e["date"]))
        place = e.get("place") or {}
        if place.get("country"):
            facts["place"].add((kind, place["country"]))
        for side in ("actor", "recipient"):
            for a in e.get(side) or []:
                facts[side].add((kind, fold(a.get("name") or a.get("text"))))
                if a.get("country"):
                    facts["country"].add((kind, side, a["country"]))
                    facts["sector"].add((kind, side, a["country"], a.get("sector")))
    facts["area"] = {(a,) for a in s.areas}
    return facts


def _predicted_facts(events: Iterable[Event], areas: Iterable[str]) -> dict[str, set[Fact]]:
    facts: dict[str, set[Fact]] = defaultdict(set)
    for e in events:
        kind = e.event
        facts["event"].add((kind,))
        facts["mode"].add((kind, e.mode))
        facts["modality"].add((kind, e.modality))
        if e.date:
            facts["date"].add((kind, e.date))
        if e.event_loc is not None and e.event_loc.country:
            facts["place"].add((kind, e.event_loc.country))
        for side, people in (("actor", e.actor), ("recipient", e.recipient)):
            for a in people:
                facts[side].add((kind, fold(a.entity_name)))
                for name in a.candidates:  # an ambiguous surname may name any candidate
                    facts[side].add((kind, fold(name)))
                if a.country:
                    facts["country"].add((kind, side, a.country))
                    facts["sector"].add((kind, side, a.country, a.sector))
    facts["area"] = {(a,) for a in areas}
    return facts


def _documents(sentences: list[GoldSentence]) -> Iterator[Document]:
    for s in sentences:
        text = f"{s.context}\n{s.text}" if s.context else s.text
        published = (
            datetime(s.published.year, s.published.month, s.published.day, tzinfo=UTC)
            if s.published
            else None
        )
        yield Document(
            id=s.id, text=text, origin=s.id, fetched_at=datetime.now(UTC), published=published
        )


def evaluate(sentences: list[GoldSentence], nlp: Language) -> EvalReport:
    """Score the pipeline ``nlp`` on ``sentences``."""
    fields = {name: Score() for name in FIELDS}
    per_type: dict[str, Score] = defaultdict(Score)
    for s, x in zip(sentences, extract_documents(_documents(sentences), nlp), strict=True):
        offset = len(s.context) + 1 if s.context else 0
        # Only what the pipeline says about the annotated sentence, not its context.
        events = [e for e in x.events if any(m.sentence_end > offset for m in e.mentions)]
        areas = {
            area
            for index, found in x.sentence_areas.items()
            if index < len(x.sentence_spans) and x.sentence_spans[index][1] > offset
            for area in found
        }
        gold = _gold_facts(s)
        predicted = _predicted_facts(events, areas)
        for name in FIELDS:
            fields[name].add(predicted.get(name, set()), gold.get(name, set()))
        types = {f[0] for f in gold.get("event", set()) | predicted.get("event", set())}
        for kind in types:
            per_type[kind].add(predicted["event"] & {(kind,)}, gold["event"] & {(kind,)})
    return EvalReport(sentences=len(sentences), fields=fields, per_event_type=dict(per_type))
