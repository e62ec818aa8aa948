"""Text of any origin in report.md renders as that text: no tag, link, emphasis or cell break."""
import pytest
from markdown_it import MarkdownIt

from aligners.pipeline import process_document
from aligners.report.escape import md_cell
from aligners.report.summary import build_report, render_markdown
from aligners.types import Decoded, Document

HOSTILE = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "[click](javascript:alert(1))",
           "**bold** _it_ `code` ~~gone~~", "a | b", "![x](http://127.0.0.1/x.png)", "&lt;b&gt; kept as typed",
           "back\\slash", "<http://127.0.0.1/auto>"]

RENDER = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")


def plain(html: str) -> str:
    """What a reader sees: the HTML's text with entities decoded."""
    import html as h
    import re

    return h.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_renders_as_the_literal_text_and_nothing_else(text):
    html = RENDER.render(f"| a |\n|---|\n| {md_cell(text)} |\n")
    assert html.count("<td>") == 1
    for tag in ("<img", "<script", "<a ", "<strong", "<em", "<code", "<s>", "<del"):
        assert tag not in html
    assert plain(html).strip().endswith(text)


def test_a_hostile_file_name_and_text_are_escaped_in_report_md():
    name = "<img src=x onerror=alert(1)>.txt"
    text = "一句话。<script>alert(1)</script> **A sentence** [x](javascript:alert(1)).\n"
    result = process_document(Document(name[:-4], "mixed", (Decoded(name, text, "utf-8"),)))
    md = render_markdown(build_report([result], [], timings={}))
    html = RENDER.render(md)
    for tag in ("<img", "<script", "<a ", "<strong"):
        assert tag not in html
    assert name[:-4] in plain(html)  # the doc_id, shown as it is
