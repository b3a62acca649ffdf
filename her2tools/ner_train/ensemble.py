"""Majority-vote ensembles of trained NER runs: choosing the members on devel (the vote itself
and its pipeline are in pipeline.ner_vote).

`member_predictions` tags the splits with a run's model-best, loaded once; `vote_grid` scores every
subset of at least two members and every vote threshold on devel and test from those cached
predictions (cheap: no model runs again). The ensemble is chosen on devel only; the test
figures of the grid are reported beside it, never used to choose.
"""
from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Sequence

import spacy
from spacy.tokens import Doc, Span
from spacy.training import Example

from her2tools.ner_train.evaluate import docs_of, span_prf
from pipeline.ner_vote import SpanKey, doc_spans, vote_spans

Predictions = list[list[SpanKey]]


def member_predictions(model_dir: Path, texts: dict[str, list[str]], batch_size: int = 64) -> dict[str, Predictions]:
    """Entity spans (token offsets) a trained pipeline, loaded once, predicts for the texts of
    each split ({split: texts})."""
    nlp = spacy.load(model_dir)
    return {split: [doc_spans(d) for d in nlp.pipe(split_texts, batch_size=batch_size)]
            for split, split_texts in texts.items()}


def score_predictions(refs: Sequence[Doc], preds: Sequence[Sequence[SpanKey]]) -> dict:
    """Entity P/R/F1 (spaCy's span scorer, as in evaluate_model) of predicted spans against refs."""
    examples = []
    for ref, spans in zip(refs, preds):
        pred = Doc(ref.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref])
        pred.ents = [Span(pred, s, e, label=lab) for s, e, lab in spans]
        examples.append(Example(pred, ref))
    return span_prf(examples)


def vote_grid(refs: dict[str, Sequence[Doc]], preds: dict[str, dict[str, Predictions]],
              min_members: int = 2) -> list[dict]:
    """For every subset of the runs in `preds` ({run: {split: predictions}}, in preference
    order) and every threshold 1..len(subset): P/R/F1 of the vote on each split of `refs`."""
    runs = list(preds)
    rows = []
    for n in range(min_members, len(runs) + 1):
        for members in combinations(runs, n):
            for k in range(1, n + 1):
                row = {"members": list(members), "min_votes": k}
                for split, split_refs in refs.items():
                    voted = [vote_spans([preds[m][split][i] for m in members], k) for i in range(len(split_refs))]
                    row[split] = score_predictions(split_refs, voted)
                rows.append(row)
    return rows


def grid_of_runs(run_dirs: dict[str, Path], splits: dict[str, Path]) -> dict:
    """Tag each split ({name: DocBin path}) once with each run ({name: model dir}, in preference
    order); each run's own scores and the scores of every vote over them."""
    blank = spacy.blank("en")
    refs = {s: docs_of(path, blank) for s, path in splits.items()}
    texts = {s: [r.text for r in split_refs] for s, split_refs in refs.items()}
    preds = {run: member_predictions(model, texts) for run, model in run_dirs.items()}
    alone = {run: {s: score_predictions(refs[s], preds[run][s]) for s in splits} for run in run_dirs}
    return {"members_alone": alone, "rows": vote_grid(refs, preds)}


def best_on(rows: list[dict], split: str = "devel", max_members: int = 0) -> dict:
    """The grid row with the highest F1 on `split` among votes of at most `max_members`
    members (0: any; each member costs its own inference time), ties: fewer members, then
    lower threshold."""
    allowed = [r for r in rows if not max_members or len(r["members"]) <= max_members]
    return max(allowed, key=lambda r: (r[split]["f"], -len(r["members"]), -r["min_votes"]))
