"""Atomic publication, kills at every phase, the shrink guard, retention - on real results.

Real documents are processed once (ingest, NLP, extraction); each run after that is a
real child process calling run.finish_run on those results with the real SQLite store
and file system, killed (SIGKILL) at a named point through the HER2_TEST_DIE_AT hook.
Run A publishes corpus v1 (001, 003, 004); run B (v2: 001 removed, a new review added)
is killed; run C runs v2 again. Whatever the phase of the kill: right after it the files
are exactly run A's or (past the commit point) completed by run C; every completed run
has its report; the report after A diffs against the last COMPLETE run, so the changes
appear in one report; the final files equal a clean A -> C sequence."""
from __future__ import annotations

import csv
from hashlib import sha256
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

V1 = ["001_d9b16c41351ece26.txt", "003_2deb1f22f8bf69ef.txt", "004_bee61af27c55501b.txt"]
ADDED = "added-review-zanidatamab-biliary.txt"
V2 = ["003_2deb1f22f8bf69ef.txt", "004_bee61af27c55501b.txt", ADDED]
RUN_COLUMNS = {"first_seen_run", "last_seen_run"}

CHILD = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from pipeline.config import Settings
    from pipeline.process import result_from_json
    from pipeline.run import finish_run

    args = json.loads(sys.argv[1])
    settings = Settings.resolve(corpus=args["corpus"], out=args["out"], rules_dir=args["rules"])
    results = [result_from_json(Path(p).read_bytes()) for p in args["results"]]
    summary = finish_run(settings, results, set(), args["key"], args["code"])
    print(json.dumps(summary))
""")


@pytest.fixture(scope="module")
def work(tmp_path_factory, settings):
    from pipeline.config import code_version, rules_hash
    from pipeline.process import process_file, result_to_json

    work = tmp_path_factory.mktemp("publish")
    key, code = rules_hash(settings.rules_dir), code_version()
    files = {}
    for name in sorted(set(V1 + V2)):
        src = CORPUS / name if (CORPUS / name).exists() else ROOT / "tests" / "fixtures" / name
        r = process_file(src, replace(settings, corpus=src.parent), key)
        assert r.doc.status == "ok", name
        files[name] = work / f"{name}.json"
        files[name].write_bytes(result_to_json(r))
    script = work / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    return {"dir": work, "results": files, "key": key, "code": code, "script": script,
            "rules": str(settings.rules_dir)}


def run(work, out: Path, names, die: str = "", **env) -> subprocess.CompletedProcess:
    args = {"corpus": str(work["dir"]), "out": str(out), "rules": work["rules"], "key": work["key"],
            "code": work["code"], "results": [str(work["results"][n]) for n in names]}
    e = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    e.pop("HER2_TEST_DIE_AT", None)
    if die:
        e["HER2_TEST_DIE_AT"] = die
    return subprocess.run([sys.executable, str(work["script"]), json.dumps(args)], capture_output=True, text=True,
                          env=e, timeout=600)


def summary(p: subprocess.CompletedProcess) -> dict:
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def files(out: Path, reports: bool = True) -> dict[str, bytes]:
    """The published outputs, byte for byte: not the run history, the staging area, the lock, or the
    caches under .cache/ (per-document results and the exports' restamp key, which names the run that
    wrote them and is checked against the published files' checksums before any use)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not str(p.relative_to(out)).startswith((".store", ".publish", ".run.lock", ".cache"))
            and (reports or p.parent.name != "reports")}


def without_run_ids(fs: dict[str, bytes]) -> dict[str, object]:
    out = {}
    for name, data in fs.items():
        if name.endswith(".csv"):
            rows = list(csv.reader(data.decode("utf-8").splitlines()))
            keep = [i for i, c in enumerate(rows[0] if rows else []) if c not in RUN_COLUMNS]
            out[name] = [[r[i] for i in keep] for r in rows]
        else:
            out[name] = data
    return out


def store_runs(out: Path) -> list[tuple[str, str]]:
    from pipeline.store import Store

    with Store.open(f"sqlite:///{out / '.store' / 'runs.sqlite'}") as store:
        return [(r.run_id, r.status) for r in store.runs()]


def report_rows(out: Path, run_id: str) -> list[dict]:
    with (out / "reports" / f"{run_id}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def doc_changes(out: Path, run_id: str) -> list[tuple[str, str]]:
    return sorted((r["change"], r["source_file"]) for r in report_rows(out, run_id) if r["record"] == "document")


@pytest.fixture(scope="module")
def first_run(work):
    """Run A, and a clean reference A -> C."""
    a = work["dir"] / "out-a"
    sa = summary(run(work, a, V1))
    ref = work["dir"] / "out-ref"
    shutil.copytree(a, ref)
    sc = summary(run(work, ref, V2))
    return {"out": a, "a": sa, "ref": ref, "ref_c": sc}


BEFORE_COMMIT_POINT = ["before-commit", "store-commit", "after-commit", "report"]
AFTER_COMMIT_POINT = ["journal", "publication", "published"]


@pytest.mark.parametrize("phase", BEFORE_COMMIT_POINT + AFTER_COMMIT_POINT)
def test_a_run_killed_at_any_phase_leaves_no_stale_or_mixed_files_and_no_missing_report(work, first_run, phase,
                                                                                      tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run["out"], out)
    run_a = first_run["a"]["run_id"]
    before = files(out)
    killed = run(work, out, V2, die=phase)
    assert killed.returncode == -9, killed.stderr[-3000:]
    runs = store_runs(out)
    # killed inside the store transaction: no trace of the run in the history
    assert runs[0] == (run_a, "ok") and len(runs) == (1 if phase in ("before-commit", "store-commit") else 2)
    run_b = runs[1][0] if len(runs) == 2 else None
    if phase in BEFORE_COMMIT_POINT:
        assert files(out) == before                      # run A's files, every byte, nothing added
        assert run_b is None or runs[-1][1] == "publishing"
    elif phase == "published":
        assert runs[-1][1] == "ok"                       # files out, run complete, journal not yet removed

    c = summary(run(work, out, V2))
    runs = store_runs(out)
    statuses = dict(runs)
    assert not list((out / ".publish").iterdir())     # no staging folder or journal left
    assert runs[-1] == (c["run_id"], "ok")
    if phase in BEFORE_COMMIT_POINT:
        if run_b:
            assert statuses[run_b] == "abandoned" and not (out / "reports" / f"{run_b}.csv").exists()
        # C reports against A, the last complete run: the change is in C's report
        assert doc_changes(out, c["run_id"]) == [("added", ADDED), ("removed", V1[0])]
    else:
        # B was completed by C before C published: B's report has the change, C's is empty
        assert statuses[run_b] == "ok"
        assert doc_changes(out, run_b) == [("added", ADDED), ("removed", V1[0])]
        assert report_rows(out, c["run_id"]) == []
    completed = [r for r, s in runs if s in ("ok", "partial")]
    assert all((out / "reports" / f"{r}.csv").is_file() for r in completed)      # no missing report
    assert without_run_ids(files(out, reports=False)) == without_run_ids(files(first_run["ref"], reports=False))


def test_unchanged_outputs_are_not_rewritten_and_a_no_change_run_reports_nothing(work, first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run["out"], out, copy_function=shutil.copy2)
    text = sorted((out / "text").iterdir())
    stamp = {p.name: p.stat().st_mtime_ns for p in text + [out / "documents.csv", out / "entities.csv"]}
    os.utime(out / "documents.csv", ns=(1, 1))
    stamp["documents.csv"] = 1
    again = summary(run(work, out, V1))
    assert report_rows(out, again["run_id"]) == []
    assert {p.name: p.stat().st_mtime_ns for p in text + [out / "documents.csv", out / "entities.csv"]} == stamp
    assert files(out, reports=False).keys() == files(first_run["out"], reports=False).keys()
    # the facts (reused from the store, not reconciled again) are the first run's
    assert without_run_ids(files(out, reports=False)) == without_run_ids(files(first_run["out"], reports=False))


def test_a_run_removing_most_facts_is_refused_without_allow_shrink(work, first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run["out"], out)
    before = files(out)
    p = run(work, out, V1[:1])                          # the two reviews with facts gone
    s = summary(p)
    assert s["status"] == "refused" and s["refused"].startswith("E307 ")
    assert "--allow-shrink" in s["refused"] and "E307" in p.stderr
    assert files(out) == before                         # nothing published, nothing destroyed
    assert store_runs(out)[-1] == (s["run_id"], "refused")
    allowed = summary(run(work, out, V1[:1], HER2_ALLOW_SHRINK="1"))
    assert allowed["status"] == "ok"
    # the report diffs against the last complete run (A), not the refused one
    assert doc_changes(out, allowed["run_id"]) == [("removed", V1[1]), ("removed", V1[2])]
    assert sorted(p.name for p in (out / "text").iterdir()) == [f"{sha256((CORPUS / V1[0]).read_bytes()).hexdigest()}.txt"]


def test_the_report_read_in_proportion_to_change_equals_the_diff_of_the_stored_runs(first_run):
    """finish_run diffs against the last complete run reading only what changed (unchanged
    documents' mentions come from this run); the result equals the diff of the two runs
    as the store holds them."""
    from pipeline.report import render_csv
    from pipeline.diff import snapshots_to_diff
    from pipeline.store import Store

    out, a, c = first_run["ref"], first_run["a"]["run_id"], first_run["ref_c"]["run_id"]
    with Store.open(f"sqlite:///{out / '.store' / 'runs.sqlite'}") as store:
        diff = snapshots_to_diff(store.snapshot(a), store.snapshot(c))
    assert doc_changes(out, c) == [("added", ADDED), ("removed", V1[0])]
    assert (out / "reports" / f"{c}.csv").read_text(encoding="utf-8") == render_csv(diff)
    assert any(r["record"] == "fact" and r["change"] == "added" for r in report_rows(out, c))


def test_a_no_change_run_applies_new_curation_decisions_to_the_reused_facts(work, first_run, tmp_path, settings):
    """The second run reconciles nothing (same documents, same keys) but a decision made
    in between still changes its exports and shows in its report."""
    from pipeline.curation import Decision
    from pipeline.process import result_from_json
    from pipeline.run import finish_run

    out = tmp_path / "out"
    shutil.copytree(first_run["out"], out)
    def facts() -> dict[str, dict]:
        return {r["fact_id"]: r for name in ("trials.csv", "endpoints.csv", "approvals.csv")
                for r in csv.DictReader((out / name).read_text(encoding="utf-8").splitlines())}

    target = next(iter(facts().values()))
    # a correction fits the fact's kind (pipeline/curation.py validates it): a phase, a value, a date
    fixed = {"trial": "III", "endpoint": "44.3%", "approval": "2019-12"}[
        "trial" if "phase" in target else "approval" if "date" in target else "endpoint"]
    s = replace(settings, corpus=work["dir"], out=out, store_url=f"sqlite:///{out / '.store' / 'runs.sqlite'}")
    results = [result_from_json(work["results"][n].read_bytes()) for n in V1]
    done = finish_run(s, results, set(), work["key"], work["code"],
                      [Decision(target["fact_id"], "correct", fixed, "checked in the source", "Ann")])
    after = facts()

    def value(r: dict) -> str:          # a trial's value is its phase (the typed exports: no repeated column)
        return r["value"] if "value" in r else r["phase"] if "phase" in r else r["date"]

    assert value(target) != fixed
    assert (value(after[target["fact_id"]]), after[target["fact_id"]]["curation"]) == (fixed, "corrected")
    changed = [r for r in report_rows(out, done["run_id"]) if r["record"] == "fact"]
    assert [(r["fact_id"], r["change"], r["new_value"]) for r in changed] == [(target["fact_id"], "changed", fixed)]
