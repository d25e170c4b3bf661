"""The event-type classifier and the second opinion it gives ``pw_events``.

The silver set (tests/data/event_silver*.jsonl) is news-style sentences written for this
purpose, one PLOVER type (or none) a line. ``event_silver.jsonl`` trains the classifier
(with the dev split and the paraphrases); ``event_silver_check.jsonl`` is held out: the
classifier never trains on it, and the floors below are measured on it (less a hundredth,
as for the frozen split: raise them when the pipeline beats them).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
from spacy.language import Language

from conftest import DATA
from pactwatch.nlp.components.event_classifier import (
    MODEL_PATH,
    features,
    load_event_classifier,
)
from pactwatch.nlp.components.event_lexicon import PLOVER_EVENTS
from pactwatch.nlp.pipeline import build_pipeline

SILVER_TRAIN = DATA / "event_silver.jsonl"
SILVER_CHECK = DATA / "event_silver_check.jsonl"
SILVER_EXTRA = DATA / "event_silver_extra.jsonl"  # more training silver, varied styles
# Event-type precision, recall and F1 on the held-out silver sentences (one type a line;
# a coded type that is not the line's counts against precision).
FLOORS = {"precision": 0.85, "recall": 0.78, "f1": 0.81}


def _rows(path: Any) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _coded(nlp: Language, rows: list[dict[str, Any]]) -> list[list[tuple[str, str]]]:
    docs = []
    for row in rows:
        doc = nlp.make_doc(row["text"])
        doc._.pw_published = date.fromisoformat(row["published"])
        docs.append(doc)
    return [[(e.event, e.modality) for e in doc._.pw_events or []] for doc in nlp.pipe(docs)]


def test_silver_set_is_large_varied_and_split() -> None:
    train, check = _rows(SILVER_TRAIN), _rows(SILVER_CHECK)
    rows = train + check
    assert len(rows) >= 600
    assert not {r["text"] for r in train} & {r["text"] for r in check}
    assert 0.15 <= len(check) / len(rows) <= 0.25
    counts = Counter(r["event"] for r in rows)
    assert set(counts) - {None} == set(PLOVER_EVENTS)
    assert min(counts[t] for t in PLOVER_EVENTS) >= 30
    assert 0.10 <= counts[None] / len(rows) <= 0.20
    for row in rows:
        assert row["modality"] in (
            (None,) if row["event"] is None else ("factual", "future", "hypothetical", "negated")
        )
        date.fromisoformat(row["published"])


def test_extra_silver_is_well_formed_and_apart_from_the_check_part() -> None:
    extra = _rows(SILVER_EXTRA)
    assert len(extra) >= 400
    texts = [r["text"] for r in extra]
    assert len(set(texts)) == len(texts)
    others = {r["text"] for path in (SILVER_TRAIN, SILVER_CHECK) for r in _rows(path)}
    others |= {r["text"] for r in _rows(DATA / "event_paraphrases.jsonl")}
    assert not set(texts) & others
    counts = Counter(r["event"] for r in extra)
    assert set(counts) - {None} == set(PLOVER_EVENTS)
    assert 0.10 <= counts[None] / len(extra) <= 0.20
    for row in extra:
        assert set(row) == {"text", "published", "event", "modality"}
        assert row["modality"] in (
            (None,) if row["event"] is None else ("factual", "future", "hypothetical", "negated")
        )
        date.fromisoformat(row["published"])


def test_shipped_model_is_small_and_knows_every_event_type() -> None:
    classifier = load_event_classifier()
    assert classifier is not None
    assert set(classifier.labels) == set(PLOVER_EVENTS)
    assert classifier.nlp.vocab.vectors.shape == (50_000, 50)  # GloVe's 50,000 first words
    size = sum(p.stat().st_size for p in MODEL_PATH.rglob("*") if p.is_file())
    assert size < 20_000_000  # 10 MB of them are the vectors


def test_features_mask_names_and_mark_the_main_predicate(nlp: Language) -> None:
    doc = nlp("Serbia said on Monday it had scaled back its troops near Kosovo.")
    words = features(doc)
    assert "serbia" not in words and "kosovo" not in words
    assert "<gpe>" in words and "<date>" in words
    assert "P:scale" in words


def test_second_opinion_codes_a_phrasing_no_rule_lists(nlp: Language) -> None:
    text = "Serbia scaled back its military presence near the boundary with Kosovo."
    doc = nlp(text)
    events = doc._.pw_events
    assert [e.event for e in events] == ["RETREAT"]
    assert [a.country for a in events[0].actor] == ["SRB"]
    bare = build_pipeline()
    bare.get_pipe("pw_events").classifier = None
    assert bare(text)._.pw_events == []


def test_second_opinion_needs_a_participant_and_leaves_statements_alone(
    nlp: Language,
) -> None:
    for text in (
        "The region's economies grew faster than expected in the first quarter.",
        "Vučić said the situation in the north was very difficult.",
        "Relations between the two neighbours have been tense for years.",
    ):
        assert nlp(text)._.pw_events == [], text


def test_held_out_silver_floors(nlp: Language) -> None:
    rows = _rows(SILVER_CHECK)
    tp = fp = fn = 0
    for row, events in zip(rows, _coded(nlp, rows), strict=True):
        predicted = {event for event, _modality in events}
        gold = {row["event"]} if row["event"] else set()
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    scores = {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
    }
    assert {k: v for k, v in scores.items() if v < FLOORS[k]} == {}


def test_held_out_negatives_give_no_factual_event(nlp: Language) -> None:
    rows = [row for row in _rows(SILVER_CHECK) if row["event"] is None]
    alarms = [
        f"{events}: {row['text']}"
        for row, events in zip(rows, _coded(nlp, rows), strict=True)
        if any(modality == "factual" for _event, modality in events)
    ]
    assert alarms == []


class _FixedScores:
    """The shipped classifier with its type scores replaced by fixed ones."""

    def __init__(self, real: object, scores: dict[str, float]) -> None:
        self.real, self.fixed = real, scores

    def scores_many(self, spans: list[object]) -> list[dict[str, float]]:
        return [dict(self.fixed) for _ in spans]

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_second_opinion_tries_the_runner_up_when_the_best_type_cannot_be_read() -> None:
    # No trigger reads "scaled back its presence" as a threat; the runner-up above the bar
    # (a retreat) can be read, so the sentence is not left uncoded.
    text = "Serbia scaled back its military presence near the boundary with Kosovo."
    nlp = build_pipeline()
    pipe = nlp.get_pipe("pw_events")
    real = pipe.classifier
    pipe.classifier = _FixedScores(real, {"THREATEN": 0.95, "RETREAT": 0.9})
    assert [e.event for e in nlp(text)._.pw_events] == ["RETREAT"]
    pipe.classifier = _FixedScores(real, {"THREATEN": 0.95, "RETREAT": 0.5})
    assert nlp(text)._.pw_events == []  # the runner-up must clear the bar too
