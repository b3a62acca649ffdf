"""Command line: python -m pipeline run|export|diff|history|curate."""
from __future__ import annotations

import argparse
import logging
import os
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
                                     "Exit status 1 when any document failed (the others are still processed).")
    run.add_argument("--corpus", default=None, help="folder of review documents (default: corpus/; env HER2_CORPUS)")
    _add_common(run)
    run.add_argument("--ner-model", default=None,
                     help="optional spaCy NER model: installed package name or path (env HER2_NER_MODEL); "
                          "without it entities come from the lexicons in rules/")
    run.add_argument("--allow-shrink", action="store_true",
                     help="publish even if the run removes more than max_shrink (default 50%%) of the last complete "
                          "run's facts; without it such a run is recorded as 'refused', publishes nothing and exits 2")

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

    hist = sub.add_parser("history", help="manage the run history (the store)")
    hsub = hist.add_subparsers(dest="history_command", required=True)
    prune = hsub.add_parser("prune", help="remove old runs and the data only they reference",
                            description="Keep the N most recent completed runs (and every run after the oldest of "
                                        "them); remove older runs and every stored object no kept run references. "
                                        "Curation decisions are kept; diffs between kept runs are unchanged.")
    _add_common(prune)
    prune.add_argument("--keep", type=int, required=True, metavar="N", help="completed runs to keep (at least 1)")

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

            action = "accept" if args.accept else "reject" if args.reject else "correct"
            print(curate_command(settings, args.fact_id, action, args.correct, args.note, args.by))
            return 0
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 2


def _run(args) -> int:
    from pipeline.flows import main_flow

    kwargs = {k: v for k, v in {"corpus": args.corpus, "out": args.out, "store_url": args.store_url,
                                "ner_model": args.ner_model}.items() if v is not None}
    from pipeline.config import Settings

    s = Settings.resolve(**kwargs)
    # bad rule or curation files stop the run here, in one line, before Prefect starts
    # (loaded once per process: the flow's tasks reuse these rules)
    from pipeline.config import rules_hash
    from pipeline.curation import curation_path, load_decisions
    from pipeline.process import rules_for

    rules_for(s, rules_hash(s.rules_dir))
    load_decisions(curation_path(s))
    if args.allow_shrink:      # the flow resolves its own Settings: hand the flag on as the setting's variable
        os.environ["HER2_ALLOW_SHRINK"] = "1"
    summary = main_flow(corpus=str(s.corpus), out=str(s.out), store_url=args.store_url, ner_model=args.ner_model)
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
