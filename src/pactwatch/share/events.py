"""Events as rows: PLOVER JSON lines, a GDELT-style table (CSV or Parquet).

One row per coded event of each exported document. The documents are chosen as for the
STIX export (``ExportFilters``, ``--max-tlp``); ``--event``, ``--country`` and ``--area``
then also keep only the events that match, since a row is about one event. Rows are
built page by page and handed to a writer (``event_tables``) as they come, so an export
of any size holds one page of documents in memory.

GoldsteinScale is the PLOVER score of the event (``events.plover_score``, set at
extraction from the PLOVER manual's table in ``knowledge/data/event_lexicon.yaml``; the
same table by event and mode when a row has none): like Goldstein's scale it runs from
-10 (most hostile) to +10 (most cooperative), but it is PLOVER's, not Goldstein's CAMEO
weights. AvgTone is empty: pactwatch measures no tone. docs/sharing.md has every column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import Connection, Engine, select

from pactwatch.knowledge import Country, load_knowledge
from pactwatch.nlp.components.event_lexicon import load_event_lexicon
from pactwatch.share.pages import ExportFilters, PageContent, Record, document_pages, read_page
from pactwatch.share.tlp import normalise_level
from pactwatch.share.values import aware, country_name, iso2
from pactwatch.store.schema import actors, event_clusters, event_mentions, place_mentions

# ActionGeo_Type as GDELT codes it: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
GEO_TYPES: Final = {"country": 1, "region": 5, "city": 4, "town": 4, "village": 4, "site": 4}


@dataclass(slots=True)
class EventsSummary:
    documents: int = 0
    events: int = 0
    withheld_above_tlp: int = 0

    def line(self) -> str:
        return (
            f"{self.events} event{'s' if self.events != 1 else ''} of {self.documents} "
            f"document{'s' if self.documents != 1 else ''}; {self.withheld_above_tlp} "
            f"document{'s' if self.withheld_above_tlp != 1 else ''} above the TLP ceiling left out"
        )


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event with what every format needs: the row, its document and its mentions."""

    event: Record
    doc: Record
    mentions: list[Record]
    is_root: bool
    credibility: float | None
    cluster: Record | None  # the event's cluster across documents, when it has one
    place_kind: str | None = None  # kind of the event's place, as its document names it


def event_rows(
    engine: Engine,
    filters: ExportFilters | None = None,
    summary: EventsSummary | None = None,
    *,
    page_size: int = 200,
) -> Iterator[EventRow]:
    """The events of the documents ``filters`` choose, document by document, in id order."""
    filters = filters or ExportFilters()
    summary = summary if summary is not None else EventsSummary()
    ceiling = normalise_level(filters.max_tlp)
    with engine.connect() as conn:
        for page in document_pages(conn, filters, page_size):
            content = read_page(conn, page, filters.area, ceiling)
            summary.withheld_above_tlp += content.withheld_above_tlp
            summary.documents += len(content.docs)
            for row in _page_rows(conn, content, filters):
                summary.events += 1
                yield row


def _page_rows(conn: Connection, page: PageContent, filters: ExportFilters) -> list[EventRow]:
    chosen = [
        (d, e)
        for d in page.docs
        for e in page.events_by_doc[d.id]
        if (not filters.event or e.event == filters.event)
        and (not filters.area or filters.area in (e.areas or []))
    ]
    if filters.country:
        countries = _actor_countries(conn, page.in_events)
        chosen = [
            (d, e)
            for d, e in chosen
            if any(countries.get(a) == filters.country for _, a in page.sides.get(e.id, []))
        ]
    if not chosen:
        return []
    # Mentions of every event of the chosen documents: the root event is the one told
    # first among all of its document's events, chosen or not.
    with_rows = {d.id for d, _ in chosen}
    event_ids = [e.id for d in page.docs if d.id in with_rows for e in page.events_by_doc[d.id]]
    said: dict[str, list[Record]] = defaultdict(list)
    for m in conn.execute(
        select(
            event_mentions.c.event_id,
            event_mentions.c.sentence_start,
            event_mentions.c.sentence_end,
            event_mentions.c.text,
        )
        .where(event_mentions.c.event_id.in_(event_ids))
        .order_by(event_mentions.c.event_id, event_mentions.c.sentence_start, event_mentions.c.id)
    ):
        said[m.event_id].append(m)
    cluster_ids = sorted({e.cluster_id for _, e in chosen if e.cluster_id})
    clusters = {
        c.id: c
        for c in conn.execute(select(event_clusters).where(event_clusters.c.id.in_(cluster_ids)))
    }
    kinds = _place_kinds(conn, sorted(with_rows))
    # The root event of a document: the one told first (GDELT: in the lead paragraph).
    first_told: dict[str, int] = {}
    for d in page.docs:
        starts = [said[e.id][0].sentence_start for e in page.events_by_doc[d.id] if said[e.id]]
        if starts:
            first_told[d.id] = min(starts)
    rows = []
    for d, e in chosen:
        override = page.overrides.get(e.id)
        rows.append(
            EventRow(
                event=e,
                doc=d,
                mentions=said[e.id],
                is_root=bool(said[e.id]) and said[e.id][0].sentence_start == first_told.get(d.id),
                credibility=override.value if override is not None else e.credibility,
                cluster=clusters.get(e.cluster_id) if e.cluster_id else None,
                place_kind=_place_kind(e.event_loc, kinds.get(d.id, {})),
            )
        )
    return rows


def _place_kinds(conn: Connection, doc_ids: list[str]) -> dict[str, dict[tuple[str, str], str]]:
    """Per document, the kind of each place it names (name, ISO3 or "")."""
    found: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    for r in conn.execute(
        select(
            place_mentions.c.document_id,
            place_mentions.c.name,
            place_mentions.c.country,
            place_mentions.c.kind,
        )
        .where(place_mentions.c.document_id.in_(doc_ids))
        .distinct()
    ):
        found[r.document_id][(r.name, r.country or "")] = r.kind
    return found


def _place_kind(loc: Any, kinds: dict[tuple[str, str], str]) -> str | None:
    if not isinstance(loc, dict) or not loc.get("name"):
        return None
    if loc.get("kind"):
        return str(loc["kind"])
    return kinds.get((str(loc["name"]), str(loc.get("country") or "")))


def _actor_countries(conn: Connection, actor_ids: set[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    ordered = sorted(actor_ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(
            (r.id, r.country)
            for r in conn.execute(
                select(actors.c.id, actors.c.country).where(actors.c.id.in_(chunk))
            )
        )
    return found


# -- PLOVER JSON ------------------------------------------------------------------------


def plover_json(row: EventRow) -> dict[str, Any]:
    """The event in the PLOVER interchange shape ``pactwatch extract`` writes, plus its
    document id, its source URL (PLOVER's ``link``), credibility and TLP level."""
    e = row.event
    return {
        "id": e.id,
        "event": e.event,
        "mode": e.mode,
        "context": list(e.contexts or []),
        "actor": list(e.actor or []),
        "recipient": list(e.recipient or []),
        "event_loc": e.event_loc,
        "date": e.date.isoformat() if e.date else None,
        "date_precision": e.date_precision,
        "event_text": e.event_text,
        "quad_code": e.quad_code,
        "plover_score": e.plover_score,
        "cameo": e.cameo,
        "areas": list(e.areas or []),
        "modality": e.modality,
        "confidence": e.confidence,
        "mentions": [
            {"sentence_start": m.sentence_start, "sentence_end": m.sentence_end, "text": m.text}
            for m in row.mentions
        ],
        "document_id": row.doc.id,
        "link": row.doc.url,
        "credibility": row.credibility,
        "tlp": normalise_level(row.doc.tlp),
    }


# -- GDELT-style ------------------------------------------------------------------------


def gdelt_row(row: EventRow, countries: Mapping[str, Country] | None = None) -> dict[str, Any]:
    """The event as a row of typed values, by column (``event_tables.COLUMNS``).

    ``countries`` (the reference data's) saves looking them up again on every row."""
    countries = countries if countries is not None else load_knowledge().countries
    e, doc = row.event, row.doc
    day, precision = _day(e, doc)
    values: dict[str, Any] = {
        "GLOBALEVENTID": e.id,
        "SQLDATE": int(day.strftime("%Y%m%d")),
        "MonthYear": int(day.strftime("%Y%m")),
        "Year": day.year,
        "FractionDate": round(day.year + (day.timetuple().tm_yday - 1) / _year_days(day), 4),
    }
    for n, people in ((1, e.actor), (2, e.recipient)):
        values.update(_actor_columns(n, people[0] if people else None, countries))
    cameo = e.cameo or ""
    cluster = row.cluster
    values |= {
        "IsRootEvent": int(row.is_root),
        "EventCode": cameo or None,
        "EventBaseCode": cameo[:3] or None,
        "EventRootCode": cameo[:2] or None,
        "QuadClass": _quad_class(e),
        "GoldsteinScale": _score(e),
        "NumMentions": max(len(row.mentions), 1),
        "NumSources": cluster.independent_sources if cluster is not None else 1,
        "NumArticles": cluster.documents if cluster is not None else 1,
        "AvgTone": None,
    }
    values.update(
        _geo_columns(
            e.event_loc if isinstance(e.event_loc, dict) else None, row.place_kind, countries
        )
    )
    values |= {
        "DATEADDED": int(aware(e.created_at).strftime("%Y%m%d%H%M%S")),
        "SOURCEURL": doc.url,
        "DocumentId": doc.id,
        "PloverEvent": e.event,
        "PloverMode": e.mode,
        "PloverContexts": list(e.contexts or []),
        "Areas": list(e.areas or []),
        "Modality": e.modality,
        "DatePrecision": precision,
        "Credibility": row.credibility,
        "TLP": normalise_level(doc.tlp),
    }
    return values


def _day(e: Record, doc: Record) -> tuple[date, str]:
    """The event's date, or its document's (publication, else ingestion) when it has none."""
    if e.date:
        return e.date, e.date_precision or "day"
    moment: datetime = doc.published or doc.ingested_at
    return aware(moment).date(), "document"


def _year_days(day: date) -> int:
    return (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days


def _actor_columns(n: int, person: Any, countries: Mapping[str, Country]) -> dict[str, Any]:
    prefix = f"Actor{n}"
    person = person if isinstance(person, dict) else {}
    code = str(person.get("country") or "")
    known = code in countries
    sectors = [s for s in [person.get("sector"), *(person.get("other_sectors") or [])] if s]
    types = list(dict.fromkeys(sectors))[:3]
    name = person.get("entity_name") or person.get("raw_text")
    return {
        f"{prefix}Code": (code + (types[0] if types else "")) or None,
        f"{prefix}Name": name or None,
        f"{prefix}CountryCode": code if known else None,
        **{f"{prefix}Type{i + 1}Code": types[i] if i < len(types) else None for i in range(3)},
    }


def _quad_class(e: Record) -> int | None:
    """GDELT's quad class of the CAMEO root code; PLOVER's quad when there is no CAMEO code."""
    if e.cameo and e.cameo[:2].isdigit():
        root = int(e.cameo[:2])
        return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4
    if e.quad_code is not None:
        return int(e.quad_code)
    event_type = load_event_lexicon().events.get(e.event)
    return event_type.quad if event_type else None


def _score(e: Record) -> float | None:
    if e.plover_score is not None:
        return float(e.plover_score)
    event_type = load_event_lexicon().events.get(e.event)
    return event_type.score_for(e.mode) if event_type else None


def _geo_columns(
    loc: dict[str, Any] | None, kind: str | None, countries: Mapping[str, Country]
) -> dict[str, Any]:
    loc = loc or {}
    name = str(loc.get("name") or "")
    iso3 = str(loc.get("country") or "")
    kind = kind or ""
    geo_type = GEO_TYPES.get(kind) if name else None
    if geo_type in (4, 5) and iso3 == "USA":
        geo_type = {4: 3, 5: 2}[geo_type]  # a US city, a US state
    nation = country_name(iso3, countries)
    full = name if kind == "country" or not nation or nation == name else f"{name}, {nation}"
    lat, lon = loc.get("latitude"), loc.get("longitude")
    return {
        "ActionGeo_Type": geo_type,
        "ActionGeo_FullName": full or None,
        "ActionGeo_CountryCode": iso2(iso3, countries),
        "ActionGeo_Lat": float(lat) if lat is not None else None,
        "ActionGeo_Long": float(lon) if lon is not None else None,
    }


__all__ = ["EventRow", "EventsSummary", "event_rows", "gdelt_row", "plover_json"]
