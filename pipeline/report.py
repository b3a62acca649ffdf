"""Curator diff report: a Diff rendered to reports/<run>.html, .md and .csv
under the output root (each written atomically).

The HTML is one self-contained file: inline CSS (screen and print), no
scripts, no external fonts or images. The summary table comes first, then the
document changes, then every fact change grouped by drug and cancer type, with
the source sentence and the extracted span in <mark class="span">.
"""
from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Optional, Sequence

from pipeline.diff import KINDS, Diff, Evidence, FactChange, snapshots_to_diff
from pipeline.errors import Errors, PipelineError
from pipeline.outputs import atomic_write_text, csv_text
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
@media print {
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


def _evidence_html(e: Evidence) -> str:
    where = f"{e.source_file}, p. {e.page}" + (f", {e.section}" if e.section else "") + \
        (f", table {e.table_id}" if e.table_id else "")
    gone = ' class="gone"' if e.side == "old" else ""
    label = "earlier run: " if e.side == "old" else ""
    return (f'<blockquote{gone}>{_highlight(e)}<div class="where">{escape(label + where)}</div></blockquote>')


def _card(c: FactChange) -> str:
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
    ev = "".join(_evidence_html(e) for e in c.evidence) or '<p class="empty">no source sentence stored</p>'
    return (f'<div class="card c-{c.change}" id="f-{escape(c.fact_id)}">{badge} '
            f'<span class="statement">{escape(c.subject)}</span> <code>{escape(c.fact_id)}</code>'
            f'{vals}{why}{cur}{ev}</div>')


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


def render_html(diff: Diff) -> str:
    title = f"What changed in run {_run_label(diff)}"
    since = f"compared with run {diff.old_run.run_id}" if diff.old_run else "first recorded run (no earlier run)"
    notes = []
    if diff.rules_changed:
        notes.append("The rules changed between the runs.")
    if diff.code_changed:
        notes.append("The pipeline code changed between the runs.")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(since)}; corpus {escape(diff.new_run.corpus)}. {" ".join(notes)}</p>',
        '<h2 id="summary-heading">Summary</h2>', _summary_html(diff),
    ]
    parts.append("<h2>Documents</h2>")
    if diff.documents:
        parts.append("<table><thead><tr><th>Change</th><th>File</th><th>Title</th><th>Detail</th></tr></thead><tbody>")
        for d in diff.documents:
            parts.append(f'<tr><td><span class="badge {d.change}">{d.change}</span></td><td>{escape(d.source_file)}'
                         f"</td><td>{escape(d.title)}</td><td>{escape(d.detail)}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append('<p class="empty">No document was added, removed or changed.</p>')
    parts.append("<h2>Fact changes by drug and cancer type</h2>")
    if not diff.facts:
        parts.append('<p class="empty">No fact was added, removed or changed.</p>')
    for (drug, cancer), changes in diff.groups():
        n = len(changes)
        parts.append(f'<h3>{escape(drug) if drug else "No drug named"} &middot; '
                     f'{escape(cancer) if cancer else "no cancer type"} '
                     f'<span class="where">({n} change{"s" if n != 1 else ""})</span></h3>')
        parts.extend(_card(c) for c in changes)
    parts.append("<h2>Stale curation decisions</h2>")
    if diff.stale_decisions:
        parts.append("<p>These decisions in rules/curation.yaml name facts this run no longer has "
                     "(the fact's key or the extraction changed). Review and update or delete them.</p>")
        parts.append("<table><thead><tr><th>Line</th><th>Fact</th><th>Decision</th><th>Last seen as</th>"
                     "<th>By / date</th></tr></thead><tbody>")
        for s in diff.stale_decisions:
            dec = s.action + (f" &rarr; {escape(s.value)}" if s.value else "") + (f": {escape(s.note)}" if s.note else "")
            parts.append(f"<tr><td>{s.line or ''}</td><td><code>{escape(s.fact_id)}</code></td><td>{dec}</td>"
                         f"<td>{escape(s.last_seen) or '&ndash;'}</td><td>{escape(' '.join(x for x in (s.by, s.date) if x))}</td></tr>")
        parts.append("</tbody></table>")
    else:
        parts.append('<p class="empty">None.</p>')
    parts.append("<h2>Runs compared</h2>")
    parts.append(_runs_html(diff))
    parts.append("</body></html>\n")
    return "\n".join(parts)


# ---------------------------------------------------------------- Markdown

def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _md_highlight(e: Evidence) -> str:
    before, quote, after = e.parts
    if not quote:
        return _md(before) + (f" (extracted: **{_md(e.quote)}**)" if e.quote else "")
    return f"{_md(before)}**{_md(quote)}**{_md(after)}"


def render_markdown(diff: Diff) -> str:
    out = [f"# What changed in run {_run_label(diff)}", ""]
    out.append(f"Compared with run {diff.old_run.run_id}." if diff.old_run else "First recorded run (no earlier run).")
    if diff.rules_changed:
        out.append("The rules changed between the runs.")
    if diff.code_changed:
        out.append("The pipeline code changed between the runs.")
    out += ["", "## Summary", "", "| | Added | Removed | Changed | Newly conflicting |", "| --- | ---: | ---: | ---: | ---: |"]
    for k, r in diff.counts().items():
        out.append(f"| {KIND_LABELS.get(k, k)} | {r['added']} | {r['removed']} | {r['changed']} | {r['newly_conflicting']} |")
    dcount = {x: sum(1 for d in diff.documents if d.change == x) for x in ("added", "removed", "changed")}
    out.append(f"| Documents | {dcount['added']} | {dcount['removed']} | {dcount['changed']} | - |")
    out += ["", "## Documents", ""]
    if diff.documents:
        out += ["| Change | File | Detail |", "| --- | --- | --- |"]
        out += [f"| {d.change} | {_md(d.source_file)} | {_md(d.detail)} |" for d in diff.documents]
    else:
        out.append("No document was added, removed or changed.")
    out += ["", "## Fact changes by drug and cancer type"]
    if not diff.facts:
        out += ["", "No fact was added, removed or changed."]
    for (drug, cancer), changes in diff.groups():
        out += ["", f"### {drug or 'No drug named'} · {cancer or 'no cancer type'}", ""]
        for c in changes:
            flag = " (newly conflicting)" if c.newly_conflicting else ""
            if c.change == "changed":
                val = f"{c.old_value or '(blank)'} → {c.new_value or '(blank)'}"
            elif c.change == "added":
                val = f"value {c.new_value or '(none stated)'}"
            else:
                val = f"was {c.old_value or '(none stated)'}"
            out.append(f"- **{c.change.upper()}**{flag} {_md(c.subject)} — {_md(val)} (`{c.fact_id}`)")
            out.append(f"  - Why: {_md('; '.join(c.reasons))}")
            if c.curation:
                out.append(f"  - Curation: {_md(c.curation)}")
            for e in c.evidence:
                label = "earlier run, " if e.side == "old" else ""
                out.append(f"  - {label}{_md(e.source_file)} p. {e.page}: > {_md_highlight(e)}")
    out += ["", "## Stale curation decisions", ""]
    if diff.stale_decisions:
        out += ["| Line | Fact | Decision | Last seen as |", "| ---: | --- | --- | --- |"]
        for s in diff.stale_decisions:
            out.append(f"| {s.line or ''} | `{s.fact_id}` | {_md(s.action + (' → ' + s.value if s.value else ''))} "
                       f"| {_md(s.last_seen) or '-'} |")
    else:
        out.append("None.")
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

def write_reports(diff: Diff, out_dir: Path) -> list[Path]:
    """Write <out_dir>/reports/<run>.html, .md and .csv; return their paths."""
    folder = Path(out_dir) / REPORTS_DIR
    stem = report_stem(diff)
    paths = []
    for suffix, text in ((".html", render_html(diff)), (".md", render_markdown(diff)), (".csv", render_csv(diff))):
        p = folder / f"{stem}{suffix}"
        atomic_write_text(p, text)
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
    return write_reports(snapshots_to_diff(old, new, decisions), settings.out)
