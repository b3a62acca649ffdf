"""Run history in a real database through SQLAlchemy Core.

Embedded SQLite by default (Settings.store_url: sqlite:///<out>/.store/runs.sqlite,
git-ignored, one history per output root); PostgreSQL by giving a URL
(postgresql+psycopg://user@host:port/db).

Tables before schema version 4 (kept for the migration):
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

Tables (schema version 4):
    schema_version  version                                   one row
    runs            run_id PK, seq (order of recording), started, finished, status,
                    rules_hash, code_version, corpus, n_documents, n_failed,
                    docs_ref, facts_ref [v4]
    objects         ref PK (sha256 of the JSON), data (zlib-compressed JSON)   [v4]
    decisions       [v3] curation history, as above

History is stored as changes: everything a run holds lives in `objects`,
content-addressed, so what did not change between runs is stored once.
    run.docs_ref   -> {"entries": [entry ref, ...], "reused": [doc_id, ...]}
                      one entry per document, in (source_file, doc_id) order
    entry          -> {DocumentRecord fields but reused..., "mentions": mentions ref or ""}
    mentions ref   -> [[kind, mention row], ...]  the document's mentions, sorted by mention_id:
                      stored once per content key (content, rules, extraction settings, code;
                      the ref is the hash of that key) when the run gives one, else by content
                      (+ "raw_facts": a fact set before curation, see raw_facts())
    run.facts_ref  -> [[fact_id, fact ref], ...]  sorted by (kind, fact_id)
    fact ref       -> the fact's row
A re-run with nothing changed adds one `runs` row. Versions 1-2 kept full per-run
copies (documents, mentions, facts) and a per-document cache (doc_results);
migration 4 converts them (diffs between old runs stay exact) and drops those
tables. The per-document result cache lives under <out>/.cache (process.py),
as JSON. first_seen_run / last_seen_run are computed across completed runs.

Run status: a run is recorded as 'publishing' (one transaction, record_run),
its files are then published, and only then is it set to its final status
(set_status: ok/partial/failed); a run killed before that stays 'publishing'
until the next run marks it 'abandoned' (or completes its publication, run.py).
Completed runs (ok/partial) are the ones reports, exports and histories count.
SQLite runs in WAL mode, so readers are not blocked by a run being committed.
`migrate()` creates a new database or upgrades an old one step by step; a
database newer than this code fails with E304. `prune(keep)` drops old runs and
every object no kept run references.

Mentions and facts are stored as JSON of our own dataclasses' fields, so the
store depends on pipeline.model only (never on reconcile or export).
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Optional, Sequence

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
    mention_to_row,
)

SCHEMA_VERSION = 4
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
        *([sa.Column("docs_ref", sa.String(64), nullable=False, server_default=""),
           sa.Column("facts_ref", sa.String(64), nullable=False, server_default="")] if version >= 4 else []),
    )
    if version >= 4:
        t["objects"] = sa.Table(
            "objects", md,
            sa.Column("ref", sa.String(64), primary_key=True),
            sa.Column("data", sa.LargeBinary, nullable=False),
        )
        t["decisions"] = _decisions_table(md)
        return t
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


DECISION_FIELDS = ("fact_id", "action", "value", "note", "by", "decided_at", "previous_action", "previous_value",
                   "previous_note")


def _step_4(conn: Connection) -> None:
    """Version 4: history stored as changes (content-addressed objects referenced by runs).
    Applies to a store at version 2 or 3 (3 adds the curation `decisions` table, untouched
    here): each recorded run's documents, mentions and facts become objects, then the
    per-run copies and the doc_results cache (now JSON files under <out>/.cache) go."""
    old = _tables(sa.MetaData(), 2)
    conn.execute(sa.text("ALTER TABLE runs ADD COLUMN docs_ref VARCHAR(64) NOT NULL DEFAULT ''"))
    conn.execute(sa.text("ALTER TABLE runs ADD COLUMN facts_ref VARCHAR(64) NOT NULL DEFAULT ''"))
    md = sa.MetaData()
    _tables(md, 4)["objects"].create(conn)
    objects = _tables(sa.MetaData(), 4)["objects"]
    for (run_id,) in conn.execute(sa.select(old["runs"].c.run_id).order_by(old["runs"].c.seq)).all():
        dc, mc, fc = old["documents"].c, old["mentions"].c, old["facts"].c
        docs = [_doc_record(r) for r in conn.execute(sa.select(old["documents"]).where(dc.run_id == run_id)
                                                     .order_by(dc.source_file, dc.doc_id)).mappings()]
        by_doc: dict[str, list[Mention]] = {}
        for kind, doc_id, js in conn.execute(sa.select(mc.kind, mc.doc_id, mc.row_json).where(mc.run_id == run_id)):
            by_doc.setdefault(doc_id, []).append(mention_from_row(kind, json.loads(js)))
        facts = [_fact_from_row(r) for r in conn.execute(sa.select(old["facts"]).where(fc.run_id == run_id)
                                                         .order_by(fc.kind, fc.fact_id)).mappings()]
        docs_ref, facts_ref = _put_run_objects(conn, objects, docs, by_doc, facts)
        conn.execute(sa.text("UPDATE runs SET docs_ref = :d, facts_ref = :f WHERE run_id = :r"),
                     {"d": docs_ref, "f": facts_ref, "r": run_id})
    for name in ("doc_results", "mentions", "facts", "documents"):
        conn.execute(sa.text(f"DROP TABLE {name}"))


MIGRATIONS = {1: _step_1, 2: _step_2, 3: _step_3, 4: _step_4}


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
        if v not in MIGRATIONS:
            continue
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
    _cache: dict = field(default_factory=dict, repr=False)   # ref -> decoded object
    _fact_refs: dict = field(default_factory=dict, repr=False)   # Fact decoded here -> its stored ref

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
            raise PipelineError(Errors.E301.format(url=_safe_url(u), reason=_reason(exc))) from None
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
                   content_keys: Optional[Mapping[str, str]] = None,
                   raw_facts: Optional[tuple[str, Optional[Sequence[Fact]]]] = None,
                   stored_entries: Optional[Mapping[str, str]] = None) -> str:
        """Record a whole run in one transaction and return its run_id.

        `documents`: every document of the run; `results`: each successfully
        processed document with its mentions; `facts`: the reconciled facts.
        `content_keys`: doc_id -> the key its results were computed under (content,
        rules, extraction settings, code: what the per-document cache is keyed by);
        mentions stored under a key already stored are not serialised again (without
        a key, a document's mentions are stored by the hash of their content).
        `raw_facts`: (basis, facts before curation, or None when stored already) kept for
        `raw_facts(basis)`: a later run with the same basis (the same documents under the
        same keys and rules) skips reconciling.
        `stored_entries`: doc_id -> the ref of its entry (store.entry_ref) for documents whose entry
        an earlier run stored already (their records and mentions are not serialised again); facts
        read from this store are not serialised again either.
        Only objects not already stored are written. A blank info.run_id gets a
        fresh id, blank started/finished get the current time; info.status is
        stored as given ('publishing' for a run whose files are not out yet)."""
        run_id = info.run_id or new_run_id()
        by_doc: dict[str, list[Mention]] = {}
        for d, ms in results:
            if d.status == "ok":
                by_doc.setdefault(d.doc_id, []).extend(ms)
        try:
            with self.engine.begin() as conn:
                if conn.execute(sa.select(T["runs"].c.run_id).where(T["runs"].c.run_id == run_id)).first():
                    raise PipelineError(Errors.E301.format(url=self.url, reason=f"run {run_id} already recorded"))
                docs = _unique_docs(documents)
                docs_ref, facts_ref = _put_run_objects(conn, T["objects"], docs, by_doc, _unique_facts(facts),
                                                       content_keys or {}, raw_facts, stored_entries or {},
                                                       self._fact_refs)
                die_here("store-commit")
                seq = (conn.execute(sa.select(sa.func.max(T["runs"].c.seq))).scalar() or 0) + 1
                conn.execute(T["runs"].insert(), {
                    "run_id": run_id, "seq": seq, "started": info.started or _now(),
                    "finished": info.finished or _now(), "status": info.status,
                    "rules_hash": info.rules_hash, "code_version": info.code_version, "corpus": info.corpus,
                    "n_documents": info.n_documents or len(documents),
                    "n_failed": info.n_failed or sum(1 for d in documents if d.status != "ok"),
                    "docs_ref": docs_ref, "facts_ref": facts_ref,
                })
        except PipelineError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise PipelineError(Errors.E301.format(url=self.url, reason=f"recording run {run_id} failed: "
                                                                        f"{_reason(exc)}")) from None
        return run_id

    def set_status(self, run_id: str, status: str, only_if: Optional[str] = None) -> bool:
        """Set a recorded run's status (a 'publishing' run becomes ok/partial once its
        files are out); with `only_if`, only when the current status is that. True if set."""
        c = T["runs"].c
        cond = c.run_id == run_id
        if only_if is not None:
            cond = cond & (c.status == only_if)
        with self.engine.begin() as conn:
            n = conn.execute(T["runs"].update().where(cond).values(status=status, finished=_now())).rowcount
        return bool(n)

    def prune(self, keep: int) -> dict[str, int]:
        """Keep the `keep` most recent completed runs and every run recorded after the
        oldest of them; remove older runs and every object no kept run references.
        Curation decisions (rules/curation.yaml, and any decisions table) are not touched;
        diffs between kept runs are unchanged. Returns counts of what was removed."""
        if keep < 1:
            raise PipelineError(Errors.E305.format(keep=keep))
        runs = self.runs()
        done = [r for r in runs if r.status in COMPLETED]
        if len(done) <= keep:
            return {"runs": 0, "objects": 0}
        first_kept = self.run_seq(done[-keep].run_id)
        r, o = T["runs"].c, T["objects"].c
        with self.engine.begin() as conn:
            n_runs = conn.execute(T["runs"].delete().where(r.seq < first_kept)).rowcount
            live: set[str] = set()
            for docs_ref, facts_ref in conn.execute(sa.select(r.docs_ref, r.facts_ref)).all():
                docs = self._get(conn, [docs_ref])[docs_ref]
                entry_refs = docs["entries"]
                live.update((docs_ref, *entry_refs))
                live.update(e["mentions"] for e in self._get(conn, entry_refs).values() if e["mentions"])
                for ref in (facts_ref, docs.get("raw_facts")):
                    if ref:
                        live.add(ref)
                        live.update(fref for _, fref in self._get(conn, [ref])[ref])
            dead = [ref for (ref,) in conn.execute(sa.select(o.ref)).all() if ref not in live]
            for i in range(0, len(dead), 500):
                conn.execute(T["objects"].delete().where(o.ref.in_(dead[i:i + 500])))
        if self.engine.url.get_backend_name() == "sqlite":
            with self.engine.connect() as conn:         # give the space back to the file system
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM"))
        for ref in dead:
            self._cache.pop(ref, None)
            self._cache.pop(("fact", ref), None)
        gone = set(dead)
        self._fact_refs = {f: ref for f, ref in self._fact_refs.items() if ref not in gone}
        return {"runs": n_runs, "objects": len(dead)}

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
        return _run_info(self._run_row(run_id))

    def _run_row(self, run_id: str):
        with self.engine.connect() as conn:
            r = conn.execute(sa.select(T["runs"]).where(T["runs"].c.run_id == run_id)).mappings().first()
        if r is None:
            raise PipelineError(Errors.E302.format(run=run_id, url=self.url))
        return r

    def _entries(self, run_id: str) -> tuple[list[tuple[str, dict]], set[str]]:
        """([(entry ref, entry)] in (source_file, doc_id) order, doc_ids reused in the run)."""
        ref = self._run_row(run_id)["docs_ref"]
        with self.engine.connect() as conn:
            docs = self._get(conn, [ref])[ref]
            entries = self._get(conn, docs["entries"])
        return [(e, entries[e]) for e in docs["entries"]], set(docs["reused"])

    def documents(self, run_id: str) -> list[DocumentRecord]:
        """The run's documents sorted by (source_file, doc_id)."""
        entries, reused = self._entries(run_id)
        return [_doc_record({**e, "reused": e["doc_id"] in reused}) for _, e in entries]

    def document_refs(self, run_id: str) -> dict[str, str]:
        """doc_id -> the ref of the document's stored entry (record and mentions): equal refs,
        equal document outputs. Lets a run tell which documents changed since another."""
        return {e["doc_id"]: ref for ref, e in self._entries(run_id)[0]}

    def facts(self, run_id: str) -> list[Fact]:
        """The run's facts sorted by (kind, fact_id)."""
        ref = self._run_row(run_id)["facts_ref"]
        with self.engine.connect() as conn:
            pairs = self._get(conn, [ref])[ref]
            rows = self._get(conn, [fref for _, fref in pairs])
        return [self._fact(fref, rows[fref]) for _, fref in pairs]

    def mentions(self, run_id: str, skip_docs: Iterable[str] = ()) -> list[Mention]:
        """The run's mentions sorted by mention_id (without those of the documents `skip_docs`)."""
        skip = set(skip_docs)
        refs = [e["mentions"] for _, e in self._entries(run_id)[0] if e["mentions"] and e["doc_id"] not in skip]
        with self.engine.connect() as conn:
            sets = self._get(conn, refs)
        rows = {row["mention_id"]: (kind, row) for ref in refs for kind, row in sets[ref]}
        return [mention_from_row(kind, row) for _, (kind, row) in sorted(rows.items())]

    def raw_facts(self, basis: str) -> Optional[list[Fact]]:
        """Facts before curation that a recorded run computed from the same basis, or None."""
        ref = _raw_ref(basis)
        o = T["objects"].c
        with self.engine.connect() as conn:
            if ref not in self._cache and conn.execute(sa.select(o.ref).where(o.ref == ref)).first() is None:
                return None
            pairs = self._get(conn, [ref])[ref]
            rows = self._get(conn, [fref for _, fref in pairs])
        return [self._fact(fref, rows[fref]) for _, fref in pairs]

    def _fact(self, ref: str, row: dict) -> Fact:
        """The Fact of a stored fact row (decoded once per store: a no-change run reads the same facts
        as the stored fact set before curation and as the last run's)."""
        key = ("fact", ref)
        if key not in self._cache:
            self._cache[key] = f = _fact_from_row(row)
            self._fact_refs[f] = ref
        return self._cache[key]

    def fact_ids(self, run_id: str) -> list[str]:
        """The run's fact ids, sorted by (kind, fact_id), without reading the facts."""
        ref = self._run_row(run_id)["facts_ref"]
        with self.engine.connect() as conn:
            return [fid for fid, _ in self._get(conn, [ref])[ref]]

    def run_refs(self, run_id: str) -> tuple[str, str]:
        """(docs_ref, facts_ref): equal refs, equal documents / facts."""
        r = self._run_row(run_id)
        return r["docs_ref"], r["facts_ref"]

    def snapshot(self, run_id: str) -> RunSnapshot:
        return RunSnapshot(run=self.run(run_id), documents=tuple(self.documents(run_id)),
                           facts=tuple(self.facts(run_id)), mentions=tuple(self.mentions(run_id)))

    def fact_history(self, fact_id: str, upto_run: Optional[str] = None) -> Optional[FactHistory]:
        """First and last completed run (status ok/partial) holding this fact,
        optionally counting only runs up to and including `upto_run`."""
        return self.fact_histories(upto_run, [fact_id]).get(fact_id)

    def fact_histories(self, upto_run: Optional[str] = None,
                       fact_ids: Optional[Sequence[str]] = None) -> dict[str, FactHistory]:
        """fact_id -> FactHistory over completed runs (up to `upto_run`). Runs sharing
        a fact set (nothing changed) share one decoded copy of it."""
        r = T["runs"].c
        cond = r.status.in_(COMPLETED)
        if upto_run is not None:
            cond = cond & (r.seq <= self.run_seq(upto_run))
        with self.engine.connect() as conn:
            runs = conn.execute(sa.select(r.run_id, r.facts_ref).where(cond).order_by(r.seq)).all()
            sets = self._get(conn, {ref for _, ref in runs})
        wanted = set(fact_ids) if fact_ids is not None else None
        first: dict[str, str] = {}
        last: dict[str, str] = {}
        count: dict[str, int] = {}
        ids_of: dict[str, list[str]] = {}
        for run_id, ref in runs:
            if ref not in ids_of:
                ids_of[ref] = [fid for fid, _ in sets[ref] if wanted is None or fid in wanted]
            for fid in ids_of[ref]:
                first.setdefault(fid, run_id)
                last[fid] = run_id
                count[fid] = count.get(fid, 0) + 1
        return {fid: FactHistory(first[fid], last[fid], count[fid]) for fid in first}

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
        """run_id -> number of facts recorded for it (runs without facts: absent)."""
        out: dict[str, int] = {}
        for r in self.runs():
            if self._run_row(r.run_id)["facts_ref"]:
                out[r.run_id] = len(self.fact_ids(r.run_id))
        return out

    def run_seq(self, run_id: str) -> int:
        return int(self._run_row(run_id)["seq"])

    def size(self) -> dict[str, int]:
        """Rows and stored bytes of the history (runs, objects), for benchmarks and `history`."""
        o = T["objects"].c
        with self.engine.connect() as conn:
            n_runs = conn.execute(sa.select(sa.func.count()).select_from(T["runs"])).scalar()
            n_obj, n_bytes = conn.execute(sa.select(sa.func.count(), sa.func.sum(sa.func.length(o.data)))).one()
        return {"runs": int(n_runs or 0), "objects": int(n_obj or 0), "object_bytes": int(n_bytes or 0)}

    # ------------------------------------------------------------- objects

    def _get(self, conn: Connection, refs: Iterable[str]) -> dict[str, object]:
        """ref -> decoded object (cached: objects never change)."""
        refs = set(refs)
        out = {ref: self._cache[ref] for ref in refs if ref in self._cache}
        missing = [ref for ref in refs if ref not in out and ref]
        o = T["objects"].c
        for i in range(0, len(missing), 500):
            for ref, data in conn.execute(sa.select(o.ref, o.data).where(o.ref.in_(missing[i:i + 500]))).all():
                out[ref] = self._cache[ref] = json.loads(zlib.decompress(data))
        if "" in refs:
            out[""] = []
        lost = refs - set(out)
        if lost:
            raise PipelineError(Errors.E306.format(url=self.url, ref=sorted(lost)[0]))
        return out


DIE_AT = "HER2_TEST_DIE_AT"


def die_here(point: str) -> None:
    """Test hook for the kill tests: with HER2_TEST_DIE_AT=<point> the process kills itself
    (SIGKILL, nothing cleaned up) at that named point of a run. Unset: nothing happens."""
    if os.environ.get(DIE_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)


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


def _reason(exc: Exception) -> str:
    return str(exc.orig if getattr(exc, "orig", None) is not None else exc).splitlines()[0]


def _pack(obj) -> tuple[str, bytes]:
    """(ref, canonical JSON) of a JSON-able object: the ref is the sha256 of the JSON.
    The JSON is compressed (zlib) only when the object is new to the store."""
    js = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return hashlib.sha256(js).hexdigest(), js


def _put_run_objects(conn: Connection, objects: sa.Table, documents: Sequence[DocumentRecord],
                     mentions_by_doc: dict[str, list[Mention]], facts: Sequence[Fact],
                     content_keys: Mapping[str, str] = {},
                     raw_facts: Optional[tuple[str, Optional[Sequence[Fact]]]] = None,
                     stored_entries: Mapping[str, str] = {}, fact_refs: Mapping[Fact, str] = {}) -> tuple[str, str]:
    """Store a run's documents, mentions and facts as objects (only those not stored
    yet); return (docs_ref, facts_ref) for the runs row. `stored_entries`, `fact_refs`: the refs of
    entries and facts known to be stored (see record_run)."""
    new: dict[str, bytes] = {}
    entry_refs = []
    o = objects.c

    def flush(at_most: int = 0) -> None:
        """Write the new objects gathered so far (once more than `at_most` bytes): memory stays
        bounded while a first run's every mention set is stored."""
        if sum(len(js) for js in new.values()) <= at_most:
            return
        refs = list(new)
        for i in range(0, len(refs), 500):
            for (ref,) in conn.execute(sa.select(o.ref).where(o.ref.in_(refs[i:i + 500]))).all():
                del new[ref]
        rows = [{"ref": ref, "data": zlib.compress(js, 6)} for ref, js in new.items()]
        new.clear()
        for i in range(0, len(rows), 500):
            conn.execute(objects.insert(), rows[i:i + 500])
    keyed = {d: _keyed_mentions_ref(k) for d, k in content_keys.items() if d not in stored_entries}
    stored: set[str] = set()
    refs = list(keyed.values())
    for i in range(0, len(refs), 500):
        stored.update(r for (r,) in conn.execute(sa.select(o.ref).where(o.ref.in_(refs[i:i + 500]))).all())
    for d in sorted(documents, key=lambda d: (d.source_file, d.doc_id)):
        if d.doc_id in stored_entries:
            entry_refs.append(stored_entries[d.doc_id])
            continue
        entry = _entry(d)
        if d.status == "ok" and d.doc_id in mentions_by_doc:
            if keyed.get(d.doc_id) in stored:
                entry["mentions"] = keyed[d.doc_id]
            else:
                rows = {row["mention_id"]: [m.kind, row] for m in mentions_by_doc[d.doc_id]
                        for row in (mention_to_row(m),)}
                entry["mentions"], new_data = _pack([rows[k] for k in sorted(rows)])
                entry["mentions"] = keyed.get(d.doc_id, entry["mentions"])
                new[entry["mentions"]] = new_data
        ref, data = _pack(entry)
        new[ref] = data
        entry_refs.append(ref)
        flush(FLUSH_BYTES)
    # whether a document was reused is the run's, not the document's: kept beside the entries
    docs = {"entries": entry_refs, "reused": sorted({d.doc_id for d in documents if d.reused})}

    def fact_set(fs: Sequence[Fact]) -> list[list[str]]:
        pairs = []
        for f in sorted(fs, key=lambda f: (f.kind, f.fact_id)):
            ref = fact_refs.get(f)
            if ref is None:
                ref, data = _pack(_fact_row(f))
                new[ref] = data
            pairs.append([f.fact_id, ref])
        return pairs

    if raw_facts is not None:
        docs["raw_facts"] = _raw_ref(raw_facts[0])
        if raw_facts[1] is not None:
            new[docs["raw_facts"]] = _pack(fact_set(raw_facts[1]))[1]
    docs_ref, data = _pack(docs)
    new[docs_ref] = data
    facts_ref, data = _pack(fact_set(facts))
    new[facts_ref] = data
    flush()
    return docs_ref, facts_ref


FLUSH_BYTES = 8 << 20      # new objects' JSON gathered before they are written (record_run)


def new_run_id() -> str:
    """A fresh run id: UTC time of day to the second, then 6 random hex digits (sorts by time)."""
    return f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{uuid.uuid4().hex[:6]}"


def _entry(d: DocumentRecord, mentions_ref: str = "") -> dict:
    """A document's stored entry (its record, without `reused`, and the ref of its mentions)."""
    return {"doc_id": d.doc_id, "source_file": d.source_file, "kind": d.kind, "title": d.title, "doi": d.doi,
            "status": d.status, "error": d.error, "rules_hash": d.rules_hash, "code_version": d.code_version,
            "mentions": mentions_ref}


def _keyed_mentions_ref(content_key: str) -> str:
    return hashlib.sha256(f"mentions|{content_key}".encode("utf-8")).hexdigest()


def entry_ref(d: DocumentRecord, content_key: str) -> str:
    """The ref `record_run` gives this document's entry when its results were computed under
    `content_key` (what `Store.document_refs` returns): known before the run is recorded, so a run
    can tell while its documents come in which of them changed since an earlier run."""
    return _pack(_entry(d, _keyed_mentions_ref(content_key) if d.status == "ok" else ""))[0]


def _raw_ref(basis: str) -> str:
    return hashlib.sha256(f"raw_facts|{basis}".encode("utf-8")).hexdigest()


def _doc_record(r) -> DocumentRecord:
    return DocumentRecord(doc_id=r["doc_id"], source_file=r["source_file"], kind=r["kind"], title=r["title"],
                          doi=r["doi"], status=r["status"], error=r["error"], rules_hash=r["rules_hash"],
                          code_version=r["code_version"], reused=bool(r["reused"]))


def _fact_row(f: Fact) -> dict:
    return {
        "fact_id": f.fact_id, "kind": f.kind, "key_json": _dumps(list(f.key)),
        "fields_json": _dumps([list(kv) for kv in f.fields]), "value": f.value, "values_json": _dumps(list(f.values)),
        "status": f.status, "n_sources": f.n_sources, "n_works": f.n_works, "sources_json": _dumps(list(f.sources)),
        "mention_ids_json": _dumps(list(f.mention_ids)), "curation": f.curation, "curation_note": f.curation_note,
        "value_sources_json": _dumps([[v, list(s)] for v, s in f.value_sources]),
    }


def _fact_from_row(r) -> Fact:
    # the row's six JSON texts decoded in one call (a no-change run decodes every stored fact)
    key, fields, values, sources, mention_ids, value_sources = json.loads("[" + ",".join((
        r["key_json"], r["fields_json"], r["values_json"], r["sources_json"], r["mention_ids_json"],
        r["value_sources_json"] or "[]")) + "]")
    return Fact(
        fact_id=r["fact_id"], kind=r["kind"], key=tuple(key), fields=tuple((k, v) for k, v in fields),
        value=r["value"], values=tuple(values), status=r["status"], n_sources=int(r["n_sources"]),
        n_works=int(r["n_works"]), sources=tuple(sources), mention_ids=tuple(mention_ids),
        curation=r["curation"], curation_note=r["curation_note"],
        value_sources=tuple((v, tuple(s)) for v, s in value_sources),
    )
