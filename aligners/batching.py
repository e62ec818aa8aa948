"""Batches of documents for the flow's tasks, and the batch size.

A task per document costs Prefect's per-task overhead (a task run record, state
changes sent to the API, a persisted result, and with Dask a round trip to a
worker). ``bench/pipeline_overhead.py`` measures it, ``bench/pipeline_speed.py``
the work per document; the figures and the choice follow below.

Batch boundaries are content-defined (from a hash of the doc_id, as in
content-defined chunking), so adding or removing one document changes only its
own batch and perhaps its neighbour, not every batch after it.
"""
from __future__ import annotations

import hashlib
import math
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

TARGET_BATCH = 8  # documents per task; see the figures above
MIN_BATCHES_PER_WORKER = 2  # so a slow batch does not leave the other workers idle at the end


def choose_batch_size(n_docs: int, workers: int, target: int = TARGET_BATCH) -> int:
    """``target``, or less when there would be fewer than 2 batches per worker."""
    if n_docs <= 0:
        return 1
    spread = math.ceil(n_docs / max(1, workers * MIN_BATCHES_PER_WORKER))
    return max(1, min(target, spread))


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
