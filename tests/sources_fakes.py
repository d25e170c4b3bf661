"""Fakes shared by the source tests: a resolver and an in-memory website.

Nothing here touches the network: names resolve from a table, and ``FakeSite`` is an
``httpx.MockTransport`` handler that answers from a table of routes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from pactwatch.errors import FetchError
from pactwatch.settings import Settings
from pactwatch.sources.fetch import SafeFetcher

ADDRESSES = {
    "news.example": ["93.184.216.34"],
    "other.example": ["93.184.216.35"],
    "evil.example": ["10.0.0.5"],
    "mixed.example": ["93.184.216.36", "127.0.0.1"],
}

HTML = {"content-type": "text/html; charset=utf-8"}
ARTICLE = "<html><head><title>T</title></head><body><p>KFOR patrols.</p></body></html>"


def fake_resolver(host: str, port: int) -> list[str]:
    if host in ADDRESSES:
        return list(ADDRESSES[host])
    raise FetchError(f"{host}: the name does not resolve", reason="dns_failed")


Route = Callable[[httpx.Request], httpx.Response] | tuple[int, dict[str, str], Any]


@dataclass
class FakeSite:
    """Answers ``host/path`` from ``routes``; anything else is a 404. Records requests."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get(f"{request.url.host}{request.url.path}")
        if route is None:
            return httpx.Response(404, text="not here")
        if callable(route):
            return route(request)
        status, headers, content = route
        return httpx.Response(status, headers=headers, content=content)

    def paths(self) -> list[str]:
        return [f"{request.url.host}{request.url.path}" for request in self.requests]


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "allow_private": False,
        "max_redirects": 3,
        "max_download_bytes": 1000,
        "user_agent": "pactwatch-test/1.0",
        **overrides,
    }
    return Settings(**values)


def make_fetcher(site: Callable[[httpx.Request], httpx.Response], **overrides: Any) -> SafeFetcher:
    return SafeFetcher(
        make_settings(**overrides), transport=httpx.MockTransport(site), resolver=fake_resolver
    )
