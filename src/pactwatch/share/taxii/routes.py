"""The TAXII 2.1 endpoints as one FastAPI router, mounted at ``/taxii2/``.

Every route answers with ``application/taxii+json;version=2.1``; errors are TAXII error
messages, never the dashboard's pages (the routes catch ``TaxiiError`` themselves, so the
router behaves the same in any app). The app must hold the store in ``app.state.engine``;
``max_content_length`` comes from ``app.state.taxii_max_content_length``, else the
settings' ``taxii_max_content_length``, else 10 MiB.

Queries per request: authentication 1 (a bearer token, or Basic once verified), the
partner's rights on the collection 1, the page 1 (``limit + 1`` rows).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from fastapi import APIRouter, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from pactwatch.share.taxii import store
from pactwatch.share.taxii.auth import Partner, authenticate
from pactwatch.share.taxii.collections import tlp_rank_of
from pactwatch.share.taxii.media import (
    TAXII_MEDIA,
    TaxiiError,
    require_accept,
    require_content_type,
    taxii_response,
)

DEFAULT_MAX_CONTENT_LENGTH: Final = 10 * 1024 * 1024
UNMARKED_RANK: Final = 2  # amber: what a partner posts without a TLP marking

router = APIRouter(prefix="/taxii2", tags=["taxii"])

Handler = Callable[[Connection, Partner], Response]


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def max_content_length(request: Request) -> int:
    state = request.app.state
    value = getattr(state, "taxii_max_content_length", None)
    if value is None:
        value = getattr(getattr(state, "settings", None), "taxii_max_content_length", None)
    return int(value) if value else DEFAULT_MAX_CONTENT_LENGTH


def _serve(
    request: Request, handler: Handler, *, stix_too: bool = False, write: bool = False
) -> Response:
    try:
        engine = _engine(request)
        with engine.begin() if write else engine.connect() as conn:
            partner = authenticate(conn, request.headers.get("authorization"))
            require_accept(request, stix_too=stix_too)
            return handler(conn, partner)
    except TaxiiError as error:
        return error.response()


def _params(request: Request) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in request.query_params.multi_items():
        params.setdefault(name, []).append(value)
    return params


@router.get("/", name="taxii_discovery")
def discovery(request: Request) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        roots = [
            str(request.url_for("taxii_api_root", api_root=r))
            for r in store.api_roots(conn, partner)
        ]
        return taxii_response(
            {
                "title": "pactwatch TAXII 2.1",
                "description": "Partnership events from open-source news, per partner and TLP.",
                "default": roots[0],
                "api_roots": roots,
            }
        )

    return _serve(request, handle)


@router.get("/{api_root}/", name="taxii_api_root")
def api_root(request: Request, api_root: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.require_root(conn, partner, api_root)
        return taxii_response(
            {
                "title": f"pactwatch: {api_root}",
                "versions": [TAXII_MEDIA],
                "max_content_length": max_content_length(request),
            }
        )

    return _serve(request, handle)


@router.get("/{api_root}/status/{status_id}/")
def status(request: Request, api_root: str, status_id: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        return taxii_response(store.read_status(conn, partner, api_root, status_id))

    return _serve(request, handle)


@router.get("/{api_root}/collections/")
def collections(request: Request, api_root: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.require_root(conn, partner, api_root)
        found = store.visible_collections(conn, partner, api_root)
        return taxii_response({"collections": [a.resource() for a in found]} if found else {})

    return _serve(request, handle)


@router.get("/{api_root}/collections/{collection_id}/")
def collection(request: Request, api_root: str, collection_id: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        access = store.collection_access(conn, partner, api_root, collection_id)
        return taxii_response(access.resource())

    return _serve(request, handle)


@router.get("/{api_root}/collections/{collection_id}/manifest/")
def manifest(request: Request, api_root: str, collection_id: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.collection_access(conn, partner, api_root, collection_id, read=True)
        query = store.parse_query(_params(request), collection_id)
        page = store.read_page(conn, collection_id, partner.max_rank, query, with_objects=False)
        return taxii_response(store.manifest(page), headers=page.headers())

    return _serve(request, handle)


@router.get("/{api_root}/collections/{collection_id}/objects/")
def get_objects(request: Request, api_root: str, collection_id: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.collection_access(conn, partner, api_root, collection_id, read=True)
        query = store.parse_query(_params(request), collection_id)
        page = store.read_page(conn, collection_id, partner.max_rank, query)
        return taxii_response(store.envelope(page), headers=page.headers())

    return _serve(request, handle, stix_too=True)


@router.post("/{api_root}/collections/{collection_id}/objects/")
async def add_objects(request: Request, api_root: str, collection_id: str) -> Response:
    limit = max_content_length(request)
    declared = request.headers.get("content-length")
    too_large = TaxiiError(413, "Payload Too Large", f"the API root takes at most {limit} bytes")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        return too_large.response()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return too_large.response()

    def handle(conn: Connection, partner: Partner) -> Response:
        store.collection_access(conn, partner, api_root, collection_id, write=True)
        require_content_type(request)
        objects = _envelope_objects(bytes(body))
        good: list[tuple[dict[str, Any], int]] = []
        failures: list[dict[str, str]] = []
        for obj in objects:
            problem = _object_problem(obj)
            if problem:
                failures.append({"id": str(obj.get("id", "")), "message": problem})
                continue
            rank = tlp_rank_of(obj)
            good.append((obj, UNMARKED_RANK if rank is None else rank))
        appended = store.append_objects(conn, collection_id, good, f"partner:{partner.id}")
        resource = store.write_status(conn, collection_id, partner, appended.successes, failures)
        return taxii_response(resource, 202)

    return await run_in_threadpool(_serve, request, handle, write=True)


def _envelope_objects(body: bytes) -> list[dict[str, Any]]:
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise TaxiiError(400, "Bad Request", "the body is not JSON") from None
    objects = parsed.get("objects") if isinstance(parsed, dict) else None
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise TaxiiError(422, "Unprocessable Entity", "the body is not an envelope of objects")
    return objects


def _object_problem(obj: dict[str, Any]) -> str | None:
    ident, kind = obj.get("id"), obj.get("type")
    if not isinstance(ident, str) or not isinstance(kind, str) or not ident.startswith(f"{kind}--"):
        return "id and type are missing or disagree"
    if obj.get("spec_version") != "2.1":
        return "only STIX 2.1 objects are taken"
    try:
        store.object_version(obj)
    except ValueError:
        return "modified or created is missing or not a timestamp"
    return None


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/")
def get_object(request: Request, api_root: str, collection_id: str, object_id: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.collection_access(conn, partner, api_root, collection_id, read=True)
        query = store.parse_query(
            _params(request), collection_id, allowed=("version", "spec_version")
        )
        page = store.read_page(conn, collection_id, partner.max_rank, query, stix_id=object_id)
        if not page.rows and query.position is None:
            raise TaxiiError(404, "Not Found", "there is no such object in this collection")
        return taxii_response(store.envelope(page), headers=page.headers())

    return _serve(request, handle, stix_too=True)


@router.delete("/{api_root}/collections/{collection_id}/objects/{object_id}/")
def delete_object(request: Request, api_root: str, collection_id: str, object_id: str) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.collection_access(conn, partner, api_root, collection_id, read=True, write=True)
        query = store.parse_query(
            _params(request),
            collection_id,
            allowed=("version", "spec_version"),
            default_version="all",
            paged=False,
        )
        if not store.delete_versions(conn, collection_id, partner.max_rank, object_id, query):
            raise TaxiiError(404, "Not Found", "there is no such object in this collection")
        return taxii_response({})

    return _serve(request, handle, stix_too=True, write=True)


@router.get("/{api_root}/collections/{collection_id}/objects/{object_id}/versions/")
def object_versions(
    request: Request, api_root: str, collection_id: str, object_id: str
) -> Response:
    def handle(conn: Connection, partner: Partner) -> Response:
        store.collection_access(conn, partner, api_root, collection_id, read=True)
        query = store.parse_query(
            _params(request), collection_id, allowed=("spec_version",), default_version="all"
        )
        page = store.read_page(
            conn, collection_id, partner.max_rank, query, stix_id=object_id, with_objects=False
        )
        if not page.rows and query.position is None:
            raise TaxiiError(404, "Not Found", "there is no such object in this collection")
        return taxii_response(store.versions(page), headers=page.headers())

    return _serve(request, handle)
