"""``SafeFetcher``: the one way pactwatch gets a URL.

Every request, and every redirect target, passes three gates before it is sent:
``netguard.check_url`` (http/https only, no credentials, public addresses only unless
``allow_private``), robots.txt for our User-Agent (``robots.RobotsCache``), and then the
response must have an acceptable status, an accepted content type and a body within
``max_download_bytes`` (checked against Content-Length up front and counted while
streaming, after gzip decoding, so a compressed bomb stops at the cap too).

Redirects are followed here, not by httpx, so each hop is checked: at most
``max_redirects`` hops of 301, 302, 303, 307 or 308, each Location resolved against the
URL that sent it.

DNS rebinding: ``check_url`` resolves the host before the request, and a name could
answer differently when the connection is opened. With the default transport that
window is closed: ``netguard.GuardedTransport`` resolves and checks again at connect
time and connects to the very address it checked. A transport passed in by a caller
(tests use ``httpx.MockTransport``) gets only the ``check_url`` gate.

Errors (``pactwatch.errors``), by reason: ``timeout``, ``connect_failed``,
``transfer_failed`` (the connection broke mid-response), ``http_<status>``,
``bad_content_type``, ``too_large``, ``too_many_redirects``, ``robots_disallowed``,
``private_address``, ``dns_failed``, ``unsupported_scheme``, ``bad_url``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin

import httpx

from pactwatch.errors import BadResponse, FetchError, PactwatchError, TooLarge
from pactwatch.models import Dropped, RawItem
from pactwatch.settings import Settings
from pactwatch.sources.netguard import GuardedTransport, Resolver, check_url, system_resolver
from pactwatch.sources.robots import ROBOTS_MAX_BYTES, RobotsAnswer, RobotsCache

HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A response we accepted.

    ``content_type`` is the media type without parameters (``text/html``), "" when the
    server sent none. ``text`` is the body decoded by the response charset, else a
    ``<meta charset>`` for HTML, else UTF-8, with undecodable bytes replaced; ``body``
    is the body as received (after Content-Encoding), for parsers that read the
    encoding themselves (feedparser). ``headers`` has lower-case names. ``redirects``
    lists the URLs that answered with a redirect, in order; a 304 has empty text.
    """

    requested_url: str
    final_url: str
    status_code: int
    content_type: str
    text: str
    headers: dict[str, str]
    redirects: list[str]
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class _Policy:
    """What one kind of request accepts (pages and robots.txt differ)."""

    accept: tuple[str, ...] | None  # None: any content type
    obey_robots: bool
    max_bytes: int
    truncate: bool  # cut the body at max_bytes instead of refusing it
    raise_for_status: bool


@dataclass(frozen=True, slots=True)
class _Answer:
    status_code: int
    headers: httpx.Headers
    content_type: str
    charset: str | None
    body: bytes


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def decode_body(body: bytes, charset: str | None, media_type: str) -> str:
    """The body as text: BOM, then ``charset`` (from the headers), then ``<meta charset>``
    for HTML, then UTF-8; bytes that do not decode are replaced, never an error."""
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if charset is None and media_type in HTML_TYPES:
        match = _META_CHARSET.search(body[:4096])
        charset = match.group(1).decode("ascii") if match else None
    if charset is not None:
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    return body.decode(charset or "utf-8", errors="replace")


def dropped_from_error(origin: str, error: PactwatchError) -> Dropped:
    """A ``Dropped`` for ``origin`` whose detail does not repeat the origin."""
    detail = str(error).removeprefix(f"{origin}: ")
    return Dropped(origin=origin, reason=error.reason, detail=detail)


class SafeFetcher:
    """Fetches URLs under the SSRF guard, robots.txt, redirect, size and type rules.

    Use it as a context manager (or call ``close``); robots.txt answers are kept for
    its lifetime. ``transport`` and ``resolver`` are for tests.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self._allow_private = settings.allow_private
        self._resolver = resolver or system_resolver
        self._max_bytes = settings.max_download_bytes
        self._max_redirects = settings.max_redirects
        if transport is None:
            transport = GuardedTransport(allow_private=self._allow_private, resolver=self._resolver)
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            headers={"User-Agent": settings.user_agent},
        )
        self._robots = RobotsCache(self._get_robots, settings.user_agent)
        self._robots_policy = _Policy(
            accept=None,
            obey_robots=False,
            max_bytes=ROBOTS_MAX_BYTES,
            truncate=True,
            raise_for_status=False,
        )

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client and its connections."""
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        accept: tuple[str, ...] = HTML_TYPES,
        headers: dict[str, str] | None = None,
    ) -> FetchedPage:
        """Get ``url``: a 2xx response of an ``accept``-ed type, or a 304.

        Raises a ``PactwatchError`` (see the module docstring for the reasons) for
        anything else; never returns a page that broke a rule.
        """
        # httpx.Headers merges names without regard to case: the caller's Accept wins.
        request_headers = httpx.Headers({"Accept": ", ".join(accept) + ", */*;q=0.1"})
        request_headers.update(headers or {})
        policy = _Policy(
            accept=accept,
            obey_robots=True,
            max_bytes=self._max_bytes,
            truncate=False,
            raise_for_status=True,
        )
        return self._get(url, request_headers, policy)

    def _get_robots(self, robots_url: str) -> RobotsAnswer:
        page = self._get(robots_url, httpx.Headers(), self._robots_policy)
        return RobotsAnswer(page.status_code, page.body.decode("utf-8", errors="replace"))

    def _get(self, url: str, headers: httpx.Headers, policy: _Policy) -> FetchedPage:
        redirects: list[str] = []
        current = url
        for _hop in range(self._max_redirects + 1):
            check_url(current, allow_private=self._allow_private, resolver=self._resolver)
            if policy.obey_robots:
                self._robots.check(current)
            answer = self._request(current, headers, policy)
            if isinstance(answer, str):
                redirects.append(current)
                current = answer
                continue
            return FetchedPage(
                requested_url=url,
                final_url=current,
                status_code=answer.status_code,
                content_type=answer.content_type,
                text=decode_body(answer.body, answer.charset, answer.content_type),
                headers=dict(answer.headers.items()),
                redirects=redirects,
                body=answer.body,
            )
        raise BadResponse(
            f"{url}: more than {self._max_redirects} redirects", reason="too_many_redirects"
        )

    def _request(self, url: str, headers: httpx.Headers, policy: _Policy) -> _Answer | str:
        """One GET: an answer, or the next URL when the server redirects."""
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                return self._read(url, response, policy)
        except httpx.TimeoutException as exc:
            raise FetchError(f"{url}: timed out ({type(exc).__name__})", reason="timeout") from exc
        except httpx.ConnectError as exc:
            raise FetchError(f"{url}: could not connect ({exc})", reason="connect_failed") from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                f"{url}: the transfer failed ({type(exc).__name__}: {exc})",
                reason="transfer_failed",
            ) from exc

    def _read(self, url: str, response: httpx.Response, policy: _Policy) -> _Answer | str:
        status = response.status_code
        media_type = _media_type(response.headers.get("content-type"))
        charset = response.charset_encoding
        location: str | None = response.headers.get("location")
        if status in REDIRECT_STATUSES and location:
            return urljoin(url, location)
        if status == 304:
            return _Answer(status, response.headers, media_type, charset, b"")
        if not 200 <= status < 300:
            if policy.raise_for_status:
                raise BadResponse(
                    f"{url}: the server answered {status} {response.reason_phrase}".rstrip(),
                    reason=f"http_{status}",
                )
            return _Answer(status, response.headers, media_type, charset, b"")
        if policy.accept is not None and media_type not in policy.accept:
            raise BadResponse(
                f"{url}: content type {media_type or '(none)'} is not one of "
                f"{', '.join(policy.accept)}",
                reason="bad_content_type",
            )
        declared = response.headers.get("content-length", "")
        if not policy.truncate and declared.isdigit() and int(declared) > policy.max_bytes:
            raise TooLarge(
                f"{url}: the body is {declared} bytes, over the cap of {policy.max_bytes}"
            )
        body = _read_capped(url, response, policy)
        return _Answer(status, response.headers, media_type, charset, body)


def _read_capped(url: str, response: httpx.Response, policy: _Policy) -> bytes:
    """The body, stopping at ``policy.max_bytes``: cut there, or ``TooLarge``."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        if size + len(chunk) > policy.max_bytes:
            if policy.truncate:
                chunks.append(chunk[: policy.max_bytes - size])
                break
            raise TooLarge(f"{url}: the body is over the cap of {policy.max_bytes} bytes")
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def fetch_url_items(urls: Iterable[str], fetcher: SafeFetcher) -> Iterator[RawItem | Dropped]:
    """One ``RawItem`` (HTML, ``url`` = where redirects ended) or ``Dropped`` per URL."""
    for url in urls:
        try:
            page = fetcher.fetch(url)
        except PactwatchError as exc:
            yield dropped_from_error(url, exc)
            continue
        if not page.text.strip():
            yield Dropped(origin=url, reason="empty", detail="the page has no content")
            continue
        yield RawItem(
            origin=url,
            content=page.text,
            content_type="html",
            source_kind="url",
            url=page.final_url,
        )
