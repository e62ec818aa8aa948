"""The bead path of a whole document: anchors, a corridor around them, the DP, a check.

A document of at most ``FULL_DP_CELLS`` cells is aligned by the full DP. A longer one:

1. Anchors (after Bertalign, Liu & Zhu 2023, which runs its fine DP only between
   confident 1-1 pairs): every pair of sentences that share words rare on both
   sides (``anchors.py``) within a wide band around the length diagonal is scored;
   pairs that are each other's best match, clearly ahead of the runner-up, and in a
   longest increasing chain become anchors. Anchors only shape the corridor: the path
   is not forced through them.
2. Corridor: row i spans from the column of the second-last anchor before it to that
   of the second anchor after it (so that one wrong anchor cannot pinch it), plus
   ``PAD`` columns on both sides; between anchors far apart (an untranslated stretch,
   a missing chapter) that holds the whole rectangle.
3. The DP inside the corridor (dp.py).
4. Check: where the path comes within ``TOUCH`` cells of an edge of the corridor
   (other than column 0 or M; the edge of the rows just above or below counts too,
   since a row that ends sooner is an edge a cheaper path could leave by), the
   cheapest path may lie outside it. The corridor is joined with squares around those
   points, twice as large each time, and the DP re-run until the path touches no edge,
   or the corridor reaches ``CELLS_PER_SENTENCE`` cells per sentence (then the
   stretch is reported as unconfirmed).
5. Length ratio (every document, the full DP too): the Gale-Church term's
   English/Chinese length ratio is first the whole text's; a stretch without
   counterpart (a missing chapter, an untranslated passage) biases it. It is
   re-estimated from the path's paired beads and, if it moved by more than
   ``RATIO_TOLERANCE``, steps 3-4 run again in the last corridor.

Since the DP's cell costs do not depend on the corridor (dp.py), a path that touches
no edge is the full DP's path (with the same length ratio) wherever the full DP's
path stays within the corridor. That is a local check: a full-DP optimum far from
every anchor is not found. Measured by bench/align_long.py (``--only
concat,perturbed,repetitive --full-cells 20000000``): 0 beads differ from the full DP
on MAC-Dev's chapters and news-dev's documents concatenated, on the same text
shuffled and perturbed (a chapter missing on one side, untranslated stretches,
merges and splits), and on that text with repetitive lists and dialogue between the
parts. Before the DP gave runs of unpaired sentences their affine cost (dp.py), the
full DP spread the missing chapter over merged beads and the search departed from it
on 24% of the beads.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from aligners.config import AlignConfig
from aligners.types import Bead

from . import params as P
from .dp import DPParams, Evidence, LevelInput, LevelStats, corridor_dp, full_corridor
from .features import WordEntries, build_features

FULL_DP_CELLS = 400_000  # at most this many cells: the full DP, no corridor
PAD = 12  # columns added on both sides of the anchor corridor (3 beads of the widest type)
TOUCH = 4  # a path this close to an edge may want to leave (the widest bead spans 4 columns)
CELLS_PER_SENTENCE = 400  # widening stops when the corridor holds this many cells per sentence
# the length ratio is re-estimated when the first path's paired beads differ from the whole text by more than
# this share (2% moves the normalised length difference of a 40-character sentence by about 0.14)
RATIO_TOLERANCE = 0.02
SCORE_RADIUS = 3  # columns around the path whose products the confidence features read


@dataclass(frozen=True)
class SearchResult:
    """The path and what was learned finding it."""

    beads: list  # (Chinese ids, English ids) tuples
    evidence: Evidence  # products around the path, for the confidence features
    corridor_cells: int  # cells of the last DP run (N x M for the full DP)
    dp_runs: int  # DP runs (1 when the first corridor held the path)
    unconfirmed: tuple[tuple[int, int], ...] = ()  # Chinese row ranges still touching an edge
    length_ratio: float = 0.0  # the length term's English per Chinese length the path was found with
    features: "DocumentFeatures | None" = None  # the sentences' vectors (set by align_raw)


@dataclass(frozen=True)
class DocumentFeatures:
    """The document's sentence vectors as the search built them (features.build_features),
    with what it takes to vectorise parts of its Chinese sentences in the same space and
    to score a changed path (refine.py) without building them again: each sentence's
    words, their numbers and the words' translation masses (features.WordEntries)."""

    level: LevelInput  # vectors, lengths, paragraph starts
    length_ratio: float  # the length term's ratio the path was found with
    zh_words: list  # the Chinese words of each sentence
    zh_entries: "WordEntries"  # their numbers and translation masses: a part of a sentence is vectorised from these
    vocab: dict  # English token -> column
    weight: np.ndarray  # weight of each column


@dataclass(frozen=True)
class DocumentAlignment:
    """``align_document``'s result: scored beads, warnings, and the features (None for an empty side)."""

    beads: list
    warnings: tuple
    features: DocumentFeatures | None = None


def _para_starts(paragraphs: Sequence[int] | None, n: int) -> np.ndarray | None:
    if paragraphs is None:
        return None
    p = np.asarray(list(paragraphs), dtype=np.int64)
    if len(p) != n:
        raise ValueError(f"{len(p)} paragraph numbers for {n} sentences")
    if n and np.any(np.diff(p) < 0):
        raise ValueError("paragraph numbers must be non-decreasing")
    return np.r_[True, p[1:] != p[:-1]] if n else np.zeros(0, bool)


def path_points(beads) -> np.ndarray:
    """(k + 1, 2) boundary points (i, j) of a bead path, from (0, 0)."""
    sizes = np.array([(len(s), len(t)) for s, t in beads], np.int64).reshape(-1, 2)
    return np.vstack([np.zeros((1, 2), np.int64), np.cumsum(sizes, axis=0)])


def anchor_corridor(anchors: np.ndarray, n: int, m: int, pad: int = PAD,
                    gap_cells: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """lo, hi per row from anchor pairs (i, j), increasing in both; see the module docstring.

    Between two anchors whose rectangle exceeds ``gap_cells`` the corridor is a band
    along the straight line joining them, as wide as ``gap_cells`` allows (at least 2 pad).
    """
    pts = np.vstack([[0, 0], np.asarray(anchors, np.int64).reshape(-1, 2), [n, m]])
    keep = np.r_[True, (np.diff(pts[:, 0]) > 0) & (np.diff(pts[:, 1]) > 0)]
    keep[-1] = True
    pts = pts[keep]
    if len(pts) > 2 and (pts[-2] >= pts[-1]).any():
        pts = np.delete(pts, -2, axis=0)
    rows = np.arange(n + 1)
    k = np.clip(np.searchsorted(pts[:, 0], rows, side="right") - 1, 0, len(pts) - 2)
    k[n] = len(pts) - 2
    i0, j0 = pts[k, 0], pts[k, 1]
    i1, j1 = pts[k + 1, 0], pts[k + 1, 1]
    # one anchor further on each side: a single wrong anchor cannot pinch the corridor
    lo = pts[np.maximum(k - 1, 0), 1] - pad
    hi = pts[np.minimum(k + 2, len(pts) - 1), 1] + pad
    if gap_cells is not None:
        span = np.maximum(i1 - i0, 1)
        big = span * (j1 - j0 + 2 * pad) > gap_cells
        if big.any():
            line = j0 + (rows - i0) * (j1 - j0) / span
            half = np.maximum(pad, gap_cells // (2 * span))
            lo = np.where(big, np.maximum(lo, np.floor(line - half)), lo).astype(np.int64)
            hi = np.where(big, np.minimum(hi, np.ceil(line + half)), hi).astype(np.int64)
    return _tidy(lo, hi, m)


def _tidy(lo: np.ndarray, hi: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Clip to 0..m, make both edges non-decreasing, open (0, 0) and (N, M)."""
    lo = np.minimum.accumulate(np.clip(lo, 0, m)[::-1])[::-1].copy()
    hi = np.maximum.accumulate(np.clip(hi, 0, m)).copy()
    lo[0], hi[-1] = 0, m
    hi = np.maximum(hi, lo)
    return lo, hi


def touching_points(points: np.ndarray, lo: np.ndarray, hi: np.ndarray, m: int, touch: int = TOUCH) -> np.ndarray:
    """Path points (i, j) within ``touch`` of an edge of the corridor that is not column 0 or m.

    In two dimensions: a cheaper path may leave to the upper right through a row above
    that ends sooner (hi of rows i - touch + 1 .. i), or to the lower left through a row
    below that starts later, not only through the point's own row.
    """
    n = len(lo) - 1
    i, j = points[:, 0], points[:, 1]
    above = hi[np.maximum(i - touch + 1, 0)]  # hi is non-decreasing: the least of those rows
    below = lo[np.minimum(i + touch - 1, n)]  # lo is non-decreasing: the greatest
    near_hi = (above < m) & (above - j < touch)
    near_lo = (below > 0) & (j - below < touch)
    return points[near_lo | near_hi]


def widen(lo: np.ndarray, hi: np.ndarray, points: np.ndarray, by: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The corridor with the rows within ``by`` of ``points`` widened by ``by`` on both sides,
    joined with the squares of half-side ``by`` around the points (a monotone path's)."""
    n1 = len(lo)
    rows = np.arange(n1)
    i, j = points[:, 0], points[:, 1]
    mark = np.zeros(n1 + 1, np.int64)
    np.add.at(mark, np.clip(i - by, 0, n1), 1)
    np.add.at(mark, np.clip(i + by + 1, 0, n1), -1)
    hit = np.cumsum(mark)[:n1] > 0
    lo, hi = np.where(hit, lo - by, lo), np.where(hit, hi + by, hi)
    # for row r, the points of rows r - by .. r + by: the path is monotone, so the last one
    # at or before r + by has the greatest column and the first at or after r - by the least
    last = np.searchsorted(i, rows + by, side="right") - 1
    first = np.searchsorted(i, rows - by, side="left")
    has_hi = (last >= 0) & (i[np.clip(last, 0, len(i) - 1)] >= rows - by)
    has_lo = (first < len(i)) & (i[np.clip(first, 0, len(i) - 1)] <= rows + by)
    hi2 = np.where(has_hi, np.maximum(hi, j[np.clip(last, 0, len(i) - 1)] + by), hi)
    lo2 = np.where(has_lo, np.minimum(lo, j[np.clip(first, 0, len(i) - 1)] - by), lo)
    return _tidy(lo2, hi2, m)


def _ranges(rows: np.ndarray, gap: int) -> tuple[tuple[int, int], ...]:
    """Sorted rows as (first, last) ranges, joining rows less than ``gap`` apart."""
    out: list[list[int]] = []
    for r in rows.tolist():
        if out and r - out[-1][1] < gap:
            out[-1][1] = r
        else:
            out.append([r, r])
    return tuple((a, b) for a, b in out)


def paired_ratio(beads, stats: LevelStats) -> float | None:
    """English per Chinese length over the beads that pair both sides (None without any)."""
    z = e = 0.0
    for src, tgt in beads:
        if src and tgt:
            z += stats.zcs[src[-1] + 1] - stats.zcs[src[0]]
            e += stats.ecs[tgt[-1] + 1] - stats.ecs[tgt[0]]
    return e / z if z > 0 and e > 0 else None


def _corridor_search(level: LevelInput, params: DPParams, stats: LevelStats, lo: np.ndarray, hi: np.ndarray,
                     budget: int):
    """The DP in the corridor, widened where the path touches an edge: (result, lo, hi, runs, unconfirmed)."""
    m = level.en.n_rows
    grow, dp_runs = 2 * PAD, 0
    while True:
        res = corridor_dp(level, params, lo, hi, stats)
        dp_runs += 1
        touched = touching_points(path_points(res.beads), lo, hi, m)
        if not len(touched):
            return res, lo, hi, dp_runs, ()
        lo2, hi2 = widen(lo, hi, touched, grow, m)
        if int((hi2 - lo2 + 1).sum()) > budget:
            return res, lo, hi, dp_runs, _ranges(np.unique(touched[:, 0]), 2 * grow)
        lo, hi, grow = lo2, hi2, grow * 2


def search_path(level: LevelInput, params: DPParams) -> SearchResult:
    """The cheapest bead path of the whole document (see the module docstring)."""
    from .anchors import find_anchors

    n, m = level.zh.n_rows, level.en.n_rows
    max_a = max(a for a, _ in params.beads)
    max_b = max(b for _, b in params.beads)
    stats = LevelStats(level, max_a, max_b)
    budget = max(FULL_DP_CELLS, CELLS_PER_SENTENCE * (n + m))
    if (n + 1) * (m + 1) <= FULL_DP_CELLS or min(n, m) < 4:
        lo, hi = full_corridor(n, m)
    else:
        anchors = find_anchors(level.zh, level.en, level.zh_len, level.en_len)
        lo, hi = anchor_corridor(anchors, n, m, PAD, gap_cells=budget // 4)
    res, lo, hi, dp_runs, unconfirmed = _corridor_search(level, params, stats, lo, hi, budget)
    ratio = reestimated_ratio(res.beads, stats)
    if ratio is not None:
        stats = stats.with_ratio(ratio)
        res, lo, hi, runs, unconfirmed = _corridor_search(level, params, stats, lo, hi, budget)
        dp_runs += runs
    return SearchResult(res.beads, path_evidence(level, params, res.beads, stats), res.cells, dp_runs,
                        unconfirmed, stats.ratio)


def reestimated_ratio(beads, stats: LevelStats) -> float | None:
    """The paired beads' length ratio when it differs from ``stats.ratio`` by more than
    ``RATIO_TOLERANCE`` (step 5 of the module docstring), else None."""
    ratio = paired_ratio(beads, stats)
    return ratio if ratio is not None and abs(ratio / stats.ratio - 1.0) > RATIO_TOLERANCE else None


def path_evidence(level: LevelInput, params: DPParams, beads, stats: LevelStats) -> Evidence:
    """Products in a narrow corridor around the path: what the confidence features read."""
    n, m = level.zh.n_rows, level.en.n_rows
    pts = path_points(beads)
    lo = np.full(n + 1, m, np.int64)
    hi = np.zeros(n + 1, np.int64)
    np.minimum.at(lo, pts[:, 0], pts[:, 1])
    np.maximum.at(hi, pts[:, 0], pts[:, 1])
    # rows inside a many-sentence bead have no point: they take the bead's columns
    lo = np.minimum.accumulate(lo[::-1])[::-1]
    hi = np.maximum.accumulate(hi)
    radius = SCORE_RADIUS + max(max(a, b) for a, b in params.beads)
    lo = np.clip(lo - radius, 0, m)
    hi = np.clip(hi + radius, 0, m)
    return Evidence(level, params, lo, hi, stats=stats)


def align_raw(zh: list[str], en: list[str], config: AlignConfig, *, zh_paragraphs=None,
              en_paragraphs=None) -> SearchResult:
    """The search result of non-empty inputs."""
    n, m = len(zh), len(en)
    zs, es = _para_starts(zh_paragraphs, n), _para_starts(en_paragraphs, m)
    if zs is None or es is None:
        zs = es = None
    zf, ef, info = build_features(zh, en, config.features)
    level = LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths, zs, es)
    found = search_path(level, P.fine_params(config))
    features = DocumentFeatures(level, found.length_ratio, info["zh_words"], info["zh_entries"], info["vocab"],
                                info["weight"])
    return dataclasses.replace(found, features=features)


def align_document(zh: list[str], en: list[str], config: AlignConfig, *, zh_paragraphs=None,
                   en_paragraphs=None) -> DocumentAlignment:
    """Scored beads, warnings (alarms.AlignmentWarning stretches where it likely went wrong)
    and the features they were found with."""
    n, m = len(zh), len(en)
    if n == 0 or m == 0:
        return DocumentAlignment([Bead((i,), ()) for i in range(n)] + [Bead((), (j,)) for j in range(m)], ())
    from .alarms import find_warnings
    from .blas import one_blas_thread
    from .confidence import bead_scores

    with one_blas_thread():
        found = align_raw(zh, en, config, zh_paragraphs=zh_paragraphs, en_paragraphs=en_paragraphs)
        scores = bead_scores(found.evidence, found.beads)
    beads = [Bead(s, t, float(sc)) for (s, t), sc in zip(found.beads, scores)]
    stats = found.evidence.stats
    warnings = find_warnings(beads, np.diff(stats.zcs), np.diff(stats.ecs), config.min_score, found.unconfirmed)
    return DocumentAlignment(beads, warnings, found.features)
