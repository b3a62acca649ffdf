"""Entity-level P/R/F1 with spaCy's scorer (overall and per label)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, DocBin
from spacy.training import Example


def docs_of(docbin_path: Path, nlp: Language) -> list[Doc]:
    """The documents of a DocBin file, on the pipeline's vocab."""
    return list(DocBin().from_disk(docbin_path).get_docs(nlp.vocab))


def prf(scores: dict) -> dict:
    """spaCy's ents_p/ents_r/ents_f as percentages rounded to 2 places ({"p", "r", "f"})."""
    return {k[-1]: round(100 * (scores[k] or 0), 2) for k in ("ents_p", "ents_r", "ents_f")}


def span_prf(examples: Iterable[Example]) -> dict:
    """Entity P/R/F1 of predicted vs reference docs with spaCy's span scorer."""
    return prf(Scorer.score_spans(examples, "ents"))


def evaluate_model(model_path: Path | str, docbin_path: Path, batch_size: int = 256) -> dict:
    nlp = spacy.load(model_path)
    refs = docs_of(docbin_path, nlp)
    examples = [Example(nlp.make_doc(ref.text), ref) for ref in refs]
    same_tokens = sum(
        1 for ex in examples if [t.text for t in ex.predicted] == [t.text for t in ex.reference]
    )
    scores = nlp.evaluate(examples, batch_size=batch_size)
    per_type = {
        label: {k: round(100 * v, 2) for k, v in s.items()}
        for label, s in sorted((scores.get("ents_per_type") or {}).items())
    }
    gold = {}
    for ref in refs:
        for ent in ref.ents:
            gold[ent.label_] = gold.get(ent.label_, 0) + 1
    for label, n in gold.items():
        per_type.setdefault(label, {"p": 0.0, "r": 0.0, "f": 0.0})["support"] = n
    return {
        **prf(scores),
        "per_label": per_type,
        "sentences": len(refs),
        "gold_entities": sum(gold.values()),
        "tokenization_identical": same_tokens == len(examples),
    }
