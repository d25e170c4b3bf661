"""Where, when and how sure: the place, date, contexts and confidence of one reading, and
the country of local actors the text does not place.

Confidence (0 to 1) is a reading score, not a probability: 0.5, plus 0.15 when a verb
names its subject, plus 0.1 when an actor has a country, plus 0.1 when a recipient is
found; minus 0.25 without any actor, minus 0.15 when PLOVER requires a recipient and none
is found, minus 0.1 when an actor is an ambiguous name; a nominal trigger with no
governing verb ("the meeting between X and Y") loses 0.05. Each further sentence that
tells of the same event adds 0.05 (``grouping``). Capped to [0.05, 0.95].
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

from spacy.tokens import Span, Token

from pactwatch.knowledge import load_knowledge
from pactwatch.nlp.components.event_lexicon import Coding, EventLexicon
from pactwatch.nlp.components.event_mentions import NON_STATE_CODES, Participant
from pactwatch.nlp.components.event_triggers import TriggerMatch, clause_head
from pactwatch.nlp.components.sentence_bounds import doc_text
from pactwatch.nlp.records import DateMention, Event, PlaceMention

_PLACE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "on", "across", "along", "to", "from"}
)
_PLACE_NOUNS = frozenset(
    {
        "town",
        "city",
        "village",
        "municipality",
        "capital",
        "region",
        "area",
        "border",
        "boundary",
        "station",
        "building",
        "zone",
        "crossing",
        "site",
        "base",
        "camp",
        "headquarters",
    }
)


def line_segment(sent: Span, token: Token) -> tuple[int, int]:
    """Character range of the sentence, cut to the line holding ``token``.

    Without ``pw_line_breaks`` the parser may run a heading into the next sentence; the
    mention then still points at the line that tells of the event. Surrounding spaces
    are left out.
    """
    text = doc_text(sent.doc)
    start = max(sent.start_char, text.rfind("\n", 0, token.idx) + 1)
    newline = text.find("\n", token.idx)
    end = min(sent.end_char, newline) if newline != -1 else sent.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _covering(items: Sequence[PlaceMention | DateMention], token: Token) -> int | None:
    for i, item in enumerate(items):
        if item.start <= token.idx < item.end:
            return i
    return None


def event_place(
    match: TriggerMatch,
    places: list[PlaceMention],
    arguments: Sequence[Token] = (),
    *,
    event: str | None = None,
    actors: Sequence[Token] = (),
) -> PlaceMention | None:
    """The place attached by a locative to the trigger, its governor, its object, or an
    argument ("attacked by gunmen near Banjska"); for acts on the ground (``event`` in
    ``PHYSICAL_ACTS``) also one deeper in the clause (``_place_nearby``), outside the
    phrases of ``actors``."""
    owners = [match.token] + ([match.governor] if match.governor is not None else [])
    owners += [c for o in list(owners) for c in o.children if c.dep_ in ("dobj", "nsubjpass")]
    owners += [a for a in arguments if all(a.i != o.i for o in owners)]
    for owner in owners:
        if owner.lemma_.lower() in ("visit", "tour") and owner.i == match.token.i:
            for child in owner.children:
                if child.dep_ == "dobj" and (i := _covering(places, child)) is not None:
                    return places[i]
        for child in owner.children:
            if child.dep_ != "prep" or child.lower_ not in _PLACE_PREPS:
                continue
            if child.lower_ in ("to", "from") and owner.lemma_.lower() not in ("visit", "trip"):
                continue
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                candidates = [obj, *obj.conjuncts]
                if obj.lemma_.lower() in _PLACE_NOUNS:
                    candidates += [
                        t for t in obj.subtree if t.dep_ in ("pobj", "compound", "appos")
                    ]
                for token in candidates:
                    if (i := _covering(places, token)) is not None:
                        return places[i]
    if event in PHYSICAL_ACTS:
        return _place_nearby(match, places, actors, arguments)
    return None


# Acts that happen somewhere on the ground: where their target or their clause is, they
# are ("threw rocks at peacekeepers guarding the town hall in Zvečan", "arrested eight
# suspects during searches in Zubin Potok"). Speech acts are not placed by where the one
# spoken to lives ("urged Serbs in northern Kosovo to ...").
PHYSICAL_ACTS = frozenset(
    {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT", "AID", "COOPERATE"}
)
_NEARBY_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "around", "through", "across", "along", "on"}
)
# Branches of the parse that tell of something else: a statement's speaker, another clause.
_OTHER_CLAUSES = frozenset(
    {"nsubj", "csubj", "ccomp", "parataxis", "relcl", "advcl", "appos", "pcomp"}
)

# Prepositions that lead to another event ("after the attacks on KFOR in Zvečan").
_OTHER_TIMES = frozenset(
    {"after", "before", "since", "following", "despite", "amid", "over", "until", "ahead"}
)


def _place_nearby(
    match: TriggerMatch,
    places: list[PlaceMention],
    actors: Sequence[Token],
    arguments: Sequence[Token],
) -> PlaceMention | None:
    """A place in a locative phrase deeper in the trigger's clause (its object's
    modifiers, a participle or relative clause on its target, the noun of a "during"
    phrase), nearest first; else the place of the clause the trigger's clause is
    coordinated with ("rallied in Belgrade, and police later used pepper spray").
    Phrases of the actor are left out: they locate the actor (guide, section 9)."""
    skip = {t.i for a in actors for t in a.subtree}
    targets = {t.i for a in arguments for t in (a, *a.conjuncts)}
    roots = [match.token] + ([match.governor] if match.governor is not None else [])
    frontier = list(roots)
    seen = {t.i for t in roots}
    for _depth in range(6):
        found: PlaceMention | None = None
        following: list[Token] = []
        for owner in frontier:
            for child in owner.children:
                if child.i in seen or child.i in skip:
                    continue
                seen.add(child.i)
                if child.dep_ in _OTHER_CLAUSES or child.lower_ in _OTHER_TIMES:
                    continue
                if child.dep_ == "conj" and any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in child.children
                ):
                    continue  # another act with its own subject
                if child.dep_ == "prep" and child.lower_ in _NEARBY_PREPS and found is None:
                    for obj in child.children:
                        if obj.dep_ != "pobj" or obj.i in targets:
                            continue
                        if (place := _locative_place(obj, places)) is not None:
                            found = place if _one_place(obj, places) else None
                            break
                following.append(child)
        if found is not None:
            return found
        frontier = following
        if not frontier:
            break
    return _coordinated_place(match.token, places)


def _locative_place(obj: Token, places: list[PlaceMention]) -> PlaceMention | None:
    """The place the object of a locative names, itself or through a place noun ("near
    the boundary with Kosovo", "at the police station in Zvečan")."""
    if (i := _covering(places, obj)) is not None:
        return places[i]
    if obj.lemma_.lower() in _PLACE_NOUNS:
        for token in obj.subtree:
            nested = token.dep_ in ("pobj", "compound", "appos") and token.i != obj.i
            if nested and (i := _covering(places, token)) is not None:
                return places[i]
    return None


def _one_place(obj: Token, places: list[PlaceMention]) -> bool:
    """Whether a locative names one place: "in Belgrade and Novi Sad" names two, and an
    act told of several places has none (guide, section 9)."""
    return all(_covering(places, c) is None for c in obj.conjuncts)


def _coordinated_place(token: Token, places: list[PlaceMention]) -> PlaceMention | None:
    """The place a clause takes from the clause it is coordinated with."""
    clause = clause_head(token)
    if clause.dep_ != "conj" or clause.head.i == clause.i:
        return None
    first = clause.head
    for child in first.children:
        if child.dep_ != "prep" or child.lower_ not in ("in", "at", "near", "outside"):
            continue
        for obj in child.children:
            if obj.dep_ == "pobj" and (i := _covering(places, obj)) is not None:
                return places[i]
    return None


def reading_confidence(
    match: TriggerMatch,
    subject_found: bool,
    actors: list[Participant],
    recipients: list[Participant],
    requires_recipient: bool,
) -> float:
    score = 0.5
    if subject_found and match.rule.pos == "VERB":
        score += 0.15
    if any(p.actor.country for p in actors):
        score += 0.1
    if recipients:
        score += 0.1
    if not actors:
        score -= 0.25
    if requires_recipient and not recipients:
        score -= 0.15
    if any(p.actor.ambiguous for p in actors):
        score -= 0.1
    if match.rule.pos == "NOUN" and match.governor is None:
        score -= 0.05
    return round(min(0.95, max(0.05, score)), 3)


def event_contexts(coding: Coding, sent: Span, lexicon: EventLexicon) -> list[str]:
    contexts = list(coding.contexts)
    # The sentence from the Doc's text (``Span.text`` joins its tokens anew each time).
    text = f" {doc_text(sent.doc)[sent.start_char : sent.end_char].lower()} "
    for context, cues in lexicon.context_cues.items():
        if context not in contexts and _cue_pattern(cues).search(text):
            contexts.append(context)
    return contexts


@cache
def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of ``cues`` after a space (the same test as `` f" {cue}" in text``
    for each, in one pass over the sentence instead of one per cue)."""
    return re.compile("|".join(re.escape(f" {cue}") for cue in cues) or "(?!)")


_BORDER = re.compile(r"\b(?:boundary|border|frontier)\s+with\s+(?:the\s+)?$", re.IGNORECASE)


def border_side(event: Event, text: str) -> None:
    """ "Serbian troops moved to the boundary with Kosovo": the act is on the actor's
    side of the line, not in the country the phrase names (guide, section 9)."""
    loc = event.event_loc
    if loc is None or loc.kind != "country" or not _BORDER.search(text[: loc.start]):
        return
    sides = {a.country for a in event.actor if a.country and a.country not in ("IGO", "EUR", "UNO")}
    if len(sides) != 1 or loc.country in sides:
        return
    line = text.rfind(" the ", 0, loc.start)
    start = line + 1 if line != -1 and loc.start - line < 30 else loc.start
    event.event_loc = PlaceMention(
        start, loc.end, text[start : loc.end], text[start : loc.end], "region", sides.pop()
    )


_LOCAL_SECTORS = frozenset({"CVL", "COP", "JUD"})


def home_country(places: list[PlaceMention]) -> str | None:
    """The country most towns, sites and regions of the text lie in (None if it names none).

    A dateline ("BELGRADE, Dec 27 -") says where the report was filed, not where things
    happen, and is left out.
    """
    counts = Counter(
        p.country
        for p in places
        if p.kind != "country" and p.country and not (p.text.isupper() and len(p.text) > 3)
    )
    return counts.most_common(1)[0][0] if counts else None


def place_locals(event: Event, home: str | None) -> None:
    """Local actors belong to the country where they act.

    Police, courts and civilians that the text does not place, and the unnamed targets of
    attacks and arrests, take the country of the event's town or region, else of the
    text's home (``home_country``). Civilians named by an ethnic word are residents of
    where they act: "Serb protesters" in Zvečan are Kosovo's. Officials, troops and armed
    groups keep what the text says.
    """
    loc = event.event_loc
    where = (loc.country if loc is not None and loc.kind != "country" else None) or home
    targets = event.recipient if event.event in ("ASSAULT", "COERCE") else []
    if not where:
        # "Veljko Belivuk ... were arrested by Serbian police": with no place told, whom
        # police or courts arrest are of their jurisdiction
        jurisdiction = next(
            (a.country for a in event.actor if a.sector in ("COP", "JUD") and a.country), None
        )
        for target in targets:
            if target.country is None and jurisdiction not in (None, *NON_STATE_CODES):
                target.country = jurisdiction
        return
    for actor in (*event.actor, *event.recipient):
        unplaced = actor.country is None and (
            actor.sector in _LOCAL_SECTORS or (actor in targets and actor.sector is None)
        )
        resident = actor.sector == "CVL" and not _text_states(actor.raw_text, actor.country)
        if unplaced or (resident and actor.country != where):
            actor.country = where


# Words that name a people, not a state: "Serb protesters" say nothing of citizenship.
_ETHNIC_WORDS = frozenset({"serb", "serbs", "croat", "croats", "bosniak", "bosniaks", "albanians"})


def _text_states(text: str, country: str | None) -> bool:
    """Whether the actor's own words name its state ("Kosovo Serbs", "Serbian citizens")."""
    if country is None:
        return False
    kb = load_knowledge()
    for word in re.findall(r"[^\W\d_]+(?:'s)?", text):
        if word.lower() in _ETHNIC_WORDS:
            continue
        found = kb.country(word)
        if found is not None and found.code == country:
            return True
    return False


def at_summit(token: Token) -> bool:
    return any(
        p.dep_ == "prep" and p.lower_ == "at" and o.lemma_.lower() in ("summit", "conference")
        for p in token.children
        for o in p.children
    )


def told_before_or_generic(match: TriggerMatch) -> bool:
    """ "after the explosion" (told before), "against cyber attacks" (no one in particular)."""
    token = match.token
    if match.rule.pos != "NOUN":
        return False
    determiners = [c.lower_ for c in token.children if c.dep_ in ("det", "poss")]
    if any(d in ("the", "this", "that", "these", "those") for d in determiners):
        return True
    return not determiners and token.tag_ in ("NNS", "NNPS")


def host_at_home(event: Event) -> None:
    """In a CONSULT, the side met in its own state hosts and the other visits (PLOVER).

    "Vučić met Lajčák in Belgrade": the envoy visits, Vučić hosts, whatever the grammar.
    Only a state actor met at home with a recipient from elsewhere (a state or an
    organisation) is turned round; a meeting elsewhere is left to ``refine_consult_mode``.
    """
    loc = event.event_loc
    if event.event != "CONSULT" or event.mode is not None or loc is None or not loc.country:
        return
    actor_codes = {a.country for a in event.actor if a.country}
    recipient_codes = {r.country for r in event.recipient if r.country}
    if loc.country in actor_codes and recipient_codes and loc.country not in recipient_codes:
        event.actor, event.recipient = event.recipient, event.actor


_NOMINAL_PATH = frozenset({"dobj", "prep", "pobj", "compound", "amod", "nmod"})


def objects_of_to(verb: Token, preps: tuple[str, ...] = ("to",)) -> list[Token]:
    """Objects of a recipient preposition ("to", "with") the parser hung inside the verb's
    object phrase rather than on the verb: "donated equipment to the Armed Forces of BiH"."""
    out: list[Token] = []
    for token in verb.subtree:
        if token.dep_ != "prep" or token.lower_ not in preps or token.head == verb:
            continue
        step = token.head
        while step != verb and step.dep_ in _NOMINAL_PATH:
            step = step.head
        if step == verb:
            out += [o for o in token.children if o.dep_ == "pobj"]
    return out


# Acts whose partner may be named by the clause around the trigger rather than by it.
PARTNERED_ACTS = frozenset({"AGREE", "REQUEST", "SUPPORT"})


def partners_in_clause(verb: Token) -> list[Token]:
    """Partners named by the clause around a trigger that names none itself.

    "agreed to share intelligence with Italy": the complement's "with"; "spoke by phone
    with Vučić to urge de-escalation": the "with" of the verb the purpose clause serves.
    """
    owners = [c for c in verb.children if c.dep_ == "xcomp"]
    to_aux = any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)
    if verb.dep_ in ("advcl", "xcomp") and to_aux:
        owners.append(verb.head)
    # "share intelligence with Italy": the parser often hangs the "with" on the object.
    owners += [d for owner in owners for d in owner.children if d.dep_ == "dobj"]
    return [
        o
        for owner in owners
        for p in owner.children
        if p.dep_ == "prep" and p.lower_ == "with"
        for o in p.children
        if o.dep_ == "pobj"
    ]


def at_whose_request(noun: Token) -> bool:
    """ "at the request of X", "at X's invitation": a request told as the reason for an act."""
    head = noun.head
    return (
        noun.dep_ == "pobj"
        and head.dep_ == "prep"
        and head.lower_ in ("at", "upon")
        and noun.lemma_.lower() in ("request", "invitation", "behest", "urging", "demand")
        and head.head.pos_ in ("VERB", "AUX")
    )
