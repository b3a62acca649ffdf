"""The output schema: every output file's columns, types, vocabularies and
descriptions in ONE place.

Every writer takes its column list from here (pipeline/outputs.py for the
document-level files, pipeline/export.py for the fact exports, pipeline/curation.py
for rejected.csv, pipeline/candidates.py for candidates.csv); the data dictionary
(extracted/README.md) is generated from it (readme_text), the Parquet exports carry
its column descriptions as field metadata, and tests load every export with pandas
and check the dtypes against `pandas_dtype`.

Column types:
    id        text that looks like a number or a date to a spreadsheet (kept as text)
    text      free text
    category  a controlled vocabulary (Parquet: dictionary / pandas category)
    list      several values: one separator, ' | ', sorted, distinct (Parquet: list of strings)
    number    a float (blank / null when unknown)
    integer   a whole number (blank / null when unknown; pandas Int64)
    date      ISO 8601 at the precision written (YYYY, YYYY-MM or YYYY-MM-DD) as text in CSV;
              a date (the first day of the period) in Parquet, with date_precision beside it
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from pipeline.model import MENTION_COLUMNS, PROVENANCE_COLUMNS

KINDS = ("trial", "endpoint", "approval")
FACT_FILES = {"trial": "trials.csv", "endpoint": "endpoints.csv", "approval": "approvals.csv"}
MENTION_FILES = {k: f"mentions/{v}" for k, v in FACT_FILES.items()}
MULTI_SEP = " | "          # the one separator of multi-valued cells
TYPES = ("id", "text", "category", "list", "number", "integer", "date")

DOCUMENT_COLUMNS = ["doc_id", "source_file", "sha256", "kind", "pages", "title", "n_sentences", "n_tables", "status",
                    "error"]
ENTITY_COLUMNS = ["doc_id", "source_file", "page", "section", "char_start", "char_end", "text", "label", "normalized",
                  "source"]
TABLE_COLUMNS = ["table_id", "caption", "page", "row", "col", "text", "char_start", "char_end", "x0", "top", "x1",
                 "bottom"]
REJECTED_COLUMNS = ["fact_id", "kind", "statement", "value", "values", "status", "sources", "note", "by", "date"]
REPORT_COLUMNS = [
    "record", "change", "kind", "fact_id", "drug", "cancer_type", "statement", "old_value", "new_value",
    "old_status", "new_status", "newly_conflicting", "why", "source_file", "page", "quote", "sentence", "curation",
]
CANDIDATE_COLUMNS = ("text", "label", "count", "documents", "example_sentence")
FACT_TAIL = ["values", "value_sources", "status", "n_sources", "n_works", "sources", "first_seen_run",
             "last_seen_run", "curation", "curation_note"]
# the fact exports: typed and tidy (no column repeats another; the compared value
# is in its own typed columns: phase, value/value_num/unit + hr/ci, date + date_precision)
FACT_COLUMNS = {
    "trial": ["fact_id", "nct_id", "trial", "phase", "drug", "cancer_type"] + FACT_TAIL,
    "endpoint": ["fact_id", "endpoint", "value", "value_num", "unit", "timepoint", "timepoint_months",
                 "comparator_value", "n", "n_total", "hr", "ci_low", "ci_high", "p_value", "p_value_sign",
                 "population", "drug", "comparator", "trial", "nct_id", "cancer_type"] + FACT_TAIL,
    "approval": ["fact_id", "agency", "event", "date", "date_precision", "drug", "indication", "cancer_type", "line",
                 "based_on_trial"] + FACT_TAIL,
}


def fact_columns(kind: str) -> list[str]:
    """Header of <kind>s.csv (and columns of <kind>s.parquet)."""
    return list(FACT_COLUMNS[kind])


# --------------------------------------------------------------------------
# Value formats and vocabularies (exports type them; curation validates corrections with them)

PHASES = ("0", "I", "Ia", "Ib", "I/II", "Ib/II", "II", "IIa", "IIb", "II/III", "III", "IIIb", "IV")
UNITS = ("%", "months", "weeks", "years")
DATE_PRECISIONS = {4: "year", 7: "month", 10: "day"}
P_SIGNS = ("exact", "<", "<=", ">", ">=")     # "exact", not "=": a cell "=" is a formula to Excel
# fixed categories of categorical columns (others take the values found); the data may add more
CATEGORIES = {"status": ("consistent", "conflict"), "curation": ("accepted", "corrected"), "p_value_sign": P_SIGNS,
              "date_precision": ("year", "month", "day"), "unit": UNITS, "phase": PHASES}
_UNIT_ALIASES = {"%": "%", "percent": "%", "month": "months", "months": "months", "mo": "months",
                 "week": "weeks", "weeks": "weeks", "wk": "weeks", "year": "years", "years": "years", "yr": "years"}
_NUMBER = r"\d+(?:\.\d+)?|\.\d+"
_VALUE_RE = re.compile(rf"^\s*(?:(?P<nr>NR|not reached)|(?P<num>{_NUMBER})\s*(?P<unit>%|[A-Za-z]+)?)?\s*"
                       rf"(?:[;,]?\s*HR\s*(?P<hr>{_NUMBER})(?:\s*\(95%\s*CI\s*(?P<lo>{_NUMBER})\s*[-–]\s*"
                       rf"(?P<hi>{_NUMBER})\))?)?\s*$", re.I)
_TIME_RE = re.compile(r"(\d+(?:\.\d+)?)\s*-?\s*(month|mo|year|yr|week|wk|day)s?\b", re.I)
_TO_MONTHS = {"month": 1.0, "mo": 1.0, "year": 12.0, "yr": 12.0, "week": 12 / 52, "wk": 12 / 52, "day": 12 / 365.25}
_P_RE = re.compile(rf"^\s*(?:p\s*)?(?P<sign><=|>=|≤|≥|<|>|=)?\s*(?P<num>{_NUMBER}(?:e-?\d+)?)\s*$", re.I)


class ValueFormatError(ValueError):
    """A value that does not fit its column's format; the message says what is expected."""


def parse_endpoint_value(text: str) -> dict[str, str]:
    """'44.3%', '20.1 months', 'NR', 'HR 0.54 (95% CI 0.42-0.71)', '6.2 months; HR 0.5 (95% CI 0.3-0.7)'
    -> {value, unit, hr, ci_low, ci_high} (strings, '' when absent). Raises ValueFormatError."""
    m = _VALUE_RE.match(text or "")
    if not m or not (m["nr"] or m["num"] or m["hr"]):
        raise ValueFormatError(f"{text!r} is not an efficacy value: expected a number with its unit "
                               f"({', '.join(UNITS)}), e.g. '44.3%' or '20.1 months', NR, and/or "
                               "'HR 0.54 (95% CI 0.42-0.71)'")
    unit = ""
    if m["num"]:
        if not m["unit"]:
            raise ValueFormatError(f"{text!r}: the number needs a unit ({', '.join(UNITS)}), e.g. '44.3%'")
        unit = _UNIT_ALIASES.get(m["unit"].lower(), "")
        if not unit:
            raise ValueFormatError(f"{text!r}: unit {m['unit']!r} is not one of {', '.join(UNITS)}")
    return {"value": "NR" if m["nr"] else (m["num"] or ""), "unit": unit, "hr": m["hr"] or "",
            "ci_low": m["lo"] or "", "ci_high": m["hi"] or ""}


def date_precision(text: str) -> str:
    """'day', 'month' or 'year' for a valid ISO date at that precision; raises ValueFormatError."""
    import datetime as _dt

    s = (text or "").strip()
    prec = DATE_PRECISIONS.get(len(s)) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", s) else None
    if prec is None:
        raise ValueFormatError(f"{text!r} is not an ISO date: expected YYYY-MM-DD, YYYY-MM or YYYY")
    try:
        _dt.date(int(s[:4]), int(s[5:7] or 1), int(s[8:10] or 1))
    except ValueError as exc:
        raise ValueFormatError(f"{text!r} is not a real date ({exc})") from None
    return prec


def parse_phase(text: str) -> str:
    """A phase of the vocabulary (case and 'phase ' prefix forgiven); raises ValueFormatError."""
    s = re.sub(r"(?i)^phase\s*", "", " ".join((text or "").split()))
    s = re.sub(r"\s*/\s*", "/", s)
    for p in PHASES:
        if s.casefold() == p.casefold():
            return p
    raise ValueFormatError(f"{text!r} is not a trial phase: expected one of {', '.join(PHASES)}")


def timepoint_months(text: str) -> float | None:
    """'12-month' -> 12.0, '2-year' -> 24.0, '26-week' -> 6.0; None when no time is stated."""
    m = _TIME_RE.search(text or "")
    if not m:
        return None
    return round(float(m.group(1)) * _TO_MONTHS[m.group(2).lower()], 2)


def split_p_value(text: str) -> tuple[float | None, str]:
    """'<0.001' -> (0.001, '<'); '.2086' -> (0.2086, 'exact'); '' or unreadable -> (None, '')."""
    m = _P_RE.match(text or "")
    if not m:
        return None, ""
    sign = {"≤": "<=", "≥": ">=", "=": "exact", "": "exact"}.get(m["sign"] or "", m["sign"])
    return float(m["num"]), sign



@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: str = "text"        # one of TYPES
    unit: str = ""
    vocabulary: str = ""

    @property
    def description(self) -> str:
        """One line for Parquet field metadata and tooltips."""
        extra = "; ".join(x for x in (f"unit: {self.unit}" if self.unit else "",
                                      f"vocabulary: {self.vocabulary}" if self.vocabulary else "") if x)
        return self.meaning + (f" ({extra})" if extra else "")


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
       "joined with ' + '; drugs a group received one or another of (alternatives) sorted and joined with ' or '.",
       vocabulary="canonical names of rules/drugs.yaml"),
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
    _C("sources", "Where the fact is stated: 'source_file:page', distinct, sorted, joined with ' | '."),
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

# How the fact exports (trials/endpoints/approvals .csv and .parquet) type and describe a
# column where that differs from the mention files (which keep the text as extracted).
_LIST = "; several values sorted, distinct, joined with ' | ' (Parquet: a list)"
FACT_COLUMN_DOCS: dict[str, Column] = {c.name: c for c in [
    _C("trial", "Trial name(s) as written (acronym), e.g. DESTINY-Breast03" + _LIST + ".", "list"),
    _C("phase", "Trial phase in Roman numerals (blank when not stated or when sources conflict; see values).",
       "category", vocabulary="I, Ia, Ib, I/II, II, IIa, IIb, II/III, III, IV (and other phases as written)"),
    _C("drug", "Drug or regimen, canonical generic names; a combination's components sorted and joined with "
       "' + ' (one regimen); alternatives a group received one or another of joined with ' or '" + _LIST + ".", "list",
       vocabulary="canonical names of rules/drugs.yaml"),
    _C("cancer_type", "Cancer type(s) studied or treated" + _LIST + ".", "list",
       vocabulary="canonical names of rules/cancers.yaml (breast, gastric, colorectal, nsclc, ...)"),
    _C("endpoint", "Efficacy endpoint.", "category", vocabulary="ORR, PFS, OS, DCR, DFS, TTP, PCR, DOR, CBR, EFS, IDFS"),
    _C("value", "The agreed value as stated: a number, a range 'a-b', a bound '<x', or NR (not reached); blank "
       "when sources conflict (see values). value_num holds it as a number."),
    _C("value_num", "The agreed value as a number when it is a single number (blank for ranges, bounds, NR, "
       "conflicts).", "number", unit="see unit"),
    _C("unit", "Unit of value.", "category", vocabulary="%, months, weeks, years; blank for a hazard-ratio-only row"),
    _C("timepoint", "Landmark time of a rate as written, e.g. 12-month (blank when not a landmark rate)."),
    _C("timepoint_months", "The landmark time in months (12-month -> 12, 2-year -> 24, 26-week -> 6); blank when "
       "none.", "number", unit="months"),
    _C("n", "Number of patients with the outcome (the n of 'n/N'); blank when not stated or when sources differ.",
       "integer", unit="patients"),
    _C("n_total", "Number of patients evaluated (the N of 'n/N'); blank when not stated or when sources differ.",
       "integer", unit="patients"),
    _C("p_value", "P value as a number (the bound for '<0.001': 0.001; see p_value_sign).", "number"),
    _C("p_value_sign", "How the P value was stated: exact (P = 0.006) or with a bound sign (P < 0.001); blank "
       "when no P value.", "category", vocabulary="exact, <, <=, >, >="),
    _C("agency", "Regulatory agency or guideline body.", "category",
       vocabulary="canonical names of rules/agencies.yaml (FDA, EMA, NMPA, PMDA, NCCN, ...)"),
    _C("event", "Regulatory event.", "category", vocabulary="see rules/regulatory.yaml (approval, "
       "accelerated_approval, breakthrough_therapy, guideline_recommendation, ...)"),
    _C("date", "Date of the event: CSV, ISO 8601 text at the precision written (YYYY-MM-DD, YYYY-MM or YYYY); "
       "Parquet, a date (first day of the period). Blank when sources conflict.", "date"),
    _C("date_precision", "Precision of date.", "category", vocabulary="day, month, year"),
    _C("indication", "Indication(s) as written (disease, setting)" + _LIST + ".", "list"),
    _C("line", "Line(s) of therapy (first-line, second-line, adjuvant, neoadjuvant, ...)" + _LIST + ".", "list"),
    _C("based_on_trial", "Trial(s) the event was based on, where stated" + _LIST + ".", "list"),
    _C("values", "Every distinct value stated by the sources (endpoints e.g. '55%', "
       "'6.2 months; HR 0.54 (95% CI 0.42-0.71)')" + _LIST + ".", "list"),
    _C("value_sources", "Each distinct value with the sources stating it: 'value [file:page, ...]'" + _LIST
       + ". Shows who said what when status is conflict.", "list"),
    _C("status", "consistent: the sources agree (a source that does not state a value does not contradict one "
       "that does; a year agrees with a full date in that year) or a curator corrected the value; conflict: two "
       "sources state different values - nothing is picked, the value columns are blank.", "category",
       vocabulary="consistent, conflict"),
    _C("sources", "Where the fact is stated: 'source_file:page'" + _LIST + ".", "list"),
    _C("curation", "Curator decision (rejected facts are left out; a corrected fact shows the curator's value in "
       "every value column and the extracted one in curation_note).", "category",
       vocabulary="blank (not curated), accepted, corrected"),
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
}
for _kind in KINDS:
    FILE_OVERRIDES[FACT_FILES[_kind]] = FACT_COLUMN_DOCS
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
    OutputFile("<kind>s.parquet, facts.xlsx", "`python -m pipeline export --format parquet` writes the fact files "
               "above as Parquet with the same columns, typed (nulls, float/Int64 numbers, categoricals, lists, dates; "
               "each field carries its description as metadata); `--format xlsx` writes one Excel workbook with a "
               "sheet per kind, ids and partial dates kept as text.", (), "pipeline/export.py"),
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


CELL_CAP = 32_000                      # characters per CSV/Excel cell (Excel's own limit: 32,767)
TRUNCATION_MARK = " [truncated]"


def readme_text() -> str:
    lines = [
        "# Extracted data: data dictionary",
        "",
        "Generated from `pipeline/schema.py` (OUTPUT_FILES); do not edit by hand.",
        "",
        "Conventions: UTF-8, LF line endings, one header row; dates are ISO 8601 at the precision written "
        "(YYYY-MM-DD, YYYY-MM or YYYY; `date_precision` says which); numeric columns hold plain numbers (no quotes, "
        "no thousands separators) and are blank when unknown; in the fact files a `list` cell holds several values "
        "sorted, distinct and joined with ' | ' (the only separator; ' + ' inside a drug joins the components of one "
        "regimen). Rows are in a stable order. Regenerate with `python -m pipeline run`; fact files can be "
        "re-exported from the run history (a database under .store/, not committed) with `python -m pipeline "
        "export` (CSV, typed Parquet or Excel .xlsx).",
        "",
        "Safe for spreadsheets: a text cell that starts with = + - @, a tab or a carriage return is written with a "
        f"leading ' (OWASP CSV-injection rule; numbers such as -0.5 and a lone - are left alone), and a cell longer than {CELL_CAP:,} "
        f"characters is cut there and ends with the marker `{TRUNCATION_MARK.strip()}` (Excel's limit is 32,767). "
        "Column types: id (text that must stay text, e.g. fact_id 0812807218428112), text, category (a controlled "
        "vocabulary), list, number, integer, date.",
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



def output_file(path: str) -> OutputFile:
    for f in OUTPUT_FILES:
        if f.path == path:
            return f
    raise KeyError(path)


def fact_schema(kind: str) -> OutputFile:
    return output_file(FACT_FILES[kind])


def dtype_matches(col: Column, series, fmt: str) -> bool:
    """Does the pandas Series loaded from a `fmt` ("csv" as read with csv_dtypes, or "parquet")
    export have the dtype col.type asks for?"""
    import pandas as pd

    t = col.type
    if t == "number":
        return pd.api.types.is_float_dtype(series)
    if t == "integer":
        return str(series.dtype) == "Int64"
    if t == "category":
        return isinstance(series.dtype, pd.CategoricalDtype)
    if t == "date" and fmt == "parquet":
        return pd.api.types.is_datetime64_any_dtype(series) or series.dropna().map(
            lambda v: type(v).__name__ == "date").all()
    if t == "list" and fmt == "parquet":
        return series.dropna().map(lambda v: hasattr(v, "__len__") and not isinstance(v, str)).all()
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


def csv_dtypes(path: str) -> dict[str, str]:
    """dtype= argument for pandas.read_csv of an export: ids, dates and lists as text, numbers typed."""
    out = {}
    for c in output_file(path).columns:
        out[c.name] = {"number": "float64", "integer": "Int64", "category": "category"}.get(c.type, "string")
    return out
