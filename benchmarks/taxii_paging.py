"""TAXII paging: p95 latency of a page of 1,000 objects, SQL queries per page, and full
paging with taxii2-client, on SQLite and PostgreSQL in the same run.

    PACTWATCH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:55432/postgres \
        .venv/bin/python benchmarks/taxii_paging.py --objects 100000

For each store (a SQLite file in a temporary folder; a fresh PostgreSQL database, dropped
afterwards, when PACTWATCH_TEST_POSTGRES_URL is set): a collection of ``--objects`` STIX
objects (report-like, about 900 bytes each, TLP levels clear..red in turn) written with
``append_objects`` in batches of 10,000; the TAXII router served by uvicorn on 127.0.0.1.
Then:

- **pages**: ``GET objects/?limit=1000`` following ``next`` to the end with one keep-alive
  HTTP client, bearer token, a partner whose ceiling is red (sees everything): latency of
  each page (p50, p95, max) and the SQL statements each request ran (counted with a
  SQLAlchemy ``before_cursor_execute`` listener);
- **pages, green partner**: the same for a partner whose ceiling is green (sees 2 in 5),
  so the ceiling is measured as a filter that skips rows;
- **taxii2-client**: ``as_pages(collection.get_objects, per_request=1000)`` over the
  whole collection with HTTP Basic: seconds and objects per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from _shared import StatementCounter, fresh_postgres, serving
from fastapi import FastAPI
from sqlalchemy import Engine, text
from taxii2client.v21 import Collection, as_pages

from pactwatch.share.taxii import auth, router
from pactwatch.share.taxii import partners as admin
from pactwatch.share.taxii.collections import create_collection
from pactwatch.share.taxii.media import TAXII_MEDIA
from pactwatch.share.taxii.store import append_objects
from pactwatch.share.tlp import TLP_IDS, TLP_LEVELS
from pactwatch.store.engine import open_store

PAGE = 1000


def stix_object(n: int) -> tuple[dict[str, Any], int]:
    rank = n % len(TLP_LEVELS)
    stamp = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T10:{n % 60:02d}:00.000Z"
    return (
        {
            "type": "report",
            "spec_version": "2.1",
            "id": f"report--{uuid.UUID(int=n, version=4)}",
            "created": stamp,
            "modified": stamp,
            "name": f"Partnership event {n}: officials meet to discuss security cooperation",
            "description": (
                "Officials of the two governments met in Pristina and agreed to extend "
                "training of the police and to share information on border crossings. "
            )
            * 3,
            "published": stamp,
            "report_types": ["threat-report"],
            "object_refs": [f"identity--{uuid.UUID(int=n + 1, version=4)}"],
            "labels": ["plover:COOPERATE", "cameo:062", "area:training"],
            "object_marking_refs": [TLP_IDS[TLP_LEVELS[rank]]],
        },
        rank,
    )


def fill(engine: Engine, collection: str, total: int) -> float:
    started = time.perf_counter()
    for start in range(0, total, 10_000):
        batch = [stix_object(n) for n in range(start, min(total, start + 10_000))]
        with engine.begin() as conn:
            append_objects(conn, collection, batch, "pactwatch")
    return time.perf_counter() - started


def page_run(base: str, url: str, token: str, counter: StatementCounter) -> dict[str, Any]:
    latencies: list[float] = []
    queries: list[int] = []
    objects = 0
    params: dict[str, str] = {"limit": str(PAGE)}
    headers = {"Authorization": f"Bearer {token}", "Accept": TAXII_MEDIA}
    with httpx.Client(base_url=base, timeout=60) as client:
        while True:
            counter.count = 0
            started = time.perf_counter()
            response = client.get(url, params=params, headers=headers)  # read to the end
            latencies.append(time.perf_counter() - started)
            body = response.json()
            queries.append(counter.count)
            response.raise_for_status()
            objects += len(body.get("objects", []))
            if not body.get("more"):
                break
            params["next"] = body["next"]
    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    return {
        "pages": len(latencies),
        "objects": objects,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": latencies[-1] * 1000,
        "queries": sorted(set(queries)),
        "seconds": sum(latencies),
    }


def client_run(base: str, collection: str, user: str, password: str) -> dict[str, Any]:
    remote = Collection(
        f"{base}/taxii2/default/collections/{collection}/", user=user, password=password
    )
    started = time.perf_counter()
    objects = pages = 0
    for envelope in as_pages(remote.get_objects, per_request=PAGE):
        objects += len(envelope.get("objects", []))
        pages += 1
    seconds = time.perf_counter() - started
    remote.close()
    return {"objects": objects, "pages": pages, "seconds": seconds, "per_s": objects / seconds}


def bench(label: str, url: str, total: int) -> None:
    engine = open_store(url)
    try:
        collection = create_collection(engine, "Benchmark", None)
        fill_s = fill(engine, collection, total)
        tokens = {}
        for name, level in (("all", "red"), ("green", "green")):
            admin.create_partner(engine, name, level)
            tokens[name] = admin.add_bearer_credential(engine, name)
            admin.grant(engine, name, "Benchmark", read=True, write=False)
        password = admin.add_basic_credential(engine, "all", "bench")
        with engine.begin() as conn:  # fresh planner statistics after the bulk load
            conn.execute(text("ANALYZE"))
        app = FastAPI()
        app.state.engine = engine
        app.include_router(router)
        counter = StatementCounter(engine)
        objects_url = f"/taxii2/default/collections/{collection}/objects/"
        with serving(app) as base:
            everything = page_run(base, objects_url, tokens["all"], counter)
            green = page_run(base, objects_url, tokens["green"], counter)
            full = client_run(base, collection, "bench", password)
        print(
            f"\n### {label}: {total:,} objects (written in {fill_s:.1f} s, "
            f"{total / fill_s:,.0f} objects/s)\n"
        )
        print("| run | pages | objects | p50 ms | p95 ms | max ms | SQL statements per page |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for name, run in (
            ("pages of 1,000, ceiling red", everything),
            ("pages of 1,000, ceiling green", green),
        ):
            print(
                f"| {name} | {run['pages']} | {run['objects']:,} | {run['p50_ms']:.0f} | "
                f"{run['p95_ms']:.0f} | {run['max_ms']:.0f} | "
                f"{', '.join(map(str, run['queries']))} |"
            )
        print(
            f"\ntaxii2-client `as_pages`, per_request=1000, HTTP Basic: {full['objects']:,} "
            f"objects in {full['pages']} pages, {full['seconds']:.1f} s, "
            f"**{full['per_s']:,.0f} objects/s**"
        )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--objects", type=int, default=100_000)
    args = parser.parse_args()
    from argon2 import PasswordHasher

    # Basic is verified once a minute per client (auth caches it); cheap parameters only
    # make the set-up quicker.
    auth.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{Path(folder) / 'bench.sqlite'}", args.objects)
    postgres = os.environ.get("PACTWATCH_TEST_POSTGRES_URL")
    if postgres:
        with fresh_postgres(postgres, "pactwatch_bench") as url:
            bench("PostgreSQL", url, args.objects)
    else:
        print("\n(PostgreSQL skipped: set PACTWATCH_TEST_POSTGRES_URL)")


if __name__ == "__main__":
    main()
