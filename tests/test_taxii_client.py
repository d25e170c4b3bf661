"""taxii2-client against the server really running on 127.0.0.1 (uvicorn in a thread on
a free port, stopped within seconds): discovery, the API root, collections, objects paged
to the end with ``as_pages``, the manifest, one object, its versions, filters, adding
objects and reading their status, deleting; with HTTP Basic and with a bearer token.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

from pactwatch.share.taxii import partners as admin
from pactwatch.share.taxii.collections import create_collection
from pactwatch.share.taxii.subscribe import BearerAuth
from test_taxii_server import add, cheap_hasher, make_app, stix

__all__ = ["cheap_hasher", "serving"]

START_TIMEOUT = 10.0


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 on a free port in a thread; yields the base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT)
        sock.close()


@pytest.mark.slow
def test_taxii2_client_reads_pages_adds_and_deletes(engine: Engine) -> None:
    shared = create_collection(engine, "Shared", None)
    inbox = create_collection(engine, "Inbox", None)
    admin.create_partner(engine, "ally", "green")
    password = admin.add_basic_credential(engine, "ally", "ally")
    token = admin.add_bearer_credential(engine, "ally")
    admin.grant(engine, "ally", "Shared", read=True, write=False)
    admin.grant(engine, "ally", "Inbox", read=True, write=True)
    add(engine, shared, [stix("indicator", n, tlp="green") for n in range(45)])
    add(engine, shared, [stix("indicator", n, tlp="amber") for n in range(100, 110)])
    add(engine, shared, [stix("indicator", n, tlp="green", version=1) for n in range(5)])

    with serving(make_app(engine)) as base:
        server = Server(f"{base}/taxii2/", user="ally", password=password)
        assert server.title == "pactwatch TAXII 2.1"
        assert [r.url for r in server.api_roots] == [f"{base}/taxii2/default/"]
        root: ApiRoot = server.default
        assert root.versions == ["application/taxii+json;version=2.1"]
        assert root.max_content_length > 0
        titles = {c.title: c for c in root.collections}
        assert set(titles) == {"Shared", "Inbox"}
        collection: Collection = titles["Shared"]
        assert collection.can_read and not collection.can_write

        pages = list(as_pages(collection.get_objects, per_request=10))
        assert len(pages) == 5 and sum(len(p["objects"]) for p in pages) == 45
        assert pages[-1]["more"] is False and all(p["more"] for p in pages[:-1])
        everything = list(as_pages(collection.get_objects, per_request=20, version="all"))
        assert sum(len(p["objects"]) for p in everything) == 50
        manifest = list(as_pages(collection.get_manifest, per_request=16))
        assert sum(len(p["objects"]) for p in manifest) == 45
        every_version = collection.get_manifest(version="all", limit=16)
        cut = every_version["objects"][-1]["date_added"]
        later = list(
            as_pages(collection.get_objects, per_request=100, added_after=cut, version="all")
        )
        assert sum(len(p["objects"]) for p in later) == 50 - 16
        one = stix("indicator", 1)["id"]
        assert [o["name"] for o in collection.get_object(one)["objects"]] == ["indicator 1 v1"]
        assert len(collection.object_versions(one)["versions"]) == 2
        first = collection.get_objects(id=one, version="first")["objects"]
        assert [o["name"] for o in first] == ["indicator 1 v0"]
        typed = collection.get_objects(type=["indicator"], spec_version="2.1", limit=1000)
        assert len(typed["objects"]) == 45
        with pytest.raises(requests.HTTPError) as hidden:  # amber: above the partner's ceiling
            collection.get_object(stix("indicator", 100)["id"])
        assert hidden.value.response.status_code == 404

        # the bearer token, adding objects and reading their status, then deleting one
        inbox_client = Collection(
            f"{base}/taxii2/default/collections/{inbox}/", auth=BearerAuth(token)
        )
        assert inbox_client.can_write
        status = inbox_client.add_objects(
            {"objects": [stix("indicator", 500, tlp="clear"), stix("identity", 501, tlp="green")]}
        )
        assert status.status == "complete" and status.success_count == 2
        assert status.failure_count == 0 and status.pending_count == 0
        bearer_root = ApiRoot(f"{base}/taxii2/default/", auth=BearerAuth(token))
        again = bearer_root.get_status(status.id)
        assert again.success_count == 2 and again.total_count == 2
        assert {o["id"] for o in inbox_client.get_objects()["objects"]} == {
            stix("indicator", 500)["id"],
            stix("identity", 501)["id"],
        }
        inbox_client.delete_object(stix("indicator", 500)["id"])
        assert [o["id"] for o in inbox_client.get_objects()["objects"]] == [
            stix("identity", 501)["id"]
        ]
        with pytest.raises(requests.HTTPError) as refused:
            Server(f"{base}/taxii2/", user="ally", password="wrong").refresh()
        assert refused.value.response.status_code == 401
