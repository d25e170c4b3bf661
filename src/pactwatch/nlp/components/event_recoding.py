"""PLOVER coding rules that look at the whole reading, not at the trigger word alone.

- Intentions: "all cooperative actions reported in future tense are also taken to imply
  intentions" (manual, AGREE): a future CONSULT, COOPERATE, AID or SUPPORT is AGREE,
  with the CAMEO 03x code of what is intended. Reported by a speaker ("Romania said it
  would send troops"), the intention is the speaker's and a fact of the day.
- Refusals: a negated cooperative act in the future tense ("would never sign any
  document with Kosovo", "would not allow the bridge to open") is REJECT.
- Agreements not to act ("agreed not to seek membership") are promised concessions:
  CONCEDE.
- CONSULT modes from the place: where the host is, the other side visits; a meeting of
  states in a third state is third-party.
- Conditional threats: a hostile act a side says it would or could take if another side
  does something ("Vučić said Serbia could leave the Council of Europe if Kosovo is
  admitted") is also a THREATEN by that side against the other, made the day it is said
  (guide §6 and §11.4). The act itself stays, as the possibility it is. Analysts' or
  diplomats' speculation about what someone could do is no threat: the speaker must be
  the side that would act.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace

from spacy.tokens import Token

from pactwatch.nlp.components.event_arguments import ArgumentReader
from pactwatch.nlp.components.event_lexicon import EventLexicon
from pactwatch.nlp.components.event_mentions import NON_STATE_CODES, Participant
from pactwatch.nlp.components.event_subjects import subject_tokens
from pactwatch.nlp.components.event_triggers import TriggerMatch, clause_head
from pactwatch.nlp.components.grouping import EventRecord
from pactwatch.nlp.components.modality import reporting_verb
from pactwatch.nlp.components.participant_rules import condition_subjects
from pactwatch.nlp.records import Event, EventActor

INTENDED_EVENTS = frozenset({"CONSULT", "COOPERATE", "AID", "SUPPORT"})
# "NATO stood ready to strengthen its presence": readiness to act is an intention.
READY_EVENTS = INTENDED_EVENTS | {"MOBILIZE", "RETREAT", "CONCEDE"}
_READY_WORDS = frozenset({"ready", "willing", "prepared", "determined", "eager"})
REFUSED_EVENTS = frozenset(
    {"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT"}
)
# CAMEO code of the intent to do what a cooperative code does (03x mirrors 04x-07x).
INTENT_CAMEO = {
    "040": "036", "041": "036", "042": "036", "043": "036", "044": "036", "045": "039",
    "046": "036", "050": "032", "051": "032", "054": "032", "057": "030",
    "060": "031", "061": "0311", "062": "0312", "063": "0313", "064": "0314",
    "070": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334", "075": "033",
}  # fmt: skip
REFUSAL_CAMEO = {
    "CONSULT": "125", "AID": "122", "COOPERATE": "121", "CONCEDE": "120", "RETREAT": "124",
}  # fmt: skip
# Hostile acts held out as a threat, and the THREATEN mode and CAMEO code of the threat.
THREAT_OF = {
    "SANCTION": ("restrict", "130"),
    "COERCE": ("restrict", "130"),
    "MOBILIZE": ("violence", "138"),
    "ASSAULT": ("violence", "138"),
}
# Those who comment on what a side could do without speaking for it.
ONLOOKERS = frozenset(
    {"analyst", "expert", "diplomat", "observer", "commentator", "source", "critic", "scholar"}
)
# Auxiliaries that hold an act out ("would respond", "could leave"), unlike "should" or
# "must", which recommend it.
_HOLDING_OUT = frozenset({"will", "would", "could", "may", "might", "'ll", "'d"})


def as_intention(event: Event, lexicon: EventLexicon, speaker: list[Participant]) -> None:
    """Recode a future cooperative event as AGREE (the intention to do it)."""
    event.cameo = INTENT_CAMEO.get(event.cameo or "", "030")
    event.event, event.mode = "AGREE", None
    voices = {p.actor.country for p in speaker if p.actor.country}
    doers = {a.country for a in event.actor if a.country}
    # The speaker commits to it when they are (of) its doers, or no doer is named ("Kosovo
    # will receive more financing, the U.S. ambassador announced"); a third party only
    # tells it as scheduled ("Vučić and Kurti will meet Borrell, an EU spokesman said").
    if voices and (not doers or doers & voices):
        event.actor = [p.actor for p in speaker]
        event.modality = "factual"
    event.quad_code = lexicon.events["AGREE"].quad
    event.plover_score = lexicon.events["AGREE"].score_for(None)


# Future acts that keep their own type when told as scheduled rather than promised (guide
# §6: "other types in the future keep their type"); announced meetings and visits are
# AGREE (guide §4), and so is what a giver says it will give.
SCHEDULED_KEEP_TYPE = frozenset({"COOPERATE", "AID"})
_SCHEDULING_WORDS = frozenset({"due", "expect", "expected", "set", "schedule", "scheduled", "go"})


def promised(
    event: Event, match: TriggerMatch, speech: Token | None, speaker: list[Participant]
) -> bool:
    """Whether a future cooperative act is told as a commitment (AGREE) rather than
    asserted as scheduled (its own type, future).

    Commitments: the content of a verb ("agreed to exchange liaison officers", "offered
    to train"), a speaker's "would" ("Romania said it would send troops"), and aid its
    giver announces ("Turkey will send a battalion to KFOR, the Turkish ministry said").
    Scheduled: "KFOR and EULEX will hold a joint exercise next week, the mission said";
    "France will deliver the jets in 2028, the defence ministry in Belgrade said".
    """
    if event.event not in SCHEDULED_KEEP_TYPE:
        return True
    trigger = match.governor or match.token
    while trigger.dep_ == "conj" and trigger.head.i != trigger.i:
        trigger = trigger.head  # "agreed to exchange officers and [share] data"
    head = clause_head(trigger)
    content = next((t for t in (trigger, head) if t.dep_ == "xcomp"), None)
    if content is not None and content.head.lemma_.lower() not in _SCHEDULING_WORDS:
        return True  # "agreed to exchange", not "are due to arrive", "is expected to"
    if any(c.dep_ == "aux" and c.lower_ == "would" for t in (trigger, head) for c in t.children):
        return True
    if event.event == "COOPERATE":
        return False
    givers = {a.country for a in event.actor if a.country}
    if not givers:
        # "the missiles are expected to arrive next year" commits no one; "Kosovo will
        # receive more military financing, the U.S. ambassador announced": the unnamed
        # giver speaks, unless the speaker is the receiver's own side.
        takers = {r.country for r in event.recipient if r.country}
        return bool(speaker) and not any(p.actor.country in takers for p in speaker)
    return not speaker or any(p.actor.country in givers for p in speaker)


def stands_ready(trigger: Token) -> bool:
    """ "was ready to hold new elections", "stood ready to respond"."""
    return trigger.dep_ == "xcomp" and trigger.head.lemma_.lower() in _READY_WORDS


def agrees_not_to(trigger: Token) -> bool:
    """ "Pristina agreed not to seek new membership": a promised concession."""
    return any(
        child.dep_ == "xcomp" and any(g.dep_ == "neg" for g in child.children)
        for child in trigger.children
    )


def as_concession(event: Event, lexicon: EventLexicon) -> None:
    """Recode an agreement not to act as CONCEDE (PLOVER: promises of concessions)."""
    event.event, event.cameo, event.mode = "CONCEDE", "081", None
    event.quad_code = lexicon.events["CONCEDE"].quad
    event.plover_score = lexicon.events["CONCEDE"].score_for(None)


def as_refusal(event: Event, lexicon: EventLexicon) -> None:
    """Recode a negated future cooperative event as REJECT (a refusal)."""
    event.cameo = REFUSAL_CAMEO.get(event.event, "120")
    event.mode = {"CONSULT": "meet", "RETREAT": "yield"}.get(event.event)
    event.event, event.modality = "REJECT", "factual"
    event.quad_code = lexicon.events["REJECT"].quad
    event.plover_score = lexicon.events["REJECT"].score_for(None)


def refine_consult_mode(event: Event, lexicon: EventLexicon) -> None:
    """CONSULT modes from the place: the host's country makes a visit, a third one third-party."""
    if event.event != "CONSULT" or event.mode is not None or event.event_loc is None:
        return
    where = event.event_loc.country
    if not where:
        return
    actor_states = {
        a.country for a in event.actor if a.country and a.country not in NON_STATE_CODES
    }
    recipient_states = {
        r.country for r in event.recipient if r.country and r.country not in NON_STATE_CODES
    }
    any_igo = any(p.country in NON_STATE_CODES for p in (*event.actor, *event.recipient))
    igo_actors = [a for a in event.actor if a.country in NON_STATE_CODES]
    if igo_actors and recipient_states and where not in recipient_states and not actor_states:
        # "Stoltenberg met Osmani at the alliance's headquarters": the alliance hosts.
        event.actor, event.recipient = event.recipient, event.actor
        event.mode, event.cameo = "visit", "042"
    elif where in recipient_states and where not in actor_states:
        event.mode, event.cameo = "visit", "042"
    elif where in actor_states and recipient_states and where not in recipient_states:
        event.actor, event.recipient = event.recipient, event.actor
        event.mode, event.cameo = "visit", "042"
    elif (
        len(actor_states | recipient_states) >= 2
        and where not in actor_states | recipient_states
        and not any_igo
    ):
        event.mode, event.cameo = "third-party", "044"
    event.plover_score = lexicon.events["CONSULT"].score_for(event.mode)


def held_out(trigger: Token, governor: Token | None = None) -> bool:
    """Whether the act is held out as what the side will, would or could do."""
    chain = [trigger] if governor is None else [trigger, governor]
    if stands_ready(governor or trigger):
        return True  # "was ready to send its army to Kosovo if ..."
    return any(
        child.dep_ == "aux" and child.lower_ in _HOLDING_OUT
        for token in chain
        for child in token.children
    )


def conditional_threat(
    event: Event,
    lexicon: EventLexicon,
    speaker: list[Participant],
    conditioned: list[Participant],
) -> Event | None:
    """The threat a side makes by saying it would act against another on a condition.

    ``event`` is the hostile act as read (a future or hypothetical SANCTION, COERCE,
    MOBILIZE or ASSAULT), ``speaker`` who says so (the acting side, or it is no threat)
    and ``conditioned`` the parties its "if" or "unless" clause names as subjects. The
    threatened are those parties, else, when the condition names none ("if the attacks
    continued"), the act's own recipients.
    """
    if event.event not in THREAT_OF or event.modality not in ("future", "hypothetical"):
        return None
    own = {a.country for a in event.actor if a.country}
    if not own:
        return None
    if not any(p.actor.country in own for p in speaker):
        return None  # "analysts say Washington could impose sanctions if ...": speculation
    threatened: list[EventActor] = [
        p.actor for p in conditioned if p.actor.country and p.actor.country not in own
    ] or [r for r in event.recipient if r.country and r.country not in own]
    if not threatened:
        return None  # "could deploy more troops if the situation worsened": no one is warned
    mode, cameo = THREAT_OF[event.event]
    kind = lexicon.events["THREATEN"]
    return replace(
        event,
        event="THREATEN",
        mode=mode,
        cameo=cameo,
        recipient=threatened,
        modality="factual",
        quad_code=kind.quad,
        plover_score=kind.score_for(mode),
        context=list(event.context),
        mentions=list(event.mentions),
        actor=list(event.actor),
    )


def coded_acts(
    kept: list[TriggerMatch], by_trigger: dict[int, EventRecord], kinds: Collection[str]
) -> Iterator[tuple[TriggerMatch, EventRecord]]:
    """A sentence's kept triggers with the events read off them, of the given types: what
    the passes that read one event into another (threats, justifications) start from."""
    for match in kept:
        record = by_trigger.get(match.token.i)
        if record is not None and record.event.event in kinds:
            yield match, record


def conditional_threats(
    kept: list[TriggerMatch],
    by_trigger: dict[int, EventRecord],
    reader: ArgumentReader,
    told: list[EventRecord],
    lexicon: EventLexicon,
) -> list[EventRecord]:
    """The conditional threat one sentence's hostile acts are held out as (at most one:
    its acts are the threat's contents), unless the sentence tells a threat in words of
    its own ("warned that ... would follow")."""
    if any(r.event.event == "THREATEN" for r in told):
        return []
    for match, record in coded_acts(kept, by_trigger, THREAT_OF):
        condition = condition_subjects(match.token)
        if not condition:
            continue  # no "if" or "unless": an announcement or a forecast
        speech = reporting_verb(match.governor or match.token)
        if speech is None or not held_out(match.token, match.governor):
            continue  # the writer's forecast, or what someone should do
        voices = subject_tokens(speech)
        if any(v.lemma_.lower() in ONLOOKERS for v in voices):
            continue  # "analysts say Washington could ...": speculation
        threat = conditional_threat(
            record.event, lexicon, reader.participants(voices), reader.participants(condition)
        )
        if threat is not None:
            return [EventRecord(event=threat, sentence=record.sentence, directed=True)]
    return []
