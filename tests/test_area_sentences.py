"""pw_areas on fresh news sentences: the areas must generalise beyond the dev phrasing.

tests/data/area_sentences.jsonl holds realistic one-sentence reports, each with the set
of cooperation areas the annotation guide (§10) gives it; none is taken from the gold sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from pactwatch.nlp.components.areas import AreaTagger
from pactwatch.nlp.pipeline import build_pipeline

SENTENCES = Path(__file__).parent / "data" / "area_sentences.jsonl"
# The area terms alone reached 0.942 (tp 57, fp 3, fn 4); floor = that minus 0.02.
FLOOR_F1 = 0.92
# With the area classifier: 0.909 (tp 60, fp 11, fn 1). On these short one-area sentences
# it adds neighbouring areas ("sale of Javelins" -> also security assistance), while on
# the gold splits, whose sentences often carry two areas, it raised area F1 (validation
# 0.79 -> 0.85; four dev batches left out of its training, +0.04 to +0.07).
FLOOR_F1_WITH_CLASSIFIER = 0.90


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _cases() -> list[tuple[str, set[str]]]:
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    return [(c["text"], set(c["areas"])) for c in map(json.loads, filter(None, lines))]


def area_counts(nlp: Language) -> tuple[int, int, int]:
    """True positives, false positives and false negatives over the sentence set."""
    tp = fp = fn = 0
    for text, gold in _cases():
        found = set(nlp(text)._.pw_areas or [])
        tp += len(found & gold)
        fp += len(found - gold)
        fn += len(gold - found)
    return tp, fp, fn


def test_sentence_set_covers_every_area_and_has_no_area_cases() -> None:
    cases = _cases()
    assert len(cases) >= 60
    per_area: dict[str, int] = {}
    for _text, areas in cases:
        for area in areas:
            per_area[area] = per_area.get(area, 0) + 1
    assert len(per_area) == 10
    assert min(per_area.values()) >= 5
    assert sum(1 for _text, areas in cases if not areas) >= 10


def test_area_f1_on_fresh_sentences_stays_above_floor(nlp: Language) -> None:
    tagger = nlp.get_pipe("pw_areas")
    assert isinstance(tagger, AreaTagger)
    saved, tagger.classifier = tagger.classifier, None  # the terms and events alone
    try:
        tp, fp, fn = area_counts(nlp)
    finally:
        tagger.classifier = saved
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= FLOOR_F1, f"area F1 {f1:.3f} (tp={tp} fp={fp} fn={fn})"


def test_area_f1_with_the_classifier_stays_above_floor(nlp: Language) -> None:
    tp, fp, fn = area_counts(nlp)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= FLOOR_F1_WITH_CLASSIFIER, f"area F1 {f1:.3f} (tp={tp} fp={fp} fn={fn})"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Serbia will hold military drills near the boundary with Kosovo.", False),
        ("Albanian soldiers took part in drills alongside Italian troops.", True),
        ("Police found drones and rifles in a warehouse near Zvecan.", False),
    ],
)
def test_weak_terms_count_in_running_text_only_with_a_cue(
    nlp: Language, text: str, expected: bool
) -> None:
    areas = set(nlp(text)._.pw_areas or [])
    assert ("joint_exercises" in areas or "equipment_resources" in areas) is expected
