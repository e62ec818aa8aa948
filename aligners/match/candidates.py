"""Candidate partners of each file, found through the inverted index.

For each file of one side, its ``index_terms`` heaviest terms are looked up in the
other side's pruned postings; the partial dot products are summed per file met, the
best few of those are re-scored by their exact cosine, and the ``candidates`` best
by cosine are kept (Buck & Koehn 2016 rank by TF-IDF cosine; here the index only
proposes, so no pair of files shares no heavy term is ever compared). Both sides are
queried, so a file is a candidate of its partner even when the partner's other
candidates crowd it out of its own list.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aligners.align.sparse import Csr

from .index import PileIndex, Postings
from .profile import ZH

LOOKUP_FACTOR = 4  # files proposed by the pruned index per candidate kept (its partial sums are rough)
CHUNK = 256  # query files joined with the postings at a time (bounds the memory of one join)


@dataclass(frozen=True)
class Candidate:
    """A possible pair: profile indices of the Chinese and the English file, and their cosine."""

    zh: int
    en: int
    similarity: float


def query_ranges(index: PileIndex, size: int) -> list[tuple[str, int, int]]:
    """(side, start, stop) ranges of query files covering both sides, for batching."""
    out = []
    for side, n in ((ZH, len(index.zh_ids)), ("en", len(index.en_ids))):
        out += [(side, a, min(n, a + size)) for a in range(0, n, max(1, size))]
    return out


def find_candidates(index: PileIndex, side: str, start: int, stop: int, terms: int = 40,
                    keep: int = 3) -> list[Candidate]:
    """The ``keep`` best partners of query files ``start..stop`` of ``side``."""
    query, target = (index.zh, index.en) if side == ZH else (index.en, index.zh)
    postings = index.en_postings if side == ZH else index.zh_postings
    q_ids, t_ids = (index.zh_ids, index.en_ids) if side == ZH else (index.en_ids, index.zh_ids)
    if target.n_rows == 0 or stop <= start:
        return []
    out = []
    q_keys = _entry_keys(query, index.vocabulary)
    for a in range(start, stop, CHUNK):
        b = min(stop, a + CHUNK)
        qr, tr = _lookup(query, postings, target.n_rows, a, b, terms, keep * LOOKUP_FACTOR)
        cos = pair_dot(query, q_keys, target, qr, tr, index.vocabulary)
        order = np.lexsort((tr, -cos, qr))
        qr, tr, cos = qr[order], tr[order], cos[order]
        rank = _rank_within(qr)
        for q, t, c in zip(qr[rank < keep], tr[rank < keep], cos[rank < keep]):
            if c <= 0:
                continue
            zh, en = (q_ids[q], t_ids[t]) if side == ZH else (t_ids[t], q_ids[q])
            out.append(Candidate(zh, en, round(float(c), 6)))
    return out


def merge_candidates(parts) -> list[Candidate]:
    """One candidate per pair from the lists of both sides, in a fixed order."""
    best: dict[tuple[int, int], Candidate] = {}
    for part in parts:
        for c in part:
            best.setdefault((c.zh, c.en), c)
    return [best[k] for k in sorted(best)]


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal values of a sorted array."""
    if len(groups) == 0:
        return np.zeros(0, np.int64)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    lengths = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, lengths)


def _lookup(query: Csr, postings: Postings, n_target: int, a: int, b: int, terms: int,
            keep: int) -> tuple[np.ndarray, np.ndarray]:
    """(query row, target row) of the ``keep`` best partial sums of each query row in a..b."""
    lo, hi = query.indptr[a], query.indptr[b]
    rows = np.repeat(np.arange(a, b), np.diff(query.indptr[a:b + 1]))
    cols, w = query.indices[lo:hi].astype(np.int64), query.data[lo:hi]
    order = np.lexsort((cols, -w, rows))  # heaviest terms of each row first
    rows, cols, w = rows[order], cols[order], w[order]
    top = _rank_within(rows) < terms
    rows, cols, w = rows[top], cols[top], w[top]
    counts = postings.count[cols]
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    entry = np.repeat(np.arange(len(cols)), counts)
    offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = postings.start[cols][entry] + offset
    keys = rows[entry] * n_target + postings.rows[pos]
    unique, inverse = np.unique(keys, return_inverse=True)
    partial = np.bincount(inverse, weights=w[entry].astype(np.float64) * postings.weights[pos])
    qr, tr = unique // n_target, unique % n_target
    order = np.lexsort((tr, -partial, qr))
    qr, tr = qr[order], tr[order]
    best = _rank_within(qr) < keep
    return qr[best], tr[best]


def _entry_keys(m: Csr, width: int) -> np.ndarray:
    return m.row_ids().astype(np.int64) * width + m.indices  # sorted: rows in order, columns sorted in a row


def pair_dot(a: Csr, a_keys: np.ndarray, b: Csr, ra: np.ndarray, rb: np.ndarray, width: int) -> np.ndarray:
    """a[ra[k]] . b[rb[k]] for every k, by looking b's entries up in a's (sorted) entry keys."""
    counts = np.diff(b.indptr)[rb]
    total = int(counts.sum())
    out = np.zeros(len(ra), np.float64)
    if total == 0 or len(a_keys) == 0:
        return out
    pair = np.repeat(np.arange(len(ra)), counts)
    pos = b.indptr[rb][pair] + np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    keys = ra[pair] * width + b.indices[pos]
    at = np.minimum(np.searchsorted(a_keys, keys), len(a_keys) - 1)
    hit = a_keys[at] == keys
    np.add.at(out, pair[hit], a.data[at[hit]].astype(np.float64) * b.data[pos[hit]])
    return out
