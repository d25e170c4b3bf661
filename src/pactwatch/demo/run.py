"""README command 1: ingest the bundled demo corpus, poll its feed, and summarise.

The corpus (``corpus/``, documented in its README) is files for ``ingest`` (Markdown
articles with front matter, a JSON Lines file, an undated plain-text article) and a small
news site (``corpus/site`` and ``corpus/feed.xml``) that the demo reads through the real
feed poller and fetcher, served from the package folder by ``LocalSiteTransport``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pactwatch.ingest import IngestSummary
from pactwatch.jobs import FeedPollReport, ProgressFactory, ingest_targets, poll_feeds
from pactwatch.models import Dropped
from pactwatch.settings import Settings
from pactwatch.sources.fetch import SafeFetcher
from pactwatch.store import feeds as feed_store

from .site import LocalSiteTransport

DEMO_HOST = "news.pactwatch-demo.localhost"
DEMO_FEED_URL = f"http://{DEMO_HOST}/feed.xml"


def corpus_root() -> Path:
    return Path(__file__).resolve().parent / "corpus"


def demo_file_targets() -> list[str]:
    root = corpus_root()
    return [str(root / "articles"), str(root / "wire.jsonl"), str(root / "undated")]


def demo_fetcher(settings: Settings) -> SafeFetcher:
    """A real fetcher whose network is the corpus folder (``*.localhost`` is loopback)."""
    return SafeFetcher(
        settings.model_copy(update={"allow_private": True}),
        transport=LocalSiteTransport(corpus_root(), DEMO_HOST),
        resolver=lambda _host, _port: ["127.0.0.1"],
    )


@dataclass(slots=True)
class DemoReport:
    files: IngestSummary
    feeds: list[FeedPollReport]


def run_demo(
    engine: Engine,
    settings: Settings,
    *,
    progress: ProgressFactory,
    on_dropped: Callable[[Dropped], None] | None = None,
) -> DemoReport:
    files = ingest_targets(
        engine, settings, demo_file_targets(), progress=progress, on_dropped=on_dropped
    )
    feed_store.add_feed(engine, DEMO_FEED_URL)
    with demo_fetcher(settings) as fetcher:
        feeds = poll_feeds(
            engine, settings, progress=progress, on_dropped=on_dropped, fetcher=fetcher
        )
    return DemoReport(files=files, feeds=feeds)
