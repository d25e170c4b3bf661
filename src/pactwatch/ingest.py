"""Ingest: raw items to cleaned, de-duplicated documents in the store.

The documents stage (``documents.build``) is pure; this module decides, for each built
document, whether it is new, an exact copy or a near copy of a stored story, and hands
batches to ``StoreWriter``, which owns every write. Bad items are counted by reason and
never stop the run.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import chain, islice
from typing import TypedDict, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import Engine, select

from pactwatch.documents.build import build_document
from pactwatch.documents.dedup import (
    NearDuplicateIndex,
    signature_from_bytes,
    signature_to_bytes,
)
from pactwatch.models import Document, Dropped, RawItem
from pactwatch.settings import Settings
from pactwatch.store.schema import documents
from pactwatch.store.writer import DuplicateLink, PreparedDocument, StoreWriter

T = TypeVar("T")

_JSONL_LINE = re.compile(r":\d+$")

# A chunk this large is worth sending to worker processes; smaller runs stay in-process.
POOL_MIN_ITEMS = 64


@dataclass(slots=True)
class IngestSummary:
    """What one ingest did, for the end-of-run summary and the ``runs`` table."""

    items: int = 0
    stored: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    unchanged: int = 0
    lines_removed: int = 0
    repairs: int = 0
    undated: int = 0
    processed: int = 0  # documents run through extraction after the ingest
    dropped: Counter[str] = field(default_factory=Counter)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def as_counts(self) -> dict[str, object]:
        return {
            "items": self.items,
            "stored": self.stored,
            "exact_duplicates": self.exact_duplicates,
            "near_duplicates": self.near_duplicates,
            "unchanged": self.unchanged,
            "lines_removed": self.lines_removed,
            "repairs": self.repairs,
            "undated": self.undated,
            "processed": self.processed,
            "dropped": dict(self.dropped),
        }


def source_of(item: RawItem) -> tuple[str, str]:
    """The (kind, locator) of the source an item came from: a file, a site or a feed."""
    if item.source_kind == "feed" and item.feed_url:
        return "feed", item.feed_url
    if item.source_kind == "url":
        parts = urlsplit(item.url or item.origin)
        return "url", f"{parts.scheme}://{parts.netloc}"
    return "file", _JSONL_LINE.sub("", item.origin)


class IndexParams(TypedDict):
    threshold: float
    num_perm: int
    shingle_size: int


def index_params(settings: Settings) -> IndexParams:
    """The near-duplicate settings, as ``NearDuplicateIndex`` takes them."""
    return {
        "threshold": settings.near_duplicate_threshold,
        "num_perm": settings.minhash_permutations,
        "shingle_size": settings.shingle_size,
    }


def load_near_duplicate_index(engine: Engine, settings: Settings) -> NearDuplicateIndex:
    """The near-duplicate index of every stored first copy, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(documents.c.id, documents.c.minhash)
            .where(documents.c.status != "duplicate", documents.c.minhash.is_not(None))
            .order_by(documents.c.ingested_at, documents.c.id)
        )
        return NearDuplicateIndex.load(
            ((row.id, row.minhash) for row in rows), **index_params(settings)
        )


@dataclass(frozen=True, slots=True)
class Built:
    """The pure result for one raw item: a document and its MinHash bytes, or a drop."""

    result: Document | Dropped
    signature: bytes | None = None


_signers: dict[tuple[float, int, int], NearDuplicateIndex] = {}


def _signer(settings: Settings) -> NearDuplicateIndex:
    """An index object per process, used only to sign (its permutations are the cost)."""
    params = index_params(settings)
    key = (params["threshold"], params["num_perm"], params["shingle_size"])
    if key not in _signers:
        _signers[key] = NearDuplicateIndex(**params)
    return _signers[key]


def build_and_sign(item: RawItem, settings: Settings, fetched_at: datetime) -> Built:
    """The documents stage for one item, plus its signature: pure, so it runs in a worker."""
    result = build_document(item, settings=settings, fetched_at=fetched_at)
    if isinstance(result, Dropped):
        return Built(result)
    return Built(result, signature_to_bytes(_signer(settings).signature(result.text)))


def _exit_with_parent(parent_pid: int) -> None:
    """Worker start-up: end this worker once the ingest that started it is gone.

    A worker holds its own queue's write end, so after a ``kill -9`` of the ingest it
    would wait forever (and keep the forkserver alive with it); this watch prevents that.
    """

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_count(settings: Settings) -> int:
    """Processes for the documents stage: the setting, or one per core (at most 4)."""
    if settings.workers > 0:
        return settings.workers
    return max(1, min(4, len(os.sched_getaffinity(0))))


class Ingester:
    """Feeds raw items through the documents stage into the store, in batches."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        writer: StoreWriter,
        *,
        on_dropped: Callable[[Dropped], None] | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.writer = writer
        self.on_dropped = on_dropped
        self.index = load_near_duplicate_index(engine, settings)
        self.summary = IngestSummary()

    def run(self, items: Iterable[RawItem | Dropped], advance: Callable[[], None]) -> IngestSummary:
        """Ingest every item; ``advance`` is called once per item (for progress bars).

        Large inputs are built in worker processes while this process de-duplicates and
        writes the previous batch, so the two stages overlap instead of taking turns.
        """
        stream = iter(items)
        head = list(islice(stream, POOL_MIN_ITEMS))
        everything = chain(head, stream)
        workers = worker_count(self.settings)
        with ExitStack() as stack:
            pool: Executor | None = None
            if len(head) >= POOL_MIN_ITEMS and workers > 1:
                # forkserver: workers start clean, not as copies of a threaded parent.
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(["pactwatch.ingest"])
                pool = stack.enter_context(
                    ProcessPoolExecutor(
                        workers,
                        mp_context=context,
                        initializer=_exit_with_parent,
                        initargs=(os.getpid(),),
                    )
                )
            built = self._build_stream(everything, pool)
            for chunk in _chunked(built, self.settings.batch_size):
                self._store_chunk(chunk, advance)
        return self.summary

    def _build_stream(
        self, items: Iterator[RawItem | Dropped], pool: Executor | None
    ) -> Iterator[tuple[RawItem | Dropped, Built]]:
        """Each item with its built result, in input order.

        With a pool, at most ``2 * batch_size`` items are in flight: enough to keep the
        workers busy while a batch is written, bounded so memory stays flat however long
        the input.
        """
        build = partial(build_and_sign, settings=self.settings, fetched_at=datetime.now(UTC))
        if pool is None:
            for item in items:
                yield item, Built(item) if isinstance(item, Dropped) else build(item)
            return
        window: deque[tuple[RawItem | Dropped, Future[Built] | None]] = deque()
        limit = 2 * self.settings.batch_size
        for item in items:
            window.append((item, None if isinstance(item, Dropped) else pool.submit(build, item)))
            if len(window) >= limit:
                yield self._settle(window.popleft())
        while window:
            yield self._settle(window.popleft())

    @staticmethod
    def _settle(
        entry: tuple[RawItem | Dropped, Future[Built] | None],
    ) -> tuple[RawItem | Dropped, Built]:
        item, future = entry
        if future is None:
            assert isinstance(item, Dropped)  # noqa: S101 - only drops have no future
            return item, Built(item)
        return item, future.result()

    def _store_chunk(
        self, chunk: list[tuple[RawItem | Dropped, Built]], advance: Callable[[], None]
    ) -> None:
        dropped: list[Dropped] = []
        built: list[tuple[RawItem, Document, bytes]] = []
        for item, outcome in chunk:
            self.summary.items += 1
            advance()
            if isinstance(outcome.result, Dropped):
                dropped.append(outcome.result)
                continue
            assert isinstance(item, RawItem) and outcome.signature  # noqa: S101 - by construction
            built.append((item, outcome.result, outcome.signature))

        origins = self.writer.origins_by_id(doc.id for _, doc, _ in built)
        batch: list[PreparedDocument] = []
        pending: dict[str, set[str]] = {}  # ids first seen in this chunk -> origins
        for item, doc, signature in built:
            prepared = self._prepare(item, doc, signature, origins, pending)
            if prepared is not None:
                batch.append(prepared)
        self.writer.write_batch(batch, dropped)
        for drop in dropped:
            self.summary.dropped[drop.reason] += 1
            if self.on_dropped:
                self.on_dropped(drop)

    def _prepare(
        self,
        item: RawItem,
        doc: Document,
        signature_bytes: bytes,
        origins: dict[str, set[str]],
        pending: dict[str, set[str]],
    ) -> PreparedDocument | None:
        """``origins``: stored ids with their known origins; ``pending``: the same for ids
        first seen in this chunk."""
        kind, locator = source_of(item)
        if doc.id in origins or doc.id in pending:
            known = origins.get(doc.id, set()) | pending.get(doc.id, set())
            if doc.origin in known:
                self.summary.unchanged += 1  # the same input read again: add nothing
                return None
            pending.setdefault(doc.id, set()).add(doc.origin)
            self.summary.exact_duplicates += 1
            link = DuplicateLink(first_id=doc.id, kind="exact", similarity=1.0)
            return PreparedDocument(doc, kind, locator, link=link)

        pending[doc.id] = {doc.origin}
        signature = signature_from_bytes(signature_bytes)
        match = self.index.find(signature)
        self.summary.lines_removed += len(doc.removed)
        self.summary.repairs += len(doc.repairs)
        self.summary.undated += doc.undated
        if match is not None:
            first_id, similarity = match
            self.summary.near_duplicates += 1
            doc.duplicate_of = first_id
            link = DuplicateLink(first_id=first_id, kind="near", similarity=similarity)
            return PreparedDocument(doc, kind, locator, signature_bytes, link)
        self.index.add(doc.id, signature)
        self.summary.stored += 1
        return PreparedDocument(doc, kind, locator, signature_bytes)


def _chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
