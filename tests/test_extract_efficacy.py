"""Efficacy values on sentences from the corpus and on realistic review phrasings."""
from __future__ import annotations

import pytest

from conftest import annotate_text, extract_from_text
from pipeline.extract.context import DocView
from pipeline.extract.efficacy import extract_endpoints


def endpoints(text, rules, pipes, heading=""):
    return extract_from_text(extract_endpoints, text, rules, pipes, heading)


def rows(found, *fields):
    return [tuple(getattr(m, f) for f in fields) for m in found]


def test_parenthesized_list_of_results(rules, pipes):
    s = ("The results from a phase II trial, RC48-C005, demonstrated that RC48-ADC significantly improved objective "
         "remission rates and survival in patients with locally advanced or metastatic uroepithelial cancer "
         "(ORR 51.2%, mPFS 6.9 months, mOS 13.9 months) [41].")
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value", "unit") == [("ORR", "51.2", "%"), ("PFS", "6.9", "months"), ("OS", "13.9", "months")]
    assert {(m.drug, m.trial, m.cancer_type) for m in found} == {("disitamab vedotin", "RC48-C005", "urothelial")}


def test_of_phrasing_and_two_endpoints(rules, pipes):
    s = ("The findings from a phase I trial of Zanidatamab as a second-line therapy for biliary tract cancer were presented "
         "at the 2021 ASCO meeting, revealing an ORR of 40% and a DCR of 65% [152].")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "drug", "cancer_type") == [
        ("ORR", "40", "zanidatamab", "biliary"), ("DCR", "65", "zanidatamab", "biliary")]


def test_comparator_value_and_p_value(rules, pipes):
    s = ("The updated findings from the ALTERNATIVE Phase III trial demonstrated that in postmenopausal women with "
         "HR-positive/HER2-positive advanced breast cancer, the combination of aromatase inhibitors (AIs) with lapatinib "
         "significantly extended the median progression-free survival (mPFS) compared to that of patients receiving AI "
         "monotherapy (11 vs. 5.6 months, $P = 0.0063$) [54].")
    (m,) = endpoints(s, rules, pipes)
    assert (m.endpoint, m.value, m.comparator_value, m.unit, m.p_value) == ("PFS", "11", "5.6", "months", "0.0063")
    assert m.cancer_type == "breast" and "lapatinib" in m.drug


def test_from_to_gives_value_and_comparator(rules, pipes):
    s = ("A phase II trial demonstrated that using trastuzumab/trastuzumab+pertuzumab combination chemotherapy during the "
         "perioperative phase increased the pathologic response rate from 25% to 45% [109].")
    (m,) = endpoints(s, rules, pipes, heading="Gastric cancer")
    assert (m.endpoint, m.value, m.comparator_value) == ("PCR", "45", "25")
    assert m.drug == "chemotherapy + pertuzumab + trastuzumab" and m.cancer_type == "gastric"


def test_subgroup_list_keeps_the_endpoint(rules, pipes):
    s = ("The phase II trial RC48-C015 evaluated RC48-ADC in uroepithelial cancer. "       # the paragraph's drug
         "The ORR was also reported as follows based on the result of HER2 immunohistochemistry grouping: 100% for "
         "HER2-3+, 77.8% for HER2-2+, 66.7% for HER2-1+, and 50% for HER2-negative cases [146].")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "population") == [
        ("ORR", "100", "HER2-3+"), ("ORR", "77.8", "HER2-2+"), ("ORR", "66.7", "HER2-1+"), ("ORR", "50", "HER2-negative")]


def test_toxicity_percentages_are_not_efficacy(rules, pipes):
    s = ("Subsequently, the follow-up study DESTINY-Lung02 revealed that administering T-DXd at a lower dosage "
         "significantly decreased the occurrence of interstitial pneumonia (ILD) and other adverse events, while sustaining "
         "an objective response rate (ORR) (5.9% vs. 14% for ILD incidence; 53.8% vs. 42.9% for ORR) [138].")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "comparator_value", "trial") == [
        ("ORR", "53.8", "42.9", "DESTINY-LUNG02")]


@pytest.mark.parametrize("s", [
    "Mutations in HER2 are most commonly observed within exon 20 (20%), exon 19 (11%) and exon 21 (9%).",
    "HER2 amplification occurs in 15-20% of invasive breast cancers and 2-5.8% of colorectal cancers [89].",
    "Grade 3 or higher interstitial lung disease occurred in 2.6% of patients receiving T-DXd, and ORR data are awaited.",
    "Regrettably, the prognosis for advanced or metastatic gastric cancer remains dismal, with a mere 5% to 10% five-year survival rate [106].",
])
def test_frequencies_and_incidences_are_not_values(rules, pipes, s):
    assert endpoints(s, rules, pipes) == []


def test_hazard_ratio_with_ci_and_p(rules, pipes):
    s = ("In DESTINY-Breast03, T-DXd improved progression-free survival compared with T-DM1 "
         "(HR 0.28; 95% CI 0.22-0.37; P < 0.001), with a 12-month PFS rate of 75.8% versus 34.1%.")
    found = endpoints(s, rules, pipes)
    hr = [m for m in found if m.hr]
    # the ratio, stated before the same sentence's comparison of the same endpoint, sits on that comparison's
    # entry (the gold's rule, tests/gold/abstracts/README.md), not on an entry of its own
    assert rows(hr, "endpoint", "value", "hr", "ci_low", "ci_high", "p_value") == [("PFS", "75.8", "0.28", "0.22", "0.37", "<0.001")]
    (lm,) = [m for m in found if m.timepoint]
    assert (lm.endpoint, lm.value, lm.unit, lm.comparator_value, lm.timepoint) == ("PFS", "75.8", "%", "34.1", "12-month")
    assert {(m.drug, m.comparator, m.trial, m.cancer_type) for m in found} == {
        ("trastuzumab deruxtecan", "trastuzumab emtansine", "DESTINY-BREAST03", "breast")}


def test_median_with_hr_in_one_statement_and_not_reached(rules, pipes):
    s = ("Median OS was not reached with tucatinib versus 17.4 months with placebo, and median PFS was 7.8 months vs. "
         "5.6 months (HR 0.54, 95% CI 0.42-0.71, P<0.001) in HER2CLIMB.")
    found = endpoints(s, rules, pipes)
    assert ("OS", "NR", "17.4") in rows(found, "endpoint", "value", "comparator_value")
    assert ("PFS", "7.8", "5.6", "0.54", "0.42", "0.71") in rows(found, "endpoint", "value", "comparator_value", "hr", "ci_low", "ci_high")


def test_n_of_n(rules, pipes):
    s = "An objective response was observed in 38 of 86 patients (44.2%) treated with zanidatamab in HERIZON-BTC-01."
    (m,) = endpoints(s, rules, pipes)
    assert (m.endpoint, m.value, m.n, m.n_total, m.trial, m.cancer_type) == ("ORR", "44.2", "38", "86", "HERIZON-BTC-01", "biliary")


def test_cancer_type_from_section_heading(rules, pipes):
    s = "A phase II clinical trial found that trastuzumab had an ORR of 66.6% in the first or second-line treatment [149]."
    (m,) = endpoints(s, rules, pipes, heading="Biliary tract cancer (BTC)")
    assert m.cancer_type == "biliary" and m.drug == "trastuzumab"


def test_prior_therapy_is_not_the_regimen(rules, pipes):
    s = ("A Phase II trial (NCT03321981) investigated zenocutuzumab in combination with trastuzumab and vinorelbine for "
         "patients who had progressed on prior trastuzumab/pertuzumab and T-DM1. The study reported a clinical benefit rate "
         "(CBR) of 35.1% at 24 weeks and an overall response rate (ORR) of 18.9%.")
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value", "drug", "nct_id") == [
        ("CBR", "35.1", "trastuzumab + vinorelbine + zenocutuzumab", "NCT03321981"),
        ("ORR", "18.9", "trastuzumab + vinorelbine + zenocutuzumab", "NCT03321981")]


def test_citation_numbers_are_not_values(rules, pipes):
    s = "Trastuzumab plus chemotherapy improved OS in the ToGA trial [12, 15–17] (mOS 13.8 months)."
    assert rows(endpoints(s, rules, pipes), "endpoint", "value") == [("OS", "13.8")]


def test_corpus_values(corpus_mentions):
    found = {(m.prov.source_file, m.endpoint, m.value) for ms in corpus_mentions.values() for m in ms if m.kind == "endpoint"}
    for expected in [("000_295cffc29131faf6.txt", "ORR", "74.4"), ("000_295cffc29131faf6.txt", "ORR", "41.8"),
                     ("000_295cffc29131faf6.txt", "DOR", "22.1"), ("002_a0f38ae1b1a028d1.txt", "CBR", "35.1")]:
        assert expected in found


def test_subgroup_named_earlier_in_the_sentence_is_the_population(rules, pipes):
    # HERB (000_295cffc29131faf6.txt): the HER2-low cohort's results follow the HER2-positive ones
    s = ("A phase II study (HERB) was conducted by ASCO in 2022 to treat HER2-positive BTC patients "
         "(ORR 36.4%, DCR 81.8%, mPFS 5.7 months) [159]. Notably, positive outcomes were also observed in patients "
         "with low HER2 expression (ORR 12.5%, DCR 75%, mPFS 3.5 months) [159]. Importantly, patients with IHC3+ "
         "expression had a higher ORR of 61.3% and a longer DOR of 22.1 months [171].")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "population") == [
        ("ORR", "36.4", ""), ("DCR", "81.8", ""), ("PFS", "5.7", ""),
        ("ORR", "12.5", "HER2-low"), ("DCR", "75", "HER2-low"), ("PFS", "3.5", "HER2-low"),
        ("ORR", "61.3", "IHC 3+"), ("DOR", "22.1", "IHC 3+")]


def test_value_comparison_vs_is_not_an_arm_cue(rules, pipes):
    # regression: "74.4% vs 51.9%" made every drug after "vs" a comparator arm
    s = ("KEYNOTE-811 showed an ORR of 74.4% vs 51.9% when pembrolizumab was added to trastuzumab and "
         "chemotherapy in HER2-positive gastric cancer.")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "comparator_value", "drug", "trial", "cancer_type") == [
        ("ORR", "74.4", "51.9", "chemotherapy + pembrolizumab + trastuzumab", "KEYNOTE-811", "gastric")]


def test_not_reached_with_hazard_ratio_and_landmark_rate(rules, pipes):
    s = ("In DESTINY-Breast03 (NCT03529110), T-DXd significantly improved PFS compared with T-DM1 (median not "
         "reached vs 6.8 months; HR 0.28, 95% CI 0.22–0.37; P < 0.001). The 12-month PFS rate was 75.8% with "
         "trastuzumab deruxtecan versus 34.1% with trastuzumab emtansine.")
    found = endpoints(s, rules, pipes, heading="Breast cancer")
    assert rows(found, "endpoint", "value", "unit", "comparator_value", "hr", "ci_low", "ci_high", "p_value",
                "timepoint") == [
        ("PFS", "NR", "months", "6.8", "0.28", "0.22", "0.37", "<0.001", ""),
        ("PFS", "75.8", "%", "34.1", "", "", "", "", "12-month")]
    assert {(m.drug, m.comparator, m.trial, m.nct_id) for m in found} == {
        ("trastuzumab deruxtecan", "trastuzumab emtansine", "DESTINY-BREAST03", "NCT03529110")}


def test_values_given_per_arm_pair_into_value_and_comparator(rules, pipes):
    s = ("In the ToGA trial, the median OS was 13.8 months in the trastuzumab plus chemotherapy arm and 11.1 months "
         "in the chemotherapy-alone arm (HR 0.74; 95% CI 0.60-0.91; p = 0.0046).")
    found = endpoints(s, rules, pipes, heading="Gastric cancer")
    assert rows(found, "endpoint", "value", "comparator_value", "hr", "ci_low", "ci_high", "p_value", "drug",
                "comparator", "trial", "cancer_type") == [
        ("OS", "13.8", "11.1", "0.74", "0.60", "0.91", "0.0046", "chemotherapy + trastuzumab", "chemotherapy", "TOGA",
         "gastric")]


def test_confidence_interval_bounds_are_not_values(rules, pipes):
    s = ("In DESTINY-Lung02, T-DXd achieved an ORR of 49.0% (95% CI, 39.0%-59.1%) and a median DOR of 16.7 months "
         "in patients with HER2-mutant NSCLC.")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "unit", "trial") == [
        ("ORR", "49.0", "%", "DESTINY-LUNG02"), ("DOR", "16.7", "months", "DESTINY-LUNG02")]


@pytest.mark.parametrize("s, expected", [
    ("In DESTINY-Lung01, the mPFS and mOS were 8.2 and 17.8 months, respectively.",
     [("PFS", "8.2", "months"), ("OS", "17.8", "months")]),
    ("In the HERB trial, the ORR, DCR, and mPFS were 36.4%, 81.8%, and 5.7 months, respectively.",
     [("ORR", "36.4", "%"), ("DCR", "81.8", "%"), ("PFS", "5.7", "months")]),
])
def test_respectively_lists_pair_in_order(rules, pipes, s, expected):
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "unit") == expected


def test_arm_named_after_each_value_with_a_drug_code(rules, pipes):
    s = ("In KATHERINE, the 3-year iDFS rate was 88.3% with T-DM1 compared with 77.0% with trastuzumab "
         "(HR 0.50; 95% CI 0.39–0.64; P<0.001).")
    assert rows(endpoints(s, rules, pipes, heading="Breast cancer"), "endpoint", "value", "comparator_value", "hr",
                "ci_low", "ci_high", "timepoint", "drug", "comparator") == [
        ("IDFS", "88.3", "77.0", "0.50", "0.39", "0.64", "3-year", "trastuzumab emtansine", "trastuzumab")]


def test_a_text_without_abstract_or_known_headings_still_has_content(rules, pipes):
    text = ("HER2-targeted therapy: an update\n\nLung cancer\n\nIn DESTINY-Lung02, T-DXd achieved an ORR of 49.0% "
            "in patients with HER2-mutant NSCLC who had received platinum-based chemotherapy.\n")
    ann = annotate_text(text, rules, pipes)
    assert [s.kind for s in ann.doc.sections] == ["title", "body"]
    assert rows(extract_endpoints(DocView(ann, rules)), "endpoint", "value", "cancer_type") == [("ORR", "49.0", "nsclc")]


def test_values_under_endpoint_column_headers_of_a_text_table(rules, pipes):
    text = ("HER2-targeted therapy in colorectal cancer: a review\n\nIntroduction\n\nTrials are summarized in "
            "Table 1 below for the reader.\n\n"
            "Table 1 Selected trials of HER2-targeted therapy in colorectal cancer\n"
            "Trial\tPhase\tRegimen\tORR\tmPFS (months)\n"
            "HERACLES-B\tII\tPertuzumab + T-DM1\t9.7%\t4.1\n"
            "MOUNTAINEER\tII\tTucatinib + trastuzumab\t38.1%\t8.2\n"
            "DESTINY-CRC01\tII\tT-DXd\t45.3%\tNR\n\nConclusion\n\nHER2 is a target in colorectal cancer.\n")
    ann = annotate_text(text, rules, pipes)
    found = extract_endpoints(DocView(ann, rules))
    for m in found:
        assert ann.doc.text[m.prov.char_start:m.prov.char_end] == m.prov.quote and m.prov.table_id == "T1"
    assert rows(found, "endpoint", "value", "unit", "drug", "trial", "cancer_type") == [
        ("ORR", "9.7", "%", "pertuzumab + trastuzumab emtansine", "HERACLES-B", "colorectal"),
        ("PFS", "4.1", "months", "pertuzumab + trastuzumab emtansine", "HERACLES-B", "colorectal"),
        ("ORR", "38.1", "%", "trastuzumab + tucatinib", "MOUNTAINEER", "colorectal"),
        ("PFS", "8.2", "months", "trastuzumab + tucatinib", "MOUNTAINEER", "colorectal"),
        ("ORR", "45.3", "%", "trastuzumab deruxtecan", "DESTINY-CRC01", "colorectal"),
        ("PFS", "NR", "months", "trastuzumab deruxtecan", "DESTINY-CRC01", "colorectal")]


def test_a_value_tied_to_no_drug_or_trial_is_not_reported(rules, pipes):
    # ../shared/pdfs/bmccancer2012_CanPrevent_colorectal_pilot.pdf: a survey's response rate
    s = ("However, the study was limited by a low response rate (51%), and intervention effects were observed "
         "for fibre intake alone [20].")
    assert endpoints(s, rules, pipes, heading="Colorectal cancer prevention") == []


@pytest.mark.parametrize("s, expected", [
    ("In DESTINY-Breast03, the hazard ratio for disease progression or death was 0.28 (95% CI, 0.22 to 0.37; "
     "P<0.001).", ("PFS", "", "0.28", "0.22", "0.37", "<0.001", "trastuzumab deruxtecan", "")),
    ("In EMILIA, T-DM1 reduced the risk of death by 32% (HR 0.68; 95% CI 0.55-0.85).",
     ("OS", "", "0.68", "0.55", "0.85", "", "trastuzumab emtansine", "")),
    ("In DESTINY-Breast04, T-DXd prolonged median PFS among patients with HER2-low disease (9.9 months vs. "
     "5.1 months; hazard ratio, 0.50; P<0.001).",
     ("PFS", "9.9", "0.50", "", "", "<0.001", "trastuzumab deruxtecan", "HER2-low")),
])
def test_hazard_ratio_phrasings(rules, pipes, s, expected):
    assert rows(endpoints(s, rules, pipes, heading="Breast cancer"), "endpoint", "value", "hr", "ci_low", "ci_high",
                "p_value", "drug", "population") == [expected]


def test_an_abstract_without_heading_has_no_paragraph_as_heading(rules, pipes):
    text = ("HER2-targeted therapy: an update\n\n" + " ".join(["In DESTINY-Breast03, the hazard ratio for disease "
            "progression or death was 0.28 (95% CI, 0.22 to 0.37; P<0.001). In CLEOPATRA, pertuzumab improved "
            "median OS (56.5 vs 40.8 months; HR = 0.68, 95% CI: 0.56–0.84, P < 0.001)."] * 2) + "\n")
    ann = annotate_text(text, rules, pipes)
    assert [(s.kind, s.heading) for s in ann.doc.sections] == [
        ("title", "HER2-targeted therapy: an update"), ("abstract", "")]
    found = extract_endpoints(DocView(ann, rules))
    assert {(m.trial, m.drug) for m in found} == {("DESTINY-BREAST03", "trastuzumab deruxtecan"),
                                                 ("CLEOPATRA", "pertuzumab")}


@pytest.mark.parametrize("s, n, N", [
    ("In DESTINY-Gastric01, the objective response rate was 51.3% (n = 61/119) with T-DXd.", "61", "119"),
    ("In DESTINY-Gastric01, an objective response was seen in 61 of 119 patients (51.3%) treated with T-DXd.",
     "61", "119"),
])
def test_n_of_n_before_or_after_the_value(rules, pipes, s, n, N):
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "n", "n_total") == [("ORR", "51.3", n, N)]


@pytest.mark.parametrize("s, expected", [
    ("In DESTINY-Lung02, ORRs were 49.0% and 56.0% in the 5.4 and 6.4 mg/kg cohorts, respectively.",
     [("ORR", "49.0", "5.4 mg/kg"), ("ORR", "56.0", "6.4 mg/kg")]),
    ("In DESTINY-Breast04, the mPFS was 10.1 and 9.9 months in HR-positive and HR-negative patients, respectively.",
     [("PFS", "10.1", "HR-positive"), ("PFS", "9.9", "HR-negative")]),
])
def test_respectively_lists_of_populations(rules, pipes, s, expected):
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "population") == expected
