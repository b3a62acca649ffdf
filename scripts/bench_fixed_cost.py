"""Where the fixed cost of a run goes (issue 14 point 4): each piece timed in a fresh interpreter,
medians of --repeat runs (each step includes the ones before it; the table shows the increments).

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_fixed_cost.py [--repeat 3]

Steps: interpreter start; `import pipeline.cli`; the NLP module (spaCy, scispaCy, pysbd);
pdfplumber; Prefect; the flows module; loading the rules; building the spaCy pipeline
(tokenizer, lexicon patterns); one short review through ingest, NLP and extraction.

Then whole runs through the CLI (`python -m pipeline run`, a fresh output root each time, one
PREFECT_HOME warmed by an untimed run first, as on a machine that has run the pipeline before):
  * Prefect's temporary API server alone, from start to its first healthy answer;
  * an "empty" corpus (one line, nothing to extract: an empty folder is refused) and one review, with the temporary server the run starts itself;
  * the same against a long-lived server (PREFECT_API_URL, started once here beforehand).
`--root DIR` times another checkout's CLI (e.g. the code before a change), `--runs-only` skips
the in-process steps. Times are measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


def cli_run(root: Path, corpus: Path, out: Path, env: dict) -> tuple[float, float]:
    """(wall, CPU of the tree) of one `python -m pipeline run` of the checkout `root`."""
    shutil.rmtree(out, ignore_errors=True)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out)],
                       capture_output=True, text=True, env={**env, "PYTHONPATH": str(root)}, cwd=root)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode:
        raise SystemExit(f"bench: run failed ({r.returncode}):\n{r.stderr[-2000:]}")
    return wall, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)


def server_alone(env: dict) -> tuple[float, float]:
    """(wall, CPU) of Prefect's temporary API server from start to its first healthy answer."""
    from pipeline.lifecycle import TemporaryPrefectServer

    saved = dict(os.environ)
    os.environ.update(env)
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        server = TemporaryPrefectServer(600).start()
        server.wait()
        wall = time.perf_counter() - t0
        server.stop()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)


def cli_rows(root: Path, repeat: int, prefect_home: Path | None = None) -> None:
    from pipeline.lifecycle import TemporaryPrefectServer

    with tempfile.TemporaryDirectory(prefix="bench-fixed-") as tmp:
        tmp = Path(tmp)
        empty, one = tmp / "empty", tmp / "one"
        empty.mkdir()
        (empty / "note.txt").write_text("A corpus with nothing to extract.\n")   # an empty folder is refused (E211)
        one.mkdir()
        shutil.copy(ROOT / "corpus" / "001_d9b16c41351ece26.txt", one)
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.update(PREFECT_HOME=str(prefect_home or tmp / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   HER2_PREFECT_STARTUP_TIMEOUT="900")     # the first start builds the database: slow when busy
        cli_run(root, empty, tmp / "out", env)                     # untimed: Prefect's database is created
        rows = [("Prefect temporary server alone", lambda: server_alone(env)),
                ("CLI run, empty corpus, temporary server", lambda: cli_run(root, empty, tmp / "out", env)),
                ("CLI run, one review, temporary server", lambda: cli_run(root, one, tmp / "out", env))]
        server = TemporaryPrefectServer(600)
        saved = dict(os.environ)
        os.environ.update(env)
        server.start()
        os.environ.clear()
        os.environ.update(saved)
        try:
            server.wait()
            long_lived = {**env, "PREFECT_API_URL": server.api_url}
            rows += [("CLI run, empty corpus, long-lived server", lambda: cli_run(root, empty, tmp / "out", long_lived)),
                     ("CLI run, one review, long-lived server", lambda: cli_run(root, one, tmp / "out", long_lived))]
            for name, fn in rows:
                runs = [fn() for _ in range(repeat)]
                print(f"{name:48} {statistics.median(w for w, _ in runs):8.2f} "
                      f"{statistics.median(c for _, c in runs):8.2f}   (walls {', '.join(f'{w:.1f}' for w, _ in runs)})",
                      flush=True)
        finally:
            server.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--root", type=Path, default=ROOT, help="the checkout whose CLI the whole runs use")
    ap.add_argument("--runs-only", action="store_true", help="only the whole runs through the CLI")
    ap.add_argument("--prefect-home", type=Path, default=None,
                    help="PREFECT_HOME for the runs (default: a fresh one, its database built by the untimed run)")
    args = ap.parse_args(argv)
    print(f"load {os.getloadavg()[0]:.1f}; median of {args.repeat} fresh interpreters per row; CLI of {args.root}")
    print(f"{'step':48} {'wall s':>8} {'CPU s':>8} {'CPU +s':>8}")
    code, prev = "", 0.0
    for name, line in ([] if args.runs_only else STEPS):
        code = (code + "\n" + line) if code else line
        runs = [timed(code) for _ in range(args.repeat)]
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"{name:48} {wall:8.2f} {cpu:8.2f} {cpu - prev:8.2f}", flush=True)
        prev = cpu
    cli_rows(args.root.resolve(), args.repeat, args.prefect_home)
    print(f"load at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
