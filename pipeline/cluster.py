"""Documents on a Dask cluster (setting `dask`, `run --dask`): which cluster, and whether its workers
can reach a Prefect API that only listens on this machine. No Prefect here: pipeline/flows.py makes
the task runner and hands the flow's one Prefect API on to the workers.

`dask` is "" (off: the default worker pool), "local" or "local:N" (a local cluster of N worker
processes, one thread each; N defaults to the machine's cores) or a scheduler address
("tcp://scheduler:8786"). On a Dask worker each document still runs in a worker process of
pipeline/workers.py under the time and memory budgets, one per thread of the Dask worker; that
process builds its NLP pipeline once and serves every document the Dask worker gets. A local cluster
for a CLI run is started while Prefect's server starts (`prestart_local`), its workers warmed
meanwhile (task code imported, document processes started); the flow then connects to it.
"""
from __future__ import annotations

import ipaddress
import re
import socket
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

class _Prestarted:
    """A LocalCluster being started in a thread, then `warm(client)` run against it (the CLI has every
    Dask worker import the flow's task code and start its document processes: spaCy loaded and the
    pipeline built before the first document, overlapping the Prefect server's start)."""

    def __init__(self, target: DaskTarget, warm: Callable):
        self.target, self.warm = target, warm
        self.cluster = None
        self.error: Optional[BaseException] = None
        self.closing: Optional[threading.Thread] = None
        self.thread = threading.Thread(target=self._start, name="her2-dask-prestart", daemon=True)
        self.thread.start()

    def _start(self) -> None:
        try:
            from distributed import Client, LocalCluster

            with local_cluster_config():
                self.cluster = LocalCluster(**self.target.cluster_kwargs())
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
