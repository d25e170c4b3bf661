"""Publication dates: from metadata first, else from the dateline of the text.

Decisions, so every caller gets the same answer:

- A publication date needs a day, a month and a year. "March 2024" or "2024" alone is
  not a publication date (dateparser's ``REQUIRE_PARTS``), nor is "PRISTINA, May 30
  (Reuters) -" (no year): such documents stay undated rather than get a made-up day.
- Results are timezone-aware and in UTC; a value with no zone is taken as UTC.
- Relative forms ("2 hours ago", "yesterday") are refused: they depend on when the
  page was read, which the value does not say.
- Years before 1900 are refused: they are CMS placeholders (``0001-01-01``), not dates.
- Metadata: ISO 8601 first, then RFC 822 (feeds), then dateparser for free forms
  (English first, then any language dateparser knows). Unparseable metadata falls back
  to the text.
- Text: only the first few non-blank lines are read, and only an explicit date with a
  year in a dateline ("PRISTINA, May 30, 2023 (BWS) -"), after a published marker
  ("Published: 12 March 2024"), in a byline ("By Arta Krasniqi, 12 March 2024") or
  alone on its line ("30.05.2023"). Dates in sentences ("on 24 September 2023 the
  attack ...") are about events, not publication, and are never taken. Regexes only find
  candidates; dateparser parses them.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime
from typing import Any, Literal

import dateparser

from pactwatch.errors import ConfigError

DateSource = Literal["metadata", "text"]

DATE_ORDERS = frozenset({"DMY", "MDY", "YMD", "YDM", "DYM", "MYD"})
DATELINE_LINES = 5
"""How many non-blank lines from the top may hold the dateline or published marker."""
MIN_YEAR = 1900
_MAX_METADATA_CHARS = 100

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?i:st|nd|rd|th)?"
_DATE = (
    rf"(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}"  # May 30, 2023
    rf"|{_DAY}\s+{_MONTH},?\s+\d{{4}}"  # 30 May 2023
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{4}"  # 30.05.2023
    r"|\d{4}-\d{2}-\d{2})"  # 2023-05-30
)
_TIME = (
    r"(?:,?\s+(?i:at\s+)?\d{1,2}:\d{2}(?:\s*(?i:[ap]\.?m\.?))?"
    r"(?:\s+(?:UTC|GMT|CET|CEST|EET|EEST|[+-]\d{2}:?\d{2}))?)?"
)
_WEEKDAY = r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_CANDIDATE = rf"(?P<date>{_WEEKDAY}{_DATE}{_TIME})"

_TEXT_DATE_PATTERNS = (
    # PRISTINA, May 30, 2023 (BWS) -   |   Pristina, 30 May 2023 –
    re.compile(
        rf"^(?:[A-Z][A-Z'’./ -]*[A-Z],?|[A-Z][^\W\d_]+(?:[ /-][A-Z][^\W\d_]+){{0,2}},)"
        rf"\s+{_CANDIDATE}(?:\s*\([^)]{{1,40}}\))?\s*[-–—:]"
    ),
    # Published: 12 March 2024   |   ... | Posted on 30.05.2023
    re.compile(
        r"(?:^|[|•·]\s*)(?i:first\s+published|published|posted|publication\s+date|date)"
        rf"(?:\s*:|\s+on)?\s+{_CANDIDATE}"
    ),
    # By Arta Krasniqi, 12 March 2024
    re.compile(rf"^By\s+[^,|•·\n]{{2,60}}?\s*[,|•·–—-]\s*{_CANDIDATE}"),
    # 30.05.2023   (a line holding nothing but the date)
    re.compile(rf"^\W*{_CANDIDATE}\W*$"),
)


def resolve_published(
    metadata_value: str | None, text: str, *, date_order: str
) -> tuple[datetime | None, DateSource | None]:
    """The publication date and where it came from, or ``(None, None)`` if undated.

    ``metadata_value`` (front matter, feed or page metadata) wins when it parses;
    otherwise the dateline of ``text`` is read (see module docstring). ``date_order``
    (``DMY``, ``MDY``, ...) settles numeric dates like ``05.06.2023``.
    """
    published = parse_metadata_date(metadata_value, date_order=date_order)
    if published is not None:
        return published, "metadata"
    published = find_text_date(text, date_order=date_order)
    if published is not None:
        return published, "text"
    return None, None


def parse_metadata_date(value: str | None, *, date_order: str) -> datetime | None:
    """Parse a date given as metadata: ISO 8601, RFC 822, or a free form with a day."""
    settings = _dateparser_settings(date_order)
    if value is None:
        return None
    value = " ".join(value.split())
    if not value or len(value) > _MAX_METADATA_CHARS:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return _plausible(datetime.fromisoformat(value))
        except ValueError:
            pass  # not strict ISO ("2024-03-12 09:30 CET"): dateparser below reads it
    try:
        return _plausible(email.utils.parsedate_to_datetime(value))
    except (TypeError, ValueError, IndexError):
        pass  # not RFC 822: try the free forms
    return _parse_free_form(value, settings, languages=["en"]) or _parse_free_form(
        value, settings, languages=None
    )


def find_text_date(text: str, *, date_order: str) -> datetime | None:
    """The date in the dateline, published marker or byline of the first lines of ``text``."""
    settings = _dateparser_settings(date_order)
    lines = [line.strip() for line in text.split("\n") if line.strip()][:DATELINE_LINES]
    for line in lines:
        for pattern in _TEXT_DATE_PATTERNS:
            match = pattern.search(line)
            if match is None:
                continue
            found = _parse_free_form(match["date"], settings, languages=["en"])
            if found is not None:
                return found
    return None


def _dateparser_settings(date_order: str) -> dict[str, Any]:
    if date_order not in DATE_ORDERS:
        raise ConfigError(
            f"date_order must be one of {', '.join(sorted(DATE_ORDERS))}, not {date_order!r}",
            reason="bad_date_order",
        )
    return {
        "DATE_ORDER": date_order,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": "UTC",
        "REQUIRE_PARTS": ["day", "month", "year"],
        # No "relative-time": "2 hours ago" depends on when it was read.
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    }


# The commonest news datelines, all with the month as a word (so no day/month order to
# guess). Tried with strptime before dateparser, which is about a hundred times slower;
# anything else, or anything these reject, still goes to dateparser.
_FAST_FORMATS = ("%B %d, %Y", "%B %d %Y", "%d %B %Y", "%b %d, %Y", "%b %d %Y", "%d %b %Y")


def _fast_english_date(value: str) -> datetime | None:
    text = " ".join(value.replace(".", " ").split())
    for fmt in _FAST_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def _parse_free_form(
    value: str, settings: dict[str, Any], *, languages: list[str] | None
) -> datetime | None:
    fast = _fast_english_date(value) if languages == ["en"] else None
    if fast is not None:
        return _plausible(fast)
    try:
        parsed = dateparser.parse(value, languages=languages, settings=settings)
    except (ValueError, OverflowError):  # dateparser's own errors for impossible values
        return None
    return _plausible(parsed) if isinstance(parsed, datetime) else None


def _plausible(value: datetime) -> datetime | None:
    """The value in UTC (taken as UTC when naive), or None for placeholder years."""
    if value.year < MIN_YEAR:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 9999-12-31 in a zone west of UTC
        return None
