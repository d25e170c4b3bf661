"""Trigger words and the tokens that fill an event's slots, read off the dependency parse.

This module knows syntax only (which token is a subject, an object, a governing verb);
``event_arguments`` turns the tokens it returns into actors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from pactwatch.nlp.components.event_lexicon import EventLexicon, TriggerRule
from pactwatch.nlp.components.event_subjects import (
    acl_agent,
    attributed_doers,
    is_passive,
    prep_objects,
    subject_tokens,
)
from pactwatch.nlp.components.token_table import per_token, token_table

_OBJECT_DEPS = frozenset(
    {
        "dobj",
        "nsubjpass",
        "attr",
        "oprd",
        "dative",
        "prt",
        "advmod",
        "acomp",
        "npadvmod",
        "xcomp",
        "ccomp",
    }
)
_WORD_MODIFIERS = frozenset({"compound", "amod", "nmod"})
_CLAUSE_DEPS = frozenset(
    {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "pcomp", "parataxis"}
)
_CLAUSE_OR_CONJ_DEPS = _CLAUSE_DEPS | {"conj"}
_GOVERNING_PREPS = frozenset({"in", "into", "on", "for"})
# Verbs that tell an event noun happened when it is their subject ("the withdrawal began").
# Nouns whose "of"/"on"/"about" phrase is a topic, not an occurrence ("a history of protests").
_TOPIC_HEADS = frozenset(
    {
        "history",
        "book",
        "film",
        "documentary",
        "study",
        "report",
        "exhibition",
        "memory",
        "memories",
        "legacy",
        "anniversary",
        "commemoration",
        "museum",
        "archive",
        "account",
        "novel",
        "article",
        "series",
        "lecture",
        "conference",
        "debate",
        "research",
    }
)
# Measures whose "on"/"against" phrase says what they hit ("a ban on goods from Serbia").
_MEASURE_NOUNS = frozenset(
    {"ban", "bans", "embargo", "sanction", "sanctions", "tariff", "tariffs", "barrier",
     "barriers", "blockade", "veto", "duty", "duties"}
)  # fmt: skip
# First words of two-word prepositions whose object hangs on the second ("out of",
# "ahead of", "because of").
_COPULAS = frozenset({"be", "remain", "become", "feel", "seem", "appear"})
_ASPECT_VERBS = frozenset({"begin", "start", "continue", "resume", "end", "conclude", "finish"})
_HOSTING_VERBS = frozenset({"chair", "host", "organise", "organize", "mediate", "facilitate"})
_TAKING_PART = frozenset(
    {"hold", "attend", "conduct", "stage", "carry", "launch", "lead", "join", "perpetrate",
     "commit", "claim", "make", "sign", "announce"}
)  # fmt: skip
# Verbs whose complement is their subject's act even with an object ("promised Kosovo to").


@dataclass(slots=True)
class TriggerMatch:
    """A word of a sentence that matched a trigger rule."""

    token: Token
    rule: TriggerRule
    governor: Token | None = None  # nouns: the light verb carrying them ("held talks")
    objects: frozenset[str] = field(default_factory=frozenset)


@dataclass(slots=True)
class SlotTokens:
    """Argument tokens of one trigger, before they become actors."""

    actors: list[Token] = field(default_factory=list)
    recipients: list[Token] = field(default_factory=list)
    symmetric: list[Token] = field(default_factory=list)  # "between X and Y": all actors
    # "welcomed the agreement between X and Y": the parties of what the verb acts on
    object_parties: list[Token] = field(default_factory=list)
    modifiers: list[Token] = field(default_factory=list)  # "US-Kosovo talks", "Kurti's visit"
    governor_subjects: list[Token] = field(default_factory=list)  # nouns: "[X] held talks"
    subject_found: bool = False


def _add_words(token: Token, words: set[str], depth: int = 0) -> None:
    """A word with its modifiers, conjuncts and "of" phrase ("the start of fines")."""
    words.add(token.lemma_.lower())
    words.add(token.lower_)
    for child in token.children:
        if child.dep_ in _WORD_MODIFIERS:
            words.add(child.lemma_.lower())
            words.add(child.lower_)
        elif child.dep_ == "prep" and child.lower_ == "of" and depth < 2:
            for obj in prep_objects(child):
                _add_words(obj, words, depth + 1)
        elif child.dep_ == "prep" and child.lower_ == "for" and token.pos_ == "ADJ" and depth < 2:
            for obj in prep_objects(child):  # "responsible for security": what it is for
                _add_words(obj, words, depth + 1)
        elif child.dep_ == "appos" and depth < 1:
            _add_words(child, words, depth + 1)  # "closed Merdare, its main border crossing"
        elif (
            child.dep_ == "prep"
            and child.lower_ in ("on", "against")
            and token.lemma_.lower() in _MEASURE_NOUNS
            and depth < 2
        ):
            for obj in prep_objects(child):  # "its ban on Serbian goods"
                _add_words(obj, words, depth + 1)
    for conj in token.conjuncts:
        words.add(conj.lemma_.lower())
        words.add(conj.lower_)


# Object and subject words depend on the parse alone, and one trigger word asks for them
# several times (each rule tried, then its reading): kept per token while its Doc lives.
@per_token
def object_words(token: Token) -> frozenset[str]:
    """Lemmas (and forms) of the trigger's objects, their modifiers and conjuncts.

    Objects are the direct object, passive subject, attribute, particle, clausal
    complements (and their own objects), and the objects of the trigger's prepositions.
    """
    words: set[str] = set()
    if token.dep_ in ("relcl", "acl") and token.head.pos_ in ("NOUN", "PROPN"):
        _add_words(token.head, words)  # "the tanks it has donated", "a declaration signed"
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:  # "intelligence sharing", "arms sale"
            if child.dep_ in _WORD_MODIFIERS:
                _add_words(child, words)
    passive = is_passive(token)
    for child in token.children:
        if child.dep_ == "nsubj" and passive:  # "a declaration signed by X"
            _add_words(child, words)
        if child.dep_ == "advcl" and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in child.children
        ):
            # the purpose: "sent a platoon of soldiers to join EUFOR"
            for grand in child.children:
                if grand.dep_ in ("dobj", "prt"):
                    _add_words(grand, words)
        if child.dep_ in _OBJECT_DEPS:
            _add_words(child, words)
            if child.dep_ in ("xcomp", "ccomp"):
                for grand in child.children:
                    if grand.dep_ == "mark" and grand.lower_ == "that":
                        words.add("that")  # "denied that officers had used force"
                    if grand.dep_ in ("dobj", "prt", "nsubjpass", "attr"):
                        _add_words(grand, words)
                    elif grand.dep_ == "prep":
                        for obj in prep_objects(grand):
                            _add_words(obj, words)
        elif child.dep_ in ("prep", "agent", "dative"):
            for obj in prep_objects(child):
                _add_words(obj, words)
                if obj.dep_ == "pcomp":  # "called for withdrawing ..."
                    for grand in obj.children:
                        if grand.dep_ == "dobj":
                            _add_words(grand, words)
    return frozenset(words)


@per_token
def subject_words(token: Token) -> frozenset[str]:
    """Lemmas (and forms) of the trigger's subject, with modifiers and "of" phrase."""
    words: set[str] = set()
    for subject in subject_tokens(token) or [c for c in token.children if c.dep_ == "nsubjpass"]:
        _add_words(subject, words)
    return frozenset(words)


def governor_of(
    noun: Token,
    lexicon: EventLexicon,
    via_in: bool = False,
    via_preps: frozenset[str] = frozenset(),
) -> Token | None:
    """The verb that carries a nominal trigger: "held [talks]", "took part in [an exercise]".

    Transparent nouns pass through ("a new round of [talks]", "the highest state of
    [readiness]"); a conjunct takes its first conjunct's governor. With ``via_in``, any
    verb governs a noun it takes in an "in" phrase ("left the institutions in protest").
    """
    current = noun
    for _ in range(6):
        if current.dep_ in ("conj", "appos"):
            # "took part in Adriatic Strike, the annual air exercise": the apposition
            # names the same thing as its head, governed by the same verb
            current = current.head
            continue
        if current.dep_ in ("dobj", "attr", "oprd", "nsubjpass"):
            head = current.head
            return head if head.pos_ in ("VERB", "AUX") else None
        if current.dep_ == "pobj":
            prep = current.head
            head = prep.head
            if head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in lexicon.transparent_nouns:
                current = head
                continue
            if head.pos_ in ("VERB", "AUX") and prep.lower_ in _GOVERNING_PREPS:
                return head
            if prep.lower_ == "under" and head.lemma_.lower() in ("place", "put", "come"):
                # "was placed under U.S. sanctions", "came under criticism" (not "under
                # the deal")
                return head
            if via_in and head.pos_ in ("VERB", "AUX") and prep.lower_ == "in":
                return head
            if head.pos_ in ("VERB", "AUX") and prep.lower_ in via_preps:
                return head
            return None
        if (
            current.dep_ == "nsubj"
            and current.head.lemma_ in ("take", "be")
            and any(c.lower_ == "place" for c in current.head.children)
        ):
            return current.head  # "talks took place"
        if current.dep_ == "nsubj" and current.head.lemma_.lower() in _ASPECT_VERBS:
            return current.head  # "the withdrawal began", "talks resumed"
        if current.dep_ == "nsubj" and _takes_effect(current.head):
            return current.head  # "U.S. sanctions on NIS took effect"
        return None
    return None


def _tells_consequence(verb: Token) -> bool:
    """Whether what the verb says is a penalty on a condition: "warned that more measures
    would follow unless Pristina de-escalated", "warned that further moves could cost
    Kosovo the support of the United States"."""
    for said in (c for c in verb.children if c.dep_ == "ccomp"):
        if said.lemma_.lower() in _PENALTY_VERBS:
            return True
        if any(
            clause.dep_ == "advcl" and any(m.lower_ in ("if", "unless") for m in clause.children)
            for clause in said.children
        ) and any(
            c.dep_ == "aux" and c.lower_ in _FUTURE_AUXILIARIES | {"could"} for c in said.children
        ):
            return True
    return False


# What a warning says will happen to someone: "cost Kosovo", "face consequences".
_PENALTY_VERBS = frozenset(
    {"cost", "face", "suffer", "lose", "pay", "jeopardise", "jeopardize", "risk"}
)  # fmt: skip


def _takes_effect(verb: Token) -> bool:
    """ "took effect", "came into force", "entered into force"."""
    lemma = verb.lemma_.lower()
    if lemma == "take":
        return any(c.dep_ == "dobj" and c.lower_ == "effect" for c in verb.children)
    return lemma in ("come", "enter") and any(
        p.lower_ == "into" and any(o.lower_ == "force" for o in p.children) for p in verb.children
    )


def _modifier_ok(token: Token, rule: TriggerRule) -> bool:
    if rule.modifiers_not and any(  # asked of every rule a token could match: no list built
        c.dep_ in ("amod", "compound", "nmod") and c.lower_ in rule.modifiers_not
        for c in token.children
    ):
        return False
    if not rule.requires_modifier:
        return True
    return any(
        c.dep_ in ("amod", "compound", "nmod", "npadvmod")
        and (c.lemma_.lower() in rule.requires_modifier or c.lower_ in rule.requires_modifier)
        for c in token.children
    )


def _inside_a_name(token: Token) -> bool:
    """A capitalised noun after a capitalised modifier, mid-sentence: the last word of a
    name ("Decisive Strike", "Swift Response"), not the word it happens to be."""
    if token.is_sent_start or not token.text[:1].isupper() or token.is_upper:
        return False
    return any(
        c.dep_ in ("compound", "amod") and c.i == token.i - 1 and c.text[:1].isupper()
        for c in token.children
    )


ActorTest = Callable[[Token], bool]


def _direct_objects(token: Token) -> list[Token]:
    """The direct object, or the subject of a bare complement ("help X investigate")."""
    objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "dative")]
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp"):
            objects += [g for g in child.children if g.dep_ == "nsubj"]
    return objects


def _is_topic(noun: Token) -> bool:
    """The noun is what a record or account is about ("a history of protests", "a book on
    the bombing"), not an event that happened: a standalone noun does not count there."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("of", "on", "about"):
        return head.head.lemma_.lower() in _TOPIC_HEADS
    return False


_FUTURE_AUXILIARIES = frozenset({"will", "would", "shall", "'ll", "’ll"})


def _attached_by(noun: Token, verb: Token, preps: frozenset[str]) -> bool:
    """Whether ``noun`` hangs on ``verb`` through one of ``preps``, directly or through a
    transparent noun ("as [part] of the exercise")."""
    current = noun
    for _ in range(4):
        if current.dep_ != "pobj":
            return False
        prep = current.head
        if prep.head.i == verb.i:
            return prep.lower_ in preps
        current = prep.head
    return False


def that_clauses(noun: Token) -> list[Token]:
    """The "that" clauses a noun carries ("its demand that Serbia hand him over")."""
    return [
        clause
        for clause in noun.children
        if clause.dep_ in ("acl", "ccomp")
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    ]


def match_rule(
    token: Token, rule: TriggerRule, lexicon: EventLexicon, is_actor: ActorTest | None = None
) -> TriggerMatch | None:
    """The match of ``rule`` on ``token``, or None when a condition fails.

    ``is_actor`` tells whether a token names an actor (for ``object_is_actor`` rules);
    without it such rules never match.
    """
    if rule.passive and (not is_passive(token) or token.dep_ == "acomp"):
        return None  # "is concerned by X" with a copula is the copula's rule
    if rule.content_clause and not that_clauses(token):
        return None  # "on condition that Skopje recognise ...", not "the roads' condition"
    if rule.future and not any(
        c.dep_ == "aux" and c.lower_ in _FUTURE_AUXILIARIES for c in token.children
    ):
        return None  # "Moscow would respond" is a threat; "police responded" is not
    if rule.consequence and not _tells_consequence(token):
        return None  # "warned that the situation could escalate" is no threat
    words = object_words(token)
    if rule.object_is_actor and not (
        is_actor is not None and any(is_actor(o) for o in _direct_objects(token))
    ):
        return None
    if rule.objects and not (rule.objects & words):
        return None
    if rule.objects_not and (rule.objects_not & words):
        return None
    if rule.subjects and not (rule.subjects & subject_words(token)):
        return None
    if rule.subjects_not and (rule.subjects_not & subject_words(token)):
        return None
    if rule.preps and (
        not any(
            c.dep_ in ("prep", "prt", "agent", "dative", "advmod") and c.lower_ in rule.preps
            for c in token.children
        )
        # "called the injuries to the peacekeepers unacceptable": a judgement whose
        # object's preposition the parser hung on the verb, not "called on" or "to"
        or any(c.dep_ == "oprd" for c in token.children)
    ):
        return None
    if not _modifier_ok(token, rule):
        return None
    if rule.pos == "NOUN" and _inside_a_name(token):
        return None  # "Decisive Strike", an exercise: no strike
    governor: Token | None = None
    if rule.pos == "NOUN":
        found = governor_of(token, lexicon, rule.via_in, rule.via_preps)
        if found is None and rule.governors:
            found = acl_agent(token, rule.governors)
        in_phrase = found is not None and (
            (rule.via_in and token.head.lower_ == "in")
            or (bool(rule.via_preps) and _attached_by(token, found, rule.via_preps))
        )
        if found is not None and (
            in_phrase or (rule.governors and found.lemma_.lower() in rule.governors)
        ):
            governor = found
        elif not rule.standalone or _is_topic(token):
            return None
    return TriggerMatch(token=token, rule=rule, governor=governor, objects=words)


def find_triggers(
    sent: Span, lexicon: EventLexicon, is_actor: ActorTest | None = None
) -> list[TriggerMatch]:
    """Every trigger of the sentence: for each word, the first rule that matches it."""
    matches: list[TriggerMatch] = []
    doc = sent.doc
    lemmas = token_table(doc).lemma_lower
    for i in range(sent.start, sent.end):
        if lemmas[i] not in lexicon.trigger_lemmas:
            continue  # no rule for this word, as for most: no Token object needed
        token = doc[i]
        if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"):
            continue  # "March 20" is not a march
        if token.pos_ == "VERB" and (
            token.dep_ not in ("amod", "compound")
            # a misparse: "USAID had funded [amod] cyber-security training"
            or any(c.dep_ in ("nsubj", "aux") for c in token.children)
        ):
            pos = "VERB"
        elif is_copula_with_adjective(token) or is_copula_behind(token):
            pos = "VERB"  # "Washington was concerned about the rule", "Iran was behind it"
        elif token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound":
            pos = "NOUN"
        else:
            continue
        for rule in lexicon.rules_for(lemmas[i], pos):
            found = match_rule(token, rule, lexicon, is_actor)
            if found is not None:
                matches.append(found)
                break
    return matches


def _is_copula(token: Token) -> bool:
    """A copula as the clause's own verb, not as an auxiliary ("was", not "was sent")."""
    return (
        token.pos_ == "AUX"
        and token.lemma_.lower() in _COPULAS
        and token.dep_ not in ("aux", "auxpass")
    )


def is_copula_with_adjective(token: Token) -> bool:
    """A copula with an adjective complement ("were deeply concerned"): a verbal trigger
    for rules that name the copula ("be") and the adjective as its object."""
    return _is_copula(token) and any(c.dep_ == "acomp" for c in token.children)


def is_copula_behind(token: Token) -> bool:
    """A copula with a "behind" phrase ("Russian services were behind the attacks"): a
    verbal trigger for rules that name the copula and "behind"."""
    return (
        _is_copula(token)
        and token.lemma_.lower() == "be"
        and any(c.dep_ == "prep" and c.lower_ == "behind" for c in token.children)
    )


def _slot_tokens(owner: Token, slots: tuple[str, ...], passive: bool) -> SlotTokens:
    out = SlotTokens()
    for child in owner.children:
        direct = (child.dep_ == "dobj" and not passive) or child.dep_ == "nsubjpass"
        if (direct and "dobj" in slots) or (
            child.dep_ == "dative" and child.pos_ != "ADP" and "dative" in slots
        ):
            out.recipients.append(child)
        elif child.dep_ in ("prep", "dative") and child.lower_ in ("between", "among", "amongst"):
            out.symmetric.extend(prep_objects(child))
        elif child.dep_ in ("prep", "dative") and (
            child.lower_ in slots or (child.dep_ == "dative" and "dative" in slots)
        ):
            out.recipients.extend(prep_objects(child))
    return out


def verb_slots(verb: Token, slots: tuple[str, ...]) -> SlotTokens:
    """Actor and recipient tokens of a verbal trigger."""
    passive = is_passive(verb)
    out = _slot_tokens(verb, slots, passive)
    if "dobj" in slots and not passive and not any(c.dep_ == "dobj" for c in verb.children):
        # "help Montenegro's government investigate": the helped is the complement's subject
        for child in verb.children:
            if child.dep_ in ("ccomp", "xcomp"):
                out.recipients.extend(g for g in child.children if g.dep_ == "nsubj")
    out.actors = subject_tokens(verb)
    out.subject_found = bool(out.actors)
    if "for" in slots and not out.recipients:
        # "missiles for the KSF are expected to arrive": the goods' "for" is the receiver
        for subject in out.actors:
            for child in subject.children:
                if child.dep_ == "prep" and child.lower_ == "for":
                    out.recipients.extend(prep_objects(child))
    for obj in [c for c in verb.children if c.dep_ == "dobj"]:
        # "signed an agreement with the US": the preposition hangs on the object.
        more = _slot_tokens(obj, tuple(s for s in slots if s != "dobj"), False)
        out.recipients.extend(more.recipients)
        out.object_parties.extend(more.symmetric)
    return out


def noun_slots(noun: Token, governor: Token | None, slots: tuple[str, ...]) -> SlotTokens:
    """Actor and recipient tokens of a nominal trigger and the verb carrying it."""
    out = _slot_tokens(noun, tuple(s for s in slots if s not in ("dobj", "dative")), False)
    out.actors.extend(attributed_doers(noun))  # "X were behind the attacks on Y"
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "nmod", "amod"):
            out.modifiers.append(child)
        elif child.dep_ == "prep" and (
            child.lower_ in ("by", "from") or (child.lower_ == "of" and "of" not in slots)
        ):
            out.actors.extend(prep_objects(child))
        elif child.dep_ == "acl":  # "talks held by X", "the meeting attended by X"
            lemma = child.lemma_.lower()
            hosts = lemma in _HOSTING_VERBS  # "a meeting chaired by Borrell"
            takes_part = lemma in _TAKING_PART  # not "a meeting requested by Belgrade"
            for grand in child.children:
                if grand.dep_ == "agent" and (hosts or takes_part):
                    (out.recipients if hosts else out.actors).extend(prep_objects(grand))
    if governor is not None:
        subjects = subject_tokens(governor)
        out.governor_subjects.extend(subjects)
        out.subject_found = bool(subjects)
        # "joined Italian troops for a drill": the object of the governing verb takes part.
        attached_by_prep = noun.dep_ == "pobj"
        governor_slots = tuple(s for s in slots if s != "dobj")
        more = _slot_tokens(governor, governor_slots, False)
        out.recipients.extend(r for r in more.recipients if r.i != noun.i)
        if attached_by_prep and ("dobj" in slots or noun.head.lower_ == "for"):
            out.recipients += [c for c in governor.children if c.dep_ == "dobj"]
        out.symmetric.extend(more.symmetric)
    return out


def clause_head(token: Token) -> Token:
    """The verb heading the clause a token belongs to (the sentence root at most)."""
    current = token
    for _ in range(40):
        if current.pos_ in ("VERB", "AUX") and current.dep_ in _CLAUSE_OR_CONJ_DEPS:
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current


def path_to(token: Token, ancestor: Token) -> list[Token] | None:
    """Tokens from ``token`` up to ``ancestor`` (exclusive), or None if it is not above."""
    path: list[Token] = []
    current = token
    for _ in range(40):
        if current.i == ancestor.i:
            return path
        if current.head.i == current.i:
            return None
        path.append(current)
        current = current.head
    return None
