"""Readings the fresh written batches of session 11 taught, on fresh sentences (not from
the gold splits): words of an event type that tell no event of it here (an accident is no
attack, a drill ended is no protest ended, a cyber hunt is no raid, a trip at home is no
meeting, a deployment that only says who acts is not a deployment of its own), and acts
told in words the lexicon lacked (defiance, withheld consent, applications, apologies,
verdicts upheld, regret)."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _types(nlp: Language, text: str) -> set[str]:
    doc = nlp.make_doc(text)
    doc._.pw_published = date(2024, 5, 15)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return {e.event for e in doc._.pw_events}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        (
            "Police detained six people over the collapse of the roof at the Skopje market "
            "that killed four shoppers.",
            "COERCE",
            ("ASSAULT",),
        ),
        (
            "Units of the Croatian army ended the Velebit exercise on Friday with a live-fire "
            "demonstration near Slunj.",
            "MOBILIZE",
            ("CONCEDE",),
        ),
        (
            "A U.S. team searched the networks of Montenegro's government for malicious "
            "software alongside local specialists.",
            "COOPERATE",
            ("COERCE", "ASSAULT"),
        ),
        (
            "Serbian forces were put on alert after Kurti visited the Ujmani lake in the north.",
            "MOBILIZE",
            ("CONSULT",),
        ),
        (
            "Officers deployed by Frontex began working alongside Albanian border police on "
            "Wednesday.",
            "COOPERATE",
            ("MOBILIZE",),
        ),
        (
            "Albanian soldiers began Decisive Strike, a joint exercise with troops from the "
            "United States and Montenegro, at the Krivolak range on Monday.",
            "COOPERATE",
            ("PROTEST",),
        ),
        (
            "About 300 Montenegrin troops are training with Italian and Greek marines near "
            "Bar in the Adriatic Shield exercise, the defence ministry said.",
            "COOPERATE",
            ("MOBILIZE",),
        ),
        (
            "Serbia and China signed an agreement in Riga on Saturday that will let their "
            "citizens visit each other's country without visas.",
            "SUPPORT",
            ("CONSULT",),
        ),
        (
            "The Croatian defence minister resigned on Thursday after two pilots were killed "
            "when their training plane crashed near Zadar.",
            "RETREAT",
            ("ASSAULT",),
        ),
    ],
)
def test_no_event_of_the_words_type(
    nlp: Language, text: str, present: str, absent: tuple[str, ...]
) -> None:
    found = _types(nlp, text)
    assert present in found, found
    assert not found & set(absent), found


def test_a_kind_of_danger_is_no_threat(nlp: Language) -> None:
    text = "Albania and Kosovo stepped up intelligence sharing on cyber threats last year."
    assert "THREATEN" not in _types(nlp, text)


def test_being_due_somewhere_for_talks_is_a_future_meeting(nlp: Language) -> None:
    doc = nlp.make_doc(
        "British Foreign Secretary David Cameron is due in Tirana on Wednesday for talks with "
        "Albania's government, the Foreign Office said."
    )
    doc._.pw_published = date(2024, 2, 5)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    assert [(e.event, e.modality) for e in doc._.pw_events] == [("AGREE", "future")]


def test_a_visit_abroad_with_no_host_named_is_still_a_meeting(nlp: Language) -> None:
    assert "CONSULT" in _types(nlp, "German Chancellor Olaf Scholz arrived in Pristina on Friday.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a welcomed veto: the veto and the welcome, no visit hosted
            "The veto by Russia of the draft resolution was welcomed by Serbian President "
            "Tomislav Nikolić.",
            {"REJECT", "SUPPORT"},
        ),
        (
            "Republika Srpska held a referendum on its national day on Sunday, in defiance of "
            "Bosnia's Constitutional Court.",
            {"REJECT"},
        ),
        (
            "Croatia withheld its consent to the opening of a new chapter in Serbia's accession "
            "talks.",
            {"REJECT"},
        ),
        (
            "A French court ruled on Thursday against extraditing Ramush Haradinaj to Serbia.",
            {"REJECT"},
        ),
        (
            "Kurti handed in Kosovo's application for membership of the European Union in "
            "Prague on Thursday.",
            {"REQUEST"},
        ),
        (
            "Moscow reserved the right to take measures in response to the decision, the "
            "Russian foreign ministry said.",
            {"THREATEN"},
        ),
        (  # the condemnation formula: one ACCUSE, the attack of "the previous evening" is
            # what is condemned, not news of its own
            "Stoltenberg condemned the previous evening's attacks on members of Macedonia's "
            "parliament.",
            {"ACCUSE"},
        ),
        (  # guide §3: an apology is verbal support (CAMEO 055)
            "Montenegro's president apologised to Croatia for the 1991 shelling of Dubrovnik.",
            {"SUPPORT"},
        ),
        (
            "UN appeals judges upheld on Wednesday the convictions of five former Bosnian Serb "
            "police commanders.",
            {"SANCTION"},
        ),
        (
            "Appeals judges in The Hague overturned the convictions of two former Croatian "
            "generals on Friday.",
            {"RETREAT"},
        ),
        (
            "The Kosovo delegation broke off its meeting with Serbian officials in Brussels on "
            "Tuesday.",
            {"REJECT"},
        ),
        (  # guide §3: a protest's demands are part of the protest
            "Thousands of people rallied in Skopje on Saturday at a protest demanding the "
            "government's resignation.",
            {"PROTEST"},
        ),
    ],
)
def test_acts_told_in_other_words(nlp: Language, text: str, expected: set[str]) -> None:
    assert _types(nlp, text) == expected


def test_readiness_to_send_troops_on_a_condition_is_a_threat(nlp: Language) -> None:
    text = (
        "Serbian President Tomislav Nikolić said Serbia was ready to send its army to Kosovo "
        "if Serbs there were being killed."
    )
    assert "THREATEN" in _types(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "NATO's secretary general said he regretted Belgrade's decision to leave the exercise.",
        "The Slovenian prime minister voiced his government's dissatisfaction with the "
        "verdict on Thursday.",
        "The U.S. ambassador described the two expelled diplomats as Russian agents.",
    ],
)
def test_regret_dissatisfaction_and_names_are_disapproval(nlp: Language, text: str) -> None:
    assert "ACCUSE" in _types(nlp, text)


def test_a_ban_lifted_is_the_lifting_only(nlp: Language) -> None:
    found = _types(nlp, "The government in Belgrade lifted its ban on Croatian goods on Friday.")
    assert "SANCTION" not in found
    assert found & {"RETREAT", "CONCEDE"}


def test_pelting_a_person_is_an_assault_and_a_building_a_protest(nlp: Language) -> None:
    assert "ASSAULT" in _types(
        nlp, "The Albanian prime minister was pelted with stones by part of the crowd."
    )
    assert _types(nlp, "Demonstrators pelted the government building with eggs.") == {"PROTEST"}
