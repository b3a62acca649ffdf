"""The scale benchmark (`make bench`; issue 14 point 8): synthetic corpora of N reviews and a
20-page PDF set through the real CLI, one table.

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_scale.py            # 50 / 200 / 1,000 reviews
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_scale.py --quick    # 5 / 20 / 50 reviews
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_scale.py --sizes 10,40

A synthetic corpus of N reviews is N copies of the corpus/ reviews (round robin), each with one
unique line appended, so every document is new to the pipeline. Each size is run twice on one
fresh output root through `python -m pipeline run` (a subprocess with its own PREFECT_HOME):
the full run, then the same corpus again (no change). Reported per run:

  wall s      wall-clock time of the CLI
  cpu s       CPU time of the CLI and its children (user + system), plus what the Prefect server an
              earlier run kept (the default) spent meanwhile
  cores       cpu / wall: how many cores the run kept busy
  peak MB     peak RSS of the process tree (the CLI, Prefect's server, workers; a kept server included),
              sampled every 0.1 s
  docs s      the flow's documents phase (ingest, NLP, extraction), from its own log lines
  after s     reconcile, store, exports and reports, from the same log
  re-run %    the no-change re-run's wall time as a share of the full run's

plus the run-history benchmark of issue 15 (bench_incremental.history_bench: one full run of 200
reviews then 30 no-change runs; the store's growth and the after-run phase of a no-change run as a
share of the full run's), an empty-corpus run (the fixed cost), the NLP stage's words/s in-process, and the PDF
ingestion's CPU seconds per page on a 20-page set (../shared/pdfs and tests/pdfs fixtures,
repeated to 20 pages). Times are measured here and reported in the README, never asserted in tests.
"""
from __future__ import annotations

import argparse
import atexit
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_incremental import flow_phases, history_bench  # noqa: E402  (one parser of the flow's log)

SHARED_PDFS = ROOT.parent / "shared" / "pdfs"


def synthetic_corpus(folder: Path, n: int) -> Path:
    """N reviews: corpus/'s reviews copied round robin, each with a unique last line (the one maker of
    synthetic corpora: bench_incremental, bench_dask and bench_afterrun --fill-cache use it)."""
    reviews = sorted((ROOT / "corpus").glob("*.txt"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        src = reviews[i % len(reviews)]
        text = src.read_text(encoding="utf-8")
        (folder / f"{i:05d}_{src.name}").write_text(text + f"\n\nSynthetic copy {i} of {src.name}.\n", encoding="utf-8")
    return folder


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def kept_servers(env: dict) -> dict[int, psutil.Process]:
    """The Prefect servers kept for the next runs (pipeline/prefect_api.py) under env's PREFECT_HOME:
    a run that uses one is charged its CPU and memory too (the server is not the run's child)."""
    from pipeline.prefect_api import shared_server_status

    found = {}
    for row in shared_server_status(env):
        try:
            found[row["pid"]] = psutil.Process(row["pid"])
        except psutil.Error:
            pass
    return found


def _cpu_of(p: psutil.Process) -> float:
    try:
        t = p.cpu_times()
        return t.user + t.system
    except psutil.Error:
        return 0.0


def _children_cpu() -> float:
    """CPU of reaped children and their reaped descendants (the CLI waits for its server and workers)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_cli(corpus: Path, out: Path, env: dict, timeout: float, extra: tuple[str, ...] = (), watch=None,
            root: Path = ROOT, every: float = 0.1) -> dict:
    """One `python -m pipeline run` (plus `extra` arguments) of the code in `root`: wall, CPU of the
    tree, peak tree RSS, the flow's phases; the tree is sampled every `every` seconds, by
    `watch(process)` when given (scripts/bench_dask.py, which also runs another checkout's code as
    `root`: it returns the tree's RSS), else here."""
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out), *extra]
    kept = kept_servers(env)                 # a server an earlier run kept: its share is this run's cost
    kept_cpu0 = {pid: _cpu_of(p) for pid, p in kept.items()}
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, env={**env, "PYTHONPATH": str(root)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ps = psutil.Process(proc.pid)
    peak, done = [0], threading.Event()

    def sample():
        while not done.is_set():
            try:
                tree = _tree_rss(ps) if watch is None else watch(ps)
                peak[0] = max(peak[0], tree + sum(_tree_rss(k) for k in kept.values()))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
            done.wait(every)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    log, _ = proc.communicate(timeout=timeout)
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: `{' '.join(cmd)}` exited {proc.returncode}:\n{log[-3000:]}")
    docs, after = flow_phases(log)
    server_cpu = sum(_cpu_of(p) - kept_cpu0.get(pid, 0.0) for pid, p in kept_servers(env).items())
    return {"wall": wall, "cpu": _children_cpu() - cpu0 + server_cpu, "peak": peak[0] / 2**20, "docs": docs, "after": after,
            "failed": sum(1 for ln in log.splitlines() if "FAILED" in ln)}


def nlp_words_per_second() -> float:
    from pipeline.config import Settings
    from pipeline.ingest import file_to_document, list_corpus
    from pipeline.nlp import annotate_document, get_pipelines
    from pipeline.rules import load_rules

    s = Settings.resolve(corpus=str(ROOT / "corpus"))
    rules = load_rules(s.rules_dir)
    pipes = get_pipelines(s, rules)
    docs = [file_to_document(p, s.corpus, s, rules) for p in list_corpus(s.corpus)]
    words = sum(len(d.text.split()) for d in docs)
    for d in docs:                       # warm: pysbd's pattern cache, spaCy's lexeme cache
        annotate_document(d, pipes, rules)
    times = []
    for _ in range(3):
        t = time.process_time()
        for d in docs:
            annotate_document(d, pipes, rules)
        times.append(time.process_time() - t)
    return words / statistics.median(times)


def pdf_seconds_per_page(pages_wanted: int = 20) -> tuple[float, int]:
    from pipeline.config import Settings
    from pipeline.ingest import file_to_document
    from pipeline.rules import load_rules

    s = Settings.resolve(corpus=str(ROOT / "corpus"))
    rules = load_rules(s.rules_dir)
    pool = sorted(SHARED_PDFS.glob("*.pdf")) + [ROOT / "tests" / "pdfs" / n for n in
                                                ("multipage-running-header-footer.pdf", "two-column.pdf", "ruled-table.pdf")]

    def one_pass() -> tuple[float, int]:
        pages, cpu, i = 0, 0.0, 0
        while pages < pages_wanted and pool:
            p = pool[i % len(pool)]
            t = time.process_time()
            doc = file_to_document(p, p.parent, s, rules)
            cpu += time.process_time() - t
            pages += len(doc.pages)
            i += 1
        return cpu / max(pages, 1), pages

    one_pass()      # warm, as for the NLP figure: the first pass also imports pdfplumber and pypdfium2
    runs = [one_pass() for _ in range(3)]
    return statistics.median(r[0] for r in runs), runs[0][1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="sizes 5, 20, 50")
    ap.add_argument("--sizes", default="", help="comma-separated corpus sizes (default 50,200,1000)")
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--history", default="", metavar="N,RUNS",
                    help="run-history benchmark (issue 15): N reviews, one full run then RUNS no-change runs "
                         "(default 200,30; --quick 20,3; 0,0 to skip)")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x] or ([5, 20, 50] if args.quick else [50, 200, 1000])
    h_size, h_runs = (int(x) for x in (args.history or ("20,3" if args.quick else "200,30")).split(","))
    load = os.getloadavg()
    print(f"# bench_scale {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
          f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
          f"{platform.python_implementation()} {platform.python_version()}, load {load[0]:.1f} at start")
    print(f"NLP stage (rules only, in-process, corpus reviews): {nlp_words_per_second():,.0f} words per CPU second")
    per_page, n_pages = pdf_seconds_per_page()
    print(f"PDF ingestion (in-process, {n_pages} pages, median of 3 passes after a warm one): {per_page:.3f} s CPU per page")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp / "prefect"),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        from pipeline.prefect_api import stop_shared_servers

        atexit.register(stop_shared_servers, env)    # the server the runs kept, also if the bench fails
        (tmp / "empty").mkdir()
        (tmp / "empty" / "note.txt").write_text("A corpus with nothing to extract.\n")   # an empty folder is refused (E211)
        # the first run of a fresh PREFECT_HOME starts Prefect's server (and builds its database) and keeps it
        # for the next runs (HER2_PREFECT_SERVER=shared, the default); the next empty run is the fixed cost
        # (on a fresh output root: on the same one its only document would be answered by the cache, and
        # the run finished without the flow)
        rows.append(("empty corpus, first run", 0, run_cli(tmp / "empty", tmp / "out-empty", env, args.timeout), None))
        rows.append(("empty corpus", 0, run_cli(tmp / "empty", tmp / "out-empty2", env, args.timeout), None))
        for n in sizes:
            corpus = synthetic_corpus(tmp / f"corpus-{n}", n)
            out = tmp / f"out-{n}"
            full = run_cli(corpus, out, env, args.timeout)
            again = run_cli(corpus, out, env, args.timeout)
            rows.append((f"{n} reviews", n, full, None))
            rows.append((f"{n} reviews, no change", n, again, again["wall"] / full["wall"]))
            shutil.rmtree(corpus)
            shutil.rmtree(out)
        history = history_bench(ROOT / "corpus", h_size, h_runs, env, tmp, args.timeout) if h_size and h_runs else None
        stop_shared_servers(env)         # before its PREFECT_HOME goes with the temporary folder
    print(f"{'run':26} {'wall s':>8} {'cpu s':>8} {'cores':>6} {'peak MB':>8} {'docs s':>8} {'after s':>8} "
          f"{'failed':>6} {'re-run %':>8}")
    for name, _, r, ratio in rows:
        print(f"{name:26} {r['wall']:8.1f} {r['cpu']:8.1f} {r['cpu'] / r['wall']:6.2f} {r['peak']:8.0f} "
              f"{r['docs']:8.1f} {r['after']:8.1f} {r['failed']:6d} {'' if ratio is None else f'{100 * ratio:7.1f}%':>8}")
    if history is not None:
        print(f"run history ({history['documents']} reviews, 1 full run then {history['runs']} no-change runs): store "
              f"+{history['growth']:.2f}% of its size after the full run (goal < 5%); after-run phase of a no-change "
              f"run {history['after']:.2f} s = {100 * history['after_ratio']:.1f}% of the full run's "
              f"{history['full_after']:.2f} s (goal < 10%)")
    print(f"load at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
