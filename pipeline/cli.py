"""Command line: python -m pipeline run|export|diff|curate."""
from __future__ import annotations

import argparse
import logging
import sys
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

    exp = sub.add_parser("export", help="write fact exports from the run history without re-running extraction")
    _add_common(exp)
    exp.add_argument("--kind", choices=["trial", "endpoint", "approval"], default=None, help="only this kind of fact")
    exp.add_argument("--drug", default=None, help="only facts about this drug (canonical or alias)")
    exp.add_argument("--cancer", default=None, help="only facts about this cancer type (breast, gastric, ...)")
    exp.add_argument("--format", choices=["csv", "parquet"], default="csv", help="file format (default csv)")
    exp.add_argument("--to", dest="dest", default=None, metavar="DIR",
                     help="folder to write the exports to (default: the output root)")

    diff = sub.add_parser("diff", help="curator diff report between two runs")
    _add_common(diff)
    diff.add_argument("--from", dest="from_run", default=None, help="older run id (default: the run before --to)")
    diff.add_argument("--to", dest="to_run", default=None, help="newer run id (default: the latest run)")

    cur = sub.add_parser("curate", help="accept, reject or correct a fact (recorded in rules/curation.yaml)")
    _add_common(cur)
    cur.add_argument("fact_id", help="the fact's id (fact_id column of the exports)")
    g = cur.add_mutually_exclusive_group(required=True)
    g.add_argument("--accept", action="store_true", help="mark the fact as checked and correct")
    g.add_argument("--reject", action="store_true", help="remove the fact from the exports")
    g.add_argument("--correct", metavar="VALUE", default=None, help="replace the extracted value")
    cur.add_argument("--note", default="", help="why (kept with the decision)")
    cur.add_argument("--by", default="", help="curator name")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:       # one line per HTTP call to Prefect's local API server is noise
        for name in ("httpx", "httpcore"):
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

    settings = Settings.resolve(out=args.out, store_url=args.store_url)
    if args.command == "export":
        from pipeline.export import export_command

        paths = export_command(settings, Path(args.dest) if args.dest else settings.out, args.kind, args.drug,
                               args.cancer, args.format)
        for p in paths:
            print(p)
        return 0
    if args.command == "diff":
        from pipeline.report import diff_command

        for p in diff_command(settings, args.from_run, args.to_run):
            print(p)
        return 0
    if args.command == "curate":
        from pipeline.curation import curate_command

        action = "accept" if args.accept else "reject" if args.reject else "correct"
        print(curate_command(settings, args.fact_id, action, args.correct, args.note, args.by))
        return 0
    return 2


_CHILDREN: list = []      # the watchdog: it exits by itself once this process is gone


class Terminated(BaseException):
    """SIGTERM/SIGHUP: unwinds the run like Ctrl-C (workers killed, Prefect's server stopped)."""


def _terminate(signum, frame) -> None:
    raise Terminated(signum)


def _run(args) -> int:
    import os
    import signal

    from pipeline.config import Settings
    from pipeline.errors import Errors
    from pipeline.lifecycle import check_run_paths, run_lock, start_watchdog

    kwargs = {k: v for k, v in {"corpus": args.corpus, "out": args.out, "store_url": args.store_url,
                                "ner_model": args.ner_model}.items() if v is not None}
    s = Settings.resolve(**kwargs)
    check_run_paths(s.corpus, s.out)        # before anything is recorded or written
    # bad rule or curation files stop the run here, in one line, before Prefect starts
    # (loaded once per process: the flow's tasks reuse these rules)
    from pipeline.config import rules_hash
    from pipeline.curation import curation_path, load_decisions
    from pipeline.process import rules_for

    rules_for(s, rules_hash(s.rules_dir))
    load_decisions(curation_path(s))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(s.prefect_startup_timeout))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    with run_lock(s.out):           # a second run on this --out stops here, before Prefect starts
        _CHILDREN.append(start_watchdog())   # Prefect's temporary server and the workers die with this process
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _terminate)
        try:
            from pipeline.flows import main_flow

            if not args.verbose:    # "Finished in state Completed()" per document: the progress says it
                logging.getLogger("prefect.task_runs").setLevel(logging.WARNING)
            summary = main_flow(corpus=str(s.corpus), out=str(s.out), store_url=args.store_url,
                                ner_model=args.ner_model)
        except (Terminated, KeyboardInterrupt) as exc:
            signum = exc.args[0] if isinstance(exc, Terminated) else signal.SIGINT
            print(f"error: {Errors.E216.format(signal=signal.Signals(signum).name)}", file=sys.stderr)
            return 128 + signum
        except RuntimeError as exc:
            if "ephemeral Prefect API server" not in str(exc):
                raise
            print(f"error: {Errors.E214.format(seconds=float(os.environ['PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS']))}",
                  file=sys.stderr)
            return 3
        finally:
            for sig in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(sig, signal.SIG_DFL)
    print(f"run {summary.get('run_id') or '-'}: {summary['n_documents']} documents, {summary['n_failed']} failed, "
          f"{summary['n_reused']} reused, {summary['n_mentions']} mentions, {summary.get('n_facts', 0)} facts "
          f"({summary.get('n_conflicts', 0)} conflicts) -> {s.out}")
    if summary.get("report"):
        print(f"curator report: {summary['report']}")
    for f in summary["failures"]:
        print(f"FAILED {f}", file=sys.stderr)
    return 1 if summary["n_failed"] else 0
