"""``pw_dates``: date expressions of a document, resolved to ISO dates.

Candidates are the parser's DATE entities, TIME entities that name a day ("Tuesday
night", "this morning"), and day words the tagger missed ("yesterday", "overnight", a
bare weekday). ``date_grammar.resolve_date`` resolves each against
``doc._.pw_published``; this module gives it what the text around the expression says:

- the preposition before it: "since 2023", "from Aug. 1", "until June 9" bound a
  state and date no act (None); "on the 14th" is a day where "the 14th commander" is not;
- the tense of its clause (``clause_tense``): "met on Friday" is the last Friday,
  "will meet on Friday", "the meeting continues on Friday" and "is due to arrive on
  Monday" the next one (annotation guide §8, and §6 for what counts as scheduled);
- the day "a day earlier", "two days later" or "the next day" count from: the latest
  day resolved before it in the same or the previous sentence (None without one).

Left out: a dateline's date ("PRISTINA, Dec 16 (…) -"), which is the publication date
and never an event's (guide §8, §11.5), and entity noise with no date in it ("the 29th
commander", "a 10-year plan", "(1800 GMT)", an age). Durations and other expressions
that name no day stay, unresolved: they tell the clause is dated, and "in the coming
weeks" still marks a future.

Cost: one precompiled search of the text for day words plus a pass over the entities;
a document with neither is done at once. Sentences are indexed once per document (not
looked up per mention), and resolution is a cached grammar, not a date parser.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pactwatch.nlp.components import sentence_bounds
from pactwatch.nlp.components.date_grammar import (
    ANCHORED,
    MONTH_RE,
    WEEKDAY_RE,
    Precision,
    Tense,
    normalise,
    resolve_date,
)
from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import DateMention

__all__ = [
    "DAY_WORDS",
    "DateFinder",
    "Precision",
    "Tense",
    "clause_tense",
    "find_dates",
    "resolve_date",
]

# Day words the entity recogniser often leaves out; found in the text directly.
DAY_WORDS = re.compile(
    rf"\b(?:yesterday|today|tonight|tomorrow|overnight|last night"
    rf"|this (?:morning|afternoon|evening)|(?:(?:last|this|next|on)\s+)?{WEEKDAY_RE})\b",
    re.IGNORECASE,
)
# What a TIME entity needs to name a day ("Tuesday night", not "7 p.m.").
_DAY_IN_TIME = re.compile(
    rf"\b(?:{WEEKDAY_RE}|yesterday|today|tonight|tomorrow|last night|overnight"
    rf"|this (?:morning|afternoon|evening))\b",
    re.IGNORECASE,
)
# Anything a date expression has: without one of these an entity is noise ("Kosovars").
_DATE_LIKE = re.compile(
    rf"\b(?:{MONTH_RE}|{WEEKDAY_RE}|(?:1[89]|20)\d{{2}}s?|\d{{1,2}}(?:st|nd|rd|th)"
    r"|\d{1,4}[/.-]\d{1,2}|yesterday|today|tonight|tomorrow|overnight|days?|weeks?|weekends?"
    r"|months?|years?|decades?|centur(?:y|ies)|night|morning|evening|afternoon)\b",
    re.IGNORECASE,
)
# What the part of an entity after a comma needs to belong to it ("Monday, 25 September").
_DATED_TAIL = re.compile(rf"\d|\b(?:{MONTH_RE}|{WEEKDAY_RE})\b", re.IGNORECASE)
# "a 10-year plan", "a two-day visit", "a 12-year-old partnership": modifiers, not dates.
_UNIT_ADJECTIVE = re.compile(r"^\S+-(?:day|week|month|year)s?(?:-old)?$", re.IGNORECASE)
_WEEKDAY_ONLY = re.compile(rf"{WEEKDAY_RE}$", re.IGNORECASE)
_ORDINAL_ONLY = re.compile(r"^\s*(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\s*$", re.IGNORECASE)
_CLOCK = frozenset({"gmt", "utc", "cet", "cest", "eet", "eest", "bst", "hours", "hrs", "local"})
_PREPOSITIONS = frozenset(
    {"on", "in", "at", "since", "by", "from", "until", "till", "during", "before", "after",
     "over", "through", "throughout", "within", "for", "around", "about"}
)  # fmt: skip
_TWO_WORD_PREPOSITIONS = frozenset({"as of", "ahead of", "prior to", "up to", "up until"})
_BOUNDING = frozenset({"since", "from", "until", "till", "by", "before", "after"})
_NOUN_MODIFIERS = frozenset({"compound", "nmod", "amod", "poss"})
_PARTS_OF_DAY = frozenset({"night", "morning", "evening", "afternoon"})
_DATELINE_BEFORE = re.compile(r"\s*[A-ZÀ-Þ]{2}[A-ZÀ-Þ'’./ -]*(?:,[^,\n]{1,40}){0,3},\s*")
_DATELINE_AFTER = re.compile(r"(?:,?\s*(?:19|20)\d{2})?\s*(?:\([^()\n]{0,80}\)\s*)?[-–—]")

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "'d"})
_MODAL_AUX = frozenset({"could", "might", "may", "can", "should", "must", "ought"})
_SCHEDULE = frozenset({"due", "schedule", "set", "plan", "expect", "slate", "intend"})
_REPORTING = frozenset(
    {"say", "tell", "report", "announce", "confirm", "claim", "add", "state", "write", "note"}
)
_TIME_NOUNS = frozenset(
    {"night", "morning", "evening", "afternoon", "day", "eve", "end", "beginning", "start",
     "middle", "week", "weekend", "month", "year", "hour", "time"}
)  # fmt: skip


class _Candidate(NamedTuple):
    start: int  # character offsets in the text
    end: int
    span: Span
    expression: str  # what is resolved: the text, with its preposition before it
    sentence: int


def find_dates(doc: Doc, *, date_order: str = "DMY") -> list[DateMention]:
    """Every date expression of ``doc`` as a ``DateMention``, in text order."""
    text = sentence_bounds.doc_text(doc)  # spaCy joins every token on each read of doc.text
    found = _candidate_offsets(doc, text)
    if not found:
        return []
    published = _published_of(doc)
    candidates: list[_Candidate] = []
    for start, end in found:
        candidate = _candidate(doc, text, start, end)
        if candidate is not None:
            candidates.append(candidate)
    busy = {c.sentence for c in candidates if c.expression.lower() != "overnight"}
    mentions: list[DateMention] = []
    days: list[tuple[int, date]] = []  # (sentence, day) of the day-precision dates so far
    for c in candidates:
        if c.expression.lower() == "overnight" and c.sentence in busy:
            continue  # "overnight on Sunday": the other expression says which night
        anchored = bool(ANCHORED.match(normalise(c.expression)[0]))
        anchor = next((d for s, d in reversed(days) if c.sentence - s <= 1), None)
        iso, precision, relative = resolve_date(
            c.expression,
            published,
            date_order=date_order,
            tense=clause_tense(c.span),
            anchor=anchor if anchored else None,
        )
        if iso is not None and precision == "day":
            days.append((c.sentence, date.fromisoformat(iso)))
        mentions.append(
            DateMention(
                start=c.start,
                end=c.end,
                text=text[c.start : c.end],
                date=iso,
                precision=precision,
                relative=relative,
                sentence=c.sentence,
            )
        )
    return mentions


def _candidate_offsets(doc: Doc, text: str) -> list[tuple[int, int]]:
    """Character ranges of the entities and day words that may be dates."""
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        label = ent.label_
        if label == "DATE" or (label == "TIME" and _DAY_IN_TIME.search(ent.text)):
            spans.append((ent.start_char, ent.end_char))
    for match in DAY_WORDS.finditer(text):
        start, end = match.span()
        if match.group(0)[:3].lower() == "on ":
            start += 3
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
    return _joined(sorted(spans), text)


def _joined(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Spans with "Monday" + ", " + "2 October" made one ("Monday, 2 October")."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined:
            previous = joined[-1]
            gap = text[previous[1] : start]
            if gap in (", ", " ") and _WEEKDAY_ONLY.match(text, *previous):
                joined[-1] = (previous[0], end)
                continue
        joined.append((start, end))
    return joined


def _candidate(doc: Doc, doc_text: str, start: int, end: int) -> _Candidate | None:
    """The candidate with its context, or None when it is noise or a dateline."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    text = doc_text[start:end]
    cut = _dateless_tail(text)
    if cut is not None:  # "Wednesday, ending months": the entity ran on
        end = start + cut
        text = doc_text[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
    if not _DATE_LIKE.search(text) or _UNIT_ADJECTIVE.match(text.strip()):
        return None
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lower_ in _CLOCK and text.strip().isdigit():
        return None  # "(1800 GMT)"
    if text.lower() == "overnight" and span.root.pos_ != "ADV":
        return None  # "an overnight stay"
    if _is_dateline(doc_text, start, end):
        return None
    if after is not None and _continues(text, after):
        end = after.idx + len(after.text)  # "a day" + "earlier", "two days" + "ago"
        span = doc[span.start : after.i + 1]
    sentence = sentence_bounds.sentence_index(doc, span.start)
    expression = _with_preposition(doc, span, doc_text[span.start_char : span.end_char])
    if _ORDINAL_ONLY.match(text) and not normalise(expression)[2]:
        return None  # "the 29th commander"; "on the 14th" is a day
    return _Candidate(start, end, span, expression, sentence)


def _dateless_tail(text: str) -> int | None:
    """Where to cut an entity whose part after a comma names no date, else None."""
    comma = text.find(", ")
    if comma <= 0:
        return None
    tail = text[comma + 2 :]
    return None if _DATED_TAIL.search(tail) else comma


def _continues(text: str, after: Token) -> bool:
    """Whether the word after an entity belongs to it: "ago", or "earlier", "later",
    "before" or "after" that make it count from another day ("a day" + "earlier"; "the
    day after," but not "the day after the vote", which counts from an event)."""
    word = after.lower_
    if word in text.lower().split():
        return False
    if word == "ago":
        return True
    if word in ("before", "after"):
        following = after.nbor(1) if after.i + 1 < len(after.doc) else None
        if following is not None and not following.is_punct:
            return False
    elif word not in ("earlier", "later"):
        return False
    return bool(ANCHORED.match(normalise(f"{text} {word}")[0]))


def _with_preposition(doc: Doc, span: Span, text: str) -> str:
    """The expression with the preposition that governs it ("since" + "2023")."""
    first = span.start
    if first == 0 or span[0].lower_ in _PREPOSITIONS:
        return text
    before = doc[first - 1].lower_
    two = f"{doc[first - 2].lower_} {before}" if first >= 2 else ""
    if two in _TWO_WORD_PREPOSITIONS:
        return f"{two} {text}"
    if before == "of" and first >= 2 and doc[first - 2].lower_ in _PARTS_OF_DAY:
        return f"the {doc[first - 2].lower_} of {text}"  # "the night of" (the 14th)
    if before in _PREPOSITIONS:
        return f"{before} {text}"
    noun = span.root.head  # "since the July attack": the date modifies the preposition's object
    if span.root.dep_ in _NOUN_MODIFIERS and noun.dep_ == "pobj" and noun.head.lower_ in _BOUNDING:
        return f"{noun.head.lower_} {text}"
    return text


def _is_dateline(text: str, start: int, end: int) -> bool:
    """Whether the date sits in a dateline: "PRISTINA, Dec 16 (Outlet) - ..."."""
    line_start = text.rfind("\n", 0, start) + 1
    if start - line_start > 120:
        return False
    return bool(
        _DATELINE_BEFORE.fullmatch(text, line_start, start)
        and _DATELINE_AFTER.match(text, end, end + 120)
    )


def clause_tense(span: Span) -> Tense:
    """The tense of the clause a date sits in: "past", "present", "future" or None.

    "future" covers "will", "would", infinitives under a present or future verb ("plans
    to meet", "is due to arrive") and scheduled forms ("is scheduled for", "is due on").
    The same under a past verb ("was due to", "agreed to meet") is future in the past,
    which says nothing of publication: None. "present" is a present-tense act ("the
    meeting continues on Friday"), not a present reporting verb ("says") and not a date
    of a noun ("is investigating an incident on Sunday"): those are None.
    """
    token = span.root
    via_noun = False
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return _verb_tense(_fronted_owner(token, span), via_noun)
        if token.head.i == token.i:
            return None
        if (
            not (span.start <= token.i < span.end)
            and token.pos_ in ("NOUN", "PROPN")
            and token.lemma_.lower() not in _TIME_NOUNS
        ):
            via_noun = True
        token = token.head
    return None


def _fronted_owner(verb: Token, span: Span) -> Token:
    """The verb a date belongs to when the parser hung it on the wrong one.

    In "Romania said on Tuesday it would send troops" the parser may attach "on Tuesday"
    to "send"; a date between a reporting verb and its complement's subject is the
    reporting verb's.
    """
    if verb.dep_ != "ccomp" or not (verb.head.i < span.start):
        return verb
    subjects = [c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if subjects and span.end <= min(subjects):
        return verb.head
    return verb


def _verb_tense(verb: Token, via_noun: bool, depth: int = 0) -> Tense:
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxiliaries}
    if words & _FUTURE_AUX:
        return "future"
    if words & _MODAL_AUX:
        return None
    if any(a.tag_ == "TO" for a in auxiliaries):  # an infinitive: its governor decides
        head = verb.head
        if head.pos_ == "ADJ" and head.head.i != head.i:
            head = head.head  # "is due to arrive", "ready to withdraw"
        if head.i == verb.i or head.pos_ not in ("VERB", "AUX") or depth > 2:
            return None
        return None if _verb_tense(head, False, depth + 1) == "past" else "future"
    tags = {verb.tag_, *(a.tag_ for a in auxiliaries)}
    past = "VBD" in tags or (
        verb.tag_ == "VBN" and (not auxiliaries or any(a.lemma_ == "have" for a in auxiliaries))
    )
    if verb.lemma_.lower() in _SCHEDULE or any(
        c.dep_ in ("acomp", "xcomp", "oprd", "attr") and c.lemma_.lower() in _SCHEDULE
        for c in verb.children
    ):
        return None if past else "future"
    if past:
        return "past"
    if verb.tag_ == "VBG" and not auxiliaries:  # a participle clause: its governor's
        head = verb.head
        if head.i != verb.i and head.pos_ in ("VERB", "AUX") and depth < 2:
            return _verb_tense(head, via_noun, depth + 1)
        return None
    if tags & {"VBZ", "VBP"} and not via_noun and verb.lemma_.lower() not in _REPORTING:
        return "present"
    return None


def _published_of(doc: Doc) -> date | None:
    value = doc._.pw_published
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


class DateFinder:
    """The ``pw_dates`` component: sets ``doc._.pw_dates``."""

    def __init__(self, date_order: str = "DMY") -> None:
        ensure_extensions()
        self.date_order = date_order

    def __call__(self, doc: Doc) -> Doc:
        doc._.pw_dates = find_dates(doc, date_order=self.date_order)
        return doc


@Language.factory("pw_dates", default_config={"date_order": "DMY"})
def make_date_finder(nlp: Language, name: str, date_order: str) -> DateFinder:
    """Build ``pw_dates``; ``date_order`` (DMY or MDY) settles dates such as 03/04/2024."""
    return DateFinder(date_order=date_order)
