"""Event triggers generalise: fresh paraphrases of each PLOVER event type, written apart
from the gold splits, must be found; statements and opinions must give no factual event.

The sentences (tests/data/event_paraphrases.jsonl) were written in batches, each before
the trigger rules were revised against it, so they check coverage rather than echo the
rules. Lines with ``"event": null`` are negatives: statements, opinions and topics.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
from spacy.language import Language

from conftest import REPO
from pactwatch.nlp.pipeline import build_pipeline

DATA = REPO / "tests" / "data" / "event_paraphrases.jsonl"
OVERALL_FLOOR = 0.85
PER_TYPE_FLOOR = 0.60


def _rows() -> list[dict[str, Any]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


@pytest.fixture(scope="module")
def coded(nlp: Language) -> list[tuple[dict[str, Any], list[tuple[str, str]]]]:
    """Each row with the (event type, modality) pairs the pipeline codes for its text."""
    rows = _rows()
    docs = []
    for row in rows:
        doc = nlp.make_doc(row["text"])
        doc._.pw_published = date.fromisoformat(row["published"])
        docs.append(doc)
    return [
        (row, [(event.event, event.modality) for event in doc._.pw_events or []])
        for row, doc in zip(rows, nlp.pipe(docs), strict=True)
    ]


def test_paraphrase_set_is_large_and_covers_every_event_type() -> None:
    rows = [row for row in _rows() if row["event"]]
    counts = Counter(row["event"] for row in rows)
    assert len(rows) >= 80
    assert len(counts) == 16
    assert min(counts.values()) >= 5


def test_paraphrases_are_found_overall_and_per_type(
    coded: list[tuple[dict[str, Any], list[tuple[str, str]]]],
) -> None:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: list[str] = []
    for row, events in coded:
        if not row["event"]:
            continue
        total[row["event"]] += 1
        if row["event"] in {event for event, _modality in events}:
            found[row["event"]] += 1
        else:
            missed.append(f"{row['event']}: {row['text']}")
    overall = sum(found.values()) / sum(total.values())
    assert overall >= OVERALL_FLOOR, "\n".join(missed)
    weak = {name: found[name] / total[name] for name in total}
    weak = {name: rate for name, rate in weak.items() if rate < PER_TYPE_FLOOR}
    assert weak == {}, "\n".join(missed)


def test_statements_and_opinions_give_no_factual_event(
    coded: list[tuple[dict[str, Any], list[tuple[str, str]]]],
) -> None:
    false_alarms = []
    for row, events in coded:
        if row["event"]:
            continue
        factual = [event for event, modality in events if modality == "factual"]
        if factual:
            false_alarms.append(f"{factual}: {row['text']}")
    assert false_alarms == []
