"""Partner-supplied intelligence on the dashboard and in the API: shown apart, marked, with
provenance and TLP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from pactwatch.store.schema import partner_objects, subscriptions
from test_web_auth import client, logged_in, make_app
from web_support import anyio_backend, fast_hashing  # noqa: F401 - fixtures

pytestmark = pytest.mark.anyio


def _seed(engine: Engine) -> None:
    now = datetime(2026, 11, 27, 10, tzinfo=UTC)
    with engine.begin() as conn:
        sub = conn.execute(
            insert(subscriptions).values(
                api_root_url="https://partner.example/taxii2/api1/",
                collection_id="91a7b528-80eb-42ed-a74d-c6fbd5a26116",
                name="Partner ministry, Balkans collection",
                created_at=now,
            )
        ).inserted_primary_key[0]
        for version, name, rank in (
            ("2026-11-01T00:00:00.000000Z", "Old title", 1),
            ("2026-11-02T00:00:00.000000Z", "Border incident near Jarinje", 1),
        ):
            conn.execute(
                insert(partner_objects).values(
                    subscription_id=sub,
                    stix_id="report--0f4c1a52-3d2e-4d4b-9d0c-5d1c4b0e7a11",
                    type="report",
                    version=version,
                    tlp_rank=rank,
                    object={"type": "report", "name": name, "description": "as reported"},
                    imported_at=now,
                )
            )
        conn.execute(
            insert(partner_objects).values(
                subscription_id=sub,
                stix_id="identity--7d1b4a52-3d2e-4d4b-9d0c-5d1c4b0e7a12",
                type="identity",
                version="2026-11-02T00:00:00.000000Z",
                tlp_rank=2,
                object={"type": "identity", "name": "Kosovo Police"},
                imported_at=now,
            )
        )


async def test_partner_objects_are_shown_marked_with_provenance_and_tlp(
    engine: Engine, tmp_path: Path
) -> None:
    _seed(engine)
    app = make_app(engine, tmp_path)
    async with client(app) as http:
        await logged_in(http, engine, "vera", "viewer")
        page = await http.get("/partners")
        assert page.status_code == 200
        assert "partner-supplied" in page.text
        assert "Border incident near Jarinje" in page.text and "Old title" not in page.text
        assert "TLP:GREEN" in page.text and "TLP:AMBER" in page.text
        assert "Partner ministry, Balkans collection" in page.text
        answer = await http.get("/api/v1/partner-objects", params={"type": "report"})
        assert answer.status_code == 200
        body = answer.json()
        assert body["total"] == 1
        (item,) = body["items"]
        assert item["partner_supplied"] is True and item["tlp"] == "green"
        assert item["version"].startswith("2026-11-02")


async def test_partner_objects_need_a_login(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, tmp_path)
    async with client(app) as http:
        assert (await http.get("/api/v1/partner-objects")).status_code == 401
        assert (await http.get("/partners")).status_code == 303
