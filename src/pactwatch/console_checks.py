"""What the checking commands print: a document's flags, claims and credibility
(``pactwatch check``), the flag list (``pactwatch flags``) and a score's reasons
(``pactwatch credibility show``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from pactwatch.console import out

if TYPE_CHECKING:
    from pactwatch.models import Document
    from pactwatch.store.flag_queries import FlagRow
    from pactwatch.verify.check import DocumentCheck
    from pactwatch.verify.credibility import Credibility
    from pactwatch.verify.flag_eval import FlagReport

SEVERITY_STYLE = {"serious": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {"conflict": "bold red", "match": "green", "unknown": "dim"}


def _score_style(score: float | None) -> str:
    if score is None:
        return "dim"
    return "red" if score < 0.3 else "yellow" if score < 0.6 else "green"


def _score(score: float | None) -> str:
    text = "—" if score is None else f"{score:.2f}"
    return f"[{_score_style(score)}]{text}[/]"


def _reasons(reasons: list[dict[str, Any]], indent: str = "  ") -> None:
    for r in reasons:
        weight = float(r.get("weight") or 0.0)
        sign = f"{weight:+.1f}" if weight else "    "
        out.print(f"{indent}{sign}  {escape(str(r.get('text', '')))}")


def _evidence_line(e: dict[str, Any]) -> str:
    where = f"line {e['line']}: " if e.get("line") else ""
    source = f" [dim]({escape(str(e['source']))})[/dim]" if e.get("source") else ""
    text = str(e.get("text", "")).replace("\n", " ")
    if len(text) > 110:
        text = text[:107] + "..."
    return f"{where}“{escape(text)}”{source}"


def print_check(document: Document, check: DocumentCheck, events: dict[str, str]) -> None:
    """One document's flags with their evidence, its office claims and its credibility."""
    title = document.title or document.origin
    out.rule(f"[bold]{escape(title)}[/bold]")
    published = document.published.date().isoformat() if document.published else "undated"
    out.print(f"{escape(document.origin)} · {published} · id {document.id[:12]}")
    if not check.flags:
        out.print("[green]No flags.[/green]")
    for flag in check.flags:
        style = SEVERITY_STYLE.get(flag.severity, "")
        about = (
            f" [dim](event {events.get(flag.event_id, flag.event_id[:8])})[/dim]"
            if (flag.event_id)
            else ""
        )
        out.print(f"[{style}]{flag.severity.upper():8}[/] [bold]{flag.kind}[/bold]{about}")
        out.print(f"         {escape(flag.explanation)}")
        for e in flag.evidence[:6]:
            out.print(f"         · {_evidence_line(e.as_json())}")
        if len(flag.evidence) > 6:
            out.print(f"         · ... and {len(flag.evidence) - 6} more")
    if check.claims:
        table = Table(title="Office claims checked against the reference", title_justify="left")
        for column in ("person", "stated office", "checked on", "verdict", "record"):
            table.add_column(column)
        for c in check.claims:
            basis = "" if c.date_basis == "published" else " (ingested)"
            style = VERDICT_STYLE.get(c.verdict, "")
            table.add_row(
                escape(c.person),
                escape(c.role_text),
                f"{c.on_date.isoformat()}{basis}",
                f"[{style}]{c.verdict}[/]",
                escape(c.record or ""),
            )
        out.print(table)
    print_credibility("Document credibility", check.credibility)
    for eid, score in check.events.items():
        out.print(f"  event {escape(events.get(eid, eid[:8]))}: {_score(score.score)}")


def print_credibility(label: str, credibility: Credibility) -> None:
    out.print(f"[bold]{label}:[/bold] {_score(credibility.score)}")
    _reasons([r.as_json() for r in credibility.reasons])


def print_flags(rows: list[FlagRow], total: int, offset: int) -> None:
    if not rows:
        out.print("No flags match." if total == 0 else f"No flags on this page ({total} match).")
        return
    table = Table(show_lines=False)
    table.add_column("id", justify="right")
    table.add_column("severity")
    table.add_column("kind", no_wrap=True)
    table.add_column("document")
    table.add_column("explanation", ratio=3)
    for r in rows:
        when = r.published.date().isoformat() if r.published else "undated"
        name = escape(r.title or r.origin or "")[:50]
        doc = f"{name}\n[dim]{when} · {(r.document_id or '')[:10]}[/dim]"
        table.add_row(
            str(r.id),
            f"[{SEVERITY_STYLE.get(r.severity, '')}]{r.severity}[/]",
            r.kind,
            doc,
            escape(r.explanation),
        )
    out.print(table)
    shown_to = offset + len(rows)
    more = f"; next page: --offset {shown_to}" if shown_to < total else ""
    out.print(f"{offset + 1}-{shown_to} of {total} flags{more}")


def print_credibility_detail(detail: dict[str, Any]) -> None:
    out.print(f"[bold]{detail['kind']}[/bold] {detail['id']}")
    out.print(f"  {escape(str(detail['label'])[:160])}")
    out.print(f"[bold]Credibility:[/bold] {_score(detail['credibility'])}")
    _reasons(detail["reasons"])
    if detail["flags"]:
        out.print("[bold]Flags:[/bold]")
        for f in detail["flags"]:
            style = SEVERITY_STYLE.get(f["severity"], "")
            out.print(f"  [{style}]{f['kind']}[/]: {escape(f['explanation'])}")
    conflicts = [c for c in detail["claims"] if c["verdict"] == "conflict"]
    for c in conflicts:
        out.print(
            f"  [red]claim[/red] {escape(c['person'])} as {escape(c['role_text'])}: "
            f"{escape(c['record'] or '')}"
        )
    for o in detail["overrides"]:
        out.print(
            f"[bold]Override[/bold] {o['value']:.2f} by {escape(o['analyst'])} on "
            f"{o['when'][:16]} (computed {o['computed'] if o['computed'] is not None else '—'}): "
            f"{escape(o['reason'])}"
        )


def print_flag_report(report: FlagReport) -> None:
    table = Table(title="Flags against the expected ones", title_justify="left")
    for column in ("kind", "precision", "recall", "raised", "expected"):
        table.add_column(column, justify="left" if column == "kind" else "right")
    for kind, s in sorted(report.per_kind.items()):
        table.add_row(
            kind, f"{s.precision:.2f}", f"{s.recall:.2f}", str(s.predicted), str(s.expected)
        )
    total = report.overall
    table.add_row(
        "[bold]all[/bold]",
        f"{total.precision:.2f}",
        f"{total.recall:.2f}",
        str(total.predicted),
        str(total.expected),
    )
    out.print(table)
    out.print(
        f"{report.documents} documents; {report.clean_documents} expected clean, "
        f"{len(report.clean_with_flags)} of them flagged"
    )
    for name, (kind, person) in report.false_positives:
        out.print(f"  [red]unexpected[/red] {escape(name)}: {kind} {escape(person or '')}")
    for name, (kind, person) in report.missed:
        out.print(f"  [yellow]missed[/yellow] {escape(name)}: {kind} {escape(person or '')}")
