"""Partner authentication for TAXII: HTTP Basic (argon2id) and bearer tokens (sha256).

TAXII partners are not dashboard users: they have their own table (``partners``) and
credentials (``partner_credentials``). A disabled partner or a revoked credential is
refused like a wrong one: 401 with ``WWW-Authenticate`` for both schemes.

argon2 is slow on purpose, and a client paging a large collection sends the same Basic
credentials on every request, so a successful verification is remembered for a minute
(keyed by a sha256 of the pair, never the password itself); the partner's and the
credential's state are still read from the store on every request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import ColumnElement, Connection, select

from pactwatch.share.taxii.media import TaxiiError
from pactwatch.share.tlp import tlp_rank
from pactwatch.store.schema import partner_credentials, partners

REALM: Final = "pactwatch TAXII"
CHALLENGE: Final = {
    "WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8", Bearer realm="{REALM}"'
}
VERIFIED_FOR_SECONDS: Final = 60.0

_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 defaults


def set_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Swap the hasher (tests use cheap parameters); returns the previous one."""
    global _hasher
    previous, _hasher = _hasher, hasher
    _dummy_hash.cache_clear()
    _verified.clear()
    return previous


@dataclass(frozen=True, slots=True)
class Partner:
    id: int
    name: str
    max_rank: int  # 0 clear .. 4 red: the highest TLP level it may receive


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """32 random bytes, URL-safe base64: a generated password or bearer token."""
    return secrets.token_urlsafe(32)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not a password of anyone")


_verified: dict[str, tuple[int, float]] = {}  # sha256(user, password) -> credential id, until
_verified_lock = threading.Lock()


def _unauthorized(description: str) -> TaxiiError:
    return TaxiiError(401, "Unauthorized", description, CHALLENGE)


def authenticate(conn: Connection, authorization: str | None) -> Partner:
    """The partner the ``Authorization`` header belongs to, or a 401 ``TaxiiError``."""
    if not authorization:
        raise _unauthorized("send HTTP Basic credentials or a bearer token")
    scheme, _, value = authorization.strip().partition(" ")
    scheme = scheme.lower()
    if scheme == "bearer" and value.strip():
        digest = hash_token(value.strip())
        return _partner_of(
            conn,
            (partner_credentials.c.kind == "bearer") & (partner_credentials.c.token_hash == digest),
        )
    if scheme == "basic":
        credential = _basic_credential(conn, value.strip())
        return _partner_of(conn, partner_credentials.c.id == credential)
    raise _unauthorized("use HTTP Basic or a bearer token")


def _basic_credential(conn: Connection, value: str) -> int:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _unauthorized("the Basic credentials are not base64 of user:password") from None
    username, sep, password = decoded.partition(":")
    if not sep:
        raise _unauthorized("the Basic credentials are not user:password")
    key = hashlib.sha256(f"{username}\0{password}".encode()).hexdigest()
    now = time.monotonic()
    with _verified_lock:
        remembered = _verified.get(key)
    if remembered is not None and remembered[1] > now:
        return remembered[0]
    row = conn.execute(
        select(partner_credentials.c.id, partner_credentials.c.secret_hash).where(
            partner_credentials.c.kind == "basic", partner_credentials.c.username == username
        )
    ).first()
    stored = row.secret_hash if row is not None else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise _unauthorized("wrong user name or password") from None
    if row is None:
        raise _unauthorized("wrong user name or password")
    with _verified_lock:
        if len(_verified) > 10_000:
            _verified.clear()
        _verified[key] = (int(row.id), now + VERIFIED_FOR_SECONDS)
    return int(row.id)


def _partner_of(conn: Connection, credential: ColumnElement[bool]) -> Partner:
    """The live partner of the live credential ``credential`` selects: one query."""
    row = conn.execute(
        select(partners.c.id, partners.c.name, partners.c.max_tlp)
        .select_from(partners.join(partner_credentials))
        .where(
            credential,
            partner_credentials.c.revoked.is_(False),
            partners.c.disabled.is_(False),
        )
    ).first()
    if row is None:
        raise _unauthorized("the credential is not valid, or revoked, or its partner disabled")
    return Partner(int(row.id), str(row.name), tlp_rank(str(row.max_tlp)))
