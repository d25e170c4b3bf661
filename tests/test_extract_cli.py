"""`pactwatch extract`: no database, one JSON object a line, valid against the schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from typer.testing import CliRunner

from conftest import shared_file
from pactwatch.cli import app

SCHEMA = json.loads(
    (
        Path(__file__).resolve().parents[1] / "src/pactwatch/schemas/extraction.schema.json"
    ).read_text(encoding="utf-8")
)
runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, records, result.output


def test_seed_article_extracts_to_valid_json_without_a_store(tmp_path: Path) -> None:
    code, records, _ = run("extract", str(shared_file("corpus/seed-article.txt")))
    assert code == 0
    (record,) = records
    jsonschema.validate(record, SCHEMA)
    assert record["removed"] == [
        {
            "text": "Opinion | Trump just dealt Russia a devastating blow – The Washington Post",
            "reason": "stray_headline",
            "line": 50,
        }
    ]
    consult = [e for e in record["events"] if e["event"] == "CONSULT"]
    assert len(consult) == 1 and len(consult[0]["mentions"]) == 7
    assert not list(tmp_path.iterdir())  # nothing written anywhere


def test_jsonl_from_stdin_keeps_ids_and_dates() -> None:
    lines = [
        {
            "id": "wire-1",
            "published": "2023-09-25",
            "text": "Kosovo Prime Minister Albin Kurti met NATO Secretary General Jens "
            "Stoltenberg in Brussels on Monday to discuss the attack in Banjska.",
        },
        {"id": "wire-2", "text": "KFOR troops patrolled the main bridge in Mitrovica."},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n"
    code, records, _ = run("extract", "-", stdin=stdin)
    assert code == 0
    assert [r["doc_id"] for r in records] == ["wire-1", "wire-2"]
    for record in records:
        jsonschema.validate(record, SCHEMA)
    meeting = next(e for e in records[0]["events"] if e["event"] == "CONSULT")
    assert meeting["date"] == "2023-09-25"  # "on Monday", resolved against the publication date
    assert {a["country"] for a in meeting["actor"] + meeting["recipient"]} >= {"XKX", "IGO"}


def test_bad_jsonl_lines_are_reported_and_the_rest_extracted() -> None:
    stdin = '{"id": "ok", "text": "Serbian police arrested two men near Raska."}\n{broken\n'
    code, records, output = run("extract", "-", stdin=stdin)
    assert code == 1
    assert [r["doc_id"] for r in records] == ["ok"]
    assert "malformed_jsonl" in output and "Traceback" not in output


def test_two_processes_give_the_same_output_as_one(tmp_path: Path) -> None:
    """spaCy's multi-process path: our records cross to the workers and back intact."""
    from pactwatch.demo.run import corpus_root

    path = tmp_path / "docs.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for article in sorted((corpus_root() / "articles").glob("c0*.md"))[:6]:
            body = article.read_text(encoding="utf-8").split("---", 2)[2]
            out.write(json.dumps({"id": article.stem, "published": "2023-09-25", "text": body}))
            out.write("\n")
    code_one, one, _ = run("extract", str(path))
    code_two, two, _ = run("extract", str(path), "--processes", "2")
    assert code_one == code_two == 0
    assert len(one) == 6 and one == two
    assert sum(len(r["events"]) for r in one) > 0
