"""After the per-document work: reconcile, curate, store, write outputs, export, report.

Plain functions and one class; the Prefect flow opens a `RunOutputs`, feeds it each document's
result as it completes (`add`: the document's files are staged and only its record and mentions
are kept, so memory stays flat in corpus size) and calls `finish` once. A run is published
atomically:

1. documents' files are staged as they come in, in a staging folder <out>/.publish/<run_id>.tmp
   (only for documents whose stored entry changed since the last complete run, or whose files
   are missing); entities.csv rows are spooled per document beside it;
2. the facts are reconciled and the run is recorded in the store in one transaction, status
   'publishing';
3. the run-wide files, exports and the diff report are staged (only files whose content
   changed are published);
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

import contextlib
import filecmp
import json
import logging
import os
import re
import shutil
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from pipeline.candidates import CANDIDATE_COLUMNS, entities_to_candidates, entities_with_sentences, known_terms_from_rules
from pipeline.config import Settings, extraction_key
from pipeline.curation import Decision, apply_curation, write_rejected_csv
from pipeline.diff import snapshots_to_diff
from pipeline.errors import Errors, printable
from pipeline.export import export_run, file_digest, restamp_fact_csvs, write_readme
from pipeline.ingest import list_corpus, source_name
from pipeline.lifecycle import run_lock   # the one lock of an output root (a whole run holds it; re-entrant)
from pipeline.model import (DocHead, DocResult, Document, DocumentRecord, Fact, Mention, PreparedResult, RunInfo,
                            RunSnapshot, mention_id, result_head)
from pipeline.outputs import (ENTITY_COLUMNS, atomic_write_bytes, atomic_write_csv,
                              atomic_write_csv_parts, atomic_write_text, csv_text, document_file_bytes, document_files,
                              document_row, entities_part, entity_rows, write_mention_csvs_by_document)
from pipeline.process import answer_without_processing, load_cached
from pipeline.reconcile import documents_to_works, mentions_to_facts
from pipeline.report import COMPLETED, write_reports
from pipeline.schema import DOCUMENT_COLUMNS, FACT_FILES
from pipeline.rules import RuleSet
from pipeline.store import FactHistory, Store, die_here, entry_ref, new_run_id

log = logging.getLogger("pipeline.run")

PUBLISH_DIR = ".publish"          # staging folders and journals, under the output root
EXPORTS_STAMP = Path(".cache") / "exports.json"   # what the published fact exports were made from (run._restamped)
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


RUN_WIDE = [Path("documents.csv"), Path("entities.csv")] + [Path("mentions") / n for n in
                                                           ("trials.csv", "endpoints.csv", "approvals.csv")]


class RunOutputs:
    """The after-run phase fed one document at a time, so that memory stays flat in corpus size:

        with RunOutputs(settings, rules_key, code, decisions, rules, started, reload) as run:
            run.add(i, result)          # as each document's result comes in, in any order
            summary = run.finish(reused)

    Opening it takes the output root's lock, completes or discards what an interrupted run left
    (`recover`), and opens the run's staging folder. `add` stages the document's text and table
    files at once (only when its stored entry differs from the last complete run's, or a file is
    missing), keeps its documents.csv row, spools its entities.csv rows to a part file, and keeps
    only `slim_result(result)` (model.py). `finish` reconciles, records the run and publishes (module docstring);
    the run-wide files are put together from the parts one at a time. `reload(doc_id)`: the full
    result of a document from the per-document cache, for the parts of documents that did not
    change (not spooled) when some other document changed; without it every part is spooled.
    `full_results_held` counts full results held at any moment (add holds one while it works):
    never more than one."""

    def __init__(self, settings: Settings, rules_key: str, code: str, decisions: Sequence[Decision] = (),
                 rules: RuleSet | None = None, started: str = "",
                 reload: Optional[Callable[[str], Optional[DocResult]]] = None) -> None:
        self.settings, self.rules_key, self.code = settings, rules_key, code
        self.decisions, self.rules, self.reload = tuple(decisions), rules, reload
        self.started = started or now_iso()
        self.out = Path(settings.out)
        self._stack = contextlib.ExitStack()
        try:
            self._stack.enter_context(run_lock(self.out))
            self.store = self._stack.enter_context(Store.open(settings.store_url))
            recover(self.store, self.out)
            earlier = [r for r in self.store.runs() if r.status in COMPLETED]
            self.prev = earlier[-1] if earlier else None
            self._old_refs = self.store.document_refs(self.prev.run_id) if self.prev else {}
            self.run_id = new_run_id()
            self.pub = Publication(self.out, self.run_id)
        except BaseException:
            self._stack.close()
            raise
        self.parts = self.pub.stage.with_name(f"{_safe_name(self.run_id)}.parts.tmp")  # never published
        shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(parents=True)
        self._stack.callback(shutil.rmtree, self.parts, True)
        self._kept: dict[int, DocResult] = {}
        self._rows: dict[int, dict] = {}                 # documents.csv
        self._files: dict[int, list[Path]] = {}          # each document's text and table files, relative
        self._pairs: dict[int, dict] = {}                # candidates.csv inputs (with an NER model only)
        self._stored: dict[str, str] = {}                # doc_id -> entry ref, documents unchanged since prev
        self._changed = self.prev is None
        self.full_results_held = self.max_full_results_held = 0
        self.n_reloaded = 0

    def __enter__(self) -> "RunOutputs":
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.pub.stage, ignore_errors=True)    # committed already, or nothing to publish
        self._stack.close()

    def content_key(self, doc_id: str) -> str:
        """What a document's results are computed under (the per-document cache key)."""
        return f"{doc_id}|{self.rules_key}{extraction_key(self.settings)}|{self.code}"

    def _hold(self, n: int) -> None:
        self.full_results_held += n
        self.max_full_results_held = max(self.max_full_results_held, self.full_results_held)

    def _fresh(self, d: Document) -> tuple[bool, str]:
        """(whether the document's stored entry differs from the last complete run's, its entry ref)"""
        rec = results_to_records([DocResult(d)], set(), self.rules_key, self.code)[0]
        ref = entry_ref(rec, self.content_key(d.doc_id))
        return self.prev is None or self._old_refs.get(d.doc_id) != ref, ref

    def wants_full(self, head: DocHead, fresh: Optional[bool] = None) -> bool:
        """Whether `add` needs a cached document's whole result rather than its head: its files must be
        written (it changed since the last complete run, or a file is missing), its entities.csv rows
        spooled (no `reload`), or its entities paired with sentences (an NER model's candidates).
        `fresh`: `_fresh(its document)[0]`, when already known."""
        return ((self._fresh(head.result.doc)[0] if fresh is None else fresh) or self.reload is None
                or not all((self.out / p).is_file() for p in document_files(head))
                or bool(self.settings.ner_model and self.rules is not None))

    def add(self, index: int, r: DocResult | DocHead | PreparedResult) -> None:
        """One document's result (`index`: its place in the corpus order); a cached document's head
        when `wants_full(head)` is False; a processed document as its worker process prepared it (its
        head and its files' bytes, written as they are)."""
        if isinstance(r, PreparedResult):
            self._add_prepared(index, r)
            return
        self._hold(1)
        try:
            head = r if isinstance(r, DocHead) else result_head(r)
            d = head.result.doc
            fresh, ref = self._fresh(d)      # (the same document record whether head or whole result)
            if isinstance(r, DocHead) and self.wants_full(r, fresh):
                # (a file of the document went missing since the head was read): its whole result
                full = self.reload(d.doc_id) if self.reload is not None else None
                if full is None:
                    raise RuntimeError(f"{printable(d.source_file)}: its cached result is gone; run again")
                r = full
            files = document_files(head)
            if not isinstance(r, DocHead):
                whole = r
                self._write(index, head, fresh, files, lambda: document_file_bytes(whole, files, self.pub.stage),
                            lambda: entities_part(whole), lambda: entities_with_sentences([whole]))
            self._keep(index, head, files, fresh, ref)
        finally:
            self._hold(-1)

    def _add_prepared(self, index: int, r: PreparedResult) -> None:
        """`add` of a document its worker process prepared: the same files, from its bytes (what its
        outputs logged while making a part is said when that part is written)."""
        fresh, ref = self._fresh(r.head.result.doc)
        files = document_files(r.head)
        self._write(index, r.head, fresh, files, lambda: self._said(r, "files", r.files),
                    lambda: self._said(r, "entities", r.entities), lambda: r.pairs or {})
        self._keep(index, r.head, files, fresh, ref)

    def _write(self, index: int, head: DocHead, fresh: bool, files: list[Path], file_bytes: Callable[[], list],
               entities: Callable[[], bytes], pairs: Callable[[], dict]) -> None:
        """A processed document's files (staged when new or missing), its entities.csv part and its NER
        pairs; each made only when it is written."""
        if head.result.doc.status != "ok":
            return
        if fresh or not all((self.out / p).is_file() for p in files):
            for p, data in zip(files, file_bytes()):
                atomic_write_bytes(self.pub.stage / p, data)
        if fresh or self.reload is None:
            self._spool(index, entities())
        if self.settings.ner_model and self.rules is not None:
            self._pairs[index] = pairs()

    @staticmethod
    def _said(r: PreparedResult, part: str, data):
        """`data` (a part of a prepared document's files), after saying what the worker process's outputs
        logged while making it."""
        for p, message in r.notes:
            if p == part:
                logging.getLogger("pipeline.outputs").warning("%s", message)
        return data

    def _keep(self, index: int, head: DocHead, files: list[Path], fresh: bool, ref: str) -> None:
        """A document's record, mentions, documents.csv row and files, kept for `finish`."""
        self._changed |= fresh
        if not fresh:
            self._stored[head.result.doc.doc_id] = ref
        self._rows[index] = document_row(head)
        self._files[index] = files
        self._kept[index] = head.result

    def _spool(self, index: int, part: bytes) -> None:
        atomic_write_bytes(self.parts / f"{index}.csv", part)

    def _entity_parts(self, order: Sequence[int]) -> Iterator[str]:
        """entities.csv's rows, one document at a time: its spooled part, or its cached result read back."""
        for i in order:
            r = self._kept[i]
            if r.doc.status != "ok":
                continue
            part = self.parts / f"{i}.csv"
            if part.is_file():
                yield part.read_text(encoding="utf-8")
                continue
            full = self.reload(r.doc.doc_id) if self.reload is not None else None
            if full is None:
                raise RuntimeError(f"{printable(r.doc.source_file)}: its cached result is gone; run again")
            self._hold(1)
            self.n_reloaded += 1
            try:
                yield csv_text(ENTITY_COLUMNS, entity_rows(full), "entities.csv", with_header=False)
            finally:
                self._hold(-1)
                del full

    def _exports_key(self, run_id: str, completed: list) -> list:
        return [run_id, self.code, self.store.run_refs(run_id)[1], completed]

    def _restamped(self, prev: Optional[RunInfo], run_id: str, completed: list) -> Optional[list[Path]]:
        """The exports staged from the last complete run's published ones when nothing they show but
        last_seen_run can differ: the same facts (same stored fact set), the same completed runs
        before this one, the same code, the files as that run published them (EXPORTS_STAMP);
        otherwise None (nothing staged)."""
        if prev is None:
            return None
        try:
            stamp = json.loads((self.out / EXPORTS_STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(stamp, dict) or stamp.get("key") != self._exports_key(prev.run_id, completed) or \
                self.store.run_refs(run_id)[1] != self.store.run_refs(prev.run_id)[1]:
            return None
        csvs = restamp_fact_csvs(self.out, self.pub.stage, stamp.get("files") or {}, prev.run_id, run_id)
        return None if csvs is None else csvs + [write_readme(self.pub.stage)]

    def _stamp_exports(self, run_id: str, before: list) -> None:
        """EXPORTS_STAMP for the next run, published with the exports: what they were made from and
        their digests."""
        completed = [before[0] or run_id, before[1] + 1]          # once this run is complete
        files = {name: file_digest(self.pub.stage / name) for name in FACT_FILES.values()}
        atomic_write_text(self.pub.stage / EXPORTS_STAMP,
                          json.dumps({"key": self._exports_key(run_id, completed), "files": files}))

    def _stage_run_wide(self, order: Sequence[int]) -> list[Path]:
        """Deletions of files of documents that left the corpus; documents.csv, entities.csv and
        mentions/ when some document changed (or left, or a file is missing). Returns the published
        paths of the documents' files and the run-wide files."""
        out, pub = self.out, self.pub
        written = [out / p for i in order for p in self._files[i]]
        keep = {p.as_posix() for i in order for p in self._files[i]}
        for folder in ("text", "tables"):        # files of documents that left the corpus leave the outputs too
            if (out / folder).is_dir():
                pub.deletes += [f"{folder}/{e.name}" for e in os.scandir(out / folder)
                                if e.is_file() and not e.name.startswith(".") and f"{folder}/{e.name}" not in keep]
        left = set(self._old_refs) - {self._kept[i].doc.doc_id for i in order}
        if self._changed or left or not all((out / p).is_file() for p in RUN_WIDE):
            atomic_write_csv(pub.stage / "documents.csv", DOCUMENT_COLUMNS, [self._rows[i] for i in order])
            atomic_write_csv_parts(pub.stage / "entities.csv", ENTITY_COLUMNS, self._entity_parts(order))
            write_mention_csvs_by_document([self._kept[i].mentions for i in order], pub.stage)
        return written + [out / p for p in RUN_WIDE]

    def finish(self, reused: set[str]) -> dict:
        """Reconcile, apply curation, record the run, publish every output; return a summary."""
        settings, rules, decisions, store, out = self.settings, self.rules, self.decisions, self.store, self.out
        rules_key, code = self.rules_key, self.code
        indices = sorted(self._kept)
        results = [self._kept[i] for i in indices]                 # corpus order
        by_file = sorted(indices, key=lambda i: self._kept[i].doc.source_file)
        records = results_to_records(results, reused, rules_key, code)
        status = run_status(results)
        # with the same documents under the same keys, the facts before curation are those stored already
        keys = {r.doc.doc_id: self.content_key(r.doc.doc_id) for r in results}
        basis = json.dumps([sorted([r.doc.source_file, keys[r.doc.doc_id]] for r in results if r.doc.status == "ok"),
                            basket_trials(rules)])
        info = RunInfo(self.run_id, self.started, now_iso(), "publishing", rules_key, code, str(settings.corpus),
                       len(results), sum(1 for r in results if r.doc.status != "ok"))
        ok_pairs = [(rec, r.mentions) for rec, r in zip(records, results) if r.doc.status == "ok"]
        written: list[Path] = []
        reports: list[Path] = []
        raw = known = store.raw_facts(basis)
        if raw is None:
            raw = raw_facts(results, rules)
        facts, rejected, stale = results_to_facts(results, decisions, rules, raw)
        prev = self.prev
        refused = _shrink(store, prev, facts, settings)
        die_here("before-commit")
        run_id = store.record_run(replace(info, status="refused") if refused else info, records, ok_pairs, facts, keys,
                                  (basis, None if known is not None else raw), self._stored)
        die_here("after-commit")
        if refused:
            log.error(refused)
            status = "refused"
        else:
            pub = self.pub
            written += self._stage_run_wide(by_file)
            completed = _completed_key(store)
            exported = self._restamped(prev, run_id, completed)
            if exported is None:
                history = _histories_with(store, prev, run_id, facts)
                exported = export_run(_Computed(facts, history), run_id, pub.stage)
            self._stamp_exports(run_id, completed)
            written += [pub.final(p) for p in exported]
            written.append(pub.final(write_rejected_csv(pub.stage, rejected, decisions)))
            run = RunInfo(run_id, info.started, info.finished, status, rules_key, code, info.corpus,
                          info.n_documents, info.n_failed)
            old, new = _diff_snapshots(store, prev, run, records, facts, results)
            reports = [pub.final(p) for p in write_reports(snapshots_to_diff(old, new, decisions), pub.stage, current=new,
                                                           history=store.decisions(), root=out)]
            die_here("report")
            written += reports
            if settings.ner_model and rules is not None:
                pairs: dict = {}
                for i in indices:
                    pairs.update(self._pairs.get(i, {}))
                atomic_write_csv(pub.stage / "candidates.csv", CANDIDATE_COLUMNS,
                                 entities_to_candidates(pairs, known_terms_from_rules(rules)))
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


def _completed_key(store: Store) -> list:
    """[first completed run, number of completed runs]: the fact histories (first_seen_run) of two
    moments with the same key and the same last run are the same (runs are only ever added, or
    pruned from the oldest)."""
    done = [r.run_id for r in store.runs() if r.status in COMPLETED]
    return [done[0] if done else "", len(done)]


def finish_from_cache(settings: Settings, rules_key: str, code: str, decisions: Sequence[Decision] = (),
                      rules: RuleSet | None = None, started: str = "",
                      hashed: Optional[Sequence[tuple[Path, str]]] = None) -> Optional[dict]:
    """A run whose every document is answered by the per-document cache (the same bytes under the same
    rules, extraction settings and code were processed before): no document needs a worker, so the run
    is finished here, in this process, as the flow would finish it (`RunOutputs`, the same files,
    history and report), and its summary returned. None, with nothing recorded or published, as soon
    as one document is not answered by the cache (or cannot be read): the flow must run. `hashed`: the
    corpus's files with their sha256 (process.cached_corpus), when already read."""
    ckey = rules_key + extraction_key(settings)
    if hashed is None:
        hashed = [(p, "") for p in list_corpus(settings.corpus)]
    files = [p for p, _ in hashed]
    if not files:
        return None
    with RunOutputs(settings, rules_key, code, decisions, rules, started,
                    reload=lambda doc_id: load_cached(settings.out, doc_id, ckey, code)) as after:
        answers = []
        for p, known in hashed:
            sha, answer = answer_without_processing(p, settings, ckey, code, after.wants_full, known)
            if answer is None or not sha:
                return None
            answers.append(answer)
        log.info("corpus %s: %d documents, every one answered by the cache (rules %s, code %s): the run is "
                 "finished without workers or Prefect", printable(settings.corpus), len(files), rules_key, code)
        for i, answer in enumerate(answers):
            after.add(i, answer)
        return after.finish({source_name(p, settings.corpus) for p in files})


def finish_run(settings: Settings, results: Sequence[DocResult], reused: set[str], rules_key: str, code: str,
               decisions: Sequence[Decision] = (), rules: RuleSet | None = None, started: str = "") -> dict:
    """Reconcile, apply curation, record the run, publish every output; return a summary
    (RunOutputs fed with results already in memory)."""
    with RunOutputs(settings, rules_key, code, decisions, rules, started) as run:
        for i, r in enumerate(results):
            run.add(i, r)
        return run.finish(reused)


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
