"""Run a command's work in a child process group and stop all of it when bitextflow stops.

``bitextflow run``, ``serve`` and ``server`` start processes of their own: a temporary
Prefect server, Dask workers, ``prefect server start``. Prefect replaces the SIGTERM
handler while a flow runs and answers a signal by reporting the crash to its API
(which may be the temporary server that the same signal just stopped), so a signal
handled inside the working process takes seconds and prints tracebacks. Instead the
command runs as a child in a process group of its own, under a small parent that
imports nothing heavy and only waits:

- SIGINT (Ctrl-C reaches only the parent's group), SIGTERM or SIGHUP to the parent:
  the child's whole group (and any descendant that left it) is stopped, one line is
  printed, and the exit status is 128 + the signal (130, 143, 129);
- the child ends (done or failed): whatever it left running in its group is stopped;
- the parent is killed outright (SIGKILL): a bitextflow child notices that its parent
  changed and stops its own group (``watch_parent``); any other child gets SIGKILL
  from the kernel (Linux's parent-death signal).

Stopping a run with SIGKILL loses nothing: every file is written to a temporary name
and renamed, and per-document cache entries let the next run resume.
"""
from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import threading
import time

WORKER_ENV = "BITEXTFLOW_SUPERVISED"  # set in the child: it does the work and watches its parent
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Stop(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def supervise(cmd: list[str], name: str, *, grace: float = 0.0, bitextflow_child: bool = True,
              env: dict | None = None) -> int:
    """Run ``cmd`` in its own process group until it ends or a stop signal arrives.

    ``grace``: seconds the child's group has after SIGTERM before SIGKILL (0: SIGKILL
    at once, for a run, whose writes are atomic). Returns the child's exit status,
    128 + N when it or the parent was stopped by signal N.
    """
    env = dict(os.environ if env is None else env)
    if bitextflow_child:
        env[WORKER_ENV] = str(os.getpid())
    _become_subreaper()

    def on_signal(signum, _frame):
        raise _Stop(signum)

    previous = {s: signal.signal(s, on_signal) for s in STOP_SIGNALS}
    proc = None
    try:
        proc = subprocess.Popen(cmd, env=env, process_group=0,
                                preexec_fn=None if bitextflow_child else _die_with_parent)
        rc = proc.wait()
        return 128 - rc if rc < 0 else rc
    except _Stop as stop:
        for s in STOP_SIGNALS:  # a second Ctrl-C must not interrupt the clean-up
            signal.signal(s, signal.SIG_IGN)
        if proc is not None:
            stop_group(proc, grace)
        print(f"bitextflow {name}: stopped by {signal.Signals(stop.signum).name}; "
              "its processes are stopped too", file=sys.stderr)
        return 128 + stop.signum
    finally:
        if proc is not None:
            stop_group(proc, 0.0)
        for s, handler in previous.items():
            signal.signal(s, handler)


def stop_group(proc: subprocess.Popen, grace: float) -> None:
    """Stop ``proc``, its process group and every descendant (also those that left the group)."""
    descendants = _descendants(proc.pid)
    if grace > 0 and proc.poll() is None:
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(proc.pid, signal.SIGKILL)
    for pid in descendants + _descendants(os.getpid()):  # orphans come to us: we are their subreaper
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    proc.wait()
    _reap()


def watch_parent(interval: float = 0.5) -> None:
    """In a supervised child: stop this process group as soon as the parent is gone."""
    parent = os.environ.pop(WORKER_ENV, None)
    if not parent:
        return

    def watch():
        while os.getppid() == int(parent):
            time.sleep(interval)
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def is_supervised_child() -> bool:
    return WORKER_ENV in os.environ


# Python's cyclic collector starts a pass every 700 new container objects and a full
# pass, over every tracked object, every 100 of those; importing Prefect and the
# aligner makes ~150,000 objects that live as long as the process. Fewer passes while
# they are made, then freezing them (no later pass, nor the interpreter's exit, walks
# them again): ``import prefect`` 1.9 -> 1.5 s of CPU, 0.5-0.9 s less at exit
# (load ~4; the run's own objects are collected as usual).
START_UP_GC_THRESHOLD = (50_000, 20, 100)
PYTHON_GC_THRESHOLD = (700, 10, 10)  # CPython's defaults


def gc_for_start_up() -> None:
    """Raise the collector's thresholds for a process's imports (see above)."""
    gc.set_threshold(*START_UP_GC_THRESHOLD)


def gc_started() -> None:
    """Imports done: freeze what they made, back to Python's thresholds."""
    gc.freeze()
    gc.set_threshold(*PYTHON_GC_THRESHOLD)


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _descendants(pid: int) -> list[int]:
    try:
        import psutil

        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except Exception:  # psutil missing or the process already gone: the group signal still reaches most
        return []


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _prctl(option: int, value: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _become_subreaper() -> None:
    _prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphaned descendants are re-parented to this process


def _die_with_parent() -> None:
    _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG, in the child between fork and exec
