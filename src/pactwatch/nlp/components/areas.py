"""``pw_areas``: cooperation areas per sentence, per event and per document.

The areas and their words are data (``knowledge/data/cooperation_areas.yaml``, which
explains its format in its header). A sentence gets:

- the areas its terms name ("intelligence sharing", "critical infrastructure"), the
  longer term winning over the shorter ones inside it ("training resources" is
  equipment, not training);
- the areas of weak terms in a list item's label ("- Exercises: ..."), or in running
  text next to a cue of the area ("joined NATO *allies* for manoeuvres", "*took part*
  in drills", "*bought* drones"), since alone they are too vague;
- the areas of the events told in it, by event coding ("CONSULT" is diplomatic
  engagement, "COOPERATE:062" a joint exercise) or trigger;

and an area's terms yield to the areas listed in its ``yields_to`` ("Joint Military
Exercises: regular training sessions": the training is the exercise).

Sets ``doc._.pw_sentence_areas`` (sentence index -> areas, every sentence with at least
one), ``event.areas`` (the areas of the sentences that tell of the event, whose PLOVER
contexts are added to ``event.context``) and ``doc._.pw_areas`` (the document's areas),
areas always in the file's order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import yaml
from spacy.attrs import LEMMA, LOWER, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pactwatch.nlp.components.area_classifier import AreaClassifier, load_area_classifier
from pactwatch.nlp.components.event_lexicon import (
    PLOVER_EVENTS,
    EventLexicon,
    LexiconError,
    load_event_lexicon,
    word_list,
)
from pactwatch.nlp.components.event_mentions import NON_STATE_CODES
from pactwatch.nlp.components.event_triggers import find_triggers
from pactwatch.nlp.components.modality import SPEECH_VERBS
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.components.sentence_shape import BULLET_MARK, LABEL_LINE, line_of, shape_of
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import Event
from pactwatch.yaml_load import safe_load

AREAS_PATH = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "cooperation_areas.yaml"
# Shorter sentences (datelines, bylines, fragments) are left to the terms.
_MIN_CLASSIFIED_TOKENS = 6
_SPLIT = re.compile(r"[\s\-‐–—/]+")


@dataclass(frozen=True, slots=True)
class Term:
    """A term of one area: its words, and whether it is weak (list labels only)."""

    area: str
    words: tuple[str, ...]
    weak: bool


@dataclass(frozen=True, slots=True)
class Area:
    """A cooperation area of the taxonomy."""

    name: str
    description: str
    contexts: tuple[str, ...]
    triggers: frozenset[str]
    yields_to: dict[str, tuple[str, ...]]  # weak or strong term text -> areas it yields to
    cues: frozenset[str] = frozenset()  # words that make a weak term count in running text
    events: tuple[tuple[str, str], ...] = ()  # (event type, CAMEO prefix)
    triggers_not: frozenset[str] = frozenset()  # rule ids whose events do not count here

    def has_event(self, event: str, cameo: str | None) -> bool:
        """Whether an event of this coding belongs to the area."""
        return any(
            event == kind and (cameo or "").startswith(prefix) for kind, prefix in self.events
        )


@dataclass(frozen=True, slots=True)
class AreaTaxonomy:
    """The areas, in file order, and an index of their terms by first word."""

    areas: tuple[Area, ...]
    terms_by_first_word: dict[str, tuple[Term, ...]]

    def area(self, name: str) -> Area:
        return next(a for a in self.areas if a.name == name)

    def ordered(self, names: set[str]) -> list[str]:
        return [a.name for a in self.areas if a.name in names]


def _words(term: str) -> tuple[str, ...]:
    return tuple(w for w in _SPLIT.split(term.lower()) if w)


@cache
def load_areas(path: Path = AREAS_PATH) -> AreaTaxonomy:
    """Read and check the cooperation areas file (cached per path)."""
    try:
        data = safe_load(path.read_text(encoding="utf-8"))
        entries: dict[str, Any] = data["areas"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise LexiconError(f"{path}: cannot read the cooperation areas: {error!r}") from error
    trigger_ids = {rule.id for rule in load_event_lexicon().rules}
    areas: list[Area] = []
    index: dict[str, list[Term]] = {}
    for name, spec in entries.items():
        unknown = set(spec.get("triggers") or ()) | set(spec.get("triggers_not") or ())
        unknown -= trigger_ids
        if unknown:
            raise LexiconError(f"{path}: area {name}: unknown trigger ids {sorted(unknown)}")
        areas.append(
            Area(
                name=name,
                description=str(spec.get("description", "")),
                contexts=tuple(spec.get("contexts") or ()),
                triggers=frozenset(spec.get("triggers") or ()),
                triggers_not=frozenset(spec.get("triggers_not") or ()),
                yields_to={
                    " ".join(_words(k)): tuple(v) for k, v in (spec.get("yields_to") or {}).items()
                },
                events=tuple(_event_pattern(path, name, e) for e in spec.get("events") or ()),
                cues=frozenset(
                    w.lower() for w in word_list(path, f"area {name}", spec.get("weak_cues"))
                ),
            )
        )
        for weak, key in ((False, "terms"), (True, "weak_terms")):
            for text in word_list(path, f"area {name}", spec.get(key)):
                words = _words(text)
                if words:
                    index.setdefault(words[0], []).append(Term(name, words, weak))
    return AreaTaxonomy(
        areas=tuple(areas),
        terms_by_first_word={
            k: tuple(sorted(v, key=lambda t: -len(t.words))) for k, v in index.items()
        },
    )


def _event_pattern(path: Path, area: str, text: str) -> tuple[str, str]:
    kind, _, prefix = str(text).partition(":")
    if kind not in PLOVER_EVENTS:
        raise LexiconError(f"{path}: area {area}: {kind!r} is not a PLOVER event type")
    return kind, prefix


def _forms(token: Token) -> frozenset[str]:
    return _word_forms(token.lower_, token.lemma_)


def _word_forms(lower: str, lemma: str) -> frozenset[str]:
    """The forms a term word may take for a token: its lower case, its lemma, and its
    lower case without a plural "-es" or "-s"."""
    forms = {lower, lemma.lower()}
    for suffix in ("es", "s"):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            forms.add(lower[: -len(suffix)])
    return frozenset(forms)


# A dash or slash glued to the next word ("cyber-security", "land/sea") joins two words
# of a term, so it is skipped when matching terms.
_JOINER_TEXT = "-‐–—/"

# The forms of each (LOWER, LEMMA) pair of string ids met so far: the same words recur
# in every document, and ids read from spaCy's arrays need no strings to look them up.
_FORMS_BY_ID: dict[tuple[int, int], frozenset[str]] = {}
_MAX_FORMS_BY_ID = 1 << 17  # emptied when full, so a long run's memory stays bounded

# Per Doc: the forms of each token, and whether each token is a joiner that matching
# skips. Read once per document from spaCy's arrays instead of one Token object per
# word and sentence; weak keys, so an entry lives exactly as long as its Doc.
_DOC_WORDS: WeakKeyDictionary[Doc, tuple[list[frozenset[str]], list[bool]]] = WeakKeyDictionary()


def _doc_words(doc: Doc) -> tuple[list[frozenset[str]], list[bool]]:
    known = _DOC_WORDS.get(doc)
    if known is None:
        rows = doc.to_array([ORTH, LOWER, LEMMA, SPACY]).tolist() if len(doc) else []
        forms = [_forms_by_id(doc, lower, lemma) for _, lower, lemma, _ in rows]
        strings = doc.vocab.strings  # a joiner has no space after it: test that first
        joiners = [not space and strings[orth] in _JOINER_TEXT for orth, _, _, space in rows]
        known = _DOC_WORDS[doc] = (forms, joiners)
    return known


def _forms_by_id(doc: Doc, lower: int, lemma: int) -> frozenset[str]:
    forms = _FORMS_BY_ID.get((lower, lemma))
    if forms is None:
        if len(_FORMS_BY_ID) >= _MAX_FORMS_BY_ID:
            _FORMS_BY_ID.clear()
        strings = doc.vocab.strings
        forms = _FORMS_BY_ID[lower, lemma] = _word_forms(strings[lower], strings[lemma])
    return forms


@dataclass(frozen=True, slots=True)
class TermMatch:
    term: Term
    tokens: tuple[Token, ...]


def match_terms(sent: Span, taxonomy: AreaTaxonomy) -> list[TermMatch]:
    """Area terms in the sentence: longest first, never overlapping."""
    doc_forms, joiners = _doc_words(sent.doc)
    words = [i for i in range(sent.start, sent.end) if not joiners[i]]  # token indices
    forms = [doc_forms[i] for i in words]
    first_words = taxonomy.terms_by_first_word.keys()
    found: list[TermMatch] = []
    i = 0
    while i < len(words):
        if first_words.isdisjoint(forms[i]):
            i += 1  # no term starts with this word, as for most words
            continue
        best: list[Term] = []  # one term may name several areas ("direct flights")
        # Forms in a fixed order, and a strong term beats a weak one of the same area and
        # length ("training" over "train"): set order would make the choice vary by run.
        for first in sorted(forms[i]):
            for term in taxonomy.terms_by_first_word.get(first, ()):
                n = len(term.words)
                fits = i + n <= len(words) and all(term.words[k] in forms[i + k] for k in range(n))
                if not fits or (best and n < len(best[0].words)):
                    continue
                if best and n > len(best[0].words):
                    best = []
                same = [k for k, b in enumerate(best) if b.area == term.area]
                if not same:
                    best.append(term)
                elif best[same[0]].weak and not term.weak:
                    best[same[0]] = term
        if not best:
            i += 1
        else:
            # Token objects only for the few words that make a term.
            tokens = tuple(sent.doc[j] for j in words[i : i + len(best[0].words)])
            found.extend(TermMatch(term, tokens) for term in best)
            i += len(tokens)
    return found


def _label_end(sent: Span) -> int | None:
    """Character offset of the colon ending a list item's label, if the sentence has one."""
    line = line_of(sent)
    if not (BULLET_MARK.match(line) or LABEL_LINE.match(line)):
        return None
    line_start = doc_text(sent.doc).rfind("\n", 0, sent.start_char) + 1
    colon = line.find(":")
    return line_start + colon if colon != -1 else None


class AreaTagger:
    """The ``pw_areas`` component."""

    def __init__(
        self,
        taxonomy: AreaTaxonomy | None = None,
        lexicon: EventLexicon | None = None,
        second_opinion: bool = True,
    ) -> None:
        ensure_extensions()
        self.taxonomy = taxonomy or load_areas()
        self.lexicon = lexicon or load_event_lexicon()
        # The area classifier adds the areas it is confident of to prose sentences
        # (``area_classifier``); off with ``second_opinion=False`` or ``classifier = None``.
        self.classifier: AreaClassifier | None = load_area_classifier() if second_opinion else None
        # The lemmas of the trigger rules some area names: a trigger word with another
        # lemma cannot match any of them, so its rules need not be tried.
        area_rules = {
            rule_id for area in self.taxonomy.areas for rule_id in area.triggers | area.triggers_not
        }
        self._area_trigger_lemmas = frozenset(
            lemma for rule in self.lexicon.rules if rule.id in area_rules for lemma in rule.lemmas
        )
        self._areas_by_coding: dict[tuple[str, str | None], frozenset[str]] = {}

    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = list(doc._.pw_events or [])
        sentences = list(doc.sents)
        told: dict[int, list[tuple[Event, Token]]] = {}
        starts = [s.start_char for s in sentences]
        for event in events:
            for mention in event.mentions:
                span = doc.char_span(
                    mention.trigger_start, mention.trigger_end, alignment_mode="expand"
                )
                if span is not None:
                    index = _sentence_at(starts, mention.trigger_start)
                    told.setdefault(index, []).append((event, span[0]))
        by_sentence: dict[int, list[str]] = {}
        for index, sent in enumerate(sentences):
            found = self.sentence_areas(sent, told.get(index, []))
            if found:
                by_sentence[index] = found
        self._add_second_opinion(sentences, by_sentence, told)
        doc._.pw_sentence_areas = by_sentence
        for event in events:
            names: set[str] = set()
            for mention in event.mentions:
                names |= set(by_sentence.get(_sentence_at(starts, mention.trigger_start), []))
            event.areas = self.taxonomy.ordered(names | set(event.areas))
            for area in event.areas:
                for context in self.taxonomy.area(area).contexts:
                    if context not in event.context:
                        event.context.append(context)
        doc._.pw_areas = self.taxonomy.ordered({a for v in by_sentence.values() for a in v})
        return doc

    def _add_second_opinion(
        self,
        sentences: list[Span],
        by_sentence: dict[int, list[str]],
        told: dict[int, list[tuple[Event, Token]]],
    ) -> None:
        """The classifier's confident areas, added to each prose sentence's (one batch);
        no joint exercise for a sentence that tells one state's drill (guide §10: a
        single-country drill is MOBILIZE with no area)."""
        if self.classifier is None:
            return
        asked = [
            (index, sent)
            for index, sent in enumerate(sentences)
            if len(sent) >= _MIN_CLASSIFIED_TOKENS and shape_of(sent) == "prose"
        ]
        opinions = self.classifier.areas_many([sent for _index, sent in asked])
        for (index, _sent), extra in zip(asked, opinions, strict=True):
            if _JOINT in extra and _drill_of_one_state([e for e, _t in told.get(index, [])]):
                extra = [a for a in extra if a != _JOINT]
            if extra:
                merged = set(by_sentence.get(index, ())) | set(extra)
                by_sentence[index] = self.taxonomy.ordered(merged)

    def sentence_areas(self, sent: Span, told: list[tuple[Event, Token]]) -> list[str]:
        """The areas of one sentence, given the events it tells and their trigger tokens."""
        label_end = _label_end(sent)
        counted: list[TermMatch] = []
        for match in match_terms(sent, self.taxonomy):
            in_label = label_end is not None and match.tokens[-1].idx < label_end
            if _names_speaker(match):
                continue
            if in_label or not match.term.weak or self._cued(match):
                counted.append(match)
        present = {m.term.area for m in counted}
        names: set[str] = set()
        for match in counted:
            yields = self.taxonomy.area(match.term.area).yields_to.get(
                " ".join(match.term.words), ()
            )
            if not any(other in present for other in yields):
                names.add(match.term.area)
        rule_ids = self._trigger_rules(sent, [trigger for _event, trigger in told])
        for event, trigger in told:
            areas = self._event_areas(event.event, event.cameo)
            if _DIPLOMATIC in areas and _domestic(event):
                areas = areas - {_DIPLOMATIC}  # guide: purely domestic politics is not
            if event.event == "SUPPORT" and event.cameo == "057" and present:
                # "signed a loan agreement for the power grid": the agreement's subject is
                # its area; one on nothing more is diplomatic engagement
                areas = areas - {_DIPLOMATIC}
            # "trained together": COOPERATE 062 like an exercise, but training (guide §10)
            areas -= {a for a in areas if self.taxonomy.area(a).triggers_not & rule_ids[trigger.i]}
            names |= areas
        found: set[str] = set().union(*rule_ids.values())
        so_far = set(names)
        for area in self.taxonomy.areas:
            # "trained alongside U.S. troops in the exercise": the exercise claims it
            claimed = {t for t in area.triggers & found if set(area.yields_to.get(t, ())) & so_far}
            if area.triggers & found - claimed:
                names.add(area.name)
        return self.taxonomy.ordered(names)

    def _event_areas(self, event: str, cameo: str | None) -> frozenset[str]:
        """The areas of events of this coding (remembered: the codings are few)."""
        areas = self._areas_by_coding.get((event, cameo))
        if areas is None:
            areas = frozenset(a.name for a in self.taxonomy.areas if a.has_event(event, cameo))
            self._areas_by_coding[event, cameo] = areas
        return areas

    def _cued(self, match: TermMatch) -> bool:
        """Whether a cue of the term's area governs the weak term: a word on the term's
        path to its clause's verb (two heads up), or a dependent of one of those words."""
        cues = self.taxonomy.area(match.term.area).cues
        if not cues:
            return False
        path: list[Token] = list(match.tokens)
        head = match.tokens[-1]
        for _ in range(2):
            if head.head is head:
                break
            head = head.head
            path.append(head)
        near = set(path) | {child for token in path for child in token.children}
        return any(_forms(token) & cues for token in near if token not in match.tokens)

    def _trigger_rules(self, sent: Span, triggers: list[Token]) -> dict[int, set[str]]:
        """The ids of the area-listed rules each event trigger word matches, by token.

        ``find_triggers`` judges each token on its own (its parse neighbours, not the
        rest of the sentence), so it runs on the one-token span of each trigger word
        rather than on the whole sentence: the same matches, for a few tokens only, and
        only for those whose lemma an area's rule has.
        """
        doc = sent.doc
        return {
            t.i: {m.rule.id for m in find_triggers(doc[t.i : t.i + 1], self.lexicon)}
            if t.lemma_.lower() in self._area_trigger_lemmas
            else set()
            for t in triggers
        }


_DIPLOMATIC = "diplomatic_engagement"
# Verbs whose subject is the source of what the sentence tells, not one of its parties.
_SOURCE_VERBS = SPEECH_VERBS | {"warn", "believe", "expect", "fear", "suggest", "predict", "argue"}


def _names_speaker(match: TermMatch) -> bool:
    """Whether the term names who tells the news ("diplomats in Brussels say", "according
    to diplomats"): the teller's trade is not an area of what they tell."""
    head = match.tokens[-1]
    if head.dep_ == "nsubj" and head.head.lemma_.lower() in _SOURCE_VERBS:
        return True
    return head.dep_ == "pobj" and head.head.lower_ == "to" and head.head.head.lower_ == "according"


_JOINT = "joint_exercises"


def _drill_of_one_state(events: list[Event]) -> bool:
    """Whether a sentence's events are one state's mobilisation and nothing done with
    another ("900 Serbian troops staged a live-fire exercise")."""
    if not any(e.event == "MOBILIZE" for e in events):
        return False
    if any(e.event in ("COOPERATE", "AID", "AGREE") for e in events):
        return False
    states = {p.country for e in events for p in (*e.actor, *e.recipient) if p.country}
    return len(states) == 1 and not (states & NON_STATE_CODES)


def _domestic(event: Event) -> bool:
    """An event among one state's own parties only ("students rejected Vučić's invitation
    to talks", "Serbian lawmakers voted to pull the entity out of the army")."""
    parties = [p for p in (*event.actor, *event.recipient) if p.country]
    states = {p.country for p in parties}
    return len(parties) >= 1 and len(states) == 1 and not (states & NON_STATE_CODES)


def _sentence_at(starts: list[int], offset: int) -> int:
    """Index of the sentence containing character ``offset``."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


@Language.factory("pw_areas")
def make_area_tagger(nlp: Language, name: str) -> AreaTagger:
    """Build ``pw_areas`` with ``knowledge/data/cooperation_areas.yaml``."""
    return AreaTagger()
