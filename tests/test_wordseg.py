"""The word segmenter (aligners/align/wordseg.py): a small hand-made model whose best
paths are worked out by hand, jieba itself as the reference on generated text, and the
cache file of its tables (written, read back, rebuilt when corrupt)."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest

from aligners.align import wordseg
from aligners.align.wordseg import Segmenter, build_arrays

# start, transition and emission log probabilities of a tiny HMM (states B E M S)
START = {"B": math.log(0.6), "S": math.log(0.4)}
TRANS = {"B": {"E": math.log(0.7), "M": math.log(0.3)}, "E": {"B": math.log(0.5), "S": math.log(0.5)},
         "M": {"E": math.log(0.6), "M": math.log(0.4)}, "S": {"B": math.log(0.5), "S": math.log(0.5)}}
# 陈 begins names, 清 is in the middle, 扬 ends them; 好 and 是 stand alone
EMIT = {"B": {"陈": math.log(0.9)}, "M": {"清": math.log(0.9)}, "E": {"扬": math.log(0.9)},
        "S": {"好": math.log(0.9), "是": math.log(0.5), "陈": math.log(0.01), "清": math.log(0.01),
              "扬": math.log(0.01)}}


def tiny(lines) -> Segmenter:
    return Segmenter(build_arrays(lines, START, TRANS, EMIT))


def test_the_most_probable_path_wins_and_ties_go_to_the_longer_word():
    # total 100: P(中国) = 0.3 against P(中) P(国) = 0.1 * 0.1
    seg = tiny(["中 10 n", "国 10 n", "中国 30 n", "人 20 n", "国人 25 n", "中国人 5 n"])
    # 中国人: 中国+人 0.3*0.2 = 0.06, 中+国人 0.1*0.25 = 0.025, 中国人 0.05
    assert seg.segment_many(["中国人"]) == [["中国", "人"]]
    # equal probabilities (甲乙 = 甲 x 乙 = 0.01): the longer word
    tie = tiny(["甲 10 n", "乙 10 n", "甲乙 1 n", "丙 79 n"])
    assert tie.segment_many(["甲乙"]) == [["甲乙"]]


def test_other_characters_are_words_of_their_own_and_white_space_is_dropped():
    seg = tiny(["中国 30 n", "人 20 n"])
    assert seg.segment_many(["中国人，好！", "  ", "", "A-1 中国"]) == [
        ["中国", "人", "，", "好", "！"], [], [], ["A", "-", "1", "中国"]]


def test_a_run_of_single_characters_goes_to_the_hmm_unless_it_is_a_word():
    seg = tiny(["中国 30 n", "人 20 n", "是 10 n"])
    # 陈清扬 is no dictionary word: the HMM tags it B M E, one word
    assert seg.segment_many(["陈清扬是中国人"]) == [["陈清扬", "是", "中国", "人"]]
    # 陈扬 is a run of two single characters that the dictionary knows as a word, but the
    # path did not take it (陈扬 is less probable than 陈 + 扬): one word per character,
    # where the HMM alone would join them (B E)
    word = tiny(["陈 40 n", "扬 40 n", "陈扬 1 n"])
    assert word.segment_many(["陈扬"]) == [["陈", "扬"]]
    assert tiny(["是 1 n"]).segment_many(["陈扬"]) == [["陈扬"]]
    # letters and digits inside such a run: alphanumeric pieces (with a decimal part and a %)
    assert seg.segment_many(["是ab3.5%+x"]) == [["是", "ab3.5%", "+", "x"]]


def test_sentences_keep_their_own_words_in_a_batch():
    seg = tiny(["中国 30 n", "人 20 n"])
    texts = ["中国人", "人", "中国\n人", "陈清扬是中国人"]  # a line break inside a text is white space
    assert seg.segment_many(texts) == [seg.segment_many([t])[0] for t in texts]
    assert seg.segment_many(texts, batch_chars=5) == seg.segment_many(texts)  # cut a few texts at a time


# ---------------------------------------------------------------- against jieba


@pytest.fixture(scope="module")
def jieba_tokenizer():
    jieba = pytest.importorskip("jieba")
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def generated_sentences(n: int, seed: int) -> list[str]:
    """Sentences from common words, names, numbers, Latin, punctuation and rare characters."""
    rng = random.Random(seed)
    pieces = ["我们", "今天", "中国人民", "银行", "的", "了", "在", "北京", "大学生", "研究", "生命", "起源",
              "陈清扬", "王二", "说", "：", "，", "。", "“", "”", "？", "DNA", "iPhone", "3.5%", "2024年",
              "第二十一", "一九六七", "C++", "A股", "骉", "龘", "㐀", "\u3000", " ", "-", "#", "结婚的和尚未结婚的",
              "乒乓球拍卖完了", "他来到了网易杭研大厦", "小明硕士毕业于中国科学院计算所"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(n)]


def test_the_words_are_jiebas(jieba_tokenizer):
    texts = generated_sentences(400, seed=7)
    ours = wordseg.segment_many(texts)
    theirs = [[w for w in jieba_tokenizer.lcut(t, HMM=True) if w.strip()] for t in texts]
    assert ours == theirs


# ---------------------------------------------------------------- the cache file


def test_the_tables_are_written_once_read_back_and_rebuilt_when_corrupt(tmp_path, monkeypatch):
    calls = []
    lines = ["中国 30 n", "人 20 n"]
    monkeypatch.setattr(wordseg, "_literal", lambda path: {})  # no HMM: not needed here
    real = wordseg.build_arrays
    monkeypatch.setattr(wordseg, "build_arrays", lambda f, *hmm: calls.append(1) or real(lines, *hmm))
    first = wordseg.build_segmenter(tmp_path).segment_many(["中国人"])
    (path,) = tmp_path.glob("wordseg-*.tables")
    assert first == [["中国", "人"]] and calls == [1]
    assert wordseg.build_segmenter(tmp_path).segment_many(["中国人"]) == first and calls == [1]  # read back
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x01  # one flipped bit in the middle of the arrays
    path.write_bytes(bytes(blob))
    assert wordseg.build_segmenter(tmp_path).segment_many(["中国人"]) == first and calls == [1, 1]  # rebuilt
    path.write_bytes(path.read_bytes()[:100])  # truncated
    assert wordseg.build_segmenter(tmp_path).segment_many(["中国人"]) == first and calls == [1, 1, 1]
    assert wordseg.build_segmenter(tmp_path).segment_many(["中国人"]) == first and calls == [1, 1, 1]


def test_weights_are_log_frequency_over_the_total():
    arrays = build_arrays(["中国 30 n", "人 10 n", "中 60 n"], START, TRANS, EMIT)
    assert arrays["logtotal"][0] == math.log(100)
    weights = sorted(arrays["k2.weight"].tolist())
    assert weights == [math.log(30) - math.log(100)]  # 中国; 中 is a key of length 1
    assert np.isinf(arrays["k1.weight"]).sum() == 0  # 中 and 人 are words, not only beginnings


def test_another_jieba_version_gets_its_own_tables(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(wordseg, "_literal", lambda path: {})
    real = wordseg.build_arrays
    monkeypatch.setattr(wordseg, "build_arrays", lambda f, *hmm: calls.append(1) or real(["中国 30 n"], *hmm))
    wordseg.build_segmenter(tmp_path)
    monkeypatch.setattr(wordseg.T, "distribution_version", lambda dist, package: "99.0")
    wordseg.build_segmenter(tmp_path)
    names = sorted(p.name for p in tmp_path.glob("wordseg-*.tables"))
    assert len(calls) == 2 and len(names) == 2 and names[1].startswith("wordseg-99.0-")
