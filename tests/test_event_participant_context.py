"""Countries of participants that their context, not their own words, decides.

Fresh sentences (not from the gold splits) for: counterparts (the other side, never the
owner's), loyalties and faiths that are no citizenship ("pro-Serbian", "Serbian
Orthodox"), anaphors of the fitting kind ("the bloc", "the mission"), capitals that speak
("calls from Brussels"), the targets of measures lifted or imposed, and unnamed people
placed where the text places them.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from event_facts import CountryFact, country_facts
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        (  # a counterpart with no state of its own is not the owner's
            "Serbian Defence Minister Vučević spoke by phone with his counterpart from Hungary.",
            {("CONSULT", "recipient", "HUN")},
            {("CONSULT", "recipient", "SRB")},
        ),
        (
            "North Macedonia's National Security Agency signed a memorandum with its "
            "counterparts in Kosovo and Albania in Skopje on Thursday.",
            {("SUPPORT", "recipient", "XKX"), ("SUPPORT", "recipient", "ALB")},
            {("SUPPORT", "recipient", "MKD")},
        ),
        (  # "X and his Serbian counterpart Y met": both sides
            "Kosovo's chief negotiator Besnik Bislimi and his Serbian counterpart Petar "
            "Petković met in Brussels on Tuesday.",
            {("CONSULT", "actor", "XKX"), ("CONSULT", "actor", "SRB")},
            set(),
        ),
        (  # a loyalty is no citizenship: the lawmakers are Montenegro's
            "PODGORICA, Dec 27 (Reuters) - Montenegrin police detained more than a dozen "
            "pro-Serbian opposition lawmakers early on Friday.",
            {("COERCE", "recipient", "MNE")},
            {("COERCE", "recipient", "SRB")},
        ),
        (  # the church acts where it is; named alone it is Serbia's
            "The Serbian Orthodox Church in Montenegro protested against the law.",
            {("PROTEST", "actor", "MNE")},
            {("PROTEST", "actor", "SRB")},
        ),
        (
            "The Serbian Orthodox Church condemned the attack on the monastery.",
            {("ACCUSE", "actor", "SRB")},
            set(),
        ),
        (  # "the bloc": the EU, named before or not
            "NATO and the EU discussed Kosovo. The bloc imposed sanctions on Russia.",
            {("SANCTION", "actor", "EUR"), ("SANCTION", "recipient", "RUS")},
            {("SANCTION", "actor", "IGO")},
        ),
        ("The bloc imposed sanctions on Russia.", {("SANCTION", "actor", "EUR")}, set()),
        (  # a capital that speaks; the one called on is the clause's subject
            "Serbia has refused to join Western sanctions against Russia despite repeated "
            "calls from Brussels to align with the bloc's foreign policy.",
            {("REQUEST", "actor", "EUR"), ("REQUEST", "recipient", "SRB")},
            {("REQUEST", "actor", "BEL")},
        ),
        (
            "The U.S. Treasury has lifted sanctions on Bosnian Serb leader Milorad Dodik.",
            {("RETREAT", "recipient", "BIH")},
            set(),
        ),
        (
            "The U.S. Treasury on Friday removed Milorad Dodik and dozens of his relatives "
            "and associates from its sanctions list.",
            {("RETREAT", "recipient", "BIH")},
            set(),
        ),
        (  # the goods' origin is hit, not the one who bans
            "Kosovo imposed a ban on goods from Serbia on Monday.",
            {("SANCTION", "actor", "XKX"), ("SANCTION", "recipient", "SRB")},
            {("SANCTION", "actor", "SRB")},
        ),
        (  # a demand's recipient: the one the "that" clause asks to act
            "Kosovo repeated its demand that Serbia hand him over to stand trial.",
            {("REQUEST", "actor", "XKX"), ("REQUEST", "recipient", "SRB")},
            set(),
        ),
        (  # "the Serb member of Bosnia's presidency" is Bosnia's; the parser's "freezes"
            "Britain imposed asset freezes and travel bans on Monday on Milorad Dodik, the "
            "Serb member of Bosnia's presidency, and Željka Cvijanović, president of "
            "Republika Srpska.",
            {("SANCTION", "actor", "GBR"), ("SANCTION", "recipient", "BIH")},
            {("SANCTION", "recipient", "SRB")},
        ),
        (  # unnamed locals are where the text places them; the town is no recipient
            "Montenegrin police detained Bishop Joanikije of Budimlje and Nikšić and several "
            "priests on Tuesday night for organising a religious procession in Nikšić.",
            {("COERCE", "recipient", "MNE")},
            set(),
        ),
        (
            "Teachers at hundreds of Serbian schools went on strike this week.",
            {("PROTEST", "actor", "SRB")},
            set(),
        ),
        (
            "Angry residents of Kočani smashed the windows of a café on Monday.",
            {("PROTEST", "actor", "MKD")},
            set(),
        ),
    ],
)
def test_context_countries(
    nlp: Language, text: str, expected: set[CountryFact], absent: set[CountryFact]
) -> None:
    found = country_facts(nlp, text)
    assert expected <= found
    assert not absent & found


def test_counterpart_takes_the_owners_sector(nlp: Language) -> None:
    doc = nlp("Kosovo police officers held joint patrols with their Albanian counterparts.")
    event = next(e for e in doc._.pw_events if e.event == "COOPERATE")
    [partner] = event.recipient
    assert (partner.country, partner.sector) == ("ALB", "COP")
    assert partner.entity_name != "Albania"


def test_unnamed_counterpart_has_no_country(nlp: Language) -> None:
    doc = nlp("Vučević met his counterpart on Monday.")
    event = next(e for e in doc._.pw_events if e.event == "CONSULT")
    assert [r.country for r in event.recipient] == [None]


def test_mission_refers_to_a_mission(nlp: Language) -> None:
    doc = nlp(
        "EULEX said on Monday it had deployed more officers. "
        "The mission also sent a patrol to support Kosovo police."
    )
    names = {a.entity_name for e in doc._.pw_events for a in e.actor}
    assert "EULEX" in names


def test_bare_police_named_for_its_state(nlp: Language) -> None:
    doc = nlp("Police in riot gear were deployed around the National Assembly in Belgrade.")
    event = next(e for e in doc._.pw_events if e.event == "MOBILIZE")
    assert [(a.country, a.entity_name) for a in event.actor] == [("SRB", "Police of Serbia")]


@pytest.mark.parametrize(
    "text",
    [
        "Hackers linked to Iran broke into the networks of Albania's parliament.",
        "Iran-linked hackers attacked the servers of Albania's parliament.",
        "Hackers working for Iran's intelligence ministry attacked Albania's government servers.",
    ],
)
def test_unnamed_people_tied_to_a_state_are_its(nlp: Language, text: str) -> None:
    # The guide codes "hackers linked to Iran" as Iran's.
    assert ("COERCE", "actor", "IRN") in country_facts(nlp, text)
