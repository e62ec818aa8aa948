"""SRT and WebVTT subtitles: the cues' text joined into running text.

Left out, and counted: cue numbers and identifiers, timestamps (and cue
settings), the WEBVTT header, NOTE/STYLE/REGION blocks, and formatting tags
(``<i>``, ``<c.yellow>``, ``<v Speaker>``, inline timestamps, ``{\\an8}``). A cue's
lines are one line of text; cues are joined with a space, so a sentence that runs
over several cues becomes one again and the sentence splitter sees whole
sentences. Chinese subtitles often end a cue with no punctuation: the space kept
between two such cues marks the pause.
"""
from __future__ import annotations

import html

import regex

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.types import Decoded

from .common import Extract

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[,.]\d{1,3})?"
_TIMING = regex.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_TAG = regex.compile(r"<[^<>\n]*>|\{\\[^{}\n]*\}")
_VTT_BLOCKS = {"NOTE": "notes", "STYLE": "style sheets", "REGION": "regions"}


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    fmt = "WebVTT" if path.lower().endswith(".vtt") else "SRT"
    dec = decode_bytes(data, path, config)
    if dec.error:
        return Decoded(path, "", fmt, error=dec.error)
    out = extract(dec.text, fmt)
    out.encoding = dec.encoding
    out.notes = list(dec.notes) + out.notes
    return out.decoded(path, config)


def extract(text: str, fmt: str = "SRT") -> Extract:
    out = Extract(fmt)
    cues: list[str] = []
    blocks = regex.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        head = lines[0].strip()
        if head.startswith("WEBVTT"):
            out.remove("header blocks")
            continue
        first_word = head.split(" ", 1)[0]
        if fmt == "WebVTT" and first_word in _VTT_BLOCKS:
            out.remove(_VTT_BLOCKS[first_word])
            continue
        timing = next((i for i, line in enumerate(lines) if _TIMING.match(line)), None)
        if timing is None:  # text with no timing line: a cue broken by a blank line; keep it
            cues.append(_payload(lines, out))
            continue
        for line in lines[:timing]:
            out.remove("cue numbers" if line.strip().isdigit() else "cue identifiers")
        out.remove("timestamps")
        cues.append(_payload(lines[timing + 1:], out))
    out.add(" ".join(c for c in cues if c), cjk_join=False)
    return out


def _payload(lines: list[str], out: Extract) -> str:
    text = " ".join(line.strip() for line in lines)
    text, n = _TAG.subn("", text)
    out.remove("formatting tags", n)
    return html.unescape(text).strip()
