"""The same main flow on a Dask cluster (prefect-dask's DaskTaskRunner), without code changes:
per-document tasks are shipped to worker processes (arguments and results pickled), each
worker builds its own spaCy pipeline, and the outputs are those of the default runner."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS

DOCS = ("002_a0f38ae1b1a028d1.txt", "004_bee61af27c55501b.txt")


def _rows(p: Path) -> list[dict]:
    with p.open(encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in r.items() if k not in ("first_seen_run", "last_seen_run")} for r in csv.DictReader(fh)]


def test_flow_on_a_local_dask_cluster_matches_the_default_runner(tmp_path):
    pytest.importorskip("prefect_dask", reason="prefect-dask is not installed (pip install -e .[dask])")
    from prefect.testing.utilities import prefect_test_harness
    from prefect_dask import DaskTaskRunner

    from pipeline.flows import main_flow

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    runner = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                            "dashboard_address": None})
    with prefect_test_harness(server_startup_timeout=120):
        on_dask = main_flow.with_options(task_runner=runner)(corpus=str(corpus), out=str(tmp_path / "dask"))
        default = main_flow(corpus=str(corpus), out=str(tmp_path / "threads"))
    assert on_dask["n_failed"] == 0 and on_dask["n_reused"] == 0
    assert on_dask["n_mentions"] == default["n_mentions"] > 0
    for name in ("documents.csv", "entities.csv", "trials.csv", "endpoints.csv", "approvals.csv",
                 "mentions/endpoints.csv", "mentions/approvals.csv"):
        assert _rows(tmp_path / "dask" / name) == _rows(tmp_path / "threads" / name), name
