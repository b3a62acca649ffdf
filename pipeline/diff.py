"""What changed between two runs, for a curator: a pure function of two RunSnapshots.

`snapshots_to_diff(old, new)` compares the facts of two runs by fact_id and the
documents by source_file, and says for every change what the fact is in plain
words, its old and new value, where it comes from (file, page, the sentence
with the extracted span) and why it changed (a source document was added,
removed or edited, or the rules or the code changed). pipeline/report.py
renders the result; nothing here touches files.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from pipeline.model import (
    DocumentRecord,
    Fact,
    Mention,
    RunInfo,
    RunSnapshot,
    fact_statement,
    fact_subject,
    fact_value_text,
    mention_id,
)

__all__ = ["Diff", "DocChange", "Evidence", "FactChange", "StaleDecision", "fact_statement", "fact_subject",
           "fact_value", "snapshots_to_diff"]

KINDS = ("trial", "endpoint", "approval")
CHANGES = ("added", "removed", "changed")


@dataclass(frozen=True)
class Evidence:
    """One mention behind a fact: where it was read and what was read."""

    side: str                   # "new" (this run) | "old" (the earlier run only)
    mention_id: str
    source_file: str
    page: int
    section: str
    sentence: str
    quote: str
    quote_start: int            # offset of `quote` in `sentence`; -1 when it cannot be placed
    table_id: str = ""
    doc_id: str = ""            # the saved text/<doc_id>.txt the offsets refer to
    char_start: Optional[int] = None
    char_end: Optional[int] = None

    @property
    def parts(self) -> tuple[str, str, str]:
        """(before, quote, after) for highlighting; quote "" when not placeable."""
        if self.quote_start < 0:
            return self.sentence, "", ""
        a, b = self.quote_start, self.quote_start + len(self.quote)
        return self.sentence[:a], self.sentence[a:b], self.sentence[b:]


@dataclass(frozen=True)
class FactChange:
    change: str                 # "added" | "removed" | "changed"
    fact_id: str
    kind: str
    drug: str
    cancer_type: str
    statement: str              # the fact in plain words, with its (new, or last) value
    subject: str                # the same without the value ("ORR of X in TRIAL (breast)")
    old_value: str              # formatted, "" when the fact is new
    new_value: str              # formatted, "" when the fact was removed
    old_status: str
    new_status: str
    newly_conflicting: bool     # conflict now, not before
    reasons: tuple[str, ...]    # why it changed, in plain words
    evidence: tuple[Evidence, ...]
    curation: str = ""          # decision on this fact, if any ("reject: note (by)")

    @property
    def source(self) -> str:
        """First source as "file p. N" (the report's short form)."""
        if not self.evidence:
            return ""
        e = self.evidence[0]
        return f"{e.source_file} p. {e.page}"


@dataclass(frozen=True)
class DocChange:
    change: str                 # "added" | "removed" | "changed"
    source_file: str
    old_doc_id: str
    new_doc_id: str
    title: str
    detail: str                 # plain words


@dataclass(frozen=True)
class StaleDecision:
    fact_id: str
    action: str
    value: str
    note: str
    by: str
    date: str
    line: int
    last_seen: str              # the fact in plain words, if the earlier run had it


@dataclass(frozen=True)
class Diff:
    old_run: Optional[RunInfo]
    new_run: RunInfo
    facts: tuple[FactChange, ...]          # sorted by drug, cancer type, kind, change, statement
    documents: tuple[DocChange, ...]
    stale_decisions: tuple[StaleDecision, ...]
    rules_changed: bool
    code_changed: bool
    n_facts_old: int
    n_facts_new: int

    def of(self, change: str, kind: Optional[str] = None) -> tuple[FactChange, ...]:
        return tuple(c for c in self.facts if c.change == change and (kind is None or c.kind == kind))

    @property
    def newly_conflicting(self) -> tuple[FactChange, ...]:
        return tuple(c for c in self.facts if c.newly_conflicting)

    def counts(self) -> dict[str, dict[str, int]]:
        """{kind: {added, removed, changed, newly_conflicting}} for every kind (zeros included)."""
        out = {k: {"added": 0, "removed": 0, "changed": 0, "newly_conflicting": 0} for k in KINDS}
        for c in self.facts:
            row = out.setdefault(c.kind, {"added": 0, "removed": 0, "changed": 0, "newly_conflicting": 0})
            row[c.change] += 1
            row["newly_conflicting"] += int(c.newly_conflicting)
        return out

    def groups(self) -> list[tuple[tuple[str, str], tuple[FactChange, ...]]]:
        """Fact changes grouped by (drug, cancer type), in sorted order."""
        out: dict[tuple[str, str], list[FactChange]] = {}
        for c in self.facts:
            out.setdefault((c.drug, c.cancer_type), []).append(c)
        return [(k, tuple(v)) for k, v in out.items()]

    @property
    def is_empty(self) -> bool:
        return not self.facts and not self.documents and not self.stale_decisions


# ---------------------------------------------------------------- plain words
# (defined with the dataclasses so curation can use them without importing this module)

fact_value = fact_value_text


# ---------------------------------------------------------------- evidence and reasons

def _place(sentence: str, quote: str) -> int:
    if not quote:
        return -1
    i = sentence.find(quote)
    if i < 0:
        i = sentence.lower().find(quote.lower())
    return i


def _evidence(mentions: Iterable[Mention], side: str) -> list[Evidence]:
    out = []
    for m in mentions:
        p = m.prov
        out.append(Evidence(side=side, mention_id=mention_id(m), source_file=p.source_file, page=p.page,
                            section=p.section, sentence=p.sentence, quote=p.quote,
                            quote_start=_place(p.sentence, p.quote), table_id=p.table_id,
                            doc_id=p.doc_id, char_start=p.char_start, char_end=p.char_end))
    out.sort(key=lambda e: (e.source_file, e.page, e.quote_start, e.mention_id))
    return out


def _mention_index(s: Optional[RunSnapshot]) -> dict[str, Mention]:
    return {mention_id(m): m for m in s.mentions} if s is not None else {}


def _docs(s: Optional[RunSnapshot]) -> dict[str, DocumentRecord]:
    return {d.source_file: d for d in s.documents} if s is not None else {}


def _files_of(f: Optional[Fact], mentions: dict[str, Mention]) -> set[str]:
    if f is None:
        return set()
    files = {mentions[i].prov.source_file for i in f.mention_ids if i in mentions}
    if not files:   # fall back on the "file:page" sources
        files = {s.rsplit(":", 1)[0] for s in f.sources}
    return files


def _doc_reason(name: str, old: dict[str, DocumentRecord], new: dict[str, DocumentRecord]) -> Optional[str]:
    o, n = old.get(name), new.get(name)
    if o is None and n is not None:
        return f"source document {name} was added"
    if n is None and o is not None:
        return f"source document {name} was removed"
    if o is None or n is None:
        return None
    if o.doc_id != n.doc_id:
        return f"source document {name} changed (content hash {o.doc_id[:12]} -> {n.doc_id[:12]})"
    if o.status != n.status:
        return f"source document {name} is now {n.status}" + (f" ({n.error})" if n.error else "")
    return None


def _version_reasons(old_run: Optional[RunInfo], new_run: RunInfo, files: set[str],
                     old: dict[str, DocumentRecord], new: dict[str, DocumentRecord]) -> list[str]:
    out = []
    rules = code = False
    for name in sorted(files):
        o, n = old.get(name), new.get(name)
        if o is not None and n is not None and o.doc_id == n.doc_id:
            rules = rules or (o.rules_hash != n.rules_hash)
            code = code or (o.code_version != n.code_version)
    if old_run is not None:
        rules = rules or (not files and old_run.rules_hash != new_run.rules_hash)
        code = code or (not files and old_run.code_version != new_run.code_version)
    if rules and old_run is not None:
        out.append(f"the rules changed (rules hash {old_run.rules_hash} -> {new_run.rules_hash})")
    if code and old_run is not None:
        out.append(f"the pipeline code changed ({old_run.code_version} -> {new_run.code_version})")
    return out


# ---------------------------------------------------------------- curation

def _present(f: Optional[Fact]) -> bool:
    """In the exports: recorded and not rejected by a curator."""
    return f is not None and f.curation != "rejected"


def _decision_text(d) -> str:
    return f"{d.action}" + (f" -> {d.value}" if getattr(d, "value", "") else "") \
        + (f": {d.note}" if getattr(d, "note", "") else "") + (f" ({d.by})" if getattr(d, "by", "") else "")


def _curation_reasons(o: Optional[Fact], n: Optional[Fact], d, cur: str) -> list[str]:
    """Why a fact changed when a curator's decision (made, changed or withdrawn) did it."""
    before = o.curation if o is not None else ""
    after = n.curation if n is not None else ""
    if n is None or (before == after and not (after == "corrected" and o is not None and o.value != n.value)):
        return []
    if n is not None and not after and before:
        what = f"{before}" + (f": {o.curation_note}" if o is not None and o.curation_note else "")
        return [f"curation decision withdrawn (was {what})"]
    if d is not None:
        return [f"curation decision: {cur}"]
    return []


# ---------------------------------------------------------------- the diff

def snapshots_to_diff(old: Optional[RunSnapshot], new: RunSnapshot, decisions: Sequence = ()) -> Diff:
    """Compare two runs. `old` None means "no earlier run": everything is added.
    `decisions` (pipeline.curation.Decision or anything with the same
    attributes) are used to explain curated facts and to list stale ones."""
    old_facts = {f.fact_id: f for f in old.facts} if old is not None else {}
    new_facts = {f.fact_id: f for f in new.facts}
    old_m, new_m = _mention_index(old), _mention_index(new)
    old_d, new_d = _docs(old), _docs(new)
    old_run = old.run if old is not None else None
    by_fact = {d.fact_id: d for d in decisions}

    changes: list[FactChange] = []
    for fid in sorted(set(old_facts) | set(new_facts)):
        o, n = old_facts.get(fid), new_facts.get(fid)
        # a rejected fact is out of the exports: for the curator it was removed
        o_in, n_in = _present(o), _present(n)
        if o_in and n_in:
            if o.value == n.value and o.status == n.status and set(o.values) == set(n.values):
                continue
            change = "changed"
        elif o_in or n_in:
            change = "added" if n_in else "removed"
        else:
            continue
        f = n if n is not None else o
        assert f is not None
        ev_new = _evidence((new_m[i] for i in (n.mention_ids if n else ()) if i in new_m), "new")
        gone = [i for i in (o.mention_ids if o else ()) if i in old_m and i not in new_m]
        ev_old = _evidence((old_m[i] for i in gone), "old")
        files = _files_of(o, old_m) | _files_of(n, new_m)
        d = by_fact.get(fid)
        cur = _decision_text(d) if d is not None else ""
        reasons = _curation_reasons(o, n, d, cur)
        if old is not None:
            reasons += [r for name in sorted(files) if (r := _doc_reason(name, old_d, new_d))]
            reasons += _version_reasons(old_run, new.run, files, old_d, new_d)
        if not reasons:
            reasons.append("first run: no earlier run to compare with" if old is None
                           else "other sources of the same fact changed (reconciliation)")
        changes.append(FactChange(
            change=change, fact_id=fid, kind=f.kind, drug=f.field("drug"), cancer_type=f.field("cancer_type"),
            statement=fact_statement(f), subject=fact_subject(f), old_value=fact_value(o) if o_in else "", new_value=fact_value(n) if n_in else "",
            old_status=o.status if o_in else "", new_status=n.status if n_in else "",
            newly_conflicting=bool(n is not None and n.status == "conflict" and (o is None or o.status != "conflict")),
            reasons=tuple(dict.fromkeys(reasons)), evidence=tuple(ev_new + ev_old), curation=cur))
    order = {k: i for i, k in enumerate(CHANGES)}
    changes.sort(key=lambda c: (c.drug.lower() or "~", c.cancer_type.lower() or "~", KINDS.index(c.kind)
                                if c.kind in KINDS else 9, order[c.change], c.statement, c.fact_id))

    docs: list[DocChange] = []
    for name in sorted(set(old_d) | set(new_d)):
        o, n = old_d.get(name), new_d.get(name)
        if o is None and n is not None:
            docs.append(DocChange("added", name, "", n.doc_id, n.title, f"new document ({n.status})"))
        elif n is None and o is not None:
            docs.append(DocChange("removed", name, o.doc_id, "", o.title,
                                  "no longer in the corpus: its mentions left the facts"))
        elif o is not None and n is not None and (o.doc_id != n.doc_id or o.status != n.status):
            detail = (f"content changed (sha256 {o.doc_id[:12]} -> {n.doc_id[:12]})" if o.doc_id != n.doc_id
                      else f"status {o.status} -> {n.status}") + (f": {n.error}" if n.error else "")
            docs.append(DocChange("changed", name, o.doc_id, n.doc_id, n.title or o.title, detail))

    stale = []
    for d in decisions:
        if d.fact_id in new_facts:
            continue
        last = fact_statement(old_facts[d.fact_id]) if d.fact_id in old_facts else ""
        stale.append(StaleDecision(d.fact_id, d.action, getattr(d, "value", ""), getattr(d, "note", ""),
                                   getattr(d, "by", ""), getattr(d, "date", ""), getattr(d, "line", 0), last))

    return Diff(
        old_run=old_run, new_run=new.run, facts=tuple(changes), documents=tuple(docs),
        stale_decisions=tuple(stale),
        rules_changed=bool(old_run is not None and old_run.rules_hash != new.run.rules_hash),
        code_changed=bool(old_run is not None and old_run.code_version != new.run.code_version),
        n_facts_old=sum(map(_present, old_facts.values())), n_facts_new=sum(map(_present, new_facts.values())))
