"""The scorer behind `pactwatch eval`: set arithmetic, folding, gold loading, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactwatch.cli import app
from pactwatch.errors import MalformedInput
from pactwatch.evaluate import GoldSentence, Score, _gold_facts, _predicted_facts, fold, load_gold
from pactwatch.nlp.records import Event, EventActor, EventMention


def test_score_arithmetic() -> None:
    score = Score()
    score.add({("A",), ("B",)}, {("A",), ("C",), ("D",)})
    assert (score.true_positives, score.predicted, score.gold) == (1, 2, 3)
    assert score.precision == 0.5
    assert score.recall == pytest.approx(1 / 3)
    assert score.f1 == pytest.approx(0.4)
    assert Score().f1 == 1.0  # nothing to find and nothing found: perfect, not a division error


def test_names_compare_without_case_or_diacritics() -> None:
    assert fold("Aleksandar Vučić") == fold("aleksandar vucic")
    assert fold("Gërvalla-Schwarz") == "gervalla-schwarz"


def actor(name: str, country: str, sector: str = "GOV") -> EventActor:
    return EventActor(raw_text=name, entity_name=name, country=country, sector=sector)


def test_facts_are_keyed_by_event_type() -> None:
    gold = GoldSentence(
        id="x",
        text="t",
        context=None,
        published=None,
        areas=["diplomatic_engagement"],
        events=[
            {
                "event": "CONSULT",
                "mode": "visit",
                "modality": "factual",
                "date": "2023-09-21",
                "actor": [{"name": "Albin Kurti", "country": "XKX", "sector": "GOV"}],
                "recipient": [{"name": "Jens Stoltenberg", "country": "IGO", "sector": "GOV"}],
                "place": {"text": "Brussels", "country": "BEL"},
            }
        ],
    )
    predicted = Event(
        event="CONSULT",
        cameo="042",
        mode="visit",
        context=[],
        modality="factual",
        actor=[actor("Albin Kurti", "XKX")],
        recipient=[actor("Jens Stoltenberg", "IGO")],
        event_text="t",
        mentions=[EventMention(0, 1, 0, 1, "t")],
        date="2023-09-22",
    )
    g, p = _gold_facts(gold), _predicted_facts([predicted], ["diplomatic_engagement"])
    assert g["event"] == p["event"] == {("CONSULT",)}
    assert (
        g["country"]
        == p["country"]
        == {("CONSULT", "actor", "XKX"), ("CONSULT", "recipient", "IGO")}
    )
    assert g["date"] != p["date"]  # a day off is wrong
    assert g["place"] == {("CONSULT", "BEL")} and p["place"] == set()
    assert g["area"] == p["area"]
    wrong_type = Event(
        **{
            **predicted.as_json(),
            "event": "AGREE",
            "actor": predicted.actor,
            "recipient": predicted.recipient,
            "mentions": predicted.mentions,
        }
    )
    assert _predicted_facts([wrong_type], [])["country"].isdisjoint(g["country"])


def test_gold_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n{"text": "no id"}\n', encoding="utf-8")
    with pytest.raises(MalformedInput, match=r"gold\.jsonl:2"):
        load_gold(path)


def test_eval_command_prints_scores_as_json(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    sentence = {
        "id": "g1",
        "published": "2024-02-12",
        "context": None,
        "text": "Kosovo police arrested two men in North Mitrovica on Sunday.",
        "events": [
            {
                "event": "COERCE",
                "mode": "arrest",
                "cameo": "173",
                "modality": "factual",
                "actor": [
                    {
                        "text": "Kosovo police",
                        "name": "Kosovo Police",
                        "country": "XKX",
                        "sector": "COP",
                    }
                ],
                "recipient": [],
                "date": "2024-02-11",
                "place": None,
            }
        ],
        "areas": [],
    }
    path.write_text(json.dumps(sentence) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"] == 1
    assert set(report["fields"]) >= {"event", "country", "area", "modality", "date"}
    assert report["fields"]["event"]["gold"] == 1
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2 and "no such gold file" in result.output
