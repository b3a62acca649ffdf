"""Shared machinery for the extractors: the per-document view of sentences and
entities, and attribution of drug, trial and cancer type (sentence first, then
paragraph, then section heading), plus ConText-style cue scopes.

Everything here is a pure function of an `Annotated` document and the rules.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Iterable, Iterator, Mapping, Optional

from pipeline.model import ARM_LABEL_NOUNS, CONTENT_SECTIONS, RECORD_MAX_CHARS, Annotated, EntitySpan, Provenance, Sentence, join_regimen
from pipeline.rules import RuleSet

DRUG, CANCER, TRIAL, ENDPOINT, AGENCY, GENE, STATUS = "DRUG", "CANCER", "TRIAL", "ENDPOINT", "AGENCY", "GENE", "HER2_STATUS"

# a trial's name opening a clause: "In HerCoRT, the ORR was ...", "In the PyCOLO-2 trial, ..."
_OPENS_CLAUSE = re.compile(r"(?:^|[.;:]\s+|\n\s*|,\s+(?:and|whereas|while)\s+)[Ii]n\s+(?:the\s+)?$")
_CLAUSE_AFTER_NAME = re.compile(r"\s*(?:(?:trial|study|cohort|registry)\s*)?(?:\([^()]*\)\s*)?,")
_COMPARATOR_CUE = re.compile(r"\b(?:versus|vs\.?|compared (?:with|to)|relative to|than(?: with)?|over)\s", re.I)
_SPACE_RE = re.compile(r"\s+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n+")


def normalize_trial_name(name: str) -> str:
    """Upper-case, hyphen-normalized: "DESTINY Breast03" -> "DESTINY-BREAST03"."""
    n = _SPACE_RE.sub(" ", name.strip()).upper()
    n = re.sub(r"[\u2010-\u2015]", "-", n)
    n = re.sub(r"^(DESTINY|KEYNOTE|CHECKMATE|HERIZON|MOUNTAINEER|BEAMION|DESTINY-PANTUMOR)[ ]?(?=[A-Z0-9])", r"\1-", n)
    n = re.sub(r"(?<=[A-Z]) (?=\d)", "-", n) if n.startswith(("KEYNOTE", "CHECKMATE")) else n
    n = n.replace("DESTINYLUNG", "DESTINY-LUNG").replace("DESTINYBREAST", "DESTINY-BREAST")
    return n


# "arm 1, alpelisib", "cohort A: T-DXd", "group 2 (trastuzumab)"
ARM_LABEL = rf"(?:{ARM_LABEL_NOUNS})\s+[A-Z0-9]{{1,3}}"          # "arm A", "cohort 2", "Part B"
# "... (arm A)", "(Group P, n=185)", "(arm B, sequential)", "(group A, standard)"; after the regimen's short form:
# "(TCbHP; arm B)", "(CAPOX, cohort A)" (made-up set 13 mu4808, set 10 mu3604)
ARM_LABEL_AFTER = re.compile(rf"\s*\(\s*(?:[A-Za-z0-9+-]{{2,12}}\s*[;,]\s*)?(?P<label>{ARM_LABEL})\s*(?:[,;]\s*(?:n\s*=\s*\d+|[A-Za-z][A-Za-z -]{{0,30}}?)\s*)?\)", re.I)
# an arm named by a word and its noun, defined in a bracket after its regimen: "camrelizumab plus nab-paclitaxel and
# carboplatin (nICT group)", "fulvestrant alone (Control group)", "(DV-T arm)" (made-up set 15 mu5708, mu5808, set 9
# mu3408, real abstract pmid33277840)
NAMED_ARM = (r"(?!(?:the|a|an|each|this|that|both|either|per|any|all|same|other|one|two|three)\s)[A-Za-z][A-Za-z0-9+/-]{0,19}"
             r"\s+(?i:group|arm|cohort)")
NAMED_ARM_AFTER = re.compile(rf"\s*\(\s*(?P<label>{NAMED_ARM})\s*(?:[,;]\s*n\s*=\s*\d+\s*)?\)")
# a bracket of drugs joined by commas and "and"/"or", maybe "and others", right after a class
_EXAMPLES_BRACKET = re.compile(r"\s*[(\[](?:e\.g\.,?\s*|such as\s+|including\s+)?(?:[^()\[\];:]{3,160}?,[^()\[\];:]{0,160}?|(?:an?\s+)?[^()\[\];:,]{3,60}?\bor\b[^()\[\];:,]{3,60}?)[)\]]")
# an arm defined as an earlier arm and more, its label before or after the definition: "Arm B [Arm A plus RZ-771
# 200 mg]", "..., or the arm B regimen plus bevacizumab 15 mg/kg (arm C)" (made-up set 34 mu13408, set 48 mu18812)
_EARLIER_ARM_PLUS = re.compile(rf"(?:the\s+)?(?P<label>{ARM_LABEL})(?:\s+(?:regimen|combination|treatment|therapy|doublet|triplet|schedule))?"
                               r"\s+(?=plus\b|with\b|\+|and\b)", re.I)
_ARM_LIST_JOIN = re.compile(r"\s*[,;]?\s*(?:(?:or|and)\s+)?")


def _bracket_close(text: str, start: int, close: str, reach: int) -> int:
    """Where the bracket open before `start` closes (nested brackets skipped), within `reach` characters; -1 if not."""
    opening = "(" if close == ")" else "["
    depth = 0
    for k in range(start, min(len(text), start + reach)):
        c = text[k]
        if c == opening:
            depth += 1
        elif c == close:
            if depth == 0:
                return k
            depth -= 1
        elif c == "\n":
            return -1
    return -1


def _only_alternatives(chunk: str, offset: int, drugs: list[EntitySpan]) -> bool:
    """A bracket of drugs and "or" alone ("(an aromatase inhibitor or fulvestrant)"), not a sentence about them
    ("(prior pyrotinib or T-DM1 allowed)")."""
    for e in sorted(drugs, key=lambda e: -e.char_start):
        chunk = chunk[:e.char_start - offset] + " " + chunk[e.char_end - offset:]
    return re.fullmatch(r"[\s(\[\])]*(?:(?:an?|either|or)\s+)*(?:\s*(?:an?|or)\b\s*)*[\s)\]]*", chunk, re.I) is not None


# the words between drugs listed as alternatives ("X, Y, or Z", "X or Y", "X and/or Y") and between drugs joined into one
# regimen ("X plus Y", "X-Y", "X with Y")
_ALTERNATIVE_GAP = re.compile(r"\s*,?\s*(?:(?:or|and/or)\s+)?", re.I)
_COMBINATION_GAP = re.compile(r"\s*(?:\+|/|-|–|plus\s+|with\s+|and\s+|combined\s+with\s+|in\s+combination\s+with\s+)\s*", re.I)
_ALTERNATIVES = re.compile(r"\bor\b|\band\s+others\b|\betc\b|\be\.g\.|\bsuch\s+as\b|\bincluding\b", re.I)
# where a randomised text starts listing its arms: "were randomly assigned to", "randomised in a 1:1:1 ratio to"
# words between a title's drugs that make them alternatives or a sequence, not one regimen
_NOT_ONE_REGIMEN = re.compile(r"\b(?:or|followed|then|alone|sequential|sequence|after|before|versus|vs|compared)\b", re.I)
_ASSIGNED_TO = re.compile(r"\b(?:assigned|randomi[sz]ed|allocated)\b[^.;]{0,250}?\bto\b", re.I)
_ARM_LABEL_DEF = re.compile(rf"\b(?P<label>{ARM_LABEL})\s*(?P<open>[,:(\[=])\s*", re.I)
# a label opening its clause, then the verb that gives it its regimen: "Cohort A (BTC) received KJ-103 plus gemcitabine
# and cisplatin; cohort B (GC/GEJ) received KJ-103 plus CAPOX", "Cohort 1 received tucatinib 300 mg ... plus trastuzumab"
# (made-up set 26 mu10204, set 11 mu4306, set 6 mu2106; not "64% of patients in arm 3 received cetuximab", set 13 mu4812)
_ARM_LABEL_GIVEN = re.compile(rf"(?:^|(?<=[.;:]\s)|(?<=\n))(?P<label>{ARM_LABEL})\s*(?:\([^()]{{0,60}}\)\s*)?"
                              r"(?:received|was\s+given|were\s+given|was\s+treated\s+with|were\s+treated\s+with)\s+", re.I | re.M)
# a label bracketed after the patients it names, then the verb that gives it its regimen: "patients whose disease had
# progressed on a CDK4/6 inhibitor plus an aromatase inhibitor (cohort A) received alpelisib plus fulvestrant", "... on
# two or more ALK TKIs (cohort 2) received lorlatinib" (made-up set 27 mu10406, set 41 mu16006): what they had before
# the bracket is no regimen of theirs
_ARM_LABEL_GIVEN_AFTER = re.compile(rf"\(\s*(?P<label>{ARM_LABEL})\s*\)\s*,?\s*"
                                    r"(?:received|were\s+given|were\s+treated\s+with)\s+", re.I)
# an arm named by a word and its noun, its regimen bracketed right after it: "the combination group (apatinib plus
# chemotherapy, n=78)", "the EVE arm (leuprorelin + LET + EVE)" (made-up set 21 mu8212, real abstract pmid33388491)
# an arm that names only the partners added to the arm before it: "... alone (arm A) or with anastrozole (arm B)"
_ELLIPTICAL_PARTNER = re.compile(r"\s*,?\s*(?:or|and|versus|vs\.?)\s+(?:with|plus|combined\s+with|in\s+combination\s+with)\s+", re.I)
_PARTNER_WORD = re.compile(r"\b(?:with|plus|combined\s+with|in\s+combination\s+with)\b", re.I)
_NAMED_ARM_DEF = re.compile(rf"\b(?P<label>{NAMED_ARM})\s*\(\s*")
_TRIAL_SUFFIX = re.compile(r"-(?:[A-Z]{1,4}|[A-Z][a-z]{2,4}|\d{1,2}|[A-Z]\d{1,2})(?![\w-])")
# a one-letter prefix is part of the trial's name: "I-SPY2", "T-ACT-2", "C-GAST-08", "E-SHORT"
_TRIAL_PREFIX = re.compile(r"(?<![\w-])[A-Z]-\Z")


# a slide deck's opening heading: "[Slide 1]", "Slide 1 – TROPIC-L7"
_FIRST_SLIDE = re.compile(r"^\W*slide\s*1\b", re.I)
# what patients are with respect to a drug, right after it ("chemo-naive", "trastuzumab-resistant", "pyrotinib-
# pretreated", "lapatinib-exposed"): their history, not a regimen (any dash); the first drugs of a list that shares
# the state's word are in it too ("anthracycline- and taxane-pretreated", "fluoropyrimidine-, oxaliplatin- and
# irinotecan-refractory"; made-up set 24 mu9202, set 17 mu6404), as DRUG_ABSENT reads "anthracycline- and taxane-free"
PATIENT_STATE = re.compile(r"(?:[-–‐‑](?:,?\s*(?:(?:and|or)\s+)?[\w/]+[-–‐‑]){1,3}|[-–‐‑ ])"
                           r"(?:naive|naïve|refractory|resistant|pretreated|pre-treated|sensitive|experienced|exposed|ineligible|unfit|intolerant)\b", re.I)
# a regimen without the drug: "the chemotherapy-free arm", "anthracycline- and platinum-free paclitaxel ..." (tuning
# documents mu1912 of made-up set 5, mu604 of set 2, mu3608 of set 10)
# a class set off after a drug to describe it: "HBM-4183, an anti-PD-1 antibody, in ..." (DocView._appositive_class)
_APPOSITION_BEFORE = re.compile(r"(?P<drug>[\w)])\s*,\s+an?\s+(?:[\w/×+-]+\s+){0,5}$")
_APPOSITION_AFTER = re.compile(r"\s*(?:[,;:)]|$)")
_ARTICLE_BEFORE = re.compile(r"\b(?:the|an?)\s+$", re.I)
# a drug named to say it is left out: "chemotherapy-free", "anthracycline- and taxane-free", "chemotherapy-sparing"
DRUG_ABSENT = re.compile(r"[-–‐‑ ](?:\s*(?:and|or)\s+[\w/]+[-–‐‑])?(?:free|sparing)\b", re.I)


def drop_covered_classes(regimen: str, members: Mapping[str, tuple[str, ...]], category_of: Mapping[str, str]) -> str:
    """'aromatase inhibitor + exemestane' -> 'exemestane': a drug class named beside one of its
    members (rules/drugs.yaml `members`: 'category:<c>', a canonical name, an INN stem '-ciclib')
    is that member, not a second agent."""
    parts = regimen.split(" + ") if regimen else []
    keep = [p for p in parts if not (p in members and any(q != p and q not in members and class_covers(p, q, members, category_of)
                                                          for q in parts))]
    return " + ".join(keep)


def class_covers(cls: str, drug: str, members: Mapping[str, tuple[str, ...]], category_of: Mapping[str, str]) -> bool:
    """A drug class (rules/drugs.yaml `members`) covers `drug`: named, by INN stem or by category."""
    return any(m == drug or (m.startswith("-") and drug.endswith(m[1:]))
               or (m.startswith("category:") and category_of.get(drug) == m[len("category:"):])
               for m in members.get(cls, ()))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    value: str
    rule_id: str = ""


@dataclass(frozen=True)
class Para:
    start: int
    end: int


# a rate or a duration: a sentence that states a result of some kind
_RATE_OR_DURATION = re.compile(r"\d\s*%|\d\s*(?:months?|weeks?|years?)\b", re.I)
# how much of a drug was given, no result: "the relative dose intensity of paclitaxel was 85%", "the relative dose
# intensity of oxaliplatin was 79%" (made-up set 16 mu6312, set 12 mu4402, set 8 mu2808)
_DOSE_MEASURE = re.compile(r"\b(?:relative\s+)?dose[- ]intensit(?:y|ies)\b[^.;]{0,60}?\d+(?:\.\d+)?\s*%", re.I)


class DocView:
    """Indexes over one annotated document, built once per document."""

    def __init__(self, ann: Annotated, rules: RuleSet, model_drugs: bool = False):
        self.ann = ann
        self.doc = ann.doc
        self.text = ann.doc.text
        self.rules = rules
        self.sentences: tuple[Sentence, ...] = ann.sentences
        self._sent_starts = [s.char_start for s in self.sentences]
        ents = [e for e in ann.entities if e.source in ("lexicon", "abbreviation", "pattern")]
        if model_drugs:
            ents += _model_drugs(ann.entities, ents)
        self.entities = sorted(ents, key=lambda e: (e.char_start, -e.char_end))
        self._ent_starts = [e.char_start for e in self.entities]
        self.trial_lex = {e.canonical: e for e in rules["trials"].entries}
        self.drug_lex = {e.canonical: e for e in rules["drugs"].entries}
        self.trial_name_rules = rules.patterns("trial_patterns", "trial_name")
        # a code the text gives as a trial's name where its context tells ("ZANGA-201 phase 2 update",
        # "the Phase 3 Study DXL-202") is that trial wherever it recurs, not a drug of the code's shape
        trials = {name for _, _, _, name in self._shape_matches} | self._title_slot_codes()
        self._keep_entities(lambda e: not (e.label == DRUG and e.source == "pattern" and e.text in trials))
        self._alias_codes()
        self._without_spared_drugs()
        self._without_arm_names()       # (after the spared drugs: the arms' regimens are read from the drugs given)
        self.paras = self._paragraphs()
        self._para_starts = [p.start for p in self.paras]
        self._memo: dict[str, object] = {}

    def _without_spared_drugs(self) -> None:
        """A drug named to say it is left out ("chemotherapy-free arm", "chemotherapy-sparing neoadjuvant T-DM1",
        "anthracycline-free regimen"; made-up set 18 mu6812, set 17 mu6612, mu6602) is no drug given."""
        self._keep_entities(lambda e: e.label != DRUG or not DRUG_ABSENT.match(self.text, e.char_end))

    def _keep_entities(self, keep) -> None:
        """Keep the entities `keep` accepts (and the start index in step with them)."""
        kept = [e for e in self.entities if keep(e)]
        if len(kept) != len(self.entities):
            self.entities = kept
            self._ent_starts = [e.char_start for e in self.entities]

    def _without_arm_names(self) -> None:
        """A cancer's short name that names an arm the text defined ("gemcitabine plus cisplatin or carboplatin (GC
        arm)": GC is the regimen, not gastric cancer; set 16 mu6106) is no cancer in that text ("in the GC arm", "HR vs
        GC 0.33"); the cancer's full name still is."""
        if not NAMED_ARM_AFTER.search(self.text):
            return          # (most texts name no such arm: the arms' regimens are not worked out at the start for them)
        names = {lab.split()[0] for lab in self.arm_regimens if not re.fullmatch(ARM_LABEL, lab, re.I)}
        self._keep_entities(lambda e: e.label != CANCER or " " in e.text or e.text.lower() not in names)

    def _title_slot_codes(self) -> set[str]:
        """A drug-shaped code in a title's trial slot ("... in previously untreated advanced melanoma (LYRA-301):
        3-year results", rules/trial_patterns.yaml title_trial_name) is the study's name, not a drug, unless it is
        bracketed right after a drug's name ("trastuzumab deruxtecan (DS-8201a) in ..."). Set 12 mu4408, set 7
        mu2608 ("... Activating Mutations (DXL-202)")."""
        if not self._title_span:
            return set()
        a, b = self._title_span
        drugs_end = [e.char_end for e in self.entities if e.label == DRUG and a <= e.char_start < b]
        return {m.group("name") for m in self._title_name_matches
                if not any(_BRACKETED_ALIAS.fullmatch(self.text, end, m.start("name")) for end in drugs_end)}

    @cached_property
    def _title_name_matches(self) -> list[re.Match]:
        """The title's study names by rules/trial_patterns.yaml title_trial_name, found once."""
        if not self._title_span:
            return []
        return [m for r in self.rules.patterns("trial_patterns", "title_trial_name")
                for m in r.regex.finditer(self.text, *self._title_span)]

    def _alias_codes(self) -> None:
        """A sponsor code bracketed right after a drug's name ("toripalimab (JS001)", "zanidatamab
        (ZW25)"), or a name bracketed after its code ("MK-3475 (pembrolizumab)"), names that drug
        wherever the code recurs: not a second drug of the regimen."""
        drugs = [e for e in self.entities if e.label == DRUG]
        alias: dict[str, str] = {}
        for a, b in zip(drugs, drugs[1:]):
            coded = [e for e in (a, b) if e.source == "pattern" and _DIGIT.search(e.text)]
            if len(coded) == 1 and not _DIGIT.search((b if coded[0] is a else a).text) \
                    and _BRACKETED_ALIAS.fullmatch(self.text, a.char_end, b.char_start) and _ALIAS_CLOSE.match(self.text, b.char_end):
                code, name = (coded[0], b if coded[0] is a else a)
                alias.setdefault(code.text, name.normalized)
        if alias:
            self.entities = [replace(e, normalized=alias[e.text]) if e.label == DRUG and e.source == "pattern"
                             and e.text in alias else e for e in self.entities]

    def memo(self, key: str, compute):
        """A whole-document value computed once per document (not once per caller)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _paragraphs(self) -> list[Para]:
        out = []
        for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", self.text):
            out.append(Para(m.start(), m.end()))
        return out

    # ---- lookups
    def content_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.section_kind in CONTENT_SECTIONS]

    @cached_property
    def table_bodies(self) -> list[tuple[int, int]]:
        """Spans of the tables' cells (from the first cell to the table's end): sentences there are read
        cell by cell; a table's caption before them is read as text ("Table 2. Outcomes in X (NCT...)")."""
        out = []
        for t in self.doc.tables:
            if t.char_start is None:
                continue
            first = min((c.char_start for c in t.cells if c.char_start is not None), default=t.char_start)
            out.append((max(t.char_start, first), t.char_end))
        return out

    def ents_in(self, start: int, end: int, label: Optional[str] = None) -> list[EntitySpan]:
        i = bisect.bisect_left(self._ent_starts, start)
        out = []
        while i < len(self.entities) and self.entities[i].char_start < end:
            e = self.entities[i]
            if e.char_end <= end and (label is None or e.label == label):
                out.append(e)
            i += 1
        return out

    def para_of(self, offset: int) -> Para:
        i = max(bisect.bisect_right(self._para_starts, offset) - 1, 0)
        return self.paras[i]

    def entity_starts_at(self, offset: int, label: str) -> bool:
        """Whether an entity of `label` starts at offset, after any spaces (a rule's followed_by)."""
        while offset < len(self.text) and self.text[offset].isspace():
            offset += 1
        i = bisect.bisect_left(self._ent_starts, offset)
        while i < len(self.entities) and self.entities[i].char_start == offset:
            if self.entities[i].label == label:
                return True
            i += 1
        return False

    def entity_ends_at(self, offset: int, label: str) -> bool:
        """Whether an entity of `label` ends at offset, before any spaces."""
        while offset > 0 and self.text[offset - 1].isspace():
            offset -= 1
        return any(e.char_end == offset for e in self.ents_in(max(0, offset - 80), offset, label))

    def sentence_at(self, offset: int) -> Optional[Sentence]:
        i = bisect.bisect_right(self._sent_starts, offset) - 1
        if i >= 0 and self.sentences[i].char_start <= offset < self.sentences[i].char_end:
            return self.sentences[i]
        return None

    def prev_sentences(self, sent: Sentence) -> list[Sentence]:
        """Earlier sentences of the same paragraph, nearest first (sentences are sorted by start, so the
        paragraph's first one is found by bisection, not by a scan of every earlier sentence)."""
        first = bisect.bisect_left(self._sent_starts, self.para_of(sent.char_start).start, 0, sent.index)
        return list(self.sentences[first:sent.index][::-1])

    def _previous_paragraph_topic(self, sent: Sentence, sec) -> tuple[list[str], list[str], list[str]]:
        """(drugs, comparator drugs, trials) of the last sentence naming a drug in the paragraph before
        `sent`'s in the same section, looking further back past short paragraphs (bullets, headings,
        list items) that name none, at most _TOPIC_LOOKBACK paragraphs (a long list costs no more)."""
        for prev in self._earlier_paragraphs(sent, sec):
            first = bisect.bisect_left(self._sent_starts, prev.start)
            last = bisect.bisect_left(self._sent_starts, prev.end)
            for ps in self.sentences[first:last][::-1]:
                exp, comp = self.drugs_in(ps.char_start, ps.char_end)
                if exp:
                    return exp, comp, self.topic_trials_in(ps.char_start, ps.char_end)
            if len(self.text[prev.start:prev.end].split()) >= 25:
                return [], [], []   # prose naming no drug: nothing further back is this one's topic
            # a short one (a slide's bullet or heading, a list item): look before it
        return [], [], []

    def _earlier_paragraphs(self, sent: Sentence, sec) -> Iterator[Para]:
        """The paragraphs before `sent`'s, nearest first, in its section `sec`, at most _TOPIC_LOOKBACK."""
        i = bisect.bisect_right(self._para_starts, self.para_of(sent.char_start).start) - 2
        if i < 0:
            return
        for prev in self.paras[max(0, i - _TOPIC_LOOKBACK + 1):i + 1][::-1]:
            if sec is not None and not (sec.char_start <= prev.start < sec.char_end):
                return
            yield prev

    def _list_lead_study(self, sent: Sentence) -> tuple[list[str], list[str]]:
        """(trials, NCT ids) of the lead line of the list whose item `sent`'s paragraph is: the nearest earlier
        paragraph ending with a colon, reached over short one-sentence paragraphs (the list's other items, their
        markers dropped by the text stage) that name no trial, in the same section. Tuning documents: set 10
        mu3910 ("HORIZON-B301 results (presented at ESMO Breast 2025):"), set 6 mu2208 ("..., phase II LUMEN-01
        (NCT05757937):"). ([], []) when `sent` is no such item."""
        def short_item(p) -> bool:
            first = bisect.bisect_left(self._sent_starts, p.start)
            last = bisect.bisect_left(self._sent_starts, p.end)
            return last - first <= 1 and len(self.text[p.start:p.end].split()) <= 60
        para = self.para_of(sent.char_start)
        if not short_item(para):
            return [], []
        for prev in self._earlier_paragraphs(sent, self.doc.section_at(sent.char_start)):
            if self.text[prev.start:prev.end].rstrip().endswith(":"):
                return self.topic_trials_in(prev.start, prev.end), self.ncts_in(prev.start, prev.end)
            if not short_item(prev) or self.trials_in(prev.start, prev.end):
                break           # prose, or an item naming its own study: no list of the lead's study
        return [], []

    def section_heading_text(self, offset: int) -> str:
        s = self.doc.section_at(offset)
        return s.heading if s else ""

    # ---- trial names (lexicon entities + shape patterns)
    def trials_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        found: dict[int, tuple[int, int, str]] = {}
        for e in self.ents_in(start, end, TRIAL):
            # a lexicon name with a cohort, sequel or region suffix is that trial: "HERACLES-A",
            # "HER2CLIMB-02", "KATHERINE-II", "HER2CLIMB-CN", "ASCENT-Asia"
            x = _TRIAL_SUFFIX.match(self.text, e.char_end, end)
            if x:
                found[e.char_start] = (e.char_start, x.end(), normalize_trial_name(self.text[e.char_start:x.end()]))
            else:
                found[e.char_start] = (e.char_start, e.char_end, e.normalized)
        lo = bisect.bisect_left(self._shape_starts, start)
        hi = bisect.bisect_left(self._shape_starts, end)
        for _, s, t, name in sorted(m for m in self._shape_matches[lo:hi] if m[2] <= end):
            if not any(a <= s < b for a, b, _ in found.values()):
                found[s] = (s, t, normalize_trial_name(name))
        if self._named_trials is not None:
            # a trial the document names once by its shape ("the HANNAH-B trial") is that trial wherever
            # the document names it again ("In HANNAH-B, the pCR rate was ...")
            for m in self._named_trials.finditer(self.text, start, end):
                if not any(a <= m.start() < b for a, b, _ in found.values()):
                    found[m.start()] = (m.start(), m.end(), normalize_trial_name(m.group(0)))
        return sorted(found.values())

    @cached_property
    def _named_trials(self) -> Optional[re.Pattern[str]]:
        names = self._shape_names
        if not names:
            return None
        return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                          + r")(?![\w-])")

    @cached_property
    def _shape_matches(self) -> list[tuple[int, int, int, str]]:
        """Every trial name the text gives by its shape (rules/trial_patterns.yaml trial_name), found
        once per document: (rule order, start, end, name as written), sorted by start. trials_in reads
        a span's from here (the rules' first match at a place wins, as when each span was scanned)."""
        out = []
        for k, r in enumerate(self.trial_name_rules):
            for m in r.regex.finditer(self.text):
                s, t = m.start("name"), m.end("name")
                if self._may_name_trial(m.group("name"), s, t, r.value == "weak"):
                    if _TRIAL_PREFIX.search(self.text, max(0, s - 3), s):
                        s -= 2
                    out.append((k, s, t, self.text[s:t]))
        # two rules naming a trial at one place: the longer name is the whole of it ("GIROG 94" and "GIROG 94-03")
        longest: dict[int, tuple[int, int, int, str]] = {}
        for x in out:
            if x[1] not in longest or x[2] > longest[x[1]][2] or (x[2] == longest[x[1]][2] and x[0] < longest[x[1]][0]):
                longest[x[1]] = x
        return sorted(longest.values(), key=lambda x: x[1])

    @cached_property
    def _shape_starts(self) -> list[int]:
        return [s for _, s, _, _ in self._shape_matches]

    @cached_property
    def _shape_names(self) -> frozenset[str]:
        """The trial names the whole text gives by their shape, outside the lexicon's trial spans."""
        return frozenset(name for _, s, t, name in self._shape_matches if not self.ents_in(s, t, TRIAL))

    def _may_name_trial(self, name: str, s: int, t: int, weak: bool = False) -> bool:
        """A shape match is no trial name when it is a registry id, or wholly another kind of name the
        rules know (an agency, gene, cancer or endpoint entity: "FDA", "HER2", "NSCLC", "ORR"; for a rule
        whose context says little, value "weak", also a drug: "SHR-A1811 showed"), or a word
        rules/trial_patterns.yaml lists as no trial name (category not_trial_name). A trial named like
        a drug's code in a telling context ("the EV-322 trial", "EGF30008 (NCT...)") is a trial."""
        if re.match(r"NCT[\s-]?\d", name, re.I) or any(r.regex.fullmatch(name) for r in self._not_trial_names):
            return False
        return not any((e.label != DRUG or weak) and e.label != TRIAL and e.char_start <= s and t <= e.char_end
                       for e in self.ents_in(max(0, s - 40), t + 40))

    @cached_property
    def _not_trial_names(self) -> list:
        return self.rules.patterns("trial_patterns", "not_trial_name")

    @cached_property
    def _reference_cues(self) -> dict[int, tuple[str, Optional[tuple[int, int]]]]:
        """Trial names a record sets up as the yardstick of its own study's results (rules/attribution.yaml
        reference_trial: "the pivotal |COLIBRAF trial", "compared with 61.8% in |COLIBRAF"): name start -> (trial, span
        of the figures quoted for it or None). Only in a record with a study of its own; never that study."""
        if not self.is_record or self.multi_study or not self._study_found[1] or self._pooled_record:
            return {}
        cues = self.rules.patterns("attribution", "reference_trial")
        out: dict[int, tuple[str, Optional[tuple[int, int]]]] = {}
        for s, _, t in self.trials_in(0, len(self.text)):
            if t == self.study_trials[0]:
                continue
            sent = self.sentence_at(s)
            lo = max(sent.char_start if sent is not None else 0, s - 120)
            m = next((m for r in cues if (m := r.regex.search(self.text, lo, s))), None)
            if m is not None:
                out[s] = (t, m.span("values") if m.group("values") else None)
        return out

    @cached_property
    def reference_trials(self) -> dict[str, list[tuple[int, int]]]:
        """Trials a record holds its own study's results against, each with the spans of its own figures the record
        quotes ("compared with |61.8%| in COLIBRAF"): a trial called the pivotal one, or one whose figures are quoted
        after the record's unless the record also opens a clause with it ("In HerCoRT, the ORR was ...": a second
        study it reports)."""
        if not self._reference_cues:
            return {}
        found = self.trials_in(0, len(self.text))
        opened = {t for s, e, t in found if _OPENS_CLAUSE.search(self.text, max(0, s - 12), s)
                  and _CLAUSE_AFTER_NAME.match(self.text, e)}
        out: dict[str, list[tuple[int, int]]] = {}
        for t, span in self._reference_cues.values():
            out.setdefault(t, [])
            if span is not None:
                out[t].append(span)
        return {t: spans for t, spans in out.items()
                if t not in opened or any(x == t and span is None for x, span in self._reference_cues.values())}

    def is_reference_mention(self, pos: int) -> bool:
        """Whether the trial name starting at `pos` names a reference trial as such ("compared with 61.8% in
        |COLIBRAF", "the pivotal |CABOREN-1 trial")."""
        return pos in self._reference_cues and self._reference_cues[pos][0] in self.reference_trials

    def reference_trial_at(self, pos: int) -> str:
        """The reference trial whose quoted figures `pos` is in ("compared with |61.8%| in COLIBRAF"), else ""."""
        return next((t for t, spans in self.reference_trials.items() if any(a <= pos < b for a, b in spans)), "")

    def topic_trials_in(self, start: int, end: int) -> list[str]:
        """Trials a span is about: not those it names in passing ("Unlike DESTINY-Breast03, which
        compared ...", "as in CLEOPATRA"; rules/attribution.yaml, category passing_mention)."""
        cues = self.rules.patterns("attribution", "passing_mention")
        return [t for s, _, t in self.trials_in(start, end)
                if not any(r.regex.search(self.text, max(start, s - 40), s) for r in cues)]

    # ---- attribution, nearest scope first
    def drugs_in(self, start: int, end: int, stop_at_comparator: bool = True) -> tuple[list[str], list[str]]:
        """(experimental, comparator) drug canonicals in a span: drugs after a
        comparator cue ("versus", "compared with") are the comparator arm."""
        chunk = self.text[start:end]
        cut = end
        lead = None          # "Compared with endocrine therapy alone, the addition of X ...": the comparator leads
        if stop_at_comparator:
            found = [(r, m) for r in self.rules.patterns("attribution", "comparator") if (m := r.regex.search(chunk))]
            first = min((m for _, m in found), default=None, key=lambda m: m.start())
            if first is not None and not chunk[:first.start()].strip() and "," in chunk[first.end():first.end() + 80]:
                lead = start + chunk.index(",", first.end())
                found = [(r, m) for r, _ in found if (m := r.regex.search(chunk, lead - start))]
            for r, m in found:
                # a cue may mark where the comparator begins ("compared margetuximab |with trastuzumab")
                at = m.start("cue") if "cue" in r.regex.groupindex and m.group("cue") else m.start()
                cut = min(cut, start + at)
        prior, scoped = self._prior_cues(start, end)
        ends = self.rules.patterns("attribution", "prior_therapy_end")
        exp, comp = [], []
        passing = self.rules.patterns("attribution", "passing_mention")
        cites = citation_marker_spans(self.text, self.rules, max(0, start - 40), min(len(self.text), end + 40))
        prev_prior_end = None
        prev_exp_end = None
        first_start = None
        leading = {a for a, _ in prior if _LEADING.fullmatch(self.text, start, a)}
        prior_leading = False
        examples = self._class_examples(start, end)
        for e in self.ents_in(start, end, DRUG):
            if any(a <= e.char_start < b for a, b in examples) or self._appositive_class(e):
                continue     # "FGFR inhibitors (pemigatinib, futibatinib, ...)": the class's examples, not more agents
            if stop_at_comparator and cut == end and prev_exp_end is not None and (
                    (_ALTERNATIVE.match(self.text, prev_exp_end, e.char_start)
                     and not (_ALONE_OR_WITH.match(self.text, prev_exp_end, e.char_start) and self.compares_arms))
                    or (_ARM_ALTERNATIVE.fullmatch(self.text, prev_exp_end, e.char_start) and self._randomises(chunk))
                    or (first_start is not None and _BETWEEN.search(self.text, max(start, first_start - 20), first_start)
                        and _COMPARISON.search(chunk)
                        and re.fullmatch(r"\s*and\s+(?:the\s+)?", self.text[prev_exp_end:e.char_start]))):
                # "atezolizumab or docetaxel", "randomly assigned to SG (n = 272) or chemotherapy",
                # "between fulvestrant and tamoxifen": two arms
                cut = prev_exp_end
            if e.char_start < cut:
                prev_exp_end = e.char_end
                first_start = e.char_start if first_start is None else first_start
            if any(a <= e.char_start < b for a, b in cites) or PATIENT_STATE.match(self.text, e.char_end):
                continue     # "chemo-naive", "trastuzumab-resistant": the patients' history, not the regimen
                             # ("chemotherapy-free" names no drug at all: _without_spared_drugs)
            if any(r.regex.search(self.text, max(start, e.char_start - 40), e.char_start) for r in passing):
                continue     # "..., unlike tucatinib": a drug named in passing, not the regimen
            if any(a <= e.char_start < b for a, b in scoped):
                continue
            # "progressed on prior trastuzumab/pertuzumab and T-DM1": not the regimen studied (a comma
            # ends a leading phrase: "After a taxane and trastuzumab, T-DXd is preferred")
            # ... nor does a comma and the drug's own verb: "who had received prior chemotherapy, T-DXd doubled PFS"
            # (the verb may follow the regimen the drug opens: "..., enfortumab vedotin plus pembrolizumab gave")
            subject = bool(prior or prev_prior_end is not None) and any(
                r.regex.match(self.text[x:x + 40]) for x in {e.char_end, self.drug_list_end(e.char_end, end, commas=False)}
                for r in ends)   # only where a list may end
            if any(a <= e.char_start and _only_drugs_between(self.text, b, e.char_start)
                   and not ((a in leading or subject) and "," in self.text[b:e.char_start]) for a, b in prior) or (
                    prev_prior_end is not None and _only_drugs_between(self.text, prev_prior_end, e.char_start)
                    and not ((prior_leading or subject) and "," in self.text[prev_prior_end:e.char_start])):
                prior_leading = prior_leading or any(a in leading and a <= e.char_start for a, _ in prior)
                prev_prior_end = e.char_end
                continue
            prev_prior_end = None
            prior_leading = False
            (exp if (lead is None or e.char_start > lead) and e.char_start < cut else comp).append(e.normalized)
        exp, comp = self._without_target_classes(_uniq(exp)), self._without_target_classes(_uniq(comp))
        return exp, [c for c in comp if c not in exp]

    @cached_property
    def alternative_groups(self) -> list[frozenset[str]]:
        """The drugs the text names as alternatives, one list joined by "or" ("treated with palbociclib, abemaciclib, or
        everolimus", "response rates of 60-80% with gefitinib or erlotinib"; made-up set 50 mu19902, set 53 mu21108, real
        abstract pmid33867426): each list's single drugs, where the text never joins two of them into one regimen and no
        list of arms is being assigned ("randomly assigned to X or Y")."""
        ents = [e for e in self.ents_in(0, len(self.text), DRUG) if " + " not in e.normalized]
        groups: list[list[EntitySpan]] = []
        run: list[EntitySpan] = []
        has_or = False
        for e in ents:
            gap = self.text[run[-1].char_end:e.char_start] if run else ""
            if run and _ALTERNATIVE_GAP.fullmatch(gap):
                run.append(e)
                has_or = has_or or bool(re.search(r"\bor\b", gap))
                continue
            if len(run) >= 2 and has_or:
                groups.append(run)
            run, has_or = [e], False
        if len(run) >= 2 and has_or:
            groups.append(run)
        out = []
        for g in groups:
            names = frozenset(e.normalized for e in g)
            sent = self.sentence_at(g[0].char_start)
            lead = self.text[sent.char_start if sent else max(0, g[0].char_start - 250):g[0].char_start]
            if len(names) < 2 or _ASSIGNED_TO.search(lead) or PATIENT_STATE.match(self.text, g[-1].char_end) \
                    or self._joined_anywhere(names):
                continue
            out.append(names)
        return out

    def _joined_anywhere(self, names: frozenset[str]) -> bool:
        """Two of `names` are joined into one regimen somewhere in the text ("gefitinib plus erlotinib")."""
        ents = [e for e in self.ents_in(0, len(self.text), DRUG) if e.normalized in names]
        return any(a.normalized != b.normalized and _COMBINATION_GAP.fullmatch(self.text[a.char_end:b.char_start])
                   for a, b in zip(ents, ents[1:]))

    def _class_examples(self, start: int, end: int) -> list[tuple[int, int]]:
        """The brackets right after a drug class that list drugs of it as examples ("prospective trials of FGFR
        inhibitors (pemigatinib, futibatinib, infigratinib, derazantinib and others)", "CDK4/6 inhibitors
        (palbociclib, ribociclib or abemaciclib)"; made-up set 15 mu5910): their spans."""
        members = self._drug_classes[0]
        out = []
        for e in self.ents_in(start, end, DRUG):
            if e.normalized not in members and e.normalized not in self._target_classes:
                continue
            m = _EXAMPLES_BRACKET.match(self.text, e.char_end, end)
            # (alternatives, not the regimen spelled out: "chemotherapy (docetaxel, carboplatin and trastuzumab)" is one)
            inside = self.ents_in(m.start(), m.end(), DRUG) if m else []
            if m and len(inside) >= 2 and _ALTERNATIVES.search(m.group()) and ("," in m.group() or _only_alternatives(m.group(), m.start(), inside)):
                out.append((m.start(), m.end()))
        return out

    def _appositive_class(self, e: EntitySpan) -> bool:
        """A drug class set off after a drug to say what it is ("HBM-4183, an anti-PD-1 antibody, in ...", "SGX-4021,
        an EGFR-directed antibody-drug conjugate,"; made-up set 24 mu9402, set 15 mu5904): the drug's description,
        no second agent."""
        if e.normalized not in self._drug_classes[0] and e.normalized not in self._target_classes:
            return False
        if _ARTICLE_BEFORE.search(self.text, max(0, e.char_start - 5), e.char_start) and any(
                d.char_start > e.char_end and not self.text[e.char_end:d.char_start].strip()
                and d.normalized not in self._drug_classes[0] and d.normalized not in self._target_classes
                for d in self.ents_in(e.char_end, e.char_end + 80, DRUG)[:1]):
            # ... or named before it with its article: "the anti-PD-1 antibody TLX-4407", "the AKT inhibitor
            # BPX-2290" (made-up set 48 mu19106, set 22 mu8702, set 43 mu17108)
            return True
        m = _APPOSITION_BEFORE.search(self.text, max(0, e.char_start - 80), e.char_start)
        if m is None or _APPOSITION_AFTER.match(self.text, e.char_end) is None:
            return False
        return any(d.char_end == m.end("drug") and d.normalized not in self._drug_classes[0]
                   for d in self.ents_in(max(0, m.end("drug") - 60), m.end("drug"), DRUG))

    def _without_target_classes(self, drugs: list[str]) -> list[str]:
        """A class named by its target beside drugs in one regimen names their class ("TROP2 ADCs are alternatives:
        sacituzumab govitecan improved ...", made-up set 1 mu412): the drugs, not the class as one more agent."""
        if len(drugs) < 2 or not self._target_classes & set(drugs):
            return drugs
        rest = [d for d in drugs if d not in self._target_classes]
        return rest or drugs

    @cached_property
    def _target_classes(self) -> set[str]:
        """The drug classes the text names by their target (rules/drug_patterns.yaml target_class)."""
        rules = self.rules.patterns("drug_patterns", "target_class")
        return {e.normalized for e in self.ents_in(0, len(self.text), DRUG)
                if e.source == "pattern" and any(r.regex.fullmatch(e.text) for r in rules)}

    def drug_list_end(self, p: int, end: int, commas: bool = True) -> int:
        """The end of the drugs joined on at p (rules/regulatory.yaml regimen_joiner: "with trastuzumab|,
        pertuzumab, and docetaxel"); without `commas`, a comma ends it: the regimen a drug opens
        ("enfortumab vedotin| plus pembrolizumab|, T-DXd ...")."""
        joiners = self.rules.patterns("regulatory", "regimen_joiner")
        q = p
        while True:
            nxt = self.ents_in(q, min(end, q + 60), DRUG)
            gap = self.text[q:nxt[0].char_start] if nxt else ""
            if not nxt or (not commas and "," in gap) or not any(r.regex.search(gap) for r in joiners):
                return q
            q = nxt[0].char_end

    @cached_property
    def _drug_classes(self) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
        lex = self.rules.get("drugs")
        entries = lex.entries if lex is not None else ()
        return ({e.canonical: e.members for e in entries if e.members},
                {e.canonical: e.category for e in entries})

    def same_regimen(self, named: set[str], given: set[str]) -> bool:
        """Regimen `named` is regimen `given`, a class standing for one of its members ("taxane, trastuzumab and
        pertuzumab" is docetaxel + pertuzumab + trastuzumab)."""
        members, category_of = self._drug_classes
        return len(named) == len(given) and all(d in given or any(class_covers(d, x, members, category_of) for x in given)
                                                for d in named)

    def specific(self, drugs: list[str]) -> list[str]:
        """A class a result is attributed to alone ("aromatase inhibitor", "endocrine therapy") is the one
        member of it the study's regimen names ("... aromatase inhibition with exemestane"), if exactly one."""
        members, category_of = self._drug_classes
        if len(drugs) != 1 or drugs[0] not in members:
            return drugs         # ("nivolumab + chemotherapy": a class beside another agent is the regimen as named)
        study = [d for d in (self.study_drugs[0] or self.methods_regimen or self.title_regimen) if d not in members]
        if not study and self.is_record:     # a record naming its regimen by class: the members it names anywhere
            named = _uniq(e.normalized for e in self.ents_in(0, len(self.text), DRUG))
            study = [x for x in named if x not in members]
            # (and the narrower classes it names with no member of theirs: "anthracycline- and taxane-based neoadjuvant
            # chemotherapy; 212 of them (31.0%) also received carboplatin" is no carboplatin study; set 20 mu7702)
            study += [x for x in named if x in members and x not in drugs
                      and not any(class_covers(x, m, members, category_of) for m in study)]
        out = []
        for d in drugs:
            covered = [m for m in study if class_covers(d, m, members, category_of)
                       or (m in members and set(members[m]) <= set(members.get(d, ())))] if d in members else []
            out.append(covered[0] if len(covered) == 1 and covered[0] not in members else d)   # (a narrower class only blocks)
        return _uniq(out)

    @cached_property
    def _drug_cancer_types(self) -> dict[str, str]:
        lex = self.rules.get("drugs")
        return {e.canonical: e.cancer_type for e in (lex.entries if lex is not None else ()) if e.cancer_type}

    def drug_cancers(self, drugs: list[str]) -> list[str]:
        """The cancer type rules/drugs.yaml gives the regimen's drugs (`cancer_type` of a drug, or of a
        class covering it: "cdk4/6 inhibitor" covers ribociclib), when they agree on one; else none."""
        types, members, category_of = self._drug_cancer_types, *self._drug_classes
        found = {t for d in drugs for c, t in types.items()
                 if c == d or (c in members and class_covers(c, d, members, category_of))}
        return list(found) if len(found) == 1 else []

    def regimen(self, drugs: str) -> str:
        """A regimen as a curator names it: classes covered by a named member dropped."""
        members, category_of = self._drug_classes
        return drop_covered_classes(drugs, members, category_of) if members and drugs else drugs

    @cached_property
    def title_cancers(self) -> list[str]:
        """The cancer type a document is about, when its title names one."""
        for s in self.doc.sections:
            if s.kind == "title":
                return self.cancers_in(s.char_start, s.char_end)[:1]
        return []

    @cached_property
    def only_cancer(self) -> list[str]:
        """The cancer type of a text that names one only (in any of its content sentences): the
        last fallback of a statement that names none, also when the text names it after the statement."""
        found = {c for s in self.content_sentences() for c in self.cancers_in(s.char_start, s.char_end)}
        return sorted(found) if len(found) == 1 else []

    @cached_property
    def title_study(self) -> list[str]:
        """The study a longer text's title names in its trial slot (rules/trial_patterns.yaml title_trial_name:
        "NEXUS-B1: ...", "... (LYRA-301): 3-year results"), when it names one."""
        if self.is_record:
            return []
        names = {normalize_trial_name(m.group("name")) for m in self._title_name_matches
                 # (a drug's name is none: "T-DXd: A New Standard ...")
                 if self._may_name_trial(m.group("name"), m.start("name"), m.end("name"), weak=True)}
        return sorted(names) if len(names) == 1 else []

    @cached_property
    def only_trial(self) -> list[str]:
        """The one trial a longer text (not a record) names by name, when it names exactly one: the last
        fallback of a value whose paragraph names none."""
        if self.is_record:
            return []
        # the lexicon's trials (with a cohort or region suffix, as trials_in reads them) and the names
        # found by shape, without scanning the whole text again
        names = set()
        for e in self.ents_in(0, len(self.text), TRIAL):
            x = _TRIAL_SUFFIX.match(self.text, e.char_end)
            names.add(normalize_trial_name(self.text[e.char_start:x.end()]) if x else e.normalized)
        names |= {normalize_trial_name(n) for n in self._shape_names}
        names = {t for t in names if not re.match(r"NCT\d", t)}
        return sorted(names) if len(names) == 1 else []

    @cached_property
    def methods_regimen(self) -> list[str]:
        """An original article's regimen (a longer text with a Methods section): the drugs of the first
        Methods sentence that says what patients received (rules/attribution.yaml, category treatment),
        when it names one regimen. The last fallback of a value whose paragraph names no drug."""
        if self.is_record:
            return []
        cues = self.rules.patterns("attribution", "treatment")
        for sec in self.doc.sections:
            if not re.fullmatch(r"(?:patients\s+and\s+)?(?:materials\s+and\s+)?methods?", (sec.heading or "").strip().lower()):
                continue
            for s in self.content_sentences():
                if not (sec.char_start <= s.char_start < sec.char_end):
                    continue
                if any(r.regex.search(self.text, s.char_start, s.char_end) for r in cues):
                    exp, _ = self.drugs_in(s.char_start, s.char_end)
                    if exp:
                        return exp
        return []

    @cached_property
    def title_regimen(self) -> list[str]:
        """The one drug (or regimen joined by 'plus', 'with', ...) a longer text's title names: the last
        fallback of a value whose paragraph names none. Nothing when the title names several regimens."""
        span = self._title_span or self._deck_title_span
        if self.is_record or not span:
            return []
        ents = self.ents_in(*span, DRUG)
        if any(e.normalized not in self._title_study_codes for e in ents):
            ents = [e for e in ents if e.normalized not in self._title_study_codes]
        # (a name and its bracketed aliases are one drug: "Trastuzumab Deruxtecan (T-DXd; DS-8201a)")
        ents = [e for k, e in enumerate(ents) if not (k and ents[k - 1].normalized == e.normalized)]
        # "X vs Y in ...": the regimen studied is the one before "vs" (set 13 mu4902, set 10 mu3912)
        vs = next((k for k, (a, b) in enumerate(zip(ents, ents[1:]), 1)
                   if re.search(r"\b(?:versus|vs\.?)\s", self.text[a.char_end:b.char_start])), None)
        if vs is None and ents and re.search(r"\b(?:versus|vs\.?)\s", self.text[ents[-1].char_end:span[1]]):
            vs = len(ents)      # "... vs Treatment of Physician's Choice": a comparator the lexicon has no drug for
        if vs is not None and self._deck_title_span == span:
            ents = ents[:vs]
        _, category_of = self._drug_classes
        if not ents or any(category_of.get(e.normalized) == "class" for e in ents):
            return []       # "HER2-targeted therapy in ...": a review of a class names no value's drug
        joiners = self.rules.patterns("regulatory", "regimen_joiner")
        if any(not any(r.regex.search(self.text[a.char_end:b.char_start]) for r in joiners) or
               re.search(r"\b(?:or|versus|vs\.?|and)\b|,", self.text[a.char_end:b.char_start])
               for a, b in zip(ents, ents[1:])):
            return []
        return _uniq(e.normalized for e in ents)

    @cached_property
    def opening_cancer(self) -> list[str]:
        """The cancer type a text without a title opens with ("Up to half of patients with HER2-positive
        metastatic breast cancer develop brain metastases, ..."): its first content sentence naming
        exactly one, within the text's first two sentences."""
        for s in [s for s in self.content_sentences() if s.section_kind != "title"][:2]:
            found = self.cancers_in(s.char_start, s.char_end)
            if found:
                return found[:1] if len(set(found)) == 1 else []
        return []

    @cached_property
    def guideline_body(self) -> str:
        """The guideline body a guideline text is by: the one guideline body (rules/agencies.yaml,
        category guideline) its title names beside a guideline word (rules/regulatory.yaml, category
        guideline_document): "ESMO Gastric Cancer Living Guideline ...", "...: an ASCO guideline update".
        A recommendation such a text states without naming a body is that body's."""
        if not self._title_span:
            return ""
        a, b = self._title_span
        if not any(r.regex.search(self.text, a, b) for r in self.rules.patterns("regulatory", "guideline_document")):
            return ""
        guideline = {x.canonical for x in self.rules["agencies"].entries if x.category == "guideline"}
        bodies = {e.normalized for e in self.ents_in(a, b, AGENCY) if e.normalized in guideline}
        return bodies.pop() if len(bodies) == 1 else ""

    @cached_property
    def _title_study_codes(self) -> frozenset[str]:
        """Codes shaped like a drug's that a longer text's title names beside named drugs: the study's
        ("Zanidatamab + CAPOX ...: ZANGA-201 phase 2 update"), not a drug of its regimen. (A record's title
        is not read so: "RC48 plus toripalimab" names a drug by its code.)"""
        if not self._title_span:
            return frozenset()
        ents = self.ents_in(*self._title_span, DRUG)
        codes = {e.normalized for e in ents if e.source == "pattern" and re.search(r"\d", e.text)}
        return frozenset(codes) if any(e.normalized not in codes for e in ents) else frozenset()

    @property
    def title_span(self) -> Optional[tuple[int, int]]:
        """(start, end) of the document's title, if it has one."""
        return self._title_span

    @cached_property
    def _title_span(self) -> Optional[tuple[int, int]]:
        for s in self.doc.sections:
            if s.kind == "title":
                return s.char_start, s.char_end
        return None

    @cached_property
    def _deck_title_span(self) -> Optional[tuple[int, int]]:
        """A slide deck's title: the first line under its first slide's heading ("[Slide 1]", "Slide 1 – TROPIC-L7"),
        when the text opens with that slide (set 13 mu4902, set 10 mu3912)."""
        first = next((s for s in self.doc.sections if s.kind == "body"), None)
        if first is None or not _FIRST_SLIDE.match(first.heading) or self.text[:first.char_start].strip():
            return None
        at = self.text.find("\n", first.char_start, first.char_end)
        while 0 <= at < first.char_end and self.text[at] == "\n":
            at += 1
        end = self.text.find("\n", at, first.char_end) if at >= 0 else -1
        return (at, end if end > 0 else first.char_end) if 0 <= at < first.char_end else None

    @cached_property
    def _study_regimen_rules(self) -> Optional[int]:
        """Whether a drug an earlier sentence names outside the study's regimen is a passing mention, in a
        record about one study: always (-1) when its title names its regimen or a sentence says what patients
        were given (rules/attribution.yaml category treatment); when its regimen is only the first drugs it
        names, within the paragraph of that first sentence (its start is returned): an editorial's "the
        first-line conversation is about gemcitabine and cisplatin" is no filter on the next paragraph's drug.
        None: no filter."""
        if not (self.is_record and self._title_span and not self.multi_study):
            return None
        if self.drugs_in(*self._title_span)[0]:
            return -1
        cues = self.rules.patterns("attribution", "treatment")
        first = None
        for s in self.content_sentences():
            if self.drugs_in(s.char_start, s.char_end)[0]:
                if any(r.regex.search(self.text, s.char_start, s.char_end) for r in cues):
                    return -1
                first = s.char_start if first is None else first
        return first

    def _study_filters(self, sent: Sentence) -> bool:
        at = self._study_regimen_rules
        return at is not None and (at == -1 or self.para_of(at) == self.para_of(sent.char_start))

    @cached_property
    def study_drugs(self) -> tuple[list[str], list[str]]:
        """The regimen a single-study record (a trial abstract: no body sections) is about: the
        drugs of its title, else of its first content sentence that says what patients were given
        (rules/attribution.yaml, category treatment), else of the first that names one. A review has none."""
        if not self.is_record:
            return [], []
        if self._title_span:
            exp, comp = self.drugs_in(*self._title_span)
            if exp:
                return exp, comp
        first: tuple[list[str], list[str]] = ([], [])
        cues = self.rules.patterns("attribution", "treatment")
        for s in self.content_sentences():
            exp, comp = self.drugs_in(s.char_start, s.char_end)
            if not exp:
                continue
            exp = self._without_optional_partners(s, exp)
            # the sentence that says what patients were given, not a background sentence
            if any(r.regex.search(self.text, s.char_start, s.char_end) for r in cues):
                return exp, comp
            first = first if first[0] else (exp, comp)
        return first

    def _without_optional_partners(self, s: Sentence, exp: list[str]) -> list[str]:
        """The drugs a sentence gives without the partners it calls optional: "pembrolizumab 200 mg every 3 weeks, given
        alone or with platinum-pemetrexed induction" (made-up set 53 mu21112): the regimen studied is the drug before the
        words, the partners after them are some patients' only. (Not "with or without X": in a randomised record X is
        the drug studied, set 38 mu15006, mu15012.)"""
        m = _OPTIONAL_PARTNER.search(self.text, s.char_start, s.char_end)
        if m is None:
            return exp
        before = {e.normalized for e in self.ents_in(s.char_start, m.start(), DRUG)}
        kept = [d for d in exp if d in before]
        return kept or exp

    @cached_property
    def arm_regimens(self) -> dict[str, str]:
        """Arms, cohorts and groups a text defines by a label ("arm 1, alpelisib, a PIK3CA
        inhibitor; arm 2, poziotinib"): label (lower case) -> the regimen named right after it."""
        out: dict[str, str] = {}
        defs = [*_ARM_LABEL_DEF.finditer(self.text), *_ARM_LABEL_GIVEN.finditer(self.text),
                *_ARM_LABEL_GIVEN_AFTER.finditer(self.text), *_NAMED_ARM_DEF.finditer(self.text)]
        for m in sorted(defs, key=lambda m: m.start()):
            label = re.sub(r"\s+", " ", m.group("label").lower())
            if label in out:
                continue
            stop = self.text.find(",", m.end(), m.end() + 80)
            end = min(x for x in (stop, self.text.find(";", m.end(), m.end() + 80),
                                  self.text.find(")", m.end(), m.end() + 80),
                                  self.text.find("\n", m.end(), m.end() + 80),   # a list of arms, one per line
                                  m.end() + 80) if x >= 0)
            sent = self.sentence_at(m.start())
            if sent is not None and m.groupdict().get("open") is None:
                # (a verb's regimen ends with its sentence: "(cohort B) received alpelisib plus letrozole. Men and
                # premenopausal women also received goserelin", set 27 mu10406)
                end = min(end, sent.char_end)
            if m.groupdict().get("open") in ("(", "["):
                # a bracketed definition is the whole bracket, doses and schedules between its drugs: "arm A
                # (gemcitabine 1000 mg/m2 on days 1, 8 and 15 and cisplatin 70 mg/m2 on day 2)", "Arm A [trastuzumab
                # 6 mg/kg plus capecitabine ... and oxaliplatin 130 mg/m2]" (made-up set 34 mu13410, mu13408, set 16
                # mu6010)
                end = max(end, _bracket_close(self.text, m.end(), "]" if m.group("open") == "[" else ")", 250))
            # (not a drug the label's patients had before: "cohort 1 (trastuzumab-naive or relapse >12 months after
            # adjuvant trastuzumab)", set 21 mu8202)
            drugs = self._arm_drugs(m.end(), end)
            base = self._defined_as_earlier_arm(m.end(), end, out)
            if base is not None:
                # "arm B (the same doublet every 21 days with paclitaxel)", "Arm B [Arm A plus RZ-771 200 mg]": the
                # arm it names and the drugs added (made-up set 34 mu13410, mu13408)
                earlier, added_from = base
                out[label] = join_regimen([*earlier.split(" + "), *(e.normalized for e in drugs if e.char_start >= added_from)])
            elif drugs and drugs[0].char_start - m.end() <= 3:
                out[label] = join_regimen(e.normalized for e in drugs)
        # "abemaciclib plus trastuzumab with fulvestrant (arm A), abemaciclib plus trastuzumab (arm B)": the
        # regimen written right before its bracketed label (its dose and schedule may sit between)
        labelled = sorted([*ARM_LABEL_AFTER.finditer(self.text), *NAMED_ARM_AFTER.finditer(self.text)], key=lambda m: m.start())
        for j, m in enumerate(labelled):
            label = re.sub(r"\s+", " ", m.group("label").lower())
            if label in out:
                continue
            # arms listed in one sentence, each regimen before its label ("randomly assigned to doxorubicin plus
            # cyclophosphamide followed by weekly paclitaxel (arm A), the same chemotherapy followed by 52 weeks
            # of trastuzumab (arm B, sequential), or paclitaxel given concurrently with trastuzumab ... (arm C)"):
            # an arm's regimen is every drug between the label before it and its own, the first arm's every drug
            # after the words that assign patients to the arms
            sent = self.sentence_at(m.start())
            prev = labelled[j - 1] if j and self.sentence_at(labelled[j - 1].start()) == sent else None
            nxt = labelled[j + 1] if j + 1 < len(labelled) and self.sentence_at(labelled[j + 1].start()) == sent else None
            lo = prev.end() if prev is not None else None
            if lo is None and nxt is not None and sent is not None:
                cue = list(_ASSIGNED_TO.finditer(self.text, sent.char_start, m.start()))
                lo = cue[-1].end() if cue else None
            listed = self._arm_drugs(lo, m.start()) if lo is not None else []
            same = next((c for r in self.rules.patterns("attribution", "same_regimen")
                         for c in r.regex.finditer(self.text, lo, m.start())), None) if prev is not None else None
            earlier = out.get(re.sub(r"\s+", " ", prev.group("label").lower()), "") if prev is not None else ""
            if same is not None and earlier:
                # "letrozole (arm A); the same regimen plus palbociclib (arm B)": the arm before it and more
                added = [e.normalized for e in listed if e.char_start >= same.end()]
                out[label] = join_regimen([*earlier.split(" + "), *added])
                continue
            ref = _EARLIER_ARM_PLUS.match(self.text, _ARM_LIST_JOIN.match(self.text, lo).end(), m.start()) \
                if lo is not None else None
            if ref is not None and (base := out.get(re.sub(r"\s+", " ", ref.group("label").lower()))):
                # "..., or the arm B regimen plus bevacizumab 15 mg/kg (arm C)": that arm and the drugs added
                out[label] = join_regimen([*base.split(" + "), *(e.normalized for e in listed if e.char_start >= ref.end())])
                continue
            if listed and prev is not None and _ELLIPTICAL_PARTNER.match(self.text, prev.end()) \
                    and (head := self._elliptical_head(labelled, j - 1, sent)):
                # "T-DXd 5.4 mg/kg alone (arm A) or with anastrozole 1 mg daily (arm B)", "carboplatin AUC 6 with
                # paclitaxel 175 mg/m2 (standard arm) or with paclitaxel 80 mg/m2 weekly (dose-dense arm)": the arm
                # before it, up to its partner, and the partners it names (made-up set 28 mu11112, set 26 mu10212,
                # set 38 mu15102, set 49 mu19306)
                out[label] = join_regimen([*head, *(e.normalized for e in listed)])
                continue
            if listed:
                out[label] = join_regimen(e.normalized for e in listed)
                continue
            chain = self._regimen_written_before(m.start())
            if not chain:
                continue
            out[label] = join_regimen(e.normalized for e in chain)
        return out

    def _elliptical_head(self, labelled: list[re.Match], i: int, sent: Optional[Sentence]) -> list[str]:
        """The drugs of the labelled arm labelled[i] before its partner ("T-DXd 5.4 mg/kg alone (arm A)": T-DXd;
        "carboplatin AUC 6 with paclitaxel 175 mg/m2 (standard arm)": carboplatin), for an arm after it that names
        only its partners ("or with anastrozole (arm B)"); [] when it names none."""
        p = labelled[i]
        if i and self.sentence_at(labelled[i - 1].start()) == sent:
            lo = labelled[i - 1].end()
        else:
            cue = list(_ASSIGNED_TO.finditer(self.text, sent.char_start, p.start())) if sent is not None else []
            lo = cue[-1].end() if cue else (sent.char_start if sent is not None else p.start())
        drugs = self._arm_drugs(lo, p.start())
        if not drugs:
            return []
        w = _PARTNER_WORD.search(self.text, drugs[0].char_end, p.start())
        return [d.normalized for d in drugs if w is None or d.char_start < w.start()]

    def _prior_cues(self, start: int, end: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The prior_therapy cues of a span (rules/attribution.yaml): (cues whose reach is the list of drugs after them,
        scopes a cue states itself: "replacing |TCHP| with T-DM1", and the drug_part scopes: "with an |exatecan|-derived
        payload")."""
        prior, scoped = [], [(a, b) for a, b in self._drug_part_scopes if start <= a and b <= end]
        chunk = self.text[start:end]
        for r in self.rules.patterns("attribution", "prior_therapy"):
            for m in r.regex.finditer(chunk):
                if "scope" in r.regex.groupindex and m.group("scope") is not None:
                    scoped.append((start + m.start("scope"), start + m.end("scope")))
                else:
                    prior.append((start + m.start(), start + m.end()))
        return prior, scoped

    @cached_property
    def _drug_part_scopes(self) -> list[tuple[int, int]]:
        """The drugs named as a part of another drug (rules/attribution.yaml drug_part: "with an |exatecan|-derived
        payload"), found once per document."""
        return [(m.start("scope"), m.end("scope")) for r in self.rules.patterns("attribution", "drug_part")
                for m in r.regex.finditer(self.text)]

    def _regimen_written_before(self, pos: int) -> list[EntitySpan]:
        """The drugs of the regimen written right before `pos` (a bracketed label or mark): the last drug within 60
        characters with no bracket or clause between, and the drugs joined to it (rules/regulatory.yaml
        regimen_joiner; doses between them skipped); [] when none."""
        before = self.ents_in(max(0, pos - 200), pos, DRUG)
        if not before or re.search(r"[,;()\[\]]", self.text[before[-1].char_end:pos]) or pos - before[-1].char_end > 60:
            return []
        joiners = self.rules.patterns("regulatory", "regimen_joiner")
        doses = self.rules.patterns("drug_patterns", "dose")
        chain = [before[-1]]
        for e in reversed(before[:-1]):
            gap = self.text[e.char_end:chain[0].char_start]
            for r in doses:        # "RC48 2.0 mg/kg + toripalimab 3 mg/kg Q2W (arm A)": a dose between
                gap = r.regex.sub(" ", gap)
            if not any(r.regex.search(gap) for r in joiners):
                break
            chain.insert(0, e)
        return chain

    def _defined_as_earlier_arm(self, start: int, end: int, defined: dict[str, str]) -> Optional[tuple[str, int]]:
        """An arm definition that opens with the arm defined before it ("the same regimen plus", rules/attribution.yaml
        same_regimen) or with an earlier arm's label ("Arm A plus ..."): (that arm's regimen, where the added drugs
        start); None otherwise."""
        if not defined:
            return None
        for r in self.rules.patterns("attribution", "same_regimen"):
            c = r.regex.match(self.text, start, end)
            if c:
                return list(defined.values())[-1], c.end()
        ref = _EARLIER_ARM_PLUS.match(self.text, start, end)
        if ref:
            earlier = defined.get(re.sub(r"\s+", " ", ref.group("label").lower()))
            if earlier:
                return earlier, ref.end()
        return None

    def _arm_drugs(self, start: int, end: int) -> list[EntitySpan]:
        """The drugs an arm's definition gives: not the examples of a class it names ("endocrine therapy (an
        aromatase inhibitor or fulvestrant)"), nor a drug it is given without ("gemcitabine-cisplatin without
        durvalumab", "docetaxel, trastuzumab and pertuzumab without anthracycline or platinum": the prior_therapy cues)."""
        examples = self._class_examples(start, end)
        prior, scoped = self._prior_cues(start, end)
        out, reach = [], None        # reach: where the last drug a cue reached ends (its list goes on)
        for e in self.ents_in(start, end, DRUG):
            if any(a <= e.char_start < b for a, b in examples + scoped) or PATIENT_STATE.match(self.text, e.char_end) \
                    or self._appositive_class(e):
                continue
            if any(a <= e.char_start and _only_drugs_between(self.text, b, e.char_start) for a, b in prior) or (
                    reach is not None and _only_drugs_between(self.text, reach, e.char_start)) or \
                    re.search(r"\bor\s+without\s+$", self.text[max(0, e.char_start - 15):e.char_start]):
                # (in an arm's definition "with or without atezolizumab" is a drug some arms get, not this one)
                reach = e.char_end
                continue
            reach = None
            out.append(e)
        return out

    def _randomises(self, chunk: str) -> bool:
        """Whether a sentence of `chunk` says its study randomises (rules/attribution.yaml randomised), not a
        randomised trial still to come or called for (category not_randomised)."""
        cues, others = self.rules.patterns("attribution", "randomised"), self.rules.patterns("attribution", "not_randomised")
        return any(any(r.regex.search(s) for r in cues) and not any(r.regex.search(s) for r in others)
                   for s in _SENTENCE_SPLIT.split(chunk))

    @cached_property
    def compares_arms(self) -> bool:
        """A record that randomises or names a control arm (rules/attribution.yaml, category
        randomised): its "x versus y" compare treatment arms; a review is read clause by clause."""
        if not self.is_record:
            return True
        return self._randomises(self.text) or self.multi_study or bool(self.reference_regimen)

    @cached_property
    def reference_regimen(self) -> str:
        """The regimen a record marks as the reference of its comparisons (rules/attribution.yaml reference_regimen:
        "cisplatin plus capecitabine or fluorouracil (CF-T, reference)"): the short form in the mark, else the drugs
        written right before it; "" when none or more than one is marked."""
        found = set()
        for r in self.rules.patterns("attribution", "reference_regimen"):
            for m in r.regex.finditer(self.text):
                inside = self.ents_in(m.start(), m.end(), DRUG)
                if inside:
                    found.add(join_regimen(inside[0].normalized.split(" + ")))
                    continue
                chain = self._regimen_written_before(m.start())    # "pembrolizumab-carboplatin-pemetrexed (reference)"
                if not chain or re.search(r"\bor\s*$", self.text[max(0, chain[0].char_start - 8):chain[0].char_start], re.I):
                    continue         # ("paclitaxel or docetaxel (reference)": a choice, no one regimen)
                found.add(join_regimen(d for e in chain for d in e.normalized.split(" + ")))
        return found.pop() if len(found) == 1 else ""

    @cached_property
    def multi_study(self) -> bool:
        """A short text about three or more named trials (a review's passage saved on its own): read
        like a review, not like one study's record."""
        if self._pooled_record:
            return False     # a meta-analysis: the trials it names are its sources (rules/attribution.yaml)
        return self.is_record and len({t for _, _, t in self.trials_in(0, len(self.text))}) >= 3

    @cached_property
    def _pooled_record(self) -> bool:
        """A meta-analysis or pooled analysis by its title (rules/attribution.yaml pooled_record)."""
        return bool(self._title_span) and any(r.regex.search(self.text, *self._title_span)
                                              for r in self.rules.patterns("attribution", "pooled_record"))

    @cached_property
    def is_record(self) -> bool:
        """A single-study record (a trial abstract: title and abstract, no body sections)."""
        if self._title_span and _SECTION_NUMBER.match(self.text, self._title_span[0]):
            return False     # "4. HER2-amplified colorectal cancer": a review's section saved on its own
        return not any(s.kind == "body" for s in self.doc.sections) and len(self.text) <= RECORD_MAX_CHARS

    @cached_property
    def record_phase(self) -> str:
        """The phase a record states for its own study (title first, then its opening sentences)."""
        if not self.is_record:
            return ""
        spans = ([self._title_span] if self._title_span else []) + [
            (s.char_start, s.char_end) for s in self.content_sentences() if s.section_kind != "title"][:3]
        for a, b in spans:
            for r in self.rules.patterns("trial_patterns", "phase"):
                if r.id == "phase_parenthesized":
                    continue
                m = r.regex.search(self.text, a, b)
                if m:
                    return m.group("phase")
        return ""

    @cached_property
    def study_trials(self) -> list[str]:
        """The study a single-study record reports: the trial its title names (also in
        brackets: "(KELLY)"), else the trials it registers ("CAPItello-291 ClinicalTrials.gov
        number, NCT04305496"). A review has none: its trials are found statement by statement."""
        return self._study_found[0]

    @cached_property
    def _study_found(self) -> tuple[list[str], bool]:
        """(study_trials, whether the record names it as its own: by its title, its registration or an own-study
        sentence, not merely as the first trial its opening names)."""
        if not self.is_record:
            return [], False
        if self._title_span:
            a, b = self._title_span
            named = [t for _, _, t in self.trials_in(a, b)]
            if named:
                return named, True
            shorts = {x.short for x in self.ann.abbreviations}
            for m in self._title_name_matches:
                s, e = m.span("name")
                if m.group("name") in shorts or any(x.label != TRIAL and x.char_start <= s and e <= x.char_end
                                                    for x in self.ents_in(s, e)):
                    continue        # "(NSCLC)", "(HER2)": an abbreviation, not a study; "(TAILOR-HER2)",
                                    # "(ZEBRA-BTC)" name a study with a gene or a cancer in its name
                return [normalize_trial_name(m.group("name"))], True
        registered = [r for r in self.trial_name_rules if r.id in ("name_before_registry", "bracket_name_with_registry")]
        for sent in self.content_sentences():
            for r in registered:
                m = r.regex.search(self.text, sent.char_start, sent.char_end)
                # (not a word that is another kind of name: "comparing X with docetaxel in HER2-mutant NSCLC
                # (NCT31993437)" registers no trial "NSCLC"; set 25 mu9906)
                if m and self._may_name_trial(m.group("name"), *m.span("name")):
                    return [normalize_trial_name(m.group("name"))], True
        # else the trial the record calls its own ("In this open-label, phase 3 trial (EV-322), we ...")
        # (the name the matched words themselves hold first: "KARMA is a non-interventional registry ... Outcomes
        # were compared with ... MONALEESA-2")
        own = self.rules.patterns("attribution", "own_study")
        for sent in self.content_sentences():
            hits = [m for r in own for m in [r.regex.search(self.text, sent.char_start, sent.char_end)] if m]
            if hits:
                found = self.trials_in(sent.char_start, sent.char_end)
                named = [t for s, _, t in found if any(m.start() <= s < m.end() for m in hits)] + [t for _, _, t in found]
                if named:
                    return named[:1], True
        # else the trial the record's opening (background, aims, methods) names
        for sent in [s for s in self.content_sentences() if s.section_kind != "title"][:3]:
            named = [t for _, _, t in self.trials_in(sent.char_start, sent.char_end)]
            if named:
                return named[:1], False
        return [], False

    def ncts_in(self, start: int, end: int) -> list[str]:
        out = []
        for r in self.rules.patterns("trial_patterns", "nct"):
            for m in r.regex.finditer(self.text, start, end):
                out.append("NCT" + m.group(1) + m.group(2))
        return _uniq(out)

    def cancers_in(self, start: int, end: int) -> list[str]:
        return _uniq(e.normalized for e in self.ents_in(start, end, CANCER))

    def resolve(self, sent: Sentence, upto: Optional[int] = None) -> dict[str, str]:
        """drug / comparator / trial / cancer_type for a statement in `sent`,
        resolved from the sentence, then the paragraph, then the section heading."""
        end = upto if upto is not None else sent.char_end
        exp, comp = self.drugs_in(sent.char_start, sent.char_end)
        # (a trial the record holds its own results against is not what its statements report: reference_trials)
        refs = self.reference_trials
        trials = [t for t in self.topic_trials_in(sent.char_start, sent.char_end) if t not in refs]
        cancers = self.cancers_in(sent.char_start, sent.char_end)
        new_study = any(r.regex.search(self.text[sent.char_start:end]) for r in self.rules.patterns("attribution", "new_study"))
        own_drugs = list(exp)
        add_on = bool(exp) and self._adds_on(sent)
        if not exp and trials:
            # a trial named in the sentence brings its own drug (its name's code or the trial lexicon)
            # before a drug carried over from an earlier sentence about another study
            t = trials[0]
            exp = self._trial_drugs(t, introduced=False)
        ncts = self.ncts_in(sent.char_start, sent.char_end)
        study = set(self.study_drugs[0]) if self._study_filters(sent) else set()
        prevs = self.prev_sentences(sent)
        for prev in prevs:
            prev_exp, prev_comp = self.drugs_in(prev.char_start, prev.char_end)
            if study and prev_exp and not study & set(prev_exp):
                # a record about the regimen its title names: a drug an earlier sentence mentions
                # in passing (prior therapy, background) does not take its results
                prev_exp, prev_comp = [], []
            elif study and prev_exp:
                # ... and one that names the study's regimen beside other drugs ("12.1 months in the
                # pyrotinib group and 6.9 months in the lapatinib group") carries the regimen only
                prev_exp = [d for d in prev_exp if d in study]
                if set(prev_exp) < study and not prev_comp and not self.ents_in(prev.char_start, prev.char_end, ENDPOINT) \
                        and not _RATE_OR_DURATION.search(_DOSE_MEASURE.sub(" ", self.text[prev.char_start:prev.char_end])):
                    # a part of the regimen named where no result is stated ("The maximum tolerated dose of
                    # cyclophosphamide was 900 mg/m2", "With paclitaxel doses of 200 mg/m2 and higher, G-CSF is
                    # given"): the results after it are the whole regimen's (BC5CDR tuning documents cdr006, cdr036;
                    # made-up set 9 mu3406, set 12 mu4402, set 3 mu910). Not a sentence with a comparator or a rate or
                    # duration of its own ("clearance was seen in 71.3% of pyrotinib-treated patients and in 40.8% of
                    # lapatinib-treated patients", set 2 mu602).
                    prev_exp = list(self.study_drugs[0])
            if not exp:
                exp, comp = prev_exp, comp or prev_comp
            elif add_on and prev_exp and not set(prev_exp) & set(exp):
                # "Combined with docetaxel, it produced ...": the drug the paragraph is about, with its partner
                exp, add_on = _uniq(list(prev_exp) + list(exp)), False
            # a trial named earlier in the paragraph carries on unless this sentence starts another study
            # (a paragraph opening with a trial and no drug introduces it: "The DESTINY-Breast04 trial enrolled ...")
            if not trials and not new_study and (not own_drugs or set(own_drugs) <= set(prev_exp)
                                                 or (not prev_exp and prev is prevs[-1])):
                trials = [t for t in self.topic_trials_in(prev.char_start, prev.char_end) if t not in refs]
                ncts = ncts or self.ncts_in(prev.char_start, prev.char_end)
            if not cancers:
                cancers = self.cancers_in(prev.char_start, prev.char_end)
            if trials or new_study:
                new_study = True   # stop looking further back for a trial
            if exp and new_study and cancers:
                break              # nothing further back can change the result
        sec = self.doc.section_at(sent.char_start)
        if not exp and not trials and not new_study and not self.is_record:
            # a review's, report's or article's paragraph naming neither drug nor trial before the statement
            # goes on with the ones before it in its section (a news story's lede names the drug and trial,
            # the next paragraph the results); a record's statements take its own regimen below
            exp, comp, carried = self._previous_paragraph_topic(sent, sec)
            trials = trials or carried
        if not trials and not new_study:
            # an item of a list whose lead line names the study ("HORIZON-B301 results (presented at ...):" /
            # "Median PFS by BICR: 30.6 months with SHR-A1811 vs ..."): the lead's trial
            trials, lead_ncts = self._list_lead_study(sent)
            ncts = ncts or lead_ncts
        if sec is not None and sec.heading:
            hs = sec.char_start
            he = hs + len(sec.heading)
            if not exp:
                exp = _uniq(e.normalized for e in self.ents_in(hs, he, DRUG))
            if not cancers:
                cancers = self.cancers_in(hs, he)
            heading_cancer = self.cancers_in(hs, he) or self._heading_cancer(sec.char_start)
            if not cancers or (cancers == ["other"] and heading_cancer and heading_cancer != ["other"]):
                cancers = heading_cancer or cancers
        if not cancers:
            cancers = self.title_cancers or self.only_cancer or self.opening_cancer
        if not exp and trials and len(self.study_trials) >= 2 and trials[0] in self.study_trials:
            # a record of two or more studies with their own regimens: a statement about one of them (its name carried
            # from the sentence before: "In HerCoRT, the ORR was 27.0%. The ORR was 36.1% in IHC 3+ tumours") is that
            # study's regimen, not all of the record's drugs (made-up set 55 mu21710)
            exp = self._trial_drugs(trials[0])
        if not exp:
            exp, comp = self.study_drugs[0], comp or self.study_drugs[1]
        if not exp:
            exp = self.title_regimen   # "Regulatory Decision Summary: trastuzumab deruxtecan, ...": what the text is about
        if not exp:
            exp = self.methods_regimen  # an original article: what its Methods say patients received
        if not trials and (not new_study or (self.is_record and not self.multi_study and not any(
                r.regex.search(self.text, sent.char_start, end) for r in self.rules.patterns("attribution", "other_study")))):
            # a record's "A phase II study was conducted" is its own study; not in a record about several named trials
            # ("divarasib achieved an ORR of 51.2% in its first-in-human study", made-up set 50 mu19912)
            trials = self.study_trials
        if not trials and not new_study:
            # a longer text about one trial: the one its title opens with ("NEXUS-B1: Neratinib Plus Capecitabine
            # Versus ..."), else the only one it names ("Regulatory Decision Summary") -- unless the value's own drug
            # is none of that trial's ("Disitamab vedotin showed an ORR of 39.6%" in a review naming only a trastuzumab
            # trial; made-up set 1 mu412, mu402, mu406)
            trials = self.title_study or [t for t in self.only_trial if not (exp and self._other_trials_drugs(t, exp))]
        trial = trials[0] if trials else ""
        if not exp and trial:
            exp = self._trial_drugs(trial)
        if not cancers and trial and trial in self.trial_lex and self.trial_lex[trial].cancer_type:
            cancers = [self.trial_lex[trial].cancer_type]
        if not cancers:
            cancers = self.drug_cancers(exp)   # a text naming no cancer about palbociclib: breast
        if exp and not comp:
            exp = self.whole_regimen(sent, exp) or exp
        return {
            "nct_id": ncts[0] if ncts else "",
            "drug": join_regimen(exp if own_drugs else self.specific(exp)),
            "comparator": join_regimen(comp),
            "trial": trial,
            "cancer_type": cancers[0] if cancers else "",
        }

    @cached_property
    def _title_one_regimen(self) -> list[str]:
        """The one regimen a single-arm record's title names (found once), [] for a record comparing arms or a
        title naming alternatives or a sequence ("sunitinib or sorafenib followed by everolimus", "Alone or with
        Cetuximab") or a comparator."""
        if not self.is_record or self.compares_arms or not self._title_span:
            return []
        regimen, others = self.drugs_in(*self._title_span)
        named = [e for e in self.ents_in(*self._title_span, DRUG) if e.normalized in regimen]
        if others or (named and _NOT_ONE_REGIMEN.search(self.text, named[0].char_end, named[-1].char_start)):
            return []
        return regimen

    def whole_regimen(self, sent: Sentence, drugs: list[str]) -> Optional[list[str]]:
        """In a single-arm record whose title names its regimen ("Zanidatamab plus chemotherapy after ..."), a part
        of that regimen named for a result is the whole regimen, with the agent the title's class stands for
        ("cORR was 42.9% with capecitabine" -> capecitabine + zanidatamab; "With fulvestrant as partner, mPFS was
        10.7 months" -> dalpiciclib + fulvestrant; made-up set 22 mu8408, set 15 mu5712, set 2 mu702, set 5 mu1604);
        None where the sentence names a control ("trastuzumab alone") or the record compares arms."""
        regimen = self._title_one_regimen
        if not regimen or set(drugs) == set(regimen) or \
                any(r.regex.search(self.text, sent.char_start, sent.char_end) for r in self.rules.patterns("attribution", "control_arm")):
            return None
        members, category_of = self._drug_classes
        out = list(regimen)
        for d in drugs:
            if d in regimen:
                continue
            classes = [c for c in regimen if class_covers(c, d, members, category_of)]
            if not classes:
                return None
            out = [x for x in out if x not in classes] + [d]
        return out if set(drugs) < set(out) else None

    def _trial_drugs(self, trial: str, introduced: bool = True) -> list[str]:
        """A trial's regimen: the drug code its name carries ("RC48-C005", "DS8201-A-U105"), else the lexicon's drug,
        else the bracket after its name (or the drugs of the sentence that introduces it where the bracket names part
        of them: "PyCOLO-2 (Pyrotinib ...)"; made-up set 55 mu21710), else (`introduced`) the introducing sentence's."""
        bracket, intro = self.trial_bracket_regimens.get(trial, []), self.trial_regimens.get(trial, [])
        if bracket and set(bracket) < set(intro):
            bracket = intro
        return self._drug_in_name(trial) or ([self.trial_lex[trial].drug] if trial in self.trial_lex and self.trial_lex[trial].drug
                                             else []) or bracket or (intro if introduced else [])

    def _other_trials_drugs(self, trial: str, drugs: list[str]) -> bool:
        """The trial's regimen, as the text or the lexicon gives it, shares no drug with `drugs` (classes covering a drug
        count as that drug); False where the trial's regimen is unknown."""
        theirs = {d for x in self._trial_drugs(trial) for d in x.split(" + ")}
        if not theirs:
            return False
        members, category_of = self._drug_classes
        return not any(d == t or class_covers(d, t, members, category_of) or class_covers(t, d, members, category_of)
                       for d in drugs for t in theirs)

    def _adds_on(self, sent: Sentence) -> bool:
        """The sentence's first drug is named as a partner, with no drug before it ("Combined with docetaxel,
        it produced ...", "the combination with cetuximab produced ..."): rules/attribution.yaml category add_on,
        matched against the words before that drug."""
        first = self.ents_in(sent.char_start, sent.char_end, DRUG)
        if not first:
            return False
        before = self.text[sent.char_start:first[0].char_start]
        return any(r.regex.search(before) for r in self.rules.patterns("attribution", "add_on"))

    @cached_property
    def trial_bracket_regimens(self) -> dict[str, list[str]]:
        """Trials whose name a bracket holding their regimen follows ("TROPIC-HR (NCT01245431; sacituzumab
        govitecan)", "DELTA-LOW (trastuzumab deruxtecan vs chemotherapy)"): trial -> the regimen."""
        out: dict[str, list[str]] = {}
        for s, e, name in self.trials_in(0, len(self.text)):
            m = _BRACKET_AFTER_NAME.match(self.text, e)
            if not m or name in out:
                continue
            exp = self.drugs_in(m.start() + 1, m.end() - 1)[0]
            if exp:
                out[name] = exp
        return out

    @cached_property
    def trial_regimens(self) -> dict[str, list[str]]:
        """Trials this text introduces with their regimen: a sentence naming exactly one trial and the
        drugs it gave ("The phase II ATLAS-PT basket study of T-DXd enrolled ..."): trial -> those
        drugs, the first such sentence's. A later table or sentence naming the trial alone takes them."""
        out: dict[str, list[str]] = {}
        for sent in self.content_sentences():
            trials = self.topic_trials_in(sent.char_start, sent.char_end)
            if len(set(trials)) != 1 or trials[0] in out:
                continue
            exp = self.drugs_in(sent.char_start, sent.char_end)[0]
            if not exp and (prev := self.prev_sentences(sent)) and not self.topic_trials_in(prev[0].char_start, prev[0].char_end):
                # "The European Commission granted a marketing authorisation to datopotamab deruxtecan ... In TROP-BC-01
                # (NCT90627734), median PFS was 6.9 vs 4.9 months with investigator's choice chemotherapy": a sentence
                # giving the trial no drug of its own continues the one before, which names the drug
                exp = self.drugs_in(prev[0].char_start, prev[0].char_end)[0]
            if exp:
                out[trials[0]] = exp
        return out

    def _drug_in_name(self, name: str) -> list[str]:
        low = name.lower()
        for e in self.rules["drugs"].entries:
            for f in e.forms():
                if len(f) >= 4 and low.startswith(f.lower()) and not low[len(f):len(f) + 1].isalpha():
                    return [e.canonical]
        return []

    def _heading_cancer(self, offset: int) -> list[str]:
        """The nearest earlier body heading that names a cancer type ("Gastric cancer")."""
        for s in reversed(self.doc.sections):
            if s.char_start > offset:
                continue
            if s.kind != "body":
                continue
            c = self.cancers_in(s.char_start, s.char_start + len(s.heading))
            if c:
                return c
            if s.heading and len(s.heading.split()) <= 12 and s.char_start < offset and _is_major_heading(s.heading):
                return []
        return []

    def provenance(self, sent: Sentence, start: int, end: int, extractor: str, cited: str = "") -> Provenance:
        box = self.doc.bbox_of(start, end)
        x0, top, x1, bottom = box[1:] if box else (None, None, None, None)
        return Provenance(
            x0=x0, top=top, x1=x1, bottom=bottom,
            doc_id=self.doc.doc_id,
            source_file=self.doc.source_file,
            page=sent.page,
            section=sent.section,
            char_start=start,
            char_end=end,
            quote=self.text[start:end],
            sentence=self.text[sent.char_start:sent.char_end],
            extractor=extractor,
            cited_refs=cited,
        )


_BRACKETED_ALIAS = re.compile(r"\s*[(\[]\s*")      # "toripalimab (|JS001)"
_ALIAS_CLOSE = re.compile(r"\s*[)\];,]")
_DIGIT = re.compile(r"\d")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)
# "no difference between fulvestrant and tamoxifen" compares two arms; "the interaction between
# lapatinib and sorafenib" is one combination
_COMPARISON = re.compile(r"\b(?:differ\w*|compar\w*|versus|vs\.?|similar\w*|superior\w*|inferior\w*|favou?r\w*)\b", re.I)
# partners a regimen is given "alone or with", read where a record's sentence says what patients were given (DocView.
# _without_optional_partners: "pembrolizumab ..., given alone or with platinum-pemetrexed induction", set 53 mu21112)
_OPTIONAL_PARTNER = re.compile(r"\balone\s*,?\s*or\s+(?:(?:in\s+combination|combined|together)\s+)?with\b", re.I)
# ("FLOT with or without trastuzumab" is one arm getting every drug: the other arm is its backbone alone)
# ("Lapatinib Alone or in Combination With Trastuzumab", "goserelin alone or combined with tamoxifen" in a record that
# randomises is "with or without": one arm gets every drug, the other the first alone; made-up set 27 mu10712, set 9
# mu3204. A cohort study's "afatinib alone or combined with paclitaxel" names two cohorts: set 3 mu1014, set 9 mu3410)
_ALONE_OR_WITH = re.compile(r"\s*alone\s*,?\s*or\s+(?:in\s+combination|combined|together)\s+with\b", re.I)
_ALTERNATIVE = re.compile(r"(?!\s*with\s+or\s+without\b)\s*(?:[-\s]\w+){0,2}?\s*,?\s*(?<![\w/])(?:or|and/or)\s+(?:with\s+)?(?:\w+\s+)?(?=\S)(?!\w+\s+(?:combination|plus))", re.I)
# after randomisation, the whole gap between two drugs is "or", maybe after the first arm's size:
# "randomly assigned to receive SG (n = 272) or chemotherapy (n = 271)"
_ARM_ALTERNATIVE = re.compile(r"\s*(?:\([^()]{1,30}\)\s*)?,?\s*or\s+(?:with\s+|to\s+)?", re.I)


MODEL_DRUG_LABELS = frozenset({"CHEMICAL", "SIMPLE_CHEMICAL"})


# a bracket right after a trial's name, on one line: "(NCT01245431; sacituzumab govitecan)"
_BRACKET_AFTER_NAME = re.compile(r"\s*\([^()\n]{2,120}\)")


def _model_drugs(entities, known) -> list[EntitySpan]:
    """The NER model's chemical entities as drugs, where no rule found anything (the experiment
    behind the `model_drugs` setting: does the model find regimens the rules miss?)."""
    spans = [(e.char_start, e.char_end) for e in known]
    out = []
    for e in entities:
        if e.source != "model" or e.label not in MODEL_DRUG_LABELS:
            continue
        if any(a < e.char_end and e.char_start < b for a, b in spans):
            continue
        out.append(EntitySpan(e.char_start, e.char_end, e.text, DRUG, e.normalized, "model"))
    return out


_TOPIC_LOOKBACK = 12
_SECTION_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+[A-Z]")
# a list item's marker in the normalized text (the text stage keeps "-" and numbers, drops "•" and kin)
_LIST_MARKER = r"[-•]|\d{1,2}[.)]"
LIST_ITEM = re.compile(rf"\s*(?:{_LIST_MARKER})\s")
_LEADING = re.compile(rf"\s*(?:\*|{_LIST_MARKER})?\s*")     # nothing but a list marker before a cue


def _only_drugs_between(text: str, a: int, b: int) -> bool:
    """True when only drug names and joiners stand between a cue and a drug
    ("prior trastuzumab/pertuzumab and T-DM1"; "previously exposed to another CDK4/6 inhibitor", "exposed to other
    CDK4/6 inhibitors": made-up set 50 mu19606, set 28 mu10810)."""
    gap = text[a:b]
    if len(gap) > 60:
        return False
    return re.fullmatch(r"(?:[\s,/+&-]|\b(?:and|or|plus|a|an|the|another|other|combination|of|with|treatment|therapy|therapies|"
                        r"regimens?|based|containing|lines?|first|second|third|one|two|three|at|least|more|systemic|"
                        r"platinum|prior|previous|standard|[A-Za-z0-9-]+(?=/))\b)*", gap, re.I) is not None


def _is_major_heading(h: str) -> bool:
    return bool(re.match(r"^\d+\.?\s", h))


def citation_marker_spans(text: str, rules: RuleSet, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """Spans of citation markers ("[64]", "(Cortés et al., 2022)") in text[start:end]."""
    end = len(text) if end is None else end
    out = []
    for cat in ("marker_numeric", "marker_author_year"):
        for r in rules.patterns("citations", cat):
            out += [(m.start(), m.end()) for m in r.regex.finditer(text, start, end)]
    return sorted(out)



# --------------------------------------------------------------------------
# clauses: one mechanism for every extractor, the breaks are rule data


def clause_breaks(view: "DocView", start: int, end: int, file: str, category: str) -> list[tuple[int, int]]:
    """Where text[start:end] parts into clauses: the spans matched by the `category` patterns of
    rules/<file>.yaml (rules/regulatory.yaml clause_break / hard_break for events,
    rules/attribution.yaml value_clause_break for efficacy values), merged, in text order."""
    spans = sorted((m.start(), m.end()) for r in view.rules.patterns(file, category)
                   for m in r.regex.finditer(view.text, start, end)
                   if not r.followed_by or (view.entity_starts_at(m.end(), r.followed_by)
                                            and not view.entity_ends_at(m.start(), r.followed_by)))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def clauses(view: "DocView", start: int, end: int, file: str, category: str) -> list[tuple[int, int]]:
    """The clauses of text[start:end] between its clause_breaks (the whole span when none)."""
    out = []
    pos = start
    for a, b in clause_breaks(view, start, end, file, category):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        out.append((pos, end))
    return out or [(start, end)]


def _uniq(xs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in xs:
        if x and x not in out:
            out.append(x)
    return out


# --------------------------------------------------------------------------
# ConText-style cues


@dataclass(frozen=True)
class CueHit:
    rule_id: str
    category: str
    start: int
    end: int


CUE_CATEGORIES = ("negated", "hypothetical")
SCOPE_WINDOW = 80      # characters a cue's scope reaches


def cue_hits(text: str, rules: RuleSet) -> list[CueHit]:
    out = []
    for cat in CUE_CATEGORIES:
        for r in rules.patterns("context", cat):
            for m in r.regex.finditer(text):
                out.append(CueHit(r.id, r.category, m.start(), m.end()))
    return out


def is_modified(text: str, target_start: int, target_end: int, rules: RuleSet,
                window: int = SCOPE_WINDOW, hits: Optional[list[CueHit]] = None,
                target_type: str = "") -> Optional[CueHit]:
    """The context cue (rules/context.yaml) whose scope covers text[target_start:target_end];
    None when the target is asserted. A scope runs in its cue's direction for up to `window`
    characters and ends at a sentence end or at a scope_end rule (a relative clause: "who had
    not received prior trastuzumab" does not negate the approval before it). `hits`: the cues of
    `text` when the caller has found them already (several targets in one text). `target_type`: the
    target's event type; a cue that lists it in its excluded_types does not modify it."""
    by_id = {r.id: r for r in rules.patterns("context")}
    stops = rules.patterns("context", "scope_end")
    for hit in (cue_hits(text, rules) if hits is None else hits):
        rule = by_id[hit.rule_id]
        if target_type and target_type in rule.excluded_types:
            continue                         # "granted priority review to the application for X": no pending event
        if hit.end <= target_start:          # cue before target: forward scope
            if rule.direction not in ("forward", "both"):
                continue
            gap = text[hit.end:target_start]
        elif hit.start >= target_end:        # cue after target: backward scope
            if rule.direction not in ("backward", "both"):
                continue
            gap = text[target_end:hit.start]
        else:
            return hit                       # overlapping
        if len(gap) > (rule.max_scope or window) or re.search(r"\.\s", gap) or any(s.regex.search(gap) for s in stops):
            continue
        return hit
    return None
