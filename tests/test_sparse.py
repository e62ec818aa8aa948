"""The band products of aligners/align/sparse.py: numpy's dense blocks and numba's row
loop give the dense products, on any window (before the first row of b, past its last)."""
from __future__ import annotations

import numpy as np
import pytest

from sparse_rows import csr

from aligners.align.sparse import band_dot, band_rows, numba_compiled


@pytest.mark.parametrize("compiled", [False, True])
def test_both_band_products_are_the_dense_products(compiled):
    if compiled and numba_compiled(band_rows) is None:
        pytest.skip("numba is not installed")
    rng = np.random.default_rng(3)
    A = rng.random((40, 30)) * (rng.random((40, 30)) < 0.2)
    B = rng.random((35, 25)) * (rng.random((35, 25)) < 0.2)  # fewer columns than A
    a = csr([{k: x for k, x in enumerate(row) if x} for row in A])
    b = csr([{k: x for k, x in enumerate(row) if x} for row in B])
    a32 = A.astype(np.float32).astype(np.float64)  # the values the Csr keeps
    b32 = np.zeros((35, 30))
    b32[:, :25] = B.astype(np.float32)
    starts = rng.integers(-6, 38, size=40)
    D = band_dot(a, b, starts, 5, chunk=7, compiled=compiled)
    want = np.array([[a32[r] @ b32[c] if 0 <= c < 35 else 0.0 for c in range(s, s + 5)]
                     for r, s in enumerate(starts)])
    assert np.abs(D - want).max() < 1e-12
    part = band_dot(a, b, starts[10:20], 5, rows=slice(10, 20), compiled=compiled)
    assert np.abs(part - want[10:20]).max() < 1e-12
