"""Blame given as the reason for an act: the accusation it makes (ACCUSE).

"Britain froze the assets of Dodik and Cvijanović, saying they had undermined Bosnia's
peace" tells two acts: the sanction and the accusation that justifies it. So does "Croatia
expelled 18 Russian diplomats, citing Moscow's aggression against Ukraine" and "Dodik
refused to meet the ambassador, saying the embassy had become an enemy of Republika
Srpska". A reason that blames no one ("saying he wanted to calm tensions", "citing a
calmer situation in the north") is no accusation (annotation guide: plain statements are
no events).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from pactwatch.nlp.components.event_arguments import ArgumentReader
from pactwatch.nlp.components.event_lexicon import EventLexicon
from pactwatch.nlp.components.event_recoding import coded_acts
from pactwatch.nlp.components.event_subjects import subject_tokens
from pactwatch.nlp.components.event_triggers import TriggerMatch, clause_head
from pactwatch.nlp.components.grouping import EventRecord
from pactwatch.nlp.records import Event, EventActor

# Acts that are often justified by blaming someone.
_JUSTIFIED = frozenset({"SANCTION", "REJECT", "COERCE", "REQUEST", "THREATEN"})
# Participles that give the reason: "..., saying", "..., arguing that", "..., citing".
_SPEECH = frozenset({"say", "argue", "claim", "charge", "allege", "complain", "insist"})
_CITING = frozenset({"cite"})
# Words that make a reason a reproach (lemmas).
_BLAME = frozenset(
    {"undermine", "violate", "violation", "breach", "destabilise", "destabilize",
     "destabilising", "destabilizing", "aggression", "aggressor", "aggressive", "invade",
     "invasion", "hostile", "enemy", "provocation", "provoke", "provocative", "obstruct",
     "sabotage", "incite", "incitement", "illegal", "unlawful", "illegitimate",
     "unacceptable", "interfere", "interference", "meddle", "meddling", "disinformation",
     "propaganda", "corruption", "corrupt", "crime", "criminal", "terrorism", "terrorist",
     "genocide", "atrocity", "abuse", "punish", "persecute", "persecution", "discriminate",
     "discrimination", "malign", "subversive", "subvert", "espionage", "spy", "smuggle",
     "trafficking", "secessionist", "threaten", "attack", "killing", "kill", "massacre",
     "harass", "harassment", "intimidate", "intimidation", "repression", "oppress"}
)  # fmt: skip
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "them"})


def justifications(
    kept: list[TriggerMatch],
    by_trigger: dict[int, EventRecord],
    reader: ArgumentReader,
    told: list[EventRecord],
    lexicon: EventLexicon,
) -> list[EventRecord]:
    """The accusation a sentence's act is justified by (at most one), unless the sentence
    already tells an accusation."""
    if any(r.event.event == "ACCUSE" for r in told):
        return []
    for match, record in coded_acts(kept, by_trigger, _JUSTIFIED):
        if record.event.modality != "factual" or not record.event.actor:
            continue
        head = clause_head(match.governor or match.token)
        for reason in head.children:
            if reason.dep_ != "advcl" or reason.tag_ != "VBG":
                continue
            blamed = _blamed(reason, record.event, reader)
            if blamed is not None:
                event = _accusation(record.event, blamed, lexicon)
                return [EventRecord(event=event, sentence=record.sentence, directed=bool(blamed))]
    return []


def _blamed(reason: Token, act: Event, reader: ArgumentReader) -> list[EventActor] | None:
    """Who a reason blames ([] for a reproach aimed at a thing), or None when the reason
    reproaches no one."""
    lemma = reason.lemma_.lower()
    if lemma in _SPEECH:
        contents = [c for c in reason.children if c.dep_ == "ccomp"]
    elif lemma in _CITING:
        contents = [c for c in reason.children if c.dep_ == "dobj"]
    else:
        return None
    if not contents or not any(_reproaches(c) for c in contents):
        return None
    own = {a.country for a in act.actor if a.country}
    parties: list[EventActor] = []
    for content in contents:
        named = _named_parties(content, lemma in _CITING)
        if any(t.lower_ in _PRONOUNS for t in named):
            # "froze their assets, saying they had undermined the peace": the target
            parties += [r for r in act.recipient if r.country not in own]
            continue
        for participant in reader.participants(named):
            if participant.actor.country and participant.actor.country not in own:
                parties.append(participant.actor)
    unique: dict[tuple[str | None, str | None], EventActor] = {}
    for party in parties:
        unique.setdefault((party.entity_name, party.country), party)
    return list(unique.values())


def _reproaches(content: Token) -> bool:
    """Whether what is said of someone (or cited) reproaches: in a said content the
    reproach must be in what is said, not in what it is said of ("saying the July attack
    showed the need for a response" blames no one)."""
    topic: set[int] = set()
    if content.dep_ == "ccomp":
        for child in content.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                topic |= {t.i for t in child.subtree}
    return any(
        t.i not in topic and (t.lemma_.lower() in _BLAME or t.lower_ in _BLAME)
        for t in content.subtree
    )


def _named_parties(content: Token, cited: bool) -> list[Token]:
    """The subjects of a said content; for a cited thing ("Moscow's aggression"), its
    owners."""
    if not cited:
        return subject_tokens(content)
    owners = [c for c in content.children if c.dep_ in ("poss", "compound", "amod")]
    for child in content.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "by"):
            owners += [g for g in child.children if g.dep_ == "pobj"]
    return owners


def _accusation(act: Event, blamed: list[EventActor], lexicon: EventLexicon) -> Event:
    mode, cameo = ("allege", "112") if blamed else ("disapprove", "111")
    kind = lexicon.events["ACCUSE"]
    return replace(
        act,
        event="ACCUSE",
        mode=mode,
        cameo=cameo,
        context=[],
        recipient=blamed,
        actor=list(act.actor),
        mentions=list(act.mentions),
        quad_code=kind.quad,
        plover_score=kind.score_for(mode),
        areas=[],
    )
