"""Per-bead confidence in [0, 1].

A logistic function of the bead's lexical cosine and its Gale-Church length
difference. Null beads score 0 (the pipeline leaves them unpaired anyway).
The coefficients are set by hand, NOT fitted: bench/align_macdev.py --scores shows what
they give (at 0.2: 72% of strictly correct beads kept, 5.6% of beads forced between
unrelated chapters kept). Fitting them (logistic regression on correct vs. unrelated
beads, cross-validated) is the obvious next step.
"""
from __future__ import annotations

import numpy as np

COEF_COS = 12.0
COEF_DELTA2 = -0.15
INTERCEPT = -2.0


def bead_scores(aligner, beads) -> list[float]:
    out = []
    for src, tgt in beads:
        if not src or not tgt:
            out.append(0.0)
            continue
        I = np.array([src[-1] + 1])
        J = np.array([tgt[-1] + 1])
        a, b = len(src), len(tgt)
        cos = float(aligner.similarity(I, J, a, b)[0])
        delta = float(aligner.length_delta(I, J, a, b)[0])
        z = COEF_COS * cos + COEF_DELTA2 * delta * delta + INTERCEPT
        out.append(float(1.0 / (1.0 + np.exp(-z))))
    return out
