"""Sparse row vectors (CSR) and the few products the aligner needs, in numpy.

No N x M matrix is ever built: ``band_dot`` computes dot products only between each
row of A and a fixed-width window of rows of B, chunk by chunk, over the local
vocabulary of the chunk.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class Csr:
    indptr: np.ndarray  # int64, n_rows + 1
    indices: np.ndarray  # int32 column ids, sorted and unique within a row
    data: np.ndarray  # float32

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def from_triples(cls, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int) -> "Csr":
        """Sum duplicate (row, col) entries; rows may come in any order."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.asarray(vals, dtype=np.float64)
        if len(rows) == 0:
            return cls(np.zeros(n_rows + 1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))
        width = int(cols.max()) + 1
        keys = rows * width + cols
        order = np.argsort(keys, kind="stable")
        keys, vals = keys[order], vals[order]
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        summed = np.add.reduceat(vals, first)
        ukeys = keys[first]
        urows, ucols = ukeys // width, ukeys % width
        indptr = np.zeros(n_rows + 1, np.int64)
        np.add.at(indptr, urows + 1, 1)
        return cls(np.cumsum(indptr), ucols.astype(np.int32), summed.astype(np.float32))

    def row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_rows), np.diff(self.indptr))

    def block_sum(self, k: int) -> "Csr":
        """Rows summed in consecutive groups of k (the last group may be shorter)."""
        n = (self.n_rows + k - 1) // k
        return Csr.from_triples(self.row_ids() // k, self.indices, self.data, n)

    def norms_sq(self) -> np.ndarray:
        out = np.zeros(self.n_rows, np.float64)
        np.add.at(out, self.row_ids(), self.data.astype(np.float64) ** 2)
        return out


def _dense(ind: np.ndarray, data: np.ndarray, counts: np.ndarray, slot: np.ndarray, n_vocab: int) -> np.ndarray:
    """Rows (given by per-row entry counts) as a dense matrix over a local vocabulary of
    ``n_vocab`` columns; ``slot[c]`` is column c's place in it, -1 for a column left out."""
    rows = np.repeat(np.arange(len(counts)), counts)
    pos = slot[ind]
    keep = pos >= 0
    out = np.zeros((len(counts), n_vocab), np.float64)
    out[rows[keep], pos[keep]] = data[keep]
    return out


def offset_dot(a: Csr, d: int) -> np.ndarray:
    """G[r] = a[r] . a[r + d] for every row r (0 past the end), without any dense block."""
    n = a.n_rows
    out = np.zeros(n, np.float64)
    if d >= n or len(a.indices) == 0:
        return out
    rows = a.row_ids()
    width = int(a.indices.max()) + 1
    left = rows * width + a.indices  # entry of row r, keyed by (r, col)
    right = (rows - d) * width + a.indices  # entry of row r + d, keyed as if it were row r
    common, li, ri = np.intersect1d(left, right, assume_unique=True, return_indices=True)
    np.add.at(out, rows[li], a.data[li].astype(np.float64) * a.data[ri])
    return out


def band_dot(a: Csr, b: Csr, starts: np.ndarray, width: int, rows: slice | None = None,
             chunk: int = 64, compiled: bool | None = None) -> np.ndarray:
    """D[r, w] = a[r] . b[starts[r] + w] (0 where that row of b does not exist), in float64.

    ``rows`` restricts the result to a[rows] (``starts`` then has one entry per row of it).
    ``compiled``: numba's loop over the band (``band_rows``) instead of numpy's dense
    blocks; by default for documents where the DP uses numba too (dp.COMPILE_ROWS), as
    numba is loaded for those anyway. The two differ only in the order of the sums.
    """
    first, last = (0, a.n_rows) if rows is None else (rows.start, rows.stop)
    n_a, n_b = last - first, b.n_rows
    out = np.zeros((n_a, width), np.float64)
    if n_a <= 0 or n_b == 0 or width <= 0:
        return out
    starts = np.asarray(starts, dtype=np.int64)
    if compiled is None:
        from .dp import COMPILE_ROWS

        compiled = a.n_rows > COMPILE_ROWS
    kernel = numba_compiled(band_rows) if compiled else None
    if kernel is not None:
        n_cols = max(int(a.indices.max(initial=-1)), int(b.indices.max(initial=-1))) + 1
        kernel(a.indptr, a.indices, a.data, b.indptr, b.indices, b.data, starts, first, np.zeros(n_cols), out)
        return out
    n_cols = max(int(a.indices.max(initial=-1)), int(b.indices.max(initial=-1))) + 1
    in_a, in_b = np.zeros(n_cols, bool), np.zeros(n_cols, bool)  # marks, cleared after each chunk
    slot = np.full(n_cols, -1, np.int64)
    for q0 in range(0, n_a, chunk):
        q1 = min(n_a, q0 + chunk)
        r0, r1 = first + q0, first + q1
        c0 = max(0, int(starts[q0:q1].min()))
        c1 = min(n_b, int(starts[q0:q1].max()) + width)
        if c1 <= c0:
            continue
        b_ind = b.indices[b.indptr[c0] : b.indptr[c1]]
        a_ind = a.indices[a.indptr[r0] : a.indptr[r1]]
        # local vocabulary: the columns both sides use (sorted), so the dense blocks stay small
        in_a[a_ind] = True
        in_b[b_ind] = True
        vocab = np.flatnonzero(in_a & in_b)
        in_a[a_ind] = False
        in_b[b_ind] = False
        if len(vocab) == 0:
            continue
        slot[vocab] = np.arange(len(vocab))
        b_loc = _dense(b_ind, b.data[b.indptr[c0] : b.indptr[c1]], np.diff(b.indptr[c0 : c1 + 1]), slot, len(vocab))
        a_loc = _dense(a_ind, a.data[a.indptr[r0] : a.indptr[r1]], np.diff(a.indptr[r0 : r1 + 1]), slot, len(vocab))
        slot[vocab] = -1
        full = a_loc @ b_loc.T  # (r1 - r0, c1 - c0)
        cols = starts[q0:q1, None] - c0 + np.arange(width)[None, :]
        valid = (cols >= 0) & (cols < c1 - c0)
        picked = np.take_along_axis(full, np.clip(cols, 0, c1 - c0 - 1), axis=1)
        out[q0:q1] = np.where(valid, picked, 0.0)
    return out


def band_rows(a_ptr, a_ind, a_val, b_ptr, b_ind, b_val, starts, first, dense, out) -> None:
    """``band_dot``'s products row by row (compiled by numba): row a[first + q] is spread
    into ``dense`` (zeros, one entry per column), each row of b in its window is summed
    against it, and ``dense`` is cleared again."""
    n_b = len(b_ptr) - 1
    width = out.shape[1]
    for q in range(out.shape[0]):
        r = first + q
        for k in range(a_ptr[r], a_ptr[r + 1]):
            dense[a_ind[k]] = a_val[k]
        for w in range(width):
            c = starts[q] + w
            if c < 0 or c >= n_b:
                continue
            total = 0.0
            for k in range(b_ptr[c], b_ptr[c + 1]):
                total += dense[b_ind[k]] * b_val[k]
            out[q, w] = total
        for k in range(a_ptr[r], a_ptr[r + 1]):
            dense[a_ind[k]] = 0.0


@lru_cache(maxsize=None)
def numba_compiled(fn):
    """``fn`` compiled by numba (cached on disk by numba), or None without numba; numba is
    imported only here, for documents long enough to need it."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; stay correct without it
        return None
    return numba.njit(cache=True, nogil=True)(fn)
