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
  talks") and nominal events with "any" ("any deployment ... requires"), except nominal
  events naming their own actor that a response is about ("rejected Belgrade's request",
  "condemned Kosovo's closure of the offices", "urged Kosovo to lift its ban on goods");
- demands made by a protest ("rallied ..., demanding elections"): part of the PROTEST;
- bare references: a nominal attack with no actor ("the deadliest attack on police");
- what a law or deal does ("the laws that barred the court"), a relative clause on an
  event noun of the same type ("protests that had blocked roads"), what a suspect is
  suspected of, and standing positions ("has long described the KSF as ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from pactwatch.nlp.components.event_subjects import attributed_doers
from pactwatch.nlp.components.event_triggers import TriggerMatch, clause_head, path_to

# "..., drawing criticism from X", "prompting a protest by Y": reactions to the act.
_REACTION_VERBS = frozenset({"draw", "prompt", "spark", "trigger", "provoke", "earn"})
_FRAME_PATH_DEPS = frozenset(
    {"xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "acl", "advcl", "conj", "oprd", "attr"}
)
# Gerunds under these name a reason or a topic: "sanctioned for threatening the
# stability", "a course on investigating ransomware attacks".
_REASON_PREPS = frozenset({"for", "despite", "without", "instead", "on", "about"})
# Thanks presuppose the act: "thanked Washington for sharing the intelligence".
_THANKING_VERBS = frozenset({"thank", "praise", "commend", "congratulate", "applaud", "credit"})
# What someone is condemned for happened: "condemned the government for forcing access".
_CONDEMNING_VERBS = frozenset({"condemn", "criticise", "criticize", "denounce", "rebuke"})
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_CONDITION_MARKS = frozenset({"if", "unless", "until", "whether"})
# Verbs that perform the act they name when said in the present: a statement or release
# that "condemns the attack" or "calls on Pristina to ..." is the condemnation, the call.
_PERFORMATIVES = frozenset(
    {"condemn", "call", "urge", "welcome", "praise", "thank", "congratulate", "denounce",
     "deplore", "commend", "applaud", "demand", "appeal"}
)  # fmt: skip
# Adverbs that make a present habitual ("the EU routinely condemns such attacks").
_HABITUAL = frozenset(
    {"usually", "often", "always", "routinely", "regularly", "typically", "generally",
     "never", "sometimes", "rarely", "frequently", "traditionally"}
)  # fmt: skip
# A concrete activity told as recurring is an event (guide §2: "Iowa soldiers train with
# KSF engineers every year" is COOPERATE); a recurring stance or statement is not.
_RECURRENCE_ADVERBS = frozenset(
    {"regularly", "routinely", "frequently", "often", "annually", "periodically", "usually"}
)
_RECURRENCE_PERIODS = frozenset({"year", "month", "week", "spring", "summer", "autumn", "winter"})
_RECURRING_MEETINGS = frozenset({"meeting", "exercise", "drill", "session", "rotation"})
_RECURRING_WORDS = frozenset({"regular", "annual", "yearly", "monthly", "weekly", "periodic"})
_CONCRETE_TYPES = frozenset({"COOPERATE", "AID", "CONSULT", "MOBILIZE", "ASSAULT", "COERCE"})
_AIM_NOUNS = frozenset({"attempt", "effort", "bid", "plot", "plan", "campaign", "threat", "way"})
# Nominal events that, as another trigger's object, are that trigger's content.
_THING_HEADS = frozenset(
    {"agreement", "agreements", "deal", "deals", "law", "laws", "rule", "rules", "plan",
     "decision", "measure", "measures", "statute", "declaration", "document", "documents",
     "memorandum", "protocol", "treaty", "accord", "pact", "charter", "resolution",
     "resolutions", "decree", "bill", "amendment", "amendments", "provision", "provisions",
     "regulation", "regulations", "legislation", "compromise", "proposal", "ruling", "veto",
     "vetoes", "refusal", "rejection", "objection", "objections"}
)  # fmt: skip
_RELATIVE_SUBJECTS = frozenset({"that", "which"})
# Participles whose "of" phrase is what someone is suspected or accused of ("a former
# officer suspected of attacking election officials"): not an event of its own.
_SUSPICION_HEADS = frozenset(
    {"suspect", "suspected", "accuse", "accused", "charge", "charged", "convict", "convicted",
     "guilty", "acquit", "acquitted", "indict", "indicted", "suspicion", "sentence",
     "sentenced", "allegation", "allegations", "accusation", "accusations", "arrest"}
)  # fmt: skip
# Frames whose content is an act already done by someone else: "rejected Belgrade's
# request", "condemned Russia's invasion", "met a demand from the EU". A nominal event
# there that names its own actor is an event of its own.
_LIFTING_EVENTS = frozenset({"CONCEDE", "RETREAT"})
_RESPONSE_EVENTS = frozenset({"REJECT", "ACCUSE", "CONCEDE", "SUPPORT", "RETREAT"})
# Verbs that presuppose their object exists: "urged Kosovo to lift its ban on goods".
_REVERSAL_VERBS = frozenset(
    {"lift", "ease", "end", "remove", "revoke", "withdraw", "reverse", "drop", "scrap",
     "cancel", "suspend", "relax", "rescind", "repeal", "abandon", "halt", "stop"}
)  # fmt: skip
_ACTOR_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_CONTENT_EVENTS = frozenset(
    {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "MOBILIZE", "AID", "REQUEST", "SANCTION",
     "REJECT"}
)  # fmt: skip
# Prepositions that make a noun a verb's content ("asked for a meeting"), unlike those
# that set the scene ("In a phone call, X urged Y").
_CONTENT_PREPS = frozenset({"for", "to", "on", "about", "of", "from"})
_CONCESSION_EVENTS = frozenset({"CONCEDE"})


@dataclass(slots=True)
class Selection:
    """The matches that report events, and those whose event is denied."""

    kept: list[TriggerMatch] = field(default_factory=list)
    negated: set[int] = field(default_factory=set)  # token indices of denied events
    refused: set[int] = field(default_factory=set)  # triggers told as what is refused


def has_own_actor(token: Token) -> bool:
    """A nominal event that names who did it: "Belgrade's request", "calls from
    Washington", "U.S. sanctions", "the Serbian military mobilisation"."""
    for child in token.children:
        if child.dep_ == "poss" and not _a_time(child):  # not "the previous evening's"
            return True
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            return any(o.dep_ == "pobj" for o in child.children)
        if (
            child.dep_ in ("compound", "amod", "nmod")
            and child.i < token.i
            and child.ent_type_ in _ACTOR_ENTITIES
        ):
            return True
    return False


_TIMES = frozenset(
    {"today", "yesterday", "morning", "evening", "night", "day", "week", "weekend", "month",
     "year", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)  # fmt: skip


def _a_time(token: Token) -> bool:
    """ "the previous evening's", "Sunday's": a time, not a doer."""
    return token.ent_type_ in ("DATE", "TIME") or token.lower_ in _TIMES


def _stands_alone(inner: TriggerMatch, outer: TriggerMatch) -> bool:
    """Whether a nominal event nested in a frame is an act of its own (see
    ``_RESPONSE_EVENTS`` and ``_REVERSAL_VERBS``), or a refusal given as the reason for
    the frame ("blamed Kurti for refusing to start"): it happened all the same."""
    if _refusal_for(inner) or inner.rule.content_clause:
        return True  # ... or a condition set on it ("ratified it on condition that ...")
    if inner.rule.pos == "NOUN" and attributed_doers(inner.token):
        return True  # "said Russian services were behind the attacks": they happened
    if inner.rule.pos != "NOUN" or not has_own_actor(inner.token):
        return False
    if outer.rule.coding.mode == "meet" and inner.rule.coding.event == "CONSULT":
        return False  # "cancelled his visit to Belgrade": the visit did not take place
    if inner.rule.coding.event in ("REJECT", "SANCTION") and outer.rule.coding.event in (
        _LIFTING_EVENTS
    ):
        # "Bulgaria lifted its veto", "Serbia lifted its ban on Croatian goods": the veto
        # or the ban is what is given up, no event of its own
        return False
    if outer.rule.coding.event in _RESPONSE_EVENTS:
        return True
    head = inner.token.head
    return head.pos_ == "VERB" and head.lemma_.lower() in _REVERSAL_VERBS


def _refusal_for(match: TriggerMatch) -> bool:
    """An act given as a reason that happened all the same: a refusal ("blamed Kurti for
    refusing to start", "ordered his arrest for ignoring a summons": guide, refusals are
    factual), or what someone is thanked or condemned for ("thanked the EU for lifting
    visas", "condemned Kosovo's government for forcing access to the buildings")."""
    token = match.token
    if token.dep_ != "pcomp" or token.head.lower_ != "for" or token.tag_ != "VBG":
        return False
    if match.rule.coding.event == "REJECT":
        return True
    return token.head.head.lemma_.lower() in _THANKING_VERBS | _CONDEMNING_VERBS


def _agreement_content(inner: TriggerMatch, outer: TriggerMatch) -> bool:
    """ "signed a free trade agreement, removing tariffs on most goods": a participle
    telling what the signed or agreed text does is its content."""
    if outer.rule.coding.event not in ("SUPPORT", "AGREE"):
        return False
    path = path_to(inner.token, outer.token)
    if not path:
        return False
    top = path[-1]  # the participle on the frame verb, the inner trigger or above it
    return (
        top.dep_ == "advcl"
        and top.tag_ == "VBG"
        and not any(c.dep_ in ("nsubj", "mark") for c in top.children)
    )


def _nested(inner: TriggerMatch, outer: TriggerMatch) -> bool:
    """Whether ``inner`` sits in the complement of ``outer`` (not beside it: "agreed ...
    but did not sign", "called off a visit after they closed their airspace")."""
    path = path_to(inner.token, outer.token)
    if not path or not _is_complement(path[-1]):
        return False
    if any(t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children) for t in path):
        return False  # "accused police of terrorising Serbs [after officers searched ...]"
    if any(
        t.dep_ == "conj"
        and t.tag_ in ("VBD", "VBZ")
        and (t.head.tag_ == "VBG" or t.head.pos_ not in ("VERB", "AUX"))
        for t in path
    ):
        # "accused Pristina of denying ... and called on the Quint to react", "called the
        # injuries unacceptable and blamed Kurti": a finite verb the parser hung on a
        # gerund or an adjective is coordinated with the frame verb, not its content.
        return False
    if any(_absolute_or_reaction(t) for t in path):
        return False
    return all(t.dep_ in _FRAME_PATH_DEPS for t in path)


def _absolute_or_reaction(token: Token) -> bool:
    """A clause beside the frame, not its content: "with Petkovic accusing Kurti of ..."
    (a "with" clause with a subject of its own), "..., drawing sharp criticism from the
    U.S. embassy" (what the act drew from others)."""
    if token.dep_ == "pcomp" and token.head.lower_ == "with":
        return any(c.dep_ == "nsubj" for c in token.children)
    return token.dep_ == "advcl" and token.tag_ == "VBG" and token.lemma_.lower() in _REACTION_VERBS


def _is_complement(token: Token) -> bool:
    """Whether a dependent of a frame verb is its content ("to hold talks", "of attacking",
    "a visit") rather than the scene ("In a phone call", "after they closed ...")."""
    if token.dep_ in ("xcomp", "ccomp", "dobj", "acl", "pcomp", "oprd", "attr"):
        return True  # "oprd": "called the decision an attack on the Serb people"
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


_PERMITTING = frozenset({"let", "allow", "permit", "enable"})


def _permitted_visit(match: TriggerMatch) -> bool:
    """A visit someone is let or allowed to make: what is permitted, no meeting ("an
    agreement that will let their citizens visit each other's country without visas")."""
    token = match.token
    return (
        match.rule.coding.event == "CONSULT"
        and token.pos_ == "VERB"
        and token.dep_ in ("ccomp", "xcomp")
        and token.head.lemma_.lower() in _PERMITTING
    )


def _under_suspicion(token: Token) -> bool:
    """A trigger in what someone is arrested or held on suspicion of: "arrested an official
    on suspicion of organising the attack on KFOR troops" codes the arrest only (guide,
    decisions: "arrested on suspicion of X")."""
    current = token
    for _ in range(5):
        if current.head.i == current.i:
            return False
        current = current.head
        if current.lemma_.lower() in _SUSPICION_WORDS:
            return True
        if current.pos_ == "VERB" and current.dep_ not in ("pcomp", "xcomp"):
            return False  # a clause of its own: "suspicion" above it is another matter
    return False


# "on suspicion of", "suspected of": what follows is the ground of an arrest, no event.
_SUSPICION_WORDS = frozenset({"suspicion", "suspicions"})


def _auxiliaries(token: Token) -> list[Token]:
    return [c for c in token.children if c.dep_ in ("aux", "auxpass")]


def is_standing(token: Token) -> bool:
    """ "Belgrade has long described the KSF as an illegal army": a standing position told
    in the perfect with "long" (or "always"), not an act."""
    return any(
        c.dep_ == "advmod" and c.lower_ in ("long", "always", "traditionally")
        for c in token.children
    ) and any(a.lemma_ == "have" for a in _auxiliaries(token))


def _recurs(token: Token) -> bool:
    """ "regularly train", "train ... every year", "exchange information at regular
    meetings": the verb is told as a recurring activity."""
    for child in token.children:
        if child.dep_ == "advmod" and child.lower_ in _RECURRENCE_ADVERBS:
            return True
        if (
            child.dep_ == "npadvmod"
            and child.lemma_ in _RECURRENCE_PERIODS
            and any(d.lower_ in ("every", "each") for d in child.children)
        ):
            return True
        if child.dep_ == "prep" and any(
            p.lemma_ in _RECURRING_MEETINGS
            and any(a.lower_ in _RECURRING_WORDS for a in p.children)
            for p in child.children
        ):
            return True
    return False


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


def is_performative(token: Token) -> bool:
    """A speech act in the simple present that is itself the act ("NATO strongly condemns
    the attack", "... and calls on all sides to refrain"), not a habit or a denial; and an
    accusation a relative clause says stands ("the officers, whom Belgrade accuses of
    crossing into Serbia"): it was made and is held."""
    if token.tag_ in _PRESENT_TAGS and token.dep_ == "relcl" and token.lemma_ == "accuse":
        return any(c.dep_ == "dobj" and c.lower_ == "whom" for c in token.children)
    if token.tag_ not in _PRESENT_TAGS or token.lemma_.lower() not in _PERFORMATIVES:
        return False
    return not any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in _HABITUAL) for c in token.children
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
    if (
        token.dep_ == "pcomp"
        and token.head.lower_ == "of"
        and token.head.head.lower_ in _SUSPICION_HEADS
    ):
        return True  # "suspected of attacking election officials"
    if token.dep_ == "pcomp" and token.head.lower_ in _REASON_PREPS:
        return not _refusal_for(match)
    if token.dep_ in ("advcl", "pcomp") and token.tag_ == "VBG":
        return _in_present_clause(token)
    return False


def _protest_demands(matches: list[TriggerMatch]) -> set[int]:
    """Demands made by a protest are part of the PROTEST (annotation guide, section 3):
    "gathered outside the buildings, demanding that police leave", "rallied to demand
    early elections", "began a hunger strike, demanding a trial", "a rally demanding the
    minister's dismissal"."""
    heads: set[int] = set()
    for match in matches:
        if match.rule.coding.event == "PROTEST":
            heads.add(match.token.i)
            if match.governor is not None:
                heads.add(match.governor.i)
    out: set[int] = set()
    for match in matches:
        token = match.token
        if match.rule.coding.event != "REQUEST" or match.rule.pos != "VERB":
            continue
        if token.head.i not in heads:
            continue
        # "a rally demanding the dismissal of the minister", "a rally at which they demanded"
        if token.dep_ in ("advcl", "xcomp", "acl", "relcl") or (
            token.dep_ == "conj"
            and token.tag_ == "VBG"
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        ):
            out.add(token.i)
    return out


def _what_a_thing_does(match: TriggerMatch) -> bool:
    """A relative clause telling what a law, deal or resolution does or would do ("the
    laws that barred the state court", "a draft resolution that would have closed the
    Office", "a deal that ended the standoff"): the text's act is the thing's adoption."""
    token = match.token
    if match.rule.pos != "VERB" or token.dep_ != "relcl":
        return False
    if token.head.lower_ not in _THING_HEADS:
        return False
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELATIVE_SUBJECTS for c in token.children
    )


_BARE_EVENTS = frozenset({"ASSAULT"})


def _bare_reference(match: TriggerMatch) -> bool:
    """A nominal attack with no actor and no verb carrying it ("the deadliest attack on
    Kosovo police", "arrested eight suspects over the explosion on the canal") refers back
    to an event; the annotation guide (section 2) codes nominal events only with an actor."""
    if match.rule.pos != "NOUN":
        return False
    governor = match.governor
    if governor is not None and not (
        governor.lemma_ == "be"
        and any(c.dep_ == "nsubj" and c.lower_ in ("it", "this", "that") for c in governor.children)
    ):
        return False  # carried by a verb; but "It was the deadliest attack on police" refers
    if match.rule.coding.event not in _BARE_EVENTS and match.rule.coding.mode != "cyber":
        return False
    if _dated_by_modifier(match.token):
        return False  # "the May 29 attacks on KFOR" names an event: it is no back-reference
    if attributed_doers(match.token):
        return False  # "Russian services were behind the attacks": it is put down to them
    return not has_own_actor(match.token)


def _dated_by_modifier(noun: Token) -> bool:
    """Whether a date is among the noun's own modifiers ("the May 29 attacks")."""
    return any(
        child.ent_type_ in ("DATE", "TIME") and child.i < noun.i
        for child in noun.children
        if child.dep_ in ("compound", "nmod", "amod", "npadvmod", "poss")
    )


def _told_by_its_noun(match: TriggerMatch, matches: list[TriggerMatch]) -> bool:
    """ "weeks of environmental protests that had blocked roads": a relative clause on an
    event noun of the same type tells that event again; the noun carries it (or, with no
    actor of its own, nothing does)."""
    token = match.token
    if match.rule.pos != "VERB" or token.dep_ != "relcl":
        return False
    if not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELATIVE_SUBJECTS for c in token.children
    ):
        return False
    return any(
        m.token.i == token.head.i and m.rule.coding.event == match.rule.coding.event
        for m in matches
    )


def _content_of_another(match: TriggerMatch, others: list[TriggerMatch]) -> bool:
    token = match.token
    if match.rule.pos != "NOUN" or match.rule.coding.event not in _CONTENT_EVENTS:
        return False
    if match.rule.content_clause:
        return False  # "lifted its veto on condition that ...": a demand of its own
    heads = {token.head.i} if token.dep_ in ("dobj", "nsubjpass", "attr") else set()
    if token.dep_ == "pobj" and token.head.lower_ in _CONTENT_PREPS:
        owner = token.head.head
        if owner.pos_ == "ADP" and owner.dep_ in ("prep", "prt"):
            owner = owner.head  # "pulled out of the exercise"
        heads.add(owner.i)
        if owner.pos_ in ("NUM", "PRON") and owner.dep_ in ("dobj", "nsubjpass"):
            heads.add(owner.head.i)  # "meeting one of the main demands"
    return any(
        o.token.i in heads
        and o is not match
        and o.rule.pos == "VERB"
        and not _stands_alone(match, o)
        for o in others
    )


def select_matches(matches: list[TriggerMatch], dated: set[int]) -> Selection:
    """Filter a sentence's matches; ``dated`` holds clause heads that have a date."""
    selection = Selection()
    dropped: set[int] = set()
    for outer in matches:
        if not (outer.rule.frame or outer.rule.negates):
            continue
        nested = [
            m
            for m in matches
            if m is not outer and (_nested(m, outer) or _agreement_content(m, outer))
        ]
        if outer.rule.negates:
            dropped.add(outer.token.i)
            selection.negated |= {m.token.i for m in nested}
            continue
        concessions = [m for m in nested if m.rule.coding.event in _CONCESSION_EVENTS]
        if outer.rule.coding.event == "AGREE" and concessions:
            dropped.add(outer.token.i)  # "agreed to delay the rules": the concession
            continue
        for inner in nested:
            if (
                inner.token.i not in selection.negated
                and inner.rule.coding.event != outer.rule.coding.event
                and not _stands_alone(inner, outer)
            ):
                dropped.add(inner.token.i)
                if outer.rule.coding.event == "REJECT":
                    selection.refused.add(inner.token.i)
    dropped |= _protest_demands(matches)
    for match in matches:
        token = match.token
        if token.i in dropped or is_backgrounded(match) or _in_condition_or_aim(token):
            continue
        if _under_suspicion(token) or _permitted_visit(match):
            continue
        if _what_a_thing_does(match) or (match.rule.pos == "VERB" and is_standing(token)):
            continue
        if _bare_reference(match) or _told_by_its_noun(match, matches):
            continue
        if (
            match.rule.pos == "VERB"
            and token.pos_ != "AUX"  # "the EU is concerned": a current expression
            and is_generic_present(token, clause_head(token).i in dated)
            and not is_performative(token)
            and not (match.rule.coding.event in _CONCRETE_TYPES and _recurs(token))
        ):
            continue
        if _content_of_another(match, matches):
            continue
        if match.rule.pos == "NOUN" and any(
            c.dep_ == "det" and c.lower_ in ("any", "every") for c in token.children
        ):
            continue
        selection.kept.append(match)
    return selection
