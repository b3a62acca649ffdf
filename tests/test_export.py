"""Analyst exports: fact CSVs, mention CSVs, the data dictionary, export from the store."""
from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import conftest_store as cs
import pandas as pd
import pytest

from pipeline.config import Settings
from pipeline.errors import PipelineError
from pipeline.export import (
    FACT_FILES,
    EmptyExportError,
    OUTPUT_FILES,
    documented_columns,
    export_command,
    fact_columns,
    readme_text,
    write_fact_csvs,
    write_mention_csvs,
    write_readme,
)
from pipeline.model import MENTION_COLUMNS, PROVENANCE_COLUMNS, RunInfo, mention_from_row, mention_id
from pipeline.reconcile import documents_to_works, mentions_to_facts
from pipeline.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _facts(mentions=None):
    return mentions_to_facts(mentions or cs.all_mentions(), documents_to_works(cs.all_documents()))


def _record(out: Path, mentions, status: str = "ok") -> tuple[Settings, str]:
    settings = Settings.resolve(out=str(out))
    groups = cs.by_doc(mentions)
    recs = [cs.record(n) for n in sorted(groups)]
    facts = mentions_to_facts(mentions, documents_to_works([cs.document(n) for n in sorted(groups)]))
    with Store.open(settings.store_url) as store:
        run_id = store.record_run(RunInfo("", "", "", status, "r", "c", "corpus"), recs,
                                  [(r, groups[r.source_file]) for r in recs], facts)
    return settings, run_id


def test_fact_csvs_open_in_pandas_with_numbers_as_numbers(tmp_path):
    ms = cs.all_mentions()
    pfs = next(m for m in ms if m.kind == "endpoint" and m.endpoint == "PFS")
    from dataclasses import replace

    ms.append(replace(pfs, hr="0.54", ci_low="0.42", ci_high="0.71", n="112", n_total="1004",
                      prov=replace(pfs.prov, char_start=pfs.prov.char_start + 1)))
    paths = write_fact_csvs(_facts(ms), tmp_path, {})
    assert [p.name for p in paths] == ["trials.csv", "endpoints.csv", "approvals.csv"]
    raw = (tmp_path / "endpoints.csv").read_bytes()
    assert b"\r" not in raw
    raw.decode("utf-8")
    ep = pd.read_csv(tmp_path / "endpoints.csv", keep_default_na=False, na_values=[""])
    assert list(ep.columns) == fact_columns("endpoint")
    for col in ("hr", "ci_low", "ci_high", "value_num"):
        assert pd.api.types.is_float_dtype(ep[col]), col
    for col in ("n_sources", "n_works"):
        assert pd.api.types.is_integer_dtype(ep[col]), col
    row = ep[ep["endpoint"] == "PFS"].iloc[0]
    assert (row["value_num"], row["hr"], row["ci_low"], row["unit"], row["status"]) == (6.2, 0.54, 0.42, "months",
                                                                                        "consistent")
    orr = ep[ep["endpoint"] == "ORR"].iloc[0]
    assert orr["status"] == "conflict" and pd.isna(orr["value_num"]) and pd.isna(orr["value"])
    assert orr["values"] == "54.9% | 55%"
    assert orr["value_sources"] == f"54.9% [{cs.LINK}:1] | 55% [{cs.F000}:1]"
    # numbers unquoted, no thousands separators
    line = next(x for x in raw.decode().splitlines() if ",PFS," in x)
    assert ",1004," in line and '"1004"' not in line and "1,004" not in line
    ap = pd.read_csv(tmp_path / "approvals.csv", keep_default_na=False, na_values=[""], dtype={"date": str})
    tuc = ap[ap["drug"] == "tucatinib"].iloc[0]
    assert (tuc["date"], tuc["date_precision"], tuc["n_works"]) == ("2020-04-17", "day", 2)
    assert "value" not in ap.columns and "value" not in tr_columns(tmp_path)      # no column repeats date / phase
    assert pd.to_datetime(tuc["date"]).year == 2020
    lap = ap[ap["drug"] == "lapatinib"].iloc[0]
    assert lap["status"] == "conflict" and lap["values"] == "2007-03-12 | 2007-03-13"
    tr = pd.read_csv(tmp_path / "trials.csv", keep_default_na=False, na_values=[""])
    db03 = tr[tr["nct_id"] == "NCT03529110"].iloc[0]
    assert (db03["trial"], db03["phase"], db03["n_sources"], db03["n_works"]) == ("DESTINY-Breast03", "III", 4, 3)
    assert db03["sources"] == f"{cs.F000}:1 | {cs.F002}:1 | {cs.LINK}:1"


def tr_columns(folder: Path) -> list[str]:
    return list(pd.read_csv(folder / "trials.csv", nrows=0).columns)


def test_rows_are_in_a_stable_natural_order(tmp_path):
    write_fact_csvs(_facts(), tmp_path, {})
    ap = list(csv.DictReader((tmp_path / "approvals.csv").open(encoding="utf-8")))
    assert [r["drug"] for r in ap] == ["", "lapatinib", "trastuzumab", "tucatinib"]
    tr = list(csv.DictReader((tmp_path / "trials.csv").open(encoding="utf-8")))
    assert [r["nct_id"] for r in tr] == ["NCT03043313", "NCT03529110"]


def test_exports_are_byte_identical_for_shuffled_and_repeated_input(tmp_path):
    ms = cs.all_mentions()
    works = documents_to_works(cs.all_documents())
    a, b = tmp_path / "a", tmp_path / "b"
    write_fact_csvs(mentions_to_facts(ms, works), a, {})
    write_mention_csvs(ms, a)
    shuffled = ms + ms[:4]
    random.Random(7).shuffle(shuffled)
    write_fact_csvs(mentions_to_facts(shuffled, works), b, {})
    write_mention_csvs(shuffled, b)
    for rel in ["trials.csv", "endpoints.csv", "approvals.csv", "mentions/trials.csv", "mentions/endpoints.csv",
                "mentions/approvals.csv"]:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_mention_csvs_round_trip(tmp_path):
    ms = cs.all_mentions()
    paths = write_mention_csvs(ms, tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["mentions/trials.csv", "mentions/endpoints.csv",
                                                                   "mentions/approvals.csv"]
    back = []
    for kind, p in zip(["trial", "endpoint", "approval"], paths):
        rows = list(csv.DictReader(p.open(encoding="utf-8", newline="")))
        assert list(rows[0]) == MENTION_COLUMNS[kind] + PROVENANCE_COLUMNS
        back += [mention_from_row(kind, r) for r in rows]
    assert sorted(back, key=mention_id) == sorted(ms, key=mention_id)


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    (tmp_path / "trials.csv").write_text("old\n")
    write_fact_csvs(_facts(), tmp_path, {})
    write_readme(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "approvals.csv", "endpoints.csv", "trials.csv"]
    assert (tmp_path / "trials.csv").read_text().startswith("fact_id,")


def _readme_columns(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = []
        elif current and line.startswith("| `"):
            out[current].append(re.match(r"\| `([^`]+)`", line).group(1))
    return out


def _doc_key(rel: str) -> str:
    if rel.startswith("tables/"):
        return "tables/<doc>_<table_id>.csv"
    if rel.startswith("reports/"):
        return "reports/<run>.csv"
    return rel


def test_columns_of_files_other_modules_write_match_their_lists():
    from pipeline import candidates, curation, report

    assert documented_columns("rejected.csv") == list(curation.REJECTED_COLUMNS)
    assert documented_columns("reports/<run>.csv") == list(report.CSV_COLUMNS)
    assert documented_columns("candidates.csv") == list(candidates.CANDIDATE_COLUMNS)


def test_every_column_of_every_written_csv_is_documented(tmp_path):
    write_fact_csvs(_facts(), tmp_path, {})
    write_mention_csvs(cs.all_mentions(), tmp_path)
    readme = _readme_columns(write_readme(tmp_path).read_text(encoding="utf-8"))
    written = sorted(tmp_path.rglob("*.csv"))
    # the lead's document-level outputs, where the main job has written them
    written += sorted((ROOT / "extracted").glob("*.csv")) + sorted((ROOT / "extracted").glob("*/*.csv"))
    checked = 0
    for p in written:
        base = tmp_path if p.is_relative_to(tmp_path) else ROOT / "extracted"
        key = _doc_key(p.relative_to(base).as_posix())
        header = next(csv.reader(p.open(encoding="utf-8", newline="")))
        assert key in readme, f"{key} is not described in README.md"
        missing = [c for c in header if c not in readme[key]]
        assert not missing, f"{key}: columns {missing} are not documented"
        checked += 1
    assert checked >= 6
    for kind, name in FACT_FILES.items():
        assert documented_columns(name) == fact_columns(kind)
    assert {"documents.csv", "entities.csv", "candidates.csv", "rejected.csv", "text/<doc_id>.txt"} <= {
        f.path for f in OUTPUT_FILES}
    assert readme_text() == (tmp_path / "README.md").read_text(encoding="utf-8")


def test_export_command_from_the_store_with_filters(tmp_path):
    out = tmp_path / "extracted"
    settings, run_id = _record(out, cs.all_mentions())
    dest = tmp_path / "exports"
    paths = export_command(settings, dest, None, None, None, "csv")
    assert sorted(p.name for p in paths) == ["README.md", "approvals.csv", "endpoints.csv", "trials.csv"]
    tr = pd.read_csv(dest / "trials.csv", keep_default_na=False)
    assert set(tr["first_seen_run"]) == {run_id} == set(tr["last_seen_run"])
    # the same bytes as writing the facts directly with the store's history
    direct = tmp_path / "direct"
    with Store.open(settings.store_url) as store:
        write_fact_csvs(store.facts(run_id), direct, store.fact_histories(run_id))
    for name in FACT_FILES.values():
        assert (dest / name).read_bytes() == (direct / name).read_bytes()

    # --kind, --drug by alias (T-DXd -> trastuzumab deruxtecan; a regimen component counts), --cancer
    only = tmp_path / "only"
    paths = export_command(settings, only, "trial", "T-DXd", None, "csv")
    assert [p.name for p in paths] == ["trials.csv", "README.md"]
    assert list(pd.read_csv(only / "trials.csv")["nct_id"]) == ["NCT03529110"]
    export_command(settings, only, "endpoint", "Tukysa", "colorectal", "csv")
    ep = pd.read_csv(only / "endpoints.csv")
    assert sorted(ep["endpoint"]) == ["ORR", "PFS"]
    before = (only / "endpoints.csv").read_bytes()
    with pytest.raises(EmptyExportError, match=r"^E403 export: no fact matches kind 'endpoint', cancer 'breast'"):
        export_command(settings, only, "endpoint", None, "breast", "csv")
    assert (only / "endpoints.csv").read_bytes() == before          # nothing written
    export_command(settings, only, "approval", None, "breast cancer", "csv")
    assert sorted(pd.read_csv(only / "approvals.csv")["drug"]) == ["lapatinib", "trastuzumab", "tucatinib"]


def _pyarrow_or_skip():
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"pyarrow cannot be imported in this environment: {str(exc).splitlines()[0]}")


def test_parquet_export(tmp_path):
    _pyarrow_or_skip()
    settings, run_id = _record(tmp_path / "extracted", cs.all_mentions())
    paths = export_command(settings, tmp_path / "pq", "endpoint", None, None, "parquet")
    assert [p.name for p in paths] == ["endpoints.parquet", "README.md"]
    df = pd.read_parquet(paths[0])
    assert list(df.columns) == fact_columns("endpoint")
    assert pd.api.types.is_float_dtype(df["value_num"]) and pd.api.types.is_integer_dtype(df["n_sources"])
    assert sorted(df["value_num"].dropna()) == [6.2]
    assert set(df["status"]) == {"consistent", "conflict"}
    assert not list((tmp_path / "pq").glob(".*.tmp"))


def test_export_needs_a_completed_run(tmp_path):
    settings = Settings.resolve(out=str(tmp_path / "extracted"))
    with pytest.raises(PipelineError, match=r"^E303 store .*: no completed run to export"):
        export_command(settings, tmp_path / "x", None, None, None, "csv")
    _record(tmp_path / "extracted", cs.all_mentions(), status="failed")
    with pytest.raises(PipelineError, match=r"^E303 "):
        export_command(settings, tmp_path / "x", None, None, None, "csv")
    with pytest.raises(PipelineError, match=r"^E202 configuration: export format 'xls'"):
        export_command(settings, tmp_path / "x", None, None, None, "xls")
    with pytest.raises(PipelineError, match=r"^E202 configuration: export kind 'drug'"):
        export_command(settings, tmp_path / "x", "drug", None, None, "csv")


def test_cli_export(tmp_path, capsys):
    from pipeline.cli import main

    out = tmp_path / "extracted"
    _record(out, cs.all_mentions())
    assert main(["export", "--out", str(out), "--kind", "approval", "--format", "csv"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(out / "approvals.csv"), str(out / "README.md")]
    rows = list(csv.DictReader(io.StringIO((out / "approvals.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 4


def test_rejected_facts_leave_the_exports_and_corrections_show(tmp_path):
    from dataclasses import replace

    facts = _facts()
    lap = next(f for f in facts if f.field("drug") == "lapatinib")
    tuc = next(f for f in facts if f.field("drug") == "tucatinib")
    curated = [replace(f, curation="rejected") if f is tuc else
               replace(f, curation="corrected", value="2007-03-13", curation_note="checked the label") if f is lap
               else f for f in facts]
    write_fact_csvs(curated, tmp_path, {})
    rows = {r["drug"]: r for r in csv.DictReader((tmp_path / "approvals.csv").open(encoding="utf-8"))}
    assert "tucatinib" not in rows
    lap = rows["lapatinib"]
    assert (lap["date"], lap["date_precision"], lap["status"], lap["curation"]) == (
        "2007-03-13", "day", "consistent", "corrected")


# --------------------------------------------------------------------------
# Typed exports of a real run (corpus/ through the whole pipeline), checked against pipeline/schema.py


def _cli_in(out: Path, rules: Path, *args: str) -> tuple[int, str, str]:
    import contextlib
    import os

    from pipeline.cli import main

    so, se = io.StringIO(), io.StringIO()
    old = {k: os.environ.get(k) for k in ("HER2_RULES_DIR",)}
    os.environ["HER2_RULES_DIR"] = str(rules)
    try:
        with contextlib.redirect_stdout(so), contextlib.redirect_stderr(se):
            code = main([*args, "--out", str(out)])
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    return code, so.getvalue(), se.getvalue()


def test_every_export_loads_in_pandas_with_the_schema_dtypes(real_run, tmp_path):
    _pyarrow_or_skip()
    import pyarrow.parquet as pq
    from conftest import copy_real_run

    from pipeline.schema import P_SIGNS, csv_dtypes, dtype_matches, fact_schema

    _s, out, rules = copy_real_run(real_run, tmp_path)
    for fmt in ("csv", "parquet"):
        code, printed, err = _cli_in(out, rules, "export", "--format", fmt, "--to", str(tmp_path / fmt))
        assert code == 0, err
    checked = 0
    for kind, name in FACT_FILES.items():
        spec = fact_schema(kind)
        csv_df = pd.read_csv(tmp_path / "csv" / name, dtype=csv_dtypes(name), keep_default_na=False, na_values=[""])
        pq_path = tmp_path / "parquet" / name.replace(".csv", ".parquet")
        pq_df = pd.read_parquet(pq_path)
        assert list(csv_df.columns) == list(pq_df.columns) == [c.name for c in spec.columns]
        assert len(csv_df) == len(pq_df) > 10
        fields = pq.read_schema(pq_path)
        for col in spec.columns:
            assert dtype_matches(col, csv_df[col.name], "csv"), (name, col.name, csv_df[col.name].dtype)
            assert dtype_matches(col, pq_df[col.name], "parquet"), (name, col.name, pq_df[col.name].dtype)
            assert fields.field(col.name).metadata[b"description"].decode() == col.description
            if col.type in ("text", "id"):      # nulls are nulls, not ""
                assert not (pq_df[col.name] == "").any(), (name, col.name)
            if col.type == "list":               # one separator, sorted, distinct
                for cell in pq_df[col.name].dropna():
                    items = list(cell)
                    assert items == sorted(set(items), key=lambda x: (x.casefold(), x)) and all(
                        " | " not in x for x in items), (name, col.name, items)
            checked += 1
        # the CSV and the Parquet say the same thing
        for col in spec.columns:
            if col.type == "number":
                assert csv_df[col.name].fillna(-1).tolist() == pq_df[col.name].fillna(-1).tolist(), col.name
        assert csv_df["fact_id"].tolist() == pq_df["fact_id"].tolist()
    assert checked == sum(len(fact_schema(k).columns) for k in FACT_FILES)
    ep = pd.read_parquet(tmp_path / "parquet" / "endpoints.parquet")
    p = ep.dropna(subset=["p_value"])
    assert len(p) and set(p["p_value_sign"].astype(str)) <= set(P_SIGNS)
    assert ((p["p_value"] > 0) & (p["p_value"] < 1)).all()
    raw = pd.read_csv(tmp_path / "csv" / "endpoints.csv", dtype=str, keep_default_na=False)
    assert not raw["p_value"].str.startswith("<").any()           # the sign has its own column
    ap = pd.read_parquet(tmp_path / "parquet" / "approvals.parquet")
    assert pd.api.types.is_datetime64_any_dtype(ap["date"])
    ap_csv = pd.read_csv(tmp_path / "csv" / "approvals.csv", dtype=str, keep_default_na=False)
    for text, prec in zip(ap_csv["date"], ap_csv["date_precision"]):
        assert prec == {4: "year", 7: "month", 10: "day", 0: ""}[len(text)], (text, prec)
    assert {"year", "day"} <= set(ap_csv["date_precision"])
    # one spelling per set of cancer types (no "gastric | urothelial" beside "urothelial | gastric")
    tr = pd.read_csv(tmp_path / "csv" / "trials.csv", dtype=str, keep_default_na=False)
    for col in ("cancer_type", "drug"):
        cells = [c for c in tr[col] if c]
        assert len({frozenset(c.split(" | ")) for c in cells}) == len(set(cells)), col


def test_xlsx_export_keeps_ids_and_partial_dates_as_text(real_run, tmp_path):
    import zipfile
    import xml.etree.ElementTree as ET

    from conftest import copy_real_run

    _s, out, rules = copy_real_run(real_run, tmp_path)
    code, printed, err = _cli_in(out, rules, "export", "--format", "xlsx", "--to", str(tmp_path / "x"))
    assert code == 0, err
    book = tmp_path / "x" / "facts.xlsx"
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        names = [s.get("name") for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", ns)]
        assert names == ["trials", "endpoints", "approvals"]
        sheets = {}
        for i, n in enumerate(names, 1):
            rows = ET.fromstring(z.read(f"xl/worksheets/sheet{i}.xml")).find("m:sheetData", ns)
            grid = []
            for r in rows:
                grid.append({c.get("r").rstrip("0123456789"): (c.get("t"), "".join(c.itertext())) for c in r})
            sheets[n] = grid
    header = {k: v[1] for k, v in sheets["approvals"][0].items()}
    col = {v: k for k, v in header.items()}
    approvals = pd.read_csv(out / "approvals.csv", dtype=str, keep_default_na=False)
    assert len(sheets["approvals"]) == len(approvals) + 1
    dates = [row[col["date"]] for row in sheets["approvals"][1:] if col["date"] in row]
    assert dates and all(t == "inlineStr" for t, _v in dates)                       # 2010-01 stays text
    assert sorted(v for _t, v in dates) == sorted(d for d in approvals["date"] if d)
    ids = [row[col["fact_id"]] for row in sheets["approvals"][1:]]
    assert all(t == "inlineStr" and len(v) == 16 for t, v in ids)                  # a leading 0 survives
    n_works = [row[col["n_works"]] for row in sheets["approvals"][1:]]
    assert all(t is None and v.isdigit() for t, v in n_works)                      # numbers stay numbers
    # what an analyst's pandas reads from the workbook: ids and partial dates as text, counts as integers
    book_df = pd.read_excel(book, sheet_name=None)
    assert list(book_df) == ["trials", "endpoints", "approvals"]
    for kind, df in book_df.items():
        assert len(df) == len(pd.read_csv(out / f"{kind}.csv", dtype=str, keep_default_na=False)), kind
        assert df["fact_id"].map(type).eq(str).all() and df["fact_id"].str.len().eq(16).all(), kind
        assert pd.api.types.is_integer_dtype(df["n_works"]), kind
    a = book_df["approvals"]
    assert a["date"].dropna().map(type).eq(str).all()
    assert sorted(a["date"].dropna()) == sorted(d for d in approvals["date"] if d)


def test_every_csv_cell_is_spreadsheet_safe_and_capped(tmp_path, caplog):
    from pipeline.outputs import csv_text, unsafe_cell
    from pipeline.schema import CELL_CAP, TRUNCATION_MARK

    payloads = ["=HYPERLINK(\"http://evil\",\"x\")", "-2+3+cmd|' /C calc'!A0", "+cmd", "@SUM(A1)", "\tx", "\rx",
                "-0.5", "+3", "1e-5", "0812807218428112", "2010-01", "plain", "x" * 40_000]
    text = csv_text(["c"], [{"c": p} for p in payloads], where="t.csv")
    got = list(csv.reader(io.StringIO(text)))[1:]
    cells = [r[0] for r in got]
    assert cells[:6] == ["'" + p for p in payloads[:6]]
    assert cells[6:12] == payloads[6:12]                 # numbers, ids and dates untouched
    assert len(cells[12]) == CELL_CAP and cells[12].endswith(TRUNCATION_MARK)
    assert "t.csv: 1 cell(s) longer than" in caplog.text
    assert [unsafe_cell(c) for c in cells[:6]] == payloads[:6]


def test_every_csv_writer_uses_the_one_safe_writer():
    """No module but pipeline/outputs.py writes CSV itself (so every CSV cell is neutralised and capped)."""
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*.py")
                 if p.name != "outputs.py" and re.search(r"csv\.(writer|DictWriter)\(|\.to_csv\(",
                                                         p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_filtered_export_never_overwrites_the_main_files_and_an_empty_filter_writes_nothing(real_run, tmp_path):
    from conftest import copy_real_run

    _s, out, rules = copy_real_run(real_run, tmp_path)
    main_files = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    code, printed, err = _cli_in(out, rules, "export", "--kind", "endpoint", "--drug", "T-DXd")
    assert code == 0, err
    assert printed.split()[0] == str(out / "endpoints.drug-t-dxd.csv")
    filtered = pd.read_csv(out / "endpoints.drug-t-dxd.csv", dtype=str, keep_default_na=False)
    assert len(filtered) and all("trastuzumab deruxtecan" in d for d in filtered["drug"])
    assert {p.name: p.read_bytes() for p in out.glob("*.csv") if p.name in main_files} == main_files
    before = sorted(p.name for p in out.rglob("*"))
    code, printed, err = _cli_in(out, rules, "export", "--kind", "approval", "--drug", "no-such-drug")
    assert code == 1 and printed == ""
    assert err.strip().startswith("warning: E403 export: no fact matches kind 'approval', drug 'no-such-drug'")
    assert sorted(p.name for p in out.rglob("*")) == before


def test_runs_command_and_diff_between_two_runs_by_prefix(real_run, tmp_path):
    from conftest import copy_real_run

    from pipeline.run import finish_run

    s, out, rules = copy_real_run(real_run, tmp_path)
    finish_run(s, real_run.results, set(), real_run.rkey, real_run.code, (), real_run.ruleset)
    code, printed, err = _cli_in(out, rules, "runs")
    assert code == 0, err
    lines = printed.strip().splitlines()
    assert lines[0].split() == ["run_id", "started", "status", "documents", "failed", "facts"]
    first, second = (ln.split() for ln in lines[1:])
    assert first[2:5] == second[2:5] == ["ok", "5", "0"] and int(first[5]) > 100
    own = {p.name: p.read_bytes() for p in (out / "reports").iterdir()}
    # ids by unique prefix; a reversed pair is refused; the runs' own reports stay as they are
    a, b = first[0], second[0]
    common = next(i for i in range(len(a)) if a[i] != b[i])
    code, printed, err = _cli_in(out, rules, "diff", "--from", a[:common + 1], "--to", b)
    assert code == 0, err
    assert sorted(p.rsplit("/", 1)[1] for p in printed.split()) == [f"{a}..{b}.{x}" for x in ("csv", "html", "md")]
    assert all((out / "reports" / n).read_bytes() == v for n, v in own.items())
    code, printed, err = _cli_in(out, rules, "diff", "--from", b, "--to", a)
    assert code == 2 and err.strip() == f"error: E407 diff: --from {b} is not older than --to {a}; give the older " \
                                        "run as --from (swap them)"
    code, printed, err = _cli_in(out, rules, "diff", "--to", a[:-1] + ("x" if a[-1] != "x" else "y"))
    assert code == 2 and err.startswith("error: E406 run ") and f"did you mean {a}" in err
    code, printed, err = _cli_in(out, rules, "diff", "--to", "2")
    assert code == 2 and err.startswith("error: E405 run '2' is ambiguous: it starts 2 runs")


def test_the_committed_data_dictionary_is_generated_from_the_schema():
    assert (ROOT / "extracted" / "README.md").read_text(encoding="utf-8") == readme_text()
    from pipeline import schema

    for kind in FACT_FILES:
        for col in schema.fact_schema(kind).columns:
            assert col.type in schema.TYPES, (kind, col)


@pytest.mark.parametrize("command", ["export", "diff", "curate", "runs"])
def test_every_analyst_command_has_a_description_and_examples(command, capsys):
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    usage, description = text.split("\n\n")[:2]
    assert usage.startswith(f"usage: python -m pipeline {command}") and len(description.split()) >= 15
    examples = text.split("example")[1]
    assert f"python -m pipeline {command}" in examples


def test_the_next_run_report_and_a_diff_show_the_stored_curation_history(real_run, tmp_path):
    """A decision made with `curate` is kept in the run history (who, note, previous value) and the
    report of the next run, and a `diff` report, show it in their curation history."""
    from conftest import copy_real_run

    from pipeline.curation import curation_path, load_decisions
    from pipeline.run import finish_run

    s, out, rules = copy_real_run(real_run, tmp_path)
    fact_id = next(r["fact_id"] for r in csv.DictReader((out / "trials.csv").read_text(encoding="utf-8-sig")
                                                        .splitlines()))
    code, printed, err = _cli_in(out, rules, "curate", fact_id, "--reject", "--note", "duplicate of the NCT row",
                                 "--by", "Ann")
    assert code == 0, err
    done = finish_run(s, real_run.results, set(), real_run.rkey, real_run.code,
                      load_decisions(curation_path(s)), real_run.ruleset)
    md = Path(done["report"]).with_suffix(".md").read_text(encoding="utf-8")
    history = md[md.index("## Curation history"):]
    assert fact_id in history and "duplicate of the NCT row" in history and "Ann" in history
    code, printed, err = _cli_in(out, rules, "diff")
    assert code == 0, err
    diff_md = next(Path(p) for p in printed.split() if p.endswith(".md")).read_text(encoding="utf-8")
    assert "duplicate of the NCT row" in diff_md[diff_md.index("## Curation history"):]


def test_restamped_fact_csvs_are_the_bytes_a_full_export_writes(tmp_path):
    """A no-change run's exports are the last run's with last_seen_run restamped (restamp_fact_csvs):
    the same bytes write_fact_csvs writes, also for cells that need quoting (CR, LF, quotes, commas),
    spreadsheet-neutralised cells and empty cells; a file not as published is not used."""
    from dataclasses import replace

    from pipeline.export import file_digest, restamp_fact_csvs
    from pipeline.store import FactHistory

    awkward = ["a\rb", "line\nbreak", 'say "x", then y', "=cmd()", "-1", "", " lead", "a | b"]
    facts = []
    for i, f in enumerate(_facts()):
        fields = tuple((k, awkward[(i + j) % len(awkward)] if k in ("population", "indication", "trial") else v)
                       for j, (k, v) in enumerate(f.fields))
        facts.append(replace(f, fields=fields, curation_note=awkward[i % len(awkward)]))
    first = {f.fact_id: f"run-{i % 3}" for i, f in enumerate(facts)}
    old, new, want = tmp_path / "old", tmp_path / "new", tmp_path / "want"
    write_fact_csvs(facts, old, {k: FactHistory(v, "=run-A", 2) for k, v in first.items()})
    write_fact_csvs(facts, want, {k: FactHistory(v, "run-B", 3) for k, v in first.items()})
    digests = {n: file_digest(old / n) for n in FACT_FILES.values()}
    assert any(b"\r" in (old / n).read_bytes() for n in FACT_FILES.values())   # precondition
    paths = restamp_fact_csvs(old, new, digests, "=run-A", "run-B")
    assert [p.name for p in paths] == [FACT_FILES[k] for k in FACT_FILES]
    for name in FACT_FILES.values():
        assert (new / name).read_bytes() == (want / name).read_bytes(), name
    # a file edited since it was published, or rows last seen in another run: nothing written
    other = tmp_path / "other"
    assert restamp_fact_csvs(old, other, digests, "run-X", "run-B") is None
    with open(old / "trials.csv", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert restamp_fact_csvs(old, other, digests, "=run-A", "run-B") is None
    assert not other.exists()


def test_a_drug_filter_finds_facts_of_alternatives():
    # a fact whose drug is alternatives ("erlotinib or gefitinib": a group received one or another) is a fact of each
    from dataclasses import replace
    from pipeline.export import filter_facts
    fact = next(f for f in _facts() if f.kind == "endpoint")
    alt = replace(fact, fields=tuple((k, "erlotinib or gefitinib" if k == "drug" else v) for k, v in fact.fields))
    assert filter_facts([alt], drug="gefitinib") == [alt] and filter_facts([alt], drug="erlotinib") == [alt]
    assert filter_facts([alt], drug="afatinib") == []
