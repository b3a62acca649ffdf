"""Trials: NCT ids (with tolerated spaces/hyphens), phases, names, drugs and cancer types, from text and tables."""
from __future__ import annotations

import re

import pytest

from conftest import annotate_text
from pipeline.extract.context import DocView, normalize_trial_name
from pipeline.extract.trials import extract_trials, normalize_phase
from pipeline.model import CONTENT_SECTIONS


@pytest.mark.parametrize("raw,norm", [("phase III", "III"), ("(II/III)", "II/III"), ("Ib", "Ib"), ("(I/ II)", "I/II"),
                                      ("Phase 2", "II"), ("real-world study", "real-world"), ("phase Ib/II", "Ib/II")])
def test_normalize_phase(raw, norm):
    assert normalize_phase(raw) == norm


@pytest.mark.parametrize("raw,norm", [("DESTINY-Breast03", "DESTINY-BREAST03"), ("DESTINY Breast03", "DESTINY-BREAST03"),
                                      ("DESTINYLung02", "DESTINY-LUNG02"), ("KEYNOTE 811", "KEYNOTE-811"), ("HER2CLIMB", "HER2CLIMB")])
def test_normalize_trial_name(raw, norm):
    assert normalize_trial_name(raw) == norm


def test_nct_with_space_or_hyphen_is_normalized(rules, pipes):
    ann = annotate_text("Introduction\n\nThe randomized phase III DESTINY-Breast09 trial (NCT 0478-4715) compares T-DXd plus "
                        "pertuzumab with THP in HER2-positive metastatic breast cancer.", rules, pipes)
    (m,) = [t for t in extract_trials(DocView(ann, rules)) if t.nct_id]
    assert (m.nct_id, m.phase, m.trial, m.cancer_type) == ("NCT04784715", "III", "DESTINY-BREAST09", "breast")
    assert "pertuzumab" in m.drug and m.prov.quote == "NCT 0478-4715"


def test_table_cells_take_drug_from_row_and_cancer_from_column(corpus_mentions):
    rows = [m for m in corpus_mentions["000_295cffc29131faf6.txt"] if m.kind == "trial" and m.prov.table_id]
    by = {(m.nct_id, m.drug, m.cancer_type, m.phase) for m in rows}
    assert ("NCT03529110", "trastuzumab emtansine", "breast", "III") in by       # ADC T-DM1 row, Breast column
    assert ("NCT04644237", "trastuzumab deruxtecan", "nsclc", "I") not in by
    assert ("NCT05246514", "trastuzumab deruxtecan", "nsclc", "II") in by
    assert ("NCT04311034", "disitamab vedotin", "nsclc", "Ib") in by             # "RC-48" row
    assert ("NCT05764941", "inetetamab", "breast", "real-world") in by
    assert ("NCT05786716", "pertuzumab", "urothelial", "III") in by
    for m in rows:
        assert m.prov.row is not None and m.prov.col is not None and m.prov.sentence


def test_every_corpus_nct_id_in_content_is_found(corpus_docs, corpus_mentions):
    for name, doc in corpus_docs.items():
        expected = set()
        for mm in re.finditer(r"\bNCT[\s\-]?(\d{4})[\s\-]?(\d{4})\b", doc.text):
            sec = doc.section_at(mm.start())
            if sec and sec.kind in CONTENT_SECTIONS:
                expected.add("NCT" + mm.group(1) + mm.group(2))
        found = {m.nct_id for m in corpus_mentions[name] if m.kind == "trial" and m.nct_id}
        assert found == expected, name


def test_no_mentions_from_references_or_chrome(corpus_mentions, corpus_docs):
    for name, ms in corpus_mentions.items():
        doc = corpus_docs[name]
        for m in ms:
            if m.prov.char_start is None:
                continue
            assert doc.section_at(m.prov.char_start).kind in CONTENT_SECTIONS, (name, m.prov.quote)


def test_provenance_invariant_over_the_corpus(corpus_mentions, corpus_docs):
    n = 0
    for name, ms in corpus_mentions.items():
        text = corpus_docs[name].text
        for m in ms:
            p = m.prov
            assert p.source_file == name and p.doc_id == corpus_docs[name].doc_id
            if p.char_start is not None:
                assert text[p.char_start:p.char_end] == p.quote
                n += 1
    assert n > 200


def test_extraction_meets_the_bars_on_the_gold(corpus_mentions):
    """The issue's bars, on the hand-checked gold of tests/gold/ (the scorer is her2tools/evaluate.py)."""
    from pathlib import Path

    from her2tools.evaluate import format_report as ev_report
    from her2tools.evaluate import load_gold, score
    from pipeline.model import mention_to_row

    rows = {"trial": [], "endpoint": [], "approval": []}
    for ms in corpus_mentions.values():
        for m in ms:
            rows[m.kind].append({k: ("" if v is None else str(v)) for k, v in mention_to_row(m).items()})
    result = score(rows, load_gold(Path(__file__).parent / "gold"))
    t, e, a = result["trial"], result["endpoint"], result["approval"]
    # bars at the figures reached (issue 11: the five reviews stay >= 0.98 on every kind)
    for kind in (t, e, a):
        assert kind["precision"] == 1.0 and kind["recall"] == 1.0, ev_report(result)
    assert t["attribution"]["overall"]["accuracy"] >= 0.9951, ev_report(result)
    assert e["attribution"]["overall"]["accuracy"] >= 0.9828, ev_report(result)
    assert a["attribution"]["overall"]["accuracy"] == 1.0, ev_report(result)
    assert not e["negative_hits"] and not a["negative_hits"]


def test_registry_id_with_hyphen_is_no_trial_name_and_sequels_keep_their_suffix(rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\nA phase Ib/II study (NCT-04430738) of T-DXd is recruiting. "
                        "HER2CLIMB-02 (NCT03975647) compared tucatinib plus T-DM1 with T-DM1 alone.\n", rules, pipes)
    found = extract_trials(DocView(ann, rules))
    assert [(m.nct_id, m.trial, m.phase) for m in found if m.nct_id] == [
        ("NCT04430738", "", "Ib/II"), ("NCT03975647", "HER2CLIMB-02", "")]


@pytest.mark.parametrize("sentence,name", [
    # a one-letter prefix belongs to the trial's name (tuning documents pmid34143979 and mu1502)
    ("The combination was investigated in the phase II I-SPY2 trial of stage II/III breast cancer.", "I-SPY2"),
    ("In the randomised T-ACT-2 study, trastuzumab beyond progression was compared with paclitaxel.", "T-ACT-2"),
    ("The single-arm C-GAST-08 trial enrolled patients in the third line.", "C-GAST-08"),
])
def test_one_letter_prefix_is_part_of_a_trial_name(rules, pipes, sentence, name):
    ann = annotate_text("Review\n\nIntroduction\n\n" + sentence + "\n", rules, pipes)
    view = DocView(ann, rules)
    assert [t for _, _, t in view.trials_in(0, len(view.text))] == [name]


def test_a_drug_abbreviation_before_a_trial_name_is_no_prefix(rules, pipes):
    # "T-DXd-ACT" is no shape of a one-letter prefix; "XT-ACT" has two letters: neither is extended
    ann = annotate_text("Review\n\nIntroduction\n\nThe HERACT-2 trial and the ZT-ACT-2 study enrolled patients.\n", rules, pipes)
    view = DocView(ann, rules)
    names = [t for _, _, t in view.trials_in(0, len(view.text))]
    assert "HERACT-2" in names and not any(n.startswith("T-ACT") for n in names)


@pytest.mark.parametrize("sentence,names", [
    # a cooperative group's protocol id with five digits or a letter and five or six digits (rules/trial_patterns.yaml
    # group_protocol; made-up set 35 mu13904, mu13906, mu13910), a letter and four digits bracketed after the group's
    # name (group_bracket_protocol; set 35 mu13912)
    ("A randomised phase II study of the EORTC Genito-Urinary Cancers Group (EORTC 30071, HERUBLAD).", ["EORTC 30071"]),
    ("A two-cohort phase II trial stopped for futility (EORTC 55082).", ["EORTC 55082"]),
    ("Poziotinib versus docetaxel: a randomized phase II trial (Alliance A081702).", ["ALLIANCE A081702"]),
    ("A phase II study of the Eastern Cooperative Oncology Group (E3806).", ["E3806"]),
    # no-match: a year after the group's name, a bracketed letter and too few digits, a ZIP code
    ("The Alliance 2019 guidance and the Oncology Group (A12) were cited; write to Boston, MA 02139.", []),
    # ... nor the gene NRG1 (set 54 mu21408, set 13 mu5010), beside an NRG Oncology protocol
    ("Zenocutuzumab in NRG1 fusion-positive NSCLC was compared with the NRG-GY041 trial.", ["NRG-GY041"]),
])
def test_a_cooperative_groups_protocol_id_is_a_trial_name(rules, pipes, sentence, names):
    ann = annotate_text("Review\n\nIntroduction\n\n" + sentence + "\n", rules, pipes)
    view = DocView(ann, rules)
    assert [t for _, _, t in view.trials_in(0, len(view.text))] == names


@pytest.mark.parametrize("sentence,names", [
    # two rules naming a trial at one place: the longer name is the whole of it (context.DocView._shape_matches; made-up
    # set 19 mu7204, set 38 mu15104, set 3 mu1118, set 54 mu21306)
    ("An 8-year update of the IBCSG 41-98 / SEQUEL-BIG trial.", ["IBCSG 41-98", "SEQUEL-BIG"]),
    ("A phase II study of S-1 plus carboplatin: Hanshin Thoracic Oncology Group study HTOG 0405.", ["HTOG 0405"]),
    ("A randomised trial of the Italian Group for Research in Gastric Oncology (GIROG 94-03).", ["GIROG 94-03"]),
    # no-match: one name at one place stays as it is
    ("The GIROG 94 programme and the KEYNOTE-585 trial were cited.", ["GIROG 94", "KEYNOTE-585"]),
])
def test_the_longer_of_two_trial_names_at_one_place_wins(rules, pipes, sentence, names):
    ann = annotate_text("Review\n\nIntroduction\n\n" + sentence + "\n", rules, pipes)
    view = DocView(ann, rules)
    assert [t for _, _, t in view.trials_in(0, len(view.text))] == names


@pytest.mark.parametrize("sentence,names", [
    # a registry or an access programme is named like a trial (rules/trial_patterns.yaml appositive_trial and
    # title_named_cohort; made-up set 55 mu21608, mu21610, mu21612)
    ("CABONAMED was a named-patient programme through which cabozantinib was supplied.", ["CABONAMED"]),
    ("ZANACCESS was a multicentre expanded-access programme that offered zanidatamab.", ["ZANACCESS"]),
    # no-match: a programme without a name, a region's registry
    ("Europe has a national registry, and the expanded-access programme supplied the drug.", []),
])
def test_a_registry_or_access_programme_is_named_like_a_trial(rules, pipes, sentence, names):
    ann = annotate_text("Review\n\nIntroduction\n\n" + sentence + "\n", rules, pipes)
    view = DocView(ann, rules)
    assert [t for _, _, t in view.trials_in(0, len(view.text))] == names


def test_a_title_names_its_access_programme(rules, pipes):
    # "the LUPACCESS programme", "the ZANACCESS expanded-access programme" in a record's title (title_named_cohort)
    for title, name in (("Lutetium-177 PSMA-617 under compassionate use: the LUPACCESS programme", "LUPACCESS"),
                        ("Zanidatamab in biliary tract cancer: the ZANACCESS expanded-access programme", "ZANACCESS")):
        ann = annotate_text(title + ".\n\nMen were treated at 11 centres.\n", rules, pipes, name="pmid1.txt")
        assert DocView(ann, rules).study_trials == [name]


@pytest.mark.parametrize("text,names", [
    # a mixed-case name spelled out in brackets is a trial, and so is its bare name later (rules/trial_patterns.yaml
    # expanded_mixed_case; real extra-part abstract pmid27269946, made-up set 55 mu21702, mu21708, mu21710)
    ("We assessed plasma from the SoLEA (Study of Letrozole Versus Exemestane With or Without Anastrozole) trial. "
     "In SoLEA, mutations were found in 39.1% of patients.", ["SOLEA", "SOLEA"]),
    ("LuPINOS-P (Lutetium-labelled PSMA INhibitor Or cabazitaxel Salvage; NCT04926000) compared it with cabazitaxel.",
     ["LUPINOS-P"]),
    # no-match: a status with its definition, a regimen with its result
    ("HER2-positive (IHC 3+ or IHC 2+ and FISH-positive) tumours and FOLFIRI-bevacizumab (10.2 months [95% CI, 9.0 to "
     "11.5]; adjusted HR, 1.03) were compared.", []),
])
def test_a_mixed_case_name_spelled_out_in_brackets_is_a_trial(rules, pipes, text, names):
    ann = annotate_text("Review\n\nIntroduction\n\n" + text + "\n", rules, pipes)
    view = DocView(ann, rules)
    assert [t for _, _, t in view.trials_in(0, len(view.text))] == names
