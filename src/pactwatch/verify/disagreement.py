"""Where the sources of one cluster (``verify.clustering``) disagree, and the flag on a
near copy of another outlet's story.

Disagreements: for each pair of documents in a cluster, figures of the same measure and
noun class (``verify.figures``) whose headline values cannot both be right, allowing for
"about", "at least" and the like; and directly linked events placed in different towns.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pactwatch.verify.clustering import CopyRef, EventCluster, EventRecord
from pactwatch.verify.figures import Figure, figures_in, measure_family, noun_class
from pactwatch.verify.flags import Evidence, Flag, span_evidence

__all__ = [
    "APPROXIMATE_TOLERANCE",
    "disagreement_flags",
    "figures_compatible",
    "respun_copy_flag",
]

_FIGURE_MEASURES = {
    "injured", "killed", "arrested", "deployed", "involved", "abducted", "evacuated",
    "displaced", "missing",
}  # fmt: skip
# Qualifiers: the interval a stated figure allows, as (low, high) factors of the value.
_LOWER_BOUNDS = {"at least", "more than", "over"}
_UPPER_BOUNDS = {"up to", "nearly", "almost", "fewer than", "less than", "at most", "as many as"}
APPROXIMATE_TOLERANCE = 0.25  # "about 30" allows 23..37


def _bounds(figure: Figure) -> tuple[float, float]:
    value = float(figure.value)
    qualifier = figure.qualifier or ""
    if qualifier in _LOWER_BOUNDS:
        return value, math.inf
    if qualifier in _UPPER_BOUNDS:
        return value * (1 - APPROXIMATE_TOLERANCE), value
    if figure.approximate:
        slack = max(2.0, value * APPROXIMATE_TOLERANCE)
        return value - slack, value + slack
    return value, value


def figures_compatible(a: Figure, b: Figure) -> bool:
    """Whether two stated figures can both be right ("about 30" and "32" can)."""
    low_a, high_a = _bounds(a)
    low_b, high_b = _bounds(b)
    return low_a <= high_b and low_b <= high_a


FigureKey = tuple[str, str, str]  # measure family, noun class, group


@dataclass(frozen=True, slots=True)
class _Stated:
    figure: Figure
    record: EventRecord


def _document_figures(members: Iterable[EventRecord]) -> dict[str, dict[FigureKey, list[_Stated]]]:
    """Per document, the comparable figures its factual mentions state."""
    out: dict[str, dict[FigureKey, list[_Stated]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[str, int]] = set()
    for record in members:
        if record.modality != "factual" or record.date_precision not in (None, "day"):
            continue  # a figure of a week or a month is a total, not this event's count
        for mention in record.mentions:
            for fig in figures_in(mention.text, offset=mention.start):
                if fig.measure not in _FIGURE_MEASURES or (record.document_id, fig.start) in seen:
                    continue
                seen.add((record.document_id, fig.start))
                key = (measure_family(fig.measure), noun_class(fig.noun), fig.group or "")
                out[record.document_id][key].append(_Stated(fig, record))
    return out


def _headline(stated: list[_Stated]) -> _Stated:
    """The figure a document gives as the total: its largest, then its first."""
    return max(stated, key=lambda s: (s.figure.value, -s.figure.start))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _outlet_name(record: EventRecord) -> str:
    if record.outlet and record.outlet.strip():
        return _one_line(record.outlet)
    return f"an unnamed source (document {record.document_id[:8]})"


def _said(fig: Figure) -> str:
    qualifier = f"{fig.qualifier} " if fig.qualifier else ""
    verb = {"involved": "were involved", "deployed": "were deployed"}.get(
        fig.measure, f"were {fig.measure}"
    )
    return f"{qualifier}{fig.value} {fig.noun} {verb}"


def _evidence(stated: _Stated, texts: Mapping[str, str]) -> Evidence:
    fig, doc = stated.figure, stated.record.document_id
    text = texts.get(doc)
    if text is not None and text[fig.start : fig.end] == fig.text:
        return span_evidence(text, fig.start, fig.end, document_id=doc)
    return Evidence("span", fig.text, start=fig.start, end=fig.end, document_id=doc)


def disagreement_flags(cluster: EventCluster, texts: Mapping[str, str] | None = None) -> list[Flag]:
    """``source_disagreement`` flags (warning) for one cluster: figures that cannot both
    be right, and directly linked events placed in different towns. Each flag sits on an
    event that carries one side of the disagreement; ``texts`` (document id -> text)
    gives evidence its line numbers."""
    texts = texts or {}
    flags: list[Flag] = []
    if len({m.document_id for m in cluster.members}) < 2:
        return flags
    by_doc = _document_figures(cluster.members)
    docs = sorted(by_doc)
    for x, doc_a in enumerate(docs):
        for doc_b in docs[x + 1 :]:
            for key in sorted(set(by_doc[doc_a]) & set(by_doc[doc_b])):
                flags.extend(_figure_flags(cluster, by_doc[doc_a][key], by_doc[doc_b][key], texts))
    flags.extend(_place_flags(cluster, texts))
    return flags


def _figure_flags(
    cluster: EventCluster, side_a: list[_Stated], side_b: list[_Stated], texts: Mapping[str, str]
) -> list[Flag]:
    head_a, head_b = _headline(side_a), _headline(side_b)
    if figures_compatible(head_a.figure, head_b.figure):
        return []
    # A total that the other document also states (as a part or in passing) is no clash.
    if any(figures_compatible(head_a.figure, s.figure) for s in side_b) or any(
        figures_compatible(head_b.figure, s.figure) for s in side_a
    ):
        return []
    fa, fb = head_a.figure, head_b.figure
    value_b = f"{fb.qualifier} {fb.value}" if fb.qualifier else str(fb.value)
    if noun_class(fa.noun) == noun_class(fb.noun) and fa.noun != fb.noun:
        value_b += f" {fb.noun}"
    explanation = (
        f"{_outlet_name(head_a.record)} says {_said(fa)}; "
        f"{_outlet_name(head_b.record)} says {value_b}"
    )
    evidence = [_evidence(head_a, texts), _evidence(head_b, texts)]
    details = {
        "cluster_id": cluster.id,
        "fact": "figure",
        "measure": measure_family(fa.measure),
        "noun_class": noun_class(fa.noun),
        "values": [
            {
                "document_id": s.record.document_id,
                "outlet": s.record.outlet,
                "value": s.figure.value,
                "text": s.figure.text,
                "approximate": s.figure.approximate,
            }
            for s in (head_a, head_b)
        ],
    }
    events = {head_a.record.event_id: head_a.record, head_b.record.event_id: head_b.record}
    return [
        Flag(
            "source_disagreement",
            "warning",
            explanation,
            evidence=list(evidence),
            document_id=record.document_id,
            event_id=event_id,
            details=dict(details),
        )
        for event_id, record in sorted(events.items())
    ]


def _place_evidence(record: EventRecord, texts: Mapping[str, str]) -> Evidence:
    """The sentence that places the event, as a span when the document text is known."""
    doc = record.document_id
    mention = record.mentions[0] if record.mentions else None
    if mention is None:
        return Evidence("document", record.place.name if record.place else "", document_id=doc)
    end = mention.start + len(mention.text)
    text = texts.get(doc)
    if text is not None and text[mention.start : end] == mention.text:
        return span_evidence(text, mention.start, end, document_id=doc)
    return Evidence("span", mention.text, start=mention.start, end=end, document_id=doc)


def _place_flags(cluster: EventCluster, texts: Mapping[str, str]) -> list[Flag]:
    by_id = {m.event_id: m for m in cluster.members}
    flags: list[Flag] = []
    for id_a, id_b, relation in cluster.links:
        a, b = by_id[id_a], by_id[id_b]
        if relation != "far" or a.place is None or b.place is None:
            continue
        explanation = (
            f"{_outlet_name(a)} places the event in {a.place.name}; "
            f"{_outlet_name(b)} in {b.place.name}"
        )
        details = {
            "cluster_id": cluster.id,
            "fact": "place",
            "values": [
                {"document_id": a.document_id, "outlet": a.outlet, "place": a.place.name},
                {"document_id": b.document_id, "outlet": b.outlet, "place": b.place.name},
            ],
        }
        evidence = [_place_evidence(a, texts), _place_evidence(b, texts)]
        flags.extend(
            Flag(
                "source_disagreement",
                "warning",
                explanation,
                evidence=list(evidence),
                document_id=r.document_id,
                event_id=r.event_id,
                details=dict(details),
            )
            for r in (a, b)
        )
    return flags


def respun_copy_flag(
    copy: CopyRef,
    *,
    original_outlet: str | None,
    original_title: str | None,
    similarity: float,
) -> Flag:
    """``respun_copy`` (info) on a near copy: which story it copies and from whom."""
    source = _one_line(original_outlet or "") or "another source"
    title = f' "{_one_line(original_title)}"' if original_title else ""
    by = _one_line(copy.outlet or "") or "an unnamed source"
    explanation = (
        f"{by} republished a near copy of {source}'s story{title} "
        f"({similarity:.0%} alike); it is not counted as another source"
    )
    return Flag(
        "respun_copy",
        "info",
        explanation,
        evidence=[
            Evidence("document", original_title or copy.original_id, document_id=copy.original_id)
        ],
        document_id=copy.document_id,
        details={
            "original_id": copy.original_id,
            "original_outlet": original_outlet,
            "copy_outlet": copy.outlet,
            "similarity": similarity,
        },
    )
