"""PDF ingestion: real PDFs parsed by real pdfplumber, no mocks.

Fixtures: tests/pdfs/*.pdf, built by tests/pdfs/make_fixtures.py (reportlab, deterministic),
each good one with <name>.expected.json written from the data the PDF was drawn from.
Real published PDFs: ../shared/pdfs/ (skipped with a reason when absent).
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.errors import IngestError
from pipeline.ingest.pdf import join_hyphenated, pdf_to_document
from pipeline.rules import load_rules
from pipeline.model import SECTION_KINDS, Document

PDFS = Path(__file__).resolve().parent / "pdfs"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "pdfs"
BMJ = SHARED / "bmj2015_h2145_LEAP_smoking_pregnancy_rct.pdf"
BMC = SHARED / "bmccancer2012_CanPrevent_colorectal_pilot.pdf"
GOOD = ["multipage-running-header-footer.pdf", "ruled-table.pdf", "two-column.pdf"]
SETTINGS = Settings()


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_fixtures", PDFS / "make_fixtures.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


RULES = load_rules(Settings.resolve().rules_dir)


def ingest(path: Path, settings: Settings = SETTINGS) -> Document:
    return pdf_to_document(path, path.name, "test-doc-id", settings, RULES)


def expected(name: str) -> dict:
    return json.loads((PDFS / name.replace(".pdf", ".expected.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {name: ingest(PDFS / name) for name in GOOD}


def paragraphs(doc: Document) -> list[str]:
    return [p for p in doc.text.split("\n\n")]


def body_paragraphs(doc: Document) -> list[str]:
    """Paragraphs of prose (table row blocks excluded)."""
    return [p for p in paragraphs(doc) if "\t" not in p]


# --------------------------------------------------------------------------
# The generator stays true


def test_generator_reproduces_committed_fixtures(tmp_path):
    gen = _load_generator()
    gen.build(tmp_path)
    for name in GOOD:
        committed = (PDFS / name.replace(".pdf", ".expected.json")).read_text(encoding="utf-8")
        fresh = (tmp_path / name.replace(".pdf", ".expected.json")).read_text(encoding="utf-8")
        assert fresh == committed, f"{name}: expected output drifted; rerun tests/pdfs/make_fixtures.py"
        assert ingest(tmp_path / name).text == ingest(PDFS / name).text, name
    for name in list(gen.BROKEN) + list(gen.LAYOUT):
        assert (tmp_path / name).read_bytes() == (PDFS / name).read_bytes(), name


# --------------------------------------------------------------------------
# Good fixtures against their expected output


@pytest.mark.parametrize("name", GOOD)
def test_paragraphs_in_reading_order(docs, name):
    doc, exp = docs[name], expected(name)
    assert doc.kind == "pdf" and doc.status == "ok"
    assert paragraphs(doc) == exp["paragraphs"]
    assert doc.title == exp["title"]
    assert len(doc.pages) == exp["n_pages"]


@pytest.mark.parametrize("name", GOOD)
def test_sections(docs, name):
    doc, exp = docs[name], expected(name)
    assert [[s.kind, s.heading] for s in doc.sections] == exp["sections"]
    # sections cover the whole text, in order, without gaps
    assert doc.sections[0].char_start == 0 and doc.sections[-1].char_end == len(doc.text)
    for a, b in zip(doc.sections, doc.sections[1:]):
        assert a.char_end == b.char_start
    assert all(s.kind in SECTION_KINDS for s in doc.sections)


@pytest.mark.parametrize("name", GOOD)
def test_tables(docs, name):
    doc, exp = docs[name], expected(name)
    assert [(t.caption, t.page, t.grid()) for t in doc.tables] == \
        [(t["caption"], t["page"], t["grid"]) for t in exp["tables"]]
    for i, t in enumerate(doc.tables, start=1):
        assert t.table_id == f"T{i}"
        for c in t.cells:
            if c.text:
                assert doc.text[c.char_start:c.char_end] == c.text
        assert doc.section_at(t.char_start).kind == "table"


def test_multipage_furniture_never_in_text(docs):
    doc = docs["multipage-running-header-footer.pdf"]
    for s in expected("multipage-running-header-footer.pdf")["furniture"]:
        assert s not in doc.text
    assert not any(re.fullmatch(r"\d+|Page \d+ of \d+", p) for p in paragraphs(doc))


def test_multipage_cross_page_paragraph_and_hyphenation(docs):
    doc = docs["multipage-running-header-footer.pdf"]
    paras = paragraphs(doc)
    cross = next(p for p in paras if p.startswith("Dual blockade"))
    assert cross.endswith("in the intention-to-treat population.")
    start = doc.text.index(cross)
    assert doc.page_at(start) == 1 and doc.page_at(start + len(cross) - 1) == 2
    exp = expected("multipage-running-header-footer.pdf")
    for w in exp["repaired"] + exp["kept_hyphens"]:
        assert re.search(rf"\b{re.escape(w)}\b", doc.text), w
    assert "treat-" not in doc.text and "treat ment" not in doc.text
    assert "HER2- positive" not in doc.text and "T- DXd" not in doc.text


def test_two_column_left_before_right(docs):
    doc = docs["two-column.pdf"]
    text = doc.text
    assert text.index("Trastuzumab deruxtecan is an antibody-drug") < text.index("In DESTINY-Breast04") \
        < text.index("choice (median overall survival 23.4") < text.index("Interstitial lung disease")
    # the sentence broken at the column bottom is one sentence in one paragraph
    assert ("with the chemotherapy of physician's choice (median overall survival 23.4 vs 16.8 months; "
            "HR 0.64).") in body_paragraphs(doc)[3]


@pytest.mark.parametrize("name", GOOD)
def test_line_boxes_match_drawn_lines(docs, name):
    doc, exp = docs[name], expected(name)
    for line in exp["lines"]:
        text = line["text"]
        hits = [b for b in doc.boxes if b.page == line["page"]
                and doc.text[b.char_start:b.char_end] in (text, text[:-1])]
        assert hits, f"{name}: no LineBox for {text!r}"
        b = hits[0]
        assert abs(b.x0 - line["x"]) < 1.0, text
        assert b.top < line["baseline"] <= b.bottom + 0.5, text
    for b in doc.boxes:
        page = doc.pages[b.page - 1]
        assert page.char_start <= b.char_start < b.char_end <= page.char_end or b.page == doc.page_at(b.char_start)
        assert 0 <= b.x0 < b.x1 <= page.width and 0 <= b.top < b.bottom <= page.height
        assert doc.text[b.char_start:b.char_end].strip() == doc.text[b.char_start:b.char_end] != ""


@pytest.mark.parametrize("name", GOOD)
def test_page_spans_cover_text(docs, name):
    doc = docs[name]
    assert [p.page for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    assert doc.pages[0].char_start == 0 and doc.pages[-1].char_end == len(doc.text)
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.char_end == b.char_start
    assert all(p.width > 500 and p.height > 800 for p in doc.pages)   # A4 in points


def test_bbox_of_a_sentence(docs):
    doc = docs["multipage-running-header-footer.pdf"]
    from_ = doc.text.index("In DESTINY-Breast03")
    to = doc.text.index("P < 0.001).") + len("P < 0.001).")
    page, x0, top, x1, bottom = doc.bbox_of(from_, to)
    lines = [l for l in expected("multipage-running-header-footer.pdf")["lines"]
             if l["text"].startswith("In DESTINY-Breast03") or l["text"].startswith("with trastuzumab emtansine (HR")]
    assert page == 1 and abs(x0 - 56) < 1
    assert top < lines[0]["baseline"] and lines[1]["baseline"] <= bottom + 0.5
    assert bottom - top < 3 * 13       # two lines, not the page


def test_hyphenation_rule():
    plain, hyph = {"treatment"}, {"moderate-vigorous"}
    assert join_hyphenated("anti-HER2 treat-", "ment was", plain, hyph)
    assert join_hyphenated("physi-", "cal activity", set(), set())
    assert not join_hyphenated("with HER2-", "positive disease", plain, hyph)
    assert not join_hyphenated("on T-", "DXd were", plain, hyph)
    assert not join_hyphenated("the anti-", "HER2 antibody", plain, hyph)
    assert not join_hyphenated("minutes moderate-", "vigorous activity", plain, hyph)
    assert not join_hyphenated("in the non-", "inferiority margin", plain, hyph)


def test_table_strategy_text_also_finds_ruled_grid():
    doc = ingest(PDFS / "ruled-table.pdf", Settings(pdf_table_strategy="text"))
    assert len(doc.tables) == 1
    assert doc.tables[0].grid()[1] == ["DESTINY-Breast03", "T-DXd", "79.7%", "28.8 months"]


# --------------------------------------------------------------------------
# Broken input


@pytest.mark.parametrize("name,code", [
    ("corrupt.pdf", "E003"),
    ("truncated.pdf", "E003"),
    ("encrypted.pdf", "E004"),
    ("image-only.pdf", "E005"),
    ("empty.pdf", "E001"),
    ("cid-glyphs.pdf", "E030"),
])
def test_broken_pdfs_raise_one_line_errors(name, code):
    with pytest.raises(IngestError) as ei:
        ingest(PDFS / name)
    msg = str(ei.value)
    assert msg.startswith(f"{code} {name}:"), msg
    assert "\n" not in msg


# --------------------------------------------------------------------------
# Layout traps (issue 12): rotated pages, glyph debris


def test_rotated_pages_are_read_not_dropped():
    """Pages 2-3 carry /Rotate 90 with their text drawn upright (shown sideways): every page is read,
    in order, with its page number."""
    doc = ingest(PDFS / "rotated.pdf")
    assert [p.page for p in doc.pages] == [1, 2, 3]
    for n in (1, 2, 3):
        sentence = f"On page {n}, zanidatamab achieved an objective response rate of {40 + n}%."
        assert doc.text.count(sentence) == 1, n
        assert doc.page_at(doc.text.index(sentence)) == n
        assert doc.bbox_of(doc.text.index(sentence), doc.text.index(sentence) + len(sentence)) is not None


def test_decimal_commas_in_running_text_and_table_cells_alike(tmp_path):
    """A PDF whose authors write decimals with a comma ("58,8%", "HR 1,04") gets points in its running text and in its
    table cells alike, so every cell still quotes the saved text (text[char_start:char_end] == cell text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    path = tmp_path / "decimal-commas.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    width, height = A4
    c.setFont("Helvetica", 10)
    c.drawString(56, height - 80, "The response rate was 58,8% with EP and 40,6% with EC (p=0,13).")
    c.drawString(56, height - 93, "Median survival was 9,2 months versus 7,9 months (HR 1,04; 95% CI 0,69-1,57).")
    c.drawString(56, height - 120, "Table 1 Efficacy by arm")
    rows = [["Endpoint", "EP", "EC"], ["ORR", "58,8%", "40,6%"], ["Median OS", "9,2 months", "7,9 months"]]
    xs, top = [56, 176, 296, 416], height - 130
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            c.drawString(xs[k] + 4, top - r * 18 - 13, cell)
    for r in range(len(rows) + 1):
        c.line(xs[0], top - r * 18, xs[-1], top - r * 18)
    for x in xs:
        c.line(x, top, x, top - len(rows) * 18)
    c.showPage()
    c.save()
    doc = ingest(path)
    assert "was 58.8% with EP" in doc.text and "HR 1.04; 95% CI 0.69-1.57" in doc.text
    assert [t.grid() for t in doc.tables] == [[["Endpoint", "EP", "EC"], ["ORR", "58.8%", "40.6%"],
                                               ["Median OS", "9.2 months", "7.9 months"]]]
    for cell in doc.tables[0].cells:
        if cell.text and cell.char_start is not None:
            assert doc.text[cell.char_start:cell.char_end] == cell.text


def test_tiny_glyph_debris_is_not_text():
    """10,000 glyphs of 0.5 pt under a real paragraph: the paragraph is read, the debris is not."""
    doc = ingest(PDFS / "tiny-objects.pdf")
    assert "Zanidatamab achieved an objective response rate of 41% in biliary tract cancer." in doc.text
    assert "x x" not in doc.text and "xx" not in doc.text
    assert len(doc.text) < 400


# --------------------------------------------------------------------------
# Real published PDFs


@pytest.fixture(scope="module")
def bmj() -> Document:
    if not BMJ.exists():
        pytest.skip(f"shared PDF not found: {BMJ} (see ../shared/README.md)")
    return ingest(BMJ)


@pytest.fixture(scope="module")
def bmc() -> Document:
    if not BMC.exists():
        pytest.skip(f"shared PDF not found: {BMC} (see ../shared/README.md)")
    return ingest(BMC)


def _in_one_paragraph(doc: Document, sentence: str) -> bool:
    return any(sentence in p for p in paragraphs(doc))


def test_bmj_metadata(bmj):
    assert bmj.title == "Physical activity for smoking cessation in pregnancy: randomised controlled trial"
    assert bmj.doi == "10.1136/bmj.h2145"
    assert len(bmj.pages) == 10
    assert {"title", "abstract", "body", "figure_legend", "table"} <= {s.kind for s in bmj.sections}


def test_bmj_sentences_whole_across_columns_pages_and_hyphens(bmj):
    # abstract "Results" continues from the middle column into the right column
    assert _in_one_paragraph(bmj, "For the physical activity group compared with the control group, there "
                                  "was a 40% (95% confidence interval 13% to 73%)")
    # page 2 -> page 3, with "occa-" / "sions" at the page-2 line end
    assert _in_one_paragraph(bmj, "We permitted temporary, brief smoking lapses of up to five cigarettes in "
                                  "total (on up to five occasions).25 Abstinence was validated")
    # "activ-" / "ity" and "interven-" / "tion" at line ends
    assert _in_one_paragraph(bmj, "Moderate intensity physical activity is recommended for pregnancy, and "
                                  "pregnant smokers are likely to be receptive to such an intervention.")
    assert _in_one_paragraph(bmj, "participants walked at a moderate intensity on a treadmill for up to 30 minutes")
    assert "moderate-vigorous physical activity" in bmj.text       # a real compound keeps its hyphen
    assert "Exclusion criteria were medical conditions" in bmj.text


def test_bmj_back_matter_and_reference_list_without_heading(bmj):
    kinds = {s.heading: s.kind for s in bmj.sections}
    assert kinds["Funding"] == kinds["Competing interests"] == "back_matter"     # inline "Funding: ..."
    refs = [s for s in bmj.sections if s.kind == "references"]
    assert len(refs) == 1 and bmj.text[refs[0].char_start:].startswith("1 Kallen K. The impact of maternal smoking")
    assert bmj.section_at(bmj.text.index("In this study, evidence that a pragmatic")).kind == "body"


def test_bmj_no_running_heads_in_sentences(bmj):
    for p in body_paragraphs(bmj):
        assert "the bmj |" not in p and "doi: 10.1136/bmj.h2145 |" not in p
        assert p.strip() != "RESEARCH"
        assert not re.fullmatch(r"\d{1,2}", p.strip())


def test_bmj_ruled_tables(bmj):
    captions = [t.caption.lower() for t in bmj.tables]
    # pdfplumber's lines strategy reports 8 grids; two are the licence logo and a chart frame
    assert [c.split("|")[0].strip() for c in captions] == [f"table {i}" for i in range(1, 7)]
    assert [t.page for t in bmj.tables] == [5, 6, 7, 7, 8, 8]
    base = bmj.tables[0]
    # pdfplumber's raw grid is 31x3: the caption row and the footnote row are taken out
    assert (base.n_rows, base.n_cols) == (29, 3)
    grid = base.grid()
    assert grid[0] == ["Characteristics", "Physical activity group (n=391)", "Control group (n=393)"]
    assert grid[1] == ["Mean (SD) age (years)", "27.2 (6.1)", "27.8 (6.5)"]
    assert "baseline characteristics, according to study group" in captions[0]
    # table words stay out of the prose
    assert not any("27.2 (6.1)" in p for p in body_paragraphs(bmj))


def test_bmc_unruled_tables_by_text_strategy(bmc):
    assert len(bmc.tables) >= 1
    t1 = bmc.tables[0]
    assert t1.caption == "Table 1 Demographic variables" and t1.page == 5
    grid = t1.grid()
    assert ["Age, mean (SD)", "47.3 (13.4)"] in grid
    assert ["Born in Australia, n (%)", "20 (90.9)"] in grid
    t2 = next(t for t in bmc.tables if t.caption.startswith("Table 2"))
    assert t2.n_cols == 5 and ["MVPA, mins/week", "66.6 (21.1)", "217.3 (34.7)"] == t2.grid()[1][:3]


def test_bmc_reading_order_and_furniture(bmc):
    assert _in_one_paragraph(bmc, "Previous researchers have investigated a range of delivery modes")
    assert _in_one_paragraph(bmc, "there is a solid evidence base supporting the efficacy of telephone based "
                                  "interventions for physical activity and dietary behaviour change")
    assert "Hawkes et al. BMC Cancer 2012" not in bmc.text
    assert not re.search(r"Page \d of 9", bmc.text)
    assert bmc.title.startswith("CanPrevent: a telephone-delivered intervention")


def test_bmc_sections(bmc):
    kinds = [(s.kind, s.heading) for s in bmc.sections]
    for item in [("abstract", "Abstract"), ("body", "Background"), ("body", "Methods"), ("body", "Results"),
                 ("body", "Discussion"), ("back_matter", "Competing interests"),
                 ("back_matter", "Authors’ contributions"), ("references", "References")]:
        assert item in kinds, item
    assert bmc.section_at(bmc.text.index("Colorectal cancer (CRC) is one of the leading causes")).kind == "body"


def test_bmc_lines_strategy_finds_no_tables():
    if not BMC.exists():
        pytest.skip(f"shared PDF not found: {BMC}")
    assert ingest(BMC, Settings(pdf_table_strategy="lines")).tables == ()


def test_a_pdf_over_the_time_budget_fails_in_one_line_between_pages():
    from dataclasses import replace

    from pipeline.config import Settings
    from pipeline.ingest.pdf import pdf_to_document

    settings = replace(Settings.resolve(), doc_timeout=0.0)
    with pytest.raises(IngestError) as ei:
        pdf_to_document(PDFS / "multipage-running-header-footer.pdf", "multipage-running-header-footer.pdf", "x",
                        settings, RULES)
    assert str(ei.value) == ("E006 multipage-running-header-footer.pdf: processing took longer than 0 s "
                             "and was stopped")


def test_a_pdf_without_any_heading_is_content_not_front_matter(settings, rules):
    """A one-page note or a page of results with no abstract or body heading: its text is the
    document's content (values are extracted), not front matter before a first heading."""
    from pipeline.ingest import file_to_document

    pdf = Path(__file__).parent / "pdfs" / "tiny-objects.pdf"
    doc = file_to_document(pdf, pdf.parent, settings, rules)
    assert [s.kind for s in doc.sections] == ["body"] and "41%" in doc.text
    # a PDF with headings keeps its front matter: the title and abstract are not body
    two = Path(__file__).parent / "pdfs" / "multipage-running-header-footer.pdf"
    kinds = [s.kind for s in file_to_document(two, two.parent, settings, rules).sections]
    assert kinds[:2] == ["title", "abstract"]


# --------------------------------------------------------------------------
# The faster PDF stage (issue 14 point 6) gives the Documents the slower one gave

GRID = [["Trial", "Agent", "ORR", "Median PFS"],
        ["DESTINY-Breast03", "T-DXd", "79.7%", "28.8 months"],
        ["CLEOPATRA", "pertuzumab", "80.2%", "18.7 months"],
        ["EMILIA", "T-DM1", "43.6%", "9.6 months"]]


def _tables_pdf(path: Path) -> None:
    """Four pages, one table each: ruled by lines, by thin filled rectangles, by one open path
    (a curve to pdfminer), and not ruled at all (columns aligned under a "Table 4" caption)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    col_w, row_h, x0 = [120, 150, 70, 90], 18, 56
    xs = [x0]
    for w in col_w:
        xs.append(xs[-1] + w)
    for n, ruling in enumerate(("lines", "rects", "curve", None), start=1):
        c.setFont("Helvetica", 10)
        c.drawString(x0, 780, f"Page {n} reports response rates of HER2-targeted agents in the table below.")
        c.setFont("Helvetica-Bold", 10)
        c.drawString(x0, 750, f"Table {n} Response rates in the pivotal trials ({ruling or 'aligned columns'})")
        top = 740
        for r, row in enumerate(GRID):
            c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 9)
            for k, cell in enumerate(row):
                c.drawString(xs[k] + 4, top - r * row_h - 13, cell)
        bottom = top - len(GRID) * row_h
        ys = [top - r * row_h for r in range(len(GRID) + 1)]
        if ruling == "lines":
            for y in ys:
                c.line(xs[0], y, xs[-1], y)
            for x in xs:
                c.line(x, top, x, bottom)
        elif ruling == "rects":
            for y in ys:
                c.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
            for x in xs:
                c.rect(x - 0.25, bottom, 0.5, top - bottom, stroke=0, fill=1)
        elif ruling == "curve":
            for rules, point in ((ys, lambda u, v: (u, v)), (xs, lambda u, v: (v, u))):
                p = c.beginPath()             # one zigzag path through all rules of a direction
                ends = (xs[0], xs[-1]) if rules is ys else (bottom, top)
                for i, v in enumerate(rules):
                    a, b = ends if i % 2 == 0 else ends[::-1]
                    (p.moveTo if i == 0 else p.lineTo)(*point(a, v))
                    p.lineTo(*point(b, v))
                c.drawPath(p, stroke=1, fill=0)
        c.setFont("Helvetica", 10)
        c.drawString(x0, bottom - 40, "The objective response rate with T-DXd was the highest reported in these trials.")
        c.showPage()
    c.save()


def test_tables_are_found_on_pages_with_rulings_and_with_aligned_columns(tmp_path):
    """The table search is skipped on pages that draw no line, rectangle or curve (pdfplumber's
    "lines" strategy takes its edges from those alone); a table ruled by any of the three is still
    found, and so is an unruled table of aligned columns on a page with no ruling at all."""
    from pipeline.ingest.pdf import _pages, has_rulings, open_pdf

    path = tmp_path / "tables.pdf"
    _tables_pdf(path)
    pdf = open_pdf(path, path.name)
    try:
        pages = _pages(pdf)
        assert [has_rulings(p) for p in pages] == [True, True, True, False]
        assert [(bool(p.lines), bool(p.rects), bool(p.curves)) for p in pages] == \
            [(True, False, False), (False, True, False), (False, False, True), (False, False, False)]
    finally:
        pdf.close()
    doc = ingest(path)
    assert [t.page for t in doc.tables] == [1, 2, 3, 4]
    for n, t in enumerate(doc.tables, start=1):
        assert t.caption.startswith(f"Table {n} Response rates"), t.caption
        assert t.grid() == GRID, (n, t.grid())
        for cell in t.cells:
            assert doc.text[cell.char_start:cell.char_end] == cell.text
    # the three ruled tables are read from their rulings (cells from rule to rule), not by the
    # unruled fallback that would also find them under their captions (cells hugging the text)
    ruled_rows = [round(doc.pages[0].height - 740 + r * 18, 3) for r in range(len(GRID) + 1)]
    for t in doc.tables[:3]:
        assert tuple(round(v, 3) for v in t.bbox) == (56.0, ruled_rows[0], 486.0, ruled_rows[-1]), (t.page, t.bbox)
        assert sorted({c.bbox[0] for c in t.cells}) == [56.0, 176.0, 326.0, 396.0], t.page
    assert doc.tables[3].bbox[0] != 56.0


def _shared_or_fixture_pdfs() -> list[Path]:
    return sorted(SHARED.glob("*.pdf")) + [PDFS / n for n in GOOD + ["rotated.pdf", "tiny-objects.pdf", "cid-glyphs.pdf"]]


def test_characters_are_the_dicts_pdfplumber_makes():
    """The shortcut that converts pdfminer's characters (`_Page`) gives pdfplumber's own dicts:
    same keys in the same order, same values, on the published PDFs and the layout traps."""
    import pdfplumber

    from pipeline.ingest.pdf import _pages

    for path in _shared_or_fixture_pdfs():
        with pdfplumber.open(path) as pdf:
            fast = [p.chars for p in _pages(pdf)]
        with pdfplumber.open(path) as pdf:
            slow = [p.chars for p in pdf.pages]
        assert sum(map(len, slow)) > 0, path.name
        assert fast == slow, path.name
        assert all(list(a) == list(b) for fp, sp in zip(fast, slow) for a, b in zip(fp, sp)), path.name


# Content streams that exercise every state of pdfminer's tokenizer: numbers that are not numbers
# ("-", ".", "--5", "1.2.3", "+-1"), names with "#" escapes and empty names, plain strings, strings
# with escapes and nested parentheses, hex strings, dictionaries, comments, NULs, "true"/"false", an inline
# image with binary data, one-byte keywords and bytes above 127, and a token cut by the stream end.
_TRICKY_STREAMS = [
    b"BT /F1 12 Tf 1 0 0 1 72.5 700 Tm [(Hel\\lo \\(x\\)) -250 (W(or)ld)] TJ (plain)Tj()Tj[(a b)-3(c)]TJ ET\n"
    b"q 0.5 -.25 -0 5. . - --5 1.2.3 +-1 007 -.5e3 cm Q % a comment [x] 1 2\r\n"
    b"/Name#20with#41hex /A/B// /\xc3\xa9t\xc3\xa9 /\xff\xfe true false null\x00\x00 12abc\n"
    b"<48656c6c6f> <4 8 6> << /Type /XObject /S [1 2 <ab>] >> BDC EMC { } ) \x80\x90 \n"
    b"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff(<%\n EI Q\n"
    b"0 0 m 10 10 l S 1 0 0 RG 0.2 0.4 0.6 rg T* ' \" Tj 3.14",
    b"159 Td ET",                             # a stream that continues the last number of the one before
]


def _tokens(parser_class, streams, bufsize):
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import PSEOF

    out = []
    try:
        parser = parser_class([PDFStream({}, s) if isinstance(s, bytes) else s for s in streams])
    except PSEOF:
        return out                              # no content
    parser.BUFSIZ = bufsize
    while True:
        try:
            pos, obj = parser.nextobject()
        except PSEOF:
            return out
        if isinstance(obj, PDFStream):         # an inline image: compared by its dictionary and bytes
            obj = ("inline image", obj.attrs, obj.rawdata)
        out.append((pos, repr(obj)))             # repr: 5 and 5.0, 1 and True differ


def test_content_stream_parser_gives_pdfminers_tokens():
    """`_ContentParser` (plain tokens in one regular-expression pass) gives the objects pdfminer's
    own parser gives, positions included, on tricky streams read through buffers of every size
    from 1 byte (every token cut at a buffer end) and on every page of the published PDFs."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from pipeline.ingest.pdf import _ContentParser

    checked = 0
    for bufsize in list(range(1, 40)) + [4096]:
        want = _tokens(PDFContentParser, _TRICKY_STREAMS, bufsize)
        assert len(want) > 60
        assert _tokens(_ContentParser, _TRICKY_STREAMS, bufsize) == want, bufsize
        checked += 1
    for path in _shared_or_fixture_pdfs():
        with open(path, "rb") as f:
            doc = PDFDocument(PDFParser(f))
            for page in PDFPage.create_pages(doc):
                streams = page.contents
                want = _tokens(PDFContentParser, streams, 4096)
                assert _tokens(_ContentParser, streams, 4096) == want, path.name
                checked += bool(want)
    if not SHARED.exists():
        pytest.skip(f"tokens compared on the fixtures ({checked} streams); the published PDFs the volume floor "
                    f"counts are not beside the project root ({SHARED})")
    assert checked > 60


def test_documents_match_the_snapshot_of_the_code_before_the_speed_work():
    """Every committed PDF (tests/pdfs, ../shared/pdfs) under each table strategy gives the
    Document the code gave before issue 14's speed work: a sha256 over every field (text, pages,
    sections, tables and their cells' offsets and boxes, line boxes) in
    tests/fixtures/pdf_documents.json, written by scripts/pdf_equivalence.py --write-snapshot
    from the old code; scripts/pdf_equivalence.py also compares field by field."""
    from dataclasses import asdict, replace

    from pipeline.ingest import file_to_document

    spec = importlib.util.spec_from_file_location("pdf_equivalence", PDFS.parents[1] / "scripts" / "pdf_equivalence.py")
    eq = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(eq)
    snapshot = json.loads(eq.SNAPSHOT.read_text(encoding="utf-8"))
    folders = {"shared": SHARED, "tests-pdfs": PDFS}
    if not SHARED.exists():
        snapshot = {k: v for k, v in snapshot.items() if not k.startswith("shared/")}
    assert len(snapshot) >= 30
    base = Settings.resolve()
    for key, want in snapshot.items():
        folder, name, strategy = key.split("/")
        path = folders[folder] / name
        s = replace(base, pdf_table_strategy=strategy, doc_timeout=3600.0)
        try:
            fields = asdict(file_to_document(path, path.parent, s, RULES))
        except IngestError as exc:
            fields = {"ingest_error": str(exc)}
        assert eq.document_record(fields) == want, key
