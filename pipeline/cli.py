"""Command line: python -m pipeline run|export|diff|curate|runs|history."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from functools import partial
from pathlib import Path
from typing import Optional, Sequence

from pipeline.errors import PipelineError

DESCRIPTION = """HER2 literature-extraction pipeline: reads review articles (PDF, text) from a corpus
folder and extracts trials (NCT ids), efficacy results and regulatory events, each with provenance."""


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=None, help="output root (default: extracted/ in the project; env HER2_OUT)")
    p.add_argument("--store-url", default=None,
                   help="run-history database URL (default: sqlite:///<out>/.store/runs.sqlite; "
                        "postgresql+psycopg://user@host/db for PostgreSQL; env HER2_STORE_URL)")


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 100)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=DESCRIPTION)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the main Prefect flow on a corpus",
                         description="Run the main flow: ingest every .txt/.md/.pdf file of the corpus, "
                                     "extract mentions, reconcile facts, record the run and write outputs. "
                                     "Unchanged documents are reused from earlier runs of the same output root. "
                                     "Exit status: 0 every document went through; 1 some document failed (the "
                                     "others are still processed); 2 usage or configuration error (missing or empty "
                                     "corpus, --out inside the corpus, another run on the same --out); 3 crash "
                                     "(one line; the traceback is logged under <out>/.logs/).")
    run.add_argument("--corpus", default=None, help="folder of review documents (default: corpus/; env HER2_CORPUS)")
    _add_common(run)
    run.add_argument("--ner-model", default=None,
                     help="optional spaCy NER model: installed package name or path (env HER2_NER_MODEL); "
                          "without it entities come from the lexicons in rules/")
    run.add_argument("--dask", default=None, metavar="CLUSTER",
                     help="process the documents on a Dask cluster: a scheduler address (tcp://scheduler:8786; its "
                          "workers need this package, the rules, the corpus and output paths and a Prefect API they can "
                          "reach) or local[:N] for a local cluster of N worker processes (env HER2_DASK)")
    run.add_argument("--always-flow", action="store_true",
                     help="start the Prefect flow even when every document is answered by the per-document cache "
                          "(by default such a run is finished at once, without workers or Prefect: the same files, "
                          "run history and report, no flow run in Prefect's UI)")
    run.add_argument("--allow-shrink", action="store_true",
                     help="publish even if the run removes more than max_shrink (default 50%%) of the last complete "
                          "run's facts; without it such a run is recorded as 'refused', publishes nothing and exits 2")

    raw = argparse.RawDescriptionHelpFormatter      # examples keep their lines; descriptions wrapped by _wrap
    exp = sub.add_parser(
        "export", help="write fact exports (CSV, typed Parquet, Excel) from the run history", formatter_class=raw,
        description=_wrap("Write the facts of the latest completed run from the run history (nothing is re-extracted), "
                    "with today's curation decisions (rules/curation.yaml) applied at once. CSV is spreadsheet-safe; "
                    "Parquet is typed (nulls, numbers, categoricals, lists, dates, column descriptions); xlsx keeps "
                    "ids and partial dates as text. A --drug/--cancer filter never overwrites the output root's main "
                    "files: without --to the file names carry the filter. A filter that matches nothing writes "
                    "nothing and exits 1."),
        epilog="examples:\n"
               "  python -m pipeline export                                  # refresh trials/endpoints/approvals.csv\n"
               "  python -m pipeline export --format parquet --to /tmp/her2  # typed Parquet for pandas\n"
               "  python -m pipeline export --format xlsx --to ~/Desktop     # facts.xlsx for Excel\n"
               "  python -m pipeline export --kind endpoint --drug T-DXd     # -> extracted/endpoints.drug-t-dxd.csv")
    _add_common(exp)
    exp.add_argument("--kind", choices=["trial", "endpoint", "approval"], default=None, help="only this kind of fact")
    exp.add_argument("--drug", default=None, help="only facts about this drug (canonical or alias)")
    exp.add_argument("--cancer", default=None, help="only facts about this cancer type (breast, gastric, ...)")
    exp.add_argument("--format", choices=["csv", "parquet", "xlsx"], default="csv", help="file format (default csv)")
    exp.add_argument("--to", dest="dest", default=None, metavar="DIR",
                     help="folder to write the exports to (default: the output root; filtered exports there get "
                          "the filter in their file names)")

    diff = sub.add_parser(
        "diff", help="curator diff report between two recorded runs", formatter_class=raw,
        description=_wrap("Compare two recorded runs and write reports/<from>..<to>.html, .md and .csv under the output "
                    "root (a run's own report, reports/<run>.*, is never overwritten). Run ids may be given by a "
                    "unique prefix; --from must be the older run (exit 2 otherwise). List runs with `runs`."),
        epilog="examples:\n"
               "  python -m pipeline diff                                   # latest completed run vs the one before\n"
               "  python -m pipeline diff --from 20261201 --to 20261202T07  # two runs by id prefix")
    _add_common(diff)
    diff.add_argument("--from", dest="from_run", default=None, help="older run id or prefix (default: the "
                                                                    "completed run before --to)")
    diff.add_argument("--to", dest="to_run", default=None, help="newer run id or prefix (default: the latest "
                                                                "completed run)")

    hist = sub.add_parser("history", help="manage the run history (the store)", formatter_class=raw,
                          description=_wrap("Manage the run history: `history prune --keep N` removes old runs."),
                          epilog="examples:\n  python -m pipeline history prune --keep 30")
    hsub = hist.add_subparsers(dest="history_command", required=True)
    prune = hsub.add_parser("prune", help="remove old runs and the data only they reference",
                            description="Keep the N most recent completed runs (and every run after the oldest of "
                                        "them); remove older runs and every stored object no kept run references. "
                                        "Curation decisions are kept; diffs between kept runs are unchanged.",
                            formatter_class=raw,
                            epilog="examples:\n  python -m pipeline history prune --keep 30\n"
                                   "  python -m pipeline history prune --keep 7 --out extracted")
    _add_common(prune)
    prune.add_argument("--keep", type=int, required=True, metavar="N", help="completed runs to keep (at least 1)")

    cur = sub.add_parser(
        "curate", help="accept, reject, correct or withdraw a decision on a fact (rules/curation.yaml)",
        formatter_class=raw,
        description=_wrap("Record a curator's decision on a fact in rules/curation.yaml and in the run history "
                    "(who, when, note, previous value). A correction is checked against the fact's kind: an "
                    "efficacy value needs a number and its unit (44.3%, 20.1 months, NR, HR 0.54 (95% CI "
                    "0.42-0.71)), an approval an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), a trial a phase (I, II, "
                    "II/III, III, ...). The fact id may be a unique prefix. `export` applies decisions at once; "
                    "the next run and its report show them."),
        epilog="examples:\n"
               "  python -m pipeline curate 3f2a9c0d --correct 44.3% --note 'Table 2' --by Ann\n"
               "  python -m pipeline curate 3f2a9c0d1e4b5a67 --reject --note 'not a HER2 drug' --by Ann\n"
               "  python -m pipeline curate 3f2a --withdraw --note 'rejected by mistake' --by Ann")
    _add_common(cur)
    cur.add_argument("fact_id", help="the fact's id (fact_id column of the exports) or a unique prefix of it")
    g = cur.add_mutually_exclusive_group(required=True)
    g.add_argument("--accept", action="store_true", help="mark the fact as checked and correct")
    g.add_argument("--reject", action="store_true", help="remove the fact from the exports")
    g.add_argument("--correct", metavar="VALUE", default=None, help="replace the extracted value")
    g.add_argument("--withdraw", action="store_true", help="remove the fact's decision (the extracted fact returns)")
    cur.add_argument("--note", default="", help="why (kept with the decision)")
    cur.add_argument("--by", default="", help="curator name")

    runs = sub.add_parser(
        "runs", help="list the recorded runs", formatter_class=raw,
        description=_wrap("List the runs recorded in the run history, oldest first: id, start time, status, documents, "
                    "failed documents and facts. Use an id (or a unique prefix) with `diff --from/--to`."),
        epilog="example:\n  python -m pipeline runs --out extracted")
    _add_common(runs)

    srv = sub.add_parser(
        "server", help="the Prefect server runs keep for the next runs", formatter_class=raw,
        description=_wrap("Without PREFECT_API_URL a run starts Prefect's server and leaves it running for the next "
                    "runs (HER2_PREFECT_SERVER=shared, the default); it exits by itself after "
                    "HER2_PREFECT_SERVER_IDLE seconds (900) without a run. `status` lists the kept servers of this "
                    "PREFECT_HOME, `stop` stops them now (a run using one loses its API: stop between runs)."),
        epilog="example:\n  python -m pipeline server status\n  python -m pipeline server stop")
    srv.add_argument("server_command", choices=("status", "stop"))
    srv.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    return parser


def _warm_cluster(client, settings, rules_key: str) -> None:
    """Every worker of a local Dask cluster started for the run starts its document processes, then
    imports the flow's task code (pipeline.workers.warm_dask_worker), in the thread starting the
    cluster, while the run's Prefect server starts."""
    from pipeline.workers import warm_dask_worker

    client.run(warm_dask_worker, settings, rules_key, "pipeline.flows")


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:       # one line per HTTP call to Prefect's local API server is noise
        for name in ("httpx", "httpcore", "distributed"):   # and Dask's cluster life cycle
            logging.getLogger(name).setLevel(logging.WARNING)
    try:
        if args.command == "run":
            return _run(args)
        return _command(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:   # a crash: one line here, the traceback in a log file
        from pipeline.lifecycle import log_crash

        print(f"error: {log_crash(exc, _out_of(args))}", file=sys.stderr)
        return 3


def _out_of(args) -> Optional[Path]:
    try:
        from pipeline.config import Settings

        return Settings.resolve(out=args.out).out
    except Exception:   # no usable output root: the crash log goes to the temp folder
        return None


def _command(args) -> int:
    from pipeline.config import Settings

    if args.command == "server":
        import time

        from pipeline.prefect_api import prefect_home, shared_server_status, stop_shared_servers

        if args.server_command == "stop":
            stopped = stop_shared_servers()
            print(f"stopped {len(stopped)} kept Prefect server(s) of {prefect_home()}"
                  + (f": pid {', '.join(map(str, stopped))}" if stopped else ""))
            return 0
        rows = shared_server_status()
        if not rows:
            print(f"no kept Prefect server for {prefect_home()}")
        for r in rows:
            print(f"{r['url']}  pid {r['pid']}  up {time.time() - r['started']:.0f} s  runs using it {r['runs']}")
        return 0

    settings = Settings.resolve(out=args.out, store_url=args.store_url)
    if args.command == "export":
        from pipeline.curation import export_command
        from pipeline.export import EmptyExportError

        try:
            paths = export_command(settings, Path(args.dest) if args.dest else None, args.kind, args.drug,
                                   args.cancer, args.format)
        except EmptyExportError as exc:
            print(f"warning: {exc}", file=sys.stderr)
            return 1
        for p in paths:
            print(p)
        return 0
    if args.command == "diff":
        for p in diff_command(settings, args.from_run, args.to_run):
            print(p)
        return 0
    if args.command == "history":
        from pipeline.store import Store

        with Store.open(settings.store_url) as store:
            removed = store.prune(args.keep)
            left = store.size()
        print(f"removed {removed['runs']} runs and {removed['objects']} stored objects; {left['runs']} runs kept "
              f"({left['object_bytes']} bytes of objects) in {store.url}")
        return 0
    if args.command == "curate":
        from pipeline.curation import curate_command

        action = ("accept" if args.accept else "reject" if args.reject else "withdraw" if args.withdraw
                  else "correct")
        print(curate_command(settings, args.fact_id, action, args.correct, args.note, args.by))
        return 0
    if args.command == "runs":
        print(runs_table(settings))
        return 0

    return 2


def runs_table(settings) -> str:
    """`python -m pipeline runs`: one line per recorded run, oldest first."""
    from pipeline.store import Store

    url = settings.store_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        return f"no run recorded in {url}; run `python -m pipeline run` first"
    with Store.open(url) as store:
        runs, facts = store.runs(), store.fact_counts()
    if not runs:
        return f"no run recorded in {settings.store_url}; run `python -m pipeline run` first"
    head = ("run_id", "started", "status", "documents", "failed", "facts")
    rows = [head] + [(r.run_id, r.started, r.status, str(r.n_documents), str(r.n_failed), str(facts.get(r.run_id, 0)))
                     for r in runs]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
                     .rstrip() for row in rows)


def diff_command(settings, from_run: Optional[str], to_run: Optional[str]) -> list[Path]:
    """`python -m pipeline diff`: the diff of two recorded runs (ids or unique prefixes; default:
    the latest completed run and the completed run before it) written to
    reports/<from>..<to>.{html,md,csv}; a run's own report is never touched. --from must be
    older than --to (E407)."""
    import re
    import tempfile

    from pipeline.curation import curation_path, load_decisions
    from pipeline.diff import snapshots_to_diff
    from pipeline.errors import Errors
    from pipeline.lookup import resolve_id
    from pipeline.report import write_reports
    from pipeline.store import COMPLETED, Store

    decisions = load_decisions(curation_path(settings))
    with Store.open(settings.store_url) as store:
        runs = store.runs()
        ids = [r.run_id for r in runs]
        where = f"the run history {store.url} (list runs with `python -m pipeline runs`)"
        new_id = resolve_id(to_run, ids, "run", where) if to_run else None
        old_id = resolve_id(from_run, ids, "run", where) if from_run else None
        done = [r.run_id for r in runs if r.status in COMPLETED]
        if new_id is None:
            if not done:
                raise PipelineError(Errors.E301.format(url=store.url, reason="no completed run recorded yet; "
                                                                             "run `python -m pipeline run` first"))
            new_id = done[-1]
        if old_id is None and from_run is None:
            earlier = [i for i in done if ids.index(i) < ids.index(new_id)]
            old_id = earlier[-1] if earlier else None
        if old_id is not None and ids.index(old_id) >= ids.index(new_id):
            raise PipelineError(Errors.E407.format(from_run=old_id, to_run=new_id))
        new = store.snapshot(new_id)
        old = store.snapshot(old_id) if old_id else None
        history = store.decisions()
    diff = snapshots_to_diff(old, new, decisions)
    safe = lambda s: re.sub(r"[^A-Za-z0-9._-]+", "_", s)  # noqa: E731
    stem = f"{safe(old_id) if old_id else 'none'}..{safe(new_id)}"
    out = Path(settings.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    with tempfile.TemporaryDirectory(dir=out, prefix=".diff-") as tmp:
        for p in write_reports(diff, Path(tmp), current=new, history=history, root=out):
            target = out / p.parent.relative_to(tmp) / f"{stem}{p.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(p, target)
            paths.append(target)
    return paths


_CHILDREN: list = []      # the watchdog: it exits by itself once this process is gone


class Terminated(BaseException):
    """SIGTERM/SIGHUP: unwinds the run like Ctrl-C (workers killed, Prefect's server stopped)."""


_SIGNALLED: list[int] = []     # the signals _terminate received, also when its exception was swallowed


def _terminate(signum, frame) -> None:
    _SIGNALLED.append(signum)
    raise Terminated(signum)


def raise_if_signalled() -> None:
    """Raise Terminated for a SIGTERM/SIGHUP whose exception never reached the run: one raised while Python
    ran a finalizer ("Exception ignored in: ...") is printed and dropped, and the run went on to its end."""
    if _SIGNALLED:
        raise Terminated(_SIGNALLED[0])


def _run(args) -> int:
    import gc
    import signal
    import time

    from pipeline.config import Settings
    from pipeline.errors import Errors
    from pipeline.lifecycle import check_run_paths, run_lock, start_watchdog
    from pipeline.prefect_api import SharedServer, TemporaryServer, api_url_in_environment, check_server_mode

    kwargs = {k: v for k, v in {"corpus": args.corpus, "out": args.out, "store_url": args.store_url,
                                "ner_model": args.ner_model, "dask": args.dask}.items() if v is not None}
    s = Settings.resolve(**kwargs)
    check_run_paths(s.corpus, s.out)        # before anything is recorded or written
    check_server_mode(s.prefect_server, s.prefect_server_idle)
    from pipeline.cluster import dask_target

    dask_target(s.dask, 1)                  # a malformed --dask value: E225 before Prefect starts
    if args.allow_shrink:      # the flow resolves its own Settings: hand the flag on as the setting's variable
        os.environ["HER2_ALLOW_SHRINK"] = "1"
    if args.dask is not None:
        os.environ["HER2_DASK"] = args.dask
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(s.prefect_startup_timeout))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with run_lock(s.out):           # a second run on this --out stops here, before Prefect starts
        summary, ahead = _from_cache(args, s)
        if summary is not None:
            return _report(summary, s)
        _CHILDREN.append(start_watchdog())   # Prefect's temporary server and the workers die with this process
        # no API in the environment: Prefect's temporary server starts now, lean, while this process
        # imports and loads its rules (pipeline/prefect_api.py)
        # (or the one a former run kept, pipeline/prefect_api.py SharedServer)
        server = None if api_url_in_environment() else (
            SharedServer(s.prefect_server_idle) if s.prefect_server == "shared" else TemporaryServer()).start()
        from pipeline.config import rules_hash
        from pipeline.cluster import close_prestarted_clusters, prestart_local
        from pipeline.workers import close_prestarted, default_workers, prestart

        # the flow resolves its Settings from these same arguments (and the variables set above)
        flow_settings = Settings.resolve(corpus=str(s.corpus), out=str(s.out), store_url=args.store_url,
                                         ner_model=args.ner_model)
        target = dask_target(s.dask, default_workers())
        if not s.dask:   # a first worker process imports spaCy and builds its pipeline meanwhile too, for
            # the flow's pool, and starts on the first documents the cache does not answer
            prestart(flow_settings, rules_hash(s.rules_dir), ahead=[str(p) for p in ahead])
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _terminate)
        try:
            # bad rule or curation files stop the run here, in one line, before the flow starts
            # (loaded once per process: the flow's tasks reuse these rules)
            from pipeline.curation import curation_path, load_decisions
            from pipeline.process import rules_for

            rules_for(s, rules_hash(s.rules_dir))
            load_decisions(curation_path(s))
            from pipeline.flows import configured_api_url, main_flow, using_api

            # the local cluster starts now, its workers forked from this process (which holds the task code
            # now, and no thread of its own: pipeline/cluster.py FORK_CONFIG), warmed while Prefect's server starts
            if target is not None and target.local_workers:
                prestart_local(target, partial(_warm_cluster, settings=flow_settings, rules_key=rules_hash(s.rules_dir)))

            if server is not None and configured_api_url():   # Prefect's profile or files name one: used as is
                server.discard()
                server = None
            api = None
            if server is not None:
                timeout = float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"])
                waited = time.perf_counter()
                try:
                    api = server.wait(timeout)
                except PipelineError as exc:
                    print(f"error: {exc}", file=sys.stderr)
                    return 3
                if getattr(server, "reused", False):
                    logging.getLogger("pipeline.cli").info("Prefect server %s kept by an earlier run: used", api)
                else:
                    logging.getLogger("pipeline.cli").info(
                        "Prefect %s server %s ready %.1f s after its start (the run waited %.1f s for it)",
                        "kept" if isinstance(server, SharedServer) else "temporary",
                        api, server.ready_after, time.perf_counter() - waited)
            if not args.verbose:    # "Finished in state Completed()" per document: the progress says it
                logging.getLogger("prefect.task_runs").setLevel(logging.WARNING)
            # what this process holds now (Prefect, pydantic, SQLAlchemy, the rules: ~140,000 tracked
            # objects) lives for the whole run: out of the collector's sight, the full collections
            # that the documents' results set off (each unpickled result is ~10,000 new objects) walk
            # only what the run made (at 200 reviews: 0.3 s of CPU for all of them, was 0.6 s)
            gc.freeze()
            with using_api(api):
                summary = main_flow(corpus=str(s.corpus), out=str(s.out), store_url=args.store_url,
                                    ner_model=args.ner_model)
            raise_if_signalled()
        except (Terminated, KeyboardInterrupt) as exc:
            signum = exc.args[0] if isinstance(exc, Terminated) else signal.SIGINT
            print(f"error: {Errors.E216.format(signal=signal.Signals(signum).name)}", file=sys.stderr)
            return 128 + signum
        finally:
            for sig in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
            close_prestarted()          # a pool the flow did not take (it stopped before its documents)
            close_prestarted_clusters()
            if server is not None:
                server.stop()
    return _report(summary, s)


def _from_cache(args, resolved) -> tuple[Optional[dict], list]:
    """(the run finished without workers or Prefect when every document is answered by the
    per-document cache (pipeline/run.py finish_from_cache), else None: the flow must run; the first
    documents the cache does not answer, which worker processes may start on before the flow asks)."""
    from pipeline.config import Settings, code_version, rules_hash
    from pipeline.process import cached_corpus

    # as the flow resolves them (the variables set from the arguments included)
    s = Settings.resolve(corpus=str(resolved.corpus), out=str(resolved.out), store_url=args.store_url,
                         ner_model=args.ner_model)
    rules_key, code = rules_hash(s.rules_dir), code_version()
    from pipeline.workers import default_workers

    hashed, missing = cached_corpus(s, rules_key, code, ahead=s.workers or default_workers())
    if hashed is None or args.always_flow:
        return None, missing
    from pipeline.curation import curation_path, load_decisions
    from pipeline.process import rules_for
    from pipeline.run import finish_from_cache, now_iso

    started = now_iso()
    return finish_from_cache(s, rules_key, code, load_decisions(curation_path(s)), rules_for(s, rules_key), started,
                             hashed), []


def _report(summary: dict, s) -> int:
    print(f"run {summary.get('run_id') or '-'}: {summary['n_documents']} documents, {summary['n_failed']} failed, "
          f"{summary['n_reused']} reused, {summary['n_mentions']} mentions, {summary.get('n_facts', 0)} facts "
          f"({summary.get('n_conflicts', 0)} conflicts) -> {s.out}")
    if summary.get("refused"):
        print(f"error: {summary['refused']}", file=sys.stderr)
        return 2
    if summary.get("report"):
        print(f"curator report: {summary['report']}")
    for f in summary["failures"]:
        print(f"FAILED {f}", file=sys.stderr)
    return 1 if summary["n_failed"] else 0
