"""The design holds: data flows one way (no stage imports a later one), Prefect is imported by
pipeline/flows.py only, pdfplumber by pipeline/ingest/pdf.py only, spaCy/scispaCy by the NLP stage
(and the separate NER training tool) only. Checked on every import statement, lazy ones included."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PKG = ROOT / "pipeline"

# stage rank: a module may import modules of its own rank or lower
RANK = {
    "errors": 0, "model": 0, "config": 0, "rules": 0, "outputs": 0,
    "ingest": 1, "lifecycle": 1,
    "nlp": 2,
    "extract": 3,
    "process": 4, "workers": 4, "candidates": 4, "evaluate": 4,
    "reconcile": 5,
    "store": 6,
    "export": 7, "diff": 7,
    "curation": 8, "report": 8,
    "run": 9,
    "flows": 10,
    "cli": 11, "__main__": 11,
    "ner_train": 2,
}
ONLY = {"prefect": {"flows"}, "pdfplumber": {"ingest"}, "spacy": {"nlp", "ner_train"}, "scispacy": {"nlp", "ner_train"}}


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
