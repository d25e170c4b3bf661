"""HTML page -> article text and page metadata, with trafilatura.

trafilatura is tuned for precision here: navigation, footers, cookie banners, comments
and "related stories" lists are left out even if a little article text goes with them.
Each paragraph (and heading, list item, table row) of the article is one line.

The date is read only from the page's metadata (``<meta>``, JSON-LD, ``<time>``):
trafilatura's "extensive" date search also scans the body and would take the date of an
event the article reports as its publication date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

_DATE_EXTRACTION_PARAMS: dict[str, Any] = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    """What trafilatura found in a page. ``date`` is the raw date string, unparsed."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    sitename: str | None = None


def extract_html(html: str, url: str | None = None) -> ExtractedPage | None:
    """The article of an HTML page, or None when the page has no article text.

    Never raises for bad markup: broken or truncated HTML gives whatever article text
    can be recovered, or None. ``url`` helps trafilatura with relative links and the
    site name; it is never fetched.
    """
    if not html.strip():
        return None
    # Imported here, not with the module: it takes about 0.2 s, and commands reading
    # text or JSON Lines (``pactwatch extract docs.jsonl``) never parse HTML.
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=True,
            date_extraction_params=_DATE_EXTRACTION_PARAMS,
        )
    # trafilatura handles malformed markup itself; anything still escaping it is a
    # library bug on one page, and one page must not stop a run.
    except Exception:
        logger.warning("trafilatura failed on %s", url or "a page", exc_info=True)
        return None
    if extracted is None:
        return None

    text = _clean(getattr(extracted, "text", None))
    if text is None:
        return None
    return ExtractedPage(
        text=text,
        title=_clean(getattr(extracted, "title", None)),
        author=_clean(getattr(extracted, "author", None)),
        date=_clean(getattr(extracted, "date", None)),
        sitename=_clean(getattr(extracted, "sitename", None)),
    )


def _clean(value: object) -> str | None:
    """A stripped non-empty string, or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None
