"""Refresh office holders from a Wikidata export ("position held", P39, with its dates).

Two export shapes are read, both offline:

- entity JSON, as ``Special:EntityData/Q….json`` serves it (``{"entities": {...}}``), the
  JSON dump (a list of entities) or one entity: each person's ``claims.P39`` statements
  with the qualifiers P580 (start time) and P582 (end time), and the ``labels``;
- a SPARQL JSON result (``results.bindings``) with the variables ``person``,
  ``personLabel``, ``position``, ``positionLabel``, ``start``, ``end`` and, optionally,
  ``startPrecision``/``endPrecision`` (``wikibase:timePrecision``; day when absent).

A position maps to an office of the knowledge by the office's ``wikidata_id`` or by an
explicit ``mapping`` (QID -> office key) the caller gives. The result is one YAML file in
the knowledge format (``offices`` with holders, ``persons`` with their ``wikidata_id``)
written into a folder the loader merges as an extra knowledge folder.

Dates: precision 11 is a day; 10 a month and 9 a year, for which the first day is used
and the holding's source says so; a coarser date leaves the statement out. Statements
are left out, and reported, when their position maps to no office, they have no start,
they start after the retrieval date, or they overlap a substantive holder already in the
knowledge or in the export (the loader refuses overlapping holders, so writing them would
break loading). A file that cannot be read as an export raises ``KnowledgeDataError``
naming the file and the reason; then nothing is written.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pactwatch.knowledge.lookup import Knowledge
from pactwatch.knowledge.reading import KnowledgeDataError

_QID = re.compile(r"^Q[1-9][0-9]*$")
_TIME = re.compile(r"^([+-]?)(\d{1,16})-(\d{2})-(\d{2})(?:T|$)")
_PRECISIONS = {11: "day", 10: "month", 9: "year"}
_DAY = 11


@dataclass(frozen=True, slots=True)
class WikidataTime:
    """A Wikidata time reduced to a day, with the precision it was given at."""

    day: date
    precision: int


@dataclass(frozen=True, slots=True)
class PositionStatement:
    """One "position held" statement of the export."""

    person_qid: str
    person_label: str
    position_qid: str
    position_label: str | None
    start: WikidataTime | None
    end: WikidataTime | None
    end_unknown: bool = False  # P582 "somevalue": the term ended, nobody knows when


@dataclass(slots=True)
class ImportReport:
    """What an import wrote and what it left out, each left-out statement with a reason."""

    written: Path | None
    holdings: int = 0
    offices: list[str] = field(default_factory=list)
    persons: int = 0
    left_out: list[str] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """The report as lines a person reads."""
        lines = [
            f"wrote {self.holdings} holdings of {len(self.offices)} offices "
            f"({', '.join(self.offices)}) and {self.persons} persons to {self.written}"
        ]
        for qid, count in sorted(self.unmapped.items()):
            lines.append(
                f"left out {count} statements of position {qid}: it maps to no office "
                f"(give --map {qid}=OFFICE_KEY or a wikidata_id on the office)"
            )
        lines.extend(f"left out: {reason}" for reason in self.left_out)
        return lines


def read_export(path: Path) -> list[PositionStatement]:
    """Every P39 statement of the export at ``path``, in file order."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeDataError(f"Wikidata export {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeDataError(f"Wikidata export {path}: cannot be read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise KnowledgeDataError(f"Wikidata export {path}: not JSON ({exc})") from None
    try:
        if isinstance(raw, dict) and isinstance(raw.get("results"), dict):
            return _sparql_statements(raw["results"].get("bindings"))
        if isinstance(raw, dict) and isinstance(raw.get("entities"), dict):
            return _entity_statements(list(raw["entities"].values()))
        if isinstance(raw, list):
            return _entity_statements(raw)
        if isinstance(raw, dict) and "claims" in raw:
            return _entity_statements([raw])
    except _BadExport as exc:
        raise KnowledgeDataError(f"Wikidata export {path}: {exc}") from None
    raise KnowledgeDataError(
        f"Wikidata export {path}: neither entity JSON ('entities' or a list of entities "
        "with 'claims') nor a SPARQL JSON result ('results.bindings')"
    )


def import_wikidata(
    export: Path,
    into: Path,
    *,
    knowledge: Knowledge,
    mapping: dict[str, str] | None = None,
    retrieved: date | None = None,
) -> ImportReport:
    """Turn ``export`` into ``into/wikidata-<name>.yaml``; nothing is written on an error."""
    retrieved = retrieved or date.today()
    offices = _office_map(export, knowledge, mapping or {})
    statements = read_export(export)
    report = ImportReport(written=None)
    if not statements:
        raise KnowledgeDataError(f"Wikidata export {export}: it holds no 'position held' statement")
    if not any(s.position_qid in offices for s in statements):
        found = ", ".join(sorted({s.position_qid for s in statements}))
        raise KnowledgeDataError(
            f"Wikidata export {export}: none of its positions ({found}) maps to an office; "
            "give --map QID=OFFICE_KEY or a wikidata_id on the office"
        )
    holders: dict[str, list[dict[str, Any]]] = {}
    persons: dict[str, str] = {}
    for statement in statements:
        office_key = offices.get(statement.position_qid)
        if office_key is None:
            report.unmapped[statement.position_qid] += 1
            continue
        holding = _holding(statement, retrieved, report)
        if holding is None:
            continue
        holding["person"] = _person_name(statement, knowledge)
        overlap = _overlap(knowledge, office_key, holding, holders.get(office_key, []))
        if overlap:
            report.left_out.append(
                f"{holding['person']} in {office_key} from {holding['start']}: overlaps {overlap}"
            )
            continue
        holders.setdefault(office_key, []).append(holding)
        persons.setdefault(holding["person"], statement.person_qid)
    if not holders:
        raise KnowledgeDataError(
            f"Wikidata export {export}: no statement could be used ({'; '.join(report.left_out)})"
        )
    person_entries = [
        {"name": name, "wikidata_id": qid}
        for name, qid in persons.items()
        if _may_set_wikidata_id(knowledge, name, qid, report)
    ]
    document: dict[str, Any] = {
        "checked": retrieved,
        "confirmed_until": retrieved,
        "sources": f"Wikidata export {export.name}, retrieved {retrieved}: position held (P39) "
        "with start time (P580) and end time (P582); per holding in `source`.",
        "offices": [
            {"key": key, "holders": sorted(items, key=lambda h: h["start"])}
            for key, items in holders.items()
        ],
    }
    if person_entries:
        document["persons"] = person_entries
    report.written = _write(into, f"wikidata-{_slug(export.stem)}.yaml", document)
    report.holdings = sum(len(items) for items in holders.values())
    report.offices = list(holders)
    report.persons = len(person_entries)
    return report


# Reading the two shapes -------------------------------------------------------------------


class _BadExport(ValueError):
    """A structural problem in the export, turned into one KnowledgeDataError."""


def _entity_statements(entities: list[Any]) -> list[PositionStatement]:
    statements = []
    for number, entity in enumerate(entities, 1):
        if not isinstance(entity, dict):
            raise _BadExport(f"entity {number} is not a JSON object")
        qid = entity.get("id")
        if not isinstance(qid, str) or not _QID.match(qid):
            raise _BadExport(f"entity {number} has no item id ('id': 'Q…')")
        claims = entity.get("claims") or {}
        if not isinstance(claims, dict):
            raise _BadExport(f"{qid}: 'claims' is not a JSON object")
        label = _label(entity.get("labels")) or qid
        for claim in claims.get("P39") or []:
            if not isinstance(claim, dict):
                raise _BadExport(f"{qid}: a P39 statement is not a JSON object")
            if claim.get("rank") == "deprecated":
                continue
            position = _item_value(claim.get("mainsnak"), f"{qid} P39")
            if position is None:
                continue
            qualifiers = claim.get("qualifiers") or {}
            if not isinstance(qualifiers, dict):
                raise _BadExport(f"{qid} P39 {position}: 'qualifiers' is not a JSON object")
            start, _ = _qualifier_time(qualifiers, "P580", f"{qid} P39 {position}")
            end, end_unknown = _qualifier_time(qualifiers, "P582", f"{qid} P39 {position}")
            statements.append(
                PositionStatement(qid, label, position, None, start, end, end_unknown)
            )
    return statements


def _label(labels: Any) -> str | None:
    if not isinstance(labels, dict) or not labels:
        return None
    chosen = labels.get("en") or labels.get("mul") or next(iter(labels.values()))
    value = chosen.get("value") if isinstance(chosen, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _item_value(snak: Any, where: str) -> str | None:
    if not isinstance(snak, dict):
        raise _BadExport(f"{where}: the statement has no 'mainsnak'")
    if snak.get("snaktype") != "value":
        return None
    value = (snak.get("datavalue") or {}).get("value")
    qid = value.get("id") if isinstance(value, dict) else None
    if qid is None and isinstance(value, dict) and isinstance(value.get("numeric-id"), int):
        qid = f"Q{value['numeric-id']}"
    if not isinstance(qid, str) or not _QID.match(qid):
        raise _BadExport(f"{where}: the position is not an item id")
    return qid


def _qualifier_time(
    qualifiers: dict[str, Any], prop: str, where: str
) -> tuple[WikidataTime | None, bool]:
    """The qualifier's time, and whether it is "somevalue" (there is one, not known)."""
    snaks = qualifiers.get(prop) or []
    if not isinstance(snaks, list):
        raise _BadExport(f"{where}: qualifier {prop} is not a list")
    for snak in snaks:
        if not isinstance(snak, dict):
            raise _BadExport(f"{where}: qualifier {prop} is not a JSON object")
        if snak.get("snaktype") == "somevalue":
            return None, True
        value = (snak.get("datavalue") or {}).get("value")
        if not isinstance(value, dict):
            raise _BadExport(f"{where}: qualifier {prop} has no time value")
        return _time(value.get("time"), value.get("precision"), f"{where} {prop}"), False
    return None, False


def _sparql_statements(bindings: Any) -> list[PositionStatement]:
    if not isinstance(bindings, list):
        raise _BadExport("'results.bindings' is not a list")
    statements = []
    for number, row in enumerate(bindings, 1):
        where = f"result row {number}"
        if not isinstance(row, dict):
            raise _BadExport(f"{where} is not a JSON object")
        person = _entity_uri(row, "person", where)
        position = _entity_uri(row, "position", where)
        start, end = (
            _time(
                _binding(row, name),
                _precision(_binding(row, f"{name}Precision"), where),
                f"{where} {name}",
            )
            if _binding(row, name) is not None
            else None
            for name in ("start", "end")
        )
        statements.append(
            PositionStatement(
                person,
                _binding(row, "personLabel") or person,
                position,
                _binding(row, "positionLabel"),
                start,
                end,
            )
        )
    return statements


def _binding(row: dict[str, Any], name: str) -> str | None:
    cell = row.get(name)
    value = cell.get("value") if isinstance(cell, dict) else None
    return value if isinstance(value, str) and value.strip() else None


def _entity_uri(row: dict[str, Any], name: str, where: str) -> str:
    value = _binding(row, name)
    if value is None:
        raise _BadExport(f"{where}: '{name}' is missing")
    qid = value.rsplit("/", 1)[-1]
    if not _QID.match(qid):
        raise _BadExport(f"{where}: '{name}' is not a Wikidata item ({value!r})")
    return qid


def _precision(text: str | None, where: str) -> int:
    if text is None:
        return _DAY
    try:
        return int(text)
    except ValueError:
        raise _BadExport(f"{where}: precision {text!r} is not a number") from None


def _time(text: Any, precision: Any, where: str) -> WikidataTime | None:
    """``+2021-03-22T00:00:00Z`` at ``precision`` as a day; None for a coarser date."""
    if not isinstance(text, str) or not isinstance(precision, int):
        raise _BadExport(f"{where}: a time needs 'time' text and a whole-number 'precision'")
    found = _TIME.match(text.strip())
    if found is None or found.group(1) == "-":
        raise _BadExport(f"{where}: {text!r} is not a Wikidata time (+YYYY-MM-DDT00:00:00Z)")
    if precision < 9:
        return None  # a decade or coarser says nothing about a term of office
    year, month, day = (int(found.group(i)) for i in (2, 3, 4))
    month = month if precision >= 10 and month else 1
    day = day if precision >= 11 and day else 1
    try:
        return WikidataTime(date(year, month, day), min(precision, _DAY))
    except ValueError:
        raise _BadExport(f"{where}: {text!r} is not a real day") from None


# Turning statements into holdings -------------------------------------------------------


def _office_map(export: Path, knowledge: Knowledge, mapping: dict[str, str]) -> dict[str, str]:
    offices = {o.wikidata_id: o.key for o in knowledge.offices if o.wikidata_id}
    for qid, key in mapping.items():
        if not _QID.match(qid):
            raise KnowledgeDataError(
                f"Wikidata export {export}: {qid!r} in the mapping is not a QID"
            )
        if knowledge.office(key) is None:
            raise KnowledgeDataError(
                f"Wikidata export {export}: the mapping names office {key!r}, which the "
                "knowledge does not have"
            )
        offices[qid] = key
    return offices


def _holding(
    statement: PositionStatement, retrieved: date, report: ImportReport
) -> dict[str, Any] | None:
    who = f"{statement.person_label} ({statement.person_qid}) as {statement.position_qid}"
    if statement.start is None:
        report.left_out.append(f"{who}: no start time at day, month or year precision")
        return None
    if statement.end_unknown:
        report.left_out.append(f"{who}: the end time is unknown")
        return None
    if statement.start.day > retrieved:
        report.left_out.append(f"{who}: starts {statement.start.day}, after the retrieval date")
        return None
    end = statement.end
    if end is not None and end.day < statement.start.day:
        report.left_out.append(f"{who}: ends ({end.day}) before it starts")
        return None
    source = f"Wikidata {statement.person_qid}, retrieved {retrieved}"
    for name, time in (("start", statement.start), ("end", end)):
        if time is not None and time.precision < _DAY:
            source += f"; {name} known to the {_PRECISIONS[time.precision]} only (first day used)"
    return {
        "person": statement.person_label,
        "start": statement.start.day,
        "end": None if end is None or end.day > retrieved else end.day,
        "source": source,
    }


def _person_name(statement: PositionStatement, knowledge: Knowledge) -> str:
    """Our canonical spelling of the person when we know them (by QID, then by name)."""
    for person in knowledge.persons.values():
        if person.wikidata_id == statement.person_qid:
            return person.name
    known = knowledge.person(statement.person_label)
    return known.name if known else statement.person_label


def _overlap(
    knowledge: Knowledge, office_key: str, holding: dict[str, Any], imported: list[dict[str, Any]]
) -> str | None:
    """The substantive holder ``holding`` would overlap, described; None when it fits.

    A holding of the same person with the same start replaces the knowledge's (that is how
    the loader merges), so it is no overlap.
    """
    office = knowledge.office(office_key)
    existing = [
        (h.person, h.start, h.end, "in the knowledge")
        for h in (office.holders if office else [])
        if not h.acting and not (h.person == holding["person"] and h.start == holding["start"])
    ]
    existing.extend((h["person"], h["start"], h["end"], "in this export") for h in imported)
    for person, start, end, where in existing:
        if holding["start"] < (end or date.max) and start < (holding["end"] or date.max):
            return f"{person} ({start} to {end or 'now'}) {where}"
    return None


def _may_set_wikidata_id(knowledge: Knowledge, name: str, qid: str, report: ImportReport) -> bool:
    known = knowledge.persons.get(name)
    if known is not None and known.wikidata_id not in (None, qid):
        report.left_out.append(
            f"wikidata_id {qid} for {name}: the knowledge already gives {known.wikidata_id}"
        )
        return False
    return True


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


class _PlainDumper(yaml.SafeDumper):
    """Safe YAML without anchors: the same date twice is written twice, as a person would."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    """Write the YAML file whole (a temporary file renamed), so a reader never sees half."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        partial = folder / f".{name}.partial"
        partial.write_text(
            "# Written by `pactwatch knowledge import-wikidata`; edit the export, not this file.\n"
            + yaml.dump(
                document, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False, width=100
            ),
            encoding="utf-8",
        )
        partial.replace(target)
    except OSError as exc:
        raise KnowledgeDataError(f"knowledge folder {folder}: cannot write {name}: {exc}") from None
    return target
