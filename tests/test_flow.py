"""End to end: the main Prefect flow on the corpus, under prefect_test_harness,
with broken files beside the good ones."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def read_csv(p: Path) -> list[dict]:
    with p.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def run_with_bad_inputs(harness, tmp_path_factory):
    from pipeline.flows import main_flow

    corpus = tmp_path_factory.mktemp("corpus")
    for p in CORPUS.glob("*.txt"):
        shutil.copy(p, corpus / p.name)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage garbage")
    (corpus / "latin1.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR R\xe9sum\xe9")   # binary (Latin-1 text decodes)
    out = tmp_path_factory.mktemp("out")
    summary = main_flow(corpus=str(corpus), out=str(out))
    return corpus, out, summary


def test_bad_documents_fail_alone(run_with_bad_inputs):
    corpus, out, summary = run_with_bad_inputs
    docs = {r["source_file"]: r for r in read_csv(out / "documents.csv")}
    assert len(docs) == 8
    for name, code in (("empty.txt", "E001"), ("broken.pdf", "E00"), ("latin1.md", "E002")):
        assert docs[name]["status"] == "failed"
        assert docs[name]["error"].startswith(code) and name in docs[name]["error"] and "\n" not in docs[name]["error"]
    ok = [d for d in docs.values() if d["status"] == "ok"]
    assert len(ok) == 5 and summary["n_failed"] == 3
    assert all(int(d["n_sentences"]) > 10 for d in ok)
    assert docs["000_295cffc29131faf6.txt"]["n_tables"] == "2"


def test_entities_hold_provenance_into_saved_text(run_with_bad_inputs):
    _, out, _ = run_with_bad_inputs
    rows = read_csv(out / "entities.csv")
    assert len(rows) > 1000
    texts = {}
    for r in rows:
        t = texts.setdefault(r["doc_id"], (out / "text" / f"{r['doc_id']}.txt").read_text(encoding="utf-8"))
        assert t[int(r["char_start"]):int(r["char_end"])] == r["text"]
    assert {"DRUG", "CANCER", "ENDPOINT", "AGENCY", "TRIAL", "GENE"} <= {r["label"] for r in rows}


def test_mentions_hold_provenance_into_saved_text(run_with_bad_inputs):
    _, out, _ = run_with_bad_inputs
    n = 0
    for name in ("trials.csv", "endpoints.csv", "approvals.csv"):
        for r in read_csv(out / "mentions" / name):
            assert r["mention_id"] and r["source_file"] and r["extractor"] and r["sentence"]
            if r["char_start"]:
                t = (out / "text" / f"{r['doc_id']}.txt").read_text(encoding="utf-8")
                assert t[int(r["char_start"]):int(r["char_end"])] == r["quote"]
                n += 1
    assert n > 100


def test_tables_are_written_with_captions(run_with_bad_inputs):
    _, out, _ = run_with_bad_inputs
    t2 = read_csv(out / "tables" / "000_295cffc29131faf6_T2.csv")
    assert t2[0]["caption"] == "Table 2 Recent agents targeting HER2 in different cancer"
    assert any(r["text"].startswith("NCT03529110") for r in t2)


def test_second_run_reuses_unchanged_documents(run_with_bad_inputs):
    from pipeline.flows import main_flow

    corpus, out, first = run_with_bad_inputs
    names = ("trials.csv", "endpoints.csv", "approvals.csv")
    before = {n: read_csv(out / n) for n in names}
    again = main_flow(corpus=str(corpus), out=str(out))
    assert again["n_reused"] == 5 and again["n_failed"] == 3
    assert again["n_mentions"] == first["n_mentions"] and again["n_facts"] == first["n_facts"] > 0
    assert again["run_id"] != first["run_id"] and first["status"] == again["status"] == "partial"
    # idempotent: the same fact_ids and the same exports; only the last run that saw each fact moves on
    for n in names:
        after = read_csv(out / n)
        assert [r["fact_id"] for r in after] == [r["fact_id"] for r in before[n]]
        assert all(r["last_seen_run"] == again["run_id"] and r["first_seen_run"] == first["run_id"] for r in after)
        strip = lambda rows: [{k: v for k, v in r.items() if k != "last_seen_run"} for r in rows]  # noqa: E731
        assert strip(after) == strip(before[n])
    # the diff report of the second run: nothing changed
    report = (out / "reports" / f"{again['run_id']}.csv").read_text(encoding="utf-8").splitlines()
    assert len(report) == 1


def test_cli_help_explains_every_option():
    out = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0
    for opt in ("--corpus", "--out", "--store-url", "--ner-model"):
        assert opt in out.stdout


def test_task_inputs_and_results_pickle(settings, corpus_docs, annotated, corpus_mentions):
    """Tasks exchange plain picklable values, so a Dask task runner can ship them."""
    import pickle

    from pipeline.model import DocResult

    ann = annotated["000_295cffc29131faf6.txt"]
    r = DocResult(ann.doc, ann.sentences, ann.entities, ann.abbreviations,
                  tuple(corpus_mentions["000_295cffc29131faf6.txt"]))
    assert pickle.loads(pickle.dumps(r)) == r
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_cli_run_exit_status_reports_failures(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "001_d9b16c41351ece26.txt", corpus)
    (corpus / "truncated.pdf").write_bytes(b"%PDF-1.7\n")
    out = tmp_path / "out"
    env = {**__import__("os").environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_SERVER_ANALYTICS_ENABLED", None)      # the pipeline's own default, not the tests'
    res = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(corpus), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert res.returncode == 1, res.stderr[-2000:]
    assert "FAILED" in res.stderr and "truncated.pdf" in res.stderr
    assert "documents done 2/2" in res.stderr + res.stdout
    # a quiet terminal: no telemetry error, no thread-timeout warning, no traceback
    assert "telemetry" not in res.stderr and "worker thread" not in res.stderr and "Traceback" not in res.stderr
    docs = {r["source_file"]: r["status"] for r in read_csv(out / "documents.csv")}
    assert docs == {"001_d9b16c41351ece26.txt": "ok", "truncated.pdf": "failed"}


def test_committed_outputs_are_what_the_main_job_produces(harness, tmp_path):
    """extracted/ is committed; regenerate it and fail on any difference, so every change in what is
    extracted shows in review as a diff of these files (run `make run` to refresh them)."""
    from pipeline.flows import main_flow

    out = tmp_path / "extracted"
    main_flow(corpus=str(CORPUS), out=str(out))
    committed = ROOT / "extracted"

    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
                and p.parent.name != "reports"}

    run_columns = {"first_seen_run", "last_seen_run"}     # run ids differ between any two runs

    def content(p: Path) -> object:
        if p.suffix != ".csv":
            return p.read_bytes()
        with p.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        keep = [i for i, c in enumerate(rows[0] if rows else []) if c not in run_columns]
        return [[r[i] for i in keep] for r in rows]

    assert files(out) == files(committed)
    different = [f for f in sorted(files(out)) if content(out / f) != content(committed / f)]
    assert not different, f"outputs differ from the committed extracted/: {different[:10]} (run `make run`)"
