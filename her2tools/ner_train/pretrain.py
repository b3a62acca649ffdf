"""`spacy pretrain` of the tok2vec on the unlabelled text of the corpora
(train + devel sentences only: the test text is never seen), to stand in for the
pretrained vectors scispaCy had. The weights initialise training via
paths.init_tok2vec; the tok2vec settings must match the training run's."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from spacy.tokens import DocBin

from her2tools.ner_train.train import DEFAULT_CONFIG


def write_raw_text(data_dirs: Iterable[Path], out_path: Path) -> int:
    """train+devel sentence texts of every data dir -> JSONL {"text": ...}; returns the word count."""
    import spacy

    vocab = spacy.blank("en").vocab
    words = 0
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8") as fh:
        for d in data_dirs:
            for split in ("train", "devel"):
                for doc in DocBin().from_disk(d / f"{split}.spacy").get_docs(vocab):
                    fh.write(json.dumps({"text": doc.text}) + "\n")
                    words += len(doc)
    return words


def pretrain_tok2vec(raw_text: Path, out_dir: Path, *, config_path: Path = DEFAULT_CONFIG,
                     max_epochs: int = 20, overrides: Optional[Mapping[str, Any]] = None) -> dict:
    from spacy.training.pretrain import pretrain
    from spacy.util import load_config

    import her2tools.ner_train.registry  # noqa: F401

    ov = {"paths.raw_text": str(raw_text), "pretraining.max_epochs": int(max_epochs)}
    ov.update({k: v for k, v in (overrides or {}).items() if k.startswith(("components.tok2vec", "pretraining"))})
    config = load_config(config_path, overrides=ov, interpolate=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    pretrain(config, out_dir, use_gpu=-1, silent=False)
    weights = sorted(out_dir.glob("model*.bin"), key=lambda p: p.stat().st_mtime)
    return {"seconds": round(time.monotonic() - t0, 1), "epochs": max_epochs,
            "weights": str(weights[-1]) if weights else None}
