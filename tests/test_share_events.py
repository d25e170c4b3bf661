"""Event exports: GDELT-style CSV, Parquet and PLOVER JSON lines, read in pages.

Two stores, built row by row on SQLite and PostgreSQL: the small store of
tests/test_share_stix.py for exact values, and a generated store of a few thousand events
(read in small pages, written in several row groups) for counts across pages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from sqlalchemy import Engine, insert
from typer.testing import CliRunner

from pactwatch import cli_common
from pactwatch.share.cli import export_app
from pactwatch.share.event_tables import HEADER, export_events, parquet_schema
from pactwatch.share.pages import ExportFilters
from pactwatch.store.schema import documents, event_clusters, event_mentions, events
from test_share_stix import DOC_ATTACK, DOC_TALKS, DOC_US, T0, build_store

LEVELS = ("clear", "green", "amber", "red")
KINDS = (  # PLOVER event, CAMEO code, mode
    ("CONSULT", "042", "visit"),
    ("COOPERATE", "062", None),
    ("AGREE", "0312", None),
    ("ASSAULT", "190", "firearms"),
    ("PROTEST", "141", None),
)


def csv_rows(engine: Engine, **options: Any) -> list[dict[str, str]]:
    out = io.StringIO()
    page_size = options.pop("page_size", 200)
    export_events(engine, out, "csv", ExportFilters(**options), page_size=page_size)
    text = out.getvalue()
    assert text.splitlines()[0].split(",") == list(HEADER)
    return list(csv.DictReader(io.StringIO(text)))


def test_gdelt_columns_from_the_small_store(engine: Engine) -> None:
    build_store(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(event_clusters),
            [
                {
                    "id": "cl-1",
                    "event": "COOPERATE",
                    "date": date(2024, 3, 1),
                    "documents": 3,
                    "independent_sources": 2,
                    "updated_at": T0,
                }
            ],
        )
        conn.execute(
            events.update().where(events.c.id == "ev-us-cooperate").values(cluster_id="cl-1")
        )
        conn.execute(
            insert(event_mentions),
            [
                {"event_id": e, "document_id": DOC_US, "sentence_start": s, "sentence_end": s + 9,
                 "text": f"sentence at {s}"}
                for e, s in (("ev-us-cooperate", 40), ("ev-us-cooperate", 90), ("ev-us-agree", 0))
            ],
        )  # fmt: skip
    rows = {r["GLOBALEVENTID"]: r for r in csv_rows(engine)}
    assert set(rows) == {"ev-us-cooperate", "ev-us-agree", "ev-attack", "ev-talks"}
    cooperate = rows["ev-us-cooperate"]
    assert cooperate["SQLDATE"] == "20240301" and cooperate["MonthYear"] == "202403"
    assert cooperate["Year"] == "2024" and cooperate["FractionDate"] == "2024.1639"
    assert (cooperate["Actor1Code"], cooperate["Actor1Name"], cooperate["Actor1CountryCode"]) == (
        "XKXGOV",
        "Armend Zemaj",
        "XKX",
    )
    assert cooperate["Actor1Type1Code"] == "GOV" and cooperate["Actor1Type2Code"] == ""
    assert (cooperate["Actor2Code"], cooperate["Actor2CountryCode"]) == ("USAGOV", "USA")
    assert (cooperate["EventCode"], cooperate["EventBaseCode"], cooperate["EventRootCode"]) == (
        "061",
        "061",
        "06",
    )
    assert cooperate["QuadClass"] == "2"
    assert cooperate["GoldsteinScale"] == "9.5"  # PLOVER's score of COOPERATE
    assert (cooperate["NumMentions"], cooperate["NumSources"], cooperate["NumArticles"]) == (
        "2",
        "2",
        "3",
    )
    assert cooperate["AvgTone"] == ""  # no tone measured
    assert cooperate["ActionGeo_Type"] == "3"  # a US city
    assert cooperate["ActionGeo_FullName"] == "Washington, United States"
    assert cooperate["ActionGeo_CountryCode"] == "US"
    assert cooperate["DATEADDED"] == "20240302093015"
    assert cooperate["SOURCEURL"] == "https://news.example/aaaa"
    assert cooperate["Areas"] == "intelligence_sharing" and cooperate["TLP"] == "clear"
    assert cooperate["Credibility"] == "0.8"
    # The agreement is told first in its document: the root event.
    assert rows["ev-us-agree"]["IsRootEvent"] == "1" and cooperate["IsRootEvent"] == "0"
    assert rows["ev-us-agree"]["DatePrecision"] == "month"
    attack = rows["ev-attack"]
    assert (attack["QuadClass"], attack["GoldsteinScale"], attack["PloverMode"]) == (
        "4",
        "-9.0",
        "firearms",
    )
    assert attack["ActionGeo_Type"] == "4" and attack["ActionGeo_CountryCode"] == "XK"
    assert rows["ev-talks"]["Credibility"] == ""  # the override is on the document, not the event

    # Event-level filters keep only the matching events; documents are chosen as for STIX.
    assert [r["GLOBALEVENTID"] for r in csv_rows(engine, event="CONSULT")] == ["ev-talks"]
    only = csv_rows(engine, event="COOPERATE")  # still not the root: the agreement is told first
    assert [(r["GLOBALEVENTID"], r["IsRootEvent"]) for r in only] == [("ev-us-cooperate", "0")]
    assert [r["GLOBALEVENTID"] for r in csv_rows(engine, country="SRB")] == ["ev-attack"]
    assert [r["GLOBALEVENTID"] for r in csv_rows(engine, area="training")] == ["ev-us-agree"]
    assert {r["DocumentId"] for r in csv_rows(engine, max_tlp="green")} == {DOC_US, DOC_TALKS}


def test_jsonl_is_the_plover_shape_with_document_link_and_credibility(engine: Engine) -> None:
    build_store(engine)
    out = io.StringIO()
    summary = export_events(engine, out, "jsonl", ExportFilters(max_tlp="amber"))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert summary.events == len(lines) == 4 and summary.documents == 3
    attack = next(e for e in lines if e["id"] == "ev-attack")
    assert attack["event"] == "ASSAULT" and attack["mode"] == "firearms"
    assert attack["actor"][0]["entity_name"] == "Radoičić group"
    assert attack["event_loc"] == {"name": "Banjska", "country": "XKX"}
    assert (attack["date"], attack["date_precision"]) == ("2023-09-18", "week")
    assert attack["document_id"] == DOC_ATTACK and attack["link"] == "https://news.example/bbbb"
    assert attack["tlp"] == "amber" and attack["context"] == [] and attack["mentions"] == []
    assert list(attack) == [
        *("id", "event", "mode", "context", "actor", "recipient", "event_loc", "date"),
        *("date_precision", "event_text", "quad_code", "plover_score", "cameo", "areas"),
        *("modality", "confidence", "mentions", "document_id", "link", "credibility", "tlp"),
    ]


def build_large_store(engine: Engine, documents_count: int = 600, per_document: int = 5) -> None:
    """``documents_count`` documents of four TLP levels with ``per_document`` events each."""
    docs, rows = [], []
    for i in range(documents_count):
        doc_id = hashlib.sha256(str(i).encode()).hexdigest()
        published = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=i % 300)
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
            event, cameo, mode = KINDS[j % len(KINDS)]
            rows.append(
                {
                    "id": f"ev-{i:05d}-{j}",
                    "document_id": doc_id,
                    "event": event,
                    "mode": mode,
                    "cameo": cameo,
                    "contexts": ["military"],
                    "areas": ["training"] if j == 0 else [],
                    "actor": [{"entity_name": "Kosovo", "country": "XKX", "sector": "GOV"}],
                    "recipient": [],
                    "event_loc": None,
                    "date": published.date() if j % 2 == 0 else None,
                    "date_precision": "day" if j % 2 == 0 else None,
                    "modality": "factual",
                    "created_at": T0,
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(documents), docs)
        conn.execute(insert(events), rows)


def test_thousands_of_events_across_pages_in_every_format(engine: Engine, tmp_path: Path) -> None:
    build_large_store(engine)  # 600 documents, 3,000 events
    rows = csv_rows(engine, page_size=70)
    assert len(rows) == 3000 and len({r["GLOBALEVENTID"] for r in rows}) == 3000
    order = [r["DocumentId"] for r in rows]
    assert order == sorted(order)  # documents in id order, page after page
    green = csv_rows(engine, max_tlp="green", page_size=70)
    assert len(green) == 1500 and {r["TLP"] for r in green} == {"clear", "green"}
    assert len(csv_rows(engine, area="training", page_size=70)) == 600

    target = tmp_path / "events.parquet"
    with target.open("wb") as out:
        summary = export_events(
            engine,
            out,
            "parquet",
            ExportFilters(max_tlp="amber"),
            page_size=70,
            row_group_size=1000,
        )
    assert (summary.documents, summary.events, summary.withheld_above_tlp) == (450, 2250, 150)
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_rows == 2250
    assert parquet.metadata.num_row_groups == 3  # 1,000 + 1,000 + 250
    assert parquet.schema_arrow == parquet_schema()
    table = parquet.read(columns=["GLOBALEVENTID", "SQLDATE", "EventRootCode", "QuadClass",
                                  "GoldsteinScale", "PloverContexts", "DatePrecision"])  # fmt: skip
    by_id = {r["GLOBALEVENTID"]: r for r in table.to_pylist()}
    consult, undated = by_id["ev-00010-0"], by_id["ev-00010-1"]
    assert consult["SQLDATE"] == 20240111 and undated["SQLDATE"] == 20240111
    assert consult["EventRootCode"] == "04" and consult["QuadClass"] == 1
    assert consult["GoldsteinScale"] == 4.0  # CONSULT by visit, from the PLOVER table
    assert consult["PloverContexts"] == ["military"] and consult["DatePrecision"] == "day"
    assert undated["DatePrecision"] == "document"  # undated: the document's date
    assert table.column("QuadClass").to_pylist().count(3) == 450  # PROTEST: CAMEO 14, verbal

    out_jsonl = io.StringIO()
    export_events(engine, out_jsonl, "jsonl", ExportFilters(event="ASSAULT"), page_size=70)
    lines = out_jsonl.getvalue().splitlines()
    assert len(lines) == 600 and all(json.loads(x)["event"] == "ASSAULT" for x in lines)


def test_cli_formats_outputs_and_errors(
    engine: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_store(engine)
    monkeypatch.setattr(cli_common.state, "database", database_url)
    runner = CliRunner()
    to_stdout = runner.invoke(export_app, ["events", "--country", "Kosovo", "--max-tlp", "green"])
    assert to_stdout.exit_code == 0, to_stdout.output
    assert len(list(csv.DictReader(io.StringIO(to_stdout.stdout)))) == 3
    assert to_stdout.stderr.strip() == (
        "exported 3 events of 2 documents; 1 document above the TLP ceiling left out"
    )
    target = tmp_path / "events.parquet"
    done = runner.invoke(export_app, ["events", "--format", "parquet", "--output", str(target)])
    assert done.exit_code == 0, done.output
    assert pq.ParquetFile(target).metadata.num_rows == 4
    assert not target.with_name("events.parquet.partial").exists()
    jsonl = tmp_path / "events.jsonl"
    done = runner.invoke(export_app, ["events", "--format", "JSONL", "--output", str(jsonl)])
    assert done.exit_code == 0 and len(jsonl.read_text(encoding="utf-8").splitlines()) == 4
    assert {json.loads(x)["document_id"] for x in jsonl.read_text().splitlines()} == {
        DOC_US,
        DOC_ATTACK,
        DOC_TALKS,
    }
    binary = runner.invoke(export_app, ["events", "--format", "parquet"])
    assert binary.exit_code == 2 and "give a file with --output" in binary.stderr
    unknown = runner.invoke(export_app, ["events", "--format", "xml"])
    assert unknown.exit_code == 2 and "'xml' is not one we write" in unknown.stderr
