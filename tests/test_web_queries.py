"""The dashboard's query functions on SQLite and PostgreSQL: filters, sorting, paging,
totals, and the overview's aggregates against values computed by hand.

The store is built by inserts (``build_store``, also used by the web tests): three
documents (two dated, one undated), seven events, four actors, a mention with a stated
role, a removed line, an exact copy, two flags and a shared cluster.

    event doc  stated     day        type      quad score areas              actor -> recip. cred
    ev1   D1   2024-01-09 2024-01-09 CONSULT   1    2.5  diplomatic         Kurti(XKX) -> USA   0.8
    ev2   D1   -          2024-01-10 COOPERATE 2    9.5  joint ex., training USA -> XKX         0.6
    ev3   D2   2024-02-21 2024-02-21 ACCUSE    3   -3.0  -                  SRB -> XKX          0.4
    ev4   D2   2024-02-22 2024-02-22 ASSAULT   4   -9.0  security assist.   SRB -> XKX          -
    ev5   D3   -          -          THREATEN  3   -3.5  -                  SRB -> XKX (future) 0.3
    ev6   D2   2024-02-23 2024-02-23 SUPPORT   1    5.0  diplomatic         USA -> ALB          0.9
    ev7   D2   2024-02-23 2024-02-23 CONSULT   1    2.5  -                  USA -> GBR          0.7
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from pactwatch.analysis import queries
from pactwatch.analysis.queries import Filters, Page
from pactwatch.store.schema import (
    actors,
    documents,
    duplicates,
    event_actors,
    event_mentions,
    events,
    flags,
    mentions,
    removed_text,
)
from pactwatch.store.summaries import rebuild_all

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
D1, D2, D3 = "1" * 64, "2" * 64, "3" * 64
D1_TEXT = (
    "Kosovo and the US talk.\n"
    "Prime Minister Albin Kurti met the US envoy in Pristina on Tuesday.\n"
    "The US will train Kosovo troops in a joint exercise.\n"
)
KURTI_SENTENCE = "Prime Minister Albin Kurti met the US envoy in Pristina on Tuesday."
WINDOW = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31))


def _doc(
    doc_id: str, title: str, text: str, published: datetime | None, **extra: Any
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "origin": f"https://news.example/{doc_id[:4]}",
        "url": f"https://news.example/{doc_id[:4]}",
        "outlet": "Balkan Wire",
        "title": title,
        "published": published,
        "text": text,
        "text_chars": len(text),
        "status": "processed",
        "fetched_at": T0,
        "ingested_at": T0,
        "credibility": 0.7,
        "credibility_reasons": [{"factor": "byline", "weight": 0.3, "text": "a named author"}],
        "removed_count": 0,
        **extra,
    }


def _who(name: str, country: str, sector: str = "GOV") -> dict[str, Any]:
    return {"raw_text": name, "entity_name": name, "country": country, "sector": sector}


def _event(
    eid: str,
    doc: str,
    kind: str,
    quad: int,
    score: float,
    day: date | None,
    areas: list[str],
    actor: list[dict[str, Any]],
    recipient: list[dict[str, Any]],
    credibility: float | None,
    text: str,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": eid,
        "document_id": doc,
        "cluster_id": extra.pop("cluster_id", eid),
        "event": kind,
        "mode": None,
        "contexts": [],
        "cameo": None,
        "quad_code": quad,
        "plover_score": score,
        "areas": areas,
        "actor": actor,
        "recipient": recipient,
        "date": day,
        "modality": extra.pop("modality", "factual"),
        "confidence": 0.6,
        "credibility": credibility,
        "credibility_reasons": [{"factor": "extraction", "weight": 0.0, "text": "coded"}],
        "event_text": text,
        "created_at": T0,
        **extra,
    }


def build_store(engine: Engine) -> dict[str, int]:
    """The store of the module docstring; returns actor ids by name."""
    kurti, usa, xkx, srb = (
        _who("Albin Kurti", "XKX"),
        _who("United States", "USA"),
        _who("Kosovo", "XKX"),
        _who("Serbia", "SRB"),
    )
    with engine.begin() as conn:
        conn.execute(
            insert(documents),
            [
                _doc(
                    D1,
                    "Kurti meets US envoy",
                    D1_TEXT,
                    datetime(2024, 1, 10, 9, 0, tzinfo=UTC),
                    removed_count=1,
                ),
                _doc(
                    D2,
                    "Tension in the north",
                    "Serbia accused Kosovo. Shots were fired.",
                    datetime(2024, 2, 20, tzinfo=UTC),
                ),
                _doc(
                    D3,
                    "Undated warning",
                    "Serbia may respond, an official warned.",
                    None,
                    outlet=None,
                ),
            ],
        )
        conn.execute(
            insert(actors),
            [
                {
                    "kind": "person",
                    "name": "Albin Kurti",
                    "country": "XKX",
                    "sectors": ["GOV"],
                    "aliases": ["Kurti"],
                },
                {
                    "kind": "country",
                    "name": "United States",
                    "country": "USA",
                    "sectors": ["GOV"],
                    "aliases": [],
                },
                {
                    "kind": "country",
                    "name": "Kosovo",
                    "country": "XKX",
                    "sectors": ["GOV"],
                    "aliases": [],
                },
                {
                    "kind": "country",
                    "name": "Serbia",
                    "country": "SRB",
                    "sectors": ["GOV"],
                    "aliases": [],
                },
            ],
        )
        ids = {r.name: r.id for r in conn.execute(select(actors.c.id, actors.c.name))}
        conn.execute(
            insert(events),
            [
                _event(
                    "ev1",
                    D1,
                    "CONSULT",
                    1,
                    2.5,
                    date(2024, 1, 9),
                    ["diplomatic_engagement"],
                    [kurti],
                    [usa],
                    0.8,
                    KURTI_SENTENCE,
                    cluster_id="c1",
                ),
                _event(
                    "ev2",
                    D1,
                    "COOPERATE",
                    2,
                    9.5,
                    None,
                    ["joint_exercises", "training_education"],
                    [usa],
                    [xkx],
                    0.6,
                    "The US will train Kosovo troops in a joint exercise.",
                ),
                _event(
                    "ev3",
                    D2,
                    "ACCUSE",
                    3,
                    -3.0,
                    date(2024, 2, 21),
                    [],
                    [srb],
                    [xkx],
                    0.4,
                    "Serbia accused Kosovo.",
                ),
                _event(
                    "ev4",
                    D2,
                    "ASSAULT",
                    4,
                    -9.0,
                    date(2024, 2, 22),
                    ["security_assistance"],
                    [srb],
                    [_who("Kosovo Police", "XKX", "COP")],
                    None,
                    "Shots were fired.",
                ),
                _event(
                    "ev5",
                    D3,
                    "THREATEN",
                    3,
                    -3.5,
                    None,
                    [],
                    [srb],
                    [xkx],
                    0.3,
                    "Serbia may respond, an official warned.",
                    modality="future",
                    cluster_id="c1",
                ),
                _event(
                    "ev6",
                    D2,
                    "SUPPORT",
                    1,
                    5.0,
                    date(2024, 2, 23),
                    ["diplomatic_engagement"],
                    [usa],
                    [_who("Albania", "ALB")],
                    0.9,
                    "The US backed Albania.",
                ),
                _event(
                    "ev7",
                    D2,
                    "CONSULT",
                    1,
                    2.5,
                    date(2024, 2, 23),
                    [],
                    [usa],
                    [_who("United Kingdom", "GBR")],
                    0.7,
                    "US and UK officials met.",
                ),
            ],
        )
        conn.execute(
            insert(event_actors),
            [
                {"event_id": e, "actor_id": ids[n], "side": side}
                for e, n, side in [
                    ("ev1", "Albin Kurti", "actor"),
                    ("ev1", "United States", "recipient"),
                    ("ev2", "United States", "actor"),
                    ("ev2", "Kosovo", "recipient"),
                    ("ev3", "Serbia", "actor"),
                    ("ev3", "Kosovo", "recipient"),
                    ("ev4", "Serbia", "actor"),
                    ("ev4", "Kosovo", "recipient"),
                    ("ev5", "Serbia", "actor"),
                    ("ev6", "United States", "actor"),
                    ("ev7", "United States", "actor"),
                ]
            ],
        )
        start = D1_TEXT.index(KURTI_SENTENCE)
        conn.execute(
            insert(event_mentions),
            [
                {
                    "event_id": "ev1",
                    "document_id": D1,
                    "sentence_start": start,
                    "sentence_end": start + len(KURTI_SENTENCE),
                    "text": KURTI_SENTENCE,
                },
            ],
        )
        name_at = D1_TEXT.index("Albin Kurti")
        conn.execute(
            insert(mentions),
            [
                {
                    "document_id": D1,
                    "actor_id": ids["Albin Kurti"],
                    "start": name_at,
                    "end": name_at + 11,
                    "text": "Albin Kurti",
                    "kind": "person",
                    "role_text": "Prime Minister",
                    "candidates": [],
                },
            ],
        )
        conn.execute(
            insert(removed_text),
            [
                {
                    "document_id": D1,
                    "seq": 0,
                    "line": 2,
                    "reason": "boilerplate",
                    "text": "Subscribe to our newsletter.",
                }
            ],
        )
        conn.execute(
            insert(duplicates),
            [
                {
                    "document_id": D1,
                    "copy_id": None,
                    "kind": "exact",
                    "similarity": 1.0,
                    "origin": "https://copy.example/1",
                    "url": None,
                    "outlet": "Copy Wire",
                    "published": None,
                    "found_at": T0,
                }
            ],
        )
        conn.execute(
            insert(flags),
            [
                {
                    "kind": "role_conflicts_with_reference",
                    "severity": "serious",
                    "explanation": "Kurti is called envoy.",
                    "document_id": D1,
                    "event_id": "ev1",
                    "evidence": [
                        {
                            "kind": "span",
                            "text": "Albin Kurti",
                            "start": name_at,
                            "end": name_at + 11,
                            "line": 2,
                        }
                    ],
                    "resolved": False,
                    "created_at": T0,
                },
                {
                    "kind": "no_byline",
                    "severity": "info",
                    "explanation": "No author.",
                    "document_id": D2,
                    "event_id": None,
                    "evidence": [],
                    "resolved": True,
                    "created_at": T0,
                },
                {
                    "kind": "undated",
                    "severity": "warning",
                    "explanation": "No date.",
                    "document_id": D3,
                    "event_id": None,
                    "evidence": [],
                    "resolved": False,
                    "created_at": T0,
                },
            ],
        )
        # Inserted by hand, not by the writers: fill the day, side tables and summaries.
        rebuild_all(conn)
    return ids


@pytest.fixture
def store(engine: Engine) -> dict[str, int]:
    return build_store(engine)


def ids_of(page: queries.EventsPage) -> list[str]:
    return [e.id for e in page.items]


def test_events_sorted_by_day_with_undated_last(engine: Engine, store: dict[str, int]) -> None:
    newest = queries.events_page(engine, Filters(), "date", True, Page(limit=50))
    # Same day (ev6, ev7): by id, in the direction asked for.
    assert ids_of(newest) == ["ev7", "ev6", "ev4", "ev3", "ev2", "ev1", "ev5"]
    assert newest.total == 7
    # ev2 states no date: its day is its document's publication day.
    assert newest.items[4].day == date(2024, 1, 10)
    oldest = queries.events_page(engine, Filters(), "date", False, Page(limit=50))
    assert ids_of(oldest) == ["ev1", "ev2", "ev3", "ev4", "ev6", "ev7", "ev5"]


def test_events_paged_in_sql_with_total(engine: Engine, store: dict[str, int]) -> None:
    page = queries.events_page(engine, Filters(), "date", True, Page(limit=2, offset=2))
    assert ids_of(page) == ["ev4", "ev3"]
    assert (page.total, page.limit, page.offset) == (7, 2, 2)
    last = queries.events_page(engine, Filters(), "date", True, Page(limit=5, offset=5))
    assert ids_of(last) == ["ev1", "ev5"]


def test_other_sorts(engine: Engine, store: dict[str, int]) -> None:
    by_cred = queries.events_page(engine, Filters(), "credibility", True)
    assert ids_of(by_cred) == ["ev6", "ev1", "ev7", "ev2", "ev3", "ev5", "ev4"]
    by_type = queries.events_page(engine, Filters(), "type", False)
    assert ids_of(by_type) == ["ev3", "ev4", "ev1", "ev7", "ev2", "ev6", "ev5"]
    by_area = queries.events_page(engine, Filters(), "area", False)
    assert ids_of(by_area)[:4] == [
        "ev1",
        "ev6",
        "ev2",
        "ev4",
    ]  # diplomatic, diplomatic, joint, security
    with pytest.raises(ValueError, match="sort by"):
        queries.events_page(engine, Filters(), "nonsense")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(country="SRB"), {"ev3", "ev4", "ev5"}),
        (Filters(pair=("XKX", "SRB")), {"ev3", "ev4", "ev5"}),
        (Filters(pair=("USA", "ALB")), {"ev6"}),
        (Filters(region="western_balkans"), {"ev1", "ev2", "ev3", "ev4", "ev5", "ev6"}),
        (Filters(region="nowhere"), set()),
        (Filters(area="diplomatic_engagement"), {"ev1", "ev6"}),
        (Filters(event_type="consult"), {"ev1", "ev7"}),
        (Filters(modality="future"), {"ev5"}),
        (Filters(min_credibility=0.7), {"ev1", "ev6", "ev7"}),
        (Filters(min_credibility=0.35, max_credibility=0.65), {"ev2", "ev3"}),
        (Filters(text="PRISTINA"), {"ev1"}),
        (Filters(text="50%_"), set()),
        (Filters(date_from=date(2024, 1, 10), date_to=date(2024, 1, 31)), {"ev2"}),
        (Filters(date_from=date(2024, 2, 22)), {"ev4", "ev6", "ev7"}),
        (Filters(country="XKX", area="joint_exercises"), {"ev2"}),
    ],
)
def test_filters(
    engine: Engine, store: dict[str, int], filters: Filters, expected: set[str]
) -> None:
    page = queries.events_page(engine, filters, "date", True, Page(limit=200))
    assert set(ids_of(page)) == expected
    assert page.total == len(expected)


def test_actor_filter(engine: Engine, store: dict[str, int]) -> None:
    page = queries.events_page(engine, Filters(actor_id=store["Albin Kurti"]))
    assert ids_of(page) == ["ev1"]
    page = queries.events_page(engine, Filters(actor_id=store["Serbia"]))
    assert set(ids_of(page)) == {"ev3", "ev4", "ev5"}


def test_overview_aggregates_by_hand(engine: Engine, store: dict[str, int]) -> None:
    result = queries.overview(engine, WINDOW, "week")
    points = {(p.bucket, p.area): (p.events, p.weighted) for p in result.areas}
    assert points == {
        (date(2024, 1, 8), "diplomatic_engagement"): (1, 0.8),
        (date(2024, 1, 8), "joint_exercises"): (1, 0.6),
        (date(2024, 1, 8), "training_education"): (1, 0.6),
        (date(2024, 2, 19), "security_assistance"): (1, 0.5),  # unscored: half weight
        (date(2024, 2, 19), "diplomatic_engagement"): (1, 0.9),
    }
    balance = [
        (b.countries, b.events, b.cooperation, b.conflict, b.mean_plover_score)
        for b in result.balance
    ]
    assert balance == [
        (("SRB", "XKX"), 2, 0, 2, -6.0),
        (("USA", "XKX"), 2, 2, 0, 6.0),
        (("ALB", "USA"), 1, 1, 0, 5.0),
        (("GBR", "USA"), 1, 1, 0, 2.5),
    ]
    assert result.balance[0].counts == {
        "verbal_cooperation": 0,
        "material_cooperation": 0,
        "verbal_conflict": 1,
        "material_conflict": 1,
    }
    assert [(a.name, a.events) for a in result.top_actors] == [
        ("United States", 4),
        ("Kosovo", 3),
        ("Serbia", 2),
        ("Albin Kurti", 1),
    ]
    assert [e.id for e in result.latest_events] == ["ev7", "ev6", "ev4", "ev3", "ev2", "ev1"]
    assert result.open_flags_by_severity == {"serious": 1, "warning": 1}
    assert [f.kind for f in result.open_flags] == ["role_conflicts_with_reference", "undated"]


def test_overview_by_month_and_default_window(engine: Engine, store: dict[str, int]) -> None:
    monthly = queries.overview(engine, WINDOW, "month")
    totals = {(p.bucket, p.area): p.events for p in monthly.areas}
    assert totals[(date(2024, 2, 1), "diplomatic_engagement")] == 1
    assert totals[(date(2024, 1, 1), "joint_exercises")] == 1
    # No dates: three years up to the latest stated date; the bucket follows the span.
    default = queries.overview(engine, Filters(), today=date(2025, 1, 1))
    assert default.date_to == date(2024, 2, 23)
    assert default.date_from == date(2021, 2, 23)  # 1095 days, 2024 a leap year
    assert default.bucket == "month"
    assert sum(p.events for p in default.areas) == 5


def test_overview_sees_new_events(engine: Engine, store: dict[str, int]) -> None:
    before = queries.overview(engine, WINDOW, "week")
    with engine.begin() as conn:
        conn.execute(
            insert(events),
            [
                _event(
                    "ev8",
                    D2,
                    "AID",
                    2,
                    10.0,
                    date(2024, 2, 24),
                    ["cybersecurity"],
                    [_who("United States", "USA")],
                    [_who("Kosovo", "XKX")],
                    1.0,
                    "Aid.",
                )
            ],
        )
        rebuild_all(conn)
    after = queries.overview(engine, WINDOW, "week")
    assert len(after.areas) == len(before.areas) + 1


def test_event_detail_marks_its_sentence(engine: Engine, store: dict[str, int]) -> None:
    detail = queries.event_detail(engine, "ev1")
    assert detail is not None
    marked = [s.text for s in detail.segments if s.kind == "event"]
    assert marked == [KURTI_SENTENCE]
    assert "".join(s.text for s in detail.segments) == D1_TEXT
    assert [f.kind for f in detail.flags] == ["role_conflicts_with_reference"]
    assert detail.flags[0].evidence[0]["text"] == "Albin Kurti"
    assert [c.event_id for c in detail.cluster] == ["ev5"]
    assert detail.credibility_reasons[0]["factor"] == "extraction"
    assert detail.document["title"] == "Kurti meets US envoy"
    assert queries.event_detail(engine, "nope") is None


def test_document_detail(engine: Engine, store: dict[str, int]) -> None:
    detail = queries.document_detail(engine, D1)
    assert detail is not None
    kinds = [(s.kind, s.text) for s in detail.segments if s.kind != "text"]
    # The removed line (source line 2) goes back before the second kept line.
    assert kinds == [("removed", "Subscribe to our newsletter."), ("mention", "Albin Kurti")]
    mention = next(s for s in detail.segments if s.kind == "mention")
    assert mention.label == "Prime Minister" and mention.actor_id == store["Albin Kurti"]
    assert [r.reason for r in detail.removed] == ["boilerplate"]
    assert [d.origin for d in detail.duplicates] == ["https://copy.example/1"]
    assert [r.id for r in detail.same_story] == [D3]
    assert {e.id for e in detail.events} == {"ev1", "ev2"}
    assert queries.document_detail(engine, "0" * 64) is None


def test_documents_page(engine: Engine, store: dict[str, int]) -> None:
    page = queries.documents_page(engine, queries.DocumentFilters(), "published", True)
    assert [d.id for d in page.items] == [D2, D1, D3]
    assert [d.events for d in page.items] == [4, 2, 1]
    page = queries.documents_page(engine, queries.DocumentFilters(text="tension"), "title", False)
    assert [d.id for d in page.items] == [D2] and page.total == 1
    page = queries.documents_page(
        engine,
        queries.DocumentFilters(date_from=date(2024, 1, 1)),
        "published",
        False,
        Page(limit=1),
    )
    assert [d.id for d in page.items] == [D1] and page.total == 2


def test_actors_and_profile(engine: Engine, store: dict[str, int]) -> None:
    page = queries.actors_page(engine, queries.ActorFilters(), "events")
    assert [(a.name, a.events) for a in page.items] == [
        ("United States", 4),
        ("Kosovo", 3),
        ("Serbia", 3),
        ("Albin Kurti", 1),
    ]
    page = queries.actors_page(
        engine, queries.ActorFilters(kind="country", name="s"), "name", Page(limit=1)
    )
    assert [a.name for a in page.items] == ["Kosovo"] and page.total == 3
    profile = queries.actor_profile(engine, store["Albin Kurti"])
    assert profile is not None
    assert [(r.role_text, r.mentions) for r in profile.stated_roles] == [("Prime Minister", 1)]
    assert profile.stated_roles[0].first_seen == datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
    assert any(r.office == "Prime Minister of Kosovo" for r in profile.reference_roles)
    assert [(c.name, c.events) for c in profile.counterparts] == [("United States", 1)]
    assert [(t.month, t.events) for t in profile.timeline] == [(date(2024, 1, 1), 1)]
    assert queries.actor_profile(engine, 9999) is None


def test_actor_network(engine: Engine, store: dict[str, int]) -> None:
    network = queries.actor_network(engine, WINDOW)
    names = {n.id: n.name for n in network.nodes}
    edges = [(names[e.source], names[e.target], e.events) for e in network.edges]
    assert edges[0] == ("Kosovo", "Serbia", 2) or edges[0] == ("Serbia", "Kosovo", 2)
    assert len(edges) == 3
    assert {frozenset((s, t)) for s, t, _ in edges} == {
        frozenset(("Serbia", "Kosovo")),
        frozenset(("Albin Kurti", "United States")),
        frozenset(("United States", "Kosovo")),
    }


def test_page_limits() -> None:
    with pytest.raises(ValueError):
        Page(limit=201)
    with pytest.raises(ValueError):
        Page(limit=10, offset=-1)
    assert queries.parse_pair("xkx-srb") == ("XKX", "SRB")
    assert Filters(pair=("XKX", "SRB"), date_from=date(2024, 1, 1)).as_params() == {
        "date_from": "2024-01-01",
        "pair": "XKX-SRB",
    }
