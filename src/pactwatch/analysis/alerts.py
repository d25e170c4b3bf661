"""Alerts: the rules evaluated over the store, stored once per condition, then delivered.

``evaluate_alerts`` runs every rule (``analysis/alert_rules.py``) and stores the alerts
whose ``dedup_key`` is new, so the same condition never alerts twice however often it is
run. ``run_alerts`` evaluates and delivers (``analysis/alert_delivery.py``: console, JSON
Lines file, webhook). ``after_ingest`` is what an ingest calls at its end: nothing in it
can fail the ingest; a problem is one line on stderr.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from pactwatch import console
from pactwatch.analysis.alert_delivery import Delivery, deliver_alerts
from pactwatch.analysis.alert_rules import (
    BaselineRule,
    OfficeConflictRule,
    SilentAreaRule,
    load_rules,
    rules_path,
)
from pactwatch.analysis.indicators import (
    QUAD_CLASSES,
    ChangeTest,
    indicator_series,
    pair_label,
    week_key,
    week_monday,
    weekly_stats,
)
from pactwatch.errors import PactwatchError
from pactwatch.settings import Settings
from pactwatch.store.schema import alerts as alerts_table
from pactwatch.store.schema import documents, office_claims

SILENCE_LOOKBACK_WEEKS = 52


@dataclass(slots=True)
class Alert:
    """One alert: what fired, why, and (once delivered) how each channel fared."""

    rule: str
    severity: str
    message: str
    details: dict[str, Any]
    dedup_key: str
    fired_at: datetime
    id: int | None = None
    deliveries: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "details": self.details,
            "dedup_key": self.dedup_key,
            "fired_at": self.fired_at.isoformat(),
            "deliveries": self.deliveries,
        }


def _key(*parts: str) -> str:
    """A dedup key: readable when it fits the column, hashed past the rule name when not."""
    key = ":".join(parts)
    if len(key) <= 128:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{parts[0]}:{digest}"


# --- the rules ----------------------------------------------------------------------


def _baseline(engine: Engine, rule: BaselineRule, now: datetime) -> list[Alert]:
    pair = rule.parsed_pair
    series = indicator_series(
        engine,
        now.date(),
        weeks=rule.weeks_back + 1,
        by_pair=pair is None,
        pair=pair,
        area=rule.area,
        quad=rule.quad_class,
        baseline_weeks=rule.baseline_weeks,
        test=ChangeTest(alpha=rule.alpha, min_count=rule.min_count),
    )
    found = []
    for cut in series:
        for week in cut.weeks:
            change = week.change
            if change.direction != "up":
                continue
            what = QUAD_CLASSES[rule.quad_class] + " events" if rule.quad_class else "events"
            where = pair_label(cut.pair) + (f", {rule.area}" if rule.area else "")
            message = (
                f"{where}: {change.events} {what} in {week.stats.week} (weighted "
                f"{change.observed:.1f}) against a baseline of {change.baseline_mean or 0:.1f} "
                f"a week (p = {change.p_up:.2g})"
            )
            details = {
                "description": rule.description,
                "week": week.stats.week,
                "week_start": week.stats.monday.isoformat(),
                "pair": pair_label(cut.pair) if cut.pair else None,
                "area": rule.area,
                "quad_class": rule.quad_class,
                "events": change.events,
                "weighted": round(change.observed, 3),
                "baseline_mean": round(change.baseline_mean or 0.0, 3),
                "expected": round(change.expected, 3),
                "p_value": change.p_up,
                "baseline_weeks": rule.baseline_weeks,
            }
            key = _key(rule.name, rule.area or "*", pair_label(cut.pair), week.stats.week)
            found.append(Alert(rule.name, rule.severity, message, details, key, now))
    return found


def _office_conflicts(engine: Engine, rule: OfficeConflictRule, now: datetime) -> list[Alert]:
    query = (
        select(office_claims, documents.c.title, documents.c.outlet, documents.c.url)
        .join(documents, documents.c.id == office_claims.c.document_id)
        .where(office_claims.c.verdict == "conflict", office_claims.c.on_date <= now.date())
        .order_by(office_claims.c.on_date, office_claims.c.id)
    )
    found: dict[str, Alert] = {}
    with engine.connect() as conn:
        for claim in conn.execute(query):
            office = claim.office or claim.role_text
            key = _key(rule.name, claim.person.casefold(), office.casefold())
            if key in found:
                continue  # the first statement of this person in this office is the news
            source = f"“{claim.title}”" if claim.title else "a document"
            if claim.outlet:
                source += f" ({claim.outlet})"
            message = (
                f"{claim.person} is named {claim.role_text} in {source} on "
                f"{claim.on_date.isoformat()}; the reference data gives the office to "
                f"{claim.record or 'someone else'}"
            )
            details = {
                "description": rule.description,
                "person": claim.person,
                "role_text": claim.role_text,
                "office": claim.office,
                "on_date": claim.on_date.isoformat(),
                "record": claim.record,
                "document_id": claim.document_id,
                "title": claim.title,
                "url": claim.url,
            }
            found[key] = Alert(rule.name, rule.severity, message, details, key, now)
    return list(found.values())


def _silent_areas(engine: Engine, rule: SilentAreaRule, now: datetime) -> list[Alert]:
    current = week_monday(now.date())
    quiet_from = current - timedelta(weeks=rule.weeks)  # these full weeks must be empty
    since = quiet_from - timedelta(weeks=SILENCE_LOOKBACK_WEEKS)
    cuts = weekly_stats(engine, since, current - timedelta(days=1), by_area=True)
    last_week: dict[str, date] = {}
    for (area, _pair), per_week in cuts.items():
        if area is not None and per_week:
            last_week[area] = max(per_week)
    watched = rule.areas or sorted(last_week)
    found = []
    for area in watched:
        last = last_week.get(area)
        if last is not None and last >= quiet_from:
            continue
        if last is None and not rule.areas:
            continue
        since_text = f"last in {week_key(last)}" if last else "none in the year before"
        message = f"{area}: no events in the {rule.weeks} full weeks to {now.date()} ({since_text})"
        details = {
            "description": rule.description,
            "area": area,
            "weeks": rule.weeks,
            "last_week": week_key(last) if last else None,
            "last_week_start": last.isoformat() if last else None,
        }
        key = _key(rule.name, area, week_key(last) if last else "none")
        found.append(Alert(rule.name, rule.severity, message, details, key, now))
    return found


# --- evaluation, storage, delivery --------------------------------------------------


def evaluate_alerts(engine: Engine, settings: Settings, now: datetime | None = None) -> list[Alert]:
    """Run every rule as of ``now`` and store the alerts not stored before; return those."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)  # the store keeps aware times only
    fired: list[Alert] = []
    for rule in load_rules(rules_path(settings.alert_rules)):
        if isinstance(rule, BaselineRule):
            fired += _baseline(engine, rule, now)
        elif isinstance(rule, OfficeConflictRule):
            fired += _office_conflicts(engine, rule, now)
        else:
            fired += _silent_areas(engine, rule, now)
    return _store_new(engine, fired)


def _store_new(engine: Engine, fired: list[Alert]) -> list[Alert]:
    keys = {a.dedup_key for a in fired}
    with engine.connect() as conn:
        known = set(
            conn.scalars(select(alerts_table.c.dedup_key).where(alerts_table.c.dedup_key.in_(keys)))
        )
    stored = []
    for alert in fired:
        if alert.dedup_key in known:
            continue
        known.add(alert.dedup_key)
        try:
            with engine.begin() as conn:  # one alert a transaction: a race loses one row
                result = conn.execute(
                    insert(alerts_table).values(
                        rule=alert.rule,
                        fired_at=alert.fired_at,
                        severity=alert.severity,
                        message=alert.message,
                        details=alert.details,
                        dedup_key=alert.dedup_key,
                        deliveries={},
                    )
                )
        except IntegrityError:
            continue  # another run stored the same condition first
        key = result.inserted_primary_key
        alert.id = int(key[0]) if key is not None else None
        stored.append(alert)
    return stored


def run_alerts(
    engine: Engine,
    settings: Settings,
    now: datetime | None = None,
    delivery: Delivery | None = None,
) -> list[Alert]:
    """Evaluate the rules, store the new alerts and deliver them to every channel."""
    fired = evaluate_alerts(engine, settings, now)
    deliver_alerts(fired, engine, settings, delivery or Delivery())
    return fired


def after_ingest(engine: Engine, settings: Settings) -> list[Alert]:
    """The alerts of an ingest's end. Never raises: a bad rules file or a store error is
    one line on stderr and no alerts; a webhook failure is recorded in the alert."""
    try:
        return run_alerts(engine, settings)
    except (PactwatchError, SQLAlchemyError, OSError) as error:
        console.err.print(f"[yellow]alerts not evaluated:[/yellow] {error}")
        return []


def list_alerts(engine: Engine, limit: int = 50, offset: int = 0) -> tuple[list[Alert], int]:
    """Stored alerts, newest first, and how many there are (for the page and the API)."""
    with engine.connect() as conn:
        total = int(conn.scalar(select(func.count()).select_from(alerts_table)) or 0)
        rows = conn.execute(
            select(alerts_table)
            .order_by(alerts_table.c.fired_at.desc(), alerts_table.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    return [
        Alert(
            r.rule,
            r.severity,
            r.message,
            dict(r.details or {}),
            r.dedup_key,
            r.fired_at,
            r.id,
            dict(r.deliveries or {}),
        )
        for r in rows
    ], total
