"""Dynamic programming over beads inside a corridor, with numpy.

Rows are Chinese boundaries i = 0..N, columns English boundaries j = 0..M. Row i
may only use columns lo[i]..hi[i] (the corridor); a full DP is the corridor
lo = 0, hi = M. Memory and time are O(N x corridor width x bead types).

A bead of a Chinese and b English sentences ending at (i, j) costs (lower is better)

    w_sim * (1 - cos(Z, E)) * size(a, b) + w_len * delta^2 / 2 + penalty(a, b) [+ paragraph terms]

where Z, E are the sums of the sentence vectors (features.py), so their dot product is
a sum of sentence-pair products read from a band of precomputed products, and delta is
Gale & Church's (1993) normalised length difference with the English/Chinese length
ratio taken from the document itself and a variance fitted on data. Null beads
(1-0, 0-1) cost a constant per sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .sparse import Csr, band_dot, offset_dot


@dataclass(frozen=True)
class DPParams:
    beads: tuple[tuple[int, int], ...]
    penalties: dict = field(default_factory=dict)  # (a, b) -> additive cost
    w_sim: float = 1.0
    size_power: float = 1.0  # size(a, b) = ((a + b) / 2) ** size_power
    w_len: float = 0.1
    len_var: float = 6.0  # variance of the length difference per Chinese character (English letters^2)
    null_cost: float = 1.0
    para_cost: float = 0.0  # bead start on a paragraph start of one side only / bead crossing one
    w_logratio: float = 0.0  # weight of log(English length / (ratio x Chinese length))^2


@dataclass
class LevelInput:
    """What the DP needs about one resolution level (sentences, or blocks of them)."""

    zh: Csr
    en: Csr
    zh_len: np.ndarray
    en_len: np.ndarray
    zh_para_start: np.ndarray | None = None  # bool per Chinese unit: starts a paragraph
    en_para_start: np.ndarray | None = None


def _block_norms(vec: Csr, max_k: int) -> list[np.ndarray]:
    """norms[k][i] = ||sum of rows i-k .. i-1||^2 for k = 1..max_k (index 0 unused)."""
    n = vec.n_rows
    sq = vec.norms_sq()
    cs = np.r_[0.0, np.cumsum(sq)]
    gcs = [None] + [np.r_[0.0, np.cumsum(offset_dot(vec, k))] for k in range(1, max_k)]
    out = [np.zeros(n + 1)]
    idx = np.arange(n + 1)
    for k in range(1, max_k + 1):
        start = np.maximum(idx - k, 0)
        total = cs[idx] - cs[start]
        for d in range(1, k):
            # pairs (r, r + d) with i - k <= r and r + d <= i - 1
            hi_r = np.maximum(idx - d, start)
            total = total + 2.0 * (gcs[d][hi_r] - gcs[d][start])
        out.append(np.maximum(total, 0.0))
    return out


class Aligner:
    """One DP run over a corridor."""

    def __init__(self, data: LevelInput, params: DPParams, lo: np.ndarray, hi: np.ndarray):
        self.d, self.p = data, params
        self.N, self.M = data.zh.n_rows, data.en.n_rows
        self.lo = np.asarray(lo, np.int64)
        self.hi = np.asarray(hi, np.int64)
        self.W = int((self.hi - self.lo).max()) + 1
        self.max_a = max(a for a, _ in params.beads)
        self.max_b = max(b for _, b in params.beads)
        # Chinese sentence r meets English columns lo[r] - max_b .. hi[r + max_a]
        r = np.arange(self.N)
        self.band_start = self.lo[r] - self.max_b
        far = self.hi[np.minimum(r + self.max_a, self.N)]
        self.band_width = int((far - self.band_start).max()) + 1 if self.N else 1
        dots = band_dot(data.zh, data.en, self.band_start, self.band_width).astype(np.float64)
        self.prefix = np.concatenate([np.zeros((self.N, 1)), np.cumsum(dots, axis=1)], axis=1)
        self.zn = _block_norms(data.zh, self.max_a)
        self.en_n = _block_norms(data.en, self.max_b)
        self.zcs = np.r_[0.0, np.cumsum(data.zh_len)]
        self.ecs = np.r_[0.0, np.cumsum(data.en_len)]
        total_z, total_e = self.zcs[-1], self.ecs[-1]
        self.ratio = (total_e / total_z) if total_z > 0 and total_e > 0 else 2.8

    # --- bead evidence, vectorised over a block of rows x corridor columns ---------------
    def _dot(self, I: np.ndarray, J: np.ndarray, a: int, b: int) -> np.ndarray:
        total = np.zeros(J.shape)
        wmax = self.band_width
        for k in range(1, a + 1):
            r = np.maximum(I - k, 0)
            st = self.band_start[r]
            hi_idx = np.clip(J - st, 0, wmax)
            lo_idx = np.clip(J - b - st, 0, wmax)
            total += self.prefix[r, hi_idx] - self.prefix[r, lo_idx]
        return total

    def similarity(self, I: np.ndarray, J: np.ndarray, a: int, b: int) -> np.ndarray:
        """Cosine of the summed vectors of the bead (a, b) ending at (I, J)."""
        dot = self._dot(I, J, a, b)
        nz = self.zn[a][I]
        ne = self.en_n[b][np.clip(J, 0, self.M)]
        denom = np.sqrt(nz * ne)
        return np.where(denom > 0, dot / np.where(denom > 0, denom, 1.0), 0.0)

    def length_delta(self, I, J, a, b):
        lz = self.zcs[I] - self.zcs[np.maximum(I - a, 0)]
        le = self.ecs[np.clip(J, 0, self.M)] - self.ecs[np.clip(J - b, 0, self.M)]
        mean = (lz + le / self.ratio) / 2.0
        return (le - self.ratio * lz) / np.sqrt(self.p.len_var * (mean + 1.0))

    def log_ratio(self, I, J, a, b, smooth: float = 10.0):
        """log of the bead's English length over its expected length from the Chinese side
        (a multiplicative length model: free translations stretch long sentences as much
        as short ones), smoothed by ``smooth`` letters."""
        lz = self.zcs[I] - self.zcs[np.maximum(I - a, 0)]
        le = self.ecs[np.clip(J, 0, self.M)] - self.ecs[np.clip(J - b, 0, self.M)]
        return np.log((le + smooth) / (self.ratio * lz + smooth))

    def bead_cost(self, I: np.ndarray, J: np.ndarray, a: int, b: int) -> np.ndarray:
        p = self.p
        if a == 0 or b == 0:
            cost = np.full(J.shape, p.null_cost * (a + b))
        else:
            cos = self.similarity(I, J, a, b)
            delta = self.length_delta(I, J, a, b)
            size = ((a + b) / 2.0) ** p.size_power
            cost = p.w_sim * (1.0 - cos) * size + p.w_len * delta * delta / 2.0 + p.penalties.get((a, b), 0.0)
            if p.w_logratio:
                lr = self.log_ratio(I, J, a, b)
                cost = cost + p.w_logratio * lr * lr
        if p.para_cost and self.d.zh_para_start is not None and self.d.en_para_start is not None:
            cost = cost + p.para_cost * self._para_mismatch(I, J, a, b)
        return cost

    def _para_mismatch(self, I, J, a, b):
        zs, es = self.d.zh_para_start, self.d.en_para_start
        zs_c = np.r_[0, np.cumsum(zs)]
        es_c = np.r_[0, np.cumsum(es)]
        i0 = np.maximum(I - a, 0)
        j0 = np.clip(J - b, 0, self.M)
        j1 = np.clip(J, 0, self.M)
        out = np.zeros(J.shape)
        if a and b:
            z_first = zs[np.minimum(i0, self.N - 1)] if self.N else 0
            e_first = es[np.minimum(j0, self.M - 1)] if self.M else 0
            out += (z_first != e_first)
        # paragraph starts strictly inside the bead
        if a > 1:
            out += (zs_c[I] - zs_c[np.minimum(i0 + 1, I)]) > 0
        if b > 1:
            out += (es_c[j1] - es_c[np.minimum(j0 + 1, j1)]) > 0
        return out

    # --- the DP itself -------------------------------------------------------------------
    def run(self, chunk: int = 2048) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        N, M, W = self.N, self.M, self.W
        PAD = W + self.max_b + 1
        INF = np.inf
        cost = np.full((N + 1, W + 2 * PAD), INF)
        back = np.full((N + 1, W), -1, np.int8)
        beads = list(self.p.beads)
        step_types = [(t, a, b) for t, (a, b) in enumerate(beads) if a >= 1]
        null_b = next((t for t, (a, b) in enumerate(beads) if a == 0 and b == 1), None)
        cols = np.arange(W)
        for c0 in range(0, N + 1, chunk):
            c1 = min(N + 1, c0 + chunk)
            I = np.arange(c0, c1)[:, None]
            J = self.lo[c0:c1, None] + cols[None, :]
            inside = (J <= self.hi[c0:c1, None]) & (J <= M)
            tcost = {}
            for t, a, b in step_types:
                ok = inside & (I >= a) & (J >= b)
                tcost[t] = np.where(ok, self.bead_cost(I, J, a, b), INF)
            for i in range(c0, c1):
                row = i - c0
                best = np.full(W, INF)
                bp = np.full(W, -1, np.int8)
                if i == 0 and self.lo[0] == 0:
                    best[0] = 0.0
                for t, a, b in step_types:
                    if i < a:
                        continue
                    shift = int(self.lo[i] - b - self.lo[i - a])
                    if shift <= -W - 1 or shift >= W + 1:
                        continue
                    prev = cost[i - a, PAD + shift : PAD + shift + W]
                    cand = prev + tcost[t][row]
                    better = cand < best
                    if better.any():
                        best = np.where(better, cand, best)
                        bp[better] = t
                if null_b is not None:
                    valid = inside[row]
                    # running minimum along the row: skipping English sentences one by one
                    s = cols * self.p.null_cost
                    run = np.minimum.accumulate(np.where(valid, best - s, INF)) + s
                    # strictly better by more than rounding: (x - s) + s may come back as x - 1 ulp
                    finite = np.isfinite(best)
                    thresh = np.where(finite, best - 1e-9 * (1.0 + np.abs(np.where(finite, best, 0.0))), INF)
                    better = (run < thresh) & valid
                    if better.any():
                        best = np.where(better, run, best)
                        bp[better] = null_b
                best[~inside[row]] = INF
                cost[i, PAD : PAD + W] = best
                back[i] = bp
        # backtrack
        i, j = N, M
        out = []
        while i > 0 or j > 0:
            w = j - int(self.lo[i])
            if w < 0 or w >= W or back[i, w] < 0:
                raise RuntimeError(f"no path through the corridor at ({i}, {j})")
            a, b = beads[back[i, w]]
            out.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
            i, j = i - a, j - b
        out.reverse()
        self.total_cost = float(cost[N, PAD + M - int(self.lo[N])])
        return out


def full_corridor(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64)
