"""README command 1 end to end: the demo corpus into a store, with its planted cases."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, select

from pactwatch.demo.run import corpus_root, run_demo
from pactwatch.jobs import silent_progress
from pactwatch.settings import Settings
from pactwatch.store.queries import brief
from pactwatch.store.schema import documents, duplicates, feed_items, removed_text

ROOT = corpus_root()


def body_words(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("---", 2)[2]
    return len(re.findall(r"\w+", text))


def test_corpus_is_at_least_40_articles_of_250_to_900_words() -> None:
    import json

    markdown = sorted((ROOT / "articles").glob("*.md"))
    wire = (ROOT / "wire.jsonl").read_text(encoding="utf-8").splitlines()
    pages = sorted((ROOT / "site").glob("*.html"))
    undated = sorted((ROOT / "undated").glob("*.txt"))
    assert len(markdown) + len(wire) + len(pages) + len(undated) >= 40
    assert len(pages) >= 5 and (ROOT / "feed.xml").is_file()
    for path in [*markdown, *undated]:
        assert 250 <= body_words(path) <= 900, path.name
    for line in wire:
        assert 250 <= len(re.findall(r"\w+", json.loads(line)["text"])) <= 950
    for page in pages:
        assert f"site/{page.name}" in (ROOT / "feed.xml").read_text(encoding="utf-8")


def run(engine: Engine, settings: Settings) -> object:
    return run_demo(engine, settings, progress=silent_progress)


def test_demo_ingests_everything_and_finds_the_planted_cases(
    engine: Engine, settings: Settings
) -> None:
    report = run(engine, settings)
    files, feed = report.files, report.feeds[0]  # type: ignore[attr-defined]
    assert files.dropped_total == 0 and feed.summary.dropped_total == 0
    assert files.items == 38 and feed.summary.items == 6 and feed.new_entries == 6
    assert files.stored + feed.summary.stored == 43
    assert files.near_duplicates == 1
    assert files.undated == 1

    with engine.connect() as conn:
        origin_of = dict(conn.execute(select(documents.c.id, documents.c.origin)).all())
        (link,) = conn.execute(select(duplicates)).all()
        undated = conn.execute(
            select(documents.c.origin, documents.c.title).where(documents.c.published.is_(None))
        ).all()
        removed = conn.execute(select(removed_text.c.reason, removed_text.c.text)).all()
        seen = conn.scalar(select(feed_items.c.id).limit(1))
    # The content farm's respin is linked to the wire story it copies.
    assert origin_of[link.document_id].endswith("c06-banjska-attack-police-officer-killed.md")
    assert origin_of[link.copy_id].endswith("c09-shock-kosovo-commandos-storm-monastery.md")
    assert link.kind == "near" and link.similarity >= 0.8
    # Independent accounts of the same event stay separate documents.
    banjska = [o for o in origin_of.values() if "banjska" in o]
    assert len(banjska) == 3
    assert [(Path(o).name, t) for o, t in undated] == [
        (
            "c-undated-north-kosovo-fragile-calm.txt",
            "In north Kosovo, an uneasy calm rests on bridges, checkpoints and old grievances",
        )
    ]
    # The broken HTML page was read whole; its in-body newsletter plug was removed, recorded.
    assert (
        "boilerplate",
        "Subscribe to our newsletter for daily updates from Kosovo and Serbia.",
    ) in [tuple(r) for r in removed]
    assert seen is not None

    summary = brief(engine)
    assert summary.status.first_copies == 43 and summary.status.near_copies == 1
    assert len(summary.per_outlet) == 7
    assert summary.first_date is not None and summary.first_date.year == 2022

    again = run(engine, settings)
    assert again.files.stored == 0 and again.files.unchanged == 38  # type: ignore[attr-defined]
    assert again.feeds[0].not_modified  # type: ignore[attr-defined]
    assert brief(engine).status.documents == 44
