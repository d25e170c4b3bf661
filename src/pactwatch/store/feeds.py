"""Feed subscriptions and their polling state (ETag, Last-Modified, items already seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select, update

from pactwatch.sources.feeds import FeedState
from pactwatch.store.schema import feed_items, sources


@dataclass(frozen=True, slots=True)
class Subscription:
    source_id: int
    url: str
    title: str | None
    last_polled_at: datetime | None
    items_seen: int


def add_feed(engine: Engine, url: str) -> bool:
    """Subscribe to a feed; False when it was already subscribed."""
    with engine.begin() as conn:
        exists = conn.scalar(
            select(sources.c.id).where(sources.c.kind == "feed", sources.c.locator == url)
        )
        if exists is not None:
            return False
        conn.execute(insert(sources).values(kind="feed", locator=url, created_at=datetime.now(UTC)))
        return True


def list_feeds(engine: Engine) -> list[Subscription]:
    with engine.connect() as conn:
        rows = conn.execute(select(sources).where(sources.c.kind == "feed").order_by(sources.c.id))
        result = []
        for row in rows.all():
            seen = conn.scalar(
                select(func.count(feed_items.c.id)).where(feed_items.c.source_id == row.id)
            )
            result.append(
                Subscription(row.id, row.locator, row.title, row.last_polled_at, seen or 0)
            )
        return result


def load_state(engine: Engine, source_id: int) -> FeedState:
    with engine.connect() as conn:
        row = conn.execute(select(sources).where(sources.c.id == source_id)).one()
        seen = conn.scalars(
            select(feed_items.c.item_key).where(feed_items.c.source_id == source_id)
        ).all()
    return FeedState(
        url=row.locator,
        title=row.title,
        etag=row.etag,
        last_modified=row.last_modified,
        seen=frozenset(seen),
    )


def save_state(engine: Engine, source_id: int, state: FeedState) -> int:
    """Record a poll: validators, title and newly seen item keys, in one transaction.

    Returns how many item keys were new.
    """
    now = datetime.now(UTC)
    with engine.begin() as conn:
        known = set(
            conn.scalars(
                select(feed_items.c.item_key).where(feed_items.c.source_id == source_id)
            ).all()
        )
        new_keys = sorted(state.seen - known)
        if new_keys:
            conn.execute(
                insert(feed_items),
                [{"source_id": source_id, "item_key": key, "seen_at": now} for key in new_keys],
            )
        conn.execute(
            update(sources)
            .where(sources.c.id == source_id)
            .values(
                title=state.title,
                etag=state.etag,
                last_modified=state.last_modified,
                last_polled_at=now,
            )
        )
    return len(new_keys)
