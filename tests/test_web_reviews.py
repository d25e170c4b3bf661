"""Analysts' reviews in the store and their export as gold data for ``pactwatch eval``.

The export must be read by ``evaluate.load_gold`` and scored by ``evaluate.evaluate``
like the shipped gold files: confirmed events as they are, corrected ones with the
correction, rejected ones as sentences with no event.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from pactwatch import cli_common
from pactwatch.errors import MalformedInput
from pactwatch.evaluate import evaluate, load_gold
from pactwatch.web.reviews import (
    UnknownEvent,
    add_review,
    export_gold,
    gold_sentences,
    reviews_export_command,
    reviews_for,
)
from test_web_queries import KURTI_SENTENCE, build_store


@pytest.fixture
def store(engine: Engine) -> dict[str, int]:
    return build_store(engine)


def test_reviews_are_kept_with_who_and_when(engine: Engine, store: dict[str, int]) -> None:
    first = add_review(engine, "ev1", "confirm", "ana", now=datetime(2024, 3, 1, tzinfo=UTC))
    second = add_review(
        engine,
        "ev1",
        "correct",
        "bob",
        "  wrong type  ",
        {"event": "cooperate", "areas": ["intelligence_sharing"]},
        now=datetime(2024, 3, 2, tzinfo=UTC),
    )
    found = reviews_for(engine, "ev1")
    assert [(r.id, r.verdict, r.analyst) for r in found] == [
        (first.id, "confirm", "ana"),
        (second.id, "correct", "bob"),
    ]
    assert found[1].corrected == {"event": "COOPERATE", "areas": ["intelligence_sharing"]}
    assert found[1].comment == "wrong type"
    assert found[1].created_at == datetime(2024, 3, 2, tzinfo=UTC)
    assert found[0].corrected is None
    assert reviews_for(engine, "ev2") == []


@pytest.mark.parametrize(
    ("verdict", "corrected", "message"),
    [
        ("maybe", None, "verdict is one of"),
        ("correct", None, "must change"),
        ("correct", {"event": "DANCE"}, "not a PLOVER event type"),
        ("correct", {"areas": ["gardening"]}, "unknown cooperation area"),
        ("correct", {"modality": "likely"}, "modality is one of"),
        ("correct", {"actor": [{"country": "XKX"}]}, "needs a name"),
        ("correct", {"colour": "red"}, "cannot correct colour"),
    ],
)
def test_bad_reviews_are_refused(
    engine: Engine,
    store: dict[str, int],
    verdict: str,
    corrected: dict[str, object] | None,
    message: str,
) -> None:
    with pytest.raises(MalformedInput, match=message):
        add_review(engine, "ev1", verdict, "ana", corrected=corrected)
    assert reviews_for(engine, "ev1") == []


def test_review_of_unknown_event(engine: Engine, store: dict[str, int]) -> None:
    with pytest.raises(UnknownEvent):
        add_review(engine, "nope", "confirm", "ana")


def _review_three(engine: Engine) -> None:
    add_review(engine, "ev1", "reject", "ana", "first thought")  # superseded below
    add_review(engine, "ev1", "confirm", "ana")
    add_review(
        engine,
        "ev2",
        "correct",
        "bob",
        corrected={
            "event": "AID",
            "actor": [{"name": "United States", "country": "USA", "sector": "GOV"}],
            "recipient": ["Kosovo Security Force"],
            "areas": ["training_education"],
        },
    )
    add_review(engine, "ev3", "reject", "bob", "no accusation")


def test_export_gold_shapes(engine: Engine, store: dict[str, int], tmp_path: Path) -> None:
    _review_three(engine)
    path = tmp_path / "gold" / "reviews.jsonl"
    assert export_gold(engine, path) == 3
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_text = {line["text"]: line for line in lines}
    confirmed = by_text[KURTI_SENTENCE]
    assert confirmed["published"] == "2024-01-10"
    assert [e["event"] for e in confirmed["events"]] == ["CONSULT"]
    assert confirmed["events"][0]["actor"] == [
        {"text": "Albin Kurti", "name": "Albin Kurti", "country": "XKX", "sector": "GOV"}
    ]
    assert confirmed["events"][0]["date"] == "2024-01-09"
    assert confirmed["areas"] == ["diplomatic_engagement"]
    corrected = by_text["The US will train Kosovo troops in a joint exercise."]
    assert corrected["events"][0]["event"] == "AID"
    assert corrected["events"][0]["recipient"][0]["name"] == "Kosovo Security Force"
    assert corrected["areas"] == ["training_education"]
    rejected = by_text["Serbia accused Kosovo."]
    assert rejected["events"] == [] and rejected["areas"] == []
    gold = load_gold(path)
    assert len(gold) == 3 and {g.id for g in gold} == {line["id"] for line in lines}


def test_export_scores_with_pactwatch_eval(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    from pactwatch.nlp.pipeline import build_pipeline

    _review_three(engine)
    path = tmp_path / "reviews.jsonl"
    export_gold(engine, path)
    report = evaluate(load_gold(path), build_pipeline())
    assert report.sentences == 3
    assert report.fields["event"].gold == 2  # CONSULT and AID; the rejected sentence has none
    assert 0.0 <= report.fields["event"].f1 <= 1.0
    assert report.as_json()["sentences"] == 3


def test_export_without_reviews_is_empty(engine: Engine, store: dict[str, int]) -> None:
    assert gold_sentences(engine) == []


def test_reviews_export_command(
    engine: Engine,
    store: dict[str, int],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _review_three(engine)
    monkeypatch.setattr(cli_common.state, "database", database_url)
    app = typer.Typer()
    app.command("export")(reviews_export_command)
    app.command("noop")(lambda: None)  # a group, as the lead mounts it
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["export", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 gold sentences" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
