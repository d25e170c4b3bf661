"""A second opinion on cooperation areas: a text classifier beside the area terms.

The area terms (``cooperation_areas.yaml``, read by ``pw_areas``) are precise but only
know the words they list. The model in ``nlp/models/event_types`` carries, beside the
event-type classifier, a second ``textcat_multilabel`` named ``cooperation_areas``, trained
on the dev split's area labels by ``python -m pactwatch.nlp.training.event_types``. It reads
the same features (lemmas with names masked) and shares the word vectors.

``pw_areas`` adds an area to a prose sentence when the classifier scores it at least
``AREA_THRESHOLD``, on top of the areas the terms find. Measured by leaving each of the
four newest dev batches out of training and scoring on it, terms and classifier together
gained 0.04 to 0.07 area F1 over the terms alone (0.8 was the best threshold on average).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from spacy.tokens import Span

from pactwatch.nlp.components.event_classifier import (
    AREA_PIPE_NAME,
    EventTypeClassifier,
    load_event_classifier,
)

AREA_THRESHOLD = 0.8


class AreaClassifier:
    """Scores a sentence for each cooperation area and keeps the confident ones."""

    def __init__(self, shared: EventTypeClassifier, threshold: float = AREA_THRESHOLD) -> None:
        self.shared = shared
        pipe: Any = shared.nlp.get_pipe(AREA_PIPE_NAME)
        self.pipe = pipe
        self.labels: tuple[str, ...] = tuple(pipe.labels)
        self.threshold = threshold

    def areas_many(self, spans: Sequence[Span]) -> list[list[str]]:
        """The areas scored at least ``threshold`` for each span, in one batch."""
        if not spans:
            return []
        table = self.pipe.predict([self.shared.sentence_doc(span) for span in spans])
        return [
            [
                label
                for label, score in zip(self.labels, row, strict=True)
                if score >= self.threshold
            ]
            for row in self.pipe.model.ops.to_numpy(table)
        ]


@cache
def load_area_classifier() -> AreaClassifier | None:
    """The shipped area classifier, or None when the model has none."""
    shared = load_event_classifier()
    if shared is None or AREA_PIPE_NAME not in shared.nlp.pipe_names:
        return None
    return AreaClassifier(shared)
