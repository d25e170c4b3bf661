"""``pw_places``: the places a text names, resolved against the gazetteer.

Reads ``doc.text``, ``doc.ents`` (GPE, LOC, FAC) and ``doc._.pw_mentions``; sets
``doc._.pw_places``: a fresh list of ``PlaceMention``, sorted by start, non-overlapping.

Names come from the gazetteer (``kb.places`` and the countries' names, aliases and
codes, found like actor names: "kosovo", "Kosovos", "U.S.", "United states", "balkans")
and from NER spans the gazetteer lacks (kind from the label: GPE city, LOC region, FAC
site; no coordinates). Not places: a span inside a person's mention (the seed article's
"Zemaj" is a surname, whatever NER says), a country named inside an organisation's or a
group's name ("Kosovo Security Force", "Kosovo Serbs"; but "US" in "US troops" is a
place), and demonyms ("American", "Kosovar": the country is an actor there, not a
place).

A name several places share ("Mitrovica") is resolved from context, in order: a
qualifier written before it ("north", "southern"), the countries named in the same
sentence, the country the document names most. If more than one candidate is left the
mention is ``ambiguous`` with ``candidates`` such as "North Mitrovica (XKX)", and keeps
only what they share (the country, the kind).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pactwatch.knowledge import Knowledge, Place, fold, load_knowledge
from pactwatch.nlp.components.actor_index import SPOKEN_TWO_LETTER_CODES, clean_span
from pactwatch.nlp.components.phrase_index import CaseRule, PhraseHit, PhraseIndex, longest_first
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import ActorMention, PlaceKind, PlaceMention

_NER_KINDS: dict[str, PlaceKind] = {"GPE": "city", "LOC": "region", "FAC": "site"}
_QUALIFIERS = {"north": "north", "northern": "north", "south": "south", "southern": "south",
               "east": "east", "eastern": "east", "west": "west", "western": "west"}  # fmt: skip
_NOT_PLACE_KINDS = ("person", "organisation", "igo", "group")
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_KOSOVO = re.compile(r"\bKosov[oa]", re.IGNORECASE)
# "in the north", "Serbs of the north"; not "the north of Serbia", "the north-west".
_THE_NORTH = re.compile(r"\b[Tt]he\s+(north)\b(?![\s-]*(?:of|west|east|[A-Z]))")


class PlaceFinder:
    """The ``pw_places`` component (see the module docstring)."""

    def __init__(self, vocab: Vocab, knowledge: Knowledge) -> None:
        self.kb = knowledge
        self.index = PhraseIndex(vocab)
        self.places: dict[str, list[Place]] = {}
        self._demonyms = {fold(d) for c in knowledge.countries.values() for d in c.demonyms}
        self._country_names = {c.name for c in knowledge.countries.values()}
        self._north_kosovo = fold("North Kosovo")
        for place in knowledge.places:
            if place.kind == "country":
                continue
            for name in [place.name, *place.aliases]:
                key = fold(name)
                self.places.setdefault(key, [])
                if place not in self.places[key]:
                    self.places[key].append(place)
                bare = _ARTICLE.sub("", name.strip())
                self.index.add(f"place:{key}", [bare], _place_rule(bare, place.kind))
        for country in knowledge.countries.values():
            names = [country.name, *country.aliases]
            plurals = [f"{n}s" for n in names if " " not in n and len(n) >= 4 and n[-1] != "s"]
            for name in [*names, *plurals]:
                bare = _ARTICLE.sub("", name.strip())
                self.index.add(f"country:{country.code}", [bare], _place_rule(bare, "country"))
            codes = [country.code, *country.codes]
            spoken = [
                c
                for c in codes
                if len(c.replace(".", "")) > 2 or c.replace(".", "") in SPOKEN_TWO_LETTER_CODES
            ]
            self.index.add(f"country:{country.code}", spoken, "exact")

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        blocked = _Spans(
            (m.start, m.end)
            for m in doc._.pw_mentions or []
            if m.kind in _NOT_PLACE_KINDS and not self._national_group(m)
        )
        text = doc_text(doc)  # spaCy joins every token on each read of doc.text
        hits = [h for h in self.index.find(text) if not blocked.overlaps(h.start, h.end)]
        chosen = longest_first(hits)
        taken = [(h.start, h.end) for h in chosen]
        extra: list[PhraseHit] = []
        for ent in doc.ents:
            span = clean_span(ent) if ent.label_ in _NER_KINDS else None
            if span is None:
                continue
            start, end = span.start_char, span.end_char
            if _overlaps(start, end, taken) or blocked.overlaps(start, end):
                continue
            if fold(span.text) in self._demonyms or not span.text[:1].isupper():
                continue
            extra.append(PhraseHit(start, end, f"ner:{ent.label_}", span.text))
            taken.append((start, end))
        extra += self._the_north(text, taken)
        starts = [sent.start_char for sent in doc.sents]
        found = sorted([*chosen, *extra], key=lambda h: h.start)
        places = [self.place(h) for h in found]
        for place in places:
            place.sentence = max(bisect_right(starts, place.start) - 1, 0)
        self.resolve(doc, text, places, found)
        doc._.pw_places = places
        return doc

    def _the_north(self, text: str, taken: list[tuple[int, int]]) -> list[PhraseHit]:
        """ "The north" of a text about Kosovo is North Kosovo, the Serb-majority
        municipalities this news means by it ("barricades in the north")."""
        key = self._north_kosovo
        if key not in self.places or not _KOSOVO.search(text):
            return []
        hits = []
        for m in _THE_NORTH.finditer(text):
            start, end = m.start(1), m.end(1)
            if not _overlaps(start, end, taken):
                hits.append(PhraseHit(start, end, f"place:{key}", m.group(1)))
                taken.append((start, end))
        return hits

    def _national_group(self, mention: ActorMention) -> bool:
        """People of a state ("US troops"): the state's name in it is still a place."""
        return mention.kind == "group" and mention.entity_name in self._country_names

    def place(self, hit: PhraseHit) -> PlaceMention:
        """The mention of one found name, before ambiguous names are resolved."""
        source, _, key = hit.key.partition(":")
        if source == "country":
            country = self.kb.countries[key]
            return PlaceMention(
                hit.start, hit.end, hit.text, country.name, "country", country.code, country.region
            )
        if source == "ner":
            return PlaceMention(hit.start, hit.end, hit.text, hit.text, _NER_KINDS[key])
        mention = PlaceMention(hit.start, hit.end, hit.text, hit.text, "city")
        candidates = self.places.get(key, [])
        if len(candidates) == 1:
            _fill(mention, candidates[0])
        else:
            mention.candidates = [_label(p) for p in candidates]
        return mention

    def resolve(
        self, doc: Doc, text: str, places: list[PlaceMention], found: Sequence[PhraseHit]
    ) -> None:
        """Pick one candidate for each name several places share, or mark it ambiguous."""
        countries = Counter(p.country for p in places if p.kind == "country" and p.country)
        main = {countries.most_common(1)[0][0]} if countries else set()
        by_sentence: dict[int, set[str]] = {}
        for p in places:
            if p.kind == "country" and p.country:
                by_sentence.setdefault(p.sentence, set()).add(p.country)
        for mention in doc._.pw_mentions or []:
            if mention.country and len(mention.country) == 3 and mention.country.isalpha():
                by_sentence.setdefault(mention.sentence, set()).add(mention.country)
        for place, hit in zip(places, found, strict=True):
            if not place.candidates:
                continue
            options = list(self.places.get(hit.key.partition(":")[2], []))
            qualifier = _QUALIFIERS.get(_word_before(text, place.start))
            sentence = by_sentence.get(place.sentence, set())
            options = _narrowed(options, qualifier, sentence, main)
            if len(options) == 1:
                _fill(place, options[0])
                place.candidates = []
            else:
                _share(place, options)


def _narrowed(
    options: list[Place], qualifier: str | None, sentence: set[str], main: set[str]
) -> list[Place]:
    """The candidates context favours: each test narrows them unless it leaves none."""
    tests: list[Callable[[Place], bool]] = [
        lambda p: qualifier is not None and fold(p.name).startswith(qualifier),
        lambda p: p.country in sentence,
        lambda p: p.country in main,
    ]
    for test in tests:
        if len(options) == 1:
            break
        options = [p for p in options if test(p)] or options
    return options


def _fill(mention: PlaceMention, place: Place) -> None:
    mention.name, mention.kind, mention.country = place.name, place.kind, place.country
    mention.region, mention.geonames_id = place.region, place.geonames_id
    mention.latitude, mention.longitude = place.latitude, place.longitude


def _share(mention: PlaceMention, options: list[Place]) -> None:
    mention.ambiguous = True
    mention.candidates = [_label(p) for p in options]
    countries = {p.country for p in options}
    kinds = {p.kind for p in options}
    mention.country = countries.pop() if len(countries) == 1 else None
    mention.kind = kinds.pop() if len(kinds) == 1 else options[0].kind


def _label(place: Place) -> str:
    return f"{place.name} ({place.country})" if place.country else place.name


def _place_rule(name: str, kind: str) -> CaseRule:
    """Codes in capitals; one-word towns capitalised ("Bar", never "bar"); else not all
    lower case, but one-word countries and regions in any case ("kosovo", "balkans")."""
    compact = name.replace(".", "")
    if compact.isalpha() and compact.isupper() and len(compact) <= 3:
        return "exact"
    if " " in name.strip():
        return "not_lower"
    return "any" if kind in ("country", "region") else "capitalised"


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


class _Spans:
    """Fixed character spans, asked many times whether a span overlaps one of them.

    Sorted by start, with the furthest end reached so far: the spans that start before
    ``end`` are a prefix, and one of them overlaps when the furthest end among them
    passes ``start`` (the same answer as ``_overlaps``, without a scan of every span).
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _e in ordered]
        self._furthest = list(accumulate((e for _s, e in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before = bisect_left(self._starts, end)  # how many spans start before ``end``
        return before > 0 and self._furthest[before - 1] > start


def _word_before(text: str, start: int) -> str:
    words = text[max(0, start - 20) : start].split()
    return words[-1].lower() if words else ""


@Language.factory("pw_places")
def make_place_finder(nlp: Language, name: str) -> PlaceFinder:
    """The ``pw_places`` component over the bundled gazetteer."""
    ensure_extensions()
    return PlaceFinder(nlp.vocab, load_knowledge())
