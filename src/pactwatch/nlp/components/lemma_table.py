"""``pw_lemma_table``: the model's rule lemmatizer, asked once per word form.

spaCy's ``lemmatizer`` walks every token in Python, makes a ``Token`` object for it and
looks its lemma up in a cache keyed by the token's form, POS and morphology (about 5% of
spaCy's time on our corpus). The lemma is a function of those three values alone (the
English rules read nothing else), so this component reads them for the whole Doc as one
array, asks the lemmatizer itself (``lemmatize``) for each combination it has not seen,
and writes the Doc's lemmas back as one array. As the lemmatizer does, it leaves a lemma
another component already set (the attribute ruler's "be", "not") and sets the others;
``tests/test_nlp_attribute_table.py`` compares every token with the model's own output.

The combinations it has not seen go to a copy of the lemmatizer whose word index holds
sets: spaCy's rule lemmatizer tests each candidate form for membership in the index as a
list (57,528 nouns), about 130 microseconds a new combination, some 3,000 of them in a
100,000-word run. Membership in a set is the same test, so the lemmas are the same.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

_MAX_FORMS = 500_000  # cleared when full (a long-running worker): a cache, not a lexicon
_READ: list[int | str] = [ORTH, POS, MORPH, LEMMA]
_WRITE: list[int | str] = [LEMMA]


class LemmaTable:
    """Sets what ``lemmatizer`` would, from a table of the lemmas it gave before."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise ValueError(
                f"pw_lemma_table reads a rule lemmatizer that does not overwrite, "
                f"not mode={lemmatizer.mode!r} overwrite={lemmatizer.overwrite}"
            )
        self.lemmatizer = lemmatizer
        self.lemmatize = _with_index_sets(lemmatizer).lemmatize
        self.lemmas: dict[tuple[int, int, int], int] = {}  # (form, POS, morph) -> lemma

    @property
    def lookups(self) -> Lookups:
        """The lemmatizer's tables (``actor_noise`` reads its English word list there)."""
        return self.lemmatizer.lookups

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array(_READ).tolist()
        if not rows:
            return doc
        lemmas = self.lemmas
        strings = doc.vocab.strings
        out: list[int] = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if not lemma:
                key = (orth, pos, morph)
                lemma = lemmas.get(key, 0)
                if not lemma:
                    lemma = strings.add(self.lemmatize(doc[i])[0])
                    if pos:  # no POS: spaCy warns each time (W108); not remembered
                        if len(lemmas) >= _MAX_FORMS:
                            lemmas.clear()
                        lemmas[key] = lemma
            out.append(lemma)
        column: Any = numpy.array(out, dtype="uint64").reshape(-1, 1)
        doc.from_array(_WRITE, column)
        return doc


def _with_index_sets(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A lemmatizer of the same class, mode and tables, but for the word index (only ever
    tested for membership by ``rule_lemmatize``) held as sets. The model's lemmatizer and
    its tables are left as they are (``actor_noise`` reads the index)."""
    copy = type(lemmatizer)(lemmatizer.vocab, None, lemmatizer.name, mode="rule")
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            as_sets = Table(name=name)
            for key, words in table.items():
                as_sets[key] = frozenset(words)
            table = as_sets
        lookups.set_table(name, table)
    copy.lookups = lookups
    return copy


@Language.factory("pw_lemma_table")
def make_lemma_table(nlp: Language, name: str) -> LemmaTable:
    """Built from the pipeline's ``lemmatizer``, which ``build_pipeline`` then replaces."""
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"lemmatizer is a {type(lemmatizer).__name__}, not a Lemmatizer")
    return LemmaTable(lemmatizer)
