"""Event export speed and memory: rows/second and peak RSS of ``pactwatch export events``.

    .venv/bin/python benchmarks/export_events.py --events 100000

Builds a SQLite store of ``--events`` generated events (five per document, one mention
each, four TLP levels) in a temporary folder, then exports every event once per format
(csv, jsonl, parquet), each in a fresh process so that peak memory (ru_maxrss) is that
export's own. A bare keyset read of the same event rows (no formatting, no writing) is
the baseline. Each child also records its peak RSS after a tenth and after half of the
rows: an export that streams has the same peak at a half and at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from pactwatch.store.engine import open_store
from pactwatch.store.schema import documents, event_mentions, events

KINDS = (
    ("CONSULT", "042", "visit"),
    ("COOPERATE", "062", None),
    ("AGREE", "0312", None),
    ("ASSAULT", "190", "firearms"),
    ("AID", "072", None),
)
LEVELS = ("clear", "green", "amber", "red")
T0 = datetime(2025, 1, 1, tzinfo=UTC)

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from sqlalchemy import select
from pactwatch.store.engine import open_store
from pactwatch.store.schema import events
from pactwatch.share.event_tables import write_csv, write_jsonl, write_parquet
from pactwatch.share.events import event_rows

fmt, url, target, total = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
engine = open_store(url)
marks = {}

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def counted(rows):
    n = 0
    for row in rows:
        n += 1
        if n == total // 10:
            marks["tenth"] = rss()
        if n == total // 2:
            marks["half"] = rss()
        yield row
    marks["rows"] = n

start = time.perf_counter()
if fmt == "read":
    def bare():
        after = ""
        with engine.connect() as conn:
            while True:
                page = conn.execute(select(events).where(events.c.id > after)
                                    .order_by(events.c.id).limit(1000)).all()
                if not page:
                    return
                after = page[-1].id
                yield from page
    for _ in counted(bare()):
        pass
elif fmt == "parquet":
    with open(target, "wb") as out:
        write_parquet(counted(event_rows(engine)), out, 10_000)
else:
    with open(target, "w", encoding="utf-8", newline="") as out:
        (write_csv if fmt == "csv" else write_jsonl)(counted(event_rows(engine)), out)
elapsed = time.perf_counter() - start
size = Path(target).stat().st_size if fmt != "read" else 0
print(json.dumps({"seconds": elapsed, "rows": marks["rows"], "rss_tenth_mb": marks.get("tenth"),
                  "rss_half_mb": marks.get("half"), "max_rss_mb": rss(), "bytes": size}))
"""


def build_store(url: str, count: int, per_document: int = 5) -> None:
    engine = open_store(url)
    docs, rows, said = [], [], []

    def flush() -> None:
        with engine.begin() as conn:
            if docs:
                conn.execute(insert(documents), docs)
            if rows:
                conn.execute(insert(events), rows)
            if said:
                conn.execute(insert(event_mentions), said)
        docs.clear()
        rows.clear()
        said.clear()

    for i in range(count // per_document):
        doc_id = hashlib.sha256(str(i).encode()).hexdigest()
        published = T0 + timedelta(days=i % 365)
        docs.append(
            {
                "id": doc_id,
                "origin": f"https://news.example/{i}",
                "url": f"https://news.example/{i}",
                "title": f"Article {i}",
                "published": published,
                "text": "Body.",
                "text_chars": 5,
                "status": "processed",
                "tlp": LEVELS[i % 4],
                "fetched_at": T0,
                "ingested_at": T0,
            }
        )
        for j in range(per_document):
            event, cameo, mode = KINDS[j]
            event_id = f"ev-{i:07d}-{j}"
            rows.append(
                {
                    "id": event_id,
                    "document_id": doc_id,
                    "event": event,
                    "mode": mode,
                    "cameo": cameo,
                    "contexts": ["military"],
                    "areas": ["training"],
                    "actor": [{"entity_name": "Kosovo", "country": "XKX", "sector": "GOV"}],
                    "recipient": [{"entity_name": "United States", "country": "USA"}],
                    "event_loc": {"name": "Pristina", "country": "XKX", "kind": "city",
                                  "latitude": 42.66, "longitude": 21.17},
                    "date": date(2025, 1, 1) + timedelta(days=(i + j) % 365),
                    "date_precision": "day",
                    "modality": "factual",
                    "event_text": f"Sentence {j} of article {i} about the event.",
                    "created_at": T0,
                }
            )  # fmt: skip
            said.append(
                {
                    "event_id": event_id,
                    "document_id": doc_id,
                    "sentence_start": j * 50,
                    "sentence_end": j * 50 + 45,
                    "text": f"Sentence {j} of article {i} about the event.",
                }
            )
        if len(rows) >= 10_000:
            flush()
    flush()
    engine.dispose()


def run_child(fmt: str, url: str, target: Path, total: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, fmt, url, str(target), str(total)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'store.sqlite'}"
        build_store(url, args.events)
        print(f"store: {args.events:,} events in {args.events // 5:,} documents (SQLite)")
        print("| run | rows | seconds | rows/s | peak RSS MB at 1/10 | at 1/2 | at end | file MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        results = {}
        for fmt in ("read", "csv", "jsonl", "parquet"):
            figures = run_child(fmt, url, folder / f"events.{fmt}", args.events)
            results[fmt] = figures
            print(
                f"| {fmt if fmt != 'read' else 'bare keyset read of events'} "
                f"| {int(figures['rows']):,} | {figures['seconds']:.1f} "
                f"| {figures['rows'] / figures['seconds']:,.0f} "
                f"| {figures['rss_tenth_mb']:.0f} | {figures['rss_half_mb']:.0f} "
                f"| {figures['max_rss_mb']:.0f} "
                f"| {figures['bytes'] / 1e6:.1f} |"
            )
        for fmt in ("csv", "jsonl", "parquet"):
            ratio = results[fmt]["seconds"] / results["read"]["seconds"]
            print(f"{fmt} / bare read time: {ratio:.1f}")


if __name__ == "__main__":
    main()
