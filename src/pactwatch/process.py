"""The extraction step of a run: every stored document waiting for it, in batches.

Documents stored by ingest have status ``new``; this step runs the NLP pipeline over
them (``extract``), writes actors, mentions, places and events (``store.extraction_writer``)
and marks them ``processed``, one transaction per batch. Copies of stored stories
(status ``duplicate``) are never processed. A run killed halfway simply leaves the rest
``new`` for the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select, tuple_

from pactwatch.models import Document
from pactwatch.settings import Settings
from pactwatch.store.schema import documents

if TYPE_CHECKING:
    from pactwatch.extract import Extraction
    from pactwatch.jobs import ProgressFactory

BATCH = 64
# Below this many waiting documents, starting worker processes costs more than it saves.
MULTIPROCESS_MIN_DOCUMENTS = 256


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count()).select_from(documents).where(documents.c.status == "new")
            )
            or 0
        )


def _pending(engine: Engine) -> Iterator[Document]:
    """Documents waiting for extraction, oldest first, read a page at a time.

    Keyset paging on (ingested_at, id), not on status: the pages are read while earlier
    documents are being written, so their status changes under us.
    """
    cursor: tuple[object, str] | None = None
    while True:
        query = (
            select(documents)
            .where(documents.c.status == "new")
            .order_by(documents.c.ingested_at, documents.c.id)
            .limit(BATCH)
        )
        if cursor is not None:
            query = query.where(tuple_(documents.c.ingested_at, documents.c.id) > cursor)
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        for r in rows:
            yield Document(
                id=r.id,
                text=r.text,
                origin=r.origin,
                fetched_at=r.fetched_at,
                url=r.url,
                outlet=r.outlet,
                title=r.title,
                author=r.author,
                published=r.published,
                date_source=r.date_source,
                language=r.language,
            )
        cursor = (rows[-1].ingested_at, rows[-1].id)


def process_pending(
    engine: Engine, settings: Settings, *, progress: ProgressFactory | None = None
) -> int:
    """Extract every document waiting for it; returns how many were processed."""
    from pactwatch.extract import extract_documents
    from pactwatch.ingest import worker_count
    from pactwatch.nlp.pipeline import shared_pipeline
    from pactwatch.store.extraction_writer import write_extractions

    total = pending_count(engine)
    if total == 0:
        return 0
    nlp = shared_pipeline(settings.date_order)
    n_process = worker_count(settings) if total >= MULTIPROCESS_MIN_DOCUMENTS else 1
    handle = progress("extract", total) if progress else None
    done = 0
    batch: list[Extraction] = []
    try:
        # One pipe over the whole backlog, so spaCy's worker processes start only once.
        for extraction in extract_documents(_pending(engine), nlp, n_process=n_process):
            batch.append(extraction)
            if handle:
                handle.advance()
            if len(batch) >= BATCH:
                write_extractions(engine, batch)
                done, batch = done + len(batch), []
        write_extractions(engine, batch)
        done += len(batch)
    finally:
        if handle:
            handle.close()
    return done
