"""Prefect orchestration: the only module that imports Prefect.

The main flow maps one task per document (ingest -> nlp -> extract, a plain
function in pipeline/process.py, run in a worker process under a time and memory
budget by pipeline/workers.py), reuses results cached by content hash, rules
hash and code version, retries a crashed worker once, then hands the results to
the plain functions that write outputs, reconcile, store and report.
Tasks take and return picklable values only, so the documents can run on a Dask
cluster (setting `dask`, or the flow given prefect-dask's DaskTaskRunner): the Dask workers then
report to the flow's one Prefect API (the configured server, or the temporary server this process
started, whose URL goes to them in each task's settings), each keeps one worker pool for its life
(pipelines built once per worker process), documents go in small batches (one task each) and
results stream back as they complete.
"""
from __future__ import annotations

import contextvars
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, Optional

# Prefect's temporary local server builds its database on first start: 20 s (Prefect's default)
# is not enough on a busy machine or with a fresh PREFECT_HOME, and the run then dies before any
# work (the CLI sets it from HER2_PREFECT_STARTUP_TIMEOUT). An explicit setting still wins.
# Telemetry is off unless asked for: its heartbeat races the server's first database writes.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.futures import as_completed
from prefect.states import Completed

from pipeline.cluster import (DaskTarget, check_api_reachable, dask_target, forked_worker, local_cluster_config,
                              prestarted_address, release_prestarted_cluster)
from pipeline.config import Settings, code_version, extraction_key, rules_hash
from pipeline.errors import Errors, PipelineError, printable, unexpected
from pipeline.ingest import failed_document, list_corpus, source_name
from pipeline.lifecycle import Progress, check_run_paths, run_lock
from pipeline.model import DocHead, DocResult, PreparedResult
from pipeline.workers import (decoded, default_workers, open_pool, process_stats, release_prestarted, run_batch,
                              run_budgeted)
# (the after-run stages, pipeline.run, pipeline.curation and pipeline.report, Prefect's artifacts, and
# pipeline.process (the cache, the rules, the output schema's validator) are imported by the flow's
# functions that use them, not here: a Dask worker imports this module for its task code only, and
# their imports, SQLAlchemy's included, were a third of its start-up CPU)


def _task_run_name() -> str:
    from prefect.runtime import task_run

    return printable(Path(str(task_run.parameters.get("path", ""))).name)


# a document over its time or memory budget comes back failed (deterministic: no retry); a worker
# that crashes raises, and the task is retried once
@task(name="process-document", task_run_name=_task_run_name, retries=1, retry_delay_seconds=2,
      cache_policy=None, persist_result=False)
def process_document(path: str, settings: Settings, rules_key: str) -> DocResult | PreparedResult:
    _note_api()
    return run_budgeted(path, settings, rules_key, prepared=True)


_API_URLS: set[str] = set()      # the Prefect APIs this process's task runs reported to


def _note_api() -> None:
    """(A module function: a task shipped to a Dask worker calls the worker's module, not a copy.)"""
    _API_URLS.add(_api_url())


def _batch_run_name() -> str:
    from prefect.runtime import task_run

    paths = list(task_run.parameters.get("paths") or [])
    first = printable(Path(str(paths[0])).name) if paths else "-"
    return first if len(paths) <= 1 else f"{first} and {len(paths) - 1} more"


# On a Dask cluster documents go in small batches, one task each: a task's own cost there (its
# settings and context serialized, rebuilt on the worker, its run recorded through the API) is
# paid once per batch. Each document still runs alone under its budgets (run_batch); a batch
# whose worker process crashed retries those documents once, like the task's retry.
@task(name="process-documents", task_run_name=_batch_run_name, retries=1, retry_delay_seconds=2,
      cache_policy=None, persist_result=False)
def process_documents(paths: list[str], settings: Settings, rules_key: str) -> list:
    _note_api()
    return run_batch(paths, settings, rules_key, prepared=True)


def configured_api_url() -> str:
    """The Prefect API Prefect's settings name (environment, profile, prefect.toml, .env); "" when
    none is configured (a run then needs a temporary server)."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value() or "").strip()


# Prefect client settings for flows reporting to the temporary server (defaults: an explicit
# setting, PREFECT_FLOWS_HEARTBEAT_FREQUENCY or a profile's, still wins)
TEMPORARY_SERVER_DEFAULTS = {"flows.heartbeat_frequency": None}


@contextmanager
def using_api(url: Optional[str]) -> Iterator[None]:
    """Flows called inside report to `url` (the temporary server pipeline/prefect_api.py started),
    and their queued logs and events are sent before it returns; None leaves Prefect's settings as
    they are.

    Flow-run heartbeats are off there unless a setting asks for them (TEMPORARY_SERVER_DEFAULTS):
    they exist for automations that mark a silent flow run crashed, and the temporary server runs no
    automations, persists no events and stops with the run; Prefect's heartbeat thread, asleep in
    1 s steps, otherwise holds the flow's end up to a second (half a second on average: most of
    what a no-change run spent after its documents)."""
    if not url:
        yield
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: url}, set_defaults=TEMPORARY_SERVER_DEFAULTS):
        try:
            yield
        finally:    # logs and events still queued go out while the server is up (it stops after this)
            for worker in (APILogWorker, EventsWorker):
                worker.drain_all(timeout=10)


def _api_url() -> str:
    """The Prefect API the current flow or task run reports to."""
    from prefect.context import get_run_context

    return str(get_run_context().client.api_url).rstrip("/")


@dataclass
class FlowSummary:
    run_id: str = ""
    n_documents: int = 0
    n_failed: int = 0
    n_reused: int = 0
    n_mentions: int = 0
    failures: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)


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
    from pipeline import run as run_stage
    from pipeline.curation import curation_path, load_decisions
    from pipeline.process import load_cached, rules_for

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
    cluster: dict = {}
    with run_lock(settings.out), run_stage.RunOutputs(
            settings, rkey, code, decisions, rules, started,
            reload=lambda doc_id: load_cached(settings.out, doc_id, ckey, code)) as after:
        reused = _process_corpus(files, settings, rkey, ckey, code, logger, after.add, cluster, after.wants_full)
        summary = after.finish(reused)
    if cluster:
        summary["cluster"] = cluster
    for error in summary["failures"]:
        logger.error(error)
    return _publish(summary)


def _process_corpus(files: list[Path], settings: Settings, rkey: str, ckey: str, code: str, logger,
                    emit: Callable[[int, DocResult | DocHead | PreparedResult], None], cluster_report: dict,
                    wants_full: Callable[[DocHead], bool]) -> set[str]:
    """Hands every document's result to `emit(index in corpus order, result)` as it comes in; returns
    the source files reused from the cache. Documents go to the worker pool, or the Dask cluster, a
    few at a time (a window of twice the worker processes or Dask threads), results stream back as
    they complete and are cached at once: a processed document comes as its worker process prepared
    it (model.PreparedResult: its head, cache entries and files' bytes), so this process decodes no
    whole result and encodes nothing for it. On Dask, `cluster_report` receives what each Dask worker
    did (`_OnDask.report`). A cached document is emitted as its head (model.DocHead) unless
    `wants_full(head)`."""
    from pipeline.process import answer_without_processing, save_cached

    results: dict[str, int] = {}      # path -> index, of the documents emitted
    index = {str(p): i for i, p in enumerate(files)}

    def done(p: Path, r: DocResult | DocHead | PreparedResult) -> None:
        results[str(p)] = index[str(p)]
        emit(index[str(p)], r)
    reused: set[str] = set()
    todo: list[tuple[Path, str]] = []
    for p in files:
        sha, answer = answer_without_processing(p, settings, ckey, code, wants_full)
        if answer is None:
            todo.append((p, sha))
            continue
        done(p, answer)
        if sha:         # not a file that could not be read
            reused.add(source_name(p, settings.corpus))
    progress = Progress(len(files), logger)
    if results:
        progress.advance(len(results), "reused unchanged documents" if reused else "")
    with ExitStack() as stack:
        dask = _OnDask.for_run(settings) if todo else None
        if not todo:            # every document reused: no worker process; the one warmed for the run is let go
            release_prestarted(settings, rkey)
            submit, window, size = None, 1, 1
        elif dask is None:
            pool = stack.enter_context(open_pool(settings, rkey))     # workers start at the first document sent
            submit, window, size = (lambda paths: process_document.submit(paths[0], settings, rkey)), 2 * pool.n, 1
        else:
            stack.enter_context(dask)
            submit, window = (lambda paths: dask.submit(paths, settings, rkey)), 2 * dask.threads
            size = dask.batch_size(len(todo))
            stack.callback(lambda: cluster_report.update(dask.report(logger)))
        stack.enter_context(progress)
        futures: dict = {}
        batches = iter([todo[i:i + size] for i in range(0, len(todo), size)])
        while True:
            for batch in batches:
                futures[submit([str(p) for p, _ in batch])] = batch
                if len(futures) >= window:
                    break
            if not futures:
                break
            fut = next(as_completed(list(futures)))
            batch = futures.pop(fut)
            try:
                got = fut.result()
                got = got if isinstance(got, list) else [got]
            except Exception as exc:   # a worker crashed twice, or the task failed outside the worker
                got = [exc] * len(batch)
            for (p, sha), r in zip(batch, got):
                if isinstance(r, BaseException):
                    reason = unexpected(source_name(p, settings.corpus), r)
                    logger.error(reason)
                    r = DocResult(failed_document(p, settings.corpus, reason))
                else:
                    r = decoded(r)               # a Dask worker hands on its document process's bytes
                    save_cached(settings.out, sha, ckey, code, r)      # (a PreparedResult's bytes as they are)
                done(p, r)
                for w in r.doc.warnings:          # raised in the worker process: said here, in the run's log
                    logger.warning(w)
                progress.advance(1, f"{printable(r.doc.source_file)} "
                                    f"{'ok' if r.doc.status == 'ok' else 'FAILED: ' + (r.doc.error or '')}")
    return reused


class _OnDask:
    """The documents phase on a Dask cluster: the flow's own DaskTaskRunner (`with_options`), or one
    for the setting `dask` (a local cluster started and stopped here, or a running scheduler).

    Every task is submitted with the flow's Prefect API URL in its settings, so a Dask worker
    reports its task runs there instead of starting a temporary Prefect server of its own;
    workers on other machines cannot reach a temporary server (it listens on 127.0.0.1): E226."""

    def __init__(self, runner, owned: bool, target: str, local: bool = False,
                 prestarted: Optional[DaskTarget] = None):
        self.runner, self.owned, self.target, self.local = runner, owned, target, local
        self.prestarted = prestarted     # the CLI's local cluster this runner connected to
        self.threads, self.api_url = 1, ""
        self._stack = ExitStack()

    @classmethod
    def for_run(cls, settings: Settings) -> Optional["_OnDask"]:
        from prefect.context import FlowRunContext

        ctx = FlowRunContext.get()
        current = ctx.task_runner if ctx is not None else None
        if "prefect_dask" in sys.modules and isinstance(current, sys.modules["prefect_dask"].DaskTaskRunner):
            return cls(current, False, current.address or "the flow's DaskTaskRunner")
        target = dask_target(settings.dask, default_workers())
        if target is None:
            return None
        what = target.address or f"a local cluster of {target.local_workers} worker processes"
        address, failed = prestarted_address(target)
        if failed is not None:
            get_run_logger().warning("the local Dask cluster started with the run failed (%s); starting another",
                                     printable(failed))
        if address:       # the CLI's, started and warmed while Prefect's server started
            return cls(_dask_runner(DaskTarget(address=address)), True, f"{what}, started with the run",
                       prestarted=target)
        return cls(_dask_runner(target), True, what, local=not target.address)

    def __enter__(self) -> "_OnDask":
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with local_cluster_config() if self.local else nullcontext():    # a cluster made here: its workers too
            if self.owned:
                self._stack.enter_context(self.runner)
            try:
                client = self.runner.client       # connects, or starts the local cluster
                client.wait_for_workers(1, timeout=DASK_WORKER_WAIT)
            except Exception as exc:
                self._stack.close()
                raise PipelineError(Errors.E227.format(scheduler=self.target, reason=printable(exc))) from None
        self.threads = max(1, sum(client.nthreads().values()))
        self.api_url = _api_url()
        try:
            check_api_reachable(self.api_url, client.nthreads(), self.target)
        except PipelineError:
            self._stack.close()
            raise
        # serialized with every task from now on: the worker's Prefect client uses this API
        self._stack.enter_context(temporary_settings(updates={PREFECT_API_URL: self.api_url}))
        return self

    def batch_size(self, n_documents: int) -> int:
        """Documents per task: about four tasks per Dask thread, at most BATCH_MAX documents each."""
        return max(1, min(BATCH_MAX, -(-n_documents // (4 * self.threads))))

    def submit(self, paths: list[str], settings: Settings, rules_key: str):
        return self.runner.submit(process_documents, {"paths": paths, "settings": settings, "rules_key": rules_key})

    def report(self, logger) -> dict:
        """What each Dask worker did: pipelines built, documents processed, the Prefect APIs its task
        runs reported to, whether it started a temporary server of its own, its memory."""
        try:
            per = self.runner.client.run(_worker_report)
        except Exception as exc:     # a report is not worth failing a run over
            logger.warning("could not read the Dask workers' report: %s", printable(exc))
            per = {}
        workers = [dict(v, address=k) for k, v in sorted(per.items())]
        logger.info("Dask (%s): %d workers, documents %s, pipelines built %s, profiling %s, forked %s, "
                    "Prefect API %s (flow: %s)", self.target, len(workers), [w["documents"] for w in workers],
                    [w["pipelines_built"] for w in workers], [w["profiling"] for w in workers],
                    [w["forked"] for w in workers],
                    sorted({u for w in workers for u in w["api_urls"]}), self.api_url)
        return {"target": self.target, "api_url": self.api_url, "workers": workers}

    def __exit__(self, *exc) -> None:
        self._stack.close()
        if self.prestarted is not None:     # its documents are done: it stops while the run finishes
            release_prestarted_cluster(self.prestarted)


DASK_WORKER_WAIT = 120.0      # seconds for a first Dask worker to join the scheduler
BATCH_MAX = 32                # documents per task on Dask


def _dask_runner(target: DaskTarget):
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise PipelineError(Errors.E227.format(scheduler=target.address or "local", reason=(
            "prefect-dask is not installed (pip install -e .[dask])"))) from None
    if target.address:
        return DaskTaskRunner(address=target.address)
    return DaskTaskRunner(cluster_kwargs=target.cluster_kwargs())


def _worker_report() -> dict:
    """Run on each Dask worker (Client.run): this process's pool statistics, the Prefect APIs its
    task runs used, and whether it started a temporary Prefect server of its own."""
    server = sys.modules.get("prefect.server.api.server")
    started = bool(server and any(getattr(s, "running", False) for s in server.SubprocessASGIServer._instances.values()))
    import dask

    return {**process_stats(), "api_urls": sorted(_API_URLS), "temporary_server": started,
            "profiling": bool(dask.config.get("distributed.worker.profile.enabled", True)),
            "forked": forked_worker()}


SUMMARY_ARTIFACT = "her2-run-summary"
REPORT_ARTIFACT = "her2-curator-report"
PARTIAL_STATE = "Completed with failures"


def _at_once(calls: list[Callable[[], object]]) -> list:
    """Each call in a thread of its own, in this thread's context (the flow run's): API calls that
    do not depend on each other wait for the server together, not one after the other."""
    with ThreadPoolExecutor(max_workers=max(1, len(calls))) as ex:
        futures = [ex.submit(contextvars.copy_context().run, c) for c in calls]
        return [f.result() for f in futures]


def _publish(summary: dict):
    """The run's summary and report as Prefect artifacts; the flow's final state: Completed, or
    "Completed with failures" (still type COMPLETED, so calling the flow returns the summary and the
    CLI's exit status 1 says a document failed) with the count in its message."""
    from prefect.artifacts import create_link_artifact, create_markdown_artifact

    from pipeline.report import run_summary_markdown

    calls = [partial(create_markdown_artifact, markdown=run_summary_markdown(summary), key=SUMMARY_ARTIFACT,
                     description=f"HER2 pipeline run {summary.get('run_id') or '-'}: counts and failures")]
    if summary.get("report"):
        calls.append(partial(create_link_artifact, link=Path(summary["report"]).resolve().as_uri(), key=REPORT_ARTIFACT,
                             link_text=f"curator report {Path(summary['report']).name}",
                             description="what changed in this run (self-contained HTML, open from disk)"))
    _at_once(calls)
    if not summary["n_failed"]:
        return summary
    return Completed(name=PARTIAL_STATE, data=summary,
                     message=f"{summary['n_failed']} of {summary['n_documents']} documents failed; "
                             f"see the artifact {SUMMARY_ARTIFACT}")
