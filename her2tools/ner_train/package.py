"""Package a trained pipeline like a scispaCy model: `spacy package` to a
pip-installable wheel (installed as en_<name>), plus an unpacked copy under
models/ that `spacy.load(path)` reads."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from spacy.util import load_meta


def package_model(model_dir: Path, packages_dir: Path, models_dir: Path, name: str, version: str,
                  description: str = "", license: str = "", code_paths: Sequence[Path] = ()) -> dict:
    from spacy.cli.package import package

    meta_path = packages_dir / f"{name}-meta.json"
    # the saved meta.json (spacy package loads the pipeline itself to complete it; no second load here)
    meta = load_meta(model_dir / "meta.json")
    meta.update({
        "name": name, "version": version,
        "description": description or meta.get("description", ""),
        "author": "her2-pipeline", "license": license or meta.get("license") or "see ner/README.md",
    })
    packages_dir.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    # code_paths: modules of custom components (spaCy copies them into the package and imports them)
    package(model_dir, packages_dir, meta_path=meta_path, code_paths=list(code_paths), create_sdist=False, create_wheel=False, force=True)
    pkg_dir = packages_dir / f"{meta['lang']}_{name}-{version}"
    models_dir.mkdir(parents=True, exist_ok=True)
    # a wheel, built offline with the setuptools already in the environment
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "-w", str(models_dir), str(pkg_dir)],
        check=True,
    )
    wheels = sorted(models_dir.glob(f"{meta['lang']}_{name}-{version}-*.whl"))
    # an unpacked, loadable copy: models/en_<name>/
    loadable = models_dir / f"{meta['lang']}_{name}"
    if loadable.exists():
        shutil.rmtree(loadable)
    # the model data inside the package (its meta.json carries the package name and version)
    shutil.copytree(pkg_dir / f"{meta['lang']}_{name}" / f"{meta['lang']}_{name}-{version}", loadable)
    return {
        "package": f"{meta['lang']}_{name}", "version": version,
        "wheel": str(wheels[-1].relative_to(models_dir.parent)) if wheels else None,
        "model_path": str(loadable.relative_to(models_dir.parent)),
    }
