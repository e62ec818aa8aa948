"""Chinese side: word segmentation (wordseg.py), numerals and pinyin of names.

Nothing heavy happens at import time: the segmenter's tables are read from their
cache file on the first call to ``segment`` or ``segment_many`` and kept for the
process.
"""
from __future__ import annotations

import re
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]+|[0-9０-９]+(?:[.,][0-9]+)*")


def segment_many(texts) -> list[list[str]]:
    """The words of each sentence (jieba's dictionary and HMM, wordseg.py), a whole document at once."""
    from .wordseg import segment_many as cut

    return cut(texts)


def segment(text: str) -> list[str]:
    """The words of one sentence (``segment_many`` is faster for many)."""
    return segment_many([text])[0]


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def parse_numeral(run: str) -> int | None:
    """Value of a Chinese numeral ("二十一" -> 21, "三千五百" -> 3500, "一九六七" -> 1967)."""
    if not run:
        return None
    if all(c in _DIGITS for c in run) and len(run) > 1:  # digit-by-digit years: 一九六七
        return int("".join(str(_DIGITS[c]) for c in run))
    total, section, digit = 0, 0, None
    for c in run:
        if c in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[c]
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        elif c in _BIG:
            section += digit or 0
            total += section * _BIG[c] if section else _BIG[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def numbers(text: str) -> list[str]:
    """Number anchors of a Chinese sentence as "#<value>" tokens (Arabic and Chinese numerals).

    A lone 一 is skipped: it is far more often "a"/"one moment" than the number one.
    """
    out = []
    for m in re.finditer(r"[0-9０-９]+(?:[.,][0-9]+)*", text):
        digits = m.group().translate(str.maketrans("０１２３４５６７８９", "0123456789")).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        out.append(f"#{int(value)}" if value.is_integer() else f"#{value:g}")
    for m in NUMERAL_RUN.finditer(text):
        run = m.group()
        if run in ("一", "万", "亿", "千", "百"):
            continue
        value = parse_numeral(run)
        if value is not None and value > 0:
            out.append(f"#{value}")
    return out


@lru_cache(maxsize=100_000)
def pinyin_tokens(word: str) -> tuple[str, ...]:
    """Romanisations a name may take in English: 陈清扬 -> chen, qingyang, chenqingyang.

    Each character is read by its first CC-CEDICT entry (dictionary.readings).
    """
    from .dictionary import readings

    table = readings()
    syllables = [s for s in map(table.get, word) if s]
    if not syllables:
        return ()
    out = {syllables[0], "".join(syllables)}
    if len(syllables) >= 2:
        out.add("".join(syllables[1:]))
    return tuple(sorted(out))
