"""Document-level outputs under the output root: text/<doc_id>.txt,
documents.csv, entities.csv, tables/*.csv, mentions/*.csv. Every file is written
atomically (temporary file in the same folder, then rename); run.py stages a
run's files with them and publishes them together."""
from __future__ import annotations

import bisect
import csv
import io
import itertools
import logging
import os
import re
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

from pipeline.model import (MENTION_COLUMNS, PROVENANCE_COLUMNS, DocHead, DocResult, Mention, mention_id, mention_to_row,
                            result_head)
from pipeline.schema import (
    CELL_CAP,
    ENTITY_COLUMNS,
    MENTION_FILES,
    TABLE_COLUMNS,
    TRUNCATION_MARK,
)

log = logging.getLogger("pipeline.outputs")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A temporary file beside `path` to write to; on success it becomes `path` (rename, so a
    reader never sees a half-written file), on failure it is removed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o644)            # mkstemp makes 0600; outputs are for every reader
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_lines(path, (text,))


def atomic_write_lines(path: Path, lines: Iterable[str]) -> None:
    """The text "\\n".join(lines), written one line (or part) at a time: never held in memory whole."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        for i, line in enumerate(lines):
            if i:
                fh.write("\n")
            fh.write(line)


def safe_cell(value: object) -> tuple[str, bool]:
    """(the cell as spreadsheet-safe text, was it truncated?). A text starting with
    = + - @ tab or CR gets a leading ' (OWASP CSV-injection rule) unless it is a
    number (-0.5 stays -0.5) or a lone '-' (a table's "no value"); a text longer than CELL_CAP is cut and ends with
    TRUNCATION_MARK. The one rule every CSV and Excel writer applies."""
    if type(value) is str and len(value) <= CELL_CAP and not value.startswith(FORMULA_START):
        return value, False      # most cells: as they are (this runs for every cell of every document)
    if type(value) is int:       # (not bool) digits or a negative number: no formula, never cut
        return str(value), False
    s = "" if value is None else str(value)
    cut = len(s) > CELL_CAP
    if cut:
        s = s[:CELL_CAP - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    if s.startswith(FORMULA_START) and not _NUMBER.match(s) and s != "-":     # a lone '-' (no value) is no formula
        s = "'" + s
    return s, cut


def unsafe_cell(text: str) -> str:
    """Inverse of safe_cell's neutralising quote (readers that need the text as extracted)."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r" else text


def _safe_rows(header: Sequence[str], rows: Iterable[dict], where: str) -> Iterator[list[str]]:
    cut = 0
    for r in rows:
        out = []
        for k in header:
            text, was_cut = safe_cell(r.get(k))
            cut += was_cut
            out.append(text)
        yield out
    if cut:
        log.warning("%s: %d cell(s) longer than %d characters were cut (they end with %r)", where, cut, CELL_CAP,
                    TRUNCATION_MARK.strip())


def csv_text(header: Sequence[str], rows: Iterable[dict], where: str = "CSV", with_header: bool = True) -> str:
    """The CSV text of `rows` (dicts) under `header`: the one CSV writer of the project
    (UTF-8, LF, minimal quoting, cells made safe by safe_cell). `with_header=False`: the rows
    only (a part of a file that atomic_write_csv_parts puts together)."""
    return cells_text(itertools.chain([list(header)] if with_header else [], _safe_rows(header, rows, where)))


def cells_text(rows: Iterable[Sequence[str]], quote_all: bool = False) -> str:
    """CSV text of rows of cells already made safe (csv_text's writer; csv.reader gives them back);
    `quote_all`: every row quoted as a row holding a CR is (for part of such a row)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    # the csv module leaves a lone CR unquoted (only the line terminator's characters count): such rows are quoted
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for cells in rows:
        (quoted if quote_all or "\r" in "".join(cells) else w).writerow(cells)
    return buf.getvalue()


def atomic_write_csv(path: Path, header: Sequence[str], rows: Iterable[dict]) -> None:
    atomic_write_text(path, csv_text(header, rows, str(path)))


def atomic_write_csv_parts(path: Path, header: Sequence[str], parts: Iterable[str]) -> None:
    """A CSV file from its header and parts (csv_text(..., with_header=False)), written one part at
    a time: a run-wide file of any size is never held in memory whole."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(header, (), str(path)))
        for part in parts:
            fh.write(part)


def _xlsx_cell(ref: str, value: object) -> str:
    if isinstance(value, bool):
        value = str(value).lower()
    if isinstance(value, (int, float)) and value == value:
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text, _cut = safe_cell(value)
    if not text:
        return ""
    text = escape(_XML_BAD.sub("", text))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _col_ref(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def atomic_write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Sequence[dict]]]) -> None:
    """An Excel workbook, one sheet per (name, header, rows): numbers (int/float) as numbers,
    everything else as text cells (so ids such as 0812807218428112 and partial dates such as
    2010-01 stay as written), every text cell made safe by safe_cell. Written with the
    standard library (Office Open XML, inline strings)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1)) + "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        "<sheets>" + "".join(f'<sheet name="{escape(n[:31])}" sheetId="{i}" r:id="rId{i}"/>'
                             for i, (n, _h, _r) in enumerate(sheets, 1)) + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">' + "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            f'worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1)) + "</Relationships>",
    }
    for i, (_name, header, rows) in enumerate(sheets, 1):
        body = []
        for r, values in enumerate([list(header)] + [[row.get(k) for k in header] for row in rows], 1):
            cells = "".join(_xlsx_cell(f"{_col_ref(c)}{r}", v) for c, v in enumerate(values))
            body.append(f'<row r="{r}">{cells}</row>')
        parts[f"xl/worksheets/sheet{i}.xml"] = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                                                'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                                                + "".join(body) + "</sheetData></worksheet>")
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            info = zipfile.ZipInfo(name, (2000, 1, 1, 0, 0, 0))        # fixed time: same facts, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, xml)


def document_row(r: DocResult | DocHead) -> dict:
    h = r if isinstance(r, DocHead) else result_head(r)
    d, ok = h.result.doc, h.result.doc.status == "ok"
    return {
        "doc_id": d.doc_id, "source_file": d.source_file, "sha256": d.sha256, "kind": d.kind,
        "pages": h.n_pages if ok else "", "title": d.title,
        "n_sentences": h.n_sentences if ok else "",
        "n_tables": len(h.table_ids) if ok else "", "status": d.status, "error": d.error,
    }


def document_files(h: DocHead) -> list[Path]:
    """A document's files under the output root, relative: its saved text and its tables."""
    d = h.result.doc
    if d.status != "ok":
        return []
    return [Path("text") / f"{d.doc_id}.txt"] + [Path("tables") / f"{Path(d.source_file).stem}_{t}.csv"
                                                 for t in h.table_ids]


def entity_rows(r: DocResult) -> list[dict]:
    d = r.doc
    rows = []
    # Document.page_at and section_at, their lists of starts made once per document, not per entity
    page_starts, section_starts = [p.char_start for p in d.pages], [s.char_start for s in d.sections]
    for e in r.entities:
        i = bisect.bisect_right(section_starts, e.char_start) - 1
        sec = d.sections[i] if i >= 0 and d.sections[i].char_start <= e.char_start < d.sections[i].char_end else None
        page = d.pages[max(bisect.bisect_right(page_starts, e.char_start) - 1, 0)].page if d.pages else 1
        rows.append({
            "doc_id": d.doc_id, "source_file": d.source_file, "page": page,
            "section": f"{sec.kind}: {sec.heading}" if sec and sec.heading else (sec.kind if sec else ""),
            "char_start": e.char_start, "char_end": e.char_end, "text": e.text, "label": e.label,
            "normalized": e.normalized, "source": e.source,
        })
    return rows


def document_file_bytes(r: DocResult, files: Sequence[Path], where: Path = Path()) -> list[bytes]:
    """The bytes of a document's files `files` (document_files(its head)): its text, then each table's
    CSV, as atomic_write_text and atomic_write_csv would write them there (`where`: the folder named
    in the log when a table's cell is cut)."""
    return [r.doc.text.encode("utf-8")] + [csv_text(TABLE_COLUMNS, table_rows(r, t), str(Path(where) / p)).encode("utf-8")
                                           for t, p in zip(r.doc.tables, files[1:])]


def entities_part(r: DocResult) -> bytes:
    """A document's entities.csv rows, without the header (a part atomic_write_csv_parts puts together)."""
    return csv_text(ENTITY_COLUMNS, entity_rows(r), "entities.csv", with_header=False).encode("utf-8")


def table_rows(r: DocResult, table) -> list[dict]:
    rows = []
    for c in sorted(table.cells, key=lambda c: (c.row, c.col)):
        bb = c.bbox or (None, None, None, None)
        rows.append({"table_id": table.table_id, "caption": table.caption, "page": table.page, "row": c.row,
                     "col": c.col, "text": c.text, "char_start": c.char_start, "char_end": c.char_end,
                     "x0": bb[0], "top": bb[1], "x1": bb[2], "bottom": bb[3]})
    return rows


def mention_rows(mentions: Iterable[Mention], kind: str) -> list[dict]:
    """Rows of one kind, each mention once, in document and position order."""
    unique = {mention_id(m): m for m in mentions if m.kind == kind}
    rows = [mention_to_row(m) for m in unique.values()]
    return sorted(rows, key=lambda r: (str(r["source_file"]), str(r["doc_id"]),
                                       int(r["char_start"]) if r["char_start"] != "" else -1,
                                       str(r["table_id"]), int(r["row"]) if r["row"] != "" else -1,
                                       int(r["col"]) if r["col"] != "" else -1, str(r["mention_id"])))


def write_mention_csvs(mentions: Sequence[Mention], out: Path) -> list[Path]:
    """mentions/{trials,endpoints,approvals}.csv under `out`: MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS."""
    return write_mention_csvs_by_document([mentions], out)


def write_mention_csvs_by_document(groups: Sequence[Sequence[Mention]], out: Path) -> list[Path]:
    """The same files from each document's mentions, documents in (source_file, doc_id) order: the
    rows of one document at a time (a mention's id names its document, so no id spans two groups and
    the files equal those of write_mention_csvs over all the mentions)."""
    paths = []
    for kind, name in MENTION_FILES.items():
        p = Path(out) / name
        header = MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS
        atomic_write_csv_parts(p, header, (csv_text(header, mention_rows(g, kind), str(p), with_header=False)
                                           for g in groups))
        paths.append(p)
    return paths
