"""The NLP stage: scispaCy tokenizer, sentences, abbreviations a document defines,
lexicon entities with normalized names, and the optional NER model slot."""
from __future__ import annotations

import logging

import spacy

from conftest import annotate_text
from pipeline.nlp import annotate_document, get_pipelines, load_ner_model, Pipelines


def ents(ann, label=None):
    return [(e.text, e.normalized) for e in ann.entities if label is None or e.label == label]


def test_pipeline_components(pipes):
    names = pipes.nlp.pipe_names
    assert names == ["her2_sentencizer", "her2_abbreviations", "entity_ruler"]
    assert type(pipes.nlp.tokenizer).__name__ == "Tokenizer"
    # scispaCy's tokenizer keeps hyphenated drug codes whole
    assert "DS-8201a" in [t.text for t in pipes.nlp.tokenizer("DS-8201a showed an ORR of 55%.")]


def test_pipeline_is_built_once(settings, rules):
    assert get_pipelines(settings, rules) is get_pipelines(settings, rules)


def test_sentences_keep_document_offsets(annotated, corpus_docs):
    for name, ann in annotated.items():
        text = corpus_docs[name].text
        assert ann.sentences, name
        for s in ann.sentences:
            assert text[s.char_start:s.char_end].strip() == text[s.char_start:s.char_end]
    ann = annotated["000_295cffc29131faf6.txt"]
    text = ann.doc.text
    sents = [text[s.char_start:s.char_end] for s in ann.sentences]
    assert ("The results from a phase II trial, RC48-C005, demonstrated that RC48-ADC significantly improved objective "
            "remission rates and survival in patients with locally advanced or metastatic uroepithelial cancer "
            "(ORR 51.2%, mPFS 6.9 months, mOS 13.9 months) [41].") in sents
    # "vs." and "et al." do not end sentences
    assert any(s.startswith("The updated findings from the ALTERNATIVE Phase III trial") and s.endswith("[54].")
               for s in sents)


def test_drug_names_normalized(rules, pipes):
    ann = annotate_text("DS-8201a and Enhertu are trastuzumab deruxtecan; Kadcyla and ado-trastuzumab emtansine are T-DM1; "
                        "RC48-ADC is disitamab vedotin and ZW25 is zanidatamab, SYD985 trastuzumab duocarmazine.", rules, pipes)
    found = dict(ents(ann, "DRUG"))
    assert found["DS-8201a"] == found["Enhertu"] == "trastuzumab deruxtecan"
    assert found["Kadcyla"] == found["ado-trastuzumab emtansine"] == found["T-DM1"] == "trastuzumab emtansine"
    assert found["RC48-ADC"] == "disitamab vedotin" and found["ZW25"] == "zanidatamab"
    assert found["SYD985"] == "trastuzumab duocarmazine"


def test_abbreviation_defined_in_document_applies_everywhere(rules, pipes):
    text = ("Methods\n\nWe reviewed zongertinib-like agents and trastuzumab deruxtecan (TZD) in HER2-low disease.\n\n"
            "Results\n\nIn the second cohort, TZD achieved an objective response rate (ORR) of 52%. "
            "Later, TZD was compared with chemotherapy.")
    ann = annotate_text(text, rules, pipes)
    tzd = [e for e in ann.entities if e.text == "TZD"]
    assert len(tzd) == 3 and {e.normalized for e in tzd} == {"trastuzumab deruxtecan"}
    assert {e.source for e in tzd} >= {"abbreviation"}
    assert ("TZD", "trastuzumab deruxtecan") in {(a.short, a.long) for a in ann.abbreviations}
    assert ("ORR", "objective response rate") in {(a.short, a.long) for a in ann.abbreviations}


def test_abbreviations_list_section_is_read(annotated):
    abbrevs = {(a.short, a.long.lower()) for a in annotated["000_295cffc29131faf6.txt"].abbreviations}
    assert ("ORR", "objective remission rate") in abbrevs and ("TTP", "time to progression") in abbrevs
    assert ("MUC4", "membrane-associated glycoprotein mucin-4") in abbrevs


def test_corpus_entities_hold_provenance(annotated, corpus_docs):
    for name, ann in annotated.items():
        text = corpus_docs[name].text
        for e in ann.entities:
            assert text[e.char_start:e.char_end] == e.text, (name, e)


def test_missing_ner_model_is_one_log_line_and_the_pipeline_runs_on(caplog, settings, rules, corpus_docs):
    from dataclasses import replace

    with caplog.at_level(logging.INFO, logger="pipeline.nlp"):
        model = load_ner_model("en_ner_bc5cdr_md")
    assert model is None
    lines = [r.getMessage() for r in caplog.records if "E201" in r.getMessage()]
    assert len(lines) == 1 and "en_ner_bc5cdr_md" in lines[0] and "lexicon rules only" in lines[0]
    pipes = get_pipelines(replace(settings, ner_model="en_ner_bc5cdr_md"), rules)
    ann = annotate_document(corpus_docs["001_d9b16c41351ece26.txt"], pipes, rules)
    assert ann.entities and {e.source for e in ann.entities} <= {"lexicon", "abbreviation"}


def test_configured_ner_model_adds_model_entities(tmp_path, settings, rules, pipes, corpus_docs):
    """A spaCy pipeline saved to a path loads through the same slot as a package name."""
    import random

    from spacy.training import Example

    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    ner.add_label("CHEMICAL")
    train = [("Patients received cisplatin and docetaxel weekly.", [(18, 27, "CHEMICAL"), (32, 41, "CHEMICAL")]),
             ("Tucatinib was combined with capecitabine.", [(0, 9, "CHEMICAL"), (28, 40, "CHEMICAL")])]
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": e}) for t, e in train]
    random.seed(0)
    opt = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=opt)
    path = tmp_path / "tiny_ner"
    nlp.to_disk(path)
    model = load_ner_model(str(path))
    assert model is not None
    ann = annotate_document(corpus_docs["001_d9b16c41351ece26.txt"], Pipelines(pipes.nlp, model, str(path)), rules)
    text = ann.doc.text
    for e in ann.entities:
        assert text[e.char_start:e.char_end] == e.text
    assert all(e.label == "CHEMICAL" for e in ann.entities if e.source == "model")


def test_documents_annotated_from_several_threads_match_sequential_results(corpus_docs, pipes, rules, annotated):
    """Regression: Prefect's default task runner runs document tasks in threads sharing one
    pipeline; scispaCy's AbbreviationDetector keeps shared state and raised KeyError
    ('Antibody-drug conjugates') when two documents went through it at once."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["000_295cffc29131faf6.txt", "002_a0f38ae1b1a028d1.txt", "004_bee61af27c55501b.txt"] * 2
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        results = list(pool.map(lambda n: annotate_document(corpus_docs[n], pipes, rules), names))
    for name, got in zip(names, results):
        assert got == annotated[name], name


def test_nlp_stage_matches_snapshot(annotated):
    """The faster stage (pysbd with a pattern cache, no per-token loop, a PhraseMatcher on ORTH for
    the case-sensitive lexicon forms, abbreviations only where a "(" is) gives the sentences,
    entities and abbreviations the stage gave before the speed work, on the corpus reviews and the
    fixtures (tests/fixtures/nlp_snapshot.json, written by scripts/nlp_snapshot.py from commit
    0fa2618's stage)."""
    import importlib.util
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("nlp_snapshot", root / "scripts" / "nlp_snapshot.py")
    snap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(snap)
    old = json.loads(snap.SNAPSHOT.read_text(encoding="utf-8"))["full"]
    assert {k for k in old if k.startswith("corpus/")} == {f"corpus/{n}" for n in annotated}
    for name, ann in annotated.items():
        assert snap.annotation_record(ann) == old[f"corpus/{name}"], name
    others = {k: v for k, v in old.items() if not k.startswith("corpus/")}
    now = snap.annotate_files([p for p in snap.reference_files()["full"] if f"{p.parent.name}/{p.name}" in others])
    assert set(now) == set(others)
    for key, rec in others.items():
        assert now[key] == rec, key


def _uncovered(ann) -> int:
    """Characters of the text that are neither whitespace nor inside a sentence."""
    text, covered = ann.doc.text, bytearray(len(ann.doc.text))
    for s in ann.sentences:
        covered[s.char_start:s.char_end] = b"\x01" * (s.char_end - s.char_start)
    return sum(1 for i, c in enumerate(text) if not covered[i] and not c.isspace())


def test_long_and_hostile_paragraphs_are_cut_and_fully_covered(rules, pipes):
    """Issue 12: a paragraph longer than PARAGRAPH_CAP, a run of "(" and a 50k-character single line go
    through in pieces (no spaCy E088, no quadratic tokenizer or abbreviation matcher): sentences
    cover every character, keep document offsets, and findings far into a long paragraph are found.
    Times are measured by scripts/bench_long_paragraphs.py, not here."""
    from pipeline.nlp import PARAGRAPH_CAP, RUN_CAP

    assert PARAGRAPH_CAP < pipes.nlp.max_length
    sentence = ("In the DESTINY-Breast03 trial, trastuzumab deruxtecan (T-DXd) achieved an objective response "
                "rate (ORR) of 79.7% versus 34.2% with trastuzumab emtansine. ")
    long_para = sentence * (4 * PARAGRAPH_CAP // len(sentence))
    for text in (long_para, "(" * (6 * RUN_CAP) + " HER2", "%" * 3000 + " (95% CI " * 500,
                 (sentence * (50_000 // len(sentence))).replace(". ", "; ")):
        ann = annotate_text(text, rules, pipes)
        assert _uncovered(ann) == 0
        body = ann.doc.text
        for s in ann.sentences:
            assert body[s.char_start:s.char_end].strip() == body[s.char_start:s.char_end]
            assert s.char_end - s.char_start <= PARAGRAPH_CAP
        for e in ann.entities:
            assert body[e.char_start:e.char_end] == e.text
    ann = annotate_text(long_para, rules, pipes)
    sents = [ann.doc.text[s.char_start:s.char_end] for s in ann.sentences]
    assert sents.count(sentence.strip()) == len(sents) == long_para.count("T-DXd)")    # cut at sentence ends
    last = max(e.char_start for e in ann.entities if e.normalized == "trastuzumab deruxtecan")
    assert last > len(ann.doc.text) - len(sentence)


def test_a_sentence_ending_with_an_arms_letter_ends_there(rules, pipes):
    # made-up set 43 mu17004, set 48 mu18812, set 8 mu2906, real pmid37788154: an arm's label letter and its period end
    # the sentence ("in arm B. In phase 2", "in arms A, B and C. Immune-mediated", "in Groups B and C. Additionally")
    text = ("Median PFS was 8.3 months in arm A and 6.2 months in arm B. In phase 2, 120 patients were randomised. "
            "The 12-month OS rate was 70.2%, 78.8% and 74.5% in Arms A, B and C. Immune-related events were rare. "
            "There was no notable difference in PFS between participants in Groups B and C. Additionally, toxicity "
            "was similar. "
            # no-match: an initial in a name, a letter that is no arm's, a letter before a lower-case word
            "The study was funded by F. Hoffmann-La Roche. Patients with hepatitis B. Pain was assessed in cohort A. "
            "vs B.")
    ann = annotate_text(text, rules, pipes)
    sents = [ann.doc.text[s.char_start:s.char_end] for s in ann.sentences]
    assert sents == [
        "Median PFS was 8.3 months in arm A and 6.2 months in arm B.", "In phase 2, 120 patients were randomised.",
        "The 12-month OS rate was 70.2%, 78.8% and 74.5% in Arms A, B and C.", "Immune-related events were rare.",
        "There was no notable difference in PFS between participants in Groups B and C.",
        "Additionally, toxicity was similar.",
        "The study was funded by F. Hoffmann-La Roche.", "Patients with hepatitis B. Pain was assessed in cohort A. vs B."]


def test_cell_compounds_as_journals_hyphenate_them(rules, pipes):
    # made-up set 49 mu19204, mu19210, set 8 mu2808: NEJM's "renal-cell carcinoma", "non–small-cell lung cancer" (an en
    # dash in the first joint), "squamous-cell carcinoma" are the lexicon's cancers (pipeline/nlp._dash_variants)
    text = ("Sorafenib in metastatic Renal-Cell Carcinoma. Osimertinib in advanced non–small-cell lung cancer. Pembrolizumab "
            "in head and neck squamous-cell carcinoma. Lurbinectedin in small-cell lung cancer. The cell count fell.")
    ann = annotate_text(text, rules, pipes)
    assert ents(ann, "CANCER") == [
        ("Renal-Cell Carcinoma", "other"), ("non–small-cell lung cancer", "nsclc"),
        ("head and neck squamous-cell carcinoma", "other"), ("small-cell lung cancer", "other")]


def test_a_tumour_named_by_its_morphology_suffix_is_a_cancer(rules, pipes):
    # made-up set 51 mu20210 "dedifferentiated liposarcoma", mu20304 "children with medulloblastoma"
    # (rules/cancer_patterns.yaml morphology, nlp.pattern_cancer_entities): no lexicon lists them, their suffix names them
    text = ("CKL-7721 in dedifferentiated liposarcoma. Craniospinal radiotherapy for children with medulloblastoma. "
            "Sarcomas and gliomas were excluded. "
            # no-match: words that only end like one, and a lexicon cancer stays the lexicon's
            "Cytomegalovirus reactivation and a sarcomeric protein were noted; blastomeres were counted. "
            "Trastuzumab in osteosarcoma.")
    ann = annotate_text(text, rules, pipes)
    assert ents(ann, "CANCER") == [("liposarcoma", "other"), ("medulloblastoma", "other"), ("Sarcomas", "other"),
                                   ("gliomas", "other"), ("osteosarcoma", "other")]
    assert [e.source for e in ann.entities if e.label == "CANCER"] == ["pattern", "pattern", "lexicon", "lexicon", "lexicon"]


def test_a_code_joined_to_a_drug_by_a_hyphen_is_a_drug(rules, pipes):
    # made-up set 50 mu19802, set 48 mu19004 (nlp._codes_joined_to_drugs): "TLZ-4108-axitinib", "AMX-1108-FOLFIRI"
    text = ("Of 861 patients, 431 were assigned to TLZ-4108-axitinib and 430 to sunitinib. AMX-1108-FOLFIRI was given "
            # no-match: a code joined to a word that is no drug
            "every 2 weeks. AB-123-positive tumours and EV-302-type populations were excluded.")
    ann = annotate_text(text, rules, pipes)
    assert [x for x in ents(ann, "DRUG")] == [
        ("TLZ-4108", "tlz-4108"), ("axitinib", "axitinib"), ("sunitinib", "sunitinib"), ("AMX-1108", "amx-1108"),
        ("FOLFIRI", "fluorouracil + irinotecan + leucovorin")]


def test_a_receptor_fusion_protein_is_a_drug_by_its_inn_stem(rules, pipes):
    # made-up set 45 mu17812 "evorpacept plus Enhertu" (rules/drug_patterns.yaml inn_stem, -cept): no lexicon entry names
    # it, its INN stem does (vocabulary: one tuning document; the stem list had -bercept, -nercept and -tacept only)
    text = ("T-DXd with or without evorpacept 45 mg/kg. Luspatercept was given for anaemia. "
            # no-match: words that only end like one
            "A proof-of-concept trial was designed to intercept relapse, a precept of care.")
    ann = annotate_text(text, rules, pipes)
    assert ents(ann, "DRUG") == [("T-DXd", "trastuzumab deruxtecan"), ("evorpacept", "evorpacept"),
                                 ("Luspatercept", "luspatercept")]


def test_a_her2_peptide_vaccine_and_its_growth_factor_are_drugs(rules, pipes):
    # made-up set 54 mu21402 (rules/drugs.yaml gp2, sargramostim; vocabulary, one tuning document): "GP2 500 µg plus
    # GM-CSF 125 µg or GM-CSF alone"; no-match: G-CSF is another growth factor
    text = "Patients were randomised to GP2 500 µg plus GM-CSF 125 µg or to GM-CSF alone. G-CSF was allowed."
    ann = annotate_text(text, rules, pipes)
    assert ents(ann, "DRUG") == [("GP2", "gp2"), ("GM-CSF", "sargramostim"), ("GM-CSF", "sargramostim")]
