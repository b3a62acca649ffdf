"""Ensembling a trained NER with a lexicon of its own training annotations.

`training_lexicon` counts, over the training split only, how often each entity string
(lower-cased token sequence) is annotated with a label and how often the same token
sequence occurs in the text at all; strings annotated at least `min_count` times and in at
least `min_precision` of their occurrences become phrase patterns. `lexicon_ruler` is spaCy's
own `entity_ruler` over those patterns with `overwrite_ents = false`: run after the NER, it only
adds entities where the model found none overlapping, so the model's decisions stand and the
lexicon adds recall for names the model missed. Thresholds are chosen on the devel split, never
the test split. It gained nothing (experiment E9), so no packaged model includes it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

from her2tools.ner_train.evaluate import docs_of, span_prf

RULER_NAME = "training_lexicon"


def training_lexicon(docs: list[Doc], min_count: int = 2, min_precision: float = 0.9,
                     max_tokens: int = 8) -> list[dict]:
    """Entity-ruler patterns ({"label", "pattern"}) from annotated docs (the train split)."""
    labelled: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for doc in docs:
        for ent in doc.ents:
            if len(ent) <= max_tokens:
                labelled[tuple(t.lower_ for t in ent)][ent.label_] += 1
    # occurrences of each candidate token sequence anywhere in the text, annotated or not
    occurrences: Counter = Counter()
    lengths = {len(k) for k in labelled}
    for doc in docs:
        words = [t.lower_ for t in doc]
        for n in lengths:
            for i in range(len(words) - n + 1):
                k = tuple(words[i:i + n])
                if k in labelled:
                    occurrences[k] += 1
    patterns = []
    for k, labels in sorted(labelled.items()):
        label, n = labels.most_common(1)[0]
        if n >= min_count and n / max(occurrences[k], 1) >= min_precision:
            patterns.append({"label": label, "pattern": " ".join(k)})
    return patterns


def lexicon_ruler(nlp: Language, patterns: list[dict]) -> EntityRuler:
    """spaCy's entity_ruler over `patterns` (lower-case phrase matching) that never overwrites
    the model's entities; call it on a doc the model has tagged. Phrase patterns are tokenized
    with the pipeline's (scispaCy's) tokenizer: the keys were built from that tokenization, so
    joining with spaces and re-tokenizing gives them back."""
    ruler = EntityRuler(nlp, name=RULER_NAME, phrase_matcher_attr="LOWER", overwrite_ents=False)
    ruler.add_patterns(patterns)
    return ruler


def ensemble_grid(model_dir: Path, data_dir: Path, split: str = "devel",
                  grid=((1, 0.5), (1, 0.9), (2, 0.5), (2, 0.8), (2, 0.9), (3, 0.9))) -> dict:
    """Entity P/R/F1 on `split` of the model alone and of model + training lexicon for each
    (min_count, min_precision): the experiment behind the README's lexicon-ensembling row."""
    import spacy
    from spacy.training import Example

    nlp = spacy.load(model_dir)
    train = docs_of(data_dir / "train.spacy", nlp)
    refs = docs_of(data_dir / f"{split}.spacy", nlp)
    preds = list(nlp.pipe((d.text for d in refs), batch_size=64))

    def score(docs) -> dict:
        return span_prf(Example(p, r) for p, r in zip(docs, refs))

    out = {"split": split, "model": str(model_dir), "model_alone": score(preds), "with_lexicon": []}
    for min_count, min_precision in grid:
        patterns = training_lexicon(train, min_count, min_precision)
        ruler = lexicon_ruler(nlp, patterns)
        out["with_lexicon"].append({"min_count": min_count, "min_precision": min_precision,
                                    "patterns": len(patterns), **score([ruler(p.copy()) for p in preds])})
    return out
