"""The NLP stage: the only module that loads spaCy models.

A Document goes in, our frozen Sentence / EntitySpan / Abbreviation come out.
The pipeline is built once from Settings and the rules (scispaCy tokenizer,
pysbd sentence segmentation, scispaCy's abbreviation detection (Schwartz & Hearst)
without its token Matchers, an entity ruler
fed from rules/*.yaml lexicons, and an optional statistical NER model), and then
reused for every document.

Documents are fed to `nlp.pipe` paragraph by paragraph (sentence splitting and
abbreviation detection are several times faster on paragraphs than on whole
documents), keeping document offsets; abbreviations defined anywhere in a
document then apply to the whole document.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re
import sys
import threading
import types
import warnings
from collections import Counter
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional

import numpy as np
import pysbd
from pysbd.lang.english import English
from pysbd.utils import TextSpan
import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from scispacy.abbreviation import filter_matches, find_abbreviation
from scispacy.consts import ABBREVIATIONS
from scispacy.custom_tokenizer import combined_rule_tokenizer

from pipeline.config import Settings
from pipeline.errors import Errors
from pipeline.model import ARM_LABEL_NOUNS, Abbreviation, Annotated, Document, EntitySpan, Sentence, join_regimen
from pipeline.rules import LexiconEntry, RuleSet

log = logging.getLogger("pipeline.nlp")
warnings.filterwarnings("ignore", message=r"Possible set union", category=FutureWarning)

CASE_SENSITIVE_LABELS = frozenset({"TRIAL"})
_SHORT = 5


def _is_case_sensitive(entry: LexiconEntry, form: str) -> bool:
    if entry.case_sensitive or entry.label in CASE_SENSITIVE_LABELS:
        return True
    return len(form) <= _SHORT and not form.islower()


# a hyphen between two letters as journals also print it: "invasive disease–free survival" (NEJM's en dash in
# a compound of a compound; made-up set 8's mu2914), "progression–free survival"
_LETTER_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


# a "cell" compound as journals hyphenate it: "renal-cell carcinoma", "squamous-cell carcinoma", "non–small-cell lung
# cancer" (NEJM's style; made-up set 49 mu19204, mu19210, set 8 mu2808)
_CELL_SPACE = re.compile(r"(?<=[^\W\d_]) (?=cell\b)", re.I)


def _dash_variants(forms: Iterable[str]) -> list[str]:
    """Every lexicon form, then its spellings with each hyphen between letters a hyphen or an en dash (NEJM's en dash in
    the first joint of a compound of a compound: "non–small-cell") and each space before "cell" a space or a hyphen."""
    out = list(forms)
    for f in list(out):
        joints = [(m.start(), ("-", "\u2013")) for m in _LETTER_HYPHEN.finditer(f)] + \
                 [(m.start(), (" ", "-")) for m in _CELL_SPACE.finditer(f)]
        if not joints:
            continue
        # (a form of many joints gets its all-en-dash spelling only: the spellings double with each joint)
        choices = itertools.product(*(opts for _, opts in joints)) if len(joints) <= 4 else \
            [tuple(opts[1] if opts[0] == "-" else opts[0] for _, opts in joints)]
        for choice in choices:
            chars = list(f)
            for (at, _), ch in zip(joints, choice):
                chars[at] = ch
            v = "".join(chars)
            if v not in out:
                out.append(v)
    return out


# an endpoint's abbreviation in the plural: "DCRs were 96.2% and 94.1%, respectively", "pCRs", "PFSs" (made-up set 2
# mu712, set 11 mu3506, BC5CDR cdr014; also "ORRs", "RRs", which rules/endpoints.yaml once listed one by one)
# (an abbreviation of at most 4 characters, so that its plural is still matched case-sensitively: not "OTHER", whose
# "OTHERs" would match "others")
_ABBREVIATION = re.compile(r"[A-Za-z]?[A-Z]{2,3}")


def _plural_abbreviations(entry: LexiconEntry, label: str, forms: list[str]) -> list[str]:
    if label != "ENDPOINT" or entry.category == "other":   # (not "TTCs", thorium conjugates)
        return forms
    return forms + [f + "s" for f in forms if _ABBREVIATION.fullmatch(f) and f + "s" not in forms
                    and _is_case_sensitive(entry, f + "s")]


def lexicon_patterns(rules: RuleSet, tokenizer) -> list[dict]:
    """EntityRuler patterns from every lexicon rule file. The pattern id is the
    canonical name, so the ruler's `ent_id_` is the normalized form."""
    patterns = []
    for rf in rules.lexicons():
        for entry in rf.entries:
            label = entry.label or rf.name.upper().rstrip("S")
            for form in _dash_variants(_plural_abbreviations(entry, label, list(entry.forms()))):
                if _is_case_sensitive(entry, form):
                    toks = [t.text for t in tokenizer(form)]
                    patterns.append({"label": label, "id": entry.canonical, "pattern": [{"ORTH": t} for t in toks]})
                else:
                    patterns.append({"label": label, "id": entry.canonical, "pattern": form})
    return patterns


# --------------------------------------------------------------------------
# sentences: pysbd, as scispaCy's "pysbd_sentencizer" uses it, at the cost of pysbd alone

@functools.lru_cache(maxsize=8192)
def _compiled(pattern, flags=0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_OP = re._constants     # the opcodes of re's own parser, to read what a pattern needs


def _needed_in(parsed, icase: bool) -> set[str]:
    """Characters every match of a parsed pattern needs in the string: literals of its sequence,
    of groups, of repeats at least once, of lookarounds that must hold, and those all branches need.
    Under IGNORECASE only ASCII non-letters count (they match only themselves)."""
    out: set[str] = set()
    for op, av in parsed:
        if op is _OP.IN and len(av) == 1 and av[0][0] is _OP.LITERAL:
            op, av = av[0]
        if op is _OP.LITERAL:
            ch = chr(av)
            if not icase or (ch.isascii() and not ch.isalpha()):
                out.add(ch)
        elif op is _OP.SUBPATTERN:
            _, add, dele, sub = av
            out |= _needed_in(sub, (icase or bool(add & re.IGNORECASE)) and not dele & re.IGNORECASE)
        elif op in (_OP.MAX_REPEAT, _OP.MIN_REPEAT, _OP.POSSESSIVE_REPEAT) and av[0] >= 1:
            out |= _needed_in(av[2], icase)
        elif op is _OP.ASSERT:
            out |= _needed_in(av[1], icase)
        elif op is _OP.ATOMIC_GROUP:
            out |= _needed_in(av, icase)
        elif op is _OP.BRANCH and av[1]:
            out |= set.intersection(*(_needed_in(alt, icase) for alt in av[1]))
    return out


def _needed(pattern, flags=0) -> tuple[str, ...]:
    if isinstance(pattern, re.Pattern):
        pattern, flags = pattern.pattern, pattern.flags
    if not isinstance(pattern, str):
        return ()
    parsed = re._parser.parse(pattern, flags)
    return tuple(sorted(_needed_in(parsed, bool(parsed.state.flags & re.IGNORECASE))))


@functools.lru_cache(maxsize=8192)
def _entry(pattern, flags=0) -> tuple[re.Pattern[str], tuple[str, ...]]:
    return _compiled(pattern, flags), _needed(pattern, flags)


def _cannot_match(pattern, string, flags) -> bool:
    """True when the string lacks a character every match of the pattern needs: most of pysbd's
    hundred rules per paragraph look for marks ("∯", "&", "♨", "!", quotes) most paragraphs lack."""
    for ch in _entry(pattern, flags)[1]:
        if ch not in string:
            return True
    return False


def _sub(pattern, repl, string, count=0, flags=0):
    rx, needed = _entry(pattern, flags)
    for ch in needed:
        if ch not in string:
            return string if type(string) is str else str(string)
    return rx.sub(repl, string, count)


# (string, {(pattern, flags): findall's result}) for the last string asked about, one tuple (read
# and replaced whole by a thread); the string is held, so no other string can have its id meanwhile
_FINDALLS: list[tuple] = [(None, {})]


def _findall(pattern, string, flags=0) -> list:
    """`re.findall`, the no-match answer without running a pattern that cannot match, and an answer
    already given for the same string object again: pysbd's list-item replacer runs its letter-list
    patterns for Latin and then Roman numerals, and its "1)" pattern twice, on a text that most
    often did not change in between."""
    last_string, results = _FINDALLS[0]
    if last_string is not string:
        results = {}
        _FINDALLS[0] = (string, results)
    result = results.get((pattern, flags))
    if result is None:
        result = results[(pattern, flags)] = ([] if _cannot_match(pattern, string, flags)
                                               else _compiled(pattern, flags).findall(string))
    return list(result)


def _cached_re() -> types.ModuleType:
    """`re` for pysbd's modules, with a compiled-pattern cache big enough for them. pysbd builds
    regexes from strings on every call (hundreds per paragraph, one per abbreviation it meets);
    `re`'s own cache holds 512 and was thrashed: compiling took 60 % of the NLP stage's time.
    `sub`, `search`, `match` and `findall` first check the characters a match needs (`_needed`):
    without one of them the result is the no-match one, without running the pattern."""
    mod = types.ModuleType("re_cached")
    mod.__dict__.update({k: getattr(re, k) for k in dir(re) if not k.startswith("__")})
    mod.compile = _compiled
    mod.sub = _sub
    mod.subn = lambda pattern, repl, string, count=0, flags=0: _compiled(pattern, flags).subn(repl, string, count)
    mod.search = lambda pattern, string, flags=0: (None if _cannot_match(pattern, string, flags)
                                                   else _compiled(pattern, flags).search(string))
    mod.match = lambda pattern, string, flags=0: (None if _cannot_match(pattern, string, flags)
                                                  else _compiled(pattern, flags).match(string))
    mod.fullmatch = lambda pattern, string, flags=0: _compiled(pattern, flags).fullmatch(string)
    mod.findall = _findall
    mod.finditer = lambda pattern, string, flags=0: _compiled(pattern, flags).finditer(string)
    mod.split = lambda pattern, string, maxsplit=0, flags=0: _compiled(pattern, flags).split(string, maxsplit)
    return mod


_RE = _cached_re()
for _name, _mod in list(sys.modules.items()):
    if _name.startswith("pysbd") and getattr(_mod, "re", None) is re:
        _mod.re = _RE


class _AbbreviationReplacer(English.AbbreviationReplacer):
    """pysbd's English abbreviation replacer, same results at a fraction of its cost (it was half
    of pysbd's time). pysbd, for each line and each of its 188 abbreviations found in the line,
    finds every occurrence after a space (`(?:^|\s|\r|\n)abbr`, a pattern the regex engine tries
    at every position), looks for the next word with a pattern that needs a literal "{" (a slip
    in pysbd: `(?<={abbr} ).`), and substitutes once per occurrence with lookbehind-first
    patterns. Here, exactly the same:
      - abbreviations absent from the whole text are not tried on each of its lines (an ASCII
        string in a line's `lower()` is in the text's `lower()`), and a letters-only one absent
        from the start of every word of the text neither (the line filter below wants it there;
        a line starts after a line break, a space for `str.split` and `\s`);
      - `^abbr` at 0, then `\sabbr` (a character-class prefix the engine scans fast): the same
        matches in the same order, `^` matching nowhere else;
      - the next-word pattern only runs on a line with a "{" (without, it finds nothing);
      - with no next word (always, without "{"), the substitution depends on the occurrence's
        text only, and one already applied changes nothing: each turns "." into "∯" where a
        context of spaces, letters, digits and "." holds, and turning "." into "∯" never makes a
        context hold; so each distinct occurrence text is substituted once;
      - the substitutions start with their literal "." (`\.(?<=\sabbr\.)` is `(?<=\sabbr)\.`).
    tests/test_nlp_equivalence.py compares it with pysbd's own on every paragraph we have."""

    def replace(self):
        self._tried = None
        return super().replace()

    def search_for_abbreviations_in_string(self, text):
        if self._tried is None:
            lowered_all = self.text.lower()
            if _FOLDS_TO_ASCII.search(self.text):
                self._tried = [a for a in _PYSBD_ABBREVIATIONS if a[0] in lowered_all]
            else:       # a letters-only one is tried below only at a word's start
                heads = set().union(*map(_abbreviations_starting, set(lowered_all.split())))
                self._tried = [a for a in _PYSBD_ABBREVIATIONS
                               if (a[0] in heads if a[0] in _ALPHA_ABBR else a[0] in lowered_all)]
        lowered = text.lower()
        # " abbr" in the lower-cased line with its spaces made " " is in it wherever pysbd's pattern
        # finds the abbreviation (at the start or after a space), unless a character that matches an
        # ASCII letter case-insensitively without lower-casing to it is there (_FOLDS_TO_ASCII)
        starts = None if _FOLDS_TO_ASCII.search(text) else " " + _SPACE.sub(" ", lowered)
        for stripped, at_start, after_space, next_word in self._tried:
            if stripped not in lowered or (starts is not None and stripped.isalpha() and " " + stripped not in starts):
                continue
            first = at_start.match(text)
            if starts is not None and stripped.isalpha():
                abbrev_match = _after_space(text, starts, stripped, first.end() if first else 0)
            else:
                abbrev_match = after_space.findall(text, first.end() if first else 0)
            if first:
                abbrev_match.insert(0, first.group())
            if not abbrev_match:
                continue
            if "{" in text:
                char_array = next_word.findall(text)
                for ind, match in enumerate(abbrev_match):
                    text = self.scan_for_replacements(text, match, ind, char_array)
                continue
            for am in dict.fromkeys(m.strip() for m in abbrev_match):
                low = am.lower()
                if low in _PREPOSITIVE:
                    text = _sub_period(r"\.(?<=\s{abbr}\.)(?=(\s|:\d+))".format(abbr=am), text)
                elif low in _NUMBER_ABBR:
                    text = _sub_period(r"\.(?<=\s{abbr}\.)(?=(\s\d|\s+\())".format(abbr=am), text)
                else:
                    text = _sub_period(r"\.(?<=\s{abbr}\.)(?=((\.|\:|-|\?|,)|(\s([a-z]|I\s|I'm|I'll|\d|\())))".format(
                        abbr=re.escape(am)), text)
        return text


def _after_space(text: str, starts: str, abbr: str, pos: int) -> list[str]:
    """`re.compile(r"\s" + abbr, re.IGNORECASE).findall(text, pos)` for a letters-only abbreviation,
    found with `str.find` in `starts` (" " + the text lower-cased, its spaces made " ", one character
    for one where no character of _FOLDS_TO_ASCII is): the regex, with no literal to look for,
    was tried at every position of the line for each abbreviation. An occurrence at `starts[k]` is
    the match `text[k - 1:k + len(abbr)]`; matches cannot overlap (a letter is not a space)."""
    out, key, n = [], " " + abbr, len(abbr)
    k = starts.find(key, pos + 1)
    while k >= 0:
        out.append(text[k - 1:k + n])
        k = starts.find(key, k + 1 + n)
    return out


def _sub_period(pattern: str, text: str) -> str:
    """pysbd's `re.sub(pattern, "∯", " " + text)[1:]`: the leading space lets `\s` match at 0."""
    return _compiled(pattern).sub("∯", " " + text)[1:] if "." in text else text


_SPACE = re.compile(r"\s")
# the characters beyond ASCII that a case-insensitive pattern letter a-z matches (İ ı ſ K): their
# lower case is not that letter (tests/test_nlp_equivalence.py finds them again)
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
_PREPOSITIVE = frozenset(English.Abbreviation.PREPOSITIVE_ABBREVIATIONS)
_NUMBER_ABBR = frozenset(English.Abbreviation.NUMBER_ABBREVIATIONS)
# (abbreviation, "^abbr", "\sabbr", pysbd's next-word pattern), in pysbd's order; the abbreviation
# is a pattern there (unescaped: "e.g" matches "e∯g"), and so here
_PYSBD_ABBREVIATIONS = [
    (a.strip(), re.compile(a.strip(), re.IGNORECASE), re.compile(r"\s" + a.strip(), re.IGNORECASE),
     re.compile(r"(?<={" + str(re.escape(a.strip())) + "} ).{1}"))
    for a in English.Abbreviation.ABBREVIATIONS]


_ALPHA_ABBR = frozenset(a for a, *_ in _PYSBD_ABBREVIATIONS if a.isalpha())
_ALPHA_LENGTHS = sorted({len(a) for a in _ALPHA_ABBR})


_WORD_HEADS: dict[str, frozenset[str]] = {}


def _abbreviations_starting(word: str) -> frozenset[str]:
    """The letters-only abbreviations a lower-cased word starts with, remembered per word (a
    vocabulary: emptied past 200,000 words)."""
    hit = _WORD_HEADS.get(word)
    if hit is None:
        if len(_WORD_HEADS) >= 200_000:
            _WORD_HEADS.clear()
        hit = _WORD_HEADS[word] = frozenset(word[:n] for n in _ALPHA_LENGTHS) & _ALPHA_ABBR
    return hit


class _English(English):
    AbbreviationReplacer = _AbbreviationReplacer


_MAY_SPLIT = re.compile(r"[.!?\n\r…。;:•]|\s[a-zA-Z0-9]\)")
_END_MARKS = ".!?…。 \n\r\t"


class _Segmenter(pysbd.Segmenter):
    """pysbd's Segmenter with the abbreviation replacer above, and its character spans found with
    `str.find` (pysbd runs `re.finditer(escape(sentence) + "\s*", text)` from the text's start
    for each sentence: the same first occurrence, chain of non-overlapping ones, and greedy
    trailing spaces)."""

    def __init__(self):
        super().__init__(language="en", clean=False, char_span=True)
        self.language_module = _English

    def segment(self, text):
        # a paragraph without a sentence mark or line break before its end (a heading, a table row, a
        # one-sentence caption) is one sentence: pysbd's whole pass would find just that
        # (tests/test_nlp_equivalence.py compares on every paragraph we have)
        if text.strip() and not _MAY_SPLIT.search(text, 0, len(text.rstrip(_END_MARKS))):
            self.original_text = text
            return self.sentences_with_char_spans([text.strip()])
        return super().segment(text)

    def sentences_with_char_spans(self, sentences):
        text = self.original_text
        spans, prior_end = [], 0
        for sent in sentences:
            if not sent:        # pysbd's own way (its empty "sentence" matches anywhere)
                for m in re.finditer(r"\s*", text):
                    if m.end() > prior_end:
                        spans.append(TextSpan(m.group(), m.start(), m.end()))
                        prior_end = m.end()
                        break
                continue
            pos = text.find(sent)
            while pos >= 0:
                end = _SPACES.match(text, pos + len(sent)).end()
                if end > prior_end:
                    spans.append(TextSpan(text[pos:end], pos, end))
                    prior_end = end
                    break
                pos = text.find(sent, end)
        return spans


_SPACES = re.compile(r"\s*")


_BLANK_LINE = re.compile(r"\n\s*\n")
# a sentence that ends with an arm's letter: "... 6.2 months in arm B. In phase 2, ...", "... in arms A, B and C. Immune-
# mediated ...", "... in Groups B and C. Additionally" -- pysbd keeps a capital letter and its period as an initial
# ("F. Hoffmann"), so it would not end the sentence there (made-up set 43 mu17004, set 48 mu18812, set 8 mu2906, real
# pmid37788154)
_LABEL_LETTER_END = re.compile(
    rf"\b(?i:{ARM_LABEL_NOUNS})s?\s+(?:[A-Z](?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+))*[A-Z]\.[ \t]*\n?[ \t]*(?=[A-Z])")
# The text a Doc was made from, kept by `_annotate_document` as it tokenizes: spaCy's `Doc.text`
# joins every token's text again on each read (a Python loop over the tokens), and the
# components read it once or twice per paragraph.
_TEXT = "her2_text"


def _doc_text(doc: Doc) -> str:
    text = doc.user_data.get(_TEXT)
    return text if text is not None else doc.text


@Language.component("her2_sentencizer")
def her2_sentencizer(doc: Doc) -> Doc:
    """scispaCy's `pysbd_sentencizer` (same pysbd call, same rules: a start after one of scispaCy's
    ABBREVIATIONS or after leading newlines is not a start; a token after a whitespace token of two
    or more newlines is) without its per-token Python loop and list lookups: only sentence starts
    are marked, which is all `Doc.sents` reads."""
    if not len(doc):
        return doc
    text = _doc_text(doc)
    spans = _Segmenter().segment(text)   # keeps state: one per call
    chars = [doc.char_span(sp.start, sp.end - (len(sp.sent) - len(sp.sent.rstrip(" ")))) for sp in spans]
    starts = {span[0].i for span in chars if span is not None}
    marked = set()
    for i in starts:
        prev = doc[i - 1] if i else None
        if prev is not None and (prev.text in ABBREVIATIONS or (prev.i == 0 and all(c == "\n" for c in prev.text))):
            continue
        marked.add(i)
    for m in _LABEL_LETTER_END.finditer(text):
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and len(span):
            marked.add(span[0].i)
    if _BLANK_LINE.search(text):      # only a whitespace token holding two newlines can mark more
        for tok in doc:
            if tok.i > 1 and tok.i not in starts and doc[tok.i - 1].text.count("\n") >= 2:
                marked.add(tok.i)
    doc[0].is_sent_start = True
    if len(doc) > 1 and 1 not in marked:
        doc[1].is_sent_start = False        # "sentenced" for spaCy: one token after the first is set
    for i in marked:
        doc[i].is_sent_start = True
    return doc


# The abbreviation definitions a paragraph's Doc holds: (short, long, short's start, short's end), in
# the Doc's characters; set by the her2_abbreviations component, read by `_annotate_document`.
_ABBREVIATIONS = "her2_abbreviations"


@Language.factory("her2_abbreviations")
class _Abbreviations:
    """scispaCy's AbbreviationDetector (Schwartz & Hearst: "long form (SF)" and "SF (long form)"), its
    own filter and matching functions, at the cost of those: its Matcher `( + )` tried every token
    from every "(" to the paragraph's end (and its global Matcher the short forms again) to keep
    pairs 1 to 8 tokens apart. Here the "(" and ")" tokens are looked up in the Doc's ORTH array,
    the pairs its filter keeps are listed in the Matcher's order (by end, the later start first),
    and each short form's other occurrences are found in the same array. The definitions, each
    short form with every occurrence of it, go to `doc.user_data[_ABBREVIATIONS]`.
    tests/test_nlp_equivalence.py compares it with scispaCy's detector on every paragraph we have."""

    def __init__(self, nlp: Language, name: str):
        self._open, self._close = nlp.vocab.strings.add("("), nlp.vocab.strings.add(")")

    def __call__(self, doc: Doc) -> Doc:
        if "(" not in _doc_text(doc):       # its one pattern needs a "(" token
            return doc
        orth = doc.to_array(ORTH)
        n = len(orth)
        closes = set(np.flatnonzero(orth == self._close).tolist())
        pairs = [(j, i) for i in np.flatnonzero(orth == self._open).tolist()
                 for j in range(i + 2, min(i + 10, n)) if j in closes]
        if not pairs:
            return doc
        pairs.sort(key=lambda p: (p[0], -p[1]))
        found = []
        seen_long, seen_short = set(), set()
        for long_c, short_c in filter_matches([(0, i + 1, j) for j, i in pairs], doc):
            short, long = find_abbreviation(long_c, short_c)
            new_short = short.text not in seen_short
            if not long or long.text in seen_long or not new_short:
                continue
            seen_long.add(long.text)
            seen_short.add(short.text)
            seq = orth[short.start:short.end]
            k = len(seq)
            at = {short.start} | {s for s in np.flatnonzero(orth[:n - k + 1] == seq[0]).tolist()
                                  if (orth[s:s + k] == seq).all()}
            for s in sorted(at):
                occ = doc[s:s + k]
                found.append((occ.text, long.text, occ.start_char, occ.end_char))
        doc.user_data[_ABBREVIATIONS] = found
        return doc


class _EntityRuler(EntityRuler):
    """spaCy's EntityRuler, with its token patterns (all exact ORTH sequences here: the case-sensitive
    lexicon forms) matched by a PhraseMatcher on ORTH: the same matches under the same keys, where
    the token Matcher cost as much as the rest of the stage (it tries every pattern at every token)."""

    def add_patterns(self, patterns: list[dict]) -> None:
        super().add_patterns(patterns)
        self._orth: Optional[PhraseMatcher] = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for label, pats in self.token_patterns.items():
            if not all(isinstance(t, dict) and set(t) == {"ORTH"} for pat in pats for t in pat):
                self._orth = None      # some pattern needs the token Matcher: spaCy's own path
                return
            self._orth.add(label, [Doc(self.nlp.vocab, words=[t["ORTH"] for t in pat]) for pat in pats])

    def match(self, doc: Doc):
        if getattr(self, "_orth", None) is None:
            return super().match(doc)
        matches = list(self._orth(doc)) + list(self.phrase_matcher(doc))
        final_matches = set((m_id, start, end) for m_id, start, end in matches if start != end)
        return sorted(final_matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)


@Language.factory("her2_entity_ruler", default_config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
def _make_entity_ruler(nlp: Language, name: str, phrase_matcher_attr: str, overwrite_ents: bool) -> _EntityRuler:
    return _EntityRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, overwrite_ents=overwrite_ents)


@dataclass(frozen=True)
class Pipelines:
    nlp: Language
    model: Optional[Language]
    model_name: str


def build_nlp(rules: RuleSet) -> Language:
    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)
    nlp.add_pipe("her2_sentencizer")
    nlp.add_pipe("her2_abbreviations")
    ruler = nlp.add_pipe("her2_entity_ruler", name="entity_ruler")
    ruler.add_patterns(lexicon_patterns(rules, nlp.tokenizer))
    return nlp


def load_ner_model(name: str) -> Optional[Language]:
    """Load an optional statistical NER model (package name or path). When it is
    not installed, say so in one log line and go on without it."""
    if not name:
        log.info("no NER model configured: entities come from the lexicon rules only")
        return None
    try:
        model = spacy.load(name, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    except (OSError, ImportError, ValueError) as exc:
        log.warning(Errors.E201.format(name=name, reason=str(exc).splitlines()[0][:160]))
        return None
    if "ner" not in model.pipe_names:
        log.warning(Errors.E201.format(name=name, reason="the pipeline has no 'ner' component"))
        return None
    log.info("NER model %s loaded (labels: %s)", name, ", ".join(model.get_pipe("ner").labels))
    return model


_PIPELINES: dict[tuple, Pipelines] = {}
# A spaCy pipeline is not thread-safe (scispaCy's AbbreviationDetector keeps a shared
# matcher and span state): Prefect's default task runner runs tasks in threads, so one
# document at a time goes through a process's pipeline. Processes (Dask workers) each
# have their own pipeline and lock.
_NLP_LOCK = threading.RLock()


def get_pipelines(settings: Settings, rules: RuleSet, rules_key: str = "") -> Pipelines:
    """Built once per process and rules version, then reused for every document."""
    key = (str(settings.rules_dir), rules_key, settings.ner_model)
    with _NLP_LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = Pipelines(build_nlp(rules), load_ner_model(settings.ner_model), settings.ner_model)
        return _PIPELINES[key]


# --------------------------------------------------------------------------
# document -> paragraphs -> annotations

_PARA_RE = re.compile(r"[^\n]+(?:\n[^\n]+)*")
# The longest paragraph the NLP stage takes in one piece (characters). Longer ones are cut, at the
# last sentence end (". " and the like) or else the last space in the cap's second half, or else at
# the cap; a run of more than RUN_CAP characters without a space ("((((", "%%%%") is cut into
# RUN_CAP pieces. pysbd (its cost per character grows with the paragraph), scispaCy's tokenizer
# (quadratic in a run of prefixes) and abbreviation matcher ("(" ... ")" from every "(") are
# superlinear, and spaCy refuses texts over max_length (E088): cut pieces keep the stage linear.
# The corpus's longest paragraph is under 2,000 characters: no real paragraph is cut.
PARAGRAPH_CAP = 3_000
RUN_CAP = 200
_CUT_AT = re.compile(r"[.!?;][\"')\]]*\s+")
_LONG_RUN = re.compile(r"\S{%d}" % RUN_CAP)


def _capped(offset: int, text: str) -> Iterator[tuple[int, str]]:
    cuts = {0, len(text)}
    if len(text) > RUN_CAP:
        cuts.update(i for m in _LONG_RUN.finditer(text) for i in m.span())
    cuts = sorted(cuts)
    for a, b in zip(cuts, cuts[1:]):
        yield from _length_capped(offset + a, text[a:b])


def _length_capped(offset: int, text: str) -> Iterator[tuple[int, str]]:
    while len(text) > PARAGRAPH_CAP:
        half = PARAGRAPH_CAP // 2
        window = text[half:PARAGRAPH_CAP]
        ends = [m.end() for m in _CUT_AT.finditer(window)]
        space = max(window.rfind(" "), window.rfind("\n"))
        cut = half + (ends[-1] if ends else space + 1 if space >= 0 else len(window))
        yield offset, text[:cut]
        offset, text = offset + cut, text[cut:]
    if text.strip():
        yield offset, text


def document_to_paragraphs(doc: Document) -> list[tuple[int, str]]:
    """(offset, text) of every paragraph: blocks separated by blank lines; table
    blocks (tab-separated) give one paragraph per row; none longer than PARAGRAPH_CAP."""
    out = []
    for m in _PARA_RE.finditer(doc.text):
        block = m.group(0)
        if "\t" in block:
            pos = m.start()
            for line in block.split("\n"):
                if line.strip():
                    out.extend(_capped(pos, line))
                pos += len(line) + 1
        else:
            out.extend(_capped(m.start(), block))
    return out


_ABBREV_LINE = re.compile(r"^(?P<short>[^\t]{1,20})\t(?P<long>[^\t]{3,200})$")


def abbreviation_list_entries(doc: Document) -> list[Abbreviation]:
    """Definitions printed in an 'Abbreviations' section ("ORR<TAB>Objective remission rate")."""
    out = []
    for s in doc.sections:
        if s.kind != "abbreviations":
            continue
        pos = s.char_start
        for line in doc.text[s.char_start:s.char_end].split("\n"):
            m = _ABBREV_LINE.match(line.strip())
            if m:
                start = pos + line.index(m.group("short"))
                out.append(Abbreviation(m.group("short").strip(), m.group("long").strip(), start, start + len(m.group("short").strip())))
            pos += len(line) + 1
    return out


_PER_RULES: dict[tuple[str, int], tuple[RuleSet, object]] = {}


def _per_rules(name: str, rules: RuleSet, build):
    """`build(rules)`, built once per rule set (held with the rules, so a new set with a reused id
    is not served an old value)."""
    hit = _PER_RULES.get((name, id(rules)))
    if hit is None or hit[0] is not rules:
        hit = _PER_RULES[(name, id(rules))] = (rules, build(rules))
    return hit[1]


def _canonical_index(rules: RuleSet) -> dict[str, tuple[str, str]]:
    """lower-cased surface form -> (label, canonical), built once per rule set."""
    return _per_rules("canonical", rules, _build_canonical_index)


def _build_canonical_index(rules: RuleSet) -> dict[str, tuple[str, str]]:
    idx: dict[str, tuple[str, str]] = {}
    for rf in rules.lexicons():
        for e in rf.entries:
            label = e.label or rf.name.upper().rstrip("S")
            for f in e.forms():
                idx.setdefault(f.lower(), (label, e.canonical))
    return idx


def _drug_name_patterns(rules: RuleSet) -> list:
    """The drug_patterns rules that name a drug (group `name`: INN stems, sponsor codes)."""
    return [r for r in rules.patterns("drug_patterns") if "name" in r.regex.groupindex]


def pattern_drug_entities(text: str, rules: RuleSet, known: Iterable[EntitySpan]) -> list[EntitySpan]:
    """Drugs no lexicon lists, recognised by what they are (rules/drug_patterns.yaml: INN
    stems, sponsor codes). A lexicon span always wins; the normalized name is the match
    in lower case."""
    taken = sorted((e.char_start, e.char_end) for e in known)
    starts = [a for a, _ in taken]
    out: list[EntitySpan] = []
    # a code the text names as a study ("Study BO31275 (NCT02194233) was ...", "the dose-optimisation study
    # HELIX-L02") is that study's name wherever it stands, no drug (made-up sets 7 and 9: mu2406, mu3506)
    studies = set(_STUDY_CODE.findall(text))
    for r in _drug_name_patterns(rules):
        for m in r.regex.finditer(text):
            s, e = m.span("name")
            if m.group("name") in studies:
                continue
            i = bisect.bisect_left(starts, e)
            if any(a < e and s < b for a, b in taken[max(0, i - 8):i]):
                continue
            if any(x.char_start < e and s < x.char_end for x in out):
                continue
            out.append(EntitySpan(s, e, m.group("name"), "DRUG", _class_name(m) if "kind" in m.groupdict() else m.group("name").lower(),
                                  "pattern"))
    out += _codes_joined_to_drugs(text, rules, [*known, *out])
    # a name one edit from a drug the lexicon lists or the text names more often is that drug misspelt (_misspelt_drug)
    counts = Counter(x.normalized for x in [*known, *out] if x.label == "DRUG")
    return [replace(x, normalized=fixed) if (fixed := _misspelt_drug(
        x.normalized, rules, [n for n, c in counts.items() if c > counts[x.normalized]])) else x for x in out]


def pattern_cancer_entities(text: str, rules: RuleSet, known: Iterable[EntitySpan]) -> list[EntitySpan]:
    """Cancers no lexicon lists, recognised by what they are (rules/cancer_patterns.yaml: a tumour's morphology
    suffix, "liposarcoma", "medulloblastoma"): the rule's value is the cancer type. A lexicon span always wins."""
    taken = [(e.char_start, e.char_end) for e in known]
    out: list[EntitySpan] = []
    for r in rules.patterns("cancer_patterns", "morphology"):
        for m in r.regex.finditer(text):
            s, e = m.span("name")
            if not any(a < e and s < b for a, b in taken) and not any(x.char_start < e and s < x.char_end for x in out):
                out.append(EntitySpan(s, e, m.group("name"), "CANCER", r.value, "pattern"))
    return out


def _codes_joined_to_drugs(text: str, rules: RuleSet, found: list[EntitySpan]) -> list[EntitySpan]:
    """A sponsor code joined by a hyphen to the drug after it is a drug of its own: "assigned to TLZ-4108-axitinib",
    "AMX-1108-FOLFIRI" (made-up set 50 mu19802, set 48 mu19004). The sponsor_code pattern itself does not match a
    code with a hyphen and a word after it ("AB-123-positive tumours"), so it is tried on the text up to the hyphen."""
    codes = [r for r in rules.patterns("drug_patterns", "sponsor_code")]
    spans = [(e.char_start, e.char_end) for e in found]
    out: list[EntitySpan] = []
    for d in found:
        s = d.char_start
        if d.label != "DRUG" or s < 3 or text[s - 1] not in "-\u2013":
            continue
        for r in codes:
            m = next((m for m in r.regex.finditer(text, max(0, s - 25), s - 1) if m.end("name") == s - 1), None)
            if m is not None and not any(a < m.end() and m.start() < b for a, b in spans):
                out.append(EntitySpan(m.start("name"), m.end("name"), m.group("name"), "DRUG", m.group("name").lower(), "pattern"))
                break
    return out


def _build_drug_words(rules: RuleSet) -> dict[int, list[tuple[str, str]]]:
    """The lexicon's one-word drug names of 8 letters or more, by length: (form, canonical)."""
    out: dict[int, list[tuple[str, str]]] = {}
    for form, (label, canonical) in _canonical_index(rules).items():
        if label == "DRUG" and len(form) >= 8 and form.isalpha():
            out.setdefault(len(form), []).append((form, canonical))
    return out


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b are at most one edit apart (an insertion, a deletion, a substitution or a swap of neighbours)."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    return (a[i + 1:] == b[i:]) if len(a) > len(b) else (a[i:] == b[i + 1:])


def _misspelt_drug(name: str, rules: RuleSet, commoner: Iterable[str] = ()) -> str:
    """The drug a name shaped like a drug misspells, else "": a lexicon name or one of `commoner` (names the text
    gives more often) one edit away ("duvalumab" beside durvalumab, real tuning abstract pmid37699162); only one name
    may be that near. (Not two edits: "trasutumab" in pmid22202322 is trastuzumab, but capmatinib is no lapatinib and
    prednisolone no prednisone.)"""
    word = name.lower()
    if len(word) < 8 or not word.isalpha():
        return ""
    words = _per_rules("drug_words", rules, _build_drug_words)
    near = {canonical for n in range(len(word) - 1, len(word) + 2) for form, canonical in words.get(n, ())
            if _one_edit(word, form)}
    near |= {c for c in commoner if c.isalpha() and _one_edit(word, c)}
    return near.pop() if len(near) == 1 else ""


_CLASS_KINDS = {"inhibitors": "inhibitor", "tkis": "tki", "tyrosine kinase inhibitors": "tyrosine kinase inhibitor",
                "adcs": "adc", "antibody-drug conjugates": "adc", "antibody drug conjugates": "adc"}


def _class_name(m: re.Match) -> str:
    """A class named by its target (drug_patterns.yaml target_class) in the singular: "HER2-targeted antibody-drug
    conjugates" -> "her2-targeted adc", "FGFR inhibitors" -> "fgfr inhibitor"."""
    kind = m.group("kind")
    head = m.group("name")[:len(m.group("name")) - len(kind)].rstrip(" -").lower()
    return f"{head} {_CLASS_KINDS.get(kind.lower(), kind.lower())}"


# (on one line: a title ending "... a multicenter phase 2 study" does not name the code the abstract opens with,
# "ZG-3006 is a ... bispecific antibody"; made-up set 24 mu9412)
_STUDY_CODE = re.compile(r"\b(?:[Ss]tudy|[Tt]rial|[Pp]rotocol)[ \t\u00a0]+([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\d[A-Z0-9]*)\b")


_SHORT_AFTER = re.compile(r"\s*\((?P<short>[A-Z][A-Za-z0-9]{1,7})\s*[;,]")


def drug_short_forms(text: str, drugs: Iterable[EntitySpan], known: Iterable[Abbreviation]) -> list[Abbreviation]:
    """"Sacituzumab govitecan (SG; Trodelvy)": a short form defined with more in its bracket, which
    the abbreviation detector (plain "(SG)" only) misses. Kept when its letters are the initials
    of the drug's words, or the drug's first letters."""
    have = {a.short for a in known}
    out = []
    for d in drugs:
        m = _SHORT_AFTER.match(text, d.char_end)
        if not m or m.group("short") in have:
            continue
        short, words = m.group("short"), re.split(r"[\s-]+", d.text.strip())
        initials = "".join(w[0] for w in words if w).lower()
        if short.lower() == initials or d.text.lower().startswith(short.lower()):
            out.append(Abbreviation(short, d.text, m.start("short"), m.end("short")))
            have.add(short)
    return out


def _pattern_drug_name(form: str, rules: RuleSet) -> str:
    """The drug a whole phrase names by its shape ("palbociclib" in "palbociclib (PAL)")."""
    for r in _drug_name_patterns(rules):
        m = r.regex.fullmatch(form.strip())
        if m:
            return m.group("name").lower()
    return ""


def abbreviation_entities(doc: Document, abbrevs: Iterable[Abbreviation], rules: RuleSet,
                          known: Iterable[EntitySpan]) -> list[EntitySpan]:
    """Occurrences of short forms a document defines, where the long form names
    a lexicon concept ("trastuzumab deruxtecan (T-DXd)"), anywhere in the document."""
    index = _canonical_index(rules)
    short_to: dict[str, tuple[str, str]] = {}
    for a in abbrevs:
        hit = index.get(a.long.lower()) or index.get(re.sub(r"s$", "", a.long.lower())) or _endpoint_suffix(a.long, index)
        name = "" if hit else _pattern_drug_name(a.long, rules)
        if name:
            hit = ("DRUG", name)
        if hit and a.short.lower() not in index:
            short_to.setdefault(a.short, hit)
    if not short_to:
        return []
    taken = sorted((e.char_start, e.char_end) for e in known)
    out = []
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(short_to, key=len, reverse=True)) + r")(?![\w-])")
    for m in pattern.finditer(doc.text):
        s, e = m.span()
        if any(a < e and s < b for a, b in taken):
            continue
        label, canonical = short_to[m.group(1)]
        out.append(EntitySpan(s, e, m.group(1), label, canonical, "abbreviation"))
    return out


def _endpoint_suffix(long: str, index: dict[str, tuple[str, str]]) -> Optional[tuple[str, str]]:
    """The endpoint a long form ends with, qualified before it ("Summary estimates of CBR (SCBR)",
    "Radiographic progression-free survival (rPFS)", "The median PFS (mPFS)"): the longest ending of two or more
    words, or an abbreviation in capitals, that names an endpoint ("partial response (PR)" is no response rate)."""
    words = long.split()
    for k in range(1, len(words)):
        tail = " ".join(words[k:])
        hit = index.get(tail.lower())
        if hit and hit[0] == "ENDPOINT" and (len(words) - k >= 2 or tail.isupper()):
            return hit
    return None


def _letters_spell(letters: str, names: list[list[str]]) -> bool:
    """Whether `letters` (upper case, in order) split into one non-empty part per drug, each part
    the start of one of the drug's names or of its words' initials ("DOP": durvalumab, olaparib,
    paclitaxel; "ABCP": atezolizumab, BCP; "NAN": nandrolone; "TCH": Taxotere, carboplatin, Herceptin)."""
    if not names:
        return not letters
    for name in names[0]:
        initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w).upper()
        plain = re.sub(r"[^A-Za-z0-9]", "", name).upper()
        for k in range(1, len(letters) + 1):
            part = letters[:k]
            if (plain.startswith(part) or initials.startswith(part)) and _letters_spell(letters[k:], names[1:]):
                return True
    return False


def regimen_short_form_entities(text: str, drugs: Iterable[EntitySpan], rules: RuleSet) -> list[EntitySpan]:
    """Regimens a text names by a short form it defines (rules/drug_patterns.yaml regimen_short,
    regimen_short_before, regimen_link, salt, dose): "durvalumab/olaparib/paclitaxel [DOP]",
    "fulvestrant plus palbociclib (F + P)", "erlotinib 150 mg/day plus bevacizumab 15 mg/kg (EB)",
    "CMF (cyclophosphamide, methotrexate, fluorouracil)" -> every "DOP", "F + P", "EB", "CMF" is a
    DRUG whose normalized name is the regimen. The letters must spell the drugs in order, by their
    names or their lexicon brand names ("TCH": docetaxel (Taxotere), carboplatin, trastuzumab
    (Herceptin)). Definitions are read in text order, so a short form may build on an earlier one
    ("TCH plus pertuzumab (TCHP)"); occurrences inside a known drug name are left alone."""
    shorts = rules.patterns("drug_patterns", "regimen_short")
    befores = rules.patterns("drug_patterns", "regimen_short_before")
    links = rules.patterns("drug_patterns", "regimen_link")
    tails = rules.patterns("drug_patterns", "salt") + rules.patterns("drug_patterns", "dose")
    prefixes = rules.patterns("drug_patterns", "regimen_prefix")
    if not shorts and not befores:
        return []
    known = sorted((e for e in drugs if e.label == "DRUG"), key=lambda e: (e.char_start, -e.char_end))
    by_end: dict[int, EntitySpan] = {}
    by_start: dict[int, EntitySpan] = {}
    for e in known:
        by_end.setdefault(e.char_end, e)
        by_start.setdefault(e.char_start, e)
    ends = sorted(by_end)               # kept sorted: candidates are looked up by bisection, not scanned
    starts_sorted = sorted(by_start)
    brands = _brand_names(rules)
    defined: dict[str, str] = {}
    out: list[EntitySpan] = []
    found = [(m.start(), True, m) for r in shorts for m in r.regex.finditer(text)]
    found += [(m.start(), False, m) for r in befores for m in r.regex.finditer(text)]
    for _, after_drugs, m in sorted(found, key=lambda f: f[0]):
        short = m.group("short")
        if short in defined:
            continue
        if after_drugs:
            last = _tailed_end(text, m.start(), by_end, ends, tails)
            if last is None:
                continue
            comps = [last]
            while True:
                lo = bisect.bisect_left(ends, comps[0].char_start - _LINK_REACH - _TAIL_REACH)
                hi = bisect.bisect_right(ends, comps[0].char_start)
                prev = [by_end[end] for end in ends[lo:hi]
                        if _linked(text, end, comps[0].char_start, links, tails)]
                if not prev:
                    break
                comps.insert(0, max(prev, key=lambda e: e.char_end))
            candidates = [comps[-k:] for k in range(len(comps), 0, -1)]   # the most drugs, nearest last
        else:
            # "CMF (cyclophosphamide, methotrexate, fluorouracil; ...)": the drugs follow in the bracket
            first = by_start.get(m.end())
            if first is None:
                continue
            comps = [first]
            while True:
                lo = bisect.bisect_left(starts_sorted, comps[-1].char_end)
                hi = bisect.bisect_right(starts_sorted, comps[-1].char_end + _LINK_REACH + _TAIL_REACH)
                nxt = [by_start[st] for st in starts_sorted[lo:hi]
                       if _linked(text, comps[-1].char_end, st, links, tails)]
                if not nxt:
                    break
                comps.append(min(nxt, key=lambda e: e.char_start))
            candidates = [comps[:k] for k in range(len(comps), 1, -1)]    # two drugs at least
        letters = re.sub(r"[^A-Za-z0-9]", "", short).upper()
        for cs in candidates:
            # (less the initials of the words before its first drug the short form starts with: "dose-dense ... (ddAC)")
            lead = _prefix_initials(text, cs[0].char_start, prefixes)
            letters = letters[len(lead):] if lead and letters.startswith(lead) and len(letters) > len(lead) else letters
            # in the order written, else in any order for up to four drugs ("Durvalumab combined with gemcitabine and
            # cisplatin (GCD)", made-up set 16 mu6310; "trastuzumab, pertuzumab and docetaxel (THP)")
            orders = [cs] + (list(itertools.permutations(cs))[1:] if len(cs) <= 4 else [])
            if any(_letters_spell(letters, [[c.text, *brands.get(c.normalized, ())] for c in o]) for o in orders):
                canonical = join_regimen(c.normalized for c in cs)
                break
        else:
            continue
        defined[short] = canonical
        form = re.compile(r"(?<![\w-])" + r"\s*([+/-])\s*".join(re.escape(p) for p in re.split(r"\s*[+/-]\s*", short))
                          + r"(?![\w-])(?!\s*\+)(?!\s+cells?\b)")
        # (not the detector's reading of the same letters as one drug: "tucatinib plus trastuzumab (TT)" is no
        # "trastuzumab (TT)"; set 30 mu11812)
        taken = sorted((e.char_start, e.char_end) for e in known + out
                       if not (e.source == "abbreviation" and e.text == short and " + " not in e.normalized
                               and " + " in canonical))
        starts = [a for a, _ in taken]
        for o in form.finditer(text):
            s, e = o.span()
            i = bisect.bisect_left(starts, e)
            # (a known name inside the short form is part of it: "FEC" in "FEC-D", defined as "FEC followed by
            # docetaxel (FEC-D)"; made-up set 19 mu7210)
            if any(a < e and s < b and not (s <= a and b <= e and (a, b) != (s, e)) for a, b in taken[max(0, i - 8):i]):
                continue
            span = EntitySpan(s, e, o.group(), "DRUG", canonical, "abbreviation")
            out.append(span)
            if e not in by_end:
                by_end[e] = span
                bisect.insort(ends, e)
    return out


def _prefix_initials(text: str, start: int, prefixes) -> str:
    """The initials of the words right before a regimen's first drug that may lead its short form
    (rules/drug_patterns.yaml regimen_prefix: "dose-dense" -> "DD"), "" where none stand there."""
    for r in prefixes:
        m = r.regex.search(text, max(0, start - 40), start)
        if m is not None:
            return "".join(w[0] for w in re.split(r"[- ]+", m.group("words")) if w).upper()
    return ""


# the longest text regimen_link joins two drugs with ("in combination with", with spaces around),
# and the longest salt and dose words a drug's name may carry before it ("15 mg/kg every 3 weeks")
_LINK_REACH = 40
_TAIL_REACH = 60


def _tail_end(text: str, p: int, stop: int, tails) -> int:
    """Where the salt and dose words after a drug's name ending at p end ("nandrolone| decanoate",
    "erlotinib| 150 mg/day", "erlotinib| alone"), not past stop."""
    while p < stop:
        m = next((m for m in (r.regex.match(text, p, stop) for r in tails) if m and m.end() > p), None)
        if m is None:
            break
        p = m.end()
    return p


def _linked(text: str, end: int, start: int, links, tails) -> bool:
    """Whether a drug ending at `end` (with its salt and dose words) and one starting at `start` are
    joined by a regimen link."""
    q = _tail_end(text, end, start, tails)
    return any(r.regex.fullmatch(text, q, start) for r in links)


def _brand_names(rules: RuleSet) -> dict[str, tuple[str, ...]]:
    """canonical drug name -> its other lexicon names (brands, codes): a short form may spell them."""
    def build(rules: RuleSet) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for rf in rules.lexicons():
            for e in rf.entries:
                if (e.label or "") == "DRUG":
                    out.setdefault(e.canonical, []).extend(f for f in e.forms() if f.lower() != e.canonical)
        return {k: tuple(v) for k, v in out.items()}
    return _per_rules("brands", rules, build)


def _tailed_end(text: str, at: int, by_end: dict[int, EntitySpan], ends: list[int], tails) -> Optional[EntitySpan]:
    """The drug ending right before `at`, or before its salt and dose words there ("nandrolone
    decanoate (NAN)", "bevacizumab 15 mg/kg every 3 weeks (EB)")."""
    if at in by_end:
        return by_end[at]
    for end in reversed(ends[bisect.bisect_left(ends, at - _TAIL_REACH):bisect.bisect_left(ends, at)]):
        if _tail_end(text, end, at, tails) == at:
            return by_end[end]
    return None


# a name glued to "-based" or "/" counts; one followed by a code suffix ("HER2CLIMB-02", "RC48-C005") does not
_RIGHT = r"(?![A-Za-z0-9])(?!-(?:[A-Za-z]?\d))"


def _trie_alternation(forms: Iterable[str]) -> str:
    """The alternation `f1|f2|...` of forms longest first, as a trie (`tras(?:tuzumab|...)`): the
    engine no longer tries 600 forms at every character. The same match wherever the flat one
    matches, with or without IGNORECASE, for ASCII forms: at each branch the next characters differ
    (no two distinct ASCII characters match the same character, case folded or not), so the forms
    that can match at a position are prefixes of one another, tried longest first as before
    (an optional tail is tried before the end; a failing lookahead after it backtracks the same
    way). "" (use the flat one) when a form is not ASCII."""
    forms = list(forms)
    if not all(f.isascii() for f in forms):
        return ""
    trie: dict = {}
    for f in forms:
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict) -> str:
        alts = [re.escape(ch) + render(child) for ch, child in node.items() if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return render(trie)


def _build_glued(rules: RuleSet) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, str]]]:
    """The two regexes of lexicon forms (case-folded, exact) and form -> (label, canonical)."""
    exact: dict[str, tuple[str, str]] = {}
    folded: dict[str, tuple[str, str]] = {}
    for rf in rules.lexicons():
        for e in rf.entries:
            label = e.label or rf.name.upper().rstrip("S")
            for f in e.forms():
                if len(f) < 3:
                    continue
                if _is_case_sensitive(e, f):
                    exact.setdefault(f, (label, e.canonical))
                else:
                    folded.setdefault(f.lower(), (label, e.canonical))

    def alt(forms):
        return _trie_alternation(forms) or "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))

    return (
        re.compile(rf"(?<![A-Za-z0-9])(?:{alt(folded)}){_RIGHT}", re.IGNORECASE),
        re.compile(rf"(?<![A-Za-z0-9])(?:{alt(exact)}){_RIGHT}"),
        {**{k: v for k, v in folded.items()}, **{"\x00" + k: v for k, v in exact.items()}},
    )


def glued_lexicon_entities(doc: Document, rules: RuleSet, known: list[EntitySpan]) -> tuple[list[EntitySpan], set[tuple[int, int]]]:
    """Lexicon names the tokenizer kept inside a larger token ("pemetrexed-based",
    "trastuzumab/trastuzumab+pertuzumab", "KRAS/BRAF", "erbB4(HER4)"): matched on
    characters, where no entity is yet, or where the ruler found only a shorter name of the same
    kind inside it ("trastuzumab emtansine-pretreated": not "trastuzumab"; made-up set 22 mu8410).
    Same case rules as the entity ruler. Returns the new entities and the spans they replace."""
    folded_re, exact_re, forms = _per_rules("glued", rules, _build_glued)
    taken = sorted((e.char_start, e.char_end, e.label, e.source) for e in known)
    starts = [a for a, *_ in taken]
    out: list[EntitySpan] = []
    replaced: set[tuple[int, int]] = set()
    hits = [(m.start(), m.end(), forms[m.group(0).lower()]) for m in folded_re.finditer(doc.text)]
    hits += [(m.start(), m.end(), forms["\x00" + m.group(0)]) for m in exact_re.finditer(doc.text)]
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    last_end = -1
    for s, e, (label, canonical) in hits:
        if s < last_end:
            continue
        i = bisect.bisect_right(starts, e)
        near = [t for t in reversed(taken[max(0, i - 50):i]) if t[0] < e and s < t[1]]    # an overlap is near e
        if near and not all(s <= a and b <= e and (a, b) != (s, e) and lab == label and src == "lexicon"
                            for a, b, lab, src in near):
            continue
        replaced.update((a, b) for a, b, *_ in near)
        out.append(EntitySpan(s, e, doc.text[s:e], label, canonical, "lexicon"))
        last_end = e
    return out, replaced


def _section_of(doc: Document, offset: int) -> tuple[str, str]:
    s = doc.section_at(offset)
    return (s.heading, s.kind) if s else ("", "body")


def annotate_documents(docs: list[Document], pipes: Pipelines, rules: RuleSet, batch_size: int = 64) -> Iterator[Annotated]:
    """Run the NLP stage over documents, paragraph batches through nlp.pipe."""
    for doc in docs:
        yield annotate_document(doc, pipes, rules, batch_size)


def annotate_document(doc: Document, pipes: Pipelines, rules: RuleSet, batch_size: int = 64) -> Annotated:
    with _NLP_LOCK:
        return _annotate_document(doc, pipes, rules, batch_size)


def _tokenized(nlp: Language, paras: list[tuple[int, str]]) -> Iterator[tuple[Doc, int]]:
    """(Doc, offset) of each paragraph, the Doc knowing its text (`_doc_text`)."""
    for off, text in paras:
        sdoc = nlp.make_doc(text)
        sdoc.user_data[_TEXT] = text
        yield sdoc, off


# a sentence pysbd starts with a list item's number and bracket ("36) at 6 mg/kg"), after one whose bracket is open
_INSIDE_BRACKET_SPLIT = re.compile(r"\d{1,3}\)")


def _open_brackets(text: str) -> int:
    return text.count("(") - text.count(")")


def _annotate_document(doc: Document, pipes: Pipelines, rules: RuleSet, batch_size: int) -> Annotated:
    paras = document_to_paragraphs(doc)
    sentences: list[Sentence] = []
    entities: list[EntitySpan] = []
    abbrevs: list[Abbreviation] = list(abbreviation_list_entries(doc))
    for sdoc, off in pipes.nlp.pipe(_tokenized(pipes.nlp, paras), as_tuples=True, batch_size=batch_size):
        ptext = _doc_text(sdoc)
        for sent in sdoc.sents:
            text = ptext[sent.start_char:sent.end_char]      # Span.text, without joining its tokens again
            lead = len(text) - len(text.lstrip())
            st = off + sent.start_char + lead
            en = off + sent.start_char + len(text.rstrip())
            if en <= st:
                continue
            if sentences and sentences[-1].char_start >= off and _INSIDE_BRACKET_SPLIT.match(text, lead) and \
                    _open_brackets(doc.text[sentences[-1].char_start:sentences[-1].char_end]) > 0:
                # pysbd's numbered list "35) ... 36)" inside brackets: "28.6% (10 of 35) at 4 mg/kg and 41.7% (15 of
                # 36) at 6 mg/kg" is one sentence (made-up set 15 mu5908)
                last = sentences[-1]
                box = doc.bbox_of(last.char_start, en)
                sentences[-1] = Sentence(last.index, last.char_start, en, last.page, last.section, last.section_kind,
                                         box[1:] if box else None)
                continue
            heading, kind = _section_of(doc, st)
            box = doc.bbox_of(st, en)
            sentences.append(Sentence(len(sentences), st, en, doc.page_at(st), heading, kind,
                                      box[1:] if box else None))
        for ent in sdoc.ents:
            entities.append(EntitySpan(off + ent.start_char, off + ent.end_char, ent.text, ent.label_,
                                       ent.ent_id_ or ent.text, "lexicon"))
        if "\t" not in ptext:      # table rows: "(III)" is a phase, not an abbreviation
            abbrevs.extend(Abbreviation(short, long, off + s, off + e)
                           for short, long, s, e in sdoc.user_data.get(_ABBREVIATIONS, ()) if "NCT" not in long)
    if pipes.model is not None:
        for mdoc, off in pipes.model.pipe(((t, off) for off, t in paras), as_tuples=True, batch_size=batch_size):
            for ent in mdoc.ents:
                entities.append(EntitySpan(off + ent.start_char, off + ent.end_char, ent.text, ent.label_,
                                           ent.text.lower(), "model"))
    glued, replaced = glued_lexicon_entities(doc, rules, entities)
    entities = [e for e in entities if (e.char_start, e.char_end) not in replaced or e.source != "lexicon"] + glued
    entities.extend(pattern_drug_entities(doc.text, rules, [e for e in entities if e.source == "lexicon"]))
    entities.extend(pattern_cancer_entities(doc.text, rules, [e for e in entities if e.source in ("lexicon", "pattern")]))
    abbrevs.extend(drug_short_forms(doc.text, [e for e in entities if e.label == "DRUG"], abbrevs))
    entities.extend(abbreviation_entities(doc, abbrevs, rules, [e for e in entities if e.source in ("lexicon", "pattern")]))
    regimens = regimen_short_form_entities(doc.text, [e for e in entities if e.source != "model"], rules)
    # a short form the document defines as a regimen is that regimen wherever it stands, not the lexicon's other
    # reading of the same letters ("gemcitabine plus cisplatin (GC)": no gastric cancer; made-up set 15 mu5604)
    as_regimen = {(e.char_start, e.char_end) for e in regimens}
    entities = [e for e in entities if (e.label == "DRUG" and e.source != "abbreviation")
                or (e.char_start, e.char_end) not in as_regimen]
    # ... and a name inside one of its occurrences is part of it ("FEC" in "FEC-D")
    entities = [e for e in entities if not any(a <= e.char_start and e.char_end <= b and (a, b) != (e.char_start, e.char_end)
                                               for a, b in as_regimen)]
    entities.extend(regimens)
    entities = named_cancers_only(doc.text, entities)
    entities.sort(key=lambda e: (e.char_start, e.char_end, e.source, e.label))
    sentences = _fix_sentence_indices(sentences)
    return Annotated(doc, tuple(sentences), tuple(entities), tuple(_dedupe_abbrevs(abbrevs)))


# a cancer's bare short form of two capitals ("GC", "BC", "UC": also gemcitabine-cisplatin, a group, an arm); longer
# ones ("MBC", "GEA", "HCC", "NSCLC") are read as they stand
_BARE_CANCER_SHORT = re.compile(r"[A-Z]{2}s?")


def named_cancers_only(text: str, entities: list[EntitySpan]) -> list[EntitySpan]:
    """A cancer's bare short form counts only in a text that names that cancer some other way too (in full, or where it
    defines the short form): "6.1 vs 7.4 vs 7.9 months for G, GE and GC" in a pancreatic cancer trial names no gastric
    cancer (made-up set 43 mu17104; the letters are its arms')."""
    named = {e.normalized for e in entities if e.label == "CANCER" and not _BARE_CANCER_SHORT.fullmatch(e.text)}
    return [e for e in entities
            if e.label != "CANCER" or e.normalized in named or not _BARE_CANCER_SHORT.fullmatch(e.text)
            or _NAMES_PATIENTS.match(text, e.char_end)]


# ... but a group of patients named by it is that cancer's: "the ORR was 40% in the GC cohort" of a basket trial
_NAMES_PATIENTS = re.compile(r"[\s-]+(?:cohorts?|subgroups?|patients|tumou?rs|disease)\b")


def _fix_sentence_indices(sents: list[Sentence]) -> list[Sentence]:
    sents.sort(key=lambda s: s.char_start)
    return [Sentence(i, s.char_start, s.char_end, s.page, s.section, s.section_kind, s.bbox) for i, s in enumerate(sents)]


def _dedupe_abbrevs(abbrevs: list[Abbreviation]) -> list[Abbreviation]:
    seen: dict[tuple[str, str], Abbreviation] = {}
    for a in sorted(abbrevs, key=lambda a: a.char_start):
        seen.setdefault((a.short, a.long.lower()), a)
    return list(seen.values())
