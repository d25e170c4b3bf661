"""date_grammar: date expressions of news resolved without a general date parser."""

from __future__ import annotations

from datetime import date

import pytest

from pactwatch.nlp.components.date_grammar import resolve_date

PUBLISHED = date(2023, 9, 26)  # a Tuesday
JANUARY = date(2024, 1, 10)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("Friday", "past", "2023-09-22"),
        ("Friday", None, "2023-09-22"),
        ("Friday", "present", "2023-09-29"),  # "the meeting continues on Friday"
        ("Friday", "future", "2023-09-29"),
        ("Tuesday", "future", "2023-09-26"),  # on or after publication: the day itself
        ("Tuesday", "past", "2023-09-26"),
        ("late on Friday", "past", "2023-09-22"),
        ("Friday night", "future", "2023-09-29"),
        ("last Friday", "future", "2023-09-22"),  # a stated direction beats the tense
        ("next Monday", "past", "2023-10-02"),
        ("this Thursday", None, "2023-09-28"),  # the one of the publication week
        ("Monday and Tuesday", "past", "2023-09-25"),
    ],
)
def test_weekdays(text: str, tense: str | None, expected: str) -> None:
    assert resolve_date(text, PUBLISHED, tense=tense) == (expected, "day", True)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["since 2023", "since March", "since Jan. 1", "from Aug. 1", "until June 9", "by 2029",
     "after Sept. 24", "before the end of March", "as of Monday", "up to 2025",
     "since 2004 and 2008", "until 26 May to 9 June"],
)  # fmt: skip
def test_dates_that_bound_a_state_are_not_event_dates(text: str) -> None:
    assert resolve_date(text, PUBLISHED)[:2] == (None, None)


def test_a_range_after_from_keeps_its_first_day() -> None:
    assert resolve_date("from 26 May to 9 June 2025", PUBLISHED) == ("2025-05-26", "day", False)


@pytest.mark.parametrize(
    "text",
    ["for three weeks", "in the past two years", "the past week", "over the next two weeks",
     "almost three weeks", "about seven months", "one to three months", "a second day",
     "24 years", "10-year", "4,500, days", "the summer", "this spring", "May 21 that year",
     "the 14th", "31 June", "daily", "between 15 and 20"],
)  # fmt: skip
def test_durations_and_noise_give_none(text: str) -> None:
    assert resolve_date(text, PUBLISHED)[:2] == (None, None)


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("14 June", "past", "2023-06-14"),
        ("14 June", None, "2023-06-14"),  # news looks back: last June, not next
        ("14 June", "future", "2024-06-14"),
        ("14 June 2024", "past", "2024-06-14"),
        ("Dec. 30", None, "2023-12-30"),
        ("Feb. 2", None, "2024-02-02"),  # three weeks ahead is nearer than a year back
        ("June", None, "2023-06-01"),
        ("June", "future", "2024-06-01"),
    ],
)
def test_the_year_of_a_date_named_without_one(text: str, tense: str | None, expected: str) -> None:
    assert resolve_date(text, JANUARY, tense=tense)[0] == expected  # type: ignore[arg-type]


def test_a_past_date_may_fall_a_few_days_after_publication() -> None:
    # "elections that had been due on Dec. 18", read on Dec. 16
    assert resolve_date("Dec. 18", date(2022, 12, 16), tense="past")[0] == "2022-12-18"
    assert resolve_date("Dec. 28", date(2022, 12, 16), tense="past")[0] == "2021-12-28"


def test_a_weekday_with_the_date_settles_the_year() -> None:
    published = date(2023, 9, 24)
    assert resolve_date("Monday, 25 September", published, tense="past")[0] == "2023-09-25"
    assert resolve_date("Wednesday, Sept. 27", published, tense="past")[0] == "2023-09-27"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("May 29 this year", ("2023-05-29", "day", True)),
        ("April 21 next year", ("2024-04-21", "day", True)),
        ("last September", ("2022-09-01", "month", True)),
        ("next June", ("2024-06-01", "month", True)),
        ("the end of May", ("2023-05-01", "month", True)),
        ("mid-July", ("2023-07-01", "month", True)),
        ("end-June", ("2023-06-01", "month", True)),
        ("early 2023", ("2023-01-01", "year", False)),
        ("earlier this week", ("2023-09-25", "week", True)),
        ("later this month", ("2023-09-01", "month", True)),
        ("last month", ("2023-08-01", "month", True)),
        ("over the weekend", ("2023-09-18", "week", True)),  # 23-24 Sept, in that week
        ("last weekend", ("2023-09-18", "week", True)),
        ("this weekend", ("2023-09-25", "week", True)),
        ("overnight", ("2023-09-25", "day", True)),
        ("last night", ("2023-09-25", "day", True)),
        ("tomorrow", ("2023-09-27", "day", True)),
        ("the day before yesterday", ("2023-09-24", "day", True)),
        ("two days ago", ("2023-09-24", "day", True)),
        ("a week ago", ("2023-09-18", "week", True)),
        ("a month ago", ("2023-08-01", "month", True)),
        ("on the 14th", ("2023-09-14", "day", True)),
        ("on the 28th", ("2023-09-28", "day", True)),  # nearer than 28 August
        ("the night of 24 September", ("2023-09-24", "day", True)),
        ("the night of the 24th", ("2023-09-24", "day", True)),
        ("14 May 2022, 10:20 CEST", ("2022-05-14", "day", False)),
        ("3 p.m. on Friday", ("2023-09-22", "day", True)),
        ("2023-09-24", ("2023-09-24", "day", False)),
        ("2022-05-14T10:20:00+02:00", ("2022-05-14", "day", False)),
        ("24/09/2023", ("2023-09-24", "day", False)),
        ("Feb. 22 and 23", ("2023-02-22", "day", True)),
        ("February and March", ("2023-02-01", "month", True)),
    ],
)
def test_news_forms(text: str, expected: tuple[str, str, bool]) -> None:
    assert resolve_date(text, PUBLISHED) == expected


def test_ordinal_days_follow_the_tense() -> None:
    assert resolve_date("on the 28th", PUBLISHED, tense="past")[0] == "2023-08-28"
    assert resolve_date("on the 14th", PUBLISHED, tense="future")[0] == "2023-10-14"


def test_numeric_dates_follow_the_date_order() -> None:
    assert resolve_date("03/04/2024", PUBLISHED)[0] == "2024-04-03"
    assert resolve_date("03/04/2024", PUBLISHED, date_order="MDY")[0] == "2024-03-04"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a day earlier", "2023-09-19"),
        ("two days later", "2023-09-22"),
        ("the next day", "2023-09-21"),
        ("the following day", "2023-09-21"),
        ("the day before", "2023-09-19"),
        ("later that day", "2023-09-20"),
    ],
)
def test_days_counted_from_an_anchor(text: str, expected: str) -> None:
    anchor = date(2023, 9, 20)
    assert resolve_date(text, PUBLISHED, anchor=anchor) == (expected, "day", True)
    assert resolve_date(text, PUBLISHED)[:2] == (None, None)  # no anchor, no day
