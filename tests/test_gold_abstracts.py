"""Gold on 150 real PubMed trial abstracts nobody tuned the rules on (issue 11), and the bars.

(a) the gold itself: the selection and the split follow the fixed rules of
    tests/gold/abstracts/README.md, every fragment is verbatim in its abstract, every value is
    written in its fragment, fields use the shared vocabularies;
(b) the extraction, run in-process on the abstracts, against bars equal to the figures
    reached: the test part is the headline (rules were never changed while looking at it),
    the tuning part is reported beside it. A drop between the two is information.

The abstracts live in ../shared/datasets/pubmed_oncology/ (publishers' copyright, not copied
into the project); without that folder these tests skip with the reason.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import pytest
import yaml

from conftest import shared_or_skip
from her2tools import evaluate as ev

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "abstracts"
DOCS = sorted((GOLD / "docs").glob("*.yaml"))
EXTRA = sorted((GOLD / ev.EXTRA_DIR).glob("*.yaml"))    # tuning only: seen during development

ENDPOINTS = {"ORR", "DCR", "CBR", "PCR", "PFS", "OS", "DFS", "IDFS", "EFS", "RFS", "TTP", "TTF", "DOR"}
CANCERS = {"breast", "gastric", "gastroesophageal", "nsclc", "urothelial", "biliary", "colorectal", "other"}
EVENTS = {"approval", "accelerated_approval", "conditional_approval", "fast_track", "breakthrough_therapy",
          "priority_review", "orphan_drug", "guideline_recommendation"}
UNITS = {"%", "months", "weeks", "years"}

# Figures reached (python -m her2tools.evaluate --corpus ../shared/datasets/pubmed_oncology
# --gold tests/gold/abstracts --part test|tune). A regression below any of them fails.
BARS = {
    "test": {"endpoint": {"precision": 0.9076, "recall": 0.7804, "drug": 0.7647, "trial": 0.9162, "cancer_type": 0.9341},
             "approval": {"f1": 0.8571}, "trial": {"precision": 1.0000, "recall": 1.0000}},
    "tune": {"endpoint": {"precision": 0.9789, "recall": 0.9858, "drug": 0.9615, "trial": 0.9928, "cancer_type": 1.0000},
             "approval": {"f1": 1.0000}, "trial": {"precision": 1.0000, "recall": 1.0000}},
    "extra": {"endpoint": {"precision": 0.9787, "recall": 0.9634, "drug": 0.9563, "trial": 0.9891, "cancer_type": 0.9837},
              "approval": {"f1": 0.8000}, "trial": {"precision": 1.0000, "recall": 1.0000}},
}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _as_list(v):
    return v if isinstance(v, list) else [v]


# ---------------------------------------------------------------- (a) the gold


def test_selection_and_split_follow_the_fixed_rules():
    """All 57 HER2 abstracts + the 93 others with the smallest sha256(PMID); PMID odd = test part."""
    index = shared_or_skip("datasets", "pubmed_oncology", "index.csv")
    rows = list(csv.DictReader(index.open(encoding="utf-8")))
    her2 = {r["file"] for r in rows if r["her2_drug"] == "yes"}
    others = sorted((r for r in rows if r["her2_drug"] != "yes"),
                    key=lambda r: hashlib.sha256(r["pmid"].encode()).hexdigest())[:93]
    expected = her2 | {r["file"] for r in others}
    selection = list(csv.DictReader((GOLD / "selection.csv").open(encoding="utf-8")))
    assert {r["file"] for r in selection} == expected and len(expected) == 150
    assert {p.stem + ".txt" for p in DOCS} == expected          # every selected abstract is annotated
    for r in selection:
        assert r["part"] == ev.doc_part(r["file"]) == ("test" if int(r["pmid"]) % 2 else "tune")
    test_part = [r for r in selection if r["part"] == "test"]
    assert len(test_part) >= 50 and sum(r["her2_drug"] == "yes" for r in test_part) >= 20


def check_doc_gold(path: Path, text: str) -> dict[str, int]:
    """One per-document gold file against its text: every fragment verbatim, every value written in
    its fragment, fields from the shared vocabularies. Returns its required entries per kind."""
    data = _load(path)
    assert set(data) <= {"source_file", "trial", "endpoint", "approval", "negatives"}, path.name
    assert data["source_file"] == path.stem + ".txt"
    n = {"trial": 0, "endpoint": 0, "approval": 0}
    for kind in n:
        for e in data.get(kind) or []:
            where = f"{path.name} {kind} {e.get('sentence')!r}"
            assert e["sentence"] in text, where
            n[kind] += not e.get("optional")
            if kind == "endpoint":
                assert set(_as_list(e["endpoint"])) <= ENDPOINTS, where
                if "unit" in e:
                    assert e["unit"] in UNITS, where
                if "value" in e and not e.get("optional"):
                    frag = re.sub(r"\s", "", re.sub(r"[\u00b7\u2219]|(?<=\d),(?=\d)", ".", e["sentence"]))
                    assert any(str(v).lstrip("<>") in frag or str(v).upper() == "NR"
                               or str(v).split("-")[0] in frag for v in _as_list(e["value"])), where
            if "cancer_type" in e:
                assert set(_as_list(e["cancer_type"])) <= CANCERS, where
            if kind == "approval":
                assert e["event"] in EVENTS, where
            if kind == "trial":
                assert re.fullmatch(r"NCT\d{8}", e["nct_id"]), where
                assert re.sub(r"\s", "", e["nct_id"]) in re.sub(r"\s", "", text), where
    for kind, negs in (data.get("negatives") or {}).items():
        assert kind in ("endpoint", "approval"), path.name
        for neg in negs:
            assert neg["sentence"] in text, f"{path.name} negative {neg['sentence']!r}"
    return n


def test_gold_fragments_are_verbatim_and_fields_use_the_vocabularies():
    folder = shared_or_skip("datasets", "pubmed_oncology")
    n = {"trial": 0, "endpoint": 0, "approval": 0}
    for path in DOCS + EXTRA:
        text = (folder / (path.stem + ".txt")).read_text(encoding="utf-8")
        for kind, k in check_doc_gold(path, text).items():
            n[kind] += k
    # the minimum: at least 150 abstracts, about 150 values and 40 events across the set
    assert n["endpoint"] >= 500 and n["approval"] >= 25 and n["trial"] >= 50


def test_every_nct_id_of_the_abstracts_is_in_the_gold():
    folder = shared_or_skip("datasets", "pubmed_oncology")
    for path in DOCS + EXTRA:
        data = _load(path)
        text = (folder / data["source_file"]).read_text(encoding="utf-8")
        found = {f"NCT{a}{b}" for a, b in re.findall(r"\bNCT[\s-]?(\d{4})[\s-]?(\d{4})\b", text)}
        assert found == {e["nct_id"] for e in data.get("trial") or []}, path.name


# ---------------------------------------------------------------- (b) the bars


@pytest.fixture(scope="module")
def abstract_rows():
    folder = shared_or_skip("datasets", "pubmed_oncology")
    return ev.extract_rows(folder, {p.stem + ".txt" for p in DOCS + EXTRA})


@pytest.mark.parametrize("part", ["test", "tune", "extra"])
def test_extraction_on_unseen_abstracts_meets_the_bars(abstract_rows, part):
    result = ev.score(abstract_rows, ev.load_gold(GOLD, part))
    bars = BARS[part]
    e, a, t = result["endpoint"], result["approval"], result["trial"]
    assert e["precision"] >= bars["endpoint"]["precision"], ev.format_report(result)
    assert e["recall"] >= bars["endpoint"]["recall"], ev.format_report(result)
    for attr in ("drug", "trial", "cancer_type"):
        assert e["attribution"][attr]["accuracy"] >= bars["endpoint"][attr], ev.format_report(result)
    assert a["f1"] >= bars["approval"]["f1"], ev.format_report(result)
    assert t["precision"] >= bars["trial"]["precision"] and t["recall"] >= bars["trial"]["recall"]
    # no negated or hypothetical regulatory statement is extracted as an event
    assert not a["negative_hits"], a["negative_hits"]


def test_the_split_is_the_one_documented():
    """The scorer's part of a file is the documented rule, and loading a part keeps only its files."""
    gold_test = ev.load_gold(GOLD, "test")
    gold_tune = ev.load_gold(GOLD, "tune")
    files_test = gold_test["coverage"]["endpoint"]
    files_tune = gold_tune["coverage"]["endpoint"]
    assert files_test and files_tune and not files_test & files_tune
    assert all(int(re.search(r"\d+", f).group()) % 2 == 1 for f in files_test)
    assert len(files_test | files_tune) == len(DOCS)
    # the extra abstracts are outside the selection and never in the test part
    files_extra = ev.load_gold(GOLD, "extra")["coverage"]["endpoint"]
    assert len(files_extra) == len(EXTRA) == 91 and not files_extra & (files_test | files_tune)
