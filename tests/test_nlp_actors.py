"""pw_actors: persons, organisations, countries and groups, found beyond NER's labels."""

from __future__ import annotations

import itertools
import json
from datetime import date

import pytest
from spacy.language import Language

from conftest import shared_file
from nlp_actor_fakes import TinyPipeline, base_pipeline
from pactwatch.documents.normalize import normalize_text
from pactwatch.documents.stray import remove_stray_lines
from pactwatch.nlp.components import actors  # noqa: F401  (registers pw_actors)
from pactwatch.nlp.components.phrase_index import PhraseIndex, fold_chars, word_spans
from pactwatch.nlp.records import ActorMention


@pytest.fixture(scope="module")
def nlp() -> Language:
    return base_pipeline()


@pytest.fixture(scope="module")
def tiny(nlp: Language) -> TinyPipeline:
    return TinyPipeline(nlp)


@pytest.fixture(scope="module")
def real(nlp: Language) -> Language:
    """The English pipeline with pw_actors over the bundled knowledge."""
    pipeline = base_pipeline()
    pipeline.add_pipe("pw_actors")
    return pipeline


def seed_text() -> str:
    """The seed article as the documents stage leaves it (stray headline removed)."""
    raw = shared_file("corpus/seed-article.txt").read_text(encoding="utf-8")
    return remove_stray_lines(normalize_text(raw).text, title=None).text


@pytest.fixture(scope="module")
def seed_mentions(real: Language) -> list[ActorMention]:
    return list(real(seed_text())._.pw_mentions)


def by_text(mentions: list[ActorMention], text: str) -> list[ActorMention]:
    return [m for m in mentions if m.text == text]


# The matcher -------------------------------------------------------------------------------


def test_fold_chars_keeps_offsets_and_drops_diacritics() -> None:
    text = "Nebojša Stefanović, Đurić and Kosovo’s “ally” – Gërvalla"
    folded = fold_chars(text)
    assert len(folded) == len(text)
    assert folded == "Nebojsa Stefanovic, Duric and Kosovo's “ally” - Gervalla"


def test_word_spans_keep_dotted_abbreviations_whole() -> None:
    text = "U.S.-led and U.S.is Kosovo's"
    words = [text[s:e] for s, e in word_spans(text)]
    assert words == ["U.S.", "-", "led", "and", "U.S.", "is", "Kosovo", "'", "s"]


def test_phrase_index_case_rules(nlp: Language) -> None:
    index = PhraseIndex(nlp.vocab)
    index.add("country:USA", ["US"], "exact")
    index.add("org:nato", ["NATO"], "not_lower")
    index.add("person:hill", ["Hill"], "capitalised")
    text = "us and US, nato, Nato and NATO; a hill and Mr Hill"
    found = [(h.text, h.key) for h in index.find(text)]
    assert found == [
        ("US", "country:USA"),
        ("Nato", "org:nato"),
        ("NATO", "org:nato"),
        ("Hill", "person:hill"),
    ]


# Countries, demonyms, organisations -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "code"),
    [
        ("talks with kosovo on security", "kosovo", "XKX"),
        ("Enhancing Kosovos Security Framework", "Kosovos", "XKX"),
        ("reinforcing Kosovo’s security", "Kosovo", "XKX"),
        ("the partnership with the United states stands", "United states", "USA"),
        ("the role of U.S. support", "U.S.", "USA"),
        ("U.S.-led training programs", "U.S.", "USA"),
        ("Leveraging US Military Expertise", "US", "USA"),
        ("the backing of america matters", "america", "USA"),
        ("between American and Kosovar societies", "Kosovar", "XKX"),
        ("American support matters", "American", "USA"),
    ],
)
def test_country_forms(tiny: TinyPipeline, text: str, written: str, code: str) -> None:
    mentions = tiny(text, upto="actors")._.pw_mentions
    found = by_text(mentions, written)
    assert len(found) == 1
    assert (found[0].kind, found[0].country, found[0].sector) == ("country", code, None)


def test_the_pronoun_us_is_no_country(tiny: TinyPipeline) -> None:
    mentions = tiny("They told us that the plan was ready.", upto="actors")._.pw_mentions
    assert mentions == []


def test_demonym_before_a_known_mission_is_the_mission(tiny: TinyPipeline) -> None:
    doc = tiny("He met the head of the american mission to NATO on Monday.", upto="actors")
    [mention] = doc._.pw_mentions
    assert mention.text == "american mission to NATO"
    assert (mention.kind, mention.entity_name) == ("organisation", "United States Mission to NATO")
    assert (mention.country, mention.sector) == ("USA", "GOV")


def test_abbreviations_are_organisations_with_country_and_sector(tiny: TinyPipeline) -> None:
    doc = tiny("KFOR trained with the KSF and NATO.", upto="actors")
    found = {m.text: (m.kind, m.entity_name, m.country, m.sector) for m in doc._.pw_mentions}
    assert found == {
        "KFOR": ("organisation", "Kosovo Force", "IGO", "IGO"),
        "KSF": ("organisation", "Kosovo Security Force", "XKX", "MIL"),
        "NATO": ("igo", "North Atlantic Treaty Organization", "IGO", "IGO"),
    }


def test_regional_abbreviations_beat_the_country_codes_they_spell(real: Language) -> None:
    # "KP" is ISO 3166's North Korea and "RS" Serbia's code, but the region's press writes
    # them for Kosovo Police and Republika Srpska.
    doc = real("The KP questioned two officials of the RS in Zvečan.")
    found = {m.text: (m.entity_name, m.country) for m in doc._.pw_mentions}
    assert found["KP"] == ("Kosovo Police", "XKX")
    assert found["RS"] == ("Republika Srpska", "BIH")


def test_people_acting_for_a_body_or_a_state(tiny: TinyPipeline) -> None:
    text = "KFOR troops and Serbian soldiers watched as Kosovo Serbs blocked roads."
    found = [
        (m.text, m.kind, m.entity_name, m.country, m.sector)
        for m in tiny(text, upto="actors")._.pw_mentions
    ]
    assert found == [
        ("KFOR troops", "group", "Kosovo Force", "IGO", "MIL"),
        ("Serbian soldiers", "group", "Serbia", "SRB", "MIL"),
        ("Kosovo Serbs", "group", "Kosovo Serbs", "XKX", "CVL"),
    ]


def test_unnamed_groups(tiny: TinyPipeline) -> None:
    text = (
        "In Kosovo, protesters gathered outside the police station. "
        "Masked gunmen opened fire on police."
    )
    found = [(m.text, m.kind, m.country, m.sector) for m in tiny(text, upto="actors")._.pw_mentions]
    assert found == [
        ("Kosovo", "country", "XKX", None),
        ("protesters", "group", "XKX", "CVL"),  # the country of the sentence
        ("Masked gunmen", "group", None, "REB"),  # attackers: the noun tells no side
        ("police", "group", "XKX", "COP"),  # the country the document names most
    ]


def test_unknown_organisation_takes_the_country_named_inside(tiny: TinyPipeline) -> None:
    doc = tiny("Veterans of the Kosovo Liberation Army marched.", upto="actors")
    [mention] = doc._.pw_mentions
    assert (mention.text, mention.kind, mention.country) == (
        "Kosovo Liberation Army",
        "organisation",
        "XKX",
    )


def test_capital_standing_for_its_state(tiny: TinyPipeline) -> None:
    doc = tiny("Belgrade asked KFOR to allow Serbian soldiers to return.", upto="actors")
    belgrade = by_text(doc._.pw_mentions, "Belgrade")
    assert [(m.kind, m.entity_name, m.country) for m in belgrade] == [("country", "Serbia", "SRB")]
    doc = tiny("Vučić spoke in Belgrade on Monday.", upto="actors")
    assert by_text(doc._.pw_mentions, "Belgrade") == []


def test_ethnic_group(tiny: TinyPipeline) -> None:
    doc = tiny("Kosovo Serbs blocked the roads.", upto="actors")
    [mention] = doc._.pw_mentions
    assert (mention.kind, mention.entity_name, mention.country, mention.sector) == (
        "group",
        "Kosovo Serbs",
        "XKX",
        "CVL",
    )


# Persons ------------------------------------------------------------------------------------


def test_known_person_without_diacritics_takes_the_office_held_that_day(
    tiny: TinyPipeline,
) -> None:
    text = "Nebojsa Stefanovic visited the base."
    on_2021 = tiny(text, date(2021, 6, 1), upto="actors")._.pw_mentions[0]
    assert (on_2021.entity_name, on_2021.country, on_2021.sector) == (
        "Nebojša Stefanović",
        "SRB",
        "GOV",
    )
    assert on_2021.other_sectors == ["MIL"]
    on_2019 = tiny(text, date(2019, 6, 1), upto="actors")._.pw_mentions[0]
    assert on_2019.other_sectors == ["COP"]  # then Minister of Internal Affairs
    undated = tiny(text, upto="actors")._.pw_mentions[0]
    assert undated.other_sectors == ["MIL"]  # the latest office


def test_unknown_person_keeps_the_name_as_written(tiny: TinyPipeline) -> None:
    doc = tiny("Dragiša Milović told reporters the decision was wrong.", upto="actors")
    [mention] = [m for m in doc._.pw_mentions if m.kind == "person"]
    assert (mention.kind, mention.entity_name, mention.country) == (
        "person",
        "Dragiša Milović",
        None,
    )


def test_name_beside_a_title_is_a_person_even_when_ner_misses_it(tiny: TinyPipeline) -> None:
    text = (
        "In a significant engagement, Kosovo’s Minister of Defense, Armend Zemaj, held a meeting."
    )
    persons = [m for m in tiny(text, upto="actors")._.pw_mentions if m.kind == "person"]
    assert [m.text for m in persons] == ["Armend Zemaj"]


def test_title_makes_a_person_of_what_ner_called_an_organisation(tiny: TinyPipeline) -> None:
    doc = tiny("Kurti, the prime minister, said that Prime Minister Osmanaj agreed.", upto="actors")
    persons = [m.text for m in doc._.pw_mentions if m.kind == "person"]
    assert "Osmanaj" in persons


def test_surname_of_a_person_named_in_the_document_is_a_person(tiny: TinyPipeline) -> None:
    text = (
        "Minister of Foreign Affairs Donika Zemaj met the ambassador.\n"
        "Zemaj and US Leadership: Strengthening NATO Ties in Kosovo"
    )
    zemaj = by_text(tiny(text, upto="actors")._.pw_mentions, "Zemaj")
    assert [m.kind for m in zemaj] == ["person"]


def test_a_known_surname_that_is_also_a_dictionary_word_stays_the_known_person(
    real: Language,
) -> None:
    # NER reads "Putin" as a person; WordNet lists "putin" too, so an unknown NER person
    # of that word would be dropped as noise. The knowledge's surname must win.
    mentions = real("Dodik met Putin in Moscow on Tuesday.")._.pw_mentions
    assert [m.kind for m in by_text(mentions, "Putin")] == ["person"]


def test_a_bullet_verb_is_no_person(tiny: TinyPipeline) -> None:
    text = "- Increased Diplomatic Engagement: Foster closer relations with Kosovo’s leadership."
    doc = tiny(text, upto="actors")
    assert [m.text for m in doc._.pw_mentions] == ["Kosovo"]


def test_mentions_are_sorted_non_overlapping_with_sentence_index(tiny: TinyPipeline) -> None:
    doc = tiny("NATO met Serbia. Then KFOR met the KSF in Kosovo.", upto="actors")
    mentions = doc._.pw_mentions
    assert [(m.text, m.sentence) for m in mentions] == [
        ("NATO", 0),
        ("Serbia", 0),
        ("KFOR", 1),
        ("KSF", 1),
        ("Kosovo", 1),
    ]
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))
    assert all((m.phrase_start, m.phrase_end) == (m.start, m.end) for m in mentions)


def test_every_mention_is_json_ready(tiny: TinyPipeline) -> None:
    doc = tiny("Prime Minister Albin Kurti met KFOR.", upto="actors")
    assert json.loads(json.dumps([m.as_json() for m in doc._.pw_mentions]))


# The seed article, with the bundled knowledge ---------------------------------------------


def test_seed_persons(seed_mentions: list[ActorMention]) -> None:
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    full_names = {m.text for m in seed_mentions if m.kind == "person" and " " in m.text}
    assert full_names == {p["name"] for p in gold["persons"]}
    bare = by_text(seed_mentions, "Zemaj")
    assert len(bare) == 5 and all(m.kind == "person" for m in bare)


def test_seed_organisations(seed_mentions: list[ActorMention]) -> None:
    orgs = {
        (m.text, m.entity_name, m.country, m.sector)
        for m in seed_mentions
        if m.kind != "person" and m.kind != "country"
    }
    assert ("NATO", "North Atlantic Treaty Organization", "IGO", "IGO") in orgs
    assert ("KSF", "Kosovo Security Force", "XKX", "MIL") in orgs
    assert ("Kosovo Security Force", "Kosovo Security Force", "XKX", "MIL") in orgs
    missions = [m for m in seed_mentions if m.entity_name == "United States Mission to NATO"]
    assert len(missions) == 8
    assert {(m.text.lower(), m.country, m.sector) for m in missions} == {
        ("american mission to nato", "USA", "GOV")
    }


def test_seed_has_no_noise_persons_or_organisations(seed_mentions: list[ActorMention]) -> None:
    texts = {m.text for m in seed_mentions}
    assert not texts & {"Foster", "Specific", "Joint Initiatives", "Kosovar societies"}
    kosovar = [m for m in seed_mentions if m.text.startswith("Kosovar")]
    assert [(m.text, m.kind, m.country) for m in kosovar] == [
        ("Kosovar", "country", "XKX"),
        ("Kosovar leaders", "group", "XKX"),
    ]
