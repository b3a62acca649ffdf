"""Benchmark of incremental runs through the real CLI
(run: .venv/bin/python scripts/bench_incremental.py [--corpus corpus] [--repeat 1]).

Copies the corpus to a temporary folder and times `python -m pipeline run
--corpus <tmp> --out <tmpout>` as a subprocess (wall time with
time.perf_counter, CPU time of the child with resource.getrusage(RUSAGE_CHILDREN)):

  overhead      a run on a one-line document (an empty corpus is refused): interpreter, imports,
                Prefect, a worker process, writing outputs
  full          every document processed (fresh output root)
  no change     the same corpus again: every document reused
  minus one     fresh output root, corpus without one document (held out)
  add one       the held-out document added back: only it is processed
  single        fresh output root with only the held-out document

and prints a table plus the two figures the incremental design aims at:
  * no-change re-run < 10% of the full run's extraction time
    (extraction time = full - overhead; re-run cost = no change - overhead)
  * adding one document costs about one document's processing
    (add one - no change, against single - overhead).
With --no-change-runs N (history mode): one full run of the corpus (or of --synthetic M
reviews: bench_scale.synthetic_corpus, copies of corpus/'s reviews, each with a unique line), then N consecutive
no-change runs; prints the store's size (the .store folder, after each run) and each
run's after-documents phase, and checks the run-history goals:
  * N no-change runs grow the store by < 5% of its size after the first run
  * the after-run phase of a no-change run is < 10% of the full run's.
Each child gets its own PREFECT_HOME in the temporary folder (an ephemeral
Prefect server per run, nothing written to your profile) unless
PREFECT_API_URL is set, in which case runs go to that server.
Speed is measured here and reported in the README, never asserted in tests.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ingest import list_corpus  # noqa: E402  (what a run counts as a document)


@dataclass
class Timing:
    name: str
    n_docs: int
    wall: float
    cpu: float
    docs_phase: float      # from the flow's log: "corpus ...: N documents" -> last "documents done"
    after_phase: float     # last "documents done" -> the flow finished (reconcile, store, exports, reports)
    out: str


# the flow run's own log lines, as Prefect's console handler writes them
# ("08:16:07.357 | INFO    | Flow run 'name' - message") or as the CLI's
# logging.basicConfig does ("2026-11-22 08:31:55,374 INFO prefect.flow_runs: message")
LOG_LINES = (
    re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) \| \w+\s*\| Flow run '[^']*' - (.*)$"),
    re.compile(r"^\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d),(\d{3}) \w+ (?:prefect\.flow_runs|pipeline\.run): (.*)$"),
)
# (a run whose every document is answered by the cache is finished without the flow: its own
# "corpus ..." and "run ...: ok; ..." lines, from pipeline.run, mark its phases)


def flow_phases(log: str) -> tuple[float, float]:
    """(documents phase, after-documents phase) in seconds from the flow's own
    log lines; NaN when the log does not show them."""
    marks: dict[str, float] = {}
    last = None
    for line in log.splitlines():
        m = next((m for r in LOG_LINES if (m := r.match(line.strip()))), None)
        if not m:
            continue
        t = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + int(m[4]) / 1000
        if last is not None and t < last - 43200:     # past midnight
            t += 86400
        last = t
        msg = m[5]
        if msg.startswith("corpus ") and "start" not in marks:
            marks["start"] = t
        elif "documents done" in msg:
            marks["docs"] = t
        elif msg.startswith("Finished in state") or (msg.startswith("run ") and "; report " in msg):
            marks["end"] = t
    nan = float("nan")
    if "start" not in marks or "end" not in marks:
        return nan, nan
    docs = marks.get("docs", marks["start"])
    return docs - marks["start"], marks["end"] - docs


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_cli(corpus: Path, out: Path, env: dict, timeout: float) -> tuple[float, float, str, str]:
    cmd = [sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out)]
    cpu0, t0 = child_cpu(), time.perf_counter()
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    wall, cpu = time.perf_counter() - t0, child_cpu() - cpu0
    if p.returncode not in (0, 1):    # 1: some document failed, the others were processed
        raise SystemExit(f"bench: `{' '.join(cmd)}` exited {p.returncode}:\n{p.stderr[-3000:]}")
    summary = next((ln for ln in p.stdout.splitlines() if ln.startswith("run ")), p.stdout.strip()[-200:])
    return wall, cpu, summary, p.stdout + "\n" + p.stderr


def measure(name: str, corpus: Path, out: Path, env: dict, repeat: int, timeout: float,
            fresh: bool, prepare=None) -> Timing:
    """Median over `repeat` runs; `fresh` empties the output root first, `prepare`
    (a callable) resets the corpus/output state before each timed run."""
    walls, cpus, docs, after, summary = [], [], [], [], ""
    for _ in range(repeat):
        if prepare is not None:
            prepare()
        if fresh and out.exists():
            shutil.rmtree(out)
        w, c, summary, log = run_cli(corpus, out, env, timeout)
        walls.append(w)
        cpus.append(c)
        d, a = flow_phases(log)
        docs.append(d)
        after.append(a)
    n = len(list_corpus(corpus))
    return Timing(name, n, statistics.median(walls), statistics.median(cpus), statistics.median(docs),
                  statistics.median(after), summary)


def dir_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def history_bench(src: Path, n_synthetic: int, runs: int, env: dict, tmp: Path, timeout: float) -> dict:
    """The run-history benchmark (issue 15): prints a row per run and the two goals; returns the figures."""
    from bench_scale import synthetic_corpus     # (here: bench_scale imports this module)

    corpus = tmp / "corpus-history"
    if n_synthetic:
        synthetic_corpus(corpus, n_synthetic)
    else:
        shutil.copytree(src, corpus)
    out = tmp / "out-history"
    n = len(list_corpus(corpus))
    print(f"history: {n} documents, 1 full run then {runs} no-change runs", flush=True)
    wall, cpu, summary, log = run_cli(corpus, out, env, timeout)
    full_docs, full_after = flow_phases(log)
    first = dir_size(out / ".store")
    print(f"{'run':<12}{'wall s':>9}{'documents s':>13}{'after s':>9}{'store bytes':>13}{'growth %':>10}")
    print(f"{'full':<12}{wall:>9.2f}{full_docs:>13.2f}{full_after:>9.2f}{first:>13}{0:>10.2f}", flush=True)
    afters = []
    size = first
    for i in range(runs):
        wall, cpu, summary, log = run_cli(corpus, out, env, timeout)
        d, a = flow_phases(log)
        afters.append(a)
        size = dir_size(out / ".store")
        print(f"{'no change ' + str(i + 1):<12}{wall:>9.2f}{d:>13.2f}{a:>9.2f}{size:>13}"
              f"{100 * (size - first) / first:>10.2f}", flush=True)
    growth = 100 * (size - first) / first
    after = statistics.median(afters) if afters else float("nan")
    print()
    print(f"store: {first} bytes after the full run, {size} after {runs} no-change runs: +{growth:.2f}% "
          f"(goal < 5%) -> {'OK' if growth < 5 else 'ABOVE GOAL'}")
    print(f"after-run phase: no-change median {after:.2f} s = {100 * after / full_after:.1f}% of the full run's "
          f"{full_after:.2f} s (goal < 10%) -> {'OK' if after < 0.1 * full_after else 'ABOVE GOAL'}")
    print(f"  (.cache: {dir_size(out / '.cache')} bytes of per-document results, outside the history)")
    return {"documents": n, "runs": runs, "store_first": first, "store_last": size, "growth": growth,
            "full_after": full_after, "after": after, "after_ratio": after / full_after if full_after else float("nan")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"), help="corpus to copy (default: corpus/)")
    ap.add_argument("--hold-out", default=None,
                    help="file name of the document to add in the 'add one' step (default: the median-sized one)")
    ap.add_argument("--repeat", type=int, default=1, help="timed repetitions per step (median reported)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed per CLI run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    ap.add_argument("--no-change-runs", type=int, default=0, metavar="N",
                    help="history mode: a full run then N no-change runs (store growth, after-run phase)")
    ap.add_argument("--synthetic", type=int, default=0, metavar="M",
                    help="history mode: use M synthetic reviews made from the corpus instead of the corpus")
    args = ap.parse_args(argv)

    src = Path(args.corpus).resolve()
    docs = list_corpus(src)
    if len(docs) < 2:
        raise SystemExit(f"bench: {src} needs at least two documents")
    held = next((p for p in docs if p.name == args.hold_out), None) if args.hold_out else \
        sorted(docs, key=lambda p: (p.stat().st_size, p.name))[len(docs) // 2]
    if held is None:
        raise SystemExit(f"bench: --hold-out {args.hold_out} is not a document of {src}")

    tmp = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    env = dict(os.environ)
    if not env.get("PREFECT_API_URL"):
        env["PREFECT_HOME"] = str(tmp / "prefect-home")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    from pipeline.prefect_api import stop_shared_servers

    try:
        if args.no_change_runs:
            history_bench(src, args.synthetic, args.no_change_runs, env, tmp, args.timeout)
            return 0
        full_c, part_c, one_c, empty_c = (tmp / n for n in ("corpus-full", "corpus-part", "corpus-one", "corpus-empty"))
        for c in (full_c, part_c, one_c, empty_c):
            c.mkdir()
        for p in docs:
            shutil.copy2(p, full_c / p.name)
            if p != held:
                shutil.copy2(p, part_c / p.name)
        shutil.copy2(held, one_c / held.name)
        (empty_c / "one_line.txt").write_text("A review of HER2-targeted therapy.\n", encoding="utf-8")
        # (documents in sub-folders are copied flat: the benchmark only needs their count and sizes)

        rows: list[Timing] = []
        print(f"corpus {src}: {len(docs)} documents; held out {held.name} ({held.stat().st_size} bytes); "
              f"repeat {args.repeat}", flush=True)

        # warm-up (imports, model files into the page cache) so the first timed step is not penalised
        run_cli(one_c, tmp / "out-warmup", env, args.timeout)

        rows.append(measure("overhead (one-line document)", empty_c, tmp / "out-empty", env, args.repeat, args.timeout,
                            fresh=True))
        rows.append(measure("full", full_c, tmp / "out-full", env, args.repeat, args.timeout, fresh=True))
        rows.append(measure("no change", full_c, tmp / "out-full", env, args.repeat, args.timeout, fresh=False))

        part_out = tmp / "out-part"
        added = part_c / held.name

        def reset_part() -> None:
            # the output root has seen only the N-1 documents; then the held-out one is added
            if added.exists():
                added.unlink()
            if part_out.exists():
                shutil.rmtree(part_out)
            run_cli(part_c, part_out, env, args.timeout)
            shutil.copy2(held, added)

        rows.append(measure("minus one (fresh)", part_c, tmp / "out-minus", env, 1, args.timeout, fresh=True))
        rows.append(measure("add one", part_c, part_out, env, args.repeat, args.timeout, fresh=False,
                            prepare=reset_part))
        rows.append(measure("single (held-out only)", one_c, tmp / "out-one", env, args.repeat, args.timeout,
                            fresh=True))

        t = {r.name.split(" (")[0]: r for r in rows}
        full = t["full"]
        print()
        print(f"{'step':<26}{'docs':>5}{'wall s':>9}{'child CPU s':>13}{'documents s':>13}{'after s':>9}"
              f"{'documents % of full':>21}")
        for r in rows:
            print(f"{r.name:<26}{r.n_docs:>5}{r.wall:>9.2f}{r.cpu:>13.2f}{r.docs_phase:>13.2f}{r.after_phase:>9.2f}"
                  f"{100 * r.docs_phase / full.docs_phase:>20.1f}%")
        print()
        print("documents = the flow's document phase (ingest, NLP, extraction, or reuse), from its log;")
        print("after = reconcile, store, exports and reports; wall and CPU include interpreter start, imports")
        print(f"and the Prefect (ephemeral) server: a run on a one-line document takes {t['overhead'].wall:.2f} s wall.")
        print()
        extraction, rerun = full.docs_phase, t["no change"].docs_phase
        ok = rerun < 0.1 * extraction
        print(f"no-change re-run: documents phase {rerun:.2f} s = {100 * rerun / extraction:.1f}% of the full run's "
              f"{extraction:.2f} s (goal < 10%) -> {'OK' if ok else 'ABOVE GOAL'}")
        add, single = t["add one"].docs_phase, t["single"].docs_phase
        print(f"adding one document ({held.name}): documents phase {add:.2f} s; that document alone in a fresh run: "
              f"{single:.2f} s (ratio {add / single if single > 0 else float('nan'):.2f}); whole runs: "
              f"add one {t['add one'].wall:.2f} s vs no change {t['no change'].wall:.2f} s wall")
        for r in rows:
            print(f"  {r.name}: {r.out}")
        return 0
    finally:
        stop_shared_servers(env)        # the Prefect server the runs kept (the default), before its home goes
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
