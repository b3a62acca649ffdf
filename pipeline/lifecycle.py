"""A run's safety rails, before and around the work: valid corpus and output paths, one run per output
root (a lock file), a crash written to a log file instead of the terminal, and a watchdog that kills
the run's child processes (Prefect's temporary server, document workers) when the run is killed.

No Prefect, no NLP: the CLI calls these before Prefect starts, the flow calls them again for runs
started another way (a deployment).
"""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from pipeline.errors import Errors, PipelineError
from pipeline.ingest import list_corpus

LOCK_NAME = ".run.lock"


def check_run_paths(corpus: Path, out: Path) -> None:
    """A missing, empty or non-directory corpus, or an output root inside the corpus, is an error
    raised before anything is recorded or written."""
    corpus, out = Path(corpus), Path(out)
    if not corpus.exists():
        raise PipelineError(Errors.E211.format(path=corpus, reason="does not exist"))
    if not corpus.is_dir():
        raise PipelineError(Errors.E211.format(path=corpus, reason="is not a folder"))
    if not list_corpus(corpus):
        raise PipelineError(Errors.E211.format(path=corpus, reason="contains no .txt, .md or .pdf file"))
    c, o = corpus.resolve(), out.resolve()
    if o == c or c in o.parents:
        raise PipelineError(Errors.E212.format(out=out, corpus=corpus))


# ---- one run per output root

_HELD: dict[Path, list] = {}          # lock path -> [file, depth]: re-entrant within this process
_HELD_LOCK = threading.Lock()


@contextmanager
def run_lock(out: Path) -> Iterator[None]:
    """Hold `out/.run.lock` for the run. A second run on the same output root exits at once with E213
    (rather than waiting: a scheduled job stuck behind a hung run should fail visibly, not pile up).
    The lock is an flock: the kernel releases it when the process dies, so a killed run leaves none."""
    import fcntl

    path = Path(out).resolve() / LOCK_NAME
    with _HELD_LOCK:
        held = _HELD.get(path)
        if held:
            held[1] += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(path, "a+", encoding="utf-8")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                pid = fh.read().strip() or "?"
                fh.close()
                raise PipelineError(Errors.E213.format(out=out, pid=pid)) from None
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            _HELD[path] = held = [fh, 1]
    try:
        yield
    finally:
        with _HELD_LOCK:
            held[1] -= 1
            if held[1] == 0:
                del _HELD[path]
                held[0].close()        # closing releases the flock


# ---- crashes: one line on the terminal, the traceback in a file

def log_crash(exc: BaseException, out: Path | None) -> str:
    """Write the traceback under `out/.logs/` (or the temp folder) and return the one-line message."""
    import tempfile

    folder = Path(out) / ".logs" if out is not None and Path(out).is_dir() else Path(tempfile.gettempdir())
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{stamp}-{os.getpid()}.log"
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError as write_error:
        path = Path(f"<not written: {write_error}>")
    reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200] if str(exc) else type(exc).__name__
    return Errors.E215.format(reason=reason, log=path)


# ---- the run's children die with it, also on SIGKILL

def python_child(code: str, *args: str, **popen_kwargs) -> subprocess.Popen:
    """`python -c code args...` importing this very package (a fresh interpreter: unlike
    multiprocessing's spawn it never re-runs the caller's __main__ script)."""
    path = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")]))
    return subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": path}, **popen_kwargs)


def start_watchdog() -> subprocess.Popen:
    """A small process that, once this one is gone, kills whatever children it had (Prefect's
    temporary server is started by Prefect, so it cannot be told to die with its parent). It says
    nothing, and holds none of the run's output streams: a caller reading the run's output to its
    end (a pipe, `subprocess.run(capture_output=True)`, a scheduler) is not kept waiting the up to
    half a second the watchdog takes to see the run has ended."""
    return python_child("from pipeline.lifecycle import watchdog; watchdog()", str(os.getpid()),
                        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kept_server(p) -> bool:
    """A Prefect server kept for the next runs (pipeline/prefect_api.py SharedServer) outlives the run."""
    import psutil

    try:
        return "pipeline.prefect_api" in p.cmdline()
    except psutil.Error:
        return False


def watchdog(poll: float = 0.5) -> None:
    import psutil

    parent_pid = int(sys.argv[1])
    try:
        parent = psutil.Process(parent_pid)
    except psutil.NoSuchProcess:
        return
    me = os.getpid()
    seen: dict[int, psutil.Process] = {}
    while True:
        try:
            alive = parent.is_running() and parent.status() != psutil.STATUS_ZOMBIE
            if alive:
                for c in parent.children(recursive=True):
                    if c.pid != me and c.pid not in seen and not _kept_server(c):
                        seen[c.pid] = c
        except psutil.Error:
            alive = False
        if not alive:
            break
        time.sleep(poll)
    for p in seen.values():
        try:
            if p.is_running():       # psutil checks the creation time: a reused pid is not killed
                p.kill()
        except psutil.Error:
            pass


# ---- the terminal: a progress bar with ETA on a TTY, "documents done n/N" log lines elsewhere

class Progress:
    def __init__(self, total: int, logger, console=None):
        """`console`: a rich Console to draw the bar on; default: stderr when it is a terminal."""
        self.total, self.done, self.logger = total, 0, logger
        self.console = console
        if console is None and sys.stderr.isatty():
            from rich.console import Console

            self.console = Console(stderr=True)
        self._bar = self._task = None

    def __enter__(self) -> "Progress":
        if self.console is not None and self.total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, \
                TimeElapsedColumn, TimeRemainingColumn

            self._bar = Bar(TextColumn("documents"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            TextColumn("ETA"), TimeRemainingColumn(), console=self.console)
            self._bar.start()
            self._task = self._bar.add_task("documents", total=self.total, completed=self.done)
        return self

    def advance(self, n: int, what: str = "") -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done)
            if "FAILED" in what:
                self._bar.console.log(what)
        else:
            self.logger.info("documents done %d/%d%s", self.done, self.total, f": {what}" if what else "")

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
