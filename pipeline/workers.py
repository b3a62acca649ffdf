"""Per-document work in worker processes, each under a hard wall-clock and memory budget.

A `WorkerPool` keeps `n` spawned worker processes. Each builds its rules and spaCy pipelines once,
says it is ready, then processes one document at a time (`process_file`). A supervisor thread in the
parent hands a document to a ready, idle worker and starts that document's clock only then, so the
budget measures the document's own processing, never its wait in the queue. A document over its time
or memory budget has its worker killed (SIGKILL: a runaway regex or C loop cannot ignore it) and comes
back `failed` with E006 or E210; a replacement worker is started and the run goes on. Those failures are
deterministic and returned as results, so they are never retried; a worker that dies by itself raises
`WorkerCrashed` (transient: the caller may retry once).

Why not Prefect's ProcessPoolTaskRunner: a task there cannot be killed alone (killing its process
breaks the whole ProcessPoolExecutor and every task in flight with it), its timeout is still a thread
timeout inside the worker, and it has no memory bound.

Workers die with the parent (Linux PR_SET_PDEATHSIG), also when the parent is SIGKILLed.
"""
from __future__ import annotations

import collections
import ctypes
import importlib
import logging
import multiprocessing.util
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Optional, Sequence

from pipeline.config import Settings, rules_hash
from pipeline.errors import Errors, PipelineError
from pipeline.ingest import failed_document
from pipeline.lifecycle import python_child
from pipeline.model import DocResult, PreparedResult

log = logging.getLogger("pipeline.workers")

POLL_SECONDS = 0.2            # how often budgets are checked
RECYCLE_SHARE = 0.75          # an idle worker above this share of the memory budget is replaced


# what this process's pools did: worker processes that built their pipelines, documents they processed
# (a Dask worker reports them to the flow: pipeline/flows.py)
_STATS: collections.Counter = collections.Counter()


def process_stats() -> dict:
    """This process's pid, pipelines built and documents processed by its worker processes, and its
    own and its worker processes' memory (RSS, MB) now."""
    import psutil

    me = psutil.Process()
    rss = me.memory_info().rss
    for c in me.children(recursive=True):
        try:
            rss += c.memory_info().rss
        except psutil.Error:
            pass
    return {"pid": os.getpid(), "pipelines_built": _STATS["pipelines_built"], "documents": _STATS["documents"],
            "rss_mb": round(rss / 2 ** 20, 1)}


class WorkerCrashed(RuntimeError):
    """A worker process died while processing a document (not over a budget): may be transient."""


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:     # not Linux
        return max(1, os.cpu_count() or 1)


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when the thread that started it exits (no-op elsewhere)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)         # PR_SET_PDEATHSIG
    except OSError:
        pass


def worker_main() -> None:
    """A worker process: `python -c "...worker_main()" FD`, FD a socket to the pool. It is started as a
    fresh interpreter (not multiprocessing's spawn, which would re-run the caller's __main__ script)."""
    die_with_parent()
    conn = Connection(int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # the parent decides when to stop
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        parent, settings, rules_key = conn.recv()
    except (EOFError, OSError):
        return
    if os.getppid() != parent:                # the parent died before prctl took effect
        return
    from pipeline.nlp import get_pipelines
    from pipeline.process import prepared_result, process_file, rules_for

    get_pipelines(settings, rules_for(settings, rules_key), rules_key)   # once per worker, not per document
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, prepared = job
        result = process_file(Path(path), settings, rules_key)
        if prepared:      # the flow's: its head and the bytes the flow writes (cache entries, files)
            try:
                result = prepared_result(result, settings)
            except Exception:   # (never seen) the flow then makes them from the whole result, as before
                log.exception("%s: its outputs could not be prepared in the worker process", Path(path).name)
        # pickled here, once: a pool that hands results on (a Dask worker's) passes the bytes as they are
        conn.send(("done", pickle.dumps(result, pickle.HIGHEST_PROTOCOL)))


@dataclass
class _Job:
    path: str
    future: Future
    started: float = 0.0
    prepared: bool = False        # the result as a model.PreparedResult (process.prepared_result)


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    ready: bool = False
    job: Optional[_Job] = None
    ps: object = field(default=None, repr=False)      # psutil.Process, for the memory budget

    def rss_mb(self) -> float:
        try:
            return self.ps.memory_info().rss / 2 ** 20
        except Exception:   # gone already
            return 0.0


class WorkerPool:
    """`submit(path) -> Future[DocResult]` (`submit(path, prepared=True)`: Future[PreparedResult], what
    the flow takes: the result's head and the bytes the flow writes, made in the worker process; a
    document over its budget still comes back as a failed DocResult); use as a context manager
    (workers are killed on exit).
    With `raw`, a document's result is the worker process's pickled bytes (`decoded` makes it a
    DocResult): a pool that only hands results on, a Dask worker's, neither decodes nor re-encodes them."""

    def __init__(self, settings: Settings, rules_key: str, n_workers: int = 0, raw: bool = False):
        self.settings, self.rules_key = settings, rules_key
        self.raw = raw
        self.n = n_workers or settings.workers or default_workers()
        self.time_budget = float(settings.doc_timeout)
        self.memory_budget = float(settings.doc_memory_mb)
        self._pending: collections.deque[_Job] = collections.deque()
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_r, self._wake_w = os.pipe()         # submit() and close() wake the supervisor
        for fd in (self._wake_r, self._wake_w):
            os.set_blocking(fd, False)
        self._closed = False
        self._ahead: dict[str, Future] = {}     # documents started before the flow asked (ahead)
        self._ahead_prepared: dict[str, bool] = {}      # and in which form (submit's `prepared`)
        self._warm = 0           # workers wanted before any document (warm()); otherwise they start as
                                 # documents come, up to n: an unused pool costs nothing, one document one worker
        self._thread = threading.Thread(target=self._supervise, name="her2-worker-pool", daemon=True)
        self._thread.start()     # workers are started by this thread: PDEATHSIG is tied to it

    # ---- public
    def submit(self, path: str, prepared: bool = False) -> Future:
        """The document's future: the one `ahead` started for it in the same form (taken once: a retry
        processes it again), else a new job."""
        fut: Future = Future()
        fut.set_running_or_notify_cancel()
        with self._lock:
            if self._closed:
                raise RuntimeError("worker pool is closed")
            if str(path) in self._ahead and self._ahead_prepared[str(path)] == prepared:
                del self._ahead_prepared[str(path)]
                return self._ahead.pop(str(path))
            self._pending.append(_Job(str(path), fut, prepared=prepared))
        self._wake()
        return fut

    def ahead(self, paths: Sequence[str], prepared: bool = False) -> "WorkerPool":
        """Start these documents now, before anyone asks: a run's first documents are processed while
        its Prefect server starts and its flow opens; the flow's `submit` of the same path (and form)
        takes the result (or waits for it). Under the same budgets as any document."""
        for path in paths:
            fut = self.submit(str(path), prepared)
            with self._lock:
                self._ahead[str(path)], self._ahead_prepared[str(path)] = fut, prepared
        return self

    def warm(self, n: int = 1) -> "WorkerPool":
        """Start n worker processes now, before any document: their imports and pipeline building
        overlap the caller's other start-up work (a run's Prefect server)."""
        with self._lock:
            self._warm = max(self._warm, min(n, self.n))
        self._wake()
        return self

    def worker_pids(self) -> list[int]:
        return [w.process.pid for w in list(self._workers)]

    def worker_rss_mb(self) -> list[float]:
        return [w.rss_mb() for w in list(self._workers)]

    def close(self) -> None:
        """Kill every worker now (documents in flight are not waited for) and stop the supervisor."""
        with self._lock:
            self._closed = True
        self._wake()
        self._thread.join(timeout=10)
        with self._lock:
            if not self._thread.is_alive() and self._wake_w is not None:
                os.close(self._wake_r)
                os.close(self._wake_w)
                self._wake_r = self._wake_w = None

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- supervisor thread
    def _wake(self) -> None:
        try:
            if self._wake_w is not None:
                os.write(self._wake_w, b"x")
        except OSError:      # full: already woken
            pass

    def _start_worker(self) -> None:
        import psutil

        mine, theirs = socket.socketpair()
        p = python_child("from pipeline.workers import worker_main; worker_main()", str(theirs.fileno()),
                         pass_fds=(theirs.fileno(),))
        theirs.close()
        conn = Connection(mine.detach())
        conn.send((os.getpid(), self.settings, self.rules_key))
        self._workers.append(_Worker(p, conn, ps=psutil.Process(p.pid)))

    def _kill(self, w: _Worker) -> None:
        try:
            w.process.kill()
            w.process.wait(timeout=5)
        except Exception:   # already reaped
            pass
        w.conn.close()
        if w in self._workers:
            self._workers.remove(w)

    def _fail(self, w: _Worker, reason: str) -> None:
        job = w.job
        w.job = None
        self._kill(w)
        log.error(reason)
        job.future.set_result(DocResult(failed_document(Path(job.path), self.settings.corpus, reason)))

    def _supervise(self) -> None:
        failure: BaseException = RuntimeError("worker pool closed")
        try:
            self._loop()
        except BaseException as exc:
            failure = WorkerCrashed(f"worker pool failed: {exc}")
            raise
        finally:            # never leave a caller waiting: fail what is in flight or queued
            with self._lock:
                self._closed = True
                jobs = [w.job for w in self._workers if w.job] + list(self._pending)
                self._pending.clear()
            for w in list(self._workers):
                self._kill(w)
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(failure)

    def _loop(self) -> None:
        while not self._closed:
            while len(self._workers) < self._wanted():
                self._start_worker()
            self._dispatch()
            by_conn = {w.conn: w for w in self._workers}
            for ready in wait([self._wake_r, *by_conn], timeout=POLL_SECONDS):    # a dead worker: EOF
                if ready == self._wake_r:
                    try:
                        os.read(self._wake_r, 4096)
                    except OSError:
                        pass
                elif by_conn[ready] in self._workers:
                    self._receive(by_conn[ready])
            self._check_budgets()

    def _wanted(self) -> int:
        with self._lock:
            demand = len(self._pending) + sum(1 for w in self._workers if w.job is not None)
            return min(self.n, max(self._warm, demand))

    def _dispatch(self) -> None:
        for w in self._workers:
            if w.ready and w.job is None:
                with self._lock:
                    if not self._pending:
                        return
                    job = self._pending.popleft()
                job.started = time.monotonic()       # the budget starts now, not at submission
                w.job = job
                w.conn.send((job.path, job.prepared))

    def _receive(self, w: _Worker) -> None:
        try:
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            self._died(w)
            return
        if kind == "ready":
            w.ready = True
            _STATS["pipelines_built"] += 1        # a worker process builds its pipelines once, before "ready"
            return
        job, w.job = w.job, None
        _STATS["documents"] += 1
        if job is not None:
            job.future.set_result(payload if self.raw else pickle.loads(payload))
        if self.memory_budget and w.rss_mb() > RECYCLE_SHARE * self.memory_budget:
            self._kill(w)          # a fresh worker rather than one that creeps towards the budget

    def _died(self, w: _Worker) -> None:
        job = w.job
        self._kill(w)
        code = w.process.returncode
        if job is not None:
            job.future.set_exception(WorkerCrashed(f"worker process exited with code {code} "
                                                   f"while processing {Path(job.path).name}"))
        elif not w.ready:
            raise WorkerCrashed(f"a worker process exited with code {code} before it was ready")

    def _check_budgets(self) -> None:
        now = time.monotonic()
        for w in list(self._workers):
            if w.job is None:
                continue
            name = Path(w.job.path).name
            if self.time_budget and now - w.job.started > self.time_budget:
                self._fail(w, Errors.E006.format(path=name, seconds=self.time_budget))
            elif self.memory_budget and w.rss_mb() > self.memory_budget:
                self._fail(w, Errors.E210.format(path=name, mb=self.memory_budget))


# ---- one pool per process: the flow opens it; a task running elsewhere (a Dask worker) gets a local one

_ACTIVE: dict[tuple, WorkerPool] = {}
_ACTIVE_LOCK = threading.Lock()


def _dask_threads() -> int:
    """The threads of the Dask worker this process is (tasks it runs at once), else 1."""
    try:
        from distributed import get_worker

        return max(1, int(get_worker().state.nthreads))
    except (ImportError, ValueError, AttributeError):    # not on a Dask worker
        return 1


_OWN: dict[tuple, WorkerPool] = {}    # the pool a process without an open_pool (a Dask worker) started: one


def active_pool(settings: Settings, rules_key: str) -> WorkerPool:
    """The pool this process runs documents in: the flow's (`open_pool`), or, in another process
    (a Dask worker), one started on first use with a worker process per thread of the Dask worker,
    kept for the life of the process: its worker processes build their pipelines once and serve
    the next runs too. A run with other settings or rules replaces it (a long-lived cluster does
    not pile up idle pools)."""
    key = (settings, rules_key)
    with _ACTIVE_LOCK:
        if key in _ACTIVE:
            return _ACTIVE[key]
        pool = _OWN.get(key)
        if pool is None or pool._closed:
            found = rules_hash(settings.rules_dir)      # another machine's rules must be the run's
            if found != rules_key:
                raise PipelineError(Errors.E228.format(host=socket.gethostname(), dir=settings.rules_dir,
                                                       found=found, expected=rules_key))
            for old in _OWN.values():
                old.close()
            _OWN.clear()
            pool = _OWN[key] = WorkerPool(settings, rules_key, n_workers=_dask_threads(), raw=True)
            # closed when the process ends: multiprocessing's finalizers run at interpreter exit (atexit)
            # and also in a Dask worker a local cluster forked (pipeline/cluster.py FORK_CONFIG), which ends
            # with os._exit, without atexit: the pool's processes are stopped and waited for, not killed by
            # their parent's death
            multiprocessing.util.Finalize(None, pool.close, exitpriority=0)
        return pool


_PRESTARTED: dict[tuple, WorkerPool] = {}    # warmed before the flow (prestart), taken by its open_pool


def warm_dask_worker(settings: Settings, rules_key: str, task_module: str) -> int:
    """Run on each Dask worker (Client.run) of a cluster started for a run, before its first task. This
    module imports no Prefect, so the function unpickles at once and the Dask worker's document
    processes start building their pipelines first (one per Dask thread); `task_module` (the flow's:
    Prefect's task engine and the task code, about 1 s of imports) is imported while they build, not
    before them."""
    pool = active_pool(settings, rules_key)
    pool.warm(pool.n)
    importlib.import_module(task_module)
    return pool.n


def prestart(settings: Settings, rules_key: str, n: int = 1, ahead: Sequence[str] = ()) -> None:
    """Warm a pool of n worker processes now for the run about to start with these settings and rules
    (the CLI does, while Prefect's server starts), and start the documents `ahead` in it (at most one
    per worker process: results are not held for long): the flow's `open_pool` takes it. One left
    unused is closed by `close_prestarted`."""
    with _ACTIVE_LOCK:
        if (settings, rules_key) not in _PRESTARTED:
            pool = WorkerPool(settings, rules_key)
            first = list(ahead)[:pool.n]      # in the form the flow asks for (prepared)
            _PRESTARTED[(settings, rules_key)] = pool.warm(max(n, len(first))).ahead(first, prepared=True)


def release_prestarted(settings: Settings, rules_key: str) -> None:
    """The pool `prestart` warmed for a run that needs none (every document reused): closed in the
    background, the run does not wait for its worker process to die."""
    with _ACTIVE_LOCK:
        pool = _PRESTARTED.pop((settings, rules_key), None)
    if pool is not None:
        threading.Thread(target=pool.close, name="her2-pool-release", daemon=True).start()


def close_prestarted() -> None:
    with _ACTIVE_LOCK:
        pools = list(_PRESTARTED.values())
        _PRESTARTED.clear()
    for pool in pools:
        pool.close()


class open_pool:
    """Context manager: a pool of `settings.workers` processes used by `active_pool` in this process
    (the one `prestart` warmed for these settings and rules, if any)."""

    def __init__(self, settings: Settings, rules_key: str):
        self.key = (settings, rules_key)
        with _ACTIVE_LOCK:
            pool = _PRESTARTED.pop(self.key, None)
        self.pool = pool if pool is not None and not pool._closed else WorkerPool(settings, rules_key)

    def __enter__(self) -> WorkerPool:
        with _ACTIVE_LOCK:
            _ACTIVE[self.key] = self.pool
        return self.pool

    def __exit__(self, *exc) -> None:
        with _ACTIVE_LOCK:
            if _ACTIVE.get(self.key) is self.pool:
                del _ACTIVE[self.key]
        self.pool.close()


def decoded(result: "DocResult | PreparedResult | bytes") -> "DocResult | PreparedResult":
    """A result as a raw pool (a Dask worker's) returns it: the worker process's pickle, or a
    DocResult the pool made itself (a document over its budget)."""
    return pickle.loads(result) if isinstance(result, bytes) else result


def run_budgeted(path: str, settings: Settings, rules_key: str, prepared: bool = False) -> "DocResult | PreparedResult":
    """Process one document in a worker process under the time and memory budgets (`prepared`: as
    WorkerPool.submit)."""
    return active_pool(settings, rules_key).submit(path, prepared).result()


def run_batch(paths: list[str], settings: Settings, rules_key: str, prepared: bool = False) -> list:
    """Process documents in this process's pool, each alone under the budgets (the pool takes them
    one per worker process; a document's clock starts when a process takes it): for each, its
    DocResult, or PreparedResult with `prepared` (as the worker process's pickled bytes in a Dask
    worker: `decoded`), or the WorkerCrashed of a worker process that died on it twice."""
    pool = active_pool(settings, rules_key)
    futures = [pool.submit(p, prepared) for p in paths]
    out: list = []
    for path, fut in zip(paths, futures):
        try:
            out.append(fut.result())
        except WorkerCrashed:
            try:                                     # once more, in a fresh worker process
                out.append(active_pool(settings, rules_key).submit(path, prepared).result())
            except WorkerCrashed as exc:
                out.append(exc)
    return out
