"""``pactwatch partners`` and ``pactwatch collections``: thin commands over the TAXII
server's admin functions (``partners``, ``collections``) and subscriptions (``subscribe``).

Secrets (a generated Basic password, a bearer token) are printed once, to stdout, and
never again: the store keeps only their hashes. Secrets to poll a partner with are read
from stdin, never from the command line, where they would stay in the shell's history.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pactwatch import console
from pactwatch.cli_common import user_errors
from pactwatch.errors import InputError
from pactwatch.share.cli_options import command_engine, parse_country, parse_day
from pactwatch.share.taxii import partners as admin
from pactwatch.share.taxii.collections import (
    CollectionFilter,
    create_collection,
    refresh_collections,
)
from pactwatch.share.taxii.subscribe import Credential, list_subscriptions, poll, subscribe
from pactwatch.share.tlp import TLP_LEVELS, normalise_level

partners_app = typer.Typer(
    help="Partners of the TAXII server, their credentials and rights; subscribing to theirs.",
    no_args_is_help=True,
)
collections_app = typer.Typer(
    help="TAXII collections built from saved filters.", no_args_is_help=True
)

LEVELS = ", ".join(TLP_LEVELS)


@partners_app.callback()
def partners_group() -> None:
    """Partners of the TAXII server, their credentials and rights; subscribing to theirs."""


@collections_app.callback()
def collections_group() -> None:
    """TAXII collections built from saved filters."""


def _print(line: str) -> None:
    console.out.print(line, highlight=False, soft_wrap=True, markup=False)


@partners_app.command("add")
def add_partner(
    name: str,
    max_tlp: Annotated[str, typer.Option(help=f"Highest TLP it may receive ({LEVELS}).")] = "clear",
) -> None:
    """Create a partner that may receive up to --max-tlp."""
    with user_errors(), command_engine() as engine:
        admin.create_partner(engine, name, max_tlp)
    _print(
        f"partner {name} created (up to TLP:{normalise_level(max_tlp).upper()}); "
        f"give it a credential: pactwatch partners credential {name} --bearer"
    )


@partners_app.command("credential")
def add_credential(
    name: str,
    basic: Annotated[
        str | None, typer.Option("--basic", help="HTTP Basic with this user name.")
    ] = None,
    bearer: Annotated[bool, typer.Option("--bearer", help="A bearer token.")] = False,
) -> None:
    """Give a partner an HTTP Basic password or a bearer token (shown once)."""
    with user_errors():
        if (basic is None) == (not bearer):
            raise InputError("give exactly one of --basic USER or --bearer")
        with command_engine() as engine:
            if basic is not None:
                secret = admin.add_basic_credential(engine, name, basic)
                _print(f"user {basic}, password (shown once): {secret}")
            else:
                secret = admin.add_bearer_credential(engine, name)
                _print(f"bearer token (shown once): {secret}")


@partners_app.command("revoke")
def revoke(name: str) -> None:
    """Revoke every credential of a partner."""
    with user_errors(), command_engine() as engine:
        count = admin.revoke_credentials(engine, name)
    _print(f"{count} credentials of {name} revoked")


@partners_app.command("grant")
def grant(
    name: str,
    collection: Annotated[str, typer.Argument(help="Collection id or title.")],
    read: Annotated[bool, typer.Option("--read", help="It may read the collection.")] = False,
    write: Annotated[bool, typer.Option("--write", help="It may add objects to it.")] = False,
) -> None:
    """Set a partner's rights on a collection (neither --read nor --write removes them)."""
    with user_errors(), command_engine() as engine:
        admin.grant(engine, name, collection, read=read, write=write)
    rights = " and ".join(r for r, on in (("read", read), ("write", write)) if on) or "no access"
    _print(f"{name}: {rights} on {collection}")


@partners_app.command("list")
def list_partners() -> None:
    """Partners, their TLP ceilings, live credentials and rights; then subscriptions."""
    with user_errors(), command_engine() as engine:
        found = admin.list_partners(engine)
        subs = list_subscriptions(engine)
    for p in found:
        rights = (
            ", ".join(f"{title} ({'r' if r else ''}{'w' if w else ''})" for title, r, w in p.access)
            or "no collections"
        )
        state = " [disabled]" if p.disabled else ""
        _print(
            f"{p.name}{state}: up to TLP:{p.max_tlp.upper()}, {p.credentials} credentials; {rights}"
        )
    for s in subs:
        polled = (
            s["last_polled_at"].isoformat(timespec="seconds") if s["last_polled_at"] else "never"
        )
        _print(
            f"subscribed: {s['name'] or '-'} {s['url']} "
            f"(unmarked -> {s['tlp_floor']}, polled {polled})"
        )
    if not found and not subs:
        _print("no partners yet: pactwatch partners add NAME --max-tlp green")


@partners_app.command("subscribe")
def subscribe_command(
    url: Annotated[str, typer.Argument(help="The partner's TAXII API root URL.")],
    collection: Annotated[str, typer.Argument(help="The collection id.")],
    user: Annotated[str | None, typer.Option(help="HTTP Basic user name.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
    token_stdin: Annotated[
        bool, typer.Option("--token-stdin", help="Read a bearer token from stdin.")
    ] = False,
    tlp_floor: Annotated[
        str, typer.Option(help=f"TLP for objects that carry none ({LEVELS}).")
    ] = "amber",
    name: Annotated[
        str | None, typer.Option(help="A name for it (default: the collection's title).")
    ] = None,
) -> None:
    """Subscribe to a partner's TAXII 2.1 collection (checked now, pulled by `partners poll`)."""
    with user_errors():
        if password_stdin and token_stdin:
            raise InputError("give --password-stdin or --token-stdin, not both")
        if password_stdin and not user:
            raise InputError("--password-stdin needs --user")
        if user and not password_stdin:
            raise InputError("--user needs --password-stdin")
        secret = sys.stdin.readline().strip() if password_stdin or token_stdin else None
        if (password_stdin or token_stdin) and not secret:
            raise InputError("nothing was read from stdin")
        credential = Credential(user if password_stdin else None, secret)
        with command_engine() as engine:
            subscribe(engine, url, collection, credential, tlp_floor=tlp_floor, name=name)
    _print(
        f"subscribed to {url.rstrip('/')}/collections/{collection}/; "
        "pull it with: pactwatch partners poll"
    )


@partners_app.command("poll")
def poll_command() -> None:
    """Pull what every subscribed collection added since the last poll."""
    with user_errors(), command_engine() as engine:
        summary = poll(engine)
    for line in summary.lines():
        _print(line)
    if any(r.error for r in summary.results):
        raise typer.Exit(code=1)


@collections_app.command("add")
def add_collection(
    title: str,
    max_tlp: Annotated[
        str, typer.Option(help=f"TLP ceiling of what it holds ({LEVELS}).")
    ] = "green",
    since: Annotated[str | None, typer.Option(help="Documents published on or after DATE.")] = None,
    until: Annotated[
        str | None, typer.Option(help="Documents published on or before DATE.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="An actor or recipient of this country.")
    ] = None,
    area: Annotated[str | None, typer.Option(help="This cooperation area.")] = None,
    event: Annotated[str | None, typer.Option(help="An event of this PLOVER type.")] = None,
    partner_objects: Annotated[
        bool, typer.Option("--partner-objects", help="Pass on partners' objects up to --max-tlp.")
    ] = False,
    writable: Annotated[
        bool, typer.Option("--writable", help="An empty collection partners write into.")
    ] = False,
    description: Annotated[str | None, typer.Option(help="Shown to partners.")] = None,
    api_root: Annotated[str, typer.Option(help="The API root it belongs to.")] = "default",
) -> None:
    """Create a collection from a saved filter, and fill it."""
    with user_errors():
        saved = (
            None
            if writable
            else CollectionFilter(
                max_tlp=normalise_level(max_tlp),
                since=parse_day(since, "--since"),
                until=parse_day(until, "--until"),
                country=parse_country(country, code="ISO3 code"),
                area=area,
                event=event,
                partner_objects=partner_objects,
            )
        )
        with command_engine() as engine:
            collection_id = create_collection(
                engine, title, saved, description=description, api_root=api_root
            )
            summary = refresh_collections(engine) if saved else None
    _print(
        f"collection {collection_id} {title!r} created" + (f"; {summary.line()}" if summary else "")
    )


@collections_app.command("list")
def list_collections() -> None:
    """Collections, their filters and sizes."""
    with user_errors(), command_engine() as engine:
        found = admin.list_collections(engine)
    for c in found:
        saved = (
            ", ".join(f"{k}={v}" for k, v in (c.filter or {}).items() if v) or "written by partners"
        )
        _print(f"{c.id} [{c.api_root}] {c.title}: {c.objects} objects ({saved})")
    if not found:
        _print("no collections yet: pactwatch collections add TITLE --max-tlp green")


@collections_app.command("refresh")
def refresh() -> None:
    """Bring every filter-built collection up to date with the store."""
    with user_errors(), command_engine() as engine:
        summary = refresh_collections(engine)
    _print(summary.line())
