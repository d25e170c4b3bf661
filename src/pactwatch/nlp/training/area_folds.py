"""Cooperation-area F1 on the dev split, cross-validated for the area classifier.

    .venv/bin/python -m pactwatch.nlp.training.area_folds [--folds 5]

The area classifier is trained on every dev sentence (``event_types.train_areas``), so the
pipeline's area F1 on dev flatters it. This splits dev into ``--folds`` runs of consecutive
ids (dev was written in batches, so a fold is mostly text of one batch's style), trains the
area pipe of the shipped model again without each fold, and scores the whole pipeline's
areas on the fold it did not see: the area terms, the events' areas and that fold's
classifier, as ``pw_areas`` combines them. It prints each fold, the pooled precision,
recall and F1, and the terms and events alone. The event-type classifier is the shipped
one (it never trained on the later dev batches either). Deterministic; a few minutes.

Tune area terms and rules on this figure, not on the pipeline's dev score, and never on
the held-out splits.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

from pactwatch.evaluate import GoldSentence, Score, evaluate, load_gold
from pactwatch.nlp.components.area_classifier import AreaClassifier
from pactwatch.nlp.components.areas import AreaTagger
from pactwatch.nlp.components.event_classifier import (
    AREA_PIPE_NAME,
    MODEL_PATH,
    EventTypeClassifier,
)
from pactwatch.nlp.pipeline import build_pipeline
from pactwatch.nlp.training.event_types import DEV, train_areas


def folds(sentences: list[GoldSentence], count: int) -> list[list[GoldSentence]]:
    """``count`` runs of consecutive ids, as even in size as they can be."""
    ordered = sorted(sentences, key=lambda s: s.id)
    size = len(ordered)
    return [ordered[i * size // count : (i + 1) * size // count] for i in range(count)]


def fold_classifier(held_out: list[GoldSentence], dev: list[GoldSentence]) -> AreaClassifier:
    """The shipped model with its area pipe trained again without ``held_out``."""
    skip = {s.id for s in held_out}
    nlp = spacy.load(MODEL_PATH)
    nlp.remove_pipe(AREA_PIPE_NAME)
    train_areas(nlp, [(s.text, frozenset(s.areas)) for s in dev if s.id not in skip])
    return AreaClassifier(EventTypeClassifier(nlp))


def _line(name: str, score: Score) -> str:
    return (
        f"{name:>12}  precision {score.precision:.3f}  recall {score.recall:.3f}  "
        f"F1 {score.f1:.4f}  (tp {score.true_positives}, predicted {score.predicted}, "
        f"gold {score.gold})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    parser.add_argument("--gold", type=Path, default=DEV, help="the dev split")
    args = parser.parse_args(argv)
    dev = load_gold(args.gold)
    pipeline = build_pipeline()
    tagger = pipeline.get_pipe("pw_areas")
    if not isinstance(tagger, AreaTagger):
        raise SystemExit("the pipeline's pw_areas is not pactwatch's AreaTagger")
    pooled = Score()
    for number, part in enumerate(folds(dev, args.folds), start=1):
        tagger.classifier = fold_classifier(part, dev)
        score = evaluate(part, pipeline).fields["area"]
        print(_line(f"fold {number}", score) + f"  {part[0].id}-{part[-1].id}", flush=True)
        pooled.true_positives += score.true_positives
        pooled.predicted += score.predicted
        pooled.gold += score.gold
    tagger.classifier = None  # the terms and the events' areas alone
    print(_line("pooled", pooled))
    print(_line("terms alone", evaluate(dev, pipeline).fields["area"]))


if __name__ == "__main__":
    main()
