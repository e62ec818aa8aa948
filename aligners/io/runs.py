"""Versioned run folders: ``OUT/runs/<run id>/`` and an atomically switched ``OUT/latest``.

A run writes into its own new folder, hidden while it is written
(``runs/.partial-<pid>-<run id>``), then publishes: the folder is renamed to
``runs/<run id>``, ``latest`` (a relative symlink) is replaced in one rename, and
the top-level ``OUT/corpus.tsv`` etc. are hard links to the run's files, each also
replaced in one rename. A reader sees either the old corpus or the new one, never
a mixture or a partial file; a write that failed leaves only a hidden partial
folder, which the next run of that process and ``prune`` remove once its writer is
gone.

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
_PARTIAL = ".partial-"


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
    """A new run id and the (hidden) folder to write it into; ``publish`` makes it visible."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    base = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
    runs = os.path.join(out, "runs")
    os.makedirs(runs, exist_ok=True)
    remove_failed(out, own=True)  # an earlier attempt of this process (a retried write) that failed
    with _flock(os.path.join(out, PUBLISH_LOCK), fcntl.LOCK_EX):  # ids taken, finished or not, stay put
        taken = {name[len(_PARTIAL):].partition("-")[2] if name.startswith(_PARTIAL) else name
                 for name in os.listdir(runs)}
        run_id, n = base, 1
        while run_id in taken:
            n += 1
            run_id = f"{base}-{n}"
        path = os.path.join(runs, f"{_PARTIAL}{os.getpid()}-{run_id}")
        os.mkdir(path)
    return run_id, path


def remove_failed(out: str, own: bool = False) -> list[str]:
    """Delete the partial folders of writers that are gone (and, with ``own``, this
    process's); returns their run ids."""
    runs = os.path.join(out, "runs")
    removed = []
    for name in sorted(os.listdir(runs)) if os.path.isdir(runs) else []:
        if not name.startswith(_PARTIAL):
            continue
        pid, _, run_id = name[len(_PARTIAL):].partition("-")
        if not pid.isdigit():
            continue
        mine = int(pid) == os.getpid()
        if (mine and not own) or (not mine and _alive(int(pid))):
            continue
        shutil.rmtree(os.path.join(runs, name), ignore_errors=True)
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
    partial = os.path.join(out, "runs", f"{_PARTIAL}{os.getpid()}-{run_id}")
    if os.path.isdir(partial):
        os.rename(partial, run_dir)
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
    return sorted(d for d in os.listdir(runs) if not d.startswith(".") and os.path.isdir(os.path.join(runs, d)))


def prune(out: str, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest runs (never the one ``latest`` points to), and
    the partial folders of failed writes; returns the run ids removed."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    failed = remove_failed(out)
    runs = list_runs(out)
    current = latest_run(out)
    doomed = [r for r in runs[:-keep] if r != current]
    for run_id in doomed:
        shutil.rmtree(os.path.join(out, "runs", run_id))
    return failed + doomed
