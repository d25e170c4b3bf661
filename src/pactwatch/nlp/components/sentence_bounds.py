"""Sentence boundaries and text of a Doc, computed once per document.

``doc.sents`` walks every token each time it is read, and so does ``doc.text`` (spaCy
joins every token's text anew); components that need the sentence or the line around a
token for each of many arguments would walk the document hundreds of times. The bounds
and text of the last document asked about are kept (checked by identity, so another
document never gets them); our components handle one document at a time, in order.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

_last: tuple[Doc, list[int], list[int]] | None = None
_last_text: tuple[Doc, str] | None = None


def _bounds(doc: Doc) -> tuple[list[int], list[int]]:
    global _last
    if _last is None or _last[0] is not doc:
        sentences = list(doc.sents)
        _last = (doc, [s.start for s in sentences], [s.end for s in sentences])
    return _last[1], _last[2]


def sentence_index(doc: Doc, token_index: int) -> int:
    """Index of the sentence (in ``doc.sents``) that holds the token at ``token_index``."""
    starts, _ends = _bounds(doc)
    return max(0, bisect_right(starts, token_index) - 1)


def sentence_start(doc: Doc, index: int) -> int:
    """Token index where sentence ``index`` starts (clamped to the first sentence)."""
    starts, _ends = _bounds(doc)
    return starts[max(0, min(index, len(starts) - 1))]


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per document rather than on every read."""
    global _last_text
    if _last_text is None or _last_text[0] is not doc:
        _last_text = (doc, doc.text)
    return _last_text[1]
