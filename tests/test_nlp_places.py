"""pw_places: places from the gazetteer and NER, ambiguous names resolved from context."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from conftest import shared_file
from nlp_actor_fakes import TinyPipeline, base_pipeline
from pactwatch.documents.normalize import normalize_text
from pactwatch.documents.stray import remove_stray_lines
from pactwatch.nlp.components import actors, names, places, roles  # noqa: F401  (factories)
from pactwatch.nlp.records import PlaceMention


@pytest.fixture(scope="module")
def tiny() -> TinyPipeline:
    return TinyPipeline(base_pipeline())


@pytest.fixture(scope="module")
def real() -> Language:
    nlp = base_pipeline()
    for name in ("pw_actors", "pw_roles", "pw_names", "pw_places"):
        nlp.add_pipe(name)
    return nlp


@pytest.fixture(scope="module")
def seed_doc(real: Language) -> Doc:
    raw = shared_file("corpus/seed-article.txt").read_text(encoding="utf-8")
    return real(remove_stray_lines(normalize_text(raw).text, title=None).text)


def found(doc: Doc) -> list[tuple[str, str, str | None]]:
    return [(p.text, p.name, p.country) for p in doc._.pw_places]


def only_place(doc: Doc) -> PlaceMention:
    [place] = doc._.pw_places
    return place


# Tiny gazetteer -------------------------------------------------------------------------------


def test_countries_regions_and_towns(tiny: TinyPipeline) -> None:
    doc = tiny("From Prishtina to kosovo’s north and the balkans, via Kosovos border.")
    assert found(doc) == [
        ("Prishtina", "Pristina", "XKX"),
        ("kosovo", "Kosovo", "XKX"),
        ("balkans", "Balkans", None),
        ("Kosovos", "Kosovo", "XKX"),
    ]
    town = doc._.pw_places[0]
    assert (town.kind, town.latitude, town.longitude) == ("city", 42.66, 21.17)
    assert [p.kind for p in doc._.pw_places[1:]] == ["country", "region", "country"]


def test_codes_only_in_capitals(tiny: TinyPipeline) -> None:
    doc = tiny("They told us about U.S. plans and US troops.")
    assert found(doc) == [("U.S.", "United States", "USA"), ("US", "United States", "USA")]


def test_demonyms_and_organisations_are_not_places(tiny: TinyPipeline) -> None:
    doc = tiny("American support for the Kosovo Security Force and Kosovar institutions grew.")
    assert found(doc) == []


def test_a_persons_surname_is_never_a_place(tiny: TinyPipeline) -> None:
    text = (
        "Kosovo’s Minister of Defense, Armend Zemaj, held a meeting.\n"
        "Zemaj and US Leadership: Strengthening NATO Ties in Kosovo"
    )
    doc = tiny(text)
    assert "Zemaj" not in [p.text for p in doc._.pw_places]
    assert [p.text for p in doc._.pw_places] == ["Kosovo", "US", "Kosovo"]


def test_ambiguous_name_with_a_qualifier(tiny: TinyPipeline) -> None:
    place = only_place(tiny("Protesters gathered in northern Mitrovica on Monday."))
    assert (place.text, place.name, place.country, place.ambiguous) == (
        "Mitrovica",
        "North Mitrovica",
        "XKX",
        False,
    )
    assert (place.latitude, place.longitude) == (42.89, 20.87)


def test_ambiguous_name_resolved_by_the_sentences_country(tiny: TinyPipeline) -> None:
    doc = tiny("Farmers in Mitrovica, Serbia, protested on Monday.")
    mitrovica = doc._.pw_places[0]
    assert (mitrovica.name, mitrovica.country, mitrovica.ambiguous) == (
        "Sremska Mitrovica",
        "SRB",
        False,
    )


def test_ambiguous_name_left_ambiguous(tiny: TinyPipeline) -> None:
    doc = tiny("Police reinforced patrols in Mitrovica, Kosovo, on Monday.")
    mitrovica = doc._.pw_places[0]
    assert mitrovica.ambiguous is True
    assert mitrovica.candidates == ["North Mitrovica (XKX)", "South Mitrovica (XKX)"]
    assert (mitrovica.name, mitrovica.country) == ("Mitrovica", "XKX")
    assert mitrovica.latitude is None


def test_ambiguous_name_resolved_by_the_documents_country(tiny: TinyPipeline) -> None:
    text = "Serbia raised its alert. Belgrade and Serbia's army moved. Farmers met in Mitrovica."
    mitrovica = next(p for p in tiny(text)._.pw_places if p.text == "Mitrovica")
    assert (mitrovica.name, mitrovica.ambiguous) == ("Sremska Mitrovica", False)


def test_ner_place_outside_the_gazetteer(tiny: TinyPipeline) -> None:
    place = only_place(tiny("The envoys met in Geneva on Tuesday."))
    assert (place.text, place.name, place.kind, place.country) == ("Geneva", "Geneva", "city", None)


def test_places_are_sorted_with_sentence_index(tiny: TinyPipeline) -> None:
    doc = tiny("NATO met in Pristina. Then Belgrade hosted talks with Kosovo.")
    assert [(p.text, p.sentence) for p in doc._.pw_places] == [
        ("Pristina", 0),
        ("Belgrade", 1),
        ("Kosovo", 1),
    ]
    assert json.loads(json.dumps([p.as_json() for p in doc._.pw_places]))


# Bundled gazetteer --------------------------------------------------------------------------


def test_seed_places_and_their_written_forms(seed_doc: Doc) -> None:
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    by_name: dict[str, set[str]] = {}
    for place in seed_doc._.pw_places:
        by_name.setdefault(place.name, set()).add(place.text)
    assert set(by_name) == {"Kosovo", "United States", "Balkans"}
    demonyms = {
        m.text for m in seed_doc._.pw_mentions if m.kind == "country" or m.kind == "organisation"
    }
    for expected in gold["places"]:
        written = by_name[expected["name"]]
        assert expected["name"] in written
        for alias in expected["aliases_in_text"]:
            if alias in ("Kosovar", "American"):
                # A demonym names the country as an actor, never as a place.
                assert alias not in written and alias in demonyms
            elif alias == "america":
                # Only inside "the american mission to NATO": an actor, not a place.
                assert any(t.lower().startswith("american") for t in demonyms)
            else:
                assert alias in written, alias
    kosovo = [p for p in seed_doc._.pw_places if p.name == "Kosovo"]
    assert all((p.kind, p.country) == ("country", "XKX") for p in kosovo)
    assert [p.kind for p in seed_doc._.pw_places if p.name == "Balkans"] == ["region"] * 4


def test_mitrovica_in_a_demo_article(real: Language) -> None:
    text = (
        "MITROVICA, 12 February (Prishtina Observer) - Several thousand Kosovo Serbs rallied "
        "peacefully in North Mitrovica on Monday.\nThe protest filled the main square in the "
        "northern part of the divided city."
    )
    doc = real(text)
    assert [(p.text, p.name, p.ambiguous) for p in doc._.pw_places] == [
        ("MITROVICA", "MITROVICA", True),
        ("North Mitrovica", "North Mitrovica", False),
    ]
    assert doc._.pw_places[0].candidates == ["North Mitrovica (XKX)", "South Mitrovica (XKX)"]


def test_the_north_of_a_kosovo_text_is_north_kosovo(real: Language) -> None:
    doc = real("Kosovo police said barricades were still up in the north on Monday.")
    assert ("north", "North Kosovo", "XKX") in found(doc)
    assert not any(
        p.text == "north" for p in real("Police patrolled the north of Serbia.")._.pw_places
    )
