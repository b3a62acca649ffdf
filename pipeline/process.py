"""One document end to end: file -> Document -> Annotated -> mentions.

`process_file` is the plain, picklable function each per-document task runs;
it never raises for bad input: the document comes back with status=failed and
a one-line reason naming the file.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import hashlib
import json
import logging
import operator
import types
import typing
from pathlib import Path
from typing import Callable, Optional

from pipeline.config import Settings, extraction_key
from pipeline.errors import Errors, IngestError, printable, unexpected
from pipeline.ingest import failed_document, file_problem, file_to_document, list_corpus, source_name
from pipeline.model import DocHead, DocResult, PreparedResult, result_head
from pipeline.outputs import atomic_write_bytes, document_file_bytes, document_files, entities_part
from pipeline.rules import RuleSet, load_rules

# spaCy (pipeline.nlp, pipeline.extract) is imported where a document is processed, in the worker
# processes: the flow's process only reads and writes cached results and never pays its import

log = logging.getLogger("pipeline.process")

_RULES: dict[tuple[str, str], RuleSet] = {}


def rules_for(settings: Settings, rules_key: str) -> RuleSet:
    key = (str(settings.rules_dir), rules_key)
    if key not in _RULES:
        _RULES[key] = load_rules(settings.rules_dir)
    return _RULES[key]


def process_file(path: Path, settings: Settings, rules_key: str) -> DocResult:
    from pipeline.extract import annotated_to_mentions
    from pipeline.nlp import annotate_document, get_pipelines

    rules = rules_for(settings, rules_key)
    try:
        doc = file_to_document(path, settings.corpus, settings, rules)
    except IngestError as exc:
        log.error(str(exc))
        return DocResult(failed_document(path, settings.corpus, str(exc)))
    except Exception as exc:  # a crash in a parser must not stop the other documents
        msg = unexpected(source_name(path, settings.corpus), exc)
        log.error(msg)
        return DocResult(failed_document(path, settings.corpus, msg))
    ann = annotate_document(doc, get_pipelines(settings, rules, rules_key), rules, settings.batch_size)
    mentions = annotated_to_mentions(ann, rules, model_drugs=settings.model_drugs)
    return DocResult(doc, ann.sentences, ann.entities, ann.abbreviations, tuple(mentions))


# ---- per-document result cache, keyed by content hash, rules hash and code version
#
# One cache: gzip-compressed JSON files under <out>/.cache (never pickle: a planted or
# damaged file is a cache miss, it can run no code). DocResult and its parts are frozen
# dataclasses; they are written generically as lists of their fields' values
# (dataclasses.fields order) and rebuilt from the fields' declared types, so the format
# follows model.py without a hand-written schema (a change of model.py changes the code
# version, hence the cache key).

def cache_path(out: Path, sha: str, rules_key: str, code: str) -> Path:
    return Path(out) / ".cache" / f"{sha[:32]}-{rules_key}-{code.replace('+', '_')}.json.gz"


def head_path(out: Path, sha: str, rules_key: str, code: str) -> Path:
    """The entry's head (model.DocHead) beside it: what a run reads of a document whose files are out."""
    p = cache_path(out, sha, rules_key, code)
    return p.with_name(p.name.replace(".json.gz", ".head.json.gz"))


def load_cached(out: Path, sha: str, rules_key: str, code: str) -> Optional[DocResult]:
    return _load(cache_path(out, sha, rules_key, code), DocResult)


def load_cached_head(out: Path, sha: str, rules_key: str, code: str) -> Optional[DocHead]:
    """The entry's head, only while the whole entry is there too (a run may still need it)."""
    if not cache_path(out, sha, rules_key, code).is_file():
        return None
    return _load(head_path(out, sha, rules_key, code), DocHead)


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sha_or_problem(path: Path, settings: Settings) -> tuple[str, str]:
    """(the file's sha256, "") or ("", why it cannot be read: a link out of the corpus, a loop, a
    directory, an unreadable file)."""
    problem = file_problem(path, settings.corpus)
    if problem:
        return "", problem
    try:
        return file_sha(path), ""
    except OSError as exc:
        return "", Errors.E014.format(path=source_name(path, settings.corpus), reason=printable(exc.strerror or exc))


def cached_corpus(settings: Settings, rules_key: str, code: str, ahead: int = 0
                  ) -> tuple[Optional[list[tuple[Path, str]]], list[Path]]:
    """(every document of the corpus with its sha256 when each has an entry in the per-document cache
    under these keys (its bytes hashed, nothing decoded), else None; the first `ahead` documents that
    have none, in corpus order): a cheap first look before run.finish_from_cache, which takes these
    hashes rather than reading the files again, or before the flow, whose worker processes may start
    on the documents it will ask for (workers.prestart). A file that cannot be read is neither: the
    flow reports it."""
    ckey = rules_key + extraction_key(settings)
    found: list[tuple[Path, str]] = []
    missing: list[Path] = []
    complete = True
    for p in list_corpus(settings.corpus):
        sha, problem = _sha_or_problem(p, settings)
        if problem or not cache_path(settings.out, sha, ckey, code).is_file():
            complete = False
            if not problem:
                missing.append(p)
            if len(missing) >= ahead:
                break
            continue
        found.append((p, sha))
    return (found if complete and found else None), missing


def answer_without_processing(path: Path, settings: Settings, rules_key: str, code: str,
                              wants_full: Callable[[DocHead], bool], sha: str = ""
                              ) -> tuple[str, Optional[DocResult | DocHead]]:
    """(the file's sha256, what answers it without processing it): a failed document for a file that
    cannot be read (sha ""), its cached head or whole result (`cached_result`), or None when it must
    be processed. `rules_key`: the rules hash with the extraction settings' key (the cache's); `sha`:
    the file's hash when already known."""
    sha, problem = (sha, "") if sha else _sha_or_problem(path, settings)
    if problem:
        return "", DocResult(failed_document(path, settings.corpus, problem))
    return sha, cached_result(settings.out, sha, rules_key, code, source_name(path, settings.corpus), wants_full)


def cached_result(out: Path, sha: str, rules_key: str, code: str, source_file: str,
                  wants_full: Callable[[DocHead], bool]) -> Optional[DocResult | DocHead]:
    """A document's cached answer under these keys, for this source file: its head, or its whole
    result when there is no head or `wants_full(head)`; None for a miss."""
    head = load_cached_head(out, sha, rules_key, code)
    if head is not None and head.result.doc.source_file == source_file and not wants_full(head):
        return head
    full = load_cached(out, sha, rules_key, code)
    return full if full is not None and full.doc.source_file == source_file else None


def _load(p: Path, cls):
    if not p.is_file():
        return None
    try:
        return _decoder(cls)(json.loads(gzip.decompress(p.read_bytes())))
    except Exception:   # a corrupt or foreign cache entry is just a miss
        log.warning("cache entry %s unreadable: ignored (the document is processed again)", p.name)
        return None


# gzip level of cache entries: 1 compresses the flow's results in half the CPU of 5 (about 1 ms a
# document less in the flow's process), for files about a sixth larger (any level reads back)
CACHE_GZIP_LEVEL = 1


def save_cached(out: Path, sha: str, rules_key: str, code: str, result: DocResult | PreparedResult) -> None:
    """The whole result, then its head (a head is only read while its whole entry exists); a
    PreparedResult's entries as its worker process made them (`cache_entries`)."""
    if result.doc.status != "ok":
        return
    entry, head = ((result.cache_entry, result.cache_head) if isinstance(result, PreparedResult)
                   else cache_entries(result))
    atomic_write_bytes(cache_path(out, sha, rules_key, code), entry)
    atomic_write_bytes(head_path(out, sha, rules_key, code), head)


def cache_entries(result: DocResult, head: Optional[DocHead] = None) -> tuple[bytes, bytes]:
    """The bytes of a result's two cache entries: the whole result and its head (`head`: result_head(result)
    when already made)."""
    return (gzip.compress(result_to_json(result), CACHE_GZIP_LEVEL),
            gzip.compress(_to_json(head or result_head(result), DocHead), CACHE_GZIP_LEVEL))


def prepared_result(result: DocResult, settings: Settings) -> PreparedResult:
    """What the flow needs of a document its worker process just processed (model.PreparedResult):
    its head, its cache entries and its files' bytes, made here so that the flow's process only
    writes them. A failed document: its head only (nothing is cached or written for it)."""
    head = result_head(result)
    if result.doc.status != "ok":
        return PreparedResult(head)
    entry, head_entry = cache_entries(result, head)
    notes: list[tuple[str, str]] = []
    with _logged(notes, "files"):
        files = document_file_bytes(result, document_files(head))
    with _logged(notes, "entities"):
        entities = entities_part(result)
    pairs = None
    if settings.ner_model:
        from pipeline.candidates import entities_with_sentences

        pairs = entities_with_sentences([result])
    return PreparedResult(head, entry, head_entry, tuple(files), entities, pairs, tuple(notes))


class _Notes(logging.Handler):
    def __init__(self, notes: list, part: str):
        super().__init__(logging.WARNING)
        self.notes, self.part = notes, part

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append((self.part, record.getMessage()))


@contextlib.contextmanager
def _logged(notes: list, part: str):
    """What pipeline.outputs logs meanwhile goes to `notes` as (part, message) instead (the flow says
    it when it writes that part)."""
    logger = logging.getLogger("pipeline.outputs")
    handler, propagate = _Notes(notes, part), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _to_json(value, cls) -> bytes:
    return json.dumps(_encoder(cls)(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def result_to_json(result: DocResult) -> bytes:
    return _to_json(result, DocResult)


def result_from_json(data: bytes) -> DocResult:
    return _decoder(DocResult)(json.loads(data))


def _field_types(cls) -> list[tuple[str, object]]:
    hints = typing.get_type_hints(cls)
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]


def _union_members(tp) -> Optional[tuple]:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return None


def _same(v):
    """The encoder of a value that is JSON-able as it is (a str, int, float, bool, None, or a tuple
    of them: json writes a tuple as a list)."""
    return v


@functools.lru_cache(maxsize=None)
def _encoder(tp):
    """value of declared type `tp` -> JSON-able value (tuples stand for lists: the same JSON).
    A value already JSON-able as it is gets `_same`, and a dataclass's fields are read in one
    attrgetter call: this runs for every document the flow caches (about 1,000 objects each)."""
    members = _union_members(tp)
    if members is not None:
        classes = [m for m in members if m is not type(None)]
        if len(classes) == 1:
            enc = _encoder(classes[0])
            return _same if enc is _same else (lambda v: None if v is None else enc(v))
        encs = {c: (c.__name__, _encoder(c)) for c in classes}   # several dataclasses: tagged
        return lambda v: None if v is None else [encs[type(v)][0], encs[type(v)][1](v)]
    if dataclasses.is_dataclass(tp):
        fields = [(name, _encoder(t)) for name, t in _field_types(tp)]
        if not fields:
            return lambda v: []
        names, encs = zip(*fields)
        get = operator.attrgetter(*names)
        if len(names) == 1:
            enc = encs[0]
            return lambda v: [enc(get(v))]
        coded = [(i, enc) for i, enc in enumerate(encs) if enc is not _same]
        if not coded:
            return get

        def enc_dc(v):
            values = list(get(v))
            for i, enc in coded:
                values[i] = enc(values[i])
            return values
        return enc_dc
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            enc = _encoder(args[0])
            return _same if enc is _same else (lambda v: [enc(x) for x in v])
        encs = [_encoder(a) for a in args]
        return _same if all(e is _same for e in encs) else (lambda v: [e(x) for e, x in zip(encs, v)])
    if tp in (str, int, float, bool):
        return _same
    raise TypeError(f"cannot cache a value of type {tp!r}")


def _check(tp):
    ok = (int, float) if tp is float else tp

    def dec(v):
        if type(v) is bool and tp is not bool or not isinstance(v, ok):
            raise ValueError(f"expected {tp.__name__}, got {type(v).__name__}")
        return float(v) if tp is float else v
    return dec


@functools.lru_cache(maxsize=None)
def _decoder(tp):
    """JSON value -> value of declared type `tp`, checking every type on the way
    (a cache file is data: anything unexpected raises, and the entry is a miss)."""
    members = _union_members(tp)
    if members is not None:
        classes = [m for m in members if m is not type(None)]
        if len(classes) == 1:
            dec = _decoder(classes[0])
            return lambda v: None if v is None else dec(v)
        decs = {c.__name__: _decoder(c) for c in classes}
        return lambda v: None if v is None else decs[v[0]](v[1])
    if dataclasses.is_dataclass(tp):
        parts = [(name, _decoder(t)) for name, t in _field_types(tp)]
        n = len(parts)

        def dec_dc(v):
            if not isinstance(v, list) or len(v) != n:
                raise ValueError(f"{tp.__name__}: expected {n} fields")
            return tp(**{name: dec(x) for (name, dec), x in zip(parts, v)})
        return dec_dc
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            dec = _decoder(args[0])
            return lambda v: tuple(dec(x) for x in _list(v))
        decs = [_decoder(a) for a in args]
        return lambda v: tuple(d(x) for d, x in zip(decs, _list(v, len(decs))))
    if tp in (str, int, float, bool):
        return _check(tp)
    raise TypeError(f"cannot read a cached value of type {tp!r}")


def _list(v, n: Optional[int] = None) -> list:
    if not isinstance(v, list) or (n is not None and len(v) != n):
        raise ValueError("expected a list" + (f" of {n}" if n is not None else ""))
    return v
