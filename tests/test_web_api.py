"""The REST API (/api/v1) in process on SQLite and PostgreSQL: the same filters and
results as the pages, pagination with totals and next links, the OpenAPI schema, and
reviews posted by analysts (bearer token, or session + X-CSRF-Token) and refused to
viewers (403) and anonymous callers (401).

The store is ``test_web_queries.build_store``.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from pactwatch.web.users import create_token, create_user
from test_web_auth import PASSWORD, client, logged_in, make_app
from test_web_queries import D1, D3, KURTI_SENTENCE, build_store
from web_support import anyio_backend, fast_hashing  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio


@pytest.fixture
def store(engine: Engine) -> dict[str, int]:
    return build_store(engine)


def bearer(engine: Engine, name: str, role: str) -> dict[str, str]:
    create_user(engine, name, role, PASSWORD)
    _, token = create_token(engine, name, "tests")
    return {"Authorization": f"Bearer {token}"}


async def test_events_list_filters_and_pages(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    headers = bearer(engine, "vera", "viewer")
    async with client(make_app(engine, tmp_path)) as http:
        first = await http.get(
            "/api/v1/events", params={"country": "SRB", "limit": 2}, headers=headers
        )
        assert first.status_code == 200
        body = first.json()
        assert (body["total"], body["limit"], body["offset"]) == (3, 2, 0)
        assert [e["id"] for e in body["items"]] == ["ev4", "ev3"]
        assert body["next"] == "/api/v1/events?country=SRB&limit=2&offset=2"
        second = (await http.get(body["next"], headers=headers)).json()
        assert [e["id"] for e in second["items"]] == ["ev5"] and second["next"] is None
        typed = await http.get(
            "/api/v1/events",
            params={"event_type": "consult", "sort": "credibility", "order": "asc"},
            headers=headers,
        )
        assert [e["id"] for e in typed.json()["items"]] == ["ev7", "ev1"]
        too_many = await http.get("/api/v1/events", params={"limit": 500}, headers=headers)
        assert too_many.status_code == 422
        bad_pair = await http.get("/api/v1/events", params={"pair": "XKX"}, headers=headers)
        assert bad_pair.status_code == 422


async def test_overview_and_details(engine: Engine, store: dict[str, int], tmp_path: Path) -> None:
    headers = bearer(engine, "vera", "viewer")
    async with client(make_app(engine, tmp_path)) as http:
        overview = await http.get(
            "/api/v1/overview",
            params={"date_from": "2024-01-01", "date_to": "2024-03-31", "bucket": "week"},
            headers=headers,
        )
        body = overview.json()
        assert body["bucket"] == "week"
        assert body["balance"][0]["countries"] == ["SRB", "XKX"]
        assert body["balance"][0]["mean_plover_score"] == -6.0
        assert body["top_actors"][0]["name"] == "United States"
        assert {
            "bucket": "2024-01-08",
            "area": "joint_exercises",
            "events": 1,
            "weighted": 0.6,
        } in body["areas"]

        event = (await http.get("/api/v1/events/ev1", headers=headers)).json()
        assert [s["text"] for s in event["segments"] if s["kind"] == "event"] == [KURTI_SENTENCE]
        assert event["flags"][0]["severity"] == "serious"
        assert (await http.get("/api/v1/events/none", headers=headers)).status_code == 404

        document = (await http.get(f"/api/v1/documents/{D1}", headers=headers)).json()
        assert document["removed"][0]["reason"] == "boilerplate"
        assert document["same_story"][0]["id"] == D3
        documents = (
            await http.get("/api/v1/documents", params={"limit": 1}, headers=headers)
        ).json()
        assert documents["total"] == 3 and documents["next"].endswith("offset=1")

        kurti = store["Albin Kurti"]
        actor = (await http.get(f"/api/v1/actors/{kurti}", headers=headers)).json()
        assert actor["stated_roles"][0]["role_text"] == "Prime Minister"
        timeline = (await http.get(f"/api/v1/actors/{kurti}/events", headers=headers)).json()
        assert [e["id"] for e in timeline["items"]] == ["ev1"]
        actors = (
            await http.get("/api/v1/actors", params={"sort": "events"}, headers=headers)
        ).json()
        assert actors["items"][0]["name"] == "United States"
        network = (
            await http.get(
                "/api/v1/network",
                params={"date_from": "2024-01-01", "date_to": "2024-03-31"},
                headers=headers,
            )
        ).json()
        assert len(network["edges"]) == 3 and network["edges"][0]["events"] == 2
        alerts = await http.get("/api/v1/alerts", headers=headers)
        assert alerts.status_code == 200 and alerts.json()["total"] == 0
        assessment = await http.get("/api/v1/assessments/2024-Q1", headers=headers)
        assert assessment.status_code == 200 and isinstance(assessment.json(), dict)
        bad_period = await http.get("/api/v1/assessments/someday", headers=headers)
        assert bad_period.status_code == 422


async def test_openapi_lists_the_views(engine: Engine, tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        schema = (await http.get("/api/v1/openapi.json")).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/overview",
        "/api/v1/events",
        "/api/v1/events/{event_id}",
        "/api/v1/events/{event_id}/reviews",
        "/api/v1/actors",
        "/api/v1/actors/{actor_id}",
        "/api/v1/network",
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/alerts",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/events/{event_id}/reviews"]
    assert "EventsList" in schema["components"]["schemas"]
    assert not any(p == "/" or p.startswith("/events") for p in paths)  # pages stay out


async def test_analyst_posts_review_with_token(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    analyst = bearer(engine, "ana", "analyst")
    viewer = bearer(engine, "vera", "viewer")
    async with client(make_app(engine, tmp_path)) as http:
        posted = await http.post(
            "/api/v1/events/ev2/reviews",
            json={
                "verdict": "correct",
                "comment": "an aid delivery",
                "corrected": {
                    "event": "AID",
                    "actor": [{"name": "United States", "country": "USA"}],
                },
            },
            headers=analyst,
        )
        assert posted.status_code == 201, posted.text
        review = posted.json()
        assert review["analyst"] == "ana" and review["verdict"] == "correct"
        assert review["corrected"]["event"] == "AID"
        assert review["created_at"]
        listed = (await http.get("/api/v1/events/ev2/reviews", headers=viewer)).json()
        assert [r["id"] for r in listed] == [review["id"]]
        detail = (await http.get("/api/v1/events/ev2", headers=viewer)).json()
        assert detail["reviews"][0]["comment"] == "an aid delivery"

        refused = await http.post(
            "/api/v1/events/ev2/reviews", json={"verdict": "confirm"}, headers=viewer
        )
        assert refused.status_code == 403
        anonymous = await http.post("/api/v1/events/ev2/reviews", json={"verdict": "confirm"})
        assert anonymous.status_code == 401
        unknown = await http.post(
            "/api/v1/events/none/reviews", json={"verdict": "confirm"}, headers=analyst
        )
        assert unknown.status_code == 404
        bad = await http.post(
            "/api/v1/events/ev2/reviews",
            json={"verdict": "correct", "corrected": {"areas": ["gardening"]}},
            headers=analyst,
        )
        assert bad.status_code == 422 and "gardening" in bad.text
        empty = await http.post(
            "/api/v1/events/ev2/reviews", json={"verdict": "correct"}, headers=analyst
        )
        assert empty.status_code == 422
        assert len((await http.get("/api/v1/events/ev2/reviews", headers=viewer)).json()) == 1


async def test_session_review_needs_csrf_header(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "ana", "analyst")
        without = await http.post("/api/v1/events/ev3/reviews", json={"verdict": "reject"})
        assert without.status_code == 403
        with_header = await http.post(
            "/api/v1/events/ev3/reviews",
            json={"verdict": "reject", "comment": "no accusation here"},
            headers={"X-CSRF-Token": csrf},
        )
        assert with_header.status_code == 201
        assert with_header.json()["analyst"] == "ana"


async def test_reading_needs_a_login(engine: Engine, store: dict[str, int], tmp_path: Path) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        for url in ("/api/v1/overview", "/api/v1/events", "/api/v1/events/ev1", "/api/v1/actors"):
            response = await http.get(url)
            assert response.status_code == 401, url
        bad = await http.get("/api/v1/events", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
    assert isinstance(http, httpx.AsyncClient)
