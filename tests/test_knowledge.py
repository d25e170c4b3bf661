"""Reference knowledge: loading, lookups, the seed article's facts, and data validation."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest
import yaml

from pactwatch.knowledge import DATA_DIR, Knowledge, KnowledgeDataError, load_knowledge
from pactwatch.settings import Settings

OUR_FILES = {
    "countries.yaml",
    "organisations.yaml",
    "office_holders.yaml",
    "persons.yaml",
    "places.yaml",
}
WESTERN_BALKANS = {"XKX", "SRB", "ALB", "MKD", "MNE", "BIH", "HRV", "SVN"}
NATO = {
    "ALB", "BEL", "BGR", "CAN", "HRV", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "ISL", "ITA", "LVA", "LTU", "LUX", "MNE", "NLD", "MKD", "NOR", "POL", "PRT", "ROU", "SVK",
    "SVN", "ESP", "SWE", "TUR", "GBR", "USA",
}  # fmt: skip
EU = {
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
}  # fmt: skip


@pytest.fixture(scope="module")
def kb() -> Knowledge:
    return load_knowledge(())


# Loading --------------------------------------------------------------------------------


def test_load_is_cached_and_covers_the_region(kb: Knowledge) -> None:
    assert load_knowledge(()) is kb
    assert len(kb.countries) >= 70
    assert WESTERN_BALKANS | NATO | EU | {"USA", "GBR", "RUS", "UKR", "CHN", "TUR"} <= set(
        kb.countries
    )
    assert len(NATO) == 32 and len(EU) == 27


def test_every_bundled_file_says_when_it_was_checked(kb: Knowledge) -> None:
    assert set(kb.checked) == OUR_FILES
    assert all(day == date(2026, 11, 27) for day in kb.checked.values())
    assert all(day == date(2025, 6, 30) for day in kb.confirmed_until.values())
    for name in OUR_FILES:
        raw = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
        assert raw["checked"] and raw["confirmed_until"] and raw["sources"].strip(), name


def test_default_call_reads_the_knowledge_dirs_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "extra.yaml", _header() + _EXTRA_PLACE)
    monkeypatch.setattr(
        "pactwatch.settings.get_settings", lambda: Settings(knowledge_dirs=[tmp_path])
    )
    kb = load_knowledge()
    assert [p.name for p in kb.places_named("Testville")] == ["Testville"]


# Countries and peoples ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kosovo", "XKX"),
        ("kosovo", "XKX"),
        ("Kosovo's", "XKX"),
        ("Kosovo’s", "XKX"),
        ("Kosovos", "XKX"),
        ("XK", "XKX"),
        ("KSV", "XKX"),
        ("KV", "XKX"),
        ("KOS", "XKX"),
        ("Kosovar", "XKX"),
        ("Kosova", "XKX"),
        ("U.S.", "USA"),
        ("US", "USA"),
        ("United states", "USA"),
        ("America", "USA"),
        ("american", "USA"),
        ("Americans", "USA"),
        ("Srbija", "SRB"),
        ("Serbian", "SRB"),
        ("Serb", "SRB"),
        ("Shqipëria", "ALB"),
        ("Shqiperia", "ALB"),
        ("Turkey", "TUR"),
        ("UK", "GBR"),
        ("North Macedonia's", "MKD"),
    ],
)
def test_country_by_name_code_alias_and_demonym(kb: Knowledge, text: str, code: str) -> None:
    found = kb.country(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["us", "it", "IT", "Serbs", "Albanians", "Zemaj", "the"])
def test_words_and_peoples_are_not_countries(kb: Knowledge, text: str) -> None:
    assert kb.country(text) is None


def test_kosovo_serbs_are_kosovo_residents_not_serbia(kb: Knowledge) -> None:
    group = kb.ethnic_group("Kosovo Serbs")
    assert group is not None
    assert (group.country, group.sector, group.kin_state) == ("XKX", "CVL", "SRB")
    serbs = kb.ethnic_group("Serbs")
    assert serbs is not None and serbs.country is None and serbs.kin_state == "SRB"


# Organisations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "country", "sector"),
    [
        ("NATO", "nato", "IGO", "IGO"),
        ("Nato's", "nato", "IGO", "IGO"),
        ("KFOR", "kfor", "IGO", "IGO"),
        ("EULEX", "eulex", "EUR", "IGO"),
        ("UNMIK", "unmik", "UNO", "IGO"),
        ("Kosovo Security Force", "kosovo_security_force", "XKX", "MIL"),
        ("KSF", "kosovo_security_force", "XKX", "MIL"),
        ("Kosovo Police", "kosovo_police", "XKX", "COP"),
        ("American mission to NATO", "us_mission_to_nato", "USA", "GOV"),
        ("american mission to NATO", "us_mission_to_nato", "USA", "GOV"),
        ("U.S. Mission to NATO", "us_mission_to_nato", "USA", "GOV"),
        ("BIA", "bia", "SRB", "SPY"),
        ("Vojska Srbije", "serbian_armed_forces", "SRB", "MIL"),
        ("Srpska Lista", "srpska_lista", "XKX", "PTY"),
        ("Vetevendosje", "vetevendosje", "XKX", "PTY"),
        ("Serbian Orthodox Church", "serbian_orthodox_church", "SRB", "REL"),
        ("Iowa National Guard", "iowa_national_guard", "USA", "MIL"),
    ],
)
def test_organisation_lookup(kb: Knowledge, text: str, key: str, country: str, sector: str) -> None:
    found = kb.organisation(text)
    assert found is not None
    assert (found.key, found.country, found.sector) == (key, country, sector)


def test_short_abbreviations_match_only_in_capitals(kb: Knowledge) -> None:
    eu = kb.organisation("EU")
    assert eu is not None and eu.key == "eu"
    assert kb.organisation("eu") is None


def test_every_parent_is_known(kb: Knowledge) -> None:
    keys = {o.key for o in kb.organisations}
    assert all(o.parent in keys for o in kb.organisations if o.parent)


# Offices: the facts the seed article gets wrong --------------------------------------------


@pytest.mark.parametrize(
    ("office", "day", "person"),
    [
        ("XKX:prime_minister", date(2024, 6, 1), "Albin Kurti"),
        ("XKX:prime_minister", date(2025, 6, 1), "Albin Kurti"),
        ("XKX:prime_minister", date(2020, 12, 1), "Avdullah Hoti"),
        ("XKX:minister_foreign_affairs", date(2024, 6, 1), "Donika Gërvalla-Schwarz"),
        ("XKX:minister_foreign_affairs", date(2025, 6, 1), "Donika Gërvalla-Schwarz"),
        ("XKX:minister_defence", date(2022, 1, 1), "Armend Mehaj"),
        ("XKX:minister_defence", date(2023, 8, 7), "Armend Mehaj"),
        ("XKX:minister_defence", date(2023, 8, 8), "Ejup Maqedonci"),
        ("XKX:minister_defence", date(2024, 6, 1), "Ejup Maqedonci"),
        ("XKX:minister_defence", date(2025, 6, 1), "Ejup Maqedonci"),
        ("USA:ambassador_nato", date(2024, 6, 1), "Julianne Smith"),
        ("USA:ambassador_nato", date(2025, 6, 1), "Matthew Whitaker"),
        ("SRB:minister_defence", date(2024, 8, 29), "Bratislav Gašić"),
        ("SRB:minister_defence", date(2021, 6, 1), "Nebojša Stefanović"),
        ("IGO:nato_secretary_general", date(2023, 9, 14), "Jens Stoltenberg"),
        ("EUR:high_representative", date(2023, 9, 14), "Josep Borrell"),
        ("IGO:kfor_commander", date(2023, 10, 10), "Özkan Ulutaş"),
        ("XKX:president", date(2021, 1, 1), "Vjosa Osmani"),
    ],
)
def test_holder_of(kb: Knowledge, office: str, day: date, person: str) -> None:
    holding = kb.holder_of(office, day)
    assert holding is not None and holding.person == person


def test_no_holder_between_terms_or_for_unknown_office(kb: Knowledge) -> None:
    assert kb.holder_of("USA:ambassador_nato", date(2025, 2, 15)) is None
    assert kb.holder_of("XKX:nonexistent", date(2024, 6, 1)) is None


def test_pyatt_never_held_the_nato_post_and_the_record_says_what_he_was(kb: Knowledge) -> None:
    nato = kb.office("USA:ambassador_nato")
    assert nato is not None
    assert "Geoffrey Pyatt" not in {h.person for h in nato.holders}
    pyatt = kb.person("Geoffrey Pyatt")
    assert pyatt is not None
    assert [office.key for office, _ in pyatt.holdings] == [
        "USA:ambassador_ukraine",
        "USA:ambassador_greece",
        "USA:assistant_secretary_energy_resources",
    ]
    assert [o.key for o, _ in kb.holdings_of("Geoffrey Pyatt", date(2024, 6, 1))] == [
        "USA:assistant_secretary_energy_resources"
    ]


@pytest.mark.parametrize(
    ("title", "country"),
    [
        ("Minister of Defense", "XKX"),
        ("minister of defence", "XKX"),
        ("Defence Minister", "KSV"),
        ("acting Minister of Defense", "Kosovo"),
    ],
)
def test_office_for_title(kb: Knowledge, title: str, country: str) -> None:
    assert [o.key for o in kb.office_for_title(title, country)] == ["XKX:minister_defence"]


def test_office_for_title_across_countries_and_for_igos(kb: Knowledge) -> None:
    defence = {o.country for o in kb.office_for_title("defence minister")}
    assert {"XKX", "SRB", "ALB", "MKD", "MNE", "BIH"} <= defence
    us_nato = kb.office_for_title("head of the American mission to NATO", "USA")
    assert [o.key for o in us_nato] == ["USA:ambassador_nato"]
    assert [o.key for o in kb.office_for_title("NATO Secretary General", "IGO")] == [
        "IGO:nato_secretary_general"
    ]
    defence_office = kb.office("XKX:minister_defence")
    assert defence_office is not None
    assert (defence_office.sector, defence_office.other_sectors) == ("GOV", ["MIL"])


# Persons -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Donika Gervalla", "Donika Gërvalla-Schwarz"),
        ("Gervalla-Schwarz", "Donika Gërvalla-Schwarz"),
        ("Gervalla Schwarz", "Donika Gërvalla-Schwarz"),
        ("DONIKA GËRVALLA-SCHWARZ", "Donika Gërvalla-Schwarz"),
        ("Aleksandar Vucic", "Aleksandar Vučić"),
        ("Marko Djuric", "Marko Đurić"),
        ("Xhelal Svecla", "Xhelal Sveçla"),
        ("Ozkan Ulutas", "Özkan Ulutaş"),
        ("Jeff Hovenier", "Jeffrey Hovenier"),
        ("Milan Radoicic", "Milan Radoičić"),
    ],
)
def test_person_by_name_or_alias(kb: Knowledge, text: str, name: str) -> None:
    found = kb.person(text)
    assert found is not None and found.name == name


def test_persons_by_surname(kb: Knowledge) -> None:
    assert {p.name for p in kb.persons_by_surname("Osmani")} == {"Vjosa Osmani", "Bujar Osmani"}
    assert [p.name for p in kb.persons_by_surname("Gërvalla")] == ["Donika Gërvalla-Schwarz"]
    assert [p.name for p in kb.persons_by_surname("Djuric")] == ["Marko Đurić"]
    assert [p.name for p in kb.persons_by_surname("Kurti's")] == ["Albin Kurti"]
    assert kb.persons_by_surname("Zemaj") == []


def test_person_country_follows_the_contract(kb: Knowledge) -> None:
    countries = {
        name: kb.persons[name].country
        for name in ("Albin Kurti", "Jens Stoltenberg", "Josep Borrell", "Julianne Smith")
    }
    assert countries == {
        "Albin Kurti": "XKX",
        "Jens Stoltenberg": "IGO",
        "Josep Borrell": "EUR",
        "Julianne Smith": "USA",
    }


# Places ------------------------------------------------------------------------------------


def test_mitrovica_has_several_candidates(kb: Knowledge) -> None:
    found = kb.places_named("Mitrovica")
    assert len(found) >= 3
    assert {p.name for p in found} >= {"North Mitrovica", "South Mitrovica", "Sremska Mitrovica"}
    assert {p.country for p in found} == {"XKX", "SRB"}


@pytest.mark.parametrize(
    ("text", "name", "kind", "country"),
    [
        ("Kosovo", "Kosovo", "country", "XKX"),
        ("Prishtina", "Pristina", "city", "XKX"),
        ("Priština", "Pristina", "city", "XKX"),
        ("Kosovska Mitrovica", "North Mitrovica", "town", "XKX"),
        ("Zveçan", "Zvečan", "town", "XKX"),
        ("Leposaviq", "Leposavić", "town", "XKX"),
        ("Banjskë", "Banjska", "village", "XKX"),
        ("Jarinjë", "Jarinje", "village", "XKX"),
        ("Đakovica", "Gjakova", "city", "XKX"),
        ("Uroševac", "Ferizaj", "city", "XKX"),
        ("balkans", "Balkans", "region", None),
        ("northern Kosovo", "North Kosovo", "region", "XKX"),
        ("Presevo Valley", "Preševo Valley", "region", "SRB"),
        ("Camp Bondsteel", "Camp Bondsteel", "site", "XKX"),
        ("Des Moines", "Des Moines", "city", "USA"),
    ],
)
def test_places_named(kb: Knowledge, text: str, name: str, kind: str, country: str | None) -> None:
    found = kb.places_named(text)
    assert [(p.name, p.kind, p.country) for p in found] == [(name, kind, country)]


def test_coordinates_lie_in_their_country(kb: Knowledge) -> None:
    # Rough boxes catch a swapped or mistyped coordinate.
    boxes = {
        "XKX": (41.8, 43.3, 20.0, 21.8),
        "SRB": (42.2, 46.2, 18.8, 23.0),
        "ALB": (39.6, 42.7, 19.2, 21.1),
        "MKD": (40.8, 42.4, 20.4, 23.1),
        "BIH": (42.5, 45.3, 15.7, 19.7),
    }
    for place in kb.places:
        if place.country in boxes and place.latitude is not None:
            south, north, west, east = boxes[place.country]
            assert south <= place.latitude <= north, place.name
            assert place.longitude is not None and west <= place.longitude <= east, place.name


# Validation of the bundled data --------------------------------------------------------------


def test_every_holding_is_sourced_ordered_and_confirmed(kb: Knowledge) -> None:
    for office in kb.offices:
        for holding in office.holders:
            assert holding.source.strip(), (office.key, holding.person)
            assert holding.end is None or holding.start <= holding.end, office.key
            assert holding.start <= date(2025, 6, 30), (office.key, holding.person)


def test_no_two_substantive_holders_of_one_office_overlap(kb: Knowledge) -> None:
    for office in kb.offices:
        substantive = sorted((h for h in office.holders if not h.acting), key=lambda h: h.start)
        for earlier, later in itertools.pairwise(substantive):
            assert earlier.end is not None and earlier.end <= later.start, office.key


def test_offices_name_known_countries_sectors_and_lower_case_titles(kb: Knowledge) -> None:
    for office in kb.offices:
        assert office.country in kb.countries or office.country in {"IGO", "EUR", "UNO"}
        assert office.sector in {"GOV", "MIL"}, office.key
        assert office.titles and all(t == t.lower() for t in office.titles), office.key


# Extra knowledge folders -------------------------------------------------------------------------


def test_extra_folder_adds_a_holder_an_alias_and_a_place(tmp_path: Path) -> None:
    # Hypothetical data: closes the current term and adds a successor.
    _write(
        tmp_path / "mine.yaml",
        _header().replace("2025-06-30", "2025-12-31")
        + """
offices:
  - key: "XKX:minister_defence"
    holders:
      - {person: Ejup Maqedonci, start: 2023-08-08, end: 2025-07-01, source: "analyst note"}
      - {person: Test Person, start: 2025-07-01, end: null, source: "analyst note"}
  - key: "SRB:minister_foreign_affairs"
    holders:
      - {person: Marko Djuric, start: 2024-05-02, end: null, source: "same term, other spelling"}
countries:
  - {code: XKX, aliases: ["Dardania"]}
"""
        + _EXTRA_PLACE,
    )
    _write(tmp_path / "roles.yaml", "roles: [{title: minister}]\n")  # another component's data
    kb = load_knowledge([tmp_path])
    assert kb is not load_knowledge(())
    assert kb.checked[str(tmp_path / "mine.yaml")] == date(2026, 11, 27)
    holding = kb.holder_of("XKX:minister_defence", date(2025, 8, 1))
    assert holding is not None and holding.person == "Test Person"
    maqedonci = kb.holder_of("XKX:minister_defence", date(2024, 6, 1))
    assert maqedonci is not None and maqedonci.person == "Ejup Maqedonci"
    assert maqedonci.end == date(2025, 7, 1)
    defence = kb.office("XKX:minister_defence")
    assert defence is not None and len(defence.holders) == 5
    djuric = kb.holder_of("SRB:minister_foreign_affairs", date(2025, 1, 1))
    assert djuric is not None and djuric.person == "Marko Đurić"
    assert djuric.source == "same term, other spelling"
    dardania = kb.country("Dardania")
    assert dardania is not None and dardania.code == "XKX"
    assert [p.country for p in kb.places_named("Testville")] == ["XKX"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("checked: 2026-11-27\nsources: x\nplaces: []\n", "'confirmed_until' must be a date"),
        ("confirmed_until: 2025-06-30\nsources: x\nplaces: []\n", "'checked' must be a date"),
        ("checked: 2026-11-27\nconfirmed_until: 2025-06-30\nplaces: []\n", "'sources'"),
        ("places: [", "cannot be read"),
        (
            "HEADER\nplaces:\n  - {name: Nowhere, kind: town, country: XKX}\n",
            "places entry 1 (Nowhere): a town needs latitude and longitude",
        ),
        (
            "HEADER\nplaces:\n  - {name: Nowhere, kind: town, country: XKX, lat: 1}\n",
            "unknown field 'lat'",
        ),
        (
            "HEADER\norganisations:\n  - {key: x, name: X, kind: igo, country: ZZZ}\n",
            "unknown country code 'ZZZ'",
        ),
        (
            'HEADER\noffices:\n  - key: "XKX:prime_minister"\n    holders:\n'
            '      - {person: Someone Else, start: 2024-01-01, end: null, source: "x"}\n',
            "holders Albin Kurti (2021-03-22 to now) and Someone Else (from 2024-01-01) overlap",
        ),
        (
            'HEADER\noffices:\n  - key: "XKX:spy_chief"\n    holders:\n'
            '      - {person: A, start: 2024-05-01, end: 2024-01-01, source: "x"}\n',
            "ends (2024-01-01) before it starts (2024-05-01)",
        ),
        (
            'HEADER\noffices:\n  - key: "XKX:spy_chief"\n    holders:\n'
            "      - {person: A, start: 2024-05-01, end: null}\n",
            "'source' is required",
        ),
        (
            'HEADER\noffices:\n  - key: "XKX:spy_chief"\n    holders:\n'
            '      - {person: A, start: 2026-01-01, end: null, source: "x"}\n',
            "starts after its file's confirmed_until",
        ),
    ],
)
def test_bad_extra_file_names_the_file_and_the_problem(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    _write(path, body.replace("HEADER\n", _header()))
    with pytest.raises(KnowledgeDataError) as caught:
        load_knowledge([tmp_path])
    message = str(caught.value)
    assert str(path) in message
    assert problem in message
    assert caught.value.reason == "bad_knowledge"


def test_missing_extra_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeDataError, match="does not exist"):
        load_knowledge([tmp_path / "absent"])


def _header() -> str:
    return "checked: 2026-11-27\nconfirmed_until: 2025-06-30\nsources: test data\n"


_EXTRA_PLACE = """
places:
  - {name: Testville, aliases: [], kind: village, country: XKX, latitude: 42.5, longitude: 21.0}
"""


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
