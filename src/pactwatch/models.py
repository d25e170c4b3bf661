"""Records that flow between pipeline stages (see ARCHITECTURE.md, "Contracts").

Stages pass these plain, immutable-where-possible dataclasses; none of them holds a
database handle, so the compute stages can run in any process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ContentType = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class RawItem:
    """One piece of input as a source found it, before cleaning.

    ``origin`` names where it came from (a file path, ``file.jsonl:12`` or a URL) and
    is what error messages and duplicate links show. ``published`` is the date text as
    the source gave it; the documents stage parses it.
    """

    origin: str
    content: str
    content_type: ContentType
    source_kind: Literal["file", "url", "feed"] = "file"
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    external_id: str | None = None
    feed_url: str | None = None


@dataclass(frozen=True, slots=True)
class Dropped:
    """An input item that could not be used: counted by ``reason``, explained by ``detail``."""

    origin: str
    reason: str
    detail: str

    def line(self) -> str:
        """The one line a user sees for this item."""
        return f"{self.origin}: {self.detail}"


@dataclass(frozen=True, slots=True)
class RemovedText:
    """Text that cleaning took out of a document, kept with the reason so nothing is lost."""

    text: str
    reason: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class TextRepair:
    """A spacing repair made during normalisation (``U.S.is`` -> ``U.S. is``)."""

    before: str
    after: str
    line: int | None = None


@dataclass(slots=True)
class Document:
    """A cleaned news document, the unit every later stage reads.

    ``id`` is a stable hash of the normalised text, so the same story read twice has
    the same id. ``published`` is timezone-aware or None; ``date_source`` says where
    the date came from (``metadata``, ``text``) and None marks the document undated.
    """

    id: str
    text: str
    origin: str
    fetched_at: datetime
    source_kind: str = "file"
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    date_source: str | None = None
    language: str = "en"
    removed: list[RemovedText] = field(default_factory=list)
    repairs: list[TextRepair] = field(default_factory=list)
    duplicate_of: str | None = None
    feed_url: str | None = None

    @property
    def undated(self) -> bool:
        return self.published is None
