"""Score extracted mentions against the hand-checked gold set in tests/gold/.

    python -m her2tools.evaluate [--mentions extracted/mentions] [--gold tests/gold] [--json] [--verbose]

Reads the mention CSVs (columns: MENTION_COLUMNS + PROVENANCE_COLUMNS of pipeline.model)
and the gold YAML files, and prints per kind the value-level precision / recall / F1 and
the attribution accuracy over matched pairs. It only reports: the exit status is always 0,
the tests decide what is good enough.

Matching (all of it within one source_file, and only for documents that coverage.yaml
lists as exhaustively covered for that kind; predictions from other documents are ignored):

* Text: the gold `sentence` fragment must be contained in the predicted `sentence`
  (a sentence, or a table row with cells joined by " | "), compared after normalization:
  Unicode NFKC, lower case, and whitespace, hyphens, dashes and "|" removed (so a fragment
  that spans two table cells matches the joined row, and line breaks, and a word hyphenated
  at a line end that the text stage joins back, do not matter).
* trial: identity = NCT id (normalized NCT########). The value score is over distinct
  (source_file, nct_id) pairs; rows without an NCT id (trial names only) are not scored.
  Attribution (drug, cancer_type, phase) is per gold occurrence (a table cell or a
  sentence), paired one-to-one with predicted rows of the same id whose sentence contains
  the occurrence's fragment.
* endpoint: identity = endpoint code + value (numbers equal within 1e-6; "NR" equals "NR";
  ranges compared as normalized strings; a gold list gives accepted alternatives; a gold
  row without `value` but with `hr` is matched on hr) + fragment. Attribution: drug, trial,
  cancer_type; details (unit, comparator_value, p_value, population, ...) are reported for
  information only.
* approval: identity = agency + event + fragment. The drug is NOT part of the identity: it
  only decides the pairing when one sentence holds several events (two drugs, or a table
  cell with "(FDA/EMA Approved)"), so a wrong drug costs attribution, not recall.
  Attribution: drug, date, cancer_type; details: line, based_on_trial.

Pairing is one-to-one: candidate (gold, predicted) pairs are taken greedily, required gold
rows first, best attribute agreement first. Gold rows marked `optional: true` or with a
non-content `section` (references, abbreviations, chrome, ...) are "don't care": a
prediction matching them is neither a true nor a false positive, and missing them is no
false negative. A second prediction of an already matched gold row is a false positive
(reported as a duplicate). Attribute comparison normalizes: drug = components sorted and
joined with " + "; trial = upper case without spaces or hyphens; phase = upper case without
spaces or "PHASE"; a gold list accepts any member; a predicted drug of alternatives ("erlotinib or
gefitinib": a group that received one or another) is right when the gold accepts each of them. Attributes the gold leaves out are not
compared; an explicit empty gold value (date: "") means "none written" and is compared.

`negatives` in a gold file are statements that must not be extracted (negated approvals,
toxicity percentages): predictions whose sentence contains such a fragment (and, where the
negative gives one, has that value) are listed as negative hits; they are also false
positives.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

KINDS = ("trial", "endpoint", "approval")
GOLD_FILES = {"trial": "trials.yaml", "endpoint": "endpoints.yaml", "approval": "approvals.yaml"}
MENTION_FILES = {"trial": "trials.csv", "endpoint": "endpoints.csv", "approval": "approvals.csv"}
CONTENT_SECTION = "content"

# Attributes that make up the attribution score, and attributes reported for information.
CORE_ATTRS = {
    "trial": ("drug", "cancer_type", "phase"),
    "endpoint": ("drug", "trial", "cancer_type"),
    "approval": ("drug", "date", "cancer_type"),
}
DETAIL_ATTRS = {
    "trial": (),
    "endpoint": ("unit", "timepoint", "comparator_value", "n", "n_total", "hr", "ci_low", "ci_high",
                 "p_value", "population", "comparator", "nct_id"),
    "approval": ("line", "based_on_trial"),
}
NUMERIC_DETAILS = {"comparator_value", "n", "n_total", "hr", "ci_low", "ci_high", "p_value"}

NCT_RE = re.compile(r"NCT[\s\-]?(\d{4})[\s\-]?(\d{4})", re.IGNORECASE)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\uff5e\u301c~"), "-")   # (and "12.5～18.3", NFKC "~")
_DASHES.update(dict.fromkeys(map(ord, "\u00b7\u2219\u22c5"), "."))   # decimal points "9·7", "9∙7" (read as "9.7")
_NUM_RE = re.compile(r"^[<>≤≥=]?-?\d+(?:\.\d+)?$")
_NR = {"nr", "notreached", "n.r.", "notyetreached", "notestimable", "ne"}
_ENDPOINT_ALIASES = {"MPFS": "PFS", "MOS": "OS", "MDOR": "DOR", "PATHCR": "PCR", "PCRRATE": "PCR"}
_UNIT_ALIASES = {"month": "months", "mo": "months", "mos": "months", "week": "weeks", "wk": "weeks",
                 "wks": "weeks", "year": "years", "yr": "years", "yrs": "years", "percent": "%"}


# --------------------------------------------------------------------------
# normalization


def norm_text(s: Any) -> str:
    """For fragment containment: NFKC, lower case, no whitespace, hyphens, dashes or '|'; a decimal written with a
    comma or a raised point ("58,8", "9·7") as the pipeline's saved text writes it ("58.8": pipeline/ingest/text.py)."""
    s = unicodedata.normalize("NFKC", str(s or "")).translate(_DASHES).lower()
    s = re.sub(r"(?<=\d)[,\u00b7\u2219\u22c5](?=\d)", ".", s)
    return re.sub(r"[\s|-]+", "", s)


def norm_nct(s: Any) -> str:
    m = NCT_RE.search(str(s or ""))
    return f"NCT{m.group(1)}{m.group(2)}" if m else ""


def norm_value(s: Any) -> str:
    v = unicodedata.normalize("NFKC", str(s or "")).translate(_DASHES).strip().lower()
    v = re.sub(r"\s+", "", v).rstrip("%")
    if v in _NR:
        return "NR"
    return v


def _float(v: str) -> Optional[float]:
    if _NUM_RE.match(v) and not v[0] in "<>≤≥=":
        return float(v)
    return None


def value_equal(gold: Any, pred: Any) -> bool:
    """Gold may be a list of accepted alternatives."""
    if isinstance(gold, (list, tuple)):
        return any(value_equal(g, pred) for g in gold)
    g, p = norm_value(gold), norm_value(pred)
    fg, fp = _float(g), _float(p)
    if fg is not None and fp is not None:
        return abs(fg - fp) <= 1e-6
    return g == p


def norm_endpoint(s: Any) -> str:
    e = re.sub(r"[\s\-_]", "", str(s or "")).upper()
    return _ENDPOINT_ALIASES.get(e, e)


def norm_drug(s: Any) -> str:
    parts = [re.sub(r"\s+", " ", p).strip().lower() for p in str(s or "").translate(_DASHES).split("+")]
    return " + ".join(sorted(p for p in parts if p))


def norm_trial(s: Any) -> str:
    t = unicodedata.normalize("NFKC", str(s or "")).translate(_DASHES).upper().strip()
    # "DESTINY-PanTumor09" and "DESTINY-PANTUMOR-09" name one trial: hyphens and spaces do not count
    return re.sub(r"[\s_-]+", "", t)


def norm_phase(s: Any) -> str:
    p = str(s or "").upper().replace("PHASE", "")
    p = re.sub(r"\s+", "", p)
    return {"1": "I", "2": "II", "3": "III", "4": "IV", "1/2": "I/II", "2/3": "II/III"}.get(p, p)


def norm_unit(s: Any) -> str:
    u = str(s or "").strip().lower()
    return _UNIT_ALIASES.get(u, u)


def norm_attr(name: str, v: Any) -> str:
    if name in ("drug", "comparator"):
        return norm_drug(v)
    if name in ("trial", "based_on_trial"):
        return norm_trial(v)
    if name == "phase":
        return norm_phase(v)
    if name == "nct_id":
        return norm_nct(v) or str(v or "").strip().upper()
    if name == "unit":
        return norm_unit(v)
    if name in ("agency",):
        return str(v or "").strip().upper()
    if name in ("event", "cancer_type"):
        return str(v or "").strip().lower()
    if name in NUMERIC_DETAILS:
        return norm_value(v)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(v or "")).translate(_DASHES)).strip().lower()


def attr_equal(name: str, gold: Any, pred: Any) -> bool:
    if name in ("drug", "comparator") and " or " in str(pred or ""):
        # drugs a group received one or another of ("erlotinib or gefitinib"): right when the gold accepts each of them
        return all(attr_equal(name, gold, alt) for alt in str(pred).split(" or "))
    if isinstance(gold, (list, tuple)):
        return any(attr_equal(name, g, pred) for g in gold)
    if name in NUMERIC_DETAILS:
        return value_equal(gold, pred)
    return norm_attr(name, gold) == norm_attr(name, pred)


def _basename(s: Any) -> str:
    return Path(str(s or "")).name


# --------------------------------------------------------------------------
# loading


PARTS = ("all", "tune", "test", "extra")
# gold written later for the abstracts outside the fixed selection (extra/*.yaml): they had been
# looked at during development, so they are tuning material only, never part of the headline
EXTRA_DIR = "extra"


def doc_part(source_file: str) -> str:
    """The fixed split of per-document gold (tests/gold/abstracts/README.md), chosen before any
    result was seen: PMID odd -> "test", PMID even -> "tune"."""
    m = re.search(r"(\d+)", Path(source_file).stem)
    if not m:
        raise ValueError(f"{source_file}: no PMID in the file name, so no tuning/test part")
    return "test" if int(m.group(1)) % 2 else "tune"


def _load_doc_gold(gold_dir: Path, part: str) -> dict[str, Any]:
    """Per-document gold (docs/<file stem>.yaml, each exhaustive for all kinds)."""
    import yaml

    gold: dict[str, Any] = {"coverage": {k: set() for k in KINDS}, "entries": {k: [] for k in KINDS},
                            "negatives": {k: [] for k in KINDS}}
    paths = [(p, "") for p in sorted((gold_dir / "docs").glob("*.yaml"))]
    paths += [(p, "extra") for p in sorted((gold_dir / EXTRA_DIR).glob("*.yaml"))]
    for path, extra in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        src = _basename(data.get("source_file") or path.stem + ".txt")
        if part != "all" and (extra or doc_part(src)) != part:
            continue
        for kind in KINDS:
            gold["coverage"][kind].add(src)
            for e in data.get(kind) or []:
                gold["entries"][kind].append({"source_file": src, "section": CONTENT_SECTION, **dict(e)})
            for n in (data.get("negatives") or {}).get(kind) or []:
                gold["negatives"][kind].append({"source_file": src, **dict(n)})
    return gold


def load_gold(gold_dir: str | Path, part: str = "all") -> dict[str, Any]:
    """{'coverage': {kind: set(files)}, 'entries': {kind: [..]}, 'negatives': {kind: [..]}}.
    A folder with docs/*.yaml holds per-document gold; `part` then keeps the tuning or the
    test part only."""
    import yaml

    gold_dir = Path(gold_dir)
    if (gold_dir / "docs").is_dir():
        return _load_doc_gold(gold_dir, part)
    cov_raw = yaml.safe_load((gold_dir / "coverage.yaml").read_text(encoding="utf-8")) or {}
    gold: dict[str, Any] = {"coverage": {}, "entries": {}, "negatives": {}}
    for kind in KINDS:
        gold["coverage"][kind] = {_basename(f) for f in (cov_raw.get(kind) or [])}
        path = gold_dir / GOLD_FILES[kind]
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []
        if isinstance(data, dict):
            entries, negatives = data.get("entries") or [], data.get("negatives") or []
        else:
            entries, negatives = data or [], []
        gold["entries"][kind] = [dict(e) for e in entries]
        gold["negatives"][kind] = [dict(n) for n in negatives]
    return gold


def load_mentions(mentions_dir: str | Path) -> dict[str, list[dict[str, str]]]:
    mentions_dir = Path(mentions_dir)
    out: dict[str, list[dict[str, str]]] = {}
    for kind in KINDS:
        path = mentions_dir / MENTION_FILES[kind]
        if not path.exists():
            out[kind] = []
            continue
        with path.open(encoding="utf-8", newline="") as f:
            out[kind] = [{k: (v if v is not None else "") for k, v in row.items()} for row in csv.DictReader(f)]
    return out


# --------------------------------------------------------------------------
# scoring


def _is_required(g: Mapping[str, Any]) -> bool:
    return not g.get("optional") and (g.get("section") or CONTENT_SECTION) == CONTENT_SECTION


def _fragment_in(g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    frag = norm_text(g.get("sentence", ""))
    return bool(frag) and frag in norm_text(p.get("sentence", ""))


def _key_match(kind: str, g: Mapping[str, Any], p: Mapping[str, Any]) -> bool:
    """Value identity of a gold row and a predicted row (same document assumed)."""
    if kind == "trial":
        return norm_nct(g.get("nct_id")) == norm_nct(p.get("nct_id")) and _fragment_in(g, p)
    if kind == "endpoint":
        if "endpoint" in g and norm_endpoint(p.get("endpoint")) not in (
                [norm_endpoint(x) for x in g["endpoint"]] if isinstance(g["endpoint"], list) else [norm_endpoint(g["endpoint"])]):
            return False
        if "value" in g:
            if not value_equal(g["value"], p.get("value", "")):
                return False
        elif "hr" in g:
            if not value_equal(g["hr"], p.get("hr", "")):
                return False
        return _fragment_in(g, p)
    if kind == "approval":
        for name in ("agency", "event"):
            if name in g and not attr_equal(name, g[name], p.get(name, "")):
                return False
        return _fragment_in(g, p)
    raise ValueError(kind)


def _compare(kind: str, g: Mapping[str, Any], p: Mapping[str, Any], attrs: Iterable[str]) -> dict[str, bool]:
    return {a: attr_equal(a, g[a], p.get(a, "")) for a in attrs if a in g}


def _agreement(kind: str, g: Mapping[str, Any], p: Mapping[str, Any]) -> float:
    core = _compare(kind, g, p, CORE_ATTRS[kind])
    det = _compare(kind, g, p, DETAIL_ATTRS[kind])
    return sum(core.values()) + 0.01 * sum(det.values())


def _pair(kind: str, golds: Sequence[Mapping[str, Any]], preds: Sequence[Mapping[str, Any]]
          ) -> tuple[dict[int, int], dict[int, list[int]]]:
    """One-to-one pairing. Returns (pred index -> gold index, pred index -> gold indices it key-matches)."""
    by_doc: dict[str, list[int]] = {}
    for gi, g in enumerate(golds):
        by_doc.setdefault(_basename(g.get("source_file")), []).append(gi)
    cands: list[tuple[int, float, int, int]] = []
    matches: dict[int, list[int]] = {}
    for pi, p in enumerate(preds):
        for gi in by_doc.get(_basename(p.get("source_file")), []):
            g = golds[gi]
            if _key_match(kind, g, p):
                matches.setdefault(pi, []).append(gi)
                cands.append((0 if _is_required(g) else 1, -_agreement(kind, g, p), gi, pi))
    cands.sort()
    g_used: set[int] = set()
    assigned: dict[int, int] = {}
    for _, _, gi, pi in cands:
        if gi in g_used or pi in assigned:
            continue
        g_used.add(gi)
        assigned[pi] = gi
    return assigned, matches


def _ratio(num: int, den: int) -> Optional[float]:
    return round(num / den, 4) if den else None


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _attr_table(kind: str, pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]], attrs: Sequence[str],
                errors: Optional[list[dict[str, Any]]] = None) -> dict[str, Any]:
    table: dict[str, Any] = {}
    tot_ok = tot_n = 0
    for a in attrs:
        ok = n = 0
        for g, p in pairs:
            if a not in g:
                continue
            n += 1
            if attr_equal(a, g[a], p.get(a, "")):
                ok += 1
            elif errors is not None:
                errors.append({"source_file": g.get("source_file"), "sentence": g.get("sentence"),
                               "key": _describe(kind, g), "attribute": a, "gold": g[a], "predicted": p.get(a, "")})
        table[a] = {"correct": ok, "total": n, "accuracy": _ratio(ok, n)}
        tot_ok += ok
        tot_n += n
    table["overall"] = {"correct": tot_ok, "total": tot_n, "accuracy": _ratio(tot_ok, tot_n)}
    return table


def _describe(kind: str, r: Mapping[str, Any]) -> str:
    if kind == "trial":
        return f"{norm_nct(r.get('nct_id')) or r.get('nct_id', '')} drug={r.get('drug', '')} cancer={r.get('cancer_type', '')}"
    if kind == "endpoint":
        v = r.get("value", "")
        v = "|".join(map(str, v)) if isinstance(v, (list, tuple)) else v
        hr = f" HR {r.get('hr')}" if r.get("hr") else ""
        return f"{r.get('endpoint', '')} {v}{r.get('unit', '')}{hr} drug={r.get('drug', '')}"
    d = r.get("drug", "")
    d = "|".join(d) if isinstance(d, (list, tuple)) else d
    return f"{r.get('agency', '')} {r.get('event', '')} drug={d} date={r.get('date', '')}"


def _row_ref(kind: str, r: Mapping[str, Any], sentence_chars: int = 220) -> dict[str, Any]:
    s = str(r.get("sentence", "") or "")
    return {"source_file": _basename(r.get("source_file")), "key": _describe(kind, r),
            "sentence": s if len(s) <= sentence_chars else s[:sentence_chars] + "..."}


def _negative_hits(kind: str, negatives: Sequence[Mapping[str, Any]], p: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    hits = []
    for n in negatives:
        if _basename(n.get("source_file")) != _basename(p.get("source_file")) or not _fragment_in(n, p):
            continue
        if "value" in n and not value_equal(n["value"], p.get("value", "")):
            continue
        if "endpoint" in n and norm_endpoint(n["endpoint"]) != norm_endpoint(p.get("endpoint")):
            continue
        if "event" in n and not attr_equal("event", n["event"], p.get("event", "")):
            continue
        hits.append(n)
    return hits


def _score_kind(kind: str, preds_all: Sequence[Mapping[str, Any]], gold: Mapping[str, Any]) -> dict[str, Any]:
    covered: set[str] = set(gold["coverage"].get(kind, set()))
    golds = [g for g in gold["entries"].get(kind, []) if _basename(g.get("source_file")) in covered]
    negatives = [n for n in gold["negatives"].get(kind, []) if _basename(n.get("source_file")) in covered]
    preds = [p for p in preds_all if _basename(p.get("source_file")) in covered]
    n_outside = len(preds_all) - len(preds)
    n_unscored = 0
    if kind == "trial":   # trial-name-only rows (no NCT id) are not scored
        n_unscored = sum(1 for p in preds if not norm_nct(p.get("nct_id")))
        preds = [p for p in preds if norm_nct(p.get("nct_id"))]

    assigned, matches = _pair(kind, golds, preds)
    errors: list[dict[str, Any]] = []
    fps: list[dict[str, Any]] = []
    neg_hits: list[dict[str, Any]] = []
    ignored = 0

    if kind == "trial":
        required = {(_basename(g["source_file"]), norm_nct(g["nct_id"])) for g in golds if _is_required(g)}
        known = {(_basename(g["source_file"]), norm_nct(g["nct_id"])) for g in golds}
        predicted: dict[tuple[str, str], Mapping[str, Any]] = {}
        for p in preds:
            predicted.setdefault((_basename(p.get("source_file")), norm_nct(p.get("nct_id"))), p)
        tp = len(required & set(predicted))
        fp_keys = sorted(set(predicted) - known)
        fn_keys = sorted(required - set(predicted))
        ignored = len((set(predicted) & known) - required)
        for k in fp_keys:
            fps.append(_row_ref(kind, predicted[k]))
        fns = []
        for k in fn_keys:
            g = next(g for g in golds if (_basename(g["source_file"]), norm_nct(g["nct_id"])) == k and _is_required(g))
            fns.append(_row_ref(kind, g))
        counts = _prf(tp, len(fp_keys), len(fn_keys))
        pairs = [(golds[gi], preds[pi]) for pi, gi in assigned.items() if _is_required(golds[gi])]
        n_occ = sum(1 for g in golds if _is_required(g))
        result = dict(counts)
        result["unit"] = "distinct (source_file, nct_id)"
        result["occurrences_paired"] = f"{len(pairs)}/{n_occ}"
    else:
        tp = fp = 0
        for pi, p in enumerate(preds):
            if pi in assigned:
                if _is_required(golds[assigned[pi]]):
                    tp += 1
                else:
                    ignored += 1
                continue
            gis = matches.get(pi, [])
            if any(not _is_required(golds[gi]) for gi in gis):
                ignored += 1
                continue
            fp += 1
            ref = _row_ref(kind, p)
            if gis:
                ref["duplicate_of"] = _describe(kind, golds[gis[0]])
            hits = _negative_hits(kind, negatives, p)
            if hits:
                ref["negative"] = hits[0].get("why", "")
                neg_hits.append(ref)
            fps.append(ref)
        matched_g = set(assigned.values())
        fns = [_row_ref(kind, g) for gi, g in enumerate(golds) if _is_required(g) and gi not in matched_g]
        result = _prf(tp, fp, len(fns))
        result["unit"] = "mentions"
        pairs = [(golds[gi], preds[pi]) for pi, gi in assigned.items() if _is_required(golds[gi])]

    result["n_gold_required"] = sum(1 for g in golds if _is_required(g))
    result["n_predicted"] = len(preds)
    result["n_ignored"] = ignored
    result["n_outside_coverage"] = n_outside
    result["n_without_nct_id"] = n_unscored
    result["attribution"] = _attr_table(kind, pairs, CORE_ATTRS[kind], errors)
    result["details"] = _attr_table(kind, pairs, DETAIL_ATTRS[kind]) if DETAIL_ATTRS[kind] else {}
    result["false_negatives"] = fns
    result["false_positives"] = fps
    result["negative_hits"] = neg_hits
    result["attribution_errors"] = errors
    return result


def score(pred_rows_by_kind: Mapping[str, Sequence[Mapping[str, Any]]], gold: Mapping[str, Any] | str | Path
          ) -> dict[str, Any]:
    """Score predicted mention rows (dicts with MENTION_COLUMNS + provenance columns, per kind)
    against gold (as returned by load_gold, or a gold directory). Pure apart from reading a
    gold directory when given one."""
    if not isinstance(gold, Mapping):
        gold = load_gold(gold)
    return {kind: _score_kind(kind, list(pred_rows_by_kind.get(kind, []) or []), gold) for kind in KINDS}


def extract_rows(corpus: str | Path, files: Optional[Iterable[str]] = None) -> dict[str, list[dict[str, Any]]]:
    """Run ingestion, NLP and extraction in this process (no flow, no store) over the files of a
    corpus folder (all of them, or the named ones) and return mention rows per kind."""
    from pipeline.config import Settings, rules_hash
    from pipeline.ingest import list_corpus
    from pipeline.model import mention_to_row
    from pipeline.process import process_file

    settings = Settings.resolve(corpus=str(corpus))
    key = rules_hash(settings.rules_dir)
    wanted = set(files) if files is not None else None
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for path in list_corpus(settings.corpus):
        if wanted is not None and path.name not in wanted:
            continue
        res = process_file(path, settings, key)
        for m in res.mentions:
            rows[m.kind].append({k: ("" if v is None else v) for k, v in mention_to_row(m).items()})
    return rows


def score_corpus(corpus: str | Path, gold_dir: str | Path, part: str = "all") -> dict[str, Any]:
    """Extract the documents the gold covers (of one part) from `corpus` and score them."""
    gold = load_gold(gold_dir, part)
    files = set().union(*gold["coverage"].values())
    return score(extract_rows(corpus, files), gold)


def score_dir(mentions_dir: str | Path = "extracted/mentions", gold_dir: str | Path = "tests/gold") -> dict[str, Any]:
    """Score the mention CSVs of a directory against the gold of another."""
    return score(load_mentions(mentions_dir), load_gold(gold_dir))


# --------------------------------------------------------------------------
# report


def _fmt(x: Optional[float]) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def format_report(result: Mapping[str, Any], verbose: bool = False) -> str:
    lines = []
    lines.append(f"{'kind':<9} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}   attribution")
    for kind in KINDS:
        r = result[kind]
        att = r["attribution"]
        parts = [f"{a} {_fmt(att[a]['accuracy'])} ({att[a]['correct']}/{att[a]['total']})" for a in CORE_ATTRS[kind]]
        ov = att["overall"]
        lines.append(f"{kind:<9} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f} {r['tp']:>5} {r['fp']:>5} "
                     f"{r['fn']:>5}   overall {_fmt(ov['accuracy'])} ({ov['correct']}/{ov['total']}); " + "; ".join(parts))
    lines.append("")
    for kind in KINDS:
        r = result[kind]
        extra = f"  [{r['unit']}; {r['n_predicted']} predicted rows, {r['n_ignored']} on don't-care gold"
        if kind == "trial":
            extra += f", {r['n_without_nct_id']} without NCT id (not scored), occurrences paired {r['occurrences_paired']}"
        extra += f", {r['n_outside_coverage']} outside coverage]"
        lines.append(f"{kind}:{extra}")
        if r["details"]:
            det = "; ".join(f"{a} {_fmt(v['accuracy'])} ({v['correct']}/{v['total']})"
                            for a, v in r["details"].items() if a != "overall" and v["total"])
            if det:
                lines.append(f"  details (information only): {det}")
        if r["negative_hits"]:
            lines.append(f"  NEGATIVE HITS: {len(r['negative_hits'])}")
        if verbose:
            for title, rows in (("false negatives", r["false_negatives"]), ("false positives", r["false_positives"])):
                if rows:
                    lines.append(f"  {title} ({len(rows)}):")
                    for x in rows:
                        tag = ""
                        if x.get("negative"):
                            tag = f"  <- NEGATIVE ({x['negative']})"
                        elif x.get("duplicate_of"):
                            tag = "  <- duplicate"
                        lines.append(f"    {x['source_file']}: {x['key']} | {x['sentence']}{tag}")
            if r["attribution_errors"]:
                lines.append(f"  attribution errors ({len(r['attribution_errors'])}):")
                for e in r["attribution_errors"]:
                    lines.append(f"    {e['source_file']}: {e['key']}: {e['attribute']} gold={e['gold']!r} "
                                 f"predicted={e['predicted']!r} | {e['sentence']}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m her2tools.evaluate",
                                 description="Score extracted mentions against the hand-checked gold set.")
    ap.add_argument("--mentions", default="extracted/mentions", help="folder with trials.csv, endpoints.csv, approvals.csv")
    ap.add_argument("--gold", default="tests/gold", help="gold folder (coverage.yaml, trials/endpoints/approvals.yaml)")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--verbose", "-v", action="store_true", help="list false negatives, false positives and attribution errors")
    ap.add_argument("--corpus", help="extract these documents in-process instead of reading --mentions "
                    "(e.g. ../shared/datasets/pubmed_oncology with --gold tests/gold/abstracts)")
    ap.add_argument("--part", choices=PARTS, default="all",
                    help="per-document gold only: the tuning part, the test part (the headline), the extra "
                         "tuning-only abstracts (gold written after development had looked at them), or all")
    args = ap.parse_args(argv)
    if args.corpus:
        result = score_corpus(args.corpus, args.gold, args.part)
    else:
        result = score(load_mentions(args.mentions), load_gold(args.gold, args.part))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        print(format_report(result, verbose=args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
