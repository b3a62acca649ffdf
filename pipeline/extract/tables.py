"""Reading a table cell in context: its column header (cancer type), its row's
drug (the nearest drug name at or above it in the first columns, within the
same header block) and its row text. Pure functions over DocView."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from pipeline.extract.context import CANCER, DRUG, DocView, join_regimen, normalize_trial_name
from pipeline.model import Cell, Provenance, Table


@dataclass(frozen=True)
class CellContext:
    row_label: str
    col_label: str
    drug: str
    cancer_type: str
    row_text: str          # the whole row, cells joined by " | "
    row_start: Optional[int]
    row_end: Optional[int]


def header_row_of(table: Table, row: int) -> int:
    hs = [h for h in table.header_rows if h <= row]
    return max(hs) if hs else 0


def _cell_ents(view: DocView, cell: Optional[Cell], label: str) -> list[str]:
    if cell is None or cell.char_start is None or cell.char_end is None:
        return []
    return [e.normalized for e in view.ents_in(cell.char_start, cell.char_end, label)]


def row_cells(table: Table, row: int) -> list[Cell]:
    """A table row's cells, in column order."""
    return sorted((c for c in table.cells if c.row == row), key=lambda c: c.col)


def other_cells(table: Table, cell: Cell) -> list[Cell]:
    """The other cells of a cell's row whose text is in the document (offsets), in column order."""
    return [c for c in row_cells(table, cell.row)
            if c.col != cell.col and c.char_start is not None and c.char_end is not None]


def cell_context(view: DocView, table: Table, cell: Cell, label_cols: int = 2) -> CellContext:
    h = header_row_of(table, cell.row)
    header = table.cell(h, cell.col)
    cancers = _cell_ents(view, header, CANCER)
    drug = ""
    for r in range(cell.row, h, -1):
        for c in range(0, min(label_cols, cell.col)):
            found = _cell_ents(view, table.cell(r, c), DRUG)
            if found:
                drug = found[0]
                break
        if drug:
            break
    if not drug:
        drug = _drug_from_cited_reference(view, table, cell.row, h)
    cells = row_cells(table, cell.row)
    starts = [c.char_start for c in cells if c.char_start is not None]
    ends = [c.char_end for c in cells if c.char_end is not None]
    label = next((c.text for c in cells if c.col < label_cols and c.text), "")
    return CellContext(
        row_label=label,
        col_label=header.text if header else "",
        drug=drug,
        cancer_type=cancers[0] if cancers else "",
        row_text=" | ".join(c.text for c in cells),
        row_start=min(starts) if starts else None,
        row_end=max(ends) if ends else None,
    )


@dataclass(frozen=True)
class RowFacts:
    """What the rest of a cell's row (and the table around it) says about the cell."""
    regimen: str           # the row's own regimen cell ("Pertuzumab + trastuzumab"), joined
    cancer_type: str       # column header, else a row cell, else the caption, else the document title
    trial: str             # a trial name in the row
    phase: str             # the row's cell under a "Phase" column header, as printed
    setting_drug: str = ""  # the regimen the text around a table naming no trial is about (table_setting)


def row_facts(view: DocView, table: Table, cell: Cell, ctx: CellContext) -> RowFacts:
    row = other_cells(table, cell)
    regimen = next((join_regimen(d) for c in row
                    if (d := view.drugs_in(c.char_start, c.char_end)[0])), "")
    first = min((c.char_start for c in table.cells if c.char_start is not None), default=None)
    caption = view.cancers_in(table.char_start, first) if table.char_start is not None and first else []
    cancer = ctx.cancer_type or next((cs[0] for c in row if (cs := view.cancers_in(c.char_start, c.char_end))),
                                     "") or (caption[:1] or view.title_cancers or [""])[0]
    names = [t for t in view.trials_in(ctx.row_start or cell.char_start or 0, ctx.row_end or cell.char_end or 0)
             if not t[2].upper().startswith("NCT")]
    h = header_row_of(table, cell.row)
    phase_cols = [c.col for c in table.cells if c.row == h and c.text.strip().lower() in ("phase", "trial phase")]
    phase = next((c.text for c in row if c.col in phase_cols), "")
    trial = names[0][2] if names else ""
    setting = table_setting(view, table)
    if not trial and setting is not None:
        trial = setting["trial"]
    if not ctx.cancer_type and setting is not None and setting["cancer_type"] and cancer in (view.title_cancers or [""])[:1]:
        cancer = setting["cancer_type"]
    if not trial:
        # a "Trial" / "Study" column names the row's trial whatever its shape ("T-ACT-2", "C-GAST-08")
        trial_cols = [c.col for c in table.cells if c.row == h and c.row != cell.row
                      and re.fullmatch(r"(?:trial|study|trial name|study name)s?", c.text.strip(), re.I)]
        named = next((c.text.strip() for c in row if c.col in trial_cols), "")
        if _TRIAL_CELL.fullmatch(named):
            trial = normalize_trial_name(named)
    return RowFacts(regimen, cancer, trial, phase, setting["drug"] if setting is not None else "")


def table_setting(view: DocView, table: Table) -> Optional[dict[str, str]]:
    """What the text around a table that names no trial in any cell says it is about: the
    attribution of its caption's sentence (its paragraph, its section's heading, the record's study),
    as a sentence there would get it. None for a table naming trials (a review's table of trials)."""
    first = min((c.char_start for c in table.cells if c.char_start is not None), default=None)
    if table.char_start is None or first is None:
        return None

    def compute() -> Optional[dict[str, str]]:
        end = max((c.char_end for c in table.cells if c.char_end is not None), default=first)
        # the caption's last sentence ("Table 10." | "Efficacy Results in RC48-C022"), which looks back
        # through the ones before it; a table without a caption: the sentence at its first row
        sent = next((x for k in range(first - 1, table.char_start - 1, -1) if (x := view.sentence_at(k))), None) \
            or view.sentence_at(table.char_start)
        return None if view.trials_in(first, end) or sent is None else view.resolve(sent)
    return view.memo(f"table_setting:{table.table_id}:{table.char_start}", compute)


# a trial name as a table cell prints it: a word with capitals or digits, no sentence
_TRIAL_CELL = re.compile(r"(?=[^\s]*[A-Z0-9])[A-Za-z0-9][\w/-]{1,30}(?:\s[\w/-]{1,20}){0,2}")


def _drug_from_cited_reference(view: DocView, table: Table, row: int, header: int) -> str:
    """A row whose drug label is missing (a conversion artefact) takes the one drug
    named in the title of the reference its row cites ("[92] Trastuzumab in the
    Treatment of Breast Cancer"), searching upwards within the header block."""
    from pipeline.extract.citations import document_references, find_markers

    refs = document_references(view)
    for r in range(row, header, -1):
        drugs: list[str] = []
        for c in table.cells:
            if c.row != r or not c.text:
                continue
            for marker in find_markers(c.text, view.rules):
                for key in marker.keys:
                    ref = refs.get(key)
                    if ref is None or ref.char_start < 0:
                        continue
                    for e in view.ents_in(ref.char_start, ref.char_end, DRUG):
                        if e.normalized not in drugs:
                            drugs.append(e.normalized)
        if drugs:
            return drugs[0] if len(drugs) == 1 else ""
    return ""


def cell_provenance(view: DocView, table: Table, cell: Cell, start: Optional[int], end: Optional[int],
                    ctx: CellContext, extractor: str, cited: str = "") -> Provenance:
    """Provenance of a statement read from a table cell: char offsets when the
    cell's text is in the normalized text, else table id, row and column."""
    quote = view.text[start:end] if start is not None and end is not None else cell.text
    return Provenance(
        doc_id=view.doc.doc_id,
        source_file=view.doc.source_file,
        page=table.page,
        section=table.caption,
        char_start=start,
        char_end=end,
        quote=quote,
        sentence=ctx.row_text,
        extractor=extractor,
        cited_refs=cited,
        table_id=table.table_id,
        row=cell.row,
        col=cell.col,
        # PDF tables: the cell's box on its page, so the value can be highlighted there
        **(dict(zip(("x0", "top", "x1", "bottom"), cell.bbox)) if cell.bbox else {}),
    )
