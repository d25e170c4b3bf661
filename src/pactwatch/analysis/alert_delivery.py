"""Delivering alerts: a console line, a JSON Lines file and a webhook, each recorded.

Every channel is tried for every alert and its outcome written to ``alerts.deliveries``
(``{"console": {...}, "jsonl": {...}, "webhook": {...}}``), so the dashboard shows which
alert reached whom. The webhook is retried with exponential backoff and jitter on
network errors, timeouts, 408, 429 and 5xx; any other answer is final. No channel's
failure raises: an alert that could not be posted is still stored and logged.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine, update

from pactwatch import console as pw_console
from pactwatch.settings import Settings
from pactwatch.store.schema import alerts as alerts_table

if TYPE_CHECKING:
    from pactwatch.analysis.alerts import Alert

_COLOURS = {"serious": "red", "warning": "yellow", "info": "cyan"}
_RETRY_STATUS = {408, 429}
_JITTER = random.SystemRandom()  # not for secrecy: SystemRandom needs no seed


def backoff_delay(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Seconds to wait before retry number ``attempt`` (1, 2, ...): the exponential step
    ``base * 2**(attempt-1)`` (at most ``cap``), half of it fixed and half random, so
    many clients retrying at once spread out."""
    step = min(cap, base * 2.0 ** (attempt - 1))
    return step / 2 + float(_JITTER.uniform(0, step / 2))


@dataclass(frozen=True, slots=True)
class Delivery:
    """How to deliver: injectable waits and transport so tests neither sleep nor dial out."""

    console: Console = field(default_factory=lambda: pw_console.err)
    timeout: float = 10.0  # seconds per webhook attempt (connect, read and write each)
    backoff: Callable[[int], float] = backoff_delay
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None


def alert_log_path(settings: Settings) -> Path:
    return settings.alert_log or settings.data_dir / "alerts.jsonl"


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _to_console(alert: Alert, out: Console) -> dict[str, Any]:
    colour = _COLOURS.get(alert.severity, "white")
    out.print(
        f"[{colour}]alert {alert.severity}[/{colour}] [bold]{escape(alert.rule)}[/bold]: "
        f"{escape(alert.message)}"
    )
    return {"ok": True, "at": _now()}


def _to_file(alert: Alert, path: Path) -> dict[str, Any]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(alert.as_json(), ensure_ascii=False) + "\n")
    except OSError as error:
        return {"ok": False, "path": str(path), "error": error.strerror or str(error)}
    return {"ok": True, "path": str(path), "at": _now()}


def post_webhook(
    url: str, payload: dict[str, Any], settings: Settings, delivery: Delivery
) -> dict[str, Any]:
    """POST ``payload`` as JSON, up to ``settings.webhook_retries`` attempts."""
    attempts = max(1, settings.webhook_retries)
    tries: list[dict[str, Any]] = []
    headers = {
        "User-Agent": settings.user_agent,
        "Idempotency-Key": str(payload.get("dedup_key", "")),
    }
    with httpx.Client(
        timeout=httpx.Timeout(delivery.timeout), transport=delivery.transport, headers=headers
    ) as client:
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                delivery.sleep(delivery.backoff(attempt - 1))
            try:
                response = client.post(url, json=payload)
            except httpx.HTTPError as error:
                tries.append({"error": f"{type(error).__name__}: {error}"})
                continue
            tries.append({"status": response.status_code})
            if response.is_success:
                return {"ok": True, "attempts": attempt, "tries": tries, "at": _now()}
            if response.status_code < 500 and response.status_code not in _RETRY_STATUS:
                break  # the server refused this payload: retrying will not change that
    last = tries[-1]
    reason = f"HTTP {last['status']}" if "status" in last else last["error"]
    return {"ok": False, "attempts": len(tries), "tries": tries, "error": reason, "at": _now()}


def deliver_alerts(
    fired: list[Alert], engine: Engine, settings: Settings, delivery: Delivery
) -> None:
    """Deliver each alert to every channel and record the outcomes in the store."""
    log = alert_log_path(settings)
    for alert in fired:
        outcome = {"console": _to_console(alert, delivery.console), "jsonl": _to_file(alert, log)}
        if settings.webhook_url:
            outcome["webhook"] = post_webhook(
                settings.webhook_url, alert.as_json(), settings, delivery
            )
            if not outcome["webhook"]["ok"]:
                delivery.console.print(
                    f"[yellow]webhook failed[/yellow] for alert {alert.id}: "
                    f"{escape(outcome['webhook']['error'])} after "
                    f"{outcome['webhook']['attempts']} attempt(s)"
                )
        alert.deliveries = outcome
        if alert.id is not None:
            with engine.begin() as conn:
                conn.execute(
                    update(alerts_table)
                    .where(alerts_table.c.id == alert.id)
                    .values(deliveries=outcome)
                )
