"""Where a document comes from: stray text, a missing date, a missing byline.

These checks read only the ``Document`` the documents stage built, never the text's
meaning, so they are cheap and exact:

- ``stray_text`` (info): cleaning removed lines that came from other pages (a related
  headline, site furniture). The lines are gone from ``document.text``, so the evidence
  quotes each one with its reason and its 1-based line of the text *before* cleaning (the
  file, or the article text of the page): that is where an analyst finds it. One flag per
  document, listing every removed line, because the lines share one cause (the scrape).
- ``undated`` (warning): no publication date in the metadata or the text. Everything
  dated relative to the article ("on Tuesday") stays unresolved, and checks against
  reference data fall back to the date the document was ingested; the explanation says so.
- ``no_byline`` (info): neither an author nor an outlet, so nobody stands behind the story.
  One of the two is enough: wire copy often has an outlet and no author.
"""

from __future__ import annotations

from pactwatch.models import Document
from pactwatch.verify.flags import Evidence, Flag

_REASON_WORDS = {
    "stray_headline": "a headline of another article",
    "boilerplate": "site furniture (share, subscribe, cookie or copyright line)",
}


def provenance_flags(document: Document) -> list[Flag]:
    """The stray_text, undated and no_byline flags of ``document`` (each at most once)."""
    flags: list[Flag] = []
    stray = stray_text_flag(document)
    if stray is not None:
        flags.append(stray)
    if document.published is None:
        flags.append(undated_flag(document))
    if not (document.author or "").strip() and not (document.outlet or "").strip():
        flags.append(
            Flag(
                "no_byline",
                "info",
                "No author or outlet is named: nobody stands behind this story.",
                [Evidence("document", document.origin, document_id=document.id)],
                document_id=document.id,
                details={"author": document.author, "outlet": document.outlet},
            )
        )
    return flags


def stray_text_flag(document: Document) -> Flag | None:
    """One flag listing every line cleaning removed, with reasons and source lines."""
    if not document.removed:
        return None
    removed = [
        {"line": r.line, "text": r.text, "reason": r.reason, "why": _why(r.reason)}
        for r in document.removed
    ]
    where = ", ".join(f"line {r.line}" if r.line else "a line" for r in document.removed)
    count = len(removed)
    noun = "line" if count == 1 else "lines"
    first = document.removed[0]
    example = first.text if len(first.text) <= 80 else first.text[:77] + "..."
    explanation = (
        f"{count} stray {noun} from other pages removed ({where}), e.g. "
        f"{example!r}: {_why(first.reason)}."
    )
    return Flag(
        "stray_text",
        "info",
        " ".join(explanation.split()),
        [
            Evidence("document", r.text, line=r.line, document_id=document.id)
            for r in document.removed
        ],
        document_id=document.id,
        details={"removed": removed, "lines_are": "1-based lines of the text before cleaning"},
    )


def undated_flag(document: Document) -> Flag:
    """The undated flag: says that date checks fall back to the ingestion date."""
    ingested = document.fetched_at.date().isoformat()
    return Flag(
        "undated",
        "warning",
        (
            "No publication date in the metadata or the text: dates such as 'on Tuesday' "
            "stay unresolved, and checks that need the article's date fall back to the "
            f"ingestion date ({ingested})."
        ),
        [Evidence("document", document.origin, document_id=document.id)],
        document_id=document.id,
        details={"date_basis": "ingested", "ingested_on": ingested},
    )


def _why(reason: str) -> str:
    return _REASON_WORDS.get(reason, reason.replace("_", " "))
