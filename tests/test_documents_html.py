"""HTML to article text: boilerplate left out, metadata kept, broken markup survived."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactwatch.documents.html import ExtractedPage, extract_html

HTML_DIR = Path(__file__).parent / "data" / "html"
PAGE = (HTML_DIR / "article-with-boilerplate.html").read_text(encoding="utf-8")
URL = "https://balkanwire.example/2024/03/12/kfor-ksf-exercise"


def test_article_text_and_metadata_are_extracted() -> None:
    page = extract_html(PAGE, URL)
    assert isinstance(page, ExtractedPage)
    assert page.title == "KFOR and Kosovo Security Force hold joint exercise near Pristina"
    assert page.author == "Arta Krasniqi"
    assert page.date == "2024-03-12"
    assert page.sitename == "Balkan Wire"
    lines = page.text.split("\n")
    assert lines[1].startswith("PRISTINA, March 12, 2024 (Balkan Wire) - Soldiers of the NATO-led")
    assert lines[-1] == (
        "KFOR has been deployed in Kosovo since June 1999 under a United Nations Security "
        "Council mandate. It currently numbers about 4,500 troops contributed by 27 countries."
    )
    assert "About 400 troops from eleven countries took part." in page.text


def test_paragraphs_are_lines() -> None:
    page = extract_html(PAGE, URL)
    assert page is not None
    assert len(page.text.split("\n")) == 5  # headline + four paragraphs


@pytest.mark.parametrize(
    "boilerplate",
    ["cookie", "Subscribe", "Related stories", "EULEX", "All rights reserved", "Follow us",
     "Share this", "Politics", "Home"],
)  # fmt: skip
def test_page_furniture_is_left_out(boilerplate: str) -> None:
    page = extract_html(PAGE, URL)
    assert page is not None
    assert boilerplate.casefold() not in page.text.casefold()


def test_date_is_not_taken_from_the_body() -> None:
    body = "KFOR has been deployed in Kosovo since June 1999 under a mandate. " * 3
    body += "On 24 September 2023 the attack in Banjska killed a police officer. " * 3
    html = f"<html><head><title>KFOR</title></head><body><article><p>{body}</p></article></html>"
    page = extract_html(html, None)
    assert page is not None
    assert page.date is None
    assert page.title == "KFOR"


def test_unclosed_tags_still_give_the_text() -> None:
    html = (
        "<html><body><article><p>Kosovo police said on Monday that two men were detained "
        "near the border <b>after an exchange of fire<p>NATO called for calm and restraint "
        "from all sides in the north of Kosovo.</article"
    )
    page = extract_html(html, None)
    assert page is not None
    assert page.text == (
        "Kosovo police said on Monday that two men were detained near the border after an "
        "exchange of fire\n"
        "NATO called for calm and restraint from all sides in the north of Kosovo."
    )
    assert (page.title, page.author, page.date, page.sitename) == (None, None, None, None)


def test_truncated_page_keeps_what_arrived() -> None:
    page = extract_html(PAGE[: PAGE.index("About 400 troops")], URL)
    assert page is not None
    assert page.title == "KFOR and Kosovo Security Force hold joint exercise near Pristina"
    assert "PRISTINA, March 12, 2024" in page.text
    assert "About 400" not in page.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "\x00\x01\x02\ufffd<<<>>>&&&",
        "<!-- only a comment -->",
        "<html><script>var a = 1;</script></html>",
        "<html><body><nav><a href='/'>Home</a><a href='/x'>Politics</a></nav>"
        "<footer>© 2024 Balkan Wire. All rights reserved.</footer></body></html>",
        "<html><body><div><p><b><i></div></div></div></p></html></html>",
        "<" * 5000,
    ],
)
def test_pages_without_article_text_give_none(html: str) -> None:
    assert extract_html(html, None) is None
