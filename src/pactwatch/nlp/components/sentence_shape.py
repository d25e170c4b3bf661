"""What kind of line a sentence is: a heading, a list item, or running prose.

Generated and scraped articles mix section headings ("Future Prospects: ...") and
bullet lists ("- Intelligence Sharing: ...") with prose. Event coding skips headings and
list fragments that have no finite verb (they name topics, they do not report acts);
cooperation areas read list items with more trust, as they name areas outright.

``pw_line_breaks`` (add it before the parser) starts a sentence at every line break, so
a heading or a list item is never parsed into the sentence after it.
"""

from __future__ import annotations

import re
from typing import Literal

import numpy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pactwatch.nlp.components.sentence_bounds import doc_text

Shape = Literal["heading", "bullet", "prose"]

BULLET_MARK = re.compile(r"^\s*(?:[-–—•*·▪●]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
# "Security Assistance: Continue to provide ..." — a list item without its mark.
LABEL_LINE = re.compile(r"^\s*[A-Z][\w'’ -]{1,48}:\s+\S.*[.!?]\s*$")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_NEWLINE = re.compile("\n")
_END_PUNCT = (".", "!", "?", '"', "”", "’", "'", ")", ":")


def line_of(sent: Span) -> str:
    """The text line the sentence starts on (from the previous newline to the next)."""
    text = doc_text(sent.doc)
    start = text.rfind("\n", 0, sent.start_char) + 1
    end = text.find("\n", sent.start_char)
    return text[start : end if end != -1 else len(text)]


def shape_of(sent: Span) -> Shape:
    """``bullet`` when the line starts with a list mark, ``heading`` for a short line
    with no closing punctuation that stands alone, else ``prose``."""
    line = line_of(sent)
    if BULLET_MARK.match(line) or LABEL_LINE.match(line):
        return "bullet"
    stripped = line.strip()
    if (
        stripped
        and not stripped.endswith(_END_PUNCT)
        and len(stripped.split()) <= 20
        and sent.text.strip() == stripped
    ):
        return "heading"
    return "prose"


def _is_label(token: Token) -> bool:
    """A list item's label parsed as a subject ("- Security Assistance: Continue ...")."""
    edge = token.right_edge
    if edge.text == ":":
        return True
    return edge.i + 1 < len(token.doc) and token.doc[edge.i + 1].text == ":"


def is_imperative(token: Token) -> bool:
    """A base-form verb with no subject that opens its clause ("Continue to provide ...")."""
    if token.tag_ != "VB" or any(
        c.dep_ in ("nsubj", "nsubjpass") and not _is_label(c) for c in token.children
    ):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return False
    previous = token.nbor(-1) if token.i > token.sent.start else None
    return previous is None or previous.is_punct or previous.text in (":", "-")


def has_finite_verb(sent: Span) -> bool:
    """Whether the sentence's main clause has a finite or imperative verb."""
    root = sent.root
    candidates = [root, *(c for c in root.children if c.dep_ in ("conj", "appos", "dep"))]
    for token in sent:
        if token.i > sent.start and token.nbor(-1).text == ":":
            candidates.append(token)
    for token in candidates:
        if token.pos_ not in ("VERB", "AUX"):
            continue
        if token.tag_ in _FINITE_TAGS or is_imperative(token):
            return True
        if any(c.dep_ in ("aux", "auxpass") and c.tag_ in _FINITE_TAGS for c in token.children):
            return True
    return False


def reports_acts(sent: Span) -> bool:
    """False for headings and list fragments without a finite verb: they name topics."""
    return shape_of(sent) == "prose" or has_finite_verb(sent)


def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break (the parser keeps preset boundaries).

    A token starts a sentence when a newline lies between the start of the token before
    it and its own start (in that token's trailing space, or inside a whitespace token).
    Found from the newlines' offsets rather than by visiting every token: this runs on
    every document, and creating a Token object per word costs more than the search.
    """
    text = doc_text(doc)
    if "\n" not in text or len(doc) < 2:
        return doc
    starts = doc.to_array(IDX)
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    for index in sorted(set(numpy.searchsorted(starts, newlines, side="right").tolist())):
        if 0 < index < len(doc):
            doc[index].is_sent_start = True
    return doc


@Language.component("pw_line_breaks")
def line_breaks_component(doc: Doc) -> Doc:
    """``pw_line_breaks``: a sentence starts on every new line (place before the parser)."""
    return mark_line_breaks(doc)
