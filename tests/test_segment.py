"""segment_document: paragraphs, sentences, languages, drops, flags, accounting."""
from aligners.config import TextConfig
from aligners.text.segment import REASON_CAPTION, REASON_EMPTY, segment_document
from aligners.types import DROPPED, Decoded, Document

# A hand-written fixture carrying each artefact class of the seed.
FIXTURE = (
    "Promoting the development of the western region is a century project-on-the-spot report of the symposium "
    "on promoting the development of the western region in the new era, which was inspected and pres\n"
    "\n"
    "  We must strive to write a new chapter in the modernization drive! \"\n"
    "\n"
    "  以开放促开发,是西部地区共同的夙愿。这条通道有哪些成本优势?效益如何?\n"
    "\n"
    "4月22日,总书记在重庆考察。新华社记者 岳月伟 摄\n"
    "\n"
    "  In 2023 ‘ Three new samples ’ exports reached 8.82 billion yuan. \"Logistics is a real economy ‘ Collateral ’ 。” General Secretary said.\n"
    "\n"
    "  … … … …\n"
    "\n"
    "  Rolling rivers… … The hemodialysis machine & HELIP, which pioneered it; Have a ‘ in your mind. Tightening spell ’ . Done.\n"
    "\n"
    "  The border is 18,000 kilometers; at 10:30 China’s R&D, AT&T and .NET met the \"urban brain\" of Chongqing.\n"
)


def _segments(text: str, kind: str = "mixed"):
    return segment_document(Document("d", kind, (Decoded("f.txt", text, "utf-8"),)))


def test_fixture_languages_and_drops():
    segs = _segments(FIXTURE)
    zh = [s for s in segs if s.lang == "zh"]
    assert [s.text for s in zh if s.status != DROPPED] == [
        "以开放促开发，是西部地区共同的夙愿。",
        "这条通道有哪些成本优势？",
        "效益如何？",
    ]
    caption = [s for s in segs if s.reason == REASON_CAPTION]
    assert caption and all(s.lang == "zh" and s.status == DROPPED for s in caption)
    assert caption[-1].raw.endswith("新华社记者 岳月伟 摄")
    empty = [s for s in segs if s.reason == REASON_EMPTY]
    assert [s.raw for s in empty] == ["… … … …"]
    assert all(s.lang == "en" for s in segs if s.raw[0] not in "4以这效新")


def test_fixture_artefacts_repaired():
    texts = [s.text for s in _segments(FIXTURE)]
    assert texts[0].endswith("inspected and pres")
    joined = "\n".join(texts)
    assert "modernization drive!\"" in joined
    assert "‘Three new samples’" in joined
    assert '"Logistics is a real economy ‘Collateral’."' in joined
    assert "Rolling rivers…" in joined and "… …" not in joined
    assert "machine…, which" in joined
    assert "Have a ‘in your mind." in joined and "Tightening spell’." in joined
    for keep in ("18,000", "10:30", "China’s", "R&D", "AT&T", ".NET", 'the "urban brain"'):
        assert keep in joined, keep


def test_truncated_title_flagged():
    segs = _segments(FIXTURE)
    assert segs[0].flags == ("truncated",)
    assert all("truncated" not in s.flags for s in segs[1:])


def test_seg_ids_paragraphs_and_sources_in_reading_order():
    doc = Document(
        "p",
        "pair",
        (Decoded("a.zh.txt", "第一句。第二句！\n\n第三段。", "utf-8"), Decoded("a.en.txt", "One. Two!\n\nThree.", "utf-8")),
    )
    segs = segment_document(doc)
    assert [s.seg_id for s in segs] == list(range(6))
    assert [(s.source, s.paragraph, s.text) for s in segs] == [
        (0, 0, "第一句。"),
        (0, 0, "第二句！"),
        (0, 1, "第三段。"),
        (1, 0, "One."),
        (1, 0, "Two!"),
        (1, 1, "Three."),
    ]
    assert [s.lang for s in segs] == ["zh"] * 3 + ["en"] * 3


def test_rejected_source_contributes_nothing():
    doc = Document("p", "pair", (Decoded("a.zh.txt", "", "", error="binary"), Decoded("a.en.txt", "Hello there.", "utf-8")))
    segs = segment_document(doc)
    assert [(s.seg_id, s.source, s.text) for s in segs] == [(0, 1, "Hello there.")]


def test_lines_are_paragraphs_without_blank_lines():
    segs = _segments("First line here.\nSecond line here.\n第三行。")
    assert [s.paragraph for s in segs] == [0, 1, 2]


def test_not_english_flag():
    segs = _segments("Der Hund läuft schnell über die große Wiese und bellt laut.\n")
    assert segs[0].lang == "en" and "not-english" in segs[0].flags
    segs = _segments("The dog runs quickly over the wide meadow and barks loudly.\n")
    assert "not-english" not in segs[0].flags


def test_giant_line_is_cut_and_accounted():
    text = ("word " * 60_000) + "end"
    segs = segment_document(Document("g", "mixed", (Decoded("g", text, "utf-8"),)), TextConfig(max_segment_chars=2000))
    assert all(len(s.raw) <= 2000 for s in segs)
    assert "".join(s.raw for s in segs).replace(" ", "") == text.replace(" ", "")


# ---------------------------------------------------------------- properties

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    list("abc XYZ 0 9 . , ; : ! ? \" ' ’ ‘ “ ” … & ( ) \n \n\n \t") + list("中文重庆。，、？！：；（）") + [
        "Mr.", "U.S.", "新华社记者 岳月伟 摄", "& HELIP", "… …", "\u200b", "\u3000", "Москва", "——”", "I... I", "6.", "(陈清扬)", "责任编辑：", "Source: ", "新华社发", ". . .",
    ]
)
_DOC_TEXT = st.one_of(st.lists(_PIECES, max_size=60).map("".join), st.text(max_size=200))


def _non_space(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


@settings(max_examples=150, deadline=None)
@given(_DOC_TEXT, _DOC_TEXT)
def test_accounting_every_character_lands_in_a_segment(zh_text, en_text):
    doc = Document("d", "pair", (Decoded("a.zh.txt", zh_text, "utf-8"), Decoded("a.en.txt", en_text, "utf-8")))
    segs = segment_document(doc)  # never raises
    for source_no, text in ((0, zh_text), (1, en_text)):
        raws = "".join(s.raw for s in segs if s.source == source_no)
        assert _non_space(raws) == _non_space(text)
    assert [s.seg_id for s in segs] == list(range(len(segs)))
    assert all(s.lang in ("zh", "en", "other") for s in segs)
    assert all(s.status in ("", DROPPED) and (s.status == DROPPED) == bool(s.reason) for s in segs)
    assert all(s.text or s.status == DROPPED for s in segs)


def test_previews_and_rule_counts():
    from aligners.text.segment import detect_preview, normalize_preview, rule_counts

    text = "优势?效益如何?\n\nIt is ‘ new ’ now.\n\n… … … …\n"
    assert normalize_preview(text) == ["优势？", "效益如何？", "It is ‘new’ now."]
    diff = normalize_preview(text, diff=True)
    assert "@ seg 0 [zh] halfwidth-punct-zh" in diff and "- It is ‘ new ’ now." in diff and "+ It is ‘new’ now." in diff
    assert diff[-1].startswith("# seg 3 dropped (empty after normalisation")
    rows = [line.split("\t") for line in detect_preview(text)]
    assert [(r[0], r[2]) for r in rows] == [("0", "zh"), ("1", "zh"), ("2", "en"), ("3", "en")]
    counts = rule_counts(_segments(text))
    assert counts["halfwidth-punct-zh"]["count"] == 2
    assert counts["spaced-curly-quotes"] == {"count": 1, "example": ("It is ‘ new ’ now.", "It is ‘new’ now.")}


# ---------------------------------------------------------------- unseen noisy documents (tests/fixtures/)
# Four hand-written documents, checked the way the seed is: every artefact class
# repaired, every correct item intact, boilerplate dropped with its reason, languages right.
# Expected texts below were written by hand, not copied from the output.

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from aligners.text.segment import REASON_CREDIT, REASON_EDITOR  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(name: str):
    return _segments((FIXTURES / name).read_text(encoding="utf-8"))


def _kept(segs, lang=None):
    return [s.text for s in segs if s.status != DROPPED and (lang is None or s.lang == lang)]


def _dropped(segs):
    return [(s.lang, s.reason, s.text) for s in segs if s.status == DROPPED]


def test_fixture_en_machine_translation_with_chinese_chunk():
    segs = _fixture("en_mt_news.txt")
    assert _kept(segs, "en") == [
        "Riverside county opens its first solar orchard — the panels sit above the pear trees",
        "The county government announced on Monday that the solar orchard in Qingshui Town has started supplying power to 3,200 households.",
        "Officials said the project cost 46.5 million yuan, and that farmers keep harvesting pears below the panels.",
        "“We did not have to choose between fruit and electricity,” said Wang Lin, the town's deputy head… the panels even protect the blossoms from hail.",
        "He added that the village had received RMB 2.5 million in rent, and that the money went into a fund for the elderly, the school and roads.",
        "The first harvest under the panels is expected in August at 10:30 on Monday, visitors were already walking between the rows…",
    ]
    assert _kept(segs, "zh") == [
        "清水镇位于县城以东30公里，全镇共有梨园1.2万亩。",
        "项目建成后，每年可发电约4800万千瓦时？",
        "记者了解到：当地还计划建设储能站；",
    ]
    dropped = _dropped(segs)
    assert ("zh", REASON_CAPTION, "新华社发") in dropped
    assert any(lang == "en" and reason == REASON_CAPTION and text.endswith("(Xinhua/Zhang Hua)") for lang, reason, text in dropped)
    assert ("zh", REASON_EDITOR, "责任编辑：刘洋") in dropped


def test_fixture_alternating_paragraphs_glosses_and_credit_lines():
    segs = _fixture("bilingual_alternating.txt")
    assert [s.lang for s in segs if s.status != DROPPED] == ["zh", "en", "zh", "zh", "en", "en", "zh", "zh", "en"]
    en = _kept(segs, "en")
    assert "The team used the traditional sticky-rice mortar (糯米灰浆) technique." in en
    assert '"We tried to keep every old brick," said Zhao Ming (赵明), who led the project.' in en
    assert "修缮团队采用了传统的糯米灰浆工艺（见下图）。" in _kept(segs, "zh")
    assert _dropped(segs) == [
        ("zh", REASON_CREDIT, "图片来源：城市文物局"),
        ("en", REASON_CREDIT, "Photo: Bureau of Cultural Relics"),
        ("en", REASON_CREDIT, "Source: City Daily"),
        ("zh", REASON_CAPTION, "本报记者陈静摄"),
        ("zh", REASON_EDITOR, "编辑：孙悦"),
    ]


def test_fixture_width_folded_chinese():
    segs = _fixture("zh_widthfolded.txt")
    assert all(s.lang == "zh" for s in segs)
    assert _kept(segs) == [
        "社区食堂开进老旧小区",
        "“吃饭难”曾是老旧小区居民最头疼的事。",
        "如今，社区食堂每天中午11:30准时开门，一份两荤一素的套餐只要15元！",
        "记者问道：为什么价格能这么低？",
        "负责人回答：“场地由街道免费提供，我们只收成本价。”",
        "食堂还提供送餐服务（70岁以上老人免费），并接入了WeChat小程序；居民可以提前一天预订。",
        "不少老人说，以前一个人不愿做饭，常常凑合……",
        "现在每天都来这里吃，还能和老邻居聊聊天！",
        "食堂今年计划在全市再开设25家，覆盖约3,000户家庭，让更多老人吃上热饭。",
    ]
    assert _dropped(segs) == [("zh", REASON_CAPTION, "本报记者李华摄"), ("zh", REASON_EDITOR, "（责任编辑：王敏）")]


def test_fixture_english_quotes_ellipses_entities():
    segs = _fixture("en_quotes_entities.txt")
    assert all(s.lang == "en" for s in segs) and not _dropped(segs)
    assert _kept(segs) == [
        "Notes from the night market",
        "The vendors call it “the long table”, and it stretches for almost a kilometre.",
        "‘Everyone knows everyone here,’ said a woman selling dumplings.",
        "“My mother had this stall,” she added, “and her mother before her.”",
        "A sign reads “Fresh today” and another says “No credit” — both hand-painted.",
        "He told me: “When a customer asks ‘Is it spicy?’ I always say ‘a little’.”",
        "One stall sells only tea… another sells only knives & scissors…",
        "Nobody seems to mind.",
        "The word ‘fresh’ appears on every sign; the word “cheap” on none.",
        "Prices are listed in yuan, e.g. 12.50 for a bowl, and the market opens at 18:00… it closes at 2 a.m.",
        "R&D is not a phrase you hear here, nor AT&T; but China’s street food is on every phone in .NET apps and the “best of” lists.",
    ]


# correct lines that look a little like boilerplate and must be kept
@pytest.mark.parametrize(
    "text",
    [
        "编辑部的同事们都来了。",
        "Source: the figures show that exports rose. Imports fell.",
        "The editor said the photo was taken in May.",
        "来源于生活的艺术更动人。",
        "Photographs of the river line the hall.",
    ],
)
def test_boilerplate_lookalikes_survive(text):
    segs = _segments(text + "\n")
    assert not _dropped(segs)


def _pair_segments(zh: str, en: str):
    doc = Document("p", "pair", (Decoded("a.zh.txt", zh, "utf-8"), Decoded("a.en.txt", en, "utf-8")))
    segs = segment_document(doc)
    return [s.raw for s in segs if s.source == 0], [s.raw for s in segs if s.source == 1]


@pytest.mark.parametrize(
    "zh, expected",
    [
        # links and tags after a post's last mark stay with the post
        ("民主将面临严峻的形势。 https://t.co/x7Rk2LmQ", ["民主将面临严峻的形势。 https://t.co/x7Rk2LmQ"]),
        ("该岛北部损伤最为严重。#新闻#", ["该岛北部损伤最为严重。#新闻#"]),
        ("@BBCNews 太震惊了！😮 example.cn/faq?id=42\n第二条。", ["@BBCNews 太震惊了！😮 example.cn/faq?id=42", "第二条。"]),
        # Latin that is no English sentence joins its Chinese neighbour on the line
        ("他只回了一句。OK.", ["他只回了一句。OK."]),
        ("Inc. 宣布了。", ["Inc. 宣布了。"]),
        ("他的房间是 Bldg. 3, 302。", ["他的房间是 Bldg. 3, 302。"]),  # digits cut off too
        # a whole English sentence, and a Latin line of its own, stay apart
        ("他接着说了一句英语。We will never give up. 大家都鼓掌了。",
         ["他接着说了一句英语。", "We will never give up.", "大家都鼓掌了。"]),
        ("Reuters\n今天下雨了。", ["Reuters", "今天下雨了。"]),
    ],
)
def test_no_latin_fragment_in_the_chinese_file(zh, expected):
    assert _pair_segments(zh, "One sentence.")[0] == expected


@pytest.mark.parametrize(
    "en, expected",
    [
        ("It was bad. https://bbc.in/2Lx9Q1v", ["It was bad. https://bbc.in/2Lx9Q1v"]),
        ("It was bad. #news 🔥\nNext post.", ["It was bad. #news 🔥", "Next post."]),
        ("Write to support@example.com. We answer.", ["Write to support@example.com.", "We answer."]),
        ("OK. Fine.", ["OK.", "Fine."]),  # short English sentences are sentences in the English file
    ],
)
def test_links_and_tags_stay_with_their_english_sentence(en, expected):
    assert _pair_segments("一句话。", en)[1] == expected
