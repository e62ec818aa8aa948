"""Versioned run folders: ``OUT/runs/<run id>/`` and an atomically switched ``OUT/latest``.

A run writes into its own new folder, marked unfinished while it is written (a file
``runs/<run id>/.writing-<pid>``), then publishes: the mark is removed, ``latest``
(a relative symlink) is replaced in one rename, and the top-level
``OUT/corpus.tsv`` etc. are hard links to the run's files, each also replaced in
one rename. A reader sees either the old corpus or the new one, never a mixture or
a partial file. An unfinished folder is not a run (``list_runs``); once its writer
is gone (or, for a retried write, by the same process) it is removed by the next
``new_run_dir`` or ``prune``.

Locks (``flock`` on files in OUT, released by the kernel when a process dies): a
run holds ``OUT/.bitextflow.lock`` shared for as long as it works (``in_use``), ``prune`` holds
it exclusively and refuses while a run is working (``exclusive``); publishing holds
``OUT/.bitextflow-publish.lock``, so two runs finishing at once publish one after the other.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import os
import shutil

PUBLISHED = ("corpus.tsv", "segments.tsv", "report.json", "report.md", "report.html", "documents.tsv",
             # exports, when asked for (aligners.corpus.export.FORMATS)
             "corpus.tmx", "corpus.zh", "corpus.en", "corpus.moses.json", "corpus.jsonl", "corpus.parquet")


# The lock file also marks OUT as an output folder, which input discovery never reads.
LOCK, PUBLISH_LOCK = ".bitextflow.lock", ".bitextflow-publish.lock"
_WRITING = ".writing-"


class OutputBusy(RuntimeError):
    """Another process is working in the output folder."""


@contextlib.contextmanager
def in_use(out: str):
    """Held by a run while it reads and writes OUT (shared: runs may overlap; they publish in turn)."""
    with _flock(os.path.join(out, LOCK), fcntl.LOCK_SH):
        yield


@contextlib.contextmanager
def exclusive(out: str, what: str):
    """Held by ``prune``; raises OutputBusy at once when a run is working in OUT."""
    if not os.path.isdir(out):  # nothing to guard (and nothing to create)
        yield
        return
    try:
        held = _flock(os.path.join(out, LOCK), fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.__enter__()
    except BlockingIOError:
        raise OutputBusy(f"a bitextflow run is working in {out}; {what} when it has finished") from None
    with contextlib.ExitStack() as stack:
        stack.push(held)
        yield


@contextlib.contextmanager
def _flock(path: str, how: int):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, how)
    except BaseException:
        os.close(fd)
        raise
    try:
        yield
    finally:
        os.close(fd)  # releases the lock


def is_output_folder(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, LOCK))


def new_run_dir(out: str, now: _dt.datetime | None = None) -> tuple[str, str]:
    """A new run id and its folder, marked unfinished until ``publish``."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    base = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
    runs = os.path.join(out, "runs")
    os.makedirs(runs, exist_ok=True)
    remove_failed(out, own=True)  # an earlier attempt of this process (a retried write) that failed
    run_id, n = base, 1
    while True:
        path = os.path.join(runs, run_id)
        try:
            os.mkdir(path)
            break
        except FileExistsError:
            n += 1
            run_id = f"{base}-{n}"
    with open(os.path.join(path, f"{_WRITING}{os.getpid()}"), "w"):
        pass
    return run_id, path


def _writer(run_dir: str) -> int | None:
    """The pid that marked ``run_dir`` unfinished, or None for a finished run."""
    try:
        names = os.listdir(run_dir)
    except OSError:
        return None
    for name in names:
        if name.startswith(_WRITING) and name[len(_WRITING):].isdigit():
            return int(name[len(_WRITING):])
    return None


def remove_failed(out: str, own: bool = False) -> list[str]:
    """Delete unfinished run folders whose writer is gone (and, with ``own``, this
    process's); returns their run ids."""
    runs = os.path.join(out, "runs")
    removed = []
    for run_id in sorted(os.listdir(runs)) if os.path.isdir(runs) else []:
        pid = _writer(os.path.join(runs, run_id))
        if pid is None:
            continue
        mine = pid == os.getpid()
        if (mine and not own) or (not mine and _alive(pid)):
            continue
        shutil.rmtree(os.path.join(runs, run_id), ignore_errors=True)
        removed.append(run_id)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def publish(out: str, run_id: str) -> None:
    with _flock(os.path.join(out, PUBLISH_LOCK), fcntl.LOCK_EX):
        _publish(out, run_id)


def _publish(out: str, run_id: str) -> None:
    run_dir = os.path.join(out, "runs", run_id)
    mark = os.path.join(run_dir, f"{_WRITING}{os.getpid()}")
    if os.path.exists(mark):
        os.unlink(mark)
    tmp_link = os.path.join(out, f".latest-{run_id}")
    if os.path.lexists(tmp_link):
        os.unlink(tmp_link)
    os.symlink(os.path.join("runs", run_id), tmp_link)
    os.replace(tmp_link, os.path.join(out, "latest"))
    for name in PUBLISHED:
        src = os.path.join(run_dir, name)
        if not os.path.exists(src):  # not made by this run: an older run's copy would mislead
            if os.path.lexists(os.path.join(out, name)):
                os.unlink(os.path.join(out, name))
            continue
        tmp = os.path.join(out, f".{name}.{run_id}.tmp")
        if os.path.lexists(tmp):
            os.unlink(tmp)
        try:
            os.link(src, tmp)
        except OSError:  # file systems without hard links
            shutil.copyfile(src, tmp)
        os.replace(tmp, os.path.join(out, name))


def latest_run(out: str) -> str | None:
    link = os.path.join(out, "latest")
    if not os.path.islink(link):
        return None
    return os.path.basename(os.readlink(link))


def list_runs(out: str) -> list[str]:
    runs = os.path.join(out, "runs")
    if not os.path.isdir(runs):
        return []
    return sorted(d for d in os.listdir(runs)
                  if os.path.isdir(os.path.join(runs, d)) and _writer(os.path.join(runs, d)) is None)


def prune(out: str, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest runs (never the one ``latest`` points to), and
    the unfinished folders of failed writes; returns the run ids removed."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    failed = remove_failed(out)
    runs = list_runs(out)
    current = latest_run(out)
    doomed = [r for r in runs[:-keep] if r != current]
    for run_id in doomed:
        shutil.rmtree(os.path.join(out, "runs", run_id))
    return failed + doomed
