"""Store values as every export writes them: timestamps, event periods, reasons, codes.

Shared by the STIX bundle, the MISP feed and the event tables, so that a date, a
credibility reason or a country code reads the same in each.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from pactwatch.knowledge import Country, load_knowledge

# Regions of countries.yaml (and region places) as STIX region-ov values.
REGIONS: Final = {
    "balkans": "southern-europe",
    "western balkans": "southern-europe",
    "southern europe": "southern-europe",
    "southeast europe": "southern-europe",
    "western europe": "western-europe",
    "northern europe": "northern-europe",
    "eastern europe": "eastern-europe",
    "central europe": "europe",
    "europe": "europe",
    "caucasus": "western-asia",
    "middle east": "western-asia",
    "central asia": "central-asia",
    "east asia": "eastern-asia",
    "south asia": "southern-asia",
    "north africa": "northern-africa",
    "north america": "northern-america",
    "south america": "south-america",
    "oceania": "oceania",
}


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC when the store gave it back without a zone (SQLite)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def period(day: date, precision: str | None) -> tuple[datetime, datetime | None, str]:
    """Start, end (None for a single day) and timestamp fidelity of an event date."""
    start = datetime.combine(day, time(), UTC)
    if precision == "week":
        return start, start + timedelta(days=7) - timedelta(milliseconds=1), "day"
    if precision == "month":
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return start, datetime.combine(following, time(), UTC) - timedelta(milliseconds=1), "month"
    if precision == "year":
        return start, datetime(day.year + 1, 1, 1, tzinfo=UTC) - timedelta(milliseconds=1), "year"
    return start, None, "day"


def readable(reasons: Any) -> str:
    """Credibility reasons (strings or small records) as one line."""
    if not reasons:
        return ""
    if isinstance(reasons, list):
        parts = []
        for r in reasons:
            if isinstance(r, dict):
                text = r.get("explanation") or r.get("reason") or json.dumps(r, sort_keys=True)
                parts.append(str(text))
            else:
                parts.append(str(r))
        return "; ".join(parts)
    return str(reasons)


def iso2(iso3: str | None, countries: Mapping[str, Country] | None = None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country we know (Kosovo: XK).

    ``countries`` saves looking the reference data up again, row after row."""
    if not iso3:
        return None
    country = (countries or load_knowledge().countries).get(iso3)
    if country is None:
        return None
    return next((c for c in country.codes if len(c) == 2 and c.isalpha()), None)


def country_name(iso3: str | None, countries: Mapping[str, Country] | None = None) -> str | None:
    country = (countries or load_knowledge().countries).get(iso3 or "")
    return country.name if country else None


def region(iso3: str | None, name: str) -> str | None:
    """The region-ov value of a region place by its name, or of a country's region."""
    country = load_knowledge().countries.get(iso3 or "")
    named = REGIONS.get(name.strip().lower())
    if named:
        return named
    return REGIONS.get((country.region or "").lower()) if country else None


def names(people: Iterable[Any]) -> str:
    """The names of PLOVER actor records, comma-separated."""
    found = [str(p.get("entity_name") or p.get("raw_text")) for p in people if isinstance(p, dict)]
    return ", ".join(n for n in found if n and n != "None")
