"""Who did what to whom: actor and recipient phrases of an event, read off the parse.

An argument is a token the parse links to the trigger (subject, object, the object of a
preposition). It becomes an ``EventActor`` through, in order:

1. the actor mention (``doc._.pw_mentions``) that covers it;
2. an apposed person ("Kosovo's Minister of Defense, Armend Zemaj": the person);
3. an actor mention among its modifiers, with the sector its head noun names
   ("Serbian police" -> Serbia, COP; "the head of the American mission to NATO" ->
   the mission's country, GOV);
4. the knowledge base, when no mention covers the words (a country, demonym or
   organisation: the fall-back when ``pw_actors`` did not run);
5. a head noun that names a sector alone ("protesters" -> CVL, "gunmen" -> REB).

Pronouns are resolved by ``participant_pronouns`` (the speaker of a reported statement,
the object a participle's "him" refers back to, the nearest person or body named before).
"they", "both officials" or "the two leaders" are a group, which the events component
replaces with the participants of the event told just before (or the last two sides
named). "the alliance" after "NATO" is NATO.
Actors the text does not place take the country of their "in"/"of" phrase ("ethnic
Serbs in northern Kosovo", "Iran's Ministry of Intelligence"). Every participant then
passes through ``participant_context.settle`` (states act as GOV, ethnic words are not
citizenships, unnamed organs take the state named before, "the minister" is its holder).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from pactwatch.nlp.components.event_lexicon import EventLexicon
from pactwatch.nlp.components.event_mentions import (
    MentionIndex,
    Participant,
    actor_from_knowledge,
    actor_from_mention,
    is_dateline,
)
from pactwatch.nlp.components.event_subjects import objects_via
from pactwatch.nlp.components.participant_bodies import (
    anaphor_target,
    split_by_modifiers,
    split_counterparts,
    unnamed_alliance,
)
from pactwatch.nlp.components.participant_context import affinity_word, local_home, settle
from pactwatch.nlp.components.participant_pronouns import (
    PERSON_PRONOUNS,
    PLURAL_PRONOUNS,
    THING_PRONOUNS,
    resolve_pronoun,
)
from pactwatch.nlp.components.participant_words import (
    AGENT_ENDINGS,
    COLLECTIVES,
    INSTRUMENTS,
    LED_BODIES,
    LED_BY,
    PEOPLE_SECTORS,
    QUANTITIES,
    ROLE_NOUNS,
    RUN_BY,
    SENT_PEOPLE,
)
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.records import EventActor, PlaceMention

_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
_PRONOUNS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
# Nouns for a body of people that stand for the people they are made of.
_NAMED_ENTITIES = frozenset({"ORG", "GPE", "NORP", "PERSON"})


class ArgumentReader:
    """Turns argument tokens into participants for one document."""

    def __init__(
        self,
        doc: Doc,
        index: MentionIndex,
        lexicon: EventLexicon,
        places: Sequence[PlaceMention] = (),
    ) -> None:
        self.doc = doc
        self.index = index
        self.lexicon = lexicon
        self.place_at: dict[int, PlaceMention] = {}
        for place in places:
            span = doc.char_span(place.start, place.end, alignment_mode="expand")
            for token in span or ():
                self.place_at[token.i] = place

    def is_actor(self, token: Token) -> bool:
        """Whether a token names an actor (for rules whose object must be one)."""
        return self.participant(token) is not None

    def participants(self, tokens: Iterable[Token], *, bare: bool = True) -> list[Participant]:
        """Participants for argument tokens and their conjuncts, without repeats.

        ``bare=False`` refuses actors read from a head noun alone ("military" in "the
        military exercise" is not a participant).
        """
        out: list[Participant] = []
        seen: set[int] = set()
        for token in tokens:
            for head in (token, *token.conjuncts, *_coordinated_appositions(token)):
                if head.i in seen:
                    continue
                seen.add(head.i)
                for found in self._expand(head, bare):
                    if not any(p.start == found.start and p.end == found.end for p in out):
                        out.append(found)
        return out

    def _expand(self, head: Token, bare: bool) -> list[Participant]:
        """One participant, or several for "the defence ministers of X, Y and Z"."""
        found = self.participant(head, bare=bare)
        if found is None and head.tag_ == "NNS" and head.lower_.endswith(AGENT_ENDINGS):
            # "joint terminal attack controllers from Croatia, Montenegro and North
            # Macedonia": people the lexicon does not know, placed by their states
            phrase = self._phrase(head)
            unknown = EventActor(raw_text=phrase, entity_name=phrase, country=None, sector=None)
            found = Participant(unknown, head.idx, _end(head), "derived", token=head.i)
            return split_by_modifiers(self, found, head)
        if found is not None and (several := split_by_modifiers(self, found, head)):
            return several  # "U.S. and Albanian troops": one side per state
        if found is not None and (several := split_counterparts(self, found, head)):
            return several  # "its counterparts in Kosovo and Albania"
        role = head.lower_ in ROLE_NOUNS or head.lemma_.lower() in self.lexicon.group_heads
        if found is None or found.kind != "derived" or not role:
            return [found] if found is not None else []
        inner = self._of_object(head)
        if inner is None or not inner.conjuncts:
            return [found]
        out = [found]
        for conj in inner.conjuncts:
            other = self.participant(conj)
            if other is not None and other.actor.country:
                actor = EventActor(
                    raw_text=found.actor.raw_text,
                    entity_name=self._role_name(head, other.actor),
                    country=other.actor.country,
                    sector=found.actor.sector,
                )
                out.append(Participant(actor, other.start, other.end, token=conj.i))
        return out

    def participant(self, head: Token, *, bare: bool = True) -> Participant | None:
        """The participant an argument head token stands for, or None.

        An actor with no country takes the one its phrase places it in ("ethnic Serbs in
        northern Kosovo"); an unnamed one is named by its words as written ("two young
        Serbs", "dozens of people": the guide's ``text`` when ``name`` is null).
        """
        found = self._placed(head, bare)
        if found is None or found.group or found.kind not in ("derived", "group"):
            return found
        actor = found.actor
        named = actor.wikidata_id is not None or (
            actor.entity_name and actor.entity_name.casefold() != actor.raw_text.casefold()
        )
        if named or head.lower_ in _PRONOUNS:
            return found
        phrase = self._as_written(head)
        if not phrase or len(phrase) < len(actor.raw_text) or actor.raw_text not in phrase:
            return found
        renamed = replace(actor, raw_text=phrase, entity_name=phrase)
        return Participant(renamed, found.start, found.end, found.kind, token=found.token)

    def _as_written(self, head: Token) -> str:
        """The words of an unnamed participant's noun phrase: its determiner, numbers and
        modifiers, and the "of" phrase of a quantity ("dozens of other suspects")."""
        start = head.left_edge.i
        for token in self.doc[start : head.i]:
            if (token.is_punct and token.text not in ("-", "'", "’")) or token.dep_ == "cc":
                start = token.i + 1
        end = head.i
        if head.lemma_.lower() in QUANTITIES or head.lower_ in QUANTITIES:
            inner = self._of_object(head)
            if inner is not None:
                end = inner.i
                for token in self.doc[inner.i + 1 : inner.right_edge.i + 1]:
                    if token.is_punct or token.dep_ in ("relcl", "acl"):
                        break
                    if token.dep_ == "prep" and token.lower_ != "of":
                        break  # "dozens of other suspects [with terrorism]"
                    end = token.i
        if head.lower_ in ("those", "anyone", "anybody", "everyone", "whoever"):
            end = max(end, head.right_edge.i)
        while end > start and self.doc[end].is_punct:
            end -= 1
        return self.doc[start : end + 1].text

    def _placed(self, head: Token, bare: bool) -> Participant | None:
        found = self._participant(head, bare)
        if found is None or found.group:
            return found
        found = settle(self, found, head)
        if found.kind == "group" and found.actor.entity_name == found.actor.raw_text:
            # "Protesters in Belgrade", "police in Skopje": an unnamed group's own place
            # says whose they are, before the country the sentence names elsewhere.
            for where in objects_via(head, ("in", "from")):
                country = self._country_at(where)
                if country:
                    actor = replace(found.actor, country=country)
                    return Participant(actor, found.start, found.end, found.kind, token=found.token)
        if found.actor.country or head.lemma_.lower() == "counterpart":
            return found  # "his counterpart": not the owner's country
        # "Iran's Ministry of Intelligence", "ethnic Serbs in northern Kosovo"
        places = [c for c in head.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
        objects = [
            o
            for child in head.children
            if child.dep_ == "prep" and child.lower_ in ("in", "from", "of", "at")
            for o in child.children
            if o.dep_ == "pobj"
        ]
        # "the Ministry of Foreign Affairs of Kosovo": the state follows the name's own "of".
        objects += [
            o
            for inner in objects
            if found.start <= inner.idx < found.end
            for child in inner.children
            if child.dep_ == "prep" and child.lower_ in ("of", "in")
            for o in child.children
            if o.dep_ == "pobj"
        ]
        places += objects
        # "teachers at hundreds of Serbian schools": the schools' state
        inner = [self._of_object(p) for p in objects if p.lower_ in QUANTITIES]
        places += [
            m
            for p in [*objects, *(i for i in inner if i is not None)]
            for m in p.children
            if m.dep_ in ("amod", "compound", "poss") and not affinity_word(m)
        ]
        for token in places:
            country = self._country_at(token)
            if country:
                actor = EventActor(**{**found.actor.as_json(), "country": country})
                return Participant(actor, found.start, found.end, found.kind, token=found.token)
        return local_home(self, found, head)

    def _country_at(self, token: Token) -> str | None:
        """The country a token names: a country, a place, or what a pronoun stands for."""
        where = self.index.at(token)
        if where is not None and where.kind in ("country", "organisation", "igo"):
            return where.country
        place = self.place_at.get(token.i)
        if place is not None:
            return place.country
        if token.lower_ in _PRONOUNS:
            found = resolve_pronoun(self, token)
            return found.actor.country if found is not None else None
        return None

    def _participant(self, head: Token, bare: bool) -> Participant | None:
        if is_dateline(head) and head.i in self.place_at:
            return None  # "ZVECAN, Kosovo, Nov 5 (...) -": where the report was filed
        if head.lower_ in _PRONOUNS:
            return resolve_pronoun(self, head)
        if head.lower_ == "whom" and head.dep_ == "dobj" and head.head.dep_ == "relcl":
            # "two nationals, whom Belgrade accuses of ...": the noun the clause is on.
            return self._participant(head.head.head, bare)
        mention = self.index.at(head)
        if mention is None and head.pos_ == "PROPN":
            # "Gordan Grlić [Radman]": a person's name the entity recogniser cut short.
            mention = next(
                (
                    found
                    for child in head.lefts
                    if child.dep_ == "compound"
                    and (found := self.index.at(child)) is not None
                    and found.kind == "person"
                ),
                None,
            )
            if mention is not None:
                end = head.idx + len(head.text)
                full = doc_text(self.doc)[mention.start : end]
                name = full if mention.entity_name == mention.text else mention.entity_name
                mention = replace(mention, end=end, text=full, entity_name=name)
        placed = mention is not None and mention.kind != "person" and mention.country
        bare_pair = head.lower_ == "both" and head.dep_ in ("dobj", "nsubj", "pobj")
        if bare_pair or (self._is_group(head) and not placed and not self._of_body(head)):
            # "both officials" stands for others, and "asked both to implement it" too
            # "both officials" stands for others; "two Bosnian Serb officials" says whose.
            text = self.doc[head.left_edge.i : head.i + 1].text
            actor = EventActor(raw_text=text, entity_name="", country=None, sector=None)
            return Participant(actor, head.left_edge.idx, _end(head), group=True, token=head.i)
        apposed = self._apposed_person(head)
        if mention is not None:
            if mention.kind != "person" and apposed is not None:
                return apposed
            return Participant(
                actor_from_mention(mention), mention.start, mention.end, mention.kind, token=head.i
            )
        if apposed is not None:
            return apposed
        return self._derived(head, bare)

    # -- helpers ----------------------------------------------------------------------

    def _of_body(self, head: Token) -> bool:
        """ "two senior officials of the Republika Srpska government": the group says whose."""
        inner = self._of_object(head)
        if inner is None:
            return False
        body = self.index.at(inner)
        if body is not None:
            return body.kind != "person" and bool(body.country)
        # "officials of the Republika Srpska government": a place names the body's state.
        return any(t.i in self.place_at for t in (inner, *inner.children) if t.dep_ != "prep")

    def _is_group(self, head: Token) -> bool:
        heads = self.lexicon.group_heads
        if head.lemma_.lower() not in heads and head.lower_ not in heads:
            return False
        words = " ".join(t.lower_ for t in head.lefts)
        return words in self.lexicon.group_determiners or any(
            f" {det} " in f" {words} " for det in self.lexicon.group_determiners
        )

    def _apposed_person(self, head: Token) -> Participant | None:
        """A person in apposition to ``head`` ("the minister, Armend Zemaj")."""
        candidates = [c for c in head.children if c.dep_ in ("appos", "conj")]
        # "the ambassador to Serbia, Christopher Hill": the apposition hangs lower down.
        candidates += [t for t in head.subtree if t.dep_ == "appos" and t not in candidates]
        # The parser often hangs "X, Ambassador Y," on the verb: take a person that
        # directly follows the argument phrase, separated by one comma.
        after = head.right_edge.i + 1
        if after + 1 < len(self.doc) and self.doc[after].text == ",":
            follower = self.doc[after + 1]
            candidates.append(follower.head if follower.dep_ == "compound" else follower)
            candidates.extend(
                t
                for t in self.doc[after + 1 : min(after + 5, len(self.doc))]
                if t.dep_ in ("npadvmod", "appos")
            )
        for candidate in candidates:
            mention = self.index.at(candidate)
            if mention is None or mention.kind != "person":
                continue
            if candidate.dep_ == "conj" and not self._comma_before(candidate):
                continue  # "X and Y" is two people, not an apposition
            if candidate.dep_ in ("nsubj", "nsubjpass") and not head.is_ancestor(candidate):
                continue  # "..., Borrell said": the speaker, not an apposition
            return Participant(
                actor_from_mention(mention), mention.start, mention.end, "person", token=candidate.i
            )
        return None

    def _comma_before(self, token: Token) -> bool:
        left = token.left_edge.i - 1
        return (
            left >= 0
            and self.doc[left].text == ","
            and not any(t.dep_ == "cc" for t in token.lefts)
        )

    def _phrase(self, head: Token) -> str:
        """The words of a noun phrase: its modifiers and an "of" phrase, no clauses."""
        start = head.i
        while start > head.left_edge.i:
            previous = self.doc[start - 1]
            if previous.is_punct and previous.text not in ("-", "'", "’"):
                break
            if previous.dep_ in ("det", "predet") and previous.head.i == head.i:
                break
            start -= 1
        end = head.i
        inner = self._of_object(head)
        if inner is not None:
            end = inner.i
            for token in self.doc[inner.i + 1 : inner.right_edge.i + 1]:
                if token.is_punct and token.text not in ("-",):
                    break
                end = token.i
        return self.doc[start : end + 1].text.strip(" ,;:")

    @staticmethod
    def _of_object(head: Token) -> Token | None:
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                objects = [c for c in child.children if c.dep_ == "pobj"]
                return objects[0] if objects else None
        return None

    def _sector(self, head: Token) -> str | None:
        nouns = self.lexicon.sector_nouns
        for child in head.lefts:
            pair = f"{child.lower_} {head.lower_}"
            if child.dep_ in ("amod", "compound") and pair in nouns:
                return nouns[pair]
        for key in (head.lower_, head.lemma_.lower()):
            if key in nouns:
                return nouns[key]
        for key in (head.lower_, head.lemma_.lower()):
            if key in PEOPLE_SECTORS:
                return PEOPLE_SECTORS[key]
        return None

    def _derived(self, head: Token, bare: bool) -> Participant | None:
        """An actor built from a modifier mention, knowledge, or the head noun alone."""
        sector = self._sector(head)
        role = head.lower_ in ROLE_NOUNS or head.lemma_.lower() in self.lexicon.group_heads
        if head.lemma_.lower() in self.lexicon.organisation_anaphors and all(
            c.dep_ in ("det", "punct") for c in head.lefts
        ):
            named = anaphor_target(self, head)
            if named is not None:  # "the alliance" after "NATO"
                return Participant(
                    actor_from_mention(named, self._phrase(head)),
                    head.idx,
                    _end(head),
                    named.kind,
                    token=head.i,
                )
            if (nato := unnamed_alliance(head, self._phrase(head))) is not None:
                return nato  # "the alliance" unnamed before: NATO
        lemma = head.lemma_.lower()
        if lemma in self.lexicon.classes.get("barricade", frozenset()) | INSTRUMENTS:
            # "Serb barricades blocked roads": the barricades' people act.
            for modifier in (c for c in head.children if c.dep_ in _MODIFIER_DEPS):
                named = self.index.at(modifier)
                if named is not None:
                    actor = actor_from_mention(named, named.text)
                    actor.sector = actor.sector if named.kind != "country" else "CVL"
                    return Participant(actor, named.start, named.end, token=modifier.i)
        collective = lemma in COLLECTIVES
        if collective and self._of_object(head) is not None:
            return self.participant(self._of_object(head), bare=bare)  # type: ignore[arg-type]
        if lemma in SENT_PEOPLE:
            for prep in head.children:
                if prep.dep_ == "prep" and prep.lower_ == "from":
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and (found := self.participant(obj)):
                            return found
        if sector is None and not role and not collective and head.pos_ != "PROPN":
            if bare:
                # "accepted the EU's plan", "concern about the Serbian military mobilisation",
                # "moves by Pristina", "the yard of the police station": the thing's owner
                # is the one concerned.
                inner = self._of_object(head)  # "the arrest of X by Y": Y acted
                preps = [p for p in head.children if p.dep_ == "prep" and p.lower_ == "by"]
                preps += [
                    p for p in (inner.children if inner is not None else ()) if p.lower_ == "by"
                ]
                preps += [p for p in head.children if p.dep_ == "prep" and p.lower_ == "of"]
                for prep in preps:
                    for obj in prep.children:
                        if obj.dep_ == "pobj" and (found := self.participant(obj)):
                            return found
                for owner in head.children:
                    if owner.dep_ not in ("poss", "amod", "compound", "nmod"):
                        continue
                    if owner.lower_ in RUN_BY and (run := self._run_by(head, owner)):
                        return run
                    named = self.index.at(owner)
                    if named is not None and named.kind != "person":
                        return Participant(
                            actor_from_mention(named), named.start, named.end, named.kind,
                            token=head.i,
                        )  # fmt: skip
                    if owner.dep_ == "poss" and owner.lower_ in PERSON_PRONOUNS | THING_PRONOUNS:
                        return resolve_pronoun(self, owner)  # "closed their airspace to his plane"
            return None  # "Serb barricades", "US advice": things, not actors
        source: EventActor | None = None
        modifiers = [c for c in head.children if c.dep_ in _MODIFIER_DEPS]
        for modifier in modifiers:
            if modifier.lower_ in LED_BY:
                # "the NATO-led peacekeeping force": the force of who leads it
                modifier = self._participle_owner(modifier) or modifier
            mention = self.index.at(modifier)
            if mention is not None and mention.kind != "person":
                source = actor_from_mention(mention)
                break
            if (
                mention is not None
                and modifier.dep_ == "poss"
                and mention.country
                and head.lemma_.lower() in LED_BODIES
            ):
                # "Kurti's government", "Vučić's party": the body of the leader's state.
                source = replace(actor_from_mention(mention), entity_name=self._phrase(head))
                break
        if source is None and (role or head.lower_ in ("mission", "embassy", "office")):
            inner = self._of_object(head)
            found = self.participant(inner) if inner is not None else None
            if found is not None:
                source = found.actor
        kind = "derived"
        if source is None:
            source = actor_from_knowledge([head, *modifiers])
            if source is not None and source.raw_text == head.text and source.sector is None:
                kind = "country"  # the head names a state ("Belgrade asked KFOR")
        place = self.place_at.get(head.i)
        if source is None and place is not None and place.kind != "country":
            return None  # "Nikšić", "Banjska": a town the knowledge places, not an actor
        if source is None and head.pos_ == "PROPN" and head.ent_type_ in _NAMED_ENTITIES:
            # A name the knowledge does not hold ("EUFOR"): an actor all the same.
            source = EventActor(
                raw_text=head.text, entity_name=head.text, country=None, sector=None
            )
        if source is None and ((sector is None and not role) or not bare):
            return None
        phrase, start = self._phrase_at(head)
        if source is None:
            actor = EventActor(raw_text=phrase, entity_name=phrase, country=None, sector=sector)
        else:
            actor = EventActor(
                raw_text=phrase,
                entity_name=self._role_name(head, source)
                if head.lower_ in ROLE_NOUNS
                else source.entity_name,
                country=source.country,
                sector=sector or source.sector,
                other_sectors=list(source.other_sectors),
                wikidata_id=source.wikidata_id if sector is None else None,
            )
        return Participant(actor, start, _end(head), kind, token=head.i)

    def _phrase_at(self, head: Token) -> tuple[str, int]:
        """``_phrase`` of ``head`` and where it starts in the text."""
        phrase = self._phrase(head)
        return phrase, max(doc_text(self.doc).find(phrase, self.doc[head.left_edge.i].idx), 0)

    def _participle_owner(self, participle: Token) -> Token | None:
        """The word naming who leads, runs or owns, of "NATO-led", "Serbian-run"."""
        return next((c for c in participle.children if self.index.at(c)), None)

    def _run_by(self, head: Token, participle: Token) -> Participant | None:
        """ "Serbian-run offices": the offices, of the state that runs them (an unnamed
        body, named by its phrase as the guide names unnamed groups)."""
        owner = self._participle_owner(participle)
        named = self.index.at(owner) if owner is not None else None
        if named is None or named.kind == "person" or not named.country:
            return None
        phrase, start = self._phrase_at(head)
        actor = EventActor(raw_text=phrase, entity_name=phrase, country=named.country, sector="GOV")
        return Participant(actor, start, _end(head), "derived", token=head.i)

    @staticmethod
    def _role_name(head: Token, source: EventActor) -> str:
        """A canonical name for an office holder known only by role: "head of <org>"."""
        words = [c.text for c in head.lefts if c.dep_ == "compound" and c.pos_ != "PROPN"]
        return f"{' '.join([*words, head.text])} of {source.entity_name}"


def _coordinated_appositions(token: Token) -> list[Token]:
    """A second side the parser hung as an apposition after "and": "Kosovo's chief
    negotiator Besnik Bislimi and his Serbian counterpart Petar Petković met"."""
    doc = token.doc
    out = [
        c
        for c in token.children
        if c.dep_ == "appos"
        and c.left_edge.i > 0
        and doc[c.left_edge.i - 1].dep_ == "cc"
        and doc[c.left_edge.i - 1].lower_ == "and"
    ]
    # "Milorad Dodik, the Serb member of the presidency, and Željka Cvijanović": a name
    # the parser coordinated with the apposition.
    out += [
        conj
        for c in token.children
        if c.dep_ == "appos" and token.pos_ == "PROPN"
        for conj in c.conjuncts
        if conj.pos_ == "PROPN" and conj.i > c.i
    ]
    return out


def _end(token: Token) -> int:
    return token.idx + len(token.text)
