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
