"""Ingest end to end: files into the store, duplicates, bad input, idempotency, kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from conftest import shared_file
from pactwatch.jobs import ingest_targets
from pactwatch.settings import Settings
from pactwatch.store.schema import documents, dropped_items, duplicates, removed_text, text_repairs

STRAY = "Opinion | Trump just dealt Russia a devastating blow – The Washington Post"


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


def test_seed_article_is_stored_cleaned_and_recorded(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    seed = shared_file("corpus/seed-article.txt")
    summary = ingest_targets(engine, settings, [str(seed)])
    assert (summary.stored, summary.dropped_total, summary.undated) == (1, 0, 1)
    with engine.connect() as conn:
        doc = conn.execute(select(documents)).one()
        removed = conn.execute(
            select(removed_text.c.line, removed_text.c.reason, removed_text.c.text)
        ).all()
        repairs = {(r.before, r.after) for r in conn.execute(select(text_repairs)).all()}
    assert removed == [(50, "stray_headline", STRAY)]
    assert STRAY not in doc.text
    assert {("U.S.is", "U.S. is"), ("Balkans.Through", "Balkans. Through")} <= repairs
    assert "U.S. is enhancing" in doc.text and "Balkans. Through collaborative" in doc.text
    assert doc.published is None and doc.date_source is None
    assert doc.removed_count == 1

    again = ingest_targets(engine, settings, [str(seed)])
    assert (again.stored, again.unchanged) == (0, 1)
    assert count(engine, documents) == 1 and count(engine, removed_text) == 1


def article(title: str, body: str) -> str:
    return (
        f'---\ntitle: "{title}"\noutlet: Balkan Wire Service\npublished: 2023-09-25\n---\n{body}\n'
    )


BODY = (
    "PRISTINA, Sept 25 (Balkan Wire Service) - Kosovo police said on Monday they had recovered "
    "weapons, explosives and armoured vehicles after a day-long gunfight near the village of "
    "Banjska in the north of the country, in which a Kosovo police sergeant and three "
    "attackers were killed. Prime Minister Albin Kurti called the attack an act of terrorism "
    "and said the assailants had been organised from Serbia, which Belgrade denied. "
    "President Vjosa Osmani said the state would respond with all its means. "
    "NATO's KFOR mission said it stood ready to increase its presence if needed, and the "
    "European Union and the United States condemned the attack in the strongest terms. "
    "The police said several other gunmen had fled across the hills and that a search "
    "operation was continuing with the help of special units and helicopters."
)


def test_exact_and_near_copies_are_linked_not_processed_again(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "a.md").write_text(article("Attack in Banjska", BODY), encoding="utf-8")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "a.md").write_text(article("Attack in Banjska", BODY), encoding="utf-8")
    respun = BODY.replace("gunfight", "shootout").replace("condemned", "denounced") + (
        " Observers fear the region is on the brink."
    )
    (tmp_path / "z-respin.md").write_text(article("SHOCK in Banjska", respun), encoding="utf-8")
    summary = ingest_targets(engine, settings, [str(tmp_path)])
    assert (summary.stored, summary.exact_duplicates, summary.near_duplicates) == (1, 1, 1)
    with engine.connect() as conn:
        statuses = sorted(conn.scalars(select(documents.c.status)).all())
        links = sorted(conn.execute(select(duplicates.c.kind, duplicates.c.similarity)).all())
    assert statuses == ["duplicate", "processed"]  # the copy is never extracted
    assert links[0] == ("exact", 1.0)
    assert links[1][0] == "near" and 0.8 <= links[1][1] < 1.0

    again = ingest_targets(engine, settings, [str(tmp_path)])
    assert (again.stored, again.near_duplicates, again.exact_duplicates, again.unchanged) == (
        0,
        0,
        0,
        3,
    )
    assert count(engine, duplicates) == 2


def test_bad_input_is_counted_by_reason_and_loses_nothing(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "good.md").write_text(article("Good", BODY), encoding="utf-8")
    first = ingest_targets(engine, settings, [str(tmp_path / "good.md")])
    assert first.stored == 1
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "latin1.txt").write_bytes("Pri\xe7tina police said".encode("latin-1"))
    (bad / "empty.txt").write_text("", encoding="utf-8")
    lines = [
        json.dumps({"id": "ok-1", "text": BODY.replace("Monday", "Tuesday"), "title": "Fine"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["a", "list"]),
    ]
    (bad / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (bad / "broken.html").write_text("<html><body><div><p>", encoding="utf-8")
    seen: list[str] = []
    summary = ingest_targets(
        engine,
        settings,
        [str(bad), str(tmp_path / "missing.txt")],
        on_dropped=lambda d: seen.append(d.line()),
    )
    assert summary.dropped["not_utf8"] == 1
    assert summary.dropped["empty"] == 1
    assert summary.dropped["malformed_jsonl"] == 3
    assert summary.dropped["not_found"] == 1
    assert summary.dropped_total == 7
    assert summary.dropped_total == len(seen)
    assert any("latin1.txt" in line for line in seen)
    assert any("wire.jsonl:2" in line for line in seen)
    # The good line of the JSONL file came through; the document stored before is intact.
    assert count(engine, documents) == 2
    assert count(engine, dropped_items) == 7


VOCABULARY = (  # noqa: SIM905 - a word list reads better as prose
    "patrol bridge police soldiers village border road checkpoint officers convoy river "
    "hills night morning weapons vehicles statement minister envoy talks agreement court "
    "prosecutor witnesses election council mission troops alert drill exercise training"
).split()


def _kill_test_corpus(folder: Path, n: int) -> None:
    """Distinct documents, each with one stray line to remove and two spacing repairs."""
    folder.mkdir()
    for i in range(n):
        rng = random.Random(i)
        words = " ".join(rng.choice(VOCABULARY) for _ in range(40))
        (folder / f"doc-{i:04d}.txt").write_text(
            f"Report {i} on the north\n\nPRISTINA - The U.S.is helping, officials said of "
            f"report {i} today.Officers listed: {words}.\n"
            f"Opinion | Unrelated headline number {i} – The Daily Example\n",
            encoding="utf-8",
        )


def processes_with(marker: bytes) -> list[int]:
    """Live processes whose environment holds ``marker`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def test_kill_9_leaves_only_whole_documents_and_a_rerun_completes(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    n = 1200
    folder = tmp_path / "many"
    _kill_test_corpus(folder, n)
    env = dict(os.environ, PACTWATCH_BATCH_SIZE="20", PACTWATCH_DATA_DIR=str(tmp_path))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pactwatch",
            "--db",
            database_url,
            "ingest",
            "--no-extract",
            str(folder),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while count(engine, documents) < 100 and time.monotonic() < deadline:
        assert process.poll() is None, "ingest ended before it could be killed"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    # Its worker processes (and their forkserver) notice and end too: none is left behind.
    marker = f"PACTWATCH_DATA_DIR={tmp_path}".encode()
    deadline = time.monotonic() + 15
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_with(marker) == []
    stored = count(engine, documents)
    assert 100 <= stored < n, "the kill must land in the middle of the run"
    with engine.connect() as conn:
        rows = conn.execute(
            select(documents.c.id, documents.c.removed_count, documents.c.repair_count)
        ).all()
        removed = dict(
            conn.execute(
                select(removed_text.c.document_id, func.count()).group_by(
                    removed_text.c.document_id
                )
            ).all()
        )
        repaired = dict(
            conn.execute(
                select(text_repairs.c.document_id, func.count()).group_by(
                    text_repairs.c.document_id
                )
            ).all()
        )
    for doc_id, removed_count, repair_count in rows:
        assert removed_count == 1 and removed.get(doc_id) == 1, doc_id
        assert repair_count == 2 and repaired.get(doc_id) == 2, doc_id

    settings = Settings(data_dir=tmp_path, database_url=database_url)
    rerun = ingest_targets(engine, settings, [str(folder)], extract=False)
    assert rerun.stored == n - stored
    assert rerun.unchanged == stored
    assert count(engine, documents) == n
    assert count(engine, removed_text) == n
