"""Confident 1-1 sentence pairs over a whole document, in linear time (the search's anchors).

A pair is scored only by the words it shares that are rare on both sides (in at most
``MAX_DF`` sentences of each), so the candidate pairs of a word are few and all of
them can be listed: about ``MAX_DF ** 2`` per word, nothing quadratic in the document.
A candidate must also lie within ``BAND`` of the length diagonal (the English position
at the same share of the text's length), so that a repeated passage far away is not a
candidate. The score is the pair's rare-word dot product over the norms of the two
full sentence vectors (a cosine that counts rare words only).

A pair is kept when each sentence is the other's best candidate and the runner-up of
either scores below ``RATIO`` times the best (the ratio test of Lowe 2004: a match is
trusted when it is clearly better than the next one; it rejects the near-identical
sentences of lists and formulas). The kept pairs' longest chain increasing on both
sides are the anchors.
"""
from __future__ import annotations

from bisect import bisect_left

import numpy as np

from .sparse import Csr

MAX_DF = 10  # a word in more sentences than this (on either side) is not an anchor word
BAND = 0.1  # candidates within this share of the longer side of the length diagonal ...
MIN_BAND = 100  # ... and at least within this many sentences
RATIO = 0.8  # the runner-up must score below this share of the best


def length_diagonal(zh_len: np.ndarray, en_len: np.ndarray) -> np.ndarray:
    """For each Chinese sentence, the English sentence at the same share of the text's length."""
    zl = np.maximum(np.asarray(zh_len, float), 1.0)
    el = np.maximum(np.asarray(en_len, float), 1.0)
    zmid = (np.cumsum(zl) - zl / 2) / zl.sum()
    emid = (np.cumsum(el) - el / 2) / el.sum()
    return np.clip(np.searchsorted(emid, zmid), 0, len(el) - 1)


def candidate_pairs(zh: Csr, en: Csr, diagonal: np.ndarray, band: int,
                    max_df: int = MAX_DF) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, score) of the sentence pairs sharing rare words within ``band`` of the diagonal."""
    n_terms = int(max(zh.indices.max(initial=-1), en.indices.max(initial=-1))) + 1
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    if n_terms == 0:
        return empty
    df_z = np.bincount(zh.indices, minlength=n_terms)
    df_e = np.bincount(en.indices, minlength=n_terms)
    rare = (df_z > 0) & (df_z <= max_df) & (df_e > 0) & (df_e <= max_df)
    zk = rare[zh.indices]
    zt, zr, zv = zh.indices[zk].astype(np.int64), zh.row_ids()[zk], zh.data[zk].astype(np.float64)
    ek = rare[en.indices]
    et, er, ev = en.indices[ek].astype(np.int64), en.row_ids()[ek], en.data[ek].astype(np.float64)
    order = np.argsort(et, kind="stable")
    et, er, ev = et[order], er[order], ev[order]
    e_start = np.searchsorted(et, np.arange(n_terms))
    e_count = np.bincount(et, minlength=n_terms)
    reps = e_count[zt]
    total = int(reps.sum())
    if total == 0:
        return empty
    src = np.repeat(np.arange(len(zt)), reps)
    offset = np.arange(total) - np.repeat(np.cumsum(reps) - reps, reps)
    dst = e_start[zt[src]] + offset
    i, j = zr[src], er[dst]
    val = zv[src] * ev[dst]
    near = np.abs(j - diagonal[i]) <= band
    i, j, val = i[near], j[near], val[near]
    m = en.n_rows
    key, inv = np.unique(i * m + j, return_inverse=True)
    score = np.bincount(inv, val)
    i, j = key // m, key % m
    norm = np.sqrt(zh.norms_sq()[i] * en.norms_sq()[j])
    return i, j, np.where(norm > 0, score / np.where(norm > 0, norm, 1.0), 0.0)


def _best_and_runner_up(group: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate: is it its group's best, and its group's second-best score."""
    order = np.lexsort((-score, group))
    g, s = group[order], score[order]
    first = np.r_[True, g[1:] != g[:-1]]
    second = np.zeros(len(g))
    has2 = np.r_[~first[1:], False] & first  # a group's first row followed by a row of the same group
    second[has2] = s[np.flatnonzero(has2) + 1]
    best = np.zeros(len(g), bool)
    best[order[first]] = True
    runner = np.zeros(len(g))
    starts = np.flatnonzero(first)
    runner[order] = np.repeat(second[starts], np.diff(np.r_[starts, len(g)]))
    return best, runner


def longest_chain(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Indices of a longest subsequence strictly increasing in both i and j (i already unique)."""
    order = np.argsort(i, kind="stable")
    tails: list[int] = []  # smallest j ending a chain of each length
    tail_at: list[int] = []
    prev = np.full(len(order), -1, np.int64)
    for pos, k in enumerate(order.tolist()):
        x = int(j[k])
        at = bisect_left(tails, x)
        if at == len(tails):
            tails.append(x)
            tail_at.append(pos)
        else:
            tails[at] = x
            tail_at[at] = pos
        prev[pos] = tail_at[at - 1] if at else -1
    out = []
    pos = tail_at[-1] if tail_at else -1
    while pos >= 0:
        out.append(order[pos])
        pos = prev[pos]
    return np.array(out[::-1], np.int64)


def find_anchors(zh: Csr, en: Csr, zh_len: np.ndarray, en_len: np.ndarray) -> np.ndarray:
    """(k, 2) anchor pairs (Chinese sentence, English sentence), increasing on both sides."""
    n, m = zh.n_rows, en.n_rows
    if n == 0 or m == 0:
        return np.zeros((0, 2), np.int64)
    band = max(MIN_BAND, int(BAND * max(n, m)))
    i, j, score = candidate_pairs(zh, en, length_diagonal(zh_len, en_len), band)
    if not len(i):
        return np.zeros((0, 2), np.int64)
    best_i, runner_i = _best_and_runner_up(i, score)
    best_j, runner_j = _best_and_runner_up(j, score)
    keep = best_i & best_j & (score > 0) & (runner_i < RATIO * score) & (runner_j < RATIO * score)
    i, j = i[keep], j[keep]
    chain = longest_chain(i, j)
    return np.stack([i[chain], j[chain]], axis=1) if len(chain) else np.zeros((0, 2), np.int64)
