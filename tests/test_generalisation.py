"""Extraction that holds on text nobody tuned it on (issue 11): each behaviour on made-up
sentences in the styles of journal abstracts and reviews (none is taken from a gold text),
with sentences that must not match beside the ones that must."""
from __future__ import annotations

import pytest

from conftest import annotate_text, extract_from_text
from pipeline.extract.context import DocView
from pipeline.extract.efficacy import extract_endpoints
from pipeline.extract.regulatory import extract_approvals


def endpoints(text, rules, pipes):
    return extract_from_text(extract_endpoints, text, rules, pipes)


def events(text, rules, pipes):
    return extract_from_text(extract_approvals, text, rules, pipes)


def record(text, rules, pipes):
    """A PubMed record: a title printed with a full stop, a blank line, the abstract."""
    ann = annotate_text(text, rules, pipes, name="pmid1.txt")
    view = DocView(ann, rules)
    return ann, extract_endpoints(view), extract_approvals(view)


def rows(found, *fields):
    return [tuple(getattr(m, f) for f in fields) for m in found]


# ------------------------------------------------------------------ drugs by what they are


@pytest.mark.parametrize("sentence,drug", [
    ("The ORR was 41% with capivasertib plus fulvestrant.", "capivasertib + fulvestrant"),
    ("Median PFS was 9.1 months with JSKN003.", "jskn003"),
    ("With datopotamab deruxtecan the ORR was 36%.", "datopotamab deruxtecan"),
    ("Median PFS with elacestrant was 3.8 months.", "elacestrant"),
])
def test_drugs_outside_the_lexicon_are_recognised_by_stem_or_code(sentence, drug, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert [m.drug for m in found] == [drug]


def test_words_with_drug_like_endings_are_no_drugs(rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\nThe concept was accepted by the cabinet in the tablet era.\n", rules, pipes)
    assert not [e for e in ann.entities if e.label == "DRUG"]


def test_abbreviation_of_a_pattern_drug_is_the_drug(rules, pipes):
    found = endpoints("Patients received palbociclib (PAL). Median PFS was 24.8 months with PAL.", rules, pipes)
    assert rows(found, "value", "drug") == [("24.8", "palbociclib")]


# ------------------------------------------------------------------ numbers as journals print them


def test_lancet_decimal_points_thin_spaces_and_unicode_minus(rules, pipes):
    s = "Median overall survival was 21\u00b73 months (95% CI 16\u00b71\u201313\u00b74) with trastuzumab."
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value", "unit") == [("OS", "21.3", "months")]
    s = "The objective response rate was 38\u2009% with lapatinib (HR \u22120\u00b712 for the log scale)."
    assert rows(endpoints(s, rules, pipes), "value") == [("38",)]


@pytest.mark.parametrize("sentence,expected", [
    ("Thirty-one patients had a pCR; in total 31 (84%) patients achieved pCR with pertuzumab.", ("PCR", "84", "31")),
    ("The objective response rate with neratinib was 38% (18 of 47 patients).", ("ORR", "38", "18")),
])
def test_counts_beside_percentages(sentence, expected, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "n")[:1] == [expected]


def test_ranges_and_timepoints(rules, pipes):
    found = endpoints("With trastuzumab, response rates ranged from 22.5% to 48.0% across the studies.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "22.5-48.0")]
    # "at 1 year" dates the rate, "median follow-up of 29.6 months" is no result
    s = ("At a median follow-up of 29.6 months, PFS at 1 year was 46% with tucatinib and "
         "DFS through 36 months was not reported.")
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value", "unit", "timepoint") == [("PFS", "46", "%", "1-year")]


# ------------------------------------------------------------------ hazard ratios in every phrasing


@pytest.mark.parametrize("sentence,hr,lo,hi", [
    ("With pertuzumab, the hazard ratio for progression, 0.62, favoured the combination.", "0.62", "", ""),
    ("Overall survival improved with trastuzumab (HR 0\u00b781 [95% CI 0\u00b760\u20131\u00b709]).", "0.81", "0.60", "1.09"),
    ("Progression-free survival was longer with neratinib (HR = 0.47 (0.31\u20130.71)).", "0.47", "0.31", "0.71"),
    ("For lapatinib, the PFS hazard ratio was 0.74 (95% CI, 0.58 to 0.94).", "0.74", "0.58", "0.94"),
    ("Overall survival with tucatinib: hazard ratio (HR) for death: 0.73, 95% CI: 0.59-0.90.", "0.73", "0.59", "0.90"),
])
def test_hazard_ratio_phrasings(sentence, hr, lo, hi, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert rows(found, "hr", "ci_low", "ci_high") == [(hr, lo, hi)]


def test_prognostic_hazard_ratios_of_a_multivariable_model_are_no_results(rules, pipes):
    s = ("In multivariable analysis, older age (HR, 1.35; 95% CI, 1.15-1.59) and nodal status "
         "(HR, 1.31; 95% CI, 1.10-1.57) were associated with shorter disease-free survival.")
    assert endpoints(s, rules, pipes) == []


def test_design_assumptions_are_no_results(rules, pipes):
    s = ("Assuming a median PFS of 3.8 months with placebo, the trial had 80% power to detect a hazard ratio "
         "of 0.58 with ribociclib.")
    assert endpoints(s, rules, pipes) == []


# ------------------------------------------------------------------ arms and comparators


def test_two_arms_make_one_value_with_its_comparator(rules, pipes):
    s = "Median overall survival was 19.2 months with zanidatamab and 14.6 months with trastuzumab."
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "drug", "comparator") == [
        ("OS", "19.2", "14.6", "zanidatamab", "trastuzumab")]


def test_the_control_arm_named_first_is_the_comparator(rules, pipes):
    s = "Median PFS was 3.6 months in the placebo group, as compared with 7.2 months in the capivasertib group."
    found = endpoints(s, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == [("7.2", "3.6", "capivasertib")]


def test_hazard_ratio_joins_the_comparison_it_follows(rules, pipes):
    s = ("Median PFS was 25.3 months for ribociclib plus letrozole and 16.0 months for placebo plus letrozole "
         "(hazard ratio 0.568; 95% CI 0.457-0.704; P<0.001).")
    found = endpoints(s, rules, pipes)
    assert rows(found, "value", "comparator_value", "hr", "ci_low", "p_value") == [
        ("25.3", "16.0", "0.568", "0.457", "<0.001")]
    assert found[0].drug == "letrozole + ribociclib"


def test_respectively_before_the_values_and_a_landmark_opening_the_sentence(rules, pipes):
    found = endpoints("With trastuzumab, the ORR and DCR were respectively 29% (95% CI 20-40) and 71% (95% CI 63-78).",
                      rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "29"), ("DCR", "71")]
    found = endpoints("At 4 years, invasive disease-free survival was 85.8% with abemaciclib plus endocrine therapy.",
                      rules, pipes)
    assert rows(found, "endpoint", "value", "timepoint") == [("IDFS", "85.8", "4-year")]


def test_respectively_with_intervals_and_a_difference_is_no_value(rules, pipes):
    s = ("Median DoR and PFS with entrectinib were 27.3 months (95% CI 19.9-30.9) and 28.0 months "
         "(95% CI 15.7-30.4), respectively, a 12% difference in risk.")
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value") == [("DOR", "27.3"), ("PFS", "28.0")]


# ------------------------------------------------------------------ attribution through structure


def test_a_record_attributes_results_to_the_regimen_and_trial_of_its_title(rules, pipes):
    text = ("Eribulin plus pembrolizumab in HER2-negative metastatic breast cancer (KELLY): a single-arm phase II trial.\n\n"
            "Patients received the combination every three weeks.\n"
            "The objective response rate was 40.9% and the median progression-free survival was 6.0 months.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "drug", "trial", "cancer_type") == [
        ("ORR", "40.9", "eribulin + pembrolizumab", "KELLY", "breast"),
        ("PFS", "6.0", "eribulin + pembrolizumab", "KELLY", "breast")]


def test_a_record_without_a_named_trial_borrows_none(rules, pipes):
    text = ("Abemaciclib in real-world HER2-negative breast cancer: a retrospective cohort.\n\n"
            "We reviewed charts of patients treated at two centres.\n"
            "Median real-world PFS was 8.2 months.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug", "trial") == [("8.2", "abemaciclib", "")]


def test_a_drug_mentioned_in_passing_does_not_take_a_records_results(rules, pipes):
    text = ("Nivolumab in recurrent endometrial cancer: results of a phase II cohort.\n\n"
            "Thirty patients were enrolled; 18 had received two prior lines, including bevacizumab.\n"
            "The objective response rate was 23%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("23", "nivolumab")]
    # the regimen the record is about, named in the sentence before, still carries over
    text = ("Nivolumab in recurrent endometrial cancer: results of a phase II cohort.\n\n"
            "Thirty patients received nivolumab plus ipilimumab.\n"
            "The objective response rate was 23%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("23", "ipilimumab + nivolumab")]


# ------------------------------------------------------------------ regulatory statements


def test_approval_by_country_and_without_agency(rules, pipes):
    found = events("Pyrotinib was approved in China in 2018. Olaparib and talazoparib are approved for "
                   "gBRCA-mutated breast cancer.", rules, pipes)
    assert sorted(rows(found, "agency", "drug", "date")) == [
        ("", "olaparib", ""), ("", "talazoparib", ""), ("NMPA", "pyrotinib", "2018")]


def test_approved_in_two_jurisdictions_is_two_events(rules, pipes):
    found = events("Everolimus plus exemestane has been approved in Europe and the US for advanced breast cancer.",
                   rules, pipes)
    assert sorted(m.agency for m in found) == ["EMA", "FDA"]


@pytest.mark.parametrize("sentence", [
    "Marketing authorisation for margetuximab was not granted in the European Union.",
    "Neratinib is not approved in the European Union for this indication.",
    "The committee did not recommend zanidatamab for routine use.",
    "Trastuzumab deruxtecan may receive approval if the confirmatory trial is positive.",
    "The approved ADCs were compared in a pharmacovigilance study.",
    # "forward-looking statements about the potential approval of SHR-A1811" (set 10 mu3910, set 12 mu4702;
    # rules/context.yaml potential_approval)
    "This release contains forward-looking statements about the potential approval of SHR-A1811 in gastric cancer and "
    "about filings with the U.S. FDA.",
    # a counterfactual (set 13 mu5010; rules/context.yaml modal)
    "Had the confirmatory trial succeeded, margetuximab would have been the second Fc-engineered antibody authorised "
    "in the EU.",
])
def test_negated_hypothetical_or_adjectival_statements_are_no_events(sentence, rules, pipes):
    assert events(sentence, rules, pipes) == []


@pytest.mark.parametrize("sentence,expected", [
    # a list of timepoints: "18 months" dates the second rate
    ("With ribociclib, PFS at 12 months and 18 months was 76% and 67%, respectively.", [("76", "12-month"), ("67", "18-month")]),
    # a ranking score is no response rate
    ("Everolimus ranked first for ORR (SUCRA = 88.7%).", []),
    # the size of a difference is no group's value; the groups' own values are
    ("At 4 years, the absolute difference in invasive disease-free survival between the groups was 6.4% "
     "(85.8% [95% CI 84.2-87.3] in the abemaciclib plus endocrine therapy group vs 79.4% [77.5-81.1] in the "
     "endocrine therapy alone group).", [("85.8", "4-year")]),
])
def test_numbers_that_are_no_group_values(sentence, expected, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert rows(found, "value", "timepoint") == expected


def test_short_form_defined_with_a_brand_and_accelerated_approval_with_the_agency_inside(rules, pipes):
    found = events("Sacituzumab govitecan (SG; Trodelvy) is an antibody-drug conjugate. SG was granted accelerated "
                   "FDA approval for metastatic triple-negative breast cancer in April 2020.", rules, pipes)
    assert rows(found, "agency", "event", "drug", "date") == [
        ("FDA", "accelerated_approval", "sacituzumab govitecan", "2020-04")]


def test_landmarks_before_their_values_and_counts_that_achieved_an_endpoint(rules, pipes):
    s = "With lasofoxifene, 6-month (53.4% versus 37.9%) and 12-month (30.7% versus 14.1%) PFS rates were higher."
    found = endpoints(s, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "timepoint") == [
        ("PFS", "53.4", "37.9", "6-month"), ("PFS", "30.7", "14.1", "12-month")]
    s = "With T-DM1, of 92 patients, 48 (52.2%) and 10 (10.9%) experienced breast pCR and RCB I, respectively."
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "n") == [("PCR", "52.2", "48")]


def test_cohort_labels_defined_earlier_carry_their_regimen(rules, pipes):
    s = ("Patients were assigned by genomic profile: arm 1, alpelisib, a PIK3CA inhibitor; arm 2, poziotinib; "
         "arm 3, nintedanib. In arm 1, the ORR was 21.2%. The ORR was 0% for arm 2 and 42.9% for arm 3.")
    found = endpoints(s, rules, pipes)
    assert rows(found, "value", "drug") == [("21.2", "alpelisib"), ("0", "poziotinib"), ("42.9", "nintedanib")]


def test_between_two_drugs_is_two_arms_only_in_a_comparison(rules, pipes):
    s = ("There was no significant difference between fulvestrant and tamoxifen in time to progression "
         "(median TTP, 6.8 months and 8.3 months, respectively).")
    assert rows(endpoints(s, rules, pipes), "value", "comparator_value", "drug") == [("6.8", "8.3", "fulvestrant")]
    s = ("The interaction between lapatinib and sorafenib was studied; the objective response rate was 12%.")
    assert rows(endpoints(s, rules, pipes), "value", "drug") == [("12", "lapatinib + sorafenib")]


def test_a_stated_duration_followed_by_since_is_a_value(rules, pipes):
    s = "With exemestane, the median progression-free survival was 5.2 months since the initiation of therapy."
    assert rows(endpoints(s, rules, pipes), "endpoint", "value") == [("PFS", "5.2")]
    s = "With exemestane, disease progression was observed 3 months after surgery; PFS was not reported."
    assert endpoints(s, rules, pipes) == []


# ------------------------------------------------------------------ arms, lists and classes (second pass)


@pytest.mark.parametrize("sentence,expected", [
    # JCO prints "versus" as a lone "v" between two values
    ("With everolimus, median PFS was 6.4 v 4.1 months.", [("6.4", "4.1")]),
    ("The response rate favoured sunitinib (44.2% v 31.0%).", [("44.2", "31.0")]),
    # a "v" that is no comparison: a cohort's roman numeral
    ("In cohort V treated with sunitinib, the ORR was 30%.", [("30", "")]),
])
def test_lone_v_is_versus_only_between_values(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "comparator_value") == expected


def test_three_values_each_with_its_own_arm_are_three_results(rules, pipes):
    found = endpoints("The objective response rate was 9% with afatinib alone (two partial responses), 25% with "
                      "afatinib plus vinorelbine, and 0% with afatinib plus paclitaxel.", rules, pipes)
    assert rows(found, "value", "drug", "comparator_value", "comparator") == [
        ("9", "afatinib", "", ""), ("25", "afatinib + vinorelbine", "", ""), ("0", "afatinib + paclitaxel", "", "")]
    # each arm with its own aside: the list still runs to its last arm
    found = endpoints("The objective response rate was 6% with capivasertib alone (one partial response), 22% with "
                      "capivasertib plus paclitaxel (four partial responses), and 0% with capivasertib plus fulvestrant.",
                      rules, pipes)
    assert rows(found, "value", "drug") == [("6", "capivasertib"), ("22", "capivasertib + paclitaxel"),
                                            ("0", "capivasertib + fulvestrant")]
    # two arms stay one value with its comparator
    two = endpoints("Median TTP was 6.2 months with lapatinib plus capecitabine and 4.3 months with capecitabine alone.",
                    rules, pipes)
    assert rows(two, "value", "drug", "comparator_value", "comparator") == [
        ("6.2", "capecitabine + lapatinib", "4.3", "capecitabine")]


@pytest.mark.parametrize("sentence,drug", [
    ("With exemestane, an aromatase inhibitor, the ORR was 47%.", "exemestane"),
    ("Docetaxel-based chemotherapy plus trastuzumab gave a pCR rate of 38%.", "docetaxel + trastuzumab"),
    # no member named: the class is the regimen
    ("With palbociclib plus an aromatase inhibitor, the ORR was 42%.", "aromatase inhibitor + palbociclib"),
    ("Trastuzumab plus chemotherapy gave an ORR of 47%.", "chemotherapy + trastuzumab"),
])
def test_a_class_named_beside_its_member_is_the_member(sentence, drug, rules, pipes):
    from pipeline.extract import annotated_to_mentions

    ann = annotate_text("Review\n\nIntroduction\n\n" + sentence + "\n", rules, pipes)
    assert [m.drug for m in annotated_to_mentions(ann, rules) if m.kind == "endpoint"] == [drug]


@pytest.mark.parametrize("sentence,expected", [
    # a value printed before its own interval, the unit after it
    ("With lapatinib, mean OS was 15.9 (95% CI 12.9-19.0) months.", [("OS", "15.9", "months", "")]),
    ("With tucatinib, median PFS was 9.4 (95% CI 7.1-11.0) (arm A) and 6.2 (5.0-7.7) months (arm B).",
     [("PFS", "9.4", "months", ""), ("PFS", "6.2", "months", "")]),
    # an age is no result, even printed the same way
    ("With lapatinib, median PFS was 8.1 months; median age was 56 (range 30-80) years.", [("PFS", "8.1", "months", "")]),
    # "vs." inside a clause does not end it
    ("Median PFS with olaparib vs. niraparib was not reached vs 31.5 months.", [("PFS", "NR", "months", "31.5")]),
    ("With palbociclib, median OS was not reached in either arm.", [("OS", "NR", "months", "NR")]),
    # survival as a share of patients alive at a landmark
    ("With cisplatin, 22% of patients were alive at 1 year.", [("OS", "22", "%", "")]),
])
def test_values_in_journal_layouts(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "unit", "comparator_value") == expected


@pytest.mark.parametrize("sentence", [
    "With sorafenib, 67 patients were required to demonstrate increased median PFS from 4.2 to 6.2 months.",
    "With olaparib, median progression-free survival was 2.8 months longer than with chemotherapy.",
    "With lapatinib, median follow-up ranged between 37 and 95 months for RFS.",
    "Of 67 patients given tamoxifen, 28 (42%) had stabilized disease.",
])
def test_design_gains_follow_up_and_stable_disease_are_no_values(sentence, rules, pipes):
    assert endpoints(sentence, rules, pipes) == []


def test_deaths_give_an_overall_survival_hazard_ratio(rules, pipes):
    found = endpoints("In all, 157 (5.6%) patients in the abemaciclib group died compared with 173 (6.1%) in the "
                      "control group (HR 0.929, 95% CI 0.748-1.153; p=0.50).", rules, pipes)
    assert rows(found, "endpoint", "hr", "ci_low", "ci_high") == [("OS", "0.929", "0.748", "1.153")]


def test_a_definition_in_brackets_does_not_replace_its_endpoint(rules, pipes):
    found = endpoints("The response rate (complete plus partial responses plus stable disease) to letrozole was 40.9%.",
                      rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [("ORR", "40.9", "letrozole")]


def test_her2_targeted_therapy_as_a_class(rules, pipes):
    found = endpoints("In the pooled analysis of HER2-targeted inhibitors, the ORR and DCR were respectively 29% "
                      "(95% CI 20-40) and 71% (95% CI 63-78).", rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [("ORR", "29", "her2-targeted therapy"),
                                                        ("DCR", "71", "her2-targeted therapy")]


@pytest.mark.parametrize("sentence,expected", [
    ("Six (43%) of 14 patients responded to letrozole.", [("ORR", "43", "letrozole")]),
    ("Overall, 22% (6/27) responded to tamoxifen after crossover.", [("ORR", "22", "tamoxifen")]),
    # "responded" with no share of patients is no value
    ("Patients who responded to tamoxifen had a median age of 61 years.", []),
])
def test_responded_with_a_share_of_patients_is_a_response_rate(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "drug") == expected


def test_respectively_with_abbreviations_in_brackets(rules, pipes):
    found = endpoints("With HER2-targeted inhibitors, the median PFS (mPFS) and median OS (mOS) were respectively "
                      "4.89 months (95% CI 3.82-5.97) and 13.04 months (95% CI 9.45-16.62).", rules, pipes)
    assert rows(found, "endpoint", "value") == [("PFS", "4.89"), ("OS", "13.04")]


def test_a_semicolon_inside_a_bracket_does_not_end_the_clause(rules, pipes):
    found = endpoints("Response rate in the everolimus arm was higher than with letrozole alone (ie, placebo; "
                      "68.1% v 59.1%).", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("ORR", "68.1", "59.1")]
    # a semicolon outside brackets still does
    assert endpoints("The response rate was assessed by palpation; 68.1% of tumours shrank with everolimus.",
                     rules, pipes) == []


def test_a_drug_naming_the_patients_history_is_not_the_regimen(rules, pipes):
    found = endpoints("With eribulin, the response rate was 21% for chemo-naive patients.", rules, pipes)
    assert rows(found, "value", "drug") == [("21", "eribulin")]
    found = endpoints("In trastuzumab-resistant disease treated with neratinib, the ORR was 24%.", rules, pipes)
    assert rows(found, "value", "drug") == [("24", "neratinib")]


@pytest.mark.parametrize("text,expected", [
    ("Palliative infusion therapy in advanced pancreatic cancer.\n\n"
     "Patients with pancreatic cancer may still be responsive to chemotherapy.\n"
     "Twenty patients were treated with etoposide, leucovorin and cisplatin every two weeks.\n"
     "Results. The overall response rate was 20%.\n", [("20", "cisplatin + etoposide + leucovorin")]),
    # a record that says what patients received keeps its regimen past a drug named in passing
    ("Outcomes in HER2-positive gastric cancer.\n\n"
     "Patients received zanidatamab plus chemotherapy. Nivolumab is an alternative in other settings. "
     "The ORR was 52.0%.\n", [("52.0", "chemotherapy + zanidatamab")]),
    # an editorial whose first drugs are only named moves from them to the next paragraph's drug
    ("Second-line therapy in biliary cancer: a perspective.\n\n"
     "The first-line conversation is almost always about gemcitabine, cisplatin and durvalumab.\n\n"
     "HER2 changes the second-line discussion, and for these patients zanidatamab is the obvious choice. "
     "In the pivotal cohort, 33 of 80 patients responded, an ORR of 41.3%.\n", [("41.3", "zanidatamab")]),
])
def test_a_records_regimen_comes_from_the_sentence_that_says_what_patients_received(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


def test_hazard_ratios_listed_respectively_follow_the_endpoints_in_order(rules, pipes):
    found = endpoints("Women derived significant RFS and OS benefit from anastrozole compared with tamoxifen, HR 0.47 "
                      "(95% CI 0.25-0.91; P = 0.03) and HR 0.37 (95% CI 0.18-0.79; P = 0.01), respectively.",
                      rules, pipes)
    assert rows(found, "endpoint", "hr", "ci_low") == [("RFS", "0.47", "0.25"), ("OS", "0.37", "0.18")]
    # without "respectively" the nearest endpoint before each HR still decides
    found = endpoints("With lapatinib, PFS was longer (HR 0.57; 95% CI 0.45-0.73) and OS was longer (HR 0.80; "
                      "95% CI 0.62-1.04).", rules, pipes)
    assert rows(found, "endpoint", "hr") == [("PFS", "0.57"), ("OS", "0.80")]


# ------------------------------------------------------------------ patient groups compared, not arms


@pytest.mark.parametrize("text,expected", [
    # a prognostic cohort: biomarker levels compared, one result per group
    ("Serum HER2 extracellular domain and outcome after adjuvant anastrozole.\n\n"
     "Two hundred women received anastrozole after surgery.\n"
     "Overall survival rates were lower in women with high serum HER2 levels (OS, 88% versus 69%, P = 0.01).\n",
     [("OS", "88", ""), ("OS", "69", "")]),
    # a single-arm study: mutation status compared
    ("Lapatinib in HER2-mutant lung cancer: a single-arm phase II study.\n\n"
     "Forty patients were treated with lapatinib.\n"
     "Patients with concomitant TP53 mutation had shorter PFS (PFS: 3.1 vs. 7.4 months, P = 0.04).\n",
     [("PFS", "3.1", ""), ("PFS", "7.4", "")]),
])
def test_patient_groups_compared_in_a_record_without_arms_are_two_results(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("text,expected", [
    # randomised: the same shape compares arms
    ("Anastrozole with or without lapatinib.\n\n"
     "Women were randomly assigned to anastrozole plus lapatinib or anastrozole plus placebo.\n"
     "In patients with high HER2 levels, PFS was 8.2 vs. 3.0 months (P = 0.02).\n",
     [("PFS", "8.2", "3.0")]),
    # not randomised, but the sentence names the control treatment
    ("Real-world palbociclib in advanced breast cancer.\n\n"
     "We reviewed 300 patients treated in routine care.\n"
     "Patients treated with palbociclib plus letrozole compared with letrozole alone had longer PFS "
     "(PFS: 20.1 vs. 12.3 months, P < 0.01).\n",
     [("PFS", "20.1", "12.3")]),
])
def test_treatments_compared_stay_one_result_with_its_comparator(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_a_survival_percentage_needs_a_landmark_or_the_word_rates(rules, pipes):
    assert rows(endpoints("With neratinib, DFS rates were 91% and 86% in the two cohorts.", rules, pipes),
                "endpoint", "value") == [("DFS", "91"), ("DFS", "86")]
    assert endpoints("With neratinib, DFS improved in 91% of the centres.", rules, pipes) == []


@pytest.mark.parametrize("text,expected", [
    ("With ribociclib, median PFS was 20.5 versus 12.8 months (hazard ratio, 0.59; 95% CI, 0.48 to 0.73). "
     "Consistent effects were seen in first-line patients (hazard ratio, 0.58; 95% CI, 0.42 to 0.80).",
     [("PFS", "20.5", "0.59"), ("PFS", "", "0.58")]),
    ("With tucatinib, OS was longer (HR 0.66; 95% CI 0.50-0.88). The benefit held in patients with "
     "brain metastases (HR 0.58).",
     [("OS", "", "0.66"), ("OS", "", "0.58")]),
    # the next sentence is about another outcome: its hazard ratio is not the previous endpoint's
    ("With tucatinib, OS was longer (HR 0.66; 95% CI 0.50-0.88). Median times to chemotherapy were "
     "longer as well (HR 0.72).",
     [("OS", "", "0.66")]),
])
def test_a_sentence_naming_no_endpoint_continues_the_previous_hazard_ratio(text, expected, rules, pipes):
    assert rows(endpoints(text, rules, pipes), "endpoint", "value", "hr") == expected


def test_hazard_ratios_printed_without_leading_zero(rules, pipes):
    found = endpoints("With goserelin, the death hazards ratio was .80 for overall survival.", rules, pipes)
    assert rows(found, "endpoint", "hr") == [("OS", "0.80")]


@pytest.mark.parametrize("sentence,expected", [
    ("With pembrolizumab, OS [hazard ratio (95% CI)] was longer in every subgroup [PD-L1 high (n = 40): "
     "0.52 (0.30-0.91), PD-L1 low (n = 81): 0.88 (0.61-1.27)].",
     [("OS", "0.52", "0.30"), ("OS", "0.88", "0.61")]),
    ("The DFS hazard ratio for neratinib versus placebo in HR+ tumours (N = 1,631) was 0.49 (95% CI, 0.36 to "
     "0.67) versus 1.21 (95% CI, 0.63 to 2.34) in HR- tumours.",
     [("DFS", "0.49", "0.36"), ("DFS", "1.21", "0.63")]),
])
def test_ratios_listed_with_their_own_interval_after_a_hazard_ratio_cue(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "hr", "ci_low") == expected


@pytest.mark.parametrize("sentence", [
    # a median with its interval and a unit is no ratio; nor is a ratio outside its interval
    "With neratinib (HR reported elsewhere), median PFS was 5.3 (4.1-6.2) months.",
    "With neratinib, the HR table lists PFS 2.5 (0.4-0.9).",
    # no hazard-ratio cue in the sentence: a bare ratio is nothing
    "With neratinib, the PFS odds were 0.52 (0.30-0.91).",
])
def test_bare_ratios_that_are_no_hazard_ratios(sentence, rules, pipes):
    assert [m.hr for m in endpoints(sentence, rules, pipes) if m.hr] == []


@pytest.mark.parametrize("text,expected", [
    ("An umbrella trial in gastric cancer.\n\n"
     "Patients were assigned by biomarker: arm 1, zanidatamab; arm 2, tucatinib; arm 3, olaparib.\n"
     "The median PFS was 5.1, 3.0, and 2.2 months, respectively.\n",
     [("5.1", "zanidatamab"), ("3.0", "tucatinib"), ("2.2", "olaparib")]),
    ("A basket study of HER2-mutant tumours.\n\n"
     "Cohort A, neratinib; cohort B, neratinib plus fulvestrant; cohort C, neratinib plus trastuzumab.\n"
     "The ORR was 20%, 35% and 41%, respectively.\n",
     [("20", "neratinib"), ("35", "fulvestrant + neratinib"), ("41", "neratinib + trastuzumab")]),
])
def test_a_respectively_list_as_long_as_the_defined_arms_follows_them_in_order(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


def test_a_list_of_another_length_is_not_mapped_to_the_arms(rules, pipes):
    text = ("An umbrella trial in gastric cancer.\n\n"
            "Patients were assigned by biomarker: arm 1, zanidatamab; arm 2, tucatinib; arm 3, olaparib.\n"
            "The median PFS was 5.1 and 3.0 months, respectively.\n")
    _, found, _ = record(text, rules, pipes)
    assert [m.drug for m in found if m.drug in ("zanidatamab", "tucatinib")] == []


def test_survival_named_as_rates_earlier_in_the_paragraph_takes_percentages(rules, pipes):
    text = ("With neratinib, DFS rates were higher in ER-positive disease (DFS, 90% versus 80%). "
            "In node-negative disease the gap was smaller (DFS, 94% versus 91%).")
    assert [m.value for m in endpoints(text, rules, pipes)] == ["90", "94"]
    # an earlier paragraph does not count
    text = "With neratinib, DFS rates were reported.\n\nIn node-negative disease, DFS, 94% versus 91%."
    assert endpoints(text, rules, pipes) == []


@pytest.mark.parametrize("text,trial", [
    ("Neratinib before surgery: a phase II trial of the Study Group (NEOHER-12).\n\n"
     "A multicenter phase II study was conducted with neratinib. The objective response rate was 34%.\n", "NEOHER-12"),
    ("Pyrotinib plus capecitabine versus capecitabine: a phase III randomised controlled trial-PYRIT.\n\n"
     "A randomised phase III study was conducted. Median PFS with pyrotinib was 9.1 months.\n", "PYRIT"),
    ("Adjuvant abemaciclib in early breast cancer (monarchX): an interim analysis.\n\n"
     "The median iDFS with abemaciclib was 40.1 months.\n", "MONARCHX"),
    # the record's own trial named in its methods, also with its registry number in the same brackets
    ("Enfortumab vedotin plus pembrolizumab versus chemotherapy in urothelial carcinoma.\n\nBackground: Platinum "
     "chemotherapy has been the standard. Few options exist. Methods: In this open-label, phase 3 trial (EV-318), we "
     "randomly assigned patients to the combination or chemotherapy. Results: The ORR was 66.1%.\n", "EV-318"),
    ("Sacituzumab govitecan versus chemotherapy in Asian patients.\n\nBackground: Options are few. We studied it. "
     "Methods: In this phase 3 trial (ASCENT-Asia; ClinicalTrials.gov number, NCT04639999), patients were randomly "
     "assigned. Results: The ORR was 31%.\n", "ASCENT-ASIA"),
    # a known trial's regional or sequel suffix is part of its name
    ("Tucatinib or placebo with trastuzumab and capecitabine: analyses of the randomised HER2CLIMB-CN trial.\n\n"
     "Patients were randomly assigned. The ORR was 47.3% with tucatinib.\n", "HER2CLIMB-CN"),
    # a sentence about another study does not take the record's
    ("Neratinib before surgery: a phase II trial of the Study Group (NEOHER-12).\n\n"
     "Another phase III trial reported an objective response rate of 50% with neratinib.\n", ""),
])
def test_a_records_own_study_named_in_its_title_or_methods(text, trial, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [m.trial for m in found] == [trial]


@pytest.mark.parametrize("text,expected", [
    ("Sacituzumab Govitecan in Metastatic Breast Cancer.\n\n"
     "Sacituzumab govitecan (SG) is an antibody-drug conjugate. "
     "Patients were randomly assigned to receive SG (n = 272) or chemotherapy (n = 271). "
     "Median PFS was 5.5 months (hazard ratio, 0.66).\n",
     ("sacituzumab govitecan", "chemotherapy")),
    ("Tucatinib in HER2-positive breast cancer.\n\n"
     "Women were randomised to tucatinib (n = 134), or trastuzumab emtansine (n = 133). "
     "The ORR was 68%.\n",
     ("tucatinib", "trastuzumab emtansine")),
])
def test_arms_named_as_alternatives_after_randomisation(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert {(m.drug, m.comparator) for m in found} == {expected}


def test_alternatives_without_randomisation_are_one_regimen(rules, pipes):
    text = ("Sacituzumab Govitecan in Metastatic Breast Cancer.\n\n"
            "Sacituzumab govitecan (SG) is an antibody-drug conjugate. Patients received SG (n = 40) or chemotherapy (n = 12) before enrolment in this registry. "
            "The ORR was 31%.\n")
    _, found, _ = record(text, rules, pipes)
    assert [m.comparator for m in found] == [""]


@pytest.mark.parametrize("sentence,expected", [
    ("Median OS was 37.2 months (28.7-43.6) and 22.8 months (19.0-26.8) in the tucatinib-trastuzumab and "
     "placebo-trastuzumab arms, respectively.", [("37.2", "22.8", "trastuzumab + tucatinib")]),
    ("The 24-month PFS rate was 61.0% and 72.5% in the control and neratinib-capecitabine groups, respectively.",
     [("72.5", "61.0", "capecitabine + neratinib")]),
])
def test_two_values_listed_for_an_arm_and_its_control_are_one_comparison(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "comparator_value", "drug") == expected


def test_two_values_listed_for_two_subgroups_stay_two_results(rules, pipes):
    found = endpoints("With neratinib, the ORR was 31% and 18% in the HER2-mutant and HER2-amplified cohorts, "
                      "respectively.", rules, pipes)
    assert rows(found, "value", "comparator_value") == [("31", ""), ("18", "")]


@pytest.mark.parametrize("sentence,expected", [
    # the rate of another outcome after a value does not take the endpoint's name
    ("With letrozole, the ORR was 41%, the pCR rate was 5% and the rate of breast-conserving surgery was 70%.",
     [("ORR", "41"), ("PCR", "5")]),
    ("With neratinib, the DCR was 64% and the proportion of patients with grade 3 diarrhoea was 32%.",
     [("DCR", "64")]),
    # a list of results of the same endpoint still chains
    ("With neratinib, the ORR was 41%, 33% and 20% in cohorts A, B and C, respectively.",
     [("ORR", "41"), ("ORR", "33"), ("ORR", "20")]),
])
def test_the_rate_of_another_outcome_ends_an_endpoints_list(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("With tamoxifen, median follow-up ranged between 30 and 90 months for DFS and 50-80 months for OS.", []),
    ("With tamoxifen, the median follow-up was 40 months for PFS and 52 months for OS.", []),
    # follow-up as an opening phrase: the results after it are results
    ("After a median follow-up of 29 months, with tamoxifen the 5-year OS was 11% for stage III and 35% for "
     "stage II disease.", [("OS", "11"), ("OS", "35")]),
    ("With tamoxifen, after a median follow-up of 36 months, median PFS was 9.7 months.", [("PFS", "9.7")]),
])
def test_durations_of_a_follow_up_clause_are_no_results(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


def test_a_rate_of_a_number_is_the_endpoints_own(rules, pipes):
    found = endpoints("With T-DXd, the ORR was 60% and the 12-month PFS rate of 75.8% was reported.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "60"), ("PFS", "75.8")]


@pytest.mark.parametrize("sentence,expected", [
    ("Adding pertuzumab increased pCR rates in hormone receptor-negative (45%-63%) and hormone "
     "receptor-positive disease (26%-40%).", [("63", "45"), ("40", "26")]),
    ("With T-DXd, the ORR improved in HER2-low tumours (12% to 37%).", [("37", "12")]),
])
def test_a_bracketed_pair_after_a_verb_of_change_is_from_control_to_new(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "comparator_value") == expected


def test_a_range_without_a_verb_of_change_is_no_comparison(rules, pipes):
    found = endpoints("With pertuzumab, the pCR rate in hormone receptor-negative disease was 45%-63%.", rules, pipes)
    assert rows(found, "value", "comparator_value") != [("63", "45")]


@pytest.mark.parametrize("text,expected", [
    ("Lapatinib by ER level in a randomised trial.\n\nMedian PFS was analysed by ER expression. Patients with low ER expression "
     "benefited from lapatinib (13.6 vs. 6.7 months; P = 0.01). No benefit was seen with high ER expression "
     "(11.2 vs. 14.2 months).\n", [("PFS", "13.6", "6.7"), ("PFS", "11.2", "14.2")]),
    ("Neratinib versus placebo by HER2 mutation.\n\nOverall survival was compared across mutation types. Exon 20 "
     "insertions did better with neratinib (21.0 vs. 9.9 months).\n", [("OS", "21.0", "9.9")]),
])
def test_compared_durations_take_the_endpoint_the_previous_sentence_announced(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("text", [
    # the previous sentence reports a value of its own: no announcement
    "Neratinib.\n\nMedian PFS was 8.1 months with neratinib. Treatment lasted 6.0 vs. 4.1 months.\n",
    # two endpoints announced: which one is unknown
    "Neratinib.\n\nPFS and OS were analysed by subgroup. Patients did better with neratinib (6.0 vs. 4.1 months).\n",
    # a single duration, not a comparison
    "Neratinib.\n\nPFS was analysed by subgroup. Patients were treated with neratinib for 6.0 months.\n",
])
def test_no_endpoint_is_carried_without_an_announcement_and_a_comparison(text, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [m.value for m in found if m.value not in ("8.1",)] == []


def test_a_records_results_count_even_without_a_drug(rules, pipes):
    text = ("Outcomes of HER2-positive gastric cancer in a national cohort.\n\n"
            "We reviewed 400 patients treated between 2010 and 2020. Median OS was 14.2 months (range, 1.1-80.3).\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [("OS", "14.2", "")]


@pytest.mark.parametrize("sentence,drug", [
    ("In this trial of docetaxel and atezolizumab, median OS was not reached in the atezolizumab-treated patients.",
     "atezolizumab"),
    ("Among 300 patients on alpelisib or buparlisib, median PFS was 20.6 months in the buparlisib group.",
     "buparlisib"),
])
def test_a_value_followed_by_its_own_arm_takes_the_arms_drug(sentence, drug, rules, pipes):
    assert [m.drug for m in endpoints(sentence, rules, pipes)] == [drug]


@pytest.mark.parametrize("sentence,drug", [
    # a subgroup or the patients' history is no arm
    ("With neratinib, the ORR was 33% in patients with HER2-positive disease.", "neratinib"),
    ("With neratinib, the ORR was 33% in patients previously treated with trastuzumab.", "neratinib"),
])
def test_a_subgroup_or_history_after_a_value_is_no_arm(sentence, drug, rules, pipes):
    assert [m.drug for m in endpoints(sentence, rules, pipes)] == [drug]


# ------------------------------------------------------------------ regimens named by a short form


@pytest.mark.parametrize("text,short,regimen", [
    ("Patients received nivolumab/cabozantinib/docetaxel [NCD] or docetaxel. NCD improved the ORR.",
     "NCD", "cabozantinib + docetaxel + nivolumab"),
    ("Arms were capecitabine (C), capecitabine plus tucatinib (C + T) and tucatinib alone. C + T was active.",
     "C + T", "capecitabine + tucatinib"),
    ("Women received prednisolone acetate (PRED) for two weeks. PRED was well tolerated.",
     "PRED", "prednisolone"),
    ("Four arms: letrozole (L), anastrozole (A), letrozole then anastrozole (LA). LA was given for 5 years.",
     "LA", "anastrozole + letrozole"),
    ("Cohort B received pembrolizumab plus GP (PGP), where GP was gemcitabine plus cisplatin (GP). PGP was active.",
     "PGP", ""),
])
def test_a_regimen_defined_by_a_short_form_is_that_regimen_where_it_recurs(text, short, regimen, rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\n" + text + "\n", rules, pipes)
    found = {e.normalized for e in ann.entities if e.label == "DRUG" and e.text == short}
    assert found == ({regimen} if regimen else set())


@pytest.mark.parametrize("text,short", [
    ("Patients received trastuzumab plus pertuzumab (TX) and docetaxel. TX was continued.", "TX"),  # X spells neither
    ("Patients received olaparib (n = 40) or placebo (n = 20).", "n"),
    ("Responses with tucatinib (CR in 3) were durable. CR was confirmed.", "CR"),
])
def test_a_short_form_not_spelled_by_the_drugs_before_it_names_no_regimen(text, short, rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\n" + text + "\n", rules, pipes)
    assert not [e for e in ann.entities if e.label == "DRUG" and e.text == short]


def test_values_of_regimens_named_by_short_forms_take_their_regimens(rules, pipes):
    text = ("Tamoxifen, letrozole or both in sequence for early breast cancer.\n\n"
            "Women were randomly assigned to tamoxifen (T), letrozole (L) or tamoxifen followed by letrozole (TL). "
            "Median DFS was 9.1 years for T, 9.8 years for L and 9.6 years for TL.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug", "comparator_value") == [
        ("9.1", "tamoxifen", ""), ("9.8", "letrozole", ""), ("9.6", "letrozole + tamoxifen", "")]


@pytest.mark.parametrize("sentence,value,comparator_value,drug,comparator", [
    # an add-on design: the arm with every drug of the other and more is the experimental arm
    ("The median PFS was 5.1 months with exemestane and 7.8 months with exemestane plus everolimus.",
     "7.8", "5.1", "everolimus + exemestane", "exemestane"),
    ("The median PFS was 7.8 months with exemestane plus everolimus and 5.1 months with exemestane.",
     "7.8", "5.1", "everolimus + exemestane", "exemestane"),
    # two different drugs: the first named stays the value
    ("The median PFS was 5.1 months with exemestane and 7.8 months with everolimus.",
     "5.1", "7.8", "exemestane", "everolimus"),
])
def test_the_arm_adding_a_drug_to_the_other_is_the_experimental_arm(sentence, value, comparator_value, drug,
                                                                    comparator, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "comparator_value", "drug", "comparator") == [
        (value, comparator_value, drug, comparator)]


RANDOMISED = "Tucatinib or placebo with trastuzumab in HER2-positive breast cancer.\n\nPatients were randomly assigned to tucatinib or placebo. "


def randomised(sentence, rules, pipes):
    """The efficacy values of `sentence` as the results paragraph of a randomised trial's record."""
    return record(RANDOMISED + sentence + "\n", rules, pipes)[1]


@pytest.mark.parametrize("sentence,expected", [
    # two values "respectively" for two populations that each name a treatment: one comparison
    ("The ORR was 38% and 21% for tucatinib and placebo, respectively.", [("ORR", "38", "21")]),
    ("The pCR rate was 56% with the combination and 34% with chemotherapy alone.", [("PCR", "56", "34")]),
    # a count with its interval in the bracket, then the patients' verb and the endpoint
    ("Nine (30%; 95% CI 15-49) patients achieved a pCR.", [("PCR", "30", "")]),
    ("The proportion of patients free from progression at 1 year was 33.1%.", [("PFS", "33.1", "")]),
    # subgroups are no arms; a toxicity after the count is no endpoint
    ("The ORR was 38% and 21% in HER2-positive and HER2-low disease, respectively.",
     [("ORR", "38", ""), ("ORR", "21", "")]),
    ("Nine (30%; 95% CI 15-49) patients had grade 3 neutropenia.", []),
])
def test_arms_named_after_values_and_counts_with_intervals(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert sorted(rows(found, "endpoint", "value", "comparator_value")) == sorted(expected)


@pytest.mark.parametrize("sentence,expected", [
    ("Tucatinib reduced the risk of progression by 46% (HR 0.54; 95% CI 0.42-0.71).", [("PFS", "", "0.54")]),
    ("Tucatinib reduced the risk of death by 34% (hazard ratio, 0.66).", [("OS", "", "0.66")]),
    ("Median OS had not been reached at data cut-off.", [("OS", "NR", "")]),
    # no endpoint and no risk named: nothing to attach
    ("The planned accrual had not been reached when the study closed.", []),
])
def test_risk_of_progression_or_death_and_not_been_reached(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # arms named between the values, the unit after the second
    ("Median PFS was longer (tucatinib 7.8 vs placebo 5.6 months; HR 0.54).", [("PFS", "7.8", "5.6", "months")]),
    # "to X from Y": the new value and the one it came from
    ("Tucatinib prolonged median PFS to 7.8 months from 5.6 months.", [("PFS", "7.8", "5.6", "months")]),
    # "from" a time origin is still a timepoint, not a comparator
    ("Median OS was 24.7 months from randomisation.", [("OS", "24.7", "", "months")]),
    ("OS was assessed 12 months from randomisation; median OS was 24.7 months.", [("OS", "24.7", "", "months")]),
])
def test_comparators_around_arm_names_and_from(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "unit") == expected


# ------------------------------------------------------------------ clauses of one sentence


def test_a_later_clause_keeps_its_drugs_and_its_own_study(rules, pipes):
    found = endpoints("Disitamab vedotin showed an ORR of 51.2% in urothelial carcinoma (RC48-C005), and the "
                      "combination with toripalimab reached 73.2% in a phase Ib/II study.", rules, pipes)
    assert rows(found, "endpoint", "value", "drug", "trial") == [
        ("ORR", "51.2", "disitamab vedotin", "RC48-C005"),
        ("ORR", "73.2", "disitamab vedotin + toripalimab", "")]


def test_responders_to_two_drugs_in_two_clauses(rules, pipes):
    text = ("Letrozole versus tamoxifen in advanced breast cancer.\n\n"
            "Patients were randomly assigned to letrozole or tamoxifen. "
            "Twelve (43%) of 28 patients responded to letrozole while only three (14%) of 21 responded to tamoxifen.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug")[0] == ("43", "letrozole")


@pytest.mark.parametrize("sentence,expected", [
    # another outcome's rate in the next clause is no result; a list of drugs is no clause
    ("Trastuzumab deruxtecan plus pertuzumab showed an ORR of 60%, and the rate of ILD was 10%.",
     [("60", "pertuzumab + trastuzumab deruxtecan")]),
    ("The ORR was 60% with trastuzumab, pertuzumab, and docetaxel.", [("60", "docetaxel + pertuzumab + trastuzumab")]),
    # two groups named together: the first group's drug, not a combination
    ("The ORR was 64% in the letrozole and chemotherapy groups.", [("64", "letrozole")]),
])
def test_no_clause_split_without_a_new_clause(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "drug") == expected


# ------------------------------------------------------------------ regulatory statements


@pytest.mark.parametrize("sentence,expected", [
    ("The FDA approved zanidatamab for HER2-positive biliary tract cancer in November 2024, and the PMDA "
     "followed in May 2025.", [("zanidatamab", "FDA", "2024-11"), ("zanidatamab", "PMDA", "2025-05")]),
    ("Japan's regulator approved trastuzumab deruxtecan for gastric cancer in September 2020.",
     [("trastuzumab deruxtecan", "PMDA", "2020-09")]),
    # an approval stated without an agency is still an event, its agency blank
    ("Tucatinib received accelerated approval in January 2023 for colorectal cancer.", [("tucatinib", "", "2023-01")]),
    # one guideline recommending several regimens: one event per regimen
    ("NCCN guidelines recommend trastuzumab deruxtecan and tucatinib plus trastuzumab as second-line options.",
     [("trastuzumab deruxtecan", "NCCN", ""), ("trastuzumab + tucatinib", "NCCN", "")]),
    # no-match: patients followed up; partners of one regimen; an approval as an adjective
    ("Patients treated with trastuzumab were followed for 5 years by the investigators.", []),
    ("NCCN guidelines recommend trastuzumab combined with pertuzumab and docetaxel.",
     [("docetaxel + pertuzumab + trastuzumab", "NCCN", "")]),
    ("Approved ADCs such as trastuzumab deruxtecan are discussed below.", []),
])
def test_regulatory_statements_agencies_lists_and_no_agency(sentence, expected, rules, pipes):
    found = events(sentence, rules, pipes)
    assert sorted(rows(found, "drug", "agency", "date")) == sorted(expected)


# ------------------------------------------------------------------ a paragraph about one trial


def test_a_trial_named_in_passing_does_not_take_the_paragraphs_results(rules, pipes):
    text = ("The DESTINY-Breast04 trial enrolled patients with HER2-low metastatic breast cancer. Unlike "
            "DESTINY-Breast03, which compared trastuzumab deruxtecan with T-DM1, this trial used chemotherapy of "
            "physician's choice as control. Median PFS was 9.9 months with trastuzumab deruxtecan and 5.1 months "
            "with chemotherapy, and median OS was 23.4 versus 16.8 months (HR 0.64).")
    assert rows(endpoints(text, rules, pipes), "endpoint", "value", "drug", "comparator", "trial") == [
        ("PFS", "9.9", "trastuzumab deruxtecan", "chemotherapy", "DESTINY-BREAST04"),
        ("OS", "23.4", "trastuzumab deruxtecan", "chemotherapy", "DESTINY-BREAST04")]


def test_a_trial_named_as_the_subject_still_carries(rules, pipes):
    text = ("In CLEOPATRA, pertuzumab was added to trastuzumab and docetaxel. "
            "Median OS was 56.5 months with pertuzumab.")
    assert rows(endpoints(text, rules, pipes), "value", "trial") == [("56.5", "CLEOPATRA")]


def test_landmark_rates_take_the_endpoint_named_after_them(rules, pipes):
    sentence = ("Tucatinib improved the ORR (40% versus 20%) and 6-month (60% versus 40%) and 12-month "
                "(45% versus 25%) PFS rates.")
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "timepoint") == [
        ("ORR", "40", "20", ""), ("PFS", "60", "40", "6-month"), ("PFS", "45", "25", "12-month")]


@pytest.mark.parametrize("sentence,expected", [
    # each arm's value in its own bracket after the arm
    ("PFS improved with tucatinib (median, 7.8 months; 95% CI, 7.5 to 9.6 months) versus placebo "
     "(median, 5.6 months; 95% CI, 4.2 to 7.1 months).", [("PFS", "7.8", "5.6")]),
    ("Objective responses were more frequent with tucatinib (41%) versus the placebo arm (23%).", [("ORR", "41", "23")]),
    # a bracket with the arm's size is no value
    ("Median PFS was 7.8 months with tucatinib (n = 120) versus placebo (n = 60).", [("PFS", "7.8", "")]),
])
def test_values_bracketed_after_their_arms(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_an_endpoint_inside_a_hazard_ratio_bracket_is_not_a_respectively_list(rules, pipes):
    sentence = ("Median progression-free survival was 10.1 months in the tucatinib group and 5.4 months in the "
                "placebo group (hazard ratio for disease progression or death, 0.51; P<0.001), and overall "
                "survival was 23.9 months and 17.5 months, respectively (hazard ratio for death, 0.64).")
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "hr") == [
        ("PFS", "10.1", "5.4", "0.51"), ("OS", "23.9", "17.5", "0.64")]


def test_two_endpoints_listed_then_their_values_respectively(rules, pipes):
    found = randomised("Median PFS and OS were 7.8 and 21.9 months, respectively.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("PFS", "7.8"), ("OS", "21.9")]


@pytest.mark.parametrize("sentence,expected", [
    ("Median PFS was 9.9 months with 5.4 mg/kg and 15.4 months with 6.4 mg/kg.", [("PFS", "9.9"), ("PFS", "15.4")]),
    ("The cORR was 48.2% (95% CI 38.1-58.4) at 5.4 mg/kg and 57.0% (95% CI 42.2-71.0) at 6.4 mg/kg.",
     [("ORR", "48.2"), ("ORR", "57.0")]),
    # a dose that is no arm still marks what follows as no efficacy value
    ("The ORR was 49% and the dose of 6.4 mg/kg reached 28%.", [("ORR", "49")]),
])
def test_dose_arms_are_arms(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


# ------------------------------------------------------------------ fifth pass: the made-up development set's tuning part


@pytest.mark.parametrize("sentence,expected", [
    ("Pathological complete response was achieved in 61 (48.4%) patients in the neratinib group and 37 (29.6%) "
     "in the placebo group.", [("PCR", "48.4", "29.6")]),
    ("Objective responses were seen in 88 of 140 patients (62.9%) in the tucatinib arm and in 51 of 139 (36.7%) "
     "in the control arm.", [("ORR", "62.9", "36.7")]),
    # the control arm named first: the value is the other arm's
    ("Pathological complete response was achieved in 37 (29.6%) patients in the placebo group and 61 (48.4%) "
     "in the neratinib group.", [("PCR", "48.4", "29.6")]),
    # no arms named: "versus" compares, "occurred" is what the endpoint did (not a toxicity)
    ("Objective responses occurred in 47 (31%) of 151 patients versus nine (6%) of 150.", [("ORR", "31", "6")]),
])
def test_counts_with_percentages_compared_between_arms(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_counts_listed_for_two_endpoints_are_no_comparison(rules, pipes):
    """"48 (52.2%) and 10 (10.9%) experienced pCR and RCB I, respectively": without arms only
    "versus" makes two counts a comparison; the second belongs to another measure."""
    found = randomised("Of 90 patients, 47 (52.2%) and 9 (10.0%) experienced pCR and RCB I, respectively.", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("PCR", "52.2", "")]


def test_adverse_events_that_occurred_stay_no_values(rules, pipes):
    found = randomised("The ORR was 41%. Grade 3 diarrhoea occurred in 12 (8%) of 150 patients versus two (1%) of 149.",
                       rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "41")]


def test_a_record_carries_its_regimen_not_the_other_arms_drug(rules, pipes):
    """A later sentence without a drug takes the title's regimen, also when the sentence before it
    named both arms' drugs without a comparison cue ("in the X group and ... in the Y group")."""
    text = ("Pyrotinib plus capecitabine versus lapatinib plus capecitabine in HER2-positive metastatic breast "
            "cancer: a randomized trial.\n\nPatients were randomly assigned to the two regimens. Median PFS was "
            "12.1 months in the pyrotinib group and 6.9 months in the lapatinib group. In patients with brain "
            "metastases, median PFS was 8.5 vs 4.1 months.\n")
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.drug) for m in found][-1] == ("8.5", "pyrotinib")


@pytest.mark.parametrize("code", ["BL-M07D1", "BL-M11D1"])
def test_sponsor_codes_with_letters_between_the_digits(code, rules, pipes):
    found = endpoints(f"{code} produced an ORR of 48.2% in HER2-mutant NSCLC.", rules, pipes)
    assert rows(found, "value", "drug") == [("48.2", code.lower())]


@pytest.mark.parametrize("sentence,expected", [
    # a change a treatment brought, in a text that randomises nothing: still one value and what it came from
    ("In the TRAIN-9 trial, weekly dosing improved the response rate from 27% to 44% compared with "
     "three-weekly dosing.", [("ORR", "44", "27", "%")]),
    ("Adding margetuximab to chemotherapy raised the objective response rate from 17.5% to 26.3%.",
     [("ORR", "26.3", "17.5", "%")]),
    # the unit written once, after the value it changed from
    ("Pembrolizumab plus pemetrexed extended median PFS to 8.8 from 4.6 months.", [("PFS", "8.8", "4.6", "months")]),
])
def test_changes_from_one_value_to_another_outside_randomised_records(sentence, expected, rules, pipes):
    text = "Chemotherapy backbones in advanced cancer: a short overview.\n\n" + sentence + "\n"
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "unit") == expected


@pytest.mark.parametrize("text,expected", [
    # a news report (no randomisation stated): the second value names the treatment it came with
    ("Congress report: a new ADC in HER2-low breast cancer.\n\nThe sponsor's trial reported median PFS of "
     "8.4 months versus 5.7 months with chemotherapy (HR 0.61).\n", [("PFS", "8.4", "5.7")]),
    ("Editorial: checkpoint inhibitors in biliary cancer.\n\nThe combination kept a 24-month survival rate of "
     "38% (versus 21% with gemcitabine and cisplatin) at the final look.\n", [("OS", "38", "21")]),
    ("Meeting highlights: bispecific antibodies in gastric cancer.\n\nThe ORR of zanidatamab was 41.2%, relative to 19.8% for docetaxel.\n",
     [("ORR", "41.2", "19.8")]),
    # no-match: the second value names a patient group, not a treatment: two groups' results
    ("Outcomes by HER2 status: a single-centre cohort.\n\nMedian OS was 14.2 months in HER2-positive versus "
     "9.8 months in HER2-negative patients.\n", [("OS", "14.2", ""), ("OS", "9.8", "")]),
])
def test_a_second_value_naming_its_treatment_is_the_comparator(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_two_groups_of_a_single_arm_study_stay_two_values(rules, pipes):
    """No change verb: "OS, 91% versus 75%" in a record that randomises nothing compares groups."""
    text = ("Trastuzumab in HER2-positive gastric cancer: a single-arm study.\n\nAll patients received trastuzumab "
            "with chemotherapy. By HER2 level, 2-year OS was 68% versus 41% in IHC 3+ and IHC 2+ tumours.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("OS", "68", ""), ("OS", "41", "")]


@pytest.mark.parametrize("text,expected", [
    # each agency's own date, in prose or in brackets (a month in brackets is no citation)
    ("Tucatinib was approved by the FDA in April 2020 and by the EMA in February 2021.",
     [("tucatinib", "EMA", "2021-02"), ("tucatinib", "FDA", "2020-04")]),
    ("Tucatinib is approved by the FDA (April 2020) and EMA (February 2021).",
     [("tucatinib", "EMA", "2021-02"), ("tucatinib", "FDA", "2020-04")]),
    # one date shared by both agencies
    ("These results led to approval of olaparib by the FDA and EMA in 2022.",
     [("olaparib", "EMA", "2022"), ("olaparib", "FDA", "2022")]),
    # a drug named by a pronoun: the earlier clause's or the sentence before's
    ("Zanidatamab was approved by the FDA in November 2024. China's NMPA approved it in May 2025.",
     [("zanidatamab", "FDA", "2024-11"), ("zanidatamab", "NMPA", "2025-05")]),
    ("The FDA approved zanidatamab in November 2024; the NMPA approved it in May 2025.",
     [("zanidatamab", "FDA", "2024-11"), ("zanidatamab", "NMPA", "2025-05")]),
    # guidelines that list or endorse; "authorized ... for"; jurisdictions listed with "and"
    ("Neratinib showed a benefit. The NCCN guidelines list it as an option for high-risk patients.", [("neratinib", "NCCN", "")]),
    ("ESMO and NCCN guidelines endorse T-DXd in this setting.",
     [("trastuzumab deruxtecan", "ESMO", ""), ("trastuzumab deruxtecan", "NCCN", "")]),
    ("The EMA, in August 2018, authorized neratinib for the HR-positive population.", [("neratinib", "EMA", "2018-08")]),
    ("Atezolizumab is approved in China and Japan for resected NSCLC.",
     [("atezolizumab", "NMPA", ""), ("atezolizumab", "PMDA", "")]),
    # two triggers of one statement are one event
    ("Trastuzumab deruxtecan was approved in Japan in September 2020, making it the first ADC licensed for this "
     "indication.", [("trastuzumab deruxtecan", "PMDA", "2020-09")]),
    ("The CSCO guidelines list pyrotinib plus capecitabine as a Level I recommendation.",
     [("capecitabine + pyrotinib", "CSCO", "")]),
    # "it" is the subject; the drug named after it is prior therapy
    ("Trastuzumab deruxtecan improved survival. The FDA approved it in January 2021 after at least one prior "
     "trastuzumab-based regimen.", [("trastuzumab deruxtecan", "FDA", "2021-01")]),
    # no-match: a pronoun with nothing before it; an authorized person; a negated approval
    ("The NMPA approved it in May 2025.", []),
    ("The report was signed by an authorized representative of the sponsor.", []),
    ("Margetuximab was not approved by the EMA.", []),
])
def test_regulatory_dates_per_agency_pronouns_and_one_event_per_statement(text, expected, rules, pipes):
    found = events(text, rules, pipes)
    assert sorted(rows(found, "drug", "agency", "date")) == sorted(expected)


@pytest.mark.parametrize("sentence,expected", [
    ("Adding pyrotinib increased the tpCR rate from 22.1% to 40.3% (difference 18.2% [95% CI 8.0-28.1]).",
     [("PCR", "40.3", "22.1")]),
    ("The pCR rate was 17.9% vs 4.8% (absolute difference of 13.1%; P<0.001).", [("PCR", "17.9", "4.8")]),
    # no-match: a difference word that is no between-arm difference
    ("The ORR was 31% in the improvement cohort and 22% in the reference cohort.", [("ORR", "31", "22")]),
])
def test_between_arm_differences_are_no_values(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_a_trial_named_before_is_not_the_records_own(rules, pipes):
    """Only "this/our/the present ... trial (NAME)" marks the record's own trial; a trial named later
    as a previous one does not become it."""
    text = ("Enfortumab vedotin plus pembrolizumab versus chemotherapy in urothelial carcinoma.\n\nBackground: "
            "Platinum chemotherapy has been the standard. Few options exist. Methods: Patients were randomly assigned "
            "to the combination or chemotherapy. Unlike the previous phase 3 trial (KEYNOTE-361), cisplatin-ineligible "
            "patients were included. Results: The ORR was 66.1%.\n")
    _, found, _ = record(text, rules, pipes)
    assert [m.trial for m in found] == [""]


@pytest.mark.parametrize("text,drug", [
    # prior therapy in a title printed in title case
    ("MRG002 in HER2-Positive Metastatic Urothelial Carcinoma After Failure of Platinum Chemotherapy: A Phase II "
     "Study\n\nThe confirmed ORR was 51.2%.\n", "mrg002"),
    # "within 1 year of completing trastuzumab": the drug completed before is no part of the regimen
    ("Extended adjuvant therapy: an overview.\n\nIn the ExteNET trial, patients who started neratinib within 1 year "
     "of completing trastuzumab had a 5-year iDFS of 90.1%.\n", "neratinib"),
    # a treatment finished before, in other words
    ("Extended adjuvant therapy: an overview.\n\nPatients who started neratinib within a year of finishing "
     "trastuzumab had a 5-year iDFS of 91.0%.\n", "neratinib"),
    # a comma and the drug's own verb end a prior-therapy list (rules/attribution.yaml prior_therapy_end)
    ("HER2-low disease: an overview.\n\nAmong 412 patients who had received one or two prior lines of chemotherapy, "
     "zanidatamab more than doubled median PFS, to 8.9 months.\n", "zanidatamab"),
    ("HER2-positive gastric cancer: an overview.\n\nIn patients previously treated with trastuzumab and a taxane, "
     "disitamab vedotin improved median PFS to 6.2 months.\n", "disitamab vedotin"),
])
def test_prior_therapy_in_title_case_and_completed_treatment(text, drug, rules, pipes):
    values = record(text, rules, pipes)[1]
    assert {m.drug for m in values} == {drug} and len(values) == 1


def test_a_short_passage_about_several_trials_compares_arms(rules, pipes):
    """A review's passage saved on its own is short like an abstract, but it reports several trials:
    its "x vs y" compare the arms of each trial, not patient groups."""
    text = ("Eribulin and platinum in metastatic breast cancer.\n\nIn the EMBRACE trial, eribulin improved the ORR "
            "over physician's choice. In the TNT trial, carboplatin achieved an ORR of 31.4% compared with 34.0% for "
            "docetaxel. The CALGB 9741 trial found no difference in OS (15.9 vs 14.5 months; HR 0.88).\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("ORR", "31.4", "34.0"), ("OS", "15.9", "14.5")]


@pytest.mark.parametrize("sentence,expected", [
    ("Twelve of 27 patients (44.4%) with HER2-low breast cancer responded to BL-M07D1.", [("ORR", "44.4")]),
    ("Of 40 patients treated, 29 (72.5%) of 40 patients who crossed over to pyrotinib had disease control.",
     [("DCR", "72.5")]),
    ("Among 12 patients with NSCLC treated with BL-M07D1, seven (58.3%) had a confirmed response.", [("ORR", "58.3")]),
    # no-match: patients with a toxicity, a partial response only
    ("Nine (33.3%) patients with grade 3 diarrhoea had a dose reduction.", []),
    ("Eight (29.6%) patients had a partial response.", []),
])
def test_patients_described_before_what_they_achieved(sentence, expected, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # a landmark written with "mo"
    ("In stage III disease, 24-mo EFS was 61.2% vs 47.5%.", [("EFS", "61.2", "24-month")]),
    # "it was": the endpoint named before, also across "while" / a semicolon
    ("The ORR was 36.4% in HER2-positive patients, while in the HER2-low cohort it was 12.5%.",
     [("ORR", "36.4", ""), ("ORR", "12.5", "")]),
    ("The confirmed ORR was 53.1%; among those with liver metastases it was 41.7%.",
     [("ORR", "53.1", ""), ("ORR", "41.7", "")]),
    # no-match: "it was" about something else than an endpoint
    ("The ORR was 36.4%; grade 3 neutropenia was common and it was 12.5 mg in the second cohort.",
     [("ORR", "36.4", "")]),
])
def test_mo_landmarks_and_it_was(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "timepoint") == expected


def test_a_list_of_values_across_cancers_takes_each_values_cancer(rules, pipes):
    found = endpoints("With BL-M11D1 the ORR was 54.2% (26 of 48) in the NSCLC cohort, 46.9% (15 of 32) in the "
                      "biliary cohort and 30.6% (11 of 36) in the colorectal cohort.", rules, pipes)
    assert rows(found, "value", "cancer_type") == [("54.2", "nsclc"), ("46.9", "biliary"), ("30.6", "colorectal")]
    # no cancer after the value: the sentence's
    found = endpoints("In HER2-positive gastric cancer, trastuzumab deruxtecan gave an ORR of 51% (n = 126).", rules, pipes)
    assert rows(found, "value", "cancer_type") == [("51", "gastric")]


def test_a_text_about_one_cancer_gives_it_to_statements_before_it_is_named(rules, pipes):
    text = ("Pyrotinib: a decade of development\n\nPyrotinib plus capecitabine produced an ORR of 78.5% in the "
            "randomized phase II study. Later, the drug was approved for HER2-positive metastatic breast cancer.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == [("78.5", "breast")]
    # two cancers named: no guess
    text = text.replace(".\n", ", and it is studied in gastric cancer.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == [("78.5", "")]


def test_a_passage_about_several_trials_carries_the_previous_sentences_drug(rules, pipes):
    """In a short review passage (three or more trials) a drug-less result sentence takes the drug of
    the sentence before, not the drug the passage happens to name first with a treatment verb."""
    text = ("HER2-mutant lung cancer: new agents\n\nPatients received zongertinib in the Beamion LUNG-1 trial. "
            "Trastuzumab deruxtecan changed the field. In DESTINY-Lung12, two doses were randomized: the ORR was "
            "49.0% at 5.4 mg/kg. The KEYNOTE-789 trial was negative.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("49.0", "trastuzumab deruxtecan")]


@pytest.mark.parametrize("sentence,expected", [
    # arms whose regimen runs on through "and"
    ("Median PFS was 12.1 months with zanidatamab and chemotherapy and 8.3 months with trastuzumab and "
     "chemotherapy (HR 0.66).", [("PFS", "12.1", "8.3", "chemotherapy + zanidatamab", "chemotherapy + trastuzumab")]),
    # "from X with placebo to Y"
    ("Olaparib improved 3-year IDFS from 77.3% with placebo to 85.6% (HR 0.58).",
     [("IDFS", "85.6", "77.3", "olaparib", "")]),
])
def test_arms_running_through_and_and_from_a_named_control(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "drug", "comparator") == expected


# ------------------------------------------------------------------ sixth pass: regulatory histories

@pytest.mark.parametrize("text,expected", [
    # a clause that is only an agency and its date continues the event before it
    ("The FDA approved margetuximab in December 2020, and Japan's MHLW in March 2022.",
     [("margetuximab", "FDA", "approval", "2020-12"), ("margetuximab", "PMDA", "approval", "2022-03")]),
    ("Health Canada granted conditional approval to zanidatamab in May 2025, and then the MHRA in August 2025 under "
     "a reliance route.",
     [("zanidatamab", "Health Canada", "conditional_approval", "2025-05"),
      ("zanidatamab", "MHRA", "conditional_approval", "2025-08")]),
    # no-match: a later clause with an agency and no date is no ellipsis; nor is one with a verb of its own
    ("The FDA approved margetuximab in December 2020, and the EMA reviewed its dossier.",
     [("margetuximab", "FDA", "approval", "2020-12")]),
    # a regulatory history names its drug once: later events continue it, not the prior therapy named meanwhile
    ("Neratinib was approved by the FDA in July 2017. The restricted label covered patients within one year of "
     "trastuzumab. Health Canada approved the same population in 2019. Swissmedic followed in 2020.",
     [("neratinib", "FDA", "approval", "2017-07"), ("neratinib", "Health Canada", "approval", "2019"),
      ("neratinib", "Swissmedic", "approval", "2020")]),
    # no-match: a kind of drug as the subject carries no drug from before
    ("Trastuzumab was approved by the FDA in 1998. Since then, ADCs have gained FDA approval for breast and bladder "
     "cancer.", [("trastuzumab", "FDA", "approval", "1998")]),
    # new regulators and what a licence extension is
    ("Australia's TGA registered tucatinib in 2021.", [("tucatinib", "TGA", "approval", "2021")]),
    ("The FDA extended the label of T-DXd to HER2-ultralow disease in January 2025.",
     [("trastuzumab deruxtecan", "FDA", "approval", "2025-01")]),
    # no-match: a trial registration, an extended treatment
    ("This trial is registered with ClinicalTrials.gov, NCT04457596, and the FDA was informed.", []),
    # a date belongs to the trigger written before it; each trigger takes the agency or place beside it
    ("The FDA approved tucatinib on 17 April 2020 after breakthrough therapy designation.",
     [("tucatinib", "FDA", "approval", "2020-04-17"), ("tucatinib", "FDA", "breakthrough_therapy", "")]),
    ("Sotorasib received accelerated approval from the FDA in May 2021 and a conditional marketing authorisation in "
     "the European Union in January 2022.",
     [("sotorasib", "FDA", "accelerated_approval", "2021-05"), ("sotorasib", "EMA", "conditional_approval", "2022-01")]),
    ("Disitamab vedotin received conditional NMPA approval in June 2021.",
     [("disitamab vedotin", "NMPA", "conditional_approval", "2021-06")]),
    # converting an accelerated approval is an approval, not another accelerated one
    ("In March 2025 the FDA converted the accelerated approval of margetuximab into a regular approval.",
     [("margetuximab", "FDA", "approval", "2025-03")]),
    # negated and hypothetical
    ("Neither pyrotinib nor neratinib has been approved for brain metastases by the FDA.", []),
    ("The panel notes that an FDA approval could follow the results of the trial of zanidatamab.", []),
    # "no X has been approved", "none of ... is approved", "has no marketing authorisation", a conclusion
    # that results "support approval"
    ("At present, no regulatory agency has approved zanidatamab for the perioperative treatment of gastric cancer.", []),
    ("None of the CDK4/6 inhibitors such as palbociclib is approved by the FDA for HER2-positive disease.", []),
    ("In Europe the combination of tucatinib and trastuzumab has no marketing authorisation for colorectal cancer.", []),
    ("These results support regulatory approval of zanidatamab by the NMPA.", []),
    # no-match: a past "supported" is the approval's basis; a European licence is the EMA's
    ("These data supported the accelerated approval of tucatinib by the FDA on January 19, 2023.",
     [("tucatinib", "FDA", "accelerated_approval", "2023-01-19")]),
    ("Pembrolizumab was approved by the FDA in May 2017 and received a European marketing authorisation in August 2017.",
     [("pembrolizumab", "FDA", "approval", "2017-05"), ("pembrolizumab", "EMA", "approval", "2017-08")]),
])
def test_regulatory_histories_ellipses_carried_drugs_and_dates(text, expected, rules, pipes):
    found = events(text, rules, pipes)
    assert sorted(rows(found, "drug", "agency", "event", "date")) == sorted(expected)


@pytest.mark.parametrize("sentence,expected", [
    # evidence grades and categories are recommendations when a guideline body is named
    ("The NCCN guideline lists neratinib as a category 2A option.", [("neratinib", "NCCN")]),
    ("The ESMO guideline rates tucatinib (II, B) for this population.", [("tucatinib", "ESMO")]),
    ("The 2024 CSCO guideline places pyrotinib plus capecitabine at level II.", [("capecitabine + pyrotinib", "CSCO")]),
    ("The Japanese Gastric Cancer Association guidelines recommend trastuzumab deruxtecan in the third line.",
     [("trastuzumab deruxtecan", "JGCA")]),
    # no-match: a grade with no guideline body; a stage
    ("Pyrotinib was given at level II of the dose escalation.", []),
    ("Patients with stage II, B symptoms received trastuzumab.", []),
])
def test_guideline_grades_and_categories(sentence, expected, rules, pipes):
    found = events(sentence, rules, pipes)
    assert sorted(rows(found, "drug", "agency")) == sorted(expected)


@pytest.mark.parametrize("text,expected", [
    # responses counted and patients still alive are response and survival rates
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. Responses were seen in "
     "12 patients (40.0%).\n", [("ORR", "40.0")]),
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. It produced responses in "
     "35.5% of patients with IHC 3+ tumours.\n", [("ORR", "35.5")]),
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. At 24 months, 58.2% of "
     "patients were still alive.\n", [("OS", "58.2")]),
    # "RR" of older abstracts is the response rate
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. The RR was 35% "
     "(7 of 20).\n", [("ORR", "35")]),
    # no-match: complete responses alone are no response rate
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. Four of 20 patients (20%) "
     "achieved complete responses.\n", []),
])
def test_responses_counted_and_patients_alive(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("text,expected", [
    # two endpoints, then their two values in the same order, without "respectively"
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. Median PFS and OS were "
     "5.6 months (95% CI: 4.1-7.1) and 12.8 months (95% CI: 9.5-16.1).\n", [("PFS", "5.6", ""), ("OS", "12.8", "")]),
    ("Ervatuzumab in gastric cancer: a phase 2 study.\n\nAll patients received ervatuzumab. The ORR and DCR were "
     "38.5% and 76.9%.\n", [("ORR", "38.5", ""), ("DCR", "76.9", "")]),
    # no-match: one endpoint and two values stay one comparison
    ("Ervatuzumab versus paclitaxel in gastric cancer: a randomised phase 3 trial.\n\nPatients were randomly assigned "
     "to ervatuzumab or paclitaxel. Median PFS was 5.6 months and 4.1 months.\n", [("PFS", "5.6", "4.1")]),
])
def test_two_endpoints_then_their_two_values(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_a_trial_named_once_by_its_shape_is_that_trial_wherever_named_again(rules, pipes):
    """"ORCHARD-B, a phase II basket trial" names a trial by apposition; the paragraph later says "In
    ORCHARD-B ..." without a trial word: that is the same trial. A word that only looks like a name
    ("TRIAL REGISTRATION ... NCT") is none."""
    text = ("Ervatuzumab in HER2-amplified tumours: final analysis of ORCHARD-B, a phase II basket trial.\n\n"
            "Patients received ervatuzumab. In ORCHARD-B the ORR was 41.2%. TRIAL REGISTRATION ClinicalTrials.gov "
            "Identifier: NCT05561189.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "trial") == [("ORR", "41.2", "ORCHARD-B")]
    review = ("Subcutaneous trastuzumab was compared with intravenous dosing in ORCHARD-B, a phase 3 study. Later, "
              "a separate analysis of HANNAH found a pCR rate of 45.4% with trastuzumab. In ORCHARD-B, the pCR rate "
              "was 52.1% with subcutaneous trastuzumab.")
    found = endpoints(review, rules, pipes)
    assert ("PCR", "52.1", "ORCHARD-B") in rows(found, "endpoint", "value", "trial")


@pytest.mark.parametrize("text,expected", [
    # "x% of the patients in the A group and y% of those in the B group were alive": one comparison
    ("Ervatuzumab versus paclitaxel: a randomised phase 3 trial.\n\nPatients were randomly assigned to ervatuzumab or "
     "paclitaxel. At 24 months, 58.2% of the patients in the ervatuzumab group and 34.6% of those in the paclitaxel "
     "group were alive.\n", [("OS", "58.2", "34.6")]),
    ("Ervatuzumab versus paclitaxel: a randomised phase 3 trial.\n\nPatients were randomly assigned to ervatuzumab or "
     "paclitaxel. At 12 months, 51% of the patients in the ervatuzumab group were alive, as compared with 30% in the "
     "paclitaxel group.\n", [("OS", "51", "30")]),
    # no-match: patients alive without progression are no survival rate of their own here
    ("Ervatuzumab versus paclitaxel: a randomised phase 3 trial.\n\nPatients were randomly assigned to ervatuzumab or "
     "paclitaxel. At 12 months, 41% of the patients in the ervatuzumab group were on treatment.\n", []),
])
def test_patients_of_each_arm_alive_at_a_landmark(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("text,expected", [
    # in a randomised record, "in arm P and ... in arm C" are its two arms: one value with its comparator
    ("Ervatuzumab versus paclitaxel: a randomised phase 3 trial.\n\nPatients were randomly assigned to ervatuzumab "
     "(arm E) or paclitaxel (arm P). Median OS was 10.1 months in arm E and 7.3 months in arm P (HR, 0.70).\n",
     [("OS", "10.1", "7.3")]),
    # no-match: in a multi-cohort study that randomises nothing, "arm 2" is a cohort label: two values
    ("Ervatuzumab in HER2-mutant tumours: a phase 2 basket study.\n\nPatients with lung or biliary cancer received "
     "ervatuzumab. The ORR was 41% in arm 1 and 22% in arm 2.\n", [("ORR", "41", ""), ("ORR", "22", "")]),
])
def test_labelled_arms_of_a_randomised_record(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("text,drug", [
    # regimen short forms spelled by brand names, built on an earlier one, defined with doses between
    # the drugs, or defined the other way round (the drugs in the bracket after the short form)
    ("Patients were randomised to docetaxel, carboplatin and trastuzumab (TCH) or TCH plus pertuzumab (TCHP). "
     "The pCR rate was 61.0% with TCHP.", "carboplatin + docetaxel + pertuzumab + trastuzumab"),
    ("Patients received ervlotinib 150 mg/day plus bevacizumab 15 mg/kg every 3 weeks (EB) or ervlotinib "
     "alone (E). The ORR was 71.3% with EB.", "bevacizumab + ervlotinib"),
    ("Women were randomised to six cycles of CMF (cyclophosphamide, methotrexate, fluorouracil; days 1 and 8) or "
     "FAC (fluorouracil 500 mg/m2, doxorubicin 50 mg/m2, cyclophosphamide 500 mg/m2). The response rate was 48% "
     "with FAC.", "cyclophosphamide + doxorubicin + fluorouracil"),
    ("Patients received trastuzumab plus pertuzumab (HP) and docetaxel. The ORR was 80.2% with HP.",
     "pertuzumab + trastuzumab"),        # Herceptin, Perjeta
])
def test_regimen_short_forms_by_brand_dose_and_reverse_definition(text, drug, rules, pipes):
    found = endpoints(text, rules, pipes)
    assert [m.drug for m in found] == [drug]


def test_short_forms_whose_letters_spell_no_listed_drug_are_no_regimen(rules, pipes):
    ann = annotate_text("Patients received docetaxel and carboplatin (DX) or paclitaxel alone (QT). "
                        "The trial enrolled 80 patients (HR-positive, 40).", rules, pipes)
    assert not [e for e in ann.entities if e.source == "abbreviation" and e.text in ("DX", "QT", "HR")]


@pytest.mark.parametrize("sentence,expected", [
    ("Irinotecan plus fluorouracil produced a higher response rate than fluorouracil alone, 41% against 23% (P < .001).",
     [("ORR", "41", "23")]),
    ("In hormone receptor-negative tumours the pCR rate was 71.2% with trastuzumab against 50.0% with placebo.",
     [("PCR", "71.2", "50.0")]),
    ("With doxorubicin versus methotrexate, overall survival at 8 years was 69% as against 63% (P = .09).",
     [("OS", "69", "63")]),
    # no-match: "against" naming a target is no comparison
    ("The ORR was 41% for trastuzumab, an antibody directed against HER2.", [("ORR", "41", "")]),
])
def test_against_compares_two_values(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # two values and the comparison's statistic after them: the two arms of one result
    ("With trastuzumab, median OS was 22.7 and 16.9 months (HR 0.66).", [("OS", "22.7", "16.9", "0.66")]),
    ("The PFS advantage of trastuzumab was kept, with medians of 7.9 and 5.4 months ([HR] 0.61; 95% CI, 0.47-0.79).",
     [("PFS", "7.9", "5.4", "0.61")]),
    ("With trastuzumab, median OS was 10.3 and 9.1 months, p = 0.38.", [("OS", "10.3", "9.1", "")]),
    # no-match: landmarks listed are no values; two values in two cohorts without a statistic stay two
    ("With trastuzumab, OS was assessed at 12 and 24 months.", []),
    ("With trastuzumab, median OS was 12.1 months in cohort 1 and 8.3 months in cohort 2.",
     [("OS", "12.1", "", ""), ("OS", "8.3", "", "")]),
])
def test_two_values_before_one_statistic_are_one_comparison(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value", "hr") == expected


def test_a_composite_of_disease_or_death_is_not_overall_survival(rules, pipes):
    s = ("With trastuzumab emtansine, invasive disease-free survival (iDFS) at 3 years was 86.9% against 78.1%, "
         "a 47% reduction in the risk of invasive disease or death (hazard ratio 0.53).")
    assert rows(endpoints(s, rules, pipes), "endpoint", "value", "timepoint", "hr") == [("IDFS", "86.9", "3-year", "0.53")]
    # no-match: the risk of death alone is overall survival's
    s = "With trastuzumab emtansine, the risk of death was reduced by 34% (hazard ratio 0.66)."
    assert rows(endpoints(s, rules, pipes), "endpoint", "hr") == [("OS", "0.66")]


def test_confidence_limits_are_a_values_interval(rules, pipes):
    s = ("With capecitabine, the objective response rate was 19.1% (95% confidence limits, 12.7% to 26.9%), and "
         "the response rate with trastuzumab was 55% (confidence limits, 19% to 52%).")
    assert rows(endpoints(s, rules, pipes), "value") == [("19.1",), ("55",)]


@pytest.mark.parametrize("text,expected", [
    # each value its own biomarker group's: two results, in a review as in a record
    ("With disitamab vedotin, in the IHC 3+ cohort the ORR was 80.8% (21/26), versus 60.0% (12/20) among IHC 2+ "
     "patients.", [("ORR", "80.8", ""), ("ORR", "60.0", "")]),
    ("With trastuzumab, in patients with IHC 3+ tumors the response rate was 75.0% (27/36) compared with 50.0% "
     "(6/12) in those with IHC 2+/FISH-positive tumors.", [("ORR", "75.0", ""), ("ORR", "50.0", "")]),
    # no-match: one group, two arms ("in patients with a CPS of 5 or more" is the group of both values)
    ("Adding nivolumab to chemotherapy extended median OS to 14.4 months from 11.1 months in patients with a PD-L1 "
     "combined positive score of 5 or more.", [("OS", "14.4", "11.1")]),
])
def test_values_of_two_biomarker_groups_are_two_results(text, expected, rules, pipes):
    assert rows(endpoints(text, rules, pipes), "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,drug", [
    ("Patients received trastuzumab plus XELOX; the ORR was 54.2%.", "capecitabine + oxaliplatin + trastuzumab"),
    ("With tucatinib, trastuzumab and mFOLFOX6, the ORR was 58.3%.",
     "fluorouracil + leucovorin + oxaliplatin + trastuzumab + tucatinib"),
    ("Perioperative FLOT gave a pCR rate of 16%.", "docetaxel + fluorouracil + leucovorin + oxaliplatin"),
    # no-match: the gene SOX2 and a quality-of-life scale are no regimens
    ("SOX2 expression was seen in 41% of tumours treated with trastuzumab.", None),
])
def test_standard_regimen_acronyms_are_their_drugs(sentence, drug, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert [m.drug for m in found] == ([drug] if drug else [])


def test_with_or_without_is_one_arm_with_every_drug(rules, pipes):
    text = ("Perioperative antibodies in gastric cancer: a randomised phase II trial.\n\nPatients were assigned to FLOT with or without "
            "trastuzumab and pertuzumab. Adding the antibodies increased the pCR rate from 14% to 33% (P = 0.03).\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == [
        ("33", "14", "docetaxel + fluorouracil + leucovorin + oxaliplatin + pertuzumab + trastuzumab")]
    # no-match: "X or Y" stays two arms
    text = ("Perioperative antibodies in gastric cancer: a randomised phase II trial.\n\nPatients were assigned to pertuzumab or placebo. "
            "The pCR rate was 33% with pertuzumab and 14% with placebo.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == [("33", "14", "pertuzumab")]


def test_counts_of_patients_treated_with_each_arm_are_one_comparison(rules, pipes):
    s = "With docetaxel, pCR occurred in 124 patients (55.6%) treated with pertuzumab and in 141 patients (62.7%) treated with placebo."
    assert rows(endpoints(s, rules, pipes), "value", "comparator_value", "drug") == [("55.6", "62.7", "pertuzumab")]


@pytest.mark.parametrize("sentence,expected", [
    # each regimen joined by its own "plus" is its own recommendation; a bracketed grade is no second one
    ("NCCN recommends trastuzumab plus tucatinib, trastuzumab plus pertuzumab and fam-trastuzumab deruxtecan-nxki "
     "for HER2-amplified colorectal cancer (category 2A).",
     [("NCCN", "trastuzumab + tucatinib"), ("NCCN", "pertuzumab + trastuzumab"), ("NCCN", "trastuzumab deruxtecan")]),
    ("NCCN lists tucatinib plus trastuzumab, pertuzumab plus trastuzumab and T-DXd as subsequent-line options in "
     "breast cancer.", [("NCCN", "trastuzumab + tucatinib"), ("NCCN", "pertuzumab + trastuzumab"),
                        ("NCCN", "trastuzumab deruxtecan")]),
    # a later grade naming its own regimen is its own recommendation
    ("The CSCO guideline grades trastuzumab plus pertuzumab as a level I recommendation and pyrotinib with "
     "trastuzumab as level II.", [("CSCO", "pertuzumab + trastuzumab"), ("CSCO", "pyrotinib + trastuzumab")]),
    # no-match: partners of one regimen stay one; a table listing trials is no guideline
    ("NCCN recommends trastuzumab combined with pertuzumab and docetaxel in breast cancer.",
     [("NCCN", "docetaxel + pertuzumab + trastuzumab")]),
    ("Table 2 lists trastuzumab and pertuzumab as the regimens studied.", []),
])
def test_guideline_lists_of_regimens(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # arms of the same treatment that differ by schedule or duration: one comparison
    ("With paclitaxel, the response rate was 35% with weekly and 17% with 3-weekly administration.", [("ORR", "35", "17")]),
    ("With trastuzumab, five-year DFS was 86.9% with 6 months and 88.3% with 12 months.", [("DFS", "86.9", "88.3")]),
    # no-match: a follow-up time is no arm
    ("With trastuzumab, five-year DFS was 86.9% after 6 months of follow-up.", [("DFS", "86.9", "")]),
])
def test_arms_by_schedule_or_duration(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # "respectively" after the patients the shares are of; the HR after "respectively" and a stratified HR
    # make the two values one comparison even where groups would otherwise be read
    ("With paclitaxel plus ramucirumab, objective responses were observed in 31.4% and 24.1% of patients, "
     "respectively.", [("ORR", "31.4", "24.1", "")]),
    ("With trastuzumab, median PFS were 11.7 and 12.0 months, respectively (HR=1.04, 95% CI: 0.76-1.43, P=0.79).",
     [("PFS", "11.7", "12.0", "1.04")]),
    # the second arm names a regimen no lexicon knows
    ("Patients with IHC 3+ tumours had a mOS of 16.1 mos on T-DXd vs 11.9 mos on RAM+PTX.", [("OS", "16.1", "11.9", "")]),
    # landmarks written as words or as "N-year rate" after the endpoint; the rate of an arm is no other rate
    ("With ribociclib, invasive disease-free survival at three years was 90.1% against 87.6% (HR 0.75).",
     [("IDFS", "90.1", "87.6", "0.75")]),
    ("With olaparib, IDFS, 4-year rate: 82.7% vs. 75.4%.", [("IDFS", "82.7", "75.4", "")]),
    ("With S-1 plus oxaliplatin, the 1-year OS rate of the SOX group reached 68.4%.", [("OS", "68.4", "", "")]),
    # no-match: the rate of another outcome; a second arm that is a patient group
    ("With trastuzumab, the rate of breast-conserving surgery was 68.4%.", []),
    ("Patients had a mOS of 16.1 mos on T-DXd vs 11.9 mos with HER2-low disease.", [("OS", "16.1", "", ""), ("OS", "11.9", "", "")]),
])
def test_comparisons_written_as_journals_and_labels_print_them(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("In Australia, the TGA provisionally approved zongertinib on 3 September 2025.",
     [("TGA", "conditional_approval", "zongertinib", "2025-09-03")]),
    ("Health Canada issued a Notice of Compliance with conditions (NOC/c) for trastuzumab deruxtecan on 2024-09-12.",
     [("Health Canada", "conditional_approval", "trastuzumab deruxtecan", "2024-09-12")]),
    ("Olaparib became available after Health Canada issued a Notice of Compliance for this indication in August 2022.",
     [("Health Canada", "approval", "olaparib", "2022-08")]),
    ("T-DXd was approved in Japan in September 2020 and is recommended by JSMO for third-line use.",
     [("PMDA", "approval", "trastuzumab deruxtecan", "2020-09"), ("JSMO", "guideline_recommendation", "trastuzumab deruxtecan", "")]),
    # no-match: a provisional analysis; a pending Notice of Compliance; JSMO saying nothing yet
    ("The provisional analysis of tucatinib was presented in 2023.", []),
    ("A Notice of Compliance for zanidatamab is not expected before 2026.", []),
    ("The JSMO has not yet issued a statement on zanidatamab.", []),
])
def test_provisional_registration_notice_of_compliance_and_jsmo(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "event", "drug", "date") == expected


def test_the_combination_of_a_records_title_carries_to_its_later_event(rules, pipes):
    text = ("Tucatinib in combination with trastuzumab approved in Japan for colorectal cancer.\n\n"
            "The approval by the MHLW was based on the SUMMIT-CRC2 study.\n\n"
            "\"We are pleased,\" said the head of research. The combination had received accelerated approval from "
            "the US FDA in January 2023.\n")
    _, _, found = record(text, rules, pipes)
    assert ("FDA", "accelerated_approval", "trastuzumab + tucatinib") in rows(found, "agency", "event", "drug")
    # no-match: a kind of drug as the subject takes no regimen
    text = ("Tucatinib in combination with trastuzumab approved in Japan for colorectal cancer.\n\n"
            "\"We are pleased,\" said the head of research. Several antibodies had received accelerated approval "
            "from the US FDA in January 2023.\n")
    _, _, found = record(text, rules, pipes)
    assert not [m for m in found if m.agency == "FDA"]


def test_a_table_rows_regimen_stops_at_its_comparator(rules, pipes):
    text = ("Table 3. Selected trials in gastric cancer\n"
            "Trial | Phase | Regimen | n | ORR | mPFS (mo)\n"
            "ERVA-21 | II | T-DXd vs irinotecan/paclitaxel | 187 | 51.3% vs 14.3% | 5.6 vs 3.5\n"
            "ERVA-22 | II | Disitamab vedotin | 79 | 41.8% | 5.6\n")
    found = endpoints(text, rules, pipes)
    assert {(m.value, m.drug) for m in found} >= {("51.3", "trastuzumab deruxtecan"), ("41.8", "disitamab vedotin")}
    assert not [m for m in found if "irinotecan" in m.drug]


@pytest.mark.parametrize("sentence,drug", [
    ("Trastuzumab deruxtecan at 6.4 mg/kg was compared against physician's choice of irinotecan; the ORR was 51.3%.",
     "trastuzumab deruxtecan"),
    # a cooperative group's trial code is no sponsor code of a drug
    ("Neratinib-capecitabine in cohort 3A of TBCRC-099 produced an intracranial ORR of 49%.", "capecitabine + neratinib"),
    ("In the GBG-78 trial, pertuzumab gave a pCR rate of 44%.", "pertuzumab"),
])
def test_compared_against_and_cooperative_group_codes(sentence, drug, rules, pipes):
    assert [m.drug for m in endpoints(sentence, rules, pipes)] == [drug]


@pytest.mark.parametrize("sentence,drug,comparator", [
    ("MARGO compared margetuximab with trastuzumab, both plus chemotherapy: median PFS 5.8 vs 4.9 months.",
     "margetuximab", "chemotherapy + trastuzumab"),
    ("The trial compared pyrotinib plus capecitabine to lapatinib plus capecitabine: median PFS 12.5 vs 6.8 months.",
     "capecitabine + pyrotinib", "lapatinib"),
    # a drug named in passing is no part of the regimen
    ("With margetuximab, final OS was 21.6 vs 21.9 months, so it offered no survival benefit, unlike tucatinib.",
     "margetuximab", ""),
    # no-match: patients compared by their history, not by a comparator drug
    ("We compared outcomes of patients with HER2-low disease: with tucatinib, median PFS was 7.1 months.", "tucatinib", ""),
])
def test_compared_x_with_y_and_drugs_named_in_passing(sentence, drug, comparator, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert found and {(m.drug, m.comparator) for m in found} == {(drug, comparator)}


@pytest.mark.parametrize("sentence,trial", [
    ("In NEXUS, neratinib plus capecitabine gave a restricted-mean PFS of 8.8 months.", "NEXUS"),
    ("In SOPHIA-2, margetuximab gave a median PFS of 5.8 months.", "SOPHIA-2"),
    # no-match: a biomarker group, a disease and a country open clauses the same way
    ("In HER2, neratinib gave a median PFS of 8.8 months.", ""),
    ("In NSCLC, neratinib gave a median PFS of 8.8 months.", ""),
])
def test_a_review_clause_opened_by_its_study(sentence, trial, rules, pipes):
    assert [m.trial for m in endpoints(sentence, rules, pipes)] == [trial]


def test_a_trial_column_names_the_rows_trial_whatever_its_shape(rules, pipes):
    text = ("Table 3. Selected trials in gastric cancer\n"
            "Trial | Phase | Regimen | n | ORR\n"
            "T-ACT-2 | II | Trastuzumab + paclitaxel | 91 | 33%\n"
            "C-GAST-08 | II | Disitamab vedotin | 127 | 24.8%\n")
    assert sorted(rows(endpoints(text, rules, pipes), "value", "trial")) == [("24.8", "C-GAST-08"), ("33", "T-ACT-2")]
    # no-match: without a trial column, a first cell is no trial name
    text = ("Table 3. Selected regimens in gastric cancer\n"
            "Setting | Phase | Regimen | n | ORR\n"
            "Second line | II | Trastuzumab + paclitaxel | 91 | 33%\n")
    assert rows(endpoints(text, rules, pipes), "value", "trial") == [("33", "")]


def test_a_text_without_a_title_is_about_the_cancer_it_opens_with(rules, pipes):
    text = ("Up to half of patients with HER2-positive metastatic breast cancer develop brain metastases.\n\n"
            "In ERVA-32, trastuzumab deruxtecan gave an intracranial ORR of 71.7%. For gastric cancer the data are "
            "anecdotal.\n")
    found = endpoints(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == [("71.7", "breast")]
    # no-match: an opening naming two cancers decides nothing
    text = ("HER2 is amplified in breast and gastric cancer.\n\n"
            "In ERVA-32, trastuzumab deruxtecan gave an ORR of 71.7%. Lung cancer data are anecdotal.\n")
    assert rows(endpoints(text, rules, pipes), "value", "cancer_type") == [("71.7", "")]


@pytest.mark.parametrize("sentence,expected", [
    ("With tucatinib plus trastuzumab, responses lasted a median of 12.4 months.", [("DOR", "12.4")]),
    ("With zanidatamab, the median duration of those responses was 12.9 months.", [("DOR", "12.9")]),
    # no-match: one patient's response in a case report is no group's duration of response
    ("With goserelin, a CR was achieved, and the response lasted 3 years and 5 months.", []),
])
def test_durations_of_responses_as_abstracts_word_them(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


def test_arm_labels_written_after_their_regimen(rules, pipes):
    text = ("The randomised phase II ERVA-HER2 trial tested abemaciclib plus trastuzumab with fulvestrant (arm A), "
            "abemaciclib plus trastuzumab (arm B), or chemotherapy plus trastuzumab (arm C). The final OS analysis "
            "reported 29.4 months for arm A vs 21.3 months for arm C. Median PFS was 5.7 months for arm B.")
    found = endpoints(text, rules, pipes)
    assert rows(found, "value", "drug") == [("29.4", "abemaciclib + fulvestrant + trastuzumab"),
                                            ("5.7", "abemaciclib + trastuzumab")]
    # no-match: a label after a clause break names no regimen
    text = ("Patients received trastuzumab, and the others were observed (arm B). Median PFS was 5.7 months for arm B.")
    assert rows(endpoints(text, rules, pipes), "value", "drug") == [("5.7", "trastuzumab")]


@pytest.mark.parametrize("sentence,expected", [
    # bounds and thresholds are no results
    ("With everolimus, the CBR was 55.4%, exceeding the prespecified threshold of 40%.", [("CBR", "55.4")]),
    ("With trastuzumab, median overall survival rarely exceeds 14 months.", []),
    ("Afatinib and neratinib produced response rates below 10%.", []),
    # another outcome's rate is no pCR rate
    ("With disitamab vedotin, the pCR rate was 63.6% and the pathological downstaging rate was 72.7%.", [("PCR", "63.6")]),
    # no-match: a result cited as the mark another one passed
    ("With palbociclib, median PFS was 44.3 months, well above the 19.2 months achieved with trastuzumab in SYSUCC-HER2.",
     [("PFS", "44.3"), ("PFS", "19.2")]),
])
def test_bounds_thresholds_and_other_rates_are_no_results(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Zanidatamab had been granted orphan designation in the EU in 2021.", [("EMA", "orphan_drug", "zanidatamab", "2021")]),
    ("Tucatinib was designated as an orphan drug for this indication by the MHLW in 2022.",
     [("PMDA", "orphan_drug", "tucatinib", "2022")]),
    ("The Japanese Gastric Cancer Treatment Guidelines 2021 recommend trastuzumab with fluoropyrimidine and platinum.",
     [("JGCA", "guideline_recommendation")]),
    # no-match: an orphan disease is no designation
    ("HER2-mutant biliary cancer is an orphan disease treated with zanidatamab.", []),
])
def test_orphan_designations_and_the_japanese_gastric_guidelines(sentence, expected, rules, pipes):
    got = rows(events(sentence, rules, pipes), "agency", "event", "drug", "date")
    assert [g[:len(e)] for g, e in zip(got, expected)] == expected and len(got) == len(expected)


@pytest.mark.parametrize("text,expected", [
    # a propensity-matched comparison of two treatments compares arms: "x% and y%" is one result
    ("Nab-paclitaxel versus paclitaxel with ramucirumab in gastric cancer: a propensity score-matched study.\n\n"
     "After propensity score matching, 140 pairs were analysed. Objective responses were observed in 31.4% and 24.1% "
     "of patients, respectively.\n", [("ORR", "31.4", "24.1")]),
    # no-match: a single-arm cohort's two groups stay two results
    ("Nab-paclitaxel with ramucirumab in gastric cancer: a retrospective cohort.\n\n"
     "Of 140 patients, 60 had peritoneal metastases. The ORR was 31.4% versus 24.1%.\n",
     [("ORR", "31.4", ""), ("ORR", "24.1", "")]),
])
def test_a_propensity_matched_comparison_compares_arms(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_a_longer_text_about_one_drug_and_one_trial_lends_them_to_its_values(rules, pipes):
    text = ("Regulatory Decision Summary: trastuzumab deruxtecan, HER2-positive solid tumours\n\n"
            "Decision\n\nThe agency authorised the drug for HER2-positive solid tumours.\n\n"
            "Why the decision was issued\n\nThe evidence came from ERVA-02, a phase 2 basket trial. "
            "Among the 111 patients with IHC 3+ tumours, the objective response rate was 61.3%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug", "trial") == [("61.3", "trastuzumab deruxtecan", "ERVA-02")]
    # no-match: a title naming two regimens and a text naming two trials lend neither
    text = ("Regulatory Decision Summary: trastuzumab deruxtecan and zanidatamab, HER2-positive solid tumours\n\n"
            "Decision\n\nThe agency authorised the drugs for HER2-positive solid tumours.\n\n"
            "Why the decision was issued\n\nThe evidence came from ERVA-02 and ERVA-03, two phase 2 trials. "
            "Among the 111 patients with IHC 3+ tumours, the objective response rate was 61.3%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug", "trial") == []


def test_medroxyprogesterone_is_a_drug(rules, pipes):
    s = "Patients were given medroxyprogesterone acetate (MPA) 1,000 mg/d; with MPA the response rate was 30%."
    assert rows(endpoints(s, rules, pipes), "value", "drug") == [("30", "medroxyprogesterone acetate")]


@pytest.mark.parametrize("sentence,expected", [
    ("With olaparib, OS was longer (HR = 0.68; 98.5% CI, 0.50 to 0.91; P = 0.009).", [("0.68", "0.50", "0.91")]),
    ("With tucatinib, PFS was longer (HR 0.54; 97.5% CI 0.42-0.71).", [("0.54", "0.42", "0.71")]),
    ("With neratinib, iDFS was longer (HR 0.73; 90% CI 0.61 to 0.88).", [("0.73", "0.61", "0.88")]),
    # no-match: a percentage that is no interval's level
    ("With olaparib, OS was longer (HR = 0.68; 15% of patients, 0.50 to 0.91).", [("0.68", "", "")]),
])
def test_intervals_of_any_level(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "hr", "ci_low", "ci_high") == expected


def test_a_review_title_naming_a_class_lends_no_drug(rules, pipes):
    text = ("HER2-targeted therapy in biliary tract cancer: a review\n\n"
            "Introduction\n\nHER2 is amplified in some biliary tract cancers.\n\n"
            "Biliary tract cancer\n\nA phase II study (ERVA) enrolled 32 patients. The ORR was 36.4%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("36.4", "")]


def test_an_original_articles_values_take_the_regimen_its_methods_say_patients_received(rules, pipes):
    text = ("Articles\n\nIntroduction\n\nHER2 mutations occur in 2-4% of lung cancers.\n\n"
            "Methods\n\nHALO-L1 is an open-label phase 2 study in which patients received the HER2 inhibitor "
            "XZ-H417 at 120 mg once daily.\n\nResults\n\nOf 132 treated patients, 75 received 120 mg. "
            "The confirmed objective response rate was 66.7% (50 of 75).\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("66.7", "xz-h417")]
    # no-match: Methods that only describe how studies were searched give no regimen
    text = ("Articles\n\nIntroduction\n\nHER2 mutations occur in 2-4% of lung cancers.\n\n"
            "Methods\n\nPubMed and Embase were searched until March 2025 for cohorts of the inhibitor.\n\n"
            "Results\n\nOf 132 patients in the cohorts, 75 were evaluable. "
            "The confirmed objective response rate was 66.7% (50 of 75).\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == []


def test_a_comparator_leading_the_sentence_ends_at_its_comma(rules, pipes):
    s = ("Compared with letrozole alone, the addition of palbociclib prolonged PFS, with a pooled hazard ratio of "
         "0.56 (95% CI 0.51 to 0.62).")
    assert rows(endpoints(s, rules, pipes), "endpoint", "hr", "drug", "comparator") == [("PFS", "0.56", "palbociclib", "letrozole")]
    # no-match: a cue later in the sentence still starts the comparator there
    s = "The addition of palbociclib prolonged PFS compared with letrozole alone (HR 0.56)."
    assert rows(endpoints(s, rules, pipes), "drug", "comparator") == [("palbociclib", "letrozole")]


@pytest.mark.parametrize("sentence,expected", [
    # journalistic survival rates: "x% of drug-treated patients were alive", landmarks in words up to nine
    ("At seven years, 67.0% of olaparib-treated patients were alive.", [("OS", "67.0", "7-year")]),
    ("At nine years, 52.5% of patients given trastuzumab were alive.", [("OS", "52.5", "9-year")]),
    # no-match: alive without a landmark is no survival rate
    ("Overall, 67.0% of olaparib-treated patients were alive.", []),
])
def test_survival_rates_as_news_reports_write_them(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "timepoint") == expected


def test_a_table_whose_rows_are_endpoints_and_columns_the_arms(rules, pipes):
    text = ("Neratinib trial: final analysis\n\nResults\n\nPatients were assigned to neratinib plus capecitabine "
            "(N+C; n = 307) or lapatinib plus capecitabine (L+C; n = 305).\n\n"
            "TABLE 2. Efficacy End Points\n"
            "End Point                        N+C (n = 307)        L+C (n = 305)\n"
            "Median PFS, months (95% CI)      8.8 (7.0-9.8)        6.6 (5.8-7.0)\n"
            "Median DOR, months               8.5                  5.6\n"
            "Grade 3 diarrhea, %              24.4                 12.5\n")
    _, found, _ = record(text, rules, pipes)
    got = sorted(rows([m for m in found if m.prov.extractor.startswith("efficacy:row_label")],
                      "endpoint", "value", "comparator_value", "drug", "comparator"))
    assert got == [("DOR", "8.5", "5.6", "capecitabine + neratinib", "capecitabine + lapatinib"),
                   ("PFS", "8.8", "6.6", "capecitabine + neratinib", "capecitabine + lapatinib")]


# ------------------------------------------------------------------ eighth pass: regulatory histories and guideline texts


def _doc_events(text, rules, pipes, name="doc.txt"):
    ann = annotate_text(text, rules, pipes, name=name)
    found = extract_approvals(DocView(ann, rules))
    for m in found:
        assert ann.doc.text[m.prov.char_start:m.prov.char_end] == m.prov.quote
    return sorted((m.agency, m.event, m.drug, m.date) for m in found)


@pytest.mark.parametrize("text,expected", [
    # a list of milestones that names no drug: the heading's (the drug given before is prior therapy)
    ("4.1 Zanidatamab after progression on trastuzumab\n\nThe bispecific was tested in two single-arm "
     "studies with consistent activity in biliary and gastric cancers across all HER2 levels.\n\n"
     "Regulatory milestones:\n- Japan: MHLW approval on 12 March 2025;\n"
     "- United States: accelerated approval by the FDA in November 2024, after a trastuzumab-based regimen;\n",
     [("FDA", "accelerated_approval", "zanidatamab", "2024-11"), ("PMDA", "approval", "zanidatamab", "2025-03-12")]),
    # the drug of the section's last event, not a backbone given before ("after gemcitabine-based treatment")
    ("Review\n\nBiliary tract cancer\n\nThe FDA approved zanidatamab in November 2024 for previously treated disease. "
     "Its pivotal study enrolled patients whose tumours progressed after gemcitabine-based treatment, and responses "
     "were durable.\n\nIn Europe, the European Commission issued a conditional marketing authorisation on June 30, "
     "2025, after a review of the same data.\n",
     [("EMA", "conditional_approval", "zanidatamab", "2025-06-30"), ("FDA", "approval", "zanidatamab", "2024-11")]),
])
def test_an_event_naming_no_drug_takes_the_history_or_heading_drug_not_prior_therapy(text, expected, rules, pipes):
    assert _doc_events(text, rules, pipes) == expected


def test_a_clause_saying_but_no_licence_keeps_its_agencies_to_itself(rules, pipes):
    text = ("Outside China, disitamab vedotin holds a Breakthrough Therapy designation from the FDA (granted in 2020) "
            "but no licence from the EMA, MHRA or TGA.")
    assert rows(events(text, rules, pipes), "agency", "event") == [("FDA", "breakthrough_therapy")]


GUIDELINE = """ESMO Metastatic Breast Cancer Living Guideline, update of May 2025 (invented)

New or revised recommendations
1. After a taxane and trastuzumab, trastuzumab deruxtecan is preferred to trastuzumab emtansine [I, A].
2. Tucatinib plus trastuzumab and capecitabine remains an alternative for patients with brain metastases [I, B].
3. Margetuximab plus chemotherapy or neratinib plus capecitabine may be offered to selected patients [II, C].
4. Zongertinib can be considered only where approved and available [III, C].

Summary of evidence
In the key study for recommendation 2, responses were seen in 47% of patients with active brain metastases.
"""

CSCO = """Chinese Society of Clinical Oncology (CSCO) Gastric Cancer Guidelines 2025: HER2-positive disease (invented)

Stratified recommendations, second line
Level I: trastuzumab deruxtecan (1A); disitamab vedotin (1B).
Level II: ramucirumab + paclitaxel (2A).
"""


def test_a_guideline_texts_own_recommendations_are_its_bodys_events(rules, pipes):
    found = _doc_events(GUIDELINE, rules, pipes, name="esmo.txt")
    assert [(a, d) for a, e, d, _ in found if e == "guideline_recommendation"] == [
        ("ESMO", "capecitabine + neratinib"), ("ESMO", "capecitabine + trastuzumab + tucatinib"),
        ("ESMO", "chemotherapy + margetuximab"), ("ESMO", "trastuzumab deruxtecan")]
    # "preferred to T-DM1": T-DM1 is not recommended; "only where approved": no event; a reference to a
    # numbered recommendation is no event
    found = _doc_events(CSCO, rules, pipes, name="csco.txt")
    assert [(a, d) for a, e, d, _ in found] == [
        ("CSCO", "disitamab vedotin"), ("CSCO", "paclitaxel + ramucirumab"), ("CSCO", "trastuzumab deruxtecan")]


def test_statements_without_a_body_are_no_events_outside_a_guideline_text(rules, pipes):
    """No-match: the same phrasings in a review name no guideline body: no event."""
    text = ("Margetuximab plus chemotherapy or neratinib plus capecitabine may be offered to selected patients, and "
            "trastuzumab deruxtecan is preferred to trastuzumab emtansine by most investigators.")
    assert events(text, rules, pipes) == []


def test_a_condition_put_as_a_question_is_no_event(rules, pipes):
    text = "Should XZ-M07B2 be approved in the US in 2026 as projected, a UK submission would follow within a year."
    assert events(text, rules, pipes) == []


def test_against_names_the_comparator_of_a_results_sentence(rules, pipes):
    found = endpoints("In VALOR-G, trastuzumab deruxtecan was tested against ramucirumab plus paclitaxel: median OS "
                      "was 12.9 versus 9.4 months.", rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == [("12.9", "9.4", "trastuzumab deruxtecan")]
    # no-match: "active against" names no arm
    found = endpoints("Zanidatamab is active against HER2-amplified tumours: the ORR was 41% with zanidatamab "
                      "plus chemotherapy.", rules, pipes)
    assert rows(found, "value", "drug") == [("41", "chemotherapy + zanidatamab")]


@pytest.mark.parametrize("sentence,expected", [
    ("In the doublet cohorts, median progression-free and overall survival were 8.2 and 24.1 months, respectively, "
     "with tucatinib plus trastuzumab.", [("PFS", "8.2"), ("OS", "24.1")]),
    ("With pertuzumab and trastuzumab, median event-free and overall survival were 31.0 and 52.4 months, respectively.",
     [("EFS", "31.0"), ("OS", "52.4")]),
])
def test_the_first_of_two_coordinated_survival_endpoints_is_read_without_its_noun(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected
    # no-match: a word before "-free" that names no survival endpoint makes none
    found = endpoints("With neratinib, median treatment-free and overall survival were 6.1 and 30.2 months, "
                      "respectively.", rules, pipes)
    assert not {m.endpoint for m in found} - {"OS"}


def test_a_review_section_saved_on_its_own_is_read_as_a_review(rules, pipes):
    """A numbered section title ("4. HER2-amplified colorectal cancer") is a review's section, not a trial
    record: a drug named in passing in its opening ("without chemotherapy") does not take the results of
    the regimen a later paragraph introduces."""
    text = ("4. HER2-amplified metastatic colorectal cancer\n\n"
            "Dual HER2 blockade without chemotherapy became the first targeted option for this small subset.\n\n"
            "Tucatinib plus trastuzumab. The open-label phase II PINNACLE-CRC trial assigned previously treated "
            "patients to the doublet. In the 84 patients of the doublet cohorts, the confirmed ORR reached 38.1%.\n")
    ann = annotate_text(text, rules, pipes, name="section4.txt")
    view = DocView(ann, rules)
    assert not view.is_record
    assert rows(extract_endpoints(view), "value", "drug") == [("38.1", "trastuzumab + tucatinib")]


@pytest.mark.parametrize("sentence,trial", [
    ("Datopotamab deruxtecan is a closer call: ARC-B1 reported median PFS of 6.9 months with the conjugate.", "ARC-B1"),
    ("Sacituzumab govitecan, in SAGE-02, gave a median PFS of 5.5 months.", "SAGE-02"),
    ("HALO-L1 is an open-label, multicentre, phase 1b/2 study; with XZ-H417 the ORR was 66.7%.", "HALO-L1"),
    ("In the phase II ATLAS-PT basket study of T-DXd, the ORR was 37.1%.", "ATLAS-PT"),
    ("Whereas the palbociclib study PALOMA-X reported a median OS of 53.9 months with palbociclib.", "PALOMA-X"),
])
def test_trial_names_in_the_contexts_reviews_and_news_use(sentence, trial, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "trial") == [(trial,)]


def test_a_drug_code_or_a_review_committee_before_a_reporting_verb_is_no_trial(rules, pipes):
    """No-match: "SHR-A1811 showed" names a drug, "BICR confirmed" a committee; a trial named like a
    drug's code in a telling context is still a trial ("the EV-322 trial")."""
    found = endpoints("SHR-A1811 showed an ORR of 76.3% in HER2-low disease, and BICR confirmed a median PFS "
                      "of 11.0 months.", rules, pipes)
    assert {m.trial for m in found} == {""}
    found = endpoints("In the EV-322 trial, the ORR was 67.7% with enfortumab vedotin plus pembrolizumab.", rules, pipes)
    assert rows(found, "trial") == [("EV-322",)]


def test_a_news_storys_results_paragraph_takes_the_drug_and_trial_of_its_lede(rules, pipes):
    text = ("HER2 drugs post durable gains in gynaecological cancers\n\nCongress report -- Athens, 21 June 2025\n\n"
            "Results\n\nWomen with HER2-expressing gynaecological tumours continue to benefit from trastuzumab "
            "deruxtecan, according to a three-year update of the PANORAMA-H2 basket study presented in Athens.\n\n"
            "In the endometrial cohort, 23 of 40 women (57.5%) had a confirmed response. Cervical cancer patients "
            "fared less well, with an ORR of 40.0% (16/40).\n\n"
            "Immunotherapy in endometrial cancer\n\nIn mismatch repair-deficient disease, the 18-month PFS was 67.2% "
            "with durvalumab plus chemotherapy.\n")
    ann = annotate_text(text, rules, pipes, name="news.txt")
    found = extract_endpoints(DocView(ann, rules))
    assert rows(found, "value", "drug", "trial")[:2] == [
        ("57.5", "trastuzumab deruxtecan", "PANORAMA-H2"), ("40.0", "trastuzumab deruxtecan", "PANORAMA-H2")]
    # no-match: the next section's paragraph names its own drug and takes none from the lede
    assert rows(found, "value", "drug")[2:] == [("67.2", "chemotherapy + durvalumab")]


def test_more_than_a_decade_is_no_comparator(rules, pipes):
    found = endpoints("For more than a decade, the standard has rested on CLEOSTAR, in which pertuzumab added to "
                      "trastuzumab and docetaxel extended median PFS to 18.7 months compared with 12.4 months "
                      "for placebo.", rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == [("18.7", "12.4", "docetaxel + pertuzumab + trastuzumab")]


def test_a_posters_title_regimen_beside_its_studys_code(rules, pipes):
    """The title names the regimen and the study by a code shaped like a drug's ("ZANGA-201"): the bullets
    naming no drug take the regimen; a title naming two regimens gives none (no-match)."""
    body = ("\n\nINTRODUCTION\n• Bispecific anti-HER2 antibody with dual-epitope binding\n\nRESULTS\n"
            "• cORR: 31/41 (75.6%) [95% CI 59.7–87.6]\n• mPFS — 12.5 months (8.2–16.9)\n")
    ann = annotate_text("POSTER 1187P — Zanidatamab + CAPOX in HER2+ gastric cancer: ZANGA-201 phase 2 update" + body,
                        rules, pipes, name="poster.txt")
    assert rows(extract_endpoints(DocView(ann, rules)), "endpoint", "value", "drug") == [
        ("ORR", "75.6", "capecitabine + oxaliplatin + zanidatamab"), ("PFS", "12.5", "capecitabine + oxaliplatin + zanidatamab")]
    ann = annotate_text("POSTER 1188P — Zanidatamab or trastuzumab deruxtecan in HER2+ gastric cancer" + body,
                        rules, pipes, name="poster2.txt")
    assert extract_endpoints(DocView(ann, rules)) == []


def test_hazard_ratios_of_a_multivariable_model_stay_no_values_beside_a_prior_drug(rules, pipes):
    found = endpoints("With pyrotinib, median PFS was 8.9 months. On multivariable analysis, more than three brain "
                      "lesions (HR = 1.74, 95% CI: 1.22-2.48) and prior lapatinib exposure (HR = 1.51) were "
                      "associated with shorter PFS.", rules, pipes)
    assert rows(found, "endpoint", "value", "hr") == [("PFS", "8.9", "")]
    # no-match: a treatment's hazard ratio beside the model's words is a value
    found = endpoints("In the Cox model, pyrotinib plus capecitabine reduced the risk of progression (HR 0.39).", rules, pipes)
    assert rows(found, "endpoint", "hr") == [("PFS", "0.39")]


@pytest.mark.parametrize("sentence,expected", [
    ("With pyrotinib versus lapatinib, CBR: 76.9% / 62.3%.", [("CBR", "76.9", "62.3")]),
    # full-width punctuation of a translated review
    ("For pyrotinib plus capecitabine the median OS was 20.4 months and 16.9 months（HR=0.83，P=0.004）.",
     [("OS", "20.4", "16.9")]),
    # no-match: "2+/3+" and "25/31" are no comparisons
    ("With disitamab vedotin, the ORR was 80.6% (25/31) for IHC 2+/3+ tumours.", [("ORR", "80.6", "")]),
])
def test_slashes_and_full_width_brackets_between_two_arms_values(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value") == expected


def test_short_paragraphs_naming_no_drug_are_looked_past_for_the_topic(rules, pipes):
    """A slide's or list's bullets: the value's paragraph and the short ones before it name no drug; the
    regimen is the one named before them. A paragraph of prose naming no drug ends the look back."""
    text = ("HER2 in colorectal cancer: grand rounds notes\n\nIntroduction\n\nHER2 amplification is found in a "
            "small subset of colorectal cancers, mostly in left-sided RAS wild-type tumours.\n\nResults\n\n"
            "Cohorts A and B: tucatinib plus trastuzumab.\n\nEfficacy, 84 patients.\n\n"
            "Confirmed ORR 38.1% (95% CI 27.7-49.3).\n\n"
            "The response rate in these heavily pretreated patients was durable and it is the number we quote "
            "to patients in clinic every single week of the year.\n\nDCR 71.4%.\n")
    ann = annotate_text(text, rules, pipes, name="notes.txt")
    found = extract_endpoints(DocView(ann, rules))
    assert ("38.1", "trastuzumab + tucatinib") in rows(found, "value", "drug")
    assert ("71.4", "trastuzumab + tucatinib") not in rows(found, "value", "drug")


@pytest.mark.parametrize("sentence,expected", [
    ("Trastuzumab emtansine has been authorised in the EU since December 2019 for residual invasive disease.",
     [("EMA", "approval", "trastuzumab emtansine", "2019-12")]),
    ("For neratinib, the EMA authorisation granted in 2018 is limited to hormone receptor-positive disease.",
     [("EMA", "approval", "neratinib", "2018")]),
    # no-match: withdrawn and not recommended are no events
    ("The OS was not improved in the confirmatory trial, so the accelerated approval of sacituzumab govitecan by "
     "the FDA was withdrawn in 2024.", []),
    ("The KAIROS-N regimen (trastuzumab emtansine plus pertuzumab, no chemotherapy) is not recommended outside "
     "trials by NCCN.", []),
])
def test_authorised_in_the_eu_withdrawn_and_not_recommended(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "event", "drug", "date") == expected


@pytest.mark.parametrize("text,expected", [
    # arms listed one per line, then a value labelled in brackets after it
    ("A four-arm neoadjuvant study.\n\nArms:\n- Arm A: trastuzumab plus docetaxel\n- Arm B: pertuzumab plus trastuzumab "
     "and docetaxel\n- Arm C: pertuzumab plus trastuzumab\n\nThe 5-year PFS estimates were 81% (Arm A), 86% (Arm B) "
     "and 73% (Arm C).\n",
     [("81", "docetaxel + trastuzumab"), ("86", "docetaxel + pertuzumab + trastuzumab"), ("73", "pertuzumab + trastuzumab")]),
    # a regimen with doses before its bracketed label; the label right before a value
    ("Patients were randomized to RC48 2.0 mg/kg + toripalimab 3 mg/kg Q2W (arm A) or gemcitabine + cisplatin "
     "(arm B).\n\nORR: Arm A 78/117 (66.7%).\n", [("66.7", "disitamab vedotin + toripalimab")]),
])
def test_values_labelled_by_arm_take_the_arms_regimen(text, expected, rules, pipes):
    ann = annotate_text("Results of a randomized trial in HER2-positive cancer.\n\n" + text, rules, pipes, name="arms.txt")
    assert rows(extract_endpoints(DocView(ann, rules)), "value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # the second arm named before its own value: one comparison (two documents' shapes)
    ("The ORR of the zanidatamab group was 71.4% and the placebo group was 52.0%.", [("71.4", "52.0")]),
    ("The 3-year iDFS rate was 94.1% for the neratinib arm, and the observation arm was 89.6%.", [("94.1", "89.6")]),
    # the control named first: the experimental arm's value is the value
    ("The ORR of the placebo group was 40.1%, whereas the tucatinib group had 62.0%.", [("62.0", "40.1")]),
    # no-match: a subgroup, not an arm, named before the second value: two values
    ("The ORR was 45.0% in the tucatinib group and the HER2-low cohort was 30.0%.",
     [("45.0", ""), ("30.0", "")]),
])
def test_second_arm_named_before_its_value(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "comparator_value") == expected


_LABEL_TABLE = """Pyrotinib Tablets - Package Insert

[Clinical Trials]
1. Confirmatory phase III study (PHENIX-9; NCT02900001)
In this randomized study, 279 patients with HER2-positive metastatic breast cancer were assigned to pyrotinib plus capecitabine (Group P, n=185) or placebo plus capecitabine (Group C, n=94).

Table 3 Main efficacy results

Index                     | Group P       | Group C       | HR (95% CI)         | P value
Median PFS (IRC), months  | 11.1          | 4.1           | 0.18 (0.13-0.26)    | <0.001
ORR, % (95% CI)           | 68.6 (61.4-75.2) | 16.0 (9.2-25.0) | -              | <0.001

Diarrhea was the most common adverse reaction.
"""

_BASKET_TABLE = """Trastuzumab deruxtecan across tumour types: a review

3.4. Gynaecological cancers
The open-label phase II DESTINY-PanTumor9 basket study of T-DXd enrolled patients with HER2-expressing solid tumours.

Table 3  Objective response by tumour cohort in DESTINY-PanTumor9
Cohort          n     ORR, %    95% CI
Endometrial     40    57.5      40.9-73.0
Cervical        40    50.0      33.8-66.2

Among other tumour types responses were rare.
"""


def test_table_columns_headed_by_arm_labels_and_tables_naming_no_drug_take_the_texts_regimen(rules, pipes):
    # columns headed "Group P" / "Group C": the regimens the text defined the groups with
    ann = annotate_text(_LABEL_TABLE, rules, pipes, name="insert.txt")
    found = rows(extract_endpoints(DocView(ann, rules)), "endpoint", "value", "comparator_value", "drug", "comparator", "trial", "cancer_type")
    assert ("PFS", "11.1", "4.1", "capecitabine + pyrotinib", "capecitabine", "PHENIX-9", "breast") in found
    assert ("ORR", "68.6", "16.0", "capecitabine + pyrotinib", "capecitabine", "PHENIX-9", "breast") in found
    # a table of cohorts under a caption naming the trial: the drug the text introduced that trial with
    ann = annotate_text(_BASKET_TABLE, rules, pipes, name="review.txt")
    found = rows(extract_endpoints(DocView(ann, rules)), "value", "drug", "trial")
    assert ("57.5", "trastuzumab deruxtecan", "DESTINY-PANTUMOR-9") in found
    assert ("50.0", "trastuzumab deruxtecan", "DESTINY-PANTUMOR-9") in found
    # no-match: a column headed by a label the text never defined keeps no regimen
    unknown = _LABEL_TABLE.replace("(Group P, n=185)", "").replace("(Group C, n=94)", "")
    ann = annotate_text(unknown, rules, pipes, name="insert.txt")
    assert not [m for m in extract_endpoints(DocView(ann, rules)) if m.value == "11.1" and m.drug == "capecitabine + pyrotinib"]


@pytest.mark.parametrize("text,expected", [
    # the unit declared once before a colon, the numbers bare after it (a slide, a registry record)
    ("Tucatinib versus placebo, both with trastuzumab, in a randomized trial.\n\nMedian PFS, months: 11.9 vs 7.1 (HR 0.52).",
     [("PFS", "11.9", "months", "7.1")]),
    ("A single-arm study of tucatinib with trastuzumab in colorectal cancer.\n\nProgression-Free Survival [Time Frame: Up to "
     "30 months] - Median (95% CI), months: Cohort A 11.9 (8.2 to 15.4); Cohort B 7.1 (5.3 to 9.0)",
     [("PFS", "11.9", "months", ""), ("PFS", "7.1", "months", "")]),
    ("Randomized trial of tucatinib versus placebo.\n\nORR, %: 38.1 (tucatinib) vs 3.3 (placebo).", [("ORR", "38.1", "%", "3.3")]),
    # no-match: numbers after the colon that are a statistic, a count or a label; no unit declared
    ("A single-arm study of tucatinib.\n\nMedian PFS, months: HR 0.62; n = 40; cohort 2.", []),
    ("A single-arm study of tucatinib.\n\nMedian PFS: 11.9 in cohort A.", []),
])
def test_unit_declared_before_a_colon(text, expected, rules, pipes):
    ann = annotate_text("Tucatinib in HER2-positive colorectal cancer.\n\n" + text, rules, pipes, name="slide.txt")
    found = [m for m in extract_endpoints(DocView(ann, rules)) if m.value]
    assert rows(found, "endpoint", "value", "unit", "comparator_value") == expected


@pytest.mark.parametrize("text,expected", [
    # the endpoint named again by "the medians" / "the corresponding values": the sentence before's
    ("Overall survival was 16.8 months with zanidatamab and 12.2 months with chemotherapy (HR 0.71). Outside Asia the "
     "medians were 13.4 and 10.9 months (HR 0.86).", [("OS", "16.8", "12.2"), ("OS", "13.4", "10.9")]),
    ("Median progression-free survival was 7.3 versus 3.6 months (HR 0.61). In the altered population the respective "
     "medians were 7.4 and 3.1 months (HR 0.51).", [("PFS", "7.3", "3.6"), ("PFS", "7.4", "3.1")]),
    ("Median PFS was longer with zanidatamab than with chemotherapy (8.3 months vs. 6.8 months; HR 0.62); the "
     "corresponding values in the HER2-high population were 11.3 months and 6.8 months.",
     [("PFS", "8.3", "6.8"), ("PFS", "11.3", "6.8")]),
    # no-match: "the medians" of something else, in a sentence after one naming two endpoints
    ("Median PFS and OS favoured zanidatamab. The medians were 14.1 and 9.0 months for follow-up.", []),
])
def test_medians_named_again_take_the_endpoint_before(text, expected, rules, pipes):
    text = "Zanidatamab versus chemotherapy in a randomized trial in HER2-positive gastric cancer.\n\n" + text
    ann = annotate_text(text, rules, pipes, name="news.txt")
    found = [m for m in extract_endpoints(DocView(ann, rules)) if m.value]
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_landmark_opening_after_a_run_in_heading(rules, pipes):
    text = ("Neratinib after trastuzumab in early breast cancer: a randomized placebo-controlled trial.\n\n"
            "Results: At 5 years, iDFS was 90.4% in the neratinib group and 87.6% in the placebo group (HR 0.73). "
            "Conclusions: After 3 years, patients remained on follow-up.")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "timepoint") == [("IDFS", "90.4", "87.6", "5-year")]


_DOSE_TABLE = """Trastuzumab deruxtecan in HER2-mutant lung cancer: a randomized dose-optimisation study.

Table 2. Response and survival by dose group in a phase 2 study of trastuzumab deruxtecan in HER2-mutant NSCLC.

Outcome (BICR)                       5.4 mg/kg (n = 102)          6.4 mg/kg (n = 50)
ORR, % (95% CI)                      49.0 (39.0-59.1)             56.0 (41.3-70.0)
  CR / PR, n                         1 / 49                       2 / 26
Median PFS, months (95% CI)          9.9 (7.4-NE)                 15.4 (8.3-NE)
Median OS, months (95% CI)           19.5 (13.6-NE)               NE (12.1-NE)

NE, not estimable.
"""

_UNNAMED_ARMS = """Disitamab vedotin plus toripalimab versus chemotherapy in HER2-expressing urothelial carcinoma: a randomized phase 3 trial.

Patients were randomly assigned to disitamab vedotin plus toripalimab or to gemcitabine with cisplatin or carboplatin.

Table 2 | Efficacy outcomes

Endpoint                       DV + T (n = 243)      GC/GCb (n = 241)      Comparison
PFS by BICR, median (95% CI)   13.1 mo (11.6-15.2)   6.5 mo (6.2-7.0)      HR 0.36 (0.28-0.46)
Confirmed ORR, n/N (%)         185/243 (76.1)        121/241 (50.2)        P < 0.001
"""

_THREE_ARMS = """Neoadjuvant regimens in HER2-positive breast cancer: a randomized three-arm trial.

Table 3. Pathological response by arm

\tArm A: TCbHP (n = 151)\tArm B: T-DM1 + P (n = 149)\tArm C: PyroTH (n = 150)
tpCR (ypT0/is ypN0), n/N (%)\t88/151 (58.3)\t67/149 (45.0)\t95/150 (63.3)
95% CI\t50.0-66.2\t36.8-53.3\t55.1-71.0
"""


def test_table_rows_of_doses_arms_without_drug_names_and_three_arms(rules, pipes):
    def table_rows(text):
        ann = annotate_text(text, rules, pipes, name="table.txt")
        return rows([m for m in extract_endpoints(DocView(ann, rules)) if "row_label" in m.prov.extractor],
                    "endpoint", "value", "unit", "comparator_value", "hr", "drug")
    # dose groups: each its own result, "NE" is not reached; a row of counts ("CR / PR, n") is no value
    assert table_rows(_DOSE_TABLE) == [
        ("ORR", "49.0", "%", "", "", "trastuzumab deruxtecan"), ("ORR", "56.0", "%", "", "", "trastuzumab deruxtecan"),
        ("PFS", "9.9", "months", "", "", "trastuzumab deruxtecan"), ("PFS", "15.4", "months", "", "", "trastuzumab deruxtecan"),
        ("OS", "19.5", "months", "", "", "trastuzumab deruxtecan"), ("OS", "NR", "months", "", "", "trastuzumab deruxtecan")]
    # two randomised arms headed by abbreviations: one comparison, the statistics column gives its HR, not a value
    assert table_rows(_UNNAMED_ARMS) == [
        ("PFS", "13.1", "months", "6.5", "0.36", "disitamab vedotin + toripalimab"),
        ("ORR", "76.1", "%", "50.2", "", "disitamab vedotin + toripalimab")]
    # three arms: each arm's value its own result; the interval row is no value
    assert [r[1] for r in table_rows(_THREE_ARMS)] == ["58.3", "45.0", "63.3"]


@pytest.mark.parametrize("text,expected", [
    # a survival rate naming no landmark takes the one an earlier sentence gave the same endpoint
    ("At 5 years, iDFS was 90.4% with neratinib and 87.6% with placebo (HR 0.73). In HR-negative disease iDFS did "
     "not differ (88.8% vs 88.9%; HR 0.99).", [("IDFS", "90.4", "87.6", "5-year"), ("IDFS", "88.8", "88.9", "5-year")]),
    ("The 3-year EFS was 91.2% with neratinib. Among patients older than 65 years EFS was 89.0%.",
     [("EFS", "91.2", "", "3-year"), ("EFS", "89.0", "", "3-year")]),
    # no-match: without an earlier landmark a percentage of a time endpoint is no value
    ("Patients received neratinib. In HR-negative disease iDFS did not differ (88.8% vs 88.9%).", []),
])
def test_landmark_carried_from_an_earlier_sentence(text, expected, rules, pipes):
    _, found, _ = record("Neratinib versus placebo in HER2-positive early breast cancer: a randomized trial.\n\n" + text,
                         rules, pipes)
    assert rows([m for m in found if m.value], "endpoint", "value", "comparator_value", "timepoint") == expected


def test_two_values_alone_in_a_bracket_and_hormone_receptor_rows(rules, pipes):
    _, found, _ = record("Doxorubicin-based chemotherapy versus CMF in node-positive breast cancer: a randomized trial.\n\n"
                         "At 5 years, RFS was similar in both arms (67% and 64%).", rules, pipes)
    assert rows(found, "value", "comparator_value") == [("67", "64")]
    # no-match: a hormone-receptor row under an endpoint row is no hazard-ratio row
    table = ("Pertuzumab in HER2-positive breast cancer: a randomized trial.\n\nTable 3. Pathological response\n\n"
             "\tPertuzumab arm\tControl arm\npCR, %\t61.6\t49.0\nHR-negative subgroup\t71.8\t55.4\n")
    ann = annotate_text(table, rules, pipes, name="table.txt")
    assert [m.hr for m in extract_endpoints(DocView(ann, rules))] == [""]


def test_supplementary_table_with_counts_under_endpoint_columns(rules, pipes):
    text = ("Tucatinib and trastuzumab in HER2-positive colorectal cancer: supplementary appendix.\n\n"
            "Supplementary Table S2. Cohort B (tucatinib + trastuzumab), BICR\n"
            "Cohort      ORR              DCR        mPFS (mo)\n"
            "B (n=19)    10/19 (52.6%)    84.2%      9.1\n"
            "A (n=21)    9/21 (42.9%)     81.0%      8.3\n\n"
            "Supplementary tables are available online.\n")
    ann = annotate_text(text, rules, pipes, name="appendix.txt")
    assert [t.caption.split(".")[0] for t in ann.doc.tables] == ["Supplementary Table S2"]
    found = rows(extract_endpoints(DocView(ann, rules)), "endpoint", "value", "unit")
    assert ("ORR", "52.6", "%") in found and ("DCR", "84.2", "%") in found and ("PFS", "9.1", "months") in found
    assert ("ORR", "42.9", "%") in found
    # no-match: the count itself is no value
    assert not [f for f in found if f[1] in ("10", "19", "9", "21")]


@pytest.mark.parametrize("text,expected", [
    # "the rates" / "the figures" name the endpoint of the sentence before; a landmark in the sentence or before
    ("Invasive disease-free survival favoured neratinib at 2 years. By five years the rates were 90.5% and 87.4%, "
     "respectively (HR 0.71).", [("IDFS", "90.5", "87.4", "5-year")]),
    ("Median progression-free survival was analysed by PIK3CA status. In the overall population the figures were 6.1 "
     "and 3.9 months.", [("PFS", "6.1", "3.9", "")]),
    ("The pCR rate was 58.1% with neratinib and 45.0% with placebo. In hormone receptor-positive disease the "
     "corresponding rates were 44.1% and 53.8%.", [("PCR", "58.1", "45.0", ""), ("PCR", "44.1", "53.8", "")]),
    ("At 2 years, invasive disease-free survival was 94.6% versus 92.1% (HR 0.64); by five years the rates were 90.5% "
     "and 87.4%, respectively (HR 0.71).", [("IDFS", "94.6", "92.1", "2-year"), ("IDFS", "90.5", "87.4", "5-year")]),
    # no-match: "the rates of" something else
    ("The pCR rate was 58.1% with neratinib. The rates of diarrhoea were 40.1% and 12.0%.", [("PCR", "58.1", "", "")]),
])
def test_the_rates_and_figures_name_the_endpoint_before(text, expected, rules, pipes):
    _, found, _ = record("Neratinib versus placebo in HER2-positive breast cancer: a randomized trial.\n\n" + text, rules, pipes)
    assert rows([m for m in found if m.value], "endpoint", "value", "comparator_value", "timepoint") == expected


@pytest.mark.parametrize("text,expected", [
    # patients alive, alive and progression-free, free of invasive disease: the landmark rate and its comparator
    ("At 5 years, 42.1% of olaparib-treated patients were alive, relative to 33.0% of those given placebo.",
     [("OS", "42.1", "33.0", "5-year")]),
    ("At 12 months, 21% of olaparib-treated patients were alive and progression-free, as opposed to 7% of those "
     "treated with placebo.", [("PFS", "21", "7", "12-month")]),
    ("At five years, 85.1% of patients given olaparib remained free of invasive disease versus 80.6% with placebo "
     "(HR 0.74).", [("IDFS", "85.1", "80.6", "5-year")]),
    ("At three years, 63% and 51% of patients were alive.", [("OS", "63", "51", "3-year")]),
    # no-match: a percentage of patients with an adverse event before a comparison
    ("At 12 months, 21% of olaparib-treated patients had anaemia, as opposed to 7% of those given placebo.", []),
])
def test_patients_alive_or_free_of_disease_with_the_other_arm(text, expected, rules, pipes):
    _, found, _ = record("Olaparib versus placebo in HER2-negative breast cancer: a randomized trial.\n\n" + text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "timepoint") == expected


@pytest.mark.parametrize("text,expected", [
    # a trial introduced with its regimen in a bracket right after its name; later results naming the trial alone
    ("Three trials reported: DELTA-LOW (NCT05524058; trastuzumab deruxtecan), TROPIC-HR (NCT01245431; sacituzumab "
     "govitecan) and others.\n\nTROPIC-HR: median OS 14.4 months versus 11.2 months (HR 0.79).",
     [("14.4", "sacituzumab govitecan", "TROPIC-HR")]),
    ("Ongoing studies include BRISA-3 (neratinib plus capecitabine) and OSPREY-2 (trastuzumab deruxtecan).\n\n"
     "In OSPREY-2 the confirmed ORR was 52.1%.", [("52.1", "trastuzumab deruxtecan", "OSPREY-2")]),
    # no-match: a bracket naming no drug gives none
    ("Three trials reported: TROPIC-HR (NCT01245431; phase 3) and others.\n\nTROPIC-HR: median OS 14.4 months.",
     [("14.4", "", "TROPIC-HR")]),
])
def test_a_trial_introduced_with_its_regimen_in_brackets(text, expected, rules, pipes):
    ann = annotate_text("HER2-low breast cancer: a review\n\nRecent trials\n\n" + text, rules, pipes, name="review.txt")
    assert rows(extract_endpoints(DocView(ann, rules)), "value", "drug", "trial") == expected


@pytest.mark.parametrize("text,expected", [
    # a record naming its regimen by class and one member of it: results carried from the class are the member's
    ("Pathological response in breast cancer treated with 24 weeks of aromatase inhibition.\n\nAromatase inhibitors "
     "show efficacy in postmenopausal breast cancer. We evaluated 24 weeks of aromatase inhibition with exemestane in a "
     "neoadjuvant setting. The ORR was 47% at week 16.", [("47", "exemestane")]),
    ("Serum HER2 and response to endocrine therapy in metastatic breast cancer.\n\nWe studied patients given "
     "second-line endocrine therapy in two phase III trials, in which megestrol acetate was the control. The objective "
     "response rate was 23%.", [("23", "megestrol acetate")]),
    # no-match: two members named (which one is unknown), or the class named in the result's own sentence
    ("Pathological response in breast cancer treated with 24 weeks of aromatase inhibition.\n\nAromatase inhibitors "
     "show efficacy in postmenopausal breast cancer. We evaluated anastrozole and letrozole in a neoadjuvant setting. "
     "The ORR was 47% at week 16.", [("47", "aromatase inhibitor")]),
    ("Pathological response in breast cancer treated with 24 weeks of aromatase inhibition.\n\nAromatase inhibitors "
     "show efficacy in postmenopausal breast cancer. We evaluated 24 weeks of aromatase inhibition with exemestane. The "
     "clinical benefit rate was 41% for any aromatase inhibitor.", [("41", "aromatase inhibitor")]),
])
def test_a_class_carried_to_a_result_is_the_one_member_the_record_names(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # a class and its abbreviation before its members: the members are the plural subject, one event each
    ("The PARP inhibitors (PARPis) olaparib and talazoparib are currently approved for germline BRCA-mutated "
     "HER2-negative metastatic breast cancer.", ["olaparib", "talazoparib"]),
    ("The CDK4/6 inhibitors (CDK4/6i) palbociclib and ribociclib have been approved for HR-positive, HER2-negative "
     "advanced breast cancer.", ["palbociclib", "ribociclib"]),
    # members each with their own abbreviation stay a list
    ("Three CDK4/6 inhibitors, palbociclib (PAL), ribociclib (RIB), and abemaciclib, when combined with letrozole, have "
     "been approved as first-line therapy for HER2-negative breast cancer.", ["palbociclib", "ribociclib", "abemaciclib"]),
    # no-match: a combination is one event
    ("Pertuzumab plus trastuzumab and docetaxel has been approved for HER2-positive metastatic breast cancer.",
     ["docetaxel + pertuzumab + trastuzumab"]),
])
def test_a_class_with_its_abbreviation_before_the_approved_members(sentence, expected, rules, pipes):
    assert [m.drug for m in events(sentence, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # an event naming no drug (or only prior therapy) in a text whose title names the one drug it is about
    ("Evidence summary: reimbursement decisions for trastuzumab deruxtecan in HER2-low metastatic breast cancer\n\n"
     "Regulatory background. The European Commission granted marketing authorisation for HER2-low unresectable or "
     "metastatic breast cancer after prior chemotherapy on 23 January 2023, about six months after the US decision.",
     [("EMA", "approval", "trastuzumab deruxtecan", "2023-01-23")]),
    ("Zanidatamab in biliary tract cancer: where do we stand?\n\nRegulatory status\n\nIn November 2024 the FDA granted "
     "accelerated approval for previously treated, unresectable HER2-positive biliary tract cancer after gemcitabine "
     "and cisplatin.", [("FDA", "accelerated_approval", "zanidatamab", "2024-11")]),
    # "authorised by" the agency
    ("Erlotinib and bevacizumab in EGFR-mutant lung cancer\n\nBackground: The combination of erlotinib and bevacizumab "
     "was authorised by the European Medicines Agency in June 2016 for EGFR-mutant non-small-cell lung cancer.",
     [("EMA", "approval", "bevacizumab + erlotinib", "2016-06")]),
    # no-match: a title naming no drug gives none; "never authorised by" is no event
    ("HER2-low metastatic breast cancer: evidence summary\n\nRegulatory background. The European "
     "Commission granted marketing authorisation for metastatic breast cancer after prior chemotherapy in 2023.", []),
    ("Margetuximab in HER2-positive breast cancer\n\nBackground: The company withdrew its EU application and "
     "margetuximab was never authorised by the EMA for metastatic breast cancer.", []),
])
def test_event_without_a_drug_takes_the_one_drug_of_the_title(text, expected, rules, pipes):
    ann = annotate_text(text, rules, pipes, name="summary.txt")
    assert rows(extract_approvals(DocView(ann, rules)), "agency", "event", "drug", "date") == expected


@pytest.mark.parametrize("text,expected", [
    # a label's "This indication is approved under accelerated approval": one accelerated approval of the label's drug
    ("1 INDICATIONS AND USAGE\n\nSotorasib is indicated for the treatment of adult patients with KRAS G12C-mutated "
     "locally advanced or metastatic NSCLC who have received at least one prior systemic therapy. This indication is "
     "approved under accelerated approval based on overall response rate (ORR) and duration of response (DOR).",
     [("accelerated_approval", "sotorasib")]),
    ("1 INDICATIONS AND USAGE\n\nDisitamab vedotin is indicated for HER2-expressing urothelial carcinoma after "
     "platinum-containing chemotherapy. This indication is approved under accelerated approval based on tumor response "
     "rate and durability of response.", [("accelerated_approval", "disitamab vedotin")]),
    # no-match: an accelerated approval converted to full approval is two events
    ("1 INDICATIONS AND USAGE\n\nSotorasib is indicated for KRAS G12C-mutated NSCLC. This indication was granted "
     "accelerated approval by the FDA in 2021 and was converted to full approval in 2024.",
     [("accelerated_approval", "sotorasib"), ("approval", "sotorasib")]),
])
def test_this_indication_is_approved_under_accelerated_approval(text, expected, rules, pipes):
    ann = annotate_text("Prescribing information\n\n" + text, rules, pipes, name="label.txt")
    assert rows(extract_approvals(DocView(ann, rules)), "event", "drug") == expected


@pytest.mark.parametrize("text,expected", [
    # a randomised record's two values for one group: the two arms, one comparison
    ("Eighteen-month overall survival rates were 41% and 29% in Asia.", [("OS", "41", "29")]),
    ("The proportion of patients alive and progression-free at 12 months was 24.1% and 8.3% in the HER2-low group.",
     [("PFS", "24.1", "8.3")]),
    ("Median PFS was 6.9 months and 5.7 months for Asian patients (stratified HR 0.77).", [("PFS", "6.9", "5.7")]),
    # no-match: a list of three groups, respectively, stays a list
    ("Objective response rates were 48%, 36%, and 21% in the IHC 3+, IHC 2+ and IHC 1+ cohorts, respectively.",
     [("ORR", "48", ""), ("ORR", "36", ""), ("ORR", "21", "")]),
])
def test_two_values_for_one_group_in_a_randomised_record(text, expected, rules, pipes):
    _, found, _ = record("Trastuzumab deruxtecan versus chemotherapy in HER2-positive gastric cancer: a randomized phase 3 "
                         "trial.\n\nPatients were randomly assigned to trastuzumab deruxtecan or chemotherapy. " + text, rules, pipes)
    assert rows([m for m in found if m.value], "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("text,expected", [
    # counts written n/N with their percentage, compared
    ("Confirmed responses: 47/156 (30.1%) against 22/145 (15.2%) in Asia.", [("ORR", "30.1", "15.2")]),
    ("The objective response rate was 35/164 (21.3%) versus 19/162 (11.7%).", [("ORR", "21.3", "11.7")]),
    # no-match: counts of two groups listed with "and" and no arms stay two values
    ("The objective response rate was 13/17 (76.5%) for IHC 3+ and 6/11 (54.5%) for IHC 2+ tumours.",
     [("ORR", "76.5", ""), ("ORR", "54.5", "")]),
])
def test_counts_written_n_of_n_compared(text, expected, rules, pipes):
    _, found, _ = record("Trastuzumab deruxtecan versus chemotherapy in HER2-positive gastric cancer: a randomized phase 3 "
                         "trial.\n\nPatients were randomly assigned to trastuzumab deruxtecan or chemotherapy. " + text, rules, pipes)
    assert rows([m for m in found if m.value], "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("text,expected", [
    # "against" ends the first arm; the arm named after the comparator's value is the control
    ("Median OS was 23.6 mo with T-DXd against 17.2 mo with chemotherapy (stratified HR 0.71).",
     [("23.6", "17.2", "trastuzumab deruxtecan", "chemotherapy")]),
    ("Trastuzumab deruxtecan extended median OS to 20.2 months from 13.1 months with chemotherapy (HR 0.59).",
     [("20.2", "13.1", "trastuzumab deruxtecan", "chemotherapy")]),
    ("Trastuzumab deruxtecan improved PFS, 5.6 months versus 4.5 months with docetaxel (HR 0.66).",
     [("5.6", "4.5", "trastuzumab deruxtecan", "docetaxel")]),
    # no-match: a regimen of two drugs with no arm after the comparator keeps both
    ("Trastuzumab deruxtecan plus pertuzumab achieved a median PFS of 40.7 months versus 26.9 months (HR 0.56).",
     [("40.7", "26.9", "pertuzumab + trastuzumab deruxtecan", "")]),
])
def test_the_control_arm_after_the_comparator_value_leaves_the_regimen(text, expected, rules, pipes):
    _, found, _ = record("Trastuzumab deruxtecan versus chemotherapy in HER2-positive gastric cancer: a randomized trial.\n\n"
                         "Patients were randomly assigned to the two arms. " + text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # where a drug was developed or a trial conducted is no agency
    ("Pyrotinib, an irreversible pan-HER TKI developed in China, illustrates how regional approvals can precede global ones.", []),
    ("In DESTINY-Gastric01, conducted in Japan and South Korea, approval followed an objective response rate of 51%.", []),
    # ... the country of the approval still is
    ("Pyrotinib, developed by a Chinese company, was approved in China in 2018 for HER2-positive breast cancer.",
     [("NMPA", "approval", "pyrotinib", "2018")]),
])
def test_a_country_of_development_or_conduct_is_no_agency(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "event", "drug", "date") == expected


@pytest.mark.parametrize("sentence", [
    # a difference printed as approximate is no value either
    "Ribociclib improved 3-year iDFS (90.4% vs 87.1%), an absolute 3-year iDFS gain ~3%.",
    "Neratinib improved 5-year iDFS (90.2% vs 87.7%), an absolute improvement of ≈2.5%.",
])
def test_an_approximate_difference_is_no_value(sentence, rules, pipes):
    found = endpoints(sentence, rules, pipes)
    assert not [m for m in found if m.value in ("3", "2.5")] and [m.value for m in found][:1] in (["90.4"], ["90.2"])


@pytest.mark.parametrize("sentence", [
    # how long a drug was given is no result
    "In high-risk disease, ribociclib for 3 years increased 3-year iDFS to 90.4% relative to 87.1% with endocrine therapy alone.",
    "Five-year iDFS (iDFS) in ELARA-X, a placebo-controlled phase III trial of 1 year of extended adjuvant neratinib: 90.2% "
    "versus 87.7%.",
])
def test_a_treatment_duration_is_no_value(sentence, rules, pipes):
    _, found, _ = record("Adjuvant therapy in HER2-positive early breast cancer: a randomized trial.\n\n" + sentence, rules, pipes)
    assert [m.unit for m in found] == ["%"]


def test_a_tables_caption_is_read_as_text(rules, pipes):
    from pipeline.extract.trials import extract_trials
    text = ("Table 2. Efficacy outcomes in the full analysis set of CORALINE-1 (NCT04017810), a phase III trial of "
            "ribociclib plus letrozole\n\nOutcome\tRibociclib arm\tPlacebo arm\nMedian PFS, months\t25.3\t16.0\n")
    ann = annotate_text(text, rules, pipes, name="table.txt")
    view = DocView(ann, rules)
    assert [m.nct_id for m in extract_trials(view)] == ["NCT04017810"]
    # no-match: the cells are still read as cells, not as a sentence
    assert rows(extract_endpoints(view), "value", "comparator_value") == [("25.3", "16.0")]


@pytest.mark.parametrize("text,cancer", [
    # a text that names no cancer type takes the one rules/drugs.yaml gives its drugs (tuning documents
    # pmid34376533 of the real abstracts, made-up set 5): a class's cancer_type covers its members
    ("In MONARCH 2, abemaciclib plus fulvestrant prolonged progression-free survival in patients with "
     "HR-positive disease. The median PFS was 16.4 months with abemaciclib plus fulvestrant.", "breast"),
    ("Among 60 patients given ribociclib with an aromatase inhibitor, the median PFS was 25.3 months.", "breast"),
    # no match: a named cancer wins, and a drug with no cancer type gives none
    ("In patients with HER2-positive gastric cancer given palbociclib, the median PFS was 5.1 months.", "gastric"),
    ("Among 60 patients given olaparib, the median PFS was 7.0 months.", ""),
])
def test_cancer_type_from_the_drug_when_the_text_names_none(rules, pipes, text, cancer):
    found = [m for m in extract_from_text(extract_endpoints, text, rules, pipes) if m.endpoint == "PFS" and m.unit == "months"]
    assert found and {m.cancer_type for m in found} == {cancer}, [(m.value, m.drug, m.cancer_type) for m in found]


@pytest.mark.parametrize("text,values", [
    # the share of a control arm that crossed over is no rate of response or survival (rules/values.yaml;
    # tuning documents mu414 of made-up set 1 and mu2506 of set 7)
    ("In KEYNOTE-094, the 5-year OS rate was 31.9% versus 16.3% with chemotherapy, despite crossover of 66% of "
     "chemotherapy-treated patients.", {"31.9"}),
    ("With T-DXd the ORR was 3.3% in cohort C, but 80% crossed over to the combination.", {"3.3"}),
    # no match: a rate after a crossover is still the rate
    ("In the crossover cohort, the objective response rate was 41.0% with T-DXd in 60 patients.", {"41.0"}),
])
def test_a_crossover_share_is_no_value(rules, pipes, text, values):
    found = [m for m in extract_from_text(extract_endpoints, text, rules, pipes) if m.unit == "%"]
    assert {m.value for m in found} == values, [(m.endpoint, m.value) for m in found]


# ------------------------------------------------------------------ two doses or cohorts are no comparison


@pytest.mark.parametrize("text,expected", [
    # the doses in the sentence, a "respectively" list and an "X and Y months" pair
    ("The expansion phase gave ZB-118 at 160 mg and 320 mg once daily; confirmed ORRs were 38.5% and 52.0%, "
     "respectively, with median DOR of 7.4 and 11.6 months.",
     [("ORR", "38.5", "", "160 mg"), ("ORR", "52.0", "", "320 mg"), ("DOR", "7.4", "", "160 mg"), ("DOR", "11.6", "", "320 mg")]),
    # the cohorts in the sentence before
    ("With ZB-118, 58 patients were treated (cohort 1, 31; cohort 2, 27). Disease control rates were 87.1% "
     "and 70.4%, respectively.",
     [("DCR", "87.1", "", "cohort 1"), ("DCR", "70.4", "", "cohort 2")]),
])
def test_two_doses_or_cohorts_named_before_a_list_give_one_value_each(text, expected, rules, pipes):
    found = endpoints(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "population") == expected


@pytest.mark.parametrize("text", [
    # two arms, one a control: the second value is the comparator
    "Patients were randomised to ZB-118 160 mg or placebo; ORRs were 38.5% and 12.0%, respectively.",
    # one dose only: a comparison
    "ZB-118 (160 mg) was compared with docetaxel; ORRs were 38.5% and 21.0%, respectively.",
])
def test_a_comparison_keeps_its_comparator(text, rules, pipes):
    found = endpoints(text, rules, pipes)
    assert len(found) == 1 and found[0].comparator_value


def test_two_subgroups_named_after_their_values_keep_the_drug(rules, pipes):
    found = endpoints("With zanidatamab, the ORR was 41% in the HER2-high group and 20% in the HER2-low group.", rules, pipes)
    assert {m.drug for m in found} == {"zanidatamab"}



def test_a_prior_therapy_list_without_a_new_clause_stays_prior(rules, pipes):
    found = endpoints("With zanidatamab, in patients who had progressed on prior trastuzumab, pertuzumab and T-DM1, "
                      "the ORR was 38%.", rules, pipes)
    assert [m.drug for m in found] == ["zanidatamab"]


@pytest.mark.parametrize("first", [
    "Median PFS was 11.4 months in the zanidatamab group and 7.2 months in the lapatinib group (HR 0.58).",
    "Progression occurred in 61 patients (30.5%) with zanidatamab and in 98 (48.0%) with lapatinib.",
    "At 12 months, PFS was 44.0% on zanidatamab and 21.7% on lapatinib.",
    "Zanidatamab beat lapatinib in the ZW-2 trial.",
    "Zanidatamab produced an ORR of 61.0% (95% CI 50.1-71.2) compared with 40.2% (95% CI 30.0-51.1) for lapatinib.",
])
def test_an_arm_named_after_the_second_value_is_the_comparator_when_a_later_sentence_inherits(first, rules, pipes):
    found = endpoints(first + " The ORR was 52.0% vs. 38.1% (P=0.02).", rules, pipes)
    assert ("52.0", "zanidatamab", "lapatinib") in rows(found, "value", "drug", "comparator")



@pytest.mark.parametrize("text,expected", [
    ("With zanidatamab, efficacy was greater in IHC 3+ tumours than in IHC 2+ tumours (ORR 52.4% vs 21.9%).",
     [("52.4", "", "IHC 3+ tumours"), ("21.9", "", "IHC 2+ tumours")]),
    ("With zanidatamab, IHC 3+ tumours responded more often than IHC 2+ tumours (52.4% vs 21.9%).",
     [("52.4", "", "IHC 3+ tumours"), ("21.9", "", "IHC 2+ tumours")]),
    # two arms: a comparison
    ("The ORR was higher with zanidatamab than with trastuzumab (52.4% vs 21.9%).", [("52.4", "21.9", "")]),
    ("The ORR was higher in group A than in group B (52.4% vs 21.9%).", [("52.4", "21.9", "")]),
])
def test_two_patient_groups_contrasted_give_one_value_each(text, expected, rules, pipes):
    found = endpoints("In the ZW-HER trial of zanidatamab, " + text[0].lower() + text[1:], rules, pipes)
    assert rows(found, "value", "comparator_value", "population") == expected


@pytest.mark.parametrize("text,expected", [
    # a bracket opened after other words holds its own endpoint and values
    ("Overall survival favoured zanidatamab in IHC 3+ disease (2-year OS, 61.0% vs 44.5%; HR 0.62).", [("OS", "61.0")]),
    # a bracket right after the endpoint defines it: its words are no endpoint of their own
    ("With zanidatamab, the response rate (complete plus partial response plus stable disease for 6 months) was 45%.",
     [("ORR", "45")]),
])
def test_an_endpoint_in_a_later_bracket_governs_its_values(text, expected, rules, pipes):
    assert rows(endpoints(text, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("text,expected", [
    # a landmark after a leading phrase, the patients named by their cohort or arm label
    ("With zanidatamab, at 12 months, 68% of cohort 2 were alive.", [("OS", "68", "12-month")]),
    ("In the expansion phase, at 2 years, 57% of arm 1 patients were alive.", [("OS", "57", "2-year")]),
    # no landmark: "were alive" gives no rate
    ("With zanidatamab, 68% of cohort 2 were alive.", []),
])
def test_alive_after_a_leading_landmark_and_a_group_label(text, expected, rules, pipes):
    found = endpoints("Zanidatamab was studied in the ZW-1 trial. " + text, rules, pipes)
    assert rows(found, "endpoint", "value", "timepoint") == expected


@pytest.mark.parametrize("text,drug", [
    ("Zanidatamab has shown activity in gastric cancer. Combined with docetaxel in a phase II cohort, it produced "
     "a confirmed response in 34 of 37 patients (91.9%).", "docetaxel + zanidatamab"),
    ("Zanidatamab has shown activity in gastric cancer. Combination with the PD-1 antibody tislelizumab moved the "
     "agent into first line, with an ORR of 75.8%.", "tislelizumab + zanidatamab"),
    # the partner named after the drug itself: the sentence's own regimen
    ("Trastuzumab has shown activity in gastric cancer. Zanidatamab combined with docetaxel produced an ORR of 75.8%.",
     "docetaxel + zanidatamab"),
])
def test_a_partner_named_alone_joins_the_drug_the_paragraph_is_about(text, drug, rules, pipes):
    # (the whole extraction: "the PD-1 antibody tislelizumab" names tislelizumab by its class too, and the class a
    # member stands beside is dropped from the regimen at the end, rules/drugs.yaml `members`)
    from pipeline.extract import annotated_to_mentions

    ann = annotate_text("Review\n\nIntroduction\n\n" + text, rules, pipes)
    assert [m.drug for m in annotated_to_mentions(ann, rules) if m.kind == "endpoint"] == [drug]


@pytest.mark.parametrize("text", [
    "With zanidatamab, ypT0/is ypN0 was achieved by 21 of 33 operated patients (63.6%).",
    "With zanidatamab, the ypT0N0 rate was 63.6%.",
])
def test_the_stages_that_define_a_pcr_name_it(text, rules, pipes):
    assert rows(endpoints(text, rules, pipes), "endpoint", "value") == [("PCR", "63.6")]


@pytest.mark.parametrize("text", [
    "With zanidatamab, 21 of 33 patients had an intracranial response (63.6%).",
    "With zanidatamab, the CNS response rate was 63.6%.",
])
def test_a_response_in_the_brain_is_an_objective_response(text, rules, pipes):
    assert rows(endpoints(text, rules, pipes), "endpoint", "value") == [("ORR", "63.6")]


@pytest.mark.parametrize("text", [
    "Intracranial response occurred in 64.2% of zanidatamab-treated patients and in 31.8% of those receiving lapatinib.",
    "The ORR was 64.2% in patients on the zanidatamab regimen and in 31.8% on the lapatinib regimen.",
])
def test_arms_named_by_who_received_them_make_one_comparison(text, rules, pipes):
    found = endpoints(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == [("64.2", "31.8", "zanidatamab")]


@pytest.mark.parametrize("text", [
    "With zanidatamab, the ORR was 31% in T-DXd–pretreated patients.",     # an en dash
    "With zanidatamab, the ORR was 31% in T-DXd-pretreated patients.",
])
def test_a_drug_the_patients_were_pretreated_with_is_no_regimen_whatever_the_dash(text, rules, pipes):
    assert [m.drug for m in endpoints(text, rules, pipes)] == ["zanidatamab"]


def test_the_emea_is_the_ema_by_its_old_name(rules, pipes):
    found = events("The European Agency for the Evaluation of Medicinal Products (EMEA) authorised trastuzumab in "
                   "August 2000.", rules, pipes)
    assert rows(found, "agency", "drug", "date") == [("EMA", "trastuzumab", "2000-08")]


def test_a_sentence_opening_with_the_country_names_its_agency(rules, pipes):
    found = events("In the United States, zanidatamab received Breakthrough Therapy designation in 2020.", rules, pipes)
    assert rows(found, "agency", "event", "drug", "date") == [("FDA", "breakthrough_therapy", "zanidatamab", "2020")]


@pytest.mark.parametrize("text,hrs", [
    ("With zanidatamab, PFS was longer in every subgroup, with HRs of 0.31, 0.57 and 0.61 for IHC 3+, 2+ and 1+, "
     "respectively.", ["0.31", "0.57", "0.61"]),
    ("With zanidatamab, the hazard ratios for PFS were 0.66 and 0.49 in the two subgroups.", ["0.66", "0.49"]),
    # a list of durations after the cue is no list of ratios
    ("With zanidatamab, the HR for PFS was 0.66; medians were 8.1 and 5.2 months.", ["0.66"]),
])
def test_a_list_of_hazard_ratios_after_a_plural_cue(text, hrs, rules, pipes):
    assert [m.hr for m in endpoints(text, rules, pipes) if m.hr] == hrs


@pytest.mark.parametrize("text,expected", [
    # an event naming neither agency nor drug continues the paragraph's regulatory history
    ("The NMPA granted pyrotinib conditional approval in August 2018. Median PFS was 18.1 months in the "
     "confirmatory study. Full approval was granted in July 2020.",
     [("NMPA", "conditional_approval", "pyrotinib", "2018-08"), ("NMPA", "approval", "pyrotinib", "2020-07")]),
    ("China's NMPA granted tucatinib conditional approval in 2021, and full approval followed in May 2023.",
     [("NMPA", "conditional_approval", "tucatinib", "2021"), ("NMPA", "approval", "tucatinib", "2023-05")]),
    # the agency named by a common noun
    ("The FDA granted accelerated approval to zanidatamab in November 2024; the agency had earlier granted the "
     "drug Breakthrough Therapy designation.",
     [("FDA", "accelerated_approval", "zanidatamab", "2024-11"), ("FDA", "breakthrough_therapy", "zanidatamab", "")]),
    # no event before it in the paragraph: nothing to continue
    ("Full approval was granted in July 2020.", []),
    # no date of its own: a restatement of the event already told, no new event
    ("The FDA granted accelerated approval to tucatinib in January 2023. The approval is based on the phase 2 "
     "MOUNTAINEER study.", [("FDA", "accelerated_approval", "tucatinib", "2023-01")]),
    # an event naming its own drug keeps a blank agency (it is not carried)
    ("The FDA approved tucatinib in April 2020. Pyrotinib was approved in 2018.",
     [("FDA", "approval", "tucatinib", "2020-04"), ("", "approval", "pyrotinib", "2018")]),
])
def test_an_event_without_its_own_agency_continues_the_paragraphs_regulatory_history(text, expected, rules, pipes):
    assert rows(events(text, rules, pipes), "agency", "event", "drug", "date") == expected


@pytest.mark.parametrize("sentence", [
    "The FDA granted accelerated approval to tucatinib in January 2023; continued approval for this indication "
    "may be contingent upon verification of clinical benefit in a confirmatory trial.",
    "The FDA granted accelerated approval to zanidatamab in 2024, and continued approval is contingent on the "
    "HERIZON-BTC-302 study.",
])
def test_continued_approval_contingent_on_a_trial_is_no_event(sentence, rules, pipes):
    assert [m.event for m in events(sentence, rules, pipes)] == ["accelerated_approval"]


RANDOMISED = ("Capivasertib plus fulvestrant in advanced breast cancer: a randomised phase 3 trial.\n\n"
              "We did a randomised, placebo-controlled trial of capivasertib plus fulvestrant. {}")


@pytest.mark.parametrize("sentence,expected", [
    ("The objective response rate was 22.9% (capivasertib arm) and 12.2% (placebo arm).", [("22.9", "12.2")]),
    ("Confirmed responses were recorded in 72.6% of capivasertib recipients and 60.1% of placebo recipients.",
     [("72.6", "60.1")]),
    ("Objective responses occurred in 118 of 224 capivasertib-treated patients (52.7%) and in 45 of 110 placebo "
     "recipients (40.9%).", [("52.7", "40.9")]),
    # no control word with the second value: two groups' results
    ("The objective response rate was 41% in patients with visceral disease and 29% in those with bone-only "
     "disease.", [("41", ""), ("29", "")]),
    # a list of three or more arms is no pair of its last two values: the control arm's value is the comparator of
    # each other arm's (test_a_list_of_arms_with_one_control)
    ("Objective responses occurred in 22.6%, 19.8% and 11.0% of patients in the capivasertib, alpelisib and "
     "control groups.", [("22.6", "11.0"), ("19.8", "11.0")]),
])
def test_a_second_value_named_with_the_control_is_the_comparator(sentence, expected, rules, pipes):
    _, found, _ = record(RANDOMISED.format(sentence), rules, pipes)
    assert [(m.value, m.comparator_value) for m in found if m.endpoint == "ORR"] == expected


@pytest.mark.parametrize("text,expected", [
    # ", and" before a clause whose subject is another drug parts the drugs of the values
    ("JSKN003 showed an objective response rate of 56.3% in breast cancer, and DP303c produced responses in 42.9% "
     "of patients with gastric cancer.", [("56.3", "jskn003"), ("42.9", "dp303c")]),
    # ", and" before another kind of word does not
    ("Trastuzumab, pertuzumab, and docetaxel gave an objective response rate of 80.2%, and a median PFS of "
     "18.5 months.", [("80.2", "docetaxel + pertuzumab + trastuzumab"), ("18.5", "docetaxel + pertuzumab + trastuzumab")]),
])
def test_a_clause_with_its_own_drug_as_subject_has_its_own_values(text, expected, rules, pipes):
    assert [(m.value, m.drug) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,drug", [
    ("Among patients ineligible for cisplatin, enfortumab vedotin plus pembrolizumab gave an ORR of 68%.",
     "enfortumab vedotin + pembrolizumab"),
    ("In cisplatin-ineligible patients, enfortumab vedotin plus pembrolizumab gave an ORR of 68%.",
     "enfortumab vedotin + pembrolizumab"),
    # a drug the patients were given stays the regimen's
    ("Cisplatin plus gemcitabine gave an ORR of 45%.", "cisplatin + gemcitabine"),
])
def test_a_drug_the_patients_could_not_receive_is_no_regimen(text, drug, rules, pipes):
    assert [m.drug for m in endpoints(text, rules, pipes)] == [drug]


def test_a_regimen_with_its_verb_after_a_comma_ends_a_prior_therapy_list(rules, pipes):
    # the verb follows the whole regimen the first drug opens, not that drug
    found = endpoints("Among patients previously treated with cisplatin, enfortumab vedotin plus pembrolizumab gave an "
                      "ORR of 68%.", rules, pipes)
    assert [m.drug for m in found] == ["enfortumab vedotin + pembrolizumab"]
    # a list of prior drugs without a verb of its own stays prior therapy
    found = endpoints("Patients previously treated with trastuzumab plus pertuzumab had an ORR of 40% with T-DXd.",
                      rules, pipes)
    assert [m.drug for m in found] == ["trastuzumab deruxtecan"]


@pytest.mark.parametrize("sentence", [
    "With T-DXd, median PFS was 7.1 months (range, 1.2-22.3 months).",
    "With T-DXd, median PFS was 7.1 months (IQR, 4.1-9.8 months).",
])
def test_a_values_own_range_in_its_bracket_is_no_value(sentence, rules, pipes):
    assert [m.value for m in endpoints(sentence, rules, pipes)] == ["7.1"]


def test_values_ranging_from_one_to_another_stay_a_value(rules, pipes):
    found = endpoints("With T-DXd, response rates ranged from 22.5% to 48.0% across cohorts.", rules, pipes)
    assert [m.value for m in found] == ["22.5-48.0"]


def test_priority_review_granted_to_an_application_is_an_event_and_a_pending_approval_is_not(rules, pipes):
    found = events("The FDA granted priority review to the supplemental application for trastuzumab deruxtecan in "
                   "HER2-low breast cancer.", rules, pipes)
    assert rows(found, "agency", "event", "drug") == [("FDA", "priority_review", "trastuzumab deruxtecan")]
    # the same cue still makes an approval hypothetical
    assert events("An application for approval of zanidatamab was submitted to the EMA in 2024.", rules, pipes) == []


@pytest.mark.parametrize("text,expected", [
    ("The FDA approved everolimus plus exemestane in July 2012, and the European Medicines Agency authorised the same "
     "indication later that year.", [("FDA", "everolimus + exemestane", "2012-07"), ("EMA", "everolimus + exemestane", "")]),
    ("The FDA approved trastuzumab deruxtecan for HER2-mutant NSCLC in 2022; the European Commission granted the same "
     "indication in 2024.", [("FDA", "trastuzumab deruxtecan", "2022"), ("EMA", "trastuzumab deruxtecan", "2024")]),
    # a same indication without a regulator is no event
    ("The FDA approved trastuzumab deruxtecan for HER2-mutant NSCLC in 2022; investigators tested the same indication "
     "in a Japanese cohort.", [("FDA", "trastuzumab deruxtecan", "2022")]),
])
def test_the_same_indication_granted_by_a_second_regulator_is_its_approval(text, expected, rules, pipes):
    assert rows(events(text, rules, pipes), "agency", "drug", "date") == expected


@pytest.mark.parametrize("sentence,expected", [
    # a record that randomises: two counted shares joined by "and" are its two arms
    ("Objective responses were achieved by 89 of 178 (50.0%) and 53 of 177 (29.9%) patients.", [("50.0", "29.9")]),
    # a list after them names their groups: each its own result
    ("Objective responses were achieved by 20 of 40 (50.0%) and 10 of 40 (25.0%) patients with HR-positive and "
     "HR-negative disease, respectively.", [("50.0", ""), ("25.0", "")]),
])
def test_two_counted_shares_in_a_randomised_record_are_its_two_arms(sentence, expected, rules, pipes):
    _, found, _ = record(RANDOMISED.format(sentence), rules, pipes)
    assert [(m.value, m.comparator_value) for m in found if m.endpoint == "ORR"] == expected


# ------------------------------------------------------------------ trial-registry results records

REGISTRY = """Study Results | ClinicalTrials.gov
NCT Number: NCT09876543
{title}
Enrollment: 210 (Actual)

Brief Summary: Participants with HER2-positive metastatic breast cancer were randomised 1:1 to zongertinib plus trastuzumab or placebo plus trastuzumab.

Arm A - Zongertinib + Trastuzumab
Arm B - Placebo + Trastuzumab

Outcome 1 (Primary): Progression-Free Survival by Investigator [Time Frame: up to 40 months]
Median (95% CI), months: Arm A 12.4 (10.1 to 14.9) vs Arm B 7.7 (6.0 to 9.2)
Outcome 2 (Secondary): Objective Response Rate [Time Frame: up to 40 months]
Percentage of participants (95% CI): Arm A 58.1 (48.3 to 67.4) vs Arm B 33.0 (24.1 to 42.9)
Outcome 3 (Secondary): Disease Control Rate [Time Frame: up to 40 months] - Number (95% CI), percentage of participants: Arm A 88.6 (80.9 to 94.0); Arm B 71.4 (61.8 to 79.8)

Adverse Events: Grade 3 diarrhoea 14.3% vs 2.9%; rash 31.4% vs 8.6%.
"""


@pytest.mark.parametrize("title", [
    "Brief Title: Zongertinib Plus Trastuzumab in Previously Treated HER2-Positive Metastatic Breast Cancer (ZONGA-2)",
    "Official Title: A Randomized, Double-Blind Phase 3 Study of Zongertinib Plus Trastuzumab Versus Placebo (ZONGA-2)",
])
def test_a_registry_record_is_one_studys_results_under_its_title_field(title, rules, pipes):
    """A registry record's labelled title line is its title (rules/sections.yaml title_field); the whole
    record is read as one study's; a line opening with a unit header takes the endpoint the line before it
    announced ("Median (95% CI), months: Arm A ... vs Arm B ..."); "Arm B" between "vs" and the control's
    value; a declared "percentage of participants" is the unit, not another rate."""
    ann, found, _ = record(REGISTRY.format(title=title), rules, pipes)
    assert ann.doc.title.startswith(("Zongertinib Plus", "A Randomized"))
    assert rows(found, "endpoint", "value", "unit", "comparator_value") == [
        ("PFS", "12.4", "months", "7.7"), ("ORR", "58.1", "%", "33.0"), ("DCR", "88.6", "%", ""), ("DCR", "71.4", "%", "")]
    assert {m.drug for m in found} == {"trastuzumab + zongertinib"}
    assert {m.trial for m in found} == {"ZONGA-2"}


def test_a_unit_header_takes_no_endpoint_from_a_line_with_values_or_two_endpoints(rules, pipes):
    text = REGISTRY.format(title="Brief Title: Zongertinib Plus Trastuzumab in HER2-Positive Breast Cancer (ZONGA-2)")
    text = text.replace("Outcome 1 (Primary): Progression-Free Survival by Investigator [Time Frame: up to 40 months]",
                        "Outcome 1 (Primary): Progression-Free Survival and Overall Survival [Time Frame: up to 40 months]")
    text = text.replace("Outcome 2 (Secondary): Objective Response Rate [Time Frame: up to 40 months]",
                        "Outcome 2 (Secondary): Objective Response Rate 61% in the pilot cohort")
    _, found, _ = record(text, rules, pipes)
    assert ("58.1", "33.0") not in rows(found, "value", "comparator_value")
    assert "12.4" not in [m.value for m in found]


def test_a_titled_line_of_a_long_review_is_no_registry_title(rules):
    from pipeline.ingest.text import text_to_document
    text = ("HER2-targeted therapy in 2026: a review\n\nIntroduction\n\n" + "Trastuzumab changed practice. " * 20 +
            "\n\nTitle: the following sections summarise each trial and its regulatory history in detail.\n\n"
            "Results\n\n" + "The ORR was 41% with tucatinib. " * 10)
    doc = text_to_document(text, "r.txt", "x", rules)
    assert doc.title == "HER2-targeted therapy in 2026: a review"
    assert any(s.kind == "body" for s in doc.sections)


# ------------------------------------------------------------------ slide decks

SLIDES = """Breast Oncology Update — slide deck (text export)
NOVARA-3: vepdegestrant + palbociclib (Arm A) vs letrozole + palbociclib (Arm B) in ER+/HER2- advanced breast cancer

Slide: Study design
- Randomised 1:1, n = 412
- Arm A: vepdegestrant 200 mg daily + palbociclib
- Arm B: letrozole 2.5 mg daily + palbociclib

{slide}

Slide: Safety
- Neutropenia G3-4: 61.2% vs 58.0%
"""


def test_a_slide_heading_naming_one_endpoint_governs_its_bullets_and_two_labelled_arms_are_one_comparison(rules, pipes):
    """"Slide: ..." lines are body headings (rules/sections.yaml slide_headings); a bullet naming no endpoint
    under a heading that names one takes it; with exactly two labelled arms defined, their two values in a
    row are one comparison (the control's value the comparator)."""
    ann, found, _ = record(SLIDES.format(slide="Slide: PFS (BICR)\n- Arm A 16.6 mo, Arm B 11.1 mo\n"
                                               "- Visceral disease subgroup: 14.2 vs 9.0 mo"), rules, pipes)
    assert any(s.heading == "Slide: PFS (BICR)" and s.kind == "body" for s in ann.doc.sections)
    assert rows(found, "endpoint", "value", "comparator_value", "drug", "comparator") == [
        ("PFS", "16.6", "11.1", "palbociclib + vepdegestrant", "letrozole + palbociclib"),
        ("PFS", "14.2", "9.0", "palbociclib + vepdegestrant", "")]      # the title's regimen (format_labels)
    assert not [m for m in found if m.value in ("61.2", "58.0")]


def test_a_heading_naming_no_endpoint_or_two_gives_its_bullets_none(rules, pipes):
    _, found, _ = record(SLIDES.format(slide="Slide: Efficacy\n- Arm A 16.6 mo, Arm B 11.1 mo"), rules, pipes)
    assert found == []
    _, found, _ = record(SLIDES.format(slide="Slide: PFS and OS\n- Arm A 16.6 mo, Arm B 11.1 mo"), rules, pipes)
    assert found == []


def test_three_labelled_arms_stay_three_results(rules, pipes):
    text = SLIDES.replace("- Arm B: letrozole 2.5 mg daily + palbociclib",
                          "- Arm B: letrozole 2.5 mg daily + palbociclib\n- Arm C: fulvestrant + palbociclib")
    _, found, _ = record(text.format(slide="Slide: PFS (BICR)\n- Arm A 16.6 mo, Arm B 11.1 mo, Arm C 10.2 mo"), rules, pipes)
    assert rows(found, "value", "comparator_value") == [("16.6", ""), ("11.1", ""), ("10.2", "")]


def test_a_slide_exports_format_label_is_no_title(rules):
    """rules/sections.yaml format_labels: the line a slide or poster export puts above the title."""
    from pipeline.ingest.text import text_to_document
    text = ("Thoracic Oncology Grand Rounds — slide deck text export\n\n"
            "Zongertinib in HER2-mutant NSCLC: where do we stand?\n\n"
            "Slide 2: Beamion LUNG-1\n\n- ORR 71% in previously treated patients\n")
    assert text_to_document(text, "s.txt", "x", rules).title == "Zongertinib in HER2-mutant NSCLC: where do we stand?"
    text = text.replace("Thoracic Oncology Grand Rounds — slide deck text export", "Thoracic Oncology Update 2026")
    assert text_to_document(text, "s.txt", "x", rules).title == "Thoracic Oncology Update 2026"


def test_jama_key_points_are_part_of_the_abstract(rules, pipes):
    """"Key Points" (Question / Findings / Meaning) open a JAMA abstract: content, not front matter."""
    text = ("Zongertinib vs Docetaxel for HER2-Mutant NSCLC: The BEAMION-3 Randomized Clinical Trial\n\n"
            "Key Points\n"
            "Question  Does zongertinib prolong survival compared with docetaxel?\n"
            "Findings  In this randomized clinical trial of 402 patients, zongertinib prolonged progression-free "
            "survival (median, 9.8 vs 4.4 months).\n"
            "Meaning  Zongertinib may be a second-line option.\n\n"
            "Abstract\n\nResults  Median overall survival was 19.4 months with zongertinib.\n")
    ann, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("PFS", "9.8", "4.4"), ("OS", "19.4", "")]


@pytest.mark.parametrize("sentence,expected", [
    ("In HR-negative disease the pCR rates were 74.1% and 61.0%, respectively, while in HR-positive disease they were "
     "45.2% and 40.3%.", [("74.1", "61.0"), ("45.2", "40.3")]),
    ("The tpCR rate was 68.0% with the triplet against 52.5% with the doublet, and in hormone receptor-positive tumours "
     "47.9% against 33.3%.", [("68.0", "52.5"), ("47.9", "33.3")]),
    ("tpCR: 79.4% vs 65.0% in HR-negative pts; HR-positive: 51.1% vs. 42.0%.", [("79.4", "65.0"), ("51.1", "42.0")]),
])
def test_a_subgroups_comparison_in_the_next_clause_keeps_the_endpoint(sentence, expected, rules, pipes):
    _, found, _ = record(RANDOMISED.format(sentence), rules, pipes)
    assert [(m.value, m.comparator_value) for m in found if m.endpoint == "PCR"] == expected


@pytest.mark.parametrize("sentence", [
    "The pCR rate was 68.0% versus 52.5%; in HR-positive disease grade 3 neutropenia occurred in 31.0% versus 12.4%.",
    "The pCR rate was 68.0% versus 52.5%, and breast-conserving surgery was done in 45.0% versus 40.1% of patients.",
])
def test_another_measure_in_the_next_clause_is_no_value_of_the_endpoint(sentence, rules, pipes):
    _, found, _ = record(RANDOMISED.format(sentence), rules, pipes)
    assert [(m.value, m.comparator_value) for m in found if m.endpoint == "PCR"] == [("68.0", "52.5")]


@pytest.mark.parametrize("sentence,timepoint", [
    ("Invasive disease-free survival at nine years was 74.0% versus 62.8% (HR 0.56).", "9-year"),
    ("At seven years, overall survival was 89.1% versus 84.4%.", "7-year"),
    ("The eight-year invasive disease-free survival was 80.4% versus 71.2%.", "8-year"),
])
def test_landmarks_spelled_out_date_the_rates(sentence, timepoint, rules, pipes):
    """One list of spelled landmark numbers serves every landmark pattern (was: "nine" known to one, not another)."""
    _, found, _ = record(RANDOMISED.format(sentence), rules, pipes)
    assert [(m.timepoint, m.comparator_value != "") for m in found] == [(timepoint, True)]


@pytest.mark.parametrize("sentence,expected", [
    ("Three-year EFS in patients without pCR was 70.2% with tucatinib compared with 61.5% with placebo.",
     [("EFS", "70.2", "61.5")]),
    ("Three-year EFS among those achieving a pCR was 94.0% with tucatinib and 92.1% with placebo.",
     [("EFS", "94.0", "92.1")]),
    # "pts", the abbreviation (set 1 mu324)
    ("Three-year EFS in pts achieving tpCR was 94.0% with tucatinib and 92.1% with placebo.",
     [("EFS", "94.0", "92.1")]),
    # no endpoint before it: the endpoint is the result ("pCR ... was 61.0%")
    ("The pCR rate was 61.0% with tucatinib versus 44.5% with placebo.", [("PCR", "61.0", "44.5")]),
])
def test_an_endpoint_naming_the_patients_is_no_endpoint_of_the_value(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


def test_a_hazard_ratio_after_another_endpoint_is_that_endpoints(rules, pipes):
    found = endpoints("In NEXUS-2, neratinib plus capecitabine gave a restricted-mean PFS of 8.1 against 6.2 months, "
                      "but OS did not differ (HR 0.91; P = .31).", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "hr") == [("PFS", "8.1", "6.2", ""), ("OS", "", "", "0.91")]
    found = endpoints("In NEXUS-2, neratinib plus capecitabine gave a median PFS of 8.1 against 6.2 months (HR 0.71).",
                      rules, pipes)
    assert rows(found, "endpoint", "value", "hr") == [("PFS", "8.1", "0.71")]


@pytest.mark.parametrize("sentence,expected", [
    ("With tucatinib, median PFS was 9.1 versus 6.3 months; in patients with brain metastases, there was no "
     "meaningful difference (HR 0.93).", [("9.1", "6.3", ""), ("", "", "0.93")]),
    ("Benefits were seen in the overall population (median PFS 9.1 months with tucatinib against 6.3 months with "
     "placebo) and in the HR-positive subgroup (HR 0.61).", [("9.1", "6.3", ""), ("", "", "0.61")]),
    # the comparison's own hazard ratio
    ("With tucatinib, median PFS was 9.1 versus 6.3 months (HR 0.61).", [("9.1", "6.3", "0.61")]),
])
def test_a_subgroups_hazard_ratio_in_the_next_clause_is_its_own(sentence, expected, rules, pipes):
    found = randomised(sentence, rules, pipes)
    assert rows(found, "value", "comparator_value", "hr") == expected


def test_regimen_acronyms_thp_and_tcbhp_are_their_drugs(rules, pipes):
    found = events("The NCCN still lists THP as category 1 preferred for first-line HER2-positive metastatic breast cancer.",
                   rules, pipes)
    assert rows(found, "agency", "drug") == [("NCCN", "docetaxel + pertuzumab + trastuzumab")]
    found = endpoints("The tpCR rate was 64.2% with TCbHP versus 56.0% with THP.", rules, pipes)
    assert rows(found, "drug", "comparator") == [("carboplatin + docetaxel + pertuzumab + trastuzumab",
                                                  "docetaxel + pertuzumab + trastuzumab")]


@pytest.mark.parametrize("sentence,expected", [
    ("T-DXd received FDA approval for HER2-low disease on 5 August 2022 and for HER2-ultralow disease in January 2025.",
     [("FDA", "trastuzumab deruxtecan", "2022-08-05"), ("FDA", "trastuzumab deruxtecan", "2025-01")]),
    ("The FDA approved tucatinib with trastuzumab and capecitabine on April 17, 2020, under Project Orbis, and "
     "neratinib with capecitabine in February 2020.",
     [("FDA", "capecitabine + trastuzumab + tucatinib", "2020-04-17"), ("FDA", "capecitabine + neratinib", "2020-02")]),
    ("Decisions include the FDA approvals of tucatinib (April 2020) and of neratinib in combination with capecitabine "
     "(February 2020).", [("FDA", "tucatinib", "2020-04"), ("FDA", "capecitabine + neratinib", "2020-02")]),
    # a clause of its own, negated or hypothetical: no second event
    ("The FDA approved tucatinib with trastuzumab and capecitabine in April 2020 and not neratinib with capecitabine "
     "until February 2021.", [("FDA", "capecitabine + trastuzumab + tucatinib", "2020-04")]),
    ("The FDA approved tucatinib with trastuzumab and capecitabine in April 2020, and neratinib with capecitabine may "
     "follow in 2026.", [("FDA", "capecitabine + trastuzumab + tucatinib", "2020-04")]),
    ("The FDA approved pertuzumab in June 2012, and in 2013 trastuzumab emtansine.", [("FDA", "pertuzumab", "2012-06")]),
])
def test_another_drug_or_indication_joined_after_an_events_date_is_its_own_event(sentence, expected, rules, pipes):
    assert sorted(rows(events(sentence, rules, pipes), "agency", "drug", "date")) == sorted(expected)


def test_a_short_form_defined_for_a_qualified_endpoint_is_that_endpoint(rules, pipes):
    """A short form whose long form ends with an endpoint's name ("Summary estimates of CBR (SCBR)",
    "Radiographic progression-free survival (rPFS)") names that endpoint; "partial response (PR)" names none."""
    text = ("Endocrine therapy in ovarian cancer: a meta-analysis.\n\n"
            "Summary estimates of CBR (SCBR) were calculated. Overall, SCBR was 41% with tamoxifen. Radiographic "
            "progression-free survival (rPFS) was assessed; rPFS was 8.1 months with tamoxifen. A partial response (PR) "
            "was seen in 12 patients; PR was 15% with letrozole.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == [("CBR", "41"), ("PFS", "8.1")]


def test_a_respectively_list_takes_only_the_endpoints_listed_together(rules, pipes):
    """"...; including stable disease for at least 24 weeks, the clinical benefit rate was 38% and 31%,
    respectively": "stable disease" is no endpoint of the list; "PFS and OS were ... respectively" still is."""
    found = randomised("Objective responses were seen in 19.5% of patients on tucatinib and 12.4% on placebo (p = 0.04); "
                       "including stable disease for at least 24 weeks, the clinical benefit rate was 38% and 31%, "
                       "respectively.", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("ORR", "19.5", "12.4"), ("CBR", "38", "31")]
    found = endpoints("In HER2CLIMB-05, median PFS and OS were 9.1 and 24.7 months, respectively.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("PFS", "9.1"), ("OS", "24.7")]


# a randomised trial's record, its results sentences appended
TRIAL_RECORD = ("Adjuvant pembrolizumab in early breast cancer: a randomised phase 3 trial.\n\n"
                "We randomly assigned 1,200 patients to pembrolizumab or placebo with chemotherapy. ")


@pytest.mark.parametrize("sentence,expected", [
    # an event-based hazard ratio belongs to the event-free endpoint named before it, not to OS
    ("Event-free survival did not differ between the groups (hazard ratio for death, 0.91 for OS; 0.86 for EFS). "
     "In the subgroup with a PD-L1 combined positive score of 20 or more, the hazard ratio for an event was 0.73 "
     "(95% CI, 0.52 to 1.02).", ("EFS", "0.73")),
    ("At 3 years, invasive disease-free survival was 96.8% with pembrolizumab. Overall survival was 98.0%. In the "
     "node-positive subgroup, the hazard ratio for an invasive event or death was 0.64 (90% CI, 0.48 to 0.86).",
     ("IDFS", "0.64")),
    ("Five-year DFS was 88.0% and five-year OS 95.1%. Among older patients the hazard ratio for recurrence or death "
     "was 1.19 (95% CI, 0.81 to 1.75).", ("DFS", "1.19")),
    # "death" alone stays OS; "progression" stays PFS
    ("Five-year DFS was 88.0%. Among older patients the hazard ratio for death was 1.12 (95% CI, 0.84 to 1.49).",
     ("OS", "1.12")),
    ("Event-free survival was 63.8% at 2 years. Among older patients the hazard ratio for progression was 0.66 "
     "(95% CI, 0.50 to 0.87).", ("PFS", "0.66")),
])
def test_a_hazard_ratio_for_an_event_takes_the_event_endpoint_named_before(sentence, expected, rules, pipes):
    found = record(TRIAL_RECORD + sentence + "\n", rules, pipes)[1]
    assert expected in rows(found, "endpoint", "hr")
    assert not [r for r in rows(found, "endpoint", "hr") if r[1] == expected[1] and r != expected]


def test_an_endpoint_printed_with_an_en_dash_for_its_hyphen_is_that_endpoint(rules, pipes):
    """NEJM prints "invasive disease–free survival" with an en dash: the lexicon's hyphenated forms match it."""
    found = record(TRIAL_RECORD + "At 3 years, invasive disease–free survival was 93.0% with pembrolizumab and 91.2% "
                   "with placebo; progression–free survival at 3 years was 80.1% and 77.0%.\n", rules, pipes)[1]
    assert rows(found, "endpoint", "value", "comparator_value") == [("IDFS", "93.0", "91.2"), ("PFS", "80.1", "77.0")]


THREE_ARMS = ("Trastuzumab schedules in early breast cancer: a randomised phase 3 trial.\n\n"
              "Women were randomly assigned to doxorubicin plus cyclophosphamide followed by weekly paclitaxel (arm A), "
              "the same chemotherapy followed by 52 weeks of trastuzumab (arm B, sequential), or paclitaxel given "
              "concurrently with trastuzumab, which was then continued to 1 year (arm C, concurrent). {}\n")
# (arm B is arm A's chemotherapy and trastuzumab: rules/attribution.yaml same_regimen)


@pytest.mark.parametrize("sentence,expected", [
    # a list of values, then the arms they are given for, in order
    ("With 10.2 years of median follow-up, 10-year disease-free survival was 64.2%, 71.5% and 75.9% in arms A, B and C.",
     [("64.2", "cyclophosphamide + doxorubicin + paclitaxel"), ("71.5", "cyclophosphamide + doxorubicin + paclitaxel + trastuzumab"),
      ("75.9", "paclitaxel + trastuzumab")]),
    ("Three-year EFS estimates were 92.1%, 87.0%, and 93.4% for arms A, B, and C, respectively.",
     [("92.1", "cyclophosphamide + doxorubicin + paclitaxel"), ("87.0", "cyclophosphamide + doxorubicin + paclitaxel + trastuzumab"),
      ("93.4", "paclitaxel + trastuzumab")]),
    # each value labelled by its arm
    ("At 3 years, overall survival was 96.8% in arm A, 96.1% in arm B, and 94.2% in arm C.",
     [("96.8", "cyclophosphamide + doxorubicin + paclitaxel"), ("96.1", "cyclophosphamide + doxorubicin + paclitaxel + trastuzumab"),
      ("94.2", "paclitaxel + trastuzumab")]),
])
def test_each_value_of_a_list_of_arms_takes_its_arms_regimen(sentence, expected, rules, pipes):
    found = record(THREE_ARMS.format(sentence), rules, pipes)[1]
    assert rows(found, "value", "drug") == expected


def test_a_hazard_ratio_given_for_an_arm_takes_its_regimen(rules, pipes):
    found = record(THREE_ARMS.format(
        "Invasive disease-free survival favoured both trastuzumab arms. Relative to arm A, the hazard ratio for an "
        "invasive event or death was 0.62 (95% CI, 0.52 to 0.74) for arm B "
        "and 0.54 (95% CI, 0.45 to 0.65) for arm C."), rules, pipes)[1]
    assert rows(found, "hr", "drug") == [("0.62", "cyclophosphamide + doxorubicin + paclitaxel + trastuzumab"), ("0.54", "paclitaxel + trastuzumab")]


def test_a_follow_up_clause_does_not_cut_a_list_of_an_endpoints_values(rules, pipes):
    """"With 10.2 years of median follow-up, DFS was 64.2%, 71.5% and 75.9%": the list after "was" is the
    endpoint's; a follow-up clause's own durations still are not ("median follow-up was 37 and 95 months")."""
    found = record(TRIAL_RECORD + "With 10.2 years of median follow-up, 10-year DFS was 64.2%, 71.5% and 75.9% in the "
                   "three cohorts. Median follow-up ranged between 37 and 95 months for RFS and OS.\n", rules, pipes)[1]
    assert rows(found, "endpoint", "value") == [("DFS", "64.2"), ("DFS", "71.5"), ("DFS", "75.9")]


@pytest.mark.parametrize("sentence,expected", [
    # the list follows the groups of the list before it: one value per group
    ("In PERMEATE-2, pyrotinib plus capecitabine gave intracranial responses in 72.8% of radiotherapy-naive patients "
     "(cohort A) and 41.4% of those progressing after radiotherapy (cohort B), with median PFS of 11.9 and 5.8 months, "
     "respectively.", [("ORR", "72.8", ""), ("ORR", "41.4", ""), ("PFS", "11.9", ""), ("PFS", "5.8", "")]),
    ("In the STAR-UCS study, T-DXd achieved an ORR of 54.5% in the HER2-high cohort and 70.0% in the HER2-low cohort, "
     "with median PFS of 6.2 and 6.7 months, respectively.",
     [("ORR", "54.5", ""), ("ORR", "70.0", ""), ("PFS", "6.2", ""), ("PFS", "6.7", "")]),
    # ... not when the values before were a randomised arm's or named none
    ("In RC48-C016, disitamab vedotin gave objective responses in 78% of patients in group A and 62% in group B; "
     "median PFS was 13.2 and 8.4 months, respectively.", [("PFS", "13.2", "8.4")]),
    ("In HELIOS-2, zanidatamab plus chemotherapy was compared with trastuzumab plus chemotherapy: the confirmed ORR was "
     "71.5% and 60.9%, and median DOR was 10.4 and 7.0 months, respectively.", [("DOR", "10.4", "7.0")]),
])
def test_a_respectively_list_follows_the_patient_groups_of_the_list_before_it(sentence, expected, rules, pipes):
    found = rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value")
    assert [r for r in found if r[0] == expected[-1][0]] == [e for e in expected if e[0] == expected[-1][0]]
    assert set(expected) <= set(found)


@pytest.mark.parametrize("sentence,expected", [
    ("In HERMES-BTC, zanidatamab gave an ORR of 41.3%; the PFS and OS medians were 5.5 and 15.5 months.",
     [("PFS", "5.5", ""), ("OS", "15.5", "")]),
    ("In KOI-BTC, T-DXd gave an ORR of 36.4%; median PFS and OS in the HER2-positive group were 4.4 and 7.1 months.",
     [("PFS", "4.4", ""), ("OS", "7.1", "")]),
    # one endpoint: the two arms of a comparison
    ("In DESTINY-Breast03, the PFS medians were 28.8 and 6.8 months with T-DXd and T-DM1.", [("PFS", "28.8", "6.8")]),
])
def test_endpoints_listed_together_take_the_values_listed_after_them(sentence, expected, rules, pipes):
    found = rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value")
    assert [r for r in found if r[0] != "ORR"] == expected


def test_a_bulleted_list_takes_the_one_endpoint_its_lead_line_names(rules, pipes):
    """"Tumour-specific response rates were:" then "- cervical cancer: 50.0%": each item is that endpoint's value;
    a lead naming no endpoint (adverse events) or two gives its items none."""
    text = ("In DESTINY-PanTumor02, trastuzumab deruxtecan was given to 267 patients. Tumour-specific response rates "
            "were:\n- endometrial cancer: 11/13 (84.6%)\n- cervical cancer: 50.0%\n- ovarian cancer: 7 of 11 (63.6%)\n\n"
            "Grade 3 or higher adverse events were:\n- neutropenia: 30.2%\n- anaemia: 12.0%\n\n"
            "The ORR and the disease control rate were:\n- bladder: 39.0% and 70.7%\n")
    found = endpoints(text, rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [("ORR", "84.6", "trastuzumab deruxtecan"),
                                                       ("ORR", "50.0", "trastuzumab deruxtecan"),
                                                       ("ORR", "63.6", "trastuzumab deruxtecan")]


@pytest.mark.parametrize("sentence,expected", [
    # groups by the treatment they had before: one value each
    ("With pyrotinib, by prior trastuzumab exposure, mPFS was 8.2 mo in trastuzumab-pretreated versus 11.4 mo in "
     "trastuzumab-naive patients.", [("8.2", ""), ("11.4", "")]),
    ("With pyrotinib, the mPFS of pyrotinib-naive patients was 11.2 months versus 6.9 months in pyrotinib-pretreated "
     "patients.", [("11.2", ""), ("6.9", "")]),
    # arms that name a drug as a treatment stay a comparison
    ("In PHOEBE, median PFS was 12.5 months with pyrotinib versus 6.8 months with lapatinib in trastuzumab-pretreated "
     "patients.", [("12.5", "6.8")]),
])
def test_groups_by_prior_treatment_are_groups_not_arms(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "value", "comparator_value") == expected


@pytest.mark.parametrize("follow,expected", [
    # the sentence before compared two treatments with a hazard ratio: the next unlabelled pair compares them too
    ("Objective responses were observed in 31.4% and 24.1% of patients, respectively.", [("31.4", "24.1")]),
    ("Median TTF was 5.6 and 4.9 months, respectively.", [("5.6", "4.9")]),
    # ... a biomarker group's pair is still one value per group
    ("The ORR was 38.0% in HER2-positive tumours versus 12.5% in HER2-low tumours.", [("38.0", ""), ("12.5", "")]),
])
def test_a_pair_after_a_compared_pair_compares_the_same_arms(follow, expected, rules, pipes):
    text = ("Nab-paclitaxel versus solvent-based paclitaxel in gastric cancer: a retrospective cohort study.\n\n"
            "We reviewed 205 patients treated with nab-paclitaxel or solvent-based paclitaxel at six hospitals. "
            "The median PFS was 5.1 months in the nab-paclitaxel group against 4.3 months in the paclitaxel group "
            "(HR 0.84; 95% CI 0.63-1.12; P = 0.23). " + follow + "\n")
    found = record(text, rules, pipes)[1]
    assert rows(found, "value", "comparator_value")[1:] == expected


@pytest.mark.parametrize("sentence,expected", [
    # each drug with its own grade is its own recommendation
    ("The NCCN guidelines recommend T-DXd (category 2A) and zongertinib (category 2A) as subsequent therapy for "
     "HER2-mutant disease.", [("NCCN", "trastuzumab deruxtecan"), ("NCCN", "zongertinib")]),
    ("The NCCN biliary tract cancer guidelines list zanidatamab (category 2A, preferred) and T-DXd (category 2A) for "
     "HER2-positive tumours after progression.", [("NCCN", "trastuzumab deruxtecan"), ("NCCN", "zanidatamab")]),
    # a regimen's partners with no grade of their own stay one regimen
    ("The NCCN guidelines recommend trastuzumab and pertuzumab (category 1) for first-line metastatic disease.",
     [("NCCN", "pertuzumab + trastuzumab")]),
])
def test_drugs_each_with_their_own_guideline_grade_are_separate_recommendations(sentence, expected, rules, pipes):
    assert sorted(rows(events(sentence, rules, pipes), "agency", "drug")) == expected


def test_a_performance_status_or_a_poster_number_is_no_trial(rules, pipes):
    """"(ECOG 0-1)" is a performance status and "POSTER 412" a poster's number, not trials the values belong to;
    "ECOG 1199" and "MONALEESA-2" stay trials."""
    found = endpoints("POSTER 412 | Developmental Therapeutics\n\nCapecitabine in older patients: response rates were "
                      "27% in patients with good performance status (ECOG 0-1). In ECOG 1199, paclitaxel gave an ORR of "
                      "81%. In MONALEESA-2, ribociclib gave a PFS of 25.3 months.\n", rules, pipes)
    assert rows(found, "value", "trial") == [("27", ""), ("81", "ECOG 1199"), ("25.3", "MONALEESA-2")]


def test_a_trial_named_before_its_design_words_or_as_a_basket(rules, pipes):
    """"The NEOTRIAD Randomized Clinical Trial" (a title's design words before "Trial") and "the phase II AURORA-PT
    basket (NCT03875986)" name their trials."""
    _, found, _ = record("Chemotherapy-Free Regimens vs TCHP for HER2-Positive Early Breast Cancer: The NEOTRIAD "
                         "Randomized Clinical Trial.\n\nThe pCR rate was 57.4% with TCHP.\n", rules, pipes)
    assert rows(found, "value", "trial") == [("57.4", "NEOTRIAD")]
    found = endpoints("The open-label phase II AURORA-PT basket (NCT03875986) treated 267 patients with trastuzumab "
                      "deruxtecan; the ORR was 37.1%.", rules, pipes)
    assert rows(found, "value", "trial") == [("37.1", "AURORA-PT")]


@pytest.mark.parametrize("sentence,expected", [
    ("Trastuzumab rezetecan received conditional approval from the NMPA on 20 May 2025, whereas an NMPA approval of "
     "disitamab vedotin in breast cancer is expected only in 2026.", [("NMPA", "trastuzumab rezetecan")]),
    ("An application for zongertinib in South Korea is under review, and approval there is expected in 2025.", []),
    ("The FDA approved zongertinib in August 2025; the EMA decision is anticipated by mid-2026.",
     [("FDA", "zongertinib")]),
])
def test_an_event_said_to_be_expected_later_is_no_event(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("With anbenitamab, the mOS was not reached; the 1-, 2-year OS rate was 85.2% and 61.4%.",
     [("85.2", "", "1-year"), ("61.4", "", "2-year")]),
    ("With T-DXd, six-month and twelve-month OS rates were 87.4% and 70.9%, respectively.",
     [("87.4", "", "6-month"), ("70.9", "", "12-month")]),
    # one landmark: the two values compare arms
    ("The 2-year OS rate was 85.2% with anbenitamab and 61.4% with chemotherapy.", [("85.2", "61.4", "2-year")]),
])
def test_two_landmarks_named_before_their_endpoint_take_one_rate_each(sentence, expected, rules, pipes):
    found = [r for r in rows(endpoints(sentence, rules, pipes), "value", "comparator_value", "timepoint") if r[0] != "NR"]
    assert found == expected


def test_a_value_is_not_dropped_for_the_next_sentences_words(rules, pipes):
    """"... 56.3% in IHC 3+ tumours. ILD occurred in 8 of 32 patients": the harm words of the next sentence do not
    make the value before them no efficacy value; "... 10.5% in patients with ILD" still is none."""
    found = endpoints("In the biliary cohort of DESTINY-PanTumor02, the ORR of T-DXd was 56.3% in IHC 3+ tumours. "
                      "ILD occurred in 8 of 32 patients.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "56.3")]


@pytest.mark.parametrize("sentence,expected", [
    ("With pyrotinib, lapatinib-naive patients had mPFS of 10.4 months, whereas 6.9 months for the lapatinib-pretreated "
     "ones.", [("PFS", "10.4"), ("PFS", "6.9")]),
    ("With olaparib, the median PFS was 9.8 months for patients treated in first line but only 3.7 months for those "
     "with prior progression on platinum.", [("PFS", "9.8"), ("PFS", "3.7")]),
    ("With disitamab vedotin, the mPFS of patients treated in the second line was 6.9 months, and that of patients "
     "treated in the third line or later was 4.5 months.", [("PFS", "6.9"), ("PFS", "4.5")]),
    # a contrasted treatment is a comparison, not a group
    ("Progression-free survival is approximately 10 months with gefitinib, whereas the survival for those treated with "
     "platinum doublet therapy is approximately 6 months.", [("PFS", "10")]),
])
def test_a_contrasted_groups_value_takes_the_endpoint_before(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # the landmark opens the rate's clause, after a semicolon
    ("With tucatinib, PFS was longer (HR 0.54); at one year, 34.6% versus 11.9% of patients were alive without "
     "progression.", ("PFS", "34.6", "1-year")),
    # the landmark stands between the endpoint and the rate
    ("With neratinib, disease-free survival, including ductal carcinoma in situ, at 5 years was 89.9% versus 87.2% "
     "with placebo.", ("DFS", "89.9", "5-year")),
])
def test_a_rates_landmark_is_read_in_its_own_clause(sentence, expected, rules, pipes):
    assert expected in rows(endpoints(sentence, rules, pipes), "endpoint", "value", "timepoint")


def test_a_code_the_text_names_as_a_study_is_no_drug(rules, pipes):
    """"the dose-optimisation study HELIX-L02 (NCT18276732) compared 5.4 mg/kg with 6.4 mg/kg of T-DXd": HELIX-L02
    is the study, wherever it stands; "SHR-A1811 showed an ORR of 76%" stays a drug (trastuzumab rezetecan)."""
    found = endpoints("The randomised dose-optimisation study HELIX-L02 (NCT18276732) compared two doses of T-DXd. In "
                      "HELIX-L02, the ORR was 56.0%. In a phase I trial, SHR-A1811 showed an ORR of 76%.", rules, pipes)
    assert rows(found, "value", "drug") == [("56.0", "trastuzumab deruxtecan"), ("76", "trastuzumab rezetecan")]


def test_a_drug_patients_had_been_exposed_to_is_prior_therapy(rules, pipes):
    """"29 patients had previously been exposed to pyrotinib. By the cut-off date, the mPFS was 8.3 months": the
    single-arm study's regimen, not pyrotinib alone."""
    _, found, _ = record("Inetetamab combined with pyrotinib and oral vinorelbine in HER2-positive metastatic breast "
                         "cancer: a single-arm phase II study.\n\nPatients received inetetamab, pyrotinib and oral "
                         "vinorelbine. 29 patients (60.4%) had previously been exposed to pyrotinib. By the cut-off "
                         "date, the mPFS was 8.3 months.\n", rules, pipes)
    assert rows(found, "value", "drug") == [("8.3", "inetetamab + pyrotinib + vinorelbine")]


def test_an_agency_and_year_in_brackets_is_the_events_date_not_a_citation(rules, pipes):
    """"Orphan Drug designation for gastric cancer (FDA, 2024)": the designation's agency and year, not an
    author-year citation like "(Cortés et al., 2022)"."""
    found = events("Regulatory: Fast Track designation (FDA) in January 2024 for zanidatamab; Orphan Drug designation "
                   "for gastric cancer (FDA, 2024).", rules, pipes)
    assert ("FDA", "orphan_drug", "2024") in rows(found, "agency", "event", "date")


# ------------------------------------------------------------------ seventeenth session (set 10's tuning part)


@pytest.mark.parametrize("name", ["TAILOR-HER2", "ZEBRA-BTC"])
def test_a_title_bracket_names_its_study_also_with_a_gene_or_cancer_in_the_name(name, rules, pipes):
    """"... early breast cancer (TAILOR-HER2): a randomised ... trial" (set 10, mu3608) and "... biliary tract cancer
    (ZEBRA-BTC): ..." (mu3710): the study, though "HER2" or "BTC" inside it is a gene or a cancer; a bracket that is
    wholly a gene or cancer ("(HER2)", "(NSCLC)") names none."""
    title = f"Paclitaxel, trastuzumab and pertuzumab in HER2-positive early breast cancer ({{}}): a randomised phase 3 trial.\n\n"
    body = "Patients received paclitaxel, trastuzumab and pertuzumab. The pCR rate was 56.8%.\n"
    _, found, _ = record(title.format(name) + body, rules, pipes)
    assert rows(found, "value", "trial") == [("56.8", name)]
    for whole in ("HER2", "NSCLC"):
        _, found, _ = record(title.format(whole) + body, rules, pipes)
        assert rows(found, "value", "trial") == [("56.8", "")]


def test_rows_of_three_or_more_cells_without_a_caption_are_a_table(rules, pipes):
    """A registry's or a slide's results printed as tab- or pipe-separated rows under no "Table N" caption
    (set 10 mu3902, set 4 mu1210 and mu1410): a table, each arm's value with its column's regimen; a glossary's
    two-cell lines ("ADCs<tab>Antibody-drug conjugates") stay text."""
    text = ("Tucatinib plus trastuzumab in HER2-positive colorectal cancer: registry results.\n\n"
            "Overall Survival (OS)\n\n"
            "Arm/Group Title | Cohort A: Tucatinib + Trastuzumab | Cohort B: Tucatinib Monotherapy\n"
            "OS, median (95% CI), months | 24.1 (19.0 to 28.7) | 20.3 (14.5 to NE)\n"
            "12-month OS rate, % | 77.2 | 81.5\n\n"
            "Abbreviations\n\nORR\tObjective response rate 45.0%\nOS\tOverall survival\n")
    found = rows(endpoints(text, rules, pipes), "endpoint", "value", "drug")
    assert ("OS", "24.1", "trastuzumab + tucatinib") in found and ("OS", "20.3", "tucatinib") in found
    assert ("OS", "81.5", "tucatinib") in found
    assert not any(v == "45.0" for _, v, _ in found)


def test_a_pipe_row_ending_in_an_empty_cell_stays_in_its_table(rules, pipes):
    """"Hazard ratio (95% CI) | 0.36 (0.28, 0.46) |" (no value for the control arm, set 10 mu3904): a row of
    the table, whose later rows are still read with the arms' regimens."""
    text = ("Table 9. Efficacy Results in RC48-C031\n"
            "Endpoint | Disitamab Vedotin + Toripalimab (N=243) | Gemcitabine + Platinum (N=241)\n"
            "Progression-free survival, median in months (95% CI) | 13.1 (11.0, 16.6) | 6.5 (5.8, 7.2)\n"
            "Hazard ratio (95% CI) | 0.36 (0.28, 0.46) |\n"
            "Overall survival, median in months (95% CI) | 31.5 (25.9, NR) | 16.9 (14.2, 19.0)\n")
    found = rows(endpoints(text, rules, pipes), "endpoint", "value", "hr", "comparator_value", "drug")
    assert ("PFS", "", "0.36", "", "disitamab vedotin + toripalimab") in found
    assert ("OS", "31.5", "", "16.9", "disitamab vedotin + toripalimab") in found


def test_a_tables_setting_is_read_from_its_whole_caption(rules, pipes):
    """"Table 10. Efficacy Results in RC48-C022 (by HER2 Status)" splits into two sentences: the table's
    trial and drug come from the caption's last one, not from "Table 10." alone (set 10 mu3904)."""
    text = ("The efficacy of disitamab vedotin as a single agent was evaluated in a single-arm trial.\n\n"
            "Trastuzumab deruxtecan was studied in the DESTINY-Bladder01 trial.\n\n"
            "Table 10. Efficacy Results in RC48-C022 (by HER2 Status)\n"
            "Endpoint\tHER2 IHC 3+ (N=49)\tHER2 IHC 2+ (N=58)\tAll Patients (N=107)\n"
            "Median PFS, months\t6.2\t5.1\t5.6\n")
    found = rows(endpoints(text, rules, pipes), "value", "drug", "trial")
    assert found == [(v, "disitamab vedotin", "RC48-C022") for v in ("6.2", "5.1", "5.6")]


def test_a_day_month_year_date_with_dots_is_the_events_date(rules, pipes):
    """"approved by the FDA on 27.01.2025" (set 10 mu3802), "a conditional marketing authorisation on 30.06.2025"
    (mu3806): European numeric dates, read at day precision."""
    found = events("Trastuzumab deruxtecan for HER2-low disease was approved by the FDA on 27.01.2025. The European "
                   "Commission granted zanidatamab a conditional marketing authorisation on 30.06.2025.", rules, pipes)
    assert rows(found, "drug", "date") == [("trastuzumab deruxtecan", "2025-01-27"), ("zanidatamab", "2025-06-30")]


def test_the_application_had_received_a_designation_continues_the_approval_before_it(rules, pipes):
    """"... was approved by the FDA in December 2023. The application had received Priority Review and Breakthrough
    Therapy designation." (set 10 mu3906; mu3808 after a semicolon): the approved regimen's designations, by the
    same agency; "an application had been filed" is no event."""
    found = events("Enfortumab vedotin with pembrolizumab was approved by the FDA in December 2023 for untreated "
                   "urothelial cancer. The application had received Priority Review and Breakthrough Therapy "
                   "designation.", rules, pipes)
    assert ("FDA", "priority_review", "enfortumab vedotin + pembrolizumab") in rows(found, "agency", "event", "drug")
    assert ("FDA", "breakthrough_therapy", "enfortumab vedotin + pembrolizumab") in rows(found, "agency", "event", "drug")


def test_an_undated_approval_beside_a_dated_accelerated_one_is_the_same_decision(rules, pipes):
    """"On 5 April 2024, the FDA granted T-DXd accelerated approval ..., the first tumour-agnostic approval of a
    HER2-directed agent" (set 10 mu3808; mu3806 "making it the first HER2-directed agent approved"): one event;
    "... accelerated approval in January 2023 and full approval followed" stays two."""
    found = events("On 5 April 2024, the FDA granted T-DXd accelerated approval for HER2-positive solid tumours, the "
                   "first tumour-agnostic approval of a HER2-directed agent. The FDA granted tucatinib accelerated "
                   "approval in January 2023 and full approval followed.", rules, pipes)
    assert rows(found, "event", "drug") == [("accelerated_approval", "trastuzumab deruxtecan"),
                                           ("accelerated_approval", "tucatinib"), ("approval", "tucatinib")]


@pytest.mark.parametrize("sentence,expected", [
    ("Median OS was 14.6, 16.9 and 10.2 months.", {"14.6", "16.9", "10.2"}),
    ("Median time to progression was 3.9, 6.2 and 5.0 months in the three arms.", {"3.9", "6.2", "5.0"}),
    # timepoints, no values
    ("Tumour assessments were done at 6, 12 and 24 months.", set()),
])
def test_a_list_of_values_before_one_unit_gives_every_value_the_unit(sentence, expected, rules, pipes):
    """"Median OS was 14.6, 16.9 and 10.2 months" (three cohorts, set 10 mu3714; three arms, mu3606): three values;
    only the last was read before."""
    _, found, _ = record("Trastuzumab rezetecan in gastric cancer: a phase 2 trial.\n\nPatients received SHR-A1811. "
                         + sentence + "\n", rules, pipes)
    assert {v for (v,) in rows(found, "value")} == expected


def test_per_cent_spelled_out_is_a_percentage(rules, pipes):
    """"the response rate ... was 36 per cent" (British journals' style; set 10 mu3606): a rate of 36%."""
    _, found, _ = record("Fluorouracil and leucovorin in colorectal cancer: a randomized trial.\n\nPatients received "
                         "fluorouracil and leucovorin. The response rate was 36 per cent.\n", rules, pipes)
    assert rows(found, "endpoint", "value", "unit") == [("ORR", "36", "%")]


def test_a_list_item_takes_the_study_its_lead_line_names(rules, pipes):
    """"HORIZON-B301 results (presented at ESMO Breast 2025):" then bullets "• Median PFS by BICR: 30.6 months ..."
    (set 10 mu3910; set 6 mu2208 "..., phase II LUMEN-01 (NCT05757937):"): each bullet's value is of that study;
    without the colon the line is no lead."""
    text = ("Hengrui announced that the NMPA has approved trastuzumab rezetecan (SHR-A1811) for HER2-positive breast "
            "cancer. The approval is based on the phase 3 HORIZON-B301 study and the KUNLUN-2 study.\n\n"
            "HORIZON-B301 results (presented at ESMO Breast 2025){}\n"
            "• Median PFS by BICR: 30.6 months with SHR-A1811 vs 12.5 months with pyrotinib plus capecitabine\n"
            "• 24-month PFS rate: 64.9% vs 27.8%\n")
    found = rows(endpoints(text.format(":"), rules, pipes), "value", "trial")
    assert found == [("30.6", "HORIZON-B301"), ("64.9", "HORIZON-B301")]
    found = rows(endpoints(text.format("."), rules, pipes), "value", "trial")
    assert ("64.9", "HORIZON-B301") not in found


@pytest.mark.parametrize("title,expected", [
    ("Anthracycline- and platinum-free neoadjuvant paclitaxel, trastuzumab and pertuzumab", "paclitaxel + pertuzumab + trastuzumab"),
    ("A chemotherapy-free regimen of pertuzumab and trastuzumab", "pertuzumab + trastuzumab"),
    # no-match: the drug itself
    ("Neoadjuvant chemotherapy with pertuzumab and trastuzumab", "chemotherapy + pertuzumab + trastuzumab"),
])
def test_a_drug_said_to_be_absent_is_not_in_the_regimen(title, expected, rules, pipes):
    """"Anthracycline- and platinum-free neoadjuvant paclitaxel, trastuzumab and pertuzumab" (set 10 mu3608), "in the
    chemotherapy-free arm" (set 5 mu1912, set 2 mu604): a regimen without anthracycline, platinum or chemotherapy."""
    _, found, _ = record(title + " in HER2-positive early breast cancer: a phase 2 trial.\n\nThe pCR rate was 56.8%.\n",
                         rules, pipes)
    assert rows(found, "value", "drug") == [("56.8", expected)]


def test_the_arm_a_value_changed_from_is_the_comparator(rules, pipes):
    """"pyrotinib plus capecitabine prolonged median PFS to 12.5 months from 6.8 months with lapatinib plus
    capecitabine (HR 0.39), and the ORR was 67.2% versus 51.5%" (set 10 mu3810): lapatinib is the comparator arm's,
    also for the sentence's later values."""
    found = endpoints("In the phase III PHOENIX-B trial, pyrotinib plus capecitabine prolonged median PFS to 12.5 months "
                      "from 6.8 months with lapatinib plus capecitabine (HR 0.39; 95% CI 0.27-0.56; P < 0.001), and the "
                      "ORR was 67.2% versus 51.5%.", rules, pipes)
    assert ("67.2", "capecitabine + pyrotinib") in rows(found, "value", "drug")


@pytest.mark.parametrize("sentence,expected", [
    ("Survival did not differ (median, 26 v 29 months).", [("OS", "26")]),
    ("The 1-year survival was 37% versus 11%.", [("OS", "37")]),
    # no-match: an endpoint the table lacks, and the word the named endpoints after it detail
    ("Distant metastasis-free survival at 3 years was 86.0% versus 79.3%.", []),
    ("The combination improved patient survival (ORR 28.2%, median OS 13.9 months).", [("ORR", "28.2"), ("OS", "13.9")]),
])
def test_survival_on_its_own_is_overall_survival(sentence, expected, rules, pipes):
    """"Survival did not differ (median, 26 v 29 months)" (set 11 mu4002), "1-year survival was 37% versus 11%"
    (mu4006, mu4004, mu4008): overall survival, as older abstracts write it; not after "-free" or "-specific"
    (rules/values.yaml not_os_before; extra part pmid35100692, pmid37870969, set 8 mu2802)."""
    _, found, _ = record("Docetaxel versus best supportive care in lung cancer: a randomized trial.\n\nPatients "
                         "received docetaxel. " + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


def test_a_models_ratios_of_patient_characteristics_are_no_efficacy_values(rules, pipes):
    """"In a multivariable Cox model of the niraparib arm, residual disease (HR 1.52; ...) and stage IV disease (HR
    1.37; ...) were associated with shorter PFS" (set 11 mu4204; mu4212 "RCB class (... HR 11.6)"): patient
    characteristics, although the sentence names a drug; a treatment variable's ratio, and one given for an endpoint
    ("..., but not OS (HR = 1.361)"), stay."""
    _, found, _ = record("Niraparib in ovarian cancer: a randomized trial.\n\nPatients received niraparib or placebo. "
                         "In a multivariable Cox model of the niraparib arm, residual disease (HR 1.52; 95% CI 1.18-1.96) "
                         "and stage IV disease (HR 1.37; 95% CI 1.05-1.79) were associated with shorter PFS. In Cox "
                         "regression analysis, treatment with niraparib was associated with longer PFS (HR 0.62), but "
                         "not OS (HR = 1.361, p = 0.272).\n", rules, pipes)
    assert sorted(h for (h,) in rows(found, "hr")) == ["0.62", "1.361"]


@pytest.mark.parametrize("text,trial", [
    ("In this open-label study (protocol HTZ-201), 222 women received trastuzumab. The objective response rate was 16%.",
     "HTZ-201"),
    ("Patients were enrolled at 32 sites in nine countries (ZANI-BTC; NCT70303317) and received zanidatamab. The "
     "objective response rate was 41.3%.", "ZANI-BTC"),
    # no-match: an abbreviation sharing the registry's bracket
    ("We describe patients treated with sotorasib within an expanded access program (EAP; NCT05928371). The objective "
     "response rate was 29.8%.", ""),
])
def test_a_protocol_id_or_a_name_beside_the_registry_id_names_the_study(text, trial, rules, pipes):
    """"(protocol HTZ-201)" (set 11 mu4010; set 10 mu3606 "(protocol MGOG-8803)"), "(ZANI-BTC; NCT70303317)" (set 11
    mu4308): the record's study, read wherever the bracket stands."""
    _, found, _ = record("A phase 2 study in advanced cancer.\n\n" + text + "\n", rules, pipes)
    assert rows(found, "trial") == [(trial,)]


@pytest.mark.parametrize("follow,expected", [
    ("The benefit was greatest in patients with a BRCA mutation: 11.2 v 4.3 months (HR, 0.18). In patients without a "
     "known BRCA mutation, it was 7.4 v 5.5 months (HR, 0.54).", [("PFS", "11.2", "4.3"), ("PFS", "7.4", "5.5")]),
    # no-match: another measure compared in a subgroup
    ("The cumulative incidence of new brain lesions in patients without baseline brain metastases was 1.8% vs 3.4%.", []),
])
def test_a_subgroups_comparison_takes_the_endpoint_compared_before_it(follow, expected, rules, pipes):
    """"In the overall population, median PFS was 8.4 months with olaparib versus 4.8 months with placebo (HR, 0.35).
    The benefit was greatest in patients with a BRCA mutation: 11.2 v 4.3 months (HR, 0.18)" (set 11 mu4114; mu4304
    "... the absolute benefit was larger: 90·6% versus 85·9%"): the subgroup's values of the same endpoint."""
    _, found, _ = record("Olaparib maintenance in ovarian cancer: a randomised phase 2 trial.\n\nPatients received "
                         "olaparib or placebo. In the overall population, median PFS was 8.4 months with olaparib versus "
                         "4.8 months with placebo (HR, 0.35; P < .001). " + follow + "\n", rules, pipes)
    got = [r for r in rows(found, "endpoint", "value", "comparator_value") if r[1] not in ("8.4", "")]
    assert got == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Response was seen in 94% of oropharyngeal primaries.", [("ORR", "94")]),
    # no-match: one kind of response, or the best response of stable disease
    ("Four (15%) had a partial response.", []),
    ("Stable disease was the best response in a further 56.1%.", []),
])
def test_response_on_its_own_is_the_objective_response(sentence, expected, rules, pipes):
    """"Response was seen in 94% of oropharyngeal ... primaries" (set 11 mu4004; the extra part's older abstracts):
    the objective response; not "a partial response" (real tuning pmid23146956) or "best response" (mu4106)
    (rules/values.yaml not_bare_endpoint)."""
    _, found, _ = record("Cisplatin and fluorouracil in head and neck cancer: a phase 2 study.\n\nPatients received "
                         "cisplatin and fluorouracil. " + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


def test_a_heterogeneity_statistic_is_no_value_and_that_of_an_arm_is_the_same_endpoint(rules, pipes):
    """A pooled estimate's "I² = 41%" is no response rate (rules/values.yaml heterogeneity_statistic; set 11 mu4202 and
    mu4206, set 5 mu1708 and mu1712); "..., that of Y 67.2% ... and that of Z 36.8%" is the endpoint named before, for
    the arm or group the clause names (set 11 mu4202; set 9 mu3410 "and that of patients treated in the third line or
    later was 4.5 months")."""
    _, found, _ = record(
        "Antibody-drug conjugates and tyrosine kinase inhibitors in HER2-positive breast cancer: a meta-analysis.\n\n"
        "Twelve trials were included. The pooled ORR of trastuzumab deruxtecan was 71.4% (95% CI 66.0-76.3; I² = 0%), "
        "that of tucatinib plus capecitabine 44.2% (95% CI 38.5-50.1; I² = 37%) and that of T-DM1 30.9% (95% CI "
        "26.1-36.0; I² = 52%). Heterogeneity across all trials was moderate (I2: 46%).\n", rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [
        ("ORR", "71.4", "trastuzumab deruxtecan"), ("ORR", "44.2", "capecitabine + tucatinib"),
        ("ORR", "30.9", "trastuzumab emtansine")]


@pytest.mark.parametrize("sentence,expected", [
    ("Tucatinib was approved by the FDA in April 2020, and Health Canada followed in June 2020.",
     [("FDA", "approval", "2020-04"), ("Health Canada", "approval", "2020-06")]),
    # no-match: "followed" with an object is no regulator following
    ("The FDA granted accelerated approval to zongertinib in August 2025, which followed a breakthrough therapy "
     "designation granted in 2024.", [("FDA", "accelerated_approval", "2025-08"), ("FDA", "breakthrough_therapy", "2024")]),
])
def test_a_regulator_following_is_an_approval_but_following_a_designation_is_not(sentence, expected, rules, pipes):
    """"..., and the EMA followed in January 2023" (set 1 and set 9 tuning documents) is the EMA's approval; "which
    followed a breakthrough therapy designation" (set 9 mu3510; set 7 mu2610 "61.4% followed a dose escalation") is
    not (rules/regulatory.yaml followed_approval)."""
    assert sorted(rows(events(sentence, rules, pipes), "agency", "event", "date")) == sorted(expected)


@pytest.mark.parametrize("sentence,expected", [
    ("Median time to first subsequent therapy was 18.6 versus 12.0 months.", []),
    ("The median TFST was not reached vs 31.8 months (HR, 1.20; 95% CI, 0.51-2.81).", []),
    # no-match: the overall survival the sentence names
    ("In the overall population, it was 31.2 versus 27.0 months.", [("OS", "31.2", "27.0")]),
])
def test_time_to_first_subsequent_therapy_is_no_survival_value(sentence, expected, rules, pipes):
    """"Median time to first subsequent chemotherapy was 30.5 versus 17.8 months" (set 9 mu3302), "... therapy was 18.6
    versus 12.0 months" (set 12 mu4404; set 8 mu2912), "The median TFST was not reached" (real extra pmid38104527): an
    outcome outside the endpoint table (rules/endpoints.yaml other_outcomes), not the survival named before it."""
    _, found, _ = record("Niraparib maintenance in ovarian cancer: a randomised trial.\n\nPatients received niraparib or "
                         "placebo. The estimated 24-month overall survival rate was 84% with niraparib and 77% with placebo "
                         "(hazard ratio for death, 0.70), and median overall survival was not reached in either group. "
                         + sentence + "\n", rules, pipes)
    assert [r for r in rows(found, "endpoint", "value", "comparator_value") if r[1] not in ("84", "NR")] == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Overall survival data were immature (34% of the required deaths); the 3-year OS rate was 64.8% vs 59.1%.",
     [("OS", "64.8", "59.1")]),
    ("Overall survival data were immature (maturity, 29%); the 3-year OS rate was 64.8% vs 59.1%.",
     [("OS", "64.8", "59.1")]),
    # no-match: the survival rate itself
    ("Overall survival data were immature; the 3-year OS rate was 64.8% vs 59.1%.", [("OS", "64.8", "59.1")]),
])
def test_the_maturity_of_an_analysis_is_no_survival_rate(sentence, expected, rules, pipes):
    """"(27% of required events)" (set 4 mu1208), "(34% of the required deaths)" (set 12 mu4406), "(28% maturity)" (set 8
    mu3012), "(maturity, 29%)" (set 12 mu4404), "(information fraction, 52%)" (set 12 mu4414): how far an analysis has
    got, no group's value (rules/values.yaml maturity_after, maturity_before)."""
    _, found, _ = record("Adjuvant durvalumab in bladder cancer: a randomised trial.\n\nPatients received durvalumab or "
                         "placebo. Median non-urothelial tract recurrence-free survival was 28.9 vs 18.4 months. " + sentence
                         + "\n", rules, pipes)
    assert [r for r in rows(found, "endpoint", "value", "comparator_value") if r[0] != "RFS"] == expected


@pytest.mark.parametrize("opening,expected", [
    ("At the data cutoff (median follow-up, 14.9 months), T-DXd", [("PFS", "10.9", "4.1")]),
    ("At the final analysis [median follow-up 26.7 months], T-DXd", [("PFS", "10.9", "4.1")]),
    # no-match: a clause about follow-up itself
    ("Median follow-up was 14.9 months, and T-DXd", []),
])
def test_a_bracketed_follow_up_aside_is_not_the_clauses_subject(opening, expected, rules, pipes):
    """"At the data cutoff (median follow-up, 14.9 months), T-DXd significantly improved PFS: median, 10.9 v 4.1
    months" (set 12 mu4414; the same aside in set 2 mu706, set 6 mu2102, set 8 mu3112): the values are the endpoint's,
    not durations of a clause about follow-up."""
    _, found, _ = record("Trastuzumab deruxtecan versus docetaxel in HER2-mutant NSCLC: a randomised trial.\n\nPatients "
                         "received T-DXd or docetaxel. " + opening + " significantly improved PFS: median, 10.9 v 4.1 "
                         "months.\n", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("The confirmed ORR was 53.8% (28/52; 95% CI 39.5-67.8) in cohort A, 60.8% (31/51; 95% CI 46.1-74.2) in cohort B "
     "and 28.0% (14/50; 95% CI 16.2-42.5) in cohort C.", [("ORR", "53.8"), ("ORR", "60.8"), ("ORR", "28.0")]),
    ("In arm A, the ORR was 48.4% (15/31; 95% CI, 30.2-66.9), reaching 66.7% (8 of 12) in patients without previous "
     "systemic therapy.", [("ORR", "48.4"), ("ORR", "66.7")]),
    # no-match: the list's next clause names another measure
    ("The confirmed ORR was 53.8% (28/52; 95% CI 39.5-67.8); grade 3 neutropenia occurred in 21.0% (11/52).",
     [("ORR", "53.8")]),
])
def test_a_values_bracketed_details_do_not_end_its_list(sentence, expected, rules, pipes):
    """"53.8% (28/52; 95% CI 39.5–67.8) in cohort A, 60.8% (31/51; ...) in cohort B and 28.0% (...) in cohort C" (set
    10 mu3714), "48.4% (15/31; 95% CI, 30.2-66.9), reaching 66.7% (8 of 12) in ..." (set 12 mu4506; set 3 mu1110, real
    extra pmid28705409): a value's closed bracket, with its ";", is its own detail, not the end of the clause."""
    _, found, _ = record("Zanidatamab in HER2-positive biliary tract cancer: a phase 2 study.\n\nPatients received "
                         "zanidatamab. " + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("In arm A (n = 31), the ORR was 48.4% (15/31; 95% CI, 30.2-66.9).", [("ORR", "48.4", "capmatinib")]),
    ("The ORR in arm B (n = 42) was 35.7%.", [("ORR", "35.7", "sotorasib")]),
    # no-match: a result's bracket ends the clause before the value
    ("Median PFS was 5.4 months in arm A versus 4.1 months in arm B (HR 0.83; P = .48), and the ORR was 30.2%.",
     [("ORR", "30.2", "capmatinib + sotorasib")]),
])
def test_an_arm_label_with_its_bracket_opens_the_clause(sentence, expected, rules, pipes):
    """"In arm A (n = 31), the ORR was 48.4%", "The ORR in arm D (n = 58) was 22.4%" (set 12 mu4506), "ORR in arm A was
    70.2% and 42.9%, and in arm B 53.3% ..." (set 3 mu1004): the value is the labelled arm's regimen; not after "in arm
    2 (HR 0.83; P = .48), and ..." (set 8 mu2814), where the label ends the clause before."""
    _, found, _ = record("An umbrella trial in NSCLC.\n\nPatients were assigned to a matched arm: arm A, capmatinib 400 mg "
                         "twice daily; arm B, sotorasib 960 mg daily. " + sentence + "\n", rules, pipes)
    assert [r for r in rows(found, "endpoint", "value", "drug") if r[0] == "ORR"] == expected


@pytest.mark.parametrize("sentence,expected", [
    ("In the United States, an advisory committee voted against accelerated approval of olaparib for the maintenance "
     "indication in June 2014; the FDA instead granted accelerated approval in December 2014 for olaparib monotherapy.",
     [("FDA", "accelerated_approval", "olaparib", "2014-12")]),
    ("The JGCA guideline advises against ramucirumab in this setting.", []),
    # no-match: a vote for a narrower use is the approval's history, not a decision against it
    ("The FDA approved olaparib in June 2023 after its advisory committee voted 11 to 1 to limit use to BRCA-mutated "
     "tumours.", [("FDA", "approval", "olaparib", "2023-06")]),
])
def test_a_decision_against_is_no_event(sentence, expected, rules, pipes):
    """"an advisory committee voted against accelerated approval ... in June 2014; the FDA instead granted accelerated
    approval in December 2014" (set 11 mu4114), "the JGCA guideline therefore advises against it" (set 2 mu814):
    negated (rules/context.yaml decided_against); the next clause's approval stands with its own date."""
    assert rows(events(sentence, rules, pipes), "agency", "event", "drug", "date") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Margetuximab: approved in the US, withdrawn in Europe.", [("FDA", "margetuximab")]),
    ("Margetuximab has been approved in the US but not in the EU.", [("FDA", "margetuximab")]),
    # no-match: approved in both places
    ("Margetuximab has been approved in the US and in the EU.", [("EMA", "margetuximab"), ("FDA", "margetuximab")]),
])
def test_a_place_the_approval_was_withdrawn_from_or_not_given_is_no_event(sentence, expected, rules, pipes):
    """"approved in the US, withdrawn in Europe", "..., but not in the EU" (set 12 mu4708; "BLA withdrawn in the US",
    set 10 mu3912; "voluntarily withdrawn in the US", set 12 mu4710): that jurisdiction has no approval
    (rules/regulatory.yaml jurisdiction_*)."""
    assert sorted(rows(events(sentence, rules, pipes), "agency", "drug")) == expected


@pytest.mark.parametrize("sentence,expected", [
    ("The PFS benefit of pertuzumab is preserved in patients aged 65 years or older.", []),
    ("In the Cox analysis of OS, age 75 years or older (HR, 1.46) was unfavourable.", []),
    # no-match: a survival time in years
    ("Median overall survival was 4.2 years with pertuzumab.", [("OS", "4.2")]),
])
def test_an_age_is_no_duration(sentence, expected, rules, pipes):
    """"patients aged 65 years or older" (set 12 mu4604), "age 75 years or older (HR, 1.46)" (set 11 mu4210): an age,
    no endpoint's duration (rules/values.yaml age_after, age_before)."""
    _, found, _ = record("Pertuzumab in older patients with HER2-positive breast cancer.\n\nPatients received "
                         "pertuzumab. " + sentence + "\n", rules, pipes)
    assert [r for r in rows(found, "endpoint", "value") if r[1]] == expected


@pytest.mark.parametrize("sentence,expected", [
    ("The 2-year OS rate was 52.3% with panitumumab and 41.0% without.", [("OS", "52.3", "41.0")]),
    ("Median overall survival was 23.8 months with panitumumab and 21.9 months without (HR 0.89; 95% CI 0.75-1.06).",
     [("OS", "23.8", "21.9")]),
    ("The pooled ORR was 52.1% (95% CI 47.9-56.3) with panitumumab and 37.0% (33.1-41.0) without.",
     [("ORR", "52.1", "37.0")]),
    # no-match: "without" names another group, not the arm without the drug
    ("The ORR was 40% with panitumumab and 30% without prior bevacizumab.", [("ORR", "40", ""), ("ORR", "30", "")]),
])
def test_the_arm_without_the_drug_is_the_comparison(sentence, expected, rules, pipes):
    """"52.3% with panitumumab and 41.0% without" (set 11 mu4112), "21% with capecitabine and 9% without" (set 10
    mu3702), "52.1% (...) with platinum and 37.0% (...) without" (set 12 mu4608; set 9 mu3510, mu3514): one value, its
    comparator the arm without the drug."""
    _, found, _ = record("Panitumumab in colorectal cancer: a randomised trial.\n\nPatients received FOLFOX with or "
                         "without panitumumab. " + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("methods,drug", [
    ("In this open-label study, 222 women who had received one or two chemotherapy regimens for metastatic disease were "
     "given a loading dose of 4 mg/kg of trastuzumab, followed by 2 mg/kg weekly.", "trastuzumab"),
    ("Patients who had received at least two lines of chemotherapy for advanced disease were given trastuzumab "
     "deruxtecan.", "trastuzumab deruxtecan"),
    # no-match: cycles of the regimen studied are not what the patients had before
    ("Women received 4 cycles of docetaxel and trastuzumab for their tumors.", "docetaxel + trastuzumab"),
])
def test_regimens_counted_as_received_before_are_no_study_regimen(methods, drug, rules, pipes):
    """"who had received one or two chemotherapy regimens for metastatic disease were given ... trastuzumab" (set 11
    mu4010; "two or more platinum-based regimens", "at least two lines of treatment" in sets 10 and 12): prior therapy
    (rules/attribution.yaml counted_regimens); and "for", "tumor" hold no "or" between two arms (the word "for" had
    been read as "f" + "or", cutting a regimen in two)."""
    _, found, _ = record("A multinational study in metastatic breast cancer.\n\n" + methods + " The objective response "
                         "rate was 16% (95% CI, 11% to 21%).\n", rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [("ORR", "16", drug)]


@pytest.mark.parametrize("sentence,expected", [
    ("Median OS was not estimable in cohort 1.", [("OS", "NR")]),
    ("A median DOR that was not estimable at data cut-off was reported.", [("DOR", "NR")]),
    # no-match: "not estimable" as the upper bound of a value's own interval
    ("Median overall survival was 23.2 months (12.8-not estimable).", [("OS", "23.2")]),
])
def test_not_estimable_is_a_median_not_reached(sentence, expected, rules, pipes):
    """"Median OS was not estimable in E1" (set 2 mu718), "a median DOR that was not estimable at data cut-off" (set 3
    mu1120), "OS medians were 19.0 months and not estimable" (set 6 mu2104): no median yet, as "not reached"; not the
    bound of "23.2 months (12.8-not estimable)" (set 2 mu720)."""
    _, found, _ = record("Zanidatamab in biliary tract cancer: a phase 2 study.\n\nPatients received zanidatamab. "
                         + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    ("Responses to the 960-mg combination lasted a median of 5.8 months.", [("DOR", "5.8")]),
    ("Responses in cervical cancer were durable, with a median of 9.2 months.", [("DOR", "9.2")]),
    ("Responses were durable, with a median duration of 14.9 months (95% CI, 7.4 to not estimable).", [("DOR", "14.9")]),
    # no-match: a median of another measure after a response
    ("Responses were seen after a median of 1.4 months of treatment.", []),
])
def test_how_long_responses_lasted_is_the_duration_of_response(sentence, expected, rules, pipes):
    """"Responses to the 960-mg combination lasted a median of 5.8 months" (set 2 mu616), "responses in cervical cancer
    were durable, with a median of 9.2 months" (set 6 mu2214), "Responses were durable, with a median duration of 14.9
    months" (set 11 mu4308): the median is the duration of response."""
    _, found, _ = record("Zanidatamab in biliary tract cancer: a phase 2 study.\n\nPatients received zanidatamab. "
                         + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


POSTER = ("{label}\n\nZRC-3701 plus camrelizumab in HER2-positive biliary tract cancer: first results of the phase 2 "
          "BILIARY-7 study\n\nBACKGROUND\n\u2022 HER2 is overexpressed in about 15% of biliary tract cancers\n\n"
          "METHODS\n\u2022 Treatment-naive advanced disease; ZRC-3701 plus camrelizumab every 3 weeks\n\n"
          "RESULTS\nEfficacy (n = 40)\n\u2022 Confirmed ORR: 55.0%\n\u2022 Median PFS: 8.2 months\n\n"
          "CONCLUSIONS\n\u2022 The combination is active in HER2-positive biliary tract cancer\n")


@pytest.mark.parametrize("label", ["Poster 1511P", "POSTER 233 | Gastrointestinal Tumours", ""])
def test_a_poster_exported_as_text_is_one_studys_record(label, rules, pipes):
    """A poster: a format label above its title (rules/sections.yaml not_title), structured-abstract headings on lines
    of their own and bullet points without full stops (set 13 mu4906 "Poster 1962P" ... "• DCR: 91.2%"; set 7 mu2502
    "• Trastuzumab + chemo = SoC since 2010, mOS ~14 mo historically"): the title names the regimen and trial of every
    bullet. No-match: a first line that is no format label (next test)."""
    _, found, _ = record(POSTER.format(label=label).lstrip("\n"), rules, pipes)
    assert rows(found, "endpoint", "value", "drug", "trial") == [
        ("ORR", "55.0", "camrelizumab + zrc-3701", "BILIARY-7"), ("PFS", "8.2", "camrelizumab + zrc-3701", "BILIARY-7")]


def test_an_article_label_that_is_no_format_label_keeps_the_text_an_article(rules, pipes):
    """No-match: a first line that is not a format label ("Gastrointestinal cancers") is no record's label."""
    ann, _, _ = record(POSTER.format(label="Gastrointestinal cancers"), rules, pipes)
    assert "body" in {s.kind for s in ann.doc.sections}


@pytest.mark.parametrize("text,drug,trial", [
    ("Zanidatamab plus CAPOX in HER2-positive gastric cancer: the ZENTA-201 phase 2 update.\n\n"
     "Forty patients were treated. The ORR was 71.0% and the median PFS 12.1 months.\n",
     "capecitabine + oxaliplatin + zanidatamab", "ZENTA-201"),
    ("Trastuzumab deruxtecan in HER2-positive gastric cancer: the Phase 2 Study QV-002 (NCT12345670).\n\n"
     "Forty patients were treated. The ORR was 44.1% and the median PFS 5.9 months.\n", "trastuzumab deruxtecan", "QV-002"),
])
def test_a_code_the_text_gives_as_a_trial_is_no_drug(text, drug, trial, rules, pipes):
    """A code-shaped name the text gives as a trial where its context tells ("ZANGA-201 phase 2 update", set 7 mu2502;
    "DV-001 (NCT06204471)", set 2 mu806; "the single-arm DELTA-G02 trial", set 13 mu5114) is that trial wherever it
    recurs, not a drug of the regimen. No-match: a code with no trial context stays a drug
    (test_drugs_outside_the_lexicon_are_recognised_by_stem_or_code: "JSKN003")."""
    _, found, _ = record(text, rules, pipes)
    assert {(m.drug, m.trial) for m in found} == {(drug, trial)}


@pytest.mark.parametrize("sentence,drug", [
    ("Patients received camrelizumab (SHR-1210) plus apatinib; the ORR was 42.0%.", "apatinib + camrelizumab"),
    ("Patients received KX-2241 (rivoceranib) plus camrelizumab; the ORR was 42.0%.", "apatinib + camrelizumab"),
    # no-match: a code that is a second drug of the regimen, not in brackets after a name
    ("Patients received camrelizumab plus KX-2241; the ORR was 42.0%.", "camrelizumab + kx-2241"),
])
def test_a_code_bracketed_after_a_drug_is_that_drug(sentence, drug, rules, pipes):
    """"toripalimab (JS001)" (set 13 mu4906), "trastuzumab-dkst (MYL-1401O)" (set 10 mu3814), and the other way
    round ("MK-3475 (pembrolizumab)"): the code names the drug, it is no second drug of the regimen."""
    _, found, _ = record("A phase 2 study in hepatocellular carcinoma.\n\n" + sentence + "\n", rules, pipes)
    assert rows(found, "value", "drug") == [("42.0", drug)]


DECISIONS = ("Review of HER2-directed agents\n\nIntroduction\n\nHER2-directed agents are now used in several cancers, "
             "and regulators have decided on each of them at different times, as the table below sets out.\n\n"
             "Table 4. Regulatory decisions\n\n"
             "Agency | Drug | Indication | Decision | Date\n"
             "FDA | zanidatamab | HER2-positive biliary tract cancer | Accelerated approval (b) | 2024-11-20\n"
             "NMPA | pyrotinib + capecitabine | HER2-positive breast cancer | Conditional approval | 2018-08\n"
             "EMA | zanidatamab | HER2-positive biliary tract cancer | Not submitted | -\n"
             "NICE | tucatinib | HER2-positive breast cancer | Not recommended | 2023-07\n"
             "FDA | sotorasib | NSCLC, conversion to full approval | Complete response letter | 2023-12\n")


def test_a_table_of_decisions_gives_one_event_per_approving_row(rules, pipes):
    """A table whose rows are decisions ("Agency | Drug | Indication | Decision | Date"; set 13 mu5004, mu5012): the
    agency, drug, cancer and date of an approving row are its own cells. No-match: rows whose decision is negated
    ("Not submitted", "Not recommended") or whose decision cell does not open with an approval (an indication that
    names a conversion beside a complete response letter)."""
    found = events(DECISIONS, rules, pipes)
    assert rows(found, "agency", "event", "drug", "date", "cancer_type") == [
        ("FDA", "accelerated_approval", "zanidatamab", "2024-11-20", "biliary"),
        ("NMPA", "conditional_approval", "capecitabine + pyrotinib", "2018-08", "breast")]
    assert all(DECISIONS and m.prov.quote for m in found)


@pytest.mark.parametrize("text,expected", [
    ("Zanidatamab received accelerated approval from the FDA in November 2024, and the sponsor plans to seek approval "
     "in Europe in 2026.", [("FDA", "accelerated_approval", "2024-11")]),
    ("The company intends to seek FDA approval for tucatinib in gastric cancer next year.", []),
    # no-match: an application made, and its approval
    ("The sponsor filed in 2023, and the FDA approved tucatinib in January 2024.", [("FDA", "approval", "2024-01")]),
])
def test_an_application_still_to_be_made_is_no_event(text, expected, rules, pipes):
    """"the sponsor plans to seek approval in the United States and Europe" (set 13 mu5008), "plans to file a marketing
    application in Japan" (set 12 mu4702): rules/context.yaml intends_to_apply, one scope mechanism."""
    assert rows(events("Regulatory update\n\n" + text + "\n", rules, pipes), "agency", "event", "date") == expected


# ------------------------------------------------------------------ twentieth pass (BC5CDR abstracts, made-up set 13)


@pytest.mark.parametrize("sentence,expected", [
    # a response category's share beside (or inside) the response rate is no response rate
    ("The overall response rate was 64% (complete response (CR) 21%, partial response 43%).", [("ORR", "64")]),
    ("There were two complete responses (6%) and 14 partial responses (41%) for an overall response rate of 47%.",
     [("ORR", "47")]),
    ("The ORR was 58% (CR 12%, PR 46%).", [("ORR", "58")]),
    ("On an intention-to-treat basis, 61% of patients achieved at least partial response, including 14% CR and 30% "
     "achieved at least very good partial response.", [("ORR", "61")]),
    # no-match: the categories named together are the response rate itself
    ("The combination produced an objective response rate (CR+PR: 41%, p = 0.02).", [("ORR", "41")]),
    ("In all, 33% of the patients had a complete or partial response.", [("ORR", "33")]),
    ("A pathological complete response (38%) was seen after four cycles.", [("PCR", "38")]),
])
def test_a_response_categorys_share_is_no_response_rate(sentence, expected, rules, pipes):
    """"80% (complete response (CR) 37%, partial response 44%)" (BC5CDR tuning document cdr018), "three complete
    responses (9%) and 18 partial responses (53%) for an overall response rate of 62%" (cdr024), "including 19% CR and
    35% achieved at least very good partial response" (cdr016), "with a 10% CR rate" (cdr006): rules/values.yaml
    response_category and response_category_after. "At least partial response" is a response rate (rules/endpoints.yaml)."""
    _, found, _ = record("Gemcitabine and cisplatin in relapsed lymphoma: a phase II study.\n\n" + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,drug", [
    ("Patients received carboplatin and pegylated liposomal doxorubicin every 4 weeks; the response rate was 41%.",
     "carboplatin + pegylated liposomal doxorubicin"),
    ("Patients received Myocet plus cyclophosphamide every 3 weeks; the response rate was 41%.",
     "cyclophosphamide + liposomal doxorubicin"),
    ("Patients received intra-arterial BCNU every 6 weeks; the response rate was 41%.", "carmustine"),
    ("Patients received bortezomib and dexamethasone; the response rate was 41%.", "bortezomib + dexamethasone"),
    ("Patients received cisplatin, doxorubicin, cyclophosphamide and hexamethylmelamine; the response rate was 41%.",
     "altretamine + cisplatin + cyclophosphamide + doxorubicin"),
    ("Patients received leuprolide plus ifosfamide; the response rate was 41%.", "ifosfamide + leuprorelin"),
    ("Patients received CPT-11 plus CBDCA; the response rate was 41%.", "carboplatin + irinotecan"),
    ("Patients received ATRA plus arsenic trioxide; the response rate was 41%.", "arsenic trioxide + tretinoin"),
    ("Patients received intravesical BCG after resection; the response rate was 41%.", "bcg"),
    ("Patients received six cycles of R-CHOP; the response rate was 41%.",
     "cyclophosphamide + doxorubicin + prednisone + rituximab + vincristine"),
    # no-match: plain doxorubicin stays doxorubicin
    ("Patients received doxorubicin and cyclophosphamide; the response rate was 41%.", "cyclophosphamide + doxorubicin"),
])
def test_liposomal_doxorubicin_nitrosoureas_and_dexamethasone_are_drugs(sentence, drug, rules, pipes):
    """Drug names curators add as data (rules/drugs.yaml): liposomal doxorubicin (BC5CDR tuning document cdr010),
    BCNU (cdr034), dexamethasone in a regimen (cdr016; "isatuximab, carfilzomib, lenalidomide and dexamethasone",
    made-up set 8 mu2812)."""
    _, found, _ = record("A phase II study in advanced solid tumours.\n\n" + sentence + "\n", rules, pipes)
    assert rows(found, "value", "drug") == [("41", drug)]


@pytest.mark.parametrize("sentence,expected", [
    ("Overall, 57% of patients achieved at least a partial response.", [("ORR", "57")]),
    ("On an intention-to-treat basis, 48% of the patients achieved an objective response.", [("ORR", "48")]),
    # no-match: the share of patients with a harm
    ("Overall, 27% of the patients had grade 3 neutropenia.", []),
])
def test_a_share_of_the_patients_that_achieved_a_response(sentence, expected, rules, pipes):
    """"92% of patients achieved at least a partial response" (BC5CDR tuning document cdr006), "55% of the patients
    achieved at least partial response" (cdr016), "4.2% of patients achieved an objective response" (made-up set 11
    mu4104): "of (the) patients" between the rate and the verb."""
    _, found, _ = record("Bortezomib and dexamethasone in relapsed myeloma: a phase II study.\n\n" + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value") == expected


MULTI_ARM = ("Nivolumab with or without ipilimumab versus investigator's choice in advanced gastric cancer (TRIO-G): a "
             "randomised, three-arm, phase 2 trial.\n\nMETHODS: Patients were randomised 1:1:1 to nivolumab (arm A), "
             "nivolumab plus ipilimumab (arm B), or investigator's choice of paclitaxel or irinotecan (arm C).\n\n"
             "RESULTS: The objective response rate was 21.4% in arm A, 30.2% in arm B, and 11.9% in arm C. "
             "The pCR rate in arm C was 4.1%.\n")


def test_the_control_arms_value_beside_other_arms_is_their_comparator(rules, pipes):
    """Three or more labelled arms with one control ("investigator's choice of mFOLFOX6, ... (arm C)", made-up set 13
    mu4806; "(arm A, control)", mu4808; "Median PFS was 8.7, 5.9 and 5.9 months, respectively" with arm C the standard
    of care, set 3 mu1112; "41.0%, 55.6% and 50.2% in arms A, B and C", set 13 mu4814): the control's value beside the
    other arms' values is their comparator, not a result of its own. No-match: the control's value alone in its
    clause stays a value; "disitamab vedotin alone (group B)" beside a combination and chemotherapy is no control
    (set 6 mu2110)."""
    _, found, _ = record(MULTI_ARM, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "drug", "comparator") == [
        ("ORR", "21.4", "11.9", "nivolumab", "irinotecan + paclitaxel"),
        ("ORR", "30.2", "11.9", "ipilimumab + nivolumab", "irinotecan + paclitaxel"),
        ("PCR", "4.1", "", "irinotecan + paclitaxel", ""),
    ]
    alone = MULTI_ARM.replace("investigator's choice of paclitaxel or irinotecan", "paclitaxel or irinotecan") \
        .replace("nivolumab (arm A)", "nivolumab alone (arm A)")
    _, found, _ = record(alone, rules, pipes)
    assert [m.value for m in found if m.endpoint == "ORR"] == ["21.4", "30.2", "11.9"]


@pytest.mark.parametrize("between,drug", [
    ("The maximum tolerated dose of cyclophosphamide was 750 mg/m2.", "bortezomib + cyclophosphamide + dexamethasone"),
    ("With cyclophosphamide doses of 900 mg/m2 and higher, G-CSF support was given.",
     "bortezomib + cyclophosphamide + dexamethasone"),
    # no-match: a sentence with a result of its own names the part it is about
    ("Grade 3 neuropathy occurred in 41% of patients on bortezomib.", "bortezomib"),
])
def test_a_part_of_the_regimen_named_in_a_dose_statement_does_not_take_the_results(between, drug, rules, pipes):
    """A record about a regimen its title names: a sentence naming one of its drugs without any result ("The maximum
    tolerated dose of cyclophosphamide was defined as 900 mg/m2", BC5CDR tuning document cdr006; "With paclitaxel
    doses of 200 mg/m2 and higher, G-CSF is given", cdr036) does not narrow the regimen of the results after it."""
    # (patients randomised between two schedules: a record comparing arms, so a part of the regimen is not read as the
    # whole single-arm regimen, test_a_part_of_a_single_arm_regimen_is_the_regimen)
    text = ("Cyclophosphamide with bortezomib and dexamethasone for newly diagnosed myeloma: a phase II study.\n\n"
            "Thirty patients were randomly assigned to two schedules. " + between + " The overall response rate was 77%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug")[-1] == ("77", drug)


def test_a_drug_the_patients_cannot_receive_is_no_part_of_the_title_regimen(rules, pipes):
    """"Gemcitabine plus vinorelbine in ... patients who cannot receive cisplatin" (BC5CDR tuning document cdr026),
    "patients who are not candidates for the conjugate" (made-up set 6 mu2308): rules/attribution.yaml prior_therapy."""
    text = ("Gemcitabine plus vinorelbine in elderly patients with lung cancer or patients who cannot receive "
            "cisplatin.\n\nForty patients were treated. The overall response rate was 26%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("26", "gemcitabine + vinorelbine")]


def test_patients_evaluable_for_response_are_no_response(rules, pipes):
    """"Of 50 patients evaluable for response, 12 (24%) had partial remission, 26 (52%) had no change" (BC5CDR tuning
    document cdr008; also cdr024, cdr036, made-up set 3 mu1002): rules/values.yaml evaluable_for_response. No-match:
    the response rate named after them is one."""
    text = ("Paclitaxel in advanced lung cancer: a phase II study.\n\nOf 48 patients evaluable for response, 10 (21%) "
            "had partial remission and 25 (52%) had no change. The overall response rate was 21%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "21")]


def test_gliomas_and_other_cancers_outside_the_list_are_other(rules, pipes):
    """"malignant gliomas of the central nervous system", "Grade III or IV astrocytomas" (BC5CDR tuning document cdr034;
    "the low-grade glioma cohort", made-up set 12 mu4502): rules/cancers.yaml other."""
    text = ("Intra-arterial carmustine for malignant gliomas of the central nervous system.\n\n"
            "Twelve patients were treated. The median survival was 54 weeks.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == [("54", "other")]


def test_an_arm_label_after_the_regimens_short_form(rules, pipes):
    """"six cycles of docetaxel, carboplatin, trastuzumab and pertuzumab (TCbHP; arm B)" (made-up set 13 mu4808),
    "capecitabine plus oxaliplatin (CAPOX, cohort A)" (set 10 mu3604): the label is the regimen's."""
    text = ("Two neoadjuvant regimens in HER2-positive breast cancer: a randomised phase 2 trial.\n\nMETHODS: Patients "
            "were randomised to docetaxel, carboplatin and trastuzumab (TCH; arm A) or paclitaxel and trastuzumab "
            "(PH; arm B).\n\nRESULTS: The pCR rate was 41.0% in arm B.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("41.0", "paclitaxel + trastuzumab")]


def test_three_arms_chained_by_versus_share_the_last_as_comparator(rules, pipes):
    """"Updated PFS remained consistent with the primary analysis: 12.9 vs 11.3 vs 8.2 months" (made-up set 10 mu3706;
    "76.0% vs 78.2% vs 70.9% vs 58.1%", set 13 mu4808): every arm's value but the last, each compared with the last.
    No-match: two values stay one comparison."""
    _, found, _ = record("Zanidatamab plus chemotherapy with or without tislelizumab versus trastuzumab plus chemotherapy: "
                         "a randomised phase 3 trial.\n\nMedian PFS was 13.4 vs 10.9 vs 7.6 months.\n", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "unit") == [
        ("PFS", "13.4", "7.6", "months"), ("PFS", "10.9", "7.6", "months")]
    _, found, _ = record("Zanidatamab plus chemotherapy versus trastuzumab plus chemotherapy: a randomised phase 3 trial."
                         "\n\nMedian PFS was 13.4 vs 7.6 months.\n", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "unit") == [("PFS", "13.4", "7.6", "months")]


RESULT_BULLETS = ("Investor update - March 2026\n\n"
          "Slide 3 | TULIP-2 (NCT12345678): phase 2, tucatinib plus trastuzumab in HER2-positive colorectal cancer\n"
          "• Eighty-four patients with RAS wild-type, HER2-positive metastatic colorectal cancer were treated with "
          "tucatinib plus trastuzumab after two prior lines of chemotherapy in this study\n"
          "• Median PFS 8.2 months\n"
          "• Confirmed ORR 38.1% by central review; disease control in most of the other patients\n"
          "• Grade 3 diarrhoea was uncommon and no patient stopped treatment because of it\n")


def test_a_bullet_with_a_result_is_a_statement_not_a_heading(rules, pipes):
    """A slide's or poster's short bullet with a result ("• Median PFS 12.4 vs 8.1 months", "• IHC 3+ subgroup: ORR
    60.3%"; made-up set 13 mu4910, mu4914, set 10 mu3910) is content, not a heading whose value is lost. No-match: in
    front matter such a line still opens the content (set 6 mu2208)."""
    found = extract_from_text(extract_endpoints, RESULT_BULLETS, rules, pipes)
    assert ("PFS", "8.2") in rows(found, "endpoint", "value")
    ann = annotate_text(RESULT_BULLETS, rules, pipes)
    headings = [s.heading for s in ann.doc.sections]
    assert "• Median PFS 8.2 months" not in headings and "Median PFS 8.2 months" not in headings


@pytest.mark.parametrize("title,cancer", [
    ("Veliparib plus temozolomide in relapsed small-cell lung cancer: a randomized phase II trial.", "other"),
    ("Nivolumab in oesophageal squamous cell carcinoma: a phase II study.", "gastroesophageal"),
    ("Imatinib in advanced gastrointestinal stromal tumours: a phase II study.", "other"),
    # no-match: the longer name wins where it is written
    ("Osimertinib in non-small-cell lung cancer: a phase II study.", "nsclc"),
])
def test_cancer_names_outside_the_list_and_small_cell_lung_cancer(title, cancer, rules, pipes):
    """"relapsed small-cell lung cancer" is no NSCLC (made-up set 12 mu4514), oesophageal squamous cell carcinoma and
    adenocarcinoma are gastroesophageal (set 3 mu1118, set 9 mu3514, mu3504): rules/cancers.yaml, data only."""
    _, found, _ = record(title + "\n\nForty patients were treated. The overall response rate was 39%.\n", rules, pipes)
    assert rows(found, "value", "cancer_type") == [("39", cancer)]


# ------------------------------------------------------------------ twenty-first pass (tuning parts only)


def test_while_on_treatment_does_not_end_the_clause(rules, pipes):
    """"The median time to progression while on therapy was 5 months": "while" followed by "on", "receiving" or
    "taking" is no clause boundary (BC5CDR tuning document cdr040; real tuning abstracts pmid37179020, pmid35771551).
    No-match: "while in the other cohort it was ..." still opens a clause of its own."""
    found = endpoints("The median time to progression while on therapy was 5.5 months with vinorelbine.", rules, pipes)
    assert rows(found, "endpoint", "value", "unit") == [("TTP", "5.5", "months")]
    found = endpoints("Median PFS was 7.2 months with capecitabine, while receiving capecitabine alone in the "
                      "maintenance phase was uncommon.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("PFS", "7.2")]
    found = endpoints("The ORR was 41.0% with neratinib in the HER2-positive cohort, while in the HER2-low cohort it "
                      "was 12.5%.", rules, pipes)
    assert ("ORR", "41.0") in rows(found, "endpoint", "value")


@pytest.mark.parametrize("sentence,value", [
    ("Of 40 evaluable patients treated with ifosfamide, 13 (32.5%) demonstrated objective responses.", "32.5"),
    ("Of 30 patients given mitomycin, nine (30%) showed objective (complete or partial) response.", "30"),
    ("Of 30 patients given mitomycin, nine (30%) exhibited an objective response.", "30"),
])
def test_a_count_that_demonstrated_or_showed_objective_responses(sentence, value, rules, pipes):
    """"31 of the 38 cases (81.5%) demonstrated objective responses", "eight (57%) showed objective (complete or
    partial) response" (BC5CDR tuning documents cdr022, cdr108): the verbs and a bracketed restatement before the
    endpoint. No-match below: a count that demonstrated a harm is no response rate."""
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == [("ORR", value)]


def test_a_count_that_demonstrated_a_harm_is_no_response(rules, pipes):
    found = endpoints("Of 30 patients given mitomycin, nine (30%) demonstrated grade 3 neutropenia and the ORR was "
                      "20%.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "20")]


def test_older_cisplatin_names_and_its_code(rules, pipes):
    """"a combination of cis-platinum, adriamycin, ...", "cisplatinum (CPDD), 50 mg/m2" (BC5CDR tuning document cdr022):
    vocabulary in rules/drugs.yaml. No-match: "platinum-based chemotherapy" names no cisplatin."""
    found = endpoints("Patients received cis-platinum and etoposide; the response rate was 44%.", rules, pipes)
    assert rows(found, "drug") == [("cisplatin + etoposide",)]
    found = endpoints("In 20 patients treated with CPDD, the response rate was 44%.", rules, pipes)
    assert rows(found, "drug") == [("cisplatin",)]
    found = endpoints("In 20 patients treated with platinum-based chemotherapy, the response rate was 44%.", rules, pipes)
    assert rows(found, "value") == [("44",)] and "cisplatin" not in rows(found, "drug")[0][0]


def test_an_open_upper_end_of_a_range_is_no_value(rules, pipes):
    """"54 weeks (range 21 to more than 156 weeks)" (BC5CDR tuning document cdr034, three times): the range's upper
    end is no second survival value (rules/values.yaml spread_range)."""
    found = endpoints("The median survival with carmustine was 54 weeks (range 21 to more than 156 weeks).", rules, pipes)
    assert rows(found, "endpoint", "value", "unit") == [("OS", "54", "weeks")]
    found = endpoints("The median survival with carmustine was 54 weeks (range 21-156 weeks).", rules, pipes)
    assert rows(found, "endpoint", "value", "unit") == [("OS", "54", "weeks")]


def test_durations_of_response_in_a_list_of_endpoints(rules, pipes):
    """"Median durations of response, time to next therapy and treatment-free interval were 8, 11.2, and 5.1 months"
    (BC5CDR tuning document cdr016), "with median durations of response of 14.7, 12.1 and 8.5 months" (made-up set 10
    mu3706, mu3710): the plural is the DOR, and endpoints outside the table take their own values of the list."""
    found = endpoints("With bortezomib, median durations of response, time to next therapy and treatment-free interval "
                      "were 9, 12.4, and 6.3 months, respectively.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("DOR", "9")]


def test_a_patient_characteristics_hazard_ratio_told_as_an_association_is_no_result(rules, pipes):
    """"ECOG performance status 2 (HR 1.88 ...) and liver metastases (HR 1.51) were associated with shorter OS" (made-up
    set 9 mu3306), "Circulating tumor DNA clearance ... was associated with longer PFS (HR 0.38)" (set 2 mu708),
    "Elevated baseline CEA (HR=2.27 ...) independently predicted shorter PFS" (set 9 mu3414). No-match: the treatment
    associated with longer OS keeps its ratio (set 5 mu1812), and so does a comparison of treatments in a biomarker
    group associated with "improved outcomes" (extra pmid36709038)."""
    assert endpoints("Among patients given lapatinib, bone metastases (HR 1.71, 95% CI 1.20-2.43) and high LDH "
                     "(HR 1.44) were associated with shorter PFS.", rules, pipes) == []
    assert endpoints("Early ctDNA clearance at cycle 2 was associated with longer OS (HR 0.41; P = .002).",
                     rules, pipes) == []
    assert endpoints("High baseline CA 19-9 (HR=1.93, 95% CI: 1.10-3.40, P=0.02) independently predicted shorter "
                     "PFS.", rules, pipes) == []
    found = endpoints("In HER2 IHC 3+ patients, neratinib was associated with longer OS (21.4 vs 17.9 months; HR, "
                      "0.74; 95% CI, 0.55-0.99), whereas in IHC 2+ patients the HR for death was 1.08 (0.80-1.46).",
                      rules, pipes)
    assert ("OS", "21.4", "0.74") in rows(found, "endpoint", "value", "hr")


def test_pfs2_is_no_progression_free_survival(rules, pipes):
    """"Median PFS2 was 31.0 months in the first-line group" (made-up set 13 mu4810; set 10 mu3704, set 1 mu308): the
    progression after the next line is an endpoint outside the table (rules/endpoints.yaml other_outcomes), not PFS."""
    found = endpoints("With palbociclib, median PFS was 24.2 months and median PFS2 was 31.0 months.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("PFS", "24.2")]


def test_a_letter_opening_with_a_run_in_salutation_is_read(rules, pipes):
    """"To the Editor: We read with interest ..." (made-up set 5 mu1902): the salutation before the colon is no
    structured-abstract label, so the letter's first paragraph is its text, not front matter (rules/sections.yaml
    salutation; "To the Editors," on a line of its own, set 5 mu1910, was read already). No-match: "Keywords:" still
    opens no text."""
    text = ("Letter to the Editor\n\nNeratinib in NEXT-301: which number should we believe?\n\n"
            "To the Editor: We read with interest the final report of NEXT-301, in which neratinib was given after "
            "adjuvant trastuzumab. The 5-year iDFS rate was 90.2% with neratinib versus 87.7% with placebo.\n\n"
            "Our concern is the hormone receptor subgroups. Among patients with hormone receptor-negative disease the "
            "benefit was smaller than the authors suggest, and the confidence interval crossed one.\n\n"
            "Keywords: neratinib; adjuvant therapy; the 5-year iDFS rate of 95.0% in NEXT-301\n")
    ann = annotate_text(text, rules, pipes)
    letter = text.index("To the Editor:")
    assert [s.kind for s in ann.doc.sections if s.char_start <= letter < s.char_end] == ["abstract"]
    found = extract_from_text(extract_endpoints, text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("IDFS", "90.2", "87.7")]


@pytest.mark.parametrize("second", [
    # after the previous sentence's endpoint, before the sentence's own (set 6 mu2114)
    "At the final analysis the corresponding medians were 15.1 and 11.6 months (HR 0.72), and 18-month survival was "
    "40.8% versus 28.3%.",
    # "the medians are X and Y months": the unit after the second value (set 5 mu1902)
    "With 11 more months of follow-up, the medians are 15.1 and 11.6 months.",
])
def test_medians_named_again_after_the_previous_sentences_endpoint(second, rules, pipes):
    text = ("At the interim analysis, overall survival with trastuzumab deruxtecan had crossed the boundary: 14.7 "
            "months versus 11.4 months with ramucirumab plus paclitaxel (HR 0.70). " + second)
    found = endpoints(text, rules, pipes)
    assert ("OS", "15.1", "11.6", "months") in rows(found, "endpoint", "value", "comparator_value", "unit")


def test_with_medians_of_after_the_endpoint_of_the_sentence(rules, pipes):
    """"the progression-free survival advantage seen in the primary analysis was maintained, with medians of 7.9 and
    5.4 months ([HR] 0.61 ...)" (made-up set 2 mu606): the medians are the sentence's endpoint's, however far."""
    found = endpoints("Among patients who completed the questionnaire, the progression-free survival advantage of "
                      "tucatinib seen in the primary analysis was maintained, with medians of 8.1 and 5.6 months "
                      "(HR 0.63; 95% CI, 0.47-0.84).", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "hr") == [("PFS", "8.1", "5.6", "0.63")]



REGISTRY_POSTING = (
    "Results Summary — NCT12345678\n"
    "Official Title: A Randomized Phase 3 Study of Zanidatamab Plus Chemotherapy Compared With Trastuzumab Plus "
    "Chemotherapy in HER2-Positive Gastric Cancer\n"
    "Conditions: Gastric Adenocarcinoma\n"
    "\n"
    "Outcome Measure: Progression-Free Survival (PFS) by Independent Review\n"
    "Type: Primary\n"
    "Time Frame: From randomization until radiological progression or death (up to 40 months)\n"
    "Arm/Group Title: Zanidatamab + Chemotherapy\n"
    "Number Analyzed: 250 participants\n"
    "Measure value: 12.4 months (95% CI 10.9 to 14.1)\n"
    "Arm/Group Title: Trastuzumab + Chemotherapy\n"
    "Measure value: 8.1 months (95% CI 7.0 to 9.3)\n"
    "Statistical method: stratified Cox; Hazard Ratio 0.65 (95% CI 0.52 to 0.81); one-sided P-value 0.0001\n"
    "\n"
    "Outcome Measure: Objective Response Rate (ORR)\n"
    "Arm/Group Title: Zanidatamab + Chemotherapy — Measure value: 72.4 percentage of participants (95% CI 65.0 to 79.0)\n"
    "\n"
    "Outcome Measure: Number of Participants With Treatment-Emergent Adverse Events\n"
    "Zanidatamab + Chemotherapy: 240/250 (96.0%)\n")


def test_a_registry_postings_outcome_block_reports_its_outcome(rules, pipes):
    """A results posting names the outcome once ("Outcome Measure: Progression-Free Survival (PFS)") and gives each arm's
    "Measure value: 8.67 months" and the "Hazard Ratio 0.687" lines under it (made-up set 10 mu3914, set 7 mu2612,
    mu2604; rules/sections.yaml outcome_field); "53.8 percentage of participants" is a percentage. No-match: the
    adverse-event outcome's counts are no efficacy values, and "up to 40 months" in the time frame is none."""
    ann = annotate_text(REGISTRY_POSTING, rules, pipes, name="NCT12345678_results.txt")
    found = extract_endpoints(DocView(ann, rules))
    for m in found:
        assert ann.doc.text[m.prov.char_start:m.prov.char_end] == m.prov.quote
    got = rows(found, "endpoint", "value", "unit", "hr")
    assert ("PFS", "12.4", "months", "") in got and ("PFS", "8.1", "months", "") in got
    assert ("PFS", "", "", "0.65") in got and ("ORR", "72.4", "%", "") in got
    assert len(got) == 4


@pytest.mark.parametrize("sentence,value", [
    ("The median duration of objective response was 19 months with anastrozole.", "19"),
    ("With lapatinib, the median duration of intracranial response was 5.2 months.", "5.2"),
    ("Among the responders to vinorelbine, the median duration of chemotherapy response was 31 weeks.", "31"),
    ("The median duration of treatment response to tamoxifen was 14.5 months.", "14.5"),
])
def test_duration_of_a_qualified_response_is_the_dor(sentence, value, rules, pipes):
    """"duration of objective response" (made-up set 9 mu3208, set 11 mu4014), "of intracranial response" (set 11
    mu4312), "of chemotherapy response" (cdr034), "of treatment response" (real tuning pmid7738618): rules/endpoints.yaml
    DOR synonyms, data only. No-match: "time to response" stays an endpoint outside the table."""
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == [("DOR", value)]


def test_time_to_response_is_no_duration_of_response(rules, pipes):
    assert endpoints("The median time to response with anastrozole was 3.1 months.", rules, pipes) == []


def test_an_agency_list_after_approved_by_is_one_event_per_agency(rules, pipes):
    """"approved by the FDA, the EMA and Japan's PMDA" (made-up set 5 mu1606): an agency in a list is no new clause's
    subject (rules/regulatory.yaml clause_break). No-match: "..., the NCCN panel lists Y" still opens a clause."""
    found = events("Zolbetuximab is approved by the FDA, the EMA and Japan's PMDA for claudin 18.2-positive gastric "
                   "cancer.", rules, pipes)
    assert sorted(rows(found, "agency", "drug")) == [("EMA", "zolbetuximab"), ("FDA", "zolbetuximab"),
                                                     ("PMDA", "zolbetuximab")]
    found = events("The CSCO guideline grades pyrotinib as level I, the NCCN panel lists neratinib as category 2B.",
                   rules, pipes)
    assert sorted(rows(found, "agency", "drug")) == [("CSCO", "pyrotinib"), ("NCCN", "neratinib")]


SLIDE_DECK = ("Corporate Presentation - January 2026\n"
              "Building a HER2 franchise with tucatinib\n\n"
              "Slide 4 | Tucatinib (ONT-380) at a glance\n"
              "• Oral, HER2-selective tyrosine kinase inhibitor\n"
              "• FDA accelerated approval (January 2023) for RAS wild-type HER2-positive colorectal cancer\n"
              "• Approved by the PMDA for HER2-positive colorectal cancer in September 2024\n\n"
              "Slide 6 | MOUNTAINEER-X (NCT12345678): phase 2, 3L colorectal cancer\n"
              "• Cohorts A and B (n = 84): confirmed ORR 38.1% (95% CI 27.7-49.3) by central review\n"
              "• Median PFS 8.2 months; median OS 24.1 months (95% CI 20.3-36.7)\n")


def test_a_slide_heading_with_a_bar_and_a_bulleted_line_are_read_as_such(rules, pipes):
    """"Slide 4 | Zanidatamab (ZW25) at a glance" is a slide's heading (rules/sections.yaml slide_headings) and a
    bulleted line ("• Approved by the NMPA for 2L HER2-positive BTC in May 2025") is a statement, never a heading
    (made-up set 13 mu4910, mu4914): the slide's events take the drug its heading names. No-match: a numbered line
    ("1. XZ-M07B2 (HER2/TOP1 bispecific ADC)", set 6 mu2314) still heads its section."""
    ann = annotate_text(SLIDE_DECK, rules, pipes, name="deck.txt")
    headings = [s.heading for s in ann.doc.sections]
    assert "Slide 4 | Tucatinib (ONT-380) at a glance" in headings
    assert not any(h.startswith("Approved by the PMDA") for h in headings)
    found = extract_approvals(DocView(ann, rules))
    assert sorted(rows(found, "agency", "drug", "date")) == [("FDA", "tucatinib", "2023-01"), ("PMDA", "tucatinib", "2024-09")]
    numbered = annotate_text("Horizon scan of HER2-directed agents\n\nScope. Agents not yet licensed in the UK that may "
                             "reach the clinic within three years, with their regulatory status.\n\n"
                             "1. XZ-M07B2 (HER2/TOP1 bispecific ADC)\n"
                             "Regulatory: Breakthrough Therapy designation from the US FDA (3 March 2025) for HER2-positive "
                             "breast cancer after trastuzumab deruxtecan.\n", rules, pipes, name="scan.txt")
    assert "1. XZ-M07B2 (HER2/TOP1 bispecific ADC)" in [s.heading for s in numbered.doc.sections]


@pytest.mark.parametrize("sentence,expected", [
    # set 11 mu4002: a list "as follows" of sites, each a comparison
    ("Patients were randomly assigned to letrozole or tamoxifen. Response by dominant site of disease was as follows: "
     "soft tissue, 41% versus 49%; bone, 27% versus 20%; viscera, 14% versus 17%.", [("ORR", "41", "49"), ("ORR", "27", "20"), ("ORR", "14", "17")]),
    # set 11 mu4208: subgroups in a bracket after the whole group's value
    ("For HER2-low disease, the ORR with neratinib was 38.2% (HR-positive, 40.1%; HR-negative, 31.5%).",
     [("ORR", "38.2", ""), ("ORR", "40.1", ""), ("ORR", "31.5", "")]),
    # set 11 mu4212: the next item after a comparison and its hazard ratio
    ("Three-year EFS with pembrolizumab: 83.0% versus 74.6% overall (HR 0.66); node-positive, 78.9% versus 63.4% "
     "(HR 0.57); node-negative, 86.1% versus 84.2% (HR 0.88).",
     [("EFS", "83.0", "74.6"), ("EFS", "78.9", "63.4"), ("EFS", "86.1", "84.2")]),
])
def test_the_next_labelled_item_of_a_list_of_groups_takes_the_endpoint(sentence, expected, rules, pipes):
    """"soft tissue, 46% versus 52%; bone, 31% versus 18%; viscera, 12% versus 15%", "(HR-positive, 49.8%;
    HR-negative, 41.5%)", "; node-negative, 85.1% versus 83.2%" (set 11 tuning documents mu4002, mu4208, mu4212; set 7
    mu2510 "HR−: 46%; HR+: 31%"): after a value of the endpoint, a short label and a comma or colon open the next
    group's value of the same endpoint. No-match below: a toxicity grade, a landmark, a treatment as the label."""
    found = endpoints(sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # a toxicity grade is no group of the endpoint
    ("The ORR with neratinib was 38.2%; grade 3, 17.3% of patients had diarrhoea.", [("ORR", "38.2")]),
    # "; at one year, ..." is a landmark, "; of the X group, ..." a clause: not a list's label
    ("The ORR with neratinib was 38.2%; of the HER2-low group, 71.1% were hormone receptor-positive.", [("ORR", "38.2")]),
])
def test_a_label_that_is_a_grade_or_a_clause_opens_no_group_value(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 30 mu11810, set 44 mu17306 and mu17302: a congress record's cohort codes, no comma after the label
    ("Patients received anbenitamab plus docetaxel. ORR: C1 40.7% (11/27); C2 35.3% (6/17); C3 21.4% (3/14).", [("ORR", "40.7"), ("ORR", "35.3"), ("ORR", "21.4")]),
    ("Patients received furmonertinib. mPFS: C1 11.3 mo (95% CI 9.1-13.6); C2 NR (95% CI 12.5-NE); C3 5.6 mo (95% CI 4.1-8.2).",
     [("PFS", "11.3"), ("PFS", "NR"), ("PFS", "5.6")]),
    # set 56 mu22012: "for" and a group, then the count before the percentage
    ("Sixty-four patients received formestane. Response rates by receptor level were as follows: for ER greater than 50 fmol/mg, 6/17 (35%); for ER 10-50 "
     "fmol/mg, 3/14 (21%); for receptor-unknown cases, 2/22 (9%).", [("ORR", "35"), ("ORR", "21"), ("ORR", "9")]),
    # real extra pmid3368798: complete plus partial responses over the group's size, "and" before the last item
    ("Sixty-four patients received megestrol. Response for ER less than 30 fmol/mg was 2 + 6/39 (21%); for ER 30 to 50, "
     "1 + 5/16 (40%); and for those with one positive receptor, 0 + 12/47 (26%).", [("ORR", "21"), ("ORR", "40"), ("ORR", "26")]),
])
def test_a_coded_label_or_a_counted_group_opens_the_next_value_of_the_list(sentence, expected, rules, pipes):
    """The list's next item may be a short code with no comma ("; C2 35.3%", "; IHC 3+ 56.3%") or a group whose
    count comes before the percentage ("; for ER 10-50 fmol/mg, 3/14 (21%)"). No-match below: a clause of words before
    a percentage, another rate named as the label, the arms' own values, which compare."""
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 50 mu19902: a clause, not a label
    ("Bevacizumab added to carboplatin-paclitaxel improved median overall survival "
     "from 10.2 to 11.9 months and the response rate from 16.2% to 31.6%; pulmonary haemorrhage was fatal in 1.2% of patients.", [("OS", "11.9"), ("ORR", "31.6")]),
    # set 4 mu1206: a complete-response rate is not the ORR's next group
    ("Confirmed ORR with disitamab vedotin: 76.1% in arm A against 50.2% in arm B; CR rates 16.9% vs 6.2%.",
     [("ORR", "76.1")]),
])
def test_words_or_another_rate_before_a_value_open_no_list_item(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


def test_two_arms_labelled_in_a_list_are_one_value_and_its_comparator(rules, pipes):
    # set 16 mu6010: "group 1 ...; group 2 ..." are the arms, so the second is no value of its own
    found = endpoints("Patients were randomised to palbociclib, trastuzumab and fulvestrant (group 1) or chemotherapy "
                      "with trastuzumab (group 2). Overall response: group 1, 22 of 61 evaluable patients (36.1%); "
                      "group 2, 19 of 58 (32.8%).", rules, pipes)
    assert ("ORR", "32.8") not in rows(found, "endpoint", "value")


def test_a_treatment_as_the_label_is_no_group_of_the_endpoint(rules, pipes):
    found = endpoints("The ORR was 52.0% with trastuzumab deruxtecan; capecitabine, 16.4%.", rules, pipes)
    assert ("ORR", "16.4") not in rows(found, "endpoint", "value")


@pytest.mark.parametrize("text,first,value", [
    # set 2 mu712
    ("In the 4.8 mg/kg cohort, the ORR was 71.2% (37/52); in the 6.4 mg/kg cohort it was 68.6% (35/51).", "71.2", "68.6"),
    # set 1 mu214
    ("In the 4.8 mg/kg cohort, 35 of 60 patients (58.3%; 95% CI, 44.9 to 70.9) had a confirmed objective response, "
     "and in the 6.4 mg/kg cohort, 31 of 60 (51.7%; 95% CI, 38.4 to 64.8).", "58.3", "51.7"),
])
def test_a_dose_cohort_before_the_next_value_is_removed_whole(text, first, value, rules, pipes):
    """"In the 4.8 mg/kg cohort, the ORR was 71.2%; in the 6.4 mg/kg cohort it was 68.6%": the dose arm before a
    value is taken out whole before the last words before the value are searched for harm or dose words (they were
    cut first, leaving "he 6.4 mg/kg cohort", whose "mg/kg" then read as a dose). Set 1 mu214, set 2 mu712. No-match:
    a harm's rate in a dose cohort is still no efficacy value."""
    found = endpoints("Patients received SHR-A1811. " + text, rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", first), ("ORR", value)]


def test_a_harm_in_a_dose_cohort_is_no_value(rules, pipes):
    found = endpoints("Patients received SHR-A1811. The ORR was 71.2%; in the 6.4 mg/kg cohort, grade 3 neutropenia "
                      "occurred in 18.0%.", rules, pipes)
    assert rows(found, "endpoint", "value") == [("ORR", "71.2")]


def test_biomarker_cohorts_after_two_values_are_no_arms(rules, pipes):
    """"Median PFS was 7.9 months in the IHC 2+/ISH- cohort and 5.5 months in the IHC 1+ cohort": two biomarker
    cohorts, each its own result, not an arm and its comparator (set 2 mu708; set 8 mu3010, "... in the HER2-low
    group and 19.5% and 7.7% in the IHC 0 group", lost a false value). No-match below: cohorts named by their
    treatment stay a comparison."""
    found = endpoints("Patients received BSA-0917. Median PFS was 7.9 months (95% CI, 6.1-9.8) in the IHC 2+/ISH- "
                      "cohort and 5.5 months in the IHC 1+ cohort.", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("PFS", "7.9", ""), ("PFS", "5.5", "")]


def test_treatment_cohorts_after_two_values_stay_a_comparison(rules, pipes):
    found = endpoints("Median PFS was 7.9 months in the pyrotinib cohort and 5.5 months in the lapatinib cohort.",
                      rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("PFS", "7.9", "5.5")]


@pytest.mark.parametrize("sentence", [
    # set 10 mu3710
    "Patients received zanidatamab. A confirmed objective response was seen in 31.1% of patients in group 1 as against "
    "67.7% in group 2 and 59.0% in group 3, with median durations of response of 6.0, 11.1 and 9.2 months, respectively.",
    # set 13 mu4812
    "Patients received tucatinib. The confirmed objective response rate was 71.8% in arm 1, 47.2% in arm 2 and 51.4% in "
    "arm 3, and the median duration of response was 6.0, 11.1 and 9.2 months, respectively.",
])
def test_a_respectively_list_is_not_taken_as_an_earlier_lists_populations(sentence, rules, pipes):
    """"... 67.7% in group 2 and 59.0% in group 3, with median durations of response of 6.0, 11.1 and 9.2 months,
    respectively": the "respectively" list is the three durations; the populations of a list hold no value of their
    own, so "2 and 59.0% in group 3, with ... 9.2 months" is no list (set 10 mu3710, set 13 mu4812). No-match below:
    populations with numbers of their own ("in the 5.4 and 6.4 mg/kg cohorts") are still read."""
    found = endpoints(sentence, rules, pipes)
    dor = [r for r in rows(found, "endpoint", "value", "comparator_value") if r[0] == "DOR"]
    assert dor == [("DOR", "6.0", ""), ("DOR", "11.1", ""), ("DOR", "9.2", "")]


def test_populations_with_numbers_of_their_own_are_still_a_respectively_list(rules, pipes):
    found = endpoints("Median PFS with trastuzumab deruxtecan was 5.5 and 15.1 months in the 5.4 and 6.4 mg/kg cohorts, "
                      "respectively.", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "population") == [
        ("PFS", "5.5", "", "5.4 mg/kg"), ("PFS", "15.1", "", "6.4 mg/kg")]


@pytest.mark.parametrize("sentence,endpoint", [
    # set 12 mu3808: "overall" is the first group
    ("In the PANORAMA-02 study of trastuzumab deruxtecan the ORR was 37.1% overall and 61.3% in patients with IHC 3+ "
     "tumours, with median DOR of 11.3 months and 22.1 months, respectively.", "DOR"),
    # set 13 mu5104: the groups of the first list, another list between
    ("With trastuzumab deruxtecan the ORR was 36.4% in HER2-positive patients and 12.5% in HER2-low disease, with "
     "median PFS of 5.1 and 3.5 months and median OS of 11.3 and 22.1 months, respectively.", "OS"),
])
def test_a_respectively_list_after_a_list_of_groups_gives_one_value_per_group(sentence, endpoint, rules, pipes):
    """"the ORR was 37.1% overall and 61.3% in patients with IHC 3+ tumours, with median DOR of 11.3 months and 22.1
    months, respectively": the list follows the groups of the list before it, one value each, no comparison
    (extends the rule of "72.8% of radiotherapy-naive patients and 41.4% of those progressing after radiotherapy, with
    median PFS of 11.9 and 5.8 months, respectively"). Each extension rests on one tuning document (set 12 mu3808,
    set 13 mu5104). No-match below: two arms named by their drugs stay a comparison."""
    found = [r for r in rows(endpoints(sentence, rules, pipes), "endpoint", "value", "comparator_value") if r[0] == endpoint]
    assert found == [(endpoint, "11.3", ""), (endpoint, "22.1", "")]


def test_a_respectively_list_after_two_arms_stays_a_comparison(rules, pipes):
    found = endpoints("The ORR was 36.4% with trastuzumab deruxtecan and 12.5% with chemotherapy, with median OS of "
                      "11.3 and 8.9 months, respectively.", rules, pipes)
    assert ("OS", "11.3", "8.9") in rows(found, "endpoint", "value", "comparator_value")


def test_patients_grouped_by_their_response_to_an_earlier_treatment_do_not_name_the_regimen(rules, pipes):
    """"Patients achieving complete or partial response to chemotherapy fared better than those with stable disease
    (median PFS 7.4 vs 4.0 months)" in a record of avelumab maintenance: chemotherapy was given before; the value is
    avelumab's (rules/attribution.yaml responded_to_before; set 2 mu512, set 12 mu4612). No-match: "the response
    rate to T-DM1" names the regimen studied."""
    text = ("Maintenance avelumab after first-line chemotherapy was studied in 400 patients. Patients achieving "
            "complete or partial response to chemotherapy fared better than those with stable disease (median PFS "
            "7.4 vs 4.0 months).")
    # (each group its own value: test_patient_groups_contrasted_each_have_their_own_value)
    assert rows(endpoints(text, rules, pipes), "endpoint", "value", "drug") == [("PFS", "7.4", "avelumab"), ("PFS", "4.0", "avelumab")]
    found = endpoints("Patients were treated with trastuzumab emtansine. The response rate to T-DM1 was 44%.", rules, pipes)
    assert rows(found, "endpoint", "value", "drug") == [("ORR", "44", "trastuzumab emtansine")]


@pytest.mark.parametrize("sentence,values", [
    # set 11 mu4308
    ("Patients received zanidatamab. Among anatomic subtypes, response rates were 46.3% for gallbladder cancer, 38.5% "
     "for intrahepatic cholangiocarcinoma, and 30.8% for extrahepatic cholangiocarcinoma.", ["46.3", "38.5", "30.8"]),
    # set 11 mu4412
    ("Patients received carboplatin and paclitaxel. A pathological complete response was achieved in 47 (29%) of 161 "
     "patients: 49% of those with squamous cell carcinoma and 23% of those with adenocarcinoma.", ["29", "49", "23"]),
    # set 12 mu4506
    ("Patients received capmatinib. The ORR was 48.4% (15/31), reaching 66.7% (8 of 12) in patients without previous "
     "systemic therapy for metastatic disease other than immunotherapy and 36.8% (7 of 19) in those with two or more "
     "previous lines.", ["48.4", "66.7", "36.8"]),
    # set 58 mu23106: a comma alone joins the list's groups
    ("Patients received trastuzumab with CAPOX. The objective response rate by local investigators was 51.5% (35/68) in "
     "the intention-to-treat population, 61.4% (35/57) in the per-protocol population and 55.6% (35/63) among "
     "efficacy-evaluable patients.", ["51.5", "61.4", "55.6"]),
])
def test_the_next_value_of_a_list_of_groups_follows_a_long_group(sentence, values, rules, pipes):
    """"46.3% for gallbladder cancer, 38.5% for intrahepatic cholangiocarcinoma, and 30.8% for extrahepatic
    cholangiocarcinoma": the value after the last value's group (however long) and the list's joiner is the same
    endpoint's (was: only within 40 characters). Set 11 mu4308, mu4412, set 12 mu4506, real extra pmid28705409.
    No-match below: a harm after the group is still no value."""
    assert [r[1] for r in rows(endpoints(sentence, rules, pipes), "endpoint", "value")] == values


def test_a_harm_after_a_long_group_is_no_value(rules, pipes):
    found = endpoints("Patients received zanidatamab. The ORR was 46.3% for gallbladder cancer and intrahepatic "
                      "cholangiocarcinoma together, and grade 3 diarrhoea 12.0%.", rules, pipes)
    assert [r[1] for r in rows(found, "endpoint", "value")] == ["46.3"]


@pytest.mark.parametrize("text,hrs", [
    # set 11 mu4108
    ("Median PFS was 16.1 months with pertuzumab versus 10.6 months with placebo (HR = 0.68). Benefit was apparent "
     "irrespective of hormone receptor status (HR = 0.72 for positive and 0.55 for negative disease).",
     ["0.68", "0.72", "0.55"]),
    # set 10 mu3706
    ("Median OS was 26.4 months with zanidatamab versus 19.2 months with trastuzumab. By region, the OS HR for ZTC vs "
     "TC was 0.68 in Asia and 0.79 in the rest of the world.", ["0.68", "0.79"]),
    # set 14 mu5302, mu5508: groups holding whole numbers
    ("With ZK-4471, the EFS benefit was seen across PD-L1 subgroups, with hazard ratios of 0.39 for TPS of 50% or more, "
     "0.58 for TPS 1-49% and 0.71 for TPS below 1%.", ["0.39", "0.58", "0.71"]),
    ("With disitamab vedotin plus toripalimab, the PFS hazard ratio was 0.31 among IHC 2+ or 3+ tumours and 0.48 among "
     "IHC 1+ tumours.", ["0.31", "0.48"]),
    # no-match: a group holding a decimal number is no group of a bare ratio
    ("With ZK-4471, the EFS hazard ratio was 0.62 for a CPS of 1.5 or more and 0.81 for the others.", ["0.62"]),
])
def test_the_next_groups_bare_hazard_ratio_after_a_hazard_ratios_group(text, hrs, rules, pipes):
    """"HR = 0.72 for positive and 0.55 for negative disease", "the OS HR ... was 0.68 in Asia and 0.79 in the rest
    of the world": after a hazard ratio's group, "and" and a bare ratio with a group of its own is the next group's
    hazard ratio (set 11 mu4108, set 10 mu3706). No-match below: a bare number after a group with no group of its own
    ("and 0.5 mg/kg doses") is no ratio."""
    assert [m.hr for m in endpoints(text, rules, pipes) if m.hr] == hrs


def test_a_bare_number_after_a_hazard_ratios_group_without_a_group_is_no_ratio(rules, pipes):
    found = endpoints("Median OS was 26.4 months with zanidatamab versus 19.2 months with trastuzumab (HR 0.68 in Asia "
                      "and 0.79).", rules, pipes)
    assert [m.hr for m in found if m.hr] == ["0.68"]


@pytest.mark.parametrize("text,expected", [
    # set 9 mu3704: a sentence of rates between
    ("Median PFS was longer with adagrasib than with docetaxel (5.6 vs 3.9 months; HR 0.59). PFS rates at 12 months "
     "were 27.4% and 9.8%. The benefit was consistent across prespecified subgroups, including patients with brain "
     "metastases at baseline (HR 0.52) and those with STK11 co-mutations (HR 0.66).", ["0.59", "0.52", "0.66"]),
    # set 11 mu4204: a sentence between whose ratios name no endpoint
    ("Median PFS was 16.4 months with niraparib and 11.0 months with placebo (HR 0.39). Among HRD-positive patients "
     "the corresponding medians were 21.9 and 10.4 months (HR 0.51). Benefit was seen regardless of surgical outcome: "
     "the HR was 0.58 (0.42-0.80) after complete cytoreduction.", ["0.39", "0.51", "0.58"]),
])
def test_a_hazard_ratio_naming_no_endpoint_takes_the_nearest_earlier_hazard_ratios_endpoint(text, expected, rules, pipes):
    """A sentence giving a hazard ratio and naming no endpoint continues the nearest earlier sentence of its paragraph
    (at most three back) that gives one for a named endpoint (was: only the sentence right before). Set 9 mu3704, set
    11 mu4108, mu4204, set 12 mu4406, set 2 mu612, set 7 mu2610. No-match below: another outcome named in the
    sentence ("time to deterioration") keeps the ratio out."""
    found = [(m.endpoint, m.hr) for m in endpoints(text, rules, pipes) if m.hr]
    assert found == [("PFS", hr) for hr in expected]


def test_a_hazard_ratio_for_another_outcome_does_not_take_an_earlier_endpoint(rules, pipes):
    found = endpoints("Median PFS was longer with adagrasib than with docetaxel (5.6 vs 3.9 months; HR 0.59). PFS rates "
                      "at 12 months were 27.4% and 9.8%. Time to deterioration of quality of life was longer too (HR "
                      "0.72).", rules, pipes)
    assert [m.hr for m in found if m.hr] == ["0.59"]


@pytest.mark.parametrize("sentence,expected", [
    # set 2 mu712
    ("With SHR-A1811 the DCRs were 96.2% and 94.1% in the 4.8 and 6.4 mg/kg cohorts, respectively.",
     [("DCR", "96.2"), ("DCR", "94.1")]),
    ("With trastuzumab deruxtecan the pCRs were 61.1% and 45.0% in the 5.4 and 6.4 mg/kg cohorts, respectively.",
     [("PCR", "61.1"), ("PCR", "45.0")]),
])
def test_an_endpoint_abbreviation_in_the_plural(sentence, expected, rules, pipes):
    """"DCRs were 96.2% and 94.1%, respectively": an endpoint's abbreviation of four characters or fewer is also read in
    the plural (set 2 mu712; "ORRs", "RRs" had been listed one by one). No-match: a longer capitalised form is not
    pluralised, so "OTHER" (the canonical name of outcomes outside the table) does not read "others" as an endpoint."""
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


def test_others_is_no_endpoint(rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\nOther tumours (salivary gland and others): 30.0%. The DCRs and ORRs "
                        "were high.", rules, pipes)
    assert [e.text for e in ann.entities if e.label == "ENDPOINT"] == ["DCRs", "ORRs"]


def test_a_colon_ends_the_size_of_a_difference(rules, pipes):
    """"... and found no improvement: median PFS was 9.6 months with trastuzumab versus 8.5 months without": the words
    after the colon state the value, not the size of an improvement (rules/values.yaml size_of_difference; set 3
    mu1116). Match kept: "the difference in iDFS between the groups was 2.1%" is no iDFS value."""
    found = endpoints("The trial added trastuzumab to gemcitabine and platinum in 61 patients and found no improvement: "
                      "median PFS was 9.6 months with trastuzumab versus 8.5 months without.", rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == [("PFS", "9.6", "8.5")]
    found = endpoints("With neratinib the 5-year iDFS was 90.2%; the difference in iDFS between the groups was 2.5%.",
                      rules, pipes)
    assert rows(found, "endpoint", "value") == [("IDFS", "90.2")]


@pytest.mark.parametrize("title,drug", [
    # set 13 mu4902: the name with its bracketed aliases, a comparator the lexicon has no drug for
    ("Trastuzumab Deruxtecan (T-DXd; DS-8201a) vs Treatment of Physician's Choice in HER2-Low Metastatic Breast Cancer",
     "trastuzumab deruxtecan"),
    # set 10 mu3912: two drugs either side of "vs"
    ("Datopotamab Deruxtecan (Dato-DXd) vs Docetaxel in Previously Treated Advanced NSCLC", "datopotamab deruxtecan"),
])
def test_a_slide_decks_title_slide_names_the_regimen_of_its_values(title, drug, rules, pipes):
    """A slide deck exported as text opens with its title slide ("[Slide 1]", "Slide 1 – TROPIC-L7") whose first line
    is the deck's title; a value on a later slide naming no drug takes the regimen that title studies, the one before
    "vs" (set 13 mu4902, set 10 mu3912). No-match below: a deck whose title names a class ("CDK4/6 inhibitors in the
    adjuvant setting") gives its values no drug."""
    text = (f"[Slide 1]\n{title}\nOral presentation, 2025 annual meeting\n\n[Slide 2] Study design\n"
            "• Randomized 2:1 (N = 412)\n\n[Slide 3] Key efficacy results\n• Median PFS: 8.9 vs 4.2 months\n"
            "• Confirmed ORR: 51.6% vs 17.5%\n")
    ann = annotate_text(text, rules, pipes, name="deck.txt")
    found = extract_endpoints(DocView(ann, rules))
    assert rows(found, "endpoint", "value", "drug") == [("PFS", "8.9", drug), ("ORR", "51.6", drug)]


def test_a_slide_deck_about_a_class_names_no_regimen(rules, pipes):
    text = ("[Slide 1]\nCDK4/6 inhibitors in the adjuvant setting: where are we in 2025?\n\n[Slide 2] Results\n"
            "• Median PFS: 8.9 vs 4.2 months\n")
    ann = annotate_text(text, rules, pipes, name="deck.txt")
    assert [m.drug for m in extract_endpoints(DocView(ann, rules))] in ([], [""])


@pytest.mark.parametrize("sentence,drug", [
    ("Disitamab vedotin plus a PD-1 inhibitor gave an ORR of 40.0%.", "disitamab vedotin + pd-1 inhibitor"),
    ("An anti-PD-1 antibody plus fluoropyrimidine-platinum chemotherapy gave an ORR of 56.1%.",
     "chemotherapy + pd-1 inhibitor"),
    ("Adding a PD-1 or PD-L1 inhibitor to platinum-based chemotherapy gave an ORR of 51.7%.",
     "chemotherapy + pd-1/pd-l1 inhibitor"),
])
def test_checkpoint_inhibitors_named_by_their_target_are_drugs(sentence, drug, rules, pipes):
    """"disitamab vedotin plus a PD-1 inhibitor", "an anti-PD-1 antibody plus chemotherapy", "a PD-1 or PD-L1
    inhibitor" name a regimen's partner by its class (rules/drugs.yaml pd1_inhibitor, pd1_pdl1_inhibitor,
    pd_l_1_inhibitor; set 10 mu3610 and the other tuning documents the entries name). No-match: "PD-L1 expression",
    "PD-L1-positive tumours" name no drug."""
    assert rows(endpoints(sentence, rules, pipes), "drug") == [(drug,)]
    ann = annotate_text("Review\n\nIntroduction\n\nPD-L1 expression and PD-1-positive cells were scored.", rules, pipes)
    assert not [e for e in ann.entities if e.label == "DRUG"]


def test_a_checkpoint_class_beside_its_member_is_that_member(rules, pipes):
    """"Pembrolizumab, a PD-1 inhibitor, gave ...": the class covers the drug beside it (rules/drugs.yaml `members`),
    so the mention's regimen is pembrolizumab, not two agents."""
    from pipeline.extract import annotated_to_mentions

    ann = annotate_text("Review\n\nIntroduction\n\nPembrolizumab, a PD-1 inhibitor, gave an ORR of 33.0% in "
                        "PD-L1-positive gastric cancer.", rules, pipes)
    assert [(m.endpoint, m.drug) for m in annotated_to_mentions(ann, rules) if m.kind == "endpoint"] == [
        ("ORR", "pembrolizumab")]


@pytest.mark.parametrize("sentence,expected", [
    # set 5 mu1906
    ("A Japanese investigator-initiated trial of trastuzumab deruxtecan reported a 36.4% response rate (8 of 22) in "
     "HER2-positive disease.", [("ORR", "36.4")]),
    # set 10 mu3812
    ("Disitamab vedotin was compared with the 62.7% pCR of trastuzumab deruxtecan in the neoadjuvant trial.",
     [("PCR", "62.7")]),
    # set 11 mu4104
    ("With sorafenib, 4.2% of patients achieved an objective response and 52.6% disease control.",
     [("ORR", "4.2"), ("DCR", "52.6")]),
])
def test_a_rate_right_before_its_endpoint(sentence, expected, rules, pipes):
    """"a 36.4% response rate", "the 62.7% pCR of T-DXd", "52.6% disease control": a percentage right before a rate
    endpoint is its value (set 3 mu1102, set 5 mu1906, set 10 mu3812, set 11 mu4104). No-match below: a duration
    before a rate endpoint, and a percentage before a time endpoint, are not read this way."""
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


def test_a_percentage_right_before_a_time_endpoint_is_not_its_value(rules, pipes):
    found = endpoints("With sorafenib, 40.2% OS benefit was claimed by the sponsor.", rules, pipes)
    assert rows(found, "endpoint", "value") == []


@pytest.mark.parametrize("title", [
    # set 12 mu4408
    "Relatlimab-nivolumab versus nivolumab in previously untreated advanced melanoma (LYRA-301): 3-year results of a "
    "randomised, phase 3 trial.",
    # set 7 mu2608
    "A Randomized Phase 2 Study of Relatlimab and Nivolumab in Previously Untreated Advanced Melanoma (LYRA-301).",
])
def test_a_drug_shaped_code_in_a_titles_trial_slot_is_the_study(title, rules, pipes):
    """"... advanced melanoma (LYRA-301): 3-year results": a code bracketed at the end of a record's title is the
    study's name, not a drug of the regimen, though it has a sponsor code's shape (set 12 mu4408, set 7 mu2608). No-match
    below: a code bracketed right after a drug's name is that drug."""
    text = title + "\n\nMedian progression-free survival was 16.2 months with relatlimab-nivolumab and 11.5 months with nivolumab."
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "drug", "trial") == [("PFS", "16.2", "nivolumab + relatlimab", "LYRA-301")]


def test_a_code_bracketed_after_a_drug_in_the_title_is_that_drug(rules, pipes):
    text = ("Trastuzumab deruxtecan (DS-8201a) in previously treated HER2-low breast cancer: a phase 2 study.\n\n"
            "Median progression-free survival with DS-8201a was 8.9 months.")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "drug", "trial") == [("PFS", "8.9", "trastuzumab deruxtecan", "")]


@pytest.mark.parametrize("title,trial", [
    ("NEXUS-B1: Neratinib Plus Capecitabine Versus Lapatinib Plus Capecitabine in Previously Treated HER2-Positive "
     "Metastatic Breast Cancer", "NEXUS-B1"),                                   # set 5 mu1802
    ("TUCANO-RW: Real-world effectiveness of tucatinib plus trastuzumab and capecitabine after trastuzumab "
     "deruxtecan", "TUCANO-RW"),                                                 # set 13 mu4912
])
def test_a_longer_texts_title_opening_with_a_study_name_names_its_trial(title, trial, rules, pipes):
    """"NEXUS-B1: Neratinib Plus Capecitabine Versus ...": a title opening with a study's name and a colon names the
    trial of an article's results (rules/trial_patterns.yaml title_leading_name; set 5 mu1802, set 10 mu3908, set 13
    mu4912). No-match below: a heading word ("BACKGROUND:") or a drug's name before the colon names no trial."""
    text = (f"ORIGINAL REPORT\n\n{title}\n\nMethods\n\nPatients were randomly assigned to the two arms.\n\nResults\n\n"
            "Median progression-free survival was 8.8 months with neratinib plus capecitabine.\n")
    ann = annotate_text(text, rules, pipes, name="article.txt")
    assert rows(extract_endpoints(DocView(ann, rules)), "endpoint", "value", "trial") == [("PFS", "8.8", trial)]


@pytest.mark.parametrize("title", [
    "BACKGROUND: Neratinib Plus Capecitabine in HER2-Positive Metastatic Breast Cancer",
    "T-DXd: A New Standard in HER2-Low Metastatic Breast Cancer",
])
def test_a_title_opening_with_a_heading_word_or_a_drug_names_no_trial(title, rules, pipes):
    text = (f"ORIGINAL REPORT\n\n{title}\n\nMethods\n\nPatients were randomly assigned to the two arms.\n\nResults\n\n"
            "Median progression-free survival was 8.8 months with neratinib plus capecitabine.\n")
    ann = annotate_text(text, rules, pipes, name="article.txt")
    assert rows(extract_endpoints(DocView(ann, rules)), "endpoint", "value", "trial") == [("PFS", "8.8", "")]


@pytest.mark.parametrize("sentence", [
    # set 13 mu5110
    "In comparison, a median OS of 6-8 months is the commonly cited expectation with salvage chemotherapy.",
    # set 13 mu5102
    "In chemorefractory disease outcomes with regorafenib are poor, with a median OS of roughly 6-7 months in historical "
    "series.",
])
def test_a_general_benchmark_is_no_result(sentence, rules, pipes):
    """"a median OS of 6-8 months is the commonly cited expectation", "roughly 6-7 months in historical series": a
    benchmark, no study's result (rules/values.yaml benchmark_after; set 13 mu5110, mu5102). No-match below: a study's
    value beside its historical control is still read."""
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == []


def test_a_value_beside_a_historical_control_is_read(rules, pipes):
    found = endpoints("With tucatinib the ORR was 38.1%, against 12.0% in the historical-control arm.", rules, pipes)
    assert ("ORR", "38.1") in rows(found, "endpoint", "value")


@pytest.mark.parametrize("text,expected", [
    # set 3 mu1006: the regimen after a bare "with", the second arm before a bracket
    ("Patients were randomly assigned to TCHP or TCH. tpCR was achieved in 61/109 (56.0%) patients with TCHP and "
     "42/111 (37.8%) with TCH (difference 18.2%; p = 0.007).", [("PCR", "56.0", "37.8")]),
    # set 5 mu1802: "v" between the arms
    ("Patients were randomly assigned to neratinib plus capecitabine (N+C) or lapatinib plus capecitabine (L+C). "
     "Objective responses were seen in 98 of 299 (32.8%) receiving N+C v 80 of 300 (26.7%) receiving L+C.",
     [("ORR", "32.8", "26.7")]),
])
def test_counted_shares_of_two_arms_named_by_their_regimens_are_one_comparison(text, expected, rules, pipes):
    """"61/109 (56.0%) patients with TCHP and 42/111 (37.8%) with TCH", "98 of 299 (32.8%) receiving N+C v 80 of 300
    (26.7%) receiving L+C": one value and its comparator (set 3 mu1006, set 5 mu1802, set 6 mu2102). No-match below:
    three arms listed by their counts are three values (set 8 mu2910)."""
    assert rows(endpoints(text, rules, pipes), "endpoint", "value", "comparator_value") == expected


def test_counted_shares_of_three_arms_are_three_values(rules, pipes):
    found = endpoints("A pCR was achieved by 58 of 101 patients (57.4%) with TCHP, 46 of 102 (45.1%) with trastuzumab "
                      "emtansine plus pertuzumab, and 66 of 100 (66.0%) with pembrolizumab plus THP.", rules, pipes)
    assert [r[1] for r in rows(found, "endpoint", "value")] == ["57.4", "45.1", "66.0"]


@pytest.mark.parametrize("text,expected", [
    # set 1 mu208: the ratio, a semicolon, then the landmark rates of the same endpoint
    ("After a median follow-up of 8.1 years, OS did not differ between neratinib and placebo (HR, 0.95; 95% CI, 0.75 "
     "to 1.21; P = .69); 8-year OS was 90.1% and 90.2%, respectively.", [("OS", "90.1", "90.2", "0.95")]),
    # set 11 mu4204: the ratio, then ", with" the rates
    ("With niraparib, overall survival remained immature (HR 0.90; 95% CI 0.71-1.14), with 4-year OS rates of 63.8% "
     "and 60.5%, respectively.", [("OS", "63.8", "60.5", "0.90")]),
    # set 2 mu620: "the pooled hazard ratio was ..., and the 8-year OS estimates were ..."
    ("For overall survival with trastuzumab the pooled hazard ratio was 1.09 (95% CI = 0.93-1.28), and the 8-year OS "
     "estimates were 90.2% and 90.9%, respectively.", [("OS", "90.2", "90.9", "1.09")]),
])
def test_a_hazard_ratio_before_its_comparison_in_the_same_sentence_joins_it(text, expected, rules, pipes):
    """The gold's rule (tests/gold/abstracts/README.md): a hazard ratio goes on the entry of the comparison it belongs
    to, the same sentence's medians or rates, also when it is stated before them; not an entry of its own."""
    found = endpoints(text, rules, pipes)
    assert [(m.endpoint, m.value, m.comparator_value, m.hr) for m in found] == expected


@pytest.mark.parametrize("text,expected", [
    # a subgroup's comparison after the ratio: the ratio is the whole population's
    ("Median PFS was improved with tucatinib (HR 0.70); in PD-L1-positive patients, median PFS was 9.1 vs 6.0 months.",
     [("PFS", "9.1", "6.0", ""), ("PFS", "", "", "0.70")]),
    # another endpoint's comparison after the ratio
    ("PFS was longer with neratinib (HR 0.76); the ORR was 32.8% versus 26.7%.",
     [("ORR", "32.8", "26.7", ""), ("PFS", "", "", "0.76")]),
    # a single value, no comparison
    ("With zanidatamab, OS favoured the experimental arm (HR 0.72); the 2-year OS rate was 61%.",
     [("OS", "61", "", ""), ("OS", "", "", "0.72")]),
])
def test_a_hazard_ratio_before_another_comparison_stays_its_own_entry(text, expected, rules, pipes):
    found = endpoints(text, rules, pipes)
    assert [(m.endpoint, m.value, m.comparator_value, m.hr) for m in found] == expected


@pytest.mark.parametrize("text,expected", [
    # set 6 mu2014: another study's comparison after the ratio
    ("With tucatinib, in HER2CLIMB OS did not differ (HR 0.91; P = 0.21) and in DESTINY-Breast03 median OS was 24.1 versus 20.3 "
     "months.", [("OS", "24.1", "20.3", ""), ("OS", "", "", "0.91")]),
    # set 14 mu5308: the ratio's interval read across another subgroup's words
    ("With rucaparib, in BRCA-mutated disease the PFS hazard ratio was 0.40, and in the HRD-negative subgroup it was "
     "0.65 (95% CI 0.45-0.95), with medians of 12.1 and 9.1 months.", [("PFS", "12.1", "9.1", ""), ("PFS", "", "", "0.40")]),
    # set 5 mu1914: another analysis's
    ("With osimertinib, disease-free survival had already shown an HR of 0.27 at the primary analysis; the updated "
     "median DFS is 65.8 months versus 28.1 months.", [("DFS", "65.8", "28.1", ""), ("DFS", "", "", "0.27")]),
])
def test_a_hazard_ratio_before_another_studys_or_analysiss_comparison_stays_its_own(text, expected, rules, pipes):
    found = endpoints(text, rules, pipes)
    assert [(m.endpoint, m.value, m.comparator_value, m.hr) for m in found] == expected


@pytest.mark.parametrize("text,expected", [
    # set 14 mu5510, set 7 mu2706: the NMPA's Center for Drug Evaluation named alone
    ("The Center for Drug Evaluation had earlier designated pyrotinib a breakthrough therapy.",
     [("NMPA", "breakthrough_therapy", "pyrotinib")]),
    ("In March 2024, the neoadjuvant indication of SHR-A1811 was accepted by CDE and granted priority review.",
     [("NMPA", "priority_review", "trastuzumab rezetecan")]),
    # the FDA's Center for Drug Evaluation and Research is the FDA
    ("The FDA's Center for Drug Evaluation and Research granted tucatinib priority review in 2020.",
     [("FDA", "priority_review", "tucatinib")]),
    # set 14 mu5206, mu5208: "a conditional authorisation"
    ("The European Commission granted pemigatinib a conditional authorisation in March 2021.",
     [("EMA", "conditional_approval", "pemigatinib")]),
    ("The EMA was more cautious, granting lapatinib only a conditional authorisation in June 2008.",
     [("EMA", "conditional_approval", "lapatinib")]),
])
def test_the_chinese_drug_evaluation_centre_and_a_conditional_authorisation(text, expected, rules, pipes):
    assert [(e.agency, e.event, e.drug) for e in events(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 14 mu5406, mu5412: a drug's general record, a range in the present tense
    ("BACKGROUND: Regorafenib monotherapy yields objective responses in only about 1-4% of patients with "
     "chemorefractory colorectal cancer.", []),
    ("PURPOSE: S-1 alone produces response rates of 20-30% in advanced gastric cancer.", []),
    # no-match: a study's own result, past tense or a single value
    ("In this trial, regorafenib plus nivolumab yielded objective responses in 33% of patients.", [("ORR", "33")]),
    ("S-1 plus docetaxel produced response rates of 46% and 38% in the two cohorts.", [("ORR", "46"), ("ORR", "38")]),
])
def test_a_drugs_general_record_given_as_a_range_is_no_result(text, expected, rules, pipes):
    assert [(m.endpoint, m.value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 14 mu5306: a follow-up duration, then one landmark: the two rates are the two arms' comparison
    ("Patients were randomised to XELOX or observation. In an updated analysis with follow-up through 60 months, "
     "5-year DFS was 68% and 53%.", [("DFS", "68", "53", "5-year")]),
    ("Patients were randomised to XELOX or observation. After a median follow-up of 4 years, 3-year DFS was 74% "
     "and 60%.", [("DFS", "74", "60", "3-year")]),
    # no-match: two landmarks named together give one rate per landmark (set 9 mu3406, set 4 mu1408)
    ("Patients received pyrotinib. The 6-month and 12-month PFS rates were 87.4% and 70.9%.",
     [("PFS", "87.4", "", "6-month"), ("PFS", "70.9", "", "12-month")]),
])
def test_a_follow_up_duration_before_one_landmark_is_no_second_landmark(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.comparator_value, m.timepoint) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 9 mu3310, set 14 mu5312, set 14 mu5502: in a randomised record, two rates then the next clause are the
    # two arms' comparison
    ("Patients were randomly assigned to zanidatamab plus chemotherapy or trastuzumab plus chemotherapy. The confirmed "
     "ORR was 71.5% and 60.9%, and median DOR was 10.4 and 7.0 months, respectively.",
     [("ORR", "71.5", "60.9"), ("DOR", "10.4", "7.0")]),
    ("Patients were randomised to GB-2218 or placebo with CAPOX. The objective response rate was similar between arms, "
     "48.2% and 47.6%, with a median duration of response of 6.3 and 6.1 months.",
     [("ORR", "48.2", "47.6"), ("DOR", "6.3", "6.1")]),
    # no-match: the next clause gives the next group's values ("and in arm B ...": set 3 mu1004): arm A's first rate
    # is no comparison with its second
    ("Patients were randomised to FOLFOX plus cetuximab (arm A) or FOLFOX plus bevacizumab (arm B). For left-sided "
     "and right-sided primaries, ORR in arm A was 70.2% and 42.9%, and in arm B 53.3% and 47.1%, respectively.",
     [("ORR", "70.2", "")]),
    # no-match: two doses named before stay two groups
    ("In this phase II study, patients were randomly assigned to pyrotinib at 320 mg or 400 mg daily. The ORR was "
     "46.7% and 61.0%, and the median PFS was 8.1 and 9.9 months.",
     [("ORR", "46.7", ""), ("ORR", "61.0", "")]),
])
def test_two_rates_before_the_next_clause_are_a_randomised_records_two_arms(text, expected, rules, pipes):
    found = [(m.endpoint, m.value, m.comparator_value) for m in endpoints(text, rules, pipes)]
    assert found[:len(expected)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 12 mu4414, set 8 mu3012: two values, then the two treatment arms they belong to (no "respectively")
    ("Patients were randomly assigned to T-DXd or docetaxel. PFS at 12 months was estimated as 45.2% and 11.8% for "
     "the T-DXd and docetaxel arms.", [("PFS", "45.2", "11.8")]),
    ("Patients were randomised to capivasertib or placebo with fulvestrant. Among CDK4/6 inhibitor-pretreated "
     "patients, PFS was 5.5 and 2.0 months in the capivasertib and placebo groups.", [("PFS", "5.5", "2.0")]),
    # set 6 mu2304, set 11 mu4212: "in the two arms"
    ("Patients were randomised to pyrotinib or lapatinib with capecitabine. OS was immature, with 2-year OS of 87.1% "
     "and 79.4% in the two arms.", [("OS", "87.1", "79.4")]),
    # no-match: the last two values of a longer list (set 8 mu2908): each its own arm's
    ("Patients were randomised to fulvestrant plus placebo, capivasertib, alpelisib or everolimus. An objective "
     "response occurred in 4.9%, 22.6%, 19.8%, and 11.0% of patients in the control, capivasertib, alpelisib, and "
     "everolimus groups.", [("ORR", "4.9", ""), ("ORR", "22.6", ""), ("ORR", "19.8", ""), ("ORR", "11.0", "")]),
])
def test_two_values_then_the_two_arms_they_belong_to_are_one_comparison(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.comparator_value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5708: a title without its full stop, then the next paragraph's section label: no trial named
    ("Neoadjuvant camrelizumab plus chemotherapy versus chemoradiotherapy for esophageal cancer: a randomized phase II "
     "trial\n\nOBJECTIVE: To compare the two strategies. RESULTS: pCR was achieved in 29.5% and 41.5% of patients.",
     [("PCR", "")]),
    # set 15 mu5604: the EORTC's quality-of-life questionnaire is no trial
    ("Gemcitabine plus cisplatin versus etoposide plus cisplatin in advanced NSCLC.\n\nQuality of life was assessed "
     "with the EORTC QLQ-C30 questionnaire. The objective response rate was 37.5% on GC and 20.3% on EC.",
     [("ORR", "")]),
    # no-match: a trial named after "trial" on the same line, and a cooperative group's protocol
    ("Results of the phase III trial TROPION-B2 in breast cancer. The objective response rate was 37.5%.",
     [("ORR", "TROPION-B2")]),
    ("In the BIG 1-98 trial, 5-year DFS was 84.0% with letrozole.", [("DFS", "BIG 1-98")]),
])
def test_a_section_label_or_a_questionnaire_is_no_trial(text, expected, rules, pipes):
    assert [(m.endpoint, m.trial) for m in endpoints(text, rules, pipes)][:1] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5602, mu5612: another cooperative group's protocol number, in brackets or before "trial"
    ("Irinotecan plus cisplatin in advanced gastric cancer: a randomized phase III study of the Adriatic Gastric Cancer "
     "Group (AGCG 97-02). Median time to progression was 5.1 months with irinotecan plus cisplatin.",
     [("TTP", "AGCG 97-02")]),
    ("Doxorubicin and docetaxel in operable breast cancer: results of the randomized NBOG 02-11 trial. The clinical "
     "objective response rate was 82% with doxorubicin and docetaxel.", [("ORR", "NBOG 02-11")]),
    # no-match: an interquartile range
    ("Abemaciclib with endocrine therapy in early breast cancer. After a median follow-up of 42 months (IQR 37-47), "
     "the 4-year IDFS was 85.8% with abemaciclib.", [("IDFS", "")]),
])
def test_a_cooperative_groups_protocol_number_names_the_trial(text, expected, rules, pipes):
    assert [(m.endpoint, m.trial) for m in endpoints(text, rules, pipes)][:1] == expected


@pytest.mark.parametrize("text,expected", [
    # set 3 mu910, set 15 mu5610: fluorouracil with leucovorin or levamisole written as one abbreviation
    ("Patients were randomized to 5-FU/LV with or without irinotecan. Median survival was 16.9 months for "
     "irinotecan-5-FU/LV against 13.6 months for 5-FU/LV.", [("OS", "16.9", "fluorouracil + irinotecan + leucovorin")]),
    ("Patients were randomized to FU-LEV or FU-LV. The 5-year survival was 61% with FU-LV and 54% with FU-LEV.",
     [("OS", "61", "fluorouracil + leucovorin")]),
    # no-match: fluorouracil alone
    ("Patients were randomized to 5-FU alone or 5-FU plus cisplatin. Median survival was 7.4 months with 5-FU alone.",
     [("OS", "7.4", "fluorouracil")]),
])
def test_fluorouracil_regimens_written_as_one_abbreviation(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.drug) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 12 mu4606, set 15 mu5604: "GC" defined as gemcitabine plus cisplatin is the regimen, not gastric cancer
    ("Patients with advanced non-small-cell lung cancer were randomly assigned to gemcitabine plus cisplatin (GC) or "
     "etoposide plus cisplatin (EC). The objective response rate was 37.5% on GC and 20.3% on EC.",
     [("ORR", "cisplatin + gemcitabine", "nsclc")]),
    ("Patients with biliary tract cancer were randomized to gemcitabine plus cisplatin (GC) or gemcitabine alone. "
     "Median time to progression was 6.4 months with GC.", [("TTP", "cisplatin + gemcitabine", "biliary")]),
    # no-match: "GC" defined as gastric cancer stays the cancer
    ("Patients with advanced gastric cancer (GC) received trastuzumab plus chemotherapy. In GC, the objective "
     "response rate was 47%.", [("ORR", "chemotherapy + trastuzumab", "gastric")]),
])
def test_a_short_form_defined_as_a_regimen_is_no_cancer(text, expected, rules, pipes):
    assert [(m.endpoint, m.drug, m.cancer_type) for m in endpoints(text, rules, pipes)][:1] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5712: three endpoints, then their three values in the same order, without "respectively" (the two-item
    # list of set 6 mu2206 and set 9 mu3508 is the same rule)
    ("Patients received dalpiciclib. Among 134 patients, ORR, DCR and CBR were 32.1% (43/134), 80.6% (108/134) and "
     "70.9% (95/134).", [("ORR", "32.1"), ("DCR", "80.6"), ("CBR", "70.9")]),
    ("Patients received dalpiciclib. Median PFS and OS were 5.6 months (95% CI 4.1-7.1) and 12.8 months.",
     [("PFS", "5.6"), ("OS", "12.8")]),
    # no-match: fewer values than endpoints are no such list
    ("Patients received dalpiciclib. ORR, DCR and CBR were assessed; the ORR was 32.1% and 80.6% in the two cohorts.",
     [("ORR", "32.1"), ("ORR", "80.6")]),
])
def test_endpoints_then_as_many_values_in_the_same_order(text, expected, rules, pipes):
    assert [(m.endpoint, m.value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5708 (and sets 1, 3, 5, 9, 13 name it too): a major pathological response is no pCR
    ("Patients were randomized to camrelizumab plus chemotherapy or chemoradiotherapy. The pCR rate was 29.5% and "
     "41.5%, and major pathological response rate was 56.8% and 63.4%.", [("PCR", "29.5")]),
    ("Patients received neoadjuvant pembrolizumab. Major pathological response was reported in 39.5% of patients.", []),
    # no-match: the pathological complete response itself
    ("Patients received neoadjuvant pembrolizumab. The pathological response rate (ypT0N0) was 24.0%.", [("PCR", "24.0")]),
])
def test_a_major_pathological_response_is_no_pcr(text, expected, rules, pipes):
    assert [(m.endpoint, m.value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5912, set 12 mu4506, set 7 mu2506: the one arm the text defined that the sentence names before the value
    ("Patients with MET exon 14 skipping received tepotinib (cohort 1); ROS1 fusions, QR-2290 (cohort 2); BRAF V600E, "
     "dabrafenib plus trametinib (cohort 3). Eleven of the 18 patients in cohort 3 responded (61.1%).",
     [("ORR", "61.1", "dabrafenib + trametinib")]),
    ("Patients with MET exon 14 skipping received tepotinib (cohort 1); ROS1 fusions, QR-2290 (cohort 2). Cohort 2 "
     "enrolled 21 patients: responses were confirmed in 12 of 14 (85.7%).", [("ORR", "85.7", "qr-2290")]),
    # no-match: a drug named after the label is the value's regimen (set 7 mu2410)
    ("Patients were assigned to pyrotinib plus capecitabine (Group P) or placebo plus capecitabine (Group C). Among 31 "
     "patients whose disease progressed in Group C and who then received pyrotinib monotherapy, 38.7% achieved an "
     "objective response.", [("ORR", "38.7", "pyrotinib")]),
])
def test_the_one_defined_arm_a_sentence_names_before_its_value(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.drug) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5910: a meta-analysis of a class named by its target is the class's result, not its members combined
    ("FGFR inhibitors in FGFR2 fusion-positive intrahepatic cholangiocarcinoma: a systematic review and meta-analysis."
     "\n\nWe searched for prospective trials of FGFR inhibitors (pemigatinib, futibatinib, infigratinib, derazantinib and "
     "others). The pooled objective response rate was 38.2% (95% CI 33.0-43.6).", [("ORR", "38.2", "fgfr inhibitor")]),
    # set 1 mu412: the class beside one of its drugs names the drug's class
    ("For HER2-low disease after T-DXd, TROP2 ADCs are alternatives: sacituzumab govitecan improved median OS to 14.4 "
     "months from 11.2 months.", [("OS", "14.4", "sacituzumab govitecan")]),
    # no-match: a singular appositive describes one drug
    ("BL-M11D1, a HER2-directed ADC, achieved an ORR of 45% in this phase 1 study.", [("ORR", "45", "bl-m11d1")]),
    # no-match: a bracket that spells the regimen out (no "or", "and others", "such as") is the regimen
    ("Patients received chemotherapy (docetaxel, carboplatin and trastuzumab); the pCR rate was 55.6%.",
     [("PCR", "55.6", "carboplatin + chemotherapy + docetaxel + trastuzumab")]),
])
def test_a_drug_class_named_by_its_target(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.drug) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5608: an endpoint labelling its own value inside the bracket of another outcome
    ("Patients received trastuzumab with capecitabine and cisplatin. Of the 36 patients, 2 had a complete and 18 a "
     "partial response (objective response rate, 55.6%); 12 others had stable disease (disease control rate, 83.3%).",
     [("ORR", "55.6"), ("DCR", "83.3")]),
    # (the same label inside its own endpoint's bracket, as before)
    ("Patients received zanidatamab. Thirty-four patients had a confirmed objective response (ORR, 41.5%; 95% CI, 30.7 "
     "to 52.9).", [("ORR", "41.5")]),
    # no-match: the bracket defines the endpoint before it
    ("Patients received fulvestrant. The response rate (CR plus PR plus SD) to endocrine therapy was 40.9%.",
     [("ORR", "40.9")]),
])
def test_an_endpoint_labelling_its_value_inside_a_bracket(text, expected, rules, pipes):
    assert [(m.endpoint, m.value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 8 mu3008, set 6 mu2202: the EU (EC) named before its marketing authorisation
    ("EU marketing authorisation for adjuvant osimertinib was granted in May 2021.", [("EMA", "approval", "osimertinib")]),
    ("European Union: EC marketing authorisation for trastuzumab deruxtecan in December 2022.",
     [("EMA", "approval", "trastuzumab deruxtecan")]),
    # set 12 mu4714, set 13 mu5006: "authorised X on <date>", "its authorisation by the European Commission"
    ("The European Commission authorised neratinib on 31 August 2018 for hormone receptor-positive disease.",
     [("EMA", "approval", "neratinib")]),
    ("Pembrolizumab has been used since its authorisation by the European Commission in August 2023.",
     [("EMA", "approval", "pembrolizumab")]),
    # set 3 mu1108, set 13 mu5112: a regulator that restricted or limited its authorisation granted one
    ("The FDA approved neratinib for all patients, whereas the EMA restricted its authorisation to HR-positive disease.",
     [("FDA", "approval", "neratinib"), ("EMA", "approval", "neratinib")]),
    # no-match: a regimen abbreviated EC, and EU patients
    ("EC followed by docetaxel was given to 120 EU patients before surgery.", []),
    # no-match: a reference back to the authorisation (set 7 mu2614, an annotated negative)
    ("Adjuvant T-DM1 provides a benefit in German practice; statutory health insurance reimbursement has applied since "
     "the EU marketing authorisation.", []),
])
def test_european_marketing_authorisations_in_more_words(text, expected, rules, pipes):
    assert [(e.agency, e.event, e.drug) for e in events(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 5 mu1602, set 11 mu4004: the pCR stated as what it is
    ("Patients received neoadjuvant T-DXd. In hormone receptor-negative tumours, 41 of 52 patients (78.8%) given T-DXd "
     "had no residual invasive cancer at surgery.", [("PCR", "78.8")]),
    # no-match: residual tumour found
    ("Patients received neoadjuvant T-DXd. Residual tumour was found in 12 of 52 patients (23.1%) at surgery.", []),
])
def test_a_pcr_stated_as_no_residual_invasive_cancer(text, expected, rules, pipes):
    assert [(m.endpoint, m.value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5810, set 6 mu2108: a hazard ratio's population and verb before it, its number in a bracket
    ("Patients were randomised to BR-1202 or placebo with chemotherapy. Median OS was 17.2 versus 12.8 months (HR 0.66; "
     "95% CI 0.54-0.81). At the interim analysis, the OS HR in the ITT population had been 0.72.",
     [("OS", "17.2", "0.66"), ("OS", "", "0.72")]),
    ("Patients were randomised to zanidatamab or placebo. Median PFS by BICR was 10.9 months versus 6.7 months (HR 0.58 "
     "[0.44-0.76]; p<0.0001), and the investigator-assessed HR (0.61) was consistent.",
     [("PFS", "10.9", "0.58"), ("PFS", "", "0.61")]),
    # no-match: a bracket that holds the interval, not the ratio
    ("Patients were randomised to zanidatamab or placebo. The HR (95% CI) for PFS was 0.58 (0.44-0.76).",
     [("PFS", "", "0.58")]),
])
def test_a_hazard_ratios_population_verb_and_bracket(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.hr) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 13 mu4902, set 7 mu2504, mu2510: a hazard ratio in the sentence or line after its comparison, naming no
    # endpoint, is that comparison's endpoint's (its own entry: a different sentence from the medians)
    ("Patients were randomised to pyrotinib or placebo. Median PFS was 8.9 versus 4.2 months. The hazard ratio was 0.52 "
     "(95% CI 0.40-0.67; P < 0.0001).", [("PFS", "8.9", ""), ("PFS", "", "0.52")]),
    ("DXL-202: trastuzumab deruxtecan versus chemotherapy in HER2-low gastric cancer\n\nPatients were randomised to "
     "trastuzumab deruxtecan or chemotherapy.\n\nMedian PFS by BICR: 8.9 vs 4.2 months\n\nHR 0.52 (95% CI 0.40-0.67); "
     "P < 0.0001\n", [("PFS", "8.9", ""), ("PFS", "", "0.52")]),
    # no-match: a sentence with values of its own ("with medians of ...") is no such ratio (set 15 mu5808)
    ("Patients were randomised to pyrotinib or placebo. In the ITT population, PFS was 8.1 versus 5.5 months. The "
     "corresponding HRs were 0.57 and 0.68, with medians of 22.6, 19.4 and 11.8 months.", [("PFS", "8.1", "")]),
])
def test_a_hazard_ratio_after_its_comparison_in_the_next_sentence(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.hr) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 16 mu6004, mu6308, mu6112: an arm's label after the value's own count ("42.1% (24/57) in arm A", "78/127
    # patients (61.4%) in arm 1", "13.4% of arm 1"); the control named first by being the other arm less its added drug
    ("Patients were randomised to tamoxifen alone (arm A) or everolimus plus tamoxifen (arm B). The 6-month CBR was "
     "42.1% (24/57) in arm A and 61.1% (33/54) in arm B (exploratory P = 0.045).", [("CBR", "61.1", "42.1")]),
    ("Patients were randomised to T-DXd (arm 1) or TCHP (arm 2). pCR was achieved by 78/127 patients (61.4%) in arm 1 "
     "and by 71/127 (55.9%) in arm 2, a difference of 5.5 percentage points.", [("PCR", "61.4", "55.9")]),
    ("Patients were randomised to fuzuloparib plus camrelizumab (arm 1) or placebo plus camrelizumab (arm 2). A further "
     "objective response was recorded in 13.4% of arm 1 and 10.8% of arm 2.", [("ORR", "13.4", "10.8")]),
    # no-match: two cohorts of one regimen each are two groups (set 10 mu3604)
    ("Zanidatamab was given with CAPOX (cohort A) or with cisplatin and fluorouracil (cohort B). The ORR was 78.9% "
     "(30/38) in cohort A and 62.5% (5/8) in cohort B.", [("ORR", "78.9", ""), ("ORR", "62.5", "")]),
])
def test_labelled_arms_after_a_values_own_count(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.comparator_value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 16 mu6002 (and set 14 mu5302's "in the ZK-4471 group"): counted shares of two arms, the patients qualified
    # and an arm named by its sponsor code
    ("Patients were randomised to ZB-7716 or standard of care (SOC). Objective responses were uncommon: 7 of 104 "
     "evaluable ESR1-mutated patients (6.7%) in the ZB-7716 arm versus 2 of 96 (2.1%) in the SOC arm.",
     [("ORR", "6.7", "2.1")]),
    # no-match: one arm's counted share alone
    ("Patients were randomised to ZB-7716 or standard of care (SOC). In the ZB-7716 arm, 7 of 104 evaluable ESR1-mutated "
     "patients (6.7%) had an objective response.", [("ORR", "6.7", "")]),
])
def test_counted_shares_of_two_arms_named_by_code(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.comparator_value) for m in endpoints(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 16 mu6310: Korea's regulator
    ("Durvalumab combined with gemcitabine and cisplatin became a first-line standard after its approval by Korea's "
     "Ministry of Food and Drug Safety (MFDS) in November 2022.", [("MFDS", "approval", "2022-11")]),
    # no-match: its negated statement (set 4 mu1314) gives no MFDS event
    ("Nab-paclitaxel is not approved for gastric cancer by the Korean MFDS.", []),
])
def test_koreas_regulator(text, expected, rules, pipes):
    assert [(e.agency, e.event, e.date) for e in events(text, rules, pipes)] == expected


@pytest.mark.parametrize("text,expected", [
    # set 16 mu6208, set 9 mu3514: a date written right before its jurisdiction
    ("Approval of T-DM1 for this indication followed in 2019 in the United States and in 2020 in the European Union.",
     [("FDA", "2019"), ("EMA", "2020")]),
    # set 16 mu6308: agencies, then their dates "respectively"
    ("Neoadjuvant pertuzumab has been licensed by the FDA and the EMA since 2013 and 2015, respectively.",
     [("FDA", "2013"), ("EMA", "2015")]),
    # no-match: each agency's date right after it (set 10 mu3814, set 2 mu818)
    ("Japan's PMDA approved its first trastuzumab biosimilar in March 2018, Health Canada in May 2019, and the NMPA in "
     "August 2020.", [("PMDA", "2018-03"), ("Health Canada", "2019-05"), ("NMPA", "2020-08")]),
])
def test_each_agencys_own_date(text, expected, rules, pipes):
    assert [(e.agency, e.date) for e in events(text, rules, pipes)] == expected


def test_a_dose_intensity_is_no_result():
    # set 16 mu6312 (a PubMed record read as the pipeline reads a file): a dose intensity is no result, so the sentence
    # that names one drug of the regimen for it does not narrow the next sentences' results to that drug ("the
    # relative dose intensity of paclitaxel was 85%. The overall response rate was 52.5% (62 of 118)")
    import her2tools.evaluate as ev
    from pathlib import Path
    rows = ev.extract_rows(Path(__file__).parent / "gold" / "made_up16" / "texts", ["mu6312.txt"])
    found = {(r["endpoint"], r["value"]): r["drug"] for r in rows["endpoint"]}
    assert found[("ORR", "52.5")] == "bevacizumab + paclitaxel"
    assert found[("PFS", "9.4")] == "bevacizumab + paclitaxel"


def _file_rows(folder, name):
    """The rows of one gold text, read as the pipeline reads a file."""
    import her2tools.evaluate as ev
    from pathlib import Path
    return ev.extract_rows(Path(__file__).parent / "gold" / folder / "texts", [name])


def _rows(folder, name):
    rows = _file_rows(folder, name)
    return {(r["endpoint"], r["value"]): (r["comparator_value"], r["drug"], r["comparator"]) for r in rows["endpoint"]}


def test_labelled_arms_compared_by_their_defined_regimens():
    # set 16 mu6004: "tamoxifen 20 mg/day alone (arm A) or tamoxifen plus everolimus 10 mg/day (arm B)" ... "42.1% (24/57)
    # in arm A and 61.1% (33/54) in arm B": the control arm's label is named first, so the value is arm B's
    found = _rows("made_up16", "mu6004.txt")
    assert found[("CBR", "61.1")] == ("42.1", "everolimus + tamoxifen", "tamoxifen")
    assert found[("TTP", "8.6")] == ("4.5", "everolimus + tamoxifen", "tamoxifen")
    # no-match: arm B named first keeps its own value, and gets its regimen as drug and arm A's as comparator
    assert found[("ORR", "11.4")] == ("15.2", "everolimus + tamoxifen", "tamoxifen")


def test_arm_defined_as_the_same_regimen_plus_a_drug():
    # set 13 mu4814: "... endocrine therapy (an aromatase inhibitor or fulvestrant) (arm A, control); the same regimen
    # plus palbociclib (arm B); or trastuzumab, endocrine therapy and palbociclib without pertuzumab (arm C)": arm B is
    # arm A's regimen and palbociclib, arm C has no pertuzumab, and the class's examples are not drugs of arm A
    found = _rows("made_up13", "mu4814.txt")
    assert found[("PFS", "44.3")] == ("29.1", "endocrine therapy + palbociclib + pertuzumab + trastuzumab",
                                      "endocrine therapy + pertuzumab + trastuzumab")
    assert found[("PFS", "38.6")][1] == "endocrine therapy + palbociclib + trastuzumab"
    # set 10 mu3710: "..., the same regimen plus zanidatamab 1800 mg (group 2), or zanidatamab plus gemcitabine-cisplatin
    # without durvalumab (group 3)"
    found = _rows("made_up10", "mu3710.txt")
    assert found[("PFS", "12.0")][1] == "cisplatin + durvalumab + gemcitabine + zanidatamab"
    assert found[("DOR", "9.2")][1] == "cisplatin + gemcitabine + zanidatamab"


def test_a_bracket_about_drugs_is_no_list_of_a_class():
    # set 1 mu322: "a taxane (prior pyrotinib or T-DM1 allowed)" names no examples of the class, so the trial keeps its
    # drug
    rows = _file_rows("made_up", "mu322.txt")
    assert {r["nct_id"]: r["drug"] for r in rows["trial"]}["NCT04829604"] == "arx788"


def test_arms_assigned_after_a_long_population_phrase():
    # set 6 mu2110: "randomly assigned patients with ... (immunohistochemical score of 1+ or higher), in a 1:1:1 ratio,
    # to X plus Y (group A), Z alone (group B), or ... (group C)": group A is X plus Y, not only Y
    found = _rows("made_up6", "mu2110.txt")
    assert found[("OS", "67.5")][1] == "disitamab vedotin + pembrolizumab"
    assert found[("ORR", "76.3")][1] == "disitamab vedotin + pembrolizumab"


def test_arms_given_after_a_regimen_named_by_its_short_form():
    # set 17 mu6602: "pCR was achieved in 67.4% of patients after TCHP and 66.1% after FEC-THP": one comparison of the
    # two regimens the text named by short forms
    found = _rows("made_up17", "mu6602.txt")
    assert found[("PCR", "67.4")] == ("66.1", "carboplatin + docetaxel + pertuzumab + trastuzumab",
                                      "cyclophosphamide + docetaxel + epirubicin + fluorouracil + pertuzumab + trastuzumab")
    assert ("PCR", "66.1") not in found
    # set 16 mu6210: "6-year EFS reached 79.4% after THP versus 74.1% after TH" (TH known to no lexicon)
    found = _rows("made_up16", "mu6210.txt")
    assert found[("EFS", "79.4")][0] == "74.1" and ("EFS", "74.1") not in found


@pytest.mark.parametrize("text,expected", [
    # no-match: "after" a drug's own name is a treatment given before (set 11 mu4106): two groups of one study
    ("Everolimus in renal cell carcinoma: a cohort study\n\nPatients received everolimus. Median PFS was 4.4 months "
     "after sunitinib and 4.9 months after sorafenib.", ("PFS", "4.4", "")),
])
def test_after_a_named_drug_is_no_arm(text, expected, rules, pipes):
    assert expected in [(m.endpoint, m.value, m.comparator_value or "") for m in endpoints(text, rules, pipes)]


@pytest.mark.parametrize("text,expected", [
    # set 17 mu6402, set 1 mu310: the short names of the TROP2 conjugates (rules/drugs.yaml), so their arm is an arm
    ("Dato-DXd versus chemotherapy in breast cancer: a phase 3 trial\n\nPatients were randomised to Dato-DXd or "
     "chemotherapy. The confirmed objective response rate was 35.8% with Dato-DXd and 22.6% with chemotherapy.",
     [("ORR", "35.8", "22.6", "datopotamab deruxtecan", "chemotherapy")]),
    ("Sacituzumab tirumotecan in TNBC: a phase 3 trial\n\nPatients were randomised to sac-TMT or chemotherapy. Median "
     "PFS was 6.7 months with sac-TMT and 2.5 months with chemotherapy.",
     [("PFS", "6.7", "2.5", "sacituzumab tirumotecan", "chemotherapy")]),
])
def test_trop2_conjugates_by_their_short_names(text, expected, rules, pipes):
    got = [(m.endpoint, m.value, m.comparator_value, m.drug, m.comparator) for m in endpoints(text, rules, pipes)]
    assert got == expected


def test_arms_named_by_a_word_and_their_noun():
    # set 15 mu5708: "camrelizumab 200 mg plus nab-paclitaxel and carboplatin for 2 cycles (nICT group) or weekly
    # paclitaxel and carboplatin with concurrent radiotherapy (nCRT group)" ... "29.5% of nICT group", "81.3% in nICT group"
    found = _rows("made_up15", "mu5708.txt")
    assert found[("PCR", "29.5")] == ("41.5", "camrelizumab + carboplatin + nab-paclitaxel", "carboplatin + paclitaxel")
    assert found[("OS", "81.3")][1] == "camrelizumab + carboplatin + nab-paclitaxel"
    # set 15 mu5808: "niraparib plus dostarlimab (ND group), niraparib alone (N group) or placebo (P group)": the N group's
    # value is niraparib's, not the ND group's
    found = _rows("made_up15", "mu5808.txt")
    assert found[("PFS", "27.1")][1] == "niraparib"


@pytest.mark.parametrize("text,expected", [
    # no-match: a group the text never defined by a bracket is a subgroup, not an arm ("in the elderly group")
    ("Drug X in breast cancer: a phase 2 trial\n\nPatients received pyrotinib plus capecitabine (PC group). The ORR was "
     "52.0% in the elderly group.", [("ORR", "52.0", "capecitabine + pyrotinib")]),
])
def test_an_undefined_named_group_is_no_arm(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.drug) for m in endpoints(text, rules, pipes)] == expected


def test_a_cancer_short_name_that_names_an_arm_is_no_cancer():
    # set 16 mu6106 (urothelial carcinoma): "gemcitabine plus cisplatin or carboplatin for up to 6 cycles (GC arm)" ...
    # "65.3% in the GC arm", "HR vs GC 0.33": GC is the arm's regimen there, not gastric cancer
    rows = _file_rows("made_up16", "mu6106.txt")
    assert {r["cancer_type"] for r in rows["endpoint"]} == {"urothelial"}


@pytest.mark.parametrize("text,expected", [
    # no-match: a basket trial's cohort named by its cancer and never defined by a regimen stays that cancer
    ("Drug X in HER2-positive solid tumours: a basket trial\n\nPatients received trastuzumab deruxtecan. The ORR was 40% "
     "in the GC cohort.", {"gastric"}),
])
def test_an_undefined_cancer_cohort_keeps_its_cancer(text, expected, rules, pipes):
    assert {m.cancer_type for m in endpoints(text, rules, pipes)} == expected


def test_a_unit_declared_as_mo_or_with_its_interval_before_the_colon():
    # set 18 mu7110: "- mPFS (investigator), mo: 44.3 vs 29.1; HR 0.69 (95% CI 0.54-0.88)"; set 18 mu7102: "ORR, % (95% CI):
    # 48.4 (39.4-57.5)", "mPFS, mo (95% CI): 8.1 (6.9-9.5)" (congress-style results lines)
    found = _rows("made_up18", "mu7110.txt")
    assert found[("PFS", "44.3")][0] == "29.1" and found[("PFS", "46.8")][0] == "30.4"
    found = _rows("made_up18", "mu7102.txt")
    assert ("ORR", "48.4") in found and ("PFS", "8.1") in found
    # no-match: a count's second number is no value ("ORR, %: 40.0 (16/40)")
    assert ("ORR", "40") not in found


@pytest.mark.parametrize("text,expected", [
    # set 18 mu6812: "chemotherapy-sparing neoadjuvant trastuzumab emtansine plus pertuzumab": chemotherapy is left out
    ("Chemotherapy-sparing neoadjuvant trastuzumab emtansine plus pertuzumab: a phase II study\n\nPatients received "
     "chemotherapy-sparing neoadjuvant T-DM1 plus pertuzumab. The pCR rate was 45.8% (44/96).",
     [("PCR", "45.8", "pertuzumab + trastuzumab emtansine")]),
    # set 17 mu6612 wording: "the chemotherapy-free arm" gives no chemotherapy
    ("Letrozole plus trastuzumab and pertuzumab: a phase II study\n\nPatients received a chemotherapy-free regimen of "
     "letrozole, trastuzumab and pertuzumab. The pCR rate was 21.6%.",
     [("PCR", "21.6", "letrozole + pertuzumab + trastuzumab")]),
    # no-match: chemotherapy given is still a drug
    ("Pertuzumab plus chemotherapy: a phase II study\n\nPatients received pertuzumab plus chemotherapy. The pCR rate was "
     "60.1%.", [("PCR", "60.1", "chemotherapy + pertuzumab")]),
])
def test_a_drug_left_out_is_no_drug_given(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.drug) for m in endpoints(text, rules, pipes)] == expected


def test_an_oncology_groups_protocol_number_is_its_trial():
    # set 18 mu6804: "a phase II study of the Taiwan Cooperative Oncology Group (TCOG 1514)"; set 3 mu920: "KTGOG 0103"
    assert {r["trial"] for r in _file_rows("made_up18", "mu6804.txt")["endpoint"]} == {"TCOG 1514"}
    assert {r["trial"] for r in _file_rows("made_up3", "mu920.txt")["endpoint"]} == {"KTGOG 0103"}


@pytest.mark.parametrize("text,expected", [
    # set 18 mu7012: the endpoint's definition set off by commas names "stable disease", no endpoint of its own
    ("Trastuzumab in breast cancer: a phase 2 study\n\nPatients received trastuzumab. The clinical benefit rate, defined "
     "as response or stable disease lasting at least 6 months, was 38%.", [("CBR", "38")]),
    # set 3 mu920: a definition of response categories
    ("Irinotecan in gastric cancer: a phase 2 study\n\nPatients received irinotecan. The disease control rate, defined as "
     "CR + PR + no change, was 77.8%.", [("DCR", "77.8")]),
    # no-match: stable disease reported as such is no endpoint's value
    ("Trastuzumab in breast cancer: a phase 2 study\n\nPatients received trastuzumab. Stable disease lasting at least 6 "
     "months was seen in 14%.", []),
])
def test_an_endpoints_definition_after_a_comma(text, expected, rules, pipes):
    assert [(m.endpoint, m.value) for m in endpoints(text, rules, pipes)] == expected


def test_patients_grouped_by_what_they_had_before_are_no_arms():
    # set 18 mu6802 (single-arm everolimus study): "the CBR was 60.9% in the patients without prior chemotherapy and 44.1%
    # in those with prior chemotherapy": two groups' values, no comparison
    found = _rows("made_up18", "mu6802.txt")
    assert found[("CBR", "60.9")][0] == "" and ("CBR", "44.1") in found
    # no-match: arms named by the drugs they were given stay a comparison (set 16 mu6004)
    assert _rows("made_up16", "mu6004.txt")[("CBR", "61.1")][0] == "42.1"


@pytest.mark.parametrize("text,expected", [
    # set 17 mu6512: a landmark in weeks makes a time endpoint's percentage its rate
    ("Drug X in breast cancer: a phase 2 trial\n\nPatients received trastuzumab deruxtecan. In cohort 1, the 16-week PFS "
     "rate was 90.6% (95% CI 75.0-98.0).", [("PFS", "90.6", "%", "16-week")]),
    # set 3 mu1112: a rate's landmark in weeks
    ("Drug X in breast cancer: a phase 2 trial\n\nPatients received ribociclib. Ribociclib with trastuzumab and letrozole "
     "yielded a 24-week clinical benefit rate of 43%.", [("CBR", "43", "%", "24-week")]),
    # no-match: the landmark of the result before "and" is not the next result's (corpus review 002)
    ("Drug X in breast cancer: a phase 2 trial\n\nPatients received zenocutuzumab. The study reported a clinical benefit "
     "rate (CBR) of 35.1% at 24 weeks and an overall response rate (ORR) of 18.9%.",
     [("CBR", "35.1", "%", ""), ("ORR", "18.9", "%", "")]),
    # no-match: a median in weeks is a value, no landmark
    ("Drug X in breast cancer: a phase 2 trial\n\nPatients received trastuzumab deruxtecan. Median PFS was 24 weeks.",
     [("PFS", "24", "weeks", "")]),
])
def test_a_landmark_in_weeks(text, expected, rules, pipes):
    assert [(m.endpoint, m.value, m.unit, m.timepoint) for m in endpoints(text, rules, pipes)] == expected


def test_a_value_takes_the_trial_named_right_after_it_where_several_are_named():
    # set 18 mu6906 (a meta-analysis): "pyrotinib an ORR of 30.0% (median PFS 6.9 months) in PYRAMID-L and poziotinib an
    # ORR of 27.8% in the ZENITH-EX20 trial"; set 6 mu2014: "... to 79.1% in OSPREY-2 (T-DXd arm)"
    rows = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up18", "mu6906.txt")["endpoint"]}
    assert rows[("ORR", "27.8")] == "ZENITH-EX20" and rows[("ORR", "30.0")] == "PYRAMID-L"
    rows = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up6", "mu2014.txt")["endpoint"]}
    assert rows[("ORR", "79.1")] == "OSPREY-2"


def test_a_value_takes_the_one_trial_its_clause_names_where_several_are_named():
    # set 18 mu6910: "...; the atezolizumab trial IMPALA-Neo reported pCR rates of 57.4% and 41.9%, whereas in DURABLE-B,
    # ..., pCR was 53.4% versus 44.2%"; set 12 mu4706: "... failed in the PALISADE trial (4-year iDFS 84.2% vs 84.5%)"
    rows = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up18", "mu6910.txt")["endpoint"]}
    assert rows[("PCR", "57.4")] == "IMPALA-NEO" and rows[("PCR", "53.4")] == "DURABLE-B"
    # no-match: the first trial's own clause keeps it
    assert rows[("PCR", "64.2")] == "KAPPA-TN"
    rows = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up12", "mu4706.txt")["endpoint"]}
    assert rows[("IDFS", "84.2")] == "PALISADE"


def test_a_mixed_case_trial_name_with_its_number():
    # set 1 mu404: "In OlympiAD-2, olaparib monotherapy prolonged median PFS to 7.0 months ..."; set 3 mu1116: "... was
    # likewise ineffective in LaMB-2 (PFS HR 1.04)"
    rows = {(r["endpoint"], r["value"] or r["hr"]): r["trial"] for r in _file_rows("made_up", "mu404.txt")["endpoint"]}
    assert rows[("PFS", "7.0")] == "OLYMPIAD-2"
    rows = {(r["endpoint"], r["value"] or r["hr"]): r["trial"] for r in _file_rows("made_up3", "mu1116.txt")["endpoint"]}
    assert rows[("PFS", "1.04")] == "LAMB-2"


def test_patient_groups_contrasted_each_have_their_own_value():
    # set 15 mu5712: "Patients previously exposed to CDK4/6 inhibitors had a shorter mPFS compared with CDK4/6
    # inhibitor-naive patients (4.6 vs 11.8 months, ...)"; set 17 mu6510: "... than those pretreated with lapatinib (10.1
    # vs. 6.4 months ...)"; set 17 mu6704: "PIK3CA-mutant tumors were associated with shorter median progression-free
    # survival (PFS) than wild-type tumors (8.6 vs 13.8 months)": two groups' values, not a value and its comparator
    for folder, name, a, b in (("made_up15", "mu5712.txt", "4.6", "11.8"), ("made_up17", "mu6510.txt", "10.1", "6.4"),
                               ("made_up17", "mu6704.txt", "8.6", "13.8")):
        found = _rows(folder, name)
        assert found[("PFS", a)][0] == "" and found[("PFS", b)][0] == "", name
    # set 16 mu6210: "patients with pCR had a 6-year EFS of 92.7%, compared with 76.5% for those with residual disease";
    # set 17 mu6610: "98.3% in patients with tpCR versus 84.0% in patients without tpCR"
    assert _rows("made_up16", "mu6210.txt")[("EFS", "76.5")][0] == ""
    assert _rows("made_up17", "mu6610.txt")[("EFS", "84.0")][0] == ""
    # set 12 mu4612: "longer in patients with a complete or partial response to chemotherapy than in those with stable
    # disease (25.3 vs 17.0 mo)": the response named as the patients is no endpoint of the values
    found = _rows("made_up12", "mu4612.txt")
    assert found[("OS", "25.3")][0] == "" and ("OS", "17.0") in found
    # no-match: arms named by the drugs given stay a comparison (set 16 mu6004: "... in arm A and 61.1% ... in arm B")
    assert _rows("made_up16", "mu6004.txt")[("CBR", "61.1")][0] == "42.1"


@pytest.mark.parametrize("sentence,expected", [
    # set 19 mu7306: a committee's negative opinion is no approval; the clause before keeps its own
    ("On the basis of these data the US Food and Drug Administration approved ixabepilone in combination with capecitabine "
     "in October 2007, whereas the Committee for Medicinal Products for Human Use issued a negative opinion in 2008 and no "
     "marketing authorisation has been granted in the European Union.",
     [("FDA", "approval", "capecitabine + ixabepilone", "2007-10")]),
    # set 19 mu7212, set 4 mu1510: never licensed, never authorised
    ("The EMA extended the licence of pertuzumab to the neoadjuvant setting in July 2015. Lapatinib, by contrast, has never "
     "been licensed for neoadjuvant use.", [("EMA", "approval", "pertuzumab", "2015-07")]),
    ("The company withdrew its EU application and margetuximab was never authorised by the EMA.", []),
    # no-match: a licence granted
    ("Lapatinib was licensed by the EMA in June 2008.", [("EMA", "approval", "lapatinib", "2008-06")]),
])
def test_a_negative_opinion_or_a_licence_never_given_is_no_event(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "event", "drug", "date") == expected


def test_a_list_of_regimens_each_with_its_hazard_ratio():
    # set 18 mu6902 (a network meta-analysis): "trastuzumab deruxtecan (T-DXd) was associated with the longest PFS (HR,
    # 0.33; ...), followed by pyrotinib plus capecitabine (HR, 0.58; ...), tucatinib plus trastuzumab and capecitabine
    # (HR, 0.71; ...)"; set 11 mu4202: "... over T-DM1 (HR 0.64; ...), and tucatinib-based triplet therapy over its
    # doublet (HR 0.73; ...); the comparison of T-DXd with tucatinib-based therapy was inconclusive (HR 0.81; ...)"
    rows = {(r["endpoint"], r["hr"]): r["drug"] for r in _file_rows("made_up18", "mu6902.txt")["endpoint"] if not r["value"]}
    assert rows[("PFS", "0.33")] == "trastuzumab deruxtecan"
    assert rows[("PFS", "0.58")] == "capecitabine + pyrotinib"
    assert rows[("PFS", "0.71")] == "capecitabine + trastuzumab + tucatinib"
    rows = {(r["endpoint"], r["hr"]): r["drug"] for r in _file_rows("made_up11", "mu4202.txt")["endpoint"] if not r["value"]}
    assert rows[("OS", "0.73")] == "tucatinib" and rows[("OS", "0.81")] == "trastuzumab deruxtecan"
    assert rows[("PFS", "0.54")] == "capecitabine + trastuzumab + tucatinib"


@pytest.mark.parametrize("text,expected", [
    ("Trastuzumab deruxtecan versus trastuzumab emtansine in breast cancer: a network meta-analysis.\n\nT-DXd was "
     "associated with the longest PFS (HR, 0.33; 95% CrI, 0.26-0.42), followed by pyrotinib plus capecitabine (HR, 0.58; "
     "95% CrI, 0.41-0.83).", [("0.33", "trastuzumab deruxtecan"), ("0.58", "capecitabine + pyrotinib")]),
    # no-match: one regimen's subgroups keep the regimen
    ("Trastuzumab deruxtecan in HER2-low breast cancer: a randomised trial.\n\nT-DXd reduced the risk of progression "
     "(HR 0.62; 95% CI 0.51-0.74), including in the HER2-ultralow subgroup (HR 0.78).",
     [("0.62", "trastuzumab deruxtecan"), ("0.78", "trastuzumab deruxtecan")]),
])
def test_a_hazard_ratio_takes_the_regimen_named_right_before_its_bracket(text, expected, rules, pipes):
    assert [(m.hr, m.drug) for m in endpoints(text, rules, pipes) if not m.value] == expected


def test_a_randomised_trial_called_for_does_not_make_a_single_arm_record_randomised():
    # set 19 mu7504 (two cohorts of a single-arm study, "... deserves evaluation in a randomized trial"): "8.7 months (95%
    # CI 6.9-10.4) in cohort A versus 6.3 months (95% CI 4.8-7.9) in cohort B": each cohort its own value
    found = _rows("made_up19", "mu7504.txt")
    assert found[("PFS", "8.7")][0] == "" and ("PFS", "6.3") in found
    assert found[("OS", "15.9")][0] == "" and ("OS", "12.1") in found
    # set 1 mu306: "two sequential, non-randomized cohorts"
    assert ("DOR", "11.9") in _rows("made_up", "mu306.txt")


@pytest.mark.parametrize("text,expected", [
    ("Drug X in breast cancer: a phase II study.\n\nPatients received utidelone. Median PFS was 8.7 months in cohort A "
     "versus 6.3 months in cohort B. Utidelone deserves evaluation in a randomized trial.", False),
    ("Drug X in breast cancer: a phase II study.\n\nPatients were enrolled in two non-randomised cohorts.", False),
    # no-match: the record's own randomisation
    ("Drug X in breast cancer: a randomised phase III trial.\n\nPatients were randomly assigned to utidelone or "
     "capecitabine. A confirmatory trial is planned.", True),
])
def test_whether_a_record_randomises(text, expected, rules, pipes):
    ann = annotate_text(text, rules, pipes, name="pmid1.txt")
    assert DocView(ann, rules).compares_arms is expected


@pytest.mark.parametrize("text,short,regimen", [
    # set 16 mu6310, set 17 mu6610: the letters spell the drugs in another order
    ("Durvalumab combined with gemcitabine and cisplatin (GCD) became a standard. GCD was given to 1,142 patients.",
     "GCD", "cisplatin + durvalumab + gemcitabine"),
    # set 19 mu7210, set 17 mu6602: a short form holding a known regimen's name
    ("Women were assigned to four cycles of FEC followed by four cycles of docetaxel (FEC-D). FEC-D was tolerable.",
     "FEC-D", "cyclophosphamide + docetaxel + epirubicin + fluorouracil"),
    # set 14 mu5310: the cycles after a drug's dose, and the cycles of a sequence
    ("Women received doxorubicin and cyclophosphamide (AC) for four cycles, or the same AC followed by paclitaxel 175 mg/m2 "
     "every 21 days for four cycles (AC-T). AC-T reduced recurrence.",
     "AC-T", "cyclophosphamide + doxorubicin + paclitaxel"),
    ("Patients received FEC followed by three cycles of docetaxel (FEC-D). FEC-D was given.",
     "FEC-D", "cyclophosphamide + docetaxel + epirubicin + fluorouracil"),
])
def test_a_regimen_short_form_in_any_order_or_holding_a_known_name(text, short, regimen, rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\n" + text + "\n", rules, pipes)
    assert {e.normalized for e in ann.entities if e.label == "DRUG" and e.text == short} == {regimen}
    # the known name inside it is no drug of its own there
    inner = [e for e in ann.entities if e.label == "DRUG" and e.text in ("FEC", "AC")
             and ann.doc.text[e.char_end:e.char_end + 1] == "-"]
    assert not inner


@pytest.mark.parametrize("text,short", [
    # no-match: letters that spell the drugs in no order
    ("Durvalumab combined with gemcitabine and cisplatin (GXD) became a standard. GXD was given.", "GXD"),
])
def test_a_short_form_spelled_in_no_order_names_no_regimen(text, short, rules, pipes):
    ann = annotate_text("Review\n\nIntroduction\n\n" + text + "\n", rules, pipes)
    assert not [e for e in ann.entities if e.label == "DRUG" and e.text == short]


@pytest.mark.parametrize("sentence,expected", [
    # set 11 mu4214, set 2 mu602: each value's arm in the bracket right after it
    ("The objective response rates were: 79.0% (lorlatinib) and 74.3% (alectinib).",
     [("79.0", "74.3", "lorlatinib", "alectinib")]),
    ("Objective response rates in patients with clearance were 80.2% (pyrotinib) and 61.5% (lapatinib).",
     [("80.2", "61.5", "pyrotinib", "lapatinib")]),
    # no-match: a bracket that names no treatment is no arm (the record's arms hold)
    ("The objective response rates were 79.0% (95% CI 70.1-86.2) and 74.3% (95% CI 64.8-82.3), respectively.",
     [("79.0", "74.3", "lorlatinib", "alectinib")]),

])
def test_a_value_takes_the_arm_in_the_bracket_right_after_it(sentence, expected, rules, pipes):
    text = "Lorlatinib or alectinib in ALK-positive NSCLC: a randomised trial.\n\nPatients were randomly assigned to lorlatinib or alectinib. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 10 mu3606: the control named first; each arm's regimen runs on through "and"
    ("Median survival was 10.4 months with fluorouracil alone, 12.6 months with fluorouracil and leucovorin, and 11.3 "
     "months with fluorouracil and methotrexate.",
     [("12.6", "10.4", "fluorouracil + leucovorin", "fluorouracil"), ("11.3", "10.4", "fluorouracil + methotrexate", "fluorouracil")]),
    # set 8 mu2912: the control named last
    ("Median PFS was 9.8 months with olaparib, 12.4 months with olaparib plus durvalumab and 4.1 months with observation.",
     [("9.8", "4.1", "olaparib", ""), ("12.4", "4.1", "durvalumab + olaparib", "")]),
    # no-match: three arms and no control among them stay three values
    ("Median PFS was 9.8 months with olaparib, 12.4 months with olaparib plus durvalumab and 4.1 months with niraparib.",
     [("9.8", "", "olaparib", ""), ("12.4", "", "durvalumab + olaparib", ""), ("4.1", "", "niraparib", "")]),
])
def test_a_control_arm_listed_among_three_arms_is_the_others_comparator(sentence, expected, rules, pipes):
    text = "Three regimens in advanced cancer: a randomised trial.\n\nPatients were randomly assigned to one of three arms. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 12 mu4714, set 14 mu5202: a conditional status turned into a full one is an approval with its own date
    ("The European Commission granted lapatinib a conditional marketing authorisation in June 2008 that was converted to "
     "a full authorisation in 2010.", [("EMA", "conditional_approval", "lapatinib", "2008-06"), ("EMA", "approval", "lapatinib", "2010")]),
    ("For trastuzumab deruxtecan, the conditional status in the EU was converted to a standard authorisation in 2023.",
     [("EMA", "approval", "trastuzumab deruxtecan", "2023")]),
    # no-match: patients switched to a standard treatment
    ("In the trastuzumab deruxtecan trial, 30 patients switched to standard chemotherapy in 2023.", []),
])
def test_a_conditional_status_converted_to_a_full_one_is_an_approval(sentence, expected, rules, pipes):
    assert rows(events(sentence, rules, pipes), "agency", "event", "drug", "date") == expected


def test_a_name_defined_in_a_bracket_before_study_is_the_trial():
    # set 11 mu4208: "... in Japanese clinical practice: the multicenter JBCRG-R11 (EN-DEAVOR) study." names the record's
    # study, so its values carry it
    rows = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up11", "mu4208.txt")["endpoint"]}
    assert rows[("ORR", "63.8")] == "EN-DEAVOR" and rows[("TTF", "13.9")] == "EN-DEAVOR"


@pytest.mark.parametrize("text,expected", [
    ("Tamoxifen and CYP2D6 in a Dutch cohort of the tamoxifen exemestane adjuvant multinational (TEAM) trial.\n\n"
     "Patients received exemestane. The 5-year DFS was 85%.", "TEAM"),
    # no-match: a study group's short name
    ("Everolimus plus exemestane in breast cancer: a Turkish Oncology Group (TOG) Study.\n\nPatients received everolimus. "
     "The ORR was 33.4%.", ""),
])
def test_a_bracketed_name_before_trial_or_study(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [m.trial for m in found] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 18 mu7110, set 10 mu3706: a change told by its size is no group's value
    ("Adding palbociclib to maintenance trastuzumab improved PFS by more than 15 months.", []),
    ("Zanidatamab plus chemotherapy prolonged OS by more than 7 months over the trastuzumab-based standard.", []),
    # no-match: the value a change reached
    ("Adding palbociclib to maintenance trastuzumab improved median PFS to 44.3 months.", [("PFS", "44.3")]),
])
def test_a_change_told_by_its_size_is_no_value(sentence, expected, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "endpoint", "value") == expected


@pytest.mark.parametrize("text,expected", [
    # set 20 mu7902, set 4 mu1314: albumin-bound paclitaxel is its own drug
    ("Neoadjuvant camrelizumab combined with nab-paclitaxel and carboplatin for triple-negative breast cancer: a phase II "
     "study.\n\nPatients received camrelizumab plus nab-paclitaxel and carboplatin. The tpCR rate was 63.2%.",
     "camrelizumab + carboplatin + nab-paclitaxel"),
    # no-match: paclitaxel stays paclitaxel
    ("Neoadjuvant camrelizumab combined with paclitaxel and carboplatin for triple-negative breast cancer: a phase II "
     "study.\n\nPatients received camrelizumab plus paclitaxel and carboplatin. The tpCR rate was 63.2%.",
     "camrelizumab + carboplatin + paclitaxel"),
])
def test_nab_paclitaxel_is_its_own_drug(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [m.drug for m in found] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 20 mu7604, set 5 mu1708: "x% of A-treated and y% of B-treated patients" compares the two arms
    ("Objective responses were seen in 21% of anastrozole-treated and 17% of tamoxifen-treated patients.",
     [("21", "17", "anastrozole", "tamoxifen")]),
    # no-match: one arm's patients
    ("Objective responses were seen in 21% of anastrozole-treated patients.", [("21", "", "anastrozole", "")]),
])
def test_two_arms_named_as_treated_patients(sentence, expected, rules, pipes):
    text = "Anastrozole versus tamoxifen in advanced breast cancer: a randomised trial.\n\nPatients were randomly assigned to anastrozole or tamoxifen. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 17 mu6508, set 20 mu7808, set 4 mu1304: the response rate at week 24 of a biosimilar trial
    ("ORR24 was 64.7% with ZRC-3277 and 63.0% with trastuzumab.", [("ORR", "64.7", "63.0")]),
    # no-match: its equivalence ratio is no rate
    ("The ORR24 ratio was 1.03 (90% CI 0.94-1.12).", []),
])
def test_the_response_rate_at_a_week(sentence, expected, rules, pipes):
    text = "ZRC-3277 versus trastuzumab in HER2-positive breast cancer: a randomised equivalence trial.\n\nPatients were randomly assigned to ZRC-3277 or trastuzumab with docetaxel. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 17 mu6704, set 12 mu4606, set 15 mu5710: a bare pair right after the group its clause opens with is the
    # same endpoint's next comparison
    ("For overall survival, medians in the mutant subgroup were 44.1 months with pertuzumab and 28.3 months with placebo "
     "(HR 0.62), and in the wild-type subgroup 57.9 and 41.6 months (HR 0.71).",
     [("OS", "44.1", "28.3"), ("OS", "57.9", "41.6")]),
    ("Median survival was 9.1 months with the combination and 5.6 months with pertuzumab alone; in intrahepatic "
     "cholangiocarcinoma, 13.0 and 8.4 months.", [("OS", "9.1", "5.6"), ("OS", "13.0", "8.4")]),
    # no-match: ages, and timepoints
    ("Median survival was 9.1 months with the combination and 5.6 months with pertuzumab alone; in patients aged 50 and "
     "65 years, it did not differ.", [("OS", "9.1", "5.6")]),
    ("Median survival was 9.1 months with the combination and 5.6 months with pertuzumab alone; in the follow-up at 6 "
     "and 12 months, quality of life was maintained.", [("OS", "9.1", "5.6")]),
])
def test_a_bare_pair_after_the_group_its_clause_opens_with(sentence, expected, rules, pipes):
    text = "Pertuzumab in metastatic breast cancer: a randomised trial.\n\nPatients were randomly assigned to pertuzumab with trastuzumab or pertuzumab alone. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 15 mu5710, set 10 mu3710, set 18 mu7110 (rules/attribution.yaml not_given): a drug the patients were not
    # given is not their regimen
    ("Among patients who did not receive it, median PFS was 10.2 months for those without pertuzumab.", "trastuzumab"),
    ("Median PFS was 10.2 months with trastuzumab and docetaxel without pertuzumab.", "docetaxel + trastuzumab"),
    # no-match: "with or without" names both arms' drug
    ("Median PFS was 10.2 months with trastuzumab with or without pertuzumab.", "pertuzumab + trastuzumab"),
])
def test_a_drug_the_patients_were_not_given(sentence, expected, rules, pipes):
    text = "Trastuzumab in metastatic breast cancer: a cohort study.\n\nPatients received trastuzumab. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert [m.drug for m in found] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 18 mu6908, set 20 mu7804, set 7 mu2408 (rules/attribution.yaml comparator): the arm named after the control
    # value ("compared with 16.2% to TPC", "as opposed to 7% of those treated with chemotherapy") is the comparator
    ("In the HR-positive cohort, 51.7% of patients responded to T-DXd compared with 16.2% to TPC.",
     ("trastuzumab deruxtecan", "chemotherapy")),
    ("At 12 months, 21% of T-DXd-treated patients were alive and progression-free, as opposed to 7% of those treated "
     "with chemotherapy.", ("trastuzumab deruxtecan", "chemotherapy")),
    # no-match: a value compared with no arm after it
    ("At 12 months, 21% of T-DXd-treated patients were alive and progression-free, as opposed to 7% in the earlier "
     "analysis.", ("trastuzumab deruxtecan", "")),
])
def test_the_arm_named_after_the_control_value(sentence, expected, rules, pipes):
    text = ("Trastuzumab deruxtecan versus treatment of physician's choice in HER2-low breast cancer: a randomised trial.\n\n"
            "Patients were randomly assigned to T-DXd or TPC. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert (found[0].drug, found[0].comparator) == expected


@pytest.mark.parametrize("sentence,drug", [
    # set 5 mu1806, set 4 mu1508, set 15 mu5706 (rules/attribution.yaml replaced): the drug a regimen replaces is not
    # the regimen studied
    ("The chemotherapy-sparing CORAL-9 trial replaced TCHP with T-DM1 plus pertuzumab; the pCR rate was 44.4%.",
     "pertuzumab + trastuzumab emtansine"),
    ("DESTINY-Breast90 replaced the taxane and trastuzumab with T-DXd: T-DXd plus pertuzumab achieved an ORR of 85.1%.",
     "pertuzumab + trastuzumab deruxtecan"),
    # no-match: the same regimens with no replacing
    ("The chemotherapy-sparing CORAL-9 trial gave TCHP with T-DM1 plus pertuzumab; the pCR rate was 44.4%.",
     "carboplatin + docetaxel + pertuzumab + trastuzumab + trastuzumab emtansine"),
])
def test_the_drug_a_regimen_replaces(sentence, drug, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "drug") == [(drug,)]


@pytest.mark.parametrize("title,drug", [
    # set 8 mu3014, set 7 mu2714, set 8 mu3112 (rules/attribution.yaml time_since): time counted from a treatment
    # given before does not add it to the regimen
    ("Extended adjuvant neratinib in subgroups defined by time since trastuzumab: the EXTEND-X trial.", "neratinib"),
    ("Extended adjuvant neratinib within 1 year from trastuzumab completion: the EXTEND-X trial.", "neratinib"),
    # no-match: a duration of the regimen itself
    ("Extended adjuvant neratinib with 1 year of trastuzumab: the EXTEND-X trial.", "neratinib + trastuzumab"),
])
def test_time_counted_from_a_treatment_given_before(title, drug, rules, pipes):
    _, found, _ = record(title + "\n\n8-year OS was 91.5% against 89.4% (HR 0.79).", rules, pipes)
    assert [m.drug for m in found] == [drug]


@pytest.mark.parametrize("text,drug", [
    # set 20 mu7702, real extra pmid28705409: a record naming its regimen by a class, and narrower classes under it,
    # is not about the one agent a subset also received
    ("Stromal lymphocytes and response to neoadjuvant chemotherapy in triple-negative breast cancer: a cohort study.\n\n"
     "Patients received anthracycline- and taxane-based neoadjuvant chemotherapy; 31% of them also received carboplatin. "
     "Overall, 271 patients (39.6%) achieved a pathological complete response.", "chemotherapy"),
    # (real tuning pmid32513358: one narrower class alone is no agent either)
    ("Stromal lymphocytes and response to neoadjuvant chemotherapy in triple-negative breast cancer: a cohort study.\n\n"
     "Patients received taxane-based neoadjuvant chemotherapy. "
     "Overall, 271 patients (39.6%) achieved a pathological complete response.", "chemotherapy"),
    # no-match: the one agent the record names under its class
    ("Stromal lymphocytes and response to neoadjuvant chemotherapy in triple-negative breast cancer: a cohort study.\n\n"
     "Patients received neoadjuvant chemotherapy with carboplatin. "
     "Overall, 271 patients (39.6%) achieved a pathological complete response.", "carboplatin"),
])
def test_a_class_with_narrower_classes_under_it_is_no_single_agent(text, drug, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [m.drug for m in found] == [drug]


@pytest.mark.parametrize("sentence,drug", [
    # gold of made-up sets 1, 5, 12 and 13 (rules/drugs.yaml platinum): platinum salts named as a class are a drug
    ("Pembrolizumab plus pemetrexed and a platinum agent raised the ORR to 48.3%.", "pembrolizumab + pemetrexed + platinum"),
    ("Gemcitabine plus platinum with trastuzumab gave an ORR of 52.0%.", "gemcitabine + platinum + trastuzumab"),
    # no-match: platinum-based chemotherapy is chemotherapy, and a patient state is no regimen
    ("Pembrolizumab plus platinum-based chemotherapy raised the ORR to 48.3%.", "chemotherapy + pembrolizumab"),
    ("In platinum-resistant disease, mirvetuximab gave an ORR of 32.4%.", "mirvetuximab"),
])
def test_platinum_named_as_a_class(sentence, drug, rules, pipes):
    assert rows(endpoints(sentence, rules, pipes), "drug") == [(drug,)]


@pytest.mark.parametrize("sentence,drug", [
    # set 13 mu4808, set 10 mu3702: an arm defined "without" drugs, or "with or without" one, does not get them
    ("In arm C the pCR rate was 55.3%.", "docetaxel + pertuzumab + trastuzumab"),
    # no-match: the arm defined with every drug it names
    ("In arm B the pCR rate was 63.5%.", "carboplatin + docetaxel + pertuzumab + trastuzumab"),
])
def test_an_arm_defined_without_drugs(sentence, drug, rules, pipes):
    text = ("Four neoadjuvant regimens in HER2-positive breast cancer: a randomised phase 2 trial.\n\nPatients were "
            "randomised to epirubicin and cyclophosphamide followed by docetaxel with trastuzumab and pertuzumab (arm A, "
            "control); docetaxel, carboplatin, trastuzumab and pertuzumab (arm B); docetaxel, trastuzumab and pertuzumab "
            "without anthracycline or platinum (arm C); or trastuzumab emtansine plus pertuzumab (arm D). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [m.drug for m in found] == [drug]


@pytest.mark.parametrize("sentence,expected", [
    # set 19 mu7202, set 2 mu818: a later pair naming no arms keeps the order of the comparison before it, whose
    # control arm was named first
    ("The ORRs were 21.4% and 38.0% for letrozole and letrozole plus palbociclib, respectively; among those with "
     "visceral disease, they were 8.3% and 17.9%.", [("38.0", "21.4"), ("17.9", "8.3")]),
    # and "with" opens the arms of a "respectively" list
    ("Median PFS was 10.2 and 20.2 months with letrozole and letrozole plus palbociclib, respectively.", [("20.2", "10.2")]),
    # no-match: the experimental arm named first
    ("The ORRs were 38.0% and 21.4% for letrozole plus palbociclib and letrozole, respectively; among those with "
     "visceral disease, they were 17.9% and 8.3%.", [("38.0", "21.4"), ("17.9", "8.3")]),
])
def test_a_later_pair_keeps_the_order_of_the_comparison_before_it(sentence, expected, rules, pipes):
    text = ("Letrozole with or without palbociclib in advanced breast cancer: a randomised trial.\n\nPatients were "
            "randomly assigned to letrozole or letrozole plus palbociclib. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 19 mu7508, mu7206: the landmark of the rates named between the endpoint and its values
    ("Overall survival was likewise similar, with 5-year rates of 74.8% and 72.1%, respectively (HR 0.91).",
     [("OS", "74.8", "72.1", "5-year", "0.91")]),
    ("Disease-free survival did not differ between groups (hazard ratio 1.03, 95% CI 0.92-1.15): the 5-year rate was "
     "80.1% with denosumab and 81.3% with placebo.", [("DFS", "80.1", "81.3", "5-year", "1.03")]),
    # no-match: a rate of another measure, and a percentage with no landmark, are no survival values
    ("Overall survival was similar, and 74.8% and 72.1% of patients, respectively, completed treatment (HR 0.91).",
     [("OS", "", "", "", "0.91")]),
])
def test_the_landmark_of_the_rates_between_endpoint_and_value(sentence, expected, rules, pipes):
    text = ("Adjuvant denosumab in early breast cancer: a randomised trial.\n\nPatients were randomly assigned to denosumab "
            "or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "timepoint", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 14 mu5310, set 18 mu6910, real pmid20535542 (rules/values.yaml ratio_named): "RR" naming a ratio is the
    # relative risk, no response-rate endpoint to carry the values after it
    ("In hormone receptor-negative tumors, 5-year DFS was 63% with letrozole plus palbociclib and 53% with letrozole "
     "alone (RR, 0.72); in receptor-positive patients the corresponding figures were 74% and 72%.",
     [("DFS", "63", "53"), ("DFS", "74", "72")]),
    # no-match: "RR" as the response rate, with a percentage
    ("The RR was 35% with letrozole plus palbociclib and 17% with letrozole alone.", [("ORR", "35", "17")]),
])
def test_rr_naming_a_ratio_is_no_response_rate(sentence, expected, rules, pipes):
    text = ("Letrozole with or without palbociclib in early breast cancer: a randomised trial.\n\n"
            "Patients were randomly assigned to letrozole plus palbociclib or letrozole alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("title,trial", [
    # set 20 mu7908, set 19 mu7212, set 18 mu6810 (rules/trial_patterns.yaml title_parenthesized): a title's bracket
    # naming the study and its group's number
    ("Four versus six cycles of adjuvant docetaxel plus cyclophosphamide: a randomized non-inferiority trial "
     "(J-DESCANT, WJOX 1702).", "J-DESCANT"),
    # set 19 mu7406, set 20 mu7906 (title_named_cohort): "the NAME cohort", "the NAME joint analysis"
    ("Trastuzumab deruxtecan in breast cancer with brain metastases: the multicentre retrospective CEREBRUM cohort.",
     "CEREBRUM"),
    ("Docetaxel and cyclophosphamide versus taxane-anthracycline regimens: the ANKER-B joint analysis of three trials.",
     "ANKER-B"),
    # no-match: a dose after a group's initials, a receptor with its number, a subgroup cohort
    ("Megestrol acetate (MA) 160 mg/d versus 800 mg/d in metastatic breast cancer: a randomised trial.", ""),
    ("Apatinib, a VEGFR-2 tyrosine kinase inhibitor, with chemotherapy in triple-negative breast cancer.", ""),
    ("Trastuzumab deruxtecan in breast cancer: outcomes of the HER2-low cohort.", ""),
])
def test_a_study_named_in_the_title(title, trial, rules, pipes):
    _, found, _ = record(title + "\n\nPatients received trastuzumab deruxtecan. The ORR was 41.3%.", rules, pipes)
    assert [m.trial for m in found] == [trial]


@pytest.mark.parametrize("sentence,trial", [
    # set 1 mu412, mu402, mu406, set 10 mu3906: a review naming only one trial does not give it to a value of a drug
    # that trial did not test
    ("Disitamab vedotin showed an ORR of 39.6% in HER2-low disease.", ""),
    # no-match: a value of the trial's own drug
    ("In updated data, trastuzumab deruxtecan showed an ORR of 39.6% in HER2-low disease.", "DESTINO-BREAST44"),
])
def test_the_only_trial_a_review_names_is_not_every_drugs(sentence, trial, rules, pipes):
    text = ("HER2-targeted therapy in breast cancer: a review\n\nIntroduction\n\nThe DESTINO-Breast44 trial compared "
            "trastuzumab deruxtecan with chemotherapy in HER2-low breast cancer.\n\nOther agents\n\n" + sentence + "\n")
    found = endpoints(text, rules, pipes)
    assert [m.trial for m in found] == [trial]


@pytest.mark.parametrize("sentence,drug", [
    # set 18 mu7008, set 19 mu7206 (rules/drug_patterns.yaml inn_stem "-dronate"): bisphosphonates by their INN stem
    ("Ten-year survival was 62.9% with oral clodronate and 56.6% with placebo.", "clodronate"),
    ("Ibandronate gave a 5-year DFS of 81.2%.", "ibandronate"),
    # no-match: a word that only ends like one
    ("A 5-year DFS of 81.2% was seen in the carbonate-buffered cohort.", ""),
])
def test_bisphosphonates_by_their_stem(sentence, drug, rules, pipes):
    assert rows(endpoints("Adjuvant bone-targeted therapy in breast cancer: a randomised trial.\n\n" + sentence, rules, pipes), "drug") \
        == ([(drug,)] if drug else [])


@pytest.mark.parametrize("sentence,expected", [
    # set 21 mu8306, set 11 mu4314, set 12 mu4504, set 8 mu2912: an arm named by what it is ("the combination", "the
    # experimental arm") is the record's regimen, not the drug the sentence names for the other arm
    ("Time to treatment failure was 4.1 months with the combination and 3.0 months with docetaxel alone.",
     ("capecitabine + docetaxel", "docetaxel")),
    # no-match: an arm named by its drugs
    ("Time to treatment failure was 4.1 months with capecitabine plus docetaxel and 3.0 months with docetaxel alone.",
     ("capecitabine + docetaxel", "docetaxel")),
])
def test_an_arm_named_by_what_it_is(sentence, expected, rules, pipes):
    text = ("Superior survival with capecitabine plus docetaxel in advanced breast cancer: phase III trial results.\n\n"
            "RESULTS: Combination therapy resulted in superior efficacy to single-agent docetaxel, with a longer time to "
            "progression (median, 6.1 v 4.2 months). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [(m.drug, m.comparator) for m in found if m.endpoint == "TTF"] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 21 mu8108, set 10 mu3710: an endpoint inside a bracket is that bracket's; the values after it are the endpoint's
    # before the bracket
    ("The confirmed ORR was 56.5% with T-DXd versus 32.2% with chemotherapy (median duration of response 14.1 vs 8.6 "
     "months), and in the HER2-ultralow subgroup 61.8% versus 26.3%.",
     [("ORR", "56.5", "32.2"), ("DOR", "14.1", "8.6"), ("ORR", "61.8", "26.3")]),
    # no-match: a bracket that does not close before the value
    ("The confirmed ORR was 56.5% with T-DXd versus 32.2% with chemotherapy (median duration of response 14.1 vs 8.6 "
     "months in the HER2-low population).", [("ORR", "56.5", "32.2"), ("DOR", "14.1", "8.6")]),
])
def test_the_endpoint_before_a_bracket_is_back_after_it(sentence, expected, rules, pipes):
    text = ("Trastuzumab deruxtecan versus chemotherapy in HER2-low breast cancer: a randomised trial.\n\nPatients were "
            "randomly assigned to T-DXd or chemotherapy. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 21 mu8102, set 12 mu4402, real tuning pmid15117982: "A% and B%, respectively, in <another population>" after a
    # comparison of the sentence is that comparison again
    ("An objective response occurred in 24.1% of those receiving capivasertib and 11.8% of those receiving placebo in "
     "the overall population, and in 29.7% and 10.2%, respectively, in the altered population.",
     [("24.1", "11.8"), ("29.7", "10.2")]),
    # no-match: the pair names an endpoint of its own (a "respectively" list of two endpoints)
    ("An objective response occurred in 24.1% of those receiving capivasertib and 11.8% of those receiving placebo; the "
     "DCR and CBR were 61.0% and 44.2%, respectively.", [("24.1", "11.8"), ("61.0", ""), ("44.2", "")]),
])
def test_a_respectively_pair_repeats_the_comparison_before_it(sentence, expected, rules, pipes):
    text = ("Capivasertib plus fulvestrant versus placebo plus fulvestrant in breast cancer: a randomised trial.\n\n"
            "Patients were randomly assigned to capivasertib or placebo, each with fulvestrant. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 13 mu4804, set 14 mu5304: "the median" named again in a sentence naming no endpoint is the endpoint before it
    ("In the T-DXd group, the median was 33.1 months (hazard ratio, 0.78; 95% CI, 0.63 to 0.97).",
     [("PFS", "40.7", ""), ("PFS", "33.1", "")]),
    ("In the subgroup with primary endocrine resistance, the median was 12.0 months and 5.5 months, respectively.",
     [("PFS", "40.7", ""), ("PFS", "12.0", "5.5")]),
    # no-match: a median of something else the sentence names
    ("In the T-DXd group, the median follow-up was 33.1 months.", [("PFS", "40.7", "")]),
])
def test_the_median_named_again(sentence, expected, rules, pipes):
    text = ("Trastuzumab deruxtecan with or without pertuzumab versus THP: a randomised trial.\n\nPatients were randomly "
            "assigned to T-DXd plus pertuzumab, T-DXd or THP. Median progression-free survival was 40.7 months in the "
            "T-DXd-P group (hazard ratio for progression or death vs THP, 0.56). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 21 mu8304, set 14 mu5306: after a hazard ratio, a group's ratio alone in its bracket is another hazard ratio
    ("DFS was improved at every disease stage: stage II (HR 0.55), stage IIIA (0.57) and stage IIIB (0.56).",
     [("DFS", "0.55"), ("DFS", "0.57"), ("DFS", "0.56")]),
    # no-match: a bracketed number with a unit, and a bracket with no hazard ratio before it in the sentence
    ("DFS was improved at every disease stage: stage II (HR 0.55), with median follow-up (4.25) years.", [("DFS", "0.55")]),
    ("Stage IIIA (0.57) and stage IIIB (0.56) tumours were more common in the XELOX group.", []),
])
def test_a_groups_ratio_alone_in_its_bracket(sentence, expected, rules, pipes):
    text = ("Adjuvant capecitabine and oxaliplatin in stage II-III colon cancer: a randomised trial.\n\nPatients were "
            "randomly assigned to XELOX or fluorouracil. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 18 mu7110, set 21 mu8110: the next regimen's bare ratio after a hazard ratio given "with" a regimen
    ("The PFS benefit held with both endocrine partners (HR 0.72 with an AI and 0.61 with fulvestrant).",
     [("PFS", "0.72"), ("PFS", "0.61")]),
    # no-match: a number after "with" that is no ratio of the list
    ("The PFS benefit held with both endocrine partners (HR 0.72 with an AI and 61 with fulvestrant).", [("PFS", "0.72")]),
])
def test_the_next_regimens_bare_ratio(sentence, expected, rules, pipes):
    text = ("Palbociclib with anti-HER2 therapy and endocrine therapy: a randomised trial.\n\nPatients were randomly "
            "assigned to palbociclib or no palbociclib. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "hr") == expected


@pytest.mark.parametrize("methods,sentence,expected", [
    # set 21 mu8212, real tuning pmid33388491: an arm named by a word and its noun, its regimen bracketed after it; set
    # 21 mu8212, set 19 mu7208: the two arms named first, then their two values in the same order
    ("Patients were divided into the combination group (apatinib plus chemotherapy, n=78) and the chemotherapy group "
     "(chemotherapy alone, n=156).",
     "The objective response rate of the combination group and the chemotherapy group were 37.5% (27/72) and 20.8% (15/72).",
     [("37.5", "20.8", "apatinib + chemotherapy", "chemotherapy")]),
    ("Patients were randomly assigned to arm A (capecitabine plus docetaxel) or arm B (docetaxel alone).",
     "The 5-year OS of arm A and arm B was 61.2% and 55.0% (HR 0.80).",
     [("61.2", "55.0", "capecitabine + docetaxel", "docetaxel")]),
    # no-match: two patient groups, not arms the text defined
    ("Patients were divided into the combination group (apatinib plus chemotherapy, n=78) and the chemotherapy group "
     "(chemotherapy alone, n=156).",
     "The objective response rate of the younger group and the older group were 37.5% and 20.8%.",
     [("37.5", "", "apatinib + chemotherapy", ""), ("20.8", "", "apatinib + chemotherapy", "")]),
])
def test_arms_named_before_their_values(methods, sentence, expected, rules, pipes):
    text = ("Apatinib combined with chemotherapy versus chemotherapy alone in metastatic breast cancer.\n\n" + methods
            + " " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 21 mu8106, set 16 mu6104: a sponsor code joined by a hyphen to the chemotherapy it is given with
    ("The median overall survival was 23.0 months in the ZG-0512-chemotherapy group and 16.1 months in the "
     "placebo-chemotherapy group.", [("23.0", "16.1", "chemotherapy + zg-0512")]),
    ("Median OS was 22.4 months with LX-5106-chemotherapy and 11.3 months with placebo-chemotherapy.",
     [("22.4", "11.3", "chemotherapy + lx-5106")]),
    # no-match: a code joined to a biomarker word is no drug ("AB-123-positive")
    ("The median overall survival was 23.0 months in AB-123-positive tumours.", [("23.0", "", "chemotherapy + pd-1 inhibitor")]),
])
def test_a_code_joined_to_its_chemotherapy(sentence, expected, rules, pipes):
    text = ("A new anti-PD-1 antibody plus chemotherapy in advanced triple-negative breast cancer.\n\nPatients were "
            "randomly assigned to the antibody or placebo, each with chemotherapy. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 17 mu6606, set 22 mu8502, mu8510: ovarian function suppression named as a regimen is a drug class
    ("The 8-year DFS was 85.4% in the tamoxifen plus OFS group and 80.2% in the tamoxifen alone group.",
     [("85.4", "80.2", "ovarian function suppression + tamoxifen")]),
    ("8-year DFS was 76.1% with exemestane-OFS and 69.2% with tamoxifen alone.",
     [("76.1", "69.2", "exemestane + ovarian function suppression")]),
    # no-match: the recovery of ovarian function is no regimen
    ("The 8-year DFS was 85.4% with tamoxifen alone among women with ovarian function recovery.",
     [("85.4", "", "tamoxifen")]),
])
def test_ovarian_function_suppression_is_a_regimen(sentence, expected, rules, pipes):
    text = ("Adding ovarian function suppression to tamoxifen in premenopausal breast cancer: a randomised trial.\n\n"
            "Women were randomly assigned to tamoxifen with or without ovarian function suppression. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("title,expected", [
    # set 22 mu8410: a two-word name glued to a patient state is that name, not its first word ("trastuzumab")
    ("Trastuzumab deruxtecan in trastuzumab emtansine-pretreated HER2-positive metastatic breast cancer",
     "trastuzumab deruxtecan"),
    ("Trastuzumab deruxtecan in trastuzumab emtansine-refractory HER2-positive metastatic breast cancer",
     "trastuzumab deruxtecan"),
    # no-match: a one-word name before a state stays the patients' prior drug, and the studied drug is still named
    ("Trastuzumab deruxtecan in trastuzumab-pretreated HER2-positive metastatic breast cancer", "trastuzumab deruxtecan"),
])
def test_a_two_word_name_glued_to_a_patient_state(title, expected, rules, pipes):
    text = title + ".\n\nThe confirmed objective response rate was 62.0% (114/184)."
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("62.0", expected)]


@pytest.mark.parametrize("title,sentence,expected", [
    # set 22 mu8408, set 9 mu3406, set 15 mu5712: in a single-arm record whose title names its regimen, a part of it
    # named for a result is the whole regimen, with the agent the title's class stands for
    ("Zanidatamab plus chemotherapy after trastuzumab deruxtecan in HER2-positive breast cancer: a phase 2 study",
     "By chemotherapy partner, the ORR was 42.9% with capecitabine.", [("42.9", "capecitabine + zanidatamab")]),
    ("Anbenitamab plus chemotherapy as first-line treatment for HER2-positive gastric cancer: a phase II study",
     "Anbenitamab gave a median PFS of 11.9 months.", [("11.9", "anbenitamab + chemotherapy")]),
    # no-match: a title of alternatives, and a result named for a control
    ("KRX-4471 alone or with cetuximab in KRAS G12C-mutant solid tumours: a phase I study",
     "With cetuximab, the median PFS was 8.1 months.", [("8.1", "cetuximab")]),
    ("Zanidatamab plus chemotherapy after trastuzumab deruxtecan in HER2-positive breast cancer: a phase 2 study",
     "The median PFS was 6.2 months with chemotherapy alone.", [("6.2", "chemotherapy")]),
])
def test_a_part_of_a_single_arm_regimen_is_the_regimen(title, sentence, expected, rules, pipes):
    text = title + ".\n\nSeventy-three patients were treated. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 22 mu8502, set 19 mu7204, set 9 mu3504: two arms' values joined by "and", then the control's value compared
    # with both
    ("The 8-year DFS rate was 83.4% with tamoxifen-OFS and 86.2% with exemestane-OFS, as compared with 79.9% with "
     "tamoxifen alone.", [("83.4", "79.9", "ovarian function suppression + tamoxifen", "tamoxifen"),
                          ("86.2", "79.9", "exemestane + ovarian function suppression", "tamoxifen")]),
    ("The 8-year DFS reached 76.0% with tamoxifen-OFS and 80.4% with exemestane-OFS, versus 66.3% with tamoxifen alone.",
     [("76.0", "66.3", "ovarian function suppression + tamoxifen", "tamoxifen"),
      ("80.4", "66.3", "exemestane + ovarian function suppression", "tamoxifen")]),
    # no-match: a pair compared with each other, and a third value of another population
    ("The 8-year DFS rate was 83.4% with tamoxifen-OFS and 86.2% with exemestane-OFS; it was 79.9% in older women.",
     [("83.4", "86.2", "ovarian function suppression + tamoxifen", "exemestane + ovarian function suppression"),
      ("79.9", "", "ovarian function suppression + tamoxifen", "exemestane")]),
])
def test_a_pair_then_the_control_value(sentence, expected, rules, pipes):
    text = ("Exemestane or tamoxifen with ovarian function suppression versus tamoxifen alone: the PREMIA trial.\n\n"
            "Women were randomly assigned to tamoxifen, tamoxifen-OFS or exemestane-OFS. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 22 mu8608, set 12 mu4408, set 17 mu6412: of a list of three arms' values naming no control word, the arm the
    # ratios are given against is the control, the comparator of the others
    ("Median PFS was 9.4 months with palbociclib, 11.2 months with ribociclib (HR v palbociclib, 0.86) and 12.5 months "
     "with abemaciclib.", [("11.2", "9.4", "ribociclib"), ("12.5", "9.4", "abemaciclib")]),
    ("Median PFS was 16.2 months with ribociclib, 11.5 months with abemaciclib and 6.9 months with palbociclib (HR vs "
     "palbociclib 0.66).", [("16.2", "6.9", "ribociclib"), ("11.5", "6.9", "abemaciclib")]),
    # no-match: no reference named, three arms' values each its own
    ("Median PFS was 9.4 months with palbociclib, 11.2 months with ribociclib and 12.5 months with abemaciclib.",
     [("9.4", "", "palbociclib"), ("11.2", "", "ribociclib"), ("12.5", "", "abemaciclib")]),
])
def test_the_arm_a_list_is_compared_against(sentence, expected, rules, pipes):
    text = ("Palbociclib, ribociclib or abemaciclib with letrozole: a randomised trial.\n\nPatients were randomly assigned "
            "to palbociclib, ribociclib or abemaciclib. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 16 mu6012, set 20 mu7710, set 22 mu8506: a patient characteristic's ratio told as two patient groups'
    # contrast, or as an association that "remained", names no treatment effect
    ("Patients whose ctDNA cleared by cycle 2 day 1 had longer PFS than those with persistent ctDNA (HR 0.38).", []),
    ("In the placebo arm, obese women had a shorter PFS than normal-weight women (adjusted HR 1.27).", []),
    ("Black race remained associated with worse PFS after adjustment (adjusted HR 1.39).", []),
    # no-match: the arms' contrast is the treatment effect
    ("Patients in the ribociclib arm had longer PFS than those in the placebo arm (HR 0.56).", [("PFS", "0.56")]),
])
def test_a_patient_groups_contrast_is_no_treatment_ratio(sentence, expected, rules, pipes):
    text = ("Ribociclib plus letrozole versus placebo plus letrozole: a randomised trial.\n\nPatients were randomly "
            "assigned to ribociclib or placebo, each with letrozole. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 22 mu8412, set 3 mu910: what patients "had received" is their prior therapy, not the regimen of the result;
    # two patient groups so contrasted (a count bracketed in the first) are each their own result
    ("Patients who had received pertuzumab in first line (n = 97) had a shorter median PFS than pertuzumab-naive "
     "patients (4.6 vs 7.8 months, p = 0.003).", [("4.6", "", "trastuzumab emtansine"), ("7.8", "", "trastuzumab emtansine")]),
    ("Among patients who had received adjuvant fluorouracil, the median PFS was 6.1 months.",
     [("6.1", "", "trastuzumab emtansine")]),
    # no-match: what patients received in the study
    ("Patients who received pertuzumab with T-DM1 had a median PFS of 6.1 months.",
     [("6.1", "", "pertuzumab + trastuzumab emtansine")]),
])
def test_what_patients_had_received_is_prior_therapy(sentence, expected, rules, pipes):
    text = ("Trastuzumab emtansine after pertuzumab in HER2-positive metastatic breast cancer: a retrospective study.\n\n"
            "We collected data on consecutive patients treated with T-DM1. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 14 mu5204, set 21 mu8306, set 20 mu7608: "previously given", "progressed during", "last treated with" name
    # the patients' earlier treatment, not the regimen of the result
    ("Sevabertinib achieved an ORR of 64% in patients previously given chemotherapy.", [("64", "sevabertinib")]),
    ("In patients whose disease had progressed during chemotherapy, the ORR was 39%.", [("39", "sevabertinib")]),
    # no-match: the chemotherapy given with it in the study
    ("Sevabertinib given with chemotherapy achieved an ORR of 64%.", [("64", "chemotherapy + sevabertinib")]),
])
def test_earlier_treatment_in_other_words(sentence, expected, rules, pipes):
    text = "Sevabertinib in HER2-mutant non-small-cell lung cancer: a phase 2 study.\n\nPatients received sevabertinib. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("methods,expected", [
    # set 21 mu8202: a cohort defined by what its patients had before names no regimen of its own (the prior-therapy
    # cues and "-naive" states of drugs_in apply to arm definitions too)
    ("Patients were assigned into cohort 1 (trastuzumab-naive or relapse >12 months after adjuvant trastuzumab) and "
     "cohort 2 (trastuzumab-resistant).", [("70.8", "inetetamab + pyrotinib + vinorelbine")]),
    # no-match: a cohort defined by its regimen
    ("Patients were assigned into cohort 1 (pyrotinib plus vinorelbine) and cohort 2 (inetetamab plus pyrotinib plus "
     "vinorelbine).", [("70.8", "pyrotinib + vinorelbine")]),
])
def test_a_cohort_defined_by_earlier_treatment(methods, expected, rules, pipes):
    text = ("Inetetamab combined with pyrotinib and vinorelbine for HER2-positive metastatic breast cancer: a single-arm "
            "phase II trial.\n\n" + methods + " In cohort 1 the ORR was 70.8% (17/24).")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 22 mu8410, set 21 mu8202: the share of one response category named right after its value is no response rate
    ("The confirmed objective response rate was 62.0% (114/184), including 6.5% complete responses.", [("ORR", "62.0")]),
    ("Objective response was observed in 37 (60.7%) patients, with 4 (6.6%) complete responses.", [("ORR", "60.7")]),
    # no-match: complete or partial responses together are the response rate
    ("Objective response was observed in 37 patients, with 60.7% complete or partial responses.", [("ORR", "60.7")]),
])
def test_a_response_category_right_after_its_value(sentence, expected, rules, pipes):
    text = "Trastuzumab deruxtecan in HER2-positive breast cancer: a phase 2 study.\n\nPatients received T-DXd. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("text,expected", [
    # set 14 mu5210, set 3 mu1108, set 12 mu4714, set 4 mu1510: a text naming no cancer about drugs given only for breast
    # cancer (rules/drugs.yaml cancer_type) is about breast cancer
    ("Antibody engineering after trastuzumab\n\nIn the second-line ELARA-T trial, T-DM1 prolonged median PFS to 9.6 "
     "months.", [("9.6", "breast")]),
    ("Small-molecule HER2 tyrosine kinase inhibitors\n\nNeratinib gave a median PFS of 8.8 months in NALA-2.",
     [("8.8", "breast")]),
    # no-match: the text names the cancer
    ("T-DM1 in gastric cancer\n\nIn the second-line GATSBY-2 trial, T-DM1 gave a median PFS of 2.7 months.",
     [("2.7", "gastric")]),
])
def test_a_breast_only_drug_names_the_cancer(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == expected


@pytest.mark.parametrize("title,sentence,expected", [
    # set 8 mu2908, set 13 mu4804, set 17 mu6606: three or more values, then as many arms: each value its own arm's, the
    # control arm's value (a control word, else the arm the title compares against) the comparator of the others
    ("Capivasertib, alpelisib, or everolimus added to fulvestrant: a four-arm randomised trial",
     "An objective response occurred in 4.9%, 22.6%, 19.8%, and 11.0% of patients in the control, capivasertib, "
     "alpelisib, and everolimus groups.",
     [("22.6", "4.9", "capivasertib"), ("19.8", "4.9", "alpelisib"), ("11.0", "4.9", "everolimus")]),
    ("Trastuzumab deruxtecan versus taxane, trastuzumab and pertuzumab: a randomised trial",
     "Objective response rates were 80.1%, 79.8%, and 78.6% in the T-DXd, T-DXd plus pertuzumab, and THP groups.",
     [("80.1", "78.6", "trastuzumab deruxtecan"), ("79.8", "78.6", "pertuzumab + trastuzumab deruxtecan")]),
    # no-match: no control among the arms, each value its own
    ("Capivasertib, alpelisib, or everolimus added to fulvestrant: a randomised trial",
     "An objective response occurred in 22.6%, 19.8%, and 11.0% of patients in the capivasertib, alpelisib, and "
     "everolimus groups.", [("22.6", ""), ("19.8", ""), ("11.0", "")]),
])
def test_a_list_of_arms_with_one_control(title, sentence, expected, rules, pipes):
    text = title + ".\n\nPatients were randomly assigned to one of the arms. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected \
        if len(expected[0]) == 3 else rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 15 mu5806, set 3 mu904: the risk of an event-based endpoint's event names the ratio's endpoint
    ("Adding dalpiciclib reduced the risk of invasive disease (hazard ratio [HR], 0.75; 95% CI, 0.61 to 0.92).",
     [("IDFS", "0.75")]),
    ("The median disease-free survival was not reached. The risk of relapse was reduced with dalpiciclib (hazard ratio "
     "0.81; 95% CI, 0.66-0.99).", [("DFS", "NR", ""), ("DFS", "", "0.81")]),
    # no-match: a risk of something else
    ("Adding dalpiciclib increased the risk of neutropenia (hazard ratio 2.10).", []),
])
def test_the_risk_of_an_event_names_the_ratio(sentence, expected, rules, pipes):
    text = ("Dalpiciclib plus endocrine therapy in early breast cancer: a randomised trial.\n\nPatients were randomly "
            "assigned to dalpiciclib or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, *(("endpoint", "value", "hr") if expected and len(expected[0]) == 3 else ("endpoint", "hr"))) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 22 mu8510 (and the eligibility ranges of set 1 mu110, set 11 mu4302): the end of an age range is no duration
    ("Women younger than 35 years had an 8-year DFS of 79.4% versus 70.1% (HR, 0.63), and women aged 35 to 40 years "
     "87.0% versus 83.2% (HR, 0.74).", [("79.4", "70.1"), ("87.0", "83.2")]),
    ("The 8-year DFS was 79.4% overall and 87.0% in women aged 18-75 years.", [("79.4", ""), ("87.0", "")]),
    # no-match: a duration after a range of durations is still the endpoint's
    ("The median DFS ranged from 35 to 40 months.", [("35-40", "")]),
])
def test_the_end_of_an_age_range(sentence, expected, rules, pipes):
    text = "Adding OFS to tamoxifen: a randomised trial.\n\nWomen were randomly assigned to tamoxifen with or without OFS. " + sentence
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("title,expected", [
    # set 11 mu4008, set 12 mu4412: esophagogastric cancer and "oesophageal or junctional cancer" are gastroesophageal
    ("Mitomycin, cisplatin and fluorouracil in advanced esophagogastric cancer: a randomised trial", "gastroesophageal"),
    ("Chemoradiotherapy plus surgery for oesophageal or junctional cancer: a randomised trial", "gastroesophageal"),
    # no-match: gastric cancer stays gastric
    ("Mitomycin, cisplatin and fluorouracil in advanced gastric cancer: a randomised trial", "gastric"),
])
def test_esophagogastric_cancer_names(title, expected, rules, pipes):
    text = title + ".\n\nPatients were randomly assigned to two arms. The median overall survival was 9.4 months."
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == [("9.4", expected)]


@pytest.mark.parametrize("sentence,expected", [
    # set 2 mu704, set 7 mu2514: a basket trial's "other tumours" cohort is cancer type other
    ("Median OS was 17.8 months in biliary tract cancer and 12.1 months in other tumours.",
     [("17.8", "biliary"), ("12.1", "other")]),
    # no-match: a cohort named by its cancer
    ("Median OS was 17.8 months in biliary tract cancer and 12.1 months in colorectal cancer.",
     [("17.8", "biliary"), ("12.1", "colorectal")]),
])
def test_other_tumours_are_other(sentence, expected, rules, pipes):
    text = ("A HER2 biparatopic antibody in HER2-amplified solid tumours: a phase 2 basket study.\n\nPatients were treated "
            "in three cohorts. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "cancer_type") == expected


@pytest.mark.parametrize("sentences,expected", [
    # set 16 mu6210, mu6102, set 19 mu7512: a clause after ";" giving a bare "respectively" pair for another population
    # is the comparison before it again, with its endpoint (the sentence's own, or the one the sentence before named)
    ("Overall, pCR was 52.6% with THP and 38.1% with TH. In the HR-negative cohort, the corresponding rates were 68.4% "
     "and 49.0%; in the HR-positive cohort, 38.9% and 28.8%, respectively.",
     [("PCR", "52.6", "38.1"), ("PCR", "68.4", "49.0"), ("PCR", "38.9", "28.8")]),
    ("Among patients with a pCR, 5-year EFS reached 92.0% with THP and 88.9% with TH; among those without pCR it was "
     "62.4% and 47.3%, respectively.", [("EFS", "92.0", "88.9"), ("EFS", "62.4", "47.3")]),
    # no-match: a new sentence's list names its own endpoint
    ("Overall, pCR was 52.6% with THP and 38.1% with TH. The 5-year EFS rates were 88.1% and 85.0%, respectively.",
     [("PCR", "52.6", "38.1"), ("EFS", "88.1", "85.0")]),
])
def test_a_respectively_pair_for_another_population(sentences, expected, rules, pipes):
    text = ("Pertuzumab plus trastuzumab and docetaxel versus trastuzumab and docetaxel: a randomised neoadjuvant "
            "trial.\n\nPatients were randomly assigned to THP or TH. " + sentences)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9106, mu9110, mu9108, mu9104, set 11 mu4012: response, survival and freedom from disease in plain words;
    # a number inside an endpoint's name ("at least 30%") is none of its values
    ("Tumours shrank by at least 30% in 71.2% of the gefitinib group (P<0.001).", [("ORR", "71.2")]),
    ("Shrinkage of at least 30% was seen in 24 of 41 patients (58.5%).", [("ORR", "58.5")]),
    ("Patients lived a median of 28.9 months after starting gefitinib.", [("OS", "28.9")]),
    ("At 3 years, 9% of patients remained free of disease.", [("DFS", "9")]),
    # no-match: a plain-language time before the cancer grew is no overall survival; the 30% of a definition alone
    ("Patients lived for a median of 27.3 months before their cancer grew or spread.", []),
    ("Response was defined as tumour shrinkage of at least 30%.", []),
])
def test_endpoints_in_plain_words(sentence, expected, rules, pipes):
    text = ("Gefitinib in EGFR-mutant lung cancer: a single-arm phase 2 study.\n\nPatients received gefitinib 250 mg "
            "daily. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9106, set 17 mu6612: a rate of each arm's patients, "A% of the X group and B% of the Y group", is one
    # comparison, the first arm's value with the second's as its comparator
    ("Responses occurred in 71.2% of the gefitinib group and 32.7% of the chemotherapy group.",
     [("71.2", "32.7", "gefitinib")]),
    ("An objective response was observed in 70.6% of the gefitinib arm and 88.2% of the chemotherapy arm.",
     [("70.6", "88.2", "gefitinib")]),
    # no-match: two values of one group's patients are no comparison of arms
    ("Responses occurred in 71.2% of the gefitinib group; 32.7% of responders had a complete response.",
     [("71.2", "", "gefitinib")]),
])
def test_a_rate_of_each_arms_patients(sentence, expected, rules, pipes):
    text = ("Gefitinib versus carboplatin plus paclitaxel in EGFR-mutant lung cancer: a randomised phase III trial.\n\n"
            "Patients were randomly assigned to gefitinib or carboplatin and paclitaxel. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("title,expected", [
    # set 23 mu8902: "-alkib" is the INN stem of the new ALK inhibitors (iruplinalkib, envonalkib): the record's drug,
    # not the crizotinib its patients progressed on
    ("Iruplinalkib in ALK-positive non-small-cell lung cancer after progression on crizotinib: a phase 2 study",
     "iruplinalkib"),
    ("Envonalkib in ALK-positive non-small-cell lung cancer after progression on crizotinib: a phase 2 study",
     "envonalkib"),
    # no-match: a word ending like the stem is no drug
    ("A new ALK inhibitor in ALK-positive non-small-cell lung cancer after progression on crizotinib: a phase 2 study", ""),
])
def test_the_alk_inhibitor_stem(title, expected, rules, pipes):
    text = title + ".\n\nPatients received the study drug daily. The objective response rate was 69.9%."
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("69.9", expected)]


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9010, set 12 mu4506: a range of arm labels ("in groups A to D") lists the arms as "A, B, C and D" does,
    # after the values or before them
    ("Five-year DFS was 81%, 84%, 80% and 75% in groups A to D.",
     [("81", "docetaxel + trastuzumab"), ("84", "docetaxel + pertuzumab + trastuzumab"), ("80", "pertuzumab + trastuzumab"),
      ("75", "docetaxel + pertuzumab")]),
    ("Five-year DFS rates in groups A to D were 81%, 84%, 80% and 75%.",
     [("81", "docetaxel + trastuzumab"), ("84", "docetaxel + pertuzumab + trastuzumab"), ("80", "pertuzumab + trastuzumab"),
      ("75", "docetaxel + pertuzumab")]),
    ("Five-year DFS rates in groups A, B, C and D were 81%, 84%, 80% and 75%.",
     [("81", "docetaxel + trastuzumab"), ("84", "docetaxel + pertuzumab + trastuzumab"), ("80", "pertuzumab + trastuzumab"),
      ("75", "docetaxel + pertuzumab")]),
    # no-match: a range of as many labels as the text defined arms, but fewer values, is no list of the arms
    ("Five-year DFS rates in groups A to D were 81% and 84%.", [("81", "docetaxel + pertuzumab + trastuzumab")]),
])
def test_a_range_of_arm_labels(sentence, expected, rules, pipes):
    text = ("Four neoadjuvant regimens in HER2-positive breast cancer: a randomised phase 2 trial.\n\nPatients were randomly "
            "assigned to trastuzumab plus docetaxel (group A), pertuzumab plus trastuzumab plus docetaxel (group B), "
            "pertuzumab plus trastuzumab (group C) or pertuzumab plus docetaxel (group D). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("title,expected", [
    # set 24 mu9202, set 17 mu6404: the first drugs of a list sharing a patient-state word ("anthracycline- and
    # taxane-pretreated") are the patients' history too, as "anthracycline- and taxane-free" names no drug
    ("Utidelone plus capecitabine in anthracycline- and taxane-pretreated metastatic breast cancer: a phase II study",
     "capecitabine + utidelone"),
    ("Tucatinib and trastuzumab in fluoropyrimidine-, oxaliplatin- and irinotecan-refractory colorectal cancer: a phase "
     "II study", "trastuzumab + tucatinib"),
    # no-match: drugs listed without a shared state word are the regimen
    ("Utidelone plus capecitabine after anthracycline and taxane in metastatic breast cancer: a phase II study",
     "capecitabine + utidelone"),
    ("Anthracycline- and taxane-based chemotherapy in metastatic breast cancer: a phase II study",
     "anthracycline + taxane"),
])
def test_a_list_sharing_a_patient_state(title, expected, rules, pipes):
    text = title + ".\n\nPatients received the study treatment. The objective response rate was 36.4%."
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("36.4", expected)]


@pytest.mark.parametrize("text,expected", [
    # set 24 mu9412: a title ending "... a phase 2 study" names no study code; the code the abstract opens with is the
    # drug
    ("ZG-3006 in relapsed follicular lymphoma: results of a multicenter phase 2 study\n\nZG-3006 is a bispecific "
     "antibody. The ORR was 83.9%.", [("83.9", "zg-3006")]),
    # no-match: a code named as the study on its line is the study, no drug (made-up sets 7 and 9)
    ("Trastuzumab deruxtecan in HER2-mutant lung cancer: a phase 2 study\n\nStudy BO31275 enrolled 90 patients "
     "treated with trastuzumab deruxtecan. The ORR was 55.0%.", [("55.0", "trastuzumab deruxtecan")]),
])
def test_a_study_code_is_named_on_its_line(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("title,expected", [
    # set 24 mu9402, set 16 mu6104: a drug class set off after a drug to say what it is, "X, an anti-PD-1 antibody,",
    # is the drug's description, no second agent
    ("HBM-4183, an Anti-PD-1 Antibody, in Mismatch Repair-Deficient Endometrial Cancer: a phase II study", "hbm-4183"),
    ("HBM-4183, a humanized anti-PD-1 antibody, in endometrial cancer: a phase II study", "hbm-4183"),
    # no-match: a class given with the drug is a second agent
    ("HBM-4183 plus an anti-PD-1 antibody in endometrial cancer: a phase II study", "hbm-4183 + pd-1 inhibitor"),
])
def test_a_class_in_apposition_describes_the_drug(title, expected, rules, pipes):
    text = title + ".\n\nPatients received the study treatment. The objective response rate was 44.4%."
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("44.4", expected)]


@pytest.mark.parametrize("sentence,expected", [
    # set 24 mu9512, mu9508: patient factors' ratios named as prognostic factors or predictors, no model named, are no
    # treatment effects
    ("Visceral metastases (HR 1.36) and liver involvement (HR 1.88) were independent adverse prognostic factors.", []),
    ("Hormone receptor-negative status (HR 1.21) and Black race (HR 1.09) were not significant predictors of OS.", []),
    # no-match: the treatment's ratio in a sentence naming no factor
    ("Tucatinib prolonged OS (HR 0.66; 95% CI 0.50-0.88).", [("OS", "0.66")]),
])
def test_factors_named_prognostic_or_predictors(sentence, expected, rules, pipes):
    text = ("Tucatinib with trastuzumab and capecitabine in routine care: a registry study.\n\nPatients received "
            "tucatinib with trastuzumab and capecitabine. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 19 mu7306, set 24 mu9312: two counts with their percentages, then "respectively", compare the two arms
    ("Objective responses occurred in 124 (33.4%) and 53 (14.3%) patients, respectively (P < .0001).",
     [("33.4", "14.3")]),
    ("Objective response was achieved in 163 (90.1%) and 144 (80.4%) patients, respectively.", [("90.1", "80.4")]),
    # no-match: two counts of one arm, no "respectively", are no comparison
    ("Objective responses occurred in 124 (33.4%) patients; 53 (14.3%) had stable disease.", [("33.4", "")]),
])
def test_two_counts_with_percentages_respectively(sentence, expected, rules, pipes):
    text = ("Ixabepilone plus capecitabine versus capecitabine in metastatic breast cancer: a randomised trial.\n\n"
            "Patients were randomly assigned to ixabepilone plus capecitabine or capecitabine alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu8906, set 7 mu2704, set 2 mu810, set 12 mu4712: in a record of one trial, a value of the trial a drug
    # was registered on, named only as such ("a single-arm pivotal study", "on the basis of a single-group study"), is
    # no result of the record's trial
    ("It received accelerated approval in 2022 on the basis of a single-group study in which the objective response "
     "rate was 32.4%.", [("32.4", "")]),
    ("In a single-arm pivotal study, the objective response rate was 41.3%.", [("41.3", "")]),
    # no-match: the record's own study
    ("In this single-arm study, the objective response rate was 41.3%.", [("41.3", "MIRADOR-3")]),
])
def test_the_registration_trial_is_another_study(sentence, expected, rules, pipes):
    text = ("Mirvetuximab soravtansine in platinum-resistant ovarian cancer (MIRADOR-3): a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to mirvetuximab soravtansine or chemotherapy. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "trial") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9104, mu9106: the state's verb ("were still", "remained") between a percentage and an endpoint that
    # names only the state ("free of progression") is what the patients were: a landmark rate
    ("At 12 months, 60.4% of patients were still free of progression.", [("PFS", "60.4", "12-month")]),
    ("At one year, 41.2% of the women remained free of progression.", [("PFS", "41.2", "1-year")]),
    # no-match: a percentage of patients still on treatment is no endpoint's value
    ("At 12 months, 60.4% of patients were still receiving treatment.", []),
])
def test_patients_still_free_of_progression(sentence, expected, rules, pipes):
    text = ("Trastuzumab deruxtecan in HER2-positive breast cancer with brain metastases: a phase 2 study.\n\n"
            "Patients received trastuzumab deruxtecan. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "timepoint") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 12 mu4404, set 23 mu9112, mu9102, set 11 mu4012: each percentage with its arm, then what the arms were, is one
    # comparison
    ("At 24 months, 48% of niraparib recipients and 20% of placebo recipients in the HRD population were alive "
     "without progression.", [("PFS", "48", "20", "niraparib")]),
    ("At 3 years, 85.9% of women in the niraparib group and 78.4% in the control group were alive without "
     "progression.", [("PFS", "85.9", "78.4", "niraparib")]),
    # set 2 mu720: two cohorts, each its own value
    ("At 18 months, 61% of cohort 1 and 40% of cohort 2 were alive.",
     [("OS", "61", "", "niraparib"), ("OS", "40", "", "niraparib")]),
    # set 11 mu4012: the landmark written before the rates, after another endpoint's values
    ("Median OS was 9.8 versus 6.1 months, and at 2 years 61% of cohort 1 and 40% of cohort 2 were alive.",
     [("OS", "9.8", "6.1", "niraparib"), ("OS", "61", "", "niraparib"), ("OS", "40", "", "niraparib")]),
    # no-match: a percentage of a group with a feature is no value
    ("At 24 months, 48% of niraparib recipients and 20% of placebo recipients were free of grade 3 toxicity.", []),
])
def test_two_groups_percentages_then_their_state(sentence, expected, rules, pipes):
    text = ("Niraparib maintenance in ovarian cancer: a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to niraparib or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 57 mu22610, set 42 mu16710: the last time of a list of landmarks is a timepoint, no value of the endpoint
    ("DFS at 1, 2 and 3 years was: niraparib, 52.4%, 31.1% and 22.6%; placebo, 33.8%, 14.0% and 8.9%.",
     [("52.4", "1-year"), ("31.1", "2-year"), ("22.6", "3-year")]),
    ("PFS rates at 2, 3 and 5 years and a landmark analysis of patients progression-free at 2 years were prespecified.", []),
    # no-match: durations listed as values, not after "at"
    ("Median PFS was 8, 9 and 10 months in cohorts A, B and C, respectively.", [("8", ""), ("9", ""), ("10", "")]),
])
def test_the_last_time_of_a_list_of_landmarks_is_no_value(sentence, expected, rules, pipes):
    text = ("Niraparib maintenance in ovarian cancer: a phase 2 trial.\n\nPatients received niraparib or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "timepoint") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9112, mu9108: a clause opening with the time since the start ("Three years after surgery,") gives the
    # landmark of the rate in it
    ("Three years after surgery, 85.9% of patients were alive without progression.", [("85.9", "3-year")]),
    ("One year after starting, 71% were alive.", [("71", "1-year")]),
    # set 58 mu22906, set 57 mu22402: without the comma, the figure right after the time
    ("Two years after randomization 61.2% of the niraparib group and 50.0% of the placebo group were alive.",
     [("61.2", "2-year")]),
    ("Three years after surgery 85.9% of patients were alive without progression.", [("85.9", "3-year")]),
    # no-match: a time after an event in a case history is no landmark, and no rate follows it
    ("Two years after the operation, she found multiple lung metastases.", []),
    # (nor the share who had died, which is no survival rate: rules/values.yaml died_after; set 57 mu22402, set 20
    # mu7604, set 23 mu8808)
    ("In other words, after five years 94.1% of patients were alive and only 5.9% had died.", [("94.1", "5-year")]),
    ("By the cut-off, 37% of patients had died.", []),
])
def test_landmark_counted_from_the_start(sentence, expected, rules, pipes):
    text = ("Niraparib maintenance in ovarian cancer: a phase 2 trial.\n\nPatients received niraparib. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "timepoint") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9102, mu9112 (rules/endpoints.yaml dfs): free of the cancer's return, in plain words, is disease-free
    # survival, not overall survival
    ("At 5 years, 85.3% of women in the carboplatin group and 86.8% in the control group were alive and free of any "
     "return of the cancer.", [("DFS", "85.3")]),
    ("At 3 years, 85.9% of women in the carboplatin group and 78.4% in the control group were alive without the "
     "cancer returning.", [("DFS", "85.9")]),
    # no-match: alive, no more
    ("At 3 years, 85.9% of women in the carboplatin group and 78.4% in the control group were alive.", [("OS", "85.9")]),
])
def test_free_of_the_cancers_return_is_dfs(sentence, expected, rules, pipes):
    text = ("Carboplatin in triple-negative breast cancer: a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to carboplatin with chemotherapy or chemotherapy alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 25 mu9804 (and set 11 mu4114 across a sentence): the patients a clause opens with, named by their biology,
    # before the endpoint's pronoun, are who the value is for, no harm or frequency
    ("Median PFS was 22.3 months with furmonertinib versus 11.2 months with gefitinib (HR 0.42), and among those with "
     "Leu858Arg mutations it was 16.6 months versus 9.7 months (HR 0.51).", [("22.3", "11.2"), ("16.6", "9.7")]),
    ("Median PFS was 22.3 months with furmonertinib versus 11.2 months with gefitinib, and in patients harbouring "
     "HER2 amplification, it was 16.6 months versus 9.7 months.", [("22.3", "11.2"), ("16.6", "9.7")]),
    # no-match: a frequency of mutations is no value
    ("Median PFS was 22.3 months with furmonertinib versus 11.2 months with gefitinib, and EGFR T790M mutations were "
     "found in 16.6% of patients.", [("22.3", "11.2")]),
])
def test_a_biology_subgroup_before_it_was(sentence, expected, rules, pipes):
    text = ("Furmonertinib versus gefitinib in EGFR-mutant NSCLC: a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to furmonertinib or gefitinib. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 25 mu9906: a cancer's abbreviation right before a registry id ("in HER2-mutant NSCLC (NCT31993437)") names
    # no trial, so the record's values take no trial "NSCLC"
    ("A randomized phase III trial comparing BL-M07D1 with docetaxel in HER2-mutant NSCLC (NCT31993437) is enrolling.",
     [("53.7", "")]),
    # no-match: a name before the registry id, with a cancer in it, is the trial's
    ("The study is registered as PERTH-NSCLC (NCT31993437).", [("53.7", "PERTH-NSCLC")]),
])
def test_a_cancer_before_a_registry_id_is_no_trial(sentence, expected, rules, pipes):
    text = ("BL-M07D1 in HER2-altered non-small cell lung cancer: results from a phase I/II study.\n\n"
            "Patients received BL-M07D1. The ORR was 53.7%. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "trial") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 1 mu220, set 21 mu8008, real extra pmid35605174: each arm with its value in a bracket after it, joined by
    # "than", "and" or "or", is one comparison
    ("Median PFS was longer with everolimus plus letrozole (12.5 months; 95% CI, 9.7 to not reached) than with "
     "placebo plus letrozole (6.8 months; 95% CI, 5.4 to 8.1).", [("12.5", "6.8")]),
    ("Pathologic complete response was observed in 2 patients in the everolimus group (2.7%) and in 4 patients in "
     "the placebo group (5.3%).", [("2.7", "5.3")]),
    ("At 3 years, DFS did not differ between patients who received ET plus everolimus (88% [95% CI, 85 to 91]) or ET "
     "plus placebo (89% [95% CI, 86 to 91]).", [("88", "89")]),
    # no-match: a ranking of values, and groups by biology, each its own value
    ("The network-estimated ORR was highest with everolimus (76.4%; 95% CrI, 70.2%-82.0%) and lowest with placebo "
     "plus letrozole (29.8%).", [("76.4", ""), ("29.8", "")]),
    ("The ORR was similar in patients with PD-L1-high (55.6%) and PD-L1-low (52.9%) tumours.",
     [("55.6", ""), ("52.9", "")]),
])
def test_arms_each_with_its_bracketed_value(sentence, expected, rules, pipes):
    text = ("Everolimus with endocrine therapy in breast cancer: a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to endocrine therapy (ET) plus everolimus or ET plus placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("body,expected", [
    # real tuning abstract pmid37699162 ("duvalumab" beside durvalumab), corpus review 000 ("Pozitotinib" in a
    # reference): a name shaped like a drug, one edit from a drug the text names more often or the lexicon lists, is
    # that drug misspelt
    ("Durvalumab was given in arm 5, durvalumab alone in arm 6. Patients in arm 5 received duvalumab plus "
     "tremelimumab, and the ORR was 15.6%.",
     [("15.6", "durvalumab + tremelimumab")]),
    ("Patients were treated with trastuzmab and vinorelbine; the ORR was 15.6%.", [("15.6", "trastuzumab + vinorelbine")]),
    # no-match: real drugs two edits apart stay two drugs
    ("Patients were treated with afatinib or axitinib; the ORR was 15.6% with axitinib.", [("15.6", "axitinib")]),
    ("Patients were treated with capmatinib; the ORR was 15.6%.", [("15.6", "capmatinib")]),
])
def test_a_misspelt_drug_is_the_drug(body, expected, rules, pipes):
    text = "Targeted therapy in metastatic breast cancer: a phase 2 trial.\n\n" + body
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 20 mu7902, set 11 mu4110: a percentage after a comparison sign is a threshold, no result
    ("Patients with stromal TILs >=30% had a pCR rate of 78.3%, compared with 53.3% for TILs <30%.",
     [("78.3", ""), ("53.3", "")]),
    ("The primary endpoint was the response rate; a response rate of ≥ 55% was considered promising. The response "
     "rate was 61.3%.", [("61.3", "")]),
    # no-match: a value printed with no sign
    ("The pCR rate was 30% in patients with high TILs.", [("30", "")]),
])
def test_a_percentage_after_a_comparison_sign_is_a_threshold(sentence, expected, rules, pipes):
    text = ("Camrelizumab with chemotherapy in triple-negative breast cancer: a phase 2 trial.\n\n"
            "Patients received camrelizumab with nab-paclitaxel and carboplatin. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 18 mu7102, set 22 mu8702 (rules/context.yaml design_threshold): the rates a single-arm design tests against
    # are no results
    ("A sample of 120 patients provided 90% power to exclude an ORR of 30%. The ORR was 52.6%.", [("52.6", "")]),
    ("Each cohort followed a Simon two-stage design with ORR as the primary end point (null rate 10%, alternative "
     "30%). The ORR was 52.6%.", [("52.6", "")]),
    # (the endpoint's short form after "null": set 26 mu10208)
    ("The phase II part (Simon two-stage design; null ORR 10%, alternative 30%) enrolled 40 patients. The ORR was "
     "52.6%.", [("52.6", "")]),
    # no-match: a result that excludes some patients; a result stated before the rate it beat
    ("The ORR was 30%, excluding patients without measurable disease.", [("30", "")]),
    ("The ORR was 35.0% (95% CI 20.6-51.7), exceeding the null rate of 15%.", [("35.0", "")]),
    ("With an ORR of 35.0%, the study met its primary endpoint, rejecting the null hypothesis of 15%.", [("35.0", "")]),
])
def test_the_rates_a_design_tests_against_are_no_results(sentence, expected, rules, pipes):
    text = ("Trastuzumab deruxtecan in HER2-low breast cancer: a phase 2 trial.\n\n"
            "Patients received trastuzumab deruxtecan. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 5 mu1806, real tuning abstract pmid29031778 (rules/attribution.yaml years_of): years of a treatment before
    # the one studied are the patients' history
    ("Extended adjuvant neratinib after one year of trastuzumab gave a 5-year iDFS of 90.2% vs 87.7% with placebo.",
     [("90.2", "neratinib")]),
    ("Neratinib given after 2-3 years of adjuvant trastuzumab gave a 5-year iDFS of 90.2% vs 87.7% with placebo.",
     [("90.2", "neratinib")]),
    # no-match: months of the drug studied
    ("After 12 months of neratinib plus trastuzumab, the 2-year iDFS was 90.2% vs 87.7% with placebo.",
     [("90.2", "neratinib + trastuzumab")]),
])
def test_years_of_a_treatment_before_are_history(sentence, expected, rules, pipes):
    text = ("Neratinib after trastuzumab in early breast cancer: a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to neratinib or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 11 mu4102, set 17 mu6710, set 18 mu7002, set 16 mu6308: a clause that restates the clause before it takes
    # its endpoints in the order written, and a comparison stays a comparison with the experimental value in its place
    ("Among IHC 3+ patients the ORR was 74.4% and median PFS 10.8 months, whereas in the IHC 2+ group the "
     "corresponding values were 41.7% and 6.1 months.",
     [("ORR", "74.4", ""), ("PFS", "10.8", ""), ("ORR", "41.7", ""), ("PFS", "6.1", "")]),
    ("In IHC 3+ patients, response rate was 76.3% and median OS was 20.7 months, whereas in IHC 2+ patients they "
     "were 46.2% and 12.4 months.",
     [("ORR", "76.3", ""), ("OS", "20.7", ""), ("ORR", "46.2", ""), ("OS", "12.4", "")]),
    ("The pCR rate rose from 12.9% to 25.8% (P < .001); when residual noninvasive disease was counted as a failure, "
     "the corresponding figures were 9.6% and 18.9%.",
     [("PCR", "25.8", "12.9"), ("PCR", "18.9", "9.6")]),
    # the sentence before restated (_announced_endpoint): "proportions" refers back too (set 23 mu9102)
    ("The 5-year DFS was 85.3% versus 86.8% (hazard ratio 1.13). At three years the corresponding proportions were "
     "91.0% and 91.9%.", [("DFS", "85.3", "86.8"), ("DFS", "91.0", "91.9")]),
    # no-match: a restating clause that names its own endpoint
    ("Median PFS was 9.3 versus 5.1 months; in the ITT population the corresponding OS figures were 18.2 and 8.3 "
     "months.", [("PFS", "9.3", "5.1"), ("OS", "18.2", "8.3")]),
])
def test_a_clause_that_restates_takes_the_endpoints_before_it(sentence, expected, rules, pipes):
    text = ("Trastuzumab with capecitabine and oxaliplatin in HER2-positive gastric cancer: a randomised phase 3 trial.\n\n"
            "Patients were randomly assigned to trastuzumab with capecitabine and oxaliplatin or to capecitabine and "
            "oxaliplatin alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 26 mu10106, set 22 mu8502: values listed with as many regimens and no one control arm: each value is its own
    # regimen's, compared with none
    ("The ORR was 19.2%, 29.0%, 48.3% and 41.7% with HP, HC, T-DXd and zanidatamab, respectively.",
     [("19.2", "pertuzumab + trastuzumab", ""), ("29.0", "chemotherapy + trastuzumab", ""),
      ("48.3", "trastuzumab deruxtecan", ""), ("41.7", "zanidatamab", "")]),
    ("The 3-year OS rates were 81.2%, 74.0% and 69.5% in the T-DXd, T-DM1 and lapatinib groups, respectively.",
     [("81.2", "trastuzumab deruxtecan", ""), ("74.0", "trastuzumab emtansine", ""), ("69.5", "lapatinib", "")]),
    # no-match: a list of doses names no regimen; two items name the same one
    ("The ORR was 21.4%, 33.3% and 40.0% in the 3.2, 5.4 and 6.4 mg/kg cohorts, respectively.",
     [("21.4", "her2-targeted therapy", ""), ("33.3", "her2-targeted therapy", ""),
      ("40.0", "her2-targeted therapy", "")]),
])
def test_values_listed_with_regimens_and_no_control_are_each_its_regimens(sentence, expected, rules, pipes):
    text = ("HER2-directed therapy in HER2-positive advanced biliary tract cancer: a multicentre retrospective study.\n\n"
            "Regimens were grouped as trastuzumab plus pertuzumab (HP), trastuzumab plus chemotherapy (HC), trastuzumab "
            "deruxtecan (T-DXd), trastuzumab emtansine (T-DM1), lapatinib and zanidatamab. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug", "comparator") == expected


@pytest.mark.parametrize("body,expected", [
    # set 26 mu10204, set 11 mu4306 (set 6 mu2106 the same shape): a label opening its clause, then the verb that gives
    # it its regimen, defines the arm
    ("Cohort A (BTC) received KJ-103 plus gemcitabine and cisplatin; cohort B (GC/GEJ) received KJ-103 plus CAPOX. "
     "In cohort A, ORR reached 58.1%. In cohort B, the ORR was 75.0%.",
     [("58.1", "cisplatin + gemcitabine + kj-103"), ("75.0", "capecitabine + kj-103 + oxaliplatin")]),
    ("Cohort 1 received tucatinib 300 mg orally twice daily plus trastuzumab (8 mg/kg loading, then 6 mg/kg). "
     "Cohort 2 received tucatinib alone. In cohort 2, the ORR was 3.3%.", [("3.3", "tucatinib")]),
])
def test_a_label_that_received_a_regimen_defines_its_arm(body, expected, rules, pipes):
    text = "HER2-targeted therapy in HER2-positive gastrointestinal cancers: a multicohort phase 2 trial.\n\n" + body
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


def test_patients_of_an_arm_who_received_a_later_drug_do_not_define_it(rules, pipes):
    # no-match (set 15 mu5602): "patients assigned to arm B received irinotecan" is later therapy, no arm definition
    text = ("Cisplatin plus etoposide in extensive small-cell lung cancer: a phase 2 trial.\n\n"
            "Patients received cisplatin plus etoposide in arm A or cisplatin plus etoposide and thoracic radiotherapy in "
            "arm B. Thirty-one patients assigned to arm B received irinotecan as second-line treatment. "
            "The ORR in arm B was 61.0%.")
    _, found, _ = record(text, rules, pipes)
    assert "irinotecan" not in [m.drug for m in found]
    assert rows(found, "value") == [("61.0",)]


@pytest.mark.parametrize("body,expected", [
    # set 26 mu10106 (and set 6, set 16 tuning parts): a decimal's last digits before an endpoint are no landmark
    ("Median PFS was 12.4 months. The ORR was 33.7%.", [("PFS", "12.4", ""), ("ORR", "33.7", "")]),
    ("The median OS was 20.7 months. 2-year OS was 41.2%.", [("OS", "20.7", ""), ("OS", "41.2", "2-year")]),
    # no-match: a landmark written before its endpoint
    ("The 12-month PFS rate was 60.2%.", [("PFS", "60.2", "12-month")]),
    # set 18 mu6810, set 47 mu18502, mu18604, set 48 mu18812: the last words of the sentence before ("median age was 62
    # years.") are no landmark of the next sentence's endpoint
    ("Median age was 62 years. Clinical ORR was 67.9%.", [("ORR", "67.9", "")]),
    ("A total of 112 patients were treated; median age was 56 years. Objective responses occurred in 15 of 48 "
     "patients (31.3%).", [("ORR", "31.3", "")]),
    # no-match: an abbreviated unit's point inside a sentence; a follow-up the sentence before ends with (real extra
    # pmid14871985)
    ("The 2-yr. PFS rate was 61%.", [("PFS", "61", "2-year")]),
    ("The follow-up time for all of the patients was 5 years. Overall survival rates were 91% and 75%.",
     [("OS", "91", "5-year"), ("OS", "75", "5-year")]),
])
def test_a_decimal_is_no_landmark(body, expected, rules, pipes):
    text = "Zanidatamab in HER2-positive biliary tract cancer: a phase 2 trial.\n\nPatients received zanidatamab. " + body
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "timepoint") == expected


@pytest.mark.parametrize("body,expected", [
    # set 17 mu6704, set 26 mu10302 and mu10308 (rules/attribution.yaml control_regimen): a clause that opens with the
    # control arm gives that arm's results, and the control arm's regimen is what the record says it was given
    ("ARBORETUM showed that adding pertuzumab to trastuzumab and docetaxel prolonged survival. In the placebo arm, "
     "median PFS was 8.6 months in mutated and 13.8 months in wild-type tumours.",
     [("8.6", "docetaxel + trastuzumab"), ("13.8", "docetaxel + trastuzumab")]),
    ("ORIGAMI-1 compared pertuzumab plus trastuzumab and docetaxel with placebo plus trastuzumab and docetaxel. Within "
     "the control arm, PFS was similar for HER2-E and non-HER2-E disease (27.9 and 30.8 months).",
     [("27.9", "docetaxel + trastuzumab")]),
    # no-match: the control arm named after a value, not opening the clause; the experimental arm opening it
    ("ARBORETUM showed that adding pertuzumab to trastuzumab and docetaxel prolonged survival. Median PFS was 9.5 "
     "months in the pertuzumab arm and 4.1 months in the control arm, and median OS 18.6 versus 12.3 months (HR 0.59).",
     [("9.5", "pertuzumab"), ("18.6", "pertuzumab")]),
])
def test_a_clause_opening_with_the_control_arm_gives_its_regimen(body, expected, rules, pipes):
    text = ("PIK3CA mutations and outcome with pertuzumab, trastuzumab and docetaxel in HER2-positive metastatic breast "
            "cancer: an exploratory analysis of a randomized phase III trial.\n\n" + body)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == expected


@pytest.mark.parametrize("title,body,expected", [
    # set 27 mu10712, set 9 mu3204, set 11 mu4012: in a record that randomises, "X alone or in combination with Y" is
    # "X with or without Y": the combination arm gets every drug
    ("Randomized Study of Lapatinib Alone or in Combination With Trastuzumab in Women With ErbB2-Positive Metastatic "
     "Breast Cancer", "Median PFS was 12.0 weeks with the combination and 8.1 weeks with lapatinib alone (HR, 0.73).",
     [("12.0", "lapatinib + trastuzumab", "lapatinib")]),
    ("Goserelin alone or combined with tamoxifen in premenopausal women with advanced breast cancer: a randomised "
     "trial", "The combination produced a higher objective response rate (38% vs 27%).",
     [("38", "goserelin + tamoxifen", "")]),
    # no-match: a cohort study's two cohorts
    ("Afatinib alone or combined with paclitaxel in advanced non-small cell lung cancer harbouring HER2 exon 20 "
     "mutations: a two-cohort phase 2 study", "In the afatinib cohort, the median PFS was 2.8 months.",
     [("2.8", "afatinib", "")]),
])
def test_alone_or_in_combination_in_a_randomised_record_is_with_or_without(title, body, expected, rules, pipes):
    _, found, _ = record(title + "\n\n" + body, rules, pipes)
    assert rows(found, "value", "drug", "comparator") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 27 mu10506, mu10510 (rules/endpoints.yaml): a remission rate of older trials is the response rate
    ("Remission rates were 29% in patients with soft-tissue disease.", [("ORR", "29")]),
    ("In extensive disease the overall remission rates were 74% and 58% (P less than .05).", [("ORR", "74")]),
    ("Complete and partial remissions occurred in 24 + 22/50 (92%) of patients.", [("ORR", "92")]),
    # no-match: complete remissions alone
    ("The complete remission rates alone were 48% and 35%.", []),
])
def test_a_remission_rate_is_the_response_rate(sentence, expected, rules, pipes):
    text = ("Cisplatin and etoposide alternating with CAV in small-cell lung cancer: a randomized trial.\n\n"
            "Patients were randomized to cisplatin plus etoposide alternating with CAV or to CAV alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("title,expected", [
    # set 27 mu10512, set 15 mu5602 (rules/trial_patterns.yaml group_bracket_protocol): a cooperative group's protocol
    # id in the bracket after the group's name is the trial
    ("Weekly versus every-3-week paclitaxel with carboplatin in advanced NSCLC: a randomized phase III study of the "
     "Hellenic-Adriatic Lung Cancer Group (HALCG 0201)", "HALCG 0201"),
    ("Irinotecan plus cisplatin in advanced gastric cancer: a randomized phase III study of the Adriatic Gastric Cancer "
     "Group (AGCG 97-02)", "AGCG 97-02"),
    # no-match: an arm's size in the bracket after "group"
    ("Weekly paclitaxel with carboplatin in advanced NSCLC: results in the elderly group (n = 118)", ""),
])
def test_a_group_protocol_in_brackets_is_the_trial(title, expected, rules, pipes):
    _, found, _ = record(title + "\n\nThe objective response rate was 28% with weekly paclitaxel.", rules, pipes)
    assert rows(found, "value", "trial") == [("28", expected)]


@pytest.mark.parametrize("sentence,expected", [
    # set 27 mu10710: "programmed death ligand 1" names a checkpoint, no death: the ratio is the clause's PFS's
    ("The progression-free survival benefit was observed in patients with a programmed death ligand 1 combined "
     "positive score of 1 or more (hazard ratio, 0.62).", [("PFS", "0.62")]),
    ("Progression-free survival was longer in tumours expressing programmed cell death 1 ligand (hazard ratio, 0.58).",
     [("PFS", "0.58")]),
    # no-match: a ratio for death
    ("The hazard ratio for death was 0.71.", [("OS", "0.71")]),
])
def test_a_programmed_death_ligand_is_no_death(sentence, expected, rules, pipes):
    text = ("Zanidatamab plus chemotherapy in HER2-positive gastric cancer: a randomized phase 3 trial.\n\n"
            "Patients were randomly assigned to zanidatamab plus chemotherapy or to chemotherapy alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 27 mu10504, set 11 mu4006 (rules/attribution.yaml control_arm): best supportive care by its short form is
    # the control arm
    ("The median duration of survival was 6.8 months with MVP and 4.1 months with BSC (P less than .01).",
     [("6.8", "4.1")]),
    ("Time to progression was longer with MVP than with BSC (10.6 v 6.7 weeks; P < .001).", [("10.6", "6.7")]),
])
def test_best_supportive_care_by_its_short_form_is_the_control(sentence, expected, rules, pipes):
    text = ("Mitomycin, vinblastine and cisplatin versus best supportive care in inoperable non-small cell lung cancer: a "
            "randomized trial.\n\nPatients were randomly assigned to mitomycin 8 mg/m2, vinblastine 6 mg/m2 and "
            "cisplatin 50 mg/m2 (MVP) every 3 weeks, or to best supportive care (BSC) with palliative radiotherapy as "
            "needed. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 27 mu10412, set 12 mu4604, set 16 mu6010 (rules/values.yaml qualifying_threshold): an age or a duration after a
    # comparison sign qualifies patients, no result
    ("OS was analysed by age group (<65, 65-69 and >=70 years). Median OS was 41.2 months.", [("OS", "41.2")]),
    ("The 5-year OS rate for patients ≥65 years was 39.4% with pertuzumab.", [("OS", "39.4")]),
    # no-match: a duration with no sign; a result's own bound
    ("Median OS was 41.2 months in patients aged 70 years or older.", [("OS", "41.2")]),
    ("Pertuzumab gave an ORR of 41.8% (overall survival (OS)>1 year).", [("ORR", "41.8"), ("OS", ">1")]),
])
def test_an_age_or_duration_after_a_comparison_sign_is_no_result(sentence, expected, rules, pipes):
    text = ("Pertuzumab in older patients with HER2-positive metastatic breast cancer: a pooled analysis.\n\n"
            "Patients received pertuzumab, trastuzumab and docetaxel. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 28 mu11002, mu11004, set 8 mu2912: a list of ratios, each followed by the regimen it is given for
    ("By agent, the pooled PFS HRs were 0.58 for palbociclib, 0.55 for ribociclib and 0.53 for abemaciclib.",
     [("0.58", "palbociclib"), ("0.55", "ribociclib"), ("0.53", "abemaciclib")]),
    ("By agent, overall survival HRs were 0·78 for nivolumab, 0·80 for pembrolizumab and 0·75 for tislelizumab.",
     [("0.78", "nivolumab"), ("0.80", "pembrolizumab"), ("0.75", "tislelizumab")]),
    # no-match: a ratio given for a subgroup, no regimen
    ("The OS HR was 0.92 for CPS less than 1 and 0.76 for CPS of 10 or more.",
     [("0.92", "cdk4/6 inhibitor + pd-1 inhibitor"), ("0.76", "cdk4/6 inhibitor + pd-1 inhibitor")]),
])
def test_a_ratio_takes_the_regimen_named_after_it(sentence, expected, rules, pipes):
    text = ("CDK4/6 inhibitors and PD-1 inhibitors in advanced cancer: a systematic review and meta-analysis.\n\n"
            "We pooled randomised trials of CDK4/6 inhibitors and PD-1 inhibitors. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "hr", "drug") == expected


@pytest.mark.parametrize("title,expected", [
    # set 26 mu10206, set 24 mu9210, set 22 mu8708 (rules/attribution.yaml adc_payload): a conjugate's payload is part
    # of the conjugate, no second drug of the regimen
    ("BHX-1618, a HER2-targeting antibody-drug conjugate with a cleavable exatecan-derivative payload, in HER2-low "
     "breast cancer: a phase I study", "bhx-1618"),
    ("KLT-2040, an anti-TROP2 antibody-drug conjugate with a belotecan-derived payload, in metastatic breast cancer: a "
     "phase 1 study", "klt-2040"),
    ("ZR-118, an antibody-drug conjugate with an SN-38 payload, in metastatic breast cancer: a phase 1 study", "zr-118"),
    # no-match: a conjugate named with the chemotherapy given beside it
    ("BHX-1618 with capecitabine in HER2-low breast cancer: a phase I study", "bhx-1618 + capecitabine"),
])
def test_a_conjugates_payload_is_no_drug_of_the_regimen(title, expected, rules, pipes):
    _, found, _ = record(title + "\n\nThe confirmed objective response rate was 38.0% (54/142).", rules, pipes)
    assert rows(found, "value", "drug") == [("38.0", expected)]


@pytest.mark.parametrize("title,sentence,expected", [
    # set 16 mu6208, set 25 mu9612: a pair whose first arm gives only drugs the title compares against is the
    # control's value first
    ("Trastuzumab emtansine versus trastuzumab for residual invasive HER2-positive breast cancer: the RESIDUA trial",
     "Invasive disease-free survival at 8 years was 66.4% with trastuzumab as compared with 79.8% with T-DM1.",
     [("79.8", "66.4", "trastuzumab emtansine")]),
    ("Paclitaxel versus doxorubicin as first-line single-agent chemotherapy for metastatic breast cancer",
     "Among patients with a performance status of 2, response rates were 33% with doxorubicin and 14% with paclitaxel.",
     [("14", "33", "paclitaxel")]),
    # no-match: the title's own regimen named first; a title that compares nothing
    ("Trastuzumab emtansine versus trastuzumab for residual invasive HER2-positive breast cancer: the RESIDUA trial",
     "Invasive disease-free survival at 8 years was 79.8% with T-DM1 and 66.4% with trastuzumab.",
     [("79.8", "66.4", "trastuzumab emtansine")]),
    ("Trastuzumab and trastuzumab emtansine in residual invasive HER2-positive breast cancer",
     "Invasive disease-free survival at 8 years was 66.4% with trastuzumab as compared with 79.8% with T-DM1.",
     [("66.4", "79.8", "trastuzumab")]),
])
def test_a_pair_naming_the_titles_control_arm_first_is_turned(title, sentence, expected, rules, pipes):
    _, found, _ = record(title + "\n\nPatients were randomly assigned to the two regimens. " + sentence, rules, pipes)
    assert rows(found, "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 29 mu11502, BC5CDR cdr006, set 1 mu120 (rules/values.yaml harms_doses_biology): a dose level, cohort or group
    # names whom a result is for, no dose
    ("Response rates by dose level were 33.3% (1/3), 66.7% (4/6) and 75.0% (6/8).",
     [("ORR", "33.3"), ("ORR", "66.7"), ("ORR", "75.0")]),
    ("The overall response rate [complete response (CR) plus partial response (PR)] across all dose levels was 77%.",
     [("ORR", "77")]),
    # no-match: a dose itself between the endpoint and the number
    ("Responses were seen early, and the dose was reduced in 23% of patients.", []),
])
def test_a_dose_level_names_whom_a_result_is_for(sentence, expected, rules, pipes):
    text = ("Phase I study of lapatinib with capecitabine and oxaliplatin in gastric cancer\n\n"
            "Patients received lapatinib at 750 mg (level 1), 1000 mg (level 2) or 1250 mg (level 3). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 29 mu11204, set 14 mu5204, set 5 mu1906 (rules/trial_patterns.yaml named_cohort): a named cohort in the body,
    # its name a coded word with a hyphen, is the value's trial
    ("Poziotinib achieved an ORR of 25.6% in the POZI-2 cohort of pretreated patients.", [("25.6", "POZI-2")]),
    ("In the pivotal HELIOS-BTC cohort, the ORR was 41.3% with zanidatamab.", [("41.3", "HELIOS-BTC")]),
    # no-match: a gene's cohort, a cancer's cohort
    ("Poziotinib achieved an ORR of 25.6% in the KRAS-G12C cohort of pretreated patients.", [("25.6", "")]),
    ("Poziotinib achieved an ORR of 25.6% in the NSCLC cohort of pretreated patients.", [("25.6", "")]),
])
def test_a_coded_cohort_name_is_the_trial(sentence, expected, rules, pipes):
    text = ("Poziotinib and zanidatamab in HER2-altered cancers: an update.\n\n"
            "Patients with HER2-altered tumours were treated. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "trial") == expected


@pytest.mark.parametrize("title,expected", [
    # set 18 mu6906, set 28 mu11012 (rules/attribution.yaml pooled_title): a meta-analysis names the trials it pooled;
    # its values of two classes are each their own, no comparison of arms
    ("Efficacy of HER2-targeted agents in HER2-mutant NSCLC: a systematic review and meta-analysis",
     [("41.3", ""), ("24.6", "")]),
    ("HER2-targeted agents in HER2-mutant NSCLC: a pooled analysis of prospective studies", [("41.3", ""), ("24.6", "")]),
    # no-match: a review naming several trials reads "versus" as a comparison
    ("Efficacy of HER2-targeted agents in HER2-mutant NSCLC: an update", [("41.3", "24.6")]),
])
def test_a_meta_analysis_is_no_passage_about_several_trials(title, expected, rules, pipes):
    text = (title + "\n\nStudies included the LUMINA-H2 trial, the PYRAMID-L trial and the ZENITH-EX20 trial. The pooled "
            "ORR was 41.3% for ADCs versus 24.6% for TKIs.")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 29 mu11208 and mu11210, set 1 mu404, set 3 mu1108, set 13 mu5112 (rules/trial_patterns.yaml in_coded_name): a
    # coded name after "in" with a colon or a bracket after it is the study the clause reports
    ("Inavolisib was combined with palbociclib and fulvestrant in INAVO-B: median PFS 15.6 versus 7.0 months with "
     "placebo.", [("15.6", "INAVO-B")]),
    ("Neratinib reduced invasive disease events after adjuvant trastuzumab in NERIDA-X (5-year iDFS 91.1% vs 88.0%; "
     "HR 0.70).", [("91.1", "NERIDA-X")]),
    # no-match: a class of residual disease, a gene's group
    ("The EFS benefit of neratinib was concentrated in RCB-II (5-year EFS 81.0% vs 72.0%).", [("81.0", ""), ("72.0", "")]),
    ("Neratinib was active in KRAS-mutant (ORR 31.0%) tumours.", [("31.0", "")]),
])
def test_a_coded_name_after_in_with_a_colon_or_bracket_is_the_trial(sentence, expected, rules, pipes):
    text = ("Inavolisib, neratinib and the PI3K pathway in breast cancer: a review.\n\n"
            "Several targeted agents have been tested. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "trial") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 29 mu11206, set 13 mu5112, set 27 mu10508, set 30 mu11904 (rules/endpoints.yaml other_outcomes): a tumour
    # marker's response is no objective response
    ("PSA responses (≥50% decline) were seen in 61% of patients given the talazoparib combination.", []),
    ("The PSA50 response rate was 46% and the ORR in measurable disease 29.0%.", [("ORR", "29.0")]),
    ("A CA-125 response was documented in 21% of patients.", []),
    ("A CA 125 response was documented in 33 of 42 assessable patients (78.6%).", []),
    # no-match: responses by imaging
    ("Responses were seen in 61% of patients given the talazoparib combination.", [("ORR", "61")]),
])
def test_a_tumour_markers_response_is_no_objective_response(sentence, expected, rules, pipes):
    text = ("Talazoparib plus enzalutamide in metastatic castration-resistant prostate cancer: a phase 2 study\n\n"
            "Patients received talazoparib plus enzalutamide. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 11 mu4002, set 15 mu5606 (rules/endpoints.yaml ORR): an objective regression is the response of older trials
    ("Objective regression was observed in 17 of 56 patients (30%) given aminoglutethimide.", [("ORR", "30")]),
    ("Objective regression (complete plus partial) was achieved in 21 of 66 (32%).", [("ORR", "32")]),
    # no-match: a regression model
    ("In logistic regression, 17 of 56 patients (30%) had visceral disease.", []),
])
def test_an_objective_regression_is_the_response(sentence, expected, rules, pipes):
    text = ("Aminoglutethimide in advanced breast cancer: a phase II study\n\n"
            "Patients received aminoglutethimide with hydrocortisone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("text,expected", [
    # set 29 mu11202, set 12 mu4708, set 5 mu1604 (rules/regulatory.yaml label_extension): an agency granting an
    # indication approves it
    ("Olaparib was approved by the FDA in January 2018; the EMA granted the breast indication in April 2019.",
     [("FDA", "olaparib", "2018-01"), ("EMA", "olaparib", "2019-04")]),
    ("Sintilimab is approved only in China, where the NMPA granted the lung indication in February 2021.",
     [("NMPA", "sintilimab", "2021-02")]),
    # no-match: an indication that received a designation, not a grant of it
    ("The indication was granted priority review by the FDA in March 2021 for olaparib.",
     [("FDA", "olaparib", "2021-03")]),
])
def test_an_agency_granting_an_indication_approves_it(text, expected, rules, pipes):
    assert rows(events(text, rules, pipes), "agency", "drug", "date") == expected


@pytest.mark.parametrize("text,expected", [
    # set 29 mu11212, set 21 mu8306, set 16 mu6312, set 7 mu2710: "the combination with X was approved" approves the drug
    # the history is about with its partner X (not the backbone of the regimen approved before)
    ("Lapatinib with capecitabine was approved by the FDA in March 2007; the combination with letrozole was approved by "
     "the FDA in January 2010.", [("capecitabine + lapatinib", "2007-03"), ("lapatinib + letrozole", "2010-01")]),
    ("Bevacizumab was approved by the EMA in 2005 for colorectal cancer; the combination with paclitaxel was approved by "
     "the EMA in 2007.", [("bevacizumab", "2005"), ("bevacizumab + paclitaxel", "2007")]),
    # no-match: a regimen named whole
    ("Lapatinib was approved by the FDA in March 2007; letrozole was approved by the FDA in January 2010.",
     [("lapatinib", "2007-03"), ("letrozole", "2010-01")]),
])
def test_the_combination_with_a_partner_approves_the_drug_with_it(text, expected, rules, pipes):
    assert rows(events(text, rules, pipes), "drug", "date") == expected


def test_a_table_cell_read_as_text_takes_its_rows_regimen(rules, pipes):
    # set 13 mu5012, set 6 mu2014: a cell that states its result in words ("PFS 7.3 vs 3.1 mo (HR 0.50)") in a table
    # whose row names the drug in another column is that drug's result
    text = ("Appendix. Selected regulatory decisions for targeted agents outside the HER2 class\n\n"
            "Date | Agency | Drug | Indication | Decision | Key efficacy\n"
            "2023-11-16 | FDA | capivasertib + fulvestrant | HR+/HER2- advanced breast cancer | Approved | PFS 7.3 vs 3.1 mo (HR 0.50)\n"
            "2024-11 | NMPA | sacituzumab tirumotecan | Triple-negative breast cancer | Approved | PFS 6.7 vs 2.5 mo (HR 0.32)\n")
    found = endpoints(text, rules, pipes)
    assert rows(found, "value", "drug") == [("7.3", "capivasertib + fulvestrant"), ("6.7", "sacituzumab tirumotecan")]


@pytest.mark.parametrize("sentence,expected", [
    # set 30 mu11804, mu11808, mu11806: a ratio cue, a colon, then groups each with its ratio: each group's ratio
    ("PFS HRs by subgroup: left-sided 0.28; right-sided 0.55; prior anti-EGFR 0.35.", ["0.28", "0.55", "0.35"]),
    ("PFS HR by subgroup: IHC 1+ 0.41 (95% CI 0.27-0.62); cisplatin-ineligible 0.39.", ["0.41", "0.39"]),
    # no-match: a list of groups' sizes after a colon with no ratio cue
    ("Subgroups: left-sided 0.28; right-sided 0.55.", []),
])
def test_a_ratio_list_after_a_colon_gives_each_groups_ratio(sentence, expected, rules, pipes):
    text = ("Tucatinib plus trastuzumab in HER2-positive colorectal cancer: the TUCORA trial\n\n"
            "Patients were randomised to tucatinib plus trastuzumab or to chemotherapy. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [m.hr for m in found if m.hr] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9108, set 30 mu11602, mu11604, mu11612: "half of the women were still alive after 17.2 months" is the
    # median survival in plain words
    ("Half of the women were still alive after 17.2 months.", [("OS", "17.2", "months", "")]),
    ("Half of the women who took capecitabine were still alive after 65.1 months.", [("OS", "65.1", "months", "")]),
    # no-match: a landmark rate
    ("After 24 months, 40% of the women were still alive.", [("OS", "40", "%", "24-month")]),
])
def test_half_still_alive_after_a_time_is_the_median(sentence, expected, rules, pipes):
    text = ("Capecitabine in metastatic breast cancer: a phase II study\n\nWomen received capecitabine. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "unit", "timepoint") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 30 mu11602, mu11604, mu11606, mu11608, mu11612, set 16 mu6008 (rules/endpoints.yaml ORR, PFS, DOR): results in a
    # plain-language summary's words
    ("With the higher dose, tumours shrank in 28 out of 51 people (54.9%).", [("ORR", "54.9")]),
    ("Half of the people taking the lower dose lived without their cancer getting worse for 9.6 months or longer.",
     [("PFS", "9.6")]),
    ("The tumour shrinkage lasted a median of 14.8 months.", [("DOR", "14.8")]),
    # no-match: a tumour's size, no result
    ("Tumours were larger than 5 cm in 28 out of 51 people (54.9%).", []),
])
def test_plain_language_results_are_read(sentence, expected, rules, pipes):
    text = ("Trastuzumab deruxtecan for HER2-mutant lung cancer: a plain language summary of the DESTINY-Lung02 study\n\n"
            "People in the study took trastuzumab deruxtecan. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 30 mu11910, set 9 mu3202 (rules/endpoints.yaml DCR): a tumour growth control rate is the disease control rate
    ("Stable disease was recorded in a further 14 patients, for a tumor growth control rate of 62.5%.", [("DCR", "62.5")]),
    ("25 patients had stable disease, for a tumour growth control rate of 60.3%.", [("DCR", "60.3")]),
    # no-match: growth of the tumour, no rate
    ("Tumour growth was slower in 60.3% of patients.", []),
])
def test_a_tumour_growth_control_rate_is_the_disease_control_rate(sentence, expected, rules, pipes):
    text = ("Cisplatin and fluorouracil in advanced gastric cancer: a phase II study\n\n"
            "Patients received cisplatin and fluorouracil. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


_THREE_LABELLED_ARMS = (
    "Neratinib with or without fulvestrant versus fulvestrant in HER2-mutant breast cancer: the randomized three-arm "
    "phase II NEFULV trial\n\n"
    "Patients were randomized 1:1:1 to fulvestrant plus placebo (arm A, control), neratinib (arm B), or neratinib plus "
    "fulvestrant (arm C). ")


@pytest.mark.parametrize("sentence,expected", [
    # set 30 mu11712: a list of as many values as the arms, naming none, after a list for "arms A, B, and C": one value
    # per arm, the control's the comparator of the others
    ("The objective response rate was 12.5%, 25.0%, and 37.5% in arms A, B, and C, and the disease control rate "
     "50.0%, 62.5%, and 75.0%.",
     [("ORR", "25.0", "12.5", "neratinib"), ("ORR", "37.5", "12.5", "fulvestrant + neratinib"),
      ("DCR", "62.5", "50.0", "neratinib"), ("DCR", "75.0", "50.0", "fulvestrant + neratinib")]),
    # set 30 mu11704: the arms listed as "arm B, arm C and arm A", then a "respectively" list in that order
    ("The ORR was 25.0% (8/32), 37.5% (12/32) and 12.5% (4/32) in arm B, arm C and arm A; the CBR was 62.5%, 75.0% "
     "and 50.0%, respectively.",
     [("ORR", "25.0", "12.5", "neratinib"), ("ORR", "37.5", "12.5", "fulvestrant + neratinib"),
      ("CBR", "62.5", "50.0", "neratinib"), ("CBR", "75.0", "50.0", "fulvestrant + neratinib")]),
    # no-match: a list of three values for three groups of its own (no arms): each its own value, compared with none
    ("The objective response rate was 12.5%, 25.0%, and 37.5% in patients with one, two, and three prior lines.",
     [("ORR", "12.5", "", "fulvestrant + neratinib"), ("ORR", "25.0", "", "fulvestrant + neratinib"),
      ("ORR", "37.5", "", "fulvestrant + neratinib")]),
])
def test_a_list_for_labelled_arms_follows_the_arms_order(sentence, expected, rules, pipes):
    _, found, _ = record(_THREE_LABELLED_ARMS + sentence, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value", "drug") == expected


@pytest.mark.parametrize("later,expected", [
    # set 12 mu4408, set 13 mu4804: a list of three values naming no arm, after a sentence giving three arms' values,
    # follows that sentence's arms; the control's value is the comparator of the others
    ("3-year progression-free survival was 41%, 37% and 28%.",
     [("PFS", "41", "28", "nivolumab + relatlimab"), ("PFS", "37", "28", "ipilimumab + nivolumab")]),
    ("The median duration of response was 39.2 months, 32.0 months, and 26.4 months, respectively.",
     [("DOR", "39.2", "26.4", "nivolumab + relatlimab"), ("DOR", "32.0", "26.4", "ipilimumab + nivolumab")]),
    # no-match: a list for groups of its own, no arms
    ("Median overall survival was 40.1, 35.2 and 30.3 months in patients with M1a, M1b and M1c disease.",
     [("OS", "40.1", ""), ("OS", "35.2", ""), ("OS", "30.3", "")]),
])
def test_a_later_list_follows_the_arms_listed_before(later, expected, rules, pipes):
    text = ("Relatlimab and nivolumab versus nivolumab and ipilimumab versus nivolumab in untreated melanoma: a "
            "randomised phase 3 trial\n\n"
            "Patients were randomly assigned to relatlimab-nivolumab, nivolumab-ipilimumab or nivolumab. Median "
            "progression-free survival was 16.2 months with relatlimab-nivolumab, 11.5 months with nivolumab-ipilimumab, "
            "and 6.9 months with nivolumab (hazard ratio vs nivolumab 0.66 and 0.79, respectively). " + later)
    _, found, _ = record(text, rules, pipes)
    got = [r for r in rows(found, "endpoint", "value", "comparator_value", "drug") if r[0] != "PFS" or r[1] not in ("16.2", "11.5")]
    if expected and len(expected[0]) == 3:
        got = [r[:3] for r in got]
    assert got == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 31 mu12002, mu12006, mu12008 (rules/endpoints.yaml ORR): the response rate as English abstracts of
    # Chinese-language journals name it
    ("The clinical effective rate (CR+PR) of the study group was 57.89% (22/38).", [("ORR", "57.89")]),
    ("For patients with left-sided tumors in the observation group, the effective rate reached 65.5%.", [("ORR", "65.5")]),
    # no-match: "effective" of a regimen, no rate
    ("The regimen was effective in 22 of 38 patients (57.89%) with manageable toxicity.", []),
])
def test_an_effective_rate_is_the_response_rate(sentence, expected, rules, pipes):
    text = ("Trastuzumab combined with XELOX in HER2-positive advanced gastric cancer\n\n"
            "Patients in the study group received trastuzumab combined with XELOX. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 31 mu12006, mu12008, mu12004, mu12010, mu12002: a value, then "higher/longer than" the control group's: the
    # control group's value is the comparator, no value of its own
    ("The total effective rate in observation group was 55.0% (22/40), significantly higher than 32.5% (13/40) in "
     "control group (P<0.05).", [("ORR", "55.0", "32.5")]),
    ("The total effective rate of combined group (63.33%) was higher than that of chemotherapy group (40.00%) (P<0.05).",
     [("ORR", "63.33", "40.00")]),
    ("The median PFS and median OS of the study group were 7.6 months and 15.8 months, which were longer than those of "
     "the control group (5.3 months and 11.4 months) (P<0.05).", [("PFS", "7.6", "5.3"), ("OS", "15.8", "11.4")]),
    # no-match: a subgroup's value after "higher than", each its own result
    ("In the subgroup with HER2 IHC 3+, the ORR was 62.2%, higher than 39.6% in IHC 2+ patients.",
     [("ORR", "62.2", ""), ("ORR", "39.6", "")]),
])
def test_a_value_higher_than_the_control_groups_is_compared_with_it(sentence, expected, rules, pipes):
    text = ("Sintilimab combined with XELOX versus XELOX in advanced gastric cancer\n\n"
            "Patients in the observation group received sintilimab combined with XELOX, those in the control group "
            "XELOX alone. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 31 mu12002, set 28 mu10806: two endpoints, each with its short form in a bracket, then their two values in
    # order; the bracketed short form is part of its endpoint, not a third endpoint of the list
    ("The median progression-free survival (PFS) and median overall survival (OS) of the study group were 7.6 months "
     "and 15.8 months.", [("PFS", "7.6"), ("OS", "15.8")]),
    ("Median time to progression (TTP) and median overall survival (mOS) were 5.1 months and 13.9 months.",
     [("TTP", "5.1"), ("OS", "13.9")]),
    # no-match: one endpoint with its short form, then two values of two groups
    ("The median progression-free survival (PFS) was 7.6 months in the study group and 5.3 months in the control group.",
     [("PFS", "7.6")]),
])
def test_an_endpoints_bracketed_short_form_is_part_of_it_in_a_list(sentence, expected, rules, pipes):
    text = ("Trastuzumab combined with XELOX in HER2-positive advanced gastric cancer\n\n"
            "Patients in the study group received trastuzumab combined with XELOX. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("later,expected", [
    # set 26 mu10106, set 30 mu11812: after a list of values each given for its own regimen (no control among them), a
    # "respectively" list of as many values naming no regimen follows those regimens in order
    ("Median PFS was 3.9, 4.6 and 7.2 months, respectively.",
     [("PFS", "3.9", "pertuzumab + trastuzumab"), ("PFS", "4.6", "trastuzumab + tucatinib"),
      ("PFS", "7.2", "trastuzumab deruxtecan")]),
    ("The median duration of response was 6.1, 7.7 and 11.0 months, respectively.",
     [("DOR", "6.1", "pertuzumab + trastuzumab"), ("DOR", "7.7", "trastuzumab + tucatinib"),
      ("DOR", "11.0", "trastuzumab deruxtecan")]),
    # no-match: a list for groups of its own (lines of therapy)
    ("Median PFS was 9.9, 6.6 and 4.2 months in the second, third and later lines.",
     [("PFS", "9.9", ""), ("PFS", "6.6", ""), ("PFS", "4.2", "")]),
])
def test_a_later_list_follows_regimens_listed_without_a_control(later, expected, rules, pipes):
    text = ("HER2-targeted therapy after first-line treatment: a multicentre real-world cohort\n\n"
            "Patients received pertuzumab plus trastuzumab (PT), tucatinib plus trastuzumab (TT) or trastuzumab "
            "deruxtecan (T-DXd). The ORR was 25.9%, 35.4% and 40.0% with PT, TT and T-DXd, respectively. " + later)
    _, found, _ = record(text, rules, pipes)
    got = [r for r in rows(found, "endpoint", "value", "drug") if r[0] != "ORR"]
    if not expected[0][2]:
        got = [(e, v, "") for e, v, _d in got]
    assert got == expected


@pytest.mark.parametrize("sentence,short,expected", [
    # set 30 mu11812, set 20 mu7912: a regimen's short form whose letters the abbreviation detector reads as one of its
    # drugs ("tucatinib plus trastuzumab (TT)" -> "trastuzumab") is the whole regimen, wherever it stands
    ("Patients received tucatinib plus trastuzumab (TT) or T-DM1. The ORR was 35.4% with TT.", "TT",
     {"trastuzumab + tucatinib"}),
    ("Patients received paclitaxel and non-pegylated liposomal doxorubicin (PM) with or without carboplatin. PM was "
     "given weekly.", "PM", {"liposomal doxorubicin + paclitaxel"}),
    # no-match: one drug's own short form stays that drug
    ("Patients received trastuzumab deruxtecan (T-DXd) or T-DM1. The ORR was 35.4% with T-DXd.", "T-DXd",
     {"trastuzumab deruxtecan"}),
])
def test_a_regimens_short_form_is_the_regimen_not_one_of_its_drugs(sentence, short, expected, rules, pipes):
    ann = annotate_text("HER2-targeted therapy in breast cancer\n\n" + sentence, rules, pipes, name="pmid1.txt")
    assert {e.normalized for e in ann.entities if e.text == short and e.label == "DRUG"} == expected


@pytest.mark.parametrize("text,expected", [
    # set 15 mu5908, set 20 mu7802: pysbd reads "35) ... 36)" and "1) ... 2)" as a numbered list even inside brackets;
    # a sentence whose bracket is still open goes on through such a "list item"
    ("Confirmed ORRs were 28.6% (10 of 35) at 4 mg/kg and 41.7% (15 of 36) at 6 mg/kg.",
     ["Confirmed ORRs were 28.6% (10 of 35) at 4 mg/kg and 41.7% (15 of 36) at 6 mg/kg."]),
    ("Extracranial responses were seen in 62.5% (cohort 1) and 58.8% (cohort 2) of patients.",
     ["Extracranial responses were seen in 62.5% (cohort 1) and 58.8% (cohort 2) of patients."]),
    # no-match: a numbered list outside brackets stays split where pysbd splits it
    ("Eligible tumours were: 1) HER2 3+; 2) ISH-positive.", ["Eligible tumours were:", "1) HER2 3+;", "2) ISH-positive."]),
])
def test_a_numbered_list_item_inside_an_open_bracket_ends_no_sentence(text, expected, rules, pipes):
    ann = annotate_text("A phase 1 study of TRX-0621\n\n" + text, rules, pipes, name="pmid1.txt")
    got = [ann.doc.text[s.char_start:s.char_end] for s in ann.sentences][1:]
    assert got == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 33 mu12804, set 5 mu1810 (rules/values.yaml difference_percent_after): "X% relative to Y%" compares the
    # arms' values; only "relative" as a difference's word ("a 28% relative reduction") is no value
    ("The objective response rate was 51.9% relative to 22.5% with placebo.", [("ORR", "51.9", "22.5")]),
    ("Ribociclib increased the 3-year iDFS rate to 90.4% relative to 87.1% with endocrine therapy alone.",
     [("IDFS", "90.4", "87.1")]),
    # no-match: a relative reduction is the size of a difference
    ("Ribociclib gave a 28% relative reduction in the risk of death.", []),
])
def test_a_value_relative_to_another_is_compared_with_it(sentence, expected, rules, pipes):
    text = ("Ribociclib plus endocrine therapy versus endocrine therapy alone: a randomised trial\n\n"
            "Patients were randomly assigned to ribociclib plus endocrine therapy or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 33 mu12810, mu12908, mu12912: after a hazard ratio, the next group named before its own bare ratio
    ("The HR for progression was 0.55 in the TPS 1% to 49% subgroup; in squamous histology it was 0.47 and in "
     "nonsquamous histology 0.58.", ["0.55", "0.47", "0.58"]),
    ("For the NSAI subgroup, the OS HR was 0.69; for the tamoxifen subgroup it was 0.79.", ["0.69", "0.79"]),
    ("Patients with primary endocrine resistance had a PFS HR of 0.69, those with secondary resistance 0.58.",
     ["0.69", "0.58"]),
    # no-match: a P value after a group is no ratio
    ("The HR for progression was 0.55; in the ITT population P was 0.04.", ["0.55"]),
])
def test_the_next_groups_ratio_named_after_its_group(sentence, expected, rules, pipes):
    text = ("Ribociclib plus endocrine therapy versus endocrine therapy alone: a randomised trial\n\n"
            "Patients were randomly assigned to ribociclib plus endocrine therapy or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [m.hr for m in found if m.hr] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 33 mu12810, set 1 mu104, set 20 mu7904 (rules/values.yaml biomarker_cutoff): a biomarker's cut-off is no value
    ("The objective response rate was 43.5% vs 28.4% for a TPS of 1% to 49%.", [("ORR", "43.5", "28.4")]),
    ("In the subgroup with Ki-67 of 20% or higher, the objective response rate was 61.0% vs 40.2%.",
     [("ORR", "61.0", "40.2")]),
    # no-match: a value after a group defined by a cut-off
    ("The objective response rate was 70.8% in patients with CPS ≥20 and 57.1% in those with CPS 1-19.",
     [("ORR", "70.8", ""), ("ORR", "57.1", "")]),
])
def test_a_biomarker_cut_off_is_no_value(sentence, expected, rules, pipes):
    text = ("SHX-2201 versus pembrolizumab in non-small-cell lung cancer: a randomised trial\n\n"
            "Patients were randomly assigned to SHX-2201 or pembrolizumab. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "comparator_value") == expected


@pytest.mark.parametrize("sentence,short,expected", [
    # set 33 mu12906, real extra pmid30106636 (rules/drug_patterns.yaml regimen_link): a regimen's drugs joined with an
    # article ("plus an AI") still spell its short form
    ("Women were assigned to pertuzumab plus trastuzumab plus an AI (PH-AI) or trastuzumab plus an AI (H-AI).", "H-AI",
     {"aromatase inhibitor + trastuzumab"}),
    ("Women received trastuzumab and an aromatase inhibitor (T-AI). T-AI was well tolerated.", "T-AI",
     {"aromatase inhibitor + trastuzumab"}),
    # no-match: the class's own short form stays the class
    ("Women received palbociclib plus an aromatase inhibitor (AI).", "AI", {"aromatase inhibitor"}),
])
def test_a_regimens_drugs_joined_with_an_article_spell_its_short_form(sentence, short, expected, rules, pipes):
    ann = annotate_text("Trastuzumab in HR-positive breast cancer\n\nPatients received an aromatase inhibitor (AI). "
                        + sentence, rules, pipes, name="pmid1.txt")
    assert {e.normalized for e in ann.entities if e.text == short and e.label == "DRUG"} == expected


@pytest.mark.parametrize("later,expected", [
    # set 33 mu13006, set 9 mu3408, set 11 mu4204: a "respectively" pair of one endpoint naming no arm of its own, after
    # a comparison of two arms in the paragraph, compares the same arms in the same order
    ("Median overall survival were 18.9 and 17.2 months, respectively (p=0.71).", [("OS", "18.9", "17.2")]),
    ("In hormone receptor-negative disease, the ORR reached 70.1% and 52.6%, respectively.", [("ORR", "70.1", "52.6")]),
    # no-match: the pair names groups of its own (the induction regimens), each its own value
    ("OS was similar after cisplatin- and carboplatin-based induction (24.1 and 20.9 months, respectively).",
     [("OS", "24.1", ""), ("OS", "20.9", "")]),
])
def test_a_respectively_pair_follows_the_arms_compared_before(later, expected, rules, pipes):
    text = ("Lapatinib plus capecitabine versus trastuzumab plus capecitabine in HER2-positive breast cancer: a "
            "retrospective study\n\n"
            "Patients received lapatinib plus capecitabine (LC) or trastuzumab plus capecitabine (TC). Median TTP was "
            "6.1 months in LC group and 5.4 months in TC group (p=0.38). " + later)
    _, found, _ = record(text, rules, pipes)
    assert [r for r in rows(found, "endpoint", "value", "comparator_value") if r[0] != "TTP"] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 20 mu7712, set 13 mu4808: "they were" takes the endpoint the clause before named
    ("Overall, pCR was achieved in 41.0% of patients in arm A and 53.5% in arm B. In HER2-E tumors, pCR rates were "
     "55.6% and 64.3%, whereas in non-HER2-E tumors they were 21.4% and 38.6%, respectively.", ("21.4", "38.6")),
    ("Overall, pCR was achieved in 41.0% of patients in arm A and 53.5% in arm B. In HR-negative tumours, pCR rates "
     "were 76.0% and 78.2%, whereas in HR-positive tumours they were 50.3% and 52.6%, respectively.", ("50.3", "52.6")),
    # no-match: a clause about other events, whose rates "they were" does not make results
    ("Overall, pCR was achieved in 41.0% of patients in arm A and 53.5% in arm B. Adverse events were frequent, and "
     "serious in 12.0% and 9.5%, respectively.", ("41.0", "53.5")),
])
def test_they_were_takes_the_endpoint_before(sentence, expected, rules, pipes):
    text = ("T-DM1 plus pertuzumab versus paclitaxel, trastuzumab and pertuzumab in early breast cancer: a randomized "
            "trial\n\nPatients received T-DM1 plus pertuzumab (arm A) or paclitaxel, trastuzumab and pertuzumab (arm B). "
            + sentence)
    _, found, _ = record(text, rules, pipes)
    assert expected in rows(found, "value", "comparator_value") and "12.0" not in [m.value for m in found]


@pytest.mark.parametrize("sentence,expected", [
    # set 13 mu4806, set 8 mu2906: after a hazard ratio, the next ratio in its own bracket that names the comparison or
    # ends with its P value
    ("The hazard ratio for PFS was 0.42 (95% CI, 0.27-0.65; P<0.001) for arm B vs arm C and 0.63 (95% CI, 0.41-0.96; "
     "P=0.031) for arm A vs arm C.", [("0.42", ""), ("0.63", "0.031")]),
    ("For overall survival, the hazard ratios were 0.84 (B v A; 95% CI, 0.68 to 1.04) and 0.83 (C v B; 95% CI, 0.67 "
     "to 1.03).", [("0.84", ""), ("0.83", "")]),
    # no-match: a rate with its interval is no ratio
    ("The hazard ratio for PFS was 0.42 (95% CI, 0.27-0.65); the ORR was 51.6% (95% CI, 33.1-69.8; P=0.01).",
     [("0.42", "")]),
])
def test_a_next_ratio_with_its_own_bracketed_interval(sentence, expected, rules, pipes):
    text = ("Zanidatamab with or without chemotherapy versus chemotherapy in biliary tract cancer: a randomized "
            "three-arm trial\n\nPatients were randomized to zanidatamab plus chemotherapy (arm A), zanidatamab (arm B) "
            "or chemotherapy (arm C). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [(m.hr, m.p_value if m.hr == "0.63" else "") for m in found if m.hr] == expected


@pytest.mark.parametrize("reference,expected", [
    # set 34 mu13410, mu13404 (set 8 mu3106, set 21 mu8310 say it too): the arm a sentence names as the reference of
    # three labelled arms gives the others' comparator, not a result of its own
    ("Arm A served as the reference arm.", [("56.9", "46.2"), ("62.0", "46.2")]),
    ("Arm A was the control.", [("56.9", "46.2"), ("62.0", "46.2")]),
    ("Arm A was the reference (control) arm.", [("56.9", "46.2"), ("62.0", "46.2")]),
    # no-match: a reference treatment of a network analysis names no arm; every arm's value its own
    ("Published trials were pooled with cisplatin as the reference treatment.",
     [("46.2", ""), ("56.9", ""), ("62.0", "")]),
])
def test_the_arm_named_as_the_reference_is_the_comparator(reference, expected, rules, pipes):
    text = ("Three schedules of chemotherapy in advanced urothelial cancer: a randomised trial\n\n"
            "Patients were randomly allocated to arm A (gemcitabine and cisplatin), arm B (paclitaxel, gemcitabine and "
            "cisplatin) or arm C (methotrexate, vinblastine, doxorubicin and cisplatin). " + reference
            + " The objective response rate was 46.2% in arm A, 56.9% in arm B and 62.0% in arm C.")
    _, found, _ = record(text, rules, pipes)
    assert sorted(rows(found, "value", "comparator_value")) == expected


@pytest.mark.parametrize("definition,expected", [
    # set 34 mu13410, mu13408, set 16 mu6010: an arm's bracketed definition is the whole bracket (doses and schedules
    # with commas between its drugs), and one that opens with the arm before it ("the same doublet ... with",
    # "Arm A plus") is that arm's regimen and the drugs added
    ("arm A (gemcitabine 1000 mg/m2 on days 1, 8 and 15 and cisplatin 70 mg/m2 on day 2, every 28 days) or arm B "
     "(the same doublet every 21 days with paclitaxel 80 mg/m2 on days 1 and 8)",
     {"arm a": "cisplatin + gemcitabine", "arm b": "cisplatin + gemcitabine + paclitaxel"}),
    ("Arm A [trastuzumab 6 mg/kg plus capecitabine 1000 mg/m2 twice daily and oxaliplatin 130 mg/m2] or Arm B "
     "[Arm A plus pertuzumab 840 mg]",
     {"arm a": "capecitabine + oxaliplatin + trastuzumab", "arm b": "capecitabine + oxaliplatin + pertuzumab + trastuzumab"}),
    # no-match: a bracket of patients' features and a dose names no regimen
    ("cohort A (HER2-positive, 4.8 mg/kg) or cohort B (HER2-positive, 6.4 mg/kg) of trastuzumab deruxtecan", {}),
])
def test_a_bracketed_arm_definition_is_the_whole_bracket(definition, expected, rules, pipes):
    text = "A randomised phase II trial\n\nPatients were randomly allocated to " + definition + ". The ORR was 41%.\n"
    view = DocView(annotate_text(text, rules, pipes, name="pmid1.txt"), rules)
    assert view.arm_regimens == expected


@pytest.mark.parametrize("design,expected", [
    # set 35 mu13804, mu13810, mu13904, mu13908: a design's statistics ("80% power", "type I error", "a target hazard
    # ratio", "a historical ORR"), and two arms' medians with their ratio before "are assumed", are no results
    ("Assuming a median PFS of 10.0 months in the control arm and 14.3 months in the experimental arm (hazard ratio "
     "0.70), 118 events give 80% power with a one-sided alpha of 0.10.", []),
    ("A median PFS of 11.0 versus 7.0 months (HR 0.64) and a median OS of 26.0 versus 20.0 months (HR 0.77) are "
     "assumed; 390 deaths provide 80% power for OS.", []),
    ("PFS was tested with a one-sided type I error of 0.20 against a target hazard ratio of 0.65.", []),
    ("The arm was tested against a historical ORR of 50% (target 70%; one-sided alpha 0.05, power 80%).", []),
    # set 34 mu13304, set 37 mu14602, set 13 mu4814, set 20 mu7906: a non-inferiority margin is no result
    ("The primary endpoint was PFS, with a non-inferiority margin for the hazard ratio of 1.35.", []),
    ("The combination was to be declared non-inferior if the upper limit of the 95% confidence interval (CI) for the "
     "hazard ratio (HR) of PFS was below 1.25.", []),
    # no-match: the trial's results, a power word elsewhere in the abstract
    ("Median PFS was 10.0 months in the control arm and 14.3 months in the experimental arm (hazard ratio 0.70; "
     "95% CI 0.55-0.89).", [("PFS", "14.3", "0.70")]),
    ("Median PFS was 14.3 versus 10.0 months (hazard ratio 0.70; 95% CI 0.55-0.89), and non-inferiority was shown.",
     [("PFS", "14.3", "0.70")]),
])
def test_a_designs_statistics_are_no_results(design, expected, rules, pipes):
    text = ("Pertuzumab plus trastuzumab and FOLFOX in HER2-positive gastric cancer: a randomised phase II trial\n\n"
            "Patients were randomly assigned to FOLFOX plus trastuzumab with pertuzumab or with placebo. " + design
            + " The trial had 80% power for its primary endpoint.")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value", "hr") == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 35 mu13806, set 2 mu616: a dose arm in the words a ratio is for is no ratio
    ("Overall survival data are immature (HR for 2.4 mg/kg vs TPC, 0.71; 95% CI 0.35-1.44).", ["0.71"]),
    ("Overall survival was longer (HR for 960 mg vs investigator's choice 0.70; p = 0.20).", ["0.70"]),
    # no-match: the ratio itself, with no dose before it
    ("Overall survival was longer (hazard ratio for death, 0.71; 95% CI 0.35-1.44).", ["0.71"]),
])
def test_a_dose_in_a_ratios_words_is_no_ratio(sentence, expected, rules, pipes):
    text = ("CTX-1828 versus treatment of physician's choice in HER2-positive gastric cancer: a randomised trial\n\n"
            "Patients were randomised to CTX-1828 or treatment of physician's choice (TPC). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [m.hr for m in found if m.hr] == expected


@pytest.mark.parametrize("cell,expected", [
    # set 36 mu14302, mu14310: a median not reached in the first arm of a compared cell is a value, its comparator
    # the second arm's
    ("NR vs 38.2", [("OS", "NR", "38.2")]),
    ("NR vs NR", [("OS", "NR", "NR")]),
    # no-match: a cell that is no value
    ("immature", []),
])
def test_a_table_cell_not_reached_versus_a_median(cell, expected, rules, pipes):
    text = ("4.1 Antibody-drug conjugates in HER2-positive breast cancer\n\n"
            "Table 4. Randomised trials of HER2-directed antibody-drug conjugates\n"
            "Trial | Phase | Regimen vs comparator | n | Median OS (months)\n"
            f"ARCADIA-ADC | III | T-DXd vs T-DM1 | 512 | {cell}\n"
            "DUOCARB-M | III | Trastuzumab duocarmazine vs TPC | 437 | 20.4 vs 19.5\n\n"
            "T-DXd was compared with T-DM1 in ARCADIA-ADC, trastuzumab duocarmazine with TPC in DUOCARB-M.\n")
    _, found, _ = record(text, rules, pipes)
    assert [r for r in rows(found, "endpoint", "value", "comparator_value") if r[1] != "20.4"] == expected


@pytest.mark.parametrize("definition,expected", [
    # set 38 mu14906, mu14912: the regimen a record marks "(…, reference)" gives a list's control: its value is the
    # others' comparator, also in a later list in the same order
    ("trastuzumab emtansine (T-DM1, reference), tucatinib plus trastuzumab and capecitabine (TTC) or trastuzumab "
     "deruxtecan (T-DXd)", [("23.9", "16.7"), ("27.4", "16.7"), ("43.8", "22.0"), ("64.9", "22.0")]),
    # no-match: a choice of drugs marked as the reference is no one regimen; every value its own
    ("trastuzumab emtansine (T-DM1) or docetaxel or paclitaxel (reference), tucatinib plus trastuzumab and "
     "capecitabine (TTC) or trastuzumab deruxtecan (T-DXd)",
     [("16.7", ""), ("22.0", ""), ("23.9", ""), ("27.4", ""), ("43.8", ""), ("64.9", "")]),
])
def test_the_regimen_marked_reference_is_the_comparator(definition, expected, rules, pipes):
    text = ("Real-world outcomes of HER2-directed regimens in breast cancer with brain metastases: the BRAINSTAR study\n\n"
            "We included patients treated between 2020 and 2024 with " + definition + ". The intracranial objective "
            "response rate was 22.0% with T-DM1, 43.8% with TTC and 64.9% with T-DXd. Median OS was 16.7, 23.9 and 27.4 "
            "months, respectively.\n")
    _, found, _ = record(text, rules, pipes)
    assert sorted(rows(found, "value", "comparator_value")) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 38 mu14906, set 20 mu7812: a short form the text defined for a regimen ("TTC") is the regimen, not the
    # endpoint abbreviation it spells (time to chemotherapy)
    ("The objective response rate was 43.8% with TTC, 22.0% with T-DM1 and 64.9% with T-DXd.",
     {"43.8": "capecitabine + trastuzumab + tucatinib", "22.0": "trastuzumab emtansine", "64.9": "trastuzumab deruxtecan"}),
    ("Patients treated with T-DXd immediately before TTC had a shorter rwPFS (5.4 vs 8.2 months; HR 1.62).",
     {"5.4": None}),
    # no-match: the endpoint's abbreviation where no regimen was so named
    ("Median TTC was 14.2 months.", {}),
])
def test_a_regimens_defined_short_form_is_no_endpoint(sentence, expected, rules, pipes):
    text = ("Real-world outcomes of HER2-directed regimens: the BRAINSTAR study\n\nWe included patients treated with "
            "trastuzumab emtansine (T-DM1), tucatinib plus trastuzumab and capecitabine (TTC) or trastuzumab deruxtecan "
            "(T-DXd). " + sentence if "Median TTC" not in sentence else
            "Real-world outcomes of T-DXd: the BRAINSTAR study\n\nWe included patients treated with trastuzumab "
            "deruxtecan (T-DXd). " + sentence)
    _, found, _ = record(text, rules, pipes)
    drugs = {m.value: m.drug for m in found if m.value}
    assert set(drugs) == set(expected) and all(d is None or drugs[v] == d for v, d in expected.items())


@pytest.mark.parametrize("sentence,expected", [
    # set 37 mu14708, set 38 mu14802, set 33 mu13008, set 2 mu820: "... and 73.9% without it" is the arm without the
    # drug, the comparison's control
    ("The overall response rate was 91.7% with trastuzumab and 73.9% without it.", [("91.7", "73.9")]),
    ("The objective response rate was 44.2% with the combination and 29.5% without them.", [("44.2", "29.5")]),
    # no-match: "without" and a noun names another group
    ("The objective response rate was 44.2% with trastuzumab and 29.5% without measurable disease.",
     [("29.5", ""), ("44.2", "")]),
])
def test_without_it_is_the_arm_without_the_drug(sentence, expected, rules, pipes):
    text = ("Trastuzumab with neoadjuvant chemotherapy in HER2-positive breast cancer: a randomised trial\n\n"
            "Patients were randomly assigned to chemotherapy with or without trastuzumab. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted(rows(found, "value", "comparator_value")) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 23 mu9010, set 37 mu14712, set 38 mu15002: a patient group's value compared with the rest's ("those who did
    # not", "those without ...") is two groups' values, not a value and its comparator
    ("Patients who achieved total pCR had a 5-year PFS of 85%, compared with 76% in those who did not (hazard ratio "
     "0.54, 95% CI 0.29-1.00).", [("76", ""), ("85", "")]),
    ("Patients with a pCR had a 3-year event-free survival of 93%, compared with 81% in those without (hazard ratio "
     "0.42).", [("81", ""), ("93", "")]),
    ("Within the experimental group, patients whose ctDNA was suppressed by day 15 had a median PFS of 21.6 months, "
     "compared with 9.8 months for those without suppression.", [("21.6", ""), ("9.8", "")]),
    # no-match: the first group is a treatment's, the rest those not given it: one comparison
    ("Patients who received trastuzumab had a 3-year event-free survival of 88%, compared with 79% in those who did "
     "not (hazard ratio 0.61).", [("88", "79")]),
])
def test_a_groups_value_against_the_rests_is_two_values(sentence, expected, rules, pipes):
    text = ("Neoadjuvant paclitaxel and trastuzumab in HER2-positive breast cancer: a randomised phase III trial\n\n"
            "Patients were randomly assigned to paclitaxel plus trastuzumab or paclitaxel plus lapatinib. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted(rows(found, "value", "comparator_value")) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 39 mu15402, mu15412, set 13 mu4808: a hazard ratio naming the labelled arm it is for ("HR for B vs A") goes to
    # that arm's value, not to the value nearest before it
    ("Median PFS was 7.8, 10.9 and 12.6 months in arms A, B and C, respectively (HR for B vs A 0.70, 95% CI 0.58-0.85; "
     "HR for C vs A 0.58, 95% CI 0.48-0.71).", {"10.9": "0.70", "12.6": "0.58"}),
    ("Median PFS was 7.9, 10.1 and 9.2 months in arms A, B and C, respectively (hazard ratio [HR] for arm B vs arm A "
     "0.74, 95% CI 0.61-0.90; HR for arm C vs arm A 0.86, 95% CI 0.71-1.04).", {"10.1": "0.74", "9.2": "0.86"}),
    # no-match: a ratio naming no arm label goes to the nearest value before it
    ("Median PFS was 7.8, 10.9 and 12.6 months in arms A, B and C, respectively (HR 0.58, 95% CI 0.48-0.71).",
     {"12.6": "0.58"}),
])
def test_a_ratio_for_a_labelled_arm_goes_to_that_arms_value(sentence, expected, rules, pipes):
    text = ("KJ-0415 with or without tislelizumab plus CAPOX in HER2-positive gastric cancer: a randomised phase II trial\n\n"
            "Patients were randomly assigned to trastuzumab plus CAPOX (arm A), KJ-0415 plus CAPOX (arm B) or KJ-0415 plus "
            "tislelizumab and CAPOX (arm C). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert {m.value: m.hr for m in found if m.value and m.hr} == expected


@pytest.mark.parametrize("ratio,expected", [
    # set 17 mu6412, set 39 mu15402, mu15412, set 13 mu4808: a hazard ratio of one labelled arm against another ("HR for
    # arm A v arm C", "HR for B vs A") names the reference arm: its value in a list is the others' comparator
    ("mPFS A/B/C: 9.1/8.0/6.2 mo; HR B vs C 0.81, HR A vs C 0.59.", [("45", "35"), ("49", "35")]),
    ("The HR for B vs C was 0.81 and for A vs C 0.59.", [("45", "35"), ("49", "35")]),
    # no-match: no ratio names a reference: three arms' values
    ("Median PFS was 9.1 months in arm A and 8.0 months in arm B (hazard ratio 0.59; P = .009).",
     [("35", ""), ("45", ""), ("49", "")]),
])
def test_the_arm_a_ratio_is_against_is_the_reference(ratio, expected, rules, pipes):
    text = ("Nab-paclitaxel schedules versus docetaxel in metastatic breast cancer: a randomised phase II trial\n\n"
            "Patients were randomly assigned to nab-paclitaxel 150 mg/m2 weekly (arm A), nab-paclitaxel 100 mg/m2 weekly "
            "(arm B) or docetaxel 75 mg/m2 every 3 weeks (arm C). Overall response rates were 49% in arm A, 45% in arm B "
            "and 35% in arm C. " + ratio)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value or "") for m in found if m.endpoint == "ORR") == expected


@pytest.mark.parametrize("title,methods,expected", [
    # set 39 mu15310: the drug the title compares the others against, written with their shared backbone, is the
    # reference of a "respectively" list of three arms, and of the next bare list in the same order
    ("Ramucirumab or aflibercept versus bevacizumab, each with FOLFIRI, in metastatic colorectal cancer: a randomised "
     "phase 2 trial", "Patients were randomly assigned to FOLFIRI plus ramucirumab, FOLFIRI plus aflibercept or FOLFIRI "
     "plus bevacizumab.", [("13.8", "13.1"), ("14.6", "13.1"), ("56.1", "54.0"), ("60.2", "54.0")]),
    # set 40 mu15702: the arm the sentence's ratios are "versus", also in a record that randomised nothing
    ("Real-world outcomes of first-line systemic therapy for metastatic colorectal cancer",
     "We included patients treated with ramucirumab, aflibercept or bevacizumab, each with FOLFIRI.",
     [("13.8", "13.1"), ("14.6", "13.1"), ("56.1", "54.0"), ("60.2", "54.0")]),
    # no-match: no reference named: each arm's own values
    ("Real-world outcomes of first-line systemic therapy for metastatic colorectal cancer",
     "We included patients treated with ramucirumab, aflibercept or bevacizumab, each with FOLFIRI.", None),
])
def test_the_reference_of_a_list_of_three_arms(title, methods, expected, rules, pipes):
    ratios = " (hazard ratios versus bevacizumab, 0.93 and 0.88)" if "Real-world" in title and expected else ""
    text = (title + "\n\n" + methods + " Median overall survival was 13.8, 14.6 and 13.1 months in the ramucirumab, "
            "aflibercept and bevacizumab arms, respectively" + ratios + ". The 12-month overall survival rates were 56.1%, "
            "60.2% and 54.0%.\n")
    _, found, _ = record(text, rules, pipes)
    got = sorted((m.value, m.comparator_value or "") for m in found if m.endpoint == "OS" and m.value)
    if expected is None:
        assert got == [("13.1", ""), ("13.8", ""), ("14.6", ""), ("54.0", ""), ("56.1", ""), ("60.2", "")]
    else:
        assert got == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 39 mu15310, set 40 mu15702, set 33 mu13112, set 9 mu3504: a list of hazard ratios after as many values compared
    # with one control goes to them in order
    ("Median PFS was 7.4 months with ramucirumab and 7.8 months with aflibercept, compared with 6.9 months with "
     "bevacizumab (hazard ratios 0.92 [95% CI 0.68-1.25] and 0.86 [0.63-1.17], respectively).", {"7.4": "0.92", "7.8": "0.86"}),
    ("Median PFS was 7.4 months with ramucirumab and 7.8 months with aflibercept, against 6.9 months with bevacizumab "
     "(HRs 0.92 and 0.86, respectively).", {"7.4": "0.92", "7.8": "0.86"}),
    # no-match: two arms' values compared with each other, no control: the first ratio only, to their comparison
    ("Median PFS was 7.4 months with ramucirumab and 7.8 months with aflibercept (hazard ratios 0.92 and 0.86, "
     "respectively).", {"7.4": "0.92"}),
])
def test_a_list_of_ratios_goes_to_the_compared_values_in_order(sentence, expected, rules, pipes):
    text = ("Ramucirumab or aflibercept versus bevacizumab, each with FOLFIRI, in metastatic colorectal cancer: a "
            "randomised phase 2 trial\n\nPatients were randomly assigned to FOLFIRI plus ramucirumab, FOLFIRI plus "
            "aflibercept or FOLFIRI plus bevacizumab. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert {m.value: m.hr for m in found if m.value and m.hr} == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 39 mu15210, set 28 mu11106, set 35 mu13804, set 20 mu7712: how much a measure must fall or shrink is a
    # threshold that defines a response, no rate
    ("The objective response rate was 58.2%, and a PSA decline of 50% or more occurred in 86.1% of patients.", ["58.2"]),
    ("The objective response rate, a tumor size reduction of at least 50%, was 41.3%.", ["41.3"]),
    # no-match: a rate after other words
    ("The objective response rate was 58.2%, and disease control was achieved in 86.1% of patients.", ["58.2", "86.1"]),
])
def test_a_threshold_of_change_is_no_rate(sentence, expected, rules, pipes):
    text = "A phase 2 trial of VP-3316 in metastatic cancer\n\n" + sentence
    _, found, _ = record(text, rules, pipes)
    assert sorted(m.value for m in found if m.value) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 42 mu16406, mu16608, set 34 mu13304, set 33 mu12810: a second comparison of the sentence, for another
    # biomarker group, compares the arms again; the group before it is the first comparison's
    ("The pCR rate was 68.6% versus 63.0% in PD-L1-positive tumours (P=0.40) and 72.4% versus 70.1% in hormone "
     "receptor-negative disease.", [("68.6", "63.0"), ("72.4", "70.1")]),
    ("The ORR was 61.5% vs 30.2% overall, 66.0% vs 29.1% in PD-L1-positive tumors and 55.8% vs 31.7% in PD-L1-negative "
     "tumors.", [("55.8", "31.7"), ("61.5", "30.2"), ("66.0", "29.1")]),
    # no-match: two biomarker groups' values compared with each other stay two values
    ("In the IHC 3+ cohort the pCR rate was 68.6%, versus 43.0% in IHC 2+ tumours.", [("43.0", ""), ("68.6", "")]),
])
def test_a_second_comparison_for_another_group_compares_arms(sentence, expected, rules, pipes):
    text = ("DKN-2204 plus neoadjuvant chemotherapy in HER2-positive breast cancer: a randomised phase 3 trial\n\n"
            "Patients were randomly assigned to DKN-2204 or placebo with TCbHP. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted(rows(found, "value", "comparator_value")) == expected


@pytest.mark.parametrize("ratios,expected", [
    # set 41 mu16104, set 39 mu15402, set 30 mu11712, set 23 mu9010, set 13 mu4812: a ratio said against a labelled arm
    # ("HR versus arm C") names the reference arm; "... for arm B" gives the ratio's own arm
    ("(hazard ratios versus arm C of 0.59 for arm A and 0.81 for arm B)", {"49": ("35", ""), "45": ("35", "")}),
    ("(HR versus arm C, 0.81 [95% CI 0.48-1.37] for arm B and 0.59 [95% CI 0.41-0.86] for arm A)",
     {"49": ("35", ""), "45": ("35", "")}),
    # no-match: a ratio naming no labelled arm
    ("(hazard ratio 0.59)", {"49": ("", ""), "45": ("", ""), "35": ("", "")}),
])
def test_a_ratio_versus_a_labelled_arm_names_the_reference(ratios, expected, rules, pipes):
    text = ("Three schedules of nab-paclitaxel in metastatic breast cancer: a randomised phase II trial\n\n"
            "Patients were randomly assigned to nab-paclitaxel 150 mg/m2 weekly (arm A), nab-paclitaxel 100 mg/m2 weekly "
            "(arm B) or nab-paclitaxel 260 mg/m2 every 3 weeks (arm C). Overall response rates were 49% in arm A, 45% in arm B "
            "and 35% in arm C. Median PFS was 9.1, 8.0 and 6.2 months in arms A, B and C, respectively " + ratios + ".")
    _, found, _ = record(text, rules, pipes)
    got = {m.value: (m.comparator_value or "", "") for m in found if m.endpoint == "ORR"}
    assert got == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 41 mu16104, set 13 mu4806: a ratio followed by the labelled arm it is for ("0.81 [...] for arm B") goes to
    # that arm's value
    ("Median PFS was 9.1 months in arm A, 8.0 months in arm B and 6.2 months in arm C (hazard ratio 0.81 (95% CI "
     "0.60-1.09) for arm B vs arm C and 0.59 (95% CI 0.43-0.80) for arm A vs arm C).", {"9.1": "0.59", "8.0": "0.81"}),
    # no-match: ratios naming no arm: the nearest value before each
    ("Median PFS was 9.1 months in arm A, 8.0 months in arm B and 6.2 months in arm C (hazard ratio 0.81).",
     {"6.2": "0.81"}),
])
def test_a_ratio_for_the_arm_named_after_it(sentence, expected, rules, pipes):
    text = ("Nab-paclitaxel schedules versus docetaxel in metastatic breast cancer: a randomised phase II trial\n\n"
            "Patients were randomly assigned to nab-paclitaxel 150 mg/m2 weekly (arm A), nab-paclitaxel 100 mg/m2 weekly "
            "(arm B) or docetaxel 75 mg/m2 every 3 weeks (arm C). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert {m.value: m.hr for m in found if m.value and m.hr} == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 28 mu11102, mu11108, set 41 mu16006: the next value of a list after the last one's own group ("... of the
    # patients whose ctDNA cleared by cycle 2 and in 38.1% of those with ...") is the same endpoint's, whatever words
    # that group has (a number that is no value, a mutation)
    ("Pathological complete response was achieved in 79.5% of the patients whose ctDNA cleared by cycle 2 and in 38.1% "
     "of those with persistent ctDNA.", ["38.1", "79.5"]),
    ("Responses were observed in 62.5% (5/8) of patients with G1202R, in 20.0% (1/5) of those with compound mutations "
     "and in 27.0% of those without a detectable ALK mutation.", ["20.0", "27.0", "62.5"]),
    # no-match: a frequency after the group is no value
    ("Pathological complete response was achieved in 79.5% of the patients, and an ESR1 mutation was found in 38.1% of "
     "those with persistent ctDNA.", ["79.5"]),
])
def test_the_next_value_after_a_groups_words(sentence, expected, rules, pipes):
    text = "Lorlatinib or T-DXd in a phase 2 trial (KASUMI-ALK)\n\n" + sentence
    _, found, _ = record(text, rules, pipes)
    assert sorted(m.value for m in found if m.value) == expected


@pytest.mark.parametrize("definition,expected", [
    # set 41 mu16212, set 27 mu10510, set 30 mu11912: the P of a regimen's short form spells cisplatin (its brand
    # Platinol, rules/drugs.yaml), so "IP" and "EP" are the two arms and their values one comparison
    ("irinotecan plus cisplatin (IP) with etoposide plus cisplatin (EP)",
     [("67.4", "57.6", "cisplatin + irinotecan", "cisplatin + etoposide")]),
    # no-match: letters that spell no drug of the long form stay no regimen
    ("irinotecan plus cisplatin (IQ) with etoposide plus cisplatin (EQ)", None),
])
def test_a_short_form_may_spell_cisplatin_by_its_brand(definition, expected, rules, pipes):
    text = ("Irinotecan plus cisplatin versus etoposide plus cisplatin for small-cell lung cancer: a randomised phase III "
            "trial\n\nWe compared " + definition + " in extensive-stage small-cell lung cancer. 171 patients were randomly "
            "assigned. Responses were observed in 58 of 86 patients (67.4%) given "
            + ("IP and 49 of 85 (57.6%) given EP." if expected else "IQ and 49 of 85 (57.6%) given EQ."))
    _, found, _ = record(text, rules, pipes)
    got = sorted((m.value, m.comparator_value or "", m.drug, m.comparator or "") for m in found if m.value)
    if expected is None:
        assert not any(m.drug == "cisplatin + etoposide" and m.value == "57.6" for m in found)
    else:
        assert got == expected


@pytest.mark.parametrize("after,expected", [
    # set 39 mu15310, set 40 mu15602: a list of rates ending "of patients with measurable disease" names no group of
    # its own: one rate per arm, in the order of the arms listed before, the reference's the comparator
    (" of patients with measurable disease.", [("14.5", "12.3"), ("19.8", "12.3")]),
    # no-match: patients named by a biomarker are a group of their own
    (" of patients with HER2-low disease.", [("12.3", ""), ("14.5", ""), ("19.8", "")]),
])
def test_a_list_of_rates_of_the_measurable_patients_follows_the_arms(after, expected, rules, pipes):
    text = ("Ramucirumab or aflibercept versus bevacizumab, each with FOLFIRI, in metastatic colorectal cancer: a randomised "
            "phase 2 trial\n\nPatients were randomly assigned to FOLFIRI plus ramucirumab, FOLFIRI plus aflibercept or "
            "FOLFIRI plus bevacizumab. Median overall survival was 13.8, 14.6 and 13.1 months in the ramucirumab, "
            "aflibercept and bevacizumab arms, respectively. Objective responses occurred in 14.5%, 19.8% and 12.3%" + after)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value or "") for m in found if m.endpoint == "ORR") == expected



@pytest.mark.parametrize("raw,expected", [
    # set 43 mu16804, mu16808 (and set 33 mu13010): a text that writes its decimals with a comma, "58,8%", "9,2
    # months", "HR 1,04 (95% CI 0,69-1,57; p=0,85)"
    ("The response rate was 58,8% with EP and 40,6% with EC (p=0,13); median survival was 9,2 months (HR 1,04; "
     "95% CI 0,69-1,57; p<0,001).",
     "The response rate was 58.8% with EP and 40.6% with EC (p=0.13); median survival was 9.2 months (HR 1.04; "
     "95% CI 0.69-1.57; p<0.001)."),
    # set 43 mu16802, mu16806, mu16810, real tuning abstract pmid20647706: a space after the decimal point
    ("the remission rate was 52. 1% (25/48) and the disease control rate 81. 3% (39/48), with a response in 4 cases "
     "(36. 4%).",
     "the remission rate was 52.1%  (25/48) and the disease control rate 81.3%  (39/48), with a response in 4 cases "
     "(36.4% )."),
    # no-match: one such number alone is a list or a sentence's end; thousands keep their comma; a text writing its
    # decimals with a point keeps a comma between numbers
    ("Of 1,234 patients, 12,5% had stopped by week 12. 15% of patients had grade 3 events.", None),
    ("The ORR was 45.2% and 38.1% in cohorts 1,2 (9.4 vs 7.1 months; HR 0.72, 95% CI 0.51-0.98).", None),
])
def test_decimals_written_with_a_comma_or_a_spaced_point(raw, expected):
    from pipeline.ingest.text import normalize_chars
    got = normalize_chars(raw)
    assert len(got) == len(raw)                # offsets into the saved text hold
    assert got == (expected if expected is not None else raw)


def test_values_of_a_text_with_decimal_commas(rules, pipes):
    text = ("Paclitaxel plus epirubicin versus cyclophosphamide plus epirubicin in metastatic breast cancer: a randomised "
            "trial\n\n68 patients were randomised to paclitaxel plus epirubicin (EP) or cyclophosphamide plus epirubicin (EC). "
            "The response rate was 63,6% (7/11) with EP and 20,0% (2/10) "
            "with EC in c-erbB-2 overexpressing tumours. The median time to progression was 9,4 months versus 7,1 months "
            "(p=0,04).")
    ann, found, _ = record(text, rules, pipes)
    got = sorted((m.endpoint, m.value, m.comparator_value or "") for m in found if m.value)
    assert got == [("ORR", "63.6", "20.0"), ("TTP", "9.4", "7.1")]
    assert "(p=0.04)" in ann.doc.text      # the saved text, the one the quotes are cut from
    assert all(ann.doc.text[m.prov.char_start:m.prov.char_end] == m.prov.quote for m in found)


@pytest.mark.parametrize("sentence,expected", [
    # set 42 mu16602, mu16608, set 8 mu3010, set 33 mu12810: a number inside a group's name ("TPS 1%-49%", "(>=1%)",
    # "95% CI") is no comparator of the comparison before: the next comparison for another group compares the arms
    ("Median OS was 27.5 versus 14.9 months for TPS of 50% or more (HR 0.49), 20.8 versus 13.1 months for TPS 1%-49% "
     "(HR 0.66; 95% CI 0.49-0.88) and 16.4 versus 12.8 months for TPS below 1% (HR 0.83; 95% CI 0.58-1.19).",
     [("16.4", "12.8"), ("20.8", "13.1"), ("27.5", "14.9")]),
    # no-match: a group named between the two values makes each its own group's, after a comparison or not
    ("Median OS was 27.5 versus 14.9 months overall (HR 0.49), and the ORR was 80.8% in PD-L1-high tumours, versus "
     "40.0% in PD-L1-negative tumours.",
     [("27.5", "14.9"), ("40.0", ""), ("80.8", "")]),
])
def test_the_next_comparison_after_a_group_named_with_a_number(sentence, expected, rules, pipes):
    text = ("SRN-3047 plus chemotherapy versus placebo plus chemotherapy in advanced non-small-cell lung cancer: a "
            "randomised phase 3 trial\n\n520 patients were randomly assigned to SRN-3047 plus chemotherapy or placebo "
            "plus chemotherapy. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value or "") for m in found if m.value) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 40 mu15904: each group's comparison in its own bracket after the group
    ("The PFS benefit was seen with TPS of 50% or more (median, 13.1 vs 5.6 months; HR, 0.38), TPS 1-49% (9.5 vs 5.9 "
     "months; HR, 0.55) and TPS below 1% (7.1 vs 5.5 months; HR, 0.71).",
     [("13.1", "5.6", "0.38"), ("7.1", "5.5", "0.71"), ("9.5", "5.9", "0.55")]),
    # set 14 mu5402, set 17 mu6512, set 23 mu9104, set 35 mu13808: "12 of 50 (24%; 95% CI ...), 14 of 50 (28%; ...)"
    ("Objective responses were seen in 12 of 50 (24%; 95% CI 13.1-38.2), 14 of 50 (28%; 16.2-42.5) and 20 of 80 (25%; "
     "16.0-35.9) patients at the three dose levels, respectively.",
     [("24", "", ""), ("25", "", ""), ("28", "", "")]),
    # no-match: after the bracket closes, the next clause's bracket of another kind of event is no result
    ("The PFS benefit was seen overall (median, 13.1 vs 5.6 months; HR, 0.38), with more neutropenia (35.0% vs 12.0%).",
     [("13.1", "5.6", "0.38")]),
])
def test_values_each_in_its_own_bracket_after_a_group(sentence, expected, rules, pipes):
    text = ("HBX-0931 versus placebo in advanced non-small-cell lung cancer (GALLEON-L1): a randomised phase 3 trial\n\n"
            "In this trial, 520 patients were randomly assigned to HBX-0931 or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value or "", m.hr or "") for m in found if m.value) == expected


@pytest.mark.parametrize("arms,expected", [
    # set 44 mu17512, set 12 mu4606: a dose of four digits written without a comma is a dose of the regimen's drug
    # ("gemcitabine 1250 mg/m2 on days 1 and 8 plus cisplatin 70 mg/m2 on day 1 (GC)"); set 44 mu17512, set 24
    # mu9302, set 28 mu11104: "dose-dense" before the drugs leads the short form with its initials ("(ddMVAC)")
    ("dose-dense methotrexate, vinblastine, doxorubicin and cisplatin (ddMVAC) every 2 weeks, or to gemcitabine "
     "1250 mg/m2 on days 1 and 8 plus cisplatin 70 mg/m2 on day 1 (GC)",
     [("61.7", "57.0", "cisplatin + doxorubicin + methotrexate + vinblastine", "cisplatin + gemcitabine")]),
    # no-match: letters that spell no drug after the prefix stay no regimen
    ("dose-dense methotrexate, vinblastine, doxorubicin and cisplatin (ddXYZ) every 2 weeks, or to gemcitabine "
     "1250 mg/m2 on days 1 and 8 plus cisplatin 70 mg/m2 on day 1 (GC)", None),
])
def test_a_short_form_after_four_digit_doses_or_a_dose_dense_lead(arms, expected, rules, pipes):
    short = "ddMVAC" if expected else "ddXYZ"
    text = ("Dose-dense MVAC versus gemcitabine-cisplatin before cystectomy for bladder cancer: a randomised phase II "
            "trial\n\nPatients were randomly assigned to four cycles of " + arms + " every 3 weeks. The 3-year "
            "progression-free survival was 61.7% with " + short + " and 57.0% with GC (HR 0.86; 95% CI 0.56-1.32).")
    _, found, _ = record(text, rules, pipes)
    got = sorted((m.value, m.comparator_value or "", m.drug, m.comparator or "") for m in found if m.value)
    if expected is None:
        assert not any(m.drug == "cisplatin + doxorubicin + methotrexate + vinblastine" for m in found)
    else:
        assert got == expected


@pytest.mark.parametrize("sentence,trial", [
    # set 43 mu16904 (and set 1 mu312, set 13 mu5012 by the shared list): a group named by a biomarker's status before
    # a bracket is no trial; set 44 mu17206: an assay as the subject of a reporting verb is none either
    ("The OS benefit was seen in RAS-mutant (HR 0.62; 95% CI 0.40-0.96) tumours.", ""),
    ("Central FISH confirmed amplification in 91% of cases, and the ORR was 41.2%.", ""),
    # no-match: a trial named in capitals, whatever its last word, is a trial
    ("The OS benefit was seen in DAWNLIGHT-LOW (HR 0.62; 95% CI 0.40-0.96).", "DAWNLIGHT-LOW"),
])
def test_a_biomarker_group_or_an_assay_is_no_trial_name(sentence, trial, rules, pipes):
    text = ("Trastuzumab deruxtecan in metastatic colorectal cancer: a retrospective multicentre cohort\n\n"
            "We reviewed 120 patients treated with trastuzumab deruxtecan. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert found and {m.trial for m in found} == {trial}


@pytest.mark.parametrize("arms,cancer", [
    # set 43 mu17104, set 7 mu2512: two capitals that are an arm's or a regimen's letters name no cancer in a text that
    # never names that cancer otherwise ("GC": gemcitabine plus capecitabine, not gastric cancer)
    ("to gemcitabine (G), G plus erlotinib (GE) or G plus capecitabine 830 mg/m2 twice daily on days 1-21 of each "
     "28-day cycle (GC). Median OS was 6.1, 7.4 and 7.9 months for G, GE and GC.", "other"),
    # no-match: where the text names gastric cancer in full, its short form stands for it
    ("to gemcitabine (G), G plus erlotinib (GE) or G plus capecitabine (GX); patients with gastric cancer (GC) were "
     "excluded. Median OS was 6.1, 7.4 and 7.9 months in patients with GC.", "gastric"),
])
def test_two_capitals_name_a_cancer_only_where_the_text_names_it(arms, cancer, rules, pipes):
    text = ("Gemcitabine alone or combined with erlotinib or capecitabine in advanced pancreatic cancer: a randomised "
            "three-arm phase 2 trial\n\nPatients were randomly assigned " + arms)
    ann, found, _ = record(text, rules, pipes)
    assert any(e.normalized == "gastric" for e in ann.entities if e.label == "CANCER") == (cancer == "gastric")


@pytest.mark.parametrize("sentence,expected", [
    # set 43 mu16908, mu16912, mu16904: a jurisdiction given its own date beside the agency named is one more agency
    ("Pertuzumab was approved by the FDA in June 2012 and in the European Union in March 2013 for metastatic breast "
     "cancer.", [("EMA", "2013-03"), ("FDA", "2012-06")]),
    ("Trifluridine/tipiracil (FTD/TPI) was approved in Japan in March 2014 and by the US FDA in September 2015 for "
     "metastatic colorectal cancer.", [("FDA", "2015-09"), ("PMDA", "2014-03")]),
    # no-match: a place without a date of its own is no second approval
    ("Pertuzumab was approved by the FDA in June 2012 for patients treated in the European Union and elsewhere.",
     [("FDA", "2012-06")]),
])
def test_a_jurisdiction_with_its_own_date_beside_an_agency(sentence, expected, rules, pipes):
    text = "Background\n\n" + sentence
    _, _, events = record(text, rules, pipes)
    assert sorted((e.agency, e.date) for e in events) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 45 mu17904, mu17908: a rate's landmarks named as a list, then as many values for one arm and as many for the
    # other: the i-th of each run is the i-th landmark's, the first run's compared with the second's
    ("The 12-, 18- and 24-month PFS rates were 56.0%, 47.3% and 40.8% versus 38.2%, 28.9% and 24.6%, respectively.",
     [("12-month", "56.0", "38.2"), ("18-month", "47.3", "28.9"), ("24-month", "40.8", "24.6")]),
    ("OS at 24 and 36 months was 64.0% and 54.1% with TQL-2705 and 55.9% and 44.3% with placebo.",
     [("24-month", "64.0", "55.9"), ("36-month", "54.1", "44.3")]),
    ("The 2-year and 3-year OS rates were 40.6% and 25.3% with TQL-2705 compared with 29.8% and 17.2% with placebo.",
     [("2-year", "40.6", "29.8"), ("3-year", "25.3", "17.2")]),
    # no-match: runs joined by "and" that name no arm after each are one list, no comparison
    ("The 12-, 18- and 24-month PFS rates were 56.0%, 47.3% and 40.8%, and 38.2%, 28.9% and 24.6% of patients had "
     "responded.", None),
    # one run only (set 57 mu22610, with the landmarks after the endpoint): the i-th value is the i-th landmark's
    ("Overall survival at 1, 2 and 5 years was 80.0%, 60.0% and 30.0%, respectively.",
     [("1-year", "80.0", ""), ("2-year", "60.0", ""), ("5-year", "30.0", "")]),
    ("PFS at 3 and 5 years was 78.0% and 70.0%, and overall survival at 3 and 5 years 88.0% and 81.0%.",
     [("3-year", "78.0", ""), ("3-year", "88.0", ""), ("5-year", "70.0", ""), ("5-year", "81.0", "")]),
])
def test_landmark_lists_then_one_run_of_rates_per_arm(sentence, expected, rules, pipes):
    text = ("TQL-2705 versus placebo in advanced non-small-cell lung cancer: a randomised phase 3 trial\n\nPatients were "
            "randomly assigned to TQL-2705 or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    got = sorted((m.timepoint, m.value, m.comparator_value or "") for m in found if m.value and m.endpoint in ("PFS", "OS"))
    if expected is None:
        assert not any(m.comparator_value for m in found)
    else:
        assert got == expected


@pytest.mark.parametrize("definition,expected", [
    # set 45 mu17610 (and the Oxford comma of set 25 mu9608, set 27 mu10702, real extra pmid18349391): the last drug of
    # a list after its comma and "and" still belongs to the regimen its short form names
    ("Methotrexate, vinblastine, Adriamycin, and cisplatin (M-VAC)", ("31", "24", "cisplatin + doxorubicin + methotrexate + vinblastine")),
    # no-match: letters that spell no drug of the list stay no regimen
    ("Methotrexate, vinblastine, Adriamycin, and cisplatin (M-VXC)", None),
])
def test_a_short_form_after_a_list_with_a_serial_comma(definition, expected, rules, pipes):
    short = "M-VAC" if expected else "M-VXC"
    text = (definition + " versus cisplatin and methotrexate (CM) in advanced urothelial carcinoma: a randomized "
            "comparison.\n\nOne hundred forty-one patients were randomized. The median duration of response was 31 weeks "
            "with " + short + " and 24 weeks with CM.")
    ann, found, _ = record(text, rules, pipes)
    got = [(m.value, m.comparator_value or "", m.drug) for m in found if m.value]
    if expected is None:
        assert not any(e.text == short and e.label == "DRUG" for e in ann.entities)
    else:
        assert got == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 42 mu16612: after the ratio's own interval, the next group's bare ratio; set 46 mu18012: a group holding a
    # bracket; set 34 mu13210: groups named by what the patients had before ("after one ... after two")
    ("The PFS HR was 0.71 (95% CI 0.45-1.12) in women aged 65 years or older and 0.55 in younger women.", ["0.55", "0.71"]),
    ("The EFS benefit increased with PD-L1 expression: HRs were 0.45 for a tumour proportion score (TPS) of 50% or more, "
     "0.62 for TPS 1-49% and 0.79 for TPS below 1%.",
     ["0.45", "0.62", "0.79"]),
    ("The OS hazard ratio was 0.85 in Asian and 0.94 in non-Asian patients, and 0.82 after one and 0.97 after two "
     "previous lines of chemotherapy.", ["0.82", "0.85", "0.94", "0.97"]),
    # no-match: a number after the group that is a dose or a P value is no ratio
    ("The PFS HR was 0.71 (95% CI 0.45-1.12) in women aged 65 years or older and P was 0.04 in younger women.", ["0.71"]),
])
def test_the_next_groups_bare_ratio_after_a_ratio_and_its_interval(sentence, expected, rules, pipes):
    text = ("Drug X versus placebo in advanced cancer: a randomised phase 3 trial\n\nPatients were randomly assigned to "
            "drug X or placebo. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted(m.hr for m in found if m.hr) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 45 mu17608, mu17612: a bare "survival" with its own landmark after a "-free survival" of the same sentence is
    # overall survival, not the endpoint named before
    ("Among patients with c-erbB-2-negative tumors, 5-year relapse-free survival was 66% versus 64% (P = .62) and "
     "5-year survival 79% versus 78%.", [("OS", "79"), ("RFS", "66")]),
    ("The actuarial 1-year progression-free survival was 68% and 74%, and the actuarial 1-year survival 84% and 87%, "
     "respectively.", [("OS", "84"), ("PFS", "68")]),
    # no-match: without a landmark of its own the word is the endpoint the clause named before (real extra pmid20031962)
    ("Progression-free survival was 10.1 months with gefitinib, whereas the survival of those treated with platinum "
     "was 6.0 months.", [("PFS", "10.1")]),
])
def test_a_landmark_survival_after_a_free_survival_is_overall_survival(sentence, expected, rules, pipes):
    text = ("CAF versus CMF as adjuvant therapy for breast cancer: a randomized trial\n\nPatients were randomized to CAF "
            "or CMF. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value) for m in found if m.value) == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 44 mu17202, set 8 mu3008: a test's sensitivity, specificity or predictive value is no response rate
    ("Clearance predicted radiological response with an area under the curve of 0.76 (sensitivity 71%, specificity "
     "80%).", []),
    ("The sensitivity of the assay for subsequent response was 65%, with a specificity of 96%.", []),
    # no-match: a response rate stays one
    ("The objective response rate was 71% (95% CI 60-80).", ["71"]),
])
def test_a_tests_accuracy_is_no_result(sentence, expected, rules, pipes):
    text = ("ZG-1058 in HER2-positive gastric cancer: a single-arm phase 2 trial with circulating tumour DNA\n\n"
            "Patients received ZG-1058. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted(m.value for m in found if m.value) == expected


@pytest.mark.parametrize("groups,expected", [
    # set 43 mu16806, set 31 mu12006: in a text that names a control group, "the observation group" is the arm studied
    ("the observation group (lapatinib plus capecitabine, 40 cases) and the control group (trastuzumab plus "
     "capecitabine, 39 cases)", ("35.0", "25.6", "capecitabine + lapatinib", "capecitabine + trastuzumab")),
    # no-match: without a control group, observation is the control ("trastuzumab or observation")
    ("the trastuzumab group (trastuzumab plus capecitabine, 40 cases) and the observation group (capecitabine alone, "
     "39 cases)", ("35.0", "25.6", "trastuzumab", "capecitabine")),
])
def test_the_observation_group_beside_a_control_group_is_the_arm_studied(groups, expected, rules, pipes):
    first, second = ("observation group", "control group") if "control group" in groups else ("trastuzumab group", "observation group")
    text = ("Capecitabine-based therapy for HER2-positive breast cancer with brain metastases: a randomized controlled "
            "study\n\nPatients were divided into " + groups + ". The objective response rate of the " + first + " and the "
            + second + " were 35.0% (14/40) and 25.6% (10/39), P=0.36.")
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.comparator_value or "", m.drug, m.comparator or "") for m in found if m.value] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 43 mu17112 (set 13 mu4808): a "vs" chain of as many values as the text's labelled arms, one of them the
    # reference: one value per arm in order, the reference's the comparator of the others
    ("Median PFS was 3.5 vs 5.8 vs 5.1 months in arms A, B and C.",
     [("5.1", "3.5", "pegylated liposomal doxorubicin + trk-7706"), ("5.8", "3.5", "bevacizumab + pegylated liposomal doxorubicin")]),
    ("The 6-month PFS rate was 26.1% vs 47.8% vs 41.3%.",
     [("41.3", "26.1", "pegylated liposomal doxorubicin + trk-7706"), ("47.8", "26.1", "bevacizumab + pegylated liposomal doxorubicin")]),
    # no-match: a chain of fewer values than arms is a comparison of its own (the last the comparator)
    ("Median PFS was 5.8 vs 3.5 months.", [("5.8", "3.5", "pegylated liposomal doxorubicin")]),
])
def test_a_vs_chain_over_the_labelled_arms(sentence, expected, rules, pipes):
    text = ("Pegylated liposomal doxorubicin alone or with bevacizumab or TRK-7706 in platinum-resistant ovarian cancer: a "
            "randomised three-arm phase 2 trial\n\nWomen were randomly assigned to pegylated liposomal doxorubicin (PLD) "
            "alone (arm A, reference), PLD with bevacizumab (arm B) or PLD with TRK-7706 (arm C). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value or "", m.drug) for m in found if m.value) == expected


def test_what_patients_had_received_before_the_study_is_prior_therapy(rules, pipes):
    # set 48 mu19104, set 45 mu17706 (rules/attribution.yaml prior_therapy): what the patients "had received" is their
    # earlier treatment ("62% had received a PD-1 or PD-L1 inhibitor", "all patients had received trastuzumab with a
    # fluoropyrimidine and platinum"), so the results after it stay with the study drug
    found = _rows("made_up48", "mu19104.txt")
    assert found[("ORR", "52.2")][1] == found[("PFS", "7.4")][1] == "zrx-1702"
    found = _rows("made_up45", "mu17706.txt")
    assert "trastuzumab" not in found[("ORR", "57.1")][1]
    # no-match: a drug the patients received in the study is theirs
    text = ("ZX-4417 with trastuzumab in HER2-mutant lung cancer: a phase 2 trial.\n\nNinety patients received ZX-4417 "
            "with trastuzumab. The ORR was 52.2%.")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "drug") == [("52.2", "trastuzumab + zx-4417")]


def test_groups_by_line_of_therapy_are_no_arms_of_one_treatment():
    # set 15 mu5704, set 47 mu18502 and mu18506: "5.6 months in third-line group and 4.1 months in later-line group",
    # "5.3 months in the second-line cohort and 3.9 months in the later-line cohort" of one treatment are two results,
    # one per group, none the other's comparator (and a later "respectively" list follows the same two groups)
    found = _rows("made_up15", "mu5704.txt")
    assert found[("PFS", "5.6")][0] == "" and ("PFS", "4.1") in found
    found = _rows("made_up47", "mu18502.txt")
    assert found[("TTP", "5.3")][0] == "" and ("TTP", "3.9") in found and ("OS", "10.4") in found
    found = _rows("made_up47", "mu18506.txt")
    assert ("TTF", "2.9") in found and ("ORR", "12.7") in found
    # no-match: a record that randomises the line compares its groups (set 13 mu4810)
    found = _rows("made_up13", "mu4810.txt")
    assert found[("PFS", "31.2")][0] == "22.0"


def test_a_comparison_naming_no_arm_compares_the_arms_named_before():
    # set 47 mu18406, set 29 mu11302: after "5-year DFS was 77.5% with TEC and 71.9% with FEC", "Five-year overall
    # survival was 88.3% v 85.0%" and a ratio alone ("(HR, 0.78)") in the same paragraph compare TEC with FEC, not the
    # record's drugs together; after "11.3 months ... with sunvozertinib and 6.8 months ... with chemotherapy", "Overall
    # survival data were immature (hazard ratio for death, 0.83 ...)" is sunvozertinib's
    found = _rows("made_up47", "mu18406.txt")
    tec, fec = "cyclophosphamide + docetaxel + epirubicin", "cyclophosphamide + epirubicin + fluorouracil"
    assert found[("OS", "88.3")] == ("85.0", tec, fec)
    assert found[("DFS", "")][1:] == (tec, fec)
    rows = _file_rows("made_up29", "mu11302.txt")["endpoint"]
    assert [(r["drug"], r["comparator"]) for r in rows if r["hr"] == "0.83"] == [("sunvozertinib", "chemotherapy")]


def test_a_comparison_naming_its_own_drug_keeps_it(rules, pipes):
    # no-match: a comparison in the next paragraph, or one whose sentence names its own drug, keeps its own reading
    text = ("Docetaxel versus fluorouracil with epirubicin and cyclophosphamide: a randomized trial.\n\n"
            "Women were randomly assigned to TEC or FEC. Five-year DFS was 77.5% with TEC and 71.9% with FEC "
            "(HR 0.77). With docetaxel, febrile neutropenia was common, and the 5-year OS was 88.3% v 85.0%.")
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.drug, m.comparator) for m in found if m.value == "88.3"] == [("88.3", "docetaxel", "")]


@pytest.mark.parametrize("sentence,expected", [
    # set 48 mu18812 (rules/attribution.yaml labels_then_ratio; the wording also in set 30 mu11712, "arm B vs. A: HR",
    # where the sentence splitter ends a sentence at "vs." so the ratio is read apart): "(B vs A: HR 0.66 ...; C vs A:
    # HR 0.55 ...)": each ratio goes to the value of the arm its labels name first, whichever value is nearest
    ("Median PFS was 7.1 vs 10.9 vs 12.6 months in arms A, B and C (B vs A: HR 0.66, 95% CI 0.43-1.01; C vs A: HR 0.55, "
     "95% CI 0.36-0.85).", [("10.9", "0.66"), ("12.6", "0.55")]),
    ("Median PFS was 7.1 vs 10.9 vs 12.6 months in arms A, B and C (arm B versus A: HR 0.66, 95% CI 0.43-1.01; arm C "
     "versus A: HR 0.55, 95% CI 0.36-0.85).", [("10.9", "0.66"), ("12.6", "0.55")]),
])
def test_a_ratio_after_the_labels_it_compares(sentence, expected, rules, pipes):
    text = ("Atezolizumab alone or with chemotherapy in lung cancer: a randomised three-arm phase 2 trial.\n\nPatients were "
            "randomised to atezolizumab (arm A, reference), atezolizumab plus carboplatin and pemetrexed (arm B), or "
            "atezolizumab plus carboplatin, pemetrexed and bevacizumab (arm C). " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.hr) for m in found if m.value and m.hr) == expected


def test_labels_then_ratio_needs_labels(rules):
    # no-match: a drug's name before "vs A: HR" is no arm label
    rx = next(r.regex for r in rules.patterns("attribution", "reference_arm") if r.id == "labels_then_ratio")
    assert rx.search("(T-DM1 vs A: HR 0.5)") is None and rx.search("(B vs A: HR 0.66)").group("for") == "B"


_DFS = "\n\nThe 5-year DFS was 84.1%."
_OS = "\n\nMedian overall survival was 9.4 months with ZLX-2210 and 7.9 months with chemotherapy alone."
_ORR = "\n\nThe objective response rate was 33.3% (25 of 75)."


@pytest.mark.parametrize("text,field,expected", [
    # set 47 mu18412, set 14 mu5310 (rules/trial_patterns.yaml trial_name): design words in lower case, with commas and
    # the phase, between a trial's name and "trial" ("the ANTHRAFREE-H non-inferiority trial", "the AXIS-9801
    # randomized trial", "the ECHO-BS randomized, double-blind, phase III equivalence trial" of set 19 mu7402)
    ("Docetaxel, carboplatin and trastuzumab in early breast cancer: 5-year results of the ANTHRAFREE-H "
     "non-inferiority trial." + _DFS, "trial", ("84.1", "ANTHRAFREE-H")),
    ("Docetaxel, carboplatin and trastuzumab in early breast cancer: final results of the AXIS-9801 randomized "
     "trial." + _DFS, "trial", ("84.1", "AXIS-9801")),
    ("Docetaxel, carboplatin and trastuzumab in early breast cancer: the ECHO-BS randomized, double-blind, phase III "
     "equivalence trial." + _DFS, "trial", ("84.1", "ECHO-BS")),
    # no-match: design words with no name before them
    ("Docetaxel, carboplatin and trastuzumab in early breast cancer: a randomized, double-blind, phase III equivalence "
     "trial." + _DFS, "trial", ("84.1", "")),
    # set 15 mu5606, set 48 mu19012 (rules/cancers.yaml other): a head and neck cancer named with its site after "of the"
    ("Cisplatin and fluorouracil with or without ZLX-2210 in recurrent or metastatic squamous cell carcinoma of the "
     "head and neck: a randomised phase III trial." + _OS, "cancer_type", ("9.4", "other")),
    ("Cisplatin and fluorouracil with or without ZLX-2210 in advanced carcinoma of the head and neck: a randomised "
     "phase III trial." + _OS, "cancer_type", ("9.4", "other")),
    # no-match: a site after "of the" that is no cancer word
    ("Cisplatin and fluorouracil with or without ZLX-2210 in recurrent disease of the head and neck region treated "
     "earlier: a randomised phase III trial." + _OS, "cancer_type", ("9.4", "")),
    # set 48 mu19106, set 40 mu15708, set 21 mu8106 (DocView._appositive_class): a class named with its article right
    # before a drug describes that drug ("the anti-PD-1 antibody TLX-4407", "the PD-L1 antibody KLN-5067"), no second agent
    ("Lenvatinib plus the anti-PD-1 antibody TLX-4407 for hepatocellular carcinoma: a phase 2 trial." + _ORR, "drug",
     ("33.3", "lenvatinib + tlx-4407")),
    ("Anlotinib with the PD-L1 antibody KLN-5067 in advanced soft-tissue sarcoma: a phase 2 trial." + _ORR, "drug",
     ("33.3", "anlotinib + kln-5067")),
    # no-match: a class with no drug right after it is an agent of its own
    ("Lenvatinib plus a PD-1 inhibitor for hepatocellular carcinoma: a phase 2 trial." + _ORR, "drug",
     ("33.3", "lenvatinib + pd-1 inhibitor")),
])
def test_what_a_title_names_is_read_whole(text, field, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, getattr(m, field)) for m in found] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # set 48 mu19104, mu19112 (rules/values.yaml general_benchmark): a figure "usually quoted for" a setting is a
    # benchmark, no result of the record
    ("Response rates of about 10-15% are usually quoted for docetaxel in this setting.", []),
    ("Response rates of about 20% are usually quoted for second-line single agents.", []),
    # a pain response after radiotherapy is no objective response (rules/endpoints.yaml other_outcomes, set 47 mu18712)
    ("At 3 months, the overall pain response rate was 61.8% and complete pain response was achieved by 22.1%.", []),
    # no-match: the record's own response rate
    ("The response rate was 20% with ZX-4417.", [("ORR", "20")]),
])
def test_benchmarks_and_other_responses_are_no_results(sentence, expected, rules, pipes):
    text = ("ZX-4417 in previously treated ovarian cancer: a phase 2 trial.\n\nPatients received ZX-4417 every 3 weeks. "
            + sentence)
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


def test_groups_named_by_what_they_had_before_keep_their_lists_apart():
    # set 36 mu14208, mu14212: the two groups a sentence gave values for are named by what they had before
    # ("43.6% in lapatinib-naive patients (cohort 3A) and 27.3% in lapatinib-pretreated patients", "48.6% in 37 patients
    # who had previously received a HER2 TKI (mostly poziotinib or pyrotinib) and 58.3% in 60 TKI-naive patients"): a
    # later "respectively" list in the sentence is one value per group, none the other's comparator
    found = _rows("made_up36", "mu14208.txt")
    assert found[("OS", "15.1")][0] == "" and ("OS", "13.0") in found
    found = _rows("made_up36", "mu14212.txt")
    assert found[("PFS", "7.3")][0] == "" and ("PFS", "9.9") in found



def test_arms_named_by_their_drugs_keep_their_lists_compared(rules, pipes):
    # no-match for the rule above: two randomised arms named by the drugs they were given, then a "respectively" list
    text = ("Neratinib versus lapatinib with capecitabine: a randomised phase 3 trial.\n\nPatients were randomly "
            "assigned to neratinib plus capecitabine or lapatinib plus capecitabine. The ORR was 43.6% in the neratinib "
            "arm and 27.3% in the lapatinib arm, with median PFS of 5.9 and 3.6 months, respectively.")
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.comparator_value) for m in found] == [("43.6", "27.3"), ("5.9", "3.6")]


@pytest.mark.parametrize("methods,expected", [
    # set 27 mu10406, set 41 mu16006 (context._ARM_LABEL_GIVEN_AFTER): a label bracketed after the patients it names, then
    # "received": its regimen is what they received, not what they had before the bracket
    ("Patients whose disease had progressed on an aromatase inhibitor (cohort A) received alpelisib plus fulvestrant; "
     "those who had progressed on fulvestrant (cohort B) received alpelisib plus letrozole. Men also received goserelin.",
     [("7.3", "alpelisib + fulvestrant"), ("5.7", "alpelisib + letrozole")]),
    ("Patients who had progressed on one ALK TKI (cohort A) or on two or more ALK TKIs (cohort B) received lorlatinib.",
     [("7.3", "lorlatinib"), ("5.7", "lorlatinib")]),
    # no-match: a label bracketed after its own regimen keeps that regimen
    ("Patients received alpelisib plus fulvestrant (cohort A) or alpelisib plus letrozole (cohort B).",
     [("7.3", "alpelisib + fulvestrant"), ("5.7", "alpelisib + letrozole")]),
])
def test_a_label_after_its_patients_takes_the_regimen_they_received(methods, expected, rules, pipes):
    text = ("Targeted therapy after progression in advanced cancer: a two-cohort phase 2 study.\n\nMethods: " + methods +
            "\n\nFindings: Median PFS was 7.3 months in cohort A and 5.7 months in cohort B.")
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.drug) for m in found] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 26 mu10204, set 27 mu10406 (efficacy._ARM_LABEL_LIST, _cohorts_listed_after): values, then the cohorts they are
    # given for, in order, "respectively" before or after the cohorts; each cohort's value its own, no comparison
    ("Median duration of response was 9.6, 11.8 and 6.9 months in cohorts A, B and C, respectively.",
     [("9.6", "", "cisplatin + gemcitabine + kj-103", "cohort A"), ("11.8", "", "capecitabine + kj-103 + oxaliplatin", "cohort B"),
      ("6.9", "", "irinotecan + kj-103", "cohort C")]),
    ("Median overall survival was 26.3 and 22.9 months, respectively, in cohorts A and B.",
     [("26.3", "", "cisplatin + gemcitabine + kj-103", "cohort A"), ("22.9", "", "capecitabine + kj-103 + oxaliplatin", "cohort B")]),
    # no-match: groups after them that are no cohorts of the study: no cohort's regimen
    ("Median overall survival was 26.3 and 22.9 months, respectively, in patients with and without liver metastases.",
     [("26.3", "", "chemotherapy + kj-103", "cohort A"), ("22.9", "", "chemotherapy + kj-103", "cohort B")]),
])
def test_values_then_the_cohorts_they_are_for(sentence, expected, rules, pipes):
    text = ("KJ-103 with chemotherapy in biliary, gastric and colorectal cancer: a three-cohort phase 2 study.\n\n"
            "Cohort A received KJ-103 plus gemcitabine and cisplatin; cohort B received KJ-103 plus capecitabine and "
            "oxaliplatin; cohort C received KJ-103 plus irinotecan. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.comparator_value, m.drug, m.population) for m in found] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 49 mu19202, mu19210, mu19206 (rules/endpoints.yaml pfs; efficacy._PATIENTS_THEN_VERB, _PAIR_THEN_COUNTED): the
    # share "alive without disease progression" at a landmark is a PFS rate, "respectively" may stand before the verb,
    # and the landmark opening the sentence is no listed value
    ("At 24 months, 47.3% and 28.5% of the patients, respectively, were alive without disease progression.",
     [("PFS", "47.3", "28.5", "24-month")]),
    ("At 12 months, 55.1% and 33.6% of the patients, respectively, were alive and progression-free.",
     [("PFS", "55.1", "33.6", "12-month")]),
    ("At 18 months, 48.2% of the patients who received DLC-2271 were alive without disease progression, as compared "
     "with 11.3% of those who received placebo.", [("PFS", "48.2", "11.3", "18-month")]),
    # no-match: alive alone is overall survival
    ("At 18 months, 41.3% and 22.5% of the patients, respectively, were alive.", [("OS", "41.3", "22.5", "18-month")]),
])
def test_alive_without_progression_at_a_landmark(sentence, expected, rules, pipes):
    text = ("DLC-2271 plus letrozole versus placebo plus letrozole in advanced breast cancer.\n\nRESULTS\n" + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [(m.endpoint, m.value, m.comparator_value, m.timepoint) for m in found] == expected


def test_a_record_about_several_trials_gives_no_trial_to_an_unnamed_study_or_a_summary_range():
    # set 50 mu19912, mu19902, mu19906, set 7 mu2710, set 9 mu3502 (rules/attribution.yaml new_study: "its ... study",
    # "a phase I/II cohort"; DocView.resolve: no record's own trial in a record about several named trials; efficacy
    # _RANGE_VALUE): a result of an unnamed study, or a range summing up studies, takes no trial its sentence does not name
    rows = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up50", "mu19912.txt")["endpoint"]}
    assert rows[("ORR", "51.2")] == ""            # "divarasib achieved an ORR of 51.2% ... in its first-in-human study"
    assert rows[("ORR", "36.2")] == ""            # "adagrasib plus cetuximab achieved an ORR of 36.2% ... in a phase I/II cohort"
    assert rows[("ORR", "30-45")] == ""           # "Overall, first-generation inhibitors used alone yield response rates of 30-45%"
    rows7 = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up7", "mu2710.txt")["endpoint"]}
    assert rows7[("ORR", "24.0")] == ""           # "in its pivotal trial the ORR was 24.0%"
    rows2 = {(r["endpoint"], r["value"]): r["trial"] for r in _file_rows("made_up50", "mu19902.txt")["endpoint"]}
    assert rows2[("ORR", "25-35")] == rows2[("OS", "8-10")] == ""
    # no-match: a value of a named trial keeps it, in the same records
    assert rows[("ORR", "35.8")] == "KRASTEL-100" and rows[("PFS", "5.3")] == "KRASCOL-300"
    assert rows2[("ORR", "31.6")] == "AVALUNG-4"


@pytest.mark.parametrize("sentence,expected", [
    # set 50 mu19804 (rules/drug_patterns.yaml sponsor_code, efficacy._ARM_PHRASE): a radioligand's isotope is part of
    # its code's name, and an arm may open with it; set 24 mu9404 and set 13 mu5112 write the lexicon's 177Lu-PSMA-617 so
    ("Median PFS was 8.1 months with 177Lu-LRX-0412 and 5.9 months with cabazitaxel (HR 0.64).",
     [("8.1", "5.9", "177lu-lrx-0412", "cabazitaxel")]),
    ("Median PFS was 8.1 months with [177Lu]Lu-LRX-0412 and 5.9 months with cabazitaxel (HR 0.64).",
     [("8.1", "5.9", "[177lu]lu-lrx-0412", "cabazitaxel")]),
    # no-match: a code with no isotope reads as before
    ("Median PFS was 8.1 months with LRX-0412 and 5.9 months with cabazitaxel (HR 0.64).",
     [("8.1", "5.9", "lrx-0412", "cabazitaxel")]),
])
def test_a_radioligand_named_with_its_isotope(sentence, expected, rules, pipes):
    text = "A radioligand versus cabazitaxel in metastatic prostate cancer: a randomised phase 2 trial.\n\n" + sentence
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.comparator_value, m.drug, m.comparator) for m in found] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 50 mu19606, set 28 mu10810 (context._only_drugs_between): "another"/"other" between a prior-therapy cue and its
    # drug keeps the drug what the patients had before, so the values stay with the study's regimen
    ("In the 11 patients previously exposed to another CDK4/6 inhibitor, median progression-free survival was 3.7 months.",
     [("3.7", "fulvestrant + rbx-6630")]),
    ("Patients who had been exposed to other CDK4/6 inhibitors had a median progression-free survival of 3.7 months.",
     [("3.7", "fulvestrant + rbx-6630")]),
    # no-match: a drug the patients were given in the study is theirs
    ("In the 11 patients given another cycle of palbociclib, median progression-free survival was 3.7 months.",
     [("3.7", "palbociclib")]),
])
def test_another_drug_patients_had_before_is_no_regimen(sentence, expected, rules, pipes):
    text = ("RBX-6630 with fulvestrant in advanced breast cancer: a phase 1 study.\n\nTwenty-five patients received RBX-6630 "
            "200 mg daily with fulvestrant 500 mg. " + sentence)
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.drug) for m in found] == expected


def test_a_list_of_arms_maps_the_arms_the_text_defined_even_when_one_is_not():
    # set 12 mu4506 (efficacy._listed_arms): "8.1, 6.3, 16.4 and 4.5 months in arms A, B, C and D, respectively", arm D
    # defined by no label the text reads: arms A to C take their regimens
    found = _rows("made_up12", "mu4506.txt")
    assert [found[("PFS", v)][1] for v in ("8.1", "6.3", "16.4")] == ["capmatinib", "sotorasib", "selpercatinib"]
    # no-match: the arm the text defined no regimen for keeps the sentence's drugs
    assert found[("PFS", "4.5")][1] == "capmatinib + selpercatinib + sotorasib"


_VS_TITLE = "TPX-1150 versus placebo in advanced ovarian cancer: a phase 3 trial.\n\nRESULTS\n"


@pytest.mark.parametrize("text,expected", [
    # set 49 mu19206 (efficacy._VS_AFTER): NEJM's "as compared with" between two bare values is a comparison like
    # "compared with" ("the median was 7.8 months as compared with 3.6 months (hazard ratio, 0.52 ...)")
    (_VS_TITLE + "In the non-gBRCA cohort, the median PFS was 7.8 months as compared with 3.6 months (hazard ratio, 0.52; "
     "95% CI, 0.39 to 0.69).", [("7.8", "3.6", "0.52")]),
    (_VS_TITLE + "The percentage of patients with a response was 45% as compared with 12% (P<0.001).", [("45", "12", "")]),
    # no-match: two groups of a single-arm study each keep their own value (set 18 mu6804)
    ("Capecitabine and vinorelbine in metastatic breast cancer: a phase 2 study.\n\nPatients with visceral disease had a "
     "median TTP of 6.9 months as compared with 10.2 months in those with non-visceral disease.",
     [("10.2", "", ""), ("6.9", "", "")]),
])
def test_as_compared_with_between_two_values(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value, m.hr) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 52 mu20408, set 48 mu18810, set 30 mu11706 (rules/values.yaml biology_group_after): the patients a value is for,
    # named by their tumour's biology after it, are who the value is for, no biology count
    ("Trastuzumab deruxtecan in HER2-mutant NSCLC: a research letter.\n\nWe treated 27 patients with trastuzumab deruxtecan. "
     "Median progression-free survival was 7.8 months in patients with the A775_G776insYVMA insertion and 5.1 months in "
     "those with other mutations.", [("PFS", "5.1"), ("PFS", "7.8")]),
    ("ZHT-3390 in HER2 exon 20 NSCLC: a phase 2 study.\n\nThe ORR was 63.8% in patients with YVMA insertions and 48.6% in "
     "those with other mutations.", [("ORR", "48.6"), ("ORR", "63.8")]),
    # no-match: a harm the patients had after the value is still a harm's rate, not a result
    ("ZHT-3390 in HER2 exon 20 NSCLC: a phase 2 study.\n\nThe ORR was 63.8% overall and 12.0% in those with grade 3 "
     "neutropenia.", [("ORR", "63.8")]),
])
def test_patients_named_by_biology_after_a_value_are_its_group(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 51 mu20306, mu20312 (efficacy._endpoint_list_groups): a landmark before the first of two endpoints listed
    # together dates each of their rates ("the 3-year EFS and OS rates were 23.5% and 47.1%")
    ("P6 chemotherapy and cytoreductive surgery in desmoplastic small round cell tumour: the DSRCT-21 cohort.\n\nThe 3-year "
     "event-free survival (EFS) and overall survival (OS) rates of the whole cohort were 23.5% and 47.1%, and the 5-year OS "
     "was 21.6%.", [("EFS", "23.5", "3-year"), ("OS", "21.6", "5-year"), ("OS", "47.1", "3-year")]),
    ("VAC chemotherapy in rhabdomyosarcoma: the NSPSG-85 study.\n\nFor the whole population, 5-year event-free survival "
     "(EFS) and overall survival (OS) were 63.4% and 72.8%.", [("EFS", "63.4", "5-year"), ("OS", "72.8", "5-year")]),
    # no-match: a median of the list takes no landmark
    ("VAC chemotherapy in rhabdomyosarcoma: the NSPSG-85 study.\n\nThe 5-year event-free survival and median overall "
     "survival were 63.4% and 72.8 months.", [("EFS", "63.4", "5-year"), ("OS", "72.8", "")]),
])
def test_a_landmark_before_listed_endpoints_dates_each_rate(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.timepoint) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 51 mu20304, set 12 mu4610 (efficacy._PATIENT_GROUP_AFTER "for"; rules/attribution.yaml control_arm not
    # "standard-risk"): values given "for" two groups, then a "respectively" pair of another endpoint, are one value per
    # group, no comparison
    ("Risk-adapted therapy for children with medulloblastoma: the MEDURISK-05 study.\n\nThe 5-year event-free survival "
     "(EFS) was 86.4% (95% CI, 79.0%-91.4%) for standard-risk patients and 61.7% (95% CI, 49.5%-71.8%) for high-risk "
     "patients (P < .001); 5-year overall survival was 91.2% and 69.4%, respectively.",
     [("EFS", "61.7", ""), ("EFS", "86.4", ""), ("OS", "69.4", ""), ("OS", "91.2", "")]),
    # no-match: values of a randomised record's standard arm and its experimental arm stay one comparison
    ("Docetaxel with or without ZX-101 in prostate cancer: a randomised phase 3 trial.\n\nThe 3-year PFS was 46.0% with "
     "ZX-101 and 38.0% with standard docetaxel; 3-year overall survival was 71.0% and 64.0%, respectively.",
     [("OS", "71.0", "64.0"), ("PFS", "46.0", "38.0")]),
])
def test_values_given_for_two_groups_carry_to_a_respectively_pair(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.comparator_value) for m in found) == expected


_RANDOMISED = "ESK-2290 versus docetaxel in advanced oesophageal cancer: a randomised phase 3 trial.\n\n"


@pytest.mark.parametrize("text,expected", [
    # set 51 mu20012, set 41 mu16008 (efficacy._COUNT_ARM, _COUNT_CLOSE): counted shares of two arms, an arm named by a
    # sponsor code and a total in words, are one comparison
    (_RANDOMISED + "Objective responses occurred in 52 (20.6%) of 253 patients given ESK-2290 and 34 (13.4%) of 253 given "
     "docetaxel.", [("20.6", "13.4", "esk-2290", "docetaxel")]),
    (_RANDOMISED + "Intracranial responses occurred in seven (41.2%) of 17 with ESK-2290 and in none (0%) of eight with "
     "docetaxel.", [("41.2", "0", "esk-2290", "docetaxel")]),
    # set 37 mu14506, set 41 mu16010, set 51 mu20008, set 33 mu12904, set 31 mu12304 (efficacy._AND_SECOND,
    # _AND_IN_GROUP): two shares "of patients" in a randomised record, no group named, are its two arms
    (_RANDOMISED + "Objective responses occurred in 38.6% and 35.1% of patients, with median durations of response of 20.2 "
     "and 10.4 months.", [("20.2", "10.4", "esk-2290", "docetaxel"), ("38.6", "35.1", "esk-2290", "docetaxel")]),
    (_RANDOMISED + "Objective responses were seen in 8.9% and 2.2% of patients.", [("8.9", "2.2", "esk-2290", "docetaxel")]),
    # no-match: shares of two cohorts listed with "respectively" are one value each
    ("ESK-2290 in advanced oesophageal cancer: a phase 2 study.\n\nObjective responses occurred in 38.6% and 35.1% of "
     "patients in cohorts A and B, respectively.", [("35.1", "", "esk-2290", ""), ("38.6", "", "esk-2290", "")]),
])
def test_two_arms_shares_of_patients_are_one_comparison(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.value, m.comparator_value, m.drug, m.comparator) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 51 mu20112, set 38 mu15010, set 18 mu7004 (efficacy._defined_arm_pair): in a record that defined its two arms
    # by label, one a control, a comparison naming no arm or drug compares those two arms' regimens
    ("Perioperative tislelizumab plus trastuzumab and SOX versus trastuzumab and SOX in gastric cancer: a randomized "
     "phase II study.\n\nPatients were randomly assigned to the observation group (tislelizumab 200 mg plus trastuzumab "
     "and SOX, n=36) or the control group (trastuzumab plus SOX, n=36). The 2-year DFS rate was 80.6% vs 63.9% "
     "(HR=0.48, 95% CI 0.23-0.99, P=0.043).",
     [("80.6", "63.9", "oxaliplatin + s-1 + tislelizumab + trastuzumab", "oxaliplatin + s-1 + trastuzumab")]),
    ("HMX-3390 plus capecitabine in HER2-positive breast cancer: a randomised phase 3 trial.\n\nPatients were assigned "
     "to the experimental arm (HMX-3390 plus capecitabine) or the control arm (lapatinib plus capecitabine). Median PFS "
     "was 7.8 vs 5.4 months (HR 0.79).", [("7.8", "5.4", "capecitabine + hmx-3390", "capecitabine + lapatinib")]),
    # no-match: a comparison that names its drug keeps it
    ("HMX-3390 plus capecitabine in HER2-positive breast cancer: a randomised phase 3 trial.\n\nPatients were assigned "
     "to the experimental arm (HMX-3390 plus capecitabine) or the control arm (lapatinib plus capecitabine). In a "
     "crossover cohort, lapatinib gave a median PFS of 7.8 vs 5.4 months.", [("7.8", "5.4", "lapatinib", "")]),
])
def test_a_bare_comparison_compares_the_two_arms_the_text_defined(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert [(m.value, m.comparator_value, m.drug, m.comparator) for m in found] == expected


@pytest.mark.parametrize("text,expected", [
    # set 52 mu20704, set 38 mu15104, set 39 mu15308 (efficacy._mirrored_pairs): two endpoints' values, then another
    # group's two values in the same order: each the endpoint in its place, no comparison
    ("Erlotinib in NSCLC: an expanded access programme.\n\nIn the second-line setting the response rate was 11.8% and the "
     "disease control rate 46.1%, compared with 9.4% and 41.3% in the third-line or later setting.",
     [("DCR", "41.3", ""), ("DCR", "46.1", ""), ("ORR", "11.8", ""), ("ORR", "9.4", "")]),
    ("Carboplatin and S-1 in NSCLC: a phase II study.\n\nIn patients with non-squamous histology (n=29), the response rate "
     "was 41.4% and MST was 16.8 months, compared with 27.3% and 11.6 months in those with squamous cell carcinoma (n=11).",
     [("ORR", "27.3", ""), ("ORR", "41.4", ""), ("OS", "11.6", ""), ("OS", "16.8", "")]),
])
def test_a_second_groups_values_in_the_order_of_two_endpoints(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.comparator_value) for m in found) == expected


def test_a_second_pair_named_with_an_arm_is_not_another_group(rules, pipes):
    # no-match of _mirrored_pairs: the second two named with an arm are the control's values, not another group's own
    text = ("Erlotinib versus placebo in NSCLC: a randomised trial.\n\nThe response rate was 41.4% and median PFS was 16.8 "
            "months with erlotinib, compared with 27.3% and 11.6 months with placebo.")
    _, found, _ = record(text, rules, pipes)
    assert ("ORR", "27.3") not in [(m.endpoint, m.value) for m in found]


@pytest.mark.parametrize("text,expected", [
    # set 31 mu12210, set 52 mu20610 (efficacy._HR_RE, _HR_IN_TUMOURS): a ratio given for the tumours it names is that
    # subgroup's own, not the comparison before it
    ("FOLFOXIRI plus bevacizumab versus FOLFOX plus bevacizumab in colorectal cancer: the TRIPLEX-CRC trial.\n\nMedian "
     "progression-free survival was 12.1 months with FOLFOXIRI plus bevacizumab vs 9.6 months with FOLFOX plus bevacizumab "
     "(hazard ratio [HR], 0.68). In RAS and BRAF wild-type tumors, median progression-free survival was 13.5 vs 10.3 "
     "months; the HR in BRAF V600E-mutated tumors was 0.55.",
     [("PFS", "", "", "0.55"), ("PFS", "12.1", "9.6", "0.68"), ("PFS", "13.5", "10.3", "")]),
    ("Zanidatamab versus trastuzumab in gastric cancer: the ZANDORA-G2 trial.\n\nIn patients with IHC 3+ tumours median "
     "PFS was 13.1 versus 8.6 months (HR 0.58; 95% CI 0.37-0.91), whereas the HR in IHC 2+/ISH-positive tumours was 0.91.",
     [("PFS", "", "", "0.91"), ("PFS", "13.1", "8.6", "0.58")]),
    # no-match: the NEJM "hazard ratio for disease progression or death" is the comparison's own
    ("Olaparib versus standard therapy in breast cancer: a randomised trial.\n\nMedian progression-free survival was "
     "longer in the olaparib group (7.0 months vs. 4.2 months; hazard ratio for disease progression or death, 0.58).",
     [("PFS", "7.0", "4.2", "0.58")]),
])
def test_a_ratio_named_for_its_tumours_is_that_subgroups_own(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.comparator_value, m.hr) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 26 mu10212, set 38 mu15102, set 49 mu19306, set 28 mu11112 (context.DocView._elliptical_head): an arm that
    # names only the partners added to the arm before it ("... alone (P arm) or with capecitabine (PX arm)") is that arm's
    # drug before its partner, and the partners
    ("Patients were randomly assigned to receive paclitaxel 80 mg/m2 on days 1, 8 and 15 every 4 weeks alone (P arm) or "
     "with capecitabine 825 mg/m2 twice daily on days 1-14 (PX arm).", {"p arm": "paclitaxel", "px arm": "capecitabine + paclitaxel"}),
    ("Women were randomly assigned to carboplatin area under the curve 6 with paclitaxel 175 mg/m2 every 3 weeks (standard "
     "arm) or with paclitaxel 80 mg/m2 on days 1, 8, and 15 (dose-dense arm) for six cycles.",
     {"standard arm": "carboplatin + paclitaxel", "dose-dense arm": "carboplatin + paclitaxel"}),
    # no-match: an arm that names its own regimen keeps it
    ("Patients were randomly assigned to receive paclitaxel 80 mg/m2 weekly alone (P arm) or docetaxel with capecitabine "
     "(DX arm).", {"p arm": "paclitaxel", "dx arm": "capecitabine + docetaxel"}),
])
def test_an_arm_naming_only_its_partners_adds_them_to_the_arm_before(text, expected, rules, pipes):
    ann = annotate_text("Chemotherapy in breast cancer: a randomised phase II trial.\n\n" + text, rules, pipes)
    assert DocView(ann, rules).arm_regimens == expected


@pytest.mark.parametrize("text,expected", [
    # set 41 mu16110, set 51 mu20210 (rules/context.yaml design_interest): the rates a design calls uninteresting and
    # promising are no results, on either side of the words
    ("Pembrolizumab with chemoradiotherapy before surgery in oesophageal cancer: a phase II trial.\n\nThe primary endpoint "
     "was the pCR rate; a pCR rate of 40% was considered uninteresting and 58% promising. The pCR rate was 46.2%.",
     [("PCR", "46.2")]),
    ("CKL-7721 in liposarcoma: a phase II trial.\n\nA 12-week PFS rate of 40% was considered uninteresting (null hypothesis) "
     "and 60% promising. The 12-week PFS rate was 70.5%.", [("PFS", "70.5")]),
    # no-match: a result called promising stays a result
    ("CKL-7721 in liposarcoma: a phase II trial.\n\nThe 12-week PFS rate of 70.5% was considered promising.", [("PFS", "70.5")]),
])
def test_rates_a_design_calls_uninteresting_or_promising_are_no_results(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 34 mu13408 (label before its definition) and set 48 mu18812 (label after it; context._EARLIER_ARM_PLUS): an arm
    # defined as an earlier arm, or "the arm B regimen", plus more is that arm's regimen and the drugs added
    ("Patients were randomised to Arm A [trastuzumab plus capecitabine and oxaliplatin], Arm B [Arm A plus RZ-771 200 mg] "
     "or Arm C [trastuzumab plus RZ-771 plus capecitabine].",
     {"arm a": "capecitabine + oxaliplatin + trastuzumab", "arm b": "capecitabine + oxaliplatin + rz-771 + trastuzumab",
      "arm c": "capecitabine + rz-771 + trastuzumab"}),
    ("Patients were randomised 1:1:1 to atezolizumab 1200 mg every 3 weeks (arm A, reference), atezolizumab plus "
     "carboplatin (AUC 5) and pemetrexed (500 mg/m2) for four cycles (arm B), or the arm B regimen plus bevacizumab "
     "15 mg/kg (arm C).",
     {"arm a": "atezolizumab", "arm b": "atezolizumab + carboplatin + pemetrexed",
      "arm c": "atezolizumab + bevacizumab + carboplatin + pemetrexed"}),
    # no-match: an arm that names its own regimen keeps it, and a label no arm was given adds nothing
    ("Patients were randomised to atezolizumab (arm A), atezolizumab plus carboplatin (arm B), or the arm D regimen plus "
     "bevacizumab (arm C).",
     {"arm a": "atezolizumab", "arm b": "atezolizumab + carboplatin", "arm c": "bevacizumab"}),
])
def test_an_arm_defined_as_an_earlier_arm_plus_more_is_that_arm_and_more(text, expected, rules, pipes):
    ann = annotate_text("Atezolizumab in lung cancer: a randomised phase II trial.\n\n" + text, rules, pipes)
    assert DocView(ann, rules).arm_regimens == expected


@pytest.mark.parametrize("text,expected", [
    # set 54 mu21310, mu21312, mu21302, mu21304 (rules/endpoints.yaml synonyms, vocabulary): translated endpoint names
    ("Trastuzumab deruxtecan in gastric cancer: a multicentre study.\n\nThe median survival without progression was 4,9 "
     "months (95% CI: 4,1-6,2) and the median global survival 10,7 months (95% CI: 8,8-13,1).",
     [("OS", "10.7"), ("PFS", "4.9")]),
    ("Trastuzumab emtansine after pertuzumab: a retrospective study.\n\nThe rate of objective response was 38,5% and the "
     "survival free of progression 6,2 months.", [("ORR", "38.5"), ("PFS", "6.2")]),
    # no-match: survival alone is still overall survival
    ("Trastuzumab emtansine after pertuzumab: a retrospective study.\n\nAfter a median follow-up of 30,2 months, the median "
     "survival was 21,3 months.", [("OS", "21.3")]),
])
def test_translated_endpoint_names(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 53 mu20902, mu20904, set 2 mu818 (_SCHEDULE_ARM routes): arms that differ by route of one drug are one comparison
    ("Oral versus intravenous vinorelbine with cisplatin: a randomised non-inferiority trial.\n\nMedian overall survival "
     "was 9.8 months with oral and 9.4 months with intravenous vinorelbine (hazard ratio 0.97).",
     [("OS", "9.8", "9.4", "0.97")]),
    ("Subcutaneous versus intravenous trastuzumab: a randomised trial.\n\nThe pCR rate was 45.8% with subcutaneous and "
     "40.3% with intravenous trastuzumab.", [("PCR", "45.8", "40.3", "")]),
    # set 53 mu21108, mu21110, set 34 mu13402 (_REGIMEN_WORD strategies): arms named by their strategy
    ("Drug-free intervals of sunitinib or pazopanib: a randomised trial.\n\nMedian OS was 26.7 months with the DFI "
     "strategy and 28.1 months with continuation (HR 0.96).", [("OS", "26.7", "28.1", "0.96")]),
    ("Maintenance trastuzumab and pertuzumab: a randomised trial.\n\nMedian PFS was 8.1 months with maintenance and 3.4 "
     "months with observation (HR 0.41).", [("PFS", "8.1", "3.4", "0.41")]),
    # no-match: patient groups named by a route they had before are each their own result
    ("Trastuzumab deruxtecan in gastric cancer: a cohort study.\n\nThe ORR was 45.0% in patients with oral intake and "
     "30.0% in patients with tube feeding.", [("ORR", "30.0", "", ""), ("ORR", "45.0", "", "")]),
])
def test_arms_named_by_route_or_strategy_are_one_comparison(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.comparator_value, m.hr) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 50 mu19902, set 53 mu21108, real abstract pmid33867426 (extra part; context.DocView.alternative_groups,
    # efficacy._as_alternatives): drugs a group received one or another of are alternatives joined with " or ", no
    # combination
    ("Targeted therapy in NSCLC: an update.\n\nRetrospective series report response rates of 60-80% with gefitinib or "
     "erlotinib in EGFR-mutant tumours.", [("ORR", "60-80", "erlotinib or gefitinib")]),
    ("Molecular targeted therapy in clinical practice.\n\nWe describe patients treated with palbociclib, abemaciclib, or "
     "everolimus. Median progression-free survival was 5.3 months.", [("PFS", "5.3", "abemaciclib or everolimus or palbociclib")]),
    # no-match: a text that joins them into one regimen, and arms being assigned, keep the regimen as it was read
    ("Gefitinib plus erlotinib: a phase I study.\n\nPatients received gefitinib plus erlotinib; earlier series gave "
     "gefitinib or erlotinib alone. The response rate was 40%.", [("ORR", "40", "erlotinib + gefitinib")]),
])
def test_drugs_given_as_alternatives_are_no_combination(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.drug) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 53 mu21106, mu21108, mu21110 (rules/values.yaml randomised_after): the share of patients who reached
    # randomisation after induction is no response rate
    ("Maintenance after induction: a randomised trial.\n\nOf 642 patients who started T-DXd, the objective response rate "
     "during the first eight cycles was 64.8% (416 of 642), and 382 (59.5%) were randomly assigned (191 per group).",
     [("ORR", "64.8")]),
    ("Maintenance after induction: a randomised trial.\n\nOf 212 patients who started induction, 130 (61.3%) had an "
     "objective response, and 141 (66.5%) were randomised (71 to maintenance, 70 to observation).", [("ORR", "61.3")]),
    # no-match: a response among randomised patients is a response rate
    ("Maintenance after induction: a randomised trial.\n\nThe objective response rate was 40.1% among randomised "
     "patients.", [("ORR", "40.1")]),
])
def test_the_share_reaching_randomisation_is_no_response_rate(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # the upper end of an age range the sentence before ends with ("the age range was 39 to 94 years. Response rates
    # ...", real extra abstract pmid3368798; efficacy._AGE_BEFORE) is no landmark, as an age is not (test_a_decimal_is_no_
    # landmark); no-match: a landmark written before its endpoint ("3-yr. OS")
    ("Adjuvant trastuzumab: a randomised trial.\n\nThe 3-yr. OS was 91.2% with trastuzumab and 86.4% with observation.",
     [("OS", "91.2", "3-year")]),
    ("Megestrol acetate in advanced breast cancer.\n\nThe median age was 65 years, and the age range was 39 to 94 years. "
     "Response rates were 50% in receptor-positive disease.", [("ORR", "50", "")]),
])
def test_the_upper_end_of_an_age_range_is_no_landmark(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.timepoint) for m in found) == expected


def test_a_trial_introduced_without_a_drug_takes_the_drug_of_the_sentence_before(rules, pipes):
    # set 13 mu5010 (context.DocView.trial_regimens; one tuning document, disclosed): "The European Commission granted
    # ... datopotamab deruxtecan ... In TROP-BC-01 (NCT90627734), median PFS was ..." -- the trial is datopotamab
    # deruxtecan's, so a later value of another drug in the same text does not take it as the text's only trial;
    # no-match: the trial's own value keeps it
    text = ("EU REGULATORY WATCH | Oncology, April 2025\nHighlights of the March CHMP meeting\n\nCommission decisions\n"
            "- The European Commission granted a marketing authorisation to datopotamab deruxtecan on 4 April 2025 for "
            "metastatic breast cancer. In TROP-BC-01 (NCT90627734), median PFS was 6.9 vs 4.9 months with investigator's "
            "choice chemotherapy (HR 0.63).\n\nNew positive opinions\n"
            "- The committee recommended a conditional marketing authorisation for zenocutuzumab in NSCLC. The ORR was "
            "33% (95% CI 24-43) in NSCLC.\n")
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.drug, m.trial) for m in found) == [
        ("ORR", "33", "zenocutuzumab", ""), ("PFS", "6.9", "datopotamab deruxtecan", "TROP-BC-01")]


@pytest.mark.parametrize("text,expected", [
    # set 53 mu21112 (context.DocView._without_optional_partners; one tuning document, disclosed): partners a record's
    # regimen is given "alone or with" are some patients' only; the regimen studied is the drug before the words
    ("Stopping versus continuing immunotherapy in lung cancer: a randomised trial.\n\nPatients whose disease had not "
     "progressed after 12 months of first-line pembrolizumab 200 mg every 3 weeks, given alone or with platinum-pemetrexed "
     "induction, were randomly assigned to stop or to continue it. Median progression-free survival was 18.9 months in "
     "the stop arm.", [("PFS", "18.9", "pembrolizumab")]),
    # no-match: "with or without X" in a randomised record names the drug studied (set 38 mu15006)
    ("Lapatinib in early breast cancer: a randomised trial.\n\nPatients received paclitaxel and trastuzumab with or without "
     "lapatinib. The pCR rate was 47.2%.", [("PCR", "47.2", "lapatinib")]),
])
def test_partners_given_alone_or_with_are_no_part_of_the_studied_regimen(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.drug) for m in found) == expected


@pytest.mark.parametrize("text,expected", [
    # set 54 mu21202 (efficacy._LANDMARK_BEFORE; a word-class mend, one tuning document): a hyphenated word between a
    # landmark and its endpoint ("the 24-month high-grade RFS rate was 78.4%") keeps the landmark, so the rate is a value
    ("Intravesical ILX-7710 plus BCG: a randomised trial.\n\nThe 24-month high-grade RFS rate was 78.4% with ILX-7710 "
     "plus BCG versus 63.1% with BCG alone (HR 0.55).", [("RFS", "78.4", "24-month")]),
    # no-match: no landmark, no rate of a time endpoint
    ("Intravesical ILX-7710 plus BCG: a randomised trial.\n\nThe high-grade RFS was 78.4% with ILX-7710 plus BCG.", []),
])
def test_a_hyphenated_word_between_a_landmark_and_its_endpoint(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert sorted((m.endpoint, m.value, m.timepoint) for m in found if m.value) == expected


# ------------------------------------------------------------------ a record's own study and the trial it is held against

_REGISTRY = ("Encorafenib plus binimetinib before reimbursement: a registry in BRAF V600-mutant melanoma.\n\n"
             "MELVISTA is a multicentre observational registry of patients given encorafenib plus binimetinib. "
             "Unlike the pivotal COLUMBRA trial, it enrolled pretreated patients. "
             "The objective response rate was 48.2%, compared with 63.5% in COLUMBRA, and median progression-free "
             "survival was 7.9 months, against 14.1 months in COLUMBRA. "
             "Median overall survival was 20.4 months.\n")


def test_a_records_own_study_keeps_its_values_beside_the_trial_it_is_held_against(rules, pipes):
    # the record's study named as "X is a ... registry" (rules/attribution.yaml named_study_is; real extra-part abstract
    # pmid36151018 "KARMA is a non-interventional registry"), its figures set beside the pivotal trial's
    # (reference_trial; made-up set 55 mu21604, mu21606, mu21608, mu21610, mu21612): each figure keeps its own trial,
    # and the pivotal trial's quoted figures are values of their own, no comparator of the registry's
    _, found, _ = record(_REGISTRY, rules, pipes)
    assert sorted(rows(found, "endpoint", "value", "trial", "comparator_value")) == [
        ("ORR", "48.2", "MELVISTA", ""), ("ORR", "63.5", "COLUMBRA", ""),
        ("OS", "20.4", "MELVISTA", ""),
        ("PFS", "14.1", "COLUMBRA", ""), ("PFS", "7.9", "MELVISTA", "")]


@pytest.mark.parametrize("text", [
    # the record names its second trial by opening a clause with it: a study it reports, not a yardstick (made-up set 55
    # mu21710 "In HerCoRT, the objective response rate ...")
    "Pyrotinib or pertuzumab with trastuzumab in HER2-amplified colorectal cancer: the PYCORE-2 and HERCOLA trials.\n\n"
    "In PYCORE-2, the ORR was 37.5%, compared with 26.0% in HERCOLA. In HERCOLA, median PFS was 3.6 months.\n",
    # a meta-analysis's trials are its sources (made-up set 28 mu11012)
    "Adjuvant CDK4/6 inhibitors: a pooled analysis of the ARBELLA-2 and LINDEN-3 trials.\n\n"
    "Trial by trial, 4-year IDFS was 85.1% versus 80.2% in ARBELLA-2 and 88.0% versus 83.6% in LINDEN-3.\n",
    # a commentary whose study is only the first trial its opening names (made-up set 5 mu1906 "In the pivotal HELIOS-BTC
    # cohort")
    "Testing for HER2 in biliary tract cancer is no longer optional\n\n"
    "The backbone trial, QUARTZ-2, added durvalumab to chemotherapy. In the pivotal HELIOS-B cohort, the ORR was "
    "41.3%, compared with 20.0% in QUARTZ-2.\n",
])
def test_a_second_study_a_pooled_source_or_a_commentarys_trial_is_no_reference_trial(text, rules, pipes):
    ann = annotate_text(text, rules, pipes, name="pmid1.txt")
    view = DocView(ann, rules)
    assert view.trials_in(0, len(view.text)) and view.reference_trials == {}


def test_a_registry_holds_its_results_against_the_pivotal_trial(rules, pipes):
    ann = annotate_text(_REGISTRY, rules, pipes, name="pmid1.txt")
    view = DocView(ann, rules)
    assert view.study_trials == ["MELVISTA"]
    assert {t: [view.text[a:b] for a, b in spans] for t, spans in view.reference_trials.items()} == {
        "COLUMBRA": ["63.5%", "14.1 months"]}


@pytest.mark.parametrize("text,expected", [
    # "the rate was 11/19 (58%)", "the rates were 16 of 41 (39%) and 12 of 40 (30%)": a group's share of the rate the
    # sentence before named (efficacy._rate_again; made-up set 56 mu22002, mu22004)
    ("Megestrol acetate in advanced endometrial carcinoma.\n\nObjective regression occurred in 17 of 53 (32%) patients. "
     "For PgR-positive tumours the rate was 11/19 (58%), and for PgR-negative tumours 2/18 (11%).\n",
     [("ORR", "32"), ("ORR", "58"), ("ORR", "11")]),
    ("Tamoxifen versus diethylstilbestrol in advanced breast cancer.\n\nObjective responses occurred in 21 of 59 (36%) "
     "with DES and 17 of 58 (29%) with tamoxifen. In women more than 10 years past the menopause the rates were 16 of 41 "
     "(39%) and 12 of 40 (30%).\n",
     [("ORR", "36"), ("ORR", "29"), ("ORR", "39"), ("ORR", "30")]),
    # no-match: the sentence before named a harm, not a rate of response
    ("Megestrol acetate in advanced endometrial carcinoma.\n\nObjective regression occurred in 17 of 53 (32%) patients. "
     "Weight gain was frequent. Among older women the rate was 9/20 (45%).\n",
     [("ORR", "32")]),
])
def test_the_rate_named_again_for_a_group(text, expected, rules, pipes):
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "endpoint", "value") == expected


@pytest.mark.parametrize("sentence,expected", [
    # a historical figure a study is tested against is no value (rules/values.yaml historical_figure;
    # made-up set 35 mu13908, set 56 mu22208, set 18 mu7102)
    ("Each arm was tested against a historical objective response rate (ORR) of 15%. The ORR was 31.0% in arm A.",
     [("ORR", "31.0")]),
    ("Outcomes remain poor, with a historical mPFS benchmark of about 4.5 months. Median PFS was 8.1 months.",
     [("PFS", "8.1")]),
    # no-match: the study's own historical-control arm keeps its value
    ("The ORR in the historical-control arm was 12.0%, against 31.0% with the combination.", [("ORR", "12.0")]),
])
def test_a_historical_figure_is_no_value(sentence, expected, rules, pipes):
    _, found, _ = record("Zanidatamab plus chemotherapy: a phase II trial.\n\n" + sentence + "\n", rules, pipes)
    assert rows(found, "endpoint", "value")[:len(expected)] == expected and all(
        v not in ("15", "4.5") for _, v in rows(found, "endpoint", "value"))


def test_a_statement_about_one_of_two_studies_takes_that_studys_regimen(rules, pipes):
    # a record of two named studies with their own regimens: a statement carried from "In HerCARE, ..." is HerCARE's
    # regimen, and a bracket spelling out a name that names part of a regimen gives way to the introducing sentence's
    # (context.DocView.resolve, _trial_drugs; made-up set 55 mu21710, one document)
    text = ("Dual HER2 blockade in colorectal cancer: a joint analysis of the HerCARE and PyCOLA-2 trials.\n\n"
            "HerCARE (HER2-directed Colorectal cancer Regimen of Trastuzumab and pertuzumab; NCT04281000) gave "
            "trastuzumab and pertuzumab. PyCOLA-2 (Pyrotinib in COLorectal cAncer; NCT04388000) gave pyrotinib plus "
            "trastuzumab. In HerCARE, the ORR was 27.0%. The ORR was 36.1% in IHC 3+ tumours. In PyCOLA-2, the ORR was "
            "37.8%.\n")
    _, found, _ = record(text, rules, pipes)
    assert rows(found, "value", "trial", "drug") == [
        ("27.0", "HERCARE", "pertuzumab + trastuzumab"), ("36.1", "HERCARE", "pertuzumab + trastuzumab"),
        ("37.8", "PYCOLA-2", "pyrotinib + trastuzumab")]


@pytest.mark.parametrize("sentence,expected", [
    # set 38 mu14712, set 57 mu22710, set 2 mu702: a result given "with / for the combination" is the record's regimen's,
    # not the drug of the sentence before
    ("With the combination, median PFS was 9.6 months (95% CI 7.9-11.2).", [("PFS", "9.6", "dvx-6613 + gemcitabine")]),
    ("The median duration of response for the combination was 11.2 months.", [("DOR", "11.2", "dvx-6613 + gemcitabine")]),
    # no-match: "in combination with X" names its drugs
    ("Gemcitabine in combination with cisplatin gave a median OS of 10.8 months.", [("OS", "10.8", "cisplatin + gemcitabine")]),
])
def test_the_combination_named_as_the_subject_is_the_records_regimen(sentence, expected, rules, pipes):
    text = ("DVX-6613 plus gemcitabine versus gemcitabine-cisplatin in biliary tract cancer: a randomised phase 2 trial.\n\n"
            "Patients were assigned to DVX-6613 plus gemcitabine or to gemcitabine-cisplatin. The monotherapy arm was "
            "dropped, its median PFS of 5.9 months trailing the 6.1 months seen with gemcitabine-cisplatin. " + sentence)
    found = rows(record(text, rules, pipes)[1], "endpoint", "value", "drug")
    assert [r for r in found if r[1] not in ("5.9", "6.1")] == expected


@pytest.mark.parametrize("sentence,expected", [
    # set 30 mu11702, set 58 mu22802: "the rate was X%" is the rate named last before, across a ";" or a time endpoint
    ("Objective response rates were 47.4% and 55.7% in arms 1 and 2; pooled by factor, the rate was 56.4% with XELOX "
     "and 48.8% with XP (P = .025).", [("ORR", "47.4"), ("ORR", "55.7"), ("ORR", "56.4")]),
    ("In cohort 1 the objective response rate was 62.0% and the median duration of response 11.3 months; in cohort 2 "
     "(n=54), the rate was 27.8% (95% CI 16.5-41.6).", [("ORR", "62.0"), ("DOR", "11.3"), ("ORR", "27.8")]),
    # no-match: a harm's rate, and no rate named before
    ("The objective response rate was 40.0%; for grade 3 neutropenia, the rate was 12.0%.", [("ORR", "40.0")]),
    ("Median PFS was 9.1 months; among patients with a dose reduction, the rate was 12.0%.", [("PFS", "9.1")]),
])
def test_the_rate_named_again_is_the_last_rate(sentence, expected, rules, pipes):
    found = endpoints("Patients received trastuzumab with chemotherapy. " + sentence, rules, pipes)
    assert rows(found, "endpoint", "value") == expected
