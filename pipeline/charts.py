"""Charts for the curator report, drawn by our own code as inline SVG (no network, no library).

Three charts over a run's facts (rejected facts left out):

* `forest_plot`: every efficacy fact with a numeric hazard ratio, one row per fact
  (drug, trial, endpoint), the HR as a point on a log axis with its 95% CI as a line
  and the line of no effect at 1;
* `approvals_timeline`: every dated regulatory or guideline event, one row per agency
  and drug, one mark per event at its date (placed at the middle of the year or month
  when only those are known);
* `values_chart`: every efficacy value that is a rate (%) or a time (converted to
  months), one row per drug and cancer type, one mark per value coloured by endpoint.

Each mark is an SVG element with a class (`hr-point`, `hr-ci`, `tl-mark`, `val-mark`)
and `data-fact` (the fact id), so a test can count marks against facts, and a
<title> child (the tooltip). Every text is escaped. A chart with nothing to show is
a short sentence instead.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape
from typing import Iterable, Optional, Sequence

from pipeline.model import Fact, fact_statement

WIDTH = 1050
LABEL_W = 340
ROW_H = 22
TOP = 28
BOTTOM = 34
RIGHT = 24
PALETTE = ("#1f6fb2", "#d1495b", "#2e933c", "#8a5a00", "#7a2fb0", "#00798c", "#c45e00", "#5b6472",
           "#a3195b", "#3d5a80")
_NUM = re.compile(r"^\d+(?:\.\d+)?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
MONTHS_PER = {"months": 1.0, "month": 1.0, "weeks": 12 / 52.1775, "week": 12 / 52.1775, "years": 12.0,
              "year": 12.0, "days": 12 / 365.25, "day": 12 / 365.25}


def number(s: str) -> Optional[float]:
    """A plain non-negative decimal ("0.73", "55") as a float; None for anything else ("NR", "<0.001")."""
    s = (s or "").strip()
    return float(s) if _NUM.match(s) else None


def year_of(date: str) -> Optional[float]:
    """An ISO date at any precision as a fractional year: 2010 -> 2010.5, 2010-01 -> 2010.04, 2007-03-13 -> 2007.2."""
    m = _DATE.match((date or "").strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return y + 0.5
    month = min(max(int(mo), 1), 12)
    day = min(max(int(d), 1), 31) if d else 15
    return y + (month - 1) / 12 + (day - 0.5) / 365.25


def _live(facts: Iterable[Fact], kind: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind and f.curation != "rejected"]


def _colours(names: Iterable[str]) -> dict[str, str]:
    return {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(sorted(set(names)))}


def _svg(chart: str, height: int, body: list[str], label: str) -> str:
    return (f'<svg class="chart" data-chart="{chart}" role="img" '
            f'aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'font-size="12" font-family="sans-serif">' + "".join(body) + "</svg>")


def _legend(colours: dict[str, str], y: int) -> list[str]:
    out, x = [], LABEL_W
    for name, col in colours.items():
        out.append(f'<circle cx="{x + 5}" cy="{y - 4}" r="5" fill="{col}"/>'
                   f'<text x="{x + 14}" y="{y}">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    return out


def _row_labels(labels: Sequence[str]) -> list[str]:
    out = []
    for i, lab in enumerate(labels):
        y = TOP + i * ROW_H + ROW_H / 2
        if i % 2:
            out.append(f'<rect x="0" y="{TOP + i * ROW_H}" width="{WIDTH}" height="{ROW_H}" fill="#f6f7f9"/>')
        short = lab if len(lab) <= 46 else lab[:45] + "…"
        out.append(f'<text class="row-label" x="{LABEL_W - 8}" y="{y + 4:.1f}" text-anchor="end">'
                   f'<title>{escape(lab)}</title>{escape(short)}</text>')
    return out


@dataclass(frozen=True)
class Axis:
    """A linear or log axis mapping data values to x pixels in [LABEL_W, WIDTH - RIGHT]."""

    lo: float
    hi: float
    log: bool = False
    min_step: float = 0.0      # 1 for years: no tick at 2010.2

    def _t(self, v: float) -> float:
        return math.log10(v) if self.log else v

    def x(self, v: float) -> float:
        a, b = self._t(self.lo), self._t(self.hi)
        v = min(max(v, self.lo), self.hi)
        return LABEL_W + (self._t(v) - a) / ((b - a) or 1.0) * (WIDTH - RIGHT - LABEL_W)

    def ticks(self) -> list[float]:
        if self.log:
            cands = [m * 10 ** e for e in range(-3, 4) for m in (1, 2, 5)]
        else:
            span = (self.hi - self.lo) or 1.0
            step = 10 ** math.floor(math.log10(span / 5))
            step *= next(m for m in (1, 2, 5, 10) if span / (step * m) <= 8)
            step = max(step, self.min_step)
            cands = [self.lo + i * step for i in range(int(span / step) + 2)]
            cands = [round(c / step) * step for c in cands]
        return [t for t in cands if self.lo - 1e-9 <= t <= self.hi + 1e-9]

    def draw(self, y_top: int, y_bottom: int, title: str) -> list[str]:
        out = [f'<line x1="{LABEL_W}" y1="{y_bottom}" x2="{WIDTH - RIGHT}" y2="{y_bottom}" stroke="#5b6472"/>']
        for t in self.ticks():
            x = self.x(t)
            out.append(f'<line class="tick" x1="{x:.1f}" y1="{y_top}" x2="{x:.1f}" y2="{y_bottom + 4}" '
                       f'stroke="#d5dae1"/><text x="{x:.1f}" y="{y_bottom + 16}" text-anchor="middle">{t:g}</text>')
        out.append(f'<text x="{(LABEL_W + WIDTH - RIGHT) / 2:.0f}" y="{y_bottom + 30}" text-anchor="middle" '
                   f'fill="#5b6472">{escape(title)}</text>')
        return out


def _none(text: str) -> str:
    return f'<p class="empty">{escape(text)}</p>'


# ---------------------------------------------------------------- forest plot

@dataclass(frozen=True)
class HazardRatio:
    fact_id: str
    label: str
    hr: float
    lo: Optional[float]
    hi: Optional[float]
    statement: str


def hazard_ratios(facts: Iterable[Fact]) -> list[HazardRatio]:
    """Every efficacy fact with a numeric HR, sorted by drug, trial, endpoint."""
    out = []
    for f in _live(facts, "endpoint"):
        hr = number(f.field("hr"))
        if hr is None or hr <= 0:
            continue
        lo, hi = number(f.field("ci_low")), number(f.field("ci_high"))
        if lo is not None and hi is not None and not (0 < lo <= hr <= hi):
            lo = hi = None                                  # an interval that does not hold the HR is not drawn
        g = f.field
        label = " · ".join(x for x in (g("drug") or "unnamed drug", g("trial") or g("nct_id"),
                                       g("endpoint") + (f" vs {g('comparator')}" if g("comparator") else ""),
                                       ", ".join(y for y in (g("cancer_type"), g("population")) if y)) if x)
        out.append(HazardRatio(f.fact_id, label, hr, lo, hi, fact_statement(f)))
    out.sort(key=lambda h: (h.label.lower(), h.hr, h.fact_id))
    return out


def forest_plot(facts: Iterable[Fact]) -> str:
    rows = hazard_ratios(facts)
    if not rows:
        return _none("No hazard ratio among this run's facts.")
    vals = [v for h in rows for v in (h.hr, h.lo, h.hi) if v] + [1.0]
    axis = Axis(min(vals) / 1.25, max(vals) * 1.25, log=True)
    height = TOP + len(rows) * ROW_H + BOTTOM
    y_bottom = TOP + len(rows) * ROW_H
    body = _row_labels([h.label for h in rows])
    body += axis.draw(TOP, y_bottom, "hazard ratio (log scale; left of 1 favours the drug)")
    x1 = axis.x(1.0)
    body.append(f'<line class="hr-ref" x1="{x1:.1f}" y1="{TOP - 6}" x2="{x1:.1f}" y2="{y_bottom}" '
                f'stroke="#1d2430" stroke-dasharray="4 3"/>')
    for i, h in enumerate(rows):
        y = TOP + i * ROW_H + ROW_H / 2
        tip = f"<title>{escape(h.statement)}</title>"
        if h.lo and h.hi:
            body.append(f'<line class="hr-ci" data-fact="{h.fact_id}" x1="{axis.x(h.lo):.1f}" y1="{y:.1f}" '
                        f'x2="{axis.x(h.hi):.1f}" y2="{y:.1f}" stroke="#1f6fb2" stroke-width="2">{tip}</line>')
        body.append(f'<circle class="hr-point" data-fact="{h.fact_id}" data-hr="{h.hr:g}" cx="{axis.x(h.hr):.1f}" '
                    f'cy="{y:.1f}" r="5" fill="#1f6fb2">{tip}</circle>')
    return _svg("forest", height, body, f"Forest plot of {len(rows)} hazard ratios")


# ---------------------------------------------------------------- approvals timeline

def approvals_timeline(facts: Iterable[Fact]) -> str:
    dated, undated = [], 0
    for f in _live(facts, "approval"):
        y = year_of(f.field("date") or f.value)
        if y is None:
            undated += 1
        else:
            dated.append((f, y))
    note = f'<p class="where">{undated} event(s) without a stated date are not placed.</p>' if undated else ""
    if not dated:
        return _none("No dated regulatory or guideline event among this run's facts.") + note
    keys = sorted({(f.field("agency") or "(no agency)", f.field("drug") or "unnamed drug") for f, _ in dated},
                  key=lambda k: (k[0].lower(), k[1].lower()))
    row = {k: i for i, k in enumerate(keys)}
    colours = _colours(f.field("event") or "event" for f, _ in dated)
    years = [y for _, y in dated]
    axis = Axis(math.floor(min(years)), math.floor(max(years)) + 1, min_step=1.0)
    y_bottom = TOP + len(keys) * ROW_H
    height = y_bottom + BOTTOM + 22
    body = _row_labels([f"{a} · {d}" for a, d in keys])
    body += axis.draw(TOP, y_bottom, "year")
    for f, yr in sorted(dated, key=lambda p: (p[1], p[0].fact_id)):
        k = (f.field("agency") or "(no agency)", f.field("drug") or "unnamed drug")
        y = TOP + row[k] * ROW_H + ROW_H / 2
        ev = f.field("event") or "event"
        body.append(f'<circle class="tl-mark" data-fact="{f.fact_id}" data-agency="{escape(k[0])}" '
                    f'data-date="{escape(f.field("date") or f.value)}" cx="{axis.x(yr):.1f}" cy="{y:.1f}" r="5" '
                    f'fill="{colours[ev]}"><title>{escape(fact_statement(f))}</title></circle>')
    body += _legend(colours, height - 6)
    return _svg("timeline", height, body, f"Timeline of {len(dated)} dated regulatory events") + note


# ---------------------------------------------------------------- values per drug and cancer type

def _value_of(f: Fact) -> Optional[tuple[str, float]]:
    """("%", rate) or ("months", time) for a numeric efficacy value; None otherwise."""
    v, unit = number(f.field("value")), f.field("unit").strip().lower()
    if v is None:
        return None
    if unit == "%":
        return "%", v
    if unit in MONTHS_PER:
        return "months", v * MONTHS_PER[unit]
    return None


def values_chart(facts: Iterable[Fact]) -> str:
    panels = {"%": [], "months": []}
    for f in _live(facts, "endpoint"):
        got = _value_of(f)
        if got is not None:
            panels[got[0]].append((f, got[1]))
    out = []
    for unit, title in (("%", "Rates (%) per drug and cancer type"), ("months", "Times (months) per drug and cancer type")):
        items = panels[unit]
        if not items:
            out.append(_none(f"No {'rate' if unit == '%' else 'time'} among this run's efficacy facts."))
            continue
        keys = sorted({(f.field("drug") or "unnamed drug", f.field("cancer_type") or "no cancer type") for f, _ in items},
                      key=lambda k: (k[0].lower(), k[1].lower()))
        row = {k: i for i, k in enumerate(keys)}
        colours = _colours(f.field("endpoint") or "?" for f, _ in items)
        hi = max(v for _, v in items)
        axis = Axis(0.0, 100.0 if unit == "%" else max(1.0, hi * 1.05))
        y_bottom = TOP + len(keys) * ROW_H
        height = y_bottom + BOTTOM + 22
        body = _row_labels([f"{d} · {c}" for d, c in keys]) + axis.draw(TOP, y_bottom, title)
        for f, v in sorted(items, key=lambda p: (p[1], p[0].fact_id)):
            y = TOP + row[(f.field("drug") or "unnamed drug", f.field("cancer_type") or "no cancer type")] * ROW_H + ROW_H / 2
            ep = f.field("endpoint") or "?"
            body.append(f'<circle class="val-mark" data-fact="{f.fact_id}" data-unit="{unit}" data-value="{v:g}" '
                        f'cx="{axis.x(v):.1f}" cy="{y:.1f}" r="5" fill="{colours[ep]}" fill-opacity=".85">'
                        f'<title>{escape(fact_statement(f))}</title></circle>')
        body += _legend(colours, height - 6)
        out.append(_svg(f"values-{'rates' if unit == '%' else 'times'}", height, body, title))
    return "".join(out)
