"""Existing bitexts: TMX translation memories and two-column TSV files.

Their pairs are kept as pairs: pair k becomes paragraph k of a Chinese and of an
English source, so the pipeline cleans, checks and re-scores each pair and never
re-aligns across pairs (``aligners.align.given``). Left out, and counted:
translation units without both a Chinese and an English segment (or with an empty
one), TMX inline codes (``bpt``/``ept``/``ph``/``it``: native markup), a TSV header
line and TSV lines without exactly two columns.
"""
from __future__ import annotations

import regex

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.types import Decoded

from .common import Extract, ReadError, parse_xml

_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
_HAN = regex.compile(r"\p{Han}")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig(), tsv: bool = False) -> tuple[Decoded, Decoded]:
    fmt = "TSV" if tsv else "TMX"
    if len(data) > config.max_bytes:
        return _failed(path, fmt, f"file too large ({len(data):,} bytes > limit {config.max_bytes:,})")
    try:
        pairs, out = (_tsv(data, path, config) if tsv else _tmx(data))
    except ReadError as exc:
        return _failed(path, fmt, str(exc))
    if not pairs:
        return _failed(path, fmt, f"no Chinese-English pairs in the {fmt} file")
    out.notes.append(f"{len(pairs):,} pairs read from the {fmt} file (kept as pairs, not re-aligned)")
    zh = Extract(fmt, [p[0] for p in pairs], out.removed, out.notes, out.encoding)
    en = Extract(fmt, [p[1] for p in pairs])
    return zh.decoded(f"{path} [zh]", config), en.decoded(f"{path} [en]", config)


def _failed(path: str, fmt: str, reason: str) -> tuple[Decoded, Decoded]:
    return Decoded(f"{path} [zh]", "", fmt, error=reason), Decoded(f"{path} [en]", "", fmt, error=reason)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tmx(data: bytes) -> tuple[list[tuple[str, str]], Extract]:
    root = parse_xml(data, "the TMX file")
    if _local(root) != "tmx":
        raise ReadError("not a TMX file (the root element is not <tmx>)")
    out = Extract("TMX")
    pairs = []
    for tu in root.iter("{*}tu", "tu"):
        sides: dict[str, str] = {}
        for tuv in tu:
            if _local(tuv) != "tuv":
                continue
            lang = (tuv.get(_XML_LANG) or tuv.get("lang") or "").lower()
            seg = next((el for el in tuv if _local(el) == "seg"), None)
            key = "zh" if lang.startswith("zh") else "en" if lang.startswith("en") else ""
            if key and seg is not None and key not in sides:
                sides[key] = _one_line(_seg_text(seg, out))
        if sides.get("zh") and sides.get("en"):
            pairs.append((sides["zh"], sides["en"]))
        else:
            out.remove("units without both a Chinese and an English segment")
    return pairs, out


def _seg_text(seg, out: Extract) -> str:
    """A segment's text without its inline codes (their tails are text and stay)."""
    parts = [seg.text or ""]
    for el in seg:
        if _local(el) in _CODES:
            out.remove("inline codes")
        else:
            parts.append(_seg_text(el, out))
        parts.append(el.tail or "")
    return "".join(parts)


def _tsv(data: bytes, path: str, config: DecodeConfig) -> tuple[list[tuple[str, str]], Extract]:
    dec = decode_bytes(data, path, config)
    if dec.error:
        raise ReadError(dec.error)
    out = Extract("TSV", encoding=dec.encoding)
    rows = [line.split("\t") for line in dec.text.split("\n") if line.strip()]
    if not rows:
        raise ReadError("empty TSV file")
    zh_col, en_col = 0, 1
    header = [cell.strip().lower() for cell in rows[0]]
    if "zh" in header and "en" in header:
        zh_col, en_col = header.index("zh"), header.index("en")
        rows = rows[1:]
        out.remove("header lines")
        width = len(header)
    else:
        width = 2
    pairs, bad, empty = [], 0, 0
    for cells in rows:
        if len(cells) != width:
            bad += 1
            continue
        zh, en = _one_line(cells[zh_col]), _one_line(cells[en_col])
        if zh and en:
            pairs.append((zh, en))
        else:
            empty += 1
    if width == 2 and pairs and _han_share([p[1] for p in pairs]) > _han_share([p[0] for p in pairs]):
        pairs = [(b, a) for a, b in pairs]  # the Chinese column is the second one
        out.notes.append("Chinese found in the second column")
    out.remove("lines without exactly two columns" if width == 2 else f"lines without {width} columns", bad)
    out.remove("pairs with an empty side", empty)
    return pairs, out


def _han_share(texts: list[str]) -> float:
    sample = "".join(texts[:500])
    return len(_HAN.findall(sample)) / max(len(sample), 1)


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
