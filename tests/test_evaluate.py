import pytest

from aligners.align.evaluate import score_alignments
from aligners.types import Bead


def B(src, tgt):
    return Bead(tuple(src), tuple(tgt))


GOLD = [B([0], [0]), B([1], [1, 2]), B([2, 3], [3]), B([4], []), B([5], [4])]


def test_perfect():
    r = score_alignments([GOLD], [GOLD])
    assert r["strict"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert r["lax"]["f1"] == 1.0


def test_hand_computed_example():
    # test splits gold [1]:[1,2] into [1]:[1] + []:[2] and merges [2,3]:[3] + [4]:[] + [5]:[4] wrongly
    test = [B([0], [0]), B([1], [1]), B([], [2]), B([2, 3], [3]), B([4, 5], [4])]
    r = score_alignments([GOLD], [test])
    # precision over all 5 test beads: strict hits [0]:[0], [2,3]:[3] -> 2/5;
    # lax adds [1]:[1] (overlaps [1]:[1,2]) and [4,5]:[4] (overlaps [5]:[4]); []:[2] overlaps nothing -> 4/5
    # recall over the 4 gold beads with both sides: strict 2/4; lax: all 4 overlap some test bead -> 4/4
    assert r["strict"]["precision"] == pytest.approx(2 / 5)
    assert r["strict"]["recall"] == pytest.approx(2 / 4)
    assert r["strict"]["f1"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert r["lax"]["precision"] == pytest.approx(4 / 5)
    assert r["lax"]["recall"] == pytest.approx(1.0)
    assert r["gold_beads"] == 4 and r["test_beads"] == 5


def test_null_bead_counts_in_precision_only_when_in_gold():
    gold = [B([0], [0]), B([1], [])]
    assert score_alignments([gold], [[B([0], [0]), B([1], [])]])["strict"]["precision"] == 1.0
    r = score_alignments([gold], [[B([0], []), B([], [0]), B([1], [])]])
    assert r["strict"]["precision"] == pytest.approx(1 / 3)  # only [1]:[] is right
    assert r["strict"]["recall"] == 0.0


def test_pooled_not_averaged():
    g1 = [B([0], [0])]
    g2 = [B([0], [0]), B([1], [1]), B([2], [2])]
    t1 = [B([0], [0])]
    t2 = [B([0, 1], [0, 1]), B([2], [2])]
    r = score_alignments([g1, g2], [t1, t2])
    # strict hits 1 + 1 = 2 of 3 test beads and of 4 gold beads (a per-document mean would differ)
    assert r["strict"]["precision"] == pytest.approx(2 / 3)
    assert r["strict"]["recall"] == pytest.approx(2 / 4)
    assert r["documents"] == 2


def test_mismatched_document_counts():
    with pytest.raises(ValueError):
        score_alignments([GOLD], [])


# --- files that would make the scores meaningless are refused ---------------------------

@pytest.mark.parametrize("test, message", [
    (GOLD + [B([0], [0])], "Chinese sentence 0 is in beads 1 and 6"),  # a bead repeated: precision 1.0 before
    ([B([0], [0]), B([0, 1], [1, 2]), B([2, 3], [3]), B([4], []), B([5], [4])], "Chinese sentence 0 is in beads 1 and 2"),
    ([B([0], [0, 0])] + GOLD[1:], "English sentence 0 is in bead 1 twice"),
    (GOLD[:-1] + [B([5], [9])], "English id 9, beyond the gold's sentences 0-4"),
    (GOLD[:-1] + [B([60], [4])], "Chinese id 60, beyond the gold's sentences 0-5"),
    (GOLD[:-1] + [Bead((5,), (4,), float("nan"))], "score nan, not a finite number"),
    (GOLD[:-1] + [Bead((5,), (4,), float("inf"))], "score inf, not a finite number"),
])
def test_a_test_file_with_overlapping_beads_bad_ids_or_scores_is_refused(test, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
        score_alignments([GOLD], [test], names=["t.txt"])
    assert str(err.value).startswith("test t.txt: ")


def test_a_gold_file_with_a_sentence_in_two_beads_is_refused():
    with pytest.raises(ValueError, match="^gold document 1: English sentence 1"):
        score_alignments([GOLD + [B([9], [1])]], [GOLD])


def test_eval_cli_says_which_file_and_exits_2(tmp_path):
    import subprocess
    import sys

    from aligners.align.beads import write_beads

    write_beads(GOLD, tmp_path / "gold.txt")
    write_beads(GOLD + GOLD[:1], tmp_path / "test.txt")
    res = subprocess.run([sys.executable, "-m", "flows", "eval", str(tmp_path / "gold.txt"), str(tmp_path / "test.txt")],
                         capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.strip() == (f"bitextflow eval: test {tmp_path / 'test.txt'}: Chinese sentence 0 is in beads 1 "
                                  "and 6; each sentence belongs to one bead")
