"""`pactwatch check`, `flags`, `credibility` and the brief: the checks as a user meets them,
with and without a store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from conftest import shared_file
from pactwatch.cli import app
from pactwatch.jobs import ingest_targets
from pactwatch.process import process_pending
from pactwatch.settings import Settings
from pactwatch.store.flag_queries import FlagFilter, credibility_detail, list_flags
from pactwatch.store.queries import brief
from pactwatch.store.schema import credibility_overrides, documents, events, flags, office_claims
from pactwatch.verify.credibility_store import UnknownTarget, set_override

runner = CliRunner()
CORPUS = Path(__file__).resolve().parents[1] / "src/pactwatch/demo/corpus"
CLEAN = CORPUS / "articles/a06-us-approves-javelin-sale-kosovo.md"
WRONG_MINISTER = CORPUS / "articles/b10-macron-belgrade-rafale-contract.md"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_check_explains_the_seed_articles_doubts_without_a_store() -> None:
    seed = shared_file("corpus/seed-article.txt")
    code, output = invoke("check", str(seed))
    assert code == 0, output
    flat = " ".join(output.split())
    for kind in ("conflicting_identity", "role_conflicts_with_reference", "templated_text"):
        assert kind in flat
    assert "Albin Kurti" in flat and "Gërvalla-Schwarz" in flat
    assert "Document credibility: 0.0" in flat  # below 0.10


def test_check_json_carries_flags_claims_and_scores() -> None:
    seed = shared_file("corpus/seed-article.txt")
    code, output = invoke("check", str(seed), "--json")
    assert code == 0
    (record,) = [json.loads(line) for line in output.splitlines() if line.strip()]
    kinds = [f["kind"] for f in record["flags"]]
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    for expected in gold["flags"]:
        assert expected["kind"] in kinds
    assert kinds.count("role_conflicts_with_reference") == 4
    conflicts = [c for c in record["claims"] if c["verdict"] == "conflict"]
    assert {c["person"] for c in conflicts} == {
        "Albin Zemaj",
        "Donika Zemaj",
        "Armend Zemaj",
        "Geoffrey Pyatt",
    }
    assert all(c["date_basis"] == "ingested" for c in conflicts)  # the seed is undated
    assert record["credibility"]["score"] < 0.2
    assert record["events"] and all(e["score"] < 0.3 for e in record["events"].values())


def test_check_fail_on_gates_scripts(tmp_path: Path) -> None:
    seed = shared_file("corpus/seed-article.txt")
    assert invoke("check", str(seed), "--fail-on", "serious")[0] == 3
    code, output = invoke("check", str(CLEAN), "--fail-on", "serious")
    assert code == 0, output
    assert invoke("check", str(CLEAN), "--fail-on", "severe")[0] == 2


def test_check_names_a_missing_file_in_one_line(tmp_path: Path) -> None:
    code, output = invoke("check", str(tmp_path / "nope.txt"))
    assert code == 1
    assert "nope.txt" in output and "Traceback" not in output


@pytest.fixture
def checked_store(engine: Engine, settings: Settings, tmp_path: Path) -> Engine:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(shared_file("corpus/seed-article.txt"), folder / "seed-article.txt")
    shutil.copy(CLEAN, folder / CLEAN.name)
    shutil.copy(WRONG_MINISTER, folder / WRONG_MINISTER.name)
    summary = ingest_targets(engine, settings, [str(folder)])
    assert summary.dropped_total == 0
    return engine


def test_ingest_stores_flags_claims_and_scores(checked_store: Engine) -> None:
    with checked_store.connect() as conn:
        kinds = conn.scalars(select(flags.c.kind)).all()
        verdicts = conn.execute(select(office_claims.c.person, office_claims.c.verdict)).all()
        scores = dict(conn.execute(select(documents.c.origin, documents.c.credibility)).all())
        unscored = conn.scalar(select(events.c.id).where(events.c.credibility.is_(None)))
    assert kinds.count("role_conflicts_with_reference") == 5  # four in the seed, one in b10
    assert ("Nebojša Stefanović", "conflict") in verdicts
    seed_score = next(v for k, v in scores.items() if k.endswith("seed-article.txt"))
    clean_score = next(v for k, v in scores.items() if k.endswith(CLEAN.name))
    b10_score = next(v for k, v in scores.items() if k.endswith(WRONG_MINISTER.name))
    assert seed_score < 0.2 < b10_score < clean_score
    assert clean_score >= 0.6
    assert unscored is None  # every event has a score


def test_flags_filters_and_pages(checked_store: Engine) -> None:
    rows, total = list_flags(checked_store, FlagFilter(kinds=("role_conflicts_with_reference",)))
    assert total == 5 and len(rows) == 5
    assert all(r.severity == "serious" for r in rows)
    page, total_again = list_flags(
        checked_store, FlagFilter(kinds=("role_conflicts_with_reference",), limit=2, offset=4)
    )
    assert total_again == 5 and len(page) == 1
    since, _ = list_flags(checked_store, FlagFilter(since=__import__("datetime").date(2024, 8, 1)))
    assert since and all(r.published and r.published.year == 2024 for r in since)
    first = rows[0]
    assert first.evidence and first.explanation


def test_the_brief_shows_flags_and_the_least_credible(checked_store: Engine) -> None:
    b = brief(checked_store)
    assert any(kind == "conflicting_identity" for kind, *_ in b.flag_counts)
    assert b.serious_flags
    title, score, why = b.least_credible[0]
    assert "Zemaj" in title and score < 0.2 and why


def test_an_override_is_kept_with_who_when_why_and_survives_reprocessing(
    checked_store: Engine, settings: Settings
) -> None:
    with checked_store.connect() as conn:
        event_id, computed = conn.execute(
            select(events.c.id, events.c.credibility).order_by(events.c.id).limit(1)
        ).one()
    full = set_override(checked_store, event_id[:10], 0.9, "analyst1", "confirmed by the embassy")
    assert full == event_id
    detail = credibility_detail(checked_store, event_id)
    assert detail is not None and detail["credibility"] == 0.9
    assert detail["overrides"][0]["analyst"] == "analyst1"
    assert detail["overrides"][0]["computed"] == computed
    assert "confirmed by the embassy" in detail["reasons"][0]["text"]
    # Re-extracting every document re-creates the events under the same ids.
    with checked_store.begin() as conn:
        conn.execute(
            update(documents).where(documents.c.status == "processed").values(status="new")
        )
    process_pending(checked_store, settings)
    with checked_store.connect() as conn:
        assert conn.scalar(select(events.c.credibility).where(events.c.id == event_id)) == 0.9
        assert conn.scalar(select(credibility_overrides.c.reason)) == "confirmed by the embassy"


def test_overrides_refuse_bad_targets_and_values(checked_store: Engine) -> None:
    with pytest.raises(UnknownTarget):
        set_override(checked_store, "0000000000", 0.5, "a", "why")
    with pytest.raises(UnknownTarget):
        set_override(checked_store, "abc", 0.5, "a", "why")
    with pytest.raises(ValueError):
        set_override(checked_store, "0000000000", 1.5, "a", "why")
    with pytest.raises(ValueError):
        set_override(checked_store, "0000000000", 0.5, "a", "  ")


def test_flags_and_credibility_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "checks.sqlite")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(shared_file("corpus/seed-article.txt"), folder / "seed-article.txt")
    assert invoke("--db", db, "ingest", str(folder))[0] == 0
    code, output = invoke("--db", db, "flags", "--severity", "serious")
    assert code == 0, output
    assert "role_conflicts_with_reference" in output and "of 5 flags" in " ".join(output.split())
    code, output = invoke("--db", db, "flags", "--kind", "nonsense")
    assert code == 2 and "not a flag kind" in output
    code, output = invoke("--db", db, "flags", "--json", "--kind", "undated")
    assert code == 0 and json.loads(output.splitlines()[0])["kind"] == "undated"
    code, output = invoke("--db", db, "brief")
    assert code == 0 and "Least credible documents" in output
    doc_id = json.loads(invoke("--db", db, "flags", "--json")[1].splitlines()[0])["document_id"]
    code, output = invoke("--db", db, "credibility", "set", doc_id[:12], "0.4", "--why", "test")
    assert code == 0, output
    code, output = invoke("--db", db, "credibility", "show", doc_id[:12])
    assert code == 0 and "Override" in output and "0.40" in output
    code, output = invoke("--db", db, "credibility", "show", "ffffffffffff")
    assert code == 2 and "no event or document" in output
