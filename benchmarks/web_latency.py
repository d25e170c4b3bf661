"""Web API latency on a large store: p50/p95/max of the overview and the events table,
and SQL statements per request, on SQLite and PostgreSQL in the same run.

    PACTWATCH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:55432/postgres \
        .venv/bin/python benchmarks/web_latency.py --events 1000000

For each store (a SQLite file under /tmp; a fresh PostgreSQL database on
PACTWATCH_TEST_POSTGRES_URL, dropped afterwards), migrated with ``open_store``:

- **generate** ``--events`` events in ``--documents`` documents (default a tenth) over three
  years, 30% of them with no stated date (their day is their document's), with actors of
  the Western Balkans, the US, NATO and others (``actors``, ``event_actors``), cooperation
  areas, PLOVER types and scores, modality, credibility (10% unscored) and flags on 2% of
  events and 1% of documents (a third resolved). Bulk inserts: ``executemany`` in batches
  of 50,000 on SQLite, ``COPY`` on PostgreSQL, then ``ANALYZE``; the time is reported
  apart from the latencies.
- **serve** the real app (``create_app``) with uvicorn on 127.0.0.1 in this process and,
  with one keep-alive client and a viewer's API token, time each request of the runs
  below (until its body is read): ``--warmup`` requests first, then ``--requests`` timed,
  or fewer when a run exceeds ``--budget`` seconds (at least 5). The SQL statements of
  each request are counted with a SQLAlchemy ``before_cursor_execute`` listener.

Runs: the overview as served (its aggregates are cached 60 s, so after the warm-up this
is the cached path) and with the cache off (``OVERVIEW_CACHE_SECONDS = 0``: every
request computes the three-year aggregates); the events list's default page, a filtered
page (country, area, one quarter), a page sorted by credibility and a deep page (offset
10,000). Exit status 1 when any run's p95 is above ``--target`` ms (300).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from _shared import StatementCounter, fresh_postgres, serving
from sqlalchemy import Engine, select, text

from pactwatch.analysis import query_overview
from pactwatch.settings import Settings
from pactwatch.store import schema
from pactwatch.store.engine import open_store

try:
    from pactwatch.store.extraction_writer import event_side_rows
except ImportError:  # a schema without the side tables
    event_side_rows = None  # type: ignore[assignment]
from pactwatch.web.app import create_app
from pactwatch.web.users import create_token, create_user

BATCH = 50_000
START = date(2023, 11, 21)
DAYS = 3 * 365  # the documents' publication days: START .. 2026-11-20
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

# PLOVER types with quad class and score (event_lexicon.yaml), and how common they are.
TYPES = (
    ("CONSULT", 1, 2.5, 30),
    ("AGREE", 1, 2.5, 8),
    ("SUPPORT", 1, 5.0, 8),
    ("CONCEDE", 1, 4.5, 1),
    ("COOPERATE", 2, 9.5, 14),
    ("AID", 2, 10.0, 7),
    ("RETREAT", 2, 6.5, 1),
    ("REQUEST", 3, 0.0, 5),
    ("ACCUSE", 3, -3.0, 8),
    ("REJECT", 3, -2.0, 4),
    ("THREATEN", 3, -3.5, 3),
    ("PROTEST", 4, -5.0, 4),
    ("SANCTION", 4, -6.0, 2),
    ("MOBILIZE", 4, -5.5, 2),
    ("COERCE", 4, -7.0, 2),
    ("ASSAULT", 4, -9.0, 1),
)
AREAS = (
    "joint_exercises",
    "training_education",
    "intelligence_sharing",
    "cybersecurity",
    "infrastructure",
    "equipment_resources",
    "diplomatic_engagement",
    "economic_cooperation",
    "security_assistance",
    "cultural_exchange",
)
# (code, country name, weight): the Western Balkans, the US and NATO most often.
COUNTRIES = (
    ("SRB", "Serbia", 18),
    ("XKX", "Kosovo", 18),
    ("USA", "United States", 14),
    ("IGO", "NATO", 10),
    ("ALB", "Albania", 7),
    ("BIH", "Bosnia and Herzegovina", 7),
    ("MKD", "North Macedonia", 6),
    ("MNE", "Montenegro", 6),
    ("EUR", "European Union", 5),
    ("DEU", "Germany", 3),
    ("GBR", "United Kingdom", 3),
    ("TUR", "Turkey", 2),
    ("RUS", "Russia", 1),
)
SECTORS = ("GOV", "MIL", "COP", "SPY", "LEG")
PERSONS_PER_COUNTRY = 20
MODALITIES = (("factual", 85), ("future", 10), ("hypothetical", 3), ("negated", 2))
SEVERITIES = ("info", "warning", "serious")

DOC_COLUMNS = (
    "id, origin, url, outlet, title, published, date_source, language, text, text_chars, "
    "removed_count, repair_count, status, areas, tlp, credibility, credibility_reasons, "
    "fetched_at, ingested_at"
)
# The day column and side tables of migration 0006, when the schema has them.
SIDE_TABLES = (
    "day" in schema.events.c and hasattr(schema, "event_countries") and event_side_rows is not None
)
EVENT_COLUMNS = (
    "id, document_id, cluster_id, event, mode, contexts, cameo, quad_code, plover_score, "
    "areas, actor, recipient, date, date_precision, modality, confidence, credibility, "
    "credibility_reasons, event_text, created_at" + (", day" if SIDE_TABLES else "")
)
LINK_COLUMNS = {
    "event_actors": "event_id, actor_id, side",
    "event_countries": "event_id, country, as_actor, as_recipient, day",
    "event_areas": "event_id, area, day",
}
ACTOR_COLUMNS = "id, kind, name, country, sectors, aliases, wikidata_id"
FLAG_COLUMNS = (
    "id, kind, severity, explanation, document_id, event_id, evidence, details, resolved, "
    "created_at"
)


# --- the generated store ------------------------------------------------------------------


def doc_id(n: int) -> str:
    return f"d{n:015x}" * 4


def event_id(n: int) -> str:
    return f"e{n:015x}" * 4


class Generator:
    """Rows of a store of ``events`` events in ``docs`` documents; the same for every
    store (one seed), with timestamps and booleans written the way the store reads them."""

    def __init__(self, events: int, docs: int, postgres: bool, seed: int = 20261127) -> None:
        self.events, self.docs, self.postgres = events, docs, postgres
        self.seed = seed
        self.per_doc = max(1, events // docs)
        self.true, self.false = (True, False) if postgres else (1, 0)
        rng = random.Random(seed)
        self.actor_rows: list[tuple[Any, ...]] = []
        # per actor: (id, the PLOVER actor object as JSON text, and as a dict)
        self.pool: list[tuple[int, str, dict[str, Any]]] = []
        self.pool_weights: list[float] = []
        next_id = 1
        for code, name, weight in COUNTRIES:
            kind = "igo" if code in ("IGO", "EUR") else "country"
            entries = [(kind, name, "GOV", weight * 3)]
            entries += [
                ("organisation", f"{name} {sector} body", sector, weight) for sector in SECTORS
            ]
            entries += [
                ("person", f"Person {i} of {name}", "GOV", weight / 4)
                for i in range(PERSONS_PER_COUNTRY)
            ]
            for kind_, actor_name, sector, w in entries:
                self.actor_rows.append(
                    (
                        next_id,
                        kind_,
                        actor_name,
                        code,
                        json.dumps([sector]),
                        "[]",
                        None,
                    )
                )
                plover = {
                    "raw_text": actor_name,
                    "entity_name": actor_name,
                    "country": code,
                    "sector": sector,
                    "other_sectors": [],
                    "wikidata_id": None,
                    "ambiguous": False,
                    "candidates": [],
                }
                self.pool.append((next_id, json.dumps(plover), plover))
                self.pool_weights.append(w)
                next_id += 1
        self.cumulative = list(_accumulate(self.pool_weights))
        self.type_cum = list(_accumulate([t[3] for t in TYPES]))
        self.modality_cum = list(_accumulate([m[1] for m in MODALITIES]))
        self.areas_json = [json.dumps([a]) for a in AREAS]
        self.reasons = json.dumps(
            [{"factor": "extraction", "weight": 0.0, "text": "coded by the benchmark"}]
        )
        self.doc_reasons = json.dumps([{"factor": "byline", "weight": 0.3, "text": "named"}])
        del rng

    def ts(self, moment: datetime) -> str:
        if self.postgres:
            return moment.strftime("%Y-%m-%d %H:%M:%S+00")
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    def _published(self, rng: random.Random, n: int) -> datetime | None:
        """Documents in publication order (as an ingest over three years writes them)."""
        if rng.random() < 0.01:
            return None
        day = START + timedelta(days=DAYS * n // self.docs)
        return datetime(
            day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC
        )

    def documents(self) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(self.seed + 1)
        self.published: list[datetime | None] = []
        stamp = self.ts(NOW)
        for n in range(self.docs):
            published = self._published(rng, n)
            self.published.append(published)
            body = (
                f"Story {n}. Officials of the two governments met in Pristina and agreed to "
                "extend training of the police and to share information on border crossings. "
                "The ministers discussed the next joint exercise and the situation in the north."
            )
            yield (
                doc_id(n),
                f"https://news.example/{n}",
                f"https://news.example/{n}",
                f"Outlet {n % 40}",
                f"Partnership story {n}",
                self.ts(published) if published else None,
                "metadata" if published else None,
                "en",
                body,
                len(body),
                0,
                0,
                "processed",
                self.areas_json[n % len(AREAS)],
                "clear",
                round(rng.uniform(0.3, 0.95), 3),
                self.doc_reasons,
                stamp,
                stamp,
            )

    def _pick(self, rng: random.Random) -> tuple[int, str, dict[str, Any]]:
        return self.pool[_index(self.cumulative, rng.random() * self.cumulative[-1])]

    def events_and_actors(self) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
        """Each event's row and its rows of ``event_actors`` (and, when the schema has
        them, of ``event_countries`` and ``event_areas``, made by the extraction writer's
        own ``event_side_rows``), tagged with their table's name."""
        rng = random.Random(self.seed + 2)
        stamp = self.ts(NOW)
        for n in range(self.events):
            d = min(n // self.per_doc, self.docs - 1)
            published = self.published[d]
            kind, quad, score, _ = TYPES[_index(self.type_cum, rng.random() * self.type_cum[-1])]
            stated: str | None = None
            if published is not None and rng.random() < 0.7:
                stated = (published.date() - timedelta(days=rng.randrange(7))).isoformat()
            day = stated or (published.date().isoformat() if published else None)
            roll = rng.random()
            area_list: list[str]
            if roll < 0.3:
                area_list, areas = [], "[]"
            elif roll < 0.85:
                pick = rng.randrange(len(AREAS))
                area_list, areas = [AREAS[pick]], self.areas_json[pick]
            else:
                area_list = rng.sample(AREAS, 2)
                areas = json.dumps(area_list)
            actors_ = [self._pick(rng)]
            if rng.random() < 0.15:
                actors_.append(self._pick(rng))
            recipients = [] if rng.random() < 0.1 else [self._pick(rng)]
            # one actor and recipient row per (actor, side), as the extraction writer keeps them
            eid = event_id(n)
            links: list[tuple[Any, ...]] = sorted(
                {("event_actors", eid, a[0], "actor") for a in actors_}
                | {("event_actors", eid, r[0], "recipient") for r in recipients}
            )
            if SIDE_TABLES:
                countries, area_rows = event_side_rows(
                    eid, day, area_list, [a[2] for a in actors_], [r[2] for r in recipients]
                )
                links += [
                    ("event_countries", eid, c["country"], c["as_actor"], c["as_recipient"], day)
                    for c in countries
                ]
                links += [("event_areas", eid, a["area"], day) for a in area_rows]
            pick = _index(self.modality_cum, rng.random() * self.modality_cum[-1])
            modality = MODALITIES[pick][0]
            credibility = None if rng.random() < 0.1 else round(rng.uniform(0.1, 0.95), 3)
            row = (
                event_id(n),
                doc_id(d),
                None,
                kind,
                None,
                "[]",
                None,
                quad,
                score,
                areas,
                "[" + ", ".join(a[1] for a in actors_) + "]",
                "[" + ", ".join(r[1] for r in recipients) + "]",
                stated,
                "day" if stated else None,
                modality,
                round(rng.uniform(0.4, 0.95), 2),
                credibility,
                self.reasons,
                f"Event {n}: {kind.lower()} between the delegations, as the ministry said.",
                stamp,
                *((day,) if SIDE_TABLES else ()),
            )
            yield row, links

    def flags(self) -> Iterator[tuple[Any, ...]]:
        rng = random.Random(self.seed + 3)
        stamp = self.ts(NOW)
        flag_id = 1
        evidence = json.dumps([{"text": "the sentence the flag is about", "line": 3}])
        for n in range(0, self.events, 50):  # 2% of events
            yield (
                flag_id,
                "date_mismatch",
                SEVERITIES[rng.randrange(3)],
                "The stated date is after the publication date.",
                doc_id(min(n // self.per_doc, self.docs - 1)),
                event_id(n),
                evidence,
                None,
                self.true if rng.random() < 0.33 else self.false,
                stamp,
            )
            flag_id += 1
        for d in range(0, self.docs, 100):  # 1% of documents
            yield (
                flag_id,
                "single_source",
                SEVERITIES[rng.randrange(3)],
                "Only one outlet reports this story.",
                doc_id(d),
                None,
                evidence,
                None,
                self.true if rng.random() < 0.33 else self.false,
                stamp,
            )
            flag_id += 1


def _accumulate(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _index(cumulative: Sequence[float], x: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Loader:
    """Bulk writes: ``executemany`` per batch (SQLite), ``COPY`` (PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def load(self, table: str, columns: str, rows: Iterable[tuple[Any, ...]]) -> int:
        raw = self.engine.raw_connection()
        count = 0
        try:
            if self.postgres:
                with raw.cursor() as cur:
                    # The rows are consistent by construction: no foreign-key trigger per
                    # row (needs a superuser; without one the checks just run).
                    try:
                        cur.execute("SET session_replication_role = replica")
                    except Exception:
                        raw.rollback()
                    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
                    with cur.copy(copy_sql) as copy:
                        for row in rows:
                            copy.write_row(row)
                            count += 1
                raw.commit()
            else:
                raw.commit()
                raw.cursor().execute("PRAGMA foreign_keys=OFF")  # consistent by construction
                marks = ", ".join("?" for _ in columns.split(","))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cur = raw.cursor()
                for batch in _batches(rows):
                    cur.executemany(insert, batch)
                    raw.commit()
                    count += len(batch)
                cur.close()
                raw.cursor().execute("PRAGMA foreign_keys=ON")
        finally:
            raw.close()
        return count


def analyze(engine: Engine, tables: Sequence[str] = ()) -> float:
    """Fresh planner statistics after the bulk load (VACUUM too on PostgreSQL, so that
    counts can be index-only); seconds taken."""
    started = time.perf_counter()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for target in tables or [""]:
                conn.execute(text(f"VACUUM ANALYZE {target}"))
    else:
        with engine.begin() as conn:
            for target in tables or [""]:
                conn.execute(text(f"ANALYZE {target}"))
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    return time.perf_counter() - started


def generate(engine: Engine, n_events: int, n_docs: int) -> dict[str, Any]:
    postgres = engine.dialect.name == "postgresql"
    gen = Generator(n_events, n_docs, postgres)
    loader = Loader(engine)
    timings: dict[str, Any] = {}
    started = time.perf_counter()
    loader.load("actors", ACTOR_COLUMNS, gen.actor_rows)
    timings["documents"] = loader.load("documents", DOC_COLUMNS, gen.documents())
    links: dict[str, list[tuple[Any, ...]]] = {name: [] for name in LINK_COLUMNS}

    def event_rows() -> Iterator[tuple[Any, ...]]:
        for row, its_links in gen.events_and_actors():
            for link in its_links:
                links[link[0]].append(link[1:])
            yield row

    timings["events"] = loader.load("events", EVENT_COLUMNS, event_rows())
    for name, columns in LINK_COLUMNS.items():
        if links[name]:
            timings[name] = loader.load(name, columns, links[name])
        links[name] = []
    timings["flags"] = loader.load("flags", FLAG_COLUMNS, gen.flags())
    timings["actors"] = len(gen.actor_rows)
    timings["load_s"] = time.perf_counter() - started
    timings["analyze_s"] = analyze(engine)
    if SIDE_TABLES:
        # The overview's summary tables, from the rows above, by the store's own code.
        from pactwatch.store.summaries import refresh_summaries

        started = time.perf_counter()
        with engine.connect() as conn:
            days = list(conn.scalars(select(schema.events.c.day).distinct()))
        refresh_summaries(engine, days)
        timings["summaries_s"] = time.perf_counter() - started
        timings["analyze_s"] += analyze(
            engine, ["summary_areas", "summary_pairs", "summary_actors"]
        )
    return timings


# --- serving and measuring ----------------------------------------------------------------


# (name, path, whether the overview cache is on)
CACHED = hasattr(query_overview, "OVERVIEW_CACHE_SECONDS")
RUNS: tuple[tuple[str, str, bool], ...] = (
    *(
        (
            ("overview (as served: 60 s cache)", "/api/v1/overview", True),
            ("overview, cache off", "/api/v1/overview", False),
        )
        if CACHED
        else (("overview: default (three years)", "/api/v1/overview", True),)
    ),
    (
        "overview: one country, one quarter",
        "/api/v1/overview?country=SRB&date_from=2025-01-01&date_to=2025-03-31",
        True,
    ),
    ("events: default page", "/api/v1/events", True),
    (
        "events: country, area, one quarter",
        "/api/v1/events?country=SRB&area=diplomatic_engagement"
        "&date_from=2025-01-01&date_to=2025-03-31",
        True,
    ),
    ("events: sorted by credibility", "/api/v1/events?sort=credibility", True),
    ("events: deep page (offset 10,000)", "/api/v1/events?offset=10000", True),
)


def measure(
    client: httpx.Client,
    path: str,
    counter: StatementCounter,
    warmup: int,
    requests: int,
    budget: float,
) -> dict[str, Any]:
    for _ in range(warmup):
        response = client.get(path)
        response.raise_for_status()
    latencies: list[float] = []
    statements: list[int] = []
    began = time.monotonic()
    for _ in range(requests):
        counter.count = 0
        started = time.perf_counter()
        response = client.get(path)
        body = response.content
        latencies.append((time.perf_counter() - started) * 1000)
        statements.append(counter.count)
        response.raise_for_status()
        assert body
        if time.monotonic() - began > budget and len(latencies) >= 5:
            break
    latencies.sort()
    return {
        "n": len(latencies),
        "p50": statistics.median(latencies),
        "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))],
        "max": latencies[-1],
        "statements": sorted(set(statements)),
        "total": response.json().get("total"),
    }


def bench(label: str, url: str, args: argparse.Namespace, reuse: bool = False) -> dict[str, Any]:
    engine = open_store(url)
    try:
        if reuse:  # a store kept by an earlier run (--keep): measure it again
            print(f"\n[{label}] measuring the existing store {url}", flush=True)
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            timings: dict[str, Any] = {"reused": url}
            return {"timings": timings, "runs": measure_app(label, engine, url, args)}
        print(f"\n[{label}] migrating and generating {args.events:,} events ...", flush=True)
        timings = generate(engine, args.events, args.documents)
        print(
            f"[{label}] generated in {timings['load_s']:.1f} s "
            f"({args.events / timings['load_s']:,.0f} events/s with their documents, "
            f"actors and flags), summaries {timings.get('summaries_s', 0):.1f} s, "
            f"ANALYZE {timings['analyze_s']:.1f} s",
            flush=True,
        )
        return {"timings": timings, "runs": measure_app(label, engine, url, args)}
    finally:
        engine.dispose()


def measure_app(label: str, engine: Engine, url: str, args: argparse.Namespace) -> dict[str, Any]:
    """The runs against the app served over ``engine``, by a new viewer's API token."""
    viewer = f"bench-{uuid.uuid4().hex[:8]}"
    create_user(engine, viewer, "viewer", "benchmark-password-2026")
    _, token = create_token(engine, viewer, "benchmark")
    settings = Settings(data_dir=Path(tempfile.gettempdir()), database_url=url)
    app = create_app(settings, engine)
    counter = StatementCounter(engine)
    results: dict[str, Any] = {}
    cache_seconds = getattr(query_overview, "OVERVIEW_CACHE_SECONDS", 0.0)
    with (
        serving(app) as base,
        httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=600
        ) as client,
    ):
        for name, path, cache in RUNS:
            if args.only and not any(word in name for word in args.only):
                continue
            if CACHED:
                query_overview.OVERVIEW_CACHE_SECONDS = cache_seconds if cache else 0.0  # type: ignore[attr-defined]
            try:
                # an uncached overview is the slow path: one warm-up is enough
                warmup = args.warmup if cache else min(1, args.warmup)
                results[name] = measure(client, path, counter, warmup, args.requests, args.budget)
            finally:
                if CACHED:
                    query_overview.OVERVIEW_CACHE_SECONDS = cache_seconds  # type: ignore[attr-defined]
            r = results[name]
            print(
                f"[{label}] {name}: n={r['n']} p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, "
                f"max {r['max']:.0f} ms, statements {r['statements']}",
                flush=True,
            )
    return results


@contextmanager
def sqlite_file(keep: bool) -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="pactwatch-web-bench-", dir="/tmp"))
    path = folder / "bench.sqlite"
    try:
        yield f"sqlite:///{path}"
    finally:
        if keep:
            print(f"(kept {path})")
        else:
            for child in folder.iterdir():
                child.unlink()
            folder.rmdir()


def report(stores: dict[str, dict[str, Any]], target: float) -> bool:
    names = [name for name, _, _ in RUNS if any(name in s["runs"] for s in stores.values())]
    print("\n| run | store | requests | p50 ms | p95 ms | max ms | SQL statements per request |")
    print("|---|---|---:|---:|---:|---:|---|")
    over = False
    for name in names:
        for label, store in stores.items():
            r = store["runs"].get(name)
            if r is None:
                continue
            mark = "**" if r["p95"] > target else ""
            over = over or r["p95"] > target
            print(
                f"| {name} | {label} | {r['n']} | {r['p50']:.0f} | {mark}{r['p95']:.0f}{mark} | "
                f"{r['max']:.0f} | {', '.join(map(str, r['statements']))} |"
            )
    if len(stores) == 2:
        (a_label, a), (b_label, b) = stores.items()
        print(f"\n| run | {a_label}/{b_label} p50 | {a_label}/{b_label} p95 |")
        print("|---|---:|---:|")
        for name in names:
            if name in a["runs"] and name in b["runs"]:
                ra, rb = a["runs"][name], b["runs"][name]
                print(f"| {name} | {ra['p50'] / rb['p50']:.2f} | {ra['p95'] / rb['p95']:.2f} |")
    print()
    for label, store in stores.items():
        t = store["timings"]
        if "reused" in t:
            print(f"- {label}: the existing store {t['reused']} (ANALYZE first)")
            continue
        print(
            f"- {label}: generated {t['events']:,} events, {t['documents']:,} documents, "
            f"{t['event_actors']:,} event actors, {t.get('event_countries', 0):,} event "
            f"countries, {t.get('event_areas', 0):,} event areas, {t['actors']} actors, "
            f"{t['flags']:,} flags in {t['load_s']:.1f} s ({t['events'] / t['load_s']:,.0f} "
            f"events/s); summary tables {t.get('summaries_s', 0):.1f} s; "
            f"ANALYZE {t['analyze_s']:.1f} s"
        )
    verdict = "over" if over else "within"
    print(f"- p95 target {target:.0f} ms: {verdict} on {'some' if over else 'every'} run")
    return not over


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--documents", type=int, default=None, help="default: events / 10")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per run")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds per run before stopping early"
    )
    parser.add_argument("--target", type=float, default=300.0, help="p95 bound, ms")
    parser.add_argument("--only", nargs="*", help="runs whose name contains one of these")
    parser.add_argument("--store", choices=("both", "sqlite", "postgres"), default="both")
    parser.add_argument("--keep", action="store_true", help="keep both stores")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--reuse-sqlite", metavar="URL", help="measure this kept store instead of generating"
    )
    parser.add_argument(
        "--reuse-postgres", metavar="URL", help="measure this kept store instead of generating"
    )
    args = parser.parse_args(argv)
    args.documents = args.documents or max(1, args.events // 10)
    from argon2 import PasswordHasher

    from pactwatch.web import security

    # One viewer is created; cheap hashing parameters only make the set-up quicker.
    security.set_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    stores: dict[str, dict[str, Any]] = {}
    if args.reuse_sqlite:
        stores["SQLite"] = bench("SQLite", args.reuse_sqlite, args, reuse=True)
    elif args.store in ("both", "sqlite"):
        with sqlite_file(args.keep) as url:
            stores["SQLite"] = bench("SQLite", url, args)
    postgres = os.environ.get("PACTWATCH_TEST_POSTGRES_URL")
    if args.reuse_postgres:
        stores["PostgreSQL"] = bench("PostgreSQL", args.reuse_postgres, args, reuse=True)
    elif args.store in ("both", "postgres"):
        if postgres:
            with fresh_postgres(postgres, "pactwatch_web_bench", args.keep) as url:
                stores["PostgreSQL"] = bench("PostgreSQL", url, args)
        else:
            print("\n(PostgreSQL skipped: set PACTWATCH_TEST_POSTGRES_URL)")
    ok = report(stores, args.target)
    if args.json:
        args.json.write_text(json.dumps(stores, indent=2, default=str), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
