"""Across documents: which mentions tell one real-world event, how many independent
sources tell it, and where those sources disagree.

The work is in two modules, both pure functions over plain records (``EventRecord``):

- ``verify.clustering``: the records, event families, linking by time, place and
  actors, ``cluster_events`` and ``independent_sources``;
- ``verify.disagreement``: figures and places that cannot both be right
  (``disagreement_flags``) and the flag on a near copy (``respun_copy_flag``).

This module re-exports their public names, so that callers import them from one place;
``corroboration_store`` reads the store, runs them and writes the result.
"""

from __future__ import annotations

from pactwatch.verify.clustering import (
    EVENT_FAMILIES,
    ActorRef,
    ClusterOptions,
    CopyRef,
    EventCluster,
    EventRecord,
    MentionText,
    PlaceRef,
    cluster_events,
    independent_sources,
)
from pactwatch.verify.disagreement import (
    disagreement_flags,
    figures_compatible,
    respun_copy_flag,
)

__all__ = [
    "EVENT_FAMILIES",
    "ActorRef",
    "ClusterOptions",
    "CopyRef",
    "EventCluster",
    "EventRecord",
    "MentionText",
    "PlaceRef",
    "cluster_events",
    "disagreement_flags",
    "figures_compatible",
    "independent_sources",
    "respun_copy_flag",
]
