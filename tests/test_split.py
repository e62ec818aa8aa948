"""Paragraph, line and sentence spans."""
import pytest

from aligners.text.split import split_lines, split_paragraphs, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def paragraphs(text: str) -> list[str]:
    return [text[s:e] for s, e in split_paragraphs(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("格局决定思路。重庆是缩影！真的吗？", ["格局决定思路。", "重庆是缩影！", "真的吗？"]),
        ("“这条通道有哪些成本优势？”“沿途还有什么障碍？”现场，总书记问得细致。",
         ["“这条通道有哪些成本优势？”", "“沿途还有什么障碍？”", "现场，总书记问得细致。"]),
        ("他走了……第二天又来了。", ["他走了……", "第二天又来了。"]),
        ("“我…… 我记不起了。”他说。", ["“我…… 我记不起了。”", "他说。"]),
        ("优势?效益如何?好。", ["优势?", "效益如何?", "好。"]),
        ("那男孩道：“呸，你不会摔交。 ”韦小宝道：“谁说不会？”",
         ["那男孩道：“呸，你不会摔交。 ”", "韦小宝道：“谁说不会？”"]),
        ("增长了3.5%。共18,000公里。", ["增长了3.5%。", "共18,000公里。"]),
        # an interrupted utterance (dash + closing quote) ends the sentence
        ("她问：“你到底想——”话没说完，门开了。", ["她问：“你到底想——”", "话没说完，门开了。"]),
        ("“砰——砰——”“快开门——”门外有人喊。", ["“砰——砰——”", "“快开门——”", "门外有人喊。"]),
        ("“你——”，他顿了顿。", ["“你——”，他顿了顿。"]),
        # a pause after a comma, and a stammer, stay inside the sentence
        ("他说：“君子一言，…… 驷马难追。”", ["他说：“君子一言，…… 驷马难追。”"]),
        ("“我……我忘了带钥匙。”", ["“我……我忘了带钥匙。”"]),
        # a section number opening a sentence is no full stop
        ("第一部分到此为止。3.新的开始", ["第一部分到此为止。", "3.新的开始"]),
    ],
)
def test_chinese(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("J. K. Rowling wrote it. It sold.", ["J. K. Rowling wrote it.", "It sold."]),
        ("He moved to the U.S. in 1990. Then he left.", ["He moved to the U.S. in 1990.", "Then he left."]),
        ("He lives in the U.S. He likes it.", ["He lives in the U.S.", "He likes it."]),
        ("Use e.g. apples. Or pears.", ["Use e.g. apples.", "Or pears."]),
        ("Exports reached 8.82 billion yuan. Good.", ["Exports reached 8.82 billion yuan.", "Good."]),
        ('"Go!" she said. "Now?" He nodded.', ['"Go!" she said.', '"Now?"', "He nodded."]),
        ('in the modernization drive! " Then', ['in the modernization drive! "', "Then"]),
        ('a happier life. " General Secretary said, "One thing."', ['a happier life. "', 'General Secretary said, "One thing."']),
        ("I thought... Maybe not. Wait… what?", ["I thought...", "Maybe not.", "Wait… what?"]),
        ("It was I. Then came .NET and 10:30.", ["It was I.", "Then came .NET and 10:30."]),
        ("Drive on!\"以开放促开发。", ['Drive on!"', "以开放促开发。"]),
        ("'But I—' 'You what?' he snapped.", ["'But I—'", "'You what?' he snapped."]),
        ('"Wait—" he said. "Stop—" She ran.', ['"Wait—" he said.', '"Stop—"', "She ran."]),
        ("'Well, I... I can't remember.'", ["'Well, I... I can't remember.'"]),
        ("It was cold... Cold and dark.", ["It was cold...", "Cold and dark."]),
        ('"Is it far?" "No. Since you ask, it is near."', ['"Is it far?"', '"No.', 'Since you ask, it is near."']),
        ("See No. 5 on the list. It is red.", ["See No. 5 on the list.", "It is red."]),
        ("In 1990. Then 2000.", ["In 1990.", "Then 2000."]),
        ("Aged 60. There are 12. 3 left.", ["Aged 60.", "There are 12.", "3 left."]),
    ],
)
def test_english(text, expected):
    assert sentences(text) == expected


def test_paragraphs_blank_lines_and_lines():
    assert paragraphs("  One.\n\n  Two.\n  Three.\n\n\n") == ["One.", "Two.\n  Three."]
    assert paragraphs("One.\nTwo.\n第三。") == ["One.", "Two.", "第三。"]
    assert paragraphs("a single long line with no break at all") == ["a single long line with no break at all"]
    assert paragraphs(" \n\t\n") == []


def test_lines_inside_a_paragraph():
    text = "A governance problem\nCars are walking through the streets, and there are rows of\ntall buildings."
    assert [text[s:e] for s, e in split_lines(text, 0, len(text))] == [
        "A governance problem",
        "Cars are walking through the streets, and there are rows of\ntall buildings.",
    ]
    zh = "大屏幕上的地图，以重庆为坐标\n点，绘就了大动脉。"
    assert [zh[s:e] for s, e in split_lines(zh, 0, len(zh))] == [zh]


def test_over_long_sentence_is_cut_at_spaces():
    text = "word " * 1000
    spans = split_sentences(text, max_chars=300)
    assert all(e - s <= 300 for s, e in spans)
    assert all(text[s - 1] == " " for s, _ in spans[1:])
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


def test_spans_cover_every_non_space_character():
    text = "  Mr. A. said: “Go.” 然后。。\n走了……  B?  "
    spans = split_sentences(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert all(s < e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
