"""``dataclasses.asdict`` without its per-value overhead, for the JSON output.

``asdict`` calls ``copy.deepcopy`` on every string and number and looks up the fields of
each object anew; writing one document's extraction spent about as long in it as in some
of our pipeline components. ``plain`` returns the same value: dataclasses become dicts
(fields in declaration order), lists, tuples and dicts are copied with their items made
plain, and anything else is deep-copied, except the immutable atoms that ``deepcopy``
returns unchanged anyway.
"""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass
from typing import Any

_ATOMS = frozenset({str, int, float, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(obj: Any) -> Any:
    """What ``dataclasses.asdict`` (for a dataclass instance) would return for ``obj``."""
    kind = type(obj)
    if kind in _ATOMS:
        return obj
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(obj))
    if names is not None:
        return {name: plain(getattr(obj, name)) for name in names}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a named tuple, as asdict does
        return kind(*[plain(v) for v in obj])
    if isinstance(obj, list | tuple):
        return kind(plain(v) for v in obj)
    if isinstance(obj, dict):
        return kind((plain(k), plain(v)) for k, v in obj.items())
    return copy.deepcopy(obj)


def as_dict(obj: Any) -> dict[str, Any]:
    """``plain`` of a dataclass instance: ``dataclasses.asdict(obj)``."""
    out: dict[str, Any] = plain(obj)
    return out
