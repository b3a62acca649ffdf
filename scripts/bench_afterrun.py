"""The after-run phase alone (issue 15 point 2, issue 14 point 3), in-process: no CLI, no Prefect.

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_afterrun.py --sizes 200 --runs 5
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_afterrun.py --sizes 200 --profile      # cProfile of a no-change run
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_afterrun.py --memory 50,1000           # peak RSS, one process per size
    PYTHONPATH=$PWD .venv/bin/python scripts/bench_afterrun.py --fill-cache CORPUS OUT   # see below

The five corpus reviews are processed once (ingest, NLP, extraction); a synthetic corpus of N reviews
is those results under N distinct ids (`synthetic_result`: copy i of a review gets the doc_id
sha256(original id, i) and the file name "<i>_<name>"; its mentions' provenance follows), fed to
`run.RunOutputs` one at a time as the flow does (each made just before it is added, never all held).
Per size: a full run (fresh output root), then --runs no-change runs, then a run where one document
changed (its title). Reported: wall and CPU seconds of `finish` (the phase after the documents: reconcile,
store, exports, report, publication) and of all `add` calls, and the store's size.

--memory: each size in a fresh interpreter (a full run then a no-change run); peak RSS of that process
(ru_maxrss) minus its RSS before the first document was added.

--fill-cache CORPUS OUT: for a synthetic corpus made by bench_scale.synthetic_corpus
(copies of the corpus reviews with a unique line each), fills OUT's per-document cache with the processed
reviews under each copy's id, so that a CLI run over CORPUS into OUT reads every document from the cache and
the whole after-run phase runs on N new documents without hours of NLP (the peak-RSS-from-cache figures).

Times are measured here and reported in the README, never asserted in tests.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.model import DocResult  # noqa: E402


def base_results(settings, rules_key: str) -> dict[str, DocResult]:
    """The corpus reviews processed once: file name -> result."""
    from pipeline.ingest import list_corpus
    from pipeline.process import process_file

    return {p.name: process_file(p, settings, rules_key) for p in list_corpus(ROOT / "corpus")
            if p.suffix in (".txt", ".md")}


def synthetic_result(r: DocResult, doc_id: str, source_file: str) -> DocResult:
    """`r` as the result of another file: its id and name in the document and in every mention's provenance."""
    ms = tuple(replace(m, prov=replace(m.prov, doc_id=doc_id, source_file=source_file)) for m in r.mentions)
    return replace(r, doc=replace(r.doc, doc_id=doc_id, source_file=source_file), mentions=ms)


def synthetic_stream(base: dict[str, DocResult], n: int, changed: int = -1, start: int = 0
                     ) -> Iterator[tuple[int, DocResult]]:
    names = sorted(base)
    for i in range(start, n):
        name = names[i % len(names)]
        r = synthetic_result(base[name], hashlib.sha256(f"{base[name].doc.doc_id}:{i}".encode()).hexdigest(),
                             f"{i:05d}_{name}")
        if i == changed:
            r = replace(r, doc=replace(r.doc, title=r.doc.title + " (changed)"))
        yield i, r


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:")) / 1024


def one_run(settings, rules_key: str, code: str, rules, base, n: int, changed: int = -1, profile=None) -> dict:
    from pipeline.process import result_from_json, result_to_json
    from pipeline.run import RunOutputs

    index: dict[str, int] = {}

    def reload(doc_id):          # the per-document cache, as the flow's reload reads it: made again on demand
        i = index.get(doc_id)
        return None if i is None else next(synthetic_stream(base, i + 1, changed, start=i))[1]

    t_add = c_add = 0.0
    with RunOutputs(settings, rules_key, code, (), rules, reload=reload) as run:
        for i, r in synthetic_stream(base, n, changed):
            r = result_from_json(result_to_json(r))      # as the flow reads it from the cache: no string shared
            index[r.doc.doc_id] = i
            t0, c0 = time.perf_counter(), time.process_time()
            run.add(i, r)
            t_add, c_add = t_add + time.perf_counter() - t0, c_add + time.process_time() - c0
            del r
        rss0 = _rss_mb()
        t0, c0 = time.perf_counter(), time.process_time()
        if profile is not None:
            profile.enable()
        summary = run.finish(set())
        if profile is not None:
            profile.disable()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"finish_wall": wall, "finish_cpu": cpu, "add_wall": t_add, "add_cpu": c_add, "rss_before_finish": rss0,
            "status": summary["status"], "n_facts": summary["n_facts"], "outputs": len(summary["outputs"])}


def store_bytes(out: Path) -> int:
    return sum(p.stat().st_size for p in (out / ".store").rglob("*") if p.is_file())


def setup():
    from pipeline.config import Settings, code_version, rules_hash
    from pipeline.rules import load_rules

    s = Settings.resolve(corpus=str(ROOT / "corpus"))
    rk = rules_hash(s.rules_dir)
    return s, rk, code_version(), load_rules(s.rules_dir)


def timing(sizes: list[int], runs: int, profile: bool) -> None:
    s, rk, code, rules = setup()
    base = base_results(s, rk)
    print(f"{'reviews':>7} {'run':<14} {'finish wall s':>13} {'finish CPU s':>12} {'add CPU s':>10} "
          f"{'store bytes':>12} {'facts':>6}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-afterrun-") as tmp:
            st = replace(s, out=Path(tmp) / "out", store_url=f"sqlite:///{tmp}/out/.store/runs.sqlite")
            rows = [("full", one_run(st, rk, code, rules, base, n))]
            first = store_bytes(st.out)
            sizes_after = [first]
            prof = cProfile.Profile() if profile else None
            for k in range(runs):
                rows.append((f"no change {k + 1}", one_run(st, rk, code, rules, base, n, profile=prof if k == runs - 1 else None)))
                sizes_after.append(store_bytes(st.out))
            rows.append(("one changed", one_run(st, rk, code, rules, base, n, changed=n // 2)))
            for name, r in rows:
                print(f"{n:>7} {name:<14} {r['finish_wall']:>13.3f} {r['finish_cpu']:>12.3f} {r['add_cpu']:>10.3f} "
                      f"{store_bytes(st.out) if name == 'one changed' else sizes_after[min(len(sizes_after) - 1, rows.index((name, r)))]:>12} "
                      f"{r['n_facts']:>6}")
            nc = [r["finish_wall"] for name, r in rows if name.startswith("no change")]
            if nc:
                print(f"{n:>7} no-change finish: median {statistics.median(nc):.3f} s wall = "
                      f"{100 * statistics.median(nc) / rows[0][1]['finish_wall']:.1f}% of the full run's; store +"
                      f"{100 * (sizes_after[-1] - first) / first:.2f}% over {runs} no-change runs")
            if prof is not None:
                pstats.Stats(prof).sort_stats("cumulative").print_stats(35)


def memory_child(n: int) -> None:
    s, rk, code, rules = setup()
    base = base_results(s, rk)
    with tempfile.TemporaryDirectory(prefix="bench-afterrun-") as tmp:
        st = replace(s, out=Path(tmp) / "out", store_url=f"sqlite:///{tmp}/out/.store/runs.sqlite")
        rss0 = _rss_mb()
        full = one_run(st, rk, code, rules, base, n)
        again = one_run(st, rk, code, rules, base, n)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "rss_before": rss0, "peak": peak, "grew": peak - rss0,
                      "full_finish_wall": full["finish_wall"], "nochange_finish_wall": again["finish_wall"]}))


def memory(sizes: list[int]) -> None:
    print(f"{'reviews':>7} {'RSS before MB':>13} {'peak MB':>8} {'grew MB':>8} {'full finish s':>13} {'no-change s':>11}")
    for n in sizes:
        p = subprocess.run([sys.executable, __file__, "--memory-child", str(n)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        r = json.loads(p.stdout.strip().splitlines()[-1])
        print(f"{n:>7} {r['rss_before']:>13.0f} {r['peak']:>8.0f} {r['grew']:>8.0f} {r['full_finish_wall']:>13.2f} "
              f"{r['nochange_finish_wall']:>11.3f}", flush=True)


def fill_cache(corpus: Path, out: Path) -> int:
    """OUT's per-document cache filled for every copy in CORPUS (names '<prefix><i>_<review name>')."""
    from pipeline.config import extraction_key
    from pipeline.ingest import list_corpus, source_name
    from pipeline.process import save_cached

    s, rk, code, _ = setup()
    base = base_results(s, rk)
    ckey = rk + extraction_key(s)
    n = 0
    for p in list_corpus(corpus):
        name = next((b for b in base if p.name.endswith("_" + b)), None)
        if name is None:
            continue
        sha = hashlib.sha256(p.read_bytes()).hexdigest()
        save_cached(out, sha, ckey, code, synthetic_result(base[name], sha, source_name(p, corpus)))
        n += 1
    print(f"{n} cached results written under {out / '.cache'}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200", help="comma-separated corpus sizes (default 200)")
    ap.add_argument("--runs", type=int, default=5, help="no-change runs after the full run")
    ap.add_argument("--profile", action="store_true", help="cProfile of the last no-change run's finish")
    ap.add_argument("--memory", default="", help="comma-separated sizes: peak RSS, one fresh process each")
    ap.add_argument("--memory-child", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--fill-cache", nargs=2, metavar=("CORPUS", "OUT"))
    args = ap.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child)
        return 0
    if args.fill_cache:
        return fill_cache(Path(args.fill_cache[0]), Path(args.fill_cache[1]))
    print(f"# bench_afterrun {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, load {os.getloadavg()[0]:.1f}")
    if args.memory:
        memory([int(x) for x in args.memory.split(",") if x])
        return 0
    timing([int(x) for x in args.sizes.split(",") if x], args.runs, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
