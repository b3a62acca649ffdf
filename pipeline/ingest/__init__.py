"""Ingestion: a file -> our Document. `file_to_document` dispatches by suffix;
bad input raises IngestError with a one-line message naming the file."""
from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import Errors, IngestError
from pipeline.model import Document
from pipeline.rules import RuleSet

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES


def list_corpus(corpus: Path) -> list[Path]:
    """Every ingestible file below the corpus root, in a stable order
    (SOURCES.md and README files describe the corpus; they are not documents)."""
    corpus = Path(corpus)
    return sorted(
        p for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES
        and p.name.upper() not in ("SOURCES.MD", "README.MD") and not p.name.startswith(".")
    )


def decode_text(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise IngestError(Errors.E002.format(path=path, reason="binary content (NUL bytes)"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(Errors.E002.format(path=path, reason=f"invalid byte at position {exc.start}")) from None


def file_to_document(path: Path, corpus_root: Path, settings: Settings, rules: RuleSet) -> Document:
    path = Path(path)
    try:
        source_file = str(path.resolve().relative_to(Path(corpus_root).resolve()))
    except ValueError:
        source_file = path.name
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(Errors.E001.format(path=source_file))
    doc_id = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from pipeline.ingest.text import text_to_document

        text = decode_text(data, Path(source_file))
        if not text.strip():
            raise IngestError(Errors.E001.format(path=source_file))
        return text_to_document(text, source_file, doc_id, rules)
    if suffix in PDF_SUFFIXES:
        from pipeline.ingest.pdf import pdf_to_document

        return pdf_to_document(path, source_file, doc_id, settings, rules)
    raise IngestError(Errors.E007.format(path=source_file, suffix=suffix))


def failed_document(path: Path, corpus_root: Path, error: str) -> Document:
    """The record of a document that could not be ingested."""
    path = Path(path)
    try:
        source_file = str(path.resolve().relative_to(Path(corpus_root).resolve()))
        data = path.read_bytes()
    except (ValueError, OSError):
        source_file, data = path.name, b""
    kind = "pdf" if path.suffix.lower() in PDF_SUFFIXES else "text"
    return Document(doc_id=hashlib.sha256(data).hexdigest(), source_file=source_file, kind=kind,
                    status="failed", error=error)
