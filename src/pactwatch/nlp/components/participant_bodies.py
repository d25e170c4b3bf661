"""Whom an unnamed or indirect participant stands for: forces, counterparts, bodies.

Helpers of ``participant_context.settle`` and ``event_arguments``:

- a unit "serving with KFOR" is the mission (annotation guide, section 7), and "the
  mission", "the alliance", "the bloc" are the body the text named before (or NATO, the EU);
- "his Serbian counterpart" is the counterpart's own state, never the owner's;
- "Serb protesters" split from a state's word ("Serbian and Kosovo police" are two bodies);
- a state organ with no name ("the government", "the police") is named as that state's
  body in the knowledge base ("Government of Albania").
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from spacy.tokens import Token

from pactwatch.knowledge import load_knowledge
from pactwatch.nlp.components.event_mentions import (
    NON_STATE_CODES,
    STATE_SECTORS,
    Participant,
)
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.records import ActorMention, EventActor

if TYPE_CHECKING:
    from pactwatch.nlp.components.event_arguments import ArgumentReader

# Attributive ethnic nouns: "Serb protesters" are Serbs, not Serbia's.
ETHNIC_WORDS = frozenset({"serb", "croat", "bosniak", "ethnic"})

ORGANS = {"police": "COP", "army": "MIL", "military": "MIL"}

_FORCE_VERBS = frozenset({"serve", "deploy", "station", "assign", "attach", "second"})
_FORCE_WORDS = frozenset(
    {"soldier", "troop", "peacekeeper", "officer", "force", "unit", "contingent", "airman",
     "personnel", "medic", "engineer", "instructor", "member", "staff", "police", "policeman"}
)  # fmt: skip


def serving_with(reader: ArgumentReader, head: Token) -> ActorMention | None:
    """The international force people serve in: "soldiers serving with KFOR", "troops
    deployed with EUFOR", "Italian officers of the EULEX mission"."""
    if head.lemma_.lower() not in _FORCE_WORDS and head.lower_ not in _FORCE_WORDS:
        return None
    preps = [
        p
        for verb in head.children
        if verb.dep_ == "acl" and verb.lemma_.lower() in _FORCE_VERBS
        for p in verb.children
        if p.dep_ == "prep" and p.lower_ in ("with", "in", "under", "to")
    ]
    for prep in preps:
        for obj in prep.children:
            if obj.dep_ != "pobj":
                continue
            named = reader.index.at(obj)
            if named is None:
                named = next(
                    (reader.index.at(c) for c in obj.children if c.dep_ == "compound"), None
                )
            if named is not None and named.country in NON_STATE_CODES:
                return named
    return None


def mission_served(reader: ArgumentReader, trigger: Token) -> ActorMention | None:
    """The international force that troops arriving or sent somewhere go to serve, named
    in a clause of purpose or a second act: "arrived in Kosovo this week to serve with
    KFOR", "are due to arrive next month to reinforce KFOR's battle group", "arrived and
    joined the NATO-led force". Aid to the force, not to the country it is in."""
    clauses = [c for c in trigger.children if c.dep_ in _SERVING_CLAUSES]
    if trigger.dep_ == "xcomp":  # "are due to arrive ... to reinforce": the purpose is above
        clauses += [c for c in trigger.head.children if c.dep_ in _SERVING_CLAUSES]
    for clause in clauses:
        if clause.lemma_.lower() not in _SERVING_VERBS:
            continue
        for token in clause.subtree:
            if token.dep_ in ("nsubj", "nsubjpass"):
                continue
            named = reader.index.at(token)
            if named is not None and named.country in NON_STATE_CODES:
                return mission_of(reader, named) or named
    return None


# Clauses that tell what arriving troops came for: "to serve with", "and joined".
_SERVING_CLAUSES = frozenset({"advcl", "xcomp", "conj"})
_SERVING_VERBS = frozenset(
    {"serve", "join", "reinforce", "bolster", "strengthen", "augment", "take", "relieve",
     "replace", "support"}
)  # fmt: skip


def mission_of(reader: ArgumentReader, force: ActorMention | None) -> ActorMention | None:
    """The force a peacekeeper serves: a mission named before, or NATO's in Kosovo
    ("NATO-led peacekeepers" in Kosovo news are KFOR's)."""
    if force is None:
        return None
    try:
        kb = load_knowledge()
        organisation = kb.organisation(force.entity_name)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    if organisation is not None and organisation.kind == "mission":
        return force
    text = doc_text(reader.doc)
    if force.entity_name == "North Atlantic Treaty Organization" and "Kosov" in text:
        kfor = organisation_actor("KFOR")
        if kfor is not None:
            return ActorMention(
                start=force.start,
                end=force.end,
                text=force.text,
                kind="igo",
                entity_name=kfor.entity_name,
                country=kfor.country,
                sector=kfor.sector,
            )
    return None


def force_name(mission: ActorMention) -> str:
    return short_name(mission.entity_name, "") or mission.entity_name


def read_counterpart(reader: ArgumentReader, found: Participant, head: Token) -> Participant:
    """ "his Serbian counterpart", "their counterparts in Kosovo": the other side's holder
    of the owner's office. The country is the one the phrase names, never the owner's
    (nor, unnamed, the state named before); the sector is the owner's ("Kosovo police
    officers ... their Albanian counterparts": police)."""
    owners = [c for c in head.children if c.dep_ == "poss"]
    owner = reader.participant(owners[0]) if owners else None
    if owners and (owner is None or owner.group):
        # "Kosovo police officers ... with their counterparts": the clause's subject.
        verb = head.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        owner = reader.participant(subjects[0]) if subjects else None
    sector = owner.actor.sector if owner is not None else None
    if sector in (None, "IGO", "UNK") or sector not in STATE_SECTORS:
        sector = "GOV"
    country = found.actor.country
    if owner is not None and country == owner.actor.country and not named_origin(reader, head):
        country = None  # "its counterparts": the owner's country came from the owner
    if country is None:
        country = next(iter(_counterpart_places(reader, head)), None)
    name = found.actor.entity_name
    if name and names_a_state(name):
        name = found.actor.raw_text  # "their Albanian counterparts" are not Albania
    actor = replace(found.actor, country=country, sector=sector, entity_name=name)
    return Participant(actor, found.start, found.end, found.kind, found.group, found.token)


def names_a_state(name: str) -> bool:
    try:
        country = load_knowledge().country(name)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return False
    return country is not None and country.name == name


def _counterpart_places(reader: ArgumentReader, head: Token) -> list[str]:
    """The states of "counterparts in Kosovo and Albania", "his counterpart from Hungary"."""
    out: list[str] = []
    preps = [p for p in head.children if p.dep_ == "prep" and p.lower_ in ("in", "from", "of")]
    for prep in preps[:1]:  # "counterparts in Kosovo and Albania in Skopje": the first
        for place in prep.children:
            if place.dep_ != "pobj":
                continue
            for token in (place, *place.conjuncts):
                country = reader._country_at(token)
                if country and country not in out:
                    out.append(country)
    return out


def split_counterparts(
    reader: ArgumentReader, found: Participant, head: Token
) -> list[Participant]:
    """One participant per state of "its counterparts in Kosovo and Albania"; [] when the
    phrase names fewer than two."""
    if head.lemma_.lower() != "counterpart" or found.group or found.kind == "person":
        return []
    countries = _counterpart_places(reader, head)
    if len(countries) < 2:
        return []
    out = []
    for n, country in enumerate(countries):
        actor = replace(found.actor, country=country)
        # each side its own span: none is taken for a repeat of the other
        out.append(Participant(actor, found.start + n, found.end, found.kind, token=found.token))
    return out


# Words that name a people, not a state, when they modify another state's word.
_PEOPLE_WORDS = frozenset({"serb", "croat", "bosniak"})


def split_by_modifiers(
    reader: ArgumentReader, found: Participant, head: Token
) -> list[Participant]:
    """One participant per state named in coordinated modifiers ("U.S. and Albanian
    troops", "Serbian and Hungarian police") or in a coordinated "from" phrase ("marines
    from Montenegro and Albania"), in text order; [] when they name one."""
    if found.group or found.kind == "person":
        return []
    modifiers = [c for c in head.lefts if c.dep_ in ("amod", "nmod", "compound")]
    origins = [
        o
        for prep in head.rights
        if prep.dep_ == "prep" and prep.lower_ == "from"
        for o in prep.children
        if o.dep_ == "pobj"
    ]
    modifiers += origins
    named: list[tuple[int, str]] = []
    for modifier in modifiers:
        for token in (modifier, *modifier.conjuncts):
            if token.lower_ in _PEOPLE_WORDS:
                continue  # "Bosnian Serb officials": a people within one state
            country = state_named_by(reader, token)
            if country and all(country != c for _i, c in named):
                named.append((token.i, country))
    if len(named) < 2:
        return []
    out = []
    for i, country in sorted(named):
        word = reader.doc[i]  # each side its own span and name: none is taken for a repeat
        after = i > head.i  # "marines from Montenegro and Albania"
        body = reader.index.at(word)
        if body is not None and body.kind != "country":
            name = body.text  # "North Macedonia's army" (and U.S. troops)
        else:
            name = f"{head.text} from {word.text}" if after else f"{word.text} {head.text}"
        actor = replace(found.actor, country=country, entity_name=name, raw_text=name)
        out.append(Participant(actor, word.idx, word.idx + len(word), "derived", token=i))
    return out


def state_named_by(reader: ArgumentReader, token: Token) -> str | None:
    """The state one word names ("U.S.", "Albanian"), inside a longer mention or not."""
    mention = reader.index.at(token)
    if mention is not None and mention.kind == "country":
        return mention.country
    if (
        mention is not None
        and mention.kind in ("group", "organisation")
        and token.dep_ == "nmod"
        and mention.country
        and mention.country not in NON_STATE_CODES
    ):
        return mention.country  # "North Macedonia's army and U.S. troops held an exercise"
    if not token.text[:1].isupper():
        return None
    try:
        country = load_knowledge().country(token.text)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    return country.code if country is not None else None


# What "the alliance", "the bloc" stand for when the text names no such body before.
_UNNAMED_BODIES = {"alliance": "NATO", "bloc": "EU"}


def unnamed_alliance(head: Token, phrase: str) -> Participant | None:
    """ "The alliance" ("the bloc") with no organisation of its kind named before it: in
    this news, NATO (the EU)."""
    key = _UNNAMED_BODIES.get(head.lemma_.lower())
    body = organisation_actor(key) if key is not None else None
    if body is None:
        return None
    body.raw_text = phrase
    return Participant(body, head.idx, head.idx + len(head.text), "igo", token=head.i)


def anaphor_target(reader: ArgumentReader, head: Token) -> ActorMention | None:
    """The body "the alliance", "the bloc", "the mission" refers back to: the nearest
    organisation named before of a fitting kind ("NATO and the EU ... the bloc": the EU;
    "EULEX ... the mission": EULEX), else the nearest one for other words."""
    earlier = reader.index._before(reader.index.organisations, head, 3)
    lemma = head.lemma_.lower()
    if lemma not in ("alliance", "bloc", "union", "mission", "force"):
        return earlier[-1] if earlier else None
    for mention in reversed(earlier):
        if _fits_anaphor(lemma, mention):
            return mention
    return None


def _fits_anaphor(lemma: str, mention: ActorMention) -> bool:
    try:
        organisation = load_knowledge().organisation(mention.entity_name or mention.text)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        organisation = None
    kind = organisation.kind if organisation is not None else None
    if lemma in ("bloc", "union"):
        return mention.country == "EUR" and kind != "mission"
    if lemma == "alliance":
        return mention.country == "IGO" and kind == "igo"
    return kind == "mission"  # "the mission", "the force"


def organisation_actor(name: str) -> EventActor | None:
    """The actor record of the organisation the knowledge base knows as ``name``."""
    try:
        organisation = load_knowledge().organisation(name)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    if organisation is None:
        return None
    return EventActor(
        raw_text=name,
        entity_name=organisation.name,
        country=organisation.country,
        sector=organisation.sector,
        wikidata_id=organisation.wikidata_id,
    )


def short_name(name: str | None, text: str) -> str | None:
    """The acronym to name an international body by, as the text does: "KFOR" unless the
    text spells out "Kosovo Force" and never writes "KFOR" ("the alliance" is "NATO")."""
    short = _acronym(name)
    if short is None or not name:
        return None
    if name.casefold() in text.casefold() and short not in text:
        return None  # "the European Council", written out: not "EUCO"
    return short


@cache
def _acronym(name: str | None) -> str | None:
    """The acronym an international body goes by when it is a word of its own ("NATO",
    "KFOR", "EULEX", "OSCE"); initialisms ("EU", "FBI", "UNSC") keep the name."""
    if not name:
        return None
    try:
        organisation = load_knowledge().organisation(name)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    if organisation is None or organisation.name != name:
        return None
    if organisation.kind not in ("igo", "mission"):
        return None  # "USAID", "EUCOM": national bodies keep their names
    for alias in organisation.aliases:
        spoken = any(c in "AEIOU" for c in alias[1:])  # "KFOR", not the initialism "UNSC"
        if (
            alias.isascii()
            and alias.isalpha()
            and alias.isupper()
            and 4 <= len(alias) <= 6
            and spoken
        ):
            return alias
    return None


def named_origin(reader: ArgumentReader, head: Token) -> bool:
    """Whether a modifier of ``head`` names a state or body ("Italian peacekeepers")."""
    return any(
        reader.index.at(c) is not None and c.lower_ not in ETHNIC_WORDS
        for c in head.lefts
        if c.dep_ in ("amod", "compound", "nmod", "poss")
    )


def sector_of_organ(head: Token) -> str | None:
    """The sector of a state's force a noun names: "police", "the army", "police officers"."""
    lemma = head.lemma_.lower()
    if lemma in ORGANS:
        return ORGANS[lemma]
    if lemma in ("officer", "unit", "patrol") and any(c.lower_ == "police" for c in head.lefts):
        return "COP"
    return None


def is_people_of(actor: EventActor) -> bool:
    """Whether the actor's name is only that of the state or ethnic group its people
    belong to ("Serb protesters" named "Serbia", "local Serbs" named "Kosovo Serbs")."""
    name = actor.entity_name
    if not name or name == actor.raw_text or actor.sector in (None, "GOV"):
        return False
    try:
        kb = load_knowledge()
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return False
    country = kb.country(name)
    group = kb.ethnic_group(name)
    return (country is not None and country.name == name) or (
        group is not None and group.name == name
    )


@cache
def national_body(country: str, sector: str) -> str | None:
    """The name of a state's police or armed forces in the knowledge base."""
    try:
        organisations = load_knowledge().organisations
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    for organisation in organisations:
        name = organisation.name
        branch = any(w in name for w in ("Staff", "Command", "Bureau", "Guard", "Europe"))
        if organisation.country == country and organisation.sector == sector and not branch:
            return name
    return None


CABINETS = frozenset({"government", "cabinet"})


@cache
def government_of(country: str) -> str | None:
    """The name of a state's government in the knowledge base ("Government of Serbia")."""
    try:
        organisations = load_knowledge().organisations
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    for organisation in organisations:
        if organisation.country == country and organisation.name.startswith("Government of"):
            return organisation.name
    return None


def with_actor(
    found: Participant,
    *,
    country: str | None = None,
    sector: str | None = None,
    entity_name: str | None = None,
) -> Participant:
    """A copy of ``found`` with the given fields of its actor replaced."""
    actor = replace(
        found.actor,
        country=country or found.actor.country,
        sector=sector or found.actor.sector,
        entity_name=entity_name or found.actor.entity_name,
    )
    return Participant(actor, found.start, found.end, found.kind, found.group, found.token)
