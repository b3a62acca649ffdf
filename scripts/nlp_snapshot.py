"""A snapshot of what the NLP stage gives on reference documents, to prove a faster stage gives
the same sentences, entities and abbreviations (issue 14 point 5).

    PYTHONPATH=$PWD .venv/bin/python scripts/nlp_snapshot.py --write   # (re)write the snapshot
    PYTHONPATH=$PWD .venv/bin/python scripts/nlp_snapshot.py           # compare, print differences

The snapshot (tests/fixtures/nlp_snapshot.json) holds, for every corpus review and the PDF
fixtures, the full list of sentences (offsets, page, section, box), entities and abbreviations;
for the shared PubMed abstracts and PDFs (not ours to copy) only a sha256 of the same lists.
It was first written by the NLP stage as it was before the speed work (commit 0fa2618).
tests/test_nlp.py::test_nlp_stage_matches_snapshot compares against it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAPSHOT = ROOT / "tests" / "fixtures" / "nlp_snapshot.json"


def annotation_record(ann) -> dict:
    """The NLP stage's output of one document as plain JSON data."""
    return {
        "text_sha256": hashlib.sha256(ann.doc.text.encode("utf-8")).hexdigest(),
        "sentences": [[s.char_start, s.char_end, s.page, s.section, s.section_kind,
                       list(s.bbox) if s.bbox else None] for s in ann.sentences],
        "entities": [[e.char_start, e.char_end, e.text, e.label, e.normalized, e.source] for e in ann.entities],
        "abbreviations": [[a.short, a.long, a.char_start, a.char_end] for a in ann.abbreviations],
    }


def digest(record: dict) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()


def reference_files() -> dict[str, list[Path]]:
    """'full': files whose annotations are kept in full; 'digest': files kept as a digest only."""
    full = sorted(p for p in (ROOT / "corpus").glob("*.txt"))
    full += sorted((ROOT / "tests" / "pdfs").glob("*.pdf"))
    full += sorted((ROOT / "tests" / "fixtures").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.md"))
    shared = sorted((SHARED / "datasets" / "pubmed_oncology").glob("*.txt")) + sorted((SHARED / "pdfs").glob("*.pdf"))
    return {"full": full, "digest": shared}


def annotate_files(paths: list[Path]) -> dict[str, dict]:
    from pipeline.config import Settings
    from pipeline.errors import IngestError
    from pipeline.ingest import file_to_document
    from pipeline.nlp import annotate_document, get_pipelines
    from pipeline.rules import load_rules

    s = Settings.resolve(corpus=str(ROOT / "corpus"))
    rules = load_rules(s.rules_dir)
    pipes = get_pipelines(s, rules)
    out = {}
    for p in paths:
        try:
            doc = file_to_document(p, p.parent, s, rules)
        except IngestError:
            continue        # broken PDF fixtures: ingestion's business, not the NLP stage's
        key = f"{p.parent.name}/{p.name}"
        out[key] = annotation_record(annotate_document(doc, pipes, rules))
    return out


def current() -> dict:
    files = reference_files()
    full = annotate_files(files["full"])
    shared = {k: digest(v) for k, v in annotate_files(files["digest"]).items()}
    return {"full": full, "digest": shared}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="write the snapshot instead of comparing")
    args = ap.parse_args(argv)
    now = current()
    if args.write:
        SNAPSHOT.write_text(json.dumps(now, sort_keys=True, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}: {len(now['full'])} full, {len(now['digest'])} digests")
        return 0
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    bad = 0
    for part in ("full", "digest"):
        for key, rec in old[part].items():
            if key not in now[part]:
                continue
            if now[part][key] != rec:
                bad += 1
                print(f"DIFFERS: {key}")
                if part == "full":
                    for field in rec:
                        a, b = rec[field], now[part][key][field]
                        if a != b:
                            extra = [x for x in b if x not in a][:3] if isinstance(a, list) else b
                            missing = [x for x in a if x not in b][:3] if isinstance(a, list) else a
                            print(f"  {field}: missing {missing} extra {extra}")
    print(f"{bad} documents differ of {sum(len(old[p]) for p in old)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
