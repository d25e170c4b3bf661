"""Login, logout, the user's own account, and the admin pages for users and API tokens.

Self-service routes (``SELF_SERVICE_WRITES``) are the only writes a viewer may make: log
in, log out, change their own password. Every other write here needs the admin role and
a valid CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict, Unpack

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from pactwatch.errors import InputError
from pactwatch.settings import Settings
from pactwatch.web import security, users
from pactwatch.web.deps import (
    csrf_form,
    current_user,
    get_engine,
    get_settings,
    optional_user,
    require_admin,
)
from pactwatch.web.templating import render
from pactwatch.web.users import User

router = APIRouter(include_in_schema=False)

# (method, path) of the writes any logged-in user (or anyone, for /login) may make.
SELF_SERVICE_WRITES = frozenset({("POST", "/login"), ("POST", "/logout"), ("POST", "/account")})

EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AdminDep = Annotated[User, Depends(require_admin)]


def safe_next(target: str | None) -> str:
    """Where to go after login: a path on this site only (no ``//host``, no scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if target.startswith(("/login", "/logout")):
        return "/"
    return target


def set_cookie(response: Response, settings: Settings, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def _login_page(
    request: Request,
    settings: Settings,
    *,
    username: str = "",
    next_path: str = "/",
    error: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    # Login CSRF: a double-submit token in a cookie and in the form, since there is no
    # session yet to hold one.
    login_csrf = security.new_token()
    context = {"login_csrf": login_csrf, "username": username, "next_path": next_path}
    response = render(request, "login.html", {**context, "error": error}, status_code)
    set_cookie(response, settings, security.LOGIN_CSRF_COOKIE, login_csrf, 3600)
    if headers:
        response.headers.update(headers)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep, next: str = "/") -> Response:
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status.HTTP_303_SEE_OTHER)
    return _login_page(request, settings, next_path=safe_next(next))


@router.post("/login")
def login(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    next_path = safe_next(next)
    if not security.tokens_equal(csrf_token, request.cookies.get(security.LOGIN_CSRF_COOKIE)):
        return _login_page(
            request,
            settings,
            username=username,
            next_path=next_path,
            error="The login form expired. Please try again.",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    limiter: security.LoginRateLimiter = request.app.state.login_limiter
    if limiter.blocked(username):
        wait = limiter.retry_after(username)
        return _login_page(
            request,
            settings,
            username=username,
            next_path=next_path,
            error=f"Too many failed logins for this user. Try again in {wait // 60 + 1} minutes.",
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )
    user = users.authenticate(engine, username, password)
    if user is None:
        limiter.record_failure(username)
        return _login_page(
            request,
            settings,
            username=username,
            next_path=next_path,
            error="Wrong username or password.",
            status_code=status.HTTP_401_UNAUTHORIZED,
        )
    limiter.reset(username)
    session = users.create_session(engine, user, settings.session_hours)
    target = "/account" if user.must_change_password else next_path
    response = RedirectResponse(target, status.HTTP_303_SEE_OTHER)
    set_cookie(
        response,
        settings,
        security.SESSION_COOKIE,
        session.token,
        max(60, int(settings.session_hours * 3600)),
    )
    response.delete_cookie(security.LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request, engine: EngineDep) -> Response:
    """End the session (its row is deleted) and clear the cookie."""
    user = await run_in_threadpool(optional_user, request)
    if user is not None and request.state.auth == "session":
        await csrf_form(request, user)
        await run_in_threadpool(users.end_session, engine, request.cookies[security.SESSION_COOKIE])
    response = RedirectResponse("/login", status.HTTP_303_SEE_OTHER)
    response.delete_cookie(security.SESSION_COOKIE, path="/")
    return response


class _Outcome(TypedDict, total=False):
    """What a form's page shows after a post: a secret shown once, a notice, an error."""

    secret: dict[str, str] | None
    notice: str | None
    error: str | None
    status_code: int


def _outcome_page(
    request: Request, template: str, context: dict[str, Any], outcome: _Outcome
) -> HTMLResponse:
    return render(
        request,
        template,
        {
            **context,
            "secret": outcome.get("secret"),
            "notice": outcome.get("notice"),
            "error": outcome.get("error"),
        },
        outcome.get("status_code", 200),
    )


def _account_page(
    request: Request, settings: Settings, **outcome: Unpack[_Outcome]
) -> HTMLResponse:
    context = {
        "session_hours": f"{settings.session_hours:g}",
        "min_length": security.MIN_PASSWORD_LENGTH,
    }
    return _outcome_page(request, "account.html", context, outcome)


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request,
    settings: SettingsDep,
    _user: Annotated[User, Depends(current_user)],
    changed: bool = False,
) -> HTMLResponse:
    return _account_page(request, settings, notice="Password changed." if changed else None)


@router.post("/account", dependencies=[Depends(csrf_form)])
def change_password(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    user: Annotated[User, Depends(current_user)],
    current_password: Annotated[str, Form(max_length=4096)] = "",
    new_password: Annotated[str, Form(max_length=4096)] = "",
    repeat_password: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    """Change one's own password; other sessions of the user end, this one stays."""
    limiter: security.LoginRateLimiter = request.app.state.login_limiter
    if limiter.blocked(user.username):
        return _account_page(
            request,
            settings,
            error="Too many wrong passwords. Try again later.",
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if users.authenticate(engine, user.username, current_password) is None:
        limiter.record_failure(user.username)
        return _account_page(
            request,
            settings,
            error="Your current password is not right.",
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    problem = security.password_problem(new_password)
    if new_password != repeat_password:
        problem = "the two new passwords differ"
    elif new_password == current_password:
        problem = "the new password must differ from the current one"
    if problem:
        return _account_page(request, settings, error=f"Not changed: {problem}.", status_code=400)
    users.set_password(
        engine,
        user.username,
        new_password,
        must_change_password=False,
        keep_session_token=request.cookies.get(security.SESSION_COOKIE),
    )
    target = "/" if user.must_change_password else "/account?changed=true"
    return RedirectResponse(target, status.HTTP_303_SEE_OTHER)


@router.get("/api/v1/me", include_in_schema=True, tags=["access"])
def whoami(user: Annotated[User, Depends(current_user)]) -> dict[str, str]:
    """Who the session or API token belongs to, and its role."""
    return {"username": user.username, "role": user.role}


# --- admin: users ----------------------------------------------------------------------------


def _users_page(request: Request, engine: Engine, **outcome: Unpack[_Outcome]) -> HTMLResponse:
    context = {"accounts": users.list_accounts(engine), "roles": users.ROLES}
    return _outcome_page(request, "admin_users.html", context, outcome)


def _back_to_users(done: str) -> RedirectResponse:
    # ``done`` is a key of _USER_NOTICES: the page never echoes text taken from the URL.
    return RedirectResponse(f"/admin/users?done={done}", status.HTTP_303_SEE_OTHER)


_USER_NOTICES = {
    "role": "Role changed.",
    "disabled": "User disabled; their sessions ended.",
    "enabled": "User enabled.",
}


@router.get("/admin/users", response_class=HTMLResponse)
def admin_users(
    request: Request, engine: EngineDep, _admin: AdminDep, done: str | None = None
) -> HTMLResponse:
    return _users_page(request, engine, notice=_USER_NOTICES.get(done or ""))


@router.post("/admin/users", dependencies=[Depends(csrf_form)])
def admin_create_user(
    request: Request,
    engine: EngineDep,
    _admin: AdminDep,
    username: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "viewer",
) -> Response:
    password = security.new_password()
    try:
        users.create_user(engine, username.strip(), role, password, must_change_password=True)
    except InputError as error:
        return _users_page(request, engine, error=str(error), status_code=400)
    return _users_page(
        request,
        engine,
        secret={"username": username.strip(), "password": password},
        notice=f"User {username.strip()} added as {role}.",
    )


@router.post("/admin/users/{username}/role", dependencies=[Depends(csrf_form)])
def admin_set_role(
    request: Request,
    engine: EngineDep,
    _admin: AdminDep,
    username: str,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    try:
        users.set_role(engine, username, role)
    except InputError as error:
        return _users_page(request, engine, error=str(error), status_code=400)
    return _back_to_users("role")


@router.post("/admin/users/{username}/disable", dependencies=[Depends(csrf_form)])
def admin_disable(request: Request, engine: EngineDep, admin: AdminDep, username: str) -> Response:
    try:
        if username == admin.username:
            raise InputError("you cannot disable your own account")
        users.set_disabled(engine, username, True)
    except InputError as error:
        return _users_page(request, engine, error=str(error), status_code=400)
    return _back_to_users("disabled")


@router.post("/admin/users/{username}/enable", dependencies=[Depends(csrf_form)])
def admin_enable(request: Request, engine: EngineDep, _admin: AdminDep, username: str) -> Response:
    try:
        users.set_disabled(engine, username, False)
    except InputError as error:
        return _users_page(request, engine, error=str(error), status_code=400)
    return _back_to_users("enabled")


@router.post("/admin/users/{username}/reset-password", dependencies=[Depends(csrf_form)])
def admin_reset_password(
    request: Request, engine: EngineDep, admin: AdminDep, username: str
) -> Response:
    password = security.new_password()
    try:
        if username == admin.username:
            raise InputError("change your own password on the Account page")
        users.set_password(engine, username, password, must_change_password=True)
    except InputError as error:
        return _users_page(request, engine, error=str(error), status_code=400)
    return _users_page(
        request,
        engine,
        secret={"username": username, "password": password},
        notice=f"New one-time password for {username}; their sessions ended.",
    )


# --- admin: API tokens -----------------------------------------------------------------------


def _tokens_page(request: Request, engine: Engine, **outcome: Unpack[_Outcome]) -> HTMLResponse:
    context = {"tokens": users.list_tokens(engine), "accounts": users.list_accounts(engine)}
    return _outcome_page(request, "admin_tokens.html", context, outcome)


@router.get("/admin/tokens", response_class=HTMLResponse)
def admin_tokens(
    request: Request, engine: EngineDep, _admin: AdminDep, revoked: bool = False
) -> HTMLResponse:
    return _tokens_page(request, engine, notice="Token revoked." if revoked else None)


@router.post("/admin/tokens", dependencies=[Depends(csrf_form)])
def admin_create_token(
    request: Request,
    engine: EngineDep,
    _admin: AdminDep,
    name: Annotated[str, Form(max_length=400)] = "",
    username: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        _token_id, token = users.create_token(engine, username, name)
    except InputError as error:
        return _tokens_page(request, engine, error=str(error), status_code=400)
    return _tokens_page(
        request,
        engine,
        secret={"name": name.strip(), "username": username, "token": token},
        notice="Token created.",
    )


@router.post("/admin/tokens/{token_id}/revoke", dependencies=[Depends(csrf_form)])
def admin_revoke_token(
    request: Request, engine: EngineDep, _admin: AdminDep, token_id: int
) -> Response:
    try:
        users.revoke_token(engine, token_id)
    except InputError as error:
        return _tokens_page(request, engine, error=str(error), status_code=404)
    return RedirectResponse("/admin/tokens?revoked=true", status.HTTP_303_SEE_OTHER)
