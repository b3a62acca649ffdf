"""Plain-text ingestion: structure a reader sees, tables, repaired paragraphs, bad input."""
from __future__ import annotations

import pytest

from conftest import CORPUS, annotate_text
from pipeline.errors import IngestError
from pipeline.ingest import file_to_document, list_corpus
from pipeline.model import CONTENT_SECTIONS
from pipeline.extract.context import DocView
from pipeline.extract.efficacy import extract_endpoints


def rows(found, *fields):
    return [tuple(getattr(m, f) for f in fields) for m in found]


def kinds(doc):
    return [(s.kind, s.heading) for s in doc.sections]


def section_of(doc, needle):
    i = doc.text.index(needle)
    return doc.section_at(i)


def test_corpus_lists_documents_not_sources(tmp_path):
    names = [p.name for p in list_corpus(CORPUS)]
    assert names == sorted(names) and len(names) == 5 and "SOURCES.md" not in names


def test_doc_id_is_sha256_of_bytes(corpus_docs):
    import hashlib

    d = corpus_docs["000_295cffc29131faf6.txt"]
    assert d.doc_id == hashlib.sha256((CORPUS / d.source_file).read_bytes()).hexdigest()
    assert d.kind == "text" and d.pages[0].page == 1 and d.pages[0].char_end == len(d.text)


@pytest.mark.parametrize("name,title", [
    ("000_295cffc29131faf6.txt", "HER2-targeted therapies in cancer: a systematic review"),
    ("001_d9b16c41351ece26.txt", "HER2-targeted therapies in cancer: a systematic review"),
    ("002_a0f38ae1b1a028d1.txt", "ADVANCES AND FUTURE DIRECTIONS IN HER2-POSITIVE BREAST CANCER: A NARRATIVE REVIEW"),
    ("003_2deb1f22f8bf69ef.txt", "Progress of Research on Advanced Non-Small Cell Lung Cancer with HER-2 Mutation"),
    ("004_bee61af27c55501b.txt", "Management of patients with advanced-stage HER2-positive breast cancer: current evidence and future perspectives"),
])
def test_title(corpus_docs, name, title):
    assert corpus_docs[name].title == title


def test_doi_of_the_document_itself(corpus_docs):
    assert corpus_docs["001_d9b16c41351ece26.txt"].doi == "10.1186/s40364-024-00565-1"
    assert corpus_docs["004_bee61af27c55501b.txt"].doi == "10.1038/s41571-023-00849-9"


def test_sections_of_the_full_review(corpus_docs):
    d = corpus_docs["000_295cffc29131faf6.txt"]
    assert section_of(d, "Abnormal alterations in human epidermal").kind == "abstract"
    assert section_of(d, "Regrettably, the prognosis for advanced").heading == "Gastric cancer"
    assert section_of(d, "ADCs\tAntibody-drug conjugates").kind == "abbreviations"
    assert section_of(d, "Neratinib for breast cancer. *Aust Prescr*").kind == "references"
    assert section_of(d, "There is no funding for this review.").kind == "back_matter"
    assert section_of(d, "Classification and mechanisms").kind == "figure_legend"
    # a body paragraph after a figure legend is body again
    assert section_of(d, "Regrettably, the prognosis").kind == "body"
    headings = [h for k, h in kinds(d) if k == "body"]
    for h in ("Introduction", "Breast cancer", "Gastric cancer", "NSCLC", "Bladder cancer", "Biliary tract cancer (BTC)",
              "Colorectal cancer", "Conclusions and perspectives"):
        assert h in headings


def test_web_page_chrome_is_kept_out_of_content(corpus_docs):
    for name in ("001_d9b16c41351ece26.txt", "004_bee61af27c55501b.txt"):
        d = corpus_docs[name]
        for chrome in ("Skip to main page content", "An official website of the United States government",
                       "PubMed Disclaimer"):
            s = section_of(d, chrome)
            assert s.kind == "chrome" and s.kind not in CONTENT_SECTIONS, (name, chrome)
        assert section_of(d, "Abstract").kind == "abstract"


def test_pubmed_figure_legends_and_references(corpus_docs):
    d = corpus_docs["004_bee61af27c55501b.txt"]
    assert section_of(d, "Timeline of the evolution of HER2").kind == "figure_legend"
    assert section_of(d, "Treatment algorithm for patients").kind == "figure_legend"
    assert section_of(d, "Epidermal growth factor stimulates phosphorylation").kind == "references"


def test_abstract_without_heading_in_a_web_page(corpus_docs):
    d = corpus_docs["003_2deb1f22f8bf69ef.txt"]
    assert section_of(d, "Anti-tumor drug research and development").kind == "abstract"
    assert section_of(d, "Tomizawa K, Suda K, Onozato R").kind == "references"


def test_paragraph_broken_by_page_furniture_is_rejoined(corpus_docs):
    d = corpus_docs["000_295cffc29131faf6.txt"]
    assert "does not always coincide with HER2 amplification [7], which is often associated" in d.text
    assert "The ECD adopts a closed conformation involving domains II and IV" in d.text


def test_table_with_continued_blocks_joins_its_parent(corpus_docs):
    d = corpus_docs["000_295cffc29131faf6.txt"]
    t2 = [t for t in d.tables if t.caption.startswith("Table 2")]
    assert len(t2) == 1, "Table 2 (continued) blocks must join Table 2"
    t = t2[0]
    assert t.header_rows == (0, 9, 16)
    grid = t.grid()
    assert grid[0][1] == "Breast cancer" and grid[9][2] == "Breast cancer"
    assert grid[10][0] == "ADC T-DM1"
    assert grid[11][2].startswith("NCT03529110 (III)")
    for c in t.cells:
        if c.char_start is not None:
            assert d.text[c.char_start:c.char_end] == c.text
    assert d.tables[0].caption == "Table 1 Expression of HER2 in different cancers"
    assert d.tables[0].n_cols == 7


def test_table_of_author_year_review(corpus_docs):
    d = corpus_docs["002_a0f38ae1b1a028d1.txt"]
    (t,) = d.tables
    assert t.grid()[0] == ["Therapy", "Drug class", "Mechanism", "Clinical Outcomes"]
    assert t.n_rows >= 8


def test_bad_inputs_fail_with_one_line_naming_the_file(tmp_path, settings, rules):
    cases = {
        "empty.txt": (b"", "E001"),
        "blank.md": (b"   \n\n", "E001"),
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E002"),     # cp1252/Latin-1 text decodes: tests/hostile
        "binary.txt": (b"\x00\x01\x02 not text", "E002"),
        "slides.pptx": (b"PK\x03\x04 something", "E007"),
    }
    for name, (data, code) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(IngestError) as exc:
            file_to_document(tmp_path / name, tmp_path, settings, rules)
        msg = str(exc.value)
        assert msg.startswith(code) and name in msg and "\n" not in msg


def test_markdown_headings_and_pipe_table(rules, pipes):
    """A converted article in Markdown: '#' headings are headings (the title without its marker),
    a captioned pipe table is a table, and its rows give trials and efficacy values."""
    from conftest import ROOT
    from pipeline.extract import annotated_to_mentions

    text = (ROOT / "tests" / "fixtures" / "markdown-review-pipe-table.md").read_text(encoding="utf-8")
    ann = annotate_text(text, rules, pipes, name="markdown-review-pipe-table.md")
    doc = ann.doc
    assert doc.title == "HER2-targeted therapy in gastric cancer: a review"
    assert [(s.kind, s.heading) for s in doc.sections] == [
        ("title", "HER2-targeted therapy in gastric cancer: a review"), ("body", "Introduction"),
        ("table", "Table 1. Phase III trials in HER2-positive gastric cancer"), ("body", "Conclusion")]
    (t,) = doc.tables
    assert (t.n_rows, t.n_cols) == (4, 5) and t.cell(1, 0).text == "ToGA" and t.cell(3, 3).text == "44.3%"
    assert "|---" not in doc.text
    found = annotated_to_mentions(ann, rules)
    for m in found:
        assert doc.text[m.prov.char_start:m.prov.char_end] == m.prov.quote
    assert sorted((m.nct_id, m.trial, m.drug, m.cancer_type) for m in found if m.kind == "trial") == [
        ("NCT01041404", "TOGA", "chemotherapy + trastuzumab", "gastric"),
        ("NCT03615326", "KEYNOTE-811", "chemotherapy + pembrolizumab + trastuzumab", "gastric"),
        ("NCT04704934", "DESTINY-GASTRIC04", "trastuzumab deruxtecan", "gastric")]
    assert [(m.trial, m.endpoint, m.value, m.unit) for m in found if m.kind == "endpoint"] == [
        ("TOGA", "ORR", "47", "%"), ("TOGA", "OS", "13.8", "months"),
        ("KEYNOTE-811", "ORR", "74.4", "%"), ("KEYNOTE-811", "OS", "20.0", "months"),
        ("DESTINY-GASTRIC04", "ORR", "44.3", "%"), ("DESTINY-GASTRIC04", "OS", "14.7", "months")]


_STRUCTURED = """{title}

{purpose}
Patients with previously treated HER2-positive biliary tract cancer have few options. We assessed the bispecific antibody in a single-arm cohort of patients who had progressed after gemcitabine.

{methods}
Patients received the study drug every 2 weeks until progression. The primary end point was the confirmed objective response rate by independent central review.

{results}
Of 60 patients enrolled, 24 had a confirmed objective response (ORR, 40.0%; 95% CI, 27.6 to 53.5). Median progression-free survival was 5.4 months (95% CI, 3.6 to 7.1).

{conclusion}
The antibody showed durable activity in this population and warrants a randomised trial.
"""


@pytest.mark.parametrize("heads", [("PURPOSE", "METHODS", "RESULTS", "CONCLUSION"),
                                   ("Background", "Methods", "Findings", "Interpretation"),
                                   ("Objective:", "Design:", "Results:", "Conclusions:")])
def test_structured_abstract_with_subheadings_on_their_own_lines_is_one_record(rules, heads):
    """A trial abstract saved with its sub-headings on lines of their own (JCO / NEJM / Lancet print
    them so) is still one record: title, then the abstract (not front matter and body sections of a
    review, which would leave the results without the title's drug and trial)."""
    from pipeline.ingest.text import text_to_document

    title = "Zanidatamab in Previously Treated HER2-Amplified Biliary Tract Cancer (HERIZON-BTC-21): A Phase IIb Study"
    text = _STRUCTURED.format(title=title, purpose=heads[0], methods=heads[1], results=heads[2], conclusion=heads[3])
    doc = text_to_document(text, "s.txt", "0" * 64, rules)
    assert [s.kind for s in doc.sections] == ["title", "abstract"] and doc.title == title
    # an ordinary review heading is no abstract sub-heading: the text stays sectioned
    other = text.replace(heads[1], "Mechanisms of resistance to HER2 blockade")
    assert "body" in [s.kind for s in text_to_document(other, "s.txt", "0" * 64, rules).sections]


def test_a_title_with_many_commas_is_a_title_an_author_list_is_not(rules):
    """Lancet-style titles list the design with commas ("a multicentre, randomised, double-blind,
    placebo-controlled, phase 3 trial"); an author line has many short comma-separated names."""
    from pipeline.ingest.text import text_to_document

    title = ("Adjuvant abemaciclib plus endocrine therapy in node-positive, high-risk, hormone receptor-positive, "
             "HER2-negative early breast cancer (ABACUS-E): 4-year results of a randomised, open-label, phase 3 trial")
    body = ("Background Despite adjuvant endocrine therapy, a substantial proportion of patients with high-risk early "
            "breast cancer relapse, and we assessed whether two years of abemaciclib improve invasive disease-free survival.")
    doc = text_to_document(f"{title}\n\n{body}\n", "t.txt", "0" * 64, rules)
    assert doc.title == title
    authors = "Zhu K, Yang X, Tai H, Zhong X, Luo T, Zheng H"
    doc = text_to_document(f"{authors}\n\n{body}\n", "a.txt", "0" * 64, rules)
    assert doc.title != authors


def test_a_structured_abstract_with_a_sub_heading_of_its_own_is_one_record(tmp_path, settings, rules):
    """Two or more known sub-headings make a short text a structured abstract: its other short
    heading lines ("Regulatory status", "Translational relevance") are sub-headings too; an
    ordinary article heading ("Introduction") or a long line still is not."""
    from pipeline.ingest import file_to_document

    body = ("Ervatuzumab is a HER2-directed antibody studied here in previously treated gastric cancer patients "
            "across several centres in two countries.")
    for extra, record in (("Regulatory status", True), ("Translational relevance", True), ("Introduction", False)):
        p = tmp_path / f"{extra.split()[0].lower()}.txt"
        p.write_text(f"Ervatuzumab in gastric cancer: a phase 2 study\n\nBackground\n\n{body}\n\nMethods\n\n{body}\n\n"
                     f"{extra}\n\n{body}\n\nResults\n\n{body}\n", encoding="utf-8")
        doc = file_to_document(p, tmp_path, settings, rules)
        kinds = [s.kind for s in doc.sections]
        assert ("body" not in kinds) is record, (extra, kinds)


def test_a_table_written_without_outer_pipes_is_a_table(tmp_path, settings, rules):
    """Rows such as "Trial | Phase | n | ORR" (two or more consecutive lines, the same number of three or
    more cells) are a table's rows, as Markdown pipe rows are; a sentence with one " | " is not."""
    from pipeline.ingest import file_to_document

    p = tmp_path / "review.txt"
    p.write_text("HER2-directed therapy in biliary cancer\n\nSeveral agents were studied in small trials with "
                 "consistent activity across the different settings and lines.\n\n"
                 "Table 4. Selected studies in biliary tract cancer\n"
                 "Study | Phase | Agent | n | ORR\n"
                 "ZWI-BTC-02 | IIb | zanidatamab | 80 | 42.5%\n"
                 "HERB-7 | II | trastuzumab deruxtecan | 32 | 36.4%\n\n"
                 "The choice | between them depends on access and on the HER2 score of each patient in practice.\n",
                 encoding="utf-8")
    doc = file_to_document(p, tmp_path, settings, rules)
    assert len(doc.tables) == 1
    rows = {(c.row, c.col): c.text for c in doc.tables[0].cells}
    assert rows[(1, 2)] == "zanidatamab" and rows[(2, 4)] == "36.4%"
    assert "The choice | between" in doc.text          # one " | " in a sentence stays as written


@pytest.mark.parametrize("lede,content", [
    # a news story's lede and a meta-analysis's run-in "Objective:" open the content, though short
    ("Women with HER2-expressing gynaecological tumours continue to benefit from trastuzumab deruxtecan, according "
     "to a three-year update of the PANORAMA-H2 basket study presented in Athens by the trial's investigators.", True),
    ("Objective: To summarise the effectiveness of pyrotinib outside clinical trials in China, we pooled the "
     "results of all the retrospective cohorts that were published in the last five years.", True),
    # shorter ones, one sentence of 15-24 words: a news lede, an abstract's objective
    ("About a third of women with HER2-positive metastatic breast cancer develop brain metastases, and two "
     "trials presented here targeted them.", True),
    ("To assess neratinib in combination with trastuzumab with or without fulvestrant in patients with "
     "HER2-mutant advanced breast cancer.", True),
    # no-match: correspondence, author lists, affiliations and datelines stay front matter
    ("Department of Medical Oncology, University Hospital of Athens, and Department of Pathology, Karolinska "
     "Institutet, Stockholm, Sweden.", False),
    ("Correspondence: Dr Eleni Papadaki, Department of Medical Oncology, University of Athens, 75 Mikras Asias "
     "Street, Athens 11527, Greece; with thanks to the trial's investigators and the patients of the study.", False),
    ("Eleni Papadaki, Jonas Berg, Mei Lin, Ana Souza, Tomas Novak, Priya Raman, Kenji Sato, Laura Rossi, "
     "Omar Haddad, Sofia Lindqvist, Marek Kowalski, Ines Duarte", False),
])
def test_a_short_opening_paragraph_is_content_when_it_reads_as_sentences(lede, content, rules, pipes):
    text = ("HER2 drugs post durable gains in gynaecological cancers\n\nESMO Gynaecological Cancers report -- Athens, "
            "21 June 2025\n\n" + lede + "\n\nResults\n\nSeven-year follow-up confirmed the benefit of the drug.\n")
    ann = annotate_text(text, rules, pipes, name="news.txt")
    start = ann.doc.text.index(lede[:30])
    kind = next(s.kind for s in ann.doc.sections if s.char_start <= start < s.char_end)
    assert (kind in CONTENT_SECTIONS) == content, kind


def test_a_table_laid_out_with_spaces_is_a_table(rules, pipes):
    text = ("Neratinib plus capecitabine: final analysis\n\nResults\n\nEfficacy is summarised in Table 2.\n\n"
            "TABLE 2. Efficacy End Points\n"
            "End Point                        N+C (n = 307)        L+C (n = 305)\n"
            "Median PFS, months (95% CI)      8.8 (7.0-9.8)        6.6 (5.8-7.0)\n"
            "Median OS, months (95% CI)       24.0 (21.0-27.2)     22.2 (19.6-25.0)\n\n"
            "Discussion\n\nNeratinib  was  approved in 2020 after   this trial.\n")
    ann = annotate_text(text, rules, pipes, name="art.txt")
    assert len(ann.doc.tables) == 1
    cells = {c.text for c in ann.doc.tables[0].cells}
    assert {"Median PFS, months (95% CI)", "8.8 (7.0-9.8)", "6.6 (5.8-7.0)"} <= cells
    # no-match: one line of prose with double spaces is no table row
    assert "Neratinib  was  approved" in ann.doc.text


# two hard-wrapped texts (a PDF-to-text conversion of an article; a review pasted from an e-mail at 72
# columns): each paragraph comes back as one line, words hyphenated at a line end are joined where the
# text stage's hyphenation rule says so, headings, list items and table rows stay lines of their own
WRAPPED_ARTICLE = """Annals of Oncology   Original article                               Page 4

Results
Between March 2019 and May 2021, 412 patients were randomly assigned to
zanidatamab plus chemotherapy or to trastuzumab plus chemotherapy. Patients
had received a median of one prior line for advanced disease, and 61% had
visceral metastases at baseline.

Efficacy
The confirmed objective response rate was 58.2% with zanidatamab and 41.7%
with trastuzumab. Median progression-free survival was 12.1 months versus 8.4
months (hazard ratio 0.68; 95% CI 0.53-0.87), and the benefit was consistent
across the prespecified subgroups, including patients with HER2-low and HER2-
positive tumours and those with prior exposure to anti-HER2 treat-
ment in the perioperative setting.

Table 2. Efficacy by subgroup
Subgroup        n      ORR, %    Median PFS, months
IHC 3+          301    61.4      12.9
IHC 2+/ISH+     111    49.5      9.7
"""

WRAPPED_EMAIL = """Subject: weekly HER2 evidence digest

Colleagues, a short summary of this week's reading for the tumour board
follows below; figures are taken from the full papers where possible.

Key points:
- Tucatinib combined with trastuzumab and capecitabine kept its overall
  survival advantage at the final analysis.
- The intracranial response rate was 47.3% in patients with active brain
  metastases at enrolment.

In the gastric cohort, median overall survival reached 16.1 months with the
new regimen compared with 12.6 months with the reference arm, a difference
the investigators called clinically meaningful for this heavily pretreated
population.
"""


def test_a_hard_wrapped_text_is_read_as_paragraphs(rules, pipes):
    ann = annotate_text(WRAPPED_ARTICLE, rules, pipes, name="article.txt")
    text = ann.doc.text
    assert ("Median progression-free survival was 12.1 months versus 8.4 months (hazard ratio 0.68; "
            "95% CI 0.53-0.87), and the benefit") in text
    # a soft hyphen at a line end goes ("treat-"/"ment"), a real compound's hyphen stays ("HER2-"/"positive")
    assert "anti-HER2 treatment in the perioperative setting." in text and "HER2-positive tumours" in text
    # headings stay their own paragraphs, the table is still a table, the running header stays apart
    headings = [s.heading for s in ann.doc.sections]
    assert "Results" in headings and "Efficacy" in headings
    assert len(ann.doc.tables) == 1 and {"IHC 3+", "61.4"} <= {c.text for c in ann.doc.tables[0].cells}
    assert "Page 4\n\nResults\n\nBetween March 2019" in text
    # one sentence, not one per line
    sent = next(s for s in ann.sentences if "12.1 months" in text[s.char_start:s.char_end])
    assert "hazard ratio 0.68" in text[sent.char_start:sent.char_end]


def test_a_hard_wrapped_e_mail_keeps_its_list_items(rules, pipes):
    ann = annotate_text(WRAPPED_EMAIL, rules, pipes, name="digest.txt")
    text = ann.doc.text
    assert ("In the gastric cohort, median overall survival reached 16.1 months with the new regimen compared "
            "with 12.6 months with the reference arm, a difference the investigators called clinically meaningful "
            "for this heavily pretreated population.") in text
    # each list item is one line again and is not joined to the item before it or to "Key points:"
    assert "Key points:\n\n- Tucatinib" in text
    assert "its overall survival advantage at the final analysis.\n\n- The intracranial response" in text


def test_a_text_with_one_line_per_paragraph_is_not_rejoined(rules, pipes):
    """No-match: paragraphs written one per line (no blank line between) and short lines without a
    full stop (headings, a list) are not a hard-wrapped text."""
    text = ("Trastuzumab deruxtecan in HER2-low disease\n"
            "Background\n"
            "HER2-low breast cancer accounts for about half of all breast cancers and was long treated as HER2-negative disease.\n"
            "Results\n"
            "Median progression-free survival was 9.9 months with trastuzumab deruxtecan and 5.1 months with chemotherapy.\n"
            "Median overall survival was 23.4 months versus 16.8 months with the physician's choice of chemotherapy.\n"
            "Key numbers\n"
            "ORR 52.3%\n"
            "DCR 80.1%\n"
            "Grade 3 or worse adverse events occurred in about half of the patients in each group of the trial.\n")
    ann = annotate_text(text, rules, pipes, name="oneline.txt")
    assert "5.1 months with chemotherapy.\n\nMedian overall survival" in ann.doc.text
    assert "Key numbers\n\nORR 52.3%\n\nDCR 80.1%" in ann.doc.text


def test_a_guidelines_recommendations_are_content_before_any_abstract(rules, pipes):
    """A guideline's "New or revised recommendations" / "Stratified recommendations, first line" /
    "Clinical question 4: ..." open content sections right after the title; a sentence that starts with
    "Recommendations" is no heading."""
    text = ("ASCO guideline update: HER2-positive gastric cancer (invented)\n\n"
            "Clinical question 2: Which first-line regimen should be offered?\n\n"
            "Recommendation 2.1: Clinicians should offer trastuzumab with chemotherapy (Evidence quality: high).\n\n"
            "Recommendations were graded by the panel using the ASCO methodology and voted on by all members.\n")
    ann = annotate_text(text, rules, pipes, name="asco.txt")
    rec = ann.doc.text.index("Recommendation 2.1")
    assert ann.doc.section_at(rec).kind in CONTENT_SECTIONS
    assert [s.heading for s in ann.doc.sections if s.kind == "body"] == [
        "Clinical question 2: Which first-line regimen should be offered?"]


def test_a_label_table_laid_out_with_spaces_under_its_caption_is_a_table(rules, pipes):
    """A Prescribing Information table: an indented header naming the arms over an empty first column,
    rows with one or two values, group headings of one cell, footnote letters after the labels."""
    text = ("14 CLINICAL STUDIES\n\nThe efficacy results are summarized in Table 9.\n\n"
            "Table 9: Efficacy Results from Study NX-301\n\n"
            "                                          Neratinib + Capecitabine    Lapatinib + Capecitabine\n"
            "                                          N=307                       N=314\n"
            "Progression-Free Survival\n"
            "  Median PFS in months (95% CI)           8.8 (7.0, 9.8)              6.6 (5.8, 7.0)\n"
            "  Hazard ratio (95% CI)a                  0.76 (0.63, 0.93)\n"
            "Objective Response Rate                   32.8%                       26.7%\n\n"
            "a Stratified Cox model.\n")
    ann = annotate_text(text, rules, pipes, name="label.txt")
    assert len(ann.doc.tables) == 1
    cells = {(c.row, c.col): c.text for c in ann.doc.tables[0].cells}
    assert cells[(0, 0)] == "" and cells[(0, 1)] == "Neratinib + Capecitabine"
    assert cells[(3, 0)] == "Median PFS in months (95% CI)" and cells[(3, 2)] == "6.6 (5.8, 7.0)"
    assert cells[(2, 0)] == "Progression-Free Survival"
    # no-match: the footnote after the blank line and the prose before the caption stay prose
    assert "a Stratified Cox model." in ann.doc.text and not any("Stratified" in c for c in cells.values())
    view = DocView(ann, rules)
    found = extract_endpoints(view)
    assert rows(found, "endpoint", "value", "comparator_value", "hr", "drug") == [
        ("PFS", "8.8", "6.6", "", "capecitabine + neratinib"), ("PFS", "", "", "0.76", "capecitabine + neratinib"),
        ("ORR", "32.8", "26.7", "", "capecitabine + neratinib")]


@pytest.mark.parametrize("text,needle", [
    # a figure saved with its legend first: the lines under the legend are the figure's content
    ("Figure 1. Timeline of HER2-directed approvals, 1998-2024. Each marker is a first decision.\n\n"
     "2013 - FDA accelerated approval: pertuzumab, neoadjuvant setting.\n"
     "June 2021 - NMPA: disitamab vedotin conditionally approved (gastric, third line).\n", "NMPA: disitamab"),
    # a table saved first, then its notes
    ("Table 3. Pathological response by treatment arm\n\nArm\tpCR, %\nA\t45.1\nB\t57.3\n\n"
     "The pCR rate with pertuzumab was 57.3% against 45.1% without it in this randomized comparison.\n", "The pCR rate"),
])
def test_a_figure_or_table_saved_first_has_content_after_it(text, needle, rules):
    from pipeline.ingest.text import text_to_document
    doc = text_to_document(text, "fig.txt", "0" * 64, rules)
    assert section_of(doc, needle).kind in CONTENT_SECTIONS


def test_a_legend_inside_an_abstract_leaves_its_section_alone(rules):
    # no-match: a legend after the abstract has begun returns to the abstract, it opens no body
    from pipeline.ingest.text import text_to_document
    text = ("Trastuzumab deruxtecan in HER2-low breast cancer.\n\n"
            "In this randomized trial, patients with HER2-low metastatic breast cancer received trastuzumab deruxtecan or "
            "chemotherapy of the physician's choice, and the median progression-free survival was 9.9 months with "
            "trastuzumab deruxtecan.\n\nFigure 2. Survival by arm.\n\nThe median overall survival was 23.4 months with "
            "trastuzumab deruxtecan and 16.8 months with chemotherapy in the whole population of the trial.\n")
    doc = text_to_document(text, "fig.txt", "0" * 64, rules)
    assert section_of(doc, "The median overall").kind == "abstract"
