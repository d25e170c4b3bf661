"""Groups of people named by a noun, for ``pw_actors``.

Two shapes:

- a body or country followed by the people who act for it: "KFOR troops", "EU foreign
  ministers", "Serbian soldiers", "Serb protesters". The body's or country's mention is
  stretched over the noun and becomes a group with the noun's sector ("KFOR troops":
  Kosovo Force, IGO, MIL);
- a group noun of ``roles.yaml`` on its own: "protesters" (CVL), "gunmen" (REB),
  "police" (COP), with the adjectives before it ("masked gunmen"). Such a group has no
  name; the country is that of the sentence when it names one country, else the one the
  document names most, and none for armed attackers (REB), whose side the noun does
  not tell.

A group noun that modifies another noun is no group ("police station").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pactwatch.nlp.components.actor_index import token_facts
from pactwatch.nlp.components.role_lexicon import LexiconMarks, RoleLexicon, normalise_word
from pactwatch.nlp.records import ActorMention

_BODIES = ("country", "demonym", "org", "ethnic", "ner_org", "ner_norp")
_NO_COUNTRY_SECTORS = frozenset({"REB"})
_NON_STATE = frozenset({"IGO", "EUR", "UNO", "NGO"})
_POSSESSIVE = frozenset({"'s", "’s"})


@dataclass(frozen=True, slots=True)
class GroupNoun:
    """Tokens ``start:end`` name people of ``sector``; ``first`` includes adjectives.

    ``standalone``: a group noun ("protesters"), which is a group on its own; a plural
    title ("ministers") is one only after a body ("EU foreign ministers").
    """

    first: int
    start: int
    end: int
    sector: str | None
    standalone: bool


def group_nouns(doc: Doc, lexicon: RoleLexicon, marks: LexiconMarks) -> Iterator[GroupNoun]:
    """The group nouns and plural titles of ``doc`` that head their noun phrase."""
    facts = token_facts(doc)
    words = [normalise_word(text) for text in facts.text]
    for sent in doc.sents:
        for hit in lexicon.find(words[sent.start : sent.end]):
            start, end = sent.start + hit.start, sent.start + hit.end
            if end < len(doc) and doc[end].tag_ in ("NN", "NNS", "NNP", "NNPS"):
                continue  # "police station": the group word modifies a noun
            standalone = hit.has("group")
            if standalone:
                sector = hit.sector_of("group")
            elif hit.has("office", "rank", "head") and doc[end - 1].tag_ == "NNS":
                sector = lexicon.sectors(doc[start:end].text)[0]  # "ministers", "troops"
            else:
                continue
            first = start
            while first > sent.start and (first - 1 in marks.words or _adjective(doc[first - 1])):
                first -= 1
            while first < start and first > sent.start and doc[first - 1].text == "-":
                first += 1  # "NATO-led peacekeepers": not "led peacekeepers"
            yield GroupNoun(first, start, end, sector, standalone)


def _adjective(token: Token) -> bool:
    """An adjective describing the people: "masked gunmen", "Masked gunmen opened fire"."""
    written = token.text.islower() or bool(token.is_sent_start)
    return token.tag_ in ("JJ", "VBN") and token.dep_ == "amod" and written  # not "added"


def body_edge(doc: Doc, first: int) -> int:
    """Where the name of a body owning the people from token ``first`` would end: right
    before them, or before a possessive ("Kosovo’s armed forces")."""
    facts = token_facts(doc)
    before = first - 1
    if before > 0 and facts.text[before] in _POSSESSIVE:
        before -= 1
    return facts.end[before] if before >= 0 else -1


def is_body(source: str) -> bool:
    """Whether a find of this source can stand for the people acting for it."""
    return source in _BODIES


def context_countries(mentions: list[ActorMention]) -> tuple[dict[int, set[str]], str | None]:
    """The states each sentence names (as countries or as their peoples), and the state
    the document names most."""
    by_sentence: dict[int, set[str]] = {}
    counts: Counter[str] = Counter()
    for mention in mentions:
        state = mention.country is not None and mention.country not in _NON_STATE
        # "Serb protesters": an ethnic word says who people are, not which state is there.
        state = state and mention.text.casefold() not in _ETHNIC_WORDS
        if mention.kind in ("country", "group") and state and mention.country:
            by_sentence.setdefault(mention.sentence, set()).add(mention.country)
            counts[mention.country] += 1
    main = counts.most_common(1)[0][0] if counts else None
    return by_sentence, main


_ETHNIC_WORDS = frozenset({"serb", "serbs", "croat", "croats", "bosniak", "bosniaks"})


def place_unnamed_groups(
    mentions: list[ActorMention], unnamed: set[int], things: Collection[int] = ()
) -> None:
    """Give the groups without a name (indices ``unnamed``) the country of their context,
    leaving out the peoples' adjectives that describe things (indices ``things``): "the
    French proposal" says nothing of which state's police clashed with protesters."""
    by_sentence, main = context_countries([m for i, m in enumerate(mentions) if i not in things])
    for number in unnamed:
        mention = mentions[number]
        if mention.sector in _NO_COUNTRY_SECTORS:
            continue
        in_sentence = by_sentence.get(mention.sentence, set())
        mention.country = next(iter(in_sentence)) if len(in_sentence) == 1 else main
