"""Blame given as the reason for an act is an accusation of its own (event_justifications).

Sentences written for this test; none is copied from a gold split.
"""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from event_facts import pipeline_doc
from pactwatch.nlp.pipeline import build_pipeline
from pactwatch.nlp.records import Event


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _events(nlp: Language, text: str) -> list[Event]:
    return list(pipeline_doc(nlp, text, date(2024, 5, 17))._.pw_events or [])


def _accusations(nlp: Language, text: str) -> list[Event]:
    return [e for e in _events(nlp, text) if e.event == "ACCUSE"]


@pytest.mark.parametrize(
    ("text", "accused"),
    [
        # a sanction justified by what its target did
        (
            "Britain froze the assets of Milorad Dodik, saying he had undermined the Dayton "
            "peace agreement.",
            ["BIH"],
        ),
        # an expulsion justified by citing another's aggression
        (
            "Croatia expelled Russian diplomats, citing Moscow's aggression against Ukraine.",
            ["RUS"],
        ),
        # a refusal justified by calling the other side an enemy
        (
            "Dodik refused to meet the U.S. ambassador, saying the embassy had become an "
            "enemy of Republika Srpska.",
            ["USA"],
        ),
        # a reproach aimed at a thing names no one
        (
            "Kurti refused to join the initiative, arguing that it undermines the Berlin Process.",
            [],
        ),
    ],
)
def test_blame_given_as_a_reason_is_an_accusation(
    nlp: Language, text: str, accused: list[str]
) -> None:
    (accusation,) = _accusations(nlp, text)
    assert [r.country for r in accusation.recipient] == accused
    assert accusation.modality == "factual"


@pytest.mark.parametrize(
    "text",
    [
        # reasons that blame no one
        "Serbia pulled out of the exercise with Russia, citing pressure from the European Union.",
        "Belgrade rejected the proposal, saying Serbia's economy depended on Russian gas.",
        # the reproach word names what the speaker talks about, not what anyone did
        (
            "Rama urged NATO allies to respond together to cyber attacks, saying the July "
            "attack on Albania showed the need for a common response."
        ),
    ],
)
def test_a_reason_that_blames_no_one_is_no_accusation(nlp: Language, text: str) -> None:
    assert _accusations(nlp, text) == []
