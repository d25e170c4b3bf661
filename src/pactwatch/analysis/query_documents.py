"""Queries for the document views: the filtered list, and one document's text with its
mentions marked and removed lines put back, its events, flags, copies and other sources.
``queries`` re-exports everything here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, desc, func, or_, select

from pactwatch.analysis.query_entities import Segment, Span, segments
from pactwatch.analysis.query_sql import Page, like_pattern
from pactwatch.store.schema import (
    documents,
    duplicates,
    events,
    flags,
    mentions,
    removed_text,
)

# --- documents ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentFilters:
    date_from: date | None = None
    date_to: date | None = None
    outlet: str | None = None
    status: str | None = None
    text: str | None = None  # in the title
    min_credibility: float | None = None
    max_credibility: float | None = None


class DocumentRow(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    origin: str
    published: datetime | None
    status: str
    credibility: float | None
    tlp: str
    events: int


class DocumentsPage(BaseModel):
    items: list[DocumentRow]
    total: int
    limit: int
    offset: int


DOCUMENT_SORTS = ("published", "credibility", "title", "outlet")


def documents_page(
    engine: Engine,
    where: DocumentFilters,
    sort: str = "published",
    descending: bool = True,
    page: Page | None = None,
) -> DocumentsPage:
    """Documents matching ``where``, a page of them with their event counts. Two queries."""
    from datetime import UTC, time, timedelta

    page = page or Page()
    if sort not in DOCUMENT_SORTS:
        raise ValueError(f"sort by one of {', '.join(DOCUMENT_SORTS)}, not {sort!r}")
    query = select(documents.c.id)
    if where.date_from:
        query = query.where(
            documents.c.published >= datetime.combine(where.date_from, time.min, UTC)
        )
    if where.date_to:
        query = query.where(
            documents.c.published
            < datetime.combine(where.date_to + timedelta(days=1), time.min, UTC)
        )
    if where.outlet:
        query = query.where(documents.c.outlet.ilike(like_pattern(where.outlet), escape="\\"))
    if where.status:
        query = query.where(documents.c.status == where.status)
    if where.text:
        query = query.where(documents.c.title.ilike(like_pattern(where.text), escape="\\"))
    if where.min_credibility is not None:
        query = query.where(documents.c.credibility >= where.min_credibility)
    if where.max_credibility is not None:
        query = query.where(documents.c.credibility <= where.max_credibility)
    key = documents.c[sort]
    order = desc(key).nulls_last() if descending else key.nulls_last()
    count = (
        select(func.count())
        .where(events.c.document_id == documents.c.id)
        .scalar_subquery()
        .label("events")
    )
    rows_query = (
        select(
            documents.c.id,
            documents.c.title,
            documents.c.outlet,
            documents.c.url,
            documents.c.origin,
            documents.c.published,
            documents.c.status,
            documents.c.credibility,
            documents.c.tlp,
            count,
        )
        .where(documents.c.id.in_(query))
        .order_by(order, documents.c.id)
        .limit(page.limit)
        .offset(page.offset)
    )
    with engine.connect() as conn:
        total = int(conn.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = conn.execute(rows_query).all()
    return DocumentsPage(
        items=[
            DocumentRow(
                **{k: v for k, v in r._mapping.items() if k != "events"}, events=int(r.events)
            )
            for r in rows
        ],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


class RemovedLine(BaseModel):
    line: int | None
    reason: str
    text: str


class DuplicateItem(BaseModel):
    document_id: str  # the first copy stored
    copy_id: str | None
    kind: str
    similarity: float
    origin: str
    url: str | None
    outlet: str | None
    published: datetime | None


class RelatedDocument(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    shared_events: int


class DocumentEvent(BaseModel):
    id: str
    event: str
    date: date | None
    event_text: str | None
    credibility: float | None


class DocumentDetail(BaseModel):
    document: DocumentRow
    author: str | None
    language: str
    duplicate_of: str | None
    credibility_reasons: list[Any]
    areas: list[str]
    segments: list[Segment]
    removed: list[RemovedLine]
    events: list[DocumentEvent]
    flags: list[dict[str, Any]]
    duplicates: list[DuplicateItem]
    same_story: list[RelatedDocument]


def document_detail(engine: Engine, document_id: str) -> DocumentDetail | None:
    """A document's text with its actor mentions marked and removed lines put back
    greyed where they stood, its events, flags, copies and other sources of its story.
    Seven indexed queries; None for an unknown id."""
    with engine.connect() as conn:
        doc = conn.execute(select(documents).where(documents.c.id == document_id)).first()
        if doc is None:
            return None
        mention_rows = conn.execute(
            select(mentions).where(mentions.c.document_id == document_id).order_by(mentions.c.start)
        ).all()
        removed_rows = conn.execute(
            select(removed_text)
            .where(removed_text.c.document_id == document_id)
            .order_by(removed_text.c.line, removed_text.c.seq)
        ).all()
        event_rows = conn.execute(
            select(
                events.c.id,
                events.c.event,
                events.c.date,
                events.c.event_text,
                events.c.credibility,
            )
            .where(events.c.document_id == document_id)
            .order_by(events.c.id)
        ).all()
        flag_rows = conn.execute(
            select(flags).where(flags.c.document_id == document_id).order_by(flags.c.id)
        ).all()
        duplicate_rows = conn.execute(
            select(duplicates)
            .where(
                or_(duplicates.c.document_id == document_id, duplicates.c.copy_id == document_id)
            )
            .order_by(duplicates.c.similarity.desc(), duplicates.c.id)
        ).all()
        mine = events.alias("mine")
        other = events.alias("other")
        shared = func.count(func.distinct(other.c.cluster_id)).label("shared")
        related = conn.execute(
            select(
                documents.c.id, documents.c.title, documents.c.outlet, documents.c.published, shared
            )
            .select_from(
                mine.join(other, other.c.cluster_id == mine.c.cluster_id).join(
                    documents, documents.c.id == other.c.document_id
                )
            )
            .where(mine.c.document_id == document_id, other.c.document_id != document_id)
            .group_by(documents.c.id, documents.c.title, documents.c.outlet, documents.c.published)
            .order_by(desc(shared), documents.c.published)
            .limit(50)
        ).all()
    spans: list[Span] = [
        (m.start, m.end, "mention", m.role_text or m.kind, m.actor_id) for m in mention_rows
    ]
    return DocumentDetail(
        document=DocumentRow(
            id=doc.id,
            title=doc.title,
            outlet=doc.outlet,
            url=doc.url,
            origin=doc.origin,
            published=doc.published,
            status=doc.status,
            credibility=doc.credibility,
            tlp=doc.tlp,
            events=len(event_rows),
        ),
        author=doc.author,
        language=doc.language,
        duplicate_of=doc.duplicate_of,
        credibility_reasons=list(doc.credibility_reasons or []),
        areas=list(doc.areas or []),
        segments=segments(doc.text, spans, _removed_offsets(doc.text, removed_rows)),
        removed=[RemovedLine(line=r.line, reason=r.reason, text=r.text) for r in removed_rows],
        events=[
            DocumentEvent(
                id=e.id,
                event=e.event,
                date=e.date,
                event_text=e.event_text,
                credibility=e.credibility,
            )
            for e in event_rows
        ],
        flags=[
            {
                "id": f.id,
                "kind": f.kind,
                "severity": f.severity,
                "explanation": f.explanation,
                "event_id": f.event_id,
                "evidence": list(f.evidence or []),
                "resolved": f.resolved,
            }
            for f in flag_rows
        ],
        duplicates=[DuplicateItem.model_validate(dict(d._mapping)) for d in duplicate_rows],
        same_story=[
            RelatedDocument(
                id=r.id,
                title=r.title,
                outlet=r.outlet,
                published=r.published,
                shared_events=int(r.shared),
            )
            for r in related
        ],
    )


def _removed_offsets(text: str, removed: Sequence[Any]) -> list[tuple[int, str, str]]:
    """Where each removed line stood: its source line number counts kept and removed
    lines, so the kept line it preceded is ``line - 1 - (removed lines before it)``."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    placed = []
    for before, r in enumerate(removed):
        if r.line is None:
            placed.append((len(text), r.text, r.reason))
            continue
        kept_index = max(0, r.line - 1 - before)
        offset = starts[kept_index] if kept_index < len(starts) else len(text)
        placed.append((offset, r.text, r.reason))
    return placed
