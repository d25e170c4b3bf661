"""The classifier's second opinion as a trigger: which word of a sentence tells the event.

When the trigger rules code nothing in a sentence and the event-type classifier
(``event_classifier``) is confident, ``pw_events`` reads the sentence as the classifier's
event type. It needs a trigger word to read actors, recipients, date, place and modality
off the parse the usual way; this module picks it:

1. a word the lexicon lists for that event type (any rule whose coding, or one of whose
   alternative codings, is that type), the one nearest the sentence root, verbs first;
2. else the sentence's main predicate: the root verb, or the complement of a reporting
   verb at the root ("Serbia said it had scaled back ..." -> "scaled").

The rule the match carries is the lexicon's (its conditions are not re-checked: the
classifier vouches for the type) with the alternatives that would turn it into another
type removed, or a plain rule with the type's default CAMEO code.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from pactwatch.nlp.components.event_lexicon import Coding, EventLexicon, TriggerRule
from pactwatch.nlp.components.event_triggers import TriggerMatch, governor_of, object_words

# The CAMEO root code of each PLOVER type, for a trigger no lexicon rule codes. RETREAT has
# no root of its own in CAMEO (08x is "yield"): 087, de-escalate militarily.
DEFAULT_CAMEO = {
    "AGREE": "030",
    "CONSULT": "040",
    "SUPPORT": "050",
    "CONCEDE": "080",
    "COOPERATE": "060",
    "AID": "070",
    "RETREAT": "087",
    "REQUEST": "100",
    "ACCUSE": "110",
    "REJECT": "120",
    "THREATEN": "130",
    "PROTEST": "140",
    "SANCTION": "160",
    "MOBILIZE": "150",
    "COERCE": "170",
    "ASSAULT": "180",
}
_REPORTING = frozenset(
    {"say", "tell", "announce", "report", "add", "confirm", "state", "claim", "write", "note",
     "explain", "insist", "argue", "believe", "think", "according"}
)  # fmt: skip


class FallbackTriggers:
    """Lexicon words by event type, and the trigger for a type the classifier proposes."""

    def __init__(self, lexicon: EventLexicon) -> None:
        self.lexicon = lexicon
        self._rules: dict[tuple[str, str, str], TriggerRule] = {}
        for rule in lexicon.rules:
            codings = [rule.coding, *(a.coding for a in rule.alternatives)]
            for coding in codings:
                for lemma in rule.lemmas:
                    key = (coding.event, rule.pos, lemma)
                    if key not in self._rules:
                        self._rules[key] = _as_type(rule, coding)

    def match(self, sent: Span, event: str) -> TriggerMatch | None:
        """A trigger for ``event`` in ``sent``, with the rule it is read with."""
        best: tuple[int, int, Token, TriggerRule] | None = None
        for token in sent:
            pos = _pos(token)
            if pos is None:
                continue
            rule = self._rules.get((event, pos, token.lemma_.lower()))
            if rule is None:
                continue
            rank = (0 if pos == "VERB" else 1, _depth(token))
            if best is None or rank < best[:2]:
                best = (*rank, token, rule)
        if best is not None:
            token, rule = best[2], best[3]
        else:
            predicate = main_predicate(sent)
            pos = _pos(predicate) if predicate is not None else None
            if predicate is None or pos is None:
                return None
            token, rule = predicate, self._plain_rule(event, pos, predicate)
        governor = governor_of(token, self.lexicon) if rule.pos == "NOUN" else None
        return TriggerMatch(token=token, rule=rule, governor=governor, objects=object_words(token))

    def _plain_rule(self, event: str, pos: str, token: Token) -> TriggerRule:
        return TriggerRule(
            id=f"classifier-{event.lower()}",
            pos=pos,
            lemmas=frozenset({token.lemma_.lower()}),
            coding=Coding(event=event, mode=None, cameo=DEFAULT_CAMEO[event], contexts=()),
            recipients=self.lexicon.events[event].recipients,
            standalone=pos == "NOUN",
        )


def _as_type(rule: TriggerRule, coding: Coding) -> TriggerRule:
    """The rule coding ``coding``, keeping only alternatives of the same event type."""
    return replace(
        rule,
        id=f"classifier-{rule.id}",
        coding=coding,
        alternatives=tuple(a for a in rule.alternatives if a.coding.event == coding.event),
    )


def _pos(token: Token) -> str | None:
    if token.pos_ == "VERB" and token.dep_ not in ("amod", "compound"):
        return "VERB"
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
        return "NOUN"
    return None


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 40:
        token = token.head
        depth += 1
    return depth


def main_predicate(sent: Span) -> Token | None:
    """The sentence's main verb: below a reporting verb at the root ("Serbia said it had
    scaled back ..."), or the verb an adjective or auxiliary root carries ("is due to
    brief", "was ready to hold")."""
    root = sent.root
    if root.lemma_.lower() in _REPORTING:
        for child in root.children:
            if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
                return _carried(child)
        for child in root.children:  # "..., the ministry said": the quoted clause
            if child.dep_ in ("ccomp", "parataxis", "advcl") and child.i < root.i:
                return _carried(child)
    return _carried(root)


def _carried(token: Token) -> Token:
    """The verb a copula, auxiliary or adjective carries, else the token itself."""
    if token.pos_ == "VERB" and token.lemma_.lower() != "be":
        return token
    for child in token.children:
        if child.dep_ in ("xcomp", "acomp", "attr") and child.pos_ == "VERB":
            return child
        if child.dep_ in ("acomp", "attr") and child.pos_ == "ADJ":
            for grand in child.children:
                if grand.dep_ == "xcomp" and grand.pos_ == "VERB":
                    return grand
    return token
