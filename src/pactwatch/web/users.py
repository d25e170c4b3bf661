"""Accounts, sessions and API tokens in the store: every write of access control is here.

Sessions and tokens are looked up by the SHA-256 of the secret the client holds; a session
joins its user on every request, so disabling a user or logging out ends access at once.
Usernames are matched exactly as stored (case-sensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from pactwatch.errors import InputError
from pactwatch.store.schema import api_tokens, users, web_sessions
from pactwatch.web import security

ROLES = ("viewer", "analyst", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,79}$")
FIRST_ADMIN = "admin"


@dataclass(frozen=True)
class User:
    """Who is asking: enough to authorise a request and to sign a review."""

    id: int
    username: str
    role: str
    must_change_password: bool = False

    def at_least(self, role: str) -> bool:
        """Whether this user's role is ``role`` or above (viewer < analyst < admin)."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass(frozen=True)
class Account:
    """A row of the users table as the admin page shows it (no hash)."""

    id: int
    username: str
    role: str
    must_change_password: bool
    disabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Session:
    """A live session: its user and the CSRF token its forms must carry."""

    user: User
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class NewSession:
    """A session just opened: ``token`` goes into the cookie and is never stored."""

    token: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed: never the secret, which is shown once at creation."""

    id: int
    name: str
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _now() -> datetime:
    return datetime.now(UTC)


def check_role(role: str) -> str:
    if role not in ROLE_RANK:
        raise InputError(f"role {role!r} is not one of {', '.join(ROLES)}")
    return role


def check_username(username: str) -> str:
    if not USERNAME_PATTERN.match(username):
        raise InputError(
            f"username {username!r} is not valid: 1-80 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or digit"
        )
    return username


def check_password(password: str) -> str:
    problem = security.password_problem(password)
    if problem:
        raise InputError(problem)
    return password


def create_user(
    engine: Engine,
    username: str,
    role: str,
    password: str,
    *,
    must_change_password: bool = False,
) -> User:
    """Add an account; ``InputError`` for a bad name, role or password, or a taken name."""
    check_username(username)
    check_role(role)
    check_password(password)
    row = {
        "username": username,
        "password_hash": security.hash_password(password),
        "role": role,
        "must_change_password": must_change_password,
        "disabled": False,
        "created_at": _now(),
    }
    try:
        with engine.begin() as conn:
            user_id = conn.execute(insert(users).values(row).returning(users.c.id)).scalar_one()
    except IntegrityError:
        raise InputError(f"a user named {username!r} already exists") from None
    return User(user_id, username, role, must_change_password)


def ensure_admin(engine: Engine) -> str | None:
    """On a store with no users, create ``admin`` with a one-time password and return it.

    The password must be changed at first login (``must_change_password``). On a store
    that has any user, nothing happens and None is returned.
    """
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(users)).scalar_one():
            return None
    password = security.new_password()
    try:
        create_user(engine, FIRST_ADMIN, "admin", password, must_change_password=True)
    except InputError:  # another process created it between our count and our insert
        return None
    return password


def find_account(engine: Engine, username: str) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    if row is None:
        return None
    return Account(
        row["id"],
        row["username"],
        row["role"],
        bool(row["must_change_password"]),
        bool(row["disabled"]),
        row["created_at"],
    )


def _account(engine: Engine, username: str) -> Account:
    account = find_account(engine, username)
    if account is None:
        raise InputError(f"no user named {username!r}")
    return account


def list_accounts(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        rows = conn.execute(select(users).order_by(users.c.username)).mappings().all()
    return [
        Account(
            r["id"],
            r["username"],
            r["role"],
            bool(r["must_change_password"]),
            bool(r["disabled"]),
            r["created_at"],
        )
        for r in rows
    ]


def authenticate(engine: Engine, username: str, password: str) -> User | None:
    """The user whose name and password these are, or None (same cost either way).

    A disabled user is refused like a wrong password. A hash made with older argon2
    parameters is replaced on success.
    """
    with engine.connect() as conn:
        row = (
            conn.execute(select(users).where(users.c.username == username[:80])).mappings().first()
        )
    usable = row is not None and not row["disabled"]
    stored_hash = row["password_hash"] if row is not None and usable else None
    if not security.verify_password(stored_hash, password) or row is None:
        return None
    if security.password_needs_rehash(row["password_hash"]):
        with engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == row["id"])
                .values(password_hash=security.hash_password(password))
            )
    return User(row["id"], row["username"], row["role"], bool(row["must_change_password"]))


def _active_admins(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(users)
                .where(users.c.role == "admin", users.c.disabled.is_(False))
            ).scalar_one()
        )


def _keep_an_admin(engine: Engine, account: Account) -> None:
    if account.role == "admin" and not account.disabled and _active_admins(engine) <= 1:
        raise InputError(f"{account.username!r} is the last active admin; make another admin first")


def set_role(engine: Engine, username: str, role: str) -> Account:
    """Change a user's role; the last active admin cannot be demoted."""
    check_role(role)
    account = _account(engine, username)
    if role != "admin":
        _keep_an_admin(engine, account)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == account.id).values(role=role))
    return _account(engine, username)


def set_disabled(engine: Engine, username: str, disabled: bool = True) -> Account:
    """Disable (or enable) a user; disabling ends their sessions and stops their tokens.

    Tokens are not revoked, only refused while the user is disabled, so enabling a user
    gives back exactly what they had.
    """
    account = _account(engine, username)
    if disabled:
        _keep_an_admin(engine, account)
    with engine.begin() as conn:
        conn.execute(update(users).where(users.c.id == account.id).values(disabled=disabled))
        if disabled:
            conn.execute(delete(web_sessions).where(web_sessions.c.user_id == account.id))
    return _account(engine, username)


def set_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    must_change_password: bool,
    keep_session_token: str | None = None,
) -> None:
    """Set a new password and end the user's sessions (all but ``keep_session_token``).

    A reset by an admin passes ``must_change_password=True``; the user's own change passes
    False and keeps the session they changed it from.
    """
    check_password(password)
    account = _account(engine, username)
    ended = delete(web_sessions).where(web_sessions.c.user_id == account.id)
    if keep_session_token is not None:
        ended = ended.where(web_sessions.c.token_hash != security.token_hash(keep_session_token))
    with engine.begin() as conn:
        conn.execute(
            update(users)
            .where(users.c.id == account.id)
            .values(
                password_hash=security.hash_password(password),
                must_change_password=must_change_password,
            )
        )
        conn.execute(ended)


# --- sessions --------------------------------------------------------------------------------


def create_session(engine: Engine, user: User, hours: float) -> NewSession:
    """Open a session lasting ``hours``; the store keeps the token's hash only."""
    token = security.new_token()
    csrf_token = security.new_token()
    now = _now()
    expires_at = now + timedelta(hours=hours)
    with engine.begin() as conn:
        conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
        conn.execute(
            insert(web_sessions).values(
                token_hash=security.token_hash(token),
                user_id=user.id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=expires_at,
            )
        )
    return NewSession(token, csrf_token, expires_at)


def find_session(engine: Engine, token: str) -> Session | None:
    """The live session of this cookie value: not expired, its user not disabled."""
    query = (
        select(
            users.c.id,
            users.c.username,
            users.c.role,
            users.c.must_change_password,
            web_sessions.c.csrf_token,
            web_sessions.c.expires_at,
        )
        .select_from(web_sessions.join(users, users.c.id == web_sessions.c.user_id))
        .where(
            web_sessions.c.token_hash == security.token_hash(token),
            web_sessions.c.expires_at > _now(),
            users.c.disabled.is_(False),
        )
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    user = User(row["id"], row["username"], row["role"], bool(row["must_change_password"]))
    return Session(user, row["csrf_token"], row["expires_at"])


def end_session(engine: Engine, token: str) -> None:
    """Log out: the session's row is deleted, so the cookie opens nothing any more."""
    with engine.begin() as conn:
        conn.execute(
            delete(web_sessions).where(web_sessions.c.token_hash == security.token_hash(token))
        )


# --- API tokens ------------------------------------------------------------------------------


def create_token(engine: Engine, username: str, name: str) -> tuple[int, str]:
    """A new API token for ``username``: its id and the secret, which is never shown again."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InputError("a token needs a name of 1-200 characters (what it is for)")
    account = _account(engine, username)
    token = security.new_token()
    with engine.begin() as conn:
        token_id = conn.execute(
            insert(api_tokens)
            .values(
                user_id=account.id,
                name=name,
                token_hash=security.token_hash(token),
                created_at=_now(),
                revoked=False,
            )
            .returning(api_tokens.c.id)
        ).scalar_one()
    return int(token_id), token


def find_token_user(engine: Engine, token: str) -> User | None:
    """The user of a live API token (not revoked, user not disabled); records its use."""
    query = (
        select(
            api_tokens.c.id.label("token_id"),
            api_tokens.c.last_used_at,
            users.c.id,
            users.c.username,
            users.c.role,
            users.c.must_change_password,
        )
        .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
        .where(
            api_tokens.c.token_hash == security.token_hash(token),
            api_tokens.c.revoked.is_(False),
            users.c.disabled.is_(False),
        )
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    now = _now()
    last = row["last_used_at"]
    if last is None or now - last > timedelta(minutes=1):  # one write a minute, not per call
        with engine.begin() as conn:
            conn.execute(
                update(api_tokens)
                .where(api_tokens.c.id == row["token_id"])
                .values(last_used_at=now)
            )
    return User(row["id"], row["username"], row["role"], bool(row["must_change_password"]))


def revoke_token(engine: Engine, token_id: int) -> None:
    """Revoke an API token for good; ``InputError`` when there is no such token."""
    with engine.begin() as conn:
        done = conn.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(revoked=True)
        ).rowcount
    if not done:
        raise InputError(f"no API token with id {token_id}")


def list_tokens(engine: Engine, username: str | None = None) -> list[TokenInfo]:
    query = (
        select(
            api_tokens.c.id,
            api_tokens.c.name,
            users.c.username,
            api_tokens.c.created_at,
            api_tokens.c.last_used_at,
            api_tokens.c.revoked,
        )
        .select_from(api_tokens.join(users, users.c.id == api_tokens.c.user_id))
        .order_by(api_tokens.c.id)
    )
    if username is not None:
        query = query.where(users.c.username == username)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [TokenInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]
