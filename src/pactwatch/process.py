"""The extraction and checking step of a run: every stored document waiting for it.

Documents stored by ingest have status ``new``; this step runs the NLP pipeline over
them (``extract``), checks each one (``verify.check``: flags, office claims,
credibility), writes it all (``store.extraction_writer``) and marks them ``processed``,
one transaction per batch, then recomputes the overview's summaries of the days touched
(``store.summaries``). Copies of stored stories (status ``duplicate``) are never
processed. Then the new events are grouped with the stored ones across documents
(``verify.corroboration_store``) and the documents touched are rescored
(``verify.credibility_store``, which refreshes the summaries for the new weights). A run
killed halfway simply leaves the rest ``new`` for the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select, tuple_

from pactwatch.models import Document, RemovedText
from pactwatch.settings import Settings
from pactwatch.store.schema import documents, removed_text

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
        removed = _removed_text([r.id for r in rows], engine)
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
                removed=removed.get(r.id, []),
            )
        cursor = (rows[-1].ingested_at, rows[-1].id)


def _removed_text(doc_ids: list[str], engine: Engine) -> dict[str, list[RemovedText]]:
    """What cleaning removed from these documents (stray lines are a flag of their own)."""
    found: dict[str, list[RemovedText]] = {}
    with engine.connect() as conn:
        rows = conn.execute(
            select(removed_text)
            .where(removed_text.c.document_id.in_(doc_ids))
            .order_by(removed_text.c.document_id, removed_text.c.seq)
        ).all()
    for r in rows:
        found.setdefault(r.document_id, []).append(RemovedText(r.text, r.reason, r.line))
    return found


def process_pending(
    engine: Engine, settings: Settings, *, progress: ProgressFactory | None = None
) -> int:
    """Extract every document waiting for it; returns how many were processed."""
    from pactwatch.extract import extract_with_documents
    from pactwatch.ingest import worker_count
    from pactwatch.knowledge import load_knowledge
    from pactwatch.nlp.pipeline import shared_pipeline
    from pactwatch.store.extraction_writer import write_extractions
    from pactwatch.store.summaries import refresh_summaries
    from pactwatch.verify.check import DocumentCheck, check_document
    from pactwatch.verify.corroboration_store import corroborate
    from pactwatch.verify.credibility_store import clustered_with, refresh_credibility

    total = pending_count(engine)
    if total == 0:
        return 0
    nlp = shared_pipeline(settings.date_order)
    knowledge = load_knowledge()
    n_process = worker_count(settings) if total >= MULTIPROCESS_MIN_DOCUMENTS else 1
    handle = progress("extract", total) if progress else None
    processed: list[str] = []
    batch: list[Extraction] = []
    checks: list[DocumentCheck] = []
    try:
        # One pipe over the whole backlog, so spaCy's worker processes start only once.
        for document, extraction in extract_with_documents(
            _pending(engine), nlp, n_process=n_process
        ):
            batch.append(extraction)
            checks.append(
                check_document(document, extraction, knowledge, ingested_on=_ingested_on(document))
            )
            if handle:
                handle.advance()
            if len(batch) >= BATCH:
                refresh_summaries(engine, write_extractions(engine, batch, checks))
                processed.extend(x.doc_id for x in batch)
                batch, checks = [], []
        refresh_summaries(engine, write_extractions(engine, batch, checks))
        processed.extend(x.doc_id for x in batch)
    finally:
        if handle:
            handle.close()
    if processed:
        corroborate(engine, processed)
        refresh_credibility(engine, clustered_with(engine, processed))
        update_planner_statistics(engine, len(processed))
    return len(processed)


# PostgreSQL's autovacuum keeps statistics current on its own; after a large load they lag.
POSTGRES_ANALYZE_AFTER = 1000


def update_planner_statistics(engine: Engine, processed: int) -> None:
    """Keep the query planner's statistics current, so the dashboard's queries pick the
    summary and side-table indexes (without them SQLite's overview ran 2-3 times slower on
    a million events). SQLite never gathers statistics by itself: a bounded ANALYZE
    (``analysis_limit``: a sample per index, so its cost does not grow with the store)
    runs after every processing step."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
            conn.exec_driver_sql("ANALYZE")
        elif engine.dialect.name == "postgresql" and processed >= POSTGRES_ANALYZE_AFTER:
            conn.exec_driver_sql("ANALYZE")


def _ingested_on(document: Document) -> date:
    """The day an undated document's claims are checked at: when it was fetched."""
    return document.fetched_at.date()
