"""The names ``pw_actors`` looks for: every actor name of the knowledge in one ``PhraseIndex``.

Keys say what a name stands for: ``person:<full name>``, ``org:<key>``,
``country:<ISO3>``, ``demonym:<ISO3>``, ``capital:<ISO3>``, ``ethnic:<index>``,
``surname:<folded>``.
How each name must be written (``CaseRule``):

- codes and short abbreviations ("US", "U.S.", "EU", "KSF") exactly in capitals;
- longer abbreviations ("NATO", "KFOR") and names of several words not all in lower
  case ("Nato"; "United states"; "the american mission to NATO"; never "general
  assembly" for the UN's);
- persons' names, surnames and one-word names of organisations capitalised;
- one-word country names and demonyms in any case ("kosovo", "american").

A leading "the" is dropped ("the Kosovo Security Force" is the mention "Kosovo Security
Force"), except where one capitalised word would be left: "the Union" and "the
Alliance" are names only with their article. Country names also get an "s" form, for
possessives written without the apostrophe ("Kosovos Security Framework").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from pactwatch.knowledge import Knowledge, fold
from pactwatch.nlp.components.phrase_index import CaseRule, PhraseIndex
from pactwatch.nlp.components.sentence_bounds import doc_text

SOURCE_PRIORITY: dict[str, int] = {
    "person": 7,
    "org": 6,
    "ethnic": 5,
    "country": 4,
    "demonym": 3,
    "capital": 2,
    "surname": 1,
}
"""Which reading wins when two names cover the same words."""

SPOKEN_TWO_LETTER_CODES = frozenset({"US", "UK"})
"""Two-letter codes written as names in English news; others ("IT", "NO", "ME") are words."""

_ARTICLE = re.compile(r"^(?:the)\s+", re.IGNORECASE)


def fold_key(text: str) -> str:
    """The comparison key of a name (knowledge's folding, possessive dropped)."""
    key = fold(text)
    return key[:-2] if key.endswith("'s") else key


def case_rule(name: str, single_word: CaseRule, several_words: CaseRule) -> CaseRule:
    """How ``name`` must be written to count (see the module docstring)."""
    words = name.split()
    compact = [w.replace(".", "") for w in words]
    if any(c.isalpha() and c.isupper() and len(c) <= 3 for c in compact):
        return "exact"
    if any(c.isalpha() and c.isupper() and len(c) >= 2 for c in compact):
        return "not_lower"
    return several_words if len(words) > 1 else single_word


def without_article(name: str) -> str:
    """``name`` without a leading "the", unless one word would be left ("the Union").

    A code keeps no article ("the US" -> "US"): codes are matched in capitals anyway.
    """
    bare = _ARTICLE.sub("", name.strip())
    if bare != name.strip() and len(bare.split()) == 1 and not bare.replace(".", "").isupper():
        return name.strip()
    return bare


def _add(
    index: PhraseIndex,
    key: str,
    names: Iterable[str],
    single_word: CaseRule,
    several_words: CaseRule = "not_lower",
) -> None:
    by_rule: dict[CaseRule, list[str]] = {}
    for name in names:
        bare = without_article(name)
        if not bare:
            continue
        rule = case_rule(bare, single_word, several_words)
        if bare.lower().startswith("the "):
            rule = "capitalised"  # "the Union", "the Alliance": never "the union"
        by_rule.setdefault(rule, []).append(bare)
    for rule, phrases in by_rule.items():
        index.add(key, phrases, rule)


def build_actor_index(vocab: Vocab, kb: Knowledge) -> PhraseIndex:
    """One index of every actor name in ``kb`` (keys in the module docstring)."""
    index = PhraseIndex(vocab)
    for person in kb.persons.values():
        names = [person.name, *person.aliases]
        _add(index, f"person:{person.name}", names, "capitalised", "capitalised")
        for surname in person.surnames:
            index.add(f"surname:{fold(surname)}", [surname], "capitalised")
    for org in kb.organisations:
        _add(index, f"org:{org.key}", [org.name, *org.aliases], "capitalised")
    for number, group in enumerate(kb.ethnic_groups):
        _add(index, f"ethnic:{number}", [group.name, *group.aliases], "capitalised")
    for country in kb.countries.values():
        names = [country.name, *country.aliases]
        plurals = [f"{n}s" for n in names if " " not in n and len(n) >= 4 and not n.endswith("s")]
        _add(index, f"country:{country.code}", [*names, *plurals], "any")
        codes = [country.code, *country.codes]
        spoken = [
            c
            for c in codes
            if len(c.replace(".", "")) > 2 or c.replace(".", "") in SPOKEN_TWO_LETTER_CODES
        ]
        index.add(f"country:{country.code}", spoken, "exact")
        _add(index, f"demonym:{country.code}", country.demonyms, "any", "any")
    for code, names in capital_names(kb).items():
        index.add(f"capital:{code}", names, "capitalised")
    return index


def capital_names(kb: Knowledge) -> dict[str, list[str]]:
    """Each state's capital with the gazetteer's other names for it ("Prishtina")."""
    names: dict[str, list[str]] = {}
    for country in kb.countries.values():
        if not country.capital:
            continue
        found = [country.capital]
        for place in kb.places_named(country.capital):
            if place.country == country.code and place.kind != "country":
                found.extend([place.name, *place.aliases])
        names[country.code] = list(dict.fromkeys(found))
    return names


def clean_span(span: Span) -> Span | None:
    """An NER span without a leading article and a trailing possessive; None if empty."""
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and span.doc[end - 1].lower_ in ("'s", "’s", "'", "’"):
        end -= 1
    if start >= end:
        return None
    return span.doc[start:end]


# Token facts ------------------------------------------------------------------------------
#
# ``pw_actors`` looks at every token of a document several times (is it capitalised, a
# surname, a lexicon word?). Each ``doc[i]`` or ``for token in doc`` builds a new spaCy
# Token object, which costs more than the test itself; the facts below are read once per
# document into plain lists indexed like the tokens. Facts only a few tokens are asked
# about (tags, flags) are still read from their Token.


@dataclass(frozen=True, slots=True)
class TokenFacts:
    """Per-token facts of one Doc: ``text[i]`` is ``doc[i].text`` and so on."""

    text: list[str]
    start: list[int]  # token.idx
    end: list[int]  # token.idx + len(token)
    sentence_starts: frozenset[int]  # the tokens whose ``is_sent_start`` is True


_FACTS: WeakKeyDictionary[Doc, TokenFacts] = WeakKeyDictionary()


def token_facts(doc: Doc) -> TokenFacts:
    """The ``TokenFacts`` of ``doc``, read once and kept as long as the Doc lives."""
    facts = _FACTS.get(doc)
    if facts is None:
        facts = _FACTS[doc] = _read_facts(doc)
    return facts


def _read_facts(doc: Doc) -> TokenFacts:
    columns = doc.to_array([IDX, LENGTH, SENT_START])
    starts = columns[:, 0].tolist()
    ends = (columns[:, 0] + columns[:, 1]).tolist()
    text = doc_text(doc)  # a token's text is its slice: no string-store look-up per token
    return TokenFacts(
        text=[text[a:b] for a, b in zip(starts, ends, strict=True)],
        start=starts,
        end=ends,
        # SENT_START is 1 at a sentence start, -1 inside one, 0 when unknown.
        sentence_starts=frozenset(numpy.flatnonzero(columns[:, 2] == 1).tolist()),
    )
