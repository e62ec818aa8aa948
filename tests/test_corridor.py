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
