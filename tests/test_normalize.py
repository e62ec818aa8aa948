"""Normalisation rules: what each fixes, what each must leave alone, and properties."""
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligners.config import TextConfig
from aligners.text.normalize import RULE_NAMES, RULES, normalize, rules_table

# (rule expected to fire, lang, input, expected output) — outputs written by hand.
FIXES = [
    ("spaced-curly-quotes", "en", "in 2023 ‘ Three new samples ’ Exports reached", "in 2023 ‘Three new samples’ Exports reached"),
    ("spaced-curly-quotes", "en", "“‘ Chongqing Express Administration ’ There", "“‘Chongqing Express Administration’ There"),
    ("spaced-curly-quotes", "en", "Have a ‘ in your mind.", "Have a ‘in your mind."),
    ("space-before-closing-quote", "en", 'the modernization drive! "', 'the modernization drive!"'),
    ("space-before-closing-quote", "en", 'a happier life. " General Secretary', 'a happier life." General Secretary'),
    ("space-before-closing-quote", "en", '‘Three new samples’ Transformation ";', '‘Three new samples’ Transformation";'),
    ("cjk-punct-in-english", "en", '"Logistics is a real economy ‘ Collateral ’ 。” General', '"Logistics is a real economy ‘Collateral’." General'),
    ("space-before-punct", "en", "Tightening spell’ . Anti-corruption", "Tightening spell’. Anti-corruption"),
    ("spaced-ellipsis", "en", "towering mountains, rolling rivers… …", "towering mountains, rolling rivers…"),
    ("spaced-ellipsis", "en", "… … … …", "…"),
    ("broken-entity", "en", "the hemodialysis machine & HELIP, which pioneered", "the hemodialysis machine…, which pioneered"),
    ("mojibake", "en", "wait&hellip; and a&#8230;", "wait… and a…"),  # well-formed entities: ftfy
    ("halfwidth-punct-zh", "zh", "这条通道有哪些成本优势?效益如何?", "这条通道有哪些成本优势？效益如何？"),
    ("halfwidth-punct-zh", "zh", "以开放促开发,是地域广袤、发展水平迥异的西部地区共同的夙愿。", "以开放促开发，是地域广袤、发展水平迥异的西部地区共同的夙愿。"),
    ("halfwidth-punct-zh", "zh", "向西;向北:总书记说!", "向西；向北：总书记说！"),
    ("halfwidth-punct-zh", "zh", "优势 ? 效益", "优势？效益"),
    ("halfwidth-parens-zh", "zh", "中欧班列(渝新欧)直抵欧洲", "中欧班列（渝新欧）直抵欧洲"),
    ("ellipsis-zh", "zh", "大丈夫一言既出… …", "大丈夫一言既出……"),
    ("ellipsis-zh", "zh", "不过...不过", "不过……不过"),
    ("whitespace", "en", "  indented\tand   spaced  ", "indented and spaced"),
    ("whitespace", "zh", "硬换行的中\n文句子。", "硬换行的中文句子。"),
    ("space-in-chinese", "zh", "总书记 走进社区。", "总书记走进社区。"),
    ("quote-style", "en", "“Where is it? \"", '"Where is it?"'),
    ("fullwidth-ascii", "en", "Ｃｈｉｎａ ２０２４", "China 2024"),
    ("invisible-chars", "en", "zero\u200bwidth", "zerowidth"),
    ("mojibake", "en", "Chinaâ€™s development", "China’s development"),
    # other spellings and shapes (hand-written)
    ("broken-entity", "en", "the orchard & MDASH the panels", "the orchard — the panels"),
    ("broken-entity", "en", "the deputy head & HELIP; the panels", "the deputy head… the panels"),
    ("broken-entity", "en", "only tea&#8230 and knives", "only tea… and knives"),
    ("mojibake", "en", "knives &amp;amp; scissors", "knives & scissors"),  # ftfy unescapes well-formed ones
    ("broken-entity", "en", "reads & LDQUO;Fresh& RDQUO; today", "reads “Fresh” today"),
    ("broken-entity", "en", "in August & NBSP; at noon", "in August at noon"),
    ("spaced-straight-quotes", "en", 'they call it " the long table " , and', 'they call it "the long table", and'),
    ("spaced-straight-quotes", "en", 'He said " yes " and " no ".', 'He said "yes" and "no".'),
    ("spaced-curly-quotes", "en", "asks ‘ Is it spicy? ’ I say ‘ a little ’ . ”", "asks ‘Is it spicy?’ I say ‘a little’.”"),
    ("spaced-ellipsis", "en", "between the rows . . .", "between the rows…"),
    ("spaced-ellipsis", "en", "Do. . . you. . . give in?", "Do… you… give in?"),
    ("cjk-punct-in-english", "en", "in rent，and the elderly、the school", "in rent, and the elderly, the school"),
    ("space-before-punct", "en", "'Stop her, dear !' he said", "'Stop her, dear!' he said"),
    ("full-stop-zh", "zh", "最头疼的事.如今", "最头疼的事。如今"),
    ("straight-quotes-zh", "zh", '"吃饭难"曾是难题', "“吃饭难”曾是难题"),
    ("straight-quotes-zh", "zh", '回答:"只收成本价."', "回答：“只收成本价。”"),
    ("ellipsis-zh", "zh", "常常凑合。。。现在", "常常凑合……现在"),
    ("ellipsis-zh", "zh", "常常凑合. . .现在", "常常凑合……现在"),
    ("halfwidth-parens-zh", "zh", "送餐服务(70岁以上免费),并接入", "送餐服务（70岁以上免费），并接入"),
]

# Must survive unchanged, in the language they occur in.
SURVIVES = [
    ("zh", "格局决定思路。共建“一带一路”倡议、西部（重庆）。"),
    ("zh", "边境线长1.8万公里，共18,000公里，10:30开始，增长3.5%。"),
    ("zh", "COBE卫星和3K眼镜，R&D与AT&T，.NET框架。"),
    ("zh", "韦小宝道：“我…………我。”"),
    ("en", "With a border of more than 18,000 kilometers, 8.82 billion yuan, at 10:30."),
    ("en", "With 39 of China’s 41 industrial categories, R&D, AT&T and .NET."),
    ("en", 'He inspected the "urban brain" of Chongqing.'),
    ("en", "In the ’90s rock ’n’ roll was the students’ music."),
    ("en", "Salt & pepper, AT&T; the amp & the quote."),
    ("en", "See http://example.com/a?b=1 and e.g. Mr. Smith."),
    ("en", '"How much is a meal?"'),
    ("en", "It is ‘Three new samples’ now."),
    ("en", "Version 3.5 of .NET, i.e. the one from 2009... It works."),
    ("en", "He said, \"Go now,\" and left; she said \"no\"."),
    ("en", "The rows (A, B and C) were 1.5 m apart."),
    ("en", "Chen Qingyang (陈清扬) said she'd come."),
    ("zh", "接入了WeChat小程序，版本3.5，.NET框架。"),
    ("zh", "他说：“走吧。”"),
    ("zh", "第3.2节讲了COBE卫星。"),
]


@pytest.mark.parametrize("rule, lang, text, expected", FIXES)
def test_rule_fixes(rule, lang, text, expected):
    result = normalize(text, lang)
    assert result.text == expected
    assert rule in result.rules


@pytest.mark.parametrize("lang, text", SURVIVES)
def test_must_survive(lang, text):
    result = normalize(text, lang)
    assert result.text == text
    assert result.rules == ()


def test_chinese_rules_do_not_touch_english_and_back():
    assert normalize("Is it profitable?Yes,it is.", "zh").text == "Is it profitable?Yes,it is."
    assert normalize("总书记。“一带一路”", "en").text != "总书记。“一带一路”"  # English rules do apply to en
    assert normalize("“一带一路”，重庆。", "zh").text == "“一带一路”，重庆。"


def test_document_quote_style_overrides_the_segment():
    assert normalize("He said “yes”.", "en", quote_style="straight").text == 'He said "yes".'
    assert normalize('He said "yes".', "en", quote_style="curly").text == "He said “yes”."
    assert normalize('He said "yes".', "en").text == 'He said "yes".'


def test_disabled_rule_is_skipped():
    cfg = TextConfig(disabled_rules=("halfwidth-punct-zh",))
    assert normalize("优势?效益", "zh", cfg).text == "优势?效益"


def test_registry_is_complete_and_ordered():
    names = [name for name, _, _ in rules_table()]
    assert names == list(RULE_NAMES) and len(set(names)) == len(names)
    assert all(lang in ("zh", "en", "any") for _, lang, _ in rules_table())
    # the spaced-quote repairs run before anything changes the quote style
    assert names.index("spaced-curly-quotes") < names.index("quote-style")
    assert names.index("space-before-closing-quote") < names.index("quote-style")
    assert names.index("cjk-punct-in-english") < names.index("space-before-punct")
    # spaced pairs are repaired before single spaced closing quotes are glued
    assert names.index("spaced-straight-quotes") < names.index("space-before-closing-quote")
    # "。。。"/". . ." become an ellipsis before a lone "." after Chinese becomes "。"
    assert names.index("ellipsis-zh") < names.index("full-stop-zh")


# ---------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(
    list("abcXYZ019 .,;:!?\"'’‘“”…&()\n\t") + list("中文重庆发展。，、？！：；（）") + ["HELIP", "hellip;", "&amp;", "\u200b", "& MDASH", "&#8230", "&amp;amp;", ". . .", "。。。", " \" ", "\u3000", "Ｒ"]
)
_TEXT = st.lists(_ALPHABET, max_size=40).map("".join)
_LETTER_RULES = {r.name for r in RULES if r.changes_letters}


def _letters(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["zh", "en", "other"]), st.sampled_from([None, "straight", "curly"]))
def test_normalising_twice_is_normalising_once(text, lang, style):
    once = normalize(text, lang, quote_style=style).text
    assert normalize(once, lang, quote_style=style).text == once


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.sampled_from(["zh", "en"]))
def test_letters_change_only_through_letter_rules(text, lang):
    result = normalize(text, lang)
    if not set(result.rules) & _LETTER_RULES:
        assert _letters(result.text) == _letters(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["zh", "en", "other"]))
def test_never_raises_and_idempotent_on_arbitrary_text(text, lang):
    once = normalize(text, lang).text
    assert normalize(once, lang).text == once


_CLEAN_EN = st.lists(
    st.sampled_from(["The", "road", "is", "long", "China’s", "R&D", "18,000", "10:30", "8.82", '"urban brain"', "AT&T"]),
    min_size=1,
    max_size=12,
).map(lambda words: " ".join(words) + ".")
_CLEAN_ZH = st.lists(
    st.sampled_from(["重庆", "发展", "“一带一路”", "，", "、", "18,000", "COBE卫星", "（西部）", "3K眼镜"]),
    min_size=1,
    max_size=12,
).map(lambda parts: "".join(parts) + "。")


@settings(max_examples=200, deadline=None)
@given(_CLEAN_EN)
def test_clean_english_unchanged(text):
    assert normalize(text, "en").text == text


@settings(max_examples=200, deadline=None)
@given(_CLEAN_ZH)
def test_clean_chinese_unchanged(text):
    assert normalize(text, "zh").text == text


# --- grapheme clusters survive normalisation ----------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

EMOJI_SEQUENCES = ["👨\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "👩🏽\u200d💻", "❤\ufe0f\u200d🔥", "🧑\u200d🤝\u200d🧑"]
PIECES = st.sampled_from(EMOJI_SEQUENCES + ["家族", "在一起。", "The family", " is together.", " ", "\u200b", "，"])


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8), st.sampled_from(["zh", "en"]))
def test_no_rule_breaks_an_emoji_sequence(pieces, lang):
    from aligners.text.normalize import normalize

    text = "".join(pieces)
    out = normalize(text, lang).text
    for seq in EMOJI_SEQUENCES:
        assert out.count(seq) == text.count(seq), (text, out)


def test_a_joiner_outside_an_emoji_sequence_still_goes():
    from aligners.text.normalize import remove_invisible

    assert remove_invisible("中\u200d文 a\u200db 👍\u200d") == "中文 ab 👍"
