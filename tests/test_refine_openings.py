"""Cuts where a Chinese sentence lost its final mark, found by the English sentence that
follows (aligners/align/refine.py: ``opening_cuts``)."""
import pytest

from aligners.align.refine import opening_cuts, pieces
from aligners.config import AlignConfig, Config
from aligners.pipeline import decoded, process_document
from aligners.types import Document

# ------------------------------------------------------------ candidate cuts

TRUMP, RALLY = 7, 3  # English vocabulary columns of two first words
OPENINGS = [
    # (text, its words, each word's English columns, the pieces it may be cut into)
    ("观看集会特朗普可能发言", ["观看", "集会", "特朗普", "可能", "发言"], [[], [RALLY], [TRUMP], [], []],
     ["观看集会", "特朗普可能发言"]),
    ("观看集会 特朗普可能发言", ["观看", "集会", " ", "特朗普", "可能", "发言"], [[], [RALLY], [], [TRUMP], [], []],
     ["观看集会", "特朗普可能发言"]),  # white space between two Han runs is no mark
    ("看了Holt的球队", ["看", "了", "Holt", "的", "球队"], [[], [], [TRUMP], [], []], ["看了", "Holt的球队"]),
    # no cut after a mark (clause_cuts decides there), at the start, or before a word that
    # translates no first word
    ("观看集会，特朗普可能发言", ["观看", "集会", "，", "特朗普", "可能", "发言"], [[], [RALLY], [], [TRUMP], [], []],
     ["观看集会，特朗普可能发言"]),
    ("“特朗普可能发言", ["“", "特朗普", "可能", "发言"], [[], [TRUMP], [], []], ["“特朗普可能发言"]),
    ("特朗普可能发言", ["特朗普", "可能", "发言"], [[TRUMP], [], []], ["特朗普可能发言"]),
    ("观看集会特朗普可能发言", ["观看", "集会", "特朗普", "可能", "发言"], [[], [RALLY], [], [], []],
     ["观看集会特朗普可能发言"]),
    # the last word that translates the first word: an earlier one may belong to the sentence before
    ("看特朗普集会特朗普发言", ["看", "特朗普", "集会", "特朗普", "发言"], [[], [TRUMP], [], [TRUMP], []],
     ["看特朗普集会", "特朗普发言"]),
    # not once a comma came before: a sentence joined with commas has its boundary there
    ("好，你过来", ["好", "，", "你", "过来"], [[], [], [], [TRUMP]], ["好，你过来"]),
    ("问她去哪里，说不去哪里", ["问", "她", "去", "哪里", "，", "说", "不", "去", "哪里"],
     [[], [], [], [TRUMP], [], [], [], [], [TRUMP]], ["问她去哪里，说不去哪里"]),
    # nor after a structural particle, which binds a modifier to the word after it
    ("这个国家的许多地区", ["这个", "国家", "的", "许多", "地区"], [[], [], [], [TRUMP], []], ["这个国家的许多地区"]),
    # words not found in the text in order: no cut
    ("观看集会特朗普可能发言", ["特朗普", "观看"], [[TRUMP], []], ["观看集会特朗普可能发言"]),
]


@pytest.mark.parametrize("text,words,translations,expected", OPENINGS)
def test_opening_cuts(text, words, translations, expected):
    assert pieces(text, opening_cuts(text, words, translations, {TRUMP})) == expected


# ------------------------------------------------------------ the align stage

BEFORE = "今天的天气很好，阳光明媚。\n\n我们去了公园散步。"
AFTER = "他们在2010年结婚了。\n\n晚上我们在家里吃饭。孩子们很早就睡觉了。"
EN = ("The weather was fine today, and the sun was shining.\n\nWe went for a walk in the park. "
      "John was born in London in 1990. {second} moved to Paris in 2001. They married in 2010.\n\n"
      "In the evening we ate dinner at home. The children went to bed early.")


def run(zh_middle: str, second: str, config: Config = Config()):
    zh = BEFORE + zh_middle + AFTER
    en = EN.format(second=second)
    return process_document(Document("d", "pair", (decoded(zh, "a.zh.txt"), decoded(en, "a.en.txt"))), config)


def test_a_sentence_that_lost_its_final_mark_is_cut_before_the_next_ones_first_word():
    res = run("约翰在1990年出生于伦敦玛丽在2001年搬到了巴黎。", "Mary")
    pairs = [(r.zh, r.en) for r in res.rows]
    assert ("约翰在1990年出生于伦敦", "John was born in London in 1990.") in pairs
    assert ("玛丽在2001年搬到了巴黎。", "Mary moved to Paris in 2001.") in pairs
    zh_raw = "".join(s.raw for s in res.segments if s.source == 0)
    assert zh_raw == (BEFORE + "约翰在1990年出生于伦敦玛丽在2001年搬到了巴黎。" + AFTER).replace("\n", "")


@pytest.mark.parametrize("second,middle", [
    ("She", "约翰在1990年出生于伦敦她在2001年搬到了巴黎。"),  # a function word opens the English: no anchor
    ("Mary", "约翰在1990年出生于伦敦，玛丽在2001年搬到了巴黎。"),  # a comma: no cut (clause_cuts' rule)
])
def test_no_cut_without_a_translated_first_word_or_after_a_comma(second, middle):
    res = run(middle, second)
    assert any(r.zh == middle for r in res.rows)


def test_the_cut_goes_with_the_clause_splitting():
    res = run("约翰在1990年出生于伦敦玛丽在2001年搬到了巴黎。", "Mary", Config(align=AlignConfig(split_clauses=False)))
    assert any(r.zh == "约翰在1990年出生于伦敦玛丽在2001年搬到了巴黎。" for r in res.rows)
