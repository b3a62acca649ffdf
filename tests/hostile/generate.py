"""Build the hostile-input corpus of issue 12, deterministically, into a folder.

    python tests/hostile/generate.py OUT_DIR [--slow]      # OUT_DIR new or empty

Every case is a `Case`: the file(s) it writes and the outcome the pipeline owes it
(`expect`: "ok" = parsed correctly, or an error code such as "E004" = status failed with that
coded one-line reason). `FAST` cases are small enough for a flow run; `SLOW` cases (regex bait,
5 MB on one line, 320 pages, an 80 kB paragraph) go through `pipeline.process.process_file`
in a bounded child process (tests/hostile/test_hostile_slow.py).

PDFs are drawn with reportlab (invariant=1: fixed dates and ids) or, where reportlab cannot make
the case (a PDF with no pages, a font without a Unicode map), written object by object here.
Realistic prose comes from the committed corpus reviews, so the text is what a user meets.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "corpus"
REVIEW = CORPUS / "000_295cffc29131faf6.txt"     # the full review: realistic prose

DESTINY = ("In DESTINY-Breast03, trastuzumab deruxtecan improved progression-free survival compared with "
           "trastuzumab emtansine (HR 0.28; 95% CI 0.22-0.37; P < 0.001).")
CLEOPATRA = ("In the CLEOPATRA trial, pertuzumab plus trastuzumab and docetaxel achieved an objective response "
             "rate of 80.2% in HER2-positive metastatic breast cancer.")
OUTSIDE_MARKER = "OUTSIDE-THE-CORPUS-7f3a"      # text of the file a corpus symlink points to


@dataclass
class Case:
    name: str                   # the file name in the corpus (str; may hold a newline; bytes names: raw)
    expect: str                 # "ok" or the error code of the failure
    build: Callable[[Path], None]
    note: str = ""
    checks: dict = field(default_factory=dict)   # what the test looks for in a correct parse
    raw_name: bytes = b""      # a file name that is not UTF-8


def prose_paragraphs() -> list[str]:
    """Body paragraphs of the full review (long lines of prose, no tables)."""
    paras = [p.strip() for p in REVIEW.read_text(encoding="utf-8").split("\n\n")]
    return [p for p in paras if len(p) > 400 and "\t" not in p and "|" not in p and not p.startswith("#")]


def review_text(title: str = "HER2-targeted therapy in solid tumours: a review") -> str:
    """A short realistic review: a title, an abstract heading, three body paragraphs with results."""
    paras = prose_paragraphs()[:8]
    return "\n\n".join([title, "Abstract", DESTINY + " " + CLEOPATRA, "Introduction", *paras,
                        "Results", DESTINY, CLEOPATRA]) + "\n"


# ---------------------------------------------------------------- PDFs (reportlab)

def _canvas(path: Path, **kw):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, **kw)
    c.setAuthor("her2-pipeline hostile tests")
    c.setTitle(path.stem)
    return c


def _lines(text: str, width: int = 95) -> list[str]:
    out, cur = [], ""
    for w in text.split():
        if len(cur) + len(w) + 1 > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return out + ([cur] if cur else [])


def _page(c, heading: str, text: str, font: str = "Helvetica", size: float = 10):
    y = 780
    c.setFont("Helvetica-Bold", 12)
    c.drawString(56, y, heading)
    y -= 22
    c.setFont(font, size)
    for ln in _lines(text):
        c.drawString(56, y, ln)
        y -= 13
    c.showPage()


def _review_pdf(path: Path, **kw) -> None:
    c = _canvas(path, **kw)
    _page(c, "HER2-targeted therapy: a short review", DESTINY + " " + CLEOPATRA)
    c.save()


def encrypted_user(path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    _review_pdf(path, encrypt=StandardEncryption("secret", ownerPassword="owner", canPrint=0))


def encrypted_owner(path: Path) -> None:
    """Owner password only (permissions), empty user password: every reader opens it."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    _review_pdf(path, encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0, canCopy=0))


def truncated(path: Path) -> None:
    _review_pdf(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def html_as_pdf(path: Path) -> None:
    path.write_text("<!DOCTYPE html>\n<html><head><title>Access denied</title></head>"
                    "<body><h1>403 Forbidden</h1><p>Please log in to download this PDF.</p></body></html>\n",
                    encoding="utf-8")


def image_only(path: Path) -> None:
    c = _canvas(path)
    for i in range(40):                  # a "scan": shapes, no text layer
        c.rect(56 + (i % 8) * 60, 700 - (i // 8) * 60, 50, 40, fill=1)
    c.showPage()
    c.save()


def rotated(path: Path) -> None:
    """Three pages; pages 2 and 3 carry /Rotate 90 (a landscape table page as journals print it)."""
    c = _canvas(path)
    _page(c, "Page one", "The first page reports that " + DESTINY)
    for n, sentence in ((2, CLEOPATRA), (3, "In the EMILIA trial, trastuzumab emtansine achieved an objective "
                                               "response rate of 43.6% in HER2-positive breast cancer.")):
        c.setPageRotation(90)
        _page(c, f"Rotated page {n}", f"Rotated page {n} states: {sentence}")
    c.save()


LIGATURE_TEXT = ("The \ufb01rst-line e\ufb03cacy of trastuzumab deruxtecan was con\ufb01rmed in the \ufb02agship "
                 "DESTINY-Breast03 trial, with an objective response rate of 79.7% in HER2-positive breast cancer.")


def ligatures(path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = next((p for p in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                             "/usr/share/fonts/dejavu/DejaVuSans.ttf") if os.path.exists(p)), None)
    if font is None:
        raise FileNotFoundError("DejaVuSans.ttf (a font with the fi/ffi/fl ligature glyphs)")
    pdfmetrics.registerFont(TTFont("DejaVuSans", font))
    c = _canvas(path)
    _page(c, "Ligatures", LIGATURE_TEXT, font="DejaVuSans")
    c.save()


def many_pages(path: Path, n: int = 320) -> None:
    c = _canvas(path)
    paras = prose_paragraphs()
    for i in range(n):
        _page(c, f"Section {i + 1}", paras[i % len(paras)][:1500])
    c.save()


def tiny_objects(path: Path, n: int = 30_000) -> None:
    """One page: 30,000 one-character glyphs at 1 pt (a vector figure exported as text) plus real text."""
    c = _canvas(path)
    c.setFont("Helvetica", 1)
    for i in range(n):
        c.drawString(40 + (i * 7919 % 5150) / 10, 60 + (i * 104729 % 6800) / 10, "xo.,-"[i % 5])
    c.setFont("Helvetica", 10)
    y = 800
    for ln in _lines("Results. " + DESTINY + " " + CLEOPATRA):
        c.drawString(56, y, ln)
        y -= 13
    c.showPage()
    c.save()


# ---------------------------------------------------------------- PDFs written object by object

def _write_pdf(path: Path, objects: list[bytes]) -> None:
    """objects[0] is object 1 (the catalog); a valid xref table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def zero_pages(path: Path) -> None:
    _write_pdf(path, [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def cid_font(path: Path, n_pages: int = 3) -> None:
    """A Type0 font (Identity-H) with neither an embedded font nor a /ToUnicode map: every glyph
    extracts as "(cid:NN)", as in PDFs from some typesetting systems."""
    text = (DESTINY + " " + CLEOPATRA) * 3
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    objs.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Unknown /Encoding /Identity-H "
                b"/DescendantFonts [4 0 R] >>")
    objs.append(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Unknown "
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                b"/FontDescriptor 5 0 R /DW 500 /CIDToGIDMap /Identity >>")
    objs.append(b"<< /Type /FontDescriptor /FontName /AAAAAA+Unknown /Flags 4 /FontBBox [0 -200 1000 900] "
                b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>")
    kids = []
    for p in range(n_pages):
        lines = _lines(text, 90)
        ops = [b"BT /F1 10 Tf 13 TL 56 780 Td"]
        for ln in lines:
            # glyph ids as an unknown subset font numbers them (letter order, offset 3)
            gids = b"".join(b"%04X" % ((ord(ch) - 29) % 200) for ch in ln)
            ops.append(b"<" + gids + b"> Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        page_no, content_no = len(objs) + 1, len(objs) + 2
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents %d 0 R >>" % content_no)
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(page_no)
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    _write_pdf(path, objs)


# ---------------------------------------------------------------- text files

CP1252_TEXT = ("R\u00e9sum\u00e9 of HER2-targeted therapy \u2013 a review of \u201ctrastuzumab\u201d trials\n\n"
               "Abstract\n\n" + DESTINY + " " + CLEOPATRA + " The cost was \u20ac1,200 per cycle \u2014 "
               "na\u00efve patients were eligible.\n")


def _write(text: str, encoding: str) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(text.encode(encoding))


def utf8_bom(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + review_text().encode("utf-8"))


def nuls_after_4k(path: Path) -> None:
    """A realistic review with NUL runs after the first 4 kB (a file repaired after a crash)."""
    data = review_text().encode("utf-8")
    cuts = [4200, 5000, len(data) - 300]
    pieces, last = [], 0
    for i, c in enumerate(cuts):
        c = data.index(b" ", c)        # between words: removing the NULs leaves the text intact
        pieces += [data[last:c], b"\x00" * (i + 1) * 4]
        last = c
    path.write_bytes(b"".join(pieces) + data[last:])


NUL_COUNT = 4 + 8 + 12


def one_line_5mb(path: Path) -> None:
    sentence = (DESTINY + " ").encode()
    path.write_bytes((sentence * (5_000_000 // len(sentence) + 1))[:5_000_000].rstrip() + b"\n")


def bait_parens(path: Path) -> None:
    path.write_bytes(b"HER2 review\n\n" + b"(" * 100_000 + b"\n")


def bait_percent(path: Path) -> None:
    path.write_bytes(b"HER2 review\n\n" + b"%" * 100_000 + b" (95% CI " * 20_000 + b"\n")


def bait_orr(path: Path) -> None:
    unit = b"ORR of "
    path.write_bytes(b"HER2 review\n\n" + unit * (250_000 // len(unit)) + b"\n")


def long_paragraph(path: Path, size: int = 80_000) -> None:
    """An ordinary review paragraph of 80 kB (prose from the review, no paragraph breaks)."""
    body = " ".join(p.replace("\n", " ") for p in prose_paragraphs())
    body = (DESTINY + " " + body + " ") * (size // len(body) + 1)
    cut = body.rindex(". ", 0, size) + 1
    path.write_text("HER2-targeted therapy: one long paragraph\n\n" + body[:cut] + "\n", encoding="utf-8")


def binary_png(path: Path) -> None:
    import random

    rnd = random.Random(12)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(4000)))


def binary_random(path: Path) -> None:
    import random

    rnd = random.Random(13)
    path.write_bytes(bytes(rnd.randrange(256) for _ in range(8000)))


FORMULAS = ('=HYPERLINK("http://evil.example/x","Click")', "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "+1+1")
HTML = ('<script>alert("x")</script>', '[details](javascript:alert(1))', '<img src=x onerror=alert(1)>')


def _payload_review(title: str, abstract: str, result: str, caption: str, rows: list[list[str]]) -> Callable[[Path], None]:
    """A short review carrying payloads where readers of the outputs meet them: title, sentences,
    table cells."""
    table = caption + "\n\n" + "\n".join("\t".join(r) for r in rows)
    text = "\n\n".join([title, "Abstract", abstract, "Results", result, table]) + "\n"
    return lambda p: p.write_text(text, encoding="utf-8")


F, H_ = FORMULAS, HTML
formula_payloads = _payload_review(
    f"{F[0]} HER2-targeted therapy in gastric cancer",
    f"{F[1]} In the DESTINY-Gastric01 trial, trastuzumab deruxtecan achieved an objective response "
    "rate of 51.3% in HER2-positive gastric cancer.",
    f"{F[2]} In KEYNOTE-811 (NCT03615326), pembrolizumab plus trastuzumab and chemotherapy achieved an "
    "objective response rate of 74.4% in HER2-positive gastric cancer.",
    "Table 1 Trials of HER2-targeted agents in gastric cancer",
    [["Trial", "Agent", "ORR"], [F[0], "trastuzumab deruxtecan", "51.3%"], ["ToGA (NCT01041404)", F[3], "47%"]])
html_payloads = _payload_review(
    f"HER2-targeted therapy in breast cancer {H_[0]}",
    f"In the CLEOPATRA trial {H_[2]}, pertuzumab plus trastuzumab and docetaxel achieved an objective "
    f"response rate of 80.2% in HER2-positive metastatic breast cancer {H_[1]}.",
    f"In the EMILIA trial {H_[0]}, trastuzumab emtansine achieved an objective response rate of 43.6% "
    "in HER2-positive breast cancer.",
    "Table 1 Trials of HER2-targeted agents in breast cancer",
    [["Trial", "Agent", "ORR"], [f"HER2CLIMB {H_[2]}", f"tucatinib {H_[1]}", "40.6%"]])


# ---------------------------------------------------------------- files in the corpus

def symlink_loop(path: Path) -> None:
    os.symlink(path.name, path)


def symlink_outside(path: Path) -> None:
    outside = path.parent.parent / f"{path.parent.name}-outside" / "secret.txt"
    outside.parent.mkdir(parents=True, exist_ok=True)
    outside.write_text(f"Confidential {OUTSIDE_MARKER}\n\n{DESTINY}\n", encoding="utf-8")
    os.symlink(outside, path)


def symlink_dangling(path: Path) -> None:
    os.symlink("no-such-review.txt", path)


def symlink_inside(path: Path) -> None:
    os.symlink("cp1252.txt", path)          # a link to a document inside the corpus is read


def directory(path: Path) -> None:
    path.mkdir()


def fifo(path: Path) -> None:
    os.mkfifo(path)                          # reading it would block forever


def unreadable(path: Path) -> None:
    path.write_text(review_text(), encoding="utf-8")
    path.chmod(0)


def _review(title: str) -> Callable[[Path], None]:
    return lambda p: p.write_text(review_text(title), encoding="utf-8")


# ---------------------------------------------------------------- the cases

FAST = [
    Case("encrypted-user.pdf", "E004", encrypted_user, "user password"),
    Case("encrypted-owner.pdf", "ok", encrypted_owner, "owner password only: readable", {"contains": DESTINY}),
    Case("truncated.pdf", "E003", truncated),
    Case("html-as.pdf", "E003", html_as_pdf, "an HTML error page saved as .pdf"),
    Case("empty.pdf", "E001", lambda p: p.write_bytes(b"")),
    Case("empty.txt", "E001", lambda p: p.write_bytes(b"")),
    Case("zero-pages.pdf", "E003", zero_pages),
    Case("image-only.pdf", "E005", image_only),
    Case("cid-font.pdf", "degraded", cid_font, "glyphs without a Unicode map: flagged, not ok"),
    Case("ligatures.pdf", "ok", ligatures, "", {"contains": "first-line efficacy"}),
    Case("rotated.pdf", "ok", rotated, "/Rotate 90 on pages 2-3",
         {"contains": ["Rotated page 2 states", "Rotated page 3 states"]}),
    Case("cp1252.txt", "ok", _write(CP1252_TEXT, "cp1252"), "", {"contains": ["R\u00e9sum\u00e9", "\u201ctrastuzumab\u201d", "\u20ac1,200"]}),
    Case("latin1.txt", "ok", _write(CP1252_TEXT.replace("\u2013", "-").replace("\u2014", "-").replace("\u201c", '"')
                                   .replace("\u201d", '"').replace("\u20ac", "EUR "), "latin-1"), "",
         {"contains": "R\u00e9sum\u00e9"}),
    Case("utf16-bom.txt", "ok", lambda p: p.write_bytes(b"\xff\xfe" + review_text().encode("utf-16-le")), "",
         {"same_text_as": "utf8-plain.txt"}),
    Case("utf16be-bom.txt", "ok", lambda p: p.write_bytes(b"\xfe\xff" + review_text().encode("utf-16-be")), "",
         {"same_text_as": "utf8-plain.txt"}),
    Case("utf8-bom.txt", "ok", utf8_bom, "", {"same_text_as": "utf8-plain.txt"}),
    Case("utf8-plain.txt", "ok", _review("HER2-targeted therapy in solid tumours: a review"), "the reference"),
    Case("nuls.txt", "ok", nuls_after_4k, "NUL runs after 4 kB", {"same_text_as": "utf8-plain.txt", "nuls": NUL_COUNT}),
    Case("binary-png.txt", "E002", binary_png, "an image saved as .txt"),
    Case("binary-random.txt", "E002", binary_random),
    Case("formulas.txt", "ok", formula_payloads, "CSV injection payloads"),
    Case("html.txt", "ok", html_payloads, "HTML/JS payloads"),
    Case("loop.txt", "E012", symlink_loop),
    Case("outside.txt", "E010", symlink_outside),
    Case("dangling.txt", "E011", symlink_dangling),
    Case("inside-link.txt", "ok", symlink_inside, "a link to a corpus document is read", {"contains": "R\u00e9sum\u00e9"}),
    Case("folder.txt", "E013", directory, "a directory named like a document"),
    Case("fifo.txt", "E013", fifo, "a named pipe: must not block the run"),
    Case("locked.txt", "E014", unreadable, "chmod 000 (readable anyway when run as root)"),
    Case("line\nbreak.txt", "ok", _review("HER2 therapy: a file name with a newline"), "a newline in the name"),
    Case("", "ok", _review("HER2 therapy: a file name that is not UTF-8"), "non-UTF-8 bytes in the name",
         raw_name=b"r\xe9sum\xe9-\xff\xfe.txt"),
]

SLOW = [
    Case("tiny-objects.pdf", "ok", tiny_objects, "30k 1-pt glyphs plus real text: real text read, junk flagged"),
    Case("pages-320.pdf", "ok", many_pages, "320 pages", {"pages": 320}),
    Case("one-line-5mb.txt", "ok", one_line_5mb, "5 MB on one line"),
    Case("bait-parens.txt", "ok", bait_parens, '"(" x 100k'),
    Case("bait-percent.txt", "ok", bait_percent, '"%" x 100k + " (95% CI " x 20k'),
    Case("bait-orr.txt", "ok", bait_orr, '250 kB of "ORR of "'),
    Case("long-paragraph.txt", "ok", long_paragraph, "an ordinary 80 kB paragraph"),
]


def case_path(corpus: Path, case: Case) -> Path:
    if case.raw_name:
        return Path(os.fsdecode(os.path.join(os.fsencode(corpus), case.raw_name)))
    return corpus / case.name


def build(corpus: Path, cases: list[Case]) -> dict[str, Path]:
    """Write `cases` into `corpus` (created); {case key: path}. The key is the printable name."""
    from pipeline.errors import printable

    corpus.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in sorted(cases, key=lambda c: c.name.startswith(("inside",))):   # link targets first
        p = case_path(corpus, case)
        case.build(p)
        paths[printable(p.name)] = p
    return paths


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    out = Path(argv[0])
    if out.exists() and any(out.iterdir()):
        print(f"{out}: not empty; give a new folder (the corpus is built from scratch)", file=sys.stderr)
        return 2
    build(out, FAST + (SLOW if "--slow" in argv else []))
    print(f"{len(os.listdir(out))} entries in {out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
