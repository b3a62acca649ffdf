"""One document end to end: file -> Document -> Annotated -> mentions.

`process_file` is the plain, picklable function each per-document task runs;
it never raises for bad input: the document comes back with status=failed and
a one-line reason naming the file.
"""
from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Optional

from pipeline.config import Settings
from pipeline.errors import IngestError, unexpected
from pipeline.extract import annotated_to_mentions
from pipeline.ingest import failed_document, file_to_document, source_name
from pipeline.model import DocResult
from pipeline.nlp import annotate_document, get_pipelines
from pipeline.rules import RuleSet, load_rules

log = logging.getLogger("pipeline.process")

_RULES: dict[tuple[str, str], RuleSet] = {}


def rules_for(settings: Settings, rules_key: str) -> RuleSet:
    key = (str(settings.rules_dir), rules_key)
    if key not in _RULES:
        _RULES[key] = load_rules(settings.rules_dir)
    return _RULES[key]


def process_file(path: Path, settings: Settings, rules_key: str) -> DocResult:
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

def cache_path(out: Path, sha: str, rules_key: str, code: str) -> Path:
    return Path(out) / ".cache" / f"{sha[:32]}-{rules_key}-{code.replace('+', '_')}.pickle"


def load_cached(out: Path, sha: str, rules_key: str, code: str) -> Optional[DocResult]:
    p = cache_path(out, sha, rules_key, code)
    if not p.exists():
        return None
    try:
        with p.open("rb") as fh:
            r = pickle.load(fh)
        return r if isinstance(r, DocResult) else None
    except Exception:   # a corrupt cache entry is just a miss
        return None


def save_cached(out: Path, sha: str, rules_key: str, code: str, result: DocResult) -> None:
    if result.doc.status != "ok":
        return
    p = cache_path(out, sha, rules_key, code)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(p)
