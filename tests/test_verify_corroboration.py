"""Across documents: clusters of one real-world event, independent sources, disagreements.

Pure tests build ``EventRecord``s by hand; store tests run ``corroborate`` over the demo
corpus (articles, wire items and the undated piece, as the demo ingests them as files),
built once per module and copied into each store of the ``engine`` fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Integer, insert, select, text

from pactwatch.jobs import ingest_targets
from pactwatch.settings import Settings
from pactwatch.store.engine import open_store
from pactwatch.store.schema import (
    documents,
    event_clusters,
    events,
    flags,
    metadata,
)
from pactwatch.verify.corroboration import (
    ActorRef,
    ClusterOptions,
    CopyRef,
    EventRecord,
    MentionText,
    PlaceRef,
    cluster_events,
    disagreement_flags,
    figures_compatible,
    independent_sources,
)
from pactwatch.verify.corroboration_store import _records, _window_event_ids, corroborate
from pactwatch.verify.figures import figures_in

# --- pure functions -----------------------------------------------------------------

ZVECAN = PlaceRef("Zvečan", "XKX", "town", 42.9076, 20.8403)
ZVECAN_PLAIN = PlaceRef("Zvecan", "XKX", "town")
BANJSKA = PlaceRef("Banjska", "XKX", "village", 42.9772, 20.7872)
PEJA = PlaceRef("Peja", "XKX", "city", 42.6593, 20.2887)
BELGRADE = PlaceRef("Belgrade", "SRB", "city", 44.8176, 20.4633)
KOSOVO = PlaceRef("Kosovo", "XKX", "country")
KURTI = ActorRef("Albin Kurti", "XKX", "person")
POLICE = ActorRef("Kosovo Police", "XKX", "organisation")
SERBS = ActorRef("Serbs", "XKX", "group")
PROTESTERS = ActorRef("protesters", "XKX", "group")


def record(
    event_id: str,
    document_id: str,
    *,
    event: str = "ASSAULT",
    outlet: str | None = None,
    actors: tuple[ActorRef, ...] = (PROTESTERS,),
    day: date | None = date(2024, 3, 4),
    precision: str | None = "day",
    published: date | None = date(2024, 3, 5),
    place: PlaceRef | None = None,
    sentence: str = "",
    origin_group: str | None = None,
    modality: str = "factual",
) -> EventRecord:
    return EventRecord(
        event_id=event_id,
        document_id=document_id,
        origin_group=origin_group or document_id,
        outlet=outlet if outlet is not None else f"Outlet {document_id}",
        event=event,
        actors=actors,
        date=day,
        place=place,
        mentions=(MentionText(sentence, 10),) if sentence else (),
        published=published,
        date_precision=precision if day else None,
        modality=modality,
    )


def groups(records: list[EventRecord], **kwargs: Any) -> set[frozenset[str]]:
    return {frozenset(m.event_id for m in c.members) for c in cluster_events(records, **kwargs)}


def test_same_family_same_day_same_country_cluster() -> None:
    got = groups(
        [
            record("a", "d1", event="ASSAULT"),
            record("b", "d2", event="COERCE"),  # one's attack is another's arrest
            record("c", "d3", event="PROTEST"),  # a riot
            record("d", "d4", event="CONSULT"),  # another family
        ]
    )
    assert got == {frozenset("abc"), frozenset("d")}


def test_dates_beyond_the_window_do_not_cluster() -> None:
    first = record("a", "d1", actors=(POLICE,))
    near = record("b", "d2", actors=(POLICE,), day=date(2024, 3, 7))
    far = record("c", "d3", actors=(POLICE,), day=date(2024, 3, 12), published=date(2024, 3, 12))
    assert groups([first, near, far], window_days=3) == {frozenset("ab"), frozenset("c")}
    assert groups([first, near], window_days=2) == {frozenset("a"), frozenset("b")}


def test_a_country_in_common_links_incidents_within_a_day_only() -> None:
    same_day = record("b", "d2")
    two_days = record("c", "d3", day=date(2024, 3, 6), published=date(2024, 3, 6))
    assert groups([record("a", "d1"), same_day, two_days]) == {frozenset("ab"), frozenset("c")}
    statements = [record("x", "d1", event="ACCUSE"), record("y", "d2", event="ACCUSE")]
    assert groups(statements) == {frozenset("x"), frozenset("y")}  # who said it matters


def test_meetings_are_linked_by_their_parties() -> None:
    vucic = ActorRef("Aleksandar Vučić", "SRB", "person")
    two = record("b", "d2", event="CONSULT", actors=(KURTI, vucic), day=date(2024, 3, 6))
    one = record("c", "d3", event="CONSULT", actors=(KURTI,), day=date(2024, 3, 5))
    got = groups([record("a", "d1", event="CONSULT", actors=(KURTI, vucic)), two, one])
    assert got == {frozenset("ab"), frozenset("c")}  # Kurti alone meets many people


def test_undated_events_use_the_publication_date_and_need_a_person_or_a_place() -> None:
    dated = record("a", "d1", actors=(KURTI, POLICE))
    person = record("b", "d2", actors=(KURTI,), day=None, published=date(2024, 3, 6))
    org_only = record("c", "d3", actors=(POLICE,), day=None, published=date(2024, 3, 6))
    place = record("d", "d4", actors=(POLICE,), day=None, published=date(2024, 3, 6), place=ZVECAN)
    dated_at = record("e", "d5", actors=(SERBS,), place=ZVECAN_PLAIN)
    stale = record("f", "d6", actors=(KURTI,), day=None, published=date(2024, 3, 20))
    got = groups([dated, person, org_only, place, dated_at, stale])
    assert frozenset("ab") <= next(g for g in got if "a" in g)
    assert frozenset("c") in got  # "Kosovo Police" recurs in every story: not enough alone
    assert frozenset("f") in got  # published two weeks later
    assert next(g for g in got if "d" in g) >= {"d", "e"}  # same town, same country


def test_places_compatible_near_contained_missing_but_not_far_or_foreign() -> None:
    base = record("a", "d1", place=ZVECAN)
    got = groups(
        [
            base,
            record("b", "d2", place=BANJSKA),  # 8 km away: a village of the municipality
            record("c", "d3", place=KOSOVO),  # the country holds the town
            record("d", "d4", place=None),
            record("e", "d5", place=PEJA),  # another town, far away
            record("f", "d6", place=BELGRADE, actors=(ActorRef("protesters", "SRB"),)),
        ]
    )
    assert frozenset("abcd") in got
    assert frozenset("e") in got and frozenset("f") in got


def test_year_only_dates_and_future_events_never_link() -> None:
    got = groups(
        [
            record("a", "d1"),
            record("b", "d2", day=date(2024, 1, 1), precision="year"),
            record("c", "d3", modality="future"),
        ]
    )
    assert got == {frozenset("a"), frozenset("b"), frozenset("c")}


def test_events_of_one_document_are_not_linked_to_each_other() -> None:
    assert groups([record("a", "d1"), record("b", "d1")]) == {frozenset("a"), frozenset("b")}


def test_cluster_id_is_the_earliest_member_and_stays_when_later_reports_join() -> None:
    first = record("zz-first", "d1", day=date(2024, 3, 3))
    second = record("aa-second", "d2", day=date(2024, 3, 4))
    (before,) = cluster_events([first, second])
    later = record("00-later", "d3", day=date(2024, 3, 5), published=date(2024, 3, 6))
    (after,) = cluster_events([later, second, first])
    assert before.id == after.id == "zz-first"


def test_independent_sources_copies_and_one_outlet_count_once() -> None:
    members = [
        record("a", "d1", outlet="Balkan Wire Service"),
        record("b", "d2", outlet="Prishtina Observer"),
        record("c", "d3", outlet="balkan wire service"),  # the same outlet again
        record("d", "d4", outlet="Belgrade Ledger", origin_group="d2"),  # a copy of d2
    ]
    copies = [CopyRef("d9", "GeoPolitics Now 24", "d1")]  # a near copy, never extracted
    assert independent_sources(members, copies) == 2
    (cluster,) = cluster_events(
        [members[0], members[1], members[2], record("e", "d5", outlet="Belgrade Ledger")],
        copies=copies,
    )
    assert cluster.independent_sources == 3
    assert "d9" in cluster.documents and [c.document_id for c in cluster.copies] == ["d9"]


def test_a_retelling_weeks_later_stays_in_the_cluster_but_is_no_source() -> None:
    late = record("c", "d3", actors=(KURTI,), published=date(2024, 4, 20))
    (cluster,) = cluster_events(
        [record("a", "d1", actors=(KURTI,)), record("b", "d2", actors=(KURTI,)), late]
    )
    assert {m.event_id for m in cluster.members} == {"a", "b", "c"}
    assert cluster.independent_sources == 2 and cluster.retellings == ["d3"]


def _disagreements(*records: EventRecord) -> list[str]:
    (cluster,) = cluster_events(list(records))
    return [f.explanation for f in disagreement_flags(cluster)]


def test_figures_that_disagree_are_flagged_on_both_events_with_outlets() -> None:
    a = record(
        "a",
        "d1",
        outlet="Balkan Wire Service",
        sentence="KFOR said 30 of its soldiers were injured.",
    )
    b = record(
        "b",
        "d2",
        outlet="Adriatic Defence Review",
        sentence="A total of 41 soldiers of KFOR were injured.",
    )
    (cluster,) = cluster_events([a, b])
    found = disagreement_flags(cluster, {"d1": "x" * 10 + a.mentions[0].text})
    assert [f.event_id for f in found] == ["a", "b"]
    assert {f.kind for f in found} == {"source_disagreement"}
    assert {f.severity for f in found} == {"warning"}
    assert found[0].explanation == (
        "Balkan Wire Service says 30 soldiers were injured; Adriatic Defence Review says 41"
    )
    spans = {(e.document_id, e.text) for e in found[0].evidence}
    assert spans == {("d1", "30 of its soldiers"), ("d2", "41 soldiers")}
    with_line = next(e for e in found[0].evidence if e.document_id == "d1")
    assert with_line.line == 1 and with_line.start == 10 + a.mentions[0].text.index("30")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("About 30 soldiers were injured.", "32 soldiers were injured."),  # approximate
        ("At least 30 soldiers were injured.", "41 soldiers were injured."),  # a lower bound
        ("30 soldiers were injured.", "41 protesters were injured."),  # other people
        ("30 soldiers were injured.", "41 soldiers were deployed."),  # other measure
        ("30 soldiers were injured.", "11 Italian soldiers were injured."),  # a part
        ("30 soldiers were injured.", "The force has 4,000 soldiers."),  # a plain count
        ("30 soldiers were injured.", "Of 41 soldiers, 30 soldiers were injured."),  # also said
        ("30 peacekeepers were hurt.", "Thirty soldiers were wounded."),  # same, other words
    ],
)
def test_no_false_disagreement(first: str, second: str) -> None:
    assert (
        _disagreements(record("a", "d1", sentence=first), record("b", "d2", sentence=second)) == []
    )


def test_figures_of_negated_or_month_long_mentions_are_not_compared() -> None:
    day = record("a", "d1", actors=(KURTI,), sentence="30 soldiers were injured.")
    negated = record(
        "b", "d2", actors=(KURTI,), sentence="41 soldiers were injured.", modality="negated"
    )
    assert _disagreements(day, negated) == []
    month = record(
        "c",
        "d3",
        actors=(KURTI,),
        sentence="In March, 93 soldiers were injured.",  # a total over the month
        day=date(2024, 3, 1),
        precision="month",
    )
    assert _disagreements(day, month) == []


def test_compatibility_of_qualified_figures() -> None:
    (about,) = figures_in("about 30 soldiers were hurt")
    (exact,) = figures_in("41 soldiers were hurt")
    (close,) = figures_in("33 soldiers were hurt")
    assert not figures_compatible(about, exact)
    assert figures_compatible(about, close)


def test_different_towns_on_the_same_day_with_the_same_person_are_a_disagreement() -> None:
    a = record("a", "d1", actors=(KURTI,), place=ZVECAN, outlet="Balkan Wire Service")
    b = record("b", "d2", actors=(KURTI,), place=PEJA, outlet="Belgrade Ledger")
    (cluster,) = cluster_events([a, b])
    found = disagreement_flags(cluster)
    assert [f.event_id for f in found] == ["a", "b"]
    assert found[0].explanation == (
        "Balkan Wire Service places the event in Zvečan; Belgrade Ledger in Peja"
    )


# --- the store, on the demo corpus ------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1] / "src" / "pactwatch" / "demo" / "corpus"
PLANTED_FIGURES = ("c04-", "c05-")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The demo corpus ingested and extracted once (about 20 s), for copying."""
    folder = tmp_path_factory.mktemp("demo-store")
    settings = Settings(data_dir=folder / "data", database_url=None)
    store = open_store(f"sqlite:///{folder / 'demo.sqlite'}")
    targets = [CORPUS / "articles", CORPUS / "wire.jsonl", CORPUS / "undated"]
    ingest_targets(store, settings, [str(t) for t in targets])
    yield store
    store.dispose()


@pytest.fixture
def store(engine: Engine, demo_store: Engine) -> Engine:
    """A copy of the demo store in the test's database (SQLite or PostgreSQL)."""
    with demo_store.connect() as src, engine.begin() as dst:
        for table in metadata.sorted_tables:
            rows = [dict(r) for r in src.execute(select(table)).mappings()]
            if rows:
                dst.execute(insert(table), rows)
        if engine.dialect.name == "postgresql":
            # rows were copied with their ids: move each id sequence past them
            for table in metadata.sorted_tables:
                if "id" in table.c and isinstance(table.c.id.type, Integer):
                    dst.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )
    return engine


def _doc_ids(engine: Engine) -> dict[str, str]:
    """File name prefix ("c06-") -> document id."""
    with engine.connect() as conn:
        rows = conn.execute(select(documents.c.id, documents.c.origin)).all()
    return {Path(r.origin.split(":")[0]).name[:4]: r.id for r in rows}


def _snapshot(engine: Engine) -> tuple[Any, ...]:
    with engine.connect() as conn:
        cluster_ids = sorted(conn.execute(select(events.c.id, events.c.cluster_id)).all())
        cluster_rows = sorted(
            conn.execute(
                select(
                    event_clusters.c.id,
                    event_clusters.c.event,
                    event_clusters.c.date,
                    event_clusters.c.documents,
                    event_clusters.c.independent_sources,
                )
            ).all()
        )
        flag_rows = sorted(
            (r.kind, r.event_id or "", r.document_id or "", r.explanation)
            for r in conn.execute(select(flags)).all()
        )
    return cluster_ids, cluster_rows, flag_rows


def test_demo_banjska_attack_three_sources_and_the_respin(store: Engine) -> None:
    summary = corroborate(store)
    ids = _doc_ids(store)
    c06, c07, c08, c09 = (ids[k] for k in ("c06-", "c07-", "c08-", "c09-"))
    with store.connect() as conn:
        by_cluster: dict[str, set[str]] = {}
        for row in conn.execute(select(events.c.cluster_id, events.c.document_id)):
            by_cluster.setdefault(row.cluster_id, set()).add(row.document_id)
        sources = dict(
            conn.execute(select(event_clusters.c.id, event_clusters.c.independent_sources)).all()
        )
        respun = conn.execute(select(flags).where(flags.c.kind == "respun_copy")).all()
    banjska = [c for c, docs in by_cluster.items() if {c06, c07, c08} <= docs]
    assert banjska, "c06, c07 and c08 tell one event"
    assert any(sources[c] == 3 for c in banjska)
    assert summary.multi_source_clusters >= 2 and summary.respun_copy_flags == 1
    assert [(f.document_id, f.severity) for f in respun] == [(c09, "info")]
    assert "GeoPolitics Now 24" in respun[0].explanation
    assert "Balkan Wire Service" in respun[0].explanation
    assert respun[0].details["original_id"] == c06


def test_demo_zvecan_figures_disagree_and_nothing_else_does(store: Engine) -> None:
    corroborate(store)
    ids = _doc_ids(store)
    planted = {ids[k] for k in PLANTED_FIGURES}
    with store.connect() as conn:
        found = conn.execute(select(flags).where(flags.c.kind == "source_disagreement")).all()
        texts = dict(conn.execute(select(documents.c.id, documents.c.text)).all())
    pair = [f for f in found if {v["document_id"] for v in f.details["values"]} == planted]
    assert {f.document_id for f in pair} == planted
    assert all(f.severity == "warning" and f.event_id for f in pair)
    explanation = pair[0].explanation
    assert "30" in explanation and "41" in explanation
    assert "Balkan Wire Service" in explanation and "Adriatic Defence Review" in explanation
    for evidence in pair[0].evidence:
        doc_text = texts[evidence["document_id"]]
        assert doc_text[evidence["start"] : evidence["end"]] == evidence["text"]
    # False-positive guard: every disagreement involves the planted wrong figure (c05);
    # the clean articles (everything else, 30+ of them) raise none among themselves.
    assert found
    assert all(ids["c05-"] in {v["document_id"] for v in f.details["values"]} for f in found)


def test_corroborate_is_idempotent_and_incremental_runs_agree(store: Engine) -> None:
    corroborate(store)
    first = _snapshot(store)
    corroborate(store)
    assert _snapshot(store) == first
    ids = _doc_ids(store)
    corroborate(store, [ids["c05-"], ids["c07-"]])
    assert _snapshot(store) == first


def test_a_run_for_a_few_documents_reads_only_their_window(store: Engine) -> None:
    ids = _doc_ids(store)
    with store.connect() as conn:
        total = len(conn.execute(select(events.c.id)).all())
    summary = corroborate(store, [ids["a01-"]])  # December 2022
    assert 0 < summary.events < total / 3


def test_an_event_reads_the_same_in_every_window(store: Engine) -> None:
    """What clustering sees of an event (its actors' kinds above all) must not depend on
    which other events a run reads, nor on the order the store returns rows in: a name is
    a country in one document and a group in another ("Serbia"), and a kind borrowed from
    another event made incremental runs cluster differently from full ones."""
    with store.connect() as conn:
        every = sorted(conn.scalars(select(events.c.id)))
        whole = {r.event_id: r for r in _records(conn, every)}
        for doc_id in sorted(_doc_ids(store).values()):
            window = _window_event_ids(conn, [doc_id], ClusterOptions())
            for one in _records(conn, window):
                assert one == whole[one.event_id]
            alone = [e for e in every if e in window][:1]
            for one in _records(conn, alone):
                assert one == whole[one.event_id]
