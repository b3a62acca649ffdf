"""Scale-out benchmark (issue 15 point 3): the documents on a local Dask cluster against the default
runner, same synthetic corpus, each run a real `python -m pipeline run` subprocess.

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_dask.py                  # 40 reviews, 2 rounds
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_dask.py --size 100 --rounds 3
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_dask.py --configs dask:2 --size 120   # memory at another size

Configurations (--configs, comma-separated):
  default:1   default runner, HER2_WORKERS=1: one worker process, the serial baseline (one core's work)
  default:2   default runner, HER2_WORKERS=2 (the default on a 2-core machine)
  dask:1      --dask local:1: a local Dask cluster of one worker process
  dask:2      --dask local:2: distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True)

Runs are interleaved (round 1 in the given order, round 2 reversed, ...) so that the load other jobs
put on a shared machine falls on every configuration alike; the 1-minute load average is printed
before each run. All runs share one PREFECT_HOME (warmed by a first run, not counted) and no
PREFECT_API_URL: each run starts Prefect's temporary server, as the CLI does by default.

Reported per configuration (medians over rounds):
  wall s      the whole command
  docs s      the flow's documents phase, from its log (corpus listed -> last document done; on Dask it
              includes starting the cluster)
  cpu s       CPU of the command and every process it waited for (RUSAGE_CHILDREN)
  peak MB     peak RSS of the whole process tree, sampled every 0.25 s
  worker MB   peak RSS of one worker: a worker process of the default pool, or a Dask worker with
              its nanny and its document process (the subtree under the command holding a
              `worker_main` process)
  servers     Prefect temporary servers seen in the process tree (1 = the flow's only)
then the speed-ups of dask:2 (ratios of medians of the documents phase and of the whole command).
Speed is measured here and reported in the README, never asserted in tests.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import bench_scale  # noqa: E402  (one run of the CLI: wall, CPU, peak tree RSS, the flow's phases)
from bench_scale import synthetic_corpus  # noqa: E402  (one maker of synthetic corpora)

CONFIGS = {
    "default:1": ({"HER2_WORKERS": "1"}, []),
    "default:2": ({"HER2_WORKERS": "2"}, []),
    "dask:1": ({}, ["--dask", "local:1"]),
    "dask:2": ({}, ["--dask", "local:2"]),
}


def _cmd(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def _rss(p: psutil.Process) -> int:
    try:
        return p.memory_info().rss
    except psutil.Error:
        return 0


def sample_tree(root: psutil.Process) -> tuple[int, list[int], set[int]]:
    """(RSS of the tree, RSS of each worker subtree, pids of Prefect servers): the worker
    subtrees are the command's children holding a `worker_main` process."""
    try:
        children = root.children()
    except psutil.Error:
        return 0, [], set()
    total, workers, servers = _rss(root), [], set()
    for c in children:
        try:
            sub = [c, *c.children(recursive=True)]
        except psutil.Error:
            continue
        cmds = [_cmd(p) for p in sub]
        rss = sum(_rss(p) for p in sub)
        total += rss
        if any("worker_main" in x for x in cmds):
            workers.append(rss)
        servers |= {p.pid for p, x in zip(sub, cmds) if "prefect.server.api.server:create_app" in x}
    return total, workers, servers


def run_cli(corpus: Path, out: Path, env: dict, extra: list[str], timeout: float) -> dict:
    """bench_scale's run of the CLI, also watching its worker subtrees and Prefect servers."""
    worker_peak, servers = [0], set()

    def watch(ps: psutil.Process) -> None:
        _total, workers, srv = sample_tree(ps)
        worker_peak[0] = max([worker_peak[0], *workers])
        servers.update(srv)

    r = bench_scale.run_cli(corpus, out, env, timeout, tuple(extra), watch)
    return {**r, "worker": worker_peak[0] / 2 ** 20, "servers": len(servers)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=40, help="synthetic reviews (default 40)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of every configuration (default 2)")
    ap.add_argument("--configs", default="default:1,default:2,dask:1,dask:2", help="comma-separated, see above")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args(argv)
    names = [c for c in args.configs.split(",") if c]
    unknown = set(names) - set(CONFIGS)
    if unknown:
        ap.error(f"unknown configurations {sorted(unknown)}; choose from {sorted(CONFIGS)}")
    print(f"# bench_dask {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
          f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2 ** 30:.1f} GiB; {args.size} synthetic "
          f"reviews, {args.rounds} rounds, interleaved", flush=True)
    runs: dict[str, list[dict]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        tmp = Path(tmp)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API", "HER2_"))}
        base.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
        corpus = synthetic_corpus(tmp / "corpus", args.size)
        run_cli(synthetic_corpus(tmp / "warm", 1), tmp / "out-warm", base, [], args.timeout)   # PREFECT_HOME's database
        k = 0
        for rnd in range(args.rounds):
            for name in (names if rnd % 2 == 0 else names[::-1]):
                env_extra, extra = CONFIGS[name]
                load = os.getloadavg()[0]
                r = run_cli(corpus, tmp / f"out-{k}", {**base, **env_extra}, extra, args.timeout)
                r["load"] = load
                k += 1
                runs[name].append(r)
                print(f"  round {rnd + 1} {name:10} load {load:4.1f}: wall {r['wall']:6.1f} s, docs {r['docs']:6.1f} s, "
                      f"cpu {r['cpu']:6.1f} s, peak {r['peak']:5.0f} MB, worker {r['worker']:4.0f} MB, "
                      f"servers {r['servers']}, failed lines {r['failed']}", flush=True)
    med = {n: {key: statistics.median(r[key] for r in rs) for key in ("wall", "docs", "cpu", "peak", "worker", "load")}
           for n, rs in runs.items()}
    print(f"\n{'config':11} {'wall s':>7} {'docs s':>7} {'cpu s':>7} {'peak MB':>8} {'worker MB':>10} {'servers':>8} "
          f"{'failed':>7} {'load':>9}")
    for n, m in med.items():
        loads = [r["load"] for r in runs[n]]
        print(f"{n:11} {m['wall']:7.1f} {m['docs']:7.1f} {m['cpu']:7.1f} {m['peak']:8.0f} {m['worker']:10.0f} "
              f"{max(r['servers'] for r in runs[n]):8d} {max(r['failed'] for r in runs[n]):7d} "
              f"{min(loads):4.1f}-{max(loads):<4.1f}")
    if "dask:2" in med:
        for base_name in ("default:1", "dask:1", "default:2"):
            if base_name in med:
                b, d = med[base_name], med["dask:2"]
                print(f"dask:2 vs {base_name:9}: documents phase {b['docs'] / d['docs']:.2f}x, "
                      f"whole command {b['wall'] / d['wall']:.2f}x")
    print(f"load at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
