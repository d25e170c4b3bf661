"""The TAXII 2.1 server and client side of sharing with partners.

    media        media types, Accept (406) and Content-Type (415), TaxiiError
    auth         partners' HTTP Basic and bearer credentials -> Partner (or 401)
    store        collection reads and writes in SQL: paging, filters, TLP ceiling, status
    routes       the FastAPI router on /taxii2/ over ``store``
    collections  collections from saved filters; ``refresh_collections`` after each ingest
    partners     admin: partners, credentials, rights, listings
    subscribe    pulling partners' collections into ``partner_objects``
    cli          ``pactwatch partners`` and ``pactwatch collections``

Wiring: ``app.include_router(pactwatch.share.taxii.router)`` in the web app (which keeps
the engine in ``app.state.engine``); ``refresh_collections(engine)`` at the end of an
ingest; ``cli.partners_app`` and ``cli.collections_app`` as command groups.
"""

from __future__ import annotations

from typing import Any

from pactwatch.share.taxii.collections import RefreshSummary, refresh_collections

__all__ = ["RefreshSummary", "refresh_collections", "router"]


def __getattr__(name: str) -> Any:
    # ``router`` is made on first use: it imports FastAPI (about 0.25 s), and every
    # command imports this package for its command groups, most of them never serving.
    if name == "router":
        from pactwatch.share.taxii.routes import router

        return router
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
