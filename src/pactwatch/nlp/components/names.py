"""``pw_names``: which person a short name refers to within one document.

Reads ``doc._.pw_mentions`` (after ``pw_actors`` and ``pw_roles``) and
``doc._.pw_published``; changes person mentions in place: ``entity_name``, ``country``,
``sector``, ``other_sectors``, ``wikidata_id``, the ``role_*`` fields, ``ambiguous`` and
``candidates``.

A short name ("Zemaj", "Kurti", "Donika Gërvalla" for "Donika Gërvalla-Schwarz") refers
to the persons named in full in the same document whose names end with it, contain it
as a later word or hyphen part, or start with its first word and contain its last:

- one such person: the mention takes that person's name, and the country, sector and
  role stated at that person's fuller mention (its own stated role, if any, stays);
- several (the seed article's Donika, Armend and Albin Zemaj): ``ambiguous`` is set,
  ``candidates`` lists the full names in order of first appearance, ``entity_name``
  stays the short name; only a country and sector all candidates share are set;
- none: knowledge decides when one known person has that surname, or one of several
  held an office that day, or one of those is of the country the document names
  most; otherwise the mention is ambiguous among the known persons.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from pactwatch.knowledge import Knowledge, fold, load_knowledge
from pactwatch.nlp.components.actor_groups import context_countries
from pactwatch.nlp.components.actors import apply_person_facts
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import ActorMention


def refers_to(short: str, full: str) -> bool:
    """Whether the name ``short`` can be a short form of the name ``full``.

    "Zemaj" -> "Armend Zemaj"; "Gërvalla" and "Donika Gërvalla" -> "Donika
    Gërvalla-Schwarz"; "von der Leyen" -> "Ursula von der Leyen"; not "Albin Zemaj" ->
    "Armend Zemaj".
    """
    s, f = _words(short), _words(full)
    if not s or len(s) >= len(f):
        return False
    if f[-len(s) :] == s:
        return True
    if len(s) == 1:
        return s[0] in f[1:]
    return s[0] == f[0] and s[-1] in f[1:]


def _words(name: str) -> list[str]:
    key = fold(name)
    if key.endswith("'s"):
        key = key[:-2]
    return key.split()


class NameResolver:
    """The ``pw_names`` component (see the module docstring)."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.kb = knowledge

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        mentions: list[ActorMention] = list(doc._.pw_mentions or [])
        persons = [m for m in mentions if m.kind == "person"]
        full = full_names(persons)
        main = context_countries(mentions)[1]
        for mention in persons:
            matches = [name for name in full if refers_to(mention.text, name)]
            if len(matches) == 1:
                copy_person(mention, full[matches[0]])
            elif len(matches) > 1:
                mark_ambiguous(mention, [full[name] for name in matches])
            elif len(_words(mention.text)) == 1 and mention.entity_name == mention.text:
                self.from_knowledge(mention, doc._.pw_published, main)
        doc._.pw_mentions = mentions
        return doc

    def from_knowledge(self, mention: ActorMention, on: date | None, main: str | None) -> None:
        """A surname no full name of the document explains: the known persons with it.

        Several: those in office that day (undated: in office now), then those of the
        country the document names most, if that leaves one.
        """
        known = self.kb.persons_by_surname(mention.text)
        for keep in (
            lambda p: any(h.covers(on) if on else h.end is None for _, h in p.holdings),
            lambda p: p.country is not None and p.country == main,
        ):
            if len(known) > 1:
                known = [p for p in known if keep(p)] or known
        if len(known) == 1:
            own = (mention.role_text, mention.country, mention.sector, mention.other_sectors)
            apply_person_facts(mention, known[0], on)
            if own[0] is not None:  # the stated role wins over knowledge
                mention.country = own[1] or mention.country
                mention.sector, mention.other_sectors = own[2] or mention.sector, own[3]
        elif len(known) > 1:
            mention.ambiguous = True
            mention.candidates = [p.name for p in known]


def full_names(persons: list[ActorMention]) -> dict[str, ActorMention]:
    """Full names of the document (first appearance first) -> the mention that best
    describes the person: the first one with a stated role, else the first one.

    A name that is itself a short form of a longer one ("Donika Gërvalla") is not full.
    """
    names: dict[str, ActorMention] = {}
    for mention in persons:
        if len(_words(mention.text)) < 2 or mention.ambiguous:
            continue
        best = names.get(mention.entity_name)
        if best is None or (best.role_text is None and mention.role_text is not None):
            names[mention.entity_name] = mention
    return {
        name: mention
        for name, mention in names.items()
        if not any(refers_to(name, other) for other in names if other != name)
    }


def copy_person(mention: ActorMention, source: ActorMention) -> None:
    """Make ``mention`` refer to the person of ``source``; a role stated here stays."""
    mention.entity_name = source.entity_name
    mention.wikidata_id = source.wikidata_id
    mention.ambiguous, mention.candidates = False, []
    if mention.role_text is None:
        mention.role_text, mention.role_office = source.role_text, source.role_office
        mention.role_country = source.role_country
        mention.country, mention.sector = source.country, source.sector
        mention.other_sectors = list(source.other_sectors)
    else:  # the role stated here leaves open what the fuller mention says
        mention.country = mention.country or source.country
        if mention.sector is None:
            mention.sector, mention.other_sectors = source.sector, list(source.other_sectors)


def mark_ambiguous(mention: ActorMention, sources: list[ActorMention]) -> None:
    """``mention`` may be any of ``sources``: list them, set only what they all share."""
    mention.ambiguous = True
    mention.candidates = [s.entity_name for s in sources]
    mention.entity_name = mention.text[:-2] if mention.text.endswith(("'s", "’s")) else mention.text
    mention.wikidata_id = None
    if mention.role_text is None:
        countries = {s.country for s in sources}
        sectors = {s.sector for s in sources}
        mention.country = countries.pop() if len(countries) == 1 else None
        mention.sector = sectors.pop() if len(sectors) == 1 else None
        shared = set.intersection(*(set(s.other_sectors) for s in sources))
        mention.other_sectors = [s for s in sources[0].other_sectors if s in shared]


@Language.factory("pw_names")
def make_name_resolver(nlp: Language, name: str) -> NameResolver:
    """The ``pw_names`` component over the bundled knowledge."""
    ensure_extensions()
    return NameResolver(load_knowledge())
