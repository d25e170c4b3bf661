"""Event coding scores on the dev gold set (tests/gold/extraction-dev.jsonl).

The floors sit a little under the scores reached when the lexicons were tuned on this
split; a change that loses more fails here. The held-out splits are never read here.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from conftest import REPO
from pactwatch.evaluate import evaluate, load_gold
from pactwatch.nlp.components import sentence_shape  # noqa: F401 - registers pw_line_breaks
from pactwatch.nlp.pipeline import build_pipeline

DEV = REPO / "tests" / "gold" / "extraction-dev.jsonl"


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = build_pipeline()
    if "pw_line_breaks" not in pipeline.pipe_names:
        pipeline.add_pipe("pw_line_breaks", before="parser")
    return pipeline


def test_dev_gold_scores_stay_above_their_floors(nlp: Language) -> None:
    if not DEV.exists():
        pytest.skip("tests/gold/extraction-dev.jsonl is not written yet")
    report = evaluate(load_gold(DEV), nlp)
    # Measured 0.850, 0.738 and 0.918 on the 2,004 dev sentences (2026-11-28, session 11,
    # after the batches d1695-d2004 joined: 310 sentences scored 0.48 to 0.74 / 0.50 to
    # 0.76 / 0.64 to 0.84 before any tuning on them; 0.861 / 0.753 / 0.938 on the first
    # 1,694 at the same commit); 0.860, 0.747 and 0.939 on 1,694 (session 9;
    # session 8 ended at 0.848 / 0.732 / 0.939, session 7 at 0.845 / 0.730 / 0.932,
    # session 6 at 0.836 / 0.707 / 0.927;
    # 0.821 / 0.690 / 0.917 when the batches d1286-d1694 joined, which scored
    # 0.598 / 0.634 / 0.798 and 0.784 / 0.645 / 0.764 before any tuning). Area is
    # inflated: the area classifier trains on dev (see nlp/training/area_folds.py).
    assert report.event_macro_f1 >= 0.84
    assert report.fields["country"].f1 >= 0.73
    assert report.fields["area"].f1 >= 0.91
