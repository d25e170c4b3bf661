"""Which NER spans name no actor, for ``pw_actors``.

The small English pipeline tags capitalised common words as persons and organisations
("- Engagement: Foster closer relations", "In May", "the role of Joint Initiatives") and
places as actors. These tests use the knowledge's gazetteer and the English word lists
of the pipeline's lemmatizer; they apply only to spans knowledge does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from pactwatch.knowledge import Knowledge
from pactwatch.nlp.components.phrase_index import PARTICLES
from pactwatch.nlp.components.role_lexicon import LexiconMarks

# Head nouns of organisation names: "Operational Reserve Force" is an organisation even
# though each of its words is an ordinary English word.
ORGANISATION_NOUNS = frozenset(
    {"agency", "alliance", "association", "authority", "bank", "board", "bureau", "centre",
     "center", "chamber", "church", "club", "command", "commission", "committee", "company",
     "corporation", "council", "court", "department", "directorate", "federation", "forum",
     "foundation", "front", "fund", "group", "guard", "initiative", "institute", "league",
     "mission", "movement", "network", "office", "organisation", "organization", "party",
     "police", "service", "society", "union", "university"}
)  # fmt: skip
_JOINED_PLACES = re.compile(r"[/\-–]")


class NoiseFilter:
    """Tells the NER spans that name nobody (see the module docstring)."""

    def __init__(self, knowledge: Knowledge, english_words: Iterable[str] = ()) -> None:
        self.kb = knowledge
        self._english = frozenset(english_words)

    def is_noise(self, doc: Doc, source: str, span: Span, marks: LexiconMarks) -> bool:
        """Whether an unknown NER span of ``source`` ("ner_person"...) names nobody.

        A place NER took for a person, a people or an organisation ("Mitrovica",
        "Banjskë/Banjska", "Prizren-Pristina"); persons that are no names
        (``not_a_name``); an adjective of an unknown people ("Soviet-designed"); a
        heading's capitalised common words read as an organisation ("the role of Joint
        Initiatives").
        """
        words = [t for t in span if t.is_alpha]
        if not words:
            return True
        parts = [p.strip() for p in _JOINED_PLACES.split(span.text) if p.strip()]
        if parts and all(self.kb.places_named(p) for p in parts):
            return True
        if source == "ner_person":
            return self.not_a_name(span)
        if source == "ner_norp":
            last = span[-1]
            after = doc[last.i + 1] if last.i + 1 < len(doc) else None
            return last.dep_ == "amod" or (
                after is not None and after.text == "-" and not last.whitespace_
            )
        return all(
            self.is_english(t.lower_)
            and t.lower_ not in ORGANISATION_NOUNS
            and t.i not in marks.titles
            and t.i not in marks.domains
            for t in words
        )

    def not_a_name(self, span: Span) -> bool:
        """Whether an unknown NER person is no person's name.

        A name is capitalised ("Javelin anti-tank" is not one) and not made of English
        words alone ("In May", "On Monday", "Twitter", a bullet's verb "Foster"); an
        outlet in a dateline starts with a place ("(Belgrade Ledger)"). Bare surnames of
        persons named in the document, and known persons, never come here: they are
        found as persons first.
        """
        if len(span) > 1 and self.kb.places_named(span[0].text):
            return True
        tokens = [t for t in span if not t.is_punct]
        if any(t.text.islower() and t.lower_ not in PARTICLES for t in tokens):
            return True
        english = all(t.is_stop or self.is_english(t.lower_) for t in tokens)
        # "Christopher Hill" is English words too: several words need a stop word.
        return english and (len(tokens) == 1 or any(t.is_stop for t in tokens))

    def is_english(self, word: str) -> bool:
        """Whether ``word`` (lower case) is an English word or a plural of one."""
        if word in self._english:
            return True
        if word.endswith("ies"):
            return f"{word[:-3]}y" in self._english
        return word.endswith("s") and word[:-1] in self._english


def english_words(nlp: Language) -> frozenset[str]:
    """Base forms of English nouns, verbs, adjectives and adverbs from the lemmatizer's
    tables (WordNet's word lists in the English pipelines); empty when there are none."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    table = lookups.get_table("lemma_index")
    words: set[str] = set()
    for part in ("noun", "verb", "adj", "adv"):
        if part in table:
            words.update(table[part])
    return frozenset(words)
