"""Prefect orchestration: the only module that imports Prefect.

The main flow maps one task per document (ingest -> nlp -> extract, a plain
function in pipeline/process.py, run in a worker process under a time and memory
budget by pipeline/workers.py), reuses results cached by content hash, rules
hash and code version, retries a crashed worker once, then hands the results to
the plain functions that write outputs, reconcile, store and report.
Tasks take and return picklable values only, so the flow can run on a Dask
cluster through prefect-dask's DaskTaskRunner without code changes.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

# Prefect's temporary local server builds its database on first start: 20 s (Prefect's default)
# is not enough on a busy machine or with a fresh PREFECT_HOME, and the run then dies before any
# work (the CLI sets it from HER2_PREFECT_STARTUP_TIMEOUT). An explicit setting still wins.
# Telemetry is off unless asked for: its heartbeat races the server's first database writes.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.futures import as_completed
from prefect.states import Completed

from pipeline.config import Settings, code_version, extraction_key, rules_hash
from pipeline.curation import curation_path, load_decisions
from pipeline.errors import Errors, printable, unexpected
from pipeline.ingest import failed_document, file_problem, list_corpus, source_name
from pipeline.lifecycle import Progress, check_run_paths, run_lock
from pipeline.model import DocResult
from pipeline.process import load_cached, rules_for, save_cached
from pipeline.report import run_summary_markdown
from pipeline.workers import open_pool, run_budgeted
from pipeline import run as run_stage


def _task_run_name() -> str:
    from prefect.runtime import task_run

    return printable(Path(str(task_run.parameters.get("path", ""))).name)


# a document over its time or memory budget comes back failed (deterministic: no retry); a worker
# that crashes raises, and the task is retried once
@task(name="process-document", task_run_name=_task_run_name, retries=1, retry_delay_seconds=2,
      cache_policy=None, persist_result=False)
def process_document(path: str, settings: Settings, rules_key: str) -> DocResult:
    return run_budgeted(path, settings, rules_key)


@dataclass
class FlowSummary:
    run_id: str = ""
    n_documents: int = 0
    n_failed: int = 0
    n_reused: int = 0
    n_mentions: int = 0
    failures: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@flow(name="main-flow", log_prints=True)
def main_flow(corpus: str = "corpus", out: str = "extracted", store_url: Optional[str] = None,
              ner_model: Optional[str] = None) -> dict:
    """Run the HER2 pipeline on every document of `corpus` into the output root `out`.

    Ends Completed when every document went through, and in the state named "Completed with
    failures" (type COMPLETED, message giving the count) when some failed: their errors are in the
    run summary artifact and in documents.csv. The summary (counts, failures, report path) is the
    markdown artifact `her2-run-summary`, the curator report the link artifact `her2-curator-report`.

    Args:
        corpus: Folder of review documents (.txt, .md, .pdf), read recursively; relative paths are relative
            to the working directory (the project root for the deployment).
        out: Output root: exports, saved texts, reports/<run>.html and the run history
            (.store/runs.sqlite) go here; re-runs reuse its cached per-document results.
        store_url: Run-history database URL; empty for sqlite:///<out>/.store/runs.sqlite, or e.g.
            postgresql+psycopg://user@host/db.
        ner_model: Optional spaCy NER model (installed package name or path); empty for the lexicon
            rules only.
    """
    logger = get_run_logger()
    started = run_stage.now_iso()
    settings = Settings.resolve(corpus=corpus, out=out, store_url=store_url, ner_model=ner_model)
    check_run_paths(settings.corpus, settings.out)           # nothing recorded or written for a bad corpus
    rkey, code = rules_hash(settings.rules_dir), code_version()
    ckey = rkey + extraction_key(settings)   # cached results are only reused under the same NER settings
    rules = rules_for(settings, rkey)                        # a bad rule file stops the run before any work
    decisions = load_decisions(curation_path(settings))     # and so does a malformed curation file
    files = list_corpus(settings.corpus)
    logger.info("corpus %s: %d documents; rules %s; code %s", printable(settings.corpus), len(files), rkey, code)
    # results stream into the after-run phase as they complete (its files staged, only records and
    # mentions kept): memory stays flat in corpus size
    with run_lock(settings.out), run_stage.RunOutputs(
            settings, rkey, code, decisions, rules, started,
            reload=lambda doc_id: load_cached(settings.out, doc_id, ckey, code)) as after:
        reused = _process_corpus(files, settings, rkey, ckey, code, logger, after.add)
        summary = after.finish(reused)
    for error in summary["failures"]:
        logger.error(error)
    return _publish(summary)


def _process_corpus(files: list[Path], settings: Settings, rkey: str, ckey: str, code: str, logger,
                    emit: Callable[[int, DocResult], None]) -> set[str]:
    """Hands every document's result to `emit(index in corpus order, result)` as it comes in; returns
    the source files reused from the cache. Documents go to the worker pool a few at a time (a window
    of twice the workers), results stream back as they complete and are cached at once."""
    results: dict[str, int] = {}      # path -> index, of the documents emitted
    index = {str(p): i for i, p in enumerate(files)}

    def done(p: Path, r: DocResult) -> None:
        results[str(p)] = index[str(p)]
        emit(index[str(p)], r)
    reused: set[str] = set()
    todo: list[tuple[Path, str]] = []
    for p in files:
        problem = file_problem(p, settings.corpus)   # links out of the corpus, loops, directories, unreadable
        try:
            sha = "" if problem else _sha(p)
        except OSError as exc:
            problem = Errors.E014.format(path=source_name(p, settings.corpus), reason=printable(exc.strerror or exc))
        if problem:
            done(p, DocResult(failed_document(p, settings.corpus, problem)))
            continue
        cached = load_cached(settings.out, sha, ckey, code)
        if cached is not None and cached.doc.source_file == source_name(p, settings.corpus):
            done(p, cached)
            reused.add(cached.doc.source_file)
            continue
        todo.append((p, sha))
    progress = Progress(len(files), logger)
    if results:
        progress.advance(len(results), "reused unchanged documents" if reused else "")
    with open_pool(settings, rkey) as pool, progress:     # workers start at the first document sent
        window = 2 * pool.n
        futures: dict = {}
        queue = iter(todo)
        while True:
            for p, sha in queue:
                futures[process_document.submit(str(p), settings, rkey)] = (p, sha)
                if len(futures) >= window:
                    break
            if not futures:
                break
            fut = next(as_completed(list(futures)))
            p, sha = futures.pop(fut)
            try:
                r = fut.result()
            except Exception as exc:   # a worker crashed twice, or the task failed outside the worker
                reason = unexpected(source_name(p, settings.corpus), exc)
                logger.error(reason)
                r = DocResult(failed_document(p, settings.corpus, reason))
            else:
                save_cached(settings.out, sha, ckey, code, r)
            done(p, r)
            for w in r.doc.warnings:          # raised in the worker process: said here, in the run's log
                logger.warning(w)
            progress.advance(1, f"{printable(r.doc.source_file)} "
                                f"{'ok' if r.doc.status == 'ok' else 'FAILED: ' + (r.doc.error or '')}")
    return reused


SUMMARY_ARTIFACT = "her2-run-summary"
REPORT_ARTIFACT = "her2-curator-report"
PARTIAL_STATE = "Completed with failures"


def _publish(summary: dict):
    """The run's summary and report as Prefect artifacts; the flow's final state: Completed, or
    "Completed with failures" (still type COMPLETED, so calling the flow returns the summary and the
    CLI's exit status 1 says a document failed) with the count in its message."""
    create_markdown_artifact(markdown=run_summary_markdown(summary), key=SUMMARY_ARTIFACT,
                             description=f"HER2 pipeline run {summary.get('run_id') or '-'}: counts and failures")
    if summary.get("report"):
        create_link_artifact(link=Path(summary["report"]).resolve().as_uri(), key=REPORT_ARTIFACT,
                             link_text=f"curator report {Path(summary['report']).name}",
                             description="what changed in this run (self-contained HTML, open from disk)")
    if not summary["n_failed"]:
        return summary
    return Completed(name=PARTIAL_STATE, data=summary,
                     message=f"{summary['n_failed']} of {summary['n_documents']} documents failed; "
                             f"see the artifact {SUMMARY_ARTIFACT}")
