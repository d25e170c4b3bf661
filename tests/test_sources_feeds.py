"""Polling RSS and Atom feeds (pactwatch.sources.feeds)."""

from __future__ import annotations

import httpx
import pytest

from pactwatch.models import Dropped, RawItem
from pactwatch.sources.feeds import FeedState, poll_feed
from sources_fakes import ARTICLE, HTML, FakeSite, make_fetcher

FEED_URL = "http://news.example/feeds/main.xml"
RSS_HEADERS = {
    "content-type": "application/rss+xml; charset=utf-8",
    "etag": '"feed-v1"',
    "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
}

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Balkan Wire</title>
  <link>http://news.example/</link>
  <item>
    <title>KFOR increases patrols</title>
    <link>http://news.example/news/1</link>
    <guid isPermaLink="false">wire-1</guid>
    <author>desk@news.example (Desk)</author>
    <pubDate>Wed, 01 May 2024 09:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Ministers meet</title>
    <link>/news/2</link>
    <guid isPermaLink="false">wire-2</guid>
  </item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Desk</title>
  <id>urn:feed:atom-desk</id>
  <updated>2024-05-02T08:00:00Z</updated>
  <entry>
    <title>Exercise in the north</title>
    <id>urn:entry:1</id>
    <link rel="alternate" href="articles/7"/>
    <updated>2024-05-02T08:00:00Z</updated>
    <author><name>A. Writer</name></author>
  </entry>
</feed>
"""


def article_routes(*paths: str) -> dict[str, tuple[int, dict[str, str], bytes]]:
    return {f"news.example{path}": (200, HTML, ARTICLE.encode()) for path in paths}


def rss_site(**extra: object) -> FakeSite:
    routes: dict[str, object] = {
        "news.example/feeds/main.xml": (200, RSS_HEADERS, RSS),
        **article_routes("/news/1", "/news/2"),
        **extra,
    }
    return FakeSite(routes)  # type: ignore[arg-type]


def test_rss_poll_fetches_every_entry() -> None:
    site = rss_site()
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, FeedState(FEED_URL))
    assert (poll.not_modified, poll.new_entries) == (False, 2)
    first, second = poll.items
    assert first == RawItem(
        origin="http://news.example/news/1",
        content=ARTICLE,
        content_type="html",
        source_kind="feed",
        url="http://news.example/news/1",
        title="KFOR increases patrols",
        outlet="Balkan Wire",
        author="desk@news.example (Desk)",
        published="Wed, 01 May 2024 09:00:00 GMT",
        external_id="wire-1",
        feed_url=FEED_URL,
    )
    assert isinstance(second, RawItem)
    assert second.url == "http://news.example/news/2"  # the relative link, resolved
    assert second.published is None
    assert poll.state == FeedState(
        url=FEED_URL,
        title="Balkan Wire",
        etag='"feed-v1"',
        last_modified="Wed, 01 May 2024 10:00:00 GMT",
        seen=frozenset({"wire-1", "wire-2"}),
    )
    feed_request = site.requests[1]
    assert feed_request.url.path == "/feeds/main.xml"
    assert "application/rss+xml" in feed_request.headers["accept"]
    assert "if-none-match" not in feed_request.headers


def test_atom_poll_resolves_relative_links_against_the_feed_url() -> None:
    site = FakeSite(
        {
            "news.example/feeds/main.xml": (200, {"content-type": "application/atom+xml"}, ATOM),
            **article_routes("/feeds/articles/7"),
        }
    )
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, FeedState(FEED_URL))
    (item,) = poll.items
    assert isinstance(item, RawItem)
    assert item.url == "http://news.example/feeds/articles/7"
    assert (item.title, item.author, item.outlet) == (
        "Exercise in the north",
        "A. Writer",
        "Atom Desk",
    )
    assert item.published == "2024-05-02T08:00:00Z"
    assert item.external_id == "urn:entry:1"
    assert poll.state.seen == frozenset({"urn:entry:1"})
    assert poll.state.etag is None


def test_second_poll_sends_validators_and_handles_304() -> None:
    def feed(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"feed-v1"':
            return httpx.Response(304, headers={"etag": '"feed-v1"'})
        return httpx.Response(200, headers=RSS_HEADERS, content=RSS)

    site = rss_site(**{"news.example/feeds/main.xml": feed})
    with make_fetcher(site) as fetcher:
        first = poll_feed(fetcher, FeedState(FEED_URL))
        second = poll_feed(fetcher, first.state)
    assert (second.not_modified, second.items, second.new_entries) == (True, [], 0)
    assert second.state == first.state
    conditional = site.requests[-1]
    assert conditional.headers["if-none-match"] == '"feed-v1"'
    assert conditional.headers["if-modified-since"] == "Wed, 01 May 2024 10:00:00 GMT"


def test_seen_entries_are_skipped() -> None:
    site = rss_site()
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, FeedState(FEED_URL, seen=frozenset({"wire-1"})))
    assert [item.origin for item in poll.items] == ["http://news.example/news/2"]
    assert poll.new_entries == 1
    assert "news.example/news/1" not in site.paths()
    assert poll.state.seen == frozenset({"wire-1", "wire-2"})


def test_a_failed_entry_is_not_marked_seen_and_is_retried_next_poll() -> None:
    attempts: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        if len(attempts) == 1:
            return httpx.Response(503, headers=HTML, text="busy")
        return httpx.Response(200, headers=HTML, text=ARTICLE)

    def feed(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"feed-v1"':
            return httpx.Response(304)
        return httpx.Response(200, headers=RSS_HEADERS, content=RSS)

    site = rss_site(**{"news.example/news/2": flaky, "news.example/feeds/main.xml": feed})
    with make_fetcher(site) as fetcher:
        first = poll_feed(fetcher, FeedState(FEED_URL))
        second = poll_feed(fetcher, first.state)
        third = poll_feed(fetcher, second.state)
    assert first.items[1] == Dropped(
        "http://news.example/news/2", "http_503", "the server answered 503 Service Unavailable"
    )
    assert first.state.seen == frozenset({"wire-1"})
    # No validators while wire-2 waits, so the second poll gets the whole feed again.
    assert (first.state.etag, first.state.last_modified) == (None, None)
    (retried,) = second.items
    assert isinstance(retried, RawItem)
    assert retried.external_id == "wire-2"
    assert second.state.seen == frozenset({"wire-1", "wire-2"})
    assert second.state.etag == '"feed-v1"'
    assert third.not_modified
    assert site.paths().count("news.example/news/1") == 1
    assert site.paths().count("news.example/news/2") == 2


def test_entry_linking_to_a_private_address_is_refused() -> None:
    feed = RSS.replace(b"/news/2", b"http://169.254.169.254/latest/meta-data/")
    site = rss_site(**{"news.example/feeds/main.xml": (200, RSS_HEADERS, feed)})
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, FeedState(FEED_URL))
    refused = poll.items[1]
    assert isinstance(refused, Dropped)
    assert (refused.origin, refused.reason) == (
        "http://169.254.169.254/latest/meta-data/",
        "private_address",
    )
    assert not any("169.254" in path for path in site.paths())


def test_entry_without_link_is_dropped_once() -> None:
    feed = RSS.replace(b"<link>/news/2</link>", b"")
    site = rss_site(**{"news.example/feeds/main.xml": (200, RSS_HEADERS, feed)})
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, FeedState(FEED_URL))
    assert poll.items[1] == Dropped(f"{FEED_URL}#wire-2", "no_link", "the feed entry has no link")
    assert "wire-2" in poll.state.seen


@pytest.mark.parametrize(
    "body",
    [b"<html><body><p>Sign in to continue</p></body></html>", b"just some words", b"{}"],
)
def test_not_a_feed(body: bytes) -> None:
    site = FakeSite(
        {"news.example/feeds/main.xml": (200, {"content-type": "application/xml"}, body)}
    )
    state = FeedState(FEED_URL, etag='"old"')
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, state)
    (dropped,) = poll.items
    assert isinstance(dropped, Dropped)
    assert (dropped.origin, dropped.reason) == (FEED_URL, "not_a_feed")
    assert poll.state == state


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ((404, {}, b""), "http_404"),
        ((200, {"content-type": "text/html"}, b"<html></html>"), "bad_content_type"),
        ((200, {"content-type": "text/plain"}, RSS), "bad_content_type"),
    ],
)
def test_feed_fetch_failures_are_dropped(
    route: tuple[int, dict[str, str], bytes], reason: str
) -> None:
    site = FakeSite({"news.example/feeds/main.xml": route})
    state = FeedState(FEED_URL, seen=frozenset({"x"}))
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, state)
    assert [(item.origin, getattr(item, "reason", None)) for item in poll.items] == [
        (FEED_URL, reason)
    ]
    assert (poll.state, poll.not_modified, poll.new_entries) == (state, False, 0)


def test_feed_on_a_private_address_is_refused() -> None:
    site = FakeSite()
    with make_fetcher(site) as fetcher:
        poll = poll_feed(fetcher, FeedState("http://10.0.0.1/feed.xml"))
    (dropped,) = poll.items
    assert isinstance(dropped, Dropped)
    assert dropped.reason == "private_address"
    assert site.requests == []
