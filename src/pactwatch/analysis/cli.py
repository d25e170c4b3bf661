"""Commands of the analysis: ``report``, ``alerts run|list`` and ``indicators``.

Mounted by ``pactwatch.cli``:

    app.command("report")(report_command)
    app.command("indicators")(indicators_command)
    app.add_typer(alerts_app, name="alerts")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine

from pactwatch import console
from pactwatch.cli_common import current_settings, open_engine, user_errors
from pactwatch.errors import InputError
from pactwatch.settings import Settings

alerts_app = typer.Typer(
    help="Alert rules over the store: evaluate them now, or list the alerts fired.",
    no_args_is_help=True,
)

_BARS = " ▁▂▃▄▅▆▇█"


@contextmanager
def _store(settings: Settings) -> Iterator[Engine]:
    """The store for one command, closed after it (no pooled connection left open)."""
    engine = open_engine(settings)
    try:
        yield engine
    finally:
        engine.dispose()


def _as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of {value!r}: give a date as YYYY-MM-DD") from None
    return datetime.combine(day, time(23, 59, 59), UTC)


def report_command(
    period: Annotated[
        str, typer.Option("--period", help="A year (2025), quarter (2025-Q1) or month (2025-03).")
    ],
    fmt: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write; default assessment-PERIOD.html|pdf."),
    ] = None,
) -> None:
    """Write the assessment of a period: activity and tone per cooperation area with charts,
    notable engagements, changes against the previous period, flags and caveats.

      pactwatch report --period 2025-Q1 --format pdf
    """
    from pactwatch.analysis.report import build_assessment, render_html, render_pdf

    settings = current_settings()
    with user_errors():
        if fmt not in ("html", "pdf"):
            raise InputError(f"--format {fmt!r}: give html or pdf")
        with _store(settings) as engine:
            assessment = build_assessment(engine, period)
        path = output or Path(f"assessment-{assessment.period.label}.{fmt}")
        if fmt == "pdf":
            render_pdf(assessment, path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_html(assessment), encoding="utf-8")
    console.out.print(f"wrote {escape(str(path))}")
    console.out.print(escape(assessment.summary))


@alerts_app.command("run")
def alerts_run(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Evaluate as of this day (YYYY-MM-DD); default now."),
    ] = None,
) -> None:
    """Evaluate the alert rules now, store the new alerts and deliver them."""
    from pactwatch.analysis.alert_delivery import alert_log_path
    from pactwatch.analysis.alerts import run_alerts

    settings = current_settings()
    with user_errors(), _store(settings) as engine:
        fired = run_alerts(engine, settings, _as_of(as_of))
    where = [str(alert_log_path(settings))] + (["webhook"] if settings.webhook_url else [])
    console.out.print(f"{len(fired)} new alert(s); delivered to the console, {', '.join(where)}")


@alerts_app.command("list")
def alerts_list(
    limit: Annotated[int, typer.Option("--limit", min=1, help="Alerts to show.")] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
) -> None:
    """The alerts fired, newest first, with how each delivery went."""
    from pactwatch.analysis.alerts import list_alerts

    settings = current_settings()
    with user_errors(), _store(settings) as engine:
        rows, total = list_alerts(engine, limit, offset)
    table = Table(title=f"alerts {offset + 1 if rows else 0}-{offset + len(rows)} of {total}")
    for column in ("id", "fired", "severity", "rule", "message", "delivered"):
        table.add_column(column)
    for a in rows:
        delivered = " ".join(
            f"{channel}:{'ok' if outcome.get('ok') else 'failed'}"
            for channel, outcome in a.deliveries.items()
        )
        table.add_row(
            str(a.id),
            f"{a.fired_at:%Y-%m-%d %H:%M}",
            a.severity,
            escape(a.rule),
            escape(a.message),
            delivered,
        )
    console.out.print(table)


def _bars(values: list[float]) -> str:
    peak = max(values, default=0.0)
    if peak <= 0:
        return "·" * len(values)
    return "".join(_BARS[max(1, min(8, round(8 * v / peak)))] if v > 0 else "·" for v in values)


def indicators_command(
    area: Annotated[str | None, typer.Option("--area", help="One cooperation area.")] = None,
    pair: Annotated[
        str | None, typer.Option("--pair", help="A pair of countries, as XKX-SRB.")
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=156, help="Weeks shown.")] = 12,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Last day shown (YYYY-MM-DD); default the latest data."),
    ] = None,
) -> None:
    """Weekly indicators: events, credibility-weighted events, tone and the change test
    of the latest week against its 8-week baseline.

      pactwatch indicators --pair XKX-SRB --weeks 26
    """
    from pactwatch.analysis.indicators import (
        indicator_series,
        latest_day,
        pair_label,
        parse_pair,
    )
    from pactwatch.analysis.report import signed

    settings = current_settings()
    with user_errors(), _store(settings) as engine:
        end = _as_of(as_of)
        last = end.date() if end else latest_day(engine)
        if last is None:
            console.out.print("no dated events in the store yet")
            return
        pair_codes = parse_pair(pair) if pair else None
        # The cut asked for first, then its breakdown: per area, else per pair.
        series = indicator_series(engine, last, weeks, area=area, pair=pair_codes)
        if area is None or pair_codes is None:
            series += indicator_series(
                engine,
                last,
                weeks,
                by_area=area is None,
                by_pair=area is not None,
                area=area,
                pair=pair_codes,
            )
    table = Table(title=f"indicators, {weeks} weeks to {last} (weighted events a week)")
    table.add_column("area · pair", overflow="fold", min_width=20)
    table.add_column("per week", no_wrap=True)
    for column in ("events", "wtd", "tone", "last wk", "base", "p rise"):
        table.add_column(column, justify="right", no_wrap=True)
    table.add_column("change", no_wrap=True)
    for s in series[:25]:
        latest = s.weeks[-1]
        c = latest.change
        colour = {"up": "red", "down": "cyan"}.get(c.direction, "white")
        scored = sum(w.stats.scored for w in s.weeks)
        tone = sum(w.stats.score_sum for w in s.weeks) / scored if scored else None
        table.add_row(
            escape(f"{s.area or 'all areas'} · {pair_label(s.pair)}"),
            _bars([w.stats.weighted for w in s.weeks]),
            str(s.total_events),
            f"{sum(w.stats.weighted for w in s.weeks):.1f}",
            signed(tone),
            f"{latest.stats.weighted:.1f}",
            "—" if c.baseline_mean is None else f"{c.baseline_mean:.2f}",
            "—" if c.direction == "untested" else f"{c.p_up:.2g}",
            f"[{colour}]{c.direction}[/{colour}]",
        )
    console.out.print(table)
    if len(series) > 25:
        console.out.print(f"{len(series) - 25} more rows; narrow with --area or --pair")
