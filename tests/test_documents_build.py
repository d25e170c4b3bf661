"""The documents stage end to end: RawItem -> Document or Dropped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import shared_file
from pactwatch.documents.build import MAX_TEXT_CHARS, build_document
from pactwatch.documents.dedup import text_id
from pactwatch.models import Document, Dropped, RawItem, RemovedText, TextRepair
from pactwatch.settings import Settings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_ARTICLE = SHARED / "corpus" / "seed-article.txt"
SEED_GOLD = SHARED / "gold" / "seed-article.gold.json"
HTML_PAGE = Path(__file__).parent / "data" / "html" / "article-with-boilerplate.html"
FETCHED_AT = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SETTINGS = Settings(date_order="DMY")
WAPO = "Opinion | Trump just dealt Russia a devastating blow – The Washington Post"


def build(item: RawItem) -> Document | Dropped:
    return build_document(item, settings=SETTINGS, fetched_at=FETCHED_AT)


def built(item: RawItem) -> Document:
    result = build(item)
    assert isinstance(result, Document), result
    return result


def text_item(content: str, **fields: Any) -> RawItem:
    fields.setdefault("origin", "test.txt")
    return RawItem(content=content, content_type="text", **fields)


def html_item(**fields: Any) -> RawItem:
    return RawItem(
        origin="https://balkanwire.example/2024/03/12/kfor-ksf-exercise",
        content=HTML_PAGE.read_text(encoding="utf-8"),
        content_type="html",
        source_kind="url",
        url="https://balkanwire.example/2024/03/12/kfor-ksf-exercise",
        **fields,
    )


@pytest.fixture(scope="module")
def seed() -> tuple[str, dict[str, Any]]:
    if not SEED_ARTICLE.exists() or not SEED_GOLD.exists():
        pytest.skip(f"seed article or gold not found under {SHARED} (the shared folder)")
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    return SEED_ARTICLE.read_text(encoding="utf-8"), gold


@pytest.mark.parametrize("with_title", [False, True])
def test_seed_article_loses_only_its_stray_headline(
    seed: tuple[str, dict[str, Any]], with_title: bool
) -> None:
    raw, gold = seed
    title = gold["title"] if with_title else None
    document = built(text_item(raw, origin="seed-article.txt", title=title))
    expected = [RemovedText(text=s["text"], reason="stray_headline", line=s["line"])
                for s in gold["stray_lines"]]  # fmt: skip
    assert document.removed == expected
    assert document.removed[0].line == 50
    raw_lines = raw.split("\n")
    assert len(document.text.split("\n")) == len(raw_lines) - 1
    assert document.text.split("\n")[-1] == raw_lines[48]
    assert WAPO not in document.text


def test_seed_article_spacing_repairs(seed: tuple[str, dict[str, Any]]) -> None:
    raw, gold = seed
    document = built(text_item(raw))
    raw_lines = raw.split("\n")
    # The line of each repair is where its text is in the file. (The gold file says 12
    # for "U.S.is", which is on line 11; line 12 has "U.S. involvement".)
    expected = [
        TextRepair(
            before=r["from"],
            after=r["to"],
            line=next(i for i, line in enumerate(raw_lines, 1) if r["from"] in line),
        )
        for r in gold["text_repairs"]
    ]
    assert document.repairs == sorted(expected, key=lambda r: r.line or 0)
    assert [r.line for r in document.repairs] == [11, 42]
    assert "U.S. is enhancing" in document.text
    assert "Balkans. Through collaborative projects" in document.text
    assert "U.S.-led training programs" in document.text


def test_seed_article_is_undated_and_keeps_its_headings(seed: tuple[str, dict[str, Any]]) -> None:
    raw, gold = seed
    document = built(text_item(raw))
    assert gold["published"] is None
    assert document.published is None
    assert document.date_source is None
    assert document.undated
    lines = document.text.split("\n")
    for number in gold["section_heading_lines"]:
        assert lines[number - 1] == raw.split("\n")[number - 1]
    assert document.id == text_id(document.text)
    assert document.origin == "test.txt"
    assert document.fetched_at == FETCHED_AT


def test_html_page_builds_with_page_metadata() -> None:
    document = built(html_item())
    assert document.title == "KFOR and Kosovo Security Force hold joint exercise near Pristina"
    assert document.author == "Arta Krasniqi"
    assert document.outlet == "Balkan Wire"
    assert document.published == datetime(2024, 3, 12, tzinfo=UTC)
    assert document.date_source == "metadata"
    assert document.source_kind == "url"
    assert document.url == "https://balkanwire.example/2024/03/12/kfor-ksf-exercise"
    # The title line stays: later stages read it as the headline.
    assert document.text.split("\n")[0] == document.title
    assert "cookies" not in document.text
    assert document.removed == []


def test_item_metadata_wins_over_the_page() -> None:
    document = built(
        html_item(
            title="KFOR and KSF train together",
            author="Desk",
            outlet="Wire Feed",
            published="Wed, 13 Mar 2024 07:00:00 +0000",
        )
    )
    assert (document.title, document.author, document.outlet) == (
        "KFOR and KSF train together",
        "Desk",
        "Wire Feed",
    )
    assert document.published == datetime(2024, 3, 13, 7, 0, tzinfo=UTC)
    assert document.date_source == "metadata"


def test_unparseable_item_date_falls_back_to_the_page_date() -> None:
    document = built(html_item(published="last Tuesday"))
    assert document.published == datetime(2024, 3, 12, tzinfo=UTC)
    assert document.date_source == "metadata"


def test_text_without_metadata_takes_the_dateline_date() -> None:
    document = built(text_item("PRISTINA, May 30, 2023 (BWS) - Soldiers trained near Pristina."))
    assert document.published == datetime(2023, 5, 30, tzinfo=UTC)
    assert document.date_source == "text"


def test_removed_lines_are_numbered_in_the_input_text() -> None:
    raw = "First paragraph.\r\n\r\n\r\n\r\nSecond paragraph.\r\nAdvertisement\r\n" + WAPO
    document = built(text_item(raw))
    assert document.text == "First paragraph.\n\nSecond paragraph."
    assert document.removed == [
        RemovedText(text="Advertisement", reason="boilerplate", line=6),
        RemovedText(text=WAPO, reason="stray_headline", line=7),
    ]


def test_same_text_gives_the_same_id() -> None:
    first = built(text_item("Kosovo and NATO met.\n\nThey agreed."))
    second = built(text_item("  Kosovo  and NATO met.\r\n\r\n\r\nThey agreed.  ", origin="b.txt"))
    assert first.id == second.id == text_id("Kosovo and NATO met.\n\nThey agreed.")


NAV_ONLY_PAGE = (
    "<html><body><nav><a href='/'>Home</a><a href='/politics'>Politics</a></nav>"
    "<footer>© 2024 Balkan Wire. All rights reserved.</footer></body></html>"
)


@pytest.mark.parametrize("content", ["", NAV_ONLY_PAGE, "<html><body><div></p></html"])
def test_page_without_article_text_is_dropped(content: str) -> None:
    item = RawItem(origin="page.html", content=content, content_type="html")
    assert build(item) == Dropped(
        "page.html", "no_article_text", "no article text found in the HTML page"
    )


@pytest.mark.parametrize(
    "content", ["", " \n\t\n", "\u200b\u200b", "Advertisement\nShare this article"]
)
def test_text_empty_after_cleaning_is_dropped(content: str) -> None:
    result = build(text_item(content))
    assert isinstance(result, Dropped)
    assert (result.origin, result.reason) == ("test.txt", "empty_text")


def test_enormous_text_is_dropped() -> None:
    result = build(text_item("word " * (MAX_TEXT_CHARS // 5 + 1)))
    assert isinstance(result, Dropped)
    assert result.reason == "too_long"
    assert "2,000,000" in result.detail


def test_plain_text_without_metadata_takes_its_headline_from_the_text() -> None:
    from pactwatch.documents.build import headline_from_text

    seed = shared_file("corpus/seed-article.txt").read_text(encoding="utf-8")
    gold = json.loads(shared_file("gold/seed-article.gold.json").read_text(encoding="utf-8"))
    assert headline_from_text(seed) == gold["title"]
    assert headline_from_text("Police said on Monday that all was calm.\nMore text.") is None
    assert headline_from_text("In north Kosovo, an uneasy calm rests on bridges\n\nBody.") == (
        "In north Kosovo, an uneasy calm rests on bridges"
    )
