"""The Prefect API a CLI run reports to: the configured one as is, or a lean temporary server this
process starts itself, early, in parallel with its own imports and rule loading.

Without PREFECT_API_URL, Prefect starts a temporary server itself when the flow makes its first API
call: after every import, and after importing the whole server package into this process too (only
to reach the class that launches it: ~3-5 s of CPU the run never uses). `TemporaryServer` runs the
same server (uvicorn on Prefect's app factory, 127.0.0.1, a free port) as a child process started
before Prefect is even imported, with the server settings a batch run does not need turned off
(LEAN_SERVER_SETTINGS; an explicit environment variable still wins). The CLI waits for its health
check only when the flow is about to start, and stops it when the run ends; the watchdog
(pipeline/lifecycle.py) kills it if the run is killed.

Which API is configured is Prefect's own business (environment, profile, prefect.toml, .env): the
CLI asks Prefect once it is imported (pipeline/flows.py `configured_api_url`); a configured API is
used as is and the early server, if one was started on the environment's word, is stopped unused.
No Prefect import here: the server is a subprocess.

Kept for the next runs (`SharedServer`, the default: HER2_PREFECT_SERVER=shared): starting the
server costs ~5 s of a quiet machine's wall time (its imports: FastAPI, the ORM models), more than the
rest of a small run. So the server a run starts is detached from it and the next run with the same
interpreter, Prefect home and server settings finds it (`<PREFECT_HOME>/her2-server/<key>.json`) and
uses it; it exits by itself after HER2_PREFECT_SERVER_IDLE seconds (default 900) without an API call
while no run that uses it is alive (each run registers its pid under `clients/`). `python -m pipeline
server stop` stops it at once. HER2_PREFECT_SERVER=temporary restores one server per run, stopped
when the run ends.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Mapping, Optional

from pipeline.errors import Errors, PipelineError

# Prefect settings for the temporary server of a batch run (names as in prefect/settings/models):
# no UI, no automations (triggers and their actions), no event feed persisted for the UI, no block
# types registered on start-up, no telemetry. Task runs are still recorded (task_run_recorder),
# artifacts and logs still stored.
LEAN_SERVER_SETTINGS: dict[str, str] = {
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED": "false",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "false",
}
# what Prefect itself sets for its temporary server (prefect.server.api.server.SubprocessASGIServer)
_EPHEMERAL = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


def api_url_in_environment(environ: Mapping[str, str] = os.environ) -> str:
    """PREFECT_API_URL as the environment sets it ("" when unset): the cheap first look, before
    Prefect is imported. Prefect's profile or project files may still configure one."""
    return (environ.get("PREFECT_API_URL") or "").strip()


def server_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment of the temporary server: this process's, the lean settings where it sets
    nothing, and Prefect's own markers of a temporary server."""
    return {**LEAN_SERVER_SETTINGS, **environ, **_EPHEMERAL}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TemporaryServer:
    """Prefect's server in a child process on a free loopback port: `start()` returns at once,
    `wait(timeout)` blocks until its health check answers (E214 on timeout), `stop()` ends it."""

    def __init__(self) -> None:
        self.port = 0
        self.process: Optional[subprocess.Popen] = None
        self.started_at = 0.0
        self.ready_after: Optional[float] = None     # seconds from start() to a healthy answer

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> "TemporaryServer":
        spec = importlib.util.find_spec("prefect")      # its folder, without importing it
        app_dir = Path(spec.origin).parent.parent if spec and spec.origin else Path(".")
        self.port = _free_port()
        self.started_at = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            stdin=subprocess.DEVNULL, env=server_environment())
        return self

    def wait(self, timeout: float) -> str:
        """The API URL once the server answers its health check; E214 (PipelineError) if it does not
        within `timeout` seconds of waiting (the time it had while this process was busy before
        is not counted against it: a fresh PREFECT_HOME's migrations on a busy machine need it), or
        exits (it is then stopped)."""
        deadline = time.perf_counter() + timeout
        retried = False
        while True:
            code = self._exit_code()
            if code == 3 and not retried:        # uvicorn: the port was taken meanwhile; once more
                retried = True
                self._restart()
                deadline = time.perf_counter() + timeout
                continue
            if code is not None:
                self.stop()
                raise PipelineError(Errors.E214.format(seconds=timeout))
            if self._healthy():
                self.ready_after = time.perf_counter() - self.started_at
                return self.api_url
            if time.perf_counter() >= deadline:
                self.stop()
                raise PipelineError(Errors.E214.format(seconds=timeout))
            time.sleep(0.05)

    def _exit_code(self) -> Optional[int]:
        return self.process.poll() if self.process else -1

    def _restart(self) -> None:
        self.start()

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                return r.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def discard(self) -> None:
        """Not needed after all (a configured API wins): stopped."""
        self.stop()

    def stop(self) -> None:
        p, self.process = self.process, None
        _terminate(p)


def _terminate(p: Optional[subprocess.Popen]) -> None:
    if p is None or p.poll() is not None:
        return
    p.terminate()
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()


# ---- a server kept for the next runs

SERVER_MODES = ("shared", "temporary")


def check_server_mode(mode: str, idle: float) -> None:
    """E202 for a mode other than shared/temporary or an idle time that is not positive."""
    if mode not in SERVER_MODES:
        raise PipelineError(Errors.E202.format(
            reason=f"prefect_server={mode!r}: use 'shared' (a server kept for the next runs) or 'temporary' (one per run)"))
    if not idle > 0:
        raise PipelineError(Errors.E202.format(reason=f"prefect_server_idle={idle!r}: seconds, > 0"))


def prefect_home(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("PREFECT_HOME") or "~/.prefect").expanduser().resolve()


def server_key(environ: Mapping[str, str] = os.environ) -> str:
    """What makes a running server usable by this run: the interpreter (its packages), Prefect's
    version, its home and every server or database setting of the environment."""
    try:
        version = importlib.metadata.version("prefect")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    env = server_environment(environ)
    settings = sorted((k, v) for k, v in env.items()
                      if k.startswith(("PREFECT_SERVER_", "PREFECT_API_DATABASE", "PREFECT__SERVER", "PREFECT_UI")))
    raw = json.dumps([sys.executable, version, str(prefect_home(environ)), settings])
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:       # a zombie (exited, not yet reaped by its parent) is gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _is_server(pid: int) -> bool:
    """`pid` is alive and is a kept server (not another process that got its pid)."""
    if not _pid_alive(pid):
        return False
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"pipeline.prefect_api" in f.read()
    except OSError:
        return _pid_alive(pid)


@contextlib.contextmanager
def _locked(folder: Path):
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class SharedServer(TemporaryServer):
    """Prefect's server as `TemporaryServer` runs it, but kept for the next runs: `start()` uses the
    one a former run left (same key, alive) or starts one detached from this process; `stop()` only
    unregisters this run. `reused` says which."""

    def __init__(self, idle: float = 900.0, environ: Mapping[str, str] = os.environ) -> None:
        super().__init__()
        self.idle = idle
        self.folder = prefect_home(environ) / "her2-server"
        self.key = server_key(environ)
        self.pid = 0
        self.reused = False
        self._client: Optional[Path] = None

    @property
    def state_path(self) -> Path:
        return self.folder / f"{self.key}.json"

    def start(self) -> "SharedServer":
        self.started_at = time.perf_counter()
        with _locked(self.folder):
            clients = self.folder / "clients" / self.key
            clients.mkdir(parents=True, exist_ok=True)
            self._client = clients / str(os.getpid())
            self._client.write_text("", encoding="ascii")     # before the server can decide it is idle
            state = read_state(self.state_path)
            if state and _is_server(state["pid"]):
                self.pid, self.port, self.reused = state["pid"], state["port"], True
                return self
            self._spawn()
        return self

    def _spawn(self) -> None:
        self.port = _free_port()
        log = open(self.folder / f"{self.key}.log", "ab")
        path = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.prefect_api", "serve", str(self.port), str(self.idle),
             str(self.folder), self.key],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
            env={**server_environment(), "PYTHONPATH": path})
        log.close()
        self.pid = self.process.pid
        self.state_path.write_text(json.dumps({"pid": self.pid, "port": self.port, "started": time.time()}),
                                   encoding="utf-8")

    def _exit_code(self) -> Optional[int]:
        if self.process is not None:
            return self.process.poll()
        return None if _pid_alive(self.pid) else -1

    def _restart(self) -> None:       # only one this run spawned exits 3 (its port was taken)
        with _locked(self.folder):
            self._spawn()

    def discard(self) -> None:
        """Not needed after all (a configured API wins): one this run started is stopped, as if never
        kept; one an earlier run kept stays for the others."""
        spawned = self.process
        self.stop()
        if spawned is not None:
            with _locked(self.folder):
                state = read_state(self.state_path)
                if state and state["pid"] == spawned.pid:
                    with contextlib.suppress(OSError):
                        self.state_path.unlink()
            _terminate(spawned)

    def stop(self) -> None:
        """This run no longer uses the server (it keeps running for the next runs)."""
        client, self._client, self.process = self._client, None, None
        if client is not None:
            with contextlib.suppress(OSError):
                client.unlink()


def read_state(path: Path) -> Optional[dict]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        return state if isinstance(state.get("pid"), int) and isinstance(state.get("port"), int) else None
    except (OSError, ValueError, AttributeError):
        return None


def stop_shared_servers(environ: Mapping[str, str] = os.environ, wait: float = 10.0) -> list[int]:
    """Stop every server kept under this Prefect home (`pipeline server stop`): the pids stopped."""
    import signal

    folder = prefect_home(environ) / "her2-server"
    stopped = []
    for path in sorted(folder.glob("*.json")):
        state = read_state(path)
        if state and _is_server(state["pid"]):
            with contextlib.suppress(ProcessLookupError):
                os.kill(state["pid"], signal.SIGTERM)
                stopped.append(state["pid"])
    deadline = time.monotonic() + wait
    while any(_pid_alive(p) for p in stopped) and time.monotonic() < deadline:
        time.sleep(0.05)
    for p in stopped:
        if _pid_alive(p):
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
    for path in folder.glob("*.json"):
        state = read_state(path)
        if not state or not _pid_alive(state["pid"]):
            with contextlib.suppress(OSError):
                path.unlink()
    return stopped


def shared_server_status(environ: Mapping[str, str] = os.environ) -> list[dict]:
    folder = prefect_home(environ) / "her2-server"
    rows = []
    for path in sorted(folder.glob("*.json")):
        state = read_state(path)
        if state and _is_server(state["pid"]):
            rows.append({**state, "key": path.stem, "url": f"http://127.0.0.1:{state['port']}/api",
                         "runs": _live_clients(folder / "clients" / path.stem)})
    return rows


def _live_clients(folder: Path) -> int:
    n = 0
    for p in folder.glob("*") if folder.is_dir() else ():
        if p.name.isdigit() and _pid_alive(int(p.name)):
            n += 1
        else:
            with contextlib.suppress(OSError):
                p.unlink()
    return n


def serve(port: int, idle: float, folder: Path, key: str) -> None:
    """The kept server's process: Prefect's app under uvicorn on 127.0.0.1:port; it exits once no
    API call came for `idle` seconds and no run registered under `clients/<key>` is alive (it then
    removes its state file first, under the lock, so no run picks it up while it stops)."""
    import threading

    import uvicorn

    # Prefect's app factory by name, as the temporary server runs it (Prefect is imported in flows.py only)
    config = uvicorn.Config("prefect.server.api.server:create_app", factory=True, host="127.0.0.1", port=port,
                            log_level="error", lifespan="on")
    config.load()
    app = config.loaded_app
    last = [time.monotonic()]

    async def tracked(scope, receive, send):
        if scope["type"] == "http":
            last[0] = time.monotonic()
        await app(scope, receive, send)

    config.loaded_app = tracked
    server = uvicorn.Server(config)
    clients = folder / "clients" / key
    state_path = folder / f"{key}.json"

    def watch() -> None:
        while not server.should_exit:
            time.sleep(min(5.0, idle / 4))
            if _live_clients(clients):
                last[0] = time.monotonic()
            elif time.monotonic() - last[0] > idle:
                with _locked(folder):
                    if _live_clients(clients):
                        continue
                    state = read_state(state_path)
                    if state and state["pid"] == os.getpid():
                        with contextlib.suppress(OSError):
                            state_path.unlink()
                server.should_exit = True

    threading.Thread(target=watch, daemon=True).start()
    try:
        server.run()
    except SystemExit:      # uvicorn exits 1 when it cannot bind; the run retries on 3, as with uvicorn's CLI
        pass
    state = read_state(state_path)
    if state and state["pid"] == os.getpid():
        with contextlib.suppress(OSError):
            state_path.unlink()
    if not server.started:
        sys.exit(3)          # as uvicorn does when the port is taken


if __name__ == "__main__" and len(sys.argv) == 6 and sys.argv[1] == "serve":
    serve(int(sys.argv[2]), float(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
