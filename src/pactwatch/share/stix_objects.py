"""STIX 2.1 objects built from store rows: pure functions, no database and no output.

``stix.py`` decides what to write and in which order; this module says what each object
carries (docs/sharing.md, "Object mapping").
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

from pactwatch.knowledge import load_knowledge
from pactwatch.share import ids
from pactwatch.share.pages import Record
from pactwatch.share.tlp import TLP_IDS, normalise_level
from pactwatch.share.values import aware, iso2, names, period, readable, region

EVENT_EXTENSION_ID: Final = "extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e"
PRODUCER_CREATED: Final = datetime(2026, 1, 1, tzinfo=UTC)

# The modality of a PLOVER event as the Event extension's status.
EVENT_STATUS: Final = {
    "factual": "occurred",
    "future": "pending",
    "hypothetical": "undetermined",
    "negated": "not-occurred",
}

# PLOVER event -> relationship between its actor and its recipient. STIX defines no
# relationship between two identities, and allows any lowercase-hyphen type; an "x_"
# prefix is not allowed in relationship_type (a-z, 0-9 and hyphen only).
RELATIONSHIP_TYPES: Final = {
    "AGREE": "agrees-with",
    "CONSULT": "met-with",
    "SUPPORT": "supports",
    "CONCEDE": "concedes-to",
    "COOPERATE": "cooperates-with",
    "AID": "provides-aid-to",
    "RETREAT": "yields-to",
    "REQUEST": "makes-request-to",
    "ACCUSE": "accuses",
    "REJECT": "rejects",
    "THREATEN": "threatens",
    "PROTEST": "protests-against",
    "SANCTION": "sanctions",
    "MOBILIZE": "mobilizes-against",
    "COERCE": "coerces",
    "ASSAULT": "attacks",
}

IDENTITY_CLASS: Final = {
    "person": "individual",
    "organisation": "organization",
    "country": "organization",
    "igo": "organization",
    "group": "group",
}

# PLOVER sector codes with an industry-sector-ov equivalent; every code is also kept
# as x_pactwatch_plover_sectors.
INDUSTRY_SECTORS: Final = {
    "GOV": "government",
    "LEG": "government",
    "JUD": "government",
    "MIL": "defense",
    "COP": "government-public-services",
    "BUS": "commercial",
    "EDU": "education",
    "MED": "communications",
    "HLH": "healthcare",
    "NGO": "non-profit",
}


def producer() -> dict[str, Any]:
    obj: dict[str, Any] = {
        "type": "identity",
        "spec_version": "2.1",
        "id": ids.producer_id(),
        "name": "pactwatch",
        "identity_class": "system",
        "description": "Open-source news monitoring of security partnerships (pactwatch).",
        "object_marking_refs": [TLP_IDS["clear"]],
    }
    return finish(obj, PRODUCER_CREATED, PRODUCER_CREATED)


def common(type_: str, ident: str, tlp: str) -> dict[str, Any]:
    return {
        "type": type_,
        "spec_version": "2.1",
        "id": ident,
        "created_by_ref": ids.producer_id(),
        "object_marking_refs": [TLP_IDS[normalise_level(tlp)]],
    }


def opinion_value(credibility: float) -> str:
    scale = ["strongly-disagree", "disagree", "neutral", "agree", "strongly-agree"]
    return scale[min(int(credibility * 5), 4)]


def pruned(value: Any) -> Any:
    """``value`` without empty lists, empty dicts and nulls, which STIX forbids."""
    if isinstance(value, dict):
        kept = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [v for v in (pruned(v) for v in value) if v not in (None, [], {})]
    return value


def finish(obj: dict[str, Any], first: datetime, last: datetime) -> dict[str, Any]:
    """The object as written: pruned, then given its created and modified."""
    return ids.stamp(pruned(obj), first, last)


def identity(actor: Record, tlp: str, roles: list[str]) -> dict[str, Any]:
    """An actor as an identity (not yet stamped)."""
    obj = common("identity", ids.identity_id(actor.kind, actor.name, actor.country), tlp)
    country = load_knowledge().countries.get(actor.country or "")
    where = f", {country.name}" if country and actor.kind != "country" else ""
    obj["name"] = actor.name
    obj["description"] = f"{actor.name}: {actor.kind}{where}"
    obj["identity_class"] = IDENTITY_CLASS.get(actor.kind, "unknown")
    sectors = sorted({INDUSTRY_SECTORS[s] for s in actor.sectors or [] if s in INDUSTRY_SECTORS})
    if sectors:
        obj["sectors"] = sectors
    if roles:
        obj["roles"] = roles
    if actor.wikidata_id:
        obj["external_references"] = [
            {
                "source_name": "wikidata",
                "external_id": actor.wikidata_id,
                "url": f"https://www.wikidata.org/wiki/{actor.wikidata_id}",
            }
        ]
    obj["x_pactwatch_kind"] = actor.kind
    if actor.country:
        obj["x_pactwatch_country"] = actor.country
    if actor.sectors:
        obj["x_pactwatch_plover_sectors"] = list(actor.sectors)
    if actor.aliases:
        obj["x_pactwatch_aliases"] = list(actor.aliases)
    return obj


def location(key: tuple[str, str], row: Record, tlp: str) -> dict[str, Any] | None:
    """A place as a location (not yet stamped); None when STIX would not accept it."""
    name, iso3 = key
    obj = common("location", ids.location_id(name, iso3), tlp)
    obj["name"] = name
    code, area = iso2(iso3), region(iso3, name)
    if area:
        obj["region"] = area
    if code:
        obj["country"] = code
    if row.latitude is not None and row.longitude is not None:
        obj["latitude"] = float(row.latitude)
        obj["longitude"] = float(row.longitude)
    if not (code or area or "latitude" in obj):
        return None  # STIX needs a region, a country or coordinates
    obj["x_pactwatch_kind"] = row.kind
    if iso3:
        obj["x_pactwatch_country"] = iso3
    return obj


def event_objects(
    e: Record,
    actor_refs: list[str],
    recipient_refs: list[str],
    loc_ref: str | None,
    tlp: str,
    overrides: dict[str, Record],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The event SDO and the relationships it states."""
    written = aware(e.created_at)
    loc = e.event_loc or None
    override = overrides.get(e.id)
    credibility = override.value if override is not None else e.credibility

    obj = common("event", ids.event_sdo_id(e.id), tlp)
    obj["name"] = event_name(e)
    if e.event_text:
        obj["description"] = e.event_text
    obj["status"] = EVENT_STATUS.get(e.modality, "undetermined")
    types = [f"plover:{e.event}"]
    if e.mode:
        types.append(f"plover-mode:{e.mode}")
    if e.cameo:
        types.append(f"cameo:{e.cameo}")
    obj["event_types"] = types
    if e.date:
        start, end, fidelity = period(e.date, e.date_precision)
        obj["start_time"] = ids.stix_timestamp(start)
        obj["start_time_fidelity"] = fidelity
        if end is not None:
            obj["end_time"] = ids.stix_timestamp(end)
            obj["end_time_fidelity"] = fidelity
    if credibility is not None:
        obj["confidence"] = round(credibility * 100)
    obj["extensions"] = {EVENT_EXTENSION_ID: {"extension_type": "new-sdo"}}
    if actor_refs:
        obj["x_pactwatch_actor_refs"] = actor_refs
    if recipient_refs:
        obj["x_pactwatch_recipient_refs"] = recipient_refs
    custom = {
        "plover_event": e.event,
        "plover_mode": e.mode,
        "plover_contexts": e.contexts or None,
        "cameo": e.cameo,
        "quad_code": e.quad_code,
        "plover_score": e.plover_score,
        "areas": e.areas or None,
        "modality": e.modality,
        "date": e.date and e.date.isoformat(),
        "date_precision": e.date_precision,
        "event_loc": loc,
        "cluster_id": e.cluster_id,
        "extraction_confidence": e.confidence,
        "credibility_reasons": e.credibility_reasons or None,
    }
    obj.update({f"x_pactwatch_{k}": v for k, v in custom.items() if v is not None})
    obj = finish(obj, written, written)

    related: list[dict[str, Any]] = []
    kind = RELATIONSHIP_TYPES.get(e.event, "related-to")
    if e.event == "CONSULT" and e.mode == "phone":
        kind = "consults-with"
    for source in actor_refs:
        for target in recipient_refs:
            if source != target:
                related.append(relationship(kind, source, target, e, tlp))
    if loc_ref:
        related.append(relationship("located-at", obj["id"], loc_ref, e, tlp))
    return obj, related


def relationship(kind: str, source: str, target: str, e: Record, tlp: str) -> dict[str, Any]:
    obj = common("relationship", ids.relationship_id(kind, source, target, e.id), tlp)
    obj["relationship_type"] = kind
    obj["source_ref"] = source
    obj["target_ref"] = target
    if e.event_text:
        obj["description"] = e.event_text
    if e.date:
        obj["start_time"] = ids.stix_timestamp(period(e.date, e.date_precision)[0])
    obj["x_pactwatch_event_ref"] = ids.event_sdo_id(e.id)
    return finish(obj, aware(e.created_at), aware(e.created_at))


def document_objects(
    doc: Record,
    event_rows: list[Record],
    lines: list[str],
    refs: list[str],
    doc_flags: list[Record],
    overrides: dict[str, Record],
) -> list[dict[str, Any]]:
    """The report of a document, the opinion on its credibility and its flags as notes.

    ``lines`` say what each event was (``event_line``); ``refs`` are the ids the report
    refers to, already written.
    """
    tlp = normalise_level(doc.tlp)
    ingested = aware(doc.ingested_at)
    override = overrides.get(doc.id)
    credibility = override.value if override is not None else doc.credibility
    reasons = (
        f"analyst's judgement: {override.reason}"
        if override is not None
        else readable(doc.credibility_reasons)
    )
    written = [
        ingested,
        *(aware(e.created_at) for e in event_rows),
        *(aware(f.created_at) for f in doc_flags),
    ]
    if override is not None:
        written.append(aware(override.created_at))
    last = max(written)

    report = common("report", ids.report_id(doc.id), tlp)
    report["name"] = doc.title or doc.url or f"Document {doc.id[:12]}"
    what = "\n".join(f"- {line}" for line in lines) or "- no coded events"
    areas = sorted(set(doc.areas or []))
    description = f"What happened:\n{what}"
    if areas:
        description += f"\nCooperation areas: {', '.join(areas)}."
    if credibility is not None:
        description += f"\nCredibility {credibility:.2f}" + (f": {reasons}" if reasons else ".")
    report["description"] = description
    report["report_types"] = ["threat-report"]
    report["published"] = ids.stix_timestamp(aware(doc.published) if doc.published else ingested)
    report["object_refs"] = refs
    if doc.language:
        report["lang"] = doc.language
    labels = sorted(
        {f"plover:{e.event}" for e in event_rows}
        | {f"cameo:{e.cameo}" for e in event_rows if e.cameo}
        | {f"area:{a}" for e in event_rows for a in e.areas or []}
        | {f"area:{a}" for a in areas}
    )
    if labels:
        report["labels"] = labels
    if credibility is not None:
        report["confidence"] = round(credibility * 100)
    references = [{"source_name": "pactwatch", "external_id": doc.id}]
    if doc.url:
        references.insert(0, {"source_name": doc.outlet or "source", "url": doc.url})
    report["external_references"] = references
    report["x_pactwatch_document_id"] = doc.id
    report["x_pactwatch_plover_events"] = sorted({e.event for e in event_rows})
    report["x_pactwatch_cameo_codes"] = sorted({e.cameo for e in event_rows if e.cameo})
    report["x_pactwatch_areas"] = areas
    if reasons:
        report["x_pactwatch_credibility_reasons"] = reasons
    written_objects = [finish(report, ingested, last)]

    if credibility is not None:
        opinion = common("opinion", ids.opinion_id(doc.id), tlp)
        opinion["opinion"] = opinion_value(credibility)
        opinion["explanation"] = f"Credibility of the report: {credibility:.2f}" + (
            f" ({reasons})" if reasons else ""
        )
        # An analyst's name stays in the store; partners see that an analyst judged.
        opinion["authors"] = ["pactwatch" if override is None else "pactwatch analyst"]
        opinion["object_refs"] = [report["id"]]
        opinion["x_pactwatch_credibility"] = credibility
        written_objects.append(finish(opinion, ingested, last))

    event_sdo_ids = {e.id: ids.event_sdo_id(e.id) for e in event_rows}
    for f in doc_flags:
        note = common("note", ids.note_id(f.kind, doc.id, f.event_id, f.explanation), tlp)
        note["abstract"] = f"{f.severity}: {f.kind}"
        note["content"] = f.explanation
        note["authors"] = ["pactwatch"]
        note["object_refs"] = [
            *([event_sdo_ids[f.event_id]] if f.event_id in event_sdo_ids else []),
            report["id"],
        ]
        note["x_pactwatch_flag"] = {
            "kind": f.kind,
            "severity": f.severity,
            "evidence": f.evidence,
            "details": f.details,
        }
        written_objects.append(finish(note, aware(f.created_at), aware(f.created_at)))
    return written_objects


def event_name(e: Record) -> str:
    """Event, actors, place and date in the name: OpenCTI merges events by name."""
    who = names(e.actor or [])
    whom = names(e.recipient or [])
    parties = f"{who} -> {whom}" if who and whom else who or whom or "unnamed actors"
    where = e.event_loc.get("name") if isinstance(e.event_loc, dict) else None
    when = e.date.isoformat() if e.date else "undated"
    return f"{e.event}: {parties}" + (f", {where}" if where else "") + f", {when}"


def event_line(e: Record, status: str) -> str:
    """One line of a report's description for an event with its STIX ``status``."""
    codes = f"PLOVER {e.event}" + (f" ({e.mode})" if e.mode else "")
    if e.cameo:
        codes += f", CAMEO {e.cameo}"
    if e.areas:
        codes += f"; areas: {', '.join(e.areas)}"
    said = f' "{e.event_text.strip()}"' if e.event_text else ""
    return f"{event_name(e)} [{codes}; {status}]{said}"
