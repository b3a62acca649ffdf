"""After the per-document work: reconcile, curate, store, write outputs, export, report.

Plain functions; the Prefect flow calls `finish_run` once with every document's
result. A run is published atomically:

1. everything is computed in memory (facts, exports, the diff report);
2. the run is recorded in the store in one transaction, status 'publishing';
3. its files are written to a staging folder <out>/.publish/<run_id>.tmp (only
   files whose content changed; documents whose stored entry did not change since
   the last complete run are not even regenerated);
4. the staging folder is renamed to <out>/.publish/<run_id> with a manifest (the
   commit point for the files), then each file is moved into place (rename, same
   file system) and files of documents that left the corpus are removed;
5. only then is the run set to its final status (ok/partial) in the store.

A run killed before step 4 leaves the previous run's files and history as they
were (the run stays 'publishing' and the next run marks it 'abandoned'); a run
killed after it is completed by the next run (`recover`) before that run starts
its own publication, so its report exists and the next report diffs against it.
Either way the next run reports against the last COMPLETE run, and no change is
missing from every report. Runs on one output root are serialised by a lock.

A run that would remove more than settings.max_shrink of the last complete run's
facts is recorded as 'refused' and publishes nothing, unless settings.allow_shrink.
"""
from __future__ import annotations

import filecmp
import json
import logging
import os
import re
import shutil
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional, Sequence

from pipeline.candidates import CANDIDATE_COLUMNS, candidates_from_results
from pipeline.config import Settings, extraction_key
from pipeline.curation import Decision, apply_curation, write_rejected_csv
from pipeline.diff import snapshots_to_diff
from pipeline.errors import Errors
from pipeline.export import export_run
from pipeline.lifecycle import run_lock   # the one lock of an output root (a whole run holds it; re-entrant)
from pipeline.model import DocResult, DocumentRecord, Fact, Mention, RunInfo, RunSnapshot, mention_id
from pipeline.outputs import (DOCUMENT_COLUMNS, ENTITY_COLUMNS, TABLE_COLUMNS, atomic_write_csv, atomic_write_text,
                              document_row, entity_rows, table_rows, write_mention_csvs)
from pipeline.reconcile import documents_to_works, mentions_to_facts
from pipeline.report import COMPLETED, write_reports
from pipeline.rules import RuleSet
from pipeline.store import FactHistory, Store, die_here

log = logging.getLogger("pipeline.run")

PUBLISH_DIR = ".publish"          # staging folders and journals, under the output root
MANIFEST = ".manifest.json"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run_status(results: Sequence[DocResult]) -> str:
    """ok: every document went through; partial: some failed; failed: none went through."""
    failed = sum(1 for r in results if r.doc.status != "ok")
    if not failed:
        return "ok"
    return "failed" if failed == len(results) else "partial"


def results_to_records(results: Sequence[DocResult], reused: set[str], rules_key: str, code: str
                       ) -> list[DocumentRecord]:
    return [DocumentRecord(r.doc.doc_id, r.doc.source_file, r.doc.kind, r.doc.title, r.doc.doi, r.doc.status,
                           r.doc.error, rules_key, code, r.doc.source_file in reused) for r in results]


def basket_trials(rules: RuleSet | None) -> list[str]:
    """Names and NCT ids of the trials rules/trials.yaml marks `basket: true`."""
    if rules is None or rules.get("trials") is None:
        return []
    return [x for e in rules["trials"].entries if getattr(e, "basket", False)
            for x in (e.canonical, *e.synonyms, e.nct_id) if x]


def raw_facts(results: Sequence[DocResult], rules: RuleSet | None = None) -> list[Fact]:
    """The reconciled facts of the documents that went through, before curation."""
    ok = [r for r in results if r.doc.status == "ok"]
    works = documents_to_works(r.doc for r in ok)
    return mentions_to_facts([m for r in ok for m in r.mentions], works, basket_trials(rules))


def results_to_facts(results: Sequence[DocResult], decisions: Sequence[Decision], rules: RuleSet | None = None,
                     raw: Optional[Sequence[Fact]] = None) -> tuple[list[Fact], tuple[Fact, ...], tuple[Decision, ...]]:
    """(every fact with its curation mark, rejected facts, stale decisions); `raw`: the
    facts before curation when already known (then nothing is reconciled again)."""
    facts = list(raw) if raw is not None else raw_facts(results, rules)
    kept, rejected, stale = apply_curation(facts, decisions)
    return sorted(kept + rejected, key=lambda f: (f.kind, f.fact_id)), rejected, stale


# ---------------------------------------------------------------- publication

def _safe_name(run_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)


class Publication:
    """One run's files, staged under <out>/.publish/<run_id>.tmp, then swapped in."""

    def __init__(self, out: Path, run_id: str) -> None:
        self.out, self.run_id = Path(out), run_id
        self.stage = self.out / PUBLISH_DIR / f"{_safe_name(run_id)}.tmp"
        shutil.rmtree(self.stage, ignore_errors=True)
        self.stage.mkdir(parents=True)
        self.deletes: list[str] = []

    def final(self, staged: Path) -> Path:
        """Where a staged file will be published."""
        return self.out / Path(staged).relative_to(self.stage)

    def commit(self, status: str) -> Path:
        """Write the manifest and rename the staging folder into a journal (the commit
        point); staged files identical to the published ones are dropped (not rewritten)."""
        moves = []
        for p in sorted(self.stage.rglob("*")):
            if not p.is_file():
                continue
            target = self.final(p)
            if target.is_file() and filecmp.cmp(p, target, shallow=False):
                p.unlink()
            else:
                moves.append(str(p.relative_to(self.stage)))
        atomic_write_text(self.stage / MANIFEST, json.dumps(
            {"run_id": self.run_id, "status": status, "moves": moves, "deletes": sorted(set(self.deletes))}))
        journal = self.stage.with_name(_safe_name(self.run_id))
        os.replace(self.stage, journal)
        return journal


def apply_journal(journal: Path, out: Path) -> dict:
    """Move a committed journal's files into place (idempotent: a resumed journal
    skips what was moved already) and remove the files it lists for deletion."""
    manifest = json.loads((journal / MANIFEST).read_text(encoding="utf-8"))
    for rel in manifest["moves"]:
        src = journal / rel
        if src.exists():
            dst = out / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
            die_here("publication")
    for rel in manifest["deletes"]:
        (out / rel).unlink(missing_ok=True)
    return manifest


def recover(store: Store, out: Path) -> None:
    """Finish what an interrupted run left: a committed journal is published and its run
    completed; a staging folder is discarded and its run marked 'abandoned'."""
    root = Path(out) / PUBLISH_DIR
    if root.is_dir():
        for d in sorted(root.iterdir()):
            if d.is_dir() and (d / MANIFEST).is_file() and not d.name.endswith(".tmp"):
                m = apply_journal(d, Path(out))
                if store.set_status(m["run_id"], m["status"], only_if="publishing"):
                    log.warning("run %s was interrupted while publishing its files; its publication is "
                                "completed now (status %s)", m["run_id"], m["status"])
            shutil.rmtree(d, ignore_errors=True)
    for r in store.runs():
        if r.status == "publishing" and store.set_status(r.run_id, "abandoned", only_if="publishing"):
            log.warning("run %s was interrupted before its files were published: marked 'abandoned' "
                        "(the outputs are still those of the last complete run)", r.run_id)


def stage_document_outputs(pub: Publication, results: Sequence[DocResult], changed: Optional[set[str]]
                           ) -> list[Path]:
    """text/, tables/, documents.csv, entities.csv, mentions/ for the documents of a run, staged.
    `changed`: doc_ids whose stored entry differs from the last complete run's (None: all);
    other documents' files are not regenerated, and the run-wide files only when some
    document changed (or a file is missing). Returns the published paths."""
    out = pub.out
    written: list[Path] = []
    results = sorted(results, key=lambda r: r.doc.source_file)
    for r in results:
        if r.doc.status != "ok":
            continue
        text = Path("text") / f"{r.doc.doc_id}.txt"
        tables = [(t, Path("tables") / f"{Path(r.doc.source_file).stem}_{t.table_id}.csv") for t in r.doc.tables]
        fresh = changed is None or r.doc.doc_id in changed or not all(
            (out / p).is_file() for p in [text] + [p for _, p in tables])
        if fresh:
            atomic_write_text(pub.stage / text, r.doc.text)
            for t, p in tables:
                atomic_write_csv(pub.stage / p, TABLE_COLUMNS, table_rows(r, t))
        written += [out / text] + [out / p for _, p in tables]
    keep = {str(p.relative_to(out)) for p in written}
    for folder in ("text", "tables"):           # files of documents that left the corpus leave the outputs too
        if (out / folder).is_dir():
            pub.deletes += [f"{folder}/{p.name}" for p in (out / folder).iterdir()
                            if p.is_file() and not p.name.startswith(".") and f"{folder}/{p.name}" not in keep]
    run_wide = [Path("documents.csv"), Path("entities.csv")] + [Path("mentions") / n for n in
                                                                ("trials.csv", "endpoints.csv", "approvals.csv")]
    if changed is None or changed or not all((out / p).is_file() for p in run_wide):
        atomic_write_csv(pub.stage / "documents.csv", DOCUMENT_COLUMNS, [document_row(r) for r in results])
        atomic_write_csv(pub.stage / "entities.csv", ENTITY_COLUMNS, [row for r in results for row in entity_rows(r)])
        write_mention_csvs([m for r in results for m in r.mentions], pub.stage)
    return written + [out / p for p in run_wide]


class _Computed:
    """The store interface export_run reads, answered from what this run just computed."""

    def __init__(self, facts: Sequence[Fact], histories: dict) -> None:
        self._facts, self._histories = list(facts), histories

    def facts(self, run_id: str) -> list[Fact]:
        return self._facts

    def fact_histories(self, upto_run: Optional[str] = None, fact_ids=None) -> dict:
        return self._histories


def _shrink(store: Store, prev: Optional[RunInfo], facts: Sequence[Fact], settings: Settings) -> Optional[str]:
    """The refusal message when this run would remove too many facts of the last complete run."""
    if prev is None or settings.allow_shrink:
        return None
    old = set(store.fact_ids(prev.run_id))
    removed = len(old - {f.fact_id for f in facts})
    if old and removed / len(old) > settings.max_shrink:
        return Errors.E307.format(removed=removed, total=len(old), run=prev.run_id, share=settings.max_shrink)
    return None


def finish_run(settings: Settings, results: Sequence[DocResult], reused: set[str], rules_key: str, code: str,
               decisions: Sequence[Decision] = (), rules: RuleSet | None = None, started: str = "") -> dict:
    """Reconcile, apply curation, record the run, publish every output; return a summary."""
    out = Path(settings.out)
    records = results_to_records(results, reused, rules_key, code)
    status = run_status(results)
    # what a document's results are computed under (the per-document cache key); with the
    # same documents under the same keys, the facts before curation are those stored already
    keys = {r.doc.doc_id: f"{r.doc.doc_id}|{rules_key}{extraction_key(settings)}|{code}" for r in results}
    basis = json.dumps([sorted([r.doc.source_file, keys[r.doc.doc_id]] for r in results if r.doc.status == "ok"),
                        basket_trials(rules)])
    info = RunInfo("", started or now_iso(), now_iso(), "publishing", rules_key, code, str(settings.corpus),
                   len(results), sum(1 for r in results if r.doc.status != "ok"))
    ok_pairs = [(rec, r.mentions) for rec, r in zip(records, results) if r.doc.status == "ok"]
    written: list[Path] = []
    reports: list[Path] = []
    with run_lock(out), Store.open(settings.store_url) as store:
        recover(store, out)
        raw = known = store.raw_facts(basis)
        if raw is None:
            raw = raw_facts(results, rules)
        facts, rejected, stale = results_to_facts(results, decisions, rules, raw)
        earlier = [r for r in store.runs() if r.status in COMPLETED]
        prev = earlier[-1] if earlier else None
        refused = _shrink(store, prev, facts, settings)
        die_here("before-commit")
        run_id = store.record_run(replace(info, status="refused") if refused else info, records, ok_pairs, facts, keys,
                                  (basis, None if known is not None else raw))
        die_here("after-commit")
        if refused:
            log.error(refused)
            status = "refused"
        else:
            new_refs = store.document_refs(run_id)
            old_refs = store.document_refs(prev.run_id) if prev else {}
            changed = {d for d, ref in new_refs.items() if old_refs.get(d) != ref} if prev else None
            pub = Publication(out, run_id)
            written += stage_document_outputs(pub, results, changed)
            history = _histories_with(store, prev, run_id, facts)
            written += [pub.final(p) for p in export_run(_Computed(facts, history), run_id, pub.stage)]
            written.append(pub.final(write_rejected_csv(pub.stage, rejected, decisions)))
            run = RunInfo(run_id, info.started, info.finished, status, rules_key, code, info.corpus,
                          info.n_documents, info.n_failed)
            old, new = _diff_snapshots(store, prev, run, records, facts, results)
            reports = [pub.final(p) for p in write_reports(snapshots_to_diff(old, new, decisions), pub.stage, current=new,
                                                           history=store.decisions(), root=out)]
            die_here("report")
            written += reports
            if settings.ner_model and rules is not None:
                atomic_write_csv(pub.stage / "candidates.csv", CANDIDATE_COLUMNS, candidates_from_results(results, rules))
                written.append(out / "candidates.csv")
            journal = pub.commit(status)
            die_here("journal")
            apply_journal(journal, out)
            store.set_status(run_id, status, only_if="publishing")
            die_here("published")
            shutil.rmtree(journal, ignore_errors=True)
    for d in stale:
        log.warning("curation decision for fact %s (%s) matches no fact of this run: stale", d.fact_id, d.action)
    failed = [r.doc for r in results if r.doc.status != "ok"]
    n_conflicts = sum(1 for f in facts if f.status == "conflict" and f.curation != "rejected")
    log.info("run %s: %s; %d facts (%d conflicts, %d rejected by curators); report %s", run_id, status,
             len(facts) - len(rejected), n_conflicts, len(rejected), reports[0] if reports else "-")
    return {
        "run_id": run_id,
        "status": status,
        "n_documents": len(results),
        "n_failed": len(failed),
        "n_reused": len(reused),
        "n_mentions": sum(len(r.mentions) for r in results),
        "n_facts": len(facts) - len(rejected),
        "n_conflicts": n_conflicts,
        "n_rejected": len(rejected),
        "n_stale_decisions": len(stale),
        "failures": [d.error for d in failed],
        "report": str(reports[0]) if reports else "",
        "outputs": [str(p) for p in written],
        "refused": refused or "",
    }


def _histories_with(store: Store, prev: Optional[RunInfo], run_id: str, facts: Sequence[Fact]
                    ) -> dict[str, FactHistory]:
    """first/last seen over the completed runs and this one (not completed until published)."""
    base = store.fact_histories(upto_run=prev.run_id) if prev else {}
    out = {}
    for f in facts:
        h = base.get(f.fact_id)
        out[f.fact_id] = FactHistory(h.first_seen_run, run_id, h.n_runs + 1) if h else FactHistory(run_id, run_id, 1)
    return out


def _diff_snapshots(store: Store, prev: Optional[RunInfo], run: RunInfo, records: Sequence[DocumentRecord],
                    facts: Sequence[Fact], results: Sequence[DocResult]
                    ) -> tuple[Optional[RunSnapshot], RunSnapshot]:
    """The two snapshots the report compares, read in proportion to what changed: the diff
    looks at mentions only as evidence of facts that differ, so each side carries the
    mentions of the documents behind such facts (all of them on a first run). The diff
    equals that of the full snapshots (tests/test_publish.py)."""
    docs = tuple(sorted({d.doc_id: d for d in records}.values(), key=lambda d: (d.source_file, d.doc_id)))
    if prev is None:
        return None, RunSnapshot(run=run, documents=docs, facts=tuple(facts), mentions=_mentions_of(results, None))
    old_docs = tuple(store.documents(prev.run_id))
    same = store.run_refs(prev.run_id)[1] == store.run_refs(run.run_id)[1]
    old_facts = tuple(facts) if same else tuple(store.facts(prev.run_id))
    old_by, new_by = {f.fact_id: f for f in old_facts}, {f.fact_id: f for f in facts}
    files = {src.rsplit(":", 1)[0] for fid in set(old_by) | set(new_by) if old_by.get(fid) != new_by.get(fid)
             for f in (old_by.get(fid), new_by.get(fid)) if f is not None for src in f.sources}
    old_mentions = store.mentions(prev.run_id, skip_docs={d.doc_id for d in old_docs if d.source_file not in files})
    return (RunSnapshot(run=prev, documents=old_docs, facts=old_facts, mentions=tuple(old_mentions)),
            RunSnapshot(run=run, documents=docs, facts=tuple(facts), mentions=_mentions_of(results, files)))


def _mentions_of(results: Sequence[DocResult], files: Optional[set[str]]) -> tuple[Mention, ...]:
    """The run's mentions (of the documents `files` only, unless None), each once, by mention_id."""
    ms = {mention_id(m): m for r in results if r.doc.status == "ok" and (files is None or r.doc.source_file in files)
          for m in r.mentions}
    return tuple(ms[k] for k in sorted(ms))
