"""entities_to_candidates: model entities that no lexicon knows, on realistic sentences,
with the project's real lexicons (rules/*.yaml) as the known terms."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.candidates import CANDIDATE_COLUMNS, entities_to_candidates
from pipeline.model import EntitySpan
from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


def _ents(sentence: str, *mentions: tuple[str, str], source: str = "model", offset: int = 0):
    """(EntitySpan, sentence) pairs for each (text, label), located in the sentence."""
    out = []
    for text, label in mentions:
        i = sentence.index(text)
        out.append((EntitySpan(offset + i, offset + i + len(text), text, label, text.lower(), source), sentence))
    return out


@pytest.fixture(scope="module")
def known_terms() -> set[str]:
    rules = load_rules(ROOT / "rules")
    terms = {form.lower() for rf in rules.lexicons() for e in rf.entries for form in e.forms()}
    assert "trastuzumab" in terms and "zw25" in terms   # the real lexicons, not an empty set
    return terms


S1 = "Zanidatamab (ZW25) plus chemotherapy was compared with trastuzumab, and the novel HER2 TKI BI-4142 showed activity."
S2 = "In HER2-mutant NSCLC, BI-4142 and zongertinib (BI 1810631) were tested against T-DXd and the ADC DB-1303 in patients with ERBB2 exon 20 insertions."
S3 = "Disitamab vedotin (RC48) and the bispecific JSKN003 were active in gastric cancer; JSKN003 was given every 3 weeks."
S4 = "Bi-4142 was well tolerated."


def test_unknown_model_entities_become_sorted_candidates(known_terms):
    by_doc = {
        "002_a0f38ae1b1a028d1.txt": _ents(S1, ("Zanidatamab", "CHEMICAL"), ("ZW25", "CHEMICAL"),
                                          ("trastuzumab", "CHEMICAL"), ("BI-4142", "CHEMICAL"))
        + _ents(S3, ("Disitamab vedotin", "CHEMICAL"), ("RC48", "CHEMICAL"), ("JSKN003", "CHEMICAL"))
        + [(EntitySpan(S3.rindex("JSKN003"), S3.rindex("JSKN003") + 7, "JSKN003", "GENE_OR_GENE_PRODUCT", "jsknoo3", "model"), S3)],
        "000_295cffc29131faf6.txt": _ents(S2, ("BI-4142", "CHEMICAL"), ("zongertinib", "CHEMICAL"),
                                          ("BI 1810631", "CHEMICAL"), ("T-DXd", "CHEMICAL"), ("DB-1303", "CHEMICAL"),
                                          ("ERBB2", "GENE_OR_GENE_PRODUCT"), ("20", "CHEMICAL"))
        # the lexicon already tagged it: not a model entity, never a candidate
        + _ents(S2, ("NSCLC", "CANCER"), source="lexicon"),
        "004_bee61af27c55501b.txt": _ents(S4, ("Bi-4142", "CHEMICAL")),
    }
    rows = entities_to_candidates(by_doc, known_terms)
    texts = [r["text"] for r in rows]
    for r in rows:
        assert tuple(r) == CANDIDATE_COLUMNS
    # known drugs / genes / synonyms (any case, any hyphenation) are dropped
    for known in ("Zanidatamab", "ZW25", "trastuzumab", "T-DXd", "Disitamab vedotin", "RC48", "ERBB2",
                  "zongertinib", "BI 1810631"):
        assert known not in texts, known
    assert "NSCLC" not in texts          # lexicon-sourced
    assert "20" not in texts             # a bare number is no term
    # BI-4142: 3 mentions in 3 documents (case variants grouped, majority surface form kept)
    assert rows[0]["text"] == "BI-4142"
    assert rows[0]["count"] == 3
    assert rows[0]["documents"] == "000_295cffc29131faf6.txt; 002_a0f38ae1b1a028d1.txt; 004_bee61af27c55501b.txt"
    assert rows[0]["label"] == "CHEMICAL"
    assert rows[0]["example_sentence"] == S2    # first by source-file order
    # JSKN003: twice, labels tie -> alphabetical, deterministic
    kn = next(r for r in rows if r["text"] == "JSKN003")
    assert kn["count"] == 2 and kn["label"] == "CHEMICAL"
    assert kn["documents"] == "002_a0f38ae1b1a028d1.txt"
    # then count desc, text asc
    assert texts == ["BI-4142", "JSKN003", "DB-1303"]


def test_empty_and_all_known(known_terms):
    assert entities_to_candidates({}, known_terms) == []
    only_known = {"a.txt": _ents(S1, ("Zanidatamab", "CHEMICAL"), ("trastuzumab", "CHEMICAL"))}
    assert entities_to_candidates(only_known, known_terms) == []
    # with no lexicon at all, every model entity is a candidate
    rows = entities_to_candidates(only_known, set())
    assert [r["text"] for r in rows] == ["trastuzumab", "Zanidatamab"]   # count tie -> text, case-insensitive


def test_candidates_from_pipeline_results():
    """DocResults of the NLP stage -> candidate rows, each with the sentence its mention is in."""
    from pipeline.candidates import candidates_from_results
    from pipeline.model import DocResult, Document, Sentence

    text = S1 + " " + S4
    s2 = len(S1) + 1
    sents = (Sentence(0, 0, len(S1), 1, "", ""), Sentence(1, s2, len(text), 1, "", ""))
    ents = tuple(e for e, _ in _ents(S1, ("trastuzumab", "CHEMICAL"), ("BI-4142", "CHEMICAL"))) \
        + tuple(e for e, _ in _ents(S4, ("Bi-4142", "CHEMICAL"), offset=s2)) \
        + tuple(e for e, _ in _ents(S1, ("HER2", "GENE"), source="lexicon"))
    ok = DocResult(Document("d1", "a.txt", "text", text), sents, ents)
    failed = DocResult(Document("d2", "b.txt", "text", status="failed"))
    rows = candidates_from_results([failed, ok], load_rules(ROOT / "rules"))
    assert [(r["text"], r["count"], r["documents"]) for r in rows] == [("BI-4142", 2, "a.txt")]
    assert rows[0]["example_sentence"] == S1


def test_run_with_a_configured_model_writes_model_entities_and_candidates(tmp_path):
    """The whole run with a spaCy model saved to a path and named as the NER model: its entities
    are in entities.csv with source=model and the terms no lexicon knows are in candidates.csv."""
    import csv
    import random

    import spacy
    from prefect.testing.utilities import prefect_test_harness
    from spacy.training import Example

    from pipeline.flows import main_flow

    sentence = "Patients received XB-1234 and docetaxel weekly."
    nlp = spacy.blank("en")
    nlp.add_pipe("ner").add_label("CHEMICAL")
    examples = [Example.from_dict(nlp.make_doc(sentence), {"entities": [(18, 25, "CHEMICAL"), (30, 39, "CHEMICAL")]})]
    # the document's other paragraphs, as negative examples: without them the one-sentence model
    # may tag "HER2" in the title too, depending on its random initialisation
    examples += [Example.from_dict(nlp.make_doc(t), {"entities": []}) for t in ("A review of HER2 agents", "Introduction")]
    random.seed(0)
    spacy.util.fix_random_seed(0)
    opt = nlp.initialize(lambda: examples)
    for _ in range(40):
        nlp.update(examples, sgd=opt)
    model = tmp_path / "tiny_ner"
    nlp.to_disk(model)
    assert [(e.text, e.label_) for e in nlp(sentence).ents] == [("XB-1234", "CHEMICAL"), ("docetaxel", "CHEMICAL")]

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "review.txt").write_text("A review of HER2 agents\n\nIntroduction\n\n" + sentence + "\n", encoding="utf-8")
    out = tmp_path / "out"
    with prefect_test_harness(server_startup_timeout=120):
        main_flow(corpus=str(corpus), out=str(out), ner_model=str(model))
    with (out / "entities.csv").open(encoding="utf-8", newline="") as fh:
        model_ents = {(r["text"], r["label"]) for r in csv.DictReader(fh) if r["source"] == "model"}
    assert model_ents == {("XB-1234", "CHEMICAL"), ("docetaxel", "CHEMICAL")}
    with (out / "candidates.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CANDIDATE_COLUMNS)
    assert [(r["text"], r["label"], r["count"], r["documents"], r["example_sentence"]) for r in rows] == [
        ("XB-1234", "CHEMICAL", "1", "review.txt", sentence)]        # docetaxel is in rules/drugs.yaml


def test_reference_lists_and_initials_give_no_candidates():
    """Noise the trained BC5CDR model produced on the corpus: author names and initials in
    reference lists ("Li", "K"), which no curator wants as lexicon additions."""
    from pipeline.candidates import candidates_from_results
    from pipeline.model import DocResult, Document, Sentence

    ref = "12. Li K, Wang H. BI-4142 in HER2-mutant lung cancer. J Thorac Oncol 2024."
    text = S4 + " " + ref
    r0 = len(S4) + 1
    sents = (Sentence(0, 0, len(S4), 1, "Results", "body"), Sentence(1, r0, len(text), 1, "References", "references"))
    ents = tuple(e for e, _ in _ents(S4, ("Bi-4142", "CHEMICAL"))) \
        + tuple(e for e, _ in _ents(ref, ("Li", "CHEMICAL"), ("BI-4142", "CHEMICAL"), offset=r0))
    ok = DocResult(Document("d1", "a.txt", "text", text), sents, ents)
    rows = candidates_from_results([ok], load_rules(ROOT / "rules"))
    assert [(r["text"], r["count"], r["example_sentence"]) for r in rows] == [("Bi-4142", 1, S4)]


def test_model_entities_overlapping_lexicon_terms_are_known():
    from pipeline.candidates import candidates_from_results
    from pipeline.model import DocResult, Document, Sentence

    s = "Trastuzumab emtansine and the new conjugate XZ-7331 were compared in HER2-positive breast cancer."
    ents = tuple(e for e, _ in _ents(s, ("emtansine", "CHEMICAL"), ("XZ-7331", "CHEMICAL"),
                                     ("HER2-positive breast cancer", "DISEASE"))) \
        + tuple(e for e, _ in _ents(s, ("Trastuzumab emtansine", "DRUG"), ("breast cancer", "CANCER"),
                                    source="lexicon"))
    ok = DocResult(Document("d1", "a.txt", "text", s), (Sentence(0, 0, len(s), 1, "Results", "body"),), ents)
    rows = candidates_from_results([ok], load_rules(ROOT / "rules"))
    assert [r["text"] for r in rows] == ["XZ-7331"]
