"""Extraction: an annotated document -> mentions (one per statement found,
each with provenance). Rules are data (rules/*.yaml); the matching code lives
in this package: trials.py (NCT ids, trial names, phases), efficacy.py
(endpoints, values, hazard ratios), regulatory.py (approvals, designations,
guideline recommendations), citations.py (reference list and citation markers).
"""
from __future__ import annotations

from dataclasses import replace

from pipeline.extract import citations, efficacy, regulatory, trials
from pipeline.extract.context import DocView
from pipeline.model import Annotated, Mention, mention_id
from pipeline.rules import RuleSet


def annotated_to_mentions(ann: Annotated, rules: RuleSet, model_drugs: bool = False) -> list[Mention]:
    view = DocView(ann, rules, model_drugs=model_drugs)
    found: list[Mention] = []
    found += trials.extract_trials(view)
    found += efficacy.extract_endpoints(view)
    found += regulatory.extract_approvals(view)
    found = [_named_regimens(view, m) for m in found]
    found = citations.attach_citations(view, found)
    unique: dict[str, Mention] = {}
    for m in found:
        unique.setdefault(mention_id(m), m)
    return sorted(unique.values(), key=_order)


def _named_regimens(view: DocView, m: Mention) -> Mention:
    """'aromatase inhibitor + exemestane' is exemestane (rules/drugs.yaml `members`)."""
    changes = {f: view.regimen(getattr(m, f)) for f in ("drug", "comparator") if hasattr(m, f)}
    changes = {f: v for f, v in changes.items() if v != getattr(m, f)}
    return replace(m, **changes) if changes else m


def _order(m: Mention) -> tuple:
    p = m.prov
    return (m.kind, p.char_start if p.char_start is not None else -1, p.table_id, p.row or 0, p.col or 0,
            p.char_end or 0, mention_id(m))
