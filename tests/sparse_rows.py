"""Small sparse matrices for the aligner tests, written as one {column: value} dict per row."""
import numpy as np

from aligners.align.sparse import Csr


def csr(rows):
    """Csr from a list of {col: value} dicts."""
    r, c, v = [], [], []
    for i, d in enumerate(rows):
        for k, x in d.items():
            r.append(i), c.append(k), v.append(x)
    return Csr.from_triples(np.array(r), np.array(c), np.array(v, float), len(rows))
