"""Alignment-guided sentence splitting (aligners/align/refine.py) and its place in the align stage."""
import pytest

from aligners.align.refine import clause_cuts, pieces, raw_offset, split_segment
from aligners.config import AlignConfig, Config
from aligners.pipeline import decoded, process_document
from aligners.types import Document, Segment

# ------------------------------------------------------------ candidate cuts

CUTS = [
    # (language, text, the pieces it may be cut into)
    ("zh", "约翰出生于伦敦；玛丽搬到了巴黎。", ["约翰出生于伦敦；", "玛丽搬到了巴黎。"]),
    ("zh", "他说：“我来了。”然后走了", ["他说：“我来了。”", "然后走了"]),
    ("zh", "我不敢相信这是真的：我居然赢了", ["我不敢相信这是真的：", "我居然赢了"]),
    ("zh", "担心“ MWP 与 Twp 押韵\"对于读者", ["担心“ MWP 与 Twp 押韵\"", "对于读者"]),  # a closing straight quote
    ("zh", "青天哟——蓝天哟……我不得不告诉您", ["青天哟——", "蓝天哟……", "我不得不告诉您"]),
    ("zh", "真的吗？他问", ["真的吗？", "他问"]),  # a question mark the sentence splitter declined
    # no cut where the piece before would not be a sentence: after a comma or an enumeration
    # comma, before an opening quote (the lead-in of direct speech waits for its quotation),
    # after an ellipsis inside a quotation (a speaker's pause)
    ("zh", "约翰出生于伦敦，玛丽搬到了巴黎。", ["约翰出生于伦敦，玛丽搬到了巴黎。"]),
    ("zh", "苹果、梨和桃子都熟了", ["苹果、梨和桃子都熟了"]),
    ("zh", "这位球员说“我们赢了", ["这位球员说“我们赢了"]),
    ("zh", "海老公哼了一声，道：“当真忘记了？”", ["海老公哼了一声，道：“当真忘记了？”"]),
    ("zh", "他说：\"我走了。\"", ["他说：\"我走了。\""]),
    ("zh", "那男孩道：“我叫……叫小玄子。”", ["那男孩道：“我叫……叫小玄子。”"]),
    ("zh", "「好……」他走了……我们也走吧", ["「好……」他走了……", "我们也走吧"]),  # the quotation closed before
    ("zh", "他的成绩是3.11分", ["他的成绩是3.11分"]),  # a decimal is no clause boundary
    ("zh", "好的；", ["好的；"]),  # nothing after the mark
    # a transcript's speaker label or a field name is no sentence; a time or a score is no clause
    ("zh", "客服：能开发票吗？可以的", ["客服：能开发票吗？", "可以的"]),
    ("zh", "[10:35] 用户：收到，谢谢", ["[10:35] 用户：收到，谢谢"]),
    ("zh", "比分是3:1，主队赢了", ["比分是3:1，主队赢了"]),
    ("zh", "他说：“我走了。”", ["他说：“我走了。”"]),
    ("en", "Sales rose 3.5% in the U.S. market, analysts said.", ["Sales rose 3.5% in the U.S.", "market,", "analysts said."]),
    ("en", "It was late; we left - quickly - for home.", ["It was late;", "we left -", "quickly -", "for home."]),
    ("en", "He called it \"a treasure\" and left.", ["He called it \"a treasure\"", "and left."]),
    ("en", "Wait... what?", ["Wait...", "what?"]),
    ("en", "See www.example.com/a,b for details", ["See www.example.com/a,b for details"]),  # no space after the comma
]


@pytest.mark.parametrize("lang,text,expected", CUTS)
def test_clause_cuts(lang, text, expected):
    assert pieces(text, clause_cuts(text, lang)) == expected


# ------------------------------------------------------------ cutting a segment


def test_split_segment_cuts_the_raw_text_where_normalisation_changed_it():
    raw = "约翰出生于伦敦;  玛丽搬到了巴黎."  # width-folded marks, as normalisation found them
    text = "约翰出生于伦敦；玛丽搬到了巴黎。"
    seg = Segment("d", 4, "zh", text, raw=raw, paragraph=2, flags=("truncated",), rules=("halfwidth_punct_in_chinese",))
    a, b = split_segment(seg, clause_cuts(text, "zh"))
    assert (a.text, b.text) == ("约翰出生于伦敦；", "玛丽搬到了巴黎。")
    assert (a.raw, b.raw) == ("约翰出生于伦敦;", "玛丽搬到了巴黎.")
    assert a.flags == b.flags == ("truncated", "clause-split")
    assert (a.paragraph, a.rules, a.lang) == (2, ("halfwidth_punct_in_chinese",), "zh")
    # every character of the raw text is in one piece
    assert (a.raw + b.raw).replace(" ", "") == raw.replace(" ", "")


def test_a_cut_that_cannot_be_placed_in_the_raw_text_is_not_made():
    assert raw_offset("甲，乙", "甲--乙", 2) == 3  # after a replaced mark: after its replacement
    # a cut inside a stretch that normalisation rewrote has no place in the raw text
    assert raw_offset("甲，，乙", "甲-乙", 2) is None
    assert split_segment(Segment("d", 0, "zh", "甲，，乙", raw="甲-乙"), [2]) is None


# ------------------------------------------------------------ the align stage

BEFORE = "今天的天气很好，阳光明媚。\n\n我们去了公园散步。"
AFTER = "他们在2010年结婚了。\n\n晚上我们在家里吃饭。孩子们很早就睡觉了。"
EN = ("The weather was fine today, and the sun was shining.\n\nWe went for a walk in the park. "
      "John was born in London in 1990. Mary moved to Paris in 2001. They married in 2010.\n\n"
      "In the evening we ate dinner at home. The children went to bed early.")
JOINED = "约翰在1990年出生于伦敦；玛丽在2001年搬到了巴黎。"  # two English sentences in one


def run(zh_middle: str, config: Config = Config()):
    zh = BEFORE + zh_middle + AFTER
    return process_document(Document("d", "pair", (decoded(zh, "a.zh.txt"), decoded(EN, "a.en.txt"))), config)


def test_a_sentence_translating_two_is_split_into_two_pairs():
    res = run(JOINED)
    pairs = [(r.zh, r.en) for r in res.rows]
    assert ("约翰在1990年出生于伦敦；", "John was born in London in 1990.") in pairs
    assert ("玛丽在2001年搬到了巴黎。", "Mary moved to Paris in 2001.") in pairs
    assert len(pairs) == 7
    # segments: numbered in reading order, the pieces flagged, every character kept once
    assert [s.seg_id for s in res.segments] == list(range(len(res.segments)))
    assert sum("clause-split" in s.flags for s in res.segments) == 2
    zh_raw = "".join(s.raw for s in res.segments if s.source == 0)
    assert zh_raw == (BEFORE + JOINED + AFTER).replace("\n", "")
    # beads and rows name the new ids
    by_id = {s.seg_id: s for s in res.segments}
    for r in res.rows:
        assert "".join(by_id[i].text for i in r.zh_ids) == r.zh
    assert {i for b in res.beads for i in b.zh + b.en} == {s.seg_id for s in res.segments}


def test_clauses_in_the_other_order_stay_one_sentence():
    crossed = "玛丽在2001年搬到了巴黎；约翰在1990年出生于伦敦。"
    res = run(crossed)
    assert not any("clause-split" in s.flags for s in res.segments)
    assert (crossed, "John was born in London in 1990. Mary moved to Paris in 2001.") in [(r.zh, r.en) for r in res.rows]


def test_the_split_can_be_turned_off_and_is_deterministic():
    off = run(JOINED, Config(align=AlignConfig(split_clauses=False)))
    assert not any("clause-split" in s.flags for s in off.segments)
    assert (JOINED, "John was born in London in 1990. Mary moved to Paris in 2001.") in [(r.zh, r.en) for r in off.rows]
    assert run(JOINED).rows == run(JOINED).rows


def test_no_cut_leaves_a_piece_that_is_not_a_sentence():
    """A comma joins clauses of one sentence: cut there, the first piece would be a fragment
    paired as if it were a sentence. The same two clauses joined by a semicolon are cut."""
    comma = JOINED.replace("；", "，")
    res = run(comma)
    assert not any("clause-split" in s.flags for s in res.segments)
    assert (comma, "John was born in London in 1990. Mary moved to Paris in 2001.") in [(r.zh, r.en) for r in res.rows]
    # every cut the splitter may take leaves pieces that end at a mark that can end a sentence
    for text in ["他说，我们走吧；她答应了：“好的。”然后、就走了", "甲，乙，丙——丁…戊"]:
        for piece in pieces(text, clause_cuts(text, "zh"))[:-1]:
            assert piece[-1] in "；：—…。！？”」\"", piece


def test_a_piece_may_pair_with_several_english_sentences():
    en = EN.replace("They married in 2010.", "They married in 2010. Their son was born in 2012.")
    joined = "约翰在1990年出生于伦敦；玛丽在2001年搬到了巴黎，2010年他们结婚了，2012年儿子出生了。"
    zh = BEFORE + joined + "\n\n晚上我们在家里吃饭。孩子们很早就睡觉了。"
    res = process_document(Document("d", "pair", (decoded(zh, "a.zh.txt"), decoded(en, "a.en.txt"))))
    pairs = [(r.zh, r.en) for r in res.rows]
    assert ("约翰在1990年出生于伦敦；", "John was born in London in 1990.") in pairs
    assert ("玛丽在2001年搬到了巴黎，2010年他们结婚了，2012年儿子出生了。",
            "Mary moved to Paris in 2001. They married in 2010. Their son was born in 2012.") in pairs


def test_the_split_reuses_the_search_features(monkeypatch):
    from aligners.align import features

    calls = []
    real = features.build_features
    monkeypatch.setattr(features, "build_features", lambda *a, **k: calls.append(1) or real(*a, **k))
    from aligners.align import search

    monkeypatch.setattr(search, "build_features", features.build_features)
    res = run(JOINED)
    assert sum("clause-split" in s.flags for s in res.segments) == 2
    assert len(calls) == 1


def test_a_piece_may_join_the_neighbouring_bead():
    """``乙；丙。`` where the translation reads ``..., B. C.``: the first clause goes with the
    sentence before, the second stays on its own."""
    en = EN.replace("John was born in London in 1990. Mary moved to Paris in 2001. They married in 2010.",
                    "They married in 2010, John said, and they live in London. Mary moved to Paris in 2001.")
    zh = BEFORE + "他们在2010年结婚了。约翰说他们住在伦敦；玛丽在2001年搬到了巴黎。" + AFTER.split("。", 1)[1]
    res = process_document(Document("d", "pair", (decoded(zh, "a.zh.txt"), decoded(en, "a.en.txt"))))
    pairs = [(r.zh, r.en) for r in res.rows]
    assert ("他们在2010年结婚了。约翰说他们住在伦敦；", "They married in 2010, John said, and they live in London.") in pairs
    assert ("玛丽在2001年搬到了巴黎。", "Mary moved to Paris in 2001.") in pairs
    off = process_document(Document("d", "pair", (decoded(zh, "a.zh.txt"), decoded(en, "a.en.txt"))),
                           Config(align=AlignConfig(split_clauses=False)))
    assert ("他们在2010年结婚了。", "They married in 2010, John said, and they live in London.") in [(r.zh, r.en) for r in off.rows]


def test_the_lead_in_of_direct_speech_stays_with_its_quotation():
    """``乙说：“丙。”`` against ``B said. "C."``: ``乙说：`` is no sentence, so no pair side."""
    en = EN.replace("John was born in London in 1990. Mary moved to Paris in 2001. They married in 2010.",
                    "They married in 2010, John said, and they live in London. \"Mary moved to Paris in 2001.\"")
    zh = BEFORE + "他们在2010年结婚了。约翰说他们住在伦敦：“玛丽在2001年搬到了巴黎。”" + AFTER.split("。", 1)[1]
    res = process_document(Document("d", "pair", (decoded(zh, "a.zh.txt"), decoded(en, "a.en.txt"))))
    assert not any("clause-split" in s.flags for s in res.segments)
    assert all(not r.zh.endswith("：") for r in res.rows)


def test_a_sentence_offered_with_other_cuts_is_cut_where_the_chosen_split_cuts(monkeypatch):
    """Two candidates may cut one sentence differently; the segments follow the one made,
    whichever was offered last."""
    from aligners.align import refine as refine_module
    from aligners.types import Bead

    text = "甲说：“乙来了；丙走了。”丁笑了"
    cuts = clause_cuts(text, "zh")
    assert len(cuts) >= 2
    made, other = refine_module.Split("zh", 0, (cuts[0],)), refine_module.Split("zh", 0, (cuts[1],))

    def fake_refine(zh, en, beads, config, accept, features):
        assert accept(made) and accept(other)  # the chosen one offered first
        return refine_module.Refinement((made,), (Bead((0,), (0,), 0.9), Bead((1,), (1,), 0.9)))

    monkeypatch.setattr(refine_module, "refine", fake_refine)
    zh = [Segment("d", 0, "zh", text, raw=text)]
    en = [Segment("d", 1, "en", "A said so.", raw="A said so."), Segment("d", 2, "en", "B.", raw="B.")]
    segments, (zh_new, _), beads, _ = refine_module.refine_segments(zh + en, zh, en, [Bead((0,), (0, 1), 0.5)])
    assert [s.text for s in zh_new] == pieces(text, made.cuts)
    assert [s.seg_id for s in segments] == [0, 1, 2, 3]


def test_the_new_beads_score_as_in_a_pass_over_the_whole_document(monkeypatch):
    """The new beads are scored on the stretches of beads their confidence features read,
    not on the whole document: the same scores but for rounding."""
    from aligners import pipeline
    from aligners.align import refine as refine_module

    nouns = [("苹果", "apples"), ("书", "books"), ("狗", "dogs"), ("鱼", "fish"), ("鸟", "birds"), ("花", "flowers"),
             ("树", "trees"), ("车", "cars"), ("猫", "cats"), ("船", "boats"), ("山", "mountains")]
    zh_parts, en_parts = [], []
    for n in range(24):  # sentences that differ in their words, so that every bead scores differently
        (z1, e1), (z2, e2) = nouns[n % 11], nouns[(3 * n + 5) % 11]
        zh_parts.append(f"第{n + 1}天，他看见了{n + 30}个{z1}和很多{z2}。")
        en_parts.append(f"On day {n + 1} he saw {n + 30} {e1} and many {e2}.")
    for at in (8, 17):  # two joined sentences, far apart
        zh_parts[at] = f"约翰在{1900 + at}年出生于伦敦；玛丽在{2000 + at}年搬到了巴黎。"
        en_parts[at] = f"John was born in London in {1900 + at}. Mary moved to Paris in {2000 + at}."
    doc = Document("d", "pair", (decoded("".join(zh_parts), "a.zh.txt"), decoded(" ".join(en_parts), "a.en.txt")))
    zh, en = pipeline.split_sides(pipeline.segment(doc))
    beads, _, features = pipeline.align_sides(zh, en)

    def refined():
        return refine_module.refine([s.text for s in zh], [s.text for s in en], beads, AlignConfig(), None, features)

    stretches = refined()
    monkeypatch.setattr(refine_module, "_stretch", lambda beads, first, last, reach: (0, len(beads)))
    whole = refined()
    assert [sp.index for sp in stretches.splits] == [8, 17]  # both joined sentences cut
    assert [(b.src, b.tgt) for b in stretches.beads] == [(b.src, b.tgt) for b in whole.beads]
    assert [b.score for b in stretches.beads] == pytest.approx([b.score for b in whole.beads], rel=0, abs=1e-12)
