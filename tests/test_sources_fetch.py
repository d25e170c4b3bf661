"""SafeFetcher, the SSRF guard and robots.txt (pactwatch.sources.fetch, netguard, robots)."""

from __future__ import annotations

import http.server
import ipaddress
import threading
from collections.abc import Iterator

import httpx
import pytest

from pactwatch.errors import (
    BadResponse,
    BlockedAddress,
    FetchError,
    RobotsDisallowed,
    TooLarge,
    UnsupportedInput,
)
from pactwatch.models import Dropped, RawItem
from pactwatch.sources.fetch import SafeFetcher, fetch_url_items
from pactwatch.sources.netguard import (
    GuardedTransport,
    check_url,
    is_public_address,
    system_resolver,
)
from sources_fakes import ARTICLE, HTML, FakeSite, fake_resolver, make_fetcher, make_settings

PRIVATE_URLS = [
    "http://127.0.0.1/",
    "http://10.1.2.3/x",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://evil.example/",  # the (fake) resolver says 10.0.0.5
    "http://mixed.example/",  # one public and one loopback address
]


def any_page(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/robots.txt":
        return httpx.Response(404)
    return httpx.Response(200, headers=HTML, text=ARTICLE)


# --- the SSRF guard -----------------------------------------------------------------


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_check_url_refuses_private_addresses(url: str) -> None:
    with pytest.raises(BlockedAddress) as caught:
        check_url(url, allow_private=False, resolver=fake_resolver)
    assert caught.value.reason == "private_address"


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_check_url_allows_private_addresses_when_told(url: str) -> None:
    check_url(url, allow_private=True, resolver=fake_resolver)


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/"])
def test_legacy_numeric_hosts_are_resolved_and_refused(url: str) -> None:
    # The system resolver parses these numeric forms itself; no DNS query is made.
    with pytest.raises(BlockedAddress) as caught:
        check_url(url, allow_private=False, resolver=system_resolver)
    assert "127.0.0.1" in str(caught.value)


def test_check_url_passes_a_public_host() -> None:
    check_url("https://news.example/a?b=c", allow_private=False, resolver=fake_resolver)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://news.example/file", "unsupported_scheme"),
        ("file:///etc/passwd", "unsupported_scheme"),
        ("news.example/no-scheme", "unsupported_scheme"),
        ("http://user:secret@news.example/", "bad_url"),
        ("http:///only-a-path", "bad_url"),
    ],
)
def test_check_url_refuses_bad_urls(url: str, reason: str) -> None:
    with pytest.raises(UnsupportedInput) as caught:
        check_url(url, allow_private=True, resolver=fake_resolver)
    assert caught.value.reason == reason


def test_check_url_reports_names_that_do_not_resolve() -> None:
    with pytest.raises(FetchError) as caught:
        check_url("http://unknown.example/", allow_private=False, resolver=fake_resolver)
    assert caught.value.reason == "dns_failed"
    with pytest.raises(FetchError) as caught:
        check_url("http://x.example/", allow_private=False, resolver=lambda host, port: [])
    assert caught.value.reason == "dns_failed"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("::ffff:93.184.216.34", True),
        ("64:ff9b::5db8:d822", True),  # NAT64 of 93.184.216.34
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("100.64.0.1", False),  # shared address space
        ("192.168.1.1", False),
        ("fe80::1", False),
        ("ff02::1", False),
        ("::", False),
        ("255.255.255.255", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_fetcher_refuses_private_urls_before_sending_anything(url: str) -> None:
    site = FakeSite()
    with make_fetcher(site) as fetcher, pytest.raises(BlockedAddress):
        fetcher.fetch(url)
    assert site.requests == []


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_fetcher_fetches_private_urls_when_allowed(url: str) -> None:
    with make_fetcher(any_page, allow_private=True) as fetcher:
        page = fetcher.fetch(url)
    assert page.status_code == 200
    assert "KFOR patrols." in page.text


def test_redirect_to_a_private_address_is_refused() -> None:
    site = FakeSite(
        {"news.example/go": (302, {"location": "http://169.254.169.254/latest/meta-data/"}, b"")}
    )
    with make_fetcher(site) as fetcher, pytest.raises(BlockedAddress) as caught:
        fetcher.fetch("http://news.example/go")
    assert "169.254.169.254" in str(caught.value)
    assert site.paths() == ["news.example/robots.txt", "news.example/go"]


def test_redirect_to_a_private_address_is_followed_when_allowed() -> None:
    site = FakeSite(
        {
            "news.example/go": (302, {"location": "http://127.0.0.1/inside"}, b""),
            "127.0.0.1/inside": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site, allow_private=True) as fetcher:
        page = fetcher.fetch("http://news.example/go")
    assert page.final_url == "http://127.0.0.1/inside"
    assert page.redirects == ["http://news.example/go"]


# --- redirects ----------------------------------------------------------------------


def redirect_chain(length: int) -> FakeSite:
    routes = {f"news.example/r{n}": (301, {"location": f"/r{n + 1}"}, b"") for n in range(length)}
    routes[f"news.example/r{length}"] = (200, HTML, ARTICLE.encode())
    return FakeSite(routes)


def test_redirects_are_followed_up_to_the_limit() -> None:
    with make_fetcher(redirect_chain(3), max_redirects=3) as fetcher:
        page = fetcher.fetch("http://news.example/r0")
    assert page.requested_url == "http://news.example/r0"
    assert page.final_url == "http://news.example/r3"
    assert page.redirects == [f"http://news.example/r{n}" for n in range(3)]


def test_too_many_redirects() -> None:
    with (
        make_fetcher(redirect_chain(4), max_redirects=3) as fetcher,
        pytest.raises(BadResponse) as caught,
    ):
        fetcher.fetch("http://news.example/r0")
    assert caught.value.reason == "too_many_redirects"


@pytest.mark.parametrize("status", [302, 303, 307, 308])
def test_every_redirect_status_is_followed_across_hosts(status: int) -> None:
    site = FakeSite(
        {
            "news.example/a": (status, {"location": "https://other.example/b"}, b""),
            "other.example/b": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site) as fetcher:
        page = fetcher.fetch("http://news.example/a")
    assert page.final_url == "https://other.example/b"
    assert "other.example/robots.txt" in site.paths()


# --- responses ----------------------------------------------------------------------


def test_a_page_is_decoded_and_described() -> None:
    site = FakeSite(
        {
            "news.example/a": (
                200,
                {"content-type": "text/html; charset=windows-1250", "etag": '"v1"'},
                "Prishtinë".encode("cp1250"),
            )
        }
    )
    with make_fetcher(site) as fetcher:
        page = fetcher.fetch("http://news.example/a")
    assert page.text == "Prishtinë"
    assert page.content_type == "text/html"
    assert page.headers["etag"] == '"v1"'
    request = site.requests[-1]
    assert request.headers["user-agent"] == "pactwatch-test/1.0"
    assert request.headers["accept"].startswith("text/html, application/xhtml+xml")


def test_meta_charset_is_used_when_the_header_has_none() -> None:
    body = '<html><head><meta charset="windows-1250"></head><body>Prishtinë</body></html>'
    site = FakeSite({"news.example/a": (200, {"content-type": "text/html"}, body.encode("cp1250"))})
    with make_fetcher(site) as fetcher:
        assert "Prishtinë" in fetcher.fetch("http://news.example/a").text


def test_undecodable_bytes_are_replaced() -> None:
    site = FakeSite({"news.example/a": (200, {"content-type": "text/html"}, b"ok \xff ok")})
    with make_fetcher(site) as fetcher:
        assert fetcher.fetch("http://news.example/a").text == "ok \ufffd ok"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses(status: int) -> None:
    site = FakeSite({"news.example/a": (status, HTML, b"error page")})
    with make_fetcher(site) as fetcher, pytest.raises(BadResponse) as caught:
        fetcher.fetch("http://news.example/a")
    assert caught.value.reason == f"http_{status}"


def test_not_modified_is_returned_with_empty_text() -> None:
    site = FakeSite({"news.example/a": (304, {"etag": '"v1"'}, b"")})
    with make_fetcher(site) as fetcher:
        page = fetcher.fetch("http://news.example/a", headers={"If-None-Match": '"v1"'})
    assert (page.status_code, page.text) == (304, "")
    assert site.requests[-1].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize("content_type", ["application/pdf", "text/plain", None])
def test_bad_content_type(content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    site = FakeSite({"news.example/a": (200, headers, b"%PDF-1.4")})
    with make_fetcher(site) as fetcher, pytest.raises(BadResponse) as caught:
        fetcher.fetch("http://news.example/a")
    assert caught.value.reason == "bad_content_type"


def test_accept_widens_the_content_types() -> None:
    site = FakeSite({"news.example/a": (200, {"content-type": "text/plain"}, b"plain")})
    with make_fetcher(site) as fetcher:
        assert fetcher.fetch("http://news.example/a", accept=("text/plain",)).text == "plain"


def test_too_large_by_content_length_is_refused_before_reading() -> None:
    chunks_read: list[int] = []

    def body() -> Iterator[bytes]:
        for n in range(10):
            chunks_read.append(n)
            yield b"x" * 500

    site = FakeSite(
        {
            "news.example/a": lambda request: httpx.Response(
                200, headers={**HTML, "content-length": "5000"}, content=body()
            )
        }
    )
    with make_fetcher(site, max_download_bytes=1000) as fetcher, pytest.raises(TooLarge) as caught:
        fetcher.fetch("http://news.example/a")
    assert caught.value.reason == "too_large"
    assert chunks_read == []


def test_too_large_streamed_body_stops_at_the_cap() -> None:
    chunks_read: list[int] = []

    def body() -> Iterator[bytes]:
        for n in range(100):
            chunks_read.append(n)
            yield b"x" * 300

    def route(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, headers=HTML, content=body())
        assert "content-length" not in response.headers
        return response

    site = FakeSite({"news.example/a": route})
    with make_fetcher(site, max_download_bytes=1000) as fetcher, pytest.raises(TooLarge):
        fetcher.fetch("http://news.example/a")
    assert len(chunks_read) == 4  # 1200 bytes read, then it stopped


def test_body_at_the_cap_is_accepted() -> None:
    site = FakeSite({"news.example/a": (200, HTML, b"x" * 1000)})
    with make_fetcher(site, max_download_bytes=1000) as fetcher:
        assert len(fetcher.fetch("http://news.example/a").body) == 1000


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (httpx.ReadTimeout("read timed out"), "timeout"),
        (httpx.ConnectTimeout("connect timed out"), "timeout"),
        (httpx.ConnectError("connection refused"), "connect_failed"),
        (httpx.RemoteProtocolError("peer closed connection"), "transfer_failed"),
    ],
)
def test_transport_errors(error: Exception, reason: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        raise error

    with make_fetcher(handler) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("http://news.example/a")
    assert caught.value.reason == reason


def test_dns_failure_from_the_resolver() -> None:
    with make_fetcher(FakeSite()) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch("http://unknown.example/")
    assert caught.value.reason == "dns_failed"


# --- robots.txt ---------------------------------------------------------------------


def test_robots_disallow_is_honoured_and_fetched_once_per_origin() -> None:
    robots = b"User-agent: *\nDisallow: /private\n"
    site = FakeSite(
        {
            "news.example/robots.txt": (200, {"content-type": "text/plain"}, robots),
            "news.example/public": (200, HTML, ARTICLE.encode()),
            "news.example/private/a": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site) as fetcher:
        fetcher.fetch("http://news.example/public")
        with pytest.raises(RobotsDisallowed) as caught:
            fetcher.fetch("http://news.example/private/a")
        fetcher.fetch("http://news.example/public")
    assert caught.value.reason == "robots_disallowed"
    assert site.paths() == [
        "news.example/robots.txt",
        "news.example/public",
        "news.example/public",
    ]


def test_robots_group_for_our_user_agent_wins() -> None:
    robots = b"User-agent: *\nAllow: /\n\nUser-agent: pactwatch-test\nDisallow: /\n"
    site = FakeSite(
        {
            "news.example/robots.txt": (200, {"content-type": "text/plain"}, robots),
            "news.example/a": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch("http://news.example/a")


def test_robots_of_a_redirect_target_is_honoured() -> None:
    site = FakeSite(
        {
            "news.example/go": (302, {"location": "http://other.example/x"}, b""),
            "other.example/robots.txt": (200, {}, b"User-agent: *\nDisallow: /x\n"),
            "other.example/x": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch("http://news.example/go")
    assert "other.example/x" not in site.paths()


@pytest.mark.parametrize(
    ("robots_status", "allowed"),
    [(404, True), (410, True), (401, True), (403, True), (429, False), (500, False), (503, False)],
)
def test_robots_status_follows_rfc_9309(robots_status: int, allowed: bool) -> None:
    site = FakeSite(
        {
            "news.example/robots.txt": (robots_status, {}, b"User-agent: *\nAllow: /\n"),
            "news.example/a": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site) as fetcher:
        if allowed:
            assert fetcher.fetch("http://news.example/a").status_code == 200
        else:
            with pytest.raises(RobotsDisallowed):
                fetcher.fetch("http://news.example/a")


def test_a_huge_robots_file_is_read_up_to_500_kib() -> None:
    robots = b"User-agent: *\nDisallow: /private\n" + b"# padding\n" * 60_000
    site = FakeSite(
        {
            "news.example/robots.txt": (200, {"content-type": "text/plain"}, robots),
            "news.example/private": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site, max_download_bytes=1000) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch("http://news.example/private")


def test_unreachable_robots_disallows_everything() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            raise httpx.ReadTimeout("timed out")
        return httpx.Response(200, headers=HTML, text=ARTICLE)

    with make_fetcher(handler) as fetcher, pytest.raises(RobotsDisallowed) as caught:
        fetcher.fetch("http://news.example/a")
    assert "unreachable (timeout)" in str(caught.value)


def test_robots_redirect_to_a_private_address_disallows() -> None:
    site = FakeSite(
        {
            "news.example/robots.txt": (301, {"location": "http://127.0.0.1/robots.txt"}, b""),
            "news.example/a": (200, HTML, ARTICLE.encode()),
        }
    )
    with make_fetcher(site) as fetcher, pytest.raises(RobotsDisallowed):
        fetcher.fetch("http://news.example/a")
    assert site.paths() == ["news.example/robots.txt"]


# --- fetch_url_items ----------------------------------------------------------------


def test_fetch_url_items_gives_items_and_drops() -> None:
    site = FakeSite(
        {
            "news.example/old": (301, {"location": "/new"}, b""),
            "news.example/new": (200, HTML, ARTICLE.encode()),
            "news.example/blank": (200, HTML, b"  "),
        }
    )
    urls = [
        "http://news.example/old",
        "http://news.example/gone",
        "http://evil.example/",
        "http://news.example/blank",
        "mailto:editor@news.example",
    ]
    with make_fetcher(site) as fetcher:
        items = list(fetch_url_items(urls, fetcher))
    assert items[0] == RawItem(
        origin="http://news.example/old",
        content=ARTICLE,
        content_type="html",
        source_kind="url",
        url="http://news.example/new",
    )
    assert items[1] == Dropped(
        "http://news.example/gone", "http_404", "the server answered 404 Not Found"
    )
    assert isinstance(items[2], Dropped)
    assert items[2].reason == "private_address"
    assert items[3] == Dropped("http://news.example/blank", "empty", "the page has no content")
    assert isinstance(items[4], Dropped)
    assert items[4].reason == "unsupported_scheme"


# --- the real transport, against a server on 127.0.0.1 ------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article":
            body = ARTICLE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output quiet


@pytest.fixture
def local_server() -> Iterator[tuple[str, list[str]]]:
    """A threaded HTTP server on 127.0.0.1 (port 0); yields its base URL and the paths asked."""
    paths: list[str] = []

    class Recording(_Handler):
        def do_GET(self) -> None:
            paths.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", paths
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_real_transport_against_a_local_server(local_server: tuple[str, list[str]]) -> None:
    base, paths = local_server
    with SafeFetcher(make_settings(allow_private=True)) as fetcher:
        page = fetcher.fetch(f"{base}/article")
    assert page.status_code == 200
    assert "KFOR patrols." in page.text
    assert paths == ["/robots.txt", "/article"]

    with SafeFetcher(make_settings(allow_private=False)) as fetcher, pytest.raises(BlockedAddress):
        fetcher.fetch(f"{base}/article")
    assert paths == ["/robots.txt", "/article"]


def test_connect_time_check_closes_the_dns_rebinding_window(
    local_server: tuple[str, list[str]],
) -> None:
    """The transport checks the address it connects to, whatever check_url saw before.

    A rebinding name answers a public address to check_url and 127.0.0.1 later; here the
    transport alone is given a name that answers 127.0.0.1, and must refuse it.
    """
    base, paths = local_server
    port = base.rsplit(":", 1)[1]
    transport = GuardedTransport(allow_private=False, resolver=lambda host, port: ["127.0.0.1"])
    with httpx.Client(transport=transport) as client, pytest.raises(BlockedAddress):
        client.get(f"http://rebind.example:{port}/article")
    assert paths == []


def test_real_transport_connects_to_the_address_it_checked(
    local_server: tuple[str, list[str]],
) -> None:
    base, paths = local_server
    port = base.rsplit(":", 1)[1]

    def resolver(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "site.test" else []

    with SafeFetcher(make_settings(allow_private=True), resolver=resolver) as fetcher:
        page = fetcher.fetch(f"http://site.test:{port}/article")
    assert "KFOR patrols." in page.text
    assert paths == ["/robots.txt", "/article"]
