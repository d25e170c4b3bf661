"""``load_knowledge()``: read the bundled knowledge files and any extra folders, merged.

Files are read in order: the bundled ``knowledge/data/*.yaml`` (sorted by name), then each
extra folder's ``*.yaml`` (sorted). Entries are merged by key: a later entry with the key
of an earlier one adds its list items (aliases, titles, holders...) and replaces the
single-valued fields it gives, so an analyst's file can add a holder to an existing
office or an alias to a country without copying the entry; a holding of the same person
with the same start replaces the earlier one (to close a term or correct it). Within one
file a key may appear once.

After merging, the whole is checked: codes and sectors are known, organisations and
parents exist, no two substantive holders of one office overlap (mark a holding
``acting: true`` where two really did), no holding starts after its file's
``confirmed_until``, and towns have coordinates. Any problem raises
``KnowledgeDataError`` naming the file and entry.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

from pactwatch.knowledge.lookup import Knowledge
from pactwatch.knowledge.model import (
    NON_STATE_CODES,
    ORGANISATION_KINDS,
    PLACE_KINDS,
    SECTORS,
    Country,
    EthnicGroup,
    Holding,
    Office,
    Organisation,
    OrganisationKind,
    Person,
    Place,
    PlaceKind,
)
from pactwatch.knowledge.reading import SECTIONS, KnowledgeDataError, read_knowledge_file
from pactwatch.knowledge.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
_LIST_FIELDS = {"aliases", "codes", "demonyms", "titles", "other_sectors", "surnames"}
_COORDINATES_REQUIRED = ("city", "town", "village", "site")

__all__ = [
    "DATA_DIR",
    "Country",
    "EthnicGroup",
    "Holding",
    "Knowledge",
    "KnowledgeDataError",
    "Office",
    "Organisation",
    "Person",
    "Place",
    "load_knowledge",
]


def load_knowledge(extra_dirs: Iterable[Path] | None = None) -> Knowledge:
    """The reference knowledge: bundled data merged with ``extra_dirs`` (cached).

    ``extra_dirs`` None means the ``knowledge_dirs`` setting. The result is built once per
    set of folders and shared: do not change it.
    """
    if extra_dirs is None:
        from pactwatch.settings import get_settings

        extra_dirs = get_settings().knowledge_dirs
    return _load(tuple(Path(d) for d in extra_dirs))


@cache
def _load(extra_dirs: tuple[Path, ...]) -> Knowledge:
    files = [(path, path.name) for path in sorted(DATA_DIR.glob("*.yaml"))]
    for folder in extra_dirs:
        if not folder.is_dir():
            raise KnowledgeDataError(f"knowledge folder {folder} does not exist")
        files.extend((path, str(path)) for path in sorted(folder.glob("*.yaml")))
    merged: dict[str, dict[Any, dict[str, Any]]] = {section: {} for section in SECTIONS}
    checked: dict[str, date] = {}
    confirmed: dict[str, date] = {}
    for path, label in files:
        knowledge_file = read_knowledge_file(path, label)
        if knowledge_file is None:
            continue
        checked[label] = knowledge_file.checked
        confirmed[label] = knowledge_file.confirmed_until
        seen: set[Any] = set()
        for section, entries in knowledge_file.sections.items():
            for entry in entries:
                for holding in entry.get("holders", []):
                    holding["__confirmed__"] = knowledge_file.confirmed_until
                if section == "offices":
                    entry["__confirmed__"] = knowledge_file.confirmed_until
                key = _entry_key(section, entry)
                if (section, key) in seen:
                    raise KnowledgeDataError(f"{entry['__origin__']}: appears twice in this file")
                seen.add((section, key))
                _merge_into(merged[section], key, entry)
    return _build(merged, checked, confirmed)


def _entry_key(section: str, entry: dict[str, Any]) -> Any:
    if section == "countries":
        return str(entry["code"]).upper()
    if section == "places":
        return (fold(entry["name"]), entry.get("country"))
    if section in ("persons", "ethnic_groups"):
        return fold(entry["name"])
    return entry["key"]


def _merge_into(table: dict[Any, dict[str, Any]], key: Any, entry: dict[str, Any]) -> None:
    if key not in table:
        table[key] = dict(entry)
        return
    target = table[key]
    target["__origin__"] = f"{target['__origin__']}; {entry['__origin__']}"
    for name, value in entry.items():
        if name == "__origin__":
            continue
        if name == "__confirmed__":  # an office is confirmed as far as its latest file
            target[name] = max(target.get(name, value), value)
            continue
        if name in _LIST_FIELDS:
            target[name] = list(dict.fromkeys([*target.get(name, []), *value]))
        elif name == "holders":
            target[name] = [*target.get(name, []), *value]
        elif value is not None:
            target[name] = value


def _need(entry: dict[str, Any], name: str) -> Any:
    value = entry.get(name)
    if value is None:
        raise KnowledgeDataError(f"{entry['__origin__']}: '{name}' is required")
    return value


def _build(
    merged: dict[str, dict[Any, dict[str, Any]]],
    checked: dict[str, date],
    confirmed: dict[str, date],
) -> Knowledge:
    countries = {code: _country(e) for code, e in merged["countries"].items()}

    def state(entry: dict[str, Any], name: str, non_state: bool = False) -> str | None:
        code = entry.get(name)
        if code is None or code in countries or (non_state and code in NON_STATE_CODES):
            return cast("str | None", code)
        raise KnowledgeDataError(f"{entry['__origin__']}: unknown country code {code!r}")

    def sector(entry: dict[str, Any], value: str | None) -> str | None:
        if value is None or value in SECTORS:
            return value
        raise KnowledgeDataError(f"{entry['__origin__']}: unknown sector {value!r}")

    groups = [
        EthnicGroup(
            name=e["name"],
            aliases=e.get("aliases", []),
            country=state(e, "country"),
            sector=sector(e, e.get("sector")) or "CVL",
            kin_state=state(e, "kin_state"),
        )
        for e in merged["ethnic_groups"].values()
    ]
    organisations = []
    for e in merged["organisations"].values():
        kind = _need(e, "kind")
        if kind not in ORGANISATION_KINDS:
            raise KnowledgeDataError(f"{e['__origin__']}: unknown kind {kind!r}")
        organisations.append(
            Organisation(
                key=e["key"],
                name=_need(e, "name"),
                aliases=e.get("aliases", []),
                kind=cast(OrganisationKind, kind),
                country=state(e, "country", non_state=True),
                sector=sector(e, e.get("sector")),
                parent=e.get("parent"),
                wikidata_id=e.get("wikidata_id"),
            )
        )
    known_keys = {o.key for o in organisations}
    for o, e in zip(organisations, merged["organisations"].values(), strict=True):
        if o.parent is not None and o.parent not in known_keys:
            raise KnowledgeDataError(f"{e['__origin__']}: unknown parent {o.parent!r}")
    canonical = {
        fold(n): e["name"]
        for e in merged["persons"].values()
        for n in [*e.get("aliases", []), e["name"]]
    }
    offices = [_office(e, state, sector, known_keys, canonical) for e in merged["offices"].values()]
    persons = _persons(merged["persons"], offices, state)
    places = [_country_place(c) for c in countries.values()]
    places.extend(_place(e, state) for e in merged["places"].values())
    return Knowledge(
        countries=countries,
        organisations=organisations,
        offices=offices,
        persons=persons,
        places=places,
        ethnic_groups=groups,
        checked=checked,
        confirmed_until=confirmed,
    )


def _country(e: dict[str, Any]) -> Country:
    code = str(e["code"]).upper()
    if len(code) != 3 or not code.isalpha():
        raise KnowledgeDataError(f"{e['__origin__']}: 'code' must be ISO 3166-1 alpha-3")
    return Country(
        code=code,
        name=_need(e, "name"),
        aliases=e.get("aliases", []),
        codes=[c.upper() for c in e.get("codes", [])],
        demonyms=e.get("demonyms", []),
        capital=e.get("capital"),
        region=e.get("region"),
    )


def _office(
    e: dict[str, Any],
    state: Any,
    sector: Any,
    organisations: set[str],
    canonical: dict[str, str],
) -> Office:
    organisation = e.get("organisation")
    if organisation is not None and organisation not in organisations:
        raise KnowledgeDataError(f"{e['__origin__']}: unknown organisation {organisation!r}")
    # A later holding of the same person and start replaces an earlier one, so an extra
    # file can close a term ("end: 2025-09-01") or correct it; any listed spelling counts.
    latest: dict[tuple[str, Any], dict[str, Any]] = {}
    for h in e.get("holders", []):
        if h["start"] > h["__confirmed__"]:
            raise KnowledgeDataError(
                f"{h['__origin__']}: starts after its file's confirmed_until ({h['__confirmed__']})"
            )
        person = canonical.get(fold(h["person"]), h["person"])
        latest[(person, h["start"])] = {**h, "person": person}
    holders = []
    for h in latest.values():
        holders.append(
            Holding(
                person=h["person"],
                start=h["start"],
                end=h.get("end"),
                source=h["source"],
                acting=bool(h.get("acting", False)),
                note=h.get("note"),
            )
        )
    holders.sort(key=lambda h: h.start)
    _check_no_overlap(e, holders)
    _need(e, "title")
    return Office(
        key=e["key"],
        title=e["title"],
        country=cast(str, state(e, "country", non_state=True) or _need(e, "country")),
        sector=sector(e, _need(e, "sector")),
        other_sectors=[sector(e, s) for s in e.get("other_sectors", [])],
        titles=[t.lower() for t in e.get("titles", [])],
        organisation=organisation,
        holders=holders,
        wikidata_id=e.get("wikidata_id"),
        confirmed_until=e["__confirmed__"],
    )


def _check_no_overlap(e: dict[str, Any], holders: list[Holding]) -> None:
    substantive = [h for h in holders if not h.acting]
    for earlier, later in itertools.pairwise(substantive):
        if earlier.end is None or earlier.end > later.start:
            raise KnowledgeDataError(
                f"{e['__origin__']}: holders {earlier.person} ({earlier.start} to "
                f"{earlier.end or 'now'}) and {later.person} (from {later.start}) overlap; "
                "mark one 'acting: true' if both really held the office"
            )


def _persons(
    entries: dict[Any, dict[str, Any]], offices: list[Office], state: Any
) -> dict[str, Person]:
    persons: dict[str, Person] = {}
    for e in entries.values():
        persons[e["name"]] = Person(
            name=e["name"],
            aliases=e.get("aliases", []),
            country=state(e, "country", non_state=True),
            wikidata_id=e.get("wikidata_id"),
            surnames=e.get("surnames", []),
            note=e.get("note"),
        )
    # A holding may name its person by any listed spelling ("Marko Djuric").
    by_key = {fold(n): p for p in persons.values() for n in [*p.aliases, p.name]}
    for office in offices:
        for holding in office.holders:
            person = by_key.get(fold(holding.person))
            if person is None:
                person = Person(name=holding.person)
                persons[holding.person] = by_key[fold(holding.person)] = person
            holding.person = person.name  # the canonical spelling
            person.holdings.append((office, holding))
    for person in persons.values():
        person.holdings.sort(key=lambda pair: pair[1].start)
        if person.country is None and person.holdings:
            person.country = person.holdings[-1][0].country
        if not person.surnames:
            person.surnames = _derived_surnames(person)
    return persons


def _derived_surnames(person: Person) -> list[str]:
    """The last word of the name, its hyphen parts, and one-word aliases ("Djuric")."""
    last = person.name.split()[-1]
    surnames = [last, *last.split("-")] if "-" in last else [last]
    surnames.extend(alias for alias in person.aliases if len(alias.split()) == 1)
    return list(dict.fromkeys(surnames))


def _country_place(country: Country) -> Place:
    return Place(
        name=country.name,
        aliases=list(country.aliases),
        kind="country",
        country=country.code,
        region=country.region,
    )


def _place(e: dict[str, Any], state: Any) -> Place:
    kind = _need(e, "kind")
    if kind not in PLACE_KINDS:
        raise KnowledgeDataError(f"{e['__origin__']}: unknown kind {kind!r}")
    latitude, longitude = e.get("latitude"), e.get("longitude")
    if kind in _COORDINATES_REQUIRED and (latitude is None or longitude is None):
        raise KnowledgeDataError(f"{e['__origin__']}: a {kind} needs latitude and longitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise KnowledgeDataError(f"{e['__origin__']}: latitude {latitude} is out of range")
    if longitude is not None and not -180 <= longitude <= 180:
        raise KnowledgeDataError(f"{e['__origin__']}: longitude {longitude} is out of range")
    return Place(
        name=e["name"],
        aliases=e.get("aliases", []),
        kind=cast(PlaceKind, kind),
        country=state(e, "country"),
        region=e.get("region"),
        latitude=latitude,
        longitude=longitude,
        geonames_id=e.get("geonames_id"),
    )
