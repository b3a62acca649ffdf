import atexit
import logging
import os
import sys
import threading

from pipeline.cli import main

status = main()
# The command is done: its files are written and closed, its store transactions committed, its
# workers and servers stopped (or, a kept Prefect server, left running on purpose). What the
# interpreter would still do is wait for threads, run the exit handlers, then free every module and
# object one by one: the last part took 0.5-1.0 s of a run's wall time (Prefect, spaCy, SQLAlchemy
# and their objects; scripts/bench_fixed_cost.py). The first two are done here, the last skipped.
for thread in threading.enumerate():
    if thread is not threading.current_thread() and not thread.daemon:
        thread.join()
atexit._run_exitfuncs()
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(status if isinstance(status, int) else 1)
