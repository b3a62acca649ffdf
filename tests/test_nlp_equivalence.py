"""The faster NLP parts give what the slower ones gave (issue 14 point 5): the sentence segmenter
(pysbd with a faster abbreviation replacer and span finder) against pysbd itself on every
paragraph we have and on hard cases, and the trie of lexicon forms against the flat alternation.
The whole stage is compared with its snapshot in tests/test_nlp.py; speed is measured by
scripts/bench_nlp.py, never here."""
from __future__ import annotations

import re
from pathlib import Path

import pysbd
import pytest

from conftest import ROOT, SHARED, annotate_text
from pipeline.errors import IngestError
from pipeline.ingest import file_to_document
from pipeline.nlp import (_NUMBER_ABBR, _PREPOSITIVE, _PYSBD_ABBREVIATIONS, _RIGHT, _Segmenter,
                          _trie_alternation, document_to_paragraphs)


def pysbd_spans(text: str) -> list[tuple[str, int, int]]:
    return [(s.sent, s.start, s.end) for s in pysbd.Segmenter(language="en", clean=False, char_span=True).segment(text)]


def fast_spans(text: str) -> list[tuple[str, int, int]]:
    return [(s.sent, s.start, s.end) for s in _Segmenter().segment(text)]


HARD = [
    # abbreviations, decimals, initials, citations, "No.", "Fig.", "vs.", "i.e.", "e.g.", "U.S."
    "Trastuzumab deruxtecan improved PFS vs. trastuzumab emtansine (HR 0.28; p < .001), as shown by Cortes "
    "et al. in Fig. 2 of the DESTINY-Breast03 report. The ORR was 79·7% (95% CI 74·3-84·4), i.e. higher than "
    "with T-DM1. J. Smith and A. B. Jones (No. 3 in the series, e.g. cohort 2) found p = .03 for OS. Approval "
    "by the U.S. FDA followed in 2022 [12]. Pertuzumab was added (Swain et al., 2015). Median OS was 58.9 "
    "months! Was it durable? Yes.",
    # a reference list as PDFs print it: numbered items, journal abbreviations, a line break inside
    "1. Slamon DJ, Leyland-Jones B, Shak S, et al. Use of chemotherapy plus a monoclonal antibody against HER2\n"
    "for metastatic breast cancer. N Engl J Med. 2001;344(11):783-92.\n2. Cortes J, Kim SB, et al. Trastuzumab "
    "deruxtecan versus trastuzumab emtansine. N Engl J Med. 2022;386:1143-54. doi: 10.1056/NEJMoa2115022.",
    "Patients received 5.4 mg/kg every 3 weeks (Q3W) until progression. Dr. Modi reported the interim\n"
    "analysis; the hazard ratio was 0.50 (95% CI, 0.40 to 0.63). Grade >= 3 events occurred in 52.6%\n"
    "vs. 67.4% of patients (see Table 2 and Supplementary Fig. S3).",
    # the same abbreviation in several cases on one line, "Fig." before a capital, a.m./p.m., "Mr."
    "Fig. 1 and fig. 2 and FIG. 3 show it. See Fig. A for more. The dose at 9 a.m. was given. Mr. Li agreed. "
    "No. 4 was excluded; no. 5 was not. Pp. 3-4 and pp. 5-6 vs. Vs. VS. v. V. St. Gallen.",
    # a "{" on the line: pysbd's next-word pattern then runs (its literal "{abbr} " lookbehind)
    "A {Fig} Fig. 2 label and {vs} vs. B. Then {et al} et al. C. Done.",
    # list items, parentheses, quotes, ellipses, roman numerals
    "The criteria were: a) HER2 3+; b) ISH-positive. (i) First item. (ii) Second item. He said \"stop.\" Then... "
    "nothing. Phase (III) trials (NCT01234567) followed.",
    "",
    "   ",
    "No punctuation at all in this line",
    "e.g.\ni.e.\nvs.\nDr.\n",
    # one sentence without a mark before its end (pysbd is not run on it): leading and trailing
    # whitespace, a table row, a list item "a)" that pysbd splits on, a closing mark and spaces
    "\tProtein Change/Frequency(%)",
    "\tOngoing clinical trials (stage)\tNCT03529110 (III) NCT03084939(III)  ",
    "Eligible tumours a) HER2 3+ b) HER2 2+",
    "Results of the phase 3 trial!?  ",
    "  Median PFS 9·7 months versus 6·8 months …",
]


def test_segmenter_matches_pysbd_on_hard_cases():
    for text in HARD:
        assert fast_spans(text) == pysbd_spans(text), text


def _paragraphs_we_have() -> list[str]:
    from pipeline.config import Settings
    from pipeline.rules import load_rules

    s = Settings.resolve(corpus=str(ROOT / "corpus"))
    rules = load_rules(s.rules_dir)
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures").glob("*.txt"))
    files += sorted((ROOT / "tests" / "fixtures").glob("*.md")) + sorted((ROOT / "tests" / "pdfs").glob("*.pdf"))
    files += sorted((SHARED / "datasets" / "pubmed_oncology").glob("*.txt"))     # when shared/ is beside us
    paras = []
    for p in files:
        try:
            doc = file_to_document(p, p.parent, s, rules)
        except IngestError:
            continue
        paras += [t for _, t in document_to_paragraphs(doc)]
    return paras


def test_segmenter_matches_pysbd_on_every_paragraph_we_have():
    paras = _paragraphs_we_have()
    assert len(paras) > 800
    differ = [t for t in paras if fast_spans(t) != pysbd_spans(t)]
    assert not differ, differ[:3]


def test_sentences_of_hard_cases_split_where_they_must(rules, pipes):
    """End to end (pysbd's sentences, the sentencizer's abbreviation rule): a split after each real
    sentence end, none after "vs.", "et al.", "Fig.", "i.e.", "e.g.", "No.", initials, decimals,
    "p = .03" or "U.S."."""
    ann = annotate_text("Results\n\n" + HARD[0], rules, pipes)
    got = [ann.doc.text[s.char_start:s.char_end] for s in ann.sentences]
    assert got == [
        "Results",
        "Trastuzumab deruxtecan improved PFS vs. trastuzumab emtansine (HR 0.28; p < .001), as shown by Cortes et al. "
        "in Fig. 2 of the DESTINY-Breast03 report.",
        "The ORR was 79.7% (95% CI 74.3-84.4), i.e. higher than with T-DM1.",    # ingestion normalizes "·"
        "J. Smith and A. B. Jones (No. 3 in the series, e.g. cohort 2) found p = .03 for OS.",
        "Approval by the U.S. FDA followed in 2022 [12].",
        "Pertuzumab was added (Swain et al., 2015).",
        "Median OS was 58.9 months!",
        "Was it durable?",
        "Yes.",
    ]
    refs = annotate_text("References\n\n" + HARD[1], rules, pipes)
    got = [refs.doc.text[s.char_start:s.char_end] for s in refs.sentences]
    assert got[1].startswith("1. Slamon DJ") and got[1].endswith("for metastatic breast cancer.")
    assert got[2] == "N Engl J Med. 2001;344(11):783-92."
    assert got[3].startswith("2. Cortes J, Kim SB, et al. Trastuzumab")


def test_abbreviation_replacer_premises():
    """What the faster replacer relies on, checked on pysbd's own lists: abbreviations are ASCII
    (the text-wide prefilter), the prepositive and number ones are letters (their lookbehind is
    literal), and the next-word pattern needs a literal "{" (skipped on lines without one)."""
    assert all(a.isascii() for a, *_ in _PYSBD_ABBREVIATIONS)
    assert all(a.isalpha() for a in _PREPOSITIVE | _NUMBER_ABBR)
    for abbr, _, _, next_word in _PYSBD_ABBREVIATIONS:
        assert next_word.pattern.startswith("(?<={")
        assert not next_word.findall(f"{abbr} X {abbr.upper()} Y ({abbr}) Z}} {abbr} W")
        assert next_word.findall(f"a {{{abbr}}} Word") == ["W"]


FORMS = ["her2", "her2-positive", "her", "her3", "trastuzumab", "trastuzumab deruxtecan", "t-dxd", "ds-8201",
         "ds-8201a", "kras", "braf", "pertuzumab", "per", "a.b", "x+y"]
TEXTS = [
    "HER2-positive her2 HER3/HER2 her-2 herceptin Trastuzumab Deruxtecan trastuzumab-based T-DXd DS-8201a "
    "DS-8201-02 ds-8201 KRAS/BRAF erbB4(HER4) her2CLIMB-02 pertuzumab+trastuzumab per-protocol a.b x+y axb",
    "trastuzumab deruxtecanx trastuzumab deruxtecan-1 Her2-Positive-1 HER2-positive-a HER",
]


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_trie_alternation_matches_as_the_flat_one(flags):
    flat = "|".join(re.escape(f) for f in sorted(FORMS, key=len, reverse=True))
    trie = _trie_alternation(FORMS)
    assert trie and trie != flat
    for text in TEXTS + [t.upper() for t in TEXTS] + [t.lower() for t in TEXTS]:
        a = re.compile(rf"(?<![A-Za-z0-9])(?:{flat}){_RIGHT}", flags)
        b = re.compile(rf"(?<![A-Za-z0-9])(?:{trie}){_RIGHT}", flags)
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)], text
    assert _trie_alternation(["trastuzumab", "ſtrange"]) == ""      # not ASCII: the flat one is used


def _pysbd_patterns() -> set[str]:
    """Every Rule pattern and regex string pysbd's English language holds (classes nested)."""
    from pysbd.lang.english import English
    from pysbd.utils import Rule

    out, seen = set(), set()

    def walk(obj):
        if id(obj) in seen:
            return
        seen.add(id(obj))
        for name in dir(obj):
            if name.startswith("__"):
                continue
            v = getattr(obj, name)
            if isinstance(v, Rule):
                out.add(v.pattern)
            elif isinstance(v, str) and name.isupper() and name.endswith("REGEX"):
                out.add(v)
            elif isinstance(v, list):
                out.update(r.pattern for r in v if isinstance(r, Rule))
            elif isinstance(v, type) and v.__module__.startswith("pysbd"):
                walk(v)

    walk(English)
    return out


def test_characters_a_pattern_needs_are_needed():
    """`_needed` (the characters without which pysbd's pattern is not run): right on small cases,
    and never wrong on pysbd's own patterns over the hard cases and the corpus's paragraphs."""
    from pipeline.nlp import _cannot_match, _needed

    assert _needed(r"(?<=\s\d)\.(?=\s)") == (".",)
    assert _needed(r"&ᓴ&$") == ("&", "ᓴ")
    assert _needed(r"(?i)abc\.") == (".",)            # letters do not count case-insensitively
    assert _needed(r"(?!x)y") == ("y",) and _needed(r"x*y?") == () and _needed(r"a|b") == ()
    assert _needed(r"(?:ab|ac)d") == ("a", "d") and _needed(r"(?:x{0,2})z") == ("z",)
    patterns = _pysbd_patterns()
    assert len(patterns) > 50
    texts = HARD + [t for t in _paragraphs_we_have()[:400]]
    for pattern in patterns:
        for text in texts:
            if _cannot_match(pattern, text, 0):
                assert re.search(pattern, text) is None, (pattern, text)


def test_the_characters_that_fold_to_ascii_letters():
    """The replacer's word-start filter trusts `lower()` except for these characters."""
    from pipeline.nlp import _FOLDS_TO_ASCII

    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {chr(c) for c in range(128, 0x110000) if letter.match(chr(c))}
    assert found == set(_FOLDS_TO_ASCII.pattern.strip("[]"))


ABBREVIATION_CASES = [
    "Trastuzumab deruxtecan (T-DXd) and trastuzumab emtansine (T-DM1) were compared; T-DXd won (HR 0.28).",
    "The objective response rate (ORR) and the ORR (objective response rate) again, and ORR (ORR) later.",
    "HER2 (human epidermal growth factor receptor 2) (HER2) and (a (nested (deep) one) here) ( ) (x).",
    "(PFS) at the start, progression-free survival (PFS) then overall survival (OS), OS and PFS, "
    "progression free survival (PFS) defined twice.",
    "Phase (III) trials (NCT01234567) of tucatinib (TUC; Tukysa) and T-DXd (T DXd) (T DXd).",
]


def test_abbreviation_component_matches_scispacy_on_every_paragraph_we_have(pipes):
    """The her2_abbreviations component finds the definitions and occurrences scispaCy's
    AbbreviationDetector finds (whose Matcher it no longer runs), on hard cases and every paragraph."""
    import scispacy.abbreviation  # noqa: F401  (registers "abbreviation_detector")
    from spacy.language import Language
    from pipeline.nlp import _ABBREVIATIONS

    nlp: Language = pipes.nlp
    theirs = scispacy.abbreviation.AbbreviationDetector(nlp)
    ours = nlp.get_pipe("her2_abbreviations")
    paras = ABBREVIATION_CASES + _paragraphs_we_have()
    found = 0
    for text in paras:
        doc = nlp.make_doc(text)
        ref = theirs(nlp.make_doc(text))
        want = [(a.text, a._.long_form.text, a.start_char, a.end_char) for a in ref._.abbreviations]
        got = ours(doc).user_data.get(_ABBREVIATIONS, [])
        assert sorted(got) == sorted(want), text
        # scispaCy's definitions come in its order (the first of two for one short or long form wins)
        assert list(dict.fromkeys(g[1] for g in got)) == list(dict.fromkeys(w[1] for w in want)), text
        found += len(got)
    abstracts = SHARED / "datasets" / "pubmed_oncology"
    if not abstracts.exists():
        pytest.skip(f"compared on the corpus and fixtures ({found} abbreviations); the abstracts the volume floor "
                    f"counts are not beside the project root ({abstracts})")
    assert found > 500


def test_abbreviations_after_a_space_found_as_the_regex_finds_them():
    """`_after_space` (str.find in the lower-cased line) gives pysbd's `\\sabbr` findall, from any position."""
    from pipeline.nlp import _FOLDS_TO_ASCII, _SPACE, _after_space

    texts = [t for t in HARD + _paragraphs_we_have()[:300] if not _FOLDS_TO_ASCII.search(t)]
    texts += ["Fig FIG fig\tfig\nfIg  fig.fig", "  al al al", "x al\u00a0AL\u2009al"]
    checked = 0
    for text in texts:
        starts = " " + _SPACE.sub(" ", text.lower())
        for abbr, _, after_space, _ in _PYSBD_ABBREVIATIONS:
            if not abbr.isalpha():
                continue
            for pos in (0, 1, 5):
                want = after_space.findall(text, pos)
                assert _after_space(text, starts, abbr, pos) == want, (abbr, pos, text)
                checked += len(want)
    assert checked > 1000
