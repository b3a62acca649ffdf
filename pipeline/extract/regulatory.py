"""Regulatory and guideline events: approvals, accelerated/conditional approvals,
designations (breakthrough therapy, fast track, priority review, orphan drug) and
guideline recommendations (NCCN, CSCO, ESMO, ASCO), with agency, drug, indication,
cancer type, line of therapy, the trial the decision was based on and the date at
the precision written.

Every phrase lives in rules/*.yaml: triggers and attribution cues in
regulatory.yaml, negation/hypothetical cues in context.yaml (ConText-style scopes),
dates in dates.yaml, lines of therapy in lines.yaml, citation markers in
citations.yaml. The code here only measures distances and scopes.

One event per (trigger, agency): "approved by the FDA and EMA" gives two events.
Table cells such as "(FDA/EMA Approved)" give one event per agency, with the drug
from the row and the cancer type from the column header.
"""
from __future__ import annotations

import re
from typing import Optional

from pipeline.extract.context import (AGENCY, CANCER, DRUG, LIST_ITEM, STATUS, DocView, Span, citation_marker_spans, clauses, is_modified,
                                      join_regimen)
from pipeline.extract.dates import find_dates
from pipeline.extract.lines import find_lines, lines_value
from pipeline.extract.tables import cell_context, cell_provenance, other_cells
from pipeline.model import ApprovalMention, EntitySpan, Sentence
from pipeline.rules import RuleSet

# drug categories (rules/drugs.yaml) that are not HER2-targeted: a trigger's drug
# prefers the others ("approved tucatinib ... with capecitabine" -> tucatinib first)
_BACKBONE_CATEGORIES = {"chemo", "io", "endocrine", "other", "class"}


# --------------------------------------------------------------------------
# scopes


def _clauses(view: DocView, start: int, end: int, category: str = "clause_break") -> list[tuple[int, int]]:
    """The clauses of text[start:end], split at rules/regulatory.yaml clause breaks
    (category "hard_break": only the breaks no attribution crosses, such as ";")."""
    return clauses(view, start, end, "regulatory", category)


def view_citations(view: DocView, start: int, end: int) -> list[tuple[int, int]]:
    return citation_marker_spans(view.text, view.rules, start, end)


def _in_any(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _clause_of(clauses: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for a, b in clauses:
        if a <= pos < b:
            return a, b
    return min(clauses, key=lambda c: min(abs(c[0] - pos), abs(c[1] - pos)))


def negation_cue(text: str, start: int, end: int, rules: RuleSet, event: str = "") -> Optional[str]:
    """The id of the negated or hypothetical cue whose scope covers text[start:end], if any
    (the one scope mechanism: context.is_modified); `event`: the trigger's event type."""
    hit = is_modified(text, start, end, rules, target_type=event)
    return hit.rule_id if hit else None


# --------------------------------------------------------------------------
# attribution


def _agency_category(view: DocView, ent: EntitySpan) -> str:
    e = {x.canonical: x for x in view.rules["agencies"].entries}.get(ent.normalized)
    return e.category if e else ""


def _drug_category(view: DocView, canonical: str) -> str:
    e = view.drug_lex.get(canonical)
    return e.category if e else ""


def _regimen_from(view: DocView, drugs: list[EntitySpan], i: int) -> list[str]:
    """The drug at index i plus the drugs joined to it by regimen joiners
    ("tucatinib in combination with trastuzumab and capecitabine")."""
    joiners = view.rules.patterns("regulatory", "regimen_joiner")

    def joined(a: EntitySpan, b: EntitySpan) -> bool:
        gap = view.text[a.char_end:b.char_start]
        if a.normalized == b.normalized and re.fullmatch(r"\s*\(\s*", gap):
            return True
        return any(r.regex.search(gap) for r in joiners) or re.fullmatch(r"\s*\)\s*", gap) is not None

    names = [drugs[i].normalized]
    j = i
    while j + 1 < len(drugs) and joined(drugs[j], drugs[j + 1]):
        j += 1
        names.append(drugs[j].normalized)
    j = i
    while j - 1 >= 0 and joined(drugs[j - 1], drugs[j]):
        j -= 1
        names.append(drugs[j].normalized)
    return names


def _drug_ents(view: DocView, start: int, end: int) -> list[EntitySpan]:
    cites = view_citations(view, start, end)
    return [e for e in view.ents_in(start, end, DRUG) if not _in_any(e.char_start, cites)]


# between a drug and the passive trigger it is the subject of: "X was approved", "X (Y) has since been approved"
_PASSIVE_SUBJECT = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:was|were|is|are|has|have|had)\s+(?:(?:been|also|since|first|then|later|subsequently|already|now)\s+){0,3}")


def _pick_drug(view: DocView, drugs: list[EntitySpan], t0: int, t1: int) -> str:
    if not drugs:
        return ""
    # not a drug named as prior therapy or comparator ("... previously treated with trastuzumab")
    a, b = min(d.char_start for d in drugs), max(d.char_end for d in drugs)
    # read from the sentence's start, where the cue of a prior therapy is ("After a taxane and trastuzumab, X ...")
    sent = view.sentence_at(min(a, t0))
    exp, _ = view.drugs_in(sent.char_start if sent is not None else min(a, t0), max(b, t1), stop_at_comparator=False)
    drugs = [d for d in drugs if d.normalized in exp]
    if not drugs:
        return ""      # "full approval by the FDA in January 2021, after a trastuzumab-based regimen"

    def dist(e: EntitySpan) -> int:
        return max(0, t0 - e.char_end, e.char_start - t1)

    # (a lone subject of a passive trigger first, the clause's first drug: "Docetaxel was approved by the FDA in August
    # 2004, in combination with doxorubicin and cyclophosphamide, ...", made-up set 47 mu18406, set 16 ...)
    ranked = sorted(range(len(drugs)), key=lambda i: (
        not (i == 0 and drugs[i].char_end <= t0 and _PASSIVE_SUBJECT.fullmatch(view.text, drugs[i].char_end, t0)),
        _drug_category(view, drugs[i].normalized) in _BACKBONE_CATEGORIES, dist(drugs[i])))
    return join_regimen(_regimen_from(view, drugs, ranked[0]))


def _indication(view: DocView, start: int, end: int, t1: int) -> tuple[str, str]:
    """(indication phrase as written, cancer type) from the clause: the disease
    phrase after the trigger when there is one, else the one before it."""
    cancers = [e for e in view.ents_in(start, end, CANCER) if e.normalized != "other"] or \
        view.ents_in(start, end, CANCER)
    statuses = view.ents_in(start, end, STATUS)
    if not cancers:
        after = [s for s in statuses if s.char_start >= t1]
        if after:
            return after[0].text, ""
        return "", ""
    after = [c for c in cancers if c.char_start >= t1]
    first = after[0] if after else cancers[-1]
    # merge adjacent cancer mentions ("gastric/gastroesophageal junction(G/GEJ)")
    s, e = first.char_start, first.char_end
    for c in cancers:
        if c.char_start >= e and re.fullmatch(r"[\s/()]*(?:junction)?[\s/()]*(?:or\s+)?", view.text[e:c.char_start]):
            e = c.char_end
    for r in view.rules.patterns("regulatory", "indication_right"):
        m = r.regex.match(view.text[e:end])
        if m and m.end() > 0:
            e += m.end()
            break
    # status written before ("HER2-positive breast cancer") or after ("with HER2 overexpression")
    for st in statuses:
        if st.char_end <= s and re.fullmatch(r"[\s-]*(?:in\s+)?", view.text[st.char_end:s]):
            s = st.char_start
        elif st.char_start >= e and any(r.regex.match(view.text[e:st.char_start])
                                        for r in view.rules.patterns("regulatory", "indication_status")):
            e = st.char_end
    for r in view.rules.patterns("regulatory", "indication_left"):
        m = r.regex.search(view.text, max(start, s - 60), s)
        if m and m.end() == s:
            s = m.start()
    phrase = re.sub(r"\s+", " ", view.text[s:e]).strip(" ,;")
    return phrase, first.normalized


def _trials(view: DocView, start: int, end: int) -> list[str]:
    out: list[str] = []
    cites = view_citations(view, start, end)
    for s, _, name in view.trials_in(start, end):
        if not _in_any(s, cites) and name not in out:
            out.append(name)
    return out


def _based_on(view: DocView, sent: Sentence) -> str:
    text = view.text[sent.char_start:sent.char_end]
    own = _trials(view, sent.char_start, sent.char_end)
    has = lambda cat, t: any(r.regex.search(t) for r in view.rules.patterns("regulatory", cat))  # noqa: E731
    if own and (has("basis", text) or len(own) == 1):
        return "; ".join(own)
    if has("basis_previous", text):
        prev = view.prev_sentences(sent)
        if prev:
            found = _trials(view, prev[0].char_start, prev[0].char_end)
            if found:
                return "; ".join(found)
    nxt = view.sentences[sent.index + 1] if sent.index + 1 < len(view.sentences) else None
    if nxt is not None and view.para_of(nxt.char_start) == view.para_of(sent.char_start):
        ntext = view.text[nxt.char_start:nxt.char_end]
        if has("basis_next", ntext) and not has("event", ntext):
            found = _trials(view, nxt.char_start, nxt.char_end)
            if found:
                return "; ".join(found)
    return ""


def _triggers(view: DocView, start: int, end: int) -> list[tuple[int, int, str, str, str]]:
    """(start, end, event, rule id, category): the first rule that matches a span wins."""
    out: list[tuple[int, int, str, str, str]] = []
    for cat in ("event", "guideline"):
        for r in view.rules.patterns("regulatory", cat):
            for m in r.regex.finditer(view.text, start, end):
                if any(a < m.end() and m.start() < b for a, b, *_ in out):
                    continue
                out.append((m.start(), m.end(), r.value, r.id, cat))
    return sorted(out)


def _agencies_for(view: DocView, cat: str, clause: tuple[int, int], part: tuple[int, int],
                  t0: int, t1: int, others: list[tuple[int, int]] = ()) -> list[tuple[str, int, int]]:
    """(canonical, start, end) of the agencies a trigger belongs to: those in its
    clause, else a jurisdiction in its clause ("approved in China"), else those in the
    part of the sentence around it (between hard breaks)."""
    want = "regulator" if cat == "event" else "guideline"

    def collect(a: int, b: int) -> list[tuple[str, int, int]]:
        best: dict[str, tuple[str, int, int]] = {}
        for e in view.ents_in(a, b, AGENCY):
            if _agency_category(view, e) != want:
                continue
            d = max(0, t0 - e.char_end, e.char_start - t1)
            cur = best.get(e.normalized)
            if cur is None or d < max(0, t0 - cur[2], cur[1] - t1):
                best[e.normalized] = (e.normalized, e.char_start, e.char_end)
        return sorted(best.values(), key=lambda x: x[1])

    def places_in(a: int, b: int) -> list[tuple[str, int, int]]:
        places = []
        for r in view.rules.patterns("regulatory", "jurisdiction"):
            m = r.regex.search(view.text, a, b)
            if m and r.value not in [p[0] for p in places]:
                places.append((r.value, m.start(), m.end()))
        return sorted(places, key=lambda x: x[1])

    if others:
        # "received accelerated approval from the US FDA in May 2021 and a conditional marketing
        # authorisation in the European Union": with several triggers in the clause, the agencies and
        # places between this trigger's neighbours come first
        # (what lies between two triggers goes to the nearer one)
        lo = max([(b + t0) // 2 for a, b in others if b <= t0], default=clause[0])
        hi = min([(t1 + a) // 2 for a, b in others if a >= t1], default=clause[1])
        found = collect(lo, hi) or (places_in(lo, hi) if cat == "event" else [])
        if found:
            return found
    found = collect(*clause)
    if found:
        if cat == "event":
            # ("approved by the FDA in June 2012 and in the European Union in March 2013", "approved in Japan in March
            # 2014 and by the US FDA in September 2015": a jurisdiction given its own date beside the agency named is
            # one more agency of the statement; made-up set 43 mu16904, mu16908, mu16912)
            have = {f[0] for f in found}
            found += [p for p in places_in(*clause) if p[0] not in have and _dated_right_after(view, p[2], clause[1])]
            found.sort(key=lambda x: x[1])
        return found
    if cat == "event":
        # "approved in Europe and the US": every jurisdiction the clause names
        places = places_in(*clause)
        if places:
            return places
    return collect(*part)


def _dated_right_after(view: DocView, p: int, end: int) -> bool:
    """Whether a date follows at p with nothing but "in", "on" or a comma between ("... in Japan| in March 2014")."""
    return any(_AGENCY_THEN_DATE.fullmatch(view.text, p, d.start) for d in find_dates(view.text, view.rules, p, min(end, p + 40)))


# an approval without an agency must be stated, not used as an adjective ("approved ADCs")
_NO_AGENCY_PREDICATE = re.compile(
    r"\b(?:is|are|was|were|been|being|be|has|have|had|got|gets)\s+(?:\w+\s+){0,2}(?:approved|licen[sc]ed|authori[sz]ed)\b"
    r"|\b(?:received|receive|gained|obtained|granted|led\s+to|leading\s+to|regulatory|its|their)\s+(?:\w+\s+){0,2}approvals?\b"
    r"|\bapproved\s+(?:for|as|in)\b", re.I)


def _listed_subjects(view: DocView, drugs: list[EntitySpan], t0: int) -> list[str]:
    """"olaparib and talazoparib are currently approved", "palbociclib, ribociclib and
    abemaciclib ... have been approved": a list of drugs as the plural subject of the trigger
    is one event per drug (a regimen is joined by 'in combination with', 'plus', ...)."""
    before: list[EntitySpan] = []
    for d in drugs:
        if d.char_end > t0:
            break
        if before and (d.normalized == before[-1].normalized or _drug_category(view, before[-1].normalized) == "class"
                       and re.fullmatch(r"[\s,()]*", view.text[before[-1].char_end:d.char_start])):
            # "palbociclib (PAL)": the same drug again; "PARP inhibitors (PARPis) olaparib": a class (and its
            # abbreviation) before its members
            if d.normalized != before[-1].normalized or _drug_category(view, d.normalized) == "class":
                before[-1] = d
            continue
        before.append(d)
    if len(before) < 2 or not re.search(r"\b(?:are|were|have|have been|received|gained|obtained)\s+(?:\w+\s+){0,2}$",
                                        view.text[before[-1].char_end:t0]):
        return []
    names: list[str] = []
    for a, b in zip(before, before[1:]):
        gap = view.text[a.char_end:b.char_start]
        if not re.fullmatch(r"\s*(?:\([^()]*\))?\s*(?:,|,?\s*and|,?\s*or)\s*", gap):
            if names and re.search(r"\b(?:combined|combination|with|plus)\b", gap):
                break                    # "..., when combined with letrozole": the partner, not a subject
            return []
        names += [n for n in (a.normalized, b.normalized) if n not in names]
    return names


_PREFERRED_TO = re.compile(r"\bpreferred\s+(?:to|over)\b", re.I)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|and/or)\s*")
# each drug with its own grade: "T-DXd (category 2A) and zongertinib (category 2A)", "zanidatamab (category 2A,
# preferred) and T-DXd (category 2A)" (tuning documents mu3506 and mu3508 of made-up set 9): separate options
_GRADED_GAP = re.compile(r"\s*\(\s*(?:category\s+[12][AB]?|level\s+(?:I{1,3}|IV|[1-4])|[1-3][AB]|(?:I{1,3}|IV|V),\s*[A-E])\b[^()]{0,30}\)\s*"
                         r"(?:,\s*(?:and|or)?|and|or|and/or)\s*", re.I)
_STRONG_JOIN = re.compile(r"\s*(?:\+|/|plus|with|in combination with|combined with|together with|followed by)\s*", re.I)
_PARTNER_JOIN = re.compile(r"\s*(?:with|in combination with|combined with|together with)\s*", re.I)
_OPTIONS_AFTER = re.compile(r"[^.;]{0,40}?\b(?:options|regimens|alternatives|choices|treatments|therapies|agents)\b", re.I)


def _listed_options(view: DocView, drugs: list[EntitySpan], end: int) -> list[str]:
    """"NCCN guidelines recommend T-DXd and tucatinib plus trastuzumab as second-line options":
    regimens listed after a guideline's trigger, each its own recommendation (drugs joined by
    'plus', 'with', '+' stay one regimen). Split only where the list says it lists options (an 'or',
    a plural 'options' after it, or a later regimen joined by 'plus'), not after a first regimen's
    partners ("X combined with Y and Z"); [] when there is no such list."""
    groups: list[list[str]] = []
    gaps: list[str] = []
    partnered = False                    # the first regimen names its partners with "with" ("trastuzumab with cisplatin")
    for d in drugs:
        if groups:
            gap = view.text[prev.char_end:d.char_start]
            if _STRONG_JOIN.fullmatch(gap):
                groups[-1].append(d.normalized)
                partnered = partnered or (len(groups) == 1 and _PARTNER_JOIN.fullmatch(gap) is not None)
                prev = d
                continue
            if not _LIST_GAP.fullmatch(gap) and not _GRADED_GAP.fullmatch(gap):
                break
            gaps.append(gap)
        groups.append([d.normalized])
        prev = d
    if len(groups) < 2:
        return []
    if partnered and not any(len(g) > 1 for g in groups[1:]) and not any(_GRADED_GAP.fullmatch(g) for g in gaps):
        # "NICE recommended trastuzumab with cisplatin and capecitabine or fluorouracil": the partners of one regimen,
        # one of them given either way (made-up set 49 mu19506, set 56 mu22306), not options
        return []
    if any(re.search(r"\bor\b", g) or _GRADED_GAP.fullmatch(g) for g in gaps):
        is_options = True
    elif len(groups[0]) > 1 and not any(len(g) > 1 for g in groups[1:]):
        is_options = False               # "trastuzumab combined with pertuzumab and lapatinib": partners
        # (but "X plus Y, Z plus W and V": each regimen joined by its own "plus" is an option)
    else:
        is_options = any(len(g) > 1 for g in groups) or _OPTIONS_AFTER.match(view.text, prev.char_end, end) is not None
    return list(dict.fromkeys(join_regimen(g) for g in groups)) if is_options else []


def _nearest_trigger(triggers: list[tuple[int, int]], d: Span) -> tuple[int, int]:
    return min(triggers, key=lambda tr: max(0, tr[0] - d.end, d.start - tr[1]))


def _date_trigger(triggers: list[tuple[int, int]], d: Span) -> tuple[int, int]:
    """The trigger a date belongs to: the nearest one written before it ("approved tucatinib on 17 April
    2020 after Breakthrough Therapy designation": the approval's date), else the nearest one."""
    before = [tr for tr in triggers if tr[1] <= d.start]
    return max(before, key=lambda tr: tr[1]) if before else _nearest_trigger(triggers, d)


def _nearest_date(dates: list[Span], a0: int, a1: int) -> str:
    if not dates:
        return ""
    return min(dates, key=lambda d: max(0, a0 - d.end, d.start - a1)).value


def extract_approvals(view: DocView) -> list[ApprovalMention]:
    out: list[ApprovalMention] = []
    table_spans = view.table_bodies
    for sent in view.content_sentences():
        if _in_any(sent.char_start, table_spans):
            continue
        out += _sentence_events(view, sent, out)
    for table in view.doc.tables:
        out += _table_events(view, table)
    return out


def _sentence_events(view: DocView, sent: Sentence, before: list[ApprovalMention] = ()) -> list[ApprovalMention]:
    """The events of one sentence; `before`: the events of the sentences before it (a regulatory history
    names its drug once: a later event without one continues it)."""
    triggers = _triggers(view, sent.char_start, sent.char_end)
    if not triggers:
        return []
    out: list[ApprovalMention] = []
    text = view.text
    cites = view_citations(view, sent.char_start, sent.char_end)
    clauses = _clauses(view, sent.char_start, sent.char_end)
    parts = _clauses(view, sent.char_start, sent.char_end, "hard_break")
    sent_dates = find_dates(text, view.rules, sent.char_start, sent.char_end)
    based_on = None
    live = [(a, b) for a, b, *_ in triggers if not _in_any(a, cites)]
    for t0, t1, event, rule_id, cat in triggers:
        if _in_any(t0, cites):
            continue
        clause = _clause_of(clauses, t0)
        part = _clause_of(parts, t0)
        if negation_cue(text[sent.char_start:sent.char_end], t0 - sent.char_start, t1 - sent.char_start, view.rules, event):
            continue
        if event == "approval" and _FIRST_OF_ITS_KIND.search(text, max(part[0], t0 - 60), t0) and any(
                e in _SPECIFIC_APPROVALS and part[0] <= a < t0 for a, _, e, _, _ in triggers):
            # "On November 20, 2024, the FDA granted accelerated approval to X ..., making it the first HER2-directed
            # agent approved in this disease" (set 10 mu3806, mu3808): the approval before it, restated
            continue
        others = [(a, b) for a, b, *_ in triggers if (a, b) != (t0, t1) and clause[0] <= a < clause[1]]
        if cat == "guideline" and any(c == "guideline" and clause[0] <= a < t0 and not _in_any(a, cites)
                                      and text.count("(", b, t0) + text.count("[", b, t0) > text.count(")", b, t0) + text.count("]", b, t0)
                                      for a, b, _, _, c in triggers):
            continue     # "NCCN recommends X, Y and Z (category 2A)", "X is preferred to Y [I, A]": the bracketed grade of the recommendation before it
        if cat == "guideline" and not _drug_ents(view, *clause) and re.match(r"\s*:", text[clause[1]:clause[1] + 3]) \
                and any(c == "guideline" and a >= clause[1] for a, _, _, _, c in triggers):
            continue     # "Level I: X (1A)", "Recommendation 4.1: Clinicians should offer X": a label; the statement is the event
        agencies = _agencies_for(view, cat, clause, part, t0, t1, others)
        if not agencies and cat == "guideline" and view.guideline_body:
            agencies = [(view.guideline_body, t0, t1)]   # a guideline text's own recommendation
        if not agencies and cat == "event" and rule_id != "followed_approval":
            carried = _carried_agency(view, sent, clause, t0, [*before, *out])
            if carried:
                agencies = [(carried, t0, t1)]
        if not agencies and cat == "event" and rule_id == "followed_approval" and _drug_ents(view, clause[0], t0) \
                and _dates_between(sent_dates, t1, clause[1]):
            # "talazoparib plus enzalutamide followed in June 2023", "Pembrolizumab plus axitinib, ... followed in April
            # 2019, ...": drugs that followed the approval told before them, from its agency (made-up set 50 mu19910,
            # mu19812)
            last = _last_event(view, sent, t0, [*before, *out])
            named = [e for e in view.ents_in(sent.char_start, t0, AGENCY) if _agency_category(view, e) == "regulator"]
            if named:
                # (the regulator its sentence named last: "approved in the European Union in December 2022 ..., but by
                # the FDA in May 2023 ...; talazoparib plus enzalutamide followed in June 2023", set 50 mu19910)
                agencies = [(named[-1].normalized, t0, t1)]
            elif last is not None:
                agencies = [(last.agency, t0, t1)]
            if agencies and last is not None and last.agency == agencies[0][0]:
                # (and the kind of approval it followed: "Tucatinib with trastuzumab received FDA accelerated approval
                # ... Zanidatamab followed for IHC 3+ biliary tract cancer on 20 November 2024", set 36 mu14012)
                event = last.event
        if not agencies and cat == "event" and rule_id != "followed_approval" and _NO_AGENCY_PREDICATE.search(
                text[max(sent.char_start, t0 - 40):t1]):
            agencies = [("", t0, t1)]     # an approval stated without an agency is still an event
        if not agencies:
            continue
        subjects = _listed_subjects(view, _drug_ents(view, *part), t0)
        listed_dates: list[str] = []
        if not subjects and cat == "event":
            # regimens listed as the subject, then as many dates listed in order: "Pembrolizumab plus axitinib, nivolumab
            # plus cabozantinib and lenvatinib plus pembrolizumab followed in April 2019, January 2021 and August 2021"
            # (made-up set 50 mu19812; a regimen's drugs joined by "plus", "with", "+")
            regimens = _listed_options(view, [d for d in _drug_ents(view, *clause) if d.char_end <= t0], t0)
            listed_dates = _dates_listed(view, _dates_between(sent_dates, t1, clause[1]), t1, len(regimens)) \
                if len(regimens) >= 2 else []
            if not listed_dates:
                # ... or as the object, their dates after them and "respectively": "the FDA approved pembrolizumab plus
                # axitinib and avelumab plus axitinib in April 2019 and May 2019, respectively" (made-up set 50 mu19802)
                objects = [d for d in _drug_ents(view, *clause) if d.char_start >= t1]
                regimens = _listed_options(view, objects, clause[1]) if len(objects) >= 2 else []
                listed_dates = _respective_dates(view, sent, len(regimens), _dates_between(
                    sent_dates, objects[-1].char_end, clause[1])) if len(regimens) >= 2 else []
            if listed_dates:
                subjects = regimens
        drug = "" if subjects else _pick_drug(view, _before_coordinated(view, _drug_ents(view, *clause), sent_dates, t1, clause[1]),
                                              t0, t1)
        if subjects:
            drug_list = subjects
        elif not drug:
            # "two FDA-approved ADCs ...: T-DM1 and T-DXd": the list after a colon
            nxt = [c for c in clauses if c[0] >= clause[1]]
            if nxt and re.match(r"\s*:", text[clause[1]:nxt[0][0]]):
                drugs = _drug_ents(view, *nxt[0])
                drug_list = list(dict.fromkeys(d.normalized for d in drugs))
            else:
                drug = _pick_drug(view, _drug_ents(view, *part), t0, t1)
                drug_list = [drug] if drug else []
        else:
            drug_list = [drug]
        if cat == "guideline" and not subjects:
            in_clause = _drug_ents(view, *clause)
            after = [d for d in in_clause if d.char_start >= t1]
            if _PREFERRED_TO.search(text, t0, t1):
                # "T-DXd is preferred to sacituzumab govitecan [V, B]": what follows is not recommended
                drug_list = [x for x in [_pick_drug(view, [d for d in in_clause if d.char_end <= t0], t0, t1)] if x]
            elif after:
                drug_list = _listed_options(view, after, clause[1]) or drug_list
            else:
                # "Margetuximab plus chemotherapy or neratinib plus capecitabine may be offered": the
                # options before the statement
                drug_list = _listed_options(view, [d for d in in_clause if d.char_end <= t0], t0) or drug_list
        if not drug_list and view.study_drugs[0] and any(
                r.regex.search(text[sent.char_start:sent.char_end]) for r in view.rules.patterns("regulatory", "basis_previous")):
            # a record's own regimen: "based on this study, N + F + T has been included in the guidelines"
            drug_list = [join_regimen(view.study_drugs[0])]
        anaphoric = any(r.regex.search(text, clause[0], clause[1]) for r in view.rules.patterns("regulatory", "anaphor"))
        if anaphoric and drug_list and not subjects and not view.drugs_in(*clause)[0]:
            drug_list = []   # "the FDA approved it ... after prior trastuzumab": the drug named is prior therapy
        if not drug_list and (anaphoric or cat == "event" and any(a for a, _, _ in agencies)
                              and not any(r.regex.search(text, clause[0], t0)
                                          for r in view.rules.patterns("regulatory", "kind_subject"))):
            # "...; China's NMPA approved it in May 2025", "Swissmedic followed in 2020", "Health Canada
            # approved the same restricted population": a regulatory history names its drug once; the
            # drug of the sentence's earlier clauses, else of the nearest earlier sentence of the
            # paragraph that names one
            drug_list = _carried_drugs(view, sent, clause, [*before, *out])
            if not drug_list and anaphoric and view.study_drugs[0]:
                # "The combination had received accelerated approval from the US FDA": in a record (an
                # abstract, a press release) about one regimen, the regimen its title names
                drug_list = [join_regimen(view.study_drugs[0])]
        if len(drug_list) == 1 and " + " not in drug_list[0] and _combination_with(view, clause, drug_list[0]):
            # "...; the combination with letrozole was approved by the FDA in January 2010": the drug the history
            # is about, with the partner the clause names (made-up set 29 mu11212, set 21 mu8306)
            carried = [d for x in _carried_drugs(view, sent, clause, [*before, *out]) for d in x.split(" + ")]
            # (not the backbone of the regimen approved before: "with capecitabine ...; the combination with letrozole")
            carried = [d for d in carried if _drug_category(view, d) not in _BACKBONE_CATEGORIES] or carried
            if carried and drug_list[0] not in carried:
                drug_list = [join_regimen(carried + drug_list)]
        if not drug_list:
            continue
        indication, cancer = _indication(view, clause[0], clause[1], t1)
        if not cancer:
            indication2, cancer = _indication(view, *part, t1)
            indication = indication or indication2
        if not cancer:
            cancer = view.resolve(sent)["cancer_type"]
        line = lines_value(find_lines(text, view.rules, *clause))
        # a date belongs to the trigger nearest to it ("granted priority review ... and
        # approval was granted on April 17, 2020": the date is the approval's)
        own_dates = [d for d in sent_dates if _date_trigger(
            [tr for tr in live if _clause_of(clauses, tr[0]) == _clause_of(clauses, d.start)] or live, d) == (t0, t1)]
        clause_dates = [d for d in own_dates if clause[0] <= d.start < clause[1]] or \
            [d for d in own_dates if part[0] <= d.start < part[1]]
        if based_on is None:
            based_on = _based_on(view, sent)
        starts = sorted(a0 for _, a0, _ in agencies)
        last_agency = max((a1 for _, _, a1 in agencies), default=0)
        respective = _respective_dates(view, sent, len(agencies), [d for d in sent_dates if d.start >= last_agency]) \
            if len(agencies) > 1 else []
        # (drugs listed as the subject, then as many dates and "respectively": each drug's date in order)
        by_drug = dict(zip(drug_list, listed_dates or _respective_dates(view, sent, len(drug_list),
                                                                        [d for d in clause_dates if d.start >= t1]))) \
            if subjects and len(agencies) == 1 else {}
        for k, (agency, a0, a1) in enumerate(agencies):
            if len(agencies) > 1:
                # "approved by the FDA in April 2020 and by the EMA in February 2021", "the FDA (April
                # 2020) and EMA (February 2021)": each agency's own date, written after it and before the
                # next agency; else the one date they share ("by the FDA and EMA in 2022")
                # ("followed in 2019 in the United States and in 2020 in the European Union": a date written right
                # before its agency; "by the FDA and the EMA since 2013 and 2015, respectively": in order; made-up
                # set 16 mu6208, mu6308)
                nxt = min((x for x in starts if x > a0), default=sent.char_end)
                right_before = [d for d in sent_dates if d.end <= a0 and _DATE_THEN_AGENCY.fullmatch(text, d.end, a0)]
                seg = [d for d in sent_dates if a1 <= d.start < nxt]
                direct = [d for d in seg if _AGENCY_THEN_DATE.fullmatch(text, a1, d.start)]
                date = respective[k] if respective else direct[0].value if direct else \
                    right_before[-1].value if right_before else \
                    seg[0].value if seg else _nearest_date(clause_dates, min(a0, t0), max(a1, t1))
            else:
                date = _nearest_date(clause_dates, t0, t1)
            start, end = min(t0, a0), max(t1, a1)
            prov = view.provenance(sent, start, end, f"regulatory:{rule_id}")
            for d in drug_list:
                out.append(ApprovalMention(agency=agency, event=event, date=by_drug.get(d, date), drug=d, indication=indication,
                                           cancer_type=cancer, line=line, based_on_trial=based_on, prov=prov))
    out += _elliptical_events(view, sent, clauses, triggers, sent_dates, out)
    out += _coordinated_events(view, sent, triggers, sent_dates, out)
    return _one_per_event(out)


# between a date and the agency right after it: "in 2019 in the United States", "2013, by the FDA"
_DATE_THEN_AGENCY = re.compile(r"\s*,?\s*(?:(?:in|by|from)\s+(?:the\s+)?)?")
# between an agency and its own date right after it: "Health Canada in May 2019", "the FDA (April 2020)", "the European
# Commission on 21 December 2020"
_AGENCY_THEN_DATE = re.compile(r"\s*[(,]?\s*(?:(?:in|on|since|from|during)\s+)?")


def _respective_dates(view: DocView, sent: Sentence, n: int, after: list[Span]) -> list[str]:
    """n agencies (or drugs), then the n dates `after` them and "respectively": each one's date in order ("licensed by
    the FDA and the EMA since 2013 and 2015, respectively"; "Apalutamide, enzalutamide and darolutamide were approved by
    the FDA for nmCRPC in February 2018, July 2018 and July 2019, respectively", made-up sets 48 mu19108, 44 mu17404, 43
    mu16906, 42 mu16706, 41 mu16008)."""
    if n < 2 or len(after) != n \
            or not re.search(r"\brespectively\b", view.text[after[-1].end:sent.char_end][:20]):
        return []
    return [d.value for d in after]


_DATES_OPEN = re.compile(r"\s+(?:in|on)\s+")
_DATES_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:in\s+|on\s+)?")


def _dates_between(sent_dates: list[Span], a: int, b: int) -> list[Span]:
    """The sentence's dates (found once per sentence) within text[a:b], in order."""
    return sorted((d for d in sent_dates if a <= d.start and d.end <= b), key=lambda d: d.start)


def _dates_listed(view: DocView, dates: list[Span], t1: int, n: int) -> list[str]:
    """The n dates listed right after a trigger at `t1` ("followed in April 2019, January 2021 and August 2021"), in
    order; [] when `dates` (those after it in its clause) are not one list of n."""
    if len(dates) != n or not _DATES_OPEN.fullmatch(view.text, t1, dates[0].start) or not all(
            _DATES_GAP.fullmatch(view.text, a.end, b.start) for a, b in zip(dates, dates[1:])):
        return []
    return [d.value for d in dates]


# the join from one event's date to another drug or indication the same decision covered, with a date of its own:
# "approved X on April 17, 2020, under Project Orbis, and neratinib with capecitabine in February 2020", "received
# FDA approval for HER2-low disease on 5 August 2022 and for HER2-ultralow disease in January 2025", "the FDA
# approvals of tucatinib (April 2020) and of neratinib in combination with capecitabine (February 2020)"
_COORDINATED = re.compile(r"[^;.]{0,60}?\band\s+(?P<of>(?:of|for)\s+)?(?P<what>[^;.]{1,80}?)\s*(?:\(|\bin\s+|\bon\s+)?$", re.I)


def _before_coordinated(view: DocView, drugs: list[EntitySpan], sent_dates: list[Span], t1: int, end: int) -> list[EntitySpan]:
    """The drugs of an event's clause less those of a conjunct after its date that has its own date ("The US Food and
    Drug Administration approved pemetrexed for maintenance treatment in July 2009 and erlotinib in April 2010": erlotinib
    is the coordinated event's, _coordinated_events; made-up set 46 mu18008)."""
    dates = sorted((d for d in sent_dates if t1 <= d.start < end), key=lambda d: d.start)
    for own, nxt in zip(dates, dates[1:]):
        j = _COORDINATED.fullmatch(view.text, own.end, nxt.start)
        if j is not None and any(d.char_start < own.start for d in drugs):
            return [d for d in drugs if d.char_start < j.start("what")]
    return drugs


_CLAUSE_OF_ITS_OWN = re.compile(r"\b(?:not|no|never|was|were|is|are|has|have|had|may|might|will|would|could|should|"
                                r"failed|fails|remains?|awaits?|pending)\b", re.I)


def _coordinated_events(view: DocView, sent: Sentence, triggers: list, sent_dates: list[Span],
                        found: list[ApprovalMention]) -> list[ApprovalMention]:
    """Another drug or indication joined by "and" after an event's date, with its own date and no trigger or
    agency of its own: the same agency's same kind of event."""
    out: list[ApprovalMention] = []
    dates = sorted(sent_dates, key=lambda d: d.start)
    for m in [m for m in found if m.date and m.event != "guideline_recommendation"]:
        own = next((d for d in dates if d.value == m.date and d.start >= m.prov.char_start), None)
        nxt = next((d for d in dates if own is not None and d.start >= own.end), None)
        if own is None or nxt is None or any(x.date == nxt.value for x in found + out):
            continue
        j = _COORDINATED.fullmatch(view.text, own.end, nxt.start)
        if j is None or any(j.start("what") <= t0 < nxt.start for t0, *_ in triggers) \
                or view.ents_in(j.start("what"), nxt.start, AGENCY) or _CLAUSE_OF_ITS_OWN.search(j.group("what")):
            continue        # an ellipsis has no verb or negation of its own ("and not X until 2021", "and X was ...")
        s0 = sent.char_start
        if negation_cue(view.text[s0:sent.char_end], own.end - s0, nxt.end - s0, view.rules, m.event):
            continue        # "..., and not for HER2-low disease until 2022", "and X may follow in 2026"
        drugs = view.drugs_in(j.start("what"), nxt.start)[0]
        if not drugs and (j.group("of") or "").strip().lower() != "for":
            continue        # "..., and in 2021 ...": no drug and no indication of its own
        drug = join_regimen(drugs) if drugs else m.drug
        indication, cancer = _indication(view, j.start("what"), nxt.start, j.start("what"))
        prov = view.provenance(sent, j.start("what"), nxt.end, "regulatory:coordinated")
        out.append(ApprovalMention(agency=m.agency, event=m.event, date=nxt.value, drug=drug,
                                   indication=indication or m.indication, cancer_type=cancer or m.cancer_type,
                                   line=m.line, based_on_trial=m.based_on_trial, prov=prov))
    return out


def _carried_agency(view: DocView, sent: Sentence, clause: tuple[int, int], t0: int,
                    events: list[ApprovalMention]) -> str:
    """The agency of an event that names none of its own, where the event continues the paragraph's
    regulatory history: its agency named by a common noun ("...; the agency had earlier granted the
    drug Breakthrough Therapy designation": rules/regulatory.yaml, agency_anaphor), or neither agency
    nor drug named in its clause but a date ("Full approval was granted in July 2020", "and full
    approval followed in May 2023"): a new, dated step of the history; without a date
    of its own it restates an event already told ("The approval is based on the MOUNTAINEER study").
    It is the agency of the paragraph's last regulatory event before it (not a guideline's); "" when
    there is none."""
    anaphor = any(r.regex.search(view.text, *clause) for r in view.rules.patterns("regulatory", "agency_anaphor"))
    if not anaphor and (_drug_ents(view, *clause) or not find_dates(view.text, view.rules, *clause)):
        return ""
    last = _last_event(view, sent, t0, events)
    return last.agency if last is not None else ""


def _last_event(view: DocView, sent: Sentence, t0: int, events: list[ApprovalMention]) -> Optional[ApprovalMention]:
    """The paragraph's last regulatory event before `t0` that names its agency (not a guideline's; of two told from one
    trigger, the one whose agency is named later: "approved in the European Union in December 2022 ..., but by the FDA
    in May 2023"); None when there is none."""
    lo = view.para_of(sent.char_start).start
    prior = [m for m in events if m.agency and m.event != "guideline_recommendation"
             and m.prov.char_start is not None and lo <= m.prov.char_start < t0]
    return max(prior, key=lambda m: (m.prov.char_start, m.prov.char_end or 0)) if prior else None


# "[...approved it in December 2019,] and Japan's MHLW in August 2020": a clause that is only an agency
# and its date continues the event of the clause before it
_ELLIPSIS_LEAD = re.compile(r"\W*(?:and\s+|then\s+|by\s+|later\s+)*(?:the\s+)?(?:[A-Z][a-z]+['’]s\s+)?$")
_ELLIPSIS_DATE = re.compile(r"\s*,?\s*(?:in|on|by)\s+(?:early\s+|late\s+|mid-?)?$", re.I)


def _elliptical_events(view: DocView, sent: Sentence, clauses: list[tuple[int, int]], triggers: list,
                       sent_dates: list[Span], found: list[ApprovalMention]) -> list[ApprovalMention]:
    out: list[ApprovalMention] = []
    for c0, c1 in clauses:
        if any(c0 <= t0 < c1 for t0, *_ in triggers):
            continue
        prior = [m for m in found if m.agency and m.prov.char_end <= c0 and m.event != "guideline_recommendation"]
        if not prior:
            continue
        agencies = [e for e in view.ents_in(c0, c1, AGENCY) if _agency_category(view, e) == "regulator"]
        if len(agencies) != 1 or not _ELLIPSIS_LEAD.fullmatch(view.text[c0:agencies[0].char_start]):
            continue
        a = agencies[0]
        dates = [d for d in sent_dates if d.start >= a.char_end and d.start < c1
                 and _ELLIPSIS_DATE.fullmatch(view.text[a.char_end:d.start])]
        if not dates:
            continue
        last = prior[-1]
        prov = view.provenance(sent, a.char_start, dates[0].end, "regulatory:ellipsis")
        for m in [m for m in prior if m.prov == last.prov]:
            out.append(ApprovalMention(agency=a.normalized, event=m.event, date=dates[0].value, drug=m.drug,
                                       indication=m.indication, cancer_type=m.cancer_type, line=m.line,
                                       based_on_trial=m.based_on_trial, prov=prov))
    return out


def _last_event_drugs(events: list[ApprovalMention], lo: int, hi: int) -> list[str]:
    """The drugs of the last regulatory event (not a guideline's) quoted between lo and hi."""
    prior = [m for m in events if m.event != "guideline_recommendation" and m.drug
             and m.prov.char_start is not None and lo <= m.prov.char_start < hi]
    if not prior:
        return []
    last = max(prior, key=lambda m: m.prov.char_start)
    return list(dict.fromkeys(m.drug for m in prior if m.prov == last.prov))


def _span_drug(view: DocView, span: Optional[tuple[int, int]]) -> list[str]:
    """The regimen a heading or title names (not a drug it names as given before), as a list."""
    if span is None:
        return []
    drug = _pick_drug(view, _drug_ents(view, *span), span[0], span[0])
    return [drug] if drug else []


# "the combination with letrozole": a partner named for the drug the text is about
_COMBINATION_WITH = re.compile(r"\b(?:the|its|a)\s+combination\s+with\s+$", re.I)


def _combination_with(view: DocView, clause: tuple[int, int], drug: str) -> bool:
    """The clause names its one drug as a partner ("the combination with letrozole was approved")."""
    first = next((d for d in _drug_ents(view, *clause) if d.normalized == drug), None)
    return first is not None and _COMBINATION_WITH.search(view.text, max(clause[0], first.char_start - 30),
                                                           first.char_start) is not None


def _carried_drugs(view: DocView, sent: Sentence, clause: tuple[int, int], events: list[ApprovalMention]) -> list[str]:
    """The drug an event without one continues: that of the paragraph's last regulatory event before
    it (not a guideline's), else the drug of the sentence's earlier clauses or of the nearest earlier
    sentence of the paragraph that names one; else the drug of the section's last event before it ("The
    MHLW approved T-DXd ..." a paragraph earlier), else the drug the section's heading names (a list of
    milestones, "- Japan: MHLW approval on 25 September 2020;", under "3.2 Trastuzumab deruxtecan after
    progression on trastuzumab"), else, for a list item or in a text whose title names one drug, the
    title's. A table's footnote takes none."""
    drugs = _last_event_drugs(events, view.para_of(sent.char_start).start, clause[0])
    if drugs:
        return drugs
    earlier = [(sent.char_start, clause[0])] if clause[0] > sent.char_start else []
    for a, b in earlier + [(p.char_start, p.char_end) for p in view.prev_sentences(sent)]:
        drug = _pick_drug(view, _drug_ents(view, a, b), a, a)
        if drug:
            return [drug]
    sec = view.doc.section_at(sent.char_start)
    drugs = _last_event_drugs(events, sec.char_start if sec is not None else 0, clause[0])
    if drugs or _FOOTNOTE.match(view.text, sent.char_start):
        return drugs
    if sec is not None and sec.heading:
        drugs = _span_drug(view, (sec.char_start, sec.char_start + len(sec.heading)))
        if drugs:
            return drugs
    title = _span_drug(view, view.title_span)
    if LIST_ITEM.match(view.text, sent.char_start) or len(title) == 1 and " + " not in title[0]:
        return title      # a list item, or a text whose title names the one drug it is about
    return []


_FOOTNOTE = re.compile(r"\s*(?:\*|†|‡|[a-z]\s)")          # a table's footnote ("* FDA approval for ...") names no drug


_SPECIFIC_APPROVALS = frozenset({"accelerated_approval", "conditional_approval"})
_CONVERSION = re.compile(r"\b(?:full|regular|standard|traditional|converted|conversion)\b", re.I)


# "the first tumour-agnostic approval", "the first HER2-directed agent approved": an approval restated as a first
_FIRST_OF_ITS_KIND = re.compile(r"\bthe\s+first\b", re.I)


def _one_per_event(found: list[ApprovalMention]) -> list[ApprovalMention]:
    """One event per agency, kind and drug in a sentence: two triggers of it ("was approved in Japan,
    making it the first ADC licensed", "the guidelines list X as a Level I recommendation") are one
    statement. The dated one is kept, else the first."""
    best: dict[tuple[str, str, str, str], ApprovalMention] = {}
    dated = {(m.agency, m.event, m.drug) for m in found if m.date}
    specific = {(m.agency, m.drug, m.date) for m in found if m.event in _SPECIFIC_APPROVALS}
    for m in found:
        key = (m.agency, m.event, m.drug, m.date)
        if not m.date and (m.agency, m.event, m.drug) in dated:
            continue                   # the same event with its date written elsewhere in the sentence
        if m.event == "approval" and (m.agency, m.drug, m.date) in specific and not _CONVERSION.search(m.prov.quote):
            # "This indication is approved under accelerated approval": the approval is the accelerated
            # one (not "... and full approval followed")
            continue
        best.setdefault(key, m)
    kept = {id(m) for m in best.values()}
    return [m for m in found if id(m) in kept]


def _table_events(view: DocView, table) -> list[ApprovalMention]:
    """Cells such as "HER2-overexpressing breast cancer(Adjuvant, neoadjuvant and
    Second-line therapy) [97](FDA/EMA Approved)": one event per agency in each
    parenthesized group that holds an approval trigger."""
    out: list[ApprovalMention] = []
    rules = view.rules
    triggers = rules.patterns("regulatory", "event")
    for cell in table.cells:
        if cell.char_start is None or cell.char_end is None:
            continue
        groups = [(cell.char_start + g.start(), cell.char_start + g.end())
                  for g in re.finditer(r"\(([^()]*)\)", view.text[cell.char_start:cell.char_end])]
        if not any(r.regex.search(view.text, g0, g1) for g0, g1 in groups for r in triggers):
            groups = [(cell.char_start, cell.char_end)]      # "FDA approved (2019)", "Approved by EMA"
        for g0, g1 in groups:
            trig = next(((r, m) for r in triggers if (m := r.regex.search(view.text, g0, g1))), None)
            if trig is None:
                continue
            rule, tm = trig
            agencies = [e for e in view.ents_in(g0, g1, AGENCY) if _agency_category(view, e) == "regulator"]
            whole = (g0, g1) == (cell.char_start, cell.char_end)
            row = []
            if not agencies and whole and len(view.text[cell.char_start:tm.start()].split()) <= 2:
                # a table of decisions, one per row: "FDA | zanidatamab | BTC | Accelerated approval | 2024-11-20";
                # the agency and drug are the row's own cells (a guideline body for a recommendation); the
                # cell is the decision (it opens with it), not an indication that names one ("..., conversion
                # to full approval | Complete response letter")
                row = other_cells(table, cell)
                wanted = ("regulator", "guideline") if rule.value == "guideline_recommendation" else ("regulator",)
                agencies = [e for c in row for e in view.ents_in(c.char_start, c.char_end, AGENCY)
                            if _agency_category(view, e) in wanted][:1]
            names = list(dict.fromkeys(e.normalized for e in agencies))
            if not names:
                continue
            if negation_cue(view.text[g0:g1], 0, g1 - g0, rules):
                continue
            ctx = cell_context(view, table, cell)
            drug = next((join_regimen(e.normalized for e in found) for c in row      # the row's drug cell, whole
                         if (found := view.ents_in(c.char_start, c.char_end, DRUG))), "") or ctx.drug
            if not drug:
                continue
            # the indication: cell text before the first parenthesis of each cited segment
            stop = cell.char_end if whole else g0
            before = view.text[cell.char_start:stop]
            parts = []
            for seg in re.split(r"\[[^\]]*\]", before):
                head = re.split(r"\(", seg, maxsplit=1)[0]
                head = re.sub(r"^\s*Indication\b", "", head).strip(" -,;")
                head = re.sub(r"\s+", " ", head)
                if head and head not in parts:
                    parts.append(head)
            indication = "; ".join(parts)
            if whole:     # "Approved by FDA (2020)": only a disease phrase written in the cell
                indication = _indication(view, cell.char_start, cell.char_end, tm.end())[0]
            line = lines_value(find_lines(view.text, rules, cell.char_start, stop))
            cancer = ctx.cancer_type
            if not cancer:
                found = [e.normalized for e in view.ents_in(cell.char_start, stop, CANCER)] or [
                    e.normalized for c in row for e in view.ents_in(c.char_start, c.char_end, CANCER)]
                cancer = found[0] if found else ""
            date_spans = find_dates(view.text, rules, cell.char_start, cell.char_end) or [
                d for c in row for d in find_dates(view.text, rules, c.char_start, c.char_end)][:1]
            date = date_spans[0].value if date_spans else ""
            if whole:     # no parenthesized group: quote the trigger and its agencies
                g0 = min([tm.start()] + [e.char_start for e in agencies])
                g1 = max([tm.end()] + [e.char_end for e in agencies])
            prov = cell_provenance(view, table, cell, g0, g1, ctx, f"regulatory:table:{table.table_id}")
            for agency in names:
                out.append(ApprovalMention(agency=agency, event=rule.value, date=date, drug=drug,
                                           indication=indication, cancer_type=cancer, line=line,
                                           based_on_trial="", prov=prov))
    return out
