"""Curation decisions: a curator accepts, rejects or corrects a reconciled fact.

Decisions live in rules/curation.yaml (in version control, editable by hand or
with `python -m pipeline curate FACT_ID --accept|--reject|--correct VALUE`).
They apply after reconciliation, so changing them never re-runs extraction
(config.rules_hash() skips the file). A decision whose fact no longer exists is
"stale": it is kept in the file and listed in the diff report.

File format::

    decisions:
      - fact_id: 3f2a9c0d1e4b5a67     # fact_id column of the exports
        action: correct               # accept | reject | correct
        value: "79.7"                 # only (and always) for correct
        note: Table 2 gives 79.7, the text 79.9
        by: A. Curator
        date: "2026-11-22"

Every value is read as a string exactly as written (no YAML typing, so
`value: 1e3` stays "1e3"). A malformed file fails with one line naming the
file, the line and the reason (E401), never a traceback.
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Optional, Sequence

import yaml

from pipeline.errors import CurationError, Errors, PipelineError
from pipeline.model import Fact, fact_statement
from pipeline.reconcile import VALUE_FIELDS, format_value
from pipeline.schema import REJECTED_COLUMNS, ValueFormatError, date_precision, parse_endpoint_value, parse_phase

ACTIONS = ("accept", "reject", "correct")
log = logging.getLogger("pipeline.curation")
CURATION_FILE = "curation.yaml"
EMPTY_FILE = """\
# Curation decisions, applied after reconciliation (editing this file never
# re-runs extraction). One entry per fact:
#
#   - fact_id: 3f2a9c0d1e4b5a67   # the fact_id column of the exports
#     action: correct             # accept | reject | correct
#     value: "79.7"               # the corrected value; only (and always) for correct
#     note: why                   # free text, shown in the reports
#     by: curator name
#     date: "2026-11-22"          # ISO date the decision was made
#
# Rejected facts leave the exports and are listed in rejected.csv; corrected
# values replace the extracted ones (curation=corrected, the extracted value is
# kept in curation_note); accepted facts are marked curation=accepted.
# Add entries by hand or with:
#   python -m pipeline curate FACT_ID --reject --note "..." --by NAME
decisions: []
"""


@dataclass(frozen=True)
class Decision:
    fact_id: str
    action: str                      # accept | reject | correct
    value: str = ""                  # corrected value (action correct only)
    note: str = ""
    by: str = ""
    date: str = ""                   # ISO date
    line: int = field(default=0, compare=False)   # where it sits in the file (0: not from a file)


DECISION_KEYS = tuple(f.name for f in fields(Decision) if f.name != "line")
REQUIRED_KEYS = ("fact_id", "action")


def decision_to_dict(d: Decision) -> dict[str, str]:
    """The YAML form of a decision (round-trips through decision_from_dict)."""
    out = {"fact_id": d.fact_id, "action": d.action}
    for k in ("value", "note", "by", "date"):
        v = getattr(d, k)
        if v or (k == "value" and d.action == "correct"):
            out[k] = v
    return out


class DecisionValueError(ValueError):
    """A bad decision; `key` names the offending key ("" when the entry as a whole is wrong)."""

    def __init__(self, reason: str, key: str = ""):
        super().__init__(reason)
        self.key = key


def decision_from_dict(data: dict, where: str = "decision", line: int = 0) -> Decision:
    """Build a decision from plain strings, checking keys and values.
    Raises DecisionValueError with the reason (the loader adds path and line)."""
    if not isinstance(data, dict):
        raise DecisionValueError(f"{where}: expected a mapping with keys {list(DECISION_KEYS)}")
    unknown = sorted(set(data) - set(DECISION_KEYS))
    if unknown:
        raise DecisionValueError(f"{where}: unknown key(s) {unknown}; allowed: {list(DECISION_KEYS)}", unknown[0])
    missing = [k for k in REQUIRED_KEYS if not str(data.get(k) or "").strip()]
    if missing:
        raise DecisionValueError(f"{where}: missing {' and '.join(missing)}", missing[0] if missing[0] in data else "")
    d = Decision(**{k: str(data.get(k) or "").strip() for k in DECISION_KEYS}, line=line)
    if d.action not in ACTIONS:
        raise DecisionValueError(f"{where}: action {d.action!r} is not one of {'|'.join(ACTIONS)}", "action")
    if d.action == "correct" and not d.value:
        raise DecisionValueError(f"{where}: action correct needs a value", "value" if "value" in data else "action")
    if d.action != "correct" and d.value:
        raise DecisionValueError(f"{where}: value is only allowed with action correct (action is {d.action})", "value")
    if d.date:
        try:
            _dt.date.fromisoformat(d.date)
        except ValueError:
            raise DecisionValueError(f"{where}: date {d.date!r} is not an ISO date (YYYY-MM-DD)", "date") from None
    return d


# ---------------------------------------------------------------- loading

def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _fail(path: Path, line: int, reason: str) -> CurationError:
    return CurationError(Errors.E401.format(path=path, line=line, reason=reason))


def _items(path: Path, text: str) -> list[yaml.MappingNode]:
    """The decision nodes of the file (with their marks), after checking the outer shape."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _fail(path, line, f"not valid YAML ({problem})") from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, _line(root), "expected a mapping with the single key 'decisions'")
    seq: Optional[yaml.Node] = None
    for k, v in root.value:
        if not isinstance(k, yaml.ScalarNode) or k.value != "decisions":
            raise _fail(path, _line(k), f"unknown top-level key {getattr(k, 'value', '?')!r}; allowed: ['decisions']")
        if seq is not None:
            raise _fail(path, _line(k), "duplicate key 'decisions'")
        seq = v
    if seq is None or (isinstance(seq, yaml.ScalarNode) and seq.tag.endswith(":null")):
        return []
    if not isinstance(seq, yaml.SequenceNode):
        raise _fail(path, _line(seq), "'decisions' must be a list of entries")
    items = []
    for i, item in enumerate(seq.value, 1):
        if not isinstance(item, yaml.MappingNode):
            raise _fail(path, _line(item), f"decision {i}: expected a mapping with keys {list(DECISION_KEYS)}")
        items.append(item)
    return items


def _item_to_decision(path: Path, i: int, item: yaml.MappingNode) -> Decision:
    data: dict[str, str] = {}
    for k, v in item.value:
        if not isinstance(k, yaml.ScalarNode):
            raise _fail(path, _line(k), f"decision {i}: keys must be plain words")
        if k.value not in DECISION_KEYS:
            raise _fail(path, _line(k), f"decision {i}: unknown key {k.value!r}; allowed: {list(DECISION_KEYS)}")
        if k.value in data:
            raise _fail(path, _line(k), f"decision {i}: duplicate key {k.value!r}")
        if not isinstance(v, yaml.ScalarNode):
            raise _fail(path, _line(v), f"decision {i}: {k.value} must be a single value, not a list or mapping")
        data[k.value] = "" if v.tag.endswith(":null") else v.value
    try:
        return decision_from_dict(data, where=f"decision {i}", line=_line(item))
    except DecisionValueError as exc:
        line = next((_line(k) for k, _v in item.value if exc.key and k.value == exc.key), _line(item))
        raise _fail(path, line, str(exc)) from None


def parse_decisions(text: str, path: Path | str = CURATION_FILE) -> tuple[Decision, ...]:
    path = Path(path)
    out: list[Decision] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(_items(path, text), 1):
        d = _item_to_decision(path, i, item)
        if d.fact_id in seen:
            raise _fail(path, d.line, f"decision {i}: fact {d.fact_id} already has a decision at line {seen[d.fact_id]}")
        seen[d.fact_id] = d.line
        out.append(d)
    return tuple(out)


def load_decisions(path: Path | str) -> tuple[Decision, ...]:
    """Decisions from a curation file; a missing file means no decisions."""
    path = Path(path)
    if not path.exists():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, 1, f"cannot read ({exc})") from None
    return parse_decisions(text, path)


def dump_decisions(decisions: Sequence[Decision]) -> str:
    """A fresh file (header comment + entries); used when none exists yet."""
    if not decisions:
        return EMPTY_FILE
    head = EMPTY_FILE.rsplit("decisions: []", 1)[0]
    return head + "decisions:\n" + "".join(_entry_text(d) for d in decisions)


def _entry_text(d: Decision, indent: str = "  ") -> str:
    body = yaml.safe_dump([decision_to_dict(d)], sort_keys=False, default_flow_style=False,
                          allow_unicode=True, width=100)
    return "".join(indent + ln + "\n" for ln in body.splitlines())


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def upsert_decision_text(text: str, d: Decision, path: Path | str = CURATION_FILE) -> str:
    """The file text with `d` added, or replacing the entry for the same fact.
    Comments and every other entry are kept byte for byte; the result is
    checked by parsing it again before it is returned."""
    path = Path(path)
    if not text.strip():
        return dump_decisions([d])
    items = _items(path, text)
    if items:
        first = text[_line_start(text, items[0].start_mark.index):items[0].start_mark.index]
        indent = first[: len(first) - len(first.lstrip())]
        entry = _entry_text(d, indent)
        for item in items:
            fid = next((v.value for k, v in item.value if k.value == "fact_id"), None)
            if fid != d.fact_id:
                continue
            start = _line_start(text, item.start_mark.index)       # the "- fact_id" line
            end = text.find("\n", item.value[-1][1].end_mark.index)
            end = len(text) if end < 0 else end + 1
            new = text[:start] + entry + text[end:]
            break
        else:
            new = text + ("" if text.endswith("\n") else "\n") + entry
    else:
        entry = _entry_text(d)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:                                  # only comments
            new = text + ("" if text.endswith("\n") else "\n") + "decisions:\n" + entry
        else:                                             # decisions: [] / decisions: / decisions: null
            key, seq = root.value[0]
            if isinstance(seq, yaml.ScalarNode) and seq.value == "":
                end = text.index(":", key.end_mark.index) + 1
            else:
                end = seq.end_mark.index
            nl = text.find("\n", end)
            rest_of_line, after = (text[end:], "") if nl < 0 else (text[end:nl], text[nl + 1:])
            new = text[:key.start_mark.index] + "decisions:" + rest_of_line + "\n" + entry + after
    parse_decisions(new, path)
    return new


def remove_decision_text(text: str, fact_id: str, path: Path | str = CURATION_FILE) -> str:
    """The file text without the entry for `fact_id` (comments and other entries kept byte for byte)."""
    path = Path(path)
    for item in _items(path, text):
        if next((v.value for k, v in item.value if k.value == "fact_id"), None) == fact_id:
            start = _line_start(text, item.start_mark.index)
            end = text.find("\n", item.value[-1][1].end_mark.index)
            end = len(text) if end < 0 else end + 1
            new = text[:start] + text[end:]
            if not parse_decisions(new, path) and not re.search(r"(?m)^decisions:\s*\S", new):
                new = re.sub(r"(?m)^decisions:\s*$", "decisions: []", new, count=1)
            parse_decisions(new, path)
            return new
    return text


# ---------------------------------------------------------------- applying

def normalize_correction(kind: str, value: str) -> str:
    """The corrected value in the form the exports use, checked against its kind's format:
    endpoint -> a number with its unit ('44.3%', '20.1 months'), NR, and/or 'HR x (95% CI a-b)';
    approval -> an ISO date at a stated precision (YYYY, YYYY-MM, YYYY-MM-DD); trial -> a phase
    of the vocabulary. Raises ValueFormatError saying what is expected."""
    if kind == "endpoint":
        p = parse_endpoint_value(value)
        return format_value(kind, (p["value"], p["unit"], p["hr"], p["ci_low"], p["ci_high"]))
    if kind == "approval":
        date_precision(value)
        return value.strip()
    if kind == "trial":
        return parse_phase(value)
    raise ValueFormatError(f"unknown kind of fact {kind!r}")


def extracted_state(f: Fact) -> tuple[str, str]:
    """(value, status) of a fact as reconciliation made it, before any curation: a
    curated fact keeps its extracted fields, so this undoes a correction."""
    comps = tuple(f.field(n) for n in VALUE_FIELDS[f.kind])
    if any(comps):
        return format_value(f.kind, comps), "consistent"
    return "", "conflict" if len(f.values) > 1 else "consistent"


def uncurated(f: Fact) -> Fact:
    """The fact as extracted (curation undone)."""
    if not f.curation:
        return f
    value, status = extracted_state(f)
    return replace(f, value=value, status=status, curation="", curation_note="")


def apply_curation(facts: Sequence[Fact], decisions: Sequence[Decision], path: Path | str = CURATION_FILE
                   ) -> tuple[tuple[Fact, ...], tuple[Fact, ...], tuple[Decision, ...]]:
    """(kept facts, rejected facts, stale decisions).

    accept  -> curation="accepted", note kept;
    correct -> the value checked against the fact's kind and replaced (exports fill every value
               column from it), status consistent, curation="corrected", the extracted value kept
               in curation_note (and in values, which stay as extracted); a correction that does
               not fit the kind is not applied (E408 warning);
    reject  -> the fact leaves the kept list (curation="rejected" on the copy returned).
    A decision whose fact_id is not among `facts` is stale. Facts that carry an earlier
    curation are first restored as extracted, so applying today's decisions to the facts of
    an earlier run gives what a new run would give.
    """
    by_id = {d.fact_id: d for d in decisions}
    kept: list[Fact] = []
    rejected: list[Fact] = []
    seen: set[str] = set()
    for f in map(uncurated, facts):
        d = by_id.get(f.fact_id)
        if d is None:
            kept.append(f)
            continue
        seen.add(f.fact_id)
        who = f" ({d.by}, {d.date})" if d.by or d.date else ""
        if d.action == "reject":
            rejected.append(replace(f, curation="rejected", curation_note=(d.note + who).strip()))
        elif d.action == "accept":
            kept.append(replace(f, curation="accepted", curation_note=(d.note + who).strip()))
        else:
            try:
                value = normalize_correction(f.kind, d.value)
            except ValueFormatError as exc:
                log.warning(Errors.E408.format(path=path, line=d.line, fact_id=f.fact_id, kind=f.kind, reason=exc))
                kept.append(f)
                continue
            was = f.value if f.value else " / ".join(f.values)
            note = f"extracted value: {was or '(none)'}" + (f"; {d.note}" if d.note else "") + who
            kept.append(replace(f, value=value, status="consistent", curation="corrected", curation_note=note))
    stale = tuple(d for d in decisions if d.fact_id not in seen)
    return tuple(kept), tuple(rejected), stale


def reapply_curation(facts: Sequence[Fact], decisions: Sequence[Decision], path: Path | str = CURATION_FILE
                     ) -> list[Fact]:
    """Every fact (kept and rejected, as the store records them) with today's decisions applied."""
    kept, rejected, _stale = apply_curation(facts, decisions, path)
    return sorted(kept + rejected, key=lambda f: (f.kind, f.fact_id))


def rejected_rows(rejected: Sequence[Fact], decisions: Sequence[Decision]) -> list[dict[str, str]]:
    """Rows for rejected.csv (write with pipeline.outputs.atomic_write_csv)."""
    by_id = {d.fact_id: d for d in decisions}
    rows = []
    for f in rejected:
        d = by_id.get(f.fact_id, Decision(f.fact_id, "reject"))
        rows.append({"fact_id": f.fact_id, "kind": f.kind, "statement": fact_statement(f), "value": f.value,
                     "values": " | ".join(f.values), "status": f.status, "sources": " | ".join(f.sources),
                     "note": d.note, "by": d.by, "date": d.date})
    return rows


# ---------------------------------------------------------------- CLI

def curation_path(settings) -> Path:
    return Path(settings.rules_dir) / CURATION_FILE


def _latest_facts(settings) -> Optional[dict[str, Fact]]:
    """Facts of the latest recorded run, or None when there is no store or no run yet."""
    url = settings.store_url
    if url.startswith("sqlite:///"):
        db = url[len("sqlite:///"):]
        if db and db != ":memory:" and not Path(db).exists():
            return None
    from pipeline.store import Store   # the store module (issue 4)

    with Store.open(url) as store:
        done = [r for r in store.runs() if r.status in ("ok", "partial")]
        if not done:
            return None
        return {f.fact_id: f for f in store.facts(done[-1].run_id)}


def _check_correction(fact_id: str, fact: Optional[Fact], value: str) -> str:
    """The normalized corrected value, or CurationError E404 saying what the kind expects."""
    kinds = [fact.kind] if fact is not None else ["endpoint", "approval", "trial"]
    reasons = []
    for kind in kinds:
        try:
            return normalize_correction(kind, value)
        except ValueFormatError as exc:
            reasons.append(str(exc))
    raise CurationError(Errors.E404.format(fact_id=fact_id, kind=fact.kind if fact else "kind unknown: no run yet",
                                           value=value, reason="; ".join(reasons)))


def curate_command(settings, fact_id: str, action: str, value: Optional[str], note: str, by: str,
                   today: Optional[str] = None) -> str:
    """Record a decision in rules/curation.yaml (adding it, replacing the fact's earlier
    decision, or removing it with action "withdraw"), keep it in the store's decision
    history, and return a one-line confirmation. `fact_id` may be a unique prefix."""
    from pipeline.lookup import resolve_id
    from pipeline.outputs import atomic_write_text

    path = curation_path(settings)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    previous = {x.fact_id: x for x in parse_decisions(text, path)} if text else {}
    facts = _latest_facts(settings)
    known = set(facts or ()) | set(previous)
    if facts is not None or action == "withdraw":
        try:
            fact_id = resolve_id(fact_id, known, "fact", "the latest run" + (" or rules/curation.yaml" if previous
                                                                             else ""))
        except PipelineError as exc:
            raise CurationError(str(exc)) from None
    fact_id = fact_id.strip()
    fact = (facts or {}).get(fact_id)
    date = today or _dt.datetime.now(_dt.timezone.utc).date().isoformat()
    before = previous.get(fact_id)
    if action == "withdraw":
        if before is None:
            raise CurationError(Errors.E202.format(reason=f"fact {fact_id} has no decision to withdraw"))
        new_text = remove_decision_text(text, fact_id, path)
        d = Decision(fact_id, "withdraw", "", note or "", by or "", date)
    else:
        if action == "correct":
            value = _check_correction(fact_id, fact, value or "")
        try:
            d = decision_from_dict({"fact_id": fact_id, "action": action, "value": value or "",
                                    "note": note or "", "by": by or "", "date": date})
        except ValueError as exc:
            raise CurationError(Errors.E202.format(reason=str(exc))) from None
        new_text = upsert_decision_text(text, d, path) if text.strip() else dump_decisions([d])
    atomic_write_text(path, new_text)
    _record_history(settings, d, before, fact)
    what = f" ({fact_statement(fact)})" if fact is not None else ""
    verb = ("withdrew the decision on" if action == "withdraw" else
            "replaced the earlier decision:" if before is not None else "recorded:")
    act = "" if action == "withdraw" else f" {d.action}"
    extra = f" -> {d.value!r}" if d.action == "correct" else ""
    return f"{path}: {verb}{act} fact {fact_id}{what}{extra}" + (f" by {d.by}" if d.by else "")


def _record_history(settings, d: Decision, before: Optional[Decision], fact: Optional[Fact]) -> None:
    from pipeline.store import Store

    prev_value = before.value if before is not None and before.action == "correct" else (
        extracted_state(fact)[0] or " / ".join(fact.values) if fact is not None else "")
    with Store.open(settings.store_url) as store:
        store.record_decision(fact_id=d.fact_id, action=d.action, value=d.value, note=d.note, by=d.by,
                              previous_action=before.action if before else "", previous_value=prev_value,
                              previous_note=before.note if before else "")


def decision_history(settings, fact_id: Optional[str] = None) -> list[dict[str, str]]:
    """Every curation event kept in the run store (oldest first; one fact's with `fact_id`):
    dicts with fact_id, action (accept|reject|correct|withdraw), value, note, by, decided_at
    (ISO timestamp, UTC), previous_action, previous_value (the earlier correction, or the
    extracted value), previous_note. For the report."""
    from pipeline.store import Store

    with Store.open(settings.store_url) as store:
        return store.decisions(fact_id)


def export_command(settings, out_dir: Optional[Path], kind: Optional[str], drug: Optional[str],
                   cancer: Optional[str], fmt: str) -> list[Path]:
    """`python -m pipeline export` with today's curation decisions applied at once (no re-run):
    the stored facts of the latest run are restored as extracted and rules/curation.yaml is
    applied again; an unfiltered export also rewrites rejected.csv beside the fact files."""
    from pipeline import export

    path = curation_path(settings)
    decisions = load_decisions(path)
    paths = export.export_command(settings, out_dir, kind, drug, cancer, fmt,
                                  facts_hook=lambda facts: reapply_curation(facts, decisions, path))
    if not (kind or drug or cancer):
        facts = _latest_facts(settings) or {}
        _kept, rejected, _stale = apply_curation(list(facts.values()), decisions, path)
        paths.append(write_rejected_csv(Path(out_dir) if out_dir is not None else Path(settings.out), rejected,
                                        decisions))
    return paths


def write_rejected_csv(out_dir: Path, rejected: Sequence[Fact], decisions: Sequence[Decision]) -> Path:
    """<out_dir>/rejected.csv (always written, header only when nothing is rejected)."""
    from pipeline.outputs import atomic_write_csv

    path = Path(out_dir) / "rejected.csv"
    atomic_write_csv(path, REJECTED_COLUMNS, rejected_rows(rejected, decisions))
    return path
