"""The corridor matters: the DP finds only paths inside it, so its width (``pad``) decides
whether a wrongly placed anchor can cost the path.

A constructed document: 60 Chinese sentences, their 60 translations, and 10 English
sentences with no counterpart after the 30th. Anchors every other row on the straight
diagonal (wrong after the insertion) make a corridor that, without padding, cuts the
full DP's path off; padded, it holds the path, and the DP inside finds that path.
"""
import numpy as np

from aligners.align.dp import DPParams, LevelInput, corridor_dp, full_corridor
from aligners.align.search import anchor_corridor
from sparse_rows import csr

PARAMS = DPParams(beads=((1, 1), (1, 2), (2, 1), (1, 0), (0, 1)), penalties={(1, 2): 0.3, (2, 1): 0.3},
                  w_sim=1.0, size_power=0.5, w_len=0.02, null_cost=2.0)




def level() -> LevelInput:
    zh = [{i: 1.0} for i in range(60)]
    en = [{i: 1.0} for i in range(30)] + [{1000 + k: 1.0} for k in range(10)] + [{i: 1.0} for i in range(30, 60)]
    return LevelInput(csr(zh), csr(en), np.full(60, 20.0), np.full(70, 20.0))


def test_the_corridor_width_decides_whether_the_path_is_found():
    lv = level()
    full = corridor_dp(lv, PARAMS, *full_corridor(60, 70)).beads
    assert full[-1] == ((59,), (69,)) and all(i + 10 in en for zh, en in full[-20:] for i in zh)
    wrong = np.array([(i, i) for i in range(2, 60, 2)])  # anchors on the diagonal: wrong after row 30
    padded = corridor_dp(lv, PARAMS, *anchor_corridor(wrong, 60, 70, pad=12)).beads
    tight = corridor_dp(lv, PARAMS, *anchor_corridor(wrong, 60, 70, pad=0)).beads
    assert padded == full
    assert tight != full


def test_a_row_above_that_ends_sooner_is_an_edge_too():
    from aligners.align.search import touching_points, widen

    # rows 0..5 end at column 10, rows 6..10 at column 50: a path running along row 6
    # at column 30 has the corridor's edge right above it (a cheaper path could run
    # along row 5 beyond column 10), though its own row is wide open
    lo = np.zeros(11, np.int64)
    hi = np.array([10] * 6 + [50] * 5, np.int64)
    path = np.array([(0, 0), (3, 3), (6, 6), (6, 30), (7, 31), (10, 50)])
    touched = touching_points(path, lo, hi, 50)
    assert [tuple(p) for p in touched] == [(6, 30), (7, 31)]
    lo2, hi2 = widen(lo, hi, touched, 4, 50)
    assert hi2[5] >= 34 and hi2[3] >= 34 and hi2[1] == 10  # the square around (6, 30) reaches row 2
    assert (hi2 >= hi).all() and (lo2 <= lo).all()
