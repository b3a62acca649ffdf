"""Every fast hostile input of issue 12 through the real per-document function
(`pipeline.process.process_file`: ingestion, spaCy, extraction): a correct parse, or status
failed with a coded one-line reason naming the file. The cases and their files come from
tests/hostile/generate.py; the flow run over the mix is tests/hostile/test_hostile_flow.py and
the slow inputs are tests/hostile/test_hostile_slow.py.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import generate as G
from pipeline.errors import printable

PERF_XFAIL: dict[str, str] = {}     # every fast case holds since the branches were merged


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    paths = G.build(corpus, G.FAST)
    yield corpus, paths
    for p in paths.values():          # chmod 000 files and FIFOs: let pytest clean up
        if p.exists() and not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)


@pytest.fixture(scope="module")
def processed(hostile):
    """Every fast case through process_file, once."""
    from pipeline.config import Settings, rules_hash
    from pipeline.process import process_file

    corpus, paths = hostile
    settings = Settings.resolve(corpus=str(corpus), out=str(corpus.parent / "out"))
    rkey = rules_hash(settings.rules_dir)
    return {key: process_file(p, settings, rkey) for key, p in paths.items()}


def coded_one_line(error: str, name: str, code: str) -> bool:
    return error.startswith(code + " ") and printable(name) in error and error.isprintable()


def _params():
    out = []
    for c in G.FAST:
        key = printable(os.fsdecode(c.raw_name) if c.raw_name else c.name)
        marks = [pytest.mark.xfail(strict=True, reason=PERF_XFAIL[c.name])] if c.name in PERF_XFAIL else []
        out.append(pytest.param(key, c, id=key.replace("\\", "_"), marks=marks))
    return out


@pytest.mark.parametrize("key,case", _params())
def test_each_case_parses_or_fails_with_its_code(processed, hostile, key, case):
    r = processed[key]
    d = r.doc
    assert d.source_file == key and d.source_file.isprintable()
    assert "\x00" not in d.text and "\x00" not in d.title
    if case.name == "locked.txt" and os.geteuid() == 0:
        expect = "ok"               # root reads a chmod 000 file: test_unreadable_file_as_another_user
    else:
        expect = case.expect
    if expect == "ok":
        assert d.status == "ok", d.error
        assert d.error == "" and d.text.strip() and r.sentences
        checks = case.checks
        for needle in [checks["contains"]] if isinstance(checks.get("contains"), str) else checks.get("contains", []):
            assert needle in d.text, needle
        if "same_text_as" in checks:
            ref = processed[checks["same_text_as"]].doc
            assert d.text == ref.text and d.title == ref.title and d.sections == ref.sections
        for m in r.mentions:            # provenance stays exact on the saved text
            if m.prov.char_start is not None:
                assert d.text[m.prov.char_start:m.prov.char_end] == m.prov.quote
    elif expect == "degraded":          # flagged: never a silent ok
        assert d.status in ("degraded", "failed") and re.match(r"^E\d{3} ", d.error) and d.error.isprintable()
        assert "(cid:" not in d.text
    else:
        assert d.status == "failed" and coded_one_line(d.error, key, expect), d.error


def test_decoded_texts_are_the_same_text(processed):
    """UTF-16 (both byte orders, with BOM), a UTF-8 BOM and NULs: the same normalized text as plain
    UTF-8, so the same offsets and the same mentions."""
    ref = processed["utf8-plain.txt"]
    for key in ("utf16-bom.txt", "utf16be-bom.txt", "utf8-bom.txt", "nuls.txt"):
        r = processed[key]
        assert not r.doc.text.startswith("\ufeff")
        assert [(m.kind, m.prov.char_start, m.prov.quote) for m in r.mentions] == \
            [(m.kind, m.prov.char_start, m.prov.quote) for m in ref.mentions]
    assert any(m.kind == "endpoint" for m in ref.mentions)


def test_cp1252_and_latin1_decode_to_their_characters(processed):
    cp = processed["cp1252.txt"].doc
    assert cp.title.startswith("R\u00e9sum\u00e9 of HER2-targeted therapy \u2013 a review of \u201ctrastuzumab\u201d")
    assert "\u20ac1,200 per cycle \u2014 na\u00efve" in cp.text
    assert processed["latin1.txt"].doc.title.startswith("R\u00e9sum\u00e9 of HER2-targeted therapy - a review")
    endpoints = {(m.trial, m.endpoint, m.value) for m in processed["cp1252.txt"].mentions if m.kind == "endpoint"}
    assert ("CLEOPATRA", "ORR", "80.2") in endpoints


def test_nuls_are_removed_and_counted(hostile, settings, rules, caplog):
    from pipeline.ingest import file_to_document

    corpus, paths = hostile
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        d = file_to_document(paths["nuls.txt"], corpus, settings, rules)
    assert "\x00" not in d.text
    assert paths["nuls.txt"].read_bytes().count(0) == G.NUL_COUNT
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("E015")]
    assert line == f"E015 nuls.txt: {G.NUL_COUNT} NUL character(s) removed from the text (offsets refer to the text without them)"


def test_decoding_rules():
    """The decision table of decode_bytes on realistic bytes."""
    from pipeline.errors import IngestError
    from pipeline.ingest import decode_bytes

    text = "Trastuzumab r\u00e9sultats \u2013 \u201cORR\u201d 47%"
    assert decode_bytes(text.encode("utf-8"), "a.txt") == (text, 0)
    assert decode_bytes(text.encode("cp1252"), "a.txt") == (text, 0)
    assert decode_bytes("caf\u00e9 \u0081".encode("latin-1"), "a.txt") == ("caf\u00e9 \u0081", 0)   # 0x81: not cp1252
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "a.txt") == (text, 0)
    assert decode_bytes(text.encode("utf-16"), "a.txt") == (text, 0)                # BOM, native order
    assert decode_bytes("ORR 47% " .encode("utf-16-le") * 4, "a.txt") == ("ORR 47% " * 4, 0)   # no BOM
    assert decode_bytes(b"The ORR was\x00 47% in the trial\x00\x00.", "a.txt") == ("The ORR was 47% in the trial.", 3)
    for data, reason in ((b"\x00" * 100 + b"text", "NUL bytes"), (b"\x89PNG\r\n\x1a\nrest", "PNG image"),
                         (b"PK\x03\x04rest", "ZIP"), (bytes(range(256)) * 4, "control bytes"),
                         ("\u0416\u0443\u0440\u043d\u0430\u043b HER2".encode("cp1251"), "non-ASCII letters")):
        with pytest.raises(IngestError, match=rf"^E002 a\.txt: .*{reason}"):
            decode_bytes(data, "a.txt")


def test_corpus_listing_keeps_every_entry(hostile):
    """Links, folders and pipes named like documents are listed (then failed with a reason),
    never silently dropped; the list is sorted and stable."""
    from pipeline.ingest import list_corpus

    corpus, paths = hostile
    listed = list_corpus(corpus)
    assert listed == sorted(listed) == list_corpus(corpus)
    assert {printable(p.name) for p in listed} == set(paths)


def test_linked_folder_not_entered(tmp_path, caplog):
    """A link to a folder (outside the corpus here) is not entered, with a warning (E016)."""
    from pipeline.ingest import list_corpus

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "review.txt").write_text(G.review_text(), encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(G.review_text(), encoding="utf-8")
    os.symlink(outside, corpus / "more")
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        assert list_corpus(corpus) == [corpus / "ok.txt"]
    assert [r.getMessage() for r in caplog.records] == [
        "E016 more: a symbolic link to a folder; not entered (its documents are not read: copy or move the folder into the corpus)"]


def test_outside_file_never_read(hostile):
    from pipeline.ingest import failed_document, file_problem

    corpus, paths = hostile
    link = paths["outside.txt"]
    assert file_problem(link, corpus).startswith("E010 outside.txt: ")
    d = failed_document(link, corpus, file_problem(link, corpus))
    assert d.doc_id == hashlib.sha256(b"").hexdigest()      # its bytes were not even hashed
    # a link to a file inside the corpus is read under its own name
    assert file_problem(paths["inside-link.txt"], corpus) == ""


def test_unreadable_file_as_another_user():
    """chmod 000: E014 for a user without read permission (root reads everything, so the check
    runs as `nobody` in a child that drops its privileges after importing the pipeline)."""
    if os.geteuid() != 0:
        pytest.skip("covered by test_each_case_parses_or_fails_with_its_code[locked.txt] when not root")
    work = Path(tempfile.mkdtemp(prefix="her2-hostile-"))
    try:
        work.chmod(0o755)
        corpus = work / "corpus"
        G.build(corpus, [c for c in G.FAST if c.name == "locked.txt"])
        corpus.chmod(0o755)
        code = ("import os, sys; from pathlib import Path; from pipeline.ingest import file_problem; "
                "os.setgid(65534); os.setuid(65534); "
                "print(file_problem(Path(sys.argv[1]) / 'locked.txt', Path(sys.argv[1])))")
        env = dict(os.environ, PYTHONPATH=str(G.ROOT))
        out = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, env=env,
                             timeout=120)
        assert out.stdout.strip() == "E014 locked.txt: cannot read the file (permission denied); check its permissions", out.stderr
    finally:
        (work / "corpus" / "locked.txt").chmod(0o644)
        import shutil

        shutil.rmtree(work)


def test_escaped_names_are_one_printable_line():
    from pipeline.errors import Errors

    raw = os.fsdecode(b"r\xe9sum\xe9-\xff.txt")
    assert printable(raw) == "r\\xe9sum\\xe9-\\xff.txt"
    assert printable("a\nE008 forged.txt") == "a\\x0aE008 forged.txt"
    assert printable("x\u202etxt.exe\u2028y\r") == "x\\u202etxt.exe\\u2028y\\x0d"
    assert printable("R\u00e9sum\u00e9 \u201cok\u201d.txt") == "R\u00e9sum\u00e9 \u201cok\u201d.txt"
    msg = Errors.E001.format(path=printable(raw))
    msg.encode("utf-8")                  # the store and the CSVs can write it
    assert "\n" not in msg
