"""Poisson tail probabilities for the indicators' change test, without scipy.

``P(X >= k)`` for ``X ~ Poisson(lam)`` equals the regularised lower incomplete gamma
function ``P(k, lam)``; that form also takes a non-integer ``k``, which is what a
credibility-weighted count is (``docs/indicators.md`` says why that is a fair use).
The series and continued fraction are the textbook ones (Numerical Recipes, 6.2).
"""

from __future__ import annotations

import math

_EPS = 1e-14
_TINY = 1e-300
_MAX_ITERATIONS = 10_000


def _lower_regularised_gamma(a: float, x: float) -> float:
    """``P(a, x) = γ(a, x) / Γ(a)`` for ``a > 0``, ``x >= 0``."""
    if x <= 0.0:
        return 0.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        n = a
        for _ in range(_MAX_ITERATIONS):
            n += 1.0
            term *= x / n
            total += term
            if abs(term) < abs(total) * _EPS:
                break
        return min(1.0, total * math.exp(log_front))
    # Continued fraction for Q(a, x) = 1 - P(a, x), modified Lentz.
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITERATIONS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def poisson_upper_tail(k: float, lam: float) -> float:
    """``P(X >= k)`` for ``X ~ Poisson(lam)``; 1 when ``k <= 0``."""
    if k <= 0.0:
        return 1.0
    if lam <= 0.0:
        return 0.0
    return _lower_regularised_gamma(k, lam)


def poisson_lower_tail(k: float, lam: float) -> float:
    """``P(X <= k)`` for ``X ~ Poisson(lam)``."""
    if k < 0.0:
        return 0.0
    if lam <= 0.0:
        return 1.0
    return 1.0 - _lower_regularised_gamma(k + 1.0, lam)
