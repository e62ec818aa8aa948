"""Beads given by the input (an existing bitext's pairs): scored, not searched.

Pair k is paragraph k on both sides; its sentences make one bead, scored by the
same confidence model as searched beads (``confidence``), over the pairs' joined
texts, so a wrong or untranslated pair scores low and is left unpaired by the
threshold. The model's neighbour features (context, weak, near) are read from
the pair itself: the units of a translation memory need not come from one text,
so a neighbour's good match says nothing about this one. A pair with one side empty after cleaning becomes a
bead with no counterpart.
"""
from __future__ import annotations

from typing import Sequence

from aligners.config import AlignConfig
from aligners.types import Bead

# corridor half-width around the diagonal: room for the shifted pairings the
# confidence model compares each bead with
_RADIUS = 8


def given_beads(zh: Sequence[str], zh_pairs: Sequence[int], en: Sequence[str], en_pairs: Sequence[int],
                config: AlignConfig = AlignConfig()) -> list[Bead]:
    """Beads for sentences labelled by pair number (``zh_pairs[i]``: the pair of ``zh[i]``), in pair order."""
    zh_of: dict[int, list[int]] = {}
    en_of: dict[int, list[int]] = {}
    for i, k in enumerate(zh_pairs):
        zh_of.setdefault(k, []).append(i)
    for j, k in enumerate(en_pairs):
        en_of.setdefault(k, []).append(j)
    both = sorted(set(zh_of) & set(en_of))
    scores = score_pairs([" ".join(zh[i] for i in zh_of[k]) for k in both],
                         [" ".join(en[j] for j in en_of[k]) for k in both], config) if both else []
    score = dict(zip(both, scores))
    beads = []
    for k in sorted(set(zh_of) | set(en_of)):
        src, tgt = tuple(zh_of.get(k, ())), tuple(en_of.get(k, ()))
        beads.append(Bead(src, tgt, float(score.get(k, 0.0))))
    return beads


def score_pairs(zh: Sequence[str], en: Sequence[str], config: AlignConfig = AlignConfig()) -> list[float]:
    """Confidence of each pair ``(zh[k], en[k])`` (lists of equal length)."""
    import numpy as np

    from .blas import one_blas_thread
    from .confidence import FEATURES, bead_features, scores_from_features
    from .dp import Evidence, LevelInput
    from .features import build_features
    from .params import fine_params

    n = len(zh)
    with one_blas_thread():
        zf, ef, _ = build_features(list(zh), list(en), config.features)
        level = LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths)
        r = np.arange(n + 1)
        lo, hi = np.clip(r - _RADIUS, 0, n), np.clip(r + _RADIUS, 0, n)
        aligner = Evidence(level, fine_params(config), lo, hi)
        X = bead_features(aligner, [((k,), (k,)) for k in range(n)])
    own = X[:, FEATURES.index("margin")]
    X[:, FEATURES.index("context")] = own
    X[:, FEATURES.index("near")] = own
    X[:, FEATURES.index("weak")] = (own < 0.05).astype(float)
    return [float(s) for s in scores_from_features(X)]
