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


def _stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every published file but the exports and reports (which name the run)."""
    names = [p for p in out.rglob("*") if p.is_file() and not any(x.startswith(".") for x in p.relative_to(out).parts)]
    rel = {str(p.relative_to(out)): p for p in names}
    return {n: (p.stat().st_ino, p.stat().st_mtime_ns) for n, p in rel.items()
            if not n.startswith("reports/") and n not in EXPORTS}


def test_a_no_change_run_rewrites_no_document_or_run_wide_file_and_stores_one_runs_row(streamed, real_run, tmp_path):
    from pipeline.store import Store

    out = tmp_path / "extracted"
    shutil.copytree(streamed["out"], out)
    before = _stamps(out)
    assert {"documents.csv", "entities.csv", "mentions/endpoints.csv"} <= set(before)
    assert any(n.startswith("text/") for n in before) and any(n.startswith("tables/") for n in before)
    url = _settings(real_run, out).store_url
    with Store.open(url) as store:
        size0, first = store.size(), store.runs()[-1].run_id
    summary, run, seen = _feed(real_run, out, real_run.results, streamed["reload"])
    assert _stamps(out) == before                      # not one of those files written again
    with Store.open(url) as store:
        size1 = store.size()
        assert store.run_refs(summary["run_id"]) == store.run_refs(first)     # same documents, same facts
        assert store.document_refs(summary["run_id"]) == store.document_refs(first)
    assert size1["runs"] == size0["runs"] + 1 and size1["objects"] == size0["objects"]   # no new object
    for name in EXPORTS:                               # the exports name the new run as the last one seen
        rows = _facts(out, name)
        assert rows == _facts(streamed["out"], name) and rows
        with open(out / name, encoding="utf-8") as fh:
            assert summary["run_id"] in fh.read()


def test_one_changed_document_leaves_the_other_documents_files_untouched_and_is_stored_as_computed(
        streamed, real_run, tmp_path):
    from pipeline.store import Store, entry_ref

    out = tmp_path / "extracted"
    shutil.copytree(streamed["out"], out)
    before = _stamps(out)
    results = list(real_run.results)
    ok = [i for i, r in enumerate(results) if r.doc.status == "ok"]
    i = ok[-1]
    changed = results[i].doc.doc_id
    results[i] = replace(results[i], doc=replace(results[i].doc, title="Another title"))
    summary, run, _ = _feed(real_run, out, results, streamed["reload"])
    after = _stamps(out)
    rewritten = {n for n in before if after.get(n) != before[n]}
    assert rewritten == {"documents.csv"}              # its text and tables are the same bytes: not replaced
    assert "Another title" in (out / "documents.csv").read_text(encoding="utf-8")
    with Store.open(_settings(real_run, out).store_url) as store:
        records = {d.doc_id: d for d in store.documents(summary["run_id"])}
        refs = store.document_refs(summary["run_id"])
        first = store.document_refs(store.runs()[0].run_id)
    assert records[changed].title == "Another title"
    assert refs == {d: entry_ref(rec, run.content_key(d)) for d, rec in records.items()}
    assert {d for d in refs if refs[d] != first[d]} == {changed}


def test_a_no_change_run_restamps_the_last_exports_and_they_equal_a_full_export(streamed, real_run, tmp_path,
                                                                                monkeypatch):
    """A no-change run does not type and render every fact again: the last run's exports, as it
    published them (run.EXPORTS_STAMP), restamped with the new run as last_seen_run; the bytes an
    export from the store writes. An export edited since, or a history pruned since (first_seen_run
    moves), is rendered again from the facts."""
    import pipeline.run as run_module
    from pipeline.export import export_run
    from pipeline.store import Store

    out = tmp_path / "extracted"
    shutil.copytree(streamed["out"], out)
    url = _settings(real_run, out).store_url
    rendered: list[str] = []

    def counting(store, run_id, *a, **k):
        rendered.append(run_id)
        return export_run(store, run_id, *a, **k)
    monkeypatch.setattr(run_module, "export_run", counting)

    def fresh(run_id: str, where: Path) -> None:
        with Store.open(url) as store:
            export_run(store, run_id, where)
        for name in EXPORTS:
            assert (out / name).read_bytes() == (where / name).read_bytes(), name

    summary, _, _ = _feed(real_run, out, real_run.results, streamed["reload"])
    assert rendered == [] and summary["status"] == "ok"
    fresh(summary["run_id"], tmp_path / "fresh1")
    summary, _, _ = _feed(real_run, out, real_run.results, streamed["reload"])     # a second time: the same
    assert rendered == []
    fresh(summary["run_id"], tmp_path / "fresh2")
    text = (out / "trials.csv").read_text(encoding="utf-8")
    (out / "trials.csv").write_text(text.replace(summary["run_id"], "edited"), encoding="utf-8")
    summary, _, _ = _feed(real_run, out, real_run.results, streamed["reload"])
    assert rendered == [summary["run_id"]]
    fresh(summary["run_id"], tmp_path / "fresh3")
    with Store.open(url) as store:
        assert store.prune(1)["runs"] > 0                # first_seen_run of every fact moves to the kept run
    summary, _, _ = _feed(real_run, out, real_run.results, streamed["reload"])
    assert rendered[1:] == [summary["run_id"]]
    fresh(summary["run_id"], tmp_path / "fresh4")
    with open(out / "trials.csv", encoding="utf-8") as fh:
        assert summary["run_id"] in fh.read()


def test_a_head_whose_files_went_missing_is_read_whole_and_its_files_written_again(real_run, tmp_path):
    """A reused document arrives as its head (record, mentions, counts); if one of its files went
    missing meanwhile, the after-run phase reads its whole cached result and writes the file again."""
    from conftest import copy_real_run
    from pipeline.model import result_head
    from pipeline.run import RunOutputs

    s, out, _rules = copy_real_run(real_run, tmp_path)
    full = {r.doc.doc_id: r for r in real_run.results}
    reloaded: list[str] = []

    def reload(doc_id):
        reloaded.append(doc_id)
        return full[doc_id]
    ok = [r for r in real_run.results if r.doc.status == "ok"]
    gone = out / "text" / f"{ok[0].doc.doc_id}.txt"
    saved = gone.read_bytes()
    gone.unlink()
    with RunOutputs(s, real_run.rkey, real_run.code, (), real_run.ruleset, reload=reload) as run:
        heads = [result_head(r) for r in real_run.results]
        assert [run.wants_full(h) for h in heads] == [r is ok[0] for r in real_run.results]
        for i, h in enumerate(heads):
            run.add(i, h)
        summary = run.finish({r.doc.source_file for r in real_run.results})
    assert reloaded == [ok[0].doc.doc_id]          # only the document whose file was missing
    assert gone.read_bytes() == saved and summary["status"] == "ok" and summary["n_documents"] == len(heads)
