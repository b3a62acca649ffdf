"""Documents on a Dask cluster (setting `dask`, `run --dask`): which cluster, and whether its workers
can reach a Prefect API that only listens on this machine. No Prefect here: pipeline/flows.py makes
the task runner and hands the flow's one Prefect API on to the workers.

`dask` is "" (off: the default worker pool), "local" or "local:N" (a local cluster of N worker
processes, one thread each; N defaults to the machine's cores) or a scheduler address
("tcp://scheduler:8786"). On a Dask worker each document still runs in a worker process of
pipeline/workers.py under the time and memory budgets, one per thread of the Dask worker; that
process builds its NLP pipeline once and serves every document the Dask worker gets. A local cluster
for a CLI run is started while Prefect's server starts (`prestart_local`), its workers forked from the
CLI's process (FORK_CONFIG) and warmed meanwhile (document processes started); the flow then connects
to it.
"""
from __future__ import annotations

import ipaddress
import os
import re
import signal
import socket
import sys
import threading
from dataclasses import dataclass
from typing import Callable, Iterable, Optional
from urllib.parse import urlparse

from pipeline.errors import Errors, PipelineError

_LOCAL = re.compile(r"^local(?::(\d+))?$")
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|inproc|ucx)://)?[A-Za-z0-9_.\-\[\]:]+:\d+$")


@dataclass(frozen=True)
class DaskTarget:
    address: str = ""         # a running scheduler ("tcp://host:8786"), or
    local_workers: int = 0    # a local cluster of this many worker processes started for the run

    def cluster_kwargs(self) -> dict:
        """distributed.LocalCluster's arguments for a local target: worker processes (the GIL and the
        spaCy pipelines are per process), one thread each, no dashboard."""
        return {"n_workers": self.local_workers, "threads_per_worker": 1, "processes": True,
                "dashboard_address": None}


# Dask's own housekeeping on a local cluster started for a run (its scheduler in this process, and
# every worker: a Nanny sends the configuration in force when it is made). A Dask worker here only
# waits for its document process, yet by default it samples its threads' stacks every 10 ms (the
# statistical profiler), ticks its event loop every 20 ms and polls its memory every 100 ms: about
# 1.7 % of a core per idle worker and more when busy, taken from the two cores the documents need
# (measured: 0.35 s of CPU per worker per idle 20 s, 0.05 s with these). A running cluster keeps
# its own configuration.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,         # no stack sampling (the dashboard's profile)
    "distributed.admin.tick.interval": "1s",             # the blocked-event-loop check
    "distributed.worker.memory.monitor-interval": "1s",  # Dask's memory thresholds; documents have their own budget
    "distributed.admin.system-monitor.interval": "2s",   # the dashboard's CPU and memory series
}


def local_cluster_config():
    """A context in which a local cluster made for a run gets LOCAL_CLUSTER_CONFIG."""
    import dask

    return dask.config.set(LOCAL_CLUSTER_CONFIG)


def _local_cluster(target: DaskTarget, fork: bool):
    """distributed.LocalCluster for `target` with LOCAL_CLUSTER_CONFIG; with `fork`, its first workers
    forked from this process (FORK_CONFIG): the caller runs no other thread."""
    global _FORKED
    import dask
    from distributed import LocalCluster

    with local_cluster_config(), dask.config.set(FORK_CONFIG if fork else {}):
        _FORKED = fork
        try:
            return LocalCluster(**target.cluster_kwargs())
        finally:
            _FORKED = False


def dask_target(value: str, default_workers: int) -> Optional[DaskTarget]:
    """The cluster the setting names; None when it is off; E225 when it names none."""
    value = (value or "").strip()
    if not value:
        return None
    m = _LOCAL.match(value)
    if m:
        n = int(m[1]) if m[1] else default_workers
        if n < 1:
            raise PipelineError(Errors.E225.format(value=value))
        return DaskTarget(local_workers=n)
    if not _ADDRESS.match(value):
        raise PipelineError(Errors.E225.format(value=value))
    return DaskTarget(address=value if "://" in value else f"tcp://{value}")


def _host(url: str) -> str:
    return (urlparse(url if "://" in url else f"tcp://{url}").hostname or "").strip("[]")


def _this_machine() -> set[str]:
    names = {"localhost", socket.gethostname(), socket.getfqdn()}
    try:
        import psutil

        names |= {a.address.split("%")[0] for addrs in psutil.net_if_addrs().values() for a in addrs
                  if a.family in (socket.AF_INET, socket.AF_INET6)}
    except Exception:   # psutil missing or no permission: loopback and the host name only
        pass
    return names


def is_loopback(url: str) -> bool:
    host = _host(url)
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def unreachable_workers(api_url: str, worker_addresses: Iterable[str]) -> list[str]:
    """The Dask workers (addresses) that cannot reach `api_url` because it listens on loopback
    only (Prefect's temporary server) and they run on another machine."""
    if not is_loopback(api_url):
        return []
    here = _this_machine()
    return sorted(a for a in worker_addresses if not is_loopback(a) and _host(a) not in here)


def check_api_reachable(api_url: str, worker_addresses: Iterable[str], scheduler: str) -> None:
    """E226 before any document is sent when remote workers could not report to the flow's API."""
    far = unreachable_workers(api_url, worker_addresses)
    if far:
        raise PipelineError(Errors.E226.format(scheduler=scheduler, workers=", ".join(far[:3]), api=api_url))


# ---- a local cluster started by the CLI while Prefect's server starts, used by the run's flow

# The local cluster the CLI starts for a run forks its worker processes from the CLI's process (Dask's
# multiprocessing-method, set while that cluster is made only), where Dask spawns a fresh interpreter by
# default. The CLI makes it once it has imported the flow's code and before it starts a thread of its own, so a
# worker is a copy of a process that holds Dask, Prefect's task engine and the task code: it skips a fresh
# interpreter and about 1.2 s of CPU of imports, which two workers and the CLI's own imports had shared the
# run's two cores for (measured at 200 reviews, two workers: the command 0.7-1.8 s shorter than with spawned
# workers, README "A corpus too large for one machine"). Where this process already runs another thread (a lock
# held there would be copied held), and for a cluster the flow makes itself (Prefect's threads run then) or a
# worker Dask restarts later, workers are spawned.
FORK_CONFIG = {"distributed.worker.multiprocessing-method": "fork"}
_FORKED = False     # True in a worker process forked from the CLI's (a copy of this flag, set meanwhile)


def forked_worker() -> bool:
    """Whether this process is a Dask worker forked from the CLI's process (FORK_CONFIG)."""
    return _FORKED


def _reset_signals_in_forked_worker() -> None:
    """A worker forked from the CLI would inherit the CLI's SIGTERM and SIGHUP handlers (they raise the run's
    Terminated): it gets a fresh interpreter's instead, as a spawned worker has, and Dask's own handling."""
    if _FORKED:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_signals_in_forked_worker)


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class _Prestarted:
    """A LocalCluster made now (its workers forked from this process when it runs no other thread:
    FORK_CONFIG), then `warm(client)` run against it in a thread (the CLI has every Dask worker start
    its document processes and import the flow's task code: spaCy loaded and the pipeline built
    before the first document, overlapping the Prefect server's start)."""

    def __init__(self, target: DaskTarget, warm: Callable):
        self.target, self.warm = target, warm
        self.cluster = None
        self.error: Optional[BaseException] = None
        self.closing: Optional[threading.Thread] = None
        try:
            self.cluster = _local_cluster(target, fork=_can_fork())
        except BaseException as exc:     # said by the flow, which then starts a cluster of its own
            self.error = exc
        self.thread = threading.Thread(target=self._start, name="her2-dask-prestart", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        if self.cluster is None:
            return
        try:
            from distributed import Client

            with Client(self.cluster) as client:
                self.warm(client)
        except BaseException as exc:     # said by the flow, which then starts a cluster of its own
            self.error = exc

    def close(self) -> None:
        self.thread.join()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def close_in_background(self) -> None:
        """Stop the cluster in a thread (its workers retire while the run's after-run phase goes on);
        `close()` waits for that thread."""
        if self.closing is None:
            self.closing = threading.Thread(target=self.close, name="her2-dask-close", daemon=True)
            self.closing.start()

    def closed(self) -> None:
        if self.closing is not None:
            self.closing.join()
        self.close()


_PRESTARTED: dict[DaskTarget, _Prestarted] = {}
_PRESTARTED_LOCK = threading.Lock()


def prestart_local(target: DaskTarget, warm: Callable) -> None:
    """Start the local cluster `target` names now, in the background, and `warm(client)` its workers;
    the flow's `prestarted_address` takes it, `close_prestarted_clusters` stops it."""
    if not target.local_workers:
        return
    with _PRESTARTED_LOCK:
        if target not in _PRESTARTED:
            _PRESTARTED[target] = _Prestarted(target, warm)


def prestarted_address(target: DaskTarget, wait: float = 600.0) -> tuple[str, Optional[BaseException]]:
    """The scheduler address of the local cluster prestarted for `target` once it is up and warm
    ("" when none was, or it failed: then also why)."""
    with _PRESTARTED_LOCK:
        pre = _PRESTARTED.get(target)
    if pre is None:
        return "", None
    pre.thread.join(wait)
    if pre.cluster is None or pre.thread.is_alive():
        return "", pre.error or TimeoutError(f"the local cluster was not up after {wait:.0f} s")
    return pre.cluster.scheduler_address, pre.error


def release_prestarted_cluster(target: DaskTarget) -> None:
    """The run's documents are done: the local cluster prestarted for `target` starts stopping now, in
    the background (about 0.4 s for its workers to retire, overlapping the after-run phase instead of
    following it); `close_prestarted_clusters` waits for it at the end of the command."""
    with _PRESTARTED_LOCK:
        pre = _PRESTARTED.get(target)
    if pre is not None:
        pre.close_in_background()


def close_prestarted_clusters() -> None:
    with _PRESTARTED_LOCK:
        pres = list(_PRESTARTED.values())
        _PRESTARTED.clear()
    for pre in pres:
        pre.closed()
