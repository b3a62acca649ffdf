"""Majority-vote ensembles of trained NER runs: choosing the members on devel, building the
ensemble pipeline (pipeline.ner_train.vote), nothing else.

`member_predictions` tags a split once with each run's model-best; `vote_grid` scores every
subset of at least two members and every vote threshold on devel and test from those cached
predictions (cheap: no model runs again). The ensemble is chosen on devel only; the test
figures of the grid are reported beside it, never used to choose.
"""
from __future__ import annotations

from itertools import combinations
from pathlib import Path
from typing import Sequence

import spacy
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from pipeline.ner_train.evaluate import docs_of
from pipeline.ner_train.vote import SpanKey, doc_spans, vote_spans

Predictions = list[list[SpanKey]]


def member_predictions(model_dir: Path, docbin_path: Path, batch_size: int = 64) -> Predictions:
    """Entity spans (token offsets) predicted by a trained pipeline for each doc of a split."""
    nlp = spacy.load(model_dir)
    refs = docs_of(docbin_path, nlp)
    return [doc_spans(d) for d in nlp.pipe((r.text for r in refs), batch_size=batch_size)]


def score_predictions(refs: Sequence[Doc], preds: Sequence[Sequence[SpanKey]]) -> dict:
    """Entity P/R/F1 (spaCy's span scorer, as in evaluate_model) of predicted spans against refs."""
    examples = []
    for ref, spans in zip(refs, preds):
        pred = Doc(ref.vocab, words=[t.text for t in ref], spaces=[bool(t.whitespace_) for t in ref])
        pred.ents = [Span(pred, s, e, label=lab) for s, e, lab in spans]
        examples.append(Example(pred, ref))
    s = Scorer.score_spans(examples, "ents")
    return {k[-1]: round(100 * (s[k] or 0), 2) for k in ("ents_p", "ents_r", "ents_f")}


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
    preds = {run: {s: member_predictions(model, path) for s, path in splits.items()}
             for run, model in run_dirs.items()}
    alone = {run: {s: score_predictions(refs[s], preds[run][s]) for s in splits} for run in run_dirs}
    return {"members_alone": alone, "rows": vote_grid(refs, preds)}


def best_on(rows: list[dict], split: str = "devel", max_members: int = 0) -> dict:
    """The grid row with the highest F1 on `split` among votes of at most `max_members`
    members (0: any; each member costs its own inference time), ties: fewer members, then
    lower threshold."""
    allowed = [r for r in rows if not max_members or len(r["members"]) <= max_members]
    return max(allowed, key=lambda r: (r[split]["f"], -len(r["members"]), -r["min_votes"]))
