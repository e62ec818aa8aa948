"""Batches of documents for the flow's tasks, and the batch size.

A task per document costs Prefect's per-task overhead (a task run record, state
changes sent to the API, a persisted result, and with Dask a round trip to a
worker). The constants below come from one 2-core machine with other jobs running
(Prefect 3.9.1); on other hardware the two costs scale roughly together, so their
ratio, which sets the batch size, moves less than either. Remeasure with:

- ``bench/pipeline_overhead.py --tasks 200``: a trivial task that persists its
  result costs 5-10 ms in the thread runner, and 151 ms of wall time on a reused
  Dask LocalCluster of 2 worker processes, i.e. ~0.3 s of worker time per task;
- ``bench/pipeline_speed.py --docs 300 --batch-size B --skip-dask`` (271 MAC-Dev
  parts, ~5 sentence pairs each, thread runner), first run / rerun with nothing
  changed: B=1 (813 tasks) 19.4 s / 10.7 s; B=23 (51 tasks) 11.7 s / 3.0 s;
  B=68 (18 tasks) 8.3 s / 1.1 s. So a task in the real flow costs ~13 ms
  ((19.4 - 8.3) s / 795 tasks), and a document ~27 ms of work ((8.3 - 1.1 s of
  empty flow) / 271, including loading the dictionaries once).

With the thread runner feeding worker processes (``aligners.workers``: inputs large
enough that every core computes documents), a task's cost is CPU taken from the
workers: this process's and the Prefect API server's, which share the cores with
them. ``bitextflow run`` on the 258 real dev documents (``bench/pipeline_pile.py``)
against a running server, with 14 batches (42 tasks) and with 5 (15 tasks): the
server's CPU 5.9 -> 2.9 s and the command's 11.0 -> 10.0 s (load ~4.6), ~0.15 s per
task ("pool" below), against ~70 ms of work per document of that pile. Two batches
per worker process there too, so that one batch's hand-over to the next stage (its
persisted result, the next stage's keys) overlaps the work on the next batch.

The batch size puts the overhead of a batch's three tasks at 5 % of its work:
3 x 13 ms / (0.05 x 27 ms) = 29 documents with threads, ~670 with Dask, capped so
that every Dask worker gets at least two batches. A larger batch costs little
when one document changes, since the others come from the per-document store
(``doccache``: rerun after editing one document, B=68: 1.15 s); what it costs is
parallelism, progress-bar granularity, and cache space (a changed batch is stored
again whole).

Batch boundaries are content-defined (from a hash of the doc_id, as in
content-defined chunking), so adding or removing one document changes only its
own batch and perhaps its neighbour, not every batch after it.
"""
from __future__ import annotations

import hashlib
import math
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

# Measured once, on a 2-core machine under load, by the two benches in the module docstring;
# estimates for choosing a batch size, not properties of bitextflow (``batch_size=`` overrides).
PER_DOC_SECONDS = 0.027  # segment + align of one MAC-Dev part of ~5 sentences per side
TASK_SECONDS = {"thread": 0.013, "dask": 0.30,  # Prefect's cost per task run (Dask: worker time)
                "pool": 0.15}  # threads feeding worker processes (see below)
TASKS_PER_BATCH = 3  # read, segment, align
OVERHEAD_SHARE = 0.05  # task overhead at most this share of the work, so a cached rerun
#                        (which pays the overhead and none of the work) costs about that share
MIN_BATCHES_PER_WORKER = 2  # so a slow batch does not leave the other workers idle at the end


def target_batch(runner: str = "thread") -> int:
    """Documents per batch so that the per-task overhead stays under ``OVERHEAD_SHARE`` of the work."""
    per_task = TASK_SECONDS.get(runner, TASK_SECONDS["dask"])
    return math.ceil(TASKS_PER_BATCH * per_task / (OVERHEAD_SHARE * PER_DOC_SECONDS))


def choose_batch_size(n_docs: int, workers: int, runner: str = "thread") -> int:
    """``target_batch(runner)``, or less when there would be fewer than 2 batches per worker.

    Threads share one interpreter (the stages are CPU-bound Python), so for the
    thread runner ``workers`` should be 1.
    """
    if n_docs <= 0:
        return 1
    spread = math.ceil(n_docs / max(1, workers * MIN_BATCHES_PER_WORKER))
    return max(1, min(target_batch(runner), spread))


def _cut_here(doc_id: str, size: int) -> bool:
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % size == 0


def make_batches(items: Sequence[T], size: int, key: Callable[[T], str]) -> list[list[T]]:
    """Consecutive batches of about ``size`` items (at most ``2 * size``), in order.

    A batch ends before an item whose key hashes to 0 mod ``size``, or when it is full.
    """
    if size <= 1:
        return [[item] for item in items]
    out: list[list[T]] = []
    current: list[T] = []
    for item in items:
        if current and (_cut_here(key(item), size) or len(current) >= 2 * size):
            out.append(current)
            current = []
        current.append(item)
    if current:
        out.append(current)
    return out
