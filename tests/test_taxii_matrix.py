"""No leak, the whole matrix: partners x collections x TLP levels x endpoints.

Three partners with TLP ceilings clear, green and amber; four collections: one every
partner reads, one nobody may see, one every partner may only write into, one only the
green partner reads. Each collection holds objects at all five TLP levels, some in two
versions, and some whose newer version is marked higher than the older one. For every
partner and collection, every endpoint (objects, manifest, object, versions, and every
later page through ``next``) is read, and what comes back is compared with what the
partner may see: exactly the versions at or below its ceiling in a collection it may
read; 404 for a collection it may not see; 403 for reading one it may only write into.
``next`` tokens are then replayed by other partners, after a right is withdrawn and after
a ceiling is lowered: they never widen what is seen.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, update

from pactwatch.share.taxii import partners as admin
from pactwatch.share.taxii.collections import create_collection, tlp_rank_of
from pactwatch.share.taxii.store import canonical_version
from pactwatch.share.tlp import TLP_LEVELS, tlp_rank
from pactwatch.store.schema import partners
from test_taxii_server import Client, add, bearer, cheap_hasher, make_app, page_through, stix

__all__ = ["cheap_hasher"]

PARTNERS = {"p-clear": "clear", "p-green": "green", "p-amber": "amber"}
# collection title -> partner -> (can_read, can_write); absent: no access at all
RIGHTS: dict[str, dict[str, tuple[bool, bool]]] = {
    "Shared": {p: (True, False) for p in PARTNERS},
    "Secret": {},
    "Drop": {p: (False, True) for p in PARTNERS},
    "Mixed": {"p-green": (True, True)},
}


def build(engine: Engine) -> tuple[dict[str, str], dict[str, str], dict[str, list[dict[str, Any]]]]:
    """(collection ids by title, tokens by partner, objects by collection title)."""
    collections = {title: create_collection(engine, title, None) for title in RIGHTS}
    tokens = {}
    for name, ceiling in PARTNERS.items():
        admin.create_partner(engine, name, ceiling)
        tokens[name] = admin.add_bearer_credential(engine, name)
    for title, rights in RIGHTS.items():
        for name, (read, write) in rights.items():
            admin.grant(engine, name, title, read=read, write=write)
    contents: dict[str, list[dict[str, Any]]] = {}
    for c, title in enumerate(RIGHTS):
        objects: list[dict[str, Any]] = []
        for level_no, level in enumerate(TLP_LEVELS):
            for k in range(2):
                n = c * 1000 + level_no * 10 + k
                objects.append(stix("indicator", n, tlp=level))
                objects.append(stix("indicator", n, tlp=level, version=1))
            # a newer version marked one level higher than the older one
            if level_no < len(TLP_LEVELS) - 1:
                n = c * 1000 + level_no * 10 + 5
                objects.append(stix("note", n, tlp=level))
                objects.append(stix("note", n, tlp=TLP_LEVELS[level_no + 1], version=1))
        add(engine, collections[title], objects)
        contents[title] = objects
    return collections, tokens, contents


def visible(objects: list[dict[str, Any]], ceiling: str) -> set[tuple[str, str]]:
    rank = tlp_rank(ceiling)
    return {
        (o["id"], canonical_version(o["modified"]))
        for o in objects
        if (tlp_rank_of(o) or 0) <= rank
    }


def latest(seen: set[tuple[str, str]]) -> set[tuple[str, str]]:
    best: dict[str, str] = {}
    for ident, version in seen:
        best[ident] = max(version, best.get(ident, ""))
    return set(best.items())


def key(obj: dict[str, Any]) -> tuple[str, str]:
    return obj["id"], canonical_version(obj["modified"])


def assert_within(objects: list[dict[str, Any]], ceiling: str) -> None:
    for obj in objects:
        assert (tlp_rank_of(obj) or 0) <= tlp_rank(ceiling), (obj["id"], ceiling)


ENDPOINTS = ("objects", "manifest", "object", "versions", "later pages")


@pytest.mark.slow
def test_no_leak_across_the_matrix(engine: Engine) -> None:
    collections, tokens, contents = build(engine)
    client = Client(make_app(engine))
    cells: set[tuple[str, str, str, str]] = set()  # partner, collection, level, endpoint
    for partner, ceiling in PARTNERS.items():
        h = bearer(tokens[partner])
        listed = client.get("/taxii2/default/collections/", headers=h).json()
        titles = {c["title"] for c in listed.get("collections", [])}
        assert titles == {t for t, rights in RIGHTS.items() if partner in rights}
        for title, collection in collections.items():
            base = f"/taxii2/default/collections/{collection}/"
            rights = RIGHTS[title].get(partner)
            everything = contents[title]
            allowed = visible(everything, ceiling)
            if rights is not None and rights[0]:
                # the whole collection, every page: all versions, then the latest ones
                seen, pages = page_through(
                    client, base + "objects/", h, limit=3, **{"match[version]": "all"}
                )
                assert_within(seen, ceiling)
                assert {key(o) for o in seen} == allowed and len(seen) == len(allowed)
                assert pages == -(-len(allowed) // 3)
                newest, _ = page_through(client, base + "objects/", h, limit=4)
                assert_within(newest, ceiling)
                assert {key(o) for o in newest} == latest(allowed)
            for level in TLP_LEVELS:
                ids = sorted({o["id"] for o in everything if tlp_rank_of(o) == tlp_rank(level)})
                cells.update((partner, title, level, e) for e in ENDPOINTS)
                check_level(client, base, h, rights, ceiling, ids, allowed)
    assert len(cells) == len(PARTNERS) * len(RIGHTS) * len(TLP_LEVELS) * len(ENDPOINTS) == 300


def check_level(
    client: Client,
    base: str,
    h: dict[str, str],
    rights: tuple[bool, bool] | None,
    ceiling: str,
    ids: list[str],
    allowed: set[tuple[str, str]],
) -> None:
    """Objects first marked at one TLP level, through every endpoint, pages of one."""
    params = {"match[id]": ",".join(ids), "match[version]": "all", "limit": "1"}
    urls = [base + "objects/", base + "manifest/"]
    urls += [base + f"objects/{i}/" for i in ids] + [base + f"objects/{i}/versions/" for i in ids]
    if rights is None or not rights[0]:
        expected = 404 if rights is None else 403
        for url in urls:
            assert client.get(url, headers=h).status_code == expected, url
        assert client.get(base + "objects/", headers=h, params=params).status_code == expected
        return
    mine = {(i, v) for i, v in allowed if i in ids}
    seen, pages = page_through(client, base + "objects/", h, **params)
    assert_within(seen, ceiling)
    assert {key(o) for o in seen} == mine and pages == max(1, len(mine))
    entries, _ = page_through(client, base + "manifest/", h, **params)
    assert {(e["id"], e["version"]) for e in entries} == mine
    for ident in ids:
        versions_of = {v for i, v in mine if i == ident}
        one = client.get(base + f"objects/{ident}/", headers=h, params={"match[version]": "all"})
        versions = client.get(base + f"objects/{ident}/versions/", headers=h)
        if not versions_of:
            assert one.status_code == 404 and versions.status_code == 404, ident
            continue
        assert_within(one.json()["objects"], ceiling)
        assert {key(o) for o in one.json()["objects"]} == {(ident, v) for v in versions_of}
        assert set(versions.json()["versions"]) == versions_of
        last = client.get(base + f"objects/{ident}/", headers=h).json()["objects"]
        assert [key(o) for o in last] == [(ident, max(versions_of))]
        paged, _ = page_through(
            client, base + f"objects/{ident}/versions/", h, key="versions", limit=1
        )
        assert set(paged) == versions_of


def test_next_tokens_never_widen_what_is_seen(engine: Engine) -> None:
    collections, tokens, contents = build(engine)
    client = Client(make_app(engine))
    shared = f"/taxii2/default/collections/{collections['Shared']}/objects/"
    all_versions = {"match[version]": "all"}
    # a token the amber partner got, replayed by the clear partner: still only clear
    amber_page = client.get(
        shared, headers=bearer(tokens["p-amber"]), params={"limit": 2, **all_versions}
    )
    token = amber_page.json()["next"]
    rest, _ = page_through(
        client, shared, bearer(tokens["p-clear"]), next=token, limit=3, **all_versions
    )
    assert rest and all((tlp_rank_of(o) or 0) == 0 for o in rest)
    # a token for a collection replayed on one the partner may not see: 404, not a page
    secret = f"/taxii2/default/collections/{collections['Secret']}/objects/"
    assert (
        client.get(secret, headers=bearer(tokens["p-amber"]), params={"next": token}).status_code
        == 404
    )
    # a token replayed on another readable collection: refused
    mixed = f"/taxii2/default/collections/{collections['Mixed']}/objects/"
    assert (
        client.get(mixed, headers=bearer(tokens["p-green"]), params={"next": token}).status_code
        == 400
    )
    # a right withdrawn in the middle of paging: the next page is not found
    h = bearer(tokens["p-green"])
    first = client.get(mixed, headers=h, params={"limit": 2}).json()
    admin.grant(engine, "p-green", "Mixed", read=False, write=False)
    assert (
        client.get(mixed, headers=h, params={"limit": 2, "next": first["next"]}).status_code == 404
    )
    # a ceiling lowered in the middle of paging: later pages hold only what it allows now
    h = bearer(tokens["p-amber"])
    first = client.get(shared, headers=h, params={"limit": 2, **all_versions}).json()
    with engine.begin() as conn:
        conn.execute(update(partners).where(partners.c.name == "p-amber").values(max_tlp="clear"))
    later, _ = page_through(client, shared, h, next=first["next"], limit=50, **all_versions)
    assert later and all((tlp_rank_of(o) or 0) == 0 for o in later)
    assert len(later) < len(visible(contents["Shared"], "amber"))
