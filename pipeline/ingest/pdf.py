"""PDF -> Document. The ONLY module that imports pdfplumber / pdfminer.

Stages, each a small function from one plain value to the next (library objects never
leave `pdf_to_document`):

    open_pdf              path -> pdfplumber.PDF, bad input -> IngestError (E003/E004)
    page_to_words         pdfplumber page -> [Word] (our own frozen records)
    page_to_tables        ruled tables ("lines"), then unruled ones ("text") under a "Table N" caption
    words_to_lines        words -> visual line fragments (split at wide gaps: column gutters)
    find_furniture        running headers / footers / page numbers (repeated in the margins)
    fragments_to_regions  reading order by recursive gutter cuts (columns left to right,
                          full-width bands top to bottom)
    regions_to_blocks     paragraphs, headings, tables, legends; paragraphs that continue across a
                          column or page break are joined; tables/legends float after them
    blocks_to_text        the normalized text, LineBoxes, page spans, cell offsets
    blocks_to_sections    Sections covering the whole text (rules/sections.yaml pdf_heading decides the kind)

Cost (issue 14 point 6): each page is parsed once by pdfminer and nothing else (no layout
analysis: pdfplumber opens without LAParams). pdfminer's content-stream tokenizer takes plain
tokens in one regular-expression pass (`_ContentParser`, run by pdfminer's own `execute`); each
character becomes pdfplumber's dict as it is drawn (`_CharDevice`: no LTChar, no walk of the
layout tree); words are grouped by our own pass giving pdfplumber's `extract_words` (`_upright_words`);
words, the rotation check and the tables all read that one character list. The ruled-table search
runs only on pages that draw a line, rectangle or curve (`has_rulings`), the unruled one only under
a "Table N" caption, and a table's cells are read from the table's own characters. pypdfium2 is not
used: its character boxes come from the glyph outlines, not pdfminer's font metrics, so offsets
and boxes would change. scripts/pdf_equivalence.py checks that the Documents are those of the
code before this work, field by field; tests/test_ingest_pdf.py compares the characters and the
tokens with pdfplumber's and pdfminer's own.

Normalized text layout: paragraphs separated by "\\n\\n"; headings are their own paragraph;
lines inside a paragraph joined with one space; a table is a caption paragraph followed by a
block of tab-separated rows (one row per line) and, when printed, a paragraph of table notes.

Hyphenation rule (line ends only; `text.join_hyphenated`, shared with hard-wrapped text files): a line ending in "x-" followed by a line
starting "y" loses the hyphen ("treat-"+"ment" -> "treatment") when y starts lowercase and
either the document prints "xy" unbroken somewhere, or x is a plain word (lowercase letters,
optionally capitalised), the document does not print "x-y" inside a line, and x is not a
hyphen-typical prefix (HYPHEN_PREFIXES: anti, non, self, ...). Otherwise the hyphen is kept and
the parts are joined without a space ("HER2-"+"positive", "anti-"+"HER2", "T-"+"DXd",
"moderate-"+"vigorous" when the document prints "moderate-vigorous"). Weak spot: a compound
broken at its hyphen that appears nowhere else unbroken-with-hyphen loses its hyphen.
"""
from __future__ import annotations

import re
import time
import types
import statistics
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np
import pdfplumber
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer import pdfinterp
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.psparser import KWD, LIT
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.page import PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.pdfinternals import resolve_all, resolve_and_decode
from pdfplumber.utils.text import LIGATURES

from pipeline.config import Settings
from pipeline.errors import Errors, IngestError
from pipeline.ingest.text import decimal_style, join_hyphenated, normalize_chars as _normalize_text_chars, subhead_key, \
    with_points, word_vocabulary
from pipeline.model import Cell, Document, LineBox, PageSpan, Section, Table
from pipeline.rules import RuleSet

# --------------------------------------------------------------------------
# Heading vocabularies come from rules/sections.yaml (categories pdf_heading,
# abstract_subhead, section_name), resolved once per document.


@dataclass(frozen=True)
class HeadingRules:
    kinds: tuple[tuple[re.Pattern[str], str], ...] = ()
    abstract_subheads: tuple[re.Pattern[str], ...] = ()
    section_names: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def resolve(cls, rules: RuleSet) -> "HeadingRules":
        return cls(tuple((r.regex, r.value) for r in rules.patterns("sections", "pdf_heading")),
                   tuple(r.regex for r in rules.patterns("sections", "abstract_subhead")),
                   tuple(r.regex for r in rules.patterns("sections", "section_name")))

    def is_abstract_subhead(self, low: str) -> bool:
        return any(r.search(low) for r in self.abstract_subheads)

    def is_section_name(self, text: str) -> bool:
        return any(r.search(text.strip().lower()) for r in self.section_names)


LEGEND_RE = re.compile(r"^([Ff]ig\.?|[Ff]igure|FIG\.?|FIGURE)\s*\d+[a-z]?(\s*[.:|]|\s+[A-Z(]|$)")
CAPTION_RE = re.compile(r"^table\s*(\d+)\b", re.IGNORECASE)
NUMBERED_HEADING_RE = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}\.?\s+[A-Z][^.]{2,80}$")
PAGE_NUMBER_RE = re.compile(r"^(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)
BOLD_FONT_RE = re.compile(r"(bold|black|heavy|semibold|demi|medium|\.B$|,B$)", re.IGNORECASE)
REF_ENTRY_RE = re.compile(r"^\[?\d{1,3}[\].]?\s+[A-Z][A-Za-z'’-]+,?\s+(?:[A-Z]{1,3}\b|[A-Z]\.)")
INLINE_LABEL_RE = re.compile(r"^([A-Z][A-Za-z'’ ]{2,40}):\s")
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>|]+)")
TERMINAL = tuple(".!?:;")

@lru_cache(maxsize=65536)
def normalize_chars(text: str) -> str:
    """The text stage's character normalization; a PDF word has no tabs. Cached: a page repeats
    its words ("the", "of", "95%"), and the function is pure."""
    return _normalize_text_chars(text).replace("\t", " ")


@dataclass(frozen=True)
class LayoutParams:
    """Layout thresholds, in PDF points unless stated; resolved once."""

    word_x_tolerance: float = 1.5      # pdfplumber's default 3 glues words in tightly set PDFs
    word_y_tolerance: float = 3.0      # pdfplumber's default: a top this far from the last is a new line
    fragment_gap: float = 8.0          # a wider gap inside a visual line splits it (column gutter)
    fragment_gap_em: float = 0.9       # ... or this many font sizes, whichever is larger
    gutter_halfwidth: float = 1.0      # a fragment crosses x if it covers [x-h, x+h]
    gutter_margin: float = 0.08        # gutters are searched inside this fraction of the region
    gutter_min_side: int = 2           # fragments needed on each side of a gutter
    max_crossing: float = 0.2          # at most this share of fragments may cross a cut gutter
    margin_zone: float = 0.11          # top/bottom share of the page where running heads live
    furniture_min_pages: float = 0.4   # a margin line repeated on this share of pages (>= 2)
    heading_size_delta: float = 0.8    # a heading's font is at least this much larger than body
    table_caption_gap: float = 40.0    # a caption lies at most this far above a ruled table
    min_table_cells: int = 4
    headings: HeadingRules = HeadingRules()  # from rules/sections.yaml, set by pdf_to_document


PARAMS = LayoutParams()


# --------------------------------------------------------------------------
# Internal records (plain, never leave this module)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    font: str = ""


@dataclass
class Frag:
    """A visual line (or a piece of one, split at a gutter) or a table placeholder."""

    words: list[Word]
    page: int
    table: Optional[int] = None       # index into the page's tables when a placeholder
    box: Optional[tuple[float, float, float, float]] = None

    @property
    def x0(self) -> float:
        return self.box[0] if self.box else min(w.x0 for w in self.words)

    @property
    def top(self) -> float:
        return self.box[1] if self.box else min(w.top for w in self.words)

    @property
    def x1(self) -> float:
        return self.box[2] if self.box else max(w.x1 for w in self.words)

    @property
    def bottom(self) -> float:
        return self.box[3] if self.box else max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in sorted(self.words, key=lambda w: w.x0))

    @property
    def size(self) -> float:
        if not self.words:
            return 0.0
        return max(statistics.median([w.size for w in self.words for _ in w.text]), 0.0)

    @property
    def bold(self) -> bool:
        return bool(self.words) and all(w.bold for w in self.words)

    @property
    def font(self) -> str:
        fonts = [w.font for w in self.words for _ in w.text]
        return max(set(fonts), key=fonts.count) if fonts else ""


@dataclass
class RawTable:
    rows: list[list[tuple[str, Optional[tuple[float, float, float, float]]]]]
    caption: str
    caption_box: Optional[tuple[float, float, float, float]]
    notes: str
    bbox: tuple[float, float, float, float]
    page: int


@dataclass
class Block:
    kind: str                          # "para" | "heading" | "table" | "legend"
    lines: list[Frag] = field(default_factory=list)
    page: int = 1
    table: Optional[RawTable] = None
    continues: bool = False            # first block of a region: may continue the previous paragraph
    size: float = 0.0


# --------------------------------------------------------------------------
# Opening

_PLAIN = frozenset({float, int, str, bool, type(None)})


# Content-stream tokens pdfminer's tokenizer reads one state-machine step at a time, matched here in
# one go: whitespace and NULs, then a number, a keyword, a name without "#" escapes, a string without
# escapes or inner parentheses, or a one-byte keyword ("[", "]", "{", "}", ...). Other strings, hex
# strings, "<<", ">>", comments stop the match.
_FAST_TOKEN = re.compile(rb"[\s\x00]*(?:(?P<num>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
                         rb"|(?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)|/(?P<lit>[^#/%\[\]()<>{}\s]*)"
                         rb"|\((?P<str>[^()\\]*)\)|(?P<one>[^%/\-+.0-9A-Za-z(<>\x00\s]))")


class _ContentParser(pdfinterp.PDFContentParser):
    """pdfminer's content-stream parser with its tokenizer's main state (`_parse_main`) taking every
    plain token of the buffer in one regular-expression pass: the same tokens, values and positions
    (a token that may run on into the next buffer, a name with a "#" escape, a string with escapes
    or parentheses, a hex string or a comment is left to pdfminer's own states, from its first byte)."""

    def _parse_main(self, s: bytes, i: int) -> int:
        n, base, tokens = len(s), self.bufpos, self._tokens
        match = _FAST_TOKEN.match
        while True:
            m = match(s, i)
            if m is None:
                break
            kind = m.lastgroup
            tok = m.group(kind)
            j, e = m.start(kind), m.end()
            if kind == "one":
                tokens.append((base + j, KWD(tok)))
            elif kind == "str":
                tokens.append((base + j - 1, tok))    # complete at its ")"
            elif e >= n:
                break                         # may continue in the next buffer
            elif kind == "num":
                try:
                    tokens.append((base + j, float(tok) if b"." in tok else int(tok)))
                except ValueError:
                    pass                      # "-", "." alone: pdfminer drops them too
            elif kind == "kw":
                tokens.append((base + j, True if tok == b"true" else False if tok == b"false" else KWD(tok)))
            else:
                if s[e] == 35:                # "#": an escaped name
                    break
                try:
                    name: str | bytes = str(tok, "utf-8")
                except Exception:
                    name = tok
                tokens.append((base + j - 1, LIT(name)))
            i = e
        return super()._parse_main(s, i)


class _Interpreter(PDFPageInterpreter):
    """pdfminer's page interpreter reading content streams with `_ContentParser`: pdfminer's own
    `execute` (the same code object) run with that parser in place of pdfminer's; Form XObjects
    get the same class (`dup`)."""

    execute = types.FunctionType(PDFPageInterpreter.execute.__code__,
                                 {**vars(pdfinterp), "PDFContentParser": _ContentParser}, "execute")


class _CharDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device, except that a horizontal string's characters become their final
    dicts as they are drawn: the dict `Page.process_object` would make from each LTChar (same keys
    in the same order, same values from the same arithmetic: pdfminer's `render_string_horizontal`,
    `LTChar.__init__` and `apply_matrix_rect` inlined), collected in drawing order, which is the
    order of pdfplumber's walk of the layout tree. Lines, rectangles, curves and images stay in
    the tree. What the shortcut does not cover (vertical fonts, byte font names, Unicode
    normalization) takes pdfplumber's own path, into the same list."""

    def __init__(self, page: "_Page") -> None:
        super().__init__(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
        self.page = page
        self.chars: list[dict] = []
        self.fast = page.pdf.unicode_norm is None
        self.cs_names: dict = {}
        self.glyphs: dict = {}                # font -> {cid: (text, width)}

    def render_char(self, *args, **kwargs) -> float:
        adv = super().render_char(*args, **kwargs)
        self.chars.append(pdfplumber.page.Page.process_object(self.page, self.cur_item._objs.pop()))
        return adv

    def _glyph(self, font, cid: int) -> tuple[str, float]:
        try:
            text = font.to_unichr(cid)
            assert isinstance(text, str), str(type(text))
        except PDFUnicodeNotDefined:
            text = self.handle_undefined_char(font, cid)
        return text, font.char_width(cid)

    def render_string_horizontal(self, seq, matrix, pos, font, fontsize, scaling, charspace, wordspace,
                                 rise, dxscale, ncs, graphicstate):
        fontname = font.fontname
        if not self.fast or type(fontname) is not str:
            return super().render_string_horizontal(seq, matrix, pos, font, fontsize, scaling, charspace,
                                                    wordspace, rise, dxscale, ncs, graphicstate)
        page = self.page
        page_number, doctop0 = page.page_number, page.initial_doctop
        mb_x0, mb_top = page.mediabox[:2]
        height = page.height
        glyphs = self.glyphs.setdefault(font, {})
        mcid, tag = self.cur_mcid, self.cur_tag
        if type(mcid) not in _PLAIN:
            mcid = resolve_all(mcid)
        name = ncs.name
        if type(name) is not str:
            cs = resolve_and_decode(name)
        else:
            cs = self.cs_names.get(name)
            if cs is None:
                cs = self.cs_names[name] = resolve_and_decode(name)
        sc, nc = graphicstate.scolor, graphicstate.ncolor
        stroking = sc if isinstance(sc, tuple) else (sc,)
        non_stroking = nc if isinstance(nc, tuple) else (nc,)
        a, b, c, d, e, f = matrix
        upright = a * d * scaling > 0 and b * c <= 0
        descent = font.get_descent() * fontsize
        by0 = descent + rise
        by1 = descent + rise + fontsize
        chars = self.chars
        (x, y) = pos
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
            elif isinstance(obj, bytes):
                for cid in font.decode(obj):
                    if needcharspace:
                        x += charspace
                    glyph = glyphs.get(cid)
                    if glyph is None:
                        glyph = glyphs[cid] = self._glyph(font, cid)
                    text, textwidth = glyph
                    adv = textwidth * fontsize * scaling
                    m = (a, b, c, d, x * a + y * c + e, x * b + y * d + f)     # translate_matrix
                    e2, f2 = m[4], m[5]
                    left1, bottom1 = a * 0 + c * by0 + e2, b * 0 + d * by0 + f2    # apply_matrix_rect
                    right1, bottom2 = a * adv + c * by0 + e2, b * adv + d * by0 + f2
                    right2, top1 = a * adv + c * by1 + e2, b * adv + d * by1 + f2
                    left2, top2 = a * 0 + c * by1 + e2, b * 0 + d * by1 + f2
                    x0 = min(left1, left2, right1, right2)
                    y0 = min(bottom1, bottom2, top1, top2)
                    x1 = max(left1, left2, right1, right2)
                    y1 = max(bottom1, bottom2, top1, top2)
                    if x1 < x0:
                        x0, x1 = x1, x0
                    if y1 < y0:
                        y0, y1 = y1, y0
                    top = (height - y1) + mb_top
                    width = x1 - x0
                    if mb_x0 != 0:
                        x0, x1 = x0 + mb_x0, x1 + mb_x0
                    chars.append({
                        "matrix": m, "fontname": fontname, "adv": adv, "upright": upright,
                        "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": width, "height": y1 - y0,
                        "size": y1 - y0, "mcid": mcid, "tag": tag, "object_type": "char",
                        "page_number": page_number, "ncs": cs, "text": text,
                        "stroking_color": stroking, "non_stroking_color": non_stroking,
                        "top": top, "bottom": (height - y0) + mb_top, "doctop": doctop0 + top,
                    })
                    x += adv
                    if cid == 32 and wordspace:
                        x += wordspace
                    needcharspace = True
            else:
                super().render_string_horizontal([obj], matrix, (x, y), font, fontsize, scaling, charspace,
                                                 wordspace, rise, dxscale, ncs, graphicstate)
        return (x, y)


class _Page(pdfplumber.page.Page):
    """pdfplumber's Page whose characters are made by `_CharDevice` while pdfminer draws the page
    (pdfplumber builds an LTChar per character, then walks the layout tree and converts each one).
    A page is parsed once and its objects kept (pdfplumber caches `objects`); words, tables and the
    rotation check all read that one list. tests/test_ingest_pdf.py compares the two conversions."""

    def parse_objects(self) -> dict:
        device = _CharDevice(self)
        interpreter = _Interpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as e:
            raise PdfminerException(e)
        self._layout = device.get_result()
        objects: dict[str, list] = {"char": device.chars} if device.chars else {}
        for obj in self.iter_layout_objects(self._layout._objs):
            kind = obj["object_type"]
            if kind != "anno":
                objects.setdefault(kind, []).append(obj)
        return objects


def _pages(pdf) -> list:
    """The document's pages as `_Page`s (pdfplumber's own page list, page numbers and offsets)."""
    return [_Page(pdf, p.page_obj, page_number=p.page_number, initial_doctop=p.initial_doctop) for p in pdf.pages]


def open_pdf(path: Path, source_file: str) -> "pdfplumber.PDF":
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages
        return pdf
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(cause).lower():
            raise IngestError(Errors.E004.format(path=source_file)) from None
        raise IngestError(Errors.E003.format(path=source_file, reason=_reason(cause))) from None
    except Exception as exc:  # pdfminer raises many types on damaged input
        raise IngestError(Errors.E003.format(path=source_file, reason=_reason(exc))) from None


def _reason(exc: object) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {msg[:120]}" if msg else name


# --------------------------------------------------------------------------
# Words


# Glyphs smaller than this (points) are not text a reader sees: hidden text layers, debris of vector
# art drawn as characters (thousands of 0.5 pt glyphs made 1,222 junk sentences of one page).
MIN_GLYPH_SIZE = 2.0
_CID = re.compile(r"\(cid:\d+\)")


def _readable_chars(obj: dict) -> bool:
    return obj.get("object_type") != "char" or float(obj.get("size") or 0) >= MIN_GLYPH_SIZE


def readable_page(page):
    """The page as a reader sees it: glyphs under MIN_GLYPH_SIZE dropped before words are built
    (the page's own objects, parsed once); a page with /Rotate whose text all lies sideways in the
    rotated view (drawn upright, shown turned) is read in its own, unrotated frame."""
    if page.rotation and page.chars and sum(1 for c in page.chars if c.get("upright", True)) * 2 < len(page.chars):
        obj = page.page_obj
        obj.attrs = {**obj.attrs, "Rotate": 0}
        obj.rotate = 0
        page = _Page(page.pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
    if any(not _readable_chars(c) for c in page.chars):
        return page.filter(_readable_chars)
    return page


def cid_share(words: Sequence[Word]) -> float:
    """The share of a page's word characters that are unmapped glyphs ("(cid:12)")."""
    total = sum(len(w.text) for w in words)
    return sum(len(m) for w in words for m in _CID.findall(w.text)) / total if total else 0.0


@lru_cache(maxsize=4096)
def _is_bold(fontname: str) -> bool:
    return bool(BOLD_FONT_RE.search(fontname))


def _upright_words(chars: Sequence[dict], x_tolerance: float, y_tolerance: float) -> Iterable[tuple[str, list[dict]]]:
    """pdfplumber's `extract_words` (default directions, blank characters split words, ligatures
    expanded) for upright characters only, as (text, characters), in its order: runs of upright
    characters; in each, lines clustered by `top` (a top within y_tolerance of the previous one
    joins its line), lines top to bottom, characters by x0; a word ends at a blank, at a step
    back, a gap over x_tolerance or a top more than y_tolerance away. Sideways characters make
    sideways words, which `page_to_words` drops, so they are skipped here."""
    for upright, run in groupby(chars, itemgetter("upright")):
        if not upright:
            continue
        run = list(run)
        tops = sorted(set(c["top"] for c in run))
        line_of, line, last = {}, 0, tops[0]
        for t in tops:
            if t > last + y_tolerance:
                line += 1
            line_of[t] = line
            last = t
        lines: dict[int, list[dict]] = {}
        for c in run:
            lines.setdefault(line_of[c["top"]], []).append(c)
        for k in sorted(lines):
            word: list[dict] = []
            for c in sorted(lines[k], key=itemgetter("x0")):
                text = c["text"]
                if text.isspace() or not text:
                    if word:
                        yield "".join(LIGATURES.get(x["text"], x["text"]) for x in word), word
                    word = []
                    continue
                if word:
                    prev = word[-1]
                    if c["x0"] < prev["x0"] or c["x0"] > prev["x1"] + x_tolerance or abs(c["top"] - prev["top"]) > y_tolerance:
                        yield "".join(LIGATURES.get(x["text"], x["text"]) for x in word), word
                        word = []
                word.append(c)
            if word:
                yield "".join(LIGATURES.get(x["text"], x["text"]) for x in word), word


def page_to_words(page, params: LayoutParams = PARAMS) -> list[Word]:
    out = []
    for raw, chars in _upright_words(page.chars, params.word_x_tolerance, params.word_y_tolerance):
        text = normalize_chars(raw).strip()
        if not text:
            continue
        sizes = [c["size"] for c in chars]
        size = sizes[0] if sizes.count(sizes[0]) == len(sizes) else statistics.median(sizes)
        fonts = [c.get("fontname", "") for c in chars]
        bold = sum(1 for f in fonts if _is_bold(f)) * 2 > len(chars)
        font = fonts[0] if fonts.count(fonts[0]) == len(fonts) else max(set(fonts), key=fonts.count)
        out.append(Word(" ".join(text.split()), float(min(c["x0"] for c in chars)), float(min(c["top"] for c in chars)),
                        float(max(c["x1"] for c in chars)), float(max(c["bottom"] for c in chars)),
                        round(float(size), 2), bold, font))
    return out


def words_to_lines(words: Sequence[Word], page_no: int, params: LayoutParams = PARAMS) -> list[Frag]:
    """Chain words left to right into line fragments: a word joins the fragment whose last word
    ends just before it (gap below the gutter threshold) at the same height. Fragments never
    bridge a column gutter, and lines of different pitch in neighbouring columns stay apart."""
    frags: list[Frag] = []
    # active fragments: [fragment, its last word's x1, max(gap, em * that word's size),
    #                    top, bottom and size of its first largest word]
    active: list[list] = []
    gap, em = params.fragment_gap, params.fragment_gap_em
    for w in sorted(words, key=lambda w: (w.x0, w.top)):
        x0, top, bottom, size = w.x0, w.top, w.bottom, w.size
        h = bottom - top
        em_w = em * size                      # em * max(a, b) == max(em * a, em * b) for em > 0
        best, best_ov = None, 0.0
        keep = []
        for entry in active:
            dx = x0 - entry[1]
            if dx > entry[2] and dx > em_w:
                continue                      # too far left of this word: closed for good
            keep.append(entry)
            if x0 < entry[1] - 1.5:
                continue
            b_top, b_bottom = entry[3], entry[4]
            ov = (b_bottom if b_bottom <= bottom else bottom) - (b_top if b_top >= top else top)
            b_h = b_bottom - b_top
            if ov >= 0.5 * (h if h <= b_h else b_h) and ov > best_ov:
                best, best_ov = entry, ov
        active = keep
        thr = em_w if em_w > gap else gap
        if best is None:
            f = Frag([w], page_no)
            frags.append(f)
            active.append([f, w.x1, thr, top, bottom, size])
        else:
            best[0].words.append(w)
            best[1], best[2] = w.x1, thr
            if size > best[5]:
                best[3], best[4], best[5] = top, bottom, size
    return frags


# --------------------------------------------------------------------------
# Furniture: running headers, footers, page numbers


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def find_furniture(pages: Sequence[tuple[float, list[Frag]]], params: LayoutParams = PARAMS) -> set[int]:
    """ids of fragments that are running heads/feet or page numbers."""
    n_pages = len(pages)
    seen: dict[str, set[int]] = {}
    margin: list[tuple[Frag, str]] = []
    for pno, (height, frags) in enumerate(pages):
        for f in frags:
            if f.table is not None:
                continue
            if f.bottom <= height * params.margin_zone or f.top >= height * (1 - params.margin_zone):
                key = _furniture_key(f.text)
                margin.append((f, key))
                seen.setdefault(key, set()).add(pno)
    need = max(2, int(round(params.furniture_min_pages * n_pages)))
    drop = set()
    for f, key in margin:
        if len(seen[key]) >= need or PAGE_NUMBER_RE.match(f.text.strip()):
            drop.add(id(f))
    return drop


# --------------------------------------------------------------------------
# Reading order


def _find_gutter(frags: Sequence[Frag], params: LayoutParams) -> Optional[tuple[float, list[Frag]]]:
    x0 = np.array([f.x0 for f in frags])
    x1 = np.array([f.x1 for f in frags])
    lo, hi = x0.min(), x1.max()
    width = hi - lo
    if width < 40:
        return None
    xs = np.arange(lo + width * params.gutter_margin, hi - width * params.gutter_margin, 1.0)
    if not len(xs):
        return None
    h = params.gutter_halfwidth
    cross = (x0[None, :] < xs[:, None] + h) & (x1[None, :] > xs[:, None] - h)
    left = (x1[None, :] <= xs[:, None] + h).sum(1)
    right = (x0[None, :] >= xs[:, None] - h).sum(1)
    n_cross = cross.sum(1)
    ok = (left >= params.gutter_min_side) & (right >= params.gutter_min_side) \
        & (n_cross <= params.max_crossing * len(frags))
    if not ok.any():
        return None
    best = n_cross[ok].min()
    idx = np.where(ok & (n_cross == best))[0]
    # middle of the widest run of equally good positions
    runs, start = [], idx[0]
    for a, b in zip(idx, idx[1:]):
        if b != a + 1:
            runs.append((start, a))
            start = b
    runs.append((start, idx[-1]))
    s, e = max(runs, key=lambda r: r[1] - r[0])
    i = (s + e) // 2
    return float(xs[i]), [f for f, c in zip(frags, cross[i]) if c]


def _by_position(frags: Iterable[Frag]) -> list[Frag]:
    return sorted(frags, key=lambda f: (f.top, f.x0))


def fragments_to_regions(frags: Sequence[Frag], params: LayoutParams = PARAMS, depth: int = 0) -> list[list[Frag]]:
    """Recursive gutter cut: a clean vertical gutter splits columns (left first); a gutter
    crossed by a few full-width fragments splits the region into bands above/below them."""
    frags = list(frags)
    if len(frags) <= 2 or depth > 20:
        return [_by_position(frags)] if frags else []
    g = _find_gutter(frags, params)
    if g is None:
        return [_by_position(frags)]
    x, crossing = g
    if not crossing:
        left = [f for f in frags if (f.x0 + f.x1) / 2 < x]
        right = [f for f in frags if (f.x0 + f.x1) / 2 >= x]
        return fragments_to_regions(left, params, depth + 1) + fragments_to_regions(right, params, depth + 1)
    wide = {id(f) for f in crossing}
    bands: list[list[Frag]] = []
    kind: Optional[bool] = None
    for f in sorted(frags, key=lambda f: ((f.top + f.bottom) / 2, f.x0)):
        is_wide = id(f) in wide
        if kind is None or is_wide != kind:
            bands.append([])
            kind = is_wide
        bands[-1].append(f)
    if len(bands) == 1:
        return [_by_position(frags)]
    out: list[list[Frag]] = []
    for b in bands:
        out.extend(fragments_to_regions(b, params, depth + 1))
    return out


def region_to_lines(region: Sequence[Frag]) -> list[Frag]:
    """Fragments of one region at the same height become one line (tables stay alone)."""
    out: list[Frag] = []
    for f in region:
        prev = out[-1] if out else None
        if (prev is not None and f.table is None and prev.table is None and abs(prev.size - f.size) < 2
                and min(prev.bottom, f.bottom) - max(prev.top, f.top) >= 0.5 * min(f.bottom - f.top, prev.bottom - prev.top)):
            out[-1] = Frag(prev.words + f.words, f.page)
        else:
            out.append(f)
    return out


# --------------------------------------------------------------------------
# Tables


def _clean_cell(text: Optional[str]) -> str:
    if not text:
        return ""
    return re.sub(r"\s+", " ", normalize_chars(text)).strip()


def _cell_texts(t, x_tolerance: float) -> list[list[Optional[str]]]:
    """pdfplumber's `Table.extract` (a character belongs to the row, then the cell, whose box holds
    its centre: x0 <= mid < x1, top <= mid < bottom), with each character's centre computed once
    and only the table's own characters tested (every row's box lies inside the table's)."""
    tx0, ttop, tx1, tbottom = t.bbox
    chars = []
    for c in t.page.chars:
        h, v = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        if tx0 <= h < tx1 and ttop <= v < tbottom:
            chars.append((h, v, c))
    out = []
    for row in t.rows:
        x0, top, x1, bottom = row.bbox
        row_chars = [m for m in chars if x0 <= m[0] < x1 and top <= m[1] < bottom]
        texts: list[Optional[str]] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            cell_chars = [c for h, v, c in row_chars if x0 <= h < x1 and top <= v < bottom]
            texts.append(pdfplumber.utils.extract_text(cell_chars, x_tolerance=x_tolerance) if cell_chars else "")
        out.append(texts)
    return out


def _table_from_pdfplumber(t, page_no: int, params: LayoutParams = PARAMS) -> RawTable:
    """pdfplumber's Table -> our RawTable (cell text cleaned, cell boxes kept)."""
    texts = _cell_texts(t, params.word_x_tolerance)
    grid = [[(_clean_cell(txt), box) for txt, box in zip(row_texts, row.cells)]
            for row_texts, row in zip(texts, t.rows)]
    return RawTable(grid, "", None, "", tuple(float(v) for v in t.bbox), page_no)


def _single_text(row) -> Optional[str]:
    filled = [t for t, _ in row if t]
    return filled[0] if len(filled) == 1 else None


def _tidy_table(rt: RawTable) -> Optional[RawTable]:
    """Caption row on top and notes row at the bottom out of the grid; empty columns dropped;
    reject figures and logos (too few filled cells)."""
    rows = [r for r in rt.rows if any(t for t, _ in r)]
    if rows and (_single_text(rows[0]) or "") and CAPTION_RE.match(_single_text(rows[0]) or ""):
        rt.caption = _single_text(rows[0]) or ""
        rt.caption_box = next(b for t, b in rows[0] if t)
        rows = rows[1:]
    if len(rows) > 2 and _single_text(rows[-1]) and len(_single_text(rows[-1]) or "") > 60:
        rt.notes = _single_text(rows[-1]) or ""
        rows = rows[:-1]
    if not rows:
        return None
    n_cols = max(len(r) for r in rows)
    rows = [r + [("", None)] * (n_cols - len(r)) for r in rows]
    keep = [c for c in range(n_cols) if any(r[c][0] for r in rows)]
    rows = [[r[c] for c in keep] for r in rows]
    filled = sum(1 for r in rows for t, _ in r if t)
    if len(rows) < 2 or len(keep) < 2 or filled < PARAMS.min_table_cells or filled < 0.3 * len(rows) * len(keep):
        return None
    rt.rows = rows
    return rt


def _caption_above(frags: Sequence[Frag], box, params: LayoutParams) -> list[Frag]:
    """The "Table N ..." lines just above a table, top to bottom."""
    x0, top, x1, _ = box
    cands = [f for f in frags if f.table is None and f.bottom <= top + 1 and top - f.bottom <= params.table_caption_gap
             and f.x0 < x1 and f.x1 > x0]
    cands.sort(key=lambda f: f.top)
    for i, f in enumerate(cands):
        if CAPTION_RE.match(f.text):
            return cands[i:]
    return []


def _unruled_tables(page, frags: Sequence[Frag], page_no: int, body_size: float,
                    params: LayoutParams) -> list[RawTable]:
    """Tables without rulings: below a "Table N" caption line, the run of lines that look tabular
    (several fragments at one height), read by pdfplumber's text strategy inside that box."""
    out = []
    width = float(page.width)
    mid = width / 2
    content = [f for f in frags if f.table is None]
    if not content:
        return out
    right_edge = max(f.x1 for f in content)
    for cap in sorted(content, key=lambda f: f.top):
        if not CAPTION_RE.match(cap.text):
            continue
        x_left = cap.x0 - 2
        below = [f for f in content if cap.bottom < f.top < cap.bottom + 150]
        single_column = any(f.x0 < mid - 5 and f.x1 > mid + 5 for f in below)
        if cap.x0 >= mid - 10 or cap.x1 > mid + 10 or single_column:
            x_right = right_edge + 2
        else:
            x_right = mid - 2                 # a caption in the left column of a two-column page
        inside = [f for f in content if f.x0 >= x_left - 1 and f.x1 <= x_right + 1 and f.top > cap.top]
        # group by height
        rows: list[list[Frag]] = []
        for f in sorted(inside, key=lambda f: (f.top, f.x0)):
            if rows and min(rows[-1][0].bottom, f.bottom) - max(rows[-1][0].top, f.top) > 0:
                rows[-1].append(f)
            else:
                rows.append([f])
        caption_lines = [cap]
        body: list[list[Frag]] = []
        prev_bottom = cap.bottom
        col_w = x_right - x_left
        for r in rows:
            top = min(f.top for f in r)
            size = max(f.size for f in r) or 8
            if top - prev_bottom > 2.5 * size:
                break
            n_words = sum(len(f.words) for f in r)
            prose = (len(r) == 1 and (r[0].x1 - r[0].x0) > 0.8 * col_w and n_words >= 8) \
                or any(f.size >= body_size - 0.3 and len(f.words) >= 5 for f in r)
            if not body and len(r) == 1 and abs(r[0].x0 - cap.x0) < 3 and abs(r[0].size - cap.size) < 0.3 \
                    and len(caption_lines) < 4:
                caption_lines.append(r[0])          # caption continues
            elif prose:
                break
            else:
                body.append(r)
            prev_bottom = max(f.bottom for f in r)
        if sum(1 for r in body if len(r) >= 2) < 2:
            continue
        bbox = (x_left, min(f.top for r in body for f in r) - 1, x_right,
                max(f.bottom for r in body for f in r) + 1)
        rt = _tidy_table(RawTable(rows_to_grid(body), "", None, "", bbox, page_no))
        if rt is None:
            continue
        rt.bbox = bbox
        rt.caption = " ".join(f.text for f in caption_lines)
        rt.caption_box = _union(caption_lines)
        out.append(rt)
    return out


def rows_to_grid(rows: Sequence[list[Frag]]) -> list[list[tuple[str, Optional[tuple[float, float, float, float]]]]]:
    """Unruled table rows (fragments split at wide gaps) -> grid. Column ranges are the
    x-extents left uncovered by the data rows (all rows but the first, which may hold wide
    headers); a fragment goes to the column it overlaps most."""
    data = [f for r in (rows[1:] if len(rows) > 2 else rows) for f in r]
    spans = sorted((f.x0, f.x1) for f in data)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    grid = []
    for r in rows:
        cells: list[list[Frag]] = [[] for _ in cols]
        for f in sorted(r, key=lambda f: f.x0):
            ov = [min(f.x1, c[1]) - max(f.x0, c[0]) for c in cols]
            k = int(np.argmax(ov)) if max(ov) > 0 else int(np.argmin([abs((c[0] + c[1]) / 2 - (f.x0 + f.x1) / 2) for c in cols]))
            cells[k].append(f)
        grid.append([(" ".join(f.text for f in c), _union(c) if c else None) for c in cells])
    return grid


def _union(frags: Sequence[Frag]) -> tuple[float, float, float, float]:
    return (min(f.x0 for f in frags), min(f.top for f in frags), max(f.x1 for f in frags), max(f.bottom for f in frags))


def _inside(f: Frag, box, slack: float = 1.0) -> bool:
    cx, cy = (f.x0 + f.x1) / 2, (f.top + f.bottom) / 2
    return box[0] - slack <= cx <= box[2] + slack and box[1] - slack <= cy <= box[3] + slack


def has_rulings(page) -> bool:
    """The page draws something pdfplumber's "lines" strategy can take a table's edges from (a
    line, a rectangle or a curve): without one it finds no table, so it is not asked."""
    return bool(page.lines or page.rects or page.curves)


def page_to_tables(page, frags: list[Frag], page_no: int, strategy: str, body_size: float,
                   params: LayoutParams = PARAMS) -> tuple[list[RawTable], list[Frag]]:
    """Tables on the page, and the page's fragments with table words replaced by one
    placeholder fragment per table (so the table takes its place in the reading order)."""
    tables: list[RawTable] = []
    if strategy in ("lines", "auto") and has_rulings(page):
        for t in page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines",
                                   "text_x_tolerance": params.word_x_tolerance}):
            rt = _tidy_table(_table_from_pdfplumber(t, page_no, params))
            if rt is None:
                continue
            if not rt.caption:
                cap = _caption_above(frags, rt.bbox, params)
                if cap:
                    rt.caption = " ".join(f.text for f in cap)
                    rt.caption_box = _union(cap)
            tables.append(rt)
    if strategy == "text" or (strategy == "auto" and not tables):
        tables.extend(_unruled_tables(page, frags, page_no, body_size, params))
    if not tables:
        return [], frags
    kept: list[Frag] = []
    boxes = []
    for rt in tables:
        box = rt.bbox
        if rt.caption_box:
            box = (min(box[0], rt.caption_box[0]), min(box[1], rt.caption_box[1]),
                   max(box[2], rt.caption_box[2]), max(box[3], rt.caption_box[3]))
        boxes.append(box)
    for f in frags:
        if not any(_inside(f, b) for b in boxes):
            kept.append(f)
    for i, b in enumerate(boxes):
        kept.append(Frag([], page_no, table=i, box=b))
    return tables, kept


# --------------------------------------------------------------------------
# Blocks


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(")]\"'”’")
    return t.endswith(TERMINAL)


def _is_heading_line(f: Frag, body_size: float, col_w: float, params: LayoutParams) -> bool:
    t = f.text.strip()
    if not t or len(t.split()) > 14 or f.table is not None:
        return False
    if LEGEND_RE.match(t) or CAPTION_RE.match(t):
        return False
    if len(t.split()) <= 5 and _heading_kind(t, params.headings) is not None:
        return True                           # "References", "Competing interests" in any font
    bigger = f.size >= body_size + params.heading_size_delta
    if (bigger or f.bold) and not t.endswith((".", ",", ";")) and any(c.isalpha() for c in t):
        return True
    return bool(NUMBERED_HEADING_RE.match(t)) and (f.x1 - f.x0) < 0.6 * col_w


def regions_to_blocks(regions: Sequence[list[Frag]], tables: Sequence[RawTable], page_no: int,
                      body_size: float, params: LayoutParams = PARAMS) -> list[Block]:
    blocks: list[Block] = []
    for region in regions:
        lines = region_to_lines(region)
        text_lines = [l for l in lines if l.table is None]
        if text_lines:
            left = statistics.median_low([l.x0 for l in text_lines]) if len(text_lines) > 2 else min(l.x0 for l in text_lines)
            right = max(l.x1 for l in text_lines)
            gaps = [b.top - a.bottom for a, b in zip(text_lines, text_lines[1:]) if b.top > a.bottom - 1]
            gap0 = statistics.median(gaps) if gaps else 2.0
        else:
            left, right, gap0 = 0.0, 0.0, 2.0
        col_w = max(right - left, 1.0)
        first = True
        prev: Optional[Frag] = None
        for ln in lines:
            if ln.table is not None:
                blocks.append(Block("table", [], page_no, table=tables[ln.table]))
                prev, first = None, False
                continue
            heading = _is_heading_line(ln, body_size, col_w, params)
            cur = blocks[-1] if blocks and not first else None
            if first and heading and blocks and blocks[-1].kind == "heading" and blocks[-1].page == page_no:
                last = blocks[-1].lines[-1]
                if -2 < ln.top - last.bottom < 0.8 * ln.size and abs(ln.size - last.size) < 0.3 \
                        and ln.font == last.font and abs(ln.x0 - blocks[-1].lines[0].x0) < 3:
                    blocks[-1].lines.append(ln)       # a heading wrapped into the next band
                    prev, first = ln, False
                    continue
            if heading and cur is not None and prev is not None and cur.kind in ("para", "legend") \
                    and ln.top - prev.bottom <= gap0 + 0.45 * ln.size and not _ends_sentence(prev.text) \
                    and abs(ln.size - prev.size) < 0.5 and _heading_kind(ln.text, params.headings) is None:
                heading = False               # a bold or large line continuing a paragraph
            new = True
            if cur is not None and prev is not None and cur.kind in ("para", "heading", "legend"):
                size = ln.size or body_size
                gap = ln.top - prev.bottom
                if cur.kind == "heading":
                    new = not (heading and abs(size - cur.size) < 0.3 and gap < 0.8 * size
                               and ln.bold == prev.bold and ln.font == prev.font)
                elif heading:
                    new = True
                else:
                    new = (gap > gap0 + 0.45 * size
                           or (ln.x0 > left + 0.8 * size and _ends_sentence(prev.text) and ln.x0 > prev.x0 + 2)
                           or (prev.x1 < right - 2.5 * size and _ends_sentence(prev.text))
                           or abs(size - prev.size) > 1.5)
            if new:
                kind = "heading" if heading else ("legend" if LEGEND_RE.match(ln.text) else "para")
                b = Block(kind, [ln], page_no, size=ln.size)
                b.continues = first and kind == "para" and not (ln.x0 > left + 0.8 * ln.size and len(text_lines) > 1)
                blocks.append(b)
            else:
                cur.lines.append(ln)
            prev, first = ln, False
    return blocks


def _style(ln: Frag) -> tuple[str, float]:
    return ln.font, round(ln.size, 1)


def join_continued(blocks: list[Block], lookback: int = 12) -> list[Block]:
    """A paragraph that starts a column or page continues the last paragraph set in the same
    font and size when that one does not end a sentence (or it starts in lowercase).
    Tables, legends and boxed asides in another font between them float after the join."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "para" and b.continues:
            style = _style(b.lines[0])
            j = len(out) - 1
            while j >= 0 and len(out) - j <= lookback:
                o = out[j]
                if o.kind in ("table", "legend") or (o.lines and _style(o.lines[-1]) != style):
                    j -= 1
                    continue
                break
            if j >= 0 and len(out) - j <= lookback and out[j].kind == "para" \
                    and b.page - out[j].lines[-1].page <= 1 and (
                    not _ends_sentence(out[j].lines[-1].text) or b.lines[0].text[:1].islower()):
                out[j].lines.extend(b.lines)
                moved = out[j + 1:]
                del out[j + 1:]
                out.extend(moved)
                continue
        out.append(b)
    return out


# --------------------------------------------------------------------------
# Text


def _vocabulary(blocks: Sequence[Block]) -> tuple[set[str], set[str]]:
    return word_vocabulary(w.text for b in blocks for ln in b.lines for w in ln.words)


@dataclass
class _Text:
    parts: list[str] = field(default_factory=list)
    pos: int = 0

    def add(self, s: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start, self.pos


def blocks_to_text(blocks: Sequence[Block], page_sizes: Sequence[tuple[float, float]]):
    """Normalized text, block spans, line boxes, tables with offsets, page spans."""
    plain, hyphenated = _vocabulary(blocks)
    buf = _Text()
    spans: list[tuple[int, int]] = []
    boxes: list[LineBox] = []
    tables: list[Table] = []
    page_first: dict[int, int] = {}

    def sep():
        if buf.pos:
            buf.add("\n\n")

    def mark(page: int, at: int):
        page_first.setdefault(page, at)

    for b in blocks:
        sep()
        start = buf.pos
        if b.kind == "table":
            rt = b.table
            assert rt is not None
            mark(rt.page, start)
            tno = len(tables) + 1
            caption = rt.caption or f"Table {tno}"
            cs, ce = buf.add(caption)
            if rt.caption_box:
                boxes.append(LineBox(cs, ce, rt.page, *rt.caption_box))
            buf.add("\n\n")
            cells = []
            for ri, row in enumerate(rt.rows):
                if ri:
                    buf.add("\n")
                row_start = buf.pos
                for ci, (txt, box) in enumerate(row):
                    if ci:
                        buf.add("\t")
                    a, e = buf.add(txt)
                    cells.append(Cell(ri, ci, txt, a if txt else None, e if txt else None,
                                      tuple(float(v) for v in box) if box else None))
                rb = [bx for _, bx in row if bx]
                if rb:
                    boxes.append(LineBox(row_start, buf.pos, rt.page, min(x[0] for x in rb), min(x[1] for x in rb),
                                         max(x[2] for x in rb), max(x[3] for x in rb)))
            if rt.notes:
                buf.add("\n\n")
                buf.add(rt.notes)
            n_cols = max(len(r) for r in rt.rows)
            tables.append(Table(f"T{tno}", caption, rt.page, len(rt.rows), n_cols, tuple(cells),
                                start, buf.pos, rt.bbox, (0,)))
            spans.append((start, buf.pos))
            continue
        for i, ln in enumerate(b.lines):
            text = ln.text
            if i:
                prev_text = b.lines[i - 1].text
                if prev_text.endswith("-"):
                    pass   # handled when the previous line was written
                else:
                    buf.add(" ")
            if i + 1 < len(b.lines) and text.endswith("-") and join_hyphenated(text, b.lines[i + 1].text, plain, hyphenated):
                text = text[:-1]
            mark(ln.page, buf.pos)
            a, e = buf.add(text)
            boxes.append(LineBox(a, e, ln.page, round(ln.x0, 2), round(ln.top, 2), round(ln.x1, 2), round(ln.bottom, 2)))
        spans.append((start, buf.pos))
    text = "".join(buf.parts)
    pages = []
    n = len(page_sizes)
    # pages without text get an empty span at the start of the next page
    starts = []
    nxt = len(text)
    for p in range(n, 0, -1):
        nxt = page_first.get(p, nxt)
        starts.append(nxt)
    starts.reverse()
    starts[0] = 0
    for k in range(1, len(starts)):
        starts[k] = max(starts[k], starts[k - 1])
    for p in range(1, n + 1):
        s = starts[p - 1]
        e = starts[p] if p < n else len(text)
        w, h = page_sizes[p - 1]
        pages.append(PageSpan(p, s, max(s, e), round(w, 2), round(h, 2)))
    return text, spans, boxes, tables, pages


# --------------------------------------------------------------------------
# Sections


def _heading_kind(text: str, hr: HeadingRules) -> Optional[str]:
    t = subhead_key(text)
    for pattern, kind in hr.kinds:
        if pattern.search(t):
            return kind
    return None


def _run_of_references(blocks: Sequence[Block], spans: Sequence[tuple[int, int]], text: str, i: int,
                       n: int = 3) -> bool:
    """Blocks i..i+n-1 all look like numbered reference entries."""
    paras = [k for k in range(i, len(blocks)) if blocks[k].kind == "para"][:n]
    return len(paras) == n and all(REF_ENTRY_RE.match(text[spans[k][0]:spans[k][1]]) for k in paras)


def blocks_to_sections(blocks: Sequence[Block], spans: Sequence[tuple[int, int]], text: str,
                       title_block: Optional[Block], hr: HeadingRules) -> list[Section]:
    sections: list[Section] = []
    current_kind, current_heading = "back_matter", ""   # front matter before the first heading
    started = False                                     # an abstract or body heading was seen
    starts: list[tuple[int, str, str, int]] = []
    for b, (s, e) in zip(blocks, spans):
        page = b.table.page if b.table else b.page
        if b is title_block:
            starts.append((s, text[s:e], "title", page))
            continue
        if b.kind == "table":
            starts.append((s, b.table.caption if b.table else "", "table", page))
            starts.append((e, current_heading, current_kind, page))
            continue
        if b.kind == "legend" or (b.kind == "para" and LEGEND_RE.match(text[s:e])):
            starts.append((s, text[s:e].split(".")[0][:80], "figure_legend", page))
            starts.append((e, current_heading, current_kind, page))
            continue
        if b.kind == "heading":
            heading = text[s:e]
            kind = _heading_kind(heading, hr)
            low = re.sub(r"[^a-z ]", "", heading.lower()).strip()
            if kind is None:
                if current_kind == "abstract" and hr.is_abstract_subhead(low):
                    kind = "abstract"
                elif current_kind in ("references", "abbreviations") and len(heading) < 4:
                    kind = current_kind
                elif current_kind == "references":
                    kind = "back_matter"      # after the reference list: publisher notes, adverts
                elif current_kind == "back_matter" and not started and page == 1 \
                        and not hr.is_section_name(heading) and not NUMBERED_HEADING_RE.match(heading):
                    kind = "back_matter"      # front matter: article type, authors, affiliations
                else:
                    kind = "body"
            started = started or kind in ("abstract", "body")
            if kind == "keywords":
                starts.append((s, heading, kind, page))
                current_kind, current_heading = "back_matter", ""     # the abstract is over
                starts.append((e, "", "back_matter", page))
                continue
            current_kind, current_heading = kind, heading
            starts.append((s, heading, kind, page))
            continue
        # paragraph: a reference list printed without a heading, inline labels ("Funding: ...")
        t = text[s:e]
        if current_kind != "references" and b.kind == "para" and REF_ENTRY_RE.match(t) \
                and _run_of_references(blocks, spans, text, blocks.index(b)):
            current_kind, current_heading = "references", ""
            starts.append((s, "", "references", page))
            continue
        m = INLINE_LABEL_RE.match(t)
        if m and current_kind != "references" and _heading_kind(m.group(1), hr) in ("back_matter", "abbreviations"):
            current_kind, current_heading = _heading_kind(m.group(1), hr) or "back_matter", m.group(1)
            starts.append((s, current_heading, current_kind, page))
            continue
        if re.match(r"^(keywords?|key words)\s*:", t, re.IGNORECASE):
            starts.append((s, "Keywords", "keywords", page))
            if current_kind == "abstract":
                current_kind, current_heading = "back_matter", ""  # the abstract is over
            starts.append((e, current_heading, current_kind, page))
    if not started:
        # no abstract or body heading anywhere (a one-page note, a page of results): what is not a
        # reference list, table or legend is the document's content, not front matter
        starts = [(a, h, "body" if k == "back_matter" else k, p) for a, h, k, p in starts]
    # collapse into non-overlapping sections covering [0, len(text))
    if not starts or starts[0][0] > 0:
        starts.insert(0, (0, "", "body" if not started else "back_matter", 1))
    cleaned: list[tuple[int, str, str, int]] = []
    for st in sorted(starts, key=lambda x: x[0]):
        if cleaned and cleaned[-1][0] == st[0]:
            cleaned[-1] = st
        elif cleaned and cleaned[-1][1:3] == st[1:3]:
            continue
        else:
            cleaned.append(st)
    for i, (s, heading, kind, page) in enumerate(cleaned):
        e = cleaned[i + 1][0] if i + 1 < len(cleaned) else len(text)
        if sections and not text[s:e].strip():
            last = sections[-1]        # nothing but a separator: the previous section absorbs it
            sections[-1] = Section(last.heading, last.kind, last.char_start, e, last.page)
        elif e > s or (not text and i == 0):
            sections.append(Section(heading.strip()[:200], kind, s, e, page))
    return sections


# --------------------------------------------------------------------------
# Entry point


def _body_size(all_frags: Iterable[Frag]) -> float:
    counts: dict[float, int] = {}
    for f in all_frags:
        for w in f.words:
            counts[round(w.size, 1)] = counts.get(round(w.size, 1), 0) + len(w.text)
    return max(counts, key=counts.get) if counts else 10.0


def _find_title(blocks: Sequence[Block], body_size: float, hr: HeadingRules) -> Optional[Block]:
    """The largest text on page 1 (at least 2 points above body text), unless it is a
    section heading such as "Results"."""
    first = [b for b in blocks if b.page == 1 and b.kind in ("heading", "para") and b.lines
             and not _heading_kind(" ".join(l.text for l in b.lines), hr)
             and not hr.is_section_name(" ".join(l.text for l in b.lines))]
    if not first:
        return None
    top = max(b.size for b in first)
    if top < body_size + 2:
        return None
    return next(b for b in first if b.size == top)


def _within_budget(started: float, seconds: float, source_file: str) -> None:
    """A PDF that takes longer than the per-document budget is stopped between pages (E006):
    a thread cannot be interrupted inside pdfplumber, so the budget is checked cooperatively."""
    if time.monotonic() - started > seconds:
        raise IngestError(Errors.E006.format(path=source_file, seconds=seconds))


def pdf_to_document(path: Path, source_file: str, doc_id: str, settings: Settings, rules: RuleSet) -> Document:
    started = time.monotonic()
    params = replace(PARAMS, headings=HeadingRules.resolve(rules))
    strategy = settings.pdf_table_strategy if settings.pdf_table_strategy in ("lines", "text", "auto") else "auto"
    try:
        if not Path(path).read_bytes().strip():
            raise IngestError(Errors.E001.format(path=source_file))
    except OSError as exc:
        raise IngestError(Errors.E003.format(path=source_file, reason=_reason(exc))) from None
    pdf = open_pdf(Path(path), source_file)
    parsed: list = []
    pages: list = []
    try:
        try:
            if not pdf.pages:
                raise IngestError(Errors.E003.format(path=source_file, reason="no pages"))
            page_frags, unmapped = [], []
            parsed = _pages(pdf)
            for i, page in enumerate(parsed, start=1):
                _within_budget(started, settings.doc_timeout, source_file)
                page = readable_page(page)
                words = page_to_words(page, params)
                if cid_share(words) > 0.5:
                    unmapped.append(i)
                pages.append(page)
                page_frags.append(words_to_lines(words, i, params))
            if unmapped:
                raise IngestError(Errors.E030.format(path=source_file, pages=", ".join(map(str, unmapped))))
            page_sizes = [(float(p.width), float(p.height)) for p in pages]
            body_size = _body_size(f for frags in page_frags for f in frags)
            per_page: list[tuple[float, list[Frag]]] = []
            page_tables: list[list[RawTable]] = []
            doi = ""
            for i, (page, frags) in enumerate(zip(pages, page_frags), start=1):
                if i <= 2 and not doi:
                    m = DOI_RE.search(" ".join(f.text for f in frags))
                    doi = m.group(1).rstrip(".,;)").lower() if m else ""
                _within_budget(started, settings.doc_timeout, source_file)
                tables, frags = page_to_tables(page, frags, i, strategy, body_size, params) if frags else ([], frags)
                per_page.append((float(page.height), frags))
                page_tables.append(tables)
        except IngestError:
            raise
        except Exception as exc:  # damaged content streams surface while reading pages
            raise IngestError(Errors.E003.format(path=source_file, reason=_reason(exc))) from None
    finally:
        for page in parsed + pages:           # the parsed objects are not needed past this point
            page.close()
        pdf.close()
    if not any(f.words for _, frags in per_page for f in frags) and not any(page_tables):
        raise IngestError(Errors.E005.format(path=source_file))
    furniture = find_furniture(per_page, params)
    body_size = _body_size(f for _, frags in per_page for f in frags if id(f) not in furniture)
    blocks: list[Block] = []
    for i, ((_, frags), tables) in enumerate(zip(per_page, page_tables), start=1):
        content = [f for f in frags if id(f) not in furniture]
        regions = fragments_to_regions(content, params)
        blocks.extend(regions_to_blocks(regions, tables, i, body_size, params))
    blocks = join_continued(blocks)
    title_block = _find_title(blocks, body_size, params.headings)
    text, spans, boxes, tables_out, pages = blocks_to_text(blocks, page_sizes)
    # decimals decided over the whole text (a word alone cannot tell), then applied alike to the text and to every
    # table's caption and cells, so each cell still quotes the text; same length, so every offset holds
    style = decimal_style(text)
    text = with_points(text, style)
    tables_out = [replace(t, caption=with_points(t.caption, style),
                          cells=tuple(replace(c, text=with_points(c.text, style)) for c in t.cells)) for t in tables_out]
    sections = blocks_to_sections(blocks, spans, text, title_block, params.headings)
    title = ""
    if title_block is not None:
        i = blocks.index(title_block)
        title = text[spans[i][0]:spans[i][1]]
    return Document(
        doc_id=doc_id,
        source_file=source_file,
        kind="pdf",
        text=text,
        title=title,
        doi=doi,
        pages=tuple(pages),
        sections=tuple(sections),
        tables=tuple(tables_out),
        boxes=tuple(boxes),
    )
