"""The checking commands: ``check`` (a file, no store), ``flags`` (the store's flags) and
``credibility`` (a score's reasons; an analyst's override)."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from typing import Annotated

import typer

from pactwatch import console
from pactwatch.cli_common import current_settings, open_engine, user_errors
from pactwatch.errors import PactwatchError
from pactwatch.models import Dropped
from pactwatch.verify.flags import FLAG_KINDS, SEVERITIES

credibility_app = typer.Typer(
    help="Why an event or a document scores what it does, and analysts' overrides.",
    no_args_is_help=True,
)

_KINDS_HELP = "; ".join(f"{kind}: {meaning}" for kind, meaning in FLAG_KINDS.items())


def check_command(
    source: Annotated[
        str,
        typer.Argument(
            help="A text, Markdown or HTML file, a JSON Lines file of documents, or - for "
            "standard input."
        ),
    ] = "-",
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object a document: flags, claims, scores.")
    ] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            help="Exit 3 when a flag of this severity or worse is found (serious, warning, "
            "info): for scripts that gate on checks.",
        ),
    ] = None,
) -> None:
    """Check a file with no store: contradictions, office holders against the reference
    data, templated or stray text, missing date or byline, and a credibility score.

      pactwatch check article.txt

      pactwatch check wire.jsonl --json > checks.jsonl
    """
    from pactwatch.extract import event_id
    from pactwatch.jobs import checked_extractions

    if fail_on is not None and fail_on not in SEVERITIES:
        console.err.print(f"[red]error:[/red] --fail-on takes one of {', '.join(SEVERITIES)}")
        raise typer.Exit(code=2)
    worst = len(SEVERITIES)
    failed = False

    def dropped(item: Dropped) -> None:
        nonlocal failed
        failed = True
        console.report_dropped(item)

    settings = current_settings()
    with user_errors():
        for document, extraction, check in checked_extractions(
            source, settings, on_dropped=dropped
        ):
            for flag in check.flags:
                worst = min(worst, SEVERITIES[::-1].index(flag.severity))
            if as_json:
                record = {"doc_id": document.id, "origin": document.origin, **check.as_json()}
                record["events"] = {eid: score.as_json() for eid, score in check.events.items()}
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                continue
            from pactwatch.console_checks import print_check

            labels = {
                event_id(document.id, e): f"{e.event} “{e.event_text[:60]}”"
                for e in extraction.events
            }
            print_check(document, check, labels)
    if failed:
        raise typer.Exit(code=1)
    if fail_on is not None and worst <= SEVERITIES[::-1].index(fail_on):
        raise typer.Exit(code=3)


def flags_command(
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help=f"Only these kinds (repeatable). {_KINDS_HELP}."),
    ] = None,
    severity: Annotated[
        list[str] | None,
        typer.Option("--severity", "-s", help="Only these severities: serious, warning, info."),
    ] = None,
    document: Annotated[
        str | None, typer.Option("--document", "-d", help="A document id or its first characters.")
    ] = None,
    event: Annotated[
        str | None, typer.Option("--event", "-e", help="An event id or its first characters.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Documents published on or after (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Documents published on or before (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Flags a page.")] = 50,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many (paging).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one flag a line.")] = False,
) -> None:
    """List the flags in the store, most serious first, with their explanations.

    pactwatch flags --severity serious

    pactwatch flags --kind role_conflicts_with_reference --since 2024-01-01
    """
    from pactwatch.store.flag_queries import FlagFilter, list_flags

    with user_errors():
        for k in kind or []:
            if k not in FLAG_KINDS:
                raise PactwatchError(f"--kind {k}: not a flag kind ({', '.join(FLAG_KINDS)})")
        for s in severity or []:
            if s not in SEVERITIES:
                raise PactwatchError(f"--severity {s}: one of {', '.join(SEVERITIES)}")
        where = FlagFilter(
            kinds=tuple(kind or ()),
            severities=tuple(severity or ()),
            document=document,
            event=event,
            since=_day(since, "--since"),
            until=_day(until, "--until"),
            limit=limit,
            offset=offset,
        )
        rows, total = list_flags(open_engine(current_settings()), where)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row.as_json(), ensure_ascii=False) + "\n")
        return
    from pactwatch.console_checks import print_flags

    print_flags(rows, total, offset)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PactwatchError(f"{option} {value}: not a date (YYYY-MM-DD)") from None


@credibility_app.command("show")
def credibility_show(
    target: Annotated[str, typer.Argument(help="An event or document id (8+ characters).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The score of an event or a document with every reason, flag, claim and override."""
    from pactwatch.store.flag_queries import credibility_detail

    with user_errors():
        if len(target) < 8:
            raise PactwatchError(f"{target!r}: give at least 8 characters of the id")
        detail = credibility_detail(open_engine(current_settings()), target)
        if detail is None:
            raise PactwatchError(f"{target!r}: no event or document has this id")
    if as_json:
        sys.stdout.write(json.dumps(detail, ensure_ascii=False, indent=2) + "\n")
        return
    from pactwatch.console_checks import print_credibility_detail

    print_credibility_detail(detail)


@credibility_app.command("set")
def credibility_set(
    target: Annotated[str, typer.Argument(help="An event or document id (8+ characters).")],
    value: Annotated[float, typer.Argument(min=0.0, max=1.0, help="The score, 0 to 1.")],
    why: Annotated[str, typer.Option("--why", help="The reason, kept with the override.")],
    analyst: Annotated[
        str | None, typer.Option(help="Who decides (default: the login name).")
    ] = None,
) -> None:
    """Override a computed score. The override is kept with who, when and why; the
    computed score stays beside it, and re-runs never overwrite it.

      pactwatch credibility set 3f9a12c4 0.9 --why "confirmed by the embassy"
    """
    from pactwatch.verify.credibility_store import set_override

    who = analyst or getpass.getuser()
    with user_errors():
        try:
            full_id = set_override(open_engine(current_settings()), target, value, who, why)
        except ValueError as error:
            raise PactwatchError(str(error)) from None
    console.out.print(f"credibility of {full_id} set to {value:.2f} by {who}")


def eval_flags_command(
    gold: Annotated[str, typer.Argument(help="Expected flags, JSON (tests/gold/flags-demo.json).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the store's flags against expected ones: precision and recall per kind, and
    the clean documents that raised a flag.

      pactwatch --db var/demo.sqlite ingest ../shared/corpus/seed-article.txt

      pactwatch --db var/demo.sqlite eval-flags tests/gold/flags-demo.json
    """
    from pathlib import Path

    from pactwatch.verify.flag_eval import score_flags

    with user_errors():
        report = score_flags(open_engine(current_settings()), Path(gold))
    if as_json:
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
        return
    from pactwatch.console_checks import print_flag_report

    print_flag_report(report)
