"""Train scispaCy-equivalent biomedical NER models here (GitHub issue 6).

The corpora scispaCy trained `en_ner_bc5cdr_md` and `en_ner_bionlp13cg_md` on
(token-per-line IOB, from ../shared/datasets/ner/) are converted to spaCy
DocBin files tokenized with scispaCy's tokenizer, trained with spaCy's
config-driven training (ner/configs/), evaluated with spaCy's scorer on the
test split and packaged as pip-installable spaCy pipelines.

    python -m pipeline.ner_train all --corpus both

Build products go to ner/corpus/, ner/training/, ner/packages/ and models/
(all git-ignored); figures go to the committed ner/metrics.json.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_NER = PROJECT_ROOT.parent / "shared" / "datasets" / "ner"
NER_DIR = PROJECT_ROOT / "ner"
CONFIG_DIR = NER_DIR / "configs"
CORPUS_DIR = NER_DIR / "corpus"          # DocBin files (build product)
TRAINING_DIR = NER_DIR / "training"      # model-best / model-last (build product)
PACKAGES_DIR = NER_DIR / "packages"      # spacy package output (build product)
MODELS_DIR = PROJECT_ROOT / "models"     # wheels + an unpacked copy of each model
METRICS_FILE = NER_DIR / "metrics.json"
SPLITS = ("train", "devel", "test")


@dataclass(frozen=True)
class CorpusSpec:
    key: str                 # "bc5cdr" | "bionlp13cg"
    folder: str              # under ../shared/datasets/ner/
    package_name: str        # spaCy package name, installed as "en_<name>"
    scispacy_model: str      # the released scispaCy model trained on this corpus
    scispacy_test_f1: float  # its published test-set entity F1 (scispaCy docs)
    data_license: str = ""   # licence of the training annotations (the model is derived from them)

    @property
    def source_dir(self) -> Path:
        return SHARED_NER / self.folder

    @property
    def installed_name(self) -> str:
        return f"en_{self.package_name}"


CORPORA: dict[str, CorpusSpec] = {
    "bc5cdr": CorpusSpec("bc5cdr", "BC5CDR-IOB", "her2_ner_bc5cdr", "en_ner_bc5cdr_md", 84.28,
                         "CC BY 4.0 (BC5CDR annotations)"),
    "bionlp13cg": CorpusSpec("bionlp13cg", "BioNLP13CG-IOB", "her2_ner_bionlp13cg", "en_ner_bionlp13cg_md", 77.84,
                             "CC BY-SA 3.0 (BioNLP13CG annotations)"),
}


def label_for(tag_type: str) -> str:
    """IOB entity type -> spaCy label, the way scispaCy names them
    ("Chemical" -> "CHEMICAL", "Multi-tissue_structure" -> "MULTI_TISSUE_STRUCTURE")."""
    return tag_type.upper().replace("-", "_")
