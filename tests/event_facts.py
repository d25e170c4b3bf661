"""Running the extraction pipeline over one sentence for the event tests.

Components are called one by one (not ``nlp(text)``) so the publication date can be set
on the Doc first; the date is fixed so that relative dates resolve the same every run.
"""

from __future__ import annotations

from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

PUBLISHED = date(2024, 3, 12)

CountryFact = tuple[str, str, str | None]  # (event type, "actor" | "recipient", country)


def pipeline_doc(nlp: Language, text: str, published: date = PUBLISHED) -> Doc:
    """``text`` run through every component of ``nlp``, published on ``published``."""
    doc = nlp.make_doc(text)
    doc._.pw_published = published
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def country_facts(nlp: Language, text: str) -> set[CountryFact]:
    """(event type, side, country) of every participant of every event of ``text``."""
    return {
        (event.event, side, actor.country)
        for event in pipeline_doc(nlp, text)._.pw_events or []
        for side, people in (("actor", event.actor), ("recipient", event.recipient))
        for actor in people
    }
