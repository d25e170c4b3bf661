"""Helpers for driving the dashboard in a real headless Chromium (tests and screenshots).

- ``chromium_executable``: the browser to use (``PACTWATCH_TEST_CHROMIUM`` or Debian's
  ``/usr/bin/chromium``); Playwright launches it by path and never downloads one.
- ``serving``: the real app served by uvicorn in a thread on 127.0.0.1 and a free port.
- ``launch_chromium``: headless Chromium with the flags that keep it off the network.
- ``PageWatch``: what a page did that it must not: console errors, uncaught exceptions,
  Content-Security-Policy violations, requests leaving 127.0.0.1.
- ``log_in``: through the login form, as a person would.

Used by ``tests/test_browser.py`` and ``scripts/screenshots.py``; nothing here needs pytest.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pactwatch.web.cli import address_of, bind_socket, make_server

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Page,
        Playwright,
        Request,
        Response,
    )
    from starlette.types import ASGIApp

CHROMIUM_ENV = "PACTWATCH_TEST_CHROMIUM"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (containers, root), no GPU, and none of the browser's own traffic
# (component updates, field trials, safe-browsing lists): the tests run offline.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LAUNCH_TIMEOUT_MS = 30_000
ACTION_TIMEOUT_MS = 10_000
NAVIGATION_TIMEOUT_MS = 15_000
SERVER_START_S = 30.0
SERVER_STOP_S = 15.0
LOCAL_HOSTS = {"127.0.0.1"}
# Schemes that never reach a network (inline images, the blank page).
LOCAL_SCHEMES = {"data", "about", "blob"}

# Records every Content-Security-Policy violation the page reports, before its own scripts run.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || "page"}:${event.lineNumber})`
  );
});
"""


def chromium_executable() -> Path | None:
    """The Chromium to drive: ``$PACTWATCH_TEST_CHROMIUM``, else Debian's, else None."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return Path(configured)
    return DEBIAN_CHROMIUM if DEBIAN_CHROMIUM.exists() else None


def launch_chromium(playwright: Playwright, executable: Path) -> Browser:
    """Headless Chromium from ``executable`` (never a browser Playwright downloads)."""
    return playwright.chromium.launch(
        executable_path=str(executable),
        headless=True,
        args=CHROMIUM_ARGS,
        timeout=LAUNCH_TIMEOUT_MS,
    )


@dataclass
class LiveServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash

    def at(self, path: str) -> str:
        return self.url + path


@contextmanager
def serving(app: ASGIApp) -> Iterator[LiveServer]:
    """Serve ``app`` with uvicorn in a thread on 127.0.0.1 and a free port; stop it after.

    Raises ``RuntimeError`` if the server does not start or stop in time.
    """
    failures: list[BaseException] = []
    with bind_socket("127.0.0.1", 0) as sock:
        port = sock.getsockname()[1]
        server = make_server(app, "127.0.0.1", port, quiet=True)

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as error:
                failures.append(error)

        thread = threading.Thread(target=run, name="pactwatch-live-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + SERVER_START_S
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not server.started:
            server.should_exit = True
            thread.join(SERVER_STOP_S)
            raise RuntimeError(f"the server did not start: {failures or 'timed out'}")
        try:
            yield LiveServer(address_of(sock).rstrip("/"))
        finally:
            server.should_exit = True
            thread.join(SERVER_STOP_S)
        if thread.is_alive():
            raise RuntimeError(f"the server did not stop within {SERVER_STOP_S:.0f} s")
        if failures:
            raise RuntimeError(f"the server failed: {failures[0]!r}") from failures[0]


def is_local(url: str) -> bool:
    """Whether a request to ``url`` stays on this machine (127.0.0.1 or no network at all)."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (
        parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS
    )


@dataclass
class PageWatch:
    """What a page did wrong: console errors and warnings, page errors, CSP violations,
    failed requests (an error status included) and requests to anywhere but 127.0.0.1
    (those are also aborted, so nothing leaves)."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_failed)
        page.on("response", self._on_response)
        page.add_init_script(CSP_LISTENER)
        page.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text} ({message.location})")

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not is_local(request.url):
            self.outside_requests.append(request.url)

    def _on_failed(self, request: Request) -> None:
        # ERR_ABORTED: cancelled because the page moved on (a favicon mid-navigation).
        if is_local(request.url) and request.failure != "net::ERR_ABORTED":
            self.failed_requests.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed_requests.append(f"{response.url}: HTTP {response.status}")

    def csp_messages(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]

    def problems(self, page: Page | None = None) -> list[str]:
        """Everything wrong so far; with ``page``, its reported CSP violations too."""
        found = [*self.console, *self.page_errors]
        found += [f"request left 127.0.0.1: {url}" for url in self.outside_requests]
        found += [f"request failed: {failure}" for failure in self.failed_requests]
        if page is not None and not page.is_closed():
            found += [f"CSP violation: {v}" for v in csp_violations(page)]
        return found


def csp_violations(page: Page) -> list[str]:
    """The violations the current document reported (``securitypolicyviolation`` events)."""
    return list(page.evaluate("() => window.__cspViolations || []"))


def log_in(page: Page, server: LiveServer, username: str, password: str, path: str = "/") -> None:
    """Open ``path``, get sent to the login form, fill it in and land back on ``path``."""
    page.goto(server.at(path))
    page.wait_for_url(lambda url: urlsplit(url).path == "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    landed = urlsplit(page.url)
    if landed.path != urlsplit(server.at(path)).path:
        raise AssertionError(f"logging in as {username} ended on {page.url}")
