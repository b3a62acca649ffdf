"""PDF ingestion, old code vs new: the same Documents field by field, and CPU per page interleaved
(issue 14 point 6: a faster PDF stage must give identical text, pages, sections, tables, cell
offsets and boxes).

    git archive main | tar -x -C /tmp/pdf-old        # the old code, once
    ln -s /work/shared /tmp/shared                   # its ../shared/pdfs, for --bench
    PYTHONPATH=$PWD .venv/bin/python scripts/pdf_equivalence.py --old /tmp/pdf-old
    PYTHONPATH=$PWD .venv/bin/python scripts/pdf_equivalence.py --old /tmp/pdf-old --bench 3 --no-compare

Compared: every PDF of ../shared/pdfs and tests/pdfs, the PDFs tests/hostile/generate.py writes
(fast and slow cases: rotated pages, 1-pt glyph debris, unmapped (cid:) fonts, 320 pages), the
fixtures tests/pdfs/make_fixtures.py writes, and any folder given with --extra, each with the
table strategies "auto", "lines" and "text". Each tree ingests in its own interpreter
(PYTHONPATH = that tree); a failure compares by its one-line error.

--bench N runs the README's figure: `scripts/bench_scale.py`'s `pdf_seconds_per_page` (in-process
CPU seconds per page over the shared PDFs and fixtures, 22 pages) in a fresh interpreter per tree,
old and new alternating N times; prints each run, the medians, their ratio and the load average.
Prints differences and exits 1 when any Document differs.

--write-snapshot writes tests/fixtures/pdf_documents.json from the OLD code's Documents of the
committed PDFs (../shared/pdfs, tests/pdfs; every strategy): a sha256 of each Document's fields,
which tests/test_ingest_pdf.py::test_documents_match_the_snapshot_of_the_code_before_the_speed_work
compares with what the code gives now.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PDFS = ROOT.parent / "shared" / "pdfs"
STRATEGIES = ("auto", "lines", "text")
SNAPSHOT = ROOT / "tests" / "fixtures" / "pdf_documents.json"
SNAPSHOT_FOLDERS = ("shared", "tests-pdfs")


def document_record(fields: dict) -> dict:
    """A Document (as `dataclasses.asdict` gives it, or {"ingest_error": ...}) in a few numbers a
    reader can check and one sha256 over every field."""
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()
    if "ingest_error" in fields:
        return {"error": fields["ingest_error"], "sha256": digest}
    return {"chars": len(fields["text"]), "pages": len(fields["pages"]), "sections": len(fields["sections"]),
            "tables": len(fields["tables"]), "cells": sum(len(t["cells"]) for t in fields["tables"]),
            "boxes": len(fields["boxes"]), "sha256": digest}

_DUMP = r"""
import dataclasses, pickle, sys
from dataclasses import replace
from pathlib import Path
from pipeline.config import Settings
from pipeline.errors import IngestError
from pipeline.ingest import file_to_document
from pipeline.rules import load_rules

out, items = sys.argv[1], sys.argv[2:]
base = Settings.resolve()
rules = load_rules(base.rules_dir)
res = {}
for label, p in zip(items[::2], map(Path, items[1::2])):
    for strategy in ("auto", "lines", "text"):
        s = replace(base, pdf_table_strategy=strategy, doc_timeout=3600.0)
        try:
            res[(label, strategy)] = dataclasses.asdict(file_to_document(p, p.parent, s, rules))
        except IngestError as exc:
            res[(label, strategy)] = {"ingest_error": str(exc)}
with open(out, "wb") as f:
    pickle.dump(res, f)
"""

_BENCH = r"""
import sys
sys.path.insert(0, sys.argv[1] + "/scripts")
from bench_scale import pdf_seconds_per_page
per_page, n = pdf_seconds_per_page()
warm, _ = pdf_seconds_per_page()
print(per_page, warm, n)
"""


def pdf_files(extra: list[Path]) -> dict[str, Path]:
    """Every PDF to compare, by a label that names its origin; the generated ones are written
    under a temporary folder."""
    sys.path.insert(0, str(ROOT))
    tmp = Path(tempfile.mkdtemp(prefix="pdf-equivalence-"))
    from tests.hostile import generate

    generate.build(tmp / "hostile", [c for c in generate.FAST + generate.SLOW if c.name.endswith(".pdf")])
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tests" / "pdfs" / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.build(tmp / "fixtures")
    folders = {"shared": SHARED_PDFS, "tests-pdfs": ROOT / "tests" / "pdfs", "hostile": tmp / "hostile",
               "fixtures": tmp / "fixtures", **{f"extra{i}": Path(d) for i, d in enumerate(extra)}}
    return {f"{label}/{p.name}": p for label, d in folders.items() for p in sorted(Path(d).glob("*.pdf"))}


def dump(tree: Path, paths: dict[str, Path], out: Path) -> dict:
    """{(label, strategy): the Document as plain data, or {"ingest_error": message}}; kept in `out`
    (read back instead when it exists: the old code's Documents need computing once)."""
    if not out.exists():
        env = {**os.environ, "PYTHONPATH": str(tree)}
        items = [str(x) for label, p in paths.items() for x in (label, p)]
        subprocess.run([sys.executable, "-c", _DUMP, str(out), *items], cwd=tree, env=env, check=True,
                       stderr=subprocess.DEVNULL)
    with open(out, "rb") as f:
        return pickle.load(f)


def differences(old: dict, new: dict) -> list[str]:
    """One line per differing field (the first differing record of a list field)."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if a is None or b is None or set(a) != set(b):
            out.append(f"{key}: {'missing' if a is None else 'present'} in old, "
                       f"{'missing' if b is None else 'present'} in new: {a if b else b}"[:400])
            continue
        for field in a:
            if a[field] == b[field]:
                continue
            va, vb = a[field], b[field]
            if isinstance(va, (list, tuple)) and isinstance(vb, (list, tuple)):
                i = next((i for i, (x, y) in enumerate(zip(va, vb)) if x != y), min(len(va), len(vb)))
                out.append(f"{key} {field}[{i}] (of {len(va)} old, {len(vb)} new): "
                           f"old {va[i] if i < len(va) else '-'} new {vb[i] if i < len(vb) else '-'}"[:600])
            elif isinstance(va, str) and isinstance(vb, str):
                i = next((i for i, (x, y) in enumerate(zip(va, vb)) if x != y), min(len(va), len(vb)))
                out.append(f"{key} {field} differs at {i}: old {va[i - 20:i + 40]!r} new {vb[i - 20:i + 40]!r}")
            else:
                out.append(f"{key} {field}: old {va!r} new {vb!r}"[:600])
    return out


def bench(old: Path, new: Path, repeat: int) -> None:
    runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    pages: set[int] = set()
    for r in range(repeat):
        order = (("old", old), ("new", new)) if r % 2 == 0 else (("new", new), ("old", old))
        for name, tree in order:
            load = os.getloadavg()[0]
            env = {**os.environ, "PYTHONPATH": str(tree)}
            res = subprocess.run([sys.executable, "-c", _BENCH, str(tree)], cwd=tree, env=env, check=True,
                                 capture_output=True, text=True)
            per_page, warm, n = res.stdout.split()
            runs[name].append((float(per_page), float(warm)))
            pages.add(int(n))
            print(f"run {r + 1} {name}: {float(per_page):.3f} s CPU/page ({n} pages; {float(warm):.3f} warm), "
                  f"load {load:.1f}", flush=True)
    if len(pages) > 1:
        print(f"WARNING: the trees measured different page sets {sorted(pages)}: is ../shared/pdfs beside both?")
    med = {k: (statistics.median(x for x, _ in v), statistics.median(w for _, w in v)) for k, v in runs.items()}
    print(f"median old {med['old'][0]:.3f} (warm {med['old'][1]:.3f}), new {med['new'][0]:.3f} "
          f"(warm {med['new'][1]:.3f}) s CPU/page; new/old {med['new'][0] / med['old'][0]:.2f}; "
          f"load now {os.getloadavg()[0]:.1f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True, help="a checkout of the old code (git archive main)")
    ap.add_argument("--new", type=Path, default=ROOT)
    ap.add_argument("--extra", type=Path, action="append", default=[], help="another folder of PDFs")
    ap.add_argument("--bench", type=int, default=0, help="interleaved old/new CPU-per-page runs")
    ap.add_argument("--no-compare", action="store_true")
    ap.add_argument("--old-dump", type=Path, help="keep the old code's Documents in this file (reused when present)")
    ap.add_argument("--only", default="", help="compare only PDFs whose label contains this")
    ap.add_argument("--write-snapshot", action="store_true", help=f"write {SNAPSHOT.relative_to(ROOT)} from the old code")
    args = ap.parse_args(argv)
    status = 0
    if not args.no_compare:
        every = pdf_files(args.extra)
        paths = {k: v for k, v in every.items() if args.only in k}
        with tempfile.TemporaryDirectory() as tmp:
            old = dump(args.old.resolve(), every if args.old_dump else paths, args.old_dump or Path(tmp) / "old.pickle")
            new = dump(args.new.resolve(), paths, Path(tmp) / "new.pickle")
        old = {k: v for k, v in old.items() if k[0] in paths}
        if args.write_snapshot:
            snap = {f"{label}/{strategy}": document_record(fields) for (label, strategy), fields in sorted(old.items())
                    if label.split("/")[0] in SNAPSHOT_FOLDERS}
            SNAPSHOT.write_text(json.dumps(snap, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {len(snap)} Documents to {SNAPSHOT}")
        diffs = differences(old, new)
        n_ok = sum(1 for v in new.values() if "ingest_error" not in v)
        print(f"{len(paths)} PDFs x {len(STRATEGIES)} table strategies: {len(old)} Documents "
              f"({n_ok} parsed, {len(new) - n_ok} coded failures); {len(diffs)} differing fields")
        for d in diffs:
            print("  " + d)
        status = 1 if diffs else 0
    if args.bench:
        bench(args.old.resolve(), args.new.resolve(), args.bench)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
