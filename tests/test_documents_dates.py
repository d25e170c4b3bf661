"""Publication dates: metadata first, then only the dateline or a published marker."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pactwatch.documents.dates import find_text_date, parse_metadata_date, resolve_published
from pactwatch.errors import ConfigError

BODY = "Kosovo police said two men were detained near the border.\nNATO called for calm."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-12", datetime(2024, 3, 12, tzinfo=UTC)),
        ("2024-03-12T09:30:00", datetime(2024, 3, 12, 9, 30, tzinfo=UTC)),
        ("2024-03-12T09:30:00Z", datetime(2024, 3, 12, 9, 30, tzinfo=UTC)),
        ("2024-03-12T09:30:00+01:00", datetime(2024, 3, 12, 8, 30, tzinfo=UTC)),
        ("Tue, 12 Mar 2024 09:30:00 +0100", datetime(2024, 3, 12, 8, 30, tzinfo=UTC)),
        ("Tue, 12 Mar 2024 09:30:00 GMT", datetime(2024, 3, 12, 9, 30, tzinfo=UTC)),
        ("Tue, 12 Mar 2024 09:30:00 -0000", datetime(2024, 3, 12, 9, 30, tzinfo=UTC)),
        ("12 March 2024", datetime(2024, 3, 12, tzinfo=UTC)),
        ("March 12, 2024", datetime(2024, 3, 12, tzinfo=UTC)),
        ("2024-03-12 09:30 CET", datetime(2024, 3, 12, 8, 30, tzinfo=UTC)),
        ("12 mars 2024", datetime(2024, 3, 12, tzinfo=UTC)),  # Albanian
        ("  12   March 2024 ", datetime(2024, 3, 12, tzinfo=UTC)),
    ],
)
def test_metadata_dates_parse_to_aware_utc(value: str, expected: datetime) -> None:
    published, source = resolve_published(value, BODY, date_order="DMY")
    assert (published, source) == (expected, "metadata")
    assert published is not None and published.utcoffset() is not None


@pytest.mark.parametrize(
    "value",
    ["March 2024", "2024", "May 30", "yesterday", "2 hours ago", "0001-01-01T00:00:00Z",
     "not a date", "", "   ", "9999-12-31T23:59:59-05:00"],
)  # fmt: skip
def test_metadata_without_a_full_date_is_refused(value: str) -> None:
    assert parse_metadata_date(value, date_order="DMY") is None


def test_numeric_metadata_follows_the_date_order() -> None:
    assert parse_metadata_date("05.06.2023", date_order="DMY") == datetime(2023, 6, 5, tzinfo=UTC)
    assert parse_metadata_date("05.06.2023", date_order="MDY") == datetime(2023, 5, 6, tzinfo=UTC)


def test_unparseable_metadata_falls_back_to_the_text() -> None:
    text = "PRISTINA, May 30, 2023 (BWS) - Soldiers held an exercise."
    assert resolve_published("sometime last spring", text, date_order="DMY") == (
        datetime(2023, 5, 30, tzinfo=UTC),
        "text",
    )


def test_metadata_wins_over_the_text() -> None:
    text = "PRISTINA, May 30, 2023 (BWS) - Soldiers held an exercise."
    assert resolve_published("2023-05-31", text, date_order="DMY") == (
        datetime(2023, 5, 31, tzinfo=UTC),
        "metadata",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PRISTINA, May 30, 2023 (BWS) - Soldiers of the NATO-led force trained.",
         datetime(2023, 5, 30, tzinfo=UTC)),
        ("PRISTINA, MAY 30, 2023 - Soldiers trained.", datetime(2023, 5, 30, tzinfo=UTC)),
        ("Pristina, 30 May 2023 – Soldiers trained.", datetime(2023, 5, 30, tzinfo=UTC)),
        ("BELGRADE/PRISTINA, 30.05.2023 (Beta) - Talks resumed.",
         datetime(2023, 5, 30, tzinfo=UTC)),
        ("Published: 12 March 2024\n" + BODY, datetime(2024, 3, 12, tzinfo=UTC)),
        ("Kosovo and NATO\nPublished on Tuesday, 12 March 2024 09:30 CET\n" + BODY,
         datetime(2024, 3, 12, 8, 30, tzinfo=UTC)),
        ("Kosovo and NATO | Posted 12.03.2024\n" + BODY, datetime(2024, 3, 12, tzinfo=UTC)),
        ("Kosovo and NATO\nBy Arta Krasniqi, 12 March 2024\n" + BODY,
         datetime(2024, 3, 12, tzinfo=UTC)),
        ("Kosovo and NATO\n30.05.2023\n" + BODY, datetime(2023, 5, 30, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_dateline_and_published_marker_dates_are_found(text: str, expected: datetime) -> None:
    assert resolve_published(None, text, date_order="DMY") == (expected, "text")


@pytest.mark.parametrize(
    "text",
    [
        "PRISTINA, May 30 (Reuters) - Kosovo police said two men were detained.",
        "KFOR has been deployed since the end of the 1999 war.\n" + BODY,
        "On 24 September 2023 the attack in Banjska killed a police officer.\n" + BODY,
        "The report was published on 12 March 2024 by the ministry.\n" + BODY,
        "On 24 September 2023 - the day of the attack - police closed the road.",
        "Kosovo and NATO\n" + BODY,
        "One\nTwo\nThree\nFour\nFive\nSix\n30.05.2023",  # a date line too far down
        "",
    ],
)
def test_dates_in_the_body_are_not_publication_dates(text: str) -> None:
    assert resolve_published(None, text, date_order="DMY") == (None, None)


def test_numeric_dateline_follows_the_date_order() -> None:
    text = "Kosovo and NATO\n05.06.2023\n" + BODY
    assert find_text_date(text, date_order="DMY") == datetime(2023, 6, 5, tzinfo=UTC)
    assert find_text_date(text, date_order="MDY") == datetime(2023, 5, 6, tzinfo=UTC)


def test_bad_date_order_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        resolve_published("2024-03-12", BODY, date_order="DDMMYY")
    assert caught.value.reason == "bad_date_order"


@pytest.mark.parametrize(
    "value",
    [
        "May 30, 2023",
        "24 September 2023",
        "Sep 24 2023",
        "Sep. 24, 2023",
        "1 Feb 2024",
        "December 27, 2022",
    ],
)
def test_fast_path_agrees_with_dateparser(value: str) -> None:
    """The strptime fast path returns exactly what dateparser would, only sooner."""
    import dateparser

    from pactwatch.documents.dates import _fast_english_date

    settings = {
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }
    assert _fast_english_date(value) == dateparser.parse(value, languages=["en"], settings=settings)
