"""Shared fixtures: settings, rules, the corpus documents annotated once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"
DOC0 = "000_295cffc29131faf6.txt"      # the full review with Tables 1-2
DOC1 = "001_d9b16c41351ece26.txt"      # its PubMed page
DOC2 = "002_a0f38ae1b1a028d1.txt"      # a narrative review
DOC3 = "003_2deb1f22f8bf69ef.txt"      # an NSCLC abstract page with references
DOC4 = "004_bee61af27c55501b.txt"      # a PubMed page

os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")   # no telemetry write racing server start-up
# one Prefect server per CLI run, stopped with it: no process outlives the suite. The default (a server
# kept for the next runs) has its own tests in test_prefect_api.py, which stop what they start.
os.environ.setdefault("HER2_PREFECT_SERVER", "temporary")


def shared_or_skip(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is not available beside the project root ({p})")
    return p


@pytest.fixture(scope="session")
def settings():
    from pipeline.config import Settings

    return Settings.resolve(corpus=str(CORPUS), out=str(ROOT / "extracted"))


@pytest.fixture(scope="session")
def rules(settings):
    from pipeline.rules import load_rules

    return load_rules(settings.rules_dir)


@pytest.fixture(scope="session")
def pipes(settings, rules):
    from pipeline.nlp import get_pipelines

    return get_pipelines(settings, rules)


@pytest.fixture(scope="session")
def corpus_docs(settings, rules):
    from pipeline.ingest import file_to_document, list_corpus

    return {p.name: file_to_document(p, CORPUS, settings, rules) for p in list_corpus(CORPUS)}


@pytest.fixture(scope="session")
def annotated(corpus_docs, pipes, rules):
    from pipeline.nlp import annotate_document

    return {name: annotate_document(d, pipes, rules) for name, d in corpus_docs.items()}


@pytest.fixture(scope="session")
def views(annotated, rules):
    from pipeline.extract.context import DocView

    return {name: DocView(a, rules) for name, a in annotated.items()}


@pytest.fixture(scope="session")
def corpus_mentions(annotated, rules):
    from pipeline.extract import annotated_to_mentions

    return {name: annotated_to_mentions(a, rules) for name, a in annotated.items()}


def annotate_text(text: str, rules, pipes, name: str = "sample.txt"):
    """A realistic snippet through the same ingestion and NLP path as a corpus file."""
    import hashlib

    from pipeline.ingest.text import text_to_document
    from pipeline.nlp import annotate_document

    doc = text_to_document(text, name, hashlib.sha256(text.encode()).hexdigest(), rules)
    return annotate_document(doc, pipes, rules)


def extract_from_text(extract, text: str, rules, pipes, heading: str = "") -> list:
    """A snippet as a review would print it (under `heading` when given), through ingestion, NLP and
    one extractor (`extract(DocView)`); every mention's quote is checked against the saved text."""
    from pipeline.extract.context import DocView

    body = (heading + "\n\n" if heading else "") + text
    ann = annotate_text("Review\n\nIntroduction\n\n" + body, rules, pipes)
    found = extract(DocView(ann, rules))
    for m in found:
        assert ann.doc.text[m.prov.char_start:m.prov.char_end] == m.prov.quote
    return found


@pytest.fixture(scope="session")
def real_run(tmp_path_factory):
    """The real pipeline on corpus/ (ingest, NLP, extraction, reconciliation, SQLite store, every output)
    without the Prefect server (tests/test_flow.py runs the flow), in a temporary output root with its
    own copy of rules/. Returns a namespace (base, out, rules, results, rkey, code, ruleset); copy `base`
    before changing anything (copy_real_run)."""
    import shutil
    from types import SimpleNamespace

    from pipeline.config import Settings, code_version, rules_hash
    from pipeline.ingest import list_corpus
    from pipeline.process import process_file, rules_for
    from pipeline.run import finish_run

    base = tmp_path_factory.mktemp("real_run")
    shutil.copytree(ROOT / "rules", base / "rules")
    s = Settings.resolve(corpus=str(CORPUS), out=str(base / "extracted"), rules_dir=str(base / "rules"))
    rkey, code = rules_hash(s.rules_dir), code_version()
    ruleset = rules_for(s, rkey)
    results = [process_file(p, s, rkey) for p in list_corpus(s.corpus)]
    finish_run(s, results, set(), rkey, code, (), ruleset)
    return SimpleNamespace(base=base, results=results, rkey=rkey, code=code, ruleset=ruleset)


def copy_real_run(real, dest: Path):
    """A private copy of the real run's output root and rules: (Settings, out, rules)."""
    import shutil

    from pipeline.config import Settings

    shutil.copytree(real.base, dest, dirs_exist_ok=True)
    s = Settings.resolve(corpus=str(CORPUS), out=str(dest / "extracted"), rules_dir=str(dest / "rules"))
    return s, dest / "extracted", dest / "rules"
