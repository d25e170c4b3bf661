"""TLP 2.0 as STIX 2.1 marking definitions, the order of the levels, and our own check.

python-stix2 ships only the TLP 1.0 objects, so the five TLP 2.0 objects are written
here exactly as OASIS publishes them (ids from cti-stix-common-objects). stix2-validator
does not look inside the extension, so ``check_tlp_markings`` verifies that each marking's
id, name and ``tlp_2_0`` value belong together, and that every object's markings resolve.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from pactwatch.errors import InputError

TLP_EXTENSION_ID: Final = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_CREATED: Final = "2022-10-01T00:00:00.000Z"

# Least to most restricted: sharing at a level allows everything at or below it.
TLP_LEVELS: Final[tuple[str, ...]] = ("clear", "green", "amber", "amber+strict", "red")

TLP_IDS: Final[Mapping[str, str]] = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_BY_ID: Final[Mapping[str, str]] = {v: k for k, v in TLP_IDS.items()}

# TLP 1.0 WHITE, which OpenCTI exports as CLEAR: accepted on input, never emitted.
TLP1_WHITE_ID: Final = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"


def normalise_level(level: str) -> str:
    """``level`` as one of TLP_LEVELS ("TLP:AMBER+STRICT" -> "amber+strict", white -> clear)."""
    value = level.strip().lower().removeprefix("tlp:").replace("_", "+")
    if value == "white":
        value = "clear"
    if value == "amber-strict":
        value = "amber+strict"
    if value not in TLP_LEVELS:
        raise InputError(
            f"unknown TLP level {level!r}; use one of {', '.join(TLP_LEVELS)}",
            reason="bad_tlp",
        )
    return value


def tlp_rank(level: str) -> int:
    """Position of ``level`` in the order clear < green < amber < amber+strict < red."""
    return TLP_LEVELS.index(normalise_level(level))


def within(level: str, ceiling: str) -> bool:
    """True when something at ``level`` may be shared under ``ceiling``."""
    return tlp_rank(level) <= tlp_rank(ceiling)


def levels_up_to(ceiling: str) -> list[str]:
    """Every level that may be shared under ``ceiling``, least restricted first."""
    return list(TLP_LEVELS[: tlp_rank(ceiling) + 1])


def marking_definition(level: str) -> dict[str, Any]:
    """The OASIS TLP 2.0 marking-definition object for ``level``."""
    value = normalise_level(level)
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP_IDS[value],
        "created": TLP_CREATED,
        "name": f"TLP:{value.upper()}",
        "extensions": {
            TLP_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": value}
        },
    }


def marking_problems(obj: Mapping[str, Any]) -> list[str]:
    """What is wrong with one TLP 2.0 marking definition (empty when it is right)."""
    problems: list[str] = []
    ident = str(obj.get("id", ""))
    level = TLP_BY_ID.get(ident)
    if level is None:
        return [f"{ident}: not a TLP 2.0 marking-definition id"]
    ext = (obj.get("extensions") or {}).get(TLP_EXTENSION_ID) or {}
    if ext.get("tlp_2_0") != level:
        problems.append(f"{ident}: tlp_2_0 is {ext.get('tlp_2_0')!r}, the id says {level!r}")
    if ext.get("extension_type") != "property-extension":
        problems.append(f"{ident}: extension_type is not property-extension")
    if obj.get("name") != f"TLP:{level.upper()}":
        problems.append(f"{ident}: name is {obj.get('name')!r}, the id says TLP:{level.upper()}")
    if obj.get("created") != TLP_CREATED:
        problems.append(f"{ident}: created is {obj.get('created')!r}, not {TLP_CREATED}")
    if "definition_type" in obj or "definition" in obj:
        problems.append(f"{ident}: TLP 2.0 markings carry no definition_type or definition")
    return problems


def check_tlp_markings(objects: Iterable[Mapping[str, Any]]) -> list[str]:
    """Problems with the TLP 2.0 markings of a bundle's objects; empty means it passes.

    Every TLP marking definition must be right (id, name and value agree); every other
    object must carry exactly one TLP 2.0 marking, shipped in the same bundle.
    """
    problems: list[str] = []
    shipped: set[str] = set()
    marked: list[tuple[str, list[str]]] = []
    for obj in objects:
        ident = str(obj.get("id", ""))
        if obj.get("type") == "marking-definition":
            if (
                ident == TLP1_WHITE_ID
                or ident in TLP_BY_ID
                or "tlp" in str(obj.get("name", "")).lower()
            ):
                problems.extend(marking_problems(obj))
            shipped.add(ident)
            continue
        marked.append((ident, list(obj.get("object_marking_refs") or [])))
    for ident, refs in marked:
        tlp_refs = [r for r in refs if r in TLP_BY_ID]
        if len(tlp_refs) != 1:
            problems.append(f"{ident}: {len(tlp_refs)} TLP 2.0 markings, expected exactly one")
        problems.extend(
            f"{ident}: marking {r} is not in the bundle" for r in refs if r not in shipped
        )
    return problems
