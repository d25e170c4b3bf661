"""Links between the events of one sentence, made once all its triggers are read.

A judgement of another act ("which Belgrade called an attack", "welcomed the move")
often names no addressee of its own: it is aimed at whoever did the act it judges.
``pw_events`` calls ``aim_judgements`` with the sentence's readings by trigger token; the
rules that find the judged act are ``participant_rules.referred_trigger`` (a relative
clause on the act) and ``participant_rules.summed_up_trigger`` (a noun summing it up).
Then ``answered_requests``: a request the main act answers was addressed to its doer, and
a refusal is aimed back at whoever made the request it turns down (``answers_to_askers``),
and force that names no target is used on the crowd whose act the sentence told before
(``aim_force_responses``).
Last ``told_otherwise``: readings that another reading of the sentence already tells (a
troop move told as aid, a demand met by an act, forces described by their deployment).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from pactwatch.nlp.components.grouping import EventRecord
from pactwatch.nlp.components.participant_rules import referred_trigger, summed_up_trigger
from pactwatch.nlp.records import Event

# Judgements of another act: aimed at whoever did it when they name no one else.
JUDGEMENTS = frozenset({"ACCUSE", "SUPPORT", "REQUEST"})
# Those a relative clause on the act can tell ("which Belgrade called an attack", "a step
# Washington had demanded"); SUPPORT only through a summing noun ("welcomed the move").
_REFERRING = frozenset({"ACCUSE", "REQUEST"})


def aim_judgements(sent: Span, by_trigger: dict[int, EventRecord]) -> None:
    """A judgement with no addressee of its own is aimed at whoever did the act it judges:
    "Kosovo police seized cash, which Belgrade called an attack" (a relative clause on the
    act), "Kosovo registered the land, and the United States welcomed the move" (a noun
    that sums the act up). A request told the same way ("lifted the tariffs, a step
    Washington had demanded") was addressed to whoever did the act."""
    for index, record in by_trigger.items():
        event = record.event
        if event.event not in JUDGEMENTS or event.recipient:
            continue
        others = set(by_trigger) - {index}
        verb = sent.doc[index]
        target = referred_trigger(verb, others) if event.event in _REFERRING else None
        if target is None and event.event != "REQUEST":
            target = summed_up_trigger(verb, others)
        if target is None:
            continue
        _aim_at_doers(event, by_trigger[target].event)


def answered_requests(sent: Span, by_trigger: dict[int, EventRecord]) -> None:
    """A request with no addressee told in a clause of time or reason on another act was
    addressed to whoever did that act: "Kosovo agreed to postpone the opening after KFOR
    asked for more time", "the Serbs began removing the barricades after Vučić asked".
    A request that is the object of its answer was addressed to whoever answered it:
    "Serbia turned down Kosovo's request for the extradition of Radoičić" (Radoičić is
    the one asked for, not the one asked)."""
    for index, record in by_trigger.items():
        event = record.event
        if event.event != "REQUEST":
            continue
        trigger = sent.doc[index]
        answer = by_trigger.get(trigger.head.i) if trigger.dep_ == "dobj" else None
        if answer is not None and answer.event.event in _ANSWERS and answer.event.actor:
            _aim_at_doers(event, answer.event)
            continue
        if event.recipient:
            continue
        verb = trigger
        if verb.dep_ != "advcl" or verb.head.i not in by_trigger:
            continue
        if not any(c.dep_ == "mark" and c.lower_ in _ANSWERING_MARKS for c in verb.children):
            continue
        _aim_at_doers(event, by_trigger[verb.head.i].event)


def answers_to_askers(sent: Span, by_trigger: dict[int, EventRecord]) -> None:
    """A refusal with no recipient of its own is aimed at whoever made the request it
    turns down, when the request is told as a noun on the refusal's own clause: "refused
    to join the sanctions despite repeated calls from Brussels", "rejected the plan in
    spite of appeals from Washington". The guide's REJECT is the refusal of a request, so
    the one who asked is the one refused. (Concessions that meet a demand are left alone:
    the gold gives them the asker as recipient in some sentences and not in others.)"""
    for index, record in by_trigger.items():
        answer = record.event
        if answer.event != "REJECT" or answer.recipient or not answer.actor:
            continue
        trigger = sent.doc[index]
        for asked_at, request in by_trigger.items():
            asking = sent.doc[asked_at]
            if request.event.event != "REQUEST" or asking.pos_ != "NOUN":
                continue
            if _on_clause_of(asking, trigger):
                _aim_at_doers(answer, request.event)
                break


# Force used on a crowd and the crowd's own act: "local Serbs tried to stop them and
# police fired tear gas", "protesters blocked the roads, and police fired tear gas".
_FORCE = frozenset({"ASSAULT", "COERCE"})
_CROWD_ACTS = frozenset({"PROTEST", "ASSAULT"})


def aim_force_responses(sent: Span, by_trigger: dict[int, EventRecord]) -> None:
    """Force that names no one it is used on, told after another party's protest or
    attack in the same sentence, is used on that party: "Serbs tried to stop them and
    police fired tear gas", "protesters blocked the roads, and police fired tear gas"."""
    del sent  # the readings' order is their triggers' order in the sentence
    for index, record in by_trigger.items():
        event = record.event
        if event.event not in _FORCE or event.recipient or not event.actor:
            continue
        earlier = [
            by_trigger[i].event
            for i in sorted(by_trigger)
            if i < index
            and by_trigger[i].event.event in _CROWD_ACTS
            and by_trigger[i].event.event != event.event  # one act told twice is grouped
            and by_trigger[i].event.actor
        ]
        if earlier:
            _aim_at_doers(event, earlier[-1])
            record.directed = True  # the police act on the Serbs, both of Kosovo


# The links by which a noun hangs on a verb's own clause: "refused [to join] the
# sanctions [despite] [calls]"; not through a subject, a reported clause or a conjunct,
# which tell other acts.
_OWN_CLAUSE = frozenset({"pobj", "prep", "dobj", "advcl", "xcomp", "npadvmod"})


def _on_clause_of(token: Token, head: Token) -> bool:
    """Whether ``token`` hangs on ``head``'s own clause."""
    current = token
    for _ in range(6):
        if current.dep_ not in _OWN_CLAUSE or current.head.i == current.i:
            return False
        current = current.head
        if current.i == head.i:
            return True
    return False


def told_otherwise(
    sent: Span, by_trigger: dict[int, EventRecord], second_opinion: list[EventRecord]
) -> set[int]:
    """Trigger tokens of the rules' readings that are no events of their own, because
    another reading of the sentence tells them (``second_opinion``: the classifier's)."""
    return (
        moves_told_as_aid(sent, by_trigger, second_opinion)
        | demands_met_by_acts(sent, by_trigger)
        | moves_described_in_withdrawals(sent, by_trigger)
        | deployed_doers(sent, by_trigger)
        | drills_told_as_joint(by_trigger)
    )


def moves_told_as_aid(
    sent: Span, by_trigger: dict[int, EventRecord], second_opinion: list[EventRecord]
) -> set[int]:
    """Trigger tokens of troop movements (MOBILIZE) that the sentence tells as aid: "a
    battalion of Turkish commandos arrived in Kosovo and joined the NATO-led force", "planes
    landed at Belgrade airport carrying missile systems for the Serbian army". The move is
    how the aid came, not a deployment of one's own: AID only. The aid is a rule's reading
    of a linked clause, or the classifier's reading of the sentence (``second_opinion``)
    when that names someone the aid went to ("troops arrived near the boundary and put up
    a camp" stays a deployment whatever the classifier says)."""
    out: set[int] = set()
    # The classifier's word alone is not enough: its aid must go to someone else.
    told_by_classifier = [a for a in second_opinion if _given_to_another(a.event)]
    for index, record in by_trigger.items():
        if record.event.event != "MOBILIZE" or record.event.mode != "troops":
            continue
        move = sent.doc[index]
        if move.lemma_.lower() not in _MOVES:
            continue  # "put a battalion on higher readiness": a posture of one's own
        linked = [c for c in move.children if c.dep_ in _TOLD_ALONG]
        if move.dep_ in _TOLD_ALONG:
            linked.append(move.head)
        aids = [by_trigger[t.i] for t in linked if t.i in by_trigger] + told_by_classifier
        if any(a.event.event == "AID" and _same_side(record.event, a.event) for a in aids):
            out.add(index)
    return out


def demands_met_by_acts(sent: Span, by_trigger: dict[int, EventRecord]) -> set[int]:
    """Trigger tokens of concessions that only say how an act answered a demand: "pulled
    its special units out of the buildings, meeting one of the EU's demands" is the
    withdrawal (RETREAT), as the guide codes it; "the documents had been published,
    meeting the students' demands" names no other event and stays a concession."""
    out: set[int] = set()
    for index, record in by_trigger.items():
        meeting = sent.doc[index]
        if record.event.event != "CONCEDE" or meeting.dep_ != "advcl" or meeting.tag_ != "VBG":
            continue
        act = by_trigger.get(meeting.head.i)
        if act is not None and act.event.event != "CONCEDE":
            out.add(index)
    return out


def moves_described_in_withdrawals(sent: Span, by_trigger: dict[int, EventRecord]) -> set[int]:
    """Trigger tokens of deployments told only to say which forces were pulled back:
    "Serbia has pulled back part of the forces it massed near the boundary" is the
    withdrawal; the massing is background the clause refers to, not news of the day."""
    out: set[int] = set()
    for index, record in by_trigger.items():
        moved = sent.doc[index]
        if record.event.event != "MOBILIZE" or moved.dep_ not in ("relcl", "acl"):
            continue
        forces = moved.head
        while forces.dep_ in ("pobj", "prep") and forces.head.pos_ != "VERB":
            forces = forces.head  # "part of the forces it massed", "most of the units"
        withdrawal = by_trigger.get(forces.head.i) if forces.dep_ == "dobj" else None
        if withdrawal is not None and withdrawal.event.event == "RETREAT":
            out.add(index)
    return out


def deployed_doers(sent: Span, by_trigger: dict[int, EventRecord]) -> set[int]:
    """Trigger tokens of deployments told only to say who does another act: "officers
    deployed by Frontex began working alongside Montenegrin border police" is the
    cooperation; the deployment describes the officers."""
    out: set[int] = set()
    for index, record in by_trigger.items():
        deployed = sent.doc[index]
        if record.event.event != "MOBILIZE" or deployed.dep_ != "acl" or deployed.tag_ != "VBN":
            continue
        doers = deployed.head
        if doers.dep_ != "nsubj":
            continue
        act = by_trigger.get(doers.head.i)
        if act is None:  # "began working": the act is the verb's complement
            act = next((by_trigger[c.i] for c in doers.head.children if c.i in by_trigger), None)
        if act is not None and act.event.event not in ("MOBILIZE", "RETREAT"):
            out.add(index)
    return out


def drills_told_as_joint(by_trigger: dict[int, EventRecord]) -> set[int]:
    """Trigger tokens of one side's drill (MOBILIZE 150) in a sentence that tells the
    same exercise as joint (COOPERATE 062): "450 Serbian troops are training with Russian
    and Belarusian paratroopers in the Slavic Brotherhood exercise" is one joint exercise."""
    if not any(
        r.event.event == "COOPERATE" and r.event.cameo == "062" and r.event.recipient
        for r in by_trigger.values()
    ):
        return set()
    return {
        index
        for index, record in by_trigger.items()
        if record.event.event == "MOBILIZE" and record.event.cameo == "150"
    }


def _same_side(move: Event, aid: Event) -> bool:
    """Whether the aid is given by those who moved (or the move names no country)."""
    moved = {a.country for a in move.actor if a.country}
    return not moved or bool(moved & {a.country for a in aid.actor if a.country})


def _given_to_another(aid: Event) -> bool:
    """Whether the aid names a recipient of another country than its givers'."""
    givers = {a.country for a in aid.actor}
    return any(r.country and r.country not in givers for r in aid.recipient)


# Words that move troops or arms somewhere.
_MOVES = frozenset(
    {"arrive", "land", "deploy", "enter", "advance", "cross", "pour", "roll", "push",
     "send", "dispatch", "contribute", "commit", "station", "fly", "sail", "move"}
)  # fmt: skip
# Clauses that tell more of the same act: "arrived and joined", "landed carrying".
_TOLD_ALONG = frozenset({"conj", "advcl", "xcomp"})


def _aim_at_doers(event: Event, act: Event) -> None:
    """``event``'s recipients: the actors of ``act`` that are not its own actors."""
    taken = {(a.entity_name or a.raw_text) for a in event.actor}
    event.recipient = [replace(a) for a in act.actor if (a.entity_name or a.raw_text) not in taken]


# Acts that answer a request told as their object ("rejected", "granted", "met" it).
_ANSWERS = frozenset({"REJECT", "CONCEDE", "AGREE", "RETREAT"})
# "after X asked", "when X asked", "because X had asked": the main act answers the request.
_ANSWERING_MARKS = frozenset({"after", "when", "because", "once", "as"})
