"""The curator report in a real headless Chromium, driven over the DevTools
protocol: it loads from a file:// URL with no console errors and no request
leaving the file, the summary table comes first, the extracted spans are
highlighted (and visibly so on the screenshot), and the print stylesheet
applies when printing to PDF.

Chromium is Debian's package (/usr/bin/chromium); scripts/install_chromium.sh
installs it. Without it the test skips and says so."""
from __future__ import annotations

import base64
import io
import itertools
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("HER2_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1200,1600"]
START_S = 60
STEP_S = 30


class CDP:
    """A minimal synchronous DevTools-protocol client over one page target."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=64 * 2**20, open_timeout=STEP_S)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        i = next(self.ids)
        self.ws.send(json.dumps({"id": i, "method": method, "params": params}))
        deadline = time.monotonic() + STEP_S
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if msg.get("id") == i:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method: str) -> dict:
        for e in self.events:
            if e["method"] == method:
                return e
        deadline = time.monotonic() + STEP_S
        while True:
            msg = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == method:
                    return msg

    def eval(self, expr: str):
        r = self.send("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            raise AssertionError(f"{expr}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="session")
def chromium_installed() -> Path:
    """The test set-up installs Debian's chromium when it is missing (root and apt needed)."""
    if not CHROMIUM.exists() and CHROMIUM == Path("/usr/bin/chromium") and not os.environ.get("HER2_NO_INSTALL"):
        script = Path(__file__).resolve().parents[1] / "scripts" / "install_chromium.sh"
        r = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=900)
        if r.returncode != 0 or not CHROMIUM.exists():
            why = (r.stderr or r.stdout).strip().splitlines()[-1:] or ["no output"]
            pytest.skip(f"{CHROMIUM} is not installed and scripts/install_chromium.sh could not install it: {why[0]}")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed: run scripts/install_chromium.sh (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def browser(tmp_path, chromium_installed):
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    log = (tmp_path / "chromium.log").open("wb")
    proc = subprocess.Popen([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    cdp = None
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_S
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not start ({proc.poll()}): "
                            f"{(tmp_path / 'chromium.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=STEP_S) as r:
            pages = [t for t in json.loads(r.read()) if t["type"] == "page"]
        assert pages, "no page target"
        cdp = CDP(pages[0]["webSocketDebuggerUrl"])
        yield cdp
    finally:
        if cdp is not None:
            cdp.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()


@pytest.fixture
def report(tmp_path) -> Path:
    from test_diff import two_runs

    from pipeline.diff import snapshots_to_diff
    from pipeline.report import write_reports

    old, new = two_runs()
    return write_reports(snapshots_to_diff(old, new), tmp_path / "out", current=new)[0]


# A review paragraph with four hazard ratios and three dated approvals (figures as the trials published them)
HR_SENTENCES = [
    ("In DESTINY-Breast03, trastuzumab deruxtecan improved progression-free survival over trastuzumab emtansine "
     "(HR 0.28, 95% CI 0.22-0.37).", "HR 0.28, 95% CI 0.22-0.37", "trastuzumab deruxtecan", "DESTINY-Breast03",
     "PFS", "0.28", "0.22", "0.37", "breast"),
    ("In CLEOPATRA, adding pertuzumab to trastuzumab and docetaxel prolonged overall survival "
     "(HR 0.68, 95% CI 0.56-0.84).", "HR 0.68, 95% CI 0.56-0.84", "pertuzumab", "CLEOPATRA", "OS", "0.68",
     "0.56", "0.84", "breast"),
    ("In HER2CLIMB, tucatinib reduced the risk of progression or death (HR 0.54, 95% CI 0.42-0.71).",
     "HR 0.54, 95% CI 0.42-0.71", "tucatinib", "HER2CLIMB", "PFS", "0.54", "0.42", "0.71", "breast"),
    ("In ToGA, trastuzumab plus chemotherapy improved overall survival (HR 0.74, 95% CI 0.60-0.91).",
     "HR 0.74, 95% CI 0.60-0.91", "trastuzumab", "ToGA", "OS", "0.74", "0.60", "0.91", "gastric"),
]
APPROVAL_SENTENCES = [
    ("The FDA granted accelerated approval to trastuzumab deruxtecan on 20 December 2019.",
     "FDA granted accelerated approval to trastuzumab deruxtecan", "FDA", "trastuzumab deruxtecan", "2019-12-20"),
    ("The EMA approved trastuzumab deruxtecan in January 2021.", "EMA approved trastuzumab deruxtecan", "EMA",
     "trastuzumab deruxtecan", "2021-01"),
    ("The FDA approved tucatinib in 2020.", "FDA approved tucatinib", "FDA", "tucatinib", "2020"),
]
HISTORY = [
    {"fact_id": "x", "action": "correct", "value": "79.7%", "previous_value": "79.0%", "note": "Table 2 says 79.7",
     "by": "Ann", "at": "2026-11-21T09:00:00Z"},
    {"fact_id": "x", "action": "accept", "value": "", "previous_value": "", "note": "checked", "by": "Bob",
     "at": "2026-11-20T08:00:00Z"},
]


def rich_runs():
    """The two runs of test_diff, the second with a review holding hazard ratios and dated approvals."""
    from dataclasses import replace

    from test_diff import Doc, snapshot, two_runs

    from pipeline.model import ApprovalMention, EndpointMention

    old, new = two_runs()
    doc = Doc("hr-review.txt", "Hazard ratios in HER2-positive cancer\n\n"
              + " ".join(x[0] for x in HR_SENTENCES) + "\n\n" + " ".join(x[0] for x in APPROVAL_SENTENCES) + "\n")
    ms = [EndpointMention(endpoint=ep, value="", unit="", comparator_value="", n="", n_total="", hr=hr, ci_low=lo,
                          ci_high=hi, p_value="", population="", drug=drug, comparator="", trial=trial, nct_id="",
                          cancer_type=cancer, prov=doc.prov(sent, quote, "efficacy:hazard_ratio"))
          for sent, quote, drug, trial, ep, hr, lo, hi, cancer in HR_SENTENCES]
    ms += [ApprovalMention(agency=ag, event="approval", date=date, drug=drug, indication="", cancer_type="breast",
                           line="", based_on_trial="", prov=doc.prov(sent, quote, "approval.verb"))
           for sent, quote, ag, drug, date in APPROVAL_SENTENCES]
    sent = "In HER2CLIMB, median overall survival was 21.9 months with tucatinib."
    doc = Doc(doc.name, doc.text + sent + "\n")
    ms = [replace(m, prov=replace(m.prov, doc_id=doc.doc_id)) for m in ms]
    ms.append(EndpointMention(endpoint="OS", value="21.9", unit="months", comparator_value="", n="", n_total="",
                              hr="", ci_low="", ci_high="", p_value="", population="", drug="tucatinib",
                              comparator="", trial="HER2CLIMB", nct_id="", cancer_type="breast",
                              prov=doc.prov(sent, "overall survival was 21.9 months", "efficacy:value")))
    richer = snapshot(new.run.run_id, [], list(new.mentions) + ms)
    richer = replace(richer, documents=new.documents + (doc.record("r1", "0.1.0+aaa"),))
    return old, richer, doc


@pytest.fixture
def rich(tmp_path):
    """(report path, the diff, the newer snapshot): with the saved texts under out/text/ as a run writes them."""
    from test_diff import A, B, D, MOUNTAINEER_UPDATE, ZENO, ZENO_EDITED, Doc, read

    from pipeline.diff import snapshots_to_diff
    from pipeline.report import write_reports

    old, new, doc = rich_runs()
    out = tmp_path / "out"
    (out / "text").mkdir(parents=True)
    kept = [doc, Doc(A, read(A)), Doc(D, read(D)), Doc(B, read(B).replace(ZENO, ZENO_EDITED) + "\n" + MOUNTAINEER_UPDATE + "\n")]
    assert {d.doc_id for d in kept} == {d.doc_id for d in new.documents}
    for d in kept:                                # as write_document_outputs saves them (the removed C is gone)
        (out / "text" / f"{d.doc_id}.txt").write_text(d.text, encoding="utf-8")
    diff = snapshots_to_diff(old, new)
    history = [dict(h, fact_id=c.fact_id) for h, c in zip(HISTORY, [x for x in diff.facts if x.change != "removed"])]
    return write_reports(diff, out, current=new, history=history)[0], diff, new, history


@pytest.fixture
def page(browser, rich):
    """(browser, report path, diff, newer snapshot, history) with the rich report loaded, JavaScript on."""
    _open(browser, rich[0])
    return (browser, *rich)


def _open(cdp: "CDP", path: Path, js: bool = True) -> str:
    for domain in ("Page", "Runtime", "Log", "Network"):
        cdp.send(f"{domain}.enable")
    cdp.send("Emulation.setDeviceMetricsOverride", width=1200, height=1600, deviceScaleFactor=1, mobile=False)
    if not js:
        cdp.send("Emulation.setScriptExecutionDisabled", value=True)
    url = path.resolve().as_uri()
    nav = cdp.send("Page.navigate", url=url)
    assert not nav.get("errorText"), nav
    cdp.wait_for("Page.loadEventFired")
    return url


def _screenshot(cdp: "CDP", **clip):
    from PIL import Image

    params = {"format": "png", "captureBeyondViewport": True}
    if clip:
        params["clip"] = dict(clip, scale=1)
    return Image.open(io.BytesIO(base64.b64decode(cdp.send("Page.captureScreenshot", **params)["data"]))).convert("RGB")


def _problems(events: list[dict]) -> list[str]:
    out = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.exceptionThrown":
            out.append(f"exception: {p['exceptionDetails'].get('text')}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            out.append(f"console.{p['type']}: {[a.get('value') for a in p.get('args', [])]}")
        elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            out.append(f"log {p['entry']['level']}: {p['entry'].get('text')} {p['entry'].get('url', '')}")
        elif m == "Network.loadingFailed":
            out.append(f"load failed: {p.get('errorText')}")
    return out


def test_report_renders_in_chromium_with_summary_and_highlighted_spans(browser, report, tmp_path):
    cdp = browser
    for domain in ("Page", "Runtime", "Log", "Network"):
        cdp.send(f"{domain}.enable")
    cdp.send("Emulation.setDeviceMetricsOverride", width=1200, height=1600, deviceScaleFactor=1, mobile=False)
    url = report.resolve().as_uri()
    nav = cdp.send("Page.navigate", url=url)
    assert not nav.get("errorText"), nav
    cdp.wait_for("Page.loadEventFired")

    # self-contained: the only request is the file itself
    requested = [e["params"]["request"]["url"] for e in cdp.events if e["method"] == "Network.requestWillBeSent"]
    assert requested == [url]
    from pipeline.report import FILTER_JS

    assert cdp.eval("[...document.scripts].map(s => s.textContent)") == [FILTER_JS]   # our filter only

    # the summary table comes first, with the counts of the diff
    assert cdp.eval("document.querySelector('table').id") == "summary"
    rows = cdp.eval("[...document.querySelectorAll('#summary tbody tr')].map(r => r.innerText.split('\\t'))")
    assert ["Efficacy results", "0", "0", "2", "1"] in [[c.strip() for c in r] for r in rows]
    assert cdp.eval("document.querySelector('#summary').getBoundingClientRect().top") < \
        cdp.eval("document.querySelector('.card').getBoundingClientRect().top")

    # every extracted span is highlighted inside its sentence
    marks = cdp.eval("[...document.querySelectorAll('blockquote mark.span')].map(m => m.textContent)")
    assert sorted(marks) == sorted(["pyrotinib is currently approved in China", "POLISH study", "ORR) of 19.9%",
                                    "ORR) of 18.9%", "ORR of 38.1%", "ORR 55%"])
    bg = cdp.eval("getComputedStyle(document.querySelector('mark.span')).backgroundColor")
    assert bg == "rgb(255, 229, 138)"

    shot = base64.b64decode(cdp.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"])
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    (tmp_path / "report.png").write_bytes(shot)
    keep = os.environ.get("HER2_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "report.png", Path(keep) / "report.png")
    from PIL import Image

    img = Image.open(io.BytesIO(shot)).convert("RGB")
    assert img.width == 1200 and img.height > 1000
    colours = img.getcolors(maxcolors=1 << 20) or []
    assert sum(n for n, c in colours if c == (255, 229, 138)) > 500      # the highlight is visible
    assert len(colours) > 50                                                  # text was drawn, not a blank page

    # print: the print stylesheet turns highlights into underlines and the PDF comes out
    cdp.send("Emulation.setEmulatedMedia", media="print")
    assert cdp.eval("getComputedStyle(document.querySelector('mark.span')).borderBottomStyle") == "solid"
    pdf = base64.b64decode(cdp.send("Page.printToPDF", printBackground=False)["data"])
    assert pdf[:5] == b"%PDF-"
    cdp.send("Emulation.setEmulatedMedia", media="")

    assert _problems(cdp.events) == []


def test_console_errors_would_be_caught(browser, tmp_path):
    """The error collection itself works: a page that logs an error and loads a
    missing image is reported (guards against a check that cannot fail)."""
    cdp = browser
    for domain in ("Page", "Runtime", "Log", "Network"):
        cdp.send(f"{domain}.enable")
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><body><img src='missing.png'>"
                   "<script>console.error('boom')</script></body></html>", encoding="utf-8")
    cdp.send("Page.navigate", url=bad.as_uri())
    cdp.wait_for("Page.loadEventFired")
    problems = _problems(cdp.events)
    assert any("boom" in p for p in problems) and any("load failed" in p or "missing.png" in p for p in problems)


def test_toc_links_resolve_and_scroll_to_their_section(page):
    cdp, path, diff, _, _ = page
    hrefs = cdp.eval("[...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))")
    assert len(hrefs) == 7 + len(diff.groups())
    missing = cdp.eval("[...document.querySelectorAll('nav.toc a')].map(a => a.getAttribute('href'))"
                       ".filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))")
    assert missing == []
    # following a link brings its section to the top of the window
    cdp.eval("document.querySelector('nav.toc a[href=\"#history\"]').click()")
    assert cdp.eval("location.hash") == "#history"
    top, at_end, y = cdp.eval("[document.getElementById('history').getBoundingClientRect().top, "
                              "scrollY + innerHeight >= document.documentElement.scrollHeight - 2, scrollY]")
    assert y > 0 and (abs(top) < 5 or (at_end and 0 <= top < 1600))   # at the top, or the page cannot scroll further
    # every group of the fact changes has its entry, in order
    groups = cdp.eval("[...document.querySelectorAll('section.group')].map(g => g.id)")
    assert ["#" + g for g in groups] == [h for h in hrefs if h.startswith("#g-")]
    assert _problems(cdp.events) == []


def _visible_cards(cdp) -> list[str]:
    return cdp.eval("[...document.querySelectorAll('.card')].filter(c => c.offsetParent !== null).map(c => c.id)")


def test_filter_by_drug_cancer_and_change_hides_rows(page):
    cdp, path, diff, _, _ = page
    everything = _visible_cards(cdp)
    assert sorted(everything) == sorted(f"f-{c.fact_id}" for c in diff.facts)
    assert cdp.eval("document.getElementById('filters').hidden") is False
    full = _screenshot(cdp)

    def choose(name: str, value: str) -> list[str]:
        cdp.eval(f"(() => {{ const s = document.getElementById('f-{name}'); s.value = {json.dumps(value)}; "
                 "s.dispatchEvent(new Event('change', {bubbles: true})); })()")
        return _visible_cards(cdp)

    want = sorted(f"f-{c.fact_id}" for c in diff.facts if "tucatinib" in c.drug)
    assert 1 < len(want) < len(everything)
    assert sorted(choose("drug", "tucatinib")) == want
    assert cdp.eval("document.getElementById('f-count').textContent") == f"{len(want)} of {len(everything)} fact changes shown"
    # groups left without a visible fact are hidden with it
    shown_groups = cdp.eval("[...document.querySelectorAll('section.group')].filter(g => !g.hidden).length")
    assert shown_groups == len({(c.drug, c.cancer_type) for c in diff.facts if "tucatinib" in c.drug})
    # structurally, the filtered page is the same page, shorter: same width, same header, less below
    filtered = _screenshot(cdp)
    assert filtered.width == full.width and filtered.height < full.height
    assert filtered.crop((0, 0, full.width, 300)).getcolors(1 << 20) is not None
    assert sorted(choose("drug", "")) == sorted(everything)
    assert sorted(choose("change", "removed")) == sorted(f"f-{c.fact_id}" for c in diff.facts if c.change == "removed")
    assert sorted(choose("cancer", "breast")) == sorted(
        f"f-{c.fact_id}" for c in diff.facts if c.change == "removed" and c.cancer_type == "breast")
    cdp.eval("document.getElementById('filters').reset()")
    cdp.eval("new Promise(r => setTimeout(r, 50))")
    assert sorted(_visible_cards(cdp)) == sorted(everything)
    # printing hides the controls
    cdp.send("Emulation.setEmulatedMedia", media="print")
    assert cdp.eval("getComputedStyle(document.getElementById('filters')).display") == "none"
    cdp.send("Emulation.setEmulatedMedia", media="")
    assert _problems(cdp.events) == []


def test_without_javascript_every_fact_shows_and_no_dead_control(browser, rich):
    path, diff, _, _ = rich
    cdp = browser
    _open(cdp, path, js=False)
    assert sorted(_visible_cards(cdp)) == sorted(f"f-{c.fact_id}" for c in diff.facts)
    assert cdp.eval("document.getElementById('filters').offsetParent") is None
    assert cdp.eval("document.querySelectorAll('svg.chart').length") == 4


def _hr_facts(facts) -> dict[str, float]:
    """The facts the forest plot must show, worked out here independently of pipeline/charts.py."""
    out = {}
    for f in facts:
        try:
            hr = float(f.field("hr"))
        except ValueError:
            continue
        if f.kind == "endpoint" and f.curation != "rejected":
            out[f.fact_id] = hr
    return out


def test_charts_are_inline_svg_with_one_mark_per_fact_in_the_right_place(page, tmp_path):
    cdp, path, _, new, _ = page
    charts = cdp.eval("[...document.querySelectorAll('svg.chart')].map(s => s.dataset.chart)")
    assert charts == ["forest", "timeline", "values-rates", "values-times"]

    # forest plot: one point per hazard-ratio fact, x monotone in the HR, the CI around it, 1 as reference
    hrs = _hr_facts(new.facts)
    assert len(hrs) == 4
    pts = cdp.eval("[...document.querySelectorAll('circle.hr-point')].map(c => [c.dataset.fact, +c.dataset.hr, "
                   "+c.getAttribute('cx'), +c.getAttribute('cy')])")
    assert {p[0]: p[1] for p in pts} == hrs
    by_hr = sorted(pts, key=lambda p: p[1])
    assert all(a[2] < b[2] for a, b in zip(by_hr, by_hr[1:]))
    cis = {c[0]: c[1:] for c in cdp.eval("[...document.querySelectorAll('line.hr-ci')].map(l => [l.dataset.fact, "
                                          "+l.getAttribute('x1'), +l.getAttribute('x2')])")}
    assert set(cis) == set(hrs)
    assert all(cis[f][0] < x < cis[f][1] for f, _, x, _ in pts)
    ref = cdp.eval("+document.querySelector('line.hr-ref').getAttribute('x1')")
    assert all(x < ref for _, hr, x, _ in pts if hr < 1)
    assert len({round(y) for *_, y in pts}) == len(pts)                 # one row each

    # approvals timeline: one mark per dated approval fact, x monotone in the date
    dated = {f.fact_id: f.field("date") for f in new.facts if f.kind == "approval" and f.field("date")}
    tl = cdp.eval("[...document.querySelectorAll('circle.tl-mark')].map(c => [c.dataset.fact, c.dataset.date, "
                  "+c.getAttribute('cx')])")
    assert {t[0]: t[1] for t in tl} == dated and len(dated) == 4
    by_date = sorted(tl, key=lambda t: t[1])
    assert all(a[2] < b[2] for a, b in zip(by_date, by_date[1:]))

    # values per drug and cancer type: every numeric rate is a mark
    rates = {f.fact_id for f in new.facts if f.kind == "endpoint" and f.field("unit") == "%" and f.field("value")}
    got = cdp.eval("[...document.querySelectorAll('circle.val-mark[data-unit=\"%\"]')].map(c => c.dataset.fact)")
    assert sorted(got) == sorted(rates) and rates

    # the screenshot shows each forest-plot point where the DOM says it is (structure, not pixels)
    box = cdp.eval("(() => { const r = document.querySelector('svg[data-chart=forest]').getBoundingClientRect(); "
                   "return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()")
    img = _screenshot(cdp, x=box[0], y=box[1], width=box[2], height=box[3])
    (tmp_path / "forest.png").write_bytes(b"")
    img.save(tmp_path / "forest.png")
    scale = box[2] / cdp.eval("document.querySelector('svg[data-chart=forest]').viewBox.baseVal.width")
    for _, _, cx, cy in pts:
        r, g, b = img.getpixel((int(cx * scale), int(cy * scale)))
        assert abs(r - 0x1F) < 40 and abs(g - 0x6F) < 40 and abs(b - 0xB2) < 40, (cx, cy, (r, g, b))
    r, g, b = img.getpixel((int(20 * scale), int(10 * scale)))
    assert (r, g, b) == (255, 255, 255)                                 # the corner is background
    assert _problems(cdp.events) == []


def test_every_fact_links_to_its_source_text_at_the_span(page):
    cdp, path, diff, _, _ = page
    links = cdp.eval("[...document.querySelectorAll('.src a')].map(a => [a.href, +a.dataset.start, +a.dataset.end, "
                     "a.dataset.quote, a.closest('.card').id])")
    new_evidence = [(c.fact_id, e) for c in diff.facts for e in c.evidence if e.side == "new"]
    assert len(links) == len(new_evidence) > 5
    from urllib.parse import unquote, urlparse

    for href, start, end, quote, card in links:
        target = Path(unquote(urlparse(href).path))
        assert target.parent == path.parent.parent / "text" and target.exists()
        assert target.read_text(encoding="utf-8")[start:end] == quote
    # the removed document's text is no longer kept: said so, no dead link
    gone = cdp.eval("[...document.querySelectorAll('.src.where')].map(d => d.textContent)")
    assert gone and all("no longer kept" in g for g in gone)
    # following a link opens the saved text from disk
    cdp.events.clear()
    cdp.send("Page.navigate", url=links[0][0])
    cdp.wait_for("Page.loadEventFired")
    assert links[0][3] in cdp.eval("document.body.innerText")


def test_every_current_fact_has_a_copyable_curate_command_the_cli_accepts(page):
    import shlex

    from pipeline.cli import build_parser

    cdp, path, diff, _, _ = page
    cmds = cdp.eval("Object.fromEntries([...document.querySelectorAll('.card')].map(c => [c.id.slice(2), "
                    "[...c.querySelectorAll('.cmds code')].map(x => x.textContent)]))")
    for c in diff.facts:
        lines = cmds[c.fact_id]
        if c.change == "removed":
            assert lines == []
            continue
        assert len(lines) == 3
        for line, flag in zip(lines, ("--accept", "--reject", "--correct")):
            argv = shlex.split(line)
            assert argv[:4] == ["python", "-m", "pipeline", "curate"]
            args = build_parser().parse_args(argv[3:])
            assert args.fact_id == c.fact_id and flag in argv
            assert Path(args.out) == path.parent.parent                 # this output root, not the default
    # one click selects the whole command
    assert cdp.eval("getComputedStyle(document.querySelector('.cmds code')).userSelect") == "all"


def test_curation_history_is_shown_newest_first_with_links(page):
    cdp, path, diff, _, history = page
    rows = cdp.eval("[...document.querySelectorAll('#history-table tbody tr')].map(r => "
                    "[...r.cells].map(c => c.textContent))")
    assert [r[0] for r in rows] == ["2026-11-21T09:00:00Z", "2026-11-20T08:00:00Z"]
    assert rows[0][2] == "correct → 79.7%" and rows[0][3] == "79.0%" and rows[0][4] == "Table 2 says 79.7"
    assert rows[0][5] == "Ann" and rows[1][2] == "accept"
    hrefs = cdp.eval("[...document.querySelectorAll('#history-table a')].map(a => a.getAttribute('href'))")
    assert hrefs == [f"#f-{history[0]['fact_id']}", f"#f-{history[1]['fact_id']}"]
