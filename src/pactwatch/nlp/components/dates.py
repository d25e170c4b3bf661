"""``pw_dates``: date expressions of a document, resolved to ISO dates.

Candidates are the parser's DATE entities, TIME entities that name a day ("Tuesday
night", "this morning"), and day words the tagger missed ("yesterday", a bare weekday).
dateparser does the resolving, against ``doc._.pw_published`` (``RELATIVE_BASE``) and
preferring the past, as news reports mostly do. A few rules sit around it, each with
its reason:

- "on Tuesday" is the most recent Tuesday on or before publication (dateparser alone
  skips to the previous week when the article appeared on a Tuesday);
- a day or month named without a year ("May 30", "Sept. 24", "in March") takes its year
  from the tense of its clause: the latest one up to publication in the past tense, the
  next one in the future tense ("will meet on Tuesday" is the coming Tuesday), else
  the one nearest to publication;
- periods start on their first day: a week on its Monday, a month on the 1st, a year on
  1 January, with ``precision`` saying which;
- qualifiers ("earlier this month", "mid-September", "late last year") keep the
  period they qualify; day ranges ("24-25 September") keep their first day;
- durations ("two years", "the past decade"), decades ("the 1990s"), times alone and
  dates relative to another event ("the following day") resolve to None.

Without a publication date only expressions with a year resolve.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from dateparser.date import DateDataParser
from spacy.language import Language
from spacy.tokens import Doc, Span

from pactwatch.nlp.extensions import ensure_extensions
from pactwatch.nlp.records import DateMention

Precision = Literal["day", "week", "month", "year"]
Tense = Literal["past", "future"] | None

_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUMBER_WORD = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several|many)"
_UNIT = r"(?:day|week|month|year|decade|centur(?:y|ie))s?"

# Day words the entity recogniser often leaves out; found in the text directly.
DAY_WORDS = re.compile(
    rf"\b(?:yesterday|today|tonight|last night|this (?:morning|afternoon|evening)"
    rf"|(?:(?:last|this|next|on)\s+)?{_WEEKDAY})\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_HAS_MONTH = re.compile(rf"\b{_MONTH}(?!\w)", re.IGNORECASE)
_HAS_WEEKDAY = re.compile(rf"\b{_WEEKDAY}\b", re.IGNORECASE)
_WEEKDAY_ANCHORED = re.compile(rf"\b(?:last|next|this)\s+{_WEEKDAY}\b", re.IGNORECASE)
_DECADE = re.compile(
    r"\b(?:19|20)\d0s\b|\b(?:twenties|thirties|forties|fifties|sixties|"
    r"seventies|eighties|nineties)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"^(?:for\s+)?(?:the\s+)?(?:(?:past|last|next|previous|coming|first|recent)\s+)?"
    rf"(?:{_NUMBER_WORD}\s+)?(?:more\s+)?{_UNIT}$|^(?:recent|coming)\s+{_UNIT}$",
    re.IGNORECASE,
)
_SINGLE_PERIOD = re.compile(
    r"^(?:last|this|next|the past|the previous|the coming)\s+(?:week|month|year)$", re.IGNORECASE
)
_ANAPHORIC = re.compile(
    r"\b(?:previous|following|same|next|that|preceding)\s+(?:day|night|morning|evening|week)\b"
    r"|\bday before\b|\bday after\b",
    re.IGNORECASE,
)
_TIME_ONLY = re.compile(
    r"^(?:at\s+)?(?:about\s+|around\s+)?\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?|h|hours)?"
    r"(?:\s+local time)?$|^(?:noon|midnight|dawn|dusk)$",
    re.IGNORECASE,
)
_QUALIFIERS = re.compile(
    r"^(?:(?:earlier|later|early|late|mid|the (?:end|beginning|start|middle) of|end of"
    r"|beginning of|start of|middle of)[\s-]+)+",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^(?:on|in|at|since|by|from|until|during|before|after|as of)\s+", re.I)
_DAY_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|–|—)\s*\d{1,2}\b(?!\d)")
_YEAR_SPAN = re.compile(r"^((?:19|20)\d{2})\s*[-–/]\s*(?:\d{2}|(?:19|20)\d{2})$")
_RANGE_SPLIT = re.compile(r"\s+(?:to|until|till|through|and)\s+|\s*[–—]\s*|\s+-\s+", re.I)

_PERIODS: dict[str, Precision] = {
    "day": "day",
    "time": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}


def resolve_date(
    text: str, published: date | None, *, date_order: str = "DMY", tense: Tense = None
) -> tuple[str | None, Precision | None, bool]:
    """Resolve a date expression to (ISO date of the period's first day, precision, relative).

    ``relative`` is True when the expression needs the publication date (no year in it).
    ``tense`` ("past" or "future", from the clause the date sits in) settles a day or
    month named without a year and a bare weekday; without it the nearest one wins.
    Returns ``(None, None, relative)`` when the text names no resolvable day or period.
    """
    cleaned = _normalise(text)
    relative = _YEAR.search(cleaned) is None
    if not cleaned or _is_unresolvable(cleaned):
        return None, None, relative
    if relative and published is None:
        return None, None, True
    year_span = _YEAR_SPAN.match(cleaned)
    if year_span:
        return f"{year_span.group(1)}-01-01", "year", False
    parsed = _parse(cleaned, published, date_order)
    if parsed is None:
        first = _first_of_range(cleaned)
        parsed = _parse(first, published, date_order) if first else None
    if parsed is None:
        return None, None, relative
    day, precision = parsed
    if relative and published is not None:
        if _HAS_MONTH.search(cleaned) and precision in ("day", "month"):
            day = _year_by_tense(day, published, tense, precision)
        elif tense == "future" and _bare_weekday(cleaned) and day < published:
            day += timedelta(days=7)  # "will meet on Tuesday": the coming one
    return _period_start(day, precision).isoformat(), precision, relative


def _normalise(text: str) -> str:
    cleaned = " ".join(text.split()).strip(" ,.;:()")
    cleaned = re.sub(r"[’']s$", "", cleaned)
    cleaned = _LEADING.sub("", cleaned)
    cleaned = _QUALIFIERS.sub("", cleaned)
    cleaned = re.sub(r"^the\s+(?=(?:last|this|next|past)\b)", "", cleaned, flags=re.I)
    return _DAY_RANGE.sub(r"\1", cleaned).strip()


def _is_unresolvable(cleaned: str) -> bool:
    if _SINGLE_PERIOD.match(cleaned):
        return False  # "last week" is one period, not a duration
    return bool(
        _DECADE.search(cleaned)
        or _DURATION.match(cleaned)
        or _ANAPHORIC.search(cleaned)
        or _TIME_ONLY.match(cleaned)
    )


def _first_of_range(cleaned: str) -> str | None:
    """The start of "26 May to 9 June 2025", with the range's year when it lacks one."""
    parts = _RANGE_SPLIT.split(cleaned, maxsplit=1)
    if len(parts) != 2:
        return None
    first = parts[0]
    year = _YEAR.search(parts[1])
    if year and not _YEAR.search(first):
        first = f"{first} {year.group(0)}"
    return first


def _parse(text: str, published: date | None, date_order: str) -> tuple[date, Precision] | None:
    base = published or date(2000, 1, 1)  # only reached with a year in the text
    if _HAS_WEEKDAY.search(text) and not _WEEKDAY_ANCHORED.search(text):
        # dateparser takes "Tuesday" strictly before its base; the day itself counts too.
        base = base + timedelta(days=1)
    try:
        data = _parser(base, date_order).get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.date(), _PERIODS.get(str(data.period), "day")


@lru_cache(maxsize=64)
def _parser(base: date, date_order: str) -> DateDataParser:
    """A dateparser parser for one relative base (cached: building one costs milliseconds)."""
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": "past",
            "DATE_ORDER": date_order,
        },
    )


def _bare_weekday(cleaned: str) -> bool:
    return bool(_HAS_WEEKDAY.search(cleaned)) and not _WEEKDAY_ANCHORED.search(cleaned)


def _year_by_tense(day: date, published: date, tense: Tense, precision: Precision) -> date:
    """The year for a day or month named without one.

    In a past-tense clause, the latest one up to publication; in a future one, the
    first one from publication on; otherwise the one nearest to publication.
    """
    candidates: list[date] = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    if not candidates:
        return day
    # A month counts as reached on its first day, so "in May" read on 20 May is this May.
    starts = {d: (d.replace(day=1) if precision == "month" else d) for d in candidates}
    if tense == "past":
        past = [d for d in candidates if starts[d] <= published]
        return max(past) if past else min(candidates)
    if tense == "future":
        ahead = [d for d in candidates if d >= published or starts[d] >= published]
        if precision == "month":
            ahead = [
                d
                for d in candidates
                if d.year * 12 + d.month >= published.year * 12 + published.month
            ]
        return min(ahead) if ahead else max(candidates)
    return min(candidates, key=lambda d: abs((starts[d] - published).days))


def clause_tense(span: Span) -> Tense:
    """ "past" or "future" for the clause a date sits in, or None when it cannot tell."""
    token = span.root
    for _ in range(12):
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "aux":
            break
        if token.head.i == token.i:
            break
        token = token.head
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in ("will", "shall", "'ll", "wo") for a in auxiliaries):
        return "future"
    if token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxiliaries):
        return "past"
    if token.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxiliaries):
        return "past"
    if token.lemma_ in ("plan", "schedule", "expect", "set", "due") or any(
        c.dep_ == "xcomp" and c.lemma_ in ("plan", "schedule") for c in token.children
    ):
        return "future"
    return None


def _period_start(day: date, precision: Precision) -> date:
    if precision == "week":
        return day - timedelta(days=day.weekday())
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1)
    return day


def _published_of(doc: Doc) -> date | None:
    value = doc._.pw_published
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def find_dates(doc: Doc, *, date_order: str = "DMY") -> list[DateMention]:
    """Every date expression of ``doc`` as a ``DateMention``, in text order."""
    published = _published_of(doc)
    sentence_of = {sent.start: index for index, sent in enumerate(doc.sents)}
    spans: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ == "DATE" or (
            ent.label_ == "TIME" and (_HAS_WEEKDAY.search(ent.text) or DAY_WORDS.search(ent.text))
        ):
            spans.append((ent.start_char, ent.end_char))
    for match in DAY_WORDS.finditer(doc.text):
        start, end = match.span()
        if match.group(0).lower().startswith("on "):
            start += 3
        if not any(s < end and start < e for s, e in spans):
            spans.append((start, end))
    mentions: list[DateMention] = []
    for start, end in sorted(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        text = doc.text[start:end]
        iso, precision, relative = resolve_date(
            text, published, date_order=date_order, tense=clause_tense(span)
        )
        mentions.append(
            DateMention(
                start=start,
                end=end,
                text=text,
                date=iso,
                precision=precision,
                relative=relative,
                sentence=sentence_of.get(span[0].sent.start, 0),
            )
        )
    return mentions


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
