"""``pw_roles``: the office or title the text states with each person.

Reads ``doc._.pw_mentions`` (from ``pw_actors``), tokens, the dependency parse and
``doc._.pw_published``; sets on each person mention ``role_text`` (as written; several
descriptions joined by "; "), ``role_country``, ``role_office`` (the knowledge office key
when the title names exactly one office), ``sector``, ``other_sectors``, ``country`` and
``phrase_start``/``phrase_end`` (the name with its role). The mentions inside a stated
role (the qualifier "Kosovo’s", "Serbian", "U.S."; the body in "NATO Secretary General"
or "head of the American mission to NATO") are removed from ``doc._.pw_mentions``: they
describe the person, are not actors of their own, and live on in ``role_country``,
``role_text`` and ``role_office``.

Three places hold a role:

- a title written before the name: "Prime Minister Albin Kurti", "Serbian Defence
  Minister Nebojša Stefanović", "KFOR commander Maj. Gen. Özkan Ulutaş";
- an apposition before it: "Kosovo’s Minister of Defense, Armend Zemaj,", "the head of the
  American mission to NATO, Ambassador Geoffrey Pyatt";
- an apposition after it: "Kurti, the prime minister, said".

An apposition counts when commas bracket it or the parser links it to the name (``appos``,
``conj``, ``compound``: the small parser often labels an apposition ``conj``). A role must
contain an office, rank or role word of ``roles.yaml``.

``role_country`` comes from a qualifier of the role: a country or demonym leading it
("Kosovo’s", "Serbian", "U.S."), "of Kosovo", or the organisation the role belongs to
("KFOR commander" -> IGO, "head of the American mission to NATO" -> USA). A country or
organisation after "to", "in" or "at" is a posting ("Ambassador to NATO"), not the role's.

The stated role wins over knowledge for the mention's sector and country (the checking
stage compares the two); knowledge values stay only where the text states no role.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from pactwatch.knowledge import Knowledge, Office, Organisation, load_knowledge
from pactwatch.nlp.components.actor_groups import context_countries
from pactwatch.nlp.components.role_lexicon import (
    TITLE_CATEGORIES,
    LexiconMarks,
    RoleLexicon,
    lexicon_marks,
    normalise_word,
    role_lexicon,
)
from pactwatch.nlp.components.sentence_bounds import sentence_at
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import ActorMention

_CONNECTORS = frozenset({"of", "for", "to", "on", "and", "in", "at"})
_POSTING = frozenset({"to", "in", "at"})
# Words for a people that lead a role without naming the person's state.
_PEOPLE_QUALIFIERS = frozenset({"serb", "croat", "bosniak"})
_ARTICLES = frozenset({"the", "a", "an"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_JOINERS = frozenset({"-", "‐", "–", "."})
_CLOSERS = frozenset({",", ".", ";", ")", ":", "—", "–"})
_LINKS = frozenset({"appos", "conj", "compound", "npadvmod", "nmod"})
_MAX_ROLE_TOKENS = 14

Context = tuple[dict[int, set[str]], str | None]
"""The states each sentence names, and the one the document names most."""


@dataclass(slots=True)
class RolePart:
    """One stated description of a person, tokens ``start:end`` without its qualifier."""

    start: int
    end: int
    qualifier_start: int  # first token, a leading "Kosovo’s" or "Serbian" included
    text: str
    start_char: int
    end_char: int
    country: str | None = None  # from the qualifier, "of X", or the role's organisation
    organisation: Organisation | None = None
    organisation_tokens: set[int] = field(default_factory=set)
    inner_mentions: list[int] = field(default_factory=list)  # mentions inside the role
    qualifier_tokens: set[int] = field(default_factory=set)  # "of Kosovo" inside the role


class RoleReader:
    """The ``pw_roles`` component (see the module docstring)."""

    def __init__(self, knowledge: Knowledge, lexicon: RoleLexicon) -> None:
        self.kb = knowledge
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        ensure_extensions()
        mentions: list[ActorMention] = list(doc._.pw_mentions or [])
        finder = RoleFinder(doc, mentions, lexicon_marks(self.lexicon, doc), self.kb)
        context = context_countries(mentions)
        consumed: set[int] = set()
        for mention in mentions:
            if mention.kind != "person":
                continue
            parts = finder.parts(mention)
            if parts:
                self.apply(mention, parts, doc, context)
                for part in parts:
                    consumed.update(part.inner_mentions)
        doc._.pw_mentions = [m for i, m in enumerate(mentions) if i not in consumed]
        return doc

    def apply(
        self, mention: ActorMention, parts: list[RolePart], doc: Doc, context: Context
    ) -> None:
        """Set the role fields of ``mention`` from its stated descriptions."""
        mention.role_text = "; ".join(p.text for p in parts)
        mention.role_country = next((p.country for p in parts if p.country), None)
        mention.phrase_start = min(mention.start, *(doc[p.qualifier_start].idx for p in parts))
        mention.phrase_end = max(mention.end, *(p.end_char for p in parts))
        sector: str | None = None
        others: list[str] = []
        for part in parts:
            org = part.organisation
            found, more = self.lexicon.sectors(
                part.text, (org.sector, org.name) if org is not None else None
            )
            if sector is None:
                sector = found
            elif found is not None:
                others.append(found)
            others.extend(more)
        office = self.office(mention, parts, doc, context)
        if office is not None:
            mention.role_office = office.key
            if sector is None:
                sector, others = office.sector, [*office.other_sectors, *others]
        if sector is not None:
            mention.sector = sector
            mention.other_sectors = [s for s in dict.fromkeys(others) if s != sector]
        if mention.role_country is not None:
            mention.country = mention.role_country
        elif office is not None:
            mention.country = office.country

    def office(
        self, mention: ActorMention, parts: list[RolePart], doc: Doc, context: Context
    ) -> Office | None:
        """The one knowledge office the stated role names, or None (none, or several).

        A title without a country ("Minister of Foreign Affairs Donika Zemaj") names
        the office of the person's known country, else of the one country among those
        the sentence names that has such an office, else of the document's main country.
        """
        country = mention.role_country or mention.country
        person = self.kb.person(mention.entity_name)
        held = {o.key for o, _ in person.holdings} if person is not None else set()
        for part in parts:
            offices: list[Office] = []
            for title in title_forms(part, doc, self.lexicon):
                offices = self.kb.office_for_title(title, country)
                if offices:
                    break
            if len(offices) > 1 and held:
                offices = [o for o in offices if o.key in held] or offices
            by_sentence, main = context
            for countries in (by_sentence.get(mention.sentence, set()), {main}):
                if len(offices) > 1:
                    offices = [o for o in offices if o.country in countries] or offices
            if len(offices) == 1:
                return offices[0]
        return None


def title_forms(part: RolePart, doc: Doc, lexicon: RoleLexicon) -> list[str]:
    """How the office list may write a stated role, most literal first.

    "KFOR commander Maj. Gen." -> itself, "KFOR commander Maj. Gen." with the
    organisation's other names, then each title word with them ("KFOR commander",
    "commander of KFOR", "Kosovo Force commander"...), then the title words alone.
    """
    tokens = [t for t in doc[part.start : part.end] if t.i not in part.qualifier_tokens]
    core = [t for t in tokens if t.i not in part.organisation_tokens]
    while core and (core[0].lower_ in _CONNECTORS | _ARTICLES or core[0].text in _JOINERS):
        core = core[1:]
    while core and (core[-1].lower_ in _CONNECTORS | _ARTICLES):
        core = core[:-1]
    heads = [" ".join(t.text for t in core)]
    # The role's own title words: those before "of", "to" or "for" ("head of ...").
    connector = next((n for n, t in enumerate(tokens) if t.lower_ in _CONNECTORS), len(tokens))
    for hit in lexicon.find([normalise_word(t.text) for t in tokens[:connector]]):
        if hit.has(*TITLE_CATEGORIES):
            heads.append(doc[tokens[hit.start].i : tokens[hit.end - 1].i + 1].text)
    org = part.organisation
    names: list[str] = []
    if org is not None:
        written = " ".join(t.text for t in tokens if t.i in part.organisation_tokens)
        names = [written, org.name, *org.aliases]
    forms = [part.text, " ".join(t.text for t in tokens)]
    for head in heads:
        for name in names:
            forms.extend((f"{name} {head}", f"{head} of {name}", f"{head} of the {name}"))
    forms.extend(heads)
    return [f for f in dict.fromkeys(f.strip() for f in forms) if f]


class RoleFinder:
    """Finds the stated roles around persons' names in one doc."""

    def __init__(
        self, doc: Doc, mentions: list[ActorMention], marks: LexiconMarks, kb: Knowledge
    ) -> None:
        self.doc, self.mentions, self.marks, self.kb = doc, mentions, marks, kb
        self.by_token: dict[int, int] = {}
        for number, mention in enumerate(mentions):
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            for token in span if span is not None else ():
                self.by_token.setdefault(token.i, number)

    def parts(self, mention: ActorMention) -> list[RolePart]:
        """The roles stated with ``mention``: before the name, then after it."""
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None:
            return []
        first, last = span.start, span.end - 1
        parts: list[RolePart] = []
        attached = self.zone_left(first - 1)
        if attached is not None:
            parts.append(attached)
        edge = attached.qualifier_start if attached is not None else first
        if edge >= 2 and self.doc[edge - 1].text == ",":
            before = self.zone_left(self._before_parenthesis(edge - 2))
            if before is not None and (self._closed_after(last) or self._linked(before, span)):
                parts.append(before)
        if last + 2 < len(self.doc) and self.doc[last + 1].text == ",":
            after = self.zone_right(last + 2)
            if after is not None and self._introduces_next_person(after.end):
                after = self._cut_before_next_title(after)
            elif after is not None and not (
                self._closed_after(after.end - 1) or self._linked(after, span, True)
            ):
                after = None
            if after is not None:
                parts.append(after)
        return parts

    def _cut_before_next_title(self, part: RolePart) -> RolePart | None:
        """A description running into another person's title, cut before it.

        "Stano, spokesperson for the EU's foreign policy chief Josep Borrell" ->
        "spokesperson"; with no "to" or "for" to cut at, the whole description is the
        next name's ("Maqedonci, the commander of the KSF, Lieutenant General Jashari").
        """
        for i in range(part.end - 1, part.start, -1):
            if self.doc[i].lower_ in ("to", "for"):
                return self._part(part.qualifier_start, i)
        return None

    def _before_parenthesis(self, i: int) -> int:
        """The token before "(KSF)" when token ``i`` closes it, else ``i``."""
        doc = self.doc
        if i >= 0 and doc[i].text == ")":
            for j in range(i - 1, max(i - 6, -1), -1):
                if doc[j].text == "(":
                    return j - 1
        return i

    def _introduces_next_person(self, i: int) -> bool:
        """Whether the words from token ``i`` on lead to another person's name.

        In "Maqedonci, the commander of the KSF (KSF), Lieutenant General Bashkim
        Jashari," and "Plötner, adviser to Chancellor Olaf Scholz," the description
        belongs to the name it leads to.
        """
        doc = self.doc
        if i < len(doc) and doc[i].text == "(":
            while i < len(doc) and doc[i].text != ")":
                i += 1
            i += 1
        if i < len(doc) and doc[i].text == ",":
            i += 1
        while i < len(doc) and (i in self.marks.words or doc[i].text == "."):
            i += 1
        owner = self.by_token.get(i)
        return owner is not None and self.mentions[owner].kind == "person"

    def zone_left(self, end: int) -> RolePart | None:
        """The role whose last token is ``end``, walking left."""
        doc = self.doc
        if end < 0 or not self._anchor(end):
            return None
        sent_start = sentence_at(doc, end)[0]
        i = end
        while i >= sent_start and end - i < _MAX_ROLE_TOKENS and self._zone_word(i):
            if doc[i].lower_ in ("to", "for") and i < end and self._opens_title(i + 1):
                break  # "adviser to German Chancellor Olaf Scholz": Scholz is the Chancellor
            i -= 1
        return self._part(i + 1, end + 1)

    def _opens_title(self, i: int) -> bool:
        """Whether another title starts at token ``i``: "German Chancellor", "the EU's
        foreign policy chief" (after "adviser to", "spokesperson for")."""
        doc = self.doc
        while i < len(doc) and doc[i].lower_ in _ARTICLES:
            i += 1
        if i >= len(doc):
            return False
        owner = self.by_token.get(i)
        if owner is None:
            return i in self.marks.titles
        if self.mentions[owner].kind == "person":
            return False
        j = i
        while j < len(doc) and self.by_token.get(j) == owner:
            j += 1
        owned = j < len(doc) and doc[j].text in _POSSESSIVE
        demonym = self.mentions[owner].kind == "country" and doc[i].tag_ == "JJ"
        return owned or demonym

    def zone_right(self, start: int) -> RolePart | None:
        """The role whose first token is ``start`` (after "Name,"), walking right."""
        doc = self.doc
        sent_end = sentence_at(doc, start)[1]
        i = start
        while i < sent_end and doc[i].lower_ in _ARTICLES:
            i += 1  # "Kurti, the prime minister,"
        while i < sent_end and i - start < _MAX_ROLE_TOKENS:
            if doc[i].pos_ in ("VERB", "AUX") or not self._zone_word(i):
                break
            i += 1
        return self._part(start, i)

    def _zone_word(self, i: int) -> bool:
        """Whether token ``i`` may belong to a role."""
        token = self.doc[i]
        if token.is_space or (token.text in _CLOSERS and token.text != "."):
            return False
        owner = self.by_token.get(i)
        if owner is not None:
            return self.mentions[owner].kind != "person"
        if i in self.marks.words or token.lower_ in _CONNECTORS or token.text in _POSSESSIVE:
            return True
        if token.text in _JOINERS:
            # "Maj. Gen." or "Secretary-General", never a sentence's full stop.
            return (
                not token.is_sent_start
                and (not token.whitespace_ or (i > 0 and not self.doc[i - 1].whitespace_))
                and not (i + 1 < len(self.doc) and self.doc[i + 1].is_sent_start)
            )
        if token.lower_ in _ARTICLES:
            # "head of the American mission": an article right after "of" or "for".
            return i > 0 and self.doc[i - 1].lower_ in ("of", "for")
        return token.text[:1].isupper() or token.tag_ in ("NN", "NNS", "JJ")

    def _anchor(self, i: int) -> bool:
        """A word a role may start or end with: a lexicon word or a non-person actor."""
        owner = self.by_token.get(i)
        if owner is not None:
            return self.mentions[owner].kind != "person"
        return i in self.marks.words

    def _part(self, start: int, end: int) -> RolePart | None:
        """The role in tokens ``start:end`` trimmed to its anchors, with its qualifiers."""
        doc = self.doc
        while start < end and not self._anchor(start):
            start += 1
        while end > start and not self._anchor(end - 1):
            end -= 1
        if start >= end or not any(i in self.marks.titles for i in range(start, end)):
            return None
        qualifier_start = start
        country: str | None = None
        q = start
        while q < end and q in self.marks.modifiers and q not in self.marks.titles:
            q += 1  # "new United States ambassador", "former Serbian minister"
        owner = self.by_token.get(q)
        if owner is not None and self.mentions[owner].kind == "country":
            # A leading qualifier: "Kosovo’s", "Serbian", "U.S."; a people's word is no
            # citizenship ("the Serb member of Bosnia's presidency": Bosnia's).
            ethnic = doc[q].lower_ in _PEOPLE_QUALIFIERS
            country = None if ethnic else self.mentions[owner].country
            leading = q == start
            while (
                leading
                and start < end
                and (self.by_token.get(start) == owner or doc[start].text in _POSSESSIVE)
            ):
                start += 1
        if start >= end or not any(i in self.marks.titles for i in range(start, end)):
            return None
        part = RolePart(
            start, end, qualifier_start, doc[start:end].text,
            doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), country,
        )  # fmt: skip
        self._organisation_and_country(part)
        owners = {self.by_token.get(i) for i in range(qualifier_start, end)}
        part.inner_mentions = [
            o for o in owners if o is not None and self.mentions[o].kind != "person"
        ]
        return part

    def _organisation_and_country(self, part: RolePart) -> None:
        """The role's organisation, and its country when no qualifier gave one."""
        doc = self.doc
        seen: set[int] = set()
        for i in range(part.start, part.end):
            owner = self.by_token.get(i)
            if owner is None or owner in seen:
                continue
            seen.add(owner)
            found = self.mentions[owner]
            if i > 0 and doc[i - 1].lower_ in _POSTING:
                continue  # "Ambassador to NATO", "envoy in Belgrade": a posting
            if found.kind == "country" and part.country is None and doc[i - 1].lower_ == "of":
                part.country = found.country
                part.qualifier_tokens = {i - 1} | {
                    j for j in range(part.start, part.end) if self.by_token.get(j) == owner
                }
            elif found.kind in ("organisation", "igo", "group") and part.organisation is None:
                part.organisation = self.kb.organisation(found.entity_name)
                if part.organisation is None and found.kind == "group":
                    continue  # a people ("Serb"), not a body the person works for
                part.organisation_tokens = {
                    j for j in range(part.start, part.end) if self.by_token.get(j) == owner
                }
                if part.country is None:
                    part.country = found.country

    def _closed_after(self, i: int) -> bool:
        """Whether token ``i`` ends a bracketed apposition (a comma or the clause's end)."""
        doc = self.doc
        return i + 1 >= len(doc) or doc[i + 1].text in _CLOSERS or bool(doc[i + 1].is_sent_start)

    def _linked(self, part: RolePart, name: Span, appos_only: bool = False) -> bool:
        """Whether the parser links a token of ``part`` with a token of the name."""
        links = {"appos"} if appos_only else _LINKS
        role = set(range(part.start, part.end))
        for token in name:
            if token.head.i in role and token.dep_ in links:
                return True
            if any(child.dep_ in links for child in token.children if child.i in role):
                return True
        return False


@Language.factory("pw_roles")
def make_role_reader(nlp: Language, name: str) -> RoleReader:
    """The ``pw_roles`` component over the bundled knowledge and role lexicon."""
    ensure_extensions()
    return RoleReader(load_knowledge(), role_lexicon())
