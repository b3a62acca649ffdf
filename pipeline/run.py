"""After the per-document work: reconcile, curate, store, write outputs, export, report.

Plain functions; the Prefect flow calls `finish_run` once with every document's
result. The order keeps a run atomic: everything is computed first, the run is
recorded in the store in one transaction, and only then are the files under the
output root replaced (each file atomically). A failure before the store commit
leaves the previous outputs and history untouched.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from pipeline.candidates import CANDIDATE_COLUMNS, candidates_from_results
from pipeline.config import Settings
from pipeline.curation import Decision, apply_curation, write_rejected_csv
from pipeline.diff import snapshots_to_diff
from pipeline.export import export_run
from pipeline.model import DocResult, DocumentRecord, Fact, RunInfo
from pipeline.outputs import atomic_write_csv, write_document_outputs
from pipeline.reconcile import documents_to_works, mentions_to_facts
from pipeline.report import COMPLETED, write_reports
from pipeline.rules import RuleSet
from pipeline.store import Store

log = logging.getLogger("pipeline.run")


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


def results_to_facts(results: Sequence[DocResult], decisions: Sequence[Decision], rules: RuleSet | None = None
                     ) -> tuple[list[Fact], tuple[Fact, ...], tuple[Decision, ...]]:
    """(every fact with its curation mark, rejected facts, stale decisions)."""
    ok = [r for r in results if r.doc.status == "ok"]
    works = documents_to_works(r.doc for r in ok)
    facts = mentions_to_facts([m for r in ok for m in r.mentions], works, basket_trials(rules))
    kept, rejected, stale = apply_curation(facts, decisions)
    return sorted(kept + rejected, key=lambda f: (f.kind, f.fact_id)), rejected, stale


def finish_run(settings: Settings, results: Sequence[DocResult], reused: set[str], rules_key: str, code: str,
               decisions: Sequence[Decision] = (), rules: RuleSet | None = None, started: str = "") -> dict:
    """Reconcile, apply curation, record the run, write every output; return a summary."""
    out = Path(settings.out)
    records = results_to_records(results, reused, rules_key, code)
    facts, rejected, stale = results_to_facts(results, decisions, rules)
    status = run_status(results)
    info = RunInfo("", started or now_iso(), now_iso(), status, rules_key, code, str(settings.corpus),
                   len(results), sum(1 for r in results if r.doc.status != "ok"))
    ok_pairs = [(rec, r.mentions) for rec, r in zip(records, results) if r.doc.status == "ok"]
    with Store.open(settings.store_url) as store:
        earlier = [r for r in store.runs() if r.status in COMPLETED]
        run_id = store.record_run(info, records, ok_pairs, facts)
        # ---- the run is committed; now the files
        written = write_document_outputs(out, results)
        written += export_run(store, run_id, out)
        new = store.snapshot(run_id)
        old = store.snapshot(earlier[-1].run_id) if earlier else None
    written.append(write_rejected_csv(out, rejected, decisions))
    diff = snapshots_to_diff(old, new, decisions)
    reports = write_reports(diff, out, current=new)
    written += reports
    if settings.ner_model and rules is not None:
        p = out / "candidates.csv"
        atomic_write_csv(p, CANDIDATE_COLUMNS, candidates_from_results(results, rules))
        written.append(p)
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
    }
