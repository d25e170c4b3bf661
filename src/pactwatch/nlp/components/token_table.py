"""Token attributes of a Doc as plain Python lists, read once per document.

Every ``doc[i]`` makes a new spaCy ``Token`` object, and each of its string attributes
(``lemma_``, ``pos_``) is a look-up in the string store; the event reader asked them of
every word of every sentence, about three million ``Token`` objects for 80,000 words.
Scans that only need to find the few interesting words read these lists instead, and
make ``Token`` objects for those words alone. The table is kept per Doc object in a
weak-keyed table (see ``sentence_bounds``): our components never change a parse, so
it stays right for as long as the Doc lives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar
from weakref import WeakKeyDictionary

from spacy.attrs import LEMMA
from spacy.tokens import Doc, Token

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Per token index: ``token.lemma_.lower()``."""

    lemma_lower: list[str]


_TABLES: WeakKeyDictionary[Doc, TokenTable] = WeakKeyDictionary()
# Lower-cased lemma by string id: the vocabulary is shared, so this serves every Doc.
_LOWER_BY_ID: dict[int, str] = {}
_MAX_LOWER_BY_ID = 200_000  # cleared when full: a cache, not a second vocabulary


def token_table(doc: Doc) -> TokenTable:
    """The table of ``doc``, built on first use."""
    table = _TABLES.get(doc)
    if table is None:
        table = _TABLES[doc] = TokenTable(_lemmas_lower(doc))
    return table


def _lemmas_lower(doc: Doc) -> list[str]:
    if not len(doc):
        return []
    ids = doc.to_array([LEMMA]).tolist()
    if len(_LOWER_BY_ID) >= _MAX_LOWER_BY_ID:
        _LOWER_BY_ID.clear()
    strings = doc.vocab.strings
    out: list[str] = []
    for key in ids:
        lowered = _LOWER_BY_ID.get(key)
        if lowered is None:
            lowered = _LOWER_BY_ID[key] = strings[key].lower()
        out.append(lowered)
    return out


def per_token(read: Callable[[Token], T]) -> Callable[[Token], T]:
    """``read`` remembered per token for as long as its Doc lives (``read`` must depend on
    the parse alone, and its results must not be changed by callers)."""
    known: WeakKeyDictionary[Doc, dict[int, T]] = WeakKeyDictionary()

    @wraps(read)
    def remembered(token: Token) -> T:
        table = known.get(token.doc)
        if table is None:
            table = known[token.doc] = {}
        i = token.i
        if i not in table:
            table[i] = read(token)
        return table[i]

    return remembered
