"""Stretches where the alignment is likely wrong, returned beside the beads as data.

Four kinds (``AlignmentWarning.kind``):
  unpaired      ``WEAK_RUN`` or more consecutive sentences of one side left without
                counterpart: a stretch missing on the other side (a chapter the
                translation leaves out) or left untranslated; the detail names where
                the other side goes on
  weak          ``WEAK_RUN`` or more consecutive beads scoring below the pairing
                threshold (null beads score 0), other than an unpaired stretch: a
                very freely translated passage, or a path that lost the text
  off-diagonal  beads farther from the length diagonal (of the text without its
                unpaired stretches) than the anchors' search band (anchors.py): a
                large insertion or omission the path did not leave unpaired, or a
                wrong path
  unconfirmed   rows where the search stopped widening its corridor with the path still
                on an edge (search.py): the path there may not be the cheapest one
"""
from __future__ import annotations

import numpy as np

from aligners.types import AlignmentWarning, Bead

from .anchors import BAND, MIN_BAND, length_diagonal

WEAK_RUN = 10  # beads: longer than any merged or split passage MAC-Dev's gold has (4 sentences a side)


def _span(beads: list[Bead]) -> tuple[tuple[int, int], tuple[int, int]]:
    zh = [i for b in beads for i in b.src]
    en = [j for b in beads for j in b.tgt]
    return ((min(zh), max(zh)) if zh else (-1, -1)), ((min(en), max(en)) if en else (-1, -1))


def _runs(flags: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """(first, last) index of each run of True at least ``min_len`` long."""
    out, start = [], None
    for k, f in enumerate(list(flags) + [False]):
        if f and start is None:
            start = k
        elif not f and start is not None:
            if k - start >= min_len:
                out.append((start, k - 1))
            start = None
    return out


def _diagonal(zh_len: np.ndarray, en_len: np.ndarray, z_out: np.ndarray, e_out: np.ndarray) -> np.ndarray:
    """``length_diagonal`` with the sentences marked ``out`` taking no length."""
    if not z_out.any() and not e_out.any():
        return length_diagonal(zh_len, en_len)
    zl = np.where(z_out, 0.0, np.maximum(np.asarray(zh_len, float), 1.0))
    el = np.where(e_out, 0.0, np.maximum(np.asarray(en_len, float), 1.0))
    zmid = (np.cumsum(zl) - zl / 2) / max(zl.sum(), 1.0)
    emid = (np.cumsum(el) - el / 2) / max(el.sum(), 1.0)
    return np.clip(np.searchsorted(emid, zmid), 0, len(el) - 1)


def _unpaired(beads: list[Bead], a: int, b: int, side: str) -> AlignmentWarning:
    """The run beads[a..b] of one side's sentences without counterpart, and where the other side goes on."""
    zh, en = _span(beads[a : b + 1])
    other = "en" if side == "zh" else "zh"
    before = [k for bd in beads[:a] for k in (bd.tgt if side == "zh" else bd.src)]
    after = [k for bd in beads[b + 1 :] for k in (bd.tgt if side == "zh" else bd.src)]
    where = (f"between {other} {before[-1]} and {after[0]}" if before and after else
             f"before {other} {after[0]}" if after else f"after {other} {before[-1]}" if before else "")
    lang = {"zh": "Chinese", "en": "English"}
    return AlignmentWarning("unpaired", zh, en, f"{b - a + 1} {lang[side]} sentences in a row have no {lang[other]} "
                            f"counterpart ({where}): missing there, or untranslated")


def find_warnings(beads: list[Bead], zh_len: np.ndarray, en_len: np.ndarray, min_score: float,
                  unconfirmed: tuple[tuple[int, int], ...] = ()) -> tuple[AlignmentWarning, ...]:
    if not beads or not len(zh_len) or not len(en_len):
        return ()
    out = []
    alone = np.zeros(len(beads), bool)
    for side in ("zh", "en"):
        one_side = np.array([bool(b.src) != bool(b.tgt) and bool(b.src if side == "zh" else b.tgt) for b in beads])
        for a, b in _runs(one_side, WEAK_RUN):
            alone[a : b + 1] = True
            out.append(_unpaired(beads, a, b, side))
    weak = np.array([b.score < min_score for b in beads]) & ~alone
    for a, b in _runs(weak, WEAK_RUN):
        zh, en = _span(beads[a : b + 1])
        out.append(AlignmentWarning("weak", zh, en, f"{b - a + 1} beads in a row score below {min_score:.2f}"))
    n, m = len(zh_len), len(en_len)
    # the diagonal of the text without its unpaired stretches: a missing chapter is
    # reported as such, not again as every bead after it being off the diagonal
    z_out, e_out = np.zeros(n, bool), np.zeros(m, bool)
    for bead in (bd for bd, flag in zip(beads, alone) if flag):
        z_out[list(bead.src)] = True
        e_out[list(bead.tgt)] = True
    diag = _diagonal(zh_len, en_len, z_out, e_out)
    band = max(MIN_BAND, int(BAND * max(n, m)))
    far = np.zeros(len(beads), bool)
    for k, bead in enumerate(beads):
        if bead.src and bead.tgt:
            far[k] = abs(bead.tgt[0] - diag[bead.src[0]]) > band
    for a, b in _runs(far, 1):
        zh, en = _span(beads[a : b + 1])
        out.append(AlignmentWarning("off-diagonal", zh, en,
                                    f"{b - a + 1} beads more than {band} sentences from the length diagonal"))
    ends = np.cumsum([len(b.src) for b in beads])
    for first, last in unconfirmed:
        inside = [bd for bd, e in zip(beads, ends) if first <= e <= last + 1]
        zh, en = _span(inside) if inside else ((first, last), (-1, -1))
        out.append(AlignmentWarning("unconfirmed", zh, en, "the search's corridor could not be widened further here"))
    return tuple(sorted(out, key=lambda w: (w.zh[0], w.kind)))
