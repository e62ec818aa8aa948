"""report.html: structure, escaping, bounded size, determinism; then the page in headless Chromium."""
import re
from html.parser import HTMLParser

import pytest

from aligners.config import Config
from aligners.report.summary import build_report
from aligners.report.html import diff_html, document_picture, render_html
from aligners.report.svg import PathBead, histogram_svg, path_svg, ribbon_values, skip_positions
from aligners.types import BELOW_MIN_SCORE, NO_COUNTERPART, Decoded, DocumentResult, Row
from results import document, seg

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quoted" \'single\''


def pair_doc() -> DocumentResult:
    """zh seg_ids 0-3, en seg_ids 4-8 (one dropped). Beads by hand:
    zh0-en4 paired 0.9; zh1,zh2-en5 paired 0.8; zh3-en6 scored 0.20 (below 0.3); en7 alone; en8 dropped."""
    d = "ch1"
    segs = (
        seg(d, 0, "zh", "第一句。", bead=0, score=0.9), seg(d, 1, "zh", "第二句，", bead=1, score=0.8),
        seg(d, 2, "zh", "第三句。", bead=1, score=0.8),
        seg(d, 3, "zh", "第四句。", "unpaired", BELOW_MIN_SCORE, bead=2, score=0.2),
        seg(d, 4, "en", "One.", source=1, bead=0, score=0.9), seg(d, 5, "en", "Two and three.", source=1, bead=1, score=0.8),
        seg(d, 6, "en", "Four.", "unpaired", BELOW_MIN_SCORE, source=1, bead=2, score=0.2),
        seg(d, 7, "en", "Extra.", "unpaired", NO_COUNTERPART, source=1, bead=3, score=0.0),
        seg(d, 8, "en", "Photo: X", "dropped", "boilerplate: photo credit", source=1),
    )
    rows = (Row(d, "第一句。", "One.", 0.9, (0,), (4,)), Row(d, "第二句，第三句。", "Two and three.", 0.8, (1, 2), (5,)))
    return document(d, "pair", (Decoded("ch1.zh.txt", "", "utf-8"), Decoded("ch1.en.txt", "", "utf-8")),
                    segs, rows)


def hostile_doc() -> DocumentResult:
    d = "evil" + HOSTILE
    segs = (
        seg(d, 0, "zh", "你好" + HOSTILE, rules=("halfwidth-punct-zh",), raw="你好," + HOSTILE, bead=0, score=0.7),
        seg(d, 1, "en", "Hello " + HOSTILE, source=1, bead=0, score=0.7),
        seg(d, 2, "en", HOSTILE, "unpaired", "no counterpart " + HOSTILE, source=1, bead=1, score=0.0),
    )
    rows = (Row(d, "你好" + HOSTILE, "Hello " + HOSTILE, 0.7, (0,), (1,)),)
    sources = (Decoded("evil.zh.txt", "", "utf-8"), Decoded("bad" + HOSTILE + ".en.txt", "", "", error="binary " + HOSTILE))
    return document(d, "pair", sources, segs, rows)


def page(results, min_score=0.3, skipped=()):
    report = build_report(results, skipped, Config())
    return render_html(report, results, min_score)


class _Skip:
    def __init__(self, path, reason):
        self.path, self.reason = path, reason


class TagChecker(HTMLParser):
    """Every element closed, in order (void elements excepted)."""

    VOID = {"meta", "br", "img", "input", "link", "hr", "path", "line", "rect"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def test_picture_data_from_rows_and_reasons():
    pic = document_picture(pair_doc())
    assert (pic.n_zh, pic.n_en) == (4, 5)
    assert set(pic.beads) == {PathBead((0,), (0,), 0.9, True), PathBead((1, 2), (1,), 0.8, True),
                              PathBead((3,), (2,), 0.2, False)}
    assert pic.unpaired_en == (3,) and pic.unpaired_zh == ()
    assert pic.dropped_en == (4,) and pic.dropped_zh == ()


def test_ribbon_follows_the_chinese_text():
    assert ribbon_values(document_picture(pair_doc())) == [0.9, 0.8, 0.8, 0.2]
    res = chapter_with_gap()
    assert ribbon_values(document_picture(res)) == [0.9, -1.0, None, 0.7]


def chapter_with_gap() -> DocumentResult:
    d = "gap"
    segs = (seg(d, 0, "zh", "一。", bead=0, score=0.9),
            seg(d, 1, "zh", "二。", "unpaired", NO_COUNTERPART, bead=1, score=0.0),
            seg(d, 2, "zh", "图。", "dropped", "boilerplate: photo credit"), seg(d, 3, "zh", "三。", bead=2, score=0.7),
            seg(d, 4, "en", "One.", source=1, bead=0, score=0.9), seg(d, 5, "en", "Three.", source=1, bead=2, score=0.7))
    rows = (Row(d, "一。", "One.", 0.9, (0,), (4,)), Row(d, "三。", "Three.", 0.7, (3,), (5,)))
    return document(d, "pair", (Decoded("a", "", "utf-8"), Decoded("b", "", "utf-8")), segs, rows)


def test_skipped_sentence_sits_where_the_path_stands():
    beads = [PathBead((0,), (0, 1), 0.9, True), PathBead((2,), (2,), 0.9, True)]
    # zh 1 comes after the bead ending at en 2 (exclusive end); zh 3 after the one ending at en 3
    assert skip_positions(beads, (1, 3), "zh") == [(1, 2), (3, 3)]
    # en 5, after the last bead: at zh 3; en 0 before any bead: at 0
    assert skip_positions(beads, (5,), "en") == [(5, 3)]
    assert skip_positions([PathBead((1,), (1,), 1.0, True)], (0,), "en") == [(0, 0)]


def test_structure_one_svg_per_document_and_threshold():
    results = [pair_doc(), hostile_doc()]
    html = page(results, skipped=[_Skip("notes.pdf", "not a .txt file")])
    checker = TagChecker()
    checker.feed(html)
    assert checker.errors == [] and checker.stack == []
    assert html.count('<svg class="path"') == 2
    assert html.count('<svg class="hist"') == 1
    assert re.search(r'<line class="threshold" x1="([\d.]+)"', html).group(1) == "212"  # 44 + 0.3 * 560
    assert "min_score 0.30" in html
    assert "notes.pdf" in html and "not a .txt file" in html  # skipped input listed
    assert 'href="#doc-0"' in html and 'id="doc-0"' in html and 'id="doc-1"' in html


def test_input_text_never_becomes_markup():
    html = page([hostile_doc()])
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;" in html
    checker = TagChecker()
    checker.feed(html)
    assert "script" not in checker.tags and "img" not in checker.tags
    assert "default-src 'none'" in html  # and the page forbids scripts and fetches anyway


def test_no_urls_and_deterministic():
    results = [pair_doc(), hostile_doc()]
    html = page(results)
    assert not re.search(r"https?://", html)
    assert html == page([pair_doc(), hostile_doc()])


def test_thousands_of_beads_stay_small():
    n = 5000
    d = "long"
    segs = (tuple(seg(d, i, "zh", "句。", bead=i, score=(i % 100) / 100) for i in range(n))
            + tuple(seg(d, n + i, "en", "S.", source=1, bead=i, score=(i % 100) / 100) for i in range(n)))
    rows = tuple(Row(d, "句。", "S.", (i % 100) / 100, (i,), (n + i,)) for i in range(n))
    res = document(d, "pair", (Decoded("a", "", "utf-8"), Decoded("b", "", "utf-8")), segs, rows)
    assert len(document_picture(res).beads) == n
    svg = path_svg(document_picture(res), size=480)
    assert len(svg) < 40_000, len(svg)
    assert len(page([res]).encode()) < 300_000


def test_many_documents_stay_bounded():
    from aligners.report import html as report_html

    results = []
    for k in range(report_html.MAX_PICTURES + 50):
        d = f"d{k:04d}"
        status = "paired" if k < 50 else "unpaired"  # the first 50 have nothing unpaired: not pictured
        segs = tuple(seg(d, i, "zh", "长句子" * 100, status, NO_COUNTERPART) for i in range(40))
        segs += (seg(d, 40, "en", "Alone.", status, NO_COUNTERPART, source=1),)
        results.append(document(d, "pair", (Decoded("a", "", "utf-8"), Decoded("b", "", "utf-8")), segs))
    html = page(results)
    assert html.count('<svg class="path"') == report_html.MAX_PICTURES
    assert 'id="doc-49"' not in html and 'href="#doc-49"' not in html
    assert 'id="doc-50"' in html and 'href="#doc-50"' in html
    assert html.count('<tr><td class="n">') <= report_html.MAX_LISTED_TOTAL
    assert len(html.encode()) < 1_500_000, len(html.encode())


def test_histogram_bars_and_threshold():
    svg = histogram_svg([0.05, 0.07, 0.95], threshold=0.5, bins=10, width=500, height=100)
    bars = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    assert len(bars) == 2
    assert [float(b[3]) for b in bars] == [100.0, 50.0]  # two scores in bin 0, one in bin 9
    assert float(bars[1][0]) == 44 + 9 * 50 + 1
    assert re.search(r'<line class="threshold" x1="294"', svg)  # 44 + 0.5 * 500


def test_rule_example_diff_marks_changes():
    before, after = diff_html("以开放促开发,是<b>", "以开放促开发，是<b>")
    assert before == "以开放促开发<del>,</del>是&lt;b&gt;"
    assert after == "以开放促开发<ins>，</ins>是&lt;b&gt;"
    long_b, _ = diff_html("a" * 200 + "x" + "b" * 200, "a" * 200 + "y" + "b" * 200, context=10)
    assert long_b == "…" + "a" * 10 + "<del>x</del>" + "b" * 10 + "…"


# --- in a real browser --------------------------------------------------------------

def _chromium():
    from headless import find_chromium  # websockets comes with prefect: no skip for it

    path = find_chromium()
    if not path:
        pytest.skip("chromium not installed (apt-get install chromium)")
    return path


def test_report_in_headless_chromium(tmp_path):
    from headless import check_page

    chromium = _chromium()
    results = [pair_doc(), hostile_doc()]
    path = tmp_path / "report.html"
    path.write_text(page(results), encoding="utf-8")
    shot = tmp_path / "report.png"
    check = check_page(str(path), str(shot), width=1000, chromium=chromium)
    assert check.console_errors == []
    assert check.requests == [path.resolve().as_uri()]  # the file itself, nothing else
    assert check.title == "bitextflow run report"
    assert check.svg_count == 3  # two paths, one histogram
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_browser_check_sees_errors_and_fetches(tmp_path):
    """The check above can fail: a page that logs an error and fetches a URL is caught."""
    from headless import check_page

    chromium = _chromium()
    path = tmp_path / "bad.html"
    path.write_text('<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png">'
                    '<script>console.error("boom")</script>', encoding="utf-8")
    check = check_page(str(path), chromium=chromium)
    assert any("boom" in e for e in check.console_errors)
    assert "http://127.0.0.1:9/x.png" in check.requests
