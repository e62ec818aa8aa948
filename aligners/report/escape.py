"""Text of any origin (file names, doc ids, document text, reasons) made inert in Markdown.

report.md is published as a Prefect artifact and read in Markdown viewers, which
pass raw HTML through: a file named ``<img src=x onerror=alert(1)>.txt`` must show as
that name, not run. ``md_cell`` turns ``& < >`` into entities (no tag, no autolink can
start) and backslash-escapes the characters that make emphasis, code, links, strike-
through and table cells (CommonMark lets any ASCII punctuation be escaped this way).
"""
from __future__ import annotations

import re

_MARKUP = re.compile(r"([\\`*_\[\]|~!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_cell(text) -> str:
    """``text`` as literal Markdown on one line (safe inside a table cell)."""
    text = re.sub(r"\s*[\r\n]+\s*", " ", str(text))
    text = "".join(_ENTITIES.get(ch, ch) for ch in text)
    return _MARKUP.sub(r"\\\1", text)
