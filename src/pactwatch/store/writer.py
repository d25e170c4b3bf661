"""All writes of ingest: documents with their removed text, repairs and duplicate links.

A batch of documents is written in one transaction, with one multi-row insert per table,
so a bulk ingest is not bound by one round trip per row, and a run killed at any moment
leaves only whole documents behind (each ``documents`` row also records how many
``removed_text`` and ``text_repairs`` rows belong to it, which tests use to prove it).
If a batch hits a conflict (another writer stored the same document meanwhile), it is
retried one document per transaction so that one conflict loses nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError

from pactwatch.models import Document, Dropped
from pactwatch.store.schema import (
    documents,
    dropped_items,
    duplicates,
    removed_text,
    runs,
    sources,
    text_repairs,
)


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """Ties a copy to the first stored document of the same story."""

    first_id: str
    kind: Literal["exact", "near"]
    similarity: float


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A document ready to write: new (``link`` None) or a copy of a stored story.

    An exact copy writes only a ``duplicates`` row (its text is already stored); a near
    copy is stored as a document with status ``duplicate`` and linked to the first.
    """

    document: Document
    source_kind: str
    source_locator: str
    minhash: bytes | None = None
    link: DuplicateLink | None = None


def now() -> datetime:
    return datetime.now(UTC)


def start_run(engine: Engine, command: str, arguments: Sequence[str]) -> int:
    with engine.begin() as conn:
        result = conn.execute(
            insert(runs).values(
                command=command,
                arguments=list(arguments),
                started_at=now(),
                status="running",
                counts={},
            )
        )
        key = result.inserted_primary_key
        assert key is not None  # noqa: S101 - an insert always has a primary key here
        return int(key[0])


def finish_run(engine: Engine, run_id: int, status: str, counts: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(finished_at=now(), status=status, counts=counts)
        )


class StoreWriter:
    """Writes batches of prepared documents and dropped items for one run."""

    def __init__(self, engine: Engine, run_id: int) -> None:
        self.engine = engine
        self.run_id = run_id
        self._source_ids: dict[tuple[str, str], int] = {}

    # --- reads the ingest needs to decide what is new -------------------------------

    def origins_by_id(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """For each of ``ids`` already stored, the origins recorded for it: its own and
        those of its copies. Ids not stored are absent, so the keys are the stored ids."""
        wanted = list(set(ids))
        found: dict[str, set[str]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted, 500):
                rows = conn.execute(
                    select(documents.c.id, documents.c.origin).where(documents.c.id.in_(chunk))
                )
                for row in rows:
                    found.setdefault(row.id, set()).add(row.origin)
                # A copy always points at a stored document (foreign key), so it only adds
                # origins, never ids.
                rows = conn.execute(
                    select(duplicates.c.document_id, duplicates.c.origin).where(
                        duplicates.c.document_id.in_(chunk)
                    )
                )
                for row in rows:
                    found[row.document_id].add(row.origin)
        return found

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already stored documents."""
        return set(self.origins_by_id(ids))

    def known_origins(self, ids: Iterable[str]) -> set[tuple[str, str]]:
        """(document id, origin) pairs already recorded, as the document or as a copy."""
        return {(i, o) for i, origins in self.origins_by_id(ids).items() for o in origins}

    # --- writes ----------------------------------------------------------------------

    def write_batch(self, batch: Sequence[PreparedDocument], dropped: Sequence[Dropped]) -> int:
        """Write a batch in one transaction; returns how many items were written.

        On a conflict the batch is rolled back and retried one document at a time,
        skipping only the documents that conflict.
        """
        if not batch and not dropped:
            return 0
        try:
            with self.engine.begin() as conn:
                self._write(conn, batch, dropped)
            return len(batch)
        except IntegrityError:
            self._source_ids.clear()  # ids cached inside the rolled-back transaction
        written = 0
        with self.engine.begin() as conn:
            self._write(conn, [], dropped)
        for item in batch:
            try:
                with self.engine.begin() as conn:
                    self._write(conn, [item], [])
                written += 1
            except IntegrityError:
                self._source_ids.clear()
        return written

    def _write(
        self, conn: Connection, batch: Sequence[PreparedDocument], dropped: Sequence[Dropped]
    ) -> None:
        stamp = now()
        self._load_source_ids(conn, batch)
        doc_rows: list[dict[str, Any]] = []
        removed_rows: list[dict[str, Any]] = []
        repair_rows: list[dict[str, Any]] = []
        duplicate_rows: list[dict[str, Any]] = []
        for item in batch:
            doc = item.document
            link = item.link
            if link is None or link.kind == "near":
                doc_rows.append(self._document_row(item, stamp))
                removed_rows.extend(
                    {
                        "document_id": doc.id,
                        "seq": seq,
                        "line": r.line,
                        "reason": r.reason,
                        "text": r.text,
                    }
                    for seq, r in enumerate(doc.removed)
                )
                repair_rows.extend(
                    {
                        "document_id": doc.id,
                        "seq": seq,
                        "line": r.line,
                        "before": r.before,
                        "after": r.after,
                    }
                    for seq, r in enumerate(doc.repairs)
                )
            if link is not None:
                duplicate_rows.append(
                    {
                        "document_id": link.first_id,
                        "copy_id": doc.id if link.kind == "near" else None,
                        "kind": link.kind,
                        "similarity": link.similarity,
                        "origin": doc.origin,
                        "url": doc.url,
                        "outlet": doc.outlet,
                        "published": doc.published,
                        "found_at": stamp,
                    }
                )
        # Parents before children, each as one multi-row statement.
        for table, rows in (
            (documents, doc_rows),
            (removed_text, removed_rows),
            (text_repairs, repair_rows),
            (duplicates, duplicate_rows),
        ):
            if rows:
                conn.execute(insert(table), rows)
        if dropped:
            conn.execute(
                insert(dropped_items),
                [
                    {
                        "run_id": self.run_id,
                        "origin": d.origin,
                        "reason": d.reason,
                        "detail": d.detail,
                    }
                    for d in dropped
                ],
            )

    def _document_row(self, item: PreparedDocument, stamp: datetime) -> dict[str, Any]:
        doc = item.document
        return {
            "id": doc.id,
            "source_id": self._source_ids[(item.source_kind, item.source_locator)],
            "run_id": self.run_id,
            "origin": doc.origin,
            "url": doc.url,
            "outlet": doc.outlet,
            "title": doc.title,
            "author": doc.author,
            "published": doc.published,
            "date_source": doc.date_source,
            "language": doc.language,
            "text": doc.text,
            "text_chars": len(doc.text),
            "removed_count": len(doc.removed),
            "repair_count": len(doc.repairs),
            "minhash": item.minhash,
            "duplicate_of": item.link.first_id if item.link else None,
            "status": "duplicate" if item.link else "new",
            "fetched_at": doc.fetched_at,
            "ingested_at": stamp,
        }

    def _load_source_ids(self, conn: Connection, batch: Sequence[PreparedDocument]) -> None:
        """Ids of every source the batch names, creating the missing ones: one query to
        find them and one multi-row insert, however many files the batch comes from."""
        wanted: dict[tuple[str, str], str | None] = {}
        for item in batch:
            key = (item.source_kind, item.source_locator)
            if key not in self._source_ids:
                wanted.setdefault(key, item.document.outlet)
        if not wanted:
            return
        self._source_ids.update(self._find_sources(conn, list(wanted)))
        missing = [key for key in wanted if key not in self._source_ids]
        if missing:
            conn.execute(
                insert(sources),
                [
                    {"kind": k, "locator": loc, "outlet": wanted[(k, loc)], "created_at": now()}
                    for k, loc in missing
                ],
            )
            self._source_ids.update(self._find_sources(conn, missing))

    @staticmethod
    def _find_sources(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for start in range(0, len(keys), 300):
            chunk = keys[start : start + 300]
            rows = conn.execute(
                select(sources.c.id, sources.c.kind, sources.c.locator).where(
                    tuple_(sources.c.kind, sources.c.locator).in_(chunk)
                )
            )
            found.update({(r.kind, r.locator): int(r.id) for r in rows})
        return found


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
