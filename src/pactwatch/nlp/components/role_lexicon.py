"""The role lexicon of ``knowledge/data/roles.yaml``: title words and the sectors they imply.

``pw_actors`` asks it which tokens are titles (a name beside one is a person's name);
``pw_roles`` asks it for the sector and other sectors of a role as written. The rules
that turn the words of a role into sectors are stated at the top of ``roles.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal
from weakref import WeakKeyDictionary

import yaml
from spacy.tokens import Doc

from pactwatch.errors import ConfigError
from pactwatch.knowledge import DATA_DIR
from pactwatch.nlp.components.actor_index import token_facts
from pactwatch.nlp.components.phrase_index import fold_chars
from pactwatch.yaml_load import safe_load

Category = Literal["office", "rank", "head", "domain", "honorific", "modifier", "group"]
TITLE_CATEGORIES: frozenset[str] = frozenset({"office", "rank", "head", "honorific"})
NON_STATE_SECTORS: frozenset[str] = frozenset({"IGO", "NGO", "EUR", "UNO"})
ROLES_FILE = DATA_DIR / "roles.yaml"

_SECTIONS: dict[str, Category] = {
    "civilian_offices": "office",
    "ranks": "rank",
    "role_heads": "head",
    "domains": "domain",
    "group_nouns": "group",
}
_JOINERS = frozenset({"-", "‐", "–", "—", "."})
_SPLIT = re.compile(r"[^\s\-‐–—]+")
_DROPPED = str.maketrans("", "", ".'’")


class RoleLexiconError(ConfigError):
    """``roles.yaml`` is unreadable or has an entry of the wrong shape."""

    reason = "bad_role_lexicon"


@dataclass(frozen=True, slots=True)
class RoleWord:
    """One reading of a lexicon phrase: its category and the sector it implies."""

    phrase: str
    category: Category
    sector: str | None


@dataclass(frozen=True, slots=True)
class RoleHit:
    """A lexicon phrase found at words ``start:end`` of a word list."""

    start: int
    end: int
    words: tuple[RoleWord, ...]

    def has(self, *categories: str) -> bool:
        return any(w.category in categories for w in self.words)

    def sector_of(self, *categories: str) -> str | None:
        return next((w.sector for w in self.words if w.category in categories), None)


@lru_cache(maxsize=65536)  # asked for every word of every sentence
def normalise_word(text: str) -> str:
    """The lexicon form of one word: no diacritics, lower case, no dots or apostrophes.

    Joiners ("-", ".") normalise to "" and are skipped by ``RoleLexicon.find``.
    """
    if text in _JOINERS:
        return ""
    return fold_chars(text).lower().translate(_DROPPED) or ""


def split_words(text: str) -> list[str]:
    """A role as written, in lexicon words ("Secretary-General" -> secretary, general)."""
    words: list[str] = []
    for piece in _SPLIT.findall(text):
        if piece.endswith(("'s", "’s")) and len(piece) > 2:
            words.extend((normalise_word(piece[:-2]), "s"))
        else:
            words.append(normalise_word(piece))
    return [w for w in words if w]


class RoleLexicon:
    """Lexicon phrases by their words; finds them longest first."""

    def __init__(self, entries: Sequence[RoleWord]) -> None:
        self._phrases: dict[tuple[str, ...], list[RoleWord]] = {}
        for entry in entries:
            key = tuple(split_words(entry.phrase))
            if key:
                self._phrases.setdefault(key, []).append(entry)
        self._longest = max((len(k) for k in self._phrases), default=1)
        # Every proper start of a phrase, so a search stops as soon as no phrase can match.
        self._prefixes = {k[:n] for k in self._phrases for n in range(1, len(k))}

    def find(self, words: Sequence[str]) -> list[RoleHit]:
        """Phrases in ``words`` (lexicon forms; "" marks a joiner), left to right, longest first.

        ``start``/``end`` index ``words``; a hit never starts or ends on a joiner.
        """
        hits: list[RoleHit] = []
        phrases, prefixes = self._phrases, self._prefixes
        i = 0
        while i < len(words):
            first = (words[i],)
            # Most words start no phrase: a joiner, or a word neither a phrase nor the
            # start of one. Ruling them out here spares a search from each.
            if not words[i] or (first not in prefixes and first not in phrases):
                i += 1
                continue
            found = self._longest_at(words, i)
            if found is None:
                i += 1
                continue
            end, entries = found
            hits.append(RoleHit(i, end, tuple(entries)))
            i = end
        return hits

    def find_in_text(self, text: str) -> list[RoleHit]:
        """Phrases in a role as written (indices into ``split_words(text)``)."""
        return self.find(split_words(text))

    def _longest_at(self, words: Sequence[str], i: int) -> tuple[int, list[RoleWord]] | None:
        best: tuple[int, list[RoleWord]] | None = None
        key: list[str] = []
        j = i
        while j < len(words) and len(key) < self._longest:
            if words[j]:
                key.append(words[j])
                phrase = tuple(key)
                entries = self._phrases.get(phrase)
                if entries is not None:
                    best = (j + 1, entries)
                if phrase not in self._prefixes:
                    break
            j += 1
        return best

    def has_title(self, text: str) -> bool:
        """Whether ``text`` names an office, rank, head or honorific."""
        return any(hit.has(*TITLE_CATEGORIES) for hit in self.find_in_text(text))

    def sectors(
        self, role_text: str, organisation: tuple[str | None, str] | None = None
    ) -> tuple[str | None, list[str]]:
        """The sector and other sectors a role as written implies (rules in roles.yaml).

        ``organisation`` is (sector, name) of the organisation named in the role, used
        when the role's words leave the sector open.
        """
        hits = self.find_in_text(role_text)
        domains = [(h.start, h.sector_of("domain")) for h in hits if h.has("domain")]
        offices = [h for h in hits if h.has("office")]
        heads = [h for h in hits if h.has("rank", "head") and not h.has("office")]
        primary: str | None = None
        others: list[str] = []
        if offices:
            primary = offices[0].sector_of("office")
            others = [s for h in offices[1:] if (s := h.sector_of("office"))]
            others.extend(s for _, s in domains if s)
        elif heads:
            head = heads[0]
            nearest = sorted(domains, key=lambda d: abs(d[0] - head.start))
            primary = nearest[0][1] if nearest else head.sector_of("rank", "head")
        if primary is None and organisation is not None:
            primary = self.acting_for(*organisation)
        return primary, [s for s in dict.fromkeys(others) if s and s != primary]

    def institution_sector(self, name: str) -> str | None:
        """The sector an organisation's name implies ("Defence Ministry" -> GOV, "Army" -> MIL).

        A ministry, government or embassy is GOV whatever its branch; else the first
        domain word decides; None when the name has none.
        """
        named = [h.sector_of("domain") for h in self.find_in_text(name) if h.has("domain")]
        if "GOV" in named:
            return "GOV"
        return next((s for s in named if s), None)

    def acting_for(self, sector: str | None, name: str) -> str | None:
        """The sector of people acting for an organisation of ``sector`` named ``name``.

        The organisation's own sector, except for an international body (IGO, NGO...),
        whose people are civilian (GOV) unless the body is a force (MIL): "EU leaders",
        "KFOR spokesperson".
        """
        if sector not in NON_STATE_SECTORS:
            return sector
        named = [h.sector_of("domain") for h in self.find_in_text(name) if h.has("domain")]
        return "MIL" if "MIL" in named else "GOV"


@dataclass(slots=True)
class LexiconMarks:
    """Token indices of lexicon words in a doc: ``titles`` (offices, ranks, role heads,
    honorifics), ``domains`` ("Defence", "Police"), ``modifiers`` ("former") and
    ``words`` (all three)."""

    titles: set[int] = field(default_factory=set)
    domains: set[int] = field(default_factory=set)
    modifiers: set[int] = field(default_factory=set)
    words: set[int] = field(default_factory=set)


# Both pw_actors and pw_roles ask for a document's marks; kept as long as the Doc lives.
_MARKS: WeakKeyDictionary[Doc, tuple[RoleLexicon, LexiconMarks]] = WeakKeyDictionary()


def lexicon_marks(lexicon: RoleLexicon, doc: Doc) -> LexiconMarks:
    """Which tokens of ``doc`` are lexicon words, found sentence by sentence."""
    known = _MARKS.get(doc)
    if known is not None and known[0] is lexicon:
        return known[1]
    marks = _find_marks(lexicon, doc)
    _MARKS[doc] = (lexicon, marks)
    return marks


def _find_marks(lexicon: RoleLexicon, doc: Doc) -> LexiconMarks:
    marks = LexiconMarks()
    # The token texts read once per document (no spaCy Token built for every word).
    words = [normalise_word(text) for text in token_facts(doc).text]
    marked = TITLE_CATEGORIES | {"domain", "modifier"}
    for sent in doc.sents:
        for hit in lexicon.find(words[sent.start : sent.end]):
            categories = {w.category for w in hit.words}  # once, not per question
            if not categories & marked:
                continue  # a group noun alone ("protesters") marks nothing
            indices = range(sent.start + hit.start, sent.start + hit.end)
            if categories & TITLE_CATEGORIES:
                marks.titles.update(indices)
            if "domain" in categories:
                marks.domains.update(indices)
            if "modifier" in categories:
                marks.modifiers.update(indices)
            marks.words.update(indices)
    return marks


@cache
def role_lexicon(path: Path = ROLES_FILE) -> RoleLexicon:
    """The lexicon read from ``path`` (cached; raises ``RoleLexiconError`` if malformed)."""
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RoleLexiconError(f"role lexicon {path}: cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise RoleLexiconError(f"role lexicon {path}: the top level must be a mapping")
    entries: list[RoleWord] = []
    for section, category in _SECTIONS.items():
        for group in _as_list(raw.get(section), f"{path}: {section}"):
            if not isinstance(group, dict):
                raise RoleLexiconError(f"role lexicon {path}: {section}: entries must be mappings")
            sector = group.get("sector")
            if sector is not None and not isinstance(sector, str):
                raise RoleLexiconError(f"role lexicon {path}: {section}: bad sector {sector!r}")
            for phrase in _as_list(group.get("phrases"), f"{path}: {section}: phrases"):
                entries.append(RoleWord(str(phrase), category, sector))
    for section, category in (("honorifics", "honorific"), ("modifiers", "modifier")):
        for phrase in _as_list(raw.get(section), f"{path}: {section}"):
            entries.append(RoleWord(str(phrase), category, None))
    return RoleLexicon(entries)


def _as_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RoleLexiconError(f"role lexicon {where}: must be a list")
    return value
