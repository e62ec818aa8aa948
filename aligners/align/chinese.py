"""Chinese side: word segmentation (jieba, loaded lazily), numerals and pinyin of names.

Nothing heavy happens at import time: jieba's dictionary is loaded on the first call
to ``segment`` and kept for the process. jieba's log lines are silenced, and its
pickle cache goes to a private, versioned file so that another program's cache in
/tmp cannot change our segmentation.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from functools import lru_cache

_LOCK = threading.Lock()
_TOKENIZER = None

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]+|[0-9０-９]+(?:[.,][0-9]+)*")


def tokenizer():
    """The process-wide jieba tokenizer (created on first use)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import sys

                # jieba imports pkg_resources (0.3-1.4 s) only to open its own files, and
                # opens them directly when that import fails
                if "pkg_resources" not in sys.modules:
                    sys.modules["pkg_resources"] = None
                    try:
                        import jieba
                    finally:
                        del sys.modules["pkg_resources"]
                import jieba

                jieba.setLogLevel(logging.WARNING)
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                cache_dir = os.path.join(tempfile.gettempdir(), f"bitextflow-{os.getuid()}")
                os.makedirs(cache_dir, exist_ok=True)
                tok.tmp_dir = cache_dir
                tok.cache_file = f"jieba-{jieba.__version__}.cache"
                tok.initialize()
                _TOKENIZER = tok
    return _TOKENIZER


def segment(text: str) -> list[str]:
    """jieba words of a sentence (HMM on, so unknown names come out as one word)."""
    return [w for w in tokenizer().lcut(text, HMM=True) if w.strip()]


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
    syllables = [table[c] for c in word if c in table]
    if not syllables:
        return ()
    out = {syllables[0], "".join(syllables)}
    if len(syllables) >= 2:
        out.add("".join(syllables[1:]))
    return tuple(sorted(out))
