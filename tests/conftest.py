"""Shared fixtures: settings, rules, the corpus documents annotated once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = ROOT / "corpus"

os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")   # no telemetry write racing server start-up


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
