"""Access to the dashboard: login, sessions, CSRF, API tokens, roles, security headers.

Every test runs the real app in process (``httpx.ASGITransport``) on SQLite and
PostgreSQL. Argon2 runs with cheap parameters here (still argon2id), so a test that logs
in ten times stays fast; the production parameters are checked in ``test_web_users``.

The helpers at the top (``make_app``, ``client``, ``login``, ``csrf_token_of``,
``add_user``) are imported by ``test_web_users``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from sqlalchemy import Engine, select

from pactwatch.settings import Settings
from pactwatch.store.schema import api_tokens, users, web_sessions
from pactwatch.web import security
from pactwatch.web.app import create_app
from pactwatch.web.auth_routes import SELF_SERVICE_WRITES
from pactwatch.web.deps import require_admin, require_analyst
from pactwatch.web.security import LoginRateLimiter
from pactwatch.web.users import create_token, create_user, ensure_admin, revoke_token
from web_support import anyio_backend, fast_hashing  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio

try:
    from fastapi.routing import iter_route_contexts
except ImportError:  # FastAPI before 0.16x kept included routes flat in app.routes

    def iter_route_contexts(routes: Any) -> Any:  # type: ignore[no-redef]
        return iter(routes)


def _original(context: Any) -> Any:
    return getattr(context, "original_route", context)


PASSWORD = "correct horse battery"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def make_app(engine: Engine, tmp_path: Path, **settings: Any) -> FastAPI:
    return create_app(Settings(data_dir=tmp_path / "data", **settings), engine)


@asynccontextmanager
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def hidden_csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', html)
    assert found, "no csrf_token field in the page"
    return found.group(1)


async def login(
    http: httpx.AsyncClient, username: str, password: str = PASSWORD, **form: str
) -> httpx.Response:
    page = await http.get("/login")
    data = {"username": username, "password": password, "csrf_token": hidden_csrf(page.text)}
    return await http.post("/login", data={**data, **form})


async def csrf_token_of(http: httpx.AsyncClient) -> str:
    """The CSRF token of the client's session, read from the account page's form."""
    page = await http.get("/account")
    assert page.status_code == 200, page.status_code
    return hidden_csrf(page.text)


def add_user(engine: Engine, name: str, role: str, **extra: Any) -> None:
    create_user(engine, name, role, PASSWORD, **extra)


async def logged_in(http: httpx.AsyncClient, engine: Engine, name: str, role: str) -> str:
    add_user(engine, name, role)
    response = await login(http, name)
    assert response.status_code == 303, response.text
    return await csrf_token_of(http)


# --- login ---------------------------------------------------------------------------------


async def test_login_success_sets_a_hardened_cookie(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "ana", "analyst")
    async with client(make_app(engine, tmp_path)) as http:
        response = await login(http, "ana", next="/events?country=XKX")
        assert response.status_code == 303
        assert response.headers["location"] == "/events?country=XKX"
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("pactwatch_session=")
        )
        assert "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower()
        assert "Secure" not in cookie
        me = await http.get("/api/v1/me")
        assert me.json() == {"username": "ana", "role": "analyst"}


async def test_secure_cookies_setting_marks_the_cookie_secure(
    engine: Engine, tmp_path: Path
) -> None:
    add_user(engine, "ana", "analyst")
    async with client(make_app(engine, tmp_path, secure_cookies=True)) as http:
        page = await http.get("/login")
        assert "Secure" in page.headers["set-cookie"]
        assert page.headers["strict-transport-security"].startswith("max-age=")
        # httpx keeps Secure cookies from http:// pages out of the jar: send it by hand.
        data = {"username": "ana", "password": PASSWORD, "csrf_token": hidden_csrf(page.text)}
        http.cookies.set(security.LOGIN_CSRF_COOKIE, data["csrf_token"])
        response = await http.post("/login", data=data)
        assert response.status_code == 303
        cookie = next(
            c for c in response.headers.get_list("set-cookie") if c.startswith("pactwatch_session=")
        )
        assert "Secure" in cookie and "HttpOnly" in cookie


async def test_login_failure_says_the_same_for_every_cause(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "ana", "analyst")
    add_user(engine, "gone", "viewer")
    from pactwatch.web.users import set_disabled

    set_disabled(engine, "gone")
    async with client(make_app(engine, tmp_path)) as http:
        answers = [
            await login(http, "ana", "wrong password!"),
            await login(http, "nobody", PASSWORD),
            await login(http, "gone", PASSWORD),
        ]
        for answer in answers:
            assert answer.status_code == 401
            assert "Wrong username or password." in answer.text
            assert "pactwatch_session=" not in answer.headers.get("set-cookie", "")
        assert (await http.get("/api/v1/me")).status_code == 401


async def test_unknown_user_still_costs_one_password_check(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str | None] = []
    real = security.verify_password

    def counting(password_hash: str | None, password: str) -> bool:
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(security, "verify_password", counting)
    add_user(engine, "ana", "analyst")
    async with client(make_app(engine, tmp_path)) as http:
        await login(http, "nobody", PASSWORD)
        await login(http, "ana", "wrong password!")
    assert len(calls) == 2
    assert calls[0] is None and calls[1] is not None


async def test_login_rate_limit_per_username(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "ana", "analyst")
    add_user(engine, "ben", "viewer")
    now = [1000.0]
    app = make_app(engine, tmp_path)
    app.state.login_limiter = LoginRateLimiter(5, 300.0, clock=lambda: now[0])
    async with client(app) as http:
        for _ in range(5):
            assert (await login(http, "ana", "wrong password!")).status_code == 401
        blocked = await login(http, "ana", PASSWORD)  # even the right password waits
        assert blocked.status_code == 429
        assert int(blocked.headers["retry-after"]) > 0
        assert "Too many failed logins" in blocked.text
        assert (await login(http, "ben")).status_code == 303  # others are not affected
    now[0] += 301
    async with client(app) as http:
        assert (await login(http, "ana")).status_code == 303


async def test_login_form_needs_its_token(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "ana", "analyst")
    async with client(make_app(engine, tmp_path)) as http:
        await http.get("/login")
        missing = await http.post("/login", data={"username": "ana", "password": PASSWORD})
        wrong = await http.post(
            "/login", data={"username": "ana", "password": PASSWORD, "csrf_token": "forged"}
        )
        assert missing.status_code == wrong.status_code == 403
        assert (await http.get("/api/v1/me")).status_code == 401


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/logout"])
async def test_login_goes_back_only_to_this_site(
    engine: Engine, tmp_path: Path, target: str
) -> None:
    add_user(engine, "ana", "analyst")
    async with client(make_app(engine, tmp_path)) as http:
        response = await login(http, "ana", next=target)
        assert response.headers["location"] == "/"


async def test_pages_redirect_to_login_and_api_answers_401(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        page = await http.get("/account")
        assert page.status_code == 303
        assert page.headers["location"] == "/login?next=/account"
        api = await http.get("/api/v1/me")
        assert api.status_code == 401
        assert api.headers["www-authenticate"] == "Bearer"


# --- sessions ------------------------------------------------------------------------------


async def test_logout_ends_the_session(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "ana", "analyst")
        cookie = http.cookies[security.SESSION_COOKIE]
        refused = await http.post("/logout", data={"csrf_token": "wrong"})
        assert refused.status_code == 403
        assert (await http.get("/api/v1/me")).status_code == 200
        out = await http.post("/logout", data={"csrf_token": csrf})
        assert out.status_code == 303 and out.headers["location"] == "/login"
        assert (await http.get("/api/v1/me")).status_code == 401
    with engine.connect() as conn:
        assert conn.execute(select(web_sessions)).first() is None
    async with client(make_app(engine, tmp_path)) as replay:  # the old cookie opens nothing
        replay.cookies.set(security.SESSION_COOKIE, cookie)
        assert (await replay.get("/account")).status_code == 303


async def test_disabling_a_user_ends_their_session(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)
    async with client(app) as admin, client(app) as viewer:
        admin_csrf = await logged_in(admin, engine, "root", "admin")
        await logged_in(viewer, engine, "vera", "viewer")
        assert (await viewer.get("/api/v1/me")).status_code == 200
        done = await admin.post("/admin/users/vera/disable", data={"csrf_token": admin_csrf})
        assert done.status_code == 303
        assert (await viewer.get("/api/v1/me")).status_code == 401
        assert (await viewer.get("/account")).status_code == 303
        assert (await login(viewer, "vera")).status_code == 401
        enabled = await admin.post("/admin/users/vera/enable", data={"csrf_token": admin_csrf})
        assert enabled.status_code == 303
        assert (await login(viewer, "vera")).status_code == 303


async def test_expired_session_is_refused(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path, session_hours=-1.0)) as http:
        add_user(engine, "ana", "analyst")
        assert (await login(http, "ana")).status_code == 303
        assert (await http.get("/api/v1/me")).status_code == 401


async def test_first_admin_must_change_the_one_time_password(
    engine: Engine, tmp_path: Path
) -> None:
    one_time = ensure_admin(engine)
    assert one_time is not None
    async with client(make_app(engine, tmp_path)) as http:
        response = await login(http, "admin", one_time, next="/admin/users")
        assert response.headers["location"] == "/account"
        held = await http.get("/admin/users")
        assert held.status_code == 303 and held.headers["location"] == "/account"
        assert (await http.get("/api/v1/me")).status_code == 403
        page = await http.get("/account")
        assert "one-time password" in page.text
        csrf = hidden_csrf(page.text)
        same = await http.post(
            "/account",
            data={
                "csrf_token": csrf,
                "current_password": one_time,
                "new_password": one_time,
                "repeat_password": one_time,
            },
        )
        assert same.status_code == 400
        changed = await http.post(
            "/account",
            data={
                "csrf_token": csrf,
                "current_password": one_time,
                "new_password": "my own long passphrase",
                "repeat_password": "my own long passphrase",
            },
        )
        assert changed.status_code == 303 and changed.headers["location"] == "/"
        assert (await http.get("/admin/users")).status_code == 200  # same session goes on
    with engine.connect() as conn:
        assert conn.execute(select(users.c.must_change_password)).scalar_one() is False
    async with client(make_app(engine, tmp_path)) as http:
        assert (await login(http, "admin", one_time)).status_code == 401
        assert (await login(http, "admin", "my own long passphrase")).status_code == 303


async def test_changing_the_password_checks_every_field(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "vera", "viewer")
        base = {"csrf_token": csrf, "current_password": PASSWORD}
        cases = [
            ({"current_password": "not it at all", "new_password": "x" * 12}, "not right"),
            ({"new_password": "a new passphrase", "repeat_password": "another one!"}, "differ"),
            ({"new_password": "short", "repeat_password": "short"}, "at least 10"),
        ]
        for fields, message in cases:
            response = await http.post("/account", data={**base, **fields})
            assert response.status_code == 400 and message in response.text
        good = await http.post(
            "/account",
            data={
                **base,
                "new_password": "a new passphrase",
                "repeat_password": "a new passphrase",
            },
        )
        assert good.status_code == 303 and good.headers["location"] == "/account?changed=true"


# --- CSRF, tokens, storage -----------------------------------------------------------------


async def test_forms_without_the_session_token_are_refused(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "root", "admin")
        form = {"username": "newbie", "role": "viewer"}
        assert (await http.post("/admin/users", data=form)).status_code == 403
        wrong = {**form, "csrf_token": csrf[:-2] + "xx"}
        assert (await http.post("/admin/users", data=wrong)).status_code == 403
        header = await http.post("/admin/users", data=form, headers={"X-CSRF-Token": "nope"})
        assert header.status_code == 403
        with engine.connect() as conn:
            assert conn.execute(select(users).where(users.c.username == "newbie")).first() is None
        assert (
            await http.post("/admin/users", data={**form, "csrf_token": csrf})
        ).status_code == 200
        via_header = await http.post(
            "/admin/users",
            data={"username": "other", "role": "viewer"},
            headers={"X-CSRF-Token": csrf},
        )
        assert via_header.status_code == 200


async def test_bearer_token_opens_the_api_until_revoked(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "bot", "viewer")
    add_user(engine, "root", "admin")
    token_id, token = create_token(engine, "bot", "export script")
    admin_id, admin_token = create_token(engine, "root", "ops")
    async with client(make_app(engine, tmp_path)) as http:
        auth = {"Authorization": f"Bearer {token}"}
        me = await http.get("/api/v1/me", headers=auth)
        assert me.status_code == 200 and me.json() == {"username": "bot", "role": "viewer"}
        bad = await http.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
        assert bad.status_code == 401
        basic = await http.get("/api/v1/me", headers={"Authorization": "Basic Ym90OnB3"})
        assert basic.status_code == 401
        # A bearer request carries no ambient cookie, so it needs no CSRF token.
        revoked = await http.post(
            f"/admin/tokens/{token_id}/revoke", headers={"Authorization": f"Bearer {admin_token}"}
        )
        assert revoked.status_code == 303
        assert (await http.get("/api/v1/me", headers=auth)).status_code == 401
        revoke_token(engine, admin_id)
        again = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {admin_token}"})
        assert again.status_code == 401
    with engine.connect() as conn:
        assert conn.execute(select(api_tokens.c.last_used_at)).scalars().first() is not None


async def test_secrets_are_stored_only_as_hashes(engine: Engine, tmp_path: Path) -> None:
    add_user(engine, "ana", "analyst")
    _, token = create_token(engine, "ana", "script")
    async with client(make_app(engine, tmp_path)) as http:
        assert (await login(http, "ana")).status_code == 303
        session = http.cookies[security.SESSION_COOKIE]
    with engine.connect() as conn:
        stored = [
            *conn.execute(select(users)).all(),
            *conn.execute(select(web_sessions)).all(),
            *conn.execute(select(api_tokens)).all(),
        ]
        password_hash = conn.execute(select(users.c.password_hash)).scalar_one()
        session_hash = conn.execute(select(web_sessions.c.token_hash)).scalar_one()
        stored_token_hash = conn.execute(select(api_tokens.c.token_hash)).scalar_one()
    dump = repr(stored)
    for secret in (PASSWORD, session, token):
        assert secret not in dump
    assert password_hash.startswith("$argon2id$")
    assert session_hash == hashlib.sha256(session.encode()).hexdigest()
    assert stored_token_hash == hashlib.sha256(token.encode()).hexdigest()


# --- roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("viewer", {"/account": 200, "/admin/users": 403, "/admin/tokens": 403, "/api/v1/me": 200}),
        (
            "analyst",
            {"/account": 200, "/admin/users": 403, "/admin/tokens": 403, "/api/v1/me": 200},
        ),
        ("admin", {"/account": 200, "/admin/users": 200, "/admin/tokens": 200, "/api/v1/me": 200}),
    ],
)
async def test_role_matrix_of_the_access_pages(
    engine: Engine, tmp_path: Path, role: str, expected: dict[str, int]
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "someone", role)
        for path, status_code in expected.items():
            assert (await http.get(path)).status_code == status_code, path
        nav = (await http.get("/account")).text
        assert ('href="/admin/users"' in nav) is (role == "admin")
        create = await http.post("/admin/users", data={"username": "x1", "csrf_token": csrf})
        assert create.status_code == (200 if role == "admin" else 403)


def _depends_on(dependant: Dependant, wanted: set[object]) -> bool:
    return any(dep.call in wanted or _depends_on(dep, wanted) for dep in dependant.dependencies)


# The TAXII server's write routes (objects POST, object DELETE) are for partners, who
# authenticate with their own credentials and rights per collection; dashboard users,
# whatever their role, have no access there at all (tested below).
TAXII_PREFIX = "/taxii2/"


def _write_routes(app: FastAPI) -> list[tuple[str, str, Dependant]]:
    """Every (method, path, dependant) that changes something, included routers walked.

    FastAPI 0.16x keeps included routers lazily (``app.routes`` holds one entry per
    router); ``iter_route_contexts`` yields the effective routes, with the dependencies
    the include added.
    """
    found = []
    for context in iter_route_contexts(app.routes):
        methods = set(context.methods or ()) & WRITE_METHODS
        if not methods:
            continue
        assert isinstance(_original(context), APIRoute), (
            f"{context.path}: a write route outside FastAPI's dependency system"
        )
        if str(context.path).startswith(TAXII_PREFIX):
            continue  # partners, not dashboard users: tests/test_taxii_*.py prove its access
        for method in sorted(methods):
            if (method, context.path) not in SELF_SERVICE_WRITES:
                found.append((method, str(context.path), context.dependant))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_write_route_requires_an_analyst_or_admin(engine: Engine, tmp_path: Path) -> None:
    routes = _write_routes(make_app(engine, tmp_path))
    if not routes:
        pytest.skip("no write routes yet")
    missing = [
        f"{method} {path}"
        for method, path, dependant in routes
        if not _depends_on(dependant, {require_analyst, require_admin})
    ]
    assert any(path.startswith("/admin/") for _, path, _ in routes)
    assert not missing, f"write routes a viewer could reach: {missing}"


async def test_a_viewer_and_a_stranger_change_nothing(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)
    routes = _write_routes(app)
    if not routes:
        pytest.skip("no write routes yet")
    async with client(app) as viewer, client(app) as stranger:
        csrf = await logged_in(viewer, engine, "vera", "viewer")
        for method, path, _route in routes:
            url = _concrete(path)
            with_token = await viewer.request(
                method, url, data={"csrf_token": csrf}, headers={"X-CSRF-Token": csrf}
            )
            assert with_token.status_code == 403, f"viewer {method} {path}"
            anonymous = await stranger.request(method, url, data={})
            if path.startswith("/api/"):
                assert anonymous.status_code == 401, f"anonymous {method} {path}"
            else:
                assert anonymous.status_code in (401, 303), f"anonymous {method} {path}"
                if anonymous.status_code == 303:
                    assert anonymous.headers["location"].startswith("/login")


async def test_a_write_route_refuses_a_form_without_csrf(engine: Engine, tmp_path: Path) -> None:
    """An analyst on each of the dashboard's form routes still needs the session's CSRF token."""
    app = make_app(engine, tmp_path)
    routes = [(m, p) for m, p, dep in _write_routes(app) if not _depends_on(dep, {require_admin})]
    if not routes:
        pytest.skip("no analyst write routes yet (they come with pages/api)")
    async with client(app) as http:
        await logged_in(http, engine, "ana", "analyst")
        for method, path in routes:
            response = await http.request(method, _concrete(path), data={"csrf_token": "forged"})
            assert response.status_code == 403, f"{method} {path} took a forged CSRF token"


# --- headers and static files --------------------------------------------------------------


async def test_security_headers_and_error_pages(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        for path in ("/login", "/static/pactwatch.css", "/no/such/page", "/api/v1/nothing"):
            response = await http.get(path)
            headers = response.headers
            assert headers["content-security-policy"].startswith("default-src 'self'")
            assert "unsafe-inline" not in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["x-frame-options"] == "DENY"
            assert headers["referrer-policy"] == "same-origin"
        assert (await http.get("/login")).headers["cache-control"] == "no-store"
        missing_page = await http.get("/no/such/page")
        assert missing_page.status_code == 404
        assert "text/html" in missing_page.headers["content-type"]
        missing_api = await http.get("/api/v1/nothing")
        assert missing_api.status_code == 404 and missing_api.json() == {"detail": "Not Found"}


async def test_a_standalone_document_keeps_its_own_policy(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)

    @app.get("/test-standalone")
    def standalone() -> HTMLResponse:
        policy = {"Content-Security-Policy": security.STANDALONE_DOCUMENT_CSP}
        return HTMLResponse("<style>p{}</style><p>report</p>", headers=policy)

    async with client(app) as http:
        response = await http.get("/test-standalone")
        assert response.headers["content-security-policy"] == security.STANDALONE_DOCUMENT_CSP
        assert "script-src" not in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"


async def test_a_crash_is_a_plain_500_with_the_headers(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)

    @app.get("/test-crash")
    def crash() -> None:
        raise RuntimeError("boom")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/test-crash")
    assert response.status_code == 500
    assert "boom" not in response.text and "Traceback" not in response.text
    assert response.headers["x-frame-options"] == "DENY"


async def test_pages_load_nothing_from_elsewhere(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "root", "admin")
        assert csrf
        for path in ("/login", "/account", "/admin/users", "/admin/tokens"):
            html = (await http.get(path)).text
            assert not re.search(r'(src|href)="(https?:)?//', html), path
            assert "<script>" not in html and "style=" not in html, path
        for asset in ("/static/pactwatch.css", "/static/pactwatch.js"):
            response = await http.get(asset)
            assert response.status_code == 200
            assert "http://" not in response.text and "https://" not in response.text


async def test_every_page_keeps_to_the_content_policy(engine: Engine, tmp_path: Path) -> None:
    """Each page without path parameters renders on an empty store within CSP 'self'.

    No inline script, no style attribute, nothing from another host: what the browser
    would block under ``default-src 'self'`` must not be on the page in the first place.
    """
    app = make_app(engine, tmp_path)
    paths = sorted(
        str(context.path)
        for context in iter_route_contexts(app.routes)
        if isinstance(_original(context), APIRoute)
        and "GET" in (context.methods or ())
        and "{" not in str(context.path)
        and not str(context.path).startswith(("/api/", "/login", "/assessments/report", "/taxii2/"))
    )
    async with client(app) as http:
        await logged_in(http, engine, "root", "admin")
        for path in paths:
            response = await http.get(path)
            assert response.status_code == 200, f"{path}: {response.status_code}"
            html = response.text
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{path}: inline script"
            assert not re.search(r"\sstyle=", html), f"{path}: style attribute"
            assert not re.search(r"\son[a-z]+=", html), f"{path}: inline event handler"
            assert not re.search(r'(src|href|action)="(https?:)?//', html), f"{path}: off-site"


async def test_dashboard_users_have_no_access_to_taxii_writes(
    engine: Engine, tmp_path: Path
) -> None:
    """A dashboard session, even an admin's, is no partner credential on /taxii2/."""
    app = make_app(engine, tmp_path)
    async with client(app) as admin:
        csrf = await logged_in(admin, engine, "ada", "admin")
        for method, url in (
            ("POST", "/taxii2/pactwatch/collections/x/objects/"),
            ("DELETE", "/taxii2/pactwatch/collections/x/objects/indicator--1/"),
        ):
            answer = await admin.request(method, url, headers={"X-CSRF-Token": csrf})
            assert answer.status_code == 401, f"{method} {url}"
