"""Han-script text that is not Chinese (Japanese kana, Korean Hangul) is labelled "other", not zh."""
import pytest

from aligners.pipeline import process_document
from aligners.text.detect import sentence_language
from aligners.types import Decoded, Document


@pytest.mark.parametrize("text, side, lang", [
    ("今日は天気がいいですね。", "mixed", "other"),
    ("私は東京に住んでいます。", "zh", "other"),  # even in the Chinese file of a pair
    ("東京都知事選挙の結果が出た。", "zh", "other"),  # kanji-heavy, two kana
    ("한국어 漢字 문장입니다。", "mixed", "other"),
    ("我们去好吃の店。", "zh", "zh"),  # one kana in a Chinese sentence
    ("我过二十一岁生日以前，是一个童男子。", "zh", "zh"),
])
def test_language_of_han_script_sentences(text, side, lang):
    assert sentence_language(text, side=side) == lang


def test_a_japanese_file_paired_with_english_gives_no_pairs():
    ja = "今日は天気がいいですね。\n\n私は東京に住んでいます。\n"
    en = "The weather is nice today.\n\nI live in Tokyo.\n"
    result = process_document(Document("d", "pair", (Decoded("d.zh.txt", ja, "utf-8"), Decoded("d.en.txt", en, "utf-8"))))
    assert result.rows == ()
    assert {s.lang for s in result.segments if s.source == 0} == {"other"}
