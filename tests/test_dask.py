"""The same main flow on a real local Dask cluster of two worker processes (prefect-dask):

- with the flow given a DaskTaskRunner (the Python API), the outputs are those of the default runner,
  every task run is recorded in the flow's one Prefect API, and each Dask worker built its NLP
  pipeline once (a worker process per Dask worker, serving every document it gets);
- through the CLI on a running cluster (`run --dask tcp://...`) with no Prefect API configured, the
  run starts exactly one temporary Prefect server (the flow's: the workers are handed its URL) and
  its documents go through the budgets as on the default runner (a document over its time budget
  fails with E006, alone);
- the setting names a cluster or is refused in one line; workers on another machine cannot be sent
  the loopback URL of a temporary server (E226).
No timing asserts: speed is measured by scripts/bench_dask.py (README).
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from conftest import CORPUS, DOC1, ROOT

DOCS = ("002_a0f38ae1b1a028d1.txt", "004_bee61af27c55501b.txt", "003_2deb1f22f8bf69ef.txt")
OUTPUTS = ("documents.csv", "entities.csv", "trials.csv", "endpoints.csv", "approvals.csv",
           "mentions/trials.csv", "mentions/endpoints.csv", "mentions/approvals.csv")


def _rows(p: Path) -> list[dict]:
    with p.open(encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in r.items() if k not in ("first_seen_run", "last_seen_run")} for r in csv.DictReader(fh)]


def _python(code: str) -> subprocess.CompletedProcess:
    """`code` run by a fresh interpreter with this checkout on its path; it must exit 0."""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                       text=True, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return r


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    return corpus


def test_flow_on_a_local_dask_cluster_matches_the_default_runner_and_reports_to_one_api(tmp_path):
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (pip install -e .[dask])")
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness
    from prefect_dask import DaskTaskRunner

    from pipeline.flows import main_flow

    corpus = _corpus(tmp_path)
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                            "dashboard_address": None})
    with prefect_test_harness(server_startup_timeout=120):
        api = PREFECT_API_URL.value().rstrip("/")
        state = main_flow.with_options(task_runner=runner)(corpus=str(corpus), out=str(tmp_path / "dask"),
                                                           return_state=True)
        on_dask = state.result()
        default = main_flow(corpus=str(corpus), out=str(tmp_path / "threads"))
        with get_client(sync_client=True) as client:
            task_runs = client.read_task_runs(flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
    assert on_dask["n_failed"] == 0 and on_dask["n_reused"] == 0
    assert on_dask["n_mentions"] == default["n_mentions"] > 0
    for name in OUTPUTS:
        assert _rows(tmp_path / "dask" / name) == _rows(tmp_path / "threads" / name), name
    assert "cluster" not in default

    # every document's task run is recorded under the flow run, in the flow's API
    docs = [t for t in task_runs if t.name in DOCS]
    assert sorted(t.name for t in docs) == sorted(DOCS) and all(t.state.is_completed() for t in docs)
    workers = on_dask["cluster"]["workers"]
    assert len(workers) == 2 and len({w["pid"] for w in workers}) == 2 and os.getpid() not in {w["pid"] for w in workers}
    assert on_dask["cluster"]["api_url"] == api
    assert {u for w in workers for u in w["api_urls"]} == {api}
    assert not any(w["temporary_server"] for w in workers)
    # the pipeline is built once per Dask worker, not per task: 3 documents, 2 workers, 1 build each
    assert sum(w["documents"] for w in workers) == len(DOCS)
    assert max(w["documents"] for w in workers) >= 2
    assert all(w["pipelines_built"] == (1 if w["documents"] else 0) for w in workers), workers
    # a DaskTaskRunner the caller made keeps Dask's configuration (its workers' profiler on) and spawns
    # its workers (this process runs Prefect's threads: no fork)
    assert all(w["profiling"] for w in workers), workers
    assert not any(w["forked"] for w in workers), workers


def _prefect_servers(root: psutil.Process) -> set[int]:
    found = set()
    for p in root.children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            continue
        if "uvicorn" in cmd and "prefect.server.api.server:create_app" in cmd:
            found.add(p.pid)
    return found


def test_cli_on_a_running_cluster_starts_one_prefect_server_and_keeps_the_time_budget(tmp_path):
    """`run --dask tcp://...` (a scheduler and two worker processes started here, as `dask scheduler`
    and `dask worker` would be) with no PREFECT_API_URL: the flow's temporary server is the only
    Prefect server (before, each Dask worker started its own); a document over its time budget fails
    with E006 alone, the others go through."""
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (pip install -e .[dask])")
    from distributed import LocalCluster

    from test_execution import long_document, unique_copies

    corpus = tmp_path / "corpus"
    big = long_document(corpus)
    small = unique_copies(CORPUS / DOC1, corpus, 3)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect-home"), HER2_DOC_TIMEOUT="3",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", HER2_PREFECT_SERVER="temporary")   # one server per run
    servers: set[int] = set()
    done = threading.Event()

    def watch() -> None:      # this process's tree: the CLI, its server, and the cluster's workers
        me = psutil.Process()
        while not done.is_set():
            servers.update(_prefect_servers(me))
            done.wait(0.2)

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        th = threading.Thread(target=watch, daemon=True)
        th.start()
        try:
            r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out",
                                str(tmp_path / "out"), "--dask", cluster.scheduler_address], cwd=ROOT, env=env,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
        finally:
            done.set()
            th.join()
    log = r.stdout
    assert r.returncode == 1, log[-3000:]       # one document failed
    assert f"Dask ({cluster.scheduler_address}): 2 workers" in log, log[-3000:]
    # a running cluster keeps its own configuration (Dask's default: its workers' profiler on)
    assert re.search(r"pipelines built \[\d, \d\], profiling \[True, True\]", log), log[-3000:]
    assert len(servers) == 1, f"{len(servers)} Prefect servers started:\n{log[-3000:]}"
    with (tmp_path / "out" / "documents.csv").open(encoding="utf-8", newline="") as fh:
        rows = {row["source_file"]: row for row in csv.DictReader(fh)}
    assert rows[big.name]["status"] == "failed"
    assert rows[big.name]["error"] == f"E006 {big.name}: processing took longer than 3 s and was stopped"
    assert all(rows[p.name]["status"] == "ok" for p in small)


def test_cli_on_a_local_cluster_starts_it_with_the_run_and_matches_the_default_runner(tmp_path):
    """`run --dask local:2`: the CLI starts the local cluster while Prefect's server starts and warms
    its workers (task code imported, document processes started) for the flow, which connects to that
    cluster: each Dask worker built its pipeline exactly once (the warmed pool is the one its tasks
    use: a pool for other settings would be a second build), the documents are all processed, the
    flow's temporary server is the only Prefect server, and the outputs are the default runner's."""
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (pip install -e .[dask])")

    corpus = _corpus(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               HER2_PREFECT_SERVER="temporary")      # one server per run, stopped with it
    servers: set[int] = set()
    done = threading.Event()

    def watch() -> None:
        me = psutil.Process()
        while not done.is_set():
            servers.update(_prefect_servers(me))
            done.wait(0.2)

    def run(out: str, *extra: str) -> str:
        r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out",
                            str(tmp_path / out), *extra], cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=900)
        assert r.returncode == 0, r.stdout[-3000:]
        return r.stdout

    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        log = run("dask", "--dask", "local:2")
    finally:
        done.set()
        th.join()
    # the cluster started for the run spares its workers Dask's housekeeping (profiler off: LOCAL_CLUSTER_CONFIG)
    # and forks them from the CLI's process (FORK_CONFIG)
    m = re.search(r"Dask \(a local cluster of 2 worker processes, started with the run\): 2 workers, "
                  r"documents \[(\d+), (\d+)\], pipelines built \[(\d+), (\d+)\], profiling \[False, False\], "
                  r"forked \[True, True\]", log)
    assert m, log[-3000:]
    assert int(m[1]) + int(m[2]) == len(DOCS) and (int(m[3]), int(m[4])) == (1, 1), m[0]
    assert len(servers) == 1, f"{len(servers)} Prefect servers started:\n{log[-3000:]}"
    # its documents done, the cluster retires its workers while the run writes its outputs, not after
    retire, finished = log.find("Retire worker addresses"), log.find("INFO pipeline.run: run ")
    assert 0 <= retire < finished, log[-3000:]
    run("default")
    for name in OUTPUTS:
        assert _rows(tmp_path / "dask" / name) == _rows(tmp_path / "default" / name), name


def test_the_dask_setting_names_a_cluster_or_is_refused_in_one_line():
    from pipeline.cluster import DaskTarget, dask_target
    from pipeline.errors import PipelineError

    assert dask_target("", 2) is None
    assert dask_target("local", 2) == DaskTarget(local_workers=2)
    assert dask_target("local:3", 2) == DaskTarget(local_workers=3)
    assert dask_target("tcp://scheduler:8786", 2) == DaskTarget(address="tcp://scheduler:8786")
    assert dask_target("10.0.0.5:8786", 2) == DaskTarget(address="tcp://10.0.0.5:8786")
    for bad in ("yes", "local:0", "tcp://scheduler", "http://x y:1"):
        with pytest.raises(PipelineError, match="^E225 configuration: dask="):
            dask_target(bad, 2)


def test_workers_on_another_machine_are_not_sent_a_loopback_prefect_url():
    from pipeline.cluster import check_api_reachable, unreachable_workers
    from pipeline.errors import PipelineError

    temporary = "http://127.0.0.1:8123/api"
    here = ["tcp://127.0.0.1:40123", "tcp://localhost:40124"]
    far = "tcp://203.0.113.7:40125"      # TEST-NET-3: never this machine
    assert unreachable_workers(temporary, here) == []
    assert unreachable_workers(temporary, here + [far]) == [far]
    assert unreachable_workers("http://prefect.example.org:4200/api", here + [far]) == []   # a configured server
    with pytest.raises(PipelineError, match=r"^E226 Dask scheduler tcp://s:8786: workers tcp://203\.0\.113\.7:40125 .*"
                                            r"set PREFECT_API_URL"):
        check_api_reachable(temporary, here + [far], "tcp://s:8786")


def test_the_cli_refuses_a_malformed_dask_setting_before_prefect_starts(tmp_path):
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(CORPUS), "--out", str(tmp_path / "o"),
                        "--dask", "somewhere"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == ["error: E225 configuration: dask='somewhere' names no Dask cluster; use "
                                             "'local', 'local:N' (N worker processes) or a scheduler address such as "
                                             "tcp://scheduler:8786"]
    assert not (tmp_path / "o").exists()


def test_a_worker_whose_rules_differ_from_the_runs_refuses_to_process(tmp_path):
    """A Dask worker on another machine loads the rules from the run's rules path: if they are not
    the run's (another version installed there), every document it gets fails with E228 instead of
    being extracted under other rules and cached under the run's rules hash."""
    from pipeline.config import Settings, rules_hash
    from pipeline.errors import PipelineError
    from pipeline.workers import run_budgeted

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    s = Settings.resolve(corpus=str(CORPUS), out=str(tmp_path / "out"), rules_dir=str(rules))
    run_key = rules_hash(rules)
    with (rules / "trials.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# this worker's rules are another version\n")
    with pytest.raises(PipelineError, match=rf"^E228 Dask worker on .*: the rules in {rules} hash to "
                                            rf"{rules_hash(rules)}, the run's to {run_key}; install"):
        run_budgeted(str(CORPUS / DOC1), s, run_key)


def test_a_batch_tries_a_document_again_once_when_its_worker_process_crashes(tmp_path):
    """run_batch (one task's documents on a Dask worker): a document process killed while on a
    document (a crash, not a budget) is replaced and the document tried again; the others go through;
    the replacement built its pipeline once more (two builds in all)."""
    import signal
    import time

    from pipeline.config import Settings, rules_hash
    from pipeline.workers import _OWN, decoded, process_stats, run_batch
    from test_execution import long_document, unique_copies

    big = long_document(tmp_path / "corpus", copies=2)
    small = unique_copies(CORPUS / DOC1, tmp_path / "corpus", 1)[0]
    s = Settings.resolve(corpus=str(tmp_path / "corpus"), out=str(tmp_path / "out"), doc_timeout=600)
    key = rules_hash(s.rules_dir)
    before = process_stats()["pipelines_built"]
    got: list = []
    th = threading.Thread(target=lambda: got.extend(run_batch([str(big), str(small)], s, key)))
    th.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(w.job is not None for p in _OWN.values() for w in p._workers):
        time.sleep(0.05)
    pool = _OWN[(s, key)]
    os.kill(pool.worker_pids()[0], signal.SIGKILL)
    th.join(timeout=600)
    pool.close()
    assert all(isinstance(r, bytes) for r in got)     # a Dask worker hands on its document processes' bytes
    got = [decoded(r) for r in got]
    assert [r.doc.source_file for r in got] == [big.name, small.name]
    assert all(r.doc.status == "ok" for r in got)
    assert process_stats()["pipelines_built"] - before == 2


def test_a_forked_dask_worker_does_not_keep_the_clis_signal_handlers():
    """The CLI's SIGTERM/SIGHUP handler raises the run's Terminated; a worker forked from it gets a fresh
    interpreter's handlers instead (SIG_DFL), as a spawned worker has."""
    code = ("import signal\n"
            "from distributed import Client\n"
            "from pipeline.cluster import DaskTarget, _local_cluster, forked_worker\n"
            "def handler(signum, frame):\n"
            "    raise SystemExit(3)\n"
            "signal.signal(signal.SIGTERM, handler); signal.signal(signal.SIGHUP, handler)\n"
            "def probe():\n"
            "    return (forked_worker(), signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,\n"
            "            signal.getsignal(signal.SIGHUP) == signal.SIG_DFL)\n"
            "c = _local_cluster(DaskTarget(local_workers=1), fork=True)\n"
            "with Client(c) as client:\n"
            "    print(list(client.run(probe).values()))\n"
            "c.close()\n")
    r = _python(code)
    assert r.stdout.strip() == "[(True, True, True)]", r.stdout


def test_the_cli_forks_its_local_clusters_workers_only_from_a_process_running_no_other_thread():
    """FORK_CONFIG: a worker forked while another thread runs could inherit a lock that thread held,
    so a second thread in the CLI's process makes the local cluster spawn its workers instead."""
    code = ("import threading, time\n"
            "from pipeline.cluster import DaskTarget, _can_fork, _local_cluster\n"
            "from distributed import Client\n"
            "from pipeline.cluster import forked_worker\n"
            "def forked():\n"
            "    c = _local_cluster(DaskTarget(local_workers=1), fork=_can_fork())\n"
            "    with Client(c) as client:\n"
            "        r = list(client.run(forked_worker).values())\n"
            "    c.close()\n"
            "    return r\n"
            "alone = forked()\n"
            "stop = threading.Event(); t = threading.Thread(target=stop.wait); t.start()\n"
            "busy = forked(); stop.set(); t.join()\n"
            "print(alone, busy)\n")
    r = _python(code)
    assert r.stdout.strip() == ("[True] [False]" if sys.platform.startswith("linux") else "[False] [False]"), r.stdout


def test_a_forked_dask_workers_document_processes_are_stopped_and_waited_for_when_it_ends(tmp_path):
    """A process forked by multiprocessing (a Dask worker of the CLI's local cluster) ends with
    os._exit, without atexit handlers: its pool's document processes must still be stopped and waited
    for by it (multiprocessing's finalizers), not left to die with their parent. Seen from outside:
    the document process's CPU (its spaCy pipeline built, a document processed: over a second) is in
    the CPU of the children this process waited for, which a process killed by its parent's death
    never reaches."""
    code = ("import multiprocessing, resource, sys\n"
            "from pipeline.config import Settings, rules_hash\n"
            "from pipeline.workers import active_pool\n"
            "def child(path, out):\n"
            "    s = Settings(corpus=str(__import__('pathlib').Path(path).parent), out=out)\n"
            "    pool = active_pool(s, rules_hash(s.rules_dir))\n"
            "    pool.submit(path, prepared=True).result(timeout=300)\n"
            "if __name__ == '__main__':\n"
            "    p = multiprocessing.get_context('fork').Process(target=child, args=(sys.argv[1], sys.argv[2]))\n"
            "    p.start(); p.join()\n"
            "    r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            "    print(p.exitcode, round(r.ru_utime + r.ru_stime, 1))\n")
    script = tmp_path / "fork_pool.py"
    script.write_text(code, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script), str(CORPUS / DOCS[0]), str(tmp_path / "out")], cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True, capture_output=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    exitcode, cpu = r.stdout.split()
    assert exitcode == "0" and float(cpu) > 1.0, r.stdout


def test_the_task_code_a_dask_worker_imports_leaves_out_the_after_run_stages():
    """A Dask worker imports pipeline.flows for its tasks; the after-run stages (run history,
    reconcile, reports: SQLAlchemy among them) are imported by the flow's own functions when they
    run, so a worker does not pay for them at its start."""
    code = ("import sys, pipeline.flows\n"
            "print(sorted(m for m in ('pipeline.run', 'pipeline.process', 'pipeline.store', 'pipeline.report', 'pipeline.reconcile',"
            " 'sqlalchemy') if m in sys.modules))\n")
    r = _python(code)
    assert r.stdout.strip() == "[]", r.stdout


def test_a_warmed_dask_worker_starts_its_document_processes_before_importing_the_task_code(tmp_path):
    """`warm_dask_worker` (run on each worker of a local cluster started for a run): its own module
    imports no Prefect, and the worker's document processes are asked for before the task module (the
    flow's: Prefect's task engine, about 1 s of imports) is imported, so their pipelines build meanwhile.
    A probe task module records what it finds when imported."""
    (tmp_path / "probe_tasks.py").write_text(
        "import sys\nfrom pipeline import workers\n"
        "PREFECT_BEFORE = 'prefect' in sys.modules\n"
        "WARM_ASKED = [p._warm for p in workers._OWN.values()]\n", encoding="utf-8")
    code = ("import sys; from pipeline.config import Settings, rules_hash; from pipeline.workers import warm_dask_worker\n"
            "s = Settings(corpus=sys.argv[1], out=sys.argv[2])\n"
            "n = warm_dask_worker(s, rules_hash(s.rules_dir), 'probe_tasks')\n"
            "import probe_tasks\nprint(n, probe_tasks.PREFECT_BEFORE, probe_tasks.WARM_ASKED)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    r = subprocess.run([sys.executable, "-c", code, str(CORPUS), str(tmp_path / "out")], cwd=ROOT, env=env,
                       text=True, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split("\n")[-2] == "1 False [1]", r.stdout


def test_the_scale_out_benchmark_sampler_reads_the_tree_in_one_walk():
    """scripts/bench_dask.py's TreeWatch on a real process tree: the command (here a Python process),
    a worker under it holding a `worker_main` process, and another child: the worker's subtree and
    the document process are found, their CPU is kept by kind, and each command line is read once."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_dask import TreeWatch

    # (the document process's command line alone holds the word: the worker's joins it at run time)
    worker = ("import subprocess, sys, time; "
              "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)  # worker' + '_main']); time.sleep(30)")
    cmd = (f"import subprocess, sys, time; a = subprocess.Popen([sys.executable, '-c', {worker!r}]); "
           "b = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); time.sleep(30)")
    root = subprocess.Popen([sys.executable, "-c", cmd])
    try:
        ps = psutil.Process(root.pid)
        deadline = time.time() + 30
        while len(ps.children(recursive=True)) < 3 and time.time() < deadline:
            time.sleep(0.1)
        watch = TreeWatch()
        reads = []
        real = psutil.Process.cmdline
        psutil.Process.cmdline = lambda self: reads.append(self.pid) or real(self)
        try:
            total = watch(ps)
            total2 = watch(ps)
        finally:
            psutil.Process.cmdline = real
        procs = [ps, *ps.children(recursive=True)]
        assert len(procs) == 4 and total > 0 and total2 > 0
        assert sorted(reads) == sorted(p.pid for p in procs)         # once each, not at every sample
        kinds = sorted(k for k, _ in watch.cpu.values())
        assert kinds == ["document", "other", "other", "parent"], kinds
        assert watch.peak["doc"] > 0 and watch.peak["worker"] > watch.peak["doc"], watch.peak
        assert watch.peak["parent"] > 0 and total >= watch.peak["parent"] + watch.peak["worker"]
    finally:
        for p in psutil.Process(root.pid).children(recursive=True):
            p.kill()
        root.kill()
        root.wait()
