"""``pactwatch export``: thin commands over ``pactwatch.share``.

What is exported goes to stdout (or ``--output``; the MISP feed to its directory); the
one-line summary goes to stderr, so ``pactwatch export stix > bundle.json`` leaves a
clean file.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Annotated, Any, TextIO, TypeVar, cast

import typer

from pactwatch import console
from pactwatch.cli_common import user_errors
from pactwatch.errors import InputError
from pactwatch.share.cli_options import command_engine, parse_country, parse_day
from pactwatch.share.event_tables import FORMATS, export_events
from pactwatch.share.misp import export_misp_feed
from pactwatch.share.pages import ExportFilters
from pactwatch.share.stix import export_stix
from pactwatch.share.tlp import TLP_LEVELS, normalise_level

Summary = TypeVar("Summary")

export_app = typer.Typer(
    help="Export what pactwatch found, for partners and other tools.", no_args_is_help=True
)


@export_app.callback()
def export_group() -> None:
    """Export what pactwatch found, for partners and other tools."""


# The filters every export takes (docs/sharing.md).
Since = Annotated[str | None, typer.Option(help="Documents published on or after DATE.")]
Until = Annotated[str | None, typer.Option(help="Documents published on or before DATE.")]
Country = Annotated[
    str | None,
    typer.Option(help="Only documents with an actor or recipient of this country (ISO3)."),
]
Area = Annotated[str | None, typer.Option(help="Only documents about this cooperation area.")]
Event = Annotated[
    str | None, typer.Option(help="Only documents with an event of this PLOVER type.")
]
MaxTlp = Annotated[
    str,
    typer.Option(help=f"Leave out what is marked above this level ({', '.join(TLP_LEVELS)})."),
]


def _filters(
    since: str | None,
    until: str | None,
    country: str | None,
    area: str | None,
    event: str | None,
    max_tlp: str,
) -> ExportFilters:
    return ExportFilters(
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        country=parse_country(country),
        area=area,
        event=event.upper() if event else None,
        max_tlp=normalise_level(max_tlp),
    )


def _to_output(
    output: Path | None, write: Callable[[IO[Any]], Summary], *, binary: bool = False
) -> Summary:
    """``write`` to stdout, or to ``output`` through a ``.partial`` file renamed when done."""
    if output is None:
        return write(sys.stdout.buffer if binary else sys.stdout)
    partial = output.with_name(output.name + ".partial")
    try:
        if binary:
            with partial.open("wb") as raw:
                summary = write(raw)
        else:
            with partial.open("w", encoding="utf-8", newline="") as text:
                summary = write(text)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    return summary


@export_app.command("stix")
def stix_command(
    since: Since = None,
    until: Until = None,
    country: Country = None,
    area: Area = None,
    event: Event = None,
    max_tlp: MaxTlp = "red",
    output: Annotated[
        Path | None, typer.Option(help="Write the bundle here instead of stdout.")
    ] = None,
) -> None:
    """A STIX 2.1 bundle of the store's documents, with TLP 2.0 markings."""
    with user_errors():
        filters = _filters(since, until, country, area, event, max_tlp)
        with command_engine() as engine:
            summary = _to_output(
                output, lambda out: export_stix(engine, cast(TextIO, out), filters)
            )
    where = f" to {output}" if output else ""
    console.err.print(f"exported {summary.line()}{where}", highlight=False, soft_wrap=True)


@export_app.command("misp-feed")
def misp_feed_command(
    directory: Annotated[
        Path, typer.Argument(help="The feed's directory (created, or replaced when a feed).")
    ],
    since: Since = None,
    until: Until = None,
    country: Country = None,
    area: Area = None,
    event: Event = None,
    max_tlp: MaxTlp = "red",
) -> None:
    """A MISP feed (manifest.json, an event file per document, hashes.csv) in DIRECTORY."""
    with user_errors():
        filters = _filters(since, until, country, area, event, max_tlp)
        with command_engine() as engine:
            summary = export_misp_feed(engine, directory, filters)
    console.err.print(f"exported {summary.line()} to {directory}", highlight=False, soft_wrap=True)


@export_app.command("events")
def events_command(
    format_: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")] = "csv",
    since: Since = None,
    until: Until = None,
    country: Country = None,
    area: Area = None,
    event: Event = None,
    max_tlp: MaxTlp = "red",
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of stdout (required for parquet).")
    ] = None,
) -> None:
    """Events as a GDELT-style CSV, Parquet, or PLOVER JSON lines."""
    with user_errors():
        fmt = format_.strip().lower()
        if fmt not in FORMATS:
            raise InputError(f"--format {format_!r} is not one we write; use {', '.join(FORMATS)}")
        if fmt == "parquet" and output is None:
            raise InputError("Parquet is binary: give a file with --output")
        filters = _filters(since, until, country, area, event, max_tlp)
        with command_engine() as engine:
            summary = _to_output(
                output,
                lambda out: export_events(engine, out, fmt, filters),
                binary=fmt == "parquet",
            )
    where = f" to {output}" if output else ""
    console.err.print(f"exported {summary.line()}{where}", highlight=False, soft_wrap=True)
