"""Curation decisions: the file format (with line-numbered errors), the
`curate` command (through the real CLI and a real store), and apply_curation
on two runs (decisions survive a re-run; stale ones are found)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from test_diff import two_runs

from pipeline.curation import (
    EMPTY_FILE,
    Decision,
    apply_curation,
    decision_from_dict,
    decision_to_dict,
    dump_decisions,
    load_decisions,
    parse_decisions,
    rejected_rows,
    upsert_decision_text,
)
from pipeline.errors import CurationError


def test_the_committed_file_is_empty_and_documents_its_format():
    path = ROOT / "rules" / "curation.yaml"
    text = path.read_text(encoding="utf-8")
    assert load_decisions(path) == ()
    assert text.startswith("#") and "decisions: []" in text
    # the example in the header comment is itself a valid entry
    example = [ln[1:] for ln in text.splitlines() if ln.startswith("#   - ") or ln.startswith("#     ")]
    parsed = parse_decisions("decisions:\n" + "\n".join(example) + "\n")
    assert [(d.fact_id, d.action, d.value, d.date) for d in parsed] == [
        ("3f2a9c0d1e4b5a67", "correct", "79.7", "2026-11-22")]


def test_rules_loading_and_rules_hash_ignore_curation(tmp_path):
    from pipeline.config import rules_hash
    from pipeline.rules import load_rules

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    before = rules_hash(rules)
    (rules / "curation.yaml").write_text(upsert_decision_text(EMPTY_FILE, Decision("abc", "reject")), encoding="utf-8")
    assert rules_hash(rules) == before
    load_rules(rules)


@pytest.mark.parametrize("text, line, reason", [
    ("decisions:\n  - fact_id: a1\n    action: delete\n", 3, "action 'delete' is not one of accept|reject|correct"),
    ("decisions:\n  - fact_id: a1\n    action: reject\n    curator: Ann\n", 4, "unknown key 'curator'"),
    ("decisions:\n  - fact_id: a1\n    action: correct\n", 3, "action correct needs a value"),
    ("decisions:\n  - fact_id: a1\n    action: reject\n    value: '3'\n", 4, "value is only allowed with action correct"),
    ("decisions:\n  - action: reject\n", 2, "missing fact_id"),
    ("decisions:\n  - fact_id: a1\n    action: reject\n  - fact_id: a1\n    action: accept\n", 4,
     "fact a1 already has a decision at line "),
    ("decisions:\n  - fact_id: a1\n    action: accept\n    date: last week\n", 4, "not an ISO date"),
    ("decisions:\n  - fact_id: a1\n    action: [reject]\n", 3, "action must be a single value"),
    ("decisions:\n  - fact_id: a1\n  action: reject\n", 3, "not valid YAML"),
    ("decisions:\n  - fact_id: 'a1\n", 3, "not valid YAML"),
    ("decision:\n  - fact_id: a1\n", 1, "unknown top-level key 'decision'"),
    ("decisions:\n  fact_id: a1\n", 2, "'decisions' must be a list"),
    ("decisions:\n  - a1 reject\n", 2, "expected a mapping"),
])
def test_malformed_file_fails_with_its_line_and_reason(tmp_path, text, line, reason):
    path = tmp_path / "curation.yaml"
    path.write_text(EMPTY_FILE.replace("decisions: []\n", "") + text, encoding="utf-8")
    header = EMPTY_FILE.count("\n") - 1
    with pytest.raises(CurationError) as exc:
        load_decisions(path)
    msg = str(exc.value)
    assert msg.startswith(f"E401 {path}: line {line + header}: ") and reason in msg and "\n" not in msg


def test_decisions_round_trip_through_the_file_format():
    ds = (Decision("0a1b2c3d4e5f6a7b", "correct", value="1e3", note="multi\nline: note # not a comment", by="Ann",
                   date="2026-11-22"),
          Decision("123", "reject", note="yes"),            # looks like a number / a YAML bool: stays a string
          Decision("ffff000011112222", "accept", by="Bo Ö"))
    for d in ds:
        assert decision_from_dict(decision_to_dict(d)) == d
    assert parse_decisions(dump_decisions(ds)) == ds


def test_upsert_keeps_comments_and_other_entries_and_replaces_a_changed_mind():
    text = ("# my header\ndecisions:   # the list\n"
            "  - fact_id: aaaa   # first\n    action: accept\n    note: fine\n"
            "  # a comment between entries\n"
            "  - fact_id: bbbb\n    action: reject\n")
    t2 = upsert_decision_text(text, Decision("cccc", "correct", value="55%"))
    assert t2.startswith(text) and [d.fact_id for d in parse_decisions(t2)] == ["aaaa", "bbbb", "cccc"]
    t3 = upsert_decision_text(t2, Decision("aaaa", "reject", note="wrong trial"))
    assert "# my header\n" in t3 and "# a comment between entries\n" in t3 and "# the list" in t3
    assert [(d.fact_id, d.action) for d in parse_decisions(t3)] == [("aaaa", "reject"), ("bbbb", "reject"),
                                                                    ("cccc", "correct")]
    assert t3.endswith("  - fact_id: cccc\n    action: correct\n    value: 55%\n")
    # entries written at column 0 by hand keep that indentation
    t4 = upsert_decision_text("decisions:\n- fact_id: x1\n  action: accept\n", Decision("x2", "reject"))
    assert t4 == "decisions:\n- fact_id: x1\n  action: accept\n- fact_id: x2\n  action: reject\n"
    # the empty committed file gets a block list
    t5 = upsert_decision_text(EMPTY_FILE, Decision("x3", "accept"))
    assert t5.startswith(EMPTY_FILE.replace("decisions: []\n", "")) and parse_decisions(t5)[0].fact_id == "x3"


def test_apply_curation_rejects_corrects_accepts_and_survives_a_rerun():
    old, new = two_runs()
    by_name = {f.field("trial") or f.field("drug"): f for f in old.facts}
    decisions = [
        Decision(by_name["KEYNOTE-811"].fact_id, "reject", note="pembrolizumab combination, not a HER2 drug result",
                 by="Ann", date="2026-11-20"),
        Decision(by_name["MOUNTAINEER"].fact_id, "correct", value="38.1%", note="final analysis", by="Ann"),
        Decision(by_name["ToGA"].fact_id if "ToGA" in by_name else by_name["trastuzumab"].fact_id, "accept", by="Bo"),
        Decision(by_name["POLISH"].fact_id, "accept", by="Bo"),
    ]
    kept1, rejected1, stale1 = apply_curation(old.facts, decisions)
    assert not stale1 and [f.fact_id for f in rejected1] == [decisions[0].fact_id]
    # the second run re-extracts everything: the decisions still apply by fact_id
    kept, rejected, stale = apply_curation(new.facts, decisions)
    assert [f.fact_id for f in rejected] == [decisions[0].fact_id] and rejected[0].curation == "rejected"
    assert decisions[0].fact_id not in {f.fact_id for f in kept}
    ids = {f.fact_id: f for f in kept}
    m = ids[decisions[1].fact_id]
    assert (m.value, m.curation, m.status) == ("38.1%", "corrected", "consistent")     # no longer a conflict
    assert m.curation_note.replace(" %", "%").startswith("extracted value: 38.1% / 55%") and "final analysis" in m.curation_note
    assert ids[decisions[2].fact_id].curation == "accepted"
    assert [d.fact_id for d in stale] == [by_name["POLISH"].fact_id]          # its document was removed
    assert len(kept) + len(rejected) == len(new.facts)
    untouched = [f for f in kept if f.fact_id not in {d.fact_id for d in decisions}]
    assert untouched and all(f.curation == "" for f in untouched)
    row = rejected_rows(rejected, decisions)[0]
    assert row["fact_id"] == decisions[0].fact_id and row["by"] == "Ann" and "KEYNOTE-811" in row["statement"]


# ---------------------------------------------------------------- the CLI, with a real store

def _cli(args: list[str], rules: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, HER2_RULES_DIR=str(rules), HER2_OUT=str(out))
    return subprocess.run([sys.executable, "-m", "pipeline", "curate", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.fixture
def rules_copy(tmp_path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(ROOT / "rules" / "curation.yaml", rules / "curation.yaml")
    return rules


def test_curate_command_without_a_store_records_decisions(tmp_path, rules_copy):
    out = tmp_path / "out"
    r = _cli(["abc123", "--reject", "--note", "not HER2-targeted", "--by", "Ann"], rules_copy, out)
    assert r.returncode == 0, r.stderr
    assert "reject fact abc123" in r.stdout
    r = _cli(["def456", "--correct", "12.5", "--by", "Bo"], rules_copy, out)      # a number without its unit
    assert r.returncode == 2 and r.stderr.startswith("error: E404 fact def456 (kind unknown: no run yet): correction "
                                                     "'12.5' refused: '12.5': the number needs a unit")
    r = _cli(["def456", "--correct", "12.5 %", "--by", "Bo"], rules_copy, out)
    assert r.returncode == 0, r.stderr
    ds = load_decisions(rules_copy / "curation.yaml")
    assert [(d.fact_id, d.action, d.value, d.note, d.by) for d in ds] == [
        ("abc123", "reject", "", "not HER2-targeted", "Ann"), ("def456", "correct", "12.5%", "", "Bo")]
    assert all(len(d.date) == 10 for d in ds)
    text = (rules_copy / "curation.yaml").read_text(encoding="utf-8")
    assert text.startswith(EMPTY_FILE.replace("decisions: []\n", ""))     # the comment header is kept


def test_curate_command_checks_the_fact_exists_in_the_latest_run(tmp_path, rules_copy):
    from pipeline.store import Store

    out = tmp_path / "out"
    _, new = two_runs()
    with Store.open(f"sqlite:///{out / '.store' / 'runs.sqlite'}") as store:
        store.record_run(new.run, new.documents, [], new.facts)
    fact = new.facts[0]
    r = _cli(["0000000000000000", "--accept", "--by", "Ann"], rules_copy, out)
    assert r.returncode == 2 and r.stderr.strip() == "error: E406 fact '0000000000000000' not found in the latest run"
    assert load_decisions(rules_copy / "curation.yaml") == ()
    r = _cli([fact.fact_id, "--accept", "--by", "Ann"], rules_copy, out)
    assert r.returncode == 0, r.stderr
    assert fact.fact_id in r.stdout and "accept" in r.stdout
    assert [d.fact_id for d in load_decisions(rules_copy / "curation.yaml")] == [fact.fact_id]


def test_curate_command_reports_a_malformed_file_in_one_line(tmp_path, rules_copy):
    (rules_copy / "curation.yaml").write_text("decisions:\n  - fact_id: a\n    action: maybe\n", encoding="utf-8")
    r = _cli(["abc", "--accept"], rules_copy, tmp_path / "out")
    assert r.returncode == 2
    assert r.stderr.strip() == (f"error: E401 {rules_copy / 'curation.yaml'}: line 3: decision 1: action 'maybe' "
                                "is not one of accept|reject|correct")
    assert "Traceback" not in r.stderr


def test_run_with_a_malformed_curation_file_stops_before_any_work_in_one_line(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "curation.yaml").write_text("decisions:\n  - fact_id: 0a9fee0ba751d237\n    action: reject\n"
                                         "  - fact_id: 562c2ea0081206f7\n    action: correct\n", encoding="utf-8")
    out = tmp_path / "out"
    env = dict(os.environ, HER2_RULES_DIR=str(rules))
    r = subprocess.run([sys.executable, "-m", "pipeline", "run", "--corpus", str(ROOT / "corpus"), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
    assert r.returncode == 2
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: E401 {rules / 'curation.yaml'}: line 5: decision 2: a correction needs a value"] \
        or (len(errors) == 1 and "line 5" in errors[0] and "curation.yaml" in errors[0]), errors
    assert "Traceback" not in r.stderr
    assert not (out / "trials.csv").exists() and not (out / "documents.csv").exists()


# --------------------------------------------------------------------------
# Curation on a real run (corpus/ through the whole pipeline): validated, consistent, applied by export at once


def _curate_in(s, *args: str):
    import contextlib
    import io

    from pipeline.cli import main

    so, se = io.StringIO(), io.StringIO()
    env = {"HER2_RULES_DIR": str(s.rules_dir)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
            code = main([*args, "--out", str(s.out)])
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return code, so.getvalue(), se.getvalue()


def _rows(path: Path) -> dict[str, dict[str, str]]:
    import csv

    return {r["fact_id"]: r for r in csv.DictReader(path.open(encoding="utf-8", newline=""))}


def test_corrections_are_validated_by_kind_and_export_applies_them_at_once(real_run, tmp_path):
    from conftest import copy_real_run

    from pipeline.curation import decision_history

    s, out, _rules = copy_real_run(real_run, tmp_path)
    endpoints, approvals, trials = (_rows(out / n) for n in ("endpoints.csv", "approvals.csv", "trials.csv"))
    conflict = next(r for r in endpoints.values() if r["status"] == "conflict")
    ep = conflict["fact_id"]
    ap = next(r for r in approvals.values() if r["date"])["fact_id"]
    tr = next(r for r in trials.values() if r["phase"] == "II")["fact_id"]
    for fid, bad, why in [(ep, "twenty months", "is not an efficacy value"), (ep, "44.3", "the number needs a unit"),
                          (ap, "2010-13", "is not a real date"), (ap, "March 2010", "is not an ISO date"),
                          (tr, "phase 2b-ish", "is not a trial phase")]:
        code, printed, err = _curate_in(s, "curate", fid, "--correct", bad, "--by", "Ann")
        assert code == 2 and err.startswith(f"error: E404 fact {fid} (") and why in err, (bad, err)
    assert load_decisions(s.rules_dir / "curation.yaml") == ()
    # a unique prefix is enough; the value is normalized
    code, printed, err = _curate_in(s, "curate", ep[:8], "--correct", "44.3 %", "--note", "Table 2", "--by", "Ann")
    assert code == 0, err
    assert _curate_in(s, "curate", ap, "--correct", "2010-01", "--by", "Ann")[0] == 0
    assert _curate_in(s, "curate", tr, "--correct", "Phase III", "--by", "Ann")[0] == 0
    assert [(d.fact_id, d.value) for d in load_decisions(s.rules_dir / "curation.yaml")] == [
        (ep, "44.3%"), (ap, "2010-01"), (tr, "III")]
    # export (no new run) shows every value column corrected, the facts consistent
    code, printed, err = _curate_in(s, "export")
    assert code == 0, err
    e, a, t = (_rows(out / n) for n in ("endpoints.csv", "approvals.csv", "trials.csv"))
    assert (e[ep]["value"], e[ep]["unit"], e[ep]["value_num"], e[ep]["status"], e[ep]["curation"]) == (
        "44.3", "%", "44.3", "consistent", "corrected")
    assert e[ep]["curation_note"].startswith("extracted value: ") and "Table 2" in e[ep]["curation_note"]
    assert e[ep]["values"] == conflict["values"]                # what the sources said stays visible
    assert (a[ap]["date"], a[ap]["date_precision"], a[ap]["status"]) == ("2010-01", "month", "consistent")
    assert (t[tr]["phase"], t[tr]["curation"]) == ("III", "corrected")
    # re-curating keeps the history (who, when, note, previous value)
    assert _curate_in(s, "curate", ep, "--correct", "45.1%", "--note", "final analysis", "--by", "Bo")[0] == 0
    code, printed, err = _curate_in(s, "curate", ep, "--withdraw", "--note", "extracted value was right",
                                    "--by", "Cy")
    assert code == 0 and "withdrew the decision on fact" in printed, err
    hist = decision_history(s, ep)
    assert [(h["action"], h["value"], h["by"], h["previous_action"], h["previous_value"]) for h in hist] == [
        ("correct", "44.3%", "Ann", "", conflict["values"].replace(" | ", " / ")),     # the extracted values
        ("correct", "45.1%", "Bo", "correct", "44.3%"),
        ("withdraw", "", "Cy", "correct", "45.1%")]
    assert hist[0]["note"] == "Table 2" and all(h["decided_at"].endswith("Z") for h in hist)
    assert _curate_in(s, "export")[0] == 0
    assert _rows(out / "endpoints.csv")[ep]["status"] == "conflict"        # back as extracted
    assert _rows(out / "endpoints.csv")[ep]["curation"] == ""


def test_a_rejection_leaves_export_at_once_and_the_fact_id_lookup_helps(real_run, tmp_path):
    from conftest import copy_real_run

    s, out, _rules = copy_real_run(real_run, tmp_path)
    trials = _rows(out / "trials.csv")
    fid = sorted(trials)[0]
    code, printed, err = _curate_in(s, "curate", fid, "--reject", "--note", "not HER2-targeted", "--by", "Ann")
    assert code == 0, err
    assert _curate_in(s, "export")[0] == 0
    assert fid not in _rows(out / "trials.csv") and len(_rows(out / "trials.csv")) == len(trials) - 1
    rejected = _rows(out / "rejected.csv")
    assert rejected[fid]["note"] == "not HER2-targeted" and rejected[fid]["by"] == "Ann"
    code, printed, err = _curate_in(s, "curate", fid[:-1] + ("0" if fid[-1] != "0" else "1"), "--accept")
    assert code == 2 and "E406 fact" in err and f"did you mean {fid}" in err
    code, printed, err = _curate_in(s, "curate", "", "--accept")
    assert code == 2 and err.startswith("error: E406 fact '' not found")   # an empty id is no prefix of every id


def test_a_version_2_store_gains_the_decision_history(tmp_path):
    import sqlalchemy as sa

    from pipeline.store import SCHEMA_VERSION, Store, migrate, schema_version

    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    engine = sa.create_engine(url)
    assert migrate(engine, target=2) == 2
    assert not sa.inspect(engine).has_table("decisions")
    engine.dispose()
    with Store.open(url) as store:
        assert schema_version(store.engine) == SCHEMA_VERSION >= 3
        store.record_decision(fact_id="abc", action="reject", note="n", by="Ann")
        store.record_decision(fact_id="abc", action="withdraw", by="Bo", previous_action="reject", previous_note="n")
        assert [(d["action"], d["by"], d["previous_action"]) for d in store.decisions("abc")] == [
            ("reject", "Ann", ""), ("withdraw", "Bo", "reject")]
        assert store.decisions("other") == []


def test_a_hand_edited_correction_that_does_not_fit_its_kind_is_not_applied(caplog):
    old, _new = two_runs()
    ep = next(f for f in old.facts if f.kind == "endpoint" and f.value)
    text = f"decisions:\n  - fact_id: {ep.fact_id}\n    action: correct\n    value: twenty months\n"
    decisions = parse_decisions(text, "rules/curation.yaml")
    kept, rejected, stale = apply_curation(old.facts, decisions, "rules/curation.yaml")
    same = next(f for f in kept if f.fact_id == ep.fact_id)
    assert (same.value, same.curation) == (ep.value, "")
    assert f"E408 rules/curation.yaml: line 2: correction of fact {ep.fact_id} (endpoint) not applied: " \
           "'twenty months' is not an efficacy value" in caplog.text
