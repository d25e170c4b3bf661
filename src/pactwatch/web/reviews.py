"""Analysts' reviews of events (confirm, correct, reject) and their export as gold data.

A review is stored with who and when in ``event_reviews`` and never overwritten: a later
review of the same event is a new row, and the latest one is the analyst's current word.
``export_gold`` turns the latest review of every reviewed event into gold sentences in the
format of ``tests/gold/extraction-dev.jsonl`` (``docs/annotation-guide.md``), so analysts'
corrections can score the pipeline with ``pactwatch eval``:

- confirm: the event as stored becomes the gold event of its sentence;
- correct: the event with the analyst's corrections (type, mode, actors, recipients,
  areas, modality) applied;
- reject: the sentence with no event (what the pipeline found there was wrong).

Only reviewed events are written: a sentence holds the reviewed events told in it, and a
sentence with events nobody reviewed is not claimed to be complete.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine, func, insert, select

from pactwatch.errors import MalformedInput
from pactwatch.store.schema import documents, event_mentions, event_reviews, events

VERDICTS = ("confirm", "correct", "reject")
MODALITIES = ("factual", "future", "hypothetical", "negated")
CORRECTABLE = ("event", "mode", "actor", "recipient", "areas", "modality")


class UnknownEvent(LookupError):
    """The event to review is not in the store."""


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    event_id: str
    verdict: str
    corrected: dict[str, Any] | None
    comment: str
    analyst: str
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event_id": self.event_id,
            "verdict": self.verdict,
            "corrected": self.corrected,
            "comment": self.comment,
            "analyst": self.analyst,
            "created_at": self.created_at.isoformat(),
        }


def _plover_events() -> tuple[str, ...]:
    from pactwatch.nlp.components.event_lexicon import PLOVER_EVENTS

    return PLOVER_EVENTS


def _known_areas() -> set[str]:
    from pactwatch.analysis.query_sql import known_areas

    return set(known_areas())


def _participants(value: Any, side: str) -> list[dict[str, Any]]:
    """Actors as PLOVER-style objects: a name, or {"name", "country", "sector"}."""
    if not isinstance(value, list):
        raise MalformedInput(f"{side} must be a list of actors")
    found = []
    for item in value:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise MalformedInput(f"every {side} needs a name")
        found.append(
            {
                "name": str(item["name"]).strip(),
                "country": (str(item.get("country") or "").strip().upper() or None),
                "sector": (str(item.get("sector") or "").strip().upper() or None),
            }
        )
    return found


def clean_correction(corrected: dict[str, Any]) -> dict[str, Any]:
    """The correction with its fields checked; unknown fields and bad values refused."""
    unknown = set(corrected) - set(CORRECTABLE)
    if unknown:
        raise MalformedInput(f"cannot correct {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    if corrected.get("event"):
        kind = str(corrected["event"]).strip().upper()
        if kind not in _plover_events():
            raise MalformedInput(f"{kind!r} is not a PLOVER event type")
        clean["event"] = kind
    if corrected.get("mode"):
        clean["mode"] = str(corrected["mode"]).strip()
    if corrected.get("modality"):
        if corrected["modality"] not in MODALITIES:
            raise MalformedInput(f"modality is one of {', '.join(MODALITIES)}")
        clean["modality"] = corrected["modality"]
    if "areas" in corrected and corrected["areas"] is not None:
        areas = [str(a).strip() for a in corrected["areas"] if str(a).strip()]
        bad = sorted(set(areas) - _known_areas())
        if bad:
            raise MalformedInput(f"unknown cooperation area {', '.join(bad)}")
        clean["areas"] = areas
    for side in ("actor", "recipient"):
        if side in corrected and corrected[side] is not None:
            clean[side] = _participants(corrected[side], side)
    if not clean:
        raise MalformedInput("a correction must change the type, actors, areas, mode or modality")
    return clean


def add_review(
    engine: Engine,
    event_id: str,
    verdict: str,
    analyst: str,
    comment: str = "",
    corrected: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Review:
    """Store an analyst's verdict on an event; the event must exist. A correction must
    say what changes; confirm and reject carry none."""
    if verdict not in VERDICTS:
        raise MalformedInput(f"verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
    corrected = clean_correction(corrected or {}) if verdict == "correct" else None
    stamp = now or datetime.now(UTC)
    with engine.begin() as conn:
        if conn.scalar(select(events.c.id).where(events.c.id == event_id)) is None:
            raise UnknownEvent(event_id)
        review_id = conn.execute(
            insert(event_reviews)
            .values(
                event_id=event_id,
                verdict=verdict,
                corrected=corrected,
                comment=comment.strip(),
                analyst=analyst,
                created_at=stamp,
            )
            .returning(event_reviews.c.id)
        ).scalar_one()
    return Review(int(review_id), event_id, verdict, corrected, comment.strip(), analyst, stamp)


def reviews_for(engine: Engine, event_id: str) -> list[Review]:
    """Every review of an event, oldest first (the last one is the current verdict)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(event_reviews)
            .where(event_reviews.c.event_id == event_id)
            .order_by(event_reviews.c.created_at, event_reviews.c.id)
        ).all()
    return [
        Review(r.id, r.event_id, r.verdict, r.corrected, r.comment, r.analyst, r.created_at)
        for r in rows
    ]


def _gold_actor(actor: dict[str, Any]) -> dict[str, Any]:
    name = actor.get("entity_name") or actor.get("name")
    return {
        "text": actor.get("raw_text") or actor.get("text") or name,
        "name": name,
        "country": actor.get("country") or None,
        "sector": actor.get("sector") or None,
    }


def _gold_event(row: Any, corrected: dict[str, Any] | None) -> dict[str, Any]:
    """The stored event in the gold file's shape, with an analyst's corrections applied."""
    fix = corrected or {}
    place = row.event_loc or None
    event = {
        "event": fix.get("event", row.event),
        "mode": fix.get("mode", row.mode if "event" not in fix else None),
        "cameo": row.cameo if "event" not in fix else None,
        "modality": fix.get("modality", row.modality),
        "actor": [_gold_actor(a) for a in fix.get("actor", row.actor or [])],
        "recipient": [_gold_actor(a) for a in fix.get("recipient", row.recipient or [])],
        "date": row.date.isoformat() if isinstance(row.date, date) else None,
        "place": {"text": place.get("text"), "country": place.get("country")} if place else None,
    }
    return event


def gold_sentences(engine: Engine) -> list[dict[str, Any]]:
    """The gold sentences of every reviewed event (latest review each), in store order."""
    latest = (
        select(event_reviews.c.event_id, func.max(event_reviews.c.id).label("review_id"))
        .group_by(event_reviews.c.event_id)
        .subquery()
    )
    first_mention = (
        select(event_mentions.c.event_id, func.min(event_mentions.c.id).label("mention_id"))
        .group_by(event_mentions.c.event_id)
        .subquery()
    )
    query = (
        select(
            events,
            event_reviews.c.verdict,
            event_reviews.c.corrected,
            event_mentions.c.sentence_start,
            event_mentions.c.text.label("sentence"),
            documents.c.published,
        )
        .select_from(
            latest.join(event_reviews, event_reviews.c.id == latest.c.review_id)
            .join(events, events.c.id == latest.c.event_id)
            .join(documents, documents.c.id == events.c.document_id)
            .outerjoin(first_mention, first_mention.c.event_id == events.c.id)
            .outerjoin(event_mentions, event_mentions.c.id == first_mention.c.mention_id)
        )
        .order_by(events.c.document_id, event_mentions.c.sentence_start, events.c.id)
    )
    sentences: dict[tuple[str, str], dict[str, Any]] = {}
    areas: dict[tuple[str, str], set[str]] = defaultdict(set)
    with engine.connect() as conn:
        for row in conn.execute(query):
            text = (row.sentence or row.event_text or "").strip()
            if not text:
                continue
            key = (row.document_id, text)
            if key not in sentences:
                sentences[key] = {
                    "id": f"review-{row.document_id[:12]}-{row.sentence_start or 0}",
                    "source": row.document_id,
                    "published": row.published.date().isoformat() if row.published else None,
                    "context": None,
                    "text": text,
                    "events": [],
                    "areas": [],
                }
            if row.verdict == "reject":
                continue
            corrected = row.corrected if row.verdict == "correct" else None
            sentences[key]["events"].append(_gold_event(row, corrected))
            areas[key].update((corrected or {}).get("areas", row.areas or []))
    for key, sentence in sentences.items():
        sentence["areas"] = sorted(areas[key])
    return list(sentences.values())


def export_gold(engine: Engine, path: Path) -> int:
    """Write the reviewed events as gold JSON Lines to ``path``; the number of sentences."""
    found = gold_sentences(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for sentence in found:
            out.write(json.dumps(sentence, ensure_ascii=False) + "\n")
    return len(found)


def reviews_export_command(
    file: Annotated[Path, typer.Argument(help="Gold JSON Lines file to write.")],
) -> None:
    """Export analysts' reviews as gold sentences for ``pactwatch eval``."""
    from pactwatch import console
    from pactwatch.cli_common import current_settings, open_engine, user_errors

    with user_errors():
        engine = open_engine(current_settings())
        try:
            written = export_gold(engine, file)
        finally:
            engine.dispose()
    console.out.print(f"{written} gold sentences from analysts' reviews written to {file}")
