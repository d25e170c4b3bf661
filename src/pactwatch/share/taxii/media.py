"""TAXII 2.1 media types: ``Accept`` negotiation (406), ``Content-Type`` checks (415) and
the one error type the routes raise (``TaxiiError``), answered as a TAXII error message.

A media range matches when its type is ours and its ``version`` parameter, if any, is 2.1;
``*/*`` and ``application/*`` do not count: the specification wants a TAXII media range.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

TAXII_MEDIA: Final = "application/taxii+json;version=2.1"
STIX_MEDIA: Final = "application/stix+json;version=2.1"
TAXII_TYPE: Final = "application/taxii+json"
STIX_TYPE: Final = "application/stix+json"


class TaxiiError(Exception):
    """An error a TAXII client gets as ``{"title", "description", "http_status"}``."""

    def __init__(
        self,
        status: int,
        title: str,
        description: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {title}: {description}")
        self.status = status
        self.title = title
        self.description = description
        self.headers = dict(headers or {})

    def response(self) -> Response:
        body = {"title": self.title, "http_status": str(self.status)}
        if self.description:
            body["description"] = self.description
        return taxii_response(body, self.status, self.headers)


def taxii_response(
    body: Mapping[str, Any] | str, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response with the TAXII media type (``body`` a mapping, or JSON text)."""
    text = (
        body
        if isinstance(body, str)
        else json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    )
    return Response(
        text,
        status_code=status,
        media_type=TAXII_MEDIA,
        headers=dict(headers or {}),
    )


def _media_ranges(header: str) -> Iterable[tuple[str, dict[str, str]]]:
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        params: dict[str, str] = {}
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        yield pieces[0].lower(), params


def _is_ours(media_type: str, params: Mapping[str, str], allowed: Iterable[str]) -> bool:
    if media_type not in allowed:
        return False
    if params.get("q") in ("0", "0.0", "0.00", "0.000"):
        return False
    return params.get("version", "2.1") == "2.1"


def require_accept(request: Request, *, stix_too: bool = False) -> None:
    """406 unless ``Accept`` names a TAXII 2.1 media range (or STIX 2.1 on object routes)."""
    allowed = (TAXII_TYPE, STIX_TYPE) if stix_too else (TAXII_TYPE,)
    header = request.headers.get("accept", "")
    if not any(_is_ours(t, p, allowed) for t, p in _media_ranges(header)):
        raise TaxiiError(
            406,
            "Not Acceptable",
            f"send Accept: {TAXII_MEDIA}" + (f" or {STIX_MEDIA}" if stix_too else ""),
        )


def require_content_type(request: Request) -> None:
    """415 unless the body is declared as a TAXII 2.1 envelope."""
    header = request.headers.get("content-type", "")
    ranges = list(_media_ranges(header))
    if len(ranges) != 1 or not _is_ours(*ranges[0], (TAXII_TYPE,)):
        raise TaxiiError(
            415, "Unsupported Media Type", f"send the envelope as Content-Type: {TAXII_MEDIA}"
        )
