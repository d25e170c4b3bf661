"""Charts drawn on the server as SVG: no JavaScript, no chart library, no CDN.

Each function returns an ``<svg>`` element as ``Markup`` for a template. Every chart has
a ``<title>`` and a ``<desc>`` (referenced by ``aria-labelledby``), text labels on its
axes and legend, and colours given as presentation attributes (``fill``), which the
dashboard's Content-Security-Policy (``default-src 'self'``) allows where inline styles
would be refused. The same input always draws the same picture (the network layout is
a seeded force layout), so pages are stable and testable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

# Colour-blind-safe palette (Okabe-Ito, then Tableau's extra tones) for up to 12 series.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#8C564B",
    "#7F7F7F",
    "#17BECF",
    "#BCBD22",
)
COOPERATION = "#0072B2"
CONFLICT = "#D55E00"
FONT = 'font-family="system-ui, sans-serif"'


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{_e(chart_id)}" '
        f'viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(description)}</desc>',
    ]


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def series_colours(names: Sequence[str]) -> dict[str, str]:
    """A colour per series name, in the given order (legends use the same)."""
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def stacked_bars(
    buckets: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 760,
    height: int = 300,
) -> Markup:
    """One bar per bucket (a week or a month), stacked by series (cooperation areas),
    with a y axis, bucket labels and a legend. ``series[name][i]`` is bucket i's value."""
    names = list(series)
    colours = series_colours(names)
    legend_rows = math.ceil(len(names) / 3) if names else 0
    left, right, top, bottom = 44, 10, 10, 44 + 18 * legend_rows
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(series[n][i] for n in names) for i in range(len(buckets))]
    y_max = _nice_max(max(totals, default=0))
    parts = _open(chart_id, width, height, title, description)
    for step in range(5):  # grid lines and y labels
        value = y_max * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" {FONT}>'
            f"{_number(value)}</text>"
        )
    if not buckets:
        parts.append(
            f'<text x="{width / 2}" y="{top + plot_h / 2}" text-anchor="middle" {FONT}>'
            "No events in this selection</text>"
        )
    slot = plot_w / max(len(buckets), 1)
    bar = max(slot * 0.8, 1.0)
    label_every = max(1, math.ceil(len(buckets) / 12))
    for i, bucket in enumerate(buckets):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for name in names:
            value = series[name][i]
            if value <= 0:
                continue
            h = plot_h * value / y_max
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colours[name]}"><title>{_e(bucket)} · {_e(name)}: '
                f"{_number(value)}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                f'font-size="10" {FONT}>{_e(bucket)}</text>'
            )
    for j, name in enumerate(names):  # legend, three per row
        lx = left + (j % 3) * (plot_w / 3)
        ly = height - 18 * legend_rows + 18 * (j // 3) + 4
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly}" width="12" height="12" fill="{colours[name]}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly + 10}" font-size="11" {FONT}>{_e(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text is escaped above


@dataclass(frozen=True, slots=True)
class BalanceRow:
    label: str
    cooperation: int
    conflict: int
    mean_score: float | None


def balance_bars(
    rows: Sequence[BalanceRow],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 760,
) -> Markup:
    """Per country pair, conflict events as a bar to the left of a centre line and
    cooperation events to the right, with both counts and the mean PLOVER score."""
    row_h, top, label_w, score_w = 24, 24, 110, 90
    height = top + row_h * max(len(rows), 1) + 8
    centre = label_w + (width - label_w - score_w) / 2
    half = (width - label_w - score_w) / 2 - 30
    peak = max([max(r.cooperation, r.conflict) for r in rows] or [1]) or 1
    parts = _open(chart_id, width, height, title, description)
    parts.append(
        f'<text x="{centre - 6:.1f}" y="14" text-anchor="end" font-size="11" fill="{CONFLICT}" '
        f'{FONT}>◀ conflict</text><text x="{centre + 6:.1f}" y="14" font-size="11" '
        f'fill="{COOPERATION}" {FONT}>cooperation ▶</text>'
        f'<text x="{width - 4}" y="14" text-anchor="end" font-size="11" {FONT}>mean score</text>'
    )
    if not rows:
        parts.append(
            f'<text x="{centre:.1f}" y="{top + 14}" text-anchor="middle" {FONT}>'
            "No country pairs in this selection</text>"
        )
    for i, r in enumerate(rows):
        y = top + i * row_h
        conflict_w = half * r.conflict / peak
        coop_w = half * r.cooperation / peak
        score = "–" if r.mean_score is None else f"{r.mean_score:+.1f}"
        parts.append(
            f'<text x="4" y="{y + 15}" font-size="12" {FONT}>{_e(r.label)}</text>'
            f'<rect x="{centre - conflict_w:.1f}" y="{y + 3}" width="{conflict_w:.1f}" '
            f'height="{row_h - 8}" fill="{CONFLICT}"><title>{_e(r.label)}: {r.conflict} '
            f"conflict events</title></rect>"
            f'<rect x="{centre:.1f}" y="{y + 3}" width="{coop_w:.1f}" height="{row_h - 8}" '
            f'fill="{COOPERATION}"><title>{_e(r.label)}: {r.cooperation} cooperation '
            f"events</title></rect>"
            f'<text x="{centre - conflict_w - 4:.1f}" y="{y + 15}" text-anchor="end" '
            f'font-size="11" {FONT}>{r.conflict}</text>'
            f'<text x="{centre + coop_w + 4:.1f}" y="{y + 15}" font-size="11" {FONT}>'
            f"{r.cooperation}</text>"
            f'<text x="{width - 4}" y="{y + 15}" text-anchor="end" font-size="11" {FONT}>'
            f"{score}</text>"
        )
    parts.append(
        f'<line x1="{centre:.1f}" x2="{centre:.1f}" y1="{top - 4}" y2="{height - 4}" '
        f'stroke="#333"/></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 - every piece of text is escaped above


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    label: str
    weight: int
    href: str | None = None
    group: str = ""


def force_layout(
    node_ids: Sequence[int], edges: Sequence[tuple[int, int, int]], iterations: int = 200
) -> dict[int, tuple[float, float]]:
    """Positions in the unit square by Fruchterman-Reingold, started on a circle in id
    order: no randomness, so the same graph always gets the same picture."""
    ids = sorted(node_ids)
    n = len(ids)
    if n == 0:
        return {}
    if n == 1:
        return {ids[0]: (0.5, 0.5)}
    pos = {
        v: [0.5 + 0.4 * math.cos(2 * math.pi * i / n), 0.5 + 0.4 * math.sin(2 * math.pi * i / n)]
        for i, v in enumerate(ids)
    }
    k = math.sqrt(1.0 / n)
    strength = {(s, t): 1.0 + math.log1p(w) for s, t, w in edges if s in pos and t in pos}
    temperature = 0.1
    for _ in range(iterations):
        move = {v: [0.0, 0.0] for v in ids}
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = max(math.hypot(dx, dy), 1e-3)
                push = k * k / dist
                move[a][0] += dx / dist * push
                move[a][1] += dy / dist * push
                move[b][0] -= dx / dist * push
                move[b][1] -= dy / dist * push
        for (a, b), s in strength.items():
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 1e-3)
            pull = dist * dist / k * s
            move[a][0] -= dx / dist * pull
            move[a][1] -= dy / dist * pull
            move[b][0] += dx / dist * pull
            move[b][1] += dy / dist * pull
        for v in ids:
            length = max(math.hypot(*move[v]), 1e-9)
            step = min(length, temperature)
            pos[v][0] += move[v][0] / length * step
            pos[v][1] += move[v][1] / length * step
        temperature = max(temperature * 0.98, 0.002)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {v: ((p[0] - min(xs)) / span_x, (p[1] - min(ys)) / span_y) for v, p in pos.items()}


def network(
    nodes: Sequence[Node],
    edges: Sequence[tuple[int, int, int]],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 760,
    height: int = 520,
) -> Markup:
    """Actors as labelled circles (area by weight, linked to their profile) and shared
    events as lines (thicker for more), laid out by ``force_layout``."""
    margin = 70
    layout = force_layout([n.id for n in nodes], edges)
    groups = sorted({n.group for n in nodes})
    colours = series_colours(groups)

    def at(v: int) -> tuple[float, float]:
        x, y = layout[v]
        return margin + x * (width - 2 * margin), 30 + y * (height - 60)

    peak_edge = max((w for _, _, w in edges), default=1)
    peak_node = max((n.weight for n in nodes), default=1) or 1
    parts = _open(chart_id, width, height, title, description)
    if not nodes:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" {FONT}>'
            "No actors in this selection</text>"
        )
    for s, t, w in edges:
        if s not in layout or t not in layout:
            continue
        (x1, y1), (x2, y2) = at(s), at(t)
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#999" '
            f'stroke-opacity="0.6" stroke-width="{1 + 4 * w / peak_edge:.1f}"><title>{w} '
            f"shared events</title></line>"
        )
    for n in sorted(nodes, key=lambda n: n.id):
        x, y = at(n.id)
        r = 4 + 10 * math.sqrt(n.weight / peak_node)
        circle = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colours[n.group]}" '
            f'stroke="#fff"><title>{_e(n.label)}: {n.weight} events</title></circle>'
            f'<text x="{x:.1f}" y="{y - r - 3:.1f}" text-anchor="middle" font-size="11" '
            f"{FONT}>{_e(n.label)}</text>"
        )
        parts.append(f'<a href="{_e(n.href)}">{circle}</a>' if n.href else circle)
    for j, group in enumerate(g for g in groups if g):
        parts.append(
            f'<rect x="{8 + j * 110}" y="{height - 16}" width="10" height="10" '
            f'fill="{colours[group]}"/><text x="{22 + j * 110}" y="{height - 7}" '
            f'font-size="11" {FONT}>{_e(group)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text is escaped above


def sparkline(
    values: Sequence[float],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 160,
    height: int = 32,
) -> Markup:
    """A small line of ``values`` (e.g. events per month) with its peak labelled."""
    parts = _open(chart_id, width, height, title, description)
    if values:
        peak = max(values) or 1
        step = (width - 30) / max(len(values) - 1, 1)
        points = " ".join(
            f"{i * step:.1f},{height - 4 - (height - 8) * v / peak:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{COOPERATION}" '
            f'stroke-width="1.5"/><text x="{width - 2}" y="{height / 2 + 4}" '
            f'text-anchor="end" font-size="10" {FONT}>{_number(peak)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text is escaped above
