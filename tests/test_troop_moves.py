"""Troops or arms that move to another's force or state: aid, not a deployment of one's own.

Fresh sentences (not from the gold splits). The guide codes contributing troops to a
mission and giving arms to another state as AID; moving one's own forces is MOBILIZE.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_troops_that_arrive_and_join_a_mission_are_aid(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "A company of Polish soldiers arrived in Kosovo on Monday and joined KFOR's "
        "reserve in Pristina.",
    )
    assert ("AID", "actor", "POL") in facts  # the company of soldiers says whose it is
    assert not {f for f in facts if f[0] == "MOBILIZE"}


def test_tanks_sent_to_another_state_are_military_aid(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Croatia has sent thirty M-84 tanks to Ukraine, the defence ministry in Zagreb said."
    )
    assert {("AID", "actor", "HRV"), ("AID", "recipient", "UKR")} <= facts
    assert not {f for f in facts if f[0] == "MOBILIZE"}


@pytest.mark.parametrize(
    "text",
    [
        "Serbia sent tanks to the boundary with Kosovo on Sunday.",
        "Serbian troops arrived near the boundary and put up a camp, the defence ministry said.",
    ],
)
def test_moving_ones_own_forces_stays_a_deployment(nlp: Language, text: str) -> None:
    assert ("MOBILIZE", "actor", "SRB") in country_facts(nlp, text)


def test_troops_arriving_to_serve_with_a_mission_aid_the_mission(nlp: Language) -> None:
    facts = country_facts(
        nlp, "A company of Slovenian soldiers arrived in Kosovo on Tuesday to serve with KFOR."
    )
    assert ("AID", "recipient", "IGO") in facts
    assert ("AID", "recipient", "XKX") not in facts  # the country the mission is in


def test_forces_described_by_their_earlier_deployment_are_only_withdrawn(
    nlp: Language,
) -> None:
    facts = country_facts(
        nlp, "Serbia has pulled back most of the troops it massed near the boundary in May."
    )
    assert ("RETREAT", "actor", "SRB") in facts
    assert not {f for f in facts if f[0] == "MOBILIZE"}


def test_units_sent_to_an_exercise_take_part_in_it(nlp: Language) -> None:
    facts = country_facts(nlp, "Montenegro sent a platoon to a multinational exercise in Albania.")
    assert ("COOPERATE", "actor", "MNE") in facts
    assert not {f for f in facts if f[0] == "MOBILIZE"}


def test_a_mission_moving_its_own_troops_is_a_deployment(nlp: Language) -> None:
    facts = country_facts(nlp, "KFOR sent additional troops to guard the bridge in Mitrovica.")
    assert ("MOBILIZE", "actor", "IGO") in facts
    assert not {f for f in facts if f[0] == "AID"}
