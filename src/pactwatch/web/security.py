"""Secrets done once, in one place: password hashes, random tokens, token hashes, CSRF compare.

Passwords are hashed with argon2id (argon2-cffi, RFC 9106 low-memory profile). Session
cookies and API tokens are 32 random bytes (URL-safe base64); the store keeps only their
SHA-256, so a copy of the database opens no session and no API. A failed login costs the
same time whether or not the user exists (``verify_password`` against a dummy hash), and
``LoginRateLimiter`` refuses a username after a few failures in a short window.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; a cap keeps a login from costing much

SESSION_COOKIE = "pactwatch_session"
LOGIN_CSRF_COOKIE = "pactwatch_login_csrf"

# default-src 'self' covers scripts, styles, images and fonts: no CDN, no inline script,
# no inline style attribute. The rest closes what default-src does not (framing, forms).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)
# For a self-contained document served as is (the assessment report, whose template has
# its own <style>): no script, no fetch, no form; only its inline styles and data: images.
# A response that sets Content-Security-Policy itself keeps it (app.SecurityHeadersMiddleware).
STANDALONE_DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4 (argon2-cffi's RFC 9106 default)


def set_password_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Swap the hasher (tests use cheap parameters); returns the previous one."""
    global _hasher
    previous, _hasher = _hasher, hasher
    _dummy_hash.cache_clear()
    return previous


def hash_password(password: str) -> str:
    """The argon2id hash (PHC string, salt included) of ``password``."""
    return _hasher.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; with no hash, spend the same time.

    Passing ``None`` (unknown or disabled user) still runs one argon2 verification, so the
    response time does not tell which usernames exist.
    """
    if len(password) > MAX_PASSWORD_LENGTH:
        password = password[:MAX_PASSWORD_LENGTH]
    try:
        matched = _hasher.verify(password_hash or _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return matched and password_hash is not None


def password_needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with older parameters than ours (then rehash on login)."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str) -> str | None:
    """Why ``password`` is not acceptable, in words, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password has at most {MAX_PASSWORD_LENGTH} characters"
    if password.strip() != password:
        return "a password cannot start or end with a space"
    return None


def new_token() -> str:
    """A fresh secret: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def new_password() -> str:
    """A one-time password people can type: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def token_hash(token: str) -> str:
    """SHA-256 hex of a session or API token: what the store keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tokens_equal(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two secrets (CSRF tokens); missing means not equal."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class LoginRateLimiter:
    """At most ``max_failures`` failed logins per username within ``window_seconds``.

    Kept in memory of the one serving process: enough to stop a password guesser at the
    login form of a single-process dashboard; a restart forgets it.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str) -> str:
        return username.strip().casefold()[:80]

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] >= self.window_seconds:
            failures.popleft()
        return failures

    def blocked(self, username: str) -> bool:
        """Whether this username has used up its failures for now."""
        with self._lock:
            key = self._key(username)
            recent = self._recent(key, self._clock())
            if not recent:
                self._failures.pop(key, None)
            return len(recent) >= self.max_failures

    def retry_after(self, username: str) -> int:
        """Seconds until the oldest failure in the window expires (for ``Retry-After``)."""
        with self._lock:
            now = self._clock()
            recent = self._recent(self._key(username), now)
            if not recent:
                return 0
            return max(1, int(self.window_seconds - (now - recent[0])) + 1)

    def record_failure(self, username: str) -> None:
        with self._lock:
            key = self._key(username)
            self._recent(key, self._clock()).append(self._clock())
            if len(self._failures) > 10_000:  # a flood of made-up names must not grow memory
                oldest = next(iter(self._failures))
                self._failures.pop(oldest, None)

    def reset(self, username: str) -> None:
        """Forget the failures of ``username`` (after a successful login)."""
        with self._lock:
            self._failures.pop(self._key(username), None)
