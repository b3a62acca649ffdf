"""The slow hostile inputs of issue 12 (320 pages, 30k tiny glyphs, 5 MB on one line, regex bait,
an 80 kB paragraph) through the real per-document function, each in a child process killed at a
deadline (tests/hostile/bounded.py), two at a time. The deadline is the suite's guard against a
hang, not a speed target: every case must come back before it with a correct parse, or with
status failed and a coded one-line reason (the per-document budget `doc_timeout` is set below the
deadline, so a budget that works turns a slow document into E006 in time).
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

import bounded as B
import generate as G

# case -> (deadline in s, settings, xfail reason or "")
PLAN = {
    "pages-320.pdf": (400, {"doc_timeout": 300}, ""),
    "tiny-objects.pdf": (120, {"doc_timeout": 60}, ""),
    "one-line-5mb.txt": (240, {"doc_timeout": 120}, ""),
    "bait-parens.txt": (60, {"doc_timeout": 30}, ""),
    "bait-percent.txt": (60, {"doc_timeout": 30}, ""),
    "bait-orr.txt": (60, {"doc_timeout": 30}, ""),
    # today 30-90 s depending on load (quadratic, issue 12): correct but slow, so no marker; that it is
    # linear is measured by the perf branch's benchmark, not asserted here (no timing asserts)
    "long-paragraph.txt": (180, {"doc_timeout": 150}, ""),
}
MUST_PARSE = {"pages-320.pdf", "long-paragraph.txt"}     # ordinary documents: a failure is not an answer
assert set(PLAN) == {c.name for c in G.SLOW}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile-slow") / "corpus"
    paths = G.build(corpus, G.SLOW)
    out = corpus.parent / "out"

    def one(name):
        deadline, settings, _ = PLAN[name]
        return name, B.run_bounded(paths[name], corpus, out, deadline, **settings)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, sorted(PLAN, key=lambda n: -PLAN[n][0])))


def _params():
    return [pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=why)] if why else [])
            for name, (_, _, why) in PLAN.items()]


@pytest.mark.slow
@pytest.mark.parametrize("name", _params())
def test_slow_case_bounded_and_answered(results, name):
    r = results[name]
    assert r["status"] in ("ok", "failed", "degraded"), r            # not killed at the deadline, no crash
    assert r["source_file"] == name and r["nul"] == 0
    assert "Traceback" not in r["stderr"]
    if r["status"] != "ok":
        assert name not in MUST_PARSE, r["error"]
        assert re.match(rf"^E\d{{3}} {re.escape(name)}: ", r["error"]) and r["error"].isprintable(), r["error"]
        assert not r["error"].startswith("E008"), r["error"]          # a known failure, not "unexpected"
        if name == "tiny-objects.pdf":                                # flagged as junk, not slow enough to time out
            assert not r["error"].startswith("E006"), r["error"]
        return
    assert r["longest_cell"] <= B.EXCEL_CELL_MAX                    # every CSV cell fits a spreadsheet cell
    assert r["n_sentences"] and r["covered"] >= 0.9 * r["text_len"] - 100
    if name == "pages-320.pdf":
        assert r["n_pages"] == 320
    if name == "long-paragraph.txt":
        assert "ORR 41.8" in r["endpoint_values"] and r["mentions"].get("endpoint", 0) >= 50
    if name == "tiny-objects.pdf":
        # the real text (about 300 characters) is read; the 30k glyphs are not taken as text
        assert "ORR 80.2" in r["endpoint_values"] and r["text_len"] < 5_000
