"""``pactwatch knowledge``: look at the reference offices and refresh them from Wikidata.

A thin layer over ``knowledge.wikidata.import_wikidata`` and ``Knowledge.holder_of``; the
main CLI mounts ``knowledge_app``. Errors of ours print one red line and exit with 2, as
every other command does (``cli_common.user_errors``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from pactwatch import console
from pactwatch.cli_common import current_settings, user_errors
from pactwatch.errors import InputError
from pactwatch.knowledge.lookup import Knowledge
from pactwatch.knowledge.model import NON_STATE_CODES

knowledge_app = typer.Typer(
    help="The reference knowledge: offices and who held them, refreshed from Wikidata.",
    no_args_is_help=True,
)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r} is not a date (YYYY-MM-DD)") from None


def _country_code(knowledge: Knowledge, text: str) -> str:
    upper = text.strip().upper()
    if upper in knowledge.countries or upper in NON_STATE_CODES:
        return upper
    found = knowledge.country(text)
    if found is None:
        raise InputError(f"--country {text!r} is not a country code or name the knowledge knows")
    return found.code


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        qid, sep, key = pair.partition("=")
        if not sep or not qid.strip() or not key.strip():
            raise InputError(f"--map {pair!r} is not QID=OFFICE_KEY (Q11696=USA:president)")
        mapping[qid.strip()] = key.strip()
    return mapping


@knowledge_app.command("import-wikidata")
def import_wikidata_command(
    export: Annotated[
        Path, typer.Argument(help="A Wikidata export: entity JSON or a SPARQL JSON result.")
    ],
    into: Annotated[
        Path,
        typer.Option(
            "--into", help="Folder to write the YAML file into (add it to knowledge_dirs)."
        ),
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="Map a position to an office: QID=OFFICE_KEY (repeat for more)."
        ),
    ] = None,
    retrieved: Annotated[
        str | None,
        typer.Option("--retrieved", help="The day the export was retrieved (default: today)."),
    ] = None,
) -> None:
    """Write office holders of a Wikidata export as a knowledge file, reporting what it left out."""
    from pactwatch.knowledge import load_knowledge
    from pactwatch.knowledge.wikidata import import_wikidata

    with user_errors():
        report = import_wikidata(
            export,
            into,
            knowledge=load_knowledge(current_settings().knowledge_dirs),
            mapping=_mapping(mapping or []),
            retrieved=_day(retrieved, "--retrieved"),
        )
    for line in report.lines():
        console.out.print(line, markup=False, highlight=False)


@knowledge_app.command("offices")
def offices_command(
    country: Annotated[
        str | None,
        typer.Option("--country", help="Only this country's offices (XKX, Kosovo, IGO, EUR...)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="The day to show holders on (default: today).")
    ] = None,
) -> None:
    """List the reference offices and who held each on a day."""
    from pactwatch.knowledge import load_knowledge

    with user_errors():
        day = _day(on, "--on") or date.today()
        knowledge = load_knowledge(current_settings().knowledge_dirs)
        wanted = _country_code(knowledge, country) if country else None
        offices = [o for o in knowledge.offices if wanted is None or o.country == wanted]
        if not offices:
            raise InputError(f"no offices of {country!r} in the reference knowledge")
    table = Table(title=f"Office holders on {day}")
    for name in ("office", "title", "holder", "since", "until", "note"):
        table.add_column(name, overflow="fold")  # keys and names whole, never cut with "…"
    for office in sorted(offices, key=lambda o: o.key):
        holder = knowledge.holder_of(office.key, day)
        stale = office.confirmed_until is not None and day > office.confirmed_until
        note = f"confirmed only until {office.confirmed_until}" if stale else ""
        if holder is not None and holder.acting:
            note = f"acting; {note}" if note else "acting"
        table.add_row(
            office.key,
            office.title,
            holder.person if holder else "(none recorded)",
            str(holder.start) if holder else "",
            str(holder.end or "") if holder else "",
            note,
        )
    console.out.print(table)
