"""Where the fixed cost of a run goes (issue 14 point 4): each piece timed in a fresh interpreter,
medians of --repeat runs (each step includes the ones before it; the table shows the increments).

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_fixed_cost.py [--repeat 3]

Steps: interpreter start; `import pipeline.cli`; the NLP module (spaCy, scispaCy, pysbd);
pdfplumber; Prefect; the flows module; loading the rules; building the spaCy pipeline
(tokenizer, lexicon patterns); one short review through ingest, NLP and extraction.
The Prefect temporary server's start-up is the rest of an empty-corpus run (scripts/bench_scale.py).
Times are measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STEPS = [
    ("interpreter start", "pass"),
    ("import pipeline.cli", "import pipeline.cli"),
    ("import pipeline.nlp (spaCy, scispaCy, pysbd)", "import pipeline.nlp"),
    ("import pipeline.ingest.pdf (pdfplumber)", "import pipeline.ingest.pdf"),
    ("import prefect", "import prefect"),
    ("import pipeline.flows", "import pipeline.flows"),
    ("load rules", "from pipeline.config import Settings; from pipeline.rules import load_rules; "
                   "s = Settings.resolve(); r = load_rules(s.rules_dir)"),
    ("build the spaCy pipeline", "from pipeline.nlp import get_pipelines; p = get_pipelines(s, r)"),
    ("one review: ingest, NLP, extraction",
     "from pipeline.ingest import file_to_document; from pipeline.nlp import annotate_document; "
     "from pipeline.extract import annotated_to_mentions; "
     "d = file_to_document(s.corpus / '001_d9b16c41351ece26.txt', s.corpus, s, r); "
     "m = annotated_to_mentions(annotate_document(d, p, r), r)"),
]


def timed(code: str) -> tuple[float, float]:
    """(wall, CPU) seconds of a fresh interpreter running `code`, as the parent sees them. On a busy
    shared machine the CPU time is the figure to read (wall time there mostly measures waiting)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f"bench: step failed:\n{code}\n{r.stderr[-2000:]}")
    return wall, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(f"load {os.getloadavg()[0]:.1f}; median of {args.repeat} fresh interpreters per row")
    print(f"{'step':48} {'wall s':>8} {'CPU s':>8} {'CPU +s':>8}")
    code, prev = "", 0.0
    for name, line in STEPS:
        code = (code + "\n" + line) if code else line
        runs = [timed(code) for _ in range(args.repeat)]
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{name:48} {wall:8.2f} {cpu:8.2f} {cpu - prev:8.2f}", flush=True)
        prev = cpu
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
