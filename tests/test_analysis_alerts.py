"""Alerts: the rules file, the three shipped rules, dedup, and delivery (console, JSON Lines,
a webhook served on 127.0.0.1 that fails and recovers, or never does)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Engine, select

from analysis_store import add_event, add_office_claim
from pactwatch.analysis.alert_delivery import Delivery, backoff_delay
from pactwatch.analysis.alert_rules import DEFAULT_RULES, load_rules
from pactwatch.analysis.alerts import after_ingest, evaluate_alerts, list_alerts, run_alerts
from pactwatch.errors import ConfigError
from pactwatch.settings import Settings
from pactwatch.store.schema import alerts as alerts_table

W10 = date(2025, 3, 3)  # Monday of 2025-W10
NOW = datetime(2025, 3, 7, 18, 0, tzinfo=UTC)  # Friday of W10


# --- the rules file -----------------------------------------------------------------


def test_the_default_rules_are_the_three_examples() -> None:
    rules = load_rules(DEFAULT_RULES)
    assert [(r.name, r.kind) for r in rules] == [
        ("xkx-srb-material-conflict", "baseline_exceedance"),
        ("office-claim-conflict", "office_conflict"),
        ("silent-area", "silent_area"),
    ]
    baseline = rules[0]
    assert baseline.kind == "baseline_exceedance"
    assert baseline.parsed_pair == ("SRB", "XKX")
    assert (baseline.quad_class, baseline.baseline_weeks) == (4, 8)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            "{name: b, kind: baseline_exceedance, alpha: 2}",
            "rule 2 (b): alpha: Input should be less than 1",
        ),
        ("{name: b, kind: baseline_exceedance, pair: KOSOVO}", "rule 2 (b): pair: Value error"),
        ("{name: b, kind: silent_area}", "rule 2 (b): weeks: Field required"),
        ("{name: b, kind: silent_area, weeks: 3, colour: red}", "colour: Extra inputs"),
        ("{name: b, kind: earthquake}", "rule 2 (b): rule: Input tag 'earthquake'"),
        ("{name: a, kind: office_conflict}", "rule 2 (a): name used twice"),
        (
            "{name: 'has spaces', kind: office_conflict}",
            "rule 2 (has spaces): name: String should match",
        ),
    ],
)
def test_a_bad_rule_is_named_with_its_file(tmp_path: Path, rule: str, expected: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(f"rules:\n  - {{name: a, kind: office_conflict}}\n  - {rule}\n")
    with pytest.raises(ConfigError) as error:
        load_rules(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_a_file_that_is_not_rules(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("- just a list\n")
    with pytest.raises(ConfigError, match="a list under 'rules'"):
        load_rules(path)
    path.write_text("rules: [\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_rules(path)
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")


# --- the shipped rules over a store ---------------------------------------------------


def _store_for_default_rules(engine: Engine) -> None:
    # Diplomatic activity in W01, then silence: six full weeks before W10 are empty.
    add_event(engine, date(2024, 12, 31), "CONSULT", areas=["diplomatic_engagement"])
    # One XKX-SRB assault in W06 (the baseline, mean 1/8, floored to 0.25), three in W10.
    conflict = {
        "areas": ["security_assistance"],
        "actors": [("Serb group", "SRB")],
        "recipients": [("Kosovo Police", "XKX")],
    }
    add_event(engine, date(2025, 2, 4), "ASSAULT", **conflict)  # type: ignore[arg-type]
    for day in (3, 4, 6):
        add_event(engine, date(2025, 3, day), "ASSAULT", **conflict)  # type: ignore[arg-type]
    # Material cooperation between the two is another quad class: not counted by the rule.
    add_event(engine, date(2025, 3, 5), "COOPERATE", areas=["security_assistance"])
    # A person named in an office the reference gives to someone else, in two documents.
    for day in (5, 6):
        add_office_claim(
            engine,
            "Nebojša Stefanović",
            "Defence Minister",
            "SRB:minister_defence",
            date(2025, 3, day),
            record="Bratislav Gašić, Minister of Defence of Serbia, since 2024-05-02",
        )
    add_office_claim(
        engine, "Albin Kurti", "Prime Minister", "XKX:prime_minister", W10, verdict="match"
    )


def _quiet(tmp_path: Path, **updates: Any) -> tuple[Settings, Delivery, io.StringIO]:
    out = io.StringIO()
    settings = Settings(data_dir=tmp_path / "data", database_url=None, **updates)
    delivery = Delivery(console=Console(file=out, width=300), sleep=lambda _s: None)
    return settings, delivery, out


def test_the_default_rules_fire_once_each(engine: Engine, tmp_path: Path) -> None:
    _store_for_default_rules(engine)
    settings, delivery, out = _quiet(tmp_path)
    fired = run_alerts(engine, settings, NOW, delivery)
    by_rule = {a.rule: a for a in fired}
    assert sorted(by_rule) == ["office-claim-conflict", "silent-area", "xkx-srb-material-conflict"]
    assert len(fired) == 3

    conflict = by_rule["xkx-srb-material-conflict"]
    assert conflict.severity == "serious"
    assert conflict.dedup_key == "xkx-srb-material-conflict:*:SRB-XKX:2025-W10"
    assert conflict.details["events"] == 3
    assert conflict.details["baseline_mean"] == pytest.approx(0.125)
    assert conflict.details["expected"] == pytest.approx(0.25)
    # P(X >= 3 | 0.25) = 1 - e^-0.25 (1 + 0.25 + 0.03125)
    assert conflict.details["p_value"] == pytest.approx(1 - 0.7788007830714049 * 1.28125)
    assert conflict.message.startswith("SRB-XKX: 3 material conflict events in 2025-W10")

    office = by_rule["office-claim-conflict"]
    assert office.details["on_date"] == "2025-03-05"  # the first statement
    assert "Nebojša Stefanović is named Defence Minister" in office.message
    assert "Bratislav Gašić" in office.message

    silent = by_rule["silent-area"]
    assert silent.details == {
        "description": "A cooperation area with no reported activity for six weeks.",
        "area": "diplomatic_engagement",
        "weeks": 6,
        "last_week": "2025-W01",
        "last_week_start": "2024-12-30",
    }

    # Delivered: a console line each, a JSON line each, outcomes stored.
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert any("alert serious xkx-srb-material-conflict: SRB-XKX" in line for line in lines)
    logged = [json.loads(x) for x in (tmp_path / "data" / "alerts.jsonl").read_text().splitlines()]
    assert [x["dedup_key"] for x in logged] == [a.dedup_key for a in fired]
    stored, total = list_alerts(engine, 10, 0)
    assert total == 3
    for alert in stored:
        assert alert.deliveries["console"]["ok"] is True
        assert alert.deliveries["jsonl"]["ok"] is True
        assert "webhook" not in alert.deliveries

    # The same conditions never alert twice, even a day later.
    assert run_alerts(engine, settings, NOW + timedelta(days=1), delivery) == []
    assert list_alerts(engine, 10, 0)[1] == 3


def test_a_new_person_in_the_office_alerts_again(engine: Engine, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {name: offices, kind: office_conflict, severity: serious}\n")
    settings = Settings(data_dir=tmp_path, database_url=None, alert_rules=rules)
    add_office_claim(engine, "Armend Zemaj", "Minister of Defense", "XKX:minister_defence", W10)
    assert [a.dedup_key for a in evaluate_alerts(engine, settings, NOW)] == [
        "offices:armend zemaj:xkx:minister_defence"
    ]
    add_office_claim(engine, "ARMEND ZEMAJ", "Defence Minister", "XKX:minister_defence", W10)
    assert evaluate_alerts(engine, settings, NOW) == []  # same person, same office
    add_office_claim(engine, "Donika Zemaj", "Minister of Defense", "XKX:minister_defence", W10)
    assert [a.details["person"] for a in evaluate_alerts(engine, settings, NOW)] == ["Donika Zemaj"]
    # claims dated after "now" are not news yet
    add_office_claim(engine, "Ejup Zemaj", "Minister", "XKX:minister_defence", date(2025, 4, 1))
    assert evaluate_alerts(engine, settings, NOW) == []


def test_silence_of_a_named_area_that_never_spoke(engine: Engine, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - {name: quiet, kind: silent_area, weeks: 2, areas: [cybersecurity, "
        "diplomatic_engagement]}\n"
    )
    settings = Settings(data_dir=tmp_path, database_url=None, alert_rules=rules)
    add_event(engine, W10 - timedelta(weeks=1), "CONSULT", areas=["diplomatic_engagement"])
    fired = evaluate_alerts(engine, settings, NOW)
    # diplomatic engagement spoke last week; cybersecurity never did in the year before
    assert [(a.details["area"], a.details["last_week"]) for a in fired] == [("cybersecurity", None)]
    assert fired[0].dedup_key == "quiet:cybersecurity:none"


def test_after_ingest_never_raises(engine: Engine, tmp_path: Path, capsys: Any) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {name: x, kind: silent_area}\n")
    settings = Settings(data_dir=tmp_path, database_url=None, alert_rules=rules)
    assert after_ingest(engine, settings) == []
    assert "alerts not evaluated" in capsys.readouterr().err


# --- the webhook ----------------------------------------------------------------------


class _Hook(ThreadingHTTPServer):
    def __init__(self, statuses: list[int], default: int) -> None:
        super().__init__(("127.0.0.1", 0), _HookHandler)
        self.statuses = statuses
        self.default = default
        self.received: list[tuple[dict[str, str], dict[str, Any]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _HookHandler(BaseHTTPRequestHandler):
    server: _Hook

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), json.loads(body)))
        status = self.server.statuses.pop(0) if self.server.statuses else self.server.default
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hook_server(request: pytest.FixtureRequest) -> Iterator[_Hook]:
    statuses, default = request.param
    server = _Hook(list(statuses), default)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _one_alert_store(engine: Engine, tmp_path: Path, url: str, retries: int) -> Settings:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {name: offices, kind: office_conflict}\n")
    add_office_claim(engine, "Armend Zemaj", "Minister of Defense", "XKX:minister_defence", W10)
    return Settings(
        data_dir=tmp_path, database_url=None, alert_rules=rules, webhook_url=url,
        webhook_retries=retries,
    )  # fmt: skip


@pytest.mark.parametrize("hook_server", [([500, 503], 200)], indirect=True)
def test_the_webhook_is_retried_until_it_answers(
    engine: Engine, tmp_path: Path, hook_server: _Hook
) -> None:
    settings = _one_alert_store(engine, tmp_path, hook_server.url, retries=4)
    waits: list[float] = []
    delivery = Delivery(
        console=Console(file=io.StringIO()), backoff=lambda n: 0.01 * 2**n, sleep=waits.append
    )
    [alert] = run_alerts(engine, settings, NOW, delivery)
    outcome = alert.deliveries["webhook"]
    assert outcome["ok"] is True
    assert outcome["attempts"] == 3
    assert outcome["tries"] == [{"status": 500}, {"status": 503}, {"status": 200}]
    assert waits == [0.02, 0.04]  # backoff before the second and the third attempt
    assert len(hook_server.received) == 3
    headers, payload = hook_server.received[-1]
    assert payload["dedup_key"] == alert.dedup_key == headers["Idempotency-Key"]
    assert payload["rule"] == "offices"
    assert headers["User-Agent"] == settings.user_agent
    with engine.connect() as conn:
        stored = conn.scalar(select(alerts_table.c.deliveries))
    assert stored is not None and stored["webhook"]["ok"] is True


@pytest.mark.parametrize("hook_server", [([], 503)], indirect=True)
def test_a_dead_webhook_is_recorded_not_raised(
    engine: Engine, tmp_path: Path, hook_server: _Hook
) -> None:
    settings = _one_alert_store(engine, tmp_path, hook_server.url, retries=3)
    out = io.StringIO()
    waits: list[float] = []
    delivery = Delivery(console=Console(file=out, width=200), sleep=waits.append)
    [alert] = run_alerts(engine, settings, NOW, delivery)
    outcome = alert.deliveries["webhook"]
    assert (outcome["ok"], outcome["attempts"], outcome["error"]) == (False, 3, "HTTP 503")
    assert len(hook_server.received) == 3
    assert len(waits) == 2
    assert 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0  # the default backoff
    assert "webhook failed for alert" in out.getvalue()
    assert alert.deliveries["jsonl"]["ok"] is True  # the other channels still delivered
    [stored], _ = list_alerts(engine, 10, 0)
    assert stored.deliveries["webhook"]["error"] == "HTTP 503"


@pytest.mark.parametrize("hook_server", [([400], 200)], indirect=True)
def test_a_refused_payload_is_not_retried(
    engine: Engine, tmp_path: Path, hook_server: _Hook
) -> None:
    settings = _one_alert_store(engine, tmp_path, hook_server.url, retries=4)
    delivery = Delivery(console=Console(file=io.StringIO()), sleep=lambda _s: None)
    [alert] = run_alerts(engine, settings, NOW, delivery)
    assert alert.deliveries["webhook"]["tries"] == [{"status": 400}]


def test_an_unreachable_webhook(engine: Engine, tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there now
    settings = _one_alert_store(engine, tmp_path, f"http://127.0.0.1:{port}/", retries=2)
    delivery = Delivery(console=Console(file=io.StringIO()), sleep=lambda _s: None, timeout=2)
    [alert] = run_alerts(engine, settings, NOW, delivery)
    outcome = alert.deliveries["webhook"]
    assert outcome["ok"] is False and outcome["attempts"] == 2
    assert outcome["error"].startswith("ConnectError")


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    for _ in range(50):
        assert 0.25 <= backoff_delay(1) <= 0.5
        assert 1.0 <= backoff_delay(3) <= 2.0
        assert 15.0 <= backoff_delay(12) <= 30.0
    assert len({backoff_delay(4) for _ in range(20)}) > 1


def test_list_alerts_pages_newest_first(engine: Engine, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - {name: offices, kind: office_conflict}\n")
    settings = Settings(data_dir=tmp_path, database_url=None, alert_rules=rules)
    for i, name in enumerate(["A One", "B Two", "C Three"]):
        add_office_claim(engine, name, "Minister of Defense", "XKX:minister_defence", W10)
        evaluate_alerts(engine, settings, NOW + timedelta(hours=i))
    page, total = list_alerts(engine, limit=2, offset=0)
    assert total == 3
    assert [a.details["person"] for a in page] == ["C Three", "B Two"]
    rest, _ = list_alerts(engine, limit=2, offset=2)
    assert [a.details["person"] for a in rest] == ["A One"]
    assert rest[0].as_json()["fired_at"] == NOW.isoformat()
