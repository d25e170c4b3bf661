"""``pw_actors``: the persons, organisations, countries and groups a text names.

Reads ``doc.text``, tokens (tags, sentences), ``doc.ents`` and ``doc._.pw_published``;
sets ``doc._.pw_mentions``: a fresh list of ``ActorMention``, sorted by start,
non-overlapping. Role fields stay empty (``pw_roles`` fills them) and a bare surname
keeps its own text as ``entity_name`` (``pw_names`` resolves it).

NER labels alone are not trusted. In order:

1. Knowledge names (persons and aliases, organisations and abbreviations, countries'
   names, aliases, codes and demonyms, capitals, ethnic groups, known surnames) are
   found by ``PhraseIndex`` (``actor_index``), which matches lower case and
   diacritics-free ("kosovo", "United states", "Kosovo’s", "Kosovos", "Nebojsa
   Stefanovic"); codes only in capitals ("US", never the pronoun "us"). The longest
   match wins ("the American mission to NATO" is the United States Mission to NATO,
   not the country). A capital named as an actor is its state ("Belgrade asked KFOR"),
   not after "in", "at", "from"... ("talks in Belgrade").
2. NER PERSON, ORG and NORP spans outside knowledge become unknown persons (the name as
   written, titles cut off), organisations and groups, unless they name nobody
   (``actor_noise``: "In May", "Foster closer relations", "Mitrovica"). An unknown
   organisation takes the country named inside it ("Kosovo Liberation Army", "Iowa
   National Guard").
3. A capitalised name beside a title is a person, whatever NER made of it
   ("Minister of Defense, Armend Zemaj"; "Prime Minister Kurti" tagged ORG).
4. A word that is the surname of a person named in full in the same document is that
   person's (bare) name, never a place: the seed article's "Zemaj" tagged GPE.
5. People named by a noun (``actor_groups``): "KFOR troops", "Serbian soldiers" (the
   body's or state's mention stretched, kind group, the noun's sector) and
   "protesters", "gunmen", "police" on their own.

Persons found in knowledge take country and sector from the office they held on
``doc._.pw_published`` (or their latest office when the document is undated).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from pactwatch.knowledge import Knowledge, Person, load_knowledge
from pactwatch.nlp.components.actor_groups import (
    body_edge,
    group_nouns,
    is_body,
    place_unnamed_groups,
)
from pactwatch.nlp.components.actor_index import (
    SOURCE_PRIORITY,
    TokenFacts,
    build_actor_index,
    clean_span,
    fold_key,
    token_facts,
)
from pactwatch.nlp.components.actor_noise import NoiseFilter, english_words
from pactwatch.nlp.components.phrase_index import PhraseHit, longest_first
from pactwatch.nlp.components.role_lexicon import (
    LexiconMarks,
    RoleLexicon,
    lexicon_marks,
    role_lexicon,
)
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import ActorKind, ActorMention

_NER_SOURCES = {"PERSON": "ner_person", "ORG": "ner_org", "NORP": "ner_norp", "GPE": "ner_gpe"}
_LOCATIVE = frozenset({"in", "at", "from", "to", "into", "near", "outside", "inside", "via"})
_ORG_KINDS: dict[str, ActorKind] = {"igo": "igo", "group": "group"}
_MAX_NAME_TOKENS = 4
_APPOSITION_WORDS = frozenset({"the", "a", "an", "of", "'s", "’s", "'", "’"})


@dataclass(slots=True)
class Found:
    """A candidate actor span before it becomes an ``ActorMention``."""

    start: int
    end: int
    # "person", "org", "country", "demonym", "capital", "ethnic", "surname", "ner_*",
    # "title" (a name beside a title), "people" (a group noun: "protesters")
    source: str
    key: str  # the knowledge key after "source:", or the text for NER and title finds
    country: str | None = None  # for unknown organisations: a country named inside
    group_sector: str | None = None  # people acting for it: "KFOR troops" (MIL)
    is_group: bool = False

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


class ActorFinder:
    """The ``pw_actors`` component (see the module docstring)."""

    def __init__(
        self,
        vocab: Vocab,
        knowledge: Knowledge,
        lexicon: RoleLexicon,
        english_words: Iterable[str] = (),
    ) -> None:
        self.kb = knowledge
        self.lexicon = lexicon
        self.index = build_actor_index(vocab, knowledge)
        self.noise = NoiseFilter(knowledge, english_words)

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        text = doc_text(doc)  # spaCy joins every token on each read of doc.text
        found = self.find(doc, text)
        published = doc._.pw_published
        starts = [sent.start_char for sent in doc.sents]
        mentions = [self.mention(text, f, published) for f in found]
        for mention in mentions:
            mention.sentence = max(bisect_right(starts, mention.start) - 1, 0)
        place_unnamed_groups(
            mentions,
            {i for i, f in enumerate(found) if f.source == "people"},
            _describing_things(doc, found),
        )
        doc._.pw_mentions = mentions
        return doc

    # Finding -----------------------------------------------------------------------------

    def find(self, doc: Doc, text: str) -> list[Found]:
        """Candidate actor spans, resolved to non-overlapping ones sorted by start."""
        hits = [h for h in self.index.find(text) if self._hit_ok(doc, h)]
        chosen = [_found_from_hit(h) for h in _resolve_hits(hits)]
        chosen = [f for f in chosen if f.source != "capital" or _capital_as_actor(doc, f)]
        for found in chosen:
            if found.source == "capital" and text[found.start : found.end].casefold() == "brussels":
                # "Brussels warned Pristina": in this news the EU, not Belgium.
                found.source, found.key = "org", "eu"
            elif found.source == "capital":
                found.source = "country"  # "Belgrade asked": Serbia
        marks = lexicon_marks(self.lexicon, doc)
        for found in chosen:
            if found.source == "person":
                _strip_title(doc, found, marks)  # an alias "Sergeant Afrim Bunjaku"
        for span in doc.ents:
            self._add_ner(doc, text, span, chosen, marks)
        for start, end in self._titled_names(doc, marks, chosen):
            if any(f.source == "ner_person" and f.overlaps(start, end) for f in chosen):
                continue  # NER already read a person there, maybe a longer name
            _replace(chosen, Found(start, end, "title", text[start:end]), _yields_to_title)
        self._add_document_surnames(doc, text, chosen)
        chosen = [f for f in chosen if not self._noise(doc, f, marks)]
        self._add_groups(doc, text, chosen, marks)
        return sorted(chosen, key=lambda f: f.start)

    def _add_groups(self, doc: Doc, text: str, chosen: list[Found], marks: LexiconMarks) -> None:
        """People named by a noun: "KFOR troops" stretches KFOR, "protesters" stands alone."""
        facts = token_facts(doc)
        for noun in group_nouns(doc, self.lexicon, marks):
            start, end = facts.start[noun.first], facts.end[noun.end - 1]
            if any(f.overlaps(facts.start[noun.start], end) for f in chosen):
                continue
            edge = body_edge(doc, noun.first)
            body = next((f for f in chosen if f.end == edge and is_body(f.source)), None)
            if body is not None:
                body.end, body.is_group, body.group_sector = end, True, noun.sector
            elif noun.standalone and not any(f.overlaps(start, end) for f in chosen):
                chosen.append(Found(start, end, "people", text[start:end], None, noun.sector, True))

    def _hit_ok(self, doc: Doc, hit: PhraseHit) -> bool:
        """Surnames of known persons count only where they are written as proper nouns."""
        if not hit.key.startswith("surname:"):
            return True
        span = doc.char_span(hit.start, hit.end, alignment_mode="expand")
        return span is not None and all(t.tag_ in ("NNP", "NNPS") for t in span)

    def _add_ner(
        self, doc: Doc, doc_text: str, ent: Span, chosen: list[Found], marks: LexiconMarks
    ) -> None:
        source = _NER_SOURCES.get(ent.label_)
        if source is None or source == "ner_gpe":
            return  # places are pw_places' (a capital as an actor is found by name)
        span = clean_span(ent)
        if span is None:
            return
        facts = token_facts(doc)
        first, last = span.start, span.end - 1  # tokens of the name
        if source == "ner_person":
            # "Lieutenant General Bashkim Jashari": the title is the role, not the name.
            while first < last and (first in marks.words or facts.text[first] == "."):
                first += 1
        else:
            # A title NER took for a name ("Turkish Major", "Supreme Allied Commander"):
            # leave its words to the role.
            words = [t.i for t in span if t.is_alpha]
            lexical = all(i in marks.words for i in words)
            if words and (words[-1] in marks.titles or (lexical and len(words) == 1)):
                return  # but "Constitutional Court", "Armed Forces" are bodies
        start, end = facts.start[first], facts.end[last]
        text = doc_text[start:end]
        if source == "ner_norp" and text.islower():
            return
        inside = [f for f in chosen if f.start < end and start < f.end]  # f.overlaps, inlined
        if not inside:
            chosen.append(Found(start, end, source, text))
        elif source == "ner_person" and all(
            # a longer name around a known surname; the surname alone stays the known
            # person's ("Putin" is also a word of WordNet's, which the noise test rejects)
            _inner(f, start, end) and f.source == "surname" and (f.start, f.end) != (start, end)
            for f in inside
        ):
            _replace(chosen, Found(start, end, source, text), lambda f: True)
        elif source == "ner_org" and all(
            _inner(f, start, end)
            and (f.start, f.end) != (start, end)
            and f.source in ("country", "demonym")
            for f in inside
        ):
            # "Kosovo Liberation Army": an organisation of the country named inside it.
            country = inside[0].key
            _replace(chosen, Found(start, end, source, text, country), lambda f: True)

    def _titled_names(
        self, doc: Doc, marks: LexiconMarks, chosen: list[Found]
    ) -> list[tuple[int, int]]:
        """Capitalised names written beside a title ("Minister of Defense, Armend Zemaj")."""
        names: list[tuple[int, int]] = []
        title_words = marks.titles
        facts = token_facts(doc)
        words = facts.text
        covered: set[int] = set()  # tokens of known places and bodies
        for f in chosen:
            if not f.source.endswith("person") and f.source not in ("surname", "title"):
                span = doc.char_span(f.start, f.end, alignment_mode="expand")
                if span is not None:
                    covered.update(range(span.start, span.end))
        for first, last in _capitalised_runs(doc, marks.words, chosen):
            before = first - 1
            while before >= 0 and words[before] == ".":
                before -= 1
            attached = before >= 0 and before in title_words and first not in facts.sentence_starts
            length = last - first + 1
            comma_before = before >= 0 and words[before] == ","
            apposition = length >= 2 and (
                (comma_before and _title_within(doc, before - 1, -1, marks, covered))
                or (
                    last + 1 < len(words)
                    and words[last + 1] == ","
                    and _title_within(doc, last + 2, 1, marks, covered)
                )
            )
            start, end = facts.start[first], facts.end[last]
            if (attached or apposition) and not self.kb.places_named(doc_text(doc)[start:end]):
                names.append((start, end))
        return names

    def _add_document_surnames(self, doc: Doc, text: str, chosen: list[Found]) -> None:
        """A word that is the surname of a person named in full here is that person."""
        surnames: set[str] = set()
        for f in chosen:
            if f.source in ("person", "ner_person", "title"):
                words = [w for w in text[f.start : f.end].replace("-", " ").split() if w]
                if len(words) >= 2:
                    surnames.update(fold_key(w) for w in words[1:])
        if not surnames:
            return
        facts = token_facts(doc)
        for i, word in enumerate(facts.text):
            if not word[:1].isupper() or fold_key(word) not in surnames:
                continue
            start, end = facts.start[i], facts.end[i]
            inside = [f for f in chosen if f.overlaps(start, end)]
            if not inside:
                chosen.append(Found(start, end, "surname", word))
            elif all(
                f.start == start and f.end == end and f.source.startswith("ner_") for f in inside
            ):
                _replace(chosen, Found(start, end, "surname", word), lambda f: True)

    def _noise(self, doc: Doc, found: Found, marks: LexiconMarks) -> bool:
        """Whether an unknown NER find names nobody (``actor_noise``); knowledge finds,
        titled names and surnames always name someone."""
        if not found.source.startswith("ner_"):
            return False
        span = doc.char_span(found.start, found.end, alignment_mode="expand")
        return span is None or self.noise.is_noise(doc, found.source, span, marks)

    def _home_of(self, name: str) -> str | None:
        """The state of a place named in an unknown body's name ("Iowa National Guard")."""
        for word in name.split():
            places = [p for p in self.kb.places_named(word) if p.country]
            if word[:1].isupper() and len({p.country for p in places}) == 1:
                return places[0].country
        return None

    # Building mentions ---------------------------------------------------------------------

    def mention(self, doc_text: str, found: Found, published: date | None) -> ActorMention:
        """The ``ActorMention`` of one resolved candidate."""
        text = doc_text[found.start : found.end]
        base = ActorMention(found.start, found.end, text, "person", _without_possessive(text))
        base.phrase_start, base.phrase_end = found.start, found.end
        source, key = found.source, found.key
        if source == "person":
            person = self.kb.persons.get(key)
            if person is not None:
                apply_person_facts(base, person, published)
        elif source == "org":
            org = self.kb.organisation_by_key(key)
            if org is not None:
                base.kind = _ORG_KINDS.get(org.kind, "organisation")
                base.entity_name, base.country, base.sector = org.name, org.country, org.sector
                base.wikidata_id = org.wikidata_id
        elif source in ("country", "demonym"):
            country = self.kb.countries.get(key)
            base.kind = "country"
            base.entity_name = country.name if country else key
            base.country = key
        elif source == "ethnic":
            group = self.kb.ethnic_groups[int(key)]
            base.kind, base.entity_name = "group", group.name
            base.country, base.sector = group.country, group.sector
        elif source == "ner_org":
            base.kind, base.country = "organisation", found.country or self._home_of(text)
            base.entity_name = _without_article(base.entity_name)
            base.sector = self.lexicon.institution_sector(text)
        elif source == "ner_norp":
            base.kind = "group"
        if found.is_group:
            base.kind, base.other_sectors = "group", []
            named = f"{base.entity_name} {text}"
            base.sector = found.group_sector or self.lexicon.acting_for(base.sector, named)
        return base


def apply_person_facts(mention: ActorMention, person: Person, on: date | None) -> None:
    """Name, country, sector and Wikidata id of a known person, from the office held ``on``.

    Undated: the latest office. Holding no office that day: the last one before it.
    """
    mention.kind, mention.entity_name = "person", person.name
    mention.wikidata_id = person.wikidata_id
    mention.country = person.country
    holdings = person.holdings
    if on is not None:
        current = [pair for pair in holdings if pair[1].covers(on)]
        holdings = current or [pair for pair in holdings if pair[1].start <= on]
    if holdings:
        office = holdings[-1][0]
        mention.country, mention.sector = office.country, office.sector
        mention.other_sectors = list(office.other_sectors)


def _capital_as_actor(doc: Doc, found: Found) -> bool:
    """Whether a capital stands for its state here ("Belgrade asked KFOR"): not after
    "in", "at", "from"... ("talks in Belgrade"), nor in a dateline's capitals."""
    span = doc.char_span(found.start, found.end, alignment_mode="expand")
    if span is None or span.text.isupper():
        return False
    if span.start == 0 or doc[span.start - 1].lower_ not in _LOCATIVE:
        return True
    # "calls from Brussels", "pressure from Washington": the state's (the EU's) words.
    before = doc[span.start - 1]
    return before.lower_ == "from" and before.head.lemma_.lower() in _VOICE_NOUNS


# Nouns whose "from" phrase names who speaks or presses, not where from.
_VOICE_NOUNS = frozenset(
    {"call", "warning", "pressure", "criticism", "demand", "request", "rebuke", "appeal",
     "objection", "condemnation", "message", "signal", "threat", "protest", "urging",
     "complaint", "opposition", "support", "backing", "invitation", "offer", "response",
     "reaction", "accusation", "ultimatum", "veto", "approval", "permission", "proposal",
     "plan", "initiative", "suggestion", "compromise", "guarantee", "assurance", "aid",
     "assistance", "funding", "grant", "loan", "sanction", "instruction", "order"}
)  # fmt: skip


def _strip_title(doc: Doc, found: Found, marks: LexiconMarks) -> None:
    """Move the start of a name past the role words written before it."""
    span = doc.char_span(found.start, found.end, alignment_mode="expand")
    if span is None:
        return
    facts = token_facts(doc)
    first = span.start
    while first < span.end - 1 and (first in marks.words or facts.text[first] == "."):
        first += 1
    found.start = max(found.start, facts.start[first])


def _found_from_hit(hit: PhraseHit) -> Found:
    source, _, key = hit.key.partition(":")
    return Found(hit.start, hit.end, source, key)


def _describing_things(doc: Doc, found: list[Found]) -> set[int]:
    """Indices of peoples' adjectives that modify a thing no find covers: "the French
    proposal", "a Russian-made drone" (not "Serbian police", one find)."""
    out: set[int] = set()
    for number, f in enumerate(found):
        if f.source != "demonym":
            continue
        span = doc.char_span(f.start, f.end, alignment_mode="expand")
        if span is None or len(span) != 1 or span[0].dep_ != "amod":
            continue
        head = span[0].head
        if not any(g.start <= head.idx < g.end for g in found):
            out.add(number)
    return out


def _resolve_hits(hits: list[PhraseHit]) -> list[PhraseHit]:
    """Longest first; on equal spans the more specific source (person > org > ... )."""
    best: dict[tuple[int, int], PhraseHit] = {}
    for hit in hits:
        span = (hit.start, hit.end)
        if span not in best or _priority(hit) > _priority(best[span]):
            best[span] = hit
    return longest_first(best.values())


def _priority(hit: PhraseHit) -> int:
    return SOURCE_PRIORITY.get(hit.key.partition(":")[0], 0)


def _replace(chosen: list[Found], new: Found, may_replace: Callable[[Found], bool]) -> None:
    """Put ``new`` in place of what it overlaps, if ``may_replace`` allows every one."""
    inside = [f for f in chosen if f.overlaps(new.start, new.end)]
    if inside and not all(may_replace(f) for f in inside):
        return
    for f in inside:
        chosen.remove(f)
    chosen.append(new)


def _yields_to_title(found: Found) -> bool:
    """A name beside a title overrides NER's guess and a surname, not a known actor."""
    return found.source.startswith("ner_") or found.source == "surname"


def _inner(found: Found, start: int, end: int) -> bool:
    return start <= found.start and found.end <= end


def _capitalised_runs(
    doc: Doc, lexicon_words: set[int], chosen: list[Found]
) -> list[tuple[int, int]]:
    """Token ranges of 1-4 capitalised words that are not titles or known actors."""
    facts = token_facts(doc)
    names = _name_words(doc, facts, lexicon_words, chosen)
    runs: list[tuple[int, int]] = []
    length = len(doc)
    next_free = 0  # the first token not yet in a run
    for i in sorted(names):  # a run starts at a name word
        if i < next_free:
            continue
        j = i
        while j + 1 < length and j + 1 not in facts.sentence_starts:
            if j + 1 in names:
                j += 1
            elif _joins_name(doc[j + 1]) and j + 2 < length and j + 2 in names:
                j += 2  # "Gërvalla-Schwarz", "Stuart B. Munsch"
            else:
                break
        if j - i + 1 <= _MAX_NAME_TOKENS:
            runs.append((i, j))
        next_free = j + 1
    return runs


def _name_words(
    doc: Doc, facts: TokenFacts, lexicon_words: set[int], chosen: list[Found]
) -> set[int]:
    """Tokens that can be part of a name: capitalised alphabetic words, not all in
    capitals, and neither stop words ("In May", "On Friday"), lexicon words nor parts of
    known actors."""
    taken = _tokens_overlapping(facts, [f for f in chosen if not _yields_to_title(f)])
    names: set[int] = set()
    for i, text in enumerate(facts.text):
        if not text[:1].isupper() or i in lexicon_words or i in taken:
            continue  # most tokens: no Token object needed to rule them out
        token = doc[i]
        if token.is_alpha and not token.is_upper and not token.is_stop:
            names.add(i)
    return names


def _tokens_overlapping(facts: TokenFacts, finds: list[Found]) -> set[int]:
    """Indices of the tokens that share a character with one of ``finds``."""
    indices: set[int] = set()
    for f in finds:
        # Tokens are in text order and never overlap, so both lists are sorted.
        first = bisect_right(facts.end, f.start)  # the first token ending after the start
        stop = bisect_left(facts.start, f.end)  # the first token starting at or after the end
        indices.update(range(first, stop))
    return indices


def _joins_name(token: Token) -> bool:
    """A hyphen inside a name, or a middle initial ("B.")."""
    if token.text == "-":
        return not token.whitespace_
    return len(token.text) == 2 and token.text[0].isupper() and token.text[1] == "."


def _title_within(doc: Doc, start: int, step: int, marks: LexiconMarks, covered: set[int]) -> bool:
    """Whether an apposition from token ``start`` (walking by ``step``) reaches a title.

    Only what an apposition is made of may come first: articles, possessives, "of",
    role words and the names of countries and bodies ("the prime minister", "Kosovo’s
    Minister of Defense", "a vice-president of Srpska Lista"); never other words
    ("In May, dozens of KFOR peacekeepers").
    """
    i = start
    while 0 <= i < len(doc):
        token = doc[i]
        if i in marks.titles:
            return True
        allowed = (
            i in marks.words
            or i in covered
            or token.lower_ in _APPOSITION_WORDS
            or (token.text in ("-", ".") and not token.is_sent_start)
        )
        if not allowed or (step < 0 and token.is_sent_start):
            return False
        i += step
        if step > 0 and i < len(doc) and doc[i].is_sent_start:
            return False
    return False


def _without_possessive(text: str) -> str:
    return text[:-2] if text.endswith(("'s", "’s")) else text


def _without_article(text: str) -> str:
    return text[4:] if text[:4].lower() == "the " else text


@Language.factory("pw_actors")
def make_actor_finder(nlp: Language, name: str) -> ActorFinder:
    """The ``pw_actors`` component over the bundled knowledge and role lexicon."""
    ensure_extensions()
    return ActorFinder(
        nlp.vocab, load_knowledge(), role_lexicon(), english_words=english_words(nlp)
    )
