"""The Prefect API of a CLI run (pipeline/prefect_api.py): with none configured, one lean server
started by the run itself, kept for the next runs (the default) or stopped with the run
(HER2_PREFECT_SERVER=temporary); a configured API (environment or Prefect profile) used as is.
Real Prefect servers and real CLI runs; speed is measured by scripts/bench_fixed_cost.py."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from conftest import CORPUS, DOC1, ROOT
from pipeline.prefect_api import LEAN_SERVER_SETTINGS, api_url_in_environment, server_environment


def test_lean_settings_are_prefect_settings_and_an_explicit_variable_wins(monkeypatch):
    import prefect.settings as ps

    for name, value in LEAN_SERVER_SETTINGS.items():
        monkeypatch.setenv(name, value)
    current = ps.Settings()
    assert {name: getattr(ps, name).value_from(current) for name in LEAN_SERVER_SETTINGS} == \
           {name: False for name in LEAN_SERVER_SETTINGS}
    env = server_environment({"PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "true", "PREFECT_HOME": "/x"})
    assert env["PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED"] == "true"        # the user's word wins
    assert env["PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED"] == "false"
    assert env["PREFECT_HOME"] == "/x" and env["PREFECT__SERVER_EPHEMERAL"] == "1"
    assert api_url_in_environment({"PREFECT_API_URL": " http://h:4200/api "}) == "http://h:4200/api"
    assert api_url_in_environment({}) == ""


def _servers(root: psutil.Process) -> dict[int, dict]:
    """Prefect servers under `root`: pid -> their environment."""
    found = {}
    try:
        children = root.children(recursive=True)
    except psutil.Error:       # a process of the tree ended while it was listed: the next look sees the rest
        return found
    for p in children:
        try:
            cmd = " ".join(p.cmdline())
            if "prefect.server.api.server:create_app" in cmd or "pipeline.prefect_api serve" in cmd:
                found[p.pid] = (p.ppid(), p.environ())
        except psutil.Error:
            continue
    # (a process a server forked, with the server's command line, is part of that server, not one more)
    return {pid: env for pid, (ppid, env) in found.items() if ppid not in found}


def _cli_run(tmp_path: Path, name: str, **env_extra: str) -> tuple[subprocess.CompletedProcess, dict[int, dict], int]:
    """`python -m pipeline run` on one review, with the Prefect servers started under it watched: the run, every
    server process seen (pid -> environment) and the most seen alive at once (a server that exits at its start because
    another process on a busy machine took its free port is replaced, not a second server)."""
    corpus = tmp_path / f"corpus-{name}"
    corpus.mkdir()
    (corpus / DOC1).write_bytes((CORPUS / DOC1).read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect-home"), **env_extra)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out",
                             str(tmp_path / f"out-{name}")], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    servers: dict[int, dict] = {}
    peak = [0]
    done = threading.Event()

    def watch() -> None:       # the run's own process tree only
        try:
            run = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            alive = _servers(run)
            peak[0] = max(peak[0], len(alive))
            servers.update(alive)
            done.wait(0.1)
    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        out, _ = proc.communicate(timeout=600)
    finally:
        done.set()
        th.join()
        proc.kill()
    r = subprocess.CompletedProcess(proc.args, proc.returncode, out)
    return r, servers, peak[0]


def test_a_run_without_a_configured_api_starts_one_lean_server_of_its_own(tmp_path):
    r, servers, peak = _cli_run(tmp_path, "bare", HER2_PREFECT_SERVER="temporary")
    assert r.returncode == 0, r.stdout[-3000:]
    assert peak == 1 and len(servers) <= 2, r.stdout[-3000:]     # (one replacement if its port was taken)
    assert all({k: env.get(k) for k in LEAN_SERVER_SETTINGS} == LEAN_SERVER_SETTINGS for env in servers.values())
    assert "Starting temporary server" not in r.stdout        # Prefect's own launcher was not used
    assert "Error logging to API" not in r.stdout              # logs were sent before the server stopped
    assert all(not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
               for pid in servers)


@pytest.fixture(scope="module")
def configured_api():
    """A running Prefect server, as a user's long-lived one would be."""
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=180)
    yield server.api_url
    server.stop()


def _flow_runs(api: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api}):
        with get_client(sync_client=True) as client:
            return [f for f in client.read_flow_runs() if f.state and f.state.is_completed()]


def test_an_api_configured_in_the_environment_is_used_as_is(tmp_path, configured_api):
    before = len(_flow_runs(configured_api))
    r, servers, _peak = _cli_run(tmp_path, "env", PREFECT_API_URL=configured_api)
    assert r.returncode == 0, r.stdout[-3000:]
    assert servers == {}                                        # no server of its own, not even briefly
    assert len(_flow_runs(configured_api)) == before + 1


def test_an_api_configured_in_a_prefect_profile_is_used_as_is(tmp_path, configured_api):
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(f'active = "team"\n\n[profiles.team]\nPREFECT_API_URL = "{configured_api}"\n',
                        encoding="utf-8")
    before = len(_flow_runs(configured_api))
    r, servers, peak = _cli_run(tmp_path, "profile", PREFECT_PROFILES_PATH=str(profiles))
    assert r.returncode == 0, r.stdout[-3000:]
    assert len(_flow_runs(configured_api)) == before + 1        # the run reported to the profile's server
    assert peak <= 1 and len(servers) <= 2                      # the early server (or its one replacement), stopped unused
    assert all(not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
               for pid in servers)


def test_flows_reporting_to_the_temporary_server_send_no_heartbeats_unless_asked(monkeypatch):
    """Heartbeats feed automations that mark a silent flow run crashed; the temporary server runs none
    and stops with the run, and Prefect's heartbeat thread holds a flow's end up to a second: off there
    (pipeline/flows.py using_api), unless a setting asks for them; a configured API keeps Prefect's default."""
    from prefect.context import SettingsContext, get_settings_context
    from prefect.settings import Settings, get_current_settings

    from pipeline.flows import using_api

    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    default = get_current_settings().flows.heartbeat_frequency
    assert default is not None
    with using_api(None):
        assert get_current_settings().flows.heartbeat_frequency == default
    with using_api("http://127.0.0.1:9/api"):
        assert get_current_settings().api.url == "http://127.0.0.1:9/api"
        assert get_current_settings().flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency == default
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")      # the user's word wins
    with SettingsContext(profile=get_settings_context().profile, settings=Settings()):
        with using_api("http://127.0.0.1:9/api"):
            assert get_current_settings().flows.heartbeat_frequency == 60


def _server_cmd(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "pipeline", "server", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120)


def test_by_default_the_server_a_run_starts_is_kept_for_the_next_run_and_stopped_on_request(tmp_path):
    home = tmp_path / "prefect-home"
    try:
        first, started, peak = _cli_run(tmp_path, "first")
        assert first.returncode == 0, first.stdout[-3000:]
        assert peak == 1 and "Prefect kept server" in first.stdout
        pid = list(started)[-1]                # (the last seen: one that lost its port to another process is replaced)
        env = started[pid]
        assert {k: env.get(k) for k in LEAN_SERVER_SETTINGS} == LEAN_SERVER_SETTINGS
        assert psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE   # outlived its run
        second, started_again, _peak = _cli_run(tmp_path, "second")
        assert second.returncode == 0, second.stdout[-3000:]
        assert started_again == {}                                   # nothing started: the kept one was used
        assert "kept by an earlier run: used" in second.stdout
        assert "Error logging to API" not in first.stdout + second.stdout
        status = _server_cmd(home, "status")
        assert f"pid {pid}" in status.stdout and "runs using it 0" in status.stdout, status.stdout
        stop = _server_cmd(home, "stop")
        assert stop.returncode == 0 and f"pid {pid}" in stop.stdout
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        assert "no kept Prefect server" in _server_cmd(home, "status").stdout
    finally:
        _server_cmd(home, "stop")


def test_a_kept_server_exits_by_itself_once_idle_and_a_run_then_starts_a_new_one(tmp_path):
    import time

    home = tmp_path / "prefect-home"
    try:
        r, started, peak = _cli_run(tmp_path, "idle", HER2_PREFECT_SERVER_IDLE="2")
        assert r.returncode == 0, r.stdout[-3000:]
        assert peak == 1
        pid = list(started)[-1]
        deadline = time.monotonic() + 60
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        assert list((home / "her2-server").glob("*.json")) == []     # it removed its own state
        again, started_again, peak_again = _cli_run(tmp_path, "after-idle", HER2_PREFECT_SERVER_IDLE="2")
        assert again.returncode == 0 and peak_again == 1 and pid not in started_again
    finally:
        _server_cmd(home, "stop")


def test_a_bad_server_mode_is_one_coded_line_before_anything_starts(tmp_path):
    r, started, _peak = _cli_run(tmp_path, "bad", HER2_PREFECT_SERVER="forever")
    assert r.returncode == 2 and started == {}
    lines = [l for l in r.stdout.splitlines() if l.strip()]
    assert lines == ["error: E202 configuration: prefect_server='forever': use 'shared' (a server kept for the next "
                     "runs) or 'temporary' (one per run)"], r.stdout
