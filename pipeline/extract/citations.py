"""Citation markers and the reference list (being written)."""
from __future__ import annotations

from typing import Sequence

from pipeline.extract.context import DocView
from pipeline.model import Mention


def attach_citations(view: DocView, mentions: Sequence[Mention]) -> list[Mention]:
    return list(mentions)
