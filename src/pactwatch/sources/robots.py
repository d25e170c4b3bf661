"""robots.txt rules, one set per origin, as RFC 9309 says to read them.

``RobotsCache`` asks a fetch function for ``/robots.txt`` the first time it sees an
origin (scheme, host, port) and keeps the answer for its own lifetime, which is the life
of one ``SafeFetcher``. The fetch function is the fetcher's own, so robots.txt is got
under the same address, redirect and size rules as any page.

What the answer means (RFC 9309, section 2.3.1):

- 2xx: the file's rules, parsed by ``protego``, for our User-Agent.
- 4xx ("unavailable", including 401 and 403): no rules, everything allowed.
  429 Too Many Requests is the exception: it is the server asking us to back off, so
  we treat it like a server error (as Google does).
- 5xx, 429, or no answer at all (DNS, connect, timeout, refused address):
  "unreachable", everything disallowed.
- more redirects than allowed: the RFC lets a crawler take the file as unavailable,
  so everything is allowed.

Only the first 500 KiB of the file are parsed, the minimum the RFC requires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
from protego import Protego

from pactwatch.errors import PactwatchError, RobotsDisallowed

ROBOTS_MAX_BYTES = 500 * 1024


@dataclass(frozen=True, slots=True)
class RobotsAnswer:
    """What the server said to ``GET /robots.txt`` (after redirects)."""

    status_code: int
    text: str


RobotsFetch = Callable[[str], RobotsAnswer]
"""Gets a robots.txt URL; raises a ``PactwatchError`` when the server gives no answer."""


@dataclass(frozen=True, slots=True)
class OriginRules:
    """The parsed file of one origin, or a blanket allow or disallow with its cause."""

    parser: Protego | None
    allow_all: bool
    cause: str


def robots_url_for(url: str) -> str:
    """The robots.txt URL that governs ``url`` (same scheme, host and port)."""
    return str(httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None))


def _origin_of(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    return (parsed.scheme, parsed.host, parsed.port)


def rules_from_answer(answer: RobotsAnswer) -> OriginRules:
    """Turn a robots.txt response into rules, by RFC 9309's table."""
    status = answer.status_code
    if 200 <= status < 300:
        return OriginRules(Protego.parse(answer.text), allow_all=False, cause="robots.txt")
    if status == 429 or status >= 500:
        return OriginRules(None, allow_all=False, cause=f"robots.txt answered {status}")
    # 4xx is "unavailable"; so is a 1xx or a 3xx we could not follow: no rules at all.
    return OriginRules(None, allow_all=True, cause=f"robots.txt answered {status}")


class RobotsCache:
    """Decides whether our User-Agent may fetch a URL, fetching robots.txt once per origin."""

    def __init__(self, fetch_robots: RobotsFetch, user_agent: str) -> None:
        self._fetch_robots = fetch_robots
        self._user_agent = user_agent
        self._rules: dict[tuple[str, str, int | None], OriginRules] = {}

    def check(self, url: str) -> None:
        """Return if robots.txt allows ``url``; raise ``RobotsDisallowed`` otherwise."""
        rules = self._rules_for(url)
        if rules.parser is not None:
            if rules.parser.can_fetch(url, self._user_agent):
                return
            raise RobotsDisallowed(f"{url}: robots.txt disallows it for our User-Agent")
        if not rules.allow_all:
            raise RobotsDisallowed(f"{url}: {rules.cause}, so the whole site is off limits")

    def _rules_for(self, url: str) -> OriginRules:
        origin = _origin_of(url)
        rules = self._rules.get(origin)
        if rules is None:
            rules = self._load(robots_url_for(url))
            self._rules[origin] = rules
        return rules

    def _load(self, robots_url: str) -> OriginRules:
        try:
            answer = self._fetch_robots(robots_url)
        except PactwatchError as exc:
            if exc.reason == "too_many_redirects":
                return OriginRules(None, allow_all=True, cause="robots.txt redirects too often")
            return OriginRules(
                None, allow_all=False, cause=f"robots.txt is unreachable ({exc.reason})"
            )
        return rules_from_answer(answer)
