"""Where the fixed cost of a run goes (issue 14 point 4): each piece timed in a fresh interpreter,
medians of --repeat runs (each step includes the ones before it; the table shows the increments).

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_fixed_cost.py [--repeat 3] [--old DIR] [--runs-only]

Then the whole run (`python -m pipeline run` on a corpus of one short review, a fresh output root
each time, no PREFECT_API_URL: the run's temporary Prefect server included): wall and CPU time
(this process's children: the run, its Prefect server, its workers), medians of --repeat fresh
runs. With --old DIR (a copy of older code, e.g. `git archive main | tar -x -C DIR`) the old and
the new code run interleaved, in turns, so both see the same load.

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


def whole_run(code_root: Path, work: Path, tag: str, review: str) -> tuple[float, float]:
    """(wall, CPU) of one `python -m pipeline run` of `code_root` on one review into a fresh --out."""
    corpus, out = work / f"corpus-{tag}", work / f"out-{tag}"
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / review).write_bytes((ROOT / "corpus" / review).read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PYTHONPATH"] = str(code_root)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out)],
                       capture_output=True, text=True, env=env, cwd=code_root)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f"bench: the run of {code_root} failed:\n{r.stderr[-2000:]}")
    return wall, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)


REVIEW = "001_d9b16c41351ece26.txt"


def whole_runs(repeat: int, old: Path | None, review: str = REVIEW) -> None:
    import tempfile

    codes = ([("old", old.resolve())] if old else []) + [("new", ROOT)]
    got: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in codes}
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="bench-fixed-") as tmp:
        for i in range(repeat):
            for name, root in codes:
                got[name].append(whole_run(root, Path(tmp), f"{name}{i}", review))
                loads.append(os.getloadavg()[0])
    print(f"\nwhole run, one review ({review}), fresh output root, no PREFECT_API_URL; {repeat} runs each"
          f"{', old and new in turns' if old else ''}; load {min(loads):.1f}-{max(loads):.1f} "
          f"(median {statistics.median(loads):.1f}), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"{'code':6} {'wall s (median)':>16} {'CPU s (median)':>16}   runs (wall/CPU)")
    for name, runs in got.items():
        print(f"{name:6} {statistics.median(w for w, _ in runs):16.2f} {statistics.median(c for _, c in runs):16.2f}"
              f"   {' '.join(f'{w:.1f}/{c:.1f}' for w, c in runs)}")
    if old:
        o, n = got["old"], got["new"]
        print(f"new/old: wall {statistics.median(w for w, _ in n) / statistics.median(w for w, _ in o):.2f}, "
              f"CPU {statistics.median(c for _, c in n) / statistics.median(c for _, c in o):.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old", type=Path, default=None, help="a copy of older code to compare the whole run with")
    ap.add_argument("--runs-only", action="store_true", help="only the whole-run comparison")
    ap.add_argument("--review", default=REVIEW, help="the corpus/ review the whole runs process "
                    "(000_295cffc29131faf6.txt: the 12.4k-word one)")
    args = ap.parse_args(argv)
    if args.runs_only:
        whole_runs(args.repeat, args.old, args.review)
        return 0
    print(f"load {os.getloadavg()[0]:.1f}; median of {args.repeat} fresh interpreters per row")
    print(f"{'step':48} {'wall s':>8} {'CPU s':>8} {'CPU +s':>8}")
    code, prev = "", 0.0
    for name, line in STEPS:
        code = (code + "\n" + line) if code else line
        runs = [timed(code) for _ in range(args.repeat)]
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{name:48} {wall:8.2f} {cpu:8.2f} {cpu - prev:8.2f}", flush=True)
        prev = cpu
    whole_runs(args.repeat, args.old, args.review)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
