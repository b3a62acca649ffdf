"""Lines of therapy ("first-line", "adjuvant", "second- or later-line"), from rules/lines.yaml."""
from __future__ import annotations

from typing import Optional

from pipeline.extract.context import Span
from pipeline.rules import RuleSet


def find_lines(text: str, rules: RuleSet, start: int = 0, end: Optional[int] = None) -> list[Span]:
    end = len(text) if end is None else end
    spans: list[Span] = []
    taken: list[tuple[int, int]] = []
    for r in rules.patterns("lines", "series"):
        for m in r.regex.finditer(text, start, end):
            taken.append((m.start(), m.end()))
            for o in rules.patterns("lines", "ordinal"):
                for om in o.regex.finditer(text, m.start(), m.end()):
                    spans.append(Span(om.start(), om.end(), o.value, r.id))
    for r in rules.patterns("lines", "line"):
        for m in r.regex.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in taken):
                continue
            spans.append(Span(m.start(), m.end(), r.value, r.id))
    return sorted(spans, key=lambda s: s.start)


def lines_value(spans: list[Span]) -> str:
    """Lines in the order written, each once: "adjuvant, neoadjuvant, second-line"."""
    out: list[str] = []
    for s in spans:
        if s.value not in out:
            out.append(s.value)
    return ", ".join(out)
