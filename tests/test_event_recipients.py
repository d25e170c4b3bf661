"""Recipients and kept events on fresh sentences (not from the gold splits).

Each line of ``data/event_recipients.jsonl`` is one sentence written to probe the cases where
an event used to be dropped for want of participants, or its recipient missed: strikes with an
unnamed actor, agreements reached, adjective-only partners in joint exercises, the "to" of a
donation hanging off its object, sanctions "on" someone, passive victims, visit hosts inferred
from the place, and civilians whose country the text states. The score is the gold
evaluation's "country" fact, (event type, side, country), pooled over the set, plus one
(event type, "event", "") fact per expected event so that dropped events count.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from pactwatch.evaluate import Score
from pactwatch.nlp.pipeline import build_pipeline

DATA = Path(__file__).parent / "data" / "event_recipients.jsonl"
# Measured 2026-11-27: F1 0.857 before the recipient rules were widened, 0.957 after; the
# floor is the latter less 0.02.
COUNTRY_F1_FLOOR = 0.937

Fact = tuple[str, str, str]


def _cases() -> list[dict[str, Any]]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _gold_facts(case: dict[str, Any]) -> set[Fact]:
    event = case["event"]
    return (
        {(event, "event", "")}
        | {(event, "actor", c) for c in case["actor_countries"]}
        | {(event, "recipient", c) for c in case["recipient_countries"]}
    )


def predicted_facts(nlp: Language, case: dict[str, Any]) -> set[Fact]:
    """The (event type, side, country) facts the pipeline gives for one sentence."""
    doc = nlp.make_doc(case["text"])
    doc._.pw_published = date.fromisoformat(case["published"])
    for _name, component in nlp.pipeline:
        doc = component(doc)
    facts: set[Fact] = set()
    for event in doc._.pw_events or []:
        facts.add((event.event, "event", ""))
        for side, people in (("actor", event.actor), ("recipient", event.recipient)):
            facts |= {(event.event, side, a.country) for a in people if a.country}
    return facts


def score(nlp: Language) -> tuple[float, float, float]:
    """Pooled precision, recall and F1 of the facts over the data set."""
    total = Score()
    for case in _cases():
        total.add(predicted_facts(nlp, case), _gold_facts(case))
    return total.precision, total.recall, total.f1


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_data_set_is_varied() -> None:
    cases = _cases()
    assert len(cases) >= 40
    assert len({c["event"] for c in cases}) >= 8
    assert sum(bool(c["recipient_countries"]) for c in cases) >= 25


def test_country_f1_floor(nlp: Language) -> None:
    _precision, _recall, f1 = score(nlp)
    assert f1 >= COUNTRY_F1_FLOOR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the one met at home hosts; the envoy visits (annotation guide §4)
            "Serbian President Aleksandar Vučić met Miroslav Lajčák in Belgrade on Monday.",
            {("CONSULT", "actor", "EUR"), ("CONSULT", "recipient", "SRB")},
        ),
        (  # the "to" hangs off the object
            "EULEX handed evidence from the Banjska attack to the Kosovo Special Prosecution.",
            {("COOPERATE", "actor", "EUR"), ("COOPERATE", "recipient", "XKX")},
        ),
        (  # "two ... officials" says whose they are; "Serb" is a people, not Serbia
            "The United Kingdom imposed sanctions on two Bosnian Serb officials on Wednesday.",
            {("SANCTION", "actor", "GBR"), ("SANCTION", "recipient", "BIH")},
        ),
        (  # the text places the civilians: Belgrade as home place does not override it
            "Kosovo Serbs were attacked by Kosovo police during the operation, Belgrade said.",
            {("ASSAULT", "actor", "XKX"), ("ASSAULT", "recipient", "XKX")},
        ),
        (  # the partner of a complement
            "Albania agreed to share intelligence with Italy on smuggling routes.",
            {("AGREE", "actor", "ALB"), ("AGREE", "recipient", "ITA")},
        ),
    ],
)
def test_single_sentences(nlp: Language, text: str, expected: set[Fact]) -> None:
    found = predicted_facts(nlp, {"text": text, "published": "2024-03-12"})
    assert expected <= found
    assert not {f for f in found if f[1] == "recipient"} - expected


def test_unresolved_group_keeps_the_event(nlp: Language) -> None:
    doc = nlp("The two governments reached an understanding on licence plates.")
    agreements = [e for e in doc._.pw_events if e.event == "AGREE"]
    assert len(agreements) == 1
    assert [a.raw_text for a in agreements[0].actor] == ["The two governments"]
    assert agreements[0].actor[0].country is None


def test_speaker_is_not_an_apposition(nlp: Language) -> None:
    doc = nlp("Both sides agreed to continue the dialogue, Borrell said after the meeting.")
    agreement = next(e for e in doc._.pw_events if e.event == "AGREE")
    assert agreement.recipient == []
