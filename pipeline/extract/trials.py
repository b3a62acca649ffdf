"""Trials: every NCT id (tolerating a space or hyphen inside), with phase,
trial name, drug(s) and cancer type, from sentences and table cells."""
from __future__ import annotations

import re

from pipeline.extract.context import DocView
from pipeline.extract.tables import cell_context, cell_provenance, row_facts
from pipeline.model import TrialMention

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def normalize_phase(raw: str) -> str:
    """'phase III' -> 'III', '(II/ II)' -> 'II/II', 'Phase 2' -> 'II', 'real-world study' -> 'real-world'."""
    p = raw.strip().strip("()")
    if re.search(r"real[- ]world", p, re.I):
        return "real-world"
    p = re.sub(r"(?i)^phase\s*", "", p)
    p = re.sub(r"\s*/\s*", "/", p)
    parts = []
    for part in p.split("/"):
        m = re.match(r"^(I{1,3}|IV|[1-4])([ab]?)$", part.strip(), re.I)
        if not m:
            return p
        num = _ROMAN.get(m.group(1), m.group(1).upper())
        parts.append(num + m.group(2).lower())
    return "/".join(parts)


def _nct_matches(view: DocView, start: int, end: int) -> list[tuple[int, int, str]]:
    out = []
    for r in view.rules.patterns("trial_patterns", "nct"):
        for m in r.regex.finditer(view.text, start, end):
            out.append((m.start(), m.end(), "NCT" + m.group(1) + m.group(2)))
    return out


def _phase_after(view: DocView, pos: int, limit: int) -> str:
    """A phase written right after an NCT id: 'NCT03529110 (III)'."""
    chunk = view.text[pos:min(limit, pos + 30)].lstrip()
    paren = re.match(r"\([^()]{1,25}\)", chunk)
    if not paren:
        return ""
    for r in view.rules.patterns("trial_patterns", "phase"):
        m = r.regex.search(paren.group(0))
        if m:
            return normalize_phase(m.group("phase"))
    return ""


def _phase_in(view: DocView, start: int, end: int) -> str:
    chunk = view.text[start:end]
    for r in view.rules.patterns("trial_patterns", "phase"):
        if r.id == "phase_parenthesized":
            continue
        m = r.regex.search(chunk)
        if m:
            return normalize_phase(m.group("phase"))
    return ""


def extract_trials(view: DocView) -> list[TrialMention]:
    out: list[TrialMention] = []
    table_spans = view.table_bodies

    def in_table(pos: int) -> bool:
        return any(a <= pos < b for a, b in table_spans)

    for sent in view.content_sentences():
        if in_table(sent.char_start):
            continue
        ctx = None
        ncts = _nct_matches(view, sent.char_start, sent.char_end)
        names = view.trials_in(sent.char_start, sent.char_end)
        if not ncts and not names:
            continue
        ctx = view.resolve(sent)
        phase = _phase_in(view, sent.char_start, sent.char_end)
        if not phase and view.record_phase:
            phase = normalize_phase(view.record_phase)     # a record's registry id is its own study's
        for s, e, nct in ncts:
            ph = _phase_after(view, e, sent.char_end) or phase
            trial = names[0][2] if len(names) == 1 else ""
            out.append(TrialMention(nct, trial, ph, ctx["drug"], ctx["cancer_type"],
                                    view.provenance(sent, s, e, "trials:nct_id")))
        if not ncts:
            for s, e, name in names:
                out.append(TrialMention("", name, phase if len(names) == 1 else "", ctx["drug"], ctx["cancer_type"],
                                        view.provenance(sent, s, e, "trials:trial_name")))
    for table in view.doc.tables:
        for cell in table.cells:
            if cell.char_start is None or "NCT" not in cell.text.upper():
                continue
            ncts = _nct_matches(view, cell.char_start, cell.char_end)
            if not ncts:
                continue
            cctx = cell_context(view, table, cell)
            rf = row_facts(view, table, cell, cctx)
            for s, e, nct in ncts:
                ph = _phase_after(view, e, cell.char_end) or (normalize_phase(rf.phase) if rf.phase else "")
                out.append(TrialMention(nct, rf.trial if len(ncts) == 1 else "", ph, cctx.drug or rf.regimen,
                                        rf.cancer_type,
                                        cell_provenance(view, table, cell, s, e, cctx, f"trials:table:{table.table_id}")))
    return out
