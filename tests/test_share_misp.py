"""MISP feed export: read back with PyMISP, TLP as tags, deterministic, swapped in whole.

The store is the one of tests/test_share_stix.py (three documents at three TLP levels,
their actors, places, events, flags and an analyst's override), on SQLite and PostgreSQL.
No MISP server: PyMISP loads each event file and rebuilds its manifest entry and feed.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from pymisp import MISPEvent
from sqlalchemy import Engine
from typer.testing import CliRunner

from pactwatch import cli_common
from pactwatch.errors import InputError
from pactwatch.share import ids
from pactwatch.share.cli import export_app
from pactwatch.share.misp import export_misp_feed
from pactwatch.share.misp_objects import producer_uuid, uuid_of
from pactwatch.share.pages import ExportFilters
from test_share_stix import DOC_ATTACK, DOC_TALKS, DOC_US, build_store


def event_uuid(doc_id: str) -> str:
    return uuid_of(ids.report_id(doc_id))


def read_feed(directory: Path) -> tuple[dict[str, Any], dict[str, MISPEvent]]:
    """The manifest and every event file, loaded by PyMISP; the two must agree."""
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    events: dict[str, MISPEvent] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name == "manifest.json":
            continue
        event = MISPEvent()
        with path.open(encoding="utf-8") as handle:
            event.load(handle)
        assert path.stem == event.uuid
        events[event.uuid] = event
    assert set(manifest) == set(events)
    for uuid, event in events.items():
        rebuilt = event.manifest[uuid]  # PyMISP's own manifest entry for the event
        entry = manifest[uuid]
        for key in ("Orgc", "info", "date", "analysis", "threat_level_id", "timestamp"):
            assert entry[key] == rebuilt[key], key
        assert [t["name"] for t in entry["Tag"]] == [t["name"] for t in rebuilt["Tag"]]
        assert event.to_feed()["Event"]["uuid"] == uuid  # PyMISP can publish it again
    return manifest, events


def tags(event: MISPEvent) -> set[str]:
    return {t.name for t in event.tags}


def objects(event: MISPEvent, name: str) -> list[Any]:
    return [o for o in event.objects if o.name == name]


def values(obj: Any, relation: str) -> list[Any]:
    return [a.value for a in obj.attributes if a.object_relation == relation]


def test_feed_reads_back_with_pymisp_and_maps_the_store(engine: Engine, tmp_path: Path) -> None:
    build_store(engine)
    summary = export_misp_feed(engine, tmp_path / "feed")
    _, events = read_feed(tmp_path / "feed")
    assert summary.documents == 3 and summary.withheld_above_tlp == 0
    assert set(events) == {event_uuid(d) for d in (DOC_US, DOC_ATTACK, DOC_TALKS)}

    us = events[event_uuid(DOC_US)]
    assert us.info == "US and Kosovo sign intelligence-sharing agreement"
    assert us.date.isoformat() == "2024-03-01"
    assert us.Orgc.name == "pactwatch" and us.Orgc.uuid == producer_uuid()
    assert tags(us) == {
        "tlp:clear",
        "plover:COOPERATE",
        "plover:AGREE",
        "cameo:061",
        "cameo:036",
        "area:intelligence_sharing",
        "area:training",
    }
    assert tags(events[event_uuid(DOC_ATTACK)]) >= {"tlp:amber", "plover:ASSAULT"}
    assert "tlp:green" in tags(events[event_uuid(DOC_TALKS)])

    flat = {(a.type, a.value): a for a in us.attributes}
    assert ("link", "https://news.example/aaaa") in flat
    assert ("text", DOC_US) in flat
    credibility = flat[("float", "0.8")]
    assert "two independent outlets report it" in credibility.comment
    flag = flat[("comment", "The article calls Zemaj Minister of Defense; check the date.")]
    assert flag.comment.startswith("warning flag: office_conflict")

    cooperate = next(
        o for o in objects(us, "event") if "plover:COOPERATE" in values(o, "event_type")
    )
    assert cooperate.uuid == uuid_of(ids.event_sdo_id("ev-us-cooperate"))
    assert values(cooperate, "status") == ["occurred"]
    assert values(cooperate, "event_type") == ["plover:COOPERATE", "cameo:061"]
    assert values(cooperate, "start_time_fidelity") == ["day"]
    assert "credibility 0.80" in cooperate.comment

    zemaj = next(o for o in objects(us, "person") if values(o, "full-name") == ["Armend Zemaj"])
    assert zemaj.uuid == uuid_of(ids.identity_id("person", "Armend Zemaj", "XKX"))
    # The clear document's wording and the reference office; never the amber document's.
    assert values(zemaj, "role") == ["Kosovo's Minister of Defense", "Minister of Defence"]
    austin = next(o for o in objects(us, "person") if values(o, "full-name") == ["Lloyd Austin"])
    assert {(r.relationship_type, r.referenced_uuid) for r in zemaj.references} == {
        ("cooperates-with", austin.uuid)
    }
    washington = next(o for o in objects(us, "geolocation") if values(o, "city") == ["Washington"])
    assert values(washington, "countrycode") == ["US"]
    assert float(values(washington, "latitude")[0]) == pytest.approx(38.9)
    located = {(r.relationship_type, r.referenced_uuid) for r in cooperate.references}
    assert ("located-at", washington.uuid) in located
    assert ("actor", zemaj.uuid) in located and ("recipient", austin.uuid) in located
    kosovo = next(o for o in objects(us, "organization") if values(o, "name") == ["Kosovo"])
    assert values(kosovo, "type-of-organization") == ["country"]
    assert "What happened" in us.event_reports[0].content
    assert "PLOVER COOPERATE, CAMEO 061" in us.event_reports[0].content

    talks = events[event_uuid(DOC_TALKS)]
    talks_credibility = next(a for a in talks.attributes if a.type == "float")
    assert "analyst's judgement: confirmed by the embassy" in talks_credibility.comment
    feed_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "feed").iterdir())
    assert "Zeta Quill" not in feed_text  # analysts' names stay in the store

    # hashes.csv: the md5 of every attribute value with its event, as PyMISP computes them.
    with (tmp_path / "feed" / "hashes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    expected = sorted(
        [h, uuid]
        for uuid, event in events.items()
        for attribute in [*event.attributes, *(a for o in event.objects for a in o.attributes)]
        for h in attribute.hash_values("md5")
    )
    assert sorted(rows) == expected
    assert hashlib.md5(b"https://news.example/aaaa", usedforsecurity=False).hexdigest() in {
        r[0] for r in rows
    }
    assert summary.attributes == len(rows)


def test_max_tlp_filters_and_rewrites_leave_nothing_behind(engine: Engine, tmp_path: Path) -> None:
    build_store(engine)
    feed = tmp_path / "feed"
    export_misp_feed(engine, feed)
    first = {p.name: p.read_bytes() for p in feed.iterdir()}
    export_misp_feed(engine, feed, ExportFilters(), page_size=1)
    assert {p.name: p.read_bytes() for p in feed.iterdir()} == first  # deterministic

    summary = export_misp_feed(engine, feed, ExportFilters(max_tlp="green"))
    assert summary.documents == 2 and summary.withheld_above_tlp == 1
    manifest, events = read_feed(feed)
    assert set(events) == {event_uuid(DOC_US), event_uuid(DOC_TALKS)}
    assert not (feed / f"{event_uuid(DOC_ATTACK)}.json").exists()
    assert all(tags(e) & {"tlp:clear", "tlp:green"} for e in events.values())
    assert "Radoičić" not in json.dumps(manifest) + "".join(
        p.read_text(encoding="utf-8") for p in feed.iterdir()
    )
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers

    export_misp_feed(engine, feed, ExportFilters(country="SRB"))
    assert set(read_feed(feed)[1]) == {event_uuid(DOC_ATTACK)}


def test_a_directory_that_is_not_a_feed_is_left_alone(engine: Engine, tmp_path: Path) -> None:
    build_store(engine)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="is not a MISP feed"):
        export_misp_feed(engine, tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_cli_writes_the_feed_and_a_summary(
    engine: Engine, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_store(engine)
    monkeypatch.setattr(cli_common.state, "database", database_url)
    target = tmp_path / "misp"
    result = CliRunner().invoke(export_app, ["misp-feed", str(target), "--max-tlp", "amber"])
    assert result.exit_code == 0, result.output
    assert len(read_feed(target)[1]) == 3
    assert result.stderr.startswith("exported 3 MISP events with ")
    assert "0 documents above the TLP ceiling left out" in result.stderr
    bad = CliRunner().invoke(export_app, ["misp-feed", str(target), "--max-tlp", "white+"])
    assert bad.exit_code == 2 and "unknown TLP level" in bad.stderr
