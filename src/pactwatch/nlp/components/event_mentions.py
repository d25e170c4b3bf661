"""Actor mentions of a document as the events component reads them.

``MentionIndex`` looks mentions up by token and finds the ones a pronoun or a
description stands for ("he", "the alliance", "the two sides"); ``Participant`` is an
event actor with the span it was read from; the knowledge base is the fall-back for
names no mention covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from pactwatch.knowledge import Knowledge, load_knowledge
from pactwatch.nlp.components.sentence_bounds import (
    sentence_at,
    sentence_index,
    sentence_of,
    sentence_start,
)
from pactwatch.nlp.records import ActorMention, EventActor

NON_STATE_CODES = frozenset({"IGO", "EUR", "UNO", "NGO"})
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "JUD", "LEG"})


@dataclass(slots=True)
class Participant:
    """An event actor with the character span it was read from.

    ``kind`` is the actor mention's kind ("person", "country", ...) or "derived" for an
    actor built from a phrase ("Serbian police").
    """

    actor: EventActor
    start: int
    end: int
    kind: str = "derived"
    group: bool = False  # "both officials": stands for an earlier event's participants
    token: int = -1

    @property
    def is_person(self) -> bool:
        return self.kind == "person"


@cache
def _knowledge() -> Knowledge | None:
    try:
        return load_knowledge()
    except Exception:  # the fall-back must never stop extraction
        return None


class MentionIndex:
    """Actor mentions of a document, looked up by token."""

    def __init__(self, doc: Doc, mentions: Sequence[ActorMention] | None) -> None:
        self.doc = doc
        self.by_token: dict[int, ActorMention] = {}
        self.persons: list[tuple[int, ActorMention]] = []
        self.organisations: list[tuple[int, ActorMention]] = []
        self.states: list[tuple[int, ActorMention]] = []
        for mention in mentions or ():
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                current = self.by_token.get(token.i)
                if current is None or (current.end - current.start) < (mention.end - mention.start):
                    self.by_token[token.i] = mention
            if mention.kind == "person":
                self.persons.append((span.start, mention))
            elif mention.kind in ("igo", "organisation"):
                self.organisations.append((span.start, mention))
            if mention.country and mention.kind in ("person", "country", "organisation", "igo"):
                self.states.append((span.start, mention))

    def at(self, token: Token) -> ActorMention | None:
        return self.by_token.get(token.i)

    def person_before(
        self, token: Token, max_sentences: int = 2, *, subject: bool = False
    ) -> ActorMention | None:
        """The nearest person mentioned before ``token`` within ``max_sentences``.

        ``subject``: prefer a person named as a subject ("When Ulutaş paid a visit to
        the chief, the general thanked him": him is Ulutaş).
        """
        found = self._before(self.persons, token, max_sentences)
        if subject:
            subjects = [m for m in found if self._is_subject(m)]
            found = subjects or found
        return found[-1] if found else None

    def _is_subject(self, mention: ActorMention) -> bool:
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

    def body_before(self, token: Token) -> ActorMention | None:
        """The nearest country or organisation named before ``token`` in its sentence."""
        first = sentence_at(token.doc, token.i)[0]
        found = [
            m
            for start, m in self.states
            if first <= start < token.i and m.kind in ("country", "organisation", "igo")
        ]
        return found[-1] if found else None

    def organisation_before(self, token: Token, max_sentences: int = 3) -> ActorMention | None:
        """The nearest organisation mentioned before ``token`` ("NATO ... the alliance")."""
        found = self._before(self.organisations, token, max_sentences)
        return found[-1] if found else None

    def sides_before(self, token: Token, max_sentences: int = 2) -> list[ActorMention]:
        """The actors of distinct countries named last before ``token`` ("the two sides"),
        in the sentences before it if they name two, else in its own."""
        earlier = self._before(self.states, token, max_sentences)
        sentence_begins = sentence_of(token).start_char
        before_sentence = [m for m in earlier if m.start < sentence_begins]
        if len({m.country for m in before_sentence}) >= 2:
            earlier = before_sentence
        out: list[ActorMention] = []
        for mention in reversed(earlier):
            if all(m.country != mention.country for m in out):
                out.append(mention)
        return list(reversed(out[:2]))

    def _before(
        self, items: list[tuple[int, ActorMention]], token: Token, max_sentences: int
    ) -> list[ActorMention]:
        index = sentence_index(self.doc, token.i)
        first = sentence_start(self.doc, index - max_sentences + 1)
        return [m for start, m in items if first <= start < token.i]


def actor_from_mention(mention: ActorMention, raw_text: str | None = None) -> EventActor:
    """The PLOVER actor record of an actor mention."""
    return EventActor(
        raw_text=raw_text or mention.text,
        entity_name=mention.entity_name,
        country=mention.country,
        sector=mention.sector,
        other_sectors=list(mention.other_sectors),
        wikidata_id=mention.wikidata_id,
        ambiguous=mention.ambiguous,
        candidates=list(mention.candidates),
    )


def is_state_actor(participant: Participant) -> bool:
    """A state or an agent of one (government, armed forces, police, courts...)."""
    actor = participant.actor
    if actor.sector in STATE_SECTORS:
        return True
    return participant.kind == "country" and actor.country not in (None, *NON_STATE_CODES)


def actor_from_knowledge(tokens: Sequence[Token]) -> EventActor | None:
    """A country, capital, organisation or ethnic group the knowledge base names among
    ``tokens`` (the fall-back when no actor mention covers them); the first token only
    counts as a capital."""
    kb = _knowledge()
    if kb is None:
        return None
    for token in tokens:
        if not (token.pos_ in ("PROPN", "ADJ") or token.text[:1].isupper()):
            continue
        country = kb.country(token.text)
        if country is not None:
            return EventActor(
                raw_text=token.text,
                entity_name=country.name,
                country=country.code,
                sector=None,
            )
        organisation = kb.organisation(token.text)
        if organisation is not None:
            return EventActor(
                raw_text=token.text,
                entity_name=organisation.name,
                country=organisation.country,
                sector=organisation.sector,
                wikidata_id=organisation.wikidata_id,
            )
        capitals = [
            c for c in kb.countries.values() if c.capital and c.capital.casefold() == token.lower_
        ]
        # "Belgrade asked KFOR": the capital speaks for its state.
        if capitals and token.i == tokens[0].i and not is_dateline(token):
            country = capitals[0]
            return EventActor(
                raw_text=token.text, entity_name=country.name, country=country.code, sector=None
            )
        group = kb.ethnic_group(token.text)
        if group is not None:
            return EventActor(
                raw_text=token.text,
                entity_name=group.name,
                country=group.country,
                sector=group.sector,
            )
    return None


def is_dateline(token: Token) -> bool:
    """ "BRUSSELS, Feb 27 (...) -": the place a report is filed from, not an actor."""
    return token.is_upper and len(token.text) > 3 and token.i < 3
