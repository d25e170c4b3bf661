"""Checks within one document: identity, facts, templated text and provenance.

Documents are built as the ingest builds them (``iter_path_items`` -> ``build_document``)
and extracted with one pipeline per module. The fixtures under ``tests/data/verify/`` were
written for these tests: where they name real people the facts are real (the Bush
presidents, the Clintons in Pristina, the Banjska attack, the Zvečan clashes); the
planted errors are told of invented people ("Dervishaj") or of unnamed gunmen.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from conftest import DATA, REPO, shared_file
from pactwatch.documents.build import build_document
from pactwatch.extract import Extraction, extract_documents
from pactwatch.models import Document, RawItem, RemovedText
from pactwatch.nlp.pipeline import shared_pipeline
from pactwatch.nlp.records import ActorMention, Event, EventActor, EventMention
from pactwatch.settings import Settings
from pactwatch.sources.files import iter_path_items
from pactwatch.verify.facts import fact_flags
from pactwatch.verify.flags import Flag
from pactwatch.verify.identity import identity_flags
from pactwatch.verify.provenance import provenance_flags
from pactwatch.verify.templated import template_flags

FIXTURES = DATA / "verify"
CORPUS = REPO / "src" / "pactwatch" / "demo" / "corpus"
# Planted cases of the demo corpus (see its README); every other article is clean.
PLANTED = ("b07", "b10", "c04", "c05", "c09")
FETCHED = datetime(2025, 6, 1, tzinfo=UTC)
CONTENT_KINDS = ("conflicting_identity", "conflicting_facts", "templated_text")

Pair = tuple[Document, Extraction]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return shared_pipeline()


def read(paths: list[Path], nlp: Language) -> list[Pair]:
    """Documents of ``paths`` built as the ingest builds them, with their extractions."""
    settings = Settings(database_url=None)
    documents: list[Document] = []
    for item in iter_path_items(paths, max_file_bytes=settings.max_file_bytes):
        assert isinstance(item, RawItem), item
        document = build_document(item, settings=settings, fetched_at=FETCHED)
        assert isinstance(document, Document), document
        documents.append(document)
    return list(zip(documents, extract_documents(documents, nlp), strict=True))


def all_flags(document: Document, extraction: Extraction) -> list[Flag]:
    return (
        identity_flags(document, extraction)
        + fact_flags(document, extraction)
        + template_flags(document)
        + provenance_flags(document)
    )


def kinds(flags: list[Flag]) -> list[str]:
    return sorted(f.kind for f in flags)


def assert_spans_point_at_text(document: Document, flag: Flag) -> None:
    for evidence in flag.evidence:
        if evidence.kind == "span":
            assert evidence.start is not None and evidence.end is not None
            assert document.text[evidence.start : evidence.end] == evidence.text
            assert evidence.line == document.text.count("\n", 0, evidence.start) + 1


@pytest.fixture(scope="module")
def fixtures(nlp: Language) -> dict[str, Pair]:
    paths = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".md"))
    return {Path(d.origin).name: (d, x) for d, x in read(paths, nlp)}


# --- the seed article -------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(nlp: Language) -> Pair:
    [pair] = read([shared_file("corpus/seed-article.txt")], nlp)
    return pair


@pytest.fixture(scope="module")
def gold_flags() -> dict[str, Any]:
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    return {f["kind"]: f for f in gold["flags"]}


def test_seed_conflicting_identity_lists_the_three_claims(
    seed: Pair, gold_flags: dict[str, Any]
) -> None:
    document, extraction = seed
    flags = identity_flags(document, extraction)
    assert len(flags) == 1
    flag = flags[0]
    assert flag.kind == "conflicting_identity" and flag.severity == "serious"
    claims = {c["name"]: (c["role"], c["lines"]) for c in flag.details["claims"]}
    expected = {
        c["name"]: (c["role"], c.get("lines") or [c["line"]])
        for c in gold_flags["conflicting_identity"]["claims"]
    }
    assert claims == expected
    for name in ("Donika", "Armend", "Albin", "Zemaj"):
        assert name in flag.explanation
    assert flag.event_id is not None  # the one meeting the three names are bound to
    assert {e.line for e in flag.evidence} == {1, 3, 25, 18, 42}
    assert_spans_point_at_text(document, flag)


def test_seed_stray_text_lists_the_removed_headline(seed: Pair) -> None:
    document, _ = seed
    [flag] = [f for f in provenance_flags(document) if f.kind == "stray_text"]
    [removed] = flag.details["removed"]
    assert removed["line"] == 50 and removed["reason"] == "stray_headline"
    assert "The Washington Post" in removed["text"]
    assert "line 50" in flag.explanation
    assert [e.line for e in flag.evidence] == [50]


def test_seed_is_undated_and_says_the_date_check_uses_the_ingestion_date(seed: Pair) -> None:
    document, _ = seed
    [flag] = [f for f in provenance_flags(document) if f.kind == "undated"]
    assert flag.details == {"date_basis": "ingested", "ingested_on": "2025-06-01"}
    assert "ingestion date (2025-06-01)" in flag.explanation


def test_seed_has_no_byline(seed: Pair) -> None:
    assert "no_byline" in kinds(provenance_flags(seed[0]))


def test_seed_templated_text_names_the_repeated_bullets(seed: Pair) -> None:
    document, _ = seed
    [flag] = template_flags(document)
    items = {d["item"].casefold(): d for d in flag.details["repeated_items"]}
    assert items["intelligence sharing"]["lists"] == 5
    assert items["intelligence sharing"]["lines"] == [7, 15, 21, 28, 46]
    assert items["joint military exercises"]["lines"] == [5, 44]
    assert "Intelligence Sharing" in flag.explanation
    assert_spans_point_at_text(document, flag)


def test_seed_yields_no_conflicting_facts(seed: Pair) -> None:
    assert fact_flags(*seed) == []


# --- false-positive guard over the clean demo articles ----------------------------------


@pytest.fixture(scope="module")
def clean_demo(nlp: Language) -> list[Pair]:
    articles = [
        p for p in sorted((CORPUS / "articles").glob("*.md")) if not p.name.startswith(PLANTED)
    ]
    return read([*articles, *sorted((CORPUS / "site").glob("*.html"))], nlp)


def test_clean_demo_articles_raise_no_identity_fact_or_template_flags(
    clean_demo: list[Pair],
) -> None:
    assert len(clean_demo) >= 10
    raised = {
        Path(d.origin).name: [f.explanation for f in all_flags(d, x) if f.kind in CONTENT_KINDS]
        for d, x in clean_demo
    }
    assert {name: found for name, found in raised.items() if found} == {}


def test_clean_demo_articles_have_date_and_byline(clean_demo: list[Pair]) -> None:
    for document, _ in clean_demo:
        assert not {"undated", "no_byline"} & set(kinds(provenance_flags(document)))


def test_demo_page_with_a_newsletter_plug_gets_stray_text(clean_demo: list[Pair]) -> None:
    [(document, _)] = [p for p in clean_demo if "kfor-guards" in p[0].origin]
    [flag] = provenance_flags(document)
    assert flag.kind == "stray_text"
    assert "Subscribe to our newsletter" in flag.details["removed"][0]["text"]


def test_demo_undated_article_is_undated_without_byline(nlp: Language) -> None:
    [(document, _)] = read([CORPUS / "undated"], nlp)
    assert kinds(provenance_flags(document)) == ["no_byline", "undated"]


# --- fixtures: positives and negatives of each check --------------------------------------


def test_one_surname_two_first_names_for_one_meeting(fixtures: dict[str, Pair]) -> None:
    document, extraction = fixtures["identity-one-meeting.txt"]
    [flag] = identity_flags(document, extraction)
    assert flag.severity == "serious"
    assert [c["name"] for c in flag.details["claims"]] == ["Arben Dervishaj", "Liridon Dervishaj"]
    assert_spans_point_at_text(document, flag)


def test_one_surname_two_first_names_for_one_office_in_two_events_is_a_warning(
    fixtures: dict[str, Pair],
) -> None:
    document, extraction = fixtures["identity-one-office.md"]
    [flag] = identity_flags(document, extraction)
    assert flag.severity == "warning"
    assert flag.details["bound_to"] == "one office"


@pytest.mark.parametrize("name", ["identity-bush-presidents.md", "identity-clintons.md"])
def test_family_members_and_namesakes_are_not_flagged(fixtures: dict[str, Pair], name: str) -> None:
    assert identity_flags(*fixtures[name]) == []


@pytest.mark.parametrize(
    ("name", "fact", "values"),
    [
        ("facts-figures-conflict.txt", "figure", ["three police officers", "five police officers"]),
        ("facts-date-conflict.md", "date", ["2023-06-03", "2023-06-01"]),
        ("facts-place-conflict.md", "place", ["Zubin Potok", "Prizren"]),
    ],
)
def test_conflicting_facts_of_one_event(
    fixtures: dict[str, Pair], name: str, fact: str, values: list[str]
) -> None:
    document, extraction = fixtures[name]
    [flag] = fact_flags(document, extraction)
    assert flag.details["fact"] == fact
    for value in values:
        assert value in flag.explanation
    assert flag.event_id is not None
    assert len(flag.evidence) == 2
    assert_spans_point_at_text(document, flag)


@pytest.mark.parametrize(
    "name",
    [
        "facts-toll-rises.txt",  # "later rose": an update, not a contradiction
        "facts-two-sources.txt",  # the police say 12, the organisers 20
        "facts-another-attack.md",  # another attack, elsewhere, earlier
        "facts-banjska-clean.md",  # a village inside its municipality; same day retold
        "facts-part-and-whole.md",  # 11 Italian and 19 Hungarian of 30 soldiers
    ],
)
def test_legitimate_differences_are_not_conflicting_facts(
    fixtures: dict[str, Pair], name: str
) -> None:
    assert fact_flags(*fixtures[name]) == []


def test_repeated_bullet_lists_are_templated(fixtures: dict[str, Pair]) -> None:
    document, _ = fixtures["templated-repeated-lists.txt"]
    [flag] = template_flags(document)
    counts = {d["item"]: d["lists"] for d in flag.details["repeated_items"]}
    assert counts == {"Cyber Defence": 3, "Joint Exercises": 3, "Border Security": 2}


@pytest.mark.parametrize("name", ["templated-summary-box.txt", "templated-distinct-lists.txt"])
def test_a_recap_box_or_distinct_lists_are_not_templated(
    fixtures: dict[str, Pair], name: str
) -> None:
    assert template_flags(fixtures[name][0]) == []


# --- without the pipeline: hand-built documents and events -------------------------------


def _document(text: str, **fields: Any) -> Document:
    return Document(id="doc", text=text, origin="test.txt", fetched_at=FETCHED, **fields)


def _one_event_over_all_lines(text: str) -> Extraction:
    """An extraction with one attack event whose mentions are every line of ``text``."""
    mentions, offset = [], 0
    for line in text.split("\n"):
        mentions.append(EventMention(offset, offset + len(line), offset, offset + 1, line))
        offset += len(line) + 1
    event = Event("ASSAULT", "180", None, [], [], [], "factual", text, mentions)
    return Extraction("doc", None, [], [event], [], {}, [])


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("Three soldiers were injured.", "Five soldiers were injured.", True),
        ("30 soldiers were injured.", "11 soldiers of its Italian contingent were injured.", False),
        ("About 30 soldiers were injured.", "32 soldiers were injured.", False),
        ("At least three soldiers were injured.", "Five soldiers were injured.", False),
        ("Three soldiers were injured.", "Five soldiers were killed.", False),
        (
            "Three soldiers were injured, KFOR said.",
            "Five soldiers were injured, Serbia said.",
            False,
        ),
        ("Three soldiers were injured, KFOR said.", "Five soldiers were injured, KFOR said.", True),
        ("Two soldiers were injured.", "Later, five soldiers were injured in all.", False),
        ("Three peacekeepers were injured.", "Five troops were wounded.", True),
    ],
)
def test_figure_comparison(first: str, second: str, conflict: bool) -> None:
    text = f"{first}\n{second}"
    flags = fact_flags(_document(text), _one_event_over_all_lines(text))
    assert bool(flags) is conflict


def test_provenance_of_a_clean_document_is_quiet() -> None:
    document = _document("Text.", published=FETCHED, author="A. Writer", outlet="Fixture Wire")
    assert provenance_flags(document) == []


def test_an_outlet_alone_is_a_byline() -> None:
    document = _document("Text.", published=FETCHED, outlet="Fixture Wire")
    assert provenance_flags(document) == []


def test_stray_text_is_one_flag_for_all_removed_lines() -> None:
    removed = [
        RemovedText("Share this article", "boilerplate", 3),
        RemovedText("Politics | Another story – Some Outlet", "stray_headline", 9),
    ]
    document = _document("Text.", published=FETCHED, outlet="O", removed=removed)
    [flag] = provenance_flags(document)
    assert flag.kind == "stray_text"
    assert [r["line"] for r in flag.details["removed"]] == [3, 9]
    assert "line 3, line 9" in flag.explanation


def _people_at_one_meeting(*sentences: tuple[str, str]) -> tuple[Document, Extraction]:
    """One meeting told in several sentences, each naming one person (``name`` in it)."""
    text = "\n".join(sentence for sentence, _ in sentences)
    mentions, spans, event_mentions, offset = [], [], [], 0
    for index, (sentence, name) in enumerate(sentences):
        start = offset + sentence.index(name)
        mentions.append(
            ActorMention(start, start + len(name), name, "person", name, sentence=index)
        )
        spans.append((offset, offset + len(sentence)))
        event_mentions.append(
            EventMention(offset, offset + len(sentence), start, start + 1, sentence)
        )
        offset += len(sentence) + 1
    actors = [EventActor(m.text, m.entity_name, "USA", "GOV") for m in mentions]
    event = Event("CONSULT", "040", None, [], actors, [], "factual", text, event_mentions)
    extraction = Extraction("doc", None, mentions, [event], [], {}, [], sentence_spans=spans)
    return _document(text), extraction


@pytest.mark.parametrize(
    ("second", "flagged"),
    [
        (("Hillary Clinton met the delegation in Pristina.", "Hillary Clinton"), True),
        (("Bill Clinton also attended the meeting.", "Bill Clinton"), False),
        (("Her husband Bill Clinton was at the meeting.", "Bill Clinton"), False),
        (("William Clinton met the delegation in Pristina.", "William Clinton"), False),
        (("W. J. Clinton met the delegation in Pristina.", "W. J. Clinton"), False),
    ],
)
def test_names_of_one_meeting(second: tuple[str, str], flagged: bool) -> None:
    first = ("Bill Clinton met the delegation in Pristina.", "Bill Clinton")
    document, extraction = _people_at_one_meeting(first, second)
    flags = identity_flags(document, extraction)
    assert bool(flags) is flagged
    if flagged:
        assert flags[0].severity == "serious"


def test_two_names_in_one_sentence_are_two_people() -> None:
    text = "Presidents Bill Clinton and Hillary Clinton met the delegation."
    document, extraction = _people_at_one_meeting((text, "Bill Clinton"))
    start = text.index("Hillary Clinton")
    extraction.mentions.append(
        ActorMention(start, start + 15, "Hillary Clinton", "person", "Hillary Clinton")
    )
    extraction.events[0].actor.append(
        EventActor("Hillary Clinton", "Hillary Clinton", "USA", "GOV")
    )
    assert identity_flags(document, extraction) == []


def test_spellings_without_diacritics_are_one_name() -> None:
    document, extraction = _people_at_one_meeting(
        ("Đorđe Petrović met the delegation in Belgrade.", "Đorđe Petrović"),
        ("Djordje Petrovic met the delegation in Belgrade.", "Djordje Petrovic"),
    )
    assert identity_flags(document, extraction) == []


def test_one_name_two_offices_at_one_meeting_is_a_warning() -> None:
    document, extraction = _people_at_one_meeting(
        ("Minister of Defence Arben Dervishaj met the delegation.", "Arben Dervishaj"),
        ("Prime Minister Arben Dervishaj said the talks went well.", "Arben Dervishaj"),
    )
    first, second = extraction.mentions
    first.role_text, first.role_office = "Minister of Defence", "XKX:minister_defence"
    second.role_text, second.role_office = "Prime Minister", "XKX:prime_minister"
    [flag] = identity_flags(document, extraction)
    assert flag.severity == "warning"
    assert [c["office"] for c in flag.details["claims"]] == [
        "XKX:minister_defence",
        "XKX:prime_minister",
    ]
    second.role_text = "former Prime Minister"  # a past office is no claim about now
    assert identity_flags(document, extraction) == []


def test_a_paragraph_repeated_in_two_sections_is_templated() -> None:
    paragraph = (
        "The partnership with the United States remains the cornerstone of the security "
        "of the region and of its lasting peace."
    )
    text = f"Headline of the story\n{paragraph}\nA second section\nOther words.\n{paragraph}"
    [flag] = template_flags(_document(text))
    [repeat] = flag.details["repeated_lines"]
    assert repeat["lines"] == [2, 5]
    assert template_flags(_document(f"Headline\n{paragraph}\nOther words.")) == []
