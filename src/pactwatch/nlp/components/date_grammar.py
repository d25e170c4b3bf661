"""Date expressions resolved to ISO dates by a small grammar of news forms.

``resolve_date`` reads one expression ("on Tuesday", "Sept. 24", "the end of May",
"two days ago") and returns the first day of the period it names, with a precision.
Only the forms below are read; anything else (durations, ages, counts, seasons,
decades, NER noise such as "10-year" or "4,500, days") resolves to None, which is
safer for an event's date than a general parser's guess, and about a thousand times
faster. The forms, each with its rule:

- explicit dates: "24 September 2023", "Sept. 24", "the 14th of June", "Monday, 25
  September", "24-25 September" and "26 May to 9 June 2025" (their first day), ISO
  "2023-09-24", numeric "24/09/2023" (``date_order``); "May 29 this year", "April 21
  next year";
- months and years: "June", "last September", "June 2023", "2023", "2023-24" (its
  first year), with qualifiers kept at the period's precision ("mid-July", "the end of
  May", "late last year", "earlier this month");
- weekdays: "on Friday", "Friday night", "late on Friday", "last/this/next Friday";
- days of the publication: "today", "this morning", "yesterday", "last night",
  "overnight" (the night before publication), "tomorrow";
- periods: "last week", "this month", "next year", "over the weekend" (a week: the
  one holding that weekend), "two days ago", "a month ago";
- an ordinal day introduced by "on" or "the night of" ("on the 14th"): that day of the
  publication month, or of the month before or after, by tense;
- days relative to another day ("a day earlier", "two days later", "the next day",
  "the same day"): resolved only against ``anchor``, the day the text last named.

A date that bounds a state rather than dates an act is not the act's date and gives
None: "since 2023", "from Aug. 1", "until June 9", "by 2029", "before/after Sept. 24"
("from 26 May to 9 June" is a range and keeps its first day). So do durations ("for
three weeks", "in the past two years", "the past week").

A day or month named without a year takes the year its clause's tense points to: the
latest one up to publication in the past tense (or up to a week after it, for
"elections that had been due on Dec. 18" read on Dec. 16), the first one from
publication on in the future tense, else the latest one up to four months after
publication (``LOOKAHEAD_DAYS``: "a June date in a January article is last year's").
A weekday named with the date ("Monday, 25 September") settles the year when only one
candidate falls on it.

A bare weekday is the most recent such day on or before publication (the day itself
counts), except in a future or present clause ("will meet on Friday", "the meeting
continues on Friday", "is due to arrive on Monday"), where it is the next one on or
after publication.

Periods start on their first day: a week on its Monday, a month on the 1st, a year on
1 January, with the precision saying which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

Precision = Literal["day", "week", "month", "year"]
Tense = Literal["past", "present", "future"] | None
Resolved = tuple[str | None, Precision | None, bool]

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

WEEKDAY_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_PART_OF_DAY = r"(?:night|morning|evening|afternoon)"
_YEAR4 = r"(?:1[89]|20)\d{2}"

HAS_YEAR = re.compile(rf"(?<!\d){_YEAR4}(?!\d)")

# Prepositions read off the front (several: "late on", "in the", "as of").
_PREPOSITION = re.compile(
    r"^(?:as of|ahead of|prior to|up to|up until|on|in|at|since|by|from|until|till|til"
    r"|during|before|after|over|through|throughout|within|for|around|about|into|of"
    r"|between)\s+"
)
# A date after these bounds a state or a deadline, it does not date the act.
_BOUNDING = frozenset(
    {"since", "from", "until", "till", "til", "by", "before", "after", "as of", "ahead of",
     "prior to", "up to", "up until", "within"}
)  # fmt: skip
_QUALIFIER = re.compile(
    rf"^(?:earlier|later|early|late|mid|end|the (?:very )?(?:end|beginning|start|middle|close) of"
    rf"|(?:the )?(?:end|beginning|start|middle) of|(?:the )?{_PART_OF_DAY} of)(?:\s+|-)"
)
_INTRODUCING = re.compile(rf"^(?:the )?{_PART_OF_DAY} of\s")  # "the night of the 14th"
_LEADING_TIME = re.compile(
    r"^(?:(?:about|around|at)\s+)?(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|\d{1,2}:\d{2}|noon|midnight|dawn|dusk)(?:\s+local time)?,?\s+(?:on\s+)?"
)
_TRAILING_TIME = re.compile(
    r"(?:,|\s+at|\s+around|\s+about)?\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)"
    r"|\d{1,2}:\d{2}|noon|midnight)(?:\s*(?:local time|gmt|utc|cet|cest|eet|eest|bst))?$"
)
_RANGE_SPLIT = re.compile(r"\s+(?:to|until|till|through|and|or|into)\s+|\s*[–—]\s*|\s+-\s+")

_WD = rf"(?:(?P<wd>{WEEKDAY_RE}),?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_RANGE_END = r"(?:\s*(?:-|–|—|/|&|and|to|or)\s*\d{1,2}(?:st|nd|rd|th)?)?"
_YEAR_TAIL = rf"(?:,?\s+(?P<year>{_YEAR4})|\s+(?P<rel>this|next|last|that) year)?"
_DAY_MONTH = re.compile(
    rf"^{_WD}(?:the\s+)?{_DAY}{_RANGE_END}\s+(?:of\s+)?(?P<month>{MONTH_RE})\.?{_YEAR_TAIL}$"
)
_MONTH_DAY = re.compile(
    rf"^{_WD}(?P<month>{MONTH_RE})\.?\s+(?:the\s+)?{_DAY}{_RANGE_END}{_YEAR_TAIL}$"
)
_MONTH_YEAR = re.compile(rf"^(?P<month>{MONTH_RE})\.?,?\s+(?:of\s+)?(?P<year>{_YEAR4})$")
_MONTH = re.compile(rf"^(?:(?P<rel>last|this|next)\s+)?(?P<month>{MONTH_RE})\.?$")
_YEAR = re.compile(rf"^(?:the year\s+)?(?P<year>{_YEAR4})$")
_YEAR_SPAN = re.compile(rf"^(?P<year>{_YEAR4})\s*[-–/]\s*(?:\d{{2}}|{_YEAR4})$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:t[\d:.,+z-]*)?$")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})$")
_NUMERIC_YMD = re.compile(r"^(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})$")
_ORDINAL = re.compile(r"^(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)$")
_WEEKDAY = re.compile(
    rf"^(?:(?P<rel>last|this|next|coming|past)\s+)?(?P<wd>{WEEKDAY_RE})(?:\s+{_PART_OF_DAY})?"
    rf"(?:\s*(?:-|–|and|to|or|through|into)\s*{WEEKDAY_RE}(?:\s+{_PART_OF_DAY})?)?$"
)
_DAY_WORD = re.compile(
    rf"^(?:(?P<today>today|tonight|this {_PART_OF_DAY}|later today|earlier today)"
    rf"|(?P<yesterday>yesterday(?: {_PART_OF_DAY})?|last night|overnight)"
    rf"|(?P<tomorrow>tomorrow(?: {_PART_OF_DAY})?)"
    r"|(?P<before_yesterday>the day before yesterday)|(?P<after_tomorrow>the day after tomorrow))$"
)
_AGO = re.compile(rf"^(?P<n>{_NUM})\s+(?P<unit>day|week|month|year)s?\s+ago$")
_PERIOD = re.compile(r"^(?P<rel>last|this|next|the current)\s+(?P<unit>week|month|year)$")
_WEEKEND = re.compile(r"^(?:(?P<rel>last|this|next|the past|the)\s+)?weekend$")
_WEEKEND_PREPOSITIONS = frozenset({"over", "at", "during", "through", "throughout", "on"})
_ANCHORED = re.compile(rf"^(?P<n>{_NUM})\s+(?P<unit>day|week)s?\s+(?:earlier|later|before|after)$")
_ANCHOR_WORDS = {
    "the next day": 1, "the following day": 1, "the day after": 1, "the next morning": 1,
    "the following morning": 1, "the previous day": -1, "the preceding day": -1,
    "the day before": -1, "the same day": 0, "that day": 0, "the same night": 0,
    "that night": 0, "that morning": 0, "that evening": 0,
}  # fmt: skip
ANCHORED = re.compile(
    rf"^(?:(?:later|earlier)\s+)?(?:{'|'.join(_ANCHOR_WORDS)}"
    rf"|{_NUM}\s+(?:day|week)s?\s+(?:earlier|later|before|after))$"
)
"""Expressions that count from another day of the text ("a day earlier", "the next day")."""

GRACE_DAYS = 7
"""How far after publication a past-tense day without a year may still fall."""
LOOKAHEAD_DAYS = 122
"""How far ahead a year-less date of unknown tense may fall: news looks back more often
than ahead, so "14 June" in a January article is last June, "Oct. 6" in a late-September
one the coming October."""


def resolve_date(
    text: str,
    published: date | None,
    *,
    date_order: str = "DMY",
    tense: Tense = None,
    anchor: date | None = None,
) -> Resolved:
    """Resolve a date expression to (ISO date of the period's first day, precision, relative).

    ``relative`` is True when the expression has no year of its own (it needs the
    publication date, or ``anchor``). ``tense`` ("past", "present" or "future", of the
    clause the date sits in) settles a day or month named without a year and a bare
    weekday. ``anchor`` is the day that "a day earlier" or "the next day" counts from.
    Returns ``(None, None, relative)`` when the text names no resolvable day or period.
    """
    return _resolve_cached(text, published, date_order, tense, anchor)


@lru_cache(maxsize=4096)
def _resolve_cached(
    text: str, published: date | None, date_order: str, tense: Tense, anchor: date | None
) -> Resolved:
    cleaned, preposition, introduced = normalise(text)
    relative = HAS_YEAR.search(cleaned) is None
    first = _first_of_range(cleaned)
    if not cleaned or (preposition in _BOUNDING and (preposition != "from" or first is None)):
        return None, None, relative  # "since 2023"; but "from 26 May to 9 June" is a range
    context = _Context(published, date_order, tense, anchor, preposition, introduced)
    found = _read(cleaned, context)
    if found is None and first is not None:
        found = _read(first, context)
    if found is None:
        return None, None, relative
    day, precision = found
    return _period_start(day, precision).isoformat(), precision, relative


def normalise(text: str) -> tuple[str, str | None, bool]:
    """(the expression, lower-cased and bare; its outermost preposition; introduced).

    ``introduced`` says an "on" or "the night of" stood before it, which lets an ordinal
    alone ("the 14th") count as a day.
    """
    cleaned = " ".join(text.lower().replace("’", "'").split()).strip(" ,;:()\"'")
    cleaned = re.sub(r"'s$", "", cleaned).rstrip(" ,;:")
    preposition: str | None = None
    introduced = False
    for _ in range(4):
        before = cleaned
        if match := _PREPOSITION.match(cleaned):
            found = match.group(0).strip()
            preposition = preposition or found
            introduced = introduced or found == "on"
            cleaned = cleaned[match.end() :]
        if match := _QUALIFIER.match(cleaned):
            introduced = introduced or bool(_INTRODUCING.match(cleaned))
            cleaned = cleaned[match.end() :]
        cleaned = _LEADING_TIME.sub("", cleaned)
        if cleaned == before:
            break
    cleaned = _TRAILING_TIME.sub("", cleaned).rstrip(" ,.")
    if preposition == "of":  # "of 24 September" after "the night": no bounding, no range
        preposition = None
    return cleaned, preposition, introduced


@dataclass(frozen=True, slots=True)
class _Context:
    """What a reader needs besides the text."""

    published: date | None
    date_order: str
    tense: Tense
    anchor: date | None
    preposition: str | None  # the outermost one ("late on Friday": "on")
    introduced: bool  # an "on" or "the night of" stood before it


def _first_of_range(cleaned: str) -> str | None:
    """The start of "26 May to 9 June 2025", with the range's year when it lacks one."""
    parts = _RANGE_SPLIT.split(cleaned, maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    first, rest = parts
    year = HAS_YEAR.search(rest)
    if year and not HAS_YEAR.search(first):
        first = f"{first} {year.group(0)}"
    return first


def _read(text: str, ctx: _Context) -> tuple[date, Precision] | None:
    """The day (and precision) ``text`` names, or None; ``text`` is normalised."""
    for reader in _READERS:
        try:
            found = reader(text, ctx)
        except (ValueError, OverflowError):  # 31 June, year 0: no such day
            return None
        if found is not False:
            return found
    return None


# Each reader returns False when its form does not match, else the result (or None).
_ReadResult = tuple[date, Precision] | None | Literal[False]


def _read_explicit(text: str, ctx: _Context) -> _ReadResult:
    match = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
    if match is None:
        return False
    month = MONTHS[match.group("month")]
    day = int(match.group("day"))
    if match.group("year"):
        return date(int(match.group("year")), month, day), "day"
    if ctx.published is None:
        return None
    rel = match.group("rel")
    if rel == "that":
        return None  # "May 21 that year": a year of the story, not of publication
    if rel:
        year = ctx.published.year + {"this": 0, "next": 1, "last": -1}[rel]
        return date(year, month, day), "day"
    weekday = WEEKDAYS.get(match.group("wd") or "")
    return _year_by_tense(month, day, ctx.published, ctx.tense, weekday), "day"


def _read_numeric(text: str, ctx: _Context) -> _ReadResult:
    if match := _ISO.match(text) or _NUMERIC_YMD.match(text):
        return date(int(match["year"]), int(match["month"]), int(match["day"])), "day"
    if match := _NUMERIC.match(text):
        first, second = int(match["a"]), int(match["b"])
        year = int(match["year"])
        year += 2000 if year < 100 else 0
        day, month = (second, first) if ctx.date_order.upper().startswith("M") else (first, second)
        return date(year, month, day), "day"
    if match := _YEAR_SPAN.match(text) or _YEAR.match(text):
        return date(int(match["year"]), 1, 1), "year"
    if match := _MONTH_YEAR.match(text):
        return date(int(match["year"]), MONTHS[match["month"]], 1), "month"
    return False


def _read_month(text: str, ctx: _Context) -> _ReadResult:
    match = _MONTH.match(text)
    if match is None:
        return False
    if ctx.published is None:
        return None
    month = MONTHS[match["month"]]
    published = ctx.published
    rel = match["rel"]
    if rel == "this":
        return date(published.year, month, 1), "month"
    if rel == "last":  # the latest one before the publication month
        return date(published.year - (month >= published.month), month, 1), "month"
    if rel == "next":
        return date(published.year + (month <= published.month), month, 1), "month"
    return _month_by_tense(month, published, ctx.tense), "month"


def _read_weekday(text: str, ctx: _Context) -> _ReadResult:
    match = _WEEKDAY.match(text)
    if match is None:
        return False
    if ctx.published is None:
        return None
    published = ctx.published
    weekday = WEEKDAYS[match["wd"]]
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    rel = match["rel"]
    if rel in ("last", "past"):
        return published - timedelta(days=back or 7), "day"
    if rel in ("next", "coming"):
        return published + timedelta(days=ahead or 7), "day"
    if rel == "this":
        return _monday(published) + timedelta(days=weekday), "day"
    if ctx.tense in ("future", "present"):
        return published + timedelta(days=ahead), "day"
    return published - timedelta(days=back), "day"


def _read_day_word(text: str, ctx: _Context) -> _ReadResult:
    match = _DAY_WORD.match(text)
    if match is None:
        return False
    if ctx.published is None:
        return None
    offsets = {"today": 0, "yesterday": -1, "tomorrow": 1, "before_yesterday": -2}
    offsets["after_tomorrow"] = 2
    group = match.lastgroup or "today"
    return ctx.published + timedelta(days=offsets[group]), "day"


def _read_period(text: str, ctx: _Context) -> _ReadResult:
    match = _PERIOD.match(text) or _AGO.match(text)
    if match is None:
        return False
    if ctx.published is None:
        return None
    unit = match["unit"]
    if "rel" in match.re.groupindex:
        step = {"last": -1, "this": 0, "the current": 0, "next": 1}[match["rel"]]
    else:
        step = -_number(match["n"])
    return _shift(ctx.published, unit, step), _unit_precision(unit)


def _read_weekend(text: str, ctx: _Context) -> _ReadResult:
    match = _WEEKEND.match(text)
    if match is None:
        return False
    rel = match["rel"]
    bare = rel in (None, "the") and ctx.preposition not in _WEEKEND_PREPOSITIONS
    if ctx.published is None or bare:
        return None  # "the weekend" alone names no particular one
    week = _monday(ctx.published)
    at_weekend = ctx.published.weekday() >= 5
    if rel in ("last", "the past"):
        return week - timedelta(days=7), "week"
    if rel == "next":
        return week + timedelta(days=7), "week"
    if rel == "this" or at_weekend or ctx.tense in ("future", "present"):
        return week, "week"
    return week - timedelta(days=7), "week"


def _read_ordinal(text: str, ctx: _Context) -> _ReadResult:
    match = _ORDINAL.match(text)
    if match is None:
        return False
    if ctx.published is None or not ctx.introduced:
        return None  # "the 14th commander" is no day
    day = int(match["day"])
    published = ctx.published
    candidates = []
    for step in (-1, 0, 1):
        month = _shift(published.replace(day=1), "month", step)
        try:
            candidates.append(month.replace(day=day))
        except ValueError:  # the 31st of a short month
            continue
    if ctx.tense == "past":
        return max(d for d in candidates if d <= published), "day"
    if ctx.tense == "future":
        return min(d for d in candidates if d >= published), "day"
    return min(candidates, key=lambda d: (abs((d - published).days), d)), "day"


def _read_anchored(text: str, ctx: _Context) -> _ReadResult:
    if not ANCHORED.match(text):
        return False
    if ctx.anchor is None:
        return None
    bare = re.sub(r"^(?:later|earlier)\s+", "", text)
    if bare in _ANCHOR_WORDS:
        return ctx.anchor + timedelta(days=_ANCHOR_WORDS[bare]), "day"
    match = _ANCHORED.match(bare)
    if match is None:
        return None
    sign = -1 if bare.endswith(("earlier", "before")) else 1
    n = _number(match["n"])
    if match["unit"] == "week":
        return ctx.anchor + timedelta(weeks=sign * n), "week"
    return ctx.anchor + timedelta(days=sign * n), "day"


_READERS = (
    _read_numeric,
    _read_explicit,
    _read_weekday,
    _read_day_word,
    _read_month,
    _read_period,
    _read_weekend,
    _read_ordinal,
    _read_anchored,
)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


_UNIT_PRECISION: dict[str, Precision] = {
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
}


def _unit_precision(unit: str) -> Precision:
    return _UNIT_PRECISION[unit]


def _shift(day: date, unit: str, step: int) -> date:
    """``day`` moved by ``step`` days, weeks, months or years (clamped to the month's end)."""
    if unit == "day":
        return day + timedelta(days=step)
    if unit == "week":
        return day + timedelta(weeks=step)
    if unit == "month":
        index = day.year * 12 + day.month - 1 + step
        year, month = divmod(index, 12)
        return _clamped(year, month + 1, day.day)
    return _clamped(day.year + step, day.month, day.day)


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _year_by_tense(
    month: int, day: int, published: date, tense: Tense, weekday: int | None = None
) -> date:
    """The year of a day named without one (see the module docstring)."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 29 February
            continue
    if not candidates:
        raise ValueError(f"no {month}/{day} near {published}")
    if weekday is not None:
        matching = [d for d in candidates if d.weekday() == weekday]
        if len(matching) == 1:
            return matching[0]
    return _pick(candidates, published, tense)


def _month_by_tense(month: int, published: date, tense: Tense) -> date:
    """The year of a month named without one; a month counts as reached on its 1st."""
    candidates = [date(published.year + step, month, 1) for step in (-1, 0, 1)]
    if tense == "future":
        return min(d for d in candidates if d >= published.replace(day=1))
    if tense == "past":
        return max(d for d in candidates if d <= published)
    return max(d for d in candidates if d <= published + timedelta(days=LOOKAHEAD_DAYS))


def _pick(candidates: list[date], published: date, tense: Tense) -> date:
    """Among the days a year-less date may name, the one the tense points to."""
    if tense == "future":
        ahead = [d for d in candidates if d >= published]
        return min(ahead) if ahead else max(candidates)
    limit = GRACE_DAYS if tense == "past" else LOOKAHEAD_DAYS
    up_to = [d for d in candidates if d <= published + timedelta(days=limit)]
    return max(up_to) if up_to else min(candidates)


def _period_start(day: date, precision: Precision) -> date:
    if precision == "week":
        return _monday(day)
    if precision == "month":
        return day.replace(day=1)
    if precision == "year":
        return day.replace(month=1, day=1)
    return day
