"""The TAXII 2.1 server in process (httpx.ASGITransport): every endpoint, the headers,
paging to the end, the filters, and the errors (400, 401, 403, 404, 406, 413, 415, 422).

Objects are written straight into a collection (``append_objects``), so these tests do
not depend on the export; ``test_collections_are_refreshed_from_the_export`` checks the
export side. The helpers here are shared with the other TAXII tests.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from pactwatch import cli_common
from pactwatch.share.taxii import auth, router
from pactwatch.share.taxii import partners as admin
from pactwatch.share.taxii.cli import collections_app, partners_app
from pactwatch.share.taxii.collections import (
    CollectionFilter,
    create_collection,
    refresh_collections,
    tlp_rank_of,
)
from pactwatch.share.taxii.media import STIX_MEDIA, TAXII_MEDIA
from pactwatch.share.taxii.store import append_objects
from pactwatch.share.tlp import TLP_IDS, tlp_rank
from pactwatch.store.schema import documents, taxii_objects
from test_share_stix import DOC_US, build_store

STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
T0 = datetime(2025, 3, 4, 10, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_hasher() -> Iterator[None]:
    previous = auth.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    auth.set_hasher(previous)


def make_app(engine: Engine, max_content_length: int | None = None) -> FastAPI:
    app = FastAPI()
    app.state.engine = engine
    app.state.settings = None
    if max_content_length is not None:
        app.state.taxii_max_content_length = max_content_length
    app.include_router(router)
    return app


def stix(kind: str, n: int, tlp: str | None = "clear", version: int = 0) -> dict[str, Any]:
    """A small STIX 2.1 object; ``version`` moves its ``modified`` forward by seconds."""
    ident = f"{kind}--00000000-0000-4000-8000-{n:012d}"
    modified = (T0 + timedelta(seconds=version)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    obj: dict[str, Any] = {
        "type": kind,
        "spec_version": "2.1",
        "id": ident,
        "created": "2025-03-04T10:00:00.000Z",
        "modified": modified,
        "name": f"{kind} {n} v{version}",
    }
    if kind == "identity":
        obj["identity_class"] = "organization"
    if tlp is not None:
        obj["object_marking_refs"] = [TLP_IDS[tlp]]
    return obj


def add(engine: Engine, collection: str, objects: list[dict[str, Any]]) -> None:
    """Write objects into a collection as a refresh would (unmarked ones as clear)."""
    with engine.begin() as conn:
        append_objects(conn, collection, [(o, tlp_rank_of(o) or 0) for o in objects], "pactwatch")


@dataclass
class Seeded:
    open: str = ""  # a collection every partner reads
    inbox: str = ""  # a collection "writer" writes into
    hidden: str = ""  # nobody has rights on it
    tokens: dict[str, str] = field(default_factory=dict)  # partner -> bearer token
    passwords: dict[str, str] = field(default_factory=dict)  # user -> password


def seed(engine: Engine) -> Seeded:
    s = Seeded()
    s.open = create_collection(engine, "Open", None, description="read by all")
    s.inbox = create_collection(engine, "Inbox", None)
    s.hidden = create_collection(engine, "Hidden", None)
    admin.create_partner(engine, "reader", "green")
    admin.create_partner(engine, "writer", "red")
    s.tokens["reader"] = admin.add_bearer_credential(engine, "reader")
    s.tokens["writer"] = admin.add_bearer_credential(engine, "writer")
    s.passwords["basic-reader"] = admin.add_basic_credential(engine, "reader", "basic-reader")
    admin.grant(engine, "reader", "Open", read=True, write=False)
    admin.grant(engine, "writer", "Open", read=True, write=False)
    admin.grant(engine, "writer", "Inbox", read=True, write=True)
    admin.grant(engine, "reader", "Inbox", read=False, write=True)
    return s


def bearer(token: str, accept: str = TAXII_MEDIA) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Accept": accept}


def basic(user: str, password: str) -> dict[str, str]:
    pair = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {pair}", "Accept": TAXII_MEDIA}


class Client:
    """A synchronous face on httpx.AsyncClient over ASGITransport."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)


def collection_url(collection: str) -> str:
    return f"/taxii2/default/collections/{collection}/"


def page_through(
    client: Client, url: str, headers: dict[str, str], key: str = "objects", **params: Any
) -> tuple[list[Any], int]:
    """Every item of a paged endpoint, following ``next``; (items, pages)."""
    items: list[Any] = []
    pages = 0
    token: str | None = None
    while True:
        query = dict(params)
        if token:
            query["next"] = token
        response = client.get(url, headers=headers, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        pages += 1
        items.extend(body.get(key, []))
        if not body.get("more"):
            assert "next" not in body
            return items, pages
        token = body["next"]
        assert token
        assert pages < 10_000


# --- tests ----------------------------------------------------------------------------


def test_discovery_api_root_collections_and_media_type(engine: Engine) -> None:
    s = seed(engine)
    client = Client(make_app(engine, max_content_length=5000))
    h = bearer(s.tokens["reader"])
    found = client.get("/taxii2/", headers=h)
    assert found.status_code == 200
    assert found.headers["content-type"] == TAXII_MEDIA
    assert found.json()["api_roots"] == ["http://testserver/taxii2/default/"]
    root = client.get("/taxii2/default/", headers=h).json()
    assert root["versions"] == [TAXII_MEDIA] and root["max_content_length"] == 5000
    listed = client.get("/taxii2/default/collections/", headers=h).json()["collections"]
    assert [(c["title"], c["can_read"], c["can_write"]) for c in listed] == [
        ("Inbox", False, True),
        ("Open", True, False),
    ]
    one = client.get(collection_url(s.open), headers=h).json()
    assert one == {
        "id": s.open,
        "title": "Open",
        "description": "read by all",
        "can_read": True,
        "can_write": False,
        "media_types": [STIX_MEDIA],
    }
    assert client.get("/taxii2/elsewhere/", headers=h).status_code == 404
    assert client.get(collection_url(s.hidden), headers=h).status_code == 404
    assert client.get(collection_url("nope"), headers=h).status_code == 404


def test_authentication_basic_bearer_revoked_disabled(engine: Engine) -> None:
    s = seed(engine)
    client = Client(make_app(engine))
    for headers in (
        {"Accept": TAXII_MEDIA},
        bearer("not-a-token"),
        basic("basic-reader", "wrong"),
        basic("nobody", "x"),
        {"Authorization": "Basic !!!", "Accept": TAXII_MEDIA},
        {"Authorization": "Digest abc", "Accept": TAXII_MEDIA},
    ):
        refused = client.get("/taxii2/", headers=headers)
        assert refused.status_code == 401, headers
        assert "Basic" in refused.headers["www-authenticate"]
        assert refused.json()["http_status"] == "401"
    assert client.get(
        "/taxii2/", headers=basic("basic-reader", s.passwords["basic-reader"])
    ).is_success
    assert client.get("/taxii2/", headers=bearer(s.tokens["writer"])).is_success
    admin.set_disabled(engine, "reader")
    assert client.get("/taxii2/", headers=bearer(s.tokens["reader"])).status_code == 401
    # remembered Basic verification does not outlive a disabled partner
    assert (
        client.get(
            "/taxii2/", headers=basic("basic-reader", s.passwords["basic-reader"])
        ).status_code
        == 401
    )
    admin.set_disabled(engine, "reader", False)
    assert client.get("/taxii2/", headers=bearer(s.tokens["reader"])).is_success
    assert admin.revoke_credentials(engine, "reader") == 2
    assert client.get("/taxii2/", headers=bearer(s.tokens["reader"])).status_code == 401
    assert (
        client.get(
            "/taxii2/", headers=basic("basic-reader", s.passwords["basic-reader"])
        ).status_code
        == 401
    )


def test_accept_and_content_type(engine: Engine) -> None:
    s = seed(engine)
    client = Client(make_app(engine))
    token = s.tokens["writer"]
    for accept in ("application/json", "*/*", "application/taxii+json;version=2.0", ""):
        assert client.get("/taxii2/", headers=bearer(token, accept)).status_code == 406, accept
    assert client.get("/taxii2/", headers=bearer(token, "application/taxii+json")).is_success
    objects = collection_url(s.open) + "objects/"
    assert client.get(objects, headers=bearer(token, STIX_MEDIA)).is_success
    assert client.get(collection_url(s.open), headers=bearer(token, STIX_MEDIA)).status_code == 406
    body = json.dumps({"objects": [stix("indicator", 1)]})
    wrong = client.request(
        "POST",
        collection_url(s.inbox) + "objects/",
        content=body,
        headers={**bearer(token), "Content-Type": "application/json"},
    )
    assert wrong.status_code == 415 and wrong.headers["content-type"] == TAXII_MEDIA


def test_paging_to_the_end_headers_and_added_after(engine: Engine) -> None:
    s = seed(engine)
    add(engine, s.open, [stix("indicator", n) for n in range(25)])
    add(engine, s.open, [stix("indicator", n, version=1) for n in range(5)])  # new versions
    client = Client(make_app(engine))
    h = bearer(s.tokens["reader"])
    url = collection_url(s.open) + "objects/"
    first = client.get(url, headers=h, params={"limit": 7})
    body = first.json()
    assert body["more"] is True and body["next"] and len(body["objects"]) == 7
    assert STAMP.match(first.headers["X-TAXII-Date-Added-First"])
    assert STAMP.match(first.headers["X-TAXII-Date-Added-Last"])
    assert first.headers["X-TAXII-Date-Added-First"] < first.headers["X-TAXII-Date-Added-Last"]
    items, pages = page_through(client, url, h, limit=7)
    assert len(items) == 25 and pages == 4  # the latest version of each of 25 objects
    assert len({o["id"] for o in items}) == 25
    everything, _ = page_through(client, url, h, limit=7, **{"match[version]": "all"})
    assert len(everything) == 30
    # a limit over the cap is capped; a page exactly at the end says more: false
    assert client.get(url, headers=h, params={"limit": 100_000}).json()["more"] is False
    # added_after is exclusive
    manifest = client.get(
        collection_url(s.open) + "manifest/", headers=h, params={"match[version]": "all"}
    )
    entries = manifest.json()["objects"]
    assert all(STAMP.match(e["date_added"]) for e in entries)
    assert entries[0]["media_type"] == STIX_MEDIA
    cut = entries[9]["date_added"]
    after, _ = page_through(client, url, h, added_after=cut, **{"match[version]": "all"})
    assert len(after) == 20
    last = manifest.headers["X-TAXII-Date-Added-Last"]
    assert client.get(url, headers=h, params={"added_after": last}).json() == {}
    manifest_items, manifest_pages = page_through(
        client, collection_url(s.open) + "manifest/", h, limit=10
    )
    assert len(manifest_items) == 25 and manifest_pages == 3


def test_filters(engine: Engine) -> None:
    s = seed(engine)
    add(engine, s.open, [stix("indicator", 1), stix("identity", 2), stix("note", 3)])
    add(engine, s.open, [stix("indicator", 1, version=5), stix("indicator", 1, version=9)])
    add(engine, s.open, [stix("indicator", 4, tlp="amber")])  # above the reader's ceiling
    client = Client(make_app(engine))
    h = bearer(s.tokens["reader"])
    url = collection_url(s.open) + "objects/"

    def ids(**params: str) -> list[tuple[str, str]]:
        body = client.get(url, headers=h, params=params).json()
        return [(o["id"][-2:], o["name"]) for o in body.get("objects", [])]

    assert ids(**{"match[type]": "identity,note"}) == [("02", "identity 2 v0"), ("03", "note 3 v0")]
    assert ids(**{"match[id]": stix("indicator", 1)["id"]}) == [("01", "indicator 1 v9")]
    one = stix("indicator", 1)["id"]
    assert ids(**{"match[id]": one, "match[version]": "first"}) == [("01", "indicator 1 v0")]
    assert ids(**{"match[id]": one, "match[version]": "first,last"}) == [
        ("01", "indicator 1 v0"),
        ("01", "indicator 1 v9"),
    ]
    assert len(ids(**{"match[id]": one, "match[version]": "all"})) == 3
    assert ids(**{"match[id]": one, "match[version]": "2025-03-04T10:00:05.000Z"}) == [
        ("01", "indicator 1 v5")
    ]
    assert ids(**{"match[id]": one, "match[version]": "2025-03-04T10:00:05Z"}) == [
        ("01", "indicator 1 v5")
    ]
    assert ids(**{"match[type]": "indicator", "match[id]": stix("note", 3)["id"]}) == []
    assert len(ids(**{"match[spec_version]": "2.1"})) == 3 + 0  # latest of 3 visible ids
    assert ids(**{"match[spec_version]": "2.0"}) == []
    assert ids(**{"match[type]": "indicator"}) == [("01", "indicator 1 v9")]  # not the amber one


def test_object_versions_manifest_and_delete(engine: Engine) -> None:
    s = seed(engine)
    add(engine, s.inbox, [stix("indicator", 1), stix("indicator", 2)])
    add(engine, s.inbox, [stix("indicator", 1, version=3)])
    client = Client(make_app(engine))
    w = bearer(s.tokens["writer"])
    base = collection_url(s.inbox) + "objects/"
    one = stix("indicator", 1)["id"]
    got = client.get(base + one + "/", headers=w)
    assert got.status_code == 200 and [o["name"] for o in got.json()["objects"]] == [
        "indicator 1 v3"
    ]
    assert STAMP.match(got.headers["X-TAXII-Date-Added-First"])
    all_versions = client.get(base + one + "/", headers=w, params={"match[version]": "all"})
    assert len(all_versions.json()["objects"]) == 2
    versions = client.get(base + one + "/versions/", headers=w)
    assert versions.json() == {
        "more": False,
        "versions": ["2025-03-04T10:00:00.000000Z", "2025-03-04T10:00:03.000000Z"],
    }
    assert STAMP.match(versions.headers["X-TAXII-Date-Added-Last"])
    paged, pages = page_through(client, base + one + "/versions/", w, key="versions", limit=1)
    assert len(paged) == 2 and pages == 2
    missing = stix("indicator", 99)["id"]
    assert client.get(base + missing + "/", headers=w).status_code == 404
    assert client.get(base + missing + "/versions/", headers=w).status_code == 404
    # reader may write into the inbox but not read it: 403 for reading and deleting
    r = bearer(s.tokens["reader"])
    assert client.get(base, headers=r).status_code == 403
    assert client.request("DELETE", base + one + "/", headers=r).status_code == 403
    # writer deletes one version, then the rest
    dropped = client.request(
        "DELETE",
        base + one + "/",
        headers=w,
        params={"match[version]": "2025-03-04T10:00:00.000Z"},
    )
    assert dropped.status_code == 200
    assert (
        len(
            client.get(base + one + "/", headers=w, params={"match[version]": "all"}).json()[
                "objects"
            ]
        )
        == 1
    )
    assert client.request("DELETE", base + one + "/", headers=w).status_code == 200
    assert client.get(base + one + "/", headers=w).status_code == 404
    assert client.request("DELETE", base + one + "/", headers=w).status_code == 404
    # the open collection is read-only for the writer
    open_one = collection_url(s.open) + "objects/" + one + "/"
    assert client.request("DELETE", open_one, headers=w).status_code == 403


def test_bad_parameters_answer_400(engine: Engine) -> None:
    s = seed(engine)
    add(engine, s.open, [stix("indicator", n) for n in range(3)])
    add(engine, s.inbox, [stix("indicator", n) for n in range(3)])
    client = Client(make_app(engine))
    h = bearer(s.tokens["writer"])
    url = collection_url(s.open) + "objects/"
    other_next = client.get(
        collection_url(s.inbox) + "objects/", headers=h, params={"limit": 1}
    ).json()["next"]
    for params in (
        {"limit": "0"},
        {"limit": "-3"},
        {"limit": "ten"},
        {"added_after": "yesterday"},
        {"added_after": "2025-03-04"},
        {"next": "garbage!"},
        {"next": base64.urlsafe_b64encode(b"[1,2]").decode()},
        {"next": other_next},
        {"match[version]": "newest"},
        {"match[id]": "indicator-1"},
        {"match[id]": ""},
        {"match[spec_version]": "3.0"},
        {"match[colour]": "red"},
        {"sort": "asc"},
    ):
        answer = client.get(url, headers=h, params=params)
        assert answer.status_code == 400, params
        assert answer.headers["content-type"] == TAXII_MEDIA
        assert answer.json()["http_status"] == "400"
    one = collection_url(s.open) + "objects/" + stix("indicator", 1)["id"] + "/"
    assert client.get(one, headers=h, params={"match[type]": "indicator"}).status_code == 400
    assert (
        client.get(one + "versions/", headers=h, params={"match[version]": "all"}).status_code
        == 400
    )


def test_post_objects_status_duplicates_and_413(engine: Engine) -> None:
    s = seed(engine)
    client = Client(make_app(engine, max_content_length=4000))
    w = {**bearer(s.tokens["writer"]), "Content-Type": TAXII_MEDIA}
    url = collection_url(s.inbox) + "objects/"
    envelope = {
        "objects": [
            stix("indicator", 1, tlp="green"),
            stix("indicator", 2, tlp=None),  # unmarked: kept as amber
            {"type": "indicator", "id": "bad"},
            {**stix("note", 3), "spec_version": "2.0"},
        ]
    }
    posted = client.request("POST", url, headers=w, content=json.dumps(envelope))
    assert posted.status_code == 202, posted.text
    status = posted.json()
    assert (
        status["status"],
        status["total_count"],
        status["success_count"],
        status["failure_count"],
    ) == (
        "complete",
        4,
        2,
        2,
    )
    assert {f["id"] for f in status["failures"]} == {"bad", stix("note", 3)["id"]}
    read = client.get(f"/taxii2/default/status/{status['id']}/", headers=bearer(s.tokens["writer"]))
    assert read.status_code == 200 and read.json()["success_count"] == 2
    # another partner's status is not found; so is an unknown one
    assert (
        client.get(
            f"/taxii2/default/status/{status['id']}/", headers=bearer(s.tokens["reader"])
        ).status_code
        == 404
    )
    assert (
        client.get("/taxii2/default/status/nope/", headers=bearer(s.tokens["writer"])).status_code
        == 404
    )
    # an exact duplicate is a success, not a second row
    again = client.request(
        "POST", url, headers=w, content=json.dumps({"objects": envelope["objects"][:2]})
    )
    assert again.status_code == 202 and again.json()["success_count"] == 2
    with engine.connect() as conn:
        ranks = dict(
            conn.execute(
                select(taxii_objects.c.stix_id, taxii_objects.c.tlp_rank).where(
                    taxii_objects.c.collection_id == s.inbox
                )
            ).all()
        )
    assert ranks == {stix("indicator", 1)["id"]: 1, stix("indicator", 2)["id"]: 2}
    # the reader may write (not read) the inbox
    r = {**bearer(s.tokens["reader"]), "Content-Type": TAXII_MEDIA}
    assert (
        client.request("POST", url, headers=r, content=json.dumps({"objects": []})).status_code
        == 202
    )
    assert (
        client.request(
            "POST", collection_url(s.open) + "objects/", headers=r, content="{}"
        ).status_code
        == 403
    )
    # 413 over max_content_length, 400 for a body that is not JSON, 422 for one that is no envelope
    big = json.dumps({"objects": [stix("indicator", n) for n in range(40)]})
    assert len(big) > 4000
    assert client.request("POST", url, headers=w, content=big).status_code == 413
    assert client.request("POST", url, headers=w, content="{not json").status_code == 400
    assert client.request("POST", url, headers=w, content='{"objects": 3}').status_code == 422
    assert client.request("POST", url, headers=w, content="[]").status_code == 422


def test_collections_are_refreshed_from_the_export(engine: Engine) -> None:
    build_store(engine)
    green = create_collection(engine, "Green and below", CollectionFilter(max_tlp="green"))
    amber = create_collection(engine, "Amber", CollectionFilter(max_tlp="amber"))
    first = refresh_collections(engine)
    assert first.collections == 2 and first.added > 0 and first.unchanged == 0

    def ranks(collection: str) -> dict[str, int]:
        with engine.connect() as conn:
            return dict(
                conn.execute(
                    select(taxii_objects.c.stix_id, func.max(taxii_objects.c.tlp_rank))
                    .where(taxii_objects.c.collection_id == collection)
                    .group_by(taxii_objects.c.stix_id)
                ).all()
            )

    assert max(ranks(green).values()) == tlp_rank("green")
    assert max(ranks(amber).values()) == tlp_rank("amber")
    assert set(ranks(green)) < set(ranks(amber))
    second = refresh_collections(engine)
    assert second.added == 0 and second.unchanged == first.added
    with engine.begin() as conn:
        conn.execute(update(documents).where(documents.c.id == DOC_US).values(credibility=0.55))
    third = refresh_collections(engine)
    assert third.added >= 2  # the report (and its opinion) have a new version in each
    with engine.connect() as conn:
        versions = conn.execute(
            select(func.count()).where(
                taxii_objects.c.collection_id == green, taxii_objects.c.type == "report"
            )
        ).scalar_one()
    assert versions == 3  # two green-or-clear reports, one of them in two versions


def test_cli_partners_and_collections(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_store(engine)
    monkeypatch.setattr(cli_common.state, "database", database_url)
    runner = CliRunner()
    made = runner.invoke(
        collections_app, ["add", "Kosovo", "--country", "XKX", "--max-tlp", "green"]
    )
    assert made.exit_code == 0, made.output
    assert "new objects" in made.stdout
    assert runner.invoke(partners_app, ["add", "nato", "--max-tlp", "green"]).exit_code == 0
    duplicate = runner.invoke(partners_app, ["add", "nato"])
    assert duplicate.exit_code == 2 and "already a partner" in duplicate.stderr
    token = runner.invoke(partners_app, ["credential", "nato", "--bearer"])
    assert token.exit_code == 0 and "shown once" in token.stdout
    secret = token.stdout.strip().rsplit(" ", 1)[-1]
    password = runner.invoke(partners_app, ["credential", "nato", "--basic", "nato-user"])
    assert password.exit_code == 0
    assert runner.invoke(partners_app, ["credential", "nato"]).exit_code == 2
    granted = runner.invoke(partners_app, ["grant", "nato", "Kosovo", "--read"])
    assert granted.exit_code == 0, granted.output
    listed = runner.invoke(partners_app, ["list"])
    assert "nato: up to TLP:GREEN, 2 credentials; Kosovo (r)" in listed.stdout
    shown = runner.invoke(collections_app, ["list"])
    assert "Kosovo" in shown.stdout and "country=XKX" in shown.stdout
    refreshed = runner.invoke(collections_app, ["refresh"])
    assert refreshed.exit_code == 0 and "0 new objects" in refreshed.stdout
    assert runner.invoke(partners_app, ["grant", "nato", "Nothing", "--read"]).exit_code == 2
    client = Client(make_app(engine))
    listed_remote = client.get("/taxii2/default/collections/", headers=bearer(secret)).json()
    assert [c["title"] for c in listed_remote["collections"]] == ["Kosovo"]
