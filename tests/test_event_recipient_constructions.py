"""Recipients told by constructions around the trigger (fresh sentences, not from a gold
split): a refusal aimed at whoever made the request it turns down ("despite calls from
Brussels"), and the "to" of a nominal act that the parser hangs on the act's "of" phrase
("Washington's donation of ambulances to the army").
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _recipients(facts: set[tuple[str, str, str | None]], event: str) -> set[str | None]:
    return {country for kind, side, country in facts if kind == event and side == "recipient"}


@pytest.mark.parametrize(
    ("text", "asker"),
    [
        # Serbia has not aligned with the EU's sanctions on Russia since 2022.
        (
            "Serbia has declined to impose sanctions on Russia despite repeated calls from "
            "Brussels to align with EU foreign policy.",
            "EUR",
        ),
        (
            "Kurti rejected the draft statute for the association in spite of appeals from "
            "Washington.",
            "USA",
        ),
    ],
)
def test_refusal_is_aimed_at_whoever_asked(nlp: Language, text: str, asker: str) -> None:
    assert asker in _recipients(country_facts(nlp, text), "REJECT")


def test_request_in_another_clause_is_not_the_one_refused(nlp: Language) -> None:
    # The call is a second act told in its own clause, not what Montenegro turned down.
    facts = country_facts(
        nlp, "Montenegro rejected the plan, and Brussels repeated its call for calm."
    )
    assert "EUR" not in _recipients(facts, "REJECT")


def test_to_of_a_nominal_act_hung_on_its_of_phrase(nlp: Language) -> None:
    # Türkiye has donated equipment to the Kosovo Security Force; the parser hangs "to the
    # Kosovo Security Force" on "ambulances".
    facts = country_facts(
        nlp,
        "Kosovo's defence minister praised Ankara's donation of armoured ambulances to the "
        "Kosovo Security Force.",
    )
    assert ("AID", "actor", "TUR") in facts
    assert _recipients(facts, "AID") == {"XKX"}


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        # North Macedonia expelled Russian diplomats in 2022 and Moscow promised a response.
        (
            "Moscow said it would respond in kind to North Macedonia's expulsion of Russian "
            "diplomats.",
            "MKD",
        ),
        (
            "Vučić said Belgrade would respond to any move by Pristina against Serbs in the north.",
            "XKX",
        ),
        ("Serbia will respond to Pristina, Vučić said.", "XKX"),
    ],
)
def test_retaliation_is_aimed_at_whoever_did_what_it_answers(
    nlp: Language, text: str, answered: str
) -> None:
    assert _recipients(country_facts(nlp, text), "THREATEN") == {answered}


def test_retaliation_for_an_act_on_oneself_names_no_own_recipient(nlp: Language) -> None:
    # "of its diplomats" names those it was done to, not the one who did it.
    facts = country_facts(nlp, "Moscow said it would respond to the expulsion of its diplomats.")
    assert "RUS" not in _recipients(facts, "THREATEN")


def test_ban_on_goods_hits_where_they_come_from(nlp: Language) -> None:
    # Kosovo answered Serbia's embargo with one of its own in July 2011.
    facts = country_facts(nlp, "Kosovo banned imports from Serbia in July 2011.")
    measures = _recipients(facts, "SANCTION") | _recipients(facts, "COERCE")
    assert measures == {"SRB"}


def test_goods_seized_are_not_taken_from_their_country(nlp: Language) -> None:
    # A seizure takes the load from whoever carried it, not from the state it came from.
    facts = country_facts(
        nlp, "Kosovo customs seized a truckload of cigarettes from Serbia at the Merdare crossing."
    )
    assert "SRB" not in _recipients(facts, "COERCE")


def test_expulsions_in_kind_keep_their_own_sides(nlp: Language) -> None:
    # Montenegro expelled Serbia's ambassador in November 2020 and Serbia answered in kind.
    facts = country_facts(
        nlp,
        "Podgorica expelled Serbia's ambassador in November 2020, and Belgrade responded by "
        "expelling Montenegro's ambassador.",
    )
    assert _recipients(facts, "SANCTION") == {"SRB", "MNE"}


def test_protest_lodged_with_someone_is_aimed_at_them(nlp: Language) -> None:
    # Greece protested the Alexander statue put up in central Skopje in 2011.
    facts = country_facts(
        nlp,
        "Athens protested to Skopje in 2011 over the statue of Alexander the Great erected in "
        "the city centre.",
    )
    assert ("ACCUSE", "actor", "GRC") in facts
    assert _recipients(facts, "ACCUSE") == {"MKD"}
