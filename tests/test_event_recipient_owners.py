"""Recipients read off what the trigger acts on, and bare "the government" named.

Fresh sentences (not from the gold splits) for: the owner of a rejected, lifted or met act
("turned down the minister's offer", "lifted the detention of X", "met a demand of the
farmers"); the targets of measures named in a relative clause ("the measures it imposed on
Serbia"); the subject of a threat's condition ("if Belgrade tries ..."); and "the
government" of the state the story is about ("Government of Albania").
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import pipeline_doc
from pactwatch.nlp.pipeline import build_pipeline

Fact = tuple[str, str, str | None, str | None]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _facts(nlp: Language, text: str) -> set[Fact]:
    return {
        (event.event, side, actor.entity_name, actor.country)
        for event in pipeline_doc(nlp, text)._.pw_events or []
        for side, people in (("actor", event.actor), ("recipient", event.recipient))
        for actor in people
    }


def _recipients(facts: set[Fact], event: str) -> set[str | None]:
    return {
        country for kind, side, _name, country in facts if kind == event and side == "recipient"
    }


def test_owner_of_a_lifted_act_receives_it(nlp: Language) -> None:
    facts = _facts(
        nlp,
        "A court in Skopje lifted the detention of former interior minister Gordana "
        "Jankuloska on Monday.",
    )
    retreat = {name for kind, side, name, _c in facts if kind == "RETREAT" and side == "recipient"}
    assert "Gordana Jankuloska" in retreat


def test_owner_of_a_blocked_decision_receives_the_rejection(nlp: Language) -> None:
    facts = _facts(nlp, "Dodik blocked a decision by Bosnia's presidency to buy new helicopters.")
    assert "BIH" in _recipients(facts, "REJECT")


def test_own_object_gives_no_recipient(nlp: Language) -> None:
    facts = _facts(nlp, "Serbia withdrew some of its troops from the boundary with Kosovo.")
    assert "SRB" not in _recipients(facts, "RETREAT")


def test_measures_imposed_on_someone_are_lifted_for_them(nlp: Language) -> None:
    facts = _facts(
        nlp, "The EU will begin lifting the measures it imposed on Montenegro last year."
    )
    assert "MNE" in _recipients(facts, "RETREAT")


def test_condition_subject_is_the_one_threatened(nlp: Language) -> None:
    facts = _facts(
        nlp,
        "Kosovo will not stand idly by if Belgrade tries to stir unrest in the north, "
        "Osmani warned on Monday.",
    )
    assert _recipients(facts, "THREATEN") == {"SRB"}


def test_bare_government_named_for_its_state(nlp: Language) -> None:
    facts = _facts(
        nlp,
        "Albania's opposition Democratic Party threatened on Tuesday to block the vote on "
        "the new electoral code if the government did not agree to an inquiry.",
    )
    threatened = {
        (name, country)
        for kind, side, name, country in facts
        if kind == "THREATEN" and side == "recipient"
    }
    assert ("Government of Albania", "ALB") in threatened
