"""Reference lists in every corpus shape, citation markers (ranges, author-year),
their resolution into `cited_refs`, and trial name <-> NCT id links."""
from __future__ import annotations

import pytest

from conftest import DOC0, DOC1, DOC2, DOC3, DOC4, annotate_text
from pipeline.extract.citations import (
    attach_citations, document_references, expand_numbers, find_markers, resolve_key, trial_nct_links)
from pipeline.extract.context import DocView
from pipeline.extract.regulatory import extract_approvals



@pytest.fixture(scope="module")
def refs(views):
    """Reference lists of every corpus document, parsed once for the module."""
    return {name: document_references(v) for name, v in views.items()}


# ---- reference lists, one test per shape


def test_numbered_list_with_bullets_and_wrapped_lines(refs):
    # "- Kovacs E, ..." and "- Zagozdzon R, ..." are entries 1 and 2; "3. Pahuja KB ..." onwards are numbered;
    # "- cancer: a single-arm phase II study. ..." continues entry 120 after a blank line.
    r = refs[DOC0]
    assert len(r) == 193 and list(r)[:3] == ["1", "2", "3"]
    assert r["1"].first_author == "Kovacs" and r["1"].year == "2015"
    assert (r["102"].title, r["102"].year, r["102"].authors) == ("Neratinib for breast cancer", "2019", "")
    assert r["120"].title.endswith("a single-arm phase II study") and r["120"].year == "2021"
    assert r["10"].first_author == "Bang" and "(ToGA)" in r["10"].title


def test_pubmed_list_numbers_by_position(refs):
    # every entry is printed "1."; the real number is the position
    r = refs[DOC1]
    assert list(r) == ["1", "2", "3", "4", "5"]
    assert r["1"].doi == "10.1146/annurev-biochem-060614-034402"
    assert r["5"].first_author == "Yarden" and r["5"].year == "2001"


def test_pubmed_list_nature_style(refs):
    r = refs[DOC4]
    assert len(r) == 5
    assert (r["4"].first_author, r["4"].year, r["4"].doi) == ("Yarden", "2001", "10.1038/35052073")
    assert r["4"].title == "Untangling the ErbB signalling network"


def test_bracket_number_on_its_own_line(refs):
    # "[28]" on one line, the entry on the next; the "Related Articles" list after [38] is not part of it
    r = refs[DOC3]
    assert len(r) == 38 and r["1"].first_author == "Tomizawa"
    assert (r["28"].first_author, r["28"].year, r["28"].doi) == ("Li", "2022", "10.1056/NEJMoa2112431")


def test_author_year_list(refs):
    r = refs[DOC2]
    assert len(r) == 27
    g = r["Gampenrieder 2020"]
    assert (g.number, g.year, g.doi) == (2, "2020", "10.2147/CMAR.S235121")
    assert {"Tarantino 2021a", "Guidi 2023a", "Guidi 2023b"} <= set(r)


# ---- markers


@pytest.mark.parametrize("body,numbers", [
    ("64", [64]),
    ("121–123", [121, 122, 123]),
    ("9, 15–17", [9, 15, 16, 17]),
    ("42-49", [42, 43, 44, 45, 46, 47, 48, 49]),
])
def test_range_expansion(body, numbers):
    assert expand_numbers(body) == numbers


def test_markers_in_real_sentences(rules):
    s = "The overexpression of HER2 is associated with aggressive behavior ... bladder cancer [9, 15–17]."
    (m,) = find_markers(s, rules)
    assert m.keys == ("9", "15", "16", "17")
    s = ("The development of HER2-directed therapies has revolutionized breast oncology, with trastuzumab marking a "
         "pivotal moment in 1998 with its FDA approval as the first-line adjuvant therapy (Chilà et al., 2021; "
         "Gampenrieder et al., 2020; Tarantino et al., 2021; Najjar et al., 2022).")
    (m,) = find_markers(s, rules)
    assert m.keys == ("Chilà 2021", "Gampenrieder 2020", "Tarantino 2021", "Najjar 2022")
    (m,) = find_markers("(Suppan & Balic, 2022; Morgovan et al., 2024)", rules)
    assert m.keys == ("Suppan 2022", "Morgovan 2024")
    assert find_markers("(ORR 54%, DCR 79%) and (FDA/EMA Approved)", rules) == []


def test_author_year_resolution(refs):
    r = refs[DOC2]
    assert resolve_key(r, "Tarantino 2021").doi == "10.37349/etat.2021.00037"      # printed "(2021a)"
    assert resolve_key(r, "Chila 2021").key == "Chilà 2021"                          # accents ignored
    assert resolve_key(r, "Guidi 2023b").number == 27
    assert resolve_key(r, "Nobody 2021") is None


# ---- cited_refs on mentions


@pytest.fixture(scope="module")
def cited_approvals(views):
    return {name: attach_citations(v, extract_approvals(v)) for name, v in views.items()}


def test_numeric_citation_resolved_on_a_mention(cited_approvals):
    (m,) = [m for m in cited_approvals[DOC0] if m.drug == "lapatinib" and not m.prov.table_id]
    assert m.prov.cited_refs.startswith("[54] Johnston 2021: Phase III, Randomized Study of Dual Human Epidermal")


def test_author_year_citation_resolved_with_doi(cited_approvals):
    (m,) = [m for m in cited_approvals[DOC2] if m.drug == "chemotherapy + tucatinib"]
    assert m.prov.cited_refs == "(Rao 2025a) doi:10.2147/BCTT.S503703"
    first = [m for m in cited_approvals[DOC2] if "pivotal moment" in m.prov.sentence][0]
    assert first.prov.cited_refs.split("; ") == [
        "(Chilà 2021) doi:10.2147/DDDT.S281599", "(Gampenrieder 2020) doi:10.2147/CMAR.S235121",
        "(Tarantino 2021a) doi:10.37349/etat.2021.00037", "(Najjar 2022) doi:10.3390/genes13112065"]


def test_table_row_mention_uses_row_markers(cited_approvals):
    tdm1 = [m for m in cited_approvals[DOC0] if m.prov.table_id and m.drug == "trastuzumab emtansine"]
    assert tdm1 and all(m.prov.cited_refs.startswith("[97] Molinelli 2021: Trastuzumab emtansine (T-DM1) as adjuvant")
                        for m in tdm1)


def test_range_marker_resolved_on_a_real_sentence(views, rules):
    from pipeline.extract.citations import cited_refs_for
    refs = document_references(views[DOC0])
    out = cited_refs_for("improved survival [121–123].", refs, rules).split("; ")
    assert [o.split()[0] for o in out] == ["[121]", "[122]", "[123]"]
    assert out[0].startswith("[121] Langer 2004: Trastuzumab in the treatment of advanced non-small-cell lung")


def test_every_mention_keeps_the_provenance_invariant(corpus_mentions, annotated):
    for name, found in corpus_mentions.items():
        text = annotated[name].doc.text
        for m in found:
            if m.prov.char_start is not None:
                assert text[m.prov.char_start:m.prov.char_end] == m.prov.quote
    assert any(m.prov.cited_refs for m in corpus_mentions[DOC0])


# ---- trial name <-> NCT id


def test_trial_nct_link_in_a_sentence(rules, pipes):
    text = ("Review\n\nIntroduction\n\nThe DESTINY-Breast03 trial (NCT03529110) compared T-DXd with T-DM1, and "
            "HER2CLIMB (NCT02614794) tested tucatinib.")
    view = DocView(annotate_text(text, rules, pipes), rules)
    assert trial_nct_links(view) == {"DESTINY-BREAST03": "NCT03529110", "HER2CLIMB": "NCT02614794"}


def test_trial_nct_links_never_link_an_id_to_itself(views):
    for v in views.values():
        assert all(not name.startswith("NCT") for name in trial_nct_links(v))
