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


def test_a_head_is_saved_with_each_entry_and_read_only_while_the_entry_is_there(results, tmp_path, caplog):
    """A reused document whose files are out is read as its head (record, mentions, documents.csv
    counts), not decoded whole; the whole result when the run wants it, or when there is no head."""
    from pipeline.model import result_head
    from pipeline.outputs import document_files, document_row
    from pipeline.process import cached_result, head_path, load_cached_head

    text, pdf = results
    for r in results:
        save_cached(tmp_path, r.doc.doc_id, "rules1", "code1", r)
        head = load_cached_head(tmp_path, r.doc.doc_id, "rules1", "code1")
        assert head == result_head(r)
        assert head.result.mentions == r.mentions and head.result.doc.text == "" and not head.result.entities
        assert document_row(head) == document_row(r)                  # documents.csv: pages, sentences, tables
        assert head.n_sentences == len(r.sentences) > 0 and len(head.table_ids) == len(r.doc.tables) > 0
        name = r.doc.source_file
        assert cached_result(tmp_path, r.doc.doc_id, "rules1", "code1", name, lambda h: False) == head
        assert cached_result(tmp_path, r.doc.doc_id, "rules1", "code1", name, lambda h: True) == r
        assert cached_result(tmp_path, r.doc.doc_id, "rules1", "code1", "other.txt", lambda h: False) is None
    assert [p.as_posix() for p in document_files(result_head(text))] == \
        [f"text/{text.doc.doc_id}.txt"] + [f"tables/002_a0f38ae1b1a028d1_{t.table_id}.csv" for t in text.doc.tables]
    # no whole entry: no head either (the run may need the whole result)
    cache_path(tmp_path, pdf.doc.doc_id, "rules1", "code1").unlink()
    assert load_cached_head(tmp_path, pdf.doc.doc_id, "rules1", "code1") is None
    # a damaged head is a miss of the head only: the whole result answers
    head_path(tmp_path, text.doc.doc_id, "rules1", "code1").write_bytes(b"\x00garbage")
    assert load_cached_head(tmp_path, text.doc.doc_id, "rules1", "code1") is None and "unreadable" in caplog.text
    assert cached_result(tmp_path, text.doc.doc_id, "rules1", "code1", text.doc.source_file, lambda h: False) == text


def test_a_prepared_result_writes_the_same_cache_entries_and_files_as_the_whole_result(results, tmp_path, monkeypatch,
                                                                                         caplog):
    """The flow's process takes a processed document as its worker process prepared it (its head, cache
    entries and files' bytes: process.prepared_result) instead of the whole result: the cache entries and
    every published file are the same bytes either way, and what the outputs log while making the
    files (here cells cut to a small cap) is said by the flow's process when it writes them."""
    import logging
    import re

    import pipeline.outputs as outputs
    from pipeline.config import Settings, rules_hash
    from pipeline.model import DocHead, PreparedResult, result_head
    from pipeline.process import _to_json, head_path, prepared_result
    from pipeline.run import RunOutputs

    monkeypatch.setattr(outputs, "CELL_CAP", 40)        # some entity and table cells are cut (and logged)
    s0 = Settings.resolve(corpus=str(CORPUS), out=str(tmp_path / "whole"))
    key = rules_hash(s0.rules_dir)
    with caplog.at_level(logging.WARNING, logger="pipeline.outputs"):
        prepared = [prepared_result(r, s0) for r in results]
        assert not caplog.records                       # kept with the result, not logged in the worker process
    for r, p in zip(results, prepared):
        assert isinstance(p, PreparedResult) and p.head == result_head(r) and p.doc == p.head.result.doc
        assert gzip.decompress(p.cache_entry) == result_to_json(r)
        assert gzip.decompress(p.cache_head) == _to_json(result_head(r), DocHead)
        assert len(p.files) == 1 + len(r.doc.tables) and p.entities
        assert "entities" in {part for part, _ in p.notes}
    assert any(part == "files" for p in prepared for part, _ in p.notes)      # a table's cell cut too
    said = {}
    for name, given in (("whole", results), ("prepared", prepared)):
        s = Settings.resolve(corpus=str(CORPUS), out=str(tmp_path / name))
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="pipeline.outputs"):
            with RunOutputs(s, key, "code+1") as run:
                for i, r in enumerate(given):
                    save_cached(s.out, r.doc.doc_id, key, "code+1", r)
                    run.add(i, r)
                assert run.finish(set())["n_failed"] == 0
        said[name] = sorted(re.sub(r"^\S*/", "", m.getMessage()) for m in caplog.records)
        assert said[name]
    assert said["whole"] == said["prepared"]
    run_id = re.compile(rb"20\d{6}T\d{6}Z-[0-9a-f]+|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00|whole|prepared")

    def tree(root: Path) -> dict:
        out = {}
        for f in sorted(root.rglob("*")):
            if f.is_file() and ".store" not in f.parts and f.name not in (".run.lock", "exports.json"):
                data = gzip.decompress(f.read_bytes()) if f.name.endswith(".gz") else f.read_bytes()
                out[run_id.sub(b"", str(f.relative_to(root)).encode())] = run_id.sub(b"", data)
        return out
    whole, prep = tree(tmp_path / "whole"), tree(tmp_path / "prepared")
    assert any(k.startswith(b"tables/") for k in whole) and any(k.startswith(b"text/") for k in whole)
    assert sum(k.startswith(b".cache/") for k in whole) == 4
    assert whole == prep
    for r in results:
        assert head_path(tmp_path / "prepared", r.doc.doc_id, key, "code+1").is_file()
