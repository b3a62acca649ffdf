"""Exports for analysts: one row per reconciled fact, mention-level files and
the data dictionary (extracted/README.md).

    trials.csv, endpoints.csv, approvals.csv    one row per fact
    mentions/{trials,endpoints,approvals}.csv   one row per mention
    README.md                                   every output file and column

Every column of every output file is described once, in OUTPUT_FILES below;
the README is generated from it and the CSV headers come from the same
column lists, so the two cannot drift.

CSV conventions: UTF-8, LF line endings, a header row, ISO dates, numbers
unquoted without thousands separators (blank when unknown), rows in a stable
order (kind-specific natural keys, then fact_id). Files are written atomically
(pipeline.outputs.atomic_write_text: temporary file in the same folder, then
os.replace).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from pipeline.config import Settings
from pipeline.errors import Errors, PipelineError
from pipeline.model import MENTION_COLUMNS, PROVENANCE_COLUMNS, Fact
# Columns of files other modules write (curation.py, report.py, candidates.py): listed here
# so the data dictionary needs no import of later stages; tests/test_export.py checks
# them against those modules' own column lists.
REJECTED_COLUMNS = ["fact_id", "kind", "statement", "value", "values", "status", "sources", "note", "by", "date"]
REPORT_COLUMNS = [
    "record", "change", "kind", "fact_id", "drug", "cancer_type", "statement", "old_value", "new_value",
    "old_status", "new_status", "newly_conflicting", "why", "source_file", "page", "quote", "sentence", "curation",
]
CANDIDATE_COLUMNS = ["text", "label", "count", "documents", "example_sentence"]
from pipeline.outputs import (
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    TABLE_COLUMNS,
    atomic_path,
    atomic_write_csv,
    atomic_write_text,
    csv_text,
    write_mention_csvs,
)

__all__ = [
    "OUTPUT_FILES", "FACT_FILES", "fact_columns", "fact_rows", "write_fact_csvs", "write_mention_csvs",
    "write_readme", "readme_text", "export_run", "export_command", "atomic_write_text", "atomic_write_csv",
]

FACT_FILES = {"trial": "trials.csv", "endpoint": "endpoints.csv", "approval": "approvals.csv"}
KINDS = ("trial", "endpoint", "approval")
VALUE_FIELD = {"trial": "phase", "endpoint": "value", "approval": "date"}
FACT_TAIL = ["values", "value_sources", "status", "n_sources", "n_works", "sources", "first_seen_run",
             "last_seen_run", "curation", "curation_note"]
# columns written as numbers (unquoted; blank when unknown or not a single number)
NUMERIC = {"hr", "ci_low", "ci_high", "value_num", "n_sources", "n_works", "page", "char_start", "char_end",
           "row", "col", "pages", "n_sentences", "n_tables", "count", "x0", "top", "x1", "bottom"}


def fact_columns(kind: str) -> list[str]:
    """Header of <kind>s.csv: fact_id, the mention contract's fields, the value, then reconciliation columns."""
    cols = ["fact_id"] + MENTION_COLUMNS[kind]
    cols += ["value_num"] if kind == "endpoint" else ["value"]
    return cols + FACT_TAIL


# --------------------------------------------------------------------------
# The data dictionary: the single declarative description of every output.


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str = "text"        # text | number | integer | date | id
    unit: str = ""
    vocabulary: str = ""


@dataclass(frozen=True)
class OutputFile:
    path: str
    description: str
    columns: tuple[Column, ...] = ()
    written_by: str = ""


_VOCAB_KIND = "trial, endpoint, approval"
_C = Column
# Column descriptions shared by every file that has a column of that name; a
# file may override one (FILE_OVERRIDES) where the same name means something else.
COLUMN_DOCS: dict[str, Column] = {c.name: c for c in [
    _C("fact_id", "Stable id of the reconciled fact: first 16 hex digits of sha256 of its kind and normalized key. "
       "Same fact, same id in every run and on every machine.", "id"),
    _C("nct_id", "ClinicalTrials.gov registry id; for facts, the id stated or linked through a document that "
       "names the trial together with its id.", "id", vocabulary="NCT followed by 8 digits"),
    _C("trial", "Trial name as written (acronym), e.g. DESTINY-Breast03; several names joined with ' | '."),
    _C("phase", "Trial phase in Roman numerals (blank when not stated; blank in a fact in conflict).",
       vocabulary="I, Ib, I/II, II, IIa, II/III, III, IV"),
    _C("drug", "Experimental drug or regimen, canonical generic names; combination components sorted and "
       "joined with ' + '.", vocabulary="canonical names of rules/drugs.yaml"),
    _C("cancer_type", "Cancer type studied or treated.", vocabulary="canonical names of rules/cancers.yaml "
       "(breast, gastric, colorectal, lung, ...)"),
    _C("endpoint", "Efficacy endpoint.", vocabulary="ORR, PFS, OS, DCR, DFS, TTP, PCR, DOR, CBR, EFS, IDFS"),
    _C("value", "The endpoint's value as stated: a number, a range 'a-b', a bound '<x', or NR (not reached). In "
       "fact files: the agreed value, blank when sources conflict (see values)."),
    _C("unit", "Unit of value.", vocabulary="%, months, weeks, years; blank for a hazard-ratio-only row"),
    _C("timepoint", "Landmark time of a rate, e.g. 12-month (blank when not a landmark rate)."),
    _C("comparator_value", "The comparator arm's value, same unit as value (NR = not reached)."),
    _C("n", "Number of patients with the outcome (the n of 'n/N'); several numbers joined with ' | ' in a fact "
       "when sources differ.", unit="patients"),
    _C("n_total", "Number of patients evaluated (the N of 'n/N'); joined with ' | ' when sources differ.",
       unit="patients"),
    _C("hr", "Hazard ratio (experimental vs comparator); blank when not stated or in conflict.", "number"),
    _C("ci_low", "Lower bound of the hazard ratio's 95% confidence interval.", "number"),
    _C("ci_high", "Upper bound of the hazard ratio's 95% confidence interval.", "number"),
    _C("p_value", "P value as stated, with its comparison sign when not '=' (e.g. <0.001)."),
    _C("population", "Subgroup the value applies to (e.g. HER2-low, IHC 3+); blank for the whole trial population."),
    _C("comparator", "Comparator arm (drug or regimen) of the comparison."),
    _C("agency", "Regulatory agency or guideline body.", vocabulary="canonical names of rules/agencies.yaml "
       "(FDA, EMA, NMPA, PMDA, NCCN, ...)"),
    _C("event", "Regulatory event.", vocabulary="see rules/regulatory.yaml (approval, accelerated approval, "
       "breakthrough designation, guideline recommendation, ...)"),
    _C("date", "Date of the event, ISO 8601 at the precision written: YYYY-MM-DD, YYYY-MM or YYYY.", "date"),
    _C("indication", "Indication as written (disease, setting)."),
    _C("line", "Line of therapy (first-line, second-line, adjuvant, neoadjuvant, ...)."),
    _C("based_on_trial", "Trial the approval was based on, where stated."),
    _C("value_num", "The agreed value as a number when it is a single number (blank for ranges, bounds, NR, "
       "conflicts).", "number", unit="see unit"),
    _C("values", "Every distinct value stated by the sources, joined with ' | ' (endpoints e.g. '55%', "
       "'6.2 months; HR 0.54 (95% CI 0.42-0.71)')."),
    _C("value_sources", "Each distinct value with the sources stating it: 'value [file:page, ...]', joined with "
       "' | '. Shows who said what when status is conflict."),
    _C("status", "consistent: the sources agree (a source that does not state a value does not contradict one "
       "that does; a year agrees with a full date in that year); conflict: two sources state different values - "
       "nothing is picked, value is blank.", vocabulary="consistent, conflict"),
    _C("n_sources", "Number of mentions (text sentences and table cells) behind the fact.", "integer"),
    _C("n_works", "Number of distinct publications behind the fact (a review and its PubMed page are one work, "
       "recognized by DOI or title).", "integer"),
    _C("sources", "Where the fact is stated: 'source_file:page', distinct, sorted, joined with '; '."),
    _C("first_seen_run", "First recorded run (run id) whose facts include this fact.", "id"),
    _C("last_seen_run", "Last recorded run (run id) whose facts include this fact.", "id"),
    _C("curation", "Curator decision (rejected facts are left out of the exports; a corrected fact shows the "
       "curator's value in value/phase/date and the extracted one in curation_note).",
       vocabulary="blank (not curated), accepted, corrected"),
    _C("curation_note", "Curator's note for the decision."),
    # provenance of mentions
    _C("cited_refs", "References the sentence cites: '[n] DOI or short title', joined with '; '."),
    _C("mention_id", "Stable id of the mention: hash of document, position, rule and fields.", "id"),
    _C("doc_id", "sha256 of the source file's bytes.", "id"),
    _C("source_file", "File name relative to the corpus folder."),
    _C("page", "Page number, starting at 1 (text files: 1).", "integer"),
    _C("section", "Section the text lies in ('kind: heading').", vocabulary="title, abstract, body, "
       "figure_legend, table, ..."),
    _C("char_start", "Start offset (characters) of the quote in text/<doc_id>.txt; blank for table cells "
       "without offsets.", "integer"),
    _C("char_end", "End offset (exclusive) of the quote in text/<doc_id>.txt.", "integer"),
    _C("quote", "The exact text the statement was read from (== text[char_start:char_end])."),
    _C("sentence", "The whole sentence or table row around the quote."),
    _C("extractor", "Rule or table that produced the mention (e.g. efficacy:value, trials:nct_id, "
       "efficacy:value:table:T2)."),
    _C("table_id", "Table id within the document (T1, T2, ...) for mentions read from a table cell."),
    _C("row", "Table row index (0 = header) of the cell.", "integer"),
    _C("col", "Table column index (0-based) of the cell.", "integer"),
    # documents.csv
    _C("sha256", "sha256 of the source file's bytes (same as doc_id).", "id"),
    _C("kind", "Kind of source file.", vocabulary="text, pdf"),
    _C("pages", "Number of pages (text files: 1); blank when the document failed.", "integer"),
    _C("title", "Document title as printed."),
    _C("n_sentences", "Number of sentences found; blank when the document failed.", "integer"),
    _C("n_tables", "Number of tables found; blank when the document failed.", "integer"),
    _C("error", "One-line error with its code (E001...) when the document failed."),
    # entities.csv
    _C("text", "The entity as written."),
    _C("label", "Entity label.", vocabulary="DRUG, CANCER, GENE, AGENCY, TRIAL, ENDPOINT, ..."),
    _C("normalized", "Canonical form from the lexicon (e.g. trastuzumab deruxtecan for T-DXd)."),
    _C("source", "What found the entity.", vocabulary="lexicon, abbreviation, model"),
    # tables/*.csv
    _C("caption", "Table caption as printed."),
    _C("x0", "Left edge of the cell on the PDF page (PDF points); blank for text files.", "number", "pt"),
    _C("top", "Top edge of the cell (PDF points from the page top).", "number", "pt"),
    _C("x1", "Right edge of the cell (PDF points).", "number", "pt"),
    _C("bottom", "Bottom edge of the cell (PDF points from the page top).", "number", "pt"),
    # candidates.csv
    _C("count", "Number of occurrences in the corpus.", "integer"),
    _C("documents", "Source files it occurs in, joined with '; '."),
    _C("example_sentence", "One sentence it occurs in."),
    # reports/<run>.csv
    _C("record", "What the row is about.", vocabulary="fact, document, stale_decision"),
    _C("change", "How it changed since the earlier run.", vocabulary="added, removed, changed, stale (and "
       "document changes as described in the .md report)"),
    _C("old_value", "The value in the earlier run (document rows: the old doc_id)."),
    _C("new_value", "The value in this run (document rows: the new doc_id; stale rows: the curated value)."),
    _C("old_status", "Reconciliation status in the earlier run.", vocabulary="consistent, conflict"),
    _C("new_status", "Reconciliation status in this run.", vocabulary="consistent, conflict"),
    _C("newly_conflicting", "'yes' when the fact was consistent (or absent) before and is in conflict now.",
       vocabulary="yes, blank"),
    _C("why", "Why it changed (document changed, rules or code changed, ...), joined with '; '."),
    # rejected.csv
    _C("note", "Why the curator decided so."),
    _C("by", "Curator name."),
]}

FILE_OVERRIDES: dict[str, dict[str, Column]] = {
    "documents.csv": {"status": _C("status", "Processing status of the document.", vocabulary="ok, failed")},
    "tables/<doc>_<table_id>.csv": {
        "text": _C("text", "Cell text as printed."),
        "page": _C("page", "Page the table is on.", "integer"),
        "char_start": _C("char_start", "Start offset of the cell in text/<doc_id>.txt (blank when unknown).",
                         "integer"),
        "char_end": _C("char_end", "End offset (exclusive) of the cell in text/<doc_id>.txt.", "integer"),
    },
    "candidates.csv": {
        "text": _C("text", "A term the NER model tagged that no lexicon in rules/ knows (a new drug code, gene "
                   "or disease name), as written."),
        "label": _C("label", "The model's entity label.",
                    vocabulary="BC5CDR models: CHEMICAL, DISEASE; BioNLP13CG models: GENE_OR_GENE_PRODUCT, CANCER, "
                               "SIMPLE_CHEMICAL, CELL, ... (16 types)"),
    },
    "rejected.csv": {
        "kind": _C("kind", "Kind of fact.", vocabulary=_VOCAB_KIND),
        "statement": _C("statement", "The rejected fact in plain words."),
        "value": _C("value", "The fact's value when it was rejected."),
        "date": _C("date", "ISO date of the curator's decision.", "date"),
    },
    "reports/<run>.csv": {
        "kind": _C("kind", "Kind of fact (blank for document and stale-decision rows).", vocabulary=_VOCAB_KIND),
        "fact_id": _C("fact_id", "The fact's id (fact_id column of the fact files).", "id"),
        "statement": _C("statement", "The fact in plain words (document rows: the title; stale decisions: the "
                        "fact as last seen)."),
        "page": _C("page", "Page of the first piece of evidence.", "integer"),
        "quote": _C("quote", "The quote of the first piece of evidence."),
        "sentence": _C("sentence", "The sentence or table row around the quote."),
        "source_file": _C("source_file", "Source file of the evidence, or of the document that changed."),
        "curation": _C("curation", "Curator decision on the fact (stale rows: 'action: note')."),
    },
    "trials.csv": {"value": _C("value", "The agreed phase (same as phase); blank when sources conflict.")},
    "approvals.csv": {"value": _C("value", "The agreed date (same as date); blank when sources conflict.", "date")},
}
for _kind in ("trial", "endpoint", "approval"):
    FILE_OVERRIDES.setdefault(f"mentions/{FACT_FILES[_kind]}", {}).update({
        "nct_id": _C("nct_id", "ClinicalTrials.gov id as stated in (or attributed to) the sentence.", "id",
                     vocabulary="NCT followed by 8 digits"),
        "value": _C("value", "The value as stated: a number, a range 'a-b', a bound '<x', or NR (not reached)."),
        "x0": _C("x0", "PDFs: left edge of the quote's box on its page (PDF points); blank for text files.",
                 "number", "pt"),
        "top": _C("top", "PDFs: top edge of the quote's box (PDF points from the page top).", "number", "pt"),
        "x1": _C("x1", "PDFs: right edge of the quote's box (PDF points).", "number", "pt"),
        "bottom": _C("bottom", "PDFs: bottom edge of the quote's box (PDF points from the page top).", "number",
                     "pt"),
    })


def _file(path: str, description: str, columns: Sequence[str], written_by: str) -> OutputFile:
    over = FILE_OVERRIDES.get(path, {})
    missing = [c for c in columns if c not in over and c not in COLUMN_DOCS]
    if missing:
        raise KeyError(f"data dictionary: columns {missing} of {path} are not described")
    return OutputFile(path, description, tuple(over.get(c) or COLUMN_DOCS[c] for c in columns), written_by)


OUTPUT_FILES: tuple[OutputFile, ...] = (
    _file("trials.csv", "One row per reconciled trial: mentions of one trial (by NCT id, or by name when no id "
          "is known anywhere in the corpus) merged across documents, text and tables. The compared value is the "
          "phase.", fact_columns("trial"), "pipeline/export.py"),
    _file("endpoints.csv", "One row per reconciled efficacy result: key = trial (or drug + cancer type), "
          "endpoint, population/subgroup, arm (drug, comparator), landmark timepoint. The compared value is value + "
          "unit, and hazard ratio with its 95% CI. A value with neither trial nor drug is its own fact.",
          fact_columns("endpoint"), "pipeline/export.py"),
    _file("approvals.csv", "One row per reconciled regulatory event: key = drug, agency, event, cancer type "
          "(or indication). The compared value is the date.", fact_columns("approval"), "pipeline/export.py"),
    _file("mentions/trials.csv", "One row per trial mention (an NCT id or trial name in a sentence or table "
          "cell) with its provenance.", MENTION_COLUMNS["trial"] + PROVENANCE_COLUMNS, "pipeline/outputs.py"),
    _file("mentions/endpoints.csv", "One row per efficacy value found, with its provenance.",
          MENTION_COLUMNS["endpoint"] + PROVENANCE_COLUMNS, "pipeline/outputs.py"),
    _file("mentions/approvals.csv", "One row per regulatory event found, with its provenance.",
          MENTION_COLUMNS["approval"] + PROVENANCE_COLUMNS, "pipeline/outputs.py"),
    _file("documents.csv", "One row per corpus document of the run, including failed ones.", DOCUMENT_COLUMNS,
          "pipeline/outputs.py"),
    _file("entities.csv", "Every entity found (drugs, cancers, genes, agencies, trials, endpoints), with "
          "position.", ENTITY_COLUMNS, "pipeline/outputs.py"),
    _file("tables/<doc>_<table_id>.csv", "One file per table found in a document (<doc> = source file name "
          "without extension): one row per cell.", TABLE_COLUMNS, "pipeline/outputs.py"),
    _file("candidates.csv", "Terms the statistical NER model found that no lexicon knows yet (new drug codes, "
          "gene names...), most frequent first, for a curator to add to rules/*.yaml.", CANDIDATE_COLUMNS,
          "pipeline/candidates.py"),
    OutputFile("text/<doc_id>.txt", "The normalized text of each document (UTF-8): every char_start/char_end "
               "offset in the other files points into it.", (), "pipeline/outputs.py"),
    OutputFile("reports/<run>.html, reports/<run>.md", "Curator diff report between a run and the run before "
               "it, for reading: facts added, removed and changed (newly conflicting first), with quotes, pages "
               "and the reason for each change; documents added, removed or changed; stale curation decisions. "
               "Both have a link per quote to text/<doc_id>.txt at its offsets, the curate commands of each fact "
               "and the curation history; the HTML adds a table of contents, filters (drug, cancer type, change) "
               "and SVG charts (hazard ratios, approvals timeline, values per drug and cancer type).",
               (), "pipeline/report.py"),
    _file("reports/<run>.csv", "The same diff report as a table: one row per changed fact, changed document or "
          "stale curation decision.", REPORT_COLUMNS, "pipeline/report.py"),
    _file("rejected.csv", "Facts a curator rejected (rules/curation.yaml); they are left out of trials.csv, "
          "endpoints.csv and approvals.csv.", REJECTED_COLUMNS, "pipeline/curation.py"),
)


def readme_text() -> str:
    lines = [
        "# Extracted data: data dictionary",
        "",
        "Generated from `pipeline/export.py` (OUTPUT_FILES); do not edit by hand.",
        "",
        "Conventions: UTF-8, LF line endings, one header row; dates are ISO 8601 at the precision written "
        "(YYYY-MM-DD, YYYY-MM or YYYY); numeric columns hold plain numbers (no quotes, no thousands separators) "
        "and are blank when unknown; several values in one cell are joined with ' | ' (sources with '; '). "
        "Rows are in a stable order. Regenerate with `python -m pipeline run`; fact files can be re-exported "
        "from the run history (a database under .store/, not committed) with `python -m pipeline export`.",
        "",
        "How facts are reconciled: mentions with the same normalized key merge into one fact. status is "
        "`consistent` when every source stating a value states the same one (a source that leaves the value "
        "blank does not contradict one that states it; a year or month agrees with a full date inside it; "
        "numbers compare as numbers: 55 = 55.0), `conflict` otherwise - then `value` is blank and "
        "`value_sources` lists every value with its sources. Trial names and NCT ids are linked wherever a "
        "document states both, so a trial named in one review and cited by NCT id in another is one fact.",
        "",
    ]
    for f in OUTPUT_FILES:
        lines += [f"## {f.path}", "", f.description + (f" (written by `{f.written_by}`)" if f.written_by else ""), ""]
        if f.columns:
            lines += ["| column | type | unit | meaning | vocabulary |", "|---|---|---|---|---|"]
            for c in f.columns:
                cells = [f"`{c.name}`", c.type, c.unit, c.meaning, c.vocabulary]
                lines.append("| " + " | ".join(x.replace("|", "\\|") for x in cells) + " |")
            lines.append("")
    return "\n".join(lines)


def documented_columns(path: str) -> list[str]:
    for f in OUTPUT_FILES:
        if f.path == path:
            return [c.name for c in f.columns]
    raise KeyError(path)


def write_readme(out_dir: Path) -> Path:
    p = Path(out_dir) / "README.md"
    atomic_write_text(p, readme_text())
    return p


# --------------------------------------------------------------------------
# Rows


def _num(v: object) -> str:
    """A plain number without exponent or thousands separator, or '' when v is not a single number."""
    s = "" if v is None else str(v).strip().replace(",", "")
    if not s:
        return ""
    try:
        d = Decimal(s)
    except InvalidOperation:
        return ""
    if not d.is_finite():
        return ""
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))


def _natural(kind: str, row: Mapping[str, str]) -> tuple:
    k = lambda name: str(row.get(name, "")).casefold()  # noqa: E731
    if kind == "trial":
        return (k("nct_id") == "", k("nct_id"), k("trial"), row["fact_id"])
    if kind == "endpoint":
        return (k("drug"), k("cancer_type"), k("nct_id"), k("trial"), k("endpoint"), k("timepoint"),
                k("population"), k("comparator"), row["fact_id"])
    return (k("drug"), k("agency"), k("date"), k("event"), k("cancer_type"), k("indication"), row["fact_id"])


def fact_rows(facts: Iterable[Fact], kind: str, history: Optional[Mapping[str, object]] = None) -> list[dict]:
    """Export rows of one kind, sorted by natural keys then fact_id. `history`:
    fact_id -> object with first_seen_run/last_seen_run (store.FactHistory).
    Rejected facts are left out."""
    history = history or {}
    rows = []
    for f in facts:
        if f.kind != kind or f.curation == "rejected":
            continue
        row: dict[str, str] = {"fact_id": f.fact_id}
        row.update({name: f.field(name) for name in MENTION_COLUMNS[kind]})
        if f.curation == "corrected":       # the curator's value replaces the extracted one
            row[VALUE_FIELD[kind]] = f.value
        if kind == "endpoint":
            row["value_num"] = _num(row["value"])
        else:
            row["value"] = f.value
        h = history.get(f.fact_id)
        row.update({
            "values": " | ".join(f.values),
            "value_sources": " | ".join(f"{v} [{', '.join(s)}]" for v, s in f.value_sources),
            "status": f.status, "n_sources": str(f.n_sources), "n_works": str(f.n_works),
            "sources": "; ".join(f.sources),
            "first_seen_run": getattr(h, "first_seen_run", "") if h else "",
            "last_seen_run": getattr(h, "last_seen_run", "") if h else "",
            "curation": f.curation, "curation_note": f.curation_note,
        })
        for name in NUMERIC & set(row):
            row[name] = _num(row[name])
        rows.append(row)
    return sorted(rows, key=lambda r: _natural(kind, r))


def write_fact_csvs(facts: Sequence[Fact], out_dir: Path, history: Optional[Mapping[str, object]] = None,
                    kinds: Sequence[str] = KINDS) -> list[Path]:
    """trials.csv, endpoints.csv, approvals.csv under out_dir."""
    paths = []
    for kind in kinds:
        p = Path(out_dir) / FACT_FILES[kind]
        atomic_write_csv(p, fact_columns(kind), fact_rows(facts, kind, history))
        paths.append(p)
    return paths


# --------------------------------------------------------------------------
# From the store


def _canonical(rules, file: str, name: str) -> set[str]:
    """Every casefolded canonical name `name` may stand for (it may be an alias)."""
    q = " ".join(name.split()).casefold()
    out = {q}
    if rules is not None:
        try:
            entries = rules[file].entries
        except (KeyError, AttributeError):
            entries = ()
        for e in entries:
            if any(q == f.casefold() for f in e.forms()):
                out.add(e.canonical.casefold())
    return out


def _parts(value: str) -> set[str]:
    return {p.strip().casefold() for chunk in value.split(" | ") for p in chunk.split(" + ") if p.strip()}


def filter_facts(facts: Iterable[Fact], kind: Optional[str] = None, drug: Optional[str] = None,
                 cancer: Optional[str] = None, rules=None) -> list[Fact]:
    """Facts of `kind` whose drug (a component of a regimen counts) is `drug` and whose
    cancer type is `cancer`; drug/cancer may be aliases when `rules` (pipeline.rules.RuleSet)
    is given ("T-DXd" -> trastuzumab deruxtecan)."""
    drugs = _canonical(rules, "drugs", drug) if drug else None
    cancers = _canonical(rules, "cancers", cancer) if cancer else None
    out = []
    for f in facts:
        if kind and f.kind != kind:
            continue
        if drugs is not None and not (_parts(f.field("drug")) & drugs):
            continue
        if cancers is not None and not (_parts(f.field("cancer_type")) & cancers):
            continue
        out.append(f)
    return out


def _atomic_parquet(path: Path, columns: Sequence[str], rows: Sequence[dict]) -> None:
    import pandas as pd

    df = pd.DataFrame(list(rows), columns=list(columns))
    for c in columns:
        if c in NUMERIC:
            df[c] = pd.to_numeric(df[c].replace("", None), errors="coerce")
            if c in ("n_sources", "n_works"):
                df[c] = df[c].astype("Int64")
        else:
            df[c] = df[c].fillna("").astype(str)
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, engine="pyarrow", index=False)


def _check_export_args(kind: Optional[str], fmt: str) -> None:
    if fmt not in ("csv", "parquet"):
        raise PipelineError(Errors.E202.format(reason=f"export format {fmt!r} (expected csv or parquet)"))
    if kind is not None and kind not in KINDS:
        raise PipelineError(Errors.E202.format(reason=f"export kind {kind!r} (expected one of {', '.join(KINDS)})"))
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise PipelineError(Errors.E202.format(
                reason=f"parquet export needs a working pyarrow ({str(exc).splitlines()[0]})")) from None


def export_run(store, run_id: str, out_dir: Path, kind: Optional[str] = None, drug: Optional[str] = None,
               cancer: Optional[str] = None, fmt: str = "csv", rules=None, readme: bool = True) -> list[Path]:
    """Write the fact exports of a recorded run (history up to that run) to out_dir."""
    _check_export_args(kind, fmt)
    facts = filter_facts(store.facts(run_id), kind, drug, cancer, rules)
    history = store.fact_histories(upto_run=run_id)
    kinds = [kind] if kind else list(KINDS)
    out_dir = Path(out_dir)
    paths: list[Path] = []
    if fmt == "csv":
        paths += write_fact_csvs(facts, out_dir, history, kinds)
    else:
        for k in kinds:
            p = out_dir / FACT_FILES[k].replace(".csv", ".parquet")
            _atomic_parquet(p, fact_columns(k), fact_rows(facts, k, history))
            paths.append(p)
    if readme:
        paths.append(write_readme(out_dir))
    return paths


def export_command(settings: Settings, out_dir: Path, kind: Optional[str], drug: Optional[str],
                   cancer: Optional[str], fmt: str) -> list[Path]:
    """`python -m pipeline export`: the latest ok run of settings.store_url (the latest
    partial run when no run is ok), filtered, to out_dir. Nothing is re-extracted.
    Writes <kind>s.csv or .parquet per kind (all three without `kind`) and README.md."""
    from pipeline.store import Store

    _check_export_args(kind, fmt)
    rules = None
    if drug or cancer:
        from pipeline.rules import load_rules

        rules = load_rules(settings.rules_dir)
    store = Store.open(settings.store_url)
    try:
        run = store.latest_run("ok") or store.latest_run("partial")
        if run is None:
            raise PipelineError(Errors.E303.format(url=store.url))
        return export_run(store, run.run_id, Path(out_dir), kind, drug, cancer, fmt, rules)
    finally:
        store.close()


def csv_for(facts: Sequence[Fact], kind: str, history: Optional[Mapping[str, object]] = None) -> str:
    """The CSV text write_fact_csvs writes for one kind (for tests and reports)."""
    return csv_text(fact_columns(kind), fact_rows(facts, kind, history))
