"""A second opinion on event types: a small bag-of-words text classifier.

The trigger rules (``event_triggers``, ``event_lexicon.yaml``) are precise but only know the
words they list. The classifier in ``nlp/models/event_types`` (spaCy ``textcat_multilabel``
on ``spacy.TextCatBOW.v3``, retrained by ``python -m pactwatch.nlp.training.event_types``)
scores a sentence for each PLOVER event type from its words, so it also recognises phrasings
no rule lists. ``pw_events`` asks it only about sentences in which the rules coded nothing.

The classifier never sees names: a sentence is reduced to lower-case lemmas, with named
entities, dates and numbers replaced by their kind (``<gpe>``, ``<person>``, ``<date>``), so
what it learns is how an act is told, not who usually does it. The same function makes the
features for training and for prediction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pactwatch.nlp.components.event_fallback import main_predicate

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "event_types"
PIPE_NAME = "textcat_multilabel"
# The cooperation-area classifier lives in the same model (sharing its word vectors).
AREA_PIPE_NAME = "cooperation_areas"

_NAMED = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW"})
_NUMERIC = {
    "DATE": "<date>",
    "TIME": "<date>",
    "CARDINAL": "<num>",
    "ORDINAL": "<num>",
    "MONEY": "<money>",
    "PERCENT": "<num>",
    "QUANTITY": "<num>",
}
_OBJECT_DEPS = frozenset({"dobj", "prt", "nsubjpass", "xcomp"})


def features(span: Span | Doc) -> list[str]:
    """The words the classifier reads: lemmas, with names, dates and numbers as their kind,
    then the main predicate of each sentence and its object marked ("P:scale", "O:back").

    Inside a name the common nouns stay ("Kosovo *police*", "the Serbian *ministry*"), the
    proper nouns go: a name contributes its kind once.
    """
    out = _words(span)
    for sent in [span] if isinstance(span, Span) else span.sents:
        predicate = main_predicate(sent)
        if predicate is None:
            continue
        out.append("P:" + predicate.lemma_.lower())
        out += [
            "O:" + child.lemma_.lower()
            for child in predicate.children
            if child.dep_ in _OBJECT_DEPS
        ]
    return out


def _words(tokens: Iterable[Token]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if token.is_space or (token.is_punct and token.text not in ("?", '"', "“", "”")):
            continue
        kind = token.ent_type_
        if kind in _NUMERIC or (not kind and token.like_num):
            word = _NUMERIC.get(kind, "<num>")
            if not out or out[-1] != word:
                out.append(word)
            continue
        if kind in _NAMED:
            if token.ent_iob_ == "B":
                out.append(f"<{kind.lower()}>")
            if token.pos_ == "PROPN":
                continue
        elif token.pos_ == "PROPN":
            out.append("<name>")
            continue
        out.append(token.lemma_.lower() or token.lower_)
    return out


# Both classifiers read the same prose sentences: their features are made once per Doc.
_SENTENCE_FEATURES: WeakKeyDictionary[Doc, dict[tuple[int, int], list[str]]] = WeakKeyDictionary()


def sentence_features(span: Span) -> list[str]:
    """``features`` of a sentence, kept for as long as its Doc lives."""
    known = _SENTENCE_FEATURES.setdefault(span.doc, {})
    key = (span.start, span.end)
    if key not in known:
        known[key] = features(span)
    return known[key]


class EventTypeClassifier:
    """Scores a sentence for each PLOVER event type (0 to 1, independently)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        pipe: Any = nlp.get_pipe(PIPE_NAME)  # a TextCategorizer
        self.pipe = pipe
        self.labels: tuple[str, ...] = tuple(pipe.labels)
        # The area classifier reads most of the sentences this one does: the Doc of a
        # sentence's features is made once per source Doc for both (the models only read it).
        self._sentence_docs: WeakKeyDictionary[Doc, dict[tuple[int, int], Doc]] = (
            WeakKeyDictionary()
        )

    def feature_doc(self, words: list[str]) -> Doc:
        return Doc(self.nlp.vocab, words=words or ["<empty>"])

    def sentence_doc(self, span: Span) -> Doc:
        """``feature_doc`` of a sentence's features, kept for as long as its Doc lives."""
        known = self._sentence_docs.setdefault(span.doc, {})
        key = (span.start, span.end)
        found = known.get(key)
        if found is None:
            found = known[key] = self.feature_doc(sentence_features(span))
        return found

    def _input_doc(self, span: Span | Doc) -> Doc:
        if isinstance(span, Span):
            return self.sentence_doc(span)
        return self.feature_doc(features(span))

    def scores(self, span: Span | Doc) -> dict[str, float]:
        """Per event type, the classifier's score for ``span``."""
        return self.scores_many([span])[0]

    def scores_many(self, spans: Sequence[Span | Doc]) -> list[dict[str, float]]:
        """``scores`` of each span, in one batch (one call costs about as much as many)."""
        if not spans:
            return []
        table = self.pipe.predict([self._input_doc(span) for span in spans])
        # ``tolist`` makes the same Python floats as ``float(row[i])``, without a NumPy
        # scalar per score (about 1% of an extract run).
        return [
            dict(zip(self.labels, row, strict=True))
            for row in self.pipe.model.ops.to_numpy(table).tolist()
        ]


@cache
def load_event_classifier(path: Path = MODEL_PATH) -> EventTypeClassifier | None:
    """The shipped classifier, or None when the model directory is absent."""
    if not (path / "config.cfg").is_file():
        return None
    return EventTypeClassifier(spacy.load(path))
