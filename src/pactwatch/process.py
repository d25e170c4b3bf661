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

from sqlalchemy import Engine, func, select

from pactwatch.models import Document
from pactwatch.settings import Settings
from pactwatch.store.schema import documents

if TYPE_CHECKING:
    from pactwatch.jobs import ProgressFactory

BATCH = 64


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.scalar(
                select(func.count()).select_from(documents).where(documents.c.status == "new")
            )
            or 0
        )


def _pending(engine: Engine) -> Iterator[list[Document]]:
    """Batches of documents waiting for extraction, oldest first; re-queried each time so
    that documents finished by the previous batch are not seen again."""
    while True:
        with engine.connect() as conn:
            rows = conn.execute(
                select(documents)
                .where(documents.c.status == "new")
                .order_by(documents.c.ingested_at, documents.c.id)
                .limit(BATCH)
            ).all()
        if not rows:
            return
        yield [
            Document(
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
            for r in rows
        ]


def process_pending(
    engine: Engine, settings: Settings, *, progress: ProgressFactory | None = None
) -> int:
    """Extract every document waiting for it; returns how many were processed."""
    from pactwatch.extract import extract_documents
    from pactwatch.nlp.pipeline import shared_pipeline
    from pactwatch.store.extraction_writer import write_extractions

    total = pending_count(engine)
    if total == 0:
        return 0
    nlp = shared_pipeline(settings.date_order)
    handle = progress("extract", total) if progress else None
    done = 0
    try:
        for batch in _pending(engine):
            extractions = []
            for extraction in extract_documents(batch, nlp):
                extractions.append(extraction)
                if handle:
                    handle.advance()
            write_extractions(engine, extractions)
            done += len(batch)
    finally:
        if handle:
            handle.close()
    return done
