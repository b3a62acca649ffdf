"""Benchmark of per-document execution through the real CLI: cores used, wall time, peak memory
(run: PYTHONPATH=. .venv/bin/python scripts/bench_execution.py --sizes 50 [200 1000] [--workers N]).

For each size N, builds a synthetic corpus of N text reviews by copying the corpus reviews round-robin,
each copy made unique (a different content hash, so nothing is reused) by one appended line, then times
`python -m pipeline run --corpus <tmp> --out <tmpout>` as a subprocess:

  wall s        time.perf_counter around the run
  CPU s         CPU time of the run and every process it waited for (resource.getrusage(RUSAGE_CHILDREN):
                the document workers and Prefect's temporary server)
  CPU/wall      cores used on average (2.0 = both cores of a 2-core machine the whole time)
  peak MB       the largest sum of RSS over the run's process tree, sampled every 0.25 s with psutil
  failed        documents with status failed (documents.csv)

Each run gets its own PREFECT_HOME in the temporary folder unless PREFECT_API_URL is set.
Speed is measured here and reported in the README, never asserted in tests.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, n: int) -> None:
    reviews = sorted((ROOT / "corpus").glob("*.txt"))
    folder.mkdir(parents=True)
    for i in range(n):
        src = reviews[i % len(reviews)]
        (folder / f"{i:04d}_{src.name}").write_text(src.read_text(encoding="utf-8") + f"\n\nSynthetic copy {i}.\n",
                                                     encoding="utf-8")


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def tree_rss_mb(proc: psutil.Process) -> float:
    total = 0
    try:
        for p in [proc, *proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total / 2 ** 20


def run(corpus: Path, out: Path, env: dict, timeout: float) -> dict:
    cpu0, t0 = child_cpu(), time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0.0], threading.Event()

    def sample() -> None:
        ps = psutil.Process(proc.pid)
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_mb(ps))
            done.wait(0.25)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate(timeout=timeout)
    done.set()
    th.join()
    wall, cpu = time.perf_counter() - t0, child_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: run exited {proc.returncode}:\n{stderr[-3000:]}")
    with (out / "documents.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {"wall": wall, "cpu": cpu, "peak": peak[0], "docs": len(rows),
            "failed": sum(1 for r in rows if r["status"] != "ok"),
            "errors": sorted({r["error"][:4] for r in rows if r["status"] != "ok"})}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[50], help="corpus sizes (default 50)")
    ap.add_argument("--workers", type=int, default=0, help="HER2_WORKERS (default: the machine's cores)")
    ap.add_argument("--timeout", type=float, default=7200, help="seconds allowed per run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-execution-"))
    env = dict(os.environ)
    if not env.get("PREFECT_API_URL"):
        env["PREFECT_HOME"] = str(tmp / "prefect-home")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if args.workers:
        env["HER2_WORKERS"] = str(args.workers)
    try:
        make_corpus(tmp / "warm", 1)
        run(tmp / "warm", tmp / "out-warm", env, args.timeout)     # PREFECT_HOME's database, page cache
        print(f"machine: {os.cpu_count()} cores, affinity {len(os.sched_getaffinity(0))}; "
              f"workers {args.workers or 'default'}")
        print(f"{'reviews':>8}{'wall s':>9}{'CPU s':>9}{'CPU/wall':>10}{'peak MB':>9}{'failed':>8}")
        for n in args.sizes:
            corpus = tmp / f"corpus-{n}"
            make_corpus(corpus, n)
            r = run(corpus, tmp / f"out-{n}", env, args.timeout)
            print(f"{n:>8}{r['wall']:>9.1f}{r['cpu']:>9.1f}{r['cpu'] / r['wall']:>10.2f}{r['peak']:>9.0f}"
                  f"{r['failed']:>8}{'  ' + ','.join(r['errors']) if r['errors'] else ''}", flush=True)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
