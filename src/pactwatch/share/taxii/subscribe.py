"""Subscribing to partners' TAXII 2.1 collections, and polling them (taxii2-client).

``subscribe`` records a partner's collection (its API root URL, collection id and the
credential to poll with) after checking that it can be read. ``poll`` pulls what was
added since the last poll (``added_after`` is the ``X-TAXII-Date-Added-Last`` of the last
page seen), page by page through ``next``, and imports each object into
``partner_objects`` with its provenance (the subscription) and its TLP: the level of its
TLP marking (TLP 1.0 ids read as their 2.0 level), else the subscription's ``tlp_floor``,
else amber. An id and version already imported is not imported twice. One failing
subscription is reported and does not stop the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import requests
from sqlalchemy import Connection, Engine, insert, select, update
from taxii2client.exceptions import TAXIIServiceException  # type: ignore[import-untyped]
from taxii2client.v21 import Collection, as_pages  # type: ignore[import-untyped]

from pactwatch.errors import FetchError, InputError
from pactwatch.share.taxii.collections import tlp_rank_of
from pactwatch.share.taxii.store import object_version
from pactwatch.share.tlp import normalise_level, tlp_rank
from pactwatch.store.schema import partner_objects, subscriptions

DEFAULT_FLOOR: Final = "amber"
PER_REQUEST: Final = 1000
TIMEOUT_SECONDS: Final = 60


class BearerAuth:
    """A requests auth callable that sends ``Authorization: Bearer``."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: Any) -> Any:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def collection_url(api_root_url: str, collection_id: str) -> str:
    return f"{api_root_url.rstrip('/')}/collections/{collection_id}/"


@dataclass(frozen=True, slots=True)
class Credential:
    username: str | None = None
    secret: str | None = None  # a password with username, else a bearer token

    def client_kwargs(self) -> dict[str, Any]:
        """The credential as taxii2-client's ``user``/``password`` or ``auth``."""
        if self.secret is None:
            return {}
        if self.username is not None:
            return {"user": self.username, "password": self.secret}
        return {"auth": BearerAuth(self.secret)}


class _Remote:
    """A taxii2-client collection whose responses' date-added headers we keep."""

    def __init__(self, api_root_url: str, collection_id: str, credential: Credential) -> None:
        self.last_added: str | None = None
        self.collection = Collection(
            collection_url(api_root_url, collection_id), **credential.client_kwargs()
        )
        session = self.collection._conn.session  # taxii2-client drops headers; keep them
        session.hooks["response"].append(self._keep_headers)
        self._send = session.request

        def bounded(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("timeout", TIMEOUT_SECONDS)
            return self._send(*args, **kwargs)

        session.request = bounded

    def _keep_headers(self, response: Any, *args: Any, **kwargs: Any) -> None:
        last = response.headers.get("X-TAXII-Date-Added-Last")
        if response.ok and last:
            self.last_added = last

    def pages(self, added_after: str | None) -> Iterator[list[dict[str, Any]]]:
        filters = {"added_after": added_after} if added_after else {}
        for envelope in as_pages(self.collection.get_objects, per_request=PER_REQUEST, **filters):
            yield list(envelope.get("objects", []))

    def close(self) -> None:
        self.collection.close()


def subscribe(
    engine: Engine,
    api_root_url: str,
    collection_id: str,
    credential: Credential,
    *,
    tlp_floor: str | None = None,
    name: str | None = None,
    check: bool = True,
) -> int:
    """Record a subscription (its id), after checking the collection can be read."""
    floor = normalise_level(tlp_floor) if tlp_floor else None
    if not api_root_url.startswith(("http://", "https://")):
        raise InputError(f"{api_root_url!r} is not an http(s) URL of a TAXII API root")
    title = name
    if check:
        remote = _Remote(api_root_url, collection_id, credential)
        try:
            remote.collection.refresh()
            if not remote.collection.can_read:
                raise InputError("the partner's collection is not readable with this credential")
            title = title or remote.collection.title
        except (requests.RequestException, TAXIIServiceException) as error:
            raise FetchError(
                f"cannot read {collection_url(api_root_url, collection_id)}: {error}"
            ) from None
        finally:
            remote.close()
    with engine.begin() as conn:
        found = conn.execute(
            select(subscriptions.c.id).where(
                subscriptions.c.api_root_url == api_root_url,
                subscriptions.c.collection_id == collection_id,
            )
        ).scalar_one_or_none()
        values = {
            "name": title,
            "username": credential.username,
            "secret": credential.secret,
            "tlp_floor": floor,
        }
        if found is not None:
            conn.execute(update(subscriptions).where(subscriptions.c.id == found).values(**values))
            return int(found)
        result = conn.execute(
            insert(subscriptions).values(
                api_root_url=api_root_url,
                collection_id=collection_id,
                created_at=datetime.now(UTC),
                **values,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


@dataclass(slots=True)
class PollResult:
    subscription: str
    imported: int = 0
    already: int = 0
    skipped: int = 0  # not STIX objects we keep (marking definitions, no version)
    error: str | None = None


@dataclass(slots=True)
class PollSummary:
    results: list[PollResult] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return sum(r.imported for r in self.results)

    def lines(self) -> list[str]:
        return [
            f"{r.subscription}: "
            + (
                f"failed: {r.error}"
                if r.error
                else f"{r.imported} imported, {r.already} already here"
            )
            for r in self.results
        ]


def poll(engine: Engine) -> PollSummary:
    """Pull every subscription once."""
    summary = PollSummary()
    with engine.connect() as conn:
        rows = conn.execute(select(subscriptions).order_by(subscriptions.c.id)).all()
    for row in rows:
        label = row.name or collection_url(row.api_root_url, row.collection_id)
        result = PollResult(str(label))
        summary.results.append(result)
        remote = _Remote(row.api_root_url, row.collection_id, Credential(row.username, row.secret))
        floor = tlp_rank(row.tlp_floor or DEFAULT_FLOOR)
        try:
            for objects in remote.pages(row.added_after):
                with engine.begin() as conn:
                    _import(conn, int(row.id), objects, floor, result)
        except (requests.RequestException, TAXIIServiceException, ValueError) as error:
            result.error = str(error)
        finally:
            remote.close()
        with engine.begin() as conn:
            values: dict[str, Any] = {"last_polled_at": datetime.now(UTC)}
            if result.error is None and remote.last_added:
                values["added_after"] = remote.last_added
            conn.execute(update(subscriptions).where(subscriptions.c.id == row.id).values(**values))
    return summary


def _import(
    conn: Connection,
    subscription_id: int,
    objects: Iterable[Mapping[str, Any]],
    floor: int,
    result: PollResult,
) -> None:
    keyed: list[tuple[str, str, Mapping[str, Any]]] = []
    for obj in objects:
        if obj.get("type") in ("marking-definition", "extension-definition") or "id" not in obj:
            result.skipped += 1
            continue
        try:
            keyed.append((str(obj["id"]), object_version(obj), obj))
        except ValueError:
            result.skipped += 1
    if not keyed:
        return
    existing = {
        (r.stix_id, r.version)
        for r in conn.execute(
            select(partner_objects.c.stix_id, partner_objects.c.version).where(
                partner_objects.c.subscription_id == subscription_id,
                partner_objects.c.stix_id.in_(sorted({k[0] for k in keyed})),
            )
        )
    }
    now = datetime.now(UTC)
    rows = []
    for stix_id, version, obj in keyed:
        if (stix_id, version) in existing:
            result.already += 1
            continue
        existing.add((stix_id, version))
        rank = tlp_rank_of(obj)
        rows.append(
            {
                "subscription_id": subscription_id,
                "stix_id": stix_id,
                "type": str(obj["type"]),
                "version": version,
                "tlp_rank": floor if rank is None else rank,
                "object": dict(obj),
                "imported_at": now,
            }
        )
    if rows:
        conn.execute(insert(partner_objects), rows)
    result.imported += len(rows)


def list_subscriptions(engine: Engine) -> list[dict[str, Any]]:
    """Subscriptions without their secrets, for display."""
    with engine.connect() as conn:
        rows = conn.execute(select(subscriptions).order_by(subscriptions.c.id)).all()
    return [
        {
            "id": r.id,
            "name": r.name,
            "url": collection_url(r.api_root_url, r.collection_id),
            "tlp_floor": r.tlp_floor or DEFAULT_FLOOR,
            "added_after": r.added_after,
            "last_polled_at": r.last_polled_at,
        }
        for r in rows
    ]
