"""Partnership indicators: weekly activity and tone per cooperation area and country pair.

Per ISO week, for any cut (an area, a pair of countries, both, or everything) and
optionally one PLOVER quad class: the number of events, their credibility-weighted
count (the sum of ``events.credibility``), the mean PLOVER score and the counts per quad
class. Each week is compared with its trailing baseline (the 8 weeks before it) by a
Poisson exceedance test on the weighted count; ``docs/indicators.md`` gives the formulas
and says why that test.

The counting is done in SQL, grouped by day, so a million events cost one grouped query;
JSON arrays (areas, actors, recipients) are unnested with each dialect's own functions
(``json_each`` on SQLite, ``jsonb_array_elements`` on PostgreSQL). Days are folded into
ISO weeks in Python, since the two databases name weeks differently.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Engine, Integer, String, bindparam, text

from pactwatch.analysis.poisson import poisson_lower_tail, poisson_upper_tail
from pactwatch.errors import InputError
from pactwatch.store.schema import UTCDateTime

BASELINE_WEEKS = 8
COUNTED_MODALITIES = ("factual",)
QUAD_CLASSES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

Pair = tuple[str, str]
CutKey = tuple[str | None, Pair | None]  # (area, pair); None means all of them


# --- weeks --------------------------------------------------------------------------


def week_key(day: date) -> str:
    """The ISO week of a day, as ``2025-W03``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(day: date) -> date:
    """The Monday of the ISO week of ``day``."""
    return day - timedelta(days=day.weekday())


def week_mondays(first: date, last: date) -> list[date]:
    """The Mondays of every ISO week from the one of ``first`` to the one of ``last``."""
    monday, end = week_monday(first), week_monday(last)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def parse_pair(value: str) -> Pair:
    """``XKX-SRB`` (either order, any case) as the sorted pair ``("SRB", "XKX")``."""
    parts = [p.strip().upper() for p in value.replace("/", "-").split("-") if p.strip()]
    if len(parts) == 1:
        parts = parts * 2  # one country: its domestic events
    if len(parts) != 2 or not all(2 <= len(p) <= 3 and p.isalpha() for p in parts):
        raise InputError(f"country pair {value!r}: give two codes like XKX-SRB")
    lo, hi = sorted(parts)
    return lo, hi


def pair_label(pair: Pair | None) -> str:
    return "all pairs" if pair is None else f"{pair[0]}-{pair[1]}"


# --- records ------------------------------------------------------------------------


@dataclass(slots=True)
class WeekStats:
    """What one ISO week holds for one cut."""

    monday: date
    events: int = 0
    weighted: float = 0.0
    score_sum: float = 0.0
    scored: int = 0
    quad: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # classes 1..4

    @property
    def week(self) -> str:
        return week_key(self.monday)

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None

    def add(self, other: WeekStats) -> None:
        self.events += other.events
        self.weighted += other.weighted
        self.score_sum += other.score_sum
        self.scored += other.scored
        self.quad = [a + b for a, b in zip(self.quad, other.quad, strict=True)]


@dataclass(frozen=True, slots=True)
class ChangeTest:
    """Parameters of the change test (``docs/indicators.md``, "Test for change")."""

    alpha: float = 0.01  # a week is a change when its tail probability is below this
    min_count: int = 3  # fewest events for a rise (and baseline mean for a fall)
    floor: float = 0.25  # least expected weighted count: one event a month
    min_baseline_weeks: int = 4  # fewer weeks of history: no test


@dataclass(frozen=True, slots=True)
class Change:
    """The change test of one observation against its expectation."""

    observed: float  # weighted count
    events: int
    expected: float  # λ: baseline mean of the weighted count, at least the floor
    baseline_mean: float | None  # mean weighted count of the baseline, None when untested
    baseline_sd: float | None
    p_up: float
    p_down: float
    direction: str  # up, down, steady, untested

    @property
    def significant(self) -> bool:
        return self.direction in ("up", "down")

    @property
    def z(self) -> float | None:
        """Descriptive only: (observed - mean) / sd of the baseline, when sd > 0."""
        if self.baseline_mean is None or not self.baseline_sd:
            return None
        return (self.observed - self.baseline_mean) / self.baseline_sd

    @property
    def ratio(self) -> float | None:
        if not self.baseline_mean:
            return None
        return self.observed / self.baseline_mean


def compare(
    observed: float,
    events: int,
    baseline_mean: float | None,
    test: ChangeTest,
    baseline_sd: float | None = None,
) -> Change:
    """Poisson exceedance of a weighted count over an expected one (``None``: untested)."""
    if baseline_mean is None:
        return Change(observed, events, 0.0, None, None, 1.0, 1.0, "untested")
    lam = max(baseline_mean, test.floor)
    p_up = poisson_upper_tail(observed, lam)
    p_down = poisson_lower_tail(observed, lam)
    direction = "steady"
    if events >= test.min_count and p_up < test.alpha:
        direction = "up"
    elif baseline_mean >= test.min_count and p_down < test.alpha:
        direction = "down"
    return Change(observed, events, lam, baseline_mean, baseline_sd, p_up, p_down, direction)


def change_test(
    current: WeekStats, baseline: Sequence[WeekStats], test: ChangeTest | None = None
) -> Change:
    """Test one week against the weeks of its baseline (those the store covers)."""
    test = test or ChangeTest()
    if len(baseline) < test.min_baseline_weeks:
        return compare(current.weighted, current.events, None, test)
    values = [w.weighted for w in baseline]
    sd = statistics.pstdev(values) if len(values) > 1 else 0.0
    return compare(current.weighted, current.events, statistics.fmean(values), test, sd)


@dataclass(frozen=True, slots=True)
class WeekIndicator:
    stats: WeekStats
    change: Change


@dataclass(frozen=True, slots=True)
class Series:
    """The weekly indicators of one cut, oldest week first."""

    area: str | None
    pair: Pair | None
    quad: int | None
    weeks: list[WeekIndicator]

    @property
    def label(self) -> str:
        quad = f", {QUAD_CLASSES[self.quad]}" if self.quad else ""
        return f"{self.area or 'all areas'} · {pair_label(self.pair)}{quad}"

    @property
    def total_events(self) -> int:
        return sum(w.stats.events for w in self.weeks)


# --- SQL ----------------------------------------------------------------------------

_DIALECT = {
    "sqlite": {
        "day": "COALESCE(e.date, date(d.published))",
        "actors": "json_each(b.actor) AS p",
        "recipients": "json_each(b.recipient) AS p",
        "country": "json_extract(p.value, '$.country')",
        "areas": "json_each(b.areas) AS a",
    },
    "postgresql": {
        "day": "COALESCE(e.date, CAST(d.published AT TIME ZONE 'UTC' AS DATE))",
        "actors": "jsonb_array_elements(b.actor) AS p(value)",
        "recipients": "jsonb_array_elements(b.recipient) AS p(value)",
        "country": "(p.value ->> 'country')",
        "areas": "jsonb_array_elements_text(b.areas) AS a(value)",
    },
}


def _dialect(engine: Engine) -> dict[str, str]:
    try:
        return _DIALECT[engine.dialect.name]
    except KeyError:
        raise InputError(
            f"indicators support SQLite and PostgreSQL, not {engine.dialect.name}"
        ) from None


def _daily_sql(
    sql: dict[str, str], *, by_area: bool, by_pair: bool, area: bool, pair: bool, quad: bool
) -> str:
    """The grouped-by-day query of one cut.

    Only this module's constant fragments are joined here; every value is a bound
    parameter, hence the S608 exemptions.
    """
    quad_filter = " AND e.quad_code = :quad" if quad else ""
    ctes = [
        "base AS (SELECT e.id, " + sql["day"] + " AS day, e.areas, e.actor, e.recipient,"  # noqa: S608
        " COALESCE(e.credibility, 1.0) AS w, e.plover_score, e.quad_code"
        " FROM events e JOIN documents d ON d.id = e.document_id"
        " WHERE d.status <> 'duplicate' AND e.modality IN :modalities"
        " AND ((e.date >= :since AND e.date <= :until) OR (e.date IS NULL"
        " AND d.published >= :since_ts AND d.published < :until_ts))" + quad_filter + ")"
    ]
    joins, columns, groups = [], ["NULL", "NULL", "NULL"], ["b.day"]
    if by_area or area:
        ctes.append(
            "areas AS (SELECT DISTINCT b.id, a.value AS area FROM base b, " + sql["areas"] + ")"  # noqa: S608
        )
        joins.append("JOIN areas ar ON ar.id = b.id" + (" AND ar.area = :area" if area else ""))
        if by_area:
            columns[0] = "ar.area"
            groups.append("ar.area")
    if by_pair or pair:
        country, actors, recipients = sql["country"], sql["actors"], sql["recipients"]
        ctes += [
            f"countries AS (SELECT b.id, {country} AS c FROM base b, {actors}"  # noqa: S608
            f" UNION SELECT b.id, {country} FROM base b, {recipients})",
            "known AS (SELECT id, c FROM countries WHERE c IS NOT NULL AND c <> '')",
            "pairs AS (SELECT x.id, x.c AS lo, y.c AS hi FROM known x JOIN known y"
            " ON x.id = y.id AND x.c < y.c UNION ALL SELECT id, MIN(c), MIN(c) FROM known"
            " GROUP BY id HAVING COUNT(*) = 1)",
        ]
        on_pair = " AND pr.lo = :lo AND pr.hi = :hi" if pair else ""
        joins.append("JOIN pairs pr ON pr.id = b.id" + on_pair)
        if by_pair:
            columns[1:] = ["pr.lo", "pr.hi"]
            groups += ["pr.lo", "pr.hi"]
    quads = ", ".join(
        f"SUM(CASE WHEN b.quad_code = {q} THEN 1 ELSE 0 END) AS q{q}" for q in (1, 2, 3, 4)
    )
    area_col, lo_col, hi_col = columns
    return (
        f"WITH {', '.join(ctes)} SELECT b.day AS day, {area_col} AS area, {lo_col} AS lo,"  # noqa: S608
        f" {hi_col} AS hi, COUNT(*) AS n, SUM(b.w) AS weighted, SUM(b.plover_score) AS score_sum,"
        f" COUNT(b.plover_score) AS scored, {quads} FROM base b {' '.join(joins)}"
        f" GROUP BY {', '.join(groups)}"
    )


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def weekly_stats(
    engine: Engine,
    since: date,
    until: date,
    *,
    by_area: bool = False,
    by_pair: bool = False,
    area: str | None = None,
    pair: Pair | None = None,
    quad: int | None = None,
    modalities: Sequence[str] = COUNTED_MODALITIES,
) -> dict[CutKey, dict[date, WeekStats]]:
    """Per cut, the stats of every ISO week (by its Monday) that has events in
    ``since..until`` (both included). An event counts once per cut it falls in: once per
    area and once per pair of distinct countries among its participants."""
    statement = text(
        _daily_sql(
            _dialect(engine),
            by_area=by_area,
            by_pair=by_pair,
            area=area is not None,
            pair=pair is not None,
            quad=quad is not None,
        )
    ).bindparams(
        bindparam("modalities", expanding=True, type_=String()),
        bindparam("since", type_=Date()),
        bindparam("until", type_=Date()),
        bindparam("since_ts", type_=UTCDateTime()),
        bindparam("until_ts", type_=UTCDateTime()),
    )
    params: dict[str, Any] = {
        "modalities": list(modalities),
        "since": since,
        "until": until,
        "since_ts": datetime.combine(since, time.min, UTC),
        "until_ts": datetime.combine(until + timedelta(days=1), time.min, UTC),
    }
    if quad is not None:
        statement = statement.bindparams(bindparam("quad", type_=Integer()))
        params["quad"] = quad
    if area is not None:
        params["area"] = area
    if pair is not None:
        params["lo"], params["hi"] = pair
    cuts: dict[CutKey, dict[date, WeekStats]] = defaultdict(dict)
    with engine.connect() as conn:
        for row in conn.execute(statement, params):
            key: CutKey = (
                row.area if by_area else area,
                (row.lo, row.hi) if by_pair else pair,
            )
            monday = week_monday(_as_date(row.day))
            day_stats = WeekStats(
                monday,
                int(row.n),
                float(row.weighted or 0.0),
                float(row.score_sum or 0.0),
                int(row.scored),
                [int(row.q1), int(row.q2), int(row.q3), int(row.q4)],
            )
            cuts[key].setdefault(monday, WeekStats(monday)).add(day_stats)
    return dict(cuts)


def latest_day(engine: Engine, today: date | None = None) -> date | None:
    """The latest event day on or before ``today`` (events with absurd future dates exist)."""
    today = today or datetime.now(UTC).date()
    with engine.connect() as conn:
        value = conn.scalar(
            text("SELECT MAX(date) FROM events WHERE date <= :today").bindparams(
                bindparam("today", type_=Date())
            ),
            {"today": today},
        )
    return _as_date(value) if value is not None else None


def indicator_series(
    engine: Engine,
    end: date,
    weeks: int = 12,
    *,
    by_area: bool = False,
    by_pair: bool = False,
    area: str | None = None,
    pair: Pair | None = None,
    quad: int | None = None,
    baseline_weeks: int = BASELINE_WEEKS,
    test: ChangeTest | None = None,
) -> list[Series]:
    """The ``weeks`` ISO weeks up to the one of ``end`` (counted up to ``end``), per cut,
    each with its change test against the ``baseline_weeks`` weeks before it.

    Baseline weeks before the store's first event in the window are left out (no data is
    not zero activity); a week with fewer than ``test.min_baseline_weeks`` of them is
    ``untested``. Cuts with no event in the window, baseline included, are left out.
    """
    test = test or ChangeTest()
    shown = week_mondays(end - timedelta(weeks=weeks - 1), end)
    since = shown[0] - timedelta(weeks=baseline_weeks)
    cuts = weekly_stats(
        engine, since, end, by_area=by_area, by_pair=by_pair, area=area, pair=pair, quad=quad
    )
    filtered = by_area or by_pair or area is not None or pair is not None or quad is not None
    coverage = _coverage_start(engine, since, end, None if filtered else cuts)
    result = []
    for (cut_area, cut_pair), per_week in sorted(cuts.items(), key=_cut_order):
        indicators = []
        for monday in shown:
            stats = per_week.get(monday, WeekStats(monday))
            before = [
                per_week.get(m, WeekStats(m))
                for m in week_mondays(monday - timedelta(weeks=baseline_weeks), monday)[:-1]
                if coverage is not None and m >= coverage
            ]
            indicators.append(WeekIndicator(stats, change_test(stats, before, test)))
        result.append(Series(cut_area, cut_pair, quad, indicators))
    return result


def _coverage_start(
    engine: Engine,
    since: date,
    end: date,
    everything: dict[CutKey, dict[date, WeekStats]] | None,
) -> date | None:
    """The first week with any event at all in the window: the store's coverage."""
    cuts = everything if everything is not None else weekly_stats(engine, since, end)
    mondays = [m for per_week in cuts.values() for m in per_week]
    return min(mondays) if mondays else None


def _cut_order(item: tuple[CutKey, dict[date, WeekStats]]) -> tuple[int, str, str]:
    (area, pair), per_week = item
    return (-sum(w.events for w in per_week.values()), area or "", pair_label(pair))


def totals(stats: Iterable[WeekStats]) -> WeekStats:
    """Several weeks summed (a period's total); its Monday is the first one's."""
    items = list(stats)
    total = WeekStats(items[0].monday if items else date.min)
    for item in items:
        total.add(item)
    return total
