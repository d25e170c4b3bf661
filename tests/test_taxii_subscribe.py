"""Two pactwatch instances on 127.0.0.1: A shares to B, B sees exactly what A allowed, and
what B took from A never leaves B to a partner whose TLP level is lower.

A (the ``engine`` store, SQLite or PostgreSQL) holds three documents (clear, green,
amber), a collection of everything up to amber and an inbox, and a partner "b" that may
receive up to green. B (a SQLite store) subscribes with the ``partners subscribe``
command (password on stdin) and polls with ``partners poll``; then B passes what it
took on, through its own TAXII server, to a clear and an amber partner of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from pactwatch import cli_common
from pactwatch.share.ids import producer_id
from pactwatch.share.taxii import partners as admin
from pactwatch.share.taxii.cli import partners_app
from pactwatch.share.taxii.collections import (
    CollectionFilter,
    create_collection,
    refresh_collections,
    tlp_rank_of,
)
from pactwatch.share.taxii.store import canonical_version, object_version
from pactwatch.store.engine import open_store
from pactwatch.store.schema import documents, partner_objects, subscriptions, taxii_objects
from test_share_stix import DOC_US, build_store
from test_taxii_client import serving
from test_taxii_server import Client, add, bearer, cheap_hasher, make_app, page_through, stix

__all__ = ["cheap_hasher"]


@pytest.fixture
def store_b(tmp_path: Path) -> Iterator[tuple[Engine, str]]:
    url = f"sqlite:///{tmp_path / 'b.sqlite'}"
    engine = open_store(url)
    yield engine, url
    engine.dispose()


def shared_with_b(engine: Engine, collection: str, ceiling_rank: int) -> set[tuple[str, str]]:
    """The latest version of each object of A's collection at or below the ceiling."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(taxii_objects.c.stix_id, taxii_objects.c.version).where(
                taxii_objects.c.collection_id == collection,
                taxii_objects.c.tlp_rank <= ceiling_rank,
                taxii_objects.c.type != "marking-definition",  # known to all; not imported
            )
        ).all()
    best: dict[str, str] = {}
    for ident, version in rows:
        best[ident] = max(version, best.get(ident, ""))
    return set(best.items())


def imported(engine: Engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(partner_objects.c.stix_id, partner_objects.c.version, partner_objects.c.tlp_rank)
        ).all()
    return {(r.stix_id, r.version): int(r.tlp_rank) for r in rows}


@pytest.mark.slow
def test_a_shares_to_b_and_b_never_passes_on_above_tlp(
    engine: Engine, store_b: tuple[Engine, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine_b, url_b = store_b
    build_store(engine)
    everything = create_collection(engine, "Everything", CollectionFilter(max_tlp="amber"))
    inbox = create_collection(engine, "Inbox", None)
    refresh_collections(engine)
    admin.create_partner(engine, "b", "green")
    password = admin.add_basic_credential(engine, "b", "b-user")
    admin.grant(engine, "b", "Everything", read=True, write=False)
    admin.create_partner(engine, "b-amber", "amber")
    password_amber = admin.add_basic_credential(engine, "b-amber", "b-amber")
    admin.grant(engine, "b-amber", "Inbox", read=True, write=False)
    add(
        engine,
        inbox,
        [{k: v for k, v in stix("note", 7, tlp="amber").items() if k != "object_marking_refs"}],
    )

    monkeypatch.setattr(cli_common.state, "database", url_b)
    runner = CliRunner()
    with serving(make_app(engine)) as base:
        root = f"{base}/taxii2/default/"
        subscribed = runner.invoke(
            partners_app,
            ["subscribe", root, everything, "--user", "b-user", "--password-stdin"],
            input=password + "\n",
        )
        assert subscribed.exit_code == 0, subscribed.output
        wrong = runner.invoke(
            partners_app,
            ["subscribe", root, inbox, "--user", "b-user", "--password-stdin"],
            input="wrong\n",
        )
        assert wrong.exit_code == 2 and "cannot read" in wrong.stderr
        floor = runner.invoke(
            partners_app,
            [
                "subscribe",
                root,
                inbox,
                "--user",
                "b-amber",
                "--password-stdin",
                "--tlp-floor",
                "red",
            ],
            input=password_amber + "\n",
        )
        assert floor.exit_code == 0, floor.output
        polled = runner.invoke(partners_app, ["poll"])
        assert polled.exit_code == 0, polled.output

        # B has exactly what A allowed it: up to green from Everything, nothing amber
        expected = shared_with_b(engine, everything, 1)
        got = imported(engine_b)
        from_everything = {k: r for k, r in got.items() if not k[0].startswith("note--0000")}
        assert set(from_everything) == expected
        assert max(from_everything.values()) == 1 and min(from_everything.values()) == 0
        # the unmarked note took the subscription's floor (red)
        assert got[(stix("note", 7)["id"], canonical_version(stix("note", 7)["modified"]))] == 4
        with engine_b.connect() as conn:
            remembered = conn.execute(select(subscriptions.c.added_after)).scalars().all()
        assert all(remembered)

        # polling again brings nothing; a changed document brings its new versions only
        again = runner.invoke(partners_app, ["poll"])
        assert again.exit_code == 0 and "0 imported" in again.stdout
        with engine.begin() as conn:
            conn.execute(update(documents).where(documents.c.id == DOC_US).values(credibility=0.42))
        assert refresh_collections(engine).added > 0
        newer = runner.invoke(partners_app, ["poll"])
        assert newer.exit_code == 0, newer.output
        after = imported(engine_b)
        assert set(after) - set(got) == shared_with_b(engine, everything, 1) - expected
        assert "0 already here" in newer.stdout

    # B passes partner objects on: never above a partner's level, never above the ceiling
    up_to_amber = create_collection(
        engine_b, "From partners", CollectionFilter(max_tlp="amber", partner_objects=True)
    )
    up_to_clear = create_collection(
        engine_b, "From partners, clear", CollectionFilter(max_tlp="clear", partner_objects=True)
    )
    plain = create_collection(engine_b, "Ours", CollectionFilter(max_tlp="red"))
    refresh_collections(engine_b)
    tokens = {}
    for name, level in (("c-clear", "clear"), ("c-amber", "amber"), ("c-red", "red")):
        admin.create_partner(engine_b, name, level)
        tokens[name] = admin.add_bearer_credential(engine_b, name)
        for title in ("From partners", "From partners, clear", "Ours"):
            admin.grant(engine_b, name, title, read=True, write=False)
    client = Client(make_app(engine_b))
    partner_ids = set(imported(engine_b))

    def seen(partner: str, collection: str) -> list[dict[str, Any]]:
        url = f"/taxii2/default/collections/{collection}/objects/"
        items, _ = page_through(
            client, url, bearer(tokens[partner]), limit=5, **{"match[version]": "all"}
        )
        return items

    clear_view = seen("c-clear", up_to_amber)
    assert clear_view and all((tlp_rank_of(o) or 0) == 0 for o in clear_view)
    amber_view = seen("c-amber", up_to_amber)
    amber_keys = {(str(o["id"]), object_version(o)) for o in amber_view}
    assert amber_keys & partner_ids == {k for k, r in imported(engine_b).items() if r <= 2}
    # besides what came from A: only the TLP marking definitions (B has no documents; its
    # producer identity has the same id and version as A's, so it is not there twice)
    assert {o["type"] for o in amber_view if (o["id"], object_version(o)) not in partner_ids} == {
        "marking-definition"
    }
    assert max(tlp_rank_of(o) or 0 for o in amber_view) == 1  # green: nothing above came in
    red_view = seen("c-red", up_to_amber)
    assert stix("note", 7)["id"] not in {o["id"] for o in red_view}  # red: above the ceiling
    assert all((tlp_rank_of(o) or 0) == 0 for o in seen("c-red", up_to_clear))
    ours = {(str(o["id"]), object_version(o)) for o in seen("c-red", plain)}
    # a collection without partner objects has none (the producer identity is A's and B's)
    assert {ident for ident, _ in ours & partner_ids} <= {producer_id()}
