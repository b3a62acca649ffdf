"""Id look-up for the command line: exact id, unique prefix, or a coded error with
"did you mean" suggestions (fact ids, run ids)."""
from __future__ import annotations

import difflib
from typing import Iterable

from pipeline.errors import Errors, PipelineError


def resolve_id(given: str, ids: Iterable[str], what: str, where: str) -> str:
    """The id `given` stands for: itself, or the one id it is a prefix of (case-insensitive).
    E405 when the prefix fits several ids, E406 (with the closest ids) when none."""
    ids = sorted(set(ids))
    g = given.strip()
    if g in ids:
        return g
    hits = [i for i in ids if g and i.casefold().startswith(g.casefold())]
    if len(hits) == 1:
        return hits[0]
    if hits:
        examples = ", ".join(hits[:3]) + (", ..." if len(hits) > 3 else "")
        raise PipelineError(Errors.E405.format(what=what, prefix=g, n=len(hits), examples=examples))
    close = difflib.get_close_matches(g, ids, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise PipelineError(Errors.E406.format(what=what, given=g, where=where, hint=hint))
