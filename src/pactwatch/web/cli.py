"""``pactwatch serve``, ``pactwatch users`` and ``pactwatch tokens``: thin commands over web/.

``serve`` listens on loopback unless ``--public`` is given; on a store with no users it
creates ``admin`` with a one-time password and prints it once. Secrets printed by
``users`` and ``tokens`` go to stdout alone (scripts can capture them); the words around
them go to stderr.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy import Engine

from pactwatch import console
from pactwatch.cli_common import current_settings, open_engine, user_errors
from pactwatch.errors import InputError
from pactwatch.web import security, users

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp

users_app = typer.Typer(
    help="Dashboard accounts: add, list, change role, disable, reset password.",
    no_args_is_help=True,
)
tokens_app = typer.Typer(
    help="API tokens for the REST API: create, list, revoke.", no_args_is_help=True
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening-ready socket on host:port (port 0 picks a free one)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM
        )[0]
    except OSError as error:
        raise InputError(f"cannot listen on {host}: {error.strerror or error}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def address_of(sock: socket.socket) -> str:
    """The http:// address people type for a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve_command(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: the web_host setting).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default: the web_port setting).")
    ] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public", help="Allow an address other than loopback (put HTTPS in front of it)."
        ),
    ] = False,
) -> None:
    """Serve the dashboard and REST API; on a fresh store, create the first admin."""
    from pactwatch.web.app import create_app

    settings = current_settings()
    with user_errors():
        host = host or settings.web_host
        port = settings.web_port if port is None else port
        if not is_loopback(host):
            if not public:
                raise InputError(
                    f"refusing to listen on {host}, which is not loopback: pass --public if "
                    "other machines must reach the dashboard (and serve it behind HTTPS with "
                    "PACTWATCH_SECURE_COOKIES=true)"
                )
            console.err.print(
                f"[yellow]warning:[/yellow] listening on {host}: anyone who reaches this "
                "address sees the login page. Put HTTPS in front and set secure_cookies."
            )
    with user_errors(), _store() as engine, bind_socket(host, port) as sock:
        # Bound before the first admin is made: a busy port must not eat its password.
        password = users.ensure_admin(engine)
        console.out.print(f"pactwatch dashboard: {address_of(sock)}", markup=False, highlight=False)
        if password is not None:
            console.out.print(
                f"first login: user {users.FIRST_ADMIN}, one-time password {password}\n"
                "(shown only now; you will choose your own password at first login)",
                markup=False,
                highlight=False,
            )
        else:
            console.err.print(
                "log in with your account (lost the admin password? "
                "pactwatch users reset-password admin)",
                markup=False,
            )
        make_server(create_app(settings, engine), host, port).run(sockets=[sock])


def make_server(app: ASGIApp, host: str, port: int, *, quiet: bool = False) -> uvicorn.Server:
    """A uvicorn server for ``app`` (run it with ``server.run(sockets=[...])``).

    ``quiet`` leaves the process's logging configuration alone and logs no requests (tests).
    """
    import uvicorn

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        ws="none",
        proxy_headers=False,
        server_header=False,
        log_level="warning" if quiet else "info",
        access_log=not quiet,
        log_config=None if quiet else uvicorn.config.LOGGING_CONFIG,
    )
    return uvicorn.Server(config)


@contextmanager
def _store() -> Iterator[Engine]:
    """The store of the current settings, its connections closed when the command ends."""
    engine = open_engine(current_settings())
    try:
        yield engine
    finally:
        engine.dispose()


def _read_password(from_stdin: bool) -> tuple[str, bool]:
    """A password from stdin (kept as given), or a random one-time password to change."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        users.check_password(password)
        return password, False
    return security.new_password(), True


def _print_one_time(username: str, password: str) -> None:
    console.err.print(
        f"one-time password for {username} (shown only now; to be changed at first login):",
        markup=False,
    )
    console.out.print(password, markup=False, highlight=False)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="Username.")],
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "viewer",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Add a user; without --password-stdin, print a one-time password."""
    with user_errors():
        users.check_username(name)
        users.check_role(role)
        password, one_time = _read_password(password_stdin)
        with _store() as engine:
            users.create_user(engine, name, role, password, must_change_password=one_time)
    console.err.print(f"added {name} as {role}", markup=False)
    if one_time:
        _print_one_time(name, password)


@users_app.command("list")
def users_list() -> None:
    """List the users with their role and status."""
    with user_errors(), _store() as engine:
        accounts = users.list_accounts(engine)
    for account in accounts:
        status = "disabled" if account.disabled else "active"
        if account.must_change_password and not account.disabled:
            status += ", must change password"
        console.out.print(
            f"{account.username:<24} {account.role:<8} {status}", markup=False, highlight=False
        )


@users_app.command("set-role")
def users_set_role(
    name: Annotated[str, typer.Argument(help="Username.")],
    role: Annotated[str, typer.Argument(help="viewer, analyst or admin.")],
) -> None:
    """Change a user's role (the last active admin stays admin)."""
    with user_errors(), _store() as engine:
        users.set_role(engine, name, role)
    console.err.print(f"{name} is now {role}", markup=False)


@users_app.command("disable")
def users_disable(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Disable a user: their sessions end and their API tokens stop working."""
    with user_errors(), _store() as engine:
        users.set_disabled(engine, name, True)
    console.err.print(f"{name} is disabled", markup=False)


@users_app.command("enable")
def users_enable(name: Annotated[str, typer.Argument(help="Username.")]) -> None:
    """Enable a disabled user again."""
    with user_errors(), _store() as engine:
        users.set_disabled(engine, name, False)
    console.err.print(f"{name} is enabled", markup=False)


@users_app.command("reset-password")
def users_reset_password(
    name: Annotated[str, typer.Argument(help="Username.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from stdin.")
    ] = False,
) -> None:
    """Give a user a new password (one-time unless read from stdin); their sessions end."""
    with user_errors():
        password, one_time = _read_password(password_stdin)
        with _store() as engine:
            users.set_password(engine, name, password, must_change_password=one_time)
    console.err.print(f"password of {name} reset; their sessions ended", markup=False)
    if one_time:
        _print_one_time(name, password)


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="What the token is for.")],
    user: Annotated[str, typer.Option("--user", help="The user the token acts as.")],
) -> None:
    """Create an API token; it is printed once, to stdout, and stored only as a hash."""
    with user_errors(), _store() as engine:
        token_id, token = users.create_token(engine, user, name)
    console.err.print(
        f"API token {token_id} ({name}) for {user}; shown only now, keep it safe:", markup=False
    )
    console.out.print(token, markup=False, highlight=False)


@tokens_app.command("list")
def tokens_list() -> None:
    """List API tokens (never their secrets)."""
    with user_errors(), _store() as engine:
        tokens = users.list_tokens(engine)
    for token in tokens:
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "never"
        status = "revoked" if token.revoked else "active"
        console.out.print(
            f"{token.id:>4}  {token.name:<30} {token.username:<24} {status:<8} last used {used}",
            markup=False,
            highlight=False,
        )


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="Id of the token.")]) -> None:
    """Revoke an API token for good."""
    with user_errors(), _store() as engine:
        users.revoke_token(engine, token_id)
    console.err.print(f"API token {token_id} revoked", markup=False)
