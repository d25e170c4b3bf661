"""The filters every dashboard view shares, and the SQL they become on SQLite and PostgreSQL.

An event's day (``events.day``, set by the extraction writer) is the date its text states
or, when the text states none, its document's publication day. The country, pair, region
and area filters read ``event_countries`` and ``event_areas`` (one row per country or area
of an event, indexed by (country, day) and (area, day)), never the events' JSON columns:
a list filtered by country walks that index newest first and stops at the page.

Totals come from the overview's summary tables (``store/summaries.py``) when the filters
are among date range, one country or region, and one area; otherwise the matching events
are counted up to a cap and the total is flagged as a lower bound (``count_events``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    ColumnElement,
    Date,
    Engine,
    Select,
    and_,
    cast,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Subquery

from pactwatch.store.schema import (
    documents,
    event_actors,
    event_areas,
    event_countries,
    events,
    summary_areas,
    summary_pairs,
)
from pactwatch.store.summaries import ALL, DAY, MONTH, area_scope, region_scope
from pactwatch.store.summaries import REGIONS as REGIONS
from pactwatch.store.summaries import UNSCORED_WEIGHT as UNSCORED_WEIGHT

# PLOVER quad classes (event_lexicon.yaml: quad 1..4).
QUADS: dict[int, str] = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}

AREAS_FILE = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "cooperation_areas.yaml"

MAX_LIMIT = 200
# Beyond this many matches (past the page asked for) a total not answered by the
# summaries is not counted further; the page says its total is a lower bound.
COUNT_CAP = 10_000


@cache
def known_areas() -> tuple[str, ...]:
    """The cooperation areas of ``cooperation_areas.yaml``, in the file's order."""
    data = yaml.safe_load(AREAS_FILE.read_text(encoding="utf-8"))
    return tuple(data["areas"])


@dataclass(frozen=True, slots=True)
class Filters:
    """What a view is narrowed to; every field is optional and they combine with AND.

    ``country`` matches an event whose actor or recipient is of that country; ``pair``
    one whose actors include one country and whose recipients the other (either way);
    ``region`` one with an actor or recipient in the region's countries.
    """

    date_from: date | None = None
    date_to: date | None = None
    region: str | None = None
    country: str | None = None
    pair: tuple[str, str] | None = None
    area: str | None = None
    event_type: str | None = None
    modality: str | None = None
    min_credibility: float | None = None
    max_credibility: float | None = None
    actor_id: int | None = None
    text: str | None = None

    def as_params(self) -> dict[str, str]:
        """The filters as query-string parameters (for links and ``next``)."""
        params: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or value == "":
                continue
            if f.name == "pair":
                params["pair"] = f"{value[0]}-{value[1]}"
            else:
                params[f.name] = value.isoformat() if isinstance(value, date) else str(value)
        return params

    def with_dates(self, date_from: date | None, date_to: date | None) -> Filters:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(date_from=date_from, date_to=date_to)
        return Filters(**values)


@dataclass(frozen=True, slots=True)
class Page:
    """A slice of a list: at most ``MAX_LIMIT`` rows from ``offset``."""

    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        if self.offset < 0:
            raise ValueError(f"offset must be 0 or more, not {self.offset}")


def parse_pair(text: str | None) -> tuple[str, str] | None:
    """ "XKX-SRB" (or "XKX,SRB") as a pair of upper-case codes; None for empty input."""
    if not text:
        return None
    parts = [p.strip().upper() for p in text.replace(",", "-").split("-") if p.strip()]
    if len(parts) != 2:
        raise ValueError(f"a pair is two country codes like XKX-SRB, not {text!r}")
    return parts[0], parts[1]


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards in ``text`` escaped by a backslash."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class Dialect:
    """The few expressions that differ between SQLite and PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self.postgres = engine.dialect.name == "postgresql"

    # -- JSON arrays --------------------------------------------------------------------

    def elements(self, column: Any, name: str) -> Any:
        """A table of the array's elements (column ``value``), usable beside ``column``'s table."""
        if self.postgres:
            return func.jsonb_array_elements(column).table_valued("value").lateral(name)
        return func.json_each(column).table_valued("value").alias(name)

    def text_elements(self, column: Any, name: str) -> Any:
        """A table of an array of strings, as text (column ``value``)."""
        if self.postgres:
            return func.jsonb_array_elements_text(column).table_valued("value").lateral(name)
        return func.json_each(column).table_valued("value").alias(name)

    def field(self, value: Any, key: str) -> ColumnElement[Any]:
        """``value[key]`` as text, for a JSON object value."""
        if self.postgres:
            found: ColumnElement[Any] = value.op("->>")(literal_column(f"'{key}'"))  # our key
            return found
        return func.json_extract(value, f"$.{key}")

    # -- dates --------------------------------------------------------------------------

    def published_day(self) -> ColumnElement[date]:
        """A document's publication day (UTC)."""
        if self.postgres:
            return type_coerce(cast(func.timezone("UTC", documents.c.published), Date), Date)
        return type_coerce(func.date(documents.c.published), Date)

    def bucket(self, day: Any, unit: str) -> ColumnElement[date]:
        """The Monday of ``day``'s ISO week, or the first of its month."""
        if self.postgres:
            return type_coerce(cast(func.date_trunc(unit, day), Date), Date)
        if unit == "week":
            return type_coerce(func.date(day, "weekday 0", "-6 days"), Date)
        return type_coerce(func.strftime("%Y-%m-01", day), Date)

    def least(self, a: Any, b: Any) -> ColumnElement[Any]:
        return func.least(a, b) if self.postgres else func.min(a, b)

    def greatest(self, a: Any, b: Any) -> ColumnElement[Any]:
        return func.greatest(a, b) if self.postgres else func.max(a, b)


def day_conditions(f: Filters, day: Any) -> list[ColumnElement[bool]]:
    """The date range of ``f`` on a day column (an event with no day is outside any range)."""
    where: list[ColumnElement[bool]] = []
    if f.date_from:
        where.append(day >= f.date_from)
    if f.date_to:
        where.append(day <= f.date_to)
    return where


def column_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """The conditions of ``f`` on the ``events`` table's own columns."""
    where: list[ColumnElement[bool]] = []
    if f.event_type:
        where.append(events.c.event == f.event_type.upper())
    if f.modality:
        where.append(events.c.modality == f.modality)
    if f.min_credibility is not None:
        where.append(events.c.credibility >= f.min_credibility)
    if f.max_credibility is not None:
        where.append(events.c.credibility <= f.max_credibility)
    if f.text:
        where.append(events.c.event_text.ilike(like_pattern(f.text), escape="\\"))
    return where


def has_column_conditions(f: Filters) -> bool:
    return bool(column_conditions(f))


def pair_condition(one: Any, other: Any) -> ColumnElement[bool]:
    """Rows ``one`` and ``other`` of ``event_countries`` (of one event) are on opposite
    sides: one an actor's country and the other a recipient's."""
    return or_(
        and_(one.c.as_actor, other.c.as_recipient), and_(one.c.as_recipient, other.c.as_actor)
    )


def side_conditions(
    f: Filters, event_id: Any, skip: frozenset[str] = frozenset()
) -> list[ColumnElement[bool]]:
    """The conditions of ``f`` answered by ``event_countries``, ``event_areas`` and
    ``event_actors``, for the event whose id is the column ``event_id`` (index lookups)."""
    where: list[ColumnElement[bool]] = []
    if f.area and "area" not in skip:
        where.append(
            exists(
                select(literal(1)).where(
                    event_areas.c.event_id == event_id, event_areas.c.area == f.area
                )
            )
        )
    if f.country and "country" not in skip:
        where.append(
            exists(
                select(literal(1)).where(
                    event_countries.c.event_id == event_id,
                    event_countries.c.country == f.country.upper(),
                )
            )
        )
    if f.region and "region" not in skip:
        codes = REGIONS.get(f.region.lower())
        if codes is None:
            where.append(false())
        else:
            where.append(
                exists(
                    select(literal(1)).where(
                        event_countries.c.event_id == event_id,
                        event_countries.c.country.in_(codes),
                    )
                )
            )
    if f.pair and "pair" not in skip:
        a = event_countries.alias("pair_a")
        b = event_countries.alias("pair_b")
        first, second = f.pair[0].upper(), f.pair[1].upper()
        if first == second:
            where.append(
                exists(
                    select(literal(1)).where(
                        a.c.event_id == event_id,
                        a.c.country == first,
                        a.c.as_actor,
                        a.c.as_recipient,
                    )
                )
            )
        else:
            where.append(
                exists(
                    select(literal(1))
                    .select_from(a.join(b, b.c.event_id == a.c.event_id))
                    .where(
                        a.c.event_id == event_id,
                        a.c.country == first,
                        b.c.country == second,
                        pair_condition(a, b),
                    )
                )
            )
    if f.actor_id is not None:
        where.append(
            event_id.in_(
                select(event_actors.c.event_id).where(event_actors.c.actor_id == f.actor_id)
            )
        )
    return where


def dated_events(f: Filters, sql: Dialect, columns: Sequence[Any], name: str = "dated") -> Subquery:
    """The events matching ``f`` with their ``day``, as one subquery."""
    return (
        select(*columns, events.c.day.label("day"))
        .where(
            *day_conditions(f, events.c.day),
            *column_conditions(f),
            *side_conditions(f, events.c.id),
        )
        .subquery(name)
    )


def grain_conditions(f: Filters, table: Any) -> list[ColumnElement[bool]]:
    """The rows of a summary table with a monthly rollup (``grain``) that add up to the
    date range of ``f`` once: whole months from the rollup, the days around them."""
    parts = grain_ranges(f, table)
    if len(parts) == 1:
        return parts[0]
    return [or_(*(and_(*part) for part in parts))]


def grain_ranges(f: Filters, table: Any) -> list[list[ColumnElement[bool]]]:
    """``grain_conditions`` as separate ranges of the ``(scope, grain, day)`` index, to be
    read as a UNION ALL: SQLite without planner statistics reads an OR of ranges as every
    row of the scope (the day rows of three years rather than 36 months)."""
    by_day = [table.c.grain == DAY, *day_conditions(f, table.c.day)]
    if f.date_from is None or f.date_to is None:
        return [by_day]
    first = f.date_from if f.date_from.day == 1 else _next_month(f.date_from)
    after = f.date_to + timedelta(days=1)
    end = date(after.year, after.month, 1)  # the first day after the last whole month
    if first >= end:
        return [by_day]
    parts = [[table.c.grain == MONTH, table.c.day >= first, table.c.day < end]]
    if f.date_from < first:
        parts.append([table.c.grain == DAY, table.c.day >= f.date_from, table.c.day < first])
    if end <= f.date_to:
        parts.append([table.c.grain == DAY, table.c.day >= end, table.c.day <= f.date_to])
    return parts


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def single_scope(f: Filters) -> str | None:
    """The one summary scope (``*``, a country, a region or an area) that holds the events
    matching ``f`` apart from its dates and pair; None when ``f`` needs more than one."""
    other = (f.event_type, f.modality, f.min_credibility, f.max_credibility, f.actor_id, f.text)
    if any(v is not None and v != "" for v in other):
        return None
    given = [
        s
        for s in (
            f.country.upper() if f.country else None,
            region_scope(f.region.lower()) if f.region else None,
            area_scope(f.area) if f.area else None,
        )
        if s
    ]
    if len(given) > 1:
        return None
    return given[0] if given else ALL


def summary_key(f: Filters) -> tuple[str, str] | None:
    """The (scope, area) of ``summary_areas`` whose rows count the events matching ``f``,
    or None when ``f`` has a condition the summaries do not keep (see ``summaries``)."""
    other = (
        f.pair,
        f.event_type,
        f.modality,
        f.min_credibility,
        f.max_credibility,
        f.actor_id,
        f.text,
    )
    if any(v is not None and v != "" for v in other) or (f.country and f.region):
        return None
    scope = ALL
    if f.country:
        scope = f.country.upper()
    elif f.region:
        scope = region_scope(f.region.lower())
    return scope, f.area or ALL


def count_events(
    conn: Connection, f: Filters, base: Select[Any] | None = None, at_least: int = 0
) -> tuple[int, bool]:
    """How many events match ``f``, and whether that is a lower bound. From the summaries
    when they answer ``f`` (exact: ``summary_areas``, or ``summary_pairs`` for a pair with
    at most one of country, region or area); else the rows of ``base`` (default: the matching
    events) are counted up to ``at_least + COUNT_CAP``."""
    key = summary_key(f)
    scope = single_scope(f) if f.pair else None
    if scope is not None and f.pair is not None and f.pair[0].upper() != f.pair[1].upper():
        a, b = sorted(c.upper() for c in f.pair)
        total = conn.scalar(
            select(func.coalesce(func.sum(summary_pairs.c.events), 0)).where(
                summary_pairs.c.scope == scope,
                summary_pairs.c.country_a == a,
                summary_pairs.c.country_b == b,
                *grain_conditions(f, summary_pairs),
            )
        )
        return int(total or 0), False
    if key is not None:
        scope, area = key
        total = conn.scalar(
            select(func.coalesce(func.sum(summary_areas.c.events), 0)).where(
                summary_areas.c.scope == scope,
                summary_areas.c.area == area,
                *day_conditions(f, summary_areas.c.day),
            )
        )
        return int(total or 0), False
    if base is None:
        base = select(events.c.id).where(
            *day_conditions(f, events.c.day),
            *column_conditions(f),
            *side_conditions(f, events.c.id),
        )
    cap = at_least + COUNT_CAP
    counted = conn.scalar(select(func.count()).select_from(base.limit(cap + 1).subquery()))
    found = int(counted or 0)
    return (cap, True) if found > cap else (found, False)
