"""Ingestion: a file -> our Document. `file_to_document` dispatches by suffix;
bad input raises IngestError with a one-line message naming the file.

Files in the corpus: `list_corpus` lists every entry whose name is a document's (regular
files, but also symbolic links, directories named `x.txt`, FIFOs...), so that nothing is
skipped silently; `file_problem` says, with a coded one-line reason, why an entry is not
read (a link leaving the corpus, a dangling link, a link loop, not a regular file, no read
permission). Only regular files inside the corpus (after resolving links) are ever opened.
`source_name` is the one name of a file everywhere (outputs, store, messages): its path
relative to the corpus, made printable by `errors.printable`.
"""
from __future__ import annotations

from dataclasses import replace

import codecs
import hashlib
import logging
import os
import stat
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import Errors, IngestError, printable
from pipeline.model import Document
from pipeline.rules import RuleSet

log = logging.getLogger("pipeline.ingest")

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES
NOT_DOCUMENTS = ("SOURCES.MD", "README.MD")     # they describe the corpus


def _is_candidate(name: str) -> bool:
    return (os.path.splitext(name)[1].lower() in SUFFIXES and name.upper() not in NOT_DOCUMENTS
            and not name.startswith("."))


def list_corpus(corpus: Path) -> list[Path]:
    """Every entry below the corpus root whose name is a document's, in a stable order:
    regular files and also links, directories and other entries with such a name (they
    fail with a reason in `file_to_document` rather than vanish). Linked directories are
    not entered (a link loop cannot recurse; a linked folder may lie outside the corpus)."""
    found = []
    for folder, dirs, files in os.walk(Path(corpus), followlinks=False):
        dirs.sort()
        found += [Path(folder, n) for n in files + dirs if _is_candidate(n)]
        for n in dirs:
            if os.path.islink(os.path.join(folder, n)) and not _is_candidate(n):
                log.warning(Errors.E016.format(path=source_name(Path(folder, n), corpus)))
    return sorted(found)


def source_name(path: Path, corpus_root: Path) -> str:
    """The file's name relative to the corpus root as listed (a link keeps its own name),
    printable (undecodable bytes and control characters escaped); a file outside the root
    is named by its base name."""
    path, root = Path(path), Path(corpus_root).resolve()
    try:
        rel = str(path.parent.resolve() / path.name)
        rel = str(Path(rel).relative_to(root))
    except (ValueError, OSError, RuntimeError):
        rel = path.name
    return printable(rel)


def file_problem(path: Path, corpus_root: Path) -> str:
    """Why the entry must not be read (one coded line), or "" for a readable regular file
    inside the corpus. Symbolic links are resolved; only targets inside the corpus count."""
    path = Path(path)
    name = source_name(path, corpus_root)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            try:
                target = path.resolve(strict=True)
            except FileNotFoundError:
                return Errors.E011.format(path=name, target=printable(os.readlink(path)))
            except (RuntimeError, OSError):      # ELOOP (Python 3.11 raises RuntimeError for a loop)
                return Errors.E012.format(path=name)
            if not target.is_relative_to(Path(corpus_root).resolve()):
                return Errors.E010.format(path=name, target=printable(target))
            st = os.stat(target)
    except OSError as exc:
        return Errors.E014.format(path=name, reason=printable(exc.strerror or exc))
    if not stat.S_ISREG(st.st_mode):
        what = "a directory" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode) \
            else "a socket" if stat.S_ISSOCK(st.st_mode) else "a device"
        return Errors.E013.format(path=name, what=what, suffix=path.suffix.lower())
    if not os.access(path, os.R_OK):
        return Errors.E014.format(path=name, reason="permission denied")
    return ""


# ---- text decoding

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"), (b"%PDF-", "a PDF"),
          (b"PK\x03\x04", "a ZIP archive (docx, xlsx, pptx...)"), (b"\xd0\xcf\x11\xe0", "an OLE file (doc, xls)"),
          (b"\x1f\x8b", "gzip data"), (b"\x7fELF", "an executable"), (b"{\\rtf", "RTF"))
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\v") + b"\x7f"
MAX_CONTROL_SHARE = 0.02     # more control bytes than this (NULs aside) and it is not text
MAX_NUL_SHARE = 0.25         # a file that is mostly NULs is not text with a few NULs in it
MAX_LEGACY_NON_ASCII = 0.3   # cp1252/Latin-1 text is mostly ASCII letters (else: another encoding)


def _control_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _CONTROL))) / max(len(data), 1)


def _utf16_without_bom(data: bytes) -> str:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL (ASCII-range UTF-16 without a BOM)."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if len(sample) >= 16 and odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if len(sample) >= 16 and even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return ""


def decode_bytes(data: bytes, path: str) -> tuple[str, int]:
    """(text, number of NUL characters removed) of a text file's bytes.

    Order: a known binary signature fails (E002); a BOM decides (UTF-8, UTF-16, UTF-32; the BOM
    is dropped); ASCII-range UTF-16 without a BOM is recognised by its NUL pattern; otherwise NULs
    are removed (and counted) and the rest is UTF-8, else cp1252, else Latin-1.

    Why a strict cp1252-then-Latin-1 rule rather than a statistical detector: a review that is not
    UTF-8 is, in practice, a Western page saved by a Windows tool (cp1252) or an old Latin-1 page;
    cp1252 and Latin-1 agree on every printable character except 0x80-0x9F, where cp1252 has
    the typographic quotes, dashes and the euro sign real text uses and Latin-1 only C1 control
    codes, so cp1252 first is right for both, and Latin-1 catches the five bytes cp1252 leaves
    undefined. The rule is deterministic (the same bytes always give the same offsets), while a
    detector's guess on a short file can flip to cp1250 or mac-roman and silently change letters.
    What the rule cannot know (a non-Western legacy encoding) shows as mostly non-ASCII letters and
    fails (E002) rather than becoming mojibake. Binary content (control bytes, a file of NULs)
    fails with E002 too."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise IngestError(Errors.E002.format(path=path, reason=f"binary content: {what}"))
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "") or _utf16_without_bom(data)
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise IngestError(Errors.E002.format(path=path, reason=f"invalid {encoding.upper()} at byte {exc.start}")) from None
        n_nul = text.count("\x00")
        return text.replace("\x00", ""), n_nul
    n_nul = data.count(0)
    if n_nul > MAX_NUL_SHARE * len(data):
        raise IngestError(Errors.E002.format(path=path, reason=f"binary content: {n_nul} NUL bytes in {len(data)}"))
    if n_nul:
        data = data.replace(b"\x00", b"")
    share = _control_share(data[:65536])
    if share > MAX_CONTROL_SHARE:
        raise IngestError(Errors.E002.format(path=path, reason=f"binary content: {share:.0%} control bytes"))
    try:
        return data.decode("utf-8"), n_nul
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    letters = [c for c in text[:65536] if c.isalpha()]
    if sum(1 for c in letters if ord(c) > 127) > MAX_LEGACY_NON_ASCII * max(len(letters), 1):
        raise IngestError(Errors.E002.format(path=path, reason="not UTF-8, and mostly non-ASCII letters as cp1252/Latin-1"))
    return text, n_nul


def file_to_document(path: Path, corpus_root: Path, settings: Settings, rules: RuleSet) -> Document:
    path = Path(path)
    problem = file_problem(path, corpus_root)
    if problem:
        raise IngestError(problem)
    source_file = source_name(path, corpus_root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(Errors.E014.format(path=source_file, reason=printable(exc.strerror or exc))) from None
    if not data.strip():
        raise IngestError(Errors.E001.format(path=source_file))
    doc_id = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        from pipeline.ingest.text import text_to_document

        text, n_nul = decode_bytes(data, printable(source_file))
        warning = Errors.E015.format(path=printable(source_file), n=n_nul) if n_nul else ""
        if not text.strip():
            raise IngestError(Errors.E001.format(path=source_file))
        doc = text_to_document(text, source_file, doc_id, rules)
        if warning:                 # logged where the document is processed, and kept for the run's log
            log.warning(warning)
            doc = replace(doc, warnings=(warning,))
        return doc
    if suffix in PDF_SUFFIXES:
        from pipeline.ingest.pdf import pdf_to_document

        return pdf_to_document(path, source_file, doc_id, settings, rules)
    raise IngestError(Errors.E007.format(path=source_file, suffix=printable(suffix)))


def failed_document(path: Path, corpus_root: Path, error: str) -> Document:
    """The record of a document that could not be ingested (its bytes are hashed only when it is
    a readable file inside the corpus; the error is made one printable line)."""
    path = Path(path)
    data = b""
    if not file_problem(path, corpus_root):
        try:
            data = path.read_bytes()
        except OSError:
            pass
    kind = "pdf" if path.suffix.lower() in PDF_SUFFIXES else "text"
    return Document(doc_id=hashlib.sha256(data).hexdigest(), source_file=source_name(path, corpus_root), kind=kind,
                    status="failed", error=printable(error))
