"""ner/metrics.json: one entry per corpus, updated in place (several training
processes may write it; a lock file serializes the read-modify-write)."""
from __future__ import annotations

import fcntl
import hashlib
import tempfile
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from her2tools.ner_train import METRICS_FILE


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    # the lock lives outside the work tree (nothing to commit or ignore)
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    lock = Path(tempfile.gettempdir()) / f"her2-ner-metrics-{digest}.lock"
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_metrics(path: Path = METRICS_FILE) -> dict:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def update_metrics(corpus: str, values: dict[str, Any], path: Path = METRICS_FILE, section: str | None = None) -> dict:
    """Merge `values` into metrics[corpus] (or metrics[corpus][section])."""
    with _locked(path):
        data = read_metrics(path)
        entry = data.setdefault(corpus, {})
        target = entry.setdefault(section, {}) if section else entry
        for k, v in values.items():
            if isinstance(v, dict) and isinstance(target.get(k), dict):
                target[k] = {**target[k], **v}     # one level deep: a run's train and evaluate figures
            else:
                target[k] = v
        path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return data
