"""Reading what partners shared with us (``partner_objects``) for the dashboard and API.

Objects pulled from a partner's TAXII collection are shown apart from pactwatch's own
findings, each with its provenance (the subscription: which partner server and which
collection) and its TLP level, so an analyst always knows whose claim it is and how far
it may travel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from pactwatch.share.tlp import TLP_LEVELS
from pactwatch.store.schema import partner_objects, subscriptions


@dataclass(frozen=True, slots=True)
class PartnerObject:
    id: int
    stix_id: str
    type: str
    name: str
    version: str
    tlp: str
    imported_at: datetime
    source: str  # the subscription: partner server and collection
    description: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stix_id": self.stix_id,
            "type": self.type,
            "name": self.name,
            "version": self.version,
            "tlp": self.tlp,
            "imported_at": self.imported_at.isoformat(),
            "source": self.source,
            "description": self.description,
            "partner_supplied": True,
        }


def _tlp_name(rank: int) -> str:
    return TLP_LEVELS[rank] if 0 <= rank < len(TLP_LEVELS) else "red"


def list_partner_objects(
    engine: Engine, *, type_: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[PartnerObject], int]:
    """The newest version of each imported object, newest import first, and the total."""
    latest = (
        select(
            partner_objects.c.subscription_id,
            partner_objects.c.stix_id,
            func.max(partner_objects.c.version).label("version"),
        )
        .group_by(partner_objects.c.subscription_id, partner_objects.c.stix_id)
        .subquery()
    )
    query = (
        select(
            partner_objects,
            subscriptions.c.api_root_url,
            subscriptions.c.collection_id,
            subscriptions.c.name.label("subscription_name"),
        )
        .join(
            latest,
            (partner_objects.c.subscription_id == latest.c.subscription_id)
            & (partner_objects.c.stix_id == latest.c.stix_id)
            & (partner_objects.c.version == latest.c.version),
        )
        .join(subscriptions, partner_objects.c.subscription_id == subscriptions.c.id)
    )
    if type_:
        query = query.where(partner_objects.c.type == type_)
    with engine.connect() as conn:
        total = int(conn.scalar(select(func.count()).select_from(query.subquery())) or 0)
        rows = conn.execute(
            query.order_by(partner_objects.c.imported_at.desc(), partner_objects.c.id.desc())
            .limit(limit)
            .offset(offset)
        ).all()
    found = []
    for r in rows:
        obj = r.object if isinstance(r.object, dict) else {}
        source = r.subscription_name or f"{r.api_root_url} collection {r.collection_id}"
        found.append(
            PartnerObject(
                id=r.id,
                stix_id=r.stix_id,
                type=r.type,
                name=str(obj.get("name") or obj.get("abstract") or obj.get("content") or r.stix_id)[
                    :200
                ],
                version=r.version,
                tlp=_tlp_name(r.tlp_rank),
                imported_at=r.imported_at,
                source=source,
                description=str(obj.get("description") or "")[:400],
            )
        )
    return found, total
