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
"""
from __future__ import annotations

import importlib.util
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
            code = self.process.poll() if self.process else -1
            if code == 3 and not retried:        # uvicorn: the port was taken meanwhile; once more
                retried = True
                self.start()
                deadline = time.perf_counter() + timeout
                continue
            if code is not None:
                self.stop()
                raise PipelineError(Errors.E214.format(seconds=timeout))
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as r:
                    if r.status == 200:
                        self.ready_after = time.perf_counter() - self.started_at
                        return self.api_url
            except (urllib.error.URLError, OSError):
                pass
            if time.perf_counter() >= deadline:
                self.stop()
                raise PipelineError(Errors.E214.format(seconds=timeout))
            time.sleep(0.05)

    def stop(self) -> None:
        p, self.process = self.process, None
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
