"""Curator diff at the snapshot level: two runs built by hand from real corpus
sentences, with one document added, one removed and one edited, give exactly
the expected added / removed / changed facts, reasons and highlighted spans.
(The end-to-end version through the flow lives with the flow tests.)"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import replace

import pytest

from conftest import CORPUS

from pipeline.diff import fact_statement, snapshots_to_diff
from pipeline.model import (
    ApprovalMention,
    DocumentRecord,
    EndpointMention,
    Provenance,
    RunInfo,
    RunSnapshot,
    TrialMention,
)
from pipeline.reconcile import mentions_to_facts

A = "000_295cffc29131faf6.txt"     # kept unchanged
B = "002_a0f38ae1b1a028d1.txt"     # edited between the runs
C = "003_2deb1f22f8bf69ef.txt"     # removed from the corpus
D = "004_bee61af27c55501b.txt"     # added to the corpus

KEYNOTE = ("In the phase III clinical trial KEYNOTE-811, pembrolizumab plus trastuzumab resulted in a significant "
           "reduction of tumor size and improved objective remission rates in patients with HER2-positive "
           "adenocarcinoma of the G/GEJ adenocarcinoma (ORR 74.4%) [108].")
TOGA = ("Based on the results of the phase III clinical study ToGA, the FDA approved trastuzumab for treating "
        "HER2-overexpressing gastric/gastroesophageal junction(G/GEJ) adenocarcinoma in January 2010 [107].")
MOUNTAINEER = ("The combination of tucatinib and trastuzumab demonstrated good efficacy in a phase II clinical trial "
               "(MOUNTAINEER) (ORR 55%, mPFS 6.2 months, OS 17.3 months) [164].")
ZENO = ("The study reported a clinical benefit rate (CBR) of 35.1% at 24 weeks and an overall response rate (ORR) "
        "of 18.9%, including one complete response (Gampenrieder et al., 2020).")
ZENO_TRIAL = ("A Phase II trial (NCT03321981) investigated zenocutuzumab in combination with trastuzumab and "
              "vinorelbine for patients who had progressed on prior trastuzumab/pertuzumab and T-DM1.")
POLISH = ("First-line immunotherapy or angiogenesis inhibitor plus chemotherapy for HER2-altered NSCLC: "
          "a retrospective real-world POLISH study[J].")
PYROTINIB = "*** pyrotinib is currently approved in China only."
# the edit of B: a corrected number, and a sentence added at the end
ZENO_EDITED = ZENO.replace("of 18.9%", "of 19.9%")
MOUNTAINEER_UPDATE = ("A later analysis of MOUNTAINEER reported an ORR of 38.1% for tucatinib plus trastuzumab in "
                      "chemotherapy-refractory metastatic colorectal cancer.")


class Doc:
    def __init__(self, name: str, text: str):
        self.name, self.text = name, text
        self.doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()

    def prov(self, sentence: str, quote: str, extractor: str) -> Provenance:
        start = self.text.index(sentence) + sentence.index(quote)
        p = Provenance(doc_id=self.doc_id, source_file=self.name, page=1, section="body", char_start=start,
                       char_end=start + len(quote), quote=quote, sentence=sentence, extractor=extractor)
        assert self.text[p.char_start:p.char_end] == quote
        return p

    def record(self, rules: str, code: str) -> DocumentRecord:
        return DocumentRecord(self.doc_id, self.name, "text", "", "", "ok", "", rules, code)


def endpoint(doc: Doc, sentence: str, quote: str, value: str, drug: str, trial: str = "", nct: str = "",
             cancer: str = "") -> EndpointMention:
    return EndpointMention(endpoint="ORR", value=value, unit="%", comparator_value="", n="", n_total="", hr="",
                           ci_low="", ci_high="", p_value="", population="", drug=drug, comparator="", trial=trial,
                           nct_id=nct, cancer_type=cancer, prov=doc.prov(sentence, quote, "endpoint.inline"))


def read(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def mentions_of(a: Doc, b: Doc, others: list[Doc], edited: bool) -> list:
    ms = [
        endpoint(a, KEYNOTE, "ORR 74.4%", "74.4", "pembrolizumab", trial="KEYNOTE-811", cancer="gastric"),
        endpoint(a, MOUNTAINEER, "ORR 55%", "55", "tucatinib", trial="MOUNTAINEER", cancer="colorectal"),
        ApprovalMention(agency="FDA", event="approval", date="2010-01", drug="trastuzumab",
                        indication="HER2-overexpressing gastric/gastroesophageal junction adenocarcinoma",
                        cancer_type="gastric", line="", based_on_trial="ToGA",
                        prov=a.prov(TOGA, "FDA approved trastuzumab", "approval.verb")),
        TrialMention(nct_id="NCT03321981", trial="", phase="II", drug="zenocutuzumab", cancer_type="breast",
                     prov=b.prov(ZENO_TRIAL, "NCT03321981", "trial.nct")),
    ]
    if edited:
        ms.append(endpoint(b, ZENO_EDITED, "ORR) of 19.9%", "19.9", "zenocutuzumab", nct="NCT03321981",
                           cancer="breast"))
        ms.append(endpoint(b, MOUNTAINEER_UPDATE, "ORR of 38.1%", "38.1", "tucatinib", trial="MOUNTAINEER",
                           cancer="colorectal"))
    else:
        ms.append(endpoint(b, ZENO, "ORR) of 18.9%", "18.9", "zenocutuzumab", nct="NCT03321981", cancer="breast"))
    for d in others:
        if d.name == C:
            ms.append(TrialMention(nct_id="", trial="POLISH", phase="", drug="", cancer_type="lung",
                                   prov=d.prov(POLISH, "POLISH study", "trial.name")))
        if d.name == D:
            ms.append(ApprovalMention(agency="NMPA", event="approval", date="", drug="pyrotinib", indication="",
                                      cancer_type="breast", line="", based_on_trial="",
                                      prov=d.prov(PYROTINIB, "pyrotinib is currently approved in China", "approval.verb")))
    return ms


def snapshot(run_id: str, docs: list[Doc], mentions: list, rules: str = "r1", code: str = "0.1.0+aaa") -> RunSnapshot:
    info = RunInfo(run_id=run_id, started="2026-11-20T00:00:00Z", finished="2026-11-20T00:10:00Z", status="ok",
                   rules_hash=rules, code_version=code, corpus="corpus", n_documents=len(docs))
    return RunSnapshot(run=info, documents=tuple(d.record(rules, code) for d in docs),
                       facts=tuple(mentions_to_facts(mentions, {})), mentions=tuple(mentions))


def two_runs() -> tuple[RunSnapshot, RunSnapshot]:
    """Run 1: A, B, C. Run 2: A, B edited, D added, C removed."""
    a, b, c, d = Doc(A, read(A)), Doc(B, read(B)), Doc(C, read(C)), Doc(D, read(D))
    assert ZENO in b.text and PYROTINIB in d.text and POLISH in c.text
    b2 = Doc(B, b.text.replace(ZENO, ZENO_EDITED) + "\n" + MOUNTAINEER_UPDATE + "\n")
    old = snapshot("20261120T000000Z-aaaaaa", [a, b, c], mentions_of(a, b, [c], edited=False))
    new = snapshot("20261121T000000Z-bbbbbb", [a, b2, d], mentions_of(a, b2, [d], edited=True))
    return old, new


def n(s: str) -> str:
    """Display values as reconcile writes them ("55%"); tolerate "55 %"."""
    return s.replace(" %", "%")


def by_subject(diff) -> dict[str, object]:
    return {c.statement.split(":")[0]: c for c in diff.facts}


def test_added_removed_and_changed_facts_are_exactly_the_expected_ones():
    old, new = two_runs()
    diff = snapshots_to_diff(old, new)
    got = {(c.change, c.kind, n(c.statement)) for c in diff.facts}
    assert got == {
        ("added", "approval", "NMPA approval of pyrotinib for breast"),
        ("removed", "trial", "Trial POLISH in lung cancer"),
        ("changed", "endpoint", "ORR of zenocutuzumab in NCT03321981 (breast): 19.9%"),
        ("changed", "endpoint", "ORR of tucatinib in MOUNTAINEER (colorectal): 38.1% / 55% (conflict)"),
    }
    # unchanged facts (KEYNOTE-811 ORR, the ToGA approval, the zenocutuzumab trial whose document changed
    # but whose statement did not) are not reported
    assert len(new.facts) == 6 and len(old.facts) == 6
    assert diff.counts()["endpoint"] == {"added": 0, "removed": 0, "changed": 2, "newly_conflicting": 1}
    assert diff.counts()["trial"] == {"added": 0, "removed": 1, "changed": 0, "newly_conflicting": 0}
    assert diff.counts()["approval"] == {"added": 1, "removed": 0, "changed": 0, "newly_conflicting": 0}


def test_each_change_says_old_and_new_value_source_and_why():
    old, new = two_runs()
    ch = by_subject(snapshots_to_diff(old, new))
    zeno = ch["ORR of zenocutuzumab in NCT03321981 (breast)"]
    assert (n(zeno.old_value), n(zeno.new_value)) == ("18.9%", "19.9%")
    assert zeno.reasons == (f"source document {B} changed (content hash {two_runs()[0].documents[1].doc_id[:12]} -> "
                            f"{new.documents[1].doc_id[:12]})",)
    new_ev = [e for e in zeno.evidence if e.side == "new"]
    old_ev = [e for e in zeno.evidence if e.side == "old"]
    assert [e.parts for e in new_ev] == [(ZENO_EDITED.split("ORR) of 19.9%")[0], "ORR) of 19.9%",
                                          ZENO_EDITED.split("ORR) of 19.9%")[1])]
    assert [e.quote for e in old_ev] == ["ORR) of 18.9%"] and old_ev[0].source_file == B
    assert zeno.source == f"{B} p. 1"

    mountaineer = ch["ORR of tucatinib in MOUNTAINEER (colorectal)"]
    assert mountaineer.newly_conflicting and (mountaineer.old_status, mountaineer.new_status) == ("consistent", "conflict")
    assert (n(mountaineer.old_value), n(mountaineer.new_value)) == ("55%", "38.1% / 55% (conflict)")
    assert {e.source_file for e in mountaineer.evidence} == {A, B}
    assert mountaineer.reasons[0].startswith(f"source document {B} changed")

    added = ch["NMPA approval of pyrotinib for breast"]
    assert added.reasons == (f"source document {D} was added",) and added.old_value == ""
    assert added.evidence[0].parts[1] == "pyrotinib is currently approved in China"
    assert (added.drug, added.cancer_type) == ("pyrotinib", "breast")

    removed = ch["Trial POLISH in lung cancer"]
    assert removed.reasons == (f"source document {C} was removed",) and removed.new_value == ""
    assert [e.side for e in removed.evidence] == ["old"] and removed.evidence[0].parts[1] == "POLISH study"


def test_documents_added_removed_changed_by_source_file():
    old, new = two_runs()
    docs = {(d.change, d.source_file) for d in snapshots_to_diff(old, new).documents}
    assert docs == {("added", D), ("removed", C), ("changed", B)}


def test_no_change_gives_an_empty_diff_and_first_run_adds_everything():
    old, new = two_runs()
    assert snapshots_to_diff(new, replace(new, run=replace(new.run, run_id="again"))).is_empty
    first = snapshots_to_diff(None, old)
    assert {c.change for c in first.facts} == {"added"} and len(first.facts) == len(old.facts)
    assert all(c.reasons == ("first run: no earlier run to compare with",) for c in first.facts)
    assert {d.change for d in first.documents} == {"added"}


def test_rules_or_code_change_is_given_as_the_reason():
    old, _ = two_runs()
    a, b = Doc(A, read(A)), Doc(B, read(B))
    ms = mentions_of(a, b, [], edited=False)
    # same documents; the new rules read KEYNOTE-811's ORR differently
    ms2 = [m if not (m.kind == "endpoint" and m.trial == "KEYNOTE-811") else replace(m, value="74")
           for m in ms]
    r1 = snapshot("r1", [a, b], ms)
    r2 = snapshot("r2", [a, b], ms2, rules="r2", code="0.1.1+bbb")
    diff = snapshots_to_diff(r1, r2)
    assert [(c.change, n(c.old_value), n(c.new_value)) for c in diff.facts] == [("changed", "74.4%", "74%")]
    assert diff.facts[0].reasons == ("the rules changed (rules hash r1 -> r2)",
                                     "the pipeline code changed (0.1.0+aaa -> 0.1.1+bbb)")
    assert diff.rules_changed and diff.code_changed and not diff.documents


def test_changes_are_grouped_by_drug_and_cancer_type():
    old, new = two_runs()
    groups = [k for k, _ in snapshots_to_diff(old, new).groups()]
    assert groups == [("pyrotinib", "breast"), ("tucatinib", "colorectal"), ("zenocutuzumab", "breast"), ("", "lung")]


def test_stale_curation_decisions_are_listed():
    from pipeline.curation import Decision

    old, new = two_runs()
    polish = next(f for f in old.facts if f.field("trial") == "POLISH")
    keynote = next(f for f in new.facts if f.field("trial") == "KEYNOTE-811")
    decisions = [Decision(polish.fact_id, "accept", by="A. Curator", line=17),
                 Decision(keynote.fact_id, "correct", value="74.4%", note="checked", line=19)]
    diff = snapshots_to_diff(old, new, decisions)
    assert [(s.fact_id, s.line, s.last_seen) for s in diff.stale_decisions] == [
        (polish.fact_id, 17, "Trial POLISH in lung cancer")]


def test_plain_words_statement():
    _, new = two_runs()
    words = sorted(n(fact_statement(f)) for f in new.facts)
    assert "ORR of pembrolizumab in KEYNOTE-811 (gastric): 74.4%" in words
    assert ("FDA approval of trastuzumab for HER2-overexpressing gastric/gastroesophageal junction adenocarcinoma, "
            "based on ToGA: 2010-01") in words
    assert "Trial NCT03321981 of zenocutuzumab in breast cancer: phase II" in words


def test_reports_are_written_atomically_as_html_markdown_and_csv(tmp_path):
    from pipeline.report import write_reports

    old, new = two_runs()
    paths = write_reports(snapshots_to_diff(old, new), tmp_path)
    assert [p.name for p in paths] == [f"{new.run.run_id}.{x}" for x in ("html", "md", "csv")]
    assert all(p.parent == tmp_path / "reports" for p in paths)
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.startswith(".")]   # no temp files left
    html = paths[0].read_text(encoding="utf-8")
    assert html.index('id="summary"') < html.index("Fact changes by drug")
    assert '<mark class="span">ORR) of 19.9%</mark>' in html
    assert '<mark class="span">pyrotinib is currently approved in China</mark>' in html
    from pipeline.report import FILTER_JS

    assert html.count("<script") == 1 and f"<script>{FILTER_JS}</script>" in html    # our filter, nothing else
    for forbidden in ("http://", "https://", "@import", "url("):
        assert forbidden not in html
    md = paths[1].read_text(encoding="utf-8")
    assert "**ORR) of 19.9%**" in md and "| Efficacy results | 0 | 0 | 2 | 1 |" in md
    with paths[2].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    facts = [r for r in rows if r["record"] == "fact"]
    assert sorted(r["change"] for r in facts) == ["added", "changed", "changed", "removed"]
    assert {r["source_file"] for r in rows if r["record"] == "document"} == {B, C, D}
    zeno = next(r for r in facts if "zenocutuzumab" in r["statement"])
    assert (n(zeno["old_value"]), n(zeno["new_value"]), zeno["page"]) == ("18.9%", "19.9%", "1")


def test_html_escapes_document_text(tmp_path):
    from pipeline.report import render_html

    old, new = two_runs()
    i = next(i for i, m in enumerate(new.mentions) if m.prov.quote == "ORR 55%")   # behind a changed fact
    m = new.mentions[i]
    evil = replace(m, prov=replace(m.prov, sentence="a <script>alert(1)</script> & " + m.prov.quote))
    html = render_html(snapshots_to_diff(old, replace(new, mentions=new.mentions[:i] + (evil,) + new.mentions[i + 1:])))
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _record(store, snap: RunSnapshot) -> None:
    by_doc = {d.doc_id: [m for m in snap.mentions if m.prov.doc_id == d.doc_id] for d in snap.documents}
    store.record_run(snap.run, snap.documents, [(d, by_doc[d.doc_id]) for d in snap.documents], snap.facts)


def test_diff_command_compares_the_latest_run_with_the_one_before(tmp_path):
    """Through a real (SQLite) store: default runs, explicit runs, and a stale decision from rules/curation.yaml."""
    from pipeline.config import Settings
    from pipeline.curation import EMPTY_FILE, Decision, upsert_decision_text
    from pipeline.report import diff_command
    from pipeline.store import Store

    old, new = two_runs()
    out, rules = tmp_path / "out", tmp_path / "rules"
    rules.mkdir()
    polish = next(f for f in old.facts if f.field("trial") == "POLISH")
    (rules / "curation.yaml").write_text(upsert_decision_text(EMPTY_FILE, Decision(polish.fact_id, "accept")),
                                         encoding="utf-8")
    settings = Settings.resolve(out=str(out), rules_dir=str(rules))
    with Store.open(settings.store_url) as store:
        _record(store, old)
        _record(store, new)
        assert store.snapshot(new.run.run_id).mentions      # the store keeps the quotes the report shows
    paths = diff_command(settings, None, None)
    assert [p.name for p in paths] == [f"{new.run.run_id}.{x}" for x in ("html", "md", "csv")]
    with paths[2].open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["change"] for r in rows if r["record"] == "fact") == ["added", "changed", "changed", "removed"]
    assert [r["fact_id"] for r in rows if r["record"] == "stale_decision"] == [polish.fact_id]
    assert '<mark class="span">ORR) of 19.9%</mark>' in paths[0].read_text(encoding="utf-8")
    # the first run against nothing: everything added
    first = diff_command(settings, None, old.run.run_id)
    with first[2].open(encoding="utf-8", newline="") as fh:
        assert {r["change"] for r in csv.DictReader(fh) if r["record"] == "fact"} == {"added"}
    # reversed: what run 2 added, run 1 "removes"
    back = diff_command(settings, new.run.run_id, old.run.run_id)
    with back[2].open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["record"] == "fact"]
    assert sorted(r["change"] for r in rows) == ["added", "changed", "changed", "removed"]
    with pytest.raises(Exception) as exc:
        diff_command(settings, None, "no-such-run")
    assert "E302" in str(exc.value) and "no-such-run" in str(exc.value)


def test_diff_command_on_an_empty_store_says_so(tmp_path):
    from pipeline.config import Settings
    from pipeline.errors import PipelineError
    from pipeline.report import diff_command

    settings = Settings.resolve(out=str(tmp_path / "out"), rules_dir=str(tmp_path))
    with pytest.raises(PipelineError) as exc:
        diff_command(settings, None, None)
    assert str(exc.value).startswith("E301 ") and "no completed run" in str(exc.value)


def test_curation_history_and_commands_escape_what_curators_typed():
    """History records (as the store will hand them: dicts or objects) with payloads in every field are
    shown as text in the HTML and Markdown reports; the curate command quotes for the shell."""
    import shlex

    from markdown_it import MarkdownIt
    from test_prefect_flow import _live_html

    from pipeline.report import ReportContext, curate_commands, history_records, render_html, render_markdown

    old, new = two_runs()
    diff = snapshots_to_diff(old, new)
    evil = {"fact_id": diff.facts[0].fact_id, "action": "correct", "value": "<img src=x onerror=alert(1)>",
            "previous_value": "[x](javascript:alert(2))", "note": "<script>alert(3)</script>",
            "by": '<a href="javascript:alert(4)">Eve</a>', "at": "2026-11-22T10:00:00Z"}
    ctx = ReportContext(facts=new.facts, history=tuple(history_records([evil])))
    html, md = render_html(diff, ctx), render_markdown(diff, ctx)
    assert _live_html(html) == ["script"] and "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert _live_html(MarkdownIt("commonmark").render(md)) == []
    assert "&lt;img src=x onerror=alert(1)&gt;" in md and "\\[x\\](javascript:alert(2))" in md
    # a fact id is pasted into a shell: whatever it holds stays one argument
    assert shlex.split(curate_commands("$(rm -rf ~)")[0])[4] == "$(rm -rf ~)"


def _stored(snapshot, decisions):
    """The snapshot as the store records a run made with these decisions (kept + rejected facts)."""
    from dataclasses import replace as _replace

    from pipeline.curation import reapply_curation

    return _replace(snapshot, facts=tuple(reapply_curation(snapshot.facts, decisions)))


def test_a_rejection_is_reported_as_removed_by_the_curator():
    from pipeline.curation import Decision

    old, new = two_runs()
    keynote = next(f for f in new.facts if f.field("trial") == "KEYNOTE-811")
    decisions = [Decision(keynote.fact_id, "reject", note="pembrolizumab result", by="Ann", date="2026-11-21")]
    diff = snapshots_to_diff(old, _stored(new, decisions), decisions)
    c = next(c for c in diff.facts if c.fact_id == keynote.fact_id)
    assert (c.change, c.new_value, c.new_status) == ("removed", "", "")
    assert c.reasons[0] == "curation decision: reject: pembrolizumab result (Ann)"
    assert diff.n_facts_new == len(new.facts) - 1
    assert diff.counts()[keynote.kind]["removed"] >= 1


def test_a_withdrawn_decision_is_reported_as_withdrawn_not_as_reconciliation():
    from pipeline.curation import Decision

    old, new = two_runs()
    keynote = next(f for f in old.facts if f.field("trial") == "KEYNOTE-811")
    tuc = next(f for f in old.facts if f.field("trial") == "MOUNTAINEER" and f.kind == "endpoint")
    earlier = [Decision(keynote.fact_id, "reject", note="pembrolizumab result", by="Ann"),
               Decision(tuc.fact_id, "correct", value="38.1%", note="final analysis", by="Ann")]
    # run 2 is made after both decisions were withdrawn (removed from rules/curation.yaml)
    diff = snapshots_to_diff(_stored(old, earlier), new, [])
    got = {c.fact_id: c for c in diff.facts}
    k = got[keynote.fact_id]
    assert k.change == "added" and k.reasons[0].startswith("curation decision withdrawn (was rejected: "
                                                           "pembrolizumab result")
    t = got[tuc.fact_id]
    assert t.change == "changed" and t.old_value == "38.1%"
    assert t.reasons[0].startswith("curation decision withdrawn (was corrected: extracted value: ")
    assert not any("reconciliation" in r for c in (k, t) for r in c.reasons)
    assert diff.n_facts_old == len(old.facts) - 1
