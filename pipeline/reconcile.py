"""Reconciliation: mentions from every document -> normalized facts.

A fact is one normalized statement. Mentions with the same (kind, key) merge
into one fact, whatever document, page, text sentence or table cell they come
from:

    trial     key (trial_ref,)                  value: phase
    endpoint  key (trial_ref, cancer_type*, endpoint, population, drug,
                   comparator, timepoint)        value: value + unit, hr, 95% CI
    approval  key (drug, agency, event, cancer_type or indication)
                                                 value: date

`trial_ref` is the NCT id when one is known (stated, or linked from the trial
name by a document that states both), else the normalized trial name.
(*) cancer_type is part of an endpoint key only when no trial is known (a
trial already fixes the population studied) or when the trial is a basket
trial (rules/trials.yaml `basket: true`: MyPathway's biliary and colorectal
cohorts report different response rates, and both are true).

An endpoint mention with neither trial nor drug cannot be matched with
anything said elsewhere; it becomes a fact of its own (keyed by its mention id)
rather than being merged with unrelated numbers.

Values, conflicts and blanks:
  * each mention's value is a tuple of components (endpoint: value+unit, hr,
    ci_low, ci_high; approval: date; trial: phase);
  * a blank component does not contradict a stated one: a review that gives
    the approval year without the date, or the PFS without its hazard ratio,
    agrees with one that gives both. A date stated less precisely ("1998",
    "2010-01") agrees with a more precise one it is a prefix of;
  * two different stated components -> status "conflict": `value` is blank
    and `values`/`value_sources` list every value with the sources behind it.
    Nothing is picked silently;
  * otherwise status "consistent" and `value` is the merged value (the most
    precise of each component).
Numbers are compared as numbers ("55.0" == "55"); 55 vs 54.9 is a conflict.

`fact_id` = sha256 of a canonical JSON string of [kind, *key], first 16 hex
digits: the same fact has the same id in every run on every machine.

This module imports only pipeline.model: it never touches the store or exports.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from typing import Iterable, Mapping, Sequence

from pipeline.model import (
    MENTION_COLUMNS,
    ApprovalMention,
    Document,
    EndpointMention,
    Fact,
    Mention,
    TrialMention,
    mention_id,
)

KINDS = ("trial", "endpoint", "approval")
# which contract fields make up the compared value of each kind
VALUE_FIELDS = {
    "trial": ("phase",),
    "endpoint": ("value", "unit", "hr", "ci_low", "ci_high"),
    "approval": ("date",),
}
_NCT_RE = re.compile(r"^NCT[\s\-]?(\d{8})$", re.I)
_NUM_RE = re.compile(r"^([<>≤≥]?)(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$")


# --------------------------------------------------------------------------
# normalization helpers


def norm_text(s: str) -> str:
    """Case-folded, whitespace-collapsed text for keys."""
    return " ".join((s or "").split()).casefold()


def norm_nct(s: str) -> str:
    m = _NCT_RE.match((s or "").strip())
    return f"NCT{m.group(1)}" if m else (s or "").strip().upper()


def norm_trial_name(s: str) -> str:
    """'DESTINY-Breast03', 'DESTINY Breast03', 'destiny-breast03' -> 'destiny-breast03'."""
    return "-".join(t for t in re.split(r"[^0-9a-z]+", (s or "").casefold()) if t)


def norm_number(s: str) -> str:
    """'55.0' -> '55', '<0.0010' -> '<0.001', '6.20-8.1' -> '6.2-8.1'; other text unchanged
    (except whitespace)."""
    s = "".join((s or "").split()).replace("–", "-")
    m = _NUM_RE.match(s)
    if not m:
        return s

    def canon(x: str) -> str:
        try:
            d = Decimal(x)
        except InvalidOperation:   # pragma: no cover - the regex only admits numbers
            return x
        t = format(d.normalize(), "f")
        return t

    out = m.group(1) + canon(m.group(2))
    if m.group(3):
        out += "-" + canon(m.group(3))
    return out


def norm_phase(s: str) -> str:
    s = re.sub(r"(?i)^phase\s*", "", " ".join((s or "").split()))
    s = re.sub(r"\s*/\s*", "/", s)
    return s.upper().replace("IA", "Ia").replace("IB", "Ib") if s else ""


def norm_date(s: str) -> str:
    return (s or "").strip()


def fact_id(kind: str, key: Sequence[str]) -> str:
    """Stable id of a fact: sha256 of the canonical JSON of [kind, *key]."""
    canonical = json.dumps([kind, *key], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def work_key_of(doc_id: str, works: Mapping[str, str]) -> str:
    return works.get(doc_id) or f"doc:{doc_id}"


# --------------------------------------------------------------------------
# works: a review and its PubMed page are one publication


def _norm_doi(doi: str) -> str:
    d = (doi or "").strip().casefold()
    d = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", d)
    return d.rstrip(".")


def _norm_title(title: str) -> str:
    t = " ".join(re.split(r"[^0-9a-z]+", (title or "").casefold())).strip()
    return t if len(t) >= 20 else ""     # short titles ("Review") identify nothing


def documents_to_works(docs: Iterable[Document]) -> dict[str, str]:
    """doc_id -> work key. Documents sharing a DOI or a normalized title (20+
    characters) are one work (transitively). The key is 'doi:<doi>' when any
    document of the work prints a DOI, else 'title:<normalized title>', else
    'doc:<doc_id>'."""
    docs = sorted(docs, key=lambda d: d.doc_id)
    parent: dict[str, str] = {d.doc_id: d.doc_id for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first: dict[str, str] = {}
    for d in docs:
        for ident in (f"doi:{_norm_doi(d.doi)}" if _norm_doi(d.doi) else "",
                      f"title:{_norm_title(d.title)}" if _norm_title(d.title) else ""):
            if not ident:
                continue
            if ident in first:
                union(first[ident], d.doc_id)
            else:
                first[ident] = d.doc_id
    groups: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        groups[find(d.doc_id)].append(d)
    out: dict[str, str] = {}
    for members in groups.values():
        dois = sorted(_norm_doi(d.doi) for d in members if _norm_doi(d.doi))
        titles = sorted(_norm_title(d.title) for d in members if _norm_title(d.title))
        key = f"doi:{dois[0]}" if dois else f"title:{titles[0]}" if titles else f"doc:{members[0].doc_id}"
        for d in members:
            out[d.doc_id] = key
    return out


# --------------------------------------------------------------------------
# trial name <-> NCT id links


def build_trial_links(mentions: Iterable[Mention]) -> dict[str, str]:
    """normalized trial name -> NCT id, from every mention that states both
    (trial mentions and endpoint mentions). A name linked to two different NCT
    ids is ambiguous and is not linked at all (it stays keyed by name)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if isinstance(m, (TrialMention, EndpointMention)) and m.trial and m.nct_id:
            name = norm_trial_name(m.trial)
            if name:
                seen[name].add(norm_nct(m.nct_id))
    return {name: next(iter(ids)) for name, ids in sorted(seen.items()) if len(ids) == 1}


def trial_ref(trial: str, nct_id: str, links: Mapping[str, str]) -> str:
    if nct_id:
        return norm_nct(nct_id)
    name = norm_trial_name(trial)
    return links.get(name, name) if name else ""


# --------------------------------------------------------------------------
# keys and values


def mention_key(m: Mention, links: Mapping[str, str], baskets: frozenset[str] = frozenset()
                ) -> tuple[str, ...] | None:
    """The normalized key of the fact a mention states, or None when the
    mention cannot be keyed (a trial mention with neither name nor NCT id).
    `baskets`: trial refs (NCT ids, normalized names) of basket trials, whose
    results are per cancer type, so the cancer type stays in their key."""
    if isinstance(m, TrialMention):
        ref = trial_ref(m.trial, m.nct_id, links)
        return (ref,) if ref else None
    if isinstance(m, EndpointMention):
        ref = trial_ref(m.trial, m.nct_id, links)
        if not ref and not m.drug:
            return ("mention:" + mention_id(m), "", norm_text(m.endpoint), "", "", "", "")
        keep_cancer = not ref or ref in baskets
        return (ref, norm_text(m.cancer_type) if keep_cancer else "", norm_text(m.endpoint), norm_text(m.population),
                norm_text(m.drug), norm_text(m.comparator), norm_text(m.timepoint))
    if isinstance(m, ApprovalMention):
        return (norm_text(m.drug), norm_text(m.agency), norm_text(m.event),
                norm_text(m.cancer_type) or norm_text(m.indication))
    raise TypeError(f"not a mention: {type(m).__name__}")


def mention_value(m: Mention) -> tuple[str, ...]:
    """The compared value components of a mention (see VALUE_FIELDS)."""
    if isinstance(m, TrialMention):
        return (norm_phase(m.phase),)
    if isinstance(m, EndpointMention):
        v = norm_number(m.value)
        return (v, m.unit.strip() if v else "", norm_number(m.hr), norm_number(m.ci_low), norm_number(m.ci_high))
    return (norm_date(m.date),)


def format_value(kind: str, comps: Sequence[str]) -> str:
    """Display form: '55%', '6.2 months; HR 0.5 (95% CI 0.3-0.7)', '2007-03-13', 'III'."""
    if kind != "endpoint":
        return comps[0]
    value, unit, hr, lo, hi = comps
    parts = []
    if value:
        parts.append(f"{value}%" if unit == "%" else f"{value} {unit}".strip())
    if hr:
        ci = f" (95% CI {lo or '?'}-{hi or '?'})" if lo or hi else ""
        parts.append(f"HR {hr}{ci}")
    elif lo or hi:
        parts.append(f"95% CI {lo or '?'}-{hi or '?'}")
    return "; ".join(parts)


def _compatible(kind: str, field: str, a: str, b: str) -> bool:
    if not a or not b or a == b:
        return True
    if kind == "approval" and field == "date":
        return a.startswith(b + "-") or b.startswith(a + "-")
    return False


def _merge_components(kind: str, values: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], bool]:
    """(merged components, conflict?)."""
    names = VALUE_FIELDS[kind]
    merged: list[str] = []
    conflict = False
    for i, name in enumerate(names):
        stated = sorted({v[i] for v in values if v[i]}, key=lambda s: (-len(s), s))
        if not stated:
            merged.append("")
            continue
        best = stated[0]
        if any(not _compatible(kind, name, best, s) for s in stated[1:]):
            conflict = True
        merged.append(best)
    return tuple(merged), conflict


def _source(m: Mention) -> str:
    return f"{m.prov.source_file}:{m.prov.page}"


def _describe(values: Iterable[str]) -> str:
    """Distinct non-blank values of a descriptive field, most frequent first, joined ' | '."""
    counts = Counter(v.strip() for v in values if v and v.strip())
    return " | ".join(v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _fact(kind: str, key: tuple[str, ...], group: list[Mention], works: Mapping[str, str],
          names_by_nct: Mapping[str, Sequence[str]]) -> Fact:
    comps = [mention_value(m) for m in group]
    merged, conflict = _merge_components(kind, comps)
    by_value: dict[str, set[str]] = defaultdict(set)
    for m, c in zip(group, comps):
        shown = format_value(kind, c)
        if shown:
            by_value[shown].add(_source(m))
    field_values: dict[str, str] = {}
    value_fields = VALUE_FIELDS[kind]
    for name in MENTION_COLUMNS[kind]:
        if name in value_fields:
            field_values[name] = "" if conflict else merged[value_fields.index(name)]
        elif name == "nct_id":
            field_values[name] = key[0] if key and key[0].startswith("NCT") else _describe(
                norm_nct(getattr(m, name)) for m in group)
        elif name in ("n", "n_total", "comparator_value"):
            field_values[name] = _describe(norm_number(getattr(m, name)) for m in group)
        else:
            field_values[name] = _describe(getattr(m, name) for m in group)
    if kind in ("trial", "endpoint") and not field_values["trial"] and key[0].startswith("NCT"):
        # the trial's name as written by any document that links it to this NCT id
        field_values["trial"] = _describe(names_by_nct.get(key[0], ()))
    return Fact(
        fact_id=fact_id(kind, key),
        kind=kind,
        key=key,
        fields=tuple(field_values.items()),
        value="" if conflict else format_value(kind, merged),
        values=tuple(sorted(by_value)),
        status="conflict" if conflict else "consistent",
        n_sources=len(group),
        n_works=len({work_key_of(m.prov.doc_id, works) for m in group}),
        sources=tuple(sorted({_source(m) for m in group})),
        mention_ids=tuple(sorted({mention_id(m) for m in group})),
        value_sources=tuple((v, tuple(sorted(s))) for v, s in sorted(by_value.items())),
    )


def mentions_to_facts(mentions: Sequence[Mention], works: Mapping[str, str],
                      basket_trials: Iterable[str] = ()) -> list[Fact]:
    """Merge mentions into facts, sorted by (kind, fact_id) (kind alphabetically). The result does not
    depend on the order of `mentions`; identical mentions (same mention_id)
    count once. `basket_trials`: names or NCT ids of basket trials (rules/trials.yaml,
    `basket: true`): their results are keyed per cancer type."""
    unique: dict[str, Mention] = {}
    for m in mentions:
        unique.setdefault(mention_id(m), m)
    ordered = [unique[k] for k in sorted(unique)]
    links = build_trial_links(ordered)
    baskets = frozenset(trial_ref("", t, links) if re.match(r"(?i)NCT", t) else trial_ref(t, "", links)
                        for t in basket_trials if t) | frozenset(norm_trial_name(t) for t in basket_trials if t)
    names_by_nct: dict[str, list[str]] = defaultdict(list)
    for m in ordered:
        if isinstance(m, (TrialMention, EndpointMention)) and m.trial and m.nct_id:
            if links.get(norm_trial_name(m.trial)) == norm_nct(m.nct_id):
                names_by_nct[norm_nct(m.nct_id)].append(m.trial)
    groups: dict[tuple[str, tuple[str, ...]], list[Mention]] = defaultdict(list)
    for m in ordered:
        key = mention_key(m, links, baskets)
        if key is not None:
            groups[(m.kind, key)].append(m)
    facts = [_fact(kind, key, group, works, names_by_nct) for (kind, key), group in groups.items()]
    return sorted(facts, key=lambda f: (f.kind, f.fact_id))
