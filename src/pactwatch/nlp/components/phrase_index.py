"""Finding known names in text: spaCy's ``PhraseMatcher`` over a folded copy of the text.

Shared by ``pw_actors`` and ``pw_places``. The text is folded character by character
(diacritics dropped, typographic apostrophes and dashes made plain), so every offset in
the folded copy is the offset in the original: "Nebojsa Stefanovic" finds
"Nebojša Stefanović" and the reverse. The copy is split into words by one regular
expression that keeps dotted abbreviations whole ("U.S." in "U.S.-led", "U.S.is") and
cuts off possessives ("Kosovo" in "Kosovo’s"); the names are split the same way, and
matched on lower case.

Lower-case matching finds "kosovo" and "United states" but would also find the pronoun
"us" and the noun "hill": each phrase carries a ``CaseRule`` checked on the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, cast

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

CaseRule = Literal["any", "capitalised", "not_lower", "exact"]
"""How the text must be written for a phrase to count.

``any``: any case ("kosovo"); ``capitalised``: every word but particles ("the", "of",
"von"...) starts with a capital ("Hill", not "hill"; "the Union", not "the union");
``not_lower``: not all lower case ("Nato", "NATO", "American mission to NATO", not
"nato" or "general assembly"); ``exact``: the capitals of the phrase ("US", not "us").
"""

PARTICLES = frozenset(
    {"the", "of", "and", "for", "in", "on", "to", "at", "de", "del", "der", "den", "van",
     "von", "da", "di", "e", "i", "y", "la", "le", "bin", "al", "el"}
)  # fmt: skip

_WORDS = re.compile(r"(?:[^\W\d_]\.){2,}|\w+|[^\w\s]")
_PLAIN = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-",
                        "‒": "-", "–": "-", "—": "-"})  # fmt: skip
_ONE_LETTER = {"đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ı": "i",
               "ß": "s", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "þ": "t", "ð": "d"}  # fmt: skip


def fold_chars(text: str) -> str:
    """``text`` without diacritics, one character for one, so offsets stay valid."""
    text = text.translate(_PLAIN)
    if text.isascii():
        return text
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch in _ONE_LETTER:
        return _ONE_LETTER[ch]
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def word_spans(text: str) -> list[tuple[int, int]]:
    """Character offsets of the words and punctuation marks of ``text``."""
    return [m.span() for m in _WORDS.finditer(text)]


def case_ok(written: str, phrase: str, rule: CaseRule) -> bool:
    """Whether ``written`` (the text as found) is written as ``rule`` asks."""
    if rule == "any":
        return True
    if rule == "capitalised":
        words = [written[a:b] for a, b in word_spans(written)]
        return all(
            w[:1].isupper() for w in words if w[:1].isalpha() and w.lower() not in PARTICLES
        ) and any(w[:1].isupper() for w in words)
    if rule == "not_lower":
        return not written.islower()
    return fold_chars(written) == fold_chars(phrase)


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """One occurrence of an indexed phrase: offsets into the text and the target key."""

    start: int
    end: int
    key: str
    text: str


class PhraseIndex:
    """Phrases grouped under target keys ("country:XKX"), found in text by lower case."""

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._matcher = PhraseMatcher(vocab, attr="LOWER")
        self._phrases: dict[str, str] = {}  # matcher id -> the phrase, for "exact"

    def add(self, key: str, phrases: Iterable[str], rule: CaseRule = "any") -> None:
        """Index ``phrases`` under ``key``; each must be written as ``rule`` asks."""
        for phrase in dict.fromkeys(p.strip() for p in phrases):
            doc = self._words_doc(phrase)
            if doc is None:
                continue
            match_id = f"{key}\t{rule}\t{phrase}" if rule == "exact" else f"{key}\t{rule}"
            self._phrases[match_id] = phrase
            self._matcher.add(match_id, [doc])

    def find(self, text: str) -> list[PhraseHit]:
        """Every occurrence of an indexed phrase in ``text`` (overlaps included)."""
        folded = fold_chars(text)
        spans = word_spans(folded)
        if not spans:
            return []
        doc = Doc(self._vocab, words=[folded[s:e] for s, e in spans], spaces=[False] * len(spans))
        hits: list[PhraseHit] = []
        for match_id, start, end in self._matcher(doc):
            name = self._vocab.strings[match_id]
            key, rule = name.split("\t")[:2]
            char_start, char_end = spans[start][0], spans[end - 1][1]
            written = text[char_start:char_end]
            if case_ok(written, self._phrases[name], _as_rule(rule)):
                hits.append(PhraseHit(char_start, char_end, key, written))
        return hits

    def _words_doc(self, phrase: str) -> Doc | None:
        folded = fold_chars(phrase)
        words = [folded[s:e] for s, e in word_spans(folded)]
        if not words:
            return None
        return Doc(self._vocab, words=words, spaces=[False] * len(words))


def _as_rule(value: str) -> CaseRule:
    if value in ("any", "capitalised", "not_lower", "exact"):
        return cast(CaseRule, value)
    raise ValueError(f"unknown case rule {value!r}")


def longest_first(hits: Iterable[PhraseHit]) -> list[PhraseHit]:
    """Non-overlapping hits, the longest winning, then the earliest; sorted by start."""
    chosen: list[PhraseHit] = []
    taken: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            chosen.append(hit)
            taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: h.start)
