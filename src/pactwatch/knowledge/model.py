"""The records of the reference knowledge: countries, organisations, offices, persons, places.

They are plain dataclasses built once by ``load_knowledge()`` from the YAML files in
``knowledge/data/`` and shared by every caller (the result is cached): treat them as
read-only.

Codes follow the shared contract: states are ISO 3166-1 alpha-3 (Kosovo ``XKX``);
international organisations use PLOVER's non-state codes (``EUR`` for the EU and its
bodies, ``UNO`` for the UN and its missions, ``IGO`` for every other one); sectors are
PLOVER sector codes (``GOV``, ``MIL``, ``COP``, ``LEG``, ``PTY``, ``SPY``, ``REL``, ``CVL``...)
or ``IGO`` for an international organisation itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

OrganisationKind = Literal["igo", "mission", "institution", "group", "ngo"]
PlaceKind = Literal["country", "region", "city", "town", "village", "site"]

ORGANISATION_KINDS: tuple[str, ...] = ("igo", "mission", "institution", "group", "ngo")
PLACE_KINDS: tuple[str, ...] = ("country", "region", "city", "town", "village", "site")
SECTORS: tuple[str, ...] = (
    "GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "SPY", "CVL", "OPP", "BUS", "MED",
    "REL", "UNK", "IGO", "NGO", "EDU", "HLH", "LAB", "REF", "INS",
)  # fmt: skip
NON_STATE_CODES: tuple[str, ...] = ("EUR", "UNO", "IGO", "NGO")


@dataclass(slots=True)
class Country:
    """A state. ``codes`` are its other codes (ISO 3166-1 alpha-2, FIPS, IOC, legacy)."""

    code: str
    name: str
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: str | None = None
    region: str | None = None


@dataclass(slots=True)
class EthnicGroup:
    """A people named by ethnicity ("Kosovo Serbs"), kept apart from the state's adjective.

    ``country`` is where the group lives as residents (XKX for Kosovo Serbs) or None for
    the people at large; ``kin_state`` the state whose majority shares the ethnicity.
    """

    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str = "CVL"
    kin_state: str | None = None


@dataclass(slots=True)
class Organisation:
    """An international organisation, mission, national institution, party or group."""

    key: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kind: OrganisationKind = "institution"
    country: str | None = None
    sector: str | None = None
    parent: str | None = None
    wikidata_id: str | None = None


@dataclass(slots=True)
class Holding:
    """One person's term in one office.

    ``end`` is the day the term ended (the successor's first day), or None when the
    person still held the office on the file's ``confirmed_until`` date; a holding covers
    ``start <= day < end``. ``source`` names where the dates were checked.
    """

    person: str
    start: date
    end: date | None
    source: str
    acting: bool = False
    note: str | None = None

    def covers(self, day: date) -> bool:
        """Whether the person held the office on ``day``."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(slots=True)
class Office:
    """A public office ("XKX:prime_minister") and who held it when.

    ``confirmed_until`` is the latest ``confirmed_until`` of the files that list the
    office: after that day the reference cannot say who holds it. ``wikidata_id`` is the
    office's position item on Wikidata, which the importer maps statements by.
    """

    key: str
    title: str
    country: str
    sector: str
    other_sectors: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    organisation: str | None = None
    holders: list[Holding] = field(default_factory=list)
    wikidata_id: str | None = None
    confirmed_until: date | None = None


@dataclass(slots=True)
class Person:
    """A person of the reference data, with every office they held."""

    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    wikidata_id: str | None = None
    holdings: list[tuple[Office, Holding]] = field(default_factory=list)
    surnames: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True)
class Place:
    """A gazetteer entry; countries come from ``countries.yaml`` as places of kind country."""

    name: str
    aliases: list[str] = field(default_factory=list)
    kind: PlaceKind = "city"
    country: str | None = None
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
