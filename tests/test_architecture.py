"""The design holds: data flows one way (no stage imports a later one), Prefect is imported by
pipeline/flows.py only, pdfplumber by pipeline/ingest/pdf.py only, spaCy/scispaCy by the NLP stage
(and the majority-vote NER component the trained models load) only; the development tools
(NER training, evaluation) live outside the runtime package, in her2tools/. Checked on every import statement, lazy ones included."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PKG = ROOT / "pipeline"

# stage rank: a module may import modules of its own rank or lower
RANK = {
    "errors": 0, "model": 0, "config": 0, "rules": 0, "outputs": 0, "schema": 0, "lookup": 0,
    "ingest": 1, "lifecycle": 1, "prefect_api": 1,
    "nlp": 2,
    "extract": 3,
    "process": 4, "workers": 4, "candidates": 4, "cluster": 4,
    "reconcile": 5,
    "store": 6,
    "export": 7, "diff": 7,
    "curation": 8, "report": 8, "charts": 8,
    "run": 9,
    "flows": 10,
    "cli": 11, "__main__": 11,
    "ner_vote": 2,
}
ONLY = {"prefect": {"flows"}, "pdfplumber": {"ingest"}, "spacy": {"nlp", "ner_vote"}, "scispacy": {"nlp"}}


def _stage(module_path: Path) -> str:
    rel = module_path.relative_to(PKG).with_suffix("")
    return rel.parts[0]


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
            if node.module == "pipeline":
                out += [f"pipeline.{a.name}" for a in node.names]
    return out


def test_every_module_has_a_stage():
    stages = {_stage(p) for p in PKG.rglob("*.py") if p.name != "__init__.py" or p.parent != PKG}
    assert stages <= set(RANK), stages - set(RANK)


def test_no_stage_imports_a_later_one_and_libraries_stay_in_their_module():
    wrong = []
    for path in sorted(PKG.rglob("*.py")):
        if path.parent == PKG and path.name == "__init__.py":
            continue
        stage = _stage(path)
        for name in _imports(path):
            top = name.split(".")[0]
            if top in ONLY and stage not in ONLY[top]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
            if top == "pipeline" and "." in name:
                other = name.split(".")[1]
                if other in RANK and RANK[other] > RANK[stage]:
                    wrong.append(f"{path.relative_to(ROOT)} ({stage}) imports the later stage {name}")
    assert not wrong, "\n".join(wrong)


def test_development_tools_are_outside_the_runtime_package(tmp_path):
    """Training and evaluation tools live in her2tools/: editing them does not change the code
    hash (config.code_version) that keys cached per-document results; editing the runtime does."""
    import shutil
    import subprocess
    import sys

    assert not (PKG / "ner_train").exists() and not (PKG / "evaluate.py").exists()
    for name in ("pipeline", "her2tools"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))

    def version() -> str:
        return subprocess.run([sys.executable, "-c", "from pipeline.config import code_version; print(code_version())"],
                              cwd=tmp_path, capture_output=True, text=True, check=True,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)}).stdout.strip()

    before = version()
    with (tmp_path / "her2tools" / "evaluate.py").open("a") as fh:
        fh.write("\n# a new scorer option\n")
    with (tmp_path / "her2tools" / "ner_train" / "train.py").open("a") as fh:
        fh.write("\n# a new training option\n")
    assert version() == before
    with (tmp_path / "pipeline" / "rules.py").open("a") as fh:
        fh.write("\n# a runtime change\n")
    assert version() != before


def test_no_test_is_shadowed_by_a_later_one_of_the_same_name():
    # a second `def test_x` in one module replaces the first, which then never runs (two did, found by a linter)
    twice = {}
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        names = [n.name for n in ast.parse(path.read_text(encoding="utf-8")).body
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            twice[path.name] = dup
    assert twice == {}
