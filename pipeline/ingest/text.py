"""Plain text (.txt, .md: saved web pages, converted articles) -> Document.

Stages, each a small pure function:
    raw_to_lines      normalize characters and whitespace
    join_wrapped_lines  a hard-wrapped text's lines back into paragraphs (PDF-to-text, e-mail)
    lines_to_blocks   paragraphs, table blocks ("Table N ..." + tab-separated rows)
    repair_blocks     re-join a paragraph split by a page break / footnote block
    blocks_to_text    the normalized text all offsets refer to, with block offsets
    blocks_to_sections, blocks_to_tables, find_title, find_doi
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Optional

from pipeline.model import RECORD_MAX_CHARS, Cell, Document, PageSpan, Section, Table
from pipeline.rules import RuleSet

_CHAR_MAP = {
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00ad": "",
    "\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl",
    "\u2010": "-", "\u2011": "-",
    # full-width punctuation of Chinese, Japanese and Korean text, and its range mark ("12.5～18.3")
    "\uff08": "(", "\uff09": ")", "\uff1a": ":", "\uff0c": ",", "\uff1b": ";", "\uff05": "%", "\uff1d": "=",
    "\uff5e": "-", "\u301c": "-",
    "\x00": "",      # a NUL never reaches text/, CSVs, reports or the store (text files count theirs: E015)
}
_CHAR_RE = re.compile("|".join(map(re.escape, _CHAR_MAP)))
_BULLET_RE = re.compile(r"^[ ]*(?:[•▪◦●]\s*)?")
TERMINAL = tuple(".!?:;)]\"”'")


# numbers as journals print them: the Lancet's decimal point "9·7" (also "9∙7"), the unicode
# minus "−0.4" and a dash in "6·1–13·4" keep their length, so offsets are unchanged
_DECIMAL_DOT = re.compile(r"(?<=\d)[\u00b7\u2219\u22c5](?=\d)")
_MINUS = re.compile(r"\u2212")


def normalize_chars(text: str) -> str:
    """The one character normalization of every input (text and PDF)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group(0)], text)
    text = _DECIMAL_DOT.sub(".", text)
    return journal_decimals(_MINUS.sub("-", text))


# decimals as some authors print them, decided per text (one such number alone could be a list or a sentence's end):
# a decimal comma, "58,8%", "9,2 months", "HR 1,04 (95% CI 0,69-1,57; p=0,85)", in a text that writes two or more
# numbers with a unit so and more of its decimals with a comma than with a point; a space after the decimal point,
# "52. 1% (25/48)", "(36. 4%)", two or more times. Same length, so offsets hold ("52. 1%" -> "52.1% ").
_COMMA_DECIMAL = re.compile(r"(?<=\d),(?=\d{1,2}(?!\d))|(?<=(?<![\d.,])0),(?=\d{3}(?!\d))")
_COMMA_WITH_UNIT = re.compile(r"\d,\d{1,2}(?!\d)\s*(?:%|months?\b|mo\b|weeks?\b|years?\b)")
_POINT_DECIMAL = re.compile(r"\d\.\d")
_SPACED_DECIMAL = re.compile(r"(?<![\d.])(\d{1,3})\. (\d{1,2})%")


class DecimalStyle(NamedTuple):
    """How a text writes its decimals, decided once over the whole text (one number alone cannot tell)."""
    comma: bool = False       # "58,8%", "HR 1,04"
    spaced: bool = False      # "52. 1%"


def decimal_style(text: str) -> DecimalStyle:
    """The text writes two or more numbers with a unit with a decimal comma and more decimals with a comma than with
    a point; or two or more percentages with a space after the decimal point."""
    return DecimalStyle(
        comma=len(_COMMA_WITH_UNIT.findall(text)) >= 2
        and len(_COMMA_DECIMAL.findall(text)) > len(_POINT_DECIMAL.findall(text)),
        spaced=len(_SPACED_DECIMAL.findall(text)) >= 2)


def with_points(text: str, style: DecimalStyle) -> str:
    """`text` (the whole text or one of its table cells) with its decimals as points, in the text's style; same
    length."""
    if style.comma:
        text = _COMMA_DECIMAL.sub(".", text)
    if style.spaced:
        text = _SPACED_DECIMAL.sub(r"\1.\2% ", text)
    return text


def journal_decimals(text: str) -> str:
    """Decimal commas and spaced decimal points as points, where the text writes its numbers so."""
    return with_points(text, decimal_style(text))


_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")


def md_heading_text(line: str) -> str:
    """'## 2. Results ##' -> '2. Results' (Markdown ATX heading markers off)."""
    return _MD_HEADING.sub("", line.strip()).rstrip("#").strip()


_NUMBER_MARK = r"\d{1,2}[.)]|\([a-z0-9]\)"          # "2. ...", "(a) ..."
_LIST_ITEM = re.compile(rf"^\s*(?:[•▪◦●*-]|{_NUMBER_MARK})\s")


def _captioned_rows(lines: list[str], captions: list) -> dict[int, str]:
    """A table laid out with spaces right under its "Table N" caption, as labels and PDF-to-text
    conversions print it (an indented header naming the arms over an empty first column, rows of
    one label and one or two values, group headings of one cell): the lines up to the next blank
    line, when at least two of them have two or more cells parted by two or more spaces. Returns the
    rows as tab-separated lines ("\tSacituzumab govitecan\tTreatment of Physician's Choice"; a group
    heading "Overall Survival\t")."""
    out: dict[int, str] = {}
    for k, line in enumerate(lines):
        if not line.strip() or not any(r.match(line.strip()) for r in captions) or "\t" in line or "|" in line:
            continue
        j = k + 1
        if j < len(lines) and not lines[j].strip():
            j += 1
        run = []
        while j < len(lines) and lines[j].strip() and "\t" not in lines[j] and "|" not in lines[j]:
            run.append(j)
            j += 1
        rows = {i: _space_cells(lines[i]) for i in run}
        if sum(len(c) >= 2 for c in rows.values()) >= 2 and len(run) >= 2:
            for i, cells in rows.items():
                out[i] = "\t".join(cells) if len(cells) >= 2 else cells[0] + "\t"
    return out


def _space_cells(line: str) -> list[str]:
    """A space-aligned row's cells; a line indented by eight or more spaces starts with an empty cell."""
    body = line.rstrip()
    cells = _CELL_GAP.split(body.strip())
    return ([""] if len(body) - len(body.lstrip(" ")) >= 8 else []) + [c.strip() for c in cells]


def raw_to_lines(text: str, captions: list = ()) -> tuple[list[str], set[int]]:
    """Characters normalized; leading spaces and bullets, trailing blanks removed
    (leading tabs are kept: they are empty first table cells). Markdown pipe-table
    rows ("| ToGA | 47% |") become tab-separated rows like the other text tables, and
    their rule lines ("|---|---|") are dropped. Also returns the indices of the lines that
    start a list item ("• ...", "- ...", "2. ...", "(a) ...")."""
    out = []
    items: set[int] = set()
    lines = normalize_chars(text).split("\n")
    bare = _bare_pipe_rows(lines)
    spaced = _space_aligned_rows(lines)
    captioned = _captioned_rows(lines, captions)
    for k, line in enumerate(lines):
        line = line.rstrip()
        if k in captioned and k not in bare and k not in spaced:
            out.append(captioned[k])
            continue
        if k in bare:
            out.append("\t".join(c.strip() for c in line.split("|")))
            continue
        if k in spaced:
            out.append("\t".join(c.strip() for c in _CELL_GAP.split(line.strip())))
            continue
        if _PIPE_ROW.match(line) or (_PIPE_RULE.match(line) and "|" in line):
            if _PIPE_RULE.match(line):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            out.append("\t".join(cells))
            continue
        if _LIST_ITEM.match(line):
            items.add(len(out))
        if line.startswith(" ") or line.lstrip(" ").startswith(("•", "▪", "◦", "●")):
            line = _BULLET_RE.sub("", line, count=1)
        out.append(line)
    return out, items


def _bare_pipe_rows(lines: list[str]) -> set[int]:
    """Lines of a table written without outer pipes ("Trial | Phase | n | ORR"): two or more
    consecutive lines with the same number (three or more) of " | "-separated cells. A row ending in
    " |" has an empty last cell ("Hazard ratio (95% CI) | 0.36 (0.28, 0.46) |": none for the control arm)."""
    return _table_runs([line.count(" | ") + 1 + line.rstrip().endswith(" |") if " | " in line and not _PIPE_ROW.match(line)
                        else 0 for line in lines])


def _table_runs(counts: list[int]) -> set[int]:
    """Indices of runs of two or more consecutive lines with the same cell count, three or more."""
    rows: set[int] = set()
    k = 0
    while k < len(counts):
        j = k
        while j < len(counts) and counts[j] >= 3 and counts[j] == counts[k]:
            j += 1
        if j - k >= 2:
            rows.update(range(k, j))
        k = max(j, k + 1)
    return rows


# two or more spaces between a table's cells, as a PDF-to-text conversion lays out a table
_CELL_GAP = re.compile(r"(?<=\S) {2,}(?=\S)")


def _space_aligned_rows(lines: list[str]) -> set[int]:
    """Lines of a table laid out with spaces ("Median PFS, months      8.8 (7.0-9.8)      6.6"): two or
    more consecutive lines with the same number (three or more) of cells parted by two or more
    spaces, not prose (a row has at most 12 words per cell on average)."""
    def cells(line: str) -> int:
        if "\t" in line or "|" in line:
            return 0
        parts = _CELL_GAP.split(line.strip())
        return len(parts) if len(parts) >= 3 and len(line.split()) <= 12 * len(parts) else 0
    return _table_runs([cells(line) for line in lines])


# --------------------------------------------------------------------------
# Hard-wrapped text (a PDF-to-text conversion, an e-mail, a terminal copy): every paragraph is
# broken into lines of about the same width, often with a word hyphenated at a line end.

HYPHEN_PREFIXES = frozenset({
    "anti", "non", "self", "post", "pre", "co", "multi", "semi", "inter", "intra", "well",
    "low", "high", "first", "second", "third", "open", "double", "single", "long", "short",
    "dose", "time", "treatment", "drug", "placebo", "end", "half", "full", "all",
})
_SENTENCE_END = tuple(".!?:;")


def word_vocabulary(words: Iterable[str]) -> tuple[set[str], set[str]]:
    """The document's words printed whole, and those printed with a hyphen inside (lower case)."""
    plain, hyphenated = set(), set()
    for w in words:
        for tok in re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", w):
            (hyphenated if "-" in tok else plain).add(tok.lower())
    return plain, hyphenated


def join_hyphenated(before: str, after: str, plain: set[str], hyphenated: set[str]) -> bool:
    """True when the line-end hyphen of `before` is a soft break to drop: the next line starts in
    lower case and either the document prints the joined word, or the first part is a plain word,
    the document does not print the hyphenated compound and the part is no hyphen-typical prefix.
    ("treat-"+"ment" -> "treatment"; "HER2-"+"positive", "anti-"+"HER2", "T-"+"DXd" keep it)."""
    m = re.search(r"([A-Za-z]+)-$", before)
    n = re.match(r"([A-Za-z]+)", after)
    if not m or not n:
        return False
    x, y = m.group(1), n.group(1)
    if not y[0].islower():
        return False                          # "anti-"+"HER2", "T-"+"DXd"
    joined, compound = (x + y).lower(), f"{x}-{y}".lower()
    if joined in plain:
        return True                           # the document prints the word unbroken
    if not re.fullmatch(r"[A-Z]?[a-z]+", x):
        return False                          # "HER2-", "CD-" ...
    if compound in hyphenated or x.lower() in HYPHEN_PREFIXES:
        return False                          # a real compound or a hyphen-typical prefix
    return True


def _is_prose_line(line: str) -> bool:
    return bool(line) and "\t" not in line and len(line.split()) >= 5


def wrap_width(lines: list[str]) -> int:
    """The width a hard-wrapped text was wrapped at (the 90th percentile of its prose lines'
    lengths), or 0 for a text whose paragraphs are one line each. Hard-wrapped: at least six prose
    lines, and at least three, and a quarter, of them stop mid-sentence with the next line going on
    in lower case ("...median PFS was 5.8 months" / "in the margetuximab group...")."""
    prose = [k for k, line in enumerate(lines) if _is_prose_line(line)]
    if len(prose) < 6:
        return 0
    breaks = sum(1 for k in prose if not lines[k].endswith(TERMINAL)
                 and k + 1 < len(lines) and lines[k + 1][:1].islower())
    if breaks < 3 or breaks < 0.25 * len(prose):
        return 0
    lengths = sorted(len(lines[k]) for k in prose)
    return lengths[int(0.9 * (len(lengths) - 1))]


def _heading_like(line: str, full: float) -> bool:
    return len(line) < full and not line.endswith(TERMINAL)


def _wraps_into(prev: str, line: str, full: float, captions: list) -> bool:
    """`line` goes on the paragraph whose last line is `prev`: both text (no table row, list item
    or caption), `prev` filled to about the wrap width, and `line` no heading after a sentence end."""
    if not prev or not line or "\t" in prev or "\t" in line or len(prev) < full:
        return False
    if any(r.match(line) for r in captions):
        return False
    return not (prev.endswith(_SENTENCE_END) and _heading_like(line, full))


def join_wrapped_lines(lines: list[str], items: set[int], captions: list) -> tuple[list[str], set[int]]:
    """A hard-wrapped text's lines joined back into one line per paragraph (with a space, or
    without the line-end hyphen where `join_hyphenated` says it is a soft break). Lines in `items`
    start a list item and are never joined to the line before. Texts not hard-wrapped are returned
    unchanged. Also returns the indices of the joined lines that start a list item."""
    width = wrap_width(lines)
    if not width:
        return lines, set(items)
    full = 0.6 * width
    plain, hyphenated = word_vocabulary(lines)
    out: list[str] = []
    out_items: set[int] = set()
    last = ""                                   # the last physical line of out[-1]
    for k, line in enumerate(lines):
        if out and k not in items and _wraps_into(last, line, full, captions):
            if last.endswith("-"):
                out[-1] = (out[-1][:-1] if join_hyphenated(last, line, plain, hyphenated) else out[-1]) + line
            else:
                out[-1] = out[-1] + " " + line
        else:
            if k in items:
                out_items.add(len(out))
            out.append(line)
        last = line
    return out, out_items


@dataclass
class Block:
    lines: list[str]
    kind: str = "para"              # "para" | "table"
    table_no: int = 0               # tables: the number in the caption
    continued: bool = False
    item: bool = False              # a bulleted list item's line in the source ("• ...", "- ...")
    start: int = 0                  # offsets into the normalized text (set later)
    end: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_NUMBERED_ITEM = re.compile(rf"\s*(?:{_NUMBER_MARK})\s")


def lines_to_blocks(lines: list[str], rules: RuleSet, items: frozenset[int] | set[int] = frozenset()) -> list[Block]:
    caption_re = [r.regex for r in rules.patterns("sections", "table_caption")]
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = next((r.match(line.strip()) for r in caption_re if r.match(line.strip())), None)
        if m and "\t" not in line:
            # look ahead for tab-separated rows after optional blank lines
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            if j < n and "\t" in lines[j]:
                rows = []
                while j < n and "\t" in lines[j]:
                    rows.append(lines[j])
                    j += 1
                blocks.append(Block([line.strip()], "caption", int(m.group(1)), bool(m.group(2))))
                blocks.append(Block(rows, "table", int(m.group(1)), bool(m.group(2))))
                i = j
                continue
        if _table_row(line) and i + 1 < n and _table_row(lines[i + 1]):
            # rows of a table printed without a "Table N" caption (a registry's results, a slide, a poster,
            # an HTA report): two or more rows of three or more cells; table number 0, no caption
            rows = []
            while i < n and "\t" in lines[i]:
                rows.append(lines[i])
                i += 1
            blocks.append(Block(rows, "table"))
            continue
        # (a bulleted line, not a numbered one: "1. XZ-M07B2 (HER2/TOP1 bispecific ADC)" is a numbered heading)
        blocks.append(Block([line], item=i in items and not _NUMBERED_ITEM.match(line)))
        i += 1
    return blocks


def _table_row(line: str) -> bool:
    """A tab-separated line of three or more cells (two cells are a glossary's or a label's line)."""
    return line.count("\t") >= 2


_FUNCTION_WORDS = frozenset("the of and in with was were to for a an is are that than by from".split())


def _reads_as_sentences(t: str) -> bool:
    """Running prose, not an author list, affiliation or dateline: long enough (15 words: a one-sentence
    lede or objective), ending like a sentence, with the function words sentences have, and most of
    its words in lower case (an affiliation's names are capitalised)."""
    words = t.split()
    return len(words) >= 15 and t.rstrip().endswith((".", ")", ":")) \
        and sum(w.lower() in _FUNCTION_WORDS for w in words) >= 4 \
        and sum(w[0].islower() for w in words) * 2 >= len(words)


def _is_prose(b: Block) -> bool:
    return b.kind == "para" and len(b.text.split()) >= 8 and "\t" not in b.text


_CONTINUATION = re.compile(r"(?!doi\b|https?\b|www\b)[a-z][a-z-]*[ ,;.:)]")


def repair_blocks(blocks: list[Block], window: int = 14) -> list[Block]:
    """A paragraph that stops mid-sentence and is continued, after a few
    interrupting blocks (page furniture, footnotes, affiliations), by a block
    starting in lower case is joined to it; the interrupting blocks follow."""
    out = list(blocks)
    i = 0
    while i < len(out):
        b = out[i]
        t = b.text.rstrip()
        if _is_prose(b) and not t.endswith(TERMINAL):
            for j in range(i + 1, min(i + 1 + window, len(out))):
                c = out[j]
                if c.kind != "para":
                    break
                if _CONTINUATION.match(c.text.lstrip()) and len(c.text.split()) >= 3:
                    merged = Block([t + " " + c.text.strip()])
                    out = out[:i] + [merged] + out[i + 1:j] + out[j + 1:]
                    break
                if _is_prose(c) and c.text.rstrip().endswith(".") and len(c.text.split()) > 40:
                    break   # a full paragraph in between: not an interruption
            else:
                pass
        i += 1
    return out


def blocks_to_text(blocks: list[Block]) -> str:
    parts = []
    pos = 0
    for b in blocks:
        t = b.text
        b.start, b.end = pos, pos + len(t)
        parts.append(t)
        pos += len(t) + 2
    return "\n\n".join(parts)


def _match_any(rules: list, text: str):
    for r in rules:
        if r.regex.search(text):
            return r
    return None


def _is_name_list(t: str) -> bool:
    """An author or affiliation list ("Zhu K, Yang X, Tai H, Liu Y"): many short comma-separated
    parts. A trial's title has many commas too, between longer parts ("...: 4-year results of a
    randomised, open-label, phase 3 trial")."""
    return t.count(",") > 3 and len(t) / (t.count(",") + 1) < 20


def title_field(b: Block, rules: RuleSet) -> str:
    """The title a registry record's labelled line gives ("Official Title: A Phase 2 Study of ..."), or ""."""
    t = b.text.strip()
    if "\n" in t:
        return ""
    for r in rules.patterns("sections", "title_field"):
        m = r.regex.search(t)
        if m:
            return m.group("title").strip()
    return ""


def find_title(blocks: list[Block], rules: RuleSet, head: int = 60) -> Optional[Block]:
    not_title = rules.patterns("sections", "not_title")
    chrome = rules.patterns("sections", "chrome")
    prefix = rules.patterns("sections", "title_prefix")
    heading_rules = rules.patterns("sections", "heading")
    first_heading = next((i for i, b in enumerate(blocks[:head])
                          if b.kind == "para" and _match_any(heading_rules, md_heading_text(b.text))), head)
    if blocks and blocks[-1].end <= RECORD_MAX_CHARS:
        # a registry record's "Brief Title: ...", among its first lines
        field = next((b for b in blocks[:min(first_heading, 8)] if b.kind == "para" and title_field(b, rules)), None)
        if field is not None:
            return field
    cands = []
    for b in blocks[:first_heading]:
        if b.kind != "para":
            continue
        t = b.text.strip()
        words = t.split()
        if not (4 <= len(words) <= 40 and 20 <= len(t) <= 300) or t.endswith("."):
            continue
        if _match_any(not_title, t) or _match_any(chrome, t) or "\t" in t or _is_name_list(t):
            continue
        cands.append(b)
    if blocks and blocks[0].kind == "para" and (not cands or cands[0] is not blocks[0]):
        # a PubMed record opens with its title, printed as one sentence with a full stop
        t = blocks[0].text.strip()
        if 4 <= len(t.split()) <= 60 and 20 <= len(t) <= 400 and "\n" not in t and t.endswith(".") \
                and len(re.findall(r"[.!?]\s+[A-Z]", t[:-1])) <= 1 and not _match_any(chrome, t) and not _match_any(not_title, t):
            cands.insert(0, blocks[0])
    if not cands:
        return None
    all_lines = [x.text.strip().lower() for x in blocks[:head] if x.kind == "para"]
    for b in cands:
        low = b.text.strip().lower()
        if sum(1 for x in all_lines if x == low or x.endswith(low)) >= 2:
            # prefer the copy without a label prefix ("ARTICLE TITLE ...")
            if _match_any(prefix, b.text.strip()):
                continue
            return b
    return cands[0]


_DOI_RE = re.compile(r"\bdoi:?\s*(10\.\d{4,9}/[^\s\]]+)", re.IGNORECASE)


def find_doi(blocks: list[Block], kinds: list[str], head_chars: int = 5000) -> str:
    for b, k in zip(blocks, kinds):
        if b.start > head_chars:
            break
        if k in ("references",):
            continue
        m = _DOI_RE.search(b.text)
        if m:
            return m.group(1).rstrip(".,;").lower()
    return ""


def _looks_like_heading(b: Block, nxt: Optional[Block]) -> bool:
    t = b.text.strip()
    if b.kind != "para" or "\t" in t or not t or len(t) > 120 or b.item:
        return False     # (a list item is a statement: a slide's "• Approved by the NMPA for 2L BTC in May 2025")
    words = t.split()
    if len(words) > 14 or t.endswith((".", ",", ";")) or not (t[0].isupper() or t[0].isdigit()):
        return False
    return nxt is not None and nxt.kind in ("para",) and len(nxt.text.split()) >= 12


def blocks_to_kinds(blocks: list[Block], rules: RuleSet, title: Optional[Block]) -> tuple[list[str], list[bool]]:
    """Section kind of every block and whether the block opens a section.

    Front matter (before an abstract or a known heading) is not content. A text with
    neither ("Lung cancer" and its paragraphs right under the title) would then have
    no content at all: it is read again taking its own heading-like lines as body headings."""
    if title is not None and blocks and blocks[-1].end <= RECORD_MAX_CHARS and title_field(title, rules):
        # a registry record: one study's fields and results, read whole like an abstract
        kinds = ["title" if b is title else "table" if b.kind in ("caption", "table") else "abstract" for b in blocks]
        opens = [True] + [b is title or kinds[i - 1] == "title" or b.kind == "caption" for i, b in enumerate(blocks) if i]
        return kinds, opens
    at = _record_title_at(blocks, title, rules)
    if at is not None and _is_bare_record(blocks[at:], rules):
        # a bare record (a PubMed title + abstract): everything after the title is the abstract; the
        # format labels above its title ("Poster 1962P") are not content
        kinds = ["back_matter"] * at + ["title"] + ["table" if b.kind in ("caption", "table") else "abstract"
                                                    for b in blocks[at + 1:]]
        opens = [i in (0, at, at + 1) or (i > at + 1 and b.kind == "caption") for i, b in enumerate(blocks)]
        return kinds, opens
    kinds, opens = _blocks_to_kinds(blocks, rules, title, False)
    if not any(k in ("abstract", "body") for k in kinds) and any(_is_prose(b) for b in blocks):
        kinds, opens = _blocks_to_kinds(blocks, rules, title, True)
    return kinds, opens


def _record_title_at(blocks: list[Block], title: Optional[Block], rules: RuleSet) -> Optional[int]:
    """Where a record's title is: the first block, or the first after short format labels a
    poster's or meeting handout's export puts above it (rules/sections.yaml not_title: "Poster
    1962P", "POSTER 412 | Developmental Therapeutics"); None when other text comes first."""
    if title is None or not blocks:
        return None
    at = next((i for i, b in enumerate(blocks) if b is title), None)
    not_title = rules.patterns("sections", "not_title")
    if at is None or any(b.kind != "para" or "\n" in b.text.strip() or len(b.text) > 80
                         or not _match_any(not_title, b.text.strip()) for b in blocks[:at]):
        return None
    return at


def _is_bare_record(blocks: list[Block], rules: RuleSet) -> bool:
    """A short text of prose paragraphs with no heading, chrome or reference list anywhere."""
    if not blocks or blocks[-1].end > RECORD_MAX_CHARS:
        return False
    known = rules.patterns("sections", "heading") + rules.patterns("sections", "chrome")
    subheads = rules.patterns("sections", "abstract_subhead")
    paras = [b for b in blocks[1:] if b.kind == "para"]
    # a structured abstract's sub-headings on lines of their own ("PURPOSE", "Results") are part of it;
    # with two or more of them, its other short heading lines ("Regulatory status") are sub-headings too
    n_subheads = sum(1 for b in paras if _match_any(subheads, subhead_key(b.text)))
    paras = [b for b in paras if not _match_any(subheads, subhead_key(b.text))]
    # ... and its bullet points without a full stop are statements, not headings: a line with a
    # result ("DCR: 91.2%") or of more than ten words (tuning: posters mu4906 of set 13, mu2502 of set 7)
    return not any(_match_any(known, md_heading_text(b.text.strip())) or (_looks_like_heading(b, nxt) and (
                       n_subheads < 2 or (len(b.text.split()) > 4 and not _statement(b.text))))
                   for b, nxt in zip(paras, paras[1:] + [None]))


_RESULT_NUMBER = re.compile(r"\d\s?%|\d[.·]\d")


def _statement(line: str) -> bool:
    """A line too long, or with a result in it, for a sub-heading of a structured abstract."""
    return len(line.split()) > 10 or bool(_RESULT_NUMBER.search(line))


def subhead_key(line: str) -> str:
    """A heading line as the sections rules read it: lower case, without leading numbering and
    trailing ":." (shared with PDF layout)."""
    return re.sub(r"^\d{1,2}(\.\d{1,2})*\.?\s+", "", line.strip().lower().replace("’", "'")).rstrip(":. ")


def _figure_first(kinds: list[str]) -> bool:
    """The text so far is only a title and figure legends or tables: a figure or table saved on its
    own (a timeline, a plot's annotations, a table with its notes), whose other blocks are content."""
    return all(k in ("title", "figure_legend", "table") for k in kinds) and kinds[-1] in ("figure_legend", "table")


def _blocks_to_kinds(blocks: list[Block], rules: RuleSet, title: Optional[Block],
                     plain_headings: bool) -> tuple[list[str], list[bool]]:
    heading_rules = rules.patterns("sections", "heading")
    chrome_rules = rules.patterns("sections", "chrome")
    legend_rules = rules.patterns("sections", "legend")
    aside_rules = rules.patterns("sections", "aside")
    salutations = rules.patterns("sections", "salutation")
    numbered = rules.patterns("sections", "numbered_heading")
    subheads = rules.patterns("sections", "abstract_subhead")
    kinds: list[str] = []
    opens: list[bool] = []
    current = "back_matter"     # front matter before the first heading
    front_heading = False
    seen_abstract = False
    seen_body = False
    legend_label_pending = False
    for i, b in enumerate(blocks):
        t = b.text.strip()
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.kind in ("caption", "table"):
            kinds.append("table")
            opens.append(b.kind == "caption")
            if current == "back_matter" and _figure_first(kinds):
                current, seen_body = "body", True     # a table saved first: its notes are content
            continue
        if b is title:
            kinds.append("title")
            opens.append(True)
            current = "back_matter" if not seen_body else current
            continue
        if _match_any(chrome_rules, t):
            kinds.append("chrome")
            opens.append(True)
            continue
        if _match_any(aside_rules, t):       # footnotes, correspondence: do not change the current section
            kinds.append("back_matter")
            opens.append(True)
            continue
        md = b.kind == "para" and _MD_HEADING.match(t) is not None and "\n" not in t
        if md:
            t = md_heading_text(t)
        r = _match_any(heading_rules, t)
        if r is None and md and t:
            # any other Markdown heading opens a body section, front matter or not
            current = "body"
            seen_body = True
            kinds.append(current)
            opens.append(True)
            continue
        if r is not None:
            current = r.value
            seen_abstract |= current == "abstract"
            kinds.append(current)
            opens.append(True)
            if current == "keywords":      # keywords are one block
                current = "abstract" if seen_abstract and not seen_body else current
            continue
        if _match_any(legend_rules, t):
            # a legend is its own block (a bare label like "Fig. 1:" carries on into the next block);
            # the text after it returns to the section it interrupted
            kinds.append("figure_legend")
            opens.append(True)
            if len(t.split()) <= 4:
                legend_label_pending = True
            elif current == "back_matter" and _figure_first(kinds):
                # a figure saved with its legend first (a timeline, a plot's annotations): what follows
                # the legend is the figure's content, not front matter
                current, seen_body = "body", True
            continue
        if legend_label_pending:
            legend_label_pending = False
            if b.kind == "para" and not _looks_like_heading(b, nxt):
                kinds.append("figure_legend")
                opens.append(False)
                continue
        if current in ("references", "abbreviations"):
            kinds.append(current)
            opens.append(False)
            continue
        # (a short line with a result is a statement, not a heading: a slide's or poster's bullet "• Median PFS 12.4
        # vs 8.1 months", "• IHC 3+ subgroup: ORR 60.3%"; made-up set 13 mu4910, mu4914) inside content; in front
        # matter it opens the content (set 6 mu2208)
        if _match_any(numbered, t) or (current != "back_matter" or seen_abstract or plain_headings) \
                and _looks_like_heading(b, nxt) and not (current != "back_matter" and _RESULT_NUMBER.search(t)
                                                         and not _match_any(heading_rules, t)):
            current = "body"
            seen_body = True
            kinds.append(current)
            opens.append(True)
            continue
        run_in = re.match(r"^([A-Z][A-Za-z' ]{2,40}):", t)
        if current == "back_matter" and not seen_abstract and _is_prose(b) \
                and (len(t.split()) >= 60 or (not front_heading and _reads_as_sentences(t))) \
                and (not run_in or _match_any(subheads, subhead_key(run_in.group(1)))
                     or _match_any(salutations, subhead_key(run_in.group(1)))):
            # ("Objective: To summarise ...": a structured abstract's run-in sub-heading; "Keywords:",
            # "Correspondence:" are no abstract)
            # an abstract printed without its heading (e.g. a web page's summary box, a news story's lede,
            # a review passage saved without its headings)
            current = "abstract"
            seen_abstract = True
            kinds.append(current)
            opens.append(True)
            continue
        if current == "keywords":
            current = "abstract" if not seen_body else "body"
        if current == "back_matter" and _looks_like_heading(b, nxt) and not re.search(r"\d", t):
            front_heading = True     # a heading the rules do not know (not a dated dateline): what follows is no lede
        kinds.append(current)
        opens.append(False)
    return kinds, opens


def blocks_to_sections(blocks: list[Block], kinds: list[str], opens: list[bool], text_len: int) -> list[Section]:
    sections: list[Section] = []
    cur: Optional[tuple[str, str, int]] = None
    for b, k, o in zip(blocks, kinds, opens):
        if cur is None or o or k != cur[1]:
            if cur is not None:
                sections.append(Section(cur[0], cur[1], cur[2], b.start))
            heading = md_heading_text(b.text.strip().split("\n")[0])[:200] if o else (sections[-1].heading if sections and sections[-1].kind == k else "")
            if o and k in ("abstract", "body") and _is_prose(b) and b.text.rstrip().endswith((".", ")")):
                heading = ""    # a section opened by its first paragraph (an abstract printed without heading)
            cur = (heading, k, b.start)
    if cur is not None:
        sections.append(Section(cur[0], cur[1], cur[2], text_len))
    return sections


def blocks_to_tables(blocks: list[Block]) -> list[Table]:
    """Tab-separated blocks under a "Table N" caption; "(continued)" blocks join their parent."""
    tables: dict[int, dict] = {}
    order: list[int] = []
    caption: Optional[Block] = None
    for b in blocks:
        if b.kind == "caption":
            caption = b
            continue
        if b.kind != "table":
            continue
        if not b.table_no:      # a table without a caption (lines_to_blocks): nothing before it names it
            caption = None
        no = b.table_no
        if no not in tables or not b.continued:
            if no in tables and not b.continued:
                no = max(tables) + 1000 + len(order)   # a second, distinct "Table N": keep both
            tables[no] = {"caption": caption.text.strip() if caption else f"Table {no}" if b.table_no else "", "rows": [],
                          "start": caption.start if caption else b.start, "end": b.end, "headers": []}
            order.append(no)
        t = tables[no]
        t["headers"].append(len(t["rows"]))
        t["end"] = b.end
        pos = b.start
        for line in b.lines:
            cells = []
            cpos = pos
            for cell in line.split("\t"):
                lead = len(cell) - len(cell.lstrip())
                stripped = cell.strip()
                cs = cpos + lead
                cells.append((stripped, cs, cs + len(stripped)))
                cpos += len(cell) + 1
            t["rows"].append(cells)
            pos += len(line) + 1
    out = []
    for k, no in enumerate(order, start=1):
        t = tables[no]
        n_cols = max(len(r) for r in t["rows"])
        cells = tuple(
            Cell(ri, ci, s, (a if s else None), (e if s else None))
            for ri, row in enumerate(t["rows"]) for ci, (s, a, e) in enumerate(row)
        )
        out.append(Table(f"T{k}", t["caption"], 1, len(t["rows"]), n_cols, cells, t["start"], t["end"],
                         header_rows=tuple(t["headers"])))
    return out


def text_to_document(raw: str, source_file: str, doc_id: str, rules: RuleSet) -> Document:
    captions = [r.regex for r in rules.patterns("sections", "table_caption")]
    lines, items = raw_to_lines(raw, captions)
    lines, items = join_wrapped_lines(lines, items, captions)
    blocks = repair_blocks(lines_to_blocks(lines, rules, items))
    text = blocks_to_text(blocks)
    title = find_title(blocks, rules)
    kinds, opens = blocks_to_kinds(blocks, rules, title)
    sections = blocks_to_sections(blocks, kinds, opens, len(text))
    tables = blocks_to_tables(blocks)
    title_text = (title_field(title, rules) or md_heading_text(title.text)) if title else ""
    for r in rules.patterns("sections", "title_prefix"):
        title_text = r.regex.sub("", title_text)
    return Document(
        doc_id=doc_id,
        source_file=source_file,
        kind="text",
        text=text,
        title=title_text,
        doi=find_doi(blocks, kinds),
        pages=(PageSpan(1, 0, len(text)),),
        sections=tuple(sections),
        tables=tuple(tables),
    )
