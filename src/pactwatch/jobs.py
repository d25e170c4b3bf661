"""The jobs behind the commands, as functions a notebook or a test can call too.

Each job opens a run record, does its work through the pipeline stages, and closes the
run with its counts. The command line (``cli.py``) only parses options and prints.
"""

from __future__ import annotations

import gc
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Engine

from pactwatch.documents.build import build_document
from pactwatch.ingest import Ingester, IngestSummary
from pactwatch.models import Document, Dropped, RawItem
from pactwatch.process import process_pending
from pactwatch.settings import Settings
from pactwatch.sources.feeds import poll_feed
from pactwatch.sources.fetch import SafeFetcher, fetch_url_items
from pactwatch.sources.files import iter_path_items
from pactwatch.store import feeds as feed_store
from pactwatch.store.writer import StoreWriter, finish_run, start_run

if TYPE_CHECKING:
    from pactwatch.extract import Extraction
    from pactwatch.verify.check import DocumentCheck

# Called with a description and a total (None when unknown); returns the per-item tick.
ProgressFactory = Callable[[str, int | None], "ProgressHandle"]


class ProgressHandle(Protocol):
    """What a job needs of a progress display: a tick per item, and closing."""

    def advance(self) -> None: ...

    def close(self) -> None: ...


class SilentProgress:
    """No display at all: for library callers and tests."""

    def advance(self) -> None:
        return None

    def close(self) -> None:
        return None


def silent_progress(_description: str, _total: int | None) -> ProgressHandle:
    return SilentProgress()


SUPPORTED_SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl"}


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def count_items(paths: Iterable[Path]) -> int:
    """How many items the given files and folders hold, for a progress bar's total."""
    total = 0
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() not in SUPPORTED_SUFFIXES or not file.is_file():
                continue
            if file.suffix.lower() == ".jsonl":
                try:
                    with file.open("rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def _ingest(
    engine: Engine,
    settings: Settings,
    command: str,
    arguments: Sequence[str],
    items: Iterable[RawItem | Dropped],
    total: int | None,
    progress: ProgressFactory,
    on_dropped: Callable[[Dropped], None] | None,
) -> IngestSummary:
    run_id = start_run(engine, command, arguments)
    status = "failed"
    ingester = Ingester(engine, settings, StoreWriter(engine, run_id), on_dropped=on_dropped)
    handle = progress(command, total)
    try:
        summary = ingester.run(items, handle.advance)
        status = "ok" if summary.dropped_total == 0 else "partial"
        return summary
    finally:
        handle.close()
        finish_run(engine, run_id, status, ingester.summary.as_counts())


def ingest_targets(
    engine: Engine,
    settings: Settings,
    targets: Sequence[str],
    *,
    progress: ProgressFactory = silent_progress,
    on_dropped: Callable[[Dropped], None] | None = None,
    fetcher: SafeFetcher | None = None,
    extract: bool = True,
) -> IngestSummary:
    """Ingest files, folders and URLs (anything starting with http:// or https://), then
    run extraction over the new documents unless ``extract`` is False."""
    paths = [Path(t) for t in targets if not is_url(t)]
    urls = [t for t in targets if is_url(t)]

    def items() -> Iterator[RawItem | Dropped]:
        yield from iter_path_items(paths, max_file_bytes=settings.max_file_bytes)
        if urls:
            with ExitStack() as stack:
                active = fetcher or stack.enter_context(SafeFetcher(settings))
                yield from fetch_url_items(urls, active)

    total = count_items(paths) + len(urls)
    summary = _ingest(engine, settings, "ingest", targets, items(), total, progress, on_dropped)
    if extract:
        summary.processed = process_pending(engine, settings, progress=progress)
        after_processing(engine, settings, summary.processed)
    return summary


def after_processing(engine: Engine, settings: Settings, processed: int) -> None:
    """What follows new extractions: TAXII collections take in the new objects, and alert
    rules are evaluated and delivered.

    Alerts never raise: a broken rules file or an unreachable webhook is reported on stderr
    and the ingest still succeeds (its documents are stored already)."""
    if processed <= 0:
        return
    from pactwatch.analysis.alerts import after_ingest
    from pactwatch.share.taxii import refresh_collections

    refresh_collections(engine)
    after_ingest(engine, settings)


@dataclass(slots=True)
class FeedPollReport:
    feed_url: str
    not_modified: bool
    new_entries: int
    summary: IngestSummary
    problems: list[Dropped] = field(default_factory=list)


def poll_feeds(
    engine: Engine,
    settings: Settings,
    *,
    progress: ProgressFactory = silent_progress,
    on_dropped: Callable[[Dropped], None] | None = None,
    fetcher: SafeFetcher | None = None,
) -> list[FeedPollReport]:
    """Poll every subscribed feed and ingest its new items."""
    reports: list[FeedPollReport] = []
    with ExitStack() as stack:
        active = fetcher or stack.enter_context(SafeFetcher(settings))
        for subscription in feed_store.list_feeds(engine):
            state = feed_store.load_state(engine, subscription.source_id)
            poll = poll_feed(active, state)
            summary = _ingest(
                engine,
                settings,
                "feeds poll",
                [subscription.url],
                poll.items,
                len(poll.items),
                progress,
                on_dropped,
            )
            # Items are stored before they are marked seen: a crash in between means a
            # re-fetch next time, which the store recognises as unchanged.
            feed_store.save_state(engine, subscription.source_id, poll.state)
            summary.processed = process_pending(engine, settings, progress=progress)
            after_processing(engine, settings, summary.processed)
            reports.append(
                FeedPollReport(
                    subscription.url,
                    poll.not_modified,
                    poll.new_entries,
                    summary,
                    [i for i in poll.items if isinstance(i, Dropped)],
                )
            )
    return reports


_GC_YOUNG_THRESHOLD = 50_000  # see checked_extractions


def checked_extractions(
    source: str,
    settings: Settings,
    *,
    processes: int = 1,
    on_dropped: Callable[[Dropped], None] | None = None,
) -> Iterator[tuple[Document, Extraction, DocumentCheck]]:
    """Clean, extract and check a file or standard input, with no store.

    Standard input is sniffed: JSON Lines when it starts with ``{``, HTML when it starts
    with ``<``, else plain text. A document's id is the input's ``id`` when it has one,
    else the hash of the cleaned text. An undated document's claims are checked at
    today's date, which the check says.
    """
    # A young-generation collection every 700 allocations (the default) walks the objects
    # loading and each batch of Docs leave alive: about 1.5% of an extract run's CPU. Rarer
    # ones find the same garbage later; the old threshold is back when the run ends.
    previous_threshold = gc.get_threshold()
    gc.set_threshold(_GC_YOUNG_THRESHOLD, *previous_threshold[1:])
    try:
        yield from _checked_extractions(source, settings, processes, on_dropped)
    finally:
        gc.set_threshold(*previous_threshold)


def _checked_extractions(
    source: str,
    settings: Settings,
    processes: int,
    on_dropped: Callable[[Dropped], None] | None,
) -> Iterator[tuple[Document, Extraction, DocumentCheck]]:
    # Late: spaCy is only imported by the commands that extract.
    from pactwatch.extract import extract_with_documents
    from pactwatch.knowledge import load_knowledge
    from pactwatch.nlp.pipeline import shared_pipeline
    from pactwatch.verify.check import check_document

    knowledge = load_knowledge()
    with tempfile.TemporaryDirectory() as tmp:
        if source == "-":
            data = sys.stdin.buffer.read()
            head = data.lstrip()[:1]
            suffix = ".jsonl" if head == b"{" else ".html" if head == b"<" else ".txt"
            path = Path(tmp) / f"stdin{suffix}"
            path.write_bytes(data)
        else:
            path = Path(source)
        now = datetime.now(UTC)

        def documents() -> Iterator[Document]:
            for item in iter_path_items([path], max_file_bytes=settings.max_file_bytes):
                built = (
                    item
                    if isinstance(item, Dropped)
                    else build_document(item, settings=settings, fetched_at=now)
                )
                if isinstance(built, Dropped):
                    if on_dropped:
                        on_dropped(built)
                    continue
                if isinstance(item, RawItem) and item.external_id:
                    built.id = item.external_id
                yield built

        nlp = shared_pipeline(settings.date_order)
        # The pipeline, the models and the knowledge live for the whole run: moved out of
        # the collector's reach, the full collections the run triggers no longer walk
        # them (and forked workers do not copy their pages by touching them).
        gc.freeze()
        for document, extraction in extract_with_documents(documents(), nlp, n_process=processes):
            check = check_document(document, extraction, knowledge, ingested_on=now.date())
            yield document, extraction, check


def extract_source(
    source: str,
    settings: Settings,
    *,
    processes: int = 1,
    on_dropped: Callable[[Dropped], None] | None = None,
) -> Iterator[dict[str, object]]:
    """``pactwatch extract``: one JSON record a document, with its flags and credibility."""
    for _document, extraction, check in checked_extractions(
        source, settings, processes=processes, on_dropped=on_dropped
    ):
        record = extraction.as_json()
        for event in record["events"]:
            eid = event["id"]
            event["flags"] = [f.as_json() for f in check.event_flags(eid)]
            score = check.events.get(eid)
            event["credibility"] = score.score if score else None
            event["credibility_reasons"] = [r.as_json() for r in score.reasons] if score else []
        record.update(check.as_json())
        yield record
