"""The command line as a user meets it: help, summaries, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from pactwatch.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_help_teaches_the_commands() -> None:
    code, output = invoke("--help")
    assert code == 0
    for command in ("ingest", "feeds", "status", "brief", "demo"):
        assert command in output
    code, output = invoke("ingest", "--help")
    assert code == 0
    assert "--allow-private" in output and ".jsonl" in output


def test_ingest_status_and_brief(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.md").write_text(
        '---\ntitle: "KFOR patrols"\noutlet: Balkan Wire Service\npublished: 2023-06-01\n---\n'
        "ZVECAN, June 1 (Balkan Wire Service) - KFOR soldiers patrolled the town on Thursday "
        "as Serb protesters gathered for a fourth day outside the municipal building.\n",
        encoding="utf-8",
    )
    code, output = invoke("--db", db, "ingest", str(tmp_path / "in"))
    assert code == 0, output
    assert "new documents stored" in output
    code, output = invoke("--db", db, "status")
    assert code == 0
    assert "documents (first copies)" in output and "ingest" in output
    code, output = invoke("--db", db, "brief")
    assert code == 0
    assert "Balkan Wire Service" in output and "2023-06" in output


def test_bad_input_exits_1_with_one_line_each_and_no_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00broken")
    code, output = invoke("--db", db, "ingest", str(bad), str(tmp_path / "nope.md"))
    assert code == 1
    assert "Traceback" not in output
    assert "bad.txt" in output and "nope.md" in output
    assert "dropped: not_utf8" in output and "dropped: not_found" in output


def test_store_errors_are_one_line(tmp_path: Path) -> None:
    code, output = invoke("--db", "mysql://nobody@127.0.0.1/x", "status")
    assert code == 2
    assert "error:" in output and "Traceback" not in output


def test_feeds_add_refuses_a_non_http_url(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    code, output = invoke("--db", db, "feeds", "add", "file:///etc/passwd")
    assert code == 2
    assert "only http and https" in output
    code, output = invoke("--db", db, "feeds", "add", "https://news.example/rss.xml")
    assert code == 0 and "subscribed" in output
    code, output = invoke("--db", db, "feeds", "add", "https://news.example/rss.xml")
    assert code == 0 and "already subscribed" in output
    code, output = invoke("--db", db, "feeds", "list")
    assert "https://news.example/rss.xml" in output and "never" in output
