"""Accuracy is gated like correctness: floors on the frozen test split.

The test split (tests/gold/extraction-test.jsonl) is never tuned on; see
tests/gold/README.md. A change that lowers a score below its floor fails here. Raise a
floor when the pipeline beats it, never lower one to let a change through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pactwatch.evaluate import EvalReport, evaluate, load_gold
from pactwatch.nlp.pipeline import shared_pipeline

GOLD = Path(__file__).resolve().parent / "gold"

# Measured on the frozen split (pactwatch eval tests/gold/extraction-test.jsonl), less a
# hundredth. The targets of issue 3 are 0.80 (event-type macro-F1), 0.85 (actor and
# recipient country F1) and 0.85 (cooperation-area F1): not reached yet, so these floors
# guard what we have against regressions while the pipeline climbs towards them.
FLOORS = {
    "event_macro_f1": 0.64,
    "country": 0.49,
    "area": 0.76,
}


@pytest.fixture(scope="module")
def test_split_report() -> EvalReport:
    return evaluate(load_gold(GOLD / "extraction-test.jsonl"), shared_pipeline())


def test_event_type_macro_f1_floor(test_split_report: EvalReport) -> None:
    assert test_split_report.event_macro_f1 >= FLOORS["event_macro_f1"]


def test_actor_and_recipient_country_f1_floor(test_split_report: EvalReport) -> None:
    assert test_split_report.fields["country"].f1 >= FLOORS["country"]


def test_cooperation_area_f1_floor(test_split_report: EvalReport) -> None:
    assert test_split_report.fields["area"].f1 >= FLOORS["area"]
