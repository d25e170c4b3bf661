"""Which date of a sentence dates which event (``date_binding``, guide section 8).

End to end through the pipeline: each sentence is read as published on Thursday
2023-06-01, so "on Friday" is 2023-05-26, "on Sunday" 2023-05-28, and so on.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from pactwatch.nlp.components import sentence_shape  # noqa: F401 - registers pw_line_breaks
from pactwatch.nlp.pipeline import build_pipeline
from pactwatch.nlp.records import Event

PUBLISHED = date(2023, 6, 1)  # a Thursday


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = build_pipeline()
    if "pw_line_breaks" not in pipeline.pipe_names:
        pipeline.add_pipe("pw_line_breaks", before="parser")
    return pipeline


def event_by_trigger(nlp: Language, text: str, trigger: str, kind: str) -> Event:
    doc = nlp.make_doc(text)
    doc._.pw_published = PUBLISHED
    doc = nlp(doc)
    events: list[Event] = doc._.pw_events
    for event in events:
        words = {doc.text[m.trigger_start : m.trigger_end] for m in event.mentions}
        if event.event == kind and trigger in words:
            return event
    found = [
        (e.event, [doc.text[m.trigger_start : m.trigger_end] for m in e.mentions]) for e in events
    ]
    raise AssertionError(f"no {kind} on {trigger!r} in {found}")


CASES = [
    # Coordinated verbs share their date.
    (
        "NATO Secretary General Jens Stoltenberg met Kosovo President Vjosa Osmani in "
        "Brussels on Thursday and urged Pristina to avoid any escalation in the north.",
        "urged",
        "REQUEST",
        "2023-06-01",
    ),
    # A complement shares its verb's date; "by a month" is no date of its own.
    (
        "Kosovo's government agreed on Sunday to postpone the new rules by a month.",
        "postpone",
        "CONCEDE",
        "2023-05-28",
    ),
    # A participle clause of the same act.
    (
        "Montenegro expelled the Serbian ambassador on Saturday, accusing him of meddling "
        "in the country's internal affairs.",
        "accusing",
        "ACCUSE",
        "2023-05-27",
    ),
    (
        # (not "moved Pantić to house arrest ..., meeting a demand": that act is coded as
        # itself, RETREAT, and the demand met is no concession of its own)
        "The government published the reconstruction documents on Wednesday, meeting one "
        "of the demands of the protesters.",
        "meeting",
        "CONCEDE",
        "2023-05-31",
    ),
    # A "When ... on Friday," clause dates its main clause and what is coordinated with it.
    (
        "When Kosovo police entered the municipal buildings on Friday, local Serbs tried to "
        "stop them and police fired tear gas.",
        "fired",
        "ASSAULT",
        "2023-05-26",
    ),
    (
        "When Kosovo police entered the municipal buildings on Friday, local Serbs tried to "
        "stop them and police fired tear gas.",
        "stop",
        "PROTEST",
        "2023-05-26",
    ),
    # A fronted participle clause dates its main clause.
    (
        "Addressing parliament on Thursday, Vučić again ruled out recognising Kosovo's "
        "independence.",
        "ruled",
        "REJECT",
        "2023-06-01",
    ),
    # An actor announcing its own side's act dates it on the announcement day.
    (
        "EULEX said on Thursday it had handed the forensic evidence to Kosovo's Special "
        "Prosecution.",
        "handed",
        "COOPERATE",
        "2023-06-01",
    ),
    (
        "Serbian Defence Minister Miloš Vučević said on Monday that Serbia had cut the "
        "number of troops near the boundary with Kosovo.",
        "cut",
        "RETREAT",
        "2023-05-29",
    ),
    # A threat is made by the saying.
    (
        "Kurti said on Sunday that Kosovo police would act against the barricades if KFOR "
        "did not remove them.",
        "act",
        "THREATEN",
        "2023-05-28",
    ),
]

UNDATED = [
    # A date inside the noun's modifier dates the announcement, not the agreement.
    (
        "Under the agreement announced by Josep Borrell on Saturday, Serbia will abolish "
        "entry documents for Kosovo citizens.",
        "agreement",
        "AGREE",
    ),
    # The act dated separately: "this week" gives no day (guide, section 8).
    (
        "KFOR said on Friday it had added troops and patrols in northern Kosovo this week.",
        "added",
        "MOBILIZE",
    ),
    # Another side's act reported by the speaker.
    (
        "The Kosovo government said on Monday that Serbia had moved troops to the boundary.",
        "moved",
        "MOBILIZE",
    ),
    (
        "KFOR has rejected Belgrade's request to deploy Serbian troops in Kosovo, Serbian "
        "President Aleksandar Vučić said on Sunday.",
        "rejected",
        "REJECT",
    ),
    # An act still to come: the request is not made by the saying.
    (
        "Vučić said on Saturday that Serbia would formally ask KFOR to allow Serbian "
        "soldiers to return to Kosovo.",
        "ask",
        "REQUEST",
    ),
    # A consequence comes after the act.
    (
        "Kosovo police arrested a Serbian citizen at the Jarinje crossing on Sunday, "
        "prompting Belgrade to accuse Pristina of persecuting Serbs.",
        "accuse",
        "ACCUSE",
    ),
    # Coordinated clauses moved to another moment.
    (
        "Two Serbs were wounded by gunfire in Štrpce on Friday, and police later arrested "
        "a suspect.",
        "arrested",
        "COERCE",
    ),
    (
        "Serbian prosecutors questioned Radoičić in Belgrade on Tuesday, but Serbia has "
        "refused Kosovo's requests to hand him over.",
        "refused",
        "REJECT",
    ),
    # A noun in an "after" phrase is of another moment than its clause.
    (
        "Serbia signed the contract on Thursday after the resignation of Prime Minister "
        "Miloš Vučević.",
        "resignation",
        "RETREAT",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "kind", "day"), CASES)
def test_clause_takes_the_date_it_depends_on(
    nlp: Language, text: str, trigger: str, kind: str, day: str
) -> None:
    event = event_by_trigger(nlp, text, trigger, kind)
    assert (event.date, event.date_precision) == (day, "day")


@pytest.mark.parametrize(("text", "trigger", "kind"), UNDATED)
def test_date_of_another_clause_does_not_date_the_event(
    nlp: Language, text: str, trigger: str, kind: str
) -> None:
    assert event_by_trigger(nlp, text, trigger, kind).date is None


def test_own_date_of_the_main_clause_stays(nlp: Language) -> None:
    """The first conjunct keeps its own date: "met ... on Thursday" is Thursday."""
    event = event_by_trigger(
        nlp,
        "Stoltenberg met Osmani in Brussels on Thursday and urged Pristina to avoid escalation.",
        "met",
        "CONSULT",
    )
    assert event.date == "2023-06-01"
