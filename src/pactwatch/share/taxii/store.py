"""Collection reads and writes in SQL, with every rule of access applied in the query.

A page is one query over ``ix_taxii_objects_page`` (collection, date_added, id): the
partner's TLP ceiling (``tlp_rank <= max_rank``), the ``match[...]`` filters, exclusive
``added_after`` and the ``next`` position are all ``WHERE`` conditions, and one row more
than the limit is read to know whether more remain. ``next`` is an opaque token that holds
only a position (collection, date_added, id): the rights and the ceiling come from the
store on every page, so a token can neither widen what a partner sees nor outlive a
revoked right. ``match[version]=last`` (and ``first``) are judged among the versions the
partner may see, so a newer version above its ceiling never shows, not even by its absence.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Text,
    and_,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    tuple_,
)

from pactwatch.share.taxii.auth import Partner
from pactwatch.share.taxii.media import STIX_MEDIA, TaxiiError
from pactwatch.store.schema import partner_access, taxii_collections, taxii_objects, taxii_status

PAGE_CAP: Final = 1000  # never more objects in one response, whatever ``limit`` says
DEFAULT_ROOT: Final = "default"
FILTERS: Final = frozenset({"id", "type", "version", "spec_version"})


# --- timestamps -----------------------------------------------------------------------


def format_timestamp(moment: datetime) -> str:
    """RFC 3339 UTC with microseconds: ``2025-03-04T10:00:00.123456Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_timestamp(value: str) -> datetime:
    """An RFC 3339 timestamp as an aware UTC datetime; ValueError when it is not one."""
    text = value.strip()
    if "T" not in text.upper() or not text:
        raise ValueError(value)
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment.astimezone(UTC)


def canonical_version(value: str) -> str:
    """A STIX timestamp in one fixed-width form, so that versions compare as strings."""
    return format_timestamp(parse_timestamp(value))


# --- collections and rights -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Access:
    collection_id: str
    api_root: str
    title: str
    description: str | None
    can_read: bool
    can_write: bool

    def resource(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.collection_id, "title": self.title}
        if self.description:
            body["description"] = self.description
        body.update(can_read=self.can_read, can_write=self.can_write, media_types=[STIX_MEDIA])
        return body


def _access_query(partner: Partner) -> Any:
    return (
        select(
            taxii_collections.c.id,
            taxii_collections.c.api_root,
            taxii_collections.c.title,
            taxii_collections.c.description,
            partner_access.c.can_read,
            partner_access.c.can_write,
        )
        .select_from(taxii_collections.join(partner_access))
        .where(
            partner_access.c.partner_id == partner.id,
            or_(partner_access.c.can_read.is_(True), partner_access.c.can_write.is_(True)),
        )
    )


def _access(row: Row[Any]) -> Access:
    return Access(
        str(row.id),
        str(row.api_root),
        str(row.title),
        row.description,
        bool(row.can_read),
        bool(row.can_write),
    )


def api_roots(conn: Connection, partner: Partner) -> list[str]:
    """The API roots this partner has a collection in, ``default`` always first."""
    found = conn.execute(
        select(taxii_collections.c.api_root)
        .distinct()
        .select_from(taxii_collections.join(partner_access))
        .where(
            partner_access.c.partner_id == partner.id,
            or_(partner_access.c.can_read.is_(True), partner_access.c.can_write.is_(True)),
        )
    ).scalars()
    return [DEFAULT_ROOT, *sorted(r for r in set(found) if r != DEFAULT_ROOT)]


def require_root(conn: Connection, partner: Partner, root: str) -> None:
    if root not in api_roots(conn, partner):
        raise TaxiiError(404, "Not Found", "there is no API root at this address")


def visible_collections(conn: Connection, partner: Partner, root: str) -> list[Access]:
    rows = conn.execute(
        _access_query(partner)
        .where(taxii_collections.c.api_root == root)
        .order_by(taxii_collections.c.title, taxii_collections.c.id)
    ).all()
    return [_access(r) for r in rows]


def collection_access(
    conn: Connection,
    partner: Partner,
    root: str,
    collection_id: str,
    *,
    read: bool = False,
    write: bool = False,
) -> Access:
    """The partner's rights on a collection: 404 when it may not see it, 403 when it may
    see it but not do what is asked."""
    row = conn.execute(
        _access_query(partner).where(
            taxii_collections.c.api_root == root, taxii_collections.c.id == collection_id
        )
    ).first()
    if row is None:
        raise TaxiiError(404, "Not Found", "there is no collection at this address")
    access = _access(row)
    if read and not access.can_read:
        raise TaxiiError(403, "Forbidden", "this collection is not readable for you")
    if write and not access.can_write:
        raise TaxiiError(403, "Forbidden", "this collection is not writable for you")
    return access


# --- request parameters ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    limit: int = PAGE_CAP
    position: tuple[datetime, int] | None = None  # from ``next``: after this (date_added, id)
    added_after: datetime | None = None
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ("last",)
    spec_versions: tuple[str, ...] = ()


def _bad(description: str) -> TaxiiError:
    return TaxiiError(400, "Bad Request", description)


def _values(params: Mapping[str, list[str]], name: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in params.get(name, []):
        parts = [p.strip() for p in raw.split(",")]
        if not all(parts):
            raise _bad(f"{name} has an empty value")
        out.extend(parts)
    return tuple(out)


def parse_query(
    params: Mapping[str, list[str]],
    collection_id: str,
    *,
    allowed: Iterable[str] = FILTERS,
    default_version: str = "last",
    paged: bool = True,
) -> Query:
    """The request's parameters, checked: 400 for anything malformed or unknown."""
    allowed = set(allowed)
    known = {f"match[{f}]" for f in allowed} | (
        {"limit", "next", "added_after"} if paged else set()
    )
    for name, values in params.items():
        if name not in known:
            raise _bad(f"unknown or unsupported parameter {name!r} here")
        if name in ("limit", "next", "added_after") and len(values) > 1:
            raise _bad(f"{name} is given more than once")
    limit = PAGE_CAP
    if "limit" in params:
        try:
            limit = int(params["limit"][0])
        except ValueError:
            raise _bad("limit must be a positive integer") from None
        if limit < 1:
            raise _bad("limit must be a positive integer")
    position = decode_next(params["next"][0], collection_id) if "next" in params else None
    added_after = None
    if "added_after" in params:
        try:
            added_after = parse_timestamp(params["added_after"][0])
        except ValueError:
            raise _bad("added_after must be an RFC 3339 timestamp") from None
    ids = _values(params, "match[id]")
    for ident in ids:
        kind, sep, tail = ident.partition("--")
        if not sep or not kind or not _is_uuid(tail):
            raise _bad(f"match[id] {ident!r} is not a STIX id")
    types = _values(params, "match[type]")
    versions = _values(params, "match[version]") or (default_version,)
    checked: list[str] = []
    for version in versions:
        if version in ("first", "last", "all"):
            checked.append(version)
            continue
        try:
            checked.append(canonical_version(version))
        except ValueError:
            raise _bad(
                f"match[version] {version!r} is not first, last, all or a timestamp"
            ) from None
    spec_versions = _values(params, "match[spec_version]")
    for spec in spec_versions:
        if spec not in ("2.0", "2.1"):
            raise _bad(f"match[spec_version] {spec!r} is not 2.0 or 2.1")
    return Query(
        min(limit, PAGE_CAP), position, added_after, ids, types, tuple(checked), spec_versions
    )


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def encode_next(collection_id: str, date_added: datetime, row_id: int) -> str:
    raw = json.dumps([collection_id, format_timestamp(date_added), row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_next(token: str, collection_id: str) -> tuple[datetime, int]:
    """The position a ``next`` token holds; 400 when it is not ours or not for here."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        collection, added, row_id = json.loads(raw)
        position = (parse_timestamp(str(added)), int(row_id))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise _bad("next is not a token this server gave") from None
    if collection != collection_id:
        raise _bad("next belongs to another collection")
    return position


# --- reading --------------------------------------------------------------------------


@dataclass(slots=True)
class Page:
    rows: list[Row[Any]] = field(default_factory=list)
    more: bool = False
    next: str | None = None

    def headers(self) -> dict[str, str]:
        if not self.rows:
            return {}
        return {
            "X-TAXII-Date-Added-First": format_timestamp(self.rows[0].date_added),
            "X-TAXII-Date-Added-Last": format_timestamp(self.rows[-1].date_added),
        }


def _conditions(
    collection_id: str, max_rank: int, query: Query, stix_id: str | None
) -> list[ColumnElement[bool]]:
    t = taxii_objects
    conditions: list[ColumnElement[bool]] = [
        t.c.collection_id == collection_id,
        t.c.tlp_rank <= max_rank,
    ]
    if stix_id is not None:
        conditions.append(t.c.stix_id == stix_id)
    if query.added_after is not None:
        conditions.append(t.c.date_added > query.added_after)
    if query.ids:
        conditions.append(t.c.stix_id.in_(query.ids))
    if query.types:
        conditions.append(t.c.type.in_(query.types))
    if query.spec_versions:
        conditions.append(t.c.spec_version.in_(query.spec_versions))
    if "all" not in query.versions:
        chosen: list[ColumnElement[bool]] = []
        other = t.alias("other_version")
        for version in query.versions:
            if version in ("first", "last"):
                beyond = (
                    other.c.version > t.c.version
                    if version == "last"
                    else other.c.version < t.c.version
                )
                chosen.append(
                    ~exists().where(
                        other.c.collection_id == t.c.collection_id,
                        other.c.stix_id == t.c.stix_id,
                        other.c.tlp_rank <= max_rank,
                        beyond,
                    )
                )
            else:
                chosen.append(t.c.version == version)
        conditions.append(or_(*chosen))
    return conditions


def read_page(
    conn: Connection,
    collection_id: str,
    max_rank: int,
    query: Query,
    *,
    stix_id: str | None = None,
    with_objects: bool = True,
) -> Page:
    """One page of what the partner may see, ascending by (date_added, id)."""
    t = taxii_objects
    columns: list[Any] = [t.c.id, t.c.stix_id, t.c.version, t.c.date_added, t.c.spec_version]
    if with_objects:
        # The stored JSON text goes out as it is: parsing 1,000 objects to serialise them
        # again was most of a page's time.
        columns.append(cast(t.c.object, Text).label("object_json"))
    conditions = _conditions(collection_id, max_rank, query, stix_id)
    if query.position is not None:
        conditions.append(tuple_(t.c.date_added, t.c.id) > tuple_(*query.position))
    rows = list(
        conn.execute(
            select(*columns)
            .where(and_(true(), *conditions))
            .order_by(t.c.date_added, t.c.id)
            .limit(query.limit + 1)
        ).all()
    )
    page = Page(rows[: query.limit], more=len(rows) > query.limit)
    if page.more:
        last = page.rows[-1]
        page.next = encode_next(collection_id, last.date_added, int(last.id))
    return page


def envelope(page: Page) -> str:
    """The objects envelope as JSON text; an empty envelope ``{}`` when nothing matched."""
    if not page.rows:
        return "{}"
    head: dict[str, Any] = {"more": page.more}
    if page.next:
        head["next"] = page.next
    objects = ",".join(row.object_json for row in page.rows)
    return json.dumps(head, separators=(",", ":"))[:-1] + ',"objects":[' + objects + "]}"


def manifest(page: Page) -> dict[str, Any]:
    if not page.rows:
        return {}
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    body["objects"] = [
        {
            "id": row.stix_id,
            "date_added": format_timestamp(row.date_added),
            "version": row.version,
            "media_type": f"application/stix+json;version={row.spec_version}",
        }
        for row in page.rows
    ]
    return body


def versions(page: Page) -> dict[str, Any]:
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    body["versions"] = [row.version for row in page.rows]
    return body


def delete_versions(
    conn: Connection, collection_id: str, max_rank: int, stix_id: str, query: Query
) -> int:
    """Delete the versions of ``stix_id`` the partner may see and the filters choose."""
    conditions = _conditions(collection_id, max_rank, query, stix_id)
    chosen = [r.id for r in conn.execute(select(taxii_objects.c.id).where(*conditions)).all()]
    if chosen:
        conn.execute(delete(taxii_objects).where(taxii_objects.c.id.in_(chosen)))
    return len(chosen)


# --- writing --------------------------------------------------------------------------


def object_version(obj: Mapping[str, Any]) -> str:
    """The version of a STIX object (``modified``, else ``created``), in canonical form."""
    stamp = obj.get("modified") or obj.get("created")
    if not isinstance(stamp, str):
        raise ValueError("the object has neither modified nor created")
    return canonical_version(stamp)


@dataclass(slots=True)
class Appended:
    added: int = 0
    unchanged: int = 0  # this id and version were already in the collection
    successes: list[dict[str, str]] = field(default_factory=list)


def append_objects(
    conn: Connection,
    collection_id: str,
    items: Sequence[tuple[Mapping[str, Any], int]],
    origin: str,
) -> Appended:
    """Add (object, tlp_rank) pairs as new versions; an id and version already there is
    left as it is. Each new row gets its own ``date_added``, later than any before it, so
    ``added_after`` and the date-added headers keep their order."""
    result = Appended()
    keyed = [(str(obj["id"]), object_version(obj), obj, rank) for obj, rank in items]
    existing: set[tuple[str, str]] = set()
    ids = sorted({k[0] for k in keyed})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        existing.update(
            (r.stix_id, r.version)
            for r in conn.execute(
                select(taxii_objects.c.stix_id, taxii_objects.c.version).where(
                    taxii_objects.c.collection_id == collection_id,
                    taxii_objects.c.stix_id.in_(chunk),
                )
            )
        )
    latest = conn.execute(
        select(func.max(taxii_objects.c.date_added)).where(
            taxii_objects.c.collection_id == collection_id
        )
    ).scalar_one_or_none()
    moment = datetime.now(UTC)
    if latest is not None and latest >= moment:
        moment = latest + timedelta(microseconds=1)
    rows: list[dict[str, Any]] = []
    for stix_id, version, obj, rank in keyed:
        result.successes.append({"id": stix_id, "version": version})
        if (stix_id, version) in existing:
            result.unchanged += 1
            continue
        existing.add((stix_id, version))
        rows.append(
            {
                "collection_id": collection_id,
                "stix_id": stix_id,
                "type": str(obj["type"]),
                "version": version,
                "spec_version": str(obj.get("spec_version", "2.0")),
                "date_added": moment,
                "tlp_rank": rank,
                "object": dict(obj),
                "origin": origin,
            }
        )
        moment += timedelta(microseconds=1)
    for start in range(0, len(rows), 1000):
        conn.execute(insert(taxii_objects), rows[start : start + 1000])
    result.added = len(rows)
    return result


def write_status(
    conn: Connection,
    collection_id: str,
    partner: Partner,
    successes: list[dict[str, str]],
    failures: list[dict[str, str]],
) -> dict[str, Any]:
    status_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    details = {"successes": successes, "failures": failures, "pendings": []}
    conn.execute(
        insert(taxii_status).values(
            id=status_id,
            collection_id=collection_id,
            partner_id=partner.id,
            status="complete",
            request_timestamp=now,
            total_count=len(successes) + len(failures),
            success_count=len(successes),
            failure_count=len(failures),
            pending_count=0,
            details=details,
        )
    )
    return _status_resource(status_id, now, len(successes), len(failures), details)


def _status_resource(
    status_id: str, when: datetime, ok: int, failed: int, details: Mapping[str, Any]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": status_id,
        "status": "complete",
        "request_timestamp": format_timestamp(when),
        "total_count": ok + failed,
        "success_count": ok,
        "failure_count": failed,
        "pending_count": 0,
    }
    for key in ("successes", "failures"):
        if details.get(key):
            body[key] = details[key]
    return body


STATUS_KEPT: Final = timedelta(hours=24)


def read_status(conn: Connection, partner: Partner, root: str, status_id: str) -> dict[str, Any]:
    """A status the partner's own POST made, in this API root, within the last 24 hours."""
    row = conn.execute(
        select(taxii_status)
        .select_from(taxii_status.join(taxii_collections))
        .where(
            taxii_status.c.id == status_id,
            taxii_status.c.partner_id == partner.id,
            taxii_collections.c.api_root == root,
            taxii_status.c.request_timestamp > datetime.now(UTC) - STATUS_KEPT,
        )
    ).first()
    if row is None:
        raise TaxiiError(404, "Not Found", "there is no status at this address")
    return _status_resource(
        str(row.id),
        row.request_timestamp,
        int(row.success_count),
        int(row.failure_count),
        row.details or {},
    )
