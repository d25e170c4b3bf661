"""``pw_attribute_table`` and ``pw_lemma_table`` set exactly what the model's
``attribute_ruler`` and ``lemmatizer`` set.

Two copies of the spaCy model, one as shipped and one with our tables in their place,
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
from pactwatch.nlp.pipeline import FASTER, SPACY_MODEL, register_components

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
    register_components()
    ruled = spacy.load(SPACY_MODEL)
    tabled = spacy.load(SPACY_MODEL)
    for replaced, factory, _module in FASTER:  # as build_pipeline does
        tabled.add_pipe(factory, after=replaced)
        tabled.remove_pipe(replaced)
    assert [type(p).__name__ for _n, p in tabled.pipeline][3:5] == ["AttributeTable", "LemmaTable"]
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
