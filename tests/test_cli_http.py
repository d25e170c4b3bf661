"""`ingest URL` and `feeds add/poll` over real HTTP, against a server on 127.0.0.1."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pactwatch.cli import app
from pactwatch.demo.run import corpus_root

runner = CliRunner()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def demo_site() -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(corpus_root()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_url_ingest_refuses_loopback_unless_allowed(demo_site: str, tmp_path: Path) -> None:
    db = str(tmp_path / "http.sqlite")
    page = f"{demo_site}/site/kosovo-bayraktar-tb2-drones-ksf.html"
    code, output = invoke("--db", db, "ingest", page)
    assert code == 1
    assert "private_address" in output and "127.0.0.1" in output
    code, output = invoke(
        "--db", db, "ingest", "--allow-private", page, f"{demo_site}/missing.html"
    )
    assert code == 1, output  # the 404 is dropped, the page is stored
    assert "dropped: http_404" in output
    code, output = invoke("--db", db, "brief")
    assert "Bayraktar" in output and "Western Balkans Briefing" in output


def test_feed_poll_over_http_then_not_modified(demo_site: str, tmp_path: Path) -> None:
    db = str(tmp_path / "feed.sqlite")
    feed = f"{demo_site}/feed.xml"
    assert invoke("--db", db, "feeds", "add", feed)[0] == 0
    code, output = invoke("--db", db, "feeds", "poll")
    assert code == 1 and "private_address" in output  # loopback refused by default
    code, output = invoke("--db", db, "feeds", "poll", "--allow-private")
    assert code == 0, output
    assert "6 new entries" in output
    code, output = invoke("--db", db, "feeds", "poll", "--allow-private")
    assert code == 0 and "not modified" in output
    code, output = invoke("--db", db, "status")
    assert "sources: feed" in output
