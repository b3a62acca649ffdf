"""Exports for analysts: one row per reconciled fact, mention-level files and
the data dictionary (extracted/README.md).

    trials.csv, endpoints.csv, approvals.csv    one row per fact (.parquet typed, or facts.xlsx)
    mentions/{trials,endpoints,approvals}.csv   one row per mention
    README.md                                   every output file and column

Every column of every output file is described once, in pipeline/schema.py;
the README, the CSV headers, the Parquet dtypes and field descriptions all come
from it, so they cannot drift.

Rows are typed first (fact_rows: None, float, int, list, str), then written per
format: CSV (UTF-8, LF, numbers plain, lists joined with ' | ', every cell made
spreadsheet-safe by pipeline.outputs.csv_text), Parquet (nulls, float64, Int64,
categoricals, list<string>, dates) or .xlsx (ids and partial dates as text).
Rows are in a stable order (kind-specific natural keys, then fact_id). Files are
written atomically (temporary file in the same folder, then os.replace).
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable, Iterable, Mapping, Optional, Sequence

from pipeline.config import Settings
from pipeline.errors import Errors, PipelineError
from pipeline.model import ALTERNATIVES_JOIN, Fact
from pipeline.outputs import (
    atomic_path,
    atomic_write_csv,
    atomic_write_text,
    atomic_write_xlsx,
    cells_text,
    csv_text,
    safe_cell,
    write_mention_csvs,
)
from pipeline.schema import (
    CATEGORIES,
    FACT_FILES,
    KINDS,
    MULTI_SEP,
    OUTPUT_FILES,
    date_precision,
    documented_columns,
    fact_columns,
    fact_schema,
    parse_endpoint_value,
    readme_text,
    split_p_value,
    timepoint_months,
    ValueFormatError,
)

__all__ = [
    "OUTPUT_FILES", "FACT_FILES", "fact_columns", "fact_rows", "write_fact_csvs", "write_mention_csvs",
    "write_readme", "readme_text", "export_run", "export_command", "atomic_write_text", "atomic_write_csv",
    "documented_columns",
]

FORMATS = ("csv", "parquet", "xlsx")
# extra separators some multi-valued fields use inside one source's value ("first-line, second-line")
_SPLIT = {"line": re.compile(r" \| |, |; "), "indication": re.compile(r" \| |; "),
          "based_on_trial": re.compile(r" \| |; |, ")}
_BAR = re.compile(r" \| ")


def write_readme(out_dir: Path) -> Path:
    p = Path(out_dir) / "README.md"
    atomic_write_text(p, readme_text())
    return p


# --------------------------------------------------------------------------
# Rows: typed values (None = null, float, int, list of str, str), then per format


def _float(v: object) -> Optional[float]:
    s = "" if v is None else str(v).strip().replace(",", "")
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return float(d) if d.is_finite() else None


def _int(v: object) -> Optional[int]:
    s = "" if v is None else str(v).strip().replace(",", "")
    return int(s) if re.fullmatch(r"\d+", s) else None


def _num_text(v: object) -> str:
    """A plain number without exponent or thousands separator."""
    d = Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v))
    return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))


def _multi(name: str, v: object) -> Optional[list[str]]:
    """A multi-valued cell as a sorted list of distinct values (None when empty)."""
    items = v if isinstance(v, (list, tuple)) else _SPLIT.get(name, _BAR).split(str(v or ""))
    out = sorted({str(x).strip() for x in items if str(x).strip()}, key=lambda x: (x.casefold(), x))
    return out or None


def _precision(date: str) -> Optional[str]:
    try:
        return date_precision(date) if date else None
    except ValueFormatError:
        return None


def corrected_fields(kind: str, value: str) -> dict[str, str]:
    """The value columns a curator's corrected value sets (curation validated it already)."""
    try:
        if kind == "endpoint":
            return parse_endpoint_value(value)
    except ValueFormatError:
        return {"value": value}
    return {"phase" if kind == "trial" else "date": value}


def _typed(col, fields: Mapping[str, str]):
    name, t = col.name, col.type
    raw = fields.get(name, "")
    if name == "value_num":
        return _float(fields.get("value"))
    if name == "timepoint_months":
        return timepoint_months(fields.get("timepoint", ""))
    if name in ("p_value", "p_value_sign"):
        num, sign = split_p_value(fields.get("p_value", ""))
        return num if name == "p_value" else (sign or None)
    if name == "date_precision":
        return _precision(fields.get("date", ""))
    if t == "list":
        return _multi(name, raw)
    if t == "number":
        return _float(raw)
    if t == "integer":
        return _int(raw)
    return raw if raw not in ("", None) else None


def fact_rows(facts: Iterable[Fact], kind: str, history: Optional[Mapping[str, object]] = None) -> list[dict]:
    """Typed export rows of one kind (columns of schema.fact_columns), sorted by natural
    keys then fact_id. `history`: fact_id -> object with first_seen_run/last_seen_run
    (store.FactHistory). Rejected facts are left out; a corrected fact carries the
    curator's value in every value column and is consistent."""
    history = history or {}
    cols = fact_schema(kind).columns
    rows = []
    for f in facts:
        if f.kind != kind or f.curation == "rejected":
            continue
        h = history.get(f.fact_id)
        fields: dict[str, object] = dict(f.fields)
        if f.curation == "corrected":
            fields.update(corrected_fields(kind, f.value))
        fields.update({
            "fact_id": f.fact_id, "values": list(f.values),
            "value_sources": [f"{v} [{', '.join(s)}]" for v, s in f.value_sources],
            "status": "consistent" if f.curation == "corrected" else f.status,
            "n_sources": f.n_sources, "n_works": f.n_works, "sources": list(f.sources),
            "first_seen_run": getattr(h, "first_seen_run", "") if h else "",
            "last_seen_run": getattr(h, "last_seen_run", "") if h else "",
            "curation": f.curation, "curation_note": f.curation_note,
        })
        rows.append({c.name: _typed(c, fields) for c in cols})
    return sorted(rows, key=lambda r: _natural(kind, r))


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return MULTI_SEP.join(v)
    if isinstance(v, (int, float)):
        return _num_text(v)
    return str(v)


def _natural(kind: str, row: Mapping[str, object]) -> tuple:
    k = lambda name: _text(row.get(name)).casefold()  # noqa: E731
    if kind == "trial":
        return (k("nct_id") == "", k("nct_id"), k("trial"), row["fact_id"])
    if kind == "endpoint":
        return (k("drug"), k("cancer_type"), k("nct_id"), k("trial"), k("endpoint"), k("timepoint"),
                k("population"), k("comparator"), row["fact_id"])
    return (k("drug"), k("agency"), k("date"), k("event"), k("cancer_type"), k("indication"), row["fact_id"])


def text_rows(rows: Iterable[Mapping[str, object]]) -> list[dict[str, str]]:
    """Typed rows as CSV text cells (lists joined with ' | ', numbers plain, null blank)."""
    return [{k: _text(v) for k, v in r.items()} for r in rows]


def write_fact_csvs(facts: Sequence[Fact], out_dir: Path, history: Optional[Mapping[str, object]] = None,
                    kinds: Sequence[str] = KINDS, names: Optional[Mapping[str, str]] = None) -> list[Path]:
    """trials.csv, endpoints.csv, approvals.csv under out_dir (`names`: other file names per kind)."""
    paths = []
    for kind in kinds:
        p = Path(out_dir) / (names or FACT_FILES)[kind]
        atomic_write_csv(p, fact_columns(kind), text_rows(fact_rows(facts, kind, history)))
        paths.append(p)
    return paths


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def restamp_fact_csvs(src_dir: Path, out_dir: Path, digests: Mapping[str, str], last_run: str,
                      run_id: str) -> Optional[list[Path]]:
    """The fact CSVs of run `run_id` when its facts and their first_seen_run are those of `last_run`,
    whose fact CSVs under `src_dir` had the sha256 `digests` (file name -> digest) as it published
    them: `last_run`'s files with last_seen_run set to `run_id` (the bytes write_fact_csvs writes,
    without typing and rendering every fact again), written under out_dir, in write_fact_csvs's order.
    None, and nothing written, when a file is not as published (edited, rewritten by `export`) or a
    row was last seen in another run. Each row's text is kept but for its cells from last_seen_run
    on, written again (cells_text quotes field by field, or a whole row holding a CR: the rest of
    the row is the same text; tests/test_export.py)."""
    texts: dict[str, str] = {}
    last, new = safe_cell(last_run)[0], safe_cell(run_id)[0]
    for kind in KINDS:
        name = FACT_FILES[kind]
        try:
            data = (Path(src_dir) / name).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != digests.get(name):
            return None
        header = fact_columns(kind)
        col = header.index("last_seen_run")
        lines = list(io.StringIO(data.decode("utf-8"), newline=""))    # as csv.reader reads a file
        reader = csv.reader(lines)
        parts, start = [], 0
        for i, row in enumerate(reader):
            text = "".join(lines[start:reader.line_num])
            start = reader.line_num
            if i == 0:
                if row != header:
                    return None
                parts.append(text)
                continue
            if len(row) != len(header) or row[col] != last:
                return None
            quote_all = any("\r" in c for c in row)
            old_tail, new_tail = cells_text([row[col:]], quote_all), cells_text([[new] + row[col + 1:]], quote_all)
            if not text.endswith("," + old_tail):
                return None
            parts.append(text[:len(text) - len(old_tail)] + new_tail)
        if start != len(lines) or not parts:
            return None
        texts[name] = "".join(parts)
    paths = []
    for name, text in texts.items():
        atomic_write_text(Path(out_dir) / name, text)
        paths.append(Path(out_dir) / name)
    return paths


def _frame(kind: str, rows: Sequence[Mapping[str, object]]):
    """A pandas DataFrame with the schema's dtypes."""
    import pandas as pd

    cols = fact_schema(kind).columns
    df = pd.DataFrame(list(rows), columns=[c.name for c in cols])
    for c in cols:
        s = df[c.name]
        if c.type == "number":
            df[c.name] = pd.to_numeric(s, errors="coerce").astype("float64")
        elif c.type == "integer":
            df[c.name] = pd.array([None if v is None or v != v else int(v) for v in s], dtype="Int64")
        elif c.type == "category":
            found = sorted({v for v in s if isinstance(v, str)} - set(CATEGORIES.get(c.name, ())))
            df[c.name] = pd.Categorical([v if isinstance(v, str) else None for v in s],
                                        categories=list(CATEGORIES.get(c.name, ())) + found)
        elif c.type == "date":
            df[c.name] = pd.to_datetime([_period_start(v) if isinstance(v, str) else None for v in s])
        elif c.type == "list":
            df[c.name] = pd.Series([None if v is None else list(v) for v in s], dtype=object)
        else:
            df[c.name] = pd.Series([None if v in (None, "") else str(v) for v in s], dtype=object)
    return df


def _period_start(date: str) -> Optional[_dt.date]:
    if not date or _precision(date) is None:
        return None
    return _dt.date(int(date[:4]), int(date[5:7] or 1), int(date[8:10] or 1))


def _atomic_parquet(path: Path, kind: str, rows: Sequence[Mapping[str, object]]) -> None:
    """<kind>s.parquet: typed columns (nulls, floats, Int64, categoricals, lists, dates) and
    each field's description from the schema as Arrow field metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    spec = fact_schema(kind)
    table = pa.Table.from_pandas(_frame(kind, rows), preserve_index=False)
    docs = {c.name: c for c in spec.columns}
    fields = [f.with_metadata({b"description": docs[f.name].description.encode("utf-8"),
                               b"type": docs[f.name].type.encode()}) for f in table.schema]
    meta = dict(table.schema.metadata or {})
    meta[b"description"] = spec.description.encode("utf-8")
    table = pa.Table.from_arrays(table.columns, schema=pa.schema(fields, metadata=meta))
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)


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
    return {p.strip().casefold() for chunk in value.split(" | ") for alt in chunk.split(ALTERNATIVES_JOIN)
            for p in alt.split(" + ") if p.strip()}


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


def _check_export_args(kind: Optional[str], fmt: str) -> None:
    if fmt not in FORMATS:
        raise PipelineError(Errors.E202.format(reason=f"export format {fmt!r} (expected {', '.join(FORMATS)})"))
    if kind is not None and kind not in KINDS:
        raise PipelineError(Errors.E202.format(reason=f"export kind {kind!r} (expected one of {', '.join(KINDS)})"))
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise PipelineError(Errors.E202.format(
                reason=f"parquet export needs a working pyarrow ({str(exc).splitlines()[0]})")) from None


class EmptyExportError(PipelineError):
    """An export filter matched no fact: nothing was written."""


def filter_suffix(drug: Optional[str], cancer: Optional[str]) -> str:
    """'.drug-t-dxd.cancer-breast' for file names of a filtered export."""
    slug = lambda v: re.sub(r"[^a-z0-9]+", "-", v.casefold()).strip("-") or "x"  # noqa: E731
    return "".join(f".{k}-{slug(v)}" for k, v in (("drug", drug), ("cancer", cancer)) if v)


def export_file_names(fmt: str, suffix: str = "") -> dict[str, str]:
    """kind -> file name: trials.csv / trials.parquet (one workbook facts.xlsx for xlsx), with the filter suffix."""
    if fmt == "xlsx":
        return {k: f"facts{suffix}.xlsx" for k in KINDS}
    return {k: name.replace(".csv", f"{suffix}.{fmt}") for k, name in FACT_FILES.items()}


def export_run(store, run_id: str, out_dir: Path, kind: Optional[str] = None, drug: Optional[str] = None,
               cancer: Optional[str] = None, fmt: str = "csv", rules=None, readme: bool = True,
               facts_hook: Optional[Callable[[list[Fact]], Sequence[Fact]]] = None, suffix: str = "") -> list[Path]:
    """Write the fact exports of a recorded run (history up to that run) to out_dir.
    `facts_hook` rewrites the stored facts first (curation applies today's decisions);
    `suffix` goes into the file names (filtered exports). A drug/cancer filter that
    matches no fact raises EmptyExportError (E403) and writes nothing."""
    _check_export_args(kind, fmt)
    facts = list(store.facts(run_id))
    if facts_hook is not None:
        facts = list(facts_hook(facts))
    facts = filter_facts(facts, kind, drug, cancer, rules)
    if (drug or cancer) and not any(f.curation != "rejected" for f in facts):
        what = ", ".join(f"{k} {v!r}" for k, v in (("kind", kind), ("drug", drug), ("cancer", cancer)) if v)
        raise EmptyExportError(Errors.E403.format(filter=what, run=run_id))
    history = store.fact_histories(upto_run=run_id)
    kinds = [kind] if kind else list(KINDS)
    out_dir = Path(out_dir)
    names = export_file_names(fmt, suffix)
    paths: list[Path] = []
    if fmt == "csv":
        paths += write_fact_csvs(facts, out_dir, history, kinds, names)
    elif fmt == "parquet":
        for k in kinds:
            p = out_dir / names[k]
            _atomic_parquet(p, k, fact_rows(facts, k, history))
            paths.append(p)
    else:
        p = out_dir / names[kinds[0]]
        atomic_write_xlsx(p, [(FACT_FILES[k].removesuffix(".csv"), fact_columns(k),
                               _xlsx_rows(fact_rows(facts, k, history))) for k in kinds])
        paths.append(p)
    if readme:
        paths.append(write_readme(out_dir))
    return paths


def _xlsx_rows(rows: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """Numbers stay numbers, everything else text (ids and partial dates as written)."""
    return [{k: v if isinstance(v, (int, float)) else _text(v) for k, v in r.items()} for r in rows]


def export_command(settings: Settings, out_dir: Optional[Path], kind: Optional[str], drug: Optional[str],
                   cancer: Optional[str], fmt: str,
                   facts_hook: Optional[Callable[[list[Fact]], Sequence[Fact]]] = None) -> list[Path]:
    """`python -m pipeline export`: the latest ok run of settings.store_url (the latest
    partial run when no run is ok), filtered, to out_dir (default: the output root).
    Nothing is re-extracted. Writes <kind>s.csv / .parquet per kind (all three without
    `kind`) or facts.xlsx, and README.md. A drug/cancer filter never writes the output
    root's main files: without another folder the file names carry the filter
    (endpoints.drug-t-dxd.csv)."""
    from pipeline.store import Store

    _check_export_args(kind, fmt)
    rules = None
    if drug or cancer:
        from pipeline.rules import load_rules

        rules = load_rules(settings.rules_dir)
    dest = Path(out_dir) if out_dir is not None else Path(settings.out)
    suffix = filter_suffix(drug, cancer) if dest.resolve() == Path(settings.out).resolve() else ""
    store = Store.open(settings.store_url)
    try:
        run = store.latest_run("ok") or store.latest_run("partial")
        if run is None:
            raise PipelineError(Errors.E303.format(url=store.url))
        return export_run(store, run.run_id, dest, kind, drug, cancer, fmt, rules, facts_hook=facts_hook,
                          suffix=suffix)
    finally:
        store.close()


def csv_for(facts: Sequence[Fact], kind: str, history: Optional[Mapping[str, object]] = None) -> str:
    """The CSV text write_fact_csvs writes for one kind (for tests and reports)."""
    return csv_text(fact_columns(kind), text_rows(fact_rows(facts, kind, history)))
