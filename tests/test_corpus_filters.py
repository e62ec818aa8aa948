"""Pair filters, numbers and the canonical form: tables of input -> (score, decision)."""
import pytest

from aligners.config import Config, ConfigurationError, FilterConfig
from aligners.corpus.canonical import canonical_form, pair_key
from aligners.corpus.filters import Length, LengthRatio, NonLetters, NumberMismatch, Untranslated, build_filters
from aligners.corpus.numbers import chinese_numeral, unmatched_numbers


@pytest.mark.parametrize("a, b", [
    ("He said “Yes”.", 'he said "yes".'),
    ("ＡＢＣ　１２３，", "abc 123,"),
    ("你 好 。", "你好."),
    ("Wait … what—no", "wait...what-no"),
    ("  many   spaces ", "many spaces"),
])
def test_canonical_form_folds_variants(a, b):
    assert canonical_form(a) == canonical_form(b)


@pytest.mark.parametrize("a, b", [
    ("He has 3 apples.", "He has 4 apples."),
    ("他来了。", "她来了。"),
    ("a b", "ab"),  # a space between two words is kept
])
def test_canonical_form_keeps_what_differs(a, b):
    assert canonical_form(a) != canonical_form(b)


def test_pair_key_keeps_the_sides_apart():
    assert pair_key("ab", "c") != pair_key("a", "bc")
    assert pair_key("你好。", "Hello.") == pair_key("你好.", "hello.")


@pytest.mark.parametrize("run, value", [("三", 3), ("十五", 15), ("三十五", 35), ("二〇〇七", 2007),
                                        ("五十万", 500_000), ("一百零五", 105), ("两千", 2000)])
def test_chinese_numerals(run, value):
    assert chinese_numeral(run) == value


@pytest.mark.parametrize("zh, en, missing, total", [
    ("他今年35岁。", "He is 35.", 0, 2),
    ("他今年35岁。", "He is thirty-five.", 0, 1),
    ("我们在2007年见过面。", "We met in 2007.", 0, 2),
    ("超过 2000万人收看。", "More than 20 million watched.", 0, 2),
    ("凌晨 4:40 进入市场。", "at 4.40 am", 0, 2),
    ("58%的选民", "Fifty-eight percent of voters", 0, 1),
    ("在 20 世纪 30 年代", "in the 1930s", 0, 3),
    ("3月5日", "on March 5", 0, 3),
    ("他有3个苹果。", "He has 4 apples.", 2, 2),
    ("价值1100万英镑", "worth £12 million", 2, 2),
    ("没有数字。", "No numbers.", 0, 0),
])
def test_unmatched_numbers(zh, en, missing, total):
    assert unmatched_numbers(zh, en) == (missing, total)


@pytest.mark.parametrize("f, zh, en, accepted", [
    (Untranslated(), "他来了。", "He came.", True),
    (Untranslated(), "He came.", "He came.", False),  # a copy
    (Untranslated(), "他来了。", "他来了。", False),
    (Untranslated(), "iPhone 15 Pro", "iPhone 15 Pro launched", False),  # Chinese side without Han
    (Untranslated(), "iPhone 15 发布", "iPhone 15 launched", True),
    (NumberMismatch(), "他有3个苹果。", "He has 4 apples.", False),
    (NumberMismatch(), "他有3个苹果。", "He has three apples.", True),
    (NonLetters(), "“嗯？”", '"Hm?"', True),  # dialogue marks do not count
    (NonLetters(), "1990-2000", "1990-2000", False),
    (NonLetters(), "第3章", "Chapter 3", True),
    (Length(), "。", "Yes.", False),
    (Length(min_chars=1, max_zh_chars=5, max_en_chars=100), "这一句太长了一点", "Too long.", False),
    (Length(), "是。", "Yes.", True),
])
def test_filter_decisions(f, zh, en, accepted):
    assert f.accept(f.score(zh, en)) is accepted


def test_the_copy_check_skips_only_pairs_whose_canonical_forms_differ():
    import unicodedata

    from aligners.corpus.filters import _BELOW_CJK, could_be_copy

    def han_in_folded(c):
        return any("\u4e00" <= x <= "\u9fff" for x in unicodedata.normalize("NFKC", c).casefold())

    # what could_be_copy relies on, over every code point concerned
    assert not any(han_in_folded(chr(c)) for c in range(ord(_BELOW_CJK)))
    assert all(canonical_form(chr(c)) == chr(c) for c in range(0x4E00, 0xA000))
    assert han_in_folded("\u2f00") and han_in_folded("\uf900")  # radicals and compatibility forms do fold to Han
    assert not could_be_copy("他来了。", "He came.")
    assert could_be_copy("他来了。", "他来了。") and could_be_copy("iPhone", "iPhone")
    assert could_be_copy("一", "\u2f00") and canonical_form("一") == canonical_form("\u2f00")  # ⼀ (Kangxi radical one)
    assert Untranslated().score("一", "\u2f00") == 1.0


def test_length_ratio_fits_on_the_corpus_and_rejects_outliers():
    # 60 pairs with English three times as long as Chinese, give or take
    pairs = [("中" * n, "e" * (3 * n + (k % 5) - 2)) for k, n in enumerate(range(10, 70))]
    f = LengthRatio().fit(pairs)
    assert f.fitted_on == 60 and 2.9 < f.ratio < 3.1
    assert all(f.accept(f.score(zh, en)) for zh, en in pairs)
    assert not f.accept(f.score("中" * 40, "e" * 20))  # English far too short
    assert not f.accept(f.score("中" * 5, "e" * 200))  # English far too long
    assert f.score("中" * 5, "e" * 200) > 0 > f.score("中" * 40, "e" * 20)


def test_length_ratio_uses_the_prior_on_small_corpora():
    f = LengthRatio(prior_ratio=3.0, prior_variance=6.0).fit([("中文", "Chinese")])
    assert (f.ratio, f.variance, f.fitted_on) == (3.0, 6.0, 0)


def test_build_filters_switches_and_checks():
    names = [f.name for f in build_filters(FilterConfig(disabled=("number_mismatch",)))]
    assert "number_mismatch" not in names and "length_ratio" in names
    with pytest.raises(ConfigurationError, match="disabled"):
        Config.from_dict({"filter": {"disabled": ["no_such_filter"]}})
    with pytest.raises(ConfigurationError, match="untranslated_max"):
        Config.from_dict({"filter": {"untranslated_max": 2.0}})
    with pytest.raises(ConfigurationError, match="formats"):
        Config.from_dict({"output": {"formats": ["docx"]}})
    assert Config.from_dict({"output": {"formats": ["tmx", "moses"]}}).output.formats == ("tmx", "moses")


def test_character_counts_follow_unicode_categories():
    # the filters count with str methods; they must agree with the categories they are defined by
    import sys
    import unicodedata

    chars = [chr(c) for c in range(sys.maxunicode + 1)]
    major = [cat[0] for cat in map(unicodedata.category, chars)]
    assert list(map(str.isalnum, chars)) == [m in "LN" for m in major]
    assert list(map(str.isalpha, chars)) == [m == "L" for m in major]
    assert max(ord(ch) for ch in chars if ch.isspace()) == 0x3000


@pytest.mark.parametrize("text, letters_digits, share", [
    ("Chapter XII: ２ dogs", 15, 1 / 15),  # ':' is a dialogue mark, '２' a digit
    ("第Ⅻ章①", 4, 0.5),  # Roman numeral Ⅻ (Nl) and ① (No) count as digits, not letters
    ("“嗯？”\u3000\u00a0 ", 1, 0.0),  # marks and every kind of space left out
    ("$ 100 %", 3, 1.0),
    ("", 0, 0.0),
])
def test_content_chars_and_non_letter_share(text, letters_digits, share):
    from aligners.corpus.filters import content_chars, non_letter_share

    assert content_chars(text) == letters_digits
    assert non_letter_share(text) == pytest.approx(share)
