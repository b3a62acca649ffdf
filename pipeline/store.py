"""Run history in a real database through SQLAlchemy Core.

Embedded SQLite by default (Settings.store_url: sqlite:///<out>/.store/runs.sqlite,
git-ignored, one history per output root); PostgreSQL by giving a URL
(postgresql+psycopg://user@host:port/db).

Tables (schema version 3):
    schema_version  version                                   one row
    runs            run_id PK, seq (order of recording), started, finished, status,
                    rules_hash, code_version, corpus, n_documents, n_failed
    documents       (run_id, doc_id) PK, source_file, kind, title, doi, status, error,
                    rules_hash, code_version, reused
    doc_results     (doc_id, rules_hash, code_version) PK, source_file, n_mentions,
                    mentions_json, stats_json [v2], created_run
                    -> the per-document cache an incremental run reuses
    mentions        (run_id, mention_id) PK, kind, doc_id, row_json (model.mention_to_row)
    facts           (run_id, fact_id) PK, kind, key_json, fields_json, value, values_json,
                    status, n_sources, n_works, sources_json, mention_ids_json,
                    curation, curation_note, value_sources_json [v2]
    decisions       [v3] id PK, fact_id, action, value, note, by, decided_at, previous_action,
                    previous_value, previous_note -> curation history (pipeline/curation.py)
first_seen_run / last_seen_run are computed across completed runs by fact_id.

A run is recorded in ONE transaction (record_run): a run killed while
committing leaves nothing behind and the previous run stays complete and
readable (SQLite runs in WAL mode, so readers are not blocked meanwhile).
`migrate()` creates a new database or upgrades an old one step by step; a
database newer than this code fails with E304.

Mentions and facts are stored as JSON of our own dataclasses' fields, so the
store depends on pipeline.model only (never on reconcile or export).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, NamedTuple, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from pipeline.errors import Errors, PipelineError
from pipeline.model import (
    DocumentRecord,
    Fact,
    Mention,
    RunInfo,
    RunSnapshot,
    mention_from_row,
    mention_id,
    mention_to_row,
)

SCHEMA_VERSION = 3
COMPLETED = ("ok", "partial")     # runs that count for fact history


def _tables(md: sa.MetaData, version: int) -> dict[str, sa.Table]:
    """The schema as of `version` (migration step 1 builds version 1 exactly)."""
    t: dict[str, sa.Table] = {}
    t["schema_version"] = sa.Table("schema_version", md, sa.Column("version", sa.Integer, nullable=False))
    t["runs"] = sa.Table(
        "runs", md,
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("started", sa.String(40), nullable=False),
        sa.Column("finished", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rules_hash", sa.String(64), nullable=False),
        sa.Column("code_version", sa.String(64), nullable=False),
        sa.Column("corpus", sa.Text, nullable=False),
        sa.Column("n_documents", sa.Integer, nullable=False),
        sa.Column("n_failed", sa.Integer, nullable=False),
    )
    t["documents"] = sa.Table(
        "documents", md,
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), primary_key=True),
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("doi", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("rules_hash", sa.String(64), nullable=False),
        sa.Column("code_version", sa.String(64), nullable=False),
        sa.Column("reused", sa.Boolean, nullable=False),
    )
    cols = [
        sa.Column("doc_id", sa.String(64), primary_key=True),
        sa.Column("rules_hash", sa.String(64), primary_key=True),
        sa.Column("code_version", sa.String(64), primary_key=True),
        sa.Column("source_file", sa.Text, nullable=False),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("mentions_json", sa.Text, nullable=False),
        sa.Column("created_run", sa.String(64), nullable=False),
    ]
    if version >= 2:
        cols.append(sa.Column("stats_json", sa.Text, nullable=False, server_default="{}"))
    t["doc_results"] = sa.Table("doc_results", md, *cols)
    t["mentions"] = sa.Table(
        "mentions", md,
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), primary_key=True),
        sa.Column("mention_id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("doc_id", sa.String(64), nullable=False),
        sa.Column("row_json", sa.Text, nullable=False),
    )
    cols = [
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), primary_key=True),
        sa.Column("fact_id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key_json", sa.Text, nullable=False),
        sa.Column("fields_json", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("values_json", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("n_works", sa.Integer, nullable=False),
        sa.Column("sources_json", sa.Text, nullable=False),
        sa.Column("mention_ids_json", sa.Text, nullable=False),
        sa.Column("curation", sa.String(16), nullable=False),
        sa.Column("curation_note", sa.Text, nullable=False),
    ]
    if version >= 2:
        cols.append(sa.Column("value_sources_json", sa.Text, nullable=False, server_default="[]"))
    t["facts"] = sa.Table("facts", md, *cols)
    sa.Index("ix_facts_fact_id", t["facts"].c.fact_id)
    if version >= 3:
        t["decisions"] = _decisions_table(md)
    return t


def _decisions_table(md: sa.MetaData) -> sa.Table:
    """[v3] Curation decision history: one row per decision made, replaced or withdrawn."""
    return sa.Table(
        "decisions", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fact_id", sa.String(32), nullable=False, index=True),
        sa.Column("action", sa.String(16), nullable=False),          # accept | reject | correct | withdraw
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("decided_at", sa.String(40), nullable=False),      # ISO timestamp, UTC
        sa.Column("previous_action", sa.String(16), nullable=False),  # "" when the fact had no decision
        sa.Column("previous_value", sa.Text, nullable=False),         # the earlier correction, or the extracted value
        sa.Column("previous_note", sa.Text, nullable=False),
    )


_MD = sa.MetaData()
T = _tables(_MD, SCHEMA_VERSION)


def _step_1(conn: Connection) -> None:
    """Version 1: runs, documents, doc_results, mentions, facts."""
    md = sa.MetaData()
    _tables(md, 1)
    md.create_all(conn)
    conn.execute(sa.text("INSERT INTO schema_version (version) VALUES (0)"))


def _step_2(conn: Connection) -> None:
    """Version 2: per-document stats in the cache; value -> sources for facts."""
    conn.execute(sa.text("ALTER TABLE doc_results ADD COLUMN stats_json TEXT NOT NULL DEFAULT '{}'"))
    conn.execute(sa.text("ALTER TABLE facts ADD COLUMN value_sources_json TEXT NOT NULL DEFAULT '[]'"))


def _step_3(conn: Connection) -> None:
    """Version 3: the curation decision history (decisions table)."""
    _decisions_table(sa.MetaData()).create(conn)


MIGRATIONS = {1: _step_1, 2: _step_2, 3: _step_3}
DECISION_FIELDS = ("fact_id", "action", "value", "note", "by", "decided_at", "previous_action", "previous_value",
                   "previous_note")


def schema_version(engine: Engine) -> int:
    """0 for an empty database."""
    insp = sa.inspect(engine)
    if not insp.has_table("schema_version"):
        if insp.has_table("runs"):
            raise PipelineError(Errors.E301.format(
                url=_safe_url(engine), reason="has a runs table but no schema_version table; not a store this "
                                               "pipeline made (move it away to start a new history)"))
        return 0
    with engine.connect() as conn:
        v = conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
    return int(v or 0)


def migrate(engine: Engine, target: int = SCHEMA_VERSION) -> int:
    """Create or upgrade the schema to `target`, each step in its own
    transaction. Returns the version reached."""
    current = schema_version(engine)
    if current > SCHEMA_VERSION:
        raise PipelineError(Errors.E304.format(url=_safe_url(engine), found=current, supported=SCHEMA_VERSION))
    for v in range(current + 1, target + 1):
        with engine.begin() as conn:
            MIGRATIONS[v](conn)
            conn.execute(sa.text("UPDATE schema_version SET version = :v"), {"v": v})
    return max(current, target)


def _safe_url(engine_or_url) -> str:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else sa.make_url(engine_or_url)
    return url.render_as_string(hide_password=True)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False)


class FactHistory(NamedTuple):
    first_seen_run: str
    last_seen_run: str
    n_runs: int


@dataclass
class Store:
    engine: Engine
    url: str

    # ------------------------------------------------------------------ open

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> "Store":
        """Open (and create or upgrade) the store at `url`. SQLite: the folder is
        created. `upgrade=False` refuses an old schema instead of upgrading it."""
        try:
            u = sa.make_url(url)
        except Exception as exc:
            raise PipelineError(Errors.E301.format(url=url, reason=f"not a database URL ({exc})")) from None
        kwargs: dict = {}
        if u.get_backend_name() == "sqlite":
            if u.database and u.database != ":memory:":
                Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        try:
            engine = sa.create_engine(u, **kwargs)
            if u.get_backend_name() == "sqlite":
                sa.event.listen(engine, "connect", _sqlite_pragmas)
            v = schema_version(engine)
            if v != SCHEMA_VERSION and not upgrade and v != 0:
                raise PipelineError(Errors.E301.format(
                    url=_safe_url(engine), reason=f"schema version {v}, this code needs {SCHEMA_VERSION}; "
                                                  "open with upgrade to migrate"))
            migrate(engine)
        except PipelineError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            reason = str(exc.orig if getattr(exc, "orig", None) is not None else exc).splitlines()[0]
            raise PipelineError(Errors.E301.format(url=_safe_url(u), reason=reason)) from None
        return cls(engine=engine, url=_safe_url(engine))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- record

    def record_run(self, info: RunInfo, documents: Sequence[DocumentRecord],
                   results: Sequence[tuple[DocumentRecord, Sequence[Mention]]], facts: Sequence[Fact],
                   doc_stats: Optional[Mapping[str, Mapping[str, object]]] = None) -> str:
        """Record a whole run in one transaction and return its run_id.

        `documents`: every document of the run; `results`: each successfully
        processed document with its mentions (they fill the per-document cache
        and the run's mentions); `facts`: the reconciled facts;
        `doc_stats`: optional doc_id -> small JSON-able stats (entity counts...)
        kept with the cached results. A blank info.run_id gets a fresh id,
        blank started/finished get the current time."""
        run_id = info.run_id or f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"
        doc_stats = doc_stats or {}
        started = info.started or _now()
        finished = info.finished or _now()
        mention_rows: dict[str, dict] = {}
        for _, ms in results:
            for m in ms:
                mid = mention_id(m)
                mention_rows.setdefault(mid, {"run_id": run_id, "mention_id": mid, "kind": m.kind,
                                              "doc_id": m.prov.doc_id, "row_json": _dumps(mention_to_row(m))})
        try:
            with self.engine.begin() as conn:
                if conn.execute(sa.select(T["runs"].c.run_id).where(T["runs"].c.run_id == run_id)).first():
                    raise PipelineError(Errors.E301.format(url=self.url, reason=f"run {run_id} already recorded"))
                seq = (conn.execute(sa.select(sa.func.max(T["runs"].c.seq))).scalar() or 0) + 1
                conn.execute(T["runs"].insert(), {
                    "run_id": run_id, "seq": seq, "started": started, "finished": finished, "status": info.status,
                    "rules_hash": info.rules_hash, "code_version": info.code_version, "corpus": info.corpus,
                    "n_documents": info.n_documents or len(documents),
                    "n_failed": info.n_failed or sum(1 for d in documents if d.status != "ok"),
                })
                if documents:
                    conn.execute(T["documents"].insert(), [
                        {"run_id": run_id, "doc_id": d.doc_id, "source_file": d.source_file, "kind": d.kind,
                         "title": d.title, "doi": d.doi, "status": d.status, "error": d.error,
                         "rules_hash": d.rules_hash, "code_version": d.code_version, "reused": bool(d.reused)}
                        for d in _unique_docs(documents)])
                for d, ms in results:
                    if d.status != "ok":
                        continue
                    rc = T["doc_results"].c
                    conn.execute(T["doc_results"].delete().where(
                        (rc.doc_id == d.doc_id) & (rc.rules_hash == d.rules_hash) & (rc.code_version == d.code_version)))
                    conn.execute(T["doc_results"].insert(), {
                        "doc_id": d.doc_id, "rules_hash": d.rules_hash, "code_version": d.code_version,
                        "source_file": d.source_file, "n_mentions": len(ms),
                        "mentions_json": _dumps([[m.kind, mention_to_row(m)] for m in ms]),
                        "stats_json": _dumps(dict(doc_stats.get(d.doc_id, {}))), "created_run": run_id})
                rows = list(mention_rows.values())
                for i in range(0, len(rows), 500):
                    conn.execute(T["mentions"].insert(), rows[i:i + 500])
                frows = [_fact_row(run_id, f) for f in _unique_facts(facts)]
                for i in range(0, len(frows), 500):
                    conn.execute(T["facts"].insert(), frows[i:i + 500])
        except PipelineError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            reason = str(exc.orig if getattr(exc, "orig", None) is not None else exc).splitlines()[0]
            raise PipelineError(Errors.E301.format(url=self.url, reason=f"recording run {run_id} failed: {reason}")) from None
        return run_id

    # ------------------------------------------------------------------ read

    def runs(self) -> list[RunInfo]:
        """Every recorded run, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(T["runs"]).order_by(T["runs"].c.seq)).mappings().all()
        return [_run_info(r) for r in rows]

    def latest_run(self, status: Optional[str] = "ok") -> Optional[RunInfo]:
        """The most recently recorded run with this status (any status: None)."""
        q = sa.select(T["runs"]).order_by(T["runs"].c.seq.desc()).limit(1)
        if status is not None:
            q = q.where(T["runs"].c.status == status)
        with self.engine.connect() as conn:
            r = conn.execute(q).mappings().first()
        return _run_info(r) if r else None

    def run(self, run_id: str) -> RunInfo:
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(T["runs"]).where(T["runs"].c.run_id == run_id)).mappings().first()
        if r is None:
            raise PipelineError(Errors.E302.format(run=run_id, url=self.url))
        return _run_info(r)

    def documents(self, run_id: str) -> list[DocumentRecord]:
        c = T["documents"].c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(T["documents"]).where(c.run_id == run_id)
                                .order_by(c.source_file, c.doc_id)).mappings().all()
        return [DocumentRecord(doc_id=r["doc_id"], source_file=r["source_file"], kind=r["kind"], title=r["title"],
                               doi=r["doi"], status=r["status"], error=r["error"], rules_hash=r["rules_hash"],
                               code_version=r["code_version"], reused=bool(r["reused"])) for r in rows]

    def facts(self, run_id: str) -> list[Fact]:
        """The run's facts sorted by (kind, fact_id)."""
        self.run(run_id)
        c = T["facts"].c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(T["facts"]).where(c.run_id == run_id)
                                .order_by(c.kind, c.fact_id)).mappings().all()
        return [_fact_from_row(r) for r in rows]

    def mentions(self, run_id: str) -> list[Mention]:
        """The run's mentions sorted by mention_id."""
        self.run(run_id)
        c = T["mentions"].c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(c.kind, c.row_json).where(c.run_id == run_id)
                                .order_by(c.mention_id)).all()
        return [mention_from_row(kind, json.loads(js)) for kind, js in rows]

    def snapshot(self, run_id: str) -> RunSnapshot:
        return RunSnapshot(run=self.run(run_id), documents=tuple(self.documents(run_id)),
                           facts=tuple(self.facts(run_id)), mentions=tuple(self.mentions(run_id)))

    def lookup_doc_results(self, doc_id: str, rules_hash: str, code_version: str) -> Optional[list[Mention]]:
        """The mentions stored for this document content under these rules and
        code, or None when it was never processed that way (an empty list means:
        processed, nothing found)."""
        c = T["doc_results"].c
        with self.engine.connect() as conn:
            js = conn.execute(sa.select(c.mentions_json).where(
                (c.doc_id == doc_id) & (c.rules_hash == rules_hash) & (c.code_version == code_version))).scalar()
        if js is None:
            return None
        return [mention_from_row(kind, row) for kind, row in json.loads(js)]

    def doc_stats(self, doc_id: str, rules_hash: str, code_version: str) -> Optional[dict]:
        c = T["doc_results"].c
        with self.engine.connect() as conn:
            js = conn.execute(sa.select(c.stats_json).where(
                (c.doc_id == doc_id) & (c.rules_hash == rules_hash) & (c.code_version == code_version))).scalar()
        return None if js is None else json.loads(js)

    def fact_history(self, fact_id: str, upto_run: Optional[str] = None) -> Optional[FactHistory]:
        """First and last completed run (status ok/partial) holding this fact,
        optionally counting only runs up to and including `upto_run`."""
        return self.fact_histories(upto_run, [fact_id]).get(fact_id)

    def fact_histories(self, upto_run: Optional[str] = None,
                       fact_ids: Optional[Sequence[str]] = None) -> dict[str, FactHistory]:
        """fact_id -> FactHistory over completed runs (up to `upto_run`)."""
        r, f = T["runs"].c, T["facts"].c
        cond = r.status.in_(COMPLETED)
        if upto_run is not None:
            cond = cond & (r.seq <= self.run_seq(upto_run))
        if fact_ids is not None:
            cond = cond & f.fact_id.in_(list(fact_ids))
        q = (sa.select(f.fact_id, sa.func.min(r.seq), sa.func.max(r.seq), sa.func.count())
             .select_from(T["facts"].join(T["runs"], f.run_id == r.run_id)).where(cond).group_by(f.fact_id))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
            seq_to_id = dict(conn.execute(sa.select(r.seq, r.run_id)).all())
        return {fid: FactHistory(seq_to_id[lo], seq_to_id[hi], int(n)) for fid, lo, hi, n in rows}

    # ------------------------------------------------------- curation history

    def record_decision(self, **row: str) -> None:
        """Append one curation event (keys: DECISION_FIELDS; decided_at defaults to now)."""
        values = {k: str(row.get(k) or "") for k in DECISION_FIELDS}
        values["decided_at"] = values["decided_at"] or _now()
        with self.engine.begin() as conn:
            conn.execute(T["decisions"].insert(), values)

    def decisions(self, fact_id: Optional[str] = None) -> list[dict[str, str]]:
        """The curation history, oldest first (one fact's with `fact_id`)."""
        c = T["decisions"].c
        q = sa.select(*[c[k] for k in DECISION_FIELDS]).order_by(c.id)
        if fact_id is not None:
            q = q.where(c.fact_id == fact_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings().all()]

    def fact_counts(self) -> dict[str, int]:
        """run_id -> number of facts recorded for it."""
        c = T["facts"].c
        with self.engine.connect() as conn:
            return dict(conn.execute(sa.select(c.run_id, sa.func.count()).group_by(c.run_id)).all())

    def run_seq(self, run_id: str) -> int:
        with self.engine.connect() as conn:
            s = conn.execute(sa.select(T["runs"].c.seq).where(T["runs"].c.run_id == run_id)).scalar()
        if s is None:
            raise PipelineError(Errors.E302.format(run=run_id, url=self.url))
        return int(s)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # write-ahead log: readers (exports, diff reports) never wait for a run being
    # committed, and a writer killed midway leaves only uncommitted WAL frames,
    # which are ignored
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _unique_docs(documents: Sequence[DocumentRecord]) -> list[DocumentRecord]:
    seen: dict[str, DocumentRecord] = {}
    for d in documents:
        seen.setdefault(d.doc_id, d)
    return list(seen.values())


def _unique_facts(facts: Sequence[Fact]) -> list[Fact]:
    seen: dict[str, Fact] = {}
    for f in facts:
        if f.fact_id in seen and seen[f.fact_id] != f:
            raise PipelineError(f"E301 facts: two different facts share fact_id {f.fact_id}")
        seen.setdefault(f.fact_id, f)
    return list(seen.values())


def _run_info(r) -> RunInfo:
    return RunInfo(run_id=r["run_id"], started=r["started"], finished=r["finished"], status=r["status"],
                   rules_hash=r["rules_hash"], code_version=r["code_version"], corpus=r["corpus"],
                   n_documents=r["n_documents"], n_failed=r["n_failed"])


def _fact_row(run_id: str, f: Fact) -> dict:
    return {
        "run_id": run_id, "fact_id": f.fact_id, "kind": f.kind, "key_json": _dumps(list(f.key)),
        "fields_json": _dumps([list(kv) for kv in f.fields]), "value": f.value, "values_json": _dumps(list(f.values)),
        "status": f.status, "n_sources": f.n_sources, "n_works": f.n_works, "sources_json": _dumps(list(f.sources)),
        "mention_ids_json": _dumps(list(f.mention_ids)), "curation": f.curation, "curation_note": f.curation_note,
        "value_sources_json": _dumps([[v, list(s)] for v, s in f.value_sources]),
    }


def _fact_from_row(r) -> Fact:
    return Fact(
        fact_id=r["fact_id"], kind=r["kind"], key=tuple(json.loads(r["key_json"])),
        fields=tuple((k, v) for k, v in json.loads(r["fields_json"])), value=r["value"],
        values=tuple(json.loads(r["values_json"])), status=r["status"], n_sources=int(r["n_sources"]),
        n_works=int(r["n_works"]), sources=tuple(json.loads(r["sources_json"])),
        mention_ids=tuple(json.loads(r["mention_ids_json"])), curation=r["curation"],
        curation_note=r["curation_note"],
        value_sources=tuple((v, tuple(s)) for v, s in json.loads(r["value_sources_json"] or "[]")),
    )
