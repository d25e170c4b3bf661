"""``Knowledge``: the loaded reference data and every lookup the NLP components use.

All lookups are case- and diacritics-insensitive through ``text.fold``; codes ("US",
"KSV", "XK") match only when written in capitals, because "us", "it" and "no" are words.
Possessives ("Kosovo's", "NATO’s") and a trailing plural or apostrophe-less possessive
("Kosovos", "Americans") are tried after the exact form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pactwatch.knowledge.model import (
    Country,
    EthnicGroup,
    Holding,
    Office,
    Organisation,
    Person,
    Place,
)
from pactwatch.knowledge.text import code_key, fold, without_plural, without_possessive

# ISO 3166-1 alpha-2 codes that are also English words in a headline in capitals.
_WORDS_IN_CAPITALS = frozenset(
    {"AM", "AS", "AT", "BE", "BY", "DO", "GO", "IN", "IS", "IT", "ME", "MY", "NO", "SO", "TO"}
)
# Words that qualify an office holder without changing the office.
_TITLE_QUALIFIERS = ("acting ", "caretaker ", "interim ", "the ")


def _candidates(text: str, plural: bool = True) -> list[str]:
    """The folded forms of ``text`` to try, most exact first."""
    key = fold(text)
    forms = [key]
    bare = without_possessive(key)
    if bare:
        forms.append(bare)
    singular = without_plural(bare or key) if plural else None
    if singular:
        forms.append(singular)
    return forms


def _without_possessive_text(text: str) -> str:
    return text[:-2] if text.endswith(("'s", "’s")) else text


@dataclass
class Knowledge:
    """Countries, organisations, offices, persons and places, with their indexes."""

    countries: dict[str, Country]
    organisations: list[Organisation]
    offices: list[Office]
    persons: dict[str, Person]
    places: list[Place]
    ethnic_groups: list[EthnicGroup]
    checked: dict[str, date]
    confirmed_until: dict[str, date]
    _country_names: dict[str, Country] = field(default_factory=dict, repr=False)
    _country_codes: dict[str, Country] = field(default_factory=dict, repr=False)
    _country_demonyms: dict[str, Country] = field(default_factory=dict, repr=False)
    _organisation_names: dict[str, Organisation] = field(default_factory=dict, repr=False)
    _organisation_codes: dict[str, Organisation] = field(default_factory=dict, repr=False)
    _organisation_keys: dict[str, Organisation] = field(default_factory=dict, repr=False)
    _offices_by_key: dict[str, Office] = field(default_factory=dict, repr=False)
    _offices_by_title: dict[str, list[Office]] = field(default_factory=dict, repr=False)
    _person_names: dict[str, Person] = field(default_factory=dict, repr=False)
    _person_surnames: dict[str, list[Person]] = field(default_factory=dict, repr=False)
    _place_names: dict[str, list[Place]] = field(default_factory=dict, repr=False)
    _ethnic_names: dict[str, EthnicGroup] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for country in self.countries.values():
            self._country_codes.setdefault(country.code, country)
            for code in country.codes:
                self._country_codes.setdefault(code.upper(), country)
            for name in [country.name, *country.aliases]:
                compact = code_key(name)
                if compact:
                    self._country_codes.setdefault(compact, country)
                else:
                    self._country_names.setdefault(fold(name), country)
            for demonym in country.demonyms:
                self._country_demonyms.setdefault(fold(demonym), country)
        for organisation in self.organisations:
            self._organisation_keys[organisation.key] = organisation
            for name in [organisation.name, *organisation.aliases]:
                compact = code_key(name)
                # Short capitals ("EU", "UN", "BIA") match only in capitals; longer
                # acronyms also in title case, as British outlets write "Nato".
                if compact and len(compact) <= 3:
                    self._organisation_codes.setdefault(compact, organisation)
                else:
                    self._organisation_names.setdefault(fold(name), organisation)
        titles: dict[str, list[Office]] = defaultdict(list)
        for office in self.offices:
            self._offices_by_key[office.key] = office
            for title in {fold(t) for t in [office.title, *office.titles]}:
                titles[title].append(office)
        self._offices_by_title = dict(titles)
        surnames: dict[str, list[Person]] = defaultdict(list)
        for person in self.persons.values():
            for name in [person.name, *person.aliases]:
                self._person_names.setdefault(fold(name), person)
            for surname in {fold(s) for s in person.surnames}:
                surnames[surname].append(person)
        self._person_surnames = dict(surnames)
        places: dict[str, list[Place]] = defaultdict(list)
        for place in self.places:
            for key in dict.fromkeys(fold(n) for n in [place.name, *place.aliases]):
                places[key].append(place)
        self._place_names = dict(places)
        for group in self.ethnic_groups:
            for name in [group.name, *group.aliases]:
                self._ethnic_names.setdefault(fold(name), group)

    # Countries and groups -------------------------------------------------------------

    def country(self, text: str) -> Country | None:
        """The country named, coded or described by ``text`` ("Kosovo's", "KSV", "Kosovar").

        A form that names an ethnic group ("Serbs", "Albanians") is not a country: see
        ``ethnic_group``. "Serb" alone is taken as the adjective of the state (SRB).
        """
        compact = code_key(_without_possessive_text(text))
        if compact and compact not in _WORDS_IN_CAPITALS and compact in self._country_codes:
            return self._country_codes[compact]
        forms = _candidates(text, plural=False)
        for key in forms:
            found = self._country_names.get(key) or self._country_demonyms.get(key)
            if found:
                return found
            if key in self._ethnic_names:
                return None
        singular = without_plural(forms[-1])
        if singular:
            return self._country_names.get(singular) or self._country_demonyms.get(singular)
        return None

    def ethnic_group(self, text: str) -> EthnicGroup | None:
        """The ethnic group named by ``text`` ("Kosovo Serbs", "ethnic Albanians")."""
        for key in _candidates(text):
            if key in self._ethnic_names:
                return self._ethnic_names[key]
        return None

    # Organisations --------------------------------------------------------------------

    def organisation(self, text: str) -> Organisation | None:
        """The organisation named or abbreviated by ``text`` ("KFOR", "NATO's", "EULEX")."""
        compact = code_key(_without_possessive_text(text))
        if compact and compact in self._organisation_codes:
            return self._organisation_codes[compact]
        for key in _candidates(text):
            if key in self._organisation_names:
                return self._organisation_names[key]
        return None

    def organisation_by_key(self, key: str) -> Organisation | None:
        """The organisation with this data key ("kosovo_security_force")."""
        return self._organisation_keys.get(key)

    # Offices and persons --------------------------------------------------------------

    def office(self, key: str) -> Office | None:
        """The office with this key ("XKX:prime_minister")."""
        return self._offices_by_key.get(key)

    def holder_of(self, office_key: str, on: date) -> Holding | None:
        """Who held the office on ``on``: the substantive holder, else an acting one."""
        office = self._offices_by_key.get(office_key)
        if office is None:
            return None
        current = [h for h in office.holders if h.covers(on)]
        if not current:
            return None
        current.sort(key=lambda h: (not h.acting, h.start))
        return current[-1]

    def office_for_title(self, title_text: str, country: str | None = None) -> list[Office]:
        """The offices a title names ("Minister of Defense"), within ``country`` if given.

        ``country`` may be any code or name of a country ("XKX", "KSV", "Kosovo") or a
        non-state code ("IGO", "EUR", "UNO"). "acting", "caretaker" and "interim" are
        ignored: an acting minister fills the same office.
        """
        key = fold(title_text)
        changed = True
        while changed:
            changed = False
            for qualifier in _TITLE_QUALIFIERS:
                if key.startswith(qualifier):
                    key, changed = key[len(qualifier) :], True
        offices = self._offices_by_title.get(key, [])
        if country is None:
            return list(offices)
        wanted = self._country_code(country)
        return [office for office in offices if office.country == wanted]

    def _country_code(self, text: str) -> str:
        upper = text.strip().upper()
        if upper in self.countries or upper in ("IGO", "EUR", "UNO", "NGO"):
            return upper
        found = self.country(text)
        return found.code if found else upper

    def person(self, text: str) -> Person | None:
        """The person with this full name or alias ("Donika Gervalla", "Vucic")."""
        for key in _candidates(text, plural=False):
            if key in self._person_names:
                return self._person_names[key]
        return None

    def persons_by_surname(self, surname: str) -> list[Person]:
        """Every person whose surname this is ("Smith" -> all the Smiths), in data order."""
        for key in _candidates(surname, plural=False):
            if key in self._person_surnames:
                return list(self._person_surnames[key])
        return []

    def holdings_of(self, person: str, on: date | None = None) -> list[tuple[Office, Holding]]:
        """The offices a person held (on a day, if given); empty for an unknown person."""
        found = self.person(person)
        if found is None:
            return []
        return [(o, h) for o, h in found.holdings if on is None or h.covers(on)]

    # Places ---------------------------------------------------------------------------

    def places_named(self, text: str) -> list[Place]:
        """Every place ``text`` can name ("Mitrovica" -> the Kosovo and Serbian towns)."""
        for key in _candidates(text, plural=False):
            if key in self._place_names:
                return list(self._place_names[key])
        return []

    def places_in(self, country: str) -> Iterable[Place]:
        """The gazetteer's places in one country (ISO3), countries excluded."""
        return (p for p in self.places if p.country == country and p.kind != "country")
