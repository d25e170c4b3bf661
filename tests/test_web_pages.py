"""The dashboard's pages in process (httpx ASGITransport) on SQLite and PostgreSQL: a
logged-in viewer sees every page, filters and sorting work, the event page marks the
event's sentence and explains its flags, the document page greys removed lines, and only
an analyst with the session's CSRF token can post a review.

The store is ``test_web_queries.build_store`` (seven events in three documents).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import Engine

from pactwatch.web import security
from pactwatch.web.reviews import reviews_for
from test_web_auth import client, logged_in, make_app
from test_web_queries import D1, KURTI_SENTENCE, build_store
from web_support import anyio_backend, fast_hashing  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio


@pytest.fixture
def store(engine: Engine) -> dict[str, int]:
    return build_store(engine)


def event_links(html: str) -> set[str]:
    return set(re.findall(r'href="/events/(ev\d)"', html))


async def test_viewer_sees_every_page(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        await logged_in(http, engine, "vera", "viewer")
        kurti = store["Albin Kurti"]
        pages = {
            "/": "Activity per cooperation area",
            "/?date_from=2024-01-01&date_to=2024-03-31&bucket=week&measure=weighted": "2024-W02",
            "/events": "ev1",
            "/events/ev1": KURTI_SENTENCE,
            "/actors": "Who meets whom",
            f"/actors/{kurti}": "Prime Minister of Kosovo",
            "/documents": "Tension in the north",
            f"/documents/{D1}": "Subscribe to our newsletter.",
            "/alerts": "Alerts",
            "/assessments": "Assessments",
        }
        for url, expected in pages.items():
            response = await http.get(url)
            assert response.status_code == 200, (url, response.text[:300])
            assert expected in unescape(response.text), url
            assert "<script>" not in response.text  # CSP: no inline scripts


async def test_assessment_report_is_served_standalone(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        await logged_in(http, engine, "vera", "viewer")
        report = await http.get("/assessments/report", params={"period": "2024-Q1"})
        assert report.status_code == 200
        assert report.headers["content-security-policy"] == security.STANDALONE_DOCUMENT_CSP
        assert "<html" in report.text.lower()
        bad = await http.get("/assessments/report", params={"period": "someday"})
        assert bad.status_code == 422


async def test_anonymous_is_sent_to_login(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        for url in ("/", "/events", "/events/ev1", f"/documents/{D1}"):
            response = await http.get(url)
            assert response.status_code == 303
            assert response.headers["location"].startswith("/login")


async def test_event_filters_sorting_and_paging(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        await logged_in(http, engine, "vera", "viewer")
        serbia = await http.get("/events", params={"country": "srb", "date_from": ""})
        assert event_links(serbia.text) == {"ev3", "ev4", "ev5"}
        assert "1–3 of 3" in serbia.text
        pair = await http.get("/events", params={"pair": "XKX-SRB", "area": "security_assistance"})
        assert event_links(pair.text) == {"ev4"}
        by_cred = await http.get("/events", params={"sort": "credibility", "order": "desc"})
        order = re.findall(r'href="/events/(ev\d)"', by_cred.text)
        assert order[:3] == ["ev6", "ev1", "ev7"]
        assert 'aria-sort="descending"' in by_cred.text
        paged = await http.get("/events", params={"limit": 2, "offset": 2})
        assert event_links(paged.text) == {"ev4", "ev3"}
        assert 'rel="next"' in paged.text and 'rel="prev"' in paged.text
        bad = await http.get("/events", params={"date_from": "yesterday"})
        assert bad.status_code == 422
        bad_sort = await http.get("/events", params={"sort": "secret"})
        assert bad_sort.status_code == 422


async def test_event_page_shows_evidence(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        await logged_in(http, engine, "vera", "viewer")
        page = await http.get("/events/ev1")
        marked = re.findall(r'<mark class="event-sentence"[^>]*>([^<]*)</mark>', page.text)
        assert [unescape(m) for m in marked] == [KURTI_SENTENCE]
        assert "Kurti is called envoy." in page.text  # the flag's explanation
        assert "“Albin Kurti”" in page.text  # its evidence line
        assert "/events/ev5" in page.text  # the same event in another document
        assert 'action="/events/ev1/review"' not in page.text  # viewers get no form
        missing = await http.get("/events/nope")
        assert missing.status_code == 404


async def test_document_page_greys_removed_lines(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        await logged_in(http, engine, "vera", "viewer")
        page = await http.get(f"/documents/{D1}")
        assert re.search(r'<span class="removed" title="removed: boilerplate">Subscribe', page.text)
        assert re.search(
            r'<mark class="mention" title="Prime Minister">Albin Kurti</mark>', page.text
        )
        assert "https://copy.example/1" in page.text  # the exact copy
        assert f"/documents/{'3' * 64}" in page.text  # another source of the story


async def test_overview_charts_are_accessible_svg(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        await logged_in(http, engine, "vera", "viewer")
        page = await http.get("/", params={"date_from": "2024-01-01", "date_to": "2024-03-31"})
        svgs = re.findall(r"<svg .*?</svg>", page.text, flags=re.S)
        assert len(svgs) == 2
        for svg in svgs:
            root = ET.fromstring(svg)  # noqa: S314 - our own output
            ns = "{http://www.w3.org/2000/svg}"
            assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
            assert root.get("role") == "img"
        assert "diplomatic engagement" in svgs[0]  # legend label
        assert "SRB–XKX" in svgs[1]


async def test_analyst_reviews_from_the_event_page(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    async with client(make_app(engine, tmp_path)) as http:
        csrf = await logged_in(http, engine, "ana", "analyst")
        page = await http.get("/events/ev1")
        assert 'action="/events/ev1/review"' in page.text
        response = await http.post(
            "/events/ev1/review",
            data={
                "csrf_token": csrf,
                "verdict": "correct",
                "event_type": "COOPERATE",
                "modality": "factual",
                "areas": ["intelligence_sharing"],
                "actors": "Albin Kurti; XKX; GOV",
                "recipients": "United States; USA",
                "comment": "they signed an agreement",
            },
        )
        assert response.status_code == 303
        stored = reviews_for(engine, "ev1")
        assert [(r.verdict, r.analyst, r.comment) for r in stored] == [
            ("correct", "ana", "they signed an agreement")
        ]
        assert stored[0].corrected is not None
        assert stored[0].corrected["event"] == "COOPERATE"
        assert stored[0].corrected["recipient"] == [
            {"name": "United States", "country": "USA", "sector": None}
        ]
        shown = await http.get(response.headers["location"])
        assert "Your review is saved." in shown.text
        assert "they signed an agreement" in shown.text
        api = await http.get("/api/v1/events/ev1/reviews")
        assert api.json()[0]["analyst"] == "ana"
        bad = await http.post(
            "/events/ev1/review",
            data={"csrf_token": csrf, "verdict": "correct", "event_type": "DANCE"},
        )
        assert bad.status_code == 422 and "not a PLOVER event type" in unescape(bad.text)


async def test_review_refused_to_viewer_without_csrf_and_anonymous(
    engine: Engine, store: dict[str, int], tmp_path: Path
) -> None:
    app = make_app(engine, tmp_path)
    async with client(app) as http:
        csrf = await logged_in(http, engine, "vera", "viewer")
        refused = await http.post(
            "/events/ev1/review", data={"csrf_token": csrf, "verdict": "confirm"}
        )
        assert refused.status_code == 403
    async with client(app) as http:
        await logged_in(http, engine, "ana", "analyst")
        no_token = await http.post("/events/ev1/review", data={"verdict": "confirm"})
        assert no_token.status_code == 403
        wrong = await http.post(
            "/events/ev1/review", data={"csrf_token": "x" * 43, "verdict": "confirm"}
        )
        assert wrong.status_code == 403
    async with client(app) as http:
        anonymous = await http.post("/events/ev1/review", data={"verdict": "confirm"})
        assert anonymous.status_code in (303, 401)
    assert reviews_for(engine, "ev1") == []
