"""Screenshots of the dashboard's main pages for the docs (docs/screenshots/*.png).

    .venv/bin/python scripts/screenshots.py --db var/demo.sqlite

serves the store (by default a fresh demo store built in a temporary folder with
``pactwatch demo``) on 127.0.0.1, logs in through the login form as a ``screenshots``
analyst (created, or given a new random password, and disabled again at the end) and
writes 1366x768 PNGs of the overview, events, an event with its evidence, an actor, a
document, alerts and assessments. The browser is headless Chromium
(``$PACTWATCH_TEST_CHROMIUM`` or Debian's ``/usr/bin/chromium``) driven by Playwright;
nothing is downloaded and every request outside 127.0.0.1 is refused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, desc, func, select

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser_support import (  # noqa: E402 - tests/ holds the shared browser helpers
    ACTION_TIMEOUT_MS,
    NAVIGATION_TIMEOUT_MS,
    PageWatch,
    chromium_executable,
    launch_chromium,
    log_in,
    serving,
)
from pactwatch.cli_common import open_engine  # noqa: E402
from pactwatch.errors import InputError  # noqa: E402
from pactwatch.settings import Settings, get_settings  # noqa: E402
from pactwatch.store.schema import (  # noqa: E402
    documents,
    duplicates,
    event_actors,
    event_mentions,
    events,
    flags,
    removed_text,
)
from pactwatch.web import security, users  # noqa: E402
from pactwatch.web.app import create_app  # noqa: E402

USERNAME = "screenshots"
WIDTH, HEIGHT = 1366, 768
OUT = REPO / "docs" / "screenshots"


def build_demo_store(folder: Path) -> str:
    """A demo store in ``folder`` (``pactwatch --db FILE demo``); returns its path."""
    path = folder / "demo.sqlite"
    print(f"building a demo store at {path} (pactwatch demo) ...", file=sys.stderr)
    subprocess.run(  # noqa: S603 - our own command, no shell
        [sys.executable, "-m", "pactwatch", "--db", str(path), "demo"],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PACTWATCH_DATA_DIR": str(folder)},  # alerts.jsonl stays here too
    )
    return str(path)


@contextmanager
def screenshot_user(engine: Engine) -> Iterator[str]:
    """The ``screenshots`` analyst with a fresh random password; disabled afterwards."""
    password = security.new_password()
    if users.find_account(engine, USERNAME) is None:
        users.create_user(engine, USERNAME, "analyst", password)
    else:
        users.set_disabled(engine, USERNAME, False)
        users.set_role(engine, USERNAME, "analyst")
        users.set_password(engine, USERNAME, password, must_change_password=False)
    try:
        yield password
    finally:
        users.set_disabled(engine, USERNAME, True)


def pick_subjects(engine: Engine) -> dict[str, str]:
    """The event, actor and document that show the most on their pages, and a period."""
    with engine.connect() as conn:
        flagged = (
            select(flags.c.event_id, func.count().label("n"))
            .where(flags.c.event_id.is_not(None))
            .group_by(flags.c.event_id)
            .subquery()
        )
        event = conn.execute(
            select(events.c.id, events.c.document_id)
            .join(event_mentions, event_mentions.c.event_id == events.c.id)
            .outerjoin(flagged, flagged.c.event_id == events.c.id)
            .order_by(desc(func.coalesce(flagged.c.n, 0)), desc(events.c.credibility), events.c.id)
            .limit(1)
        ).first()
        actor = conn.execute(
            select(event_actors.c.actor_id)
            .group_by(event_actors.c.actor_id)
            .order_by(desc(func.count()), event_actors.c.actor_id)
            .limit(1)
        ).scalar()
        removed = select(func.count()).where(removed_text.c.document_id == documents.c.id)
        copies = select(func.count()).where(duplicates.c.document_id == documents.c.id)
        document = conn.execute(
            select(documents.c.id)
            .order_by(
                desc(removed.scalar_subquery() + copies.scalar_subquery()),
                desc(documents.c.published),
            )
            .limit(1)
        ).scalar()
        published = conn.execute(
            select(documents.c.published)
            .join(events, events.c.document_id == documents.c.id)
            .where(documents.c.published.is_not(None))
        ).scalars()
        per_quarter = Counter(f"{p.year}-Q{(p.month - 1) // 3 + 1}" for p in published)
    if event is None or actor is None or document is None or not per_quarter:
        raise InputError("the store has no events to show: run `pactwatch demo` on it first")
    # Of the last four quarters with news, the one with the most events (the later on a tie).
    recent = sorted(per_quarter)[-4:]
    period = max(reversed(recent), key=lambda q: per_quarter[q])
    return {"event": event.id, "actor": str(actor), "document": document, "period": period}


def pages(subjects: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """(file name, path, element to scroll to the top or None)."""
    return [
        ("overview", "/", None),
        ("events", "/events", None),
        ("event", f"/events/{subjects['event']}", None),
        ("event-evidence", f"/events/{subjects['event']}", "#evidence-heading"),
        ("actor", f"/actors/{subjects['actor']}", None),
        ("document", f"/documents/{subjects['document']}", None),
        ("alerts", "/alerts", None),
        ("assessments", "/assessments", None),
        ("assessment-report", f"/assessments/report?period={subjects['period']}", None),
    ]


def take(settings: Settings, out: Path) -> list[str]:
    """Write the screenshots; returns the problems the pages showed (console errors...)."""
    from playwright.sync_api import sync_playwright

    chromium = chromium_executable()
    if chromium is None or not chromium.exists():
        raise InputError("no Chromium: install Debian's chromium or set PACTWATCH_TEST_CHROMIUM")
    engine = open_engine(settings)
    problems: list[str] = []
    try:
        subjects = pick_subjects(engine)
        with (
            screenshot_user(engine) as password,
            serving(create_app(settings, engine)) as server,
            sync_playwright() as playwright,
        ):
            browser = launch_chromium(playwright, chromium)
            context = browser.new_context(
                viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1
            )
            context.set_default_timeout(ACTION_TIMEOUT_MS)
            context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
            page = context.new_page()
            watch = PageWatch()
            watch.attach(page)
            log_in(page, server, USERNAME, password)
            out.mkdir(parents=True, exist_ok=True)
            for name, path, anchor in pages(subjects):
                response = page.goto(server.at(path))
                if response is None or response.status != 200:
                    problems.append(f"{path}: status {response and response.status}")
                page.wait_for_load_state("load")
                if anchor:
                    page.locator(anchor).evaluate("e => e.scrollIntoView({block: 'start'})")
                target = out / f"{name}.png"
                page.screenshot(path=target, full_page=False, animations="disabled")
                print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}")
                problems += [f"{path}: {p}" for p in watch.problems(page)]
                watch.console.clear()
                watch.page_errors.clear()
                watch.outside_requests.clear()
                watch.failed_requests.clear()
            context.close()
            browser.close()
    finally:
        engine.dispose()
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", help="the store: a SQLite file or a database URL (default: a new demo store)"
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help=f"folder for the PNGs (default: {OUT})"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pactwatch-shots-") as tmp:
        db = args.db or build_demo_store(Path(tmp))
        settings = get_settings().model_copy(update={"database_url": db})
        try:
            problems = take(settings, args.out)
        except InputError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
