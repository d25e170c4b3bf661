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
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
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


# The characters folding may change: the ASCII ones ``_PLAIN`` replaces (the backtick)
# and every non-ASCII one. Most text is ASCII, so only these are replaced, found by a
# regular expression, instead of calling Python for every character.
_ASCII_PLAIN = re.compile("[" + re.escape("".join(chr(c) for c in _PLAIN if c < 128)) + "]")
_FOLDABLE = re.compile(f"[^\\x00-\\x7f]|{_ASCII_PLAIN.pattern}")
# Each foldable character met so far -> its folded character. Characters are few; the
# bound only guards against pathological input.
_FOLDED: dict[str, str] = {}
_MAX_FOLDED = 1 << 16


def fold_chars(text: str) -> str:
    """``text`` without diacritics, one character for one, so offsets stay valid."""
    if text.isascii() and not _ASCII_PLAIN.search(text):
        return text  # nothing to fold: the common case for single words
    return _FOLDABLE.sub(_folded_match, text)


def _folded_match(match: re.Match[str]) -> str:
    ch = match.group()
    folded = _FOLDED.get(ch)
    if folded is None:
        if len(_FOLDED) >= _MAX_FOLDED:
            _FOLDED.clear()
        folded = _FOLDED[ch] = _fold_char(ch.translate(_PLAIN))
    return folded


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
        self._targets: dict[int, tuple[str, CaseRule, str]] = {}  # see ``_target``

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
        words = _text_words(text, self._vocab)
        if words is None:
            return []
        bounds, doc = words
        hits: list[PhraseHit] = []
        for match_id, start, end in self._matcher(doc):
            key, rule, phrase = self._target(match_id)
            char_start, char_end = bounds[2 * start], bounds[2 * end - 1]
            written = text[char_start:char_end]
            if case_ok(written, phrase, rule):
                hits.append(PhraseHit(char_start, char_end, key, written))
        return hits

    def _target(self, match_id: int) -> tuple[str, CaseRule, str]:
        """The key, case rule and phrase of a matcher id, read from its name once."""
        target = self._targets.get(match_id)
        if target is None:
            name = self._vocab.strings[match_id]
            key, rule = name.split("\t")[:2]
            target = self._targets[match_id] = (key, _as_rule(rule), self._phrases[name])
        return target

    def _words_doc(self, phrase: str) -> Doc | None:
        folded = fold_chars(phrase)
        words = [folded[s:e] for s, e in word_spans(folded)]
        if not words:
            return None
        return Doc(self._vocab, words=words, spaces=[False] * len(words))


# ``_WORDS`` as a splitter: a text splits into gap, word, gap, word, ..., gap, the gaps
# being the (possibly empty) whitespace between words. Splitting and summing the parts'
# lengths is faster than a Match object per word.
_WORDS_SPLIT = re.compile(f"({_WORDS.pattern})")

# The words of the texts searched last, shared by every index on the same vocab:
# ``pw_actors`` and ``pw_places`` both search each document's text, and splitting and
# folding it into a words Doc costs more than matching. The components run one after
# the other on each document, so a few entries suffice; the oldest goes first.
_RECENT_WORDS: dict[str, tuple[Vocab, list[int], Doc]] = {}
_MAX_RECENT_WORDS = 32


def _text_words(text: str, vocab: Vocab) -> tuple[list[int], Doc] | None:
    """A Doc of the words of ``text`` (folded, as ``word_spans`` splits it) and their
    bounds: word ``k`` is ``text[bounds[2 * k] : bounds[2 * k + 1]]``. None if no words."""
    known = _RECENT_WORDS.get(text)
    if known is not None and known[0] is vocab:
        return known[1], known[2]
    parts = _WORDS_SPLIT.split(fold_chars(text))
    words = parts[1::2]
    if not words:
        return None
    bounds = list(accumulate(map(len, parts)))  # where each part ends
    doc = Doc(vocab, words=words, spaces=[False] * len(words))
    if len(_RECENT_WORDS) >= _MAX_RECENT_WORDS:
        del _RECENT_WORDS[next(iter(_RECENT_WORDS))]
    _RECENT_WORDS[text] = (vocab, bounds, doc)
    return bounds, doc


def _as_rule(value: str) -> CaseRule:
    if value in ("any", "capitalised", "not_lower", "exact"):
        return cast(CaseRule, value)
    raise ValueError(f"unknown case rule {value!r}")


def longest_first(hits: Iterable[PhraseHit]) -> list[PhraseHit]:
    """Non-overlapping hits, the longest winning, then the earliest; sorted by start."""
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), h.start))
    if any(hit.end <= hit.start for hit in ordered):
        return _longest_first_pairwise(ordered)
    chosen: list[PhraseHit] = []
    # The hits taken so far, by start: they do not overlap and none is empty, so their
    # ends rise with their starts, and a new hit overlaps one of them exactly when it
    # overlaps the last that starts before it ends (one bisection, not a test of each).
    starts: list[int] = []
    ends: list[int] = []
    for hit in ordered:
        k = bisect_left(starts, hit.end)
        if k == 0 or ends[k - 1] <= hit.start:
            chosen.append(hit)
            starts.insert(k, hit.start)
            ends.insert(k, hit.end)
    return sorted(chosen, key=lambda h: h.start)


def _longest_first_pairwise(ordered: list[PhraseHit]) -> list[PhraseHit]:
    """``longest_first`` by testing each taken hit (empty hits break the bisection's
    premise; phrases have words, so this is a safeguard)."""
    chosen: list[PhraseHit] = []
    taken: list[tuple[int, int]] = []
    for hit in ordered:
        if all(hit.end <= s or hit.start >= e for s, e in taken):
            chosen.append(hit)
            taken.append((hit.start, hit.end))
    return sorted(chosen, key=lambda h: h.start)
