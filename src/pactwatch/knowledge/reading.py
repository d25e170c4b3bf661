"""Reading one knowledge YAML file and checking the shape of every entry in it.

A knowledge file is a mapping with ``checked`` (the date its facts were checked),
``confirmed_until`` (the last date its sources confirm), ``sources`` (a note) and one or
more sections: ``countries``, ``ethnic_groups``, ``organisations``, ``offices``,
``persons``, ``places``. A file with none of these sections (the event lexicon, roles or
cooperation areas of other components) is not ours and is skipped.

Every problem raises ``KnowledgeDataError`` naming the file, the section, the entry and
the field, so an analyst extending the data knows what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from pactwatch.errors import ConfigError

SECTIONS: dict[str, str] = {
    "countries": "code",
    "ethnic_groups": "name",
    "organisations": "key",
    "offices": "key",
    "persons": "name",
    "places": "name",
}

# Field kinds: "str", "str?", "list", "date", "date?", "bool", "float?", "int?", "holders".
FIELDS: dict[str, dict[str, str]] = {
    "countries": {
        "code": "str", "name": "str", "aliases": "list", "codes": "list", "demonyms": "list",
        "capital": "str?", "region": "str?", "note": "str?",
    },
    "ethnic_groups": {
        "name": "str", "aliases": "list", "country": "str?", "sector": "str",
        "kin_state": "str?", "note": "str?",
    },
    "organisations": {
        "key": "str", "name": "str", "aliases": "list", "kind": "str", "country": "str?",
        "sector": "str?", "parent": "str?", "wikidata_id": "str?", "note": "str?",
    },
    "offices": {
        "key": "str", "title": "str", "country": "str", "sector": "str",
        "other_sectors": "list", "titles": "list", "organisation": "str?",
        "holders": "holders", "wikidata_id": "str?", "note": "str?",
    },
    "persons": {
        "name": "str", "aliases": "list", "country": "str?", "wikidata_id": "str?",
        "surnames": "list", "note": "str?",
    },
    "places": {
        "name": "str", "aliases": "list", "kind": "str", "country": "str?", "region": "str?",
        "latitude": "float?", "longitude": "float?", "geonames_id": "int?", "note": "str?",
    },
}  # fmt: skip
HOLDING_FIELDS: dict[str, str] = {
    "person": "str", "start": "date", "end": "date?", "source": "str", "acting": "bool",
    "note": "str?",
}  # fmt: skip
HOLDING_REQUIRED = ("person", "start", "source")


class KnowledgeDataError(ConfigError):
    """A knowledge data file is unreadable or has an entry that is not right."""

    reason = "bad_knowledge"


@dataclass(slots=True)
class KnowledgeFile:
    """One file's header and its entries, each entry checked for shape only."""

    path: Path
    label: str
    checked: date
    confirmed_until: date
    sources: str
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def read_knowledge_file(path: Path, label: str) -> KnowledgeFile | None:
    """Read and shape-check one file; None when it holds none of our sections."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeDataError(f"knowledge file {label}: cannot be read: {exc}") from exc
    if not isinstance(raw, dict):
        raise KnowledgeDataError(f"knowledge file {label}: the top level must be a mapping")
    present = [name for name in SECTIONS if name in raw]
    if not present:
        return None
    checked = _header_date(raw, "checked", label)
    confirmed = _header_date(raw, "confirmed_until", label)
    sources = raw.get("sources")
    if isinstance(sources, list):
        sources = "; ".join(str(item) for item in sources)
    if not isinstance(sources, str) or not sources.strip():
        raise KnowledgeDataError(f"knowledge file {label}: 'sources' (a note) is missing")
    result = KnowledgeFile(path, label, checked, confirmed, sources.strip())
    for section in present:
        entries = raw[section]
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            raise KnowledgeDataError(f"knowledge file {label}: '{section}' must be a list")
        result.sections[section] = [
            _checked_entry(entry, section, index, label) for index, entry in enumerate(entries, 1)
        ]
    return result


# The safe loader, at C speed where libyaml is present (it is in the pinned PyYAML wheels).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _header_date(raw: dict[str, Any], name: str, label: str) -> date:
    value = raw.get(name)
    parsed = _as_date(value)
    if parsed is None:
        raise KnowledgeDataError(
            f"knowledge file {label}: '{name}' must be a date (YYYY-MM-DD), got {value!r}"
        )
    return parsed


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _checked_entry(entry: Any, section: str, index: int, label: str) -> dict[str, Any]:
    key_field = SECTIONS[section]
    where = f"knowledge file {label}: {section} entry {index}"
    if not isinstance(entry, dict):
        raise KnowledgeDataError(f"{where}: must be a mapping of fields")
    key = entry.get(key_field)
    if not isinstance(key, str) or not key.strip():
        raise KnowledgeDataError(f"{where}: '{key_field}' is missing or not text")
    where = f"{where} ({key})"
    spec = FIELDS[section]
    result: dict[str, Any] = {"__origin__": where}
    for name, value in entry.items():
        if name not in spec:
            raise KnowledgeDataError(f"{where}: unknown field '{name}'")
        if spec[name] == "holders":
            result[name] = _checked_holders(value, where)
        else:
            result[name] = _checked_value(value, spec[name], f"{where}: field '{name}'")
    return result


def _checked_holders(value: Any, where: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise KnowledgeDataError(f"{where}: 'holders' must be a list")
    holders: list[dict[str, Any]] = []
    for number, holding in enumerate(value, 1):
        at = f"{where}: holder {number}"
        if not isinstance(holding, dict):
            raise KnowledgeDataError(f"{at}: must be a mapping of fields")
        checked: dict[str, Any] = {"__origin__": f"{at} ({holding.get('person')})"}
        at = checked["__origin__"]
        for name, item in holding.items():
            if name not in HOLDING_FIELDS:
                raise KnowledgeDataError(f"{at}: unknown field '{name}'")
            checked[name] = _checked_value(item, HOLDING_FIELDS[name], f"{at}: field '{name}'")
        for name in HOLDING_REQUIRED:
            if checked.get(name) is None:
                raise KnowledgeDataError(f"{at}: '{name}' is required")
        end = checked.get("end")
        if end is not None and end < checked["start"]:
            raise KnowledgeDataError(f"{at}: ends ({end}) before it starts ({checked['start']})")
        holders.append(checked)
    return holders


def _checked_value(value: Any, kind: str, where: str) -> Any:
    optional = kind.endswith("?")
    base = kind.rstrip("?")
    if value is None:
        if optional or base in ("list",):
            return [] if base == "list" else None
        raise KnowledgeDataError(f"{where}: must not be empty")
    if base == "str":
        if isinstance(value, str) and value.strip():
            return value.strip()
        raise KnowledgeDataError(f"{where}: must be text, got {value!r}")
    if base == "list":
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return [v.strip() for v in value]
        raise KnowledgeDataError(f"{where}: must be a list of texts, got {value!r}")
    if base == "date":
        parsed = _as_date(value)
        if parsed is None:
            raise KnowledgeDataError(f"{where}: must be a date (YYYY-MM-DD), got {value!r}")
        return parsed
    if base == "bool":
        if isinstance(value, bool):
            return value
        raise KnowledgeDataError(f"{where}: must be true or false, got {value!r}")
    if base == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise KnowledgeDataError(f"{where}: must be a number, got {value!r}")
    if base == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise KnowledgeDataError(f"{where}: must be a whole number, got {value!r}")
    raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover
