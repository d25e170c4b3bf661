"""``pw_parse_repair``: mend one parse error of ``en_core_web_sm`` that hides main verbs.

The small English parser often reads a sentence's main verb as a participle on its
subject ("Montenegrin sailors [trained] aboard a U.S. Navy destroyer", tagged VBN and
attached as ``acl``), which leaves the sentence with a noun for its root and no finite
verb: the event rules then see a description ("sailors trained by ..."), not a report.
The same happens under a dateline ("TIRANA, Feb 15 (...) - Blinken [met] Rama ...": the
verb hangs on "TIRANA") and inside a subject before "X said" (the reporting verb then has
two subjects: "Albanian soldiers serving with KFOR [trained] with Italian Carabinieri
..., the mission said").

Sets: ``Token.head``, ``Token.dep_`` and ``Token.tag_`` of the promoted verb and its
subject, nothing else; a participle with an agent ("equipment donated by the US") or a
passive auxiliary is a real participle and is left alone. Runs after spaCy's parser and
entity recogniser, before ``pw_actors``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

_PARTICIPLE_TAGS = frozenset({"VBD", "VBN"})
_PASSIVE_MARKS = frozenset({"agent", "auxpass", "nsubjpass"})


@Language.component("pw_parse_repair")
def repair_parse(doc: Doc) -> Doc:
    """The Doc with main verbs the parser hung on a noun put back at the top."""
    for sent in list(doc.sents):
        root = sent.root
        if root.pos_ in ("NOUN", "PROPN"):
            _promote_under_noun_root(root)
        elif root.pos_ == "VERB":
            _promote_from_second_subject(sent, root)
    return doc


def _hidden_verb(token: Token) -> bool:
    """A past participle or past tense verb the parser attached as a noun's modifier."""
    return (
        token.dep_ == "acl"
        and token.pos_ == "VERB"
        and token.tag_ in _PARTICIPLE_TAGS
        and not any(c.dep_ in _PASSIVE_MARKS for c in token.children)
    )


def _promote_under_noun_root(root: Token) -> None:
    """ "Montenegrin sailors trained aboard ...": a noun root whose participle is the verb.
    With a subject of its own ("TIRANA, ... - Blinken met Rama"), the verb already has one
    and the noun (a dateline) becomes a modifier of it."""
    verb = next((c for c in root.children if _hidden_verb(c)), None)
    if verb is None:
        return
    own_subject = any(c.dep_ == "nsubj" for c in verb.children)
    if not own_subject and verb.i < root.i:
        return  # the participle comes before its noun: "the trained sailors"
    verb.head = verb
    verb.dep_ = "ROOT"
    root.head = verb
    root.dep_ = "npadvmod" if own_subject else "nsubj"
    _finite(verb)


def _promote_from_second_subject(sent: Span, root: Token) -> None:
    """ "Albanian soldiers serving with KFOR trained with ..., the mission said": a reporting
    verb with two subjects, one of which carries the real verb as a participle."""
    subjects = [c for c in root.children if c.dep_ == "nsubj"]
    if len(subjects) < 2:
        return
    for subject in subjects:
        found = [
            t
            for t in subject.subtree
            if t is not subject
            and _hidden_verb(t)
            and not any(c.dep_ == "nsubj" for c in t.children)
        ]
        if not found:
            continue
        verb = found[-1]
        verb.head = root
        verb.dep_ = "ccomp"
        subject.head = verb
        subject.dep_ = "nsubj"
        _finite(verb)
        return


def _finite(verb: Token) -> None:
    """The promoted verb is a finite past tense, as the rules read tense from the tag."""
    if verb.tag_ == "VBN":
        verb.tag_ = "VBD"
