"""The cooperation-area classifier beside the area terms (``area_classifier``).

Fresh sentences, not from the gold splits. The classifier is trained on the dev split, so
its accuracy is measured on the held-out splits (``test_extraction_floors.py``); here:
its labels are the taxonomy's areas, it adds an area the terms do not name, and it can be
turned off.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from pactwatch.nlp.components.area_classifier import AREA_THRESHOLD, load_area_classifier
from pactwatch.nlp.components.areas import AreaTagger, load_areas
from pactwatch.nlp.pipeline import build_pipeline

DELIVERY = "The Kosovo Security Force received twelve armoured vehicles from Turkey on Tuesday."


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_labels_are_the_taxonomy_areas() -> None:
    classifier = load_area_classifier()
    assert classifier is not None
    assert sorted(classifier.labels) == sorted(area.name for area in load_areas().areas)
    assert classifier.threshold == AREA_THRESHOLD


def test_classifier_adds_an_area_the_terms_miss(nlp: Language) -> None:
    doc = nlp(DELIVERY)
    with_classifier = doc._.pw_sentence_areas[0]
    terms_only = AreaTagger(second_opinion=False).sentence_areas(next(iter(doc.sents)), [])
    assert "equipment_resources" in terms_only
    assert "security_assistance" not in terms_only
    assert "security_assistance" in with_classifier
    assert set(terms_only) <= set(with_classifier)


def test_second_opinion_can_be_turned_off(nlp: Language) -> None:
    tagger = nlp.get_pipe("pw_areas")
    saved = tagger.classifier
    try:
        tagger.classifier = None
        assert "security_assistance" not in nlp(DELIVERY)._.pw_sentence_areas.get(0, [])
    finally:
        tagger.classifier = saved


def test_one_states_drill_gets_no_joint_exercise_from_the_classifier(nlp: Language) -> None:
    doc = nlp(
        "More than 900 Serbian troops staged a live-fire exercise at the Pasuljanske Livade "
        "range on Thursday, watched by President Aleksandar Vučić."
    )
    assert any(e.event == "MOBILIZE" for e in doc._.pw_events)
    assert "joint_exercises" not in doc._.pw_areas
