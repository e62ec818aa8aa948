"""Dynamic programming over beads inside a corridor, with numpy.

Rows are Chinese boundaries i = 0..N, columns English boundaries j = 0..M. Row i
may only use columns lo[i]..hi[i] (the corridor); a full DP is the corridor
lo = 0, hi = M. Time is O(sum of the corridor's row widths x bead types); memory is
one int8 back-pointer per corridor cell plus the products of one chunk of rows.

A bead of a Chinese and b English sentences ending at (i, j) costs (lower is better)

    w_sim * (1 - cos(Z, E)) * size(a, b) + w_len * delta^2 / 2 + penalty(a, b) [+ paragraph terms]

where Z, E are the sums of the sentence vectors (features.py), so their dot product is
a sum of sentence-pair products read from a band of precomputed products, and delta is
Gale & Church's (1993) normalised length difference with the English/Chinese length
ratio taken from the document itself (``LevelInput.length_ratio``, else the ratio of the
two sides' total lengths).

Null beads (1-0, 0-1) have an affine run cost, as gaps do in sequence alignment
(Gotoh 1982): the first sentence of a run of unpaired sentences on one side costs
``null_cost``, each further one ``null_extend``. A sentence left out alone stays dear
(a merge is usually the better reading), but a long stretch with no counterpart (a
missing chapter, an untranslated passage) costs less per sentence than spreading it
over merged beads. Three states per cell, as in Gotoh's algorithm: the best path
ending at the cell (M), ending with a 1-0 bead (V, carried from row to row), ending
with a 0-1 bead (H, a running minimum along the row). One int8 per cell holds the
choice of all three: M's bead type in the low bits, V's and H's "the run goes on"
flags above.

Every number a cell's cost is made of is computed the same way whatever the corridor
(sentence-pair products rounded to 1e-9, absolute column numbers in the 0-1 running
minimum), so a DP in a corridor that contains the full DP's path returns exactly that
path; search.py relies on this.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from .sparse import Csr, band_dot, numba_compiled, offset_dot

INF = np.inf


@dataclass(frozen=True)
class DPParams:
    beads: tuple[tuple[int, int], ...]
    penalties: dict = field(default_factory=dict)  # (a, b) -> additive cost
    w_sim: float = 1.0
    size_power: float = 1.0  # size(a, b) = ((a + b) / 2) ** size_power
    w_len: float = 0.1
    len_var: float = 6.0  # variance of the length difference per Chinese character (English letters^2)
    null_cost: float = 1.0  # a sentence with no counterpart (the first of a run on one side)
    null_extend: float | None = None  # each further sentence of that run; None: null_cost (no discount)
    para_cost: float = 0.0  # bead start on a paragraph start of one side only / bead crossing one


@dataclass
class LevelInput:
    """What the DP needs about the two documents: vectors, lengths, paragraph starts."""

    zh: Csr
    en: Csr
    zh_len: np.ndarray
    en_len: np.ndarray
    zh_para_start: np.ndarray | None = None  # bool per Chinese unit: starts a paragraph
    en_para_start: np.ndarray | None = None
    length_ratio: float | None = None  # English per Chinese length in the length term; None: the whole text's


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


class LevelStats:
    """Per-document sums the bead costs read (norms of sentence runs, cumulative lengths)."""

    def __init__(self, data: LevelInput, max_a: int, max_b: int):
        self.N, self.M = data.zh.n_rows, data.en.n_rows
        self.zn = _block_norms(data.zh, max_a)
        self.en_n = _block_norms(data.en, max_b)
        self.zcs = np.r_[0.0, np.cumsum(data.zh_len)]
        self.ecs = np.r_[0.0, np.cumsum(data.en_len)]
        total_z, total_e = self.zcs[-1], self.ecs[-1]
        self.ratio = (total_e / total_z) if total_z > 0 and total_e > 0 else 2.8
        if data.length_ratio is not None and data.length_ratio > 0:
            self.ratio = float(data.length_ratio)
        zs, es = data.zh_para_start, data.en_para_start
        self.zs_c = np.r_[0, np.cumsum(zs)] if zs is not None else None
        self.es_c = np.r_[0, np.cumsum(es)] if es is not None else None


    def with_ratio(self, ratio: float) -> "LevelStats":
        """The same sums with another length ratio (the norms do not depend on it)."""
        out = copy.copy(self)
        out.ratio = float(ratio)
        return out


def _max_sizes(params: DPParams) -> tuple[int, int]:
    return max(a for a, _ in params.beads), max(b for _, b in params.beads)


def shape_cost(cos, delta, a: int, b: int, p):
    """The cost of a bead of ``a`` Chinese and ``b`` English sentences (both at least one)
    from its cosine and its Gale-Church length delta, scalars or arrays; the paragraph
    term is added by the caller (``Evidence.bead_cost``; refine.py's candidate DP repeats
    both inline, per cell)."""
    size = ((a + b) / 2.0) ** p.size_power
    return p.w_sim * (1.0 - cos) * size + p.w_len * delta * delta / 2.0 + p.penalties.get((a, b), 0.0)


class Evidence:
    """Bead similarities and costs for beads ending inside a corridor.

    ``rows=(r0, r1)`` computes the sentence-pair products of Chinese sentences r0..r1-1
    only (the DP works chunk by chunk); a bead must then only use those sentences.
    """

    def __init__(self, data: LevelInput, params: DPParams, lo: np.ndarray, hi: np.ndarray,
                 rows: tuple[int, int] | None = None, stats: LevelStats | None = None):
        self.d, self.p = data, params
        self.N, self.M = data.zh.n_rows, data.en.n_rows
        self.lo = np.asarray(lo, np.int64)
        self.hi = np.asarray(hi, np.int64)
        self.max_a, self.max_b = _max_sizes(params)
        self.stats = stats or LevelStats(data, self.max_a, self.max_b)
        self.zcs, self.ecs, self.ratio = self.stats.zcs, self.stats.ecs, self.stats.ratio
        r0, r1 = rows if rows is not None else (0, self.N)
        self.r0 = r0
        # Chinese sentence r is in beads ending on rows r + 1 .. r + max_a: English
        # sentences lo[row] - max_b .. hi[row] - 1 of those rows
        r = np.arange(r0, r1)
        start = np.full(len(r), np.iinfo(np.int64).max)
        end = np.full(len(r), -1)
        for k in range(1, self.max_a + 1):
            row = np.minimum(r + k, self.N)
            start = np.minimum(start, self.lo[row] - self.max_b)
            end = np.maximum(end, self.hi[row])
        self.band_start = start
        self.band_width = int((end - start).max()) + 1 if len(r) else 1
        # rounded so that a product does not depend on which other rows and columns were
        # computed with it (BLAS sums in an order that depends on the block's shape)
        self.dots = np.round(band_dot(data.zh, data.en, start, self.band_width, slice(r0, r1)), 9) \
            if len(r) else np.zeros((0, 1))

    def _dot(self, I: np.ndarray, J: np.ndarray, a: int, b: int, inside: bool = False) -> np.ndarray:
        """Sum of the a x b sentence-pair products of the bead ending at (I, J), in a fixed order.

        ``inside``: the caller guarantees the bead's pairs lie in the band (DP cells of
        the corridor), so no bounds are checked.
        """
        I, J = np.broadcast_arrays(np.asarray(I, np.int64), np.asarray(J, np.int64))
        total = np.zeros(I.shape)
        if len(self.dots) == 0:
            return total
        wmax = self.band_width
        flat = self.dots.ravel()
        for k in range(1, a + 1):
            if inside:
                r = I - k - self.r0
                base = r * wmax + J - self.band_start[r]
                for l in range(1, b + 1):
                    total += flat[base - l]
                continue
            r = np.clip(I - k, self.r0, self.r0 + len(self.dots) - 1) - self.r0
            st = self.band_start[r]
            for l in range(1, b + 1):
                off = J - l - st
                ok = (off >= 0) & (off < wmax)
                total += np.where(ok, self.dots[r, np.clip(off, 0, wmax - 1)], 0.0)
        return total

    def similarity(self, I: np.ndarray, J: np.ndarray, a: int, b: int, inside: bool = False) -> np.ndarray:
        """Cosine of the summed vectors of the bead (a, b) ending at (I, J)."""
        dot = self._dot(I, J, a, b, inside)
        nz = self.stats.zn[a][I]
        ne = self.stats.en_n[b][J if inside else np.clip(J, 0, self.M)]
        denom = np.sqrt(nz * ne)
        return np.where(denom > 0, dot / np.where(denom > 0, denom, 1.0), 0.0)

    def length_delta(self, I, J, a, b, inside: bool = False):
        """Gale-Church's normalised length difference of the bead (a, b) ending at (I, J);
        ``inside`` as for ``_dot`` (then a <= I <= N and b <= J <= M: no clipping needed)."""
        if inside:
            lz = self.zcs[I] - self.zcs[I - a]
            le = self.ecs[J] - self.ecs[J - b]
        else:
            lz = self.zcs[I] - self.zcs[np.maximum(I - a, 0)]
            le = self.ecs[np.clip(J, 0, self.M)] - self.ecs[np.clip(J - b, 0, self.M)]
        mean = (lz + le / self.ratio) / 2.0
        return (le - self.ratio * lz) / np.sqrt(self.p.len_var * (mean + 1.0))

    def bead_cost(self, I: np.ndarray, J: np.ndarray, a: int, b: int, inside: bool = False) -> np.ndarray:
        p = self.p
        shape = np.broadcast(I, J).shape
        if a == 0 or b == 0:
            cost = np.full(shape, p.null_cost * (a + b))
        else:
            cost = shape_cost(self.similarity(I, J, a, b, inside), self.length_delta(I, J, a, b, inside), a, b, p)
        if p.para_cost and self.stats.zs_c is not None and self.stats.es_c is not None:
            cost = cost + p.para_cost * self._para_mismatch(I, J, a, b, inside)
        return cost

    def _para_mismatch(self, I, J, a, b, inside: bool = False):
        zs, es = self.d.zh_para_start, self.d.en_para_start
        zs_c, es_c = self.stats.zs_c, self.stats.es_c
        out = np.zeros(np.broadcast(I, J).shape)
        if inside and a:  # a <= I <= N, b <= J <= M: the same indices without the bounds
            i0, j0 = I - a, J - b
            if b:
                out += (zs[i0] != es[j0])
            if a > 1:
                out += (zs_c[I] - zs_c[i0 + 1]) > 0
            if b > 1:
                out += (es_c[J] - es_c[j0 + 1]) > 0
            return out
        i0 = np.maximum(I - a, 0)
        j0 = np.clip(J - b, 0, self.M)
        j1 = np.clip(J, 0, self.M)
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


@dataclass(frozen=True)
class DPResult:
    beads: list  # (Chinese ids, English ids) tuples in order
    total_cost: float
    cells: int  # corridor cells the DP filled


V_RUN = 16  # back-pointer flag: the V state here continues a 1-0 run (else it opens one from M)
H_RUN = 32  # back-pointer flag: the H state here continues a 0-1 run
TYPE_MASK = 15  # back-pointer bits holding M's bead type


def fill_rows(c0: int, c1: int, lo: np.ndarray, widths: np.ndarray, row_off: np.ndarray, cell0: int,
              tcost: np.ndarray, step_a: np.ndarray, step_b: np.ndarray, step_ids: np.ndarray,
              null_cost: float, null_extend: float, v_id: int, h_id: int, max_b: int, buf: np.ndarray,
              vbuf: np.ndarray, back: np.ndarray) -> None:
    """DP rows c0 .. c1 - 1, cell by cell (compiled with numba for long documents).

    ``tcost[k, c - cell0]`` is the cost of a bead of step type k ending at corridor
    cell c (the 1-0 step, if any, is the V state's opening); ``buf`` is the ring
    buffer of the last rows' M costs in absolute columns (column j at max_b + j; its
    last row is always inf), ``vbuf`` that of the V costs (two rows), ``back`` the
    back-pointers of every corridor cell. Same arithmetic, in the same order, as
    ``_fill_rows_numpy``.
    """
    slots = buf.shape[0] - 1
    n_types = len(step_a)
    inf = np.inf
    for i in range(c0, c1):
        l = lo[i]
        w = widths[i]
        o = row_off[i] - cell0
        slot = i % slots
        vs, vp = i % 2, (i + 1) % 2
        best = np.empty(w)
        bp = np.empty(w, np.int8)
        vrow = np.empty(w)
        for x in range(w):
            v_best = inf
            t_best = -1
            for k in range(n_types):
                a = step_a[k]
                if a > i:
                    continue
                v = buf[(i - a) % slots, max_b + l + x - step_b[k]] + tcost[k, o + x]
                if v < v_best:
                    v_best = v
                    t_best = step_ids[k]
            flags = 0
            vx = inf
            if v_id >= 0 and i > 0:
                v_open = buf[(i - 1) % slots, max_b + l + x] + null_cost
                v_ext = vbuf[vp, max_b + l + x] + null_extend
                vx = v_open
                if v_ext < v_open:
                    vx = v_ext
                    flags = V_RUN
                if v_ext < v_best:
                    v_best = v_ext
                    t_best = v_id
            vrow[x] = vx
            best[x] = v_best
            bp[x] = (t_best | flags) if v_best < inf else -1
        if i == 0:
            best[0] = 0.0
            bp[0] = -1
        if h_id >= 0:
            run = inf
            run_at = -1
            for x in range(w):
                s = (l + x) * null_extend
                cand = (run + s) + (null_cost - null_extend)
                b = best[x]
                thresh = b - 1e-9 * (1.0 + abs(b)) if b < inf else inf
                if cand < thresh:
                    flags = bp[x] & V_RUN
                    if run_at != x - 1:
                        flags = flags | H_RUN
                    best[x] = cand
                    bp[x] = h_id | flags
                elif run_at != x - 1 and bp[x] >= 0:
                    bp[x] = bp[x] | H_RUN
                val = b - s
                if val < run:
                    run = val
                    run_at = x
        if i >= slots:
            old = i - slots
            for x in range(widths[old]):
                buf[slot, max_b + lo[old] + x] = inf
        if i >= 2:
            old = i - 2
            for x in range(widths[old]):
                vbuf[vs, max_b + lo[old] + x] = inf
        for x in range(w):
            buf[slot, max_b + l + x] = best[x]
            vbuf[vs, max_b + l + x] = vrow[x]
            back[row_off[i] + x] = bp[x]


def _fill_rows_numpy(c0, c1, lo, widths, row_off, cell0, tcost, step_a, step_b, step_ids, null_cost, null_extend,
                     v_id, h_id, max_b, buf, vbuf, back) -> None:
    """``fill_rows`` vectorised over each row (no compiler: for short documents)."""
    slots = buf.shape[0] - 1
    for i in range(c0, c1):
        w = int(widths[i])
        l = int(lo[i])
        src = np.where(step_a <= i, (i - step_a) % slots, slots)
        cols = (max_b + l - step_b)[:, None] + np.arange(w)[None, :]
        o = int(row_off[i] - cell0)
        cand = buf[src[:, None], cols] + tcost[:, o : o + w]
        pick = np.argmin(cand, axis=0)
        best = cand[pick, np.arange(w)]
        bp = step_ids[pick].astype(np.int64)
        vrow = np.full(w, INF)
        if v_id >= 0 and i > 0:
            here = slice(max_b + l, max_b + l + w)
            v_open = buf[(i - 1) % slots, here] + null_cost
            v_ext = vbuf[(i + 1) % 2, here] + null_extend
            run = v_ext < v_open
            vrow = np.where(run, v_ext, v_open)
            ext = v_ext < best
            best = np.where(ext, v_ext, best)
            bp = np.where(ext, v_id, bp) | np.where(run, V_RUN, 0)
        bp = np.where(np.isfinite(best), bp, -1)
        if i == 0:
            best[0], bp[0] = 0.0, -1
        if h_id >= 0:
            # H: the cheapest run of 0-1 beads from an earlier column x' of the row,
            # min over x' < x of (best[x'] - s[x']) + s[x] + the opening extra
            s = np.arange(l, l + w) * null_extend  # absolute columns: same rounding in any corridor
            val = best - s
            run_min = np.minimum.accumulate(val)
            prev = np.empty(w)  # min over x' < x (filled by hand: np.r_ costs ~4x more, once per row)
            prev[0] = INF
            prev[1:] = run_min[:-1]
            opened = val < prev  # a new minimum at x
            run_at_prev = np.zeros(w, bool)  # the minimum over x' < x is at x - 1
            run_at_prev[1:] = opened[:-1]
            cand = (prev + s) + (null_cost - null_extend)
            # strictly better by more than rounding
            finite = np.isfinite(best)
            thresh = np.where(finite, best - 1e-9 * (1.0 + np.abs(np.where(finite, best, 0.0))), INF)
            better = cand < thresh
            hflag = np.where(run_at_prev, 0, H_RUN)
            bp = np.where(better, h_id | (bp & V_RUN) | hflag, np.where(bp >= 0, bp | hflag, bp))
            best = np.where(better, cand, best)
        slot = i % slots
        if i >= slots:  # the row leaving the buffer
            old = i - slots
            buf[slot, max_b + lo[old] : max_b + lo[old] + widths[old]] = INF
        if i >= 2:
            old = i - 2
            vbuf[i % 2, max_b + lo[old] : max_b + lo[old] + widths[old]] = INF
        buf[slot, max_b + l : max_b + l + w] = best
        vbuf[i % 2, max_b + l : max_b + l + w] = vrow
        back[row_off[i] : row_off[i] + w] = bp.astype(np.int8)


COMPILE_ROWS = 3000  # documents with more Chinese sentences than this use the compiled rows


def corridor_dp(data: LevelInput, params: DPParams, lo: np.ndarray, hi: np.ndarray,
                stats: LevelStats | None = None, chunk_cells: int = 400_000,
                compiled: bool | None = None) -> DPResult:
    """The cheapest bead path from (0, 0) to (N, M) whose rows stay inside lo..hi.

    Rows are filled one by one; a cell takes the first cheapest bead type (ties: the
    order of ``params.beads``), then the 0-1 running minimum along the row. Cell costs
    are computed chunk by chunk, vectorised over the chunk's corridor cells.
    ``compiled``: use numba's ``fill_rows`` (default: for documents of more than
    ``COMPILE_ROWS`` rows, where the per-row overhead of numpy dominates).
    """
    N, M = data.zh.n_rows, data.en.n_rows
    lo = np.clip(np.asarray(lo, np.int64), 0, M)
    hi = np.clip(np.asarray(hi, np.int64), 0, M)
    if lo[0] != 0 or hi[N] != M or (hi < lo).any():
        raise ValueError("the corridor must hold (0, 0) and (N, M)")
    max_a, max_b = _max_sizes(params)
    stats = stats or LevelStats(data, max_a, max_b)
    beads = list(params.beads)
    step_types = [(t, a, b) for t, (a, b) in enumerate(beads) if a >= 1]
    step_ids = np.array([t for t, _, _ in step_types], np.int8)
    step_a = np.array([a for _, a, _ in step_types], np.int64)
    step_b = np.array([b for _, _, b in step_types], np.int64)
    v_id = next((t for t, (a, b) in enumerate(beads) if a == 1 and b == 0), -1)
    h_id = next((t for t, (a, b) in enumerate(beads) if a == 0 and b == 1), -1)
    if len(beads) > TYPE_MASK:
        raise ValueError(f"at most {TYPE_MASK} bead types")
    null_extend = float(params.null_cost if params.null_extend is None else params.null_extend)
    if null_extend > params.null_cost:
        raise ValueError("a run of unpaired sentences cannot cost more per sentence than its first")
    widths = hi - lo + 1
    row_off = np.r_[0, np.cumsum(widths)]
    back = np.full(int(row_off[-1]), -1, np.int8)
    buf = np.full((max_a + 2, M + 1 + max_b), INF)  # ring of max_a + 1 rows, then a row of inf
    vbuf = np.full((2, M + 1 + max_b), INF)
    fill = None
    if compiled if compiled is not None else N > COMPILE_ROWS:
        fill = numba_compiled(fill_rows)
    fill = fill or _fill_rows_numpy
    c0 = 0
    while c0 <= N:
        # rows c0 .. c1 - 1: as many as fit in chunk_cells at the chunk's widest row
        # (the products are a rows x widest band array; the costs are only for the cells)
        c1 = c0 + max(1, int(np.searchsorted(np.maximum.accumulate(widths[c0:]) * np.arange(1, N + 2 - c0),
                                             chunk_cells, side="right")))
        c1 = min(c1, N + 1)
        cells = int(row_off[c1] - row_off[c0])
        I = np.repeat(np.arange(c0, c1), widths[c0:c1])
        J = np.arange(cells) - np.repeat(row_off[c0:c1] - row_off[c0] - lo[c0:c1], widths[c0:c1])
        ev = Evidence(data, params, lo, hi, rows=(max(c0 - max_a, 0), max(c1 - 1, 0)), stats=stats)
        tcost = np.full((len(step_types), cells), INF)
        for k, (t, a, b) in enumerate(step_types):
            ok = (I >= a) & (J >= b)
            tcost[k, ok] = ev.bead_cost(I[ok], J[ok], a, b, inside=True)
        del ev
        fill(c0, c1, lo, widths, row_off, int(row_off[c0]), tcost, step_a, step_b, step_ids,
             float(params.null_cost), null_extend, int(v_id), int(h_id), max_b, buf, vbuf, back)
        c0 = c1
    out = _trace(back, lo, widths, row_off, beads, v_id, h_id, N, M)
    total = float(buf[N % (max_a + 1), max_b + M])
    return DPResult(out, total, int(widths.sum()))


def _trace(back, lo, widths, row_off, beads, v_id, h_id, N, M) -> list:
    """The bead path from (N, M) back to (0, 0), following M, V and H states."""
    i, j, state = N, M, "M"
    out = []
    while i > 0 or j > 0:
        w = j - int(lo[i])
        t = int(back[row_off[i] + w]) if 0 <= w < widths[i] else -1
        if t < 0:
            raise RuntimeError(f"no path through the corridor at ({i}, {j})")
        kind = t & TYPE_MASK
        if state == "M" and kind == v_id:
            state = "V"
        elif state == "M" and kind == h_id:
            state = "H"
        if state == "V":
            out.append(((i - 1,), ()))
            state = "V" if t & V_RUN else "M"
            i -= 1
        elif state == "H":
            out.append(((), (j - 1,)))
            state = "H" if t & H_RUN else "M"
            j -= 1
        else:
            a, b = beads[kind]
            out.append((tuple(range(i - a, i)), tuple(range(j - b, j))))
            i, j = i - a, j - b
    out.reverse()
    return out


def full_corridor(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, np.int64), np.full(n + 1, m, np.int64)
