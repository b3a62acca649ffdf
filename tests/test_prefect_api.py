"""The Prefect API of a CLI run (pipeline/prefect_api.py): with none configured, one lean temporary
server started by the run itself; a configured API (environment or Prefect profile) used as is.
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
    for p in root.children(recursive=True):
        try:
            if "prefect.server.api.server:create_app" in " ".join(p.cmdline()):
                found[p.pid] = p.environ()
        except psutil.Error:
            continue
    return found


def _cli_run(tmp_path: Path, name: str, **env_extra: str) -> tuple[subprocess.CompletedProcess, dict[int, dict]]:
    """`python -m pipeline run` on one review, with the Prefect servers started under it watched."""
    corpus = tmp_path / f"corpus-{name}"
    corpus.mkdir()
    (corpus / DOC1).write_bytes((CORPUS / DOC1).read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect-home"), **env_extra)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out",
                             str(tmp_path / f"out-{name}")], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    servers: dict[int, dict] = {}
    done = threading.Event()

    def watch() -> None:       # the run's own process tree only
        try:
            run = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            servers.update(_servers(run))
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
    return r, servers


def test_a_run_without_a_configured_api_starts_one_lean_server_of_its_own(tmp_path):
    r, servers = _cli_run(tmp_path, "bare")
    assert r.returncode == 0, r.stdout[-3000:]
    assert len(servers) == 1, r.stdout[-3000:]
    env = next(iter(servers.values()))
    assert {k: env.get(k) for k in LEAN_SERVER_SETTINGS} == LEAN_SERVER_SETTINGS
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
    r, servers = _cli_run(tmp_path, "env", PREFECT_API_URL=configured_api)
    assert r.returncode == 0, r.stdout[-3000:]
    assert servers == {}                                        # no server of its own, not even briefly
    assert len(_flow_runs(configured_api)) == before + 1


def test_an_api_configured_in_a_prefect_profile_is_used_as_is(tmp_path, configured_api):
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(f'active = "team"\n\n[profiles.team]\nPREFECT_API_URL = "{configured_api}"\n',
                        encoding="utf-8")
    before = len(_flow_runs(configured_api))
    r, servers = _cli_run(tmp_path, "profile", PREFECT_PROFILES_PATH=str(profiles))
    assert r.returncode == 0, r.stdout[-3000:]
    assert len(_flow_runs(configured_api)) == before + 1        # the run reported to the profile's server
    assert len(servers) <= 1                                    # the early server, stopped unused
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
