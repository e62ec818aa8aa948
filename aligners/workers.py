"""Worker processes for the document stages, so that one machine's cores all work.

Segmentation and alignment are CPU-bound and mostly hold the GIL (regular
expressions, the word segmenter's and the features' Python loops), so threads of one
interpreter take turns on one core.
``DocumentPool`` runs documents in worker processes instead, one per core by
default. A document's result does not depend on the process that computed it, so
the output stays byte-identical.

A worker is ``python -m aligners.workers``: it imports the library only (not
Prefect, not the caller's main module, which ``multiprocessing``'s spawn would run
again in every worker), then reads pickled ``(function, argument)`` jobs from stdin
and writes pickled results to stdout; the word segmenter's and CC-CEDICT's tables
are mapped on a worker's first alignment and kept. Workers start on the first ``map`` (a run that finds everything in its
cache starts none), or on ``start`` (a run that will compute everything: they import
the library and map the tables while the caller reads the inputs), and stop on
``close``, or when their parent goes (stdin closes).
"""
from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from concurrent.futures import Future
from typing import Callable, Iterable, Iterator

_HEADER = struct.Struct("<Q")
_STOP = None


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# A worker costs ~0.7 s of CPU to start (interpreter, imports, the segmenter's and
# CC-CEDICT's tables: one process, one two-sentence pair), and the document stages
# ~6 us of worker CPU per input byte (the 258 dev documents: 2.6 MB, 16.2 s with two
# workers' start-up). Two workers save wall time once the work is over ~1.4 s, about
# 250 kB of input; below that, a run computes in its own process.
MIN_POOL_BYTES = 250_000


def pool_size(requested: int | None, input_bytes: int) -> int:
    """Worker processes for a run: ``requested`` when given, else one per core if the
    inputs are large enough to pay for their start (else 0: compute in this process)."""
    if requested is not None:
        return requested
    return default_workers() if input_bytes >= MIN_POOL_BYTES else 0


def input_bytes(paths: Iterable[str]) -> int:
    """The size of the files, those that cannot be read counting 0."""
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:
            pass
    return total


def _send(stream, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read_frame(stream) -> bytes:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


def _receive(stream):
    return pickle.loads(_read_frame(stream))


class WorkerDied(RuntimeError):
    """A worker process ended while it had a job."""


class DocumentPool:
    """``workers`` processes mapping a function over documents; results in the items' order."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or default_workers()
        self._jobs: queue.Queue = queue.Queue()
        self._threads: list[threading.Thread] = []
        self._procs: list[subprocess.Popen] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the worker processes now (each loading the aligner's tables before its first
        job), not on the first ``map``: for a caller that has other work meanwhile."""
        with self._lock:
            if not self._threads:
                self._start(eager=True)

    def _start(self, eager: bool = False) -> None:
        # the caller's import path, so that a job's function unpickles in the worker as it would here
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root] + [p for p in sys.path if p])}
        for i in range(self.workers):
            thread = threading.Thread(target=self._feed, args=(env, eager), name=f"document-worker-{i}",
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def _spawn(self, env, load_tables: bool = False) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "-m", "aligners.workers"] + (["--load-tables"] if load_tables else []),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        with self._lock:
            self._procs.append(proc)
        return proc

    def _feed(self, env, eager: bool = False) -> None:
        proc = self._spawn(env, load_tables=True) if eager else None
        while True:
            job = self._jobs.get()
            if job is _STOP:
                break
            future, fn, item = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                if proc is None or proc.poll() is not None:
                    proc = self._spawn(env)
                _send(proc.stdin, (fn, item))
                ok, value = _receive(proc.stdout)
            except (OSError, EOFError) as exc:
                future.set_exception(WorkerDied(f"a document worker process ended ({exc!r})"))
                proc = None
                continue
            except BaseException as exc:  # a job that does not pickle, and the like
                future.set_exception(exc)
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
        if proc is not None:
            proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def map(self, fn: Callable, items: Iterable) -> Iterator:
        """``fn(item)`` for every item, in the worker processes; results in order, as they come."""
        with self._lock:
            if not self._threads:
                self._start()
        futures = []
        for item in items:
            future: Future = Future()
            self._jobs.put((future, fn, item))
            futures.append(future)
        return (f.result() for f in futures)

    def close(self) -> None:
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._jobs.put(_STOP)
        for thread in threads:
            thread.join()

    def __enter__(self) -> "DocumentPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def segment_item(doc, config):
    """``aligners.pipeline.segment_stage``, for a pool (a module-level function pickles by name)."""
    from aligners.pipeline import segment_stage

    return segment_stage(doc, config)


def align_item(item, config):
    """``aligners.pipeline.align_stage`` of a (document, segments) pair, for a pool."""
    from aligners.pipeline import align_stage

    return align_stage(*item, config)


def measure_item(result, config):
    """``aligners.corpus.screen.measure`` of a ``DocumentResult`` with the filters of ``config``
    (a ``FilterConfig``), for a pool: the share of the corpus pass a document allows alone."""
    from aligners.corpus.filters import build_filters
    from aligners.corpus.screen import measure

    return measure(build_filters(config), result)


def serve(load_tables: bool = False) -> None:
    """The worker's loop (see the module docstring)."""
    jobs, results = sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints must not reach the result channel
    if load_tables:
        import aligners.align.search  # noqa: F401 - the document stages' modules, before the first job
        import aligners.pipeline  # noqa: F401
        import aligners.text.segment  # noqa: F401
        from aligners.align import load_tables as load

        load()
    while True:
        try:
            frame = _read_frame(jobs)
        except EOFError:
            return
        try:
            fn, item = pickle.loads(frame)
            reply = (True, fn(item))
        except Exception as exc:  # sent back and raised in the parent
            reply = (False, exc)
        try:
            _send(results, reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _send(results, (False, RuntimeError(f"result could not be sent back: {exc!r}")))


if __name__ == "__main__":
    serve(load_tables="--load-tables" in sys.argv[1:])
