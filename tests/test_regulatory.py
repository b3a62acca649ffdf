"""Regulatory and guideline events on real corpus sentences and realistic phrasings:
agency, event, drug, date at the precision written, cancer type, line, trial basis;
negated and hypothetical statements give nothing; table cells give one event per agency."""
from __future__ import annotations

import pytest

from conftest import DOC0, DOC2, DOC4, extract_from_text
from pipeline.extract.dates import normalize_date
from pipeline.extract.lines import find_lines, lines_value
from pipeline.extract.regulatory import extract_approvals



@pytest.fixture(scope="module")
def approvals(views):
    """Events of every corpus document, extracted once for the module."""
    return {name: extract_approvals(v) for name, v in views.items()}


def sentence_events(found, fragment):
    """Events whose sentence contains `fragment` (sentence-level events only)."""
    return [m for m in found if fragment in m.prov.sentence and not m.prov.table_id]


def one(found, fragment):
    hits = sentence_events(found, fragment)
    assert len(hits) == 1, [(m.agency, m.event, m.drug, m.prov.quote) for m in hits]
    return hits[0]


def events(text, rules, pipes, heading=""):
    return extract_from_text(extract_approvals, text, rules, pipes, heading)


def titled_events(title: str, text: str, rules, pipes) -> list[tuple]:
    """(agency, event, drug, date) of every event of a record whose title line is `title`, sorted."""
    from conftest import annotate_text
    from pipeline.extract.context import DocView
    ann = annotate_text(title + text, rules, pipes)
    return sorted((m.agency, m.event, m.drug, m.date) for m in extract_approvals(DocView(ann, rules)))


# ---- real sentences from the corpus


def test_day_precision_date_and_line(approvals):
    # "Lapatinib was approved by the FDA on March 13, 2007 for second-line treatment in patients with advanced
    #  or metastatic breast cancer with HER2 overexpression [54]."
    m = one(approvals[DOC0], "Lapatinib was approved by the FDA on March 13, 2007")
    assert (m.agency, m.event, m.date, m.drug, m.cancer_type, m.line) == (
        "FDA", "approval", "2007-03-13", "lapatinib", "breast", "second-line")
    assert m.indication == "advanced or metastatic breast cancer with HER2 overexpression"
    assert m.prov.quote == "approved by the FDA" and m.prov.extractor == "regulatory:approval"


def test_agency_before_trigger_and_relative_clause_is_not_negation(approvals):
    # "... who had not received prior trastuzumab therapy": the cue is inside a relative clause
    m = one(approvals[DOC0], "The NMPA approved pyrotinib on August 16, 2018")
    assert (m.agency, m.date, m.drug, m.cancer_type) == ("NMPA", "2018-08-16", "pyrotinib", "breast")
    assert m.indication == "recurrent or metastatic HER2-positive breast cancer"


def test_month_precision_and_trial_basis_in_sentence(approvals):
    m = one(approvals[DOC0], "the FDA approved trastuzumab for treating HER2-overexpressing gastric")
    assert (m.agency, m.event, m.date, m.drug, m.cancer_type, m.based_on_trial) == (
        "FDA", "approval", "2010-01", "trastuzumab", "gastric", "TOGA")


def test_combination_regimen_and_basis_in_next_sentence(approvals):
    # "... the FDA approved tucatinib in combination with trastuzumab and capecitabine ... [58]. These findings
    #  are based on the results from the phase III clinical trial (HER2CLIMB) [59]."
    m = one(approvals[DOC0], "In 2020, the FDA approved tucatinib")
    assert (m.date, m.drug, m.based_on_trial) == ("2020", "capecitabine + trastuzumab + tucatinib", "HER2CLIMB")


def test_year_and_trials_named_in_following_sentence(approvals):
    m = one(approvals[DOC0], "Pertuzumab (Perjeta) was approved for marketing by the FDA in 2012")
    assert (m.agency, m.date, m.drug) == ("FDA", "2012", "pertuzumab")
    assert "CLEOPATRA" in m.based_on_trial.split("; ")


def test_designations(approvals):
    found = approvals[DOC0]
    ft = one(found, "Zanidatamab was granted fast track status by the FDA")
    assert (ft.event, ft.agency, ft.date, ft.drug, ft.cancer_type, ft.line) == (
        "fast_track", "FDA", "2019", "zanidatamab", "gastroesophageal", "first-line")
    syd = one(found, "the FDA has granted Fast Track designation to SYD985")
    assert (syd.event, syd.drug) == ("fast_track", "trastuzumab duocarmazine")
    # "Based on this study, the FDA granted RC48 "Breakthrough Therapy Designation"." -> the study of the sentence before
    btd = one(found, "the FDA granted RC48")
    assert (btd.event, btd.drug, btd.based_on_trial) == ("breakthrough_therapy", "disitamab vedotin", "RC48-C005")
    zw = one(found, "ZW25 has been granted breakthrough therapy status")
    assert (zw.event, zw.drug, zw.cancer_type) == ("breakthrough_therapy", "zanidatamab", "biliary")


def test_approval_and_guideline_in_one_sentence(approvals):
    # "Therefore, RC48 was approved by CFDA for use in uroepithelial cancer treatment and was recommended by the
    #  CSCO guidelines."
    hits = sentence_events(approvals[DOC0], "RC48 was approved by CFDA")
    assert sorted((m.agency, m.event, m.drug, m.cancer_type) for m in hits) == [
        ("CSCO", "guideline_recommendation", "disitamab vedotin", "urothelial"),
        ("NMPA", "approval", "disitamab vedotin", "urothelial")]


def test_guideline_recommendations(approvals):
    found = approvals[DOC0]
    bil = one(found, "guidelines recommend trastuzumab and pertuzumab for the treatment of advanced biliary")
    assert (bil.agency, bil.event, bil.drug, bil.cancer_type, bil.based_on_trial) == (
        "NCCN", "guideline_recommendation", "pertuzumab + trastuzumab", "biliary", "MYPATHWAY")
    crc = one(found, "NCCN guidelines now recommend using trastuzumab combined with pertuzumab and lapatinib")
    assert (crc.drug, crc.cancer_type, crc.line) == ("lapatinib + pertuzumab + trastuzumab", "colorectal", "first-line")
    csco = one(found, "has classified pyrotinib as recommended")
    assert (csco.agency, csco.date, csco.drug) == ("CSCO", "2020", "pyrotinib")


def test_later_line_and_trial_basis(approvals):
    m = one(approvals[DOC0], "The FDA-approved T-DXd for the backline treatment")
    assert (m.drug, m.cancer_type, m.line, m.based_on_trial) == ("trastuzumab deruxtecan", "nsclc", "later-line", "DESTINY-LUNG02")


def test_colon_list_gives_one_event_per_drug(approvals):
    hits = sentence_events(approvals[DOC0], "there are two FDA-approved ADCs for the treatment of breast cancer")
    assert sorted(m.drug for m in hits) == ["trastuzumab deruxtecan", "trastuzumab emtansine"]


def test_citation_years_are_not_dates(approvals):
    # "... in 1998 with its FDA approval as the first-line adjuvant therapy (Chilà et al., 2021; ...)"
    m = one(approvals[DOC2], "trastuzumab marking a pivotal moment in 1998")
    assert (m.agency, m.date, m.drug, m.line) == ("FDA", "1998", "trastuzumab", "first-line, adjuvant")
    # "... is also recommended by the 2023 ESMO guidelines for HER2-positive breast cancer brain metastases (Rao et al., 2025)."
    esmo = one(approvals[DOC2], "is also recommended by the 2023 ESMO guidelines")
    assert (esmo.agency, esmo.date, esmo.drug, esmo.cancer_type) == ("ESMO", "2023", "chemotherapy + tucatinib", "breast")


def test_jurisdiction_and_footnotes_without_a_drug(approvals):
    # "* FDA approval for HER2+ advanced breast cancer; ** FDA approval for HER2-low ...; *** pyrotinib is currently
    #  approved in China only." -> only the pyrotinib statement, attributed to China's regulator
    found = approvals[DOC4]
    assert [(m.agency, m.drug, m.prov.quote) for m in found] == [("NMPA", "pyrotinib", "approved in China")]


def test_negated_corpus_sentences_give_nothing(approvals):
    found = approvals[DOC0]
    assert not sentence_events(found, "are not yet approved for urothelial carcinoma treatment by the FDA")
    assert not sentence_events(found, "no HER2-targeted drug has been approved for biliary malignancies")


# ---- realistic phrasings


@pytest.mark.parametrize("text", [
    "Trastuzumab has not yet been approved by the FDA for urothelial carcinoma.",
    "Zanidatamab is expected to be approved by the FDA for biliary tract cancer.",
    "While no HER2-targeted drug such as trastuzumab has been approved by the FDA for biliary malignancies yet, trials continue.",
    "A biologics license application for zanidatamab was submitted to the FDA for biliary tract cancer.",
    "Zanidatamab could be approved by the FDA for biliary tract cancer in the near future.",
    "Trastuzumab was not approved by the EMA for gastric cancer.",
])
def test_negated_or_hypothetical_statements_are_not_events(text, rules, pipes):
    assert events(text, rules, pipes) == []


def test_asserted_control_is_an_event(rules, pipes):
    (m,) = events("Trastuzumab has been approved by the FDA for urothelial carcinoma.", rules, pipes)
    assert (m.agency, m.event, m.drug, m.cancer_type) == ("FDA", "approval", "trastuzumab", "urothelial")


def test_two_agencies_give_two_events(rules, pipes):
    found = events("Trastuzumab deruxtecan was approved by the FDA and EMA in 2022 for HER2-low metastatic breast cancer.",
                   rules, pipes)
    assert sorted((m.agency, m.date, m.drug, m.indication) for m in found) == [
        ("EMA", "2022", "trastuzumab deruxtecan", "HER2-low metastatic breast cancer"),
        ("FDA", "2022", "trastuzumab deruxtecan", "HER2-low metastatic breast cancer")]


def test_each_trigger_keeps_its_own_drug_and_date(rules, pipes):
    found = events("Pertuzumab was approved by the FDA in 2012, and T-DM1 was approved by the FDA in February 2013.",
                   rules, pipes)
    assert [(m.drug, m.date) for m in found] == [("pertuzumab", "2012"), ("trastuzumab emtansine", "2013-02")]
    found = events("Tucatinib was granted priority review by the FDA and approval was granted on April 17, 2020 [58].",
                   rules, pipes)
    assert [(m.event, m.date) for m in found] == [("priority_review", ""), ("approval", "2020-04-17")]


def test_meeting_and_citation_years_are_not_dates(rules, pipes):
    (m,) = events("The FDA approved zanidatamab for biliary tract cancer based on results presented at the 2021 ASCO meeting.",
                  rules, pipes)
    assert m.date == ""
    (m,) = events("In May 2021, the FDA granted accelerated approval to trastuzumab deruxtecan for HER2-mutant NSCLC based "
                  "on DESTINY-Lung02 (Cortés et al., 2022).", rules, pipes)
    assert (m.event, m.date, m.cancer_type, m.based_on_trial) == ("accelerated_approval", "2021-05", "nsclc", "DESTINY-LUNG02")


def test_conditional_approval_with_line_series(rules, pipes):
    (m,) = events("Pyrotinib received conditional approval from the NMPA in 2018 for second- or third-line treatment of "
                  "HER2-positive metastatic breast cancer.", rules, pipes)
    assert (m.agency, m.event, m.date, m.line, m.indication) == (
        "NMPA", "conditional_approval", "2018", "second-line, third-line", "HER2-positive metastatic breast cancer")


# ---- tables


def test_table_cell_gives_one_event_per_agency(approvals, views):
    text = views[DOC0].text
    tdm1 = [m for m in approvals[DOC0] if m.prov.table_id and m.drug == "trastuzumab emtansine"]
    assert sorted(m.agency for m in tdm1) == ["EMA", "FDA"]
    for m in tdm1:
        assert m.prov.quote == "(FDA/EMA Approved)" == text[m.prov.char_start:m.prov.char_end]
        assert (m.event, m.cancer_type, m.line, m.indication) == (
            "approval", "breast", "adjuvant, neoadjuvant, second-line", "HER2-overexpressing breast cancer")
        assert m.prov.extractor == "regulatory:table:T2" and m.prov.row is not None


def test_table_cell_single_agency_and_column_cancer(approvals):
    rc48 = sorted((m.agency, m.cancer_type, m.line) for m in approvals[DOC0]
                  if m.prov.table_id and m.drug == "disitamab vedotin")
    assert rc48 == [("NMPA", "gastric", "second-line, third-line"), ("NMPA", "urothelial", "second-line")]


# ---- dates and lines


@pytest.mark.parametrize("text,iso", [
    ("March 13, 2007", "2007-03-13"),
    ("in January 2010", "2010-01"),
    ("in 1998", "1998"),
    ("In 2019,", "2019"),
    ("2020", "2020"),
    ("on 16 August 2018", "2018-08-16"),
    ("Breast Cancer, Version 3.2022", ""),
    ("presented at the 2021 ASCO meeting", ""),
    ("(Cortés et al., 2022)", ""),
])
def test_normalize_date(text, iso, rules):
    assert normalize_date(text, rules) == iso


@pytest.mark.parametrize("text,line", [
    ("(Adjuvant, Second - and third-line therapy)", "adjuvant, second-line, third-line"),
    ("(Late first-line therapy, second and third line therapy)", "first-line, second-line, third-line"),
    ("in the extended adjuvant setting", "extended adjuvant"),
    ("for the backline treatment", "later-line"),
])
def test_lines(text, line, rules):
    assert lines_value(find_lines(text, rules)) == line


# ---- provenance


def test_provenance_invariant_for_every_event(approvals, views):
    n = 0
    for name, found in approvals.items():
        text = views[name].text
        for m in found:
            assert m.prov.char_start is not None
            assert text[m.prov.char_start:m.prov.char_end] == m.prov.quote
            assert m.prov.extractor.startswith("regulatory:")
            n += 1
    assert n >= 40


def test_prior_therapy_is_not_the_approved_drug(rules, pipes):
    (m,) = events("The FDA approved capecitabine for patients previously treated with trastuzumab in 2001.", rules, pipes)
    assert (m.drug, m.date) == ("capecitabine", "2001")


def test_cue_scope_ends_at_a_new_subject(rules, pipes):
    # "failed" governs "trastuzumab", not the approval in the main clause
    (m,) = events("In patients who failed trastuzumab, the FDA approved trastuzumab deruxtecan in 2019.", rules, pipes)
    assert (m.agency, m.drug, m.date) == ("FDA", "trastuzumab deruxtecan", "2019")


def test_table_cell_without_parentheses(rules, pipes):
    text = ("HER2 drugs are reviewed here.\n\nTable 1 Regulatory status of HER2-targeted agents\n\n"
            "Drug\tBreast cancer\tGastric cancer\nTucatinib\tApproved by FDA and EMA (2020)\t-\n"
            "Trastuzumab\t-\tFDA approved in January 2010\n\nDiscussion\n\nMore text follows here.")
    found = events(text, rules, pipes)
    assert sorted((m.agency, m.drug, m.cancer_type, m.date, m.prov.quote) for m in found) == [
        ("EMA", "tucatinib", "breast", "2020", "Approved by FDA and EMA"),
        ("FDA", "trastuzumab", "gastric", "2010-01", "FDA approved"),
        ("FDA", "tucatinib", "breast", "2020", "Approved by FDA and EMA")]
    assert all(m.prov.table_id == "T1" for m in found)


def test_anaphoric_basis_takes_the_trial_of_the_previous_sentence(approvals):
    # "... phase III study, DESTINY-Breast04 [65]. This finding provides a novel justification ..., thereby
    #  compelling the use of FDA-approved T-DXd for the treatment of patients with low HER2 expression in breast cancer."
    m = one(approvals[DOC0], "compelling the use of FDA-approved T-DXd")
    assert (m.drug, m.indication, m.based_on_trial) == (
        "trastuzumab deruxtecan", "low HER2 expression in breast cancer", "DESTINY-BREAST04")


def test_table_first_block_gives_trastuzumab_per_agency_and_column(approvals):
    rows = sorted((m.agency, m.cancer_type) for m in approvals[DOC0] if m.prov.table_id and m.drug == "trastuzumab")
    assert rows == [("EMA", "breast"), ("EMA", "gastric"), ("FDA", "breast"), ("FDA", "gastric")]


@pytest.mark.parametrize("text, expected", [
    ("Trastuzumab was approved by the US Food and Drug Administration (FDA) in 1998 for HER2-positive metastatic "
     "breast cancer.", ("FDA", "approval", "1998", "trastuzumab", "breast", "")),
    ("In 2013, ado-trastuzumab emtansine (Kadcyla) received FDA approval as a second-line treatment for "
     "HER2-positive metastatic breast cancer.", ("FDA", "approval", "2013", "trastuzumab emtansine", "breast",
                                                 "second-line")),
    ("The European Medicines Agency (EMA) granted marketing authorization to T-DXd in January 2021 for "
     "HER2-positive breast cancer.", ("EMA", "approval", "2021-01", "trastuzumab deruxtecan", "breast", "")),
    ("Pyrotinib was conditionally approved by China's NMPA in August 2018 for HER2-positive advanced breast cancer.",
     ("NMPA", "conditional_approval", "2018-08", "pyrotinib", "breast", "")),
    ("Zanidatamab received Breakthrough Therapy designation from the FDA for BTC in November 2020.",
     ("FDA", "breakthrough_therapy", "2020-11", "zanidatamab", "biliary", "")),
])
def test_phrasings_not_in_the_corpus(rules, pipes, text, expected):
    found = events(text, rules, pipes)
    assert [(m.agency, m.event, m.date, m.drug, m.cancer_type, m.line) for m in found] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("T-DXd was approved in Japan in March 2020 for HER2-positive gastric cancer.",
     ("PMDA", "approval", "2020-03", "trastuzumab deruxtecan", "gastric")),
    ("The European Commission granted marketing authorisation to tucatinib on 11 Feb 2021 for HER2-positive breast "
     "cancer.", ("EMA", "approval", "2021-02-11", "tucatinib", "breast")),
    ("Disitamab vedotin was approved in China in June 2021 for HER2-overexpressing gastric cancer.",
     ("NMPA", "approval", "2021-06", "disitamab vedotin", "gastric")),
    ("The FDA approved T-DXd on 12/20/2019 for HER2-positive metastatic breast cancer.",
     ("FDA", "approval", "2019-12-20", "trastuzumab deruxtecan", "breast")),
    ("Margetuximab was approved by the U.S. FDA in Dec. 2020 for HER2-positive breast cancer.",
     ("FDA", "approval", "2020-12", "margetuximab", "breast")),
])
def test_countries_and_date_formats(rules, pipes, text, expected):
    found = events(text, rules, pipes)
    assert [(m.agency, m.event, m.date, m.drug, m.cancer_type) for m in found] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # made-up set 47 mu18406, set 16 mu6004: the drug a passive trigger is about is its lone subject, the clause's first
    # drug, not the partners named after the trigger
    ("Docetaxel was approved by the US Food and Drug Administration in August 2004, in combination with doxorubicin "
     "and cyclophosphamide, for the adjuvant treatment of operable node-positive breast cancer.", "docetaxel"),
    ("Everolimus is approved in Europe in combination with exemestane for this population.", "everolimus"),
    # no-match: a regimen as the subject keeps its head ("alpelisib plus fulvestrant is approved")
    ("Alpelisib plus fulvestrant is approved by the FDA for PIK3CA-mutated advanced breast cancer.",
     "alpelisib + fulvestrant"),
])
def test_passive_subject_is_the_approved_drug(sentence, expected, rules, pipes):
    from conftest import annotate_text
    from pipeline.extract.context import DocView
    text = "Adjuvant chemotherapy in breast cancer: a randomized trial.\n\nWomen received anthracycline chemotherapy. " + sentence
    ann = annotate_text(text, rules, pipes, name="pmid1.txt")
    found = extract_approvals(DocView(ann, rules))
    assert [m.drug for m in found] == [expected]


@pytest.mark.parametrize("sentence,expected", [
    # made-up sets 48 mu19108, 44 mu17404, 43 mu16906, 42 mu16706, 41 mu16008: drugs listed as the subject, then as
    # many dates and "respectively": one event per drug, each with its own date in order
    ("Apalutamide, enzalutamide and darolutamide were approved by the FDA for non-metastatic castration-resistant "
     "prostate cancer in February 2018, July 2018 and July 2019, respectively.",
     [("apalutamide", "2018-02"), ("darolutamide", "2019-07"), ("enzalutamide", "2018-07")]),
    ("Sotorasib and adagrasib received accelerated approval from the FDA in May 2021 and December 2022, respectively.",
     [("adagrasib", "2022-12"), ("sotorasib", "2021-05")]),
    # no-match: one date for the listed drugs is every drug's date
    ("Apalutamide and enzalutamide were approved by the FDA for this indication in 2019.",
     [("apalutamide", "2019"), ("enzalutamide", "2019")]),
])
def test_listed_drugs_take_their_dates_respectively(sentence, expected, rules, pipes):
    from conftest import annotate_text
    from pipeline.extract.context import DocView
    text = "ZX-3115 in prostate cancer: a phase 2 trial.\n\nPatients received ZX-3115. " + sentence
    ann = annotate_text(text, rules, pipes, name="pmid1.txt")
    assert sorted((m.drug, m.date) for m in extract_approvals(DocView(ann, rules))) == expected


def test_conditionally_authorised_is_a_conditional_approval(rules, pipes):
    # set 50 mu19908 (rules/regulatory.yaml conditional_approval): the verb as the noun
    from conftest import annotate_text
    from pipeline.extract.context import DocView
    text = ("Panitumumab was approved by the FDA in September 2006 and conditionally authorised in the European Union in "
            "December 2007 for KRAS wild-type tumours only.")
    found = extract_approvals(DocView(annotate_text(text, rules, pipes), rules))
    assert sorted((m.agency, m.event, m.date) for m in found) == [
        ("EMA", "conditional_approval", "2007-12"), ("FDA", "approval", "2006-09")]


@pytest.mark.parametrize("sentence,expected", [
    # set 50 mu19802, mu19812, mu19910 (regulatory._listed_options over the subject or object, _dates_listed,
    # _respective_dates; followed_approval with drugs for its subject takes the agency told before): regimens listed,
    # each its own event with its own date in order
    ("The FDA approved pembrolizumab plus axitinib and avelumab plus axitinib in April 2019 and May 2019, respectively.",
     [("FDA", "avelumab + axitinib", "2019-05"), ("FDA", "axitinib + pembrolizumab", "2019-04")]),
    ("Sunitinib was approved by the FDA in January 2006. Pembrolizumab plus axitinib, nivolumab plus cabozantinib and "
     "lenvatinib plus pembrolizumab followed in April 2019, January 2021 and August 2021.",
     [("FDA", "axitinib + pembrolizumab", "2019-04"), ("FDA", "cabozantinib + nivolumab", "2021-01"),
      ("FDA", "lenvatinib + pembrolizumab", "2021-08"), ("FDA", "sunitinib", "2006-01")]),
    ("The FDA approved olaparib in May 2020; talazoparib plus enzalutamide followed in June 2023, and niraparib plus "
     "abiraterone in August 2023.",
     [("FDA", "abiraterone + niraparib", "2023-08"), ("FDA", "enzalutamide + talazoparib", "2023-06"),
      ("FDA", "olaparib", "2020-05")]),
    # no-match: one regimen keeps its one date; an agency that followed is that agency's event
    ("The FDA approved pembrolizumab plus axitinib in April 2019, and the EMA followed in September 2019.",
     [("EMA", "axitinib + pembrolizumab", "2019-09"), ("FDA", "axitinib + pembrolizumab", "2019-04")]),
])
def test_regimens_listed_with_their_dates(sentence, expected, rules, pipes):
    from conftest import annotate_text
    from pipeline.extract.context import DocView
    text = "Treatment of advanced renal cell carcinoma: an update.\n\n" + sentence
    ann = annotate_text(text, rules, pipes)
    assert sorted((m.agency, m.drug, m.date) for m in extract_approvals(DocView(ann, rules))) == expected


@pytest.mark.parametrize("text,expected", [
    # set 36 mu14012, set 50 mu19910, set 14 mu5206 (followed_approval with drugs for its subject): the approval told
    # before, from the regulator its sentence named last, of the same kind
    ("Tucatinib with trastuzumab received FDA accelerated approval for colorectal cancer on 19 January 2023. Zanidatamab "
     "followed for IHC 3+ biliary tract cancer on 20 November 2024.",
     [("FDA", "accelerated_approval", "trastuzumab + tucatinib", "2023-01-19"),
      ("FDA", "accelerated_approval", "zanidatamab", "2024-11-20")]),
    ("Olaparib plus abiraterone was approved in the European Union in December 2022 irrespective of mutation status, but by "
     "the FDA in May 2023 only for BRCA-mutated disease; talazoparib plus enzalutamide followed in June 2023.",
     [("EMA", "approval", "abiraterone + olaparib", "2022-12"), ("FDA", "approval", "abiraterone + olaparib", "2023-05"),
      ("FDA", "approval", "enzalutamide + talazoparib", "2023-06")]),
    # no-match: drugs that followed with no date of their own are no new event
    ("Tucatinib with trastuzumab received FDA accelerated approval for colorectal cancer on 19 January 2023. Further "
     "HER2-directed regimens followed.", [("FDA", "accelerated_approval", "trastuzumab + tucatinib", "2023-01-19")]),
])
def test_drugs_that_followed_an_approval(text, expected, rules, pipes):
    assert titled_events("HER2-directed therapy: an update.\n\n", text, rules, pipes) == expected


@pytest.mark.parametrize("text,expected", [
    # set 46 mu18008, mu18010 (regulatory._before_coordinated; also mu18012): an event's drug is named before its date; a drug
    # of a conjunct after it with a date of its own is that conjunct's event, not this one's
    ("The US Food and Drug Administration approved pemetrexed for maintenance treatment in July 2009 and erlotinib in "
     "April 2010.", [("FDA", "erlotinib", "2010-04"), ("FDA", "pemetrexed", "2009-07")]),
    ("Palbociclib received FDA accelerated approval in February 2015 and ribociclib FDA approval in March 2017.",
     [("FDA", "palbociclib", "2015-02"), ("FDA", "ribociclib", "2017-03")]),
    # no-match: one drug and one date stay one event
    ("The FDA approved pemetrexed plus cisplatin for maintenance treatment in July 2009.",
     [("FDA", "cisplatin + pemetrexed", "2009-07")]),
])
def test_a_drug_coordinated_after_an_events_date_is_not_its_drug(text, expected, rules, pipes):
    from conftest import annotate_text
    from pipeline.extract.context import DocView
    ann = annotate_text("Maintenance therapy in lung cancer: an update.\n\n" + text, rules, pipes)
    assert sorted((m.agency, m.drug, m.date) for m in extract_approvals(DocView(ann, rules))) == expected


@pytest.mark.parametrize("text,expected", [
    # set 54 mu21302, mu21308, mu21312, mu21306 (rules/regulatory.yaml label_extension "registered by|in", national
    # regulators in rules/agencies.yaml, jurisdiction_italy): a drug registered by a regulator or in its country is approved
    ("Trastuzumab is registered by ANVISA for the treatment of HER2-positive metastatic gastric cancer.",
     [("ANVISA", "approval", "trastuzumab", "")]),
    ("On the basis of these results, RPD-1106 was registered by the Ministry of Health of the Russian Federation in "
     "November 2023.", [("Minzdrav", "approval", "rpd-1106", "2023-11")]),
    ("Docetaxel, registered in Italy in 1996 for anthracycline-resistant breast cancer, was the reference.",
     [("AIFA", "approval", "docetaxel", "1996")]),
    # guideline bodies of translated and urology texts (mu21202, mu21310)
    ("The TNCD recommends T-DXd in the second line after a regimen containing trastuzumab.",
     [("TNCD", "guideline_recommendation", "trastuzumab deruxtecan", "")]),
    # no-match: a trial's registration, a drug "widely registered" (set 3 mu916), a guideline that makes no
    # recommendation (rules/context.yaml not_recommended; set 13 mu5014, set 14 mu5508)
    ("This trial of trastuzumab was registered in the Chinese Clinical Trial Registry (ChiCTR2000031234).", []),
    ("Of note, MPA at these doses has not received FDA approval for breast cancer, although it is widely registered in "
     "Europe for this indication.", []),
    ("Neither the drug nor the combination has been evaluated by the European Medicines Agency, and the EAU guideline "
     "makes no recommendation on HER2-targeted therapy.", []),
])
def test_a_drug_registered_by_a_national_regulator_is_approved(text, expected, rules, pipes):
    assert titled_events("Trastuzumab in gastric cancer: an update.\n\n", text, rules, pipes) == expected


@pytest.mark.parametrize("text,expected", [
    # England's appraisal body recommends a drug for NHS use: a guideline event (rules/agencies.yaml nice; made-up set 46
    # mu18108, mu18112, set 49 mu19510, set 56 mu22302, mu22312)
    ("NICE recommended enfortumab vedotin plus pembrolizumab in September 2025 for untreated urothelial cancer.",
     [("NICE", "guideline_recommendation", "enfortumab vedotin + pembrolizumab", "2025-09")]),
    # one regimen whose partners are given either way is one event (regulatory._listed_options; set 49 mu19506, set 56
    # mu22306)
    ("NICE recommended trastuzumab with cisplatin and capecitabine or fluorouracil in November 2010 for tumours with "
     "IHC 3+ expression.", [("NICE", "guideline_recommendation", "capecitabine + cisplatin + trastuzumab", "2010-11")]),
    # no-match: a negative appraisal (rules/context.yaml), the adjective
    ("NICE does not recommend lapatinib with capecitabine for this population.", []),
    ("The investigators recommend trastuzumab after a nice partial response in two patients.", []),
])
def test_a_nice_recommendation_is_a_guideline_event(text, expected, rules, pipes):
    assert titled_events("Trastuzumab in gastric cancer: an appraisal.\n\n", text, rules, pipes) == expected


@pytest.mark.parametrize("text,expected", [
    # a regulator named by its country (rules/regulatory.yaml jurisdiction_korea, jurisdiction_canada; made-up set 58
    # mu22802, set 18 mu7008)
    ("The FDA approved ZNT-4417 in May 2023. The Korean regulator followed with an approval in February 2024.",
     [("FDA", "approval", "znt-4417", "2023-05"), ("MFDS", "approval", "znt-4417", "2024-02")]),
    ("Oral clodronate is licensed in Canada for hypercalcaemia of malignancy.",
     [("Health Canada", "approval", "clodronate", "")]),
    # Switzerland's temporary authorisation is a conditional approval (conditional_approval; set 58 mu22804, mu22812)
    ("Swissmedic granted KRX-6115 a temporary authorisation in December 2021.",
     [("Swissmedic", "conditional_approval", "krx-6115", "2021-12")]),
    # no-match: an application still being assessed (rules/context.yaml pending; set 58 mu22804, mu23010), the adjective
    # "no approved" / "no licensed" (none_approved; set 58 mu22810, mu22912), a country's patients, a negated approval
    ("An application to convert the provisional registration of KRX-6115 is under evaluation by the TGA.", []),
    ("Conversion of the US accelerated approval of pertuzumab to full approval awaits confirmatory adjuvant data.", []),
    ("Before 2016, patients in China with colorectal cancer that had progressed after oxaliplatin and irinotecan had no "
     "approved third-line agent.", []),
    ("Lapatinib has no licensed indication in oesophagogastric cancer.", []),
    ("T-DXd had not yet been approved in Korea at the time of treatment of these Korean patients.", []),
])
def test_a_regulator_by_its_country_a_temporary_authorisation_and_no_approved_agent(text, expected, rules, pipes):
    assert titled_events("New agents in solid tumours: regulatory notes.\n\n", text, rules, pipes) == expected


@pytest.mark.parametrize("text,expected", [
    # a longer subject before "is approved", an approval "granted", a hyphenated word after "neither" (rules/context.yaml
    # none_approved, not_approved; made-up set 46 mu18310, set 36 mu14008, set 38 mu14806)
    ("No combination of a HER2-directed agent with a PD-L1 inhibitor is approved for NSCLC.", []),
    ("No BTC-specific approval of T-DXd has been granted by the EMA or by Japan's PMDA.", []),
    ("Neither anti-EGFR antibody is approved for RAS-mutant tumours in the European Union.", []),
    # no-match: an approval granted, stated plainly
    ("The FDA granted accelerated approval to T-DXd for BTC in May 2024.",
     [("FDA", "accelerated_approval", "trastuzumab deruxtecan", "2024-05")]),
])
def test_no_approval_granted_and_neither_drug_approved_are_negated(text, expected, rules, pipes):
    assert titled_events("Antibody-drug conjugates in solid tumours: regulatory notes.\n\n", text, rules, pipes) == expected
