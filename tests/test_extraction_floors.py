"""Accuracy is gated like correctness: floors on the two held-out splits.

The frozen test split (tests/gold/extraction-test.jsonl) and the validation split
(tests/gold/extraction-validation.jsonl) are never tuned on; see tests/gold/README.md. A change
that lowers a score below its floor fails here. Raise a floor when the pipeline beats it,
never lower one to let a change through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pactwatch.evaluate import EvalReport, evaluate, load_gold
from pactwatch.nlp.pipeline import shared_pipeline

GOLD = Path(__file__).resolve().parent / "gold"

# Measured (pactwatch eval tests/gold/extraction-<split>.jsonl) on 2026-11-28, session 11:
# test 0.750 / 0.633 / 0.816, validation 0.786 / 0.674 / 0.895 (session 9: 0.742 / 0.619 /
# 0.816 and 0.779 / 0.663 / 0.882; session 8: 0.744 / 0.621 /
# 0.816 and 0.780 / 0.660 / 0.879; session 7: 0.744 / 0.621 / 0.819 and 0.777 / 0.655 /
# 0.859; session 6: 0.749 / 0.614 / 0.823 and 0.751 / 0.621 / 0.859; session 5: 0.745 /
# 0.601 / 0.814 and 0.750 / 0.621 / 0.851). The floors sit up to a hundredth below.
# Sessions 8 and 9 moved the test split by a fact or two either way; its floors stay.
# The targets of issue 3 are 0.80 (event-type macro-F1), 0.85 (actor and recipient
# country F1) and 0.85 (cooperation-area F1): validation area has reached its target; the
# rest have not, so these floors guard what we have against regressions while the
# pipeline climbs towards them.
FLOORS = {
    "test": {"event_macro_f1": 0.74, "country": 0.62, "area": 0.81},
    "validation": {"event_macro_f1": 0.78, "country": 0.67, "area": 0.89},
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def held_out(request: pytest.FixtureRequest) -> tuple[str, EvalReport]:
    split = str(request.param)
    return split, evaluate(load_gold(GOLD / f"extraction-{split}.jsonl"), shared_pipeline())


def test_event_type_macro_f1_floor(held_out: tuple[str, EvalReport]) -> None:
    split, report = held_out
    assert report.event_macro_f1 >= FLOORS[split]["event_macro_f1"]


def test_actor_and_recipient_country_f1_floor(held_out: tuple[str, EvalReport]) -> None:
    split, report = held_out
    assert report.fields["country"].f1 >= FLOORS[split]["country"]


def test_cooperation_area_f1_floor(held_out: tuple[str, EvalReport]) -> None:
    split, report = held_out
    assert report.fields["area"].f1 >= FLOORS[split]["area"]
