"""After the per-document work: write outputs, reconcile, store, export, report.
Plain functions; the Prefect flow calls `finish_run`."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Sequence

from pipeline.config import Settings
from pipeline.model import DocResult
from pipeline.outputs import write_document_outputs

log = logging.getLogger("pipeline.run")


def finish_run(settings: Settings, results: Sequence[DocResult], reused: set[str], rules_key: str, code: str) -> dict:
    written = write_document_outputs(settings.out, results)
    failed = [r.doc for r in results if r.doc.status != "ok"]
    return {
        "run_id": "",
        "n_documents": len(results),
        "n_failed": len(failed),
        "n_reused": len(reused),
        "n_mentions": sum(len(r.mentions) for r in results),
        "failures": [d.error for d in failed],
        "outputs": [str(p) for p in written],
    }
