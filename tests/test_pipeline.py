import dataclasses

from aligners.config import DecodeConfig
from aligners.pipeline import (apply_beads, document_notes, join_sentences, paragraph_ranks, prepare_document,
                               traditional_share)
from aligners.report.escape import md_cell
from aligners.report.summary import build_report, render_markdown
from aligners.types import (BELOW_MIN_SCORE, NO_COUNTERPART, NO_ENGLISH, OTHER_LANGUAGE, AlignedBead, Bead, Decoded,
                            Document, DocumentResult, Segment, reason_text)


def seg(i, lang, text, paragraph=0, source=0, status=""):
    return Segment("doc", i, lang, text, raw=text, source=source, paragraph=paragraph, status=status)


SEGS = (
    seg(0, "zh", "第一句。"), seg(1, "zh", "第二句。"), seg(2, "zh", "多余的一句。"),
    seg(3, "en", "First."), seg(4, "en", "Second,"), seg(5, "en", "continued."),
    seg(6, "en", "Photo credit", status="dropped"), seg(7, "other", "Das ist Deutsch und kein Englisch."),
)


def test_apply_beads_pairs_thresholds_and_accounts_for_every_segment():
    beads = [Bead((0,), (0,), 0.9), Bead((1,), (1, 2), 0.2), Bead((2,), (), 0.0)]
    segs, decided, rows = apply_beads("doc", SEGS, beads, min_score=0.5)
    status = {s.seg_id: (s.status, s.reason) for s in segs}
    assert [(r.zh, r.en, r.zh_ids, r.en_ids) for r in rows] == [("第一句。", "First.", (0,), (3,))]
    assert status[0] == status[3] == ("paired", "")
    assert status[1] == status[4] == status[5] == ("unpaired", BELOW_MIN_SCORE)
    # beads over seg_ids, with the decision and the threshold as a value
    assert decided == (AlignedBead((0,), (3,), 0.9, "paired", "", 0.5),
                       AlignedBead((1,), (4, 5), 0.2, "unpaired", BELOW_MIN_SCORE, 0.5),
                       AlignedBead((2,), (), 0.0, "unpaired", NO_COUNTERPART, 0.5))
    assert status[2] == ("unpaired", NO_COUNTERPART)
    assert status[6][0] == "dropped"
    assert status[7] == ("unpaired", OTHER_LANGUAGE)
    assert len(segs) == len(SEGS)


def test_a_threshold_change_keeps_the_reason_and_its_words():
    beads = [Bead((1,), (1, 2), 0.2)]
    low = apply_beads("doc", SEGS, beads, min_score=0.5)[1][0]
    high = apply_beads("doc", SEGS, beads, min_score=0.6)[1][0]
    assert low.reason == high.reason == BELOW_MIN_SCORE and (low.threshold, high.threshold) == (0.5, 0.6)
    assert reason_text(low.reason) == reason_text(high.reason) == "alignment score below min_score"
    assert reason_text(low.reason, low.threshold) == "alignment score below min_score (0.50)"
    assert reason_text("boilerplate: editor line") == "boilerplate: editor line"  # words stay words


def test_multi_sentence_bead_joins_each_language_its_own_way():
    beads = [Bead((0, 1), (1, 2), 0.8)]
    _, _, (row,) = apply_beads("doc", SEGS, beads, min_score=0.5)
    assert row.zh == "第一句。第二句。"
    assert row.en == "Second, continued."
    assert join_sentences(["用 COBE", "WMAP 卫星。"], "zh") == "用 COBE WMAP 卫星。"


def test_a_document_with_one_language_leaves_everything_unpaired_with_a_reason():
    only_zh = tuple(s for s in SEGS if s.lang == "zh")
    segs, decided, rows = apply_beads("doc", only_zh, [], min_score=0.5)
    assert rows == () and decided == ()
    assert {s.reason for s in segs} == {NO_ENGLISH}


def test_paragraph_ranks_are_dense_per_side():
    segs = [seg(0, "zh", "a", 0), seg(1, "zh", "b", 0), seg(2, "zh", "c", 4), seg(3, "zh", "d", 4, source=1)]
    assert paragraph_ranks(segs) == [0, 0, 1, 2]


TRAD = "這是繁體中文的句子，臺灣的書店裡有很多關於歷史的書。"


def test_traditional_chinese_is_recorded_and_converted_only_when_asked():
    assert traditional_share("这是简体中文的句子。") == 0.0
    assert traditional_share(TRAD) > 0.2
    doc = Document("t", "mixed", (Decoded("t.txt", TRAD, "utf-8"),))
    kept = prepare_document(doc)
    assert kept.sources[0].text == TRAD and "kept as is" in kept.sources[0].notes[-1]
    conv = prepare_document(doc, DecodeConfig(to_simplified=True))
    assert conv.sources[0].text.startswith("这是繁体中文的句子，台湾的书店里")
    assert "converted to Simplified" in conv.sources[0].notes[-1]


def test_the_traditional_bound_holds_every_character_t2s_changes():
    # prepare_document skips converting when this bound is under the threshold, so it must never undercount
    from aligners.pipeline import _t2s, changeable_share, converted_share, han_sample

    han = "".join(chr(c) for c in range(0x4E00, 0xA000))
    converted = _t2s().convert(han)
    changed = [a for a, b in zip(han, converted) if a != b]
    assert len(changed) > 2000  # t2s's character table
    assert changeable_share("".join(changed)) == 1.0
    for text in (TRAD, "乾隆皇帝在乾清宫", "他乾脆把衣服晒乾了", "這個公司的發展很快"):
        sample = han_sample(text)
        assert changeable_share(sample) >= converted_share(sample) > 0
    assert changeable_share(han_sample("这是简体中文的句子，我们的书店里有很多书。")) == 0.0
    assert han_sample("abc中文def" * 3, sample=5) == "中文中文中"


def test_swapped_pair_sides_are_noted():
    doc = Document("s", "pair", (Decoded("s.zh.txt", "x", "utf-8"), Decoded("s.en.txt", "y", "utf-8")))
    segs = [seg(0, "en", "English in the zh file.", source=0), seg(1, "zh", "中文在英文文件里。", source=1)]
    notes = document_notes(doc, segs)
    assert len(notes) == 2 and "sides swapped" in notes[0]


def test_report_counts_and_markdown():
    segs, decided, rows = apply_beads("doc", SEGS, [Bead((0,), (0,), 0.9), Bead((1,), (1, 2), 0.2),
                                                    Bead((2,), (), 0.0)], 0.5)
    segs = tuple(dataclasses.replace(s, rules=("broken-entity",), raw=s.text[:-1] + " & HELIP") if s.seg_id == 3 else s for s in segs)
    res = DocumentResult("doc", "pair", (Decoded("a", "", "utf-8"), Decoded("b", "", "", error="empty file")),
                         segs, rows, decided)
    rep = build_report([res], timings={"align": 0.5})
    assert rep["pairs"] == 1
    assert rep["segments"]["by_status"] == {"dropped": 1, "paired": 2, "unpaired": 5}
    assert rep["unpaired_by_reason"] == {BELOW_MIN_SCORE: 3, NO_COUNTERPART: 1, OTHER_LANGUAGE: 1}
    assert rep["beads_by_decision"] == {BELOW_MIN_SCORE: 1, NO_COUNTERPART: 1, "paired": 1}
    assert rep["dropped_by_reason"] == {"": 1}  # the hand-made dropped segment has no reason
    assert rep["rules"]["broken-entity"] == {"count": 1, "example": {"doc_id": "doc", "seg_id": 3,
                                                                     "before": "First & HELIP", "after": "First."}}
    assert rep["files_rejected"] == [{"doc_id": "doc", "path": "b", "reason": "empty file"}]
    md = render_markdown(rep)
    assert "| pairs | 1 |" in md and "broken-entity" in md and "empty file" in md
    assert f"| {md_cell(reason_text(BELOW_MIN_SCORE))} | 3 |" in md  # the words, not the code
