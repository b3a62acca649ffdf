"""Settings, resolved once (like pdfplumber's TableSettings.resolve()).

Every knob has an embedded default, may be overridden by an environment
variable (HER2_<NAME>) and then by explicit keyword arguments (the CLI).
Stages receive a resolved, frozen Settings and never read the environment.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.errors import Errors, PipelineError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES_DIR = PROJECT_ROOT / "rules"


@dataclass(frozen=True)
class Settings:
    corpus: Path = PROJECT_ROOT / "corpus"
    out: Path = PROJECT_ROOT / "extracted"
    rules_dir: Path = DEFAULT_RULES_DIR
    store_url: str = ""                 # blank -> sqlite:///<out>/.store/runs.sqlite
    ner_model: str = ""                 # spaCy package name or path; blank -> lexicon rules only
    batch_size: int = 64                # paragraphs per nlp.pipe batch
    doc_timeout: float = 300.0          # seconds of a document's own processing before it is stopped and failed (E006)
    doc_memory_mb: float = 4096.0       # memory (RSS, MB) of a document's worker process before it is stopped (E210)
    workers: int = 0                    # worker processes for documents; 0 -> the cores this process may use
    dask: str = ""                      # documents on a Dask cluster: "local[:N]" or a scheduler "tcp://host:8786"
    prefect_startup_timeout: int = 180  # seconds to wait for Prefect's temporary API server to start
    prefect_server: str = "shared"      # no PREFECT_API_URL: "shared" keeps the server for the next runs, "temporary" stops it with the run
    prefect_server_idle: float = 900.0  # seconds without a run after which a kept server exits by itself
    pdf_table_strategy: str = "auto"    # "lines", "text" or "auto" (lines, then text)
    max_abbrev_doc_chars: int = 2_000_000
    model_drugs: bool = False           # the NER model's chemical entities count as drugs for attribution (experiment)
    max_shrink: float = 0.5             # a run removing more than this share of the last complete run's facts ...
    allow_shrink: bool = False          # ... is refused (E307) unless this is set (run --allow-shrink)

    @classmethod
    def resolve(cls, **overrides: Any) -> "Settings":
        values: dict[str, Any] = {}
        for f in fields(cls):
            env = os.environ.get(f"HER2_{f.name.upper()}")
            if env is not None and env != "":
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise PipelineError(Errors.E202.format(reason=f"unknown setting(s) {sorted(unknown)}"))
        s = cls()
        coerced: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in values:
                continue
            default = getattr(s, f.name)
            v = values[f.name]
            try:
                if isinstance(default, Path):
                    coerced[f.name] = Path(v).expanduser().resolve()
                elif isinstance(default, bool):
                    coerced[f.name] = str(v).lower() in ("1", "true", "yes")
                elif isinstance(default, int):
                    coerced[f.name] = int(v)
                elif isinstance(default, float):
                    coerced[f.name] = float(v)
                else:
                    coerced[f.name] = str(v)
            except ValueError as exc:
                raise PipelineError(Errors.E202.format(reason=f"{f.name}={v!r}: {exc}")) from None
        s = replace(s, **coerced)
        if not s.store_url:
            s = replace(s, store_url=f"sqlite:///{s.out / '.store' / 'runs.sqlite'}")
        return s


def extraction_key(settings: "Settings") -> str:
    """The settings that change what a document's extraction yields (the NER model and whether its
    chemicals count as drugs): part of the per-document cache key, empty for the defaults."""
    if not settings.ner_model and not settings.model_drugs:
        return ""
    return "-" + hashlib.sha256(f"{settings.ner_model}|{settings.model_drugs}".encode()).hexdigest()[:8]


def rules_hash(rules_dir: Path) -> str:
    """Hash of every rule file's name and bytes: results depend on it."""
    h = hashlib.sha256()
    for p in sorted(Path(rules_dir).glob("*.yaml")):
        if p.name == "curation.yaml":   # curation applies after extraction
            continue
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def code_version() -> str:
    """Pipeline version plus a hash of the package's source, so a code change
    invalidates cached per-document results."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*.py")):
        h.update(str(p.relative_to(pkg)).encode())
        h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"
