"""The per-document result cache: one cache, JSON under <out>/.cache, never code.

Real documents (a corpus review and a PDF with a ruled table, through pdfplumber and
the NLP pipeline) round-trip exactly; a planted or damaged entry is a miss and runs
nothing."""
from __future__ import annotations

import gzip
import pickle
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from pipeline.process import cache_path, load_cached, process_file, result_from_json, result_to_json, save_cached

PDF = ROOT / "tests" / "pdfs" / "ruled-table.pdf"


@pytest.fixture(scope="module")
def results(settings):
    from pipeline.config import rules_hash

    key = rules_hash(settings.rules_dir)
    text = process_file(CORPUS / "002_a0f38ae1b1a028d1.txt", replace(settings, corpus=CORPUS), key)
    pdf = process_file(PDF, replace(settings, corpus=PDF.parent), key)
    return [text, pdf]


def test_real_results_round_trip_exactly(results, tmp_path):
    text, pdf = results
    assert text.doc.status == pdf.doc.status == "ok"
    assert text.mentions and text.entities and text.sentences and text.doc.tables
    assert pdf.doc.boxes and pdf.doc.pages and any(c.bbox for t in pdf.doc.tables for c in t.cells)
    kinds = {m.kind for m in text.mentions}
    assert kinds >= {"trial", "endpoint"}            # the union of mention classes keeps each class
    for r in results:
        assert result_from_json(result_to_json(r)) == r
        save_cached(tmp_path, r.doc.doc_id, "rules1", "code+1", r)
        assert load_cached(tmp_path, r.doc.doc_id, "rules1", "code+1") == r
        assert load_cached(tmp_path, r.doc.doc_id, "rules2", "code+1") is None     # other rules: a miss
    assert not list((tmp_path / ".cache").glob("*.pickle"))


class Boom:
    def __reduce__(self):
        return (Path.touch, (BOOM,))


BOOM = Path("/nonexistent")


def test_a_planted_entry_runs_no_code_and_is_a_miss(results, tmp_path, caplog):
    global BOOM
    BOOM = tmp_path / "pwned"
    r = results[0]
    p = cache_path(tmp_path, r.doc.doc_id, "rules1", "code1")
    p.parent.mkdir(parents=True)
    payloads = [pickle.dumps(Boom()), gzip.compress(pickle.dumps(Boom())), b"\x00garbage",
                gzip.compress(b'["not", "a", "result"]'),
                gzip.compress(result_to_json(r).replace(b'"ok"', b'{"__reduce__": 1}', 1))]
    for data in payloads:
        p.write_bytes(data)
        assert load_cached(tmp_path, r.doc.doc_id, "rules1", "code1") is None
        assert not BOOM.exists()
    assert "unreadable: ignored" in caplog.text
    # the old pickle file name is not read at all
    old = p.with_name(p.name.replace(".json.gz", ".pickle"))
    old.write_bytes(pickle.dumps(Boom()))
    p.unlink()
    assert load_cached(tmp_path, r.doc.doc_id, "rules1", "code1") is None and not BOOM.exists()
