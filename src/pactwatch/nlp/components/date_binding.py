"""Which date expression of a sentence dates which event (guide, section 8).

A date belongs to the clause it modifies: the clause whose verb the expression hangs from
(``clause_head``). A clause with a date of its own keeps it, even one that gives no day
("KFOR said on Friday it had added troops this week": the deployment has no day); a span
with no place in time ("delay the rules by a month") does not count. A clause without a
date takes the one of the clause it depends on, along these links:

- coordination: "met Osmani on Thursday and urged all sides ..."; a conjunct with its own
  subject told in another tense ("questioned him on Tuesday, but Serbia has refused") or
  moved on by "later" takes nothing;
- complements and participles: "agreed on Sunday to delay the rules", "moved him to house
  arrest on Wednesday, meeting one of the demands", "spoke with Vučić on Friday to urge",
  but not a consequence ("prompting Belgrade to accuse", "drawing criticism"), which comes
  after, nor a passive participle ("Trained by British instructors, the platoon was
  certified on Thursday"), which tells of before; an aspectual verb's date is its
  complement's ("began withdrawing on Saturday, and KFOR troops took up positions");
- clauses of the same moment: "while reminding Pristina", and the other way round a
  "When police escorted the mayors ... on Friday," or "Addressing parliament on
  Thursday," clause dates its main clause;
- speech: the day of "X said on Monday that ..." dates an act the speaker announces of its
  own side ("EULEX said on Thursday it had handed the evidence"), and a threat or a
  promise, made by the saying, but not an act still to come ("said Serbia would formally
  ask KFOR") nor one of another side ("KFOR has rejected Belgrade's request, Vučić said on
  Sunday");
- a relative clause takes the day its noun is dated by ("an incident on Sunday in which
  unknown armed people fired shots").

A date inside a noun's modifier or relative clause ("the deal announced by Borrell on
Saturday") dates that clause only, never the clause around the noun. A clause told as the
cause or the sequel of another ("after both leaders declined", "if KFOR did not remove
them") takes nothing from it, nor does a nominal trigger (a noun in a phrase of the
clause); a noun in an "after"/"despite" phrase is of another moment than its clause
("after the resignation of Vučević"). A date hung on a noun of the clause ("investigating
an incident on Sunday") dates the clause only when nothing else does. A day taken from
another clause never makes a past act future (``_fits_tense``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Token

from pactwatch.nlp.components.event_mentions import Participant
from pactwatch.nlp.components.event_recoding import INTENDED_EVENTS
from pactwatch.nlp.components.event_subjects import subject_tokens
from pactwatch.nlp.components.event_triggers import TriggerMatch, clause_head
from pactwatch.nlp.components.modality import SPEECH_VERBS, has_future_auxiliary, modality_of
from pactwatch.nlp.components.sentence_bounds import sentence_at
from pactwatch.nlp.records import DateMention

# Verbs that report what their complement tells.
_REPORTING = SPEECH_VERBS | {"stress", "reiterate", "inform"}
# Acts made by saying that they will be done: a threat, a promise, an intention (a future
# cooperative act told by its speaker is coded AGREE, ``event_recoding.as_intention``).
_MADE_BY_SAYING = frozenset({"THREATEN", "AGREE"}) | INTENDED_EVENTS
# Marks of an adverbial clause told of the same moment as its main clause ("as" may give
# a cause or a background, "after" and "if" another moment).
_SAME_TIME = frozenset({"when", "while"})
# Prepositions that lead to another moment than the clause's ("after the attacks").
_OTHER_TIMES = frozenset(
    {"after", "before", "since", "following", "despite", "amid", "over", "until", "ahead"}
)
# Adverbs that move a coordinated clause to another moment ("and police later arrested").
_LATER = frozenset({"later", "subsequently", "afterwards", "afterward", "since", "earlier"})
# Participles that tell a consequence of the act, not the act ("prompting Belgrade to").
_CONSEQUENCES = frozenset(
    {"prompt", "spark", "trigger", "draw", "cause", "force", "lead", "provoke"}
)
# Subjects of a complement that stand for its speaker ("Kosovo police said they had").
_SPEAKER_PRONOUNS = frozenset({"it", "they", "we", "he", "she", "i"})
# Codes shared by actors of different sides: only the same organisation is the same side.
_SHARED_CODES = frozenset({"IGO", "EUR", "UNO", "NGO"})
_MAX_LINKS = 6
# Verbs whose complement tells the act itself: its date is theirs ("began withdrawing").
_ASPECTUAL = frozenset({"begin", "start", "continue", "resume", "try", "attempt", "stop"})


@dataclass(frozen=True, slots=True)
class SpeakerSide:
    """Who speaks, against the actors of the event a reporting verb may date."""

    actors: Sequence[Participant]
    participants: Callable[[list[Token]], list[Participant]]

    def speakers(self, verb: Token) -> list[Participant]:
        return self.participants(subject_tokens(verb))

    def same_side(self, verb: Token) -> bool:
        """Whether the speaker is on the side of the actors (the same organisation, or
        the same state): "Serbia said ... it had cut the number of troops"."""
        return any(_same_side(s, a) for s in self.speakers(verb) for a in self.actors)


def speaker_side(
    actors: Sequence[Participant], participants: Callable[[list[Token]], list[Participant]]
) -> SpeakerSide:
    """The speaker test for an event of ``actors``; ``participants`` reads tokens."""
    return SpeakerSide(actors, participants)


def _same_side(one: Participant, other: Participant) -> bool:
    a, b = one.actor, other.actor
    if a.entity_name and a.entity_name == b.entity_name:
        return True
    return bool(a.country) and a.country == b.country and a.country not in _SHARED_CODES


@dataclass(slots=True)
class _Dates:
    """The date expressions of one sentence, by the clause each belongs to."""

    own: dict[int, list[DateMention]] = field(default_factory=dict)  # on the clause's verb
    nominal: dict[int, list[DateMention]] = field(default_factory=dict)  # on one of its nouns
    spans: dict[int, list[DateMention]] = field(default_factory=dict)  # "by a month"
    heads: dict[int, DateMention] = field(default_factory=dict)  # by the token heading each

    def of_clause(self, clause: Token) -> list[DateMention]:
        return self.own.get(clause.i, []) + self.nominal.get(clause.i, [])


@dataclass(slots=True)
class _Placed:
    """The date expressions of one Doc by sentence, and each sentence's ``_Dates``."""

    dates: Sequence[DateMention]  # the list they were placed for (held: identity is the key)
    # Token bounds (not Spans: a Span holds its Doc, which would keep the key alive), by
    # the start token of the sentence.
    spans: dict[int, list[tuple[DateMention, int, int]]]
    tables: dict[int, _Dates] = field(default_factory=dict)


# ``bind_date`` runs once per reading, and the readings of a sentence share its dates:
# each expression is located (``char_span`` and its sentence) once per Doc, and each
# sentence's table built once, instead of both for every reading.
_PLACED: WeakKeyDictionary[Doc, _Placed] = WeakKeyDictionary()


def _sentence_dates(dates: Sequence[DateMention], doc: Doc, sent_start: int) -> _Dates:
    placed = _PLACED.get(doc)
    if placed is None or placed.dates is not dates:
        spans: dict[int, list[tuple[DateMention, int, int]]] = {}
        for mention in dates:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                first = sentence_at(doc, span.start)[0]
                spans.setdefault(first, []).append((mention, span.start, span.end))
        placed = _PLACED[doc] = _Placed(dates, spans)
    table = placed.tables.get(sent_start)
    if table is None:
        table = placed.tables[sent_start] = _table(doc, placed.spans.get(sent_start, []))
    return table


def _table(doc: Doc, spans: list[tuple[DateMention, int, int]]) -> _Dates:
    out = _Dates()
    for mention, start, end in spans:
        span = doc[start:end]
        owner = _owner(span.root, span.end)
        if mention.date:
            out.heads[span.root.i] = mention
        if mention.precision is None and not mention.date:
            # A span of time with no place in time ("by a month", "within days") does not
            # keep a clause from taking the date of the clause it depends on.
            table = out.spans
        elif _on_noun(span.root, owner):
            table = out.nominal
        else:
            table = out.own
        table.setdefault(owner.i, []).append(mention)
    return out


def _owner(root: Token, end: int) -> Token:
    """The clause a date expression belongs to. "EUFOR said on Thursday it would deploy":
    the parser may hang a date standing between a reporting verb and its complement's
    subject on the complement; it dates the saying."""
    clause = clause_head(root)
    head = clause.head
    if clause.dep_ != "ccomp" or head.lemma_.lower() not in _REPORTING or head.i > root.i:
        return clause
    opening = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "mark")]
    if opening and all(next(iter(c.subtree)).i >= end for c in opening):
        return clause_head(head)
    return clause


def _on_noun(root: Token, clause: Token) -> bool:
    """Whether a date hangs on a noun of its clause ("an incident on Sunday")."""
    current = root.head
    for _ in range(12):
        if current.i == clause.i or current.head.i == current.i:
            return False
        if current.pos_ in ("NOUN", "PROPN"):
            return True
        current = current.head
    return False


def _pick(found: list[DateMention]) -> DateMention | None:
    # A day beats an expression that gives none ("since 2023 ... on Monday"); otherwise the
    # first, which may still tell the modality ("next week").
    found = sorted(found, key=lambda m: m.start)
    days = [m for m in found if m.date and m.precision == "day"]
    chosen = days or found
    return chosen[0] if chosen else None


def bind_date(
    match: TriggerMatch,
    dates: Sequence[DateMention],
    doc: Doc,
    *,
    event: str | None = None,
    speaker: SpeakerSide | None = None,
) -> DateMention | None:
    """The date expression that dates the event of ``match`` (see the module)."""
    table = _sentence_dates(dates, doc, sentence_at(doc, match.token.i)[0])
    clause = clause_head(match.token)
    if match.governor is None and match.rule.pos == "NOUN":
        return _nominal_date(match.token, clause, table)
    anchors = [clause]
    if match.governor is not None and not _reported_noun(match):
        anchors.append(clause_head(match.governor))
    if own := [m for a in anchors for m in table.own.get(a.i, [])]:
        return _pick(own)
    binder = _Binder(table, event, speaker, has_future_auxiliary(match.token, match.governor))
    for anchor in anchors:
        found = binder.inherited(anchor, 0)
        if found is not None and _fits_tense(match, found, doc):
            return found
    if nominal := [m for a in anchors for m in table.nominal.get(a.i, [])]:
        return _pick(nominal)
    return _pick([m for a in anchors for m in table.spans.get(a.i, [])])


def _nominal_date(noun: Token, clause: Token, table: _Dates) -> DateMention | None:
    """A nominal trigger keeps to its clause's dates ("the attack on Sunday"), or to those
    of its phrase when the phrase is of another moment ("after the resignation")."""
    found = table.of_clause(clause)
    if (phrase := _other_time(noun, clause)) is not None:
        found = [m for m in found if _within(m, phrase)]
    return _pick(found) or _pick(table.spans.get(clause.i, []))


def _fits_tense(match: TriggerMatch, found: DateMention, doc: Doc) -> bool:
    """A day taken from another clause may not put an act told as done ahead of the
    publication ("imposed bans on Monday ..., accusing them": the accusation is past)."""
    published = doc._.pw_published
    if published is None or not found.date or found.precision != "day":
        return True
    if found.date <= published.isoformat():
        return True
    return modality_of(match.token, match.governor) != "factual"


def _reported_noun(match: TriggerMatch) -> bool:
    """ "the deal announced by Borrell": a participle of saying that carries the noun dates
    the announcement, not the act."""
    governor = match.governor
    return (
        governor is not None
        and governor.dep_ == "acl"
        and governor.head.i == match.token.i
        and governor.lemma_.lower() in _REPORTING
    )


class _Binder:
    """Follows the links from a clause without a date to the clause that dates it."""

    def __init__(
        self, table: _Dates, event: str | None, speaker: SpeakerSide | None, future: bool
    ) -> None:
        self.table = table
        self.event = event
        self.speaker = speaker
        self.future = future

    def dated(self, clause: Token, depth: int) -> DateMention | None:
        """The clause's own date, else the one it takes from elsewhere."""
        if own := self.table.own.get(clause.i):
            return _pick(own)
        if clause.lemma_.lower() in _ASPECTUAL:
            # "began withdrawing from the crossings on Saturday, and KFOR troops took up"
            for child in clause.children:
                if child.dep_ == "xcomp" and (own := self.table.own.get(child.i)):
                    return _pick(own)
        found = self.inherited(clause, depth + 1)
        return found or _pick(self.table.nominal.get(clause.i, []))

    def inherited(self, clause: Token, depth: int) -> DateMention | None:
        """The date a clause without one of its own takes from the clauses around it."""
        if depth > _MAX_LINKS:
            return None
        if (found := self._from_when(clause)) is not None:
            return found
        if (found := self._from_reporter(clause)) is not None:
            return found
        head = clause.head
        if head.i == clause.i:
            return None
        if clause.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            return None if _moved_on(clause, head) else self.dated(clause_head(head), depth)
        if clause.dep_ == "xcomp":
            return self.dated(clause_head(head), depth)
        if clause.dep_ == "advcl" and _joined_clause(clause):
            return self.dated(clause_head(head), depth)
        if clause.dep_ == "relcl" and head.pos_ in ("NOUN", "PROPN"):
            return self._noun_day(head)
        if clause.dep_ == "ccomp" and head.lemma_.lower() in _REPORTING:
            reporter = clause_head(head)
            if self._reports_act(reporter, clause):
                return self.dated(reporter, depth)
        return None

    def _noun_day(self, noun: Token) -> DateMention | None:
        """The day a noun is dated by ("an incident on Sunday")."""
        for child in noun.children:
            if child.dep_ != "prep" or child.lower_ not in ("on", "at"):
                continue
            for obj in child.children:
                found = self.table.heads.get(obj.i)
                if obj.dep_ == "pobj" and found is not None and found.precision == "day":
                    return found
        return None

    def _reports_act(self, verb: Token, clause: Token) -> bool:
        """Whether the reporting verb's day is the act's (see the module)."""
        if self.future and self.event not in _MADE_BY_SAYING:
            return False  # "said it would formally ask KFOR": the request is to come
        if self.future and self.event in INTENDED_EVENTS:
            return True  # "will host troops, Vengu said": the speaker's intention
        if self.speaker is None:
            return False
        if _speaker_pronoun(clause, self.speaker.speakers(verb)):
            return True  # "EULEX said on Thursday it had handed": it is EULEX
        return self.speaker.same_side(verb)

    def _from_when(self, clause: Token) -> DateMention | None:
        """ "When police escorted the mayors ... on Friday, local Serbs tried to stop them";
        "Addressing parliament on Thursday, Vučić again ruled out ..."."""
        for child in clause.children:
            if child.dep_ != "advcl":
                continue
            mark = _mark(child)
            opening = child.i < clause.i and mark is None and _joined_clause(child)
            if (mark == "when" or opening) and (found := _pick(self.table.of_clause(child))):
                return found
        return None

    def _from_reporter(self, clause: Token) -> DateMention | None:
        """ "Vučić has ordered the army to combat readiness, Vučević said late on Monday"."""
        for child in clause.children:
            if child.dep_ == "parataxis" and child.lemma_.lower() in _REPORTING:
                found = _pick(self.table.own.get(child.i, []))
                if found is not None and self._reports_act(child, clause):
                    return found
        return None


def _mark(clause: Token) -> str | None:
    """The subordinating word of an adverbial clause ("when", "after", "if"), if any."""
    for child in clause.children:
        if child.dep_ in ("mark", "advmod") and child.i < clause.i and child.tag_ in ("IN", "WRB"):
            return child.lower_
    return None


def _joined_clause(clause: Token) -> bool:
    """An adverbial clause of the same act or moment: a participle ("meeting one of the
    main demands"), a purpose ("to urge de-escalation"), a "while" or "when" clause."""
    mark = _mark(clause)
    if mark is not None:
        return mark in _SAME_TIME
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
        return False
    if clause.tag_ == "VBG":
        return clause.lemma_.lower() not in _CONSEQUENCES
    return clause.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
    )


def _tense(verb: Token) -> tuple[bool, bool]:
    """(perfect, future) of a verb's clause: "has refused" differs from "questioned"."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & {"has", "have"}), bool(aux & {"will", "would", "shall"})


def _moved_on(clause: Token, first: Token) -> bool:
    """A coordinated clause told at another moment than the first: "and police later
    arrested a suspect", "but Serbia has refused Kosovo's requests"."""
    if any(c.dep_ == "advmod" and c.lower_ in _LATER for c in clause.children):
        return True
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
    return own_subject and _tense(clause) != _tense(first)


def _speaker_pronoun(clause: Token, speakers: Sequence[Participant]) -> bool:
    """ "Kosovo police said they had arrested": the complement's subject is a pronoun that
    can stand for the speaker ("they" for the police or a state, not for Lajčák)."""
    pronouns = [
        c.lower_
        for c in clause.children
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _SPEAKER_PRONOUNS
    ]
    if not pronouns:
        return False
    if not speakers:
        return True
    return speakers[0].is_person == (pronouns[0] in ("he", "she", "i"))


def _other_time(noun: Token, clause: Token) -> Token | None:
    """The "after"/"before"/"despite" phrase between a noun and its clause, if any."""
    current = noun
    for _ in range(12):
        if current.i == clause.i or current.head.i == current.i:
            return None
        if current.dep_ == "prep" and current.lower_ in _OTHER_TIMES:
            return current
        current = current.head
    return None


def _within(mention: DateMention, phrase: Token) -> bool:
    tokens = list(phrase.subtree)
    return tokens[0].idx <= mention.start and mention.end <= tokens[-1].idx + len(tokens[-1])
