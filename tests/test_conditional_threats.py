"""A side that says it would or could act against another on a condition threatens it.

Fresh sentences (not from the gold splits). The guide (§6, §11.4) codes conditional
threats as factual THREATEN; speculation by analysts and recommendations are no threats.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


@pytest.mark.parametrize(
    ("text", "threat"),
    [
        # the condition names no party: the act's target is the one warned
        (
            "Albania's prime minister said Tirana would cut ties with Tehran if the attacks "
            "continued.",
            {("THREATEN", "actor", "ALB"), ("THREATEN", "recipient", "IRN")},
        ),
        # the condition's subject is the one warned, not the body the act leaves
        (
            "Vučić said Serbia could leave the Council of Europe if Kosovo were admitted.",
            {("THREATEN", "actor", "SRB"), ("THREATEN", "recipient", "XKX")},
        ),
    ],
)
def test_a_hostile_act_held_out_on_a_condition_is_a_threat(
    nlp: Language, text: str, threat: set[tuple[str, str, str]]
) -> None:
    facts = country_facts(nlp, text)
    assert threat <= facts
    assert any(f[0] == "SANCTION" for f in facts)  # the act stays, as a possibility


@pytest.mark.parametrize(
    "text",
    [
        "Analysts say Washington could impose sanctions on Dodik if he keeps defying the court.",
        "Kurti said the EU should freeze Serbia's funds if Belgrade refused to hand over Radoičić.",
        "EU member states could freeze Serbia's funds if Belgrade refused to align its "
        "foreign policy.",
        "KFOR said it could deploy more troops to the north if the situation worsened.",
    ],
)
def test_speculation_advice_and_contingency_plans_are_no_threats(nlp: Language, text: str) -> None:
    assert not {f for f in country_facts(nlp, text) if f[0] == "THREATEN"}


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("Serbia threatened to send troops into northern Kosovo.", "XKX"),
        ("Russia threatened to retaliate against Montenegro.", "MNE"),
    ],
)
def test_a_threat_is_aimed_where_the_act_would_strike(
    nlp: Language, text: str, warned: str
) -> None:
    # Not at the threatener's own troops: at the state they would be sent into.
    facts = {f for f in country_facts(nlp, text) if f[0] == "THREATEN"}
    assert ("THREATEN", "recipient", warned) in facts
