"""Query-string parameters shared by the pages and the API: filters, sort order, paging.

HTML forms send empty fields as empty strings, so every filter is read as text and an
empty one means "not set"; a malformed value is a 422 naming the parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import HTTPException, Query, Request

from pactwatch.analysis.queries import (
    MAX_LIMIT,
    ActorFilters,
    DocumentFilters,
    Filters,
    Page,
    parse_pair,
)

# 422 by number: Starlette renamed the constant (UNPROCESSABLE_CONTENT).
UNPROCESSABLE = 422

Text = Annotated[str | None, Query()]


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _bad(name: str, value: str, expected: str) -> HTTPException:
    return HTTPException(UNPROCESSABLE, f"{name}: {value!r} is not {expected}")


def as_date(name: str, value: str | None) -> date | None:
    value = _clean(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(name, value, "a date (YYYY-MM-DD)") from None


def as_float(name: str, value: str | None) -> float | None:
    value = _clean(value)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise _bad(name, value, "a number") from None


def as_int(name: str, value: str | None) -> int | None:
    value = _clean(value)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise _bad(name, value, "a whole number") from None


def event_filters(
    date_from: Text = None,
    date_to: Text = None,
    region: Text = None,
    country: Text = None,
    pair: Annotated[str | None, Query(description="two ISO3 codes: XKX-SRB")] = None,
    area: Text = None,
    event_type: Text = None,
    modality: Text = None,
    min_credibility: Text = None,
    max_credibility: Text = None,
    actor_id: Text = None,
    q: Annotated[str | None, Query(description="words in the event's sentence")] = None,
) -> Filters:
    """The event filters of a request (every one optional)."""
    try:
        pair_codes = parse_pair(_clean(pair))
    except ValueError as error:
        raise HTTPException(UNPROCESSABLE, f"pair: {error}") from None
    return Filters(
        date_from=as_date("date_from", date_from),
        date_to=as_date("date_to", date_to),
        region=_clean(region),
        country=(_clean(country) or "").upper() or None,
        pair=pair_codes,
        area=_clean(area),
        event_type=(_clean(event_type) or "").upper() or None,
        modality=_clean(modality),
        min_credibility=as_float("min_credibility", min_credibility),
        max_credibility=as_float("max_credibility", max_credibility),
        actor_id=as_int("actor_id", actor_id),
        text=_clean(q),
    )


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    return Page(limit=limit, offset=offset)


def actor_filters(kind: Text = None, country: Text = None, name: Text = None) -> ActorFilters:
    return ActorFilters(
        kind=_clean(kind), country=(_clean(country) or "").upper() or None, name=_clean(name)
    )


def document_filters(
    date_from: Text = None,
    date_to: Text = None,
    outlet: Text = None,
    status: Text = None,
    q: Annotated[str | None, Query(description="words in the title")] = None,
    min_credibility: Text = None,
    max_credibility: Text = None,
) -> DocumentFilters:
    return DocumentFilters(
        date_from=as_date("date_from", date_from),
        date_to=as_date("date_to", date_to),
        outlet=_clean(outlet),
        status=_clean(status),
        text=_clean(q),
        min_credibility=as_float("min_credibility", min_credibility),
        max_credibility=as_float("max_credibility", max_credibility),
    )


def descending(order: str | None, default: bool = True) -> bool:
    if not order:
        return default
    if order not in ("asc", "desc"):
        raise _bad("order", order, "asc or desc")
    return order == "desc"


def with_query(request: Request, changes: Mapping[str, object]) -> str:
    """This request's path and query with ``changes`` applied (None or "" removes a key)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def next_link(request: Request, page: Page, total: int) -> str | None:
    """The URL of the next page, or None on the last one."""
    if page.offset + page.limit >= total:
        return None
    return with_query(request, {"offset": page.offset + page.limit, "limit": page.limit})
