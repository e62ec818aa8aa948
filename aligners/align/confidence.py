"""Per-bead confidence in [0, 1]: a logistic regression fitted on MAC-Dev.

The score estimates P(this bead is exactly a gold bead). Features of a non-null bead
(``bead_features``), all read from the final DP's evidence:

  cos        lexical cosine of the bead's summed sentence vectors
  margin     cos minus the mean cosine of the same bead shape moved by 1-2 sentences
             along either side (after the margin scores of Vecalign/Bertalign: a pair
             is convincing when it is more similar than its neighbours are)
  delta2     squared Gale-Church length difference (capped at 25)
  extra      number of sentences beyond 1-1 (a + b - 2)
  context    mean margin of the up to CONTEXT non-null beads before and after it on the
             path: inside a real translation the neighbours agree even where this bead's
             words do not; in an untranslated chunk aligned to unrelated text they are
             all weak
  weak       share of the 2 * CONTEXT nearest non-null beads with margin < 0.05: a mean
             is propped up by a few very good neighbours, this is not
  short      1 / (1 + Chinese characters / 10): short sentences have few words to match
  nomatch    1 when cos < 0.05 (no shared word at all: the context must carry the bead)
  near       the lower of the margins of the previous and the next non-null bead (an
             untranslated chunk of two or more sentences has a weak immediate neighbour
             even where the wider context is good)

Null beads score 0 (the pipeline leaves them unpaired anyway).

The coefficients are not hand-set: bench/align_score_fit.py fits them (L2-regularised
logistic regression by Newton's method, numpy only) on the beads of the six MAC-Dev
chapters aligned with the shipped constants, labelled 1 when strictly correct, plus
negatives from aligning each chapter's Chinese with another chapter's English; it prints
the leave-one-chapter-out log-loss/AUC, and writes them to confidence.json.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

FEATURES = ("cos", "margin", "delta2", "extra", "context", "weak", "short", "nomatch", "near")
CONTEXT = 3
SHIFTS = (1, 2)

# The coefficients live in confidence.json, written by `bench/align_score_fit.py --write`
# (all example kinds weighted 1, all six MAC-Dev chapters aligned with the shipped DP
# constants), with the command and a SHA-256 of the data it read. Leave-one-chapter-out
# (held-out chapter's beads scored by coefficients fitted on the other five; printed by
# that command): AUC 0.967 over real + unrelated beads; at 0.2 / 0.3, 98.4% / 97.5% of
# correct beads, 89% / 82% of wrong (mostly near-miss) beads, 2.2% / 1.4% of beads
# forced between unrelated chapters and 31% / 21% of beads with a whole side in an
# inserted 1-3 sentence untranslated chunk are kept.
COEF_FILE = Path(__file__).with_name("confidence.json")


@lru_cache(maxsize=1)
def fitted() -> tuple[tuple[float, ...], float]:
    """(coefficients in FEATURES order, intercept) from confidence.json."""
    data = json.loads(COEF_FILE.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise RuntimeError(f"{COEF_FILE.name} was fitted for features {data['features']}, not {list(FEATURES)}")
    return tuple(float(c) for c in data["coef"]), float(data["intercept"])


def bead_features(aligner, beads) -> np.ndarray:
    """(n_beads, len(FEATURES)) features; rows of null beads are NaN."""
    n = len(beads)
    out = np.full((n, len(FEATURES)), np.nan)
    N, M = aligner.N, aligner.M
    ends = []
    i = j = 0
    for src, tgt in beads:
        i += len(src)
        j += len(tgt)
        ends.append((i, j, len(src), len(tgt)))
    cos = np.zeros(n)
    is_null = np.array([a == 0 or b == 0 for _, _, a, b in ends], bool)
    # cosines and neighbour cosines, grouped by bead shape so every call is vectorised
    margin = np.zeros(n)
    delta = np.zeros(n)
    shapes: dict[tuple[int, int], list[int]] = {}
    for k, (_, _, a, b) in enumerate(ends):
        if a and b:
            shapes.setdefault((a, b), []).append(k)
    for (a, b), ks in shapes.items():
        I = np.array([ends[k][0] for k in ks])
        J = np.array([ends[k][1] for k in ks])
        delta[ks] = aligner.length_delta(I, J, a, b)
        # the bead's own cosine and those of its shifted pairings in one call (the
        # similarity is computed cell by cell, so batching changes no value)
        cells_i, cells_j, oks = [I], [J], []
        for d in SHIFTS:
            for s in (-d, d):
                for I2, J2 in ((I + s, J), (I, J + s)):
                    ok = (I2 - a >= 0) & (I2 <= N) & (J2 - b >= 0) & (J2 <= M)
                    oks.append(ok)
                    cells_i.append(np.where(ok, I2, I))
                    cells_j.append(np.where(ok, J2, J))
        sims = aligner.similarity(np.concatenate(cells_i), np.concatenate(cells_j), a, b).reshape(len(cells_i), -1)
        cos[ks] = sims[0]
        shifted, count = np.zeros(len(ks)), np.zeros(len(ks))
        for ok, val in zip(oks, sims[1:]):
            if ok.any():
                shifted += np.where(ok, val, 0.0)
                count += ok
        margin[ks] = cos[ks] - np.where(count > 0, shifted / np.maximum(count, 1), 0.0)
    # context, weak, near read the neighbouring beads' margins, not their cosines: within a
    # document on one topic an untranslated chunk still shares words with the text around
    # it (cosine > 0), but no more with its partner than with the partner's neighbours
    real = np.flatnonzero(~is_null)
    ev = margin
    context = np.zeros(n)
    if len(real):
        cs = np.r_[0.0, np.cumsum(ev[real])]
        pos = np.arange(len(real))
        lo = np.maximum(pos - CONTEXT, 0)
        hi = np.minimum(pos + CONTEXT + 1, len(real))
        total = cs[hi] - cs[lo] - ev[real]
        cnt = hi - lo - 1
        context[real] = np.where(cnt > 0, total / np.maximum(cnt, 1), ev[real])
    near = np.zeros(n)
    if len(real):
        rc = ev[real]
        prev = np.r_[rc[1:2] if len(rc) > 1 else rc[:1], rc[:-1]]
        nxt = np.r_[rc[1:], rc[-2:-1] if len(rc) > 1 else rc[-1:]]
        near[real] = np.minimum(prev, nxt)
    weak = np.zeros(n)
    if len(real):
        wk = (ev[real] < 0.05).astype(float)
        wc = np.r_[0.0, np.cumsum(wk)]
        weak[real] = (wc[hi] - wc[lo] - wk) / np.maximum(hi - lo - 1, 1)
    zl = np.array([aligner.zcs[e[0]] - aligner.zcs[e[0] - e[2]] for e in ends])
    extra = np.array([a + b - 2 for _, _, a, b in ends], float)
    feats = np.stack([cos, margin, np.minimum(delta * delta, 25.0), extra, context, weak, 1.0 / (1.0 + zl / 10.0),
                      (cos < 0.05).astype(float), near], axis=1)
    out[~is_null] = feats[~is_null]
    return out


def logistic(X: np.ndarray, coef, intercept: float) -> np.ndarray:
    z = np.clip(X @ np.asarray(coef, float) + intercept, -40, 40)
    return 1.0 / (1.0 + np.exp(-z))


def scores_from_features(X: np.ndarray, coef=None, intercept: float | None = None) -> np.ndarray:
    if coef is None:
        coef, intercept = fitted()
    out = np.zeros(len(X))
    ok = ~np.isnan(X).any(axis=1)
    if ok.any():
        out[ok] = logistic(X[ok], coef, intercept)
    return out


def bead_scores(aligner, beads) -> list[float]:
    return [float(s) for s in scores_from_features(bead_features(aligner, beads))]


def fit_logistic(X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, l2: float = 1e-4,
                 iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (intercept not penalised)."""
    n, k = X.shape
    A = np.c_[X, np.ones(n)]
    w = np.ones(n) if weight is None else np.asarray(weight, float)
    beta = np.zeros(k + 1)
    reg = np.r_[np.full(k, l2 * w.sum()), 0.0]
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(A @ beta, -40, 40)))
        grad = A.T @ (w * (p - y)) + reg * beta
        H = (A * (w * p * (1 - p))[:, None]).T @ A + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:k], float(beta[k])
