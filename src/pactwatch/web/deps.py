"""FastAPI dependencies: the store, the settings, who is asking, what they may do, CSRF.

A request is authenticated by ``Authorization: Bearer <API token>`` or by the session
cookie ``pactwatch_session``. Missing or dead credentials give 401 on ``/api/`` and a
redirect to ``/login`` on pages. Roles are ordered viewer < analyst < admin; a route that
changes anything depends on ``require_analyst`` (or ``require_admin``) and, for a form
posted with the cookie, on ``csrf_form``. Requests with a bearer token carry no cookie a
third-party page could ride on, so they are exempt from CSRF.

Usage in a router::

    @router.post("/events/{event_id}/reviews",
                 dependencies=[Depends(csrf_form)])
    def review(user: Annotated[User, Depends(require_analyst)], ...): ...
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import Engine

from pactwatch.settings import Settings
from pactwatch.web import security
from pactwatch.web.users import User, find_session, find_token_user

__all__ = [
    "LoginRequired",
    "PasswordChangeRequired",
    "User",
    "csrf_form",
    "current_user",
    "get_engine",
    "get_settings",
    "optional_user",
    "require_admin",
    "require_analyst",
    "require_viewer",
]

# Pages a user who must change their password may still reach.
PASSWORD_CHANGE_PATHS = frozenset({"/account", "/logout"})


class LoginRequired(Exception):
    """Raised on a page without a live session; the app answers with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PasswordChangeRequired(Exception):
    """Raised on a page for a user who must change their password; redirect to /account."""


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def is_api_request(request: Request) -> bool:
    """JSON clients get status codes; browsers on pages get redirects and HTML."""
    path = request.url.path
    return path.startswith(("/api/", "/taxii2/")) or "authorization" in request.headers


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "use an 'Authorization: Bearer <token>' header",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


def optional_user(request: Request) -> User | None:
    """Who is asking, or None; caches the answer (and the session's CSRF token) on the request.

    A bearer token that is wrong, revoked or whose user is disabled is a 401 at once; it
    never falls back to the cookie.
    """
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    engine = get_engine(request)
    user: User | None = None
    request.state.csrf_token = None
    request.state.auth = None
    token = _bearer_token(request)
    if token is not None:
        user = find_token_user(engine, token)
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "this API token is not valid (unknown, revoked, or its user is disabled)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        request.state.auth = "token"
    else:
        cookie = request.cookies.get(security.SESSION_COOKIE)
        session = find_session(engine, cookie) if cookie else None
        if session is not None:
            user = session.user
            request.state.csrf_token = session.csrf_token
            request.state.auth = "session"
    request.state.user = user
    return user


def current_user(request: Request) -> User:
    """The logged-in user; 401 (API) or a redirect to /login (pages) when there is none.

    A user who must change their password reaches only /account and /logout until they do.
    """
    user = optional_user(request)
    if user is None:
        if is_api_request(request):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                "log in or send 'Authorization: Bearer <token>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        if is_api_request(request):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "change your password at /account first")
        raise PasswordChangeRequired()
    return user


def _require(user: User, role: str) -> User:
    if not user.at_least(role):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, f"this needs the {role} role; you are {user.role}"
        )
    return user


def require_viewer(user: Annotated[User, Depends(current_user)]) -> User:
    """Any logged-in user (viewer, analyst or admin): read access."""
    return _require(user, "viewer")


def require_analyst(user: Annotated[User, Depends(current_user)]) -> User:
    """An analyst or admin: may review events and change data."""
    return _require(user, "analyst")


def require_admin(user: Annotated[User, Depends(current_user)]) -> User:
    """An admin: may manage users and API tokens."""
    return _require(user, "admin")


async def csrf_form(request: Request, user: Annotated[User, Depends(current_user)]) -> None:
    """Refuse (403) a cookie-authenticated write whose ``csrf_token`` is not the session's.

    The token is read from the form field ``csrf_token`` or, for scripts, the
    ``X-CSRF-Token`` header. Bearer-token requests are exempt.
    """
    if request.state.auth == "token":
        return
    given = request.headers.get("x-csrf-token")
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get("csrf_token")
            given = value if isinstance(value, str) else None
    if not security.tokens_equal(given, request.state.csrf_token):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "the form's security token is missing or out of date; reload the page and retry",
        )
