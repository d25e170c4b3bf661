"""Office claims against the reference: the seed's four conflicts, the demo's planted cases,
the clean demo articles (no conflict), and the verdict rules on hand-made mentions."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, shared_file
from pactwatch.documents.build import build_document
from pactwatch.extract import Extraction, extract_documents
from pactwatch.knowledge import Knowledge, load_knowledge
from pactwatch.models import Document, RawItem
from pactwatch.nlp.pipeline import shared_pipeline
from pactwatch.nlp.records import ActorMention
from pactwatch.settings import Settings
from pactwatch.sources.files import iter_path_items
from pactwatch.verify.reference import OfficeClaim, claim_flags, office_claims

CORPUS = REPO / "src" / "pactwatch" / "demo" / "corpus"
INGESTED = date(2026, 11, 27)
# The planted cases of the demo corpus (README "Planted cases"); every other article is clean.
PLANTED = ("b07-", "b10-", "c04-", "c05-", "c09-")


def _documents(paths: list[Path]) -> list[Document]:
    documents = []
    for item in iter_path_items(paths, max_file_bytes=5_000_000):
        assert isinstance(item, RawItem), item
        document = build_document(
            item,
            settings=Settings(date_order="DMY"),
            fetched_at=datetime(2026, 11, 27, tzinfo=UTC),
        )
        assert isinstance(document, Document)
        documents.append(document)
    return documents


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge([])


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[Document, Extraction]]:
    """The seed article and the demo articles and pages, extracted once, by file name."""
    paths = [shared_file("corpus/seed-article.txt"), CORPUS / "articles", CORPUS / "site"]
    documents = _documents(paths)
    extractions = extract_documents(documents, shared_pipeline())
    return {Path(d.origin).name: (d, e) for d, e in zip(documents, extractions, strict=True)}


def _claims(
    extracted: dict[str, tuple[Document, Extraction]], name: str, knowledge: Knowledge
) -> tuple[Document, list[OfficeClaim]]:
    document, extraction = next(v for k, v in extracted.items() if k.startswith(name))
    return document, office_claims(document, extraction, knowledge, ingested_on=INGESTED)


def test_seed_article_yields_exactly_the_four_gold_conflicts(
    extracted: dict[str, tuple[Document, Extraction]], knowledge: Knowledge
) -> None:
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    wanted = next(f for f in gold["flags"] if f["kind"] == "role_conflicts_with_reference")
    document, claims = _claims(extracted, "seed-article", knowledge)
    flags = claim_flags(document, claims)
    assert len(flags) == len(wanted["claims"]) == 4
    conflicts = {c.person: c for c in claims if c.verdict == "conflict"}
    assert conflicts["Albin Zemaj"].record_person == "Albin Kurti"
    assert conflicts["Donika Zemaj"].record_person == "Donika Gërvalla-Schwarz"
    assert conflicts["Armend Zemaj"].record_person == "Ejup Maqedonci"
    assert "Armend Mehaj" in conflicts["Armend Zemaj"].explanation  # the holder before him
    pyatt = conflicts["Geoffrey Pyatt"]
    assert pyatt.office == "USA:ambassador_nato"
    assert pyatt.record_person == "Matthew Whitaker"  # open on the reference's last day
    assert "Geoffrey Pyatt never held it" in pyatt.explanation
    for flag in flags:
        assert flag.kind == "role_conflicts_with_reference"
        assert flag.severity == "serious"
        assert flag.document_id == document.id
        spans = [e for e in flag.evidence if e.kind == "span"]
        assert spans and all(document.text[e.start : e.end] == e.text for e in spans)
        reference = [e for e in flag.evidence if e.kind == "reference"]
        assert len(reference) == 1 and reference[0].source
        assert flag.details["claim"]["verdict"] == "conflict"
    armend = next(f for f in flags if "Armend Zemaj" in f.explanation)
    assert sorted({e.line or 0 for e in armend.evidence if e.kind == "span"}) == [3, 25]


def test_undated_document_is_checked_at_ingestion_and_says_so(
    extracted: dict[str, tuple[Document, Extraction]], knowledge: Knowledge
) -> None:
    document, claims = _claims(extracted, "seed-article", knowledge)
    assert document.published is None
    for claim in claims:
        assert claim.date_basis == "ingested"
        assert claim.on_date == INGESTED
        # 2026-11-27 is past the reference's confirmed_until: read as of that day, and said.
        assert claim.reference_date == date(2025, 6, 30)
        assert "ingested" in claim.explanation and "undated" in claim.explanation
        assert "as of 2025-06-30, the last date the reference was confirmed" in claim.explanation


def test_b10_wrong_person_in_serbian_defence_ministry(
    extracted: dict[str, tuple[Document, Extraction]], knowledge: Knowledge
) -> None:
    document, claims = _claims(extracted, "b10-", knowledge)
    conflicts = [c for c in claims if c.verdict == "conflict"]
    assert [(c.person, c.office) for c in conflicts] == [
        ("Nebojša Stefanović", "SRB:minister_defence")
    ]
    claim = conflicts[0]
    assert claim.date_basis == "published" and claim.on_date == date(2024, 8, 29)
    assert claim.record_person == "Bratislav Gašić"
    assert "Bratislav Gašić held that office on 2024-08-29" in claim.explanation
    assert "from 2020-10-28 to 2022-10-26" in claim.explanation  # when he did hold it
    assert len(claim_flags(document, claims)) == 1


def test_b07_wrong_office_for_borrell(
    extracted: dict[str, tuple[Document, Extraction]], knowledge: Knowledge
) -> None:
    document, claims = _claims(extracted, "b07-", knowledge)
    conflicts = [c for c in claims if c.verdict == "conflict"]
    assert [(c.person, c.office) for c in conflicts] == [
        ("Josep Borrell", "IGO:nato_secretary_general")
    ]
    claim = conflicts[0]
    assert claim.record_person == "Jens Stoltenberg"
    assert "Jens Stoltenberg held that office on 2023-09-14" in claim.explanation
    assert "Josep Borrell was High Representative" in claim.explanation
    assert "on 2023-09-14" in claim.explanation
    (flag,) = claim_flags(document, claims)
    assert any(e.text == "NATO Secretary General" for e in flag.evidence)


def test_clean_demo_articles_raise_no_reference_conflict(
    extracted: dict[str, tuple[Document, Extraction]], knowledge: Knowledge
) -> None:
    clean = {
        name: pair
        for name, pair in extracted.items()
        if name != "seed-article.txt" and not name.startswith(PLANTED)
    }
    assert len(clean) >= 10
    checked = 0
    for name, (document, extraction) in clean.items():
        claims = office_claims(document, extraction, knowledge, ingested_on=INGESTED)
        assert not claim_flags(document, claims), (name, [c.explanation for c in claims])
        checked += sum(c.verdict == "match" for c in claims)
    assert checked >= 50  # the guard checks real claims, not an empty list


def test_a_deputy_is_not_checked_as_the_minister(
    extracted: dict[str, tuple[Document, Extraction]], knowledge: Knowledge
) -> None:
    # Extraction binds "Deputy Foreign Minister Liza Gashi" to the foreign minister's office.
    _, claims = _claims(extracted, "kurti-iowa-governor", knowledge)
    gashi = next(c for c in claims if c.person == "Liza Gashi")
    assert gashi.verdict == "unknown"
    assert "'deputy'" in gashi.explanation


# The verdict rules on hand-made mentions -------------------------------------------------


def _document(text: str, published: date | None) -> Document:
    return Document(
        id="doc-1",
        text=text,
        origin="test",
        fetched_at=datetime(2026, 11, 27, tzinfo=UTC),
        source_kind="file",
        published=datetime(published.year, published.month, published.day, tzinfo=UTC)
        if published
        else None,
    )


def _mention(text: str, name: str, role: str, office: str | None, **more: Any) -> ActorMention:
    start = text.index(name)
    return ActorMention(
        start=start,
        end=start + len(name),
        text=name,
        kind="person",
        entity_name=more.pop("entity_name", name),
        role_text=role,
        role_office=office,
        phrase_start=text.index(role),
        phrase_end=start + len(name),
        **more,
    )


def _check(text: str, mention: ActorMention, published: date | None) -> OfficeClaim:
    document = _document(text, published)
    extraction = Extraction("doc-1", None, [mention], [], [], {}, [])
    (claim,) = office_claims(document, extraction, load_knowledge([]), ingested_on=INGESTED)
    return claim


def test_acting_holder_matches() -> None:
    text = "Acting national security adviser Marco Rubio spoke."
    mention = _mention(
        text, "Marco Rubio", "Acting national security adviser", "USA:national_security_advisor"
    )
    claim = _check(text, mention, date(2025, 5, 20))
    assert claim.verdict == "match"
    assert "(acting)" in claim.explanation


def test_holding_end_day_belongs_to_the_successor() -> None:
    text = "Defence Minister Armend Mehaj said."
    mention = _mention(text, "Armend Mehaj", "Defence Minister", "XKX:minister_defence")
    assert _check(text, mention, date(2023, 8, 7)).verdict == "match"
    on_end = _check(text, mention, date(2023, 8, 8))
    assert on_end.verdict == "conflict" and on_end.record_person == "Ejup Maqedonci"


def test_gap_between_holders_is_unknown() -> None:
    text = "US ambassador to NATO Julianne Smith spoke."
    mention = _mention(text, "Julianne Smith", "US ambassador to NATO", "USA:ambassador_nato")
    claim = _check(text, mention, date(2025, 2, 15))
    assert claim.verdict == "unknown"
    assert "no holder" in claim.explanation


def test_role_naming_no_office_is_unknown() -> None:
    text = "Ambassador Jeffrey Hovenier spoke."
    claim = _check(text, _mention(text, "Jeffrey Hovenier", "Ambassador", None), date(2023, 1, 5))
    assert claim.verdict == "unknown" and claim.office is None
    assert "names no office" in claim.explanation


def test_former_office_holder_is_not_checked() -> None:
    text = "Former Prime Minister Ramush Haradinaj spoke."
    mention = _mention(text, "Ramush Haradinaj", "Former Prime Minister", "XKX:prime_minister")
    claim = _check(text, mention, date(2024, 1, 5))
    assert claim.verdict == "unknown" and "'former'" in claim.explanation


def test_undated_story_of_a_past_holder_is_unknown_not_conflict() -> None:
    text = "Prime Minister Ramush Haradinaj spoke."
    mention = _mention(text, "Ramush Haradinaj", "Prime Minister", "XKX:prime_minister")
    undated = _check(text, mention, None)
    assert undated.verdict == "unknown" and "undated" in undated.explanation
    dated = _check(text, mention, date(2024, 1, 5))
    assert dated.verdict == "conflict" and dated.record_person == "Albin Kurti"


def test_ambiguous_surname_is_unknown() -> None:
    text = "Minister Smith spoke."
    mention = _mention(
        text,
        "Smith",
        "Minister",
        "XKX:minister_defence",
        ambiguous=True,
        candidates=["Julianne Smith", "John Smith"],
    )
    claim = _check(text, mention, date(2024, 1, 5))
    assert claim.verdict == "unknown" and "could be" in claim.explanation


def test_only_mentions_that_state_the_role_make_claims() -> None:
    text = "Prime Minister Albin Kurti met. Later Kurti spoke."
    stated = _mention(text, "Albin Kurti", "Prime Minister", "XKX:prime_minister")
    later_start = text.index("Kurti spoke")
    carried = ActorMention(
        later_start, later_start + 5, "Kurti", "person", "Albin Kurti",
        role_text="Prime Minister", role_office="XKX:prime_minister",
        phrase_start=later_start, phrase_end=later_start + 5,
    )  # fmt: skip
    extraction = Extraction("doc-1", None, [stated, carried], [], [], {}, [])
    claims = office_claims(
        _document(text, date(2024, 1, 5)), extraction, load_knowledge([]), ingested_on=INGESTED
    )
    assert len(claims) == 1 and len(claims[0].statements) == 1
    assert claims[0].verdict == "match"
