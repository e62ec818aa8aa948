"""Script-run detection, folding, cuts, and the not-English check."""
import pytest

from aligners.config import TextConfig
from aligners.text.detect import detect_spans, looks_not_english, script_language


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.lang) for s in detect_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("COBE卫星发现了3K眼镜。", [("COBE卫星发现了3K眼镜。", "zh")]),
        ("他买了iPhone。", [("他买了iPhone。", "zh")]),
        ("在 New York 工作", [("在 New York 工作", "zh")]),
        ("A governance problem", [("A governance problem", "en")]),
        ("重庆是缩影。Chongqing is a miniature.", [("重庆是缩影。", "zh"), ("Chongqing is a miniature.", "en")]),
        ("drive!\"以开放促开发。", [("drive!\"", "en"), ("以开放促开发。", "zh")]),
        ("扭住他双臂。Got it?", [("扭住他双臂。", "zh"), ("Got it?", "en")]),
        ("“重庆。” \"From Chongqing", [("“重庆。”", "zh"), ("\"From Chongqing", "en")]),
        ("在 Three New Samples 里", [("在", "zh"), ("Three New Samples", "en"), ("里", "zh")]),
        # a short bracketed/quoted Han gloss inside English stays English
        ("Chen Qingyang (陈清扬) said so.", [("Chen Qingyang (陈清扬) said so.", "en")]),
        ("Li Bai （李白） wrote it.", [("Li Bai （李白） wrote it.", "en")]),
        ("They call it “关系”.", [("They call it “关系”.", "en")]),
        ("The name ‘清扬’ means clear.", [("The name ‘清扬’ means clear.", "en")]),
        # ... but not after a sentence end, not unclosed, not long, not in Chinese
        ("He left.“对”", [("He left.", "en"), ("“对”", "zh")]),
        ("He said (陈清扬) 你好", [("He said", "en"), ("(陈清扬) 你好", "zh")]),
        ("He said 陈清扬 came.", [("He said", "en"), ("陈清扬", "zh"), ("came.", "en")]),
        ("It is (中华人民共和国国务院办公厅) here.", [("It is", "en"), ("(中华人民共和国国务院办公厅)", "zh"), ("here.", "en")]),
        ("在 New York (纽约) 工作", [("在 New York (纽约) 工作", "zh")]),
        ("2024", [("2024", "")]),
        ("Москва is big", [("Москва is big", "en")]),
        ("", []),
    ],
)
def test_detect_spans(text, expected):
    assert spans(text) == expected


def test_fold_setting():
    text = "在 Three New Samples 里"
    assert [s.lang for s in detect_spans(text, config=TextConfig(fold_latin_words=3))] == ["zh"]


def test_gloss_setting():
    text = "Chen Qingyang (陈清扬) said so."
    assert [s.lang for s in detect_spans(text, config=TextConfig(fold_han_chars=0))] == ["en", "zh", "en"]
    assert [s.lang for s in detect_spans(text, config=TextConfig(fold_han_chars=2))] == ["en", "zh", "en"]


def test_script_language():
    assert script_language("重庆是西部的一个缩影 Chongqing") == "zh"
    assert script_language("The Chongqing station 站") == "en"
    assert script_language("2024 …") == ""


@pytest.mark.parametrize("checker", ["pycld2", "langdetect"])
def test_not_english_check(checker):
    cfg = TextConfig(language_checker=checker)
    assert looks_not_english("Die Entwicklung der westlichen Region ist ein Jahrhundertprojekt.", cfg) == "de"
    assert looks_not_english("The development of the western region is a century project.", cfg) is None
    assert looks_not_english("Die Region ist", cfg) is None  # too short to check
