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

Any configuration prefixed `main-` (e.g. `main-dask:2`) runs the code of another checkout given by
--main (e.g. `git archive main | tar -x -C /tmp/main`), so old and new code are measured interleaved in
the same period.

Runs are interleaved (round 1 in the given order, round 2 reversed, ...) so that the load other jobs
put on a shared machine falls on every configuration alike; the 1-minute load average is printed
before each run. All runs share one PREFECT_HOME (warmed by a first run, not counted) and no
PREFECT_API_URL: each run starts Prefect's temporary server, as the CLI does by default.

Reported per configuration (medians over rounds):
  wall s      the whole command
  docs s      the flow's documents phase, from its log (corpus listed -> last document done; on Dask it
              includes starting the cluster)
  cpu s       CPU of the command and every process it waited for (RUSAGE_CHILDREN)
  peak MB     peak RSS of the whole process tree, sampled every 0.1 s
  parent MB   peak RSS of the command's own process (flow, Prefect client; on Dask also the scheduler)
  worker MB   peak RSS of one worker: a worker process of the default pool, or a Dask worker with
              its nanny and its document process (the subtree under the command holding a
              `worker_main` process)
  doc MB      peak RSS of one document process (`worker_main`) alone
  servers     Prefect temporary servers seen in the process tree (1 = the flow's only)
and where the CPU went, by process (last sample of each process's CPU time, so a little under the
total): the command itself (flow, Prefect client; on a local cluster also the scheduler and the
nannies), the Prefect server, Dask worker processes, document processes, the rest (watchdog, ...).
then the speed-ups of dask:2 (ratios of medians of the documents phase and of the whole command).
Speed is measured here and reported in the README, never asserted in tests.
"""
from __future__ import annotations

import argparse
import atexit
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


KINDS = ("parent", "server", "dask worker", "document", "other")


def _kind(pid: int, root: int, cmd: str, root_cmd: str = "") -> str:
    """A Dask worker is spawned by multiprocessing, or forked from the command (the CLI's local
    cluster: pipeline/cluster.py FORK_CONFIG), when it has the command's own command line."""
    if pid == root:
        return "parent"
    if "prefect.server" in cmd or "uvicorn" in cmd:
        return "server"
    if "worker_main" in cmd:
        return "document"
    if cmd == root_cmd or ("multiprocessing" in cmd and "resource_tracker" not in cmd and "forkserver" not in cmd):
        return "dask worker"
    return "other"


class TreeWatch:
    """Samples the command's process tree: one walk of the tree per sample, each process read once
    (psutil's oneshot: CPU, RSS and parent from one /proc read), its command line read when it is
    first seen. (The sampler runs on the same two cores as the run: the first version walked the
    tree three times and read every command line at every sample, about 2.5 s of CPU in a 27 s Dask
    run, which a run that keeps both cores busy paid for in wall time; a serial run did not.)

    Kept: per pid its kind and CPU seconds so far; the peaks of the command's own RSS, of one worker
    (a child of the command holding a `worker_main` process, with its subtree) and of one document
    process; the Prefect servers seen."""

    def __init__(self):
        self.cmds: dict[int, str] = {}
        self.cpu: dict[int, tuple[str, float]] = {}
        self.peak = {"parent": 0, "worker": 0, "doc": 0}
        self.servers: set[int] = set()

    def __call__(self, root: psutil.Process) -> int:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        rss, parent = {}, {}
        for p in procs:
            try:
                with p.oneshot():
                    t, rss[p.pid], parent[p.pid] = p.cpu_times(), p.memory_info().rss, p.ppid()
                if p.pid not in self.cmds:
                    self.cmds[p.pid] = " ".join(p.cmdline())
            except psutil.Error:
                rss.pop(p.pid, None)
                continue
            cmd = self.cmds[p.pid]
            self.cpu[p.pid] = (_kind(p.pid, root.pid, cmd, self.cmds[root.pid]), t.user + t.system)
            if "prefect.server.api.server:create_app" in cmd:
                self.servers.add(p.pid)
        top = {}                              # pid -> the command's child it descends from
        for pid in rss:
            q = pid
            while q in parent and parent[q] != root.pid and q != root.pid:
                q = parent[q]
            top[pid] = q
        for child in {q for q in top.values() if q != root.pid}:
            sub = [pid for pid, q in top.items() if q == child]
            docs = [rss[pid] for pid in sub if "worker_main" in self.cmds.get(pid, "")]
            if docs:
                self.peak["worker"] = max(self.peak["worker"], sum(rss[pid] for pid in sub))
                self.peak["doc"] = max([self.peak["doc"], *docs])
        self.peak["parent"] = max(self.peak["parent"], rss.get(root.pid, 0))
        return sum(rss.values())


def run_cli(corpus: Path, out: Path, env: dict, extra: list[str], timeout: float, root: Path = ROOT,
            every: float = 0.1) -> dict:
    """bench_scale's run of the CLI (the code in `root`), also watching its own process, its worker
    subtrees, document processes and Prefect servers."""
    watch = TreeWatch()
    r = bench_scale.run_cli(corpus, out, env, timeout, tuple(extra), watch, root=root, every=every)
    by_kind = {k: sum(c for kind, c in watch.cpu.values() if kind == k) for k in KINDS}
    return {**r, **{k: v / 2 ** 20 for k, v in watch.peak.items()}, "servers": len(watch.servers), "cpu_by": by_kind}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=40, help="synthetic reviews (default 40)")
    ap.add_argument("--rounds", type=int, default=2, help="rounds of every configuration (default 2)")
    ap.add_argument("--configs", default="default:1,default:2,dask:1,dask:2", help="comma-separated, see above")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--every", type=float, default=0.1, help="seconds between samples of the process tree (default 0.1)")
    ap.add_argument("--main", type=Path, default=None, help="another checkout, run by the `main-` configurations")
    args = ap.parse_args(argv)
    names = [c for c in args.configs.split(",") if c]
    if any(n.startswith("main-") for n in names) and not (args.main and (args.main / "pipeline").is_dir()):
        ap.error("`main-` configurations need --main DIR, a checkout holding pipeline/")
    unknown = {n.removeprefix("main-") for n in names} - set(CONFIGS)
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
        from pipeline.prefect_api import stop_shared_servers

        atexit.register(stop_shared_servers, base)   # the server the runs kept (idle for 15 minutes otherwise)
        corpus = synthetic_corpus(tmp / "corpus", args.size)
        run_cli(synthetic_corpus(tmp / "warm", 1), tmp / "out-warm", base, [], args.timeout)   # PREFECT_HOME's database
        k = 0
        for rnd in range(args.rounds):
            for name in (names if rnd % 2 == 0 else names[::-1]):
                env_extra, extra = CONFIGS[name.removeprefix("main-")]
                load = os.getloadavg()[0]
                root = args.main.resolve() if name.startswith("main-") else ROOT
                r = run_cli(corpus, tmp / f"out-{k}", {**base, **env_extra}, extra, args.timeout, root, args.every)
                r["load"] = load
                k += 1
                runs[name].append(r)
                print(f"  round {rnd + 1} {name:10} load {load:4.1f}: wall {r['wall']:6.1f} s, docs {r['docs']:6.1f} s, "
                      f"cpu {r['cpu']:6.1f} s, peak {r['peak']:5.0f} MB, parent {r['parent']:4.0f} MB, worker {r['worker']:4.0f} MB, "
                      f"doc {r['doc']:4.0f} MB, "
                      f"servers {r['servers']}, failed lines {r['failed']}", flush=True)
                print("      cpu s by process: " + ", ".join(f"{k} {v:.1f}" for k, v in r["cpu_by"].items()), flush=True)
        stop_shared_servers(base)        # before its PREFECT_HOME goes with the temporary folder
    med = {n: {key: statistics.median(r[key] for r in rs) for key in ("wall", "docs", "cpu", "peak", "parent", "worker", "doc", "load")}
           for n, rs in runs.items()}
    print(f"\n{'config':14} {'wall s':>7} {'docs s':>7} {'cpu s':>7} {'peak MB':>8} {'parent MB':>9} {'worker MB':>10} "
          f"{'doc MB':>7} {'servers':>8} {'failed':>7} {'load':>9}")
    for n, m in med.items():
        loads = [r["load"] for r in runs[n]]
        print(f"{n:14} {m['wall']:7.1f} {m['docs']:7.1f} {m['cpu']:7.1f} {m['peak']:8.0f} {m['parent']:9.0f} "
              f"{m['worker']:10.0f} {m['doc']:7.0f} "
              f"{max(r['servers'] for r in runs[n]):8d} {max(r['failed'] for r in runs[n]):7d} "
              f"{min(loads):4.1f}-{max(loads):<4.1f}")
    for dask_name in ("main-dask:2", "dask:2"):
        for base_name in ("default:1", "dask:1", "default:2", "main-dask:2"):
            if dask_name in med and base_name in med and base_name != dask_name:
                b, d = med[base_name], med[dask_name]
                print(f"{dask_name} vs {base_name:11}: documents phase {b['docs'] / d['docs']:.2f}x, "
                      f"whole command {b['wall'] / d['wall']:.2f}x")
    print("\ncpu s by process (medians): " + "; ".join(
        f"{n}: " + ", ".join(f"{k} {statistics.median(r['cpu_by'][k] for r in rs):.1f}" for k in KINDS)
        for n, rs in runs.items()))
    print(f"load at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
