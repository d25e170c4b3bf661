"""Ingest throughput: documents per second into SQLite and PostgreSQL, in the same run.

    .venv/bin/python benchmarks/ingest_throughput.py --docs 10000 \
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

It measures the ingest stage (read, clean, date, de-duplicate, store), not extraction,
which ``extract_speed.py`` measures. It writes ``--docs`` distinct text documents
(300-600 words each, from a fixed seed) to a temporary folder, then ingests the folder
once per store, each in a fresh process so that
peak memory (ru_maxrss) is that store's own. It also times a bare read of the same files
(open and decode each file) as a baseline. Ratios printed at the end are what to compare
across machines: absolute times on a shared machine mean little.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "kosovo serbia nato kfor security force police minister government border patrol "
    "exercise training intelligence cyber defence agreement dialogue brussels pristina "
    "belgrade mitrovica zvecan leposavic zubin potok jarinje bridge ibar barricade "
    "protest arrest attack soldiers officers envoy ambassador washington european union "
    "council statement meeting talks normalisation municipalities association election "
    "parliament president prime foreign affairs interior troops readiness alert "
    "deployment equipment javelin drones vehicles radar infrastructure investment energy "
    "canal explosion investigation court prosecutor charges evidence witnesses monastery "
    "village road"
).split()

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from pactwatch.jobs import ingest_targets
from pactwatch.settings import Settings
from pactwatch.store.engine import open_store
mode, folder, url = sys.argv[1], sys.argv[2], sys.argv[3]
files = sorted(Path(folder).glob("*.txt"))
start = time.perf_counter()
if mode == "read":
    n = sum(len(f.read_bytes().decode("utf-8")) > 0 for f in files)
    stored = n
else:
    settings = Settings(database_url=url)
    engine = open_store(url)
    summary = ingest_targets(engine, settings, [folder], extract=False)
    stored = summary.stored
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "stored": stored,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_corpus(folder: Path, count: int, seed: int = 20261127) -> None:
    rng = random.Random(seed)
    for n in range(count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(300, 600))]
        sentences = [
            " ".join(words[i : i + 15]).capitalize() + "." for i in range(0, len(words), 15)
        ]
        body = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
        (folder / f"doc-{n:05d}.txt").write_text(
            f"Generated report {n}\n\nPRISTINA, May 30, 2023 - {body}\n", encoding="utf-8"
        )


def run_child(mode: str, folder: Path, url: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(folder), url],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def fresh_postgres_database(server_url: str) -> tuple[str, str]:
    server = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    name = f"pactwatch_bench_{uuid.uuid4().hex[:10]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    base, _, _ = server_url.rpartition("/")
    return f"{base}/{name}", name


def drop_postgres_database(server_url: str, name: str) -> None:
    server = create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a scratch database is made)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        write_corpus(folder, args.docs)
        results = {"bare read": run_child("read", folder, "")}
        results["sqlite"] = run_child("ingest", folder, f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        if args.postgres:
            url, name = fresh_postgres_database(args.postgres)
            try:
                results["postgresql"] = run_child("ingest", folder, url)
            finally:
                drop_postgres_database(args.postgres, name)
    print(f"{args.docs} documents")
    print(f"{'run':<12} {'stored':>7} {'seconds':>9} {'docs/s':>9} {'peak RSS MB':>12}")
    for name, r in results.items():
        rate = args.docs / r["seconds"] if r["seconds"] else float("inf")
        stored, seconds, rss = int(r["stored"]), r["seconds"], r["max_rss_mb"]
        print(f"{name:<12} {stored:>7} {seconds:>9.2f} {rate:>9.1f} {rss:>12.1f}")
    if "postgresql" in results:
        ratio = results["postgresql"]["seconds"] / results["sqlite"]["seconds"]
        print(f"PostgreSQL / SQLite time ratio: {ratio:.2f}")
    ratio = results["sqlite"]["seconds"] / results["bare read"]["seconds"]
    print(f"SQLite ingest / bare file read time ratio: {ratio:.1f}")


if __name__ == "__main__":
    main()
