"""The periodic assessment: what a desk would circulate for a month, a quarter or a year.

``build_assessment`` reads the store once into an ``Assessment`` (plain data: per
cooperation area the activity, tone and weekly series, the change against the previous
period by the indicators' test, the notable engagements, the pairs of countries, and the
caveats: flags, low-credibility sources, reference conflicts, disagreements).
``render_html`` and ``render_pdf`` (``report_pdf``) only lay that data out, so the two
formats always say the same thing. ``docs/reports.md`` describes every section.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import Engine, Select, and_, func, or_, select

from pactwatch.analysis import report_charts
from pactwatch.analysis.indicators import (
    COUNTED_MODALITIES,
    QUAD_CLASSES,
    Change,
    ChangeTest,
    WeekStats,
    compare,
    pair_label,
    totals,
    week_mondays,
    weekly_stats,
)
from pactwatch.errors import InputError
from pactwatch.knowledge.loader import DATA_DIR
from pactwatch.store.schema import documents, events, flags, office_claims

ENGAGEMENT_TYPES = ("CONSULT", "AGREE", "COOPERATE", "AID")
DISAGREEMENT_FLAGS = ("source_disagreement", "conflicting_facts", "conflicting_identity")
LOW_CREDIBILITY = 0.5
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month, quarter or year; ``end`` is its last day."""

    label: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return parse_period(_previous_label(self.label))


def parse_period(value: str) -> Period:
    """``2025`` , ``2025-Q1`` or ``2025-03`` as a period; ``InputError`` otherwise."""
    text = value.strip().upper()
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return Period(text, date(year, 1, 1), date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * quarter - 2
        last = first + 2
        return Period(
            text, date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
        )
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return Period(
            text, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        )
    raise InputError(
        f"period {value!r}: give a year (2025), a quarter (2025-Q1) or a month (2025-03)"
    )


def _previous_label(label: str) -> str:
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        year, quarter = int(m[1]), int(m[2])
        return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", label):
        year, month = int(m[1]), int(m[2])
        return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    return str(int(label) - 1)


@cache
def area_descriptions() -> dict[str, str]:
    """The cooperation areas of the taxonomy, in its order, with their one-line description."""
    data: Any = yaml.safe_load((DATA_DIR / "cooperation_areas.yaml").read_text(encoding="utf-8"))
    return {name: str(spec.get("description", "")) for name, spec in data["areas"].items()}


def area_title(name: str) -> str:
    return name.replace("_", " ").capitalize()


# --- the assessment -----------------------------------------------------------------


@dataclass(slots=True)
class AreaSection:
    name: str
    title: str
    description: str
    current: WeekStats
    previous: WeekStats
    change: Change
    weekly: list[WeekStats]


@dataclass(frozen=True, slots=True)
class PairRow:
    pair: str
    stats: WeekStats


@dataclass(frozen=True, slots=True)
class Engagement:
    event_id: str
    event: str
    day: date | None
    actors: list[str]
    recipients: list[str]
    areas: list[str]
    credibility: float | None
    outlet: str | None
    title: str | None
    url: str | None
    text: str | None
    reports: int  # events of the same real-world event (cluster) in the period


@dataclass(slots=True)
class Caveats:
    flag_counts: list[tuple[str, str, int]] = field(default_factory=list)
    low_credibility: list[dict[str, Any]] = field(default_factory=list)
    reference_conflicts: list[dict[str, Any]] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Assessment:
    period: Period
    previous: Period
    generated_at: datetime
    overall: AreaSection
    areas: list[AreaSection]
    pairs: list[PairRow]
    engagements: list[Engagement]
    caveats: Caveats
    documents: int
    outlets: int
    previous_covered: bool  # the store holds events of the previous period

    @property
    def summary(self) -> str:
        """One line: the period, activity, change and what is flagged."""
        o = self.overall
        change = {"up": "up", "down": "down"}.get(o.change.direction, "no significant change")
        return (
            f"{self.period.label}: {o.current.events} events (weighted {o.current.weighted:.1f}) "
            f"in {self.documents} documents; {change} against {self.previous.label}; "
            f"{_count(len(self.caveats.reference_conflicts), 'reference conflict')}, "
            f"{_count(len(self.caveats.disagreements), 'disagreement')}"
        )

    @property
    def active_areas(self) -> list[AreaSection]:
        return [a for a in self.areas if a.current.events or a.previous.events]

    @property
    def method(self) -> list[str]:
        return METHOD


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def signed(value: float | None) -> str:
    """A tone as +1.5 / -3.0 / 0.0, and a dash for none."""
    if value is None:
        return "—"
    return "0.0" if abs(value) < 0.05 else f"{value:+.1f}"


METHOD = [
    "Events are PLOVER-coded by pactwatch from the stored news documents; copies of one story "
    "are stored once and never counted. Only factual events count (not future, hypothetical "
    "or negated ones). An event's day is its own date, else its document's publication day.",
    "Weighted counts sum each event's credibility (0 to 1: extraction confidence, the "
    "document's flags, corroboration by independent sources and analysts' overrides), so a "
    "doubtful report weighs less.",
    "Tone is the mean PLOVER score of the events (from -10, an assault, to +10, aid); quad "
    "classes are verbal and material cooperation and conflict.",
    "Change against the previous period: a Poisson test of the weighted count, expecting the "
    "previous period's weighted count scaled to this period's length; a change is reported "
    "when its one-sided tail probability is below 0.01 with at least 3 events (a rise) or 3 "
    "expected (a fall). See docs/indicators.md.",
    "Caveats list the flags raised on the documents behind these events, the least credible "
    "documents, statements of office holders that contradict the reference data, and stories "
    "on which sources disagree. Counts are only as complete as the sources ingested.",
]


def _in_period(start: date, end: date) -> Any:
    return or_(
        and_(events.c.date >= start, events.c.date <= end),
        and_(
            events.c.date.is_(None),
            documents.c.published >= datetime.combine(start, time.min, UTC),
            documents.c.published < datetime.combine(end + timedelta(days=1), time.min, UTC),
        ),
    )


def _period_documents(period: Period) -> Select[Any]:
    return (
        select(events.c.document_id)
        .join(documents, documents.c.id == events.c.document_id)
        .where(documents.c.status != "duplicate", _in_period(period.start, period.end))
        .distinct()
    )


def _section(
    name: str, weeks: dict[date, WeekStats], before: dict[date, WeekStats], expected: float | None
) -> AreaSection:
    mondays = sorted(weeks)
    current, previous = totals(weeks.values()), totals(before.values())
    return AreaSection(
        name,
        area_title(name) if name != "*" else "All areas",
        area_descriptions().get(name, "Every event, whatever its area."),
        current,
        previous,
        compare(current.weighted, current.events, expected, ChangeTest()),
        [weeks[m] for m in mondays],
    )


def build_assessment(engine: Engine, period: str) -> Assessment:
    """Everything the assessment of ``period`` says, read from the store."""
    this = parse_period(period)
    before = this.previous()
    mondays = week_mondays(this.start, this.end)
    scale = this.days / before.days

    def filled(cut: dict[date, WeekStats] | None) -> dict[date, WeekStats]:
        cut = cut or {}
        return {m: cut.get(m, WeekStats(m)) for m in mondays}

    now_all = weekly_stats(engine, this.start, this.end).get((None, None))
    before_all = weekly_stats(engine, before.start, before.end).get((None, None)) or {}
    covered = _covered_before(engine, this.start)

    def expected(previous: dict[date, WeekStats]) -> float | None:
        return totals(previous.values()).weighted * scale if covered else None

    overall = _section("*", filled(now_all), before_all, expected(before_all))
    by_area = weekly_stats(engine, this.start, this.end, by_area=True)
    by_area_before = weekly_stats(engine, before.start, before.end, by_area=True)
    names = list(area_descriptions()) + sorted(
        {a for a, _ in by_area if a and a not in area_descriptions()}
    )
    areas = [
        _section(
            name,
            filled(by_area.get((name, None))),
            by_area_before.get((name, None)) or {},
            expected(by_area_before.get((name, None)) or {}),
        )
        for name in names
    ]
    pairs = [
        PairRow(pair_label(pair), totals(weeks.values()))
        for (_a, pair), weeks in weekly_stats(engine, this.start, this.end, by_pair=True).items()
    ]
    pairs.sort(key=lambda p: (-p.stats.events, p.pair))
    with engine.connect() as conn:
        counts = conn.execute(
            select(func.count(), func.count(func.distinct(documents.c.outlet))).where(
                documents.c.id.in_(_period_documents(this))
            )
        ).one()
    return Assessment(
        this,
        before,
        datetime.now(UTC),
        overall,
        areas,
        pairs[:10],
        _engagements(engine, this),
        _caveats(engine, this),
        int(counts[0]),
        int(counts[1]),
        covered,
    )


def _covered_before(engine: Engine, start: date) -> bool:
    """Whether the store has any dated event before ``start`` (else no baseline)."""
    with engine.connect() as conn:
        return conn.scalar(select(events.c.id).where(events.c.date < start).limit(1)) is not None


def _names(parties: Any) -> list[str]:
    return [str(p.get("entity_name") or p.get("raw_text") or "?") for p in parties or []]


def _engagements(engine: Engine, period: Period, limit: int = 10) -> list[Engagement]:
    query = (
        select(
            events, documents.c.outlet, documents.c.title, documents.c.url, documents.c.published
        )
        .join(documents, documents.c.id == events.c.document_id)
        .where(
            documents.c.status != "duplicate",
            events.c.event.in_(ENGAGEMENT_TYPES),
            events.c.modality.in_(COUNTED_MODALITIES),
            _in_period(period.start, period.end),
        )
        .order_by(events.c.credibility.desc().nulls_last(), events.c.date, events.c.id)
    )
    chosen: dict[str, Engagement] = {}
    with engine.connect() as conn:
        for r in conn.execute(query):
            cluster = r.cluster_id or r.id
            if cluster in chosen:
                first = chosen[cluster]
                chosen[cluster] = Engagement(**{**_fields(first), "reports": first.reports + 1})
                continue
            if len(chosen) >= limit * 3:
                continue
            chosen[cluster] = Engagement(
                r.id,
                r.event,
                r.date or (r.published.date() if r.published else None),
                _names(r.actor),
                _names(r.recipient),
                list(r.areas or []),
                r.credibility,
                r.outlet,
                r.title,
                r.url,
                r.event_text,
                1,
            )
    return list(chosen.values())[:limit]


def _fields(e: Engagement) -> dict[str, Any]:
    return {name: getattr(e, name) for name in Engagement.__slots__}


def _caveats(engine: Engine, period: Period) -> Caveats:
    docs = _period_documents(period)
    found = Caveats()
    with engine.connect() as conn:
        found.flag_counts = [
            (r.kind, r.severity, int(r.n))
            for r in conn.execute(
                select(flags.c.kind, flags.c.severity, func.count().label("n"))
                .where(flags.c.document_id.in_(docs), flags.c.resolved.is_(False))
                .group_by(flags.c.kind, flags.c.severity)
                .order_by(func.count().desc(), flags.c.kind)
            )
        ]
        found.low_credibility = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    documents.c.id,
                    documents.c.title,
                    documents.c.outlet,
                    documents.c.credibility,
                    documents.c.credibility_reasons,
                )
                .where(documents.c.id.in_(docs), documents.c.credibility < LOW_CREDIBILITY)
                .order_by(documents.c.credibility, documents.c.id)
                .limit(8)
            )
        ]
        found.reference_conflicts = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    office_claims.c.person,
                    office_claims.c.role_text,
                    office_claims.c.record,
                    office_claims.c.on_date,
                    documents.c.title,
                    documents.c.outlet,
                )
                .join(documents, documents.c.id == office_claims.c.document_id)
                .where(office_claims.c.document_id.in_(docs), office_claims.c.verdict == "conflict")
                .order_by(office_claims.c.on_date, office_claims.c.id)
            )
        ]
        found.disagreements = [
            dict(r._mapping)
            for r in conn.execute(
                select(flags.c.kind, flags.c.explanation, documents.c.title, documents.c.outlet)
                .join(documents, documents.c.id == flags.c.document_id)
                .where(
                    flags.c.document_id.in_(docs),
                    flags.c.kind.in_(DISAGREEMENT_FLAGS),
                    flags.c.resolved.is_(False),
                )
                .order_by(flags.c.id)
                .limit(12)
            )
        ]
    return found


# --- HTML ---------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["quad_classes"] = QUAD_CLASSES
    env.filters["signed"] = signed
    return env


def render_html(a: Assessment) -> str:
    """The assessment as one self-contained HTML page (inline CSS and SVG, no links out)."""
    charts = {
        s.name: Markup(report_charts.weekly_svg(s.weekly))  # noqa: S704 - our own SVG, labels escaped
        for s in [a.overall, *a.active_areas]
    }
    comparison = Markup(report_charts.comparison_svg(a))  # noqa: S704 - as above
    return (
        _environment()
        .get_template("assessment.html")
        .render(a=a, charts=charts, comparison=comparison, tone_colour=report_charts.tone_colour)
    )


def assessment_csp(html: str) -> str:
    """The Content-Security-Policy to serve a rendered assessment with: its one ``<style>``
    block allowed by hash (the page has no style attributes), no scripts, nothing fetched.
    The dashboard's default ``default-src 'self'`` would drop the page's styling."""
    match = re.search(r"<style>(.*?)</style>", html, re.S)
    styles = ""
    if match:
        digest = base64.b64encode(hashlib.sha256(match[1].encode()).digest()).decode()
        styles = f" style-src 'sha256-{digest}';"
    return (
        f"default-src 'none';{styles} img-src data:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self'"
    )


def render_pdf(a: Assessment, path: Path) -> Path:
    """The assessment as a PDF file (fpdf2; no browser). Returns ``path``."""
    from pactwatch.analysis.report_pdf import write_pdf

    return write_pdf(a, path)
