"""One event told several times in a document becomes one ``Event`` with several mentions.

Two records tell of the same event when they have the same event type, modality and
CAMEO family ("040" and "042" agree, "057" and "054" do not), their dates and places do
not disagree, and their participants are compatible: they share an entity name (an
ambiguous bare surname that lists a named participant among its candidates, or is that
participant's surname, counts) and their other participants are not from different
countries, or the same two or more countries take part in both. Records of one
sentence with the same type merge when either has no participants (a second trigger of
the same clause: "engaged with X to discuss").

Merging keeps one ``EventMention`` per sentence, unites actors and recipients, and
settles roles the PLOVER way: a participant that only symmetric wordings place among the
actors ("talks between X and Y") moves to the recipients when another mention directs
the event at that participant's country; an ambiguous surname that stands for a named
participant is dropped in favour of the name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pactwatch.nlp.records import Event, EventActor, EventMention

MENTION_BONUS = 0.05
MAX_CONFIDENCE = 0.95


@dataclass(slots=True)
class EventRecord:
    """An event read from one trigger, with what grouping needs to know about it."""

    event: Event
    sentence: int
    directed: bool  # the wording says who acts on whom (not "talks between X and Y")
    merged_sentences: set[int] = field(default_factory=set)
    directed_actor_keys: set[str] = field(default_factory=set)


def _key(actor: EventActor) -> str:
    return (actor.entity_name or actor.raw_text).casefold()


def _surname(name: str) -> str:
    return name.split()[-1].casefold() if name.split() else ""


def _participants(event: Event) -> list[EventActor]:
    return [*event.actor, *event.recipient]


def same_actor(a: EventActor, b: EventActor) -> bool:
    """Whether two actor records can be the same entity."""
    if _key(a) == _key(b):
        return True
    for one, other in ((a, b), (b, a)):
        if one.ambiguous or len(one.entity_name.split()) == 1:
            names = {c.casefold() for c in one.candidates}
            if other.entity_name.casefold() in names:
                return True
            if (
                len(one.entity_name.split()) == 1
                and len(other.entity_name.split()) > 1
                and _surname(other.entity_name) == one.entity_name.casefold()
            ):
                return True
    return False


def _countries(actors: list[EventActor]) -> set[str]:
    return {a.country for a in actors if a.country}


def compatible(a: EventRecord, b: EventRecord) -> bool:
    """Whether two records can tell of the same event (see the module docstring)."""
    ea, eb = a.event, b.event
    if ea.event != eb.event or ea.modality != eb.modality:
        return False
    if not _cameo_compatible(ea.cameo, eb.cameo):
        return False
    if ea.date and eb.date and ea.date[:7] != eb.date[:7]:
        return False
    if (
        ea.date
        and eb.date
        and "day" in (ea.date_precision, eb.date_precision)
        and (ea.date_precision == eb.date_precision == "day" and ea.date != eb.date)
    ):
        return False
    if (
        ea.event_loc
        and eb.event_loc
        and ea.event_loc.name != eb.event_loc.name
        and (
            ea.event_loc.country != eb.event_loc.country
            or "city" in (ea.event_loc.kind, eb.event_loc.kind)
        )
    ):
        return False
    if a.directed and b.directed and _reversed_roles(ea, eb):
        # "Montenegro expelled the Serbian ambassador, and Serbia responded by expelling
        # Montenegro's": a reply in kind, two events, even though an ambassador's name
        # may be his country's and so look like a shared participant.
        return False
    pa, pb = _participants(ea), _participants(eb)
    if not pa or not pb:
        return a.sentence == b.sentence or bool(a.merged_sentences & b.merged_sentences)
    if any(same_actor(x, y) for x in pa for y in pb):
        # A shared participant is not enough when the others differ: Kurti meeting
        # Stoltenberg and Kurti meeting Borrell are two meetings.
        rest_a = _countries([x for x in pa if not any(same_actor(x, y) for y in pb)])
        rest_b = _countries([y for y in pb if not any(same_actor(x, y) for x in pa)])
        return not (rest_a and rest_b and rest_a.isdisjoint(rest_b))
    ca, cb = _countries(pa), _countries(pb)
    if len(ca) < 2 or ca != cb:
        return False
    if a.directed and b.directed:
        # "Montenegro expelled Serbia's ambassador and Serbia expelled Montenegro's": the
        # same two countries, the roles reversed: two events.
        return bool(_countries(ea.actor) & _countries(eb.actor))
    return True


def _reversed_roles(one: Event, other: Event) -> bool:
    """Whether each event's actors are the other's recipients and no actor is shared."""
    one_actors, other_actors = _countries(one.actor), _countries(other.actor)
    return (
        bool(one_actors and other_actors)
        and one_actors.isdisjoint(other_actors)
        and bool(one_actors & _countries(other.recipient))
        and bool(other_actors & _countries(one.recipient))
    )


def _cameo_compatible(one: str | None, other: str | None) -> bool:
    """Same code, or one is the general code of the other's family ("040" and "042")."""
    if one is None or other is None or one == other:
        return True
    for general, specific in ((one, other), (other, one)):
        if general.endswith("0") and specific.startswith(general[:2]):
            return True
    return False


def _add_unique(target: list[EventActor], actors: list[EventActor]) -> None:
    for actor in actors:
        if not any(_key(actor) == _key(t) for t in target):
            target.append(actor)


def _settle_roles(record: EventRecord) -> None:
    event = record.event
    directed = record.directed_actor_keys
    recipient_countries = _countries(event.recipient)
    directed_actor_countries = {a.country for a in event.actor if _key(a) in directed and a.country}
    keep: list[EventActor] = []
    for actor in event.actor:
        undirected = _key(actor) not in directed
        if undirected and any(same_actor(actor, r) for r in event.recipient):
            continue  # "talks between X and Y" where another mention has "X met Y"
        if (
            undirected
            and actor.country in recipient_countries
            and actor.country not in directed_actor_countries
        ):
            _add_unique(event.recipient, [actor])
            continue
        keep.append(actor)
    event.actor = keep
    # Still on both sides ("X met Y", "the meeting with X"): the actor side wins.
    event.recipient = [r for r in event.recipient if not any(same_actor(r, a) for a in keep)]


def _drop_stand_ins(actors: list[EventActor]) -> list[EventActor]:
    """Drop bare surnames (and repeats) that stand for a fully named actor of the list."""
    out: list[EventActor] = []
    for actor in actors:
        named = [o for o in actors if o is not actor and len(o.entity_name.split()) > 1]
        if (actor.ambiguous or len(actor.entity_name.split()) == 1) and any(
            same_actor(actor, o) for o in named
        ):
            continue
        out.append(actor)
    return out


def merge_into(target: EventRecord, other: EventRecord) -> None:
    """Fold ``other`` into ``target`` (same event told again)."""
    event, more = target.event, other.event
    sentences = {m.sentence_start for m in event.mentions}
    event.mentions.extend(m for m in more.mentions if m.sentence_start not in sentences)
    event.mentions.sort(key=lambda m: m.trigger_start)
    _add_unique(event.actor, more.actor)
    _add_unique(event.recipient, more.recipient)
    if other.directed:
        target.directed_actor_keys |= {_key(a) for a in more.actor}
    target.directed = target.directed or other.directed
    if event.mode is None and more.mode is not None:
        event.mode, event.cameo, event.plover_score = more.mode, more.cameo, more.plover_score
    event.context.extend(c for c in more.context if c not in event.context)
    better_date = event.date is None or (
        event.date_precision != "day" and more.date_precision == "day"
    )
    if better_date and more.date is not None:
        event.date, event.date_precision = more.date, more.date_precision
    event.event_loc = event.event_loc or more.event_loc
    event.areas.extend(a for a in more.areas if a not in event.areas)
    event.confidence = max(event.confidence, more.confidence)
    target.merged_sentences |= other.merged_sentences | {other.sentence}


def group_events(records: list[EventRecord]) -> list[Event]:
    """Merge the records of one document that tell of the same event, in text order."""
    groups: list[EventRecord] = []
    for record in records:
        record.merged_sentences.add(record.sentence)
        if record.directed:
            record.directed_actor_keys = {_key(a) for a in record.event.actor}
        target = next((g for g in groups if compatible(g, record)), None)
        if target is None:
            groups.append(record)
        else:
            merge_into(target, record)
    events: list[Event] = []
    for group in groups:
        _settle_roles(group)
        event = group.event
        event.actor = _drop_stand_ins(event.actor)
        event.recipient = _drop_stand_ins(event.recipient)
        extra = len({m.sentence_start for m in event.mentions}) - 1
        event.confidence = round(min(MAX_CONFIDENCE, event.confidence + MENTION_BONUS * extra), 3)
        event.event_text = event.mentions[0].text if event.mentions else event.event_text
        events.append(event)
    return events


def mention_sentences(event: Event) -> list[EventMention]:
    """The mentions of an event, one per sentence, in text order."""
    return sorted(event.mentions, key=lambda m: m.sentence_start)
