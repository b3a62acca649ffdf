"""PDF -> mentions, end to end through the same per-document function the flow's tasks run:
generated review PDFs (tests/pdfs/make_fixtures.py) with a sentence across a page break,
a regulatory date, and a ruled table whose column headers name the endpoints."""
from __future__ import annotations


import pytest

from conftest import ROOT

PDFS = ROOT / "tests" / "pdfs"


@pytest.fixture(scope="module")
def results(settings):
    from dataclasses import replace

    from pipeline.config import rules_hash
    from pipeline.process import process_file

    s = replace(settings, corpus=PDFS)
    key = rules_hash(s.rules_dir)
    return {n: process_file(PDFS / n, s, key) for n in ("multipage-running-header-footer.pdf", "ruled-table.pdf")}


def test_every_pdf_mention_has_page_box_and_exact_quote(results):
    for name, r in results.items():
        assert r.doc.status == "ok" and r.mentions, name
        for m in r.mentions:
            p = m.prov
            assert r.doc.text[p.char_start:p.char_end] == p.quote, (name, p.quote)
            assert p.page >= 1 and None not in (p.x0, p.top, p.x1, p.bottom), (name, p.quote)
            assert p.x0 < p.x1 and p.top < p.bottom


def test_sentence_across_a_page_break_and_a_dated_approval(results):
    r = results["multipage-running-header-footer.pdf"]
    os_ = [m for m in r.mentions if m.kind == "endpoint" and m.value == "57.1"]
    assert [(m.endpoint, m.unit, m.comparator_value, m.trial, m.drug, m.prov.page) for m in os_] == [
        ("OS", "months", "40.8", "CLEOPATRA", "docetaxel + pertuzumab + trastuzumab", 1)]
    assert "eight years of follow-up" in os_[0].prov.sentence       # the sentence continues on page 2
    (fda,) = [m for m in r.mentions if m.kind == "approval"]
    assert (fda.agency, fda.event, fda.date, fda.drug, fda.prov.page) == (
        "FDA", "approval", "2019-12-20", "trastuzumab deruxtecan", 2)


def test_ruled_table_values_under_endpoint_headers(results):
    r = results["ruled-table.pdf"]
    got = [(m.trial, m.drug, m.endpoint, m.value, m.unit, m.prov.table_id, m.prov.row, m.prov.col)
           for m in r.mentions if m.kind == "endpoint"]
    assert got == [
        ("DESTINY-BREAST03", "trastuzumab deruxtecan", "ORR", "79.7", "%", "T1", 1, 2),
        ("DESTINY-BREAST03", "trastuzumab deruxtecan", "PFS", "28.8", "months", "T1", 1, 3),
        ("CLEOPATRA", "pertuzumab + trastuzumab", "ORR", "80.2", "%", "T1", 2, 2),
        ("CLEOPATRA", "pertuzumab + trastuzumab", "PFS", "18.7", "months", "T1", 2, 3),
        ("EMILIA", "trastuzumab emtansine", "ORR", "43.6", "%", "T1", 3, 2),
        ("EMILIA", "trastuzumab emtansine", "PFS", "9.6", "months", "T1", 3, 3),
        ("HER2CLIMB", "tucatinib", "ORR", "40.6", "%", "T1", 4, 2),
        ("HER2CLIMB", "tucatinib", "PFS", "7.8", "months", "T1", 4, 3),
    ]
