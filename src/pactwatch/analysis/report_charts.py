"""Inline SVG charts of the assessment report: drawn here, so the HTML file needs nothing else.

Two pictures: a weekly bar chart per cooperation area (height the credibility-weighted
count, colour the tone, the mean PLOVER score) and a comparison of every area's weighted
count with the previous period's. The PDF draws the same pictures with fpdf2 primitives
from the same numbers and the same ``tone_colour``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from pactwatch.analysis.indicators import WeekStats

if TYPE_CHECKING:
    from pactwatch.analysis.report import Assessment

TONE_SCALE = [  # (lowest mean score, colour, label)
    (2.0, "#2e7d32", "cooperative (score ≥ 2)"),
    (0.0, "#9ccc65", "mildly cooperative (0 to 2)"),
    (-2.0, "#ffb300", "mildly conflictual (−2 to 0)"),
    (-10.0, "#c62828", "conflictual (below −2)"),
]
NO_TONE = "#b0bec5"


def tone_colour(score: float | None) -> str:
    """The colour of a mean PLOVER score (grey when there is none)."""
    if score is None:
        return NO_TONE
    for lowest, colour, _label in TONE_SCALE:
        if score >= lowest:
            return colour
    return TONE_SCALE[-1][1]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _nice_max(value: float) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if value <= step:
            return float(step)
    return float(value)


def weekly_svg(weeks: list[WeekStats], width: int = 640, height: int = 150) -> str:
    """Bars per ISO week: height the weighted count, colour the tone."""
    left, bottom, top = 34, 22, 8
    plot_w, plot_h = width - left - 8, height - bottom - top
    peak = _nice_max(max((w.weighted for w in weeks), default=0.0) or 1.0)
    slot = plot_w / max(1, len(weeks))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="weekly weighted events">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" '
        'stroke="#607d8b" stroke-width="1"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" font-size="10">{peak:g}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" font-size="10">0</text>',
    ]
    for i, week in enumerate(weeks):
        h = plot_h * week.weighted / peak
        x = left + i * slot + slot * 0.1
        tip = (
            f"{week.week}: {week.events} events, weighted {week.weighted:.1f}, "
            f"tone {'—' if week.mean_score is None else f'{week.mean_score:+.1f}'}"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{h:.1f}" fill="{tone_colour(week.mean_score)}">'
            f"<title>{escape(tip)}</title></rect>"
        )
    if weeks:
        for i in sorted({0, len(weeks) // 2, len(weeks) - 1}):
            x = left + i * slot + slot / 2
            parts.append(
                f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" font-size="10">'
                f"{escape(weeks[i].week)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def comparison_svg(a: Assessment, width: int = 640) -> str:
    """Each active area's weighted count, this period (dark) against the previous (light)."""
    rows = a.active_areas
    label_w, row_h = 190, 26
    height = 24 + row_h * max(1, len(rows))
    peak = _nice_max(
        max([max(s.current.weighted, s.previous.weighted) for s in rows] or [1.0]) or 1.0
    )
    plot_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="areas against the previous '
        'period">',
        f'<rect x="{label_w}" y="4" width="10" height="10" fill="#37474f"/>'
        f'<text x="{label_w + 14}" y="13" font-size="10">{escape(a.period.label)}</text>'
        f'<rect x="{label_w + 90}" y="4" width="10" height="10" fill="#b0bec5"/>'
        f'<text x="{label_w + 104}" y="13" font-size="10">{escape(a.previous.label)}</text>',
    ]
    for i, s in enumerate(rows):
        y = 22 + i * row_h
        now_w = plot_w * s.current.weighted / peak
        before_w = plot_w * s.previous.weighted / peak
        mark = {"up": " ▲", "down": " ▼"}.get(s.change.direction, "")
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="11">'
            f"{escape(s.title)}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{now_w:.1f}" height="10" fill="#37474f"/>'
            f'<rect x="{label_w}" y="{y + 13}" width="{before_w:.1f}" height="7" fill="#b0bec5"/>'
            f'<text x="{label_w + max(now_w, before_w) + 4:.1f}" y="{y + 14}" font-size="10">'
            f"{s.current.weighted:.1f}{mark}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
