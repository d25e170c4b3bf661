"""The queries the dashboard pages and the REST API share (one function per view).

Pages render these results as HTML and ``/api/v1`` returns them as JSON, so the two never
disagree. Every list is filtered, sorted and paginated in SQL, and every aggregate is
computed in SQL, so a view costs a few indexed queries whatever the store's size
(``docs/api.md`` lists them). The parts: ``query_sql`` (filters, an event's day, the SQL
that differs between SQLite and PostgreSQL), ``query_events`` (the events list and one
event's evidence), ``query_overview`` (the overview), ``query_entities`` (actors),
``query_documents`` (documents). This module is the one to import.
"""

from __future__ import annotations

from pactwatch.analysis.query_documents import (
    DOCUMENT_SORTS,
    DocumentDetail,
    DocumentFilters,
    DocumentRow,
    DocumentsPage,
    document_detail,
    documents_page,
)
from pactwatch.analysis.query_entities import (
    ActorFilters,
    ActorNetwork,
    ActorProfile,
    ActorRow,
    ActorsPage,
    NetworkEdge,
    NetworkNode,
    Segment,
    actor_network,
    actor_profile,
    actors_page,
)
from pactwatch.analysis.query_events import (
    EVENT_SORTS,
    ClusterMember,
    EventDetail,
    EventRow,
    EventsPage,
    FlagItem,
    MentionItem,
    ReviewItem,
    event_detail,
    events_page,
)
from pactwatch.analysis.query_overview import (
    AreaPoint,
    Overview,
    PairBalance,
    TopActor,
    area_totals,
    default_window,
    overview,
)
from pactwatch.analysis.query_sql import (
    MAX_LIMIT,
    QUADS,
    REGIONS,
    Filters,
    Page,
    known_areas,
    parse_pair,
)

__all__ = [
    "DOCUMENT_SORTS",
    "EVENT_SORTS",
    "MAX_LIMIT",
    "QUADS",
    "REGIONS",
    "ActorFilters",
    "ActorNetwork",
    "ActorProfile",
    "ActorRow",
    "ActorsPage",
    "AreaPoint",
    "ClusterMember",
    "DocumentDetail",
    "DocumentFilters",
    "DocumentRow",
    "DocumentsPage",
    "EventDetail",
    "EventRow",
    "EventsPage",
    "Filters",
    "FlagItem",
    "MentionItem",
    "NetworkEdge",
    "NetworkNode",
    "Overview",
    "Page",
    "PairBalance",
    "ReviewItem",
    "Segment",
    "TopActor",
    "actor_network",
    "actor_profile",
    "actors_page",
    "area_totals",
    "default_window",
    "document_detail",
    "documents_page",
    "event_detail",
    "events_page",
    "known_areas",
    "overview",
    "parse_pair",
]
