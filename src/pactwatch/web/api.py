"""The REST API, ``/api/v1``: JSON for every dashboard view, from the same query functions.

Lists take the pages' filters as query parameters and answer ``{"items", "total",
"limit", "offset", "next"}`` (``next`` is the URL of the following page, or null).
Reading needs any logged-in role (session cookie or ``Authorization: Bearer <token>``);
posting a review needs an analyst, and with a session cookie the ``X-CSRF-Token``
header. The schema is served at ``/api/v1/openapi.json``; ``docs/api.md`` walks through it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from pactwatch.analysis import queries
from pactwatch.analysis.alerts import list_alerts
from pactwatch.analysis.queries import ReviewItem
from pactwatch.analysis.report import build_assessment
from pactwatch.errors import InputError, MalformedInput
from pactwatch.web.deps import User, csrf_form, get_engine, require_analyst, require_viewer
from pactwatch.web.params import (
    actor_filters,
    descending,
    document_filters,
    event_filters,
    next_link,
    page_params,
)
from pactwatch.web.reviews import UnknownEvent, add_review, reviews_for

# 422 by number: Starlette renamed the constant (UNPROCESSABLE_CONTENT).
UNPROCESSABLE = 422

router = APIRouter(prefix="/api/v1", tags=["pactwatch"])

Viewer = Annotated[User, Depends(require_viewer)]
Store = Annotated[Engine, Depends(get_engine)]
EventFilters = Annotated[queries.Filters, Depends(event_filters)]
PageParams = Annotated[queries.Page, Depends(page_params)]


class EventsList(queries.EventsPage):
    next: str | None = None


class ActorsList(queries.ActorsPage):
    next: str | None = None


class DocumentsList(queries.DocumentsPage):
    next: str | None = None


class ActorIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    country: str | None = Field(default=None, max_length=3)
    sector: str | None = Field(default=None, max_length=3)


class CorrectionIn(BaseModel):
    """What an analyst changes; fields left out keep the stored value."""

    event: str | None = Field(default=None, description="PLOVER event type, e.g. CONSULT")
    mode: str | None = None
    modality: Literal["factual", "future", "hypothetical", "negated"] | None = None
    areas: list[str] | None = Field(default=None, description="cooperation areas")
    actor: list[ActorIn] | None = None
    recipient: list[ActorIn] | None = None


class ReviewIn(BaseModel):
    verdict: Literal["confirm", "correct", "reject"]
    comment: str = Field(default="", max_length=4000)
    corrected: CorrectionIn | None = Field(
        default=None, description="required with verdict 'correct'"
    )


class AlertsList(BaseModel):
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next: str | None = None


def _not_found(what: str, key: object) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, f"there is no {what} {key}")


@router.get("/overview", response_model=queries.Overview)
def get_overview(
    user: Viewer,
    engine: Store,
    filters: EventFilters,
    bucket: Literal["week", "month"] | None = None,
) -> queries.Overview:
    """Activity per cooperation area over time, pair balance, top actors, latest events,
    open flags. Without dates: three years up to the latest event."""
    return queries.overview(engine, filters, bucket)


@router.get("/events", response_model=EventsList)
def list_events(
    request: Request,
    user: Viewer,
    engine: Store,
    filters: EventFilters,
    page: PageParams,
    sort: Literal["date", "type", "credibility", "area"] = "date",
    order: Literal["asc", "desc"] | None = None,
) -> EventsList:
    """Events matching the filters, one page in ``sort`` order, with the total."""
    down = descending(order, default=sort in ("date", "credibility"))
    result = queries.events_page(engine, filters, sort, down, page)
    return EventsList(**result.model_dump(), next=next_link(request, page, result.total))


@router.get("/events/{event_id}", response_model=queries.EventDetail)
def get_event(event_id: str, user: Viewer, engine: Store) -> queries.EventDetail:
    """An event with its evidence (the document's text cut into segments, the event's
    sentences marked), flags, credibility reasons, cluster and reviews."""
    detail = queries.event_detail(engine, event_id)
    if detail is None:
        raise _not_found("event", event_id)
    return detail


@router.get("/events/{event_id}/reviews", response_model=list[ReviewItem])
def list_reviews(event_id: str, user: Viewer, engine: Store) -> list[ReviewItem]:
    """Analysts' reviews of an event, oldest first (the last is the current verdict)."""
    return [ReviewItem(**r.as_json()) for r in reviews_for(engine, event_id)]


@router.post(
    "/events/{event_id}/reviews",
    response_model=ReviewItem,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(csrf_form)],
)
def post_review(
    event_id: str,
    review: ReviewIn,
    user: Annotated[User, Depends(require_analyst)],
    engine: Store,
) -> ReviewItem:
    """Confirm, correct or reject an event (analysts and admins). Stored with who and when."""
    corrected = review.corrected.model_dump(exclude_none=True) if review.corrected else None
    try:
        stored = add_review(
            engine, event_id, review.verdict, user.username, review.comment, corrected
        )
    except UnknownEvent:
        raise _not_found("event", event_id) from None
    except MalformedInput as error:
        raise HTTPException(UNPROCESSABLE, str(error)) from None
    return ReviewItem(**stored.as_json())


@router.get("/actors", response_model=ActorsList)
def list_actors(
    request: Request,
    user: Viewer,
    engine: Store,
    page: PageParams,
    where: Annotated[queries.ActorFilters, Depends(actor_filters)],
    sort: Literal["name", "events"] = "name",
) -> ActorsList:
    """Actors by name (or by number of events), filtered by kind, country and name."""
    result = queries.actors_page(engine, where, sort, page)
    return ActorsList(**result.model_dump(), next=next_link(request, page, result.total))


@router.get("/actors/{actor_id}", response_model=queries.ActorProfile)
def get_actor(actor_id: int, user: Viewer, engine: Store) -> queries.ActorProfile:
    """Roles over time (stated and reference), counterparts, events per month."""
    profile = queries.actor_profile(engine, actor_id)
    if profile is None:
        raise _not_found("actor", actor_id)
    return profile


@router.get("/actors/{actor}/events", response_model=EventsList)
def actor_events(
    request: Request,
    actor: int,
    user: Viewer,
    engine: Store,
    filters: EventFilters,
    page: PageParams,
) -> EventsList:
    """The actor's event timeline, newest first (the events filters apply too)."""
    mine = queries.Filters(**{**_fields(filters), "actor_id": actor})
    result = queries.events_page(engine, mine, "date", True, page)
    return EventsList(**result.model_dump(), next=next_link(request, page, result.total))


def _fields(filters: queries.Filters) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in filters.__dataclass_fields__}


@router.get("/network", response_model=queries.ActorNetwork)
def get_network(
    user: Viewer,
    engine: Store,
    filters: EventFilters,
    edges: Annotated[int, "strongest links kept"] = 60,
) -> queries.ActorNetwork:
    """Who appears with whom: the strongest actor pairs by shared events, and their actors.
    Without dates: three years up to the latest event."""
    if not 1 <= edges <= queries.MAX_LIMIT:
        raise HTTPException(UNPROCESSABLE, "edges is 1 to 200")
    return queries.actor_network(engine, queries.default_window(engine, filters), edges)


@router.get("/documents", response_model=DocumentsList)
def list_documents(
    request: Request,
    user: Viewer,
    engine: Store,
    page: PageParams,
    where: Annotated[queries.DocumentFilters, Depends(document_filters)],
    sort: Literal["published", "credibility", "title", "outlet"] = "published",
    order: Literal["asc", "desc"] | None = None,
) -> DocumentsList:
    """Documents with their event counts, filtered by date, outlet, status, title."""
    down = descending(order, default=sort in ("published", "credibility"))
    result = queries.documents_page(engine, where, sort, down, page)
    return DocumentsList(**result.model_dump(), next=next_link(request, page, result.total))


@router.get("/documents/{document_id}", response_model=queries.DocumentDetail)
def get_document(document_id: str, user: Viewer, engine: Store) -> queries.DocumentDetail:
    """A document's text with mentions marked and removed lines put back (greyed),
    its events, flags, copies and other sources of its story."""
    detail = queries.document_detail(engine, document_id)
    if detail is None:
        raise _not_found("document", document_id)
    return detail


@router.get("/alerts", response_model=AlertsList)
def get_alerts(request: Request, user: Viewer, engine: Store, page: PageParams) -> AlertsList:
    """Alerts that fired, newest first."""
    found, total = list_alerts(engine, page.limit, page.offset)
    return AlertsList(
        items=[a.as_json() for a in found],
        total=total,
        limit=page.limit,
        offset=page.offset,
        next=next_link(request, page, total),
    )


@router.get("/assessments/{period}")
def get_assessment(period: str, user: Viewer, engine: Store) -> Any:
    """The assessment of a period (2025-Q1, 2025-03 or 2025) as JSON."""
    try:
        assessment = build_assessment(engine, period)
    except (InputError, ValueError) as error:
        raise HTTPException(UNPROCESSABLE, str(error)) from None
    return jsonable_encoder(assessment)
