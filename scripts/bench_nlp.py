"""Benchmark of the NLP stage choices on the corpus (run: .venv/bin/python scripts/bench_nlp.py).

Measures words per second of:
  - the pipeline as configured (paragraphs through nlp.pipe, abbreviations per document),
  - whole documents as single spaCy Docs (what the paragraph feed avoids),
  - paragraphs without the AbbreviationDetector,
and the time of ingestion and extraction, plus peak memory (ru_maxrss) of this process.
Speed is measured here, never asserted in tests.

The NLP stage's own figure is words per CPU second (`annotate_document` over the corpus, process
CPU time, median of --repeat). `--against DIR` compares it with another checkout (say main's, or
the commit before a change, from `git worktree add` or `git archive | tar -x`): fresh
interpreters of the two, interleaved for --rounds rounds, so that both see the same load on a
shared machine; it prints each round, the medians, their ratio and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import Settings  # noqa: E402
from pipeline.extract import annotated_to_mentions  # noqa: E402
from pipeline.ingest import file_to_document, list_corpus  # noqa: E402
from pipeline.nlp import annotate_document, build_nlp, document_to_paragraphs, get_pipelines  # noqa: E402
from pipeline.rules import load_rules  # noqa: E402


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times), result


# run in a fresh interpreter inside a checkout (its own `pipeline` package): the stage's CPU time
_STAGE_CPU = """
import json, sys, time
from pipeline.config import Settings
from pipeline.ingest import file_to_document, list_corpus
from pipeline.nlp import annotate_document, get_pipelines
from pipeline.rules import load_rules
corpus, repeat = sys.argv[1], int(sys.argv[2])
s = Settings.resolve(corpus=corpus)
rules = load_rules(s.rules_dir)
pipes = get_pipelines(s, rules)
docs = [file_to_document(p, s.corpus, s, rules) for p in list_corpus(s.corpus)]
[annotate_document(d, pipes, rules) for d in docs]          # warm: lexeme and pattern caches
cpu = []
for _ in range(repeat):
    t = time.process_time()
    [annotate_document(d, pipes, rules) for d in docs]
    cpu.append(time.process_time() - t)
print(json.dumps({"words": sum(len(d.text.split()) for d in docs), "cpu": cpu}))
"""


def stage_cpu(checkout: Path, corpus: str, repeat: int) -> tuple[int, list[float]]:
    """(words, CPU seconds of each repeat) of the NLP stage of `checkout`, in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run([sys.executable, "-c", _STAGE_CPU, corpus, str(repeat)], cwd=checkout, env=env,
                         capture_output=True, text=True, check=True).stdout
    rec = json.loads(out.strip().splitlines()[-1])
    return rec["words"], rec["cpu"]


def compare(other: Path, corpus: str, repeat: int, rounds: int) -> int:
    runs: dict[str, list[float]] = {"this": [], "other": []}
    print(f"NLP stage, words per CPU second; this checkout {ROOT} vs {other}; load {os.getloadavg()[0]:.1f}")
    for r in range(rounds):
        for name, checkout in (("this", ROOT), ("other", other)) if r % 2 == 0 else (("other", other), ("this", ROOT)):
            words, cpu = stage_cpu(checkout, corpus, repeat)
            wps = words / statistics.median(cpu)
            runs[name].append(wps)
            print(f"  round {r + 1} {name:5} {wps:9,.0f}  (median of {repeat}, {words} words)")
    this, that = statistics.median(runs["this"]), statistics.median(runs["other"])
    print(f"median: this {this:,.0f}, other {that:,.0f}, ratio {this / that:.2f}; load {os.getloadavg()[0]:.1f}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", metavar="DIR", help="another checkout: compare the NLP stage's words per CPU second")
    ap.add_argument("--rounds", type=int, default=4, help="interleaved rounds for --against")
    args = ap.parse_args(argv)
    if args.against:
        return compare(Path(args.against).resolve(), str(Path(args.corpus).resolve()), args.repeat, args.rounds)
    s = Settings.resolve(corpus=args.corpus)
    rules = load_rules(s.rules_dir)
    t0 = time.perf_counter()
    pipes = get_pipelines(s, rules)
    build = time.perf_counter() - t0
    files = list_corpus(s.corpus)
    ing = timed(lambda: [file_to_document(p, s.corpus, s, rules) for p in files], args.repeat)
    docs = ing[3]
    words = sum(len(d.text.split()) for d in docs)
    print(f"corpus: {len(docs)} documents, {words} words; pipeline build {build:.2f} s")
    print(f"{'stage':45} {'median s':>9} {'min':>7} {'max':>7} {'words/s':>9}")
    print(f"{'ingest (text/PDF -> Document)':45} {ing[0]:9.3f} {ing[1]:7.3f} {ing[2]:7.3f} {words / ing[0]:9.0f}")

    [annotate_document(d, pipes, rules) for d in docs]          # warm
    cpu = []
    for _ in range(args.repeat):
        t = time.process_time()
        [annotate_document(d, pipes, rules) for d in docs]
        cpu.append(time.process_time() - t)
    print(f"NLP stage (annotate_document): {words / statistics.median(cpu):,.0f} words per CPU second "
          f"(median of {args.repeat}; load {os.getloadavg()[0]:.1f})")
    para = timed(lambda: [annotate_document(d, pipes, rules) for d in docs], args.repeat)
    print(f"{'nlp: paragraphs via nlp.pipe (configured)':45} {para[0]:9.3f} {para[1]:7.3f} {para[2]:7.3f} {words / para[0]:9.0f}")

    whole = timed(lambda: list(pipes.nlp.pipe([d.text for d in docs], batch_size=8)), 1)
    print(f"{'nlp: whole documents as one Doc each':45} {whole[0]:9.3f} {whole[1]:7.3f} {whole[2]:7.3f} {words / whole[0]:9.0f}")

    no_abbrev = build_nlp(rules)
    no_abbrev.remove_pipe("her2_abbreviations")
    texts = [t for d in docs for _, t in document_to_paragraphs(d)]
    na = timed(lambda: list(no_abbrev.pipe(texts, batch_size=64)), args.repeat)
    print(f"{'nlp: paragraphs without AbbreviationDetector':45} {na[0]:9.3f} {na[1]:7.3f} {na[2]:7.3f} {words / na[0]:9.0f}")

    anns = para[3]
    ext = timed(lambda: [annotated_to_mentions(a, rules) for a in anns], args.repeat)
    n = sum(len(m) for m in ext[3])
    print(f"{'extract (annotated -> mentions)':45} {ext[0]:9.3f} {ext[1]:7.3f} {ext[2]:7.3f} {words / ext[0]:9.0f}")
    print(f"mentions: {n}; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
