"""Credibility: the log-odds model, its reasons, overrides, and the calibration fit."""

from __future__ import annotations

import math

import pytest

from pactwatch.verify.calibration import Platt, fit_platt, load_platt, reliability
from pactwatch.verify.credibility import (
    EventEvidence,
    Override,
    document_credibility,
    event_credibility,
    load_weights,
)


def test_a_clean_corroborated_event_scores_higher_than_a_single_source() -> None:
    alone = event_credibility(EventEvidence(confidence=0.9, modality="factual"))
    told_thrice = event_credibility(
        EventEvidence(confidence=0.9, modality="factual", independent_sources=3)
    )
    assert told_thrice.score > alone.score
    assert any(
        r.factor == "corroboration" and "3 independent" in r.text for r in told_thrice.reasons
    )


def test_every_doubt_lowers_the_score_and_is_given_as_a_reason() -> None:
    clean = event_credibility(EventEvidence(confidence=0.9, modality="factual"))
    doubted = event_credibility(
        EventEvidence(
            confidence=0.9,
            modality="factual",
            document_flags=["undated", "templated_text", "role_conflicts_with_reference"],
            participant_in_conflict=True,
        )
    )
    assert doubted.score < 0.5 < clean.score
    factors = {r.factor for r in doubted.reasons}
    assert {"undated", "templated_text", "role_conflicts_with_reference"} <= factors
    assert "participant_in_conflict" in factors


def test_repeated_flags_of_one_kind_are_capped() -> None:
    weights = load_weights()
    first, _, cap = weights.flags["role_conflicts_with_reference"]
    many = document_credibility(["role_conflicts_with_reference"] * 12)
    (reason,) = [r for r in many.reasons if r.factor == "role_conflicts_with_reference"]
    assert reason.weight == cap
    assert "12 flags" in reason.text
    one = document_credibility(["role_conflicts_with_reference"])
    assert one.reasons[0].weight == first


@pytest.mark.parametrize("modality", ["future", "hypothetical", "negated"])
def test_what_did_not_happen_weighs_less_than_what_did(modality: str) -> None:
    factual = event_credibility(EventEvidence(confidence=0.9, modality="factual"))
    other = event_credibility(EventEvidence(confidence=0.9, modality=modality))
    assert other.score < factual.score
    assert any(r.factor == "modality" and modality in r.text for r in other.reasons)


def test_an_override_replaces_the_score_and_keeps_the_computed_one() -> None:
    override = Override(0.95, "analyst1", "confirmed by the embassy", "2026-11-27T10:00:00")
    scored = event_credibility(
        EventEvidence(
            confidence=0.5, modality="factual", document_flags=["undated"], override=override
        )
    )
    assert scored.score == 0.95
    first = scored.reasons[0]
    assert first.factor == "analyst_override"
    assert "analyst1" in first.text and "confirmed by the embassy" in first.text
    assert "computed" in first.text
    assert any(r.factor == "undated" for r in scored.reasons)  # the other reasons stay


def test_scores_stay_between_zero_and_one_whatever_piles_up() -> None:
    worst = event_credibility(
        EventEvidence(
            confidence=0.0,
            modality="negated",
            document_flags=list(load_weights().flags) * 5,
            participant_in_conflict=True,
        )
    )
    best = event_credibility(
        EventEvidence(confidence=1.0, modality="factual", independent_sources=64)
    )
    assert 0.0 <= worst.score < 0.01
    assert 0.9 < best.score <= 1.0


def test_platt_fit_recovers_a_known_logistic_relation() -> None:
    # Outcomes drawn deterministically from p = sigmoid(4x - 2) on a grid.
    samples = []
    for i in range(1, 100):
        x = i / 100
        p = 1 / (1 + math.exp(-(4 * x - 2)))
        right = round(p * 20)
        samples += [(x, True)] * right + [(x, False)] * (20 - right)
    model = fit_platt(samples)
    assert model.slope == pytest.approx(4.0, abs=0.4)
    assert model.intercept == pytest.approx(-2.0, abs=0.3)
    assert reliability(samples, model).brier <= reliability(samples, Platt(1.0, 0.0)).brier


def test_the_stored_calibration_is_a_fitted_increasing_curve() -> None:
    model = load_platt()
    assert model.slope > 0  # higher extraction confidence, more often right
    assert 0.0 < model.probability(0.5) < model.probability(0.9) < 1.0
