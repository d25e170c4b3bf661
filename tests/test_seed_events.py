"""The seed article end to end: events, grouping and cooperation areas against its gold file."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from conftest import shared_file
from pactwatch.documents.build import build_document
from pactwatch.models import Document, RawItem
from pactwatch.nlp.components import sentence_shape  # noqa: F401 - registers pw_line_breaks
from pactwatch.nlp.pipeline import build_pipeline
from pactwatch.settings import Settings


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    return json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = build_pipeline()
    if "pw_line_breaks" not in pipeline.pipe_names:
        # Headings and list items are lines of their own (see sentence_shape.py).
        pipeline.add_pipe("pw_line_breaks", before="parser")
    return pipeline


@pytest.fixture(scope="module")
def seed_doc(nlp: Language) -> Doc:
    raw = shared_file("corpus/seed-article.txt").read_text(encoding="utf-8")
    item = RawItem(origin="seed-article.txt", content=raw, content_type="text")
    document = build_document(
        item, settings=Settings(date_order="DMY"), fetched_at=datetime(2025, 6, 1, tzinfo=UTC)
    )
    assert isinstance(document, Document)
    doc = nlp.make_doc(document.text)
    doc._.pw_published = None  # the article is undated
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def line_of(doc: Doc, offset: int) -> int:
    """1-based line of the cleaned text; cleaning only dropped the last line (50)."""
    return doc.text.count("\n", 0, offset) + 1


def test_one_consult_event_with_the_seven_mentions(seed_doc: Doc, gold: dict[str, Any]) -> None:
    meeting = next(e for e in gold["events"] if e["id"] == "meeting")
    consults = [e for e in seed_doc._.pw_events if e.event == "CONSULT"]
    assert len(consults) == 1
    event = consults[0]
    assert event.modality == "factual"
    assert event.cameo == meeting["cameo"]
    lines = sorted({line_of(seed_doc, m.sentence_start) for m in event.mentions})
    assert lines == meeting["mention_lines"]
    assert {a.country for a in event.actor} == {meeting["actor_country"]}
    assert {r.country for r in event.recipient} == {meeting["recipient_country"]}
    assert set(meeting["contexts"]) <= set(event.context)
    assert {a.entity_name for a in event.actor} == {"Donika Zemaj", "Armend Zemaj", "Albin Zemaj"}


def test_the_commitment_of_both_officials(seed_doc: Doc, gold: dict[str, Any]) -> None:
    commitment = next(e for e in gold["events"] if e["id"] == "commitment")
    agrees = [e for e in seed_doc._.pw_events if e.event == "AGREE"]
    assert len(agrees) == 1
    event = agrees[0]
    assert (event.cameo, event.modality) == (commitment["cameo"], "factual")
    assert [line_of(seed_doc, m.sentence_start) for m in event.mentions] == commitment[
        "mention_lines"
    ]
    assert [a.entity_name for a in event.actor] == commitment["actor"]
    assert [a.country for a in event.actor] == commitment["actor_country"]
    assert set(commitment["contexts"]) <= set(event.context)


def test_no_factual_event_in_the_recommendations(seed_doc: Doc, gold: dict[str, Any]) -> None:
    banned = {line for item in gold["not_events"] for line in item["lines"]}
    for event in seed_doc._.pw_events:
        lines = {line_of(seed_doc, m.sentence_start) for m in event.mentions}
        if lines & banned:
            assert event.modality in ("hypothetical", "future"), (event.event, lines)


def test_only_the_gold_events_are_factual(seed_doc: Doc) -> None:
    factual = sorted(e.event for e in seed_doc._.pw_events if e.modality == "factual")
    assert factual == ["AGREE", "CONSULT"]


def test_cooperation_areas_line_by_line(seed_doc: Doc, gold: dict[str, Any]) -> None:
    """Every area the gold lists on a line is found there (the gold's own promise: "every
    item here must come out of pactwatch"); list items carry exactly the gold's areas.

    Running prose may carry more: the extraction gold set (tests/gold) tags a sentence
    that tells of a meeting as diplomatic engagement, which the seed gold does not list.
    """
    sentences = list(seed_doc.sents)
    found: dict[str, set[int]] = defaultdict(set)
    for index, areas in seed_doc._.pw_sentence_areas.items():
        for area in areas:
            found[area].add(line_of(seed_doc, sentences[index].start_char))
    expected = {area: set(lines) for area, lines in gold["cooperation_areas"].items()}
    for area, lines in expected.items():
        assert lines <= found[area], (area, sorted(lines - found[area]))
    text_lines = seed_doc.text.split("\n")
    list_items = {n for n, line in enumerate(text_lines, start=1) if line.startswith("- ")}
    for area in expected:
        assert found[area] & list_items == expected[area] & list_items, area
    assert set(seed_doc._.pw_areas) == set(expected)
