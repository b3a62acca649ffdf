"""The hand-checked gold set (tests/gold/) and the scorer (her2tools/evaluate.py).

(a) the gold itself: fragments are verbatim, fields use the shared vocabularies, the
    minimum counts of the issue are met, every NCT id of the corpus is in the gold;
(b) the scorer, on hand-made predicted rows taken from realistic corpus sentences.
The test that runs the real extractor against the bars is the lead's (it needs extraction).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from her2tools import evaluate as ev
from pipeline.model import MENTION_COLUMNS, PROVENANCE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold"
CORPUS = ROOT / "corpus"
DOCS = sorted(p.name for p in CORPUS.glob("*.txt"))

ENDPOINTS = {"ORR", "PFS", "OS", "DCR", "DFS", "TTP", "PCR", "DOR", "CBR", "EFS", "IDFS"}
UNITS = {"%", "months", "weeks", "years"}
CANCERS = {"breast", "gastric", "gastroesophageal", "nsclc", "urothelial", "biliary", "colorectal", "other"}
REGULATORS = {"FDA", "EMA", "NMPA", "PMDA", "Health Canada", "MHRA"}
GUIDELINE_BODIES = {"NCCN", "CSCO", "ESMO", "ASCO"}
EVENTS = {"approval", "accelerated_approval", "conditional_approval", "fast_track", "breakthrough_therapy",
          "priority_review", "orphan_drug", "guideline_recommendation"}
SECTIONS = {"content", "references", "abbreviations", "chrome", "back_matter"}
# Canonical lower-case generic names (or code names for agents without one) used in the gold.
DRUGS = {
    "trastuzumab", "pertuzumab", "trastuzumab emtansine", "trastuzumab deruxtecan", "disitamab vedotin",
    "zanidatamab", "trastuzumab duocarmazine", "tucatinib", "lapatinib", "neratinib", "pyrotinib",
    "poziotinib", "margetuximab", "inetetamab", "anbenitamab", "zenocutuzumab", "capecitabine", "docetaxel",
    "paclitaxel", "vinorelbine", "chemotherapy", "pembrolizumab", "nivolumab", "tremelimumab", "ramucirumab",
    "afatinib", "apatinib", "aromatase inhibitor", "xmt-1522", "bay2701439",
}
META = {"source_file", "sentence", "section", "optional", "note"}
ISO_DATE = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
PHASE = re.compile(r"^(I|II|III|IV)[ab]?(/(I|II|III|IV)[ab]?)?$")
NCT_ANY = re.compile(r"\bNCT[\s\-]?\d{4}[\s\-]?\d{4}\b")


def _load(name):
    data = yaml.safe_load((GOLD / name).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return data.get("entries") or [], data.get("negatives") or []
    return data or [], []


TRIALS, _ = _load("trials.yaml")
ENDPOINT_ROWS, ENDPOINT_NEG = _load("endpoints.yaml")
APPROVAL_ROWS, APPROVAL_NEG = _load("approvals.yaml")
BY_KIND = {"trial": TRIALS, "endpoint": ENDPOINT_ROWS, "approval": APPROVAL_ROWS}


def _text(name):
    return (CORPUS / name).read_text(encoding="utf-8")


def _alts(v):
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _required(rows):
    return [r for r in rows if not r.get("optional") and r.get("section", "content") == "content"]


# ---------------------------------------------------------------- (a) the gold


@pytest.mark.parametrize("kind", ["trial", "endpoint", "approval"])
def test_gold_rows_are_verbatim_and_in_known_documents(kind):
    rows = BY_KIND[kind] + (ENDPOINT_NEG if kind == "endpoint" else APPROVAL_NEG if kind == "approval" else [])
    assert rows
    for r in rows:
        assert r["source_file"] in DOCS, r
        frag = r["sentence"]
        assert isinstance(frag, str) and len(frag) >= 8, r
        assert frag in _text(r["source_file"]), f"not verbatim in {r['source_file']}: {frag!r}"


@pytest.mark.parametrize("kind", ["trial", "endpoint", "approval"])
def test_gold_fields_use_the_mention_contract_and_vocabularies(kind):
    allowed = set(MENTION_COLUMNS[kind]) | META
    for r in BY_KIND[kind]:
        assert set(r) <= allowed, f"unknown fields {set(r) - allowed} in {r}"
        assert r.get("section", "content") in SECTIONS, r
        for c in _alts(r.get("cancer_type", [])):
            assert c in CANCERS, r
        for field in ("drug", "comparator"):
            for d in _alts(r.get(field, [])):
                parts = d.split(" + ")
                assert parts == sorted(parts), f"combination not sorted: {d!r}"
                assert all(p in DRUGS for p in parts), f"{field} {d!r} not in the gold drug vocabulary"
        for t in _alts(r.get("trial", [])) + _alts(r.get("based_on_trial", [])):
            assert t == t.upper() and " " not in t, f"trial not normalized: {t!r}"
        if "nct_id" in r:
            assert re.fullmatch(r"NCT\d{8}", r["nct_id"]), r
        if "phase" in r:
            assert PHASE.match(r["phase"]), r


def test_endpoint_rows_are_well_formed():
    for r in ENDPOINT_ROWS:
        assert r["endpoint"] in ENDPOINTS, r
        if not r.get("optional"):
            assert "value" in r or "hr" in r, r
            assert r.get("unit") in UNITS, r
            assert "cancer_type" in r, r
        # the value (or one accepted form of it) is printed in the quoted fragment
        if "value" in r:
            assert any(str(v).lstrip("<>") in r["sentence"] for v in _alts(r["value"])), r
        if "comparator_value" in r:
            assert str(r["comparator_value"]) in r["sentence"], r
        for v in _alts(r.get("value", [])):
            assert re.fullmatch(r"[<>]?\d+(\.\d+)?(-\d+(\.\d+)?)?|NR", str(v)), r


def test_approval_rows_are_well_formed():
    for r in APPROVAL_ROWS:
        assert r["event"] in EVENTS, r
        if "agency" in r:
            if r["event"] == "guideline_recommendation":
                assert r["agency"] in GUIDELINE_BODIES, r
            else:
                assert r["agency"] in REGULATORS, r
        if not r.get("optional"):
            assert {"agency", "drug", "cancer_type", "date"} <= set(r), r
        if r.get("date"):
            m = ISO_DATE.match(str(r["date"]))
            assert m, r
            assert m.group(1) in r["sentence"], f"year not in the fragment: {r}"


def test_minimum_counts_of_the_issue():
    assert len(_required(ENDPOINT_ROWS)) >= 60
    assert len(_required(APPROVAL_ROWS)) >= 25
    assert len(ENDPOINT_NEG) >= 3 and len(APPROVAL_NEG) >= 3


def test_coverage_names_every_document_for_every_kind():
    cov = yaml.safe_load((GOLD / "coverage.yaml").read_text(encoding="utf-8"))
    for kind in ("trial", "endpoint", "approval"):
        assert sorted(cov[kind]) == DOCS, kind


def _reference_list_start(text: str) -> int:
    """Offset where the document's reference list begins (len(text) when it has none)."""
    starts = [m.start() for m in re.finditer(r"(?m)^\s*(References|REFERENCES)\s*$", text)]
    starts += [m.start() for m in re.finditer(r"(?m)^\s*•\s*\[1\]\s*$", text)]  # 003: "  • [1]"
    return min(starts) if starts else len(text)


def test_every_nct_id_of_the_corpus_is_in_the_trials_gold():
    content, references = set(), set()
    for name in DOCS:
        text = _text(name)
        cut = _reference_list_start(text)
        for m in NCT_ANY.finditer(text):
            key = (name, re.sub(r"[\s\-]", "", m.group(0)))
            (content if m.start() < cut else references).add(key)
    gold_content = {(r["source_file"], r["nct_id"]) for r in TRIALS if r.get("section", "content") == "content"}
    gold_refs = {(r["source_file"], r["nct_id"]) for r in TRIALS if r.get("section") == "references"}
    assert len(content) >= 100
    assert content == gold_content, (content ^ gold_content)
    assert references - content <= gold_refs


def test_trial_occurrences_are_distinct():
    seen = set()
    for r in TRIALS:
        key = (r["source_file"], r["nct_id"], r["sentence"], str(r.get("cancer_type")), str(r.get("drug")))
        assert key not in seen, r
        seen.add(key)


# ---------------------------------------------------------------- (b) the scorer

DOC = "000_295cffc29131faf6.txt"
S_MOUNT = ("The combination of tucatinib and trastuzumab demonstrated good efficacy in a phase II clinical "
           "trial (MOUNTAINEER) (ORR 55%, mPFS 6.2 months, OS 17.3 months) [164].")
S_LAPA = ("Lapatinib was approved by the FDA on March 13, 2007 for second-line treatment in patients with "
          "advanced or metastatic breast cancer with HER2 overexpression [54].")
S_DL02 = ("Subsequently, the follow-up study DESTINY-Lung02 revealed that administering T-DXd at a lower dosage "
          "significantly decreased the occurrence of interstitial pneumonia (ILD) and other adverse events, while "
          "sustaining an objective response rate (ORR) (5.9% vs. 14% for ILD incidence; 53.8% vs. 42.9% for ORR) [138].")
ROW_TDM1 = ("Ongoing clinical trials (stage) | NCT03529110 (III) NCT03084939(III) NCT04740918(III) | NCT02465060(II) | "
            "NCT04042701 (I) NCT05650879 (I) NCT02314481 (II) | NCT02465060(II) NCT02675829(II) | NCT02465060(II) | "
            "NCT02465060(II) NCT05578287 (II) NCT03225937 (II)")


def _small_gold():
    return {
        "coverage": {k: {DOC} for k in ev.KINDS},
        "entries": {
            "endpoint": [
                {"source_file": DOC, "section": "content", "sentence": "(ORR 55%, mPFS 6.2 months, OS 17.3 months)",
                 "endpoint": "ORR", "value": "55", "unit": "%", "drug": "trastuzumab + tucatinib",
                 "trial": "MOUNTAINEER", "cancer_type": "colorectal"},
                {"source_file": DOC, "section": "content", "sentence": "(ORR 55%, mPFS 6.2 months, OS 17.3 months)",
                 "endpoint": "PFS", "value": "6.2", "unit": "months", "drug": "trastuzumab + tucatinib",
                 "trial": "MOUNTAINEER", "cancer_type": "colorectal"},
                {"source_file": DOC, "section": "content", "sentence": "(ORR 55%, mPFS 6.2 months, OS 17.3 months)",
                 "endpoint": "OS", "value": "17.3", "unit": "months", "drug": "trastuzumab + tucatinib",
                 "trial": "MOUNTAINEER", "cancer_type": "colorectal"},
                {"source_file": DOC, "section": "content", "sentence": "53.8% vs. 42.9% for ORR", "endpoint": "ORR",
                 "value": "53.8", "comparator_value": "42.9", "unit": "%", "drug": "trastuzumab deruxtecan",
                 "trial": "DESTINY-LUNG02", "cancer_type": "nsclc"},
            ],
            "approval": [
                {"source_file": DOC, "section": "content",
                 "sentence": "Lapatinib was approved by the FDA on March 13, 2007 for second-line treatment",
                 "agency": "FDA", "event": "approval", "drug": "lapatinib", "date": "2007-03-13", "cancer_type": "breast"},
            ],
            "trial": [
                {"source_file": DOC, "section": "content", "nct_id": "NCT02465060", "phase": "II",
                 "drug": "trastuzumab emtansine", "cancer_type": "gastric",
                 "sentence": "NCT03529110 (III) NCT03084939(III) NCT04740918(III)\tNCT02465060(II)"},
                {"source_file": DOC, "section": "content", "nct_id": "NCT02465060", "phase": "II",
                 "drug": "trastuzumab emtansine", "cancer_type": "biliary",
                 "sentence": "NCT02465060(II) NCT02675829(II)\tNCT02465060(II)"},
                {"source_file": DOC, "section": "content", "nct_id": "NCT03529110", "phase": "III",
                 "drug": "trastuzumab emtansine", "cancer_type": "breast", "sentence": "NCT03529110 (III)"},
            ],
        },
        "negatives": {"trial": [], "approval": [],
                      "endpoint": [{"source_file": DOC, "sentence": "5.9% vs. 14% for ILD incidence", "value": "5.9"}]},
    }


def _row(kind, sentence, source_file=DOC, **fields):
    row = {c: "" for c in MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS}
    row.update(source_file=source_file, sentence=sentence, section="Colorectal cancer", page="1")
    row.update(fields)
    return row


def _perfect_small():
    return {
        "endpoint": [
            _row("endpoint", S_MOUNT, endpoint="ORR", value="55", unit="%", drug="tucatinib + trastuzumab",
                 trial="MOUNTAINEER", cancer_type="colorectal"),
            _row("endpoint", S_MOUNT, endpoint="PFS", value="6.2", unit="months", drug="trastuzumab + tucatinib",
                 trial="MOUNTAINEER", cancer_type="colorectal"),
            _row("endpoint", S_MOUNT, endpoint="OS", value="17.30", unit="months", drug="trastuzumab + tucatinib",
                 trial="Mountaineer", cancer_type="colorectal"),
            _row("endpoint", S_DL02, endpoint="ORR", value="53.8", comparator_value="42.9", unit="%",
                 drug="trastuzumab deruxtecan", trial="DESTINY-Lung02", cancer_type="nsclc"),
        ],
        "approval": [_row("approval", S_LAPA, agency="FDA", event="approval", drug="lapatinib", date="2007-03-13",
                          cancer_type="breast")],
        "trial": [
            _row("trial", ROW_TDM1, nct_id="NCT03529110", phase="III", drug="trastuzumab emtansine", cancer_type="breast"),
            _row("trial", ROW_TDM1, nct_id="NCT02465060", phase="II", drug="trastuzumab emtansine", cancer_type="biliary"),
            _row("trial", ROW_TDM1, nct_id="NCT02465060", phase="II", drug="trastuzumab emtansine", cancer_type="gastric"),
        ],
    }


def test_perfect_predictions_score_one():
    res = ev.score(_perfect_small(), _small_gold())
    for kind in ev.KINDS:
        r = res[kind]
        assert (r["precision"], r["recall"], r["f1"]) == (1.0, 1.0, 1.0), (kind, r)
        assert r["attribution"]["overall"]["accuracy"] == 1.0, (kind, r["attribution"])
        assert r["fp"] == 0 and r["fn"] == 0
    assert res["endpoint"]["tp"] == 4
    assert res["trial"]["tp"] == 2            # distinct ids, not cells
    assert res["trial"]["attribution"]["cancer_type"]["total"] == 3


def test_a_missing_row_lowers_recall_only():
    preds = _perfect_small()
    del preds["endpoint"][1]                  # the mPFS 6.2 months row
    r = ev.score(preds, _small_gold())["endpoint"]
    assert r["recall"] == 0.75 and r["precision"] == 1.0
    assert [x["key"].split()[0] for x in r["false_negatives"]] == ["PFS"]


def test_an_extra_row_lowers_precision_only():
    preds = _perfect_small()
    preds["endpoint"].append(_row("endpoint", S_DL02, endpoint="ORR", value="14", unit="%",
                                  drug="trastuzumab deruxtecan", cancer_type="nsclc"))
    r = ev.score(preds, _small_gold())["endpoint"]
    assert r["precision"] == 0.8 and r["recall"] == 1.0
    assert len(r["false_positives"]) == 1


def test_a_wrong_drug_lowers_attribution_not_value_f1():
    preds = _perfect_small()
    preds["endpoint"][0]["drug"] = "trastuzumab"            # tucatinib lost from the regimen
    preds["approval"][0]["drug"] = "neratinib"
    res = ev.score(preds, _small_gold())
    e, a = res["endpoint"], res["approval"]
    assert e["f1"] == 1.0 and a["f1"] == 1.0
    assert e["attribution"]["drug"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    assert e["attribution"]["trial"]["accuracy"] == 1.0
    assert a["attribution"]["drug"]["accuracy"] == 0.0
    assert a["attribution"]["overall"]["accuracy"] == round(2 / 3, 4)
    assert {x["attribute"] for x in e["attribution_errors"]} == {"drug"}


def test_a_wrong_cell_attribution_is_caught_in_tables():
    preds = _perfect_small()
    preds["trial"][2]["cancer_type"] = "biliary"            # both cells of NCT02465060 said biliary
    r = ev.score(preds, _small_gold())["trial"]
    assert r["f1"] == 1.0
    assert r["attribution"]["cancer_type"] == {"correct": 2, "total": 3, "accuracy": round(2 / 3, 4)}


def test_value_identity_needs_the_right_number_and_sentence():
    preds = _perfect_small()
    preds["endpoint"][0]["value"] = "55.1"                   # beyond the 1e-6 tolerance
    preds["endpoint"][3]["sentence"] = S_MOUNT               # right value, wrong sentence
    r = ev.score(preds, _small_gold())["endpoint"]
    assert (r["tp"], r["fp"], r["fn"]) == (2, 2, 2)


def test_a_fragment_broken_at_a_line_end_matches_the_joined_sentence():
    """Gold copied from a hard-wrapped text keeps its line breaks and line-end hyphens; the text stage
    joins the lines (dropping a soft hyphen), so the comparison ignores both; other text must match."""
    gold = {"sentence": "median PFS was 5.8 months in the margetuximab group and 4.9 months in the trastu-\nzumab group"}
    joined = {"sentence": "Per central review, median PFS was 5.8 months in the margetuximab group and 4.9 months "
                          "in the trastuzumab group (hazard ratio, 0.76)."}
    assert ev._fragment_in(gold, joined)
    assert not ev._fragment_in(gold, {"sentence": joined["sentence"].replace("4.9", "4.6")})


def test_value_normalization():
    assert ev.value_equal("11", "11.0") and ev.value_equal("55", "55%") and ev.value_equal(["5.8-8.5", "5.8"], "5.8")
    assert ev.value_equal("NR", "not reached") and ev.value_equal("5.8-8.5", "5.8–8.5")
    assert not ev.value_equal("55", "55.0001") and not ev.value_equal("<0.001", "0.001")
    assert ev.norm_nct("NCT 0352-9110") == "NCT03529110" and ev.norm_nct("NCT-03529110") == "NCT03529110"
    assert ev.norm_drug("Trastuzumab + capecitabine+tucatinib") == "capecitabine + trastuzumab + tucatinib"
    assert ev.norm_trial("DESTINY Breast03") == ev.norm_trial("DESTINY-Breast-03") == "DESTINYBREAST03" and ev.norm_phase("Phase Ib/II") == "IB/II"


def test_negatives_are_reported_and_count_as_false_positives():
    preds = _perfect_small()
    preds["endpoint"].append(_row("endpoint", S_DL02, endpoint="ORR", value="5.9", unit="%"))
    r = ev.score(preds, _small_gold())["endpoint"]
    assert r["fp"] == 1 and len(r["negative_hits"]) == 1


def test_duplicates_optional_rows_and_uncovered_documents():
    gold = _small_gold()
    gold["entries"]["endpoint"].append({"source_file": DOC, "section": "content", "optional": True,
                                        "sentence": "a mere 5% to 10% five-year survival rate", "endpoint": "OS"})
    gold["entries"]["endpoint"].append({"source_file": DOC, "section": "references", "endpoint": "ORR", "value": "60",
                                        "sentence": "ORR 60% in the cited abstract"})
    preds = _perfect_small()
    preds["endpoint"].append(dict(preds["endpoint"][0]))     # same statement extracted twice
    preds["endpoint"].append(_row("endpoint", "Regrettably, the prognosis for advanced or metastatic gastric cancer "
                                  "remains dismal, with a mere 5% to 10% five-year survival rate [106].",
                                  endpoint="OS", value="10", unit="%"))
    preds["endpoint"].append(_row("endpoint", "ORR 60% in the cited abstract", endpoint="ORR", value="60", unit="%"))
    preds["endpoint"].append(_row("endpoint", S_MOUNT, source_file="009_other.txt", endpoint="ORR", value="1", unit="%"))
    r = ev.score(preds, gold)["endpoint"]
    assert (r["tp"], r["fp"], r["fn"]) == (4, 1, 0)
    assert r["n_ignored"] == 2 and r["n_outside_coverage"] == 1
    assert "duplicate_of" in r["false_positives"][0]


def test_real_gold_is_scored_perfectly_by_its_own_rows():
    """Rows built from the real gold (first accepted alternative of each field) must score 1.0:
    every fragment, list and optional entry is handled by the matcher."""
    gold = ev.load_gold(GOLD)
    preds = {k: [] for k in ev.KINDS}
    for kind in ev.KINDS:
        for g in gold["entries"][kind]:
            if g.get("optional") or g.get("section", "content") != "content":
                continue
            fields = {k: (_alts(v)[0] if k not in ("source_file", "sentence") else v) for k, v in g.items()
                      if k in MENTION_COLUMNS[kind]}
            text = _text(g["source_file"])
            # the realistic sentence: the whole line of the document holding the fragment, with
            # table cells joined as the extractor writes them
            start = text.rfind("\n", 0, text.index(g["sentence"])) + 1
            end = text.find("\n", start)
            line = text[start:end if end >= 0 else None]
            preds[kind].append(_row(kind, line.replace("\t", " | "), source_file=g["source_file"], **fields))
    res = ev.score(preds, gold)
    for kind in ev.KINDS:
        r = res[kind]
        assert (r["precision"], r["recall"]) == (1.0, 1.0), (kind, r["false_negatives"][:3], r["false_positives"][:3])
        assert r["attribution"]["overall"]["accuracy"] == 1.0, (kind, r["attribution_errors"][:3])
        assert r["negative_hits"] == []


def test_cli_reports_and_always_exits_zero(tmp_path, capsys):
    import csv

    mentions = tmp_path / "mentions"
    mentions.mkdir()
    rows = _perfect_small()
    for kind in ev.KINDS:
        with (mentions / ev.MENTION_FILES[kind]).open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS)
            w.writeheader()
            w.writerows(rows[kind])
    assert ev.main(["--mentions", str(mentions), "--gold", str(GOLD), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "endpoint" in out and "false negatives" in out
    assert ev.main(["--mentions", str(mentions), "--gold", str(GOLD), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["endpoint"]["tp"] == 4 and res["endpoint"]["fn"] == len(_required(ENDPOINT_ROWS)) - 4
    # an empty folder is reported, not an error
    assert ev.main(["--mentions", str(tmp_path / "none"), "--gold", str(GOLD)]) == 0
    direct = ev.score_dir(mentions, GOLD)
    assert direct["trial"]["tp"] == 2


def test_a_drug_of_alternatives_is_right_when_the_gold_accepts_each_of_them():
    # "response rates of 60-80% with gefitinib or erlotinib": the gold accepts either drug (or their class); the
    # extractor's "erlotinib or gefitinib" names only accepted readings; a combination of them does not
    gold = ["gefitinib", "erlotinib", "egfr tyrosine kinase inhibitor"]
    assert ev.attr_equal("drug", gold, "erlotinib or gefitinib")
    assert not ev.attr_equal("drug", gold, "erlotinib + gefitinib")
    assert not ev.attr_equal("drug", gold, "afatinib or gefitinib")       # one alternative the gold does not accept
    assert not ev.attr_equal("drug", "gefitinib + pemetrexed", "gefitinib or pemetrexed")
