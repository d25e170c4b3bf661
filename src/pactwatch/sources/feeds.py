"""RSS and Atom feeds: poll with conditional GET, fetch each new entry's page.

``poll_feed`` gets the feed through ``SafeFetcher`` (so the SSRF guard, robots.txt and
size caps apply to the feed and to every entry link), sending ``If-None-Match`` and
``If-Modified-Since`` from the last poll. feedparser only parses bytes we hand it
in a stream: given a string it would open URLs and local files by itself.

Accepted feed content types (``FEED_TYPES``): the RSS, Atom and RDF types, and the
generic ``application/xml`` and ``text/xml`` many servers use. ``text/html`` and
``text/plain`` are refused (``bad_content_type``): a server that sends them for a feed
URL is almost always sending an error or a login page. JSON Feed is not read.

Entries are known by their id (RSS ``guid``), else their link. An entry whose page
could not be fetched is reported as a ``Dropped`` with the fetch error's reason and is
NOT added to ``seen``, so the next poll tries it again; so that the server cannot answer
that poll with 304, the new state then keeps no ETag or Last-Modified. A caller that
wants to give up on an entry after some tries must count them itself. An entry with no
link can never be fetched: it is dropped once (``no_link``) and, when it has an id,
marked seen.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urljoin

import feedparser

from pactwatch.errors import PactwatchError
from pactwatch.models import Dropped, RawItem
from pactwatch.sources.fetch import FetchedPage, SafeFetcher, dropped_from_error

FEED_TYPES: tuple[str, ...] = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/x-rss+xml",
    "application/xml",
    "text/xml",
)


@dataclass(frozen=True, slots=True)
class FeedState:
    """What we remember about a feed between polls; the caller stores it."""

    url: str
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    seen: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """The result of one poll.

    ``state`` is the state to store for the next poll. ``items`` holds one ``RawItem``
    or ``Dropped`` per new entry, or a single ``Dropped`` for the feed URL when the feed
    itself failed (then ``state`` is unchanged). ``new_entries`` counts entries not seen
    before, fetched or not.
    """

    state: FeedState
    items: list[RawItem | Dropped]
    not_modified: bool
    new_entries: int


def _text(value: Any) -> str | None:
    """A feedparser field as a non-empty string, or None."""
    return (value.strip() or None) if isinstance(value, str) else None


def _entry_key(entry: Any) -> str | None:
    return _text(entry.get("id")) or _text(entry.get("guid")) or _text(entry.get("link"))


def _parse(page: FetchedPage) -> Any:
    # A stream, never a str or bytes: feedparser would treat those as a URL or file path.
    return feedparser.parse(
        io.BytesIO(page.body),
        response_headers={
            "content-type": page.headers.get("content-type", ""),
            "content-location": page.final_url,
        },
    )


def _conditional_headers(state: FeedState) -> dict[str, str]:
    headers: dict[str, str] = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def poll_feed(fetcher: SafeFetcher, state: FeedState) -> FeedPoll:
    """Poll one feed and fetch the pages of its entries not in ``state.seen``.

    Never raises for a bad feed or entry: failures come back as ``Dropped`` items.
    """
    try:
        page = fetcher.fetch(state.url, accept=FEED_TYPES, headers=_conditional_headers(state))
    except PactwatchError as exc:
        return FeedPoll(state, [dropped_from_error(state.url, exc)], False, 0)
    if page.status_code == 304:
        return FeedPoll(state, [], True, 0)

    parsed = _parse(page)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception") or "no RSS or Atom structure found"
        dropped = Dropped(state.url, "not_a_feed", f"not an RSS or Atom feed ({problem})")
        return FeedPoll(state, [dropped], False, 0)

    feed_title = _text(parsed.feed.get("title")) or state.title
    seen = set(state.seen)
    attempted: set[str] = set()
    items: list[RawItem | Dropped] = []
    all_settled = True
    for entry in parsed.entries:
        key = _entry_key(entry)
        if key is not None and (key in seen or key in attempted):
            continue
        if key is not None:
            attempted.add(key)
        item = _entry_item(fetcher, page.final_url, entry, key, state.url, feed_title)
        items.append(item)
        # A failed fetch stays unseen so the next poll retries it; no link never changes.
        settled = isinstance(item, RawItem) or item.reason == "no_link"
        if key is not None and settled:
            seen.add(key)
        all_settled = all_settled and settled

    # Keep no validators while an entry waits for a retry: a 304 next time would hide it.
    new_state = replace(
        state,
        title=feed_title,
        etag=(page.headers.get("etag") or None) if all_settled else None,
        last_modified=(page.headers.get("last-modified") or None) if all_settled else None,
        seen=frozenset(seen),
    )
    return FeedPoll(new_state, items, False, len(items))


def _entry_item(
    fetcher: SafeFetcher,
    base_url: str,
    entry: Any,
    key: str | None,
    feed_url: str,
    feed_title: str | None,
) -> RawItem | Dropped:
    """The page of one entry as a ``RawItem``, or why not."""
    link = _text(entry.get("link"))
    if link is None:
        return Dropped(f"{feed_url}#{key or '?'}", "no_link", "the feed entry has no link")
    url = urljoin(base_url, link)
    try:
        article = fetcher.fetch(url)
    except PactwatchError as exc:
        return dropped_from_error(url, exc)
    if not article.text.strip():
        return Dropped(url, "empty", "the page has no content")
    return RawItem(
        origin=url,
        content=article.text,
        content_type="html",
        source_kind="feed",
        url=article.final_url,
        # The entry's title: the documents stage may prefer the page's own title.
        title=_text(entry.get("title")),
        outlet=feed_title,
        author=_text(entry.get("author")),
        published=_text(entry.get("published")) or _text(entry.get("updated")),
        external_id=key,
        feed_url=feed_url,
    )
