"""Statements in the official voice, second verbs the parser hangs on a gerund, ministries
named "of" their state, and the aid verbs of training and grants.

Fresh sentences (not from the gold splits). A release that "condemns" or "calls on" in the
simple present performs the act it names; the same verb made habitual ("routinely") or
denied stays no event.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import country_facts, pipeline_doc
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_present_tense_statement_is_the_act_it_names(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "The German Embassy in Belgrade condemns the attack on journalists in Novi Sad and "
        "calls on the Serbian authorities to bring those responsible to justice.",
    )
    assert ("ACCUSE", "actor", "DEU") in facts
    assert ("REQUEST", "actor", "DEU") in facts
    assert ("REQUEST", "recipient", "SRB") in facts


@pytest.mark.parametrize(
    "text",
    [
        "The OSCE routinely condemns attacks on journalists in the region.",
        "Serbia does not condemn the annexation of Crimea.",
    ],
)
def test_habitual_or_denied_present_is_no_act(nlp: Language, text: str) -> None:
    events = pipeline_doc(nlp, text)._.pw_events or []
    # A denial may be kept as a negated event; never as a condemnation that happened.
    assert not [e for e in events if e.event == "ACCUSE" and e.modality == "factual"]


def test_second_verb_hung_on_a_gerund_keeps_the_first_verbs_subject(nlp: Language) -> None:
    facts = country_facts(
        nlp,
        "Dačić accused Zagreb of stoking hatred against Serbs and called on Brussels to respond.",
    )
    assert ("REQUEST", "actor", "SRB") in facts
    assert ("REQUEST", "recipient", "EUR") in facts


def test_ministry_named_of_its_state_takes_that_state(nlp: Language) -> None:
    facts = country_facts(
        nlp, "The Ministry of Internal Affairs of Kosovo asked Serbia to return the officers."
    )
    assert ("REQUEST", "actor", "XKX") in facts


@pytest.mark.parametrize(
    ("text", "actor", "recipient"),
    [
        (
            "Experts from the U.S. Army helped the Montenegrin army destroy old mines.",
            None,
            "MNE",
        ),
        (
            "The U.S. ambassador presented research grants to twelve Albanian universities "
            "on Monday.",
            "USA",
            "ALB",
        ),
        (
            "Italian Carabinieri taught Albanian police officers crowd control last week.",
            "ITA",
            "ALB",
        ),
    ],
)
def test_help_grants_and_teaching_are_aid(
    nlp: Language, text: str, actor: str | None, recipient: str | None
) -> None:
    facts = country_facts(nlp, text)
    assert any(f[0] == "AID" for f in facts)
    if actor:
        assert ("AID", "actor", actor) in facts
    if recipient:
        assert ("AID", "recipient", recipient) in facts


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Specialists from the German army helped Bosnian deminers clear a minefield.", "DEU"),
        ("A team of investigators from the FBI arrived in Skopje to help the police.", "USA"),
    ],
)
def test_people_sent_from_a_body_act_for_it(nlp: Language, text: str, actor: str) -> None:
    assert ("AID", "actor", actor) in country_facts(nlp, text)


@pytest.mark.parametrize(
    ("text", "sides"),
    [
        (
            "Montenegrin and Croatian police seized 40 kilos of cocaine in a joint operation "
            "in Bar on Friday.",
            {"MNE", "HRV"},
        ),
        (
            "Serbian and Hungarian medics ran a joint evacuation drill near Subotica.",
            {"SRB", "HUN"},
        ),
    ],
)
def test_joint_operations_and_drills_run_together_are_cooperation(
    nlp: Language, text: str, sides: set[str]
) -> None:
    facts = country_facts(nlp, text)
    assert {f[2] for f in facts if f[0] == "COOPERATE"} == sides


def test_a_name_the_recogniser_cut_short_is_still_the_person(nlp: Language) -> None:
    events = pipeline_doc(
        nlp,
        "Kosovo's Foreign Minister Donika Gërvalla-Schwarz met Croatian Foreign Minister "
        "Gordan Grlić Radman in Zagreb on Tuesday.",
    )._.pw_events
    consult = [e for e in events or [] if e.event == "CONSULT"]
    assert consult and [a.raw_text for a in consult[0].recipient] == ["Gordan Grlić Radman"]


def test_a_joint_session_of_two_governments_is_a_meeting(nlp: Language) -> None:
    facts = country_facts(
        nlp, "The governments of Serbia and Hungary held a joint session in Szeged on Monday."
    )
    assert {f[2] for f in facts if f[0] == "CONSULT"} == {"SRB", "HUN"}
    assert not country_facts(nlp, "The Serbian parliament held a session on Monday.")


def test_hackers_are_the_attackers_not_the_agency_reporting_them(nlp: Language) -> None:
    events = pipeline_doc(
        nlp, "The cyber agency said hackers had attacked the servers of the health ministry."
    )._.pw_events
    attacks = [e for e in events or [] if e.event == "COERCE"]
    assert attacks and [a.raw_text for a in attacks[0].actor] == ["hackers"]


def test_reported_act_with_its_own_unnamed_subject_is_not_the_speakers(nlp: Language) -> None:
    facts = country_facts(nlp, "Serbia's interior ministry said looters had attacked the church.")
    assert ("ASSAULT", "actor", "SRB") not in facts


def test_guarantees_received_are_the_givers_promise(nlp: Language) -> None:
    facts = country_facts(
        nlp, "Podgorica has received guarantees from Washington that the base will stay open."
    )
    assert ("AGREE", "actor", "USA") in facts
    assert ("AGREE", "recipient", "MNE") in facts


def test_a_proposal_from_brussels_is_the_eus(nlp: Language) -> None:
    facts = country_facts(nlp, "Belgrade rejected the latest proposal from Brussels on Monday.")
    assert ("REJECT", "recipient", "EUR") in facts
    assert ("REJECT", "recipient", "BEL") not in facts


def test_a_refused_request_was_addressed_to_the_one_refusing(nlp: Language) -> None:
    facts = country_facts(nlp, "Athens turned down Skopje's request to reopen the crossing.")
    assert ("REQUEST", "actor", "MKD") in facts
    assert ("REQUEST", "recipient", "GRC") in facts


def test_a_rejected_plan_made_by_someone_is_rejected_to_them(nlp: Language) -> None:
    facts = country_facts(nlp, "Belgrade rejected the plan drafted by France and Germany.")
    assert {f[2] for f in facts if f[:2] == ("REJECT", "recipient")} == {"FRA", "DEU"}
