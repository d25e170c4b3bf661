"""The one small exception tree of pactwatch.

    PactwatchError                 every error we raise on purpose
    ├── InputError                 something wrong with what the user gave us
    │   ├── UnsupportedInput       a file type or URL scheme we do not read
    │   └── MalformedInput         a file we read but cannot make sense of
    ├── FetchError                 getting a URL failed
    │   ├── BlockedAddress         the URL resolves to an address we refuse (SSRF guard)
    │   ├── RobotsDisallowed       robots.txt forbids the URL for our User-Agent
    │   ├── TooLarge               the body is over the size cap
    │   └── BadResponse            status, content type or redirect chain not acceptable
    ├── StoreError                 the database refused or is not reachable
    └── ConfigError                a setting is missing or wrong

Every error carries ``reason``: a short stable key (``not_utf8``, ``http_404``,
``private_address``) used to count dropped items by reason, Scrapy-style. ``str(error)``
is the one line a user sees: what was wrong, and where.
"""

from __future__ import annotations


class PactwatchError(Exception):
    """Base of every error pactwatch raises on purpose."""

    reason = "error"

    def __init__(self, message: str, *, reason: str | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class InputError(PactwatchError):
    reason = "bad_input"


class UnsupportedInput(InputError):
    reason = "unsupported"


class MalformedInput(InputError):
    reason = "malformed"


class FetchError(PactwatchError):
    reason = "fetch_failed"


class BlockedAddress(FetchError):
    reason = "blocked_address"


class RobotsDisallowed(FetchError):
    reason = "robots_disallowed"


class TooLarge(FetchError):
    reason = "too_large"


class BadResponse(FetchError):
    reason = "bad_response"


class StoreError(PactwatchError):
    reason = "store_error"


class ConfigError(PactwatchError):
    reason = "config_error"
