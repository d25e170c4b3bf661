"""``pactwatch export events``: the rows of ``share.events`` as CSV, Parquet or JSON lines.

Each writer takes rows as they come and keeps none: the CSV and JSON-lines writers write
a line per event; the Parquet writer gathers one row group (``row_group_size`` rows) at a
time, writes it, and drops it. Memory stays flat whatever the size of the export.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any, Final

from sqlalchemy import Engine

from pactwatch.errors import InputError
from pactwatch.knowledge import load_knowledge
from pactwatch.share.events import EventRow, EventsSummary, event_rows, gdelt_row, plover_json
from pactwatch.share.pages import ExportFilters

FORMATS: Final = ("csv", "parquet", "jsonl")

# The GDELT-style table: GDELT 2.0 event columns that apply, in GDELT's order, then
# pactwatch's own. Types name the Parquet type; CSV writes the same values as text.
COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("GLOBALEVENTID", "string"),
    ("SQLDATE", "int32"),
    ("MonthYear", "int32"),
    ("Year", "int16"),
    ("FractionDate", "float64"),
    *(
        (f"Actor{n}{column}", "string")
        for n in (1, 2)
        for column in ("Code", "Name", "CountryCode", "Type1Code", "Type2Code", "Type3Code")
    ),
    ("IsRootEvent", "int8"),
    ("EventCode", "string"),
    ("EventBaseCode", "string"),
    ("EventRootCode", "string"),
    ("QuadClass", "int8"),
    ("GoldsteinScale", "float64"),
    ("NumMentions", "int32"),
    ("NumSources", "int32"),
    ("NumArticles", "int32"),
    ("AvgTone", "float64"),
    ("ActionGeo_Type", "int8"),
    ("ActionGeo_FullName", "string"),
    ("ActionGeo_CountryCode", "string"),
    ("ActionGeo_Lat", "float64"),
    ("ActionGeo_Long", "float64"),
    ("DATEADDED", "int64"),
    ("SOURCEURL", "string"),
    ("DocumentId", "string"),
    ("PloverEvent", "string"),
    ("PloverMode", "string"),
    ("PloverContexts", "list<string>"),
    ("Areas", "list<string>"),
    ("Modality", "string"),
    ("DatePrecision", "string"),
    ("Credibility", "float64"),
    ("TLP", "string"),
)
HEADER: Final = tuple(name for name, _ in COLUMNS)


def export_events(
    engine: Engine,
    out: IO[Any],
    fmt: str,
    filters: ExportFilters | None = None,
    *,
    page_size: int = 200,
    row_group_size: int = 10_000,
) -> EventsSummary:
    """Write the events ``filters`` choose to ``out`` in ``fmt`` (csv, jsonl: a text stream;
    parquet: a binary stream)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    summary = EventsSummary()
    rows = event_rows(engine, filters, summary, page_size=page_size)
    if fmt == "csv":
        write_csv(rows, out)
    elif fmt == "jsonl":
        write_jsonl(rows, out)
    else:
        write_parquet(rows, out, row_group_size)
    return summary


def write_csv(rows: Iterable[EventRow], out: IO[Any]) -> None:
    """A header row, then one line per event; lists joined with ";", nulls empty."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    countries = load_knowledge().countries
    for row in rows:
        values = gdelt_row(row, countries)
        writer.writerow([_text(values[name]) for name in HEADER])


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def write_jsonl(rows: Iterable[EventRow], out: IO[Any]) -> None:
    for row in rows:
        out.write(json.dumps(plover_json(row), ensure_ascii=False) + "\n")


def parquet_schema() -> Any:
    """The Parquet schema of the GDELT-style table (pyarrow is imported only here)."""
    import pyarrow as pa  # type: ignore[import-untyped]

    types = {
        "string": pa.string(),
        "int8": pa.int8(),
        "int16": pa.int16(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "list<string>": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(name, types[kind]) for name, kind in COLUMNS])


def write_parquet(rows: Iterable[EventRow], out: IO[Any], row_group_size: int) -> None:
    """The GDELT-style table in row groups of ``row_group_size`` rows (zstd-compressed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = parquet_schema()
    columns: dict[str, list[Any]] = {name: [] for name in HEADER}
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:

        def flush() -> None:
            if columns["GLOBALEVENTID"]:
                table = pa.table(columns, schema=schema)
                writer.write_table(table, row_group_size=table.num_rows)
                for values in columns.values():
                    values.clear()

        countries = load_knowledge().countries
        for row in rows:
            values = gdelt_row(row, countries)
            for name in HEADER:
                columns[name].append(values[name])
            if len(columns["GLOBALEVENTID"]) >= row_group_size:
                flush()
        flush()
