"""Curator diff report: a Diff rendered to reports/<run>.html, .md and .csv
under the output root (each written atomically).

The HTML is one self-contained file: inline CSS (screen and print), one small
inline script (the filter; a Content-Security-Policy admits that script by its
hash and nothing else: no other script, no inline handler, no request), no
external fonts or images. A table of contents comes first, then the summary
table, charts of the run's facts drawn as inline SVG (pipeline/charts.py), the
document changes, every fact change grouped by drug and cancer type (the source
sentence with the extracted span in <mark class="span">, a link to the saved
text at the span's offsets, and the `curate` commands for the fact), the
curation history and the stale decisions. Every text from a document, a file
name or a curator is escaped, in the HTML and in the Markdown.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence
from urllib.parse import quote as url_quote

from pipeline.charts import approvals_timeline, forest_plot, values_chart
from pipeline.config import Settings
from pipeline.diff import KINDS, Diff, Evidence, FactChange, snapshots_to_diff
from pipeline.errors import Errors, PipelineError
from pipeline.model import Fact, RunSnapshot
from pipeline.outputs import atomic_write_lines, csv_text
from pipeline.schema import REPORT_COLUMNS

REPORTS_DIR = "reports"
COMPLETED = ("ok", "partial")
CSV_COLUMNS = REPORT_COLUMNS        # pipeline/schema.py describes every output's columns
KIND_LABELS = {"trial": "Trials", "endpoint": "Efficacy results", "approval": "Regulatory events"}

CSS = """
:root { --ink:#1d2430; --muted:#5b6472; --line:#d5dae1; --add:#1b7f3b; --rem:#b3261e; --chg:#8a5a00;
        --conf:#7a2fb0; --mark:#ffe58a; }
* { box-sizing: border-box; }
body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; background: #fff; }
h1 { font-size: 1.5em; margin: 0 0 4px; }
h2 { font-size: 1.2em; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
p.meta { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f2f4f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: .8em; font-weight: 600;
         color: #fff; text-transform: uppercase; letter-spacing: .03em; }
.added { background: var(--add); } .removed { background: var(--rem); } .changed { background: var(--chg); }
.conflict { background: var(--conf); }
.card { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 4px;
        padding: 8px 12px; margin: 8px 0; }
.card.c-added { border-left-color: var(--add); } .card.c-removed { border-left-color: var(--rem); }
.card.c-changed { border-left-color: var(--chg); }
.statement { font-weight: 600; }
.values { margin: 2px 0; } .old { text-decoration: line-through; color: var(--rem); } .new { color: var(--add); }
.why { color: var(--muted); margin: 2px 0; font-size: .93em; }
blockquote { margin: 6px 0; padding: 4px 10px; border-left: 3px solid var(--line); background: #fafbfc;
             font-size: .93em; }
blockquote.gone { opacity: .75; }
.where { color: var(--muted); font-size: .85em; }
mark.span { background: var(--mark); padding: 0 2px; border-radius: 2px; font-weight: 600; color: inherit; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: .88em; }
.empty { color: var(--muted); font-style: italic; }
[hidden] { display: none !important; }
nav.toc { border: 1px solid var(--line); border-radius: 4px; padding: 6px 12px; margin: 0 0 16px; background: #fafbfc; }
nav.toc ol { margin: 4px 0; padding-left: 22px; } nav.toc ol ol { columns: 2; font-size: .9em; }
form.filters { position: sticky; top: 0; z-index: 1; background: #fff; border: 1px solid var(--line);
               border-radius: 4px; padding: 6px 10px; margin: 8px 0; display: flex; gap: 12px; flex-wrap: wrap;
               align-items: center; }
form.filters label { font-size: .9em; color: var(--muted); }
.src { font-size: .85em; }
.cmds { margin: 4px 0 0; font-size: .85em; }
.cmds code { display: block; user-select: all; background: #f2f4f7; padding: 1px 6px; margin: 2px 0;
             border-radius: 3px; white-space: pre-wrap; word-break: break-all; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 6px 0 14px; }
@media print {
  nav.toc, form.filters, .cmds { display: none !important; }
  svg.chart { break-inside: avoid; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  .card, tr, blockquote { break-inside: avoid; }
  .badge { color: #000; border: 1px solid #000; background: none !important; }
  mark.span { background: none; border-bottom: 2px solid #000; font-weight: 700; }
  a { color: inherit; text-decoration: none; }
}
"""


def _run_label(diff: Diff) -> str:
    return diff.new_run.run_id or "run"


def report_stem(diff: Diff) -> str:
    """File name stem: the run id, made safe for a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", _run_label(diff)) or "run"


# ---------------------------------------------------------------- HTML

def _highlight(e: Evidence) -> str:
    before, quote, after = e.parts
    if not quote:
        tail = f' <span class="where">(extracted: <mark class="span">{escape(e.quote)}</mark>)</span>' if e.quote else ""
        return escape(before) + tail
    return f'{escape(before)}<mark class="span">{escape(quote)}</mark>{escape(after)}'


TEXT_DIR = "../text"          # the saved texts, relative to reports/<run>.html
DEFAULT_CURATE = "python -m pipeline curate"


@dataclass(frozen=True)
class HistoryRecord:
    """One curation decision as the report shows it (the store's history records, or dicts, map onto it)."""

    fact_id: str
    action: str
    value: str = ""
    previous_value: str = ""
    note: str = ""
    by: str = ""
    at: str = ""


HISTORY_FIELDS = ("fact_id", "action", "value", "previous_value", "note", "by", "at")


def history_records(records: Iterable) -> list[HistoryRecord]:
    """Records (dataclasses, objects or dicts with HISTORY_FIELDS; missing ones blank), newest first."""
    out = []
    for r in records:
        get = r.get if isinstance(r, Mapping) else (lambda k, _r=r: getattr(_r, k, ""))
        vals = {k: "" if get(k) is None else str(get(k)) for k in HISTORY_FIELDS}
        if not vals.get("at") and get("decided_at"):      # the store's curation history names it decided_at
            vals["at"] = str(get("decided_at"))
        out.append(HistoryRecord(**vals))
    return sorted(out, key=lambda h: (h.at, h.fact_id), reverse=True)


@dataclass(frozen=True)
class ReportContext:
    """What the report shows beyond the diff: the run's facts (charts), the curation history,
    which saved texts exist (links), and how to call `curate` for this output root."""

    facts: tuple[Fact, ...] = ()
    history: tuple[HistoryRecord, ...] = ()
    texts: Optional[frozenset[str]] = None     # doc_ids with a saved text; None: link every span
    curate: str = DEFAULT_CURATE

    @classmethod
    def build(cls, current: Optional[RunSnapshot] = None, history: Iterable = (),
              out_dir: Optional[Path] = None, root: Optional[Path] = None) -> "ReportContext":
        """`out_dir`: where the report is written; `root`: the output root it is published to
        (a staging folder holds only the changed documents' texts)."""
        texts, curate = None, DEFAULT_CURATE
        if out_dir is not None:
            out_dir = Path(out_dir)
            root = Path(root) if root is not None else out_dir
            texts = frozenset(p.stem for d in {out_dir, root} for p in (d / "text").glob("*.txt"))
            if root.resolve() != Settings().out.resolve():
                curate += f" --out {shlex.quote(str(root.resolve()))}"
        return cls(tuple(current.facts) if current is not None else (), tuple(history_records(history)), texts, curate)


def text_link(e: Evidence) -> str:
    """Relative link to the saved text of `e` at its span: ../text/<doc_id>.txt#:~:text=<quote>
    (a text fragment: browsers that know it scroll to and highlight the span)."""
    q = " ".join(e.quote.split())
    if len(q) > 120:
        words = q.split(" ")
        q = f"{' '.join(words[:5])},{' '.join(words[-5:])}" if len(words) > 10 else ""
        frag = ",".join(url_quote(x, safe="").replace("-", "%2D") for x in q.split(",")) if q else ""
    else:
        frag = url_quote(q, safe="").replace("-", "%2D")
    return f"{TEXT_DIR}/{url_quote(e.doc_id, safe='')}.txt" + (f"#:~:text={frag}" if frag else "")


def _source_link(e: Evidence, ctx: ReportContext) -> str:
    if not e.doc_id or e.char_start is None or e.char_end is None:
        return ""
    where = f"characters {e.char_start}&ndash;{e.char_end} of text/{escape(e.doc_id[:12])}&hellip;.txt"
    if ctx.texts is not None and e.doc_id not in ctx.texts:
        return f'<div class="src where">{where} (that text is no longer kept)</div>'
    return (f'<div class="src"><a href="{escape(text_link(e))}" data-start="{e.char_start}" data-end="{e.char_end}"'
            f' data-quote="{escape(e.quote)}">source text</a> <span class="where">{where}: '
            f'&ldquo;{escape(e.quote)}&rdquo;</span></div>')


def _evidence_html(e: Evidence, ctx: ReportContext) -> str:
    where = f"{e.source_file}, p. {e.page}" + (f", {e.section}" if e.section else "") + \
        (f", table {e.table_id}" if e.table_id else "")
    gone = ' class="gone"' if e.side == "old" else ""
    label = "earlier run: " if e.side == "old" else ""
    return (f'<blockquote{gone}>{_highlight(e)}<div class="where">{escape(label + where)}</div>'
            f'{_source_link(e, ctx)}</blockquote>')


def curate_commands(fact_id: str, prefix: str = DEFAULT_CURATE) -> list[str]:
    """The three `curate` command lines for a fact, shell-quoted, ready to paste."""
    fid = shlex.quote(fact_id)
    return [f"{prefix} {fid} --accept --by NAME",
            f"{prefix} {fid} --reject --note 'WHY' --by NAME",
            f"{prefix} {fid} --correct 'VALUE' --note 'WHY' --by NAME"]


def drug_names(drug: str) -> list[str]:
    """The single drugs of a regimen field ("pertuzumab | trastuzumab", "X + Y"), sorted."""
    return sorted({x.strip() for x in re.split(r"\s*[|+;,]\s*", drug or "") if x.strip()}, key=str.lower)


def _card(c: FactChange, ctx: ReportContext) -> str:
    badge = f'<span class="badge {c.change}">{c.change}</span>'
    if c.newly_conflicting:
        badge += ' <span class="badge conflict">newly conflicting</span>'
    if c.change == "changed":
        vals = (f'<div class="values"><span class="old">{escape(c.old_value or "(blank)")}</span> &rarr; '
                f'<span class="new">{escape(c.new_value or "(blank)")}</span>'
                + (f' <span class="where">status {escape(c.old_status)} &rarr; {escape(c.new_status)}</span>'
                   if c.old_status != c.new_status else "") + "</div>")
    elif c.change == "added":
        vals = f'<div class="values">value: <span class="new">{escape(c.new_value or "(none stated)")}</span></div>'
    else:
        vals = f'<div class="values">was: <span class="old">{escape(c.old_value or "(none stated)")}</span></div>'
    why = f'<div class="why">Why: {escape("; ".join(c.reasons))}</div>'
    cur = f'<div class="why">Curation: {escape(c.curation)}</div>' if c.curation else ""
    ev = "".join(_evidence_html(e, ctx) for e in c.evidence) or '<p class="empty">no source sentence stored</p>'
    cmds = ""
    if c.change != "removed":      # a removed fact is not in the latest run: nothing to curate
        cmds = '<div class="cmds">' + "".join(f"<code>{escape(x)}</code>" for x in curate_commands(c.fact_id, ctx.curate)) \
            + "</div>"
    data = (f' data-kind="{escape(c.kind)}" data-change="{c.change}" data-conflict="{"yes" if c.newly_conflicting else ""}"'
            f' data-drugs="{escape("|".join(drug_names(c.drug)))}" data-cancer="{escape(c.cancer_type)}"')
    return (f'<div class="card c-{c.change}" id="f-{escape(c.fact_id)}"{data}>{badge} '
            f'<span class="statement">{escape(c.subject)}</span> <code>{escape(c.fact_id)}</code>'
            f'{vals}{why}{cur}{ev}{cmds}</div>')


def _summary_html(diff: Diff) -> str:
    counts = diff.counts()
    rows = []
    tot = {"added": 0, "removed": 0, "changed": 0, "newly_conflicting": 0}
    for k in list(KINDS) + [k for k in counts if k not in KINDS]:
        r = counts[k]
        for x in tot:
            tot[x] += r[x]
        rows.append(f'<tr><th scope="row">{escape(KIND_LABELS.get(k, k))}</th>'
                    + "".join(f'<td class="num">{r[x]}</td>' for x in tot) + "</tr>")
    rows.append('<tr><th scope="row">All facts</th>' + "".join(f'<td class="num"><b>{tot[x]}</b></td>' for x in tot)
                + "</tr>")
    dcount = {x: sum(1 for d in diff.documents if d.change == x) for x in ("added", "removed", "changed")}
    rows.append('<tr><th scope="row">Documents</th>' + "".join(f'<td class="num">{dcount[x]}</td>' for x in dcount)
                + '<td class="num">&ndash;</td></tr>')
    return ('<table class="summary" id="summary"><caption hidden>Summary of changes</caption><thead><tr><th></th>'
            '<th class="num">Added</th><th class="num">Removed</th><th class="num">Changed</th>'
            '<th class="num">Newly conflicting</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _runs_html(diff: Diff) -> str:
    n, o = diff.new_run, diff.old_run

    def cell(r, attr):
        return escape(str(getattr(r, attr))) if r is not None else "&ndash;"

    rows = [("Run", "run_id"), ("Finished", "finished"), ("Status", "status"), ("Rules hash", "rules_hash"),
             ("Code version", "code_version"), ("Documents", "n_documents"), ("Failed documents", "n_failed")]
    body = "".join(f"<tr><th>{label}</th><td>{cell(o, a)}</td><td>{cell(n, a)}</td></tr>" for label, a in rows)
    body += f'<tr><th>Facts</th><td>{diff.n_facts_old if o else "&ndash;"}</td><td>{diff.n_facts_new}</td></tr>'
    return f"<table><thead><tr><th></th><th>Earlier run</th><th>This run</th></tr></thead><tbody>{body}</tbody></table>"


def group_anchor(drug: str, cancer: str) -> str:
    """A unique, readable anchor for a (drug, cancer type) group."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{drug or 'none'} {cancer or 'none'}".lower()).strip("-")[:60]
    return f"g-{slug}-{hashlib.sha256(f'{drug}|{cancer}'.encode()).hexdigest()[:6]}"


def _select(name: str, label: str, options: Iterable[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return f'<label>{label} <select name="{name}" id="f-{name}"><option value="">all</option>{opts}</select></label>'


def _filters_html(diff: Diff) -> str:
    drugs = sorted({d for c in diff.facts for d in drug_names(c.drug)}, key=str.lower)
    cancers = sorted({c.cancer_type for c in diff.facts if c.cancer_type}, key=str.lower)
    changes = [(x, x) for x in ("added", "removed", "changed") if diff.of(x)]
    if diff.newly_conflicting:
        changes.append(("newly-conflicting", "newly conflicting"))
    kinds = [(k, KIND_LABELS.get(k, k)) for k in KINDS if any(c.kind == k for c in diff.facts)]
    # hidden until the script runs: without JavaScript every fact is shown and no dead control appears
    return ('<form class="filters" id="filters" hidden>'
            + _select("drug", "Drug", ((d, d) for d in drugs)) + _select("cancer", "Cancer type", ((c, c) for c in cancers))
            + _select("change", "Change", changes) + _select("kind", "Kind", kinds)
            + '<button type="reset">Show all</button> <output id="f-count" class="where"></output></form>')


FILTER_JS = """(function () {
  var form = document.getElementById('filters');
  if (!form) { return; }
  form.hidden = false;
  function apply() {
    var want = {}, shown = 0, total = 0;
    form.querySelectorAll('select').forEach(function (s) { want[s.name] = s.value; });
    document.querySelectorAll('.card[data-change]').forEach(function (c) {
      var ok = (!want.drug || c.dataset.drugs.split('|').indexOf(want.drug) >= 0)
        && (!want.cancer || c.dataset.cancer === want.cancer)
        && (!want.kind || c.dataset.kind === want.kind)
        && (!want.change || c.dataset.change === want.change
            || (want.change === 'newly-conflicting' && c.dataset.conflict === 'yes'));
      c.hidden = !ok; total += 1; shown += ok ? 1 : 0;
    });
    document.querySelectorAll('section.group').forEach(function (g) {
      g.hidden = !g.querySelector('.card:not([hidden])');
    });
    document.getElementById('f-count').textContent = shown + ' of ' + total + ' fact changes shown';
  }
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  apply();
})();"""
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
       "script-src 'sha256-" + base64.b64encode(hashlib.sha256(FILTER_JS.encode()).digest()).decode() + "'")


def _history_html(diff: Diff, ctx: ReportContext) -> str:
    if not ctx.history:
        return '<p class="empty">No curation decision recorded.</p>'
    cards = {c.fact_id for c in diff.facts}
    rows = []
    for h in ctx.history:
        fid = escape(h.fact_id)
        fact = f'<a href="#f-{fid}"><code>{fid}</code></a>' if h.fact_id in cards else f"<code>{fid}</code>"
        dec = escape(h.action) + (f" &rarr; {escape(h.value)}" if h.value else "")
        rows.append(f'<tr data-fact="{fid}"><td>{escape(h.at) or "&ndash;"}</td><td>{fact}</td><td>{dec}</td>'
                    f'<td>{escape(h.previous_value) or "&ndash;"}</td><td>{escape(h.note)}</td>'
                    f'<td>{escape(h.by) or "&ndash;"}</td></tr>')
    return ('<table id="history-table"><thead><tr><th>When</th><th>Fact</th><th>Decision</th><th>Previous value</th>'
            '<th>Note</th><th>By</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _charts_html(ctx: ReportContext) -> str:
    if not ctx.facts:
        return '<p class="empty">The charts need the run\'s facts (not given to this report).</p>'
    return ('<h3 id="chart-forest">Hazard ratios by drug and trial</h3>' + forest_plot(ctx.facts)
            + '<h3 id="chart-timeline">Approvals and recommendations by agency and drug</h3>'
            + approvals_timeline(ctx.facts)
            + '<h3 id="chart-values">Efficacy values per drug and cancer type</h3>' + values_chart(ctx.facts))


TOC_OPEN_GROUPS = 16
SECTIONS = (("summary-heading", "Summary"), ("charts", "Charts of this run's facts"), ("documents", "Documents"),
            ("facts", "Fact changes"), ("history", "Curation history"),
            ("stale", "Stale curation decisions"), ("runs", "Runs compared"))


def _toc_html(diff: Diff) -> str:
    items = []
    for sid, label in SECTIONS:
        sub = ""
        if sid == "facts" and diff.facts:
            groups = diff.groups()
            sub = "<ol>" + "".join(
                f'<li><a href="#{group_anchor(d, c)}">{escape(d or "No drug named")} &middot; '
                f'{escape(c or "no cancer type")}</a> ({len(ch)})</li>' for (d, c), ch in groups) + "</ol>"
            if len(groups) > TOC_OPEN_GROUPS:    # a first run has a hundred groups: folded, one click away
                sub = f"<details><summary>{len(groups)} groups by drug and cancer type</summary>{sub}</details>"
        items.append(f'<li><a href="#{sid}">{label}</a>{sub}</li>')
    return '<nav class="toc" id="toc" aria-label="Contents"><b>Contents</b><ol>' + "".join(items) + "</ol></nav>"


def render_html(diff: Diff, ctx: Optional[ReportContext] = None) -> str:
    return "\n".join(html_parts(diff, ctx))


def html_parts(diff: Diff, ctx: Optional[ReportContext] = None) -> Iterator[str]:
    """The HTML report's parts, to be joined by newlines (written one at a time: a first run's report
    over a large corpus is never held in memory whole)."""
    ctx = ctx or ReportContext()
    title = f"What changed in run {_run_label(diff)}"
    since = f"compared with run {diff.old_run.run_id}" if diff.old_run else "first recorded run (no earlier run)"
    notes = []
    if diff.rules_changed:
        notes.append("The rules changed between the runs.")
    if diff.code_changed:
        notes.append("The pipeline code changed between the runs.")
    yield from [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(since)}; corpus {escape(diff.new_run.corpus)}. {" ".join(notes)}</p>',
        _toc_html(diff),
        '<h2 id="summary-heading">Summary</h2>', _summary_html(diff),
        '<h2 id="charts">Charts of this run\'s facts</h2>', _charts_html(ctx),
    ]
    yield ('<h2 id="documents">Documents</h2>')
    if diff.documents:
        yield ("<table><thead><tr><th>Change</th><th>File</th><th>Title</th><th>Detail</th></tr></thead><tbody>")
        for d in diff.documents:
            yield (f'<tr><td><span class="badge {d.change}">{d.change}</span></td><td>{escape(d.source_file)}'
                         f"</td><td>{escape(d.title)}</td><td>{escape(d.detail)}</td></tr>")
        yield ("</tbody></table>")
    else:
        yield ('<p class="empty">No document was added, removed or changed.</p>')
    yield ('<h2 id="facts">Fact changes by drug and cancer type</h2>')
    if not diff.facts:
        yield ('<p class="empty">No fact was added, removed or changed.</p>')
    else:
        yield (_filters_html(diff))
    for (drug, cancer), changes in diff.groups():
        n = len(changes)
        yield (f'<section class="group" id="{group_anchor(drug, cancer)}">'
                     f'<h3>{escape(drug) if drug else "No drug named"} &middot; '
                     f'{escape(cancer) if cancer else "no cancer type"} '
                     f'<span class="where">({n} change{"s" if n != 1 else ""})</span></h3>')
        yield from (_card(c, ctx) for c in changes)
        yield ("</section>")
    yield ('<h2 id="history">Curation history</h2>')
    yield (_history_html(diff, ctx))
    yield ('<h2 id="stale">Stale curation decisions</h2>')
    if diff.stale_decisions:
        yield ("<p>These decisions in rules/curation.yaml name facts this run no longer has "
                     "(the fact's key or the extraction changed). Review and update or delete them.</p>")
        yield ("<table><thead><tr><th>Line</th><th>Fact</th><th>Decision</th><th>Last seen as</th>"
                     "<th>By / date</th></tr></thead><tbody>")
        for s in diff.stale_decisions:
            dec = escape(s.action) + (f" &rarr; {escape(s.value)}" if s.value else "") + \
                (f": {escape(s.note)}" if s.note else "")
            yield (f"<tr><td>{s.line or ''}</td><td><code>{escape(s.fact_id)}</code></td><td>{dec}</td>"
                         f"<td>{escape(s.last_seen) or '&ndash;'}</td><td>{escape(' '.join(x for x in (s.by, s.date) if x))}</td></tr>")
        yield ("</tbody></table>")
    else:
        yield ('<p class="empty">None.</p>')
    yield ('<h2 id="runs">Runs compared</h2>')
    yield (_runs_html(diff))
    if diff.facts:
        yield (f"<script>{FILTER_JS}</script>")
    yield ("</body></html>\n")


# ---------------------------------------------------------------- Markdown

def _md(s: str) -> str:
    """Text from a document, file name or curator as inert Markdown: HTML characters become entities
    (no raw <script>, <img onerror=...>, <a href="javascript:...">), brackets and backticks are escaped
    (no [link](javascript:...) and no code span breaking out), pipes cannot split a table cell."""
    s = s.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "[]`*|":
        s = s.replace(ch, "\\" + ch)
    return " ".join(s.splitlines())


def _md_table(header: list[str], rows: list[list[str]], empty: str) -> list[str]:
    """A Markdown table of already escaped cells, or the `empty` sentence."""
    if not rows:
        return [empty]
    return ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def _md_code(s: str) -> str:
    """An id in a code span when it is a plain id, else escaped text."""
    return f"`{s}`" if re.fullmatch(r"[A-Za-z0-9_.-]+", s or "") else _md(s)


def _md_highlight(e: Evidence) -> str:
    before, quote, after = e.parts
    if not quote:
        return _md(before) + (f" (extracted: **{_md(e.quote)}**)" if e.quote else "")
    return f"{_md(before)}**{_md(quote)}**{_md(after)}"


def render_markdown(diff: Diff, ctx: Optional[ReportContext] = None) -> str:
    return "\n".join(markdown_lines(diff, ctx)) + "\n"


def markdown_lines(diff: Diff, ctx: Optional[ReportContext] = None) -> Iterator[str]:
    """The Markdown report's lines, without their newlines (written one at a time)."""
    ctx = ctx or ReportContext()
    yield from [f"# What changed in run {_md(_run_label(diff))}", ""]
    yield (f"Compared with run {_md(diff.old_run.run_id)}." if diff.old_run else "First recorded run (no earlier run).")
    if diff.rules_changed:
        yield ("The rules changed between the runs.")
    if diff.code_changed:
        yield ("The pipeline code changed between the runs.")
    yield from ["", "## Summary", "", "| | Added | Removed | Changed | Newly conflicting |", "| --- | ---: | ---: | ---: | ---: |"]
    for k, r in diff.counts().items():
        yield (f"| {KIND_LABELS.get(k, k)} | {r['added']} | {r['removed']} | {r['changed']} | {r['newly_conflicting']} |")
    dcount = {x: sum(1 for d in diff.documents if d.change == x) for x in ("added", "removed", "changed")}
    yield (f"| Documents | {dcount['added']} | {dcount['removed']} | {dcount['changed']} | - |")
    yield from ["", "## Documents", ""]
    if diff.documents:
        yield from ["| Change | File | Detail |", "| --- | --- | --- |"]
        yield from [f"| {d.change} | {_md(d.source_file)} | {_md(d.detail)} |" for d in diff.documents]
    else:
        yield ("No document was added, removed or changed.")
    yield from ["", "## Fact changes by drug and cancer type"]
    if not diff.facts:
        yield from ["", "No fact was added, removed or changed."]
    for (drug, cancer), changes in diff.groups():
        yield from ["", f"### {_md(drug) or 'No drug named'} · {_md(cancer) or 'no cancer type'}", ""]
        for c in changes:
            flag = " (newly conflicting)" if c.newly_conflicting else ""
            if c.change == "changed":
                val = f"{c.old_value or '(blank)'} → {c.new_value or '(blank)'}"
            elif c.change == "added":
                val = f"value {c.new_value or '(none stated)'}"
            else:
                val = f"was {c.old_value or '(none stated)'}"
            yield (f"- **{c.change.upper()}**{flag} {_md(c.subject)} — {_md(val)} ({_md_code(c.fact_id)})")
            yield (f"  - Why: {_md('; '.join(c.reasons))}")
            if c.curation:
                yield (f"  - Curation: {_md(c.curation)}")
            for e in c.evidence:
                label = "earlier run, " if e.side == "old" else ""
                yield (f"  - {label}{_md(e.source_file)} p. {e.page}: > {_md_highlight(e)}")
                if e.doc_id and e.char_start is not None and (ctx.texts is None or e.doc_id in ctx.texts):
                    yield (f"    - source text: [characters {e.char_start}-{e.char_end}](<{text_link(e)}>)")
            if c.change != "removed" and re.fullmatch(r"[A-Za-z0-9]+", c.fact_id):
                yield (f"  - Curate: `{curate_commands(c.fact_id, ctx.curate)[0]}` (or `--reject`, "
                           f"`--correct 'VALUE'`, with `--note 'WHY'`)")
    yield from ["", "## Stale curation decisions", ""]
    yield from _md_table(["Line", "Fact", "Decision", "Note", "Last seen as"],
                     [[str(s.line or ""), _md_code(s.fact_id), _md(s.action + (" → " + s.value if s.value else "")),
                       _md(s.note), _md(s.last_seen) or "-"] for s in diff.stale_decisions], "None.")
    yield from ["", "## Curation history", ""]
    yield from _md_table(["When", "Fact", "Decision", "Previous value", "Note", "By"],
                     [[_md(h.at) or "-", _md_code(h.fact_id), _md(h.action + (" → " + h.value if h.value else "")),
                       _md(h.previous_value) or "-", _md(h.note), _md(h.by) or "-"] for h in ctx.history],
                     "No curation decision recorded.")


def run_summary_markdown(summary: dict) -> str:
    """A run's summary (the dict `finish_run` returns) as Markdown for the Prefect UI: counts,
    every failed document's coded reason (escaped), the report's path."""
    rows = [("Status", summary.get("status", "")), ("Documents", summary.get("n_documents", 0)),
            ("Failed", summary.get("n_failed", 0)), ("Reused unchanged", summary.get("n_reused", 0)),
            ("Mentions", summary.get("n_mentions", 0)), ("Facts", summary.get("n_facts", 0)),
            ("Conflicts", summary.get("n_conflicts", 0)), ("Rejected by curators", summary.get("n_rejected", 0)),
            ("Stale curation decisions", summary.get("n_stale_decisions", 0))]
    out = [f"# HER2 pipeline run {_md(str(summary.get('run_id') or '-'))}", ""]
    out += _md_table(["", "count"], [[k, _md(str(v))] for k, v in rows], "")
    out += ["", "## Failed documents", ""]
    out += [f"- {_md(f)}" for f in summary.get("failures", [])] or ["None."]
    if summary.get("report"):
        out += ["", f"Curator report: {_md(str(summary['report']))}"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- CSV

def csv_rows(diff: Diff) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for c in diff.facts:
        e = c.evidence[0] if c.evidence else None
        rows.append({
            "record": "fact", "change": c.change, "kind": c.kind, "fact_id": c.fact_id, "drug": c.drug,
            "cancer_type": c.cancer_type, "statement": c.statement, "old_value": c.old_value,
            "new_value": c.new_value, "old_status": c.old_status, "new_status": c.new_status,
            "newly_conflicting": "yes" if c.newly_conflicting else "", "why": "; ".join(c.reasons),
            "source_file": e.source_file if e else "", "page": str(e.page) if e else "",
            "quote": e.quote if e else "", "sentence": e.sentence if e else "", "curation": c.curation})
    for d in diff.documents:
        rows.append({"record": "document", "change": d.change, "source_file": d.source_file, "statement": d.title,
                     "old_value": d.old_doc_id, "new_value": d.new_doc_id, "why": d.detail})
    for s in diff.stale_decisions:
        rows.append({"record": "stale_decision", "change": "stale", "fact_id": s.fact_id, "statement": s.last_seen,
                     "new_value": s.value, "curation": f"{s.action}: {s.note}".rstrip(": "),
                     "why": f"rules/curation.yaml line {s.line}: the fact is not in this run"})
    return rows


def render_csv(diff: Diff) -> str:
    return csv_text(CSV_COLUMNS, csv_rows(diff))      # the one spreadsheet-safe CSV writer


# ---------------------------------------------------------------- files and CLI

def write_reports(diff: Diff, out_dir: Path, current: Optional[RunSnapshot] = None, history: Iterable = (),
                  root: Optional[Path] = None) -> list[Path]:
    """Write <out_dir>/reports/<run>.html, .md and .csv; return their paths. `current` (the newer
    run's snapshot) feeds the charts; `history` (curation decision records, see HistoryRecord)
    the curation history."""
    folder = Path(out_dir) / REPORTS_DIR
    stem = report_stem(diff)
    ctx = ReportContext.build(current, history, out_dir, root)
    paths = []
    for suffix, lines in ((".html", html_parts(diff, ctx)), (".md", itertools.chain(markdown_lines(diff, ctx), [""])),
                          (".csv", [render_csv(diff)])):
        p = folder / f"{stem}{suffix}"
        atomic_write_lines(p, lines)        # one rendering at a time, one part at a time
        paths.append(p)
    return paths


def pick_runs(runs: Sequence, from_run: Optional[str], to_run: Optional[str],
              url: str = "the store") -> tuple[Optional[str], str]:
    """(older run id or None, newer run id) from the store's runs (oldest first).
    Defaults: the latest completed run, and the completed run before it."""
    ids = [r.run_id for r in runs]
    done = [r.run_id for r in runs if r.status in COMPLETED]
    if to_run is None:
        if not done:
            raise PipelineError(Errors.E301.format(url=url, reason="no completed run recorded yet; "
                                                                   "run `python -m pipeline run` first"))
        to_run = done[-1]
    if from_run is None:
        if to_run in ids:
            pos = ids.index(to_run)
            earlier = [i for i in done if ids.index(i) < pos]
            from_run = earlier[-1] if earlier else None
    return from_run, to_run


def diff_command(settings, from_run: Optional[str], to_run: Optional[str]) -> list[Path]:
    """`python -m pipeline diff`: diff two recorded runs (default: the latest
    completed run vs the one before) and write the reports under settings.out."""
    from pipeline.curation import curation_path, load_decisions
    from pipeline.store import Store

    decisions = load_decisions(curation_path(settings))
    with Store.open(settings.store_url) as store:
        old_id, new_id = pick_runs(store.runs(), from_run, to_run, store.url)
        new = store.snapshot(new_id)
        old = store.snapshot(old_id) if old_id else None
    return write_reports(snapshots_to_diff(old, new, decisions), settings.out, current=new)
