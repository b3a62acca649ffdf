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
    return write_reports(snapshots_to_diff(old, new), tmp_path / "out")[0]


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
    assert cdp.eval("document.scripts.length") == 0

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
