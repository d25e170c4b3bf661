"""Our records across process boundaries: msgpack encoders for spaCy's multi-process pipe.

``nlp.pipe(n_process=N)`` sends each Doc to a worker and back as ``Doc.to_bytes()``,
which packs ``doc.user_data`` (where our extensions live) with msgpack. msgpack knows
neither dates nor our dataclasses, so we register an encoder and a decoder with srsly,
spaCy's serialisation library, that turn them into tagged dicts and back. Registering
is idempotent; ``ensure_extensions`` does it in every process that builds a pipeline.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

import srsly

from pactwatch.nlp.records import (
    ActorMention,
    DateMention,
    Event,
    EventActor,
    EventMention,
    PlaceMention,
)

RECORDS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (ActorMention, PlaceMention, DateMention, EventMention, EventActor, Event)
}
_RECORD_TAG = "__pactwatch_record__"
_DATE_TAG = "__pactwatch_date__"

Chain = Callable[[Any], Any] | None


# The field names of each record class, looked up once: every record of every Doc sent
# between processes is encoded, and ``dataclasses.fields`` rebuilds its tuple per call.
_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in RECORDS.values()
}


def encode(obj: Any, chain: Chain = None) -> Any:
    """A msgpack-ready form of a record or date; anything else goes down the chain."""
    names = _FIELD_NAMES.get(type(obj))
    if names is not None:
        return {_RECORD_TAG: type(obj).__name__, "fields": {n: getattr(obj, n) for n in names}}
    if type(obj).__name__ in RECORDS and dataclasses.is_dataclass(obj):
        fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        return {_RECORD_TAG: type(obj).__name__, "fields": fields}
    if isinstance(obj, date):
        return {_DATE_TAG: obj.isoformat()}
    return obj if chain is None else chain(obj)


def decode(obj: Any, chain: Chain = None) -> Any:
    """The record or date a tagged dict stands for (msgpack decodes inner dicts first)."""
    if isinstance(obj, dict):
        if _RECORD_TAG in obj:
            return RECORDS[obj[_RECORD_TAG]](**obj["fields"])
        if _DATE_TAG in obj:
            return date.fromisoformat(obj[_DATE_TAG])
    return obj if chain is None else chain(obj)


_registered = False


def register_msgpack_codecs() -> None:
    # Components call this for every document; asking the registry (which scans entry
    # points) each time cost about a millisecond a call, so this process remembers.
    global _registered
    if _registered:
        return
    if "pactwatch_records" not in srsly.msgpack_encoders.get_all():
        srsly.msgpack_encoders.register("pactwatch_records", func=encode)
        srsly.msgpack_decoders.register("pactwatch_records", func=decode)
    _registered = True
