"""A majority-vote ensemble of trained NER pipelines, as one spaCy component.

`vote_spans` is the algorithm, a free function over token spans: a span (start, end, label)
predicted identically by at least `min_votes` members is kept; overlapping survivors are
resolved in favour of more votes, then the earlier member (members are listed best first),
then the longer span. `VoteNER` is the thin spaCy wrapper (factory "her2_ner_vote"): it holds
the member pipelines (saved in sub-directories of the component), runs each on the words of
the document and sets `doc.ents` to the vote.

This file is self-contained (spaCy and the standard library only): `spacy package --code`
copies it into the packaged ensemble, so the installed wheel loads with `spacy.load(name)` like
any scispaCy package. In this project the factory is also declared as a `spacy_factories` entry
point (pyproject.toml), so the unpacked model loads from its path too.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import minibatch

SpanKey = tuple[int, int, str]
FACTORY = "her2_ner_vote"
_CFG_FILE = "vote.json"


def vote_spans(members: Sequence[Iterable[SpanKey]], min_votes: int) -> list[SpanKey]:
    """Spans predicted by at least `min_votes` of the members, without overlaps, sorted."""
    if min_votes < 1:
        raise ValueError(f"min_votes must be at least 1, not {min_votes}")
    sets = [set(m) for m in members]
    votes = Counter(span for s in sets for span in s)
    first_member = {span: next(i for i, s in enumerate(sets) if span in s) for span in votes}
    candidates = sorted(
        (span for span, n in votes.items() if n >= min_votes),
        key=lambda sp: (-votes[sp], first_member[sp], -(sp[1] - sp[0]), sp[0], sp[2]),
    )
    taken: set[int] = set()
    kept = []
    for start, end, label in candidates:
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            kept.append((start, end, label))
    return sorted(kept)


def doc_spans(doc: Doc) -> list[SpanKey]:
    return [(e.start, e.end, e.label_) for e in doc.ents]


class VoteNER:
    """spaCy component: majority vote over member NER pipelines (see module docstring)."""

    def __init__(self, nlp: Language, name: str, min_votes: int):
        self.name = name
        self.vocab = nlp.vocab
        self.min_votes = min_votes
        self.members: list[Language] = []
        self.member_names: list[str] = []

    def add_member(self, member: Language, name: str) -> None:
        if "ner" not in member.pipe_names:
            raise ValueError(f"ensemble member {name!r} has no 'ner' component")
        self.members.append(member)
        self.member_names.append(name)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted({lab for m in self.members for lab in m.get_pipe("ner").labels}))

    def _member_doc(self, member: Language, doc: Doc) -> Doc:
        return Doc(member.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])

    def _set(self, doc: Doc, member_docs: Sequence[Doc]) -> Doc:
        if len(self.members) < self.min_votes:
            raise ValueError(f"{self.name}: {len(self.members)} members cannot give {self.min_votes} votes")
        spans = vote_spans([doc_spans(d) for d in member_docs], self.min_votes)
        doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in spans]
        return doc

    def __call__(self, doc: Doc) -> Doc:
        return self._set(doc, [m(self._member_doc(m, doc)) for m in self.members])

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for docs in minibatch(stream, size=batch_size):
            per_member = [list(m.pipe((self._member_doc(m, d) for d in docs), batch_size=batch_size))
                          for m in self.members]
            for i, doc in enumerate(docs):
                yield self._set(doc, [md[i] for md in per_member])

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        return Scorer.score_spans(examples, "ents", **kwargs)

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for member, name in zip(self.members, self.member_names):
            member.to_disk(path / name)
        (path / _CFG_FILE).write_text(json.dumps({"members": self.member_names}, indent=2), encoding="utf-8")

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> "VoteNER":
        path = Path(path)
        self.members, self.member_names = [], []
        for name in json.loads((path / _CFG_FILE).read_text(encoding="utf-8"))["members"]:
            self.add_member(spacy.load(path / name), name)
        return self


def make_vote_ner(nlp: Language, name: str, min_votes: int) -> VoteNER:
    return VoteNER(nlp, name, min_votes)


# Registered once per process: the project's copy (entry point) and the copy inside an
# installed ensemble package are the same code, and spaCy refuses a second registration of
# a factory name from another file.
if not Language.has_factory(FACTORY):
    Language.factory(FACTORY, default_config={"min_votes": 2})(make_vote_ner)


def build_vote_pipeline(member_dirs: Sequence[Path], min_votes: int,
                        names: Sequence[str] | None = None) -> Language:
    """A pipeline (the first member's tokenizer + one `ner` component of factory her2_ner_vote)
    voting over the pipelines saved in `member_dirs` (best first)."""
    members = [spacy.load(p) for p in member_dirs]
    names = list(names) if names else [f"member{i}" for i in range(len(members))]
    nlp = spacy.blank(members[0].lang)
    nlp.tokenizer.from_bytes(members[0].tokenizer.to_bytes())
    vote = nlp.add_pipe(FACTORY, name="ner", config={"min_votes": min_votes})
    for member, name in zip(members, names):
        vote.add_member(member, name)
    return nlp
