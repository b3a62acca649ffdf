"""Functions the training config refers to by name. Imported before training;
not needed to *load* a trained model (spaCy resolves only [nlp] and
[components] at load time, and the saved tokenizer carries scispaCy's rules)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import IO, Callable, Optional

import spacy
from spacy.language import Language


class TimeBudgetReached(Exception):
    """Raised by the training logger at the first evaluation past the budget.
    spaCy's training loop has already saved model-best; it then saves model-last."""


@spacy.registry.callbacks("her2.replace_tokenizer.v1")
def replace_tokenizer() -> Callable[[Language], Language]:
    def replace(nlp: Language) -> Language:
        from scispacy.custom_tokenizer import combined_rule_tokenizer

        nlp.tokenizer = combined_rule_tokenizer(nlp)
        return nlp

    return replace


@spacy.registry.loggers("her2.BudgetLogger.v1")
def budget_logger(max_seconds: float = 0, log_path: Optional[str] = None):
    console = spacy.registry.loggers.get("spacy.ConsoleLogger.v3")(progress_bar=None)

    def setup(nlp: Language, stdout: IO = sys.stdout, stderr: IO = sys.stderr):
        log_step, finalize = console(nlp, stdout, stderr)
        t0 = time.monotonic()
        fh = None
        if log_path:
            Path(log_path).parent.mkdir(parents=True, exist_ok=True)
            fh = open(log_path, "w", encoding="utf-8")

        def step(info):
            log_step(info)
            if info is None:
                return
            elapsed = time.monotonic() - t0
            if fh is not None:
                other = info.get("other_scores", {})
                fh.write(json.dumps({
                    "step": info["step"], "epoch": info["epoch"], "seconds": round(elapsed, 1),
                    "words": info.get("words"), "dev_ents_f": other.get("ents_f"),
                    "dev_ents_p": other.get("ents_p"), "dev_ents_r": other.get("ents_r"),
                    "score": info.get("score"), "losses": info.get("losses"),
                }) + "\n")
                fh.flush()
            if max_seconds and elapsed >= max_seconds:
                raise TimeBudgetReached(f"time budget of {max_seconds:g} s reached at step {info['step']}")

        def finish():
            finalize()
            if fh is not None:
                fh.close()

        return step, finish

    return setup
