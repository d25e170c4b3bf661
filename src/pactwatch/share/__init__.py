"""Sharing with partners: STIX 2.1 bundles with TLP 2.0 markings (``stix``, built by
``stix_objects``), a MISP feed (``misp``, built by ``misp_objects``), event tables as CSV,
Parquet or PLOVER JSON lines (``events``, written by ``event_tables``); the store read in
pages for all of them (``pages``), deterministic identifiers (``ids``) and the TLP 2.0
marking objects and checks (``tlp``).

``export_stix``, ``export_misp_feed`` and ``export_events`` are the library entry points;
``share.cli.export_app`` is the thin ``pactwatch export`` command over them.
"""

from __future__ import annotations

from pactwatch.share.event_tables import export_events
from pactwatch.share.misp import MispSummary, export_misp_feed
from pactwatch.share.pages import ExportFilters
from pactwatch.share.stix import ExportSummary, export_stix

__all__ = [
    "ExportFilters",
    "ExportSummary",
    "MispSummary",
    "export_events",
    "export_misp_feed",
    "export_stix",
]
