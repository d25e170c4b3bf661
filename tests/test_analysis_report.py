"""The assessment report: periods, what it says (by hand), HTML that stands alone, a PDF
with the same text (names with diacritics included), and the commands."""

from __future__ import annotations

import base64
import hashlib
import math
import re
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlalchemy import Engine, insert
from typer.testing import CliRunner

from analysis_store import T0, add_document, add_event, add_office_claim
from pactwatch.analysis import cli as analysis_cli
from pactwatch.analysis.report import (
    assessment_csp,
    build_assessment,
    parse_period,
    render_html,
    render_pdf,
)
from pactwatch.analysis.report_pdf import fold_latin1, unicode_font
from pactwatch.errors import InputError
from pactwatch.settings import Settings
from pactwatch.store.schema import flags


def test_periods() -> None:
    q1 = parse_period("2025-q1")
    assert (q1.label, q1.start, q1.end, q1.days) == (
        "2025-Q1",
        date(2025, 1, 1),
        date(2025, 3, 31),
        90,
    )
    q4 = q1.previous()
    assert (q4.label, q4.start, q4.end, q4.days) == (
        "2024-Q4",
        date(2024, 10, 1),
        date(2024, 12, 31),
        92,
    )
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("2025-01").previous().label == "2024-12"
    assert parse_period("2025-03").previous().label == "2025-02"
    assert parse_period("2025").previous() == parse_period("2024")
    for bad in ("2025-Q5", "2025-13", "25", "last quarter"):
        with pytest.raises(InputError, match="give a year"):
            parse_period(bad)


def _flag(
    engine: Engine, document: str, kind: str, explanation: str, resolved: bool = False
) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(flags).values(
                kind=kind,
                severity="warning",
                explanation=explanation,
                document_id=document,
                evidence=[],
                resolved=resolved,
                created_at=T0,
            )
        )


def _store(engine: Engine) -> None:
    # 2024-Q4: two diplomatic consultations.
    for day in (date(2024, 11, 5), date(2024, 12, 10)):
        add_event(engine, day, "CONSULT", areas=["diplomatic_engagement"])
    # 2025-Q1: ten accusations (diplomatic, not engagements), one assault.
    for week in range(10):
        add_event(
            engine,
            date(2025, 1, 6) + timedelta(weeks=week),
            "ACCUSE",
            areas=["diplomatic_engagement"],
        )
    add_event(engine, date(2025, 2, 20), "ASSAULT", areas=["security_assistance"])
    # A joint exercise told by two outlets (one cluster), with a disagreement flag.
    drill_doc = add_document(
        engine,
        published=date(2025, 2, 12),
        outlet="Prishtina Observer",
        title="Joint drill near Ferizaj",
    )
    add_event(
        engine,
        date(2025, 2, 12),
        "COOPERATE",
        areas=["joint_exercises"],
        document=drill_doc,
        actors=[("United States", "USA")],
        recipients=[("Kosovo Security Force", "XKX")],
        credibility=0.95,
        cluster="c1",
        text="US and Kosovo troops trained together.",
    )
    add_event(
        engine,
        date(2025, 2, 12),
        "COOPERATE",
        areas=["joint_exercises"],
        cluster="c1",
        actors=[("United States", "USA")],
        recipients=[("Kosovo Security Force", "XKX")],
        credibility=0.9,
    )
    _flag(engine, drill_doc, "source_disagreement", "Outlets disagree on the number of troops.")
    _flag(engine, drill_doc, "undated", "A resolved worry.", resolved=True)
    # An agreement in a doubtful document that also names the wrong defence minister.
    doubtful = add_document(
        engine,
        published=date(2025, 3, 2),
        outlet="GeoPolitics Now 24",
        title="Vučić agrees to talks",
        credibility=0.3,
    )
    add_event(
        engine,
        date(2025, 3, 2),
        "AGREE",
        document=doubtful,
        actors=[("Aleksandar Vučić", "SRB")],
        recipients=[("Josep Borrell", "EUR")],
        credibility=0.9,
    )
    add_office_claim(
        engine,
        "Nebojša Stefanović",
        "Defence Minister",
        "SRB:minister_defence",
        date(2025, 3, 2),
        document=doubtful,
        record="Bratislav Gašić, Minister of Defence of Serbia, since 2024-05-02",
    )
    # Not counted: a future agreement; a flag on a document of another period.
    add_event(engine, date(2025, 3, 20), "AGREE", modality="future", credibility=0.99)
    old = add_document(engine, published=date(2024, 11, 5))
    _flag(engine, old, "source_disagreement", "An old disagreement.")


def test_what_the_assessment_says(engine: Engine) -> None:
    _store(engine)
    a = build_assessment(engine, "2025-Q1")
    assert (a.period.label, a.previous.label, a.previous_covered) == ("2025-Q1", "2024-Q4", True)
    # 10 accusations, the assault, two drill reports, the agreement; not the future one
    assert a.overall.current.events == 14
    assert a.overall.previous.events == 2
    assert a.documents == 15  # the future agreement's document is among the sources
    assert a.outlets == 3

    areas = {s.name: s for s in a.areas}
    assert list(areas)[:2] == ["joint_exercises", "training_education"]  # the taxonomy's order
    diplomatic = areas["diplomatic_engagement"]
    assert (diplomatic.current.events, diplomatic.current.weighted) == (10, 10.0)
    assert diplomatic.current.mean_score == -3.0
    assert diplomatic.current.quad == [0, 0, 10, 0]
    # expected: Q4's weighted count scaled to Q1's length, 2 * 90 / 92
    lam = 2 * 90 / 92
    assert diplomatic.change.expected == pytest.approx(lam)
    exact = 1 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(10))
    assert diplomatic.change.p_up == pytest.approx(exact)
    assert diplomatic.change.direction == "up"
    assert areas["security_assistance"].change.direction == "steady"  # one event
    assert areas["joint_exercises"].current.weighted == pytest.approx(1.85)
    assert [w.monday for w in diplomatic.weekly][:2] == [date(2024, 12, 30), date(2025, 1, 6)]
    assert len(diplomatic.weekly) == 14  # ISO weeks touching 2025-Q1
    assert [s.name for s in a.active_areas] == [
        "joint_exercises",
        "diplomatic_engagement",
        "security_assistance",
    ]

    assert a.pairs[0].pair == "SRB-XKX" and a.pairs[0].stats.events == 11

    first, second, *rest = a.engagements
    assert (first.event, first.credibility, first.reports) == ("COOPERATE", 0.95, 2)
    assert (
        first.outlet == "Prishtina Observer"
        and first.text == "US and Kosovo troops trained together."
    )
    assert (second.event, second.actors, second.recipients) == (
        "AGREE",
        ["Aleksandar Vučić"],
        ["Josep Borrell"],
    )
    assert rest == []  # accusations and assaults are not engagements; future ones do not count

    c = a.caveats
    assert c.flag_counts == [("source_disagreement", "warning", 1)]
    assert [d["explanation"] for d in c.disagreements] == [
        "Outlets disagree on the number of troops."
    ]
    assert [(x["person"], x["outlet"]) for x in c.reference_conflicts] == [
        ("Nebojša Stefanović", "GeoPolitics Now 24")
    ]
    assert [d["title"] for d in c.low_credibility] == ["Vučić agrees to talks"]
    assert a.summary.startswith("2025-Q1: 14 events (weighted")


def test_the_html_stands_alone(engine: Engine) -> None:
    _store(engine)
    html = render_html(build_assessment(engine, "2025-Q1"))
    assert "<h1>Partnership assessment: 2025-Q1</h1>" in html
    charts = [svg for svg in html.split("<svg")[1:] if 'role="img"' in svg.split(">")[0]]
    assert len(charts) == 5  # the comparison, all areas, three active areas
    assert "significant rise" in html and "2024-Q4" in html
    assert "Aleksandar Vučić → Josep Borrell" in html
    assert "Nebojša Stefanović" in html and "Bratislav Gašić" in html
    assert "Outlets disagree on the number of troops." in html
    assert "A resolved worry" not in html and "An old disagreement" not in html
    assert "Annex: method" in html
    for outside in ("<script", "<link", 'src="http', "@import", "url(", "style="):
        assert outside not in html
    # served by the dashboard with a policy that allows exactly its one style block
    policy = assessment_csp(html)
    style = html.split("<style>")[1].split("</style>")[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in policy and "script-src" not in policy


def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    found = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S):
        body, stream = m.group(2), b""
        if s := re.search(rb"stream\r?\n", body):
            head = body[: s.start()]
            length = int(re.search(rb"/Length (\d+)", head).group(1))  # type: ignore[union-attr]
            stream = body[s.end() : s.end() + length]
            stream = zlib.decompress(stream) if b"FlateDecode" in head else stream
            body = head
        found[int(m.group(1))] = (body, stream)
    return found


def _unescape(raw: bytes) -> bytes:
    def one(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", one, raw, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The text fpdf2 drew, decoded through each font's ToUnicode map (a light reader:
    literal strings of Tj and TJ operators in two-byte Identity-H encoding)."""
    objects = _pdf_objects(data)
    cmaps: dict[int, dict[int, str]] = {}
    for number, (body, _stream) in objects.items():
        if m := re.search(rb"/ToUnicode (\d+) 0 R", body):
            pairs = re.findall(rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]{4})>", objects[int(m[1])][1])
            cmaps[number] = {int(a, 16): chr(int(b, 16)) for a, b in pairs}
    fonts = {
        name.decode(): cmaps[int(number)]
        for body, _stream in objects.values()
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", body)
        if int(number) in cmaps
    }
    lines: list[str] = []
    font: dict[int, str] = {}
    for _number, (_body, stream) in sorted(objects.items()):
        for m in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)|(T[Jj])", stream, re.S):
            if m[1]:
                font = fonts.get(m[1].decode(), {})
            elif m[3]:
                lines.append("\n")
            else:
                raw = _unescape(m[2])
                lines.append(
                    "".join(
                        font.get(int.from_bytes(raw[i : i + 2], "big"), "?")
                        for i in range(0, len(raw) - 1, 2)
                    )
                )
    return "".join(lines)


def test_the_pdf_says_the_same(engine: Engine, tmp_path: Path) -> None:
    _store(engine)
    path = render_pdf(build_assessment(engine, "2025-Q1"), tmp_path / "out" / "q1.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type /Page\b", data))
    assert 2 <= pages <= 8
    text = pdf_text(data)
    for expected in (
        "Partnership assessment: 2025-Q1",
        "Activity per cooperation area",
        "Diplomatic engagement",
        "▲ rise",
        "Aleksandar Vučić → Josep Borrell",
        "Nebojša Stefanović",
        "Outlets disagree on the number of troops.",
        "Notable engagements",
        "Annex: method",
        f"page {pages}",
    ):
        assert expected in text, expected
    assert unicode_font() is not None  # the font shipped in analysis/fonts


def test_core_font_fallback_folds_names() -> None:
    assert fold_latin1("Vučić, Đurić, Gërvalla − “talks”") == 'Vucic, Duric, Gërvalla - "talks"'


def test_an_empty_store_still_reports(engine: Engine, tmp_path: Path) -> None:
    a = build_assessment(engine, "2025-03")
    assert a.overall.current.events == 0 and not a.previous_covered
    assert a.overall.change.direction == "untested"
    assert "no baseline" in render_html(a)
    assert render_pdf(a, tmp_path / "empty.pdf").read_bytes().startswith(b"%PDF")


@pytest.fixture
def commands(engine: Engine, database_url: str, tmp_path: Path, monkeypatch: Any) -> typer.Typer:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    monkeypatch.setattr(analysis_cli, "current_settings", lambda: settings)
    app = typer.Typer()
    app.command("report")(analysis_cli.report_command)
    app.command("indicators")(analysis_cli.indicators_command)
    app.add_typer(analysis_cli.alerts_app, name="alerts")
    return app


def test_the_commands(engine: Engine, commands: typer.Typer, tmp_path: Path) -> None:
    _store(engine)
    runner = CliRunner()
    out = tmp_path / "q1.pdf"
    result = runner.invoke(
        commands, ["report", "--period", "2025-Q1", "--format", "pdf", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output and "2025-Q1: 14 events" in result.output
    assert out.read_bytes().startswith(b"%PDF")

    html = tmp_path / "q1.html"
    result = runner.invoke(commands, ["report", "--period", "2025-Q1", "-o", str(html)])
    assert result.exit_code == 0 and "<svg" in html.read_text()

    result = runner.invoke(commands, ["report", "--period", "Q1"])
    assert result.exit_code == 2  # one line on stderr, no traceback

    result = runner.invoke(
        commands, ["indicators", "--pair", "XKX-SRB", "--as-of", "2025-03-16", "--weeks", "4"]
    )
    assert result.exit_code == 0, result.output
    assert "all areas · SRB-XKX" in result.output
    assert "diplomatic" in result.output  # the per-area rows (wrapped on a narrow terminal)

    result = runner.invoke(commands, ["alerts", "run", "--as-of", "2025-03-05"])
    assert result.exit_code == 0, result.output
    assert "office-claim-conflict" in result.output
    result = runner.invoke(commands, ["alerts", "list"])
    assert result.exit_code == 0 and "alerts 1-1 of 1" in result.output
