"""The folds of the cross-validated area score (``nlp/training/area_folds.py``)."""

from __future__ import annotations

from pactwatch.evaluate import GoldSentence
from pactwatch.nlp.training.area_folds import folds


def _sentence(number: int) -> GoldSentence:
    return GoldSentence(f"d{number:04d}", "text", None, None, [], [])


def test_folds_are_runs_of_consecutive_ids_covering_dev_once() -> None:
    dev = [_sentence(n) for n in (7, 3, 1, 9, 4, 2, 8, 6, 5, 10, 11)]
    parts = folds(dev, 3)
    assert [len(p) for p in parts] == [3, 4, 4]
    ids = [s.id for p in parts for s in p]
    assert ids == sorted(s.id for s in dev)  # each once, in id order
    assert parts[0][-1].id < parts[1][0].id < parts[2][0].id
