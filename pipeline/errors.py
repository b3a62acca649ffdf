"""Every user-facing error message, with its code, in one place (like spaCy's errors.py).

Messages are one line: they name the file and the reason. Use
`Errors.E001.format(path=..., reason=...)`.
"""
from __future__ import annotations

import os
import unicodedata


class Errors:
    # ingestion
    E001 = "E001 {path}: empty file"
    E002 = "E002 {path}: not text: cannot decode as UTF-8, UTF-16 with BOM, cp1252 or Latin-1 ({reason})"
    E003 = "E003 {path}: not a readable PDF ({reason})"
    E004 = "E004 {path}: PDF is encrypted and cannot be read without a password"
    E005 = "E005 {path}: PDF has no text layer (image-only or scanned); OCR it first"
    E006 = "E006 {path}: processing took longer than {seconds:g} s and was stopped"
    E007 = "E007 {path}: unsupported file type '{suffix}' (expected .txt, .md or .pdf)"
    E008 = "E008 {path}: unexpected failure: {reason}"
    # ingestion: files in the corpus, decoding (E010-E029)
    E010 = "E010 {path}: a symbolic link to a file outside the corpus ({target}); not read (copy the file into the corpus to include it)"
    E011 = "E011 {path}: a dangling symbolic link (its target {target} does not exist); skipped"
    E012 = "E012 {path}: a symbolic link loop; skipped (fix or remove the link)"
    E013 = "E013 {path}: not a regular file ({what}) although its name ends in {suffix}; skipped"
    E014 = "E014 {path}: cannot read the file ({reason}); check its permissions"
    E015 = "E015 {path}: {n} NUL character(s) removed from the text (offsets refer to the text without them)"
    E016 = "E016 {path}: a symbolic link to a folder; not entered (its documents are not read: copy or move the folder into the corpus)"
    # PDF layout (ingest/pdf.py)
    E030 = "E030 {path}: PDF text is mostly unmapped glyphs '(cid:NN)' on page(s) {pages} (fonts without a Unicode map); OCR the file or get a copy with real text"
    # rules
    E101 = "E101 {path}: not valid YAML ({reason})"
    E102 = "E102 {path}: entry {entry}: {reason}"
    E103 = "E103 {path}: rule {rule_id}: example {example!r} {reason}"
    E104 = "E104 {path}: entry {entry}: {reason}"
    E105 = "E105 {path}: the code asks for category '{category}', which the file does not declare ({declared}); declare it under 'categories'"
    # configuration / models
    E201 = "E201 NER model '{name}' is not installed or not loadable ({reason}); running on lexicon rules only"
    E202 = "E202 configuration: {reason}"
    # execution and run lifecycle
    E210 = "E210 {path}: processing used more than {mb:g} MB of memory and was stopped; raise HER2_DOC_MEMORY_MB or split the file"
    E211 = "E211 corpus {path}: {reason}; pass an existing folder of .txt/.md/.pdf files with --corpus (nothing was recorded or written)"
    E212 = "E212 output root {out} is inside the corpus {corpus}: the run would read its own outputs; choose an --out outside the corpus"
    E213 = "E213 output root {out}: another run (pid {pid}) is writing to it; wait for it to finish or use another --out"
    E214 = "E214 Prefect's temporary API server did not start within {seconds:g} s (HER2_PREFECT_STARTUP_TIMEOUT); raise it on a busy machine or set PREFECT_API_URL to a running server"
    E215 = "E215 unexpected crash: {reason}; traceback in {log}"
    E216 = "E216 run stopped by signal {signal} before it completed; its worker processes were stopped"
    E225 = "E225 configuration: dask={value!r} names no Dask cluster; use 'local', 'local:N' (N worker processes) or a scheduler address such as tcp://scheduler:8786"
    E226 = "E226 Dask scheduler {scheduler}: workers {workers} run on another machine and cannot reach this run's temporary Prefect server {api} (it listens on this machine only); set PREFECT_API_URL to a Prefect server they can reach"
    E227 = "E227 Dask scheduler {scheduler}: no worker to run documents on ({reason}); start workers (dask worker {scheduler}) or check the address"
    E228 = "E228 Dask worker on {host}: the rules in {dir} hash to {found}, the run's to {expected}; install the run's rules (same path) on every worker"
    # store / runs
    E301 = "E301 store {url}: {reason}"
    E302 = "E302 run {run}: not found in {url}"
    E303 = "E303 store {url}: no completed run to export; run `python -m pipeline run` first"
    E304 = "E304 store {url}: schema version {found} is newer than this code supports ({supported}); upgrade the pipeline"
    E305 = "E305 store.py prune: --keep {keep} would remove every run; keep at least 1 (the latest completed run)"
    E306 = "E306 store {url}: stored object {ref} is missing (history damaged or pruned by hand); restore the database from a backup"
    E307 = "E307 run.py: this run would remove {removed} of the {total} facts of the last complete run {run} (more than {share:.0%}); nothing was published (run recorded as 'refused'); check the corpus, or re-run with --allow-shrink"
    # curation
    E401 = "E401 {path}: line {line}: {reason}"
    E402 = "E402 fact {fact_id}: not found in the latest run"
    # exports, curation validation, CLI look-ups (pipeline/export.py, curation.py, cli.py)
    E403 = "E403 export: no fact matches {filter} in run {run}; nothing written (check the spelling; an unfiltered export lists the values)"
    E404 = "E404 fact {fact_id} ({kind}): correction {value!r} refused: {reason}"
    E405 = "E405 {what} {prefix!r} is ambiguous: it starts {n} {what}s ({examples}); give more characters"
    E406 = "E406 {what} {given!r} not found in {where}{hint}"
    E407 = "E407 diff: --from {from_run} is not older than --to {to_run}; give the older run as --from (swap them)"
    E408 = "E408 {path}: line {line}: correction of fact {fact_id} ({kind}) not applied: {reason}; fix the value in the file"


def printable(value: object) -> str:
    """`value` (a file name, a path, an exception text) as one printable line: bytes that are not
    UTF-8 (a file name's undecodable bytes, which Python keeps as lone surrogates) become \\xNN,
    and control, format and line-separator characters (newline, CR, ESC, U+2028, bidi overrides)
    become \\xNN / \\uNNNN, so a name can neither split nor forge a log line, nor break
    a UTF-8 encoder (CSV, SQLite, PostgreSQL). The one escaping of every message naming a file."""
    s = os.fsdecode(value) if isinstance(value, (bytes, os.PathLike)) else str(value)
    if s.isprintable():
        return s
    out = []
    for ch in s:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:            # an undecodable byte (surrogateescape)
            out.append(f"\\x{o - 0xDC00:02x}")
        elif ch == " " or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            out.append(ch)
        else:
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
    return "".join(out)


def unexpected(path: str, exc: BaseException) -> str:
    """The E008 line of an unexpected exception: its type and first line, printable, at most 200 characters."""
    return Errors.E008.format(path=printable(path), reason=printable(f"{type(exc).__name__}: {exc}".splitlines()[0][:200]))


class PipelineError(Exception):
    """An error whose message is already a clear one-liner for the user."""


class IngestError(PipelineError):
    pass


class RuleError(PipelineError):
    pass


class CurationError(PipelineError):
    pass
