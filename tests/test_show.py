"""`bitextflow show`: pairs side by side, lone sentences in place, display-width layout."""
import pytest

from aligners.report.terminal import UnknownDocument, display_width, show_document, wrap
from aligners.io.tsv import write_tables
from aligners.types import BELOW_MIN_SCORE, NO_CHINESE, NO_COUNTERPART, OTHER_LANGUAGE, Decoded, DocumentResult, Row
from results import document, seg


def chapter() -> DocumentResult:
    """zh 0-3, en 4-8. Pairs: 0-4, 2-6 (0.75); zh1 alone; zh3+en7 scored 0.20; en5 alone; en8 dropped."""
    d = "ch1"
    segs = (
        seg(d, 0, "zh", "第一句。", bead=0, score=0.9),
        seg(d, 1, "zh", "没有译文的一句。", "unpaired", NO_COUNTERPART, bead=1, score=0.0),
        seg(d, 2, "zh", "第三句。", bead=3, score=0.75),
        seg(d, 3, "zh", "第四句。", "unpaired", BELOW_MIN_SCORE, bead=4, score=0.2),
        seg(d, 4, "en", "One.", source=1, bead=0, score=0.9),
        seg(d, 5, "en", "An added sentence.", "unpaired", NO_COUNTERPART, source=1,
            bead=2, score=0.0),
        seg(d, 6, "en", "Three.", source=1, bead=3, score=0.75),
        seg(d, 7, "en", "Four.", "unpaired", BELOW_MIN_SCORE, source=1, bead=4, score=0.2),
        seg(d, 8, "en", "Photo: Xinhua", "dropped", "boilerplate: photo credit", source=1),
    )
    rows = (Row(d, "第一句。", "One.", 0.9, (0,), (4,)), Row(d, "第三句。", "Three.", 0.75, (2,), (6,)))
    return document(d, "pair", (Decoded("a.zh.txt", "", "utf-8"), Decoded("a.en.txt", "", "utf-8")), segs, rows)


def rejected() -> DocumentResult:
    return document("broken", "pair", (Decoded("b.zh.txt", "", "", error="binary file (PDF)"),
                                        Decoded("b.en.txt", "", "utf-8")),
                    (seg("broken", 0, "en", "Only English.", "unpaired", NO_CHINESE, source=1),))


@pytest.fixture
def out(tmp_path):
    write_tables([chapter(), rejected()], str(tmp_path))
    return str(tmp_path)


def block_starts(text: str) -> list[str]:
    """The label column of every line that starts a block."""
    return [line[:6].strip() for line in text.splitlines()[3:] if line[:6].strip() and "─" not in line]


def test_widths():
    assert display_width("中文ab") == 6
    assert display_width("，。") == 4
    assert display_width("e\u0301") == 1  # combining accent takes no column


def test_wrap_by_display_width():
    text = "清晨六点，雾气还没有散开，李秀梅已经背着竹篓走进了茶园。"
    lines = wrap(text, 10)
    assert all(display_width(line) <= 10 for line in lines)
    assert "".join(lines) == text
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert wrap("the quick brown fox", 9) == ["the quick", "brown fox"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]  # a word wider than the column is cut


def test_order_labels_and_reasons(out):
    text = show_document(out, "ch1", width=80)
    assert text.splitlines()[0] == "ch1: 2 pairs, 4 unpaired, 1 dropped segments"
    # pair, lone zh1 and en5 before the second pair, pair, the rejected bead zh3+en7, dropped en8
    assert block_starts(text) == ["0.90", "unp", "unp", "0.75", "(0.20)", "drop"]
    lines = text.splitlines()
    zh_alone = next(line for line in lines if "没有译文的一句。" in line)
    assert zh_alone.split("│")[2].strip() == ""  # nothing on the English side of it
    rejected_bead = next(line for line in lines if line.startswith("(0.20)"))
    assert "第四句。" in rejected_bead and "Four." in rejected_bead
    wide = show_document(out, "ch1", width=160)
    assert "↳ no counterpart found by the aligner" in wide and "↳ boilerplate: photo credit" in wide


def test_mixed_document_in_reading_order(tmp_path):
    d = "mixed"
    segs = (seg(d, 0, "en", "Title.", "unpaired", NO_COUNTERPART),
            seg(d, 1, "zh", "第一段。", "unpaired", NO_COUNTERPART),
            seg(d, 2, "en", "First paragraph.", "unpaired", NO_COUNTERPART),
            seg(d, 3, "other", "Erster Absatz.", "unpaired", OTHER_LANGUAGE))
    write_tables([document(d, "mixed", (Decoded("m.txt", "", "utf-8"),), segs)], str(tmp_path))
    lines = show_document(str(tmp_path), d, width=80).splitlines()
    firsts = [l for l in lines if l.startswith("  unp")]
    assert ["Title." in firsts[0], "第一段。" in firsts[1], "First paragraph." in firsts[2]] == [True] * 3
    assert "[other] Erster Absatz." in firsts[3].split("│")[1]  # source 0: left column, tagged


def test_lines_fit_the_width(out):
    for width in (40, 80, 120):
        for line in show_document(out, "ch1", width=width).splitlines()[1:]:
            assert display_width(line) <= width, (width, line)


def test_columns_line_up_with_chinese(out):
    lines = [l for l in show_document(out, "ch1", width=60).splitlines()[1:] if "│" in l]
    positions = {display_width(l[: l.index("│", l.index("│") + 1)]) for l in lines}
    assert len(positions) == 1  # the second bar is in the same terminal column on every line


def test_rejected_file_is_shown(out):
    text = show_document(out, "broken", width=80)
    assert block_starts(text)[0] == "drop"
    assert "b.zh.txt" in text and "binary file (PDF)" in text
    assert "Only English." in text


def test_unknown_document_lists_known_ones(out):
    with pytest.raises(LookupError) as err:
        show_document(out, "nope")
    assert isinstance(err.value, UnknownDocument)
    assert "'nope'" in str(err.value) and "ch1" in str(err.value) and "broken" in str(err.value)


def test_missing_outputs(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus.tsv"):
        show_document(str(tmp_path), "ch1")
