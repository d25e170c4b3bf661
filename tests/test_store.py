"""The store on SQLite and PostgreSQL: migrations, whole-document writes, bulk path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, event, func, select

from pactwatch.errors import ConfigError
from pactwatch.models import Document, Dropped, RemovedText, TextRepair
from pactwatch.store.engine import make_engine, normalise_database_url, open_store
from pactwatch.store.migrate import current_revision, head_revision
from pactwatch.store.schema import (
    documents,
    dropped_items,
    duplicates,
    metadata,
    removed_text,
    sources,
    text_repairs,
)
from pactwatch.store.writer import (
    DuplicateLink,
    PreparedDocument,
    StoreWriter,
    finish_run,
    start_run,
)

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_doc(n: int, *, removed: int = 1, repairs: int = 1) -> Document:
    return Document(
        id=f"{n:064x}",
        text=f"Document number {n}. KFOR patrols continued in Zvečan.",
        origin=f"/corpus/doc-{n}.txt",
        fetched_at=NOW,
        outlet="Balkan Wire Service",
        title=f"Story {n}",
        published=datetime(2023, 5, 30, tzinfo=UTC),
        date_source="metadata",
        removed=[RemovedText(f"junk {n}.{k}", "boilerplate", k + 1) for k in range(removed)],
        repairs=[TextRepair("U.S.is", "U.S. is", k + 1) for k in range(repairs)],
    )


def prepared(doc: Document, link: DuplicateLink | None = None) -> PreparedDocument:
    return PreparedDocument(doc, "file", doc.origin, minhash=b"\x00" * 16, link=link)


def test_migrations_reach_head_and_match_the_schema(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_opening_twice_is_a_no_op(database_url: str) -> None:
    first = open_store(database_url)
    first.dispose()
    second = open_store(database_url)
    assert current_revision(second) == head_revision()
    second.dispose()


def test_batch_writes_documents_with_their_children(engine: Engine) -> None:
    run_id = start_run(engine, "test", ["x"])
    writer = StoreWriter(engine, run_id)
    docs = [make_doc(n, removed=n % 3, repairs=1) for n in range(5)]
    written = writer.write_batch([prepared(d) for d in docs], [Dropped("bad.txt", "not_utf8", "x")])
    finish_run(engine, run_id, "ok", {"stored": 5})
    assert written == 5
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(documents)) == 5
        assert conn.scalar(select(func.count()).select_from(removed_text)) == 0 + 1 + 2 + 0 + 1
        assert conn.scalar(select(func.count()).select_from(text_repairs)) == 5
        assert conn.scalar(select(func.count()).select_from(dropped_items)) == 1
        assert conn.scalar(select(func.count()).select_from(sources)) == 5
        row = conn.execute(select(documents).where(documents.c.id == docs[2].id)).one()
    assert row.removed_count == 2
    assert row.published == datetime(2023, 5, 30, tzinfo=UTC)
    assert row.published.tzinfo is not None
    assert row.status == "new"


def test_exact_and_near_copies_are_linked_to_the_first(engine: Engine) -> None:
    writer = StoreWriter(engine, start_run(engine, "test", []))
    first = make_doc(1)
    near = make_doc(2)
    exact = make_doc(1)
    exact.origin = "/elsewhere/copy.txt"
    writer.write_batch(
        [
            prepared(first),
            prepared(near, DuplicateLink(first.id, "near", 0.91)),
            prepared(exact, DuplicateLink(first.id, "exact", 1.0)),
        ],
        [],
    )
    with engine.connect() as conn:
        stored = conn.execute(select(documents.c.id, documents.c.status)).all()
        links = conn.execute(
            select(duplicates.c.kind, duplicates.c.copy_id, duplicates.c.origin)
            .where(duplicates.c.document_id == first.id)
            .order_by(duplicates.c.kind)
        ).all()
    assert sorted(stored) == sorted([(first.id, "new"), (near.id, "duplicate")])
    assert links == [("exact", None, "/elsewhere/copy.txt"), ("near", near.id, near.origin)]
    assert writer.known_origins([first.id]) == {
        (first.id, first.origin),
        (first.id, "/elsewhere/copy.txt"),
        (first.id, near.origin),
    }


def test_a_conflicting_batch_loses_only_the_conflict(engine: Engine) -> None:
    writer = StoreWriter(engine, start_run(engine, "test", []))
    writer.write_batch([prepared(make_doc(1))], [])
    # Document 1 again (as if another writer stored it meanwhile) beside two new ones.
    written = writer.write_batch([prepared(make_doc(n)) for n in (0, 1, 2)], [])
    assert written == 2
    assert writer.stored_ids([make_doc(n).id for n in range(4)]) == {
        make_doc(n).id for n in (0, 1, 2)
    }


def test_bulk_path_is_not_one_round_trip_per_row(engine: Engine) -> None:
    writer = StoreWriter(engine, start_run(engine, "test", []))
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        writer.write_batch([prepared(make_doc(n, removed=2, repairs=2)) for n in range(300)], [])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # 300 documents from 300 files: 300 sources, 600 removed lines, 600 repairs, 1,800 rows.
    # Every table is written and every lookup made in a few statements, not one per row
    # (insertmanyvalues may split a very large insert into a few pages).
    assert len(statements) <= 20, len(statements)


def test_naive_datetimes_are_refused(engine: Engine) -> None:
    writer = StoreWriter(engine, start_run(engine, "test", []))
    doc = make_doc(1)
    doc.published = datetime(2023, 1, 1)
    with pytest.raises(Exception, match="naive datetime"):
        writer.write_batch([prepared(doc)], [])


def test_plain_paths_and_postgres_urls_are_normalised(tmp_path: object) -> None:
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("var/x.sqlite").startswith("sqlite:////")
    with pytest.raises(ConfigError, match="unsupported database"):
        make_engine("mysql://u@h/db")
