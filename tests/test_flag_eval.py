"""The checks scored on the whole demo corpus plus the seed article: every planted case is
found, no clean article is flagged, and credibility orders the stories as an analyst would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from conftest import shared_file
from pactwatch.cli import app
from pactwatch.demo.run import run_demo
from pactwatch.jobs import ingest_targets, silent_progress
from pactwatch.settings import Settings
from pactwatch.store.engine import open_store
from pactwatch.store.schema import documents, event_clusters, events
from pactwatch.verify.flag_eval import score_flags

GOLD = Path(__file__).resolve().parent / "gold" / "flags-demo.json"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    folder = tmp_path_factory.mktemp("flag-eval")
    path = folder / "demo.sqlite"
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{path}")
    engine = open_store(str(path))
    run_demo(engine, settings, progress=silent_progress)
    ingest_targets(engine, settings, [str(shared_file("corpus/seed-article.txt"))])
    yield engine, path
    engine.dispose()


def test_every_planted_case_is_flagged_and_no_clean_article_is(
    demo_store: tuple[Engine, Path],
) -> None:
    report = score_flags(demo_store[0], GOLD)
    assert report.missed == []
    assert report.false_positives == []
    assert report.clean_with_flags == []
    assert report.clean_documents >= 30
    assert report.overall.expected >= 17
    # The scored kinds each have at least one planted case, bar conflicting_facts, which
    # the demo corpus does not plant (its fixtures are in tests/data/verify).
    for kind, score in report.per_kind.items():
        if kind != "conflicting_facts":
            assert score.expected > 0, kind


def test_credibility_orders_the_stories(demo_store: tuple[Engine, Path]) -> None:
    with demo_store[0].connect() as conn:
        score = {
            r.origin.rsplit("/", 1)[-1]: r.credibility
            for r in conn.execute(select(documents.c.origin, documents.c.credibility))
        }
        corroborated = conn.scalar(
            select(events.c.credibility)
            .join(event_clusters, events.c.cluster_id == event_clusters.c.id)
            .where(event_clusters.c.independent_sources >= 3)
            .order_by(events.c.credibility.desc())
            .limit(1)
        )
    assert score["seed-article.txt"] < 0.2
    assert score["seed-article.txt"] < score["b10-macron-belgrade-rafale-contract.md"]
    assert (
        score["b10-macron-belgrade-rafale-contract.md"]
        < score["a06-us-approves-javelin-sale-kosovo.md"]
    )
    assert (
        score["c05-zvecan-clashes-kfor-41-injured.md"]
        < score["c06-banjska-attack-police-officer-killed.md"]
    )
    clean = [v for k, v in score.items() if k.startswith(("a0", "b0")) and k[:3] not in ("b07",)]
    assert clean and min(clean) >= 0.5
    assert corroborated is not None and corroborated > 0.9


def test_eval_flags_command(demo_store: tuple[Engine, Path]) -> None:
    result = CliRunner().invoke(app, ["--db", str(demo_store[1]), "eval-flags", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "0 of them flagged" in result.output
    result = CliRunner().invoke(app, ["--db", str(demo_store[1]), "eval-flags", "missing.json"])
    assert result.exit_code == 2 and "not a flag gold file" in result.output
