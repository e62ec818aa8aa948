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
    """Line by line, so that a file missing the blank lines between cues still loses
    every number and timestamp: a timing line starts a cue, and the line right before
    it (after a blank line, or a number) is that cue's number or identifier."""
    out = Extract(fmt)
    cues: list[list[str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    skipping = False  # inside a WEBVTT header or a NOTE/STYLE/REGION block
    after_blank = True
    for line in lines:
        stripped = line.strip()
        if not stripped:
            skipping, after_blank = False, True
            continue
        word = stripped.split(" ", 1)[0]
        if after_blank and not cues and stripped.startswith("WEBVTT"):
            out.remove("header blocks")
            skipping = True
        elif after_blank and fmt == "WebVTT" and word in _VTT_BLOCKS:
            out.remove(_VTT_BLOCKS[word])
            skipping = True
        elif skipping:
            pass
        elif _TIMING.match(stripped):
            out.remove("timestamps")
            if cues and cues[-1] and (cues[-1][-1][1] or cues[-1][-1][0].isdigit()):
                number = cues[-1].pop()[0]
                out.remove("cue numbers" if number.isdigit() else "cue identifiers")
            cues.append([])
        elif cues:
            cues[-1].append((stripped, after_blank))
        else:  # text before the first timing line: a cue number, or stray text kept
            cues.append([(stripped, after_blank)])
        after_blank = False
    texts = [_payload([line for line, _ in cue], out) for cue in cues]
    out.add(" ".join(t for t in texts if t), cjk_join=False)
    return out


def _payload(lines: list[str], out: Extract) -> str:
    text = " ".join(line.strip() for line in lines)
    text, n = _TAG.subn("", text)
    out.remove("formatting tags", n)
    return html.unescape(text).strip()
