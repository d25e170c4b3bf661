"""``pw_attribute_table`` sets exactly what the model's ``attribute_ruler`` sets.

Two copies of the spaCy model, one with its ruler and one with the table in its place,
read the demo corpus and fresh sentences that reach the ruler's rarer patterns
(contractions, "there is", pronouns by role, auxiliaries, white space); every token
attribute the ruler or the components after it (lemmatizer, entities) set must agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.nlp.components.attribute_table import _token_test
from pactwatch.nlp.pipeline import SPACY_MODEL

ARTICLES = (
    Path(__file__).resolve().parents[1] / "src" / "pactwatch" / "demo" / "corpus" / "articles"
)

FRESH = [
    "Y'all ain't gonna believe it, let's go. There is a way, there are two.",
    "But I gotta say c'mon, it was nothin' but I gave it to you and you told it to me.",
    "Do you have it? I did. He has had it; they do. That is what that means.",
    "Ready?\n\n  There were  some.",
    "Ministers who had met said that if talks fail, those that remain would leave.",
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Language, Language]:
    ruled = spacy.load(SPACY_MODEL)
    tabled = spacy.load(SPACY_MODEL)
    tabled.add_pipe("pw_attribute_table", after="attribute_ruler")
    tabled.remove_pipe("attribute_ruler")
    return ruled, tabled


def _attributes(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
        for t in doc
    ]


def test_the_table_sets_what_the_ruler_sets(pipelines: tuple[Language, Language]) -> None:
    ruled, tabled = pipelines
    texts = FRESH + [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.md"))]
    for ruled_doc, tabled_doc in zip(ruled.pipe(texts), tabled.pipe(texts), strict=True):
        assert _attributes(tabled_doc) == _attributes(ruled_doc), ruled_doc.text[:80]


def test_the_rare_patterns_are_reached(pipelines: tuple[Language, Language]) -> None:
    _ruled, tabled = pipelines
    doc = tabled(FRESH[0])
    lemmas = {t.lower_: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to" and lemmas["ai"] == "be"
    assert [t.pos_ for t in doc if t.lower_ == "is"] == ["VERB"]  # "there is"


def test_an_unknown_pattern_shape_is_refused() -> None:
    with pytest.raises(ValueError):
        _token_test({"LEMMA": "be"})
    with pytest.raises(ValueError):
        _token_test({"LOWER": {"FUZZY": "be"}})
