"""Scale (issue 14 points 3 and 4): the after-run phase is fed one document at a time and holds no
document's full result beyond the one it is working on; unchanged documents' files are neither
re-staged nor re-read; the run-wide files are the same whichever way they are put together; the
CLI finds a configured Prefect server without importing Prefect.

Real results of the corpus reviews (ingest, NLP, extraction), the real SQLite store and files;
no timing asserts (speed: scripts/bench_fixed_cost.py, scripts/bench_scale.py)."""
from __future__ import annotations

import filecmp
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CORPUS

COMPARED = ["documents.csv", "entities.csv", "mentions/trials.csv", "mentions/endpoints.csv", "mentions/approvals.csv"]
EXPORTS = ["trials.csv", "endpoints.csv", "approvals.csv"]       # compared without the run ids they carry


def _settings(real_run, out: Path):
    from pipeline.config import Settings

    return Settings.resolve(corpus=str(CORPUS), out=str(out), rules_dir=str(real_run.base / "rules"))


def _feed(real_run, out: Path, results, reload=None, order=None):
    """One run through RunOutputs, results added in `order` (default: reversed, as a pool may finish
    them); returns (summary, the RunOutputs, what each add left behind)."""
    from pipeline.run import RunOutputs

    s = _settings(real_run, out)
    seen = []
    with RunOutputs(s, real_run.rkey, real_run.code, (), real_run.ruleset, reload=reload) as run:
        for i in (order if order is not None else reversed(range(len(results)))):
            run.add(i, results[i])
            kept = run._kept[i]
            seen.append((results[i].doc.doc_id, (run.pub.stage / "text" / f"{results[i].doc.doc_id}.txt").is_file(),
                         kept.doc.text == "" and not kept.entities and not kept.sentences and not kept.doc.boxes,
                         run.full_results_held))
        summary = run.finish(set())
    return summary, run, seen


def _same_files(a: Path, b: Path, names) -> list[str]:
    return [n for n in names if not filecmp.cmp(a / n, b / n, shallow=False)]


def _facts(out: Path, name: str) -> list[dict]:
    import csv

    with open(out / name, encoding="utf-8", newline="") as fh:
        return [{k: v for k, v in row.items() if not k.endswith("_seen_run")} for row in csv.DictReader(fh)]


@pytest.fixture(scope="module")
def streamed(real_run, tmp_path_factory):
    """A first run fed document by document, with a reload function that counts its calls."""
    from pipeline.process import result_from_json, result_to_json

    out = tmp_path_factory.mktemp("streamed") / "extracted"
    cache = {r.doc.doc_id: result_to_json(r) for r in real_run.results}
    calls: list[str] = []

    def reload(doc_id):
        calls.append(doc_id)
        return result_from_json(cache[doc_id])

    summary, run, seen = _feed(real_run, out, real_run.results, reload)
    return {"out": out, "summary": summary, "run": run, "seen": seen, "reload": reload, "calls": calls}


def test_each_document_is_staged_as_it_comes_in_and_only_its_record_and_mentions_are_kept(streamed, real_run):
    ok = {r.doc.doc_id for r in real_run.results if r.doc.status == "ok"}
    assert len(streamed["seen"]) == len(real_run.results) >= 5
    for doc_id, staged, slim, held in streamed["seen"]:
        assert staged == (doc_id in ok)          # its text file is written before the next document comes
        assert slim                              # no text, sentences, entities or boxes kept
        assert held == 0                         # add() let go of the full result
    assert streamed["run"].max_full_results_held == 1
    assert streamed["calls"] == []               # a first run spools every document's rows: nothing read back
    assert streamed["summary"]["status"] == "ok"


def test_streamed_outputs_equal_those_of_a_run_given_every_result_at_once(streamed, real_run):
    """real_run's outputs come from finish_run over results held in memory, in corpus order."""
    base = real_run.base / "extracted"
    assert _same_files(base, streamed["out"], COMPARED) == []
    for name in EXPORTS:
        assert _facts(base, name) == _facts(streamed["out"], name) and _facts(base, name)
    from pipeline.outputs import write_mention_csvs          # all mentions at once, sorted as one set

    flat = streamed["out"].parent / "flat"
    write_mention_csvs([m for r in real_run.results for m in r.mentions], flat)
    assert _same_files(flat, streamed["out"], [n for n in COMPARED if n.startswith("mentions/")]) == []
    texts = sorted(p.name for p in (base / "text").iterdir())
    assert texts == sorted(p.name for p in (streamed["out"] / "text").iterdir()) and texts
    assert _same_files(base / "text", streamed["out"] / "text", texts) == []
    tables = sorted(p.name for p in (base / "tables").iterdir())
    assert _same_files(base / "tables", streamed["out"] / "tables", tables) == []


def test_stored_entries_are_those_computed_as_documents_came_in(streamed, real_run):
    from pipeline.store import Store, entry_ref

    run = streamed["run"]
    with Store.open(_settings(real_run, streamed["out"]).store_url) as store:
        stored = store.document_refs(streamed["summary"]["run_id"])
        records = store.documents(streamed["summary"]["run_id"])
    assert stored == {d.doc_id: entry_ref(d, run.content_key(d.doc_id)) for d in records}


def test_one_changed_document_reads_the_others_back_one_at_a_time_with_the_same_files(streamed, real_run, tmp_path):
    out = tmp_path / "extracted"
    shutil.copytree(streamed["out"], out)
    before = tmp_path / "before"
    shutil.copytree(out, before)
    results = list(real_run.results)
    ok = [i for i, r in enumerate(results) if r.doc.status == "ok"]
    results[ok[0]] = replace(results[ok[0]], doc=replace(results[ok[0]].doc, title="A title changed by hand"))
    streamed["calls"].clear()
    summary, run, seen = _feed(real_run, out, results, streamed["reload"])
    changed = results[ok[0]].doc.doc_id
    assert [s for d, s, _, _ in seen if s] == [True]           # only the changed document's text is staged again
    assert sorted(streamed["calls"]) == sorted(results[i].doc.doc_id for i in ok if i != ok[0])
    assert run.max_full_results_held == 1                      # read back one at a time
    assert run.n_reloaded == len(ok) - 1
    assert _same_files(before, out, [n for n in COMPARED if n != "documents.csv"]) == []
    rows = (out / "documents.csv").read_text(encoding="utf-8")
    assert "A title changed by hand" in rows and changed in rows


def test_a_no_change_run_stages_no_document_file_and_reads_nothing_back(streamed, real_run, tmp_path):
    out = tmp_path / "extracted"
    shutil.copytree(streamed["out"], out)
    streamed["calls"].clear()
    summary, run, seen = _feed(real_run, out, real_run.results, streamed["reload"])
    assert not any(staged for _, staged, _, _ in seen)
    assert streamed["calls"] == [] and run.n_reloaded == 0
    assert summary["status"] == "ok"
