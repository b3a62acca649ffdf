"""Efficacy values: ORR, PFS, OS, DCR, DFS, TTP, pCR, DOR, CBR, EFS, iDFS,
landmark rates and hazard ratios (with 95% CI and p-value), each tied to its
drug or regimen, trial and cancer type.

The algorithm works on a span of text (a sentence or a table cell):
    span_to_items      endpoint names (from the ENDPOINT lexicon) and values
                       (numbers with units, "not reached"), hazard ratios
    items_to_pairs     each value governed by the nearest endpoint before it in
                       its clause, or by "X% for ORR" after it; lists
                       ("ORR 28.2%, DCR 63.4%") and chains ("100% for HER2-3+,
                       77.8% for HER2-2+") keep the endpoint; units must fit
                       the endpoint; toxicity and frequency numbers are dropped
    pairs_to_mentions  comparator ("X vs. Y", "from Y to X"), n/N, subgroup,
                       landmark, HR/CI/p, attribution and provenance
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple, Optional, Sequence

from pipeline.extract.context import ARM_LABEL, ARM_LABEL_AFTER, ENDPOINT, NAMED_ARM, PATIENT_STATE, TRIAL, DocView, citation_marker_spans, clause_breaks, cue_hits, is_modified, join_regimen
from pipeline.extract.lines import find_lines
from pipeline.extract.tables import cell_context, cell_provenance, header_row_of, row_facts
from pipeline.model import ARM_LABEL_NOUNS, EndpointMention, EntitySpan, Sentence, join_alternatives

_KINDS: dict[int, dict[str, str]] = {}


def endpoint_kind(view: DocView, code: str) -> str:
    """"rate" or "time", as rules/endpoints.yaml declares it for the endpoint."""
    key = id(view.rules)
    if key not in _KINDS:
        _KINDS[key] = {e.canonical: e.category for e in view.rules["endpoints"].entries}
    return _KINDS[key].get(code, "")

NUM = r"\d+(?:\.\d+)?"
UNIT = r"(?:%|per\s?cent\b|percentage\s+of\s+(?:participants|patients|subjects)\b|months?\b|mos?\b|weeks?\b|wks?\b|years?\b|yrs?\b)"   # "36 per cent": British journals' style; "53.8 percentage of participants": registry postings
# "versus" as journals print it; a lone "v" (JCO style: "6.4 v 4.1 months") only before a number
VS = r"(?:vs\.?|(?<![A-Za-z])v\.?(?=\s*\d)|versus|(?:as\s+)?against)"
_VALUE_RE = re.compile(
    rf"(?P<op>[<>≤≥]\s*)?(?P<num>{NUM})(?:\s*[-–]\s*(?P<num2>{NUM}))?\s*(?P<unit>{UNIT})"
    rf"|(?P<nr>\bnot (?:yet )?(?:been )?(?:reached|estimable)\b|\bNR\b)"    # "Median OS was not estimable in E1": no median yet
)
# "11 vs. 5.6 months", "tucatinib 7.8 vs placebo 5.6 months": the unit comes after the comparator
_ARM_WORDS = r"(?:[A-Za-z][\w+/-]*\s+){1,3}"
_BARE_BEFORE_VS = re.compile(rf"(?P<num>{NUM})(?:\s*[-–]\s*(?P<num2>{NUM}))?\s*(?={VS}\s*(?:{NUM}|{_ARM_WORDS}{NUM}\s*{UNIT}))")
# "median PFS to 9.0 from 4.9 months": the unit comes after the value it changed from
# "median OS was 22.7 and 16.9 months", "medians of 7.9 and 5.4 months": the unit comes after the
# second value; not a list of timepoints ("at 12 and 24 months", "between 6 and 12 months")
_BARE_BEFORE_AND = re.compile(rf"(?P<vals>{NUM}(?:\s*,\s*{NUM})*)(?=\s*,?\s+and\s+{NUM}\s*(?P<unit>%|months?\b|mos?\b|weeks?\b|years?\b)"
                              rf"(?![- ](?:landmark|follow)))", re.I)
# (a longer list too: "Median OS was 14.6, 16.9 and 10.2 months", "median durations of response of 14.7, 12.1 and
# 8.5 months" (three arms or cohorts; set 10 mu3714, mu3706, mu3606, mu3710): every number before the unit takes it)
_STATED_BEFORE = re.compile(r"(?:\b(?:was|were|is|are|of|medians?|rates?|survival|[A-Z]{2,5}s?)|[:=(])\s*$")
# (or right after the group the clause names: "and in the wild-type subgroup 57.9 and 41.6 months", "; in intrahepatic
# cholangiocarcinoma, 13.0 and 8.4 months", "and for those without pertuzumab, 10.2 and 10.9 months": tuning documents
# mu6704 of made-up set 17, mu4606 of set 12, mu5710 of set 15; not "aged 50 and 65 years")
# the population a clause opens with: "in the HR-positive cohort, ", "among those with residual disease"
_GROUP_OPENING = r"(?:in|among|for)\s+(?!\d)[^,;.()\d]{2,50}?,?\s*"
_GROUP_BEFORE_PAIR = re.compile(r"(?:^|[,;]\s*|\band\s+|\bwhereas\s+|\bwhile\s+)" + _GROUP_OPENING + "$", re.I)
_BARE_BEFORE_FROM = re.compile(rf"(?<=\bto\s)(?P<num>{NUM})(?P<num2>)\s*(?=from\s+{NUM}\s*{UNIT})", re.I)
_VS_AFTER = re.compile(rf"^\s*(?:(?:with|for|in)\s+[^;:.()%]{{1,40}}?\s*)?,?\s*[(\[]?\s*(?:{VS}|(?:as\s+)?compared (?:with|to)|relative to|(?<=\s)/(?=\s*\d)|/(?=\s+\d))\s*(?:{_ARM_WORDS}(?={NUM}\s*{UNIT})|{ARM_LABEL}\s*:?\s*(?={NUM}))?(?P<num>{NUM}(?:\s*[-–]\s*{NUM})?|NR|not reached)\s*(?P<unit>{UNIT})?", re.I)
# (and a rate of each arm's patients: "in 71.2% of the gefitinib group and 32.7% of the chemotherapy group", set 23
# mu9106, set 17 mu6612)
_ARMS = re.compile(
    rf"^\s*(?:in|with|for|of)\s+(?:the\s+)?(?P<arm1>[^\d;:.()]{{2,60}}?)\s+(?:arm|group|cohort)s?\b\s*,?\s*"
    rf"(?:and|{VS}|compared (?:with|to))\s+(?P<num>{NUM}|NR|not reached)\s*(?P<unit>{UNIT})?\s+"
    rf"(?:in|with|for|of)\s+(?:the\s+)?(?P<arm2>[^\d;:.()]{{2,60}}?)\s+(?:arm|group|cohort)s?\b", re.I)
# "52.3% with panitumumab and 41.0% without", "52.1% (95% CI 47.9-56.3) with platinum and 37.0% (33.1-41.0) without":
# one value with its comparator, the arm without the drug (tuning documents mu4112 of made-up set 11, mu3702 of set
# 10, mu4608 of set 12)
_WITH_WITHOUT = re.compile(
    rf"\s*(?:[\[(][^\[\]()]{{0,80}}[\])]\s*)?(?:with|on|for)\s+(?P<arm>[^\d;:.()]{{2,60}}?)\s*,?\s*(?:and|{VS})\s+"
    rf"(?P<num>{NUM})\s*(?P<unit>%|{UNIT})?\s*(?:[\[(][^\[\]()]{{0,80}}[\])]\s*)?without\b"
    # ("... and 73.9% without it": the drug again by its pronoun; set 37 mu14708, set 38 mu14802, set 33 mu13008, set 2 mu820)
    rf"(?:\s+(?:it|them)\b)?(?!\s+[a-z])", re.I)
# "15.9 (95% CI 12.9-19.0) months", "21.4 (95% CI 19.4-23.7) (arm A) and 18.7 (15.1-23.5) months": values
# printed before their own interval, the unit after it (durations only: "56 (range 30-80) years" is an age)
_BRACKETED = r"(?:\s*[\[(][^\[\]()]{1,80}[\])])+"
_UNIT_AFTER_BRACKETS = re.compile(
    rf"(?P<num>{NUM}){_BRACKETED}\s*(?:(?:{VS}|and|,)\s*(?P<num2>{NUM}){_BRACKETED}?\s*)?(?P<unit>months?\b|weeks?\b)", re.I)
# "7.3±5.6 months": the mean with its spread
_SPREAD_VALUE = re.compile(rf"(?P<num>{NUM})\s*(?P<spread>±\s*{NUM})\s*(?P<unit>%|{UNIT})", re.I)
# "were 3.8% and 5.9%." / "... and 6.7 months, respectively": the second arm's value
# the patients two shares are of, no group named: "of patients", "of the participants with measurable disease"
_OF_ALL_PATIENTS = r"\s+of\s+(?:the\s+)?(?:patients|participants)(?:\s+with\s+(?:measurable|evaluable)\s+disease)?"
_AND_SECOND = re.compile(
    rf"\s*,?\s*and\s+(?P<num>{NUM})\s*(?P<unit>%|{UNIT})?(?:(?!\s*[(\[]\s*(?:\[?HR\]?|hazard|P\s*[=<>≤]))\s*(?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\]))?"
    rf"\s*(?=[.;]\s|[.;]?$|,?\s*respectively\b(?!\s*,?\s*(?:in|for|among)\b)"
    # ... or the next clause: "The confirmed ORR was 71.5% and 60.9%, and median DOR was ...", "48.2% and 47.6%, with a
    # median duration of response of ..." (set 9 mu3310, set 14 mu5312); not a next group's values ("ORR in arm A was
    # 70.2% and 42.9%, and in arm B 53.3% and 47.1%, respectively": set 3 mu1004)
    rf"|,\s*(?:and|with|whereas|while)\s+(?![\d(]|(?:in|for|among)\b)"
    # ... or the two arms named as such: "2-year OS of 87.1% and 79.4% in the two arms" (set 6 mu2304)
    rf"|\s+(?:in|for)\s+(?:the\s+)?(?:two|both)\s+(?:treatment\s+)?(?:arms|groups)\b"
    # ... or the patients both are shares of, and nothing more: "Objective responses occurred in 38.6% and 35.1% of
    # patients, and ...", "were seen in 8.9% and 2.2% of patients.", "in 21.8% and 11.6% of patients with measurable
    # disease in the respective groups" (set 37 mu14506, set 41 mu16010, set 51 mu20008, set 33 mu12904)
    rf"|{_OF_ALL_PATIENTS}(?:\s+in\s+the\s+respective\s+(?:groups|arms))?\s*(?=[.;]\s|[.;]?$|,\s*(?:and|with|whereas|while)\b)"
    # ... or the comparison's statistic: "22.7 and 16.9 months (HR 0.66)", "10.3 and 9.1 months, p = 0.38"
    rf"|\s*[,;]?\s*[(\[]?\s*(?:\[?HR\]?|hazard ratio|(?:log-rank\s+|two-sided\s+)?P\s*[=<>≤]))", re.I)
# two values for one group after them (a randomised record's two arms): "41% and 29% in Asia"
# ("26.2% and 9.8% of patients with measurable disease in the altered population": the patients they are shares of first;
# set 31 mu12304)
_AND_IN_GROUP = re.compile(rf"\s*(?:,\s*)?and\s+(?P<num>{NUM})\s*(?P<unit>%|{UNIT})?(?=(?:{_OF_ALL_PATIENTS})?\s+(?:in|for|among)\s+(?!(?:the\s+)?(?:two|both|each|all|respective)\b))", re.I)
# the two values alone in a bracket: "RFS was similar in both arms (67% and 64%)"
_BRACKET_PAIR = re.compile(rf"\s*(?:,\s*)?(?:and|{VS})\s+(?P<num>{NUM})\s*(?P<unit>%|{UNIT})?\s*\)", re.I)
# a value's own confidence interval ("ORR 49.0% (95% CI, 39.0%-59.1%)"): its bounds are no values
_CI_START = re.compile(r"\b(?:\d{2}\s*%\s*)?(?:CI|confidence interval|confidence limits?|credible interval|CrI)\b", re.I)
# a value's own interval or spread right after it: "5.4 months (4.1 to 7.5 months)", "7.3±5.6 months"
_OWN_RANGE = re.compile(
    rf"\s*(?:[\[(]\s*{NUM}\s*(?:%|{UNIT})?\s*(?:-|–|to)\s*(?:{NUM}|NR|NE|not reached|not estimable)\s*(?:%|{UNIT})?\s*[\])]"
    rf"|±\s*{NUM}"
    rf"|[\[(]\s*(?:[~∼≈]|approximately|about|ca\.?)\s*{NUM}\s*{UNIT})", re.I)   # "24.2 weeks (∼5.6 months)"
# "response rates ranging from 20% to 30%": one value, a range
_RANGING = re.compile(rf"\b(?:rang(?:ed|ing|e)\s+(?:from\s+)?|between\s+)(?P<a>{NUM})\s*(?P<ua>%|{UNIT})?\s*(?:to|-|–|and)\s*(?P<b>{NUM})\s*(?P<ub>%|{UNIT})", re.I)
# a time that dates a value, not a value: "at 1 year", "follow-up of 29.6 months", "through 36 months"
_TIMEPOINT_BEFORE = re.compile(
    r"(?:\bfollow[- ]?up|\bat|\bafter|\bthrough|\bbeyond|\bwithin|\bup to|\bover|\bduring|\bevery|\bby)"
    r"(?:\s+(?:a|the|of|was|is|median|minimum|mean|approximately|about|least|an?\s+estimated))*\s*[~∼≈]?\s*$", re.I)
# "PFS at 12 months and 18 months": the second time of a list of timepoints
_TIMEPOINT_LIST = re.compile(r"\b(?:at|after|through)\s+\d+(?:\.\d+)?\s*(?:months?|weeks?|years?)?\s*(?:,|,?\s*and|,?\s*or)\s*$", re.I)
# the median in plain words: "half of the women were still alive after 17.2 months" (made-up set 23 mu9108, set 30
# mu11602, mu11604, mu11612): the time is the median survival, no timepoint
_HALF_ALIVE_AFTER = re.compile(r"\bhalf\s+of\s+(?:the\s+)?[^.;:]{0,80}?\b(?:were|was|remained)\s+(?:still\s+)?alive\s+after\s*$", re.I)
_TIMEPOINT_AFTER = re.compile(r"^\s*(?:of\s+)?(?:follow[- ]?up|from\b(?!\s*\d)|after\b|since\b|post\b|landmark|LM\b)", re.I)


def _value_rules(view: DocView, category: str) -> list:
    """rules/values.yaml's rules of `category`, looked up once per document (they are read per number)."""
    return view.memo("values:" + category, lambda: view.rules.patterns("values", category))


def _after_patients_biology(view: DocView, after: str) -> str:
    """The words after a value, less the patients they name by their biology ("in those with other mutations":
    rules/values.yaml biology_group_after), which are who the value is for, no harm or biology count."""
    for r in _value_rules(view, "biology_group_after"):
        if m := r.regex.match(after):
            return after[m.end():]
    return after


def _worded_as_no_value(view: DocView, category: str, around: str) -> bool:
    """The words before (or after) a number say it is no group's value: a rule of rules/values.yaml's
    `category` matches `around` (the text up to the number, or from its end)."""
    return any(r.regex.search(around) for r in _value_rules(view, category))


def _ci_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Confidence intervals, whatever their brackets: from "95% CI" to the bracket that closes
    the parenthesis it opened in, else to the end of its clause ("; P", ")", "]")."""
    out = []
    for m in _CI_START.finditer(text, start, end):
        depth, i, stop = 0, m.end(), min(end, m.end() + 90)
        while i < stop:
            c = text[i]
            if c in "([":
                depth += 1
            elif c in ")]":
                if depth == 0:
                    break
                depth -= 1
            elif c == ";" or (c == "," and re.match(r",\s*(?:P\b|p\b|and\b|while\b|whereas\b|respectively|median|HR\b)", text[i:i + 14])):
                if depth == 0:
                    break
            i += 1
        out.append((m.start(), i))
    return out
# "mPFS and mOS were 5.5 and 15.1 months, respectively": values listed in the order of their endpoints
_SPREAD_OR_BRACKET = re.compile(r"±\s*\d+(?:\.\d+)?|\((?:[^()]|\([^()]*\))*\)|\[(?:[^\[\]]|\[[^\[\]]*\])*\]")
_AFTER_NUM = r"(?:\s*±\s*\d+(?:\.\d+)?\s*(?:%|months?|weeks?|years?)?|\s*(?:\((?:[^()]|\([^()]*\))*\)|\[(?:[^\[\]]|\[[^\[\]]*\])*\]))?"
# a value before, then a comma: the value after it is not the first of a list ("31.3%, 45.6%, and", "47.6% (30/63), ")
_LIST_BEFORE = re.compile(rf"\d\s*(?:%|{UNIT})?{_AFTER_NUM}\s*,\s*$", re.I)
# a value right before, then a comma (in a 12-character window): the next value is a list's, not the first of a pair
_VALUE_THEN_COMMA = re.compile(r"\d\s*(?:%|months?)?\s*,\s*$")
# a value of a list, with its spread or bracket, and the patients a list of rates is of ("in 31.4% and 24.1% of patients")
_LISTED_VALUE = rf"{NUM}\s*(?:{UNIT})?{_AFTER_NUM}"
_OF_PATIENTS = r"(?:\s+of\s+(?:the\s+)?(?:patients|participants|pts|women|men))?"
_RESPECTIVELY = re.compile(
    rf"(?P<vals>{_LISTED_VALUE}(?:\s*(?:,\s*and|,|and)\s*{_LISTED_VALUE})+){_OF_PATIENTS}"      # "in 31.4% and 24.1% of patients, respectively"
    # (the populations hold no value of their own: not "2 and 59.0% in group 3, with median durations of response of
    # 6.0, 11.1 and 9.2 months, respectively", whose list is the second one; set 10 mu3710)
    rf"(?:\s+(?:in|for|among|with)\s+(?:the\s+)?(?P<pops>(?:(?!{NUM}\s*(?:%|months?\b|weeks?\b|years?\b))(?:[^;.()]|\.(?=\d))){{2,80}}?))?"
    rf"\s*\)?\s*,?\s*respectively", re.I)
# "45.2% and 11.8% for the T-DXd and docetaxel arms", "were 61% and 48% in the pertuzumab and placebo groups": two values,
# then the two treatment arms they belong to, without "respectively" (checked by _respective_arms)
_IN_THE_ARMS = re.compile(
    rf"(?P<a>{NUM})\s*(?:{UNIT})?{_AFTER_NUM}\s*(?:,\s*)?and\s+(?P<b>{NUM})\s*(?:{UNIT})?{_AFTER_NUM}{_OF_PATIENTS}"
    # (two arms, not the last two of a longer list: "4.9%, 22.6%, 19.8%, and 11.0% ... in the control, capivasertib,
    # alpelisib, and everolimus groups", set 8 mu2908)
    rf"\s+(?:in|for|among|with)\s+(?:the\s+)?(?P<pops>[^;.,()\d]{{2,80}}?\b(?:arms|groups))\b(?!\s*,?\s*respectively)", re.I)
# "4.9%, 22.6%, 19.8%, and 11.0% of patients in the control, capivasertib, alpelisib, and everolimus groups", "85.1%, 79.8%,
# and 78.6% in the T-DXd-P, T-DXd, and THP groups": three or more values, then as many treatment arms (no "respectively")
_LIST_IN_THE_ARMS = re.compile(
    rf"(?P<vals>{_LISTED_VALUE}(?:\s*,\s*{_LISTED_VALUE})+\s*,?\s*and\s+{_LISTED_VALUE}){_OF_PATIENTS}"
    rf"\s+(?:in|for|among|with)\s+(?:the\s+)?(?P<pops>[^;.()\d]{{2,120}}?\b(?:arms|groups))\b", re.I)
# "The objective response rate of the combination group and the chemotherapy group were 37.5% (27/72) and 20.8%",
# "5-year RFS of arm A and arm B was 81.2% and 83.0%": the two arms named first, then their two values in the same
# order (made-up set 21 mu8212, set 19 mu7208); checked by _respective_arms (not "in hormone receptor-positive and
# -negative disease was 6.9 and 4.6 months", which names no treatment; set 3 mu1016)
_ARMS_THEN_VALUES = re.compile(
    rf"\b(?:of|in|with|for|among)\s+(?P<pops>(?:the\s+)?[^;.,()\d%]{{2,60}}?\s+and\s+(?:the\s+|with\s+)?[^;.,()\d%]{{2,60}}?)"
    rf"\s+(?:were|was)\s+(?P<a>{NUM})\s*(?:{UNIT})?{_AFTER_NUM}\s*(?:,\s*)?and\s+(?P<b>{NUM})\s*(?:{UNIT})?(?P<after>{_AFTER_NUM})"
    rf"(?!\s*(?:,\s*)?(?:and\s+)?{NUM})", re.I)
# "the ORR and DCR were respectively 29% (95% CI 20-40) and 71%": the same list, "respectively" first
_RESPECTIVELY_BEFORE = re.compile(
    rf"\brespectively[,:]?\s+(?P<vals>{NUM}\s*(?:{UNIT})?{_AFTER_NUM}(?:\s*(?:,\s*and|,|and)\s*{NUM}\s*(?:{UNIT})?{_AFTER_NUM})+)"
    rf"(?P<pops>)", re.I)
# "in the 5.4 and 6.4 mg/kg cohorts" / "in HER2-positive and HER2-low patients": one population per value
_POP_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_POP_NOUN = re.compile(r"\s+(?:cohorts?|groups?|arms?|patients|subgroups?|populations?|cases|tumou?rs|disease)$", re.I)


def _listed_numbers(vals: str) -> list[re.Match]:
    """The numbers (with their units) of a list of values, not those inside a value's spread or bracket."""
    inner = [(b.start(), b.end()) for b in _SPREAD_OR_BRACKET.finditer(vals)]
    return [n for n in _NUM_UNIT.finditer(vals) if not any(a <= n.start() < b for a, b in inner)]


def _listed_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The items of a list of arms or populations ("the control, capivasertib, alpelisib, and everolimus groups", "the
    5.4 and 6.4 mg/kg cohorts"): their spans, without the shared noun at the end."""
    noun = _POP_NOUN.search(text, a, b)
    end = noun.start() if noun else b
    spans, p = [], a
    for sep in _POP_SPLIT.finditer(text, a, end):
        spans.append((p, sep.start()))
        p = sep.end()
    spans.append((p, end))
    out = []
    for x, y in spans:
        item = text[x:y]
        if item.strip():
            x += len(item) - len(item.lstrip())
            out.append((x, x + len(item.strip())))
    return out


def _listed_arm_spans(view: DocView, a: int, b: int, k: int) -> list[tuple[int, int]]:
    """The k arms of a list (_listed_spans), or [] where the list has another number of items."""
    spans = _listed_spans(view.text, a, b)
    return spans if len(spans) == k else []


def _control_of_listed_arms(view: DocView, items: list[Item], starts: list[int], a: int, b: int) -> None:
    """Three or more values, then as many treatment arms ("4.9%, 22.6%, 19.8%, and 11.0% of patients in the control,
    capivasertib, alpelisib, and everolimus groups"; "93.3%, 92.1% and 91.5% in the exemestane-OFS, tamoxifen-OFS and
    tamoxifen groups, respectively"; made-up set 8 mu2908, set 13 mu4804, set 17 mu6606): in a record comparing arms,
    each value is its own arm's, and the one control arm's value (a control word, else the arm the title compares
    against: "... versus Taxane, Trastuzumab, and Pertuzumab") is the comparator of the others, no result of its own.
    With no one control arm (a study that compares none, set 26 mu10106; set 22 mu8502), each value is its own
    regimen's, compared with none, where every item names a different regimen."""
    values = [next((i for i in items if i.kind == "value" and i.start == s), None) for s in starts]
    spans = _listed_arm_spans(view, a, b, len(starts))
    if not spans or any(v is None for v in values):
        return
    regimens = [set(_arm_regimen(view, *sp).split(" + ")) - {""} for sp in spans]
    controls = []
    if view.is_record and view.compares_arms and not view.multi_study:
        controls = [k for k, sp in enumerate(spans) if _control(view, view.text[sp[0]:sp[1]])]
        if not controls:
            title_control = _title_comparator(view)
            controls = [k for k, r in enumerate(regimens) if title_control and view.same_regimen(title_control, r)]
    if not controls and view.is_record and not view.multi_study:
        # (a reference the record names makes the list a comparison, also where no arms were randomised)
        controls = _reference_among(view, regimens, b)
    if len(controls) != 1 or not all(r for k, r in enumerate(regimens) if k != controls[0]):
        # "The ORR was 19.2%, 29.0%, 48.3% and 41.7% with HP, HC, T-DXd and zanidatamab, respectively": with no one
        # control arm, each value is the result of the regimen listed in its place, compared with none
        if all(regimens) and len({frozenset(r) for r in regimens}) == len(regimens):
            for v, sp in zip(values, spans):
                v.arms = v.arms or sp
        return
    c = controls[0]
    for k, v in enumerate(values):
        if k != c:
            v.comparator, v.comp_end, v.arms = values[c].value, max(v.end, values[c].end), (*spans[k], *spans[c])
    values[c].consumed = True


def _reference_among(view: DocView, regimens: list[set[str]], end: int) -> list[int]:
    """Of a list's arms (their regimens), the one the record makes the reference: the drug its title compares the
    others against, written with their shared backbone ("Ramucirumab or aflibercept versus bevacizumab, each with
    FOLFIRI"), the regimen it marks "(the reference arm)", or the one arm the same sentence's ratios are "versus"
    ("(weighted hazard ratios versus lenvatinib, ...)"); [its index], or [] where none or more than one is."""
    marked = [set(view.reference_regimen.split(" + ")) - {""}, set(_title_comparator(view))]
    sent = view.sentence_at(end)
    if sent is not None:
        named = _versus_named(view, view.text, end, sent.char_end)
        if len(named) == 1:
            marked.append(set(named.pop().split(" + ")) - {""})
    for ref in marked:
        found = [k for k, r in enumerate(regimens) if r and ref and r <= ref]
        if len(found) == 1:
            return found
    return []


def _title_comparator(view: DocView) -> frozenset[str]:
    """The drugs a record's title compares its regimen against: those after its last "versus" up to a colon or
    bracket ("... with or without Pertuzumab versus Taxane, Trastuzumab, and Pertuzumab as First-Line Therapy");
    read once per document (every compared pair asks for it)."""
    return view.memo("title_comparator", lambda: frozenset(_read_title_comparator(view)))


def _read_title_comparator(view: DocView) -> set[str]:
    if not view.title_span:
        return set()
    a, b = view.title_span
    cue = list(re.finditer(rf"\b(?:{VS}|compared\s+with)\s", view.text[a:b], re.I))
    if not cue:
        return set()
    c = a + cue[-1].end()
    stop = re.search(r"[:(\[]|\s(?:as|in|for|after|among)\s", view.text[c:b])
    return {e.normalized for e in view.ents_in(c, c + stop.start() if stop else b, "DRUG")}


def _respective_arms(view: DocView, a: int, b: int) -> Optional[tuple[int, int, int, int]]:
    """"in the alpelisib-fulvestrant and placebo-fulvestrant arms", "in letrozole-palbociclib and
    control arms": two populations that are treatment arms, one of them a control (their spans)."""
    chunk = view.text[a:b]
    j = re.search(r"\s+and\s+", chunk)
    if not j:
        return None
    if _control(view, chunk) and _ARM_NOUN.search(chunk):
        return a, a + j.start(), a + j.end(), b
    # "38% and 21% for tucatinib and placebo, respectively": in a record comparing arms, two
    # populations that each name a treatment (a drug or a control word) are its two arms
    if view.compares_arms and all(_arm_ok(view, s, e) and (view.ents_in(s, e, "DRUG") or _control(view, view.text[s:e]))
                                  for s, e in ((a, a + j.start()), (a + j.end(), b))):
        return a, a + j.start(), a + j.end(), b
    # "of the combination group and the chemotherapy group", "of arm A and arm B": two arms the text defined by label
    halves = ((a, a + j.start()), (a + j.end(), b))
    if all(_label_named(view, s, e) in view.arm_regimens for s, e in halves) and \
            len({_label_named(view, s, e) for s, e in halves}) == 2:
        return a, a + j.start(), a + j.end(), b
    return None


_PLURAL_LABEL = re.compile(rf"(?P<noun>{ARM_LABEL_NOUNS})s\s+(?P<label>[A-Z0-9]{{1,3}})", re.I)


def _labelled_population(noun: str, label: str) -> str:
    """The population a labelled cohort, part, arm or group stands for, one wording wherever the text lists them
    ("cohorts A and B", "..., respectively, in cohorts a and b"): "cohort A"."""
    return f"{noun.lower()} {label.upper()}"


def _listed_populations(text: str, a: int, b: int, k: int) -> list[str]:
    """k population names of a list (_listed_spans), shared tail words going to every item ("the 5.4 and 6.4 mg/kg
    cohorts": "5.4 mg/kg", "6.4 mg/kg")."""
    parts = [text[x:y] for x, y in _listed_spans(text, a, b)]
    if len(parts) != k:
        return []
    head = _PLURAL_LABEL.fullmatch(parts[0])
    if head and all(re.fullmatch(r"[A-Z0-9]{1,3}", p, re.I) for p in parts[1:]):
        # "in cohorts A and B": "cohort A", "cohort B"
        return [_labelled_population(head.group("noun"), p) for p in [head.group("label"), *parts[1:]]]
    tail = parts[-1].split()[1:]
    if tail and all(len(p.split()) == 1 for p in parts[:-1]):
        parts = [p + " " + " ".join(tail) for p in parts[:-1]] + [parts[-1]]
    return parts
_NUM_UNIT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>{UNIT})?", re.I)
_TO_FROM = re.compile(rf"\s*from\s+(?P<a>{NUM})\s*(?P<ua>{UNIT})?", re.I)
_FROM_TO = re.compile(rf"\bfrom\s+(?P<a>{NUM})\s*(?P<ua>{UNIT})?(?:\s+(?:with|on|in)\s+[^,;()\d]{{1,40}}?)?\s+to\s*$", re.I)
_N_OF_N = re.compile(r"(?P<n>\d+)\s*(?:of|/|out of)\s*(?P<N>\d+)\s*(?:patients|pts|participants|cases)?\s*\(\s*$", re.I)
_HR_WORD = r"\b(?:HR|hazards? ratio)s?\b"
_IN_TUMOURS = r"\s+in\s+(?:[\w+/-]+\s+){1,3}?(?:tumou?rs|disease)\b"
_HR_IN_TUMOURS = re.compile(_HR_WORD + _IN_TUMOURS, re.I)
_HR_RE = re.compile(
    _HR_WORD + r"(?:\s*[\[(](?:HR|hazard ratio)[\])])?\s*[\])]?"
    # (a dose arm the ratio is for is part of its words, not the ratio: "HR for 2.4 mg/kg vs TPC, 0.52", "HR for 960 mg vs
    # investigator's choice 0.70"; set 35 mu13806, set 2 mu616)
    r"(?:\s*(?:for|of)\s+(?P<about>(?:[a-z ,\-'’]|\d+(?:\.\d+)?\s*(?:mg|µg|mcg)(?:/(?:kg|m2|m²))?\b){0,50}?))?"
    # ... the population it is given in, its verb, its number in a bracket: "the OS HR in the ITT population had been
    # 0.72", "the investigator-assessed HR (0·61) was consistent" (set 15 mu5810, set 6 mu2108)
    # (or the tumours it is given for: "the HR in BRAF V600E-mutated tumors was 0.55", "whereas the HR in IHC 2+/ISH-positive
    # tumours was 0.91"; set 31 mu12210, set 52 mu20610)
    r"(?:\s+(?:in|among)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:population|group|subgroup|cohort|analysis|set)\b"
    rf"|{_IN_TUMOURS}(?=\s+(?:was|were|is|of)\b))?"
    r"\s*(?:[:=,]|of|was|were|is|had\s+been|has\s+been)?\s*(?:was\s+)?(?:\((?=\s*\d*\.\d+\s*\)))?\s*(?P<hr>\d*\.\d+)(?!\d|\s*(?:mg|µg|mcg)\b)", re.I)
# what an HR is "for" when no endpoint is named: "hazard ratio for progression, 0.62", "HR for death: 0.73"
# (and the risk of an event-based endpoint's event: "reduced the risk of invasive disease (HR 0.75", "The risk of relapse
# was reduced with FAC (hazard ratio 0.81", "reduced the hazard of recurrence by 17% (relative risk, 0.83"; set 15
# mu5806, set 3 mu904, set 14 mu5310): the event-based endpoint the text named before)
_RISK_OF = re.compile(r"\b(?:risk|hazard)\s+of\s+(?:an?\s+)?(?:disease\s+)?(?P<what>progression|death|dying|recurrence|relapse|"
                      r"events?|invasive\s+disease)\b", re.I)
# "death" alone is overall survival; "invasive disease or death", "recurrence or death" is the composite
# endpoint the sentence names (DFS, iDFS, EFS), not OS
# (not a checkpoint's name: "a programmed death ligand 1 combined positive score of 1 or more (hazard ratio, 0.62)", set
# 27 mu10710; "programmed cell death 1")
_DEATH = r"(?<!\bor\s)(?<!programmed\s)(?<!cell\s)\b(?:death|deaths|died|mortality)\b(?![\s-]+(?:ligand|1\b|receptor))"
# "hazard ratio for an event", "for an invasive event or death", "for recurrence or death": the event-based
# endpoint the text named before it (EFS, iDFS, DFS, RFS), not OS (tuning documents mu2808 and mu2914 of made-up
# set 8; not "a hazard ratio for recurrence of 7.4" of a prognostic factor, which names no treatment)
_EVENT = "event"
_HR_ABOUT = (("PFS", re.compile(r"\bprogression\b", re.I)),
             (_EVENT, re.compile(r"\b(?:events?|recurrences?|relapses?)\b", re.I)),
             ("OS", re.compile(_DEATH, re.I)))
_BARE_CI = re.compile(r"^\s*[\[(]\s*(?P<lo>\d*\.\d+)\s*(?:-|–|to|,)\s*(?P<hi>\d*\.\d+)\s*[\])]")
_CI_RE = re.compile(r"(?<![\d.])(?:9[0-9]|8[0-9])(?:\.\d+)?\s*%\s*(?:CI|confidence interval)(?:\s*\(CI\))?\s*[:,=]?\s*[\[(]?\s*(?P<lo>\d*\.\d+)\s*(?:-|–|to|,)\s*(?P<hi>\d*\.\d+)", re.I)
_P_RE = re.compile(r"\bP\s*(?:-?value)?\s*\$?\s*(?P<op>[<=>≤≥])\s*\$?\s*(?P<p>0?\.\d+)", re.I)


def _p_text(m: re.Match) -> str:
    """A p-value as the outputs write it: "<0.001", "0.03" (an "=" is dropped)."""
    return (m.group("op") if m.group("op") != "=" else "") + m.group("p")
# landmark numbers spelled out ("at nine years", "twelve-month rates"): one list for every landmark pattern
_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
          "nine": "9", "ten": "10", "twelve": "12",
          "eighteen": "18", "twenty-four": "24", "thirty-six": "36"}
_SPELLED = "|".join(sorted(_WORDS, key=len, reverse=True))
# (weeks too: "the 16-week PFS rate", "a 24-week clinical benefit rate"; set 17 mu6512, set 3 mu1112, mu1104; not across
# "and": "a CBR of 35.1% at 24 weeks and an ORR of 18.9%", corpus review 002)
# (not a decimal's last digits: "... 5.1 and 12.4 months. The ORR was 19.2%" has no landmark "4-month"; made-up set 26
# mu10106)
# (a word between may be hyphenated: "the 24-month high-grade RFS rate was 78.4%", made-up set 54 mu21202)
_LANDMARK_BEFORE = re.compile(rf"(?<![\d.,·])(?P<n>\d+|{_SPELLED})[- ](?P<u>month|year|week|mo|yr|wk)s?\.?\s*(?:landmark\s*)?(?!(?:and|or|with)\s+(?:an?|the)\s*$)(?:[a-z]+(?:-[a-z]+)?\s*){{0,2}}$", re.I)
_LANDMARK_UNIT = {"mo": "month", "yr": "year", "wk": "week"}
# "PFS at 12 months", "iDFS (invasive DFS) at 3 years", "survival at three years", "IDFS, 4-year rate:"
_LANDMARK_AFTER = re.compile(r"^\s*(?:\([^()]{1,15}\)\s*|\)\s*)?,?\s*(?:rate)?\s*(?:at|of)?\s*"
                             rf"(?P<n>\d+|{_SPELLED})[\s-]*(?P<u>months?|years?)", re.I)
_POP_AFTER = re.compile(
    r"^\s*(?:for|in)\s+(?:the\s+|patients with\s+)?(?P<pop>(?:HER2[- ]?(?:IHC\s*)?[0-3]\+(?:/[0-3]\+)?|HER2[- ]?(?:low|ultralow|negative|positive|mutant|mutated|amplified)|IHC\s*[0-3]\+|HR[- ](?:positive|negative)|[A-Za-z0-9+\-]{2,20}(?= (?:cases|patients|cohort|subgroup|group))))",
    re.I)
_POP_LABEL = re.compile(r"\((?P<pop>[A-Za-z0-9+\-/ ]{3,30}):\s*$")
_ENDPOINT_OCCURRED = re.compile(r"^\s*(?:\([^()]{1,12}\)\s*)?occurred\b", re.I)
# the patients a clause opens with, named by their biology, before the endpoint's pronoun: "and among those with
# Leu858Arg mutations it was 16.6 months" (set 25 mu9804, set 11 mu4114): who they are, no harm or frequency counted
_BIOLOGY_GROUP = re.compile(r"\b(?:in|among|for)\s+(?:the\s+)?(?:\d+\s+)?(?:patients|those|tumou?rs|cases|women|men)\s+"
                            r"(?:with|without|harbou?ring|carrying)\b[^,;.()]{1,50}?(?=\s*,?\s*(?:it|they)\s+(?:was|were)\s*$)", re.I)
_DOSE_ARM = re.compile(r"\b(?:with|at|in\s+the|for\s+the|for)\s+\d+(?:\.\d+)?\s*mg/kg(?:\s+(?:arm|group|cohort|dose))?\s*(?:,\s*)?(?:and|versus|vs\.?)?", re.I)
# ("while in HR-positive disease they were 49.3%" opens a clause; "while on treatment", "while receiving" do not:
# BC5CDR tuning document cdr040, real tuning abstracts pmid37179020, pmid35771551, pmid25796760)
_CLAUSE = re.compile(r"[;]|(?<!\bvs)(?<!\bv)\.\s|\bwhereas\b|\bwhile\b(?! sustaining)(?!\s+(?:on|receiving|taking)\b)")


@dataclass
class Item:
    kind: str                 # "endpoint" | "value"
    start: int
    end: int
    endpoint: str = ""
    value: str = ""
    unit: str = ""
    comparator: str = ""
    comp_end: int = 0
    consumed: bool = False
    arms: tuple[int, ...] = ()         # (arm start, arm end[, control start, control end])
    group: int = 0                            # "..., respectively" list the value belongs to (1, 2, ...)
    population: str = ""                      # from a "..., respectively" list of populations
    timepoint: str = ""                       # from a list of landmarks ("PFS at 12 and 18 months")
    shared_group: bool = False                # "41% and 29% in Asia": both arms' values in one group
    control_label: str = ""                   # the arm label of its comparator ("Arm A 12.5 mo, Arm B 6.8 mo")
    arm_of_chain: bool = False                # one labelled arm's value of a "vs" chain (_labelled_arms_chain)
    landmark_run: bool = False                # one value of a single run of landmark rates (_landmark_lists): no comparison


def _unit(u: str) -> str:
    u = (u or "").lower()
    if u in ("%", "percent") or re.fullmatch(r"per\s?cent", u) or u.startswith("percentage"):
        return "%"
    if u.startswith("mo"):
        return "months"
    if u.startswith("w"):
        return "weeks"
    if u.startswith("y"):
        return "years"
    return u


def _fmt(op: str, num: str, num2: Optional[str]) -> str:
    v = num if not num2 else f"{num}-{num2}"
    return (op or "").strip() + v


_SHORT_FORMS: dict[int, dict[str, str]] = {}
_SHORT_RES: dict[int, re.Pattern[str]] = {}


def _short_endpoint_re(view: DocView) -> re.Pattern[str]:
    """Case-sensitive abbreviations from rules/endpoints.yaml, found even where
    the tokenizer glued them to a neighbour."""
    key = id(view.rules)
    if key not in _SHORT_RES:
        forms = {f: e.canonical for e in view.rules["endpoints"].entries for f in e.forms()
                 if len(f) <= 5 and not f.islower() and " " not in f}
        _SHORT_FORMS[key] = forms
        alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        _SHORT_RES[key] = re.compile(rf"(?<![A-Za-z])(?:{alt})(?![A-Za-z])")
    return _SHORT_RES[key]


# "Responses to the 960-mg combination lasted a median of 5.8 months", "responses in cervical cancer were durable, with
# a median of 9.2 months", "Responses were durable, with a median duration of 14.9 months": the median is the duration
# of response (tuning documents mu616 of made-up set 2, mu2214 of set 6, mu4308 of set 11)
_DURABLE_RESPONSES = re.compile(
    r"\brespons\w*\b[^.;:()]{0,60}?\b(?:lasted|(?:were|was)\s+durable)\b(?:\s*,?\s*with)?\s+(?:a\s+)?"
    r"(?P<median>median(?:\s+duration)?)(?=\s+of\s+\d)", re.I)
# "median progression-free and overall survival were 8.2 and 24.1 months, respectively": the first of two
# coordinated survival endpoints is written without its noun
_ELLIPTICAL_FREE = re.compile(r"(?P<first>\b(?:[A-Za-z]+\s)?[A-Za-z]+[- ]free)\s+(?:and|or|and/or)\s+"
                              r"(?:overall|[A-Za-z]+[- ]free|[A-Za-z]+\s[A-Za-z]+[- ]free)\s+survival\b", re.I)


_ENDPOINT_FORMS: dict[int, dict[str, str]] = {}


def _free_survival(view: DocView, words: str) -> str:
    """The endpoint code of "<words> survival" in rules/endpoints.yaml ("progression-free" -> PFS,
    "invasive disease-free" -> IDFS), else ""."""
    key = id(view.rules)
    if key not in _ENDPOINT_FORMS:
        _ENDPOINT_FORMS[key] = {f.lower(): e.canonical for e in view.rules["endpoints"].entries for f in e.forms()}
    forms = _ENDPOINT_FORMS[key]
    for w in (words, words.split(" ", 1)[-1]):
        code = forms.get(f"{w} survival".lower())
        if code:
            return code
    return ""


# an endpoint with its unit stated once before a colon, its numbers bare after it: "Median PFS, months:
# 11.9 vs 7.1", "ORR, %: 38.1 (tucatinib) vs 3.3 (placebo)", a registry's "Progression-Free Survival
# [Time Frame: ...] - Median (95% CI), months: Cohort A 11.9 (8.2 to 15.4); Cohort B 7.1 (...)"
_DECLARED_UNIT = re.compile(
    r"(?:\[[^\[\]]{0,80}\]|\((?!\s*(?:months?|%)\s*\))[^()]{0,40}\)|[^:;.\[\]()\n]){0,60}?"
    # (congress style: "mDoR, mo: 8.7 / 8.3 / 9.9", "ORR, % (95% CI): 48.4 (39.4-57.5) / ...", set 18 mu7102, mu7110)
    r"(?:,|\(|\s-|\bin)\s*(?P<u>months?|mos?\b|%|percentage(?:\s+of\s+(?:participants|patients))?)\s*(?:\([^()]{0,20}\)\s*)?\)?\s*:", re.I)
_BARE_NUM = re.compile(
    rf"(?<![\w./-])(?P<num>{NUM})(?=\s*(?:$|[;,)(|\]\n]|vs\.?\s|versus\b|and\b|or\b|\.(?:\s|$)))", re.I)
# numbers that are a statistic, a count or a label, not a value: "HR 0.72", "P = .01", "n = 41", "Cohort 2"
_NOT_DECLARED_VALUE = re.compile(
    r"(?:\b(?:HR|hazard\s+ratio|ratio|p(?:-value)?|n|N|cohort|arm|group|part|grade|stage|IHC)\s*[=:<>≤]?\s*|[\d/]\s*)$", re.I)


# a line giving an endpoint's values under a header, the endpoint named on the line before it (registry
# results, slides): "Median (95% CI), months: Arm A 10.0 (8.6 to 11.7) vs Arm B 8.1 (7.0 to 8.5)",
# "Percentage of participants (95% CI): Arm A 72.6 (...)"
_UNIT_HEADER = re.compile(
    r"\s*(?:(?:median|mean)\b[^:;\n]{0,40}?,\s*|(?=percentage))"
    r"(?P<u>months?|weeks?|percentage(?:\s+of\s+(?:participants|patients))?)(?:\s*\([^()]{0,30}\))?\s*:", re.I)


def _declared_at(text: str, e: Item, end: int) -> Optional[re.Match]:
    """The unit declared right after endpoint `e` (_DECLARED_UNIT); an endpoint the line before announced
    (an empty item at the line's start) takes the header its line opens with (_UNIT_HEADER)."""
    return (_UNIT_HEADER if e.start == e.end else _DECLARED_UNIT).match(text, e.end, end)


def _declared_unit_values(view: DocView, items: list[Item], cites: list[tuple[int, int]], start: int, end: int) -> list[Item]:
    """The bare numbers after an endpoint whose unit is declared before a colon (_DECLARED_UNIT), up to
    the next endpoint: values in that unit; their own intervals in brackets are no values."""
    text, out = view.text, []
    eps = [i for i in items if i.kind == "endpoint"]
    for k, e in enumerate(eps):
        d = _declared_at(text, e, end)
        if not d:
            continue
        stop = next((x.start for x in eps[k + 1:] if x.start >= d.end()), end)
        unit = "%" if d.group("u").lower().startswith(("%", "percentage")) else _unit(d.group("u"))
        inner = [(b.start(), b.end()) for b in _SPREAD_OR_BRACKET.finditer(text, d.end(), stop)]
        for n in _BARE_NUM.finditer(text, d.end(), stop):
            s, t = n.span("num")
            if any(a <= s < b for a, b in inner + cites) or _NOT_DECLARED_VALUE.search(text, max(start, s - 16), s):
                continue
            bare = next((i for i in items if i.kind == "value" and i.start == s and not i.unit), None)
            if bare is not None:       # "11.9 vs 7.1" read before its unit was known
                bare.unit = unit
            elif not any(i.start <= s < i.end for i in items + out):
                out.append(Item("value", s, t, value=n.group("num"), unit=unit))
    return out


_DURATION_OF = re.compile(r"\s*of\s+(?:(?:extended|adjuvant|neoadjuvant|maintenance|continued|additional|further|single-agent)\s+)*$", re.I)
_DRUG_FOR = re.compile(r"\s+(?:for|over)\s+$", re.I)


def _treatment_duration(view: DocView, s: int, t: int) -> bool:
    """How long a drug was given, not a result: "1 year of extended adjuvant neratinib", "ribociclib for 3
    years"."""
    after = view.ents_in(t, t + 60, "DRUG")
    if after and _DURATION_OF.match(view.text, t, after[0].char_start):
        return True
    before = view.ents_in(max(0, s - 60), s, "DRUG")
    return bool(before) and _DRUG_FOR.fullmatch(view.text, before[-1].char_end, s) is not None


# endpoints rules/endpoints.yaml names by one general word: read with rules/values.yaml not_bare_endpoint
_BARE_ENDPOINTS = frozenset({"survival", "response"})


def _compare_arms(view: DocView, items: list[Item], starts: list[int], arms: tuple[int, int, int, int], end: int) -> None:
    """The two values at `starts`, given for the two treatment arms `arms` named after them, are one comparison: the
    first the experimental arm's (swapped where the control arm is named first), the second its comparator."""
    first, second = (next((i for i in items if i.kind == "value" and i.start == s), None) for s in starts)
    if first is None or second is None:
        return
    if _control(view, view.text[arms[0]:arms[1]]) or _adds_to(view, arms[2:], arms[:2]):
        # the control arm named first
        first.value, second.value, arms = second.value, first.value, (*arms[2:], *arms[:2])
    _take_comparator(first, second.value, end, [second])
    first.arms = arms
    first.arms = arms


# two counts with their percentages, then "respectively": "in 124 (33.4%) and 53 (14.3%) patients, respectively"
# (made-up set 19 mu7306, set 24 mu9312)
_COUNTS_RESPECTIVELY = re.compile(
    rf"(?<![\d.])(?P<an>\d+)\s*\(\s*(?P<a>{NUM})\s*%\s*\)\s*(?:,\s*)?and\s+(?P<bn>\d+)\s*\(\s*(?P<b>{NUM})\s*%\s*\)"
    r"(?:\s+(?:of\s+(?:the\s+)?)?(?:patients|participants|women|men))?\s*,?\s*respectively", re.I)
# the arm labels of a list: "A, B and C", or a range of them, "A to D", "A-C" (made-up set 23 mu9010, set 12 mu4506;
# read by _label_names)
_LABELS = rf"(?P<labels>[A-Z0-9]{{1,3}}(?:\s*,\s*(?:(?:{ARM_LABEL_NOUNS})\s+)?[A-Z0-9]{{1,3}})*,?\s+and\s+(?:(?:{ARM_LABEL_NOUNS})\s+)?[A-Z0-9]{{1,3}}|(?P<first>[A-H]|[1-9])\s*(?:to|-|–|through)\s*(?P<last>[A-H]|[1-9]))\b"
# "12-month overall survival rates in arms A to C were 62%, 51% and 84%", "in groups A, B and C were ...": the arms
# named first, then their values in the same order (made-up set 12 mu4506)
_LABELS_THEN_LIST = re.compile(
    rf"\b(?:in|for|of)\s+(?:the\s+)?(?P<kind>{ARM_LABEL_NOUNS})s\s+" + _LABELS + r"\s*(?:was|were|:|,)?\s*"
    rf"(?P<vals>{_LISTED_VALUE}(?:\s*(?:,\s*and|,|and)\s*{_LISTED_VALUE})+)", re.I)


def span_to_items(view: DocView, start: int, end: int, lead: str = "") -> list[Item]:
    """The endpoints and values of a span; `lead`: the endpoint the line before announced for a line that
    opens with a unit header (_UNIT_HEADER), an empty endpoint item at the span's start."""
    text = view.text
    cites = citation_marker_spans(text, view.rules, start, end) + _ci_regions(text, start, end)
    items: list[Item] = [Item("endpoint", start, start, endpoint=lead)] if lead else []
    ends = view.ents_in(start, end, ENDPOINT)
    ratio_named = _value_rules(view, "ratio_named")

    def names_ratio(a: int, b: int) -> bool:     # "(RR, 0.72)": a relative risk, not the response rate
        return any(r.regex.match(text[a:b + 25]) for r in ratio_named)
    for k, e in enumerate(ends):
        if names_ratio(e.char_start, e.char_end):
            continue
        bare = text[e.char_start:e.char_end].lower()
        if bare in _BARE_ENDPOINTS and (
                _worded_as_no_value(view, "not_bare_endpoint", text[max(start, e.char_start - 40):e.char_end])
                or any(0 <= o.char_start - e.char_end <= 25 for o in ends[k + 1:])
                or (any(o.normalized != e.normalized and text[o.char_start:o.char_end].lower().endswith(bare)
                        and ";" not in text[o.char_end:e.char_start] for o in ends[:k])
                    # (not with its own landmark: "5-year relapse-free survival was 66% versus 64% (P = .62) and 5-year
                    # survival 79% versus 78%", "the actuarial 1-year survival 84% and 87%"; made-up set 45 mu17608,
                    # mu17612)
                    and not _LANDMARK_BEFORE.search(text, max(start, e.char_start - 30), e.char_start))):
            # "distant metastasis-free survival", "had a partial response" (rules/values.yaml); "improvement in
            # patient survival (ORR 28.2%, DCR 63.4%, ...)": the word the named endpoints after it detail;
            # "Progression-free survival is about 10 months with gefitinib, whereas the survival for those treated
            # with platinum ... 6 months": the word for the endpoint the clause named before (extra pmid20031962)
            continue
        items.append(Item("endpoint", e.char_start, e.char_end, endpoint=e.normalized))
    chunk = text[start:end]
    taken = [(i.start, i.end) for i in items]
    drug_spans = view.ents_in(start, end, "DRUG")
    for m in _short_endpoint_re(view).finditer(chunk):     # abbreviations glued to a word: "cancer(ORR 41.8%"
        s, t = start + m.start(), start + m.end()
        if names_ratio(s, t) or any(d.char_start < t and s < d.char_end for d in drug_spans):
            # (a short form the text defined for a regimen is the regimen: "tucatinib plus trastuzumab and capecitabine
            # (TTC)", not time to chemotherapy; set 38 mu14906)
            continue
        if not any(a < t and s < b for a, b in taken):
            items.append(Item("endpoint", s, t, endpoint=_SHORT_FORMS[id(view.rules)][m.group(0)]))
    for m in _DURABLE_RESPONSES.finditer(chunk):
        s, t = start + m.start("median"), start + m.end("median")
        if not any(a < t and s < b for a, b in taken):
            items.append(Item("endpoint", s, t, endpoint="DOR"))
    for m in _ELLIPTICAL_FREE.finditer(chunk):   # "progression-free and overall survival": two endpoints
        s, t = start + m.start("first"), start + m.end("first")
        code = _free_survival(view, m.group("first"))
        if code and not any(a < t and s < b for a, b in taken):
            items.append(Item("endpoint", s, t, endpoint=code))
    items.sort(key=lambda i: i.start)
    owned: list[tuple[int, int]] = []
    for m in _SPREAD_VALUE.finditer(chunk):       # "7.3±5.6 months": the mean, its spread is no value
        s, t = start + m.start(), start + m.end("num")
        if not any(a <= s < b for a, b in cites):
            items.append(Item("value", s, t, value=m.group("num"), unit=_unit(m.group("unit"))))
            owned.append((start + m.start("spread"), start + m.end()))
    for m in _VALUE_RE.finditer(chunk):
        s, t = start + m.start(), start + m.end()
        if any(a <= s < b for a, b in cites):
            continue
        if m.group("nr"):
            if not any(a <= s < b for a, b in owned):     # "23.2 months (12.8-not estimable)": a bound, no value
                items.append(Item("value", s, t, value="NR", unit="months"))
            continue
        unit = _unit(m.group("unit"))
        after = text[t:t + 12]
        if unit == "%" and re.match(r"\s*(?:CI|confidence)", after, re.I):
            continue
        stated = re.search(r"(?:\b(?:was|were|is|of)|[:=])\s*$", text[max(start, s - 12):s]) is not None
        if unit in ("months", "weeks", "years") and (_TIMEPOINT_BEFORE.search(text[max(start, s - 30):s])
                                                     or (_TIMEPOINT_AFTER.match(text[t:t + 20]) and not stated)
                                                     or _TIMEPOINT_LIST.search(text[max(start, s - 40):s])) \
                and not _HALF_ALIVE_AFTER.search(text[max(start, s - 120):s]):
            continue
        num_at = start + m.start("num")          # (a sign the value's match opens with is before its number)
        if _worded_as_no_value(view, "not_value_before", text[max(start, num_at - 120):num_at]):
            continue        # a bound, a threshold, a ranking score, the size of a difference (rules/values.yaml)
        if any(a <= s < b for a, b in owned) or any(i.start == s for i in items if i.kind == "value"):
            continue
        if unit == "%" and (_worded_as_no_value(view, "not_rate_after", text[t:t + 50])
                            or _worded_as_no_value(view, "not_rate_before", text[max(start, num_at - 40):num_at])):
            continue        # "a 28% difference", "despite crossover of 66%", "TILs >=30%" (rules/values.yaml)
        if unit in ("months", "weeks", "years") and _worded_as_no_value(view, "not_time_after", text[t:t + 12]):
            continue        # "median PFS was 2.8 months longer": a gain, no arm's value (rules/values.yaml)
        if unit in ("months", "weeks", "years") and _treatment_duration(view, s, t):
            continue
        if _worded_as_no_value(view, "benchmark_after", text[t:t + 50]) or \
                (m.group("num2") and _worded_as_no_value(view, "benchmark_before", text[max(start, s - 80):s])):
            continue        # "a median OS of 6-8 months is the commonly cited expectation", "S-1 alone produces
            #                 response rates of 20-30%" (rules/values.yaml)
        r = _OWN_RANGE.match(text, t, end)
        if r:
            owned.append((t, r.end()))
        items.append(Item("value", s, t, value=_fmt(m.group("op"), m.group("num"), m.group("num2")), unit=unit))
    for m in _RANGING.finditer(chunk):
        a, b = start + m.start("a"), start + m.end("ub")
        if re.search(r"\bfollow[- ]?up\b[^.;]{0,20}$", text[max(start, start + m.start() - 30):start + m.start()], re.I):
            items[:] = [i for i in items if not (i.kind == "value" and a <= i.start < b)]
            continue                          # "median follow-up ranged between 37 and 95 months"
        inside = [i for i in items if i.kind == "value" and a <= i.start < b]
        if inside:
            items[:] = [i for i in items if i not in inside]
            items.append(Item("value", a, b, value=f"{m.group('a')}-{m.group('b')}", unit=_unit(m.group("ub"))))
    for m in [*_BARE_BEFORE_VS.finditer(chunk), *_BARE_BEFORE_FROM.finditer(chunk)]:   # "11 vs. 5.6 months": unit comes after the comparator
        s, t = start + m.start(), start + m.end()
        if any(i.start <= s < i.end for i in items) or any(a <= s < b for a, b in cites):
            continue
        if s > start and (text[s - 1].isalnum() or text[s - 1] in ".-"):
            continue
        items.append(Item("value", s, start + m.end("num2") if m.group("num2") else start + m.end("num"),
                          value=_fmt("", m.group("num"), m.group("num2")), unit=""))
    for m in _BARE_BEFORE_AND.finditer(chunk):
        s0 = start + m.start()
        if s0 > start and (text[s0 - 1].isalnum() or text[s0 - 1] in ".-/") or any(a <= s0 < b for a, b in cites):
            continue
        if not (_STATED_BEFORE.search(text, max(start, s0 - 25), s0)
                or (m.group("unit").lower().startswith(("mo", "we", "%"))
                    and _GROUP_BEFORE_PAIR.search(text, max(start, s0 - 60), s0))) \
                or _TIMEPOINT_BEFORE.search(text[max(start, s0 - 30):s0]):
            continue        # "at 6, 12 and 24 months": timepoints
        for n in re.finditer(NUM, m.group("vals")):
            s, t = s0 + n.start(), s0 + n.end()
            if not any(i.start <= s < i.end for i in items):
                items.append(Item("value", s, t, value=n.group(0), unit=_unit(m.group("unit"))))
    for m in _UNIT_AFTER_BRACKETS.finditer(chunk):    # "15.9 (95% CI 12.9-19.0) months"
        for g in ("num", "num2"):
            if not m.group(g):
                continue
            s, t = start + m.start(g), start + m.end(g)
            if any(i.start <= s < i.end for i in items) or any(a <= s < b for a, b in cites):
                continue
            if s > start and (text[s - 1].isalnum() or text[s - 1] in ".-"):
                continue
            items.append(Item("value", s, t, value=m.group(g), unit=_unit(m.group("unit"))))
    items += _declared_unit_values(view, items, cites, start, end)
    lists = sorted([*_RESPECTIVELY.finditer(chunk), *_RESPECTIVELY_BEFORE.finditer(chunk)], key=lambda m: m.start())
    for k, m in enumerate(lists, 1):
        base = start + m.start("vals")
        nums = _listed_numbers(m.group("vals"))
        while len(nums) > 2 and _unit(nums[0].group("unit") or "") in ("months", "weeks", "years") \
                and _TIMEPOINT_BEFORE.search(text, max(start, base + nums[0].start() - 30), base + nums[0].start()):
            # "At 24 months, 47.3% and 28.5% of the patients, respectively, were ...": the landmark, not a listed value
            # (set 49 mu19202, mu19210)
            nums = nums[1:]
        if len(nums) < 2:
            continue
        last_unit = _unit(nums[-1].group("unit") or "")
        pops = _listed_populations(view.text, start + m.start("pops"), start + m.end("pops"), len(nums)) if m.group("pops") else []
        arms = _respective_arms(view, start + m.start("pops"), start + m.end("pops")) if len(nums) == 2 and pops else None
        if arms:                 # "37.2 and 22.8 months in the X and placebo arms, respectively": one comparison
            _compare_arms(view, items, [base + n.start() for n in nums], arms, start + m.end())
            continue
        for idx, n in enumerate(nums):
            s, t = base + n.start(), base + n.end()
            it = next((i for i in items if i.kind == "value" and i.start == s), None)
            if it is None:
                if any(a <= s < b for a, b in cites):
                    continue
                it = Item("value", s, t, value=n.group("num"), unit=_unit(n.group("unit") or "") or last_unit)
                items.append(it)
            it.group = k
            if pops:
                it.population = pops[idx]
        if len(nums) >= 3 and pops:
            _control_of_listed_arms(view, items, [base + n.start() for n in nums], start + m.start("pops"), start + m.end("pops"))
    group_ids = itertools.count(len(lists) + 1)      # one id per list of values, the lists' above taken
    for m in _COUNTS_RESPECTIVELY.finditer(chunk):
        # "responses occurred in 124 (33.4%) and 53 (14.3%) patients, respectively": the two percentages are the list
        a = next((i for i in items if i.kind == "value" and i.start == start + m.start("a")), None)
        b = next((i for i in items if i.kind == "value" and i.start == start + m.start("b")), None)
        if a is None or b is None or a.group or b.group:
            continue
        counts = {start + m.start("an"), start + m.start("bn")}
        items = [i for i in items if not (i.kind == "value" and i.start in counts)]
        a.group = b.group = next(group_ids)
    for m in _LABELS_THEN_LIST.finditer(chunk):
        names, nums = _label_names(m), _listed_numbers(m.group("vals"))
        if len(nums) < 2 or len(names) != len(nums) or any(x.start() <= m.start("vals") < x.end() for x in lists):
            continue
        base, g = start + m.start("vals"), next(group_ids)
        for name, n in zip(names, nums):
            it = next((i for i in items if i.kind == "value" and i.start == base + n.start()), None)
            if it is None:
                it = Item("value", base + n.start(), base + n.end(), value=n.group("num"),
                          unit=_unit(n.group("unit") or "") or _unit(nums[-1].group("unit") or ""))
                items.append(it)
            it.group, it.population = g, name
    for m in _LIST_IN_THE_ARMS.finditer(chunk):
        if any(x.start() <= m.start("vals") < x.end() for x in lists):
            continue
        starts = [start + m.start("vals") + n.start() for n in _listed_numbers(m.group("vals"))]
        _control_of_listed_arms(view, items, starts, start + m.start("pops"), start + m.end("pops"))
    for m in _IN_THE_ARMS.finditer(chunk):
        # "45.2% and 11.8% for the T-DXd and docetaxel arms" (no "respectively"): the same comparison
        if _VALUE_THEN_COMMA.search(chunk[max(0, m.start() - 12):m.start()]) or any(x.start() <= m.start() < x.end() or m.start() <= x.start() < m.end() for x in lists):
            continue
        arms = _respective_arms(view, start + m.start("pops"), start + m.end("pops"))
        if arms:
            _compare_arms(view, items, [start + m.start("a"), start + m.start("b")], arms, start + m.end())
    for m in _ARMS_THEN_VALUES.finditer(chunk):
        arms = _respective_arms(view, start + m.start("pops"), start + m.end("pops"))
        if arms and not any(x.start() <= m.start("a") < x.end() for x in lists):
            _compare_arms(view, items, [start + m.start("a"), start + m.start("b")], arms, start + m.start("after"))
    # (a number inside an endpoint's name is none of its values: "tumours shrank by at least 30%", "ORR at week 24")
    named = [(i.start, i.end) for i in items if i.kind == "endpoint"]
    # (nor is the last time of a list of landmarks: "DFS at 1, 2 and 3 years was ...", "PFS rates at 2, 3 and 5 years
    # and a landmark analysis ... were prespecified"; set 57 mu22610, set 42 mu16710)
    named += [(x.start, x.end) for x in _landmark_series(text, start, end)
              if re.search(r"\b(?:at|by|after)\s+$", text[max(start, x.start - 8):x.start], re.I)]
    items = [i for i in items if i.kind != "value" or not any(a <= i.start < b for a, b in named)]
    items.sort(key=lambda i: (i.start, i.kind))
    _endpoint_list_groups(text, items, next(group_ids), view)
    _changes(text, start, items)
    _landmark_lists(view, items, end)
    _attach_comparators(text, items, view, end)
    _list_in_arm_order(view, items, start, end)
    return items


# a series of landmarks of one unit: "12-, 18- and 24-month", "2-year and 3-year", "24 and 36 months", "1-, 3- and 5-year",
# "six-month and twelve-month", "12 months and 18 months", "1-, 2-year"; the one reader of landmark lists
_LM_NUM = rf"(?:\d+|{_SPELLED})"
_LM_SEP = r"(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+)"
_LANDMARK_SERIES = re.compile(
    rf"\b(?P<nums>{_LM_NUM}(?:[- ](?P<u1>months?|years?))?-?(?:{_LM_SEP}{_LM_NUM}(?:[- ](?:months?|years?))?-?)*"
    rf"{_LM_SEP}{_LM_NUM})\s*-?\s*(?P<u>months?|years?)\b", re.I)


class _Series(NamedTuple):
    """One list of landmarks: their numbers in order ("12", "18", "24"), the unit ("month"), the first item's own
    unit as written ("" where only the last carries it), whether "and"/"or" joins the last item, and its span."""
    marks: tuple[str, ...]
    unit: str
    first_unit: str
    joined: bool
    start: int
    end: int


def _landmark_series(text: str, start: int, end: int) -> list[_Series]:
    """Every list of two or more landmarks of one unit starting in text[start:end]."""
    out = []
    for m in _LANDMARK_SERIES.finditer(text, start, end):
        nums = m.group("nums")
        marks = tuple(_WORDS.get(x.lower(), x) for x in re.findall(rf"(?<![\w.]){_LM_NUM}(?![\w.])", nums, re.I))
        joined = re.search(rf"(?:and|or)\s+{_LM_NUM}$", nums, re.I) is not None
        out.append(_Series(marks, m.group("u").lower().rstrip("s"), (m.group("u1") or "").lower(), joined,
                           m.start(), m.end()))
    return out


# between two values of one run ("56.0%, 47.3% and 40.8%", "64.0% (58.1-69.3) and 54.1%")
_RUN_GAP = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:,\s*(?:and\s+)?|and\s+)")
# between the two runs: "... versus ...", "... with X and ... with Y", "... in the X group compared with ... after Y"
_RUNS_JOIN = re.compile(r"\s*(?:\([^()]*\)\s*)?,?\s*(?P<j>versus|vs\.?|(?:as\s+)?compared\s+with|against|and)\s+(?:in\s+(?=\d))?", re.I)


def _landmark_lists(view: DocView, items: list[Item], end: int) -> None:
    """A rate's landmarks named as a list, then as many values for one arm and as many for the other ("The 12-, 18- and
    24-month PFS rates were 56.0%, 47.3% and 40.8% versus 38.2%, 28.9% and 24.6%, respectively", "OS at 24 and 36
    months was 64.0% and 54.1% with TQL-2705 and 55.9% and 44.3% with placebo", "The 2-year and 3-year OS rates were
    40.6% and 25.3% in the chemoradiotherapy group compared with 29.8% and 17.2% after immediate surgery"; made-up set
    45 mu17904, mu17908): the i-th value of each run is the i-th landmark's, the first run's compared with the
    second's. Runs joined by "and" must each name their arm after them (else they are one list)."""
    text = view.text
    values = [i for i in items if i.kind == "value" and not i.consumed and not i.comparator]
    for ep in (i for i in items if i.kind == "endpoint" and endpoint_kind(view, i.endpoint) == "time"):
        sent = view.sentence_at(ep.start)
        if sent is None:
            continue
        after = [v for v in values if ep.end <= v.start < min(end, sent.char_end) and not v.consumed]
        series = [x for x in _landmark_series(text, max(sent.char_start, ep.start - 60), after[0].start if after else ep.end)
                  if x.joined and (x.end <= ep.start + 1 or x.start >= ep.end)]
        if not series or len(after) < 2:
            continue
        marks, unit = series[-1].marks, series[-1].unit
        k = len(marks)
        run1, run2 = after[:k], after[k:2 * k]
        if len(run1) < k or any(v.unit != "%" for v in run1) \
                or not all(_RUN_GAP.fullmatch(text, a.end, b.start) for a, b in zip(run1, run1[1:])):
            continue
        arms = _compared_runs(view, run1, run2, end)
        if arms is None:
            # (one run only, as many values as landmarks: "Survival at 1, 2 and 5 years was 80%, 60% and 30%", "Disease-free
            # survival at 3 and 5 years was 78% and 70%, and overall survival ...": the i-th value is the i-th landmark's)
            for mark, a in zip(marks, run1):
                a.timepoint, a.landmark_run = a.timepoint or f"{mark}-{unit}", True
            continue
        for mark, a, b in zip(marks, run1, run2):
            a.timepoint = b.timepoint = f"{mark}-{unit}"
            a.comparator, a.comp_end, b.consumed = b.value, b.end, True
            a.arms = arms or a.arms


def _compared_runs(view: DocView, run1: list[Item], run2: list[Item], end: int) -> Optional[tuple[int, ...]]:
    """Whether the second run of values is the other arm's at the same landmarks (joined by "versus", or by "and" with each
    run's arm named after it): the two arms' spans where both are named, () where not, None where it is no comparison."""
    text = view.text
    if len(run2) < len(run1) or any(v.unit != "%" for v in run2) \
            or not all(_RUN_GAP.fullmatch(text, a.end, b.start) for a, b in zip(run2, run2[1:])):
        return None
    arm1 = _ARM_PHRASE.match(text, run1[-1].end, end)
    arm1 = arm1 if arm1 and _arm_ok(view, *arm1.span("arm")) else None
    j = _RUNS_JOIN.match(text, arm1.end("arm") if arm1 else run1[-1].end, run2[0].start)
    if j is None or j.end() != run2[0].start:
        return None
    arm2 = _ARM_PHRASE.match(text, run2[-1].end, end)
    arm2 = arm2 if arm2 and _arm_ok(view, *arm2.span("arm")) else None
    if j.group("j").lower() == "and" and not (arm1 and arm2):
        return None
    return (*arm1.span("arm"), *arm2.span("arm")) if arm1 and arm2 else ()


def _arm_order(view: DocView, start: int, end: int) -> tuple[tuple[int, int, bool], ...]:
    """The arms a span compares, or gives three or more values for, in the order it names them: (arm start, arm end,
    whether it is the control whose value the others are compared with); () where the span gives no such list. Read
    once per span."""
    return view.memo(f"arm_order_{start}_{end}", lambda: _arms_in_order([i for i in span_to_items(view, start, end)
                                                                          if i.kind == "value"]))


def _arms_in_order(vals: list[Item]) -> tuple[tuple[int, int, bool], ...]:
    """_arm_order of a span's values: the last list of values compared with one control arm, with the control's own
    value (the consumed value the list's comparator is)."""
    compared = [v for v in vals if len(v.arms) == 4 and v.comparator]
    if not compared:
        # (or a list of three or more values each with its own arm and none compared: "19.2%, 29.0%, 48.3% and 41.7% with
        # HP, HC, T-DXd and zanidatamab, respectively", set 26 mu10106)
        own = [v for v in vals if len(v.arms) == 2 and not v.comparator]
        return tuple((v.arms[0], v.arms[1], False) for v in own) if len(own) >= 3 else ()
    last = compared[-1]
    listed = [v for v in compared if v.arms[2:] == last.arms[2:] and v.comparator == last.comparator]
    spots = [w.start for w in vals if w.consumed and w.value == last.comparator]
    if not spots:
        return ()
    # (in the order the arms are named: "5.4 months in the control group and 6.1 months in the LC group" names the
    # control first, though its value became the comparator)
    order = sorted([(v.arms[0], v.arms[1], False) for v in listed] + [(*last.arms[2:], True)])
    return tuple(order)


# several landmarks before a list: "at 1, 2 and 3 years", "1-, 2- and 3-year": one value per landmark, not per arm
_LANDMARKS_LISTED = re.compile(r"\d+\s*-?\s*(?:,|and|or)\s*(?:\d+\s*-?\s*,\s*)*(?:and\s+|or\s+)?\d+\s*-?\s*(?:months?|years?)\b", re.I)


def _list_in_arm_order(view: DocView, items: list[Item], start: int, end: int) -> None:
    """"The corresponding 5-year overall survival was 79%, 77% and 72%" after "66% with high-dose CAF and 61% with
    moderate-dose CAF, as compared with 56% with low-dose CAF"; "3-year progression-free survival was 41%, 37% and
    28%" after "16.2 months with relatlimab-nivolumab, 11.5 months with nivolumab-ipilimumab, and 6.9 months with
    nivolumab": in a record comparing three or more arms, a list of as many values naming no arm or group of its own
    follows the arms of the paragraph's last such list in order, the control's value the comparator of the others
    (made-up set 21 mu8310, set 12 mu4408, set 10 mu3706); after a list of arms none of which is a control, each value
    is its own arm's (set 26 mu10106); a "respectively" pair of one endpoint after two arms compared is the same
    comparison (set 33 mu13006). Arms defined by a label: _listed_arms."""
    if view.multi_study or len(view.arm_regimens) >= 3:
        return
    values = [i for i in items if i.kind == "value" and not i.consumed]
    for run in _value_runs(view, values):
        # (two values only as a "respectively" list of one endpoint: "Median overall survival were 18.9 and 17.2
        # months, respectively" after "6.1 months in LC group and 5.4 months in TC group"; set 33 mu13006)
        # (naming no group, arm or drug of its own before the values: not "after cisplatin- and carboplatin-based
        # induction (24.1 and 20.9 mo, respectively)", set 12 mu4612)
        eps = [i for i in items if i.kind == "endpoint" and i.end <= run[0].start]
        pair = len(run) == 2 and all(v.group for v in run) and len({e.endpoint for e in eps}) == 1 and \
            not view.ents_in(eps[-1].end, run[0].start, "DRUG") and not _ARM_NOUN.search(view.text, eps[-1].end, run[0].start) \
            and not _GROUP_WORD.search(view.text, eps[-1].end, run[0].start)
        if (len(run) < 3 and not pair) or any(v.arms or v.comparator or v.population or v.timepoint for v in run) or \
                not _OWN_LIST_END.match(view.text, run[-1].end) or \
                _LANDMARKS_LISTED.search(view.text, max(start, run[0].start - 80), run[0].start):
            continue
        para = view.para_of(run[0].start)
        # (the arms listed earlier in the span itself: "... 73.0% with tamoxifen-OFS and 69.2% with tamoxifen alone;
        # in those who had not, the corresponding rates were 93.8%, 92.4% and 92.0%", set 22 mu8502)
        # (the nearest list of as many arms)
        order = _arms_in_order([i for i in items if i.kind == "value" and i.end <= run[0].start])
        for sent in reversed([x for x in view.sentences if para.start <= x.char_start and x.char_end <= start]):
            if len(order) == len(run):
                break
            order = _arm_order(view, sent.char_start, sent.char_end)
        if len(order) != len(run):
            continue
        if not any(o[2] for o in order):
            # (arms none of which is the control: each value its own arm's, compared with none)
            for v, o in zip(run, order):
                v.arms = o[:2]
            continue
        # (in a record that randomises nothing, the control of a list of three arms the text compared, "versus
        # lenvatinib", is the later lists' too)
        if not (view.is_record and (view.compares_arms or pair or len(order) >= 3)):
            continue
        c = next(k for k, o in enumerate(order) if o[2])
        for k, v in enumerate(run):
            if k != c:
                v.comparator, v.comp_end, v.arms = run[c].value, max(v.end, run[c].end), (*order[k][:2], *order[c][:2])
                if pair:
                    v.group = 0          # one comparison now, no list of its endpoint's values
        run[c].consumed = True


# "Median PFS and OS were 5.6 months (95% CI 4.1-7.1) and 12.8 months": two endpoints, then their two
# values in the same order (a "respectively" list without the word)
_EP_JOIN = re.compile(r"\s*(?:,\s*)?and\s*$", re.I)
# (also "the PFS and OS medians were 5.5 and 15.5 months", "median PFS and OS in the HER2-positive group were 4.4 and
# 7.1 months": tuning documents mu2206 of made-up set 6, mu3508 of set 9)
_EP_TO_VALUES = re.compile(r"^\s*(?:\([^()]*\)\s*)?(?:(?:medians|rates|estimates)\s+)?(?:(?:in|among|for|of)\s+(?:the\s+)?[^,;.()]{2,40}?\s+)?"
                           r"(?:were|was|of|:)\s*(?:a\s+)?(?:median\s+(?:of\s+)?)?$", re.I)
_VALUE_JOIN = re.compile(r"^" + _AFTER_NUM + r"\s*(?:,\s*)?and\s*(?:a\s+median\s+of\s+)?$", re.I)


_VALUE_COMMA = re.compile(r"^" + _AFTER_NUM + r"\s*,\s*$", re.I)


def _endpoint_list_groups(text: str, items: list[Item], group: int, view: Optional[DocView] = None) -> None:
    """Two or more endpoints, then as many values in the same order ("Median PFS and OS were 5.6 and 12.8 months";
    "ORR, DCR and CBR were 32.1% (43/134), 80.6% (108/134) and 70.9% (95/134)": set 15 mu5712): a "respectively" list
    without the word. A landmark before the first endpoint dates every rate of the list ("the 3-year event-free
    survival (EFS) and overall survival (OS) rates were 23.5% and 47.1%": set 51 mu20306, mu20312)."""
    for i in range(len(items)):
        if items[i].kind != "endpoint" or (i and items[i - 1].kind == "endpoint"):
            continue
        # the run of endpoints from i, each with where it ends: a short form bracketed after its endpoint is part of
        # it ("median progression-free survival (PFS) and median overall survival (OS) of the study group were 7.6
        # months and 15.8 months"; set 31 mu12002, set 28 mu10806)
        eps: list[Item] = []
        ends: list[int] = []
        j = i
        while j < len(items) and items[j].kind == "endpoint":
            e = items[j]
            close = re.match(r"\s*\)", text[e.end:e.end + 3])
            if eps and e.endpoint == eps[-1].endpoint and close and re.fullmatch(r"\s*\(\s*", text[ends[-1]:e.start]):
                ends[-1] = e.end + close.end()
            else:
                eps.append(e)
                ends.append(e.end)
            j += 1
        k = len(eps)
        if k < 2 or j + k > len(items):
            continue
        vals = items[j:j + k]
        if any(v.kind != "value" or v.group or not v.unit for v in vals) or len({e.endpoint for e in eps}) < k:
            continue
        if not all(re.fullmatch(r"\s*,\s*", text[a:b.start]) for a, b in zip(ends[:-2], eps[1:-1])) \
                or not _EP_JOIN.match(text[ends[-2]:eps[-1].start]) or not _EP_TO_VALUES.match(text[ends[-1]:vals[0].start]):
            continue
        if not all(_VALUE_COMMA.match(text[a.end:b.start]) for a, b in zip(vals[:-2], vals[1:-1])) \
                or not _VALUE_JOIN.match(text[vals[-2].end:vals[-1].start]):
            continue
        lm = _landmark(view, eps[0]) if view is not None else ""
        for e, v in zip(eps, vals):
            v.group = group
            if lm and v.unit == "%" and not v.timepoint and not _landmark(view, e):
                v.timepoint = lm
        group += 1


_CHANGE_VERB = re.compile(r"\b(?:increas|improv|rais|rose|decreas|reduc|lower|prolong|extend)\w*", re.I)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|to|→)\s*")


def _changes(text: str, start: int, items: list[Item]) -> None:
    """"X increased pCR rates in HER2-negative disease (20%-37%)": after a verb of change, a pair
    of rates joined like a range is the change from the control (20) to the new value (37)."""
    values = [i for i in items if i.kind == "value"]
    for v, w in zip(values, values[1:]):
        if v.unit != "%" or w.unit != "%" or v.consumed or not _RANGE_JOIN.fullmatch(text, v.end, w.start):
            continue
        if _CHANGE_VERB.search(text, start, v.start) and text[v.start - 1:v.start] in "([" and v.start > start:
            v.value, v.comparator, v.comp_end = w.value, v.value, w.end
            w.consumed = True


def _two_landmarks_before(view: Optional[DocView], at: int, items: Sequence[Item]) -> Optional[tuple[str, str]]:
    """The two landmarks named together right before the one endpoint of the values at `at`: "the 1-, 2-year OS rate
    was 85.2% and 61.4%", "six-month and twelve-month OS rates were 87.4% and 70.9%, respectively" (tuning documents
    mu3406 of made-up set 9, mu1408 of set 4)."""
    sent = view.sentence_at(at) if view is not None else None
    if sent is None:
        return None
    eps = [i for i in items if i.kind == "endpoint" and sent.char_start <= i.start < at]
    if not eps:
        return None
    for x in _landmark_series(view.text, max(sent.char_start, eps[-1].start - 40), eps[-1].start + 1):
        if x.end < eps[-1].start and not view.text[x.end:eps[-1].start].strip() and len(x.marks) == 2:
            if x.first_unit and (x.first_unit.endswith("s") or x.first_unit != x.unit):
                # "with follow-up through 60 months, 5-year DFS was 68% and 53%", "After a median follow-up of 4 years,
                # 3-year DFS was ...": a duration in plural, then one landmark
                continue
            return f"{x.marks[0]}-{x.unit}", f"{x.marks[1]}-{x.unit}"
    return None


def _separate_groups(view: Optional[DocView], at: int, items: Sequence[Item] = ()) -> Optional[tuple[str, str]]:
    """The two groups of a "values, respectively" list that names none after its values, when they are
    no randomised comparison: two doses or two labelled cohorts named before `at` in its sentence, else
    in the sentence before it (rules/values.yaml category separate_groups), with no control arm there;
    else the two groups whose values of another endpoint the sentence gave before it, each its own
    ("... 72.8% of radiotherapy-naive patients and 41.4% of those progressing after radiotherapy, with median
    PFS of 11.9 and 5.8 months, respectively": the list follows the groups of the list before it)."""
    sent = view.sentence_at(at) if view is not None else None
    if sent is None:
        return None
    rules = _value_rules(view, "separate_groups")
    prev = view.prev_sentences(sent)[:1]
    for k, chunk in enumerate([view.text[sent.char_start:at]] + [view.text[p.char_start:p.char_end] for p in prev]):
        if _control(view, chunk):
            return None
        for r in rules:
            m = r.regex.search(chunk)
            if m and m.group("a") != m.group("b"):
                noun, unit = m.groupdict().get("noun") or "", m.groupdict().get("u") or ""
                return tuple(" ".join(w for w in (noun.lower(), m.group(g), unit) if w) for g in ("a", "b"))
        if k == 0:
            before = [i for i in items if i.kind == "value" and sent.char_start <= i.start and i.end <= at
                      and not i.consumed and not i.group]
            if len(before) > 2:
                # "the ORR was 36.4% in HER2-positive patients and 12.5% in HER2-low disease, with median PFS of 5.1
                # and 3.5 months and median OS of 7.1 and 8.9 months, respectively": the values given for groups
                # (set 13 mu5104)
                before = [i for i in before if _patient_group_after(view, i)]
            if len(before) == 2 and not any(i.comparator or i.arms for i in before) and before[0].unit == before[1].unit \
                    and any(i.kind == "endpoint" and i.start < before[0].start for i in items) \
                    and all(_drug_had_before(view, before[0].start, d) for d in view.ents_in(before[0].start, at, "DRUG")) \
                    and all(_patient_group_after(view, i) for i in before):
                return before[0].population, before[1].population
    return None


# the patients a value is given for, right after it: "72.8% of radiotherapy-naive patients (cohort A)", "42.1% in cohort B
# (progression after radiotherapy)", "70.0% in the HER2-low cohort", "86.4% (95% CI, ...) for standard-risk patients" (set 51
# mu20304); not a randomised arm ("in group B", "in the placebo arm")
# ("37.1% overall and 61.3% in patients with IHC 3+ tumours": the whole group is one; set 12 mu3808)
_PATIENT_GROUP_AFTER = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:(?P<all>overall)\b|(?:of|in|among|for)\s+(?:the\s+)?(?:\d+\s+)?(?P<grp>[^;,\d()]{2,60}))", re.I)
_RANDOMISED_ARM = re.compile(r"\b(?:arm|group)s?\b|\bplacebo\b|\bcontrol\b", re.I)


def _patient_group_after(view: DocView, v: Item) -> bool:
    m = _PATIENT_GROUP_AFTER.match(view.text, v.end)
    if m is not None and m.group("all"):
        return True
    return m is not None and not _RANDOMISED_ARM.search(m.group("grp")) \
        and all(_drug_had_before(view, m.start("grp"), d) for d in view.ents_in(m.start("grp"), m.end("grp"), "DRUG"))


def _drug_had_before(view: DocView, start: int, d: EntitySpan) -> bool:
    """A drug in a group's name that the group had before, not a treatment given: "in lapatinib-naive patients",
    "in 37 patients who had previously received a HER2 TKI" (made-up set 36 mu14208, mu14212)."""
    if view.text.count("(", start, d.char_start) > view.text.count(")", start, d.char_start):
        return True              # an aside about the group: "(mostly poziotinib or pyrotinib)"
    return PATIENT_STATE.match(view.text, d.char_end) is not None or any(
        m.end() == d.char_start for r in view.rules.patterns("attribution", "prior_therapy")
        for m in r.regex.finditer(view.text, start, d.char_start))


# the join between two endpoints listed together before their values: "PFS and OS", "ORR, DCR, and CBR",
# "median PFS (mPFS) and median OS", "PFS rate and OS rate", "ORR/DCR"
_EP_LISTED = re.compile(r"\s*(?:[(\[][^()\[\]]{0,40}[)\]]\s*)?(?:[\w-]+\s+){0,2}?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*|as\s+well\s+as\s+)"
                         r"(?:the\s+)?(?:[\w-]+\s+){0,2}?", re.I)


# the population a clause opens with, before a bare pair: "in the HR-positive cohort, ", "among those with residual
# disease it was "
_GROUP_CLAUSE = re.compile(r"(?:and\s+|whereas\s+|while\s+)?" + _GROUP_OPENING + r"(?:(?:it|they)\s+(?:was|were)\s+)?", re.I)


def _respectively_pairs(items: list[Item], text: str = "", view: Optional[DocView] = None) -> dict[int, Item]:
    """value item id -> its endpoint, for values of a "..., respectively" list: the endpoints
    named since the previous value, in order, when there are as many as values."""
    out: dict[int, Item] = {}
    groups: dict[int, list[Item]] = {}
    for it in items:
        if it.kind == "value" and it.group:
            groups.setdefault(it.group, []).append(it)
    for g, vals in groups.items():
        first = vals[0].start
        prev = [v.end for v in items if v.kind == "value" and v.group != g and v.end <= first]
        lo = prev[-1] if prev else -1
        eps = [e for e in items if e.kind == "endpoint" and lo <= e.start and e.end <= first]
        if text:   # "(hazard ratio for disease progression or death, 0.51), and OS was x and y, respectively":
            # an endpoint inside a bracket that closes before the values is that bracket's, not the list's
            eps = [e for e in eps if text.count(")", e.end, first) <= text.count("(", e.end, first)] or eps
        # "median PFS (mPFS) and median OS (mOS) were respectively ...": an abbreviation is its name again
        eps = [e for i, e in enumerate(eps) if not (i and eps[i - 1].endpoint == e.endpoint and text
                                                    and re.fullmatch(r"\s*[(\[]\s*", text[eps[i - 1].end:e.start]))]
        if text and len(eps) > 1:
            # "including stable disease for at least 24 weeks, the clinical benefit rate was 38% and 31%,
            # respectively": only endpoints listed together ("PFS and OS", "ORR, DCR and CBR") share a list
            k = len(eps) - 1
            while k > 0 and _EP_LISTED.fullmatch(text, eps[k - 1].end, eps[k].start):
                k -= 1
            eps = eps[k:]
        if len({e.endpoint for e in eps}) == 1:
            eps = eps[-1:]                  # "TTP; median TTP, 6.8 months and 8.3 months, respectively"
        # (an endpoint naming the patients the list is given for is no endpoint of the list: "; among those without
        # pCR it was 62.4% and 47.3%, respectively" after "5-year EFS reached 92.0% with X and 88.9% with placebo")
        pop_eps = [e for e in eps if text and _endpoint_as_group(text, e)]
        if not eps or len(pop_eps) == len(eps):
            # "... in 24.1% of those receiving capivasertib and 11.8% of those receiving placebo in the overall
            # population, and in 29.7% and 10.2%, respectively, in the altered population", "...; in the HR-positive
            # cohort, 38.9% and 28.8%, respectively", "...; among those with residual disease it was 72.7% and
            # 60.2%, respectively": the comparison before it, again, for another population (set 21 mu8102, set 16
            # mu6102, mu6210, set 19 mu7512)
            before = [v for v in items if v.kind == "value" and v.comparator and v.end <= first and v.unit == vals[0].unit]
            ep = next((e for e in reversed(items) if e.kind == "endpoint" and before and e.end <= before[-1].start), None)
            gap = text[before[-1].end:first] if before and text else ""
            clause = re.search(r";\s+(?=[^;]*$)", gap)
            if len(vals) == 2 and vals[0].unit == vals[1].unit and not any(v.population for v in vals) and before \
                    and first - (before[-1].comp_end or before[-1].end) <= 150 and text \
                    and (not re.search(r"[;.]\s", gap)
                         or (clause and not re.search(r"\.\s", gap)
                             and _GROUP_CLAUSE.fullmatch(gap, clause.end()) is not None)) \
                    and not any(e.kind == "endpoint" and before[-1].end <= e.start < first and e not in pop_eps
                                for e in items):
                a, b = vals
                if _control_named_first(before[-1]):
                    a.value, b.value = b.value, a.value      # in the order of that comparison
                a.comparator, b.consumed, a.comp_end = b.value, True, b.end
                if ep is not None:
                    out[id(a)] = ep
                else:
                    a.group = 0          # the endpoint the sentence before named: as a bare pair after its group
                continue
        lm = next((x for x in _landmark_series(text, eps[-1].end, first) if len(x.marks) == 2 and x.marks[0].isdigit()
                   and re.search(r"\bat\s+$", text[max(0, x.start - 4):x.start])), None) if len(eps) == 1 and text else None
        marks = _two_landmarks_before(view, first, items) if len(eps) == 1 and not lm and len(vals) == 2 else None
        if lm and len(vals) == 2 and all(v.unit == "%" for v in vals):
            # "PFS at 12 months and 18 months was 76% and 67%, respectively": one rate per landmark
            vals[0].timepoint, vals[1].timepoint = (f"{a}-{lm.unit}" for a in lm.marks)
            out.update({id(v): eps[0] for v in vals})
        elif marks and all(v.unit == "%" for v in vals):
            # "six-month and twelve-month OS rates were 87.4% and 70.9%, respectively"
            vals[0].timepoint, vals[1].timepoint = marks
            out.update({id(v): eps[0] for v in vals})
        elif len(eps) == 1 and len(vals) == 2 and not any(v.population for v in vals) and vals[0].unit == vals[1].unit \
                and (groups := _separate_groups(view, vals[0].start, items)):
            # two doses or cohorts named before: one value per group, no comparison
            vals[0].population, vals[1].population = groups
            out.update({id(v): eps[0] for v in vals})
        elif len(eps) == 1 and len(vals) == 2 and not any(v.population for v in vals) and text \
                and len(cohorts := _cohorts_listed_after(text, vals[-1].end)) == 2:
            # "26.3 and 22.9 months, respectively, in cohorts A and B": one value per cohort, no comparison (set 27
            # mu10406)
            vals[0].population, vals[1].population = cohorts
            out.update({id(v): eps[0] for v in vals})
        elif len(eps) == 1 and len(vals) == 2 and not any(v.population for v in vals) and vals[0].unit == vals[1].unit:
            # one endpoint, two values, no populations: the two arms of the comparison
            vals[0].comparator, vals[1].consumed = vals[1].value, True
            vals[0].comp_end = vals[1].end
            out[id(vals[0])] = eps[0]
        elif len(eps) == len(vals) and len(vals) > 1:
            out.update({id(v): e for v, e in zip(vals, eps)})
        elif len(eps) == 1 and len(vals) > 2 and len({v.unit for v in vals}) == 1:
            out.update({id(v): eps[0] for v in vals})   # "(69, 58, and 39 months, respectively)": one per group
        elif len(vals) > 1 and eps and all(v.population for v in vals):
            out.update({id(v): eps[-1] for v in vals})   # one endpoint, one value per listed population
    return out


_VS_OPENS = re.compile(rf"\s*[(\[]\s*(?:{VS}|compared (?:with|to)|relative to)\s", re.I)
_BRACKET_AFTER = re.compile(r"\s*(?:\((?:[^()]|\([^()]*\))*\)|\[(?:[^\[\]]|\[[^\[\]]*\])*\])")
_ARM_PHRASE = re.compile(
    # ("in 64.2% of T-DXd-treated patients and in 31.8% of those receiving T-DM1": the arm after "of")
    r"\s*(?:of\s+(?:the\s+)?(?:patients|participants|those)\s+(?:receiving|treated\s+with|given|assigned\s+to)\s+"
    # ("in 21% of anastrozole-treated and 17% of tamoxifen-treated patients": the noun after the second arm only)
    r"|of\s+(?:the\s+)?(?=[\w-]+[- ](?:treated|containing)\s+(?:patients|participants|women|men|and\b|or\b|vs\b|versus\b))"
    r"|(?:of\s+(?:the\s+)?(?:patients|participants|those)\s+)?(?:with|for|in|among|on|after)\s+(?:the\s+|patients\s+(?:receiving|treated\s+with|given|on)\s+|those\s+(?:receiving|treated\s+with|given|on)\s+)?)"
    # (an arm may open with a radioligand's isotope: "8.1 months with 177Lu-LRX-0412 and 5.9 months with cabazitaxel",
    # made-up set 50 mu19804; the drug pattern of rules/drug_patterns.yaml sponsor_code)
    # (the isotope's symbol as written, a capital and maybe a small letter: the pattern is case-blind elsewhere)
    r"(?P<arm>(?:[^;:()\[\]\d]|(?-i:\d{2,3}[A-Z][a-z]?-|\[\d{2,3}[A-Z][a-z]?\]))[^;:()\[\]]{0,69}?|\d[\d.]*[\s-](?:months?|weeks?|years?|weekly)\b[^;:()\[\]\d]{0,30}?)"
    r"(?=\s*(?:,|;|\(|\)|\[|\]|\band\b|\bvs\b|\bversus\b|\bagainst\b|\bcompared\b|\bwhereas\b|\bwhile\b|\bbut\b|\.\s|\.$|$))",
    re.I)
_ARM_JOIN = re.compile(
    rf"\s*,?\s*(?:and|{VS}|(?:as\s+)?compared\s+(?:with|to)|whereas|while|but|relative\s+to)\s+(?:in\s+(?=\d))?"
    rf"(?:(?:it\s+was|was|were|a\s+median\s+of|the\s+median\s+was|median|of|only|just)[,:]?\s+)*"
    rf"(?:=\s*)?(?P<num>{NUM}|NR|not (?:yet )?reached)\s*(?P<unit>{UNIT})?", re.I)
def _control(view: Optional[DocView], text: str) -> bool:
    """Whether a span names a control arm ("placebo", "chemotherapy alone", "observation"):
    rules/attribution.yaml category control_arm; not the words of an experimental_group in a text that also names a
    control group ("the observation group and the control group")."""
    if view is None:
        return False
    mine = [m.span() for r in view.rules.patterns("attribution", "experimental_group") for m in r.regex.finditer(text)] \
        if _names_control_group(view) else []
    return any(not any(a <= m.start() < b for a, b in mine)
               for r in view.rules.patterns("attribution", "control_arm") for m in r.regex.finditer(text))


def _defined_arm_pair(view: DocView) -> Optional[tuple[str, str]]:
    """(the studied arm's regimen, the control's) of a record that defines exactly two arms by label, one of them named a
    control ("the control group", "arm B (placebo plus ...)"); None otherwise."""
    arms = view.arm_regimens
    if not view.is_record or len(arms) != 2:
        return None
    ctrl = [lab for lab in arms if _control(view, lab)]
    if len(ctrl) != 1:
        return None
    other = next(lab for lab in arms if lab != ctrl[0])
    return (arms[other], arms[ctrl[0]]) if arms[other] != arms[ctrl[0]] else None


def _names_control_group(view: DocView) -> bool:
    """Whether the text names a "control group" (found once per document)."""
    return view.memo("names_control_group", lambda: re.search(r"\bcontrol\s+groups?\b", view.text, re.I) is not None)
_ARM_NOUN = re.compile(r"\b(?:arms?|groups?|cohorts?)\b", re.I)
# "56% with the combination and 34% with chemotherapy alone": a word for the regimen studied; a treatment strategy
# ("26.7 months with the DFI strategy and 28.1 months with continuation", "8.1 months with maintenance and 3.4 months
# with observation"; made-up set 53 mu21108, mu21110)
_REGIMEN_WORD = re.compile(r"\b(?:combination|doublet|triplet|experimental|investigational|strateg(?:y|ies)|maintenance|continuation"
                           r"|continuous|intermittent)\b", re.I)


# arms that differ by schedule, duration or route of the same treatment: "35% with weekly and 17% with 3-weekly
# administration", "86.9% with 6 months and 88.3% with 12 months", "9.8 months with oral and 9.4 months with intravenous
# vinorelbine" (made-up set 53 mu20902, mu20904) (dose cohorts stay each its own result: test_dose_arms_are_arms)
_SCHEDULE_ARM = re.compile(
    r"(?:the\s+)?(?:\d{1,3}(?:\.\d+)?\s*(?:months?|weeks?|years?)"
    r"|(?:weekly|(?:\d|two|three|four)-weekly|every[- ](?:\d|two|three|four)[- ]weeks?|(?:once|twice)[- ]daily|daily"
    r"|oral|intravenous|subcutaneous|intramuscular))"
    r"(?:\s+(?:of\s+\w+|administration|schedule|dosing|dose|regimen|arm|group|cohort|treatment))?", re.I)


_LINE_GROUP = re.compile(r"(?:the\s+)?(?P<name>.+?)\s+(?:cohort|group|setting|patients)", re.I)


def _line_groups(view: Optional[DocView], *names: str) -> bool:
    """Groups named by line of therapy only ("second-line", "later-line", "third-or-later-line"; the words of
    rules/lines.yaml), in a record that does not randomise them: patients grouped by line, each its own result, no
    comparison."""
    if view is None or (view.is_record and view.compares_arms):
        return False
    return all(_only_line(view, n) for n in names)


def _only_line(view: DocView, name: str) -> bool:
    """A name that is nothing but a line of therapy (an ordinal, a line and the words that join them)."""
    lines = [s for s in find_lines(name, view.rules) if s.value not in ("adjuvant", "neoadjuvant", "extended adjuvant")]
    if not lines:
        return False
    rest = list(name)
    for a, b in [(s.start, s.end) for s in lines] + [m.span() for r in view.rules.patterns("lines", "ordinal")
                                                      for m in r.regex.finditer(name)]:
        rest[a:b] = " " * (b - a)
    return re.fullmatch(r"[\s,/-]*(?:(?:or|and|to)[\s,/-]*)*", "".join(rest), re.I) is not None


_NO_ARM = re.compile(r"\b(?:mutation|mutated|wild[- ]type|amplification|expression|positive|negative|high|low)\b", re.I)


def _arm_ok(view: Optional[DocView], a: int, b: int) -> bool:
    """An arm phrase names a treatment (a drug, a control word, or an arm/group noun), not a subgroup."""
    chunk = view.text[a:b] if view is not None else ""
    if view is not None and re.search(r"\bafter\s+$", view.text[max(0, a - 10):a]):
        # "67.4% of patients after TCHP and 66.1% after FEC-THP": a regimen named by the short form the text defined
        # for it is the arm given; any other "after X" is a treatment given before ("4.4 months after sunitinib")
        ents = view.ents_in(a, b, "DRUG")
        return bool(ents) and all(re.fullmatch(r"[A-Z][A-Za-z0-9]{1,7}", e.text) and (" + " in e.normalized or e.source == "abbreviation")
                                  for e in ents) \
            and re.fullmatch(r"[\s+/-]*", _strip_spans(view.text, a, b, ents)) is not None
    if re.fullmatch(r"(?:the\s+)?(?:arm|cohort|group|part)\s*[A-Z0-9]{1,3}", chunk.strip(), re.I) and not (
            view is not None and view.is_record and view.compares_arms and re.match(r"\s*(?:the\s+)?(?:arm|group)", chunk, re.I)):
        # "for arm 4": a cohort label of a multi-cohort study, not a comparison; in a randomised record
        # "in arm P and ... in arm C" are its arms
        return False
    if not chunk or _NO_ARM.search(chunk):
        return False
    if (lg := _LINE_GROUP.fullmatch(chunk.strip())) and _line_groups(view, lg.group("name")):
        # "5.3 months in the second-line cohort and 3.9 months in the later-line cohort" of one treatment: patients
        # grouped by line, each its own result (set 15 mu5704, set 47 mu18502, mu18506); in a record that randomises
        # the line ("31.2 months in the first-line group and 22.0 months in the second-line group") they are its arms
        return False
    if view is not None and view.ents_in(a, b, "DRUG") and not view.drugs_in(a, b, stop_at_comparator=False)[0]:
        # "60.9% in the patients without prior chemotherapy and 44.1% in those with prior chemotherapy", "those
        # pretreated with lapatinib": patients grouped by what they had before, not treatment arms (set 18 mu6802,
        # set 17 mu6510)
        return False
    if _BIOMARKER_GROUP.search(chunk) and not _names_treatment(view, a, b):
        # "7.9 months in the IHC 2+/ISH- cohort and 5.5 months in the IHC 1+ cohort": biomarker cohorts, each
        # its own result (set 2 mu708)
        return False
    if _SCHEDULE_ARM.fullmatch(chunk.strip()):
        return True
    return bool(_control(view, chunk) or _ARM_NOUN.search(chunk) or _REGIMEN_WORD.search(chunk)
                or (view is not None and _names_treatment(view, a, b)))


def _strip_spans(text: str, a: int, b: int, spans: Sequence[EntitySpan]) -> str:
    """text[a:b] without the entity spans in it."""
    out, p = [], a
    for e in spans:
        out.append(text[p:e.char_start])
        p = e.char_end
    return "".join(out) + text[p:b]


def _adds_to(view: Optional[DocView], arm: tuple[int, int], other: tuple[int, int]) -> bool:
    """An add-on design: `arm` gives every drug of `other` and more ("4.8 months on F and 4.6
    months on F + P"): `arm` is the experimental one, `other` its backbone, the control."""
    if view is None:
        return False
    # (arm labels by their defined regimens only where the text defines two arms: of three, one may be the other's
    # drugs given another way, "AC then paclitaxel with trastuzumab (arm C)" beside "... then trastuzumab (arm B)")
    two = len(view.arm_regimens) == 2
    return _regimen_within(_arm_regimen(view, *other, labels=two), _arm_regimen(view, *arm, labels=two))


def _arm_regimen(view: DocView, a: int, b: int, labels: bool = True) -> str:
    """The regimen an arm phrase names: its drugs, or, for a label the text defined ("in arm B"), the regimen
    the label was defined with ("tamoxifen plus everolimus (arm B)")."""
    named = join_regimen(view.drugs_in(a, b, stop_at_comparator=False)[0])
    if named or not labels:
        return named
    return view.arm_regimens.get(_label_named(view, a, b), "")


def _label_named(view: DocView, a: int, b: int) -> str:
    """The arm label (lower case) an arm phrase is, nothing else: "the N group", "arm B"; "" when it is more."""
    label = _ARM_LABEL_ONLY.fullmatch(view.text, a, b)
    return re.sub(r"\s+", " ", label.group("label").lower()) if label else ""


_ARM_LABEL_ONLY = re.compile(rf"\s*(?:the\s+)?(?P<label>(?i:{ARM_LABEL})|{NAMED_ARM})\s*")


def _control_first(view: Optional[DocView], text: str, arm1: tuple[int, int], arm2: tuple[int, int]) -> bool:
    """The first of two arms is the control (a control word only there, or the second adds to it):
    the value is the second arm's, the first's its comparator."""
    return (_control(view, text[arm1[0]:arm1[1]]) and not _control(view, text[arm2[0]:arm2[1]])) \
        or _adds_to(view, arm2, arm1) or _label_is_control(view, arm1) or _title_control_first(view, arm1, arm2)


def _title_control_first(view: Optional[DocView], arm1: tuple[int, int], arm2: tuple[int, int]) -> bool:
    """The first arm gives only drugs the record's title compares against and the second a drug outside them
    ("Trastuzumab emtansine versus trastuzumab ...": "66.4% with trastuzumab as compared with 79.8% with T-DM1";
    made-up set 16 mu6208, set 25 mu9612)."""
    if view is None:
        return False
    control = _title_comparator(view)
    first = {e.normalized for e in view.ents_in(*arm1, "DRUG")}
    second = {e.normalized for e in view.ents_in(*arm2, "DRUG")}
    return bool(control and first and second) and first <= control and not second <= control


def _label_is_control(view: Optional[DocView], arm: tuple[int, int]) -> bool:
    """An arm named by the label of the control arm the text defined among three or more ("(arm A, control)")."""
    if view is None:
        return False
    return _label_named(view, *arm) == _control_label(view) != ""


# the control's value after a pair of arms' values: ", as compared with 79.9%", "versus 66.3%"
_CONTROL_JOIN = re.compile(rf"\s*,?\s*(?:(?:as\s+)?compared\s+(?:with|to)|{VS})\s+(?P<num>{NUM})\s*(?P<unit>{UNIT})?", re.I)


def _control_after_pair(view: Optional[DocView], text: str, v: Item, j: re.Match, arm1: tuple[int, int],
                        arm2: tuple[int, int], stop: int, end: int) -> Optional[tuple[re.Match, tuple[int, int], int]]:
    """'A% with X and B% with Y, as compared with C% with Z' (made-up set 22 mu8502, set 21 mu8310, set 19 mu7204):
    two arms joined by "and", then a third value, compared, whose arm names a control ("alone", "low-dose") or is
    the pair's common part: (the third value's match, its arm span, where the comparison ends); None otherwise."""
    if view is None or not re.fullmatch(r"\s*,?\s*and\s+", text[arm1[1]:j.start("num")]):
        return None
    c = _CONTROL_JOIN.match(text, stop, end)
    if not c or (_unit(c.group("unit") or "") or v.unit) != v.unit:
        return None
    q = c.end()
    b = _BRACKET_AFTER.match(text, q, end)
    a3 = _ARM_PHRASE.match(text, b.end() if b else q, end)
    if not a3 or not _arm_ok(view, a3.start("arm"), a3.end("arm")):
        return None
    arm3 = (a3.start("arm"), _drug_list_end(view, a3.end("arm"), end))
    return c, arm3, arm3[1]


def _two_arms(view: Optional[DocView], text: str, v: Item, end: int) -> Optional[tuple]:
    """'19.2 months with X and 14.6 months with Y', '7.2 months in the A group, as compared with
    3.6 months in the B group': (second value match, arm 1 span, arm 2 span, end)."""
    p = v.end
    b = _BRACKET_AFTER.match(text, p, end)
    if b:
        p = b.end()
    a1 = _ARM_PHRASE.match(text, p, end)
    if not a1 or not _arm_ok(view, a1.start("arm"), a1.end("arm")):
        return None
    # an arm's regimen runs on through "and" ("12.4 months with zanidatamab and chemotherapy and 8.1 months ...")
    a1_end = _drug_list_end(view, a1.end("arm"), end) if view is not None else a1.end("arm")
    j = _ARM_JOIN.match(text, a1_end, end)
    if not j:
        return None
    q = j.end()
    b = _BRACKET_AFTER.match(text, q, end)
    if b:
        q = b.end()
    a2 = _ARM_PHRASE.match(text, q, end)
    # the second arm of "16.1 months on T-DXd vs 11.9 months on RAM+PTX" may name a regimen no lexicon
    # knows; it must still be no patient group
    if not a2 or not (_arm_ok(view, a2.start("arm"), a2.end("arm"))
                      or (a2.start("arm") < a2.end("arm") and not _NO_ARM.search(text, a2.start("arm"), a2.end("arm"))
                          and re.match(r"\s*(?:on|with)\b", text[q:a2.start("arm")]))
                      # ("79.4% after THP versus 74.1% after TH": the other arm's short form, if no lexicon knows it)
                      or (re.match(r"\s*after\b", text[q:a2.start("arm")]) and re.search(r"\bafter\s+$", text[max(0, a1.start("arm") - 10):a1.start("arm")])
                          and re.fullmatch(r"[A-Z][A-Za-z0-9+/-]{1,9}", text[a2.start("arm"):a2.end("arm")]) is not None)):
        return None
    a2_end = _drug_list_end(view, a2.end("arm"), end) if view is not None else a2.end("arm")
    return j, (a1.start("arm"), a1_end), (a2.start("arm"), a2_end), a2_end


_ARM_BRACKET = re.compile(r"\s*\(\s*(?P<arm>[A-Za-z][^()\[\];,%]{0,50}?)\s*\)")


def _bracketed_arms(view: Optional[DocView], text: str, v: Item, end: int) -> Optional[tuple]:
    """'79.0% (lorlatinib) and 74.3% (alectinib)', '80.2% (pyrotinib) and 61.5% (lapatinib)': each value's arm in
    the bracket right after it, both naming a treatment (made-up set 11 mu4214, set 2 mu602, set 4 mu1212, set 1
    mu318): (second value match, arm 1 span, arm 2 span, end)."""
    a1 = _ARM_BRACKET.match(text, v.end, end)
    if a1 is None:
        return None
    j = _ARM_JOIN.match(text, a1.end(), end)
    a2 = _ARM_BRACKET.match(text, j.end(), end) if j else None
    if a2 is None:
        return None
    arms = [(m.start("arm"), m.end("arm")) for m in (a1, a2)]
    if not all(_arm_ok(view, a, b) and view is not None and (view.ents_in(a, b, "DRUG") or _control(view, text[a:b]))
               for a, b in arms):
        return None
    return j, arms[0], arms[1], a2.end()


# the second arm named before its value: "the ORR of the X group was 72.6% and the placebo group was
# 58.4%", "94.1% for the X arm, and the observation arm was 89.6%"
_ARM_BEFORE = re.compile(r"\b(?:of|in|for|with)\s+(?:the\s+)?(?P<arm>[A-Za-z][^;:()\[\]\d.,]{0,50}?\b(?:arms?|groups?|cohorts?))"
                         r"\s*(?:was|were|:|=|,)?\s*$", re.I)
_ARM_THEN_VALUE = re.compile(
    rf"\s*,?\s*(?:and|whereas|while|but|{VS}|compared\s+with)\s+(?:(?:that|those)\s+(?:of|in|for)\s+|(?:in|for|of)\s+)?(?:the\s+)?"
    rf"(?P<arm>[A-Za-z][^;:()\[\]\d.,]{{0,50}}?\b(?:arms?|groups?|cohorts?))\s*(?:was|were|had|reached|showed|:|=|,)\s*"
    rf"(?:only\s+|just\s+)?(?P<num>{NUM}|NR|not (?:yet )?reached)\s*(?P<unit>{UNIT})?", re.I)


def _arm_then_value(view: Optional[DocView], text: str, v: Item, end: int) -> Optional[tuple]:
    """A value with its arm (after it, or before: "of the X group was") compared with a second arm
    named before its own value (_ARM_THEN_VALUE): (match, arm 1 span, arm 2 span)."""
    p = v.end
    b = _BRACKET_AFTER.match(text, p, end)
    p = b.end() if b else p
    own = _ARM_PHRASE.match(text, p, end)
    if own and _arm_ok(view, own.start("arm"), own.end("arm")):
        arm1, p = (own.start("arm"), own.end("arm")), own.end("arm")
    else:
        m = _ARM_BEFORE.search(text, max(0, v.start - 80), v.start)
        if not m or not _arm_ok(view, m.start("arm"), m.end("arm")):
            return None
        arm1 = (m.start("arm"), m.end("arm"))
    j = _ARM_THEN_VALUE.match(text, p, end)
    if not j or not _arm_ok(view, j.start("arm"), j.end("arm")):
        return None
    return j, arm1, (j.start("arm"), j.end("arm"))


# each arm, then its value in a bracket: "longer with pyrotinib plus capecitabine (12.5 months; 95% CI, 9.7 to not reached)
# than with lapatinib plus capecitabine (6.8 months; ...)", "in 2 patients in the exemestane group (2.7%) and in 4
# patients in the chemotherapy group (5.3%)", "between patients who received ET plus everolimus (88% [95% CI, 85 to
# 91]) or ET plus placebo (89% [...])" (set 1 mu220, set 21 mu8008, real extra pmid35605174)
_ARM_OPENS_BRACKET = re.compile(r"\b(?:with|receiving|received|given|in|among|on)\s+(?:the\s+)?"
                                r"(?P<arm>[A-Za-z][^;:()\[\]%\d]{1,50}?)\s*\(\s*$", re.I)
_BRACKET_REST = r"[^()\[\]]*(?:[\[(][^()\[\]]*[\])][^()\[\]]*)*[)\]]"
_ARM_THEN_BRACKET = re.compile(
    rf"{_BRACKET_REST}\s*,?\s*(?:and|or|than|{VS}|compared\s+with)\s+(?:(?:with|in|among|on)\s+)?"
    rf"(?:(?:\d+|[a-z]+)\s+patients\s+(?:in|with|on)\s+)?(?:the\s+)?"
    # (the arm right after the joining word: not "highest with T-DXd (76.4%) and lowest with lapatinib (29.8%)", a ranking
    # of values each its own; set 18 mu6902)
    rf"(?P<arm>[A-Za-z](?:(?!\s(?:with|among)\s)[^;:()\[\]%\d]){{0,50}}?)\s*\(\s*(?P<num>{NUM}|NR|not (?:yet )?reached)\s*(?P<unit>{UNIT})?", re.I)


def _arm_bracket_pair(view: Optional[DocView], text: str, v: Item, end: int) -> Optional[tuple]:
    """Two arms each with its value in a bracket after it (_ARM_OPENS_BRACKET, _ARM_THEN_BRACKET): (match, arm 1
    span, arm 2 span), both arms treatments (_arm_ok)."""
    m = _ARM_OPENS_BRACKET.search(text, max(0, v.start - 80), v.start)
    if not m:
        return None
    j = _ARM_THEN_BRACKET.match(text, v.end, end)
    arms = [(m.start("arm"), m.end("arm"))] + ([(j.start("arm"), j.end("arm"))] if j else [])
    if not j or not all(_arm_ok(view, a, b) for a, b in arms):
        return None
    return j, arms[0], arms[1]


# a percentage of patients with its outcome, then the other arm's: "42.1% of olaparib-treated patients were
# alive, relative to 33.0% of those given placebo", "85.1% of patients given X remained free of invasive
# disease versus 80.6% with Y"; and two percentages before it: "63% and 51% of patients were alive"
_COUNTED_THEN_VS = re.compile(
    rf"\s*of\s+[^,;()%\d]{{0,80}}?\b(?:were|was|remained|had|achieved|attained)\b[^,;()%\d]{{0,60}}?\s*,?\s*"
    rf"(?:relative\s+to|compared\s+(?:with|to)|{VS}|as\s+opposed\s+to)\s+(?P<num>{NUM})\s*%", re.I)
_PAIR_THEN_COUNTED = re.compile(
    rf"\s*(?:and|{VS})\s+(?P<num>{NUM})\s*%\s+(?=of\s+(?:the\s+)?(?:patients|participants|women|men)\b[^,;()%\d]{{0,40}}?"
    # (and "respectively" before the verb: "47.3% and 28.5% of the patients, respectively, were alive without disease
    # progression", made-up set 49 mu19202, mu19210)
    rf"(?:,?\s*respectively\s*,?\s*)?\b(?:were|remained)\b)", re.I)
# each percentage with its group, then what the groups were: "48% of niraparib recipients and 20% of placebo recipients
# were alive without progression", "85.9% of women in the carboplatin group and 78.4% in the control group were alive
# ...", "61% of cohort 1 and 40% of cohort 2 were alive" (set 12 mu4404, set 23 mu9112, mu9102, set 2 mu720): two arms
# compared, or two groups each with its own value
_GROUPS_THEN_STATE = re.compile(
    rf"\s*of\s+(?P<arm1>[^,;:()%]{{1,60}}?)\s*,?\s+and\s+(?P<num>{NUM})\s*%\s+(?:of|in)\s+(?P<arm2>[^,;:()%]{{1,80}}?)"
    rf"\s+(?=(?:were|was|remained)\b)", re.I)


def _groups_then(text: str, at: int, stop: int) -> bool:
    """Whether two groups' percentages (see _GROUPS_THEN_STATE) run from `at` up to `stop`, where what they were is named."""
    m = _GROUPS_THEN_STATE.match(text, at)
    return m is not None and m.end() == stop


# counts with their percentage, compared between two arms: "77 (43.3%) patients in the pyrotinib
# group and 45 (25.4%) in the placebo group", "in 102 of 152 patients (67.1%) in the X arm and in 77
# of 150 (51.3%) in the Y arm", "52 (34%) of 153 patients versus eight (5%) of 151"
# ("7 of 104 evaluable ESR1-mutated patients (6.7%)": qualifiers of the patients; set 16 mu6002)
_COUNT_OPEN = re.compile(r"(?:\b\d+|\b[A-Za-z]+(?:-[a-z]+)?)\s*(?:of\s+\d+\s*)?(?:(?:[\w-]+\s+){0,3}?(?:patients|pts|participants|women|men))?\s*\(\s*$", re.I)
# "in the X arm", or "treated with X" ("124 patients (55.6%) treated with KP and 141 patients (62.7%) treated with TCHP")
# (also the regimen after a bare "with", checked by _arm_ok: "61/109 (56.0%) patients with TCHP and 42/111 (37.8%) with
# TCH (difference ...)", "98 of 299 (32.8%) receiving N+C v 80 of 300 (26.7%) receiving L+C"; set 3 mu1006, set 5 mu1802)
# (an arm named by a sponsor code holds digits: "in the ZB-7716 arm", set 16 mu6002; "of 253 patients given ESK-2290",
# "of 17 with KRX-1207", set 51 mu20012, set 41 mu16008)
_CODE_DIGITS = r"(?<=[A-Z]-)\d+|(?<=[A-Z])\d+"
_COUNT_ARM = (rf"\s*(?:(?:in|with|among|on)\s+(?:the\s+)?[A-Za-z](?:[^;:()\[\]\d.]|{_CODE_DIGITS}){{0,60}}?\b(?:arms?|groups?|cohorts?)\b"
              rf"|(?:treated\s+with|receiving|given|who\s+received|with)\s+[A-Za-z](?:[^;:,()\[\]\d.]|{_CODE_DIGITS}){{0,40}}?"
              r"(?=\s*(?:[,;.()]|\band\b|\bversus\b|\bvs\b|\bv\b|$)))")
# ("... and in none (0%) of eight with docetaxel": a total in words; set 41 mu16008)
_COUNT_CLOSE = rf"\s*(?:[;,][^()]{{0,40}})?\)(?:\s*of\s+(?:\d+|{_SPELLED})\b)?(?:\s*(?:patients|pts|participants|women|men))?"
_COUNT_PAIR = re.compile(
    rf"{_COUNT_CLOSE}(?P<arm1>{_COUNT_ARM})?\s*,?\s*(?P<join>and|{VS}|compared\s+with)\s+(?:(?:in|among)\s+)?"
    rf"(?:\d+|[A-Za-z]+(?:-[a-z]+)?)\s*(?:(?:of|/)\s*\d+\s*)?(?:patients|pts|participants|women|men)?\s*\(\s*(?P<num>{NUM})\s*%"
    rf"{_COUNT_CLOSE}(?P<arm2>{_COUNT_ARM})?", re.I)


# another arm's counted share before or after a pair: "58 of 101 patients (57.4%) with TCHP, | 46 of 102 (45.1%) with
# T-DM1-P, and 66 of 100 (66.0%) ..."
_COUNT_LIST_BEFORE = re.compile(r"%\s*\)\s*(?:with|receiving|in|among|on|given|treated\s+with)\s+[^;:()%\d]{1,80},\s*(?:and\s+)?"
                                r"\d+\s*(?:(?:of|/)\s*\d+\s*)?(?:patients\s*)?\(\s*$", re.I)
_COUNT_LIST_AFTER = re.compile(r"\s*,\s*(?:and\s+)?\d+\s*(?:of|/)\s*\d+\s*(?:patients\s*)?\(\s*\d", re.I)


def _count_pair(view: Optional[DocView], text: str, v: Item, end: int) -> Optional[tuple]:
    """A percentage of a count compared with the other arm's (see _COUNT_PAIR): (match, arm 1 span or
    None, arm 2 span or None)."""
    if v.unit != "%" or not _COUNT_OPEN.search(text, max(0, v.start - 40), v.start):
        return None
    m = _COUNT_PAIR.match(text, v.end, end)
    if not m:
        return None
    if m.group("join").lower() == "and" and (_COUNT_LIST_BEFORE.search(text, max(0, v.start - 160), v.start)
                                             or _COUNT_LIST_AFTER.match(text, m.end(), end)):
        return None       # three or more arms listed by their counts: each its own value (set 8 mu2910)
    if not m.group("arm1") or not m.group("arm2"):
        # without both arms only "versus" compares: "48 (52.2%) and 10 (10.9%) ..., respectively" lists; in a
        # record that randomises, two counted shares joined by "and" with no list after them are its two arms
        # ("pCR was achieved by 89 of 178 (50.0%) and 53 of 177 (29.9%) patients")
        if m.group("join").lower() != "and":
            return m, None, None
        two_arms = view is not None and view.is_record and view.compares_arms and not re.search(
            r"^[^.;]{0,80}?\brespectively\b", text[m.end():end])
        return (m, None, None) if two_arms else None
    arms = [(m.start(k), m.end(k)) for k in ("arm1", "arm2")]
    if not all(_arm_ok(view, a, b) for a, b in arms):
        return None
    return m, arms[0], arms[1]


# "median OS was not reached in either arm": the same value in both
_EITHER_ARM = re.compile(r"\s*(?:in|for)\s+(?:either|both|the\s+two)\s+(?:arms?|groups?|cohorts?)\b", re.I)
_LIST_JOIN = re.compile(rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<num>{NUM}|NR|not (?:yet )?reached)\s*(?P<unit>{UNIT})?", re.I)


def _arm_chain(view: Optional[DocView], text: str, v: Item, end: int) -> list[tuple[int, int, int]]:
    """'5% with X (...), 20% with Y, and 0% with Z': three or more values, each followed by its own
    arm, are a list of arms, not one comparison: (value start, arm start, arm end) of each."""
    chain: list[tuple[int, int, int]] = []
    start, p = v.start, v.end
    while True:
        b = _BRACKET_AFTER.match(text, p, end)
        a = _ARM_PHRASE.match(text, b.end() if b else p, end)
        if not a or not _arm_ok(view, a.start("arm"), a.end("arm")):
            break
        # (an arm's regimen runs on through "and": "12.6 months with fluorouracil and leucovorin, and 11.3 months ...")
        a_end = _drug_list_end(view, a.end("arm"), end) if view is not None else a.end("arm")
        chain.append((start, a.start("arm"), a_end))
        b = _BRACKET_AFTER.match(text, a_end, end)
        j = _LIST_JOIN.match(text, b.end() if b else a_end, end)
        if not j:
            break
        start, p = j.start("num"), j.end()
    return chain if len(chain) >= 3 else []


def _control_of_chain(view: Optional[DocView], text: str, chained: list[Item], end: int) -> None:
    """A list of three or more arms' values with one control arm among them ("10.4 months with fluorouracil alone,
    12.6 months with fluorouracil and leucovorin, and 11.3 months with fluorouracil and methotrexate", "9.8 months with
    olaparib, 12.4 months with the combination and 4.1 months with observation"): the control's value is the
    comparator of each other arm's, not a result of its own (as _multi_arm_pairs for labelled arms). Only in a record of
    a randomised trial: elsewhere "9% with afatinib alone, 25% with afatinib plus vinorelbine and 0% with afatinib plus
    paclitaxel" may be three cohorts' results."""
    if view is None or not (view.is_record and view.compares_arms):
        return
    controls = [w for w in chained if _control(view, text[w.arms[0]:w.arms[1]])] or _named_reference(view, text, chained, end) \
        or _declared_reference(view, chained)
    others = [w for w in chained if w not in controls and w.unit in ("", controls[0].unit)] if len(controls) == 1 else []
    if len(others) < 2 or len(others) != len(chained) - 1:
        return
    c = controls[0]
    for w in others:
        w.comparator, w.arms = c.value, (*w.arms, *c.arms)
    c.consumed = True


def _declared_reference(view: DocView, chained: list[Item]) -> list[Item]:
    """Of a list of arms' values, the arm given the regimen the record marked as its reference ("... (CF-T, reference)":
    "46.3% with CF-T, 55.7% with XELOX-T and 51.5% with SOX-T"): [its value], or []."""
    ref = view.reference_regimen
    found = [w for w in chained if ref and _arm_regimen(view, *w.arms) == ref]
    return found if len(found) == 1 else []


# the arm a comparison names as its reference: "(HR v palbociclib, 0.86)", "(T+OFS versus T: HR 0.78)"
_VERSUS_REFERENCE = re.compile(r"\b(?:v|vs|versus)\.?\s+(?P<ref>[A-Za-z][\w+/-]*(?:\s+(?!(?:and|or|with|in|for)\b)[A-Za-z][\w+/-]*){0,3})", re.I)


def _regimen_or_words(view: DocView, text: str, a: int, b: int) -> str:
    """The regimen text[a:b] names, else its words (an arm the lexicon does not know: "T+OFS")."""
    return _arm_regimen(view, a, b) or re.sub(r"\s+", " ", text[a:b].strip().lower())


def _versus_named(view: DocView, text: str, a: int, b: int) -> set[str]:
    """The arms the comparisons in text[a:b] are made against ("(HR v palbociclib, 0.86)", "(T+OFS versus T: HR 0.78)",
    "(weighted hazard ratios versus lenvatinib, ...)"): their regimens, else their words; the one reference of a list
    of arms where exactly one is named (_named_reference, _reference_among)."""
    return {_regimen_or_words(view, text, m.start("ref"), m.end("ref")) for m in _VERSUS_REFERENCE.finditer(text, a, b)}


def _named_reference(view: DocView, text: str, chained: list[Item], end: int) -> list[Item]:
    """Of a list of arms' values naming no control word, the one arm every comparison after the list is made against
    ("9.4 months with palbociclib, 11.2 months with ribociclib (HR v palbociclib, 0.86) and 12.5 months with abemaciclib";
    "71.9% with T, 75.0% with T+OFS and 77.8% with E+OFS (T+OFS versus T: HR 0.78; E+OFS versus T: HR 0.85)"; made-up
    set 22 mu8608, set 17 mu6606): [its value], or [] where no such arm or more than one is named."""
    arms = {id(w): _regimen_or_words(view, text, *w.arms) for w in chained}
    refs = _versus_named(view, text, chained[0].start, end)
    found = [w for w in chained if arms[id(w)] in refs]
    return found if len(found) == 1 and len(refs) == 1 else []


_GROUPS_AFTER = re.compile(r"\s*(?:treatment\s+)?(?:groups|arms|cohorts)\b", re.I)
_IN_OPEN_BRACKET = re.compile(r"\(\s*(?:(?:the\s+)?median[,:]?\s*(?:was\s+|of\s+)?)?$", re.I)
_BRACKETED_VS = re.compile(
    rf"[^()]{{0,60}}\)\s*,?\s*(?:{VS}|compared (?:with|to))\s+[^()\d;.]{{1,80}}?\(\s*(?:(?:the\s+)?median[,:]?\s*(?:was\s+|of\s+)?)?"
    rf"(?P<num>{NUM})\s*(?P<unit>{UNIT})?", re.I)


def _drug_list_end(view: DocView, p: int, end: int) -> int:
    """The end of a list of drugs continuing at p ("with trastuzumab|, pertuzumab, and docetaxel");
    p itself when the list names groups ("in the endocrine therapy and chemotherapy groups": each its own)."""
    q = view.drug_list_end(p, end)
    return p if _GROUPS_AFTER.match(view.text, q, end) else q


# a value, then the control group's, compared by a word: "... significantly higher than 32.5% (13/40) in control group",
# "... was higher than that of chemotherapy group (40.00%)", "... obviously higher than that of the control group [36.00%"
# (the English of Chinese-language journals; set 31 mu12002, mu12004, mu12006, mu12008, mu12010, set 21 mu8212)
_THAN = (r"(?:(?:which|that|it)\s+(?:was|were|is)\s+|(?:was|were)\s+)?(?:(?:significantly|obviously|markedly|much|clearly)\s+)?"
         r"(?:higher|longer|greater|better|superior|lower|shorter)\s+than")
_THAN_CONTROL = re.compile(
    rf"\s*\)?\s*(?:[(\[][^()\[\]]{{0,40}}[)\]]\s*)?,?\s*{_THAN}\s+(?:(?:that|those)\s+(?:of|in)\s+(?:the\s+)?(?P<arm1>[^()\[\]\d;.,]{{2,40}}?)\s*[(\[]\s*"
    rf"(?P<num1>{NUM})\s*(?P<unit1>{UNIT})?|(?P<num2>{NUM})\s*(?P<unit2>{UNIT})?{_AFTER_NUM}\s*(?:in|of)\s+(?:the\s+)?"
    rf"(?P<arm2>[^()\[\]\d;.,]{{2,40}}?\b(?:group|arm)s?\b))", re.I)


_SECOND_THAN = re.compile(rf"\s*(?:{UNIT})?\s*(?:,\s*)?and\s+(?P<num>{NUM})\s*(?:{UNIT})?", re.I)


def _than_control(view: Optional[DocView], text: str, v: Item, end: int) -> Optional[re.Match]:
    """_THAN_CONTROL after v, where what it is compared with is a treatment arm (not "higher than 39.6% in IHC 2+
    patients", a subgroup's own value) and the units agree."""
    tc = _THAN_CONTROL.match(text, v.end, end)
    if tc is None or view is None:
        return None
    arm = "arm1" if tc.group("arm1") else "arm2"
    a, b = tc.span(arm)
    if not (_control(view, text[a:b]) or (_ARM_NOUN.search(text, a, b) and _arm_ok(view, a, b))):
        return None
    unit = _unit(tc.group("unit1") or tc.group("unit2") or "")
    return tc if unit in ("", v.unit) else None


def _take_comparator(v: Item, value: str, comp_end: int, later: list[Item]) -> None:
    """v's comparison ends at comp_end with the other arm's `value`; later values inside it are used up."""
    v.comparator, v.comp_end = value, comp_end
    for w in later:
        if w.start < comp_end:
            w.consumed = True


def _compare_arms_pair(view: Optional[DocView], text: str, v: Item, second: str, comp_end: int, arm1: tuple[int, int],
                       arm2: tuple[int, int], later: list[Item]) -> None:
    """v (named with arm1) compared with `second` (arm2's) up to comp_end; where the control arm was named first,
    the value is the experimental arm's and v's own the comparator."""
    if _control_first(view, text, arm1, arm2):
        v.value, second = second, v.value
        arm1, arm2 = arm2, arm1
    _take_comparator(v, second, comp_end, later)
    v.arms = (*arm1, *arm2)


def _labelled_arms_chain(view: Optional[DocView], text: str, v: Item, p: int, later: list[Item], end: int) -> list[Item]:
    """A "vs" chain of as many values as the text defined three or more labelled arms, one of them its reference ("(arm A,
    reference)"): the chain's values, v first ("3.5 vs 5.8 vs 5.1 months in arms A, B and C", "26.1% vs 47.8% vs
    41.3%"; made-up set 43 mu17112); [] otherwise."""
    if view is None or len(view.arm_regimens) < 3 or not _control_label(view):
        return []
    chain, q = [v], p
    while (m := _VS_AFTER.match(text[q:min(end, q + 60)])) is not None:
        w = next((x for x in later if x.start == q + m.start("num") and not x.consumed), None)
        if w is None or (w.unit and v.unit and w.unit != v.unit):
            return []
        chain.append(w)
        q = w.end
    return chain if len(chain) == len(view.arm_regimens) else []


def _vs_chain(text: str, v: Item, second: int, later: list[Item], end: int) -> list[Item]:
    """"Updated PFS was 12.9 vs 11.3 vs 8.2 months", "DOR 14.7 vs 12.1 vs 8.5 months": three or more arms' values
    chained by "vs"; the last is the control's, the comparator of every other arm's value (made-up set 10 mu3706,
    set 13 mu4802). Sets v's comparator to the last value and returns the middle values, each compared with it."""
    q, nums = v.comp_end, []
    while True:
        m = _VS_AFTER.match(text[q:min(end, q + 60)])
        if not m or (v.unit and _unit(m.group("unit") or v.unit) != v.unit):
            break
        v.unit = v.unit or _unit(m.group("unit") or "")
        nums.append((q + m.start("num"), m.group("num").replace("not reached", "NR")))
        q += m.end()
    if not nums:
        return []
    middle_starts = [second] + [a for a, _n in nums[:-1]]
    middle = [w for w in later if w.start in middle_starts and not w.consumed]
    if len(middle) != len(middle_starts):
        return []
    last = nums[-1][1]
    v.comparator, v.comp_end = last, q
    for w in middle:
        w.comparator, w.comp_end = last, q
        w.unit = w.unit or v.unit
    return middle


def _attach_comparators(text: str, items: list[Item], view: Optional[DocView] = None, end: Optional[int] = None) -> None:
    values = [i for i in items if i.kind == "value"]
    end = len(text) if end is None else end
    for again in _MEDIANS_AGAIN.finditer(text, values[0].start - 200 if values else 0, end):
        # "the rates were 90.5% and 87.4%, respectively": the two arms of the comparison named before
        first = next((v for v in values if v.start == again.start("a") and not v.comparator), None)
        second = next((v for v in values if v.start == again.start("b")), None)
        # ("the medians are 19.7 and 16.9 months": the unit after the second is both's; made-up set 5 mu1902)
        if first is not None and second is not None and first.unit in (second.unit, "") and not first.landmark_run:
            first.comparator, first.comp_end, second.consumed = second.value, second.end, True
            first.unit = second.unit
    for i, v in enumerate(values):
        if v.consumed or v.arms or (v.timepoint and v.comparator) or v.arm_of_chain or v.landmark_run:
            # (_landmark_lists: compared already, or one run of landmarks; _labelled_arms_chain: one arm's value of a chain)
            continue
        chain = _arm_chain(view, text, v, end)
        if chain:
            own = {s: (a, b) for s, a, b in chain}
            for w in values[i:]:
                if w.start in own:
                    w.arms = own[w.start]
            _control_of_chain(view, text, [w for w in values[i:] if w.start in own], end)
            continue
        cp = _count_pair(view, text, v, end)
        if cp is not None:
            m, arm1, arm2 = cp
            second = m.group("num")
            if arm1 is not None and _control_first(view, text, arm1, arm2):
                v.value, second = second, v.value
                arm1, arm2 = arm2, arm1
            _take_comparator(v, second, m.end(), values[i + 1:])
            if arm1 is not None:
                v.arms = (*arm1, *arm2)
            continue
        two = _two_arms(view, text, v, end) or _bracketed_arms(view, text, v, end)
        if two is not None:
            j, arm1, arm2, stop = two
            unit2 = _unit(j.group("unit") or "") or v.unit
            third = _control_after_pair(view, text, v, j, arm1, arm2, stop, end) if unit2 == v.unit else None
            if third is not None:
                # "83.4% with tamoxifen-OFS and 86.2% with exemestane-OFS, as compared with 79.9% with tamoxifen
                # alone": two arms' values, then the control's, the comparator of both
                c, arm3, c_end = third
                w = next((x for x in values[i + 1:] if x.start == j.start("num") and not x.consumed), None)
                if w is not None:
                    _take_comparator(v, c.group("num"), c_end, values[i + 1:])
                    w.consumed = False
                    w.unit = w.unit or v.unit
                    w.comparator, w.comp_end, w.arms = c.group("num"), c_end, (*arm2, *arm3)
                    v.arms = (*arm1, *arm3)
                    continue
            if unit2 == v.unit:
                second = j.group("num").replace("not yet reached", "NR").replace("not reached", "NR")
                _compare_arms_pair(view, text, v, second, stop, arm1, arm2, values[i + 1:])
                continue
        if v.unit == "%":
            cv = _COUNTED_THEN_VS.match(text, v.end, end) or _PAIR_THEN_COUNTED.match(text, v.end, end)
            if cv:
                _take_comparator(v, cv.group("num"), cv.end(), values[i + 1:])
                continue
            gs = _GROUPS_THEN_STATE.match(text, v.end, end)
            if gs and all(_arm_ok(view, gs.start(k), gs.end(k)) for k in ("arm1", "arm2")):
                _compare_arms_pair(view, text, v, gs.group("num"), gs.end(), (gs.start("arm1"), gs.end("arm1")),
                                   (gs.start("arm2"), gs.end("arm2")), values[i + 1:])
                continue
        at = _arm_bracket_pair(view, text, v, end) or _arm_then_value(view, text, v, end)
        if at is not None and (_unit(at[0].group("unit") or "") or v.unit) == v.unit:
            j, arm1, arm2 = at
            second = j.group("num").replace("not yet reached", "NR").replace("not reached", "NR")
            _compare_arms_pair(view, text, v, second, j.end(), arm1, arm2, values[i + 1:])
            continue
        tc = _than_control(view, text, v, end)
        if tc is not None:
            # "55.0% (22/40), significantly higher than 32.5% (13/40) in control group", "(63.33%) was higher than that
            # of chemotherapy group (40.00%)": the control group's value, compared with
            second = _SECOND_THAN.match(text, tc.end(), end) if tc.group("num1") else None
            w = values[i - 1] if i else None
            if second is not None and w is not None and not w.comparator and _BARE_PAIR.fullmatch(text, w.end, v.start):
                # "were 7.6 months and 15.8 months, which were longer than those of the control group (5.3 months and
                # 11.4 months)": two values, each with its own comparator, in order
                _take_comparator(w, tc.group("num1"), tc.end(), [])
                _take_comparator(v, second.group("num"), second.end(), values[i + 1:])
                continue
            _take_comparator(v, tc.group("num1") or tc.group("num2"), tc.end(), values[i + 1:])
            continue
        ww = _WITH_WITHOUT.match(text, v.end, end)
        if ww and _unit(ww.group("unit") or v.unit) == v.unit:
            # "52.3% with panitumumab and 41.0% without": the arm without the drug is the comparison
            _take_comparator(v, ww.group("num"), ww.end(), values[i + 1:])
            v.arms = (ww.start("arm"), ww.end("arm"))
            continue
        a = _ARMS.match(text[v.end:v.end + 200])
        if a and _unit(a.group("unit") or v.unit) == v.unit and not _line_groups(view, a.group("arm1"), a.group("arm2")):
            # "13.8 months in the trastuzumab plus chemotherapy arm and 11.1 months in the chemotherapy-alone arm"
            _take_comparator(v, a.group("num").replace("not reached", "NR"), v.end + a.end(), values[i + 1:])
            v.arms = (v.end + a.start("arm1"), v.end + a.end("arm1"), v.end + a.start("arm2"), v.end + a.end("arm2"))
            continue
        b = _BRACKET_AFTER.match(text, v.end, end)
        p0 = b.end() if b else v.end
        if v.value == "NR" and _EITHER_ARM.match(text, p0, end):
            v.comparator, v.comp_end = "NR", _EITHER_ARM.match(text, p0, end).end()
            continue
        bv = _BRACKETED_VS.match(text, v.end, end) if v.start > 0 and _IN_OPEN_BRACKET.search(text, max(0, v.start - 40), v.start) else None
        if bv and _unit(bv.group("unit") or "") in ("", v.unit):
            # "X (median, 5.29 months; 95% CI, ...) versus Y (median, 2.76 months; ...)": each arm's
            # value in its own bracket
            _take_comparator(v, bv.group("num"), bv.end(), values[i + 1:])
            continue
        m = _VS_AFTER.match(text[p0:p0 + 60])
        if not m and b and _VS_OPENS.match(text, v.end):
            # "38% (versus 21% with gemcitabine and cisplatin)": the bracket holds the comparison
            p0 = v.end
            m = _VS_AFTER.match(text[p0:p0 + 60])
        if m and (chain := _labelled_arms_chain(view, text, v, p0, values[i + 1:], end)):
            # "Median PFS was 3.5 vs 5.8 vs 5.1 months in arms A, B and C": one value per labelled arm, in order, the
            # reference arm's the comparator of the others (_listed_arms, _multi_arm_pairs)
            unit = next((w.unit for w in reversed(chain) if w.unit), "")
            for w in chain:
                # (a list of its own for _listed_arms; "3.5 vs 5.8 vs 5.1 months": the last's unit)
                w.group, w.unit, w.arm_of_chain = 10_000 + v.start, w.unit or unit, True
            continue
        if m:
            v.comparator = m.group("num").replace("not reached", "NR")
            v.comp_end = p0 + m.end()
            if not v.unit:
                v.unit = _unit(m.group("unit") or "")
            middle = _vs_chain(text, v, p0 + m.start("num"), values[i + 1:], end)
            for w in values[i + 1:]:
                if w.start < v.comp_end and w not in middle:
                    w.consumed = True
                    if not v.unit:
                        v.unit = w.unit
        # lists: _respectively_pairs; "86% (Arm B) and 73% (Arm C)": values each labelled by their arm are a list
        # (not the last two of a longer list: "75.0%, 83.8%, and 87.5%" are three values, no comparison; set 30 mu11712)
        a2 = _AND_SECOND.match(text, p0, end) if not m and not v.group and not ARM_LABEL_AFTER.match(text, v.end) \
            and not _LIST_BEFORE.search(text, max(0, v.start - 60), v.start) else None
        if a2 is None and not m and not v.group and view is not None and view.compares_arms \
                and not _VALUE_THEN_COMMA.search(text[max(0, v.start - 12):v.start]) \
                and not re.search(r"\brespectively\b", text[v.end:min(end, v.end + 160)].split(";")[0].split(". ")[0]):
            # a randomised record's two values for one group: "rates were 41% and 29% in Asia", "6.9 months and
            # 5.7 months for Asian patients", "24.1% and 8.3% in the HER2-low group"
            a2 = _AND_IN_GROUP.match(text, p0, end)
            if a2 is not None and (_ARM_PHRASE.match(text, a2.end(), end) and _arm_ok(view, *_ARM_PHRASE.match(text, a2.end(), end).span("arm"))):
                a2 = None          # "... and 56% with placebo": an arm, read by _two_arms
            if a2 is not None:
                v.shared_group = True
        if a2 is None and not m and re.search(r"\(\s*$", text[max(0, v.start - 3):v.start]):
            a2 = _BRACKET_PAIR.match(text, v.end, end)    # "similar in both arms (67% and 64%)"
        if a2 and _unit(a2.group("unit") or "") in ("", v.unit) and v.unit:
            marks = _two_landmarks_before(view, v.start, items) if a2.re is _AND_SECOND and v.unit == "%" else None
            groups = _separate_groups(view, v.start, items) if a2.re is _AND_SECOND and not marks else None
            w = next((w for w in values[i + 1:] if w.start == a2.start("num")), None) if groups or marks else None
            if w is not None and marks:
                # "the 1-, 2-year OS rate was 85.2% and 61.4%": one rate per landmark
                v.timepoint, w.timepoint = marks
                continue
            if w is not None:
                # "at 120 mg and 240 mg ...; median DOR of 9.8 and 14.1 months": one value per dose or cohort
                v.population, w.population = groups
                continue
            _take_comparator(v, a2.group("num"), a2.end(), values[i + 1:])
            continue
        if not v.comparator and not m and view is not None:
            own = _ARM_PHRASE.match(text, p0, end)   # "not reached in the atezolizumab-treated patients"
            if own and _arm_ok(view, own.start("arm"), own.end("arm")) and \
                    view.ents_in(own.start("arm"), own.end("arm"), "DRUG"):
                v.arms = (own.start("arm"), _drug_list_end(view, own.end("arm"), end))
        tf = _TO_FROM.match(text, p0, end) if not v.comparator and re.search(r"\bto\s*$", text[max(0, v.start - 5):v.start]) else None
        if tf and _unit(tf.group("ua") or "") in ("", v.unit or _unit(tf.group("ua") or "")):
            # "prolonged median PFS to 7.8 months from 5.6 months": the new value, its comparator
            # ("to 9.0 from 4.9 months": the unit after the comparator is the value's too)
            v.unit = v.unit or _unit(tf.group("ua") or "")
            _take_comparator(v, tf.group("a"), tf.end(), values[i + 1:])
        fm = _FROM_TO.search(text[max(0, v.start - 40):v.start])
        if fm and not v.comparator:
            v.comparator = fm.group("a")
            for w in values[:i]:
                if w.start >= v.start - (len(text[max(0, v.start - 40):v.start]) - fm.start()) and w.end <= v.start:
                    w.consumed = True
    _control_named_second(view, text, values, end)
    _pairs_in_the_same_order(text, values)


# a pair with no arms of its own: "A% and B%", "A versus B months", "A and B months"
_BARE_PAIR = re.compile(rf"\s*(?:{UNIT})?\s*(?:\([^()]*\)\s*)?,?\s*(?:and|{VS})\s+$", re.I)


def _pairs_in_the_same_order(text: str, values: list[Item]) -> None:
    """"The ORRs were 21.4% and 38.0% for letrozole and letrozole plus palbociclib, respectively; among those with
    visceral disease, they were 8.3% and 17.9%": a later pair of the sentence naming no arms of its own gives its
    values in the order of the comparison before it, whose control arm was named first (set 19 mu7202, mu7208,
    set 16 mu6004): its second value is the experimental arm's."""
    compared = [v for v in values if v.comparator and len(v.arms) == 4]
    for v in values:
        if v.consumed or not v.comparator or v.arms or v.value == "NR" or v.comparator == "NR":
            continue
        second = text.find(v.comparator, v.end, v.comp_end)
        if second < 0 or not _BARE_PAIR.fullmatch(text, v.end, second):
            continue
        before = [u for u in compared if u.comp_end <= v.start and v.start - u.comp_end <= 200]
        if before and _control_named_first(before[-1]):
            v.value, v.comparator = v.comparator, v.value


def _control_named_first(v: Item) -> bool:
    """A comparison of two arms (value's arm, control arm) whose text named the control arm first."""
    return len(v.arms) == 4 and v.arms[2] < v.arms[0]


# "22.9% (capivasertib arm) and 12.2% (placebo arm)", "72.6% of capivasertib recipients and 60.1% of placebo
# recipients", "in 118 of 224 capivasertib-treated patients (52.7%) and in 45 of 110 placebo recipients (40.9%)":
# the join before a second value, and that value's own words up to the clause's end
_JOIN_TO_SECOND = re.compile(r"[^;\n]{0,120}?(?:\band\b|,)(?P<own>[^;\n]{0,60})$", re.I)
_SECOND_TAIL = re.compile(r"[^;.\n]{0,50}")


def _control_named_second(view: Optional[DocView], text: str, values: list[Item], end: int) -> None:
    """Two values of one endpoint joined by "and" in a record that compares arms, the second named with a
    control word (rules/attribution.yaml control_arm) in its own words and the first not: whatever
    the shape of the arm phrases, one comparison (value, comparator), not two results."""
    if view is None or not view.compares_arms:
        return
    live = [v for v in values if not v.consumed]

    def listed(a: Optional[Item], b: Optional[Item]) -> bool:     # "4.9%, 22.6%, 19.8%, and 11.0%": a list of arms
        return a is not None and b is not None and b.start - a.end < 40 and not re.search(r"[;.]\s", text[a.end:b.start])

    for k, (v, w) in enumerate(zip(live, live[1:])):
        if listed(live[k - 1] if k else None, v) or listed(w, live[k + 2] if k + 2 < len(live) else None):
            continue
        if v.comparator or w.comparator or v.group or w.group or len(v.arms) == 4 or len(w.arms) == 4 \
                or v.unit != w.unit or not v.unit or w.start - v.end > 160:
            continue
        j = _JOIN_TO_SECOND.fullmatch(text, v.end, w.start)
        if j is None or re.search(r"\brespectively\b|\.\s", text[v.end:w.start]):
            continue
        tail = _SECOND_TAIL.match(text, w.end, end)
        second = j.group("own") + text[w.end:tail.end()]
        first = text[max(0, v.start - 60):v.start] + text[v.end:j.start("own")]
        if re.search(r"\brespectively\b", second) or not _control(view, second) or _control(view, first):
            continue
        _take_comparator(v, w.value, w.end, [w])


def _group_contrast(view: Optional[DocView], at: int) -> Optional[tuple[str, str]]:
    """The two patient groups a sentence contrasts before `at` ("greater in IHC 3+ tumours than in IHC 2+
    tumours", "patients achieving a response fared better than those with stable disease"), when neither
    names a drug, a control arm or an arm: rules/values.yaml category group_contrast."""
    sent = view.sentence_at(at) if view is not None else None
    if sent is None:
        return None
    chunk = view.text[sent.char_start:at]
    for r in _value_rules(view, "group_contrast"):
        for m in r.regex.finditer(chunk):
            spans = [(sent.char_start + m.start(g), sent.char_start + m.end(g)) for g in ("a", "b")]
            # (a drug given, a control, an arm label ("in group A than in group C") or a regimen word ("those on the
            # combination") names treatment arms; a drug the patients had before ("those pretreated with lapatinib")
            # names a group)
            if not any(_names_arm(view, a, b) for a, b in spans):
                return m.group("a").strip(), m.group("b").strip()
    return None


def _names_arm(view: DocView, a: int, b: int) -> bool:
    """Whether the group text[a:b] is a treatment arm: a drug given, a control, an arm label ("in group A") or a
    regimen word ("those on the combination"); a drug the patients had before ("those pretreated with lapatinib")
    names a group."""
    return bool((_names_treatment(view, a, b) and view.drugs_in(a, b, stop_at_comparator=False)[0])
                or _control(view, view.text[a:b]) or _ARM_NOUN.search(view.text, a, b)
                or _REGIMEN_WORD.search(view.text, a, b))


def _rest_contrasted(view: DocView, v: Item) -> bool:
    """v is a patient group's value and its comparator the rest's ("Patients with a pCR had a 3-year EFS of 93%,
    compared with 81% in those without"): rules/values.yaml category complement_contrast, the first group naming
    no arm."""
    sent = view.sentence_at(v.start)
    if sent is None or not v.comp_end:
        return False
    stop = min(sent.char_end, v.comp_end + 80)
    for r in _value_rules(view, "complement_contrast"):
        for m in r.regex.finditer(view.text, sent.char_start, stop):
            a = (m.start("a"), m.end("a"))
            if a[1] <= v.start < m.start("b") and m.start("b") >= v.comp_end - 40 and not _names_arm(view, *a):
                return True
    return False


def _fits(kind: str, unit: str, landmark: str) -> bool:
    if kind == "rate":
        return unit == "%"
    if kind == "time":
        return unit in ("months", "weeks", "years") or (unit == "%" and bool(landmark))
    return False


def _landmark_text(m: re.Match) -> str:
    """'5-year' from a match with groups n ("5", "five") and u ("years", "month")."""
    return f"{_WORDS.get(m.group('n').lower(), m.group('n'))}-{m.group('u').lower().rstrip('s')}"


def _landmark(view: DocView, ep: Item) -> str:
    before = view.text[max(0, ep.start - 30):ep.start]
    m = _LANDMARK_BEFORE.search(before)
    if m and _AGE_BEFORE.search(view.text, max(0, ep.start - 50), ep.start - len(before) + m.start()):
        m = None                       # "patients older than 65 years, EFS was ...": an age, no landmark
    if m:
        n = _WORDS.get(m.group("n").lower(), m.group("n"))
        u = m.group("u").lower()
        return f"{n}-{_LANDMARK_UNIT.get(u, u)}"
    m = _LANDMARK_AFTER.match(view.text[ep.end:ep.end + 25])
    if m:
        return _landmark_text(m)
    sent = view.sentence_at(ep.start)      # "At 4 years, invasive disease-free survival was 85.8% ..."
    if sent is not None:
        # ... or its clause: "...; at one year, 34.6% versus 11.9% of patients were alive without progression",
        # "an OS benefit that held at 3 years -- 21.3% of patients on zolbetuximab were alive"
        starts = [sent.char_start] + [c.end() for c in _CLAUSE_OPENING.finditer(view.text, sent.char_start, ep.start)]
        for at in reversed(starts):
            m = _LANDMARK_OPENING.match(view.text, at, ep.start)
            if m:
                return _landmark_text(m)
    return ""


# where a clause opens inside a sentence: after a semicolon or a dash
_CLAUSE_OPENING = re.compile(r";\s*|\s+(?:--|—|–)\s+")


# (and an age the sentence before ends with: "median age was 62 years. Clinical ORR was 67.9%", made-up set 18 mu6810,
# set 47 mu18502, mu18604, set 48 mu18812; a follow-up it ends with stays the landmark: "The follow-up time for all of
# the patients was 5 years.\nOverall survival (OS) ... rates", real extra pmid14871985)
# (and the upper end of an age range: "the age range was 39 to 94 years. Response rates ...", real extra pmid3368798)
_AGE_BEFORE = re.compile(r"(?:\b(?:older|younger|aged?|over|under|than)|[≥>≤<]|\bages?\s+(?:was|were|of)"
                         r"|\bages?\s+(?:range\s+)?(?:was|were|of|from)?\s*\d+\s*(?:to|-|–)|\baged\s+(?:from\s+|between\s+)?\d+\s*(?:to|-|–|and))\s*$", re.I)
# (after a leading phrase: "With T-DXd, at 18 months, 61% of patients were alive")
# (or the time since the start it counts from: "Three years after surgery, 85.9% of women ...", "One year after starting,
# 71% were alive"; set 23 mu9112, mu9108)
# (the comma may be left out before the figure: "after five years 94.1% of the women assigned to TCH were alive", "Two
# years after randomization 61.2% of the DCF group and 50.0% of the CF group were alive"; set 57 mu22402, set 58 mu22906)
_SINCE_START = r"\s+after\s+(?:randomi[sz]ation|surgery|registration|enrol+ment|diagnosis|starting(?:\s+treatment)?|the\s+start\s+of\s+treatment)"
_LANDMARK_OPENING = re.compile(
    rf"\s*(?:[A-Z][A-Za-z ]{{2,30}}:\s*)?(?:[^,;.()\d]{{1,60}},\s*)?"
    rf"(?:(?:At|After)\s+|(?=(?:\d+|{_SPELLED})\s+(?:months?|years?){_SINCE_START}\s*(?:,|\d)))"
    rf"(?P<n>\d+|{_SPELLED})\s+(?P<u>months?|years?)(?:{_SINCE_START})?\s*(?:,|(?=\d))", re.I)


# "Seventy-six patients (29.1%) achieved pCR", "48 (52.2%) had a pathological complete response", "92% of patients
# achieved at least a partial response", "55% of the patients achieved ..." (tuning documents cdr006, cdr016 of the BC5CDR abstracts)
# "31 of the 38 cases (81.5%) demonstrated objective responses", "eight (57%) showed objective (complete or partial)
# response" (cdr022, cdr108)
# the patients a count or percentage counts, before what they did: "(82%) of 38 patients who crossed
# over to pyrotinib", "(44.0%) with HER2-low breast cancer"
_WHO = r"(?:\s*(?:with|who|treated|receiving|given|on)\b[^,;.()%]{0,60}?\s+)?"
_ACHIEVED = re.compile(
    r"^\s*(?:[;,][^()]{0,40})?\)?\s*(?:and\s+\d+\s*\([^()]*\)\s*)?(?:(?:of\s+(?:the\s+)?(?:\d+\s+)?)?patients\s+|of\s+them\s+)?"
    + _WHO + r"(?:achieved|attained|had|obtained|experienced|reached|showed|demonstrated|exhibited|developed)\s+(?:an?\s+|the\s+)?(?:[a-z]+\s+)?(?:\([^()]{1,40}\)\s*)?$", re.I)
# "6-month (53.4% versus 37.9%) and 12-month (30.7% versus 14.1%) PFS rates": landmark, values, then the endpoint
_LANDMARK_BRACKET = re.compile(r"(?P<n>\d+)[- ](?P<u>month|year)s?\s*\(\s*$", re.I)
_RATES_AFTER = re.compile(r"^(?:[^.;]|(?<=\d)\.(?=\d)){0,60}$")


_BRACKETS = re.compile(r"\((?:[^()]|\([^()]*\))*\)(?=.)|\[(?:[^\[\]]|\[[^\[\]]*\])*\](?=.)", re.S)


# "22% of patients were alive at 1 year", "six (43%) of 14 patients responded": the endpoint is a verb
_PATIENTS_THEN_VERB = re.compile(
    r"^\s*(?:[;,][^()]{0,40})?\)?\s*(?:\(\s*\d+\s*/\s*\d+\s*\)\s*)?(?:of\s+(?:the\s+)?(?:\d+\s+)?(?:evaluable\s+|assessable\s+|(?:[\w-]+\s+)?[\w-]+-treated\s+)?"
    r"(?:patients|participants|women|men|pts|those)\s*"
    # "of cohort 1", "of arm 1 patients": the group's label
    r"|of\s+(?:the\s+)?(?:cohort|arm|group|part)\s+[A-Z0-9]{1,3}\b\s*(?:(?:patients|participants)\s*)?)?"
    r"(?:in\s+the\s+[^,;.()%\d]{1,60}?\s+(?:group|arm|cohort)\s+)?"
    # ("47.3% and 28.5% of the patients, respectively, were alive without disease progression", set 49 mu19202, mu19210)
    r"(?:,?\s*respectively\s*,?\s*)?" + _WHO
    # the state's verb before an endpoint that names only the state: "60.4% were still free of progression", "57% of
    # responders ... remained free of progression" (set 23 mu9104, set 18 mu7012)
    + r"(?:(?:were|was|remained)\s+(?:still\s+)?)?$", re.I)
# an endpoint named by what the patients did or were: "were alive", "responded", "remained free of invasive disease",
# "free of progression"
_VERB_ENDPOINT = re.compile(r"(?:\balive(?:\s+at)?|\bresponded)$|^(?:were|was|remained)\s+\w|^alive\s+(?:and|without)\b"
                            r"|^free\s+(?:of|from)\b", re.I)


def _open_bracket_at(gap: str) -> Optional[int]:
    """Where the bracket still open at the end of `gap` opens (None when all are closed)."""
    return _bracket_scan(gap)[1]


def _closed_at(gap: str) -> Optional[int]:
    """Where `gap` is past the bracket open before it (after its first unmatched closing bracket), None when none."""
    return _bracket_scan(gap)[0]


def _bracket_scan(gap: str) -> tuple[Optional[int], Optional[int]]:
    """One pass over `gap`: (the end of its first closing bracket that no bracket of `gap` opened, the start of the
    first bracket still open at its end), each None when there is none."""
    stack: list[int] = []
    shut: Optional[int] = None
    for i, ch in enumerate(gap):
        if ch in "([":
            stack.append(i)
        elif ch in ")]":
            if stack:
                stack.pop()
            elif shut is None:
                shut = i + 1
    return shut, (stack[0] if stack else None)


_FOLLOW_UP = re.compile(r"\bfollow[- ]?up\b", re.I)
_AFTER_FOLLOW_UP = re.compile(r"\b(?:after|with|at|during|over)\s+(?:a|an|the)?\s*(?:\w+\s+){0,2}$", re.I)


def _follow_up_clause(view: DocView, offset: int) -> bool:
    """"Median follow-up ranged between 37 and 95 months for RFS and 62-84 months for OS": the
    durations of a clause about follow-up are no results of the endpoint named after them."""
    sent = view.sentence_at(offset)
    if sent is None:
        return False
    clause = view.text[sent.char_start:offset]
    clause = clause[max(clause.rfind(";"), clause.rfind(". ")) + 1:]
    # "At the data cutoff (median follow-up, 14.9 months), T-DXd improved PFS: median, 10.9 v 4.1 months": a
    # bracketed aside, not the subject (set 12 mu4414; set 2 mu706, set 6 mu2102, set 8 mu3112)
    clause = _BRACKETS.sub(lambda b: " " * len(b.group(0)), clause)
    # "After a median follow-up of 29 months, the 5-year OS was ...": an opening phrase, not the subject
    return any(not _AFTER_FOLLOW_UP.search(clause[:m.start()]) for m in _FOLLOW_UP.finditer(clause))


# ("..., whereas in non-HER2-E tumors they were 21.4% and 38.6%": the plural, set 20 mu7712, set 19 mu7202)
_IT_WAS = re.compile(r"\b(?:(?:it|this|that)\s+(?:was|reached|rose\s+to|fell\s+to)|they\s+were)\s+(?:only\s+|just\s+)?$", re.I)
_CONTRAST = re.compile(r"\b(?:whereas|while|but)\b|\band\s+that\s+of\b", re.I)
_GROUP_WORD = re.compile(r"\b(?:patients|those|ones|use|group|cohort|subgroup)\b", re.I)
# "the pooled ORR of X was 79.1% (...), that of Y 67.2% (...) and that of Z 36.8%": the same endpoint's value
# for the group or arm the clause names
_THAT_OF = re.compile(r"(?:,|\band)\s+(?:that|those)\s+of\s+[^.;%()\[\]]{1,60}?(?:\s+(?:was|were|is))?\s*$", re.I)
_RESULT_VERB = re.compile(r"\b(?:reached|achieved|yielded|produced|attained)\s+(?:an?\s+)?$", re.I)
# ("the OS rate of the SOX group": the rate of an arm, not another rate)
_OTHER_RATE = re.compile(r"\b(?:rates?|proportions?|incidence|percentage)\s+of\s+(?=[A-Za-z])(?!(?:the\s+)?(?:objective|overall|complete|partial|pathologic|clinical|disease|response|survival)\b)"
                         r"(?!(?:the\s+)?[\w+/-]+\s+(?:group|arm|cohort)\b)", re.I)
_RATES_NAMED = re.compile(r"\s*(?:\([^()]{1,12}\)\s*)?rates\b", re.I)


def _rates_named_before(view: DocView, offset: int) -> bool:
    sent = view.sentence_at(offset)
    for p in view.prev_sentences(sent) if sent is not None else []:
        for e in view.ents_in(p.char_start, p.char_end, ENDPOINT):
            if endpoint_kind(view, e.normalized) == "time" and _RATES_NAMED.match(view.text, e.char_end):
                return True
    return False


def _landmark_before(view: DocView, ep: Item) -> str:
    """The landmark an earlier sentence of the paragraph gave the same endpoint ("At 5 years, iDFS was
    90.4% ... In HR-negative disease iDFS did not differ (88.8% vs 88.9%)"): the nearest one, else ""."""
    sent = view.sentence_at(ep.start)
    for p in view.prev_sentences(sent) if sent is not None else []:      # nearest first
        for e in reversed(view.ents_in(p.char_start, p.char_end, ENDPOINT)):
            if e.normalized == ep.endpoint:
                lm = _landmark(view, Item("endpoint", e.char_start, e.char_end, endpoint=e.normalized))
                if lm:
                    return lm
    return ""


# the group of a list's value, then the joiner to the next value: " for intrahepatic cholangiocarcinoma, and ", " of those
# with squamous cell carcinoma and ", " () in patients without previous systemic therapy for metastatic disease and "
# (set 11 mu4308, mu4412; set 12 mu4506; set 10 mu3806)
# (and "... of the patients whose ctDNA cleared by cycle 2 and in ", "(1/5) of those with compound mutations and in ":
# a number that is no value may stand in the group, and the joiner may repeat the preposition; made-up set 28 mu11102,
# mu11108, set 41 mu16006)
_GROUP_THEN_JOIN = re.compile(r"^\s*(?:\(\)\s*)?(?:(?:of|in|among)\s+)?(?:(?:the\s+)?(?:those|patients|pts|participants)\s+)?"
                              r"(?:for|in|among|with|without|of|who|whose)\s+(?:[^;:.()%\d]|\d(?![\d.]*\s*(?:%|months?|weeks?|years?|mo)\b)){1,100}?"
                              r"(?:,\s*|,?\s+(?:and|or)\s+)(?:in\s+|among\s+)?$", re.I)
# "; bone, ", " (); node-negative, ", "; HR+: ": a list's next item, a short label and a comma or colon (not
# "; at one year, " or "; of the HER2-low group, ": a landmark or a clause)
# (the count before the share, "CR + PR / N" included: "; and for ER 30 to 50, 1 + 5/16 (40%)"; made-up set 56 mu22012,
# real extra pmid3368798)
_LABELLED_ITEM = re.compile(r"^\s*(?:[a-z]+\s*)?(?:\(\)\s*|\)\s*)?;\s*(?:and\s+)?(?!(?:of|the|in|at|with|among|by|after|median|mean)\b)"
                            r"(?:[A-Za-z][\w+/\-]*(?:\s+[\w+/\-]+){0,5}\s*[,:]\s*(?:\d+\s*(?:\+\s*\d+\s*)?(?:/|of)\s*\d+\s*\(\s*)?"
                            r"|(?-i:[A-Z])[\w+/\-]*(?:\s+[\w+/\-]*\d[\w+/\-]*)?\s+)$", re.I)
# the subgroup a clause gives its own comparison for: "in HR-positive disease", "among node-negative patients",
# "HR-positive:"
_SUBGROUP_CUE = re.compile(
    r"\b(?:in|among|for)\s+(?:the\s+)?[^;:,.()]{0,50}?\b(?:disease|tumou?rs?|subgroups?|patients|pts|population|cohort)\b"
    r"|\b[\w-]+-(?:positive|negative)\s*:", re.I)


# an endpoint named as the patients a result is given for: "in patients without pCR", "for pCR patients",
# "among those achieving an objective response"
_GROUP_BEFORE_ENDPOINT = re.compile(
    r"\b(?:patients|pts|participants|those|women|men|subgroup)\s+(?:who\s+)?(?:with|without|achieving|achieved|not\s+achieving|"
    r"reaching|had|did\s+not\s+achieve|attaining)\s+(?:a\s+|an\s+)?"
    # ("in patients with a complete or partial response to chemotherapy than in those with stable disease"; set 12 mu4612)
    r"(?:(?:complete|partial|objective|major)\s+(?:or\s+)?)*$", re.I)
_GROUP_AFTER_ENDPOINT = re.compile(r"^\s*(?:patients|participants|responders|cases|subgroup)\b", re.I)


def _endpoint_as_group(text: str, ep: Item) -> bool:
    return bool(_GROUP_BEFORE_ENDPOINT.search(text, max(0, ep.start - 50), ep.start)
                or _GROUP_AFTER_ENDPOINT.match(text, ep.end))


# an endpoint's definition after it, set off by a comma: ", defined as response or stable disease"
_DEFINITION = r"\s*,\s*(?:defined|measured|assessed|calculated)\s+(?:as|by)\b[^,;.()]*"
_DEFINED_AS = re.compile(_DEFINITION + "$", re.I)            # inside the definition
_DEFINITION_AFTER = re.compile("^" + _DEFINITION + ",", re.I)   # the whole definition, at the start of a gap
# an endpoint right before its value: "disease control rate, 83.3%", "ORR: 45%", "DCR = 80%"
_LABELS_VALUE = re.compile(r"\s*[,:=]\s*\d")

# a rate named again by the word: "the rate was 27.8%", "the rates were only 12%"
_THE_RATE_WAS = re.compile(r"\bthe\s+rates?\s+(?:was|were)\s+(?:only\s+)?$", re.I)


def items_to_pairs(view: DocView, items: list[Item]) -> list[tuple[Item, Item, str]]:
    """(endpoint, value, landmark) for every value an endpoint governs."""
    text = view.text
    pairs = []
    current: Optional[Item] = None
    last_value_end = -1
    last_unit = ""
    last_compared = False                 # the last value paired was a comparison (value with comparator)
    outer: Optional[Item] = None          # the endpoint before a bracket holding another endpoint
    listed_in_order = _respectively_pairs(items, text, view)
    rates: list[bool] = []                # worked out once, the first time a value needs it

    def named_as_rates() -> bool:
        # "OS and DFS rates were better ... (OS, 91% versus 75%)": survival named as rates takes
        # percentages (or an earlier sentence of the paragraph did: "... (OS, 96% versus 78%)")
        if not rates:
            rates.append(any(i.kind == "endpoint" and _RATES_NAMED.match(text, i.end) for i in items)
                         or _rates_named_before(view, items[0].start))
        return rates[0]
    for idx, it in enumerate(items):
        if it.kind == "endpoint":
            between = text[current.end:it.start] if current is not None else ""
            if current is not None and len(between) <= 80 and re.match(r"\s*[(\[]", between) and \
                    between.count("(") + between.count("[") > between.count(")") + between.count("]") and \
                    not _LABELS_VALUE.match(text, it.end):
                # (not an endpoint labelling its own value in the bracket: "12 others had stable disease (disease
                # control rate, 83.3%)", set 15 mu5608)
                # "response rate (CR plus PR plus stable disease) ...": the definition's words (not "Overall
                # survival favoured olaparib (7-year OS, 67.0% ...": a bracket opened later holds its own endpoint)
                continue
            if current is not None and _DEFINED_AS.match(text, current.end, it.start):
                # "the clinical benefit rate, defined as response or stable disease lasting at least 6 months, was 38%":
                # the words of the endpoint's definition (set 18 mu7012, set 3 mu920)
                continue
            if current is not None and _endpoint_as_group(text, it):
                continue     # "Two-year EFS in patients without pCR was 71.8%": the patients, not the endpoint
            # (an endpoint inside a bracket the sentence opened after the endpoint before it: that endpoint is back once
            # the bracket closes)
            outer = current if current is not None and between.count("(") > between.count(")") else None
            current = it
            continue
        if it.consumed:
            continue
        if outer is not None and current is not None:
            after = text[current.end:it.start]
            if after.count(")") > after.count("("):
                # "56.5% with T-DXd versus 32.2% (median duration of response 14.1 vs 8.6 months), and in the HER2-ultralow
                # subgroup 61.8% versus 26.3%": the values after the bracket are the endpoint's before it (set 21 mu8108)
                current, outer = outer, None
        if id(it) in listed_in_order:
            ep = listed_in_order[id(it)]
            lm = it.timepoint or _landmark(view, ep) or (_landmark_between(text, ep, it) if it.unit == "%" else "")
            if _fits(endpoint_kind(view, ep.endpoint), it.unit, lm):
                pairs.append((ep, it, lm if it.unit == "%" else ""))
                last_value_end, last_unit, last_compared = it.end, it.unit, bool(it.comparator)
            continue
        if it.unit == "%" and _THE_RATE_WAS.search(text, max(0, it.start - 30), it.start):
            # "...; pooled by factor, the rate was 56.4% with XELOX and 48.8% with XP", "... and the median duration of
            # response 11.3 months; in cohort 2 (...), the rate was 27.8%": the rate named last before, whatever came
            # between (made-up set 30 mu11702, set 58 mu22802)
            rate = next((i for i in reversed(items[:idx]) if i.kind == "endpoint" and endpoint_kind(view, i.endpoint) == "rate"), None)
            if rate is not None and not _worded_as_no_value(view, "not_efficacy_words", text[max(rate.end, it.start - 60):it.start]):
                pairs.append((rate, it, ""))
                last_value_end, last_unit, last_compared = it.comp_end or it.end, it.unit, bool(it.comparator)
                continue
        # "53.8% vs. 42.9% for ORR": an endpoint named right after the value
        tail_end = it.comp_end or it.end
        ep = None
        nxt = next((j for j in items[idx + 1:] if j.kind == "endpoint"), None)
        if nxt is not None and not _follow_up_clause(view, it.start) and (
                re.match(r"^\s*(?:for|in)\s+(?:the\s+)?$", text[tail_end:nxt.start])
                # "a 36.4% response rate (8 of 22)", "whose 53.7% response rate", "the 62.7% pCR of T-DXd": a rate
                # right before its endpoint (set 3 mu1102, set 5 mu1906, set 10 mu3812)
                or (it.unit == "%" and tail_end == it.end and re.fullmatch(r"[ \t]+", text[tail_end:nxt.start]) is not None
                    and endpoint_kind(view, nxt.endpoint) == "rate")
                                or _ACHIEVED.match(text[tail_end:nxt.start])
                                or ((_PATIENTS_THEN_VERB.match(text[tail_end:nxt.start])
                                     # (the first of two groups' values: "61% of cohort 1 and 40% of cohort 2 were alive")
                                     or _groups_then(text, tail_end, nxt.start))
                                    and _VERB_ENDPOINT.search(text[nxt.start:nxt.end]))):
            ep = nxt
            if re.search(r"\band\s+\d+\s*\(\s*$", text[max(0, it.start - 15):it.start]) and \
                    re.match(r"^\s*(?:and|or)\s+[^,.;]{1,30},?\s+respectively", text[nxt.end:nxt.end + 50]):
                continue   # "48 (52.2%) and 10 (10.9%) experienced pCR and RCB I, respectively": the 2nd is RCB I's
        elif re.match(r"^\s*(?:for|in)\s+", text[tail_end:tail_end + 6]) and _worded_as_no_value(
                view, "not_efficacy_words", _after_patients_biology(view, re.split(r"[.;]\s", text[tail_end:tail_end + 30])[0])):
            # ("56.3% in IHC 3+ tumours. ILD occurred in ...": the words after the value, not the next sentence's)
            continue
        elif current is not None:
            # a bracketed aside between endpoint and value ("response rate (CR plus PR plus SD) to
            # endocrine therapy was 40.9%") does not count as distance
            gap = _BRACKETS.sub("()", text[current.end:it.start])
            gap = _DEFINITION_AFTER.sub(" ", gap, count=1)     # (nor does the endpoint's definition, set off by commas)
            # (a closed bracket in the list is the value's own detail: "53.8% (28/52; 95% CI 39.5-67.8) in cohort A,
            # 60.8% (31/51; ...) in cohort B"; neither its length nor its ";" counts)
            since_last = _BRACKETS.sub("()", text[last_value_end:it.start]) if last_value_end > current.end else ""
            # (the last value's bracket closing and the next group's opening: "with TPS ≥50% (median, 13.1 vs 5.6 months;
            # HR, 0.38), TPS 1-49% (9.5 vs 5.9 months; ...)": what is left of the last bracket is its own detail)
            shut = _closed_at(since_last)
            if shut is not None and _open_bracket_at(since_last[shut:]) is not None:
                since_last = since_last[shut:]
            chained = last_value_end > current.end and (len(since_last) <= 40
                                                        or len(it.arms) == 2    # the next arm of a list of arms
                                                        # "46.3% for gallbladder cancer, 38.5% for intrahepatic
                                                        # cholangiocarcinoma, and 30.8% for ...": the last value's
                                                        # group, however long, then the list's joiner
                                                        or (it.unit == last_unit and _GROUP_THEN_JOIN.match(since_last) is not None
                                                            and not _names_treatment(view, last_value_end, it.start))
                                                        # "..., and the combination with Y reached 73.2%": the
                                                        # next clause's result verb takes the same endpoint
                                                        or (len(text[last_value_end:it.start]) <= 150
                                                            and it.unit == last_unit
                                                            and _RESULT_VERB.search(text, last_value_end, it.start) is not None))
            listed = re.search(r"(?:as follows|following)?[^.;]{0,80}:\s*$", gap) is not None and len(gap) <= 160
            # "... longer PFS in ... (6.6 vs 1.4 months)", "... assigned to X (median, 5.29 months; ...)"
            opens_paren = re.search(r"[(\[]\s*(?:(?:the\s+)?(?:median|mean)\s*(?:was|of)?\s*[,:=]?\s*|[^()\[\]\d]{1,25}[;:]\s*)?$", gap) is not None \
                and len(gap) <= 140
            clause_gap = gap if not chained else since_last
            inner = _open_bracket_at(clause_gap)
            if inner is not None:        # "higher than with letrozole alone (ie, placebo; 68.1% v 59.1%)"
                clause_gap = clause_gap[:inner] + clause_gap[inner:].replace(";", ",")
            # "..., while in the HER2-low cohort it was 12.5%": the pronoun is the endpoint named before
            anaphoric = _IT_WAS.search(text, max(0, it.start - 20), it.start) is not None and len(gap) <= 160
            # "...; the corresponding values in the X population were 11.3 months and 6.8 months"
            again = _MEDIANS_AGAIN.search(text, max(current.end, it.start - 120), min(len(text), it.end + 60))
            anaphoric = anaphoric or (again is not None and again.start("a") == it.start and len(gap) <= 320)
            # "... the pCR rates were 78.9% and 66.2%, while in HR-positive disease they were 49.3% and 46.6%":
            # the next clause's comparison for a subgroup, naming no endpoint, compares the same endpoint
            anaphoric = anaphoric or (last_compared and bool(it.comparator) and it.unit == last_unit
                                      and last_value_end > current.end and it.start - last_value_end <= 160
                                      and _SUBGROUP_CUE.search(text, last_value_end, it.start) is not None)
            # (so is a bare pair right after the group its clause opens with: "...; in intrahepatic cholangiocarcinoma,
            # 13.0 and 8.4 months", "mPFS reached 16.1 and 15.8 months, respectively, and for those without
            # pertuzumab, 10.2 and 10.9 months")
            anaphoric = anaphoric or (bool(it.comparator) and it.unit == last_unit and last_value_end > current.end
                                      and it.start - last_value_end <= 160
                                      and _GROUP_BEFORE_PAIR.search(text, max(last_value_end, it.start - 60), it.start) is not None)
            # "Response by dominant site of disease was as follows: soft tissue, 46% versus 52%; bone, 31% versus
            # 18%; viscera, 12% versus 15%", "(HR-positive, 49.8%; HR-negative, 41.5%)", "...; node-negative, 85.1%
            # versus 83.2%": the next labelled item of a list of groups, naming neither an endpoint nor a
            # treatment, is the same endpoint's (a toxicity label, "; grade 3, 17.3%", is not_efficacy_words below)
            anaphoric = anaphoric or (it.unit == last_unit and last_value_end > current.end
                                      and _LABELLED_ITEM.match(since_last) is not None
                                      and not _names_treatment(view, last_value_end, it.start)
                                      # (an arm's own value is the last one's comparator: "group 1, 22 of 61
                                      # (36.1%); group 2, 19 of 58 (32.8%)", unlike "arm B: 61.9% vs 35.3%")
                                      and (bool(it.comparator) or not _names_arm(view, last_value_end, it.start)))
            # "mPFS of 10.4 months, whereas 6.9 months for the lapatinib-pretreated ones", "9.8 months for patients
            # treated in first line but only 3.7 months for those with prior progression", "6.9 months, and that of
            # patients treated in the third line or later was 4.5 months": a contrasted group's value, naming no
            # endpoint, is the same endpoint's
            # ("..., that of Y 67.2%": the arm or group the clause names, treatment or not)
            anaphoric = anaphoric or (it.unit == last_unit and last_value_end > current.end
                                      and it.start - last_value_end <= 120 and not it.comparator
                                      and (_THAT_OF.search(text, last_value_end, it.start) is not None
                                           or _CONTRAST.search(text, last_value_end, it.start) is not None
                                           and _GROUP_WORD.search(text[last_value_end:it.start] + " " + text[it.end:it.end + 40]) is not None
                                           and not _names_treatment(view, last_value_end, min(len(text), it.end + 40))))
            # "Median (95% CI), months: Cohort A 11.9 (...); Cohort B 7.1 (...)": every number after the
            # endpoint's declared unit is its value, whatever separates them
            dm = _declared_at(text, current, it.start) if it.unit != "" else None
            declared = dm is not None
            if (len(gap) <= 70 or chained or listed or opens_paren or anaphoric or declared) and (
                    anaphoric or declared or not _CLAUSE.search(clause_gap)):
                # a toxicity/frequency word right before the value ("ILD occurred in 10.5%") makes it no efficacy value
                between = text[(last_value_end if chained else current.end):it.start]
                if not chained:      # "Objective responses occurred in 52 (34%)": the endpoint is what occurred
                    between = _ENDPOINT_OCCURRED.sub(" ", between)
                elif it.unit == last_unit and _GROUP_THEN_JOIN.match(_BRACKETS.sub("()", between)):
                    # (the last value's own group, then the joiner, says nothing about this one: "in 20.0% (1/5) of
                    # those with compound mutations and in 27.0% of ...", set 41 mu16006)
                    between = " "
                # ("...; in the 6.4 mg/kg cohort it was 68.6%": the dose arm goes whole, before the last words are kept)
                between = _BIOLOGY_GROUP.sub(" ", _DOSE_ARM.sub(" ", between))[-30:]
                # "..., the pCR rate was 3% and the rate of breast conserving surgery was 76%": another rate
                # (not the declared unit itself: "Objective Response Rate - percentage of participants: 92.7 ...")
                other_rate = _OTHER_RATE.search(text, max(dm.end() if dm else current.end, current.end, last_value_end), it.start)
                # "Median follow-up ranged ... 37 and 95 months for RFS and 62-84 months for OS": a
                # follow-up clause's durations, unless the endpoint states the value ("PFS was 9.7 months")
                # (nor the next values of a list the endpoint's first value opened: "With 10.2 years of median
                # follow-up, 10-year DFS was 64.2%, 71.5% and 75.9% in arms A, B and C")
                follow_up = _follow_up_clause(view, it.start) and not re.search(
                    r"\b(?:was|were|of|is)\s*$|[:=]\s*$", text[current.end:it.start]) \
                    and not (chained and pairs and pairs[-1][0] is current)
                # "9.9 months with 5.4 mg/kg and 15.4 months": a dose arm, not a dose
                if not _worded_as_no_value(view, "not_efficacy_words", between) and not other_rate and not follow_up:
                    ep = current
        if (ep is None or ep is current) and nxt is not None and it.unit == "%":
            # "6-month (53.4% versus 37.9%) and 12-month (30.7% versus 14.1%) PFS rates": the
            # endpoint after the landmarks wins over one named before them
            lb = _LANDMARK_BRACKET.search(text[max(0, it.start - 12):it.start])
            if lb and re.match(r"^\s*(?:rates?|probabilit\w+|estimates?)\b", text[nxt.end:nxt.end + 15], re.I) \
                    and _RATES_AFTER.match(text[tail_end:nxt.start]):
                if endpoint_kind(view, nxt.endpoint) == "time":
                    pairs.append((nxt, it, f"{lb.group('n')}-{lb.group('u').lower()}"))
                    last_value_end = tail_end
                    continue
                if ep is None:
                    continue
        if ep is None:
            continue
        lm = it.timepoint or _landmark(view, ep)
        kind = endpoint_kind(view, ep.endpoint)
        if kind == "time" and it.unit == "%":
            again = _MEDIANS_AGAIN.search(text, max(ep.end, it.start - 120), min(len(text), it.end + 60))
            own = _LANDMARK_IN.search(text, max(ep.end, again.start() - 40), again.start()) \
                if again is not None and again.start("a") == it.start else None
            if own:                # "...; by five years the rates were 90.5% and 87.4%": the clause's own landmark
                lm = _landmark_text(own)
        if not lm and kind == "time" and it.unit == "%":
            # "an OS benefit that held at 3 years -- 21.3% of patients ... were alive": the landmark between them
            lm = _landmark_between(text, ep, it)
        if not lm and kind == "time" and it.unit == "%" and ep.start > it.start:
            # the endpoint named after its rates, the landmark before them: "..., and at 2 years 20% of M-VAC patients
            # and 8% of cisplatin patients were alive" (set 11 mu4012)
            # (and the second group's rate takes the first's: "... and 8% of cisplatin patients were alive")
            own = _LANDMARK_IN.search(text, max(0, it.start - 25), it.start)
            lm = _landmark_text(own) if own and re.fullmatch(r"[\s,]*", text[own.end():it.start]) else \
                (pairs[-1][2] if pairs and pairs[-1][0] is ep else "")
        if not lm and kind == "time" and it.unit == "%":
            lm = _landmark_before(view, ep)
        if not _fits(kind, it.unit, lm or ("rate" if kind == "time" and it.unit == "%" and named_as_rates() else "")):
            continue
        pairs.append((ep, it, lm if it.unit == "%" else ""))
        last_value_end = it.comp_end or it.end
        last_unit = it.unit
        last_compared = bool(it.comparator)
    return _mirrored_pairs(view, items, pairs)


# between two endpoints' values and the next group's two values: ", compared with ", "(n=29), versus ", " in the DESTINATION-CRC02
# study (NCT...), compared with "
_MIRROR_JOIN = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:\s+(?:in|at|for|among|with)\b[^.;]{0,80}?)?,?\s*"
                          r"(?:compared\s+with|versus|vs\.?|against|whereas|while)\s+(?:(?:it|they)\s+(?:was|were)\s+)?", re.I)
_MIRROR_AND = re.compile(r"\s*(?:\([^()]*\)\s*)?,?\s*and\s+", re.I)


def _mirrored_pairs(view: DocView, items: list[Item], pairs: list[tuple[Item, Item, str]]) -> list[tuple[Item, Item, str]]:
    """Two endpoints' values, then another group's two values in the same order: "the response rate was 11.8% and the
    disease control rate 46.1%, compared with 9.4% and 41.3% in the third-line or later setting", "the response rate
    was 41.4% and MST was 16.8 months, compared with 27.3% and 11.6 months in those with squamous cell carcinoma" (set 52
    mu20704, set 38 mu15104, set 13 mu5102): the first of the second two is the first endpoint's own value, not the
    second endpoint's comparator. (Not where the words after them name an arm: "..., compared with 30% and 6.2 months
    with placebo" are the control's values.)"""
    text = view.text
    out = list(pairs)
    values = {i.start: i for i in items if i.kind == "value"}
    for k in range(len(out) - 1):
        (e1, a, l1), (e2, b, _l2) = out[k], out[k + 1]
        j = _MIRROR_JOIN.match(text, b.end) if e1.endpoint != e2.endpoint and not a.comparator else None
        c = values.get(j.end()) if j else None
        m = _MIRROR_AND.match(text, c.end) if c is not None else None
        d = values.get(m.end()) if m else None
        if d is None or c.unit not in (a.unit, "") or d.unit != b.unit or d.comparator \
                or b.comparator not in ("", c.value) or not any(w is d for _e, w, _l in out[k + 2:k + 3]):
            continue
        tail = re.split(r"[.;]\s|[.;]?$", text[d.end:d.end + 100])[0]
        if view.ents_in(d.end, d.end + len(tail), "DRUG") or _control(view, tail) or _ARM_NOUN.search(tail):
            continue
        b.comparator, b.comp_end = "", 0
        c.consumed, c.unit = False, a.unit
        out.insert(k + 2, (e1, c, l1))     # (c, between b and d, has no pair of its own: b took it, or none did)
    return out


# the group a value is given for, right after it: "46.9% (15 of 32) in the biliary cohort", "7.4 months
# for biliary tract cancer", "(40.7%) patients with HER2-mutant NSCLC"
_OWN_GROUP = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:patients\s+)?(?:in|for|among|with)\s+[^;\d()]{1,60}")


def _own_cancer(view: DocView, v: Item, end: int) -> str:
    """The cancer type named in the group right after a value (one value of a list across cancers),
    else "" (the sentence's attribution holds)."""
    m = _OWN_GROUP.match(view.text, v.comp_end or v.end, end)
    found = view.cancers_in(m.start(), m.end()) if m else []
    return found[0] if found else ""


def _population(view: DocView, ep: Item, v: Item, span_start: int) -> str:
    if v.population:
        return v.population
    text = view.text
    m = _POP_AFTER.match(text[(v.comp_end or v.end):(v.comp_end or v.end) + 60])
    if m:
        return m.group("pop").strip()
    m = _POP_LABEL.search(text[max(span_start, ep.start - 40):ep.start])
    if m:
        return m.group("pop").strip()
    # a subgroup named earlier in the sentence (rules/attribution.yaml, category subgroup)
    before = text[span_start:v.start]
    found = [(m.start(), r.value) for r in view.rules.patterns("attribution", "subgroup") for m in r.regex.finditer(before)]
    return max(found)[1] if found else ""


_N_OF_N_AFTER = re.compile(r"^\s*\(\s*(?:n\s*=\s*)?(?P<n>\d+)\s*(?:/|of|out of)\s*(?P<N>\d+)\s*(?:patients|pts)?\s*[);,]")


def _n_of_n(view: DocView, v: Item) -> tuple[str, str]:
    """'38 of 86 patients (44.2%)' or '51.3% (n = 61/119)'."""
    m = _N_OF_N.search(view.text[max(0, v.start - 40):v.start]) or \
        _N_OF_N_AFTER.match(view.text[v.comp_end or v.end:(v.comp_end or v.end) + 40])
    if m:
        return m.group("n"), m.group("N")
    m = _N_BEFORE.search(view.text[max(0, v.start - 12):v.start])     # "31 (84%) patients"
    return (m.group("n"), "") if m else ("", "")


_N_BEFORE = re.compile(r"(?<![\d.])(?P<n>\d+)\s*\(\s*$")


def _leading_zero(x: str) -> str:
    """".80" as journals of the 1990s print it is 0.80."""
    return "0" + x if x.startswith(".") else x


_RATIO_BRACKET_OPEN = re.compile(r"[(\[]\s*(?:(?:pooled|adjusted|stratified)\s+)?$", re.I)


def _regimens_before_ratios(view: DocView, hrs: list, start: int, end: int) -> dict[int, tuple[str, str]]:
    """A sentence that lists regimens, each with its hazard ratio in the bracket right after it ("T-DXd was associated
    with the longest PFS (HR, 0.33; ...), followed by pyrotinib plus capecitabine (HR, 0.58; ...), tucatinib plus
    trastuzumab and capecitabine (HR, 0.71; ...)", "T-DXd was associated with a benefit over T-DM1 (HR 0.64; ...), and
    tucatinib-based triplet therapy over its doublet (HR 0.73; ...)"): ratio index -> the regimen (and its comparator)
    named between the previous ratio's bracket and its own. Only where every ratio of the sentence opens its bracket
    right after such a regimen (not one regimen's subgroups: "(HR 0.62), including in the HER2-ultralow subgroup (HR
    0.78)"), and they name more than one."""
    text = view.text
    out: dict[int, tuple[str, str]] = {}
    by_sentence: dict[int, list[int]] = {}
    for k, h in enumerate(hrs):
        sent = view.sentence_at(h[0])
        if sent is not None:
            by_sentence.setdefault(sent.char_start, []).append(k)
    for s0, ks in by_sentence.items():
        if len(ks) < 2:
            continue
        found: dict[int, tuple[str, str]] = {}
        bound = max(start, s0)
        for k in sorted(ks, key=lambda k: hrs[k][0]):
            hs, he = hrs[k][0], hrs[k][1]
            opened = _RATIO_BRACKET_OPEN.search(text, bound, hs)
            exp, comp = view.drugs_in(bound, opened.start()) if opened else ([], [])
            if not exp:
                break
            found[k] = (join_regimen(exp), join_regimen(comp))
            close = text.find(")", he, end)
            bound = close + 1 if close != -1 else he
        else:
            if len({d for d, _ in found.values()}) > 1:
                out.update(found)
    return out


def _hazard_ratios(view: DocView, start: int, end: int) -> list[tuple[int, int, str, str, str, str]]:
    text = view.text
    out = []
    found = list(_HR_RE.finditer(text, start, end))
    for k, m in enumerate(found):
        s, t = m.start(), m.end()
        stop = min(end, t + 80, found[k + 1].start() if k + 1 < len(found) else end)
        window = text[t:stop]
        ci = _CI_RE.search(window) or _BARE_CI.match(window)
        p = _P_RE.search(window)
        lo = hi = pv = ""
        if ci:
            lo, hi = ci.group("lo"), ci.group("hi")
            t = max(t, m.end() + ci.end())
        if p:
            pv = _p_text(p)
            t = max(t, m.end() + p.end())
        about = next((code for code, rx in _HR_ABOUT if rx.search(m.group("about") or "")), "")
        out.append((s, t, _leading_zero(m.group("hr")), _leading_zero(lo), _leading_zero(hi), pv, about))
    for h in list(out):
        # "HR = 0.72 for positive and 0.55 for negative disease", "the OS HR ... was 0.68 in Asia and 0.79 in the rest
        # of the world": the next group's bare ratio after the group of a hazard ratio (set 10 mu3706, set 11 mu4108)
        # (and the next group named before its ratio: "...; in squamous histology it was 0.47 and in nonsquamous
        # histology 0.58", "; for the tamoxifen subgroup it was 0.79", "..., those with secondary resistance 0.58"; set
        # 33 mu12810, mu12908, mu12912)
        at = h[1]
        while (g := _HR_NEXT_GROUP.match(text, at, end) or _HR_GROUP_THEN.match(text, at, end)) is not None \
                and float(_leading_zero(g.group("hr"))) < 10:
            out.append((g.start("hr"), g.end("hr"), _leading_zero(g.group("hr")), "", "", "", h[6]))
            at = g.end("hr")
    cue = _HR_CUE.search(text, start, end)
    if cue:
        out += _listed_hazard_ratios(view, cue.start(), end, [(h[0], h[1]) for h in out])
    for m in _HR_LABEL_LIST.finditer(text, start, end):
        # "PFS HRs by subgroup: left-sided 0.28; right-sided 0.55; prior anti-EGFR 0.35", "PFS HRs (BICR): prior
        # pertuzumab 0.26; ...": each group's label, then its ratio (made-up set 30 mu11804, mu11808, mu11806)
        stop = _LIST_END.search(text, m.end(), end)
        for n in _LABELLED_RATIO.finditer(text, m.end(), stop.start() if stop else end):
            a = n.start("hr")
            if not any(x <= a < y for x, y in ((h[0], h[1]) for h in out)) and float(n.group("hr")) < 10:
                out.append((a, n.end("hr"), _leading_zero(n.group("hr")), "", "", "", ""))
    for m in _HR_LIST.finditer(text, start, end):
        # "HRs of 0.31, 0.57 and 0.61 for TPS >=50%, 1-49% and <1%, respectively": every listed ratio
        taken = [(h[0], h[1]) for h in out]
        for n in re.finditer(r"\d?\.\d+", m.group("list")):
            a = m.start("list") + n.start()
            if not any(x <= a < y for x, y in taken) and float(n.group()) < 10:
                out.append((a, m.start("list") + n.end(), _leading_zero(n.group()), "", "", "", ""))
    return sorted(out)


# a list of bare ratios after a plural cue ("HRs of 0.31, 0.57 and 0.61", "the hazard ratios for PFS were 0.66 and
# 0.49, respectively"; tuning documents mu1010 and mu1020 of made-up set 3), each its own hazard ratio
_HR_LIST = re.compile(r"\b(?:HRs|hazard\s+ratios)\b[^.;\d]{0,40}?(?P<list>\d?\.\d+(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)\d?\.\d+)+)"
                      r"(?!\s*(?:%|months?|weeks?|years?|mo\b))", re.I)


# a colon after a ratio cue, then groups each with its ratio: "PFS HRs by subgroup: left-sided 0.28; right-sided 0.55"
_HR_LABEL_LIST = re.compile(_HR_WORD + r"(?:\s+(?:by|in|for|across)\s+[\w-]+)?\s*(?:\([^()]{1,20}\)\s*)?:", re.I)
# one group of such a list: its label (no number first), its ratio, and the ratio's own interval or nothing after it
_LABELLED_RATIO = re.compile(r"(?:^|(?<=[;,])|(?<=:))\s*(?P<label>[^;,\d\s(][^;,()]{0,40}?)\s+(?P<hr>\d?\.\d+)"
                             r"(?=\s*(?:\([^()]*\))?\s*(?:[;,]|\.(?:\s|$)|$))")
_LIST_END = re.compile(r"\.(?=\s|$)|\n")
_HR_CUE = re.compile(_HR_WORD, re.I)
# a group after a hazard ratio, then the next group's bare ratio: " for positive and 0.55" (for negative disease),
# " in Asia and 0.79" (in the rest of the world); a group may hold whole numbers, no decimal one (" for TPS of 50% or
# more, 0.58 for TPS 1-49% and 0.71 for ...", " among IHC 2+ or 3+ tumours and 0.48 among ...": set 14 mu5302, mu5508)
# (after the ratio's own interval, the group may hold a bracket and name patients by what they had: "0.71 (95% CI
# 0.45-1.12) in women aged 65 years or older and 0.55 in younger women", "HRs were 0.45 for a tumour proportion score
# (TPS) of 50% or more, 0.62 for TPS 1-49% and 0.79 for TPS below 1%", "0.82 after one and 0.97 after two previous
# lines"; made-up set 42 mu16612, set 46 mu18012, set 34 mu13210)
_HR_NEXT_GROUP = re.compile(r"[)\]]?\s+(?:for|in|among|with|after)\s+(?:\([^()\d]*\)|[^;:()\[\]\d]|\d(?!\d*\.\d)){1,50}?(?:,\s*(?:and\s+)?|\s+and\s+)"
                            r"(?P<hr>\d?\.\d+)(?=\s+(?:for|in|among|with|after)\b)", re.I)
# the next group named first, then its bare ratio: "; in squamous histology it was 0.47", " and in nonsquamous histology
# 0.58", ", those with secondary resistance 0.58" (not a P value: "; in the ITT population P was 0.04")
_HR_GROUP_THEN = re.compile(r"(?:\s+(?:for|in|among|with)\s+[^;:()\[\]]{1,60}?)?\s*(?:\([^()]*\)\s*)?(?:[;,]\s*(?:and\s+|while\s+|whereas\s+)?|\s+and\s+)(?:(?:in|for|among)\s+(?:the\s+)?|those\s+(?:with|without|who)\s+)"
                            r"(?:(?!\b(?:P|p-?values?|interaction)\b)[^;:()\[\]\d.]){1,50}?\s*,?\s*(?:(?:it|this|that|the\s+HR)\s+was\s+|was\s+)?"
                            r"(?P<hr>\d?\.\d+)(?!\d|\.\d|\s*(?:%|months?|weeks?|years?|mo\b))", re.I)
# (also each regimen's: "HR 0.72 with an AI and 0.61 with fulvestrant", "HR 0·42 with palbociclib, 0·49 with abemaciclib,
# and 0·46 with ribociclib"; set 18 mu7110, set 21 mu8110)
# a ratio printed with its own interval and no unit: "0.37 (0.16-0.86)", "1.21 (95% CI, 0.63 to 2.34)"
# (the bracket may name the comparison first and the P value last: "0.83 (C v B; 95% CI, 0.67 to 1.03)", "0.63 (95% CI,
# 0.41-0.96; P=0.031) for arm A vs arm C"; set 8 mu2906, set 13 mu4806)
_RATIO_WITH_CI = re.compile(
    r"(?<![\d.])(?P<hr>\d?\.\d+)\s*[\[(]\s*(?:[A-Z0-9]{1,3}\s+(?:v|vs|versus)\.?\s+[A-Z0-9]{1,3}\s*[;,]\s*)?"
    r"(?:(?:9[0-9]|8[0-9])(?:\.\d+)?\s*%\s*(?:CI|confidence interval)\s*[:,]?\s*)?"
    r"(?P<lo>\d*\.\d+)\s*(?:-|–|to|,)\s*(?P<hi>\d*\.\d+)\s*(?:[;,]\s*P\s*[=<>≤]\s*0?\.\d+\s*)?[\])]"
    r"(?!\s*(?:%|months?|weeks?|years?|mo\b))", re.I)


def _listed_hazard_ratios(view: DocView, cue: int, end: int, taken: list[tuple[int, int]]) -> list[tuple]:
    """After a hazard-ratio cue, further ratios of the same sentence printed bare with their own
    interval are hazard ratios too: "{OS: hazard ratio, 0.62 [...] and 1.09 (0.88-1.36)}",
    "[hazard ratio (95% CI)] ... [STK11 mutant (n = 33): 0.37 (0.16-0.86), ...]". The interval must
    contain the ratio."""
    out = []
    for m in _RATIO_WITH_CI.finditer(view.text, cue, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        hr, lo, hi = (float(_leading_zero(m.group(g))) for g in ("hr", "lo", "hi"))
        if not lo <= hr <= hi or hr >= 10:
            continue
        p = _P_RE.search(m.group(0)) or _P_RE.match(view.text[m.end():m.end() + 30].lstrip("; ,"))
        pv = _p_text(p) if p else ""
        out.append((m.start(), m.end(), _leading_zero(m.group("hr")), _leading_zero(m.group("lo")),
                    _leading_zero(m.group("hi")), pv, ""))
    for m in _BARE_BRACKET_RATIO.finditer(view.text, cue, end):
        # "... (hazard ratio, 0.52), and in hormone receptor-negative (0.49) and hormone receptor-positive (0.46) tumors",
        # "stage II (HR 0.55), stage IIIA (0.57) and stage IIIB (0.56)": a group's ratio alone in its bracket (set 21
        # mu8304, set 14 mu5306)
        if any(a <= m.start() < b for a, b in taken + [(o[0], o[1]) for o in out]) or float(_leading_zero(m.group("hr"))) >= 3:
            continue
        out.append((m.start("hr"), m.end("hr"), _leading_zero(m.group("hr")), "", "", "", ""))
    return out


# a ratio alone in a bracket right after a group's name
_BARE_BRACKET_RATIO = re.compile(r"(?<=[A-Za-z0-9+])\s\(\s*(?P<hr>\d?\.\d{2})\s*\)(?!\s*(?:%|months?|weeks?|years?))")


def _p_value_near(view: DocView, v: Item, end: int) -> str:
    m = _P_RE.search(view.text[(v.comp_end or v.end):min(end, (v.comp_end or v.end) + 30)])
    return _p_text(m) if m else ""


def _hr_variable(view: DocView, start: int, at: int) -> tuple[int, int]:
    """The span of the variable a model's hazard ratio at `at` is given for: the words before the ratio's bracket,
    back to the previous comma, semicolon, colon or "and" ("..., residual disease (HR 1.52" -> "residual disease")."""
    text = view.text
    b = text.rfind("(", max(start, at - 60), at)
    b = b if b >= 0 else at
    cut = max([start] + [m.end() for m in _VARIABLE_SEP.finditer(text, max(start, b - 120), b)])
    return cut, b


def _names_treatment_or_endpoint(view: DocView, a: int, b: int) -> bool:
    return bool(view.drugs_in(a, b)[0] or view.ents_in(a, b, ENDPOINT))


_VARIABLE_SEP = re.compile(r"[,;:]\s*|\s(?:and|whereas|while)\s", re.I)
# (and the factors named as such, no model named: "Visceral metastases (HR 1.36) and ... were independent adverse
# prognostic factors", "... (HR 1.21) and Black race (HR 1.09) were not significant predictors of rwOS"; made-up set 24
# mu9512, mu9508)
_PROGNOSTIC = re.compile(r"\b(?:multivariate|multivariable|univariate|Cox\s+(?:regression|model|proportional)|"
                         r"independent(?:ly)?\s+(?:(?:adverse|poor|favou?rable|significant)\s+)?(?:prognostic|predictor|associated)|"
                         r"(?:adverse|poor|favou?rable)\s+prognostic\s+factors?|significant\s+predictors?\s+of)", re.I)
# a patient characteristic's hazard ratio told as an association with an endpoint, no model named: "ECOG performance
# status 2 (HR 1.88, ...) and liver metastases (HR 1.51) were associated with shorter OS" (made-up set 9 mu3306), "Circulating
# tumor DNA clearance at cycle 3 was associated with longer PFS (HR 0.38; P = .004)" (set 2 mu708), "Elevated baseline CEA
# (HR=2.27, ...) independently predicted shorter PFS" (set 9 mu3414). Not where the words before it name a drug
# ("margetuximab was associated with longer OS (23·6 vs 19·2 months; HR, ...", set 5 mu1812) nor an association with
# no endpoint ("tTMB ≥175 was associated with improved outcomes for pembrolizumab versus chemotherapy {OS: hazard
# ratio, 0.62 ...", extra pmid36709038)
_FACTOR_ASSOCIATED = re.compile(
    r"\b(?:(?:was|were|is|are|remained|remains)\s+(?:(?:significantly|independently|also)\s+)?associated\s+with|independent(?:ly)?\s+predict(?:ed|s)|"
    r"predict(?:ed|s)|(?P<had>had|showed|experienced))\s+(?:an?\s+)?(?:significantly\s+)?(?:shorter|longer|worse|better|poorer|inferior|superior|reduced|decreased|"
    r"increased|improved|prolonged)\s+(?:median\s+)?$", re.I)
# ... or told as a contrast of two patient groups ("Patients whose ctDNA cleared had longer PFS than those with
# persistent ctDNA (HR 0.38)", "obese women had a shorter PFS than normal-weight women (adjusted HR 1.27)"; set 16
# mu6012, set 20 mu7710): the endpoint, then "than" and the other group
_THAN_GROUP = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?(?:rates?\s+)?than\s+(?:in\s+)?(?:those|patients|women|men|participants|[\w-]+\s+(?:patients|women|men))\b", re.I)


def _factor_association(view: DocView, start: int, end: int) -> bool:
    """Whether text[start:end] tells a patient characteristic's association with an endpoint (_FACTOR_ASSOCIATED)."""
    text = view.text
    for e in view.ents_in(start, end, ENDPOINT):
        m = _FACTOR_ASSOCIATED.search(text, max(start, e.char_start - 80), e.char_start)
        if m is None:
            continue
        # the characteristic: the words before the association, back to the previous comma, semicolon or "and"
        cut = max([start] + [v.end() for v in _VARIABLE_SEP.finditer(text, max(start, m.start() - 120), m.start())])
        if m.group("had") and (not _THAN_GROUP.match(text, e.char_end, end) or _ARM_NOUN.search(text, cut, m.start())
                               or _REGIMEN_WORD.search(text, cut, m.start()) or _control(view, text[cut:m.start()])):
            continue    # ("patients in the combination arm had longer PFS than ..." is a comparison of arms)
        if not view.drugs_in(cut, m.start())[0]:
            return True
    return False


def _hypothetical_filter(view: DocView, start: int, end: int):
    """A test for spans of text[start:end]: inside the scope of a hypothetical cue (rules/context.yaml:
    "assuming a median PFS of 3.8 months", "powered to detect a hazard ratio of 0.58"), a number is no
    result. Negation does not apply: "did not significantly prolong PFS: 5.6 vs 3.7 months" still
    reports values. The cues are found once per span."""
    text = view.text[start:end]
    hits = [h for h in cue_hits(text, view.rules) if h.category == "hypothetical"]

    def hypothetical(s: int, e: int) -> bool:
        return bool(hits) and is_modified(text, s - start, e - start, view.rules, hits=hits) is not None
    return hypothetical


def _names_subgroup(text: str) -> bool:
    """Text between a hazard ratio and a value that names a subgroup ("in CPS below 1", "among HR-positive")."""
    return bool(_SUBGROUP_CUE.search(text) or (re.search(r"\b(?:in|among|for)\s", text) and _BIOMARKER_GROUP.search(text)))


def _hrs_by_label(view: DocView, pairs: list, hrs: list, listed_arm: dict[int, str], start: int) -> dict[int, int]:
    """value item id -> index of the hazard ratio that names the value's labelled arm as the one it is for ("HR for B
    vs A 0.74", "0.81 [...] for arm B" go to arm B's value of the sentence, whichever value is nearest): the arm a
    rules/attribution.yaml reference_arm pattern's group `for` names at the ratio's start, or arm_after_ratio right after
    its number (made-up set 39 mu15402, mu15412, set 13 mu4808, set 41 mu16104, set 30 mu11712)."""
    out: dict[int, int] = {}
    before = [r.regex for r in view.rules.patterns("attribution", "reference_arm") if "for" in r.regex.groupindex]
    after = [r.regex for r in view.rules.patterns("attribution", "arm_after_ratio")]
    for k, (hs, he, *_rest) in enumerate(hrs):
        sent = view.sentence_at(hs)
        if sent is None:
            continue
        # (at the ratio's start, "HR for B vs A 0.74", or ending in its words, "B vs A: HR 0.66", after the ratio before)
        since = max(sent.char_start, hrs[k - 1][1] if k else 0, hs - 40)
        m = next((m for rx in before for m in rx.finditer(view.text, since, he) if m.start() <= hs < m.end()), None) \
            or next((m for rx in after if (m := rx.match(view.text, he))), None)
        if m is None:
            continue
        label = _arm_named(view.arm_regimens, m.groupdict().get("for") or m.group("arm"))
        # (in the values' own clause: not "...for arms 1, 2, and 3, respectively; EFS hazard ratios relative to TCHP
        # were 1.52 (...) for arm 2", set 8 mu2910)
        mine = [v for ep, v, _lm in pairs if sent.char_start <= v.start < hs and id(v) not in out
                and not re.search(r";|\.\s", _BRACKETS.sub("()", view.text[v.end:hs]))
                and endpoint_kind(view, ep.endpoint) == "time"
                and (listed_arm.get(id(v), "") or _arm_label_of(view, v, start)) == label]
        if mine and label in view.arm_regimens:
            out[id(mine[-1])] = k
    return out


# between two hazard ratios of one list: "0.92 [95% CI 0.68-1.25] and 0.86 [...]", "1.08 and 0.81"
_HR_LIST_GAP = re.compile(r"[\s\])]*(?:,\s*(?:and\s+)?|and\s+)")


def _hrs_listed(view: DocView, pairs: list, hrs: list) -> dict[int, int]:
    """value item id -> index of its hazard ratio, for a list of ratios after as many values each compared with one
    control ("7.4 months with ramucirumab and 7.8 months with aflibercept, compared with 6.9 months with bevacizumab
    (hazard ratios 0.92 [...] and 0.86 [...], respectively)", "(HR vs XP, 0.86 [...] and 0.93 [...], respectively)"):
    the ratios in the order of the values (made-up set 39 mu15310, set 40 mu15702, mu15910)."""
    out: dict[int, int] = {}
    k = 0
    while k < len(hrs):
        run = [k]
        while run[-1] + 1 < len(hrs) and _HR_LIST_GAP.fullmatch(view.text, hrs[run[-1]][1], hrs[run[-1] + 1][0]):
            run.append(run[-1] + 1)
        k = run[-1] + 1
        sent = view.sentence_at(hrs[run[0]][0])
        if len(run) < 2 or sent is None or view.sentence_at(hrs[run[-1]][0]) is not sent:
            continue
        compared = sorted((v for ep, v, _lm in pairs if sent.char_start <= v.start < hrs[run[0]][0] and v.comparator
                           and endpoint_kind(view, ep.endpoint) == "time"), key=lambda v: v.start)
        ends = {v.comparator for v in compared}
        if len(compared) == len(run) and len(ends) == 1:
            out.update({id(v): h for v, h in zip(compared, run)})
    return out


def _hrs_to_values(view: DocView, items: list[Item], pairs: list, hrs: list,
                   taken: Optional[dict[int, int]] = None) -> dict[int, int]:
    """value item id -> index of the hazard ratio that belongs to its comparison: the nearest HR
    after the value (and its comparator), with no other value in between, for a time endpoint (after those `taken`
    already, by the arm they name)."""
    out: dict[int, int] = dict(taken or {})
    values = [i for i in items if i.kind == "value" and not i.consumed]
    eps = [i for i in items if i.kind == "endpoint"]
    for ep, v, lm in sorted(pairs, key=lambda x: x[1].start):
        if endpoint_kind(view, ep.endpoint) != "time" or id(v) in out:
            continue
        tail = v.comp_end or v.end
        for k, (hs, he, *_rest) in enumerate(hrs):
            if k in out.values() or hs < tail or hs - tail > 150:
                continue
            if any(tail <= w.start < hs for w in values if w is not v):
                break
            if re.search(r"(?:^|[^(\[])\.\s", view.text[tail:hs]):
                break
            if any(tail <= e.start < hs and e.endpoint != ep.endpoint for e in eps):
                break        # "PFS of 8.8 against 6.6 months, but OS did not differ (HR 0.88)": the HR is OS's
            gap = view.text[tail:hs]
            if (_names_subgroup(gap) or _HR_IN_TUMOURS.search(view.text, hs, he)) and re.search(r";|\band\b|\bwhile\b|\bwhereas\b|\bbut\b", gap):
                break        # "...; in CPS below 1, there was no meaningful difference (HR 0.95)": a subgroup's own
                # (or the ratio names it: "13.5 vs 10.3 months; the HR in BRAF V600E-mutated tumors was 0.55")
            out[id(v)] = k
            break
    return out


def _hrs_before_values(view: DocView, items: list[Item], pairs: list, hrs: list, taken: dict[int, int],
                       start: int) -> dict[int, int]:
    """value item id -> index of the hazard ratio stated before its comparison in the same sentence, for the same
    endpoint, with no other value between ("OS did not differ between groups (HR, 0.95; ...); 8-year OS was 90.1%
    and 90.2%, respectively", "the pooled hazard ratio was 1.09 (...), and the 8-year OS estimates were 90.2% and
    90.9%, respectively"; tuning documents mu208 of made-up set 1, mu620 of set 2, mu4204 of set 11): the ratio
    belongs to that comparison (tests/gold/abstracts/README.md, hazard ratios), not to an entry of its own. Not
    a single value's (no comparison), nor a subgroup's comparison after the ratio ("PFS (HR 0.70); in PD-L1-positive
    patients, 9.1 vs 6.0 months"), another study's ("in BRISA-3 OS did not differ (HR 0.91) and in TIDEWATER median
    OS has not been reached in either arm", set 6 mu2014) or another analysis's ("had already shown an HR of 0.27 at
    the primary analysis; the updated median DFS is 65.8 months versus 28.1 months", set 5 mu1914)."""
    out: dict[int, int] = {}
    values = [i for i in items if i.kind == "value" and not i.consumed]
    eps = [i for i in items if i.kind == "endpoint"]
    used = set(taken.values())
    for ep, v, lm in sorted(pairs, key=lambda x: x[1].start):
        if id(v) in taken or not v.comparator:
            continue
        sent = view.sentence_at(v.start)
        before = [k for k, h in enumerate(hrs) if h[1] <= v.start and sent is not None and h[0] >= sent.char_start]
        if not before:
            continue
        k = before[-1]
        hs, he, *_rest, about = hrs[k]
        # (from the ratio's start: its interval may run over another group's words, "the PFS hazard ratio was
        # 0.40, and in the HRD-negative subgroup it was 0.65 (95% CI 0.45-0.95), with medians of ...", set 14 mu5308)
        gap = view.text[hs:v.start]
        if k in used or k in out.values() or any(he <= w.start < v.start for w in values if w is not v) \
                or _names_subgroup(gap) or view.ents_in(hs, v.start, TRIAL) \
                or any(r.regex.search(gap) for r in view.rules.patterns("attribution", "another_analysis")):
            continue
        hep = _hr_endpoint(view, eps, start, hs, he, about)
        if hep is not None and hep.endpoint == ep.endpoint:
            out[id(v)] = k
    return out


# (after the value's own count or interval: "42.1% (24/57) in arm A", "78/127 patients (61.4%) in arm 1", "13.4% of arm 1";
# made-up set 16 mu6004, mu6308, mu6112)
_LABEL_AFTER = re.compile(rf"\s*\)?\s*(?:\([^()]{{0,40}}\)\s*)?(?:for|in|of)\s+(?:the\s+)?(?P<label>{ARM_LABEL})\b", re.I)
_NAMED_AFTER = re.compile(rf"\s*\)?\s*(?:\([^()]{{0,40}}\)\s*)?(?:for|in|of|among)\s+(?:the\s+)?(?:patients\s+in\s+(?:the\s+)?)?(?P<label>{NAMED_ARM})\b")
_LABEL_RIGHT_BEFORE = re.compile(rf"\b(?P<label>{ARM_LABEL})\s*[:=]?\s*(?:\d+\s*/\s*\d+\s*\(\s*)?$", re.I)
# ("In arm A (n = 31), the ORR was 48.4%", "In cohort 1 (n=80), ..."; "The ORR in arm D (n = 58) was 22.4%": the
# label's bracket and the verb after it; tuning documents mu4506 of made-up set 12, mu3806 of set 10, mu1114 of set 3)
# (not a result's bracket that ends a clause: "... versus 9.6 months in arm 2 (HR 0.83; P = .48), and ...", set 8 mu2814)
_LABEL_OPENING = re.compile(rf"\b(?:in|for)\s+(?P<label>{ARM_LABEL})\s*(?:\((?![^()]*(?:\bHR\b|\bCI\b|\bP\s*[=<>]|%))[^()]{{0,40}}\)\s*)?"
                            r"(?:,|(?=(?:was|were)\b))", re.I)


def _arm_label_of(view: DocView, v: Item, start: int) -> str:
    """The cohort label a value is given for: "0% for arm 2", "In arm 1, the ORR was 21.2%"; its own label
    before its comparator's ("29.4 months for arm A vs 21.3 months for arm C")."""
    m = _LABEL_AFTER.match(view.text, v.end) or (_LABEL_AFTER.match(view.text, v.comp_end) if v.comp_end else None)
    if m:
        return re.sub(r"\s+", " ", m.group("label").lower())
    # "41.5% of nCRT group", "in the HLX02 group": an arm the text named by a word and defined
    m = _NAMED_AFTER.match(view.text, v.end) or (_NAMED_AFTER.match(view.text, v.comp_end) if v.comp_end else None)
    if m and re.sub(r"\s+", " ", m.group("label").lower()) in view.arm_regimens:
        return re.sub(r"\s+", " ", m.group("label").lower())
    # "81% (Arm A), 86% (Arm B)", "Arm A 78/117 (66.7%); Arm B ...", "Arm A 12.5 mo"
    m = ARM_LABEL_AFTER.match(view.text, v.end) or _LABEL_RIGHT_BEFORE.search(view.text, max(start, v.start - 30), v.start)
    if m:
        return re.sub(r"\s+", " ", m.group("label").lower())
    before = list(_LABEL_OPENING.finditer(view.text, start, v.start))
    if before:
        return re.sub(r"\s+", " ", before[-1].group("label").lower())
    # "Cohort 2 enrolled 21 patients: responses were confirmed in 12 of 14 (85.7%)", "Eleven of the 18 patients in
    # cohort 3 responded (61.1%)": the one arm the text defined that the sentence names before the value (set 15 mu5912)
    # (not where the sentence names a drug after the label: "progressed in Group C and who then received pyrotinib
    # monotherapy, 38.7% ...", set 7 mu2410; nor where it names two arms: "in group B and 5.4 months in group A", set 15
    # mu5702)
    found = list(_ANY_LABEL.finditer(view.text, start, v.start))
    named = {re.sub(r"\s+", " ", m.group().lower()) for m in found if m.group().split()[-1].isupper() or m.group().split()[-1].isdigit()}
    if len(named) != 1 or not named <= set(view.arm_regimens) or view.ents_in(found[-1].end(), v.start, "DRUG"):
        return ""
    return named.pop()


_ANY_LABEL = re.compile(rf"\b{ARM_LABEL}\b", re.I)


def _listed_arms(view: DocView, items: list[Item]) -> dict[int, str]:
    """value item id -> arm label, for a "..., respectively" list of exactly as many values as the
    text defined labelled arms ("arm 1, alpelisib; ...; arm 5, durvalumab" ... "PFS was 3.4, 3.2,
    5.6, 1.6, and 1.7 months, respectively"), when the list names no populations of its own."""
    labels = list(view.arm_regimens)
    groups: dict[int, list[Item]] = {}
    for i in items:
        if i.kind == "value" and i.group:
            groups.setdefault(i.group, []).append(i)
    out: dict[int, str] = {}
    for vals in groups.values():
        if len(labels) >= 3 and len(vals) == len(labels) and not any(v.population for v in vals):
            vals = sorted(vals, key=lambda x: x.start)
            out.update({id(v): lab for v, lab in zip(vals, _label_order_before(view, vals[0].start, labels))})
    # "64.2%, 71.5% and 75.9% in arms A, B and C", "92.1%, 87.0%, and 93.4% for arms 1, 2, and 3, respectively":
    # a list of values, then the arms they are given for, in order (arms the text defined)
    values = sorted((i for i in items if i.kind == "value" and not i.consumed), key=lambda x: x.start)
    if labels and values:
        for m in _ARM_LABEL_LIST.finditer(view.text, values[0].end, values[-1].end + 80):
            names = _label_names(m)
            # (every arm the text defined a regimen for; one it did not define keeps the sentence's: "8.1, 6.3, 16.4
            # and 4.5 months in arms A, B, C and D, respectively", arm D defined by no label the text reads; set 12
            # mu4506)
            if len(names) < 2 or sum(n in labels for n in names) < 2:
                continue
            before = [v for v in values if v.end <= m.start()][-len(names):]
            gaps = [view.text[a.comp_end or a.end:b.start] for a, b in zip(before, before[1:])]
            if len(before) == len(names) and all(_LIST_GAP.fullmatch(g) for g in gaps) \
                    and _LIST_GAP.fullmatch(view.text, before[-1].comp_end or before[-1].end, m.start()):
                out.update({id(v): n for v, n in zip(before, names)})
                continue
            # a "respectively" list, then its arms: "26.3 and 22.9 months, respectively, in cohorts A and B" (set 27
            # mu10406, set 26 mu10204)
            last = max((i for i in items if i.kind == "value" and i.group and i.end <= m.start()), key=lambda i: i.end, default=None)
            listed = sorted((i for i in items if i.kind == "value" and last is not None and i.group == last.group),
                            key=lambda i: i.start)
            if len(listed) == len(names) and _RESPECTIVELY_GAP.fullmatch(view.text, listed[-1].end, m.start()):
                out.update({id(v): n for v, n in zip(listed, names)})
        # the same list with its arms named first (_LABELS_THEN_LIST): each value's population is its arm
        for v in values:
            if v.group and v.population in labels and id(v) not in out:
                out[id(v)] = v.population
        # "the disease control rate 75.0%, 83.8%, and 87.5%", "Median overall survival was 11.9, 13.8, and 15.4
        # months", "the 18-month OS rates were 93.2%, 91.4% and 88.9% in the three arms": a list of as many values
        # as the text defined three or more arms, naming no group of its own, is one value per arm, in the order
        # the sentence last listed the arms in, else the order they were defined in (set 30 mu11712, mu11704)
        if len(labels) >= 3:
            for run in _value_runs(view, values):
                if len(run) != len(labels) or any(id(v) in out or v.population for v in run):
                    continue
                if not _OWN_LIST_END.match(view.text, run[-1].comp_end or run[-1].end):
                    continue
                out.update({id(v): n for v, n in zip(run, _label_order_before(view, run[0].start, labels))})
    return out


# what may follow a list of values that names no group of its own: the clause's end, "in the three arms", "respectively"
_OWN_LIST_END = re.compile(r"\s*(?:\([^()]*\)\s*)?(?:[.;]|$|,\s*(?:and|with|whereas|while|respectively)\b|,?\s*respectively\b"
                           r"|\s+(?:in|for|among)\s+(?:the\s+)?(?:three|four|five|six|[3-6]|respective)\s+(?:treatment\s+)?(?:arms|groups)\b"
                           # (the patients every arm's rate is of: "Objective responses occurred in 14.5%, 19.8% and 12.3% of
                           # patients with measurable disease."; made-up set 39 mu15310, set 40 mu15602)
                           r"|\s+of\s+(?:the\s+)?(?:patients|participants)\s+with\s+(?:measurable|evaluable)\s+disease\s*(?:[.;]|$))", re.I)


_RANGE_VALUE = re.compile(rf"{NUM}\s*[-–]\s*{NUM}")


def _cohorts_listed_after(text: str, end: int) -> list[str]:
    """The cohorts or parts a "respectively" list names after it ("..., respectively, in cohorts A and B": "cohort A",
    "cohort B"); [] when it names none, or names arms or groups (compared, not each its own)."""
    r = _RESPECTIVELY_GAP.match(text, end)
    m = _ARM_LABEL_LIST.match(text, r.end()) if r else None
    names = _label_names(m) if m else []
    if not names or any(n.split()[0] not in ("cohort", "part") for n in names):
        return []
    return [_labelled_population(*n.split()) for n in names]


def _value_runs(view: DocView, values: list[Item]) -> list[list[Item]]:
    """The lists of values of one unit written one after another ("31.3%, 45.6%, and 53.8%", "47.6% (30/63), 44.1%
    (26/59) and 30.0% (18/60)"): runs of two or more values joined by list gaps (_LIST_GAP), none a comparator."""
    runs: list[list[Item]] = []
    for v in values:
        last = runs[-1][-1] if runs else None
        if last is not None and v.unit == last.unit and not last.comparator and \
                _LIST_GAP.fullmatch(view.text, last.end, v.start) and view.text[last.end:v.start].strip():
            runs[-1].append(v)
        else:
            runs.append([v])
    return [r for r in runs if len(r) >= 2 and not r[-1].comparator]


def _label_order_before(view: DocView, at: int, labels: list[str]) -> list[str]:
    """The order of the arms a list of values at `at` follows: that of the last list of all the arms earlier in its
    paragraph ("ORR was ... in arm II, arm III and arm I; CBR was 80.5%, 78.0% and 63.4%, respectively"), else the
    order the text defined them in."""
    a = view.para_of(at).start
    order = labels
    for m in _ARM_LABEL_LIST.finditer(view.text, a, at):
        names = _label_names(m)
        if sorted(names) == sorted(labels):
            order = names
    return order


# the arm a hazard ratio is given for, after it and its interval: "1.14 (90% CI, 0.78 to 1.67) in group B",
# "1.52 (95% CI, 0.86-2.69) for arm 2" (tuning documents mu2910 and mu2914 of made-up set 8)
_HR_ARM_AFTER = re.compile(rf"[^;:.()\[\]]{{0,3}}?[)\]]?\s*(?:for|in)\s+(?:the\s+)?(?P<label>{ARM_LABEL})\b", re.I)
# the regimen a ratio is given for, named right after it (and its interval): "0.58 for palbociclib, 0.55 for ...",
# "0·78 for nivolumab, ..."
_HR_FOR_REGIMEN = re.compile(r"[)\]]?\s*(?:\([^()]{0,60}\)\s*)?for\s+(?P<arm>[^,;:()\[\]]{2,60}?)(?=\s*(?:[,;:(]|\band\b|\bversus\b|\bvs\b|\bagainst\b|$))", re.I)
# between two ratios of one list: the first one's arm, then "and" ("... 1.14 (90% CI ...) in group B and 1.71")
_NEXT_RATIO = re.compile(rf"[)\]]?\s*(?:(?:for|in)\s+(?:the\s+)?{ARM_LABEL}\s*)?,?\s*(?:and|,)\s*", re.I)
# (or a range of them: "in groups A to D", "in arms A-C": _LABELS)
_ARM_LABEL_LIST = re.compile(rf"\s*(?:in|for|of)\s+(?:the\s+)?(?:patients\s+in\s+(?:the\s+)?)?(?P<kind>{ARM_LABEL_NOUNS})"
                             rf"(?:s\s+|\s+(?=\S+\s*,\s*(?:{ARM_LABEL_NOUNS})\s))" + _LABELS)


def _label_names(m: re.Match) -> list[str]:
    """The arm labels a list names ("arms A, B and C", "groups A to D"), in order."""
    kind = m.group("kind").lower()
    if m.group("first"):
        a, b = m.group("first"), m.group("last")
        if a.isdigit() != b.isdigit() or ord(b) <= ord(a):
            return []
        return [f"{kind} {chr(c).lower()}" for c in range(ord(a), ord(b) + 1)]
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("labels"))
    return [kind + " " + _LABEL_NOUN.sub("", x).lower() for x in parts]     # ("arm II, arm III and arm I")


_LABEL_NOUN = re.compile(rf"^(?:{ARM_LABEL_NOUNS})\s+", re.I)
_RESPECTIVELY_GAP = re.compile(rf"\s*(?:{UNIT})?\s*(?:\([^()]{{0,60}}\)\s*)?,?\s*respectively\s*,?", re.I)
# what separates the values of a list: a comma, "and", a bracketed interval or count; the list's own words
_LIST_GAP = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:,\s*)?(?:and\s+|(?:vs\.?|versus)\s+)?(?:of\s+(?:the\s+)?patients\s*)?", re.I)


def _labelled_arm_pairs(view: DocView, pairs: list, start: int, listed_arm: dict[int, str]) -> list:
    """In a text that defines exactly two labelled arms ("Arm A: ..., Arm B: ..."), two values of one endpoint
    in a row, each labelled by the other arm ("Arm A 12.5 mo ↔ Arm B 6.8 mo", "Median: Arm A 35.0 months, Arm B
    32.9 months", "54.6% in Arm A and 42.2% in Arm B"), are one comparison: the control arm's value
    (rules/attribution.yaml control_arm) is the comparator, else the second's."""
    arms = view.arm_regimens
    if len(arms) != 2 or len(pairs) < 2:
        return pairs
    out, k = [], 0
    while k < len(pairs):
        ep, v, lm = pairs[k]
        if k + 1 < len(pairs):
            ep2, w, lm2 = pairs[k + 1]
            a = _arm_label_of(view, v, start) or listed_arm.get(id(v), "")
            b = _arm_label_of(view, w, start) or listed_arm.get(id(w), "")
            # (two cohorts are two groups, not compared arms: "78.9% (30/38) in cohort A and 62.5%
            # (5/8) in cohort B", set 10 mu3604)
            cohorts = a.split()[:1] in (["cohort"], ["part"])
            if ep2.endpoint == ep.endpoint and a in arms and b in arms and a != b and lm == lm2 and not cohorts \
                    and v.unit == w.unit and not v.comparator and not w.comparator and not v.arms and not w.arms:
                if (_control(view, arms[a]) and not _control(view, arms[b])) or _regimen_within(arms[a], arms[b]):
                    # the control arm named first, by a control word or as the other arm's regimen less its added
                    # drug ("tamoxifen alone (arm A) or everolimus plus tamoxifen (arm B)": set 16 mu6004)
                    v, w = w, v
                    a, b = b, a
                v.comparator, v.comp_end, v.control_label = w.value, max(v.end, w.end), b
                out.append((ep, v, lm))
                k += 2
                continue
        out.append((ep, v, lm))
        k += 1
    return out


def _regimen_within(a: str, b: str) -> bool:
    """Regimen a is regimen b less one or more of its drugs ("tamoxifen" within "everolimus + tamoxifen")."""
    da, db = set(a.split(" + ")), set(b.split(" + "))
    return bool(a) and da < db


def _control_label(view: DocView) -> str:
    """The one control arm of a text that defines labelled arms: the arm a sentence names as the reference (two arms
    or more; rules/attribution.yaml reference_arm: "Arm A served as the reference arm"), else, of three or more, the
    arm whose definition names a control (control_arm: "FLOT ... alone (arm A)", "(arm A, control)", "investigator's
    choice of mFOLFOX6, ... (arm C)"); "" when none or more than one does. Found once per document."""
    return view.memo("control_label", lambda: _find_control_label(view))


def _find_control_label(view: DocView) -> str:
    arms = view.arm_regimens
    # the arm a sentence names as the reference ("Arm A served as the reference arm"; rules/attribution.yaml
    # reference_arm), of two arms or more
    named = {_arm_named(arms, m.group("arm")) for r in view.rules.patterns("attribution", "reference_arm")
             for m in r.regex.finditer(view.text)}
    named &= set(arms)
    if len(named) == 1:
        return named.pop()
    if len(arms) < 3:
        return ""
    found: set[str] = set()
    labels = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in arms)
    spots = list(re.finditer(rf"\b(?P<label>{labels})\b", view.text, re.I))
    seen: set[str] = set()
    prev_end = 0
    for m in spots:
        label = re.sub(r"\s+", " ", m.group("label").lower())
        if label not in seen:       # the label's definition: its bracket, and the regimen before it in its clause
            seen.add(label)
            after = view.text[m.end():m.end() + 40].split(")")[0]
            before = re.split(r"[;:]|\.\s", view.text[max(prev_end, m.start() - 160):m.start()])[-1]
            before = before[before.rfind(")") + 1:]        # not the bracket of the arm before ("(group A, standard)")
            if re.match(r"^\s*[,;]", after) and _names_control(view, after) or (
                    view.text[m.start() - 1:m.start()] == "(" and _names_control(view, before)):
                # ("disitamab vedotin alone (group B)" beside "... plus pembrolizumab (group A)" and chemotherapy
                # (group C): a monotherapy arm, not the control; made-up set 6 mu2110)
                found.add(label)
        prev_end = m.end()
    return found.pop() if len(found) == 1 else ""


def _arm_named(arms: dict[str, str], name: str) -> str:
    """The arm label a text names ("the TC group" -> "tc group"); a bare letter or number ("B vs A") is the text's arm
    or group of that letter, where only one of them has it."""
    name = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", name.lower()))
    if " " not in name:
        found = [a for a in arms if a.split()[-1] == name and a.split()[0] in ("arm", "group")]
        return found[0] if len(found) == 1 else name
    return name


def _names_control(view: DocView, definition: str) -> bool:
    """An arm's definition names a control by a word other than "alone" (a monotherapy arm beside combinations)."""
    return _control(view, re.sub(r"\balone\b", " ", definition))


def _multi_arm_pairs(view: DocView, pairs: list, start: int, listed_arm: dict[int, str]) -> list:
    """In a text of three or more labelled arms with one control arm, the control arm's value given beside other
    arms' values of the same endpoint ("3-year OS was 67.1% in arm A, 77.8% in arm B and 76.3% in arm C"; "ORR
    was 37.1% in arm A, 51.6% in arm B, and 9.7% in arm C") is the comparator of each of them, not a result of
    its own (tuning documents mu4802, mu4806 and mu4808 of made-up set 13). Alone in its clause ("The pCR rate in
    arm A was 61.2%") it stays a value."""
    ctrl = _control_label(view) if len(pairs) >= 2 else ""
    if not ctrl:
        return pairs
    label = {id(v): listed_arm.get(id(v), "") or _arm_label_of(view, v, start) for _ep, v, _lm in pairs}
    out = list(pairs)
    for ep, c, lm in pairs:
        # (a value's own arm phrase, "21.4% in arm A", is its label: one arm of a list, no comparison)
        if label[id(c)] != ctrl or c.comparator or len(c.arms) == 4:
            continue
        others = [v for e, v, l in pairs if v is not c and e.endpoint == ep.endpoint and l == lm and v.unit == c.unit
                  and label[id(v)] in view.arm_regimens and label[id(v)] != ctrl and len(v.arms) != 4]
        if not others:
            continue
        for v in others:
            if not v.comparator:
                v.comparator, v.control_label = c.value, ctrl
        out = [p for p in out if p[1] is not c]
    return out


def _respective_hr_endpoints(view: DocView, eps: list[Item], hrs: list[tuple[int, tuple]]) -> dict[int, Item]:
    """HR index -> its endpoint for "PFS and OS ... HR a (...) and HR b (...), respectively": as many
    time endpoints named (in order, distinct) before the first HR as there are HRs in the list."""
    if len(hrs) < 2:
        return {}
    last_end = hrs[-1][1][1]
    if not re.match(r"^[\s,;)\]]*respectively\b", view.text[last_end:last_end + 20], re.I):
        return {}
    first = hrs[0][1][0]
    named: list[Item] = []
    for e in eps:
        if e.end <= first and endpoint_kind(view, e.endpoint) == "time" and e.endpoint not in {n.endpoint for n in named}:
            named.append(e)
    if len(named) != len(hrs):
        return {}
    return {k: e for (k, _hr), e in zip(hrs, named)}


def _hr_endpoint(view: DocView, eps: list[Item], start: int, hs: int, he: int, about: str) -> Optional[Item]:
    """The endpoint a hazard ratio no value took is about: the time endpoint named just before
    (else just after) it, what it says it is "for", deaths before it, or the span's only time endpoint."""
    near = [e for e in eps if e.end <= hs and hs - e.end <= 80]
    if near and endpoint_kind(view, near[-1].endpoint) != "time":
        return None                      # "distant DFS (DDFS; HR = 0.53)": an outcome outside the vocabulary
    before = [e for e in eps if e.end <= hs and endpoint_kind(view, e.endpoint) == "time" and hs - e.end <= 80]
    after = [e for e in eps if e.start >= he and endpoint_kind(view, e.endpoint) == "time" and e.start - he <= 40]
    if before or after:
        return before[-1] if before else after[0]
    if not about:
        # "reduced the risk of progression by 46% (HR 0.54)"; "... patients died compared with ... (HR 0.93 ...)"
        risk = _RISK_OF.search(view.text, max(start, hs - 200), hs)
        if risk:
            what = risk.group("what").lower()
            about = {"progression": "PFS", "death": "OS", "dying": "OS"}.get(what) or \
                ("IDFS" if what.startswith("invasive") else _EVENT)
        elif re.search(_DEATH, view.text[max(start, hs - 200):hs], re.I):
            about = "OS"
    if about == _EVENT:
        return _event_endpoint_before(view, hs, he)
    if about:
        return Item("endpoint", hs, he, endpoint=about)
    time_eps = [e for e in eps if endpoint_kind(view, e.endpoint) == "time"]
    if not eps:
        return _previous_hr_endpoint(view, start, hs, he)
    return time_eps[0] if len({e.endpoint for e in time_eps}) == 1 else None


def _event_endpoint_before(view: DocView, hs: int, he: int) -> Optional[Item]:
    """The last time endpoint other than OS that the paragraph names before a hazard ratio "for an event"."""
    para = view.para_of(hs)
    named = [e for e in view.ents_in(para.start, hs, ENDPOINT)
             if endpoint_kind(view, e.normalized) == "time" and e.normalized != "OS"]
    return Item("endpoint", hs, he, endpoint=named[-1].normalized) if named else None


_OTHER_OUTCOME = re.compile(r"\btimes?\s+to\b|\bsurvival\b|\b(?:rate|risk|odds|incidence)s?\b", re.I)


def _previous_hr_endpoint(view: DocView, start: int, hs: int, he: int) -> Optional[Item]:
    """A sentence that names no endpoint continues the previous one: "Median PFS was ... (hazard
    ratio, 0.59 ...). Consistent effects were observed in ... (hazard ratio, 0.58 ...)" is about the
    endpoint of the previous sentence's hazard ratio, in the same paragraph."""
    sent = view.sentence_at(start)
    prev = view.prev_sentences(sent)[:_HR_LOOKBACK] if sent is not None else []
    if sent is not None and not prev and sent.index > 0:
        # a bullet or line of its own: the line right before it ("• Median PFS by BICR: 8.9 vs 4.2 months / • HR 0.52")
        line = view.sentences[sent.index - 1]
        own = view.text[line.char_start:line.char_end]
        # (a slide's or a list's lines are each a paragraph of one short sentence)
        short = all(len(view.text[x.char_start:x.char_end].strip()) <= 120 and view.para_of(x.char_start).start == x.char_start
                    for x in (line, sent))
        if short and _NEXT_LINE.fullmatch(own[len(own.rstrip()):] + view.text[line.char_end:sent.char_start]):
            return _comparison_before(view, line, sent, hs, he)
    if not prev or _OTHER_OUTCOME.search(view.text, sent.char_start, hs):
        return None                      # "Median times to chemotherapy ... [HR 0.72]": another outcome
    # ... or of the nearest earlier one that gives a hazard ratio for a named endpoint, past sentences between that
    # give none ("PFS ... (HR 0.59 ...). PFS rates at 12 months were 27.4% and 9.8%. The benefit was consistent
    # across prespecified subgroups, including ... (HR 0.52)"; set 9 mu3704; "(HR 0.51), and in HR-proficient
    # disease ... (HR 0.69)", naming none, is passed: set 11 mu4204)
    for p in prev:
        first_hr = _HR_RE.search(view.text, p.char_start, p.char_end)
        if first_hr is None:
            continue
        before = [e for e in view.ents_in(p.char_start, first_hr.start(), ENDPOINT)
                  if endpoint_kind(view, e.normalized) == "time"]
        if before:
            return Item("endpoint", hs, he, endpoint=before[-1].normalized)
    # ... else the comparison right before it, of one time endpoint: "Median PFS was 8.9 versus 4.2 months. The hazard
    # ratio was 0.52 (...)", the bullet after "3-yr iDFS: Arm A 90.1% | Arm B 87.0%" (set 7 mu2504, mu2510, set 13 mu4902)
    return _comparison_before(view, prev[0], sent, hs, he)


# between a line and the next one: a line break and a bullet
_NEXT_LINE = re.compile(r"[ \t]*\n\s*(?:[•·\-–*]\s*)?")


def _comparison_before(view: DocView, p: Sentence, sent: Sentence, hs: int, he: int) -> Optional[Item]:
    """The one time endpoint whose values the sentence `p` right before a hazard ratio's gives, when neither names
    a hazard ratio of its own and the ratio's sentence gives no value."""
    if _HR_RE.search(view.text, p.char_start, p.char_end) is not None \
            or re.search(r"(?<!9[05]% )(?<![(\[])\b\d+(?:\.\d+)?\s*(?:%(?!\s*(?:CI|confidence|credible))|months?|mo\b)", view.text[sent.char_start:sent.char_end]):
        return None
    named = {e.normalized for e in view.ents_in(p.char_start, p.char_end, ENDPOINT)}
    if len(named) == 1 and endpoint_kind(view, next(iter(named))) == "time" \
            and re.search(r"\d\s*(?:%|months?|mo\b|years?)", view.text[p.char_start:p.char_end]):
        return Item("endpoint", hs, he, endpoint=named.pop())
    return None


_HR_LOOKBACK = 3    # sentences


# "..., versus 60.0% (12/20) among IHC 2+ patients", "compared with 50.0% in those with IHC 2+/FISH-positive
# tumors": the second value is its own biomarker group's, in a review as in a record
_SUBGROUP_AFTER = re.compile(
    r"\s*(?:[\[(][^()\[\]]*[\])]\s*)?,?\s*(?:among|in|for)\s+(?:the\s+)?(?:(?:those|patients|participants|women|men)\s+)?"
    r"(?:(?:with|whose|who\s+had)\s+)?(?P<grp>[^;,.()]{1,50})", re.I)
_BIOMARKER_GROUP = re.compile(
    r"\b(?:IHC|ISH|FISH|HER2[- ](?:low|ultralow|positive|negative|0|zero|mutant|amplified)|mutat\w*|mutant|wild[- ]type|"
    r"amplif\w*|(?:over)?express\w*|PD-L1|CPS|TPS|ctDNA|hormone receptor|HR[- ](?:positive|negative)|ER[- ](?:positive|negative))"
    # ... or by how they responded: "EFS of 92.7% with a pCR, compared with 76.5% for those with residual disease",
    # "98.3% in patients with tpCR versus 84.0% in patients without tpCR" (made-up set 16 mu6210, set 15 mu5612,
    # set 17 mu6610)
    # (the patients' pCR, not the endpoint: "tpCR: 79.4% vs 65.0% in HR-negative pts" compares arms)
    r"|\b(?:with|without|achieving|achieved|no)\s+(?:an?\s+)?(?:t|bp)?pCR\b|\bresidual\s+(?:invasive\s+)?(?:disease|tumou?r|cancer)\b"
    # ... or by the treatment they had before: "trastuzumab-pretreated", "pyrotinib-naive", "treatment-naïve"
    r"|[\w/]+" + PATIENT_STATE.pattern, re.I)


def _names_treatment(view: DocView, a: int, b: int) -> bool:
    """Whether text[a:b] names a drug as a treatment, not as what patients had before ("trastuzumab-naive
    patients", "lapatinib-pretreated ones")."""
    return any(not PATIENT_STATE.match(view.text, e.char_end) for e in view.ents_in(a, b, "DRUG"))


def _subgroup_after(view: DocView, v: Item) -> bool:
    """Whether each of the two values is a biomarker group's, naming no drug."""
    m = _SUBGROUP_AFTER.match(view.text, v.comp_end or v.end)
    if not m or not _BIOMARKER_GROUP.search(m.group("grp")) or _names_treatment(view, m.start("grp"), m.end("grp")):
        return False
    # ... and the first value is its own group's too ("In the IHC 3+ cohort the ORR was 80.8%, versus ..."),
    # not "extended OS to 14.4 from 11.1 months in patients with a CPS of 5 or more" (one group, two arms)
    sent = view.sentence_at(v.start)
    # ("mPFS was 8.2 mo in trastuzumab-pretreated versus 11.4 mo in trastuzumab-naive patients": the first group
    # between the two values)
    # (not the group of the comparison before it in the sentence: "68.6% versus 63.0% in PD-L1-positive tumours and
    # 72.4% versus 70.1% in hormone receptor-negative disease" compares arms twice; made-up set 42 mu16406, mu16608,
    # set 34 mu13304, set 33 mu12810)
    if sent is None:
        return False
    # (the last comparator before it, not a number of a group's name: "20.8 versus 13.1 months for TPS 1%-49% (HR
    # 0.66) and 16.4 versus 12.8 months for TPS <1%", made-up set 42 mu16602, set 40 mu15904)
    earlier = [e for e in _VALUE_WITH_UNIT.finditer(view.text, sent.char_start, v.start)
               if _COMPARED_BEFORE.search(view.text, max(sent.char_start, e.start() - 25), e.start())]
    lo = sent.char_start
    if earlier:
        own = _SUBGROUP_AFTER.match(view.text, earlier[-1].end())       # (with the group it was given for)
        lo = min(own.end(), v.start) if own else earlier[-1].end()
    return _BIOMARKER_GROUP.search(view.text, lo, m.start()) is not None


# a number with its unit (a value before another in the sentence)
_VALUE_WITH_UNIT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|months?\b|mo\b|weeks?\b|years?\b)")
# ... the comparator of a comparison ("68.6% versus |63.0%")
_COMPARED_BEFORE = re.compile(r"\b(?:vs\.?|versus|v|compared\s+with|against)\s*$", re.I)


_HR_RIGHT_AFTER = re.compile(r"\s*(?:months?|mo|weeks?|years?|%)?\s*(?:,?\s*respectively)?\s*[,;]?\s*[(\[]?\s*"
                             r"(?:(?:stratified|unstratified|adjusted)\s+)?(?:\[?HR\]?|hazard ratio)\b", re.I)


_TREATED_TAIL = re.compile(r"\s*(?:with|for|on|receiving|given)\s+(?P<arm>[^,;:.()\d]{2,40})", re.I)
_CHEMO_WORD = re.compile(r"chemotherapy|\bchemo\b", re.I)


def _groups_compared(view: DocView, v: Item) -> bool:
    """"OS, 91% versus 75%" in a record that randomises nothing (DocView.compares_arms) compares
    patient groups (biomarker levels, cohorts), not treatments: each number is its own group's
    result. Values whose comparison names a drug between them stay one comparison."""
    if not v.comparator or v.arms or v.shared_group:
        return False
    if _subgroup_after(view, v) or _group_contrast(view, v.start) or _rest_contrasted(view, v):
        return True
    if view.compares_arms:
        return False
    if view.ents_in(v.start, v.comp_end or v.end, "DRUG"):
        return False
    sent = view.sentence_at(v.start)
    if sent is None:
        return True
    if _arms_compared_before(view, sent):
        return False
    # "X and Y comparing to X as a single agent (PFS: 21.7 vs. 9.3 months)", "treated with X plus
    # an AI and AI alone was 37.4 months and 29.2 months": treatments compared, not groups
    before = view.text[sent.char_start:v.start]
    if _control(view, before):
        return False
    # "median OS was 22.7 and 16.9 months (HR 0.66)": a hazard ratio right after the two values
    # compares the treatments of the span
    if _HR_RIGHT_AFTER.match(view.text, v.comp_end or v.end, sent.char_end):
        return False
    # "6.9 months versus 4.9 months with chemotherapy", "51% (versus 29% with platinum chemotherapy)",
    # "relative to 14.2% for docetaxel": the second value names the treatment it came with
    tail = _TREATED_TAIL.match(view.text, v.comp_end or v.end, sent.char_end)
    if tail and (view.ents_in(tail.start("arm"), tail.end("arm"), "DRUG") or _control(view, tail.group("arm"))
                 or _CHEMO_WORD.search(tail.group("arm"))):
        return False
    # "... improved the response rate from 29% to 42%", "raised the ORR to 48.3% from 19.9%": a
    # change a treatment brought, not two groups
    if _CHANGE_VERB.search(before) and (_FROM_TO.search(view.text, max(0, v.start - 40), v.start)
                                        or _TO_FROM.match(view.text, v.end, v.comp_end or v.end)):
        return False
    for r in view.rules.patterns("attribution", "comparator"):
        for m in r.regex.finditer(view.text, sent.char_start, v.start):
            if view.ents_in(m.end(), v.start, "DRUG"):
                return False
    return True


def _arms_compared_before(view: DocView, sent: Sentence) -> bool:
    """Whether the sentence right before, in the same paragraph, compared two treatments with a hazard ratio
    ("The median PFS was 5.1 months in the nab-PTX group against 4.3 months in the sb-PTX group (HR 0.84 ...).
    ... Objective responses were observed in 31.4% and 24.1% of patients, respectively": the next pair, naming
    no group of its own, compares the same arms). Not a prognostic model's hazard ratios."""
    prev = view.prev_sentences(sent)[:1]
    if not prev:
        return False
    p = prev[0]
    return _HR_RE.search(view.text, p.char_start, p.char_end) is not None \
        and not _PROGNOSTIC.search(view.text, p.char_start, p.char_end)


_ADDS = re.compile(r"\b(?:combination|combined|addition|adding|added)\b", re.I)


def _clause_bounds(view: DocView, start: int, end: int) -> list[tuple[int, int]]:
    """Where the span start..end parts into clauses (found once per span)."""
    return clause_breaks(view, start, end, "attribution", "value_clause_break")


def _clause_of(bounds: list[tuple[int, int]], start: int, end: int, v: Item) -> tuple[int, int, int]:
    """(clause start, clause end, end of the first clause) of a value in the span start..end."""
    cs = max((b for a, b in bounds if b <= v.start), default=start)
    ce = min((a for a, b in bounds if a >= (v.comp_end or v.end)), default=end)
    return cs, ce, min((a for a, b in bounds), default=end)


# between a value and the trial it comes from: "27.8% in the ZENITH-EX20 trial", "9.9 months in the LUMINA-H2 cohort"
_FROM_TRIAL = re.compile(r"\s*(?:\([^()]{0,60}\)\s*)?(?:in|from)\s+(?:the\s+)?$", re.I)


def _trial_named_after(view: DocView, v: Item, end: int) -> str:
    """The trial a value is given in, named right after it ("an ORR of 27.8% in the ZENITH-EX20 trial"; set 18
    mu6906); else "". Asked only where the sentence names more than one trial."""
    stop = min(end, (v.comp_end or v.end) + 80)
    after = view.trials_in(v.comp_end or v.end, stop)
    if not after:
        return ""
    s, _, name = after[0]
    return name if _FROM_TRIAL.fullmatch(view.text, v.comp_end or v.end, s) else ""


def _trial_of_clause(view: DocView, bounds: list[tuple[int, int]], start: int, end: int, v: Item,
                     skip: Callable[[int], bool] = lambda _s: False) -> str:
    """The one trial the value's own clause names before it ("...; the atezolizumab trial IMPALA-Neo reported pCR rates
    of 57.4% and 41.9%, whereas in DURABLE-B, ..., pCR was 53.4%": set 18 mu6910); else "". Asked where the sentence
    names more than one trial, or a reference trial (names `skip` accepts do not count)."""
    cs, _, _ = _clause_of(bounds, start, end, v)
    own = {t for s, _, t in view.trials_in(cs, v.start) if not skip(s)}
    return own.pop() if len(own) == 1 else ""


def _clause_starts_another_study(view: DocView, bounds: list[tuple[int, int]], start: int, end: int, v: Item) -> bool:
    """"..., and the combination with Y reached 73.2% in a phase Ib/II study": a later clause
    about another study (rules/attribution.yaml new_study) naming no trial is not the sentence's trial's."""
    cs, ce, _ = _clause_of(bounds, start, end, v)
    return cs > start and not view.trials_in(cs, ce) and any(
        r.regex.search(view.text, cs, ce) for r in view.rules.patterns("attribution", "new_study"))


def _clause_regimen(view: DocView, bounds: list[tuple[int, int]], whole: list[str], start: int, end: int,
                    v: Item) -> Optional[tuple[str, str]]:
    """(drug, comparator) of the clause a value is in, when the sentence's clauses name different
    drugs: drugs of a later clause are not the value's; a later clause naming its own drugs has
    them (with the first clause's when it adds to them: "the combination with Y"). None: the
    sentence's attribution holds. `whole`: the span's own drugs."""
    text = view.text
    cs, ce, first_end = _clause_of(bounds, start, end, v)
    if (cs, ce) == (start, end):
        return None
    exp, comp = view.drugs_in(cs, ce)
    if not exp or set(exp) == set(whole):
        return None
    if cs > start and _ADDS.search(text, cs, ce):
        exp = view.drugs_in(start, first_end)[0] + exp
    return join_regimen(exp), join_regimen(comp)


# a clause that opens by naming the arm its results are given in: "In the placebo arm, median PFS was 8.6 months ...",
# "Within the control arm, PFS was similar ..."
_ARM_OPENING = re.compile(r"\b(?:in|within|among(?:\s+patients\s+in)?)\s+the\s+(?P<arm>[^,;:()\d]{1,40}?)\s+(?:arm|group)s?\s*,", re.I)


def _control_regimen(view: DocView) -> str:
    """The regimen a record comparing arms gave its control arm, as the words of rules/attribution.yaml
    control_regimen name it ("adding pertuzumab to |trastuzumab and docetaxel", "with placebo plus |trastuzumab and
    docetaxel"), else ""."""
    def compute() -> str:
        if not (view.is_record and view.compares_arms):
            return ""
        for r in view.rules.patterns("attribution", "control_regimen"):
            for m in r.regex.finditer(view.text):
                sent = view.sentence_at(m.start())
                first = view.ents_in(m.end(), sent.char_end, "DRUG") if sent is not None else []
                if not first or first[0].char_start - m.end() > 3:
                    continue
                end = view.drug_list_end(first[0].char_end, sent.char_end)
                drugs = view.drugs_in(first[0].char_start, end, stop_at_comparator=False)[0]
                if drugs:
                    return join_regimen(drugs)
        return ""
    return view.memo("control_regimen", compute)


def _in_control_arm(view: DocView, start: int, v: Item) -> bool:
    """The value's clause opens by naming the control arm (_ARM_OPENING, a control word: "In the placebo arm, ...")."""
    # (opening its clause: not "4.1 months in the control arm, and median OS 18.6 versus 12.3 months", set 2 mu816)
    opening = [m for m in _ARM_OPENING.finditer(view.text, start, v.start)
               if _CLAUSE_START.search(view.text[start:m.start()])]
    if not opening or not _control(view, opening[-1].group("arm")):
        return False
    # (not past another arm or a drug the clause names: "..., and the same held in the pertuzumab arm (12.5 vs 21.8
    # months)")
    a = opening[-1].end()
    return not _CLAUSE.search(view.text, a, v.start) and not _ARM_NOUN.search(view.text, a, v.start) \
        and not view.ents_in(a, v.start, "DRUG")


# where a clause starts: the span's start, or a semicolon or colon and maybe its connective
_CLAUSE_START = re.compile(r"(?:^\s*|[;:]\s*(?:(?:and|whereas|while)\s+)?)$")


# the record's combination named as the subject of a result: "With the combination, ...", "for the combination group"
# (not "in combination with X", "the combination of X and Y": those name its drugs)
_COMBINATION_LEAD = re.compile(r"\b(?:with|for|in|on|of)\s+(?:the\s+)?combination(?:\s+(?:arm|group|regimen|cohort))?\b"
                               r"(?!\s+(?:with|of|plus)\b)", re.I)


def span_to_endpoints(view: DocView, sent: Sentence, start: int, end: int, attrib: dict[str, str],
                      make_prov, carried: str = "", lead: str = "") -> list[EndpointMention]:
    items = span_to_items(view, start, end, lead)
    hypothetical = _hypothetical_filter(view, start, end)
    if carried:                          # the endpoint the previous sentence announced governs the comparisons
        ep0 = Item("endpoint", start, start, endpoint=carried)
        kind = endpoint_kind(view, carried)
        _respectively_pairs(items, view.text, view)     # ("...; in the HR-positive cohort, 38.9% and 28.8%, respectively")
        lm = ""
        if any(v.unit == "%" for v in items if v.kind == "value") and kind == "time":
            # "by five years the rates were 90.5% and 87.4%": the landmark in the sentence, else the one an
            # earlier sentence gave the endpoint
            m = _LANDMARK_IN.search(view.text, start, end)
            lm = _landmark_text(m) if m else \
                _landmark_before(view, Item("endpoint", start, start, endpoint=carried))
        # (and the one median named again: "..., the median was 33.1 months")
        again_at = {m.start("num") for m in _MEDIAN_AGAIN.finditer(view.text, start, end)}
        pairs = [(ep0, v, lm if v.unit == "%" else "") for v in items if v.kind == "value" and (v.comparator or v.start in again_at)
                 and not v.consumed and _fits(kind, v.unit, lm) and not hypothetical(v.start, v.end)]
    else:
        pairs = [(ep, v, lm) for ep, v, lm in items_to_pairs(view, items) if not hypothetical(v.start, v.end)]
    hrs = [h for h in _hazard_ratios(view, start, end) if not hypothetical(h[0], h[1])]
    if hrs and (_PROGNOSTIC.search(view.text[start:end]) or _factor_association(view, start, end)):
        # a multivariable model's hazard ratios of patient characteristics (a drug named as prior therapy, "prior
        # lapatinib exposure", is one); in a model that also names a treatment, each ratio whose own variable names
        # no drug ("In a multivariable Cox model of the niraparib arm, residual disease (HR 1.52; ...)"; tuning
        # documents mu4204, mu4212 of made-up set 11)
        # ("..., but not OS (HR = 1.361, p = 0.272)": an endpoint, the treatment variable's ratio for it)
        hrs = [h for h in hrs if _names_treatment_or_endpoint(view, *_hr_variable(view, start, h[0]))] \
            if view.drugs_in(start, end)[0] else []
    listed_arm = _listed_arms(view, items)
    pairs = _multi_arm_pairs(view, pairs, start, listed_arm)     # before the ratios: the control's value takes none
    pairs, restates = _restated_pairs(view, items, pairs, start, end, listed_arm)
    hr_of = _hrs_to_values(view, items, pairs, hrs, {**_hrs_listed(view, pairs, hrs),
                                                     **_hrs_by_label(view, pairs, hrs, listed_arm, start)})
    hr_of.update(_hrs_before_values(view, items, pairs, hrs, hr_of, start))
    out: list[EndpointMention] = []
    used_hr: set[int] = set(hr_of.values())
    pairs = _labelled_arm_pairs(view, pairs, start, listed_arm)
    compared: Optional[tuple[str, str, int]] = None     # the arms the span's last comparison named, its end
    bounds = _clause_bounds(view, start, end)
    whole = view.drugs_in(start, end)[0] if bounds and pairs else []
    # a sentence naming several trials (a review or meta-analysis quoting them): each value's own trial, found once
    several_trials = bool(pairs) and len({t for _, _, t in view.trials_in(sent.char_start, end)}) >= 2
    for ep, v, lm in pairs:
        far = v.start - ep.end > 40          # a listed value: quote the value, not the whole list
        q0, q1 = (v.start, v.comp_end or v.end) if far else (min(ep.start, v.start), max(ep.end, v.comp_end or v.end))
        hr = lo = hi = ""
        pv = _p_value_near(view, v, end)
        if id(v) in hr_of:
            hs, he, h, l, u, p, _about = hrs[hr_of[id(v)]]
            hr, lo, hi, pv = h, l, u, p or pv
            q1 = max(q1, he)
        n, N = _n_of_n(view, v)
        drug, comparator = attrib["drug"], attrib["comparator"]
        label = listed_arm.get(id(v), "") or _arm_label_of(view, v, start)
        if label and label in view.arm_regimens:      # "0% for arm 2": the regimen arm 2 was defined with
            drug, comparator = view.arm_regimens[label], view.arm_regimens.get(v.control_label, "")
        if v.arms:                       # the arms named beside the values say who got what
            arm = _arm_regimen(view, v.arms[0], v.arms[1])
            if not arm and view.is_record and _REGIMEN_WORD.search(view.text, v.arms[0], v.arms[1]):
                # "4.1 months with the combination and 3.0 months with docetaxel alone", "in the experimental arm":
                # a record's regimen named by what it is (set 21 mu8306, mu8104, set 17 mu6404, set 14 mu5504)
                arm = join_regimen(view.study_drugs[0])
            control = _arm_regimen(view, v.arms[2], v.arms[3]) if len(v.arms) == 4 else ""   # one arm of a list: no comparison
            drug, comparator = arm or drug, control if len(v.arms) == 2 and not v.control_label else (control or comparator)
            if len(v.arms) == 4 and arm and control:
                compared = (drug, comparator, max(v.arms[3], v.comp_end or v.end))
        elif not label:
            own = _clause_regimen(view, bounds, whole, start, end, v) if bounds else None
            if own is not None:
                drug, comparator = own[0], own[1] or comparator
            elif compared and v.comparator and v.start > compared[2] and not view.ents_in(compared[2], v.comp_end or v.end, "DRUG"):
                # "9.9 months with X and 5.1 months with Y, and median OS was 23.4 versus 16.8 months":
                # the next comparison, naming no arm, compares the same arms
                drug, comparator = compared[:2]
        if not v.arms and not label and view.is_record and view.study_drugs[0] and \
                (lead := _COMBINATION_LEAD.search(view.text, sent.char_start, v.start)) is not None \
                and not view.ents_in(lead.end(), v.start, "DRUG"):
            # "With the combination, median PFS was 9.6 months versus 6.1 months", "The median duration of response for
            # the combination had not been reached": the record's regimen named by what it is (set 57 mu22710, set 38
            # mu14712, set 2 mu702)
            drug = join_regimen(view.study_drugs[0])
        if v.comparator and not v.arms and not label and (two := _defined_arm_pair(view)) is not None \
                and not view.ents_in(sent.char_start, v.comp_end or v.end, "DRUG"):
            # "the 2-year DFS rate was 80.6% vs 63.9%" in a record that defined its two arms by label, one the control
            # ("the observation group (tislelizumab plus trastuzumab and SOX) or the control group (trastuzumab plus
            # SOX)"): a comparison naming no arm or drug compares them
            drug, comparator = two
        if not v.arms and not label and _in_control_arm(view, start, v) and _control_regimen(view):
            # "In the placebo arm, median PFS was 8.6 months in mutated and 13.8 months in wild-type tumours": the
            # control arm's regimen, compared with none
            drug, comparator = _control_regimen(view), ""
        if v.comparator and not v.arms and drug and " + " in drug:
            # "to 20.2 months from 13.1 months with chemotherapy": the arm named after the comparator's
            # value is the control, not part of the regimen
            tail = _TREATED_TAIL.match(view.text, v.comp_end, end)
            control = view.drugs_in(tail.start("arm"), tail.end("arm"), stop_at_comparator=False)[0] if tail else []
            kept = [d for d in drug.split(" + ") if d not in control]
            if control and kept:
                drug, comparator = join_regimen(kept), comparator or join_regimen(control)
        if v.arms and len(v.arms) == 2 and drug and not comparator:
            # "42.9% with capecitabine" in a single-arm record of zanidatamab plus chemotherapy: the whole regimen
            drug = join_regimen(view.whole_regimen(sent, drug.split(" + ")) or drug.split(" + "))
        trial, nct = attrib["trial"], attrib.get("nct_id", "")
        if trial and bounds and _clause_starts_another_study(view, bounds, start, end, v):
            trial = nct = ""
        if trial and _RANGE_VALUE.fullmatch(v.value) and (view.multi_study or not view.is_record) \
                and not view.trials_in(sent.char_start, sent.char_end):
            # a range in a text about several trials sums up studies ("Overall, first-generation inhibitors used alone
            # yield response rates of 30-45%", "with response rates of 25-35% and median survival of 8-10 months"): no
            # trial its sentence does not name (made-up set 50 mu19902, mu19906, mu19912)
            trial = nct = ""
        named = (_trial_named_after(view, v, end) or (_trial_of_clause(view, bounds, start, end, v) if bounds else "")) \
            if several_trials else ""
        if named and named != trial:
            trial, nct = named, ""
        refs = view.reference_trials
        if refs and (t := view.reference_trial_at(v.start) or (_trial_named_after(view, v, end) if not v.comparator else "")
                     or _trial_of_clause(view, bounds, start, end, v, skip=view.is_reference_mention)) in refs:
            # a trial the record holds its own results against (rules/attribution.yaml reference_trial) has the figures
            # quoted as its own ("compared with 61.8% in COLIBRAF"), named right after them or in their clause
            # ("CABOREN-1 had reported an objective response rate of 21.3%"); the others are the record's
            trial, nct = t, ""
        # (a comparator value that is a reference trial's quoted figure is a value of its own: "The objective response
        # rate was 52.4%, compared with 61.8% in COLIBRAF")
        ref_comp = view.reference_trial_at(v.comp_end - 1) if refs and v.comparator and not v.arms else ""
        if ref_comp:
            # (no comparison of arms: each figure stands alone, and a hazard ratio quoted is the reference trial's)
            comparator, ref_hr, (hr, lo, hi) = "", (hr, lo, hi), ("", "", "")
        # (a restated comparison compares what the one it restates compared)
        groups = _groups_compared(view, restates.get(id(v), v))
        # (the two groups a sentence contrasts before the values are their populations)
        pops = (_group_contrast(view, v.start) or ("", "")) if groups else ("", "")
        split = bool(groups or ref_comp)
        for k, (value, cmp_value) in enumerate(((v.value, ""), (v.comparator, "")) if split else ((v.value, v.comparator),)):
            if k and ref_comp:
                trial, nct, (hr, lo, hi) = ref_comp, "", ref_hr
            out.append(EndpointMention(
                endpoint=ep.endpoint, value=value, unit=v.unit, comparator_value=cmp_value, n=n, n_total=N,
                hr=hr, ci_low=lo, ci_high=hi, p_value=pv, population=pops[k] or _population(view, ep, v, start),
                drug=drug, comparator=comparator,
                trial=trial, nct_id=nct, cancer_type=_own_cancer(view, v, end) or attrib["cancer_type"],
                prov=make_prov(q0, q1, "efficacy:value"), timepoint=lm,
            ))
            n = N = ""                   # the counts quoted beside the first group are its own
    eps = [i for i in items if i.kind == "endpoint"]
    listed = _respective_hr_endpoints(view, eps, [(k, hr) for k, hr in enumerate(hrs) if k not in used_hr])
    last: Optional[tuple[int, str]] = None   # the end of the last hazard ratio reported, its endpoint
    # (regimens listed each with its ratio: worked out once per span, only where a sentence may hold two ratios)
    listed_regimens = _regimens_before_ratios(view, hrs, start, end) if len(hrs) > 1 and len(used_hr) < len(hrs) else {}
    for k, (hs, he, h, l, u, p, about) in enumerate(hrs):
        if k in used_hr:
            continue
        # "RFS and OS benefit ..., HR 0.47 (...) and HR 0.37 (...), respectively": the list decides
        ep = listed[k] if k in listed else _hr_endpoint(view, eps, start, hs, he, about)
        if ep is None and last is not None and not about and _NEXT_RATIO.fullmatch(view.text, last[0], hs):
            # "the hazard ratio for an event was 1.14 (...) in group B and 1.71 (...) in group C": the next
            # ratio of the list is the same endpoint's
            ep = Item("endpoint", hs, he, endpoint=last[1])
        if ep is None:
            continue
        last = (he, ep.endpoint)
        drug, comparator = attrib["drug"], attrib["comparator"]
        arm = _HR_ARM_AFTER.match(view.text, he, end)
        label = re.sub(r"\s+", " ", arm.group("label").lower()) if arm else ""
        if label in view.arm_regimens:   # "1.14 (90% CI, 0.78 to 1.67) in group B": the arm the ratio is given for
            drug = view.arm_regimens[label]
        elif (own := listed_regimens.get(k)) is not None:
            drug, comparator = own[0], own[1] or comparator
        elif (named := _HR_FOR_REGIMEN.match(view.text, he, end)) is not None and \
                (regimen := view.drugs_in(named.start("arm"), named.end("arm"))[0]):
            # "the pooled PFS HRs were 0.58 for palbociclib, 0.55 for ribociclib and 0.53 for abemaciclib": the
            # regimen each ratio is given for, named after it (made-up set 28 mu11002, mu11004)
            drug = join_regimen(regimen)
        out.append(EndpointMention(
            endpoint=ep.endpoint, value="", unit="", comparator_value="", n="", n_total="", hr=h, ci_low=l,
            ci_high=u, p_value=p, population="", drug=drug, comparator=comparator,
            trial=attrib["trial"], nct_id=attrib.get("nct_id", ""), cancer_type=attrib["cancer_type"],
            prov=make_prov(min(ep.start, hs), max(ep.end, he), "efficacy:hazard_ratio"),
        ))
    return out


_NCT = re.compile(r"\bNCT[\s\-]?(\d{4})[\s\-]?(\d{4})\b")
_DURATION = re.compile(rf"{NUM}\s*(?:months?|mos?|weeks?)\b", re.I)
_DURATIONS_COMPARED = re.compile(rf"{NUM}\s*(?:months?\s*)?{VS}\s*{NUM}\s*(?:months?|mos?|weeks?)\b", re.I)


# "the (respective) medians were 13.4 and 10.9 months", "the corresponding values were 11.3 months and 6.8
# months": the endpoint of the sentence before, named again by a word that refers back to it; "the PFS advantage ...
# was maintained, with medians of 7.9 and 5.4 months" (made-up set 2 mu606), "the medians are 19.7 and 16.9 months"
# (set 5 mu1902), "the corresponding medians were 15·1 and 11·6 months" (set 6 mu2114)
# (the words that refer back: "the corresponding values", "the respective figures", "the corresponding proportions")
_AGAIN_HEAD = r"(?:the\s+)?(?:respective|corresponding)\s+(?:[\w-]+\s+)?(?:medians|values|figures|proportions|rates?|estimates)"
_MEDIANS_AGAIN = re.compile(
    rf"\b(?:(?:{_AGAIN_HEAD}\s+(?:[\w-]+\s+){{0,6}}?"
    rf"|the\s+(?:[\w-]+\s+)?(?:medians?|figures|rates|estimates)\s+)"
    rf"(?:were|was|are|is)|with\s+(?:respective\s+)?medians\s+of)\s+(?P<a>{NUM})\s*(?:%|months?)?\s*(?:\([^()]*\)\s*)?(?:,\s*)?(?:and|{VS}|compared\s+with)\s+"
    rf"(?P<b>{NUM})\s*(?:%|months?\b|mos?\b|weeks?\b)", re.I)
# "In the T-DXd group, the median was 33.1 months (hazard ratio, 0.78)", "In the subgroup with primary endocrine
# resistance, the median was 12.0 months and 5.5 months, respectively": one median named again by the word (set 13
# mu4804, set 14 mu5304)
_MEDIAN_AGAIN = re.compile(rf"\bthe\s+median\s+(?:was|is|reached)\s+(?P<num>{NUM})\s*(?:months?|weeks?|years?)\b", re.I)
# a clause whose values restate the endpoints of the clause before it, in the same order: "among IHC 3+ patients the ORR
# was 74.4% and median PFS 10.8 months, whereas in the IHC 2+/ISH-positive group the corresponding values were 41.7% and
# 6.1 months", "... rose from 12.9% to 25.8% (P < .001); when ..., the corresponding figures were 9.6% and 18.9%", "In
# arm 1, pCR rates were 70.1% among ... and 27.3% among ...; in arm 2 these were 64.8% and 20.0%" (tuning documents
# mu4102 of made-up set 11, mu6710 of set 17, mu7002 of set 18, mu6308 of set 16)
_RESTATED = re.compile(rf"\b(?:{_AGAIN_HEAD}\s+(?:[\w-]+\s+){{0,6}}?(?:were|was|are)|(?:they|these)\s+were)\s+(?={NUM})", re.I)


def _written_numbers(text: str, v: Item) -> Optional[list[tuple[str, int, int, bool]]]:
    """A value item's numbers in the order written: (number, start, end, is the comparator), None where the
    comparator's place is not known."""
    if not v.comparator:
        return [(v.value, v.start, v.end, False)]
    if v.comp_end > v.end:               # "9.6% and 18.9%": the comparator after the value
        nums = list(re.finditer(NUM, text[v.end:v.comp_end]))
        if not nums:
            return None
        return [(v.value, v.start, v.end, False), (v.comparator, v.end + nums[-1].start(), v.comp_end, True)]
    # "rose from 12.9% to 25.8%": the comparator written before (its own item, consumed)
    return [(v.comparator, -1, -1, True), (v.value, v.start, v.end, False)]


def _restated_pairs(view: DocView, items: list[Item], pairs: list, start: int, end: int,
                    listed_arm: dict[int, str]) -> tuple[list, dict[int, Item]]:
    """The pairs with a restating clause's values (_RESTATED) put in the places of the values of the clause before it:
    each value takes the endpoint (and landmark) of the value written in its place, a comparison stays a comparison
    with the experimental arm's value where it was, and the arms a value's place was given for are its arms. Only where
    the restating clause names no endpoint of its own and has as many numbers, of the same units, as the clause before
    it. Also: restated value id -> the value it restates."""
    text = view.text
    breaks = [m.start() for m in _CLAUSE.finditer(text, start, end)]
    for m in _RESTATED.finditer(text, start, end):
        stop = next((b for b in breaks if b > m.end()), end)
        lo = max((b for b in breaks if b < m.start()), default=None)
        if lo is None:
            continue                     # the sentence before restated: _announced_endpoint
        first = max((b for b in breaks if b < lo), default=start)
        if any(i.kind == "endpoint" and m.start() <= i.start < stop for i in items):
            continue                     # ("the corresponding OS figures were 18.2 and 8.3 months": its own endpoint)
        new = [i for i in items if i.kind == "value" and not i.consumed and m.end() <= i.start < stop]
        if any(len(i.arms) == 4 for i in new):
            continue                     # (values already given their arms: _list_in_arm_order)
        old = sorted((p for p in pairs if first <= p[1].start and (p[1].comp_end or p[1].end) <= lo), key=lambda p: p[1].start)
        if not new or not old:
            continue
        nums = [_written_numbers(text, r) for r in new]
        if any(n is None for n in nums):
            continue
        slots = [(x, r.unit) for r, n in zip(new, nums) for x in n]
        places = [(p, len(_written_numbers(text, p[1]) or ())) for p in old]
        if sum(k for _, k in places) != len(slots) or any(k == 0 for _, k in places):
            continue
        # (a pair the restating clause reads as one comparison must restate one comparison, not two values the clause
        # before gave separately: the two readings disagree, so neither is taken: set 21 mu8312, where the clause
        # before was itself mis-read)
        owner = [j for j, (_, k) in enumerate(places) for _ in range(k)]
        at = 0
        split = False
        for n in nums:
            split = split or len({owner[at + i] for i in range(len(n))}) > 1
            at += len(n)
        if split:
            continue
        out, k = [], 0
        for (ep, av, lm), width in places:
            mine = slots[k:k + width]
            k += width
            if any(u != av.unit for _, u in mine):
                break
            # (each number takes the role of the one written in its place: value or comparator)
            roles = {w[3]: x for (x, _), w in zip(mine, _written_numbers(text, av) or [])}
            value, comp = roles[False], roles.get(True)
            after = comp is not None and comp[1] > value[1]
            out.append((ep, av, replace(av, start=value[1], end=value[2], value=value[0], comparator=comp[0] if comp else "",
                                        comp_end=comp[2] if after else 0, consumed=False, group=0, population=""), lm))
        else:
            taken = {id(r) for r in new}
            for _, av, v, _ in out:
                if id(av) in listed_arm:
                    listed_arm[id(v)] = listed_arm[id(av)]
            return [p for p in pairs if id(p[1]) not in taken] + [(ep, v, lm) for ep, _, v, lm in out], \
                {id(v): av for _, av, v, _ in out}
    return pairs, {}
# "at one year", "by five years", "at 24 months" inside a sentence naming the endpoint only by "the rates"
_LANDMARK_IN = re.compile(rf"\b(?:at|by|after)\s+(?P<n>\d+|{_SPELLED})[- ](?P<u>years?|months?)\b", re.I)
# "with 5-year rates of 74.8% and 72.1%", "the 5-year rate was 80.1%": the landmark of the rates named between the
# endpoint and its value (set 19 mu7508, mu7206)
_LANDMARK_RATE = re.compile(rf"\b(?P<n>\d+|{_SPELLED})[- ](?P<u>years?|months?)\s+(?:rates?|estimates?|probabilit(?:y|ies))\b", re.I)


def _landmark_between(text: str, ep: Item, it: Item) -> str:
    """The landmark written between an endpoint and its rate ("at 3 years" within 60 characters, "5-year rates" within
    80), else ""."""
    if not ep.end <= it.start or len(_BRACKETS.sub("()", text[ep.end:it.start])) > 80:
        return ""          # (a bracketed aside does not count: "DFS did not differ (HR 1.03, ...): the 5-year rate was")
    own = (_LANDMARK_IN.search(text, ep.end, it.start) if it.start - ep.end <= 60 else None) \
        or _LANDMARK_RATE.search(text, ep.end, it.start)
    return _landmark_text(own) if own else ""


def _announced_endpoint(view: DocView, sent: Sentence) -> str:
    """"Median PFS was analyzed by ER expression. There was significant improvement in patients with
    low ER expression (13.6 vs. 6.7 months)": a sentence naming no endpoint that compares two
    durations takes the one time endpoint the previous sentence of its paragraph announced without
    a value of its own."""
    again = _MEDIANS_AGAIN.search(view.text, sent.char_start, sent.char_end) is not None \
        or _MEDIAN_AGAIN.search(view.text, sent.char_start, sent.char_end) is not None
    if not again and not _DURATIONS_COMPARED.search(view.text, sent.char_start, sent.char_end):
        return ""
    for p in view.prev_sentences(sent):
        codes = {e.normalized for e in view.ents_in(p.char_start, p.char_end, ENDPOINT)}
        if not codes and (again or _DURATIONS_COMPARED.search(view.text, p.char_start, p.char_end)):
            continue                     # an earlier comparison that carried the same endpoint
        if len(codes) != 1 or (not again and (_DURATION.search(view.text, p.char_start, p.char_end)
                                              or endpoint_kind(view, next(iter(codes))) != "time")):
            return ""
        return next(iter(codes))
    return ""


# "the rate was 11/19 (58%)", "the rates were 16 of 41 (39%) and ...", "the figures were ten (38%) with DES": a share
# given for a group, the rate named before (made-up set 56 mu22002, mu22004; real extra-part abstract pmid3664426)
_RATE_AGAIN = re.compile(rf"\bthe\s+(?:rates?|figures)\s+(?:was|were)\s+(?:only\s+)?(?:\d+|[a-z]+)(?:\s*(?:/|of)\s*\d+)?\s*"
                         rf"\(\s*{NUM}\s*%", re.I)


def _rate_again(view: DocView, sent: Sentence) -> str:
    """"Objective regression occurred in 17 of 53 (32%) patients. For PgR-positive tumours the rate was 11/19 (58%),
    ...": a sentence naming no endpoint that gives a group's count and share as "the rate(s)" or "the figures" takes the
    one rate the nearest earlier sentence of its paragraph named, else ""."""
    if not _RATE_AGAIN.search(view.text, sent.char_start, sent.char_end):
        return ""
    for p in view.prev_sentences(sent):
        codes = {e.normalized for e in view.ents_in(p.char_start, p.char_end, ENDPOINT)}
        if not codes and _RATE_AGAIN.search(view.text, p.char_start, p.char_end):
            continue                     # an earlier group's share of the same rate
        return next(iter(codes)) if len(codes) == 1 and endpoint_kind(view, next(iter(codes))) == "rate" else ""
    return ""


# two values compared ("11.2 v 4.3 months", "90·6% versus 85·9%")
_VALUES_COMPARED = re.compile(rf"{NUM}\s*(?:%|months?|mos?)?\s*(?:\([^()]{{0,40}}\)\s*)?{VS}\s*{NUM}\s*(?:%|months?|mos?|weeks?)", re.I)


def _subgroup_of_previous(view: DocView, sent: Sentence, depth: int = 0) -> str:
    """"In the overall population, median PFS was 8.4 months with olaparib versus 4.8 months with placebo (HR ...).
    The benefit was greatest in patients with a BRCA mutation: 11.2 v 4.3 months (HR ...)": a sentence naming no
    endpoint that compares two values for a subgroup takes the one endpoint the sentence right before it compared
    (tuning documents mu4114, mu4304 of made-up set 11), else ""."""
    text = view.text
    if not _VALUES_COMPARED.search(text, sent.char_start, sent.char_end) or \
            not _SUBGROUP_CUE.search(text, sent.char_start, sent.char_end) or \
            _OTHER_RATE.search(text, sent.char_start, sent.char_end):
        return ""            # ("The cumulative incidence of new brain lesions ... was 1.8% vs 3.4%": another measure)
    prev = view.prev_sentences(sent)[:1]
    if not prev:
        return ""
    p = prev[0]
    codes = {e.normalized for e in view.ents_in(p.char_start, p.char_end, ENDPOINT)}
    if not codes and depth < 2:
        # "... a BRCA mutation: 11.2 v 4.3 months (...). In patients without a known BRCA mutation, it was 7.4 v 5.5
        # months": a subgroup after a subgroup
        return _subgroup_of_previous(view, p, depth + 1)
    if len(codes) != 1 or not _VALUES_COMPARED.search(text, p.char_start, p.char_end) and \
            not _HR_RE.search(text, p.char_start, p.char_end):
        return ""           # (the sentence before compared arms: values against each other, or a hazard ratio)
    return next(iter(codes))


def _sole_endpoint(view: DocView, line: Sentence) -> str:
    """The one endpoint a line announces: it names one endpoint and no value, else ""."""
    items = span_to_items(view, line.char_start, line.char_end)
    codes = {i.endpoint for i in items if i.kind == "endpoint"}
    return next(iter(codes)) if len(codes) == 1 and not any(i.kind == "value" for i in items) else ""


def _line_before_endpoint(view: DocView, sent: Sentence) -> str:
    """For a line that opens with a unit header and names no endpoint ("Median (95% CI), months: Arm A 10.0
    ..."), the one endpoint the line right before it names with no value of its own ("Outcome 1 (Primary):
    Progression-free Survival [Time Frame: up to 50 months]"), else ""."""
    if sent.index == 0 or not _UNIT_HEADER.match(view.text, sent.char_start, sent.char_end):
        return ""
    p = view.sentences[sent.index - 1]
    if view.text[p.char_end:sent.char_start].strip() or view.text.count("\n", p.char_start, p.char_end):
        return ""
    return _sole_endpoint(view, p)


def _heading_endpoint(view: DocView, sent: Sentence) -> str:
    """For a short line under a heading that names one endpoint and no value ("Slide: PFS (IRC)" / "- Arm A 12.5 mo
    vs Arm B 6.8 mo"), naming no endpoint itself: the heading's endpoint, else ""."""
    if sent.char_end - sent.char_start > 160 or not sent.section:
        return ""
    sec = view.doc.section_at(sent.char_start)
    head = view.sentence_at(sec.char_start) if sec is not None else None
    if head is None or head.index >= sent.index or view.text.count("\n", head.char_start, head.char_end):
        return ""
    # once per section, not once per line under it
    return view.memo(f"heading_endpoint:{head.index}", lambda: _sole_endpoint(view, head))


_OUTCOME_LOOKBACK = 12
_FIELD_LINE = re.compile(r"[A-Z][\w /()-]{1,40}:\s")     # a registry line's field label: "Time Frame: ", "Arm/Group Title: "


def _outcome_block_endpoint(view: DocView, sent: Sentence) -> str:
    """For a line naming no endpoint in a results registry's outcome block ("Outcome Measure: Progression-Free
    Survival (PFS)" / "Arm/Group Title: Zolbetuximab + CAPOX" / "Measure value: 8.67 months (95% CI ...)"; rules/
    sections.yaml outcome_field): the one endpoint the nearest label line above names, where no line of prose (a line
    that is no "Field: value") between names an endpoint of its own, else ""."""
    text = view.text
    labels = view.rules.patterns("sections", "outcome_field")
    if not labels:
        return ""
    k = sent.index
    while k > 0 and sent.index - k < _OUTCOME_LOOKBACK:
        nxt = view.sentences[k]
        k -= 1
        s = view.sentences[k]
        if "\n" not in text[s.char_end:nxt.char_start]:
            continue             # the line goes on
        if any(r.regex.match(text, s.char_start, s.char_end) for r in labels):
            return view.memo(f"outcome_endpoint:{k}", lambda s=s: _sole_endpoint(view, s))
        if view.ents_in(s.char_start, s.char_end, ENDPOINT) and not _FIELD_LINE.match(text, s.char_start, s.char_end):
            return ""            # a line of prose around the postings ("Time Frame: ... until progression" is a field)
    return ""


# a list's item: a line of its own that opens with a bullet ("- cervical: 50.0% (20/40)", "• ovarian: 45.0%")
_LIST_ITEM = re.compile(r"[-–•*·]\s+\S")
_LIST_LOOKBACK = 12


def _list_lead_endpoint(view: DocView, sent: Sentence) -> str:
    """For a bulleted line naming no endpoint, in a list whose lead line ends with a colon and names one
    endpoint and no value ("Tumour-specific response rates were:" / "- cervical cancer: 50.0%"; "Investigator-
    assessed confirmed responses, by cohort:" / "- ovarian: 45.0% (18/40)"): the lead's endpoint, else ""."""
    text = view.text
    k = sent.index
    while k > 0 and sent.index - k < _LIST_LOOKBACK:
        s = view.sentences[k]
        if not (s.char_start == 0 or text[s.char_start - 1] == "\n") or not _LIST_ITEM.match(text, s.char_start, s.char_end):
            return ""
        if k != sent.index and view.ents_in(s.char_start, s.char_end, ENDPOINT):
            return ""                    # an item that names its own endpoint ends the lead's reach
        k -= 1
        lead = view.sentences[k]
        if text[lead.char_start:lead.char_end].rstrip().endswith(":"):
            return view.memo(f"list_lead:{lead.index}", lambda: _sole_endpoint(view, lead))
    return ""


def extract_endpoints(view: DocView) -> list[EndpointMention]:
    out: list[EndpointMention] = []
    table_spans = view.table_bodies
    for sent in view.content_sentences():
        if any(a <= sent.char_start < b for a, b in table_spans):
            continue
        carried = lead = ""
        named = view.ents_in(sent.char_start, sent.char_end, ENDPOINT)
        if not named:
            lead = _line_before_endpoint(view, sent) or _heading_endpoint(view, sent) or _list_lead_endpoint(view, sent) \
                or _outcome_block_endpoint(view, sent) or _rate_again(view, sent)
            carried = "" if lead else (_announced_endpoint(view, sent) or _subgroup_of_previous(view, sent))
            if not carried and not lead and not _HR_RE.search(view.text, sent.char_start, sent.char_end):
                continue
        elif (again := _MEDIANS_AGAIN.search(view.text, sent.char_start, named[0].char_start)) is not None \
                and again.end() <= named[0].char_start:
            # "At the final analysis the corresponding medians were 15·1 and 11·6 months (HR 0·72), and 18-month
            # survival was 40·8% versus 28·3%": the medians before the sentence's own endpoint are the previous
            # sentence's endpoint's (made-up set 6 mu2114)
            lead = _announced_endpoint(view, sent)
        attrib = view.resolve(sent)
        out += span_to_endpoints(view, sent, sent.char_start, sent.char_end, attrib,
                                 lambda a, b, x, s=sent: view.provenance(s, a, b, x), carried, lead)
    out = _same_arms_as_before(view, out)
    out = [_as_alternatives(view, m) for m in out]
    for table in view.doc.tables:
        for cell in table.cells:
            if cell.char_start is None or not view.ents_in(cell.char_start, cell.char_end, ENDPOINT):
                continue
            cctx = cell_context(view, table, cell)
            sent = view.sentence_at(cell.char_start)
            # the cell's own context first, else the row's regimen cell ("Drug" or "Regimen" column)
            drug = cctx.drug or row_facts(view, table, cell, cctx).regimen
            attrib = {"drug": drug, "comparator": "", "trial": "", "cancer_type": cctx.cancer_type, "nct_id": ""}
            tr = view.trials_in(cctx.row_start or cell.char_start, cctx.row_end or cell.char_end)
            if tr:
                attrib["trial"] = tr[0][2]
            out += span_to_endpoints(
                view, sent, cell.char_start, cell.char_end, attrib,
                lambda a, b, x, t=table, c=cell, cc=cctx: cell_provenance(view, t, c, a, b, cc, f"{x}:table:{t.table_id}"))
        out += table_to_column_endpoints(view, table)
        out += table_to_row_endpoints(view, table)
    # a value tied to no drug, trial or NCT id anywhere in its context (sentence, paragraph,
    # section, title, table row) is no finding a curator can use: a survey's "response rate (51%)".
    # A single-study record's values are its study's results even when it names no drug.
    return [m for m in out if m.drug or m.trial or m.nct_id or view.is_record]


def _as_alternatives(view: DocView, m: EndpointMention) -> EndpointMention:
    """A value whose drugs are the alternatives the text lists ("with gefitinib or erlotinib"): the drug is those
    alternatives joined with " or " (model.join_alternatives), no combination of them; the comparator likewise."""
    groups = view.alternative_groups
    if not groups:
        return m

    def alt(regimen: str) -> str:
        parts = frozenset(regimen.split(" + ")) if regimen else frozenset()
        return join_alternatives(parts) if len(parts) >= 2 and parts in groups else regimen

    drug, comparator = alt(m.drug), alt(m.comparator)
    return m if (drug, comparator) == (m.drug, m.comparator) else replace(m, drug=drug, comparator=comparator)


def _same_arms_as_before(view: DocView, mentions: list[EndpointMention]) -> list[EndpointMention]:
    """A record's comparison that names no arm ("Five-year overall survival was 88.3% v 85.0%", a ratio alone) after one
    that named them ("5-year DFS was 77.5% with TEC and 71.9% with FEC") in the same paragraph compares the same arms:
    where its drug is what the two arms give together (the record's drugs, read for want of an arm), it takes the last
    named comparison's drug and comparator (made-up set 47 mu18406)."""
    if not view.is_record:
        return mentions
    out: list[EndpointMention] = []
    last: Optional[EndpointMention] = None
    for m in mentions:
        para = view.para_of(m.prov.char_start) if m.prov.char_start is not None else None
        if last is not None and (para is None or view.para_of(last.prov.char_start) != para):
            last = None
        if m.drug and m.comparator and m.comparator_value and m.drug != m.comparator:
            last = m
        elif last is not None and (m.comparator_value or m.hr) and not m.comparator and m.drug:
            both = set(last.drug.split(" + ")) | set(last.comparator.split(" + "))
            mine = set(m.drug.split(" + "))
            if both <= mine and mine - both <= {"chemotherapy"}:     # (a class word the title adds: "... chemotherapy")
                m = replace(m, drug=last.drug, comparator=last.comparator)
        out.append(m)
    return out


_CELL_VALUE = re.compile(
    rf"^\s*(?P<op>[<>≤≥]\s*)?(?P<num>{NUM})(?:\s*[-–]\s*(?P<num2>{NUM}))?\s*(?P<unit>{UNIT})?"
    rf"(?:\s*(?:vs\.?|versus)\s*(?P<cmp>{NUM}|NR)\s*(?P<cunit>{UNIT})?)?\s*(?:[\[(][^\])]*[\])])?\s*$"
    rf"|^\s*(?P<nr>NR|NE|not (?:yet )?reached|not estimable)\s*(?:[\[(][^\])]*[\])])?"
    # (a median not reached in the first arm, compared: "NR vs 38.2", "NR vs NR"; set 36 mu14302, mu14310, set 8 mu3102)
    rf"(?:\s*(?:vs\.?|versus)\s*(?P<nrcmp>{NUM}|NR)\s*(?P<nrunit>{UNIT})?\s*(?:[\[(][^\])]*[\])])?)?\s*$", re.I)
# a count with its percentage in a cell: "88/151 (58.3)", "98/187 (52.4%)", "31 (29.0%)"
_CELL_COUNT = re.compile(rf"^\s*\d+\s*(?:/\s*\d+\s*\(\s*(?P<num>{NUM})\s*%?|\(\s*(?P<pct>{NUM})\s*%)\s*\)\s*$")
# a column of statistics, not of an arm: "HR (95% CI)", "P value", "Difference", "Δ"
_STAT_COLUMN = re.compile(r"^\s*(?:(?:stratified\s+)?(?:HR|hazard\s+ratio)|p(?:[- ]?value)?|difference|Δ|odds\s+ratio|OR|RR|"
                          r"risk\s+ratio|comparison|\d+\s*%\s*CI)\b", re.I)
# a column of a dose or a cohort, not a treatment arm: each its own result
_SEPARATE_COLUMN = re.compile(r"\d\s*(?:mg|µg|mcg)\b|\bcohort\b|\bpart\s+[A-Z0-9]\b", re.I)


def _cell_reading(text: str) -> Optional[tuple[str, str]]:
    """(value, unit as printed or "") of a table cell holding one value, else None."""
    m = _CELL_COUNT.match(text)
    if m:
        return m.group("num") or m.group("pct"), "%"
    m = _CELL_VALUE.match(text)
    if m and not m.group("cmp") and not m.group("nrcmp"):
        if m.group("nr"):
            return "NR", "months"
        return _fmt(m.group("op"), m.group("num"), m.group("num2")), _unit(m.group("unit") or "")
    return None


_HEADER_UNIT = re.compile(rf"[\[(,]\s*(?P<unit>{UNIT})\s*[\])]?|(?P<pct>%)", re.I)
_LABEL_MONTHS = re.compile(r"\b(?:in|median)\s+(?P<unit>months|weeks)\b(?P<pct>)", re.I)   # "Median PFS in months"
_CI_LABEL = re.compile(r"\d+(?:\.\d+)?\s*%\s*(?:CI|confidence)", re.I)     # "(95% CI)" in a row label is no unit
# (not "HR-negative subgroup", "HR+": hormone receptor status)
_HR_ROW = re.compile(r"\s*(?:stratified\s+)?(?:hazard\s+ratio|HR(?!\s*[-‐–−+]|\s+(?:positive|negative|status)\b))\b", re.I)
_HR_CELL = re.compile(r"\s*(?P<hr>\d*\.\d+)")    # its interval: _BARE_CI


def table_to_column_endpoints(view: DocView, table) -> list[EndpointMention]:
    """Values in cells under an endpoint column header ("ORR", "mPFS (months)"): the
    endpoint and unit come from the header, drug and trial from the row, cancer type
    from the column or row, else the caption, else the document title."""
    out: list[EndpointMention] = []
    for cell in table.cells:
        if cell.row in table.header_rows or cell.char_start is None or cell.char_end is None:
            continue
        if view.ents_in(cell.char_start, cell.char_end, ENDPOINT):
            continue                     # "ORR 41.8%" inside the cell: read as text
        header = table.cell(header_row_of(table, cell.row), cell.col)
        if header is None or header.char_start is None:
            continue
        eps = view.ents_in(header.char_start, header.char_end, ENDPOINT)
        if len({e.normalized for e in eps}) != 1:
            continue
        m = _CELL_VALUE.match(view.text[cell.char_start:cell.char_end])
        count = None if m else _CELL_COUNT.match(view.text[cell.char_start:cell.char_end])   # "10/19 (52.6%)"
        if not m and not count:
            continue
        ep = Item("endpoint", eps[0].char_start, eps[0].char_end, endpoint=eps[0].normalized)
        hu = _HEADER_UNIT.search(header.text)
        unit = "%" if count else "months" if m.group("nr") else _unit(m.group("unit") or m.group("cunit") or "") or (
            _unit(hu.group("unit") or hu.group("pct")) if hu else "")
        lm = _landmark(view, ep)
        if not unit or not _fits(endpoint_kind(view, ep.endpoint), unit, lm):
            continue
        value = (count.group("num") or count.group("pct")) if count else \
            "NR" if m.group("nr") else _fmt(m.group("op"), m.group("num"), m.group("num2"))
        cctx = cell_context(view, table, cell)
        rf = row_facts(view, table, cell, cctx)
        # the row's own regimen cell first, else the row label's drug, else what the text around the table is about
        drug = rf.regimen or cctx.drug or rf.setting_drug
        ncts = _NCT.findall(cctx.row_text)
        out.append(EndpointMention(
            endpoint=ep.endpoint, value=value, unit=unit,
            comparator_value=(m.group("nrcmp") or "") if m and m.group("nr") else (m.group("cmp") or "") if m else "",
            n="", n_total="", hr="", ci_low="", ci_high="", p_value="", population="", drug=drug, comparator="",
            trial=rf.trial, nct_id=f"NCT{ncts[0][0]}{ncts[0][1]}" if ncts else "", cancer_type=rf.cancer_type,
            prov=cell_provenance(view, table, cell, cell.char_start, cell.char_end, cctx,
                                 f"efficacy:column_header:table:{table.table_id}"),
            timepoint=lm if unit == "%" else ""))
    return out


def table_to_row_endpoints(view: DocView, table) -> list[EndpointMention]:
    """Tables whose rows are endpoints and whose columns are the arms ("Median PFS, months (95% CI) |
    8.8 (7.0-9.8) | 6.6 (5.8-7.0)" under "N+C | L+C"): the endpoint and unit from the row label, each
    arm's drug from its column header; the first arm's value with the second's as its comparator, and
    a hazard ratio printed in the row ("HR 0.64 [0.49; 0.84]")."""
    out: list[EndpointMention] = []
    rows = sorted({c.row for c in table.cells if c.row not in table.header_rows})
    for r in rows:
        cells = sorted((c for c in table.cells if c.row == r and c.char_start is not None), key=lambda c: c.col)
        if len(cells) < 2 or cells[0].col != 0:
            continue
        label = cells[0]
        eps = view.ents_in(label.char_start, label.char_end, ENDPOINT)
        if not eps and out and _HR_ROW.match(label.text) and out[-1].value and not out[-1].hr:
            # a label's table prints the hazard ratio on the row under its endpoint's ("Hazard ratio
            # (95% CI)a | 0.67 (0.54, 0.84)"): the hazard ratio of that endpoint, a statement of its own
            c = cells[1]
            hm = _HR_CELL.match(view.text, c.char_start, c.char_end)
            if hm:
                ci = _BARE_CI.match(view.text[hm.end():c.char_end])
                cctx = cell_context(view, table, c)
                out.append(replace(out[-1], value="", unit="", comparator_value="", timepoint="",
                                   hr=_leading_zero(hm.group("hr")), ci_low=_leading_zero(ci.group("lo")) if ci else "",
                                   ci_high=_leading_zero(ci.group("hi")) if ci else "", p_value="",
                                   prov=cell_provenance(view, table, c, c.char_start, c.char_end, cctx,
                                                        f"efficacy:hazard_ratio_row:table:{table.table_id}")))
            continue
        if len({e.normalized for e in eps}) != 1:
            continue
        h = header_row_of(table, r)
        cols: list[tuple] = []           # (cell, (value, unit), regimen, header text) of each value cell
        for c in cells[1:]:
            read = _cell_reading(view.text[c.char_start:c.char_end])
            header = table.cell(h, c.col)
            if not read or header is None or header.char_start is None or h == r or _STAT_COLUMN.match(header.text):
                continue
            if view.ents_in(header.char_start, header.char_end, ENDPOINT):
                cols = []             # an endpoint column: table_to_column_endpoints reads it
                break
            regimen = join_regimen(view.drugs_in(header.char_start, header.char_end, stop_at_comparator=False)[0])
            if not regimen and re.fullmatch(ARM_LABEL, header.text.strip(), re.I):
                # a column headed "Group P" or "Arm B": the regimen the text defined that arm with
                regimen = view.arm_regimens.get(re.sub(r"\s+", " ", header.text.strip().lower()), "")
            cols.append((c, read, regimen, header.text))
        if not cols:
            continue
        named = next((k for k, col in enumerate(cols) if col[2]), None)
        separate = len(cols) >= 3 or any(_SEPARATE_COLUMN.search(col[3]) for col in cols)
        if separate:
            # three or more arms, doses or cohorts: each column's value is its own result
            chosen = [(col, None) for col in cols]
        elif named is not None:
            # the first arm naming its regimen, the next one its comparator (which may be a control: "Placebo arm")
            chosen = [(cols[named], cols[named + 1] if named + 1 < len(cols) else None)]
        elif view.compares_arms and len(cols) == 2 and not any(_NO_ARM.search(col[3]) for col in cols):
            # two arms of a randomised comparison headed by abbreviations no lexicon knows ("DV + T", "GC/GCb")
            chosen = [(cols[0], cols[1])]
        else:
            chosen = [(col, None) for col in cols]     # columns of patient groups: each its own result
        ep = Item("endpoint", eps[0].char_start, eps[0].char_end, endpoint=eps[0].normalized)
        hu = _LABEL_MONTHS.search(label.text) or _HEADER_UNIT.search(_CI_LABEL.sub("", label.text))
        lm = _landmark(view, ep)
        for (c, (value, own_unit), drug, _h), other in chosen:
            unit = own_unit or (_unit(hu.group("unit") or hu.group("pct")) if hu else "")
            if not unit or not _fits(endpoint_kind(view, ep.endpoint), unit, lm):
                continue
            cmp_value, comparator = (other[1][0], other[2]) if other is not None else ("", "")
            hr = lo = hi = pv = ""
            for cell in (cells[1:] if len(chosen) == 1 else []):
                hm = _HR_RE.search(view.text, cell.char_start, cell.char_end)
                if hm:
                    hr = _leading_zero(hm.group("hr"))
                    bare = _BARE_CI.match(view.text, hm.end(), cell.char_end) or re.match(
                        r"\s*[\[(]\s*(?P<lo>\d*\.\d+)\s*[;,]\s*(?P<hi>\d*\.\d+)\s*[\])]", view.text[hm.end():cell.char_end])
                    if bare:
                        lo, hi = _leading_zero(bare.group("lo")), _leading_zero(bare.group("hi"))
                    pm = _P_RE.search(view.text, cell.char_start, cell.char_end)
                    pv = _p_text(pm) if pm else ""
                    break
            cctx = cell_context(view, table, c)
            rf = row_facts(view, table, c, cctx)
            out.append(EndpointMention(
                endpoint=ep.endpoint, value=value, unit=unit, comparator_value=cmp_value, n="", n_total="",
                hr=hr, ci_low=lo, ci_high=hi, p_value=pv, population="", drug=drug or rf.setting_drug,
                comparator=comparator, trial=rf.trial, nct_id="", cancer_type=rf.cancer_type,
                prov=cell_provenance(view, table, c, c.char_start, c.char_end, cctx,
                                     f"efficacy:row_label:table:{table.table_id}"),
                timepoint=lm if unit == "%" else ""))
    return out

