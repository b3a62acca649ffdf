"""Config-driven training (spaCy's own `spacy train` machinery) with a wall-clock budget."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, Mapping, Optional

from her2tools.ner_train import CONFIG_DIR, default_transformer_path, uses_transformer
from her2tools.ner_train.registry import TimeBudgetReached

DEFAULT_CONFIG = CONFIG_DIR / "ner.cfg"


def _coerce(value: str) -> Any:
    """--set values as spaCy's CLI parses them (JSON where possible)."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in pairs:
        key, sep, value = p.partition("=")
        if not sep:
            raise ValueError(f"--set expects section.key=value, got {p!r}")
        out[key.strip()] = _coerce(value.strip())
    return out


def read_curve(log_path: Path) -> list[dict]:
    if not log_path.exists():
        return []
    return [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]


def merge_splits(data_dir: Path, splits, out: Path) -> Path:
    from spacy.tokens import DocBin

    merged = DocBin(store_user_data=False)
    for split in splits:
        merged.merge(DocBin().from_disk(data_dir / f"{split}.spacy"))
    out.parent.mkdir(parents=True, exist_ok=True)
    merged.to_disk(out)
    return out


def resume_config(config_path: Path, model_dir: Path, out: Path) -> Path:
    """The training config with every pipeline component sourced from a trained model
    (spaCy resumes training sourced components instead of initializing them): a second
    training cycle, with its own learning-rate schedule, from where a run stopped."""
    from spacy.util import load_config

    cfg = load_config(config_path)
    for name in cfg["nlp"]["pipeline"]:
        cfg["components"][name] = {"source": str(Path(model_dir).resolve())}
    out.parent.mkdir(parents=True, exist_ok=True)
    cfg.to_disk(out)
    return out


def train_model(
    data_dir: Path,
    output_dir: Path,
    *,
    config_path: Path = DEFAULT_CONFIG,
    max_seconds: float = 0,
    max_steps: Optional[int] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    clean: bool = True,
    resume_from: Optional[Path] = None,
    train_splits: tuple[str, ...] = ("train",),
) -> dict:
    """Train on data_dir/train.spacy, select on data_dir/devel.spacy, save
    output_dir/model-best and model-last. Returns a summary with the learning curve."""
    from spacy.cli.train import train as spacy_train

    import her2tools.ner_train.registry  # noqa: F401  (registers the config's functions)

    if resume_from is not None and Path(output_dir).resolve() in Path(resume_from).resolve().parents:
        raise ValueError(f"--resume-from {resume_from} lies inside the output directory {output_dir}")
    if clean and output_dir.exists():
        shutil.rmtree(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    log_path = output_dir / "training_log.jsonl"
    train_path = data_dir / "train.spacy"
    if tuple(train_splits) != ("train",):
        # e.g. train+devel for a final model: the devel scores logged during training are then
        # not held out (use a fixed --max-steps chosen on a train-only run, and model-last)
        train_path = merge_splits(data_dir, train_splits, output_dir / f"{'+'.join(train_splits)}.spacy")
    ov: dict[str, Any] = {
        "paths.train": str(train_path),
        "paths.dev": str(data_dir / "devel.spacy"),
        "vars.max_seconds": float(max_seconds or 0),
        "vars.log_path": str(log_path),
    }
    if max_steps is not None:
        ov["training.max_steps"] = int(max_steps)
    ov.update(overrides or {})
    if uses_transformer(config_path) and not ov.get("paths.transformer"):
        ov["paths.transformer"] = str(default_transformer_path())
    train_config = Path(config_path)
    if resume_from is not None:
        train_config = resume_config(config_path, Path(resume_from), output_dir / "config-resume.cfg")
    t0 = time.monotonic()
    stopped_by = "max_steps/patience"
    try:
        spacy_train(train_config, output_dir, use_gpu=-1, overrides=ov)
    except TimeBudgetReached:
        stopped_by = "time budget"
    seconds = time.monotonic() - t0
    curve = read_curve(log_path)
    if stopped_by != "time budget" and curve:
        from spacy.util import load_config

        saved = output_dir / "model-last" / "config.cfg"
        limit = load_config(saved)["training"]["max_steps"] if saved.exists() else None
        stopped_by = "max_steps" if limit and curve[-1]["step"] >= limit else "patience"
    best = max(curve, key=lambda r: r["score"] or 0.0) if curve else {}
    return {
        "config": str(Path(config_path).resolve().relative_to(Path(config_path).resolve().parents[2]))
        if "ner/configs" in str(Path(config_path).resolve()) else str(config_path),
        "overrides": {k: v for k, v in ov.items() if not k.startswith(("paths.", "vars.log_path"))},
        "transformer": Path(ov["paths.transformer"]).parent.name if ov.get("paths.transformer") else None,
        "resumed_from": str(resume_from) if resume_from is not None else None,
        "train_splits": list(train_splits),
        "seconds": round(seconds, 1),
        "stopped_by": stopped_by,
        "steps": curve[-1]["step"] if curve else 0,
        "epochs": curve[-1]["epoch"] if curve else 0,
        "best_step": best.get("step"),
        "best_dev_ents_f": round(100 * best["dev_ents_f"], 2) if best.get("dev_ents_f") is not None else None,
        "curve": [{"step": r["step"], "epoch": r["epoch"], "seconds": r["seconds"],
                   "dev_ents_f": round(100 * (r["dev_ents_f"] or 0), 2)} for r in curve],
    }
