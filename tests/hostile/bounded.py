"""Run one file as a run does (a worker process under the document's time and memory budgets,
`pipeline.workers`) in a child process that is killed at a deadline.

    python tests/hostile/bounded.py FILE CORPUS OUT [SETTING=VALUE ...]

prints one JSON line summarising the DocResult (status, error, sizes, the longest CSV cell...).
`run_bounded` is what the tests call: the deadline bounds the test's time whatever the code under
test does (a hang, a quadratic scan), so no test waits on a hostile input forever; a case that
misses its deadline comes back as {"status": "killed"}. The child runs the real function with the
real spaCy pipeline; nothing is mocked.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXCEL_CELL_MAX = 32_767


def summarise(result) -> dict:
    from pipeline.model import mention_to_row
    from pipeline.outputs import document_row, entity_rows

    d = result.doc
    rows = [document_row(result)] + entity_rows(result) + [mention_to_row(m) for m in result.mentions]
    longest = max((len(str(v)) for r in rows for v in r.values()), default=0)
    kinds: dict[str, int] = {}
    for m in result.mentions:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
    return {"status": d.status, "error": d.error, "source_file": d.source_file, "n_pages": d.n_pages,
            "text_len": len(d.text), "n_sentences": len(result.sentences), "mentions": kinds,
            "cid": d.text.count("(cid:"), "nul": d.text.count("\x00"), "longest_cell": longest,
            "covered": sum(s.char_end - s.char_start for s in result.sentences),
            "endpoint_values": sorted({f"{m.endpoint} {m.value}" for m in result.mentions if m.kind == "endpoint"})}


def _child(argv: list[str]) -> int:
    from pipeline.config import Settings, rules_hash
    from pipeline.workers import open_pool, run_budgeted

    path, corpus, out, *pairs = argv
    settings = Settings.resolve(corpus=corpus, out=out, **dict(p.split("=", 1) for p in pairs))
    key = rules_hash(settings.rules_dir)
    with open_pool(settings, key):      # the run's own mechanism: a worker process under the budgets
        result = run_budgeted(path, settings, key)
    print(json.dumps(summarise(result)))
    return 0


def run_bounded(path: Path, corpus: Path, out: Path, deadline: float, **settings) -> dict:
    """The child's summary, {"status": "killed"} past the deadline (the child and its own children
    are killed), or {"status": "crashed", "stderr": ...} when process_file raised."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, str(Path(__file__).resolve()), os.fsencode(path), str(corpus), str(out),
           *(f"{k}={v}" for k, v in settings.items())]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=deadline)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"status": "killed", "deadline": deadline}
    lines = stdout.decode("utf-8", "replace").strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"status": "crashed", "returncode": proc.returncode, "stderr": stderr.decode("utf-8", "replace")[-2000:]}
    out_ = json.loads(lines[-1])
    out_["stderr"] = stderr.decode("utf-8", "replace")
    return out_


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(_child(sys.argv[1:]))
