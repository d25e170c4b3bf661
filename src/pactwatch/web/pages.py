"""The dashboard's HTML pages: overview, events, actors, documents, alerts, assessments.

Every page reads the same query functions as ``/api/v1`` (``analysis.queries``), takes its
filters as GET parameters of a plain form, and draws its charts as server-side SVG
(``web.charts``). The one write here is an analyst's review of an event (POST with the
session's CSRF token); viewers see no form and are refused (403) if they post one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from pactwatch.analysis import queries
from pactwatch.analysis.alerts import list_alerts
from pactwatch.analysis.queries import DOCUMENT_SORTS, NetworkEdge, NetworkNode
from pactwatch.analysis.query_sql import QUADS, REGIONS, known_areas
from pactwatch.analysis.report import build_assessment, render_html
from pactwatch.errors import InputError, MalformedInput
from pactwatch.web import charts, security
from pactwatch.web.deps import User, csrf_form, get_engine, require_analyst, require_viewer
from pactwatch.web.params import (
    actor_filters,
    descending,
    document_filters,
    event_filters,
    page_params,
    with_query,
)
from pactwatch.web.reviews import VERDICTS, UnknownEvent, add_review
from pactwatch.web.templating import render

# 422 by number: Starlette renamed the constant (UNPROCESSABLE_CONTENT).
UNPROCESSABLE = 422

router = APIRouter(include_in_schema=False)

Viewer = Annotated[User, Depends(require_viewer)]
Store = Annotated[Engine, Depends(get_engine)]
EventFilters = Annotated[queries.Filters, Depends(event_filters)]
PageParams = Annotated[queries.Page, Depends(page_params)]
MODALITIES = ("factual", "future", "hypothetical", "negated")


def _event_types() -> tuple[str, ...]:
    from pactwatch.nlp.components.event_lexicon import PLOVER_EVENTS

    return PLOVER_EVENTS


def _common(request: Request, filters: queries.Filters | None = None) -> dict[str, Any]:
    """What every list page's form and links need."""
    return {
        "qs": lambda **changes: with_query(request, changes),
        "params": request.query_params,
        "query": request.url.query,
        "filters": filters,
        "regions": sorted(REGIONS),
        "areas": known_areas(),
        "event_types": _event_types(),
        "modalities": MODALITIES,
        "quads": QUADS,
    }


def bucket_label(day: date, bucket: str) -> str:
    if bucket == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.strftime("%Y-%m")


def area_chart(result: queries.Overview, measure: str = "events") -> Any:
    """The stacked bars of events (or credibility-weighted events) per area over time."""
    days = sorted({p.bucket for p in result.areas})
    present = {p.area for p in result.areas}
    names = [a for a in known_areas() if a in present] + sorted(present - set(known_areas()))
    index = {d: i for i, d in enumerate(days)}
    series = {name: [0.0] * len(days) for name in names}
    for p in result.areas:
        series[p.area][index[p.bucket]] = p.weighted if measure == "weighted" else float(p.events)
    unit = "week" if result.bucket == "week" else "month"
    what = "credibility-weighted events" if measure == "weighted" else "events"
    return charts.stacked_bars(
        [bucket_label(d, result.bucket) for d in days],
        {name.replace("_", " "): values for name, values in series.items()},
        chart_id="areas-chart",
        title=f"Activity per cooperation area, per {unit}",
        description=(
            f"Stacked bars of {what} per cooperation area for each {unit} from "
            f"{result.date_from} to {result.date_to}."
        ),
    )


def balance_chart(result: queries.Overview) -> Any:
    return charts.balance_bars(
        [
            charts.BalanceRow("–".join(b.countries), b.cooperation, b.conflict, b.mean_plover_score)
            for b in result.balance
        ],
        chart_id="balance-chart",
        title="Cooperation and conflict per country pair",
        description=(
            "For each pair of countries, events of verbal or material conflict (left) and of "
            "verbal or material cooperation (right), with the mean PLOVER score."
        ),
    )


def network_chart(network: queries.ActorNetwork, chart_id: str, title: str) -> Any:
    return charts.network(
        [charts.Node(n.id, n.name, n.events, f"/actors/{n.id}", n.kind) for n in network.nodes],
        [(e.source, e.target, e.events) for e in network.edges],
        chart_id=chart_id,
        title=title,
        description=(
            "Actors as circles sized by their shared events, joined by a line when they "
            "take part in the same events; click an actor for the profile."
        ),
    )


@router.get("/", response_class=HTMLResponse)
def overview_page(
    request: Request,
    user: Viewer,
    engine: Store,
    filters: EventFilters,
    bucket: str | None = None,
    measure: str = "events",
) -> Response:
    if bucket not in (None, "", "week", "month"):
        raise HTTPException(UNPROCESSABLE, "bucket is week or month")
    result = queries.overview(engine, filters, bucket or None)  # type: ignore[arg-type]
    context = _common(request, filters) | {
        "result": result,
        "measure": measure,
        "area_chart": area_chart(result, measure),
        "balance_chart": balance_chart(result),
    }
    return render(request, "overview.html", context)


EVENT_COLUMNS = (
    ("date", "Date"),
    ("type", "Type"),
    ("area", "Areas"),
    ("credibility", "Credibility"),
)


@router.get("/events", response_class=HTMLResponse)
def events_list(
    request: Request,
    user: Viewer,
    engine: Store,
    filters: EventFilters,
    page: PageParams,
    sort: str = "date",
    order: str | None = None,
) -> Response:
    if sort not in queries.EVENT_SORTS:
        raise HTTPException(UNPROCESSABLE, f"cannot sort by {sort!r}")
    down = descending(order, default=sort in ("date", "credibility"))
    result = queries.events_page(engine, filters, sort, down, page)
    context = _common(request, filters) | {
        "result": result,
        "sort": sort,
        "descending": down,
        "columns": EVENT_COLUMNS,
        "page": page,
    }
    return render(request, "events.html", context)


def _event_context(request: Request, engine: Engine, user: User, event_id: str) -> dict[str, Any]:
    detail = queries.event_detail(engine, event_id)
    if detail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no event {event_id}.")
    return {
        "detail": detail,
        "can_review": user.at_least("analyst"),
        "verdicts": VERDICTS,
        "areas": known_areas(),
        "event_types": _event_types(),
        "modalities": MODALITIES,
        "actor_lines": _actor_lines(detail.event.actor),
        "recipient_lines": _actor_lines(detail.event.recipient),
    }


def _actor_lines(people: list[dict[str, Any]]) -> str:
    return "\n".join(
        "; ".join(str(p.get(key) or "") for key in ("entity_name", "country", "sector")).rstrip(
            "; "
        )
        for p in people
    )


def parse_actor_lines(text: str) -> list[dict[str, Any]]:
    """One actor a line: ``name; country; sector`` (country and sector optional)."""
    found = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split(";")]
        if not parts or not parts[0]:
            continue
        found.append(
            {
                "name": parts[0],
                "country": parts[1] if len(parts) > 1 and parts[1] else None,
                "sector": parts[2] if len(parts) > 2 and parts[2] else None,
            }
        )
    return found


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    request: Request, event_id: str, user: Viewer, engine: Store, reviewed: str | None = None
) -> Response:
    context = _event_context(request, engine, user, event_id)
    if reviewed:
        context["notice"] = "Your review is saved."
    return render(request, "event.html", context)


@router.post("/events/{event_id}/review", dependencies=[Depends(csrf_form)])
def review_event(
    request: Request,
    event_id: str,
    user: Annotated[User, Depends(require_analyst)],
    engine: Store,
    verdict: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    event_type: Annotated[str, Form()] = "",
    mode: Annotated[str, Form()] = "",
    modality: Annotated[str, Form()] = "",
    areas: Annotated[list[str] | None, Form()] = None,
    actors: Annotated[str, Form()] = "",
    recipients: Annotated[str, Form()] = "",
) -> Response:
    corrected: dict[str, Any] | None = None
    if verdict == "correct":
        corrected = {
            "event": event_type or None,
            "mode": mode or None,
            "modality": modality or None,
            "areas": areas or [],
            "actor": parse_actor_lines(actors),
            "recipient": parse_actor_lines(recipients),
        }
        corrected = {k: v for k, v in corrected.items() if v is not None}
    try:
        add_review(engine, event_id, verdict, user.username, comment, corrected)
    except UnknownEvent:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no event {event_id}.") from None
    except MalformedInput as error:
        context = _event_context(request, engine, user, event_id)
        context["error"] = f"The review was not saved: {error}"
        return render(request, "event.html", context, UNPROCESSABLE)
    return RedirectResponse(f"/events/{event_id}?reviewed=1#reviews", status.HTTP_303_SEE_OTHER)


@router.get("/actors", response_class=HTMLResponse)
def actors_list(
    request: Request,
    user: Viewer,
    engine: Store,
    page: PageParams,
    where: Annotated[queries.ActorFilters, Depends(actor_filters)],
    filters: EventFilters,
    sort: str = "events",
) -> Response:
    if sort not in ("name", "events"):
        raise HTTPException(UNPROCESSABLE, "sort by name or events")
    result = queries.actors_page(engine, where, sort, page)  # type: ignore[arg-type]
    network = queries.actor_network(engine, queries.default_window(engine, filters), edges=40)
    context = _common(request, filters) | {
        "result": result,
        "where": where,
        "sort": sort,
        "page": page,
        "network_chart": network_chart(network, "network-chart", "Who meets whom"),
    }
    return render(request, "actors.html", context)


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request, actor_id: int, user: Viewer, engine: Store, page: PageParams
) -> Response:
    profile = queries.actor_profile(engine, actor_id)
    if profile is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no actor {actor_id}.")
    timeline = queries.events_page(engine, queries.Filters(actor_id=actor_id), page=page)
    ego = queries.ActorNetwork(
        nodes=[
            NetworkNode(
                id=profile.actor.id,
                name=profile.actor.name,
                kind=profile.actor.kind,
                country=profile.actor.country,
                events=profile.actor.events,
            )
        ]
        + [
            NetworkNode(id=c.id, name=c.name, kind=c.kind, country=c.country, events=c.events)
            for c in profile.counterparts[:20]
        ],
        edges=[
            NetworkEdge(source=profile.actor.id, target=c.id, events=c.events)
            for c in profile.counterparts[:20]
        ],
    )
    context = _common(request) | {
        "profile": profile,
        "timeline": timeline,
        "page": page,
        "network_chart": network_chart(ego, "ego-chart", f"Counterparts of {profile.actor.name}"),
        "sparkline": charts.sparkline(
            [float(t.events) for t in profile.timeline],
            chart_id="actor-sparkline",
            title=f"Events of {profile.actor.name} per month",
            description="Events per month, oldest to newest, from the first month with one.",
        ),
    }
    return render(request, "actor.html", context)


@router.get("/documents", response_class=HTMLResponse)
def documents_list(
    request: Request,
    user: Viewer,
    engine: Store,
    page: PageParams,
    where: Annotated[queries.DocumentFilters, Depends(document_filters)],
    sort: str = "published",
    order: str | None = None,
) -> Response:
    if sort not in DOCUMENT_SORTS:
        raise HTTPException(UNPROCESSABLE, f"cannot sort by {sort!r}")
    down = descending(order, default=sort in ("published", "credibility"))
    result = queries.documents_page(engine, where, sort, down, page)
    context = _common(request) | {
        "result": result,
        "where": where,
        "sort": sort,
        "descending": down,
        "page": page,
    }
    return render(request, "documents.html", context)


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str, user: Viewer, engine: Store) -> Response:
    detail = queries.document_detail(engine, document_id)
    if detail is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"There is no document {document_id}.")
    return render(request, "document.html", {"detail": detail})


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, user: Viewer, engine: Store, page: PageParams) -> Response:
    found, total = list_alerts(engine, page.limit, page.offset)
    context = {"alerts": found, "total": total, "page": page}
    return render(request, "alerts.html", _common(request) | context)


def _latest_day(engine: Engine) -> date | None:
    from sqlalchemy import func, select

    from pactwatch.store.schema import documents

    with engine.connect() as conn:
        latest = conn.scalar(select(func.max(documents.c.published)))
    return latest.date() if latest is not None else None


def recent_periods(latest: date | None) -> list[str]:
    """Four quarters and three months up to and including the one of ``latest`` (the
    store's newest document), newest first; an empty store gets the ones before today."""
    if latest is None:
        today = date.today()
        latest = date(today.year, today.month, 1) - timedelta(days=1)
    quarters = []
    year, quarter = latest.year, (latest.month - 1) // 3 + 1
    for _ in range(4):
        quarters.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    months = []
    year, month = latest.year, latest.month
    for _ in range(3):
        months.append(f"{year}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return quarters + months


@router.get("/assessments", response_class=HTMLResponse)
def assessments_page(
    request: Request, user: Viewer, engine: Store, period: str | None = None
) -> Response:
    # Periods up to the store's newest document, so an archive shows periods with data.
    context = {"periods": recent_periods(_latest_day(engine)), "period": period or ""}
    return render(request, "assessments.html", _common(request) | context)


@router.get("/assessments/report", response_class=HTMLResponse)
def assessment_report(request: Request, user: Viewer, engine: Store, period: str) -> Response:
    """The assessment for ``period`` (2025-Q1, 2025-03, 2025), as ``analysis.report``
    renders it for circulation."""
    try:
        assessment = build_assessment(engine, period.strip())
    except (InputError, ValueError) as error:
        raise HTTPException(UNPROCESSABLE, str(error)) from None
    # The report is a document of its own with its own <style>: served under the policy
    # made for that in web.security (no script, no fetch, only its inline styles).
    return HTMLResponse(
        render_html(assessment),
        headers={"Content-Security-Policy": security.STANDALONE_DOCUMENT_CSP},
    )
