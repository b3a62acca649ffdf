"""Candidate new terms: entities the statistical NER model found that no lexicon knows.

Input is, per source file, (entity, sentence text) pairs from the NLP stage;
output is the rows of extracted/candidates.csv (text, label, count, documents,
example_sentence), most frequent first, so a curator can add new drug codes or
gene names to rules/*.yaml.

A mention is "known" when its lower-cased form, or the form with every
non-alphanumeric character removed ("T-DXd" -> "tdxd"), matches a known term
in the same way. Mentions are grouped by that lower-cased, whitespace-collapsed
form; a group's text and label are its most frequent surface form and label.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Mapping, Sequence

from pipeline.model import CONTENT_SECTIONS, EntitySpan
from pipeline.schema import CANDIDATE_COLUMNS

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def _key(text: str) -> str:
    return _WS.sub(" ", text).strip().lower()


def _squash(text: str) -> str:
    return _NON_ALNUM.sub("", text.lower())


def _most_common(counter: Counter) -> str:
    # highest count, ties broken alphabetically so the output is deterministic
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def entities_to_candidates(
    entities_by_doc: Mapping[str, Sequence[tuple[EntitySpan, str]]],
    known_terms: set[str],
) -> list[dict]:
    known = {_key(t) for t in known_terms}
    known_squashed = {_squash(t) for t in known_terms} - {""}
    groups: dict[str, dict] = {}
    for source_file in sorted(entities_by_doc):
        for ent, sentence in entities_by_doc[source_file]:
            if ent.source != "model":
                continue
            key = _key(ent.text)
            squashed = _squash(ent.text)
            if not squashed or squashed.isdigit():
                continue   # punctuation or a bare number is no term
            if len(squashed) < 3 and not any(c.isdigit() for c in squashed):
                continue   # initials and two-letter fragments ("K", "Li") are no lexicon additions
            if key in known or squashed in known_squashed:
                continue
            g = groups.setdefault(key, {"forms": Counter(), "labels": Counter(), "count": 0,
                                        "documents": set(), "example": ""})
            g["forms"][_WS.sub(" ", ent.text).strip()] += 1
            g["labels"][ent.label] += 1
            g["count"] += 1
            g["documents"].add(source_file)
            if not g["example"]:
                g["example"] = _WS.sub(" ", sentence).strip()
    rows = [
        {
            "text": _most_common(g["forms"]),
            "label": _most_common(g["labels"]),
            "count": g["count"],
            "documents": "; ".join(sorted(g["documents"])),
            "example_sentence": g["example"],
        }
        for g in groups.values()
    ]
    rows.sort(key=lambda r: (-r["count"], r["text"].lower(), r["text"]))
    return rows


# --------------------------------------------------------------------------
# From the NLP stage's per-document results (pipeline.model.DocResult) and the rules


def known_terms_from_rules(rules) -> set[str]:
    """Every form (canonical name and synonyms) of every lexicon entry in rules/."""
    return {form for rf in rules.lexicons() for e in rf.entries for form in e.forms()}


def entities_with_sentences(results) -> dict[str, list[tuple[EntitySpan, str]]]:
    """source_file -> (model entity, text of the sentence it is in), from DocResults."""
    import bisect

    out: dict[str, list[tuple[EntitySpan, str]]] = {}
    for r in results:
        if r.doc.status != "ok":
            continue
        sents = sorted(r.sentences, key=lambda s: s.char_start)
        starts = [s.char_start for s in sents]
        pairs = out.setdefault(r.doc.source_file, [])
        # a drug recognised only by its shape (rules/drug_patterns.yaml, source "pattern") is
        # exactly what curators want to see here: no lexicon lists it yet
        known_spans = sorted((e.char_start, e.char_end) for e in r.entities if e.source not in ("model", "pattern"))
        known_starts = [a for a, _ in known_spans]
        for ent in r.entities:
            if ent.source != "model":
                continue
            # overlapping a term the lexicons already found ("emtansine" of "trastuzumab emtansine",
            # "HER2-positive breast cancer" around "breast cancer"): a known term, not a new one
            j = bisect.bisect_left(known_starts, ent.char_end)
            if any(a < ent.char_end and ent.char_start < b for a, b in known_spans[max(0, j - 8):j]):
                continue
            i = bisect.bisect_right(starts, ent.char_start) - 1
            if i >= 0 and sents[i].char_end >= ent.char_end:
                if sents[i].section_kind and sents[i].section_kind not in CONTENT_SECTIONS:
                    continue   # reference lists, author lists, web chrome: names and initials, not terms
                sentence = r.doc.text[sents[i].char_start:sents[i].char_end]
            else:   # not inside one sentence: a window around the mention
                sentence = r.doc.text[max(0, ent.char_start - 120):ent.char_end + 120]
            pairs.append((ent, sentence))
    return out


def candidates_from_results(results, rules) -> list[dict]:
    """The rows of extracted/candidates.csv for a run's DocResults."""
    return entities_to_candidates(entities_with_sentences(results), known_terms_from_rules(rules))


def main(argv: list[str] | None = None) -> int:
    """python -m pipeline.candidates [--corpus DIR] [--ner-model NAME] [--out FILE]

    Runs ingest + NLP (with the NER model named by --ner-model or HER2_NER_MODEL)
    on every corpus document and writes the candidate lexicon additions as CSV."""
    import argparse
    import logging
    from collections import Counter as _Counter
    from pathlib import Path

    from pipeline.config import Settings, rules_hash
    from pipeline.ingest import list_corpus
    from pipeline.outputs import atomic_write_csv
    from pipeline.process import process_file, rules_for

    ap = argparse.ArgumentParser(prog="python -m pipeline.candidates", description=main.__doc__)
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--ner-model", default=None, help="spaCy package name or path (default: HER2_NER_MODEL)")
    ap.add_argument("--out", default=None, help="CSV to write (default: <out>/candidates.csv)")
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.resolve(**{k: v for k, v in {"corpus": a.corpus, "ner_model": a.ner_model}.items() if v})
    rkey = rules_hash(settings.rules_dir)
    results = [process_file(p, settings, rkey) for p in list_corpus(settings.corpus)]
    sources = _Counter(e.source for r in results for e in r.entities)
    rows = candidates_from_results(results, rules_for(settings, rkey))
    out = Path(a.out) if a.out else Path(settings.out) / "candidates.csv"
    atomic_write_csv(out, CANDIDATE_COLUMNS, rows)
    print(f"{len(results)} documents; entities by source: {dict(sorted(sources.items()))}; "
          f"{len(rows)} candidate rows -> {out}")
    for r in rows[:15]:
        print(f"  {r['count']:>3}  {r['label']:<22} {r['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
