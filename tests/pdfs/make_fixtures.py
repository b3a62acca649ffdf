"""Build the PDF fixtures for tests/test_ingest_pdf.py with reportlab, deterministically
(invariant=1: fixed dates and ids), plus each good fixture's expected output
(<name>.expected.json). The expected output is written from the same data the PDF is drawn
from (the paragraphs as a reader would type them), never from the extractor.

    python tests/pdfs/make_fixtures.py [OUT_DIR]      # default: this folder

Lines are broken by hand so the cases are exact: a paragraph that continues across a page
break, a soft hyphen at a line end ("treat-" / "ment"), compounds broken after their hyphen
("HER2-" / "positive", "T-" / "DXd"), a running header and a footer with page numbers.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
W, H = A4
BODY, LEAD = ("Helvetica", 10), 13.0
HEAD = ("Helvetica-Bold", 12)
TITLE = ("Helvetica-Bold", 16)
SMALL = ("Helvetica", 8)

RUNNING_HEADER = "J Clin Oncol Rev 2024"
DESTINY = ("In DESTINY-Breast03, trastuzumab deruxtecan improved progression-free survival compared with "
           "trastuzumab emtansine (HR 0.28; 95% CI 0.22-0.37; P < 0.001).")


def _canvas(path: Path, **kw) -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, **kw)
    c.setAuthor("her2-pipeline tests")
    c.setTitle(path.stem)
    c.setCreator("tests/pdfs/make_fixtures.py")
    return c


LOG: list[dict] = []   # every prose line drawn: page, text, x, baseline (from the page top)


def draw(c: canvas.Canvas, x: float, y: float, text: str, font=BODY):
    c.setFont(*font)
    c.drawString(x, y, text)
    LOG.append({"page": c.getPageNumber(), "text": text, "x": x, "baseline": round(H - y, 2)})


class Writer:
    """Draws hand-broken lines top to bottom in one column, logging each line."""

    def __init__(self, c: canvas.Canvas, x: float, y: float, width: float):
        self.c, self.x, self.y, self.width = c, x, y, width

    def line(self, text: str, font=BODY, lead: float = LEAD, indent: float = 0.0):
        draw(self.c, self.x + indent, self.y, text, font)
        self.y -= lead

    def para(self, lines: list[str], font=BODY, gap: float = 8.0):
        for ln in lines:
            self.line(ln, font)
        self.y -= gap

    def heading(self, text: str, font=HEAD):
        self.y -= 4
        self.line(text, font, lead=18)


def _furniture(c: canvas.Canvas, page: int, n_pages: int):
    c.setFont(*SMALL)
    c.drawString(56, H - 36, RUNNING_HEADER)
    c.drawRightString(W - 56, H - 36, "Review")
    c.drawCentredString(W / 2, 30, f"Page {page} of {n_pages}")


# --------------------------------------------------------------------------


def multipage(path: Path) -> dict:
    c = _canvas(path)
    n = 3
    _furniture(c, 1, n)
    w = Writer(c, 56, H - 80, W - 112)
    title = "HER2-targeted therapy in metastatic breast cancer"
    w.line(title, TITLE, lead=26)
    w.heading("Abstract")
    abstract = [
        "HER2-targeted agents have changed the outlook of patients with HER2-positive breast cancer.",
        "This review summarises the pivotal trials and the regulatory approvals that followed them.",
    ]
    w.para(abstract)
    w.heading("1. Introduction")
    intro1 = [
        "Trastuzumab was the first monoclonal antibody approved for HER2-positive metastatic breast",
        "cancer. Its combination with chemotherapy prolonged overall survival in the pivotal phase 3",
        "trial, and the benefit of anti-HER2 treat-",
        "ment was later confirmed in the adjuvant setting for early disease.",
    ]
    w.para(intro1)
    intro2 = [
        DESTINY[:87],
        DESTINY[88:] + " Patients with HER2-",
        "positive disease who progressed on T-",
        "DXd were eligible for tucatinib combinations in later lines.",
    ]
    w.para(intro2)
    cross = [
        "Dual blockade with pertuzumab and trastuzumab plus docetaxel became the standard first-line",
        "regimen after CLEOPATRA showed a median overall survival of 57.1 months compared with 40.8",
        "months for placebo, and the benefit was maintained",      # page break inside the sentence
    ]
    w.para(cross[:2], gap=0)
    # fill page 1 with a paragraph so the break falls after the third line
    w.line(cross[2])
    c.showPage()

    _furniture(c, 2, n)
    w = Writer(c, 56, H - 80, W - 112)
    cross2 = [
        "at the final analysis with eight years of follow-up in the intention-to-treat population.",
    ]
    w.para(cross2)
    later = [
        "Tucatinib added to trastuzumab and capecitabine improved progression-free survival in",
        "HER2CLIMB, including patients with active brain metastases.",
    ]
    w.para(later)
    w.heading("2. Antibody-drug conjugates")
    adc = [
        "Trastuzumab emtansine improved survival in EMILIA and reduced invasive disease in KATHERINE.",
        "Trastuzumab deruxtecan was approved by the FDA on 20 December 2019 for patients who had",
        "received two or more prior anti-HER2 regimens in the metastatic setting.",
    ]
    w.para(adc)
    legend = "Figure 1. Kaplan-Meier estimates of progression-free survival in DESTINY-Breast03."
    c.rect(56, w.y - 90, 200, 80)
    w.y -= 100
    w.para([legend], font=SMALL)
    c.showPage()

    _furniture(c, 3, n)
    w = Writer(c, 56, H - 80, W - 112)
    w.heading("Conclusions")
    concl = [
        "HER2-directed treatment now spans antibodies, tyrosine kinase inhibitors and conjugates.",
    ]
    w.para(concl)
    w.heading("References")
    refs = [
        "1. Slamon DJ, et al. N Engl J Med 2001;344:783-92.",
        "2. Cortes J, et al. N Engl J Med 2022;386:1143-54.",
    ]
    for r in refs:
        w.para([r], gap=4)
    c.showPage()
    c.save()

    def joined(lines: list[str], joins: list[str]) -> str:
        return "".join(l + j for l, j in zip(lines, joins + [""]))

    return {
        "title": title,
        "n_pages": n,
        "paragraphs": [
            title, "Abstract", " ".join(abstract), "1. Introduction",
            joined(intro1[:2] + [intro1[2][:-1], intro1[3]], [" ", " ", ""]),   # "treat-"+"ment"
            joined(intro2, [" ", "", ""]),                       # "HER2-"+"positive", "T-"+"DXd"
            " ".join(cross + cross2),
            " ".join(later), "2. Antibody-drug conjugates", " ".join(adc), legend,
            "Conclusions", " ".join(concl), "References", *refs,
        ],
        "sections": [
            ["title", title], ["abstract", "Abstract"], ["body", "1. Introduction"],
            ["body", "2. Antibody-drug conjugates"], ["figure_legend", legend.split(".")[0]],
            ["body", "Conclusions"], ["references", "References"],
        ],
        "furniture": [RUNNING_HEADER, "Review", "Page 1 of 3", "Page 2 of 3", "Page 3 of 3"],
        "repaired": ["treatment"],
        "kept_hyphens": ["anti-HER2", "HER2-positive", "T-DXd"],
        "tables": [],
    }


TABLE = [
    ["Trial", "Agent", "ORR", "Median PFS"],
    ["DESTINY-Breast03", "T-DXd", "79.7%", "28.8 months"],
    ["CLEOPATRA", "Pertuzumab + trastuzumab", "80.2%", "18.7 months"],
    ["EMILIA", "T-DM1", "43.6%", "9.6 months"],
    ["HER2CLIMB", "Tucatinib", "40.6%", "7.8 months"],
]
TABLE_CAPTION = "Table 1 Efficacy of HER2-targeted agents"


def ruled_table(path: Path) -> dict:
    c = _canvas(path)
    w = Writer(c, 56, H - 80, W - 112)
    w.heading("Results")
    before = [
        "Response rates and progression-free survival in the pivotal trials are shown in Table 1.",
    ]
    w.para(before)
    w.line(TABLE_CAPTION, ("Helvetica-Bold", 10), lead=8)
    col_w = [120, 150, 70, 90]
    row_h = 18
    x0 = 56
    top = w.y
    xs = [x0]
    for cw in col_w:
        xs.append(xs[-1] + cw)
    for r, row in enumerate(TABLE):
        y = top - r * row_h
        c.setFont("Helvetica-Bold" if r == 0 else "Helvetica", 9)
        for k, cell in enumerate(row):
            c.drawString(xs[k] + 4, y - 13, cell)
    bottom = top - len(TABLE) * row_h
    for r in range(len(TABLE) + 1):
        c.line(xs[0], top - r * row_h, xs[-1], top - r * row_h)
    for x in xs:
        c.line(x, top, x, bottom)
    w.y = bottom - 24
    after = [
        "The objective response rate with T-DXd was the highest reported in a randomised trial of",
        "previously treated HER2-positive metastatic breast cancer.",
    ]
    w.para(after)
    c.showPage()
    c.save()
    return {
        "title": "",
        "n_pages": 1,
        "paragraphs": ["Results", " ".join(before), TABLE_CAPTION, "\n".join("\t".join(r) for r in TABLE),
                       " ".join(after)],
        "sections": [["body", "Results"], ["table", TABLE_CAPTION], ["body", "Results"]],
        "furniture": [],
        "repaired": [],
        "kept_hyphens": ["T-DXd", "HER2-positive"],
        "tables": [{"caption": TABLE_CAPTION, "page": 1, "grid": TABLE}],
    }


def two_column(path: Path) -> dict:
    c = _canvas(path)
    title = "Antibody-drug conjugates targeting HER2"
    draw(c, 56, H - 70, title, TITLE)
    gutter = 24
    col_w = (W - 112 - gutter) / 2
    left = Writer(c, 56, H - 110, col_w)
    right = Writer(c, 56 + col_w + gutter, H - 110, col_w)
    left.heading("Introduction")
    l1 = [
        "Trastuzumab deruxtecan is an antibody-",
        "drug conjugate with a cleavable linker and",
        "a topoisomerase I inhibitor payload.",
    ]
    left.para(l1)
    l2 = [
        "In DESTINY-Breast04, patients with",
        "HER2-low metastatic breast cancer lived",
        "longer with trastuzumab deruxtecan than",
        "with the chemotherapy of physician's",
    ]
    left.para(l2, gap=0)
    r2 = [
        "choice (median overall survival 23.4 vs",
        "16.8 months; HR 0.64).",
    ]
    right.para(r2)
    r3 = [
        "Interstitial lung disease remains the main",
        "toxicity and requires careful monitoring.",
    ]
    right.para(r3)
    c.showPage()
    c.save()
    return {
        "title": title,
        "n_pages": 1,
        "paragraphs": [title, "Introduction", "Trastuzumab deruxtecan is an antibody-drug conjugate with a "
                       "cleavable linker and a topoisomerase I inhibitor payload.",
                       " ".join(l2 + r2), " ".join(r3)],
        "sections": [["title", title], ["body", "Introduction"]],
        "furniture": [],
        "repaired": [],
        "kept_hyphens": ["antibody-drug", "HER2-low"],
        "tables": [],
    }


# --------------------------------------------------------------------------
# Broken input


def encrypted(path: Path) -> None:
    c = _canvas(path, encrypt=StandardEncryption("secret", ownerPassword="owner", canPrint=0))
    c.setFont(*BODY)
    c.drawString(56, H - 80, DESTINY[:80])
    c.showPage()
    c.save()


def image_only(path: Path) -> None:
    c = _canvas(path)
    c.setFillGray(0.6)
    c.rect(100, 400, 300, 200, fill=1)
    c.circle(250, 300, 60, fill=1)
    c.showPage()
    c.save()


def corrupt(path: Path) -> None:
    # deterministic pseudo-random bytes behind a PDF header
    state, data = 12345, bytearray()
    for _ in range(4096):
        state = (1103515245 * state + 12345) % 2**31
        data.append(state >> 16 & 0xFF)
    path.write_bytes(b"%PDF-1.4\n" + bytes(data))


def truncated(path: Path, source: Path) -> None:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def rotated(path: Path) -> None:
    """Three pages; pages 2 and 3 carry /Rotate 90 (drawn upright, shown sideways), as scanned
    landscape pages and some publishers' table pages are."""
    c = _canvas(path)
    for page, rotation in ((1, 0), (2, 90), (3, 90)):
        c.setPageRotation(rotation)
        c.setFont(*BODY)
        c.drawString(56, 500, f"Section {page}. {DESTINY[:70]}")        # inside the landscape box too
        c.drawString(56, 487, f"On page {page}, zanidatamab achieved an objective response rate of {40 + page}%.")
        c.showPage()
    c.save()


def tiny_objects(path: Path, n: int = 10_000) -> None:
    """A real paragraph under a carpet of n tiny (0.5 pt) glyphs: hidden text, vector-art debris."""
    c = _canvas(path)
    c.setFont(*BODY)
    c.drawString(56, H - 80, DESTINY[:86])
    c.drawString(56, H - 93, "Zanidatamab achieved an objective response rate of 41% in biliary tract cancer.")
    c.setFont("Helvetica", 0.5)
    for k in range(n):
        c.drawString(40 + (k % 200) * 2.5, 200 + (k // 200) * 1.2, "x")
    c.showPage()
    c.save()


def cid_glyphs(path: Path) -> None:
    """One page of text in a CID font (Identity-H) without a ToUnicode map: every glyph reads as
    "(cid:NN)". Written by hand (reportlab always writes a ToUnicode map)."""
    stream = b"BT /F1 12 Tf 56 760 Td <0012001300140015001600170018> Tj 0 -14 Td <0024002500260027> Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoUnicode /Encoding /Identity-H /DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoUnicode "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 600 >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


GOOD = {
    "multipage-running-header-footer.pdf": multipage,
    "ruled-table.pdf": ruled_table,
    "two-column.pdf": two_column,
}
BROKEN = {   # file -> error code
    "corrupt.pdf": "E003",
    "truncated.pdf": "E003",
    "encrypted.pdf": "E004",
    "image-only.pdf": "E005",
    "empty.pdf": "E001",
    "cid-glyphs.pdf": "E030",
}
LAYOUT = {"rotated.pdf": rotated, "tiny-objects.pdf": tiny_objects}   # read right, no expected.json


def build(out: Path) -> dict[str, dict]:
    out.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, fn in GOOD.items():
        LOG.clear()
        exp = fn(out / name)
        exp["lines"] = list(LOG)
        expected[name] = exp
        (out / name.replace(".pdf", ".expected.json")).write_text(
            json.dumps(exp, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    corrupt(out / "corrupt.pdf")
    truncated(out / "truncated.pdf", out / "multipage-running-header-footer.pdf")
    encrypted(out / "encrypted.pdf")
    image_only(out / "image-only.pdf")
    (out / "empty.pdf").write_bytes(b"")
    cid_glyphs(out / "cid-glyphs.pdf")
    for name, fn in LAYOUT.items():
        fn(out / name)
    return expected


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
