"""Coarse-to-fine search (after Vecalign, Thompson & Koehn 2019) and the top-level call.

A short document is aligned by one DP over the full matrix. A long one is first
reduced to blocks of 2, 4, 8 ... sentences (block vector = sum of its sentence
vectors, block length = sum of lengths) until the block matrix is small; that is
aligned in full, and each finer level is aligned only inside a corridor of +-radius
blocks around the path of the level above. Every level costs O(units x radius), so
the whole search is linear in the document length.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from aligners.config import AlignConfig
from aligners.types import Bead

from . import params as P
from .dp import Aligner, DPParams, LevelInput, full_corridor
from .features import build_features, lexicon_pairs

FULL_DP_CELLS = 400_000  # below this many cells, no corridor at all
RADIUS = 8  # corridor half-width, in units of the level being refined


def _para_starts(paragraphs: Sequence[int] | None, n: int) -> np.ndarray | None:
    if paragraphs is None:
        return None
    p = np.asarray(list(paragraphs), dtype=np.int64)
    if len(p) != n:
        raise ValueError(f"{len(p)} paragraph numbers for {n} sentences")
    if n and np.any(np.diff(p) < 0):
        raise ValueError("paragraph numbers must be non-decreasing")
    return np.r_[True, p[1:] != p[:-1]] if n else np.zeros(0, bool)


def _coarsen(level: LevelInput) -> LevelInput:
    def halve_len(x):
        pad = np.r_[x, 0.0] if len(x) % 2 else x
        return pad.reshape(-1, 2).sum(axis=1)

    def halve_para(s):
        if s is None:
            return None
        pad = np.r_[s, False] if len(s) % 2 else s
        return pad.reshape(-1, 2)[:, 0]

    return LevelInput(level.zh.block_sum(2), level.en.block_sum(2), halve_len(level.zh_len), halve_len(level.en_len),
                      halve_para(level.zh_para_start), halve_para(level.en_para_start))


def corridor_from_path(path: list[tuple[int, int]], n: int, m: int, radius: int) -> tuple[np.ndarray, np.ndarray]:
    """Corridor at a finer level (twice the units) around a coarse path of boundary points."""
    lo = np.full(n + 1, m + 1, np.int64)
    hi = np.full(n + 1, -1, np.int64)
    pts = [(min(2 * i, n), min(2 * j, m)) for i, j in path]
    for (i1, j1), (i2, j2) in zip(pts, pts[1:]):
        lo[i1 : i2 + 1] = np.minimum(lo[i1 : i2 + 1], j1)
        hi[i1 : i2 + 1] = np.maximum(hi[i1 : i2 + 1], j2)
    lo[n] = min(lo[n], m)
    hi[n] = max(hi[n], m)
    lo2, hi2 = lo.copy(), hi.copy()
    for d in range(1, radius + 1):
        lo2[d:] = np.minimum(lo2[d:], lo[:-d])
        lo2[:-d] = np.minimum(lo2[:-d], lo[d:])
        hi2[d:] = np.maximum(hi2[d:], hi[:-d])
        hi2[:-d] = np.maximum(hi2[:-d], hi[d:])
    lo2 = np.clip(lo2 - radius, 0, m)
    hi2 = np.clip(hi2 + radius, 0, m)
    lo2[0] = 0
    hi2[n] = m
    return lo2, hi2


def _path_points(beads) -> list[tuple[int, int]]:
    pts = [(0, 0)]
    i = j = 0
    for src, tgt in beads:
        i += len(src)
        j += len(tgt)
        pts.append((i, j))
    return pts


def align_level(level: LevelInput, fine: DPParams, coarse: DPParams, depth: int = 0):
    n, m = level.zh.n_rows, level.en.n_rows
    params = fine if depth == 0 else coarse
    if (n + 1) * (m + 1) <= FULL_DP_CELLS or min(n, m) < 4:
        lo, hi = full_corridor(n, m)
    else:
        upper = align_level(_coarsen(level), fine, coarse, depth + 1)
        lo, hi = corridor_from_path(_path_points(upper), n, m, RADIUS)
    aligner = Aligner(level, params, lo, hi)
    beads = aligner.run()
    if depth == 0:
        align_level.last = aligner  # for scoring the final beads
    return beads


def align_raw(zh: list[str], en: list[str], config: AlignConfig, *, zh_paragraphs=None, en_paragraphs=None,
              lexicon=None):
    """(beads as (src, tgt) tuples, the final level's Aligner) for non-empty inputs."""
    n, m = len(zh), len(en)
    zs, es = _para_starts(zh_paragraphs, n), _para_starts(en_paragraphs, m)
    if zs is None or es is None:
        zs = es = None
    fine = P.fine_params(config)

    def one_pass(lex, words=None):
        zf, ef, info = build_features(zh, en, config.features, lexicon=lex, segmented=words)
        level = LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths, zs, es)
        return align_level(level, fine, P.COARSE), align_level.last, info

    beads, aligner, info = one_pass(lexicon)
    if lexicon is None and config.learn_lexicon:
        # Moore (2002): learn word translations from the first pass, then align again.
        from .dictionary import cedict
        from .lexicon import learn_lexicon

        learned = learn_lexicon(lexicon_pairs(beads, info), cedict(), **P.LEXICON)
        beads, aligner, _ = one_pass(learned, info["zh_words"])
    return beads, aligner


def first_pass_pairs(zh: list[str], en: list[str], config: AlignConfig) -> list:
    """(Chinese words, English stems) of the beads of a dictionary-only pass, for IBM-1."""
    zf, ef, info = build_features(zh, en, config.features)
    level = LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths)
    beads = align_level(level, P.fine_params(config), P.COARSE)
    return lexicon_pairs(beads, info)


def align_document(zh: list[str], en: list[str], config: AlignConfig, *, zh_paragraphs=None,
                   en_paragraphs=None, lexicon=None) -> list[Bead]:
    n, m = len(zh), len(en)
    if n == 0 or m == 0:
        return [Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)]
    from .blas import one_blas_thread
    from .confidence import bead_scores

    with one_blas_thread():
        beads, aligner = align_raw(zh, en, config, zh_paragraphs=zh_paragraphs, en_paragraphs=en_paragraphs,
                                   lexicon=lexicon)
        scores = bead_scores(aligner, beads)
    return [Bead(s, t, float(sc)) for (s, t), sc in zip(beads, scores)]
