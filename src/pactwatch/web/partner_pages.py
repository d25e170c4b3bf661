"""What partners shared with us, on the dashboard (``/partners``) and in the API
(``/api/v1/partner-objects``): kept apart from pactwatch's own findings and marked as
partner-supplied, with provenance and TLP."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from pactwatch.analysis import queries
from pactwatch.share.taxii.partner_queries import list_partner_objects
from pactwatch.web.deps import User, get_engine, require_viewer
from pactwatch.web.params import next_link, page_params, with_query
from pactwatch.web.templating import render

router = APIRouter()
Viewer = Annotated[User, Depends(require_viewer)]
Store = Annotated[Engine, Depends(get_engine)]
PageParams = Annotated[queries.Page, Depends(page_params)]


@router.get("/partners", response_class=HTMLResponse, include_in_schema=False)
def partner_objects_page(
    request: Request, user: Viewer, engine: Store, page: PageParams, type: str | None = None
) -> Response:
    found, total = list_partner_objects(
        engine, type_=type or None, limit=page.limit, offset=page.offset
    )
    context = {
        "objects": found,
        "total": total,
        "page": page,
        "type": type or "",
        "qs": lambda **changes: with_query(request, changes),
    }
    return render(request, "partners.html", context)


@router.get("/api/v1/partner-objects", tags=["pactwatch"])
def partner_objects_api(
    request: Request, user: Viewer, engine: Store, page: PageParams, type: str | None = None
) -> dict[str, Any]:
    """STIX objects imported from partners' TAXII collections, newest first."""
    found, total = list_partner_objects(
        engine, type_=type or None, limit=page.limit, offset=page.offset
    )
    return {
        "items": [o.as_json() for o in found],
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "next": next_link(request, page, total),
    }
