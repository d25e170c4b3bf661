"""Extraction results in the store, on SQLite and PostgreSQL; re-processing is idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from pactwatch.demo.run import corpus_root
from pactwatch.jobs import ingest_targets
from pactwatch.process import process_pending
from pactwatch.settings import Settings
from pactwatch.store.schema import (
    actors,
    documents,
    event_actors,
    event_mentions,
    events,
    mentions,
    place_mentions,
)

BANJSKA = [
    "c06-banjska-attack-police-officer-killed.md",
    "c07-banjska-terrorist-attack-kurti-osmani.md",
    "c09-shock-kosovo-commandos-storm-monastery.md",
]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
            for t in (actors, mentions, place_mentions, events, event_actors, event_mentions)
        }


def test_ingest_stores_extraction_and_reprocessing_changes_nothing(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in BANJSKA:
        shutil.copy(corpus_root() / "articles" / name, folder / name)
    summary = ingest_targets(engine, settings, [str(folder)])
    assert (summary.stored, summary.near_duplicates, summary.processed) == (2, 1, 2)
    first = counts(engine)
    assert first["events"] > 0 and first["event_mentions"] >= first["events"]
    assert first["mentions"] > 0 and first["actors"] > 0 and first["place_mentions"] > 0
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(documents.c.origin, documents.c.status)).all())
        kinds = set(conn.scalars(select(events.c.event)))
        kosovo_police = conn.scalar(
            select(func.count()).select_from(actors).where(actors.c.country == "XKX")
        )
        areas = conn.scalars(select(documents.c.areas).where(documents.c.status == "processed"))
        area_lists = list(areas)
    # The respin is a copy: linked, not processed, so its events are not counted twice.
    assert sorted(Path(o).name for o, s in statuses.items() if s == "processed") == BANJSKA[:2]
    assert [Path(o).name for o, s in statuses.items() if s == "duplicate"] == [BANJSKA[2]]
    assert "ASSAULT" in kinds
    assert kosovo_police
    assert all(isinstance(a, list) for a in area_lists)

    # Run the extraction again over the same documents: same rows, no duplicates.
    with engine.begin() as conn:
        conn.execute(
            documents.update().where(documents.c.status == "processed").values(status="new")
        )
    assert process_pending(engine, settings) == 2
    assert counts(engine) == first


def test_multiprocess_extraction_stores_the_same_rows(
    engine: Engine, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in BANJSKA[:2]:
        shutil.copy(corpus_root() / "articles" / name, folder / name)
    ingest_targets(engine, settings, [str(folder)])
    with engine.connect() as conn:
        single = sorted(conn.execute(select(events.c.id, events.c.event, events.c.date)).all())
    with engine.begin() as conn:
        conn.execute(documents.update().values(status="new"))
    monkeypatch.setattr("pactwatch.process.MULTIPROCESS_MIN_DOCUMENTS", 1)
    assert process_pending(engine, settings.model_copy(update={"workers": 2})) == 2
    with engine.connect() as conn:
        multi = sorted(conn.execute(select(events.c.id, events.c.event, events.c.date)).all())
    assert multi == single and single


def test_processing_leaves_planner_statistics_on_sqlite(settings: Settings, tmp_path: Path) -> None:
    """SQLite gathers none by itself; the dashboard's queries rely on them."""
    from pactwatch.store.engine import open_store

    engine = open_store(str(tmp_path / "stats.sqlite"))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(corpus_root() / "articles" / BANJSKA[0], folder / BANJSKA[0])
    ingest_targets(engine, settings, [str(folder)])
    with engine.connect() as conn:
        analysed = set(conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1").scalars())
    engine.dispose()
    assert {"events", "event_countries", "event_areas"} <= analysed
