"""Everything pactwatch prints for people: progress bars, run summaries, status and brief.

Progress and per-item problems go to stderr; results (summaries, briefs) to stdout, so
``pactwatch brief > brief.txt`` keeps only the brief.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    # For annotations only: importing them here would load spaCy and the ingest
    # machinery on every command, `pactwatch --help` included.
    from pactwatch.evaluate import EvalReport
    from pactwatch.ingest import IngestSummary
    from pactwatch.models import Dropped
    from pactwatch.store.queries import Brief, StoreStatus

out = Console()
err = Console(stderr=True, soft_wrap=True)  # one problem, one line, however long


class RateColumn(ProgressColumn):
    """Items per second, the figure people compare between runs."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f}/s", style="progress.data.speed")


class RichProgressHandle:
    """A live progress bar with count, rate and ETA on stderr."""

    def __init__(self, description: str, total: int | None) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err,
        )
        self.task = self.progress.add_task(description, total=total)
        self.progress.start()

    def advance(self) -> None:
        self.progress.advance(self.task)

    def close(self) -> None:
        self.progress.stop()


def rich_progress(description: str, total: int | None) -> RichProgressHandle:
    return RichProgressHandle(description, total)


def report_dropped(item: Dropped) -> None:
    err.print(Text(f"skipped {item.line()} [{item.reason}]", style="yellow"))


def print_summary(title: str, summary: IngestSummary) -> None:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("items read", str(summary.items))
    table.add_row("new documents stored", str(summary.stored))
    table.add_row("near copies linked to a stored story", str(summary.near_duplicates))
    table.add_row("exact copies linked to a stored story", str(summary.exact_duplicates))
    table.add_row("already in the store (nothing added)", str(summary.unchanged))
    table.add_row("stray lines removed (recorded)", str(summary.lines_removed))
    table.add_row("spacing repairs (recorded)", str(summary.repairs))
    table.add_row("undated documents", str(summary.undated))
    table.add_row("documents run through extraction", str(summary.processed))
    table.add_row("dropped", str(summary.dropped_total))
    for reason, count in sorted(summary.dropped.items()):
        table.add_row(f"  dropped: {reason}", str(count))
    out.print(table)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def print_status(status: StoreStatus, database: str) -> None:
    table = Table(title=f"pactwatch store: {database}", show_header=False, title_justify="left")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents (first copies)", str(status.first_copies))
    table.add_row("near copies", str(status.near_copies))
    table.add_row("exact copies", str(status.exact_copies))
    table.add_row("undated documents", str(status.undated))
    for kind, count in sorted(status.sources_by_kind.items()):
        table.add_row(f"sources: {kind}", str(count))
    table.add_row("removed lines", str(status.removed_lines))
    table.add_row("events", str(status.events))
    table.add_row("flags", str(status.flags))
    out.print(table)
    if status.runs:
        runs = Table(title="Last runs", title_justify="left")
        for column in ("run", "command", "started", "finished", "status", "stored", "dropped"):
            runs.add_column(column)
        for run in status.runs:
            dropped = run.counts.get("dropped", {})
            runs.add_row(
                str(run.id),
                run.command,
                _when(run.started_at),
                _when(run.finished_at),
                run.status,
                str(run.counts.get("stored", "-")),
                str(sum(dropped.values())) if isinstance(dropped, dict) else "-",
            )
        out.print(runs)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _bar(count: int, most: int, width: int = 30) -> str:
    return "█" * max(1, round(width * count / most)) if most else ""


def print_brief(b: Brief) -> None:
    s = b.status
    out.rule("[bold]pactwatch brief")
    span = f"{_when(b.first_date)[:10]} to {_when(b.last_date)[:10]}" if b.first_date else "-"
    out.print(
        f"{s.first_copies} documents from {len(b.per_outlet)} outlets, published {span}; "
        f"{_plural(s.near_copies + s.exact_copies, 'further copy', 'further copies')} "
        "of stored stories; "
        f"{s.undated} undated."
    )
    if b.per_month:
        table = Table(title="Documents per month", title_justify="left", show_header=False)
        table.add_column("month")
        table.add_column("count", justify="right")
        table.add_column("")
        most = max(n for _, n in b.per_month)
        for month, n in b.per_month:
            table.add_row(month, str(n), Text(_bar(n, most), style="cyan"))
        out.print(table)
    if b.per_outlet:
        table = Table(title="Outlets", title_justify="left")
        table.add_column("outlet")
        table.add_column("documents", justify="right")
        for outlet, n in b.per_outlet:
            table.add_row(outlet, str(n))
        out.print(table)
    if b.events_by_type:
        table = Table(title="Events by PLOVER type", title_justify="left")
        table.add_column("event")
        table.add_column("all", justify="right")
        table.add_column("factual", justify="right")
        table.add_column("")
        most = max(n for _, n, _ in b.events_by_type)
        for kind, n, factual in b.events_by_type:
            table.add_row(kind, str(n), str(factual), Text(_bar(n, most, 20), style="magenta"))
        out.print(table)
    if b.areas:
        table = Table(title="Cooperation areas (events and documents)", title_justify="left")
        table.add_column("area")
        table.add_column("count", justify="right")
        table.add_column("")
        most = max(n for _, n in b.areas)
        for area, n in b.areas:
            table.add_row(area.replace("_", " "), str(n), Text(_bar(n, most, 20), style="green"))
        out.print(table)
    if b.top_actors:
        names = ", ".join(f"{name} ({country or '-'}): {n}" for name, country, n in b.top_actors)
        out.print(f"[bold]Most active actors[/bold] (events): {names}")
    print_check_summary(b)
    if b.stories_with_copies:
        out.print("[bold]Stories carried by more than one source[/bold] (counted once)")
        for story in b.stories_with_copies:
            out.print(f"  • {story.title or story.document_id[:12]} ({story.outlet or '?'})")
            for kind, where, similarity in story.copies:
                out.print(f"      {kind} copy: {where} (similarity {similarity:.2f})")
    if b.undated_titles:
        out.print("[bold]Undated documents[/bold] (no date in metadata or text)")
        for title in b.undated_titles:
            out.print(f"  • {title}")
    if b.removed_by_reason:
        reasons = ", ".join(f"{r}: {n}" for r, n in sorted(b.removed_by_reason.items()))
        out.print(f"[bold]Text removed in cleaning[/bold], kept with reasons: {reasons}")
    if b.dropped_last_run:
        reasons = ", ".join(f"{r}: {n}" for r, n in sorted(b.dropped_last_run.items()))
        out.print(f"[bold yellow]Dropped in the last run[/bold yellow]: {reasons}")
    if b.latest:
        table = Table(title="Latest documents", title_justify="left")
        table.add_column("published")
        table.add_column("outlet")
        table.add_column("title")
        for published, where, headline in b.latest:
            table.add_row(_when(published)[:10], where or "-", headline or "-")
        out.print(table)


def print_check_summary(b: Brief) -> None:
    """The checks' part of the brief: flags by kind, serious ones, least credible stories."""
    if b.flag_counts:
        table = Table(title="Flags (pactwatch flags lists them)", title_justify="left")
        table.add_column("kind")
        table.add_column("severity")
        table.add_column("flags", justify="right")
        table.add_column("documents", justify="right")
        for kind, severity, n, docs in b.flag_counts:
            table.add_row(kind, severity, str(n), str(docs))
        out.print(table)
    if b.serious_flags:
        out.print("[bold red]Serious flags[/bold red]")
        for kind, title, why in b.serious_flags:
            out.print(f"  • {escape(title)} [dim]({kind})[/dim]: {escape(why)}")
    if b.least_credible:
        out.print("[bold]Least credible documents[/bold] (pactwatch credibility show ID)")
        for title, score, why in b.least_credible:
            out.print(f"  • {score:.2f} {escape(title)}" + (f": {escape(why)}" if why else ""))


def print_eval(report: EvalReport, gold: str) -> None:
    table = Table(
        title=f"Extraction scores on {gold} ({report.sentences} sentences)", title_justify="left"
    )
    for column in ("field", "precision", "recall", "F1", "gold", "predicted"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for name, score in report.fields.items():
        table.add_row(
            name,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.gold),
            str(score.predicted),
        )
    out.print(table)
    out.print(f"event type macro-F1: [bold]{report.event_macro_f1:.3f}[/bold]")
    per_type = Table(title="Per event type", title_justify="left")
    for column in ("event", "precision", "recall", "F1", "gold"):
        per_type.add_column(column, justify="left" if column == "event" else "right")
    for name, score in sorted(report.per_event_type.items()):
        per_type.add_row(
            name,
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
            str(score.gold),
        )
    out.print(per_type)
