"""Markdown: paragraphs, headings, list items and quotes as paragraphs, markup removed.

Parsed with markdown-it-py (CommonMark plus tables). Left out, and counted: code
blocks (fenced and indented), tables, raw HTML, images, link targets (the link
text stays), link definitions, bare URLs, YAML front matter and horizontal rules. Inline code stays:
it is part of its sentence.
"""
from __future__ import annotations

import regex

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.types import Decoded

from .common import Extract

_FRONT_MATTER = regex.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", regex.DOTALL)
_SKIPPED_BLOCKS = {"fence": "code blocks", "code_block": "code blocks", "html_block": "HTML blocks",
                   "hr": "horizontal rules"}


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    dec = decode_bytes(data, path, config)
    if dec.error:
        return Decoded(path, "", "Markdown", error=dec.error)
    out = extract(dec.text)
    out.encoding = dec.encoding
    out.notes = list(dec.notes) + out.notes
    return out.decoded(path, config)


def extract(text: str) -> Extract:
    from markdown_it import MarkdownIt

    out = Extract("Markdown")
    m = _FRONT_MATTER.match(text)
    if m:
        out.remove("front matter blocks")
        text = text[m.end():]
    env: dict = {}
    tokens = MarkdownIt("commonmark").enable("table").parse(text, env)
    out.remove("link definitions", len(env.get("references", {})))  # "[1]: https://..." lines
    in_table = 0
    for tok in tokens:
        if tok.type == "table_open":
            in_table += 1
            if in_table == 1:
                out.remove("tables")
        elif tok.type == "table_close":
            in_table -= 1
        elif in_table:
            continue
        elif tok.type in _SKIPPED_BLOCKS:
            out.remove(_SKIPPED_BLOCKS[tok.type])
        elif tok.type == "inline":
            out.add(_inline(tok.children or [], out))
    return out


def _inline(children, out: Extract) -> str:
    parts: list[str] = []
    href = None
    link_text: list[str] = []
    for tok in children:
        kind = tok.type
        if kind == "link_open":
            href = str(tok.attrGet("href") or "")
            link_text = []
            continue
        if kind == "link_close":
            shown = "".join(link_text)
            if shown.strip() == href or not shown.strip():
                out.remove("bare links")  # an autolink's text is its target
            else:
                out.remove("link targets")
                parts.append(shown)
            href = None
            continue
        if kind in ("text", "code_inline"):
            piece = tok.content
        elif kind == "softbreak":
            piece = " "
        elif kind == "hardbreak":
            piece = "\n"
        elif kind == "image":
            out.remove("images")
            continue
        elif kind == "html_inline":
            out.remove("inline HTML tags")
            continue
        else:  # strong/em/s open and close: markup only
            continue
        (link_text if href is not None else parts).append(piece)
    return "".join(parts)
