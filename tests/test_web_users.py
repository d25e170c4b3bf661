"""Accounts and tokens: the store functions, the admin pages, the commands, and a real serve.

Runs on SQLite and PostgreSQL. The helpers (app, client, login) come from
``test_web_auth``.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import typer
import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from pactwatch import cli_common
from pactwatch.errors import InputError
from pactwatch.store.schema import api_tokens, users, web_sessions
from pactwatch.web import cli as web_cli
from pactwatch.web import security
from pactwatch.web import users as accounts
from pactwatch.web.cli import is_loopback, serve_command, tokens_app, users_app
from test_web_auth import PASSWORD, add_user, client, hidden_csrf, logged_in, login, make_app
from web_support import anyio_backend, fast_hashing  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio


# --- store functions -----------------------------------------------------------------------


def test_production_hasher_is_argon2id_with_rfc_9106_parameters() -> None:
    previous = security.set_password_hasher(PasswordHasher())
    try:
        stored = security.hash_password(PASSWORD)
    finally:
        security.set_password_hasher(previous)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert security.verify_password(stored, PASSWORD)
    assert not security.verify_password(stored, PASSWORD + "!")
    assert not security.verify_password(None, PASSWORD)
    assert security.password_needs_rehash(stored)  # the tests' cheap hasher is "newer"


def test_create_user_checks_name_role_and_password(engine: Engine) -> None:
    accounts.create_user(engine, "ana", "analyst", PASSWORD)
    bad = [
        ("ana", "viewer", PASSWORD, "already exists"),
        ("bo b", "viewer", PASSWORD, "not valid"),
        ("bob", "superuser", PASSWORD, "not one of"),
        ("bob", "viewer", "short", "at least 10"),
        ("bob", "viewer", " padded password ", "space"),
    ]
    for name, role, password, message in bad:
        with pytest.raises(InputError, match=message):
            accounts.create_user(engine, name, role, password)
    assert [a.username for a in accounts.list_accounts(engine)] == ["ana"]


def test_authenticate_rehashes_old_parameters(engine: Engine) -> None:
    accounts.create_user(engine, "ana", "analyst", PASSWORD)
    with engine.connect() as conn:
        before = conn.execute(select(users.c.password_hash)).scalar_one()
    security.set_password_hasher(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    user = accounts.authenticate(engine, "ana", PASSWORD)
    assert user is not None and user.role == "analyst"
    with engine.connect() as conn:
        after = conn.execute(select(users.c.password_hash)).scalar_one()
    assert after != before and "m=2048,t=2" in after
    assert accounts.authenticate(engine, "ana", "wrong password") is None
    assert accounts.authenticate(engine, "nobody", PASSWORD) is None


def test_ensure_admin_acts_on_a_fresh_store_only(engine: Engine) -> None:
    password = accounts.ensure_admin(engine)
    assert password is not None and len(password) >= security.MIN_PASSWORD_LENGTH
    admin = accounts.find_account(engine, "admin")
    assert admin is not None and admin.role == "admin" and admin.must_change_password
    assert accounts.authenticate(engine, "admin", password) is not None
    assert accounts.ensure_admin(engine) is None
    assert len(accounts.list_accounts(engine)) == 1


def test_ensure_admin_leaves_a_store_with_users_alone(engine: Engine) -> None:
    accounts.create_user(engine, "vera", "viewer", PASSWORD)
    assert accounts.ensure_admin(engine) is None
    assert accounts.find_account(engine, "admin") is None


def test_the_last_admin_stays(engine: Engine) -> None:
    accounts.create_user(engine, "root", "admin", PASSWORD)
    with pytest.raises(InputError, match="last active admin"):
        accounts.set_role(engine, "root", "analyst")
    with pytest.raises(InputError, match="last active admin"):
        accounts.set_disabled(engine, "root")
    accounts.create_user(engine, "second", "admin", PASSWORD)
    assert accounts.set_role(engine, "root", "viewer").role == "viewer"
    with pytest.raises(InputError, match="no user named"):
        accounts.set_role(engine, "ghost", "viewer")


def test_sessions_expire_and_end(engine: Engine) -> None:
    user = accounts.create_user(engine, "ana", "analyst", PASSWORD)
    live = accounts.create_session(engine, user, 1.0)
    found = accounts.find_session(engine, live.token)
    assert found is not None and found.user == user and found.csrf_token == live.csrf_token
    with engine.begin() as conn:
        conn.execute(update(web_sessions).values(expires_at=datetime.now(UTC) - timedelta(1)))
    assert accounts.find_session(engine, live.token) is None
    accounts.create_session(engine, user, 1.0)  # opening a session sweeps expired ones
    with engine.connect() as conn:
        assert len(conn.execute(select(web_sessions)).all()) == 1
    again = accounts.create_session(engine, user, 1.0)
    accounts.end_session(engine, again.token)
    assert accounts.find_session(engine, again.token) is None


def test_password_reset_ends_every_session(engine: Engine) -> None:
    user = accounts.create_user(engine, "ana", "analyst", PASSWORD)
    first = accounts.create_session(engine, user, 1.0)
    second = accounts.create_session(engine, user, 1.0)
    accounts.set_password(
        engine,
        "ana",
        "another passphrase",
        must_change_password=False,
        keep_session_token=first.token,
    )
    assert accounts.find_session(engine, first.token) is not None
    assert accounts.find_session(engine, second.token) is None
    accounts.set_password(engine, "ana", "a third passphrase", must_change_password=True)
    assert accounts.find_session(engine, first.token) is None
    account = accounts.find_account(engine, "ana")
    assert account is not None and account.must_change_password


def test_token_lifecycle(engine: Engine) -> None:
    accounts.create_user(engine, "bot", "viewer", PASSWORD)
    accounts.create_user(engine, "root", "admin", PASSWORD)
    token_id, token = accounts.create_token(engine, "bot", "  nightly export  ")
    assert len(token) >= 43
    user = accounts.find_token_user(engine, token)
    assert user is not None and user.username == "bot"
    listed = accounts.list_tokens(engine)
    assert [(t.id, t.name, t.username, t.revoked) for t in listed] == [
        (token_id, "nightly export", "bot", False)
    ]
    assert listed[0].last_used_at is not None
    accounts.set_disabled(engine, "bot")
    assert accounts.find_token_user(engine, token) is None  # refused while disabled
    accounts.set_disabled(engine, "bot", False)
    assert accounts.find_token_user(engine, token) is not None
    accounts.revoke_token(engine, token_id)
    assert accounts.find_token_user(engine, token) is None
    with pytest.raises(InputError, match="no API token"):
        accounts.revoke_token(engine, token_id + 100)
    with pytest.raises(InputError, match="name"):
        accounts.create_token(engine, "bot", "   ")
    with pytest.raises(InputError, match="no user"):
        accounts.create_token(engine, "ghost", "x")


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = security.LoginRateLimiter(3, 60.0, clock=lambda: now[0])
    for _ in range(3):
        assert not limiter.blocked("Ana")
        limiter.record_failure("ana ")
    assert limiter.blocked("ANA")
    assert 0 < limiter.retry_after("ana") <= 61
    now[0] = 61.0
    assert not limiter.blocked("ana")
    limiter.record_failure("ana")
    limiter.reset("ana")
    assert not limiter.blocked("ana")


# --- admin pages ---------------------------------------------------------------------------


async def test_admin_manages_users_from_the_page(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "root", "admin")
        created = await http.post(
            "/admin/users", data={"username": "nina", "role": "analyst", "csrf_token": csrf}
        )
        assert created.status_code == 200
        one_time = re.search(r"<code>([^<]+)</code>", created.text)
        assert one_time is not None
        listing = await http.get("/admin/users")
        assert "nina" in listing.text and one_time.group(1) not in listing.text
        assert "must change password" in listing.text
        taken = await http.post(
            "/admin/users", data={"username": "nina", "role": "viewer", "csrf_token": csrf}
        )
        assert taken.status_code == 400 and "already exists" in taken.text
        role = await http.post(
            "/admin/users/nina/role", data={"role": "viewer", "csrf_token": csrf}
        )
        assert role.status_code == 303
        assert "Role changed." in (await http.get(role.headers["location"])).text
        bad_role = await http.post(
            "/admin/users/nina/role", data={"role": "god", "csrf_token": csrf}
        )
        assert bad_role.status_code == 400
        myself = await http.post("/admin/users/root/disable", data={"csrf_token": csrf})
        assert myself.status_code == 400 and "your own account" in myself.text
        reset = await http.post("/admin/users/nina/reset-password", data={"csrf_token": csrf})
        assert reset.status_code == 200
        new_one_time = re.search(r"<code>([^<]+)</code>", reset.text)
        assert new_one_time is not None
    nina = accounts.find_account(engine, "nina")
    assert nina is not None and nina.role == "viewer" and nina.must_change_password
    assert accounts.authenticate(engine, "nina", new_one_time.group(1)) is not None
    assert accounts.authenticate(engine, "nina", one_time.group(1)) is None


async def test_admin_manages_tokens_from_the_page(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "bot", "viewer")
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "root", "admin")
        created = await http.post(
            "/admin/tokens", data={"name": "export", "username": "bot", "csrf_token": csrf}
        )
        assert created.status_code == 200
        shown = re.search(r"<code>([A-Za-z0-9_-]{40,})</code>", created.text)
        assert shown is not None
        token = shown.group(1)
        listing = (await http.get("/admin/tokens")).text
        assert "export" in listing and token not in listing
        api = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert api.json()["username"] == "bot"
        with engine.connect() as conn:
            token_id = conn.execute(select(api_tokens.c.id)).scalar_one()
        revoked = await http.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf})
        assert revoked.status_code == 303
        assert "Token revoked." in (await http.get(revoked.headers["location"])).text
        again = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert again.status_code == 401
        missing = await http.post("/admin/tokens/999/revoke", data={"csrf_token": csrf})
        assert missing.status_code == 404


# --- commands ------------------------------------------------------------------------------


def _commands() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """pactwatch (test)."""

    root.command("serve")(serve_command)
    root.add_typer(users_app, name="users")
    root.add_typer(tokens_app, name="tokens")
    return root


def test_users_and_tokens_commands(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_common.state, "database", database_url)
    runner = CliRunner()
    app = _commands()

    added = runner.invoke(app, ["users", "add", "nina", "--role", "analyst"])
    assert added.exit_code == 0, added.output
    one_time = added.stdout.strip()
    assert accounts.authenticate(engine, "nina", one_time) is not None
    piped = runner.invoke(
        app, ["users", "add", "carl", "--role", "viewer", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert piped.exit_code == 0 and piped.stdout == ""
    carl = accounts.find_account(engine, "carl")
    assert carl is not None and not carl.must_change_password
    short = runner.invoke(app, ["users", "add", "dan", "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and "at least 10" in short.stderr

    listed = runner.invoke(app, ["users", "list"])
    assert re.search(r"^nina +analyst +active, must change password$", listed.stdout, re.M)
    assert re.search(r"^carl +viewer +active$", listed.stdout, re.M)
    assert runner.invoke(app, ["users", "set-role", "carl", "analyst"]).exit_code == 0
    bad_role = runner.invoke(app, ["users", "set-role", "carl", "boss"])
    assert bad_role.exit_code == 2 and "not one of" in bad_role.stderr
    assert runner.invoke(app, ["users", "disable", "carl"]).exit_code == 0
    assert re.search(
        r"^carl +analyst +disabled$", runner.invoke(app, ["users", "list"]).stdout, re.M
    )
    assert runner.invoke(app, ["users", "enable", "carl"]).exit_code == 0
    reset = runner.invoke(app, ["users", "reset-password", "carl"])
    assert reset.exit_code == 0
    assert accounts.authenticate(engine, "carl", reset.stdout.strip()) is not None

    created = runner.invoke(app, ["tokens", "create", "export", "--user", "carl"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert accounts.find_token_user(engine, token) is not None
    tokens = runner.invoke(app, ["tokens", "list"])
    assert re.search(r"export +carl +active +last used", tokens.stdout)
    assert token not in tokens.stdout
    token_id = tokens.stdout.split()[0]
    assert runner.invoke(app, ["tokens", "revoke", token_id]).exit_code == 0
    assert accounts.find_token_user(engine, token) is None
    assert runner.invoke(app, ["tokens", "revoke", "999"]).exit_code == 2


def test_serve_refuses_a_public_address_without_public(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_common.state, "database", database_url)
    result = CliRunner().invoke(_commands(), ["serve", "--host", "192.0.2.10", "--port", "0"])
    assert result.exit_code == 2
    assert "not loopback" in result.stderr and "--public" in result.stderr
    # With --public it warns, then tries; 192.0.2.10 (TEST-NET-1) is not ours to bind.
    public = CliRunner().invoke(
        _commands(), ["serve", "--host", "192.0.2.10", "--port", "0", "--public"]
    )
    assert "warning" in public.stderr and "HTTPS" in public.stderr
    assert public.exit_code == 2 and "cannot listen on 192.0.2.10" in public.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("192.0.2.10") and not is_loopback("example.org")
    assert accounts.list_accounts(engine) == []  # no admin whose password nobody saw


def test_serve_runs_for_real(
    engine: Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`serve` on 127.0.0.1 and a free port: the first admin is printed, /login answers."""
    monkeypatch.setattr(cli_common.state, "database", database_url)
    servers: list[uvicorn.Server] = []
    real_make_server = web_cli.make_server

    def recording(app: Any, host: str, port: int) -> uvicorn.Server:
        server = real_make_server(app, host, port, quiet=True)
        servers.append(server)
        return server

    monkeypatch.setattr(web_cli, "make_server", recording)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            serve_command(host="127.0.0.1", port=0, public=False)
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not (servers and servers[0].started) and time.monotonic() < deadline:
        assert not failures, failures
        time.sleep(0.05)
    assert servers and servers[0].started, "the server did not start within 30 s"
    try:
        printed = capsys.readouterr().out
        address = re.search(r"pactwatch dashboard: (http://127\.0\.0\.1:\d+/)", printed)
        password = re.search(r"user admin, one-time password (\S+)", printed)
        assert address and password, printed
        assert not address.group(1).endswith(":0/")
        page = httpx.get(address.group(1) + "login", timeout=10)
        assert page.status_code == 200 and "Log in" in page.text
        assert page.headers["x-frame-options"] == "DENY"
        with httpx.Client(base_url=address.group(1), timeout=10) as http:
            form = http.get("/login")
            data = {
                "username": "admin",
                "password": password.group(1),
                "csrf_token": hidden_csrf(form.text),
            }
            logged = http.post("/login", data=data)
            assert logged.status_code == 303 and logged.headers["location"] == "/account"
    finally:
        servers[0].should_exit = True
        thread.join(timeout=15)
    assert not thread.is_alive(), "the server did not stop within 15 s"
    assert not failures, failures
    with engine.connect() as conn:
        assert conn.execute(select(users.c.username)).scalars().all() == ["admin"]


async def test_login_helper_matches_the_real_form(engine: Engine, tmp_path: Path) -> None:
    """The helpers this file borrows still fit the login page."""
    add_user(engine, "ana", "analyst")
    async with client(make_app(engine, tmp_path)) as http:
        assert (await login(http, "ana")).status_code == 303
