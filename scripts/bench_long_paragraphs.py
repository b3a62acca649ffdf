"""Time of ingestion + the NLP stage + extraction on long and hostile paragraphs (issue 12 point 2).

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_long_paragraphs.py [--scale 0.25]

Each case is built at `scale` x its full size and at `scale`/2, so the ratio of the two times shows
how the time grows with the length (2.0 = linear, 4.0 = quadratic). Full sizes: an ordinary
80 kB paragraph, 250 kB of repeated "ORR of ", 100k "(", "%" x100k with " (95% CI " x20k, and a
5 MB single line. Times are CPU seconds of this process (time.process_time: fair on a busy
shared machine); measured here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCE = ("In the DESTINY-Breast03 trial, trastuzumab deruxtecan (T-DXd) achieved an objective response "
            "rate (ORR) of 79.7% versus 34.2% with trastuzumab emtansine, and the median progression-free "
            "survival was 28.8 months (95% CI 22.4-37.9; HR 0.33, P<0.001). ")


def cases(scale: float) -> dict[str, str]:
    def n(x: int) -> int:
        return max(1, int(x * scale))
    one_line = (SENTENCE * (n(5_000_000) // len(SENTENCE) + 1))[: n(5_000_000)]
    return {
        "80 kB ordinary paragraph": (SENTENCE * (n(80_000) // len(SENTENCE) + 1))[: n(80_000)],
        "250 kB of 'ORR of '": "ORR of " * (n(250_000) // 7),
        "100k '('": "(" * n(100_000),
        "'%' x100k + ' (95% CI ' x20k": "%" * n(100_000) + " (95% CI " * n(20_000),
        "5 MB single line": one_line,
    }


def run(text: str, rules, pipes, extract: bool = True):
    from pipeline.extract import annotated_to_mentions
    from pipeline.ingest.text import text_to_document
    from pipeline.nlp import annotate_document

    t = time.process_time()
    doc = text_to_document(text, "long.txt", hashlib.sha256(text.encode()).hexdigest(), rules)
    ann = annotate_document(doc, pipes, rules)
    t_nlp = time.process_time() - t
    mentions = annotated_to_mentions(ann, rules) if extract else []
    t_all = time.process_time() - t
    covered = sum(s.char_end - s.char_start for s in ann.sentences)
    return t_nlp, t_all, len(ann.sentences), covered, len(mentions)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=float, default=0.25, help="share of the full sizes (default 0.25)")
    ap.add_argument("--only", default="", help="run only cases whose name contains this")
    ap.add_argument("--nlp-only", action="store_true", help="skip extraction (its context scans are quadratic today)")
    args = ap.parse_args(argv)
    from pipeline.config import Settings
    from pipeline.nlp import PARAGRAPH_CAP, get_pipelines
    from pipeline.rules import load_rules

    s = Settings.resolve(corpus=str(ROOT / "corpus"))
    rules = load_rules(s.rules_dir)
    pipes = get_pipelines(s, rules)
    print(f"paragraph cap: {PARAGRAPH_CAP} characters; scale {args.scale}")
    print(f"{'case':32} {'chars':>9} {'nlp s':>8} {'total s':>8} {'half s':>8} {'ratio':>6} {'sents':>7} {'covered':>8} {'mentions':>8}")
    for name, text in cases(args.scale).items():
        if args.only and args.only not in name:
            continue
        half = cases(args.scale / 2)[name]
        h = run(half, rules, pipes, not args.nlp_only)
        r = run(text, rules, pipes, not args.nlp_only)
        print(f"{name:32} {len(text):9d} {r[0]:8.2f} {r[1]:8.2f} {h[1]:8.2f} {r[1] / max(h[1], 1e-6):6.2f} "
              f"{r[2]:7d} {r[3] / len(text):8.3f} {r[4]:8d}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
