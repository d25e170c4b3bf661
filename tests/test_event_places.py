"""Where an event happened (annotation guide, section 9): places deeper in the clause, the
side of a boundary, several places."""

from __future__ import annotations

import pytest
from spacy.language import Language

from pactwatch.nlp.pipeline import build_pipeline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _places(nlp: Language, text: str) -> dict[str, str | None]:
    return {
        e.event: (e.event_loc.country if e.event_loc is not None else None)
        for e in nlp(text)._.pw_events
    }


def test_place_of_the_target_and_of_a_during_phrase(nlp: Language) -> None:
    text = "Serb protesters threw rocks at peacekeepers guarding the town hall in Zvečan."
    assert _places(nlp, text).get("ASSAULT") == "XKX"
    text = "Kosovo police arrested eight suspects during searches in Zubin Potok."
    assert _places(nlp, text).get("COERCE") == "XKX"


def test_a_place_locating_the_actor_or_two_places_give_none(nlp: Language) -> None:
    text = "Police searched the offices of several groups in Belgrade and Novi Sad."
    assert _places(nlp, text).get("COERCE") is None


def test_the_actors_side_of_a_boundary(nlp: Language) -> None:
    text = "Serbian troops were deployed along the boundary with Kosovo on Friday."
    assert _places(nlp, text).get("MOBILIZE") == "SRB"
