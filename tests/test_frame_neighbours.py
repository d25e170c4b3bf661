"""Acts told beside a frame verb, not as its content.

Fresh sentences (not from the gold splits). A frame verb ("asked", "threatened", "called")
takes its complement as its content, so a trigger inside it is no event of its own. Three
shapes look like content on the parse but tell a separate act: a "with" clause that has
its own subject, a reaction the act drew from others, and a second finite verb the
parser hung on the first verb's adjective.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_a_with_clause_with_its_own_subject_is_an_act_of_its_own(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Belgrade asked the OSCE for an urgent meeting, with Vučić accusing Pristina of "
        "provoking the unrest.",
    )
    assert {("ACCUSE", "actor", "SRB"), ("ACCUSE", "recipient", "XKX")} <= facts


def test_a_reaction_the_act_drew_is_coded(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Dodik threatened to pull Republika Srpska out of the state tax system, drawing "
        "sharp criticism from the European Union.",
    )
    assert {("ACCUSE", "actor", "EUR"), ("ACCUSE", "recipient", "BIH")} <= facts


def test_calling_something_unacceptable_is_no_request(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Croatia's foreign minister called the attacks on journalists unacceptable and "
        "blamed Vučić's government for stoking tensions.",
    )
    assert {("ACCUSE", "actor", "HRV"), ("ACCUSE", "recipient", "SRB")} <= facts
    assert not {f for f in facts if f[0] == "REQUEST"}


@pytest.mark.parametrize(
    ("text", "doer"),
    [
        (
            "Albania's cyber security agency said Iranian services were behind the cyber "
            "attacks on the parliament's servers.",
            "IRN",
        ),
        (
            "Montenegro's government blamed Russia for the ransomware attack on its servers.",
            "RUS",
        ),
    ],
)
def test_an_attack_put_down_to_someone_happened_and_is_theirs(
    nlp: Language, text: str, doer: str
) -> None:
    facts = country_facts(nlp, text)
    assert ("ACCUSE", "recipient", doer) in facts  # the attribution
    assert ("COERCE", "actor", doer) in facts  # and the attack it attributes


@pytest.mark.parametrize(
    ("text", "threatened"),
    [
        ("Borrell warned that more measures would follow unless Belgrade changed course.", "SRB"),
        ("The ambassador warned that the law could cost Montenegro its EU funding.", "MNE"),
    ],
)
def test_a_warning_of_a_penalty_on_a_condition_is_a_threat(
    nlp: Language, text: str, threatened: str
) -> None:
    assert ("THREATEN", "recipient", threatened) in country_facts(nlp, text)


def test_a_warning_without_a_penalty_stays_disapproval(nlp: Language) -> None:
    facts = country_facts(nlp, "Borrell warned that the situation in the north was dangerous.")
    assert not {f for f in facts if f[0] == "THREATEN"}


def test_a_demand_met_by_an_act_is_the_act(nlp: Language) -> None:
    # guide: the act is coded as its own type; "meeting the demand" adds no concession
    facts = country_facts(
        nlp,
        "Kosovo police pulled their special units out of the border crossings, meeting one "
        "of the EU's demands.",
    )
    assert ("RETREAT", "actor", "XKX") in facts
    assert not {f for f in facts if f[0] == "CONCEDE"}


def test_a_move_to_house_arrest_is_an_easing(nlp: Language) -> None:
    facts = country_facts(nlp, "A court in Belgrade moved the activist to house arrest.")
    assert ("RETREAT", "actor", "SRB") in facts


def test_what_someone_is_arrested_on_suspicion_of_is_no_event(nlp: Language) -> None:
    # guide, decisions: "arrested on suspicion of X" is the arrest only
    facts = country_facts(
        nlp,
        "Kosovo police arrested a man in Zvečan on suspicion of organising the attack on "
        "KFOR troops in May.",
    )
    assert ("COERCE", "actor", "XKX") in facts
    assert not {f for f in facts if f[0] == "ASSAULT"}


@pytest.mark.parametrize(
    "text",
    [
        "Croatian police refused entry to a Serbian minister at the Bajakovo crossing.",
        "The Serbian minister was turned back at the Bajakovo crossing on Sunday.",
        "The EU condemned Kosovo's government for forcing access to the municipal buildings.",
    ],
)
def test_turning_away_and_forcing_access_are_coercion(nlp: Language, text: str) -> None:
    assert {f for f in country_facts(nlp, text) if f[0] == "COERCE"}
