"""Who does what a verb tells: its subject, the agent of a passive, or the one it inherits.

``event_triggers`` reads a trigger's slots with these; ``event_participants`` and
``date_binding`` ask them for the subject of a clause. Syntax only, like
``event_triggers``: ``event_arguments`` turns the tokens into actors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from weakref import WeakKeyDictionary

from spacy.attrs import DEP, HEAD
from spacy.tokens import Doc, Token

from pactwatch.nlp.components.sentence_bounds import sentence_of

_COMPLEX_PREP_HEADS = frozenset({"out", "ahead", "because", "instead", "outside", "away"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj", "nsubjpass"})
_SUBJECT_CONTROL = frozenset({"promise", "vow", "pledge", "threaten", "offer", "agree", "say"})


def prep_objects(prep: Token) -> Iterator[Token]:
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            yield child
        elif child.dep_ == "prep" and prep.lower_ in _COMPLEX_PREP_HEADS:
            yield from prep_objects(child)  # "pulled out of the exercise"


def objects_via(head: Token, preps: Collection[str]) -> list[Token]:
    """The objects of ``head``'s prepositions among ``preps`` ("imposed sanctions [on]
    Dodik", "protesters [in] Belgrade"), in text order."""
    return [
        o
        for prep in head.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for o in prep.children
        if o.dep_ == "pobj"
    ]


def is_passive(verb: Token) -> bool:
    """A passive verb, or one the parser gave an agent ("a declaration signed by X")."""
    doc = verb.doc
    heads = _PASSIVE_HEADS.get(doc)
    if heads is None:
        heads = _PASSIVE_HEADS[doc] = _passive_heads(doc)
    return verb.i in heads


# Per Doc, the tokens with a passive subject, a passive auxiliary or an agent among their
# children: asked of every trigger for each rule tried, and read from one spaCy array
# instead of walking the children each time. Our components do not change the parse
# after ``pw_parse_repair``, so the set stays right while the Doc lives.
_PASSIVE_HEADS: WeakKeyDictionary[Doc, frozenset[int]] = WeakKeyDictionary()
_PASSIVE_MARKS = ("nsubjpass", "auxpass", "agent")


def _passive_heads(doc: Doc) -> frozenset[int]:
    if not len(doc):
        return frozenset()
    marks = {doc.vocab.strings[label] for label in _PASSIVE_MARKS}
    # HEAD is the offset to the head; the unsigned array holds negative ones wrapped.
    rows = doc.to_array([DEP, HEAD]).astype("int64").tolist()
    return frozenset(
        i + offset for i, (dep, offset) in enumerate(rows) if dep in marks and offset != 0
    )


def acl_agent(noun: Token, lemmas: frozenset[str]) -> Token | None:
    """A participle that carries the noun as its object: "the deal [announced] by Borrell"."""
    for child in noun.children:
        if child.dep_ == "acl" and child.lemma_.lower() in lemmas:
            return child
    return None


def subject_tokens(verb: Token) -> list[Token]:
    """The subject of a verb: its own, the agent of a passive, or one it inherits.

    A verb without a subject shares the surface subject of the verb it depends on:
    "X engaged with Y to discuss ..." (X discusses), "Osmani was received ... and
    discussed ..." (Osmani discusses), "Borrell is expected to invite ..." (Borrell
    invites). "officials who met": "met" takes "officials". A complement of a verb with
    an object is that object's act: "prompting local Serbs to block roads", "called on
    them to surrender". "the two sides were not ready to agree": the sides agree.
    """
    if is_passive(verb) or (verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD")):
        return [o for c in verb.children if c.dep_ == "agent" for o in prep_objects(c)]
    if not any(c.dep_ in _SUBJECT_DEPS for c in verb.children) and (doer := _reason_doer(verb)):
        return doer
    current = verb
    for _ in range(6):
        subjects = [c for c in current.children if c.dep_ in _SUBJECT_DEPS]
        subjects = [s for subject in subjects for s in _past_dateline(subject)]
        subjects = [s for subject in subjects for s in _before_floating_quantifier(subject)]
        if subjects:
            if subjects[0].lower_ in _RELATIVE_PRONOUNS and current.dep_ == "relcl":
                return [current.head]
            return subjects
        if current.dep_ in ("relcl", "acl") and current.head.pos_ in ("NOUN", "PROPN"):
            return [current.head] if not is_passive(current) else []
        if current.dep_ in ("xcomp", "ccomp") and current.head.pos_ == "VERB":
            controller = _controller(current.head)
            if controller:
                return controller
        if current.dep_ == "xcomp" and current.head.pos_ == "ADJ":
            current = current.head  # "ready to agree": the subject of "were ready"
            if current.dep_ in ("acomp", "attr", "oprd") and current.head.pos_ in ("VERB", "AUX"):
                current = current.head
            continue
        if current.dep_ in ("xcomp", "advcl", "conj", "pcomp") and current.head.pos_ in (
            "VERB",
            "AUX",
        ):
            current = current.head
            continue
        if current.dep_ == "pcomp" or (current.dep_ == "prep" and current.head.pos_ == "VERB"):
            current = current.head
            continue
        if (
            current.dep_ == "conj"
            and current.head.dep_ in ("oprd", "acomp")
            and current.head.head.pos_ in ("VERB", "AUX")
        ):
            # "called the injuries unacceptable and blamed Kurti": the parser hung the
            # second verb on the adjective; it shares the first verb's subject.
            current = current.head.head
            continue
        break
    return []


def _reason_doer(verb: Token) -> list[Token]:
    """Who did what a "for"-gerund gives as the reason: the one the clause acts on, not its
    subject ("suspended Đurić for refusing" -> Đurić; "imposed no penalty on Serbia for
    refusing" -> Serbia; "ordered Dodik's arrest for ignoring a summons" -> Dodik)."""
    if verb.dep_ != "pcomp" or verb.head.lower_ != "for":
        return []
    head = verb.head.head
    nouns = [head] if head.pos_ in ("NOUN", "PROPN") else []
    if head.pos_ == "VERB":
        nouns = [c for c in head.children if c.dep_ == "dobj"]
    for noun in nouns:
        owners = [c for c in noun.children if c.dep_ == "poss"]
        targets = objects_via(noun, ("on", "against"))
        if owners or targets:
            return owners or targets
        if noun is not head and (noun.pos_ == "PROPN" or noun.ent_type_):
            return [noun]
    if head.pos_ == "VERB":
        return objects_via(head, ("on", "against"))
    return []


def _past_dateline(subject: Token) -> list[Token]:
    """The real subject when the parser took the dateline for it: in "PRISTINA, Aug 8
    (Balkan Wire Service) - Kosovo's defence minister ... resigned", the minister hangs
    on "PRISTINA" as an apposition after the dash."""
    if not (subject.is_upper and len(subject.text) > 3):
        return [subject]  # tested first: most subjects are not an upper-case word
    sent = sentence_of(subject)
    if subject.i - sent.start >= 3:
        return [subject]
    dash = next((t.i for t in sent[: min(len(sent), 16)] if t.text in ("-", "–", "—")), None)
    if dash is None:
        return [subject]
    after = [
        c
        for c in subject.children
        if c.dep_ in ("appos", "conj", "npadvmod", "compound")
        and c.i > dash
        and c.pos_ in ("NOUN", "PROPN", "PRON")
        and c.ent_type_ not in ("DATE", "TIME")
    ]
    return after or [subject]


_FLOATING = frozenset({"each", "both", "all"})


def _before_floating_quantifier(subject: Token) -> list[Token]:
    """The real subject when the parser took a floating "each" for it and hung the names
    before it elsewhere: "... on Monday and Croatia and Macedonia [each] expelled one
    Russian diplomat" (the names are conjuncts of "Monday")."""
    if subject.lower_ not in _FLOATING or any(True for _ in subject.children):
        return [subject]
    before = subject.doc[subject.i - 1] if subject.i > subject.sent.start else None
    if before is None or before.pos_ != "PROPN":
        return [subject]
    first = before
    while (
        first.dep_ == "conj"
        and first.head.pos_ == "PROPN"
        and first.head.ent_type_ not in ("DATE", "TIME")  # not "on Monday and Croatia"
        and first.head.i < first.i
    ):
        first = first.head  # "Croatia and Macedonia": from the first of the names
    return [first, *(c for c in first.conjuncts if first.i < c.i < subject.i)]


def _controller(head: Token) -> list[Token]:
    """The object that controls a verb's complement ("urged Serbia to withdraw")."""
    if head.lemma_.lower() in _SUBJECT_CONTROL:
        return []
    objects = [c for c in head.children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
    if objects:
        return objects
    return [
        o
        for c in head.children
        if c.dep_ == "prep" and c.lower_ in ("on", "upon")
        for o in prep_objects(c)
        if o.ent_type_ not in ("DATE", "TIME")  # "voted on Friday to lift": a date
    ]


def purpose_objects(verb: Token) -> list[Token]:
    """Objects of a verb's purpose clause: "send troops to [reinforce KFOR]"."""
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("advcl", "xcomp") and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in child.children
        ):
            out += [g for g in child.children if g.dep_ == "dobj"]
    return out


def attributed_doers(noun: Token) -> list[Token]:
    """Who an attack told as a noun is put down to: "Russian services were behind the
    cyber attacks" (the subject of "be behind"), "blamed a hacker group for the attacks"
    (the one blamed). Not "an attack claimed by X": a claim is no attribution the guide
    codes, and such attacks are told again with their own verb."""
    if noun.dep_ != "pobj":
        return []
    prep, verb = noun.head, noun.head.head
    if prep.lower_ == "behind" and verb.lemma_ == "be":
        return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if prep.lower_ == "for" and verb.lemma_.lower() in _BLAMING_VERBS:
        return [c for c in verb.children if c.dep_ == "dobj"]
    return []


# Verbs whose object is blamed for what the "for" phrase names.
_BLAMING_VERBS = frozenset({"blame", "hold", "accuse", "sanction", "indict", "charge"})
