"""One document as a MISP event (the JSON of a MISP feed's event file): pure, no database.

docs/sharing.md ("MISP feed") has the mapping; ``misp.py`` reads the store and writes
the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from pactwatch.share import ids
from pactwatch.share.pages import Record
from pactwatch.share.stix_objects import EVENT_STATUS, RELATIONSHIP_TYPES, event_line, event_name
from pactwatch.share.tlp import normalise_level
from pactwatch.share.values import aware, country_name, iso2, period, readable

# The MISP object templates we fill (misp-objects: uuid, version), all meta-category misc.
TEMPLATES: Final = {
    "event": ("3853b726-6a9c-43b3-8ffb-23839b07d5a9", 1),
    "person": ("a15b0477-e9d1-4b9c-9546-abe78a4f4248", 21),
    "organization": ("f750e12b-127a-432c-b022-b3f9153c4e2a", 9),
    "geolocation": ("cd6f2238-ba55-4888-82c4-104e6e1acf21", 8),
}

# Colours of MISP's tlp taxonomy (TLP 2.0 values), so the tags look as MISP draws them.
TLP_COLOURS: Final = {
    "clear": "#ffffff",
    "green": "#339900",
    "amber": "#ffc000",
    "amber+strict": "#ffc000",
    "red": "#cc0033",
}
CODE_COLOUR: Final = "#0088cc"

# Values worth correlating across events and partners: the source, the document, names.
CORRELATING: Final = {"link", "document-id", "full-name", "name", "alias", "city", "region"}

PLACE_FIELD: Final = {"city": "city", "town": "city", "village": "city", "region": "region"}


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO3, or "" when unknown
    kind: str | None
    latitude: float | None
    longitude: float | None


def uuid_of(stix_id: str) -> str:
    """The UUID part of a STIX id: the MISP uuid of the same thing."""
    return stix_id.split("--", 1)[1]


def producer_uuid() -> str:
    return uuid_of(ids.producer_id())


def _uuid(*key: object) -> str:
    return uuid_of(ids.stix_id("misp", *key))


class MispEventBuilder:
    """Collects one document's attributes, objects and tags; ``finish`` gives the event."""

    def __init__(self, doc: Record, overrides: dict[str, Record]) -> None:
        self.doc = doc
        self.overrides = overrides
        self.tlp = normalise_level(doc.tlp)
        self.uuid = uuid_of(ids.report_id(doc.id))
        self.written = [aware(doc.ingested_at)]
        self.attributes: list[dict[str, Any]] = []
        self.objects: list[dict[str, Any]] = []
        self.actor_objects: dict[int, dict[str, Any]] = {}
        self.place_objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.lines: list[str] = []
        self.tags: set[str] = {f"area:{a}" for a in doc.areas or []}
        if doc.url:
            self.attributes.append(
                self._attribute("link", "External analysis", doc.url, comment=doc.outlet or "")
            )
        self.attributes.append(
            self._attribute(
                "text",
                "Internal reference",
                doc.id,
                relation="document-id",
                comment="pactwatch document id",
            )
        )

    # -- parts ---------------------------------------------------------------------------

    def _attribute(
        self,
        type_: str,
        category: str,
        value: object,
        *,
        relation: str | None = None,
        owner: str = "",
        comment: str = "",
    ) -> dict[str, Any]:
        text = value if isinstance(value, str) else json_value(value)
        attribute: dict[str, Any] = {
            "uuid": _uuid("attribute", self.uuid, owner, relation or type_, text),
            "type": type_,
            "category": category,
            "value": text,
            "comment": comment,
            "to_ids": False,
            "disable_correlation": (relation or type_) not in CORRELATING,
            "deleted": False,
        }
        if relation:
            attribute["object_relation"] = relation
        return attribute

    def _object(
        self, name: str, ident: str, fields: list[tuple[str, str, object]], comment: str = ""
    ) -> dict[str, Any]:
        """A MISP object of template ``name``; ``fields`` are (relation, type, value)."""
        template, version = TEMPLATES[name]
        obj: dict[str, Any] = {
            "name": name,
            "meta-category": "misc",
            "template_uuid": template,
            "template_version": str(version),
            "uuid": ident,
            "comment": comment,
            "deleted": False,
            "Attribute": [
                self._attribute(type_, _category(type_), value, relation=relation, owner=ident)
                for relation, type_, value in fields
                if value not in (None, "")
            ],
            "ObjectReference": [],
        }
        self.objects.append(obj)
        return obj

    def _refer(self, source: dict[str, Any], target: str, kind: str, comment: str = "") -> None:
        source["ObjectReference"].append(
            {
                "uuid": _uuid("reference", source["uuid"], target, kind, comment),
                "object_uuid": source["uuid"],
                "referenced_uuid": target,
                "relationship_type": kind,
                "comment": comment,
            }
        )

    def add_actor(self, actor_id: int, actor: Record, roles: list[str]) -> None:
        ident = uuid_of(ids.identity_id(actor.kind, actor.name, actor.country))
        nation = country_name(actor.country)
        comment = f"wikidata {actor.wikidata_id}" if actor.wikidata_id else ""
        fields: list[tuple[str, str, object]]
        if actor.kind == "person":
            fields = [("full-name", "full-name", actor.name)]
            fields += [("role", "text", r) for r in roles]
            fields += [("nationality", "nationality", nation)]
            fields += [("alias", "text", a) for a in actor.aliases or []]
            obj = self._object("person", ident, fields, comment)
        else:
            where = f", {nation}" if nation and actor.kind != "country" else ""
            fields = [
                ("name", "text", actor.name),
                ("type-of-organization", "text", actor.kind),
                ("description", "text", f"{actor.name}: {actor.kind}{where}"),
            ]
            fields += [("sector", "text", s) for s in actor.sectors or []]
            fields += [("role", "text", r) for r in roles]
            fields += [("alias", "text", a) for a in actor.aliases or []]
            obj = self._object("organization", ident, fields, comment)
        self.actor_objects[actor_id] = obj

    def add_place(self, place: Place) -> dict[str, Any]:
        key = (place.name, place.country)
        if key in self.place_objects:
            return self.place_objects[key]
        named_as = PLACE_FIELD.get(place.kind or "", "text")
        fields: list[tuple[str, str, object]] = [
            (named_as, "text", place.name),
            ("country", "text", country_name(place.country)),
            ("countrycode", "text", iso2(place.country)),
        ]
        if place.latitude is not None and place.longitude is not None:
            fields += [
                ("latitude", "float", place.latitude),
                ("longitude", "float", place.longitude),
            ]
        if named_as == "text" and not any(v for _, _, v in fields[1:]):
            fields.append(("region", "text", place.name))  # the template needs one of these
        ident = uuid_of(ids.location_id(place.name, place.country))
        obj = self._object("geolocation", ident, fields, comment=place.kind or "")
        self.place_objects[key] = obj
        return obj

    def add_event(self, e: Record, sides: list[tuple[str, int]]) -> None:
        self.written.append(aware(e.created_at))
        status = EVENT_STATUS.get(e.modality, "undetermined")
        override = self.overrides.get(e.id)
        credibility = override.value if override is not None else e.credibility
        line = event_line(e, status)
        self.lines.append(line)
        self.tags.add(f"plover:{e.event}")
        if e.cameo:
            self.tags.add(f"cameo:{e.cameo}")
        self.tags.update(f"area:{a}" for a in e.areas or [])
        fields: list[tuple[str, str, object]] = [
            ("name", "text", event_name(e)),
            ("description", "text", e.event_text),
            ("status", "text", status),
            ("event_type", "text", f"plover:{e.event}"),
        ]
        if e.mode:
            fields.append(("event_type", "text", f"plover-mode:{e.mode}"))
        if e.cameo:
            fields.append(("event_type", "text", f"cameo:{e.cameo}"))
        if e.date:
            start, end, fidelity = period(e.date, e.date_precision)
            fields += [
                ("start_time", "datetime", ids.stix_timestamp(start)),
                ("start_time_fidelity", "text", fidelity),
            ]
            if end is not None:
                fields.append(("end_time", "datetime", ids.stix_timestamp(end)))
        comment = "; ".join(
            part
            for part in (
                f"areas: {', '.join(e.areas)}" if e.areas else "",
                f"credibility {credibility:.2f}" if credibility is not None else "",
                f"modality {e.modality}",
            )
            if part
        )
        obj = self._object("event", uuid_of(ids.event_sdo_id(e.id)), fields, comment)
        kind = RELATIONSHIP_TYPES.get(e.event, "related-to")
        if e.event == "CONSULT" and e.mode == "phone":
            kind = "consults-with"
        doers = [
            self.actor_objects[a] for s, a in sides if s == "actor" and a in self.actor_objects
        ]
        done_to = [
            self.actor_objects[a] for s, a in sides if s == "recipient" and a in self.actor_objects
        ]
        for side, group in (("actor", doers), ("recipient", done_to)):
            for actor_obj in group:
                self._refer(obj, actor_obj["uuid"], side)
        for source in doers:
            for target in done_to:
                if source is not target:
                    self._refer(source, target["uuid"], kind, comment=event_name(e))
        loc = e.event_loc if isinstance(e.event_loc, dict) else None
        if loc and loc.get("name"):
            place = self.add_place(
                Place(
                    str(loc["name"]),
                    str(loc.get("country") or ""),
                    loc.get("kind"),
                    loc.get("latitude"),
                    loc.get("longitude"),
                )
            )
            self._refer(obj, place["uuid"], "located-at")

    def add_flag(self, f: Record) -> None:
        self.written.append(aware(f.created_at))
        about = f" about event {f.event_id}" if f.event_id else ""
        self.attributes.append(
            self._attribute(
                "comment", "Other", f.explanation, comment=f"{f.severity} flag: {f.kind}{about}"
            )
        )

    # -- the event -----------------------------------------------------------------------

    def finish(self) -> dict[str, Any]:
        """The event file's content: ``{"Event": {...}}``."""
        doc = self.doc
        override = self.overrides.get(doc.id)
        credibility = override.value if override is not None else doc.credibility
        reasons = (
            f"analyst's judgement: {override.reason}"
            if override is not None
            else readable(doc.credibility_reasons)
        )
        if override is not None:
            self.written.append(aware(override.created_at))
        if credibility is not None:
            self.attributes.append(
                self._attribute(
                    "float",
                    "Other",
                    round(float(credibility), 4),
                    relation="credibility",
                    comment="credibility of the report, 0 to 1"
                    + (f": {reasons}" if reasons else ""),
                )
            )
        timestamp = int(max(self.written).timestamp())
        for holder in (*self.attributes, *self.objects):
            holder["timestamp"] = timestamp
            for part in (*holder.get("Attribute", []), *holder.get("ObjectReference", [])):
                part["timestamp"] = timestamp
        for attribute in self.attributes:
            attribute.pop("object_relation", None)  # only object attributes have relations
        title = doc.title or doc.url or f"Document {doc.id[:12]}"
        tags = [{"name": f"tlp:{self.tlp}", "colour": TLP_COLOURS[self.tlp]}]
        tags += [{"name": t, "colour": CODE_COLOUR} for t in sorted(self.tags)]
        day = aware(doc.published) if doc.published else aware(doc.ingested_at)
        event: dict[str, Any] = {
            "uuid": self.uuid,
            "info": title,
            "date": day.date().isoformat(),
            "analysis": 2,  # completed: the document has been read and coded
            "threat_level_id": 4,  # undefined: news of cooperation is not a threat level
            "published": True,
            "timestamp": timestamp,
            "publish_timestamp": timestamp,
            "Orgc": {"name": "pactwatch", "uuid": producer_uuid()},
            "Tag": tags,
            "Attribute": self.attributes,
            "Object": self.objects,
            "EventReport": [
                {
                    "uuid": _uuid("event-report", self.uuid),
                    "name": f"What happened: {title}",
                    "content": self._report(credibility, reasons),
                    "timestamp": timestamp,
                    "deleted": False,
                }
            ],
        }
        return {"Event": event}

    def _report(self, credibility: float | None, reasons: str) -> str:
        """The event report (Markdown): what happened, on its own, as the STIX report says."""
        doc = self.doc
        lines = [f"# {doc.title or doc.url or doc.id}", "", "What happened:", ""]
        lines += [f"- {line}" for line in self.lines] or ["- no coded events"]
        areas = sorted(set(doc.areas or []))
        if areas:
            lines += ["", f"Cooperation areas: {', '.join(areas)}."]
        if credibility is not None:
            lines += ["", f"Credibility {credibility:.2f}" + (f": {reasons}" if reasons else ".")]
        if doc.url:
            lines += ["", f"Source: [{doc.outlet or doc.url}]({doc.url})"]
        return "\n".join(lines)


def json_value(value: object) -> str:
    """A non-text attribute value as MISP stores it (a string)."""
    if isinstance(value, datetime):
        return ids.stix_timestamp(value)
    return str(value)


def _category(type_: str) -> str:
    return {"full-name": "Person", "nationality": "Person", "link": "External analysis"}.get(
        type_, "Other"
    )
