"""Countries and sectors a participant takes from its context, not from its own words.

``settle`` is the last step of reading an event argument (``event_arguments``):

- a state named as such ("Serbia", "Belgrade", "Washington") acts as its government:
  sector GOV (annotation guide, section 7);
- an ethnic word is not a citizenship: "Serb leaders in northern Kosovo" live and act in
  Kosovo (XKX), whereas "Serbian police in Kosovo" stay Serbia's;
- an organ of a state the text does not name ("the government", "the army", "the state
  court", "police special units") belongs to the state named last before it, within this
  sentence and the one before; an object skips the subject of its own verb ("the U.S.
  ambassador asked the government": not the ambassador's government);
- a US National Guard ("the Ohio National Guard") is American.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from pactwatch.knowledge import load_knowledge
from pactwatch.nlp.components.event_mentions import (
    NON_STATE_CODES,
    STATE_SECTORS,
    Participant,
    actor_from_mention,
    is_dateline,
)
from pactwatch.nlp.components.participant_bodies import (
    CABINETS,
    ETHNIC_WORDS,
    ORGANS,
    force_name,
    government_of,
    is_people_of,
    mission_of,
    named_origin,
    names_a_state,
    national_body,
    read_counterpart,
    sector_of_organ,
    serving_with,
    short_name,
    state_named_by,
    with_actor,
)
from pactwatch.nlp.components.sentence_bounds import (
    doc_text,
    sentence_at,
    sentence_index,
    sentence_of,
    sentence_start,
)
from pactwatch.nlp.records import ActorMention, EventActor

if TYPE_CHECKING:
    from pactwatch.nlp.components.event_arguments import ArgumentReader

# Nouns for people who could own a thing a people's adjective describes ("Serbian
# officials", not "Serbian research"). Narrower than ``participant_words.ROLE_NOUNS``
# (no "member", "delegation", "deputy" ...), a list of its own for this one test.
OWNER_NOUNS = frozenset(
    {"head", "chief", "leader", "leaders", "commander", "minister", "ambassador", "envoy",
     "president", "director", "spokesperson", "spokesman", "spokeswoman", "representative",
     "official", "officials", "officer", "officers", "premier", "governor"}
)  # fmt: skip

_PEOPLE = frozenset(
    {"man", "men", "woman", "women", "citizen", "citizens", "national", "nationals",
     "resident", "residents", "civilian", "civilians", "villager", "villagers", "youth"}
)  # fmt: skip
_OFFICE_WORDS = frozenset(
    {"minister", "president", "premier", "ambassador", "envoy", "commander", "chancellor",
     "spokesperson", "spokesman", "spokeswoman"}
)  # fmt: skip
_SPEAKERS = frozenset({"spokesman", "spokeswoman", "spokesperson", "official", "representative"})
_DIPLOMATS = frozenset({"ambassador", "envoy", "diplomat", "chargé"})
_GOV_ROLES = frozenset(
    {"counterpart", "delegation", "envoy", "minister", "ambassador", "president", "premier",
     "diplomat", "negotiator", "government", "cabinet", "ministry", "spokesperson"}
)  # fmt: skip
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "attr", "oprd"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent"})


def settle(reader: ArgumentReader, found: Participant, head: Token) -> Participant:
    """``found`` with the country and sector its context gives it (see the module doc)."""
    if head.lemma_.lower() in ("peacekeeper", "peacekeepers") and not named_origin(reader, head):
        # Peacekeepers serve an international force: the one named last, else one the
        # annotation guide codes IGO (KFOR, the usual force of this news).
        force = reader.index.organisation_before(head)
        code = force.country if force is not None and force.sector == "IGO" else None
        mission = mission_of(reader, force) if code else None
        if mission is not None:
            return with_actor(
                found, country=mission.country, sector="MIL", entity_name=force_name(mission)
            )
        return with_actor(found, country=code or "IGO", sector="MIL")
    serving = serving_with(reader, head)
    if serving is not None and found.kind in ("derived", "group"):
        # "U.S. soldiers serving with KFOR": members of the force (guide, section 7).
        return with_actor(
            found, country=serving.country, sector="MIL", entity_name=force_name(serving)
        )
    if head.lemma_.lower() == "counterpart" and found.kind in ("derived", "group"):
        return read_counterpart(reader, found, head)
    holder = _office_holder(reader, head) if found.kind == "derived" else None
    if holder is not None:
        return holder
    short = short_name(found.actor.entity_name, doc_text(reader.doc))
    if short is not None:
        found = with_actor(found, entity_name=short)
    actor = found.actor
    if found.kind == "country" and actor.sector is None and actor.country:
        return with_actor(found, sector="GOV")
    if actor.sector is None and found.kind == "derived" and head.lemma_.lower() in _GOV_ROLES:
        # "his Greek counterpart", "the Serbian delegation": officials of a government.
        found = with_actor(found, sector="GOV")
        actor = found.actor
    if found.kind == "group":
        # "Troops from the Serbian army": the people belong to the body they come from,
        # whatever other state the sentence names.
        origin = _origin(reader, head)
        if origin is not None and origin != actor.country:
            return with_actor(found, country=origin)
    if (
        actor.sector is None
        and found.kind in ("derived", "group")
        and head.lemma_.lower() in _PEOPLE
    ):
        found = with_actor(found, sector="CVL")  # "a Serb man", "two Croatian citizens"
        actor = found.actor
    if found.kind in ("derived", "group") and is_people_of(actor):
        # Unnamed people are named by their words: "Serb protesters", "local Serbs".
        found = with_actor(found, entity_name=actor.raw_text)
        actor = found.actor
    organ_sector = sector_of_organ(head)
    if actor.country and found.kind == "derived" and organ_sector is not None:
        # "police" in a Kosovo story, "the army" of Vučić: the state's own force.
        body = national_body(actor.country, organ_sector)
        if body is not None and actor.sector in (None, organ_sector):
            found = with_actor(found, entity_name=body)
            actor = found.actor
    if actor.country and found.kind == "derived" and head.lemma_.lower() in CABINETS:
        # "the government" in a story about Albania: the state's government, by the name
        # the knowledge gives it ("Government of Albania").
        cabinet = government_of(actor.country)
        if cabinet is not None and actor.sector in (None, "GOV") and _unqualified(head):
            found = with_actor(found, sector="GOV", entity_name=cabinet)
            actor = found.actor
    if found.kind == "derived" and head.lower_ in ("member", "members"):
        # "members of Kosovo police": the organisation's name.
        owner = reader._of_object(head)
        named = reader.index.at(owner) if owner is not None else None
        if named is not None and named.kind in ("organisation", "igo", "group"):
            short = short_name(named.entity_name, doc_text(reader.doc))
            found = with_actor(found, entity_name=short or named.entity_name)
            actor = found.actor
    if actor.country and found.kind in ("derived", "group") and _affinity(reader, head):
        # "pro-Serbian lawmakers", "Serbian Orthodox believers" in Montenegro: a loyalty or
        # a faith, not a citizenship; the people act where they live.
        home = _home_of_people(reader, head, actor.country)
        if home is not None:  # "the Serbian Orthodox Church" alone: the church of Serbia
            name = actor.raw_text if names_a_state(actor.entity_name or "") else None
            return with_actor(found, country=home, entity_name=name)
    if actor.country and found.kind == "derived":
        residence = _residence(reader, head)
        if residence is not None and residence != actor.country:
            return with_actor(found, country=residence)
        return found
    if actor.country:
        return found
    sponsor = _sponsor(reader, head) if found.kind in ("derived", "group") else None
    if sponsor is not None:
        return with_actor(found, country=sponsor)  # "hackers linked to Iran"
    if found.kind == "derived" and head.lemma_.lower() in _SPEAKERS:
        # "a spokesman for the Serbian government": the body spoken for.
        for prep in head.children:
            bodies = [o for o in prep.children if o.dep_ == "pobj"] if prep.lower_ == "for" else []
            spoken_for = reader.participant(bodies[0]) if bodies else None
            if spoken_for is not None and spoken_for.actor.country:
                return with_actor(found, country=spoken_for.actor.country)
    home = _ethnic_home(reader, head, actor)
    if home is not None:
        return with_actor(found, country=home)
    if "national guard" in f"{actor.raw_text} {actor.entity_name}".casefold():
        return with_actor(found, country="USA")
    organ = head.tag_ != "VBG" and not head.lower_.endswith("ing")  # not "spying charges"
    unnamed = found.kind == "derived" or (found.kind == "group" and sector_of_organ(head))
    if unnamed and actor.sector in STATE_SECTORS and organ and _unqualified(head):
        state = _state_before(reader, head)
        if state is not None:
            return name_organ(with_actor(found, country=state), head)
    return found


def name_organ(found: Participant, head: Token) -> Participant:
    """ "police", "the army" of a state the context gives: the state's own force, by the
    name the knowledge gives it ("Kosovo Police")."""
    actor = found.actor
    if head.lemma_.lower() in CABINETS and found.kind == "derived" and actor.country:
        # "the government" of the state the context gives: "Government of Albania".
        cabinet = government_of(actor.country)
        if cabinet is None or actor.sector not in (None, "GOV"):
            return found
        return with_actor(found, sector="GOV", entity_name=cabinet)
    sector = sector_of_organ(head)
    if not actor.country or sector is None or found.kind not in ("derived", "group"):
        return found
    if actor.sector not in (None, sector) or actor.wikidata_id is not None:
        return found
    if actor.entity_name and actor.entity_name.casefold() not in (
        actor.raw_text.casefold(),
        head.text.casefold(),
        *ORGANS,
    ):
        return found  # named already ("Montenegrin police" keeps its words)
    body = national_body(actor.country, sector)
    return with_actor(found, entity_name=body) if body is not None else found


def _residence(reader: ArgumentReader, head: Token) -> str | None:
    """Where people named by an ethnic word live: the country of their "in" phrase, else
    of the town or region the sentence names ("a Serb man in Štrpce")."""
    if not any(c.lower_ in ETHNIC_WORDS for c in head.lefts):
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "from"):
            for place in prep.children:
                if place.dep_ == "pobj":
                    country = reader._country_at(place)
                    if country and country not in NON_STATE_CODES:
                        return country
    # "the Serb member of Bosnia's presidency", "Bosnia's Serb leaders": the state whose
    # body or people they are
    owners = [c for c in head.children if c.dep_ == "poss"]
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            owners += _bodies(prep)
    state = _first_state(reader, owners)
    if state is not None:
        return state
    sentence = sentence_of(head)
    towns = {
        place.country
        for i, place in reader.place_at.items()
        if sentence.start <= i < sentence.end and place.kind != "country" and place.country
        and not is_dateline(reader.doc[i])
    }  # fmt: skip
    return next(iter(towns)) if len(towns) == 1 else None


_AFFINITY_BEFORE = frozenset({"pro", "anti"})
_AFFINITY_AFTER = frozenset({"orthodox", "majority", "speaking"})


def affinity_word(token: Token) -> bool:
    """Whether a state's word is a loyalty or faith here: "pro-Serbian", "Serbian
    Orthodox", "Serb-majority"."""
    doc = token.doc
    i = token.i
    before = [doc[j].lower_ for j in range(max(i - 2, 0), i)]
    if before[-1:] == ["-"] and before[:1] and before[0] in _AFFINITY_BEFORE:
        return True
    if token.lower_.split("-")[0] in _AFFINITY_BEFORE and "-" in token.text:
        return True
    after = [doc[j].lower_ for j in range(i + 1, min(i + 3, len(doc)))]
    return bool(after) and (
        after[0] in _AFFINITY_AFTER or (after[0] == "-" and after[1:2] == ["majority"])
    )


def _affinity(reader: ArgumentReader, head: Token) -> bool:
    """Whether the state word that places ``head`` names a loyalty or faith, with no
    other state's word beside it ("pro-Serbian opposition lawmakers")."""
    words = [
        t
        for c in head.lefts
        if c.dep_ in ("amod", "compound", "nmod")
        for t in c.subtree
        if t.i < head.i and state_named_by(reader, t)
    ]
    return bool(words) and all(affinity_word(t) for t in words)


def _home_of_people(reader: ArgumentReader, head: Token, kin: str) -> str | None:
    """Where people of a loyalty or faith live: their "in" phrase, the one town the
    sentence names, else the state named last before them in the sentence."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "from"):
            for place in prep.children:
                country = reader._country_at(place) if place.dep_ == "pobj" else None
                if country and country not in NON_STATE_CODES:
                    return country
    sentence = sentence_of(head)
    towns = {
        place.country
        for i, place in reader.place_at.items()
        if sentence.start <= i < sentence.end and place.kind != "country" and place.country
        and not is_dateline(reader.doc[i])
    }  # fmt: skip
    if head.lemma_.lower() in ("church", "diocese", "eparchy", "metropolitanate"):
        return None  # the institution itself: only its "in" phrase places it
    if len(towns) == 1:
        return next(iter(towns))
    states = {
        m.country
        for t in sentence
        if (m := reader.index.at(t)) is not None
        and m.country not in (None, kin, *NON_STATE_CODES)
        and not is_dateline(t)
        and not affinity_word(t)
    }
    return next(iter(states)) if len(states) == 1 else None


# Sectors of unnamed people who belong where they are (not gunmen, not "hackers").
_LOCAL_SECTORS = frozenset(
    {"CVL", "REL", "OPP", "MED", "PTY", "BUS", "JUD", "COP", "LEG", "LAB", "AGR"}
)


def local_home(reader: ArgumentReader, found: Participant, head: Token) -> Participant:
    """An unnamed participant of the people ("Thousands of students blocked bridges in
    Novi Sad", "several priests ... in Nikšić") placed where the text places them."""
    sector = found.actor.sector
    unknown_person = found.kind == "person" and found.actor.wikidata_id is None
    if found.actor.country or found.group:
        return found
    if found.kind in ("derived", "group"):
        if sector not in _LOCAL_SECTORS:
            return found
    elif not (unknown_person and sector in ("REL", "CVL", "OPP", "MED")):
        return found  # "Bishop Joanikije ... in Nikšić": a local cleric
    home = _local_home(reader, head)
    return name_organ(with_actor(found, country=home), head) if home is not None else found


def _local_home(reader: ArgumentReader, head: Token) -> str | None:
    """The one country the towns of the sentence lie in (the dateline's when it names
    none), else the one the text's towns lie in."""
    sentence = sentence_of(head)
    for dateline in (False, True):
        towns = {
            place.country
            for i, place in reader.place_at.items()
            if sentence.start <= i < sentence.end and place.country
            and (place.kind != "country" or dateline)
            and is_dateline(reader.doc[i]) == dateline
        }  # fmt: skip
        towns -= set(NON_STATE_CODES)
        if towns:
            return next(iter(towns)) if len(towns) == 1 else None
    towns = {
        place.country
        for place in reader.place_at.values()
        if place.kind != "country" and place.country
    }
    return next(iter(towns)) if len(towns) == 1 else None


def _ethnic_home(reader: ArgumentReader, head: Token, actor: EventActor) -> str | None:
    """Where an ethnic group the text does not place lives ("Serbs put up roadblocks"):
    its "in" phrase, the towns of the sentence or of the text, else the one state other
    than its kin state the text names (the guide: Serbs in Kosovo are XKX)."""
    try:
        group = load_knowledge().ethnic_group(actor.entity_name or actor.raw_text)
    except Exception:  # the knowledge base is a help here, never a reason to fail
        return None
    if group is None or group.country is not None:
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "from"):
            for place in prep.children:
                country = reader._country_at(place) if place.dep_ == "pobj" else None
                if country and country not in NON_STATE_CODES:
                    return country
    for first, last in (sentence_at(reader.doc, head.i), (0, len(reader.doc))):
        towns = {
            place.country
            for i, place in reader.place_at.items()
            if first <= i < last and place.kind != "country" and place.country
            and not is_dateline(reader.doc[i])
        }  # fmt: skip
        if len(towns) == 1:
            return next(iter(towns))
    states = {
        m.country
        for _start, m in reader.index.states
        if m.country not in (None, group.kin_state, *NON_STATE_CODES)
    }
    return next(iter(states)) if len(states) == 1 else None


def _origin(reader: ArgumentReader, head: Token) -> str | None:
    """The state of the body a group comes from: "troops from the Serbian army"."""
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("from", "of"):
            state = _first_state(reader, _bodies(prep))
            if state is not None:
                return state
    return None


def _bodies(prep: Token) -> list[Token]:
    """The objects of ``prep`` that may name a body ("of the Serbian army"), not a people
    ("of Serbs")."""
    return [b for b in prep.children if b.dep_ == "pobj" and b.lower_ not in ETHNIC_WORDS]


def _first_state(reader: ArgumentReader, bodies: list[Token]) -> str | None:
    """The country of the first of ``bodies`` that names a state or a state's body."""
    for body in bodies:
        found = reader.participant(body, bare=False)
        if found is not None and found.actor.country not in (None, *NON_STATE_CODES):
            return found.actor.country
    return None


# Participles that tie unnamed people to the state behind them.
_TIED = frozenset({"link", "tie", "connect", "work", "affiliate", "sponsor"})


def _sponsor(reader: ArgumentReader, head: Token) -> str | None:
    """The state unnamed people are tied to or work for: "hackers linked to Iran",
    "Russia-linked hackers", "hackers working for Iran's intelligence ministry" (the guide
    codes them as that state's; "pro-Russian hackers" declare a loyalty and stay unplaced)."""
    ties = [c for c in head.children if c.dep_ in ("acl", "amod") and c.lemma_.lower() in _TIED]
    if head.dep_ == "nsubj" and head.head.tag_ == "VBN" and head.head.lemma_.lower() in _TIED:
        ties.append(head.head)  # the small parser makes "Hackers linked to Iran" a clause
    for tie in ties:
        for child in tie.children:
            if child.dep_ == "npadvmod":
                bodies = [child]  # "Russia-linked"
            elif child.dep_ == "prep" and child.lower_ in ("to", "for", "with"):
                bodies = [o for o in child.children if o.dep_ == "pobj"]
            else:
                continue
            state = _first_state(reader, bodies)
            if state is not None:
                return state
    return None


def _unqualified(head: Token) -> bool:
    """No name-like modifier: "the army", "police special units", not "Western envoys"."""
    return not any(
        c.dep_ in ("amod", "compound", "nmod", "poss") and c.text[:1].isupper() and c.i != 0
        for c in head.lefts
        if c.lower_ != "police"
    )


def _state_before(reader: ArgumentReader, head: Token) -> str | None:
    """The country of the state, or a state's agent, named last before ``head``."""
    index = sentence_index(reader.doc, head.i)
    first = sentence_start(reader.doc, index - 1)
    skip: set[int] = set()
    if head.dep_ in _OBJECT_DEPS:
        verb = head.head.head if head.dep_ == "pobj" else head.head
        for subject in verb.children:
            if subject.dep_ in _SUBJECT_DEPS:
                skip.update(t.i for t in subject.subtree)
    candidates: list[ActorMention] = [
        m
        for start, m in reader.index.states
        if first <= start < head.i
        and m.country not in NON_STATE_CODES
        and _names_an_actor(reader, start)
    ]
    others = [m for m in candidates if _token_of(reader, m) not in skip]
    if others:
        return others[-1].country
    # "The president of Montenegro accused the government": his own, unless a diplomat
    # speaks ("the U.S. ambassador asked the government": the host's, not named here).
    diplomat = any(reader.doc[i].lemma_.lower() in _DIPLOMATS for i in skip)
    return candidates[-1].country if candidates and not diplomat else None


def _token_of(reader: ArgumentReader, mention: ActorMention) -> int:
    span = reader.doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.start if span is not None else -1


def _office_holder(reader: ArgumentReader, head: Token) -> Participant | None:
    """ "The minister", "the prime minister": the person named before who holds it."""
    if head.lower_ not in _OFFICE_WORDS or not any(c.lower_ == "the" for c in head.lefts):
        return None
    if any(c.dep_ in ("amod", "compound", "poss") and c.text[:1].isupper() for c in head.lefts):
        return None  # "the Serbian minister": a new person
    if any(c.dep_ == "prep" for c in head.children):
        return None  # "the minister of defence of Albania"
    words = {c.lower_ for c in head.lefts if c.dep_ in ("amod", "compound")} | {head.lower_}
    person = reader.index.person_before(head)
    if person is None:
        return None
    role = f"{person.role_text or ''} {person.role_office or ''}".casefold().replace("_", " ")
    if not all(w in role for w in words):
        return None
    actor = actor_from_mention(person, reader.doc[head.left_edge.i : head.i + 1].text)
    return Participant(actor, head.idx, head.idx + len(head.text), "person", token=head.i)


def _names_an_actor(reader: ArgumentReader, start: int) -> bool:
    """Whether the mention at token ``start`` names an actor, not a thing's origin
    ("Serbian-issued plates", "Serbian research")."""
    token = reader.doc[start]
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
    if token.dep_ not in ("amod", "compound", "nmod", "npadvmod"):
        return True
    owner = token.head
    lexicon = reader.lexicon
    words = (owner.lower_, owner.lemma_.lower())
    return reader.index.at(owner) is not None or any(
        w in lexicon.sector_nouns or w in lexicon.group_heads or w in OWNER_NOUNS for w in words
    )
