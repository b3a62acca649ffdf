"""Prefect as its users expect it, and a safe report, against a real Prefect (prefect_test_harness runs a
real temporary API server): the main flow on a corpus holding a good review, a review full of HTML and
Markdown payloads (in its title, sentences, a table cell and its file name) and an empty file, with a
curation decision whose note and value are payloads too.

Read back from the API: the flow run's final state (named "Completed with failures", type COMPLETED,
since a document failed), its markdown summary and link artifacts, and the flow's parameter schema
(typed, described). Then the report is opened in headless Chromium: no payload runs (no foreign script,
no inline handler, no javascript: link, no dialog) and every payload is shown as text; the Markdown
report rendered by a CommonMark renderer holds no live HTML either."""
from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CORPUS, DOC4, ROOT

pytestmark = pytest.mark.slow

EVIL_NAME = "<img src=x onerror=window.__pwned=1>.md"
PAYLOADS = ["<script>window.__pwned=2</script>", "<img src=x onerror=window.__pwned=3>",
            "[click here](javascript:window.__pwned=4)", '<a href="javascript:window.__pwned=5">link</a>']
EVIL_DOC = f"""# HER2-low breast cancer {PAYLOADS[0]}: a review

## Introduction

In the DESTINY-Breast04 trial, trastuzumab deruxtecan achieved an objective response rate of 52.6% in
HER2-low metastatic breast cancer {PAYLOADS[1]}. The FDA approved trastuzumab deruxtecan for HER2-low
breast cancer in August 2022 {PAYLOADS[2]}. In DESTINY-Breast03, trastuzumab deruxtecan reduced the risk
of progression or death (hazard ratio 0.28, 95% CI 0.22-0.37) {PAYLOADS[3]}.

Table 1. Trials of trastuzumab deruxtecan {PAYLOADS[1]}

| Trial | NCT ID | Regimen | ORR |
|---|---|---|---|
| DESTINY-Breast04 {PAYLOADS[0]} | NCT03734029 | T-DXd | 52.3% |

## Conclusion

HER2-low is a target.
"""
STALE_NOTE = "<script>window.__pwned=6</script> see [x](javascript:window.__pwned=7)"


@pytest.fixture(scope="module")
def flow_run(tmp_path_factory):
    """(final state, flow run id, summary, out dir, artifacts, parameter schema) of one real flow run."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.testing.utilities import prefect_test_harness

    from pipeline.flows import main_flow

    work = tmp_path_factory.mktemp("prefect-flow")
    corpus, out, rules = work / "corpus", work / "out", work / "rules"
    corpus.mkdir()
    shutil.copy(CORPUS / DOC4, corpus / DOC4)
    (corpus / EVIL_NAME).write_text(EVIL_DOC, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    shutil.copytree(ROOT / "rules", rules)
    (rules / "curation.yaml").write_text(
        "decisions:\n  - fact_id: 00000000000000aa\n    action: correct\n"
        f"    value: \"javascript:window.__pwned=8\"\n    note: \"{STALE_NOTE}\"\n    by: \"<b onmouseover=x>Eve</b>\"\n"
        "    date: \"2026-11-22\"\n", encoding="utf-8")
    before = os.environ.get("HER2_RULES_DIR")
    os.environ["HER2_RULES_DIR"] = str(rules)
    try:
        with prefect_test_harness(server_startup_timeout=180):
            state = main_flow(corpus=str(corpus), out=str(out), return_state=True)
            run_id = state.state_details.flow_run_id
            with get_client(sync_client=True) as client:
                fr = client.read_flow_run(run_id)
                arts = client.read_artifacts(artifact_filter=ArtifactFilter(
                    flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
            schema = main_flow.parameters.model_dump()
    finally:
        if before is None:
            os.environ.pop("HER2_RULES_DIR", None)
        else:
            os.environ["HER2_RULES_DIR"] = before
    return state, fr, state.result(), out, {a.key: a for a in arts}, schema


def test_a_run_with_a_failed_document_ends_completed_with_failures(flow_run):
    state, fr, summary, _, _, _ = flow_run
    assert summary["n_failed"] == 1 and summary["n_documents"] == 3
    assert summary["failures"][0].startswith("E001") and "empty.txt" in summary["failures"][0]
    for s in (state, fr.state):                          # the state the engine returned and the one the API kept
        assert s.type.value == "COMPLETED" and s.name == "Completed with failures"
        assert s.message.startswith("1 of 3 documents failed")


def test_summary_and_report_are_prefect_artifacts(flow_run):
    _, _, summary, out, arts, _ = flow_run
    assert set(arts) == {"her2-run-summary", "her2-curator-report"}
    md = arts["her2-run-summary"]
    assert md.type == "markdown"
    assert f"# HER2 pipeline run {summary['run_id']}" in md.data
    assert "| Failed | 1 |" in md.data and "| Documents | 3 |" in md.data
    assert "- E001 " in md.data and "empty.txt" in md.data and summary["report"] in md.data
    link = arts["her2-curator-report"]
    report = Path(summary["report"])
    assert report.parent == out / "reports" and report.exists()
    # Prefect 3 keeps a link artifact as Markdown holding the link
    assert link.data == f"[curator report {report.name}]({report.resolve().as_uri()})"


def test_flow_parameters_are_typed_and_described(flow_run):
    *_, schema = flow_run
    props = schema["properties"]
    assert list(props) == ["corpus", "out", "store_url", "ner_model"]
    assert props["corpus"]["type"] == "string" and props["out"]["default"] == "extracted"
    assert {"type": "null"} in props["store_url"]["anyOf"]
    for name, p in props.items():
        assert len(p.get("description", "")) > 30, name
    assert "postgresql" in props["store_url"]["description"]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def _live_html(html: str) -> list[str]:
    """Tags or attributes in `html` that could run code."""
    p = _Tags()
    p.feed(html)
    bad = []
    for tag, attrs in p.found:
        if tag in ("script", "iframe", "object", "embed"):
            bad.append(tag)
        for k, v in attrs.items():
            if k.startswith("on") or (v or "").strip().lower().startswith("javascript:"):
                bad.append(f"{tag} {k}={v}")
    return bad


def test_markdown_report_holds_no_live_html(flow_run):
    from markdown_it import MarkdownIt

    _, _, summary, _, arts, _ = flow_run
    md = Path(summary["report"]).with_suffix(".md").read_text(encoding="utf-8")
    assert "onerror" in md and "window.__pwned=6" in md               # the payloads are there, as text
    html = MarkdownIt("commonmark").render(md)
    assert _live_html(html) == []
    assert "&lt;script&gt;window.__pwned=6&lt;/script&gt;" in html    # shown, not run
    assert _live_html(MarkdownIt("commonmark").render(arts["her2-run-summary"].data)) == []


@pytest.mark.browser
def test_html_report_payloads_are_inert_in_chromium(flow_run, browser):
    from test_report_browser import _open, _problems

    from pipeline.report import FILTER_JS

    summary = flow_run[2]
    html = Path(summary["report"]).read_text(encoding="utf-8")
    assert _live_html(html) == ["script"]                              # ours, the filter
    # the payload document went through: its facts, table cell, file name and the stale note are in the report
    for text in ("52.6%", "DESTINY-Breast04", EVIL_NAME, "window.__pwned=6"):
        assert text.replace("<", "&lt;").replace(">", "&gt;") in html, text
    cdp = browser
    cdp.send("Page.enable")
    _open(cdp, Path(summary["report"]))
    assert cdp.eval("[...document.scripts].map(s => s.textContent)") == [FILTER_JS]
    assert cdp.eval("document.querySelectorAll('[onerror], [onmouseover], a[href^=\"javascript:\" i]').length") == 0
    assert cdp.eval("typeof window.__pwned") == "undefined"
    body = cdp.eval("document.body.innerText")
    assert PAYLOADS[1] in body and EVIL_NAME in body and "<script>window.__pwned=6</script>" in body
    assert not [e for e in cdp.events if e["method"] == "Page.javascriptDialogOpening"]
    # hovering and clicking everything runs nothing either
    cdp.eval("document.querySelectorAll('*').forEach(e => { e.dispatchEvent(new MouseEvent('mouseover')); })")
    assert cdp.eval("typeof window.__pwned") == "undefined"
    assert _problems(cdp.events) == []


from test_report_browser import browser, chromium_installed  # noqa: E402,F401  (the Chromium fixtures)
