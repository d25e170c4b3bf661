"""The custom attributes our components set on a spaCy ``Doc`` (see ``records.py``)."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = (
    "pw_published",  # datetime.date | None, set by the caller before the pipeline runs
    "pw_mentions",  # list[ActorMention]
    "pw_places",  # list[PlaceMention]
    "pw_dates",  # list[DateMention]
    "pw_events",  # list[Event]
    "pw_areas",  # list[str]: cooperation areas of the whole document
    "pw_sentence_areas",  # dict[int, list[str]]: sentence index -> cooperation areas
)


def ensure_extensions() -> None:
    """Declare our ``Doc`` extensions once per process (idempotent), and teach msgpack
    our records so Docs carrying them can cross to spaCy's worker processes and back."""
    from pactwatch.nlp.transport import register_msgpack_codecs

    register_msgpack_codecs()
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
