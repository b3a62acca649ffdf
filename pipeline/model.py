"""Our own frozen dataclasses: what every stage hands to the next.

Data flows one way: file -> Document -> Annotated (sentences, entity spans)
-> mentions (one per extracted statement, with provenance) -> facts.
No library object (pdfplumber, spaCy) ever leaves the module that made it.
All classes are frozen, hashable where possible and picklable, so Prefect
tasks can ship them to another process or a Dask worker.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field, fields, replace
from typing import Iterable, Optional

# Section kinds a reader sees. Findings are only taken from CONTENT_SECTIONS.
SECTION_KINDS = (
    "title",
    "abstract",
    "keywords",
    "body",
    "figure_legend",
    "table",
    "abbreviations",
    "references",
    "back_matter",   # acknowledgements, funding, declarations, author info
    "chrome",        # saved web-page furniture: menus, disclaimers, share buttons
)
CONTENT_SECTIONS = frozenset({"title", "abstract", "body", "figure_legend", "table"})
# a single-study record (a PubMed title + abstract) is at most this long: longer texts are reviews
RECORD_MAX_CHARS = 12_000
# the nouns a study's arms are labelled with: "arm A", "cohort 2", "Part B", "groups B and C" (sentence splitting and
# attribution both read them)
ARM_LABEL_NOUNS = "arm|cohort|group|part"


# how the `drug` column joins alternatives a group received one or another of (exports split on it)
ALTERNATIVES_JOIN = " or "


def join_alternatives(regimens: Iterable[str]) -> str:
    """Drugs a group received one or another of ("sunitinib or pazopanib"): sorted and joined with ALTERNATIVES_JOIN
    (no combination: each patient had one of them)."""
    return ALTERNATIVES_JOIN.join(sorted(dict.fromkeys(r for r in regimens if r)))


def join_regimen(drugs: Iterable[str]) -> str:
    """Combination regimens: components sorted and joined with ' + '."""
    parts: list[str] = []
    for d in drugs:
        for p in d.split(" + "):
            if p and p not in parts:
                parts.append(p)
    return " + ".join(sorted(parts))


@dataclass(frozen=True)
class PageSpan:
    """Characters [char_start, char_end) of the normalized text lie on `page`."""

    page: int
    char_start: int
    char_end: int
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class Section:
    """A run of the normalized text under one heading.

    `heading` is the heading as printed ("Gastric cancer", "References");
    `kind` is one of SECTION_KINDS.
    """

    heading: str
    kind: str
    char_start: int
    char_end: int
    page: int = 1


@dataclass(frozen=True)
class LineBox:
    """Where a line of normalized text sits on a PDF page (PDF points)."""

    char_start: int
    char_end: int
    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class Cell:
    """One table cell. Offsets point into Document.text when the cell's text
    is part of it (always for text tables, usually for PDF tables)."""

    row: int
    col: int
    text: str
    char_start: Optional[int] = None
    char_end: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None


@dataclass(frozen=True)
class Table:
    table_id: str            # e.g. "T2" (stable within the document)
    caption: str             # "Table 2 Recent agents targeting HER2 in different cancer"
    page: int
    n_rows: int
    n_cols: int
    cells: tuple[Cell, ...]
    char_start: Optional[int] = None
    char_end: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    header_rows: tuple[int, ...] = (0,)   # rows holding column headers (continued blocks repeat them)

    def grid(self) -> list[list[str]]:
        rows = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            rows[c.row][c.col] = c.text
        return rows

    def cell(self, row: int, col: int) -> Optional[Cell]:
        for c in self.cells:
            if c.row == row and c.col == col:
                return c
        return None


@dataclass(frozen=True)
class Document:
    doc_id: str                    # sha256 of the file's bytes
    source_file: str               # file name relative to the corpus root
    kind: str                      # "text" | "pdf"
    text: str = ""                 # the normalized text all offsets refer to
    title: str = ""
    doi: str = ""                  # the document's own DOI where printed (work identity)
    pages: tuple[PageSpan, ...] = ()
    sections: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()
    boxes: tuple[LineBox, ...] = ()   # PDFs only
    status: str = "ok"             # "ok" | "failed"
    error: str = ""                # one line, with an error code, when failed
    warnings: tuple[str, ...] = ()   # coded one-line notes for the user on an ok document (E015)

    @property
    def sha256(self) -> str:
        return self.doc_id

    @property
    def n_pages(self) -> int:
        return len(self.pages) or (1 if self.text else 0)

    def page_at(self, offset: int) -> int:
        if not self.pages:
            return 1
        starts = [p.char_start for p in self.pages]
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        return self.pages[i].page

    def section_at(self, offset: int) -> Optional[Section]:
        starts = [s.char_start for s in self.sections]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and self.sections[i].char_start <= offset < self.sections[i].char_end:
            return self.sections[i]
        return None

    def bbox_of(self, char_start: int, char_end: int) -> Optional[tuple[int, float, float, float, float]]:
        """(page, x0, top, x1, bottom) enclosing the lines a span touches on
        its first page, or None for documents without layout."""
        hits = [b for b in self.boxes if b.char_start < char_end and b.char_end > char_start]
        if not hits:
            return None
        page = hits[0].page
        hits = [b for b in hits if b.page == page]
        return (
            page,
            min(b.x0 for b in hits),
            min(b.top for b in hits),
            max(b.x1 for b in hits),
            max(b.bottom for b in hits),
        )


@dataclass(frozen=True)
class Sentence:
    index: int
    char_start: int
    char_end: int
    page: int
    section: str            # heading of the enclosing section
    section_kind: str
    bbox: Optional[tuple[float, float, float, float]] = None   # PDFs: x0, top, x1, bottom


@dataclass(frozen=True)
class EntitySpan:
    char_start: int
    char_end: int
    text: str
    label: str              # DRUG, CANCER, GENE, AGENCY, TRIAL, ...
    normalized: str         # canonical form from the lexicon ("trastuzumab deruxtecan")
    source: str             # "lexicon" | "abbreviation" | "model"


@dataclass(frozen=True)
class Abbreviation:
    short: str
    long: str
    char_start: int         # of the short form where it is defined
    char_end: int


@dataclass(frozen=True)
class Annotated:
    """A document after the NLP stage."""

    doc: Document
    sentences: tuple[Sentence, ...]
    entities: tuple[EntitySpan, ...]
    abbreviations: tuple[Abbreviation, ...]


# --------------------------------------------------------------------------
# Mentions: one per extracted statement, each with full provenance.


@dataclass(frozen=True)
class Provenance:
    doc_id: str
    source_file: str
    page: int
    section: str
    char_start: Optional[int]      # into the saved normalized text; None for table cells without offsets
    char_end: Optional[int]
    quote: str                     # == text[char_start:char_end]
    sentence: str                  # the whole sentence or table row
    extractor: str                 # rule id or table id that produced the mention
    cited_refs: str = ""           # "[64] 10.1056/NEJMoa...; [65] Short title"
    table_id: str = ""
    row: Optional[int] = None
    col: Optional[int] = None
    # PDFs: where the quote sits on its page (PDF points), so it can be highlighted
    x0: Optional[float] = None
    top: Optional[float] = None
    x1: Optional[float] = None
    bottom: Optional[float] = None


@dataclass(frozen=True)
class TrialMention:
    nct_id: str
    trial: str
    phase: str
    drug: str
    cancer_type: str
    prov: Provenance

    kind = "trial"


@dataclass(frozen=True)
class EndpointMention:
    endpoint: str                  # ORR, PFS, OS, DCR, DFS, TTP, PCR, DOR, CBR, EFS, IDFS, HR
    value: str                     # "55.0", "NR"
    unit: str                      # "%", "months", "weeks", "years", "" (HR)
    comparator_value: str
    n: str
    n_total: str
    hr: str
    ci_low: str
    ci_high: str
    p_value: str
    population: str
    drug: str
    comparator: str
    trial: str
    nct_id: str
    cancer_type: str
    prov: Provenance
    timepoint: str = ""            # landmark rates: "12-month"

    kind = "endpoint"


@dataclass(frozen=True)
class ApprovalMention:
    agency: str
    event: str
    date: str                      # ISO at the precision written: 2007-03-13, 2010-01, 1998
    drug: str
    indication: str
    cancer_type: str
    line: str
    based_on_trial: str
    prov: Provenance

    kind = "approval"


Mention = TrialMention | EndpointMention | ApprovalMention

MENTION_COLUMNS = {
    "trial": ["nct_id", "trial", "phase", "drug", "cancer_type"],
    "endpoint": [
        "endpoint", "value", "unit", "timepoint", "comparator_value", "n", "n_total", "hr",
        "ci_low", "ci_high", "p_value", "population", "drug", "comparator", "trial",
        "nct_id", "cancer_type",
    ],
    "approval": ["agency", "event", "date", "drug", "indication", "cancer_type", "line", "based_on_trial"],
}
PROVENANCE_COLUMNS = [
    "cited_refs", "mention_id", "doc_id", "source_file", "page", "section", "char_start",
    "char_end", "quote", "sentence", "extractor", "table_id", "row", "col", "x0", "top", "x1", "bottom",
]


def mention_payload(m: Mention) -> dict[str, str]:
    """The kind-specific fields of a mention, in contract order."""
    return {name: getattr(m, name) for name in MENTION_COLUMNS[m.kind]}


def mention_id(m: Mention) -> str:
    """Stable id: same statement, same rule, same place -> same id on every machine."""
    p = m.prov
    key = "|".join(
        [m.kind, p.doc_id, str(p.char_start), str(p.char_end), p.table_id, str(p.row), str(p.col), p.extractor]
        + [f"{k}={v}" for k, v in mention_payload(m).items()]
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def mention_to_row(m: Mention) -> dict[str, object]:
    """Flat CSV row: contract columns then provenance columns."""
    row: dict[str, object] = dict(mention_payload(m))
    p = m.prov
    for name in PROVENANCE_COLUMNS:
        if name == "mention_id":
            row[name] = mention_id(m)
        else:
            v = getattr(p, name)
            row[name] = "" if v is None else v
    return row


def mention_from_row(kind: str, row: dict[str, object]) -> Mention:
    """Inverse of mention_to_row (used by the store)."""

    def _opt_int(v: object) -> Optional[int]:
        return None if v in ("", None) else int(v)  # type: ignore[arg-type]

    prov_kwargs = {}
    for f in fields(Provenance):
        v = row.get(f.name, "")
        if f.name in ("char_start", "char_end", "row", "col"):
            prov_kwargs[f.name] = _opt_int(v)
        elif f.name in ("x0", "top", "x1", "bottom"):
            prov_kwargs[f.name] = None if v in ("", None) else float(v)  # type: ignore[arg-type]
        elif f.name == "page":
            prov_kwargs[f.name] = int(v or 1)  # type: ignore[arg-type]
        else:
            prov_kwargs[f.name] = "" if v is None else str(v)
    prov = Provenance(**prov_kwargs)
    cls = {"trial": TrialMention, "endpoint": EndpointMention, "approval": ApprovalMention}[kind]
    kwargs = {name: ("" if row.get(name) is None else str(row.get(name, ""))) for name in MENTION_COLUMNS[kind]}
    return cls(prov=prov, **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DocResult:
    """Everything one per-document task returns."""

    doc: Document
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[EntitySpan, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()
    mentions: tuple[Mention, ...] = field(default_factory=tuple)


def slim_result(r: DocResult) -> DocResult:
    """A document's record and its mentions (what reconciliation groups across documents), without
    text, pages, sections, tables, boxes, sentences, entities or abbreviations."""
    return DocResult(replace(r.doc, text="", pages=(), sections=(), tables=(), boxes=()), mentions=r.mentions)


@dataclass(frozen=True)
class DocHead:
    """What a run needs of a document answered by the per-document cache whose files are out
    already: its slim result and the counts documents.csv shows. Read instead of the whole cached
    result (about an eighth of its decoding time); the whole one is read when the document's files
    must be written again."""

    result: DocResult                 # slim_result: record fields and mentions
    n_pages: int
    n_sentences: int
    table_ids: tuple[str, ...]


def result_head(r: DocResult) -> DocHead:
    return DocHead(slim_result(r), r.doc.n_pages, len(r.sentences), tuple(t.table_id for t in r.doc.tables))


@dataclass(frozen=True)
class PreparedResult:
    """A processed document as its worker process hands it to the flow (process.prepared_result): its
    head and the bytes the flow writes for it, made in the worker process so that the flow's own
    process, which every document passes through, decodes no whole result and encodes nothing: the
    per-document cache's two entries, the document's files (outputs.document_files order: its text,
    then each table's CSV) and its entities.csv rows. `notes`: what was logged while making the files
    ("files", message) and the entities rows ("entities", message), said again by the flow when it
    writes them."""

    head: DocHead
    cache_entry: bytes = b""                 # gzip JSON of the whole result (process.save_cached's entry)
    cache_head: bytes = b""                  # gzip JSON of the head
    files: tuple[bytes, ...] = ()
    entities: bytes = b""
    pairs: Optional[dict] = None             # candidates.entities_with_sentences (with an NER model only)
    notes: tuple[tuple[str, str], ...] = ()

    @property
    def doc(self) -> "Document":
        """The document's record (no text, pages, sections or tables: slim_result)."""
        return self.head.result.doc


# --------------------------------------------------------------------------
# Facts: reconciled statements (built by pipeline/reconcile.py).


@dataclass(frozen=True)
class Fact:
    fact_id: str                          # stable hash of (kind, key)
    kind: str                             # "trial" | "endpoint" | "approval"
    key: tuple[str, ...]                  # the normalized key the id is hashed from
    fields: tuple[tuple[str, str], ...]   # normalized fields of the mention contract
    value: str                            # the agreed value ("" when in conflict)
    values: tuple[str, ...]               # every distinct value seen, sorted
    status: str                           # "consistent" | "conflict"
    n_sources: int                        # mentions behind the fact
    n_works: int                          # distinct publications behind the fact
    sources: tuple[str, ...]              # "source_file:page", sorted, distinct
    mention_ids: tuple[str, ...]
    curation: str = ""                    # "", "accepted", "corrected" (rejected facts leave exports)
    curation_note: str = ""
    # every distinct value with the sources ("source_file:page") that state it,
    # sorted by value: shows who said what when the fact is in conflict
    value_sources: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def field(self, name: str) -> str:
        return dict(self.fields).get(name, "")


# --------------------------------------------------------------------------
# Run history snapshots (built by pipeline/store.py, read by diff/report).


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    started: str                          # ISO timestamp, UTC
    finished: str
    status: str                           # "running" | "ok" | "partial" | "failed"
    rules_hash: str
    code_version: str
    corpus: str
    n_documents: int = 0
    n_failed: int = 0


@dataclass(frozen=True)
class DocumentRecord:
    doc_id: str
    source_file: str
    kind: str
    title: str
    doi: str
    status: str
    error: str
    rules_hash: str
    code_version: str
    reused: bool = False                  # True when the run reused stored results


@dataclass(frozen=True)
class RunSnapshot:
    """Everything a diff report needs about one run."""

    run: RunInfo
    documents: tuple[DocumentRecord, ...]
    facts: tuple[Fact, ...]
    mentions: tuple[Mention, ...]          # the mentions behind the facts (for quotes, pages, offsets)


# --------------------------------------------------------------------------
# A fact in plain words (curation's rejected.csv, the diff report, the CLI).


def fact_value_text(f: Fact) -> str:
    """The fact's value as displayed ("55%", "6.2 months; HR 0.5", "2010-01", "III");
    every seen value, marked, when the sources conflict."""
    if f.value:
        return f.value
    if f.values:
        return " / ".join(f.values) + (" (conflict)" if f.status == "conflict" else "")
    return ""


def fact_subject(f: Fact) -> str:
    """The fact without its value: "ORR of trastuzumab deruxtecan in DESTINY-Breast03 (breast)"."""
    g = f.field
    cancer = g("cancer_type").replace("_", " ")
    if f.kind == "endpoint":
        ep = " ".join(x for x in (g("timepoint"), g("endpoint") or "endpoint") if x)
        s = f"{ep} of {g('drug') or 'unnamed drug'}"
        if g("comparator"):
            s += f" vs {g('comparator')}"
        if g("trial") or g("nct_id"):
            s += f" in {g('trial') or g('nct_id')}"
        extra = ", ".join(x for x in (cancer, g("population")) if x)
        return s + (f" ({extra})" if extra else "")
    if f.kind == "trial":
        s = f"Trial {g('trial') or g('nct_id') or '(unnamed)'}"
        if g("nct_id") and g("trial"):
            s += f" ({g('nct_id')})"
        if g("drug"):
            s += f" of {g('drug')}"
        if cancer:
            s += f" in {cancer} cancer"
        return s
    if f.kind == "approval":
        s = " ".join(x for x in (g("agency"), g("event") or "approval") if x)
        s += f" of {g('drug') or 'unnamed drug'}"
        target = g("indication") or cancer
        if target:
            s += f" for {target}"
        if g("line"):
            s += f" ({g('line')})"
        if g("based_on_trial"):
            s += f", based on {g('based_on_trial')}"
        return s
    return f"{f.kind} " + ", ".join(f"{k}={v}" for k, v in f.fields if v)


def fact_statement(f: Fact) -> str:
    """The fact in plain words: "ORR of trastuzumab deruxtecan in DESTINY-Breast03 (breast): 79.7%"."""
    v = fact_value_text(f)
    if f.kind == "trial" and v:
        v = f"phase {v}"
    return f"{fact_subject(f)}: {v}" if v else fact_subject(f)
