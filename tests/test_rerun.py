"""Two real runs of the main flow over a changing corpus, with curation in between.

Run 1: reviews 000, 002 and 003. Curators then reject one fact, correct one and
accept two through the `curate` command (one of them a fact only review 002
states). Run 2: a short review on zanidatamab in biliary cancer is added
(tests/fixtures/added-review-zanidatamab-biliary.txt), 002 is removed and 000 is
edited (DESTINY-Gastric02's ORR changed from 41.8% to 42.5%); 003 is untouched.
The diff report of run 2 must list exactly the expected documents and facts,
and the curation decisions must still apply.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT

EDITED = "000_295cffc29131faf6.txt"
REMOVED = "002_a0f38ae1b1a028d1.txt"
KEPT = "003_2deb1f22f8bf69ef.txt"
ADDED = "added-review-zanidatamab-biliary.txt"
OLD_TEXT, NEW_TEXT = "ORR 41.8%", "ORR 42.5%"


def read_csv(p: Path) -> list[dict]:
    with p.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def facts_of(out: Path) -> dict[str, dict]:
    rows = {}
    for name in ("trials.csv", "endpoints.csv", "approvals.csv"):
        for r in read_csv(out / name):
            rows[r["fact_id"]] = r
    return rows


def find(facts: dict[str, dict], **fields) -> dict:
    hits = [f for f in facts.values() if all(f.get(k) == v for k, v in fields.items())]
    assert len(hits) == 1, (fields, hits)
    return hits[0]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    from prefect.testing.utilities import prefect_test_harness

    from pipeline.config import Settings
    from pipeline.curation import curate_command
    from pipeline.flows import main_flow

    work = tmp_path_factory.mktemp("rerun")
    corpus, out, rules = work / "corpus", work / "out", work / "rules"
    shutil.copytree(ROOT / "rules", rules)
    corpus.mkdir()
    for name in (EDITED, REMOVED, KEPT):
        shutil.copy(CORPUS / name, corpus / name)
    mp = pytest.MonkeyPatch()
    mp.setenv("HER2_RULES_DIR", str(rules))
    try:
        with prefect_test_harness(server_startup_timeout=120):
            s1 = main_flow(corpus=str(corpus), out=str(out))
            facts1 = facts_of(out)

            # curators decide on four facts of run 1
            settings = Settings.resolve(out=out, rules_dir=rules)
            decisions = {
                "reject": find(facts1, endpoint="ORR", trial="MOUNTAINEER")["fact_id"],
                "correct": find(facts1, endpoint="ORR", trial="KEYNOTE-811")["fact_id"],
                "accept": find(facts1, nct_id="NCT00680901")["fact_id"],
                "stale": next(i for i, f in sorted(facts1.items()) if f["sources"] == f"{REMOVED}:1"),
                "edited": find(facts1, endpoint="ORR", trial="DESTINY-GASTRIC02")["fact_id"],
            }
            curate_command(settings, decisions["reject"], "reject", None, "not a HER2-targeted result", "Ann")
            curate_command(settings, decisions["correct"], "correct", "74%", "rounded as in the primary paper", "Ann")
            curate_command(settings, decisions["accept"], "accept", None, "", "Bo")
            curate_command(settings, decisions["stale"], "accept", None, "checked", "Bo")

            # the corpus changes: one review added, one removed, one edited
            shutil.copy(ROOT / "tests" / "fixtures" / ADDED, corpus / ADDED)
            (corpus / REMOVED).unlink()
            text = (CORPUS / EDITED).read_text(encoding="utf-8")
            assert text.count(OLD_TEXT) == 1
            (corpus / EDITED).write_text(text.replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")
            s2 = main_flow(corpus=str(corpus), out=str(out))
    finally:
        mp.undo()
    return {"out": out, "s1": s1, "s2": s2, "facts1": facts1, "facts2": facts_of(out), "decisions": decisions}


def report_rows(run: dict, out: Path) -> list[dict]:
    return read_csv(out / "reports" / f"{run['run_id']}.csv")


def test_second_run_reuses_the_unchanged_review(two_runs):
    s2 = two_runs["s2"]
    assert s2["status"] == "ok" and s2["n_failed"] == 0
    assert s2["n_reused"] == 1                   # 003: same bytes, same rules, same code


def test_diff_lists_exactly_the_documents_added_removed_and_edited(two_runs):
    rows = report_rows(two_runs["s2"], two_runs["out"])
    docs = sorted((r["change"], r["source_file"]) for r in rows if r["record"] == "document")
    assert docs == [("added", ADDED), ("changed", EDITED), ("removed", REMOVED)]


def test_diff_lists_exactly_the_expected_facts(two_runs):
    f1, f2, out, d = two_runs["facts1"], dict(two_runs["facts2"]), two_runs["out"], two_runs["decisions"]
    # rejected: out of the exports, so for the curator removed (with the decision as the reason)
    rows = [r for r in report_rows(two_runs["s2"], out) if r["record"] == "fact"]
    by_change: dict[str, set[str]] = {}
    for r in rows:
        by_change.setdefault(r["change"], set()).add(r["fact_id"])
    assert sum(len(v) for v in by_change.values()) == len(rows)         # one row per fact

    # added: exactly the four facts of the new review (trial, ORR, DOR, FDA accelerated approval)
    added = {i: f2[i] for i in by_change["added"]}
    assert set(added) == set(f2) - set(f1)
    assert sorted(f.get("endpoint") or f.get("event") or "trial" for f in added.values()) == \
        ["DOR", "ORR", "accelerated_approval", "trial"]
    assert all(f["sources"] == f"{ADDED}:1" and f["drug"] == "zanidatamab" for f in added.values())
    # removed: exactly the facts only review 002 stated, and the rejected one
    assert by_change["removed"] == set(f1) - set(f2) and d["reject"] in by_change["removed"]
    assert all(f1[i]["sources"] == f"{REMOVED}:1" for i in by_change["removed"] - {d["reject"]})
    rej = next(r for r in rows if r["fact_id"] == d["reject"])
    assert rej["why"].startswith("curation decision: reject")
    # changed: the edited ORR and the curator's correction, and any fact whose value or status moved
    # because 002's mentions left it; nothing else
    shown = lambda f: tuple(f.get(k, "") for k in ("value", "unit", "hr", "ci_low", "ci_high", "phase", "date",  # noqa: E731
                                                  "status", "values"))
    moved = {i for i in set(f1) & set(f2) if shown(f1[i]) != shown(f2[i])}
    assert by_change["changed"] == moved
    assert {d["edited"], d["correct"]} <= moved
    assert all(i in (d["edited"], d["correct"]) or REMOVED in f1[i]["sources"] for i in moved)
    changed = {r["fact_id"]: r for r in rows if r["change"] == "changed"}
    e = changed[d["edited"]]
    assert (e["old_value"], e["new_value"]) == ("41.8%", "42.5%")
    assert e["quote"] == NEW_TEXT and e["source_file"] == EDITED and EDITED in e["why"]
    c = changed[d["correct"]]
    assert (c["old_value"], c["new_value"]) == ("74.4%", "74%") and "curation decision" in c["why"]


def test_curation_decisions_survive_the_rerun(two_runs):
    out, d, f2 = two_runs["out"], two_runs["decisions"], two_runs["facts2"]
    assert d["reject"] not in f2
    rejected = read_csv(out / "rejected.csv")
    assert [r["fact_id"] for r in rejected] == [d["reject"]] and rejected[0]["by"] == "Ann"
    corrected = f2[d["correct"]]
    assert (corrected["value"], corrected["unit"], corrected["value_num"], corrected["status"],
            corrected["curation"]) == ("74", "%", "74", "consistent", "corrected")
    assert corrected["curation_note"].startswith("extracted value: 74.4")
    assert f2[d["accept"]]["curation"] == "accepted"
    assert two_runs["s2"]["n_stale_decisions"] == 1
    stale = [r for r in report_rows(two_runs["s2"], out) if r["record"] == "stale_decision"]
    assert [r["fact_id"] for r in stale] == [d["stale"]]


def test_first_and_last_seen_runs_follow_the_facts(two_runs):
    f1, f2, s1, s2 = two_runs["facts1"], two_runs["facts2"], two_runs["s1"], two_runs["s2"]
    both = set(f1) & set(f2)
    assert both and all((f2[i]["first_seen_run"], f2[i]["last_seen_run"]) == (s1["run_id"], s2["run_id"])
                        for i in both)
    new = set(f2) - set(f1)
    assert new and all(f2[i]["first_seen_run"] == s2["run_id"] for i in new)


def test_cached_results_are_keyed_by_the_ner_settings():
    """A re-run with an NER model (or with its chemicals counted as drugs) must not reuse results
    extracted without it: those settings are part of the per-document cache key."""
    from dataclasses import replace

    from pipeline.config import Settings, extraction_key

    base = Settings.resolve()
    assert extraction_key(replace(base, ner_model="", model_drugs=False)) == ""
    with_model = extraction_key(replace(base, ner_model="models/en_her2_ner_bc5cdr"))
    as_drugs = extraction_key(replace(base, ner_model="models/en_her2_ner_bc5cdr", model_drugs=True))
    assert with_model and as_drugs and with_model != as_drugs
