"""Which coding a trigger rule gives a reading: its alternatives' conditions
(``event_lexicon.yaml``: objects, subjects, single_country, recipient_igo, actor_igo,
actor_foreign, actor_state, actor_nonstate, actor_people, has_recipient) and its
``min_participants``.
"""

from __future__ import annotations

from spacy.tokens import Doc

from pactwatch.nlp.components.event_lexicon import Coding
from pactwatch.nlp.components.event_mentions import NON_STATE_CODES, Participant, is_state_actor
from pactwatch.nlp.components.event_triggers import TriggerMatch

# Sectors of people acting as people, not as office holders (farmers, students, workers).
_PEOPLE_SECTORS = frozenset({"CVL", "AGR", "LAB", "EDU", "REL", "MED", "BUS", "REF"})


def _countries(participants: list[Participant]) -> set[str]:
    countries: set[str] = set()
    for p in participants:
        code = p.actor.country
        if code in NON_STATE_CODES:
            countries |= {code, f"{code}*"}  # an IGO counts as several
        elif code:
            countries.add(code)
    return countries


def _holds(
    key: str,
    wanted: object,
    match: TriggerMatch,
    actors: list[Participant],
    recipients: list[Participant],
    subject_words: frozenset[str],
) -> bool:
    """Whether one condition of an alternative coding holds (see event_lexicon.yaml)."""
    if key == "objects":
        return bool(wanted & match.objects)  # type: ignore[operator]
    if key == "subjects":
        return bool(wanted & subject_words)  # type: ignore[operator]
    if key == "single_country":
        single = len(_countries([*actors, *recipients])) < 2 and not recipients
        single = single and len(actors) < 2  # "X and Y held a drill" is joint
        joint = any(
            c.lemma_.lower() in ("joint", "combined", "multinational", "bilateral")
            for c in match.token.children
        )
        return (single and not joint) == bool(wanted)
    if key == "recipient_igo":
        found = any(
            p.actor.country in NON_STATE_CODES or p.actor.sector == "IGO" for p in recipients
        )
        return found == bool(wanted)
    if key == "actor_igo":
        found = any(p.actor.country in NON_STATE_CODES or p.actor.sector == "IGO" for p in actors)
        return found == bool(wanted)
    if key == "actor_foreign":
        theirs = {r.actor.country for r in recipients if r.actor.country}
        ours = {a.actor.country for a in actors if a.actor.country}
        return (bool(theirs) and bool(ours - theirs)) == bool(wanted)
    if key == "has_recipient":
        return bool(recipients) == bool(wanted)
    if key == "actor_state":
        return any(is_state_actor(p) for p in actors) == bool(wanted)
    if key == "actor_people":
        people = bool(actors) and all(p.actor.sector in _PEOPLE_SECTORS for p in actors)
        return people == bool(wanted)
    if key == "actor_nonstate":
        nonstate = bool(actors) and not any(is_state_actor(p) for p in actors)
        return nonstate == bool(wanted)
    return False


def coding_for(
    match: TriggerMatch,
    actors: list[Participant],
    recipients: list[Participant],
    subject_words: frozenset[str],
) -> Coding:
    """The rule's coding, or the first alternative whose conditions all hold."""
    for alternative in match.rule.alternatives:
        if all(
            _holds(key, wanted, match, actors, recipients, subject_words)
            for key, wanted in alternative.when.items()
        ):
            return alternative.coding
    return match.rule.coding


# Plural heads of people who meet one another: "OSCE foreign ministers met in Skopje",
# "chiefs of general staff of the Adriatic Charter countries met in Podgorica".
_MEETING_PEOPLE = frozenset(
    {"minister", "leader", "chief", "head", "negotiator", "official", "representative",
     "diplomat", "envoy", "delegate", "delegation", "president", "premier", "commander",
     "counterpart", "mayor", "lawmaker", "parliamentarian", "ambassador"}
)  # fmt: skip


def participant_count(actors: list[Participant], recipients: list[Participant], doc: Doc) -> int:
    """How many parties an event has, for a rule's ``min_participants``: a lone plural of
    officials ("the defence ministers of the region met") is several who meet each other."""
    count = len(actors) + len(recipients)
    if count == 1:
        head = doc[(actors or recipients)[0].token]
        if head.tag_ == "NNS" and head.lemma_.lower() in _MEETING_PEOPLE:
            return 2
    return count
