"""Dates written in text, ISO at the precision written ("March 13, 2007" -> 2007-03-13,
"in January 2010" -> 2010-01, "in 1998" -> 1998). Every pattern lives in rules/dates.yaml;
a year inside a citation marker or a meeting name is no date."""
from __future__ import annotations

import re
from typing import Optional

from pipeline.extract.context import Span, citation_marker_spans
from pipeline.rules import RuleSet

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def date_iso(m: re.Match) -> str:
    """ISO date at the precision a `date` rule captured: day, month or year."""
    gd = m.groupdict()
    year = gd.get("year")
    if not year:
        return ""
    month = gd.get("month")
    if not month:
        return year
    mm = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower(), 0)
    if not 1 <= mm <= 12:
        return year
    day = gd.get("day")
    if not day:
        return f"{year}-{mm:02d}"
    dd = int(day)
    if not 1 <= dd <= 31:
        return f"{year}-{mm:02d}"
    return f"{year}-{mm:02d}-{dd:02d}"


def find_dates(text: str, rules: RuleSet, start: int = 0, end: Optional[int] = None) -> list[Span]:
    """Date expressions in text[start:end], most precise first where they overlap;
    never a year inside a citation marker or a meeting name."""
    end = len(text) if end is None else end
    blocked = citation_marker_spans(text, rules, start, end)
    for r in rules.patterns("dates", "not_date"):
        blocked += [(m.start(), m.end()) for m in r.regex.finditer(text, start, end)]
    found: list[Span] = []
    for r in rules.patterns("dates", "date"):          # file order: day, month, then year precision
        for m in r.regex.finditer(text, start, end):
            s, e = m.start(), m.end()
            if any(a <= s < b or a < e <= b for a, b in blocked):
                continue
            if any(f.start < e and s < f.end for f in found):
                continue
            iso = date_iso(m)
            if iso:
                found.append(Span(s, e, iso, r.id))
    return sorted(found, key=lambda f: f.start)


def normalize_date(text: str, rules: RuleSet) -> str:
    """The first date written in `text`, ISO at its precision ("" when none)."""
    found = find_dates(text, rules)
    return found[0].value if found else ""
