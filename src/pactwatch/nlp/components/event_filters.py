"""Which trigger matches of a sentence report an event of their own.

A sentence often holds more triggers than events. This module drops or marks them:

- frames: an event in the complement of a frame trigger is that trigger's content, not
  a second event ("agreed to hold talks" is AGREE, "urged Serbia to withdraw" REQUEST),
  except that agreeing to a concession is the concession ("agreed to delay the rules"
  is CONCEDE, PLOVER's code for promised concessions);
- denials: "rejected reports that the army had been put on alert" codes the alert as
  negated and nothing for the denial;
- backgrounded participles: adjectives and reduced relatives without an agent ("officers
  detained near the boundary", "an ally committed to peace"), reasons ("for threatening
  the stability"), and adjuncts of a present-tense generic clause ("By collaborating
  closely with NATO, the U.S. is enhancing ...");
- generic present: "Belgrade opposes its transformation", "Serbia does not recognise
  it" state a stance, not an act, unless a date places them;
- nominal events that are another trigger's object ("called off a visit", "freeze the
  talks") and nominal events with "any" ("any deployment ... requires").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from pactwatch.nlp.components.event_triggers import TriggerMatch, clause_head, path_to

_FRAME_PATH_DEPS = frozenset(
    {"xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "acl", "advcl", "conj"}
)
# Gerunds under these name a reason or a topic: "sanctioned for threatening the
# stability", "a course on investigating ransomware attacks".
_REASON_PREPS = frozenset({"for", "despite", "without", "instead", "on", "about"})
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_CONDITION_MARKS = frozenset({"if", "unless", "until", "whether"})
_AIM_NOUNS = frozenset({"attempt", "effort", "bid", "plot", "plan", "campaign", "threat", "way"})
# Nominal events that, as another trigger's object, are that trigger's content.
_THING_HEADS = frozenset(
    {"agreement", "agreements", "deal", "deals", "law", "laws", "rule", "rules", "plan",
     "decision", "measure", "measures", "statute", "declaration", "document", "documents"}
)  # fmt: skip
_CONTENT_EVENTS = frozenset(
    {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "MOBILIZE", "AID", "REQUEST"}
)
# Prepositions that make a noun a verb's content ("asked for a meeting"), unlike those
# that set the scene ("In a phone call, X urged Y").
_CONTENT_PREPS = frozenset({"for", "to", "on", "about", "of", "from"})
_CONCESSION_EVENTS = frozenset({"CONCEDE"})


@dataclass(slots=True)
class Selection:
    """The matches that report events, and those whose event is denied."""

    kept: list[TriggerMatch] = field(default_factory=list)
    negated: set[int] = field(default_factory=set)  # token indices of denied events


def _nested(inner: TriggerMatch, outer: TriggerMatch) -> bool:
    """Whether ``inner`` sits in the complement of ``outer`` (not beside it: "agreed ...
    but did not sign", "called off a visit after they closed their airspace")."""
    path = path_to(inner.token, outer.token)
    if not path or not _is_complement(path[-1]):
        return False
    return all(t.dep_ in _FRAME_PATH_DEPS for t in path)


def _is_complement(token: Token) -> bool:
    """Whether a dependent of a frame verb is its content ("to hold talks", "of attacking",
    "a visit") rather than the scene ("In a phone call", "after they closed ...")."""
    if token.dep_ in ("xcomp", "ccomp", "dobj", "acl", "pcomp"):
        return True
    if token.dep_ == "prep":
        return token.lower_ in _CONTENT_PREPS | {"against", "with", "over"}
    if token.dep_ == "advcl":  # "signed a contract to buy drones", not "after they closed"
        return not any(c.dep_ == "mark" for c in token.children) and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children
        )
    return False


def _in_condition_or_aim(token: Token) -> bool:
    """A trigger in an "if"/"until" clause or in the aim of an "attempt"/"effort": no event
    of its own ("until Pristina and Belgrade reached an agreement", "an attempt to expel")."""
    current = token
    for _ in range(6):
        if current.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in _CONDITION_MARKS for c in current.children
        ):
            return True
        if current.dep_ in ("acl", "xcomp") and current.head.lemma_.lower() in _AIM_NOUNS:
            return True
        if current.head.i == current.i or current.dep_ not in ("xcomp", "conj", "ccomp"):
            return False
        current = current.head
    return False


def _auxiliaries(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in ("aux", "auxpass")]


def is_generic_present(token: Token, dated: bool) -> bool:
    """A verb in the simple present ("opposes", "does not recognise") with no date."""
    if dated:
        return False
    auxiliaries = _auxiliaries(token)
    if token.tag_ in _PRESENT_TAGS and not auxiliaries:
        return True
    return token.tag_ == "VB" and any(
        a.lemma_ == "do" and a.tag_ in _PRESENT_TAGS for a in auxiliaries
    )


def _in_present_clause(token: Token) -> bool:
    """Whether the clause a participle adjunct hangs on is in the present tense."""
    head = clause_head(token.head) if token.head.i != token.i else token
    tags = {head.tag_, *(a.tag_ for a in _auxiliaries(head))}
    return bool(tags & _PRESENT_TAGS) and not any(
        a.lemma_ in ("have", "will") for a in _auxiliaries(head)
    )


def is_backgrounded(match: TriggerMatch) -> bool:
    """A participle that describes rather than reports (see the module docstring)."""
    token = match.token
    if match.rule.pos != "VERB" or token.tag_ not in ("VBG", "VBN"):
        return False
    if _auxiliaries(token):
        return False
    if token.dep_ == "amod":
        return True
    if (token.dep_ == "acl" and token.tag_ != "VBG") or (
        token.dep_ == "relcl" and token.tag_ == "VBN"
    ):
        # "officers detained near the boundary" (the parser may tag it VBD); a gerund
        # ("soldiers training alongside the Bosnian forces") reports an act.
        return not any(c.dep_ in ("agent", "nsubj", "nsubjpass") for c in token.children)
    if token.dep_ == "acl" and token.head.lower_ in _THING_HEADS:
        return True  # "agreements allowing their citizens to travel": what they provide
    if token.dep_ == "pcomp" and token.head.lower_ in _REASON_PREPS:
        return True
    if token.dep_ in ("advcl", "pcomp") and token.tag_ == "VBG":
        return _in_present_clause(token)
    return False


def _content_of_another(match: TriggerMatch, others: list[TriggerMatch]) -> bool:
    token = match.token
    if match.rule.pos != "NOUN" or match.rule.coding.event not in _CONTENT_EVENTS:
        return False
    heads = {token.head.i} if token.dep_ in ("dobj", "nsubjpass", "attr") else set()
    if token.dep_ == "pobj" and token.head.lower_ in _CONTENT_PREPS:
        owner = token.head.head
        heads.add(owner.i)
        if owner.pos_ in ("NUM", "PRON") and owner.dep_ in ("dobj", "nsubjpass"):
            heads.add(owner.head.i)  # "meeting one of the main demands"
    return any(o.token.i in heads and o is not match and o.rule.pos == "VERB" for o in others)


def select_matches(matches: list[TriggerMatch], dated: set[int]) -> Selection:
    """Filter a sentence's matches; ``dated`` holds clause heads that have a date."""
    selection = Selection()
    dropped: set[int] = set()
    for outer in matches:
        if not (outer.rule.frame or outer.rule.negates):
            continue
        nested = [m for m in matches if m is not outer and _nested(m, outer)]
        if outer.rule.negates:
            dropped.add(outer.token.i)
            selection.negated |= {m.token.i for m in nested}
            continue
        concessions = [m for m in nested if m.rule.coding.event in _CONCESSION_EVENTS]
        if outer.rule.coding.event == "AGREE" and concessions:
            dropped.add(outer.token.i)  # "agreed to delay the rules": the concession
            continue
        for inner in nested:
            if inner.token.i not in selection.negated and (
                inner.rule.coding.event != outer.rule.coding.event
            ):
                dropped.add(inner.token.i)
    for match in matches:
        token = match.token
        if token.i in dropped or is_backgrounded(match) or _in_condition_or_aim(token):
            continue
        if match.rule.pos == "VERB" and is_generic_present(token, clause_head(token).i in dated):
            continue
        if _content_of_another(match, matches):
            continue
        if match.rule.pos == "NOUN" and any(
            c.dep_ == "det" and c.lower_ in ("any", "every") for c in token.children
        ):
            continue
        selection.kept.append(match)
    return selection
