"""The scheduled deployment, for real: a Prefect server on loopback, the work
pool, `prefect deploy --all` from the committed prefect.yaml, a process
worker, two triggered runs of the main flow (the second after a document was
added), then the outputs and the curator diff report each run produced.

Every process is bounded in time and killed in teardown."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow

POOL = "her2-process-pool"
DEPLOYMENT = "main-flow/nightly"
PREFECT = [sys.executable, "-m", "prefect"]
SERVER_START_S = 180
CLI_S = 240
RUN_S = 600
ADDED = "004_bee61af27c55501b.txt"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read().decode())


def _stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """End a process we started (its whole session) by its id: TERM, then KILL."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


class Prefect:
    def __init__(self, home: Path, port: int):
        self.api = f"http://127.0.0.1:{port}/api"
        self.home = home
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
        env.update({
            "PREFECT_HOME": str(home),
            "PREFECT_API_URL": self.api,
            "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_CLI_COLORS": "false",
            "PREFECT_CLI_WRAP_LINES": "false",
            "PWD": str(ROOT),           # what "{{ $PWD }}" in prefect.yaml resolves to: this clone
            "COLUMNS": "200",
        })
        self.env = env
        self.procs: list[subprocess.Popen] = []

    def start(self, args: list[str], log: Path) -> subprocess.Popen:
        fh = log.open("wb")
        p = subprocess.Popen(PREFECT + args, cwd=ROOT, env=self.env, stdout=fh, stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def cli(self, *args: str, timeout: float = CLI_S) -> subprocess.CompletedProcess:
        return subprocess.run(PREFECT + list(args), cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=timeout, start_new_session=True)

    def stop_all(self) -> None:
        for p in reversed(self.procs):
            _stop(p)


@pytest.fixture(scope="module")
def prefect(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    pf = Prefect(home, _free_port())
    server = pf.start(["server", "start", "--host", "127.0.0.1", "--port", pf.api.split(":")[2].split("/")[0]],
                      home / "server.log")
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                pytest.fail(f"prefect server exited with {server.returncode}:\n"
                            f"{(home / 'server.log').read_text(errors='replace')[-3000:]}")
            try:
                if _get(f"{pf.api}/health", timeout=2) is True:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"prefect server not healthy after {SERVER_START_S} s")
            time.sleep(1)
        yield pf
    finally:
        pf.stop_all()


def _wait_for_run(pf: Prefect, run_id: str, worker: subprocess.Popen) -> dict:
    deadline = time.monotonic() + RUN_S
    while True:
        fr = _get(f"{pf.api}/flow_runs/{run_id}")
        state = (fr.get("state") or {}).get("type")
        if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return fr
        if time.monotonic() > deadline:
            pytest.fail(f"flow run {run_id} still {state} after {RUN_S} s")
        if worker.poll() is not None and state in ("SCHEDULED", "PENDING", None):
            pytest.fail(f"worker exited ({worker.returncode}) with the run still {state}")
        time.sleep(2)


def _trigger_and_run(pf: Prefect, corpus: Path, out: Path, log: Path) -> dict:
    r = pf.cli("deployment", "run", DEPLOYMENT, "--param", f"corpus={corpus}", "--param", f"out={out}")
    assert r.returncode == 0, r.stdout + r.stderr
    m = re.search(r"UUID:\s*([0-9a-f-]{36})", r.stdout)
    assert m, r.stdout
    worker = pf.start(["worker", "start", "--pool", POOL, "--run-once", "--install-policy", "never"], log)
    try:
        fr = _wait_for_run(pf, m.group(1), worker)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    finally:
        _stop(worker)
    assert fr["state"]["type"] == "COMPLETED", f"{fr['state']}\n{log.read_text(errors='replace')[-4000:]}"
    assert fr["state"]["name"] == "Completed"           # every document went through ("Completed with failures" else)
    assert fr["parameters"]["corpus"] == str(corpus) and fr["parameters"]["out"] == str(out)
    return fr


@pytest.fixture(scope="module")
def deployed(prefect, tmp_path_factory):
    before = (ROOT / "prefect.yaml").read_bytes()
    r = prefect.cli("work-pool", "create", POOL, "--type", "process")
    assert r.returncode == 0, r.stdout + r.stderr
    r = prefect.cli("--no-prompt", "deploy", "--all")
    assert r.returncode == 0, f"prefect deploy --all failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    assert DEPLOYMENT in r.stdout
    assert (ROOT / "prefect.yaml").read_bytes() == before      # deploying never rewrites the committed file
    return _get(f"{prefect.api}/deployments/name/{DEPLOYMENT}")


def test_deployment_matches_prefect_yaml(deployed):
    d = deployed
    assert d["entrypoint"] == "pipeline/flows.py:main_flow"
    assert d["work_pool_name"] == POOL
    assert d["parameters"] == {"corpus": "corpus", "out": "extracted", "store_url": None}
    assert [s["schedule"]["cron"] for s in d["schedules"]] == ["30 2 * * *"]
    assert all(s["active"] for s in d["schedules"])
    assert d["pull_steps"] == [{"prefect.deployments.steps.set_working_directory": {"directory": str(ROOT)}}]
    # the parameters are typed and described in the deployment's schema (what the UI's run form shows)
    props = d["parameter_openapi_schema"]["properties"]
    assert set(props) == {"corpus", "out", "store_url", "ner_model"}
    assert all(len(p.get("description", "")) > 30 for p in props.values()), props
    assert props["corpus"]["type"] == "string"


def test_triggered_runs_write_outputs_and_diff_reports(prefect, deployed, tmp_path_factory):
    work = tmp_path_factory.mktemp("deployed-run")
    corpus, out = work / "corpus", work / "out"
    corpus.mkdir()
    for p in sorted(CORPUS.glob("*.txt")):
        if p.name != ADDED:
            shutil.copy(p, corpus / p.name)

    _trigger_and_run(prefect, corpus, out, work / "worker-1.log")
    assert (out / "documents.csv").exists()
    with (out / "documents.csv").open(encoding="utf-8", newline="") as fh:
        docs = list(csv.DictReader(fh))
    assert len(docs) == 4 and all(d["status"] == "ok" for d in docs)
    for name in ("trials.csv", "endpoints.csv", "approvals.csv"):
        assert (out / "mentions" / name).exists(), name
        assert (out / name).exists(), f"fact export {name} missing"
    first_reports = sorted((out / "reports").glob("*.html"))
    assert len(first_reports) == 1

    # the nightly re-run after a curator dropped one more review into the corpus
    shutil.copy(CORPUS / ADDED, corpus / ADDED)
    _trigger_and_run(prefect, corpus, out, work / "worker-2.log")
    reports = sorted((out / "reports").glob("*.html"))
    assert len(reports) == 2
    new = [p for p in reports if p not in first_reports][0]
    for suffix in (".md", ".csv"):
        assert new.with_suffix(suffix).exists()

    from pipeline.store import Store

    with Store.open(f"sqlite:///{out / '.store' / 'runs.sqlite'}") as store:
        runs = store.runs()
    assert len(runs) == 2 and new.stem == runs[-1].run_id and first_reports[0].stem == runs[0].run_id
    with new.with_suffix(".csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["change"], r["source_file"]) for r in rows if r["record"] == "document"] == [("added", ADDED)]
    html = new.read_text(encoding="utf-8")
    assert 'id="summary"' in html and ADDED in html


def _server_block() -> str:
    """The shell lines of docs/scheduling.md that start the server (section 1)."""
    doc = (ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    section = doc[doc.index("### 1. Start a Prefect server"):doc.index("### 2.")]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert "prefect server start" in block and "PREFECT_API_URL" in block
    return block


def _ui_api_url(block: str, home: Path) -> tuple[int, str]:
    """Run `block` (bash) on a free port with the UI on; return (the port, the API URL the server gives its UI)."""
    port = _free_port()
    script = re.sub(r"^PORT=\d+", f"PORT={port}", block, flags=re.M)
    assert f"PORT={port}" in script
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "HER2_"))}
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "true",
                "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    home.mkdir(parents=True, exist_ok=True)
    with (home / "server.log").open("wb") as log:
        proc = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"documented server start exited ({proc.returncode}):\n"
                            f"{(home / 'server.log').read_text(errors='replace')[-3000:]}")
            try:
                if _get(f"http://127.0.0.1:{port}/api/health", timeout=2) is True:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"server from docs/scheduling.md not healthy after {SERVER_START_S} s")
            time.sleep(1)
        return port, _get(f"http://127.0.0.1:{port}/ui-settings")["api_url"]
    finally:
        _stop(proc)


def test_documented_server_start_points_the_ui_at_its_own_port(tmp_path):
    block = _server_block()
    port, api_url = _ui_api_url(block, tmp_path / "documented")
    assert api_url == f"http://127.0.0.1:{port}/api"
    # without the documented export the UI would call the default port: the line is needed
    bare = "\n".join(line for line in block.splitlines() if "export PREFECT_API_URL" not in line)
    port, api_url = _ui_api_url(bare, tmp_path / "bare")
    assert api_url != f"http://127.0.0.1:{port}/api" and ":4200/" in api_url
