"""Links between the events of one sentence, made once all its triggers are read.

A judgement of another act ("which Belgrade called an attack", "welcomed the move")
often names no addressee of its own: it is aimed at whoever did the act it judges.
``pw_events`` calls ``aim_judgements`` with the sentence's readings by trigger token; the
rules that find the judged act are ``participant_rules.referred_trigger`` (a relative
clause on the act) and ``participant_rules.summed_up_trigger`` (a noun summing it up).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span

from pactwatch.nlp.components.grouping import EventRecord
from pactwatch.nlp.components.participant_rules import referred_trigger, summed_up_trigger

# Judgements of another act: aimed at whoever did it when they name no one else.
JUDGEMENTS = frozenset({"ACCUSE", "SUPPORT"})


def aim_judgements(sent: Span, by_trigger: dict[int, EventRecord]) -> None:
    """A judgement with no addressee of its own is aimed at whoever did the act it judges:
    "Kosovo police seized cash, which Belgrade called an attack" (a relative clause on the
    act), "Kosovo registered the land, and the United States welcomed the move" (a noun
    that sums the act up)."""
    for index, record in by_trigger.items():
        event = record.event
        if event.event not in JUDGEMENTS or event.recipient:
            continue
        others = set(by_trigger) - {index}
        verb = sent.doc[index]
        target = referred_trigger(verb, others) if event.event == "ACCUSE" else None
        if target is None:
            target = summed_up_trigger(verb, others)
        if target is None:
            continue
        taken = {(a.entity_name or a.raw_text) for a in event.actor}
        event.recipient = [
            replace(a)
            for a in by_trigger[target].event.actor
            if (a.entity_name or a.raw_text) not in taken
        ]
