"""Joint drills told in shapes the exercise rules missed.

Fresh sentences (not from the gold splits). The guide codes an exercise with two or more
countries as COOPERATE 062 and one country drilling alone as MOBILIZE 150, so who takes
part decides the type.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_a_states_army_coordinated_with_anothers_troops_is_two_sides(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Montenegro's army and U.S. troops held a joint exercise near Nikšić on Tuesday."
    )
    assert {f[2] for f in facts if f[0] == "COOPERATE"} == {"MNE", "USA"}
    assert not {f for f in facts if f[0] == "MOBILIZE"}


def test_unknown_specialists_from_several_states_are_one_side_each(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Cyber defence specialists from Albania, Kosovo and North Macedonia are taking part "
        "in Cyber Coalition, the annual NATO exercise hosted by Estonia.",
    )
    assert {"ALB", "XKX", "MKD"} <= {f[2] for f in facts if f[:2] == ("COOPERATE", "actor")}


def test_forces_practising_together_cooperate(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Italian and Slovenian soldiers practised evacuating casualties near Peja on Monday."
    )
    assert {f[2] for f in facts if f[0] == "COOPERATE"} == {"ITA", "SVN"}


def test_a_live_fire_demonstration_is_an_exercise_not_a_protest(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Albanian and Italian troops staged a live-fire demonstration near Biza on Friday."
    )
    assert {f[2] for f in facts if f[0] == "COOPERATE"} == {"ALB", "ITA"}
    assert not {f for f in facts if f[0] == "PROTEST"}
