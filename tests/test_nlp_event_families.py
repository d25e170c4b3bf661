"""Trigger families added for the conflict- and cooperation-side tuning batches.

Each sentence is written for this test (none is copied from a gold split); each family is
checked with a phrasing that differs from the one the rules were fitted on.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from event_facts import pipeline_doc
from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _types(nlp: Language, text: str) -> set[str]:
    return {event.event for event in pipeline_doc(nlp, text, date(2024, 5, 17))._.pw_events or []}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # SANCTION: exclusion, asset freezes and travel bans, "placed under sanctions"
        ("Washington excluded Serbia from the Immediate Response exercise on Monday.", "SANCTION"),
        ("The EU imposed travel bans and asset freezes on two Serbian officials.", "SANCTION"),
        ("The Treasury placed the bank under sanctions on Friday.", "SANCTION"),
        ("Albania ordered an Iranian diplomat to leave the country on Tuesday.", "SANCTION"),
        # ACCUSE: an attack attributed to someone, an arrest called a kidnapping
        ("Montenegro attributed the cyber attack on its servers to Russia.", "ACCUSE"),
        ("Investigators traced the hack to Russian military intelligence.", "ACCUSE"),
        ("Tirana described the detention by the Greek police as an abduction.", "ACCUSE"),
        # CONCEDE: giving up a plan or a bid; COOPERATE: an extradition carried out
        ("Belgrade gave up its bid to host the summit after objections from Pristina.", "CONCEDE"),
        ("The extradition of the fugitive to Croatia was completed on Friday.", "COOPERATE"),
        # COERCE: hackers breaking into a state's systems
        ("Hackers broke into the servers of Montenegro's finance ministry on Monday.", "COERCE"),
        # MOBILIZE: taking up positions; RETREAT: forces withdrawing
        ("Serbian gendarmerie units took up positions near the boundary on Sunday.", "MOBILIZE"),
        ("The special police units withdrew from the crossing on Friday.", "RETREAT"),
        # CONCEDE: ending a protest, bowing to pressure
        ("Protesters in Zvečan removed their roadblocks on Wednesday.", "CONCEDE"),
        ("The miners suspended their strike on Tuesday.", "CONCEDE"),
        # COERCE: house arrest, stripping a mandate, hackers, a state closing a crossing
        ("A court in Podgorica put the former minister under house arrest.", "COERCE"),
        ("Bosnia's election commission stripped Dodik of his mandate on Monday.", "COERCE"),
        ("Hackers crippled the servers of the Montenegrin government in August.", "COERCE"),
        ("Serbia closed Jarinje, its busiest crossing with Kosovo, on Sunday.", "COERCE"),
        # ACCUSE: naming an act as an offence, concern, questioning, criticism from X
        ("Belgrade called the arrests a provocation.", "ACCUSE"),
        ("The State Department said it was deeply concerned by the raids.", "ACCUSE"),
        ("Kosovo prosecutors questioned the suspect on Thursday.", "ACCUSE"),
        # AID: courses given, scholarships
        ("The U.S. embassy awarded scholarships to 30 Albanian students.", "AID"),
        # COOPERATE: intelligence material handed over
        ("EULEX handed Kosovo police footage of the attack on Monday.", "COOPERATE"),
        # AGREE: invitations
        ("Borrell invited Kurti and Vučić to Brussels for talks next week.", "AGREE"),
        # concrete activities told as recurring (guide: "train with KSF engineers every year")
        ("Montenegrin army units regularly train with U.S. Marines near Pljevlja.", "COOPERATE"),
        ("Italian Carabinieri routinely train officers of the Kosovo Police.", "AID"),
        # REJECT: defying a ruling or a ban (CAMEO 128)
        ("Bosnian Serb lawmakers defied the ruling of the constitutional court.", "REJECT"),
        ("The Serbian List defied Washington's call to take part in the elections.", "REJECT"),
        # SANCTION: a ban on another party's goods is an embargo
        ("Kosovo banned imports of goods from Serbia in June 2023.", "SANCTION"),
        # ACCUSE: blame, judgement and breach told by a speaker; criticism one comes under;
        # questioning another's legitimacy
        ("Kurti said Serbia was responsible for the attack in Banjska.", "ACCUSE"),
        ("The EU said the dinar regulation was unacceptable.", "ACCUSE"),
        ("Washington said the Republika Srpska law violated the Dayton agreement.", "ACCUSE"),
        ("Pristina came under criticism from Washington over the raids.", "ACCUSE"),
        ("Serbian officials questioned the legitimacy of the Kosovo elections.", "ACCUSE"),
        # CONCEDE: honouring another's documents eases a restriction
        ("Spain has begun accepting Kosovo passports at its borders.", "CONCEDE"),
        # AID: equipment arriving for someone is its delivery
        ("The first Javelin anti-tank missiles for the KSF are expected to arrive in May.", "AID"),
        # AID: a delivery due, told by the receiving side, is scheduled, not promised
        (
            "Croatia's drones are due to be delivered by Baykar later this year, Defence "
            "Minister Ivan Anušić said.",
            "AID",
        ),
        # REJECT: an office holder blocking a decision vetoes it
        ("The Serb member of Bosnia's presidency blocked a decision to send troops.", "REJECT"),
        # REJECT: a nominal refusal with its actor; resisting pressure; a snub
        ("Kurti's rejection of the EU proposal angered diplomats in Brussels.", "REJECT"),
        ("Serbia resisted pressure from Washington to join the sanctions on Russia.", "REJECT"),
        ("Belgrade snubbed an invitation to the summit in Tirana.", "REJECT"),
        # SANCTION: closing another's embassy, withdrawing recognition, a tariff imposed
        ("Albania closed the Iranian embassy in Tirana in September 2022.", "SANCTION"),
        ("Several states withdrew their recognition of Kosovo's independence.", "SANCTION"),
        ("Kosovo introduced a 100 percent tariff on goods from Serbia in 2018.", "SANCTION"),
        # SANCTION: visas of named officials revoked (an entry ban aimed at them)
        ("Washington revoked the visas of two Kosovo Serb officials in 2023.", "SANCTION"),
        # COERCE: taking away a foreigner's accreditation
        ("Kosovo revoked the accreditation of a Russian journalist.", "COERCE"),
        # AID: helping another's investigators trace an attack
        ("The FBI assisted Montenegrin investigators in tracing the cyber attack.", "AID"),
        # MOBILIZE: troops massing; an army displaying its weapons
        ("Thousands of Serbian soldiers massed near the boundary with Kosovo.", "MOBILIZE"),
        ("Montenegro's army displayed its new drones at an exhibition in Podgorica.", "MOBILIZE"),
        # AID: relief supplies sent
        ("The EU sent 40 tonnes of medical supplies to Serbia in March 2020.", "AID"),
        # PROTEST: veterans on hunger strike
        ("Veterans staged a hunger strike outside the government building in Pristina.", "PROTEST"),
        # ACCUSE: naming a culprit; blame in idioms
        (
            "Montenegro's security agency pointed to Russia as the likely source of the attack.",
            "ACCUSE",
        ),
        ("Albanian investigators named Iranian hackers as the perpetrators.", "ACCUSE"),
        ("Kurti pointed the finger at Belgrade for the violence in the north.", "ACCUSE"),
        ("The Serbian president took aim at Pristina in a speech on Sunday.", "ACCUSE"),
        # COERCE: cyber operations and disinformation
        ("Hackers tried to destroy the data systems of Albania's parliament in 2022.", "COERCE"),
        ("Iranian hackers leaked the personal data of Albanian citizens.", "COERCE"),
        ("Serbian police installed spyware on the phones of journalists.", "COERCE"),
        ("Russian-linked outlets ran a disinformation campaign against the government.", "COERCE"),
        # REJECT: refusals told by a negated "will", "would" or "cannot"
        ("Kurti said Kosovo will not allow the association to become a second entity.", "REJECT"),
        ("Belgrade will not hand over Radoičić, the Serbian justice minister said.", "REJECT"),
        ("Serbia cannot accept Kosovo's membership in UNESCO, Dačić said.", "REJECT"),
        # REJECT: a conference postponed is a meeting put off
        ("The EU postponed the intergovernmental conference with Serbia.", "REJECT"),
        # COOPERATE: a named person handed to another state's justice
        ("Montenegro handed Do Kwon over to the United States in December 2024.", "COOPERATE"),
        # ASSAULT: a patrol that came under attack
        ("A Kosovo police patrol came under attack near Banjska on Sunday.", "ASSAULT"),
    ],
)
def test_family_is_coded(nlp: Language, text: str, expected: str) -> None:
    assert expected in _types(nlp, text)


def test_refusal_of_a_nominal_request_codes_both(nlp: Language) -> None:
    types = _types(nlp, "NATO turned down Serbia's request to send troops to Kosovo.")
    assert {"REJECT", "REQUEST"} <= types


def test_naming_an_act_an_attack_is_no_assault(nlp: Language) -> None:
    types = _types(nlp, "Belgrade called the closure an attack on the Serbs of Kosovo.")
    assert "ACCUSE" in types
    assert "ASSAULT" not in types


@pytest.mark.parametrize(
    "text",
    [
        "The collapse of the bridge killed 12 people on Sunday.",
        "It was the worst attack on the police in a decade.",
        "The tariffs hurt farmers in the south.",
        # fighting a disease, a fire or a crime is no fight with anyone
        "Albanian doctors were sent to Italy to help fight the pandemic.",
        "Greek firefighters helped North Macedonia battle the wildfires near Kočani.",
        "Montenegro and Croatia agreed to fight smuggling on the coast together.",
    ],
)
def test_accidents_and_bare_references_are_no_assault(nlp: Language, text: str) -> None:
    assert "ASSAULT" not in _types(nlp, text)


def test_tear_gas_is_crowd_control(nlp: Language) -> None:
    doc = nlp.make_doc("Police fired tear gas at the protesters in Skopje on Monday.")
    doc._.pw_published = date(2024, 5, 17)
    modes = {(e.event, e.mode) for e in nlp(doc)._.pw_events or []}
    assert ("ASSAULT", "crowd-control") in modes


def test_protest_demands_are_part_of_the_protest(nlp: Language) -> None:
    types = _types(
        nlp,
        "Thousands of students rallied in Novi Sad on Saturday, demanding the minister resign.",
    )
    assert "PROTEST" in types
    assert "REQUEST" not in types


def _modes(nlp: Language, text: str) -> set[tuple[str, str | None]]:
    doc = nlp.make_doc(text)
    doc._.pw_published = date(2024, 5, 17)
    return {(e.event, e.mode) for e in nlp(doc)._.pw_events or []}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the killer names the weapon
        ("A sniper killed two border guards near Kumanovo on Sunday.", ("ASSAULT", "firearms")),
        # water cannon turned on a crowd
        (
            "Riot police turned water cannon on demonstrators in Podgorica on Friday.",
            ("ASSAULT", "crowd-control"),
        ),
        # civilians damaging property: violent protest
        (
            "A mob attacked shops owned by Albanians in Bitola on Monday night.",
            ("PROTEST", "vandalize"),
        ),
        # a named party let through
        (
            "Greece let the aircraft carrying the Serbian delegation cross its airspace.",
            ("RETREAT", "access"),
        ),
        ("Serbia reopened the Jarinje border crossing on Saturday.", ("RETREAT", "access")),
    ],
)
def test_mode_families(nlp: Language, text: str, expected: tuple[str, str | None]) -> None:
    assert expected in _modes(nlp, text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # a firing is no refusal
        ("The prime minister dismissed the interior minister on Thursday.", "REJECT"),
        # a war outside the region is background
        ("Prices in Bosnia have risen since Russia's invasion of Ukraine.", "MOBILIZE"),
        # posting liaison officers is no release
        ("The two police services will exchange liaison officers next year.", "RETREAT"),
        # a structural collapse is no assault
        ("The roof of the market hall collapsed on Friday, killing three people.", "ASSAULT"),
        # a denial codes no refusal
        ("The ministry denied that soldiers had been sent to the boundary.", "REJECT"),
        # tracing an attack is investigating it; tracing it *to* someone accuses
        ("FBI agents helped Albanian investigators trace the cyber attack.", "ACCUSE"),
        # a recurring stance is no event; nor is beating the odds
        ("The EU routinely condemns such attacks.", "ACCUSE"),
        ("The team defied expectations to win the match.", "REJECT"),
        # crimes committed are no commitment
        ("The tribunal found that the commander had committed crimes against civilians.", "AGREE"),
        ("Human Rights Watch said the police had committed serious abuses.", "AGREE"),
        # what is refused did not happen; a veto lifted is given up, not cast
        (
            "Serbia's refusal to impose sanctions on Russia strained its ties with the EU.",
            "SANCTION",
        ),
        ("Bulgaria lifted its veto on North Macedonia's accession talks in July 2022.", "REJECT"),
        # lifting a visa requirement is an easing, closing offices at home a restriction
        ("The EU withdrew the visa requirement for Kosovars in January 2024.", "COERCE"),
        ("Kosovo police closed the Serbian-run post office in Zvečan.", "SANCTION"),
        # pointing to a reason or an asset blames no one; rejecting accusations is a denial
        ("The minister pointed to the new law as the reason for the decision.", "ACCUSE"),
        ("Serbia's foreign minister rejected Kurti's accusations over the canal blast.", "ACCUSE"),
        # fighting disinformation is no disinformation
        ("The EU launched a programme to counter disinformation in the Western Balkans.", "COERCE"),
        # an inability is no refusal
        (
            "Without a security agreement, Kosovo cannot receive EU intelligence assessments.",
            "REJECT",
        ),
        # people camping to block a plan protest, they do not veto it
        ("Farmers camped on the Sinjajevina plateau to block the army's plans.", "REJECT"),
        # mutual recognition agreed is no concession; own jets landing are no delivery
        ("North Macedonia and Albania agreed to recognise each other's diplomas.", "CONCEDE"),
        ("Serbian fighter jets landed at Batajnica after the exercise.", "AID"),
        # a duty is no blame, an assessment or a denial no criticism
        ("The minister said the army was responsible for protecting the border.", "ACCUSE"),
        ("Analysts said the situation in the north was dangerous.", "ACCUSE"),
        ("NATO's spokesperson said the Russian claims were false and unacceptable.", "ACCUSE"),
        ("The new law violated the constitution.", "ACCUSE"),
        # banning something at home is a restriction, not an embargo
        ("The government banned the sale of alcohol near schools.", "SANCTION"),
    ],
)
def test_no_event_families(nlp: Language, text: str, absent: str) -> None:
    assert absent not in _types(nlp, text)


def test_who_came_under_attack_is_its_target(nlp: Language) -> None:
    doc = nlp.make_doc("A Kosovo police patrol came under attack near Banjska on Sunday.")
    doc._.pw_published = date(2024, 5, 17)
    (event,) = [e for e in nlp(doc)._.pw_events or [] if e.event == "ASSAULT"]
    assert [a.country for a in event.recipient] == ["XKX"]
    assert not event.actor


def test_the_critic_one_comes_under_is_the_actor(nlp: Language) -> None:
    doc = nlp.make_doc("Pristina came under criticism from Washington over the raids.")
    doc._.pw_published = date(2024, 5, 17)
    (event,) = [e for e in nlp(doc)._.pw_events or [] if e.event == "ACCUSE"]
    assert [a.country for a in event.actor] == ["USA"]
    assert [a.country for a in event.recipient] == ["XKX"]


def test_an_ethnic_word_yields_to_the_state_whose_body_is_named(nlp: Language) -> None:
    doc = nlp.make_doc("The Serb member of Bosnia's presidency rejected the proposal.")
    doc._.pw_published = date(2024, 5, 17)
    (event,) = nlp(doc)._.pw_events or []
    assert [a.country for a in event.actor] == ["BIH"]


@pytest.mark.parametrize(
    "text",
    [
        # "went on", "set up" are no "going to", "set to"
        "Workers at the Trepča mine went on strike over unpaid wages.",
        "Kosovo Serbs set up roadblocks on the roads to Jarinje and Brnjak.",
    ],
)
def test_going_and_setting_are_not_always_the_future(nlp: Language, text: str) -> None:
    doc = nlp.make_doc(text)
    doc._.pw_published = date(2024, 5, 17)
    modalities = {e.modality for e in nlp(doc)._.pw_events or []}
    assert modalities == {"factual"}


def test_the_parties_of_a_welcomed_agreement_receive_the_welcome(nlp: Language) -> None:
    doc = nlp.make_doc("The EU welcomed the agreement between Belgrade and Pristina on plates.")
    doc._.pw_published = date(2024, 5, 17)
    (event,) = nlp(doc)._.pw_events or []
    assert [a.country for a in event.actor] == ["EUR"]
    assert sorted(r.country or "" for r in event.recipient) == ["SRB", "XKX"]


def test_troops_withdrawn_after_talks_are_a_pull_back(nlp: Language) -> None:
    types = _types(nlp, "Serbia withdrew its troops from the boundary after talks with KFOR.")
    assert "RETREAT" in types
    assert "SANCTION" not in types


def test_dismissing_a_proposal_is_a_refusal(nlp: Language) -> None:
    assert "REJECT" in _types(nlp, "Belgrade dismissed the proposal for a new round of talks.")
