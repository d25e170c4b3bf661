"""The ``pactwatch`` command line: thin commands over the functions in ``jobs``.

Every command takes ``--db`` (a SQLite file path or a database URL) before its name;
without it the store is the one in settings (``PACTWATCH_DATABASE_URL``, else a SQLite
file in the data folder). User errors print one line and exit 2; an ingest in which
some items were dropped exits 1 after its summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pactwatch import __version__, console
from pactwatch.cli_common import (
    current_settings,
    display_path,
    display_url,
    open_engine,
    state,
    user_errors,
)
from pactwatch.errors import PactwatchError
from pactwatch.models import Dropped

app = typer.Typer(
    name="pactwatch",
    help=(
        "Watch open-source news about security partnerships and turn it into checked, "
        "structured intelligence.\n\n"
        "Start with [bold]pactwatch demo[/bold] (the bundled corpus), then "
        "[bold]pactwatch ingest FILES-OR-URLS[/bold], [bold]pactwatch status[/bold] and "
        "[bold]pactwatch brief[/bold]."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
feeds_app = typer.Typer(
    help="Subscribe to RSS/Atom feeds and poll them for new articles.", no_args_is_help=True
)
app.add_typer(feeds_app, name="feeds")


def version_callback(value: bool) -> None:
    if value:
        console.out.print(f"pactwatch {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Store to use: a SQLite file path or a database URL "
            "(postgresql://user@host/db). Default: PACTWATCH_DATABASE_URL or "
            "a SQLite file in the data folder.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=version_callback,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    state.database = db


@app.command()
def ingest(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="Files (.txt .md .html .htm .jsonl), folders (read recursively) and http(s) URLs.",
            show_default=False,
        ),
    ],
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private",
            help="Allow URLs on loopback or private "
            "addresses (refused by default to prevent SSRF).",
        ),
    ] = False,
    no_extract: Annotated[
        bool,
        typer.Option(
            "--no-extract",
            help="Only clean and store the documents; the next run extracts them.",
        ),
    ] = False,
) -> None:
    """Read news into the store: clean it, date it, link copies, extract events.

    Examples:

      pactwatch ingest articles/ wire.jsonl

      pactwatch ingest https://example.org/news/story.html
    """
    from pactwatch.jobs import ingest_targets

    state.allow_private = allow_private
    settings = current_settings()
    with user_errors():
        engine = open_engine(settings)
        summary = ingest_targets(
            engine,
            settings,
            targets,
            progress=console.rich_progress,
            on_dropped=console.report_dropped,
            extract=not no_extract,
        )
    console.print_summary("Ingest summary", summary)
    if summary.dropped_total:
        raise typer.Exit(code=1)


@feeds_app.command("add")
def feeds_add(url: Annotated[str, typer.Argument(help="The RSS or Atom feed's URL.")]) -> None:
    """Subscribe to a feed; `pactwatch feeds poll` then reads its new items."""
    from pactwatch.sources.netguard import check_url
    from pactwatch.store.feeds import add_feed

    settings = current_settings()
    with user_errors():
        # Scheme and form only; addresses are checked when the feed is polled.
        check_url(url, allow_private=True)
        added = add_feed(open_engine(settings), url)
    console.out.print(f"subscribed to {url}" if added else f"already subscribed to {url}")


@feeds_app.command("list")
def feeds_list() -> None:
    """List subscribed feeds with when they were last polled."""
    from pactwatch.store.feeds import list_feeds

    with user_errors():
        subscriptions = list_feeds(open_engine(current_settings()))
    if not subscriptions:
        console.out.print("no feeds yet: pactwatch feeds add URL")
    for sub in subscriptions:
        polled = sub.last_polled_at.strftime("%Y-%m-%d %H:%M") if sub.last_polled_at else "never"
        console.out.print(
            f"{sub.url}  ({sub.title or 'untitled'}; {sub.items_seen} items seen; "
            f"last polled {polled})"
        )


@feeds_app.command("poll")
def feeds_poll(
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Allow feeds and pages on loopback or private addresses."
        ),
    ] = False,
) -> None:
    """Fetch every subscribed feed (conditional GET) and ingest the items not seen before."""
    from pactwatch.jobs import poll_feeds

    state.allow_private = allow_private
    settings = current_settings()
    failed = False
    with user_errors():
        reports = poll_feeds(
            open_engine(settings),
            settings,
            progress=console.rich_progress,
            on_dropped=console.report_dropped,
        )
    if not reports:
        console.out.print("no feeds yet: pactwatch feeds add URL")
    for report in reports:
        note = "not modified" if report.not_modified else f"{report.new_entries} new entries"
        console.out.print(f"[bold]{report.feed_url}[/bold]: {note}")
        console.print_summary("Feed poll summary", report.summary)
        failed = failed or report.summary.dropped_total > 0
    if failed:
        raise typer.Exit(code=1)


@app.command()
def status() -> None:
    """Counts of what the store holds, and the last runs."""
    from pactwatch.store.queries import store_status

    settings = current_settings()
    with user_errors():
        result = store_status(open_engine(settings))
    console.print_status(result, display_url(settings))


@app.command()
def brief() -> None:
    """A readable summary of the store: coverage, sources, copies, undated and dropped items."""
    from pactwatch.store.queries import brief as build_brief

    with user_errors():
        result = build_brief(open_engine(current_settings()))
    console.print_brief(result)


@app.command()
def extract(
    source: Annotated[
        str,
        typer.Argument(
            help="A text, Markdown or HTML file, a JSON Lines file of documents "
            '({"id", "text", optional "published", "url", "title"}), or - for standard input.'
        ),
    ] = "-",
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, help="Processes for spaCy (large inputs).")
    ] = 1,
) -> None:
    """Extract actors, PLOVER/CAMEO events, cooperation areas and places, with no database.

    Prints one JSON object a line per document (schema: pactwatch/schemas/extraction.schema.json):

      pactwatch extract article.html

      cat docs.jsonl | pactwatch extract - --processes 2 > events.jsonl
    """
    from pactwatch.jobs import extract_source

    settings = current_settings()
    failed = False

    def dropped(item: Dropped) -> None:
        nonlocal failed
        failed = True
        console.report_dropped(item)

    with user_errors():
        for record in extract_source(source, settings, processes=processes, on_dropped=dropped):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failed:
        raise typer.Exit(code=1)


@app.command("eval")
def evaluate_command(
    gold: Annotated[
        Path, typer.Argument(help="Gold sentences, JSON Lines (docs/annotation-guide.md).")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score extraction against gold data: precision, recall and F1 per field.

    pactwatch eval tests/gold/extraction-dev.jsonl
    """
    from pactwatch.evaluate import evaluate, load_gold
    from pactwatch.nlp.pipeline import shared_pipeline

    settings = current_settings()
    with user_errors():
        if not gold.is_file():
            raise PactwatchError(f"{gold}: no such gold file")
        report = evaluate(load_gold(gold), shared_pipeline(settings.date_order))
    if as_json:
        sys.stdout.write(json.dumps(report.as_json(), indent=2) + "\n")
    else:
        console.print_eval(report, str(gold))


@app.command()
def demo() -> None:
    """Ingest the bundled demo corpus (articles, a JSON Lines file, an RSS feed of a news
    site) and print the brief. Re-running adds nothing new."""
    from pactwatch.demo.run import run_demo
    from pactwatch.store.queries import brief as build_brief

    settings = current_settings()
    with user_errors():
        engine = open_engine(settings)
        report = run_demo(
            engine, settings, progress=console.rich_progress, on_dropped=console.report_dropped
        )
        console.print_summary("Demo corpus: files", report.files)
        for feed in report.feeds:
            console.out.print(f"[bold]Demo feed[/bold] {feed.feed_url}")
            console.print_summary("Demo corpus: feed", feed.summary)
        console.print_brief(build_brief(engine))
    console.out.print(
        f"\nStore: {display_url(settings)}\nExplore it: .venv/bin/pactwatch --db "
        f"{display_path(settings)} status | brief | ingest MORE-FILES"
    )


# Commands kept in their own modules, next to what they drive. Imported here, at the end,
# because those modules only need cli_common, never this module.
from pactwatch.analysis.cli import alerts_app, indicators_command, report_command  # noqa: E402
from pactwatch.cli_checks import (  # noqa: E402
    check_command,
    credibility_app,
    eval_flags_command,
    flags_command,
)
from pactwatch.knowledge.cli import knowledge_app  # noqa: E402
from pactwatch.share.cli import export_app  # noqa: E402
from pactwatch.share.taxii.cli import collections_app, partners_app  # noqa: E402
from pactwatch.web.cli import serve_command, tokens_app, users_app  # noqa: E402
from pactwatch.web.reviews import reviews_export_command  # noqa: E402

reviews_app = typer.Typer(
    help="Analysts' confirmations, corrections and rejections of events.", no_args_is_help=True
)
reviews_app.command("export")(reviews_export_command)

# Checking
app.command("check")(check_command)
app.command("flags")(flags_command)
app.command("eval-flags")(eval_flags_command)
app.add_typer(credibility_app, name="credibility")
app.add_typer(knowledge_app, name="knowledge")
# Evaluating
app.command("serve")(serve_command)
app.command("report")(report_command)
app.command("indicators")(indicators_command)
app.add_typer(alerts_app, name="alerts")
app.add_typer(reviews_app, name="reviews")
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")
# Sharing
app.add_typer(export_app, name="export")
app.add_typer(partners_app, name="partners")
app.add_typer(collections_app, name="collections")
