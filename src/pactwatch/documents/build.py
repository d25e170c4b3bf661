"""The documents stage: one ``RawItem`` in, one ``Document`` (or ``Dropped``) out.

Steps: HTML -> article text (``html.extract_html``); page metadata fills only what the
item lacks (front matter or feed values win); ``normalize_text``; ``remove_stray_lines``;
publication date (the item's date, then the page's, then the dateline); id = SHA-256 of
the final text. The title line stays in the text: later stages read it as the headline.

Line numbers in ``Document.removed`` and ``Document.repairs`` are 1-based lines of the
text before cleaning (the file, or the article text extracted from the page).

Drop reasons: ``no_article_text``, ``too_long``, ``empty_text``, ``unsupported_content_type``.
Duplicate detection is not done here: it needs the index of documents already stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pactwatch.documents.dates import DateSource, find_text_date, parse_metadata_date
from pactwatch.documents.dedup import text_id
from pactwatch.documents.html import extract_html
from pactwatch.documents.normalize import normalize_text
from pactwatch.documents.stray import remove_stray_lines
from pactwatch.models import Document, Dropped, RawItem, RemovedText
from pactwatch.settings import Settings

MAX_TEXT_CHARS = 2_000_000
"""Longer texts are not news articles (a dump, a book, a runaway page) and are dropped."""


def build_document(
    item: RawItem, *, settings: Settings, fetched_at: datetime
) -> Document | Dropped:
    """Clean ``item`` into a ``Document``, or say in a ``Dropped`` why it cannot be one."""
    title, author, outlet = item.title, item.author, item.outlet
    page_date: str | None = None
    if item.content_type == "html":
        page = extract_html(item.content, item.url)
        if page is None:
            return Dropped(item.origin, "no_article_text", "no article text found in the HTML page")
        text = page.text
        title, author, outlet = title or page.title, author or page.author, outlet or page.sitename
        page_date = page.date
    elif item.content_type == "text":
        text = item.content
    else:
        return Dropped(
            item.origin,
            "unsupported_content_type",
            f"content type {item.content_type!r} is neither 'text' nor 'html'",
        )

    if len(text) > MAX_TEXT_CHARS:
        return Dropped(
            item.origin,
            "too_long",
            f"text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit for one article",
        )

    normalized = normalize_text(text)
    stray = remove_stray_lines(normalized.text, title=title)
    final_text = stray.text.strip()
    if not final_text:
        return Dropped(item.origin, "empty_text", "no text left after cleaning")

    title = title or headline_from_text(final_text)
    published, date_source = _published(item.published, page_date, final_text, settings)
    return Document(
        id=text_id(final_text),
        text=final_text,
        origin=item.origin,
        fetched_at=fetched_at,
        source_kind=item.source_kind,
        url=item.url,
        outlet=outlet,
        title=title,
        author=author,
        published=published,
        date_source=date_source,
        removed=[_in_source_lines(r, normalized.source_lines) for r in stray.removed],
        repairs=list(normalized.repairs),
        feed_url=item.feed_url,
    )


HEADLINE_SEARCH_LINES = 3
"""A plain-text article without metadata has its headline among its first lines."""


def headline_from_text(text: str) -> str | None:
    """The headline of a plain-text article: the first of its first few lines that reads
    like one (3 to 25 words, capitalised, no sentence-ending full stop), or None.

    Scraped text often opens with a stray lead paragraph before the headline (the seed
    article does), so a paragraph-like first line is skipped rather than taken as title.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines[:HEADLINE_SEARCH_LINES]:
        words = line.split()
        if (
            3 <= len(words) <= 25
            and len(line) <= 200
            and (line[0].isupper() or line[0].isdigit())
            and not line.endswith((".", ",", ";", ":"))
        ):
            return line
    return None


def _published(
    item_date: str | None, page_date: str | None, text: str, settings: Settings
) -> tuple[datetime | None, DateSource | None]:
    """The item's own date, else the page's metadata date, else the dateline."""
    for value in (item_date, page_date):
        published = parse_metadata_date(value, date_order=settings.date_order)
        if published is not None:
            return published, "metadata"
    published = find_text_date(text, date_order=settings.date_order)
    return (published, "text") if published is not None else (None, None)


def _in_source_lines(removed: RemovedText, source_lines: tuple[int, ...]) -> RemovedText:
    """Renumber a removal from the normalised text's lines to the input's lines."""
    if removed.line is None or not 1 <= removed.line <= len(source_lines):
        return removed
    return replace(removed, line=source_lines[removed.line - 1])
