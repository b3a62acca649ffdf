"""Prefect orchestration: the only module that imports Prefect.

The main flow maps one task per document (ingest -> nlp -> extract, a plain
function in pipeline/process.py), reuses results cached by content hash, rules
hash and code version, retries transient failures, then hands the results to
the plain functions that write outputs, reconcile, store and report.
Tasks take and return picklable values only, so the flow can run on a Dask
cluster through prefect-dask's DaskTaskRunner without code changes.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

# Prefect's temporary local server builds its database on first start: 20 s (Prefect's default)
# is not enough on a busy machine or with a fresh PREFECT_HOME, and the run then dies before any
# work. An explicit setting still wins.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.futures import as_completed

from pipeline.config import Settings, code_version, extraction_key, rules_hash
from pipeline.curation import curation_path, load_decisions
from pipeline.errors import Errors, printable, unexpected
from pipeline.ingest import failed_document, file_problem, list_corpus, source_name
from pipeline.model import DocResult
from pipeline.process import load_cached, process_file, rules_for, save_cached
from pipeline import run as run_stage


@task(name="process-document", retries=1, retry_delay_seconds=2, cache_policy=None, persist_result=False)
def process_document(path: str, settings: Settings, rules_key: str) -> DocResult:
    return process_file(Path(path), settings, rules_key)


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
    """Run the pipeline on every document of `corpus` into the output root `out`."""
    logger = get_run_logger()
    started = run_stage.now_iso()
    settings = Settings.resolve(corpus=corpus, out=out, store_url=store_url, ner_model=ner_model)
    rkey, code = rules_hash(settings.rules_dir), code_version()
    ckey = rkey + extraction_key(settings)   # cached results are only reused under the same NER settings
    rules = rules_for(settings, rkey)                        # a bad rule file stops the run before any work
    decisions = load_decisions(curation_path(settings))     # and so does a malformed curation file
    files = list_corpus(settings.corpus)
    total = len(files)
    logger.info("corpus %s: %d documents; rules %s; code %s", printable(settings.corpus), total, rkey, code)

    results: dict[str, DocResult] = {}
    reused: set[str] = set()
    futures = {}
    for p in files:
        problem = file_problem(p, settings.corpus)   # links out of the corpus, loops, directories, unreadable
        try:
            sha = "" if problem else _sha(p)
        except OSError as exc:
            problem = Errors.E014.format(path=source_name(p, settings.corpus), reason=printable(exc.strerror or exc))
        if problem:
            results[str(p)] = DocResult(failed_document(p, settings.corpus, problem))
            continue
        cached = load_cached(settings.out, sha, ckey, code)
        if cached is not None and cached.doc.source_file == source_name(p, settings.corpus):
            results[str(p)] = cached
            reused.add(cached.doc.source_file)
            continue
        fut = process_document.with_options(timeout_seconds=settings.doc_timeout).submit(str(p), settings, rkey)
        futures[fut] = (p, sha)
    done = len(results)
    if done:
        logger.info("documents done %d/%d (reused unchanged documents)", done, total)
    for fut in as_completed(list(futures)):
        p, sha = futures[fut]
        try:
            r = fut.result()
        except Exception as exc:   # timeout or crash after retries
            name = source_name(p, settings.corpus)
            reason = Errors.E006.format(path=name, seconds=settings.doc_timeout) if "Timeout" in type(exc).__name__ \
                else unexpected(name, exc)
            logger.error(reason)
            r = DocResult(failed_document(p, settings.corpus, reason))
        else:
            save_cached(settings.out, sha, ckey, code, r)
        results[str(p)] = r
        done += 1
        logger.info("documents done %d/%d: %s %s", done, total, r.doc.source_file,
                    "ok" if r.doc.status == "ok" else f"FAILED: {r.doc.error}")
    ordered = [results[str(p)] for p in files if str(p) in results]
    summary = run_stage.finish_run(settings, ordered, reused, rkey, code, decisions, rules, started)
    for r in ordered:
        if r.doc.status != "ok":
            logger.error(r.doc.error)
    return summary
