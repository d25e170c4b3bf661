"""Stores for the analysis tests, built row by row (no NLP), the same on SQLite and PostgreSQL.

``add_event`` writes one document and one event with exactly the fields the indicators
read, so each test states its data in a line and its expectations by hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, insert

from pactwatch.store.schema import documents, events, office_claims

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)

# PLOVER type -> (quad class, score), as in knowledge/data/event_lexicon.yaml
TYPES = {
    "CONSULT": (1, 2.5),
    "AGREE": (1, 2.5),
    "COOPERATE": (2, 9.5),
    "AID": (2, 10.0),
    "ACCUSE": (3, -3.0),
    "ASSAULT": (4, -9.0),
    "PROTEST": (4, -5.0),
}


def party(name: str, country: str | None) -> dict[str, Any]:
    return {"raw_text": name, "entity_name": name, "country": country, "sector": "GOV"}


def add_document(
    engine: Engine,
    *,
    published: date | None = None,
    status: str = "processed",
    outlet: str = "Balkan Wire Service",
    title: str | None = None,
    credibility: float | None = 0.8,
) -> str:
    n = next(_ids)
    doc_id = f"{n:064x}"
    text = f"Document {n}."
    with engine.begin() as conn:
        conn.execute(
            insert(documents).values(
                id=doc_id,
                origin=f"https://news.example/{n}",
                url=f"https://news.example/{n}",
                outlet=outlet,
                title=title or f"Story {n}",
                published=datetime.combine(published, datetime.min.time(), UTC)
                if published
                else None,
                text=text,
                text_chars=len(text),
                status=status,
                credibility=credibility,
                fetched_at=T0,
                ingested_at=T0,
            )
        )
    return doc_id


def add_event(
    engine: Engine,
    day: date | None,
    event: str = "CONSULT",
    *,
    areas: list[str] | None = None,
    actors: Sequence[tuple[str, str | None]] = (("Kosovo", "XKX"),),
    recipients: Sequence[tuple[str, str | None]] = (("Serbia", "SRB"),),
    credibility: float | None = 1.0,
    modality: str = "factual",
    document: str | None = None,
    published: date | None = None,
    cluster: str | None = None,
    text: str | None = None,
    status: str = "processed",
) -> str:
    """One event (in a document of its own unless ``document`` is given); returns its id."""
    doc_id = document or add_document(engine, published=published or day, status=status)
    quad, score = TYPES[event]
    event_id = f"ev{next(_ids):06d}"
    with engine.begin() as conn:
        conn.execute(
            insert(events).values(
                id=event_id,
                document_id=doc_id,
                cluster_id=cluster,
                event=event,
                quad_code=quad,
                plover_score=score,
                areas=areas or [],
                actor=[party(n, c) for n, c in actors],
                recipient=[party(n, c) for n, c in recipients],
                date=day,
                modality=modality,
                credibility=credibility,
                event_text=text or f"{event} on {day}",
                created_at=T0,
            )
        )
    return event_id


def add_office_claim(
    engine: Engine,
    person: str,
    role_text: str,
    office: str,
    on_date: date,
    *,
    verdict: str = "conflict",
    record: str = "Someone Else, since 2020-01-01",
    document: str | None = None,
) -> None:
    doc_id = document or add_document(engine, published=on_date, title=f"{person} story")
    with engine.begin() as conn:
        conn.execute(
            insert(office_claims).values(
                document_id=doc_id,
                start=0,
                end=len(person),
                person=person,
                role_text=role_text,
                office=office,
                on_date=on_date,
                date_basis="published",
                verdict=verdict,
                record=record,
            )
        )
