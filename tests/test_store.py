"""Run history: a real SQLite file, and a real PostgreSQL server where one can start."""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import conftest_store as cs
import pytest
import sqlalchemy as sa

from pipeline.config import Settings
from pipeline.errors import PipelineError
from dataclasses import asdict, is_dataclass

from pipeline.diff import snapshots_to_diff
from pipeline.model import DocumentRecord, Fact, RunInfo, RunSnapshot, mention_from_row, mention_id
from pipeline.reconcile import documents_to_works, mentions_to_facts
from pipeline.store import SCHEMA_VERSION, FactHistory, Store, migrate, schema_version

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture(scope="session")
def pg_server():
    try:
        pg = cs.TempPostgres().start()
    except cs.PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    yield pg
    pg.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'out' / '.store' / 'runs.sqlite'}"
    return request.getfixturevalue("pg_server").new_database()


def run_info(status: str = "ok", run_id: str = "", corpus: str = "corpus") -> RunInfo:
    return RunInfo(run_id=run_id, started="", finished="", status=status, rules_hash="rules1",
                   code_version="code1", corpus=corpus)


def record(store: Store, mentions, status: str = "ok", run_id: str = "", docs=None) -> str:
    groups = cs.by_doc(mentions)
    names = docs or sorted(groups)
    records = [cs.record(n) for n in names]
    facts = mentions_to_facts(mentions, documents_to_works([cs.document(n) for n in names]))
    return store.record_run(run_info(status, run_id), records, [(cs.record(n), groups.get(n, [])) for n in names],
                            facts)


def test_default_store_is_a_file_under_the_output_root(tmp_path):
    s = Settings.resolve(out=str(tmp_path / "extracted"))
    assert s.store_url == f"sqlite:///{tmp_path / 'extracted' / '.store' / 'runs.sqlite'}"
    store = Store.open(s.store_url)            # creates extracted/.store/
    try:
        assert (tmp_path / "extracted" / ".store" / "runs.sqlite").is_file()
        assert store.runs() == [] and store.latest_run() is None
    finally:
        store.close()


def test_record_and_read_back(store_url):
    ms = cs.all_mentions()
    with Store.open(store_url) as store:
        run_id = record(store, ms)
        snap = store.snapshot(run_id)
        assert snap.run.run_id == run_id and snap.run.status == "ok" and snap.run.n_documents == 4
        assert [d.source_file for d in snap.documents] == sorted([cs.F000, cs.F001, cs.F002, cs.LINK])
        expected = mentions_to_facts(ms, documents_to_works(cs.all_documents()))
        assert list(snap.facts) == expected == store.facts(run_id)
        assert any(f.status == "conflict" and f.value_sources for f in snap.facts)
        assert sorted(snap.mentions, key=mention_id) == sorted(ms, key=mention_id)
        # history stored as changes: the same run again adds a runs row and no object
        size = store.size()
        again = record(store, ms)
        assert store.size() == {**size, "runs": size["runs"] + 1}
        assert store.snapshot(again).facts == snap.facts and store.snapshot(again).mentions == snap.mentions
        with pytest.raises(PipelineError, match=r"^E302 run nope: not found"):
            store.snapshot("nope")
        with pytest.raises(PipelineError, match=r"^E301 .*already recorded"):
            record(store, ms, run_id=run_id)


def test_first_and_last_seen_across_runs(store_url):
    trials = cs.destiny_breast03_trials()
    approvals = cs.approval_mentions()
    mountaineer = cs.mountaineer_mentions()
    with Store.open(store_url) as store:
        r1 = record(store, trials + approvals)
        r2 = record(store, approvals + mountaineer)
        failed = record(store, trials, status="failed")
        runs = store.runs()
        assert [r.run_id for r in runs] == [r1, r2, failed]
        assert store.latest_run().run_id == r2           # a failed run is not the latest ok run
        assert store.latest_run(None).run_id == failed
        db03 = mentions_to_facts(trials, {})[0].fact_id
        lap = next(f for f in store.facts(r1) if f.field("drug") == "lapatinib").fact_id
        orr = next(f for f in store.facts(r2) if f.field("endpoint") == "ORR").fact_id
        assert store.fact_history(db03) == (r1, r1, 1)    # the failed run does not count
        assert store.fact_history(lap) == (r1, r2, 2)
        assert store.fact_history(orr) == (r2, r2, 1)
        assert store.fact_history(orr, upto_run=r1) is None
        assert store.fact_history("0" * 16) is None
        hist = store.fact_histories(upto_run=r2)
        assert hist[lap].first_seen_run == r1 and hist[lap].last_seen_run == r2


CHILD = textwrap.dedent("""
    import sys, time, pathlib
    sys.path[:0] = [{tests!r}, {root!r}]
    from dataclasses import replace
    import sqlalchemy as sa
    import conftest_store as cs
    from pipeline.model import RunInfo
    from pipeline.reconcile import mentions_to_facts
    from pipeline.store import Store

    store = Store.open({url!r})
    base = cs.all_mentions()
    # a big run: 4000 mentions (distinct positions)
    big = [replace(m, prov=replace(m.prov, char_start=i)) for i in range(200) for m in base[:20]]
    marker = pathlib.Path({marker!r})

    def pause(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO OBJECTS"):
            marker.write_text("inserting")     # the run's new objects are in, its runs row not yet
            time.sleep(300)                    # the parent SIGKILLs us here

    sa.event.listen(store.engine, "after_cursor_execute", pause)
    recs = [cs.record(n) for n in (cs.F000, cs.F002, cs.LINK)]
    store.record_run(RunInfo("killed-run", "", "", "ok", "rules9", "code9", "corpus"), recs,
                     [(r, big) for r in recs], mentions_to_facts(big, {{}}))
    print("NOT KILLED")
""")


def test_run_killed_while_committing_leaves_the_previous_run_intact(store_url, tmp_path):
    with Store.open(store_url) as store:
        good = record(store, cs.all_mentions())
        before = store.snapshot(good)
        size = store.size()
    marker = tmp_path / "inserting.marker"
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(tests=str(TESTS), root=str(ROOT), url=store_url, marker=str(marker)))
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"child ended before pausing: {child.stdout.read()} {child.stderr.read()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("child never started inserting mentions")
            time.sleep(0.05)
        # mid-transaction: readers still see only the complete previous run
        with Store.open(store_url) as reader:
            assert [r.run_id for r in reader.runs()] == [good]
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    with Store.open(store_url) as store:
        assert [r.run_id for r in store.runs()] == [good]
        assert store.latest_run().run_id == good
        assert store.snapshot(good) == before
        assert store.size() == size           # no object of the killed run is left behind
        # the history is still writable
        after = record(store, cs.approval_mentions())
        assert [r.run_id for r in store.runs()] == [good, after]


def test_old_schema_is_upgraded(store_url):
    engine = sa.create_engine(store_url)
    try:
        if store_url.startswith("sqlite"):
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        assert migrate(engine, target=1) == 1
        assert schema_version(engine) == 1
        with engine.begin() as c:     # a run recorded by version-1 code
            c.execute(sa.text("INSERT INTO runs VALUES ('old-run', 1, '2026-01-01T00:00:00Z', "
                              "'2026-01-01T00:01:00Z', 'ok', 'r0', 'c0', 'corpus', 1, 0)"))
            c.execute(sa.text(
                "INSERT INTO facts (run_id, fact_id, kind, key_json, fields_json, value, values_json, status, "
                "n_sources, n_works, sources_json, mention_ids_json, curation, curation_note) VALUES "
                "('old-run', '5a8542ddfc1a4d25', 'trial', '[\"NCT03529110\"]', '[[\"nct_id\",\"NCT03529110\"]]', "
                "'III', '[\"III\"]', 'consistent', 1, 1, '[\"x.txt:1\"]', '[\"m1\"]', '', '')"))
            c.execute(sa.text("INSERT INTO doc_results VALUES ('d1', 'r0', 'c0', 'x.txt', 0, '[]', 'old-run')"))
    finally:
        engine.dispose()
    with pytest.raises(PipelineError, match=r"^E301 .*schema version 1, this code needs"):
        Store.open(store_url, upgrade=False)
    with Store.open(store_url) as store:
        assert schema_version(store.engine) == SCHEMA_VERSION
        assert store.latest_run().run_id == "old-run"
        f = store.facts("old-run")[0]
        assert (f.fact_id, f.value, f.value_sources) == ("5a8542ddfc1a4d25", "III", ())
        assert store.documents("old-run") == [] and store.mentions("old-run") == []
        insp = sa.inspect(store.engine)
        assert not any(insp.has_table(t) for t in ("doc_results", "mentions", "facts", "documents"))
        new = record(store, cs.destiny_breast03_trials())
        assert store.fact_history("5a8542ddfc1a4d25") == ("old-run", new, 2)


def _as_json(obj) -> object:
    return json.loads(json.dumps(asdict(obj) if is_dataclass(obj) else obj))


def test_store_made_by_version_2_code_migrates_with_exact_snapshots_and_diffs(tmp_path):
    """tests/fixtures/store-v2: four runs recorded by the version-2 code (full per-run copies;
    see make.py there) and what that code read back. After migration to version 4 every
    snapshot, every fact history and the diff between any two runs are unchanged."""
    fixture = TESTS / "fixtures" / "store-v2"
    db = tmp_path / "runs.sqlite"
    shutil.copy(fixture / "runs.sqlite", db)
    expected = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    url = f"sqlite:///{db}"
    eng = sa.create_engine(url)
    assert schema_version(eng) == 2
    eng.dispose()
    with Store.open(url) as store:
        assert schema_version(store.engine) == SCHEMA_VERSION
        ids = [r.run_id for r in store.runs()]
        assert ids == sorted(expected["snapshots"]) == ["run-1", "run-2", "run-3", "run-4"]
        snaps = {i: store.snapshot(i) for i in ids}
        for i in ids:
            assert _as_json(snaps[i]) == expected["snapshots"][i], i
        assert {k: list(v) for k, v in store.fact_histories().items()} == expected["fact_histories"]
        for a, b in itertools.combinations(ids, 2):
            assert snapshots_to_diff(snaps[a], snaps[b]) == snapshots_to_diff(
                _snapshot_from_json(expected["snapshots"][a]), _snapshot_from_json(expected["snapshots"][b]))
        # the migrated history keeps growing by changes only
        size = store.size()
        new = record(store, cs.destiny_breast03_trials() + cs.approval_mentions())
        assert store.size() == {**size, "runs": size["runs"] + 1}        # run-4's content: stored already
        assert _as_json(store.snapshot(new))["facts"] == expected["snapshots"]["run-4"]["facts"]


def _snapshot_from_json(js: dict) -> RunSnapshot:
    facts = tuple(Fact(**{**f, "key": tuple(f["key"]), "fields": tuple(map(tuple, f["fields"])),
                          "values": tuple(f["values"]), "sources": tuple(f["sources"]),
                          "mention_ids": tuple(f["mention_ids"]),
                          "value_sources": tuple((v, tuple(s)) for v, s in f["value_sources"])})
                  for f in js["facts"])
    mentions = []
    for m in js["mentions"]:
        kind = "endpoint" if "endpoint" in m else "approval" if "agency" in m else "trial"
        row = {**{k: v for k, v in m.items() if k != "prov"}, **m["prov"]}
        row["mention_id"] = ""
        mentions.append(mention_from_row(kind, row))
    return RunSnapshot(run=RunInfo(**js["run"]), documents=tuple(DocumentRecord(**d) for d in js["documents"]),
                       facts=facts, mentions=tuple(mentions))


def test_newer_or_foreign_schema_fails_clearly(tmp_path):
    newer = f"sqlite:///{tmp_path / 'newer.sqlite'}"
    Store.open(newer).close()
    eng = sa.create_engine(newer)
    with eng.begin() as c:
        c.execute(sa.text("UPDATE schema_version SET version = 99"))
    eng.dispose()
    with pytest.raises(PipelineError, match=r"^E304 store .*newer.sqlite: schema version 99 is newer than this "
                                            rf"code supports \({SCHEMA_VERSION}\)"):
        Store.open(newer)
    foreign = tmp_path / "foreign.sqlite"
    eng = sa.create_engine(f"sqlite:///{foreign}")
    with eng.begin() as c:
        c.execute(sa.text("CREATE TABLE runs (id INTEGER)"))
    eng.dispose()
    with pytest.raises(PipelineError, match=r"^E301 .*no schema_version table"):
        Store.open(f"sqlite:///{foreign}")
    with pytest.raises(PipelineError, match=r"^E301 "):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_stored_objects_are_plain_json(tmp_path):
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    with Store.open(url) as store:
        run_id = record(store, cs.mountaineer_mentions())
        with store.engine.connect() as c:
            facts_ref = c.execute(sa.text("SELECT facts_ref FROM runs WHERE run_id = :r"), {"r": run_id}).scalar()
            objects = dict(c.execute(sa.text("SELECT ref, data FROM objects")).all())
    pairs = json.loads(zlib.decompress(objects[facts_ref]))
    rows = [json.loads(zlib.decompress(objects[ref])) for _, ref in pairs]
    row = next(r for r in rows if r["status"] == "conflict")
    assert json.loads(row["key_json"])[0] == "NCT03043313"
    assert json.loads(row["value_sources_json"]) == [["54.9%", [f"{cs.LINK}:1"]], ["55%", [f"{cs.F000}:1"]]]
    # content-addressed: each ref is the sha256 of the object's JSON
    assert all(hashlib.sha256(zlib.decompress(d)).hexdigest() == ref for ref, d in objects.items())


def test_prune_keeps_the_last_completed_runs_and_their_diffs_exactly(store_url, tmp_path):
    from pipeline.cli import main

    trials, approvals, mountaineer = cs.destiny_breast03_trials(), cs.approval_mentions(), cs.mountaineer_mentions()
    with Store.open(store_url) as store:
        r1 = record(store, cs.all_mentions())
        r2 = record(store, approvals + mountaineer)
        r3 = record(store, trials, status="failed")
        r4 = record(store, trials + approvals)
        r5 = record(store, trials + mountaineer, status="partial")
        kept = [r4, r5]
        snaps = {r: store.snapshot(r) for r in kept}
        diff = snapshots_to_diff(snaps[r4], snaps[r5])
        size = store.size()
        with pytest.raises(PipelineError, match=r"^E305 "):
            store.prune(0)
        assert store.prune(5) == {"runs": 0, "objects": 0}        # fewer completed runs than that: nothing to do
        removed = store.prune(2)
        assert removed["runs"] == 3 and removed["objects"] > 0
        assert [r.run_id for r in store.runs()] == kept
        assert store.size()["objects"] == size["objects"] - removed["objects"]
    # a fresh reader: everything a kept run holds is still stored, byte for byte
    with Store.open(store_url) as store:
        after = {r: store.snapshot(r) for r in kept}
        assert after == snaps
        assert snapshots_to_diff(after[r4], after[r5]) == diff
        assert store.fact_histories(upto_run=r5) == {
            fid: FactHistory(*h) for fid, h in {
                f.fact_id: ((r4 if f.fact_id in {g.fact_id for g in snaps[r4].facts} else r5), r5,
                            1 + (f.fact_id in {g.fact_id for g in snaps[r4].facts})) for f in snaps[r5].facts}.items()
        } | {f.fact_id: FactHistory(r4, r4, 1) for f in snaps[r4].facts
             if f.fact_id not in {g.fact_id for g in snaps[r5].facts}}
    # the command line: keep one
    out = tmp_path / "cli-out"
    assert main(["history", "prune", "--out", str(out), "--store-url", store_url, "--keep", "1"]) == 0
    with Store.open(store_url) as store:
        assert [r.run_id for r in store.runs()] == [r5] and store.snapshot(r5) == snaps[r5]
    assert main(["history", "prune", "--out", str(out), "--store-url", store_url, "--keep", "0"]) == 2
