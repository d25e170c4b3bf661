"""Calibrating the base of credibility: how often an event coded with a given extraction
confidence is right, fitted on gold sentences.

The pipeline's ``confidence`` is a rule score, not a probability. Platt scaling turns it
into one: ``p = 1 / (1 + exp(-(slope * confidence + intercept)))``, with ``slope`` and
``intercept`` fitted by maximum likelihood (Newton's method: two parameters do not
justify a machine-learning dependency) on every event the pipeline codes in the gold
sentences, labelled right when the gold annotation of that sentence has an event of the
same PLOVER type.

Fit on the development split (``tests/gold/extraction-dev.jsonl``) together with the
paraphrase check set (``tests/data/event_paraphrases.jsonl``, one labelled event a
sentence, written after the rules): the rules were tuned on the development split, so it
alone would make the probabilities too high on unseen text. The frozen test split may be
*scored* (reliability, Brier score) but never fitted on. The fitted parameters live in
``verify/data/calibration.yaml``; refit with

    .venv/bin/python -m pactwatch.verify.calibration \
        tests/gold/extraction-dev.jsonl tests/data/event_paraphrases.jsonl --write
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from spacy.language import Language

from pactwatch.errors import MalformedInput
from pactwatch.evaluate import GoldSentence, _documents, load_gold
from pactwatch.extract import extract_documents
from pactwatch.yaml_load import safe_load

PARAMETERS_FILE = Path(__file__).resolve().parent / "data" / "calibration.yaml"


@dataclass(frozen=True, slots=True)
class Platt:
    slope: float
    intercept: float

    def probability(self, confidence: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.slope * confidence + self.intercept)))


@dataclass(frozen=True, slots=True)
class Reliability:
    """How well predicted probabilities match outcomes on one set of coded events."""

    events: int
    right: int
    brier: float  # mean squared error of the probabilities; lower is better
    expected_calibration_error: float  # mean |predicted - observed| over 5 bins, weighted
    bins: list[tuple[float, float, int, float]]  # (low, high, events, observed rate)


def labelled_events(sentences: Sequence[GoldSentence], nlp: Language) -> list[tuple[float, bool]]:
    """(confidence, right) for every event coded in the annotated part of each sentence."""
    out: list[tuple[float, bool]] = []
    for s, x in zip(sentences, extract_documents(_documents(list(sentences)), nlp), strict=True):
        offset = len(s.context) + 1 if s.context else 0
        gold_types = {e["event"] for e in s.events}
        for event in x.events:
            if any(m.sentence_end > offset for m in event.mentions):
                out.append((event.confidence, event.event in gold_types))
    return out


def fit_platt(samples: Sequence[tuple[float, bool]], iterations: int = 50) -> Platt:
    """Maximum-likelihood logistic fit of right ~ confidence (with a tiny ridge term so a
    perfectly separable sample still converges)."""
    a, b = 1.0, 0.0
    ridge = 1e-3
    for _ in range(iterations):
        g_a = g_b = h_aa = h_ab = h_bb = 0.0
        for x, y in samples:
            p = 1.0 / (1.0 + math.exp(-(a * x + b)))
            r = p - (1.0 if y else 0.0)
            w = p * (1.0 - p)
            g_a += r * x
            g_b += r
            h_aa += w * x * x
            h_ab += w * x
            h_bb += w
        g_a += ridge * a
        h_aa += ridge
        h_bb += ridge
        det = h_aa * h_bb - h_ab * h_ab
        if det <= 0:
            break
        step_a = (h_bb * g_a - h_ab * g_b) / det
        step_b = (h_aa * g_b - h_ab * g_a) / det
        a, b = a - step_a, b - step_b
        if abs(step_a) + abs(step_b) < 1e-9:
            break
    return Platt(round(a, 4), round(b, 4))


def reliability(samples: Sequence[tuple[float, bool]], model: Platt | None) -> Reliability:
    """Brier score and binned calibration; ``model`` None scores the raw confidence."""
    predicted = [(model.probability(x) if model else min(1.0, max(0.0, x)), y) for x, y in samples]
    n = len(predicted)
    brier = sum((p - (1.0 if y else 0.0)) ** 2 for p, y in predicted) / n if n else 0.0
    bins: list[tuple[float, float, int, float]] = []
    ece = 0.0
    for k in range(5):
        low, high = k / 5, (k + 1) / 5
        inside = [(p, y) for p, y in predicted if low <= p < high or (k == 4 and p == 1.0)]
        if not inside:
            continue
        observed = sum(1 for _, y in inside if y) / len(inside)
        mean_p = sum(p for p, _ in inside) / len(inside)
        ece += abs(mean_p - observed) * len(inside) / n
        bins.append((low, high, len(inside), round(observed, 3)))
    return Reliability(n, sum(1 for _, y in samples if y), round(brier, 4), round(ece, 4), bins)


def load_sentences(path: Path) -> list[GoldSentence]:
    """Gold sentences, or a check set with one labelled ``event`` (or null) a sentence."""
    first = path.read_text(encoding="utf-8").lstrip().split("\n", 1)[0]
    if '"events"' in first:
        return load_gold(path)
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            published = record.get("published")
            out.append(
                GoldSentence(
                    id=f"{path.stem}:{number}",
                    text=str(record["text"]),
                    context=None,
                    published=date.fromisoformat(published) if published else None,
                    events=[{"event": record["event"]}] if record.get("event") else [],
                    areas=[],
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise MalformedInput(f"{path}:{number}: not a labelled sentence ({exc})") from exc
    return out


def load_platt(path: Path = PARAMETERS_FILE) -> Platt:
    data = safe_load(path.read_text(encoding="utf-8"))
    return Platt(float(data["slope"]), float(data["intercept"]))


def write_platt(model: Platt, fitted_on: list[str], report: Reliability, path: Path) -> None:
    header = (
        "# Written by `python -m pactwatch.verify.calibration ... --write`; do not edit.\n"
        "# Platt scaling of the extraction confidence (see verify/calibration.py).\n"
    )
    data = {
        "slope": model.slope,
        "intercept": model.intercept,
        "fitted_on": fitted_on,
        "fitted": date.today().isoformat(),
        "events": report.events,
        "right": report.right,
        "brier": report.brier,
        "expected_calibration_error": report.expected_calibration_error,
    }
    path.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", type=Path, nargs="+", help="gold or check-set JSONL files")
    parser.add_argument("--write", action="store_true", help="store the fitted parameters")
    parser.add_argument("--score-only", action="store_true", help="score the stored model")
    args = parser.parse_args(argv)
    from pactwatch.nlp.pipeline import shared_pipeline

    sentences = [s for path in args.gold for s in load_sentences(path)]
    samples = labelled_events(sentences, shared_pipeline())
    model = load_platt() if args.score_only else fit_platt(samples)
    raw, fitted = reliability(samples, None), reliability(samples, model)
    names = [p.name for p in args.gold]
    print(f"{', '.join(names)}: {fitted.events} coded events, {fitted.right} right")
    print(f"raw confidence:  Brier {raw.brier}  ECE {raw.expected_calibration_error}")
    print(f"Platt {model}:  Brier {fitted.brier}  ECE {fitted.expected_calibration_error}")
    for low, high, count, observed in fitted.bins:
        print(f"  predicted {low:.1f}-{high:.1f}: {count:4d} events, {observed:.0%} right")
    if args.write and not args.score_only:
        write_platt(model, names, fitted, PARAMETERS_FILE)
        print(f"written to {PARAMETERS_FILE}")


if __name__ == "__main__":
    main()
