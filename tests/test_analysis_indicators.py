"""Indicators: weekly counts per area, pair and ISO week, and the change test, on both stores.

Every expectation is worked out by hand from the rows inserted (credibility 1.0 makes the
weighted count the count; scores are the PLOVER scores of the lexicon).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from analysis_store import add_document, add_event
from pactwatch.analysis.indicators import (
    ChangeTest,
    WeekStats,
    change_test,
    indicator_series,
    latest_day,
    parse_pair,
    week_key,
    week_monday,
    weekly_stats,
)
from pactwatch.analysis.poisson import poisson_lower_tail, poisson_upper_tail
from pactwatch.errors import InputError

W10 = date(2025, 3, 3)  # Monday of 2025-W10
W11 = date(2025, 3, 10)
DIPLO, SECURITY, EXERCISES = "diplomatic_engagement", "security_assistance", "joint_exercises"


def _exact_upper(k: int, lam: float) -> float:
    return 1.0 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))


@pytest.mark.parametrize(
    ("k", "lam"), [(1, 0.25), (3, 0.25), (5, 1.0), (2, 3.0), (10, 4.0), (30, 20.0), (12, 25.0)]
)
def test_poisson_tails_match_the_exact_sums(k: int, lam: float) -> None:
    assert poisson_upper_tail(k, lam) == pytest.approx(_exact_upper(k, lam), rel=1e-9, abs=1e-15)
    lower = sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k + 1))
    assert poisson_lower_tail(k, lam) == pytest.approx(lower, rel=1e-9, abs=1e-15)


def test_poisson_tail_edges() -> None:
    assert poisson_upper_tail(0, 2.0) == 1.0
    assert poisson_upper_tail(1, 0.0) == 0.0
    # a weighted count between two integers falls between their tails
    assert _exact_upper(3, 1.0) < poisson_upper_tail(2.5, 1.0) < _exact_upper(2, 1.0)


def test_weeks_and_pairs() -> None:
    assert week_key(date(2024, 12, 30)) == "2025-W01"  # ISO year differs from the calendar's
    assert week_key(date(2025, 1, 5)) == "2025-W01"
    assert week_monday(date(2025, 1, 5)) == date(2024, 12, 30)
    assert week_key(date(2021, 1, 3)) == "2020-W53"
    assert parse_pair("xkx-srb") == ("SRB", "XKX") == parse_pair("SRB/XKX")
    assert parse_pair("XKX") == ("XKX", "XKX")
    with pytest.raises(InputError, match="two codes"):
        parse_pair("XKX-SRB-USA")


def _week_store(engine: Engine) -> None:
    add_event(engine, W10, "CONSULT", areas=[DIPLO], credibility=0.5)  # XKX -> SRB
    add_event(
        engine,
        W10 + timedelta(days=2),
        "ASSAULT",
        areas=[DIPLO, SECURITY],
        actors=[("Serb group", "SRB")],
        recipients=[("Kosovo Police", "XKX"), ("KFOR", "IGO")],
        credibility=0.8,
    )
    add_event(
        engine,
        W10 + timedelta(days=6),  # Sunday: still W10
        "COOPERATE",
        areas=[SECURITY],
        actors=[("United States", "USA")],
        recipients=[("Kosovo", "XKX")],
    )
    add_event(engine, W10 + timedelta(days=1), "CONSULT", areas=[DIPLO], modality="future")
    add_event(engine, W10 + timedelta(days=1), "CONSULT", areas=[DIPLO], status="duplicate")
    # undated: the document's publication day counts; no recipient, no area; not yet scored
    add_event(
        engine,
        None,
        "AGREE",
        published=W10 + timedelta(days=3),
        recipients=[],
        credibility=None,
    )
    add_event(engine, W11, "CONSULT", areas=[DIPLO], credibility=0.25)
    add_event(engine, date(2025, 4, 1), "CONSULT", areas=[DIPLO])  # outside the window


def test_weekly_counts_per_cut(engine: Engine) -> None:
    _week_store(engine)
    until = W11 + timedelta(days=6)

    everything = weekly_stats(engine, W10, until)
    assert list(everything) == [(None, None)]
    w10 = everything[(None, None)][W10]
    # the CONSULT (0.5), ASSAULT (0.8), COOPERATE (1.0) and the undated AGREE (unscored: 1.0)
    assert w10.events == 4
    assert w10.weighted == pytest.approx(3.3)
    assert w10.mean_score == pytest.approx((2.5 - 9.0 + 9.5 + 2.5) / 4)
    assert w10.quad == [2, 1, 0, 1]
    assert w10.week == "2025-W10"
    assert everything[(None, None)][W11].events == 1

    by_area = weekly_stats(engine, W10, until, by_area=True)
    assert set(by_area) == {(DIPLO, None), (SECURITY, None)}  # the AGREE has no area
    assert by_area[(DIPLO, None)][W10].events == 2
    assert by_area[(DIPLO, None)][W10].weighted == pytest.approx(1.3)
    assert by_area[(DIPLO, None)][W10].quad == [1, 0, 0, 1]
    assert by_area[(SECURITY, None)][W10].weighted == pytest.approx(1.8)
    assert by_area[(DIPLO, None)][W11].weighted == pytest.approx(0.25)

    by_pair = weekly_stats(engine, W10, W10 + timedelta(days=6), by_pair=True)
    counts = {pair: weeks[W10].events for (_a, pair), weeks in by_pair.items() if pair}
    # the ASSAULT (SRB against XKX and IGO) makes three pairs; the AGREE is domestic
    assert counts == {
        ("SRB", "XKX"): 2,
        ("IGO", "SRB"): 1,
        ("IGO", "XKX"): 1,
        ("USA", "XKX"): 1,
        ("XKX", "XKX"): 1,
    }

    conflict = weekly_stats(engine, W10, until, pair=("SRB", "XKX"), quad=4)
    assert conflict[(None, ("SRB", "XKX"))][W10].events == 1
    assert conflict[(None, ("SRB", "XKX"))][W10].weighted == pytest.approx(0.8)

    both = weekly_stats(engine, W10, until, area=DIPLO, by_pair=True)
    assert both[(DIPLO, ("SRB", "XKX"))][W10].events == 2
    assert both[(DIPLO, ("SRB", "XKX"))][W11].events == 1

    assert latest_day(engine, today=date(2025, 3, 31)) == W11
    assert latest_day(engine, today=date(2025, 6, 1)) == date(2025, 4, 1)


def test_iso_weeks_across_the_new_year(engine: Engine) -> None:
    add_event(engine, date(2024, 12, 30), "CONSULT", areas=[DIPLO])
    add_event(engine, date(2025, 1, 5), "CONSULT", areas=[DIPLO])
    add_event(engine, date(2024, 12, 29), "CONSULT", areas=[DIPLO])
    weeks = weekly_stats(engine, date(2024, 12, 1), date(2025, 1, 31))[(None, None)]
    assert {m.isoformat(): (w.week, w.events) for m, w in weeks.items()} == {
        "2024-12-23": ("2024-W52", 1),
        "2024-12-30": ("2025-W01", 2),
    }


def _steady_then(engine: Engine, per_week: int, current: int) -> None:
    """``per_week`` USA-XKX exercises in each of the 8 weeks before W10, ``current`` in W10."""
    for week in range(1, 9):
        for i in range(per_week):
            add_event(
                engine,
                W10 - timedelta(weeks=week) + timedelta(days=i % 5),
                "COOPERATE",
                areas=[EXERCISES],
                actors=[("United States", "USA")],
                recipients=[("Kosovo", "XKX")],
            )
    for i in range(current):
        add_event(
            engine,
            W10 + timedelta(days=i % 5),
            "COOPERATE",
            areas=[EXERCISES],
            actors=[("United States", "USA")],
            recipients=[("Kosovo", "XKX")],
        )


def test_a_rise_over_the_baseline_is_a_change(engine: Engine) -> None:
    _steady_then(engine, per_week=1, current=5)
    [series] = indicator_series(engine, W10 + timedelta(days=6), weeks=1, area=EXERCISES)
    [week] = series.weeks
    assert (week.stats.week, week.stats.events) == ("2025-W10", 5)
    change = week.change
    assert change.baseline_mean == pytest.approx(1.0)
    assert change.baseline_sd == pytest.approx(0.0)
    # P(X >= 5 | λ = 1) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24)
    assert change.p_up == pytest.approx(1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24))
    assert change.p_up == pytest.approx(0.0036598, abs=1e-7)
    assert change.direction == "up"
    assert change.ratio == pytest.approx(5.0)

    sunday = W10 + timedelta(days=6)
    [by_pair] = indicator_series(engine, sunday, weeks=1, pair=parse_pair("XKX-USA"))
    assert by_pair.weeks[0].change.direction == "up"
    # the same rise is not significant at a stricter alpha
    strict = ChangeTest(alpha=0.001)
    [series] = indicator_series(engine, sunday, weeks=1, area=EXERCISES, test=strict)
    assert series.weeks[0].change.direction == "steady"


def test_a_fall_needs_a_baseline_worth_falling_from(engine: Engine) -> None:
    _steady_then(engine, per_week=5, current=0)
    add_event(engine, W10, "CONSULT", areas=[DIPLO])  # the store goes on: W10 is covered
    [series] = indicator_series(engine, W10, weeks=1, area=EXERCISES)
    change = series.weeks[0].change
    assert change.p_down == pytest.approx(math.exp(-5))  # P(X <= 0 | λ = 5) ≈ 0.0067
    assert change.direction == "down"
    # four a week: e^-4 ≈ 0.018, not below 0.01
    before = [WeekStats(W10, 4, 4.0) for _ in range(8)]
    assert change_test(WeekStats(W10), before).direction == "steady"


def test_too_little_history_is_untested(engine: Engine) -> None:
    for i in range(6):
        add_event(engine, W10 + timedelta(days=i % 5), "ASSAULT", areas=[SECURITY])
    add_event(engine, W10 - timedelta(weeks=2), "CONSULT", areas=[DIPLO])
    [series] = indicator_series(engine, W10, weeks=1, area=SECURITY)
    # the store starts two weeks before W10: two baseline weeks, fewer than four
    assert series.weeks[0].change.direction == "untested"
    assert series.weeks[0].change.baseline_mean is None


def test_a_new_pair_needs_three_events_over_the_floor() -> None:
    zero = [WeekStats(W10 - timedelta(weeks=w)) for w in range(1, 9)]
    two = change_test(WeekStats(W10, 2, 2.0), zero)
    three = change_test(WeekStats(W10, 3, 3.0), zero)
    assert two.expected == three.expected == 0.25  # the floor, not zero
    assert two.direction == "steady"  # fewer than min_count events
    assert three.p_up == pytest.approx(_exact_upper(3, 0.25))  # ≈ 0.0022
    assert three.direction == "up"
    # three doubtful reports weigh 1.2: P(X >= 1.2 | 0.25) is no change
    doubtful = change_test(WeekStats(W10, 3, 1.2), zero)
    assert doubtful.direction == "steady"


def test_empty_store(engine: Engine) -> None:
    add_document(engine, published=W10)
    assert weekly_stats(engine, W10, W11) == {}
    assert indicator_series(engine, W11, weeks=4, by_area=True) == []
    assert latest_day(engine) is None
