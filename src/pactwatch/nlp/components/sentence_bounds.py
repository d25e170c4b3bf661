"""Sentence boundaries and text of a Doc, computed once per document.

``doc.sents`` walks every token each time it is read, and so does ``doc.text`` (spaCy
joins every token's text anew); components that need the sentence or the line around a
token for each of many arguments would walk the document hundreds of times. The bounds
and text are kept per Doc object in weak-keyed tables, so they live exactly as long as
the document does. (A single "last document" slot is not enough: ``nlp.pipe`` runs each
component over a whole batch before the next, so the slot would miss on every call.)
"""

from __future__ import annotations

from bisect import bisect_right
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span, Token

_BOUNDS: WeakKeyDictionary[Doc, tuple[list[int], list[int]]] = WeakKeyDictionary()
_TEXTS: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def _bounds(doc: Doc) -> tuple[list[int], list[int]]:
    bounds = _BOUNDS.get(doc)
    if bounds is None:
        sentences = list(doc.sents)
        bounds = ([s.start for s in sentences], [s.end for s in sentences])
        _BOUNDS[doc] = bounds
    return bounds


def sentence_index(doc: Doc, token_index: int) -> int:
    """Index of the sentence (in ``doc.sents``) that holds the token at ``token_index``."""
    starts, _ends = _bounds(doc)
    return max(0, bisect_right(starts, token_index) - 1)


def sentence_start(doc: Doc, index: int) -> int:
    """Token index where sentence ``index`` starts (clamped to the first sentence)."""
    starts, _ends = _bounds(doc)
    return starts[max(0, min(index, len(starts) - 1))]


def sentence_at(doc: Doc, token_index: int) -> tuple[int, int]:
    """Start and end (token indices) of the sentence that holds ``token_index``."""
    starts, ends = _bounds(doc)
    k = sentence_index(doc, token_index)
    return starts[k], ends[k]


def sentence_of(token: Token) -> Span:
    """``token.sent``, from the bounds kept for its Doc: spaCy's ``Token.sent`` walks to
    both ends of the sentence on every read. Our components run after the parse and
    ``pw_parse_repair`` and never move a sentence boundary, so the bounds stay right."""
    doc = token.doc
    start, end = sentence_at(doc, token.i)
    return doc[start:end]


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document rather than on every read."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text
