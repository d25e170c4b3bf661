"""The dashboard's derived tables on SQLite and PostgreSQL: ``events.day``,
``event_countries`` and ``event_areas`` written with the events, and the overview's
summaries kept equal to a recomputation from the events after re-extraction, a
credibility refresh and an analyst's override; the overview and totals read from the
summaries equal the same aggregates computed from the events themselves."""

from __future__ import annotations

import shutil
from collections import defaultdict
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, Table, select, text

from pactwatch.analysis import queries, query_overview, query_sql
from pactwatch.analysis.queries import Filters, Page
from pactwatch.demo.run import corpus_root
from pactwatch.jobs import ingest_targets
from pactwatch.process import process_pending
from pactwatch.settings import Settings
from pactwatch.store.engine import open_store
from pactwatch.store.extraction_writer import event_side_rows
from pactwatch.store.migrate import alembic_config, upgrade
from pactwatch.store.schema import (
    documents,
    event_areas,
    event_countries,
    events,
    summary_actors,
    summary_areas,
    summary_pairs,
)
from pactwatch.store.summaries import rebuild_all
from pactwatch.verify.credibility_store import refresh_credibility, set_override
from test_web_queries import WINDOW, build_store

BANJSKA = [
    "c06-banjska-attack-police-officer-killed.md",
    "c07-banjska-terrorist-attack-kurti-osmani.md",
]


def summaries(engine: Engine) -> dict[str, dict[tuple[Any, ...], tuple[float, ...]]]:
    """Every summary table as {key: measures}, rows of one key added up."""
    found: dict[str, dict[tuple[Any, ...], tuple[float, ...]]] = {}
    keys: dict[Table, int] = {summary_areas: 3, summary_pairs: 6, summary_actors: 4}
    with engine.connect() as conn:
        for table, width in keys.items():
            summed: dict[tuple[Any, ...], list[float]] = defaultdict(list)
            for row in conn.execute(select(table)):
                values = list(row)
                key, measures = tuple(values[:width]), values[width:]
                got = summed[key] or [0.0] * len(measures)
                summed[key] = [a + float(b) for a, b in zip(got, measures, strict=True)]
            found[table.name] = {k: tuple(round(v, 6) for v in m) for k, m in summed.items()}
    return found


def side_rows(engine: Engine) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    with engine.connect() as conn:
        countries = {tuple(r) for r in conn.execute(select(event_countries))}
        areas = {tuple(r) for r in conn.execute(select(event_areas))}
    return countries, areas


def assert_in_step(engine: Engine) -> None:
    """Side tables match the events' JSON and the summaries a full rebuild."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(events, documents.c.published).join(
                documents, documents.c.id == events.c.document_id
            )
        ).all()
    want_countries: set[tuple[Any, ...]] = set()
    want_areas: set[tuple[Any, ...]] = set()
    for r in rows:
        published = r.published.astimezone(UTC).date() if r.published else None
        assert r.day == (r.date or published)
        c, a = event_side_rows(r.id, r.day, r.areas, r.actor, r.recipient)
        want_countries |= {
            (x["event_id"], x["country"], x["as_actor"], x["as_recipient"], x["day"]) for x in c
        }
        want_areas |= {(x["event_id"], x["area"], x["day"]) for x in a}
    assert side_rows(engine) == (want_countries, want_areas)
    kept = summaries(engine)
    with engine.begin() as conn:
        rebuild_all(conn)
    assert summaries(engine) == kept


def test_written_with_the_events_and_kept_in_step(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in BANJSKA:
        shutil.copy(corpus_root() / "articles" / name, folder / name)
    assert ingest_targets(engine, settings, [str(folder)]).processed == 2
    first = summaries(engine)
    assert first["summary_areas"] and first["summary_actors"]
    countries, areas = side_rows(engine)
    assert {c[1] for c in countries} >= {"XKX"}
    assert_in_step(engine)

    # Re-extraction replaces the events and their side rows; the summaries follow.
    with engine.begin() as conn:
        conn.execute(
            documents.update().where(documents.c.status == "processed").values(status="new")
        )
    assert process_pending(engine, settings) == 2
    assert side_rows(engine) == (countries, areas)
    assert summaries(engine) == first
    assert_in_step(engine)

    # An override changes a weight: the summary of its day changes with it.
    with engine.connect() as conn:
        event_id, day = conn.execute(
            select(events.c.id, events.c.day)
            .join(event_areas, event_areas.c.event_id == events.c.id)
            .order_by(events.c.id)
        ).first() or (None, None)
    assert event_id is not None
    set_override(engine, event_id, 0.0, "analyst", "staged photo")
    changed = summaries(engine)["summary_areas"]
    assert changed[(day, "*", "*")] != first["summary_areas"][(day, "*", "*")]
    assert_in_step(engine)
    with engine.connect() as conn:
        doc_ids = list(conn.scalars(select(documents.c.id)))
    refresh_credibility(engine, doc_ids)
    assert_in_step(engine)


FILTERS = [
    WINDOW,
    WINDOW.with_dates(date(2024, 2, 1), date(2024, 2, 29)),
    WINDOW.with_dates(date(2024, 1, 9), date(2024, 2, 22)),  # days around whole months
    WINDOW.with_dates(date(2023, 12, 20), date(2024, 4, 5)),
    Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), country="XKX"),
    Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), country="srb"),
    Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), region="western_balkans"),
    Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), area="diplomatic_engagement"),
    Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31), region="nowhere"),
]


@pytest.mark.parametrize("filters", FILTERS)
def test_overview_from_summaries_equals_the_events(
    engine: Engine, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_store(engine)
    assert query_overview.overview_scope(filters) is not None
    summarised = queries.overview(engine, filters, "week")
    monkeypatch.setattr(query_overview, "overview_scope", lambda f: None)
    direct = queries.overview(engine, filters, "week")
    assert summarised == direct


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(country="XKX"),
        Filters(region="western_balkans", area="diplomatic_engagement"),
        Filters(date_from=date(2024, 1, 10), date_to=date(2024, 2, 22), country="SRB"),
        Filters(area="joint_exercises"),
    ],
)
def test_totals_from_summaries_equal_a_count(
    engine: Engine, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_store(engine)
    assert query_sql.summary_key(filters) is not None
    summarised = queries.events_page(engine, filters, page=Page(limit=1))
    monkeypatch.setattr(query_sql, "summary_key", lambda f: None)
    counted = queries.events_page(engine, filters, page=Page(limit=1))
    assert (summarised.total, summarised.total_is_estimate) == (counted.total, False)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(pair=("XKX", "SRB")),
        Filters(pair=("usa", "alb"), region="western_balkans"),
        Filters(date_from=date(2024, 1, 9), date_to=date(2024, 2, 22), pair=("SRB", "XKX")),
    ],
)
def test_pair_totals_from_summaries_equal_a_count(
    engine: Engine, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_store(engine)
    summarised = queries.events_page(engine, filters, page=Page(limit=1))
    monkeypatch.setattr(query_sql, "single_scope", lambda f: None)
    counted = queries.events_page(engine, filters, page=Page(limit=1))
    assert summarised.total == counted.total > 0


def test_a_total_past_the_cap_is_flagged(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    build_store(engine)
    monkeypatch.setattr(query_sql, "COUNT_CAP", 1)
    capped = queries.events_page(engine, Filters(min_credibility=0.1), page=Page(limit=1))
    assert (capped.total, capped.total_is_estimate) == (2, True)  # page + cap: at least 2
    exact = queries.events_page(engine, Filters(event_type="CONSULT"), page=Page(limit=1))
    assert (exact.total, exact.total_is_estimate) == (2, False)


def test_the_migration_backfills_a_store_with_events(database_url: str) -> None:
    bare = open_store(database_url)  # migrated to head: go back to 0005 and fill it
    command.downgrade(alembic_config(bare), "0005")
    with bare.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO documents (id, origin, text, text_chars, removed_count,"
                " repair_count, status, tlp, fetched_at, ingested_at, language, published)"
                " VALUES ('d1', 'o', 't', 1, 0, 0, 'processed', 'clear', :now, :now, 'en',"
                " :published)"
            ),
            {"now": "2024-01-01 00:00:00", "published": "2024-03-05 23:30:00"},
        )
        conn.execute(
            text(
                "INSERT INTO events (id, document_id, event, contexts, areas, actor, recipient,"
                " modality, credibility_reasons, created_at, date, credibility)"
                " VALUES (:id, 'd1', 'CONSULT', '[]', :areas, :actor, :recipient, 'factual',"
                " '[]', '2024-01-01 00:00:00', :date, 0.5)"
            ),
            [
                {
                    "id": "e1",
                    "areas": '["cybersecurity"]',
                    "actor": '[{"country": "XKX"}]',
                    "recipient": '[{"country": "SRB"}]',
                    "date": "2024-03-01",
                },
                {
                    "id": "e2",
                    "areas": "[]",
                    "actor": '[{"country": "USA"}]',
                    "recipient": "[]",
                    "date": None,
                },
            ],
        )
    upgrade(bare)
    with bare.connect() as conn:
        days = dict(conn.execute(select(events.c.id, events.c.day)).all())
        countries = set(conn.execute(select(event_countries.c.event_id, event_countries.c.country)))
        areas = set(conn.execute(select(event_areas.c.event_id, event_areas.c.area)))
    assert days == {"e1": date(2024, 3, 1), "e2": date(2024, 3, 5)}
    assert countries == {("e1", "XKX"), ("e1", "SRB"), ("e2", "USA")}
    assert areas == {("e1", "cybersecurity")}
    page = queries.events_page(bare, Filters(country="SRB"))
    assert (page.total, [e.id for e in page.items]) == (1, ["e1"])
    bare.dispose()
