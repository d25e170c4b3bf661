"""Whether an event happened: factual, future, hypothetical or negated.

PLOVER's special contexts (historical aside) as one field. Read from the trigger and the
verbs above it in its clause (through "plans to", "is set to", "failed to", conjuncts):

- negated: a negation on the trigger or its clause ("did not meet", "no talks", "never"),
  or the event is the complement of "fail", "refuse" and the like;
- hypothetical: a modal of possibility or obligation ("must", "should", "could", "may",
  "would" unless it reports a past statement), a condition ("if", "unless"), a need
  ("needs to", "has to"), or an imperative in a list item (a recommendation);
- future: "will", "shall", "is to", "plans to", "is set to", "is expected to", an
  "upcoming" or "planned" event, a date after publication or named as ahead
  ("next month", "tomorrow");
- factual: everything else.

Negation wins over the others, then hypothetical, then future.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Token

from pactwatch.nlp.components.sentence_bounds import sentence_at
from pactwatch.nlp.components.sentence_shape import Shape, is_imperative
from pactwatch.nlp.records import DateMention, Modality

_NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
_NEGATING_FRAMES = frozenset(
    {"fail", "refuse", "decline", "cancel", "postpone", "avoid", "stop", "abandon", "deny"}
)
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_FUTURE_OR_CONDITIONAL_AUX = _FUTURE_AUX | {"would", "'d"}
_HYPOTHETICAL_AUX = frozenset(
    {"must", "should", "could", "might", "may", "can", "ought", "would", "'d"}
)
# Frames that tell the future only with a "to" complement ("is going to", "is set to").
_FRAMES_WITH_TO = frozenset({"go", "set"})
_FUTURE_FRAMES = frozenset(
    {
        "plan",
        "intend",
        "expect",
        "schedule",
        "set",
        "aim",
        "go",
        "prepare",
        "hope",
        "want",
        "seek",
        "agree",
        "pledge",
        "promise",
        "commit",
        "vow",
        "decide",
        "due",
        "slate",
        "offer",
        "propose",
        "undertake",
        "announce",
        "threaten",
        "consider",
    }
)
_HYPOTHETICAL_FRAMES = frozenset(
    {
        "need",
        "have",
        "recommend",
        "suggest",
        "urge",
        "call",
        "require",
        "ensure",
        "essential",
        "necessary",
        "important",
        "vital",
        "crucial",
        "should",
    }
)
_FUTURE_MODIFIERS = frozenset(
    {
        "upcoming",
        "planned",
        "forthcoming",
        "future",
        "next",
        "scheduled",
        "proposed",
        "expected",
        "coming",
        "possible",
        "potential",
    }
)
# Verbs that report what their complement tells (also read by date_binding, event_arguments).
SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "state",
        "add",
        "confirm",
        "report",
        "note",
        "insist",
        "write",
        "claim",
        "explain",
        "declare",
    }
)
_CONDITIONS = frozenset({"if", "unless", "whether", "should", "until"})
_AHEAD_WORDS = ("next", "tomorrow", "coming", "later this", "upcoming")
_CHAIN_DEPS = frozenset({"xcomp", "conj", "advcl", "acomp"})


def _chain(trigger: Token, governor: Token | None) -> list[Token]:
    """The trigger, its governor and the verbs above them up to the clause's top."""
    chain = [trigger] + ([governor] if governor is not None else [])
    current = chain[-1]
    for _ in range(6):
        if current.dep_ not in _CHAIN_DEPS or current.head.i == current.i:
            break
        if current.dep_ == "conj" and current.tag_ in ("VBD", "VBZ", "VBP"):
            break  # a finite conjunct has its own tense: "could bring ..., urged ..."
        if current.dep_ == "advcl" and any(c.dep_ == "mark" for c in current.children):
            break  # "..., if X": the condition is this clause's, checked below
        current = current.head
        chain.append(current)
    return chain


def _reports_past_statement(token: Token) -> bool:
    """ "He said they would meet": "would" is the future seen from a past statement."""
    head = token
    for _ in range(4):
        if head.dep_ == "ccomp" and head.head.lemma_.lower() in SPEECH_VERBS:
            return head.head.tag_ in ("VBD", "VBN")
        if head.head.i == head.i:
            return False
        head = head.head
    return False


def _is_negated(chain: list[Token]) -> bool:
    # A negation does not carry across a conjunction: "would not recognise the verdict and
    # threatened to bar the court" threatens all the same.
    reach = []
    for token in chain:
        reach.append(token)
        if token.dep_ == "conj":
            break
    for token in reach:
        for child in token.children:
            if child.dep_ == "neg" or (
                child.dep_ in ("det", "advmod") and child.lower_ in _NEGATORS
            ):
                return True
        if token.i != chain[0].i and token.lemma_.lower() in _NEGATING_FRAMES:
            return True
    return False


def _is_hypothetical(chain: list[Token], shape: Shape) -> bool:
    for token in chain:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in _HYPOTHETICAL_AUX:
                if child.lower_ in ("would", "'d") and _reports_past_statement(token):
                    continue
                return True
            if child.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in child.children
            ):
                continue  # a condition attached below us does not make us conditional
        if token.i != chain[0].i and token.lemma_.lower() in _HYPOTHETICAL_FRAMES:
            return True
        if token.dep_ == "advcl" and any(
            m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in token.children
        ):
            return True
    top = chain[-1]
    if shape == "bullet" and (is_imperative(top) or is_imperative(chain[0])):
        return True
    return top.dep_ == "ROOT" and is_imperative(top) and top.i == sentence_at(top.doc, top.i)[0]


def _frames_future(token: Token) -> bool:
    """ "plans to", "is due to", "is going to", "is set to"; not "went on strike" or "set up
    roadblocks", where "go" and "set" carry no "to" complement."""
    lemma = token.lemma_.lower()
    if lemma not in _FUTURE_FRAMES:
        return False
    return lemma not in _FRAMES_WITH_TO or any(c.dep_ == "xcomp" for c in token.children)


def _is_future(chain: list[Token], event_date: DateMention | None, published: date | None) -> bool:
    trigger = chain[0]
    for token in chain:
        for child in token.children:
            if child.dep_ == "aux" and child.lower_ in _FUTURE_AUX:
                return True
            if child.dep_ == "aux" and child.lower_ in ("would", "'d"):
                return True  # reached only when it reports a past statement
        if token.i != chain[0].i and _frames_future(token):
            return True
        if (
            token.lemma_ == "be"
            and any(c.dep_ == "xcomp" for c in token.children)
            and (token.i != chain[0].i)
        ):
            return True  # "is to visit"
        if token.lemma_ == "be" and any(
            c.dep_ == "acomp" and c.lower_ == "due" for c in token.children
        ):
            return True  # "Cameron is due in Tirana on Wednesday for talks"
    if trigger.pos_ in ("NOUN", "PROPN") and any(
        c.lower_ in _FUTURE_MODIFIERS for c in trigger.children if c.dep_ in ("amod", "compound")
    ):
        return True
    if event_date is not None:
        text = event_date.text.lower()
        if any(word in text for word in _AHEAD_WORDS):
            return True
        if event_date.date and published and event_date.precision == "day":
            return event_date.date > published.isoformat()
    return False


def reporting_verb(token: Token) -> Token | None:
    """The speech verb whose complement holds ``token`` ("Romania said it would send")."""
    head = token
    for _ in range(6):
        if head.dep_ == "ccomp" and head.head.lemma_.lower() in SPEECH_VERBS:
            return head.head
        if head.head.i == head.i or head.dep_ not in ("xcomp", "conj", "ccomp", "aux", "acomp"):
            return None
        head = head.head
    return None


def _has_auxiliary(trigger: Token, governor: Token | None, words: frozenset[str]) -> bool:
    """Whether one of ``words`` is an auxiliary on the trigger's clause."""
    return any(
        child.dep_ == "aux" and child.lower_ in words
        for token in _chain(trigger, governor)
        for child in token.children
    )


_CAN = frozenset({"can", "ca", "cannot"})  # "can't" splits into "ca" and "n't"


def has_cannot(trigger: Token, governor: Token | None = None) -> bool:
    """ "cannot", "can't" on the trigger's clause ("Serbia cannot accept ...")."""
    return _has_auxiliary(trigger, governor, _CAN)


def has_future_auxiliary(trigger: Token, governor: Token | None = None) -> bool:
    """Whether "will", "shall" or "would" sits on the trigger's clause ("would not sign")."""
    return _has_auxiliary(trigger, governor, _FUTURE_OR_CONDITIONAL_AUX)


def modality_of(
    trigger: Token,
    governor: Token | None = None,
    *,
    shape: Shape = "prose",
    event_date: DateMention | None = None,
    published: date | None = None,
) -> Modality:
    """The modality of the event whose trigger (and governing verb) are given."""
    chain = _chain(trigger, governor)
    if _is_negated(chain):
        return "negated"
    if _is_hypothetical(chain, shape):
        return "hypothetical"
    if _is_future(chain, event_date, published):
        return "future"
    return "factual"
