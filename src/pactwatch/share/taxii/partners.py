"""Partners and their rights: the admin side of the TAXII server.

A partner has a name, the highest TLP level it may receive, credentials (HTTP Basic with
a generated password, or bearer tokens; both shown once and stored hashed) and, per
collection, ``can_read`` and ``can_write``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select, update

from pactwatch.errors import InputError
from pactwatch.share.taxii.auth import hash_password, hash_token, new_secret
from pactwatch.share.tlp import normalise_level
from pactwatch.store.schema import (
    partner_access,
    partner_credentials,
    partners,
    taxii_collections,
    taxii_objects,
)


def create_partner(engine: Engine, name: str, max_tlp: str) -> int:
    """A new partner that may receive up to ``max_tlp``; its id."""
    level = normalise_level(max_tlp)
    name = name.strip()
    if not name:
        raise InputError("a partner needs a name")
    with engine.begin() as conn:
        if conn.execute(select(partners.c.id).where(partners.c.name == name)).first():
            raise InputError(f"there is already a partner named {name!r}")
        result = conn.execute(
            insert(partners).values(
                name=name, max_tlp=level, disabled=False, created_at=datetime.now(UTC)
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def partner_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(partners.c.id).where(partners.c.name == name)).scalar_one_or_none()
    if found is None:
        raise InputError(
            f"there is no partner named {name!r}; `pactwatch partners list` shows them"
        )
    return int(found)


def collection_id(conn: Connection, id_or_title: str) -> str:
    """A collection by its id or its exact title (refused when the title is ambiguous)."""
    found = (
        conn.execute(
            select(taxii_collections.c.id).where(
                or_(taxii_collections.c.id == id_or_title, taxii_collections.c.title == id_or_title)
            )
        )
        .scalars()
        .all()
    )
    if len(found) != 1:
        problem = "no collection" if not found else "several collections"
        raise InputError(
            f"{problem} with the id or title {id_or_title!r}; "
            "`pactwatch collections list` shows them"
        )
    return str(found[0])


def add_basic_credential(engine: Engine, partner: str, username: str) -> str:
    """An HTTP Basic credential with a generated password, returned once."""
    username = username.strip()
    if not username or ":" in username:
        raise InputError("a Basic user name must be non-empty and without ':'")
    password = new_secret()
    with engine.begin() as conn:
        owner = partner_id(conn, partner)
        taken = conn.execute(
            select(partner_credentials.c.id).where(partner_credentials.c.username == username)
        ).first()
        if taken:
            raise InputError(f"the user name {username!r} is taken")
        conn.execute(
            insert(partner_credentials).values(
                partner_id=owner,
                kind="basic",
                username=username,
                secret_hash=hash_password(password),
                revoked=False,
                created_at=datetime.now(UTC),
            )
        )
    return password


def add_bearer_credential(engine: Engine, partner: str) -> str:
    """A bearer token, returned once; the store keeps its sha256."""
    token = new_secret()
    digest = hash_token(token)
    with engine.begin() as conn:
        conn.execute(
            insert(partner_credentials).values(
                partner_id=partner_id(conn, partner),
                kind="bearer",
                secret_hash=digest,
                token_hash=digest,
                revoked=False,
                created_at=datetime.now(UTC),
            )
        )
    return token


def revoke_credentials(engine: Engine, partner: str) -> int:
    """Revoke every credential of a partner; how many were live."""
    with engine.begin() as conn:
        result = conn.execute(
            update(partner_credentials)
            .where(
                partner_credentials.c.partner_id == partner_id(conn, partner),
                partner_credentials.c.revoked.is_(False),
            )
            .values(revoked=True)
        )
        return int(result.rowcount)


def set_disabled(engine: Engine, partner: str, disabled: bool = True) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(partners)
            .where(partners.c.id == partner_id(conn, partner))
            .values(disabled=disabled)
        )


def grant(engine: Engine, partner: str, collection: str, *, read: bool, write: bool) -> None:
    """Set the partner's rights on a collection (both False removes its access)."""
    with engine.begin() as conn:
        owner = partner_id(conn, partner)
        target = collection_id(conn, collection)
        conn.execute(
            delete(partner_access).where(
                partner_access.c.partner_id == owner, partner_access.c.collection_id == target
            )
        )
        if read or write:
            conn.execute(
                insert(partner_access).values(
                    partner_id=owner, collection_id=target, can_read=read, can_write=write
                )
            )


@dataclass(frozen=True, slots=True)
class PartnerSummary:
    name: str
    max_tlp: str
    disabled: bool
    credentials: int  # live ones
    access: list[tuple[str, bool, bool]]  # collection title, can_read, can_write


def list_partners(engine: Engine) -> list[PartnerSummary]:
    with engine.connect() as conn:
        rows = conn.execute(select(partners).order_by(partners.c.name)).all()
        live: dict[int, int] = dict(
            conn.execute(
                select(partner_credentials.c.partner_id, func.count())
                .where(partner_credentials.c.revoked.is_(False))
                .group_by(partner_credentials.c.partner_id)
            ).all()
        )
        rights: dict[int, list[tuple[str, bool, bool]]] = {}
        for r in conn.execute(
            select(
                partner_access.c.partner_id,
                taxii_collections.c.title,
                partner_access.c.can_read,
                partner_access.c.can_write,
            )
            .select_from(partner_access.join(taxii_collections))
            .order_by(taxii_collections.c.title)
        ):
            rights.setdefault(int(r.partner_id), []).append(
                (str(r.title), bool(r.can_read), bool(r.can_write))
            )
    return [
        PartnerSummary(
            str(r.name),
            str(r.max_tlp),
            bool(r.disabled),
            int(live.get(r.id, 0)),
            rights.get(int(r.id), []),
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class CollectionSummary:
    id: str
    api_root: str
    title: str
    filter: dict[str, object] | None
    objects: int
    refreshed_at: datetime | None


def list_collections(engine: Engine) -> list[CollectionSummary]:
    with engine.connect() as conn:
        counts: dict[str, int] = dict(
            conn.execute(
                select(taxii_objects.c.collection_id, func.count()).group_by(
                    taxii_objects.c.collection_id
                )
            ).all()
        )
        rows = conn.execute(
            select(taxii_collections).order_by(
                taxii_collections.c.api_root, taxii_collections.c.title
            )
        ).all()
    return [
        CollectionSummary(
            str(r.id),
            str(r.api_root),
            str(r.title),
            r.filter,
            int(counts.get(r.id, 0)),
            r.refreshed_at,
        )
        for r in rows
    ]
