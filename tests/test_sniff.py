"""Markup saved as .txt is recognised: HTML and Markdown read by their readers, TMX/XML/JSON refused."""
import json
import os

import pytest

from aligners.io.readers import read_bytes
from aligners.io.sniff import sniff_format

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HTML = "<!DOCTYPE html><html><body><p>我们去了山上。</p><p>天气很好。</p></body></html>"
TMX = ('<?xml version="1.0"?><tmx version="1.4"><header/><body><tu><tuv xml:lang="zh"><seg>你好</seg></tuv>'
       '<tuv xml:lang="en"><seg>Hello</seg></tuv></tu></body></tmx>')
MD = "# 标题\n\n我们去了**山上**。\n\n- one\n- two\n\n[link](http://127.0.0.1/x)\n"
JSON = json.dumps([{"zh": "你好", "en": "Hello"}], ensure_ascii=False)


@pytest.mark.parametrize("text, fmt", [
    (HTML, ".html"), ("<p>一</p><p>二</p><p>三</p><div>四</div><br>", ".html"), (TMX, ".tmx"),
    ('<?xml version="1.0"?><doc>x</doc>', ".xml"), (JSON, ".json"), ('{"a": 1}', ".json"), (MD, ".md"),
    # prose stays prose
    ("我们去了山上。天气很好。", None), ("# a single heading-like line\nThen prose.", None),
    ("He typed <p> and nothing happened.", None), ("[1] A footnote, not JSON.", None),
    ("{Braces} in a sentence.", None), ("Use **bold** sparingly.", None),
])
def test_sniff(text, fmt):
    assert sniff_format(text) == fmt


def test_the_seed_documents_are_prose():
    seeds = os.path.join(ROOT, "seeds")
    names = [n for n in os.listdir(seeds) if n.endswith(".txt")]
    assert names
    for name in names:
        with open(os.path.join(seeds, name), encoding="utf-8", errors="replace") as fh:
            assert sniff_format(fh.read()) is None, name


def test_html_in_a_txt_file_is_read_as_html_and_says_so():
    dec = read_bytes(HTML.encode(), "page.txt")
    assert "<" not in dec.text and "我们去了山上。" in dec.text
    assert dec.notes[0] == "HTML content in a text file, read as HTML"


@pytest.mark.parametrize("text, reason", [(TMX, "TMX content"), (JSON, "JSON content")])
def test_tmx_and_json_in_a_txt_file_are_refused_with_a_reason(text, reason):
    dec = read_bytes(text.encode(), "x.txt")
    assert dec.text == "" and dec.error.startswith(reason)
