"""IOB (token TAB tag, blank line between sentences) -> spaCy DocBin.

The text of each sentence is built from its tokens, tokenized with scispaCy's
tokenizer (the one the pipeline uses), and every gold entity's character span
is mapped onto that tokenization with `doc.char_span(..., alignment_mode="strict")`.
An entity whose boundaries fall inside a scispaCy token cannot be represented:
it is reported (count + examples) and its tokens are marked *missing* (neither
entity nor O), so training gets no false "O" signal from it.

Two ways to build the text:
- "space" (default): tokens joined by single spaces, as scispaCy's own
  `read_ner_from_tsv` does, so the figures compare with scispaCy's published ones.
  A space is always a token boundary, so every entity aligns.
- "natural": a detokenizer glues punctuation, hyphens and slashes back
  ("Selegiline - induced" -> "Selegiline-induced"), as in the running text the
  pipeline reads; scispaCy then keeps some of those together and entities
  inside them are misaligned. Used for the alignment report and tests.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from her2tools.ner_train import label_for

NO_SPACE_BEFORE = frozenset({".", ",", ";", ":", ")", "]", "}", "%", "?", "!", "'s", "'"})
NO_SPACE_AFTER = frozenset({"(", "[", "{"})
GLUE = frozenset({"-", "/"})


def scispacy_nlp() -> Language:
    """A blank English pipeline with scispaCy's tokenizer (as pipeline/nlp.py builds it)."""
    from scispacy.custom_tokenizer import combined_rule_tokenizer

    nlp = spacy.blank("en")
    nlp.tokenizer = combined_rule_tokenizer(nlp)
    return nlp


def read_iob(lines: Iterable[str]) -> Iterator[list[tuple[str, str]]]:
    """Sentences as lists of (token, tag)."""
    sent: list[tuple[str, str]] = []
    for raw in lines:
        line = raw.rstrip("\n").rstrip("\r")
        if not line.strip():
            if sent:
                yield sent
                sent = []
            continue
        if line.startswith("-DOCSTART-"):
            continue
        token, _, tag = line.partition("\t")
        yield_tag = tag.strip() or "O"
        sent.append((token, yield_tag))
    if sent:
        yield sent


def iob_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, end token exclusive, label). Accepts IOB2 and IOB1 (an I- tag
    that does not continue an entity of its type starts a new one)."""
    spans: list[tuple[int, int, str]] = []
    start, cur = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, typ = tag.partition("-")
        continues = prefix == "I" and cur == typ
        if start is not None and not continues:
            spans.append((start, i, label_for(cur)))
            start, cur = None, None
        if prefix == "B" or (prefix == "I" and not continues):
            start, cur = i, typ
    return spans


def build_text(tokens: Sequence[str], spacing: str = "space") -> tuple[str, list[tuple[int, int]]]:
    """The sentence text and each token's (start, end) character offsets."""
    if spacing not in ("space", "natural"):
        raise ValueError(f"spacing must be 'space' or 'natural', not {spacing!r}")
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    for i, tok in enumerate(tokens):
        if i > 0:
            prev = tokens[i - 1]
            glue = spacing == "natural" and (
                tok in NO_SPACE_BEFORE or prev in NO_SPACE_AFTER or tok in GLUE or prev in GLUE
            )
            if not glue:
                parts.append(" ")
                pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
    return "".join(parts), offsets


@dataclass(frozen=True)
class Misalignment:
    split: str
    sentence: int          # index of the sentence in its file
    text: str              # the sentence text
    entity: str            # the gold entity's text
    label: str
    start_char: int
    end_char: int
    tokens: tuple[str, ...]  # the scispaCy tokens it overlaps

    def as_dict(self) -> dict:
        return {
            "split": self.split, "sentence": self.sentence, "entity": self.entity, "label": self.label,
            "start_char": self.start_char, "end_char": self.end_char,
            "scispacy_tokens": list(self.tokens), "text": self.text,
        }


def sentence_to_doc(
    nlp: Language, pairs: Sequence[tuple[str, str]], *, spacing: str = "space",
    split: str = "", index: int = 0,
) -> tuple[Doc, list[Misalignment]]:
    tokens = [t for t, _ in pairs]
    tags = [g for _, g in pairs]
    text, offsets = build_text(tokens, spacing)
    doc = nlp.make_doc(text)
    ents: list[Span] = []
    missing: list[Span] = []
    bad: list[Misalignment] = []
    for s, e, label in iob_spans(tags):
        start_char, end_char = offsets[s][0], offsets[e - 1][1]
        span = doc.char_span(start_char, end_char, label=label, alignment_mode="strict")
        if span is not None:
            ents.append(span)
            continue
        wide = doc.char_span(start_char, end_char, alignment_mode="expand")
        bad.append(Misalignment(split, index, text, text[start_char:end_char], label, start_char, end_char,
                                tuple(t.text for t in wide) if wide is not None else ()))
        if wide is not None:
            missing.append(wide)
    taken = {i for sp in ents for i in range(sp.start, sp.end)}
    missing = [m for m in missing if not any(i in taken for i in range(m.start, m.end))]
    # overlapping "missing" spans are fine for set_ents only if disjoint
    disjoint: list[Span] = []
    for m in sorted(missing, key=lambda m: m.start):
        if not disjoint or m.start >= disjoint[-1].end:
            disjoint.append(m)
    doc.set_ents(ents, missing=disjoint, default="outside")
    return doc, bad


@dataclass
class SplitResult:
    split: str
    sentences: int = 0
    tokens: int = 0
    entities: int = 0
    misaligned: list[Misalignment] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)


def convert_lines(
    nlp: Language, lines: Iterable[str], *, split: str, spacing: str = "space", limit: int = 0,
) -> tuple[list[Doc], SplitResult]:
    docs: list[Doc] = []
    res = SplitResult(split)
    for i, pairs in enumerate(read_iob(lines)):
        if limit and i >= limit:
            break
        doc, bad = sentence_to_doc(nlp, pairs, spacing=spacing, split=split, index=i)
        docs.append(doc)
        res.sentences += 1
        res.tokens += len(doc)
        res.entities += len(doc.ents) + len(bad)
        res.misaligned.extend(bad)
        for ent in doc.ents:
            res.labels[ent.label_] = res.labels.get(ent.label_, 0) + 1
    return docs, res


def convert_corpus(
    source_dir: Path, out_dir: Path, *, spacing: str = "space", limit: int = 0,
    report_path: Path | None = None, also_report_natural: bool = False, max_examples: int = 40,
) -> dict:
    """Convert train/devel/test .tsv in source_dir to out_dir/{train,devel,test}.spacy.
    Writes the alignment report (JSON) when report_path is given and returns it."""
    nlp = scispacy_nlp()
    out_dir.mkdir(parents=True, exist_ok=True)
    report: dict = {"source": str(source_dir), "spacing": spacing, "limit": limit, "splits": {}}
    natural: dict = {}
    for split in ("train", "devel", "test"):
        src = source_dir / f"{split}.tsv"
        with src.open(encoding="utf-8") as fh:
            lines = fh.readlines()
        docs, res = convert_lines(nlp, lines, split=split, spacing=spacing, limit=limit)
        DocBin(docs=docs, store_user_data=False).to_disk(out_dir / f"{split}.spacy")
        report["splits"][split] = {
            "sentences": res.sentences, "tokens": res.tokens, "entities": res.entities,
            "misaligned": len(res.misaligned), "labels": dict(sorted(res.labels.items())),
            "examples": [m.as_dict() for m in res.misaligned[:max_examples]],
        }
        if also_report_natural and spacing != "natural":
            _, nres = convert_lines(nlp, lines, split=split, spacing="natural", limit=limit)
            natural[split] = {
                "entities": nres.entities, "misaligned": len(nres.misaligned),
                "examples": [m.as_dict() for m in nres.misaligned[:max_examples // 2]],
            }
    report["misaligned_total"] = sum(s["misaligned"] for s in report["splits"].values())
    if natural:
        report["natural_spacing_for_comparison"] = {
            "note": "not used for training: what a detokenized ('natural') text would lose to scispaCy's tokenizer",
            "misaligned_total": sum(s["misaligned"] for s in natural.values()),
            "splits": natural,
        }
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return report
