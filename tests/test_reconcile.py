"""Reconciliation: mentions -> facts, on hand-made mention sets quoting real corpus sentences."""
from __future__ import annotations

import hashlib
import random
from dataclasses import replace

import conftest_store as cs
import pytest

from pipeline.model import Fact
from pipeline.reconcile import (
    build_trial_links,
    documents_to_works,
    fact_id,
    mention_key,
    mentions_to_facts,
    norm_number,
)


def _works():
    return documents_to_works(cs.all_documents())


def _one(facts: list[Fact], kind: str, **fields) -> Fact:
    hits = [f for f in facts if f.kind == kind and all(f.field(k) == v for k, v in fields.items())]
    assert len(hits) == 1, (kind, fields, [f.fields for f in facts if f.kind == kind])
    return hits[0]


def test_fact_id_golden_value():
    # a change in the hashing scheme changes every fact id in every export: caught here
    assert fact_id("trial", ("NCT03529110",)) == "5a8542ddfc1a4d25"
    assert fact_id("trial", ("NCT03529110",)) == hashlib.sha256(b'["trial","NCT03529110"]').hexdigest()[:16]
    assert fact_id("endpoint", ("NCT03043313", "", "orr", "", "trastuzumab + tucatinib", "", "")) == "fd2f853ac1328fc8"
    assert fact_id("trial", ("NCT03529110",)) != fact_id("endpoint", ("NCT03529110",))


def test_trial_merges_across_documents_text_and_table_through_name_nct_link():
    facts = mentions_to_facts(cs.destiny_breast03_trials(), _works())
    assert [f.kind for f in facts] == ["trial"]
    f = facts[0]
    assert f.key == ("NCT03529110",)
    assert f.fact_id == "5a8542ddfc1a4d25"
    assert f.field("nct_id") == "NCT03529110" and f.field("trial") == "DESTINY-Breast03"
    assert f.n_sources == 4                     # 002 sentence, 002 table cell, 000 table cell, made-up review
    assert f.n_works == 3                       # 000, 002, made-up review
    assert f.sources == (f"{cs.F000}:1", f"{cs.F002}:1", f"{cs.LINK}:1")
    # 002 does not state the phase: a blank does not contradict the others' III
    assert (f.status, f.value, f.values) == ("consistent", "III", ("III",))


def test_without_the_linking_document_name_and_nct_stay_apart():
    ms = [m for m in cs.destiny_breast03_trials() if m.prov.source_file != cs.LINK]
    facts = mentions_to_facts(ms, _works())
    assert sorted(f.key for f in facts) == [("NCT03529110",), ("destiny-breast03",)]


def test_conflict_55_vs_54_9_shows_both_values_and_sources():
    facts = mentions_to_facts(cs.mountaineer_mentions(), _works())
    orr = _one(facts, "endpoint", endpoint="ORR")
    # 000 names the trial only; the made-up review links MOUNTAINEER to NCT03043313: one fact
    assert orr.key[0] == "NCT03043313"
    assert orr.field("nct_id") == "NCT03043313" and orr.field("trial") == "MOUNTAINEER"
    assert orr.status == "conflict"
    assert orr.value == "" and orr.field("value") == ""
    assert orr.values == ("54.9%", "55%")
    assert dict(orr.value_sources) == {"54.9%": (f"{cs.LINK}:1",), "55%": (f"{cs.F000}:1",)}
    assert orr.n_sources == 2 and orr.n_works == 2
    # the mPFS of the same trial is keyed through the same link and is consistent
    pfs = _one(facts, "endpoint", endpoint="PFS")
    assert pfs.key[0] == "NCT03043313"
    assert (pfs.status, pfs.value, pfs.field("value"), pfs.field("unit")) == ("consistent", "6.2 months", "6.2", "months")
    # the trial itself: name in 000 text, NCT id in 000 table, both in the made-up review -> one trial, phase II
    t = _one(facts, "trial", nct_id="NCT03043313")
    assert (t.n_sources, t.n_works, t.status, t.value) == (3, 2, "consistent", "II")


def test_numbers_compare_as_numbers():
    ms = cs.mountaineer_mentions()
    orr_000 = next(m for m in ms if m.kind == "endpoint" and m.value == "55")
    again = replace(orr_000, value="55.0", prov=replace(orr_000.prov, source_file=cs.F002, doc_id="x" * 64))
    f = _one(mentions_to_facts([orr_000, again], {}), "endpoint", endpoint="ORR")
    assert (f.status, f.value, f.n_sources) == ("consistent", "55%", 2)
    assert norm_number("55.0") == "55" and norm_number("<0.0010") == "<0.001" and norm_number("6.20-8.1") == "6.2-8.1"


def test_hazard_ratio_is_part_of_the_value_and_blank_parts_do_not_conflict():
    base = next(m for m in cs.mountaineer_mentions() if m.kind == "endpoint" and m.endpoint == "PFS")
    with_hr = replace(base, hr="0.54", ci_low="0.42", ci_high="0.71", prov=replace(base.prov, char_start=1))
    other_hr = replace(base, value="", unit="", hr="0.60", prov=replace(base.prov, char_start=2))
    f = _one(mentions_to_facts([base, with_hr], {}), "endpoint", endpoint="PFS")
    assert (f.status, f.value) == ("consistent", "6.2 months; HR 0.54 (95% CI 0.42-0.71)")
    assert (f.field("hr"), f.field("ci_low"), f.field("ci_high")) == ("0.54", "0.42", "0.71")
    f = _one(mentions_to_facts([base, with_hr, other_hr], {}), "endpoint", endpoint="PFS")
    assert f.status == "conflict" and f.field("hr") == ""
    assert "HR 0.6" in f.values


def test_two_dates_for_one_approval_is_a_conflict_but_a_year_agrees_with_a_date():
    facts = mentions_to_facts(cs.approval_mentions(), _works())
    lap = _one(facts, "approval", drug="lapatinib")
    assert lap.status == "conflict" and lap.value == "" and lap.field("date") == ""
    assert dict(lap.value_sources) == {"2007-03-12": (f"{cs.LINK}:1",), "2007-03-13": (f"{cs.F000}:1",)}
    tuc = _one(facts, "approval", drug="tucatinib")
    assert (tuc.status, tuc.value, tuc.values) == ("consistent", "2020-04-17", ("2020", "2020-04-17"))
    tra = _one(facts, "approval", drug="trastuzumab")
    assert (tra.status, tra.value, tra.n_sources, tra.n_works) == ("consistent", "1998", 2, 2)
    # descriptive fields that are not part of the key or value are listed, not compared
    assert tra.field("line") == "adjuvant"


def test_blank_date_does_not_contradict_a_stated_one():
    lap = cs.approval_mentions()[0]
    silent = replace(lap, date="", prov=replace(lap.prov, source_file=cs.F002, doc_id=cs.doc_id_of(cs.F002)))
    f = _one(mentions_to_facts([lap, silent], _works()), "approval", drug="lapatinib")
    assert (f.status, f.value, f.n_sources, f.n_works) == ("consistent", "2007-03-13", 2, 2)


def test_phase_differing_between_sources_is_a_conflict():
    ms = cs.destiny_breast03_trials()
    ms[-1] = replace(ms[-1], phase="II")
    f = mentions_to_facts(ms, _works())[0]
    assert f.status == "conflict" and f.value == "" and f.values == ("II", "III")


def test_review_and_its_pubmed_page_are_one_work(corpus_docs):
    # the real documents as ingested: 000 prints no DOI, 001 (PubMed) does; same title
    docs = [corpus_docs[cs.F000], corpus_docs[cs.F001], corpus_docs[cs.F002]]
    works = documents_to_works(docs)
    assert works[docs[0].doc_id] == works[docs[1].doc_id] == "doi:10.1186/s40364-024-00565-1"
    assert works[docs[2].doc_id] != works[docs[0].doc_id]
    facts = mentions_to_facts(cs.same_work_mentions(), works)
    assert len(facts) == 1
    assert (facts[0].n_sources, facts[0].n_works) == (2, 1)
    # without the mapping every document is its own work
    assert mentions_to_facts(cs.same_work_mentions(), {})[0].n_works == 2


def test_documents_to_works_needs_a_real_title_or_doi():
    a = cs.document(cs.F000)
    b = replace(cs.document(cs.F002), title="Review", doi="")
    c = replace(cs.document(cs.LINK), title="Review", doi="")
    works = documents_to_works([a, b, c])
    assert len(set(works.values())) == 3         # a short, generic title identifies nothing


def test_trial_links_and_ambiguous_names():
    links = build_trial_links(cs.all_mentions())
    assert links == {"destiny-breast03": "NCT03529110", "mountaineer": "NCT03043313"}
    ms = cs.mountaineer_mentions()
    clash = replace(ms[2], nct_id="NCT09999999", prov=replace(ms[2].prov, char_start=0))
    assert "mountaineer" not in build_trial_links(ms + [clash])


def test_unattributed_value_is_its_own_fact():
    base = next(m for m in cs.mountaineer_mentions() if m.kind == "endpoint" and m.value == "55")
    a = replace(base, trial="", drug="")
    b = replace(base, trial="", drug="", value="35", prov=replace(base.prov, char_start=5))
    facts = mentions_to_facts([a, b], {})
    assert len(facts) == 2 and all(f.status == "consistent" for f in facts)
    assert mention_key(a, {})[0].startswith("mention:")


def test_idempotent_and_independent_of_order():
    ms = cs.all_mentions()
    works = _works()
    first = mentions_to_facts(ms, works)
    assert first == mentions_to_facts(ms, works)
    for seed in range(3):
        shuffled = ms + ms[:5]                    # duplicates count once
        random.Random(seed).shuffle(shuffled)
        assert mentions_to_facts(shuffled, works) == first
    assert [(f.kind, f.fact_id) for f in first] == sorted((f.kind, f.fact_id) for f in first)


@pytest.mark.parametrize("kind", ["trial", "endpoint", "approval"])
def test_every_fact_carries_every_contract_field(kind):
    from pipeline.model import MENTION_COLUMNS

    for f in mentions_to_facts(cs.all_mentions(), _works()):
        if f.kind == kind:
            assert [k for k, _ in f.fields] == MENTION_COLUMNS[kind]
            assert f.n_sources == len(f.mention_ids)


def test_basket_trial_results_stay_apart_per_cancer_type():
    """MyPathway (000_295cffc29131faf6.txt): ORR 23% in biliary tract cancer, 32% in colorectal cancer.
    Both true: a basket trial's cohorts are keyed per cancer type; an ordinary trial's are not."""
    biliary = cs.endpoint(cs.F000, "ORR 23%", endpoint="ORR", value="23", unit="%",
                          drug="pertuzumab + trastuzumab", trial="MyPathway", cancer_type="biliary")
    colorectal = cs.endpoint(cs.F000, "ORR of 32%", endpoint="ORR", value="32", unit="%",
                             drug="pertuzumab + trastuzumab", trial="MyPathway", cancer_type="colorectal")
    merged = mentions_to_facts([biliary, colorectal], _works())
    assert len(merged) == 1 and merged[0].status == "conflict"          # without the basket mark
    facts = mentions_to_facts([biliary, colorectal], _works(), basket_trials=["MYPATHWAY"])
    assert sorted((f.field("cancer_type"), f.value, f.status) for f in facts) == [
        ("biliary", "23%", "consistent"), ("colorectal", "32%", "consistent")]


def test_basket_marks_come_from_the_trial_lexicon(rules):
    from pipeline.run import basket_trials

    names = basket_trials(rules)
    assert {"MYPATHWAY", "DESTINY-PANTUMOR02", "NCT04482309"} <= set(names)
    assert "HER2CLIMB" not in names
