"""grouping: records of one document that tell of the same event become one Event."""

from __future__ import annotations

from pactwatch.nlp.components.grouping import EventRecord, group_events, same_actor
from pactwatch.nlp.records import Event, EventActor, EventMention, Modality


def actor(name: str, country: str | None, **fields: object) -> EventActor:
    return EventActor(raw_text=name, entity_name=name, country=country, sector="GOV", **fields)  # type: ignore[arg-type]


ZEMAJ = actor("Zemaj", None)
DONIKA = actor("Donika Zemaj", "XKX")
ARMEND = actor("Armend Zemaj", "XKX")
HEAD = actor("head of United States Mission to NATO", "USA")
PYATT = actor("Geoffrey Pyatt", "USA")


def record(
    sentence: int,
    actors: list[EventActor],
    recipients: list[EventActor] | None = None,
    *,
    event: str = "CONSULT",
    cameo: str = "040",
    modality: Modality = "factual",
    date: str | None = None,
    directed: bool | None = None,
    confidence: float = 0.6,
) -> EventRecord:
    start = sentence * 100
    mention = EventMention(start, start + 50, start + 5, start + 12, f"sentence {sentence}")
    item = Event(
        event=event,
        cameo=cameo,
        mode=None,
        context=["diplomatic"],
        actor=list(actors),
        recipient=list(recipients or []),
        modality=modality,
        event_text=f"sentence {sentence}",
        mentions=[mention],
        date=date,
        date_precision="day" if date else None,
        confidence=confidence,
    )
    return EventRecord(item, sentence, bool(recipients) if directed is None else directed)


def test_same_actor_matches_names_surnames_and_candidates() -> None:
    assert same_actor(ZEMAJ, DONIKA)
    assert same_actor(actor("Zemaj", "XKX", ambiguous=True, candidates=["Albin Zemaj"]),
                      actor("Albin Zemaj", "XKX"))  # fmt: skip
    assert not same_actor(DONIKA, ARMEND)
    assert not same_actor(HEAD, PYATT)


def test_one_meeting_told_several_times_is_one_event() -> None:
    events = group_events(
        [
            record(0, [DONIKA], [PYATT]),
            record(3, [ARMEND], [HEAD]),
            record(7, [ZEMAJ, HEAD], directed=False),  # "the meeting between Zemaj and the head"
            record(9, [ZEMAJ, HEAD], directed=False),
        ]
    )
    assert len(events) == 1
    event = events[0]
    assert [m.sentence_start for m in event.mentions] == [0, 300, 700, 900]
    assert [a.entity_name for a in event.actor] == ["Donika Zemaj", "Armend Zemaj"]
    assert {r.country for r in event.recipient} == {"USA"}
    assert event.confidence == 0.75  # 0.6 + 3 further sentences x 0.05


def test_symmetric_mentions_alone_keep_every_participant_as_actor() -> None:
    events = group_events([record(0, [DONIKA, HEAD], directed=False),
                           record(2, [DONIKA, HEAD], directed=False)])  # fmt: skip
    assert [a.entity_name for a in events[0].actor] == ["Donika Zemaj", HEAD.entity_name]
    assert events[0].recipient == []


def test_different_types_dates_modalities_and_cameo_families_stay_apart() -> None:
    base = record(0, [DONIKA], [PYATT], date="2023-09-20")
    others = [
        record(1, [DONIKA], [PYATT], event="AGREE", cameo="030"),
        record(2, [DONIKA], [PYATT], date="2023-09-27"),
        record(3, [DONIKA], [PYATT], modality="future"),
    ]
    assert len(group_events([base, *others])) == 4
    signed = record(0, [DONIKA], [PYATT], event="SUPPORT", cameo="057")
    recognised = record(1, [DONIKA], [PYATT], event="SUPPORT", cameo="054")
    assert len(group_events([signed, recognised])) == 2
    visit = record(1, [DONIKA], [PYATT], cameo="042")
    assert len(group_events([record(0, [DONIKA], [PYATT]), visit])) == 1


def test_unrelated_participants_stay_apart() -> None:
    kurti = actor("Albin Kurti", "XKX")
    events = group_events([record(0, [kurti], [actor("Jens Stoltenberg", "IGO")]),
                           record(1, [kurti], [actor("Josep Borrell", "EUR")])])  # fmt: skip
    assert len(events) == 2


def test_a_participant_on_both_sides_stays_an_actor() -> None:
    events = group_events([record(0, [PYATT], [DONIKA]), record(1, [], [PYATT])])
    assert [a.entity_name for a in events[0].actor] == ["Geoffrey Pyatt"]
    assert [r.entity_name for r in events[0].recipient] == ["Donika Zemaj"]


def test_second_trigger_of_a_sentence_without_participants_merges() -> None:
    events = group_events([record(0, [DONIKA], [PYATT]), record(0, [])])
    assert len(events) == 1 and len(events[0].mentions) == 1


def test_a_reply_in_kind_with_roles_reversed_stays_apart() -> None:
    # "Montenegro expelled Serbia's ambassador, and Serbia responded by expelling
    # Montenegro's": an ambassador named by his country looks like a shared participant.
    montenegro, serbia = actor("Montenegro", "MNE"), actor("Serbia", "SRB")
    events = group_events(
        [
            record(0, [montenegro], [serbia], event="SANCTION", cameo="166"),
            record(0, [serbia], [montenegro], event="SANCTION", cameo="166"),
        ]
    )
    assert [([a.country for a in e.actor], [r.country for r in e.recipient]) for e in events] == [
        (["MNE"], ["SRB"]),
        (["SRB"], ["MNE"]),
    ]
