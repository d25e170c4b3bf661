"""The dashboard in a real headless Chromium, driven by Playwright, over the real app served
by uvicorn on 127.0.0.1: log in through the form, the overview's charts, filtering the
events table, an event's evidence, an analyst's correction (shown and stored), a viewer
without the review form, and no console error, CSP violation or request leaving the
machine on any page.

The store is ``test_web_queries.build_store`` (seven events in three documents) in a
temporary SQLite file, shared by the module. The browser is ``$PACTWATCH_TEST_CHROMIUM``
or Debian's ``/usr/bin/chromium``; without one the tests skip, except under ``CI`` (they fail).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, select

from browser_support import (
    ACTION_TIMEOUT_MS,
    NAVIGATION_TIMEOUT_MS,
    LiveServer,
    PageWatch,
    chromium_executable,
    csp_violations,
    launch_chromium,
    log_in,
    serving,
)
from pactwatch.settings import Settings
from pactwatch.store.engine import open_store
from pactwatch.store.schema import event_reviews
from pactwatch.web import security
from pactwatch.web.app import create_app
from pactwatch.web.users import create_user
from test_web_queries import D1, KURTI_SENTENCE, build_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow

PASSWORD = "browser-test-password"
ANALYST, VIEWER = "ana", "vera"
OpenPage = Callable[[str], tuple["Page", PageWatch]]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):  # as tests/conftest.py does for PostgreSQL
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> Path:
    path = chromium_executable()
    if path is None or not path.exists():
        _unavailable(
            f"no Chromium at {path or '/usr/bin/chromium'} (install Debian's chromium or "
            "set PACTWATCH_TEST_CHROMIUM)"
        )
    assert path is not None
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, dict[str, int]]]:
    """The seven-event store with an analyst and a viewer (cheap password hashes)."""
    folder = tmp_path_factory.mktemp("browser")
    engine = open_store(f"sqlite:///{folder / 'store.sqlite'}")
    previous = security.set_password_hasher(
        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    try:
        actor_ids = build_store(engine)
        create_user(engine, ANALYST, "analyst", PASSWORD)
        create_user(engine, VIEWER, "viewer", PASSWORD)
        yield engine, actor_ids
    finally:
        security.set_password_hasher(previous)
        engine.dispose()


@pytest.fixture(scope="module")
def server(
    store: tuple[Engine, dict[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    engine, _ = store
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=None)
    with serving(create_app(settings, engine)) as live:
        yield live


@pytest.fixture(scope="module")
def browser(chromium: Path) -> Iterator[Browser]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
        raise
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright, chromium)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def open_page(browser: Browser, server: LiveServer) -> Iterator[OpenPage]:
    """``open_page(username)``: a fresh browser context logged in as that user, watched."""
    contexts = []

    def open_as(username: str) -> tuple[Page, PageWatch]:
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch()
        watch.attach(page)
        log_in(page, server, username, PASSWORD)
        return page, watch

    yield open_as
    for context in contexts:
        context.close()


def event_ids(page: Page) -> set[str]:
    """The event ids linked from the rows of the events table."""
    hrefs = page.eval_on_selector_all(
        "#events-table tbody a[href^='/events/']", "links => links.map(a => a.getAttribute('href'))"
    )
    return {href.rsplit("/", 1)[1] for href in hrefs}


def test_log_in_and_overview_charts(open_page: OpenPage, server: LiveServer) -> None:
    page, watch = open_page(VIEWER)
    assert page.url == server.at("/")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator(".usermenu .username").inner_text() == VIEWER
    for chart in ("#areas-chart", "#balance-chart"):
        svg = page.locator(f"svg{chart}")
        assert svg.is_visible(), chart
        box = svg.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 50, (chart, box)
        assert svg.locator("rect").count() > 0, chart
    assert "diplomatic engagement" in page.locator("svg#areas-chart").inner_html()
    # Only the app's own files were loaded (and, as problems() checks, all successfully).
    assert any("/static/pactwatch.css" in url for url in watch.requests)
    assert all(url.startswith(server.url) for url in watch.requests), watch.requests
    assert watch.problems(page) == []


def test_filter_events_with_the_form(open_page: OpenPage, server: LiveServer) -> None:
    page, watch = open_page(VIEWER)
    page.goto(server.at("/events"))
    everything = event_ids(page)
    assert {"ev1", "ev3", "ev4", "ev6", "ev7"} <= everything
    form = page.locator("form.filters")
    form.locator("input[name=country]").fill("SRB")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "country=SRB" in page.url
    assert event_ids(page) == {"ev3", "ev4", "ev5"}
    assert "1–3 of 3" in page.locator("nav.pagination").first.inner_text()
    # The form keeps the country and narrows further by type.
    assert form.locator("input[name=country]").input_value() == "SRB"
    form.locator("select[name=event_type]").select_option("ASSAULT")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert event_ids(page) == {"ev4"}
    # Sorting by a column header keeps the filters.
    with page.expect_navigation():
        page.locator("#events-table thead a", has_text="Credibility").click()
    assert "country=SRB" in page.url and "sort=credibility" in page.url
    assert event_ids(page) == {"ev4"}
    assert watch.problems(page) == []


def test_event_evidence_from_the_table(open_page: OpenPage, server: LiveServer) -> None:
    page, watch = open_page(VIEWER)
    page.goto(server.at("/events?country=XKX&event_type=CONSULT"))
    with page.expect_navigation():
        page.locator("#events-table a[href='/events/ev1']").click()
    assert page.url == server.at("/events/ev1")
    marked = page.locator("#evidence-text mark.event-sentence")
    assert marked.count() == 1
    assert marked.inner_text() == KURTI_SENTENCE
    page.locator("a[href='#event-sentence-1']").click()
    assert marked.is_visible()
    # The highlight is drawn: the mark has a background of its own.
    background = marked.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    flag = page.locator(".flag", has_text="role conflicts with reference")
    assert flag.is_visible()
    assert "serious" in flag.inner_text()
    assert "Kurti is called envoy." in flag.inner_text()  # the explanation
    assert "“Albin Kurti”" in flag.inner_text()  # its evidence
    with page.expect_navigation():
        page.locator("dl.facts a[href^='/documents/']").click()
    assert page.url == server.at(f"/documents/{D1}")
    assert watch.problems(page) == []


def test_analyst_corrects_an_event(
    open_page: OpenPage, server: LiveServer, store: tuple[Engine, dict[str, int]]
) -> None:
    engine, _ = store
    page, watch = open_page(ANALYST)
    page.goto(server.at("/events/ev3"))
    assert "Not reviewed yet." in page.locator("#reviews").inner_text()
    form = page.locator("#review-form")
    form.locator("input[name=verdict][value=correct]").check()
    form.locator("select[name=event_type]").select_option("THREATEN")
    form.locator("input[name=areas][value=diplomatic_engagement]").check()
    form.locator("textarea[name=comment]").fill("A warning, not an accusation (browser test).")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.startswith(server.at("/events/ev3?reviewed=1"))
    assert page.locator("p.notice").inner_text() == "Your review is saved."
    shown = page.locator("#reviews table").inner_text()
    assert ANALYST in shown and "correct" in shown and "THREATEN" in shown
    assert "A warning, not an accusation (browser test)." in shown
    assert watch.problems(page) == []
    with engine.connect() as conn:
        rows = conn.execute(select(event_reviews).where(event_reviews.c.event_id == "ev3")).all()
    assert [(r.verdict, r.analyst) for r in rows] == [("correct", ANALYST)]
    assert rows[0].comment == "A warning, not an accusation (browser test)."
    assert rows[0].corrected["event"] == "THREATEN"
    assert rows[0].corrected["areas"] == ["diplomatic_engagement"]


def test_viewer_gets_no_review_form(open_page: OpenPage, server: LiveServer) -> None:
    page, watch = open_page(VIEWER)
    page.goto(server.at("/events/ev1"))
    assert page.locator("#reviews").is_visible()
    assert page.locator("#review-form").count() == 0
    assert page.locator("form[action$='/review']").count() == 0
    assert watch.problems(page) == []


def test_pages_keep_the_csp_and_stay_offline(
    open_page: OpenPage, server: LiveServer, store: tuple[Engine, dict[str, int]]
) -> None:
    _, actor_ids = store
    page, watch = open_page(ANALYST)
    pages = [
        "/",
        "/?date_from=2024-01-01&date_to=2024-03-31&bucket=week&measure=weighted",
        "/events",
        "/events/ev1",
        "/actors",
        f"/actors/{actor_ids['Albin Kurti']}",
        "/documents",
        f"/documents/{D1}",
        "/alerts",
        "/assessments",
        "/account",
    ]
    for path in pages:
        response = page.goto(server.at(path))
        assert response is not None and response.status == 200, path
        assert response.headers["content-security-policy"] == security.CONTENT_SECURITY_POLICY
        page.wait_for_load_state("load")
        assert watch.problems(page) == [], path
    assert watch.outside_requests == []
    # The watch does see a violation: an inline script is refused and reported.
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
              const s = document.createElement("script");
              s.textContent = "window.__inline = true";
              document.body.append(s);
            }"""
        )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.__inline === undefined")
    assert any("script-src" in v for v in csp_violations(page)), csp_violations(page)
    assert watch.csp_messages(), watch.console
